/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-city-page"

#include "config.h"

#include "buurten-city-page.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "buurten-format.h"
#include "buurten-thermometer-bar.h"

struct _BuurtenCityPage
{
  GtkWidget        parent_instance;

  /* template widgets */
  GtkLabel        *name_label;
  GtkLabel        *subtitle_label;
  GtkLabel        *total_caption;
  GtkLabel        *total_label;
  BuurtenThermometerBar *total_level_bar;
  GtkLabel        *total_summary_label;
  GtkFlowBox      *wijken_box;
  GtkFlowBox      *pots_box;
  GtkWidget       *pots_group;

  /* owned references */
  BuurtenOverview *overview;
};

G_DEFINE_FINAL_TYPE (BuurtenCityPage, buurten_city_page, GTK_TYPE_WIDGET)

enum {
  WIJK_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
clear_cards (GtkFlowBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_flow_box_remove (box, child);
}

static void
on_card_clicked_cb (GtkButton       *button,
                    BuurtenCityPage *self)
{
  const char *wijk = g_object_get_data (G_OBJECT (button), "buurten-wijk");

  if (wijk != NULL)
    g_signal_emit (self, signals[WIJK_ACTIVATED], 0, wijk);
}

/* A card with the name, the budget, the thermometer and the figures in
 * one line. A wijk's card is a button that opens the wijk (click, Enter
 * or Space); a pot's card only shows. */
static GtkWidget *
create_card (BuurtenCityPage          *self,
             const BuurtenThermometer *thermometer,
             gboolean                  is_wijk)
{
  GtkWidget *child;
  GtkWidget *box;
  GtkWidget *top;
  GtkWidget *label;
  GtkWidget *bar;
  g_autofree char *budget = buurten_money_format (thermometer->budget_cents);
  g_autofree char *summary = buurten_format_thermometer_summary (thermometer);
  g_autofree char *description = buurten_format_thermometer_description (thermometer);

  /* Each card is an item of the list (for assistive technology); the
   * button inside takes the focus, not the flow box's own child. */
  child = g_object_new (GTK_TYPE_FLOW_BOX_CHILD,
                        "accessible-role", GTK_ACCESSIBLE_ROLE_LIST_ITEM,
                        "focusable", FALSE,
                        NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (child),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, thermometer->name,
                                  -1);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_add_css_class (box, "city-card-content");

  top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  label = gtk_label_new (thermometer->name);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 20);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (top), label);
  if (is_wijk)
    {
      GtkWidget *arrow = gtk_image_new_from_icon_name ("go-next-symbolic");

      gtk_widget_add_css_class (arrow, "dim-label");
      gtk_accessible_update_state (GTK_ACCESSIBLE (arrow),
                                   GTK_ACCESSIBLE_STATE_HIDDEN, TRUE,
                                   -1);
      gtk_box_append (GTK_BOX (top), arrow);
    }
  gtk_box_append (GTK_BOX (box), top);

  label = gtk_label_new (budget);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_widget_add_css_class (label, "title-4");
  gtk_widget_add_css_class (label, "amount");
  gtk_box_append (GTK_BOX (box), label);

  bar = buurten_thermometer_bar_new ();
  buurten_thermometer_bar_set_compact (BUURTEN_THERMOMETER_BAR (bar), TRUE);
  gtk_widget_set_size_request (bar, -1, 10);
  gtk_widget_set_margin_top (bar, 6);
  buurten_thermometer_bar_set_thermometer (BUURTEN_THERMOMETER_BAR (bar), thermometer);
  gtk_box_append (GTK_BOX (box), bar);

  label = gtk_label_new (summary);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  /* Wraps rather than widening the card: the cards' natural width decides
   * how many stand side by side. */
  gtk_label_set_max_width_chars (GTK_LABEL (label), 26);
  gtk_widget_add_css_class (label, "caption");
  /* A run-over stands out; the figures of a healthy budget stay quiet. */
  gtk_widget_add_css_class (label, thermometer->over_budget ? "warning" : "dim-label");
  gtk_box_append (GTK_BOX (box), label);

  if (is_wijk)
    {
      GtkWidget *button = gtk_button_new ();

      gtk_widget_add_css_class (button, "card");
      gtk_widget_add_css_class (button, "city-card");
      gtk_button_set_child (GTK_BUTTON (button), box);
      gtk_widget_set_tooltip_text (button, description);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, thermometer->name,
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                      -1);
      g_object_set_data_full (G_OBJECT (button), "buurten-wijk",
                              g_strdup (thermometer->id), g_free);
      g_signal_connect (button, "clicked", G_CALLBACK (on_card_clicked_cb), self);
      gtk_flow_box_child_set_child (GTK_FLOW_BOX_CHILD (child), button);
    }
  else
    {
      gtk_widget_add_css_class (box, "card");
      gtk_widget_add_css_class (box, "city-card");
      gtk_flow_box_child_set_child (GTK_FLOW_BOX_CHILD (child), box);
    }

  return child;
}

static void
show_overview (BuurtenCityPage *self)
{
  BuurtenOverview *overview = self->overview;
  BuurtenThermometer total = { 0, };
  g_autofree char *subtitle = NULL;
  g_autofree char *caption = NULL;
  g_autofree char *amount = NULL;
  g_autofree char *summary = NULL;
  guint n_wijken = 0;
  guint n_pots = 0;

  clear_cards (self->wijken_box);
  clear_cards (self->pots_box);

  /* The city as one thermometer: the sum of its wijken and pots. */
  total.id = (char *) buurten_municipality_get_id (overview->municipality);
  total.name = (char *) buurten_municipality_get_name (overview->municipality);
  total.year = overview->year;
  total.budget_cents = overview->total_budget_cents;

  for (guint i = 0; i < overview->thermometers->len; i++)
    {
      const BuurtenThermometer *thermometer = g_ptr_array_index (overview->thermometers, i);
      gboolean is_wijk = buurten_municipality_lookup_wijk (overview->municipality,
                                                           thermometer->id) != NULL;

      gtk_flow_box_append (is_wijk ? self->wijken_box : self->pots_box,
                           create_card (self, thermometer, is_wijk));
      if (is_wijk)
        n_wijken++;
      else
        n_pots++;

      buurten_money_add (total.approved_cents, thermometer->approved_cents,
                         &total.approved_cents);
      buurten_money_add (total.pending_cents, thermometer->pending_cents, &total.pending_cents);
      buurten_money_add (total.spent_cents, thermometer->spent_cents, &total.spent_cents);
    }

  total.free_cents = total.budget_cents - total.approved_cents - total.pending_cents;
  total.over_budget = total.free_cents < 0;
  total.over_cents = total.over_budget ? -total.free_cents : 0;

  gtk_label_set_label (self->name_label, total.name);

  {
    /* Translators: under the name of the municipality; the first part
     * counts wijken, the second city-wide pots, e.g. "8 wijken and 2
     * city-wide pots" */
    g_autofree char *wijken = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u wijk",
                                                            "%u wijken", n_wijken),
                                               n_wijken);
    g_autofree char *pots = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u city-wide pot",
                                                          "%u city-wide pots", n_pots),
                                             n_pots);

    if (buurten_municipality_get_budget_table (overview->municipality, overview->year) == NULL)
      /* Translators: instead of the counts, for a year before the first
       * budget table of the municipality */
      subtitle = g_strdup_printf (_("No budget table for %d"), overview->year);
    else if (n_pots == 0)
      subtitle = g_steal_pointer (&wijken);
    else
      /* Translators: joins "8 wijken" and "2 city-wide pots" */
      subtitle = g_strdup_printf (_("%1$s and %2$s"), wijken, pots);
    gtk_label_set_label (self->subtitle_label, subtitle);
  }

  /* Translators: the heading above the municipality's total budget */
  caption = g_strdup_printf (_("Total budget %d"), overview->year);
  gtk_label_set_label (self->total_caption, caption);

  amount = buurten_money_format (total.budget_cents);
  gtk_label_set_label (self->total_label, amount);
  buurten_thermometer_bar_set_thermometer (self->total_level_bar, &total);
  summary = buurten_format_thermometer_summary (&total);
  gtk_label_set_label (self->total_summary_label, summary);

  gtk_widget_set_visible (self->pots_group, n_pots > 0);
}

static void
buurten_city_page_dispose (GObject *object)
{
  BuurtenCityPage *self = (BuurtenCityPage *) object;
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), BUURTEN_TYPE_CITY_PAGE);
  /* dispose_template only unparents the children bound to fields. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->overview, buurten_overview_unref);

  G_OBJECT_CLASS (buurten_city_page_parent_class)->dispose (object);
}

static void
buurten_city_page_class_init (BuurtenCityPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = buurten_city_page_dispose;

  /**
   * BuurtenCityPage::wijk-activated:
   * @wijk: the id of the wijk
   *
   * The card of a wijk was activated: the user wants to see that wijk.
   */
  signals[WIJK_ACTIVATED] =
    g_signal_new ("wijk-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (BUURTEN_TYPE_THERMOMETER_BAR);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/nl/hilversum/Buurten/buurten-city-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  gtk_widget_class_bind_template_child (widget_class, BuurtenCityPage, name_label);
  gtk_widget_class_bind_template_child (widget_class, BuurtenCityPage, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, BuurtenCityPage, total_caption);
  gtk_widget_class_bind_template_child (widget_class, BuurtenCityPage, total_label);
  gtk_widget_class_bind_template_child (widget_class, BuurtenCityPage, total_level_bar);
  gtk_widget_class_bind_template_child (widget_class, BuurtenCityPage, total_summary_label);
  gtk_widget_class_bind_template_child (widget_class, BuurtenCityPage, wijken_box);
  gtk_widget_class_bind_template_child (widget_class, BuurtenCityPage, pots_box);
  gtk_widget_class_bind_template_child (widget_class, BuurtenCityPage, pots_group);
}

static void
buurten_city_page_init (BuurtenCityPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
buurten_city_page_new (void)
{
  return g_object_new (BUURTEN_TYPE_CITY_PAGE, NULL);
}

void
buurten_city_page_set_overview (BuurtenCityPage *self,
                                BuurtenOverview *overview)
{
  g_return_if_fail (BUURTEN_IS_CITY_PAGE (self));

  if (overview == self->overview)
    return;

  if (overview != NULL)
    buurten_overview_ref (overview);
  g_clear_pointer (&self->overview, buurten_overview_unref);
  self->overview = overview;

  if (overview != NULL)
    {
      show_overview (self);
    }
  else
    {
      clear_cards (self->wijken_box);
      clear_cards (self->pots_box);
    }
}
