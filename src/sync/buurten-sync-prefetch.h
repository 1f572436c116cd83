/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "buurten-core.h"
#include "buurten-sync-client.h"

G_BEGIN_DECLS

/* The pull pages of one sync, fetched and parsed ahead in two threads of
 * their own (buurten-sync-prefetch.c): the server's work on page N+2,
 * json-glib's parsing of page N+1 and the caller's writing of page N into
 * the store overlap. At most `ahead` pages wait at each step; the pages
 * stay in order.
 *
 * The client belongs to the prefetch threads from start to stop: do not
 * call it in between. */
typedef struct _BuurtenSyncPrefetch BuurtenSyncPrefetch;

/* A pulled row made into its entity by the parsing thread: the change's
 * "row" with its "version" set, by buurten_entity_from_json() and
 * validated. The writer then only writes it (or, when fields of the row
 * wait in the outbox, merges the JSON row as before). */
typedef struct
{
  const BuurtenEntityInfo *info;
  gpointer                 entity;
} BuurtenSyncPrepared;

/* cursor: where to start (NULL: from the beginning); limit: rows a page. */
BuurtenSyncPrefetch *buurten_sync_prefetch_start (BuurtenSyncClient   *client,
                                                  const char          *cursor,
                                                  guint                limit,
                                                  guint                ahead,
                                                  GCancellable        *cancellable);

/* Whether buurten_sync_prefetch_next() would return at once (a page, an
 * error or the end is there). */
gboolean             buurten_sync_prefetch_ready (BuurtenSyncPrefetch  *self);

/* The next page's answer, in order; blocks until it is there. NULL with
 * the error of the fetch or parse that failed (then no page follows), or
 * NULL without an error after the last page (the one whose "more" was
 * false, or the one without a readable "cursor" and "more": the caller
 * reports what is wrong with it). */
/* *prepared: one BuurtenSyncPrepared or NULL per element of the answer's
 * "changes" (NULL for a delete, an unknown type or a row that did not
 * convert: the caller goes the JSON way and reports it), or NULL as a
 * whole; the caller's until release. */
JsonNode            *buurten_sync_prefetch_next  (BuurtenSyncPrefetch  *self,
                                                  GPtrArray           **prepared,
                                                  GError              **error);

/* Takes back an answer of next() and its prepared rows that the caller is
 * done with: the prefetch thread frees them while the caller goes on. */
void                 buurten_sync_prefetch_release (BuurtenSyncPrefetch *self,
                                                    JsonNode            *answer,
                                                    GPtrArray           *prepared);

/* Cancels what is still being fetched, waits for the thread and frees the
 * pages nobody took. The client is the caller's again afterwards. */
void                 buurten_sync_prefetch_stop  (BuurtenSyncPrefetch  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BuurtenSyncPrefetch, buurten_sync_prefetch_stop)

G_END_DECLS
