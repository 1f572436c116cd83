/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-list-view"

#include "config.h"

#include "buurten-list-view-private.h"

#include "buurten-escalation-list.h"
#include "buurten-initiative-list.h"
#include "buurten-meeting-list.h"
#include "buurten-request-list.h"

G_DEFINE_ABSTRACT_TYPE (BuurtenListView, buurten_list_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_KIND,
  PROP_CONTEXT,
  PROP_WIJK,
  PROP_BUSY,
  PROP_SELECTED_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- loading --------------------------------------------------------- */

static void
set_loading (BuurtenListView *self,
             gboolean         loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

typedef struct
{
  const ListKindClass *list;
  char           *wijk;
  char           *cluster;
} LoadData;

static void
load_data_free (gpointer data)
{
  LoadData *load = data;

  g_free (load->wijk);
  g_free (load->cluster);
  g_free (load);
}

static gpointer
load_in_thread (BuurtenStore  *store,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  LoadData *load = data;
  const ListKindClass *list = load->list;
  GListModel *model;

  if (list->load != NULL)
    model = list->load (store, load->wijk, load->cluster, error);
  else
    model = buurten_store_list_model (store, list->info, "wijk", load->wijk, error);

  if (model != NULL)
    list_view_add_sort_keys (list, model);
  return model;
}

static gboolean
select_pending (BuurtenListView *self)
{
  guint n;

  if (self->pending_select == NULL || !self->loaded)
    return FALSE;

  /* Selecting is by position: every row must be there. */
  list_view_sync_rows_now (self);
  n = self->n_shown;

  for (guint i = 0; i < n; i++)
    {
      BuurtenListRow *row = g_ptr_array_index (self->row_pool, i);

      if (row->item != NULL &&
          g_strcmp0 (buurten_item_get_id (row->item), self->pending_select) == 0)
        {
          GtkWidget *child;

          gtk_single_selection_set_selected (self->selection, i);
          /* GtkColumnView of GTK 4.8 has no scroll_to; its list does. */
          for (child = gtk_widget_get_first_child (GTK_WIDGET (self->column_view));
               child != NULL;
               child = gtk_widget_get_next_sibling (child))
            if (GTK_IS_LIST_VIEW (child))
              gtk_widget_activate_action (child, "list.scroll-to-item", "u", i);
          g_clear_pointer (&self->pending_select, g_free);
          adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
          return TRUE;
        }
    }

  return FALSE;
}

static void
load_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(BuurtenListView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) model = NULL;
  g_autofree char *keep = NULL;
  g_autofree char *before = NULL;

  model = buurten_store_load_finish (BUURTEN_STORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_loading (self, FALSE);
  self->loaded = TRUE;
  if (model == NULL)
    {
      g_message ("Cannot load the %s list: %s", list_view_get_list (self)->info->name,
                 error ? error->message : "unknown error");
      model = G_LIST_MODEL (g_list_store_new (BUURTEN_TYPE_ITEM));
    }

  /* A reload (after a save) keeps the item shown: it goes with the old
   * rows and comes back, which is no change to notify. */
  keep = g_strdup (self->shown_id);
  before = g_strdup (self->shown_id);
  self->reloading = TRUE;
  gtk_sort_list_model_set_model (self->sort_model, model);
  /* The hits were found in what was loaded before (a new item may match). */
  if (self->search_text != NULL)
    list_view_start_search (self);
  if (self->pending_select == NULL && keep != NULL)
    self->pending_select = g_steal_pointer (&keep);

  if (!select_pending (self))
    {
      g_clear_pointer (&self->pending_select, g_free);
      list_view_show_detail (self, list_view_selected_item (self));
    }
  self->reloading = FALSE;
  if (g_strcmp0 (before, self->shown_id) != 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_ID]);
  list_view_update_empty_state (self);
}

static void
reload (BuurtenListView *self)
{
  LoadData *load;
  const BuurtenWijk *wijk;

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);

  if (self->context == NULL || self->wijk == NULL)
    {
      gtk_sort_list_model_set_model (self->sort_model, NULL);
      self->loaded = FALSE;
      return;
    }

  /* A list nobody looks at is loaded when it is shown: starting on the
   * dashboard of a large store then costs no more than on an empty one. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->dirty = TRUE;
      return;
    }
  self->dirty = FALSE;

  set_loading (self, TRUE);
  list_view_update_empty_state (self);

  wijk = buurten_municipality_lookup_wijk (buurten_context_get_municipality (self->context),
                                           self->wijk);
  load = g_new0 (LoadData, 1);
  load->list = list_view_get_list (self);
  load->wijk = g_strdup (self->wijk);
  load->cluster = g_strdup (wijk != NULL ? wijk->cluster : NULL);
  self->load_cancellable = g_cancellable_new ();
  buurten_store_load_async (buurten_context_get_store (self->context),
                            load_in_thread, load, load_data_free,
                            g_object_unref, self->load_cancellable, load_cb,
                            g_object_ref (self));
}

static void
on_context_changed_cb (BuurtenContext  *context,
                       const char      *entity_type,
                       const char      *id,
                       BuurtenListView *self)
{
  const ListKindClass *klass = list_view_get_list (self);
  const char *mine = klass->info->name;

  if (g_strcmp0 (entity_type, mine) == 0 ||
      (klass->child_type != NULL && g_strcmp0 (entity_type, klass->child_type) == 0))
    {
      /* A new item of this wijk is shown selected. */
      if (id != NULL && g_strcmp0 (entity_type, mine) == 0)
        {
          g_free (self->pending_select);
          self->pending_select = g_strdup (id);
        }
      reload (self);
    }
}

/* ---- set-up ---------------------------------------------------------- */

void
list_view_set_shown_id (BuurtenListView *self,
                        const char      *id)
{
  if (g_strcmp0 (self->shown_id, id) == 0)
    return;
  g_free (self->shown_id);
  self->shown_id = g_strdup (id);
  if (!self->reloading)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_ID]);
}

GtkStringList *
list_view_make_choices (const char         *all,
                        const char * const *labels,
                        guint               n)
{
  GtkStringList *list = gtk_string_list_new (NULL);

  gtk_string_list_append (list, all);
  for (guint i = 0; i < n; i++)
    gtk_string_list_append (list, labels[i]);

  return list;
}

GtkStringList *
list_view_state_choices (BuurtenMachine machine)
{
  const char *labels[16];
  guint n = MIN (buurten_machine_n_states (machine), G_N_ELEMENTS (labels));

  for (guint i = 0; i < n; i++)
    labels[i] = buurten_state_label (machine, i);
  return list_view_make_choices (_("All Statuses"), labels, n);
}

static void
setup_filters (BuurtenListView *self)
{
  const ListKindClass *klass = list_view_get_list (self);
  ListFilters filters = { .show_type = TRUE, };

  klass->fill_filters (&filters);

  gtk_drop_down_set_model (self->status_dropdown, G_LIST_MODEL (filters.status));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->status_dropdown),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  filters.status_label ? filters.status_label : _("Status"),
                                  -1);
  if (filters.type != NULL)
    gtk_drop_down_set_model (self->type_dropdown, G_LIST_MODEL (filters.type));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->type_dropdown),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  filters.type_label ? filters.type_label : _("Type"),
                                  -1);
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->type_dropdown)),
                          filters.show_type);
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->overdue_toggle)),
                          filters.show_overdue);
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->mine_toggle)),
                          filters.show_mine);
  g_object_set (self->search_entry, "placeholder-text", filters.search_placeholder, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->search_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, filters.search_placeholder,
                                  -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->column_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _(klass->list_label),
                                  -1);
  g_clear_object (&filters.status);
  g_clear_object (&filters.type);
}

static void
buurten_list_view_map (GtkWidget *widget)
{
  BuurtenListView *self = BUURTEN_LIST_VIEW (widget);

  GTK_WIDGET_CLASS (buurten_list_view_parent_class)->map (widget);

  if (self->dirty)
    reload (self);
}

static void
buurten_list_view_constructed (GObject *object)
{
  BuurtenListView *self = (BuurtenListView *) object;

  G_OBJECT_CLASS (buurten_list_view_parent_class)->constructed (object);

  setup_filters (self);
  list_view_build_columns (self);
  list_view_update_empty_state (self);
}

static void
buurten_list_view_dispose (GObject *object)
{
  BuurtenListView *self = (BuurtenListView *) object;
  GtkWidget *child;

  g_clear_handle_id (&self->sync_source, g_source_remove);
  g_cancellable_cancel (self->load_cancellable);
  g_cancellable_cancel (self->search_cancellable);
  g_cancellable_cancel (self->history_cancellable);
  g_clear_object (&self->load_cancellable);
  g_clear_object (&self->search_cancellable);
  g_clear_object (&self->history_cancellable);

  if (self->context != NULL)
    g_signal_handlers_disconnect_by_func (self->context, on_context_changed_cb, self);
  g_clear_object (&self->context);

  if (self->column_view != NULL)
    gtk_column_view_set_model (self->column_view, NULL);
  /* GTK 4.8's gtk_widget_dispose_template() looks for the template in the
   * class of the instance, a subclass's, which has none: the template's
   * children are unparented here, and GtkWidget's dispose clears the
   * pointers to them. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->selection);
  if (self->sort_model != NULL)
    g_signal_handlers_disconnect_by_func (self->sort_model, on_sorted_changed_cb, self);
  g_clear_object (&self->sort_model);
  g_clear_pointer (&self->sorted, list_view_sorted_unref);
  g_clear_object (&self->rows);
  g_clear_pointer (&self->row_pool, g_ptr_array_unref);
  g_clear_object (&self->searcher);
  g_clear_pointer (&self->search_hits, g_hash_table_unref);

  G_OBJECT_CLASS (buurten_list_view_parent_class)->dispose (object);
}

static void
buurten_list_view_finalize (GObject *object)
{
  BuurtenListView *self = (BuurtenListView *) object;

  g_clear_pointer (&self->bindings, g_ptr_array_unref);
  g_free (self->wijk);
  g_free (self->pending_select);
  g_free (self->shown_id);
  g_free (self->search_text);
  g_free (self->running_text);
  g_free (self->running_wijk);

  G_OBJECT_CLASS (buurten_list_view_parent_class)->finalize (object);
}

static void
buurten_list_view_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  BuurtenListView *self = BUURTEN_LIST_VIEW (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_int (value, BUURTEN_LIST_VIEW_GET_CLASS (self)->kind);
      break;

    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;

    case PROP_WIJK:
      g_value_set_string (value, self->wijk);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, self->loading);
      break;

    case PROP_SELECTED_ID:
      g_value_set_string (value, self->shown_id);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
buurten_list_view_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  BuurtenListView *self = BUURTEN_LIST_VIEW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      buurten_list_view_set_context (self, g_value_get_object (value));
      break;

    case PROP_WIJK:
      buurten_list_view_set_wijk (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
buurten_list_view_class_init (BuurtenListViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = buurten_list_view_constructed;
  object_class->dispose = buurten_list_view_dispose;
  object_class->finalize = buurten_list_view_finalize;
  object_class->get_property = buurten_list_view_get_property;
  object_class->set_property = buurten_list_view_set_property;

  widget_class->map = buurten_list_view_map;

  /**
   * BuurtenListView:kind:
   *
   * What the list shows, a #BuurtenListKind (0 requests, 1 initiatives,
   * 2 escalations, 3 meetings): the subclass's.
   */
  properties[PROP_KIND] =
    g_param_spec_int ("kind", NULL, NULL,
                      BUURTEN_LIST_REQUESTS, BUURTEN_LIST_MEETINGS, BUURTEN_LIST_REQUESTS,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * BuurtenListView:context:
   *
   * The store, municipality and user the list reads with, or %NULL. It
   * is in the window's template, so the window binds its own "context"
   * to it.
   */
  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, BUURTEN_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * BuurtenListView:wijk:
   *
   * The id of the wijk whose items are listed, or %NULL.
   */
  properties[PROP_WIJK] =
    g_param_spec_string ("wijk", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * BuurtenListView:busy:
   *
   * Whether the items are being loaded.
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * BuurtenListView:selected-id:
   *
   * The id of the item whose detail is shown, or %NULL.
   */
  properties[PROP_SELECTED_ID] =
    g_param_spec_string ("selected-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/nl/hilversum/Buurten/buurten-list-view.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  gtk_widget_class_bind_template_child (widget_class, BuurtenListView, leaflet);
  gtk_widget_class_bind_template_child (widget_class, BuurtenListView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, BuurtenListView, filter_box);
  gtk_widget_class_bind_template_child (widget_class, BuurtenListView, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, BuurtenListView, type_dropdown);
  gtk_widget_class_bind_template_child (widget_class, BuurtenListView, overdue_toggle);
  gtk_widget_class_bind_template_child (widget_class, BuurtenListView, mine_toggle);
  gtk_widget_class_bind_template_child (widget_class, BuurtenListView, list_stack);
  gtk_widget_class_bind_template_child (widget_class, BuurtenListView, spinner);
  gtk_widget_class_bind_template_child (widget_class, BuurtenListView, column_view);
  gtk_widget_class_bind_template_child (widget_class, BuurtenListView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, BuurtenListView, empty_button);
  gtk_widget_class_bind_template_child (widget_class, BuurtenListView, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, BuurtenListView, detail_title);
  gtk_widget_class_bind_template_child (widget_class, BuurtenListView, detail_subtitle);
  gtk_widget_class_bind_template_child (widget_class, BuurtenListView, detail_description);
  gtk_widget_class_bind_template_child (widget_class, BuurtenListView, edit_button);
  gtk_widget_class_bind_template_child (widget_class, BuurtenListView, decide_button);
  gtk_widget_class_bind_template_child (widget_class, BuurtenListView, fields_list);
  gtk_widget_class_bind_template_child (widget_class, BuurtenListView, history_list);
  gtk_widget_class_bind_template_child (widget_class, BuurtenListView, detail_extra);
  gtk_widget_class_bind_template_child (widget_class, BuurtenListView, history_group);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_column_view_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_edit_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_decide_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_detail_back_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_empty_button_clicked_cb);
}

static void
buurten_list_view_init (BuurtenListView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* GTK 4.8 names a widget without a name after its type: the lists were
   * all "BuurtenListView" before they became subclasses, and assistive
   * technology (and the UI tests) still find them by that name. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, "BuurtenListView",
                                  -1);

  self->bindings = g_ptr_array_new_with_free_func (g_free);
  /* Sorted first, filtered after (refilter, search_in_thread): a keystroke
   * then never sorts, and the column view sorts all loaded items only when
   * a column is clicked. */
  /* Before the sort model's own handler: when sorting starts. */
  g_signal_connect_swapped (gtk_column_view_get_sorter (self->column_view), "changed",
                            G_CALLBACK (on_sorter_changed_cb), self);
  self->sort_model = gtk_sort_list_model_new (NULL,
                                              g_object_ref (gtk_column_view_get_sorter (self->column_view)));
  g_signal_connect (self->sort_model, "items-changed", G_CALLBACK (on_sorted_changed_cb), self);
  self->rows = g_list_store_new (BUURTEN_TYPE_LIST_ROW);
  self->row_pool = g_ptr_array_new_with_free_func (g_object_unref);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->rows)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect (self->selection, "selection-changed",
                    G_CALLBACK (on_selection_changed_cb), self);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
}

GtkWidget *
buurten_list_view_new (BuurtenListKind kind)
{
  switch (kind)
    {
    case BUURTEN_LIST_REQUESTS:    return buurten_request_list_new ();
    case BUURTEN_LIST_INITIATIVES: return buurten_initiative_list_new ();
    case BUURTEN_LIST_ESCALATIONS: return buurten_escalation_list_new ();
    case BUURTEN_LIST_MEETINGS:    return buurten_meeting_list_new ();
    default:                       g_return_val_if_reached (NULL);
    }
}

BuurtenListKind
buurten_list_view_get_kind (BuurtenListView *self)
{
  g_return_val_if_fail (BUURTEN_IS_LIST_VIEW (self), BUURTEN_LIST_REQUESTS);

  return BUURTEN_LIST_VIEW_GET_CLASS (self)->kind;
}

const char *
buurten_list_view_get_entity_type (BuurtenListView *self)
{
  g_return_val_if_fail (BUURTEN_IS_LIST_VIEW (self), NULL);

  return list_view_get_list (self)->info->name;
}

void
buurten_list_view_set_context (BuurtenListView *self,
                               BuurtenContext  *context)
{
  g_return_if_fail (BUURTEN_IS_LIST_VIEW (self));
  g_return_if_fail (context == NULL || BUURTEN_IS_CONTEXT (context));

  if (self->context == context)
    return;

  if (self->context != NULL)
    g_signal_handlers_disconnect_by_func (self->context, on_context_changed_cb, self);
  g_set_object (&self->context, context);
  if (context != NULL)
    g_signal_connect (context, "changed", G_CALLBACK (on_context_changed_cb), self);

  reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTEXT]);
}

void
buurten_list_view_set_wijk (BuurtenListView *self,
                            const char      *wijk)
{
  gboolean changed;

  g_return_if_fail (BUURTEN_IS_LIST_VIEW (self));

  changed = g_strcmp0 (self->wijk, wijk) != 0;
  if (!changed && self->loaded)
    return;

  g_free (self->wijk);
  self->wijk = g_strdup (wijk);
  list_view_set_shown_id (self, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  /* The items of another wijk must not show, not even for a moment. */
  gtk_sort_list_model_set_model (self->sort_model, NULL);
  self->loaded = FALSE;
  reload (self);
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WIJK]);
}

const char *
buurten_list_view_get_wijk (BuurtenListView *self)
{
  g_return_val_if_fail (BUURTEN_IS_LIST_VIEW (self), NULL);

  return self->wijk;
}

void
buurten_list_view_focus_search (BuurtenListView *self)
{
  g_return_if_fail (BUURTEN_IS_LIST_VIEW (self));

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

void
buurten_list_view_select_id (BuurtenListView *self,
                             const char      *id)
{
  g_return_if_fail (BUURTEN_IS_LIST_VIEW (self));
  g_return_if_fail (id != NULL);

  g_free (self->pending_select);
  self->pending_select = g_strdup (id);
  if (!self->loaded)
    return;

  /* The filters might hide it: show it anyway. */
  if (!select_pending (self))
    {
      list_view_clear_filters (self);
      if (!select_pending (self))
        g_clear_pointer (&self->pending_select, g_free);
    }
}

void
buurten_list_view_new_item (BuurtenListView *self)
{
  g_return_if_fail (BUURTEN_IS_LIST_VIEW (self));

  if (self->context != NULL)
    buurten_open_editor (GTK_WIDGET (self), self->context, list_view_get_list (self)->info->name,
                         self->wijk, NULL);
}

guint
buurten_list_view_get_n_loaded (BuurtenListView *self)
{
  g_return_val_if_fail (BUURTEN_IS_LIST_VIEW (self), 0);

  return self->sorted != NULL ? self->sorted->items->len : 0;
}

guint
buurten_list_view_get_n_shown (BuurtenListView *self)
{
  g_return_val_if_fail (BUURTEN_IS_LIST_VIEW (self), 0);

  return self->n_shown;
}
