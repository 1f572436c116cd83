/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "buurten-entity.h"
#include "buurten-error.h"
#include "buurten-json.h"
#include "buurten-money.h"
#include "buurten-states.h"

#define FIELD_PTR(entity, field) ((guint8 *) (entity) + (field)->offset)

static guint
n_ids (const char * const *ids)
{
  guint n = 0;

  while (ids[n] != NULL)
    n++;
  return n;
}

static gsize
field_size (const BuurtenField *field)
{
  switch (field->kind)
    {
    case BUURTEN_FIELD_STRING:
    case BUURTEN_FIELD_UUID:
      return sizeof (char *);
    case BUURTEN_FIELD_INT:
    case BUURTEN_FIELD_MONEY:
    case BUURTEN_FIELD_TIMESTAMP:
      return sizeof (gint64);
    case BUURTEN_FIELD_BOOL:
      return sizeof (gboolean);
    case BUURTEN_FIELD_DATE:
      return sizeof (GDate);
    case BUURTEN_FIELD_ENUM:
      return sizeof (int);
    default:
      g_assert_not_reached ();
      return 0;
    }
}

static gsize
max_len (const BuurtenField *field)
{
  return field->max_len != 0 ? field->max_len : 65536;
}

/* Fills every field with a valid, non-default value that depends on
 * `seed`, so that two different seeds give entities that differ in every
 * field. */
static gpointer
make_full (const BuurtenEntityInfo *info,
           guint                    seed)
{
  gpointer entity = buurten_entity_new (info);

  for (guint i = 0; i < info->n_fields; i++)
    {
      const BuurtenField *field = &info->fields[i];
      guint8 *ptr = FIELD_PTR (entity, field);

      switch (field->kind)
        {
        case BUURTEN_FIELD_STRING:
          {
            /* Non-ASCII and quotes, to exercise escaping; a formatted
             * field gets a value its check accepts, one per seed. */
            static const char * const ibans[] = {
              "NL91ABNA0417164300", "NL44RABO0123456789", "NL20INGB0001234567",
              "BE68539007547034",
            };
            g_autofree char *text =
              field->format == BUURTEN_FIELD_FORMAT_IBAN ? g_strdup (ibans[seed % 4])
              : field->format == BUURTEN_FIELD_FORMAT_KVK ? g_strdup_printf ("%08u", seed % 100000000)
              : field->format == BUURTEN_FIELD_FORMAT_EMAIL ? g_strdup_printf ("b%u@example.nl", seed)
              : field->format == BUURTEN_FIELD_FORMAT_PHONE ? g_strdup_printf ("+31 %09u", seed % 1000000000)
                                    : g_strdup_printf ("%s “%u” é\"\\\n", field->name, seed);

            if (strlen (text) > max_len (field))
              text[max_len (field)] = '\0';
            *(char **) ptr = g_steal_pointer (&text);
          }
          break;

        case BUURTEN_FIELD_UUID:
          *(char **) ptr = buurten_uuid_new ();
          break;

        case BUURTEN_FIELD_INT:
          *(gint64 *) ptr = (seed % 2 ? -1 : 1) * (gint64) (1000 + seed * 7 + i);
          break;

        case BUURTEN_FIELD_MONEY:
          *(gint64 *) ptr = seed % 2 ? BUURTEN_MONEY_MAX_CENTS - seed : 200001 + seed;
          break;

        case BUURTEN_FIELD_BOOL:
          *(gboolean *) ptr = seed % 2 == 0;
          break;

        case BUURTEN_FIELD_DATE:
          g_date_set_dmy ((GDate *) ptr, (GDateDay) (1 + seed % 28),
                          (GDateMonth) (1 + (seed + i) % 12), (GDateYear) (2000 + seed));
          break;

        case BUURTEN_FIELD_TIMESTAMP:
          *(gint64 *) ptr = 1772442900 + (gint64) seed * 86461 + i;
          break;

        case BUURTEN_FIELD_ENUM:
          *(int *) ptr = (int) ((seed + 1 + i) % n_ids (field->enum_ids));
          break;

        default:
          g_assert_not_reached ();
        }
    }

  return entity;
}

/* The minimum that validates: required fields only. */
static gpointer
make_minimal (const BuurtenEntityInfo *info)
{
  gpointer entity = buurten_entity_new (info);

  for (guint i = 0; i < info->n_fields; i++)
    {
      const BuurtenField *field = &info->fields[i];
      guint8 *ptr = FIELD_PTR (entity, field);

      if ((field->flags & BUURTEN_FIELD_REQUIRED) == 0)
        continue;

      switch (field->kind)
        {
        case BUURTEN_FIELD_STRING:
          *(char **) ptr = g_strdup ("x");
          break;
        case BUURTEN_FIELD_UUID:
          *(char **) ptr = buurten_uuid_new ();
          break;
        case BUURTEN_FIELD_DATE:
          g_date_set_dmy ((GDate *) ptr, 1, G_DATE_JANUARY, 2026);
          break;
        case BUURTEN_FIELD_TIMESTAMP:
          *(gint64 *) ptr = 1;
          break;
        default:
          break;
        }
    }

  return entity;
}

static gpointer
round_trip (const BuurtenEntityInfo *info,
            gconstpointer            entity,
            gboolean                 include_personal)
{
  g_autoptr(JsonNode) node = buurten_entity_to_json (info, entity, include_personal);
  g_autofree char *text = buurten_json_to_string (node);
  g_autoptr(JsonNode) parsed = NULL;
  g_autoptr(GError) error = NULL;
  gpointer back;

  g_assert_nonnull (text);
  parsed = buurten_json_parse (text, -1, BUURTEN_JSON_DEFAULT_MAX_DEPTH, &error);
  g_assert_no_error (error);
  back = buurten_entity_from_json (info, parsed, &error);
  g_assert_no_error (error);
  g_assert_nonnull (back);
  return back;
}

/* ---- tables -------------------------------------------------------------- */

static void
test_infos (void)
{
  static const char * const order[] = {
    "theme", "request", "initiative", "budget_line", "activity", "agreement", "decision", "commitment", "signature", "payment", "verantwoording",
    "transfer", "carry_over", "escalation", "meeting", "agenda_item", "action", "note", NULL
  };
  guint n = 0;

  for (; buurten_entity_infos[n] != NULL; n++)
    {
      const BuurtenEntityInfo *info = buurten_entity_infos[n];

      g_assert_cmpstr (info->name, ==, order[n]);
      g_assert_true (buurten_entity_info_lookup (order[n]) == info);
    }
  g_assert_cmpuint (n, ==, g_strv_length ((char **) order));

  g_assert_null (buurten_entity_info_lookup ("nope"));
  g_assert_null (buurten_entity_info_lookup (""));
  g_assert_null (buurten_entity_info_lookup ("Request"));
  g_assert_null (buurten_entity_info_lookup (NULL));

  g_assert_true (buurten_request_info.size == sizeof (BuurtenRequest));
  g_assert_true (buurten_carry_over_info.size == sizeof (BuurtenCarryOver));
  g_assert_true (buurten_agenda_item_info.size == sizeof (BuurtenAgendaItem));
}

static void
test_field_tables (void)
{
  for (guint n = 0; buurten_entity_infos[n] != NULL; n++)
    {
      const BuurtenEntityInfo *info = buurten_entity_infos[n];
      g_autofree guint8 *used = g_malloc0 (info->size);
      guint n_keys = 0;

      g_assert_cmpuint (info->n_fields, >, 1);

      /* The key is the first field, "id", a UUID. */
      g_assert_cmpstr (info->fields[0].name, ==, "id");
      g_assert_cmpint (info->fields[0].kind, ==, BUURTEN_FIELD_UUID);
      g_assert_true (info->fields[0].offset == 0);

      for (guint i = 0; i < info->n_fields; i++)
        {
          const BuurtenField *field = &info->fields[i];
          gsize size = field_size (field);

          if (field->flags & BUURTEN_FIELD_KEY)
            {
              n_keys++;
              g_assert_true (field->flags & BUURTEN_FIELD_REQUIRED);
            }

          /* Fields lie inside the struct, aligned, and never overlap. */
          g_assert_cmpuint (field->offset + size, <=, info->size);
          g_assert_cmpuint (field->offset % (field->kind == BUURTEN_FIELD_DATE ? 4 : size), ==, 0);
          for (gsize b = 0; b < size; b++)
            {
              g_assert_cmpuint (used[field->offset + b], ==, 0);
              used[field->offset + b] = 1;
            }

          g_assert_true ((field->kind == BUURTEN_FIELD_ENUM) == (field->enum_ids != NULL));
          if (field->kind == BUURTEN_FIELD_ENUM)
            g_assert_cmpuint (n_ids (field->enum_ids), >, 0);

          /* Names are unique and found by name. */
          g_assert_true (buurten_entity_info_get_field (info, field->name) == field);
        }

      g_assert_cmpuint (n_keys, ==, 1);
      g_assert_null (buurten_entity_info_get_field (info, "no_such_field"));
    }
}

/* Catch a struct member without a table row: every byte of the struct
 * that is not padding belongs to some field. */
static void
test_field_tables_complete (void)
{
  static const struct { const BuurtenEntityInfo *info; guint n; } counts[] = {
    { &buurten_request_info, 17 }, { &buurten_initiative_info, 43 },
    { &buurten_budget_line_info, 8 }, { &buurten_activity_info, 7 },
    { &buurten_agreement_info, 9 },
    { &buurten_decision_info, 9 }, { &buurten_commitment_info, 13 },
    { &buurten_signature_info, 5 }, { &buurten_payment_info, 6 },
    { &buurten_verantwoording_info, 11 },
    { &buurten_transfer_info, 12 }, { &buurten_carry_over_info, 11 },
    { &buurten_escalation_info, 11 }, { &buurten_meeting_info, 7 },
    { &buurten_agenda_item_info, 7 }, { &buurten_action_info, 7 },
    { &buurten_note_info, 7 }, { &buurten_theme_info, 5 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    {
      const BuurtenEntityInfo *info = counts[i].info;
      gsize covered = 0;

      g_assert_cmpuint (info->n_fields, ==, counts[i].n);
      for (guint f = 0; f < info->n_fields; f++)
        covered += field_size (&info->fields[f]);
      /* At most 7 bytes of padding per field. */
      g_assert_cmpuint (covered, <=, info->size);
      g_assert_cmpuint (info->size - covered, <, 8 * info->n_fields);
    }
}

static void
test_personal_flags (void)
{
  static const char * const personal[] = {
    "request.reporter_name", "request.reporter_contact", "initiative.organiser",
    "initiative.organiser_address", "initiative.organiser_phone", "initiative.organiser_email",
    "initiative.iban", "initiative.account_holder", "initiative.deal_signed_by", NULL
  };

  for (guint n = 0; buurten_entity_infos[n] != NULL; n++)
    {
      const BuurtenEntityInfo *info = buurten_entity_infos[n];

      for (guint i = 0; i < info->n_fields; i++)
        {
          g_autofree char *name = g_strdup_printf ("%s.%s", info->name, info->fields[i].name);
          gboolean is_personal = (info->fields[i].flags & BUURTEN_FIELD_PERSONAL) != 0;

          g_assert_cmpint (is_personal, ==, g_strv_contains (personal, name));
        }
    }
}

static void
test_enum_ids (void)
{
  static const struct { const char * const *ids; guint n; const char *first; } tables[] = {
    { buurten_request_type_ids, 4, "vraag" },
    { buurten_funding_ids, 4, "wijkbudget" },
    { buurten_commitment_state_ids, 3, "pending" },
    { buurten_check_ids, 3, "unknown" },
    { buurten_role_ids, BUURTEN_N_ROLES, "buurtcoordinator" },
    { buurten_escalation_level_ids, 6, "operationeel" },
    { buurten_meeting_kind_ids, 4, "wijkoverleg" },
    { buurten_decision_outcome_ids, 3, "toegekend" },
    { buurten_budget_line_kind_ids, 3, "kosten" },
    { buurten_agreement_side_ids, 2, "bewoners" },
    { buurten_payment_kind_ids, 2, "voorschot" },
    { buurten_agreement_progress_ids, 3, "afgesproken" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_assert_cmpuint (n_ids (tables[i].ids), ==, tables[i].n);
      g_assert_cmpstr (tables[i].ids[0], ==, tables[i].first);
      for (guint k = 0; k < tables[i].n; k++)
        g_assert_cmpint (buurten_enum_from_id (tables[i].ids, tables[i].ids[k]), ==, k);
      g_assert_cmpint (buurten_enum_from_id (tables[i].ids, "nope"), ==, -1);
      g_assert_cmpint (buurten_enum_from_id (tables[i].ids, ""), ==, -1);
      g_assert_cmpint (buurten_enum_from_id (tables[i].ids, NULL), ==, -1);
    }

  g_assert_cmpint (buurten_enum_from_id (buurten_request_type_ids, "idee"), ==,
                   BUURTEN_REQUEST_TYPE_IDEE);
  g_assert_cmpint (buurten_enum_from_id (buurten_funding_ids, "investering"), ==,
                   BUURTEN_FUNDING_INVESTERING);
  g_assert_cmpint (buurten_enum_from_id (buurten_role_ids, "teammanager_samenleving"), ==,
                   BUURTEN_ROLE_TEAMMANAGER_SAMENLEVING);
  g_assert_cmpint (buurten_enum_from_id (buurten_escalation_level_ids, "budget"), ==,
                   BUURTEN_LEVEL_BUDGET);
  g_assert_cmpint (buurten_enum_from_id (buurten_meeting_kind_ids, "buurtschouw"), ==,
                   BUURTEN_MEETING_BUURTSCHOUW);
  g_assert_cmpint (buurten_enum_from_id (buurten_decision_outcome_ids, "doorverwezen"), ==,
                   BUURTEN_OUTCOME_REFERRED);
  g_assert_cmpint (buurten_enum_from_id (buurten_check_ids, "no"), ==, BUURTEN_CHECK_NO);
  g_assert_cmpint (buurten_enum_from_id (buurten_commitment_state_ids, "cancelled"), ==,
                   BUURTEN_COMMITMENT_CANCELLED);
}

/* The entity tables repeat the state ids; they must match buurten-states. */
static void
test_state_ids (void)
{
  static const struct {
    const BuurtenEntityInfo *info;
    BuurtenMachine machine;
    guint n;
  } cases[] = {
    { &buurten_request_info, BUURTEN_MACHINE_REQUEST, BUURTEN_REQUEST_N_STATES },
    { &buurten_initiative_info, BUURTEN_MACHINE_INITIATIVE, BUURTEN_INITIATIVE_N_STATES },
    { &buurten_escalation_info, BUURTEN_MACHINE_ESCALATION, BUURTEN_ESCALATION_N_STATES },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const BuurtenField *field = buurten_entity_info_get_field (cases[i].info, "state");

      g_assert_nonnull (field);
      g_assert_cmpint (field->kind, ==, BUURTEN_FIELD_ENUM);
      g_assert_cmpuint (buurten_machine_n_states (cases[i].machine), ==, cases[i].n);
      g_assert_cmpuint (n_ids (field->enum_ids), ==, cases[i].n);
      for (guint s = 0; s < cases[i].n; s++)
        g_assert_cmpstr (field->enum_ids[s], ==, buurten_state_id (cases[i].machine, (int) s));
    }
}

/* ---- generic operations ------------------------------------------------- */

static void
test_new_defaults (void)
{
  for (guint n = 0; buurten_entity_infos[n] != NULL; n++)
    {
      const BuurtenEntityInfo *info = buurten_entity_infos[n];
      gpointer entity = buurten_entity_new (info);

      for (guint i = 0; i < info->n_fields; i++)
        {
          const BuurtenField *field = &info->fields[i];
          guint8 *ptr = FIELD_PTR (entity, field);

          switch (field->kind)
            {
            case BUURTEN_FIELD_STRING:
            case BUURTEN_FIELD_UUID:
              g_assert_null (*(char **) ptr);
              break;
            case BUURTEN_FIELD_DATE:
              g_assert_false (g_date_valid ((GDate *) ptr));
              break;
            case BUURTEN_FIELD_ENUM:
              g_assert_cmpint (*(int *) ptr, ==, 0);
              break;
            case BUURTEN_FIELD_BOOL:
              g_assert_false (*(gboolean *) ptr);
              break;
            default:
              g_assert_cmpint (*(gint64 *) ptr, ==, 0);
              break;
            }
        }

      buurten_entity_free (info, entity);
    }

  /* Freeing NULL is allowed, as with g_free(). */
  buurten_entity_free (&buurten_note_info, NULL);
  buurten_request_free (NULL);
}

static void
test_round_trip (void)
{
  for (guint n = 0; buurten_entity_infos[n] != NULL; n++)
    {
      const BuurtenEntityInfo *info = buurten_entity_infos[n];

      for (guint seed = 0; seed < 4; seed++)
        {
          gpointer full = make_full (info, seed);
          gpointer back;
          g_autoptr(GError) error = NULL;

          g_assert_true (buurten_entity_validate (info, full, &error));
          g_assert_no_error (error);

          back = round_trip (info, full, TRUE);
          if (!buurten_entity_equal (info, full, back))
            {
              g_autoptr(JsonNode) a = buurten_entity_to_json (info, full, TRUE);
              g_autoptr(JsonNode) b = buurten_entity_to_json (info, back, TRUE);
              g_autofree char *sa = buurten_json_to_string (a);
              g_autofree char *sb = buurten_json_to_string (b);

              g_error ("%s did not survive a round trip:\n%s\n%s", info->name, sa, sb);
            }
          buurten_entity_free (info, back);
          buurten_entity_free (info, full);
        }

      /* Only the required members set: absent members decode to the
       * same defaults. */
      {
        gpointer minimal = make_minimal (info);
        gpointer back;
        g_autoptr(GError) error = NULL;

        g_assert_true (buurten_entity_validate (info, minimal, &error));
        g_assert_no_error (error);
        back = round_trip (info, minimal, TRUE);
        g_assert_true (buurten_entity_equal (info, minimal, back));
        buurten_entity_free (info, back);
        buurten_entity_free (info, minimal);
      }
    }
}

static void
test_to_json_format (void)
{
  g_autoptr(BuurtenPayment) payment = buurten_payment_new ();
  g_autoptr(BuurtenSignature) signature = buurten_signature_new ();
  g_autoptr(BuurtenAction) action = buurten_action_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  payment->id = g_strdup ("6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f");
  payment->commitment_id = g_strdup ("0b6a0f5e-9c1d-4f7e-a2b3-c4d5e6f70812");
  payment->amount_cents = 200000;
  g_date_set_dmy (&payment->paid_on, 5, G_DATE_MARCH, 2026);
  node = buurten_entity_to_json (&buurten_payment_info, payment, FALSE);
  text = buurten_json_to_string (node);
  g_assert_cmpstr (text, ==,
                   "{\"id\":\"6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f\","
                   "\"commitment_id\":\"0b6a0f5e-9c1d-4f7e-a2b3-c4d5e6f70812\","
                   "\"amount_cents\":200000,\"paid_on\":\"2026-03-05\","
                   "\"kind\":\"voorschot\"}");
  g_clear_pointer (&node, json_node_unref);
  g_clear_pointer (&text, g_free);

  signature->id = g_strdup ("6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f");
  signature->user = g_strdup ("");
  signature->role = BUURTEN_ROLE_WIJKWETHOUDER;
  signature->signed_at = 1772442900;
  node = buurten_entity_to_json (&buurten_signature_info, signature, FALSE);
  text = buurten_json_to_string (node);
  /* NULL strings are left out, "" is kept; times are UTC with "Z". */
  g_assert_cmpstr (text, ==,
                   "{\"id\":\"6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f\",\"user\":\"\","
                   "\"role\":\"wijkwethouder\",\"signed_at\":\"2026-03-02T09:15:00Z\"}");
  g_clear_pointer (&node, json_node_unref);
  g_clear_pointer (&text, g_free);

  /* Times before 1970 and dates in year 1 keep four digits. */
  signature->signed_at = -62135596800;
  node = buurten_entity_to_json (&buurten_signature_info, signature, FALSE);
  text = buurten_json_to_string (node);
  g_assert_nonnull (strstr (text, "\"signed_at\":\"0001-01-01T00:00:00Z\""));
  g_clear_pointer (&node, json_node_unref);
  g_clear_pointer (&text, g_free);

  action->id = g_strdup ("6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f");
  g_date_set_dmy (&action->due_on, 1, G_DATE_JANUARY, 1);
  node = buurten_entity_to_json (&buurten_action_info, action, FALSE);
  text = buurten_json_to_string (node);
  g_assert_cmpstr (text, ==,
                   "{\"id\":\"6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f\",\"due_on\":\"0001-01-01\","
                   "\"completed\":false,\"version\":0}");
}

static void
test_personal_left_out (void)
{
  g_autoptr(BuurtenRequest) request = make_full (&buurten_request_info, 1);
  g_autoptr(BuurtenInitiative) initiative = make_full (&buurten_initiative_info, 1);
  g_autoptr(BuurtenRequest) request_back = NULL;
  g_autoptr(BuurtenInitiative) initiative_back = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;

  node = buurten_entity_to_json (&buurten_request_info, request, FALSE);
  object = json_node_get_object (node);
  g_assert_false (json_object_has_member (object, "reporter_name"));
  g_assert_false (json_object_has_member (object, "reporter_contact"));
  g_assert_true (json_object_has_member (object, "title"));
  g_assert_true (json_object_has_member (object, "description"));
  g_clear_pointer (&node, json_node_unref);

  node = buurten_entity_to_json (&buurten_request_info, request, TRUE);
  object = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (object, "reporter_name"), ==,
                   request->reporter_name);
  g_clear_pointer (&node, json_node_unref);

  request_back = round_trip (&buurten_request_info, request, FALSE);
  g_assert_null (request_back->reporter_name);
  g_assert_null (request_back->reporter_contact);
  g_assert_cmpstr (request_back->title, ==, request->title);
  g_assert_false (buurten_entity_equal (&buurten_request_info, request, request_back));
  /* Everything else survived. */
  request_back->reporter_name = g_strdup (request->reporter_name);
  request_back->reporter_contact = g_strdup (request->reporter_contact);
  g_assert_true (buurten_entity_equal (&buurten_request_info, request, request_back));

  initiative_back = round_trip (&buurten_initiative_info, initiative, FALSE);
  g_assert_null (initiative_back->organiser);
  g_assert_nonnull (initiative->organiser);
  g_assert_cmpint (initiative_back->requested_cents, ==, initiative->requested_cents);
}

static void
test_copy_equal (void)
{
  for (guint n = 0; buurten_entity_infos[n] != NULL; n++)
    {
      const BuurtenEntityInfo *info = buurten_entity_infos[n];
      gpointer a = make_full (info, 2);
      gpointer other = make_full (info, 3);
      gpointer b = buurten_entity_copy (info, a);

      g_assert_true (buurten_entity_equal (info, a, b));
      g_assert_true (buurten_entity_equal (info, b, a));
      g_assert_true (buurten_entity_equal (info, a, a));
      g_assert_false (buurten_entity_equal (info, a, NULL));
      g_assert_false (buurten_entity_equal (info, NULL, a));
      g_assert_true (buurten_entity_equal (info, NULL, NULL));

      /* A deep copy: no string is shared. */
      for (guint i = 0; i < info->n_fields; i++)
        {
          const BuurtenField *field = &info->fields[i];

          if (field->kind == BUURTEN_FIELD_STRING || field->kind == BUURTEN_FIELD_UUID)
            g_assert_true (*(char **) FIELD_PTR (a, field) != *(char **) FIELD_PTR (b, field));
        }

      /* Every single field takes part in equality. */
      for (guint i = 0; i < info->n_fields; i++)
        {
          const BuurtenField *field = &info->fields[i];
          gpointer c = buurten_entity_copy (info, a);
          guint8 *pc = FIELD_PTR (c, field);
          guint8 *po = FIELD_PTR (other, field);

          switch (field->kind)
            {
            case BUURTEN_FIELD_STRING:
            case BUURTEN_FIELD_UUID:
              g_free (*(char **) pc);
              *(char **) pc = g_strdup (*(char **) po);
              break;
            case BUURTEN_FIELD_DATE:
              *(GDate *) pc = *(GDate *) po;
              break;
            default:
              memcpy (pc, po, field_size (field));
              break;
            }
          if (buurten_entity_equal (info, a, c))
            g_error ("%s.%s is ignored by equal()", info->name, field->name);
          buurten_entity_free (info, c);
        }

      buurten_entity_free (info, a);
      buurten_entity_free (info, b);
      buurten_entity_free (info, other);
    }
}

static void
test_equal_edges (void)
{
  g_autoptr(BuurtenNote) a = buurten_note_new ();
  g_autoptr(BuurtenNote) b = buurten_note_new ();
  g_autoptr(BuurtenAction) x = buurten_action_new ();
  g_autoptr(BuurtenAction) y = buurten_action_new ();

  /* NULL and "" are different values. */
  a->body = g_strdup ("");
  g_assert_false (buurten_entity_equal (&buurten_note_info, a, b));
  b->body = g_strdup ("");
  g_assert_true (buurten_entity_equal (&buurten_note_info, a, b));

  /* Invalid dates are equal to each other, not to a valid one; the same
   * day compares equal whichever way it was set. */
  g_assert_true (buurten_entity_equal (&buurten_action_info, x, y));
  g_date_set_dmy (&x->due_on, 1, G_DATE_MARCH, 2026);
  g_assert_false (buurten_entity_equal (&buurten_action_info, x, y));
  g_date_set_julian (&y->due_on, g_date_get_julian (&x->due_on));
  g_assert_true (buurten_entity_equal (&buurten_action_info, x, y));

  /* Any non-zero gboolean is TRUE. */
  x->completed = TRUE;
  y->completed = 2;
  g_assert_true (buurten_entity_equal (&buurten_action_info, x, y));
}

/* ---- validate ------------------------------------------------------------ */

static void
assert_invalid (const BuurtenEntityInfo *info,
                gconstpointer            entity,
                const char              *message)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (buurten_entity_validate (info, entity, &error));
  g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, message);
}

static void
assert_valid (const BuurtenEntityInfo *info,
              gconstpointer            entity)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (buurten_entity_validate (info, entity, &error));
  g_assert_no_error (error);
}

static void
test_validate_required (void)
{
  for (guint n = 0; buurten_entity_infos[n] != NULL; n++)
    {
      const BuurtenEntityInfo *info = buurten_entity_infos[n];
      gpointer empty = buurten_entity_new (info);
      g_autofree char *expect = g_strdup_printf ("%s.id: missing", info->name);

      assert_invalid (info, empty, expect);
      buurten_entity_free (info, empty);

      /* Unsetting any required string, UUID, date or time is reported by
       * name; the same holds for decoding. */
      for (guint i = 0; i < info->n_fields; i++)
        {
          const BuurtenField *field = &info->fields[i];
          gpointer entity;
          guint8 *ptr;
          g_autofree char *message = NULL;

          if ((field->flags & BUURTEN_FIELD_REQUIRED) == 0)
            continue;

          entity = make_minimal (info);
          ptr = FIELD_PTR (entity, field);
          message = g_strdup_printf ("%s.%s: missing", info->name, field->name);

          switch (field->kind)
            {
            case BUURTEN_FIELD_STRING:
            case BUURTEN_FIELD_UUID:
              g_clear_pointer ((char **) ptr, g_free);
              break;
            case BUURTEN_FIELD_DATE:
              g_date_clear ((GDate *) ptr, 1);
              break;
            case BUURTEN_FIELD_TIMESTAMP:
              *(gint64 *) ptr = 0;
              break;
            default:
              /* Numbers, booleans and enums always have a value. */
              buurten_entity_free (info, entity);
              continue;
            }

          assert_invalid (info, entity, message);

          {
            g_autoptr(JsonNode) node = buurten_entity_to_json (info, entity, TRUE);
            g_autoptr(GError) error = NULL;

            g_assert_null (buurten_entity_from_json (info, node, &error));
            g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID);
            g_assert_cmpstr (error->message, ==, message);
          }

          buurten_entity_free (info, entity);
        }
    }
}

static void
test_validate_values (void)
{
  g_autoptr(BuurtenRequest) request = make_minimal (&buurten_request_info);
  g_autoptr(BuurtenCommitment) commitment = make_minimal (&buurten_commitment_info);
  g_autofree char *id = NULL;

  assert_valid (&buurten_request_info, request);

  /* UUIDs: stored lowercase. */
  id = request->id;
  request->id = g_ascii_strup (id, -1);
  assert_invalid (&buurten_request_info, request, "request.id: not a valid UUID");
  g_free (request->id);
  request->id = g_strdup ("abc");
  assert_invalid (&buurten_request_info, request, "request.id: not a valid UUID");
  g_free (request->id);
  request->id = g_steal_pointer (&id);
  assert_valid (&buurten_request_info, request);

  /* Lengths, at and over the limit. */
  g_free (request->title);
  request->title = g_strnfill (200, 'a');
  assert_valid (&buurten_request_info, request);
  g_free (request->title);
  request->title = g_strnfill (201, 'a');
  assert_invalid (&buurten_request_info, request, "request.title: longer than 200 bytes");
  g_free (request->title);
  request->title = g_strdup ("");
  assert_invalid (&buurten_request_info, request, "request.title: must not be empty");
  g_free (request->title);
  request->title = g_strdup ("bad \xff utf-8");
  assert_invalid (&buurten_request_info, request, "request.title: not valid UTF-8");
  g_free (request->title);
  request->title = g_strdup ("Bankje");

  /* An optional empty string is fine. */
  request->description = g_strdup ("");
  assert_valid (&buurten_request_info, request);

  /* Enums in range only. */
  request->type = BUURTEN_REQUEST_TYPE_IDEE;
  assert_valid (&buurten_request_info, request);
  request->type = BUURTEN_REQUEST_TYPE_IDEE + 1;
  assert_invalid (&buurten_request_info, request, "request.type: invalid value 4");
  request->type = -1;
  assert_invalid (&buurten_request_info, request, "request.type: invalid value -1");
  request->type = BUURTEN_REQUEST_TYPE_VRAAG;
  request->state = BUURTEN_REQUEST_N_STATES;
  assert_invalid (&buurten_request_info, request, "request.state: invalid value 8");
  request->state = BUURTEN_REQUEST_REOPENED;
  assert_valid (&buurten_request_info, request);

  /* Timestamps that ISO 8601 with four digits can show. */
  request->updated_at = G_GINT64_CONSTANT (253402300799);
  assert_valid (&buurten_request_info, request);
  request->updated_at = G_GINT64_CONSTANT (253402300800);
  assert_invalid (&buurten_request_info, request, "request.updated_at: time out of range");
  request->updated_at = G_GINT64_CONSTANT (-62135596801);
  assert_invalid (&buurten_request_info, request, "request.updated_at: time out of range");
  request->updated_at = G_MININT64;
  assert_invalid (&buurten_request_info, request, "request.updated_at: time out of range");
  request->updated_at = 0;

  /* Money: 0 .. BUURTEN_MONEY_MAX_CENTS. */
  assert_valid (&buurten_commitment_info, commitment);
  commitment->amount_cents = BUURTEN_MONEY_MAX_CENTS;
  assert_valid (&buurten_commitment_info, commitment);
  commitment->amount_cents = BUURTEN_MONEY_MAX_CENTS + 1;
  assert_invalid (&buurten_commitment_info, commitment,
                  "commitment.amount_cents: amount out of range");
  commitment->amount_cents = -1;
  assert_invalid (&buurten_commitment_info, commitment,
                  "commitment.amount_cents: amount out of range");
  commitment->amount_cents = G_MININT64;
  assert_invalid (&buurten_commitment_info, commitment,
                  "commitment.amount_cents: amount out of range");
  commitment->amount_cents = 0;
  assert_valid (&buurten_commitment_info, commitment);
}

static void
test_timestamp_round_trip (void)
{
  static const gint64 times[] = {
    1, -1, 1772442900, 951782400 /* 2000-02-29 */, G_GINT64_CONSTANT (253402300799),
    G_GINT64_CONSTANT (-62135596800), 4107542399 /* 2100-02-28T23:59:59Z */,
  };

  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      g_autoptr(BuurtenNote) note = make_minimal (&buurten_note_info);
      g_autoptr(BuurtenNote) back = NULL;

      note->created_at = times[i];
      back = round_trip (&buurten_note_info, note, TRUE);
      g_assert_cmpint (back->created_at, ==, times[i]);
    }
}

static void
test_uuid (void)
{
  static const char * const valid[] = {
    "6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f",
    "6F1C2D3E-4A5B-4C6D-8E9F-0A1B2C3D4E5F",
    "00000000-0000-0000-0000-000000000000",
    "6f1c2d3e-4A5B-4c6d-8e9f-0a1b2c3d4e5f",
  };
  static const char * const invalid[] = {
    "", "6f1c2d3e4a5b4c6d8e9f0a1b2c3d4e5f", "6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5",
    "6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f0", "6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5g",
    "{6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f}", "6f1c2d3e-4a5b-4c6d-8e9f0-a1b2c3d4e5f",
    " 6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f", "6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5\xc3\xa9",
    "urn:uuid:6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f", "6f1c2d3e+4a5b-4c6d-8e9f-0a1b2c3d4e5f",
  };
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    g_assert_true (buurten_uuid_is_valid (valid[i]));
  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    g_assert_false (buurten_uuid_is_valid (invalid[i]));
  g_assert_false (buurten_uuid_is_valid (NULL));

  for (guint i = 0; i < 1000; i++)
    {
      char *id = buurten_uuid_new ();

      g_assert_true (buurten_uuid_is_valid (id));
      for (const char *p = id; *p; p++)
        g_assert_false (g_ascii_isupper (*p));
      g_assert_cmpint (id[14], ==, '4');
      g_assert_true (g_hash_table_add (seen, id));
    }
}

static void
test_from_json_lowercases (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(BuurtenNote) note = NULL;

  node = buurten_json_parse ("{\"id\":\"6F1C2D3E-4A5B-4C6D-8E9F-0A1B2C3D4E5F\","
                             "\"subject_type\":\"request\","
                             "\"subject_id\":\"0B6A0F5E-9c1d-4f7e-a2b3-c4d5e6f70812\","
                             "\"body\":\"Bellen\"}", -1, 32, &error);
  g_assert_no_error (error);
  note = buurten_entity_from_json (&buurten_note_info, node, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (note->id, ==, "6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f");
  g_assert_cmpstr (note->subject_id, ==, "0b6a0f5e-9c1d-4f7e-a2b3-c4d5e6f70812");
  assert_valid (&buurten_note_info, note);
}

static void
test_typed_helpers (void)
{
  g_autoptr(BuurtenMeeting) meeting = buurten_meeting_new ();
  g_autoptr(BuurtenMeeting) copy = NULL;

  meeting->id = buurten_uuid_new ();
  meeting->kind = BUURTEN_MEETING_BUURTSCHOUW;
  meeting->cluster = g_strdup ("noord");
  meeting->starts_at = 1772442900;
  copy = buurten_meeting_copy (meeting);
  g_assert_true (buurten_entity_equal (&buurten_meeting_info, meeting, copy));
  assert_valid (&buurten_meeting_info, copy);
}

static void
test_criticals (void)
{
  g_test_expect_message ("buurten-entity", G_LOG_LEVEL_CRITICAL, "*info != NULL*");
  g_assert_null (buurten_entity_new (NULL));
  g_test_assert_expected_messages ();

  g_test_expect_message ("buurten-entity", G_LOG_LEVEL_CRITICAL, "*entity != NULL*");
  g_assert_null (buurten_entity_copy (&buurten_note_info, NULL));
  g_test_assert_expected_messages ();

  g_test_expect_message ("buurten-entity", G_LOG_LEVEL_CRITICAL, "*entity != NULL*");
  g_assert_null (buurten_entity_to_json (&buurten_note_info, NULL, TRUE));
  g_test_assert_expected_messages ();

  g_test_expect_message ("buurten-entity", G_LOG_LEVEL_CRITICAL, "*entity != NULL*");
  g_assert_false (buurten_entity_validate (&buurten_note_info, NULL, NULL));
  g_test_assert_expected_messages ();

  g_test_expect_message ("buurten-entity", G_LOG_LEVEL_CRITICAL, "*ids != NULL*");
  g_assert_cmpint (buurten_enum_from_id (NULL, "x"), ==, -1);
  g_test_assert_expected_messages ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/entity/infos", test_infos);
  g_test_add_func ("/entity/field-tables", test_field_tables);
  g_test_add_func ("/entity/field-tables-complete", test_field_tables_complete);
  g_test_add_func ("/entity/personal-flags", test_personal_flags);
  g_test_add_func ("/entity/enum-ids", test_enum_ids);
  g_test_add_func ("/entity/state-ids", test_state_ids);
  g_test_add_func ("/entity/new-defaults", test_new_defaults);
  g_test_add_func ("/entity/round-trip", test_round_trip);
  g_test_add_func ("/entity/to-json-format", test_to_json_format);
  g_test_add_func ("/entity/personal-left-out", test_personal_left_out);
  g_test_add_func ("/entity/copy-equal", test_copy_equal);
  g_test_add_func ("/entity/equal-edges", test_equal_edges);
  g_test_add_func ("/entity/validate/required", test_validate_required);
  g_test_add_func ("/entity/validate/values", test_validate_values);
  g_test_add_func ("/entity/timestamp-round-trip", test_timestamp_round_trip);
  g_test_add_func ("/entity/uuid", test_uuid);
  g_test_add_func ("/entity/from-json-lowercases", test_from_json_lowercases);
  g_test_add_func ("/entity/typed-helpers", test_typed_helpers);
  g_test_add_func ("/entity/criticals", test_criticals);

  return g_test_run ();
}
