/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-sync"

#include "config.h"

#include "buurten-sync-engine.h"

#include <string.h>

#include <glib/gi18n.h>

#define DEFAULT_INTERVAL (5 * 60)
#define BACKOFF_FIRST    15
#define BACKOFF_MAX      (30 * 60)
#define SOON_SECONDS     3

struct _BuurtenSyncEngine
{
  GObject           parent_instance;

  BuurtenStore     *store;
  char             *server;
  char             *token;

  BuurtenSyncState  state;
  gint64            last_sync;
  gint64            pending;
  gint64            attention;
  guint64           done;
  guint64           total;
  char             *message;

  guint             interval;
  guint             timer_id;
  guint             failures;
  GCancellable     *cancellable;   /* of the running cycle, or NULL */
  gboolean          again;         /* a cycle was asked for while one ran */
  GNetworkMonitor  *monitor;
  gulong            monitor_handler;
  GPtrArray        *grants;        /* BuurtenGrant* from the server's /me, or NULL */
};

G_DEFINE_FINAL_TYPE (BuurtenSyncEngine, buurten_sync_engine, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (BuurtenSyncState, buurten_sync_state,
                    G_DEFINE_ENUM_VALUE (BUURTEN_SYNC_STATE_LOCAL_ONLY, "local-only"),
                    G_DEFINE_ENUM_VALUE (BUURTEN_SYNC_STATE_LOGGED_OUT, "logged-out"),
                    G_DEFINE_ENUM_VALUE (BUURTEN_SYNC_STATE_IDLE, "idle"),
                    G_DEFINE_ENUM_VALUE (BUURTEN_SYNC_STATE_SYNCING, "syncing"),
                    G_DEFINE_ENUM_VALUE (BUURTEN_SYNC_STATE_OFFLINE, "offline"),
                    G_DEFINE_ENUM_VALUE (BUURTEN_SYNC_STATE_ERROR, "error"))

enum
{
  PROP_0,
  PROP_STATE,
  PROP_LAST_SYNC,
  PROP_PENDING,
  PROP_ATTENTION,
  PROP_MESSAGE,
  PROP_GRANTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SYNCED,
  LOGIN_NEEDED,
  PROGRESS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void schedule (BuurtenSyncEngine *self, guint seconds);
static void set_grants (BuurtenSyncEngine *self, GPtrArray *grants);

guint
buurten_sync_backoff_seconds (guint  failures,
                              double jitter)
{
  guint64 delay = BACKOFF_FIRST;

  for (guint i = 1; i < failures && delay < BACKOFF_MAX; i++)
    delay *= 2;
  delay = MIN (delay, BACKOFF_MAX);
  return (guint) MAX (1, delay * CLAMP (jitter, 0.5, 1.5));
}

static void
set_state (BuurtenSyncEngine *self,
           BuurtenSyncState   state,
           const char        *message)
{
  gboolean changed_message = g_strcmp0 (message, self->message) != 0;

  if (changed_message)
    {
      g_free (self->message);
      self->message = g_strdup (message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
    }
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
}

static void
set_grants (BuurtenSyncEngine *self,
            GPtrArray         *grants)
{
  if (buurten_grants_equal (self->grants, grants))
    return;
  g_clear_pointer (&self->grants, g_ptr_array_unref);
  self->grants = grants != NULL ? g_ptr_array_ref (grants) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GRANTS]);
}

/* ---- counts, off the UI thread (the store may be busy with a page) ---- */

typedef struct
{
  gint64 pending;
  gint64 attention;
} Counts;

static void
count_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  BuurtenStore *store = task_data;
  Counts *counts = g_new0 (Counts, 1);

  counts->pending = buurten_store_outbox_count (store, NULL);
  counts->attention = buurten_store_attention_count (store, NULL);
  g_task_return_pointer (task, counts, g_free);
}

static void
counted_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  BuurtenSyncEngine *self = BUURTEN_SYNC_ENGINE (source);
  g_autofree Counts *counts = g_task_propagate_pointer (G_TASK (result), NULL);

  if (counts == NULL)
    return;
  if (counts->pending >= 0 && counts->pending != self->pending)
    {
      self->pending = counts->pending;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
    }
  if (counts->attention >= 0 && counts->attention != self->attention)
    {
      self->attention = counts->attention;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ATTENTION]);
    }
}

void
buurten_sync_engine_refresh_counts (BuurtenSyncEngine *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BUURTEN_IS_SYNC_ENGINE (self));

  task = g_task_new (self, NULL, counted_cb, NULL);
  g_task_set_task_data (task, g_object_ref (self->store), g_object_unref);
  g_task_run_in_thread (task, count_thread);
}

/* ---- a cycle in a worker thread -------------------------------------- */

typedef struct
{
  BuurtenStore     *store;
  char             *server;
  char             *token;
  BuurtenSyncStats  stats;
  GWeakRef          engine;
  GPtrArray        *grants;   /* from GET /me at the cycle's start, or NULL */
} Cycle;

static void
cycle_free (Cycle *cycle)
{
  g_object_unref (cycle->store);
  g_free (cycle->server);
  if (cycle->token != NULL)
    memset (cycle->token, 0, strlen (cycle->token));
  g_free (cycle->token);
  g_clear_pointer (&cycle->grants, g_ptr_array_unref);
  g_weak_ref_clear (&cycle->engine);
  g_free (cycle);
}

typedef struct
{
  GWeakRef engine;
  guint64  done;
  guint64  total;
} Progress;

static gboolean
progress_idle (gpointer user_data)
{
  Progress *progress = user_data;
  g_autoptr(BuurtenSyncEngine) self = g_weak_ref_get (&progress->engine);

  if (self != NULL)
    {
      self->done = progress->done;
      self->total = progress->total;
      g_signal_emit (self, signals[PROGRESS], 0);
    }
  g_weak_ref_clear (&progress->engine);
  g_free (progress);
  return G_SOURCE_REMOVE;
}

static void
cycle_progress (guint64  done,
                guint64  total,
                gpointer user_data)
{
  Cycle *cycle = user_data;
  g_autoptr(BuurtenSyncEngine) self = g_weak_ref_get (&cycle->engine);
  Progress *progress;

  if (self == NULL)
    return;
  progress = g_new0 (Progress, 1);
  g_weak_ref_init (&progress->engine, self);
  progress->done = done;
  progress->total = total;
  g_idle_add_full (G_PRIORITY_DEFAULT, progress_idle, progress, NULL);
}

static void
cycle_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Cycle *cycle = task_data;
  g_autoptr(BuurtenSyncClient) client = NULL;
  GError *error = NULL;

  /* The session is made here, in the thread that uses it. */
  client = buurten_sync_client_new (cycle->server, &error);
  if (client == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  buurten_sync_client_set_token (client, cycle->token);

  /* Who I am now: the server's grants decide what the app shows and
   * allows (a role granted or taken away since login counts at once). */
  {
    g_autoptr(JsonNode) me = buurten_sync_client_call (client, "GET", "/me", NULL, NULL,
                                                       cancellable, &error);
    JsonObject *object;

    if (me == NULL)
      {
        g_task_return_error (task, error);
        return;
      }
    object = JSON_NODE_HOLDS_OBJECT (me) ? json_node_get_object (me) : NULL;
    if (object != NULL && json_object_has_member (object, "grants"))
      cycle->grants = buurten_grants_from_json (json_object_get_member (object, "grants"),
                                                NULL);
  }

  if (buurten_sync_run_cycle (cycle->store, client, cycle_progress, cycle, &cycle->stats,
                              cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static char *
message_for (const GError *error)
{
  if (error->domain != BUURTEN_SYNC_ERROR)
    /* A local failure (the store): its message is ours already. */
    return g_strdup_printf (_("Could not save what the server sent: %s"), error->message);

  switch (error->code)
    {
    case BUURTEN_SYNC_ERROR_NETWORK:
      return g_strdup (_("Offline: changes are kept on this computer and sent later."));
    case BUURTEN_SYNC_ERROR_TLS:
    case BUURTEN_SYNC_ERROR_BAD_ADDRESS:
      return g_strdup (error->message);
    case BUURTEN_SYNC_ERROR_UNAUTHORIZED:
      return g_strdup (_("Your session has ended. Log in again; your changes are kept."));
    case BUURTEN_SYNC_ERROR_UNAVAILABLE:
      return g_strdup (_("The server is not available right now. Trying again later."));
    case BUURTEN_SYNC_ERROR_OLD_SCHEMA:
      return g_strdup (_("The server needs a newer version of Buurten."));
    case BUURTEN_SYNC_ERROR_TOO_LARGE:
      return g_strdup (_("The server sent more at once than this computer accepts. Trying "
                         "again later."));
    case BUURTEN_SYNC_ERROR_THROTTLED:
      return g_strdup (_("Too many attempts. Trying again later."));
    default:
      return g_strdup (_("Synchronising failed. Trying again later."));
    }
}

static void
cycle_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  BuurtenSyncEngine *self = BUURTEN_SYNC_ENGINE (source);
  Cycle *cycle = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  gboolean changed = cycle->stats.pulled > 0 || cycle->stats.rejected > 0 ||
                     cycle->stats.conflicts > 0 || cycle->stats.pushed > 0;

  g_clear_object (&self->cancellable);

  if (cycle->grants != NULL)
    set_grants (self, cycle->grants);

  if (g_task_propagate_boolean (G_TASK (result), &error))
    {
      self->failures = 0;
      self->last_sync = g_get_real_time () / G_USEC_PER_SEC;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SYNC]);
      /* Smaller pages are slower, not wrong: said, not shown as an error. */
      set_state (self, BUURTEN_SYNC_STATE_IDLE,
                 cycle->stats.page_limit > 0
                   ? _("Some of the server’s pages were too large for this computer: Buurten "
                       "fetched them in smaller parts.")
                   : NULL);
      g_debug ("sync: pushed %u (%u refused, %u conflicts), pulled %" G_GUINT64_FORMAT
               " in %u pages, %" G_GUINT64_FORMAT " bytes", cycle->stats.pushed,
               cycle->stats.rejected, cycle->stats.conflicts, cycle->stats.pulled,
               cycle->stats.pages, cycle->stats.bytes);
      schedule (self, self->again ? 0 : self->interval);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Interrupted: what was pulled is kept (page by page) and the next
       * cycle goes on from there. Interrupted by a change of account (log
       * out, log in as someone else), the account's state stands. */
      if (self->server == NULL)
        set_state (self, BUURTEN_SYNC_STATE_LOCAL_ONLY, NULL);
      else if (self->token == NULL)
        set_state (self, BUURTEN_SYNC_STATE_LOGGED_OUT, NULL);
      else
        set_state (self, self->last_sync > 0 ? BUURTEN_SYNC_STATE_IDLE
                                             : BUURTEN_SYNC_STATE_OFFLINE,
                   _("Synchronising was interrupted; it goes on from here next time."));
      schedule (self, self->again ? 0 : self->interval);
    }
  else if (g_error_matches (error, BUURTEN_SYNC_ERROR, BUURTEN_SYNC_ERROR_UNAUTHORIZED))
    {
      g_autofree char *message = message_for (error);

      /* The token is no good any more; the outbox stays as it is. */
      g_clear_pointer (&self->token, g_free);
      set_state (self, BUURTEN_SYNC_STATE_LOGGED_OUT, message);
      g_signal_emit (self, signals[LOGIN_NEEDED], 0);
    }
  else
    {
      g_autofree char *message = message_for (error);
      guint delay;

      /* The technical detail goes to the debug log: it names no person
       * and no token (the server's messages name fields, not values). */
      g_debug ("sync failed: %s", error->message);
      self->failures++;
      delay = buurten_sync_backoff_seconds (self->failures, 0.5 + g_random_double ());
      set_state (self, error->domain == BUURTEN_SYNC_ERROR &&
                       error->code == BUURTEN_SYNC_ERROR_NETWORK ? BUURTEN_SYNC_STATE_OFFLINE
                                                                 : BUURTEN_SYNC_STATE_ERROR,
                 message);
      schedule (self, delay);
    }

  self->again = FALSE;
  buurten_sync_engine_refresh_counts (self);
  if (changed)
    g_signal_emit (self, signals[SYNCED], 0);
}

static void
start_cycle (BuurtenSyncEngine *self)
{
  g_autoptr(GTask) task = NULL;
  Cycle *cycle;

  if (self->server == NULL || self->token == NULL)
    return;
  if (self->cancellable != NULL)
    {
      self->again = TRUE;
      return;
    }

  self->cancellable = g_cancellable_new ();
  self->done = self->total = 0;
  cycle = g_new0 (Cycle, 1);
  cycle->store = g_object_ref (self->store);
  cycle->server = g_strdup (self->server);
  cycle->token = g_strdup (self->token);
  g_weak_ref_init (&cycle->engine, self);

  set_state (self, BUURTEN_SYNC_STATE_SYNCING, NULL);
  task = g_task_new (self, self->cancellable, cycle_done_cb, NULL);
  g_task_set_task_data (task, cycle, (GDestroyNotify) cycle_free);
  g_task_run_in_thread (task, cycle_thread);
}

static gboolean
timer_cb (gpointer user_data)
{
  BuurtenSyncEngine *self = user_data;

  self->timer_id = 0;
  start_cycle (self);
  return G_SOURCE_REMOVE;
}

static void
schedule (BuurtenSyncEngine *self,
          guint              seconds)
{
  g_clear_handle_id (&self->timer_id, g_source_remove);
  if (self->server == NULL || self->token == NULL)
    return;
  if (seconds == 0)
    self->timer_id = g_idle_add (timer_cb, self);
  else
    self->timer_id = g_timeout_add_seconds (seconds, timer_cb, self);
}

static void
network_changed_cb (GNetworkMonitor   *monitor,
                    gboolean           available,
                    BuurtenSyncEngine *self)
{
  /* Back on the network: no need to wait out the backoff. */
  if (available && (self->state == BUURTEN_SYNC_STATE_OFFLINE ||
                    self->state == BUURTEN_SYNC_STATE_ERROR))
    {
      self->failures = 0;
      schedule (self, 0);
    }
}

void
buurten_sync_engine_set_account (BuurtenSyncEngine *self,
                                 const char        *server,
                                 const char        *token)
{
  g_return_if_fail (BUURTEN_IS_SYNC_ENGINE (self));

  buurten_sync_engine_cancel (self);
  g_free (self->server);
  self->server = g_strdup (server);
  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_free (self->token);
  self->token = g_strdup (token);
  self->failures = 0;

  if (server == NULL)
    set_state (self, BUURTEN_SYNC_STATE_LOCAL_ONLY, NULL);
  else if (token == NULL)
    set_state (self, BUURTEN_SYNC_STATE_LOGGED_OUT, NULL);
  else
    schedule (self, 0);
}

const char *
buurten_sync_engine_get_server (BuurtenSyncEngine *self)
{
  g_return_val_if_fail (BUURTEN_IS_SYNC_ENGINE (self), NULL);
  return self->server;
}

void
buurten_sync_engine_set_interval (BuurtenSyncEngine *self,
                                  guint              seconds)
{
  g_return_if_fail (BUURTEN_IS_SYNC_ENGINE (self));
  self->interval = MAX (seconds, 30);
}

void
buurten_sync_engine_sync (BuurtenSyncEngine *self)
{
  g_return_if_fail (BUURTEN_IS_SYNC_ENGINE (self));

  self->failures = 0;
  g_clear_handle_id (&self->timer_id, g_source_remove);
  start_cycle (self);
}

void
buurten_sync_engine_schedule_soon (BuurtenSyncEngine *self)
{
  g_return_if_fail (BUURTEN_IS_SYNC_ENGINE (self));

  buurten_sync_engine_refresh_counts (self);
  if (self->server == NULL || self->token == NULL)
    return;
  if (self->cancellable != NULL)
    {
      self->again = TRUE;
      return;
    }
  /* Offline with a backoff running: the timer already says when. */
  if (self->state == BUURTEN_SYNC_STATE_OFFLINE || self->state == BUURTEN_SYNC_STATE_ERROR)
    return;
  schedule (self, SOON_SECONDS);
}

void
buurten_sync_engine_cancel (BuurtenSyncEngine *self)
{
  g_return_if_fail (BUURTEN_IS_SYNC_ENGINE (self));

  self->again = FALSE;
  g_clear_handle_id (&self->timer_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

BuurtenSyncState
buurten_sync_engine_get_state (BuurtenSyncEngine *self)
{
  g_return_val_if_fail (BUURTEN_IS_SYNC_ENGINE (self), BUURTEN_SYNC_STATE_LOCAL_ONLY);
  return self->state;
}

gint64
buurten_sync_engine_get_last_sync (BuurtenSyncEngine *self)
{
  g_return_val_if_fail (BUURTEN_IS_SYNC_ENGINE (self), 0);
  return self->last_sync;
}

gint64
buurten_sync_engine_get_pending (BuurtenSyncEngine *self)
{
  g_return_val_if_fail (BUURTEN_IS_SYNC_ENGINE (self), 0);
  return self->pending;
}

gint64
buurten_sync_engine_get_attention (BuurtenSyncEngine *self)
{
  g_return_val_if_fail (BUURTEN_IS_SYNC_ENGINE (self), 0);
  return self->attention;
}

void
buurten_sync_engine_get_progress (BuurtenSyncEngine *self,
                                  guint64           *done,
                                  guint64           *total)
{
  g_return_if_fail (BUURTEN_IS_SYNC_ENGINE (self));
  if (done != NULL)
    *done = self->done;
  if (total != NULL)
    *total = self->total;
}

const char *
buurten_sync_engine_get_message (BuurtenSyncEngine *self)
{
  g_return_val_if_fail (BUURTEN_IS_SYNC_ENGINE (self), NULL);
  return self->message;
}

static void
buurten_sync_engine_dispose (GObject *object)
{
  BuurtenSyncEngine *self = BUURTEN_SYNC_ENGINE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->timer_id, g_source_remove);
  g_clear_signal_handler (&self->monitor_handler, self->monitor);
  self->monitor = NULL;

  G_OBJECT_CLASS (buurten_sync_engine_parent_class)->dispose (object);
}

static void
buurten_sync_engine_finalize (GObject *object)
{
  BuurtenSyncEngine *self = BUURTEN_SYNC_ENGINE (object);

  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_free (self->server);
  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_free (self->token);
  g_free (self->message);
  g_clear_pointer (&self->grants, g_ptr_array_unref);

  G_OBJECT_CLASS (buurten_sync_engine_parent_class)->finalize (object);
}

static void
buurten_sync_engine_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  BuurtenSyncEngine *self = BUURTEN_SYNC_ENGINE (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_LAST_SYNC:
      g_value_set_int64 (value, self->last_sync);
      break;
    case PROP_PENDING:
      g_value_set_int64 (value, self->pending);
      break;
    case PROP_ATTENTION:
      g_value_set_int64 (value, self->attention);
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    case PROP_GRANTS:
      g_value_set_boxed (value, self->grants);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
buurten_sync_engine_class_init (BuurtenSyncEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = buurten_sync_engine_dispose;
  object_class->finalize = buurten_sync_engine_finalize;
  object_class->get_property = buurten_sync_engine_get_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, BUURTEN_TYPE_SYNC_STATE,
                       BUURTEN_SYNC_STATE_LOCAL_ONLY,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_SYNC] =
    g_param_spec_int64 ("last-sync", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PENDING] =
    g_param_spec_int64 ("pending", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ATTENTION] =
    g_param_spec_int64 ("attention", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The grants (BuurtenGrant*) the server reported at the last cycle's
   * start; NULL before the first. */
  properties[PROP_GRANTS] =
    g_param_spec_boxed ("grants", NULL, NULL, G_TYPE_PTR_ARRAY,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Data changed: views read the store again. */
  signals[SYNCED] = g_signal_new ("synced", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[LOGIN_NEEDED] = g_signal_new ("login-needed", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 0);
  signals[PROGRESS] = g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
buurten_sync_engine_init (BuurtenSyncEngine *self)
{
  self->interval = DEFAULT_INTERVAL;
}

GPtrArray *
buurten_sync_engine_get_grants (BuurtenSyncEngine *self)
{
  g_return_val_if_fail (BUURTEN_IS_SYNC_ENGINE (self), NULL);

  return self->grants;
}

BuurtenSyncEngine *
buurten_sync_engine_new (BuurtenStore *store)
{
  BuurtenSyncEngine *self;
  g_autoptr(GError) error = NULL;
  g_autofree char *last = NULL;

  g_return_val_if_fail (BUURTEN_IS_STORE (store), NULL);

  self = g_object_new (BUURTEN_TYPE_SYNC_ENGINE, NULL);
  self->store = g_object_ref (store);
  /* A quick read at start, before any cycle can hold the store. */
  last = buurten_store_get_meta (store, BUURTEN_SYNC_META_LAST_SYNC, &error);
  if (last != NULL)
    self->last_sync = g_ascii_strtoll (last, NULL, 10);
  self->monitor = g_network_monitor_get_default ();
  self->monitor_handler = g_signal_connect (self->monitor, "network-changed",
                                            G_CALLBACK (network_changed_cb), self);
  buurten_sync_engine_refresh_counts (self);
  return self;
}
