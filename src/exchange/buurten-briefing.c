/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-briefing"

#include "config.h"

#include "buurten-briefing.h"

#include <glib/gi18n.h>

#include "buurten-store-queries.h"
#include "buurten-thermometer-picture.h"

typedef struct
{
  const BuurtenPendingDecision *pending;   /* borrowed from the dashboard */
  const BuurtenMandateResult   *mandate;   /* borrowed; may be NULL */
  GArray                       *roles;     /* still to sign, or who decides */
  gint64                        amount_cents;
  gboolean                      counts;    /* against the wijk's budget of the year */
  gint64                        free_before_cents;
  gint64                        free_after_cents;
} Item;

struct _BuurtenBriefing
{
  BuurtenMunicipality *municipality;
  const BuurtenWijk   *wijk;               /* borrowed from municipality */
  GDate                date;
  int                  year;
  BuurtenDashboard    *dashboard;
  GPtrArray           *mandates;           /* in dashboard->pending's order */
  BuurtenThermometer  *thermometer;
  GPtrArray           *items;              /* Item*: waits for the wijkwethouder */
  GPtrArray           *others;             /* Item*: waits for others in the wijk */
  GPtrArray           *escalations;        /* BuurtenEscalation*, borrowed */
  gint64               free_before_cents;
  gint64               free_after_cents;
  gint64               total_cents;
};

static void
item_free (gpointer data)
{
  Item *item = data;

  g_clear_pointer (&item->roles, g_array_unref);
  g_free (item);
}

static gboolean
roles_contain (GArray      *roles,
               BuurtenRole  role)
{
  for (guint i = 0; roles != NULL && i < roles->len; i++)
    if (g_array_index (roles, BuurtenRole, i) == role)
      return TRUE;
  return FALSE;
}

/* The local day of a Unix time. */
static void
unix_to_date (gint64  unix_seconds,
              GDate  *out)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (unix_seconds);

  g_date_clear (out, 1);
  if (time != NULL)
    g_date_set_dmy (out, g_date_time_get_day_of_month (time),
                    g_date_time_get_month (time), g_date_time_get_year (time));
}

static char *
format_long_date (const GDate *date)
{
  g_autoptr(GDateTime) time = NULL;

  if (!g_date_valid (date))
    return g_strdup ("");
  time = g_date_time_new_local (g_date_get_year (date), g_date_get_month (date),
                                g_date_get_day (date), 12, 0, 0);
  /* Translators: a date written out in a document, strftime-like (see
   * g_date_time_format()), e.g. "Tuesday 20 October 2026"; in Dutch
   * "dinsdag 20 oktober 2026" */
  return time != NULL ? g_date_time_format (time, _("%A %-d %B %Y")) : g_strdup ("");
}

static char *
format_short_date (const GDate *date)
{
  g_autoptr(GDateTime) time = NULL;

  if (!g_date_valid (date))
    return g_strdup ("");
  time = g_date_time_new_local (g_date_get_year (date), g_date_get_month (date),
                                g_date_get_day (date), 12, 0, 0);
  /* Translators: a date in a document's table, e.g. "20-10-2026" */
  return time != NULL ? g_date_time_format (time, _("%d-%m-%Y")) : g_strdup ("");
}

static char *
format_unix_date (gint64 unix_seconds)
{
  GDate date;

  unix_to_date (unix_seconds, &date);
  return format_short_date (&date);
}

/* ---- loading ---------------------------------------------------------------- */

/* Who still has to act on a pending decision: the roles still to sign a
 * commitment (core's signing rule), or, without a commitment, the roles
 * its mandate says decide. */
static GArray *
roles_to_act (const BuurtenPendingDecision *pending,
              const BuurtenMandateResult   *mandate)
{
  if (pending->commitment != NULL)
    {
      g_autoptr(GArray) required = buurten_commitment_required_roles (pending->commitment,
                                                                      mandate);
      g_autoptr(BuurtenSigning) signing = NULL;

      signing = buurten_authority_signing (required, pending->commitment->state,
                                           pending->initiative->state, pending->commitment->wijk,
                                           pending->signatures, NULL, NULL);
      return g_array_ref (signing->missing);
    }

  if (mandate != NULL && mandate->allowed && mandate->roles != NULL)
    return g_array_ref (mandate->roles);
  return g_array_new (FALSE, FALSE, sizeof (BuurtenRole));
}

/* The wijk's free budget before and after each decision on the list: the
 * ledger's free leaves out what pending commitments hold already, so
 * "before" adds those of the list back, and each decision in the list's
 * order takes its amount off. Money of another account (the wijkkansen
 * pot, an investment) or another year leaves the wijk's free budget as it
 * is. */
static void
compute_budget_impact (BuurtenBriefing *self)
{
  gint64 running = self->thermometer->free_cents;

  for (guint i = 0; i < self->items->len; i++)
    {
      const Item *item = g_ptr_array_index (self->items, i);

      if (item->counts && item->pending->commitment != NULL &&
          !buurten_money_add (running, item->amount_cents, &running))
        running = BUURTEN_MONEY_MAX_CENTS;
    }
  self->free_before_cents = running;

  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);

      item->free_before_cents = running;
      if (item->counts && !buurten_money_add (running, -item->amount_cents, &running))
        running = -BUURTEN_MONEY_MAX_CENTS;
      item->free_after_cents = running;
      if (!buurten_money_add (self->total_cents, item->amount_cents, &self->total_cents))
        self->total_cents = BUURTEN_MONEY_MAX_CENTS;
    }
  self->free_after_cents = running;
}

BuurtenBriefing *
buurten_briefing_load (BuurtenStore        *store,
                       BuurtenMunicipality *municipality,
                       const char          *wijk,
                       const GDate         *date,
                       GError             **error)
{
  g_autoptr(BuurtenBriefing) self = NULL;
  g_autoptr(GDateTime) start = NULL;

  g_return_val_if_fail (BUURTEN_IS_STORE (store), NULL);
  g_return_val_if_fail (BUURTEN_IS_MUNICIPALITY (municipality), NULL);
  g_return_val_if_fail (wijk != NULL, NULL);
  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);

  self = g_new0 (BuurtenBriefing, 1);
  self->municipality = g_object_ref (municipality);
  self->wijk = buurten_municipality_lookup_wijk (municipality, wijk);
  self->date = *date;
  self->year = g_date_get_year (date);
  self->items = g_ptr_array_new_with_free_func (item_free);
  self->others = g_ptr_array_new_with_free_func (item_free);
  self->escalations = g_ptr_array_new ();

  if (self->wijk == NULL)
    {
      GPtrArray *wijken = buurten_municipality_get_wijken (municipality);
      g_autoptr(GString) ids = g_string_new (NULL);

      for (guint i = 0; i < wijken->len; i++)
        {
          const BuurtenWijk *known = g_ptr_array_index (wijken, i);

          g_string_append_printf (ids, "%s%s", i > 0 ? ", " : "", known->id);
        }
      g_set_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_NOT_FOUND,
                   _("There is no wijk “%s”; the wijken are: %s"), wijk, ids->str);
      return NULL;
    }

  /* The meeting's day is "today": the ages of the escalations and the
   * next meeting count from its start. */
  start = g_date_time_new_local (self->year, g_date_get_month (date), g_date_get_day (date),
                                 0, 0, 0);
  self->dashboard = buurten_store_dashboard (store, self->wijk->id, self->wijk->cluster,
                                             self->year, date,
                                             start != NULL ? g_date_time_to_unix (start) : 0,
                                             0, error);
  if (self->dashboard == NULL)
    return NULL;
  self->mandates = buurten_store_pending_mandates (store, municipality, self->year,
                                                   self->dashboard->pending, error);
  if (self->mandates == NULL)
    return NULL;
  self->thermometer = buurten_store_thermometer (store, municipality, self->wijk->id,
                                                 self->year, error);
  if (self->thermometer == NULL)
    return NULL;

  for (guint i = 0; i < self->dashboard->pending->len; i++)
    {
      const BuurtenPendingDecision *pending = g_ptr_array_index (self->dashboard->pending, i);
      Item *item = g_new0 (Item, 1);
      const BuurtenCommitment *commitment = pending->commitment;

      item->pending = pending;
      item->mandate = g_ptr_array_index (self->mandates, i);
      item->roles = roles_to_act (pending, item->mandate);
      item->amount_cents = commitment != NULL ? commitment->amount_cents
                                              : pending->initiative->requested_cents;
      item->counts = commitment == NULL ||
                     (commitment->year == self->year &&
                      buurten_funding_same_account (commitment->funding,
                                                    BUURTEN_FUNDING_WIJKBUDGET));
      g_ptr_array_add (roles_contain (item->roles, BUURTEN_ROLE_WIJKWETHOUDER) ? self->items
                                                                              : self->others,
                       item);
    }

  for (guint i = 0; i < self->dashboard->escalations->len; i++)
    {
      BuurtenEscalation *escalation = g_ptr_array_index (self->dashboard->escalations, i);
      BuurtenRole role;

      if (buurten_escalation_level_addressee (escalation->level, &role) &&
          role == BUURTEN_ROLE_WIJKWETHOUDER)
        g_ptr_array_add (self->escalations, escalation);
    }

  compute_budget_impact (self);
  return g_steal_pointer (&self);
}

void
buurten_briefing_free (BuurtenBriefing *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->others, g_ptr_array_unref);
  g_clear_pointer (&self->escalations, g_ptr_array_unref);
  g_clear_pointer (&self->mandates, g_ptr_array_unref);
  g_clear_pointer (&self->dashboard, buurten_dashboard_free);
  g_clear_pointer (&self->thermometer, buurten_thermometer_free);
  g_clear_object (&self->municipality);
  g_free (self);
}

char *
buurten_briefing_reference (const char  *wijk,
                            const GDate *date)
{
  g_autofree char *upper = g_ascii_strup (wijk, -1);

  g_return_val_if_fail (wijk != NULL, NULL);
  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);

  return g_strdup_printf ("BRF-%s-%04u%02u%02u", upper, g_date_get_year (date),
                          g_date_get_month (date), g_date_get_day (date));
}

/* ---- the document ------------------------------------------------------------ */

static gint64
escalation_age_days (BuurtenBriefing         *self,
                     const BuurtenEscalation *escalation)
{
  GDate opened;

  unix_to_date (escalation->opened_at, &opened);
  if (!g_date_valid (&opened))
    return 0;
  return MAX (0, g_date_days_between (&opened, &self->date));
}

static void
add_summary (BuurtenBriefing *self,
             BuurtenDocument *document)
{
  const BuurtenThermometer *t = self->thermometer;
  const BuurtenCluster *cluster = buurten_municipality_lookup_cluster (self->municipality,
                                                                        self->wijk->cluster);
  const char *wethouder = buurten_municipality_role_name (self->municipality,
                                                          BUURTEN_ROLE_WIJKWETHOUDER);
  g_autofree char *meeting = format_long_date (&self->date);
  g_autofree char *wijk = NULL;
  g_autofree char *budget_key = NULL;
  g_autofree char *budget = buurten_money_format (t->budget_cents);
  g_autofree char *approved = buurten_money_format (t->approved_cents);
  g_autofree char *pending = buurten_money_format (t->pending_cents);
  g_autofree char *spent = buurten_money_format (t->spent_cents);
  g_autofree char *free_amount = NULL;
  g_autofree char *committed = buurten_format_percent (buurten_thermometer_committed_permille (t));

  buurten_document_add_heading (document, 1, _("Summary"));

  /* Translators: the wijk and its cluster in a document, e.g. "Oost (cluster Oost)" */
  wijk = cluster != NULL ? g_strdup_printf (_("%1$s (cluster %2$s)"), self->wijk->name,
                                            cluster->name)
                         : g_strdup (self->wijk->name);
  buurten_document_add_key_value (document, _("Wijk"), wijk);
  buurten_document_add_key_value (document, _("For"), wethouder);
  buurten_document_add_key_value (document, _("Meeting of"), meeting);

  /* Translators: the wijk's budget of a year, e.g. "Budget 2026" */
  budget_key = g_strdup_printf (_("Budget %d"), self->year);
  buurten_document_add_key_value (document, budget_key, budget);
  buurten_document_add_key_value (document, C_("thermometer", "Approved"), approved);
  buurten_document_add_key_value (document, C_("thermometer", "Pending"), pending);
  buurten_document_add_key_value (document, C_("thermometer", "Spent"), spent);
  buurten_document_add_key_value (document, _("Committed share"), committed);
  if (t->over_budget)
    {
      g_autofree char *over = buurten_money_format (t->over_cents);
      /* Translators: the run-over of a wijk's budget in a document, e.g.
       * "€ 786,00 over budget" */
      g_autofree char *text = g_strdup_printf (_("%s over budget"), over);

      buurten_document_add_key_value (document, C_("thermometer", "Free"), text);
    }
  else
    {
      free_amount = buurten_money_format (t->free_cents);
      buurten_document_add_key_value (document, C_("thermometer", "Free"), free_amount);
    }

  buurten_document_add_space (document, 4.0);
  buurten_thermometer_picture_add (document, t);

  buurten_document_add_heading (document, 2, _("Waiting for the wijkwethouder"));
  if (self->items->len == 0 && self->escalations->len == 0)
    {
      buurten_document_add_paragraph (document,
                                      _("Nothing in this wijk waits for a decision, a signature "
                                        "or an answer of the wijkwethouder."));
    }
  else
    {
      g_autofree char *decisions = NULL;
      g_autofree char *total = buurten_money_format (self->total_cents);
      g_autofree char *before = buurten_money_format (self->free_before_cents);
      g_autofree char *after = buurten_money_format (self->free_after_cents);
      g_autofree char *impact = NULL;
      g_autofree char *escalations = NULL;

      /* Translators: in a briefing's summary: how many initiatives wait for
       * a decision and their amount together, e.g. "3 initiatives, together
       * € 23.450,00" */
      decisions = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%1$u initiative, %2$s",
                                                "%1$u initiatives, together %2$s",
                                                self->items->len),
                                   self->items->len, total);
      buurten_document_add_key_value (document, _("For decision"), decisions);
      /* Translators: the wijk's free budget before and after the decisions,
       * e.g. "€ 30.000,00 before, € 6.550,00 after" */
      impact = g_strdup_printf (_("%1$s before, %2$s after"), before, after);
      buurten_document_add_key_value (document, _("Free budget"), impact);

      if (self->escalations->len > 0)
        {
          const BuurtenEscalation *oldest = g_ptr_array_index (self->escalations, 0);
          g_autofree char *age = buurten_format_days (escalation_age_days (self, oldest));

          /* Translators: in a briefing's summary: the escalations to the
           * wijkwethouder and the age of the oldest, e.g. "2, the oldest open
           * 45 days" */
          escalations = g_strdup_printf (_("%1$u, the oldest open %2$s"),
                                         self->escalations->len, age);
        }
      else
        escalations = g_strdup (_("none"));
      buurten_document_add_key_value (document, _("Escalations"), escalations);
    }

  if (self->others->len > 0)
    {
      g_autofree char *others = NULL;

      /* Translators: in a briefing's summary, e.g. "2 more decisions wait in
       * the wijk for others (see the last section)" */
      others = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "%u more decision waits in the wijk for others "
                                             "(see the last section).",
                                             "%u more decisions wait in the wijk for others "
                                             "(see the last section).",
                                             self->others->len),
                                self->others->len);
      buurten_document_add_note (document, others);
    }
}

static char *
signed_so_far (BuurtenBriefing *self,
               GPtrArray       *signatures)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; signatures != NULL && i < signatures->len; i++)
    {
      const BuurtenSignature *signature = g_ptr_array_index (signatures, i);
      g_autofree char *when = format_unix_date (signature->signed_at);

      if (text->len > 0)
        g_string_append (text, "; ");
      /* Translators: a signature given, in a document: role, who and when,
       * e.g. "Wijkregisseur (p.jansen), 03-10-2026" */
      g_string_append_printf (text, _("%1$s (%2$s), %3$s"),
                              buurten_municipality_role_name (self->municipality,
                                                              signature->role),
                              signature->user, when);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
add_decisions (BuurtenBriefing *self,
               BuurtenDocument *document)
{
  static const BuurtenDocumentColumn columns[] = {
    { N_("Initiative"), 2.6, BUURTEN_DOCUMENT_ALIGN_START },
    /* Translators: a column of the briefing: a signature or a decision is
     * asked of the wijkwethouder */
    { N_("Asked"), 1.5, BUURTEN_DOCUMENT_ALIGN_START },
    { N_("Amount"), 1.4, BUURTEN_DOCUMENT_ALIGN_END },
    { N_("Free before"), 1.4, BUURTEN_DOCUMENT_ALIGN_END },
    { N_("Free after"), 1.4, BUURTEN_DOCUMENT_ALIGN_END },
  };
  BuurtenDocumentColumn translated[G_N_ELEMENTS (columns)];
  BuurtenDocumentTable *table;

  buurten_document_add_heading (document, 1, _("For decision"));
  if (self->items->len == 0)
    {
      buurten_document_add_paragraph (document,
                                      _("No initiative waits for a decision or a signature of "
                                        "the wijkwethouder."));
      return;
    }
  buurten_document_add_paragraph (document,
                                  _("The initiatives of the wijk that wait for the "
                                    "wijkwethouder's decision or signature, oldest first. The "
                                    "free budget before is what the wijk has free if none of "
                                    "them goes ahead; each decision takes its amount off."));

  for (guint c = 0; c < G_N_ELEMENTS (columns); c++)
    {
      translated[c] = columns[c];
      translated[c].title = _(columns[c].title);
    }
  table = buurten_document_add_table (document, translated, G_N_ELEMENTS (translated));
  for (guint i = 0; i < self->items->len; i++)
    {
      const Item *item = g_ptr_array_index (self->items, i);
      g_autofree char *amount = buurten_money_format (item->amount_cents);
      g_autofree char *before = buurten_money_format (item->free_before_cents);
      g_autofree char *after = buurten_money_format (item->free_after_cents);
      const char *asked = item->pending->commitment != NULL ? _("Signature")
                                                            : _("Decision");
      const char *cells[] = { item->pending->initiative->title, asked, amount, before, after };

      g_assert (G_N_ELEMENTS (cells) == G_N_ELEMENTS (columns));
      buurten_document_table_add_row (table, cells);
    }
  {
    g_autofree char *total = buurten_money_format (self->total_cents);
    g_autofree char *before = buurten_money_format (self->free_before_cents);
    g_autofree char *after = buurten_money_format (self->free_after_cents);
    const char *cells[] = { _("Together"), "", total, before, after };

    buurten_document_table_add_total (table, cells);
  }

  for (guint i = 0; i < self->items->len; i++)
    {
      const Item *item = g_ptr_array_index (self->items, i);
      const BuurtenInitiative *initiative = item->pending->initiative;
      const BuurtenCommitment *commitment = item->pending->commitment;
      g_autofree char *heading = g_strdup_printf ("%u. %s", i + 1, initiative->title);
      g_autofree char *amount = buurten_money_format (item->amount_cents);
      g_autofree char *received = format_unix_date (initiative->received_at);
      g_autofree char *roles = buurten_format_roles (self->municipality, item->roles);

      buurten_document_add_heading (document, 2, heading);
      if (initiative->received_at != 0)
        buurten_document_add_key_value (document, _("Received"), received);
      if (initiative->theme != NULL && initiative->theme[0] != '\0')
        buurten_document_add_key_value (document, _("Theme"), initiative->theme);
      buurten_document_add_key_value (document, _("Amount"), amount);
      if (commitment != NULL)
        {
          g_autofree char *signatures = signed_so_far (self, item->pending->signatures);

          buurten_document_add_key_value (document, _("Funding"),
                                          buurten_format_funding (commitment->funding));
          if (signatures[0] != '\0')
            buurten_document_add_key_value (document, _("Signed by"), signatures);
          buurten_document_add_key_value (document, _("Still to sign"), roles);
        }
      else
        {
          buurten_document_add_key_value (document, _("Funding"),
                                          buurten_format_funding (BUURTEN_FUNDING_WIJKBUDGET));
          buurten_document_add_key_value (document, _("Decided by"), roles);
        }
      if (item->mandate != NULL && item->mandate->instrument != NULL)
        buurten_document_add_key_value (document, _("Instrument"),
                                        buurten_format_instrument (item->mandate->instrument));
      if (item->counts)
        {
          g_autofree char *before = buurten_money_format (item->free_before_cents);
          g_autofree char *after = buurten_money_format (item->free_after_cents);
          g_autofree char *impact = g_strdup_printf (_("%1$s before, %2$s after"), before,
                                                     after);

          buurten_document_add_key_value (document, _("Free budget"), impact);
        }
      if (initiative->description != NULL && initiative->description[0] != '\0')
        buurten_document_add_paragraph (document, initiative->description);
    }
}

static void
add_escalations (BuurtenBriefing *self,
                 BuurtenDocument *document)
{
  static const BuurtenDocumentColumn columns[] = {
    { N_("Escalation"), 4.6, BUURTEN_DOCUMENT_ALIGN_START },
    { N_("State"), 1.3, BUURTEN_DOCUMENT_ALIGN_START },
    { N_("Open since"), 1.5, BUURTEN_DOCUMENT_ALIGN_END },
    { N_("Age"), 1.2, BUURTEN_DOCUMENT_ALIGN_END },
  };
  BuurtenDocumentColumn translated[G_N_ELEMENTS (columns)];
  BuurtenDocumentTable *table;

  buurten_document_add_heading (document, 1, _("Escalations to the wijkwethouder"));
  if (self->escalations->len == 0)
    {
      buurten_document_add_paragraph (document, _("No escalation waits for the wijkwethouder."));
      return;
    }

  for (guint c = 0; c < G_N_ELEMENTS (columns); c++)
    {
      translated[c] = columns[c];
      translated[c].title = _(columns[c].title);
    }
  table = buurten_document_add_table (document, translated, G_N_ELEMENTS (translated));
  for (guint i = 0; i < self->escalations->len; i++)
    {
      const BuurtenEscalation *escalation = g_ptr_array_index (self->escalations, i);
      g_autofree char *since = format_unix_date (escalation->opened_at);
      g_autofree char *age = buurten_format_days (escalation_age_days (self, escalation));
      const char *state = buurten_state_label (BUURTEN_MACHINE_ESCALATION, escalation->state);
      const char *cells[] = { escalation->reason, state, since, age };

      buurten_document_table_add_row (table, cells);
    }
}

static void
add_others (BuurtenBriefing *self,
            BuurtenDocument *document)
{
  static const BuurtenDocumentColumn columns[] = {
    { N_("Initiative"), 4.2, BUURTEN_DOCUMENT_ALIGN_START },
    { N_("Waits for"), 2.6, BUURTEN_DOCUMENT_ALIGN_START },
    { N_("Amount"), 1.6, BUURTEN_DOCUMENT_ALIGN_END },
  };
  BuurtenDocumentColumn translated[G_N_ELEMENTS (columns)];
  BuurtenDocumentTable *table;

  if (self->others->len == 0)
    return;

  buurten_document_add_heading (document, 1, _("For information: other decisions in the wijk"));
  buurten_document_add_paragraph (document,
                                  _("These initiatives wait for a decision or signature in "
                                    "which the wijkwethouder has no part."));
  for (guint c = 0; c < G_N_ELEMENTS (columns); c++)
    {
      translated[c] = columns[c];
      translated[c].title = _(columns[c].title);
    }
  table = buurten_document_add_table (document, translated, G_N_ELEMENTS (translated));
  for (guint i = 0; i < self->others->len; i++)
    {
      const Item *item = g_ptr_array_index (self->others, i);
      g_autofree char *amount = buurten_money_format (item->amount_cents);
      g_autofree char *roles = buurten_format_roles (self->municipality, item->roles);
      const char *cells[] = { item->pending->initiative->title,
                              roles[0] != '\0' ? roles : _("no mandate"), amount };

      buurten_document_table_add_row (table, cells);
    }
}

BuurtenDocument *
buurten_briefing_document (BuurtenBriefing *self,
                           gint64           made_at)
{
  g_autoptr(BuurtenDocument) document = NULL;
  g_autofree char *reference = NULL;
  g_autofree char *date = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *made = NULL;
  g_autoptr(GDateTime) when = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  document = buurten_document_new (_("Briefing for the wijkwethouder"));
  buurten_document_set_letterhead (document,
                                   buurten_municipality_get_letterhead_name (self->municipality),
                                   buurten_municipality_get_letterhead_lines (self->municipality));
  /* Translators: under the title of the wethouder's briefing, e.g.
   * "Wijk Oost, meeting of Tuesday 20 October 2026" */
  date = format_long_date (&self->date);
  subtitle = g_strdup_printf (_("Wijk %1$s, meeting of %2$s"), self->wijk->name, date);
  buurten_document_set_subtitle (document, subtitle);
  reference = buurten_briefing_reference (self->wijk->id, &self->date);
  when = g_date_time_new_from_unix_local (made_at);
  {
    GDate today;

    g_date_clear (&today, 1);
    if (when != NULL)
      g_date_set_dmy (&today, g_date_time_get_day_of_month (when), g_date_time_get_month (when),
                      g_date_time_get_year (when));
    g_free (date);
    date = format_long_date (&today);
  }
  buurten_document_set_reference (document, date, reference);

  add_summary (self, document);
  buurten_document_add_page_break (document);
  add_decisions (self, document);
  add_escalations (self, document);
  add_others (self, document);

  /* Translators: the last line of a briefing: when, and from what, e.g.
   * "Made by Buurten on 07-12-2026 at 19:55 from the data on this computer." */
  made = when != NULL ? g_date_time_format (when, _("Made by Buurten on %d-%m-%Y at %H:%M from "
                                                    "the data on this computer."))
                      : NULL;
  if (made != NULL)
    {
      buurten_document_add_space (document, 8.0);
      buurten_document_add_note (document, made);
    }

  return g_steal_pointer (&document);
}
