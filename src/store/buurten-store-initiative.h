/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "buurten-store.h"

G_BEGIN_DECLS

/* Queries about initiatives for the desktop's views; call them from a
 * worker thread (buurten_store_load_async()). */

/* An initiative past its decision term (buurten_initiative_decision_term()). */
typedef struct
{
  BuurtenInitiative *initiative;
  GDate              due;
  gint               days_late;   /* 1 or more */
} BuurtenOverdueInitiative;

void       buurten_overdue_initiative_free    (BuurtenOverdueInitiative *overdue);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BuurtenOverdueInitiative, buurten_overdue_initiative_free)

/* The initiatives of wijk (NULL: of every wijk) that await their
 * decision and are past the term of weeks weeks after their application
 * date on today, most days late first (BuurtenOverdueInitiative*); an
 * empty array when weeks is 0. */
GPtrArray *buurten_store_overdue_initiatives  (BuurtenStore  *store,
                                               const char    *wijk,
                                               guint          weeks,
                                               const GDate   *today,
                                               GError       **error);

/* The same for every wijk, with the term of the store's municipality
 * (decision_term_weeks; none yet: nothing is late). For "Needs attention". */
GPtrArray *buurten_store_list_overdue_initiatives (BuurtenStore  *store,
                                                   const GDate   *today,
                                                   GError       **error);

G_END_DECLS
