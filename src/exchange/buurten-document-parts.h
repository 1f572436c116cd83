/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "buurten-document.h"
#include "buurten-dossier.h"

G_BEGIN_DECLS

/* Pieces the documents of one initiative share (the beschikking and the
 * buurtdeal): dates as a letter writes them, the agreements as a table,
 * the municipality's signers. */

/* "dinsdag 20 oktober 2026"; "" for an invalid date. */
char       *buurten_document_long_date      (const GDate *date);
/* "20-10-2026"; "" for an invalid date. */
char       *buurten_document_short_date     (const GDate *date);
/* The local day of a Unix time. */
void        buurten_document_unix_to_date   (gint64       unix_seconds,
                                             GDate       *out);
/* "a1b2c3d4" of an id, upper case: the short, stable part of references. */
char       *buurten_document_short_id       (const char  *id);

const char *buurten_document_agreement_side     (BuurtenAgreementSide     side);
const char *buurten_document_agreement_progress (BuurtenAgreementProgress progress);

/* The agreements of one side as a table (what, who, by when, progress);
 * a sentence when there are none. */
void        buurten_document_add_agreements (BuurtenDocument     *document,
                                             BuurtenDossier      *dossier,
                                             BuurtenAgreementSide side);

/* A signature block per role the commitment needs: who signed (the
 * user, role and date) or empty lines for a missing one. */
void        buurten_document_add_municipality_signers (BuurtenDocument *document,
                                                       BuurtenDossier  *dossier);

/* The letter's "Datum": today, as a long date. */
char       *buurten_document_today          (gint64       made_at);

G_END_DECLS
