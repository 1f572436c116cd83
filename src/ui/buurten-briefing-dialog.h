/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "buurten-context.h"

G_BEGIN_DECLS

/* "Briefing…": asks for the date of the wijkwethouder's meeting, then
 * prints the briefing of wijk through GtkPrintOperation (its dialog has
 * the preview) or saves it as PDF through a GtkFileChooserNative. Both draw
 * the pages of src/exchange/'s BuurtenDocument, as the command line's PDF
 * does. suggested: the day to propose (Unix seconds; 0: today). */
void buurten_briefing_dialog_present (GtkWidget      *parent,
                                      BuurtenContext *context,
                                      const char     *wijk,
                                      gint64          suggested);

G_END_DECLS
