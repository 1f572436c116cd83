/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-ledger"

#include "config.h"

#include <string.h>

#include "buurten-core.h"

static BuurtenMunicipality *municipality;

static BuurtenCommitment *
commitment_new (const char             *id,
                const char             *wijk,
                BuurtenFunding          funding,
                gint64                  year,
                gint64                  amount,
                BuurtenCommitmentState  state,
                const char             *theme)
{
  BuurtenCommitment *c = buurten_commitment_new ();

  c->id = g_strdup (id);
  c->wijk = g_strdup (wijk);
  c->funding = funding;
  c->year = year;
  c->amount_cents = amount;
  c->state = state;
  c->theme = g_strdup (theme);
  return c;
}

static void
add_commitment (BuurtenLedger          *ledger,
                const char             *id,
                const char             *wijk,
                BuurtenFunding          funding,
                gint64                  amount,
                BuurtenCommitmentState  state,
                const char             *theme)
{
  g_autoptr(BuurtenCommitment) c = commitment_new (id, wijk, funding, 2021, amount, state,
                                                   theme);
  g_autoptr(GError) error = NULL;

  g_assert_true (buurten_ledger_add_commitment (ledger, c, &error));
  g_assert_no_error (error);
}

static BuurtenPayment *
payment_new (const char *id,
             const char *commitment_id,
             gint64      amount)
{
  BuurtenPayment *p = buurten_payment_new ();

  p->id = g_strdup (id);
  p->commitment_id = g_strdup (commitment_id);
  p->amount_cents = amount;
  g_date_set_dmy (&p->paid_on, 1, 6, 2021);
  return p;
}

static BuurtenTransfer *
transfer_new (const char *id,
              gint64      year,
              const char *from,
              const char *to,
              gint64      amount)
{
  BuurtenTransfer *t = buurten_transfer_new ();

  t->id = g_strdup (id);
  t->year = year;
  t->from_wijk = g_strdup (from);
  t->to_wijk = g_strdup (to);
  t->amount_cents = amount;
  t->reason = g_strdup ("halfjaarlijkse herverdeling");
  return t;
}

static BuurtenCarryOver *
carry_over_new (const char *id,
                const char *wijk,
                gint64      from_year,
                gint64      amount)
{
  BuurtenCarryOver *c = buurten_carry_over_new ();

  c->id = g_strdup (id);
  c->wijk = g_strdup (wijk);
  c->from_year = from_year;
  c->amount_cents = amount;
  return c;
}

/* Everything a thermometer promises, whatever went in. */
static void
assert_reconciles (const BuurtenThermometer *t)
{
  gint64 approved = 0;
  gint64 pending = 0;
  gint64 spent = 0;

  g_assert_cmpint (t->budget_cents, ==,
                   t->table_budget_cents + t->transfers_in_cents - t->transfers_out_cents +
                   t->carried_in_cents - t->carried_out_cents);
  g_assert_cmpint (t->approved_cents + t->pending_cents + t->free_cents, ==, t->budget_cents);
  g_assert_cmpint (t->spent_cents, <=, t->approved_cents);
  g_assert_cmpint (t->over_budget, ==, t->free_cents < 0);
  g_assert_cmpint (t->over_cents, ==, t->free_cents < 0 ? -t->free_cents : 0);

  for (guint i = 0; i < t->themes->len; i++)
    {
      const BuurtenThemeShare *share = g_ptr_array_index (t->themes, i);

      if (i > 0)
        {
          const BuurtenThemeShare *prev = g_ptr_array_index (t->themes, i - 1);

          g_assert_cmpint (strcmp (prev->theme, share->theme), <, 0);
        }
      approved += share->approved_cents;
      pending += share->pending_cents;
      spent += share->spent_cents;
    }

  g_assert_cmpint (approved, ==, t->approved_cents);
  g_assert_cmpint (pending, ==, t->pending_cents);
  g_assert_cmpint (spent, ==, t->spent_cents);
}

static const BuurtenThemeShare *
find_theme (const BuurtenThermometer *t,
            const char               *theme)
{
  for (guint i = 0; i < t->themes->len; i++)
    {
      const BuurtenThemeShare *share = g_ptr_array_index (t->themes, i);

      if (g_str_equal (share->theme, theme))
        return share;
    }

  return NULL;
}

static void
test_empty_city (void)
{
  g_autoptr(BuurtenLedger) ledger = buurten_ledger_new (municipality, 2021);
  g_autoptr(GPtrArray) city = NULL;
  static const char * const ids[] = {
    "noordoost", "noordwest", "zuid", "zuidoost", "zuidwest", "hilversumse_meent",
    "centrum", "oost", "wijkkansen", "digitaal_platform",
  };
  gint64 total = 0;
  gint64 sum = 0;

  city = buurten_ledger_city (ledger, &total);
  g_assert_cmpuint (city->len, ==, G_N_ELEMENTS (ids));
  for (guint i = 0; i < city->len; i++)
    {
      const BuurtenThermometer *t = g_ptr_array_index (city, i);

      g_assert_cmpstr (t->id, ==, ids[i]);
      g_assert_cmpint (t->year, ==, 2021);
      g_assert_cmpint (t->free_cents, ==, t->budget_cents);
      g_assert_cmpint (t->free_permille, ==, 1000);
      g_assert_cmpint (t->approved_permille, ==, 0);
      g_assert_cmpuint (t->themes->len, ==, 0);
      assert_reconciles (t);
      sum += t->budget_cents;
    }

  /* Tabel 1: € 450.000,00 for the city, to the cent. */
  g_assert_cmpint (total, ==, 45000000);
  g_assert_cmpint (sum, ==, 45000000);
  g_assert_cmpstr (((BuurtenThermometer *) g_ptr_array_index (city, 6))->name, ==, "Centrum");
  g_assert_cmpint (((BuurtenThermometer *) g_ptr_array_index (city, 6))->budget_cents, ==,
                   3250000);
  g_assert_cmpstr (((BuurtenThermometer *) g_ptr_array_index (city, 8))->name, ==,
                   "Bijzondere wijkkansen");

  /* Without the out parameter as well. */
  g_clear_pointer (&city, g_ptr_array_unref);
  city = buurten_ledger_city (ledger, NULL);
  g_assert_cmpuint (city->len, ==, 10);
}

static void
test_reconcile (void)
{
  g_autoptr(BuurtenLedger) ledger = buurten_ledger_new (municipality, 2021);
  g_autoptr(BuurtenThermometer) t = NULL;
  const BuurtenThemeShare *share;

  add_commitment (ledger, "c1", "centrum", BUURTEN_FUNDING_WIJKBUDGET, 125000,
                  BUURTEN_COMMITMENT_APPROVED, "groen");
  add_commitment (ledger, "c2", "centrum", BUURTEN_FUNDING_WIJKBUDGET, 500000,
                  BUURTEN_COMMITMENT_PENDING, "groen");
  add_commitment (ledger, "c3", "centrum", BUURTEN_FUNDING_HANDGELD, 33333,
                  BUURTEN_COMMITMENT_APPROVED, "ontmoeting");
  add_commitment (ledger, "c4", "centrum", BUURTEN_FUNDING_WIJKBUDGET, 70000,
                  BUURTEN_COMMITMENT_CANCELLED, "veiligheid");
  add_commitment (ledger, "c5", "centrum", BUURTEN_FUNDING_WIJKBUDGET, 1,
                  BUURTEN_COMMITMENT_APPROVED, NULL);
  add_commitment (ledger, "c6", "zuid", BUURTEN_FUNDING_WIJKBUDGET, 999999,
                  BUURTEN_COMMITMENT_APPROVED, "groen");

  t = buurten_ledger_wijk (ledger, "centrum");
  g_assert_nonnull (t);
  g_assert_cmpstr (t->id, ==, "centrum");
  g_assert_cmpint (t->budget_cents, ==, 3250000);
  g_assert_cmpint (t->approved_cents, ==, 125000 + 33333 + 1);
  g_assert_cmpint (t->pending_cents, ==, 500000);
  g_assert_cmpint (t->free_cents, ==, 3250000 - 125000 - 33333 - 1 - 500000);
  g_assert_false (t->over_budget);
  assert_reconciles (t);

  /* Themes: the cancelled one is gone, no theme is "". */
  g_assert_cmpuint (t->themes->len, ==, 3);
  share = find_theme (t, "groen");
  g_assert_cmpint (share->approved_cents, ==, 125000);
  g_assert_cmpint (share->pending_cents, ==, 500000);
  share = find_theme (t, "");
  g_assert_nonnull (share);
  g_assert_cmpint (share->approved_cents, ==, 1);
  g_assert_null (find_theme (t, "veiligheid"));
  g_assert_cmpstr (((BuurtenThemeShare *) g_ptr_array_index (t->themes, 0))->theme, ==, "");

  /* 1583.34 of 32500 is 4.87...%, 5000 of 32500 is 15.38...%. */
  g_assert_cmpint (t->approved_permille, ==, 49);
  g_assert_cmpint (t->pending_permille, ==, 154);
}

static void
test_cancel_releases (void)
{
  g_autoptr(BuurtenLedger) ledger = buurten_ledger_new (municipality, 2021);
  g_autoptr(BuurtenThermometer) before = NULL;
  g_autoptr(BuurtenThermometer) pending = NULL;
  g_autoptr(BuurtenThermometer) approved = NULL;
  g_autoptr(BuurtenThermometer) cancelled = NULL;

  before = buurten_ledger_wijk (ledger, "oost");
  add_commitment (ledger, "c1", "oost", BUURTEN_FUNDING_WIJKBUDGET, 400000,
                  BUURTEN_COMMITMENT_PENDING, "spelen");
  pending = buurten_ledger_wijk (ledger, "oost");
  g_assert_cmpint (pending->pending_cents, ==, 400000);
  g_assert_cmpint (pending->free_cents, ==, before->free_cents - 400000);
  assert_reconciles (pending);

  /* The same commitment again, now approved: it moves, not doubles. */
  add_commitment (ledger, "c1", "oost", BUURTEN_FUNDING_WIJKBUDGET, 400000,
                  BUURTEN_COMMITMENT_APPROVED, "spelen");
  approved = buurten_ledger_wijk (ledger, "oost");
  g_assert_cmpint (approved->pending_cents, ==, 0);
  g_assert_cmpint (approved->approved_cents, ==, 400000);
  assert_reconciles (approved);

  add_commitment (ledger, "c1", "oost", BUURTEN_FUNDING_WIJKBUDGET, 400000,
                  BUURTEN_COMMITMENT_CANCELLED, "spelen");
  cancelled = buurten_ledger_wijk (ledger, "oost");
  g_assert_cmpint (cancelled->pending_cents, ==, 0);
  g_assert_cmpint (cancelled->approved_cents, ==, 0);
  g_assert_cmpint (cancelled->free_cents, ==, before->free_cents);
  g_assert_cmpuint (cancelled->themes->len, ==, 0);
  assert_reconciles (cancelled);
}

/* The verantwoording releases what was approved and never paid: approved
 * goes down by it, free goes up by it, spent stays, the account
 * reconciles to the cent, and nothing more can be paid. */
static void
test_release (void)
{
  g_autoptr(BuurtenLedger) ledger = buurten_ledger_new (municipality, 2021);
  g_autoptr(BuurtenLedger) again = buurten_ledger_new (municipality, 2021);
  g_autoptr(BuurtenCommitment) c = NULL;
  g_autoptr(BuurtenPayment) p = payment_new ("p1", "c1", 387655);
  g_autoptr(BuurtenPayment) more = payment_new ("p2", "c1", 1);
  g_autoptr(BuurtenThermometer) paid = NULL;
  g_autoptr(BuurtenThermometer) released = NULL;
  g_autoptr(GError) error = NULL;
  gint64 left = -1;

  add_commitment (ledger, "c1", "oost", BUURTEN_FUNDING_WIJKBUDGET, 450000,
                  BUURTEN_COMMITMENT_APPROVED, "groen");
  g_assert_true (buurten_ledger_add_payment (ledger, p, &error));
  g_assert_no_error (error);
  paid = buurten_ledger_wijk (ledger, "oost");
  g_assert_true (buurten_ledger_commitment_left (ledger, "c1", &left));
  g_assert_cmpint (left, ==, 62345);

  /* The same commitment as the verantwoording left it. */
  c = commitment_new ("c1", "oost", BUURTEN_FUNDING_WIJKBUDGET, 2021, 450000,
                      BUURTEN_COMMITMENT_APPROVED, "groen");
  c->released_cents = buurten_commitment_left (c, 387655);
  g_assert_cmpint (c->released_cents, ==, 62345);
  g_assert_true (buurten_ledger_add_commitment (ledger, c, &error));
  g_assert_no_error (error);
  released = buurten_ledger_wijk (ledger, "oost");
  g_assert_cmpint (released->approved_cents, ==, paid->approved_cents - 62345);
  g_assert_cmpint (released->free_cents, ==, paid->free_cents + 62345);
  g_assert_cmpint (released->spent_cents, ==, paid->spent_cents);
  g_assert_cmpint (released->budget_cents, ==,
                   released->free_cents + released->pending_cents +
                   (released->approved_cents - released->spent_cents) + released->spent_cents);
  assert_reconciles (released);
  g_assert_true (buurten_ledger_commitment_left (ledger, "c1", &left));
  g_assert_cmpint (left, ==, 0);
  g_assert_false (buurten_ledger_add_payment (ledger, more, &error));
  g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID);
  g_clear_error (&error);

  /* Fed in the other order (as a laptop may get them), the same totals. */
  g_assert_true (buurten_ledger_add_commitment (again, c, &error));
  g_assert_true (buurten_ledger_add_payment (again, p, &error));
  g_assert_no_error (error);
  g_clear_pointer (&paid, buurten_thermometer_free);
  paid = buurten_ledger_wijk (again, "oost");
  g_assert_cmpint (paid->free_cents, ==, released->free_cents);
  g_assert_cmpint (paid->spent_cents, ==, released->spent_cents);
}

static void
test_payments (void)
{
  g_autoptr(BuurtenLedger) ledger = buurten_ledger_new (municipality, 2021);
  g_autoptr(BuurtenThermometer) t = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BuurtenPayment) p1 = payment_new ("p1", "c1", 40000);
  g_autoptr(BuurtenPayment) p2 = payment_new ("p2", "c1", 60001);
  g_autoptr(BuurtenPayment) p3 = payment_new ("p3", "c1", 60000);
  g_autoptr(BuurtenPayment) p4 = payment_new ("p4", "c2", 100);
  g_autoptr(BuurtenPayment) p5 = payment_new ("p5", "nope", 100);
  g_autoptr(BuurtenPayment) p6 = payment_new ("p6", "c3", 100);
  g_autoptr(BuurtenPayment) p7 = payment_new ("p7", "c1", 0);
  g_autoptr(BuurtenCommitment) other = commitment_new ("c3", "zuid", BUURTEN_FUNDING_WIJKBUDGET,
                                                       2020, 5000, BUURTEN_COMMITMENT_APPROVED,
                                                       NULL);

  add_commitment (ledger, "c1", "zuid", BUURTEN_FUNDING_WIJKBUDGET, 100000,
                  BUURTEN_COMMITMENT_APPROVED, "cultuur");
  add_commitment (ledger, "c2", "zuid", BUURTEN_FUNDING_WIJKBUDGET, 100000,
                  BUURTEN_COMMITMENT_PENDING, "cultuur");
  g_assert_true (buurten_ledger_add_commitment (ledger, other, &error));
  g_assert_no_error (error);

  g_assert_true (buurten_ledger_add_payment (ledger, p1, &error));
  g_assert_no_error (error);

  /* More than is left on the commitment. */
  g_assert_false (buurten_ledger_add_payment (ledger, p2, &error));
  g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID);
  g_clear_error (&error);

  /* Exactly what is left. */
  g_assert_true (buurten_ledger_add_payment (ledger, p3, &error));
  g_assert_no_error (error);

  /* The same payment twice. */
  g_assert_false (buurten_ledger_add_payment (ledger, p1, &error));
  g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID);
  g_clear_error (&error);

  /* A pending commitment is not paid. */
  g_assert_false (buurten_ledger_add_payment (ledger, p4, &error));
  g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID_STATE);
  g_clear_error (&error);

  /* A payment without its commitment. */
  g_assert_false (buurten_ledger_add_payment (ledger, p5, &error));
  g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_false (buurten_ledger_add_payment (ledger, p7, &error));
  g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID);
  g_clear_error (&error);

  /* A payment on a commitment of another year belongs to that year. */
  g_assert_true (buurten_ledger_add_payment (ledger, p6, &error));
  g_assert_no_error (error);

  t = buurten_ledger_wijk (ledger, "zuid");
  g_assert_cmpint (t->spent_cents, ==, 100000);
  g_assert_cmpint (t->approved_cents, ==, 100000);
  g_assert_cmpint (t->pending_cents, ==, 100000);
  g_assert_cmpint (find_theme (t, "cultuur")->spent_cents, ==, 100000);
  g_assert_cmpint (t->spent_permille, ==, 16);    /* 1000 of 61750 is 1.619...% */
  assert_reconciles (t);
  g_clear_pointer (&t, buurten_thermometer_free);

  /* Cancelled after payment: nothing counts any more, spent included. */
  add_commitment (ledger, "c1", "zuid", BUURTEN_FUNDING_WIJKBUDGET, 100000,
                  BUURTEN_COMMITMENT_CANCELLED, "cultuur");
  t = buurten_ledger_wijk (ledger, "zuid");
  g_assert_cmpint (t->spent_cents, ==, 0);
  g_assert_cmpint (t->approved_cents, ==, 0);
  assert_reconciles (t);
}

static void
test_transfers (void)
{
  g_autoptr(BuurtenLedger) ledger = buurten_ledger_new (municipality, 2021);
  g_autoptr(GError) error = NULL;
  g_autoptr(BuurtenTransfer) t1 = transfer_new ("t1", 2021, "zuid", "centrum", 500000);
  g_autoptr(BuurtenTransfer) t2 = transfer_new ("t2", 2022, "zuid", "centrum", 700000);
  g_autoptr(BuurtenTransfer) t3 = transfer_new ("t3", 2021, "zuid", "west", 100);
  g_autoptr(BuurtenTransfer) t4 = transfer_new ("t4", 2021, "zuid", "zuid", 100);
  g_autoptr(BuurtenTransfer) t5 = transfer_new ("t5", 2021, "oost", "zuid", -100);
  g_autoptr(BuurtenThermometer) centrum = NULL;
  g_autoptr(BuurtenThermometer) zuid = NULL;
  g_autoptr(GPtrArray) city = NULL;
  gint64 total;

  g_assert_true (buurten_ledger_add_transfer (ledger, t1, &error));
  g_assert_no_error (error);
  g_assert_true (buurten_ledger_add_transfer (ledger, t2, &error));
  g_assert_no_error (error);
  g_assert_false (buurten_ledger_add_transfer (ledger, t3, &error));
  g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (buurten_ledger_add_transfer (ledger, t4, &error));
  g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (buurten_ledger_add_transfer (ledger, t5, &error));
  g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (buurten_ledger_add_transfer (ledger, t1, &error));
  g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID);
  g_clear_error (&error);

  centrum = buurten_ledger_wijk (ledger, "centrum");
  zuid = buurten_ledger_wijk (ledger, "zuid");
  g_assert_cmpint (centrum->table_budget_cents, ==, 3250000);
  g_assert_cmpint (centrum->transfers_in_cents, ==, 500000);
  g_assert_cmpint (centrum->budget_cents, ==, 3750000);
  g_assert_cmpint (zuid->transfers_out_cents, ==, 500000);
  g_assert_cmpint (zuid->budget_cents, ==, 6175000 - 500000);
  assert_reconciles (centrum);
  assert_reconciles (zuid);

  /* Moving money between wijken does not change the city's total. */
  city = buurten_ledger_city (ledger, &total);
  g_assert_cmpint (total, ==, 45000000);
}

static void
test_carry_over (void)
{
  g_autoptr(BuurtenLedger) ledger = buurten_ledger_new (municipality, 2022);
  g_autoptr(GError) error = NULL;
  g_autoptr(BuurtenCarryOver) in = carry_over_new ("k1", "centrum", 2021, 100000);
  g_autoptr(BuurtenCarryOver) out = carry_over_new ("k2", "zuid", 2022, 50000);
  g_autoptr(BuurtenCarryOver) old = carry_over_new ("k3", "zuid", 2020, 70000);
  g_autoptr(BuurtenCarryOver) bad = carry_over_new ("k4", "west", 2021, 70000);
  g_autoptr(BuurtenThermometer) centrum = NULL;
  g_autoptr(BuurtenThermometer) zuid = NULL;
  g_autoptr(GPtrArray) city = NULL;
  gint64 total;

  g_assert_true (buurten_ledger_add_carry_over (ledger, in, &error));
  g_assert_no_error (error);
  g_assert_true (buurten_ledger_add_carry_over (ledger, out, &error));
  g_assert_no_error (error);
  g_assert_true (buurten_ledger_add_carry_over (ledger, old, &error));
  g_assert_no_error (error);
  g_assert_false (buurten_ledger_add_carry_over (ledger, bad, &error));
  g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID);
  g_clear_error (&error);

  centrum = buurten_ledger_wijk (ledger, "centrum");
  zuid = buurten_ledger_wijk (ledger, "zuid");
  g_assert_cmpint (centrum->carried_in_cents, ==, 100000);
  g_assert_cmpint (centrum->budget_cents, ==, 3350000);
  g_assert_cmpint (zuid->carried_out_cents, ==, 50000);
  g_assert_cmpint (zuid->carried_in_cents, ==, 0);
  g_assert_cmpint (zuid->budget_cents, ==, 6125000);
  assert_reconciles (centrum);
  assert_reconciles (zuid);

  city = buurten_ledger_city (ledger, &total);
  g_assert_cmpint (total, ==, 45000000 + 100000 - 50000);
}

static void
test_over_budget (void)
{
  g_autoptr(BuurtenLedger) ledger = buurten_ledger_new (municipality, 2021);
  g_autoptr(BuurtenThermometer) exact = NULL;
  g_autoptr(BuurtenThermometer) over = NULL;

  add_commitment (ledger, "c1", "centrum", BUURTEN_FUNDING_WIJKBUDGET, 2500000,
                  BUURTEN_COMMITMENT_APPROVED, "groen");
  add_commitment (ledger, "c2", "centrum", BUURTEN_FUNDING_HANDGELD, 750000,
                  BUURTEN_COMMITMENT_PENDING, "groen");
  exact = buurten_ledger_wijk (ledger, "centrum");
  g_assert_cmpint (exact->free_cents, ==, 0);
  g_assert_false (exact->over_budget);
  g_assert_cmpint (exact->over_cents, ==, 0);
  g_assert_cmpint (exact->free_permille, ==, 0);
  assert_reconciles (exact);

  add_commitment (ledger, "c3", "centrum", BUURTEN_FUNDING_WIJKBUDGET, 1,
                  BUURTEN_COMMITMENT_PENDING, "groen");
  over = buurten_ledger_wijk (ledger, "centrum");
  g_assert_cmpint (over->free_cents, ==, -1);
  g_assert_true (over->over_budget);
  g_assert_cmpint (over->over_cents, ==, 1);
  g_assert_cmpint (over->free_permille, ==, 0);
  assert_reconciles (over);
}

static void
test_pots (void)
{
  g_autoptr(BuurtenLedger) ledger = buurten_ledger_new (municipality, 2021);
  g_autoptr(BuurtenThermometer) pot = NULL;
  g_autoptr(BuurtenThermometer) platform = NULL;
  g_autoptr(BuurtenThermometer) zuid = NULL;
  g_autoptr(BuurtenCommitment) unknown = commitment_new ("x", "west",
                                                         BUURTEN_FUNDING_WIJKKANSEN, 2021,
                                                         100, BUURTEN_COMMITMENT_PENDING,
                                                         NULL);
  g_autoptr(GError) error = NULL;

  add_commitment (ledger, "k1", "zuid", BUURTEN_FUNDING_WIJKKANSEN, 3000000,
                  BUURTEN_COMMITMENT_APPROVED, "spelen");
  add_commitment (ledger, "k2", NULL, BUURTEN_FUNDING_WIJKKANSEN, 4500000,
                  BUURTEN_COMMITMENT_PENDING, "cultuur");
  add_commitment (ledger, "i1", "zuid", BUURTEN_FUNDING_INVESTERING, 90000000,
                  BUURTEN_COMMITMENT_APPROVED, "spelen");
  g_assert_false (buurten_ledger_add_commitment (ledger, unknown, &error));
  g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID);

  pot = buurten_ledger_pot (ledger, "wijkkansen");
  g_assert_cmpstr (pot->name, ==, "Bijzondere wijkkansen");
  g_assert_cmpint (pot->budget_cents, ==, 7500000);
  g_assert_cmpint (pot->approved_cents, ==, 3000000);
  g_assert_cmpint (pot->pending_cents, ==, 4500000);
  g_assert_cmpint (pot->free_cents, ==, 0);
  g_assert_cmpint (pot->approved_permille, ==, 400);
  g_assert_cmpint (pot->pending_permille, ==, 600);
  assert_reconciles (pot);

  /* Neither the wijkkansen nor the investment count against the wijk. */
  zuid = buurten_ledger_wijk (ledger, "zuid");
  g_assert_cmpint (zuid->approved_cents, ==, 0);
  g_assert_cmpint (zuid->free_cents, ==, zuid->budget_cents);

  platform = buurten_ledger_pot (ledger, "digitaal_platform");
  g_assert_cmpint (platform->budget_cents, ==, 5000000);
  g_assert_cmpint (platform->free_cents, ==, 5000000);

  g_assert_null (buurten_ledger_pot (ledger, "lotto"));
  g_assert_null (buurten_ledger_pot (ledger, NULL));
  g_assert_null (buurten_ledger_wijk (ledger, "west"));
  g_assert_null (buurten_ledger_wijk (ledger, "wijkkansen"));
}

static void
test_invalid_entries (void)
{
  g_autoptr(BuurtenLedger) ledger = buurten_ledger_new (municipality, 2021);
  g_autoptr(BuurtenCommitment) unknown = commitment_new ("a", "west", BUURTEN_FUNDING_WIJKBUDGET,
                                                         2021, 100, BUURTEN_COMMITMENT_PENDING,
                                                         NULL);
  g_autoptr(BuurtenCommitment) no_wijk = commitment_new ("b", NULL, BUURTEN_FUNDING_HANDGELD,
                                                         2021, 100, BUURTEN_COMMITMENT_PENDING,
                                                         NULL);
  g_autoptr(BuurtenCommitment) zero = commitment_new ("c", "zuid", BUURTEN_FUNDING_HANDGELD,
                                                      2021, 0, BUURTEN_COMMITMENT_PENDING,
                                                      NULL);
  g_autoptr(BuurtenCommitment) no_id = commitment_new (NULL, "zuid", BUURTEN_FUNDING_HANDGELD,
                                                       2021, 10, BUURTEN_COMMITMENT_PENDING,
                                                       NULL);
  g_autoptr(BuurtenCommitment) other_year = commitment_new ("d", "west",
                                                            BUURTEN_FUNDING_WIJKBUDGET, 2022,
                                                            100, BUURTEN_COMMITMENT_PENDING,
                                                            NULL);
  g_autoptr(GPtrArray) city = NULL;
  g_autoptr(GError) error = NULL;
  gint64 total;

  g_assert_false (buurten_ledger_add_commitment (ledger, unknown, &error));
  g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (buurten_ledger_add_commitment (ledger, no_wijk, &error));
  g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (buurten_ledger_add_commitment (ledger, zero, &error));
  g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (buurten_ledger_add_commitment (ledger, no_id, &error));
  g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID);
  g_clear_error (&error);

  /* Other years are ignored, even with a wijk that does not exist. */
  g_assert_true (buurten_ledger_add_commitment (ledger, other_year, &error));
  g_assert_no_error (error);

  /* Nothing of it was counted. */
  city = buurten_ledger_city (ledger, &total);
  g_assert_cmpint (total, ==, 45000000);
  for (guint i = 0; i < city->len; i++)
    {
      const BuurtenThermometer *t = g_ptr_array_index (city, i);

      g_assert_cmpint (t->free_cents, ==, t->budget_cents);
    }
}

/* A commitment moved to another year stops counting here. */
static void
test_moved_year (void)
{
  g_autoptr(BuurtenLedger) ledger = buurten_ledger_new (municipality, 2021);
  g_autoptr(BuurtenCommitment) moved = commitment_new ("c1", "zuid", BUURTEN_FUNDING_WIJKBUDGET,
                                                       2022, 10000, BUURTEN_COMMITMENT_PENDING,
                                                       "x");
  g_autoptr(BuurtenThermometer) t = NULL;
  g_autoptr(GError) error = NULL;

  add_commitment (ledger, "c1", "zuid", BUURTEN_FUNDING_WIJKBUDGET, 10000,
                  BUURTEN_COMMITMENT_PENDING, "x");
  g_assert_true (buurten_ledger_add_commitment (ledger, moved, &error));
  g_assert_no_error (error);

  t = buurten_ledger_wijk (ledger, "zuid");
  g_assert_cmpint (t->pending_cents, ==, 0);
  g_assert_cmpuint (t->themes->len, ==, 0);
  assert_reconciles (t);
}

static void
test_years (void)
{
  g_autoptr(BuurtenLedger) later = buurten_ledger_new (municipality, 2026);
  g_autoptr(BuurtenLedger) before = buurten_ledger_new (municipality, 2020);
  g_autoptr(BuurtenThermometer) t = NULL;
  g_autoptr(GPtrArray) city = NULL;
  g_autoptr(BuurtenCommitment) c = commitment_new ("c1", "zuid", BUURTEN_FUNDING_WIJKKANSEN,
                                                   2020, 100, BUURTEN_COMMITMENT_PENDING, NULL);
  g_autoptr(GError) error = NULL;
  gint64 total;

  /* 2026 still uses the 2021 table. */
  city = buurten_ledger_city (later, &total);
  g_assert_cmpint (total, ==, 45000000);
  t = buurten_ledger_wijk (later, "centrum");
  g_assert_cmpint (t->table_budget_cents, ==, 3250000);
  g_assert_cmpint (t->year, ==, 2026);
  g_clear_pointer (&t, buurten_thermometer_free);
  g_clear_pointer (&city, g_ptr_array_unref);

  /* Before the first table: wijken with nothing, no pots. */
  city = buurten_ledger_city (before, &total);
  g_assert_cmpint (total, ==, 0);
  g_assert_cmpuint (city->len, ==, 8);
  t = buurten_ledger_wijk (before, "centrum");
  g_assert_cmpint (t->budget_cents, ==, 0);
  g_assert_cmpint (t->free_permille, ==, 0);
  g_assert_null (buurten_ledger_pot (before, "wijkkansen"));
  g_assert_false (buurten_ledger_add_commitment (before, c, &error));
  g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID);
}

/* A municipality whose 2027 table gives Centrum € 40.000,00 subsidy. */
static BuurtenMunicipality *
municipality_with_2027 (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("BUURTEN_DATA_DIR") != NULL
                                              ? g_getenv ("BUURTEN_DATA_DIR")
                                              : SOURCE_DATADIR,
                                            "municipalities", "hilversum.json", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *table_text = NULL;
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) table = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *table_object;
  JsonArray *tables;
  JsonArray *wijken;
  BuurtenMunicipality *m;

  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  root = json_from_string (contents, &error);
  g_assert_no_error (error);
  tables = json_object_get_array_member (json_node_get_object (root), "budget_tables");

  /* A deep copy of the 2021 table, through text. */
  table_text = json_to_string (json_array_get_element (tables, 0), FALSE);
  table = json_from_string (table_text, &error);
  g_assert_no_error (error);
  table_object = json_node_get_object (table);
  json_object_set_int_member (table_object, "valid_from", 2027);
  wijken = json_object_get_array_member (table_object, "wijken");
  for (guint i = 0; i < json_array_get_length (wijken); i++)
    {
      JsonObject *row = json_array_get_object_element (wijken, i);

      if (g_str_equal (json_object_get_string_member (row, "wijk"), "centrum"))
        json_object_set_int_member (row, "subsidy_cents", 4000000);
    }
  json_array_add_element (tables, g_steal_pointer (&table));

  text = json_to_string (root, TRUE);
  m = buurten_municipality_new_from_data (text, -1, &error);
  g_assert_no_error (error);
  return m;
}

static void
test_later_table (void)
{
  g_autoptr(BuurtenMunicipality) m = municipality_with_2027 ();
  g_autoptr(BuurtenLedger) l2026 = buurten_ledger_new (m, 2026);
  g_autoptr(BuurtenLedger) l2027 = buurten_ledger_new (m, 2027);
  g_autoptr(BuurtenLedger) l2031 = buurten_ledger_new (m, 2031);
  g_autoptr(BuurtenThermometer) t2026 = buurten_ledger_wijk (l2026, "centrum");
  g_autoptr(BuurtenThermometer) t2027 = buurten_ledger_wijk (l2027, "centrum");
  g_autoptr(BuurtenThermometer) t2031 = buurten_ledger_wijk (l2031, "centrum");
  g_autoptr(GPtrArray) city = NULL;
  gint64 total;

  g_assert_cmpint (t2026->table_budget_cents, ==, 3250000);
  g_assert_cmpint (t2027->table_budget_cents, ==, 4450000);
  g_assert_cmpint (t2031->table_budget_cents, ==, 4450000);

  city = buurten_ledger_city (l2027, &total);
  g_assert_cmpint (total, ==, 45000000 + 1200000);
}

/* The ledger must stay fast for a city's worth of commitments: the
 * thermometer of one wijk may not depend on their number. */
static void
test_performance (void)
{
  g_autoptr(BuurtenLedger) ledger = buurten_ledger_new (municipality, 2021);
  GPtrArray *wijken = buurten_municipality_get_wijken (municipality);
  g_autoptr(BuurtenThermometer) t = NULL;
  static const char * const themes[] = { "groen", "spelen", "cultuur", "ontmoeting", "veilig" };
  gint64 start;
  gint64 add_us;
  gint64 thermometer_us;

  start = g_get_monotonic_time ();
  for (guint i = 0; i < 10000; i++)
    {
      const BuurtenWijk *wijk = g_ptr_array_index (wijken, i % wijken->len);
      g_autofree char *id = g_strdup_printf ("c%u", i);
      g_autoptr(BuurtenCommitment) c = commitment_new (id, wijk->id,
                                                       i % 3 == 0 ? BUURTEN_FUNDING_HANDGELD
                                                                  : BUURTEN_FUNDING_WIJKBUDGET,
                                                       2021, 100 + i,
                                                       i % 4 == 0 ? BUURTEN_COMMITMENT_PENDING
                                                                  : BUURTEN_COMMITMENT_APPROVED,
                                                       themes[i % G_N_ELEMENTS (themes)]);

      g_assert_true (buurten_ledger_add_commitment (ledger, c, NULL));
    }
  add_us = g_get_monotonic_time () - start;

  start = g_get_monotonic_time ();
  t = buurten_ledger_wijk (ledger, "centrum");
  thermometer_us = g_get_monotonic_time () - start;

  g_test_message ("10000 commitments in %" G_GINT64_FORMAT " µs, one thermometer in %"
                  G_GINT64_FORMAT " µs", add_us, thermometer_us);
  g_assert_cmpint (thermometer_us, <, 5000);
  g_assert_cmpint (add_us, <, 2 * G_USEC_PER_SEC);
  g_assert_cmpint (t->approved_cents + t->pending_cents, >, 0);
  assert_reconciles (t);
}

static void
test_criticals (void)
{
  g_test_expect_message ("buurten-ledger", G_LOG_LEVEL_CRITICAL, "*BUURTEN_IS_MUNICIPALITY*");
  g_assert_null (buurten_ledger_new (NULL, 2021));
  g_test_assert_expected_messages ();

  g_test_expect_message ("buurten-ledger", G_LOG_LEVEL_CRITICAL, "*self != NULL*");
  g_assert_null (buurten_ledger_wijk (NULL, "zuid"));
  g_test_assert_expected_messages ();

  buurten_ledger_free (NULL);
  buurten_thermometer_free (NULL);
}

/* The preview is the ledger's own arithmetic: previewing a commitment
 * gives exactly the thermometer the ledger computes once it is added,
 * including reaching the budget to the cent and running over by one. */
static void
assert_same_figures (const BuurtenThermometer *a,
                     const BuurtenThermometer *b)
{
  g_assert_cmpstr (a->id, ==, b->id);
  g_assert_cmpstr (a->name, ==, b->name);
  g_assert_cmpint (a->budget_cents, ==, b->budget_cents);
  g_assert_cmpint (a->approved_cents, ==, b->approved_cents);
  g_assert_cmpint (a->pending_cents, ==, b->pending_cents);
  g_assert_cmpint (a->spent_cents, ==, b->spent_cents);
  g_assert_cmpint (a->free_cents, ==, b->free_cents);
  g_assert_cmpint (a->over_budget, ==, b->over_budget);
  g_assert_cmpint (a->over_cents, ==, b->over_cents);
  g_assert_cmpint (a->approved_permille, ==, b->approved_permille);
  g_assert_cmpint (a->pending_permille, ==, b->pending_permille);
  g_assert_cmpint (a->spent_permille, ==, b->spent_permille);
  g_assert_cmpint (a->free_permille, ==, b->free_permille);
}

static void
test_preview (void)
{
  g_autoptr(BuurtenLedger) ledger = buurten_ledger_new (municipality, 2021);
  g_autoptr(BuurtenThermometer) before = NULL;
  g_autoptr(BuurtenThermometer) copy = NULL;
  g_autoptr(BuurtenThermometer) pending = NULL;
  g_autoptr(BuurtenThermometer) after_pending = NULL;
  g_autoptr(BuurtenThermometer) exact = NULL;
  g_autoptr(BuurtenThermometer) over = NULL;
  g_autoptr(BuurtenThermometer) after_over = NULL;
  g_autoptr(BuurtenThermometer) huge = NULL;

  add_commitment (ledger, "c1", "centrum", BUURTEN_FUNDING_WIJKBUDGET, 1240000,
                  BUURTEN_COMMITMENT_APPROVED, "groen");
  before = buurten_ledger_wijk (ledger, "centrum");
  g_assert_cmpuint (before->themes->len, ==, 1);

  copy = buurten_thermometer_copy (before);
  assert_same_figures (copy, before);
  g_assert_true (copy->themes != before->themes);
  g_assert_cmpuint (copy->themes->len, ==, 1);
  g_assert_cmpstr (((BuurtenThemeShare *) g_ptr_array_index (copy->themes, 0))->theme, ==,
                   "groen");

  /* € 1.500 pending: shown apart from approved. */
  pending = buurten_thermometer_preview (before, 150000, FALSE, "groen");
  g_assert_cmpint (pending->pending_cents, ==, 150000);
  g_assert_cmpint (pending->approved_cents, ==, 1240000);
  g_assert_cmpint (pending->free_cents, ==, 3250000 - 1240000 - 150000);
  add_commitment (ledger, "c2", "centrum", BUURTEN_FUNDING_WIJKBUDGET, 150000,
                  BUURTEN_COMMITMENT_PENDING, "groen");
  after_pending = buurten_ledger_wijk (ledger, "centrum");
  assert_same_figures (pending, after_pending);
  assert_reconciles (pending);

  /* To the last cent is not over budget; one cent more is. */
  exact = buurten_thermometer_preview (after_pending, after_pending->free_cents, TRUE,
                                       "spelen");
  g_assert_cmpint (exact->free_cents, ==, 0);
  g_assert_false (exact->over_budget);
  over = buurten_thermometer_preview (after_pending, after_pending->free_cents + 1, TRUE,
                                      "spelen");
  g_assert_cmpint (over->free_cents, ==, -1);
  g_assert_true (over->over_budget);
  g_assert_cmpint (over->over_cents, ==, 1);
  assert_reconciles (exact);
  assert_reconciles (over);
  add_commitment (ledger, "c3", "centrum", BUURTEN_FUNDING_WIJKBUDGET,
                  after_pending->free_cents + 1, BUURTEN_COMMITMENT_APPROVED, "spelen");
  after_over = buurten_ledger_wijk (ledger, "centrum");
  assert_same_figures (over, after_over);
  /* A new theme takes its sorted place: "groen" < "spelen". */
  g_assert_cmpuint (over->themes->len, ==, 2);
  g_assert_cmpstr (((BuurtenThemeShare *) g_ptr_array_index (over->themes, 1))->theme, ==,
                   "spelen");
  g_assert_cmpint (((BuurtenThemeShare *) g_ptr_array_index (over->themes, 1))->approved_cents,
                   ==, after_pending->free_cents + 1);

  /* The original is untouched. */
  g_assert_cmpint (before->pending_cents, ==, 0);
  g_assert_cmpint (before->free_cents, ==, 3250000 - 1240000);

  /* Beyond the money range: no preview. */
  huge = buurten_thermometer_preview (before, BUURTEN_MONEY_MAX_CENTS, FALSE, NULL);
  g_assert_null (huge);

  g_test_expect_message ("buurten-ledger", G_LOG_LEVEL_CRITICAL, "*amount_cents >= 0*");
  g_assert_null (buurten_thermometer_preview (before, -1, FALSE, NULL));
  g_test_assert_expected_messages ();
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  municipality = buurten_municipality_new_default (&error);
  g_assert_no_error (error);

  g_test_add_func ("/ledger/empty-city", test_empty_city);
  g_test_add_func ("/ledger/reconcile", test_reconcile);
  g_test_add_func ("/ledger/cancel-releases", test_cancel_releases);
  g_test_add_func ("/ledger/payments", test_payments);
  g_test_add_func ("/ledger/release", test_release);
  g_test_add_func ("/ledger/transfers", test_transfers);
  g_test_add_func ("/ledger/carry-over", test_carry_over);
  g_test_add_func ("/ledger/over-budget", test_over_budget);
  g_test_add_func ("/ledger/pots", test_pots);
  g_test_add_func ("/ledger/invalid-entries", test_invalid_entries);
  g_test_add_func ("/ledger/moved-year", test_moved_year);
  g_test_add_func ("/ledger/years", test_years);
  g_test_add_func ("/ledger/later-table", test_later_table);
  g_test_add_func ("/ledger/performance", test_performance);
  g_test_add_func ("/ledger/criticals", test_criticals);
  g_test_add_func ("/ledger/preview", test_preview);

  ret = g_test_run ();
  g_clear_object (&municipality);
  return ret;
}
