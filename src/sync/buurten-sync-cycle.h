/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "buurten-store.h"
#include "buurten-sync-client.h"

G_BEGIN_DECLS

/* One sync cycle (design.md): push the whole outbox, upload the
 * attachments waiting beside the store (buurten-sync-blobs.h), then pull until
 * "more" is false, each page applied in the same local transaction as its
 * cursor (pages already waiting share one, up to 10 000 rows). Blocking:
 * run it in a worker thread (BuurtenSyncEngine does), with a client made
 * in that thread. */

typedef struct
{
  guint   pushed;       /* mutations the server answered */
  guint   rejected;     /* of which refused: now in the attention list */
  guint   conflicts;    /* conflicts recorded */
  guint64 pulled;       /* changes applied from pulls */
  guint   pages;
  guint64 bytes;        /* on the wire, both ways, headers included */
  guint   page_limit;   /* rows a pull page when a page was too large and the
                         * pull went on with smaller ones; 0 otherwise */
  guint   blobs_uploaded;  /* attachments the server took */
  guint   blobs_refused;   /* attachments it refused: in the attention list */
} BuurtenSyncStats;

/* done of total changes pulled so far; total is 0 when unknown. Called in
 * the cycle's thread. */
typedef void (*BuurtenSyncProgressFunc) (guint64  done,
                                         guint64  total,
                                         gpointer user_data);

/* Meta keys of the store (buurten_store_get_meta). */
#define BUURTEN_SYNC_META_CLIENT_ID  "sync.client_id"
#define BUURTEN_SYNC_META_MID_OFFSET "sync.mid_offset"
#define BUURTEN_SYNC_META_CURSOR     "sync.cursor"
#define BUURTEN_SYNC_META_LAST_SYNC  "sync.last_sync"

gboolean buurten_sync_run_cycle (BuurtenStore            *store,
                                 BuurtenSyncClient       *client,
                                 BuurtenSyncProgressFunc  progress,
                                 gpointer                 user_data,
                                 BuurtenSyncStats        *stats,
                                 GCancellable            *cancellable,
                                 GError                 **error);

/* Only the pull half of a cycle: what the server has, applied page by page;
 * the outbox is not sent (fields it changes are kept as they are here). */
gboolean buurten_sync_pull      (BuurtenStore            *store,
                                 BuurtenSyncClient       *client,
                                 BuurtenSyncProgressFunc  progress,
                                 gpointer                 user_data,
                                 BuurtenSyncStats        *stats,
                                 GCancellable            *cancellable,
                                 GError                 **error);

/* The entity a mutation name is about ("budget.transfer": transfer), or
 * NULL for a name the app does not know. */
const BuurtenEntityInfo *buurten_sync_mutation_entity (const char *mutation);

G_END_DECLS
