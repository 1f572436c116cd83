/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-wijk-page"

#include "config.h"

#include "buurten-wijk-page.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "buurten-format.h"
#include "buurten-thermometer-bar.h"

struct _BuurtenWijkPage
{
  GtkWidget        parent_instance;

  /* template widgets */
  GtkWidget       *scroller;
  GtkLabel        *name_label;
  GtkLabel        *cluster_label;
  GtkLabel        *budget_caption;
  GtkLabel        *budget_label;
  BuurtenThermometerBar *level_bar;
  GtkLabel        *summary_label;
  GtkLabel        *over_budget_label;
  GtkLabel        *approved_label;
  GtkLabel        *pending_label;
  GtkLabel        *spent_label;
  GtkLabel        *free_label;
  GtkWidget       *changes_group;
  GtkLabel        *table_budget_label;
  GtkWidget       *transfers_row;
  GtkLabel        *transfers_label;
  GtkWidget       *carry_over_row;
  GtkLabel        *carry_over_label;
  GtkWidget       *themes_group;
  GtkListBox      *themes_list;

  /* owned references */
  BuurtenOverview *overview;
  char            *wijk;
};

G_DEFINE_FINAL_TYPE (BuurtenWijkPage, buurten_wijk_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_WIJK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_amount (GtkLabel *label,
            gint64    cents)
{
  g_autofree char *text = buurten_money_format (cents);

  gtk_label_set_label (label, text);
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static GtkWidget *
create_theme_row (const BuurtenThemeShare *share)
{
  GtkWidget *row;
  GtkWidget *label;
  g_autofree char *committed = NULL;
  g_autofree char *spent = NULL;
  g_autofree char *subtitle = NULL;
  gint64 committed_cents = 0;

  if (!buurten_money_add (share->approved_cents, share->pending_cents, &committed_cents))
    committed_cents = BUURTEN_MONEY_MAX_CENTS;

  committed = buurten_money_format (committed_cents);
  spent = buurten_money_format (share->spent_cents);
  /* Translators: under a theme of a wijk, e.g. "€ 1.500,00 spent" */
  subtitle = g_strdup_printf (_("%s spent"), spent);

  row = adw_action_row_new ();
  /* Theme names are typed by people: never markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), share->theme);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  label = gtk_label_new (committed);
  gtk_widget_add_css_class (label, "amount");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);

  return row;
}

static void
show_thermometer (BuurtenWijkPage          *self,
                  const BuurtenThermometer *thermometer)
{
  BuurtenMunicipality *municipality = self->overview->municipality;
  const BuurtenWijk *wijk;
  g_autofree char *caption = NULL;
  g_autofree char *summary = NULL;
  gboolean transfers;
  gboolean carry_over;

  gtk_label_set_label (self->name_label, thermometer->name);

  wijk = buurten_municipality_lookup_wijk (municipality, thermometer->id);
  if (wijk != NULL)
    {
      const BuurtenCluster *cluster = buurten_municipality_lookup_cluster (municipality,
                                                                           wijk->cluster);
      g_autofree char *text = NULL;

      /* Translators: under the name of a wijk, e.g. "Cluster Centrum-Zuidoost" */
      text = g_strdup_printf (_("Cluster %s"), cluster ? cluster->name : wijk->cluster);
      gtk_label_set_label (self->cluster_label, text);
    }
  else
    {
      gtk_label_set_label (self->cluster_label, _("City-wide pot"));
    }

  /* Translators: the heading above a wijk's budget, with the year */
  caption = g_strdup_printf (_("Richtbudget %d"), thermometer->year);
  gtk_label_set_label (self->budget_caption, caption);
  set_amount (self->budget_label, thermometer->budget_cents);

  buurten_thermometer_bar_set_thermometer (self->level_bar, thermometer);

  summary = buurten_format_thermometer_summary (thermometer);
  gtk_label_set_label (self->summary_label, summary);

  if (thermometer->over_budget)
    {
      g_autofree char *over = buurten_money_format (thermometer->over_cents);
      g_autofree char *text = NULL;

      /* Translators: shown when a wijk has committed more than its budget;
       * %s is the amount over budget */
      text = g_strdup_printf (_("%s over budget: the teammanager samenleving has to discuss this"),
                              over);
      gtk_label_set_label (self->over_budget_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->over_budget_label), thermometer->over_budget);

  set_amount (self->approved_label, thermometer->approved_cents);
  set_amount (self->pending_label, thermometer->pending_cents);
  set_amount (self->spent_label, thermometer->spent_cents);
  set_amount (self->free_label, thermometer->free_cents);

  /* Only what changed the budget: most wijken have no changes at all. */
  transfers = thermometer->transfers_in_cents != 0 || thermometer->transfers_out_cents != 0;
  carry_over = thermometer->carried_in_cents != 0 || thermometer->carried_out_cents != 0;
  gtk_widget_set_visible (self->changes_group, transfers || carry_over);
  gtk_widget_set_visible (self->transfers_row, transfers);
  gtk_widget_set_visible (self->carry_over_row, carry_over);
  set_amount (self->table_budget_label, thermometer->table_budget_cents);
  set_amount (self->transfers_label,
              thermometer->transfers_in_cents - thermometer->transfers_out_cents);
  set_amount (self->carry_over_label,
              thermometer->carried_in_cents - thermometer->carried_out_cents);

  clear_list (self->themes_list);
  if (thermometer->themes != NULL)
    {
      for (guint i = 0; i < thermometer->themes->len; i++)
        gtk_list_box_append (self->themes_list,
                             create_theme_row (g_ptr_array_index (thermometer->themes, i)));
    }
  gtk_widget_set_visible (self->themes_group,
                          thermometer->themes != NULL && thermometer->themes->len > 0);
}

static void
buurten_wijk_page_dispose (GObject *object)
{
  BuurtenWijkPage *self = (BuurtenWijkPage *) object;
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), BUURTEN_TYPE_WIJK_PAGE);
  /* dispose_template only unparents the children bound to fields. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->overview, buurten_overview_unref);

  G_OBJECT_CLASS (buurten_wijk_page_parent_class)->dispose (object);
}

static void
buurten_wijk_page_finalize (GObject *object)
{
  BuurtenWijkPage *self = (BuurtenWijkPage *) object;

  g_free (self->wijk);

  G_OBJECT_CLASS (buurten_wijk_page_parent_class)->finalize (object);
}

static void
buurten_wijk_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  BuurtenWijkPage *self = BUURTEN_WIJK_PAGE (object);

  switch (prop_id)
    {
    case PROP_WIJK:
      g_value_set_string (value, self->wijk);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
buurten_wijk_page_class_init (BuurtenWijkPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = buurten_wijk_page_dispose;
  object_class->finalize = buurten_wijk_page_finalize;
  object_class->get_property = buurten_wijk_page_get_property;

  /**
   * BuurtenWijkPage:wijk:
   *
   * The id of the wijk (or pot) whose budget is shown, or %NULL.
   */
  properties[PROP_WIJK] =
    g_param_spec_string ("wijk", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (BUURTEN_TYPE_THERMOMETER_BAR);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/nl/hilversum/Buurten/buurten-wijk-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  gtk_widget_class_bind_template_child (widget_class, BuurtenWijkPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, BuurtenWijkPage, name_label);
  gtk_widget_class_bind_template_child (widget_class, BuurtenWijkPage, cluster_label);
  gtk_widget_class_bind_template_child (widget_class, BuurtenWijkPage, budget_caption);
  gtk_widget_class_bind_template_child (widget_class, BuurtenWijkPage, budget_label);
  gtk_widget_class_bind_template_child (widget_class, BuurtenWijkPage, level_bar);
  gtk_widget_class_bind_template_child (widget_class, BuurtenWijkPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, BuurtenWijkPage, over_budget_label);
  gtk_widget_class_bind_template_child (widget_class, BuurtenWijkPage, approved_label);
  gtk_widget_class_bind_template_child (widget_class, BuurtenWijkPage, pending_label);
  gtk_widget_class_bind_template_child (widget_class, BuurtenWijkPage, spent_label);
  gtk_widget_class_bind_template_child (widget_class, BuurtenWijkPage, free_label);
  gtk_widget_class_bind_template_child (widget_class, BuurtenWijkPage, changes_group);
  gtk_widget_class_bind_template_child (widget_class, BuurtenWijkPage, table_budget_label);
  gtk_widget_class_bind_template_child (widget_class, BuurtenWijkPage, transfers_row);
  gtk_widget_class_bind_template_child (widget_class, BuurtenWijkPage, transfers_label);
  gtk_widget_class_bind_template_child (widget_class, BuurtenWijkPage, carry_over_row);
  gtk_widget_class_bind_template_child (widget_class, BuurtenWijkPage, carry_over_label);
  gtk_widget_class_bind_template_child (widget_class, BuurtenWijkPage, themes_group);
  gtk_widget_class_bind_template_child (widget_class, BuurtenWijkPage, themes_list);
}

static void
buurten_wijk_page_init (BuurtenWijkPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));


  gtk_widget_set_visible (self->changes_group, FALSE);
  gtk_widget_set_visible (self->themes_group, FALSE);
}

GtkWidget *
buurten_wijk_page_new (void)
{
  return g_object_new (BUURTEN_TYPE_WIJK_PAGE, NULL);
}

void
buurten_wijk_page_set_wijk (BuurtenWijkPage *self,
                            BuurtenOverview *overview,
                            const char      *wijk)
{
  const BuurtenThermometer *thermometer = NULL;

  g_return_if_fail (BUURTEN_IS_WIJK_PAGE (self));
  g_return_if_fail ((overview == NULL) == (wijk == NULL));

  if (overview != NULL)
    {
      thermometer = buurten_overview_lookup (overview, wijk);
      g_return_if_fail (thermometer != NULL);
      buurten_overview_ref (overview);
    }

  g_clear_pointer (&self->overview, buurten_overview_unref);
  self->overview = overview;
  if (g_strcmp0 (self->wijk, wijk) != 0)
    {
      g_free (self->wijk);
      self->wijk = g_strdup (wijk);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WIJK]);
    }

  if (thermometer != NULL)
    {
      show_thermometer (self, thermometer);
      /* A new wijk starts at its top, not where the last one was scrolled to. */
      gtk_adjustment_set_value (
        gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scroller)), 0);
    }
}

const char *
buurten_wijk_page_get_wijk (BuurtenWijkPage *self)
{
  g_return_val_if_fail (BUURTEN_IS_WIJK_PAGE (self), NULL);

  return self->wijk;
}
