/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "buurten-overview.h"

G_BEGIN_DECLS

#define BUURTEN_TYPE_WIJK_PAGE (buurten_wijk_page_get_type ())
G_DECLARE_FINAL_TYPE (BuurtenWijkPage, buurten_wijk_page, BUURTEN, WIJK_PAGE, GtkWidget)

/* The budget of one wijk (or one city-wide pot) in one year. */
GtkWidget  *buurten_wijk_page_new      (void);
/* Shows the thermometer of wijk in overview; both NULL shows nothing. */
void        buurten_wijk_page_set_wijk (BuurtenWijkPage *self,
                                        BuurtenOverview *overview,
                                        const char      *wijk);
const char *buurten_wijk_page_get_wijk (BuurtenWijkPage *self);

G_END_DECLS
