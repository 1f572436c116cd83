/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-initiative-list"

#include "config.h"

#include "buurten-initiative-list.h"

#include "buurten-initiative-detail.h"
#include "buurten-list-view-private.h"

/* The initiatives of residents in a wijk, with the money they ask for. */

/* ---- cells ----------------------------------------------------------- */

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

/* The decision term with the days left (core's rule, the municipality's
 * weeks); empty once decided or before it was submitted. */
static char *
initiative_decision_due (BuurtenListView *self, gpointer entity)
{
  char *term = self->context != NULL
               ? buurten_initiative_format_term (self->context, entity, FALSE, NULL) : NULL;

  return term != NULL ? term : g_strdup ("");
}

static const char *
initiative_decision_due_style (BuurtenListView *self, gpointer entity)
{
  gint days_left = 0;
  g_autofree char *term = self->context != NULL
                          ? buurten_initiative_format_term (self->context, entity, FALSE,
                                                            &days_left) : NULL;

  if (term == NULL)
    return NULL;
  return days_left < 0 ? "error" : days_left <= 14 ? "warning" : NULL;
}

/* ---- sort orders ----------------------------------------------------- */

static int
cmp_initiative_title (gconstpointer a, gconstpointer b)
{
  return list_view_cmp_utf8 (((BuurtenInitiative *) a)->title, ((BuurtenInitiative *) b)->title);
}

static int
cmp_initiative_state (gconstpointer a, gconstpointer b)
{
  return CMP (((BuurtenInitiative *) a)->state, ((BuurtenInitiative *) b)->state);
}

static int
cmp_initiative_theme (gconstpointer a, gconstpointer b)
{
  return list_view_cmp_utf8 (((BuurtenInitiative *) a)->theme, ((BuurtenInitiative *) b)->theme);
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

/* By decision deadline: every running term has the same length, so the
 * order of the application dates is the order of the deadlines; those
 * without a running term after them. */
static int
cmp_initiative_decision_due (gconstpointer a, gconstpointer b)
{
  const BuurtenInitiative *x = a;
  const BuurtenInitiative *y = b;
  gboolean runs_x = buurten_initiative_awaits_decision (x->state) && g_date_valid (&x->submitted_on);
  gboolean runs_y = buurten_initiative_awaits_decision (y->state) && g_date_valid (&y->submitted_on);

  if (runs_x != runs_y)
    return runs_x ? -1 : 1;
  if (!runs_x)
    return 0;
  return g_date_compare (&x->submitted_on, &y->submitted_on);
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

static const ColumnDef initiative_columns[] = {
  { N_("Title"), initiative_title, cmp_initiative_title, TRUE, FALSE, initiative_title_text },
  { N_("Status"), initiative_state, cmp_initiative_state, FALSE, FALSE },
  { N_("Theme"), initiative_theme, cmp_initiative_theme, FALSE, FALSE, initiative_theme_text },
  { N_("Requested"), initiative_amount, cmp_initiative_amount, FALSE, FALSE },
  { N_("Decision due"), initiative_decision_due, cmp_initiative_decision_due, FALSE, FALSE, NULL,
    initiative_decision_due_style },
  { N_("Received"), initiative_received, cmp_initiative_received, FALSE, TRUE },
  { NULL }
};

/* ---- filters --------------------------------------------------------- */

static gboolean
initiative_matches (const FilterState *state,
                    gpointer           entity)
{
  BuurtenInitiative *initiative = entity;

  if (state->status > 0 && (guint) initiative->state != state->status - 1)
    return FALSE;
  return TRUE;
}

static void
initiative_fill_filters (ListFilters *filters)
{
  filters->status = list_view_state_choices (BUURTEN_MACHINE_INITIATIVE);
  filters->show_type = FALSE;
  filters->search_placeholder = _("Search initiatives");
}

/* ---- the class ------------------------------------------------------- */

struct _BuurtenInitiativeList
{
  BuurtenListView parent_instance;

  /* borrowed: lives in the detail pane */
  GtkWidget      *detail;
};

G_DEFINE_FINAL_TYPE (BuurtenInitiativeList, buurten_initiative_list, BUURTEN_TYPE_LIST_VIEW)

/* ---- the detail ------------------------------------------------------ */

static void
initiative_show_detail (BuurtenListView *self,
                        gpointer         entity)
{
  BuurtenInitiativeList *list = BUURTEN_INITIATIVE_LIST (self);
  BuurtenInitiative *initiative = entity;
  BuurtenInitiativeDetail *detail;

  gtk_label_set_label (self->detail_title, initiative->title);
  gtk_label_set_label (self->detail_subtitle,
                       buurten_state_label (BUURTEN_MACHINE_INITIATIVE, initiative->state));
  /* The description is the plan's "What", in the detail below. */
  gtk_widget_set_visible (GTK_WIDGET (self->detail_description), FALSE);

  /* The whole story, loaded by the detail itself (again after a reload:
   * a payment or a signature changes it). */
  if (list->detail == NULL)
    {
      list->detail = buurten_initiative_detail_new ();
      gtk_box_append (self->detail_extra, list->detail);
    }
  detail = BUURTEN_INITIATIVE_DETAIL (list->detail);
  buurten_initiative_detail_set_context (detail, self->context);
  if (g_strcmp0 (buurten_initiative_detail_get_initiative_id (detail), initiative->id) == 0)
    buurten_initiative_detail_reload (detail);
  else
    buurten_initiative_detail_set_initiative_id (detail, initiative->id);
  /* Decisions and signatures while money may still be committed
   * (an idea too: the fast path); core says until when. */
  gtk_widget_set_visible (self->decide_button,
                          buurten_initiative_may_be_granted (initiative->state));
}

static const ListKindClass initiative_list_kind = {
  .info = &buurten_initiative_info,
  .columns = initiative_columns,
  .has_search_index = TRUE,
  .list_label = N_("Initiatives"),
  .empty_title = N_("No Initiatives Yet"),
  .empty_description = N_("Record an initiative of residents with New Initiative (Ctrl+N)."),
  .new_label = N_("_New Initiative"),
  .child_type = "commitment",
  .matches = initiative_matches,
  .fill_filters = initiative_fill_filters,
  .show_detail = initiative_show_detail,
  .own_detail = TRUE,
};

static void
buurten_initiative_list_class_init (BuurtenInitiativeListClass *klass)
{
  BuurtenListViewClass *list_class = BUURTEN_LIST_VIEW_CLASS (klass);

  list_class->kind = BUURTEN_LIST_INITIATIVES;
  list_class->list = &initiative_list_kind;
}

static void
buurten_initiative_list_init (BuurtenInitiativeList *self)
{
}

GtkWidget *
buurten_initiative_list_new (void)
{
  return g_object_new (BUURTEN_TYPE_INITIATIVE_LIST, NULL);
}
