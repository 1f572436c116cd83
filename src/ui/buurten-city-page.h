/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "buurten-overview.h"

G_BEGIN_DECLS

#define BUURTEN_TYPE_CITY_PAGE (buurten_city_page_get_type ())
G_DECLARE_FINAL_TYPE (BuurtenCityPage, buurten_city_page, BUURTEN, CITY_PAGE, GtkWidget)

/* The whole municipality in one year: the total, and every wijk and every
 * city-wide pot (wijkkansen, ...) as a card with its budget and its own
 * thermometer, side by side as far as the width allows. Emits
 * "wijk-activated" (the wijk's id) when the card of a wijk is activated. */
GtkWidget *buurten_city_page_new          (void);
/* NULL shows nothing. */
void       buurten_city_page_set_overview (BuurtenCityPage *self,
                                           BuurtenOverview *overview);

G_END_DECLS
