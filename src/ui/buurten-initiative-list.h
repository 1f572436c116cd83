/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "buurten-list-view.h"

G_BEGIN_DECLS

/* The initiatives of a wijk: a BuurtenListView with the columns, filters and
 * detail of initiatives. */

#define BUURTEN_TYPE_INITIATIVE_LIST (buurten_initiative_list_get_type ())
G_DECLARE_FINAL_TYPE (BuurtenInitiativeList, buurten_initiative_list, BUURTEN, INITIATIVE_LIST, BuurtenListView)

GtkWidget *buurten_initiative_list_new (void);

G_END_DECLS
