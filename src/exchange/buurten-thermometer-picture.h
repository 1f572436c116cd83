/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "buurten-core.h"
#include "buurten-document.h"

G_BEGIN_DECLS

/* A wijk's budget thermometer on paper, as the app's BuurtenThermometerBar
 * shows it on screen: approved, the spent part of it darker, pending
 * hatched (it must never look like approved money), free, a run-over in
 * the warning colour; under the bar a legend with the amounts and shares.
 * Printable in black and white: the parts differ in pattern and shade,
 * not only in colour. */

/* The height the picture wants, in points. */
#define BUURTEN_THERMOMETER_PICTURE_HEIGHT 64.0

/* Adds the picture of a copy of thermometer to document. */
void buurten_thermometer_picture_add  (BuurtenDocument          *document,
                                       const BuurtenThermometer *thermometer);

/* A BuurtenDocumentDrawFunc; user_data is a BuurtenThermometer*. */
void buurten_thermometer_picture_draw (cairo_t                  *cr,
                                       PangoContext             *context,
                                       double                    width,
                                       double                    height,
                                       gpointer                  user_data);

G_END_DECLS
