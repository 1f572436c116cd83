/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-server"

#include "config.h"

#include "buurten-server-private.h"

/* ---- the pull fast path: libpq pipelines, on the HTTP threads ----------- */

/* Most pulls find nothing new: clients poll. Those are answered here, from
 * a few non-blocking connections in pipeline mode that each HTTP thread
 * has and watches from its main loop: no thread switch per request, and
 * the pulls that arrive in one iteration of the thread's loop go to
 * PostgreSQL together, in one write with one
 * Sync, and come back in one read (half of PostgreSQL's work per pull
 * on a busy server is reading and answering the socket). Anything else
 * (data to deliver, a session not remembered, a reset) goes to the
 * workers.
 *
 * The GSources are persistent and may recurse: GLib 2.74 wakes its own
 * main loop (an eventfd write) for every poll record it adds or removes,
 * which a source per query, or one blocked while it is dispatched, costs
 * several system calls a request. */

/* Pulls in one connection's pipeline at most; more wait for a worker. */
#define MAX_PIPELINE 64

typedef struct
{
  Job             *job;
  BuurtenPullFast *fast;
} PendingPull;

struct _AsyncConn
{
  HttpThread    *http;
  PGconn        *conn;
  GSource       *source;
  gpointer       fd_tag;
  gboolean       want_write;
  GQueue         sent;      /* PendingPull*, in the order of their queries */
  guint          unsynced;  /* queries sent since the last Sync */
  guint          syncs;     /* Syncs whose result has not come back */
  PGresult      *result;    /* the result of sent's head, until it ends */
};

typedef struct
{
  GSource     source;
  HttpThread *http;
} FlushSource;

static void async_conn_reconnect (HttpThread *http);
static void async_conn_fail (AsyncConn *ac);

static void
pending_pull_free (PendingPull *pending)
{
  g_clear_pointer (&pending->fast, buurten_pull_fast_free);
  g_clear_pointer (&pending->job, job_free);
  g_free (pending);
}

void
async_conn_free (AsyncConn *ac)
{
  /* Empty after async_conn_fail(), which hands its pulls to the workers;
   * at exit (after the drain timeout) a pull still waiting is dropped. */
  g_queue_clear_full (&ac->sent, (GDestroyNotify) pending_pull_free);
  if (ac->source != NULL)
    {
      g_source_destroy (ac->source);
      g_clear_pointer (&ac->source, g_source_unref);
    }
  g_clear_pointer (&ac->result, PQclear);
  if (ac->conn != NULL)
    PQfinish (ac->conn);
  g_free (ac);
}

PGconn *
async_connect (BuurtenServer  *self,
               GError        **error)
{
  PGconn *conn = buurten_db_pool_connect (self->context->pool, error);
  g_autoptr(PGresult) prepared = NULL;

  if (conn == NULL)
    return NULL;

  prepared = PQprepare (conn, BUURTEN_PULL_FAST_STATEMENT, buurten_sync_pull_fast_sql (),
                        BUURTEN_PULL_FAST_N_PARAMS, NULL);
  if (PQresultStatus (prepared) != PGRES_COMMAND_OK || PQsetnonblocking (conn, 1) != 0 ||
      !PQenterPipelineMode (conn))
    {
      g_set_error (error, BUURTEN_DB_ERROR, BUURTEN_DB_ERROR_QUERY, "%s", PQerrorMessage (conn));
      PQfinish (conn);
      return NULL;
    }

  return conn;
}

static void
async_conn_want_write (AsyncConn *ac,
                       gboolean   want)
{
  if (ac->want_write == want)
    return;
  ac->want_write = want;
  g_source_modify_unix_fd (ac->source, ac->fd_tag, want ? G_IO_IN | G_IO_OUT : G_IO_IN);
}

/* The head pull's query is done: answer, or hand it to the workers. */
static void
async_conn_complete_head (AsyncConn *ac)
{
  PendingPull *pending = g_queue_pop_head (&ac->sent);
  g_autoptr(PGresult) result = g_steal_pointer (&ac->result);
  Job *job;

  if (pending == NULL)
    return;

  job = g_steal_pointer (&pending->job);
  if (result != NULL && PQresultStatus (result) == PGRES_TUPLES_OK &&
      buurten_pull_fast_finish (job->call, pending->fast, result))
    job_respond (job);
  else
    /* Changes to deliver, a reset, or a session to check: the worker
     * runs the full pull. */
    queue_job (job);
  pending_pull_free (pending);
}

/* Reads what has come back; FALSE when the connection broke. */
static gboolean
async_conn_read (AsyncConn *ac)
{
  if (!PQconsumeInput (ac->conn))
    return FALSE;

  /* PQgetResult on an empty pipeline would report its end; ask only
   * while something is outstanding. */
  while ((ac->sent.length > 0 || ac->syncs > 0) && !PQisBusy (ac->conn))
    {
      PGresult *result = PQgetResult (ac->conn);

      if (result == NULL)
        {
          /* The end of one query's results. */
          async_conn_complete_head (ac);
          continue;
        }

      if (PQresultStatus (result) == PGRES_PIPELINE_SYNC)
        {
          PQclear (result);
          if (ac->syncs > 0)
            ac->syncs--;
          continue;
        }

      g_clear_pointer (&ac->result, PQclear);
      ac->result = result;
    }

  return PQstatus (ac->conn) == CONNECTION_OK;
}

static gboolean
async_conn_dispatch (GSource     *source,
                     GSourceFunc  callback,
                     gpointer     user_data)
{
  AsyncConn *ac = user_data;
  GIOCondition condition = g_source_query_unix_fd (source, ac->fd_tag);

  if ((condition & G_IO_OUT) != 0)
    {
      int flushed = PQflush (ac->conn);

      if (flushed < 0)
        {
          async_conn_fail (ac);
          return G_SOURCE_CONTINUE;
        }
      async_conn_want_write (ac, flushed > 0);
    }

  if ((condition & (G_IO_IN | G_IO_HUP | G_IO_ERR)) != 0 && !async_conn_read (ac))
    async_conn_fail (ac);

  return G_SOURCE_CONTINUE;
}

static GSourceFuncs async_conn_source_funcs = {
  .dispatch = async_conn_dispatch,
};

void
async_conn_add (HttpThread *http,
                PGconn     *conn)
{
  AsyncConn *ac = g_new0 (AsyncConn, 1);

  ac->http = http;
  ac->conn = conn;
  g_queue_init (&ac->sent);
  ac->source = g_source_new (&async_conn_source_funcs, sizeof (GSource));
  g_source_set_static_name (ac->source, "buurten pull connection");
  g_source_set_can_recurse (ac->source, TRUE);
  g_source_set_callback (ac->source, NULL, ac, NULL);
  ac->fd_tag = g_source_add_unix_fd (ac->source, PQsocket (conn), G_IO_IN);
  g_source_attach (ac->source, http->context);
  g_ptr_array_add (http->async_conns, ac);
}

/* The connection broke: its pulls go to the workers, and a new
 * connection is made in a thread. */
static void
async_conn_fail (AsyncConn *ac)
{
  HttpThread *http = ac->http;
  PendingPull *pending;

  g_warning ("database: %s", PQerrorMessage (ac->conn));
  while ((pending = g_queue_pop_head (&ac->sent)) != NULL)
    {
      queue_job (g_steal_pointer (&pending->job));
      pending_pull_free (pending);
    }
  g_ptr_array_remove (http->async_conns, ac);
  async_conn_reconnect (http);
}

/* Pulls a thread queues before it sends them without waiting for its
 * loop to be idle: bounds the wait of the first one under a stream of
 * requests. */
#define MAX_BATCH 16

/* Ends the batch of pulls queued on each connection since the last send
 * with a Sync, and sends it. The flush source does it at a lower priority
 * than the sockets', so only once the loop has read every request that
 * was ready (larger batches: fewer round trips, and less work for
 * PostgreSQL per pull); try_fast_pull() when the batch is full. */
static void
flush_pulls (HttpThread *http)
{
  http->async_unsynced = 0;
  for (guint i = 0; i < http->async_conns->len;)
    {
      AsyncConn *ac = g_ptr_array_index (http->async_conns, i);
      int flushed;

      if (ac->unsynced > 0)
        {
          ac->unsynced = 0;
          if (!PQpipelineSync (ac->conn) || (flushed = PQflush (ac->conn)) < 0)
            {
              /* Removes ac from the array: the next one is at i now. */
              async_conn_fail (ac);
              continue;
            }
          ac->syncs++;
          async_conn_want_write (ac, flushed > 0);
        }
      i++;
    }
}

static gboolean
flush_source_ready (GSource *source)
{
  HttpThread *http = ((FlushSource *) source)->http;

  return http->async_unsynced > 0;
}

static gboolean
flush_source_prepare (GSource *source,
                      int     *timeout)
{
  *timeout = -1;
  return flush_source_ready (source);
}

static gboolean
flush_source_dispatch (GSource     *source,
                       GSourceFunc  callback,
                       gpointer     user_data)
{
  flush_pulls (((FlushSource *) source)->http);
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs flush_source_funcs = {
  .prepare = flush_source_prepare,
  .check = flush_source_ready,
  .dispatch = flush_source_dispatch,
};

/* TRUE when the pull was queued on an asynchronous connection. */
gboolean
try_fast_pull (HttpThread *http,
               Job        *job)
{
  AsyncConn *ac = NULL;
  PendingPull *pending;
  BuurtenPullFast *fast;

  /* The connection with the fewest pulls outstanding. */
  for (guint i = 0; i < http->async_conns->len; i++)
    {
      AsyncConn *candidate = g_ptr_array_index (http->async_conns, i);

      if (candidate->sent.length < MAX_PIPELINE &&
          (ac == NULL || candidate->sent.length < ac->sent.length))
        ac = candidate;
    }
  if (ac == NULL)
    return FALSE;

  fast = buurten_pull_fast_prepare (job->call);
  if (fast == NULL)
    return FALSE;

  if (!PQsendQueryPrepared (ac->conn, BUURTEN_PULL_FAST_STATEMENT, BUURTEN_PULL_FAST_N_PARAMS,
                            buurten_pull_fast_params (fast), NULL, NULL, 0))
    {
      buurten_pull_fast_free (fast);
      async_conn_fail (ac);
      return FALSE;
    }

  pending = g_new0 (PendingPull, 1);
  pending->job = job;
  pending->fast = fast;
  g_queue_push_tail (&ac->sent, pending);
  ac->unsynced++;
  if (++http->async_unsynced >= MAX_BATCH)
    flush_pulls (http);
  return TRUE;
}

static void
reconnect_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  HttpThread *http = task_data;
  g_autoptr(GError) error = NULL;
  PGconn *conn;

  /* Not at once: the database may be restarting. */
  g_usleep (G_USEC_PER_SEC);
  conn = async_connect (http->server, &error);
  if (conn == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, conn, (GDestroyNotify) PQfinish);
}

static void
reconnect_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  HttpThread *http = user_data;
  BuurtenServer *self = http->server;
  PGconn *conn = g_task_propagate_pointer (G_TASK (result), NULL);
  gboolean draining = g_atomic_int_get (&self->draining);

  if (conn != NULL && !draining)
    async_conn_add (http, conn);
  else if (conn != NULL)
    PQfinish (conn);
  else if (!draining)
    async_conn_reconnect (http);
  if (g_atomic_int_dec_and_test (&self->in_flight))
    maybe_quit (self);
}

/* Runs in the HTTP thread; so does reconnect_done (the task's context is
 * the thread's). */
static void
async_conn_reconnect (HttpThread *http)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, reconnect_done, http);

  /* Counted as in flight, so that shutdown waits for it. */
  g_atomic_int_inc (&http->server->in_flight);
  g_task_set_task_data (task, http, NULL);
  g_task_run_in_thread (task, reconnect_thread);
}

/* The source that sends the pulls an HTTP thread queued on its
 * connections (flush_pulls()), attached by the thread. */
GSource *
flush_source_new (HttpThread *http)
{
  GSource *source = g_source_new (&flush_source_funcs, sizeof (FlushSource));

  ((FlushSource *) source)->http = http;
  return source;
}
