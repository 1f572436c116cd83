/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-meeting-list"

#include "config.h"

#include "buurten-meeting-list.h"

#include "buurten-list-view-private.h"

/* The meetings of a wijk and of its cluster (wijkoverleg, wijkteam,
 * sturingsoverleg, buurtschouw). They have no search index: the search
 * box filters the loaded locations and kinds. */

/* ---- cells ----------------------------------------------------------- */

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

/* ---- sort orders ----------------------------------------------------- */

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
  return list_view_cmp_utf8 (((BuurtenMeeting *) a)->location, ((BuurtenMeeting *) b)->location);
}

static const char *
meeting_location_text (gconstpointer entity)
{
  return ((const BuurtenMeeting *) entity)->location;
}

static const ColumnDef meeting_columns[] = {
  { N_("Date"), meeting_starts, cmp_meeting_starts, FALSE, TRUE },
  { N_("Kind"), meeting_kind, cmp_meeting_kind, FALSE, FALSE },
  { N_("Location"), meeting_location, cmp_meeting_location, TRUE, FALSE,
    meeting_location_text },
  { NULL }
};

/* ---- filters --------------------------------------------------------- */

static gboolean
meeting_matches (const FilterState *state,
                 gpointer           entity)
{
  BuurtenMeeting *meeting = entity;

  if (state->status == 1 && meeting->starts_at < state->now)
    return FALSE;
  if (state->status == 2 && meeting->starts_at >= state->now)
    return FALSE;
  if (state->type > 0 && (guint) meeting->kind != state->type - 1)
    return FALSE;
  if (state->needle != NULL && !list_view_text_contains (meeting->location, state->needle) &&
      !list_view_text_contains (buurten_format_meeting_kind (meeting->kind), state->needle))
    return FALSE;
  return TRUE;
}

static void
meeting_fill_filters (ListFilters *filters)
{
  const char *when[] = { _("Upcoming"), _("Past") };
  const char *kinds[4];

  for (guint i = 0; i < 4; i++)
    kinds[i] = buurten_format_meeting_kind (i);
  filters->status = list_view_make_choices (_("All Dates"), when, 2);
  filters->status_label = _("Date");
  filters->type = list_view_make_choices (_("All Kinds"), kinds, 4);
  filters->type_label = _("Kind");
  filters->search_placeholder = _("Search meetings");
}

/* ---- the detail ------------------------------------------------------ */

static void
meeting_show_detail (BuurtenListView *self,
                     gpointer         entity)
{
  BuurtenMeeting *meeting = entity;
  g_autofree char *when = buurten_format_timestamp (meeting->starts_at);

  gtk_label_set_label (self->detail_title, buurten_format_meeting_kind (meeting->kind));
  gtk_label_set_label (self->detail_subtitle, when);
  list_view_add_field (self, _("Location"), meeting->location);
}

static const ListKindClass meeting_list_kind = {
  .info = &buurten_meeting_info,
  .columns = meeting_columns,
  .has_search_index = FALSE,
  .list_label = N_("Meetings"),
  .empty_title = N_("No Meetings Planned"),
  .empty_description =
    N_("Plan the next wijkoverleg or wijkteam meeting with New Meeting (Ctrl+N)."),
  .new_label = N_("_New Meeting"),
  .sort_ascending = TRUE,
  .child_type = "agenda_item",
  .load = buurten_store_list_meetings,
  .matches = meeting_matches,
  .fill_filters = meeting_fill_filters,
  .show_detail = meeting_show_detail,
};

/* ---- the class ------------------------------------------------------- */

struct _BuurtenMeetingList
{
  BuurtenListView parent_instance;
};

G_DEFINE_FINAL_TYPE (BuurtenMeetingList, buurten_meeting_list, BUURTEN_TYPE_LIST_VIEW)

static void
buurten_meeting_list_class_init (BuurtenMeetingListClass *klass)
{
  BuurtenListViewClass *list_class = BUURTEN_LIST_VIEW_CLASS (klass);

  list_class->kind = BUURTEN_LIST_MEETINGS;
  list_class->list = &meeting_list_kind;
}

static void
buurten_meeting_list_init (BuurtenMeetingList *self)
{
}

GtkWidget *
buurten_meeting_list_new (void)
{
  return g_object_new (BUURTEN_TYPE_MEETING_LIST, NULL);
}
