/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "buurten-entity.h"
#include "buurten-ledger.h"
#include "buurten-mandate.h"
#include "buurten-municipality.h"

G_BEGIN_DECLS

/* Who may do what with which money: the one place both the server (which
 * enforces) and the app (which shows) ask. Nothing here knows HTTP, SQL or
 * GTK: callers load the facts (grants, commitments, signatures, the
 * year's ledger) and the functions decide.
 *
 * Every refusal comes as a BuurtenCoreError code and a JSON object of
 * arguments ("args"): buurten_refusal_describe() in buurten-refusal.h turns
 * the two into a sentence in the reader's language, so the server sends
 * code and args and the app shows Dutch from them. */

/* ---- grants ---------------------------------------------------------- */

/* A role held for one wijk, or for every wijk (wijk NULL). */
typedef struct
{
  BuurtenRole  role;
  char        *wijk;
} BuurtenGrant;

BuurtenGrant *buurten_grant_new            (BuurtenRole          role,
                                            const char          *wijk);
void          buurten_grant_free           (BuurtenGrant        *grant);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BuurtenGrant, buurten_grant_free)

/* A new empty array of BuurtenGrant* that frees its elements. */
GPtrArray    *buurten_grants_new           (void);
GPtrArray    *buurten_grants_copy          (GPtrArray           *grants);
/* From the "grants" member of /me and of the login answer:
 * [{"role":"wijkwethouder","wijk":"centrum"},{"role":"admin","wijk":null}].
 * Unknown roles are skipped; anything else malformed is
 * BUURTEN_CORE_ERROR_INVALID. */
GPtrArray    *buurten_grants_from_json     (JsonNode            *node,
                                            GError             **error);
JsonNode     *buurten_grants_to_json       (GPtrArray           *grants);

/* The same grants in the same order (either may be NULL: NULL equals
 * only NULL). */
gboolean      buurten_grants_equal         (GPtrArray           *a,
                                            GPtrArray           *b);
/* Whether the grants hold role for wijk (wijk NULL: for any wijk). A
 * grant for every wijk covers each wijk. grants may be NULL (none). */
gboolean      buurten_grants_have_role     (GPtrArray           *grants,
                                            BuurtenRole          role,
                                            const char          *wijk);
/* Any role but partner whose grant covers the scope ("centrum",
 * "cluster:oost", "city"; a city-wide grant covers every scope, a wijk's
 * grant its wijk and cluster, never "city"). */
gboolean      buurten_grants_staff_in      (GPtrArray           *grants,
                                            BuurtenMunicipality *municipality,
                                            const char          *scope);
/* Partner for the scope (never "city"). */
gboolean      buurten_grants_partner_in    (GPtrArray           *grants,
                                            BuurtenMunicipality *municipality,
                                            const char          *scope);

/* Whether an object of scope inner may be linked from an object of scope
 * outer: the same scope, a wijk of the cluster, or anything from "city". */
gboolean      buurten_scope_contains       (BuurtenMunicipality *municipality,
                                            const char          *outer,
                                            const char          *inner);

/* ---- commitments: what counts ------------------------------------------- */

/* Whether a commitment holds money (pending or approved): the one rule of
 * "committed" the ledger and the mandate use. */
gboolean      buurten_commitment_counts    (const BuurtenCommitment *commitment);
/* The account a funding draws on: wijkbudget and handgeld the wijk,
 * wijkkansen the pot; investering none (FALSE). */
gboolean      buurten_funding_has_account  (BuurtenFunding       funding);
/* Whether two fundings draw on the same account (wijkbudget, handgeld). */
gboolean      buurten_funding_same_account (BuurtenFunding       a,
                                            BuurtenFunding       b);

/* The mandate input of one commitment, built in one place:
 * @commitment: the commitment judged (amount, funding, wijk, year; its id
 *   may be NULL for a proposal not yet saved);
 * @ledger: the year's ledger, fed with (at least) every commitment,
 *   transfer and carry-over of the commitment's account; it may hold the
 *   commitment itself, which is not counted;
 * @initiative_commitments: BuurtenCommitment* of the initiative (may hold
 *   the commitment itself, which is not counted; NULL: none).
 * Fills input->committed_cents and budget_cents from the ledger, and
 * input->initiative_cents with what the initiative already has from the
 * same account (pending and approved, every year). input->wijk points into
 * commitment. FALSE with BUURTEN_CORE_ERROR_INVALID for an unknown wijk. */
gboolean      buurten_mandate_input_build  (BuurtenMandateInput      *input,
                                            const BuurtenCommitment  *commitment,
                                            BuurtenLedger            *ledger,
                                            GPtrArray                *initiative_commitments,
                                            GError                  **error);

/* The mandate of a commitment (saved, or proposed with id NULL) of an
 * initiative: buurten_mandate_input_build() from the year's ledger and
 * the initiative's commitments, then the mandate table of the
 * commitment's year. NULL without an error when there is no table for
 * that year. Pure computation: any thread. out_input (may be NULL) gets
 * the input. */
BuurtenMandateResult *buurten_commitment_mandate      (BuurtenMunicipality     *municipality,
                                                       BuurtenLedger           *ledger,
                                                       const BuurtenCommitment *commitment,
                                                       GPtrArray               *initiative_commitments,
                                                       BuurtenMandateInput     *out_input,
                                                       GError                 **error);
/* The commitment an initiative that waits for a decision and has none yet
 * would get: its requested amount from the wijkbudget of year (id NULL). */
BuurtenCommitment    *buurten_commitment_proposal     (const BuurtenInitiative *initiative,
                                                       int                      year);
/* The roles a saved commitment must have: its required_roles, fixed when
 * it was made; for a commitment made before they were fixed (empty), the
 * roles of its mandate (may be NULL: none). */
GArray               *buurten_commitment_required_roles (const BuurtenCommitment    *commitment,
                                                         const BuurtenMandateResult *mandate);

/* Roles as the comma-separated ids the commitment's required_roles field
 * keeps ("buurtcoordinator,wijkwethouder"), and back (unknown ids
 * skipped). */
char         *buurten_roles_to_ids         (GArray              *roles);
GArray       *buurten_roles_from_ids       (const char          *ids);

/* ---- signing ------------------------------------------------------------- */

/**
 * BuurtenSigning:
 * The answer to "who must still sign this commitment, and may I sign it
 * now?".
 * @required: every role the commitment needs
 * @missing: the roles still to sign, in @required's order
 * @may_sign: this user may add a signature now
 * @role: the role this user would sign in (valid when @may_sign)
 * @refusal: why not (a BuurtenCoreError), when not @may_sign
 * @refusal_args: the refusal's arguments for buurten_refusal_describe()
 * @why_not: that sentence, in the current locale
 */
typedef struct
{
  GArray           *required;
  GArray           *missing;
  gboolean          may_sign;
  BuurtenRole       role;
  BuurtenCoreError  refusal;
  JsonObject       *refusal_args;
  char             *why_not;
} BuurtenSigning;

void            buurten_signing_free      (BuurtenSigning *signing);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BuurtenSigning, buurten_signing_free)

/* required: the roles fixed when the commitment was made (its
 * required_roles); state: the commitment's state; initiative_state: its
 * initiative's (BuurtenInitiativeState); wijk: the commitment's wijk;
 * signatures: BuurtenSignature* given so far (NULL: none); user and
 * grants: who asks (user NULL: nobody logged in). Never NULL. */
BuurtenSigning *buurten_authority_signing (GArray                  *required,
                                           BuurtenCommitmentState   state,
                                           int                      initiative_state,
                                           const char              *wijk,
                                           GPtrArray               *signatures,
                                           const char              *user,
                                           GPtrArray               *grants);

/* Who may propose a commitment (create it) for wijk: any role that can
 * sign money (buurtcoördinator, wijkwethouder, wethouder buurten,
 * teammanager samenleving) for the wijk, never admin or partner; and
 * never on an initiative that cannot be granted. */
gboolean      buurten_authority_may_commit (GPtrArray           *grants,
                                            const char          *wijk,
                                            int                  initiative_state,
                                            JsonObject         **refusal_args,
                                            GError             **error);

/* Who may cancel a commitment of wijk: the same roles as may propose
 * money, also on an initiative that is closed (releasing money is always
 * possible). */
gboolean      buurten_authority_may_cancel (GPtrArray           *grants,
                                            const char          *wijk,
                                            JsonObject         **refusal_args,
                                            GError             **error);
/* Who may record a payment on an approved commitment of wijk: the
 * buurtcoördinator of the wijk or the teammanager samenleving. */
gboolean      buurten_authority_may_pay    (GPtrArray           *grants,
                                            const char          *wijk,
                                            JsonObject         **refusal_args,
                                            GError             **error);

/* Whether a decision may be recorded: a rejection or a referral needs a
 * reason that is not blank (BUURTEN_CORE_ERROR_INVALID, rule
 * decision.needs_reason); a grant records approved money only: amount
 * plus what earlier grant decisions recorded (granted_cents) may not pass
 * what the initiative's commitments have approved (approved_cents), and
 * without approved money there is no grant (MANDATE_EXCEEDED, rule
 * decision.beyond_approved). */
gboolean      buurten_decision_check       (BuurtenDecisionOutcome  outcome,
                                            gint64                  amount_cents,
                                            gint64                  approved_cents,
                                            gint64                  granted_cents,
                                            const char             *reason,
                                            JsonObject            **refusal_args,
                                            GError                **error);
/* Whether a text holds nothing but white space (or is NULL). */
gboolean      buurten_text_is_blank        (const char             *text);

/* ---- budget moves -------------------------------------------------------- */

/* Who may record a budget move (the teammanager samenleving) and who may
 * confirm it (the wethouder buurten, not the one who recorded it). The
 * technical admin may do neither. */
gboolean      buurten_authority_may_record_move  (GPtrArray      *grants,
                                                  JsonObject    **refusal_args,
                                                  GError        **error);
gboolean      buurten_authority_may_confirm_move (GPtrArray      *grants,
                                                  const char     *user,
                                                  const char     *recorded_by,
                                                  JsonObject    **refusal_args,
                                                  GError        **error);
/* Whether a move of amount_cents out of a wijk fits what it has free:
 * source is the wijk's thermometer of the year the money leaves (for a
 * carry-over, the year it is carried out of, at that year's end).
 * BUURTEN_CORE_ERROR_BUDGET_EXCEEDED naming what is free when not. */
gboolean      buurten_authority_check_move       (const BuurtenThermometer *source,
                                                  gint64          amount_cents,
                                                  JsonObject    **refusal_args,
                                                  GError        **error);

/* ---- escalations and notes ------------------------------------------------ */

/* Whether user may move escalation to state `to`: resolving or handing
 * back a budget escalation is for the teammanager samenleving or the
 * wethouder buurten, never for opened_by (whose commitment opened it);
 * bestuurlijk for the wijk's wijkwethouder or the wethouder buurten;
 * college for the wethouder buurten; the other levels, and taking any
 * escalation up, for the wijk's staff. */
gboolean      buurten_authority_may_move_escalation (GPtrArray               *grants,
                                                     BuurtenMunicipality     *municipality,
                                                     const char              *user,
                                                     const BuurtenEscalation *escalation,
                                                     int                      to,
                                                     JsonObject             **refusal_args,
                                                     GError                 **error);
/* Whom an escalation of level goes to, the role that answers it:
 * bestuurlijk the wijkwethouder, college the wethouder buurten, budget the
 * teammanager samenleving (as buurten_authority_may_move_escalation()
 * lets them close it); FALSE for the wijkteam's own levels. */
gboolean      buurten_escalation_level_addressee    (BuurtenEscalationLevel   level,
                                                     BuurtenRole             *out_role);
/* Notes are changed and deleted by their author only. */
gboolean      buurten_authority_may_edit_note       (const char              *user,
                                                     const char              *author,
                                                     JsonObject             **refusal_args,
                                                     GError                 **error);

G_END_DECLS
