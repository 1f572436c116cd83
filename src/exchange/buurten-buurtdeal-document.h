/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "buurten-document.h"
#include "buurten-dossier.h"

G_BEGIN_DECLS

/* The buurtdeal on paper (issue 14, 5): the initiative, the reciprocal
 * agreements of the residents and of the municipality with owner, date and
 * progress, and both sides' signature blocks: the organiser as the
 * coordinator recorded it, the municipality's signers from the
 * commitment's signatures (empty lines for those still missing). */

typedef struct _BuurtenBuurtdealDocument BuurtenBuurtdealDocument;

/* BUURTEN_CORE_ERROR_NOT_FOUND for an unknown initiative,
 * BUURTEN_CORE_ERROR_INVALID_STATE (with a sentence) for one without a
 * buurtdeal (no agreement and no organiser's signature). Any thread. */
BuurtenBuurtdealDocument *buurten_buurtdeal_document_load      (BuurtenStore        *store,
                                                                BuurtenMunicipality *municipality,
                                                                const char          *initiative_id,
                                                                GError             **error);
void                      buurten_buurtdeal_document_free      (BuurtenBuurtdealDocument *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BuurtenBuurtdealDocument, buurten_buurtdeal_document_free)

/* "BD-2026-1A2B3C4D": the year of the initiative's receipt and the first
 * eight hex digits of its id. */
char                     *buurten_buurtdeal_document_reference (BuurtenBuurtdealDocument *self);
/* "buurtdeal-BD-2026-1A2B3C4D" */
char                     *buurten_buurtdeal_document_file_name (BuurtenBuurtdealDocument *self);

/* made_at: Unix seconds, the date of an unsigned deal's paper. */
BuurtenDocument          *buurten_buurtdeal_document_build     (BuurtenBuurtdealDocument *self,
                                                                gint64                    made_at);

G_END_DECLS
