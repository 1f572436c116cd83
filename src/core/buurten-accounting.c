/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-accounting"

#include "config.h"

#include "buurten-accounting.h"

#include "buurten-money.h"
#include "buurten-refusal.h"

gint64
buurten_commitment_left (const BuurtenCommitment *commitment,
                         gint64                   paid_cents)
{
  gint64 approved;

  g_return_val_if_fail (commitment != NULL, 0);

  if (commitment->state != BUURTEN_COMMITMENT_APPROVED)
    return 0;
  approved = commitment->amount_cents - CLAMP (commitment->released_cents, 0,
                                               commitment->amount_cents);
  return MAX (approved - MAX (paid_cents, 0), 0);
}

gboolean
buurten_payment_check (gint64        amount_cents,
                       gint64        left_cents,
                       JsonObject  **refusal_args,
                       GError      **error)
{
  JsonObject *args;

  if (amount_cents <= 0 || amount_cents > BUURTEN_MONEY_MAX_CENTS)
    {
      args = buurten_refusal_args_new ("payment.amount");
      return buurten_refusal_set (error, refusal_args, BUURTEN_CORE_ERROR_INVALID, args);
    }

  if (amount_cents > left_cents)
    {
      args = buurten_refusal_args_new ("payment.beyond_approved");
      json_object_set_int_member (args, "amount_cents", amount_cents);
      json_object_set_int_member (args, "left_cents", MAX (left_cents, 0));
      return buurten_refusal_set (error, refusal_args, BUURTEN_CORE_ERROR_BUDGET_EXCEEDED, args);
    }

  return TRUE;
}

gboolean
buurten_verantwoording_may_record (BuurtenInitiativeState   state,
                                   gboolean                 exists,
                                   JsonObject             **refusal_args,
                                   GError                 **error)
{
  JsonObject *args;

  if (exists)
    {
      args = buurten_refusal_args_new ("verantwoording.exists");
      return buurten_refusal_set (error, refusal_args, BUURTEN_CORE_ERROR_INVALID_STATE, args);
    }

  switch (state)
    {
    case BUURTEN_INITIATIVE_GRANTED:
    case BUURTEN_INITIATIVE_DEAL_SIGNED:
    case BUURTEN_INITIATIVE_IN_PROGRESS:
      return TRUE;
    default:
      args = buurten_refusal_args_new ("verantwoording.not_granted");
      json_object_set_string_member (args, "state",
                                     buurten_state_id (BUURTEN_MACHINE_INITIATIVE, state) ?: "");
      return buurten_refusal_set (error, refusal_args, BUURTEN_CORE_ERROR_INVALID_STATE, args);
    }
}

gboolean
buurten_initiative_check_done (int           to,
                               gboolean      has_verantwoording,
                               JsonObject  **refusal_args,
                               GError      **error)
{
  if (to == BUURTEN_INITIATIVE_DONE && !has_verantwoording)
    return buurten_refusal_set (error, refusal_args, BUURTEN_CORE_ERROR_INVALID_STATE,
                                buurten_refusal_args_new ("initiative.no_verantwoording"));
  return TRUE;
}

gint64
buurten_budget_actual_costs (GPtrArray *lines)
{
  gint64 total = 0;

  g_return_val_if_fail (lines != NULL, 0);

  for (guint i = 0; i < lines->len; i++)
    {
      const BuurtenBudgetLine *line = g_ptr_array_index (lines, i);

      if (line->kind == BUURTEN_BUDGET_LINE_COST &&
          !buurten_money_add (total, MAX (line->actual_cents, 0), &total))
        return BUURTEN_MONEY_MAX_CENTS;
    }

  return total;
}
