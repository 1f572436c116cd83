/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "buurten-editor.h"

G_BEGIN_DECLS

#define BUURTEN_TYPE_INITIATIVE_EDITOR (buurten_initiative_editor_get_type ())
G_DECLARE_FINAL_TYPE (BuurtenInitiativeEditor, buurten_initiative_editor, BUURTEN, INITIATIVE_EDITOR, BuurtenEditor)

/* A modal form to create (id NULL; wijk preselected, may be NULL) or edit
 * (id set) one initiative. Saving writes the row, its outbox entry and an audit
 * line in one transaction (in a worker thread), calls
 * buurten_context_notify_changed and emits ::saved (const char *id); the
 * window then closes. Errors show at the field; nothing typed is lost. */
GtkWidget *buurten_initiative_editor_new (BuurtenContext *context,
                                   const char     *wijk,
                                   const char     *id);
/* Drafts (issue 14, point 8): the budget lines (BuurtenBudgetLine *) and
 * dates (BuurtenActivity *) refused with a refused initiative.create,
 * copied; its draft shows them as new rows, and saving sends them again
 * with the initiative. Call before the window is shown. */
void       buurten_initiative_editor_set_draft_plan (BuurtenInitiativeEditor *self,
                                                     GPtrArray               *lines,
                                                     GPtrArray               *activities);

G_END_DECLS
