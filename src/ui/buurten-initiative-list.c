/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-initiative-list"

#include "config.h"

#include "buurten-initiative-list.h"

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

/* ---- the detail ------------------------------------------------------ */

static void
initiative_show_detail (BuurtenListView *self,
                        gpointer         entity)
{
  BuurtenInitiative *initiative = entity;

  gtk_label_set_label (self->detail_title, initiative->title);
  gtk_label_set_label (self->detail_subtitle,
                       buurten_state_label (BUURTEN_MACHINE_INITIATIVE, initiative->state));
  gtk_label_set_label (self->detail_description,
                       initiative->description ? initiative->description : "");
  list_view_add_field_take (self, _("Requested"),
                            buurten_money_format (initiative->requested_cents));
  list_view_add_field (self, _("Theme"), initiative->theme);
  list_view_add_field (self, _("Organiser"), initiative->organiser);
  list_view_add_field (self, _("Support"), initiative->support_note);
  list_view_add_field_take (self, _("Received"),
                            buurten_format_timestamp (initiative->received_at));
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
};

/* ---- the class ------------------------------------------------------- */

struct _BuurtenInitiativeList
{
  BuurtenListView parent_instance;
};

G_DEFINE_FINAL_TYPE (BuurtenInitiativeList, buurten_initiative_list, BUURTEN_TYPE_LIST_VIEW)

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
