/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The session token lives in the Secret Service (libsecret), keyed by
 * server address and username, never in SQLite, GSettings or a log. When
 * no Secret Service runs, store fails with an error and the caller keeps
 * the token in memory for this session only (and says so). */

void     buurten_credentials_store_async  (const char          *server,
                                           const char          *username,
                                           const char          *token,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean buurten_credentials_store_finish (GAsyncResult        *result,
                                           GError             **error);

/* NULL without error when nothing is stored. */
void     buurten_credentials_lookup_async  (const char          *server,
                                            const char          *username,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
char    *buurten_credentials_lookup_finish (GAsyncResult        *result,
                                            GError             **error);

void     buurten_credentials_clear_async  (const char          *server,
                                           const char          *username,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean buurten_credentials_clear_finish (GAsyncResult        *result,
                                           GError             **error);

G_END_DECLS
