/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "buurten-context.h"

G_BEGIN_DECLS

#define BUURTEN_TYPE_DECISION_WINDOW (buurten_decision_window_get_type ())
G_DECLARE_FINAL_TYPE (BuurtenDecisionWindow, buurten_decision_window, BUURTEN, DECISION_WINDOW, AdwWindow)

/* Deciding on an initiative: amount (typed as people type it) and funding
 * source; before anything is saved it shows, from the mandate engine, who
 * must sign, the instrument, and the wijk's thermometer after approval;
 * what is not allowed is refused with the reason and the way forward.
 * Signing adds my signature (commitment.create / commitment.sign to the
 * outbox); the commitment stays pending until every signature is in.
 * Emits ::saved (const char *commitment_id). */
GtkWidget *buurten_decision_window_new (BuurtenContext *context,
                                        const char     *initiative_id);

G_END_DECLS
