/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The store's threads and transactions: loads on read connections while
 * a write is open, units of work one at a time, a failed unit rolled
 * back, cancelled loads. */

#include "config.h"

#include <stdlib.h>

#include <glib/gstdio.h>

#include "buurten-store.h"

typedef struct
{
  char         *dir;
  char         *path;
  BuurtenStore *store;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("test-store-async-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "buurten.db", NULL);
  f->store = buurten_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_true (buurten_store_set_meta (f->store, "value", "old", &error));
  g_assert_no_error (error);
}

/* The store goes only when its tasks have let go of it. */
static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  BuurtenStore *store = g_steal_pointer (&f->store);
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_object_add_weak_pointer (G_OBJECT (store), (gpointer *) &store);
  g_object_unref (store);
  for (int i = 0; store != NULL && i < 5000; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_null (store);

  dir = g_dir_open (f->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (f->dir, name, NULL);

      g_unlink (child);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

/* A gate a worker waits at until the test opens it. */
typedef struct
{
  GMutex   mutex;
  GCond    cond;
  gboolean reached;
  gboolean open;
} Gate;

static void
gate_init (Gate *gate)
{
  g_mutex_init (&gate->mutex);
  g_cond_init (&gate->cond);
  gate->reached = gate->open = FALSE;
}

static void
gate_clear (Gate *gate)
{
  g_mutex_clear (&gate->mutex);
  g_cond_clear (&gate->cond);
}

static void
gate_wait (Gate *gate)
{
  g_mutex_lock (&gate->mutex);
  gate->reached = TRUE;
  g_cond_broadcast (&gate->cond);
  while (!gate->open)
    g_cond_wait (&gate->cond, &gate->mutex);
  g_mutex_unlock (&gate->mutex);
}

static void
gate_wait_reached (Gate *gate)
{
  gint64 end = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;

  g_mutex_lock (&gate->mutex);
  while (!gate->reached)
    g_assert_true (g_cond_wait_until (&gate->cond, &gate->mutex, end));
  g_mutex_unlock (&gate->mutex);
}

static void
gate_open (Gate *gate)
{
  g_mutex_lock (&gate->mutex);
  gate->open = TRUE;
  g_cond_broadcast (&gate->cond);
  g_mutex_unlock (&gate->mutex);
}

/* What a callback got. */
typedef struct
{
  guint     calls;
  gpointer  result;
  gboolean  ok;
  GError   *error;
} Outcome;

static void
outcome_clear (Outcome *outcome)
{
  g_clear_error (&outcome->error);
  g_clear_pointer (&outcome->result, g_free);
  outcome->calls = 0;
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Outcome *outcome = user_data;

  outcome->calls++;
  outcome->result = buurten_store_load_finish (BUURTEN_STORE (source), result,
                                               &outcome->error);
}

static void
written_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Outcome *outcome = user_data;

  outcome->calls++;
  outcome->ok = buurten_store_write_finish (BUURTEN_STORE (source), result, &outcome->error);
}

static void
wait_calls (Outcome *outcome,
            guint    calls)
{
  gint64 end = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;

  while (outcome->calls < calls)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (500);
    }
}

/* Lets queued callbacks run: none may come that was not expected. */
static void
drain (void)
{
  for (int i = 0; i < 50; i++)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (1000);
    }
}

static gpointer
read_value (BuurtenStore  *store,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  return buurten_store_get_meta (store, "value", error);
}

static gboolean
write_and_wait (BuurtenStore  *store,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autofree char *mine = NULL;

  if (!buurten_store_set_meta (store, "value", "new", error))
    return FALSE;
  /* Inside the unit, reads see what it wrote. */
  mine = buurten_store_get_meta (store, "value", error);
  g_assert_cmpstr (mine, ==, "new");
  gate_wait (data);
  return TRUE;
}

/* A load finishes while a write transaction is open, and reads the last
 * commit. */
static void
test_load_during_write (Fixture       *f,
                        gconstpointer  data)
{
  Outcome written = { 0 }, loaded = { 0 };
  Gate gate;

  gate_init (&gate);
  buurten_store_write_async (f->store, write_and_wait, &gate, NULL, NULL, written_cb, &written);
  gate_wait_reached (&gate);

  buurten_store_load_async (f->store, read_value, NULL, NULL, g_free, NULL, loaded_cb, &loaded);
  wait_calls (&loaded, 1);
  g_assert_no_error (loaded.error);
  g_assert_cmpstr (loaded.result, ==, "old");
  g_assert_cmpuint (written.calls, ==, 0);

  gate_open (&gate);
  wait_calls (&written, 1);
  g_assert_no_error (written.error);
  g_assert_true (written.ok);

  outcome_clear (&loaded);
  buurten_store_load_async (f->store, read_value, NULL, NULL, g_free, NULL, loaded_cb, &loaded);
  wait_calls (&loaded, 1);
  g_assert_cmpstr (loaded.result, ==, "new");
  outcome_clear (&loaded);
  outcome_clear (&written);
  gate_clear (&gate);
}

static gpointer
try_to_write (BuurtenStore  *store,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  if (!buurten_store_set_meta (store, "value", "from a load", error))
    return NULL;
  return g_strdup ("written");
}

/* A load's connection is read-only: a write in it is refused. */
static void
test_load_is_read_only (Fixture       *f,
                        gconstpointer  data)
{
  Outcome loaded = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;

  buurten_store_load_async (f->store, try_to_write, NULL, NULL, g_free, NULL, loaded_cb,
                            &loaded);
  wait_calls (&loaded, 1);
  g_assert_null (loaded.result);
  g_assert_error (loaded.error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_IO);
  value = buurten_store_get_meta (f->store, "value", &error);
  g_assert_cmpstr (value, ==, "old");
  outcome_clear (&loaded);
}

typedef struct
{
  gint   running;
  gint   most;
  guint  order[8];
  guint  n_order;
  guint  index[8];
} Serial;

typedef struct
{
  Serial *serial;
  guint   index;
} SerialUnit;

static gboolean
count_up (BuurtenStore  *store,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  SerialUnit *unit = data;
  Serial *serial = unit->serial;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gint now = g_atomic_int_add (&serial->running, 1) + 1;

  if (now > g_atomic_int_get (&serial->most))
    g_atomic_int_set (&serial->most, now);
  before = buurten_store_get_meta (store, "count", NULL);
  g_usleep (20 * 1000);
  after = g_strdup_printf ("%d", before != NULL ? atoi (before) + 1 : 1);
  serial->order[serial->n_order++] = unit->index;
  g_atomic_int_add (&serial->running, -1);
  return buurten_store_set_meta (store, "count", after, error);
}

/* Queued units of work run one at a time, in order; each sees the one
 * before it. */
static void
test_writes_serialised (Fixture       *f,
                        gconstpointer  data)
{
  Serial serial = { 0 };
  SerialUnit units[8];
  Outcome written = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *count = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    {
      units[i].serial = &serial;
      units[i].index = i;
      buurten_store_write_async (f->store, count_up, &units[i], NULL, NULL, written_cb,
                                 &written);
    }
  wait_calls (&written, G_N_ELEMENTS (units));
  g_assert_no_error (written.error);
  g_assert_cmpint (serial.most, ==, 1);
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    g_assert_cmpuint (serial.order[i], ==, i);
  count = buurten_store_get_meta (f->store, "count", &error);
  g_assert_cmpstr (count, ==, "8");
  outcome_clear (&written);
}

static gboolean
write_then_fail (BuurtenStore  *store,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_assert_true (buurten_store_set_meta (store, "value", "half", NULL));
  g_assert_true (buurten_store_set_meta (store, "other", "half", NULL));
  if (data != NULL)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "refused by the unit");
  return FALSE;
}

/* A unit that fails leaves nothing behind, async or not, with or without
 * an error of its own. */
static void
test_failed_unit_rolls_back (Fixture       *f,
                             gconstpointer  data)
{
  Outcome written = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  g_autofree char *other = NULL;

  buurten_store_write_async (f->store, write_then_fail, GINT_TO_POINTER (1), NULL, NULL,
                             written_cb, &written);
  wait_calls (&written, 1);
  g_assert_false (written.ok);
  g_assert_error (written.error, G_IO_ERROR, G_IO_ERROR_FAILED);

  g_assert_false (buurten_store_write (f->store, write_then_fail, NULL, NULL, &error));
  g_assert_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_IO);
  g_clear_error (&error);

  value = buurten_store_get_meta (f->store, "value", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (value, ==, "old");
  other = buurten_store_get_meta (f->store, "other", &error);
  g_assert_null (other);
  g_assert_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_NOT_FOUND);
  outcome_clear (&written);
}

static gpointer
block_reader (BuurtenStore  *store,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  gate_wait (data);
  return g_strdup ("blocked");
}

typedef struct
{
  Gate     *gate;
  gboolean  ran;
} Cancelled;

static gpointer
wait_for_cancel (BuurtenStore  *store,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  Cancelled *cancelled = data;

  cancelled->ran = TRUE;
  gate_wait (cancelled->gate);
  g_assert_true (g_cancellable_is_cancelled (cancellable));
  /* A result the caller will never take: result_free frees it. */
  return buurten_store_get_meta (store, "value", error);
}

static gpointer
must_not_run (BuurtenStore  *store,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  *(gboolean *) data = TRUE;
  return g_strdup ("ran");
}

/* A load cancelled while it runs, or before its turn, finishes once with
 * G_IO_ERROR_CANCELLED; the one not started never runs; nothing leaks
 * (LSan in the ASan build) and no callback comes later. */
static void
test_cancel_load (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GCancellable) running = g_cancellable_new ();
  g_autoptr(GCancellable) queued = g_cancellable_new ();
  Outcome first = { 0 }, second = { 0 }, blocker = { 0 };
  Gate gate, block;
  Cancelled cancelled = { &gate, FALSE };
  gboolean ran = FALSE;

  Outcome third = { 0 };

  gate_init (&gate);
  gate_init (&block);
  buurten_store_set_max_readers (f->store, 2);

  /* Both readers busy: one with the load to cancel, one blocked; the
   * third load waits for a reader. */
  buurten_store_load_async (f->store, wait_for_cancel, &cancelled, NULL, g_free, running,
                            loaded_cb, &first);
  gate_wait_reached (&gate);
  buurten_store_load_async (f->store, block_reader, &block, NULL, g_free, NULL, loaded_cb,
                            &blocker);
  gate_wait_reached (&block);
  buurten_store_load_async (f->store, must_not_run, &ran, NULL, g_free, queued, loaded_cb,
                            &third);

  g_cancellable_cancel (running);
  g_cancellable_cancel (queued);
  gate_open (&gate);
  wait_calls (&first, 1);
  wait_calls (&third, 1);
  g_assert_true (cancelled.ran);
  g_assert_null (first.result);
  g_assert_error (first.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (third.result);
  g_assert_error (third.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (ran);

  gate_open (&block);
  wait_calls (&blocker, 1);
  g_assert_no_error (blocker.error);
  g_assert_cmpstr (blocker.result, ==, "blocked");

  drain ();
  g_assert_cmpuint (first.calls, ==, 1);
  g_assert_cmpuint (second.calls, ==, 0);
  g_assert_cmpuint (third.calls, ==, 1);
  g_assert_cmpuint (blocker.calls, ==, 1);
  outcome_clear (&first);
  outcome_clear (&third);
  outcome_clear (&blocker);
  gate_clear (&gate);
  gate_clear (&block);
}

static gboolean
unit_not_run (BuurtenStore  *store,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  *(gboolean *) data = TRUE;
  return buurten_store_set_meta (store, "value", "cancelled", error);
}

/* A unit of work cancelled before its turn does not run. */
static void
test_cancel_write (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Outcome blocked = { 0 }, written = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  gboolean ran = FALSE;
  Gate gate;

  gate_init (&gate);
  buurten_store_write_async (f->store, write_and_wait, &gate, NULL, NULL, written_cb, &blocked);
  gate_wait_reached (&gate);
  buurten_store_write_async (f->store, unit_not_run, &ran, NULL, cancellable, written_cb,
                             &written);
  g_cancellable_cancel (cancellable);
  gate_open (&gate);
  wait_calls (&blocked, 1);
  wait_calls (&written, 1);
  g_assert_true (blocked.ok);
  g_assert_false (written.ok);
  g_assert_error (written.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (ran);
  value = buurten_store_get_meta (f->store, "value", &error);
  g_assert_cmpstr (value, ==, "new");
  outcome_clear (&blocked);
  outcome_clear (&written);
  gate_clear (&gate);
}

static void
free_counted (gpointer data)
{
  (*(int *) data)++;
}

/* Without a store (a window before its store opens) the callback says
 * so, and the data is freed. */
static void
test_no_store (void)
{
  Outcome loaded = { 0 }, written = { 0 };
  int freed = 0;

  buurten_store_load_async (NULL, read_value, &freed, free_counted, g_free, NULL, loaded_cb,
                            &loaded);
  buurten_store_write_async (NULL, unit_not_run, &freed, free_counted, NULL, written_cb,
                             &written);
  wait_calls (&loaded, 1);
  wait_calls (&written, 1);
  g_assert_error (loaded.error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_OPEN);
  g_assert_error (written.error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_OPEN);
  g_assert_cmpint (freed, ==, 2);
  outcome_clear (&loaded);
  outcome_clear (&written);
}

static void
opened_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Outcome *outcome = user_data;

  outcome->calls++;
  outcome->result = buurten_store_open_finish (result, &outcome->error);
}

static void
test_open_async (Fixture       *f,
                 gconstpointer  data)
{
  Outcome opened = { 0 };
  g_autoptr(BuurtenStore) store = NULL;

  buurten_store_open_async (f->path, NULL, opened_cb, &opened);
  wait_calls (&opened, 1);
  g_assert_no_error (opened.error);
  store = g_steal_pointer (&opened.result);
  g_assert_true (BUURTEN_IS_STORE (store));
  g_assert_cmpstr (buurten_store_get_path (store), ==, f->path);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/store-async/load-during-write", Fixture, NULL, fixture_setup,
              test_load_during_write, fixture_teardown);
  g_test_add ("/store-async/load-is-read-only", Fixture, NULL, fixture_setup,
              test_load_is_read_only, fixture_teardown);
  g_test_add ("/store-async/writes-serialised", Fixture, NULL, fixture_setup,
              test_writes_serialised, fixture_teardown);
  g_test_add ("/store-async/failed-unit-rolls-back", Fixture, NULL, fixture_setup,
              test_failed_unit_rolls_back, fixture_teardown);
  g_test_add ("/store-async/cancel-load", Fixture, NULL, fixture_setup, test_cancel_load,
              fixture_teardown);
  g_test_add ("/store-async/cancel-write", Fixture, NULL, fixture_setup, test_cancel_write,
              fixture_teardown);
  g_test_add ("/store-async/open", Fixture, NULL, fixture_setup, test_open_async,
              fixture_teardown);
  g_test_add_func ("/store-async/no-store", test_no_store);

  return g_test_run ();
}
