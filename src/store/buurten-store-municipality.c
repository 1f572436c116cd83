/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-store"

#include "config.h"

#include "buurten-store-private.h"

/* -- municipality -- */

static const char *
role_id (BuurtenRole role)
{
  if ((int) role < 0 || role >= BUURTEN_N_ROLES)
    return "";
  return buurten_role_ids[role];
}

static gboolean
import_municipality_rows (BuurtenStore         *self,
                          BuurtenMunicipality  *municipality,
                          GError              **error)
{
  static const char * const clear[] = {
    "DELETE FROM mandate_band", "DELETE FROM mandate_table", "DELETE FROM pot",
    "DELETE FROM budget_table", "DELETE FROM wijk", "DELETE FROM cluster",
    "DELETE FROM municipality",
  };
  GBytes *bytes = buurten_municipality_get_bytes (municipality);  /* borrowed */
  GPtrArray *budget_tables = buurten_municipality_get_budget_tables (municipality);
  GPtrArray *mandate_tables = buurten_municipality_get_mandate_tables (municipality);
  GPtrArray *clusters = buurten_municipality_get_clusters (municipality);
  GPtrArray *wijken = buurten_municipality_get_wijken (municipality);

  for (guint i = 0; i < G_N_ELEMENTS (clear); i++)
    if (!exec_cached (self, clear[i], error))
      return FALSE;

  {
    g_autoptr(BuurtenCachedStmt) stmt =
      prepare (self, "INSERT INTO municipality (id, name, json, imported_at) "
               "VALUES (?1, ?2, ?3, ?4)", error);
    gsize len = 0;
    const char *data = bytes != NULL ? g_bytes_get_data (bytes, &len) : NULL;

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, buurten_municipality_get_id (municipality), -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 2, buurten_municipality_get_name (municipality), -1,
                       SQLITE_STATIC);
    sqlite3_bind_text (stmt, 3, data != NULL ? data : "", (int) len, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 4, now_seconds ());
    if (!step_done (self, stmt, "municipality", error))
      return FALSE;
  }

  for (guint i = 0; clusters != NULL && i < clusters->len; i++)
    {
      const BuurtenCluster *cluster = g_ptr_array_index (clusters, i);
      g_autoptr(BuurtenCachedStmt) stmt =
        prepare (self, "INSERT INTO cluster (id, name) VALUES (?1, ?2)", error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, cluster->id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, cluster->name, -1, SQLITE_STATIC);
      if (!step_done (self, stmt, "cluster", error))
        return FALSE;
    }

  for (guint i = 0; wijken != NULL && i < wijken->len; i++)
    {
      const BuurtenWijk *wijk = g_ptr_array_index (wijken, i);
      g_autoptr(BuurtenCachedStmt) stmt =
        prepare (self, "INSERT INTO wijk (id, name, cluster) VALUES (?1, ?2, ?3)", error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, wijk->id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, wijk->name, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, wijk->cluster, -1, SQLITE_STATIC);
      if (!step_done (self, stmt, "wijk", error))
        return FALSE;
    }

  for (guint i = 0; i < budget_tables->len; i++)
    {
      const BuurtenBudgetTable *table = g_ptr_array_index (budget_tables, i);

      for (guint j = 0; table->wijken != NULL && j < table->wijken->len; j++)
        {
          const BuurtenWijkBudget *row = g_ptr_array_index (table->wijken, j);
          g_autoptr(BuurtenCachedStmt) stmt =
            prepare (self, "INSERT INTO budget_table (valid_from, wijk, subsidy_cents, "
                     "handgeld_cents) VALUES (?1, ?2, ?3, ?4)", error);

          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_int (stmt, 1, table->valid_from);
          sqlite3_bind_text (stmt, 2, row->wijk, -1, SQLITE_STATIC);
          sqlite3_bind_int64 (stmt, 3, row->subsidy_cents);
          sqlite3_bind_int64 (stmt, 4, row->handgeld_cents);
          if (!step_done (self, stmt, "budget_table", error))
            return FALSE;
        }

      for (guint j = 0; table->pots != NULL && j < table->pots->len; j++)
        {
          const BuurtenPot *pot = g_ptr_array_index (table->pots, j);
          g_autoptr(BuurtenCachedStmt) stmt =
            prepare (self, "INSERT INTO pot (valid_from, id, name, budget_cents, hard_cap) "
                     "VALUES (?1, ?2, ?3, ?4, ?5)", error);

          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_int (stmt, 1, table->valid_from);
          sqlite3_bind_text (stmt, 2, pot->id, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 3, pot->name != NULL ? pot->name : pot->id, -1,
                             SQLITE_STATIC);
          sqlite3_bind_int64 (stmt, 4, pot->budget_cents);
          sqlite3_bind_int (stmt, 5, pot->hard_cap ? 1 : 0);
          if (!step_done (self, stmt, "pot", error))
            return FALSE;
        }
    }

  for (guint i = 0; i < mandate_tables->len; i++)
    {
      const BuurtenMandateTable *table = g_ptr_array_index (mandate_tables, i);

      {
        g_autoptr(BuurtenCachedStmt) stmt =
          prepare (self, "INSERT INTO mandate_table (valid_from, over_budget_role) "
                   "VALUES (?1, ?2)", error);

        if (stmt == NULL)
          return FALSE;
        sqlite3_bind_int (stmt, 1, table->valid_from);
        sqlite3_bind_text (stmt, 2, role_id (table->over_budget_role), -1, SQLITE_STATIC);
        if (!step_done (self, stmt, "mandate_table", error))
          return FALSE;
      }

      for (guint j = 0; table->bands != NULL && j < table->bands->len; j++)
        {
          const BuurtenMandateBand *band = g_ptr_array_index (table->bands, j);
          g_autoptr(GString) roles = g_string_new (NULL);
          g_autoptr(BuurtenCachedStmt) stmt =
            prepare (self, "INSERT INTO mandate_band (valid_from, position, funding, "
                     "min_exclusive_cents, max_inclusive_cents, allowed, roles, instrument, "
                     "refusal_code, way_forward) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", error);

          if (stmt == NULL)
            return FALSE;
          for (guint k = 0; band->roles != NULL && k < band->roles->len; k++)
            g_string_append_printf (roles, "%s%s", k > 0 ? "," : "",
                                    role_id (g_array_index (band->roles, BuurtenRole, k)));

          sqlite3_bind_int (stmt, 1, table->valid_from);
          sqlite3_bind_int (stmt, 2, (int) j);
          sqlite3_bind_text (stmt, 3, buurten_funding_ids[band->funding], -1, SQLITE_STATIC);
          sqlite3_bind_int64 (stmt, 4, band->min_exclusive_cents);
          sqlite3_bind_int64 (stmt, 5, band->max_inclusive_cents);
          sqlite3_bind_int (stmt, 6, band->allowed ? 1 : 0);
          sqlite3_bind_text (stmt, 7, roles->str, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 8, band->instrument, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 9, band->refusal_code, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 10, band->way_forward, -1, SQLITE_STATIC);
          if (!step_done (self, stmt, "mandate_band", error))
            return FALSE;
        }
    }

  return TRUE;
}

gboolean
buurten_store_import_municipality (BuurtenStore         *self,
                                   BuurtenMunicipality  *municipality,
                                   GError              **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  gboolean ok;

  g_return_val_if_fail (BUURTEN_IS_STORE (self), FALSE);
  g_return_val_if_fail (BUURTEN_IS_MUNICIPALITY (municipality), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Many statements that depend on each other, and rare: a savepoint. */
  locker = g_rec_mutex_locker_new (&CONN (self)->mutex);
  if (!write_begin (self, TRUE, error))
    return FALSE;
  ok = import_municipality_rows (self, municipality, error);
  return write_end (self, TRUE, ok, TRUE, ok ? error : NULL);
}

BuurtenMunicipality *
buurten_store_load_municipality (BuurtenStore  *self,
                                 GError       **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(BuurtenCachedStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (BUURTEN_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = g_rec_mutex_locker_new (&CONN (self)->mutex);
  stmt = prepare (self, "SELECT json FROM municipality ORDER BY imported_at DESC LIMIT 1",
                  error);
  if (stmt == NULL)
    return NULL;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_NOT_FOUND,
                   _("No municipality data has been imported yet."));
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      set_db_error (self, error, rc, "municipality");
      return NULL;
    }
  return buurten_municipality_new_from_data ((const char *) sqlite3_column_text (stmt, 0),
                                             sqlite3_column_bytes (stmt, 0), error);
}
