/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-list-view"

#include "config.h"

#include "buurten-list-view-private.h"

/* ---- the detail ------------------------------------------------------ */

static void
clear_list_box (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

void
list_view_add_field (BuurtenListView *self,
                     const char      *label,
                     const char      *value)
{
  GtkWidget *row;

  if (value == NULL || value[0] == '\0')
    return;

  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), label);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value);
  gtk_widget_add_css_class (row, "property");
  gtk_list_box_append (self->fields_list, row);
}

void
list_view_add_field_take (BuurtenListView *self,
                          const char      *label,
                          char            *value)
{
  list_view_add_field (self, label, value);
  g_free (value);
}

static char *
history_summary (const BuurtenAuditEntry *entry)
{
  const char *dot = strrchr (entry->action, '.');
  const char *verb = dot != NULL ? dot + 1 : entry->action;

  if (g_str_equal (verb, "create"))
    return g_strdup (_("Created"));
  if (g_str_equal (verb, "transition"))
    return g_strdup (_("Status changed"));
  if (entry->summary != NULL && g_str_has_prefix (entry->summary, "changed: "))
    {
      /* The store lists the fields ("changed: state, updated_at"): named
       * as people know them, the bookkeeping ones left out. A state
       * changed without a command of its own is the last signature's. */
      g_auto(GStrv) fields = g_strsplit (entry->summary + strlen ("changed: "), ", ", -1);
      g_autoptr(GString) names = g_string_new (NULL);

      if (g_strv_contains ((const char * const *) fields, "state"))
        return g_strdup (_("Status changed"));
      for (guint i = 0; fields[i] != NULL; i++)
        {
          if (g_str_equal (fields[i], "updated_at") || g_str_equal (fields[i], "version"))
            continue;
          if (names->len > 0)
            g_string_append (names, ", ");
          g_string_append (names, buurten_format_field_label (fields[i]));
        }
      if (names->len > 0)
        /* Translators: a change in the history, with the fields changed */
        return g_strdup_printf (_("Changed: %s"), names->str);
      return g_strdup (_("Changed"));
    }
  if (entry->summary != NULL && entry->summary[0] != '\0')
    /* Translators: a change in the history, with the fields changed */
    return g_strdup_printf (_("Changed: %s"), entry->summary);
  return g_strdup (entry->action);
}

typedef struct
{
  char *type;
  char *id;
} HistoryData;

static void
history_data_free (gpointer data)
{
  HistoryData *history = data;

  g_free (history->type);
  g_free (history->id);
  g_free (history);
}

/* The history of what is shown and, for an initiative, its decisions. */
typedef struct
{
  GPtrArray *entries;    /* BuurtenAuditEntry* */
  GPtrArray *decisions;  /* BuurtenDecision*, or NULL */
} HistoryResult;

static void
history_result_free (gpointer data)
{
  HistoryResult *result = data;

  g_clear_pointer (&result->entries, g_ptr_array_unref);
  g_clear_pointer (&result->decisions, g_ptr_array_unref);
  g_free (result);
}

static gint
compare_decisions (gconstpointer a,
                   gconstpointer b)
{
  const BuurtenDecision *x = *(BuurtenDecision * const *) a;
  const BuurtenDecision *y = *(BuurtenDecision * const *) b;

  if (!g_date_valid (&x->decided_on) || !g_date_valid (&y->decided_on))
    return g_date_valid (&x->decided_on) - g_date_valid (&y->decided_on);
  return g_date_compare (&x->decided_on, &y->decided_on);
}

static gpointer
history_in_thread (BuurtenStore  *store,
                   gpointer       data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  HistoryData *history = data;
  HistoryResult *result = g_new0 (HistoryResult, 1);

  result->entries = buurten_store_history (store, history->type, history->id, error);
  if (result->entries == NULL)
    {
      history_result_free (result);
      return NULL;
    }

  if (g_str_equal (history->type, "initiative"))
    {
      result->decisions = buurten_store_list (store, &buurten_decision_info, "initiative_id",
                                              history->id, error);
      if (result->decisions == NULL)
        {
          history_result_free (result);
          return NULL;
        }
      g_ptr_array_set_free_func (result->decisions, (GDestroyNotify) buurten_decision_free);
      g_ptr_array_sort (result->decisions, compare_decisions);
    }

  return result;
}

static const char *
outcome_label (BuurtenDecisionOutcome outcome)
{
  switch (outcome)
    {
    case BUURTEN_OUTCOME_GRANTED:
      return C_("decision", "Granted");
    case BUURTEN_OUTCOME_REJECTED:
      return C_("decision", "Rejected");
    case BUURTEN_OUTCOME_REFERRED:
      return C_("decision", "Referred");
    default:
      return C_("decision", "Decided");
    }
}

/* One decision as a row of the initiative's fields: the outcome, then
 * the amount, the day, who signed and the reason. */
static void
add_decision (BuurtenListView       *self,
              const BuurtenDecision *decision)
{
  BuurtenMunicipality *municipality = buurten_context_get_municipality (self->context);
  g_autoptr(GString) subtitle = g_string_new (NULL);
  g_autofree char *title = NULL;
  GtkWidget *row;

  /* Translators: a decision on an initiative, e.g. "Decision: Granted" */
  title = g_strdup_printf (_("Decision: %s"), outcome_label (decision->outcome));

  if (decision->outcome == BUURTEN_OUTCOME_GRANTED || decision->amount_cents > 0)
    {
      g_autofree char *amount = buurten_money_format (decision->amount_cents);

      g_string_append (subtitle, amount);
    }
  if (g_date_valid (&decision->decided_on))
    {
      g_autofree char *day = buurten_format_date (&decision->decided_on);

      if (subtitle->len > 0)
        g_string_append (subtitle, " · ");
      g_string_append (subtitle, day);
    }
  if (decision->signers != NULL && decision->signers[0] != '\0')
    {
      g_autofree char *signers = buurten_decide_format_signers (municipality, decision->signers);

      if (subtitle->len > 0)
        g_string_append (subtitle, " · ");
      /* Translators: who signed a decision, e.g. "signed by Anna (Wijkregisseur)" */
      g_string_append_printf (subtitle, _("signed by %s"), signers);
    }
  if (decision->reason != NULL && decision->reason[0] != '\0')
    {
      if (subtitle->len > 0)
        g_string_append (subtitle, " · ");
      /* Translators: the reason of a decision, e.g. "reason: other funding exists" */
      g_string_append_printf (subtitle, _("reason: %s"), decision->reason);
    }

  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  gtk_widget_add_css_class (row, "property");
  gtk_list_box_append (self->fields_list, row);
}

static void
history_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(BuurtenListView) self = user_data;
  g_autoptr(GError) error = NULL;
  HistoryResult *history;
  GPtrArray *entries = NULL;

  history = buurten_store_load_finish (BUURTEN_STORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (history != NULL)
    {
      entries = history->entries;
      for (guint i = 0; history->decisions != NULL && i < history->decisions->len; i++)
        add_decision (self, g_ptr_array_index (history->decisions, i));
    }

  clear_list_box (self->history_list);
  if (entries == NULL || entries->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     _("No changes recorded on this computer"));
      gtk_list_box_append (self->history_list, row);
      if (history != NULL)
        history_result_free (history);
      return;
    }

  /* Newest first. */
  for (guint i = entries->len; i > 0; i--)
    {
      BuurtenAuditEntry *entry = g_ptr_array_index (entries, i - 1);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *title = history_summary (entry);
      g_autofree char *when = buurten_format_timestamp (entry->at);
      g_autofree char *subtitle = NULL;

      /* Translators: who made a change and when, e.g. "f.elamrani · ma 27 apr 14:00" */
      subtitle = g_strdup_printf (_("%1$s · %2$s"), entry->actor ? entry->actor : "", when);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_append (self->history_list, row);
    }
  history_result_free (history);
}

void
list_view_show_detail (BuurtenListView *self,
                       BuurtenItem     *item)
{
  gpointer entity = item != NULL ? buurten_item_get_entity (item) : NULL;
  HistoryData *history;

  g_cancellable_cancel (self->history_cancellable);
  g_clear_object (&self->history_cancellable);
  clear_list_box (self->fields_list);
  clear_list_box (self->history_list);
  list_view_set_shown_id (self, entity != NULL ? buurten_item_get_id (item) : NULL);

  if (entity == NULL)
    {
      gtk_stack_set_visible_child_name (self->detail_stack, "none");
      return;
    }

  gtk_widget_set_visible (self->decide_button, FALSE);
  gtk_label_set_label (self->detail_description, "");
  gtk_widget_set_visible (GTK_WIDGET (self->detail_description), TRUE);

  list_view_get_list (self)->show_detail (self, entity);

  gtk_stack_set_visible_child_name (self->detail_stack, "detail");

  gtk_widget_set_visible (GTK_WIDGET (self->fields_list), !list_view_get_list (self)->own_detail);
  gtk_widget_set_visible (self->history_group, !list_view_get_list (self)->own_detail);
  if (self->context == NULL || list_view_get_list (self)->own_detail)
    return;

  self->history_cancellable = g_cancellable_new ();
  history = g_new0 (HistoryData, 1);
  history->type = g_strdup (list_view_get_list (self)->info->name);
  history->id = g_strdup (self->shown_id);
  buurten_store_load_async (buurten_context_get_store (self->context),
                            history_in_thread, history, history_data_free,
                            history_result_free, self->history_cancellable,
                            history_cb, g_object_ref (self));
}

void
on_selection_changed_cb (GtkSelectionModel *model,
                         guint              position,
                         guint              n_items,
                         BuurtenListView   *self)
{
  list_view_show_detail (self, list_view_selected_item (self));
}

void
on_column_view_activate_cb (GtkColumnView   *view,
                            guint            position,
                            BuurtenListView *self)
{
  g_autoptr(BuurtenListRow) row = g_list_model_get_item (G_LIST_MODEL (self->selection), position);
  BuurtenItem *item = row != NULL ? row->item : NULL;

  if (item == NULL || self->context == NULL)
    return;

  gtk_single_selection_set_selected (self->selection, position);
  /* Folded, activating shows the detail; unfolded it opens the form. */
  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
  else
    buurten_open_editor (GTK_WIDGET (self), self->context, list_view_get_list (self)->info->name,
                         self->wijk, buurten_item_get_id (item));
}

void
on_edit_button_clicked_cb (BuurtenListView *self)
{
  if (self->shown_id != NULL && self->context != NULL)
    buurten_open_editor (GTK_WIDGET (self), self->context, list_view_get_list (self)->info->name,
                         self->wijk, self->shown_id);
}

void
on_decide_button_clicked_cb (BuurtenListView *self)
{
  if (self->shown_id != NULL && self->context != NULL)
    buurten_open_decision (GTK_WIDGET (self), self->context, self->shown_id);
}

void
on_detail_back_button_clicked_cb (BuurtenListView *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

void
on_empty_button_clicked_cb (BuurtenListView *self)
{
  if (buurten_list_view_get_n_loaded (self) > 0)
    list_view_clear_filters (self);
  else
    buurten_list_view_new_item (self);
}
