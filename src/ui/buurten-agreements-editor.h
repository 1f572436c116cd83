/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "buurten-core.h"
#include "buurten-form.h"

G_BEGIN_DECLS

#define BUURTEN_TYPE_AGREEMENTS_EDITOR (buurten_agreements_editor_get_type ())
G_DECLARE_FINAL_TYPE (BuurtenAgreementsEditor, buurten_agreements_editor, BUURTEN,
                      AGREEMENTS_EDITOR, AdwBin)

/* One side of a buurtdeal (what the residents do, or the municipality):
 * its agreements, each with what, who (owner), by when and progress; add,
 * edit and remove rows. Emits ::changed when a row comes or goes. */
GtkWidget *buurten_agreements_editor_new            (BuurtenAgreementSide     side);
BuurtenAgreementSide buurten_agreements_editor_get_side (BuurtenAgreementsEditor *self);
/* The stored agreements of any side (BuurtenAgreement *, copied): this
 * editor takes those of its side, in position order. */
void       buurten_agreements_editor_set_agreements (BuurtenAgreementsEditor *self,
                                                     GPtrArray               *agreements);
/* Rows with a description: what would count for the buurtdeal. */
guint      buurten_agreements_editor_count          (BuurtenAgreementsEditor *self);
/* Checks every row (a description, a valid date), showing what is wrong
 * at its field. */
gboolean   buurten_agreements_editor_validate       (BuurtenAgreementsEditor *self);
/* agreement.add/update/remove for what changed since set_agreements(). */
void       buurten_agreements_editor_add_to_batch   (BuurtenAgreementsEditor *self,
                                                     BuurtenFormBatch        *batch,
                                                     const char              *initiative_id);

G_END_DECLS
