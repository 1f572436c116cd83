/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-grant-money"

#include "config.h"

#include "buurten-grant-money.h"

void
buurten_grant_money_free (BuurtenGrantMoney *grant)
{
  if (grant == NULL)
    return;

  buurten_initiative_free (grant->initiative);
  g_clear_pointer (&grant->commitments, g_ptr_array_unref);
  g_clear_pointer (&grant->paid, g_array_unref);
  g_clear_pointer (&grant->lines, g_ptr_array_unref);
  buurten_verantwoording_free (grant->verantwoording);
  g_free (grant);
}

static int
compare_lines (gconstpointer a,
               gconstpointer b)
{
  const BuurtenBudgetLine *la = *(BuurtenBudgetLine * const *) a;
  const BuurtenBudgetLine *lb = *(BuurtenBudgetLine * const *) b;

  if (la->position != lb->position)
    return la->position < lb->position ? -1 : 1;
  return g_strcmp0 (la->id, lb->id);
}

static GPtrArray *
owned (GPtrArray      *rows,
       GDestroyNotify  free_func)
{
  g_ptr_array_set_free_func (rows, free_func);
  return rows;
}

gpointer
buurten_grant_money_load (BuurtenStore  *store,
                    gpointer       initiative_id,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(BuurtenGrantMoney) grant = g_new0 (BuurtenGrantMoney, 1);
  g_autoptr(GPtrArray) commitments = NULL;
  g_autoptr(GPtrArray) verantwoordingen = NULL;

  grant->initiative = buurten_store_get (store, &buurten_initiative_info, initiative_id, error);
  if (grant->initiative == NULL)
    return NULL;

  commitments = buurten_store_list (store, &buurten_commitment_info, "initiative_id",
                                    initiative_id, error);
  if (commitments == NULL)
    return NULL;
  owned (commitments, (GDestroyNotify) buurten_commitment_free);
  grant->commitments = g_ptr_array_new_with_free_func ((GDestroyNotify) buurten_commitment_free);
  grant->paid = g_array_new (FALSE, TRUE, sizeof (gint64));

  for (guint i = 0; i < commitments->len; i++)
    {
      BuurtenCommitment *commitment = g_ptr_array_index (commitments, i);
      g_autoptr(GPtrArray) payments = NULL;
      gint64 paid = 0;

      if (commitment->state != BUURTEN_COMMITMENT_APPROVED)
        continue;
      payments = buurten_store_list (store, &buurten_payment_info, "commitment_id",
                                     commitment->id, error);
      if (payments == NULL)
        return NULL;
      owned (payments, (GDestroyNotify) buurten_payment_free);
      for (guint p = 0; p < payments->len; p++)
        buurten_money_add (paid, ((BuurtenPayment *) g_ptr_array_index (payments, p))->amount_cents,
                           &paid);

      grant->approved_cents += commitment->amount_cents -
                               CLAMP (commitment->released_cents, 0, commitment->amount_cents);
      grant->paid_cents += paid;
      grant->left_cents += buurten_commitment_left (commitment, paid);
      g_array_append_val (grant->paid, paid);
      g_ptr_array_add (grant->commitments, g_ptr_array_steal_index (commitments, i--));
    }

  grant->lines = buurten_store_list (store, &buurten_budget_line_info, "initiative_id",
                                     initiative_id, error);
  if (grant->lines == NULL)
    return NULL;
  owned (grant->lines, (GDestroyNotify) buurten_budget_line_free);
  g_ptr_array_sort (grant->lines, compare_lines);

  verantwoordingen = buurten_store_list (store, &buurten_verantwoording_info, "initiative_id",
                                         initiative_id, error);
  if (verantwoordingen == NULL)
    return NULL;
  owned (verantwoordingen, (GDestroyNotify) buurten_verantwoording_free);
  if (verantwoordingen->len > 0)
    grant->verantwoording = g_ptr_array_steal_index (verantwoordingen, 0);

  return g_steal_pointer (&grant);
}

BuurtenCommitment *
buurten_grant_money_payable (BuurtenGrantMoney *grant,
                       guint        *out_index)
{
  g_return_val_if_fail (grant != NULL, NULL);

  for (guint i = 0; i < grant->commitments->len; i++)
    {
      BuurtenCommitment *commitment = g_ptr_array_index (grant->commitments, i);

      if (buurten_commitment_left (commitment, g_array_index (grant->paid, gint64, i)) > 0)
        {
          if (out_index != NULL)
            *out_index = i;
          return commitment;
        }
    }

  if (grant->commitments->len == 0)
    return NULL;
  if (out_index != NULL)
    *out_index = 0;
  return g_ptr_array_index (grant->commitments, 0);
}
