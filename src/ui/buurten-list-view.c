/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-list-view"

#include "config.h"

#include "buurten-list-view.h"

#include <glib/gi18n.h>

#include "buurten-decide.h"
#include "buurten-editors.h"
#include "buurten-format.h"
#include "buurten-store-queries.h"

/* ---- a row of the column view ---------------------------------------
 *
 * The column view shows BuurtenListRows, which stay the same objects while
 * the items they show change. GTK 4.8 builds a new row widget (a row and a
 * cell and label per column) for every item it did not show before, and
 * keeps about 200 of them around the visible ones: a new set of search
 * hits as new items costs 50-150 ms. A row that says "changed" is
 * relabelled in place instead, and only the count at the end of the list
 * changes (see show_items()). */

#define BUURTEN_TYPE_LIST_ROW (buurten_list_row_get_type ())
G_DECLARE_FINAL_TYPE (BuurtenListRow, buurten_list_row, BUURTEN, LIST_ROW, GObject)

struct _BuurtenListRow
{
  GObject      parent_instance;

  BuurtenItem *item;     /* owned; NULL while unused */
  guint        n_bound;  /* cells showing it: only those listen */
  gboolean     stale;    /* bound cells still show the item before */
};

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
static gboolean
list_row_set_item (BuurtenListRow *row,
                   BuurtenItem    *item)
{
  if (!g_set_object (&row->item, item))
    return FALSE;
  row->stale = row->n_bound > 0;
  return row->stale;
}

static void
list_row_refresh (BuurtenListRow *row)
{
  if (!row->stale)
    return;
  row->stale = FALSE;
  if (row->n_bound > 0)
    g_signal_emit (row, row_changed_signal, 0);
}

/* ---- the list view --------------------------------------------------- */

typedef char *(*CellTextFunc) (BuurtenListView *self,
                               gpointer         entity);
typedef int   (*CellCompareFunc) (gconstpointer a,
                                  gconstpointer b);
typedef const char *(*CellCollateFunc) (gconstpointer entity);

typedef struct
{
  const char      *title;        /* English msgid */
  CellTextFunc     text;
  CellCompareFunc  compare;
  gboolean         expand;
  gboolean         sort_descending; /* the default sort column */
  /* A column of text sorts by collation keys, made in the loading thread
   * (add_sort_keys): g_utf8_collate() in every comparison takes half a
   * second in the UI thread to sort 10 000 titles. */
  CellCollateFunc  collate;
} ColumnDef;

typedef struct
{
  BuurtenListView *self;
  const ColumnDef *def;
  GQuark           key_quark;     /* of the sort keys, with collate */
} ColumnBinding;

typedef struct _Sorted Sorted;

struct _BuurtenListView
{
  GtkWidget           parent_instance;

  /* template widgets */
  AdwLeaflet         *leaflet;
  GtkSearchEntry     *search_entry;
  GtkWidget          *filter_box;
  GtkDropDown        *status_dropdown;
  GtkDropDown        *type_dropdown;
  GtkToggleButton    *overdue_toggle;
  GtkToggleButton    *mine_toggle;
  GtkStack           *list_stack;
  GtkSpinner         *spinner;
  GtkColumnView      *column_view;
  AdwStatusPage      *empty_page;
  GtkButton          *empty_button;
  GtkStack           *detail_stack;
  GtkLabel           *detail_title;
  GtkLabel           *detail_subtitle;
  GtkLabel           *detail_description;
  GtkWidget          *edit_button;
  GtkWidget          *decide_button;
  GtkListBox         *fields_list;
  GtkListBox         *history_list;

  /* owned references */
  BuurtenContext     *context;
  GtkSortListModel   *sort_model;    /* all loaded items, by the columns' sorter */
  Sorted             *sorted;        /* the same as an array, or NULL */
  GListStore         *rows;          /* BuurtenListRow*: what the column view shows */
  GPtrArray          *row_pool;      /* BuurtenListRow*: rows, and unused ones after */
  guint               n_shown;       /* rows to show; rows has them, or soon (sync_rows) */
  guint               sync_source;   /* the idle of sync_rows_cb */
  GtkSingleSelection *selection;
  BuurtenListSearch  *searcher;
  GCancellable       *load_cancellable;
  GCancellable       *search_cancellable;
  GCancellable       *history_cancellable;
  GHashTable         *search_hits;   /* ids, or NULL when not searching */
  GPtrArray          *bindings;      /* ColumnBinding* */

  /* plain data */
  BuurtenListKind     kind;
  char               *wijk;
  char               *pending_select;
  char               *shown_id;
  char               *search_text;     /* what the store is asked, or NULL */
  char               *running_text;    /* the text and wijk of the running search */
  char               *running_wijk;
  gint64              search_started;  /* monotonic µs of the last keystroke */
  gint64              sort_started;    /* of the last change of the sort order */
  guint               filter_serial;   /* bumped when sorted or a filter changes */
  gboolean            search_running;
  gboolean            loading;
  gboolean            loaded;
  gboolean            dirty;     /* to load when it is next shown */
};

G_DEFINE_FINAL_TYPE (BuurtenListView, buurten_list_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_KIND,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void reload (BuurtenListView *self);
static void show_detail (BuurtenListView *self,
                         BuurtenItem     *item);
static void on_selection_changed_cb (GtkSelectionModel *model,
                                     guint              position,
                                     guint              n_items,
                                     BuurtenListView   *self);

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
static BuurtenOverdue
request_overdue_on (const BuurtenRequest *request,
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
    return request_overdue_on (request, NULL, out_due);
  buurten_context_get_today (self->context, &today);
  return request_overdue_on (request, &today, out_due);
}

static char *
request_due (BuurtenListView *self, gpointer entity)
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

#define CMP(a, b) ((a) < (b) ? -1 : (a) > (b))

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
  { N_("Answer Due"), request_due, cmp_request_due, FALSE, FALSE },
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
static void
add_sort_keys (BuurtenListKind  kind,
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

static const BuurtenEntityInfo *
kind_info (BuurtenListKind kind)
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

static BuurtenMachine
kind_machine (BuurtenListKind kind)
{
  return kind == BUURTEN_LIST_INITIATIVES ? BUURTEN_MACHINE_INITIATIVE
         : kind == BUURTEN_LIST_ESCALATIONS ? BUURTEN_MACHINE_ESCALATION
         : BUURTEN_MACHINE_REQUEST;
}

static gboolean
kind_has_search_index (BuurtenListKind kind)
{
  return kind == BUURTEN_LIST_REQUESTS || kind == BUURTEN_LIST_INITIATIVES;
}

/* ---- the column view ------------------------------------------------- */

static gpointer
item_entity (gpointer item)
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
  gpointer entity = row != NULL ? item_entity (row->item) : NULL;
  g_autofree char *text = NULL;

  if (entity != NULL)
    text = binding->def->text (binding->self, entity);
  gtk_label_set_label (GTK_LABEL (label), text != NULL ? text : "");

  /* Overdue answers stand out; far overdue ones more. */
  gtk_widget_remove_css_class (label, "warning");
  gtk_widget_remove_css_class (label, "error");
  if (binding->def->text == request_due && entity != NULL)
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
  gpointer x = item_entity ((gpointer) a);
  gpointer y = item_entity ((gpointer) b);
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

static void
build_columns (BuurtenListView *self)
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

/* ---- filtering ------------------------------------------------------- */

/* What the filters and the search let through, read from the widgets in
 * the UI thread, so that the search's worker thread can filter too. */
typedef struct
{
  BuurtenListKind  kind;
  guint            status;     /* 0: all; else the state + 1 (meetings: 1 upcoming, 2 past) */
  guint            type;       /* 0: all; else the type or level + 1 */
  gboolean         overdue;
  gboolean         mine;
  char            *me;
  char            *needle;     /* casefolded; the lists without a search index */
  gboolean         has_today;
  GDate            today;
  gint64           now;
  GHashTable      *hits;       /* ids the store found, or NULL: no search */
} FilterState;

static void
filter_state_clear (FilterState *state)
{
  g_clear_pointer (&state->me, g_free);
  g_clear_pointer (&state->needle, g_free);
  g_clear_pointer (&state->hits, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FilterState, filter_state_clear)

static guint
dropdown_choice (GtkDropDown *dropdown)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  return selected == GTK_INVALID_LIST_POSITION ? 0 : selected;
}

static void
filter_state_init (BuurtenListView *self,
                   FilterState     *state)
{
  const char *typed = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *text = g_strstrip (g_strdup (typed));

  memset (state, 0, sizeof *state);
  state->kind = self->kind;
  state->status = dropdown_choice (self->status_dropdown);
  state->type = dropdown_choice (self->type_dropdown);
  state->overdue = gtk_toggle_button_get_active (self->overdue_toggle);
  state->mine = gtk_toggle_button_get_active (self->mine_toggle);
  state->me = g_strdup (self->context != NULL ? buurten_context_get_user_name (self->context)
                                              : "");
  if (!kind_has_search_index (self->kind) && text[0] != '\0')
    state->needle = g_utf8_casefold (text, -1);
  if (self->context != NULL)
    {
      buurten_context_get_today (self->context, &state->today);
      state->has_today = g_date_valid (&state->today);
    }
  state->now = g_get_real_time () / G_USEC_PER_SEC;
  if (self->search_hits != NULL)
    state->hits = g_hash_table_ref (self->search_hits);
}

static gboolean
text_contains (const char *haystack,
               const char *folded_needle)
{
  g_autofree char *h = NULL;

  if (haystack == NULL)
    return FALSE;
  h = g_utf8_casefold (haystack, -1);
  return strstr (h, folded_needle) != NULL;
}

/* Thread-safe: reads only the state and the (never changed) entity. */
static gboolean
filter_state_matches (const FilterState *state,
                      BuurtenItem       *item)
{
  gpointer entity = item_entity (item);

  if (entity == NULL)
    return FALSE;

  if (state->hits != NULL && !g_hash_table_contains (state->hits, buurten_item_get_id (item)))
    return FALSE;

  switch (state->kind)
    {
    case BUURTEN_LIST_REQUESTS:
      {
        BuurtenRequest *request = entity;

        if (state->status > 0 && (guint) request->state != state->status - 1)
          return FALSE;
        if (state->type > 0 && (guint) request->type != state->type - 1)
          return FALSE;
        if (state->overdue &&
            request_overdue_on (request, state->has_today ? &state->today : NULL, NULL)
            == BUURTEN_OVERDUE_NONE)
          return FALSE;
        if (state->mine && g_strcmp0 (request->assignee, state->me) != 0)
          return FALSE;
      }
      break;

    case BUURTEN_LIST_INITIATIVES:
      {
        BuurtenInitiative *initiative = entity;

        if (state->status > 0 && (guint) initiative->state != state->status - 1)
          return FALSE;
      }
      break;

    case BUURTEN_LIST_ESCALATIONS:
      {
        BuurtenEscalation *escalation = entity;

        if (state->status > 0 && (guint) escalation->state != state->status - 1)
          return FALSE;
        if (state->type > 0 && (guint) escalation->level != state->type - 1)
          return FALSE;
        if (state->mine && g_strcmp0 (escalation->target, state->me) != 0)
          return FALSE;
        if (state->needle != NULL && !text_contains (escalation->reason, state->needle) &&
            !text_contains (escalation->target, state->needle))
          return FALSE;
      }
      break;

    case BUURTEN_LIST_MEETINGS:
      {
        BuurtenMeeting *meeting = entity;

        if (state->status == 1 && meeting->starts_at < state->now)
          return FALSE;
        if (state->status == 2 && meeting->starts_at >= state->now)
          return FALSE;
        if (state->type > 0 && (guint) meeting->kind != state->type - 1)
          return FALSE;
        if (state->needle != NULL && !text_contains (meeting->location, state->needle) &&
            !text_contains (buurten_format_meeting_kind (meeting->kind), state->needle))
          return FALSE;
      }
      break;

    default:
      break;
    }

  return TRUE;
}

/* The loaded items in the order of the columns, shared with the search's
 * worker thread (so never changed: a new order is a new Sorted). */
struct _Sorted
{
  GPtrArray  *items;   /* BuurtenItem* */
  GHashTable *rank;    /* id (borrowed from its item) -> position + 1 */
};

static void
sorted_clear (gpointer data)
{
  Sorted *sorted = data;

  g_hash_table_unref (sorted->rank);
  g_ptr_array_unref (sorted->items);
}

static Sorted *
sorted_new (GListModel *model)
{
  guint n = g_list_model_get_n_items (model);
  Sorted *sorted = g_atomic_rc_box_new0 (Sorted);

  sorted->items = g_ptr_array_new_full (n, g_object_unref);
  sorted->rank = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < n; i++)
    {
      BuurtenItem *item = g_list_model_get_item (model, i);

      g_ptr_array_add (sorted->items, item);
      g_hash_table_insert (sorted->rank, (gpointer) buurten_item_get_id (item),
                           GUINT_TO_POINTER (i + 1));
    }

  return sorted;
}

static Sorted *
sorted_ref (Sorted *sorted)
{
  return g_atomic_rc_box_acquire (sorted);
}

static void
sorted_unref (Sorted *sorted)
{
  g_atomic_rc_box_release_full (sorted, sorted_clear);
}

static int
compare_positions (gconstpointer a,
                   gconstpointer b)
{
  guint x = *(const guint *) a;
  guint y = *(const guint *) b;

  return CMP (x, y);
}

/* The items of sorted (in its order) that state lets through, borrowed.
 * With search hits, only the hits are looked at (found by their rank):
 * a few hundred instead of the wijk's 10 000. */
static GPtrArray *
filter_items (Sorted            *sorted,
              const FilterState *state)
{
  GPtrArray *shown;

  if (sorted == NULL)
    return g_ptr_array_new ();

  if (state->hits != NULL && g_hash_table_size (state->hits) < sorted->items->len)
    {
      g_autoptr(GArray) positions = g_array_sized_new (FALSE, FALSE, sizeof (guint),
                                                       g_hash_table_size (state->hits));
      GHashTableIter iter;
      gpointer id;

      g_hash_table_iter_init (&iter, state->hits);
      while (g_hash_table_iter_next (&iter, &id, NULL))
        {
          guint rank = GPOINTER_TO_UINT (g_hash_table_lookup (sorted->rank, id));

          if (rank > 0)
            {
              rank--;
              g_array_append_val (positions, rank);
            }
        }
      g_array_sort (positions, compare_positions);

      shown = g_ptr_array_sized_new (positions->len);
      for (guint i = 0; i < positions->len; i++)
        {
          BuurtenItem *item = g_ptr_array_index (sorted->items,
                                                 g_array_index (positions, guint, i));

          if (filter_state_matches (state, item))
            g_ptr_array_add (shown, item);
        }
      return shown;
    }

  shown = g_ptr_array_sized_new (sorted->items->len);
  for (guint i = 0; i < sorted->items->len; i++)
    {
      BuurtenItem *item = g_ptr_array_index (sorted->items, i);

      if (filter_state_matches (state, item))
        g_ptr_array_add (shown, item);
    }

  return shown;
}

static BuurtenListRow *
selected_row (BuurtenListView *self)
{
  return gtk_single_selection_get_selected_item (self->selection);
}

static BuurtenItem *
selected_item (BuurtenListView *self)
{
  BuurtenListRow *row = selected_row (self);

  return row != NULL ? row->item : NULL;
}

/* The column view shows rows [first, end) (about), on a list of n rows. */
static void
visible_rows (BuurtenListView *self,
              guint            n,
              guint           *first,
              guint           *end)
{
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->column_view));
  double page = adjustment != NULL ? gtk_adjustment_get_page_size (adjustment) : 0.0;
  double value = adjustment != NULL ? gtk_adjustment_get_value (adjustment) : 0.0;
  double upper = adjustment != NULL ? gtk_adjustment_get_upper (adjustment) : 0.0;
  /* Rows are one line high; before the first layout, guess. */
  double row_height = n > 0 && upper > 0.0 ? MAX (upper / n, 16.0) : 34.0;

  if (page <= 0.0)
    page = 1200.0;
  *first = (guint) MIN (value / row_height, (double) n);
  *end = (guint) MIN ((value + page) / row_height + 2.0, (double) G_MAXUINT / 2);
}

/* How far sync_rows gets with one slice of work. */
#define SYNC_BUDGET_US   2000
#define SYNC_CHUNK_ROWS  12
/* Beyond this many rows past the first visible one, GTK 4.8 has no
 * widgets (it keeps about 200): adding or removing rows there is cheap. */
#define SYNC_WIDGET_SPAN 240

/* Brings the column view to n_shown rows with their items, a slice at a
 * time: relabels the rows that still show their old item and grows or
 * shrinks the list in chunks, each a small part of a frame, so that typing
 * never waits for the rows nobody sees. all: everything, now. Returns
 * whether work is left. */
static gboolean
sync_rows (BuurtenListView *self,
           gboolean         all)
{
  gint64 deadline = g_get_monotonic_time () + SYNC_BUDGET_US;
  guint n_model = g_list_model_get_n_items (G_LIST_MODEL (self->rows));
  guint first, end;

  visible_rows (self, n_model, &first, &end);

  /* Rows out of sight that still show their old item (not those that
   * are about to go). */
  for (guint i = 0; i < MIN (MIN (n_model, self->n_shown), self->row_pool->len); i++)
    {
      list_row_refresh (g_ptr_array_index (self->row_pool, i));
      if (!all && (i & 15) == 15 && g_get_monotonic_time () > deadline)
        return TRUE;
    }

  while (n_model != self->n_shown)
    {
      if (!all && g_get_monotonic_time () > deadline)
        return TRUE;

      if (n_model < self->n_shown)
        {
          guint add = self->n_shown - n_model;

          if (!all && n_model < first + SYNC_WIDGET_SPAN)
            add = MIN (add, SYNC_CHUNK_ROWS);
          g_list_store_splice (self->rows, n_model, 0, self->row_pool->pdata + n_model, add);
          n_model += add;
        }
      else
        {
          /* From the end: what lies past GTK's widgets goes at once, the
           * rest a chunk at a time. */
          guint cheap = MAX (self->n_shown, first + SYNC_WIDGET_SPAN);
          guint keep;

          if (all)
            keep = self->n_shown;
          else if (cheap < n_model)
            keep = cheap;
          else
            keep = MAX (self->n_shown, n_model - MIN (n_model, SYNC_CHUNK_ROWS));
          g_list_store_splice (self->rows, keep, n_model - keep, NULL, 0);
          n_model = keep;
        }
    }

  return FALSE;
}

static gboolean
sync_rows_cb (gpointer user_data)
{
  BuurtenListView *self = user_data;

  if (sync_rows (self, FALSE))
    return G_SOURCE_CONTINUE;

  self->sync_source = 0;
  return G_SOURCE_REMOVE;
}

/* Everything now: before selecting by position, say. */
static void
sync_rows_now (BuurtenListView *self)
{
  g_clear_handle_id (&self->sync_source, g_source_remove);
  sync_rows (self, TRUE);
}

/* Shows items (BuurtenItem*, in order) in the column view. The rows keep
 * their place and only change what they show. In this call, only what
 * can be seen: the visible rows are relabelled, rows are added up to a
 * screenful, and rows on screen past the new end are removed; the rest
 * follows in slices after the frame (sync_rows). The selected item stays
 * selected where it now is, else nothing is. */
static void
show_items (BuurtenListView *self,
            GPtrArray       *items)
{
  guint n_model = g_list_model_get_n_items (G_LIST_MODEL (self->rows));
  guint new_n = items->len;
  g_autoptr(BuurtenItem) selected = NULL;
  guint selected_at = GTK_INVALID_LIST_POSITION;
  guint first, end;

  if (selected_item (self) != NULL)
    selected = g_object_ref (selected_item (self));

  visible_rows (self, n_model, &first, &end);

  while (self->row_pool->len < MAX (new_n, n_model))
    g_ptr_array_add (self->row_pool, g_object_new (BUURTEN_TYPE_LIST_ROW, NULL));

  for (guint i = 0; i < MAX (new_n, n_model); i++)
    {
      BuurtenItem *item = i < new_n ? g_ptr_array_index (items, i) : NULL;
      BuurtenListRow *row = g_ptr_array_index (self->row_pool, i);

      if (list_row_set_item (row, item) && i >= first && i < end && i < new_n)
        list_row_refresh (row);
      if (item != NULL && item == selected)
        selected_at = i;
    }
  self->n_shown = new_n;

  /* The count: up to a screenful, or to the selected row, now. Fewer
   * rows than fill the screen: the rest goes now, or the screen would
   * show empty rows; no rows at all: the list is hidden (an empty
   * state), so it may shrink later. */
  if (new_n > n_model)
    {
      guint now = MIN (new_n, MAX (end, selected_at != GTK_INVALID_LIST_POSITION
                                        ? selected_at + 1 : 0));

      if (now > n_model)
        g_list_store_splice (self->rows, n_model, 0, self->row_pool->pdata + n_model,
                             now - n_model);
    }
  else if (new_n < n_model && new_n > 0 && new_n < end)
    {
      g_list_store_splice (self->rows, new_n, n_model - new_n, NULL, 0);
    }

  g_signal_handlers_block_by_func (self->selection, on_selection_changed_cb, self);
  gtk_single_selection_set_selected (self->selection, selected_at);
  g_signal_handlers_unblock_by_func (self->selection, on_selection_changed_cb, self);

  if (selected != NULL && selected_at == GTK_INVALID_LIST_POSITION)
    show_detail (self, NULL);

  if (self->sync_source == 0)
    self->sync_source = g_idle_add (sync_rows_cb, self);
}

static void
update_empty_state (BuurtenListView *self)
{
  guint loaded = buurten_list_view_get_n_loaded (self);
  guint shown = buurten_list_view_get_n_shown (self);
  static const char *empty_titles[] = {
    N_("No Requests Yet"), N_("No Initiatives Yet"), N_("No Escalations"), N_("No Meetings Planned"),
  };
  static const char *empty_descriptions[] = {
    N_("Record a question, complaint or report of a resident with New Request (Ctrl+N)."),
    N_("Record an initiative of residents with New Initiative (Ctrl+N)."),
    N_("Nothing of this wijk is escalated. Open an escalation with Ctrl+N when the wijkteam "
       "cannot solve something."),
    N_("Plan the next wijkoverleg or wijkteam meeting with New Meeting (Ctrl+N)."),
  };
  static const char *new_labels[] = {
    N_("_New Request"), N_("_New Initiative"), N_("_New Escalation"), N_("_New Meeting"),
  };

  if (self->loading)
    {
      gtk_stack_set_visible_child_name (self->list_stack, "loading");
      gtk_spinner_set_spinning (self->spinner, TRUE);
      return;
    }
  gtk_spinner_set_spinning (self->spinner, FALSE);

  if (shown > 0)
    {
      gtk_stack_set_visible_child_name (self->list_stack, "list");
      return;
    }

  if (loaded == 0)
    {
      adw_status_page_set_icon_name (self->empty_page, "document-new-symbolic");
      adw_status_page_set_title (self->empty_page, _(empty_titles[self->kind]));
      adw_status_page_set_description (self->empty_page, _(empty_descriptions[self->kind]));
      gtk_button_set_label (self->empty_button, _(new_labels[self->kind]));
      gtk_button_set_use_underline (self->empty_button, TRUE);
    }
  else
    {
      adw_status_page_set_icon_name (self->empty_page, "edit-find-symbolic");
      adw_status_page_set_title (self->empty_page, _("No Results"));
      adw_status_page_set_description (self->empty_page,
                                       _("Nothing matches the search and filters. Try other "
                                         "words, or clear the filters."));
      gtk_button_set_label (self->empty_button, _("_Clear Search and Filters"));
      gtk_button_set_use_underline (self->empty_button, TRUE);
    }
  gtk_stack_set_visible_child_name (self->list_stack, "empty");
}

/* Filters the loaded items again, here and now: a filter or the sort
 * order changed, or the list was loaded. The filters look at each item
 * once (about a millisecond for 10 000 requests). */
static void
refilter (BuurtenListView *self)
{
  g_auto(FilterState) state = { 0, };
  g_autoptr(GPtrArray) shown = NULL;

  self->filter_serial++;
  filter_state_init (self, &state);
  shown = filter_items (self->sorted, &state);
  show_items (self, shown);
  update_empty_state (self);
}

static void
on_filter_changed_cb (BuurtenListView *self)
{
  refilter (self);
}

static void
on_sorter_changed_cb (BuurtenListView *self)
{
  self->sort_started = g_get_monotonic_time ();
}

static void
on_sorted_changed_cb (GListModel      *model,
                      guint            position,
                      guint            removed,
                      guint            added,
                      BuurtenListView *self)
{
  /* bench/bench-ui.py: a click on a column header to the list sorted. */
  if (self->sort_started != 0 && removed == added && g_getenv ("BUURTEN_BENCH") != NULL)
    g_print ("buurten-bench sort-us=%" G_GINT64_FORMAT " n=%u\n",
             g_get_monotonic_time () - self->sort_started, g_list_model_get_n_items (model));
  self->sort_started = 0;

  /* An array of the sorted items, for the filters (here and in the
   * search's worker thread, which shares it: it is never changed). */
  g_clear_pointer (&self->sorted, sorted_unref);
  if (gtk_sort_list_model_get_model (self->sort_model) != NULL)
    self->sorted = sorted_new (model);
  refilter (self);
}

static void
clear_filters (BuurtenListView *self)
{
  g_signal_handlers_block_by_func (self->status_dropdown, on_filter_changed_cb, self);
  g_signal_handlers_block_by_func (self->type_dropdown, on_filter_changed_cb, self);
  g_signal_handlers_block_by_func (self->overdue_toggle, on_filter_changed_cb, self);
  g_signal_handlers_block_by_func (self->mine_toggle, on_filter_changed_cb, self);
  gtk_drop_down_set_selected (self->status_dropdown, 0);
  gtk_drop_down_set_selected (self->type_dropdown, 0);
  gtk_toggle_button_set_active (self->overdue_toggle, FALSE);
  gtk_toggle_button_set_active (self->mine_toggle, FALSE);
  g_signal_handlers_unblock_by_func (self->status_dropdown, on_filter_changed_cb, self);
  g_signal_handlers_unblock_by_func (self->type_dropdown, on_filter_changed_cb, self);
  g_signal_handlers_unblock_by_func (self->overdue_toggle, on_filter_changed_cb, self);
  g_signal_handlers_unblock_by_func (self->mine_toggle, on_filter_changed_cb, self);
  /* Clearing the search refilters (on_search_entry_changed_cb); when it
   * was empty already, the filters still need it. */
  if (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))[0] != '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  else
    refilter (self);
}

/* ---- search ---------------------------------------------------------- */

/* Search as you type, for the lists with a search index (requests and
 * initiatives). Per keystroke, in a worker thread: the store's full-text
 * search for the ids (buurten_list_search_run, a few milliseconds) and
 * the filters over the sorted items; in the UI thread only the rows
 * that are visible change what they show (show_items). One search runs at
 * a time: a keystroke cancels the running one (SQLite stops within a
 * millisecond) and the newest text is searched as soon as it has stopped,
 * so searches never queue up behind each other. */

typedef struct
{
  BuurtenListSearch *searcher;
  char              *type;
  char              *wijk;
  char              *text;
  Sorted            *sorted;     /* shared, never changed */
  FilterState        state;
  guint              filter_serial;
  gint64             started;
} SearchData;

typedef struct
{
  GHashTable *hits;
  Sorted     *sorted;         /* what shown was filtered from */
  GPtrArray  *shown;          /* BuurtenItem*, borrowed from sorted */
  char       *wijk;
  guint       filter_serial;
  gint64      started;        /* monotonic µs: the keystroke */
  gint64      worker_start;   /* the worker thread took it up */
  gint64      worker_end;     /* and was done */
  gint64      store_us;
  gint64      filter_us;
} SearchResult;

static void
search_data_free (gpointer data)
{
  SearchData *search = data;

  g_clear_object (&search->searcher);
  g_free (search->type);
  g_free (search->wijk);
  g_free (search->text);
  g_clear_pointer (&search->sorted, sorted_unref);
  filter_state_clear (&search->state);
  g_free (search);
}

static void
search_result_free (gpointer data)
{
  SearchResult *result = data;

  g_clear_pointer (&result->hits, g_hash_table_unref);
  g_clear_pointer (&result->shown, g_ptr_array_unref);
  g_clear_pointer (&result->sorted, sorted_unref);
  g_free (result->wijk);
  g_free (result);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SearchResult, search_result_free)

static gpointer
search_in_thread (BuurtenStore  *store,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  SearchData *search = data;
  gint64 start = g_get_monotonic_time ();
  SearchResult *result;
  GHashTable *hits;

  hits = buurten_list_search_run (search->searcher, search->type, search->wijk, search->text,
                                  cancellable, error);
  if (hits == NULL)
    return NULL;

  result = g_new0 (SearchResult, 1);
  result->worker_start = start;
  result->hits = hits;
  result->store_us = g_get_monotonic_time () - start;
  if (g_getenv ("BUURTEN_BENCH") != NULL)
    g_print ("buurten-bench store-search-us=%" G_GINT64_FORMAT " text=%s\n",
             result->store_us, search->text);

  /* The filters too, while we are off the UI thread. */
  start = g_get_monotonic_time ();
  search->state.hits = g_hash_table_ref (hits);
  result->shown = filter_items (search->sorted, &search->state);
  result->filter_us = g_get_monotonic_time () - start;
  result->sorted = search->sorted != NULL ? sorted_ref (search->sorted) : NULL;
  result->wijk = g_strdup (search->wijk);
  result->filter_serial = search->filter_serial;
  result->started = search->started;
  result->worker_end = g_get_monotonic_time ();

  return result;
}

static void start_search (BuurtenListView *self);

static void
search_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(BuurtenListView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SearchResult) search = NULL;
  g_autofree char *text = g_steal_pointer (&self->running_text);
  g_autofree char *wijk = g_steal_pointer (&self->running_wijk);
  gint64 arrived = g_get_monotonic_time ();

  search = buurten_context_run_finish (BUURTEN_CONTEXT (source), result, &error);
  self->search_running = FALSE;
  g_clear_object (&self->search_cancellable);

  /* Disposed, or the search was cleared meanwhile. */
  if (self->context == NULL || self->search_text == NULL)
    return;
  /* Typed on meanwhile: this one is out of date; search the newest. */
  if (g_strcmp0 (text, self->search_text) != 0 || g_strcmp0 (wijk, self->wijk) != 0)
    {
      start_search (self);
      return;
    }
  if (search == NULL)
    {
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("Search failed: %s", error->message);
      return;
    }

  g_clear_pointer (&self->search_hits, g_hash_table_unref);
  self->search_hits = g_hash_table_ref (search->hits);
  /* The worker filtered what was shown when it started; if a filter or
   * the loaded items changed since, filter again here. */
  if (search->filter_serial == self->filter_serial && search->sorted == self->sorted)
    {
      show_items (self, search->shown);
      update_empty_state (self);
    }
  else
    {
      refilter (self);
    }

  /* bench/bench-ui.py: from the keystroke to the list showing the hits,
   * and what that is made of: waiting for a worker thread, the store, the
   * filters, waiting for the UI thread (busy drawing, say), the rows. */
  if (g_getenv ("BUURTEN_BENCH") != NULL)
    g_print ("buurten-bench search-us=%" G_GINT64_FORMAT " to-worker-us=%" G_GINT64_FORMAT
             " store-us=%" G_GINT64_FORMAT " filter-us=%" G_GINT64_FORMAT
             " to-ui-us=%" G_GINT64_FORMAT " ui-us=%" G_GINT64_FORMAT
             " hits=%u shown=%u text=%s\n",
             g_get_monotonic_time () - search->started, search->worker_start - search->started,
             search->store_us, search->filter_us, arrived - search->worker_end,
             g_get_monotonic_time () - arrived, g_hash_table_size (self->search_hits),
             buurten_list_view_get_n_shown (self), text);
}

static void
start_search (BuurtenListView *self)
{
  SearchData *search;

  if (self->search_running)
    {
      /* search_cb starts the newest text when this one has stopped. */
      g_cancellable_cancel (self->search_cancellable);
      return;
    }
  if (self->search_text == NULL || self->context == NULL ||
      buurten_context_get_store (self->context) == NULL)
    return;

  if (self->searcher == NULL)
    self->searcher = buurten_list_search_new (buurten_context_get_store (self->context));

  search = g_new0 (SearchData, 1);
  search->searcher = g_object_ref (self->searcher);
  search->type = g_strdup (kind_info (self->kind)->name);
  search->wijk = g_strdup (self->wijk);
  search->text = g_strdup (self->search_text);
  search->sorted = self->sorted != NULL ? sorted_ref (self->sorted) : NULL;
  filter_state_init (self, &search->state);
  g_clear_pointer (&search->state.hits, g_hash_table_unref);
  search->filter_serial = self->filter_serial;
  search->started = self->search_started;

  self->search_running = TRUE;
  self->running_text = g_strdup (self->search_text);
  self->running_wijk = g_strdup (self->wijk);
  self->search_cancellable = g_cancellable_new ();
  buurten_context_run_async (self->context, search_in_thread, search, search_data_free,
                             search_result_free, self->search_cancellable,
                             search_cb, g_object_ref (self));
}

static void
on_search_entry_changed_cb (GtkEditable     *editable,
                            BuurtenListView *self)
{
  g_autofree char *stripped = g_strstrip (g_strdup (gtk_editable_get_text (editable)));

  self->search_started = g_get_monotonic_time ();

  if (!kind_has_search_index (self->kind) || stripped[0] == '\0' || self->context == NULL)
    {
      g_clear_pointer (&self->search_text, g_free);
      g_cancellable_cancel (self->search_cancellable);
      g_clear_pointer (&self->search_hits, g_hash_table_unref);
      refilter (self);
      return;
    }

  if (g_strcmp0 (stripped, self->search_text) == 0)
    return;
  g_free (self->search_text);
  self->search_text = g_steal_pointer (&stripped);
  start_search (self);
}

static void
on_search_entry_stop_search_cb (GtkSearchEntry  *entry,
                                BuurtenListView *self)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
}

/* ---- the detail ------------------------------------------------------ */

static void
clear_list_box (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
add_field (BuurtenListView *self,
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

static void
add_field_take (BuurtenListView *self,
                const char      *label,
                char            *value)
{
  add_field (self, label, value);
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

  history = buurten_context_run_finish (BUURTEN_CONTEXT (source), result, &error);
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

static void
show_detail (BuurtenListView *self,
             BuurtenItem     *item)
{
  gpointer entity = item != NULL ? buurten_item_get_entity (item) : NULL;
  HistoryData *history;

  g_cancellable_cancel (self->history_cancellable);
  g_clear_object (&self->history_cancellable);
  clear_list_box (self->fields_list);
  clear_list_box (self->history_list);
  g_clear_pointer (&self->shown_id, g_free);

  if (entity == NULL)
    {
      gtk_stack_set_visible_child_name (self->detail_stack, "none");
      return;
    }

  self->shown_id = g_strdup (buurten_item_get_id (item));
  gtk_widget_set_visible (self->decide_button, FALSE);
  gtk_label_set_label (self->detail_description, "");

  switch (self->kind)
    {
    case BUURTEN_LIST_REQUESTS:
      {
        BuurtenRequest *request = entity;

        gtk_label_set_label (self->detail_title, request->title);
        gtk_label_set_label (self->detail_subtitle,
                             buurten_state_label (BUURTEN_MACHINE_REQUEST, request->state));
        gtk_label_set_label (self->detail_description,
                             request->description ? request->description : "");
        add_field (self, _("Type"), buurten_format_request_type (request->type));
        add_field_take (self, _("Received"), buurten_format_timestamp (request->received_at));
        add_field_take (self, _("Answer Due"), request_due (self, request));
        add_field (self, _("Category"), request->category);
        add_field (self, _("Assigned To"), request->assignee);
      }
      break;

    case BUURTEN_LIST_INITIATIVES:
      {
        BuurtenInitiative *initiative = entity;

        gtk_label_set_label (self->detail_title, initiative->title);
        gtk_label_set_label (self->detail_subtitle,
                             buurten_state_label (BUURTEN_MACHINE_INITIATIVE, initiative->state));
        gtk_label_set_label (self->detail_description,
                             initiative->description ? initiative->description : "");
        add_field_take (self, _("Requested"), buurten_money_format (initiative->requested_cents));
        add_field (self, _("Theme"), initiative->theme);
        add_field (self, _("Organiser"), initiative->organiser);
        add_field (self, _("Support"), initiative->support_note);
        add_field_take (self, _("Received"),
                        buurten_format_timestamp (initiative->received_at));
        /* Decisions and signatures while money may still be committed
         * (an idea too: the fast path); core says until when. */
        gtk_widget_set_visible (self->decide_button,
                                buurten_initiative_may_be_granted (initiative->state));
      }
      break;

    case BUURTEN_LIST_ESCALATIONS:
      {
        BuurtenEscalation *escalation = entity;
        gint64 days = (g_get_real_time () / G_USEC_PER_SEC - escalation->opened_at) / 86400;

        gtk_label_set_label (self->detail_title, escalation->reason ? escalation->reason : "");
        gtk_label_set_label (self->detail_subtitle,
                             buurten_state_label (BUURTEN_MACHINE_ESCALATION, escalation->state));
        add_field (self, _("Level"), buurten_format_escalation_level (escalation->level));
        add_field (self, _("To"), escalation->target);
        add_field_take (self, _("Opened"), buurten_format_timestamp (escalation->opened_at));
        if (!buurten_state_is_final (BUURTEN_MACHINE_ESCALATION, escalation->state))
          add_field_take (self, _("Open For"), buurten_format_days (MAX (days, 0)));
      }
      break;

    case BUURTEN_LIST_MEETINGS:
      {
        BuurtenMeeting *meeting = entity;
        g_autofree char *when = buurten_format_timestamp (meeting->starts_at);

        gtk_label_set_label (self->detail_title, buurten_format_meeting_kind (meeting->kind));
        gtk_label_set_label (self->detail_subtitle, when);
        add_field (self, _("Location"), meeting->location);
      }
      break;

    default:
      break;
    }

  gtk_stack_set_visible_child_name (self->detail_stack, "detail");

  if (self->context == NULL)
    return;

  self->history_cancellable = g_cancellable_new ();
  history = g_new0 (HistoryData, 1);
  history->type = g_strdup (kind_info (self->kind)->name);
  history->id = g_strdup (self->shown_id);
  buurten_context_run_async (self->context, history_in_thread, history, history_data_free,
                             history_result_free, self->history_cancellable,
                             history_cb, g_object_ref (self));
}

static void
on_selection_changed_cb (GtkSelectionModel *model,
                         guint              position,
                         guint              n_items,
                         BuurtenListView   *self)
{
  show_detail (self, selected_item (self));
}

static void
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
    buurten_open_editor (GTK_WIDGET (self), self->context, kind_info (self->kind)->name,
                         self->wijk, buurten_item_get_id (item));
}

static void
on_edit_button_clicked_cb (BuurtenListView *self)
{
  if (self->shown_id != NULL && self->context != NULL)
    buurten_open_editor (GTK_WIDGET (self), self->context, kind_info (self->kind)->name,
                         self->wijk, self->shown_id);
}

static void
on_decide_button_clicked_cb (BuurtenListView *self)
{
  if (self->shown_id != NULL && self->context != NULL)
    buurten_open_decision (GTK_WIDGET (self), self->context, self->shown_id);
}

static void
on_detail_back_button_clicked_cb (BuurtenListView *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
on_empty_button_clicked_cb (BuurtenListView *self)
{
  if (buurten_list_view_get_n_loaded (self) > 0)
    clear_filters (self);
  else
    buurten_list_view_new_item (self);
}

/* ---- loading --------------------------------------------------------- */

typedef struct
{
  BuurtenListKind kind;
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
  GListModel *model;

  if (load->kind == BUURTEN_LIST_MEETINGS)
    model = buurten_store_list_meetings (store, load->wijk, load->cluster, error);
  else
    model = buurten_store_list_model (store, kind_info (load->kind), "wijk", load->wijk, error);

  if (model != NULL)
    add_sort_keys (load->kind, model);
  return model;
}

static gboolean
select_pending (BuurtenListView *self)
{
  guint n;

  if (self->pending_select == NULL || !self->loaded)
    return FALSE;

  /* Selecting is by position: every row must be there. */
  sync_rows_now (self);
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

  model = buurten_context_run_finish (BUURTEN_CONTEXT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->loading = FALSE;
  self->loaded = TRUE;
  if (model == NULL)
    {
      g_message ("Cannot load the %s list: %s", kind_info (self->kind)->name,
                 error ? error->message : "unknown error");
      model = G_LIST_MODEL (g_list_store_new (BUURTEN_TYPE_ITEM));
    }

  /* A reload (after a save) keeps the item shown. */
  keep = g_strdup (self->shown_id);
  gtk_sort_list_model_set_model (self->sort_model, model);
  /* The hits were found in what was loaded before (a new item may match). */
  if (self->search_text != NULL)
    start_search (self);
  if (self->pending_select == NULL && keep != NULL)
    self->pending_select = g_steal_pointer (&keep);

  if (!select_pending (self))
    {
      g_clear_pointer (&self->pending_select, g_free);
      show_detail (self, selected_item (self));
    }
  update_empty_state (self);
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

  self->loading = TRUE;
  update_empty_state (self);

  wijk = buurten_municipality_lookup_wijk (buurten_context_get_municipality (self->context),
                                           self->wijk);
  load = g_new0 (LoadData, 1);
  load->kind = self->kind;
  load->wijk = g_strdup (self->wijk);
  load->cluster = g_strdup (wijk != NULL ? wijk->cluster : NULL);
  self->load_cancellable = g_cancellable_new ();
  buurten_context_run_async (self->context, load_in_thread, load, load_data_free,
                             g_object_unref, self->load_cancellable, load_cb,
                             g_object_ref (self));
}

static void
on_context_changed_cb (BuurtenContext  *context,
                       const char      *entity_type,
                       const char      *id,
                       BuurtenListView *self)
{
  const char *mine = kind_info (self->kind)->name;

  if (g_strcmp0 (entity_type, mine) == 0 ||
      (self->kind == BUURTEN_LIST_INITIATIVES && g_strcmp0 (entity_type, "commitment") == 0) ||
      (self->kind == BUURTEN_LIST_MEETINGS && g_strcmp0 (entity_type, "agenda_item") == 0))
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

static GtkStringList *
make_choices (const char *all,
              const char * const *labels,
              guint               n)
{
  GtkStringList *list = gtk_string_list_new (NULL);

  gtk_string_list_append (list, all);
  for (guint i = 0; i < n; i++)
    gtk_string_list_append (list, labels[i]);

  return list;
}

static void
setup_filters (BuurtenListView *self)
{
  g_autoptr(GtkStringList) status = NULL;
  g_autoptr(GtkStringList) type = NULL;
  const char *labels[16];
  const char *search_placeholder = NULL;
  gboolean show_type = TRUE;
  gboolean show_overdue = FALSE;
  gboolean show_mine = FALSE;

  if (self->kind == BUURTEN_LIST_MEETINGS)
    {
      const char *when[] = { _("Upcoming"), _("Past") };
      const char *kinds[4];

      for (guint i = 0; i < 4; i++)
        kinds[i] = buurten_format_meeting_kind (i);
      status = make_choices (_("All Dates"), when, 2);
      type = make_choices (_("All Kinds"), kinds, 4);
      search_placeholder = _("Search meetings");
    }
  else
    {
      BuurtenMachine machine = kind_machine (self->kind);
      guint n = MIN (buurten_machine_n_states (machine), G_N_ELEMENTS (labels));

      for (guint i = 0; i < n; i++)
        labels[i] = buurten_state_label (machine, i);
      status = make_choices (_("All Statuses"), labels, n);

      if (self->kind == BUURTEN_LIST_REQUESTS)
        {
          for (guint i = 0; i < 4; i++)
            labels[i] = buurten_format_request_type (i);
          type = make_choices (_("All Types"), labels, 4);
          show_overdue = show_mine = TRUE;
          search_placeholder = _("Search requests");
        }
      else if (self->kind == BUURTEN_LIST_ESCALATIONS)
        {
          for (guint i = 0; i <= BUURTEN_LEVEL_BUDGET; i++)
            labels[i] = buurten_format_escalation_level (i);
          type = make_choices (_("All Levels"), labels, BUURTEN_LEVEL_BUDGET + 1);
          show_mine = TRUE;
          search_placeholder = _("Search escalations");
        }
      else
        {
          show_type = FALSE;
          search_placeholder = _("Search initiatives");
        }
    }

  gtk_drop_down_set_model (self->status_dropdown, G_LIST_MODEL (status));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->status_dropdown),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  self->kind == BUURTEN_LIST_MEETINGS ? _("Date") : _("Status"),
                                  -1);
  if (type != NULL)
    gtk_drop_down_set_model (self->type_dropdown, G_LIST_MODEL (type));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->type_dropdown),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  self->kind == BUURTEN_LIST_ESCALATIONS ? _("Level")
                                  : self->kind == BUURTEN_LIST_MEETINGS ? _("Kind")
                                  : _("Type"),
                                  -1);
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->type_dropdown)), show_type);
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->overdue_toggle)),
                          show_overdue);
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->mine_toggle)), show_mine);
  g_object_set (self->search_entry, "placeholder-text", search_placeholder, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->search_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, search_placeholder,
                                  -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->column_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  self->kind == BUURTEN_LIST_REQUESTS ? _("Requests")
                                  : self->kind == BUURTEN_LIST_INITIATIVES ? _("Initiatives")
                                  : self->kind == BUURTEN_LIST_ESCALATIONS ? _("Escalations")
                                  : _("Meetings"),
                                  -1);
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
  build_columns (self);
  update_empty_state (self);
}

static void
buurten_list_view_dispose (GObject *object)
{
  BuurtenListView *self = (BuurtenListView *) object;

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
  gtk_widget_dispose_template (GTK_WIDGET (self), BUURTEN_TYPE_LIST_VIEW);

  g_clear_object (&self->selection);
  if (self->sort_model != NULL)
    g_signal_handlers_disconnect_by_func (self->sort_model, on_sorted_changed_cb, self);
  g_clear_object (&self->sort_model);
  g_clear_pointer (&self->sorted, sorted_unref);
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
      g_value_set_int (value, self->kind);
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
    case PROP_KIND:
      self->kind = g_value_get_int (value);
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
   * 2 escalations, 3 meetings).
   */
  properties[PROP_KIND] =
    g_param_spec_int ("kind", NULL, NULL,
                      BUURTEN_LIST_REQUESTS, BUURTEN_LIST_MEETINGS, BUURTEN_LIST_REQUESTS,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
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
  return g_object_new (BUURTEN_TYPE_LIST_VIEW, "kind", (int) kind, NULL);
}

BuurtenListKind
buurten_list_view_get_kind (BuurtenListView *self)
{
  g_return_val_if_fail (BUURTEN_IS_LIST_VIEW (self), BUURTEN_LIST_REQUESTS);

  return self->kind;
}

const char *
buurten_list_view_get_entity_type (BuurtenListView *self)
{
  g_return_val_if_fail (BUURTEN_IS_LIST_VIEW (self), NULL);

  return kind_info (self->kind)->name;
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
}

void
buurten_list_view_set_wijk (BuurtenListView *self,
                            const char      *wijk)
{
  g_return_if_fail (BUURTEN_IS_LIST_VIEW (self));

  if (g_strcmp0 (self->wijk, wijk) == 0 && self->loaded)
    return;

  g_free (self->wijk);
  self->wijk = g_strdup (wijk);
  g_clear_pointer (&self->shown_id, g_free);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  /* The items of another wijk must not show, not even for a moment. */
  gtk_sort_list_model_set_model (self->sort_model, NULL);
  self->loaded = FALSE;
  reload (self);
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
      clear_filters (self);
      if (!select_pending (self))
        g_clear_pointer (&self->pending_select, g_free);
    }
}

void
buurten_list_view_new_item (BuurtenListView *self)
{
  g_return_if_fail (BUURTEN_IS_LIST_VIEW (self));

  if (self->context != NULL)
    buurten_open_editor (GTK_WIDGET (self), self->context, kind_info (self->kind)->name,
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
