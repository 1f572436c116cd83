/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "buurten-core.h"
#include "buurten-store.h"

G_BEGIN_DECLS

/* The money of one initiative's grant as the payment and verantwoording
 * dialogs show it, loaded in one go in a worker thread
 * (buurten_grant_money_load(), a BuurtenStoreReadFunc with the initiative's id
 * as data). Sums follow core's rules (buurten-accounting.h). */
typedef struct
{
  BuurtenInitiative     *initiative;
  GPtrArray             *commitments;     /* BuurtenCommitment*, approved ones */
  GArray                *paid;            /* gint64 per commitment */
  GPtrArray             *lines;           /* BuurtenBudgetLine*, by position */
  BuurtenVerantwoording *verantwoording;  /* or NULL */
  gint64                 approved_cents;  /* amount less released, all approved */
  gint64                 paid_cents;
  gint64                 left_cents;      /* what may still be paid (and released) */
} BuurtenGrantMoney;

void          buurten_grant_money_free   (BuurtenGrantMoney  *grant);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BuurtenGrantMoney, buurten_grant_money_free)

gpointer      buurten_grant_money_load   (BuurtenStore  *store,
                                    gpointer       initiative_id,
                                    GCancellable  *cancellable,
                                    GError       **error);

/* The approved commitment a new payment goes on: the first with money
 * left, else the first; NULL when nothing is approved. Its index in
 * commitments in *out_index. */
BuurtenCommitment *buurten_grant_money_payable (BuurtenGrantMoney *grant,
                                          guint        *out_index);

G_END_DECLS
