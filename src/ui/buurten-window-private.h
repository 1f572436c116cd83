/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "buurten-window.h"

#include "buurten-city-page.h"
#include "buurten-dashboard-page.h"
#include "buurten-list-view.h"
#include "buurten-sync-button.h"
#include "buurten-wijk-page.h"

G_BEGIN_DECLS

/* The private side of BuurtenWindow, shared by buurten-window.c (the
 * object, its properties, the sidebar and the pages) and
 * buurten-window-actions.c (the window's actions, "win.*"). */

struct _BuurtenWindow
{
  AdwApplicationWindow  parent_instance;

  /* template widgets */
  GtkStack             *main_stack;
  GtkSpinner           *spinner;
  AdwStatusPage        *error_page;
  AdwLeaflet           *leaflet;
  GtkWidget            *sidebar_header;
  GtkListBox           *sidebar_list;
  GtkWidget            *content_box;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewSwitcherBar   *switcher_bar;
  GtkWidget            *new_button;
  GtkWidget            *search_button;
  AdwToastOverlay      *toast_overlay;
  GtkStack             *content_stack;
  AdwViewStack         *view_stack;
  BuurtenCityPage      *city_page;
  BuurtenDashboardPage *decisions_page;
  BuurtenDashboardPage *dashboard_page;
  BuurtenListView      *requests_view;
  BuurtenListView      *initiatives_view;
  BuurtenListView      *escalations_view;
  BuurtenListView      *meetings_view;
  BuurtenWijkPage      *wijk_page;
  AdwWindowTitle       *sidebar_title;
  BuurtenSyncButton    *sync_button;

  /* owned references */
  BuurtenSyncEngine    *sync;
  GSettings            *settings;
  BuurtenOverview      *overview;
  BuurtenContext       *context;
  GCancellable         *reload_cancellable;

  /* plain data */
  char                 *selected_wijk;  /* the wijk shown, as notified */
  gboolean              busy;
  gboolean              asked_identity;
  gboolean              applying_sync;  /* ::changed comes from a sync, not an edit */
};

/* buurten-window-actions.c: adds the window's actions to its action map. */
void buurten_window_install_actions (BuurtenWindow *self);

G_END_DECLS
