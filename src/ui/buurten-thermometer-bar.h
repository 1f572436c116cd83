/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "buurten-core.h"

G_BEGIN_DECLS

/* The wijkthermometer drawn with GtkSnapshot: approved, pending (hatched,
 * visibly different), spent within approved, free; a run-over in the
 * warning colour with the amount over. Its accessible label and value say
 * the figures in words. The compact form is the small bar of a sidebar row
 * (6 px), or as high as the widget's height request (a card). */

#define BUURTEN_TYPE_THERMOMETER_BAR (buurten_thermometer_bar_get_type ())
G_DECLARE_FINAL_TYPE (BuurtenThermometerBar, buurten_thermometer_bar, BUURTEN, THERMOMETER_BAR, GtkWidget)

GtkWidget *buurten_thermometer_bar_new             (void);
/* Copies the figures; NULL clears. */
void       buurten_thermometer_bar_set_thermometer (BuurtenThermometerBar    *self,
                                                    const BuurtenThermometer *thermometer);
void       buurten_thermometer_bar_set_compact     (BuurtenThermometerBar    *self,
                                                    gboolean                  compact);

/* Added by U1. The figures shown (a copy), or NULL. */
const BuurtenThermometer *buurten_thermometer_bar_get_thermometer (BuurtenThermometerBar *self);
gboolean   buurten_thermometer_bar_get_compact     (BuurtenThermometerBar    *self);
/* The undrawn GtkLevelBar child that carries the accessible label and
 * value (GTK 4.8 gives the AT-SPI Value interface only to its own range
 * widgets). */
GtkWidget *buurten_thermometer_bar_get_accessible_bar (BuurtenThermometerBar *self);

G_END_DECLS
