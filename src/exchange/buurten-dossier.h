/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "buurten-store.h"

G_BEGIN_DECLS

/* What the documents of one initiative (the beschikking, the buurtdeal)
 * read from the store, loaded in one go on any thread: the initiative, its
 * last decision and the commitment that decision records (or, without
 * one, the initiative's current commitment) with its signatures, the
 * buurtdeal's agreements (residents' side first, in their order), the
 * activities, the budget lines and the mandate of the commitment as core's
 * mandate table gives it. Drawing reads it and nothing else. */

typedef struct
{
  BuurtenMunicipality  *municipality;
  BuurtenInitiative    *initiative;
  BuurtenDecision      *decision;     /* the last one; NULL: none yet */
  BuurtenCommitment    *commitment;   /* NULL: none */
  GPtrArray            *signatures;   /* BuurtenSignature*, in signing order */
  GArray               *required;     /* BuurtenRole: who must sign the commitment */
  BuurtenMandateResult *mandate;      /* NULL without a commitment or a table */
  int                   mandate_year; /* the mandate table's year */
  GPtrArray            *agreements;   /* BuurtenAgreement* */
  GPtrArray            *activities;   /* BuurtenActivity*, by date */
  GPtrArray            *budget_lines; /* BuurtenBudgetLine*, in their order */
} BuurtenDossier;

/* BUURTEN_CORE_ERROR_NOT_FOUND, with a sentence, for an unknown id. */
BuurtenDossier *buurten_dossier_load  (BuurtenStore        *store,
                                       BuurtenMunicipality *municipality,
                                       const char          *initiative_id,
                                       GError             **error);
void            buurten_dossier_free  (BuurtenDossier      *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BuurtenDossier, buurten_dossier_free)

/* The number of agreements of one side. */
guint           buurten_dossier_count_side (BuurtenDossier      *self,
                                            BuurtenAgreementSide side);

G_END_DECLS
