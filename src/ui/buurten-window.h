/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "buurten-context.h"
#include "buurten-overview.h"
#include "buurten-sync-engine.h"

G_BEGIN_DECLS

#define BUURTEN_TYPE_WINDOW (buurten_window_get_type ())
G_DECLARE_FINAL_TYPE (BuurtenWindow, buurten_window, BUURTEN, WINDOW, AdwApplicationWindow)

/* The main window: a sidebar with the city and its wijken, and the budget
 * of the one selected. settings (schema nl.hilversum.Buurten) keeps the
 * window size and the selected wijk; NULL keeps nothing. application may
 * be NULL (tests). */
GtkWidget       *buurten_window_new              (GtkApplication  *application,
                                                  GSettings       *settings);

/* The three states of the window: loading (a spinner), an error (the
 * message on a status page) and the overview. */
void             buurten_window_show_loading     (BuurtenWindow   *self);
void             buurten_window_show_error       (BuurtenWindow   *self,
                                                  const GError    *error);
void             buurten_window_set_overview     (BuurtenWindow   *self,
                                                  BuurtenOverview *overview);
BuurtenOverview *buurten_window_get_overview     (BuurtenWindow   *self);

/* The id of the selected wijk; NULL when the city is selected or nothing
 * is loaded. */
const char      *buurten_window_get_selected_wijk (BuurtenWindow  *self);
/* NULL or "" selects the city; FALSE for an unknown wijk. */
gboolean         buurten_window_select_wijk       (BuurtenWindow  *self,
                                                   const char     *wijk);

/* The shared context (store, municipality, year, identity); NULL until
 * an overview was set. */
BuurtenContext  *buurten_window_get_context       (BuurtenWindow  *self);
/* The view of a wijk: "overzicht", "meldingen", "initiatieven",
 * "escalaties", "agenda" or "budget". */
const char      *buurten_window_get_view          (BuurtenWindow  *self);
gboolean         buurten_window_set_view          (BuurtenWindow  *self,
                                                   const char     *view);
/* Shows "Ter besluitvorming" (the row exists for wijkwethouders and the
 * wethouder buurten). */
gboolean         buurten_window_show_decisions    (BuurtenWindow  *self);

/* The sync engine whose state the header shows; NULL for none. */
void             buurten_window_set_sync_engine   (BuurtenWindow     *self,
                                                   BuurtenSyncEngine *engine);
void             buurten_window_add_toast         (BuurtenWindow     *self,
                                                   const char        *text);

G_END_DECLS
