/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-window"

#include "config.h"

#include "buurten-window-private.h"

#include "buurten-document-print.h"
#include "buurten-editors.h"
#include "buurten-payment-dialog.h"
#include "buurten-preferences-window.h"
#include "buurten-verantwoording-dialog.h"

/* The window's actions ("win.view", "win.search", "win.new-item",
 * "win.preferences", "win.back"); their keys are set by the application
 * and listed in help-overlay.ui. */

static BuurtenListView *
current_list (BuurtenWindow *self)
{
  GtkWidget *child = adw_view_stack_get_visible_child (self->view_stack);

  return BUURTEN_IS_LIST_VIEW (child) ? BUURTEN_LIST_VIEW (child) : NULL;
}

static void
view_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  BuurtenWindow *self = user_data;

  buurten_window_set_view (self, g_variant_get_string (parameter, NULL));
}

static void
search_activated (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  BuurtenWindow *self = user_data;
  BuurtenListView *list;

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack), "wijk") != 0)
    return;

  list = current_list (self);
  if (list == NULL)
    {
      adw_view_stack_set_visible_child_name (self->view_stack, "meldingen");
      list = self->requests_view;
    }
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
  buurten_list_view_focus_search (list);
}

static void
new_item_activated (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  BuurtenWindow *self = user_data;
  const char *view = adw_view_stack_get_visible_child_name (self->view_stack);
  const char *wijk = buurten_window_get_selected_wijk (self);
  const char *type = "request";

  if (self->context == NULL)
    return;

  if (wijk == NULL)
    {
      const char * const *mine = buurten_context_get_user_wijken (self->context);

      wijk = mine[0];
    }
  else if (g_strcmp0 (view, "initiatieven") == 0 || g_strcmp0 (view, "budget") == 0)
    type = "initiative";
  else if (g_strcmp0 (view, "escalaties") == 0)
    type = "escalation";
  else if (g_strcmp0 (view, "agenda") == 0)
    type = "meeting";

  buurten_open_editor (GTK_WIDGET (self), self->context, type, wijk, NULL);
}

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  BuurtenWindow *self = user_data;
  GtkWidget *preferences;

  if (self->context == NULL)
    return;

  preferences = buurten_preferences_window_new (self->context, FALSE);
  gtk_window_set_transient_for (GTK_WINDOW (preferences), GTK_WINDOW (self));
  gtk_window_set_modal (GTK_WINDOW (preferences), TRUE);
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
back_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  BuurtenWindow *self = user_data;

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
document_activated (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  BuurtenWindow *self = user_data;
  const char *name = g_action_get_name (G_ACTION (action));

  if (self->context == NULL)
    return;
  buurten_document_dialog_present (GTK_WINDOW (self), self->context,
                                   g_str_equal (name, "document-beschikking")
                                     ? BUURTEN_DOCUMENT_KIND_BESCHIKKING
                                     : BUURTEN_DOCUMENT_KIND_BUURTDEAL,
                                   g_variant_get_string (parameter, NULL));
}

/* A modal dialog over the window for the initiative the parameter names. */
static void
present_dialog (BuurtenWindow *self,
                GtkWidget     *dialog)
{
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
initiative_payment_activated (GSimpleAction *action,
                              GVariant      *parameter,
                              gpointer       user_data)
{
  BuurtenWindow *self = user_data;
  const char *id = g_variant_get_string (parameter, NULL);

  if (self->context == NULL || !buurten_uuid_is_valid (id))
    return;
  present_dialog (self, buurten_payment_dialog_new (self->context, id));
}

static void
initiative_verantwoording_activated (GSimpleAction *action,
                                     GVariant      *parameter,
                                     gpointer       user_data)
{
  BuurtenWindow *self = user_data;
  const char *id = g_variant_get_string (parameter, NULL);

  if (self->context == NULL || !buurten_uuid_is_valid (id))
    return;
  present_dialog (self, buurten_verantwoording_dialog_new (self->context, id));
}

/* EDITOR (issue 14): the buurtdeal of an initiative, by its id. */
static void
initiative_buurtdeal_activated (GSimpleAction *action,
                                GVariant      *parameter,
                                gpointer       user_data)
{
  BuurtenWindow *self = user_data;

  if (self->context != NULL)
    buurten_open_buurtdeal (GTK_WIDGET (self), self->context,
                            g_variant_get_string (parameter, NULL));
}

/* EDITOR (issue 14): an idea (a request of kind idee) taken on as an
 * initiative, by the request's id; opens the new initiative's editor. */
static void
request_to_initiative_activated (GSimpleAction *action,
                                 GVariant      *parameter,
                                 gpointer       user_data)
{
  BuurtenWindow *self = user_data;

  if (self->context != NULL)
    buurten_open_initiative_from_request (GTK_WIDGET (self), self->context,
                                          g_variant_get_string (parameter, NULL));
}

static const GActionEntry window_actions[] = {
  { "view", view_activated, "s", NULL, NULL },
  { "search", search_activated, NULL, NULL, NULL },
  { "new-item", new_item_activated, NULL, NULL, NULL },
  { "preferences", preferences_activated, NULL, NULL, NULL },
  { "back", back_activated, NULL, NULL, NULL },
  /* The documents of an initiative; the parameter is its id. */
  { "document-beschikking", document_activated, "s", NULL, NULL },
  { "document-buurtdeal", document_activated, "s", NULL, NULL },
  { "initiative-payment", initiative_payment_activated, "s", NULL, NULL },
  { "initiative-verantwoording", initiative_verantwoording_activated, "s", NULL, NULL },
  { "initiative-buurtdeal", initiative_buurtdeal_activated, "s", NULL, NULL },
  { "request-to-initiative", request_to_initiative_activated, "s", NULL, NULL },
};

void
buurten_window_install_actions (BuurtenWindow *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), window_actions,
                                   G_N_ELEMENTS (window_actions), self);
}
