/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "buurten-editor.h"

G_BEGIN_DECLS

#define BUURTEN_TYPE_VERANTWOORDING_DIALOG (buurten_verantwoording_dialog_get_type ())
G_DECLARE_FINAL_TYPE (BuurtenVerantwoordingDialog, buurten_verantwoording_dialog, BUURTEN,
                      VERANTWOORDING_DIALOG, BuurtenEditor)

/* A modal form for an initiative's verantwoording: the actual cost of each
 * cost line against what was planned, what happened, how the buurt heard
 * of it, attachments (recorded by name and SHA-256), and, before saving,
 * the amount approved and not paid that goes back to the wijk's free
 * budget. Saving queues verantwoording.record through the outbox and shows
 * the release on this laptop at once (the lines' actuals and the
 * commitments' released_cents, as the server will send them); optionally
 * the initiative becomes afgerond after it. */
GtkWidget *buurten_verantwoording_dialog_new (BuurtenContext *context,
                                              const char     *initiative_id);

G_END_DECLS
