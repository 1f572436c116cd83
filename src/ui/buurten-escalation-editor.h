/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "buurten-editor.h"

G_BEGIN_DECLS

#define BUURTEN_TYPE_ESCALATION_EDITOR (buurten_escalation_editor_get_type ())
G_DECLARE_FINAL_TYPE (BuurtenEscalationEditor, buurten_escalation_editor, BUURTEN, ESCALATION_EDITOR, BuurtenEditor)

/* A modal form to create (id NULL; wijk preselected, may be NULL) or edit
 * (id set) one escalation. Saving writes the row, its outbox entry and an audit
 * line in one transaction (in a worker thread), calls
 * buurten_context_notify_changed and emits ::saved (const char *id); the
 * window then closes. Errors show at the field; nothing typed is lost. */
GtkWidget *buurten_escalation_editor_new (BuurtenContext *context,
                                   const char     *wijk,
                                   const char     *id);

/* Preselects what is escalated (a new escalation from a request's or an
 * initiative's detail): subject_type "request" or "initiative". */
void       buurten_escalation_editor_set_subject (BuurtenEscalationEditor *self,
                                                  const char              *subject_type,
                                                  const char              *subject_id,
                                                  const char              *title);

G_END_DECLS
