/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "buurten-context.h"
#include "buurten-overview.h"

G_BEGIN_DECLS

/* The Overzicht of a wijk: its thermometer and the cards "Wacht op
 * besluit", "Over termijn", "Open escalaties", "Volgend overleg" and
 * "Wijkthema's", loaded in a worker thread. In decisions mode it is the
 * "Ter besluitvorming" list: everything waiting for my signature across
 * my wijken.
 *
 * ::open-item (entity_type, id) asks the window to show an item's detail. */

#define BUURTEN_TYPE_DASHBOARD_PAGE (buurten_dashboard_page_get_type ())
G_DECLARE_FINAL_TYPE (BuurtenDashboardPage, buurten_dashboard_page, BUURTEN, DASHBOARD_PAGE,
                      GtkWidget)

GtkWidget  *buurten_dashboard_page_new            (void);
void        buurten_dashboard_page_set_context    (BuurtenDashboardPage *self,
                                                   BuurtenContext       *context);
/* The thermometers come from overview; wijk NULL clears. */
void        buurten_dashboard_page_set_wijk       (BuurtenDashboardPage *self,
                                                   BuurtenOverview      *overview,
                                                   const char           *wijk);
const char *buurten_dashboard_page_get_wijk       (BuurtenDashboardPage *self);
/* Switches to the "Ter besluitvorming" list of the user. */
void        buurten_dashboard_page_show_decisions (BuurtenDashboardPage *self,
                                                   BuurtenOverview      *overview);
/* Whether the last load finished (tests, benchmarks). */
gboolean    buurten_dashboard_page_is_loaded      (BuurtenDashboardPage *self);

G_END_DECLS
