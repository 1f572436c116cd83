/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "buurten-document.h"
#include "buurten-store.h"

G_BEGIN_DECLS

/* The wethouder's briefing (issue 14, 5): for one wijk and the date of a
 * meeting, everything that waits for the wijk's wijkwethouder. A summary
 * page first (the wijk's budget and thermometer, what is to be decided and
 * what it does to the free budget, the escalations), then "ter
 * besluitvorming": each initiative that waits for the wijkwethouder's
 * decision or signature with its amount and the wijk's free budget before
 * and after; the escalations to the wijkwethouder with their age; and, for
 * information, what else waits for a decision in the wijk.
 *
 * The figures are the rules of core (ledger, mandate, authority) on the
 * store's data: the laptop's own, offline. */

typedef struct _BuurtenBriefing BuurtenBriefing;

/* Reads what the briefing shows from store. Any thread (it only reads).
 * BUURTEN_CORE_ERROR_NOT_FOUND, with a sentence naming the wijken there
 * are, for a wijk the municipality does not have. */
BuurtenBriefing *buurten_briefing_load     (BuurtenStore        *store,
                                            BuurtenMunicipality *municipality,
                                            const char          *wijk,
                                            const GDate         *date,
                                            GError             **error);
void             buurten_briefing_free     (BuurtenBriefing     *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BuurtenBriefing, buurten_briefing_free)

/* The document, in the thread that will draw it. made_at: Unix seconds,
 * when it is made (said in its last line). */
BuurtenDocument *buurten_briefing_document (BuurtenBriefing     *self,
                                            gint64               made_at);

/* "BRF-OOST-20261020": the briefing's reference. */
char            *buurten_briefing_reference (const char         *wijk,
                                             const GDate        *date);

G_END_DECLS
