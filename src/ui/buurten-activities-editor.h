/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "buurten-core.h"
#include "buurten-form.h"

G_BEGIN_DECLS

#define BUURTEN_TYPE_ACTIVITIES_EDITOR (buurten_activities_editor_get_type ())
G_DECLARE_FINAL_TYPE (BuurtenActivitiesEditor, buurten_activities_editor, BUURTEN,
                      ACTIVITIES_EDITOR, AdwBin)

/* When the plan happens: one row per date (date, what, where); add, edit
 * and remove rows. Emits ::changed when a row comes or goes. */
GtkWidget *buurten_activities_editor_new          (void);
/* The stored activities (BuurtenActivity *, copied), in date order. */
void       buurten_activities_editor_set_activities (BuurtenActivitiesEditor *self,
                                                     GPtrArray               *activities);
/* Adds activities (BuurtenActivity *, read) as rows not yet stored, as
 * if typed; add_to_batch() adds them (a refused plan opened as a draft). */
void       buurten_activities_editor_add_new_activities (BuurtenActivitiesEditor *self,
                                                         GPtrArray               *activities);
void       buurten_activities_editor_set_editable (BuurtenActivitiesEditor *self,
                                                   gboolean                 editable);
gboolean   buurten_activities_editor_get_editable (BuurtenActivitiesEditor *self);
guint      buurten_activities_editor_get_n_activities (BuurtenActivitiesEditor *self);
/* Checks every date, showing what is wrong at its field. */
gboolean   buurten_activities_editor_validate     (BuurtenActivitiesEditor *self);
/* activity.add/update/remove for what changed since set_activities(). */
void       buurten_activities_editor_add_to_batch (BuurtenActivitiesEditor *self,
                                                   BuurtenFormBatch        *batch,
                                                   const char              *initiative_id);

G_END_DECLS
