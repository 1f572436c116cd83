/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "buurten-list-view.h"

G_BEGIN_DECLS

/* The requests of a wijk: a BuurtenListView with the columns, filters and
 * detail of requests. */

#define BUURTEN_TYPE_REQUEST_LIST (buurten_request_list_get_type ())
G_DECLARE_FINAL_TYPE (BuurtenRequestList, buurten_request_list, BUURTEN, REQUEST_LIST, BuurtenListView)

GtkWidget *buurten_request_list_new (void);

G_END_DECLS
