/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-demo"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gstdio.h>

#include "buurten-demo.h"

/* The demo generator: the same options give the same database, and the
 * database tells a consistent story (signatures match the mandates,
 * payments stay within commitments, the thermometer adds up). */

typedef struct
{
  char         *dir;
  char         *path;
  BuurtenStore *store;
  guint         n_progress;
  guint         last_done;
  guint         last_total;
  gboolean      progress_monotonic;
} DemoDb;

static void
fixed_options (BuurtenDemoOptions *options)
{
  buurten_demo_options_init (options);
  options->year = 2026;
  g_date_set_dmy (&options->today, 15, G_DATE_NOVEMBER, 2026);
}

static void
on_progress (guint    done,
             guint    total,
             gpointer user_data)
{
  DemoDb *db = user_data;

  if (db->n_progress > 0 && (done < db->last_done || total != db->last_total))
    db->progress_monotonic = FALSE;
  db->n_progress++;
  db->last_done = done;
  db->last_total = total;
}

static DemoDb *
demo_db_new (void)
{
  g_autoptr(GError) error = NULL;
  DemoDb *db = g_new0 (DemoDb, 1);

  db->dir = g_dir_make_tmp ("buurten-test-demo-XXXXXX", &error);
  g_assert_no_error (error);
  db->path = buurten_store_default_path (db->dir);
  db->store = buurten_store_open (db->path, &error);
  g_assert_no_error (error);
  db->progress_monotonic = TRUE;
  return db;
}

static void
demo_db_free (DemoDb *db)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };

  g_clear_object (&db->store);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (db->path, suffixes[i], NULL);

      if (g_remove (file) != 0)
        g_assert_cmpint (errno, ==, ENOENT);
    }
  g_assert_cmpint (g_rmdir (db->dir), ==, 0);
  g_free (db->path);
  g_free (db->dir);
  g_free (db);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DemoDb, demo_db_free)

static BuurtenMunicipality *
load_municipality (void)
{
  g_autoptr(GError) error = NULL;
  BuurtenMunicipality *municipality = buurten_municipality_new_default (&error);

  g_assert_no_error (error);
  g_assert_nonnull (municipality);
  return municipality;
}

static DemoDb *
generate (const BuurtenDemoOptions *options)
{
  g_autoptr(BuurtenMunicipality) municipality = load_municipality ();
  g_autoptr(GError) error = NULL;
  DemoDb *db = demo_db_new ();
  gboolean ok;

  ok = buurten_demo_generate (db->store, municipality, options, on_progress, db, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  return db;
}

static GPtrArray *
list_all (DemoDb                  *db,
          const BuurtenEntityInfo *info,
          const char              *field,
          const char              *value)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *rows = buurten_store_list (db->store, info, field, value, &error);

  g_assert_no_error (error);
  g_assert_nonnull (rows);
  return rows;
}

static void
free_rows (const BuurtenEntityInfo *info,
           GPtrArray               *rows)
{
  for (guint i = 0; i < rows->len; i++)
    buurten_entity_free (info, g_ptr_array_index (rows, i));
  g_ptr_array_unref (rows);
}

/* Every entity of every type as JSON, personal fields included. */
static char *
dump_content (DemoDb *db)
{
  GString *dump = g_string_new (NULL);

  for (guint i = 0; buurten_entity_infos[i] != NULL; i++)
    {
      const BuurtenEntityInfo *info = buurten_entity_infos[i];
      GPtrArray *rows = list_all (db, info, NULL, NULL);

      g_string_append_printf (dump, "# %s %u\n", info->name, rows->len);
      for (guint r = 0; r < rows->len; r++)
        {
          g_autoptr(JsonNode) node = buurten_entity_to_json (info, g_ptr_array_index (rows, r),
                                                             TRUE);
          g_autofree char *json = buurten_json_to_string (node);

          g_string_append (dump, json);
          g_string_append_c (dump, '\n');
        }
      free_rows (info, rows);
    }
  return g_string_free (dump, FALSE);
}

static gint64
count (DemoDb                  *db,
       const BuurtenEntityInfo *info)
{
  g_autoptr(GError) error = NULL;
  gint64 n = buurten_store_count (db->store, info, &error);

  g_assert_no_error (error);
  return n;
}

/* ---- tests ----------------------------------------------------------- */

static void
test_options_init (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  BuurtenDemoOptions options;

  memset (&options, 0xab, sizeof options);
  buurten_demo_options_init (&options);
  g_assert_cmpuint (options.seed, ==, 20261);
  g_assert_cmpint (options.year, ==, g_date_time_get_year (now));
  g_assert_cmpuint (options.n_requests, ==, 0);
  g_assert_cmpuint (options.n_initiatives, ==, 0);
  g_assert_true (g_date_valid (&options.today));
  g_assert_cmpint (g_date_get_year (&options.today), ==, g_date_time_get_year (now));
}

static void
test_deterministic (void)
{
  BuurtenDemoOptions options;
  g_autoptr(DemoDb) a = NULL;
  g_autoptr(DemoDb) b = NULL;
  g_autofree char *dump_a = NULL;
  g_autofree char *dump_b = NULL;

  fixed_options (&options);
  a = generate (&options);
  b = generate (&options);

  dump_a = dump_content (a);
  dump_b = dump_content (b);
  g_assert_cmpuint (strlen (dump_a), >, 100000);
  g_assert_cmpstr (dump_a, ==, dump_b);

  /* Progress came in steps of about 1 %, ending at the total. */
  g_assert_true (a->progress_monotonic);
  g_assert_cmpuint (a->n_progress, >=, 50);
  g_assert_cmpuint (a->n_progress, <=, 102);
  g_assert_cmpuint (a->last_done, ==, a->last_total);
}

static void
test_seed_changes (void)
{
  BuurtenDemoOptions options;
  g_autoptr(DemoDb) a = NULL;
  g_autoptr(DemoDb) b = NULL;
  g_autofree char *dump_a = NULL;
  g_autofree char *dump_b = NULL;

  fixed_options (&options);
  options.n_requests = 200;
  options.n_initiatives = 40;
  a = generate (&options);
  options.seed++;
  b = generate (&options);

  dump_a = dump_content (a);
  dump_b = dump_content (b);
  g_assert_cmpstr (dump_a, !=, dump_b);
  g_assert_cmpint (count (a, &buurten_request_info), ==, 200);
  g_assert_cmpint (count (b, &buurten_request_info), ==, 200);
}

static void
check_every_wijk_has_work (DemoDb *db)
{
  g_autoptr(BuurtenMunicipality) municipality = load_municipality ();
  GPtrArray *wijken = buurten_municipality_get_wijken (municipality);

  for (guint i = 0; i < wijken->len; i++)
    {
      const BuurtenWijk *wijk = g_ptr_array_index (wijken, i);
      GPtrArray *requests = list_all (db, &buurten_request_info, "wijk", wijk->id);
      GPtrArray *initiatives = list_all (db, &buurten_initiative_info, "wijk", wijk->id);
      GPtrArray *themes = list_all (db, &buurten_theme_info, "wijk", wijk->id);

      if (requests->len == 0 || initiatives->len == 0)
        g_test_message ("wijk %s has %u requests and %u initiatives",
                        wijk->id, requests->len, initiatives->len);
      g_assert_cmpuint (requests->len, >, 0);
      g_assert_cmpuint (initiatives->len, >, 0);
      g_assert_cmpuint (themes->len, >=, 2);
      g_assert_cmpuint (themes->len, <=, 3);
      free_rows (&buurten_request_info, requests);
      free_rows (&buurten_initiative_info, initiatives);
      free_rows (&buurten_theme_info, themes);
    }
}

static void
test_small (void)
{
  BuurtenDemoOptions options;
  g_autoptr(DemoDb) db = NULL;

  fixed_options (&options);
  options.n_requests = 50;
  options.n_initiatives = 12;
  db = generate (&options);

  g_assert_cmpint (count (db, &buurten_request_info), ==, 50);
  /* A small demo may add a larger buurtdeal or two to reach the overrun. */
  g_assert_cmpint (count (db, &buurten_initiative_info), >=, 12);
  g_assert_cmpint (count (db, &buurten_initiative_info), <=, 16);
  g_assert_cmpint (count (db, &buurten_escalation_info), >=, 10);
  check_every_wijk_has_work (db);
}

static GDate
local_date (gint64 unix_seconds)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Europe/Amsterdam");
  g_autoptr(GDateTime) dt = NULL;
  GDate date;

  if (tz == NULL)
    tz = g_time_zone_new_utc ();
  dt = g_date_time_new_from_unix_utc (unix_seconds);
  g_assert_nonnull (dt);
  {
    g_autoptr(GDateTime) local = g_date_time_to_timezone (dt, tz);

    g_date_clear (&date, 1);
    g_date_set_dmy (&date, (GDateDay) g_date_time_get_day_of_month (local),
                    (GDateMonth) g_date_time_get_month (local),
                    (GDateYear) g_date_time_get_year (local));
  }
  return date;
}

static void
check_requests (DemoDb                   *db,
                const BuurtenDemoOptions *options)
{
  GPtrArray *requests = list_all (db, &buurten_request_info, NULL, NULL);
  guint overdue = 0;
  guint severely = 0;
  guint paused = 0;
  guint open = 0;

  for (guint i = 0; i < requests->len; i++)
    {
      BuurtenRequest *request = g_ptr_array_index (requests, i);
      BuurtenDeadline deadline = { 0, };
      GDate received = local_date (request->received_at);

      g_assert_true (buurten_uuid_is_valid (request->id));
      g_assert_cmpint (request->id[14], ==, '4');
      g_assert_cmpint (g_date_get_year (&received), ==, options->year);
      g_assert_cmpint (g_date_compare (&received, &options->today), <=, 0);
      g_assert_cmpint (request->updated_at, >=, request->received_at);
      g_assert_cmpint (request->term_days, >, 0);
      g_assert_nonnull (request->title);
      g_assert_nonnull (request->description);

      /* Made-up contact details only. */
      if (request->reporter_contact != NULL)
        g_assert_true (g_str_has_prefix (request->reporter_contact, "06-1234") ||
                       g_str_has_suffix (request->reporter_contact, "@example.nl"));

      if (request->state == BUURTEN_REQUEST_RESOLVED ||
          request->state == BUURTEN_REQUEST_CANCELLED)
        continue;
      open++;

      deadline.received = received;
      deadline.term_days = (guint) request->term_days;
      deadline.paused_working_days = (guint) request->paused_working_days;
      deadline.paused_since = request->paused_since;
      if (g_date_valid (&request->paused_since))
        {
          g_assert_cmpint (request->state, ==, BUURTEN_REQUEST_AWAITING_RESIDENT);
          g_assert_cmpint (g_date_compare (&request->paused_since, &received), >=, 0);
          paused++;
        }
      switch (buurten_deadline_status (&deadline, &options->today))
        {
        case BUURTEN_OVERDUE_SEVERELY:
          severely++;
          overdue++;
          break;
        case BUURTEN_OVERDUE_YES:
          overdue++;
          break;
        case BUURTEN_OVERDUE_NONE:
        default:
          break;
        }
    }

  g_test_message ("%u requests: %u open, %u overdue, %u more than 3x, %u paused",
                  requests->len, open, overdue, severely, paused);
  g_assert_cmpuint (overdue, >=, 1);
  g_assert_cmpuint (severely, >=, 1);
  /* Most of a year's requests are answered. */
  g_assert_cmpuint (open, <, requests->len / 4);
  g_assert_cmpuint (severely, <=, overdue);
  free_rows (&buurten_request_info, requests);
}

static gint64
wijk_budget (BuurtenMunicipality *municipality,
             DemoDb              *db,
             const char          *wijk,
             int                  year)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BuurtenThermometer) thermometer =
    buurten_store_thermometer (db->store, municipality, wijk, year, &error);

  g_assert_no_error (error);
  return thermometer->budget_cents;
}

static void
check_commitments (DemoDb                   *db,
                   const BuurtenDemoOptions *options)
{
  g_autoptr(BuurtenMunicipality) municipality = load_municipality ();
  const BuurtenMandateTable *table =
    buurten_municipality_get_mandate_table (municipality, options->year);
  GPtrArray *commitments = list_all (db, &buurten_commitment_info, NULL, NULL);
  guint pending = 0;
  guint with_teammanager = 0;

  g_assert_nonnull (table);
  g_assert_cmpuint (commitments->len, >, 10);

  for (guint i = 0; i < commitments->len; i++)
    {
      BuurtenCommitment *commitment = g_ptr_array_index (commitments, i);
      GPtrArray *signatures = list_all (db, &buurten_signature_info, "commitment_id",
                                        commitment->id);
      GPtrArray *payments = list_all (db, &buurten_payment_info, "commitment_id",
                                      commitment->id);
      g_autoptr(BuurtenInitiative) initiative = NULL;
      g_autoptr(BuurtenMandateResult) result = NULL;
      g_autoptr(GArray) missing = NULL;
      g_autoptr(GError) error = NULL;
      BuurtenMandateInput input = { 0, };
      gint64 paid = 0;

      initiative = buurten_store_get (db->store, &buurten_initiative_info,
                                      commitment->initiative_id, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (initiative->wijk, ==, commitment->wijk);
      g_assert_cmpint (commitment->year, ==, options->year);
      g_assert_cmpint (commitment->amount_cents, >, 0);
      g_assert_cmpint (commitment->amount_cents, <=, G_GINT64_CONSTANT (2500000));

      /* The roles the amount needs regardless of the budget; the
       * teammanager's signature on an overrun comes on top. */
      input.amount_cents = commitment->amount_cents;
      input.funding = commitment->funding;
      input.wijk = commitment->wijk;
      input.year = options->year;
      input.committed_cents = 0;
      input.budget_cents = G_GINT64_CONSTANT (10000000000);
      result = buurten_mandate_evaluate (table, &input);
      g_assert_true (result->allowed);
      missing = buurten_mandate_missing_roles (result, signatures);

      if (commitment->state == BUURTEN_COMMITMENT_APPROVED)
        g_assert_cmpuint (missing->len, ==, 0);
      else
        {
          g_assert_cmpint (commitment->state, ==, BUURTEN_COMMITMENT_PENDING);
          g_assert_cmpuint (missing->len, ==, 1);
          g_assert_cmpint (g_array_index (missing, BuurtenRole, 0), ==,
                           BUURTEN_ROLE_WIJKWETHOUDER);
          g_assert_cmpuint (payments->len, ==, 0);
          pending++;
        }

      /* Four eyes: nobody signs twice. */
      for (guint s = 0; s < signatures->len; s++)
        {
          BuurtenSignature *a = g_ptr_array_index (signatures, s);

          if (a->role == BUURTEN_ROLE_TEAMMANAGER_SAMENLEVING)
            with_teammanager++;
          for (guint t = s + 1; t < signatures->len; t++)
            {
              BuurtenSignature *b = g_ptr_array_index (signatures, t);

              g_assert_cmpstr (a->user, !=, b->user);
            }
        }

      for (guint p = 0; p < payments->len; p++)
        {
          BuurtenPayment *payment = g_ptr_array_index (payments, p);

          g_assert_cmpint (payment->amount_cents, >, 0);
          g_assert_cmpint (g_date_compare (&payment->paid_on, &options->today), <=, 0);
          paid += payment->amount_cents;
        }
      g_assert_cmpint (paid, <=, commitment->amount_cents);

      free_rows (&buurten_signature_info, signatures);
      free_rows (&buurten_payment_info, payments);
    }

  g_test_message ("%u commitments, %u pending", commitments->len, pending);
  g_assert_cmpuint (pending, >=, 1);
  g_assert_cmpuint (with_teammanager, >=, 1);
  free_rows (&buurten_commitment_info, commitments);
}

/* Every initiative that is afgerond has its verantwoording (issue 14,
 * point 6): what was approved and not paid is released from its
 * commitment, to the cent, and at least one released something. */
static void
check_verantwoordingen (DemoDb *db)
{
  GPtrArray *initiatives = list_all (db, &buurten_initiative_info, NULL, NULL);
  GPtrArray *verantwoordingen = list_all (db, &buurten_verantwoording_info, NULL, NULL);
  g_autoptr(GHashTable) by_initiative = g_hash_table_new (g_str_hash, g_str_equal);
  guint done = 0;
  guint underspent = 0;

  for (guint v = 0; v < verantwoordingen->len; v++)
    {
      BuurtenVerantwoording *row = g_ptr_array_index (verantwoordingen, v);
      GPtrArray *commitments = list_all (db, &buurten_commitment_info, "initiative_id",
                                         row->initiative_id);
      gint64 released = 0;
      gint64 paid = 0;

      g_assert_true (g_hash_table_insert (by_initiative, row->initiative_id, row));
      g_assert_nonnull (row->happened);
      g_assert_nonnull (row->feedback);
      g_assert_nonnull (row->recorded_by);
      g_assert_true (g_date_valid (&row->recorded_on));
      for (guint c = 0; c < commitments->len; c++)
        {
          BuurtenCommitment *commitment = g_ptr_array_index (commitments, c);
          GPtrArray *payments = list_all (db, &buurten_payment_info, "commitment_id",
                                          commitment->id);
          gint64 on_this = 0;

          for (guint p = 0; p < payments->len; p++)
            on_this += ((BuurtenPayment *) g_ptr_array_index (payments, p))->amount_cents;
          if (commitment->state == BUURTEN_COMMITMENT_APPROVED)
            g_assert_cmpint (commitment->released_cents + on_this, ==, commitment->amount_cents);
          released += commitment->released_cents;
          paid += on_this;
          free_rows (&buurten_payment_info, payments);
        }
      g_assert_cmpint (row->released_cents, ==, released);
      g_assert_cmpint (row->paid_cents, ==, paid);
      if (released > 0)
        underspent++;
      free_rows (&buurten_commitment_info, commitments);
    }

  for (guint i = 0; i < initiatives->len; i++)
    {
      BuurtenInitiative *initiative = g_ptr_array_index (initiatives, i);

      if (initiative->state != BUURTEN_INITIATIVE_DONE)
        continue;
      done++;
      g_assert_nonnull (g_hash_table_lookup (by_initiative, initiative->id));
    }

  g_test_message ("%u afgerond, %u with an underspend released", done, underspent);
  g_assert_cmpuint (verantwoordingen->len, ==, done);
  g_assert_cmpuint (underspent, >=, 1);
  free_rows (&buurten_verantwoording_info, verantwoordingen);
  free_rows (&buurten_initiative_info, initiatives);
}

static void
check_thermometers (DemoDb                   *db,
                    const BuurtenDemoOptions *options)
{
  g_autoptr(BuurtenMunicipality) municipality = load_municipality ();
  GPtrArray *wijken = buurten_municipality_get_wijken (municipality);
  GPtrArray *commitments = list_all (db, &buurten_commitment_info, NULL, NULL);
  GPtrArray *payments = list_all (db, &buurten_payment_info, NULL, NULL);
  g_autoptr(GHashTable) paid = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr(BuurtenLedger) ledger = NULL;
  g_autoptr(GError) error = NULL;
  guint over = 0;
  BuurtenThermometer *pot;

  for (guint p = 0; p < payments->len; p++)
    {
      BuurtenPayment *payment = g_ptr_array_index (payments, p);
      gint64 *sum = g_hash_table_lookup (paid, payment->commitment_id);

      if (sum == NULL)
        {
          sum = g_new0 (gint64, 1);
          g_hash_table_insert (paid, payment->commitment_id, sum);
        }
      *sum += payment->amount_cents;
    }

  for (guint i = 0; i < wijken->len; i++)
    {
      const BuurtenWijk *wijk = g_ptr_array_index (wijken, i);
      g_autoptr(BuurtenThermometer) thermometer = NULL;
      gint64 approved = 0, pending = 0, spent = 0;

      thermometer = buurten_store_thermometer (db->store, municipality, wijk->id,
                                               options->year, &error);
      g_assert_no_error (error);
      g_assert_nonnull (thermometer);

      for (guint c = 0; c < commitments->len; c++)
        {
          BuurtenCommitment *commitment = g_ptr_array_index (commitments, c);
          gint64 *sum;

          if (g_strcmp0 (commitment->wijk, wijk->id) != 0 ||
              (commitment->funding != BUURTEN_FUNDING_WIJKBUDGET &&
               commitment->funding != BUURTEN_FUNDING_HANDGELD))
            continue;
          if (commitment->state == BUURTEN_COMMITMENT_APPROVED)
            {
              /* What a verantwoording released is free again. */
              approved += commitment->amount_cents - commitment->released_cents;
              sum = g_hash_table_lookup (paid, commitment->id);
              spent += sum != NULL ? *sum : 0;
            }
          else if (commitment->state == BUURTEN_COMMITMENT_PENDING)
            pending += commitment->amount_cents;
        }

      g_assert_cmpint (thermometer->approved_cents, ==, approved);
      g_assert_cmpint (thermometer->pending_cents, ==, pending);
      g_assert_cmpint (thermometer->spent_cents, ==, spent);
      g_assert_cmpint (thermometer->approved_cents + thermometer->pending_cents +
                       thermometer->free_cents, ==, thermometer->budget_cents);
      g_assert_cmpint (thermometer->spent_cents, <=, thermometer->approved_cents);
      g_assert_cmpint (thermometer->approved_cents, >, 0);
      g_assert_cmpint (thermometer->budget_cents, ==,
                       thermometer->table_budget_cents + thermometer->transfers_in_cents -
                       thermometer->transfers_out_cents + thermometer->carried_in_cents -
                       thermometer->carried_out_cents);

      if (thermometer->over_budget)
        {
          /* Only Zuidoost, and only by a little. */
          g_assert_cmpstr (wijk->id, ==, "zuidoost");
          g_assert_cmpint (thermometer->over_cents, >, 0);
          g_assert_cmpint (thermometer->over_cents, <=, 100000);
          over++;
        }
      else
        g_assert_cmpint (thermometer->free_cents, >=, 0);
    }
  g_assert_cmpuint (over, ==, 1);

  /* The transfer and the carry-over changed some budgets. */
  g_assert_cmpint (wijk_budget (municipality, db, "centrum", options->year), ==,
                   buurten_municipality_wijk_budget (municipality, "centrum", options->year) +
                   315000);
  g_assert_cmpint (count (db, &buurten_transfer_info), ==, 1);
  g_assert_cmpint (count (db, &buurten_carry_over_info), ==, 1);

  ledger = buurten_store_ledger (db->store, municipality, options->year, &error);
  g_assert_no_error (error);
  pot = buurten_ledger_pot (ledger, "wijkkansen");
  g_assert_nonnull (pot);
  g_assert_false (pot->over_budget);
  g_assert_cmpint (pot->approved_cents + pot->pending_cents, <=, pot->budget_cents);
  buurten_thermometer_free (pot);

  free_rows (&buurten_commitment_info, commitments);
  free_rows (&buurten_payment_info, payments);
}

static gboolean
subject_exists (DemoDb     *db,
                const char *type,
                const char *id)
{
  const BuurtenEntityInfo *info = buurten_entity_info_lookup (type);
  g_autoptr(GError) error = NULL;
  gpointer entity;

  g_assert_nonnull (info);
  entity = buurten_store_get (db->store, info, id, &error);
  if (entity == NULL)
    return FALSE;
  buurten_entity_free (info, entity);
  return TRUE;
}

static void
check_escalations_and_meetings (DemoDb                   *db,
                                const BuurtenDemoOptions *options)
{
  GPtrArray *escalations = list_all (db, &buurten_escalation_info, NULL, NULL);
  GPtrArray *meetings = list_all (db, &buurten_meeting_info, NULL, NULL);
  GPtrArray *items = list_all (db, &buurten_agenda_item_info, NULL, NULL);
  guint budget_open = 0;
  guint open = 0;
  guint kinds[4] = { 0, };
  g_autoptr(GHashTable) per_meeting = g_hash_table_new (g_str_hash, g_str_equal);
  guint future_with_actions = 0;

  g_assert_cmpuint (escalations->len, >=, 10);
  g_assert_cmpuint (escalations->len, <=, 30);
  for (guint i = 0; i < escalations->len; i++)
    {
      BuurtenEscalation *escalation = g_ptr_array_index (escalations, i);

      g_assert_true (subject_exists (db, escalation->subject_type, escalation->subject_id));
      g_assert_nonnull (escalation->target);
      if (escalation->state == BUURTEN_ESCALATION_OPEN)
        open++;
      if (escalation->level == BUURTEN_LEVEL_BUDGET &&
          escalation->state == BUURTEN_ESCALATION_OPEN)
        {
          g_assert_cmpstr (escalation->wijk, ==, "zuidoost");
          budget_open++;
        }
    }
  g_assert_cmpuint (open, >=, 1);
  g_assert_cmpuint (budget_open, ==, 1);

  for (guint i = 0; i < meetings->len; i++)
    {
      BuurtenMeeting *meeting = g_ptr_array_index (meetings, i);

      kinds[meeting->kind]++;
      switch (meeting->kind)
        {
        case BUURTEN_MEETING_WIJKTEAM:
          g_assert_null (meeting->wijk);
          g_assert_nonnull (meeting->cluster);
          break;
        case BUURTEN_MEETING_WIJKOVERLEG:
        case BUURTEN_MEETING_BUURTSCHOUW:
          g_assert_nonnull (meeting->wijk);
          break;
        case BUURTEN_MEETING_STURINGSOVERLEG:
        default:
          break;
        }
    }
  /* Every four weeks for 8 wijken, every two weeks for 4 clusters,
   * every six weeks, and one walk per wijk. */
  g_assert_cmpuint (kinds[BUURTEN_MEETING_WIJKOVERLEG], >=, 8 * 12);
  g_assert_cmpuint (kinds[BUURTEN_MEETING_WIJKTEAM], >=, 4 * 25);
  g_assert_cmpuint (kinds[BUURTEN_MEETING_STURINGSOVERLEG], >=, 8);
  g_assert_cmpuint (kinds[BUURTEN_MEETING_BUURTSCHOUW], ==, 8);

  for (guint i = 0; i < items->len; i++)
    {
      BuurtenAgendaItem *item = g_ptr_array_index (items, i);
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (per_meeting, item->meeting_id));

      g_assert_true (subject_exists (db, item->subject_type, item->subject_id));
      g_hash_table_insert (per_meeting, item->meeting_id, GUINT_TO_POINTER (n + 1));
    }
  g_assert_cmpuint (items->len, >=, meetings->len * 3);
  {
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init (&iter, per_meeting);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      g_assert_cmpuint (GPOINTER_TO_UINT (value), <=, 6);
  }

  /* Actions come out of meetings that took place. */
  {
    GPtrArray *actions = list_all (db, &buurten_action_info, NULL, NULL);
    GDate end_of_today = options->today;

    g_date_add_days (&end_of_today, 1);
    g_assert_cmpuint (actions->len, >=, 100);
    for (guint i = 0; i < actions->len; i++)
      {
        BuurtenAction *action = g_ptr_array_index (actions, i);
        g_autoptr(BuurtenMeeting) meeting =
          buurten_store_get (db->store, &buurten_meeting_info, action->meeting_id, NULL);
        GDate held;

        g_assert_nonnull (meeting);
        g_assert_nonnull (action->owner);
        held = local_date (meeting->starts_at);
        if (g_date_compare (&held, &options->today) > 0)
          future_with_actions++;
      }
    g_assert_cmpuint (future_with_actions, ==, 0);
    free_rows (&buurten_action_info, actions);
  }

  g_assert_cmpint (count (db, &buurten_note_info), >, 0);

  free_rows (&buurten_escalation_info, escalations);
  free_rows (&buurten_meeting_info, meetings);
  free_rows (&buurten_agenda_item_info, items);
}

/* Every initiative has a whole intake (issue 14): a payee whose IBAN
 * core accepts, budget lines whose balance is the amount asked, and at
 * least one date; every entity as the server would accept it. */
static void
check_intake (DemoDb *db)
{
  GPtrArray *initiatives = list_all (db, &buurten_initiative_info, NULL, NULL);
  guint with_lines = 0;
  guint with_deal = 0;

  for (guint i = 0; i < initiatives->len; i++)
    {
      const BuurtenInitiative *initiative = g_ptr_array_index (initiatives, i);
      GPtrArray *lines = list_all (db, &buurten_budget_line_info, "initiative_id",
                                   initiative->id);
      GPtrArray *dates = list_all (db, &buurten_activity_info, "initiative_id",
                                   initiative->id);
      g_autoptr(GError) error = NULL;
      BuurtenBudgetBalance balance;

      g_assert_true (buurten_entity_validate (&buurten_initiative_info, initiative, &error));
      g_assert_no_error (error);
      g_assert_nonnull (initiative->iban);
      g_assert_true (buurten_iban_check (initiative->iban, &error));
      g_assert_nonnull (initiative->organiser_email);
      g_assert_nonnull (initiative->account_holder);
      g_assert_cmpuint (dates->len, >=, 1);
      g_assert_true (g_date_valid (&initiative->submitted_on) ==
                     (initiative->state != BUURTEN_INITIATIVE_IDEA));

      if (initiative->requested_cents > 0)
        {
          g_assert_cmpuint (lines->len, >=, 2);
          with_lines++;
        }
      buurten_budget_balance (lines, &balance);
      g_assert_cmpint (balance.asked_cents, ==, initiative->requested_cents);

      free_rows (&buurten_budget_line_info, lines);
      free_rows (&buurten_activity_info, dates);
    }
  g_assert_cmpuint (with_lines, >, initiatives->len / 2);

  /* Signed buurtdeals are complete, as the server requires (core's rule). */
  for (guint i = 0; i < initiatives->len; i++)
    {
      const BuurtenInitiative *initiative = g_ptr_array_index (initiatives, i);
      GPtrArray *agreements = list_all (db, &buurten_agreement_info, "initiative_id",
                                        initiative->id);
      guint sides[2] = { 0, 0 };
      g_autoptr(GError) error = NULL;

      for (guint k = 0; k < agreements->len; k++)
        sides[((BuurtenAgreement *) g_ptr_array_index (agreements, k))->side]++;
      if (initiative->state == BUURTEN_INITIATIVE_DEAL_SIGNED)
        {
          g_assert_true (buurten_buurtdeal_check (sides[0], sides[1],
                                                  initiative->deal_signed_by != NULL,
                                                  NULL, &error));
          g_assert_no_error (error);
          with_deal++;
        }
      free_rows (&buurten_agreement_info, agreements);
    }
  g_assert_cmpuint (with_deal, >, 0);

  free_rows (&buurten_initiative_info, initiatives);
}

static void
test_sanity (void)
{
  BuurtenDemoOptions options;
  g_autoptr(DemoDb) db = NULL;

  fixed_options (&options);
  db = generate (&options);

  g_assert_cmpint (count (db, &buurten_request_info), ==, 1200);
  g_assert_cmpint (count (db, &buurten_initiative_info), ==, 160);
  check_every_wijk_has_work (db);
  check_requests (db, &options);
  check_commitments (db, &options);
  check_thermometers (db, &options);
  check_escalations_and_meetings (db, &options);
  check_intake (db);
  check_verantwoordingen (db);
}

static void
test_other_today (void)
{
  BuurtenDemoOptions options;
  g_autoptr(DemoDb) db = NULL;

  /* Early in the year there is little history, yet the story holds. */
  fixed_options (&options);
  g_date_set_dmy (&options.today, 20, G_DATE_FEBRUARY, 2026);
  options.n_requests = 300;
  db = generate (&options);
  check_every_wijk_has_work (db);
  check_commitments (db, &options);
  check_thermometers (db, &options);
}

static void
test_make_requests (void)
{
  g_autoptr(BuurtenMunicipality) municipality = load_municipality ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) a = NULL;
  g_autoptr(GPtrArray) b = NULL;
  g_autoptr(GHashTable) wijken = g_hash_table_new (g_str_hash, g_str_equal);
  BuurtenDemoOptions options;

  fixed_options (&options);
  a = buurten_demo_make_requests (municipality, &options, 500, &error);
  g_assert_no_error (error);
  b = buurten_demo_make_requests (municipality, &options, 500, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (a->len, ==, 500);
  g_assert_cmpuint (b->len, ==, 500);

  for (guint i = 0; i < a->len; i++)
    {
      BuurtenRequest *x = g_ptr_array_index (a, i);
      BuurtenRequest *y = g_ptr_array_index (b, i);

      g_assert_true (buurten_entity_equal (&buurten_request_info, x, y));
      g_assert_true (buurten_entity_validate (&buurten_request_info, x, &error));
      g_assert_no_error (error);
      g_hash_table_add (wijken, x->wijk);
    }
  g_assert_cmpuint (g_hash_table_size (wijken), ==, 8);
}

static void
test_refusals (void)
{
  g_autoptr(BuurtenMunicipality) municipality = load_municipality ();
  g_autoptr(DemoDb) db = demo_db_new ();
  g_autoptr(GError) error = NULL;
  BuurtenDemoOptions options;

  fixed_options (&options);
  options.n_requests = 100001;
  g_assert_false (buurten_demo_generate (db->store, municipality, &options, NULL, NULL,
                                         &error));
  g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID);
  g_clear_error (&error);

  fixed_options (&options);
  options.year = 2027;
  g_assert_false (buurten_demo_generate (db->store, municipality, &options, NULL, NULL,
                                         &error));
  g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID);
  g_clear_error (&error);

  /* A year without a budget table. */
  fixed_options (&options);
  options.year = 2019;
  g_date_set_dmy (&options.today, 1, G_DATE_JUNE, 2019);
  g_assert_false (buurten_demo_generate (db->store, municipality, &options, NULL, NULL,
                                         &error));
  g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID);
  g_clear_error (&error);

  /* Nothing was written by the refusals. */
  g_assert_cmpint (count (db, &buurten_request_info), ==, 0);
  g_assert_cmpint (count (db, &buurten_theme_info), ==, 0);

  g_test_expect_message ("buurten-demo", G_LOG_LEVEL_CRITICAL, "*BUURTEN_IS_STORE*");
  g_assert_false (buurten_demo_generate (NULL, municipality, &options, NULL, NULL, NULL));
  g_test_assert_expected_messages ();

  g_test_expect_message ("buurten-demo", G_LOG_LEVEL_CRITICAL, "*options != NULL*");
  g_assert_false (buurten_demo_generate (db->store, municipality, NULL, NULL, NULL, NULL));
  g_test_assert_expected_messages ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/demo/options-init", test_options_init);
  g_test_add_func ("/demo/deterministic", test_deterministic);
  g_test_add_func ("/demo/seed-changes", test_seed_changes);
  g_test_add_func ("/demo/small", test_small);
  g_test_add_func ("/demo/sanity", test_sanity);
  g_test_add_func ("/demo/other-today", test_other_today);
  g_test_add_func ("/demo/make-requests", test_make_requests);
  g_test_add_func ("/demo/refusals", test_refusals);

  return g_test_run ();
}
