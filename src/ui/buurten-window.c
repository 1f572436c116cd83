/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-window"

#include "config.h"

#include "buurten-window.h"

#include <glib/gi18n.h>

#include "buurten-city-page.h"
#include "buurten-wijk-page.h"

struct _BuurtenWindow
{
  AdwApplicationWindow  parent_instance;

  /* template widgets */
  GtkStack             *main_stack;
  GtkSpinner           *spinner;
  AdwStatusPage        *error_page;
  AdwLeaflet           *leaflet;
  GtkListBox           *sidebar_list;
  AdwWindowTitle       *content_title;
  GtkStack             *content_stack;
  BuurtenCityPage      *city_page;
  BuurtenWijkPage      *wijk_page;

  /* owned references */
  GSettings            *settings;
  BuurtenOverview      *overview;
};

G_DEFINE_FINAL_TYPE (BuurtenWindow, buurten_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define ROW_WIJK_KEY "buurten-wijk"

static void
set_page (BuurtenWindow *self,
          const char    *name)
{
  gboolean loading = g_strcmp0 (name, "loading") == 0;

  gtk_stack_set_visible_child_name (self->main_stack, name);
  /* A spinner that nobody sees should not keep the frame clock busy. */
  gtk_spinner_set_spinning (self->spinner, loading);
}

static void
clear_sidebar (BuurtenWindow *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->sidebar_list))) != NULL)
    gtk_list_box_remove (self->sidebar_list, child);
}

static GtkWidget *
create_sidebar_row (const char *wijk,
                    const char *name)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *label = gtk_label_new (name);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
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
  /* A line between the city and its wijken. */
  if (gtk_list_box_row_get_index (row) == 1)
    {
      if (gtk_list_box_row_get_header (row) == NULL)
        gtk_list_box_row_set_header (row, gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));
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
      if (g_strcmp0 (g_object_get_data (G_OBJECT (child), ROW_WIJK_KEY), wijk) == 0)
        return GTK_LIST_BOX_ROW (child);
    }

  return NULL;
}

static void
show_row (BuurtenWindow *self,
          GtkListBoxRow *row)
{
  const char *wijk;

  if (row == NULL || self->overview == NULL)
    return;

  wijk = g_object_get_data (G_OBJECT (row), ROW_WIJK_KEY);

  /* A wijk of the municipality that the ledger does not know (should not
   * happen) shows the city rather than an empty page. */
  if (wijk != NULL && buurten_overview_lookup (self->overview, wijk) == NULL)
    wijk = NULL;

  if (wijk == NULL)
    {
      adw_window_title_set_title (self->content_title,
                                  buurten_municipality_get_name (self->overview->municipality));
      gtk_stack_set_visible_child_name (self->content_stack, "city");
    }
  else
    {
      const BuurtenThermometer *thermometer = buurten_overview_lookup (self->overview, wijk);

      adw_window_title_set_title (self->content_title, thermometer->name);
      buurten_wijk_page_set_wijk (self->wijk_page, self->overview, wijk);
      gtk_stack_set_visible_child_name (self->content_stack, "wijk");
    }

  if (self->settings != NULL)
    g_settings_set_string (self->settings, "selected-wijk", wijk ? wijk : "");
}

static void
load_window_state (BuurtenWindow *self)
{
  int width;
  int height;

  if (self->settings == NULL)
    return;

  width = g_settings_get_int (self->settings, "window-width");
  height = g_settings_get_int (self->settings, "window-height");
  gtk_window_set_default_size (GTK_WINDOW (self), width, height);

  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
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

static void
on_back_button_clicked_cb (BuurtenWindow *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
on_city_page_wijk_activated_cb (BuurtenCityPage *page,
                                const char      *wijk,
                                BuurtenWindow   *self)
{
  buurten_window_select_wijk (self, wijk);
}

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

  gtk_widget_dispose_template (GTK_WIDGET (self), BUURTEN_TYPE_WINDOW);
  g_clear_pointer (&self->overview, buurten_overview_unref);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (buurten_window_parent_class)->dispose (object);
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
  object_class->get_property = buurten_window_get_property;
  object_class->set_property = buurten_window_set_property;

  window_class->close_request = buurten_window_close_request;

  /**
   * BuurtenWindow:settings:
   *
   * Where the window keeps its size and the selected wijk, or %NULL.
   */
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The pages are used in the template, so their types must exist first. */
  g_type_ensure (BUURTEN_TYPE_CITY_PAGE);
  g_type_ensure (BUURTEN_TYPE_WIJK_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/nl/hilversum/Buurten/buurten-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BuurtenWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, BuurtenWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, BuurtenWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, BuurtenWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, BuurtenWindow, sidebar_list);
  gtk_widget_class_bind_template_child (widget_class, BuurtenWindow, content_title);
  gtk_widget_class_bind_template_child (widget_class, BuurtenWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, BuurtenWindow, city_page);
  gtk_widget_class_bind_template_child (widget_class, BuurtenWindow, wijk_page);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_list_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_list_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_back_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_city_page_wijk_activated_cb);
}

static void
buurten_window_init (BuurtenWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_list_box_set_header_func (self->sidebar_list, sidebar_header_func, NULL, NULL);
  set_page (self, "loading");
}

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
  GPtrArray *wijken;
  GtkListBoxRow *row;

  g_return_if_fail (BUURTEN_IS_WINDOW (self));
  g_return_if_fail (overview != NULL);

  /* Keep the selection when the overview is replaced (a reload); at
   * start, take the one of the last session. */
  if (self->overview != NULL)
    selected = g_strdup (buurten_window_get_selected_wijk (self));
  else if (self->settings != NULL)
    selected = g_settings_get_string (self->settings, "selected-wijk");

  buurten_overview_ref (overview);
  g_clear_pointer (&self->overview, buurten_overview_unref);
  self->overview = overview;

  buurten_city_page_set_overview (self->city_page, overview);

  /* Selecting rows while the list is rebuilt would save a wrong
   * selection; block the handler until the right row is chosen. */
  g_signal_handlers_block_by_func (self->sidebar_list, on_sidebar_list_row_selected_cb, self);
  clear_sidebar (self);
  gtk_list_box_append (self->sidebar_list,
                       create_sidebar_row (NULL,
                                           buurten_municipality_get_name (overview->municipality)));
  wijken = buurten_municipality_get_wijken (overview->municipality);
  for (guint i = 0; i < wijken->len; i++)
    {
      const BuurtenWijk *wijk = g_ptr_array_index (wijken, i);

      gtk_list_box_append (self->sidebar_list, create_sidebar_row (wijk->id, wijk->name));
    }

  row = find_sidebar_row (self, selected);
  if (row == NULL || (selected != NULL && buurten_overview_lookup (overview, selected) == NULL))
    row = find_sidebar_row (self, NULL);
  gtk_list_box_select_row (self->sidebar_list, row);
  g_signal_handlers_unblock_by_func (self->sidebar_list, on_sidebar_list_row_selected_cb, self);

  show_row (self, row);
  set_page (self, "dashboard");
}

BuurtenOverview *
buurten_window_get_overview (BuurtenWindow *self)
{
  g_return_val_if_fail (BUURTEN_IS_WINDOW (self), NULL);

  return self->overview;
}

const char *
buurten_window_get_selected_wijk (BuurtenWindow *self)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (BUURTEN_IS_WINDOW (self), NULL);

  row = gtk_list_box_get_selected_row (self->sidebar_list);
  if (row == NULL)
    return NULL;

  return g_object_get_data (G_OBJECT (row), ROW_WIJK_KEY);
}

gboolean
buurten_window_select_wijk (BuurtenWindow *self,
                            const char    *wijk)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (BUURTEN_IS_WINDOW (self), FALSE);

  row = find_sidebar_row (self, wijk);
  if (row == NULL)
    return FALSE;

  gtk_list_box_select_row (self->sidebar_list, row);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);

  return TRUE;
}
