/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-list-view"

#include "config.h"

#include "buurten-list-view.h"

#include <glib/gi18n.h>

#include "buurten-editors.h"
#include "buurten-format.h"
#include "buurten-store-queries.h"

#define SEARCH_LIMIT 2000

typedef char *(*CellTextFunc) (BuurtenListView *self,
                               gpointer         entity);
typedef int   (*CellCompareFunc) (gconstpointer a,
                                  gconstpointer b);

typedef struct
{
  const char      *title;        /* English msgid */
  CellTextFunc     text;
  CellCompareFunc  compare;
  gboolean         expand;
  gboolean         sort_descending; /* the default sort column */
} ColumnDef;

typedef struct
{
  BuurtenListView *self;
  const ColumnDef *def;
} ColumnBinding;

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
  GtkFilterListModel *filter_model;
  GtkSortListModel   *sort_model;
  GtkSingleSelection *selection;
  GtkCustomFilter    *filter;
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
  gint64              search_started;  /* monotonic µs of the last keystroke */
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

static BuurtenOverdue
request_overdue (BuurtenListView      *self,
                 const BuurtenRequest *request,
                 GDate                *out_due)
{
  BuurtenDeadline deadline;
  GDate today;

  buurten_request_get_deadline (request, &deadline);
  if (self->context == NULL || !g_date_valid (&deadline.received))
    {
      if (out_due != NULL)
        g_date_clear (out_due, 1);
      return BUURTEN_OVERDUE_NONE;
    }
  buurten_context_get_today (self->context, &today);
  if (out_due != NULL)
    buurten_deadline_due_date (&deadline, &today, out_due);
  if (!buurten_request_clock_runs (request))
    return BUURTEN_OVERDUE_NONE;
  return buurten_deadline_status (&deadline, &today);
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

static const ColumnDef request_columns[] = {
  { N_("Title"), request_title, cmp_request_title, TRUE, FALSE },
  { N_("Type"), request_type, cmp_request_type, FALSE, FALSE },
  { N_("Status"), request_state, cmp_request_state, FALSE, FALSE },
  { N_("Received"), request_received, cmp_request_received, FALSE, TRUE },
  { N_("Answer Due"), request_due, cmp_request_due, FALSE, FALSE },
  { N_("Assigned To"), request_assignee, cmp_request_assignee, FALSE, FALSE },
  { NULL }
};

static const ColumnDef initiative_columns[] = {
  { N_("Title"), initiative_title, cmp_initiative_title, TRUE, FALSE },
  { N_("Status"), initiative_state, cmp_initiative_state, FALSE, FALSE },
  { N_("Theme"), initiative_theme, cmp_initiative_theme, FALSE, FALSE },
  { N_("Requested"), initiative_amount, cmp_initiative_amount, FALSE, FALSE },
  { N_("Received"), initiative_received, cmp_initiative_received, FALSE, TRUE },
  { NULL }
};

static const ColumnDef escalation_columns[] = {
  { N_("Reason"), escalation_reason, cmp_escalation_reason, TRUE, FALSE },
  { N_("Level"), escalation_level, cmp_escalation_level, FALSE, FALSE },
  { N_("To"), escalation_target, cmp_escalation_target, FALSE, FALSE },
  { N_("Status"), escalation_state, cmp_escalation_state, FALSE, FALSE },
  { N_("Opened"), escalation_opened, cmp_escalation_opened, FALSE, TRUE },
  { NULL }
};

static const ColumnDef meeting_columns[] = {
  { N_("Date"), meeting_starts, cmp_meeting_starts, FALSE, TRUE },
  { N_("Kind"), meeting_kind, cmp_meeting_kind, FALSE, FALSE },
  { N_("Location"), meeting_location, cmp_meeting_location, TRUE, FALSE },
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
  gtk_list_item_set_child (list_item, label);
}

static void
on_cell_bind_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 ColumnBinding            *binding)
{
  GtkWidget *label = gtk_list_item_get_child (list_item);
  gpointer entity = item_entity (gtk_list_item_get_item (list_item));
  g_autofree char *text = NULL;

  if (entity == NULL)
    return;

  text = binding->def->text (binding->self, entity);
  gtk_label_set_label (GTK_LABEL (label), text != NULL ? text : "");

  /* Overdue answers stand out; far overdue ones more. */
  gtk_widget_remove_css_class (label, "warning");
  gtk_widget_remove_css_class (label, "error");
  if (binding->def->text == request_due)
    {
      BuurtenOverdue overdue = request_overdue (binding->self, entity, NULL);

      if (overdue == BUURTEN_OVERDUE_SEVERELY)
        gtk_widget_add_css_class (label, "error");
      else if (overdue == BUURTEN_OVERDUE_YES)
        gtk_widget_add_css_class (label, "warning");
    }
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
      g_ptr_array_add (self->bindings, binding);

      g_signal_connect (factory, "setup", G_CALLBACK (on_cell_setup_cb), binding);
      g_signal_connect (factory, "bind", G_CALLBACK (on_cell_bind_cb), binding);

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

static gboolean
text_contains (const char *haystack,
               const char *needle)
{
  g_autofree char *h = NULL;
  g_autofree char *n = NULL;

  if (haystack == NULL)
    return FALSE;
  h = g_utf8_casefold (haystack, -1);
  n = g_utf8_casefold (needle, -1);
  return strstr (h, n) != NULL;
}

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  BuurtenListView *self = user_data;
  gpointer entity = item_entity (item);
  guint status = gtk_drop_down_get_selected (self->status_dropdown);
  guint type = gtk_drop_down_get_selected (self->type_dropdown);
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  const char *me = self->context != NULL ? buurten_context_get_user_name (self->context) : "";

  if (entity == NULL)
    return FALSE;

  if (self->search_hits != NULL &&
      !g_hash_table_contains (self->search_hits, buurten_item_get_id (item)))
    return FALSE;

  switch (self->kind)
    {
    case BUURTEN_LIST_REQUESTS:
      {
        BuurtenRequest *request = entity;

        if (status > 0 && status != GTK_INVALID_LIST_POSITION &&
            (guint) request->state != status - 1)
          return FALSE;
        if (type > 0 && type != GTK_INVALID_LIST_POSITION && (guint) request->type != type - 1)
          return FALSE;
        if (gtk_toggle_button_get_active (self->overdue_toggle) &&
            request_overdue (self, request, NULL) == BUURTEN_OVERDUE_NONE)
          return FALSE;
        if (gtk_toggle_button_get_active (self->mine_toggle) &&
            g_strcmp0 (request->assignee, me) != 0)
          return FALSE;
      }
      break;

    case BUURTEN_LIST_INITIATIVES:
      {
        BuurtenInitiative *initiative = entity;

        if (status > 0 && status != GTK_INVALID_LIST_POSITION &&
            (guint) initiative->state != status - 1)
          return FALSE;
      }
      break;

    case BUURTEN_LIST_ESCALATIONS:
      {
        BuurtenEscalation *escalation = entity;

        if (status > 0 && status != GTK_INVALID_LIST_POSITION &&
            (guint) escalation->state != status - 1)
          return FALSE;
        if (type > 0 && type != GTK_INVALID_LIST_POSITION &&
            (guint) escalation->level != type - 1)
          return FALSE;
        if (gtk_toggle_button_get_active (self->mine_toggle) &&
            g_strcmp0 (escalation->target, me) != 0)
          return FALSE;
        if (search[0] != '\0' && !text_contains (escalation->reason, search) &&
            !text_contains (escalation->target, search))
          return FALSE;
      }
      break;

    case BUURTEN_LIST_MEETINGS:
      {
        BuurtenMeeting *meeting = entity;
        gint64 now = g_get_real_time () / G_USEC_PER_SEC;

        if (status == 1 && meeting->starts_at < now)
          return FALSE;
        if (status == 2 && meeting->starts_at >= now)
          return FALSE;
        if (type > 0 && type != GTK_INVALID_LIST_POSITION && (guint) meeting->kind != type - 1)
          return FALSE;
        if (search[0] != '\0' && !text_contains (meeting->location, search) &&
            !text_contains (buurten_format_meeting_kind (meeting->kind), search))
          return FALSE;
      }
      break;

    default:
      break;
    }

  return TRUE;
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

static void
refilter (BuurtenListView *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_empty_state (self);
}

static void
on_filter_changed_cb (BuurtenListView *self)
{
  refilter (self);
}

static void
clear_filters (BuurtenListView *self)
{
  g_signal_handlers_block_by_func (self->status_dropdown, on_filter_changed_cb, self);
  g_signal_handlers_block_by_func (self->type_dropdown, on_filter_changed_cb, self);
  gtk_drop_down_set_selected (self->status_dropdown, 0);
  gtk_drop_down_set_selected (self->type_dropdown, 0);
  gtk_toggle_button_set_active (self->overdue_toggle, FALSE);
  gtk_toggle_button_set_active (self->mine_toggle, FALSE);
  g_signal_handlers_unblock_by_func (self->status_dropdown, on_filter_changed_cb, self);
  g_signal_handlers_unblock_by_func (self->type_dropdown, on_filter_changed_cb, self);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  g_clear_pointer (&self->search_hits, g_hash_table_unref);
  refilter (self);
}

/* ---- search ---------------------------------------------------------- */

typedef struct
{
  char   *text;
  char   *wijk;
  gint64  store_us;  /* how long the store took (benchmarks) */
} SearchData;

static void
search_data_free (gpointer data)
{
  SearchData *search = data;

  g_free (search->text);
  g_free (search->wijk);
  g_free (search);
}

static gpointer
search_in_thread (BuurtenStore  *store,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  SearchData *search = data;
  gint64 start = g_get_monotonic_time ();
  GPtrArray *hits = buurten_store_search (store, search->text, search->wijk, SEARCH_LIMIT, error);

  search->store_us = g_get_monotonic_time () - start;
  if (g_getenv ("BUURTEN_BENCH") != NULL)
    g_print ("buurten-bench store-search-us=%" G_GINT64_FORMAT " text=%s\n",
             search->store_us, search->text);
  return hits;
}

static void
search_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(BuurtenListView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  GHashTable *previous;
  const char *type = buurten_list_view_get_entity_type (self);
  gboolean narrower = TRUE;
  gint64 arrived;

  hits = buurten_context_run_finish (BUURTEN_CONTEXT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (hits == NULL)
    {
      if (error != NULL)
        g_message ("Search failed: %s", error->message);
      return;
    }

  arrived = g_get_monotonic_time ();
  previous = g_steal_pointer (&self->search_hits);
  self->search_hits = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < hits->len; i++)
    {
      BuurtenSearchHit *hit = g_ptr_array_index (hits, i);

      if (g_strcmp0 (hit->type, type) != 0)
        continue;
      g_hash_table_add (self->search_hits, g_strdup (hit->id));
      if (previous != NULL && !g_hash_table_contains (previous, hit->id))
        narrower = FALSE;
    }

  /* Typing on mostly narrows the hits: then only the items shown now
   * need another look, not the whole wijk. */
  gtk_filter_changed (GTK_FILTER (self->filter),
                      previous != NULL && narrower ? GTK_FILTER_CHANGE_MORE_STRICT
                                                   : GTK_FILTER_CHANGE_DIFFERENT);
  update_empty_state (self);
  g_clear_pointer (&previous, g_hash_table_unref);

  /* bench/bench-ui.py: from the keystroke to the filtered list. */
  if (g_getenv ("BUURTEN_BENCH") != NULL)
    g_print ("buurten-bench search-us=%" G_GINT64_FORMAT " ui-us=%" G_GINT64_FORMAT
             " hits=%u shown=%u\n",
             g_get_monotonic_time () - self->search_started, g_get_monotonic_time () - arrived,
             hits->len, buurten_list_view_get_n_shown (self));
}

static void
on_search_entry_changed_cb (GtkEditable     *editable,
                            BuurtenListView *self)
{
  const char *text = gtk_editable_get_text (editable);
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  SearchData *search;

  self->search_started = g_get_monotonic_time ();

  /* Every keystroke cancels the query still running for the last one. */
  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);

  if (!kind_has_search_index (self->kind) || stripped[0] == '\0' || self->context == NULL)
    {
      g_clear_pointer (&self->search_hits, g_hash_table_unref);
      refilter (self);
      return;
    }

  self->search_cancellable = g_cancellable_new ();
  search = g_new0 (SearchData, 1);
  search->text = g_steal_pointer (&stripped);
  search->wijk = g_strdup (self->wijk);
  buurten_context_run_async (self->context, search_in_thread, search, search_data_free,
                             (GDestroyNotify) g_ptr_array_unref, self->search_cancellable,
                             search_cb, g_object_ref (self));
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

static gpointer
history_in_thread (BuurtenStore  *store,
                   gpointer       data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  HistoryData *history = data;

  return buurten_store_history (store, history->type, history->id, error);
}

static void
history_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(BuurtenListView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;

  entries = buurten_context_run_finish (BUURTEN_CONTEXT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  clear_list_box (self->history_list);
  if (entries == NULL || entries->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     _("No changes recorded on this computer"));
      gtk_list_box_append (self->history_list, row);
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
        /* Decisions and signatures: before a decision (an idea too: the
         * fast path) and while signatures are missing. */
        gtk_widget_set_visible (self->decide_button,
                                initiative->state == BUURTEN_INITIATIVE_IDEA ||
                                initiative->state == BUURTEN_INITIATIVE_SUBMITTED ||
                                initiative->state == BUURTEN_INITIATIVE_CHECKED ||
                                initiative->state == BUURTEN_INITIATIVE_GRANTED);
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
                             (GDestroyNotify) g_ptr_array_unref, self->history_cancellable,
                             history_cb, g_object_ref (self));
}

static void
on_selection_changed_cb (GtkSelectionModel *model,
                         guint              position,
                         guint              n_items,
                         BuurtenListView   *self)
{
  BuurtenItem *item = gtk_single_selection_get_selected_item (self->selection);

  show_detail (self, item);
}

static void
on_column_view_activate_cb (GtkColumnView   *view,
                            guint            position,
                            BuurtenListView *self)
{
  g_autoptr(BuurtenItem) item = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

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

  if (load->kind == BUURTEN_LIST_MEETINGS)
    return buurten_store_list_meetings (store, load->wijk, load->cluster, error);

  return buurten_store_list_model (store, kind_info (load->kind), "wijk", load->wijk, error);
}

static gboolean
select_pending (BuurtenListView *self)
{
  GListModel *model = G_LIST_MODEL (self->selection);
  guint n = g_list_model_get_n_items (model);

  if (self->pending_select == NULL || !self->loaded)
    return FALSE;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BuurtenItem) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (buurten_item_get_id (item), self->pending_select) == 0)
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
  if (self->pending_select == NULL && keep != NULL)
    self->pending_select = g_steal_pointer (&keep);

  if (!select_pending (self))
    {
      g_clear_pointer (&self->pending_select, g_free);
      show_detail (self, gtk_single_selection_get_selected_item (self->selection));
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
  g_clear_object (&self->sort_model);
  g_clear_object (&self->filter_model);
  g_clear_object (&self->filter);
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
  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  /* Sorted first, filtered after: a keystroke then only filters the sorted
   * list (one items-changed), instead of making the sort model re-sort
   * what the filter let through. */
  self->sort_model = gtk_sort_list_model_new (NULL,
                                              g_object_ref (gtk_column_view_get_sorter (self->column_view)));
  self->filter_model = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->sort_model)),
                                                  g_object_ref (GTK_FILTER (self->filter)));
  /* Not incremental: measured with 100 000 requests, filtering in slices
   * first empties the list and takes longer to the last row (up to 0.3 s
   * against 0.05-0.15 s at once). */
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->filter_model)));
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
  GListModel *model;

  g_return_val_if_fail (BUURTEN_IS_LIST_VIEW (self), 0);

  model = gtk_sort_list_model_get_model (self->sort_model);
  return model != NULL ? g_list_model_get_n_items (model) : 0;
}

guint
buurten_list_view_get_n_shown (BuurtenListView *self)
{
  g_return_val_if_fail (BUURTEN_IS_LIST_VIEW (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->filter_model));
}
