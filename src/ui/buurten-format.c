/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-format"

#include "config.h"

#include "buurten-format.h"

#include <glib/gi18n.h>

static char *
format_whole (gint64 cents)
{
  return buurten_money_format_full (cents,
                                    buurten_money_locale_default (),
                                    BUURTEN_MONEY_FORMAT_WHOLE_EUROS);
}

char *
buurten_format_percent (int permille)
{
  /* Round half away from zero, as buurten_money_permille does. */
  int percent = permille >= 0 ? (permille + 5) / 10 : -((-permille + 5) / 10);

  /* Translators: a whole percentage, e.g. "38%"; write "%d %%" when your
   * language puts a space before the percent sign. */
  return g_strdup_printf (_("%d%%"), percent);
}

int
buurten_thermometer_committed_permille (const BuurtenThermometer *thermometer)
{
  gint64 committed = 0;

  g_return_val_if_fail (thermometer != NULL, 0);

  if (!buurten_money_add (thermometer->approved_cents, thermometer->pending_cents, &committed))
    committed = BUURTEN_MONEY_MAX_CENTS;

  return buurten_money_permille (committed, thermometer->budget_cents);
}

char *
buurten_format_thermometer_description (const BuurtenThermometer *thermometer)
{
  g_autofree char *budget = NULL;
  g_autofree char *approved = NULL;
  g_autofree char *pending = NULL;
  g_autofree char *spent = NULL;
  g_autofree char *committed = NULL;

  g_return_val_if_fail (thermometer != NULL, NULL);

  budget = format_whole (thermometer->budget_cents);
  approved = format_whole (thermometer->approved_cents);
  pending = format_whole (thermometer->pending_cents);
  spent = format_whole (thermometer->spent_cents);
  committed = buurten_format_percent (buurten_thermometer_committed_permille (thermometer));

  /* Translators: what a screen reader says about the budget thermometer of
   * a wijk: its name, its budget, the approved, pending and spent amounts,
   * and the share of the budget committed (approved + pending), e.g.
   * "Centrum: € 32.500 budget, € 12.400 approved, € 1.500 pending, € 4.100
   * spent, 43% committed". */
  return g_strdup_printf (_("%1$s: %2$s budget, %3$s approved, %4$s pending, %5$s spent, "
                            "%6$s committed"),
                          thermometer->name, budget, approved, pending, spent, committed);
}

char *
buurten_format_thermometer_summary (const BuurtenThermometer *thermometer)
{
  g_autofree char *committed = NULL;
  g_autofree char *free_amount = NULL;

  g_return_val_if_fail (thermometer != NULL, NULL);

  committed = buurten_format_percent (buurten_thermometer_committed_permille (thermometer));

  if (thermometer->over_budget)
    {
      g_autofree char *over = buurten_money_format (thermometer->over_cents);

      /* Translators: below a budget thermometer that is overrun, e.g.
       * "102% committed · € 786,00 over budget" */
      return g_strdup_printf (_("%1$s committed · %2$s over budget"), committed, over);
    }

  free_amount = buurten_money_format (MAX (thermometer->free_cents, 0));

  /* Translators: below a budget thermometer, e.g. "43% committed · € 18.600,00 free" */
  return g_strdup_printf (_("%1$s committed · %2$s free"), committed, free_amount);
}

void
buurten_thermometer_bar_init (GtkLevelBar *bar)
{
  g_return_if_fail (GTK_IS_LEVEL_BAR (bar));

  gtk_level_bar_set_min_value (bar, 0.0);
  gtk_level_bar_set_max_value (bar, 1.0);
  gtk_level_bar_remove_offset_value (bar, GTK_LEVEL_BAR_OFFSET_LOW);
  gtk_level_bar_remove_offset_value (bar, GTK_LEVEL_BAR_OFFSET_FULL);
  gtk_level_bar_add_offset_value (bar, GTK_LEVEL_BAR_OFFSET_HIGH, 1.0);
  gtk_widget_add_css_class (GTK_WIDGET (bar), "thermometer");
}

void
buurten_thermometer_bar_update (GtkLevelBar              *bar,
                                const BuurtenThermometer *thermometer)
{
  g_autofree char *description = NULL;
  int committed;

  g_return_if_fail (GTK_IS_LEVEL_BAR (bar));
  g_return_if_fail (thermometer != NULL);

  committed = buurten_thermometer_committed_permille (thermometer);
  gtk_level_bar_set_value (bar, CLAMP (committed, 0, 1000) / 1000.0);

  if (thermometer->over_budget)
    gtk_widget_add_css_class (GTK_WIDGET (bar), "over-budget");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (bar), "over-budget");

  description = buurten_format_thermometer_description (thermometer);
  gtk_accessible_update_property (GTK_ACCESSIBLE (bar),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, description,
                                  -1);
}
