/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "buurten-core.h"
#include "buurten-form.h"

G_BEGIN_DECLS

#define BUURTEN_TYPE_BUDGET_LINES_EDITOR (buurten_budget_lines_editor_get_type ())
G_DECLARE_FINAL_TYPE (BuurtenBudgetLinesEditor, buurten_budget_lines_editor, BUURTEN,
                      BUDGET_LINES_EDITOR, AdwBin)

/* The budget of an initiative's plan as lines of costs, income and own
 * contribution: add, edit and remove rows; the balance (core's
 * buurten_budget_balance()) shows live and is the amount asked. Emits
 * ::changed whenever a line or the number of lines changes. */
GtkWidget *buurten_budget_lines_editor_new          (void);
/* The stored lines (BuurtenBudgetLine *, copied), in position order. */
void       buurten_budget_lines_editor_set_lines    (BuurtenBudgetLinesEditor *self,
                                                     GPtrArray                *lines);
/* Adds lines (BuurtenBudgetLine *, read) as rows not yet stored, as if
 * typed: their kind, description and amount; add_to_batch() adds them
 * (a refused plan opened again as a draft). */
void       buurten_budget_lines_editor_add_new_lines (BuurtenBudgetLinesEditor *self,
                                                      GPtrArray                *lines);
gboolean   buurten_budget_lines_editor_get_editable (BuurtenBudgetLinesEditor *self);
void       buurten_budget_lines_editor_set_editable (BuurtenBudgetLinesEditor *self,
                                                     gboolean                  editable);
guint      buurten_budget_lines_editor_get_n_lines  (BuurtenBudgetLinesEditor *self);
/* The balance of what is typed now; lines whose amount does not parse
 * count as zero. */
void       buurten_budget_lines_editor_get_balance  (BuurtenBudgetLinesEditor *self,
                                                     BuurtenBudgetBalance     *out);
/* Checks every line, showing what is wrong at its field; FALSE when one
 * is wrong. Nothing typed is lost. */
gboolean   buurten_budget_lines_editor_validate     (BuurtenBudgetLinesEditor *self);
/* Puts budget_line.add/update/remove for what changed since set_lines()
 * into batch, for the initiative initiative_id. Call after validate(). */
void       buurten_budget_lines_editor_add_to_batch (BuurtenBudgetLinesEditor *self,
                                                     BuurtenFormBatch         *batch,
                                                     const char               *initiative_id);

G_END_DECLS
