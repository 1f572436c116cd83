/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "buurten-store.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

/* The private side of BuurtenStore, shared by the files it is split into
 * by concern:
 *   buurten-store.c               the object, errors, statements, transactions
 *   buurten-store-schema.c        the schema's migrations; opening a file
 *   buurten-store-rows.c          entity rows: columns, binding, reading, audit, outbox rows
 *   buurten-store-entities.c      put, delete, get, list and count of entities
 *   buurten-store-municipality.c  the municipality's tables
 *   buurten-store-search.c        full-text search
 *   buurten-store-budgets.c       ledgers and thermometers
 *   buurten-store-outbox.c        the outbox, the audit trail and meta values
 *   buurten-store-attention.c     what the server says and what needs the user
 *   buurten-store-tasks.c         loads on read connections, units of work on the writer
 * The schema lives in literal migration strings (buurten-store-schema.c),
 * never generated from the entity tables at run time: a migration that
 * has shipped must mean the same thing forever. The test suite checks that
 * every field of every entity has its column, so a field added to a table
 * without a migration fails the build's tests. */

#define BUSY_TIMEOUT_MS 5000
#define SEARCH_DEFAULT_LIMIT 50
#define SEARCH_MAX_TOKENS 16
#define SEARCH_CANDIDATES 1000
/* WAL pages (4 KiB) between checkpoints while pulled pages are written. */
#define PULL_CHECKPOINT 16384

/* One SQLite connection and what is prepared on it. The store has one
 * writer connection and a few read-only ones (see buurten-store-tasks.c);
 * every function of the store runs on the connection its thread holds
 * (CONN), which is the writer unless the thread runs a load. */
typedef struct
{
  BuurtenStore *store;    /* borrowed: the owner */
  sqlite3      *db;

  /* Serialises every use of db. Recursive, because buurten_store_begin()
   * keeps it until commit or rollback so that other threads sharing this
   * connection cannot slip their writes into the open transaction. */
  GRecMutex     mutex;
  guint         depth;     /* nesting of buurten_store_begin() */
  gboolean      doomed;    /* an inner rollback or a half-done write happened */
  gboolean      relaxed;   /* synchronous=NORMAL for this transaction (pulled data) */
  gboolean      outbox_empty; /* known empty for this pulled transaction */

  GHashTable   *statements; /* SQL text → sqlite3_stmt*, prepared once */
  GHashTable   *tables;     /* BuurtenEntityInfo* → EntityTable* */
} StoreConn;

struct _BuurtenStore
{
  GObject      parent_instance;

  char        *path;
  int          schema_version;

  StoreConn    writer;

  /* The loads and the queued writes (buurten-store-tasks.c). */
  GMutex       tasks_mutex;
  GThreadPool *read_pool;     /* created by the first load */
  GThreadPool *write_pool;    /* one thread: the writer's queue */
  GAsyncQueue *idle_readers;  /* StoreConn*, opened on demand */
  GPtrArray   *readers;       /* every reader connection opened */
  guint        max_readers;
};

/* The connection this thread holds for some store, or NULL
 * (buurten-store-tasks.c). */
extern GPrivate store_current_conn;

static inline StoreConn *
store_conn (BuurtenStore *self)
{
  StoreConn *conn = g_private_get (&store_current_conn);

  return conn != NULL && conn->store == self ? conn : &self->writer;
}

#define CONN(self) (store_conn (self))

void store_conn_init (StoreConn    *conn,
                      BuurtenStore *store);
void store_conn_clear (StoreConn *conn);


/* A cached statement is never finalized by its user, only reset, so that
 * the next user finds it without bindings. */
typedef sqlite3_stmt BuurtenCachedStmt;

static inline void
cached_stmt_release (BuurtenCachedStmt *stmt) { sqlite3_reset ( stmt);
  sqlite3_clear_bindings (stmt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BuurtenCachedStmt, cached_stmt_release)

/* What the store needs to know about one entity table, worked out once
 * per connection: the statements that read and write it (borrowed from
 * self->statements), where its text goes in the search index and which
 * sum it feeds. */
typedef enum
{
  ENTITY_SELECT,  /* every field, then fts_row when indexed; WHERE key = ?1 */
  ENTITY_INSERT,  /* every field as ?1 … ?n, in field order */
  ENTITY_UPDATE,  /* the other fields and WHERE key, same numbers: binds like INSERT */
  ENTITY_DELETE,  /* WHERE key = ?1 */
  ENTITY_N_STATEMENTS
} EntityStatement;

typedef struct
{
  const BuurtenEntityInfo *info;
  const BuurtenField      *key;
  char                    *put_action;     /* "request.put" */
  char                    *delete_action;  /* "request.delete" */
  /* -1 when the type is not in the search index; else its rows there
   * have rowid fts_row * 2 + search_parity. */
  int                      search_parity;
  const BuurtenField      *search_wijk;
  const BuurtenField      *search_title;
  const BuurtenField      *search_body;
  /* payment: the commitment whose paid_cents sums the amount. */
  const BuurtenField      *paid_parent;
  const BuurtenField      *paid_amount;
  sqlite3_stmt            *statements[ENTITY_N_STATEMENTS];
} EntityTable;

/* What the store's files share (each defined in the file named). Call
 * the ones that touch self->db with the mutex held. */

/* buurten-store-entities.c */
gboolean add_paid (BuurtenStore  *self,
                   const char    *commitment_id,
                   gint64         delta,
                   GError       **error);
gboolean delete_locked (BuurtenStore  *self,
                        EntityTable   *table,
                        const char    *id,
                        const char    *actor,
                        const char    *mutation,
                        JsonNode      *args,
                        gboolean      *wrote,
                        GError       **error);
gboolean put_locked (BuurtenStore   *self,
                     EntityTable    *table,
                     gconstpointer   entity,
                     const char     *actor,
                     const char     *mutation,
                     JsonNode       *args,
                     gboolean        remote,
                     gboolean       *wrote,
                     GError        **error);

/* buurten-store-outbox.c */
gint64 count_rows (BuurtenStore  *self,
                   const char    *sql,
                   const char    *what,
                   GError       **error);

/* buurten-store-rows.c */
void append_columns (GString                 *sql,
                     const BuurtenEntityInfo *info,
                     const char              *prefix);
void bind_entity (sqlite3_stmt            *stmt,
                  const BuurtenEntityInfo *info,
                  gconstpointer            entity);
void bind_field (sqlite3_stmt       *stmt,
                 int                 index,
                 const BuurtenField *field,
                 gconstpointer       entity);
char *changed_fields (const BuurtenEntityInfo *info,
                      gconstpointer            before,
                      gconstpointer            after,
                      gboolean                *out_changed);
BuurtenCachedStmt *entity_statement (BuurtenStore     *self,
                                     EntityTable      *table,
                                     EntityStatement   which,
                                     GError          **error);
EntityTable *entity_table (BuurtenStore            *self,
                           const BuurtenEntityInfo *info);
void entity_table_free (EntityTable *table);
gboolean fetch_entity (BuurtenStore  *self,
                       EntityTable   *table,
                       const char    *id,
                       gpointer      *out,
                       GError       **error);
gboolean field_equal (const BuurtenField *field,
                      gconstpointer       a,
                      gconstpointer       b);
const BuurtenField *info_field (const BuurtenEntityInfo *info,
                                const char              *name);
const BuurtenField *info_key_field (const BuurtenEntityInfo *info);
gboolean insert_audit (BuurtenStore  *self,
                       const char    *actor,
                       const char    *action,
                       const char    *object_type,
                       const char    *object_id,
                       const char    *summary,
                       GError       **error);
gboolean insert_outbox (BuurtenStore             *self,
                        const char               *mutation,
                        JsonNode                 *args,
                        const BuurtenEntityInfo  *info,
                        gconstpointer             entity,
                        GError                  **error);
gboolean read_entity (const BuurtenEntityInfo  *info,
                      sqlite3_stmt             *stmt,
                      gpointer                  entity,
                      gboolean                  borrow,
                      GError                  **error);
char *sql_select (const BuurtenEntityInfo *info,
                  const char              *where);

/* buurten-store-schema.c */
int query_int (BuurtenStore  *self,
               const char    *sql,
               int           *out,
               GError       **error);
gboolean store_conn_open_reader (BuurtenStore  *self,
                                 StoreConn     *conn,
                                 GError       **error);
gboolean store_open (BuurtenStore  *self,
                     GError       **error);

/* buurten-store-tasks.c */
void tasks_shutdown (BuurtenStore *self);

/* buurten-store.c */
int error_code_for (int rc);
gboolean exec_cached (BuurtenStore  *self,
                      const char    *sql,
                      GError       **error);
gboolean exec_script (BuurtenStore  *self,
                      const char    *sql,
                      GError       **error);
gint64 now_seconds ( void);
BuurtenCachedStmt *prepare (BuurtenStore  *self,
                            const char    *sql,
                            GError       **error);
gboolean read_begin (BuurtenStore *self);
void read_end (BuurtenStore *self,
               gboolean      opened);
void set_corrupt_error (const char  *path,
                        GError     **error);
void set_db_error (BuurtenStore  *self,
                   GError       **error,
                   int            rc,
                   const char    *what);
gboolean step_done (BuurtenStore  *self,
                    sqlite3_stmt  *stmt,
                    const char    *what,
                    GError       **error);
gboolean write_begin (BuurtenStore  *self,
                      gboolean       savepoint,
                      GError       **error);
gboolean write_end (BuurtenStore  *self,
                    gboolean       savepoint,
                    gboolean       ok,
                    gboolean       wrote,
                    GError       **error);

/* buurten-store.c: the transaction of buurten_store_write_pulled(). */
gboolean buurten_store_begin_pulled (BuurtenStore  *self,
                                     GError       **error);
