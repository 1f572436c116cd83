/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-db"

#include "config.h"

#include "buurten-db.h"

#include <string.h>

G_DEFINE_QUARK (buurten-db-error-quark, buurten_db_error)

struct _BuurtenDbPool
{
  char      *conninfo;
  char      *role;
  guint      size;
  guint      open;     /* connections that exist, idle or in use */
  GPtrArray *idle;     /* PGconn* */
  GMutex     mutex;
  GCond      cond;
};

/* libpq prints notices (RAISE NOTICE, "transaction in progress") on
 * stderr by default; the server's log stays quiet instead. */
static void
ignore_notice (void       *arg,
               const char *message)
{
}

static void
set_error_from_result (PGconn    *conn,
                       PGresult  *result,
                       GError   **error)
{
  const char *state = result != NULL ? PQresultErrorField (result, PG_DIAG_SQLSTATE) : NULL;
  const char *message = result != NULL ? PQresultErrorMessage (result) : PQerrorMessage (conn);
  BuurtenDbError code = BUURTEN_DB_ERROR_QUERY;
  g_autofree char *text = NULL;

  if (PQstatus (conn) != CONNECTION_OK)
    code = BUURTEN_DB_ERROR_CONNECTION;
  else if (state != NULL)
    {
      /* 40001 serialization_failure, 40P01 deadlock_detected. */
      if (strcmp (state, "40001") == 0 || strcmp (state, "40P01") == 0)
        code = BUURTEN_DB_ERROR_RETRY;
      else if (strcmp (state, "23505") == 0)
        code = BUURTEN_DB_ERROR_UNIQUE;
      /* Class 08: connection exception; 57P01..03: the server shuts down. */
      else if (g_str_has_prefix (state, "08") || g_str_has_prefix (state, "57P"))
        code = BUURTEN_DB_ERROR_CONNECTION;
    }

  text = g_strdup (message != NULL && *message != '\0' ? message : "database error");
  g_strchomp (text);
  g_set_error (error, BUURTEN_DB_ERROR, code, "%s%s%s", state != NULL ? state : "",
               state != NULL ? ": " : "", text);
}

PGresult *
buurten_db_exec (PGconn             *conn,
                 const char         *sql,
                 int                 n_params,
                 const char * const *params,
                 GError            **error)
{
  PGresult *result;
  ExecStatusType status;

  g_return_val_if_fail (conn != NULL, NULL);
  g_return_val_if_fail (sql != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  result = PQexecParams (conn, sql, n_params, NULL, params, NULL, NULL, 0);
  status = result != NULL ? PQresultStatus (result) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
    return result;

  set_error_from_result (conn, result, error);
  PQclear (result);
  return NULL;
}

PGresult *
buurten_db_exec_prepared (PGconn             *conn,
                          const char         *name,
                          const char         *sql,
                          int                 n_params,
                          const char * const *params,
                          GError            **error)
{
  PGresult *result;
  ExecStatusType status;
  const char *state;

  g_return_val_if_fail (conn != NULL, NULL);
  g_return_val_if_fail (PQtransactionStatus (conn) == PQTRANS_IDLE, NULL);

  result = PQexecPrepared (conn, name, n_params, params, NULL, NULL, 0);
  status = result != NULL ? PQresultStatus (result) : PGRES_FATAL_ERROR;
  state = result != NULL ? PQresultErrorField (result, PG_DIAG_SQLSTATE) : NULL;

  /* 26000: not prepared on this connection yet. */
  if (status == PGRES_FATAL_ERROR && g_strcmp0 (state, "26000") == 0)
    {
      PGresult *prepared;

      PQclear (result);
      prepared = PQprepare (conn, name, sql, n_params, NULL);
      if (prepared == NULL || PQresultStatus (prepared) != PGRES_COMMAND_OK)
        {
          set_error_from_result (conn, prepared, error);
          PQclear (prepared);
          return NULL;
        }
      PQclear (prepared);
      result = PQexecPrepared (conn, name, n_params, params, NULL, NULL, 0);
      status = result != NULL ? PQresultStatus (result) : PGRES_FATAL_ERROR;
    }

  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
    return result;

  set_error_from_result (conn, result, error);
  PQclear (result);
  return NULL;
}

gboolean
buurten_db_command (PGconn      *conn,
                    const char  *sql,
                    GError     **error)
{
  g_autoptr(PGresult) result = buurten_db_exec (conn, sql, 0, NULL, error);

  return result != NULL;
}

void
buurten_db_rollback (PGconn *conn)
{
  if (conn != NULL && PQstatus (conn) == CONNECTION_OK &&
      PQtransactionStatus (conn) != PQTRANS_IDLE)
    PQclear (PQexecParams (conn, "ROLLBACK", 0, NULL, NULL, NULL, NULL, 0));
}

const char *
buurten_db_get (PGresult *result,
                int       row,
                int       column)
{
  g_return_val_if_fail (result != NULL, NULL);

  if (row >= PQntuples (result) || column >= PQnfields (result) ||
      PQgetisnull (result, row, column))
    return NULL;

  return PQgetvalue (result, row, column);
}

gint64
buurten_db_get_int (PGresult *result,
                    int       row,
                    int       column)
{
  const char *text = buurten_db_get (result, row, column);

  return text != NULL ? g_ascii_strtoll (text, NULL, 10) : 0;
}

PGconn *
buurten_db_connect (const char  *conninfo,
                    const char  *role,
                    GError     **error)
{
  PGconn *conn;

  g_return_val_if_fail (conninfo != NULL, NULL);

  conn = PQconnectdb (conninfo);
  if (conn == NULL || PQstatus (conn) != CONNECTION_OK)
    {
      g_autofree char *message = g_strdup (conn != NULL ? PQerrorMessage (conn) : "out of memory");

      g_strchomp (message);
      g_set_error (error, BUURTEN_DB_ERROR, BUURTEN_DB_ERROR_CONNECTION,
                   "cannot connect to the database: %s", message);
      if (conn != NULL)
        PQfinish (conn);
      return NULL;
    }

  PQsetNoticeProcessor (conn, ignore_notice, NULL);

  /* Times in UTC whatever the cluster says; READ COMMITTED with explicit
   * row locks where order matters (see buurten-sync.c). */
  {
    g_autoptr(PGresult) result =
      BUURTEN_DB_EXEC (conn, error,
                       "SELECT set_config ('TimeZone', 'UTC', false), "
                       "set_config ('application_name', $1, false), "
                       /* Prepared statements (the pull) are planned once:
                        * their plan does not depend on the values. */
                       "set_config ('plan_cache_mode', 'force_generic_plan', false)",
                       "buurten-server");
    if (result == NULL)
      {
        PQfinish (conn);
        return NULL;
      }
  }

  if (role != NULL && *role != '\0')
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(PGresult) result =
        BUURTEN_DB_EXEC (conn, &local_error, "SELECT set_config ('role', $1, false)", role);

      if (result == NULL)
        {
          g_set_error (error, BUURTEN_DB_ERROR, BUURTEN_DB_ERROR_QUERY,
                       "cannot switch to the database role %s (see docs/deploy.md): %s",
                       role, local_error->message);
          PQfinish (conn);
          return NULL;
        }
    }

  return conn;
}

BuurtenDbPool *
buurten_db_pool_new (const char  *conninfo,
                     const char  *role,
                     guint        size,
                     GError     **error)
{
  BuurtenDbPool *pool;
  PGconn *first;

  g_return_val_if_fail (conninfo != NULL, NULL);
  g_return_val_if_fail (size > 0, NULL);

  /* One connection up front, so a wrong connection string or role is
   * reported at start and not on the first request. */
  first = buurten_db_connect (conninfo, role, error);
  if (first == NULL)
    return NULL;

  pool = g_new0 (BuurtenDbPool, 1);
  pool->conninfo = g_strdup (conninfo);
  pool->role = g_strdup (role);
  pool->size = size;
  pool->open = 1;
  pool->idle = g_ptr_array_new ();
  g_ptr_array_add (pool->idle, first);
  g_mutex_init (&pool->mutex);
  g_cond_init (&pool->cond);

  return pool;
}

void
buurten_db_pool_free (BuurtenDbPool *pool)
{
  if (pool == NULL)
    return;

  g_mutex_lock (&pool->mutex);
  if (pool->open != pool->idle->len)
    g_warning ("freeing the connection pool with %u connections in use",
               pool->open - pool->idle->len);
  for (guint i = 0; i < pool->idle->len; i++)
    PQfinish (g_ptr_array_index (pool->idle, i));
  g_mutex_unlock (&pool->mutex);

  g_ptr_array_unref (pool->idle);
  g_mutex_clear (&pool->mutex);
  g_cond_clear (&pool->cond);
  g_free (pool->conninfo);
  g_free (pool->role);
  g_free (pool);
}

PGconn *
buurten_db_pool_acquire (BuurtenDbPool  *pool,
                         GError        **error)
{
  PGconn *conn = NULL;

  g_return_val_if_fail (pool != NULL, NULL);

  g_mutex_lock (&pool->mutex);
  while (pool->idle->len == 0 && pool->open >= pool->size)
    g_cond_wait (&pool->cond, &pool->mutex);

  if (pool->idle->len > 0)
    conn = g_ptr_array_steal_index (pool->idle, pool->idle->len - 1);
  else
    pool->open++;    /* reserve a slot; connect outside the lock */
  g_mutex_unlock (&pool->mutex);

  if (conn != NULL && PQstatus (conn) != CONNECTION_OK)
    {
      /* The database restarted or the connection broke: start afresh. */
      PQfinish (conn);
      conn = NULL;
    }

  if (conn == NULL)
    {
      conn = buurten_db_connect (pool->conninfo, pool->role, error);
      if (conn == NULL)
        {
          g_mutex_lock (&pool->mutex);
          pool->open--;
          g_cond_signal (&pool->cond);
          g_mutex_unlock (&pool->mutex);
          return NULL;
        }
    }

  return conn;
}

PGconn *
buurten_db_pool_connect (BuurtenDbPool  *pool,
                         GError        **error)
{
  g_return_val_if_fail (pool != NULL, NULL);

  return buurten_db_connect (pool->conninfo, pool->role, error);
}

void
buurten_db_pool_release (BuurtenDbPool *pool,
                         PGconn        *conn)
{
  g_return_if_fail (pool != NULL);

  if (conn == NULL)
    return;

  /* Nothing may leak from one request into the next. */
  buurten_db_rollback (conn);

  g_mutex_lock (&pool->mutex);
  if (PQstatus (conn) == CONNECTION_OK)
    g_ptr_array_add (pool->idle, conn);
  else
    {
      PQfinish (conn);
      pool->open--;
    }
  g_cond_signal (&pool->cond);
  g_mutex_unlock (&pool->mutex);
}

char *
buurten_db_text_array (GPtrArray *items)
{
  GString *out = g_string_new ("{");

  for (guint i = 0; i < items->len; i++)
    {
      const char *item = g_ptr_array_index (items, i);

      if (i > 0)
        g_string_append_c (out, ',');
      if (item == NULL)
        {
          g_string_append (out, "NULL");
          continue;
        }
      g_string_append_c (out, '"');
      for (const char *p = item; *p != '\0'; p++)
        {
          if (*p == '"' || *p == '\\')
            g_string_append_c (out, '\\');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}
