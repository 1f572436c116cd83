/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "buurten-sync-engine.h"

G_BEGIN_DECLS

/* The header's sync state: an icon button whose popover says whether the
 * data is in sync (and since when), syncing (N of M on a first sync, with
 * a way to stop), offline, or how many changes wait; with Sync Now, Needs
 * Attention and Log In. */

#define BUURTEN_TYPE_SYNC_BUTTON (buurten_sync_button_get_type ())
G_DECLARE_FINAL_TYPE (BuurtenSyncButton, buurten_sync_button, BUURTEN, SYNC_BUTTON, GtkWidget)

void  buurten_sync_button_set_engine (BuurtenSyncButton *self,
                                      BuurtenSyncEngine *engine);

/* One line for a header subtitle: "Up to date at 14:05", "3 changes
 * waiting", "Offline", … */
char *buurten_sync_state_text        (BuurtenSyncEngine *engine);

G_END_DECLS
