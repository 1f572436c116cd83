/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "buurten-store.h"
#include "buurten-sync-client.h"

G_BEGIN_DECLS

/* PUT /blobs/<sha256>?wijk=W for each attachment waiting beside the store
 * (buurten-blobs.h). A 2xx: no longer waiting. A refusal (4xx, and 507
 * for a full quota): not sent again, and an attention item (kind
 * "rejected", mutation "blob.put", args sha256, wijk, content_type and
 * the file's name as description) tells the user. A network or server
 * trouble, or an expired session: the blob keeps waiting and the error is
 * returned. Blocking, in the sync thread. */
gboolean buurten_sync_upload_blobs (BuurtenStore      *store,
                                    BuurtenSyncClient *client,
                                    guint             *uploaded,
                                    guint             *refused,
                                    GCancellable      *cancellable,
                                    GError           **error);

G_END_DECLS
