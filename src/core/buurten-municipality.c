/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-municipality"

#include "config.h"

#include "buurten-municipality-private.h"

#include <glib/gi18n.h>

#include "buurten-money.h"

G_DEFINE_FINAL_TYPE (BuurtenMunicipality, buurten_municipality, G_TYPE_OBJECT)

/* ---- plain data ------------------------------------------------------ */

static void
wijk_free (gpointer data)
{
  BuurtenWijk *wijk = data;

  g_free (wijk->id);
  g_free (wijk->name);
  g_free (wijk->cluster);
  g_free (wijk);
}

static void
cluster_free (gpointer data)
{
  BuurtenCluster *cluster = data;

  g_free (cluster->id);
  g_free (cluster->name);
  g_free (cluster);
}

void
buurten_municipality_free_budget_table (gpointer data)
{
  BuurtenBudgetTable *table = data;

  g_clear_pointer (&table->wijken, g_ptr_array_unref);
  g_clear_pointer (&table->pots, g_ptr_array_unref);
  g_free (table);
}

void
buurten_municipality_free_mandate_table (gpointer data)
{
  BuurtenMandateTable *table = data;

  g_clear_pointer (&table->bands, g_ptr_array_unref);
  g_free (table);
}

/* The sum of a budget table: every wijk's subsidy and handgeld and every
 * pot; FALSE when it overflows. */
gboolean
buurten_municipality_table_total (const BuurtenBudgetTable *table,
                                  gint64                   *out)
{
  gint64 total = 0;

  for (guint i = 0; i < table->wijken->len; i++)
    {
      const BuurtenWijkBudget *budget = g_ptr_array_index (table->wijken, i);

      if (!buurten_money_add (total, budget->subsidy_cents, &total) ||
          !buurten_money_add (total, budget->handgeld_cents, &total))
        return FALSE;
    }

  for (guint i = 0; i < table->pots->len; i++)
    {
      const BuurtenPot *pot = g_ptr_array_index (table->pots, i);

      if (!buurten_money_add (total, pot->budget_cents, &total))
        return FALSE;
    }

  *out = total;
  return TRUE;
}

/* ---- GObject ------------------------------------------------------ */

static void
buurten_municipality_finalize (GObject *object)
{
  BuurtenMunicipality *self = (BuurtenMunicipality *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_clear_pointer (&self->wijk_index, g_hash_table_unref);
  g_clear_pointer (&self->cluster_index, g_hash_table_unref);
  g_clear_pointer (&self->wijken, g_ptr_array_unref);
  g_clear_pointer (&self->clusters, g_ptr_array_unref);
  g_clear_pointer (&self->budget_tables, g_ptr_array_unref);
  g_clear_pointer (&self->mandate_tables, g_ptr_array_unref);
  for (guint i = 0; i < BUURTEN_N_ROLES; i++)
    g_clear_pointer (&self->role_names[i], g_free);
  g_clear_pointer (&self->letterhead_name, g_free);
  g_clear_pointer (&self->letterhead_lines, g_strfreev);
  g_clear_pointer (&self->objection_to, g_free);
  g_clear_pointer (&self->objection_lines, g_strfreev);

  G_OBJECT_CLASS (buurten_municipality_parent_class)->finalize (object);
}

static void
buurten_municipality_class_init (BuurtenMunicipalityClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = buurten_municipality_finalize;
}

static void
buurten_municipality_init (BuurtenMunicipality *self)
{
  self->wijken = g_ptr_array_new_with_free_func (wijk_free);
  self->clusters = g_ptr_array_new_with_free_func (cluster_free);
  self->wijk_index = g_hash_table_new (g_str_hash, g_str_equal);
  self->cluster_index = g_hash_table_new (g_str_hash, g_str_equal);
  self->budget_tables = g_ptr_array_new_with_free_func (buurten_municipality_free_budget_table);
  self->mandate_tables = g_ptr_array_new_with_free_func (buurten_municipality_free_mandate_table);
  for (guint i = 0; i < N_REQUEST_TYPES; i++)
    self->answer_terms[i] = DEFAULT_ANSWER_TERM;
}

/* ---- queries ------------------------------------------------------- */


const char *
buurten_municipality_get_id (BuurtenMunicipality *self)
{
  g_return_val_if_fail (BUURTEN_IS_MUNICIPALITY (self), NULL);

  return self->id;
}

const char *
buurten_municipality_get_name (BuurtenMunicipality *self)
{
  g_return_val_if_fail (BUURTEN_IS_MUNICIPALITY (self), NULL);

  return self->name;
}

const char *
buurten_municipality_get_letterhead_name (BuurtenMunicipality *self)
{
  g_return_val_if_fail (BUURTEN_IS_MUNICIPALITY (self), NULL);

  return self->letterhead_name != NULL ? self->letterhead_name : self->name;
}

const char * const *
buurten_municipality_get_letterhead_lines (BuurtenMunicipality *self)
{
  static const char * const none[] = { NULL };

  g_return_val_if_fail (BUURTEN_IS_MUNICIPALITY (self), NULL);

  return self->letterhead_lines != NULL ? (const char * const *) self->letterhead_lines : none;
}

GBytes *
buurten_municipality_get_bytes (BuurtenMunicipality *self)
{
  g_return_val_if_fail (BUURTEN_IS_MUNICIPALITY (self), NULL);

  return self->bytes;
}

GPtrArray *
buurten_municipality_get_wijken (BuurtenMunicipality *self)
{
  g_return_val_if_fail (BUURTEN_IS_MUNICIPALITY (self), NULL);

  return self->wijken;
}

GPtrArray *
buurten_municipality_get_clusters (BuurtenMunicipality *self)
{
  g_return_val_if_fail (BUURTEN_IS_MUNICIPALITY (self), NULL);

  return self->clusters;
}

const BuurtenWijk *
buurten_municipality_lookup_wijk (BuurtenMunicipality *self,
                                  const char          *id)
{
  g_return_val_if_fail (BUURTEN_IS_MUNICIPALITY (self), NULL);

  if (id == NULL)
    return NULL;

  return g_hash_table_lookup (self->wijk_index, id);
}

const BuurtenCluster *
buurten_municipality_lookup_cluster (BuurtenMunicipality *self,
                                     const char          *id)
{
  g_return_val_if_fail (BUURTEN_IS_MUNICIPALITY (self), NULL);

  if (id == NULL)
    return NULL;

  return g_hash_table_lookup (self->cluster_index, id);
}

GPtrArray *
buurten_municipality_get_budget_tables (BuurtenMunicipality *self)
{
  g_return_val_if_fail (BUURTEN_IS_MUNICIPALITY (self), NULL);

  return self->budget_tables;
}

GPtrArray *
buurten_municipality_get_mandate_tables (BuurtenMunicipality *self)
{
  g_return_val_if_fail (BUURTEN_IS_MUNICIPALITY (self), NULL);

  return self->mandate_tables;
}

const BuurtenBudgetTable *
buurten_municipality_get_budget_table (BuurtenMunicipality *self,
                                       int                  year)
{
  g_return_val_if_fail (BUURTEN_IS_MUNICIPALITY (self), NULL);

  /* A table stays valid until a later year replaces it. */
  for (guint i = self->budget_tables->len; i > 0; i--)
    {
      const BuurtenBudgetTable *table = g_ptr_array_index (self->budget_tables, i - 1);

      if (table->valid_from <= year)
        return table;
    }

  return NULL;
}

const BuurtenMandateTable *
buurten_municipality_get_mandate_table (BuurtenMunicipality *self,
                                        int                  year)
{
  g_return_val_if_fail (BUURTEN_IS_MUNICIPALITY (self), NULL);

  for (guint i = self->mandate_tables->len; i > 0; i--)
    {
      const BuurtenMandateTable *table = g_ptr_array_index (self->mandate_tables, i - 1);

      if (table->valid_from <= year)
        return table;
    }

  return NULL;
}

gint64
buurten_municipality_wijk_budget (BuurtenMunicipality *self,
                                  const char          *wijk,
                                  int                  year)
{
  const BuurtenBudgetTable *table;

  g_return_val_if_fail (BUURTEN_IS_MUNICIPALITY (self), -1);

  table = buurten_municipality_get_budget_table (self, year);
  if (table == NULL || wijk == NULL)
    return -1;

  for (guint i = 0; i < table->wijken->len; i++)
    {
      const BuurtenWijkBudget *budget = g_ptr_array_index (table->wijken, i);

      if (g_str_equal (budget->wijk, wijk))
        return budget->subsidy_cents + budget->handgeld_cents;
    }

  return -1;
}

gint64
buurten_municipality_pot_budget (BuurtenMunicipality *self,
                                 const char          *pot,
                                 int                  year)
{
  const BuurtenBudgetTable *table;

  g_return_val_if_fail (BUURTEN_IS_MUNICIPALITY (self), -1);

  table = buurten_municipality_get_budget_table (self, year);
  if (table == NULL || pot == NULL)
    return -1;

  for (guint i = 0; i < table->pots->len; i++)
    {
      const BuurtenPot *p = g_ptr_array_index (table->pots, i);

      if (g_str_equal (p->id, pot))
        return p->budget_cents;
    }

  return -1;
}

gint64
buurten_municipality_total_budget (BuurtenMunicipality *self,
                                   int                  year)
{
  const BuurtenBudgetTable *table;
  gint64 total;

  g_return_val_if_fail (BUURTEN_IS_MUNICIPALITY (self), -1);

  table = buurten_municipality_get_budget_table (self, year);
  if (table == NULL || !buurten_municipality_table_total (table, &total))
    return -1;

  return total;
}

guint
buurten_municipality_answer_term (BuurtenMunicipality *self,
                                  BuurtenRequestType   type)
{
  g_return_val_if_fail (BUURTEN_IS_MUNICIPALITY (self), DEFAULT_ANSWER_TERM);
  g_return_val_if_fail ((guint) type < N_REQUEST_TYPES, DEFAULT_ANSWER_TERM);

  return self->answer_terms[type];
}

guint
buurten_municipality_decision_term_weeks (BuurtenMunicipality *self)
{
  g_return_val_if_fail (BUURTEN_IS_MUNICIPALITY (self), 0);

  return self->decision_term_weeks;
}

guint
buurten_municipality_accounting_term_weeks (BuurtenMunicipality *self)
{
  g_return_val_if_fail (BUURTEN_IS_MUNICIPALITY (self), DEFAULT_ACCOUNTING_WEEKS);

  return self->accounting_term_weeks > 0 ? self->accounting_term_weeks
                                         : DEFAULT_ACCOUNTING_WEEKS;
}

guint
buurten_municipality_objection_weeks (BuurtenMunicipality *self)
{
  g_return_val_if_fail (BUURTEN_IS_MUNICIPALITY (self), DEFAULT_OBJECTION_WEEKS);

  return self->objection_weeks > 0 ? self->objection_weeks : DEFAULT_OBJECTION_WEEKS;
}

const char *
buurten_municipality_objection_to (BuurtenMunicipality *self)
{
  g_return_val_if_fail (BUURTEN_IS_MUNICIPALITY (self), NULL);

  return self->objection_to != NULL ? self->objection_to
                                    : buurten_municipality_get_letterhead_name (self);
}

const char * const *
buurten_municipality_objection_lines (BuurtenMunicipality *self)
{
  g_return_val_if_fail (BUURTEN_IS_MUNICIPALITY (self), NULL);

  return self->objection_lines != NULL ? (const char * const *) self->objection_lines
                                       : buurten_municipality_get_letterhead_lines (self);
}

const char *
buurten_municipality_role_name (BuurtenMunicipality *self,
                                BuurtenRole          role)
{
  g_return_val_if_fail (BUURTEN_IS_MUNICIPALITY (self), NULL);
  g_return_val_if_fail ((guint) role < BUURTEN_N_ROLES, NULL);

  if (self->role_names[role] != NULL)
    return self->role_names[role];

  return buurten_role_label (role);
}

const char *
buurten_role_label (BuurtenRole role)
{
  switch (role)
    {
    case BUURTEN_ROLE_BUURTCOORDINATOR:        return _("buurtcoördinator");
    case BUURTEN_ROLE_WIJKWETHOUDER:           return _("wijkwethouder");
    case BUURTEN_ROLE_WETHOUDER_BUURTEN:       return _("wethouder buurten");
    case BUURTEN_ROLE_TEAMMANAGER_SAMENLEVING: return _("teammanager samenleving");
    case BUURTEN_ROLE_PARTNER:                 return _("wijkteam partner");
    case BUURTEN_ROLE_ADMIN:                   return _("administrator");
    case BUURTEN_N_ROLES:
    default:
      g_return_val_if_reached (NULL);
    }
}
