/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "buurten-error.h"
#include "buurten-municipality.h"

G_BEGIN_DECLS

/* A refusal is a code (BuurtenCoreError, whose nick the API sends as
 * "code") and arguments: a JSON object whose "rule" member names the rule
 * that refused and whose other members are that rule's facts (amounts in
 * cents, role and state ids, wijk ids). The server sends both beside its
 * English message; the app shows buurten_refusal_describe() of them, in
 * Dutch, never the server's text nor a raw id.
 *
 * The rules (args members besides "rule"):
 *   mandate.amount          -
 *   mandate.overflow        -
 *   mandate.no_band         amount_cents, funding
 *   mandate.not_allowed     amount_cents, total_cents, funding, limit_cents?,
 *                           way_forward? (an English msgid from the data)
 *   budget.pot_full         amount_cents, free_cents
 *   budget.move             amount_cents, free_cents, wijk
 *   sign.no_user            -
 *   sign.not_pending        state (commitment state id)
 *   sign.four_eyes          role (the role already signed in)
 *   sign.no_role            wijk, roles (array of role ids still needed)
 *   sign.complete           -
 *   commit.no_role          wijk
 *   pay.no_role             wijk
 *   initiative.closed       state (initiative state id)
 *   initiative.grant_by_signature  to (state id)
 *   initiative.not_approved to (state id)
 *   decision.beyond_approved amount_cents, approved_cents, granted_cents?
 *   decision.needs_reason   -
 *   payment.amount          -
 *   payment.beyond_approved amount_cents, left_cents
 *   verantwoording.exists   -
 *   verantwoording.not_granted state (initiative state id)
 *   initiative.no_verantwoording -
 *   move.record_role        -
 *   move.confirm_role       -
 *   move.same_person        -
 *   move.not_recorded       -
 *   escalation.opener       -
 *   escalation.role         level (escalation level id), roles (role ids)
 *   note.author             -
 *   state.transition        machine, from, to (state ids)
 *   state.changed           expected, actual (state ids), machine
 *   scope.forbidden         scope
 *   scope.link              subject_type
 *   not_found               type
 */

/* Fills *args (when args is not NULL) with a new object holding "rule". */
JsonObject  *buurten_refusal_args_new   (const char          *rule);

/* The sentence for a refusal in the current locale. args may be NULL or
 * lack "rule": then a general sentence for the code. municipality may be
 * NULL; when given, roles and wijken are named as its data names them. */
char        *buurten_refusal_describe   (BuurtenCoreError     code,
                                         JsonObject          *args,
                                         BuurtenMunicipality *municipality);
/* The same from the API's code string ("MANDATE_EXCEEDED"); unknown codes
 * get a general sentence. */
char        *buurten_refusal_describe_code (const char          *code,
                                            JsonObject          *args,
                                            BuurtenMunicipality *municipality);

/* Sets error to code with the described message and hands args to
 * *out_args (or frees them when out_args is NULL). Always FALSE. */
gboolean     buurten_refusal_set        (GError             **error,
                                         JsonObject         **out_args,
                                         BuurtenCoreError     code,
                                         JsonObject          *args);

G_END_DECLS
