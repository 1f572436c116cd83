/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "buurten-context.h"

G_BEGIN_DECLS

/* The notes on one request or initiative (author, date, text; newest
 * first), and an entry to add one: saved as note.create through the
 * outbox (buurten_form_batch_save_async()), shown at once. */

#define BUURTEN_TYPE_NOTES_VIEW (buurten_notes_view_get_type ())
G_DECLARE_FINAL_TYPE (BuurtenNotesView, buurten_notes_view, BUURTEN, NOTES_VIEW, AdwBin)

GtkWidget  *buurten_notes_view_new         (void);

BuurtenContext *buurten_notes_view_get_context (BuurtenNotesView *self);
void        buurten_notes_view_set_context (BuurtenNotesView *self,
                                            BuurtenContext   *context);

/* What the notes are about ("request" or "initiative", and its id); NULL
 * clears. With load, the view loads the subject's notes itself; without,
 * the caller hands them over with buurten_notes_view_set_notes(). */
void        buurten_notes_view_set_subject (BuurtenNotesView *self,
                                            const char       *subject_type,
                                            const char       *subject_id,
                                            gboolean          load);
const char *buurten_notes_view_get_subject_id (BuurtenNotesView *self);

/* Shows notes (BuurtenNote*, borrowed: copied) of the current subject. */
void        buurten_notes_view_set_notes   (BuurtenNotesView *self,
                                            GPtrArray        *notes);

/* The notes in the store of subject_id, newest first (BuurtenNote*, with
 * their free function); in a worker thread. */
GPtrArray  *buurten_notes_view_load_notes  (BuurtenStore     *store,
                                            const char       *subject_type,
                                            const char       *subject_id,
                                            GError          **error);

G_END_DECLS
