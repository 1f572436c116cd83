/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-widgets"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "buurten-application.h"
#include "buurten-city-page.h"
#include "buurten-format.h"
#include "buurten-overview.h"
#include "buurten-context.h"
#include "buurten-dashboard-page.h"
#include "buurten-list-view.h"
#include "buurten-preferences-window.h"
#include "buurten-store-queries.h"
#include "buurten-thermometer-bar.h"
#include "buurten-wijk-page.h"
#include "buurten-window.h"
#include "buurten-login-window.h"
#include "buurten-sync-button.h"

#include "ui-fixture.h"

static void
add_commitment (BuurtenLedger          *ledger,
                const char             *id,
                const char             *wijk,
                gint64                  cents,
                BuurtenCommitmentState  state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BuurtenCommitment) commitment = buurten_commitment_new ();

  commitment->id = g_strdup (id);
  commitment->initiative_id = g_strdup ("00000000-0000-4000-8000-0000000000ff");
  commitment->wijk = g_strdup (wijk);
  commitment->funding = BUURTEN_FUNDING_WIJKBUDGET;
  commitment->year = YEAR;
  commitment->amount_cents = cents;
  commitment->theme = g_strdup ("Groen & spelen");
  commitment->state = state;

  buurten_ledger_add_commitment (ledger, commitment, &error);
  g_assert_no_error (error);
}

/* Centrum in YEAR: € 12.400 approved (€ 4.100 of it paid), € 1.500
 * pending; every other wijk untouched. */
static BuurtenOverview *
make_overview (void)
{
  g_autoptr(BuurtenMunicipality) municipality = load_municipality ();
  g_autoptr(BuurtenLedger) ledger = buurten_ledger_new (municipality, YEAR);
  g_autoptr(BuurtenPayment) payment = buurten_payment_new ();
  g_autoptr(GError) error = NULL;

  add_commitment (ledger, "00000000-0000-4000-8000-000000000001", "centrum", 1240000,
                  BUURTEN_COMMITMENT_APPROVED);
  add_commitment (ledger, "00000000-0000-4000-8000-000000000002", "centrum", 150000,
                  BUURTEN_COMMITMENT_PENDING);

  payment->id = g_strdup ("00000000-0000-4000-8000-000000000003");
  payment->commitment_id = g_strdup ("00000000-0000-4000-8000-000000000001");
  payment->amount_cents = 410000;
  g_date_set_dmy (&payment->paid_on, 1, 3, YEAR);
  buurten_ledger_add_payment (ledger, payment, &error);
  g_assert_no_error (error);

  return buurten_overview_new (NULL, municipality, ledger, YEAR);
}

static GtkWidget *
find_row (GtkWidget  *widget,
          const char *wijk)
{
  if (GTK_IS_BUTTON (widget) &&
      g_strcmp0 (g_object_get_data (G_OBJECT (widget), "buurten-wijk"), wijk) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_row (child, wijk);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
test_format_percent (void)
{
  struct { int permille; const char *text; } cases[] = {
    { 0, "0%" },
    { 4, "0%" },      /* 0.4 % rounds down */
    { 5, "1%" },      /* 0.5 % rounds half up */
    { 384, "38%" },
    { 385, "39%" },
    { 1000, "100%" },
    { 1125, "113%" }, /* over budget */
    { -5, "-1%" },
    { -4, "0%" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = buurten_format_percent (cases[i].permille);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_format_thermometer (void)
{
  g_autoptr(BuurtenOverview) overview = make_overview ();
  const BuurtenThermometer *centrum = buurten_overview_lookup (overview, "centrum");
  const BuurtenThermometer *oost = buurten_overview_lookup (overview, "oost");
  BuurtenThermometer empty = { 0, };
  BuurtenThermometer full = { 0, };
  g_autofree char *description = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *oost_description = NULL;
  g_autofree char *empty_description = NULL;
  g_autofree char *full_description = NULL;
  g_autofree char *cents_description = NULL;

  g_assert_nonnull (centrum);
  g_assert_cmpint (centrum->budget_cents, ==, 3250000);

  /* 13.900 of 32.500 is 42.77 %. */
  g_assert_cmpint (buurten_thermometer_committed_permille (centrum), ==, 428);
  description = buurten_format_thermometer_description (centrum);
  g_assert_cmpstr (description, ==,
                   "Centrum: €32,500 budget, €12,400 approved, €1,500 pending, €4,100 spent, "
                   "43% committed");
  summary = buurten_format_thermometer_summary (centrum);
  g_assert_cmpstr (summary, ==, "43% committed · €18,600.00 free");

  oost_description = buurten_format_thermometer_description (oost);
  g_assert_cmpstr (oost_description, ==,
                   "Oost: €61,750 budget, €0 approved, €0 pending, €0 spent, 0% committed");

  /* No budget at all (a year without a table) is 0 %, not a division by zero. */
  empty.name = (char *) "Leeg";
  empty.pending_cents = 101;
  empty_description = buurten_format_thermometer_description (&empty);
  g_assert_cmpstr (empty_description, ==,
                   "Leeg: €0 budget, €0 approved, €1.01 pending, €0 spent, 0% committed");

  /* Exactly the whole budget, and one cent more. */
  full.name = (char *) "Vol";
  full.budget_cents = 200000;
  full.approved_cents = 200000;
  full_description = buurten_format_thermometer_description (&full);
  g_assert_cmpstr (full_description, ==,
                   "Vol: €2,000 budget, €2,000 approved, €0 pending, €0 spent, 100% committed");
  full.pending_cents = 1;
  g_assert_cmpint (buurten_thermometer_committed_permille (&full), ==, 1000);
  cents_description = buurten_format_thermometer_description (&full);
  g_assert_cmpstr (cents_description, ==,
                   "Vol: €2,000 budget, €2,000 approved, €0.01 pending, €0 spent, "
                   "100% committed");
}

static void
test_thermometer_bar (void)
{
  g_autoptr(BuurtenOverview) overview = make_overview ();
  GtkWidget *bar = g_object_ref_sink (gtk_level_bar_new ());
  BuurtenThermometer over = { 0, };
  g_autofree char *summary = NULL;

  buurten_level_bar_thermometer_init (GTK_LEVEL_BAR (bar));
  buurten_level_bar_thermometer_update (GTK_LEVEL_BAR (bar),
                                  buurten_overview_lookup (overview, "centrum"));
  g_assert_cmpfloat_with_epsilon (gtk_level_bar_get_value (GTK_LEVEL_BAR (bar)), 0.428, 1e-9);
  g_assert_false (gtk_widget_has_css_class (bar, "over-budget"));

  /* Over budget: the bar is full and marked, not past its end. */
  over.name = (char *) "Over";
  over.budget_cents = 100;
  over.approved_cents = 150;
  over.free_cents = -50;
  over.over_budget = TRUE;
  over.over_cents = 50;
  buurten_level_bar_thermometer_update (GTK_LEVEL_BAR (bar), &over);
  g_assert_cmpfloat (gtk_level_bar_get_value (GTK_LEVEL_BAR (bar)), ==, 1.0);
  g_assert_true (gtk_widget_has_css_class (bar, "over-budget"));
  summary = buurten_format_thermometer_summary (&over);
  g_assert_cmpstr (summary, ==, "150% committed · €0.50 over budget");

  g_assert_finalize_object (bar);
}

static void
test_overview (void)
{
  BuurtenOverview *overview = make_overview ();
  BuurtenOverview *ref;

  g_assert_cmpint (overview->year, ==, YEAR);
  /* 8 wijken and 2 pots. */
  g_assert_cmpuint (overview->thermometers->len, ==, 10);
  g_assert_cmpint (overview->total_budget_cents, ==, 45000000);
  g_assert_nonnull (buurten_overview_lookup (overview, "wijkkansen"));
  g_assert_null (buurten_overview_lookup (overview, "bussum"));

  ref = buurten_overview_ref (overview);
  g_assert_true (ref == overview);
  buurten_overview_unref (ref);
  buurten_overview_unref (overview);
}

static void
overview_loaded_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  BuurtenOverview **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = buurten_overview_load_finish (result, &error);
  g_assert_no_error (error);
}

/* The first start: the store is opened on a worker, the municipality
 * imported and the ledger read in a unit of work on the store's writer. */
static void
test_overview_load (void)
{
  g_autofree char *dir = g_dir_make_tmp ("buurten-widgets-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "buurten.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  BuurtenOverview *overview = NULL;
  BuurtenStore *store;

  buurten_overview_load_async (path, YEAR, NULL, overview_loaded_cb, &overview);
  while (overview == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (BUURTEN_IS_STORE (overview->store));
  g_assert_cmpint (overview->year, ==, YEAR);
  g_assert_nonnull (buurten_overview_lookup (overview, "centrum"));

  store = overview->store;
  g_object_add_weak_pointer (G_OBJECT (store), (gpointer *) &store);
  buurten_overview_unref (overview);
  for (int i = 0; store != NULL && i < 5000; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_null (store);
  g_remove (wal);
  g_remove (shm);
  g_remove (path);
  g_remove (dir);
}

static void
test_wijk_page (void)
{
  g_autoptr(BuurtenOverview) overview = make_overview ();
  GtkWidget *page = g_object_ref_sink (buurten_wijk_page_new ());

  g_assert_null (buurten_wijk_page_get_wijk (BUURTEN_WIJK_PAGE (page)));
  buurten_wijk_page_set_wijk (BUURTEN_WIJK_PAGE (page), overview, "centrum");
  g_assert_cmpstr (buurten_wijk_page_get_wijk (BUURTEN_WIJK_PAGE (page)), ==, "centrum");
  /* A pot has a page too. */
  buurten_wijk_page_set_wijk (BUURTEN_WIJK_PAGE (page), overview, "wijkkansen");
  g_assert_cmpstr (buurten_wijk_page_get_wijk (BUURTEN_WIJK_PAGE (page)), ==, "wijkkansen");
  buurten_wijk_page_set_wijk (BUURTEN_WIJK_PAGE (page), NULL, NULL);
  g_assert_null (buurten_wijk_page_get_wijk (BUURTEN_WIJK_PAGE (page)));

  g_assert_finalize_object (page);
}

static void
on_wijk_activated (BuurtenCityPage *page,
                   const char      *wijk,
                   char           **out)
{
  g_free (*out);
  *out = g_strdup (wijk);
}

static void
test_city_page (void)
{
  g_autoptr(BuurtenOverview) overview = make_overview ();
  GtkWidget *page = g_object_ref_sink (buurten_city_page_new ());
  GtkWidget *window = g_object_ref (gtk_window_new ());
  g_autofree char *activated = NULL;
  GPtrArray *wijken;
  GtkWidget *row;

  g_signal_connect (page, "wijk-activated", G_CALLBACK (on_wijk_activated), &activated);
  buurten_city_page_set_overview (BUURTEN_CITY_PAGE (page), overview);

  /* Every wijk has an activatable row; the pots have none. */
  wijken = buurten_municipality_get_wijken (overview->municipality);
  g_assert_cmpuint (wijken->len, ==, 8);
  for (guint i = 0; i < wijken->len; i++)
    {
      const BuurtenWijk *wijk = g_ptr_array_index (wijken, i);

      g_assert_nonnull (find_row (page, wijk->id));
    }
  g_assert_null (find_row (page, "wijkkansen"));

  /* A list box activates rows only inside a window. */
  gtk_window_set_child (GTK_WINDOW (window), page);
  row = find_row (page, "zuidwest");
  g_signal_emit_by_name (row, "clicked");
  g_assert_cmpstr (activated, ==, "zuidwest");

  /* Setting it again rebuilds the rows instead of adding more. */
  buurten_city_page_set_overview (BUURTEN_CITY_PAGE (page), NULL);
  g_assert_null (find_row (page, "zuidwest"));
  buurten_city_page_set_overview (BUURTEN_CITY_PAGE (page), overview);
  g_assert_nonnull (find_row (page, "zuidwest"));

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
  g_assert_finalize_object (page);
}

static void
test_window (void)
{
  g_autoptr(BuurtenOverview) overview = make_overview ();
  g_autoptr(GError) error = NULL;
  GtkWidget *window = g_object_ref (buurten_window_new (NULL, NULL));
  BuurtenWindow *self = BUURTEN_WINDOW (window);

  /* Loading, then an error, then data: each state replaces the other. */
  buurten_window_show_loading (self);
  g_assert_null (buurten_window_get_overview (self));
  g_assert_null (buurten_window_get_selected_wijk (self));

  g_set_error_literal (&error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_NEWER_SCHEMA,
                       "schema 7 is newer than 1 & <not> markup");
  buurten_window_show_error (self, error);
  g_clear_error (&error);
  g_set_error_literal (&error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_CORRUPT, "damaged");
  buurten_window_show_error (self, error);

  buurten_window_set_overview (self, overview);
  g_assert_true (buurten_window_get_overview (self) == overview);
  /* Nothing remembered: the city comes first. */
  g_assert_null (buurten_window_get_selected_wijk (self));

  g_assert_true (buurten_window_select_wijk (self, "centrum"));
  g_assert_cmpstr (buurten_window_get_selected_wijk (self), ==, "centrum");
  g_assert_false (buurten_window_select_wijk (self, "bussum"));
  g_assert_cmpstr (buurten_window_get_selected_wijk (self), ==, "centrum");

  /* A reload keeps the selection. */
  buurten_window_set_overview (self, overview);
  g_assert_cmpstr (buurten_window_get_selected_wijk (self), ==, "centrum");

  g_assert_true (buurten_window_select_wijk (self, ""));
  g_assert_null (buurten_window_get_selected_wijk (self));

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

static void
test_window_settings (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autoptr(BuurtenOverview) overview = make_overview ();
  GtkWidget *window;
  char *selected;
  int width = 0;
  int height = 0;

  g_settings_set_int (settings, "window-width", 800);
  g_settings_set_int (settings, "window-height", 600);
  g_settings_set_string (settings, "selected-wijk", "oost");

  window = g_object_ref (buurten_window_new (NULL, settings));
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 800);
  g_assert_cmpint (height, ==, 600);

  /* The wijk of the last session is selected again. */
  buurten_window_set_overview (BUURTEN_WINDOW (window), overview);
  g_assert_cmpstr (buurten_window_get_selected_wijk (BUURTEN_WINDOW (window)), ==, "oost");

  buurten_window_select_wijk (BUURTEN_WINDOW (window), "zuid");
  selected = g_settings_get_string (settings, "selected-wijk");
  g_assert_cmpstr (selected, ==, "zuid");
  g_free (selected);
  buurten_window_select_wijk (BUURTEN_WINDOW (window), NULL);
  selected = g_settings_get_string (settings, "selected-wijk");
  g_assert_cmpstr (selected, ==, "");
  g_free (selected);

  /* Closing saves the size; only a window on screen can be closed. */
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 650);
  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (window))
    g_main_context_iteration (NULL, TRUE);
  gtk_window_close (GTK_WINDOW (window));
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 900);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 650);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));

  g_assert_finalize_object (window);
}

static void
test_window_unknown_selection (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autoptr(BuurtenOverview) overview = make_overview ();
  GtkWidget *window;

  /* A wijk that no longer exists falls back to the city. */
  g_settings_set_string (settings, "selected-wijk", "bussum");
  window = g_object_ref (buurten_window_new (NULL, settings));
  buurten_window_set_overview (BUURTEN_WINDOW (window), overview);
  g_assert_null (buurten_window_get_selected_wijk (BUURTEN_WINDOW (window)));

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

static void
test_application (void)
{
  BuurtenApplication *app = buurten_application_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *expected = buurten_store_default_path (NULL);

  g_assert_cmpstr (g_application_get_application_id (G_APPLICATION (app)), ==, APPLICATION_ID);
  g_assert_cmpstr (buurten_application_get_db_path (app), ==, expected);
  g_assert_cmpint (buurten_application_get_year (app), ==, g_date_time_get_year (now));

  g_assert_finalize_object (app);
}

static void
test_resources (void)
{
  static const char *paths[] = {
    "/nl/hilversum/Buurten/buurten-window.ui",
    "/nl/hilversum/Buurten/buurten-city-page.ui",
    "/nl/hilversum/Buurten/buurten-wijk-page.ui",
    "/nl/hilversum/Buurten/gtk/help-overlay.ui",
    "/nl/hilversum/Buurten/style.css",
    "/nl/hilversum/Buurten/icons/scalable/apps/nl.hilversum.Buurten.svg",
    "/nl/hilversum/Buurten/icons/symbolic/apps/nl.hilversum.Buurten-symbolic.svg",
  };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = g_resources_lookup_data (paths[i], 0, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (g_bytes_get_size (bytes), >, 0);
    }
}

static void
test_help_overlay (void)
{
  /* The shortcuts window is built by GtkApplication from the resource;
   * build it here so a widget newer than GTK 4.8 fails the test. */
  g_autoptr(GtkBuilder) builder =
    gtk_builder_new_from_resource ("/nl/hilversum/Buurten/gtk/help-overlay.ui");
  GObject *overlay = gtk_builder_get_object (builder, "help_overlay");

  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (overlay));
  gtk_window_destroy (GTK_WINDOW (overlay));
}

static void
test_thermometer_widget (void)
{
  g_autoptr(BuurtenOverview) overview = make_overview ();
  GtkWidget *bar = g_object_ref_sink (buurten_thermometer_bar_new ());
  BuurtenThermometerBar *self = BUURTEN_THERMOMETER_BAR (bar);
  GtkWidget *a11y = buurten_thermometer_bar_get_accessible_bar (self);
  GtkWidget *window = g_object_ref (gtk_window_new ());
  BuurtenThermometer over = { 0, };
  const BuurtenThermometer *copy;
  int minimum = 0;
  int natural = 0;

  /* Nothing set: an empty bar that says so. */
  g_assert_null (buurten_thermometer_bar_get_thermometer (self));
  g_assert_true (GTK_IS_LEVEL_BAR (a11y));
  g_assert_cmpfloat (gtk_level_bar_get_value (GTK_LEVEL_BAR (a11y)), ==, 0.0);

  buurten_thermometer_bar_set_thermometer (self, buurten_overview_lookup (overview, "centrum"));
  copy = buurten_thermometer_bar_get_thermometer (self);
  g_assert_nonnull (copy);
  g_assert_true (copy != buurten_overview_lookup (overview, "centrum"));
  g_assert_cmpint (copy->pending_cents, ==, 150000);
  /* The accessible value is the committed share: 13.900 of 32.500. */
  g_assert_cmpfloat_with_epsilon (gtk_level_bar_get_value (GTK_LEVEL_BAR (a11y)), 0.428, 1e-9);
  g_assert_cmpfloat (gtk_level_bar_get_min_value (GTK_LEVEL_BAR (a11y)), ==, 0.0);
  g_assert_cmpfloat (gtk_level_bar_get_max_value (GTK_LEVEL_BAR (a11y)), ==, 1.0);

  /* The full form has a legend under the bar; the compact one does not. */
  gtk_window_set_child (GTK_WINDOW (window), bar);
  gtk_widget_measure (bar, GTK_ORIENTATION_VERTICAL, 400, &minimum, &natural, NULL, NULL);
  g_assert_cmpint (minimum, >, 20);
  buurten_thermometer_bar_set_compact (self, TRUE);
  g_assert_true (buurten_thermometer_bar_get_compact (self));
  gtk_widget_measure (bar, GTK_ORIENTATION_VERTICAL, 400, &minimum, &natural, NULL, NULL);
  g_assert_cmpint (minimum, ==, 6);
  buurten_thermometer_bar_set_compact (self, FALSE);

  /* Over budget: full, and the amount over is said. */
  over.name = (char *) "Over";
  over.budget_cents = 100000;
  over.approved_cents = 150000;
  over.free_cents = -50000;
  over.over_budget = TRUE;
  over.over_cents = 50000;
  buurten_thermometer_bar_set_thermometer (self, &over);
  g_assert_cmpfloat (gtk_level_bar_get_value (GTK_LEVEL_BAR (a11y)), ==, 1.0);
  g_assert_true (buurten_thermometer_bar_get_thermometer (self)->over_budget);

  /* Drawing must not crash, light or dark. */
  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (bar))
    g_main_context_iteration (NULL, TRUE);
  for (int i = 0; i < 5; i++)
    g_main_context_iteration (NULL, FALSE);

  buurten_thermometer_bar_set_thermometer (self, NULL);
  g_assert_null (buurten_thermometer_bar_get_thermometer (self));

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
  g_assert_finalize_object (bar);
}

static void
on_identity_changed (BuurtenContext *context,
                     int            *count)
{
  (*count)++;
}

static void
test_context (void)
{
  g_autoptr(BuurtenMunicipality) municipality = load_municipality ();
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  BuurtenContext *context;
  const char *wijken[] = { "centrum", "oost", NULL };
  g_auto(GStrv) stored = NULL;
  g_autofree char *role = NULL;
  GDate today;
  int changed = 0;

  g_settings_reset (settings, "user-name");
  g_settings_reset (settings, "user-role");
  g_settings_reset (settings, "user-wijken");

  context = buurten_context_new (NULL, municipality, settings, YEAR);
  g_assert_cmpint (buurten_context_get_year (context), ==, YEAR);
  g_assert_true (buurten_context_get_municipality (context) == municipality);
  g_assert_null (buurten_context_get_store (context));
  g_assert_false (buurten_context_has_identity (context));
  g_assert_cmpstr (buurten_context_get_user_name (context), ==, "");
  g_assert_null (buurten_context_get_user_wijken (context)[0]);
  g_assert_false (buurten_context_user_has_wijk (context, "centrum"));

  g_signal_connect (context, "identity-changed", G_CALLBACK (on_identity_changed), &changed);
  buurten_context_set_identity (context, "a.yilmaz", BUURTEN_ROLE_WIJKWETHOUDER, wijken);
  g_assert_cmpint (changed, ==, 1);
  g_assert_true (buurten_context_has_identity (context));
  g_assert_cmpint (buurten_context_get_user_role (context), ==, BUURTEN_ROLE_WIJKWETHOUDER);
  g_assert_true (buurten_context_user_has_wijk (context, "oost"));
  g_assert_false (buurten_context_user_has_wijk (context, "zuid"));

  /* Kept in GSettings ... */
  stored = g_settings_get_strv (settings, "user-wijken");
  g_assert_cmpstrv (stored, wijken);
  role = g_settings_get_string (settings, "user-role");
  g_assert_cmpstr (role, ==, "wijkwethouder");

  /* ... and read back when something else changes them. */
  g_settings_set_string (settings, "user-name", "f.elamrani");
  g_assert_cmpint (changed, ==, 2);
  g_assert_cmpstr (buurten_context_get_user_name (context), ==, "f.elamrani");

  /* An unknown role in the settings is no identity. */
  g_settings_set_string (settings, "user-role", "");
  g_assert_false (buurten_context_has_identity (context));

  /* "Today" can be pinned for tests and demos. */
  g_setenv ("BUURTEN_TODAY", "2026-04-27", TRUE);
  buurten_context_get_today (context, &today);
  g_assert_cmpint (g_date_get_day (&today), ==, 27);
  g_assert_cmpint (g_date_get_month (&today), ==, 4);
  g_unsetenv ("BUURTEN_TODAY");

  g_assert_finalize_object (context);
  g_settings_reset (settings, "user-name");
  g_settings_reset (settings, "user-role");
  g_settings_reset (settings, "user-wijken");
}

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           int        *count)
{
  (*count)++;
}

static void
test_context_grants (void)
{
  g_autoptr(BuurtenMunicipality) municipality = load_municipality ();
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autoptr(GPtrArray) server = buurten_grants_new ();
  g_autoptr(GPtrArray) property = NULL;
  BuurtenContext *context;
  const char *wijken[] = { "centrum", "oost", NULL };
  g_autofree char *kept = NULL;
  GPtrArray *grants;
  const BuurtenGrant *grant;
  int notified = 0;

  g_settings_reset (settings, "server-url");
  g_settings_reset (settings, "user-grants");
  g_settings_reset (settings, "user-name");
  g_settings_reset (settings, "user-role");
  g_settings_reset (settings, "user-wijken");
  context = buurten_context_new (NULL, municipality, settings, YEAR);
  g_assert_cmpuint (buurten_context_get_grants (context)->len, ==, 0);
  g_signal_connect (context, "notify::grants", G_CALLBACK (on_notify), &notified);

  /* Without a server: one grant per self-chosen wijk, provisional. */
  buurten_context_set_identity (context, "a.yilmaz", BUURTEN_ROLE_WIJKWETHOUDER, wijken);
  g_assert_cmpint (notified, ==, 1);
  g_assert_true (buurten_context_get_grants_provisional (context));
  grants = buurten_context_get_grants (context);
  g_assert_cmpuint (grants->len, ==, 2);
  grant = g_ptr_array_index (grants, 1);
  g_assert_cmpint (grant->role, ==, BUURTEN_ROLE_WIJKWETHOUDER);
  g_assert_cmpstr (grant->wijk, ==, "oost");

  /* A city-wide role: one grant for every wijk. */
  buurten_context_set_identity (context, "w.bakker", BUURTEN_ROLE_WETHOUDER_BUURTEN, wijken);
  grants = buurten_context_get_grants (context);
  g_assert_cmpuint (grants->len, ==, 1);
  g_assert_null (((const BuurtenGrant *) g_ptr_array_index (grants, 0))->wijk);

  /* After a login: the server's grants, kept in the settings. */
  g_settings_set_string (settings, "server-url", "https://buurten.example");
  g_ptr_array_add (server, buurten_grant_new (BUURTEN_ROLE_BUURTCOORDINATOR, "zuid"));
  g_object_set (context, "grants", server, NULL);
  g_assert_false (buurten_context_get_grants_provisional (context));
  kept = g_settings_get_string (settings, "user-grants");
  g_assert_cmpstr (kept, ==, "[{\"role\":\"buurtcoordinator\",\"wijk\":\"zuid\"}]");
  g_object_get (context, "grants", &property, NULL);
  g_assert_cmpuint (property->len, ==, 1);
  g_assert_true (buurten_grants_have_role (property, BUURTEN_ROLE_BUURTCOORDINATOR, "zuid"));
  g_assert_false (buurten_grants_have_role (property, BUURTEN_ROLE_WETHOUDER_BUURTEN, NULL));

  /* Setting the same again notifies nothing. */
  notified = 0;
  buurten_context_set_grants (context, server);
  g_assert_cmpint (notified, ==, 0);

  /* Working on this computer only again: self-chosen, provisional. */
  g_settings_set_string (settings, "server-url", "");
  g_assert_true (buurten_context_get_grants_provisional (context));
  g_assert_true (buurten_grants_have_role (buurten_context_get_grants (context),
                                           BUURTEN_ROLE_WETHOUDER_BUURTEN, "centrum"));
  g_assert_cmpint (notified, ==, 1);

  g_assert_finalize_object (context);
  g_settings_reset (settings, "server-url");
  g_settings_reset (settings, "user-grants");
  g_settings_reset (settings, "user-name");
  g_settings_reset (settings, "user-role");
  g_settings_reset (settings, "user-wijken");
}

static void
on_changed (BuurtenContext *context,
            const char     *type,
            const char     *id,
            char          **out)
{
  g_free (*out);
  *out = g_strconcat (type, ":", id ? id : "(null)", NULL);
}

static gpointer
run_func (BuurtenStore  *store,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  return g_strdup (buurten_store_get_path (store));
}

static void
run_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  char **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = buurten_store_load_finish (BUURTEN_STORE (source), result, &error);
  g_assert_no_error (error);
}

static void
test_context_run (void)
{
  g_autoptr(BuurtenMunicipality) municipality = load_municipality ();
  g_autofree char *dir = g_dir_make_tmp ("buurten-widgets-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "buurten.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BuurtenStore) store = buurten_store_open (path, &error);
  BuurtenContext *context;
  char *result = NULL;
  char *changed = NULL;

  g_assert_no_error (error);
  context = buurten_context_new (store, municipality, NULL, YEAR);
  buurten_store_load_async (buurten_context_get_store (context), run_func, NULL, NULL, g_free,
                            NULL, run_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (result, ==, path);
  g_free (result);

  g_signal_connect (context, "changed", G_CALLBACK (on_changed), &changed);
  buurten_context_notify_changed (context, "request", NULL);
  g_assert_cmpstr (changed, ==, "request:(null)");
  g_free (changed);

  /* The worker thread and the task let go of the context a moment after
   * the callback: wait for that (a leak would wait forever and time out). */
  g_object_add_weak_pointer (G_OBJECT (context), (gpointer *) &context);
  g_object_unref (context);
  while (context != NULL)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_clear_object (&store);
  g_remove (path);
  g_remove (dir);
}

/* A gate the store's only reader waits at, so that a page's load is
 * still waiting for its turn when the page closes. */
typedef struct
{
  GMutex   mutex;
  GCond    cond;
  gboolean reached;
  gboolean open;
} Gate;

static gpointer
hold_reader (BuurtenStore  *store,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  Gate *gate = data;

  g_mutex_lock (&gate->mutex);
  gate->reached = TRUE;
  g_cond_broadcast (&gate->cond);
  while (!gate->open)
    g_cond_wait (&gate->cond, &gate->mutex);
  g_mutex_unlock (&gate->mutex);
  return g_strdup ("held");
}

static void
held_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  char **out = user_data;

  *out = buurten_store_load_finish (BUURTEN_STORE (source), result, NULL);
}

static void
hold (BuurtenStore  *store,
      Gate          *gate,
      char         **held)
{
  g_mutex_init (&gate->mutex);
  g_cond_init (&gate->cond);
  gate->reached = gate->open = FALSE;
  buurten_store_load_async (store, hold_reader, gate, NULL, g_free, NULL, held_cb, held);
  g_mutex_lock (&gate->mutex);
  while (!gate->reached)
    g_cond_wait (&gate->cond, &gate->mutex);
  g_mutex_unlock (&gate->mutex);
}

static void
release (Gate  *gate,
         char **held)
{
  g_mutex_lock (&gate->mutex);
  gate->open = TRUE;
  g_cond_broadcast (&gate->cond);
  g_mutex_unlock (&gate->mutex);
  while (*held == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_clear_pointer (held, g_free);
  g_mutex_clear (&gate->mutex);
  g_cond_clear (&gate->cond);
}

/* A list page closed while its load waits or runs: disposed (its load
 * cancelled: the callback gets G_IO_ERROR_CANCELLED and touches nothing
 * of the disposed page), or only taken out of its window (the load
 * finishes into a page nobody shows). Either way the page is finalized
 * once the store lets go of its task; the ASan build checks that nothing
 * leaks and nothing touches freed memory. */
static void
test_list_view_close_mid_load (void)
{
  g_autoptr(BuurtenMunicipality) municipality = load_municipality ();
  g_autofree char *dir = g_dir_make_tmp ("buurten-widgets-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "buurten.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BuurtenStore) store = buurten_store_open (path, &error);
  g_autoptr(BuurtenContext) context = NULL;

  g_assert_no_error (error);
  context = buurten_context_new (store, municipality, NULL, YEAR);
  buurten_store_set_max_readers (store, 1);

  for (int variant = 0; variant < 4; variant++)
    {
      gboolean dispose = variant % 2 == 0;
      gboolean queued = variant < 2;
      GtkWidget *window = gtk_window_new ();
      GtkWidget *list = buurten_list_view_new (BUURTEN_LIST_REQUESTS);
      char *held = NULL;
      Gate gate;

      gtk_window_set_child (GTK_WINDOW (window), list);
      g_object_add_weak_pointer (G_OBJECT (list), (gpointer *) &list);
      /* A list loads when it is shown. */
      gtk_window_present (GTK_WINDOW (window));
      for (int i = 0; !gtk_widget_get_mapped (list) && i < 5000; i++)
        {
          g_main_context_iteration (NULL, FALSE);
          g_usleep (1000);
        }
      g_assert_true (gtk_widget_get_mapped (list));
      if (queued)
        hold (store, &gate, &held);
      buurten_list_view_set_context (BUURTEN_LIST_VIEW (list), context);
      buurten_list_view_set_wijk (BUURTEN_LIST_VIEW (list), "centrum");

      /* Closed: taken out of its window and disposed, as a page that
       * goes away for good; or only taken out. */
      if (dispose)
        {
          GtkWidget *closing = g_object_ref (list);

          gtk_window_set_child (GTK_WINDOW (window), NULL);
          /* (This drops the weak pointer: watch the page with a new one.) */
          g_object_run_dispose (G_OBJECT (closing));
          list = closing;
          g_object_add_weak_pointer (G_OBJECT (closing), (gpointer *) &list);
          g_object_unref (closing);
        }
      gtk_window_destroy (GTK_WINDOW (window));
      if (queued)
        release (&gate, &held);

      for (int i = 0; list != NULL && i < 5000; i++)
        {
          g_main_context_iteration (NULL, FALSE);
          g_usleep (1000);
        }
      g_assert_null (list);
      /* Nothing may come for the page after it went. */
      for (int i = 0; i < 20; i++)
        {
          while (g_main_context_iteration (NULL, FALSE))
            ;
          g_usleep (1000);
        }
    }

  g_clear_object (&context);
  {
    BuurtenStore *last = g_steal_pointer (&store);

    g_object_add_weak_pointer (G_OBJECT (last), (gpointer *) &last);
    g_object_unref (last);
    for (int i = 0; last != NULL && i < 5000; i++)
      {
        g_main_context_iteration (NULL, FALSE);
        g_usleep (1000);
      }
    g_assert_null (last);
  }
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_remove (wal);
    g_remove (shm);
  }
  g_remove (path);
  g_remove (dir);
}

static void
test_new_widgets (void)
{
  g_autoptr(BuurtenMunicipality) municipality = load_municipality ();
  g_autoptr(BuurtenContext) context = buurten_context_new (NULL, municipality, NULL, YEAR);
  g_autoptr(BuurtenOverview) overview = make_overview ();
  GtkWidget *page = g_object_ref_sink (buurten_dashboard_page_new ());
  GtkWidget *preferences;

  /* Every widget type of the desktop from its template, so that a widget
   * newer than GTK 4.8 or libadwaita 1.2 in a .ui file fails here. */
  buurten_dashboard_page_set_context (BUURTEN_DASHBOARD_PAGE (page), context);
  buurten_dashboard_page_set_wijk (BUURTEN_DASHBOARD_PAGE (page), overview, "centrum");
  g_assert_cmpstr (buurten_dashboard_page_get_wijk (BUURTEN_DASHBOARD_PAGE (page)), ==,
                   "centrum");
  buurten_dashboard_page_show_decisions (BUURTEN_DASHBOARD_PAGE (page), overview);
  g_assert_null (buurten_dashboard_page_get_wijk (BUURTEN_DASHBOARD_PAGE (page)));
  wait_finalize (page);

  for (int kind = BUURTEN_LIST_REQUESTS; kind <= BUURTEN_LIST_MEETINGS; kind++)
    {
      static const char *types[] = { "request", "initiative", "escalation", "meeting" };
      GtkWidget *list = g_object_ref_sink (buurten_list_view_new (kind));

      g_assert_cmpint (buurten_list_view_get_kind (BUURTEN_LIST_VIEW (list)), ==, kind);
      g_assert_cmpstr (buurten_list_view_get_entity_type (BUURTEN_LIST_VIEW (list)), ==,
                       types[kind]);
      buurten_list_view_set_context (BUURTEN_LIST_VIEW (list), context);
      buurten_list_view_set_wijk (BUURTEN_LIST_VIEW (list), "centrum");
      g_assert_cmpstr (buurten_list_view_get_wijk (BUURTEN_LIST_VIEW (list)), ==, "centrum");
      g_assert_cmpuint (buurten_list_view_get_n_loaded (BUURTEN_LIST_VIEW (list)), ==, 0);
      wait_finalize (list);
    }

  preferences = buurten_preferences_window_new (context, TRUE);
  g_assert_true (ADW_IS_PREFERENCES_WINDOW (preferences));
  gtk_window_destroy (GTK_WINDOW (preferences));

  /* The sync widgets (login, the header's sync button). */
  {
    GtkWidget *login = buurten_login_window_new (NULL, "https://buurten.example.nl", "anna",
                                                 "Your session has ended.");
    GtkWidget *button = g_object_ref_sink (g_object_new (BUURTEN_TYPE_SYNC_BUTTON, NULL));

    g_assert_true (ADW_IS_WINDOW (login));
    gtk_window_destroy (GTK_WINDOW (login));
    buurten_sync_button_set_engine (BUURTEN_SYNC_BUTTON (button), NULL);
    wait_finalize (button);
  }
}

static void
test_format_dates (void)
{
  GDate date;
  g_autofree char *text = NULL;
  g_autofree char *empty = NULL;
  g_autofree char *days = NULL;
  g_autofree char *one = NULL;

  /* LC_ALL=C.UTF-8 in tests: English abbreviations. */
  g_date_clear (&date, 1);
  empty = buurten_format_date (&date);
  g_assert_cmpstr (empty, ==, "");
  g_date_set_dmy (&date, 27, 4, 2026);
  text = buurten_format_date (&date);
  g_assert_cmpstr (text, ==, "Mon 27 Apr");
  days = buurten_format_days (12);
  g_assert_cmpstr (days, ==, "12 days");
  one = buurten_format_days (1);
  g_assert_cmpstr (one, ==, "1 day");
  g_assert_cmpstr (buurten_format_request_type (BUURTEN_REQUEST_TYPE_KLACHT), ==, "Complaint");
  g_assert_cmpstr (buurten_format_instrument ("buurtdeal_subsidiebeschikking"), ==,
                   "Buurtdeal and subsidiebeschikking");
}

/* ---- properties, bindings and leaks ------------------------------------ */

typedef struct
{
  char                *dir;
  BuurtenMunicipality *municipality;
  BuurtenStore        *store;
  BuurtenOverview     *overview;
  char                *request_id;   /* one request of Centrum */
} RealStore;

static void
real_store_open (RealStore *real)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BuurtenLedger) ledger = NULL;
  g_autofree char *path = NULL;

  real->dir = g_dir_make_tmp ("buurten-widgets-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (real->dir, "buurten.db", NULL);
  real->municipality = load_municipality ();
  real->store = buurten_store_open (path, &error);
  g_assert_no_error (error);
  buurten_store_import_municipality (real->store, real->municipality, &error);
  g_assert_no_error (error);
  {
    g_autoptr(BuurtenRequest) request = buurten_request_new ();

    request->id = buurten_uuid_new ();
    request->wijk = g_strdup ("centrum");
    request->title = g_strdup ("Losliggende stoeptegels");
    request->received_at = g_get_real_time () / G_USEC_PER_SEC;
    buurten_store_put (real->store, &buurten_request_info, request, "seed", NULL, NULL, &error);
    g_assert_no_error (error);
    real->request_id = g_strdup (request->id);
  }
  ledger = buurten_store_ledger (real->store, real->municipality, YEAR, &error);
  g_assert_no_error (error);
  real->overview = buurten_overview_new (real->store, real->municipality, ledger, YEAR);
}

static void
real_store_close (RealStore *real)
{
  g_autoptr(GDir) dir = g_dir_open (real->dir, 0, NULL);
  const char *name;

  g_clear_pointer (&real->overview, buurten_overview_unref);
  g_assert_finalize_object (real->store);
  g_clear_object (&real->municipality);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (real->dir, name, NULL);

      g_remove (file);
    }
  g_remove (real->dir);
  g_free (real->dir);
  g_free (real->request_id);
}

/* Runs the main loop until object's only reference is the caller's (the
 * callbacks of loads hold one until they ran), then asserts that dropping
 * it finalizes object: nothing else, no signal handler or binding, keeps it. */
static void
assert_finalize_soon (gpointer object)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (G_OBJECT (object)->ref_count > 1 && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_finalize_object (object);
}

static void
wait_mapped (GtkWidget *widget)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!gtk_widget_get_mapped (widget) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (gtk_widget_get_mapped (widget));
}

static gboolean
is_busy (gpointer object)
{
  gboolean busy = FALSE;

  g_object_get (object, "busy", &busy, NULL);
  return busy;
}

static void
wait_not_busy (gpointer object)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (is_busy (object) && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_false (is_busy (object));
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

/* Each page shown in a window on a real store, loaded, then taken down:
 * it must be finalized with its last reference. */
static void
test_pages_finalize (void)
{
  RealStore real = { 0, };
  BuurtenContext *context;

  real_store_open (&real);
  context = buurten_context_new (real.store, real.municipality, NULL, YEAR);

  for (int i = 0; i < 7; i++)
    {
      GtkWidget *window = g_object_ref (gtk_window_new ());
      GtkWidget *page;

      if (i == 0)
        {
          page = buurten_dashboard_page_new ();
          g_object_set (page, "context", context, NULL);
          buurten_dashboard_page_set_wijk (BUURTEN_DASHBOARD_PAGE (page), real.overview,
                                           "centrum");
        }
      else if (i == 1)
        {
          page = buurten_wijk_page_new ();
          buurten_wijk_page_set_wijk (BUURTEN_WIJK_PAGE (page), real.overview, "centrum");
        }
      else if (i == 2)
        {
          page = buurten_city_page_new ();
          buurten_city_page_set_overview (BUURTEN_CITY_PAGE (page), real.overview);
        }
      else
        {
          page = buurten_list_view_new (i - 3);
          g_object_set (page, "context", context, "wijk", "centrum", NULL);
        }
      g_object_ref_sink (page);
      gtk_window_set_child (GTK_WINDOW (window), page);
      gtk_window_present (GTK_WINDOW (window));
      wait_mapped (page);
      if (BUURTEN_IS_LIST_VIEW (page))
        wait_not_busy (page);
      /* The item shown: notified once per change. */
      if (BUURTEN_IS_LIST_VIEW (page) &&
          buurten_list_view_get_kind (BUURTEN_LIST_VIEW (page)) == BUURTEN_LIST_REQUESTS)
        {
          g_autofree char *selected = NULL;
          guint n_selected = 0;

          g_assert_cmpuint (buurten_list_view_get_n_loaded (BUURTEN_LIST_VIEW (page)), ==, 1);
          g_signal_connect (page, "notify::selected-id", G_CALLBACK (count_notify),
                            &n_selected);
          buurten_list_view_select_id (BUURTEN_LIST_VIEW (page), real.request_id);
          g_assert_cmpuint (n_selected, ==, 1);
          g_object_get (page, "selected-id", &selected, NULL);
          g_assert_cmpstr (selected, ==, real.request_id);
          g_clear_pointer (&selected, g_free);
          buurten_list_view_select_id (BUURTEN_LIST_VIEW (page), real.request_id);
          g_assert_cmpuint (n_selected, ==, 1);
          /* A reload (after a save) shows the same item again: no change. */
          buurten_context_notify_changed (context, "request", NULL);
          g_assert_true (is_busy (page));
          wait_not_busy (page);
          g_object_get (page, "selected-id", &selected, NULL);
          g_assert_cmpstr (selected, ==, real.request_id);
          g_assert_cmpuint (n_selected, ==, 1);
        }
      else if (BUURTEN_IS_DASHBOARD_PAGE (page))
        while (!buurten_dashboard_page_is_loaded (BUURTEN_DASHBOARD_PAGE (page)))
          g_main_context_iteration (NULL, TRUE);

      gtk_window_destroy (GTK_WINDOW (window));
      assert_finalize_soon (window);
      assert_finalize_soon (page);
    }

  g_assert_finalize_object (context);
  real_store_close (&real);
}

/* The window's properties notify once per change and never without one
 * (explicit notify); the pages follow through their bindings; the window
 * with every view shown and loaded is finalized with its last reference. */
static void
test_window_properties (void)
{
  RealStore real = { 0, };
  GtkWidget *window;
  BuurtenWindow *self;
  BuurtenContext *context = NULL;
  BuurtenListView *list = NULL;
  g_autofree char *wijk = NULL;
  guint n_wijk = 0;
  guint n_context = 0;
  guint n_busy = 0;
  guint n_year = 0;
  guint n_list_wijk = 0;
  int year = 0;
  static const char * const views[] = {
    "meldingen", "initiatieven", "escalaties", "agenda", "budget", "overzicht", NULL
  };

  real_store_open (&real);
  window = g_object_ref (buurten_window_new (NULL, NULL));
  self = BUURTEN_WINDOW (window);
  g_signal_connect (window, "notify::selected-wijk", G_CALLBACK (count_notify), &n_wijk);
  g_signal_connect (window, "notify::context", G_CALLBACK (count_notify), &n_context);
  g_signal_connect (window, "notify::busy", G_CALLBACK (count_notify), &n_busy);
  g_signal_connect (window, "notify::year", G_CALLBACK (count_notify), &n_year);

  g_object_get (window, "context", &context, "year", &year, NULL);
  g_assert_null (context);
  g_assert_cmpint (year, ==, 0);
  g_assert_true (is_busy (window));

  buurten_window_set_overview (self, real.overview);
  g_assert_cmpuint (n_context, ==, 1);
  g_assert_cmpuint (n_year, ==, 1);
  g_assert_cmpuint (n_busy, ==, 1);
  g_assert_false (is_busy (window));
  g_object_get (window, "context", &context, "year", &year, NULL);
  g_assert_nonnull (context);
  g_assert_true (context == buurten_window_get_context (self));
  g_assert_cmpint (year, ==, YEAR);

  /* The lists and the dashboards have the window's context bound. */
  {
    static const char * const children[] = {
      "requests_view", "initiatives_view", "escalations_view", "meetings_view",
      "dashboard_page", "decisions_page", NULL
    };

    for (guint i = 0; children[i] != NULL; i++)
      {
        GObject *child = gtk_widget_get_template_child (window, BUURTEN_TYPE_WINDOW,
                                                        children[i]);
        BuurtenContext *bound = NULL;

        g_object_get (child, "context", &bound, NULL);
        g_assert_true (bound == context);
        g_clear_object (&bound);
      }
    list = BUURTEN_LIST_VIEW (gtk_widget_get_template_child (window, BUURTEN_TYPE_WINDOW,
                                                             "requests_view"));
    g_assert_true (G_TYPE_CHECK_INSTANCE_TYPE (list, g_type_from_name ("BuurtenRequestList")));
  }
  g_clear_object (&context);
  g_signal_connect (list, "notify::wijk", G_CALLBACK (count_notify), &n_list_wijk);

  /* The same overview again: a reload, the same context, no notification. */
  buurten_window_set_overview (self, real.overview);
  g_assert_cmpuint (n_context, ==, 1);
  g_assert_cmpuint (n_year, ==, 1);
  g_assert_cmpuint (n_busy, ==, 1);

  /* The selected wijk: once per change; the list follows. */
  g_assert_true (buurten_window_select_wijk (self, "centrum"));
  g_assert_cmpuint (n_wijk, ==, 1);
  g_object_get (window, "selected-wijk", &wijk, NULL);
  g_assert_cmpstr (wijk, ==, "centrum");
  g_clear_pointer (&wijk, g_free);
  g_assert_cmpstr (buurten_list_view_get_wijk (list), ==, "centrum");
  g_assert_cmpuint (n_list_wijk, ==, 1);
  g_assert_true (buurten_window_select_wijk (self, "centrum"));
  g_assert_cmpuint (n_wijk, ==, 1);
  g_assert_cmpuint (n_list_wijk, ==, 1);
  g_object_set (window, "selected-wijk", "oost", NULL);
  g_assert_cmpuint (n_wijk, ==, 2);
  g_assert_cmpstr (buurten_window_get_selected_wijk (self), ==, "oost");
  g_assert_cmpstr (buurten_list_view_get_wijk (list), ==, "oost");
  g_assert_cmpuint (n_list_wijk, ==, 2);
  /* The city: no wijk; the lists keep theirs, to show again at once. */
  g_assert_true (buurten_window_select_wijk (self, NULL));
  g_assert_cmpuint (n_wijk, ==, 3);
  g_object_get (window, "selected-wijk", &wijk, NULL);
  g_assert_null (wijk);
  g_assert_cmpstr (buurten_list_view_get_wijk (list), ==, "oost");
  g_assert_cmpuint (n_list_wijk, ==, 2);
  g_assert_true (buurten_window_select_wijk (self, "centrum"));
  g_assert_cmpuint (n_wijk, ==, 4);

  /* Every view shown (so every list loads), then the window closed. */
  gtk_window_present (GTK_WINDOW (window));
  wait_mapped (window);
  for (guint i = 0; views[i] != NULL; i++)
    {
      guint n_view = 0;
      gulong id = g_signal_connect (window, "notify::view", G_CALLBACK (count_notify), &n_view);
      g_autofree char *view = NULL;
      GtkWidget *child;

      g_assert_true (buurten_window_set_view (self, views[i]));
      g_assert_cmpuint (n_view, ==, 1);
      g_assert_true (buurten_window_set_view (self, views[i]));
      g_assert_cmpuint (n_view, ==, 1);
      g_object_get (window, "view", &view, NULL);
      g_assert_cmpstr (view, ==, views[i]);
      g_signal_handler_disconnect (window, id);

      child = adw_view_stack_get_visible_child (
        ADW_VIEW_STACK (gtk_widget_get_template_child (window, BUURTEN_TYPE_WINDOW,
                                                       "view_stack")));
      wait_mapped (child);
      if (BUURTEN_IS_LIST_VIEW (child))
        {
          wait_not_busy (child);
          g_assert_cmpstr (buurten_list_view_get_wijk (BUURTEN_LIST_VIEW (child)), ==, "centrum");
        }
    }

  gtk_window_destroy (GTK_WINDOW (window));
  assert_finalize_soon (window);
  real_store_close (&real);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  buurten_ui_register_resources ();

  g_test_add_func ("/widgets/format/percent", test_format_percent);
  g_test_add_func ("/widgets/format/thermometer", test_format_thermometer);
  g_test_add_func ("/widgets/format/thermometer-bar", test_thermometer_bar);
  g_test_add_func ("/widgets/overview", test_overview);
  g_test_add_func ("/widgets/resources", test_resources);
  g_test_add_func ("/widgets/help-overlay", test_help_overlay);
  g_test_add_func ("/widgets/wijk-page", test_wijk_page);
  g_test_add_func ("/widgets/city-page", test_city_page);
  g_test_add_func ("/widgets/window", test_window);
  g_test_add_func ("/widgets/window/settings", test_window_settings);
  g_test_add_func ("/widgets/window/unknown-selection", test_window_unknown_selection);
  g_test_add_func ("/widgets/application", test_application);
  g_test_add_func ("/widgets/thermometer-bar", test_thermometer_widget);
  g_test_add_func ("/widgets/context", test_context);
  g_test_add_func ("/widgets/context/run", test_context_run);
  g_test_add_func ("/widgets/context/grants", test_context_grants);
  g_test_add_func ("/widgets/new-widgets", test_new_widgets);
  g_test_add_func ("/widgets/pages/finalize", test_pages_finalize);
  g_test_add_func ("/widgets/window/properties", test_window_properties);
  g_test_add_func ("/widgets/overview/load", test_overview_load);
  g_test_add_func ("/widgets/list-view/close-mid-load", test_list_view_close_mid_load);
  g_test_add_func ("/widgets/format/dates", test_format_dates);

  return g_test_run ();
}
