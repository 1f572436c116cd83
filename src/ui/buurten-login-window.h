/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Server address, username and password; logs in off the UI thread and
 * emits ::logged-in (server, username, token, GStrv roles, GStrv wijken,
 * grants: the JSON text of user.grants or NULL)
 * or ::local-only. It never keeps the password, and does not store the
 * token itself (the application puts it in the Secret Service). */

#define BUURTEN_TYPE_LOGIN_WINDOW (buurten_login_window_get_type ())
G_DECLARE_FINAL_TYPE (BuurtenLoginWindow, buurten_login_window, BUURTEN, LOGIN_WINDOW, AdwWindow)

GtkWidget *buurten_login_window_new         (GtkWindow  *parent,
                                             const char *server,
                                             const char *username,
                                             const char *message);

G_END_DECLS
