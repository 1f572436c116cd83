/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "buurten-editor.h"

G_BEGIN_DECLS

#define BUURTEN_TYPE_REQUEST_EDITOR (buurten_request_editor_get_type ())
G_DECLARE_FINAL_TYPE (BuurtenRequestEditor, buurten_request_editor, BUURTEN, REQUEST_EDITOR, BuurtenEditor)

/* A modal form to create (id NULL; wijk preselected, may be NULL) or edit
 * (id set) one request. Saving writes the row, its outbox entry and an audit
 * line in one transaction (in a worker thread), calls
 * buurten_context_notify_changed and emits ::saved (const char *id); the
 * window then closes. Errors show at the field; nothing typed is lost. */
GtkWidget *buurten_request_editor_new (BuurtenContext *context,
                                   const char     *wijk,
                                   const char     *id);

G_END_DECLS
