/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-store"

#include "config.h"

#include "buurten-store-initiative.h"

#include "buurten-intake.h"

void
buurten_overdue_initiative_free (BuurtenOverdueInitiative *overdue)
{
  if (overdue == NULL)
    return;
  buurten_initiative_free (overdue->initiative);
  g_free (overdue);
}

static int
compare_overdue (gconstpointer a,
                 gconstpointer b)
{
  const BuurtenOverdueInitiative *x = *(BuurtenOverdueInitiative * const *) a;
  const BuurtenOverdueInitiative *y = *(BuurtenOverdueInitiative * const *) b;

  if (x->days_late != y->days_late)
    return x->days_late > y->days_late ? -1 : 1;
  return g_strcmp0 (x->initiative->id, y->initiative->id);
}

GPtrArray *
buurten_store_overdue_initiatives (BuurtenStore  *store,
                                   const char    *wijk,
                                   guint          weeks,
                                   const GDate   *today,
                                   GError       **error)
{
  g_autoptr(GPtrArray) initiatives = NULL;
  GPtrArray *overdue;

  g_return_val_if_fail (BUURTEN_IS_STORE (store), NULL);
  g_return_val_if_fail (today != NULL && g_date_valid (today), NULL);

  overdue = g_ptr_array_new_with_free_func ((GDestroyNotify) buurten_overdue_initiative_free);
  if (weeks == 0)
    return overdue;

  initiatives = buurten_store_list (store, &buurten_initiative_info,
                                    wijk != NULL ? "wijk" : NULL, wijk, error);
  if (initiatives == NULL)
    {
      g_ptr_array_unref (overdue);
      return NULL;
    }
  g_ptr_array_set_free_func (initiatives, (GDestroyNotify) buurten_initiative_free);

  /* The term is core's rule; the store only gathers what it says is late. */
  for (guint i = 0; i < initiatives->len; i++)
    {
      BuurtenInitiative *initiative = g_ptr_array_index (initiatives, i);
      BuurtenOverdueInitiative *late;
      GDate due;
      gint days_left;

      if (!buurten_initiative_decision_term (initiative->state, &initiative->submitted_on, weeks,
                                             today, &due, &days_left) ||
          days_left >= 0)
        continue;

      late = g_new0 (BuurtenOverdueInitiative, 1);
      late->initiative = g_ptr_array_steal_index_fast (initiatives, i);
      late->due = due;
      late->days_late = -days_left;
      g_ptr_array_add (overdue, late);
      i--;
    }

  g_ptr_array_sort (overdue, compare_overdue);
  return overdue;
}

GPtrArray *
buurten_store_list_overdue_initiatives (BuurtenStore  *store,
                                        const GDate   *today,
                                        GError       **error)
{
  g_autoptr(BuurtenMunicipality) municipality = NULL;

  g_return_val_if_fail (BUURTEN_IS_STORE (store), NULL);

  /* No municipality yet (a new, empty store): no term, nothing late. */
  municipality = buurten_store_load_municipality (store, NULL);
  return buurten_store_overdue_initiatives (store, NULL,
                                            municipality != NULL
                                              ? buurten_municipality_decision_term_weeks (municipality)
                                              : 0,
                                            today, error);
}
