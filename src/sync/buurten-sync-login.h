/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* What a login answers, checked: the server as the client spells it, the
 * session token, the user's roles and wijken, and the user's grants
 * written again as JSON (NULL when the answer has none or they cannot
 * be read). */
typedef struct
{
  char  *server;
  char  *token;
  GStrv  roles;
  GStrv  wijken;
  char  *grants_json;
} BuurtenSyncLogin;

void              buurten_sync_login_free   (BuurtenSyncLogin *login);

/* POST /session on a worker thread of its own: the network is never
 * waited for on the caller's thread. Errors are BUURTEN_SYNC_ERROR's. */
void              buurten_sync_login_async  (const char           *server,
                                             const char           *username,
                                             const char           *password,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
BuurtenSyncLogin *buurten_sync_login_finish (GAsyncResult         *result,
                                             GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BuurtenSyncLogin, buurten_sync_login_free)

G_END_DECLS
