/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "buurten-entity.h"
#include "buurten-states.h"

G_BEGIN_DECLS

/* The rules of paying a grant and accounting for it (the verantwoording),
 * for the app and the server alike. Refusals carry the rule's args
 * (buurten-refusal.h) for buurten_refusal_describe(). */

/* What is left to pay on a commitment: for an approved one its amount
 * less what was released less paid_cents (never below zero); 0 otherwise. */
gint64    buurten_commitment_left            (const BuurtenCommitment *commitment,
                                              gint64                   paid_cents);

/* A payment of amount_cents where left_cents is left to pay: more than
 * zero (INVALID, rule payment.amount) and never beyond what is left
 * (BUDGET_EXCEEDED, rule payment.beyond_approved, args amount_cents,
 * left_cents). */
gboolean  buurten_payment_check              (gint64                   amount_cents,
                                              gint64                   left_cents,
                                              JsonObject             **refusal_args,
                                              GError                 **error);

/* Whether an initiative in state may record its verantwoording: once,
 * (INVALID_STATE, rule verantwoording.exists) and only when granted and
 * not done (toegekend, buurtdeal_getekend, in_uitvoering; INVALID_STATE,
 * rule verantwoording.not_granted, args state). */
gboolean  buurten_verantwoording_may_record  (BuurtenInitiativeState   state,
                                              gboolean                 exists,
                                              JsonObject             **refusal_args,
                                              GError                 **error);

/* An initiative becomes afgerond only with its verantwoording recorded
 * (INVALID_STATE, rule initiative.no_verantwoording); other transitions
 * pass. */
gboolean  buurten_initiative_check_done      (int                      to,
                                              gboolean                 has_verantwoording,
                                              JsonObject             **refusal_args,
                                              GError                 **error);

/* The actual costs of an initiative: the actual_cents of its cost lines
 * (BuurtenBudgetLine *), summed up to BUURTEN_MONEY_MAX_CENTS. */
gint64    buurten_budget_actual_costs        (GPtrArray               *lines);

G_END_DECLS
