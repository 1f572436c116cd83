/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "buurten-editor.h"

G_BEGIN_DECLS

#define BUURTEN_TYPE_PAYMENT_DIALOG (buurten_payment_dialog_get_type ())
G_DECLARE_FINAL_TYPE (BuurtenPaymentDialog, buurten_payment_dialog, BUURTEN, PAYMENT_DIALOG,
                      BuurtenEditor)

/* A modal form that records a payment (an advance or the final payment)
 * on the approved commitment of one initiative: it shows what is approved,
 * paid and left, and refuses at the amount, in the reader's language, a
 * payment beyond what is left (core's buurten_payment_check(), the rule
 * the server applies). Saving queues payment.record through the outbox
 * (buurten_editor_save_batch()); the thermometer counts it as spent. */
GtkWidget *buurten_payment_dialog_new (BuurtenContext *context,
                                       const char     *initiative_id);

G_END_DECLS
