/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-authority"

#include "config.h"

#include <string.h>

#include "buurten-core.h"

/* The authority of core (buurten-authority.h): grants, who signs, budget
 * moves, escalations and notes, the mutation catalogue, and a property
 * test that plays the server with random users. */

static BuurtenMunicipality *municipality;
static const int year = 2021;

static GPtrArray *
grants_of (BuurtenRole role,
           const char *wijk)
{
  GPtrArray *grants = buurten_grants_new ();

  g_ptr_array_add (grants, buurten_grant_new (role, wijk));
  return grants;
}

/* ---- grants ---------------------------------------------------------- */

static void
test_grants (void)
{
  g_autoptr(GPtrArray) coordinator = grants_of (BUURTEN_ROLE_BUURTCOORDINATOR, "centrum");
  g_autoptr(GPtrArray) teammanager = grants_of (BUURTEN_ROLE_TEAMMANAGER_SAMENLEVING, NULL);
  g_autoptr(GPtrArray) partner = grants_of (BUURTEN_ROLE_PARTNER, "oost");
  g_autoptr(GPtrArray) copy = NULL;
  g_autoptr(GPtrArray) back = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) bad = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (buurten_grants_have_role (coordinator, BUURTEN_ROLE_BUURTCOORDINATOR, "centrum"));
  g_assert_false (buurten_grants_have_role (coordinator, BUURTEN_ROLE_BUURTCOORDINATOR, "oost"));
  g_assert_true (buurten_grants_have_role (coordinator, BUURTEN_ROLE_BUURTCOORDINATOR, NULL));
  g_assert_false (buurten_grants_have_role (coordinator, BUURTEN_ROLE_WIJKWETHOUDER, "centrum"));
  g_assert_true (buurten_grants_have_role (teammanager, BUURTEN_ROLE_TEAMMANAGER_SAMENLEVING,
                                           "zuid"));
  g_assert_false (buurten_grants_have_role (NULL, BUURTEN_ROLE_ADMIN, NULL));

  g_assert_true (buurten_grants_staff_in (coordinator, municipality, "centrum"));
  g_assert_false (buurten_grants_staff_in (coordinator, municipality, "oost"));
  g_assert_false (buurten_grants_staff_in (coordinator, municipality, "city"));
  g_assert_true (buurten_grants_staff_in (teammanager, municipality, "city"));
  g_assert_false (buurten_grants_staff_in (partner, municipality, "oost"));
  g_assert_true (buurten_grants_partner_in (partner, municipality, "oost"));
  g_assert_false (buurten_grants_partner_in (partner, municipality, "city"));

  /* Round trip through the JSON of /me. */
  g_ptr_array_add (coordinator, buurten_grant_new (BUURTEN_ROLE_ADMIN, NULL));
  node = buurten_grants_to_json (coordinator);
  back = buurten_grants_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->len, ==, 2);
  g_assert_true (buurten_grants_have_role (back, BUURTEN_ROLE_ADMIN, "zuid"));
  g_assert_false (buurten_grants_have_role (back, BUURTEN_ROLE_BUURTCOORDINATOR, "zuid"));
  copy = buurten_grants_copy (back);
  g_assert_cmpuint (copy->len, ==, 2);
  g_assert_true (buurten_grants_equal (copy, back));
  g_assert_true (buurten_grants_equal (copy, coordinator));
  g_assert_false (buurten_grants_equal (copy, NULL));
  g_assert_true (buurten_grants_equal (NULL, NULL));
  g_ptr_array_add (copy, buurten_grant_new (BUURTEN_ROLE_PARTNER, "oost"));
  g_assert_false (buurten_grants_equal (copy, back));

  bad = json_from_string ("[{\"wijk\":\"centrum\"}]", NULL);
  g_assert_null (buurten_grants_from_json (bad, &error));
  g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID);
}

static void
test_scope_contains (void)
{
  const BuurtenWijk *centrum = buurten_municipality_lookup_wijk (municipality, "centrum");
  g_autofree char *cluster = g_strconcat ("cluster:", centrum->cluster, NULL);

  g_assert_true (buurten_scope_contains (municipality, "centrum", "centrum"));
  g_assert_false (buurten_scope_contains (municipality, "centrum", "oost"));
  g_assert_true (buurten_scope_contains (municipality, "city", "oost"));
  g_assert_true (buurten_scope_contains (municipality, cluster, "centrum"));
  g_assert_false (buurten_scope_contains (municipality, cluster, "noordwest"));
  g_assert_false (buurten_scope_contains (municipality, "oost", "city"));
}

/* ---- the mandate per initiative -------------------------------------------- */

static BuurtenCommitment *
commitment_new (const char     *initiative,
                const char     *wijk,
                BuurtenFunding  funding,
                gint64          amount,
                BuurtenCommitmentState state)
{
  BuurtenCommitment *commitment = buurten_commitment_new ();

  commitment->id = buurten_uuid_new ();
  commitment->initiative_id = g_strdup (initiative);
  commitment->wijk = g_strdup (wijk);
  commitment->funding = funding;
  commitment->year = year;
  commitment->amount_cents = amount;
  commitment->state = state;
  return commitment;
}

static void
test_mandate_per_initiative (void)
{
  g_autoptr(BuurtenLedger) ledger = buurten_ledger_new (municipality, year);
  g_autoptr(GPtrArray) mine = g_ptr_array_new_with_free_func ((GDestroyNotify) buurten_commitment_free);
  g_autofree char *initiative = buurten_uuid_new ();
  g_autoptr(BuurtenCommitment) next = NULL;
  g_autoptr(BuurtenMandateResult) result = NULL;
  g_autoptr(GError) error = NULL;
  BuurtenMandateInput input;
  const BuurtenMandateTable *table = buurten_municipality_get_mandate_table (municipality, year);

  /* € 1.900 approved, € 1.000 cancelled, € 50 of another initiative. */
  g_ptr_array_add (mine, commitment_new (initiative, "centrum", BUURTEN_FUNDING_WIJKBUDGET,
                                         190000, BUURTEN_COMMITMENT_APPROVED));
  g_ptr_array_add (mine, commitment_new (initiative, "centrum", BUURTEN_FUNDING_HANDGELD,
                                         100000, BUURTEN_COMMITMENT_CANCELLED));
  for (guint i = 0; i < mine->len; i++)
    g_assert_true (buurten_ledger_add_commitment (ledger, g_ptr_array_index (mine, i), NULL));
  {
    g_autoptr(BuurtenCommitment) other = commitment_new ("x", "centrum",
                                                         BUURTEN_FUNDING_WIJKBUDGET, 5000,
                                                         BUURTEN_COMMITMENT_PENDING);

    g_assert_true (buurten_ledger_add_commitment (ledger, other, NULL));
  }

  /* A second piece of € 1.900: the initiative's total is € 3.800. */
  next = commitment_new (initiative, "centrum", BUURTEN_FUNDING_WIJKBUDGET, 190000,
                         BUURTEN_COMMITMENT_PENDING);
  g_assert_true (buurten_mandate_input_build (&input, next, ledger, mine, &error));
  g_assert_no_error (error);
  g_assert_cmpint (input.initiative_cents, ==, 190000);
  g_assert_cmpint (input.committed_cents, ==, 195000);
  g_assert_cmpint (input.budget_cents, ==, 3250000);

  result = buurten_mandate_evaluate (table, &input);
  g_assert_true (result->allowed);
  g_assert_cmpint (result->total_cents, ==, 380000);
  g_assert_cmpuint (result->roles->len, ==, 2);
  g_assert_cmpint (g_array_index (result->roles, BuurtenRole, 1), ==, BUURTEN_ROLE_WIJKWETHOUDER);

  /* The same piece once it is in the ledger and the list is not counted
   * twice. */
  g_assert_true (buurten_ledger_add_commitment (ledger, next, NULL));
  g_ptr_array_add (mine, buurten_commitment_copy (next));
  g_assert_true (buurten_mandate_input_build (&input, next, ledger, mine, &error));
  g_assert_cmpint (input.initiative_cents, ==, 190000);
  g_assert_cmpint (input.committed_cents, ==, 195000);

  /* Above € 25.000 in total nothing more from the wijk budget. */
  next->amount_cents = 2500000 - 190000 + 1;
  g_clear_pointer (&next->id, g_free);
  g_clear_pointer (&result, buurten_mandate_result_free);
  g_assert_true (buurten_mandate_input_build (&input, next, ledger, mine, &error));
  result = buurten_mandate_evaluate (table, &input);
  g_assert_false (result->allowed);
  g_assert_cmpint (result->refusal, ==, BUURTEN_CORE_ERROR_MANDATE_EXCEEDED);
  g_assert_cmpstr (json_object_get_string_member (result->refusal_args, "rule"), ==,
                   "mandate.not_allowed");
  g_assert_cmpint (json_object_get_int_member (result->refusal_args, "total_cents"), ==,
                   2500000 + 190000 + 1);

  /* An unknown wijk is an error, not a zero. */
  g_free (next->wijk);
  next->wijk = g_strdup ("atlantis");
  g_assert_false (buurten_mandate_input_build (&input, next, ledger, mine, &error));
  g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID);
}

/* ---- signing ----------------------------------------------------------------- */

static BuurtenSignature *
signature_new (const char  *user,
               BuurtenRole  role)
{
  BuurtenSignature *signature = buurten_signature_new ();

  signature->id = buurten_uuid_new ();
  signature->user = g_strdup (user);
  signature->role = role;
  return signature;
}

static const char *
rule_of (JsonObject *args)
{
  return args != NULL ? json_object_get_string_member_with_default (args, "rule", "") : "";
}

static void
test_signing (void)
{
  g_autoptr(GArray) required = buurten_roles_from_ids ("buurtcoordinator,wijkwethouder,bogus");
  g_autoptr(GPtrArray) signatures = g_ptr_array_new_with_free_func ((GDestroyNotify) buurten_signature_free);
  g_autoptr(GPtrArray) coordinator = grants_of (BUURTEN_ROLE_BUURTCOORDINATOR, "centrum");
  g_autoptr(GPtrArray) wethouder = grants_of (BUURTEN_ROLE_WIJKWETHOUDER, "centrum");
  g_autoptr(GPtrArray) other_wethouder = grants_of (BUURTEN_ROLE_WIJKWETHOUDER, "oost");
  g_autofree char *ids = NULL;
  BuurtenSigning *s;

  g_assert_cmpuint (required->len, ==, 2);
  ids = buurten_roles_to_ids (required);
  g_assert_cmpstr (ids, ==, "buurtcoordinator,wijkwethouder");

  s = buurten_authority_signing (required, BUURTEN_COMMITMENT_PENDING,
                                 BUURTEN_INITIATIVE_CHECKED, "centrum", NULL, "anna", coordinator);
  g_assert_true (s->may_sign);
  g_assert_cmpint (s->role, ==, BUURTEN_ROLE_BUURTCOORDINATOR);
  g_assert_cmpuint (s->missing->len, ==, 2);
  buurten_signing_free (s);

  g_ptr_array_add (signatures, signature_new ("anna", BUURTEN_ROLE_BUURTCOORDINATOR));

  /* Four eyes, whatever roles anna holds. */
  s = buurten_authority_signing (required, BUURTEN_COMMITMENT_PENDING,
                                 BUURTEN_INITIATIVE_CHECKED, "centrum", signatures, "anna",
                                 wethouder);
  g_assert_false (s->may_sign);
  g_assert_cmpint (s->refusal, ==, BUURTEN_CORE_ERROR_FOUR_EYES);
  g_assert_cmpstr (rule_of (s->refusal_args), ==, "sign.four_eyes");
  g_assert_nonnull (s->why_not);
  buurten_signing_free (s);

  /* Another wijk's wethouder holds no role here. */
  s = buurten_authority_signing (required, BUURTEN_COMMITMENT_PENDING,
                                 BUURTEN_INITIATIVE_CHECKED, "centrum", signatures, "bert",
                                 other_wethouder);
  g_assert_false (s->may_sign);
  g_assert_cmpint (s->refusal, ==, BUURTEN_CORE_ERROR_FORBIDDEN);
  g_assert_cmpstr (rule_of (s->refusal_args), ==, "sign.no_role");
  g_assert_cmpuint (s->missing->len, ==, 1);
  buurten_signing_free (s);

  /* A second coordinator cannot fill the wethouder's place. */
  s = buurten_authority_signing (required, BUURTEN_COMMITMENT_PENDING,
                                 BUURTEN_INITIATIVE_CHECKED, "centrum", signatures, "cees",
                                 coordinator);
  g_assert_false (s->may_sign);
  buurten_signing_free (s);

  s = buurten_authority_signing (required, BUURTEN_COMMITMENT_PENDING,
                                 BUURTEN_INITIATIVE_CHECKED, "centrum", signatures, "dirk",
                                 wethouder);
  g_assert_true (s->may_sign);
  g_assert_cmpint (s->role, ==, BUURTEN_ROLE_WIJKWETHOUDER);
  buurten_signing_free (s);

  /* Not on a rejected initiative, not on an approved commitment, not
   * without a user. */
  s = buurten_authority_signing (required, BUURTEN_COMMITMENT_PENDING,
                                 BUURTEN_INITIATIVE_REJECTED, "centrum", signatures, "dirk",
                                 wethouder);
  g_assert_cmpstr (rule_of (s->refusal_args), ==, "initiative.closed");
  buurten_signing_free (s);
  s = buurten_authority_signing (required, BUURTEN_COMMITMENT_APPROVED,
                                 BUURTEN_INITIATIVE_GRANTED, "centrum", signatures, "dirk",
                                 wethouder);
  g_assert_cmpstr (rule_of (s->refusal_args), ==, "sign.not_pending");
  buurten_signing_free (s);
  s = buurten_authority_signing (required, BUURTEN_COMMITMENT_PENDING,
                                 BUURTEN_INITIATIVE_CHECKED, "centrum", signatures, NULL,
                                 wethouder);
  g_assert_cmpstr (rule_of (s->refusal_args), ==, "sign.no_user");
  buurten_signing_free (s);
}

static void
test_may_commit (void)
{
  g_autoptr(GPtrArray) coordinator = grants_of (BUURTEN_ROLE_BUURTCOORDINATOR, "centrum");
  g_autoptr(GPtrArray) admin = grants_of (BUURTEN_ROLE_ADMIN, NULL);
  g_autoptr(JsonObject) args = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (buurten_authority_may_commit (coordinator, "centrum",
                                               BUURTEN_INITIATIVE_CHECKED, NULL, NULL));
  g_assert_false (buurten_authority_may_commit (coordinator, "oost", BUURTEN_INITIATIVE_CHECKED,
                                                &args, &error));
  g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_FORBIDDEN);
  g_assert_cmpstr (rule_of (args), ==, "commit.no_role");
  g_clear_error (&error);
  g_assert_false (buurten_authority_may_commit (admin, "centrum", BUURTEN_INITIATIVE_CHECKED,
                                                NULL, NULL));
  for (int state = BUURTEN_INITIATIVE_REJECTED; state <= BUURTEN_INITIATIVE_DONE; state++)
    if (state == BUURTEN_INITIATIVE_REJECTED || state == BUURTEN_INITIATIVE_REFERRED ||
        state == BUURTEN_INITIATIVE_DONE)
      {
        g_assert_false (buurten_authority_may_commit (coordinator, "centrum", state, &args,
                                                      &error));
        g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID_STATE);
        g_assert_cmpstr (rule_of (args), ==, "initiative.closed");
        g_clear_error (&error);
      }
}

static void
test_transitions (void)
{
  g_autoptr(JsonObject) args = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) path = NULL;

  /* toegekend only through signatures. */
  g_assert_false (buurten_initiative_check_transition (BUURTEN_INITIATIVE_CHECKED,
                                                       BUURTEN_INITIATIVE_GRANTED, TRUE,
                                                       &args, &error));
  g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID_STATE);
  g_assert_cmpstr (rule_of (args), ==, "initiative.grant_by_signature");
  g_clear_error (&error);

  g_assert_false (buurten_initiative_check_transition (BUURTEN_INITIATIVE_GRANTED,
                                                       BUURTEN_INITIATIVE_IN_PROGRESS, FALSE,
                                                       &args, &error));
  g_assert_cmpstr (rule_of (args), ==, "initiative.not_approved");
  g_clear_error (&error);
  g_assert_true (buurten_initiative_check_transition (BUURTEN_INITIATIVE_GRANTED,
                                                      BUURTEN_INITIATIVE_IN_PROGRESS, TRUE,
                                                      NULL, NULL));
  g_assert_false (buurten_initiative_check_transition (BUURTEN_INITIATIVE_IDEA,
                                                       BUURTEN_INITIATIVE_DONE, TRUE,
                                                       &args, &error));
  g_assert_cmpstr (rule_of (args), ==, "state.transition");
  g_clear_error (&error);
  g_assert_true (buurten_initiative_check_transition (BUURTEN_INITIATIVE_CHECKED,
                                                      BUURTEN_INITIATIVE_REJECTED, FALSE,
                                                      NULL, NULL));

  path = buurten_state_path (BUURTEN_MACHINE_INITIATIVE, BUURTEN_INITIATIVE_IDEA,
                             BUURTEN_INITIATIVE_CHECKED);
  g_assert_nonnull (path);
  g_assert_cmpuint (path->len, ==, 3);
  g_assert_cmpint (g_array_index (path, int, 0), ==, BUURTEN_INITIATIVE_IDEA);
  g_assert_cmpint (g_array_index (path, int, 1), ==, BUURTEN_INITIATIVE_SUBMITTED);
  g_assert_cmpint (g_array_index (path, int, 2), ==, BUURTEN_INITIATIVE_CHECKED);
  g_assert_null (buurten_state_path (BUURTEN_MACHINE_INITIATIVE, BUURTEN_INITIATIVE_DONE,
                                     BUURTEN_INITIATIVE_IDEA));

  g_assert_true (buurten_initiative_may_be_granted (BUURTEN_INITIATIVE_IN_PROGRESS));
  g_assert_false (buurten_initiative_may_be_granted (BUURTEN_INITIATIVE_REFERRED));
  g_assert_false (buurten_initiative_may_be_granted (-1));
}

static void
test_cancel_pay_decide (void)
{
  g_autoptr(GPtrArray) coordinator = grants_of (BUURTEN_ROLE_BUURTCOORDINATOR, "centrum");
  g_autoptr(GPtrArray) wethouder = grants_of (BUURTEN_ROLE_WIJKWETHOUDER, "centrum");
  g_autoptr(GPtrArray) teammanager = grants_of (BUURTEN_ROLE_TEAMMANAGER_SAMENLEVING, NULL);
  g_autoptr(GPtrArray) admin = grants_of (BUURTEN_ROLE_ADMIN, NULL);
  g_autoptr(JsonObject) args = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (buurten_authority_may_cancel (wethouder, "centrum", NULL, NULL));
  g_assert_false (buurten_authority_may_cancel (admin, "centrum", &args, &error));
  g_assert_cmpstr (rule_of (args), ==, "commit.no_role");
  g_clear_error (&error);
  g_assert_false (buurten_authority_may_cancel (coordinator, "oost", NULL, NULL));

  g_assert_true (buurten_authority_may_pay (coordinator, "centrum", NULL, NULL));
  g_assert_true (buurten_authority_may_pay (teammanager, "oost", NULL, NULL));
  g_assert_false (buurten_authority_may_pay (wethouder, "centrum", &args, &error));
  g_assert_cmpstr (rule_of (args), ==, "pay.no_role");
  g_clear_error (&error);

  g_assert_true (buurten_decision_check (BUURTEN_OUTCOME_REJECTED, 0, 0, 0, "Geen draagvlak",
                                         NULL, NULL));
  g_assert_false (buurten_decision_check (BUURTEN_OUTCOME_REFERRED, 0, 0, 0, " \t\n", &args,
                                          &error));
  g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID);
  g_assert_cmpstr (rule_of (args), ==, "decision.needs_reason");
  g_clear_error (&error);
  g_assert_true (buurten_decision_check (BUURTEN_OUTCOME_GRANTED, 100000, 300000, 200000, NULL,
                                         NULL, NULL));
  g_assert_false (buurten_decision_check (BUURTEN_OUTCOME_GRANTED, 100001, 300000, 200000,
                                          NULL, &args, &error));
  g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_MANDATE_EXCEEDED);
  g_assert_cmpstr (rule_of (args), ==, "decision.beyond_approved");
  g_clear_error (&error);
  /* No approved money, no grant; € 10.000.000 on nothing is refused. */
  g_assert_false (buurten_decision_check (BUURTEN_OUTCOME_GRANTED, 0, 0, 0, NULL, NULL, NULL));
  g_assert_false (buurten_decision_check (BUURTEN_OUTCOME_GRANTED, 1000000000, 0, 0, NULL,
                                          NULL, NULL));
  g_assert_true (buurten_text_is_blank (NULL));
  g_assert_false (buurten_text_is_blank (" x "));
}

/* ---- moves, escalations, notes -------------------------------------------- */

static void
test_moves (void)
{
  g_autoptr(GPtrArray) teammanager = grants_of (BUURTEN_ROLE_TEAMMANAGER_SAMENLEVING, NULL);
  g_autoptr(GPtrArray) wethouder = grants_of (BUURTEN_ROLE_WETHOUDER_BUURTEN, NULL);
  g_autoptr(GPtrArray) admin = grants_of (BUURTEN_ROLE_ADMIN, NULL);
  g_autoptr(BuurtenLedger) ledger = buurten_ledger_new (municipality, year);
  g_autoptr(BuurtenThermometer) oost = NULL;
  g_autoptr(BuurtenThermometer) after = NULL;
  g_autoptr(JsonObject) args = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BuurtenTransfer) transfer = buurten_transfer_new ();

  g_assert_true (buurten_authority_may_record_move (teammanager, NULL, NULL));
  g_assert_false (buurten_authority_may_record_move (admin, &args, &error));
  g_assert_cmpstr (rule_of (args), ==, "move.record_role");
  g_clear_error (&error);
  g_assert_false (buurten_authority_may_record_move (wethouder, NULL, NULL));

  g_assert_true (buurten_authority_may_confirm_move (wethouder, "wil", "tom", NULL, NULL));
  g_assert_false (buurten_authority_may_confirm_move (wethouder, "tom", "tom", &args, &error));
  g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_FOUR_EYES);
  g_assert_cmpstr (rule_of (args), ==, "move.same_person");
  g_clear_error (&error);
  g_assert_false (buurten_authority_may_confirm_move (admin, "adm", "tom", NULL, NULL));
  g_assert_false (buurten_authority_may_confirm_move (teammanager, "other", "tom", NULL, NULL));

  oost = buurten_ledger_wijk (ledger, "oost");
  g_assert_true (buurten_authority_check_move (oost, oost->free_cents, NULL, NULL));
  g_assert_false (buurten_authority_check_move (oost, oost->free_cents + 1, &args, &error));
  g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_BUDGET_EXCEEDED);
  g_assert_cmpstr (rule_of (args), ==, "budget.move");
  g_assert_cmpint (json_object_get_int_member (args, "free_cents"), ==, oost->free_cents);
  g_clear_error (&error);
  g_assert_false (buurten_authority_check_move (oost, 99999999999999, NULL, NULL));

  /* A recorded move holds no money; a confirmed one does. */
  transfer->id = buurten_uuid_new ();
  transfer->year = year;
  transfer->from_wijk = g_strdup ("oost");
  transfer->to_wijk = g_strdup ("centrum");
  transfer->amount_cents = 100000;
  transfer->reason = g_strdup ("Halfjaarbespreking");
  transfer->state = BUURTEN_MOVE_RECORDED;
  g_assert_true (buurten_ledger_add_transfer (ledger, transfer, NULL));
  after = buurten_ledger_wijk (ledger, "oost");
  g_assert_cmpint (after->budget_cents, ==, oost->budget_cents);
  g_clear_pointer (&after, buurten_thermometer_free);
  g_free (transfer->id);
  transfer->id = buurten_uuid_new ();
  transfer->state = BUURTEN_MOVE_CONFIRMED;
  g_assert_true (buurten_ledger_add_transfer (ledger, transfer, NULL));
  after = buurten_ledger_wijk (ledger, "oost");
  g_assert_cmpint (after->budget_cents, ==, oost->budget_cents - 100000);
}

static void
test_escalations_and_notes (void)
{
  g_autoptr(GPtrArray) coordinator = grants_of (BUURTEN_ROLE_BUURTCOORDINATOR, "centrum");
  g_autoptr(GPtrArray) teammanager = grants_of (BUURTEN_ROLE_TEAMMANAGER_SAMENLEVING, NULL);
  g_autoptr(BuurtenEscalation) escalation = buurten_escalation_new ();
  g_autoptr(JsonObject) args = NULL;
  g_autoptr(GError) error = NULL;

  escalation->wijk = g_strdup ("centrum");
  escalation->level = BUURTEN_LEVEL_BUDGET;
  escalation->opened_by = g_strdup ("anna");

  /* Taking it up is the wijk's; closing it is the teammanager's, never
   * the opener's. */
  g_assert_true (buurten_authority_may_move_escalation (coordinator, municipality, "anna",
                                                        escalation, BUURTEN_ESCALATION_TAKEN,
                                                        NULL, NULL));
  g_assert_false (buurten_authority_may_move_escalation (coordinator, municipality, "anna",
                                                         escalation, BUURTEN_ESCALATION_SOLVED,
                                                         &args, &error));
  g_assert_cmpstr (rule_of (args), ==, "escalation.opener");
  g_clear_error (&error);
  g_assert_false (buurten_authority_may_move_escalation (coordinator, municipality, "cees",
                                                         escalation,
                                                         BUURTEN_ESCALATION_RETURNED,
                                                         &args, &error));
  g_assert_cmpstr (rule_of (args), ==, "escalation.role");
  g_clear_error (&error);
  g_assert_true (buurten_authority_may_move_escalation (teammanager, municipality, "tom",
                                                        escalation, BUURTEN_ESCALATION_SOLVED,
                                                        NULL, NULL));
  /* Even a teammanager does not close what his own commitment opened. */
  g_assert_false (buurten_authority_may_move_escalation (teammanager, municipality, "anna",
                                                         escalation, BUURTEN_ESCALATION_SOLVED,
                                                         NULL, NULL));

  escalation->level = BUURTEN_LEVEL_OPERATIONAL;
  g_assert_true (buurten_authority_may_move_escalation (coordinator, municipality, "anna",
                                                        escalation, BUURTEN_ESCALATION_SOLVED,
                                                        NULL, NULL));
  g_free (escalation->wijk);
  escalation->wijk = g_strdup ("oost");
  g_assert_false (buurten_authority_may_move_escalation (coordinator, municipality, "anna",
                                                         escalation, BUURTEN_ESCALATION_SOLVED,
                                                         NULL, NULL));

  g_assert_true (buurten_authority_may_edit_note ("anna", "anna", NULL, NULL));
  g_assert_false (buurten_authority_may_edit_note ("bert", "anna", &args, &error));
  g_assert_cmpstr (rule_of (args), ==, "note.author");
  g_assert_false (buurten_authority_may_edit_note (NULL, NULL, NULL, NULL));
}

/* ---- refusals ---------------------------------------------------------------- */

static void
test_refusal_sentences (void)
{
  static const char * const rules[] = {
    "mandate.amount", "mandate.overflow", "mandate.no_band", "mandate.not_allowed",
    "budget.pot_full", "budget.move", "sign.no_user", "sign.not_pending", "sign.four_eyes",
    "sign.no_role", "sign.complete", "commit.no_role", "initiative.closed",
    "initiative.grant_by_signature", "initiative.not_approved", "decision.beyond_approved",
    "decision.needs_reason", "move.record_role", "move.confirm_role", "move.same_person",
    "move.not_recorded", "pay.no_role", "escalation.opener", "escalation.role", "note.author",
    "state.transition", "state.changed", "scope.forbidden", "scope.link", "not_found",
  };
  g_autofree char *general = buurten_refusal_describe (BUURTEN_CORE_ERROR_FORBIDDEN, NULL, NULL);

  /* Every rule has a sentence of its own, never the general one. */
  for (guint i = 0; i < G_N_ELEMENTS (rules); i++)
    {
      g_autoptr(JsonObject) args = buurten_refusal_args_new (rules[i]);
      g_autofree char *text = buurten_refusal_describe (BUURTEN_CORE_ERROR_FORBIDDEN, args,
                                                        municipality);

      g_assert_cmpstr (text, !=, general);
      g_assert_cmpuint (strlen (text), >, 10);
    }

  /* No raw id on the screen: role and wijk ids become their names. */
  {
    g_autoptr(JsonObject) args = buurten_refusal_args_new ("sign.no_role");
    g_autofree char *text = NULL;
    JsonArray *roles = json_array_new ();

    json_array_add_string_element (roles, "teammanager_samenleving");
    json_object_set_array_member (args, "roles", roles);
    json_object_set_string_member (args, "wijk", "hilversumse_meent");
    text = buurten_refusal_describe_code ("FORBIDDEN", args, municipality);
    g_assert_null (strstr (text, "teammanager_samenleving"));
    g_assert_null (strstr (text, "hilversumse_meent"));
  }

  {
    g_autofree char *unknown = buurten_refusal_describe_code ("NO_SUCH_CODE", NULL, NULL);

    g_assert_cmpuint (strlen (unknown), >, 10);
  }

  /* An attachment the server refused (PUT /blobs) says why, not "could
   * not apply". */
  {
    g_autofree char *unknown = buurten_refusal_describe_code ("NO_SUCH_CODE", NULL, NULL);
    static const char * const codes[] = { "UNSUPPORTED_MEDIA_TYPE", "TOO_LARGE",
                                          "QUOTA_EXCEEDED", NULL };

    for (guint i = 0; codes[i] != NULL; i++)
      {
        g_autofree char *text = buurten_refusal_describe_code (codes[i], NULL, NULL);

        g_assert_cmpstr (text, !=, unknown);
      }
  }
}

/* ---- the catalogue ------------------------------------------------------------ */

static void
test_catalogue (void)
{
  g_autoptr(GHashTable) fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(JsonNode) set = json_from_string ("{\"set\":{\"title\":\"x\",\"category\":\"y\"}}",
                                              NULL);
  g_autoptr(BuurtenInitiative) initiative = buurten_initiative_new ();
  g_autoptr(JsonNode) args = NULL;
  JsonObject *object;

  for (guint i = 0; i < BUURTEN_N_MUTATIONS; i++)
    {
      const BuurtenMutationInfo *info = buurten_mutation_info (i);

      g_assert_cmpint (info->id, ==, i);
      g_assert_true (buurten_mutation_lookup (info->name) == info);
      g_assert_cmpstr (buurten_mutation_name (i), ==, info->name);
      g_assert_nonnull (buurten_mutation_get_arg (info, "id"));
      g_assert_cmpstr (buurten_mutation_label (info->name), !=, buurten_mutation_label ("x.y"));
      /* What it may change are fields of its object. */
      for (guint f = 0; info->entity != NULL && info->fields[f] != NULL; f++)
        g_assert_nonnull (buurten_entity_info_get_field (info->entity, info->fields[f]));
      /* Arguments named like a personal field are marked personal. */
      for (const BuurtenMutationArg *arg = info->args; arg->name != NULL; arg++)
        {
          const BuurtenField *field = info->entity != NULL
            ? buurten_entity_info_get_field (info->entity, arg->name) : NULL;

          if (field != NULL && (field->flags & BUURTEN_FIELD_PERSONAL))
            g_assert_true (arg->flags & BUURTEN_ARG_PERSONAL);
        }
    }
  g_assert_null (buurten_mutation_lookup ("request.destroy"));
  g_assert_null (buurten_mutation_lookup (NULL));

  buurten_mutation_pending_fields (buurten_mutation_lookup ("request.update"),
                                   json_node_get_object (set), fields);
  g_assert_cmpuint (g_hash_table_size (fields), ==, 2);
  g_assert_true (g_hash_table_contains (fields, "category"));
  g_hash_table_remove_all (fields);
  buurten_mutation_pending_fields (buurten_mutation_lookup ("request.transition"), NULL, fields);
  g_assert_true (g_hash_table_contains (fields, "state"));
  g_hash_table_remove_all (fields);
  buurten_mutation_pending_fields (buurten_mutation_lookup ("commitment.sign"), NULL, fields);
  g_assert_true (g_hash_table_contains (fields, "*"));

  initiative->id = buurten_uuid_new ();
  initiative->wijk = g_strdup ("centrum");
  initiative->title = g_strdup ("Bankje");
  initiative->requested_cents = 12345;
  args = buurten_mutation_args_from_entity (buurten_mutation_lookup ("initiative.create"),
                                            &buurten_initiative_info, initiative);
  object = json_node_get_object (args);
  g_assert_cmpstr (json_object_get_string_member (object, "title"), ==, "Bankje");
  g_assert_cmpint (json_object_get_int_member (object, "requested_cents"), ==, 12345);
  g_assert_false (json_object_has_member (object, "state"));
  g_assert_false (json_object_has_member (object, "description"));
}

/* ---- the property test ------------------------------------------------------ */

/* A small server made of core's rules only: random users with random
 * grants create commitments on a few initiatives, sign them, cancel them
 * and move budget, in random order. After every step:
 * - no initiative has more approved from a wijk's budget than the
 *   signers of its latest approved commitment may approve (Tabel 2:
 *   up to € 2.000 the buurtcoördinator; up to € 25.000 with the
 *   wijkwethouder; never more), every approved commitment is signed by
 *   distinct people holding each required role for its wijk;
 * - the wijkkansen pot is never overdrawn;
 * - every ledger figure reconciles to the cent with the records, computed
 *   here without the ledger. */

typedef struct
{
  const char *name;
  BuurtenRole role;
  const char *wijk;
} User;

static const User users[] = {
  { "buco-centrum", BUURTEN_ROLE_BUURTCOORDINATOR, "centrum" },
  { "buco-centrum-2", BUURTEN_ROLE_BUURTCOORDINATOR, "centrum" },
  { "buco-oost", BUURTEN_ROLE_BUURTCOORDINATOR, "oost" },
  { "ww-centrum", BUURTEN_ROLE_WIJKWETHOUDER, "centrum" },
  { "ww-oost", BUURTEN_ROLE_WIJKWETHOUDER, "oost" },
  { "wethouder", BUURTEN_ROLE_WETHOUDER_BUURTEN, NULL },
  { "teammanager", BUURTEN_ROLE_TEAMMANAGER_SAMENLEVING, NULL },
  { "admin", BUURTEN_ROLE_ADMIN, NULL },
  { "partner", BUURTEN_ROLE_PARTNER, "centrum" },
};

typedef struct
{
  char *id;
  const char *wijk;
  int state;
} Initiative;

typedef struct
{
  BuurtenCommitment *commitment;
  GPtrArray         *signatures;  /* BuurtenSignature* */
} Held;

static void
held_free (Held *held)
{
  buurten_commitment_free (held->commitment);
  g_ptr_array_unref (held->signatures);
  g_free (held);
}

typedef struct
{
  GRand      *rand;
  Initiative  initiatives[5];
  GPtrArray  *held;       /* Held*, in creation order */
  GPtrArray  *transfers;  /* BuurtenTransfer* */
  guint       approved;
  guint       refused;
} World;

static BuurtenLedger *
world_ledger (World *world)
{
  BuurtenLedger *ledger = buurten_ledger_new (municipality, year);

  for (guint i = 0; i < world->held->len; i++)
    {
      Held *held = g_ptr_array_index (world->held, i);

      g_assert_true (buurten_ledger_add_commitment (ledger, held->commitment, NULL));
    }
  for (guint i = 0; i < world->transfers->len; i++)
    g_assert_true (buurten_ledger_add_transfer (ledger, g_ptr_array_index (world->transfers, i),
                                                NULL));
  return ledger;
}

static GPtrArray *
world_initiative_commitments (World      *world,
                              const char *initiative)
{
  GPtrArray *list = g_ptr_array_new ();

  for (guint i = 0; i < world->held->len; i++)
    {
      Held *held = g_ptr_array_index (world->held, i);

      if (g_str_equal (held->commitment->initiative_id, initiative))
        g_ptr_array_add (list, held->commitment);
    }
  return list;
}

static Initiative *
world_initiative (World      *world,
                  const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (world->initiatives); i++)
    if (g_str_equal (world->initiatives[i].id, id))
      return &world->initiatives[i];
  g_assert_not_reached ();
}

static void
step_create (World *world)
{
  const User *user = &users[g_rand_int_range (world->rand, 0, G_N_ELEMENTS (users))];
  Initiative *initiative = &world->initiatives[g_rand_int_range (world->rand, 0,
                                                                 G_N_ELEMENTS (world->initiatives))];
  static const gint64 amounts[] = { 5000, 100000, 190000, 200000, 200001, 450000, 990000,
                                    1200000, 2500000, 3000000 };
  g_autoptr(GPtrArray) grants = grants_of (user->role, user->wijk);
  g_autoptr(BuurtenLedger) ledger = NULL;
  g_autoptr(GPtrArray) mine = NULL;
  g_autoptr(BuurtenMandateResult) result = NULL;
  BuurtenCommitment *commitment;
  BuurtenMandateInput input;
  Held *held;
  int funding = g_rand_int_range (world->rand, 0, 3);

  if (!buurten_authority_may_commit (grants, initiative->wijk, initiative->state, NULL, NULL))
    {
      world->refused++;
      return;
    }

  commitment = commitment_new (initiative->id, initiative->wijk, (BuurtenFunding) funding,
                               amounts[g_rand_int_range (world->rand, 0, G_N_ELEMENTS (amounts))],
                               BUURTEN_COMMITMENT_PENDING);
  ledger = world_ledger (world);
  mine = world_initiative_commitments (world, initiative->id);
  g_assert_true (buurten_mandate_input_build (&input, commitment, ledger, mine, NULL));
  result = buurten_mandate_evaluate (buurten_municipality_get_mandate_table (municipality, year),
                                     &input);
  if (!result->allowed)
    {
      world->refused++;
      buurten_commitment_free (commitment);
      return;
    }

  commitment->required_roles = buurten_roles_to_ids (result->roles);
  held = g_new0 (Held, 1);
  held->commitment = commitment;
  held->signatures = g_ptr_array_new_with_free_func ((GDestroyNotify) buurten_signature_free);
  g_ptr_array_add (world->held, held);
}

static void
step_sign (World *world)
{
  const User *user = &users[g_rand_int_range (world->rand, 0, G_N_ELEMENTS (users))];
  g_autoptr(GPtrArray) grants = grants_of (user->role, user->wijk);
  g_autoptr(GArray) required = NULL;
  g_autoptr(BuurtenSigning) signing = NULL;
  Initiative *initiative;
  Held *held;

  if (world->held->len == 0)
    return;
  held = g_ptr_array_index (world->held, g_rand_int_range (world->rand, 0, world->held->len));
  initiative = world_initiative (world, held->commitment->initiative_id);
  required = buurten_roles_from_ids (held->commitment->required_roles);
  signing = buurten_authority_signing (required, held->commitment->state, initiative->state,
                                       held->commitment->wijk, held->signatures, user->name,
                                       grants);
  if (!signing->may_sign)
    {
      world->refused++;
      return;
    }

  g_ptr_array_add (held->signatures, signature_new (user->name, signing->role));
  if (signing->missing->len == 1)
    {
      held->commitment->state = BUURTEN_COMMITMENT_APPROVED;
      world->approved++;
      if (!buurten_initiative_is_granted (initiative->state))
        initiative->state = BUURTEN_INITIATIVE_GRANTED;
    }
}

static void
step_cancel (World *world)
{
  Held *held;

  if (world->held->len == 0)
    return;
  held = g_ptr_array_index (world->held, g_rand_int_range (world->rand, 0, world->held->len));
  held->commitment->state = BUURTEN_COMMITMENT_CANCELLED;
}

static void
step_transfer (World *world)
{
  const User *recorder = &users[g_rand_int_range (world->rand, 0, G_N_ELEMENTS (users))];
  const User *confirmer = &users[g_rand_int_range (world->rand, 0, G_N_ELEMENTS (users))];
  g_autoptr(GPtrArray) recorder_grants = grants_of (recorder->role, recorder->wijk);
  g_autoptr(GPtrArray) confirmer_grants = grants_of (confirmer->role, confirmer->wijk);
  g_autoptr(BuurtenLedger) ledger = NULL;
  g_autoptr(BuurtenThermometer) source = NULL;
  gboolean to_oost = g_rand_boolean (world->rand);
  gint64 amount = g_rand_int_range (world->rand, 1, 4000000);
  BuurtenTransfer *transfer;

  if (!buurten_authority_may_record_move (recorder_grants, NULL, NULL) ||
      !buurten_authority_may_confirm_move (confirmer_grants, confirmer->name, recorder->name,
                                           NULL, NULL))
    {
      world->refused++;
      return;
    }

  ledger = world_ledger (world);
  source = buurten_ledger_wijk (ledger, to_oost ? "centrum" : "oost");
  if (!buurten_authority_check_move (source, amount, NULL, NULL))
    {
      world->refused++;
      return;
    }

  transfer = buurten_transfer_new ();
  transfer->id = buurten_uuid_new ();
  transfer->year = year;
  transfer->from_wijk = g_strdup (to_oost ? "centrum" : "oost");
  transfer->to_wijk = g_strdup (to_oost ? "oost" : "centrum");
  transfer->amount_cents = amount;
  transfer->reason = g_strdup ("Halfjaarbespreking");
  transfer->state = BUURTEN_MOVE_CONFIRMED;
  transfer->recorded_by = g_strdup (recorder->name);
  transfer->confirmed_by = g_strdup (confirmer->name);
  g_ptr_array_add (world->transfers, transfer);
}

/* The independent reading of Tabel 2 for the wijk budget. */
static gboolean
roles_may_approve (GPtrArray *signatures,
                   gint64     total)
{
  gboolean coordinator = FALSE, wethouder = FALSE;

  for (guint i = 0; i < signatures->len; i++)
    {
      const BuurtenSignature *signature = g_ptr_array_index (signatures, i);

      coordinator |= signature->role == BUURTEN_ROLE_BUURTCOORDINATOR;
      wethouder |= signature->role == BUURTEN_ROLE_WIJKWETHOUDER;
    }

  if (total <= 200000)
    return coordinator;
  if (total <= 2500000)
    return coordinator && wethouder;
  return FALSE;
}

static void
world_check (World *world)
{
  g_autoptr(BuurtenLedger) ledger = world_ledger (world);
  gint64 pot = 0;

  for (guint w = 0; w < 2; w++)
    {
      const char *wijk = w == 0 ? "centrum" : "oost";
      g_autoptr(BuurtenThermometer) t = buurten_ledger_wijk (ledger, wijk);
      gint64 approved = 0, pending = 0, budget;

      budget = buurten_municipality_wijk_budget (municipality, wijk, year);
      for (guint i = 0; i < world->transfers->len; i++)
        {
          const BuurtenTransfer *transfer = g_ptr_array_index (world->transfers, i);

          if (g_str_equal (transfer->from_wijk, wijk))
            budget -= transfer->amount_cents;
          if (g_str_equal (transfer->to_wijk, wijk))
            budget += transfer->amount_cents;
        }
      for (guint i = 0; i < world->held->len; i++)
        {
          const BuurtenCommitment *c = ((Held *) g_ptr_array_index (world->held, i))->commitment;

          if (!g_str_equal (c->wijk, wijk) || c->funding == BUURTEN_FUNDING_WIJKKANSEN)
            continue;
          if (c->state == BUURTEN_COMMITMENT_APPROVED)
            approved += c->amount_cents;
          else if (c->state == BUURTEN_COMMITMENT_PENDING)
            pending += c->amount_cents;
        }

      g_assert_cmpint (t->budget_cents, ==, budget);
      g_assert_cmpint (t->approved_cents, ==, approved);
      g_assert_cmpint (t->pending_cents, ==, pending);
      g_assert_cmpint (t->approved_cents + t->pending_cents + t->free_cents, ==, t->budget_cents);
      /* Moves take only what is free: a wijk's budget never goes below
       * what it had committed when the money left. */
      g_assert_cmpint (t->budget_cents, >=, 0);
    }

  for (guint n = 0; n < G_N_ELEMENTS (world->initiatives); n++)
    {
      const Initiative *initiative = &world->initiatives[n];
      const Held *latest = NULL;
      gint64 approved = 0;

      for (guint i = 0; i < world->held->len; i++)
        {
          const Held *held = g_ptr_array_index (world->held, i);
          const BuurtenCommitment *c = held->commitment;
          g_autoptr(GArray) required = NULL;

          if (c->state != BUURTEN_COMMITMENT_APPROVED ||
              !g_str_equal (c->initiative_id, initiative->id))
            continue;

          if (c->funding == BUURTEN_FUNDING_WIJKKANSEN)
            {
              pot += c->amount_cents;
              continue;
            }
          approved += c->amount_cents;
          latest = held;

          /* Every required role signed, by distinct people who hold it. */
          required = buurten_roles_from_ids (c->required_roles);
          g_assert_cmpuint (held->signatures->len, ==, required->len);
          for (guint s = 0; s < held->signatures->len; s++)
            {
              const BuurtenSignature *signature = g_ptr_array_index (held->signatures, s);
              gboolean holds = FALSE;

              for (guint u = 0; u < G_N_ELEMENTS (users); u++)
                if (g_str_equal (users[u].name, signature->user))
                  holds = users[u].role == signature->role &&
                          (users[u].wijk == NULL || g_str_equal (users[u].wijk, c->wijk));
              g_assert_true (holds);
              for (guint t = 0; t < s; t++)
                g_assert_cmpstr (((BuurtenSignature *) g_ptr_array_index (held->signatures,
                                                                          t))->user, !=,
                                 signature->user);
            }
        }

      if (latest != NULL)
        g_assert_true (roles_may_approve (latest->signatures, approved));
      g_assert_cmpint (approved, <=, 2500000);
    }

  g_assert_cmpint (pot, <=, buurten_municipality_pot_budget (municipality, "wijkkansen", year));
}

static void
test_property_random (void)
{
  guint approved = 0, refused = 0;

  for (guint32 seed = 1; seed <= 150; seed++)
    {
      World world = { 0, };

      world.rand = g_rand_new_with_seed (seed);
      world.held = g_ptr_array_new_with_free_func ((GDestroyNotify) held_free);
      world.transfers = g_ptr_array_new_with_free_func ((GDestroyNotify) buurten_transfer_free);
      for (guint i = 0; i < G_N_ELEMENTS (world.initiatives); i++)
        {
          world.initiatives[i].id = buurten_uuid_new ();
          world.initiatives[i].wijk = i % 2 == 0 ? "centrum" : "oost";
          world.initiatives[i].state = i == 4 ? BUURTEN_INITIATIVE_REJECTED
                                              : BUURTEN_INITIATIVE_CHECKED;
        }

      g_test_message ("seed %u", seed);
      for (guint step = 0; step < 80; step++)
        {
          guint kind = g_rand_int_range (world.rand, 0, 10);

          if (kind < 4)
            step_create (&world);
          else if (kind < 8)
            step_sign (&world);
          else if (kind < 9)
            step_cancel (&world);
          else
            step_transfer (&world);
          world_check (&world);
        }

      approved += world.approved;
      refused += world.refused;
      for (guint i = 0; i < G_N_ELEMENTS (world.initiatives); i++)
        g_free (world.initiatives[i].id);
      g_ptr_array_unref (world.held);
      g_ptr_array_unref (world.transfers);
      g_rand_free (world.rand);
    }

  /* The run did something: commitments were approved and refused. */
  g_test_message ("%u approved, %u refused", approved, refused);
  g_assert_cmpuint (approved, >, 100);
  g_assert_cmpuint (refused, >, 100);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;

  g_test_init (&argc, &argv, NULL);

  municipality = buurten_municipality_new_default (&error);
  g_assert_no_error (error);

  g_test_add_func ("/authority/grants", test_grants);
  g_test_add_func ("/authority/scope-contains", test_scope_contains);
  g_test_add_func ("/authority/mandate-per-initiative", test_mandate_per_initiative);
  g_test_add_func ("/authority/signing", test_signing);
  g_test_add_func ("/authority/may-commit", test_may_commit);
  g_test_add_func ("/authority/transitions", test_transitions);
  g_test_add_func ("/authority/cancel-pay-decide", test_cancel_pay_decide);
  g_test_add_func ("/authority/moves", test_moves);
  g_test_add_func ("/authority/escalations-and-notes", test_escalations_and_notes);
  g_test_add_func ("/authority/refusal-sentences", test_refusal_sentences);
  g_test_add_func ("/authority/catalogue", test_catalogue);
  g_test_add_func ("/authority/property-random", test_property_random);

  return g_test_run ();
}
