/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-demo"

#include "config.h"

#include "buurten-demo-private.h"

/* The verantwoording of every initiative that is afgerond (issue 14,
 * point 6): what happened, how the buurt heard of it, what each cost line
 * really came to, and what was approved and never paid released from its
 * commitment, as the server does it (core's buurten_commitment_left()).
 * From a stream of its own, after the payments and the intake, so the
 * rest of the year is as before. */

static const char * const happened[] = {
  "Het initiatief is uitgevoerd zoals gepland; er deden meer buren mee dan verwacht.",
  "De activiteit vond plaats op de geplande dagen; één dag is door regen verschoven.",
  "Alles is aangeschaft en geplaatst; bewoners onderhouden het nu zelf.",
  "De bijeenkomsten zijn gehouden; een vaste groep buren gaat ermee door.",
};

static const char * const feedback[] = {
  "Een verslag met foto's in de buurtkrant en op de buurtapp.",
  "Een bericht in de wijkkrant en een avond in het buurthuis voor iedereen.",
  "Flyers bij alle adressen in de buurt en een bericht op de buurtapp.",
  "Een terugkomavond met de buren en een stuk op de website van de wijk.",
};

static const char * const receipts[] = {
  "bonnetjes.pdf", "facturen.pdf", "fotoverslag.pdf", "overzicht-kosten.pdf",
};

typedef struct
{
  gint64  approved;
  gint64  paid;
  gint64  released;
  guint32 last_paid;
} Money;

static void
account_for (Demo           *demo,
             DemoRng        *rng,
             InitiativePlan *plan,
             GHashTable     *paid_by_commitment,
             GHashTable     *last_paid_by_commitment,
             GHashTable     *lines_by_initiative)
{
  BuurtenInitiative *initiative = plan->initiative;
  BuurtenVerantwoording *v;
  GPtrArray *lines;
  Money money = { 0, 0, 0, 0 };
  g_autofree char *checksum = NULL;
  const char *receipt;
  guint32 day;

  for (guint c = 0; c < demo->commitments->len; c++)
    {
      BuurtenCommitment *commitment = g_ptr_array_index (demo->commitments, c);
      gint64 paid;

      if (g_strcmp0 (commitment->initiative_id, initiative->id) != 0 ||
          commitment->state != BUURTEN_COMMITMENT_APPROVED)
        continue;
      paid = GPOINTER_TO_SIZE (g_hash_table_lookup (paid_by_commitment, commitment->id));
      commitment->released_cents = buurten_commitment_left (commitment, paid);
      money.approved += commitment->amount_cents;
      money.paid += paid;
      money.released += commitment->released_cents;
      money.last_paid = MAX (money.last_paid,
                             GPOINTER_TO_UINT (g_hash_table_lookup (last_paid_by_commitment,
                                                                    commitment->id)));
    }

  /* Each cost line came to its share of what was paid. */
  lines = g_hash_table_lookup (lines_by_initiative, initiative->id);
  for (guint l = 0; lines != NULL && l < lines->len; l++)
    {
      BuurtenBudgetLine *line = g_ptr_array_index (lines, l);

      if (line->kind == BUURTEN_BUDGET_LINE_COST && money.approved > 0)
        line->actual_cents = line->amount_cents * money.paid / money.approved;
      else
        line->actual_cents = line->amount_cents;
    }

  v = buurten_verantwoording_new ();
  v->id = rng_uuid (rng);
  v->initiative_id = g_strdup (initiative->id);
  v->happened = g_strdup (RNG_PICK (rng, happened));
  v->feedback = g_strdup (RNG_PICK (rng, feedback));
  receipt = RNG_PICK (rng, receipts);
  checksum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, v->id, -1);
  v->attachments = g_strdup_printf ("%s %s", checksum, receipt);
  v->actual_cents = lines != NULL ? buurten_budget_actual_costs (lines) : 0;
  v->paid_cents = money.paid;
  v->released_cents = money.released;
  v->recorded_by = g_strdup (plan->wijk->buco);
  day = clamp_day (demo, (gint64) MAX (money.last_paid, plan->decided) + rng_between (rng, 3, 14),
                   MAX (money.last_paid, plan->decided));
  g_date_set_julian (&v->recorded_on, day);
  v->version = 1;
  g_ptr_array_add (demo->verantwoordingen, v);
}

void
demo_make_verantwoordingen (Demo *demo)
{
  g_autoptr(GHashTable) paid = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) last_paid = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) lines = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                       (GDestroyNotify) g_ptr_array_unref);
  DemoRng rng;

  rng_init (&rng, demo->options->seed, STREAM_ACCOUNTING);

  for (guint p = 0; p < demo->payments->len; p++)
    {
      BuurtenPayment *payment = g_ptr_array_index (demo->payments, p);
      gsize sum = GPOINTER_TO_SIZE (g_hash_table_lookup (paid, payment->commitment_id));
      guint32 day = g_date_valid (&payment->paid_on) ? g_date_get_julian (&payment->paid_on) : 0;

      g_hash_table_insert (paid, payment->commitment_id,
                           GSIZE_TO_POINTER (sum + (gsize) payment->amount_cents));
      if (day > GPOINTER_TO_UINT (g_hash_table_lookup (last_paid, payment->commitment_id)))
        g_hash_table_insert (last_paid, payment->commitment_id, GUINT_TO_POINTER (day));
    }
  for (guint l = 0; l < demo->budget_lines->len; l++)
    {
      BuurtenBudgetLine *line = g_ptr_array_index (demo->budget_lines, l);
      GPtrArray *of = g_hash_table_lookup (lines, line->initiative_id);

      if (of == NULL)
        {
          of = g_ptr_array_new ();
          g_hash_table_insert (lines, line->initiative_id, of);
        }
      g_ptr_array_add (of, line);
    }

  for (guint p = 0; p < demo->plans->len; p++)
    {
      InitiativePlan *plan = g_ptr_array_index (demo->plans, p);

      if (plan->initiative->state == BUURTEN_INITIATIVE_DONE)
        account_for (demo, &rng, plan, paid, last_paid, lines);
    }
}
