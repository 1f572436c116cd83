/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

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

/* cursor: where to start (NULL: from the beginning); limit: rows a page. */
BuurtenSyncPrefetch *buurten_sync_prefetch_start (BuurtenSyncClient   *client,
                                                  const char          *cursor,
                                                  guint                limit,
                                                  guint                ahead,
                                                  GCancellable        *cancellable);

/* The next page's answer, in order; blocks until it is there. NULL with
 * the error of the fetch or parse that failed (then no page follows), or
 * NULL without an error after the last page (the one whose "more" was
 * false, or the one without a readable "cursor" and "more": the caller
 * reports what is wrong with it). */
JsonNode            *buurten_sync_prefetch_next  (BuurtenSyncPrefetch  *self,
                                                  GError              **error);

/* Takes back an answer of next() that the caller is done with: the
 * prefetch thread frees it while the caller goes on. */
void                 buurten_sync_prefetch_release (BuurtenSyncPrefetch *self,
                                                    JsonNode            *answer);

/* Cancels what is still being fetched, waits for the thread and frees the
 * pages nobody took. The client is the caller's again afterwards. */
void                 buurten_sync_prefetch_stop  (BuurtenSyncPrefetch  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BuurtenSyncPrefetch, buurten_sync_prefetch_stop)

G_END_DECLS
