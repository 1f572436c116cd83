/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-overview"

#include "config.h"

#include "buurten-overview.h"

typedef struct
{
  int                  year;
  BuurtenMunicipality *municipality;  /* set by prepare_write */
  BuurtenLedger       *ledger;        /* set by prepare_write */
} LoadData;

G_DEFINE_BOXED_TYPE (BuurtenOverview, buurten_overview, buurten_overview_ref, buurten_overview_unref)

static void
load_data_free (gpointer data)
{
  LoadData *load = data;

  g_clear_object (&load->municipality);
  g_clear_pointer (&load->ledger, buurten_ledger_free);
  g_free (load);
}

static void
overview_clear (gpointer data)
{
  BuurtenOverview *self = data;

  g_clear_object (&self->store);
  g_clear_object (&self->municipality);
  g_clear_pointer (&self->thermometers, g_ptr_array_unref);
}

/* A unit of work on the store's writer: it may import the municipality. */
static gboolean
prepare_write (BuurtenStore  *store,
               gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  LoadData *load = data;
  g_autoptr(GError) local_error = NULL;

  load->municipality = buurten_store_load_municipality (store, &local_error);
  if (load->municipality == NULL &&
      g_error_matches (local_error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_NOT_FOUND))
    {
      /* A new (or emptied) store: start with the data of Hilversum, so the
       * first start shows the wijken instead of an empty window. */
      g_clear_error (&local_error);
      load->municipality = buurten_municipality_new_default (&local_error);
      if (load->municipality != NULL &&
          !buurten_store_import_municipality (store, load->municipality, &local_error))
        g_clear_object (&load->municipality);
    }

  if (load->municipality == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  load->ledger = buurten_store_ledger (store, load->municipality, load->year, error);
  return load->ledger != NULL;
}

static void
prepared_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BuurtenStore *store = BUURTEN_STORE (source);
  LoadData *load = g_task_get_task_data (task);
  GError *error = NULL;

  if (!buurten_store_write_finish (store, result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task,
                         buurten_overview_new (store, load->municipality, load->ledger,
                                               load->year),
                         (GDestroyNotify) buurten_overview_unref);
}

static void
opened_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(BuurtenStore) store = NULL;
  GCancellable *cancellable;
  GError *error = NULL;
  LoadData *load;

  store = buurten_store_open_finish (result, &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* The arguments are read before the task moves to the callback. */
  load = g_task_get_task_data (task);
  cancellable = g_task_get_cancellable (task);
  buurten_store_write_async (store, prepare_write, load, NULL, cancellable, prepared_cb,
                             g_steal_pointer (&task));
}

BuurtenOverview *
buurten_overview_new (BuurtenStore        *store,
                      BuurtenMunicipality *municipality,
                      BuurtenLedger       *ledger,
                      int                  year)
{
  BuurtenOverview *self;

  g_return_val_if_fail (store == NULL || BUURTEN_IS_STORE (store), NULL);
  g_return_val_if_fail (BUURTEN_IS_MUNICIPALITY (municipality), NULL);
  g_return_val_if_fail (ledger != NULL, NULL);

  self = g_rc_box_new0 (BuurtenOverview);
  self->store = store ? g_object_ref (store) : NULL;
  self->municipality = g_object_ref (municipality);
  self->year = year;
  self->thermometers = buurten_ledger_city (ledger, &self->total_budget_cents);

  return self;
}

BuurtenOverview *
buurten_overview_ref (BuurtenOverview *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_rc_box_acquire (self);
}

void
buurten_overview_unref (BuurtenOverview *self)
{
  g_return_if_fail (self != NULL);

  g_rc_box_release_full (self, overview_clear);
}

const BuurtenThermometer *
buurten_overview_lookup (BuurtenOverview *self,
                         const char      *id)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < self->thermometers->len; i++)
    {
      const BuurtenThermometer *thermometer = g_ptr_array_index (self->thermometers, i);

      if (g_strcmp0 (thermometer->id, id) == 0)
        return thermometer;
    }

  return NULL;
}

void
buurten_overview_load_async (const char          *path,
                             int                  year,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadData *load;

  g_return_if_fail (path != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  load = g_new0 (LoadData, 1);
  load->year = year;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, buurten_overview_load_async);
  g_task_set_task_data (task, load, load_data_free);
  buurten_store_open_async (path, cancellable, opened_cb, g_steal_pointer (&task));
}

BuurtenOverview *
buurten_overview_load_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == buurten_overview_load_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
