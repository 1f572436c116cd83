/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "buurten-core.h"

/* An initiative's intake rules (core): the payee's IBAN, the KvK number,
 * contact checks, the balance of the budget lines, and an entity refused
 * for a malformed IBAN. */

static void
test_iban_valid (void)
{
  /* Published examples and real-format Dutch numbers. */
  static const char * const valid[] = {
    "NL91ABNA0417164300", "NL44RABO0123456789", "NL20INGB0001234567", "DE89370400440532013000",
    "BE68539007547034", "GB29NWBK60161331926819", "FR1420041010050500013M02606", NULL
  };

  for (guint i = 0; valid[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (buurten_iban_check (valid[i], &error));
      g_assert_no_error (error);
    }
}

static void
test_iban_invalid (void)
{
  static const struct { const char *iban; const char *says; } invalid[] = {
    { "NL91ABNA0417164301", "check digits" },      /* last digit changed */
    { "NL19ABNA0417164300", "check digits" },      /* check digits swapped */
    { "NL91ABNA041716430", "18 characters" },      /* one short */
    { "NL91ABNA04171643000", "18 characters" },    /* one long */
    { "US12345678901234567", "SEPA" },
    { "1291ABNA0417164300", "two letters" },
    { "NLAAABNA0417164300", "two letters" },
    { "NL91ABNA04171643-0", "letters and digits" },
    { "", "two letters" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (buurten_iban_check (invalid[i].iban, &error));
      g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID);
      if (strstr (error->message, invalid[i].says) == NULL)
        g_error ("%s: “%s” does not say “%s”", invalid[i].iban, error->message, invalid[i].says);
    }
}

static void
test_iban_normalize_format (void)
{
  g_autofree char *a = buurten_iban_normalize (" nl91 abna 0417 1643 00 ");
  g_autofree char *b = buurten_iban_format ("NL91ABNA0417164300");
  g_autofree char *c = buurten_iban_normalize ("NL91-ABNA");
  g_autofree char *d = buurten_iban_format ("BE68539007547034");

  g_assert_cmpstr (a, ==, "NL91ABNA0417164300");
  g_assert_cmpstr (b, ==, "NL91 ABNA 0417 1643 00");
  g_assert_null (c);
  g_assert_cmpstr (d, ==, "BE68 5390 0754 7034");
}

static void
test_kvk_email_phone (void)
{
  g_assert_true (buurten_kvk_check ("12345678", NULL));
  g_assert_false (buurten_kvk_check ("1234567", NULL));
  g_assert_false (buurten_kvk_check ("123456789", NULL));
  g_assert_false (buurten_kvk_check ("1234567a", NULL));

  g_assert_true (buurten_email_check ("a.jansen@example.nl", NULL));
  g_assert_false (buurten_email_check ("a.jansen", NULL));
  g_assert_false (buurten_email_check ("@example.nl", NULL));
  g_assert_false (buurten_email_check ("a@example", NULL));
  g_assert_false (buurten_email_check ("a@b@example.nl", NULL));
  g_assert_false (buurten_email_check ("a jansen@example.nl", NULL));

  g_assert_true (buurten_phone_check ("035 123 45 67", NULL));
  g_assert_true (buurten_phone_check ("+31 (0)35-1234567", NULL));
  g_assert_false (buurten_phone_check ("12345", NULL));
  g_assert_false (buurten_phone_check ("035 12x 45 67", NULL));
  g_assert_false (buurten_phone_check ("035+1234567", NULL));
}

static BuurtenBudgetLine *
line (BuurtenBudgetLineKind kind,
      gint64                cents)
{
  BuurtenBudgetLine *l = buurten_budget_line_new ();

  l->kind = kind;
  l->amount_cents = cents;
  return l;
}

static void
test_balance (void)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func ((GDestroyNotify) buurten_budget_line_free);
  BuurtenBudgetBalance balance;

  buurten_budget_balance (lines, &balance);
  g_assert_cmpint (balance.asked_cents, ==, 0);

  g_ptr_array_add (lines, line (BUURTEN_BUDGET_LINE_COST, 125000));
  g_ptr_array_add (lines, line (BUURTEN_BUDGET_LINE_COST, 49950));
  g_ptr_array_add (lines, line (BUURTEN_BUDGET_LINE_INCOME, 20000));
  g_ptr_array_add (lines, line (BUURTEN_BUDGET_LINE_OWN_CONTRIBUTION, 4950));
  buurten_budget_balance (lines, &balance);
  g_assert_cmpint (balance.costs_cents, ==, 174950);
  g_assert_cmpint (balance.covered_cents, ==, 24950);
  g_assert_cmpint (balance.asked_cents, ==, 150000);

  /* More income than costs asks nothing, never a negative amount. */
  g_ptr_array_add (lines, line (BUURTEN_BUDGET_LINE_INCOME, 500000));
  buurten_budget_balance (lines, &balance);
  g_assert_cmpint (balance.asked_cents, ==, 0);

  /* Sums stop at the largest amount. */
  g_ptr_array_set_size (lines, 0);
  g_ptr_array_add (lines, line (BUURTEN_BUDGET_LINE_COST, BUURTEN_MONEY_MAX_CENTS));
  g_ptr_array_add (lines, line (BUURTEN_BUDGET_LINE_COST, BUURTEN_MONEY_MAX_CENTS));
  buurten_budget_balance (lines, &balance);
  g_assert_cmpint (balance.asked_cents, ==, BUURTEN_MONEY_MAX_CENTS);
}

static void
test_budget_open (void)
{
  g_assert_true (buurten_initiative_budget_open (BUURTEN_INITIATIVE_IDEA));
  g_assert_true (buurten_initiative_budget_open (BUURTEN_INITIATIVE_SUBMITTED));
  g_assert_true (buurten_initiative_budget_open (BUURTEN_INITIATIVE_CHECKED));
  g_assert_false (buurten_initiative_budget_open (BUURTEN_INITIATIVE_GRANTED));
  g_assert_false (buurten_initiative_budget_open (BUURTEN_INITIATIVE_REJECTED));
  g_assert_false (buurten_initiative_budget_open (BUURTEN_INITIATIVE_DONE));
}

/* The entity check refuses what the field's format refuses, and names
 * the field; empty means not given. */
static void
test_entity_formats (void)
{
  g_autoptr(BuurtenInitiative) initiative = buurten_initiative_new ();
  g_autoptr(GError) error = NULL;

  initiative->id = g_strdup ("0b9a7c1e-0000-4000-8000-000000000001");
  initiative->wijk = g_strdup ("centrum");
  initiative->title = g_strdup ("Buurtmoestuin");
  initiative->iban = g_strdup ("NL91ABNA0417164300");
  initiative->kvk = g_strdup ("");
  g_assert_true (buurten_entity_validate (&buurten_initiative_info, initiative, &error));
  g_assert_no_error (error);

  g_free (initiative->iban);
  initiative->iban = g_strdup ("NL91ABNA0417164301");
  g_assert_false (buurten_entity_validate (&buurten_initiative_info, initiative, &error));
  g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "initiative.iban: "));
  g_clear_error (&error);

  g_free (initiative->iban);
  initiative->iban = NULL;
  g_free (initiative->organiser_email);
  initiative->organiser_email = g_strdup ("geen adres");
  g_assert_false (buurten_entity_validate (&buurten_initiative_info, initiative, &error));
  g_assert_true (g_str_has_prefix (error->message, "initiative.organiser_email: "));
}

static void
test_buurtdeal (void)
{
  g_autoptr(GError) error = NULL;
  JsonObject *args = NULL;
  g_autofree char *text = NULL;

  g_assert_true (buurten_buurtdeal_check (1, 2, TRUE, &args, &error));
  g_assert_no_error (error);
  g_assert_null (args);

  g_assert_false (buurten_buurtdeal_check (0, 2, FALSE, &args, &error));
  g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID_STATE);
  g_assert_cmpstr (json_object_get_string_member (args, "rule"), ==, "buurtdeal.incomplete");
  g_assert_cmpstr (json_object_get_string_member (args, "missing"), ==, "residents,organiser");
  text = buurten_refusal_describe (BUURTEN_CORE_ERROR_INVALID_STATE, args, NULL);
  g_assert_nonnull (strstr (text, "residents do"));
  g_assert_nonnull (strstr (text, "organiser’s signature"));
  g_assert_null (strstr (text, "municipality does"));
  json_object_unref (args);
  g_clear_error (&error);

  g_assert_false (buurten_buurtdeal_check (3, 0, TRUE, NULL, &error));
  g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID_STATE);
}

static void
test_decision_due (void)
{
  GDate submitted, due;

  /* 13 weeks is 91 days: 1 September 2026 gives 1 December 2026. */
  g_date_clear (&submitted, 1);
  g_date_set_dmy (&submitted, 1, G_DATE_SEPTEMBER, 2026);
  g_assert_true (buurten_initiative_decision_due (&submitted, 13, &due));
  g_assert_cmpint (g_date_get_day (&due), ==, 1);
  g_assert_cmpint (g_date_get_month (&due), ==, G_DATE_DECEMBER);
  g_assert_cmpint (g_date_days_between (&submitted, &due), ==, 91);

  /* Over the turn of the year. */
  g_date_set_dmy (&submitted, 15, G_DATE_NOVEMBER, 2026);
  g_assert_true (buurten_initiative_decision_due (&submitted, 13, &due));
  g_assert_cmpint (g_date_get_year (&due), ==, 2027);
  g_assert_cmpint (g_date_get_month (&due), ==, G_DATE_FEBRUARY);
  g_assert_cmpint (g_date_get_day (&due), ==, 14);

  g_assert_false (buurten_initiative_decision_due (&submitted, 0, &due));
  g_assert_false (g_date_valid (&due));
  g_date_clear (&submitted, 1);
  g_assert_false (buurten_initiative_decision_due (&submitted, 13, &due));

  g_assert_true (buurten_initiative_awaits_decision (BUURTEN_INITIATIVE_SUBMITTED));
  g_assert_true (buurten_initiative_awaits_decision (BUURTEN_INITIATIVE_CHECKED));
  g_assert_false (buurten_initiative_awaits_decision (BUURTEN_INITIATIVE_IDEA));
  g_assert_false (buurten_initiative_awaits_decision (BUURTEN_INITIATIVE_GRANTED));
  g_assert_false (buurten_initiative_awaits_decision (BUURTEN_INITIATIVE_REFERRED));
}

/* Payments and the verantwoording (issue 14, point 6). */
static void
test_payment_check (void)
{
  g_autoptr(BuurtenCommitment) c = buurten_commitment_new ();
  g_autoptr(JsonObject) args = NULL;
  g_autoptr(GError) error = NULL;

  c->amount_cents = 450000;
  c->state = BUURTEN_COMMITMENT_PENDING;
  g_assert_cmpint (buurten_commitment_left (c, 0), ==, 0);
  c->state = BUURTEN_COMMITMENT_APPROVED;
  g_assert_cmpint (buurten_commitment_left (c, 300000), ==, 150000);
  c->released_cents = 100000;
  g_assert_cmpint (buurten_commitment_left (c, 300000), ==, 50000);
  g_assert_cmpint (buurten_commitment_left (c, 400000), ==, 0);

  g_assert_true (buurten_payment_check (150000, 150000, &args, &error));
  g_assert_no_error (error);
  g_assert_null (args);
  g_assert_false (buurten_payment_check (150001, 150000, &args, &error));
  g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_BUDGET_EXCEEDED);
  g_assert_cmpstr (json_object_get_string_member (args, "rule"), ==, "payment.beyond_approved");
  g_assert_cmpint (json_object_get_int_member (args, "left_cents"), ==, 150000);
  g_clear_error (&error);
  g_clear_pointer (&args, json_object_unref);
  g_assert_false (buurten_payment_check (0, 150000, &args, &error));
  g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID);
  g_assert_cmpstr (json_object_get_string_member (args, "rule"), ==, "payment.amount");
}

static void
test_verantwoording_rules (void)
{
  g_autoptr(JsonObject) args = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func ((GDestroyNotify) buurten_budget_line_free);
  static const struct { BuurtenBudgetLineKind kind; gint64 actual; } rows[] = {
    { BUURTEN_BUDGET_LINE_COST, 280000 }, { BUURTEN_BUDGET_LINE_COST, 107655 },
    { BUURTEN_BUDGET_LINE_INCOME, 20000 },
  };

  for (int s = 0; s < BUURTEN_INITIATIVE_N_STATES; s++)
    {
      gboolean may = buurten_verantwoording_may_record (s, FALSE, NULL, NULL);

      g_assert_cmpint (may, ==, s == BUURTEN_INITIATIVE_GRANTED ||
                                s == BUURTEN_INITIATIVE_DEAL_SIGNED ||
                                s == BUURTEN_INITIATIVE_IN_PROGRESS);
      g_assert_false (buurten_verantwoording_may_record (s, TRUE, NULL, NULL));
    }
  g_assert_false (buurten_verantwoording_may_record (BUURTEN_INITIATIVE_DONE, FALSE, &args,
                                                     &error));
  g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID_STATE);
  g_assert_cmpstr (json_object_get_string_member (args, "state"), ==, "afgerond");
  g_clear_error (&error);
  g_clear_pointer (&args, json_object_unref);

  g_assert_false (buurten_initiative_check_done (BUURTEN_INITIATIVE_DONE, FALSE, &args, &error));
  g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID_STATE);
  g_assert_cmpstr (json_object_get_string_member (args, "rule"), ==,
                   "initiative.no_verantwoording");
  g_assert_true (buurten_initiative_check_done (BUURTEN_INITIATIVE_DONE, TRUE, NULL, NULL));
  g_assert_true (buurten_initiative_check_done (BUURTEN_INITIATIVE_IN_PROGRESS, FALSE, NULL,
                                                NULL));

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      BuurtenBudgetLine *line = buurten_budget_line_new ();

      line->kind = rows[i].kind;
      line->actual_cents = rows[i].actual;
      g_ptr_array_add (lines, line);
    }
  g_assert_cmpint (buurten_budget_actual_costs (lines), ==, 387655);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/intake/iban/valid", test_iban_valid);
  g_test_add_func ("/intake/iban/invalid", test_iban_invalid);
  g_test_add_func ("/intake/iban/normalize-format", test_iban_normalize_format);
  g_test_add_func ("/intake/kvk-email-phone", test_kvk_email_phone);
  g_test_add_func ("/intake/balance", test_balance);
  g_test_add_func ("/intake/budget-open", test_budget_open);
  g_test_add_func ("/intake/entity-formats", test_entity_formats);
  g_test_add_func ("/intake/buurtdeal", test_buurtdeal);
  g_test_add_func ("/intake/decision-due", test_decision_due);
  g_test_add_func ("/intake/payment-check", test_payment_check);
  g_test_add_func ("/intake/verantwoording", test_verantwoording_rules);

  return g_test_run ();
}
