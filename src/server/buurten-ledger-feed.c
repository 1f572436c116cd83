/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-server"

#include "config.h"

#include "buurten-ledger-feed.h"

#include "buurten-db.h"

/* The database's rows into core's ledger: the server selects candidate
 * rows, the ledger decides what counts (recorded moves count nothing,
 * cancelled commitments release their money). */

/* ---- the budget ledger ---------------------------------------------------- */

void
buurten_ledger_feed (BuurtenLedger *ledger,
                     PGresult      *rows,
                     int            year)
{
  g_return_if_fail (ledger != NULL);
  g_return_if_fail (rows != NULL);

  for (int i = 0; i < PQntuples (rows); i++)
    {
      const char *type = buurten_db_get (rows, i, 0);
      const BuurtenEntityInfo *info = type != NULL ? buurten_entity_info_lookup (type) : NULL;
      g_autoptr(GError) local_error = NULL;
      g_autoptr(JsonNode) node = NULL;
      gpointer entity;
      gboolean added = FALSE;

      if (info == NULL)
        continue;

      node = buurten_json_parse (buurten_db_get (rows, i, 1), -1, 16, &local_error);
      entity = node != NULL ? buurten_entity_from_json (info, node, &local_error) : NULL;
      if (entity == NULL)
        {
          g_warning ("cannot read a stored %s: %s", type, local_error->message);
          continue;
        }

      if (info == &buurten_commitment_info)
        added = buurten_ledger_add_commitment (ledger, entity, &local_error);
      else if (info == &buurten_payment_info)
        added = buurten_ledger_add_payment (ledger, entity, &local_error);
      else if (info == &buurten_transfer_info)
        added = buurten_ledger_add_transfer (ledger, entity, &local_error);
      else if (info == &buurten_carry_over_info)
        added = buurten_ledger_add_carry_over (ledger, entity, &local_error);

      if (!added && local_error != NULL)
        g_warning ("the ledger of %d skips a %s: %s", year, type, local_error->message);

      buurten_entity_free (info, entity);
    }
}

BuurtenLedger *
buurten_load_ledger (PGconn               *conn,
                     BuurtenMunicipality  *municipality,
                     int                   year,
                     GError              **error)
{
  g_autoptr(BuurtenLedger) ledger = NULL;
  g_autoptr(PGresult) result = NULL;
  g_autofree char *year_text = g_strdup_printf ("%d", year);
  g_autofree char *previous_text = g_strdup_printf ("%d", year - 1);

  ledger = buurten_ledger_new (municipality, year);
  if (ledger == NULL)
    {
      g_set_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_NOT_FOUND,
                   "There is no budget for %d.", year);
      return NULL;
    }

  /* Commitments before the payments on them. */
  result = BUURTEN_DB_EXEC (conn, error,
                            "SELECT type, data::text FROM objects"
                            " WHERE NOT deleted AND ("
                            "  (type IN ('commitment', 'transfer') AND data ->> 'year' = $1)"
                            "  OR (type = 'carry_over' AND data ->> 'from_year' IN ($1, $2))"
                            "  OR (type = 'payment' AND data ->> 'commitment_id' IN"
                            "   (SELECT id::text FROM objects"
                            "    WHERE type = 'commitment' AND data ->> 'year' = $1)))"
                            " ORDER BY CASE type WHEN 'commitment' THEN 0"
                            "  WHEN 'payment' THEN 1 ELSE 2 END, created_at, id",
                            year_text, previous_text);
  if (result == NULL)
    return NULL;

  buurten_ledger_feed (ledger, result, year);
  return g_steal_pointer (&ledger);
}
