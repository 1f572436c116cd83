/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-mandate"

#include "config.h"

#include <string.h>

#include "buurten-core.h"

static BuurtenMunicipality *municipality;

static const BuurtenMandateTable *
table_2021 (void)
{
  const BuurtenMandateTable *table = buurten_municipality_get_mandate_table (municipality, 2021);

  g_assert_nonnull (table);
  return table;
}

/* A wijk far from its budget, so only the band decides. */
static BuurtenMandateResult *
evaluate (BuurtenFunding funding,
          gint64         amount)
{
  BuurtenMandateInput input = {
    .amount_cents = amount,
    .funding = funding,
    .wijk = "centrum",
    .year = 2021,
    .committed_cents = 0,
    .budget_cents = funding == BUURTEN_FUNDING_WIJKKANSEN ? 7500000 : 100000000,
  };
  BuurtenMandateResult *result = buurten_mandate_evaluate (table_2021 (), &input);

  g_assert_nonnull (result);
  g_assert_nonnull (result->roles);
  g_assert_nonnull (result->reason);
  g_assert_cmpstr (result->reason, !=, "");
  return result;
}

static void
assert_roles (GArray *roles,
              ...)
{
  va_list args;
  guint n = 0;
  int role;

  va_start (args, roles);
  while ((role = va_arg (args, int)) >= 0)
    {
      g_assert_cmpuint (n, <, roles->len);
      g_assert_cmpint (g_array_index (roles, BuurtenRole, n), ==, role);
      n++;
    }
  va_end (args);

  g_assert_cmpuint (roles->len, ==, n);
}

static gboolean
contains (const char *haystack,
          const char *needle)
{
  if (strstr (haystack, needle) != NULL)
    return TRUE;

  g_test_message ("“%s” does not contain “%s”", haystack, needle);
  return FALSE;
}

static void
assert_allowed (BuurtenMandateResult *result)
{
  g_assert_true (result->allowed);
  g_assert_false (result->over_budget);
  g_assert_cmpint (result->over_cents, ==, 0);
}

static void
test_wijkbudget_bands (void)
{
  g_autoptr(BuurtenMandateResult) r1 = evaluate (BUURTEN_FUNDING_WIJKBUDGET, 1);
  g_autoptr(BuurtenMandateResult) r2 = evaluate (BUURTEN_FUNDING_WIJKBUDGET, 200000);
  g_autoptr(BuurtenMandateResult) r3 = evaluate (BUURTEN_FUNDING_WIJKBUDGET, 200001);
  g_autoptr(BuurtenMandateResult) r4 = evaluate (BUURTEN_FUNDING_WIJKBUDGET, 1000000);
  g_autoptr(BuurtenMandateResult) r5 = evaluate (BUURTEN_FUNDING_WIJKBUDGET, 1000001);
  g_autoptr(BuurtenMandateResult) r6 = evaluate (BUURTEN_FUNDING_WIJKBUDGET, 2500000);
  g_autoptr(BuurtenMandateResult) r7 = evaluate (BUURTEN_FUNDING_WIJKBUDGET, 2500001);
  g_autofree char *amount = buurten_money_format (200001);

  assert_allowed (r1);
  assert_roles (r1->roles, BUURTEN_ROLE_BUURTCOORDINATOR, -1);
  g_assert_cmpstr (r1->instrument, ==, "commitment");

  /* € 2.000,00 is still the buurtcoördinator's alone ... */
  assert_allowed (r2);
  assert_roles (r2->roles, BUURTEN_ROLE_BUURTCOORDINATOR, -1);
  g_assert_cmpstr (r2->instrument, ==, "commitment");

  /* ... one cent more needs the wijkwethouder too. */
  assert_allowed (r3);
  assert_roles (r3->roles, BUURTEN_ROLE_BUURTCOORDINATOR, BUURTEN_ROLE_WIJKWETHOUDER, -1);
  g_assert_cmpstr (r3->instrument, ==, "buurtdeal_subsidiebeschikking");
  g_assert_true (contains (r3->reason, amount));
  g_assert_true (contains (r3->reason, buurten_role_label (BUURTEN_ROLE_WIJKWETHOUDER)));

  assert_allowed (r4);
  assert_roles (r4->roles, BUURTEN_ROLE_BUURTCOORDINATOR, BUURTEN_ROLE_WIJKWETHOUDER, -1);
  assert_allowed (r5);
  assert_roles (r5->roles, BUURTEN_ROLE_BUURTCOORDINATOR, BUURTEN_ROLE_WIJKWETHOUDER, -1);
  g_assert_cmpstr (r5->instrument, ==, "buurtdeal_subsidiebeschikking");

  /* € 25.000,00 is the most a wijk budget pays for one initiative. */
  assert_allowed (r6);
  assert_roles (r6->roles, BUURTEN_ROLE_BUURTCOORDINATOR, BUURTEN_ROLE_WIJKWETHOUDER, -1);

  g_assert_false (r7->allowed);
  g_assert_cmpint (r7->refusal, ==, BUURTEN_CORE_ERROR_MANDATE_EXCEEDED);
  g_assert_cmpuint (r7->roles->len, ==, 0);
  g_assert_true (contains (r7->reason, "wijkkansen"));
  g_assert_true (contains (r7->reason, "investment project"));
}

static void
test_handgeld (void)
{
  g_autoptr(BuurtenMandateResult) r1 = evaluate (BUURTEN_FUNDING_HANDGELD, 200000);
  g_autoptr(BuurtenMandateResult) r2 = evaluate (BUURTEN_FUNDING_HANDGELD, 200001);

  assert_allowed (r1);
  assert_roles (r1->roles, BUURTEN_ROLE_BUURTCOORDINATOR, -1);

  g_assert_false (r2->allowed);
  g_assert_cmpint (r2->refusal, ==, BUURTEN_CORE_ERROR_MANDATE_EXCEEDED);
  g_assert_true (contains (r2->reason, "Handgeld"));
}

static void
test_investering (void)
{
  g_autoptr(BuurtenMandateResult) r1 = evaluate (BUURTEN_FUNDING_INVESTERING, 1);
  g_autoptr(BuurtenMandateResult) r2 = evaluate (BUURTEN_FUNDING_INVESTERING, 50000000);

  /* Never decided in the app, at any amount. */
  g_assert_false (r1->allowed);
  g_assert_cmpint (r1->refusal, ==, BUURTEN_CORE_ERROR_MANDATE_EXCEEDED);
  g_assert_true (contains (r1->reason, "begroting"));
  g_assert_false (r2->allowed);
  g_assert_cmpint (r2->refusal, ==, BUURTEN_CORE_ERROR_MANDATE_EXCEEDED);
}

static void
test_invalid_amounts (void)
{
  g_autoptr(BuurtenMandateResult) zero = evaluate (BUURTEN_FUNDING_WIJKBUDGET, 0);
  g_autoptr(BuurtenMandateResult) negative = evaluate (BUURTEN_FUNDING_HANDGELD, -100);
  g_autoptr(BuurtenMandateResult) huge = evaluate (BUURTEN_FUNDING_WIJKKANSEN,
                                                   BUURTEN_MONEY_MAX_CENTS + 1);

  g_assert_false (zero->allowed);
  g_assert_cmpint (zero->refusal, ==, BUURTEN_CORE_ERROR_INVALID);
  g_assert_cmpuint (zero->roles->len, ==, 0);
  g_assert_false (negative->allowed);
  g_assert_cmpint (negative->refusal, ==, BUURTEN_CORE_ERROR_INVALID);
  g_assert_false (huge->allowed);
  g_assert_cmpint (huge->refusal, ==, BUURTEN_CORE_ERROR_OVERFLOW);
}

static BuurtenMandateResult *
evaluate_budget (BuurtenFunding funding,
                 gint64         amount,
                 gint64         committed,
                 gint64         budget)
{
  BuurtenMandateInput input = {
    .amount_cents = amount,
    .funding = funding,
    .wijk = "centrum",
    .year = 2021,
    .committed_cents = committed,
    .budget_cents = budget,
  };
  BuurtenMandateResult *result = buurten_mandate_evaluate (table_2021 (), &input);

  g_assert_nonnull (result);
  return result;
}

static void
test_over_budget (void)
{
  /* Centrum: € 32.500,00, of which € 31.500,00 already committed. */
  g_autoptr(BuurtenMandateResult) exact = evaluate_budget (BUURTEN_FUNDING_WIJKBUDGET, 100000,
                                                           3150000, 3250000);
  g_autoptr(BuurtenMandateResult) over = evaluate_budget (BUURTEN_FUNDING_WIJKBUDGET, 100001,
                                                          3150000, 3250000);
  g_autoptr(BuurtenMandateResult) deal = evaluate_budget (BUURTEN_FUNDING_WIJKBUDGET, 250000,
                                                          3150000, 3250000);
  g_autoptr(BuurtenMandateResult) handgeld = evaluate_budget (BUURTEN_FUNDING_HANDGELD, 1000,
                                                              450000, 450000);
  g_autofree char *over_text = buurten_money_format (150000);

  /* Reaching the budget exactly is not an overrun. */
  assert_allowed (exact);
  assert_roles (exact->roles, BUURTEN_ROLE_BUURTCOORDINATOR, -1);

  /* One cent more is, and brings the teammanager in. */
  g_assert_true (over->allowed);
  g_assert_true (over->over_budget);
  g_assert_cmpint (over->over_cents, ==, 1);
  assert_roles (over->roles, BUURTEN_ROLE_BUURTCOORDINATOR,
                BUURTEN_ROLE_TEAMMANAGER_SAMENLEVING, -1);
  g_assert_true (contains (over->reason,
                           buurten_role_label (BUURTEN_ROLE_TEAMMANAGER_SAMENLEVING)));
  g_assert_true (contains (over->reason, "escalation"));

  g_assert_true (deal->allowed);
  g_assert_true (deal->over_budget);
  g_assert_cmpint (deal->over_cents, ==, 150000);
  assert_roles (deal->roles, BUURTEN_ROLE_BUURTCOORDINATOR, BUURTEN_ROLE_WIJKWETHOUDER,
                BUURTEN_ROLE_TEAMMANAGER_SAMENLEVING, -1);
  g_assert_true (contains (deal->reason, over_text));

  g_assert_true (handgeld->allowed);
  g_assert_true (handgeld->over_budget);
  g_assert_cmpint (handgeld->over_cents, ==, 1000);
}

/* The over-budget role is added once, even when the band names it. */
static void
test_over_budget_role_present (void)
{
  BuurtenMandateTable table = *table_2021 ();
  BuurtenMandateInput input = {
    .amount_cents = 5000,
    .funding = BUURTEN_FUNDING_WIJKBUDGET,
    .wijk = "zuid",
    .year = 2021,
    .committed_cents = 0,
    .budget_cents = 0,
  };
  g_autoptr(BuurtenMandateResult) result = NULL;

  table.over_budget_role = BUURTEN_ROLE_BUURTCOORDINATOR;
  result = buurten_mandate_evaluate (&table, &input);
  g_assert_true (result->allowed);
  g_assert_true (result->over_budget);
  g_assert_cmpint (result->over_cents, ==, 5000);
  assert_roles (result->roles, BUURTEN_ROLE_BUURTCOORDINATOR, -1);
}

static void
test_wijkkansen_pot (void)
{
  g_autoptr(BuurtenMandateResult) fill = evaluate_budget (BUURTEN_FUNDING_WIJKKANSEN, 500000,
                                                          7000000, 7500000);
  g_autoptr(BuurtenMandateResult) beyond = evaluate_budget (BUURTEN_FUNDING_WIJKKANSEN, 500001,
                                                            7000000, 7500000);
  g_autoptr(BuurtenMandateResult) whole = evaluate_budget (BUURTEN_FUNDING_WIJKKANSEN, 7500000,
                                                           0, 7500000);
  g_autoptr(BuurtenMandateResult) overdrawn = evaluate_budget (BUURTEN_FUNDING_WIJKKANSEN, 1,
                                                               7600000, 7500000);
  g_autofree char *free_text = buurten_money_format (500000);
  g_autofree char *zero = buurten_money_format (0);

  /* The pot may be filled to the last cent ... */
  assert_allowed (fill);
  assert_roles (fill->roles, BUURTEN_ROLE_WETHOUDER_BUURTEN, -1);
  g_assert_cmpstr (fill->instrument, ==, "subsidiebeschikking");
  assert_allowed (whole);

  /* ... never beyond: a hard cap, no escalation. */
  g_assert_false (beyond->allowed);
  g_assert_cmpint (beyond->refusal, ==, BUURTEN_CORE_ERROR_BUDGET_EXCEEDED);
  g_assert_false (beyond->over_budget);
  g_assert_cmpuint (beyond->roles->len, ==, 0);
  g_assert_true (contains (beyond->reason, free_text));

  g_assert_false (overdrawn->allowed);
  g_assert_cmpint (overdrawn->refusal, ==, BUURTEN_CORE_ERROR_BUDGET_EXCEEDED);
  g_assert_true (contains (overdrawn->reason, zero));
}

/* A hand-made table that does not cover an amount gives nobody the
 * mandate. */
static void
test_incomplete_table (void)
{
  BuurtenMandateTable table = { 2021, g_ptr_array_new (), BUURTEN_ROLE_TEAMMANAGER_SAMENLEVING };
  BuurtenMandateInput input = { 1000, BUURTEN_FUNDING_WIJKBUDGET, "zuid", 2021, 0, 100000 };
  g_autoptr(BuurtenMandateResult) result = buurten_mandate_evaluate (&table, &input);

  g_assert_false (result->allowed);
  g_assert_cmpint (result->refusal, ==, BUURTEN_CORE_ERROR_MANDATE_EXCEEDED);
  g_ptr_array_unref (table.bands);
}

static BuurtenSignature *
signature_new (const char  *user,
               BuurtenRole  role)
{
  BuurtenSignature *signature = buurten_signature_new ();

  signature->user = g_strdup (user);
  signature->role = role;
  return signature;
}

static GPtrArray *
grants_of (BuurtenRole first,
           BuurtenRole second)
{
  GPtrArray *grants = buurten_grants_new ();

  g_ptr_array_add (grants, buurten_grant_new (first, "zuid"));
  if ((int) second >= 0)
    g_ptr_array_add (grants, buurten_grant_new (second, "zuid"));
  return grants;
}

/* Who may sign is core's authority (buurten_authority_signing), with the
 * roles the mandate engine fixed. */
static void
test_signatures (void)
{
  g_autoptr(BuurtenMandateResult) result = evaluate (BUURTEN_FUNDING_WIJKBUDGET, 500000);
  g_autoptr(GPtrArray) signatures = g_ptr_array_new_with_free_func (
    (GDestroyNotify) buurten_signature_free);
  g_autoptr(GPtrArray) anna = grants_of (BUURTEN_ROLE_BUURTCOORDINATOR, BUURTEN_ROLE_WIJKWETHOUDER);
  g_autoptr(GPtrArray) coordinator = grants_of (BUURTEN_ROLE_BUURTCOORDINATOR, -1);
  g_autoptr(GPtrArray) wethouder_buurten = grants_of (BUURTEN_ROLE_WETHOUDER_BUURTEN, -1);
  g_autoptr(GPtrArray) wethouder = grants_of (BUURTEN_ROLE_WIJKWETHOUDER, -1);
  g_autoptr(GArray) missing = NULL;
  BuurtenSigning *signing;

  missing = buurten_mandate_missing_roles (result, NULL);
  assert_roles (missing, BUURTEN_ROLE_BUURTCOORDINATOR, BUURTEN_ROLE_WIJKWETHOUDER, -1);
  g_clear_pointer (&missing, g_array_unref);

  signing = buurten_authority_signing (result->roles, BUURTEN_COMMITMENT_PENDING,
                                       BUURTEN_INITIATIVE_CHECKED, "zuid", signatures, "anna",
                                       anna);
  g_assert_true (signing->may_sign);
  g_assert_cmpint (signing->role, ==, BUURTEN_ROLE_BUURTCOORDINATOR);
  buurten_signing_free (signing);
  g_ptr_array_add (signatures, signature_new ("anna", BUURTEN_ROLE_BUURTCOORDINATOR));

  missing = buurten_mandate_missing_roles (result, signatures);
  assert_roles (missing, BUURTEN_ROLE_WIJKWETHOUDER, -1);
  g_clear_pointer (&missing, g_array_unref);

  /* Four eyes: Anna cannot sign as wijkwethouder as well. */
  signing = buurten_authority_signing (result->roles, BUURTEN_COMMITMENT_PENDING,
                                       BUURTEN_INITIATIVE_CHECKED, "zuid", signatures, "anna",
                                       anna);
  g_assert_false (signing->may_sign);
  g_assert_cmpint (signing->refusal, ==, BUURTEN_CORE_ERROR_FOUR_EYES);
  buurten_signing_free (signing);

  /* Bert cannot sign a role already covered, nor one not needed. */
  signing = buurten_authority_signing (result->roles, BUURTEN_COMMITMENT_PENDING,
                                       BUURTEN_INITIATIVE_CHECKED, "zuid", signatures, "bert",
                                       coordinator);
  g_assert_false (signing->may_sign);
  g_assert_cmpint (signing->refusal, ==, BUURTEN_CORE_ERROR_FORBIDDEN);
  buurten_signing_free (signing);
  signing = buurten_authority_signing (result->roles, BUURTEN_COMMITMENT_PENDING,
                                       BUURTEN_INITIATIVE_CHECKED, "zuid", signatures, "bert",
                                       wethouder_buurten);
  g_assert_false (signing->may_sign);
  g_assert_cmpint (signing->refusal, ==, BUURTEN_CORE_ERROR_FORBIDDEN);
  buurten_signing_free (signing);

  signing = buurten_authority_signing (result->roles, BUURTEN_COMMITMENT_PENDING,
                                       BUURTEN_INITIATIVE_CHECKED, "zuid", signatures, "bert",
                                       wethouder);
  g_assert_true (signing->may_sign);
  g_assert_cmpint (signing->role, ==, BUURTEN_ROLE_WIJKWETHOUDER);
  buurten_signing_free (signing);
  g_ptr_array_add (signatures, signature_new ("bert", BUURTEN_ROLE_WIJKWETHOUDER));

  missing = buurten_mandate_missing_roles (result, signatures);
  g_assert_cmpuint (missing->len, ==, 0);
  g_clear_pointer (&missing, g_array_unref);

  /* Complete: nobody else signs. */
  signing = buurten_authority_signing (result->roles, BUURTEN_COMMITMENT_PENDING,
                                       BUURTEN_INITIATIVE_CHECKED, "zuid", signatures, "carla",
                                       wethouder);
  g_assert_false (signing->may_sign);
  g_assert_cmpint (signing->refusal, ==, BUURTEN_CORE_ERROR_INVALID_STATE);
  buurten_signing_free (signing);
}

/* A list that breaks the rule (imported, or forged) never lets one
 * person cover two roles. */
static void
test_signatures_same_user (void)
{
  g_autoptr(BuurtenMandateResult) result = evaluate (BUURTEN_FUNDING_WIJKBUDGET, 500000);
  g_autoptr(GPtrArray) signatures = g_ptr_array_new_with_free_func (
    (GDestroyNotify) buurten_signature_free);
  g_autoptr(GArray) missing = NULL;

  g_ptr_array_add (signatures, signature_new ("anna", BUURTEN_ROLE_BUURTCOORDINATOR));
  g_ptr_array_add (signatures, signature_new ("anna", BUURTEN_ROLE_WIJKWETHOUDER));
  missing = buurten_mandate_missing_roles (result, signatures);
  assert_roles (missing, BUURTEN_ROLE_WIJKWETHOUDER, -1);
}

static void
test_signature_refused (void)
{
  g_autoptr(BuurtenMandateResult) result = evaluate (BUURTEN_FUNDING_WIJKBUDGET, 2500001);
  g_autoptr(GArray) missing = buurten_mandate_missing_roles (result, NULL);

  /* Refused: nobody signs, and the reason is the refusal's sentence. */
  g_assert_false (result->allowed);
  g_assert_cmpuint (missing->len, ==, 0);
  g_assert_cmpuint (result->roles->len, ==, 0);
  {
    g_autofree char *sentence = buurten_refusal_describe (result->refusal,
                                                          result->refusal_args, NULL);

    g_assert_cmpstr (sentence, ==, result->reason);
  }
}

static void
test_criticals (void)
{
  BuurtenMandateInput input = { 1000, BUURTEN_FUNDING_WIJKBUDGET, "zuid", 2021, 0, 100000, 0 };

  g_test_expect_message ("buurten-mandate", G_LOG_LEVEL_CRITICAL, "*table != NULL*");
  g_assert_null (buurten_mandate_evaluate (NULL, &input));
  g_test_assert_expected_messages ();

  buurten_mandate_result_free (NULL);
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

  g_test_add_func ("/mandate/wijkbudget-bands", test_wijkbudget_bands);
  g_test_add_func ("/mandate/handgeld", test_handgeld);
  g_test_add_func ("/mandate/investering", test_investering);
  g_test_add_func ("/mandate/invalid-amounts", test_invalid_amounts);
  g_test_add_func ("/mandate/over-budget", test_over_budget);
  g_test_add_func ("/mandate/over-budget-role-present", test_over_budget_role_present);
  g_test_add_func ("/mandate/wijkkansen-pot", test_wijkkansen_pot);
  g_test_add_func ("/mandate/incomplete-table", test_incomplete_table);
  g_test_add_func ("/mandate/signatures", test_signatures);
  g_test_add_func ("/mandate/signatures-same-user", test_signatures_same_user);
  g_test_add_func ("/mandate/signature-refused", test_signature_refused);
  g_test_add_func ("/mandate/criticals", test_criticals);

  ret = g_test_run ();
  g_clear_object (&municipality);
  return ret;
}
