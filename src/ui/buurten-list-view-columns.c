/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-list-view"

#include "config.h"

#include "buurten-list-view-private.h"

/* ---- a row of the column view ---------------------------------------
 *
 * The column view shows BuurtenListRows, which stay the same objects while
 * the items they show change. GTK 4.8 builds a new row widget (a row and a
 * cell and label per column) for every item it did not show before, and
 * keeps about 200 of them around the visible ones: a new set of search
 * hits as new items costs 50-150 ms. A row that says "changed" is
 * relabelled in place instead, and only the count at the end of the list
 * changes (see show_items()). */

G_DEFINE_FINAL_TYPE (BuurtenListRow, buurten_list_row, G_TYPE_OBJECT)

static guint row_changed_signal;

static void
buurten_list_row_finalize (GObject *object)
{
  g_clear_object (&((BuurtenListRow *) object)->item);

  G_OBJECT_CLASS (buurten_list_row_parent_class)->finalize (object);
}

static void
buurten_list_row_class_init (BuurtenListRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = buurten_list_row_finalize;

  /* The row shows another item. */
  row_changed_signal = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
buurten_list_row_init (BuurtenListRow *self)
{
}

/* Whether the bound cells need to be told (list_row_refresh). */
gboolean
list_row_set_item (BuurtenListRow *row,
                   BuurtenItem    *item)
{
  if (!g_set_object (&row->item, item))
    return FALSE;
  row->stale = row->n_bound > 0;
  return row->stale;
}

void
list_row_refresh (BuurtenListRow *row)
{
  if (!row->stale)
    return;
  row->stale = FALSE;
  if (row->n_bound > 0)
    g_signal_emit (row, row_changed_signal, 0);
}

/* ---- cell texts ------------------------------------------------------ */

static char *
request_title (BuurtenListView *self, gpointer entity)
{
  return g_strdup (((BuurtenRequest *) entity)->title);
}

static char *
request_type (BuurtenListView *self, gpointer entity)
{
  return g_strdup (buurten_format_request_type (((BuurtenRequest *) entity)->type));
}

static char *
request_state (BuurtenListView *self, gpointer entity)
{
  return g_strdup (buurten_state_label (BUURTEN_MACHINE_REQUEST,
                                        ((BuurtenRequest *) entity)->state));
}

static char *
request_received (BuurtenListView *self, gpointer entity)
{
  return buurten_format_timestamp_date (((BuurtenRequest *) entity)->received_at);
}

/* today NULL: unknown (no context). Thread-safe: the search's worker
 * filters with it too. */
BuurtenOverdue
list_view_request_overdue_on (const BuurtenRequest *request,
                              const GDate          *today,
                              GDate                *out_due)
{
  BuurtenDeadline deadline;

  buurten_request_get_deadline (request, &deadline);
  if (today == NULL || !g_date_valid (&deadline.received))
    {
      if (out_due != NULL)
        g_date_clear (out_due, 1);
      return BUURTEN_OVERDUE_NONE;
    }
  if (out_due != NULL)
    buurten_deadline_due_date (&deadline, today, out_due);
  if (!buurten_request_clock_runs (request))
    return BUURTEN_OVERDUE_NONE;
  return buurten_deadline_status (&deadline, today);
}

static BuurtenOverdue
request_overdue (BuurtenListView      *self,
                 const BuurtenRequest *request,
                 GDate                *out_due)
{
  GDate today;

  if (self->context == NULL)
    return list_view_request_overdue_on (request, NULL, out_due);
  buurten_context_get_today (self->context, &today);
  return list_view_request_overdue_on (request, &today, out_due);
}

char *
list_view_request_due (BuurtenListView *self, gpointer entity)
{
  BuurtenRequest *request = entity;
  GDate due;
  BuurtenOverdue overdue = request_overdue (self, request, &due);
  g_autofree char *date = NULL;

  if (!buurten_request_clock_runs (request))
    return g_strdup ("");
  date = buurten_format_date (&due);
  if (overdue == BUURTEN_OVERDUE_SEVERELY)
    /* Translators: the due date of a request that is more than 3x over its term */
    return g_strdup_printf (_("%s (far overdue)"), date);
  if (overdue == BUURTEN_OVERDUE_YES)
    /* Translators: the due date of an overdue request */
    return g_strdup_printf (_("%s (overdue)"), date);
  return g_steal_pointer (&date);
}

static char *
request_assignee (BuurtenListView *self, gpointer entity)
{
  return g_strdup (((BuurtenRequest *) entity)->assignee);
}

static char *
initiative_title (BuurtenListView *self, gpointer entity)
{
  return g_strdup (((BuurtenInitiative *) entity)->title);
}

static char *
initiative_state (BuurtenListView *self, gpointer entity)
{
  return g_strdup (buurten_state_label (BUURTEN_MACHINE_INITIATIVE,
                                        ((BuurtenInitiative *) entity)->state));
}

static char *
initiative_theme (BuurtenListView *self, gpointer entity)
{
  return g_strdup (((BuurtenInitiative *) entity)->theme);
}

static char *
initiative_amount (BuurtenListView *self, gpointer entity)
{
  return buurten_money_format (((BuurtenInitiative *) entity)->requested_cents);
}

static char *
initiative_received (BuurtenListView *self, gpointer entity)
{
  return buurten_format_timestamp_date (((BuurtenInitiative *) entity)->received_at);
}

static char *
escalation_reason (BuurtenListView *self, gpointer entity)
{
  return g_strdup (((BuurtenEscalation *) entity)->reason);
}

static char *
escalation_level (BuurtenListView *self, gpointer entity)
{
  return g_strdup (buurten_format_escalation_level (((BuurtenEscalation *) entity)->level));
}

static char *
escalation_target (BuurtenListView *self, gpointer entity)
{
  return g_strdup (((BuurtenEscalation *) entity)->target);
}

static char *
escalation_state (BuurtenListView *self, gpointer entity)
{
  return g_strdup (buurten_state_label (BUURTEN_MACHINE_ESCALATION,
                                        ((BuurtenEscalation *) entity)->state));
}

static char *
escalation_opened (BuurtenListView *self, gpointer entity)
{
  return buurten_format_timestamp_date (((BuurtenEscalation *) entity)->opened_at);
}

static char *
meeting_kind (BuurtenListView *self, gpointer entity)
{
  return g_strdup (buurten_format_meeting_kind (((BuurtenMeeting *) entity)->kind));
}

static char *
meeting_starts (BuurtenListView *self, gpointer entity)
{
  return buurten_format_timestamp (((BuurtenMeeting *) entity)->starts_at);
}

static char *
meeting_location (BuurtenListView *self, gpointer entity)
{
  return g_strdup (((BuurtenMeeting *) entity)->location);
}

/* ---- comparisons ----------------------------------------------------- */

static int
cmp_utf8 (const char *a,
          const char *b)
{
  if (a == NULL || b == NULL)
    return CMP (a != NULL, b != NULL);
  return g_utf8_collate (a, b);
}

static int
cmp_request_title (gconstpointer a, gconstpointer b)
{
  return cmp_utf8 (((BuurtenRequest *) a)->title, ((BuurtenRequest *) b)->title);
}

static int
cmp_request_type (gconstpointer a, gconstpointer b)
{
  return CMP (((BuurtenRequest *) a)->type, ((BuurtenRequest *) b)->type);
}

static int
cmp_request_state (gconstpointer a, gconstpointer b)
{
  return CMP (((BuurtenRequest *) a)->state, ((BuurtenRequest *) b)->state);
}

static int
cmp_request_received (gconstpointer a, gconstpointer b)
{
  return CMP (((BuurtenRequest *) a)->received_at, ((BuurtenRequest *) b)->received_at);
}

static int
cmp_request_due (gconstpointer a, gconstpointer b)
{
  const BuurtenRequest *x = a;
  const BuurtenRequest *y = b;
  gint64 due_x = x->received_at + x->term_days * 86400 + x->paused_working_days * 86400;
  gint64 due_y = y->received_at + y->term_days * 86400 + y->paused_working_days * 86400;

  /* Open requests before finished ones; then roughly by due day. */
  if (buurten_request_clock_runs (x) != buurten_request_clock_runs (y))
    return buurten_request_clock_runs (x) ? -1 : 1;
  return CMP (due_x, due_y);
}

static int
cmp_request_assignee (gconstpointer a, gconstpointer b)
{
  return cmp_utf8 (((BuurtenRequest *) a)->assignee, ((BuurtenRequest *) b)->assignee);
}

static int
cmp_initiative_title (gconstpointer a, gconstpointer b)
{
  return cmp_utf8 (((BuurtenInitiative *) a)->title, ((BuurtenInitiative *) b)->title);
}

static int
cmp_initiative_state (gconstpointer a, gconstpointer b)
{
  return CMP (((BuurtenInitiative *) a)->state, ((BuurtenInitiative *) b)->state);
}

static int
cmp_initiative_theme (gconstpointer a, gconstpointer b)
{
  return cmp_utf8 (((BuurtenInitiative *) a)->theme, ((BuurtenInitiative *) b)->theme);
}

static int
cmp_initiative_amount (gconstpointer a, gconstpointer b)
{
  return CMP (((BuurtenInitiative *) a)->requested_cents,
              ((BuurtenInitiative *) b)->requested_cents);
}

static int
cmp_initiative_received (gconstpointer a, gconstpointer b)
{
  return CMP (((BuurtenInitiative *) a)->received_at, ((BuurtenInitiative *) b)->received_at);
}

static int
cmp_escalation_reason (gconstpointer a, gconstpointer b)
{
  return cmp_utf8 (((BuurtenEscalation *) a)->reason, ((BuurtenEscalation *) b)->reason);
}

static int
cmp_escalation_level (gconstpointer a, gconstpointer b)
{
  return CMP (((BuurtenEscalation *) a)->level, ((BuurtenEscalation *) b)->level);
}

static int
cmp_escalation_target (gconstpointer a, gconstpointer b)
{
  return cmp_utf8 (((BuurtenEscalation *) a)->target, ((BuurtenEscalation *) b)->target);
}

static int
cmp_escalation_state (gconstpointer a, gconstpointer b)
{
  return CMP (((BuurtenEscalation *) a)->state, ((BuurtenEscalation *) b)->state);
}

static int
cmp_escalation_opened (gconstpointer a, gconstpointer b)
{
  return CMP (((BuurtenEscalation *) a)->opened_at, ((BuurtenEscalation *) b)->opened_at);
}

static int
cmp_meeting_kind (gconstpointer a, gconstpointer b)
{
  return CMP (((BuurtenMeeting *) a)->kind, ((BuurtenMeeting *) b)->kind);
}

static int
cmp_meeting_starts (gconstpointer a, gconstpointer b)
{
  return CMP (((BuurtenMeeting *) a)->starts_at, ((BuurtenMeeting *) b)->starts_at);
}

static int
cmp_meeting_location (gconstpointer a, gconstpointer b)
{
  return cmp_utf8 (((BuurtenMeeting *) a)->location, ((BuurtenMeeting *) b)->location);
}

static const char *
request_title_text (gconstpointer entity)
{
  return ((const BuurtenRequest *) entity)->title;
}

static const char *
request_assignee_text (gconstpointer entity)
{
  return ((const BuurtenRequest *) entity)->assignee;
}

static const char *
initiative_title_text (gconstpointer entity)
{
  return ((const BuurtenInitiative *) entity)->title;
}

static const char *
initiative_theme_text (gconstpointer entity)
{
  return ((const BuurtenInitiative *) entity)->theme;
}

static const char *
escalation_reason_text (gconstpointer entity)
{
  return ((const BuurtenEscalation *) entity)->reason;
}

static const char *
escalation_target_text (gconstpointer entity)
{
  return ((const BuurtenEscalation *) entity)->target;
}

static const char *
meeting_location_text (gconstpointer entity)
{
  return ((const BuurtenMeeting *) entity)->location;
}

static const ColumnDef request_columns[] = {
  { N_("Title"), request_title, cmp_request_title, TRUE, FALSE, request_title_text },
  { N_("Type"), request_type, cmp_request_type, FALSE, FALSE },
  { N_("Status"), request_state, cmp_request_state, FALSE, FALSE },
  { N_("Received"), request_received, cmp_request_received, FALSE, TRUE },
  { N_("Answer Due"), list_view_request_due, cmp_request_due, FALSE, FALSE },
  { N_("Assigned To"), request_assignee, cmp_request_assignee, FALSE, FALSE,
    request_assignee_text },
  { NULL }
};

static const ColumnDef initiative_columns[] = {
  { N_("Title"), initiative_title, cmp_initiative_title, TRUE, FALSE, initiative_title_text },
  { N_("Status"), initiative_state, cmp_initiative_state, FALSE, FALSE },
  { N_("Theme"), initiative_theme, cmp_initiative_theme, FALSE, FALSE, initiative_theme_text },
  { N_("Requested"), initiative_amount, cmp_initiative_amount, FALSE, FALSE },
  { N_("Received"), initiative_received, cmp_initiative_received, FALSE, TRUE },
  { NULL }
};

static const ColumnDef escalation_columns[] = {
  { N_("Reason"), escalation_reason, cmp_escalation_reason, TRUE, FALSE,
    escalation_reason_text },
  { N_("Level"), escalation_level, cmp_escalation_level, FALSE, FALSE },
  { N_("To"), escalation_target, cmp_escalation_target, FALSE, FALSE,
    escalation_target_text },
  { N_("Status"), escalation_state, cmp_escalation_state, FALSE, FALSE },
  { N_("Opened"), escalation_opened, cmp_escalation_opened, FALSE, TRUE },
  { NULL }
};

static const ColumnDef meeting_columns[] = {
  { N_("Date"), meeting_starts, cmp_meeting_starts, FALSE, TRUE },
  { N_("Kind"), meeting_kind, cmp_meeting_kind, FALSE, FALSE },
  { N_("Location"), meeting_location, cmp_meeting_location, TRUE, FALSE,
    meeting_location_text },
  { NULL }
};

static const ColumnDef *
kind_columns (BuurtenListKind kind)
{
  switch (kind)
    {
    case BUURTEN_LIST_REQUESTS:    return request_columns;
    case BUURTEN_LIST_INITIATIVES: return initiative_columns;
    case BUURTEN_LIST_ESCALATIONS: return escalation_columns;
    case BUURTEN_LIST_MEETINGS:    return meeting_columns;
    default:                       g_return_val_if_reached (request_columns);
    }
}

/* The quark under which an item keeps its sort key for a column (the
 * column titles differ within a kind). Thread-safe. */
static GQuark
column_key_quark (const ColumnDef *def)
{
  g_autofree char *name = g_strconcat ("buurten-sort-key-", def->title, NULL);

  return g_quark_from_string (name);
}

/* In the loading thread: the collation keys of the text columns, on the
 * items, so that sorting by them is a strcmp(). Values that repeat (the
 * names in "Assigned To") are collated once. */
void
list_view_add_sort_keys (BuurtenListKind  kind,
                         GListModel      *model)
{
  const ColumnDef *defs = kind_columns (kind);
  guint n = g_list_model_get_n_items (model);

  for (guint c = 0; defs[c].title != NULL; c++)
    {
      g_autoptr(GHashTable) keys = NULL;
      GQuark quark;

      if (defs[c].collate == NULL)
        continue;
      quark = column_key_quark (&defs[c]);
      keys = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(BuurtenItem) item = g_list_model_get_item (model, i);
          const char *text = defs[c].collate (buurten_item_get_entity (item));
          char *key;

          if (text == NULL)
            text = "";
          key = g_hash_table_lookup (keys, text);
          if (key == NULL)
            {
              key = g_utf8_collate_key (text, -1);
              g_hash_table_insert (keys, (gpointer) text, key);
            }
          g_object_set_qdata_full (G_OBJECT (item), quark, g_strdup (key), g_free);
        }
    }
}

const BuurtenEntityInfo *
list_view_kind_info (BuurtenListKind kind)
{
  switch (kind)
    {
    case BUURTEN_LIST_REQUESTS:    return &buurten_request_info;
    case BUURTEN_LIST_INITIATIVES: return &buurten_initiative_info;
    case BUURTEN_LIST_ESCALATIONS: return &buurten_escalation_info;
    case BUURTEN_LIST_MEETINGS:    return &buurten_meeting_info;
    default:                       g_return_val_if_reached (&buurten_request_info);
    }
}

BuurtenMachine
list_view_kind_machine (BuurtenListKind kind)
{
  return kind == BUURTEN_LIST_INITIATIVES ? BUURTEN_MACHINE_INITIATIVE
         : kind == BUURTEN_LIST_ESCALATIONS ? BUURTEN_MACHINE_ESCALATION
         : BUURTEN_MACHINE_REQUEST;
}

gboolean
list_view_kind_has_search_index (BuurtenListKind kind)
{
  return kind == BUURTEN_LIST_REQUESTS || kind == BUURTEN_LIST_INITIATIVES;
}

/* ---- the column view ------------------------------------------------- */

gpointer
list_view_item_entity (gpointer item)
{
  return BUURTEN_IS_ITEM (item) ? buurten_item_get_entity (item) : NULL;
}

static void
on_cell_setup_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item,
                  ColumnBinding            *binding)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), binding->def->expand ? 60 : 24);
  g_object_set_data (G_OBJECT (label), "buurten-binding", binding);
  gtk_list_item_set_child (list_item, label);
}

static void
update_cell (GtkListItem *list_item)
{
  GtkWidget *label = gtk_list_item_get_child (list_item);
  ColumnBinding *binding = g_object_get_data (G_OBJECT (label), "buurten-binding");
  BuurtenListRow *row = gtk_list_item_get_item (list_item);
  gpointer entity = row != NULL ? list_view_item_entity (row->item) : NULL;
  g_autofree char *text = NULL;

  if (entity != NULL)
    text = binding->def->text (binding->self, entity);
  gtk_label_set_label (GTK_LABEL (label), text != NULL ? text : "");

  /* Overdue answers stand out; far overdue ones more. */
  gtk_widget_remove_css_class (label, "warning");
  gtk_widget_remove_css_class (label, "error");
  if (binding->def->text == list_view_request_due && entity != NULL)
    {
      BuurtenOverdue overdue = request_overdue (binding->self, entity, NULL);

      if (overdue == BUURTEN_OVERDUE_SEVERELY)
        gtk_widget_add_css_class (label, "error");
      else if (overdue == BUURTEN_OVERDUE_YES)
        gtk_widget_add_css_class (label, "warning");
    }
}

static void
on_row_changed_cb (BuurtenListRow *row,
                   GtkListItem    *list_item)
{
  update_cell (list_item);
}

static void
on_cell_bind_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 ColumnBinding            *binding)
{
  BuurtenListRow *row = gtk_list_item_get_item (list_item);

  /* A row bound anew shows its item now, in every column. */
  if (row->n_bound++ == 0)
    row->stale = FALSE;
  g_signal_connect (row, "changed", G_CALLBACK (on_row_changed_cb), list_item);
  update_cell (list_item);
}

static void
on_cell_unbind_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *list_item,
                   ColumnBinding            *binding)
{
  BuurtenListRow *row = gtk_list_item_get_item (list_item);

  g_signal_handlers_disconnect_by_func (row, on_row_changed_cb, list_item);
  row->n_bound--;
}

static int
compare_items_cb (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  ColumnBinding *binding = user_data;
  gpointer x = list_view_item_entity ((gpointer) a);
  gpointer y = list_view_item_entity ((gpointer) b);
  int result;

  if (x == NULL || y == NULL)
    return GTK_ORDERING_EQUAL;

  if (binding->def->collate != NULL)
    {
      const char *key_x = g_object_get_qdata ((GObject *) a, binding->key_quark);
      const char *key_y = g_object_get_qdata ((GObject *) b, binding->key_quark);

      if (key_x != NULL && key_y != NULL)
        {
          result = strcmp (key_x, key_y);
          return result < 0 ? GTK_ORDERING_SMALLER : result > 0 ? GTK_ORDERING_LARGER
                                                                 : GTK_ORDERING_EQUAL;
        }
    }

  result = binding->def->compare (x, y);
  return result < 0 ? GTK_ORDERING_SMALLER : result > 0 ? GTK_ORDERING_LARGER
                                                         : GTK_ORDERING_EQUAL;
}

void
list_view_build_columns (BuurtenListView *self)
{
  const ColumnDef *defs = kind_columns (self->kind);
  GtkColumnViewColumn *default_column = NULL;
  GtkSortType default_order = GTK_SORT_ASCENDING;

  for (guint i = 0; defs[i].title != NULL; i++)
    {
      ColumnBinding *binding = g_new0 (ColumnBinding, 1);
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;
      GtkSorter *sorter;

      binding->self = self;
      binding->def = &defs[i];
      if (defs[i].collate != NULL)
        binding->key_quark = column_key_quark (&defs[i]);
      g_ptr_array_add (self->bindings, binding);

      g_signal_connect (factory, "setup", G_CALLBACK (on_cell_setup_cb), binding);
      g_signal_connect (factory, "bind", G_CALLBACK (on_cell_bind_cb), binding);
      g_signal_connect (factory, "unbind", G_CALLBACK (on_cell_unbind_cb), binding);

      column = gtk_column_view_column_new (_(defs[i].title), factory);
      gtk_column_view_column_set_expand (column, defs[i].expand);
      /* Fixed widths keep the title readable; the list scrolls sideways
       * when the window is too narrow for all columns. */
      gtk_column_view_column_set_fixed_width (column, defs[i].expand ? 240 : 112);
      gtk_column_view_column_set_resizable (column, TRUE);
      sorter = GTK_SORTER (gtk_custom_sorter_new (compare_items_cb, binding, NULL));
      gtk_column_view_column_set_sorter (column, sorter);
      g_object_unref (sorter);
      gtk_column_view_append_column (self->column_view, column);

      if (defs[i].sort_descending && default_column == NULL)
        {
          default_column = column;
          default_order = self->kind == BUURTEN_LIST_MEETINGS ? GTK_SORT_ASCENDING
                                                               : GTK_SORT_DESCENDING;
        }
    }

  if (default_column != NULL)
    gtk_column_view_sort_by_column (self->column_view, default_column, default_order);
}
