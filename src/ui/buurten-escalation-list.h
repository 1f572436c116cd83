/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "buurten-list-view.h"

G_BEGIN_DECLS

/* The escalations of a wijk: a BuurtenListView with the columns, filters and
 * detail of escalations. */

#define BUURTEN_TYPE_ESCALATION_LIST (buurten_escalation_list_get_type ())
G_DECLARE_FINAL_TYPE (BuurtenEscalationList, buurten_escalation_list, BUURTEN, ESCALATION_LIST, BuurtenListView)

GtkWidget *buurten_escalation_list_new (void);

G_END_DECLS
