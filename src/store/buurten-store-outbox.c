/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-store"

#include "config.h"

#include "buurten-store-private.h"

/* -- outbox, audit, meta -- */

GPtrArray *
buurten_store_outbox (BuurtenStore  *self,
                      GError       **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(BuurtenCachedStmt) stmt = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  int rc;

  g_return_val_if_fail (BUURTEN_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = g_rec_mutex_locker_new (&CONN (self)->mutex);
  stmt = prepare (self, "SELECT seq, name, args_json, created_at FROM outbox ORDER BY seq",
                  error);
  if (stmt == NULL)
    return NULL;

  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) buurten_outbox_entry_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BuurtenOutboxEntry *entry = g_new0 (BuurtenOutboxEntry, 1);

      entry->seq = sqlite3_column_int64 (stmt, 0);
      entry->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      entry->args_json = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      entry->created_at = sqlite3_column_int64 (stmt, 3);
      g_ptr_array_add (entries, entry);
    }
  if (rc != SQLITE_DONE)
    {
      set_db_error (self, error, rc, "outbox");
      return NULL;
    }
  return g_steal_pointer (&entries);
}

/* One count(*) statement; -1 with error set on failure. */
gint64
count_rows (BuurtenStore  *self,
            const char    *sql,
            const char    *what,
            GError       **error)
{
  g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&CONN (self)->mutex);
  g_autoptr(BuurtenCachedStmt) stmt = prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return -1;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      set_db_error (self, error, rc, what);
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}

gint64
buurten_store_outbox_count (BuurtenStore  *self,
                            GError       **error)
{
  g_return_val_if_fail (BUURTEN_IS_STORE (self), -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  return count_rows (self, "SELECT count(*) FROM outbox", "outbox", error);
}

gboolean
buurten_store_outbox_remove (BuurtenStore  *self,
                             gint64         up_to_seq,
                             GError       **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  gboolean ok;

  g_return_val_if_fail (BUURTEN_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* One statement: it fails as a whole, no savepoint needed. */
  locker = g_rec_mutex_locker_new (&CONN (self)->mutex);
  if (!write_begin (self, FALSE, error))
    return FALSE;
  {
    g_autoptr(BuurtenCachedStmt) stmt = prepare (self, "DELETE FROM outbox WHERE seq <= ?1",
                                                 error);

    ok = stmt != NULL;
    if (ok)
      {
        sqlite3_bind_int64 (stmt, 1, up_to_seq);
        ok = step_done (self, stmt, "outbox", error);
      }
  }
  return write_end (self, FALSE, ok, FALSE, ok ? error : NULL);
}

GPtrArray *
buurten_store_history (BuurtenStore  *self,
                       const char    *object_type,
                       const char    *object_id,
                       GError       **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(BuurtenCachedStmt) stmt = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  int rc;

  g_return_val_if_fail (BUURTEN_IS_STORE (self), NULL);
  g_return_val_if_fail (object_type != NULL, NULL);
  g_return_val_if_fail (object_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = g_rec_mutex_locker_new (&CONN (self)->mutex);
  stmt = prepare (self,
                  "SELECT at, actor, \"action\", object_type, object_id, summary FROM audit "
                  "WHERE object_type = ?1 AND object_id = ?2 ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, object_type, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, object_id, -1, SQLITE_STATIC);

  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) buurten_audit_entry_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BuurtenAuditEntry *entry = g_new0 (BuurtenAuditEntry, 1);

      entry->at = sqlite3_column_int64 (stmt, 0);
      entry->actor = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      entry->action = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      entry->object_type = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      entry->object_id = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      entry->summary = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
      g_ptr_array_add (entries, entry);
    }
  if (rc != SQLITE_DONE)
    {
      set_db_error (self, error, rc, "audit");
      return NULL;
    }
  return g_steal_pointer (&entries);
}

char *
buurten_store_get_meta (BuurtenStore  *self,
                        const char    *key,
                        GError       **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(BuurtenCachedStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (BUURTEN_IS_STORE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = g_rec_mutex_locker_new (&CONN (self)->mutex);
  stmt = prepare (self, "SELECT value FROM meta WHERE key = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  if (rc == SQLITE_DONE)
    g_set_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_NOT_FOUND,
                 "meta %s: not set", key);
  else
    set_db_error (self, error, rc, "meta");
  return NULL;
}

gboolean
buurten_store_set_meta (BuurtenStore  *self,
                        const char    *key,
                        const char    *value,
                        GError       **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  gboolean ok;

  g_return_val_if_fail (BUURTEN_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* One statement: it fails as a whole, no savepoint needed. */
  locker = g_rec_mutex_locker_new (&CONN (self)->mutex);
  if (!write_begin (self, FALSE, error))
    return FALSE;
  {
    g_autoptr(BuurtenCachedStmt) stmt =
      prepare (self, value != NULL
               ? "INSERT INTO meta (key, value) VALUES (?1, ?2) "
                 "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
               : "DELETE FROM meta WHERE key = ?1", error);

    ok = stmt != NULL;
    if (ok)
      {
        sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
        if (value != NULL)
          sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
        ok = step_done (self, stmt, "meta", error);
      }
  }
  return write_end (self, FALSE, ok, FALSE, ok ? error : NULL);
}
