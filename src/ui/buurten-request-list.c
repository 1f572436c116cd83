/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-request-list"

#include "config.h"

#include "buurten-request-list.h"

#include "buurten-list-view-private.h"
#include "buurten-notes-view.h"

/* The requests of a wijk: residents' questions, complaints, reports and
 * ideas, with their answer deadlines. */

/* ---- cells ----------------------------------------------------------- */

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

/* Overdue answers stand out; far overdue ones more. */
static const char *
request_due_style (BuurtenListView *self,
                   gpointer         entity)
{
  BuurtenOverdue overdue = request_overdue (self, entity, NULL);

  if (overdue == BUURTEN_OVERDUE_SEVERELY)
    return "error";
  if (overdue == BUURTEN_OVERDUE_YES)
    return "warning";
  return NULL;
}

static char *
request_assignee (BuurtenListView *self, gpointer entity)
{
  return g_strdup (((BuurtenRequest *) entity)->assignee);
}

/* ---- sort orders ----------------------------------------------------- */

static int
cmp_request_title (gconstpointer a, gconstpointer b)
{
  return list_view_cmp_utf8 (((BuurtenRequest *) a)->title, ((BuurtenRequest *) b)->title);
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
  return list_view_cmp_utf8 (((BuurtenRequest *) a)->assignee, ((BuurtenRequest *) b)->assignee);
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

static const ColumnDef request_columns[] = {
  { N_("Title"), request_title, cmp_request_title, TRUE, FALSE, request_title_text },
  { N_("Type"), request_type, cmp_request_type, FALSE, FALSE },
  { N_("Status"), request_state, cmp_request_state, FALSE, FALSE },
  { N_("Received"), request_received, cmp_request_received, FALSE, TRUE },
  { N_("Answer Due"), request_due, cmp_request_due, FALSE, FALSE, NULL, request_due_style },
  { N_("Assigned To"), request_assignee, cmp_request_assignee, FALSE, FALSE,
    request_assignee_text },
  { NULL }
};

/* ---- filters --------------------------------------------------------- */

/* Thread-safe: reads only the state and the (never changed) entity. */
static gboolean
request_matches (const FilterState *state,
                 gpointer           entity)
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
  return TRUE;
}

static void
request_fill_filters (ListFilters *filters)
{
  const char *labels[4];

  filters->status = list_view_state_choices (BUURTEN_MACHINE_REQUEST);
  for (guint i = 0; i < 4; i++)
    labels[i] = buurten_format_request_type (i);
  filters->type = list_view_make_choices (_("All Types"), labels, 4);
  filters->show_overdue = filters->show_mine = TRUE;
  filters->search_placeholder = _("Search requests");
}

/* ---- the detail ------------------------------------------------------ */

/* ---- the class ------------------------------------------------------- */

struct _BuurtenRequestList
{
  BuurtenListView parent_instance;

  /* borrowed: they live in the detail pane */
  GtkWidget      *make_button;
  GtkWidget      *notes_view;
};

G_DEFINE_FINAL_TYPE (BuurtenRequestList, buurten_request_list, BUURTEN_TYPE_LIST_VIEW)

/* ---- the detail ------------------------------------------------------ */

/* An idea without an initiative yet can become one (win.request-to-initiative);
 * the notes of any request are shown and added below its fields. */
static void
request_show_extra (BuurtenRequestList *list,
                    BuurtenRequest     *request)
{
  BuurtenListView *self = BUURTEN_LIST_VIEW (list);

  if (list->make_button == NULL)
    {
      list->make_button = gtk_button_new_with_mnemonic (_("_Make Initiative"));
      gtk_widget_set_halign (list->make_button, GTK_ALIGN_START);
      /* The target first: an "s" action with no target warns. */
      gtk_actionable_set_action_target (GTK_ACTIONABLE (list->make_button), "s", "");
      gtk_actionable_set_action_name (GTK_ACTIONABLE (list->make_button),
                                      "win.request-to-initiative");
      gtk_accessible_update_property (GTK_ACCESSIBLE (list->make_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Make Initiative"), -1);
      gtk_box_append (self->detail_extra, list->make_button);
      list->notes_view = buurten_notes_view_new ();
      gtk_box_append (self->detail_extra, list->notes_view);
    }
  gtk_actionable_set_action_target (GTK_ACTIONABLE (list->make_button), "s", request->id);
  gtk_widget_set_visible (list->make_button, request->type == BUURTEN_REQUEST_TYPE_IDEE &&
                                             (request->initiative_id == NULL ||
                                              request->initiative_id[0] == '\0'));
  buurten_notes_view_set_context (BUURTEN_NOTES_VIEW (list->notes_view), self->context);
  buurten_notes_view_set_subject (BUURTEN_NOTES_VIEW (list->notes_view), "request", request->id,
                                  TRUE);
}

static void
request_show_detail (BuurtenListView *self,
                     gpointer         entity)
{
  BuurtenRequest *request = entity;

  gtk_label_set_label (self->detail_title, request->title);
  gtk_label_set_label (self->detail_subtitle,
                       buurten_state_label (BUURTEN_MACHINE_REQUEST, request->state));
  gtk_label_set_label (self->detail_description,
                       request->description ? request->description : "");
  list_view_add_field (self, _("Type"), buurten_format_request_type (request->type));
  list_view_add_field_take (self, _("Received"), buurten_format_timestamp (request->received_at));
  list_view_add_field_take (self, _("Answer Due"), request_due (self, request));
  list_view_add_field (self, _("Category"), request->category);
  list_view_add_field (self, _("Assigned To"), request->assignee);
  if (request->initiative_id != NULL && request->initiative_id[0] != '\0')
    list_view_add_field (self, _("Initiative"), _("Taken on as an initiative"));
  request_show_extra (BUURTEN_REQUEST_LIST (self), request);
}

static const ListKindClass request_list_kind = {
  .info = &buurten_request_info,
  .columns = request_columns,
  .has_search_index = TRUE,
  .list_label = N_("Requests"),
  .empty_title = N_("No Requests Yet"),
  .empty_description =
    N_("Record a question, complaint or report of a resident with New Request (Ctrl+N)."),
  .new_label = N_("_New Request"),
  .matches = request_matches,
  .fill_filters = request_fill_filters,
  .show_detail = request_show_detail,
};

static void
buurten_request_list_class_init (BuurtenRequestListClass *klass)
{
  BuurtenListViewClass *list_class = BUURTEN_LIST_VIEW_CLASS (klass);

  list_class->kind = BUURTEN_LIST_REQUESTS;
  list_class->list = &request_list_kind;
}

static void
buurten_request_list_init (BuurtenRequestList *self)
{
}

GtkWidget *
buurten_request_list_new (void)
{
  return g_object_new (BUURTEN_TYPE_REQUEST_LIST, NULL);
}
