/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "buurten-document.h"
#include "buurten-dossier.h"

G_BEGIN_DECLS

/* The subsidiebeschikking (issue 14, 5): the municipality's letter to the
 * organiser that records the decision on an initiative. A grant names the
 * amount, the conditions, the buurtdeal's agreements, the verantwoording
 * asked and by when, who decided under which mandate; a refusal or a
 * referral its reason; both the objection (bezwaar) and where to send it.
 * The data is a BuurtenDossier (buurten-dossier.h), loaded on any thread;
 * the document is built in the thread that draws it. */

typedef struct _BuurtenBeschikking BuurtenBeschikking;

/* BUURTEN_CORE_ERROR_NOT_FOUND for an unknown initiative,
 * BUURTEN_CORE_ERROR_INVALID_STATE (with a sentence) for one without a
 * decision. Any thread (it only reads). */
BuurtenBeschikking *buurten_beschikking_load      (BuurtenStore        *store,
                                                   BuurtenMunicipality *municipality,
                                                   const char          *initiative_id,
                                                   GError             **error);
void                buurten_beschikking_free      (BuurtenBeschikking  *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BuurtenBeschikking, buurten_beschikking_free)

/* "BSK-2026-1A2B3C4D": the year of the decision and the first eight hex
 * digits of the decision's id; the same decision always gets the same. */
char               *buurten_beschikking_reference (BuurtenBeschikking  *self);
/* A file name without extension: "beschikking-BSK-2026-1A2B3C4D". */
char               *buurten_beschikking_file_name (BuurtenBeschikking  *self);

BuurtenDocument    *buurten_beschikking_document  (BuurtenBeschikking  *self);

G_END_DECLS
