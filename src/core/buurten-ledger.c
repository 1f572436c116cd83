/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-ledger"

#include "config.h"

#include "buurten-ledger.h"

#include <string.h>

#include <glib/gi18n.h>

#include "buurten-error.h"
#include "buurten-money.h"

/* The ledger keeps running totals per account (wijk or pot) and per theme,
 * updated as entries come in, so that a thermometer costs only the number
 * of themes of one account, whatever the number of commitments. */

typedef struct
{
  gint64 approved;
  gint64 pending;
  gint64 spent;
} Totals;

typedef struct
{
  char       *id;
  char       *name;
  gint64      table_budget;
  gint64      transfers_in;
  gint64      transfers_out;
  gint64      carried_in;
  gint64      carried_out;
  Totals      totals;
  GHashTable *themes;          /* theme ("" for none) -> Totals* */
} Account;

/* What a commitment of this year contributes, remembered so that a later
 * version of the same commitment (approved, cancelled) replaces it and
 * payments can find it. */
typedef struct
{
  Account                *account;   /* NULL for investering */
  char                   *theme;
  BuurtenCommitmentState  state;
  gint64                  amount;
  gint64                  released;  /* given back by the verantwoording */
  gint64                  paid;
} Entry;

struct _BuurtenLedger
{
  BuurtenMunicipality *municipality;
  int                  year;
  GPtrArray           *accounts;      /* Account*: wijken in file order, then pots */
  GHashTable          *wijken;        /* id -> Account* (borrowed) */
  GHashTable          *pots;          /* id -> Account* (borrowed) */
  GHashTable          *commitments;   /* id -> Entry* */
  GHashTable          *other_years;   /* ids of commitments of other years */
  GHashTable          *recorded;      /* ids of payments, transfers, carry-overs */
};

#define WIJKKANSEN_POT "wijkkansen"

static void
account_free (gpointer data)
{
  Account *account = data;

  g_free (account->id);
  g_free (account->name);
  g_clear_pointer (&account->themes, g_hash_table_unref);
  g_free (account);
}

static Account *
account_new (const char *id,
             const char *name,
             gint64      table_budget)
{
  Account *account = g_new0 (Account, 1);

  account->id = g_strdup (id);
  account->name = g_strdup (name);
  account->table_budget = table_budget;
  account->themes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return account;
}

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_free (entry->theme);
  g_free (entry);
}

static gint64
account_budget (const Account *account)
{
  return account->table_budget + account->transfers_in - account->transfers_out +
         account->carried_in - account->carried_out;
}

/* Payments count as spent only while the commitment is approved, and
 * never for more than the commitment itself, so that spent <= approved
 * holds whatever order versions of a commitment arrive in. */
static Totals
entry_totals (const Entry *entry)
{
  Totals totals = { 0, 0, 0 };

  switch (entry->state)
    {
    case BUURTEN_COMMITMENT_APPROVED:
      /* What the verantwoording released is free again. */
      totals.approved = entry->amount - entry->released;
      totals.spent = MIN (entry->paid, totals.approved);
      break;
    case BUURTEN_COMMITMENT_PENDING:
      totals.pending = entry->amount;
      break;
    case BUURTEN_COMMITMENT_CANCELLED:
    default:
      /* A cancellation releases the money. */
      break;
    }

  return totals;
}

static void
entry_apply (const Entry *entry,
             int          sign)
{
  Totals delta;
  Totals *theme;

  if (entry->account == NULL)
    return;

  delta = entry_totals (entry);
  entry->account->totals.approved += sign * delta.approved;
  entry->account->totals.pending += sign * delta.pending;
  entry->account->totals.spent += sign * delta.spent;

  theme = g_hash_table_lookup (entry->account->themes, entry->theme);
  if (theme == NULL)
    {
      theme = g_new0 (Totals, 1);
      g_hash_table_insert (entry->account->themes, g_strdup (entry->theme), theme);
    }
  theme->approved += sign * delta.approved;
  theme->pending += sign * delta.pending;
  theme->spent += sign * delta.spent;
}

static Account *
lookup_wijk (BuurtenLedger  *self,
             const char     *what,
             const char     *wijk,
             GError        **error)
{
  Account *account = wijk != NULL ? g_hash_table_lookup (self->wijken, wijk) : NULL;

  if (account == NULL)
    g_set_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID,
                 _("%s: unknown wijk “%s”"), what, wijk != NULL ? wijk : "");

  return account;
}

static gboolean
check_amount (const char  *what,
              gint64       amount,
              GError     **error)
{
  if (amount <= 0 || amount > BUURTEN_MONEY_MAX_CENTS)
    {
      g_set_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID,
                   _("%s: must be more than zero and within range"), what);
      return FALSE;
    }

  return TRUE;
}

/* Entries are fed from the store; one fed twice would count twice. */
static gboolean
check_new_id (BuurtenLedger  *self,
              const char     *what,
              const char     *id,
              GError        **error)
{
  if (id == NULL)
    return TRUE;

  if (g_hash_table_contains (self->recorded, id))
    {
      g_set_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID,
                   _("%s: “%s” is already in the ledger"), what, id);
      return FALSE;
    }

  return TRUE;
}

static void
remember_id (BuurtenLedger *self,
             const char    *id)
{
  if (id != NULL)
    g_hash_table_add (self->recorded, g_strdup (id));
}

static gboolean
checked_add (gint64  *total,
             gint64   amount,
             GError **error)
{
  if (!buurten_money_add (*total, amount, total))
    {
      g_set_error_literal (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_OVERFLOW,
                           _("The ledger's totals are larger than the largest amount "
                             "Buurten handles"));
      return FALSE;
    }

  return TRUE;
}

BuurtenLedger *
buurten_ledger_new (BuurtenMunicipality *municipality,
                    int                  year)
{
  const BuurtenBudgetTable *table;
  BuurtenLedger *self;
  GPtrArray *wijken;

  g_return_val_if_fail (BUURTEN_IS_MUNICIPALITY (municipality), NULL);

  self = g_new0 (BuurtenLedger, 1);
  self->municipality = g_object_ref (municipality);
  self->year = year;
  self->accounts = g_ptr_array_new_with_free_func (account_free);
  self->wijken = g_hash_table_new (g_str_hash, g_str_equal);
  self->pots = g_hash_table_new (g_str_hash, g_str_equal);
  self->commitments = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, entry_free);
  self->other_years = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->recorded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  /* Without a table for the year (before the first one) the wijken are
   * still there, with a budget of zero, and there are no pots. Loading
   * guarantees a table names every wijk, in the wijken's order. */
  table = buurten_municipality_get_budget_table (municipality, year);
  wijken = buurten_municipality_get_wijken (municipality);
  for (guint i = 0; i < wijken->len; i++)
    {
      const BuurtenWijk *wijk = g_ptr_array_index (wijken, i);
      gint64 budget = 0;
      Account *account;

      if (table != NULL)
        {
          const BuurtenWijkBudget *row = g_ptr_array_index (table->wijken, i);

          g_assert (g_str_equal (row->wijk, wijk->id));
          budget = row->subsidy_cents + row->handgeld_cents;
        }

      account = account_new (wijk->id, wijk->name, budget);
      g_ptr_array_add (self->accounts, account);
      g_hash_table_insert (self->wijken, account->id, account);
    }

  for (guint i = 0; table != NULL && i < table->pots->len; i++)
    {
      const BuurtenPot *pot = g_ptr_array_index (table->pots, i);
      Account *account = account_new (pot->id, pot->name, pot->budget_cents);

      g_ptr_array_add (self->accounts, account);
      g_hash_table_insert (self->pots, account->id, account);
    }

  return self;
}

void
buurten_ledger_free (BuurtenLedger *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->commitments, g_hash_table_unref);
  g_clear_pointer (&self->other_years, g_hash_table_unref);
  g_clear_pointer (&self->recorded, g_hash_table_unref);
  g_clear_pointer (&self->wijken, g_hash_table_unref);
  g_clear_pointer (&self->pots, g_hash_table_unref);
  g_clear_pointer (&self->accounts, g_ptr_array_unref);
  g_clear_object (&self->municipality);
  g_free (self);
}

/* A commitment already in the ledger is replaced by the new version, so
 * the store can feed a commitment again after it was approved or
 * cancelled; its payments stay with it. */
gboolean
buurten_ledger_add_commitment (BuurtenLedger            *self,
                               const BuurtenCommitment  *commitment,
                               GError                  **error)
{
  Account *account = NULL;
  Entry *old;
  Entry *entry;
  Totals old_totals = { 0, 0, 0 };
  gint64 total;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (commitment != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (commitment->id == NULL)
    {
      g_set_error_literal (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID,
                           _("commitment.id: missing"));
      return FALSE;
    }

  old = g_hash_table_lookup (self->commitments, commitment->id);

  if (commitment->year != self->year)
    {
      /* Moved to another year: what it counted here goes. */
      if (old != NULL)
        {
          entry_apply (old, -1);
          g_hash_table_remove (self->commitments, commitment->id);
        }
      g_hash_table_add (self->other_years, g_strdup (commitment->id));
      return TRUE;
    }

  if (!check_amount ("commitment.amount_cents", commitment->amount_cents, error))
    return FALSE;

  if ((guint) commitment->state > BUURTEN_COMMITMENT_CANCELLED)
    {
      g_set_error_literal (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID,
                           _("commitment.state: unknown state"));
      return FALSE;
    }

  switch (commitment->funding)
    {
    case BUURTEN_FUNDING_WIJKBUDGET:
    case BUURTEN_FUNDING_HANDGELD:
      if (!(account = lookup_wijk (self, "commitment.wijk", commitment->wijk, error)))
        return FALSE;
      break;

    case BUURTEN_FUNDING_WIJKKANSEN:
      if (commitment->wijk != NULL &&
          !lookup_wijk (self, "commitment.wijk", commitment->wijk, error))
        return FALSE;
      if (!(account = g_hash_table_lookup (self->pots, WIJKKANSEN_POT)))
        {
          g_set_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID,
                       _("commitment.funding: there is no wijkkansen pot in %d"), self->year);
          return FALSE;
        }
      break;

    case BUURTEN_FUNDING_INVESTERING:
      /* Counts against nothing: its capital charges come in as
       * wijkbudget commitments of their own. */
      if (commitment->wijk != NULL &&
          !lookup_wijk (self, "commitment.wijk", commitment->wijk, error))
        return FALSE;
      break;

    default:
      g_set_error_literal (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID,
                           _("commitment.funding: unknown funding"));
      return FALSE;
    }

  if (account != NULL)
    {
      if (old != NULL && old->account == account)
        old_totals = entry_totals (old);
      total = account->totals.approved + account->totals.pending -
              old_totals.approved - old_totals.pending;
      if (!checked_add (&total, commitment->amount_cents, error))
        return FALSE;
    }

  if (old != NULL)
    {
      entry_apply (old, -1);
      entry = old;
      g_free (entry->theme);
    }
  else
    {
      entry = g_new0 (Entry, 1);
      g_hash_table_insert (self->commitments, g_strdup (commitment->id), entry);
      g_hash_table_remove (self->other_years, commitment->id);
    }

  entry->account = account;
  entry->theme = g_strdup (commitment->theme != NULL ? commitment->theme : "");
  entry->state = commitment->state;
  entry->amount = commitment->amount_cents;
  entry->released = CLAMP (commitment->released_cents, 0, commitment->amount_cents);
  entry_apply (entry, +1);

  return TRUE;
}

gboolean
buurten_ledger_add_payment (BuurtenLedger         *self,
                            const BuurtenPayment  *payment,
                            GError               **error)
{
  Entry *entry;
  gint64 paid;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (payment != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* A payment belongs to the year of its commitment, whenever it is paid. */
  if (payment->commitment_id != NULL &&
      g_hash_table_contains (self->other_years, payment->commitment_id))
    return TRUE;

  entry = payment->commitment_id != NULL
    ? g_hash_table_lookup (self->commitments, payment->commitment_id)
    : NULL;
  if (entry == NULL)
    {
      g_set_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID,
                   _("payment.commitment_id: no commitment “%s” in the ledger"),
                   payment->commitment_id != NULL ? payment->commitment_id : "");
      return FALSE;
    }

  if (!check_amount ("payment.amount_cents", payment->amount_cents, error) ||
      !check_new_id (self, "payment.id", payment->id, error))
    return FALSE;

  /* Money goes out only on an approved commitment; a payment on one that
   * is pending or cancelled points at a mistake somewhere else. */
  if (entry->state != BUURTEN_COMMITMENT_APPROVED)
    {
      g_set_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID_STATE,
                   _("payment.commitment_id: commitment “%s” is %s; only an approved "
                     "commitment can be paid"), payment->commitment_id,
                   buurten_commitment_state_ids[entry->state]);
      return FALSE;
    }

  paid = entry->paid;
  if (!checked_add (&paid, payment->amount_cents, error))
    return FALSE;
  if (paid > entry->amount - entry->released)
    {
      g_autofree char *left =
        buurten_money_format (MAX (entry->amount - entry->released - entry->paid, 0));

      g_set_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID,
                   _("payment.amount_cents: more than is left to pay on the commitment (%s)"),
                   left);
      return FALSE;
    }

  entry_apply (entry, -1);
  entry->paid = paid;
  entry_apply (entry, +1);
  remember_id (self, payment->id);

  return TRUE;
}

gboolean
buurten_ledger_commitment_left (BuurtenLedger  *self,
                                const char     *commitment_id,
                                gint64         *out_left)
{
  Entry *entry;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (out_left != NULL, FALSE);

  *out_left = 0;
  entry = commitment_id != NULL ? g_hash_table_lookup (self->commitments, commitment_id) : NULL;
  if (entry == NULL)
    return FALSE;
  if (entry->state == BUURTEN_COMMITMENT_APPROVED)
    *out_left = MAX (entry->amount - entry->released - entry->paid, 0);
  return TRUE;
}

gboolean
buurten_ledger_add_transfer (BuurtenLedger          *self,
                             const BuurtenTransfer  *transfer,
                             GError                **error)
{
  Account *from;
  Account *to;
  gint64 in;
  gint64 out;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (transfer != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* A move holds money once the second person confirmed it. */
  if (transfer->year != self->year || transfer->state != BUURTEN_MOVE_CONFIRMED)
    return TRUE;

  if (!(from = lookup_wijk (self, "transfer.from_wijk", transfer->from_wijk, error)) ||
      !(to = lookup_wijk (self, "transfer.to_wijk", transfer->to_wijk, error)) ||
      !check_amount ("transfer.amount_cents", transfer->amount_cents, error) ||
      !check_new_id (self, "transfer.id", transfer->id, error))
    return FALSE;

  if (from == to)
    {
      g_set_error_literal (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID,
                           _("transfer.to_wijk: a transfer needs two different wijken"));
      return FALSE;
    }

  in = to->transfers_in;
  out = from->transfers_out;
  if (!checked_add (&in, transfer->amount_cents, error) ||
      !checked_add (&out, transfer->amount_cents, error))
    return FALSE;

  to->transfers_in = in;
  from->transfers_out = out;
  remember_id (self, transfer->id);

  return TRUE;
}

gboolean
buurten_ledger_add_carry_over (BuurtenLedger           *self,
                               const BuurtenCarryOver  *carry_over,
                               GError                 **error)
{
  Account *account;
  gint64 *field;
  gint64 value;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (carry_over != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Carried from last year into this one, or from this one into next. */
  if ((carry_over->from_year != self->year - 1 && carry_over->from_year != self->year) ||
      carry_over->state != BUURTEN_MOVE_CONFIRMED)
    return TRUE;

  if (!(account = lookup_wijk (self, "carry_over.wijk", carry_over->wijk, error)) ||
      !check_amount ("carry_over.amount_cents", carry_over->amount_cents, error) ||
      !check_new_id (self, "carry_over.id", carry_over->id, error))
    return FALSE;

  field = carry_over->from_year == self->year - 1 ? &account->carried_in
                                                  : &account->carried_out;
  value = *field;
  if (!checked_add (&value, carry_over->amount_cents, error))
    return FALSE;

  *field = value;
  remember_id (self, carry_over->id);

  return TRUE;
}

gboolean
buurten_ledger_account_committed (BuurtenLedger  *self,
                                  BuurtenFunding  funding,
                                  const char     *wijk,
                                  const char     *except_id,
                                  gint64         *out_committed,
                                  gint64         *out_budget,
                                  GError        **error)
{
  Account *account = NULL;
  gint64 committed;

  g_return_val_if_fail (self != NULL, FALSE);

  *out_committed = 0;
  *out_budget = 0;

  switch (funding)
    {
    case BUURTEN_FUNDING_WIJKBUDGET:
    case BUURTEN_FUNDING_HANDGELD:
      if (!(account = lookup_wijk (self, "commitment.wijk", wijk, error)))
        return FALSE;
      break;
    case BUURTEN_FUNDING_WIJKKANSEN:
      /* No pot this year: a budget of zero, which refuses everything. */
      account = g_hash_table_lookup (self->pots, WIJKKANSEN_POT);
      if (account == NULL)
        return TRUE;
      break;
    case BUURTEN_FUNDING_INVESTERING:
    default:
      return TRUE;
    }

  committed = account->totals.approved + account->totals.pending;
  if (except_id != NULL)
    {
      const Entry *entry = g_hash_table_lookup (self->commitments, except_id);

      if (entry != NULL && entry->account == account)
        {
          Totals totals = entry_totals (entry);

          committed -= totals.approved + totals.pending;
        }
    }

  *out_committed = committed;
  *out_budget = account_budget (account);
  return TRUE;
}

/* Of the budget, in tenths of a percent; a negative part (free when
 * overrun) gives a negative share, and a budget of zero or less gives 0. */
static int
permille (gint64 part,
          gint64 whole)
{
  if (whole <= 0)
    return 0;
  if (part < 0)
    return -buurten_money_permille (-part, whole);
  return buurten_money_permille (part, whole);
}

static int
compare_themes (gconstpointer a,
                gconstpointer b)
{
  const BuurtenThemeShare *ta = *(const BuurtenThemeShare * const *) a;
  const BuurtenThemeShare *tb = *(const BuurtenThemeShare * const *) b;

  return strcmp (ta->theme, tb->theme);
}

static void
theme_share_free (gpointer data)
{
  BuurtenThemeShare *share = data;

  g_free (share->theme);
  g_free (share);
}

/* free, the overrun and the shares follow from budget, approved, pending
 * and spent; one place, so a preview is computed exactly like the real
 * thing. */
static void
thermometer_derive (BuurtenThermometer *t)
{
  t->free_cents = t->budget_cents - t->approved_cents - t->pending_cents;
  t->over_budget = t->free_cents < 0;
  t->over_cents = t->over_budget ? -t->free_cents : 0;
  t->approved_permille = permille (t->approved_cents, t->budget_cents);
  t->pending_permille = permille (t->pending_cents, t->budget_cents);
  t->spent_permille = permille (t->spent_cents, t->budget_cents);
  t->free_permille = permille (t->free_cents, t->budget_cents);
}

static BuurtenThermometer *
thermometer_new (const BuurtenLedger *self,
                 const Account       *account)
{
  BuurtenThermometer *t = g_new0 (BuurtenThermometer, 1);
  GHashTableIter iter;
  gpointer key;
  gpointer value;

  t->id = g_strdup (account->id);
  t->name = g_strdup (account->name);
  t->year = self->year;
  t->table_budget_cents = account->table_budget;
  t->transfers_in_cents = account->transfers_in;
  t->transfers_out_cents = account->transfers_out;
  t->carried_in_cents = account->carried_in;
  t->carried_out_cents = account->carried_out;
  t->budget_cents = account_budget (account);
  t->approved_cents = account->totals.approved;
  t->pending_cents = account->totals.pending;
  t->spent_cents = account->totals.spent;
  thermometer_derive (t);

  /* Themes whose commitments were all cancelled (or moved) are left out. */
  t->themes = g_ptr_array_new_with_free_func (theme_share_free);
  g_hash_table_iter_init (&iter, account->themes);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const Totals *totals = value;
      BuurtenThemeShare *share;

      if (totals->approved == 0 && totals->pending == 0 && totals->spent == 0)
        continue;

      share = g_new0 (BuurtenThemeShare, 1);
      share->theme = g_strdup (key);
      share->approved_cents = totals->approved;
      share->pending_cents = totals->pending;
      share->spent_cents = totals->spent;
      g_ptr_array_add (t->themes, share);
    }
  g_ptr_array_sort (t->themes, compare_themes);

  return t;
}

void
buurten_thermometer_free (BuurtenThermometer *thermometer)
{
  if (thermometer == NULL)
    return;

  g_free (thermometer->id);
  g_free (thermometer->name);
  g_clear_pointer (&thermometer->themes, g_ptr_array_unref);
  g_free (thermometer);
}

BuurtenThermometer *
buurten_thermometer_copy (const BuurtenThermometer *thermometer)
{
  BuurtenThermometer *copy;

  g_return_val_if_fail (thermometer != NULL, NULL);

  copy = g_memdup2 (thermometer, sizeof *thermometer);
  copy->id = g_strdup (thermometer->id);
  copy->name = g_strdup (thermometer->name);
  copy->themes = g_ptr_array_new_with_free_func (theme_share_free);
  for (guint i = 0; thermometer->themes != NULL && i < thermometer->themes->len; i++)
    {
      const BuurtenThemeShare *share = g_ptr_array_index (thermometer->themes, i);
      BuurtenThemeShare *share_copy = g_memdup2 (share, sizeof *share);

      share_copy->theme = g_strdup (share->theme);
      g_ptr_array_add (copy->themes, share_copy);
    }

  return copy;
}

BuurtenThermometer *
buurten_thermometer_preview (const BuurtenThermometer *current,
                             gint64                    amount_cents,
                             gboolean                  approved,
                             const char               *theme)
{
  g_autoptr(BuurtenThermometer) preview = NULL;
  gint64 *field;
  gint64 sum;
  gint64 committed;

  g_return_val_if_fail (current != NULL, NULL);
  g_return_val_if_fail (amount_cents >= 0, NULL);

  preview = buurten_thermometer_copy (current);
  field = approved ? &preview->approved_cents : &preview->pending_cents;

  /* The committed total must stay a sum the rest of the ledger can add
   * to; an amount that cannot is no commitment anyone can preview. */
  if (!buurten_money_add (*field, amount_cents, &sum) ||
      !buurten_money_add (sum, approved ? preview->pending_cents : preview->approved_cents,
                          &committed))
    return NULL;

  *field = sum;
  thermometer_derive (preview);

  /* The theme's share grows by the same amount, so the themes still add
   * up to the totals; a theme not seen yet gets its place in the order. */
  if (amount_cents > 0)
    {
      const char *key = theme != NULL ? theme : "";
      BuurtenThemeShare *share = NULL;

      for (guint i = 0; i < preview->themes->len && share == NULL; i++)
        {
          BuurtenThemeShare *candidate = g_ptr_array_index (preview->themes, i);

          if (g_str_equal (candidate->theme, key))
            share = candidate;
        }
      if (share == NULL)
        {
          share = g_new0 (BuurtenThemeShare, 1);
          share->theme = g_strdup (key);
          g_ptr_array_add (preview->themes, share);
          g_ptr_array_sort (preview->themes, compare_themes);
        }
      /* Within range: a share is never more than its account's total. */
      if (approved)
        share->approved_cents += amount_cents;
      else
        share->pending_cents += amount_cents;
    }

  return g_steal_pointer (&preview);
}

BuurtenThermometer *
buurten_ledger_wijk (BuurtenLedger *self,
                     const char    *wijk)
{
  const Account *account;

  g_return_val_if_fail (self != NULL, NULL);

  account = wijk != NULL ? g_hash_table_lookup (self->wijken, wijk) : NULL;
  return account != NULL ? thermometer_new (self, account) : NULL;
}

BuurtenThermometer *
buurten_ledger_pot (BuurtenLedger *self,
                    const char    *pot)
{
  const Account *account;

  g_return_val_if_fail (self != NULL, NULL);

  account = pot != NULL ? g_hash_table_lookup (self->pots, pot) : NULL;
  return account != NULL ? thermometer_new (self, account) : NULL;
}

GPtrArray *
buurten_ledger_city (BuurtenLedger *self,
                     gint64        *out_total_budget_cents)
{
  GPtrArray *city;
  gint64 total = 0;

  g_return_val_if_fail (self != NULL, NULL);

  city = g_ptr_array_new_with_free_func ((GDestroyNotify) buurten_thermometer_free);
  for (guint i = 0; i < self->accounts->len; i++)
    {
      BuurtenThermometer *t = thermometer_new (self, g_ptr_array_index (self->accounts, i));

      total += t->budget_cents;
      g_ptr_array_add (city, t);
    }

  if (out_total_budget_cents != NULL)
    *out_total_budget_cents = total;

  return city;
}
