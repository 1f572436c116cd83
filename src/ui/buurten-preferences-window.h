/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "buurten-context.h"

G_BEGIN_DECLS

/* Who am I: name, role and wijken (kept by the context in GSettings).
 * As Preferences every change applies at once; at the first run
 * (first_run TRUE) nothing applies until "Start". */

#define BUURTEN_TYPE_PREFERENCES_WINDOW (buurten_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (BuurtenPreferencesWindow, buurten_preferences_window, BUURTEN,
                      PREFERENCES_WINDOW, AdwPreferencesWindow)

GtkWidget *buurten_preferences_window_new (BuurtenContext *context,
                                           gboolean        first_run);

G_END_DECLS
