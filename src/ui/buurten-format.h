/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "buurten-core.h"

G_BEGIN_DECLS

/* Texts the widgets show, built from translatable format strings so that
 * every language words them its own way. All return newly allocated
 * strings. */

/* A share in tenths of a percent as a whole percentage: "38%", "38 %". */
char *buurten_format_percent                 (int                       permille);
/* The share of the budget that is committed (approved + pending), in
 * tenths of a percent; 0 when the budget is 0. */
int   buurten_thermometer_committed_permille (const BuurtenThermometer *thermometer);
/* The thermometer in words for assistive technology, e.g. "Centrum:
 * € 32.500 budget, € 12.400 approved, € 1.500 pending, € 4.100 spent, 43 %
 * committed". Amounts in whole euros when they are whole. */
char *buurten_format_thermometer_description (const BuurtenThermometer *thermometer);
/* "43 % committed · € 18.600,00 free", or "... · € 786,00 over budget" */
char *buurten_format_thermometer_summary     (const BuurtenThermometer *thermometer);

/* A GtkLevelBar as a budget thermometer: one colour up to the whole budget
 * (the default offsets would paint a low, healthy fill as a warning). */
void  buurten_thermometer_bar_init           (GtkLevelBar              *bar);
/* Fills the bar with the committed share (clamped to the whole budget),
 * marks an overrun and gives it the description as accessible label. */
void  buurten_thermometer_bar_update         (GtkLevelBar              *bar,
                                              const BuurtenThermometer *thermometer);

G_END_DECLS
