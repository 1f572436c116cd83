/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-store"

#include "config.h"

#include "buurten-store-private.h"

/* -- budgets -- */

typedef gboolean (*LedgerAddFunc) (BuurtenLedger *ledger,
                                   gconstpointer  entity,
                                   GError       **error);

/* Feeds every row of a query to the ledger. The rows are read into a
 * borrowed struct on the stack: no copies, no allocations per row. An
 * entry the ledger refuses (an unknown wijk, say) is left out, as the
 * ledger itself would; it is not a reason to show no budget at all. */
static gboolean
feed_ledger (BuurtenStore             *self,
             BuurtenLedger            *ledger,
             const BuurtenEntityInfo  *info,
             LedgerAddFunc             add,
             const char               *sql,
             const char               *wijk,
             int                       year,
             GError                  **error)
{
  g_autoptr(BuurtenCachedStmt) stmt = prepare (self, sql, error);
  gpointer row;
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int (stmt, 1, year);
  if (wijk != NULL)
    sqlite3_bind_text (stmt, 2, wijk, -1, SQLITE_STATIC);

  row = g_alloca (info->size);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(GError) local_error = NULL;

      memset (row, 0, info->size);
      if (!read_entity (info, stmt, row, TRUE, error))
        return FALSE;
      if (!add (ledger, row, &local_error))
        g_debug ("ledger %d: %s left out: %s", year, info->name, local_error->message);
    }
  if (rc != SQLITE_DONE)
    {
      set_db_error (self, error, rc, info->name);
      return FALSE;
    }
  return TRUE;
}

/* Typed adapters, so that no function is called through a cast pointer. */
static gboolean
add_commitment (BuurtenLedger *ledger, gconstpointer row, GError **error)
{
  return buurten_ledger_add_commitment (ledger, row, error);
}

static gboolean
add_payment (BuurtenLedger *ledger, gconstpointer row, GError **error)
{
  return buurten_ledger_add_payment (ledger, row, error);
}

static gboolean
add_transfer (BuurtenLedger *ledger, gconstpointer row, GError **error)
{
  return buurten_ledger_add_transfer (ledger, row, error);
}

static gboolean
add_carry_over (BuurtenLedger *ledger, gconstpointer row, GError **error)
{
  return buurten_ledger_add_carry_over (ledger, row, error);
}

static char *
ledger_sql (const BuurtenEntityInfo *info,
            const char              *prefix,
            const char              *rest)
{
  GString *sql = g_string_new ("SELECT ");

  append_columns (sql, info, prefix);
  g_string_append_printf (sql, " %s", rest);
  return g_string_free (sql, FALSE);
}

/* The commitments of one wijk and year, summed per funding, state and
 * theme, with what was paid on them (commitment.paid_cents, kept by
 * add_paid()). Each sum goes to the ledger as one commitment and
 * one payment: the ledger's arithmetic is linear, so the thermometer comes
 * out the same as when it is fed 10 000 rows one by one, at a fraction of
 * the cost (the ledger hashes every id it is given). Read from one
 * covering index. A commitment paid beyond its amount (which the server
 * refuses) is left to feed_wijk_overpaid(): the ledger then drops the
 * payment that goes over, which depends on their order. */
static gboolean
feed_wijk_sums (BuurtenStore   *self,
                BuurtenLedger  *ledger,
                const char     *wijk,
                int             year,
                GError        **error)
{
  g_autoptr(BuurtenCachedStmt) stmt =
    prepare (self,
             "SELECT funding, state, theme, sum(amount_cents), "
             "  sum(CASE WHEN state = ?3 THEN paid_cents ELSE 0 END), "
             "  sum(CASE WHEN state = ?3 THEN released_cents ELSE 0 END) "
             "FROM commitment WHERE wijk = ?2 AND year = ?1 "
             "AND paid_cents <= amount_cents - released_cents "
             "GROUP BY funding, state, theme", error);
  guint n = 0;
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, year);
  sqlite3_bind_text (stmt, 2, wijk, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, buurten_commitment_state_ids[BUURTEN_COMMITMENT_APPROVED], -1,
                     SQLITE_STATIC);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(GError) local_error = NULL;
      char id[32];
      BuurtenCommitment commitment = { 0 };
      BuurtenPayment payment = { 0 };
      int funding = buurten_enum_from_id (buurten_funding_ids,
                                          (const char *) sqlite3_column_text (stmt, 0));
      int state = buurten_enum_from_id (buurten_commitment_state_ids,
                                        (const char *) sqlite3_column_text (stmt, 1));

      if (funding < 0 || state < 0)
        {
          g_set_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_CORRUPT,
                       "commitment: unknown funding or state in the store");
          return FALSE;
        }

      g_snprintf (id, sizeof id, "sum-%u", n++);
      commitment.id = id;
      commitment.wijk = (char *) wijk;
      commitment.funding = funding;
      commitment.year = year;
      commitment.theme = (char *) sqlite3_column_text (stmt, 2);
      commitment.amount_cents = sqlite3_column_int64 (stmt, 3);
      commitment.released_cents = sqlite3_column_int64 (stmt, 5);
      commitment.state = state;
      if (!buurten_ledger_add_commitment (ledger, &commitment, &local_error))
        {
          g_debug ("ledger %d: commitments left out: %s", year, local_error->message);
          continue;
        }

      payment.id = id;
      payment.commitment_id = id;
      payment.amount_cents = sqlite3_column_int64 (stmt, 4);
      g_date_set_dmy (&payment.paid_on, 1, 1, (GDateYear) CLAMP (year, 1, 9999));
      if (payment.amount_cents > 0 &&
          !buurten_ledger_add_payment (ledger, &payment, &local_error))
        g_debug ("ledger %d: payments left out: %s", year, local_error->message);
    }
  if (rc != SQLITE_DONE)
    {
      set_db_error (self, error, rc, "commitment");
      return FALSE;
    }
  return TRUE;
}

static gboolean
feed_wijk_overpaid (BuurtenStore   *self,
                    BuurtenLedger  *ledger,
                    const char     *wijk,
                    int             year,
                    GError        **error)
{
  g_autofree char *commitments =
    ledger_sql (&buurten_commitment_info, "",
                "FROM commitment WHERE wijk = ?2 AND year = ?1 "
                "AND paid_cents > amount_cents - released_cents");
  g_autofree char *payments =
    ledger_sql (&buurten_payment_info, "",
                "FROM payment WHERE commitment_id = ?1 ORDER BY rowid");
  g_autoptr(BuurtenCachedStmt) stmt = prepare (self, commitments, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, year);
  sqlite3_bind_text (stmt, 2, wijk, -1, SQLITE_STATIC);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(BuurtenCachedStmt) paid = NULL;
      BuurtenCommitment commitment = { 0 };

      if (!read_entity (&buurten_commitment_info, stmt, &commitment, TRUE, error))
        return FALSE;
      if (!buurten_ledger_add_commitment (ledger, &commitment, &local_error))
        {
          g_debug ("ledger %d: commitment left out: %s", year, local_error->message);
          continue;
        }

      paid = prepare (self, payments, error);
      if (paid == NULL)
        return FALSE;
      sqlite3_bind_text (paid, 1, commitment.id, -1, SQLITE_STATIC);
      while ((rc = sqlite3_step (paid)) == SQLITE_ROW)
        {
          BuurtenPayment payment = { 0 };

          if (!read_entity (&buurten_payment_info, paid, &payment, TRUE, error))
            return FALSE;
          if (!buurten_ledger_add_payment (ledger, &payment, &local_error))
            {
              g_debug ("ledger %d: payment left out: %s", year, local_error->message);
              g_clear_error (&local_error);
            }
        }
      if (rc != SQLITE_DONE)
        {
          set_db_error (self, error, rc, "payment");
          return FALSE;
        }
    }
  if (rc != SQLITE_DONE)
    {
      set_db_error (self, error, rc, "commitment");
      return FALSE;
    }
  return TRUE;
}

static BuurtenLedger *
fill_ledger (BuurtenStore         *self,
             BuurtenMunicipality  *municipality,
             const char           *wijk,
             int                   year,
             GError              **error)
{
  g_autoptr(BuurtenLedger) ledger = buurten_ledger_new (municipality, year);
  g_autofree char *commitments = NULL;
  g_autofree char *payments = NULL;
  g_autofree char *transfers = NULL;
  g_autofree char *carry_overs = NULL;

  /* ?1 is the year, ?2 the wijk when there is one. For the whole city
   * every row goes to the ledger, which the caller may go on feeding; one
   * wijk's thermometer is fed sums (feed_wijk_sums()). Payments count in
   * the year of their commitment, so they are found through it. */
  if (wijk != NULL)
    {
      transfers = ledger_sql (&buurten_transfer_info, "",
                              "FROM transfer WHERE year = ?1 "
                              "AND (from_wijk = ?2 OR to_wijk = ?2)");
      carry_overs = ledger_sql (&buurten_carry_over_info, "",
                                "FROM carry_over WHERE wijk = ?2 "
                                "AND from_year IN (?1 - 1, ?1)");
    }
  else
    {
      commitments = ledger_sql (&buurten_commitment_info, "",
                                "FROM commitment WHERE year = ?1");
      payments = ledger_sql (&buurten_payment_info, "p.",
                             "FROM payment AS p JOIN commitment AS c ON c.id = p.commitment_id "
                             "WHERE c.year = ?1");
      transfers = ledger_sql (&buurten_transfer_info, "", "FROM transfer WHERE year = ?1");
      carry_overs = ledger_sql (&buurten_carry_over_info, "",
                                "FROM carry_over WHERE from_year IN (?1 - 1, ?1)");
    }

  if (wijk != NULL &&
      (!feed_wijk_sums (self, ledger, wijk, year, error) ||
       !feed_wijk_overpaid (self, ledger, wijk, year, error)))
    return NULL;
  if (wijk == NULL &&
      (!feed_ledger (self, ledger, &buurten_commitment_info,
                     add_commitment, commitments, NULL, year, error) ||
       !feed_ledger (self, ledger, &buurten_payment_info,
                     add_payment, payments, NULL, year, error)))
    return NULL;
  if (!feed_ledger (self, ledger, &buurten_transfer_info,
                    add_transfer, transfers, wijk, year,
                    error) ||
      !feed_ledger (self, ledger, &buurten_carry_over_info,
                    add_carry_over, carry_overs, wijk, year,
                    error))
    return NULL;

  return g_steal_pointer (&ledger);
}

BuurtenLedger *
buurten_store_ledger (BuurtenStore         *self,
                      BuurtenMunicipality  *municipality,
                      int                   year,
                      GError              **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  BuurtenLedger *ledger;
  gboolean in_read;

  g_return_val_if_fail (BUURTEN_IS_STORE (self), NULL);
  g_return_val_if_fail (BUURTEN_IS_MUNICIPALITY (municipality), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = g_rec_mutex_locker_new (&CONN (self)->mutex);
  in_read = read_begin (self);
  ledger = fill_ledger (self, municipality, NULL, year, error);
  read_end (self, in_read);
  return ledger;
}

BuurtenThermometer *
buurten_store_thermometer (BuurtenStore         *self,
                           BuurtenMunicipality  *municipality,
                           const char           *wijk,
                           int                   year,
                           GError              **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(BuurtenLedger) ledger = NULL;
  BuurtenThermometer *thermometer;
  gboolean in_read;

  g_return_val_if_fail (BUURTEN_IS_STORE (self), NULL);
  g_return_val_if_fail (BUURTEN_IS_MUNICIPALITY (municipality), NULL);
  g_return_val_if_fail (wijk != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = g_rec_mutex_locker_new (&CONN (self)->mutex);
  in_read = read_begin (self);
  ledger = fill_ledger (self, municipality, wijk, year, error);
  read_end (self, in_read);
  if (ledger == NULL)
    return NULL;

  thermometer = buurten_ledger_wijk (ledger, wijk);
  if (thermometer == NULL)
    g_set_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_NOT_FOUND,
                 _("The municipality has no wijk “%s”."), wijk);
  return thermometer;
}
