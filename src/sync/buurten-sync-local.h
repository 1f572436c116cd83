/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "buurten-store.h"

G_BEGIN_DECLS

/* Local changes written the way sync expects them: the row and its outbox
 * mutation in one transaction. Used by the app's "Needs attention" view
 * and by the sync tests' client. */

/* <type>.update with base = the local version for every field in set
 * (note.update: {id, body, base}). */
gboolean  buurten_sync_local_update  (BuurtenStore            *store,
                                      const char              *actor,
                                      const BuurtenEntityInfo *info,
                                      const char              *id,
                                      JsonObject              *set,
                                      GError                 **error);

/* A conflict decided: keep_mine sends our value again (a new update on
 * top of the server's version), otherwise the server's value stays. The
 * item is marked resolved either way. */
gboolean  buurten_sync_resolve       (BuurtenStore            *store,
                                      const char              *actor,
                                      const BuurtenAttention  *item,
                                      gboolean                 keep_mine,
                                      GError                 **error);

/* Something deleted on the server while it was edited here (kind
 * "deleted"): made again from what was here, under a new id. Notes and
 * agenda items can be restored. Returns the new id. */
char     *buurten_sync_restore       (BuurtenStore            *store,
                                      const char              *actor,
                                      const BuurtenAttention  *item,
                                      GError                 **error);

G_END_DECLS
