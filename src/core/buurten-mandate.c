/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-mandate"

#include "config.h"

#include "buurten-mandate.h"

#include <glib/gi18n.h>

#include "buurten-error.h"
#include "buurten-money.h"
#include "buurten-refusal.h"

/* The way_forward texts of data/municipalities/hilversum.json are English
 * msgids translated on display; listing them here lets xgettext extract
 * them, since it does not read the data file. Keep in sync with it. */
G_GNUC_UNUSED static const char * const data_msgids[] = {
  N_("Above €25,000 an initiative cannot be paid from a wijk budget: apply to the "
     "bijzondere wijkkansen pot or propose an investment project in the municipal budget."),
  N_("Handgeld covers at most €2,000 per initiative: commit a larger amount from the wijk "
     "budget instead."),
  N_("An investment project is not decided in the app: the regietafel buurten prepares it "
     "and the college and the gemeenteraad decide on it in the municipal budget (begroting). "
     "Its yearly capital charges are then committed from the wijk budget."),
};

static BuurtenMandateResult *
result_new (void)
{
  BuurtenMandateResult *result = g_new0 (BuurtenMandateResult, 1);

  result->roles = g_array_new (FALSE, FALSE, sizeof (BuurtenRole));
  return result;
}

static gboolean
roles_contain (GArray      *roles,
               BuurtenRole  role)
{
  for (guint i = 0; i < roles->len; i++)
    if (g_array_index (roles, BuurtenRole, i) == role)
      return TRUE;

  return FALSE;
}

/* "buurtcoördinator, wijkwethouder" */
static char *
join_role_labels (GArray *roles)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < roles->len; i++)
    {
      if (i > 0)
        g_string_append (text, ", ");
      g_string_append (text, buurten_role_label (g_array_index (roles, BuurtenRole, i)));
    }

  return g_string_free (text, FALSE);
}

static const BuurtenMandateBand *
find_band (const BuurtenMandateTable *table,
           BuurtenFunding             funding,
           gint64                     amount)
{
  for (guint i = 0; i < table->bands->len; i++)
    {
      const BuurtenMandateBand *band = g_ptr_array_index (table->bands, i);

      if (band->funding != funding)
        continue;
      if (amount <= band->min_exclusive_cents)
        continue;
      if (band->max_inclusive_cents >= 0 && amount > band->max_inclusive_cents)
        continue;

      return band;
    }

  return NULL;
}

/* Refuses with a rule of buurten-refusal.h: the reason is that rule's
 * sentence, so the server's message and the app's text cannot differ. */
static void
refuse (BuurtenMandateResult *result,
        BuurtenCoreError      code,
        JsonObject           *args)
{
  result->allowed = FALSE;
  result->refusal = code;
  g_clear_pointer (&result->refusal_args, json_object_unref);
  result->refusal_args = args;
  g_free (result->reason);
  result->reason = buurten_refusal_describe (code, args, NULL);
}

void
buurten_mandate_result_free (BuurtenMandateResult *result)
{
  if (result == NULL)
    return;

  g_clear_pointer (&result->roles, g_array_unref);
  g_clear_pointer (&result->refusal_args, json_object_unref);
  g_free (result->reason);
  g_free (result->instrument);
  g_free (result);
}

BuurtenMandateResult *
buurten_mandate_evaluate (const BuurtenMandateTable *table,
                          const BuurtenMandateInput *input)
{
  g_autoptr(BuurtenMandateResult) result = NULL;
  g_autofree char *amount = NULL;
  g_autofree char *total_text = NULL;
  g_autofree char *labels = NULL;
  const BuurtenMandateBand *band;
  JsonObject *args;
  GString *reason;
  gint64 total;

  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (input != NULL, NULL);
  g_return_val_if_fail ((guint) input->funding <= BUURTEN_FUNDING_INVESTERING, NULL);

  result = result_new ();
  amount = buurten_money_format (input->amount_cents);

  if (input->amount_cents <= 0)
    {
      refuse (result, BUURTEN_CORE_ERROR_INVALID, buurten_refusal_args_new ("mandate.amount"));
      return g_steal_pointer (&result);
    }

  if (input->amount_cents > BUURTEN_MONEY_MAX_CENTS ||
      input->initiative_cents < 0 || input->initiative_cents > BUURTEN_MONEY_MAX_CENTS ||
      input->committed_cents < 0 || input->committed_cents > BUURTEN_MONEY_MAX_CENTS)
    {
      refuse (result, BUURTEN_CORE_ERROR_OVERFLOW, buurten_refusal_args_new ("mandate.overflow"));
      return g_steal_pointer (&result);
    }

  /* The mandate is per initiative: the band of the initiative's total
   * with this commitment. Both are at most BUURTEN_MONEY_MAX_CENTS, far
   * from overflowing a gint64. */
  total = input->initiative_cents + input->amount_cents;
  result->total_cents = total;
  total_text = buurten_money_format (total);

  /* A loaded table covers every amount of every funding; a hand-made one
   * may not, and then nobody has the mandate. */
  band = find_band (table, input->funding, total);
  if (band == NULL)
    {
      args = buurten_refusal_args_new ("mandate.no_band");
      json_object_set_int_member (args, "amount_cents", total);
      json_object_set_string_member (args, "funding", buurten_funding_ids[input->funding]);
      refuse (result, BUURTEN_CORE_ERROR_MANDATE_EXCEEDED, args);
      return g_steal_pointer (&result);
    }

  result->instrument = g_strdup (band->instrument);

  if (!band->allowed)
    {
      /* NOT_IN_APP is a refusal of the mandate too: nobody decides it in
       * the app. The way forward tells where it is decided instead. */
      args = buurten_refusal_args_new ("mandate.not_allowed");
      json_object_set_int_member (args, "amount_cents", input->amount_cents);
      json_object_set_int_member (args, "total_cents", total);
      json_object_set_string_member (args, "funding", buurten_funding_ids[input->funding]);
      if (band->min_exclusive_cents > 0)
        json_object_set_int_member (args, "limit_cents", band->min_exclusive_cents);
      if (band->way_forward != NULL)
        json_object_set_string_member (args, "way_forward", band->way_forward);
      refuse (result, BUURTEN_CORE_ERROR_MANDATE_EXCEEDED, args);
      return g_steal_pointer (&result);
    }

  g_array_append_vals (result->roles, band->roles->data, band->roles->len);
  labels = join_role_labels (result->roles);
  reason = g_string_new (NULL);

  /* The band's limits tell the reader why these roles: "up to and
   * including € 2.000,00" or "above € 2.000,00 up to ...". */
  {
    g_autofree char *from = buurten_money_format (MAX (band->min_exclusive_cents, 0));
    g_autofree char *to = buurten_money_format (band->max_inclusive_cents);
    gboolean from_zero = band->min_exclusive_cents <= 0;
    gboolean bounded = band->max_inclusive_cents >= 0;

    if (from_zero && bounded)
      g_string_append_printf (reason,
                              _("An amount of %s (up to and including %s) needs signatures "
                                "from: %s."), total_text, to, labels);
    else if (bounded)
      g_string_append_printf (reason,
                              _("An amount of %s (above %s, up to and including %s) needs "
                                "signatures from: %s."), total_text, from, to, labels);
    else if (!from_zero)
      g_string_append_printf (reason,
                              _("An amount of %s (above %s) needs signatures from: %s."),
                              total_text, from, labels);
    else
      g_string_append_printf (reason, _("An amount of %s needs signatures from: %s."),
                              total_text, labels);
  }

  if (input->initiative_cents > 0)
    {
      g_autofree char *before = buurten_money_format (input->initiative_cents);

      g_string_append_c (reason, ' ');
      /* Translators: the mandate counts per initiative, e.g. "The initiative
       * already has € 1.900,00 committed; with € 1.900,00 more its total is
       * € 3.800,00, and the mandate counts that total." */
      g_string_append_printf (reason,
                              _("The initiative already has %s committed; with %s more its "
                                "total is %s, and the mandate counts that total."),
                              before, amount, total_text);
    }

  switch (input->funding)
    {
    case BUURTEN_FUNDING_WIJKBUDGET:
    case BUURTEN_FUNDING_HANDGELD:
      /* Overrunning a richtbudget is allowed but must be signalled: the
       * teammanager signs too and a budget escalation is opened. Reaching
       * the budget exactly is not an overrun. */
      if (input->committed_cents + input->amount_cents > input->budget_cents)
        {
          g_autofree char *over = NULL;

          result->over_budget = TRUE;
          /* The wijk's overrun after this commitment, as the thermometer
           * will show it. */
          result->over_cents = input->committed_cents + input->amount_cents -
                               input->budget_cents;
          over = buurten_money_format (result->over_cents);

          if (!roles_contain (result->roles, table->over_budget_role))
            g_array_append_val (result->roles, table->over_budget_role);

          g_string_append_c (reason, ' ');
          g_string_append_printf (reason,
                                  _("This commitment takes the wijk %s over its richtbudget: "
                                    "the %s must sign too and a budget escalation is opened."),
                                  over, buurten_role_label (table->over_budget_role));
        }
      break;

    case BUURTEN_FUNDING_WIJKKANSEN:
      /* The wijkkansen pot is a hard cap (design.md): it may be filled to
       * the last cent, never beyond. */
      if (input->committed_cents + input->amount_cents > input->budget_cents)
        {
          g_string_free (reason, TRUE);
          g_array_set_size (result->roles, 0);
          args = buurten_refusal_args_new ("budget.pot_full");
          json_object_set_int_member (args, "amount_cents", input->amount_cents);
          json_object_set_int_member (args, "free_cents",
                                      MAX (input->budget_cents - input->committed_cents, 0));
          refuse (result, BUURTEN_CORE_ERROR_BUDGET_EXCEEDED, args);
          return g_steal_pointer (&result);
        }
      break;

    case BUURTEN_FUNDING_INVESTERING:
    default:
      break;
    }

  result->allowed = TRUE;
  result->reason = g_string_free (reason, FALSE);
  return g_steal_pointer (&result);
}

/* Signatures cover roles in the order they were given; a user covers at
 * most one role, so even a list that breaks the four-eyes rule never
 * counts one person twice. */
static GArray *
covered_roles (const BuurtenMandateResult *result,
               GPtrArray                  *signatures)
{
  GArray *covered = g_array_new (FALSE, FALSE, sizeof (BuurtenRole));
  g_autoptr(GPtrArray) users = g_ptr_array_new ();

  if (signatures == NULL)
    return covered;

  for (guint i = 0; i < signatures->len; i++)
    {
      const BuurtenSignature *signature = g_ptr_array_index (signatures, i);
      gboolean seen = FALSE;

      if (signature == NULL || signature->user == NULL)
        continue;

      for (guint j = 0; j < users->len && !seen; j++)
        seen = g_str_equal (g_ptr_array_index (users, j), signature->user);
      if (seen)
        continue;

      if (!roles_contain (result->roles, signature->role) ||
          roles_contain (covered, signature->role))
        continue;

      g_array_append_val (covered, signature->role);
      g_ptr_array_add (users, signature->user);
    }

  return covered;
}

GArray *
buurten_mandate_missing_roles (const BuurtenMandateResult *result,
                               GPtrArray                  *signatures)
{
  g_autoptr(GArray) covered = NULL;
  GArray *missing;

  g_return_val_if_fail (result != NULL, NULL);

  covered = covered_roles (result, signatures);
  missing = g_array_new (FALSE, FALSE, sizeof (BuurtenRole));

  for (guint i = 0; i < result->roles->len; i++)
    {
      BuurtenRole role = g_array_index (result->roles, BuurtenRole, i);

      if (!roles_contain (covered, role))
        g_array_append_val (missing, role);
    }

  return missing;
}
