/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-store"

#include "config.h"

#include "buurten-store-private.h"

G_DEFINE_FINAL_TYPE (BuurtenStore, buurten_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (buurten-store-error-quark, buurten_store_error)

/* ---- small values --------------------------------------------------- */

void
buurten_search_hit_free (BuurtenSearchHit *hit)
{
  if (hit == NULL)
    return;
  g_free (hit->type);
  g_free (hit->id);
  g_free (hit->wijk);
  g_free (hit->title);
  g_free (hit->snippet);
  g_free (hit);
}

void
buurten_outbox_entry_free (BuurtenOutboxEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->name);
  g_free (entry->args_json);
  g_free (entry);
}

void
buurten_audit_entry_free (BuurtenAuditEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->actor);
  g_free (entry->action);
  g_free (entry->object_type);
  g_free (entry->object_id);
  g_free (entry->summary);
  g_free (entry);
}

/* ---- errors and statements ------------------------------------------ */

int
error_code_for (int rc)
{
  switch (rc & 0xff)
    {
    case SQLITE_CONSTRAINT:
      return BUURTEN_STORE_ERROR_CONSTRAINT;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return BUURTEN_STORE_ERROR_CORRUPT;
    default:
      return BUURTEN_STORE_ERROR_IO;
    }
}

void
set_db_error (BuurtenStore  *self,
              GError       **error,
              int            rc,
              const char    *what)
{
  g_set_error (error, BUURTEN_STORE_ERROR, error_code_for (rc),
               "%s: %s (%s)", what, sqlite3_errmsg (CONN (self)->db), sqlite3_errstr (rc));
}

void
set_corrupt_error (const char  *path,
                   GError     **error)
{
  g_set_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_CORRUPT,
               _("The file “%s” is not a Buurten database or it is damaged. "
                 "It was left untouched; move it aside or restore a backup."),
               path);
}

BuurtenCachedStmt *
prepare (BuurtenStore  *self,
         const char    *sql,
         GError       **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = g_hash_table_lookup (CONN (self)->statements, sql);
  if (stmt != NULL)
    return stmt;

  rc = sqlite3_prepare_v3 (CONN (self)->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_db_error (self, error, rc, "prepare");
      return NULL;
    }

  g_hash_table_insert (CONN (self)->statements, g_strdup (sql), stmt);
  return stmt;
}

/* Runs a statement without results to its end. */
gboolean
step_done (BuurtenStore  *self,
           sqlite3_stmt  *stmt,
           const char    *what,
           GError       **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    ;
  if (rc != SQLITE_DONE)
    {
      set_db_error (self, error, rc, what);
      return FALSE;
    }
  return TRUE;
}

gboolean
exec_cached (BuurtenStore  *self,
             const char    *sql,
             GError       **error)
{
  g_autoptr(BuurtenCachedStmt) stmt = prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  return step_done (self, stmt, sql, error);
}

gboolean
exec_script (BuurtenStore  *self,
             const char    *sql,
             GError       **error)
{
  int rc = sqlite3_exec (CONN (self)->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      set_db_error (self, error, rc, "exec");
      return FALSE;
    }
  return TRUE;
}

gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* ---- write transactions --------------------------------------------- */

/* A write opens its own BEGIN IMMEDIATE transaction, or joins the one
 * opened by buurten_store_begin().
 *
 * Inside a batch, a put or delete runs without a savepoint: FTS5 (SQLite
 * 3.40) writes its pending terms out as a new index segment at every
 * savepoint, and a savepoint per row made a bulk insert five times
 * slower. A failed write still leaves no trace in the usual cases, because
 * everything that can be refused is refused before the first row changes:
 * validation runs before the lock, and the entity's own statement (the
 * first write) fails as a whole on a foreign key or uniqueness rule. What
 * can only fail after the first write (a full disk, an I/O error) dooms the
 * batch instead: later writes in it fail at once and the outer commit
 * rolls everything back.
 *
 * Writes of several dependent statements that are rare (the municipality
 * import) ask for a savepoint. Call with the mutex held. */
gboolean
write_begin (BuurtenStore  *self,
             gboolean       savepoint,
             GError       **error)
{
  if (CONN (self)->depth > 0)
    {
      if (CONN (self)->doomed)
        {
          g_set_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_IO,
                       "an earlier write in this transaction failed or was rolled back; "
                       "roll the transaction back");
          return FALSE;
        }
      return !savepoint || exec_cached (self, "SAVEPOINT buurten_write", error);
    }
  return exec_cached (self, "BEGIN IMMEDIATE", error);
}

/* wrote: whether a statement of this write had already changed something
 * when it failed (only looked at when !ok). */
gboolean
write_end (BuurtenStore  *self,
           gboolean       savepoint,
           gboolean       ok,
           gboolean       wrote,
           GError       **error)
{
  if (CONN (self)->depth > 0)
    {
      if (savepoint)
        {
          if (ok && exec_cached (self, "RELEASE buurten_write", error))
            return TRUE;
          exec_cached (self, "ROLLBACK TO buurten_write", NULL);
          exec_cached (self, "RELEASE buurten_write", NULL);
          return FALSE;
        }
      /* Half written, or SQLite rolled the whole transaction back itself
       * (it does so on some I/O errors): the batch cannot be committed. */
      if (!ok && (wrote || sqlite3_get_autocommit (CONN (self)->db)))
        CONN (self)->doomed = TRUE;
      return ok;
    }

  if (ok && exec_cached (self, "COMMIT", error))
    return TRUE;
  if (!sqlite3_get_autocommit (CONN (self)->db))
    exec_cached (self, "ROLLBACK", NULL);
  return FALSE;
}

/* Several statements that read belong in one read transaction: each
 * statement on its own would take and drop WAL read locks (system calls
 * every time) and could see a different snapshot. Returns whether a
 * transaction was opened, for read_end(). */
gboolean
read_begin (BuurtenStore *self)
{
  if (CONN (self)->depth > 0 || !sqlite3_get_autocommit (CONN (self)->db))
    return FALSE;
  return exec_cached (self, "BEGIN DEFERRED", NULL);
}

void
read_end (BuurtenStore *self,
          gboolean      opened)
{
  if (opened && !sqlite3_get_autocommit (CONN (self)->db))
    exec_cached (self, "COMMIT", NULL);
}

/* ---- GObject -------------------------------------------------------- */

void
store_conn_init (StoreConn    *conn,
                 BuurtenStore *store)
{
  conn->store = store;
  g_rec_mutex_init (&conn->mutex);
  conn->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) sqlite3_finalize);
  conn->tables = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) entity_table_free);
}

void
store_conn_clear (StoreConn *conn)
{
  if (conn->depth > 0)
    {
      g_critical ("BuurtenStore finalized inside a transaction; rolling back");
      sqlite3_exec (conn->db, "ROLLBACK", NULL, NULL, NULL);
      for (; conn->depth > 0; conn->depth--)
        g_rec_mutex_unlock (&conn->mutex);
    }

  /* The tables borrow their statements from conn->statements. */
  g_clear_pointer (&conn->tables, g_hash_table_unref);
  g_clear_pointer (&conn->statements, g_hash_table_unref);
  if (conn->db != NULL)
    {
      int rc = sqlite3_close (conn->db);

      if (rc != SQLITE_OK)
        g_critical ("sqlite3_close: %s", sqlite3_errstr (rc));
      conn->db = NULL;
    }
  g_rec_mutex_clear (&conn->mutex);
}

/* ---- GObject -------------------------------------------------------- */

static void
buurten_store_finalize (GObject *object)
{
  BuurtenStore *self = (BuurtenStore *) object;

  /* The readers first: the writer's close then checkpoints the WAL and
   * removes it. */
  tasks_shutdown (self);
  store_conn_clear (&self->writer);
  g_free (self->path);

  G_OBJECT_CLASS (buurten_store_parent_class)->finalize (object);
}

static void
buurten_store_class_init (BuurtenStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = buurten_store_finalize;
}

static void
buurten_store_init (BuurtenStore *self)
{
  store_conn_init (&self->writer, self);
  g_mutex_init (&self->tasks_mutex);
}

/* ---- public API ----------------------------------------------------- */

char *
buurten_store_default_path (const char *data_dir)
{
  if (data_dir != NULL)
    return g_build_filename (data_dir, "buurten.db", NULL);
  return g_build_filename (g_get_user_data_dir (), "buurten", "buurten.db", NULL);
}

BuurtenStore *
buurten_store_open (const char  *path,
                    GError     **error)
{
  g_autoptr(BuurtenStore) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (BUURTEN_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  if (!store_open (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

const char *
buurten_store_get_path (BuurtenStore *self)
{
  g_return_val_if_fail (BUURTEN_IS_STORE (self), NULL);
  return self->path;
}

int
buurten_store_get_schema_version (BuurtenStore *self)
{
  g_return_val_if_fail (BUURTEN_IS_STORE (self), 0);
  return self->schema_version;
}

/* Back to synchronous=FULL after a transaction of pulled data, before the
 * mutex goes: the next writer may write the outbox. */
static void
restore_synchronous (BuurtenStore *self)
{
  CONN (self)->outbox_empty = FALSE;
  if (CONN (self)->relaxed)
    {
      exec_cached (self, "PRAGMA synchronous = FULL", NULL);
      exec_cached (self, "PRAGMA wal_autocheckpoint = 1000", NULL);
      CONN (self)->relaxed = FALSE;
    }
}

gboolean
buurten_store_begin (BuurtenStore  *self,
                     GError       **error)
{
  g_return_val_if_fail (BUURTEN_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Kept locked until commit or rollback (see the struct). */
  g_rec_mutex_lock (&CONN (self)->mutex);
  if (CONN (self)->depth == 0)
    {
      if (!exec_cached (self, "BEGIN IMMEDIATE", error))
        {
          g_rec_mutex_unlock (&CONN (self)->mutex);
          return FALSE;
        }
      CONN (self)->doomed = FALSE;
    }
  CONN (self)->depth++;
  return TRUE;
}

gboolean
buurten_store_begin_pulled (BuurtenStore  *self,
                            GError       **error)
{
  g_return_val_if_fail (BUURTEN_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_rec_mutex_lock (&CONN (self)->mutex);
  /* A pulled page is the server's: when a power cut loses it, the cursor
   * saved with it is lost too and the page comes again. So no fsync per
   * page; and the WAL is copied into the database every PULL_CHECKPOINT
   * pages instead of every 1 000: each page's transaction rewrites many of
   * the same index pages (random UUIDs), and a first sync of a city would
   * otherwise copy them a hundred times. */
  if (CONN (self)->depth == 0 &&
      exec_cached (self, "PRAGMA synchronous = NORMAL", NULL))
    {
      CONN (self)->relaxed = TRUE;
      exec_cached (self, "PRAGMA wal_autocheckpoint = " G_STRINGIFY (PULL_CHECKPOINT), NULL);
    }
  if (!buurten_store_begin (self, error))
    {
      restore_synchronous (self);
      g_rec_mutex_unlock (&CONN (self)->mutex);
      return FALSE;
    }
  /* The transaction keeps the mutex and the write lock: no outbox row can
   * appear until it ends. An empty outbox (a first sync, usually) spares
   * every pulled row its "is anything pending?" lookup. */
  {
    int has_rows = 1;

    CONN (self)->outbox_empty = query_int (self, "SELECT EXISTS (SELECT 1 FROM outbox)", &has_rows,
                                    NULL) == SQLITE_OK && has_rows == 0;
  }
  g_rec_mutex_unlock (&CONN (self)->mutex);
  return TRUE;
}

void
buurten_store_checkpoint (BuurtenStore *self)
{
  g_return_if_fail (BUURTEN_IS_STORE (self));

  g_rec_mutex_lock (&CONN (self)->mutex);
  if (CONN (self)->depth == 0)
    sqlite3_wal_checkpoint_v2 (CONN (self)->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
  g_rec_mutex_unlock (&CONN (self)->mutex);
}

gboolean
buurten_store_commit (BuurtenStore  *self,
                      GError       **error)
{
  gboolean ok = TRUE;

  g_return_val_if_fail (BUURTEN_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_rec_mutex_lock (&CONN (self)->mutex);
  if (CONN (self)->depth == 0)
    {
      g_rec_mutex_unlock (&CONN (self)->mutex);
      g_return_val_if_reached (FALSE);
    }

  CONN (self)->depth--;
  if (CONN (self)->depth == 0)
    {
      if (CONN (self)->doomed)
        {
          g_set_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_IO,
                       "an inner transaction was rolled back or a write in it failed "
                       "half-way; nothing was committed");
          ok = FALSE;
        }
      else
        ok = exec_cached (self, "COMMIT", error);

      if (!ok && !sqlite3_get_autocommit (CONN (self)->db))
        exec_cached (self, "ROLLBACK", NULL);
      CONN (self)->doomed = FALSE;
      restore_synchronous (self);
    }

  g_rec_mutex_unlock (&CONN (self)->mutex);  /* this call's lock */
  g_rec_mutex_unlock (&CONN (self)->mutex);  /* the one taken by begin */
  return ok;
}

void
buurten_store_rollback (BuurtenStore *self)
{
  g_return_if_fail (BUURTEN_IS_STORE (self));

  g_rec_mutex_lock (&CONN (self)->mutex);
  if (CONN (self)->depth == 0)
    {
      g_rec_mutex_unlock (&CONN (self)->mutex);
      g_return_if_reached ();
    }

  CONN (self)->depth--;
  if (CONN (self)->depth == 0)
    {
      if (!sqlite3_get_autocommit (CONN (self)->db))
        exec_cached (self, "ROLLBACK", NULL);
      CONN (self)->doomed = FALSE;
      restore_synchronous (self);
    }
  else
    CONN (self)->doomed = TRUE;

  g_rec_mutex_unlock (&CONN (self)->mutex);
  g_rec_mutex_unlock (&CONN (self)->mutex);
}
