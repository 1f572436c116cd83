/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "buurten-context.h"

G_BEGIN_DECLS

/* The whole story of one initiative, in order: plan and budget, criteria,
 * decisions, commitments with their signatures and who must still sign,
 * the buurtdeal, payments, the verantwoording, documents, notes and the
 * history. Everything is loaded in one buurten_store_load_async(). */

#define BUURTEN_TYPE_INITIATIVE_DETAIL (buurten_initiative_detail_get_type ())
G_DECLARE_FINAL_TYPE (BuurtenInitiativeDetail, buurten_initiative_detail, BUURTEN,
                      INITIATIVE_DETAIL, AdwBin)

GtkWidget      *buurten_initiative_detail_new               (void);

BuurtenContext *buurten_initiative_detail_get_context       (BuurtenInitiativeDetail *self);
void            buurten_initiative_detail_set_context       (BuurtenInitiativeDetail *self,
                                                             BuurtenContext          *context);
const char     *buurten_initiative_detail_get_initiative_id (BuurtenInitiativeDetail *self);
/* Loads and shows the initiative (NULL: nothing). */
void            buurten_initiative_detail_set_initiative_id (BuurtenInitiativeDetail *self,
                                                             const char              *id);
/* Loads the shown initiative again (after a change). */
void            buurten_initiative_detail_reload            (BuurtenInitiativeDetail *self);

/* The decision term of an initiative on the context's today, with the
 * municipality's term (buurten_initiative_decision_term()): "12-01-2027,
 * 23 days left" (long: "Decision due 12-01-2027, 23 days left"), or NULL
 * when no term runs. days_left may be NULL. */
char           *buurten_initiative_format_term              (BuurtenContext          *context,
                                                             const BuurtenInitiative *initiative,
                                                             gboolean                 long_form,
                                                             gint                    *days_left);

G_END_DECLS
