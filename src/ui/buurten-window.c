/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-window"

#include "config.h"

#include "buurten-window-private.h"

#include <glib/gi18n.h>

#include "buurten-city-page.h"
#include "buurten-dashboard-page.h"
#include "buurten-editors.h"
#include "buurten-format.h"
#include "buurten-escalation-list.h"
#include "buurten-initiative-list.h"
#include "buurten-list-view.h"
#include "buurten-meeting-list.h"
#include "buurten-preferences-window.h"
#include "buurten-request-list.h"
#include "buurten-sync-button.h"
#include "buurten-thermometer-bar.h"
#include "buurten-wijk-page.h"

G_DEFINE_FINAL_TYPE (BuurtenWindow, buurten_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_CONTEXT,
  PROP_SELECTED_WIJK,
  PROP_VIEW,
  PROP_YEAR,
  PROP_BUSY,
  PROP_SYNC_ENGINE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define ROW_WIJK_KEY     "buurten-wijk"
#define ROW_SPECIAL_KEY  "buurten-special"
#define DECISIONS_ID     "@besluiten"

static const char * const view_names[] = {
  "overzicht", "meldingen", "initiatieven", "escalaties", "agenda", "budget", NULL
};

static void on_sync_notify_cb (BuurtenWindow *self);
static void on_synced_cb (BuurtenWindow *self);
static void show_row (BuurtenWindow *self,
                      GtkListBoxRow *row);

/* ---- helpers --------------------------------------------------------- */

static void
set_page (BuurtenWindow *self,
          const char    *name)
{
  gboolean loading = g_strcmp0 (name, "loading") == 0;

  gtk_stack_set_visible_child_name (self->main_stack, name);
  /* A spinner that nobody sees should not keep the frame clock busy. */
  gtk_spinner_set_spinning (self->spinner, loading);
  if (self->busy != loading)
    {
      self->busy = loading;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
    }
}

/* The wijk shown changed: the lists follow through their bindings. */
static void
set_selected_wijk (BuurtenWindow *self,
                   const char    *wijk)
{
  if (g_strcmp0 (self->selected_wijk, wijk) == 0)
    return;
  g_free (self->selected_wijk);
  self->selected_wijk = g_strdup (wijk);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_WIJK]);
}

static void
clear_sidebar (BuurtenWindow *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->sidebar_list))) != NULL)
    gtk_list_box_remove (self->sidebar_list, child);
}

static GtkWidget *
create_sidebar_row (const char               *wijk,
                    const char               *name,
                    const BuurtenThermometer *thermometer)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *label = gtk_label_new (name);

  gtk_widget_set_margin_top (box, 2);
  gtk_widget_set_margin_bottom (box, 2);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (box), label);

  if (thermometer != NULL)
    {
      GtkWidget *bar = buurten_thermometer_bar_new ();

      buurten_thermometer_bar_set_compact (BUURTEN_THERMOMETER_BAR (bar), TRUE);
      buurten_thermometer_bar_set_thermometer (BUURTEN_THERMOMETER_BAR (bar), thermometer);
      gtk_box_append (GTK_BOX (box), bar);
    }

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  /* GTK 4.8 does not name a row after its label; assistive technology
   * and the UI tests find rows by this name. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);
  g_object_set_data_full (G_OBJECT (row), ROW_WIJK_KEY, g_strdup (wijk), g_free);

  return row;
}

static void
sidebar_header_func (GtkListBoxRow *row,
                     GtkListBoxRow *before,
                     gpointer       user_data)
{
  const char *header = g_object_get_data (G_OBJECT (row), "buurten-header");

  if (header != NULL)
    {
      GtkWidget *label = gtk_list_box_row_get_header (row);

      if (label == NULL)
        {
          label = gtk_label_new (header);
          gtk_label_set_xalign (GTK_LABEL (label), 0.0);
          gtk_widget_add_css_class (label, "heading");
          gtk_widget_add_css_class (label, "dim-label");
          gtk_widget_add_css_class (label, "sidebar-heading");
          gtk_list_box_row_set_header (row, label);
        }
    }
  else
    {
      gtk_list_box_row_set_header (row, NULL);
    }
}

static GtkListBoxRow *
find_sidebar_row (BuurtenWindow *self,
                  const char    *wijk)
{
  if (wijk != NULL && wijk[0] == '\0')
    wijk = NULL;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->sidebar_list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (!GTK_IS_LIST_BOX_ROW (child))
        continue;
      if (g_strcmp0 (wijk, DECISIONS_ID) == 0)
        {
          if (g_object_get_data (G_OBJECT (child), ROW_SPECIAL_KEY) != NULL)
            return GTK_LIST_BOX_ROW (child);
          continue;
        }
      if (g_object_get_data (G_OBJECT (child), ROW_SPECIAL_KEY) != NULL)
        continue;
      if (g_strcmp0 (g_object_get_data (G_OBJECT (child), ROW_WIJK_KEY), wijk) == 0)
        return GTK_LIST_BOX_ROW (child);
    }

  return NULL;
}

static gboolean
role_decides (BuurtenWindow *self)
{
  GPtrArray *grants;

  if (self->context == NULL || !buurten_context_has_identity (self->context))
    return FALSE;
  /* The grants say it (in any wijk): the server's after a login. */
  grants = buurten_context_get_grants (self->context);
  return buurten_grants_have_role (grants, BUURTEN_ROLE_WIJKWETHOUDER, NULL) ||
         buurten_grants_have_role (grants, BUURTEN_ROLE_WETHOUDER_BUURTEN, NULL);
}

static void
update_header (BuurtenWindow *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->content_stack);
  gboolean wijk = g_strcmp0 (page, "wijk") == 0;

  adw_view_switcher_title_set_view_switcher_enabled (self->switcher_title, wijk);
  adw_view_switcher_bar_set_reveal (self->switcher_bar,
                                    wijk && adw_view_switcher_title_get_title_visible (self->switcher_title));
  gtk_widget_set_visible (self->search_button, wijk);
}

/* ---- showing a row --------------------------------------------------- */

static void
show_row (BuurtenWindow *self,
          GtkListBoxRow *row)
{
  const char *wijk;

  if (row == NULL || self->overview == NULL)
    return;

  if (g_object_get_data (G_OBJECT (row), ROW_SPECIAL_KEY) != NULL)
    {
      adw_view_switcher_title_set_title (self->switcher_title, _("For Decision"));
      adw_view_switcher_title_set_subtitle (self->switcher_title, NULL);
      buurten_dashboard_page_show_decisions (self->decisions_page, self->overview);
      set_selected_wijk (self, NULL);
      gtk_stack_set_visible_child_name (self->content_stack, "decisions");
      update_header (self);
      if (self->settings != NULL)
        g_settings_set_string (self->settings, "selected-wijk", DECISIONS_ID);
      return;
    }

  wijk = g_object_get_data (G_OBJECT (row), ROW_WIJK_KEY);

  /* A wijk of the municipality that the ledger does not know (should not
   * happen) shows the city rather than an empty page. */
  if (wijk != NULL && buurten_overview_lookup (self->overview, wijk) == NULL)
    wijk = NULL;

  if (wijk == NULL)
    {
      adw_view_switcher_title_set_title (self->switcher_title,
                                         buurten_municipality_get_name (self->overview->municipality));
      adw_view_switcher_title_set_subtitle (self->switcher_title, NULL);
      set_selected_wijk (self, NULL);
      gtk_stack_set_visible_child_name (self->content_stack, "city");
    }
  else
    {
      const BuurtenThermometer *thermometer = buurten_overview_lookup (self->overview, wijk);

      adw_view_switcher_title_set_title (self->switcher_title, thermometer->name);
      buurten_dashboard_page_set_wijk (self->dashboard_page, self->overview, wijk);
      buurten_wijk_page_set_wijk (self->wijk_page, self->overview, wijk);
      /* Before the page is shown: a list must not show the items of the
       * wijk before, not even for a moment. */
      set_selected_wijk (self, wijk);
      gtk_stack_set_visible_child_name (self->content_stack, "wijk");
    }
  update_header (self);

  if (self->settings != NULL)
    g_settings_set_string (self->settings, "selected-wijk", wijk ? wijk : "");
}

static void
rebuild_sidebar (BuurtenWindow *self,
                 const char    *selected)
{
  BuurtenOverview *overview = self->overview;
  GPtrArray *wijken = buurten_municipality_get_wijken (overview->municipality);
  gboolean first_mine = TRUE;
  gboolean first_other = TRUE;
  gboolean any_mine = FALSE;
  GtkListBoxRow *row;

  /* Selecting rows while the list is rebuilt would save a wrong
   * selection; the handler stays blocked until the right row is chosen. */
  clear_sidebar (self);
  gtk_list_box_append (self->sidebar_list,
                       create_sidebar_row (NULL,
                                           buurten_municipality_get_name (overview->municipality),
                                           NULL));
  if (role_decides (self))
    {
      GtkWidget *decisions = create_sidebar_row (NULL, _("For Decision"), NULL);

      g_object_set_data (G_OBJECT (decisions), ROW_SPECIAL_KEY, GINT_TO_POINTER (1));
      gtk_list_box_append (self->sidebar_list, decisions);
    }

  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < wijken->len; i++)
      {
        const BuurtenWijk *wijk = g_ptr_array_index (wijken, i);
        gboolean mine = self->context != NULL &&
                        buurten_context_user_has_wijk (self->context, wijk->id);
        GtkWidget *wijk_row;

        if ((pass == 0) != mine)
          continue;
        wijk_row = create_sidebar_row (wijk->id, wijk->name,
                                       buurten_overview_lookup (overview, wijk->id));
        if (mine && first_mine)
          {
            g_object_set_data (G_OBJECT (wijk_row), "buurten-header", (gpointer) _("My Wijken"));
            first_mine = FALSE;
            any_mine = TRUE;
          }
        else if (!mine && first_other)
          {
            g_object_set_data (G_OBJECT (wijk_row), "buurten-header",
                               (gpointer) (any_mine ? _("Other Wijken") : _("Wijken")));
            first_other = FALSE;
          }
        gtk_list_box_append (self->sidebar_list, wijk_row);
      }

  row = find_sidebar_row (self, selected);
  if (row == NULL || (selected != NULL && selected[0] != '\0' &&
                      g_strcmp0 (selected, DECISIONS_ID) != 0 &&
                      buurten_overview_lookup (overview, selected) == NULL))
    row = find_sidebar_row (self, NULL);
  gtk_list_box_select_row (self->sidebar_list, row);
}

/* ---- window state ---------------------------------------------------- */

static void
load_window_state (BuurtenWindow *self)
{
  if (self->settings == NULL)
    return;

  /* The size and state are read once and saved when the window closes
   * (save_window_state), not at every step of a resize. */
  g_settings_bind (self->settings, "window-width", self, "default-width",
                   G_SETTINGS_BIND_GET | G_SETTINGS_BIND_GET_NO_CHANGES);
  g_settings_bind (self->settings, "window-height", self, "default-height",
                   G_SETTINGS_BIND_GET | G_SETTINGS_BIND_GET_NO_CHANGES);
  g_settings_bind (self->settings, "window-maximized", self, "maximized",
                   G_SETTINGS_BIND_GET | G_SETTINGS_BIND_GET_NO_CHANGES);

  /* The schema's choices are the views' names. */
  g_settings_bind (self->settings, "selected-view", self->view_stack, "visible-child-name",
                   G_SETTINGS_BIND_DEFAULT);
}

static void
save_window_state (BuurtenWindow *self)
{
  int width = 0;
  int height = 0;

  if (self->settings == NULL)
    return;

  /* The default size follows the size the user gives the window, except
   * while it is maximized: so it is the size to restore. */
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_delay (self->settings);
  if (width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", MAX (width, 360));
      g_settings_set_int (self->settings, "window-height", MAX (height, 294));
    }
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  g_settings_apply (self->settings);
}

/* ---- reloading the thermometers after a save ------------------------- */

static gpointer
ledger_in_thread (BuurtenStore  *store,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  BuurtenOverview *old = data;
  g_autoptr(BuurtenLedger) ledger = buurten_store_ledger (store, old->municipality, old->year,
                                                          error);

  if (ledger == NULL)
    return NULL;

  return buurten_overview_new (store, old->municipality, ledger, old->year);
}

static void
ledger_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(BuurtenWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BuurtenOverview) overview = NULL;

  overview = buurten_store_load_finish (BUURTEN_STORE (source), result, &error);
  if (overview == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("Cannot reload the budgets: %s", error ? error->message : "?");
      return;
    }

  buurten_window_set_overview (self, overview);
}

static void
on_context_changed_cb (BuurtenContext *context,
                       const char     *entity_type,
                       const char     *id,
                       BuurtenWindow  *self)
{
  /* A local edit: its outbox row waits; send it soon. */
  if (self->sync != NULL && !self->applying_sync)
    buurten_sync_engine_schedule_soon (self->sync);

  /* Money moved: every thermometer may change. */
  if (g_strcmp0 (entity_type, "commitment") != 0 && g_strcmp0 (entity_type, "initiative") != 0 &&
      g_strcmp0 (entity_type, "payment") != 0 && g_strcmp0 (entity_type, "signature") != 0 &&
      g_strcmp0 (entity_type, "transfer") != 0 && g_strcmp0 (entity_type, "decision") != 0)
    return;
  if (self->overview == NULL || self->overview->store == NULL)
    return;

  g_cancellable_cancel (self->reload_cancellable);
  g_clear_object (&self->reload_cancellable);
  self->reload_cancellable = g_cancellable_new ();
  buurten_store_load_async (buurten_context_get_store (context),
                            ledger_in_thread, buurten_overview_ref (self->overview),
                            (GDestroyNotify) buurten_overview_unref,
                            (GDestroyNotify) buurten_overview_unref,
                            self->reload_cancellable, ledger_cb, g_object_ref (self));
}

static void
select_first_wijk (BuurtenWindow *self)
{
  const char * const *wijken = buurten_context_get_user_wijken (self->context);

  if (wijken[0] != NULL)
    buurten_window_select_wijk (self, wijken[0]);
}

static void
on_identity_changed_cb (BuurtenContext *context,
                        BuurtenWindow  *self)
{
  g_autofree char *selected = NULL;
  GtkListBoxRow *row;

  if (self->overview == NULL)
    return;

  row = gtk_list_box_get_selected_row (self->sidebar_list);
  if (row != NULL && g_object_get_data (G_OBJECT (row), ROW_SPECIAL_KEY) == NULL)
    selected = g_strdup (g_object_get_data (G_OBJECT (row), ROW_WIJK_KEY));

  rebuild_sidebar (self, selected);
}

static void
on_first_run_closed_cb (GtkWindow     *window,
                        BuurtenWindow *self)
{
  /* The dashboard opens on my first wijk. */
  if (self->context != NULL && buurten_context_has_identity (self->context))
    select_first_wijk (self);
}

static void
ask_identity (BuurtenWindow *self)
{
  GtkWidget *preferences;

  if (self->asked_identity || self->context == NULL ||
      buurten_context_has_identity (self->context) ||
      gtk_window_get_application (GTK_WINDOW (self)) == NULL)
    return;

  self->asked_identity = TRUE;
  preferences = buurten_preferences_window_new (self->context, TRUE);
  gtk_window_set_transient_for (GTK_WINDOW (preferences), GTK_WINDOW (self));
  gtk_window_set_modal (GTK_WINDOW (preferences), TRUE);
  g_signal_connect_object (preferences, "destroy", G_CALLBACK (on_first_run_closed_cb), self, 0);
  gtk_window_present (GTK_WINDOW (preferences));
}

/* ---- signal handlers ------------------------------------------------- */

static void
on_sidebar_list_row_selected_cb (GtkListBox    *list,
                                 GtkListBoxRow *row,
                                 BuurtenWindow *self)
{
  show_row (self, row);
}

static void
on_sidebar_list_row_activated_cb (GtkListBox    *list,
                                  GtkListBoxRow *row,
                                  BuurtenWindow *self)
{
  /* When folded, activating a row moves on to its page. */
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

/* Tab leaves the sidebar, as it leaves any list: forward to the page,
 * backward to the sidebar's header; the arrow keys move between the wijken.
 * GTK 4.8's list box would give the focus (and with it the selection, so
 * a whole page load) to each row in turn. */
static gboolean
on_sidebar_list_key_pressed_cb (GtkEventControllerKey *controller,
                                guint                  keyval,
                                guint                  keycode,
                                GdkModifierType        state,
                                BuurtenWindow         *self)
{
  GtkDirectionType direction;
  GtkWidget *target;

  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) != 0)
    return GDK_EVENT_PROPAGATE;
  if (keyval == GDK_KEY_ISO_Left_Tab ||
      ((keyval == GDK_KEY_Tab || keyval == GDK_KEY_KP_Tab) && (state & GDK_SHIFT_MASK) != 0))
    direction = GTK_DIR_TAB_BACKWARD;
  else if (keyval == GDK_KEY_Tab || keyval == GDK_KEY_KP_Tab)
    direction = GTK_DIR_TAB_FORWARD;
  else
    return GDK_EVENT_PROPAGATE;

  /* Folded, the page is not shown: then the usual order. */
  target = direction == GTK_DIR_TAB_FORWARD ? self->content_box : self->sidebar_header;
  if (!gtk_widget_get_mapped (target))
    return GDK_EVENT_PROPAGATE;

  return gtk_widget_child_focus (target, direction) ? GDK_EVENT_STOP : GDK_EVENT_PROPAGATE;
}

static void
on_back_button_clicked_cb (BuurtenWindow *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
on_leaflet_folded_cb (BuurtenWindow *self)
{
  update_header (self);
}

static void
on_switcher_title_visible_cb (BuurtenWindow *self)
{
  update_header (self);
}

static void
on_view_stack_visible_child_cb (BuurtenWindow *self)
{
  /* The setting selected-view is bound to the stack (load_window_state). */
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEW]);
}

static void
on_city_page_wijk_activated_cb (BuurtenCityPage *page,
                                const char      *wijk,
                                BuurtenWindow   *self)
{
  buurten_window_select_wijk (self, wijk);
}

static void
on_open_item_cb (BuurtenDashboardPage *page,
                 const char           *entity_type,
                 const char           *id,
                 BuurtenWindow        *self)
{
  BuurtenListView *list = NULL;
  const char *view = NULL;

  if (g_str_equal (entity_type, "request"))
    list = self->requests_view, view = "meldingen";
  else if (g_str_equal (entity_type, "initiative"))
    list = self->initiatives_view, view = "initiatieven";
  else if (g_str_equal (entity_type, "escalation"))
    list = self->escalations_view, view = "escalaties";
  else if (g_str_equal (entity_type, "meeting"))
    list = self->meetings_view, view = "agenda";
  if (list == NULL)
    return;

  /* "Ter besluitvorming" spans wijken: its rows open the decision. */
  if (page == self->decisions_page && self->context != NULL)
    {
      buurten_open_decision (GTK_WIDGET (self), self->context, id);
      return;
    }

  adw_view_stack_set_visible_child_name (self->view_stack, view);
  buurten_list_view_select_id (list, id);
}

/* ---- GObject --------------------------------------------------------- */

static gboolean
buurten_window_close_request (GtkWindow *window)
{
  save_window_state (BUURTEN_WINDOW (window));

  return GTK_WINDOW_CLASS (buurten_window_parent_class)->close_request (window);
}

static void
buurten_window_constructed (GObject *object)
{
  BuurtenWindow *self = (BuurtenWindow *) object;

  G_OBJECT_CLASS (buurten_window_parent_class)->constructed (object);

  load_window_state (self);
}

static void
buurten_window_dispose (GObject *object)
{
  BuurtenWindow *self = (BuurtenWindow *) object;

  g_cancellable_cancel (self->reload_cancellable);
  g_clear_object (&self->reload_cancellable);
  if (self->context != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->context, on_context_changed_cb, self);
      g_signal_handlers_disconnect_by_func (self->context, on_identity_changed_cb, self);
    }
  if (self->sync != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->sync, on_sync_notify_cb, self);
      g_signal_handlers_disconnect_by_func (self->sync, on_synced_cb, self);
      g_clear_object (&self->sync);
    }
  /* Pages leaving the stack must not be saved as the view to show. */
  if (self->view_stack != NULL)
    g_settings_unbind (self->view_stack, "visible-child-name");
  gtk_widget_dispose_template (GTK_WIDGET (self), BUURTEN_TYPE_WINDOW);
  g_clear_pointer (&self->overview, buurten_overview_unref);
  g_clear_object (&self->context);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (buurten_window_parent_class)->dispose (object);
}

static void
buurten_window_finalize (GObject *object)
{
  BuurtenWindow *self = (BuurtenWindow *) object;

  g_free (self->selected_wijk);

  G_OBJECT_CLASS (buurten_window_parent_class)->finalize (object);
}

static void
buurten_window_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  BuurtenWindow *self = BUURTEN_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;

    case PROP_SELECTED_WIJK:
      g_value_set_string (value, self->selected_wijk);
      break;

    case PROP_VIEW:
      g_value_set_string (value, buurten_window_get_view (self));
      break;

    case PROP_YEAR:
      g_value_set_int (value, self->overview != NULL ? self->overview->year : 0);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;

    case PROP_SYNC_ENGINE:
      g_value_set_object (value, self->sync);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
buurten_window_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  BuurtenWindow *self = BUURTEN_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    case PROP_SELECTED_WIJK:
      buurten_window_select_wijk (self, g_value_get_string (value));
      break;

    case PROP_VIEW:
      buurten_window_set_view (self, g_value_get_string (value));
      break;

    case PROP_SYNC_ENGINE:
      buurten_window_set_sync_engine (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
buurten_window_class_init (BuurtenWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = buurten_window_constructed;
  object_class->dispose = buurten_window_dispose;
  object_class->finalize = buurten_window_finalize;
  object_class->get_property = buurten_window_get_property;
  object_class->set_property = buurten_window_set_property;

  window_class->close_request = buurten_window_close_request;

  /**
   * BuurtenWindow:settings:
   *
   * Where the window keeps its size, the selected wijk and view and the
   * identity of the user, or %NULL.
   */
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * BuurtenWindow:context:
   *
   * The store, municipality, year and user the pages work with: made when
   * the first overview arrives (and again for another store), %NULL
   * before. The pages and lists have it bound.
   */
  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, BUURTEN_TYPE_CONTEXT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * BuurtenWindow:selected-wijk:
   *
   * The id of the wijk shown, or %NULL (the city, or "For Decision").
   * The lists follow it. Setting an unknown wijk does nothing.
   */
  properties[PROP_SELECTED_WIJK] =
    g_param_spec_string ("selected-wijk", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * BuurtenWindow:view:
   *
   * The view of a wijk shown: "overzicht", "meldingen", "initiatieven",
   * "escalaties", "agenda" or "budget".
   */
  properties[PROP_VIEW] =
    g_param_spec_string ("view", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * BuurtenWindow:year:
   *
   * The budget year shown, 0 before the overview arrives.
   */
  properties[PROP_YEAR] =
    g_param_spec_int ("year", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * BuurtenWindow:busy:
   *
   * Whether the window shows that the data is being opened.
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * BuurtenWindow:sync-engine:
   *
   * The engine that synchronises with the server, or %NULL (this
   * computer only); the header's sync button has it bound.
   */
  properties[PROP_SYNC_ENGINE] =
    g_param_spec_object ("sync-engine", NULL, NULL, BUURTEN_TYPE_SYNC_ENGINE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The pages are used in the template, so their types must exist first. */
  g_type_ensure (BUURTEN_TYPE_CITY_PAGE);
  g_type_ensure (BUURTEN_TYPE_WIJK_PAGE);
  g_type_ensure (BUURTEN_TYPE_DASHBOARD_PAGE);
  g_type_ensure (BUURTEN_TYPE_REQUEST_LIST);
  g_type_ensure (BUURTEN_TYPE_INITIATIVE_LIST);
  g_type_ensure (BUURTEN_TYPE_ESCALATION_LIST);
  g_type_ensure (BUURTEN_TYPE_MEETING_LIST);
  g_type_ensure (BUURTEN_TYPE_SYNC_BUTTON);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/nl/hilversum/Buurten/buurten-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BuurtenWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, BuurtenWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, BuurtenWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, BuurtenWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, BuurtenWindow, sidebar_header);
  gtk_widget_class_bind_template_child (widget_class, BuurtenWindow, sidebar_list);
  gtk_widget_class_bind_template_child (widget_class, BuurtenWindow, content_box);
  gtk_widget_class_bind_template_child (widget_class, BuurtenWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, BuurtenWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, BuurtenWindow, new_button);
  gtk_widget_class_bind_template_child (widget_class, BuurtenWindow, search_button);
  gtk_widget_class_bind_template_child (widget_class, BuurtenWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, BuurtenWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, BuurtenWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, BuurtenWindow, city_page);
  gtk_widget_class_bind_template_child (widget_class, BuurtenWindow, decisions_page);
  gtk_widget_class_bind_template_child (widget_class, BuurtenWindow, dashboard_page);
  gtk_widget_class_bind_template_child (widget_class, BuurtenWindow, requests_view);
  gtk_widget_class_bind_template_child (widget_class, BuurtenWindow, initiatives_view);
  gtk_widget_class_bind_template_child (widget_class, BuurtenWindow, escalations_view);
  gtk_widget_class_bind_template_child (widget_class, BuurtenWindow, meetings_view);
  gtk_widget_class_bind_template_child (widget_class, BuurtenWindow, wijk_page);
  gtk_widget_class_bind_template_child (widget_class, BuurtenWindow, sidebar_title);
  gtk_widget_class_bind_template_child (widget_class, BuurtenWindow, sync_button);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_list_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_list_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_back_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_leaflet_folded_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_switcher_title_visible_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_view_stack_visible_child_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_city_page_wijk_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_open_item_cb);
}

static gboolean
transform_wijk_cb (GBinding     *binding,
                   const GValue *from,
                   GValue       *to,
                   gpointer      user_data)
{
  if (g_value_get_string (from) == NULL)
    return FALSE;
  g_value_copy (from, to);
  return TRUE;
}

static void
bind_wijk (BuurtenWindow   *self,
           BuurtenListView *list)
{
  g_object_bind_property_full (self, "selected-wijk", list, "wijk", G_BINDING_DEFAULT,
                               transform_wijk_cb, NULL, NULL, NULL);
}

static void
buurten_window_init (BuurtenWindow *self)
{
  GtkEventController *keys;

  gtk_widget_init_template (GTK_WIDGET (self));

  buurten_window_install_actions (self);

  /* The lists show the wijk selected; the city and "For Decision" leave
   * them on the last wijk, to show again without loading. */
  bind_wijk (self, self->requests_view);
  bind_wijk (self, self->initiatives_view);
  bind_wijk (self, self->escalations_view);
  bind_wijk (self, self->meetings_view);
  gtk_list_box_set_header_func (self->sidebar_list, sidebar_header_func, NULL, NULL);

  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (on_sidebar_list_key_pressed_cb),
                           self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self->sidebar_list), keys);

  set_page (self, "loading");
  update_header (self);
}

/* ---- public API ------------------------------------------------------ */

GtkWidget *
buurten_window_new (GtkApplication *application,
                    GSettings      *settings)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  return g_object_new (BUURTEN_TYPE_WINDOW,
                       "application", application,
                       "settings", settings,
                       NULL);
}

void
buurten_window_show_loading (BuurtenWindow *self)
{
  g_return_if_fail (BUURTEN_IS_WINDOW (self));

  set_page (self, "loading");
}

void
buurten_window_show_error (BuurtenWindow *self,
                           const GError  *error)
{
  const char *title = _("Cannot Open the Data");
  const char *icon = "dialog-error-symbolic";
  g_autofree char *escaped = NULL;

  g_return_if_fail (BUURTEN_IS_WINDOW (self));
  g_return_if_fail (error != NULL);

  /* The store's messages already say what happened to the file and what
   * to do; the title only names the kind of trouble. */
  if (g_error_matches (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_NEWER_SCHEMA))
    {
      title = _("Made by a Newer Version");
      icon = "software-update-available-symbolic";
    }
  else if (g_error_matches (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_CORRUPT))
    {
      title = _("The Data Is Damaged");
    }

  /* The status page reads its description as markup; messages may
   * contain file names with any character in them. */
  escaped = g_markup_escape_text (error->message, -1);
  adw_status_page_set_icon_name (self->error_page, icon);
  adw_status_page_set_title (self->error_page, title);
  adw_status_page_set_description (self->error_page, escaped);

  set_page (self, "error");
}

void
buurten_window_set_overview (BuurtenWindow   *self,
                             BuurtenOverview *overview)
{
  g_autofree char *selected = NULL;
  gboolean first = FALSE;
  int year;

  g_return_if_fail (BUURTEN_IS_WINDOW (self));
  g_return_if_fail (overview != NULL);

  year = self->overview != NULL ? self->overview->year : 0;

  /* Keep the selection when the overview is replaced (a reload); at
   * start, take the one of the last session, or my first wijk. */
  if (self->overview != NULL)
    {
      GtkListBoxRow *row = gtk_list_box_get_selected_row (self->sidebar_list);

      if (row != NULL && g_object_get_data (G_OBJECT (row), ROW_SPECIAL_KEY) != NULL)
        selected = g_strdup (DECISIONS_ID);
      else
        selected = g_strdup (buurten_window_get_selected_wijk (self));
    }
  else
    {
      first = TRUE;
    }

  buurten_overview_ref (overview);
  g_clear_pointer (&self->overview, buurten_overview_unref);
  self->overview = overview;

  if (self->context == NULL ||
      buurten_context_get_store (self->context) != overview->store ||
      buurten_context_get_municipality (self->context) != overview->municipality)
    {
      if (self->context != NULL)
        {
          g_signal_handlers_disconnect_by_func (self->context, on_context_changed_cb, self);
          g_signal_handlers_disconnect_by_func (self->context, on_identity_changed_cb, self);
        }
      g_clear_object (&self->context);
      self->context = buurten_context_new (overview->store, overview->municipality,
                                           self->settings, overview->year);
      g_signal_connect (self->context, "changed", G_CALLBACK (on_context_changed_cb), self);
      g_signal_connect (self->context, "identity-changed", G_CALLBACK (on_identity_changed_cb),
                        self);
      /* The pages and lists have it bound (buurten-window.ui). */
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTEXT]);
    }
  if (year != overview->year)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_YEAR]);

  if (first)
    {
      if (self->settings != NULL &&
          g_settings_get_user_value (self->settings, "selected-wijk") != NULL)
        selected = g_settings_get_string (self->settings, "selected-wijk");
      else if (buurten_context_get_user_wijken (self->context)[0] != NULL)
        selected = g_strdup (buurten_context_get_user_wijken (self->context)[0]);
    }

  buurten_city_page_set_overview (self->city_page, overview);

  g_signal_handlers_block_by_func (self->sidebar_list, on_sidebar_list_row_selected_cb, self);
  rebuild_sidebar (self, selected);
  g_signal_handlers_unblock_by_func (self->sidebar_list, on_sidebar_list_row_selected_cb, self);

  show_row (self, gtk_list_box_get_selected_row (self->sidebar_list));
  set_page (self, "dashboard");

  if (first)
    ask_identity (self);
}

BuurtenOverview *
buurten_window_get_overview (BuurtenWindow *self)
{
  g_return_val_if_fail (BUURTEN_IS_WINDOW (self), NULL);

  return self->overview;
}

BuurtenContext *
buurten_window_get_context (BuurtenWindow *self)
{
  g_return_val_if_fail (BUURTEN_IS_WINDOW (self), NULL);

  return self->context;
}

const char *
buurten_window_get_selected_wijk (BuurtenWindow *self)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (BUURTEN_IS_WINDOW (self), NULL);

  row = gtk_list_box_get_selected_row (self->sidebar_list);
  if (row == NULL || g_object_get_data (G_OBJECT (row), ROW_SPECIAL_KEY) != NULL)
    return NULL;

  return g_object_get_data (G_OBJECT (row), ROW_WIJK_KEY);
}

gboolean
buurten_window_select_wijk (BuurtenWindow *self,
                            const char    *wijk)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (BUURTEN_IS_WINDOW (self), FALSE);

  if (g_strcmp0 (wijk, DECISIONS_ID) == 0)
    return FALSE;
  row = find_sidebar_row (self, wijk);
  if (row == NULL)
    return FALSE;

  gtk_list_box_select_row (self->sidebar_list, row);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);

  return TRUE;
}

gboolean
buurten_window_show_decisions (BuurtenWindow *self)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (BUURTEN_IS_WINDOW (self), FALSE);

  row = find_sidebar_row (self, DECISIONS_ID);
  if (row == NULL)
    return FALSE;

  gtk_list_box_select_row (self->sidebar_list, row);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
  return TRUE;
}

const char *
buurten_window_get_view (BuurtenWindow *self)
{
  g_return_val_if_fail (BUURTEN_IS_WINDOW (self), NULL);

  return adw_view_stack_get_visible_child_name (self->view_stack);
}

gboolean
buurten_window_set_view (BuurtenWindow *self,
                         const char    *view)
{
  g_return_val_if_fail (BUURTEN_IS_WINDOW (self), FALSE);

  if (view == NULL || !g_strv_contains (view_names, view))
    return FALSE;

  /* The views belong to a wijk: from the city, go to my first wijk. */
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack), "wijk") != 0 &&
      self->context != NULL)
    {
      const char * const *mine = buurten_context_get_user_wijken (self->context);

      if (mine[0] == NULL || !buurten_window_select_wijk (self, mine[0]))
        return FALSE;
    }

  adw_view_stack_set_visible_child_name (self->view_stack, view);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
  return TRUE;
}

/* ---- sync ------------------------------------------------------------ */

static void
on_sync_notify_cb (BuurtenWindow *self)
{
  g_autofree char *text = NULL;

  if (self->sync == NULL)
    return;
  text = buurten_sync_state_text (self->sync);
  adw_window_title_set_subtitle (self->sidebar_title, text);
}

static void
on_synced_cb (BuurtenWindow *self)
{
  /* What the server sent is in the store: every view reads again (and
   * this is no local edit to send). */
  static const char * const types[] = {
    "request", "initiative", "escalation", "meeting", "commitment", "note", NULL
  };

  if (self->context == NULL)
    return;
  self->applying_sync = TRUE;
  for (guint i = 0; types[i] != NULL; i++)
    buurten_context_notify_changed (self->context, types[i], NULL);
  self->applying_sync = FALSE;
}

void
buurten_window_set_sync_engine (BuurtenWindow     *self,
                                BuurtenSyncEngine *engine)
{
  g_return_if_fail (BUURTEN_IS_WINDOW (self));
  g_return_if_fail (engine == NULL || BUURTEN_IS_SYNC_ENGINE (engine));

  if (self->sync == engine)
    return;
  if (self->sync != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->sync, on_sync_notify_cb, self);
      g_signal_handlers_disconnect_by_func (self->sync, on_synced_cb, self);
    }
  g_set_object (&self->sync, engine);
  if (engine != NULL)
    {
      g_signal_connect_swapped (engine, "notify", G_CALLBACK (on_sync_notify_cb), self);
      g_signal_connect_swapped (engine, "progress", G_CALLBACK (on_sync_notify_cb), self);
      g_signal_connect_swapped (engine, "synced", G_CALLBACK (on_synced_cb), self);
    }
  on_sync_notify_cb (self);
  /* The sync button has it bound (buurten-window.ui). */
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNC_ENGINE]);
}

void
buurten_window_add_toast (BuurtenWindow *self,
                          const char    *text)
{
  g_return_if_fail (BUURTEN_IS_WINDOW (self));

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}
