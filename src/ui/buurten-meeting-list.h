/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "buurten-list-view.h"

G_BEGIN_DECLS

/* The meetings of a wijk: a BuurtenListView with the columns, filters and
 * detail of meetings. */

#define BUURTEN_TYPE_MEETING_LIST (buurten_meeting_list_get_type ())
G_DECLARE_FINAL_TYPE (BuurtenMeetingList, buurten_meeting_list, BUURTEN, MEETING_LIST, BuurtenListView)

GtkWidget *buurten_meeting_list_new (void);

G_END_DECLS
