/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-intake"

#include "config.h"

#include "buurten-intake.h"

#include "buurten-identifiers.h"
#include "buurten-money.h"
#include "buurten-refusal.h"


static gint64
add_capped (gint64 a,
            gint64 b)
{
  return MIN (a + b, BUURTEN_MONEY_MAX_CENTS);
}

void
buurten_budget_balance (GPtrArray            *lines,
                        BuurtenBudgetBalance *out)
{
  g_return_if_fail (out != NULL);

  out->costs_cents = 0;
  out->covered_cents = 0;

  for (guint i = 0; lines != NULL && i < lines->len; i++)
    {
      const BuurtenBudgetLine *line = g_ptr_array_index (lines, i);
      gint64 amount = CLAMP (line->amount_cents, 0, BUURTEN_MONEY_MAX_CENTS);

      if (line->kind == BUURTEN_BUDGET_LINE_COST)
        out->costs_cents = add_capped (out->costs_cents, amount);
      else
        out->covered_cents = add_capped (out->covered_cents, amount);
    }

  out->asked_cents = MAX (out->costs_cents - out->covered_cents, 0);
}

gboolean
buurten_initiative_budget_open (BuurtenInitiativeState state)
{
  return state == BUURTEN_INITIATIVE_IDEA || state == BUURTEN_INITIATIVE_SUBMITTED ||
         state == BUURTEN_INITIATIVE_CHECKED;
}

gboolean
buurten_buurtdeal_check (guint         n_residents,
                         guint         n_municipality,
                         gboolean      organiser_signed,
                         JsonObject  **refusal_args,
                         GError      **error)
{
  g_autoptr(GString) missing = g_string_new (NULL);
  JsonObject *args;

  if (n_residents == 0)
    g_string_append (missing, "residents,");
  if (n_municipality == 0)
    g_string_append (missing, "municipality,");
  if (!organiser_signed)
    g_string_append (missing, "organiser,");
  if (missing->len == 0)
    return TRUE;

  g_string_truncate (missing, missing->len - 1);
  args = buurten_refusal_args_new ("buurtdeal.incomplete");
  json_object_set_string_member (args, "missing", missing->str);
  return buurten_refusal_set (error, refusal_args, BUURTEN_CORE_ERROR_INVALID_STATE, args);
}

gboolean
buurten_initiative_decision_due (const GDate *submitted,
                                 guint        weeks,
                                 GDate       *due)
{
  g_return_val_if_fail (due != NULL, FALSE);

  g_date_clear (due, 1);
  if (submitted == NULL || !g_date_valid (submitted) || weeks == 0)
    return FALSE;

  *due = *submitted;
  g_date_add_days (due, weeks * 7);
  return TRUE;
}

gboolean
buurten_initiative_awaits_decision (BuurtenInitiativeState state)
{
  return state == BUURTEN_INITIATIVE_SUBMITTED || state == BUURTEN_INITIATIVE_CHECKED;
}

gboolean
buurten_initiative_decision_term (BuurtenInitiativeState  state,
                                  const GDate            *submitted,
                                  guint                   weeks,
                                  const GDate            *today,
                                  GDate                  *due,
                                  gint                   *days_left)
{
  GDate local_due;

  g_return_val_if_fail (today != NULL && g_date_valid (today), FALSE);

  if (due == NULL)
    due = &local_due;
  if (days_left != NULL)
    *days_left = 0;
  if (!buurten_initiative_awaits_decision (state))
    {
      g_date_clear (due, 1);
      return FALSE;
    }
  if (!buurten_initiative_decision_due (submitted, weeks, due))
    return FALSE;

  if (days_left != NULL)
    *days_left = g_date_days_between (today, due);
  return TRUE;
}

gboolean
buurten_buurtdeal_required (const BuurtenMandateTable *table,
                            gint64                     amount_cents,
                            gint64                    *own_limit_cents)
{
  gint64 limit = 0;

  g_return_val_if_fail (table != NULL, FALSE);

  for (guint i = 0; table->bands != NULL && i < table->bands->len; i++)
    {
      const BuurtenMandateBand *band = g_ptr_array_index (table->bands, i);

      if (band->funding != BUURTEN_FUNDING_WIJKBUDGET || !band->allowed ||
          band->roles == NULL || band->roles->len != 1 ||
          g_array_index (band->roles, BuurtenRole, 0) != BUURTEN_ROLE_BUURTCOORDINATOR)
        continue;
      if (band->max_inclusive_cents < 0)
        {
          /* The coordinator signs any amount alone: never a buurtdeal. */
          limit = G_MAXINT64;
          break;
        }
      limit = MAX (limit, band->max_inclusive_cents);
    }

  if (own_limit_cents != NULL)
    *own_limit_cents = limit;
  return amount_cents > limit;
}

gboolean
buurten_initiative_check_start (int                        from,
                                int                        to,
                                const BuurtenMandateTable *table,
                                gint64                     approved_cents,
                                JsonObject               **refusal_args,
                                GError                   **error)
{
  JsonObject *args;
  gint64 limit = 0;

  if (from != BUURTEN_INITIATIVE_GRANTED || to != BUURTEN_INITIATIVE_IN_PROGRESS ||
      table == NULL || !buurten_buurtdeal_required (table, approved_cents, &limit))
    return TRUE;

  args = buurten_refusal_args_new ("buurtdeal.required");
  json_object_set_int_member (args, "amount_cents", approved_cents);
  json_object_set_int_member (args, "limit_cents", limit);
  return buurten_refusal_set (error, refusal_args, BUURTEN_CORE_ERROR_INVALID_STATE, args);
}

BuurtenInitiative *
buurten_initiative_from_request (const BuurtenRequest  *request,
                                 const char            *id,
                                 gint64                 now,
                                 JsonObject           **refusal_args,
                                 GError               **error)
{
  g_autoptr(BuurtenInitiative) initiative = NULL;
  const char *contact;

  g_return_val_if_fail (request != NULL, NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if (request->type != BUURTEN_REQUEST_TYPE_IDEE)
    {
      buurten_refusal_set (error, refusal_args, BUURTEN_CORE_ERROR_INVALID,
                           buurten_refusal_args_new ("request.not_an_idea"));
      return NULL;
    }
  if (request->initiative_id != NULL)
    {
      JsonObject *args = buurten_refusal_args_new ("request.taken_on");

      json_object_set_string_member (args, "initiative_id", request->initiative_id);
      buurten_refusal_set (error, refusal_args, BUURTEN_CORE_ERROR_INVALID_STATE, args);
      return NULL;
    }

  initiative = buurten_initiative_new ();
  initiative->id = g_strdup (id);
  initiative->wijk = g_strdup (request->wijk);
  initiative->title = g_strdup (request->title);
  initiative->description = g_strdup (request->description);
  initiative->organiser = g_strdup (request->reporter_name);
  initiative->source_request_id = g_strdup (request->id);
  initiative->state = BUURTEN_INITIATIVE_IDEA;
  initiative->received_at = now;
  initiative->updated_at = now;

  /* A reporter's contact is one text: an e-mail address goes where the
   * organiser's e-mail goes, a phone number to the phone, anything else
   * is kept as the address. */
  contact = request->reporter_contact;
  if (contact != NULL && *contact != '\0')
    {
      if (buurten_email_check (contact, NULL))
        initiative->organiser_email = g_strdup (contact);
      else if (buurten_phone_check (contact, NULL))
        initiative->organiser_phone = g_strdup (contact);
      else
        initiative->organiser_address = g_strdup (contact);
    }

  return g_steal_pointer (&initiative);
}
