/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <libpq-fe.h>

G_BEGIN_DECLS

#define BUURTEN_DB_ERROR (buurten_db_error_quark ())

typedef enum
{
  BUURTEN_DB_ERROR_CONNECTION, /* cannot reach the database: temporary */
  BUURTEN_DB_ERROR_RETRY,      /* serialisation failure or deadlock: retry the transaction */
  BUURTEN_DB_ERROR_UNIQUE,     /* a unique constraint (an id that exists) */
  BUURTEN_DB_ERROR_QUERY,      /* any other failure */
} BuurtenDbError;

GQuark          buurten_db_error_quark   (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

/* Connects and, when role is not NULL or empty, switches to it (the server
 * runs as buurten_app, which may only append to the audit log). */
PGconn         *buurten_db_connect       (const char         *conninfo,
                                          const char         *role,
                                          GError            **error);

/* Every statement with values goes through here: values are always
 * parameters ($1, $2 ...), never part of the SQL text. A parameter may be
 * NULL (SQL NULL). Returns the result of a statement that succeeded. */
PGresult       *buurten_db_exec          (PGconn             *conn,
                                          const char         *sql,
                                          int                 n_params,
                                          const char * const *params,
                                          GError            **error);

#define BUURTEN_DB_EXEC(conn, error, sql, ...)                                        \
  buurten_db_exec ((conn), (sql),                                                     \
                   (int) G_N_ELEMENTS (((const char *[]) { __VA_ARGS__ })),           \
                   (const char *[]) { __VA_ARGS__ }, (error))

/* The same for a statement run very often outside a transaction (the
 * pull): prepared once per connection under name, so PostgreSQL plans it
 * once. Values are parameters here too. */
PGresult       *buurten_db_exec_prepared (PGconn             *conn,
                                          const char         *name,
                                          const char         *sql,
                                          int                 n_params,
                                          const char * const *params,
                                          GError            **error);

/* A PostgreSQL array literal of texts (char*), every element quoted,
 * NULL elements as NULL: one parameter for `$n::text[]`. */
char           *buurten_db_text_array    (GPtrArray          *items);

/* A statement without parameters (BEGIN, COMMIT, ...). */
gboolean        buurten_db_command       (PGconn             *conn,
                                          const char         *sql,
                                          GError            **error);

/* Rolls back whatever transaction is open; never fails loudly. */
void            buurten_db_rollback      (PGconn             *conn);

/* Cell access: NULL for SQL NULL. */
const char     *buurten_db_get           (PGresult           *result,
                                          int                 row,
                                          int                 column);
gint64          buurten_db_get_int       (PGresult           *result,
                                          int                 row,
                                          int                 column);

/* A bounded pool of connections. Each connection is used by one thread at
 * a time: acquire blocks while all are in use. */
typedef struct _BuurtenDbPool BuurtenDbPool;

BuurtenDbPool  *buurten_db_pool_new      (const char         *conninfo,
                                          const char         *role,
                                          guint               size,
                                          GError            **error);
void            buurten_db_pool_free     (BuurtenDbPool      *pool);
PGconn         *buurten_db_pool_acquire  (BuurtenDbPool      *pool,
                                          GError            **error);
void            buurten_db_pool_release  (BuurtenDbPool      *pool,
                                          PGconn             *conn);
/* A new connection with the pool's settings that the pool does not
 * manage (the HTTP threads' asynchronous connections). */
PGconn         *buurten_db_pool_connect  (BuurtenDbPool      *pool,
                                          GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BuurtenDbPool, buurten_db_pool_free)

G_END_DECLS
