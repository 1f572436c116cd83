/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-escalation-list"

#include "config.h"

#include "buurten-escalation-list.h"

#include "buurten-list-view-private.h"

/* The escalations of a wijk: what the wijkteam could not solve, raised to
 * a level above it. They have no search index: the search box filters
 * the loaded reasons and targets. */

/* ---- cells ----------------------------------------------------------- */

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

/* ---- sort orders ----------------------------------------------------- */

static int
cmp_escalation_reason (gconstpointer a, gconstpointer b)
{
  return list_view_cmp_utf8 (((BuurtenEscalation *) a)->reason, ((BuurtenEscalation *) b)->reason);
}

static int
cmp_escalation_level (gconstpointer a, gconstpointer b)
{
  return CMP (((BuurtenEscalation *) a)->level, ((BuurtenEscalation *) b)->level);
}

static int
cmp_escalation_target (gconstpointer a, gconstpointer b)
{
  return list_view_cmp_utf8 (((BuurtenEscalation *) a)->target, ((BuurtenEscalation *) b)->target);
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

/* ---- filters --------------------------------------------------------- */

static gboolean
escalation_matches (const FilterState *state,
                    gpointer           entity)
{
  BuurtenEscalation *escalation = entity;

  if (state->status > 0 && (guint) escalation->state != state->status - 1)
    return FALSE;
  if (state->type > 0 && (guint) escalation->level != state->type - 1)
    return FALSE;
  if (state->mine && g_strcmp0 (escalation->target, state->me) != 0)
    return FALSE;
  if (state->needle != NULL && !list_view_text_contains (escalation->reason, state->needle) &&
      !list_view_text_contains (escalation->target, state->needle))
    return FALSE;
  return TRUE;
}

static void
escalation_fill_filters (ListFilters *filters)
{
  const char *labels[BUURTEN_LEVEL_BUDGET + 1];

  filters->status = list_view_state_choices (BUURTEN_MACHINE_ESCALATION);
  for (guint i = 0; i <= BUURTEN_LEVEL_BUDGET; i++)
    labels[i] = buurten_format_escalation_level (i);
  filters->type = list_view_make_choices (_("All Levels"), labels, BUURTEN_LEVEL_BUDGET + 1);
  filters->type_label = _("Level");
  filters->show_mine = TRUE;
  filters->search_placeholder = _("Search escalations");
}

/* ---- the detail ------------------------------------------------------ */

static void
escalation_show_detail (BuurtenListView *self,
                        gpointer         entity)
{
  BuurtenEscalation *escalation = entity;
  gint64 days = (g_get_real_time () / G_USEC_PER_SEC - escalation->opened_at) / 86400;

  gtk_label_set_label (self->detail_title, escalation->reason ? escalation->reason : "");
  gtk_label_set_label (self->detail_subtitle,
                       buurten_state_label (BUURTEN_MACHINE_ESCALATION, escalation->state));
  list_view_add_field (self, _("Level"), buurten_format_escalation_level (escalation->level));
  list_view_add_field (self, _("To"), escalation->target);
  list_view_add_field_take (self, _("Opened"), buurten_format_timestamp (escalation->opened_at));
  if (!buurten_state_is_final (BUURTEN_MACHINE_ESCALATION, escalation->state))
    list_view_add_field_take (self, _("Open For"), buurten_format_days (MAX (days, 0)));
}

static const ListKindClass escalation_list_kind = {
  .info = &buurten_escalation_info,
  .columns = escalation_columns,
  .has_search_index = FALSE,
  .list_label = N_("Escalations"),
  .empty_title = N_("No Escalations"),
  .empty_description =
    N_("Nothing of this wijk is escalated. Open an escalation with Ctrl+N when the wijkteam "
       "cannot solve something."),
  .new_label = N_("_New Escalation"),
  .matches = escalation_matches,
  .fill_filters = escalation_fill_filters,
  .show_detail = escalation_show_detail,
};

/* ---- the class ------------------------------------------------------- */

struct _BuurtenEscalationList
{
  BuurtenListView parent_instance;
};

G_DEFINE_FINAL_TYPE (BuurtenEscalationList, buurten_escalation_list, BUURTEN_TYPE_LIST_VIEW)

static void
buurten_escalation_list_class_init (BuurtenEscalationListClass *klass)
{
  BuurtenListViewClass *list_class = BUURTEN_LIST_VIEW_CLASS (klass);

  list_class->kind = BUURTEN_LIST_ESCALATIONS;
  list_class->list = &escalation_list_kind;
}

static void
buurten_escalation_list_init (BuurtenEscalationList *self)
{
}

GtkWidget *
buurten_escalation_list_new (void)
{
  return g_object_new (BUURTEN_TYPE_ESCALATION_LIST, NULL);
}
