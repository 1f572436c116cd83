/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "buurten-store.h"
#include "buurten-sync-client.h"
#include "buurten-sync-cycle.h"

G_BEGIN_DECLS

/* Runs sync cycles in a worker thread: at start, every few minutes, when
 * the network comes back and on demand; failures back off exponentially
 * with jitter. Lives in the UI thread; never blocks it. */

typedef enum
{
  BUURTEN_SYNC_STATE_LOCAL_ONLY,  /* no server: this computer only */
  BUURTEN_SYNC_STATE_LOGGED_OUT,  /* a server, but no (valid) session: log in */
  BUURTEN_SYNC_STATE_IDLE,        /* in sync as of last-sync */
  BUURTEN_SYNC_STATE_SYNCING,
  BUURTEN_SYNC_STATE_OFFLINE,     /* the server cannot be reached: retrying */
  BUURTEN_SYNC_STATE_ERROR,       /* something else went wrong: message says what */
} BuurtenSyncState;

GType buurten_sync_state_get_type (void);
#define BUURTEN_TYPE_SYNC_STATE (buurten_sync_state_get_type ())

#define BUURTEN_TYPE_SYNC_ENGINE (buurten_sync_engine_get_type ())
G_DECLARE_FINAL_TYPE (BuurtenSyncEngine, buurten_sync_engine, BUURTEN, SYNC_ENGINE, GObject)

BuurtenSyncEngine *buurten_sync_engine_new           (BuurtenStore      *store);

/* server NULL: local only. token NULL: logged out. Starts a cycle when
 * both are set. */
void               buurten_sync_engine_set_account   (BuurtenSyncEngine *self,
                                                      const char        *server,
                                                      const char        *token);
const char        *buurten_sync_engine_get_server    (BuurtenSyncEngine *self);
void               buurten_sync_engine_set_interval  (BuurtenSyncEngine *self,
                                                      guint              seconds);

/* A cycle now (Ctrl+R); while one runs, one more follows it. */
void               buurten_sync_engine_sync          (BuurtenSyncEngine *self);
/* Stops the running cycle at the next safe point (between pages). */
void               buurten_sync_engine_cancel        (BuurtenSyncEngine *self);
/* After a local edit: counts again and sends it in a few seconds (when
 * logged in; edits in a row go in one cycle). */
void               buurten_sync_engine_schedule_soon (BuurtenSyncEngine *self);
/* Counts pending changes and attention items again (after a local edit). */
void               buurten_sync_engine_refresh_counts (BuurtenSyncEngine *self);

BuurtenSyncState   buurten_sync_engine_get_state     (BuurtenSyncEngine *self);
/* Unix seconds of the last completed cycle, 0 for never. */
gint64             buurten_sync_engine_get_last_sync (BuurtenSyncEngine *self);
gint64             buurten_sync_engine_get_pending   (BuurtenSyncEngine *self);
gint64             buurten_sync_engine_get_attention (BuurtenSyncEngine *self);
void               buurten_sync_engine_get_progress  (BuurtenSyncEngine *self,
                                                      guint64           *done,
                                                      guint64           *total);
/* The user's grants (BuurtenGrant*) as the server's GET /me gave them at
 * the start of the last cycle, or NULL before the first ("grants" is the
 * property, notified when they change). */
GPtrArray         *buurten_sync_engine_get_grants    (BuurtenSyncEngine *self);
/* For people: why the last cycle failed, or NULL. */
const char        *buurten_sync_engine_get_message   (BuurtenSyncEngine *self);

/* For the retry schedule and its tests: the delay before attempt n
 * (1-based) after failures, with jitter in [0.5, 1.5). */
guint              buurten_sync_backoff_seconds      (guint              failures,
                                                      double             jitter);

G_END_DECLS
