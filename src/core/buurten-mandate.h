/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "buurten-municipality.h"

G_BEGIN_DECLS

/**
 * BuurtenMandateInput:
 * What the engine needs to know about one commitment-to-be.
 * @committed_cents: what the wijk (or, for wijkkansen, the pot) has already
 *   committed this year, approved plus pending, not counting this one.
 * @budget_cents: the wijk's richtbudget after transfers and carry-over, or
 *   the pot's budget.
 * @initiative_cents: what the same initiative already has from the same
 *   account (pending and approved, not counting this one). The mandate is
 *   per initiative (domain.md, Tabel 2: "amount per initiative"): the band
 *   is chosen by initiative_cents + amount_cents, so splitting an amount
 *   into pieces (opknippen) needs the same signatures as the whole.
 * Build it with buurten_mandate_input_build() (buurten-authority.h).
 */
typedef struct
{
  gint64          amount_cents;
  BuurtenFunding  funding;
  const char     *wijk;
  int             year;
  gint64          committed_cents;
  gint64          budget_cents;
  gint64          initiative_cents;
} BuurtenMandateInput;

/**
 * BuurtenMandateResult:
 * @allowed: whether the commitment may be made at all
 * @refusal: the BuurtenCoreError when not allowed
 * @reason: a translated sentence a person can read, allowed or not
 *   ("Needs the wijkwethouder too: above € 2.000,00 ..."), including the
 *   way forward when refused
 * @roles: BuurtenRole, the distinct signatures needed
 * @instrument: the instrument id of the band
 * @over_budget: the commitment pushes the wijk over its richtbudget; the
 *   over_budget_role is in @roles and a budget escalation must be opened
 * @refusal_args: when not allowed, the refusal's arguments
 *   (buurten-refusal.h)
 * @total_cents: the initiative's total with this commitment, by which the
 *   band was chosen
 */
typedef struct
{
  gboolean          allowed;
  BuurtenCoreError  refusal;
  char             *reason;
  GArray           *roles;
  char             *instrument;
  gboolean          over_budget;
  gint64            over_cents;
  JsonObject       *refusal_args;
  gint64            total_cents;
} BuurtenMandateResult;

void                  buurten_mandate_result_free (BuurtenMandateResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BuurtenMandateResult, buurten_mandate_result_free)

/* Never NULL for valid arguments; check result->allowed. */
BuurtenMandateResult *buurten_mandate_evaluate    (const BuurtenMandateTable *table,
                                                   const BuurtenMandateInput *input);

/* The roles of result->roles not yet covered by signatures
 * (BuurtenSignature*). */
GArray               *buurten_mandate_missing_roles (const BuurtenMandateResult *result,
                                                     GPtrArray                  *signatures);

G_END_DECLS
