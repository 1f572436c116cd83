/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "buurten-editor.h"

G_BEGIN_DECLS

#define BUURTEN_TYPE_BUURTDEAL_EDITOR (buurten_buurtdeal_editor_get_type ())
G_DECLARE_FINAL_TYPE (BuurtenBuurtdealEditor, buurten_buurtdeal_editor, BUURTEN,
                      BUURTDEAL_EDITOR, BuurtenEditor)

/* A modal form for the buurtdeal of one initiative: the reciprocal
 * agreements (residents' and municipality's side, each with owner, due
 * date and progress), the organiser's signature as the coordinator
 * recorded it (initiative.deal_signed), whether this initiative needs a
 * buurtdeal (above the coordinator's own limit in the mandate table) and
 * what is still missing (buurten_buurtdeal_check()); the municipality's
 * signatures, the commitment's, read-only. Saves one batch through the
 * outbox like every editor. */
GtkWidget *buurten_buurtdeal_editor_new (BuurtenContext *context,
                                         const char     *initiative_id);

G_END_DECLS
