/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "buurten-context.h"

G_BEGIN_DECLS

/* What the decision window and the dashboard ask the rules of
 * core/buurten-authority.h, with the facts they loaded: internal to the
 * UI library, and holding no rule of its own. */

/* core's buurten_commitment_mandate() (buurten-authority.h). */
BuurtenMandateResult *buurten_decide_evaluate       (BuurtenMunicipality     *municipality,
                                                     BuurtenLedger           *ledger,
                                                     const BuurtenCommitment *commitment,
                                                     GPtrArray               *initiative_commitments,
                                                     BuurtenMandateInput     *out_input,
                                                     GError                 **error);

/* core's buurten_commitment_required_roles(). */
GArray               *buurten_decide_required_roles (const BuurtenCommitment    *commitment,
                                                     const BuurtenMandateResult *mandate);

/* buurten_authority_signing() for the context's user and grants, its
 * why_not naming roles and wijken as the municipality does. */
BuurtenSigning       *buurten_decide_signing        (BuurtenContext          *context,
                                                     GArray                  *required,
                                                     BuurtenCommitmentState   state,
                                                     int                      initiative_state,
                                                     const char              *wijk,
                                                     GPtrArray               *signatures);

/* buurten_authority_may_commit() for the context's grants; why_not (may
 * be NULL) gets the sentence when not. */
gboolean              buurten_decide_may_commit     (BuurtenContext          *context,
                                                     const char              *wijk,
                                                     int                      initiative_state,
                                                     char                   **why_not);

/* "Anna de Vries (Wijkwethouder), Piet Jansen (Buurtcoördinator)" from a
 * decision's signers ("user:role,user:role"). */
char                 *buurten_decide_format_signers (BuurtenMunicipality     *municipality,
                                                     const char              *signers);

G_END_DECLS
