/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "buurten-municipality.h"

G_BEGIN_DECLS

/* The budget ledger of one calendar year: feed it commitments, payments,
 * transfers and carry-overs (in any order), then ask for thermometers.
 * Commitments with funding wijkbudget and handgeld count against their
 * wijk; wijkkansen against the wijkkansen pot; investering against
 * neither (capital charges come in as wijkbudget commitments).
 *
 * Transfers and carry-overs count once confirmed (BUURTEN_MOVE_CONFIRMED).
 * Per wijk: budget = table budget + transfers in - transfers out
 *   + carried in from year-1 - carried out to year+1;
 *   approved + pending + free = budget (free < 0 when overrun);
 *   spent <= approved (payments on approved commitments).
 * An approved commitment counts its amount less what the initiative's
 * verantwoording released (commitment.released_cents), so that money
 * approved and never paid is free again. */

typedef struct
{
  char   *theme;
  gint64  approved_cents;
  gint64  pending_cents;
  gint64  spent_cents;
} BuurtenThemeShare;

typedef struct
{
  char      *id;               /* wijk or pot id */
  char      *name;
  int        year;
  gint64     table_budget_cents;
  gint64     transfers_in_cents;
  gint64     transfers_out_cents;
  gint64     carried_in_cents;
  gint64     carried_out_cents;
  gint64     budget_cents;
  gint64     approved_cents;
  gint64     pending_cents;
  gint64     spent_cents;
  gint64     free_cents;
  int        approved_permille; /* of budget, 0 when budget is 0 */
  int        pending_permille;
  int        spent_permille;
  int        free_permille;
  gboolean   over_budget;
  gint64     over_cents;
  GPtrArray *themes;            /* BuurtenThemeShare*, sorted by theme */
} BuurtenThermometer;

void buurten_thermometer_free (BuurtenThermometer *thermometer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BuurtenThermometer, buurten_thermometer_free)

/* A deep copy. */
BuurtenThermometer *buurten_thermometer_copy    (const BuurtenThermometer *thermometer);
/* The thermometer after one more commitment of amount_cents (>= 0),
 * approved or pending, for theme (NULL: none), computed by the same rules
 * as the ledger's: free, the overrun, the shares and the theme's share
 * follow; spent stays. NULL when the committed total would leave the
 * money range. */
BuurtenThermometer *buurten_thermometer_preview (const BuurtenThermometer *current,
                                                 gint64                    amount_cents,
                                                 gboolean                  approved,
                                                 const char               *theme);

typedef struct _BuurtenLedger BuurtenLedger;

BuurtenLedger      *buurten_ledger_new          (BuurtenMunicipality     *municipality,
                                                 int                      year);
void                buurten_ledger_free         (BuurtenLedger           *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BuurtenLedger, buurten_ledger_free)

/* Entries of other years are ignored (carry-overs: from_year == year - 1
 * adds, from_year == year subtracts). An entry naming an unknown wijk or a
 * payment without its commitment is a BUURTEN_CORE_ERROR_INVALID and is
 * not counted. */
gboolean            buurten_ledger_add_commitment (BuurtenLedger           *self,
                                                   const BuurtenCommitment *commitment,
                                                   GError                 **error);
gboolean            buurten_ledger_add_payment    (BuurtenLedger           *self,
                                                   const BuurtenPayment    *payment,
                                                   GError                 **error);
/* What is left to pay on a commitment of this year: approved less what
 * the verantwoording released less what was paid; 0 when it is not
 * approved. FALSE when the ledger does not hold it. */
gboolean            buurten_ledger_commitment_left (BuurtenLedger          *self,
                                                    const char             *commitment_id,
                                                    gint64                 *out_left);
gboolean            buurten_ledger_add_transfer   (BuurtenLedger           *self,
                                                   const BuurtenTransfer   *transfer,
                                                   GError                 **error);
gboolean            buurten_ledger_add_carry_over (BuurtenLedger           *self,
                                                   const BuurtenCarryOver  *carry_over,
                                                   GError                 **error);

/* What the account of a funding (the wijk for wijkbudget and handgeld,
 * the wijkkansen pot) has committed, approved plus pending, leaving out
 * the commitment except_id (may be NULL), and its budget. Investering and
 * a year without a pot give 0 and 0. BUURTEN_CORE_ERROR_INVALID for an
 * unknown wijk. */
gboolean            buurten_ledger_account_committed (BuurtenLedger  *self,
                                                      BuurtenFunding  funding,
                                                      const char     *wijk,
                                                      const char     *except_id,
                                                      gint64         *out_committed,
                                                      gint64         *out_budget,
                                                      GError        **error);

/* NULL for an unknown wijk. */
BuurtenThermometer *buurten_ledger_wijk          (BuurtenLedger           *self,
                                                  const char              *wijk);
/* NULL for an unknown pot. */
BuurtenThermometer *buurten_ledger_pot           (BuurtenLedger           *self,
                                                  const char              *pot);
/* The city overview: one thermometer per wijk in file order, then one per
 * pot (BuurtenThermometer*), and the total budget. */
GPtrArray          *buurten_ledger_city          (BuurtenLedger           *self,
                                                  gint64                  *out_total_budget_cents);

G_END_DECLS
