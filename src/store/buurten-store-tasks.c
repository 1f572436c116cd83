/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-store"

#include "config.h"

#include "buurten-store-private.h"

/* The store's threads. Loads run on a thread pool, each with a read-only
 * connection taken from the idle ones (opened on demand, at most
 * max_readers): in WAL mode they read the last commit and never wait for
 * the writer, so a long write never holds up a list. Units of work run on
 * the writer connection in one transaction; those queued with write_async
 * go through a pool of one thread, so they run one at a time and in
 * order, and a thread of its own (sync's) runs them with
 * buurten_store_write(), serialised with the others by the writer's
 * mutex.
 *
 * Which connection the store's functions use is per thread
 * (store_current_conn): a load sets its reader for the time it runs, a
 * unit of work the writer; a thread that set nothing uses the writer. */

#define READ_PROGRESS_STEPS 1000

GPrivate store_current_conn = G_PRIVATE_INIT (NULL);

typedef struct
{
  gpointer        func;  /* BuurtenStoreReadFunc or BuurtenStoreWriteFunc */
  gpointer        data;
  GDestroyNotify  data_free;
  GDestroyNotify  result_free;
} TaskData;

static void
task_data_free (gpointer pointer)
{
  TaskData *run = pointer;

  if (run->data_free != NULL && run->data != NULL)
    run->data_free (run->data);
  g_free (run);
}

static void
reader_free (gpointer pointer)
{
  StoreConn *conn = pointer;

  store_conn_clear (conn);
  g_free (conn);
}

/* An idle reader, or a new one while fewer than max_readers are open
 * (the pool never runs more loads than that). NULL when none can be
 * opened: the load then reads on the writer connection. */
static StoreConn *
reader_take (BuurtenStore *self)
{
  g_autoptr(GError) error = NULL;
  StoreConn *conn;

  conn = g_async_queue_try_pop (self->idle_readers);
  if (conn != NULL)
    return conn;

  conn = g_new0 (StoreConn, 1);
  store_conn_init (conn, self);
  if (!store_conn_open_reader (self, conn, &error))
    {
      g_debug ("no read connection, reading on the writer: %s", error->message);
      reader_free (conn);
      return NULL;
    }
  g_mutex_lock (&self->tasks_mutex);
  g_ptr_array_add (self->readers, conn);
  g_mutex_unlock (&self->tasks_mutex);
  return conn;
}

/* SQLite's progress handler: a non-zero answer interrupts the statement,
 * so a cancelled load stops in the middle of a long query. */
static int
interrupt_if_cancelled (gpointer user_data)
{
  return g_cancellable_is_cancelled (G_CANCELLABLE (user_data));
}

static void
read_worker (gpointer item,
             gpointer pool_data)
{
  GTask *task = item;  /* owned */
  BuurtenStore *self = g_task_get_source_object (task);
  TaskData *run = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  BuurtenStoreReadFunc func = (BuurtenStoreReadFunc) run->func;
  g_autoptr(GError) error = NULL;
  StoreConn *previous, *conn;
  gpointer result;

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }

  conn = reader_take (self);
  previous = g_private_get (&store_current_conn);
  g_private_set (&store_current_conn, conn != NULL ? conn : &self->writer);
  if (conn != NULL && cancellable != NULL)
    sqlite3_progress_handler (conn->db, READ_PROGRESS_STEPS, interrupt_if_cancelled,
                              cancellable);

  result = func (self, run->data, cancellable, &error);

  if (conn != NULL)
    {
      sqlite3_progress_handler (conn->db, 0, NULL, NULL);
      /* A read transaction left open (a query interrupted half-way)
       * would keep this reader on an old snapshot for every later load. */
      if (!sqlite3_get_autocommit (conn->db))
        {
          g_debug ("a load left a read transaction open; ending it");
          sqlite3_exec (conn->db, "ROLLBACK", NULL, NULL, NULL);
        }
    }
  g_private_set (&store_current_conn, previous);
  if (conn != NULL)
    g_async_queue_push (self->idle_readers, conn);

  if (error != NULL)
    {
      if (result != NULL && run->result_free != NULL)
        run->result_free (result);
      g_task_return_error (task, g_steal_pointer (&error));
    }
  else
    g_task_return_pointer (task, result, run->result_free);
  g_object_unref (task);
}

static void
write_worker (gpointer item,
              gpointer pool_data)
{
  GTask *task = item;  /* owned */
  BuurtenStore *self = g_task_get_source_object (task);
  TaskData *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (buurten_store_write (self, (BuurtenStoreWriteFunc) run->func, run->data,
                           g_task_get_cancellable (task), &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
  g_object_unref (task);
}

static GThreadPool *
ensure_pool (BuurtenStore  *self,
             GThreadPool  **pool,
             GFunc          func,
             guint          max_threads)
{
  g_autoptr(GError) error = NULL;
  GThreadPool *result;

  g_mutex_lock (&self->tasks_mutex);
  if (*pool == NULL)
    {
      /* Not exclusive: the threads come from GLib's shared ones. */
      *pool = g_thread_pool_new (func, self, (int) max_threads, FALSE, &error);
      if (*pool == NULL)
        g_error ("cannot create the store's thread pool: %s", error->message);
    }
  result = *pool;
  g_mutex_unlock (&self->tasks_mutex);
  return result;
}

static guint
default_max_readers (void)
{
  return CLAMP (g_get_num_processors (), 2, 4);
}

/* From finalize: every task holds a reference to the store, so no load
 * or unit of work is queued or running and every reader is idle. This
 * may run on one of the pools' own threads (the last reference dropped
 * by a task there), so it does not wait for them. */
void
tasks_shutdown (BuurtenStore *self)
{
  if (self->read_pool != NULL)
    g_thread_pool_free (g_steal_pointer (&self->read_pool), TRUE, FALSE);
  if (self->write_pool != NULL)
    g_thread_pool_free (g_steal_pointer (&self->write_pool), TRUE, FALSE);
  g_clear_pointer (&self->idle_readers, g_async_queue_unref);
  g_clear_pointer (&self->readers, g_ptr_array_unref);
  g_mutex_clear (&self->tasks_mutex);
}

/* A window without a store (none open yet, or a test's) asks as any
 * other: its callback says so. */
static void
no_store (gpointer             data,
          GDestroyNotify       data_free,
          GAsyncReadyCallback  callback,
          gpointer             user_data,
          gpointer             source_tag)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  if (data_free != NULL && data != NULL)
    data_free (data);
  g_task_return_new_error (task, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_OPEN,
                           "No store is open");
}

/* ---- public API ----------------------------------------------------- */

void
buurten_store_set_max_readers (BuurtenStore *self,
                               guint         max_readers)
{
  g_return_if_fail (BUURTEN_IS_STORE (self));
  g_return_if_fail (max_readers > 0);

  g_mutex_lock (&self->tasks_mutex);
  if (self->read_pool == NULL)
    self->max_readers = max_readers;
  else
    g_critical ("buurten_store_set_max_readers: loads have already run");
  g_mutex_unlock (&self->tasks_mutex);
}

void
buurten_store_load_async (BuurtenStore         *self,
                          BuurtenStoreReadFunc  func,
                          gpointer              data,
                          GDestroyNotify        data_free,
                          GDestroyNotify        result_free,
                          GCancellable         *cancellable,
                          GAsyncReadyCallback   callback,
                          gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  GThreadPool *pool;
  TaskData *run;

  g_return_if_fail (self == NULL || BUURTEN_IS_STORE (self));
  g_return_if_fail (func != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  if (self == NULL)
    {
      no_store (data, data_free, callback, user_data, buurten_store_load_async);
      return;
    }

  run = g_new0 (TaskData, 1);
  run->func = func;
  run->data = data;
  run->data_free = data_free;
  run->result_free = result_free;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, buurten_store_load_async);
  g_task_set_task_data (task, run, task_data_free);

  g_mutex_lock (&self->tasks_mutex);
  if (self->idle_readers == NULL)
    {
      self->idle_readers = g_async_queue_new ();
      self->readers = g_ptr_array_new_with_free_func (reader_free);
      if (self->max_readers == 0)
        self->max_readers = default_max_readers ();
    }
  g_mutex_unlock (&self->tasks_mutex);

  pool = ensure_pool (self, &self->read_pool, read_worker, self->max_readers);
  g_thread_pool_push (pool, g_steal_pointer (&task), NULL);
}

gpointer
buurten_store_load_finish (BuurtenStore  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (self == NULL || BUURTEN_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == buurten_store_load_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
buurten_store_write_async (BuurtenStore          *self,
                           BuurtenStoreWriteFunc  func,
                           gpointer               data,
                           GDestroyNotify         data_free,
                           GCancellable          *cancellable,
                           GAsyncReadyCallback    callback,
                           gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  GThreadPool *pool;
  TaskData *run;

  g_return_if_fail (self == NULL || BUURTEN_IS_STORE (self));
  g_return_if_fail (func != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  if (self == NULL)
    {
      no_store (data, data_free, callback, user_data, buurten_store_write_async);
      return;
    }

  run = g_new0 (TaskData, 1);
  run->func = func;
  run->data = data;
  run->data_free = data_free;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, buurten_store_write_async);
  g_task_set_task_data (task, run, task_data_free);

  pool = ensure_pool (self, &self->write_pool, write_worker, 1);
  g_thread_pool_push (pool, g_steal_pointer (&task), NULL);
}

gboolean
buurten_store_write_finish (BuurtenStore  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (self == NULL || BUURTEN_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == buurten_store_write_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static gboolean
run_unit (BuurtenStore           *self,
          gboolean                pulled,
          BuurtenStoreWriteFunc   func,
          gpointer                data,
          GCancellable           *cancellable,
          GError                **error)
{
  g_autoptr(GError) local_error = NULL;
  StoreConn *previous;
  gboolean ok;

  g_return_val_if_fail (BUURTEN_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  /* Even from a load: a unit of work writes, and reads what it wrote, on
   * the writer connection. */
  previous = g_private_get (&store_current_conn);
  g_private_set (&store_current_conn, &self->writer);

  ok = pulled ? buurten_store_begin_pulled (self, &local_error)
              : buurten_store_begin (self, &local_error);
  if (ok)
    {
      ok = func (self, data, cancellable, &local_error);
      if (ok)
        ok = buurten_store_commit (self, &local_error);
      else
        buurten_store_rollback (self);
    }

  g_private_set (&store_current_conn, previous);

  if (!ok)
    {
      if (local_error == NULL)
        g_set_error_literal (&local_error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_IO,
                             "a unit of work failed without saying why; nothing was written");
      g_propagate_error (error, g_steal_pointer (&local_error));
    }
  return ok;
}

gboolean
buurten_store_write (BuurtenStore           *self,
                     BuurtenStoreWriteFunc   func,
                     gpointer                data,
                     GCancellable           *cancellable,
                     GError                **error)
{
  return run_unit (self, FALSE, func, data, cancellable, error);
}

gboolean
buurten_store_write_pulled (BuurtenStore           *self,
                            BuurtenStoreWriteFunc   func,
                            gpointer                data,
                            GCancellable           *cancellable,
                            GError                **error)
{
  return run_unit (self, TRUE, func, data, cancellable, error);
}

static void
open_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GError *error = NULL;
  BuurtenStore *store;

  if (g_task_return_error_if_cancelled (task))
    return;
  store = buurten_store_open (task_data, &error);
  if (store == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, store, g_object_unref);
}

void
buurten_store_open_async (const char          *path,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (path != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, buurten_store_open_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, open_in_thread);
}

BuurtenStore *
buurten_store_open_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == buurten_store_open_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
