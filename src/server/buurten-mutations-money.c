/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-server"

#include "config.h"

#include "buurten-mutations-private.h"
#include "buurten-ledger-feed.h"

/* Money and authority: decisions, commitments, signatures, payments and
 * budget moves. Every rule is core's (buurten-authority.h,
 * buurten-mandate.h, buurten-ledger.h): the server loads the facts under
 * the budget lock and asks. */

/* The sum of the initiative's approved commitments (what a grant may
 * record), and whether there is any. */
gboolean
approved_money (BuurtenMutationContext  *ctx,
                const char              *initiative_id,
                gint64                  *out_cents,
                gboolean                *out_any,
                GError                 **error)
{
  g_autoptr(PGresult) rows = NULL;
  g_autoptr(GPtrArray) commitments = NULL;
  gint64 total = 0;
  gboolean any = FALSE;

  rows = BUURTEN_DB_EXEC (ctx->conn, error,
                          "SELECT data::text FROM objects WHERE type = 'commitment'"
                          " AND NOT deleted AND data ->> 'initiative_id' = $1",
                          initiative_id);
  if (rows == NULL)
    return FALSE;
  commitments = entities_from_rows (&buurten_commitment_info,
                                    (GDestroyNotify) buurten_commitment_free, rows, error);
  if (commitments == NULL)
    return FALSE;

  for (guint i = 0; i < commitments->len; i++)
    {
      const BuurtenCommitment *commitment = g_ptr_array_index (commitments, i);

      if (commitment->state != BUURTEN_COMMITMENT_APPROVED)
        continue;
      any = TRUE;
      total = MIN (total + commitment->amount_cents, BUURTEN_MONEY_MAX_CENTS);
    }

  if (out_cents != NULL)
    *out_cents = total;
  if (out_any != NULL)
    *out_any = any;
  return TRUE;
}

/* What the initiative's grant decisions add up to. */
static gboolean
granted_money (BuurtenMutationContext  *ctx,
               const char              *initiative_id,
               gint64                  *out_cents,
               GError                 **error)
{
  g_autoptr(PGresult) rows = NULL;
  gint64 total = 0;

  rows = BUURTEN_DB_EXEC (ctx->conn, error,
                          "SELECT data::text FROM objects WHERE type = 'decision'"
                          " AND NOT deleted AND data ->> 'initiative_id' = $1",
                          initiative_id);
  if (rows == NULL)
    return FALSE;

  for (int i = 0; i < PQntuples (rows); i++)
    {
      g_autoptr(BuurtenDecision) decision = entity_from_text (&buurten_decision_info,
                                                              buurten_db_get (rows, i, 0),
                                                              error);

      if (decision == NULL)
        return FALSE;
      if (decision->outcome == BUURTEN_OUTCOME_GRANTED)
        total = MIN (total + decision->amount_cents, BUURTEN_MONEY_MAX_CENTS);
    }

  *out_cents = total;
  return TRUE;
}

/* No text, or only white space. */
/* A decision object of the initiative (rejected or referred). */
gboolean
insert_decision (BuurtenMutationContext  *ctx,
                 Obj                     *initiative,
                 int                      outcome,
                 const char              *reason,
                 JsonObject              *result,
                 GError                 **error)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *today = today_text (ctx);
  g_autoptr(Obj) decision = obj_new (&buurten_decision_info, id, initiative->scope);

  json_object_set_string_member (decision->data, "initiative_id", initiative->id);
  json_object_set_string_member (decision->data, "outcome",
                                 buurten_decision_outcome_ids[outcome]);
  json_object_set_string_member (decision->data, "reason", reason);
  json_object_set_string_member (decision->data, "decided_on", today);
  if (!insert_object (ctx, decision, error))
    return FALSE;

  json_object_set_string_member (result, "decision_id", id);
  return TRUE;
}

gboolean
m_decision_record (BuurtenMutationContext  *ctx,
                   JsonObject              *args,
                   JsonObject              *result,
                   GError                 **error)
{
  g_autoptr(Obj) obj = NULL;
  JsonObject *refusal_args = NULL;
  const char *outcome_id = NULL;
  const char *reason = NULL;
  gint64 amount = 0;
  int outcome;

  if (!arg_string (args, "outcome", TRUE, &outcome_id, error) ||
      !arg_string (args, "reason", FALSE, &reason, error) ||
      !arg_int (args, "amount_cents", FALSE, &amount, error))
    return FALSE;

  outcome = buurten_enum_from_id (buurten_decision_outcome_ids, outcome_id);
  if (outcome < 0)
    {
      set_error (error, BUURTEN_CORE_ERROR_INVALID,
                 "args.outcome: expected toegekend, afgewezen or doorverwezen");
      return FALSE;
    }
  if (outcome != BUURTEN_OUTCOME_GRANTED &&
      !buurten_decision_check ((BuurtenDecisionOutcome) outcome, amount, 0, 0, reason,
                               &refusal_args, error))
    {
      take_refusal_args (ctx, refusal_args);
      return FALSE;
    }

  obj = new_child (ctx, args, &buurten_decision_info, "initiative_id", &buurten_initiative_info,
                   (const char * const []) { "outcome", "amount_cents", "reason", "decided_on",
                                             NULL },
                   error);
  if (obj == NULL)
    return FALSE;

  /* A grant records approved money, never more: together with the grants
   * recorded before (the last signature of each approved commitment
   * records one), and never without approved money. */
  if (outcome == BUURTEN_OUTCOME_GRANTED)
    {
      const char *initiative_id = json_object_get_string_member (obj->data, "initiative_id");
      gint64 approved = 0;
      gint64 granted = 0;

      if (!approved_money (ctx, initiative_id, &approved, NULL, error) ||
          !granted_money (ctx, initiative_id, &granted, error))
        return FALSE;
      if (!buurten_decision_check (BUURTEN_OUTCOME_GRANTED, amount, approved, granted, reason,
                                   &refusal_args, error))
        {
          take_refusal_args (ctx, refusal_args);
          return FALSE;
        }
    }

  if (!json_object_has_member (obj->data, "decided_on"))
    {
      g_autofree char *today = today_text (ctx);

      json_object_set_string_member (obj->data, "decided_on", today);
    }

  return insert_answering (ctx, obj, result, error);
}

/* ---- money ------------------------------------------------------------------------ */


static JsonNode *
roles_to_json (GArray *roles)
{
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; roles != NULL && i < roles->len; i++)
    json_array_add_string_element (array, buurten_role_ids[g_array_index (roles, BuurtenRole,
                                                                            i)]);
  json_node_take_array (node, array);
  return node;
}

static GArray *
roles_from_json (JsonObject *meta,
                 const char *member)
{
  GArray *roles = g_array_new (FALSE, FALSE, sizeof (BuurtenRole));
  JsonNode *node = meta != NULL ? json_object_get_member (meta, member) : NULL;
  JsonArray *array = node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node)
                                                                  : NULL;

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      int role = -1;

      if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
        role = buurten_enum_from_id (buurten_role_ids, json_node_get_string (element));
      if (role >= 0)
        {
          BuurtenRole r = role;

          g_array_append_val (roles, r);
        }
    }

  return roles;
}

/* The ledger of year for what the mandate and the moves ask of one wijk's
 * account: fed with the candidates only, and the ledger decides what
 * counts. The SQL selects, it never sums: the year's commitments of the
 * wijk and of the wijkkansen pot in any state, and the transfers and
 * carry-overs that touch the wijk, recorded or confirmed. Run under the
 * budget lock of the year, so that it sees every commitment and move
 * made before, by every server process. */
static BuurtenLedger *
load_account_ledger (BuurtenMutationContext  *ctx,
                     const char              *wijk,
                     int                      year,
                     GError                 **error)
{
  g_autoptr(BuurtenLedger) ledger = NULL;
  g_autoptr(PGresult) rows = NULL;
  g_autofree char *year_text = g_strdup_printf ("%d", year);
  g_autofree char *previous_text = g_strdup_printf ("%d", year - 1);

  rows = BUURTEN_DB_EXEC (ctx->conn, error,
                          "SELECT type, data::text FROM objects WHERE NOT deleted AND"
                          " ((type = 'commitment' AND data ->> 'year' = $1"
                          "   AND (data ->> 'wijk' = $2 OR data ->> 'funding' = 'wijkkansen'))"
                          "  OR (type = 'transfer' AND data ->> 'year' = $1"
                          "   AND $2 IN (data ->> 'from_wijk', data ->> 'to_wijk'))"
                          "  OR (type = 'carry_over' AND data ->> 'wijk' = $2"
                          "   AND data ->> 'from_year' IN ($1, $3)))"
                          " ORDER BY created_at, id",
                          year_text, wijk, previous_text);
  if (rows == NULL)
    return NULL;

  ledger = buurten_ledger_new (ctx->municipality, year);
  buurten_ledger_feed (ledger, rows, year);
  return g_steal_pointer (&ledger);
}

gboolean
m_commitment_create (BuurtenMutationContext  *ctx,
                     JsonObject              *args,
                     JsonObject              *result,
                     GError                 **error)
{
  g_autofree char *id = NULL;
  g_autoptr(Obj) initiative = NULL;
  g_autoptr(Obj) obj = NULL;
  g_autoptr(BuurtenMandateResult) mandate = NULL;
  g_autoptr(BuurtenLedger) ledger = NULL;
  g_autoptr(BuurtenCommitment) commitment = NULL;
  g_autoptr(PGresult) rows = NULL;
  g_autoptr(GPtrArray) initiative_commitments = NULL;
  g_autofree char *escalation_id = NULL;
  g_autofree char *required_roles = NULL;
  const BuurtenMandateTable *table;
  BuurtenMandateInput input = { 0, };
  JsonObject *refusal_args = NULL;
  const char *funding_id = NULL;
  const char *motivation = NULL;
  const char *wijk;
  gint64 amount;
  int funding;
  int year;

  if (!arg_uuid (args, "id", TRUE, &id, error) ||
      !arg_int (args, "amount_cents", TRUE, &amount, error) ||
      !arg_string (args, "funding", TRUE, &funding_id, error) ||
      !arg_year (args, "year", &year, error) ||
      !arg_string (args, "reason", FALSE, &motivation, error))
    return FALSE;

  funding = buurten_enum_from_id (buurten_funding_ids, funding_id);
  if (funding < 0)
    {
      set_error (error, BUURTEN_CORE_ERROR_INVALID,
                 "args.funding: expected wijkbudget, handgeld, wijkkansen or investering");
      return FALSE;
    }

  table = buurten_municipality_get_mandate_table (ctx->municipality, year);
  if (table == NULL)
    {
      set_error (error, BUURTEN_CORE_ERROR_INVALID, "args.year: there is no mandate table for %d",
                 year);
      return FALSE;
    }

  initiative = open_object (ctx, args, "initiative_id", &buurten_initiative_info, TRUE, error);
  if (initiative == NULL)
    return FALSE;
  wijk = json_object_get_string_member (initiative->data, "wijk");

  if (!buurten_authority_may_commit (ctx->user->grants, wijk, initiative_state_of (initiative),
                                     &refusal_args, error))
    {
      take_refusal_args (ctx, refusal_args);
      return FALSE;
    }

  if (!lock_budget (ctx, year, error))
    return FALSE;

  /* After the lock: what is committed now, by every server process, and
   * what the initiative has already (the mandate is per initiative). */
  ledger = load_account_ledger (ctx, wijk, year, error);
  if (ledger == NULL)
    return FALSE;
  rows = BUURTEN_DB_EXEC (ctx->conn, error,
                          "SELECT data::text FROM objects WHERE type = 'commitment'"
                          " AND NOT deleted AND data ->> 'initiative_id' = $1"
                          " ORDER BY created_at, id",
                          initiative->id);
  if (rows == NULL)
    return FALSE;
  initiative_commitments = entities_from_rows (&buurten_commitment_info,
                                               (GDestroyNotify) buurten_commitment_free,
                                               rows, error);
  if (initiative_commitments == NULL)
    return FALSE;

  obj = obj_new (&buurten_commitment_info, id, initiative->scope);
  json_object_set_string_member (obj->data, "initiative_id", initiative->id);
  json_object_set_string_member (obj->data, "wijk", wijk);
  json_object_set_string_member (obj->data, "funding", funding_id);
  json_object_set_int_member (obj->data, "year", year);
  json_object_set_int_member (obj->data, "amount_cents", amount);
  if (json_object_has_member (initiative->data, "theme"))
    copy_member (initiative->data, "theme", obj->data, NULL);
  json_object_set_string_member (obj->data, "state", "pending");
  set_time_member (ctx, obj->data, "created_at");

  commitment = entity_from_data (&buurten_commitment_info, obj->data, error);
  if (commitment == NULL ||
      !buurten_mandate_input_build (&input, commitment, ledger, initiative_commitments, error))
    return FALSE;

  mandate = buurten_mandate_evaluate (table, &input);
  if (!mandate->allowed)
    {
      g_set_error_literal (error, BUURTEN_CORE_ERROR, mandate->refusal, mandate->reason);
      take_refusal_args (ctx, g_steal_pointer (&mandate->refusal_args));
      return FALSE;
    }

  if (mandate->over_budget)
    escalation_id = g_uuid_string_random ();

  /* The roles that must sign are fixed now, in the commitment itself. */
  required_roles = buurten_roles_to_ids (mandate->roles);
  json_object_set_string_member (obj->data, "required_roles", required_roles);

  obj->meta = json_object_new ();
  json_object_set_member (obj->meta, "required_roles", roles_to_json (mandate->roles));
  json_object_set_member (obj->meta, "missing_roles", roles_to_json (mandate->roles));
  json_object_set_string_member (obj->meta, "instrument", mandate->instrument);
  json_object_set_boolean_member (obj->meta, "over_budget", mandate->over_budget);
  json_object_set_int_member (obj->meta, "over_cents", mandate->over_cents);
  json_object_set_string_member (obj->meta, "reason", mandate->reason);
  /* The decider's motivation, for the decision its last signature records. */
  if (!buurten_text_is_blank (motivation))
    json_object_set_string_member (obj->meta, "motivation", motivation);
  json_object_set_int_member (obj->meta, "total_cents", mandate->total_cents);
  if (escalation_id != NULL)
    json_object_set_string_member (obj->meta, "escalation_id", escalation_id);

  if (!insert_object (ctx, obj, error))
    return FALSE;

  if (mandate->over_budget)
    {
      g_autoptr(Obj) escalation = obj_new (&buurten_escalation_info, escalation_id,
                                           initiative->scope);
      BuurtenRole over_role = table->over_budget_role;

      json_object_set_string_member (escalation->data, "wijk", wijk);
      json_object_set_string_member (escalation->data, "subject_type", "commitment");
      json_object_set_string_member (escalation->data, "subject_id", id);
      json_object_set_string_member (escalation->data, "level",
                                     buurten_escalation_level_ids[BUURTEN_LEVEL_BUDGET]);
      json_object_set_string_member (escalation->data, "target", buurten_role_ids[over_role]);
      json_object_set_string_member (escalation->data, "reason", mandate->reason);
      json_object_set_string_member (escalation->data, "state",
                                     buurten_state_id (BUURTEN_MACHINE_ESCALATION,
                                                       BUURTEN_ESCALATION_OPEN));
      json_object_set_string_member (escalation->data, "opened_by", ctx->user->username);
      set_time_member (ctx, escalation->data, "opened_at");
      if (!insert_object (ctx, escalation, error))
        return FALSE;
      json_object_set_string_member (result, "escalation_id", escalation_id);
    }

  json_object_set_string_member (result, "state", "pending");
  json_object_set_member (result, "missing_roles", roles_to_json (mandate->roles));
  json_object_set_string_member (result, "required_roles", required_roles);
  json_object_set_string_member (result, "instrument", mandate->instrument);
  json_object_set_boolean_member (result, "over_budget", mandate->over_budget);
  json_object_set_string_member (result, "reason", mandate->reason);
  json_object_set_int_member (result, "initiative_cents", input.initiative_cents);
  json_object_set_int_member (result, "total_cents", mandate->total_cents);
  json_object_set_int_member (result, "version", obj->version);
  return TRUE;
}

static GPtrArray *
load_signatures (BuurtenMutationContext  *ctx,
                 const char              *commitment_id,
                 GError                 **error)
{
  g_autoptr(PGresult) rows = NULL;

  rows = BUURTEN_DB_EXEC (ctx->conn, error,
                          "SELECT data::text FROM objects WHERE type = 'signature'"
                          " AND data ->> 'commitment_id' = $1 AND NOT deleted"
                          " ORDER BY data ->> 'signed_at', id",
                          commitment_id);
  if (rows == NULL)
    return NULL;

  return entities_from_rows (&buurten_signature_info, (GDestroyNotify) buurten_signature_free,
                             rows, error);
}

/* The roles fixed when the commitment was made: its required_roles, or
 * for rows made before that field, the meta the server kept. */
static GArray *
required_roles_of (Obj *commitment)
{
  const char *ids = json_object_get_string_member_with_default (commitment->data,
                                                                "required_roles", NULL);

  if (ids != NULL)
    return buurten_roles_from_ids (ids);
  return roles_from_json (commitment->meta, "required_roles");
}

/* "user:role,user:role" of the signatures, in signing order. */
static char *
signers_text (GPtrArray *signatures)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < signatures->len; i++)
    {
      const BuurtenSignature *signature = g_ptr_array_index (signatures, i);

      if (i > 0)
        g_string_append_c (text, ',');
      g_string_append_printf (text, "%s:%s", signature->user, buurten_role_ids[signature->role]);
    }

  return g_string_free (text, FALSE);
}

/* The last signature granted the money: the initiative, when it was
 * still before toegekend, goes there, and the grant is recorded as a
 * decision. */
static gboolean
record_grant (BuurtenMutationContext  *ctx,
              Obj                     *commitment,
              GPtrArray               *signatures,
              JsonObject              *result,
              GError                 **error)
{
  static const char * const state_field[] = { "state", NULL };
  const char *initiative_id = json_object_get_string_member (commitment->data, "initiative_id");
  g_autoptr(Obj) initiative = NULL;
  g_autoptr(Obj) decision = NULL;
  g_autofree char *decision_id = g_uuid_string_random ();
  g_autofree char *today = today_text (ctx);
  g_autofree char *signers = signers_text (signatures);
  int state;

  initiative = load_object (ctx, initiative_id, &buurten_initiative_info, "id", TRUE, error);
  if (initiative == NULL || !lock_scope (ctx, initiative->scope, error))
    return FALSE;

  state = initiative_state_of (initiative);
  if (!buurten_initiative_is_granted (state) && buurten_initiative_may_be_granted (state))
    {
      state = BUURTEN_INITIATIVE_GRANTED;
      json_object_set_string_member (initiative->data, "state",
                                     buurten_state_id (BUURTEN_MACHINE_INITIATIVE, state));
      bump (ctx, initiative, state_field);
      if (!store_object (ctx, initiative, FALSE, error))
        return FALSE;
    }

  decision = obj_new (&buurten_decision_info, decision_id, initiative->scope);
  json_object_set_string_member (decision->data, "initiative_id", initiative->id);
  json_object_set_string_member (decision->data, "outcome",
                                 buurten_decision_outcome_ids[BUURTEN_OUTCOME_GRANTED]);
  json_object_set_int_member (decision->data, "amount_cents",
                              json_object_get_int_member_with_default (commitment->data,
                                                                       "amount_cents", 0));
  json_object_set_string_member (decision->data, "commitment_id", commitment->id);
  json_object_set_string_member (decision->data, "signers", signers);
  json_object_set_string_member (decision->data, "decided_on", today);
  if (commitment->meta != NULL && json_object_has_member (commitment->meta, "motivation"))
    copy_member (commitment->meta, "motivation", decision->data, "reason");
  if (!insert_object (ctx, decision, error))
    return FALSE;

  json_object_set_string_member (result, "initiative_state",
                                 buurten_state_id (BUURTEN_MACHINE_INITIATIVE, state));
  json_object_set_string_member (result, "decision_id", decision_id);
  return TRUE;
}

gboolean
m_commitment_sign (BuurtenMutationContext  *ctx,
                   JsonObject              *args,
                   JsonObject              *result,
                   GError                 **error)
{
  static const char * const state_field[] = { "state", NULL };
  g_autoptr(Obj) obj = NULL;
  g_autoptr(Obj) initiative = NULL;
  g_autoptr(GPtrArray) signatures = NULL;
  g_autoptr(GArray) required = NULL;
  g_autoptr(BuurtenSigning) signing = NULL;
  g_autoptr(BuurtenSigning) after = NULL;
  g_autoptr(BuurtenSignature) signed_now = NULL;
  g_autoptr(Obj) signature = NULL;
  g_autofree char *signature_id = NULL;
  const char *wijk;
  int state;
  gint64 year;
  gboolean approved;

  obj = open_object (ctx, args, "id", &buurten_commitment_info, TRUE, error);
  if (obj == NULL)
    return FALSE;

  year = json_object_get_int_member_with_default (obj->data, "year", 0);
  wijk = json_object_get_string_member_with_default (obj->data, "wijk", "");
  if (!lock_budget (ctx, (int) year, error))
    return FALSE;

  initiative = load_object (ctx, json_object_get_string_member_with_default (obj->data,
                                                                             "initiative_id",
                                                                             ""),
                            &buurten_initiative_info, "id", FALSE, error);
  if (initiative == NULL)
    return FALSE;

  signatures = load_signatures (ctx, obj->id, error);
  if (signatures == NULL)
    return FALSE;

  /* The roles were fixed when the commitment was made (the richtbudget
   * could have been overrun then); core decides who may still sign. */
  required = required_roles_of (obj);
  state = buurten_enum_from_id (buurten_commitment_state_ids,
                                json_object_get_string_member_with_default (obj->data, "state",
                                                                            ""));
  signing = buurten_authority_signing (required, MAX (state, 0), initiative_state_of (initiative),
                                       wijk, signatures, ctx->user->username, ctx->user->grants);
  if (!signing->may_sign)
    {
      g_set_error_literal (error, BUURTEN_CORE_ERROR, signing->refusal, signing->why_not);
      take_refusal_args (ctx, g_steal_pointer (&signing->refusal_args));
      return FALSE;
    }

  signature_id = g_uuid_string_random ();
  signature = obj_new (&buurten_signature_info, signature_id, obj->scope);
  json_object_set_string_member (signature->data, "commitment_id", obj->id);
  json_object_set_string_member (signature->data, "user", ctx->user->username);
  json_object_set_string_member (signature->data, "role", buurten_role_ids[signing->role]);
  set_time_member (ctx, signature->data, "signed_at");
  if (!insert_object (ctx, signature, error))
    return FALSE;

  signed_now = entity_from_data (&buurten_signature_info, signature->data, error);
  if (signed_now == NULL)
    return FALSE;
  g_ptr_array_add (signatures, g_steal_pointer (&signed_now));

  /* What is missing after this signature, by the same rule. */
  after = buurten_authority_signing (required, MAX (state, 0), initiative_state_of (initiative),
                                     wijk, signatures, ctx->user->username, ctx->user->grants);
  approved = after->missing->len == 0;

  if (approved)
    json_object_set_string_member (obj->data, "state", "approved");
  if (obj->meta == NULL)
    obj->meta = json_object_new ();
  json_object_set_member (obj->meta, "missing_roles", roles_to_json (after->missing));
  bump (ctx, obj, approved ? state_field : NULL);
  if (!store_object (ctx, obj, FALSE, error))
    return FALSE;

  if (approved && !record_grant (ctx, obj, signatures, result, error))
    return FALSE;

  json_object_set_string_member (result, "state", approved ? "approved" : "pending");
  json_object_set_member (result, "missing_roles", roles_to_json (after->missing));
  json_object_set_string_member (result, "signed_as", buurten_role_ids[signing->role]);
  json_object_set_string_member (result, "signature_id", signature_id);
  json_object_set_int_member (result, "version", obj->version);
  return TRUE;
}

gboolean
m_commitment_cancel (BuurtenMutationContext  *ctx,
                     JsonObject              *args,
                     JsonObject              *result,
                     GError                 **error)
{
  static const char * const fields[] = { "state", "cancel_reason", NULL };
  g_autoptr(Obj) obj = NULL;
  g_autoptr(PGresult) payments = NULL;
  JsonObject *refusal_args = NULL;
  const char *reason = NULL;
  const char *state;

  if (!arg_string (args, "reason", TRUE, &reason, error))
    return FALSE;

  obj = open_object (ctx, args, "id", &buurten_commitment_info, TRUE, error);
  if (obj == NULL)
    return FALSE;

  /* Releasing money stays possible on a closed initiative. */
  if (!buurten_authority_may_cancel (ctx->user->grants,
                                     json_object_get_string_member_with_default (obj->data, "wijk",
                                                                                 ""),
                                     &refusal_args, error))
    {
      take_refusal_args (ctx, refusal_args);
      return FALSE;
    }

  state = json_object_get_string_member_with_default (obj->data, "state", "");
  if (g_str_equal (state, "cancelled"))
    {
      set_error (error, BUURTEN_CORE_ERROR_INVALID_STATE, "The commitment is cancelled already.");
      return FALSE;
    }

  if (!lock_budget (ctx, (int) json_object_get_int_member_with_default (obj->data, "year", 0),
                    error))
    return FALSE;

  payments = BUURTEN_DB_EXEC (ctx->conn, error,
                              "SELECT 1 FROM objects WHERE type = 'payment'"
                              " AND data ->> 'commitment_id' = $1 LIMIT 1", obj->id);
  if (payments == NULL)
    return FALSE;
  if (PQntuples (payments) > 0)
    {
      set_error (error, BUURTEN_CORE_ERROR_INVALID_STATE,
                 "Money was paid on this commitment: it cannot be cancelled.");
      return FALSE;
    }

  json_object_set_string_member (obj->data, "state", "cancelled");
  json_object_set_string_member (obj->data, "cancel_reason", reason);
  bump (ctx, obj, fields);
  if (!store_object (ctx, obj, FALSE, error))
    return FALSE;

  json_object_set_string_member (result, "state", "cancelled");
  json_object_set_int_member (result, "version", obj->version);
  return TRUE;
}

gboolean
m_payment_record (BuurtenMutationContext  *ctx,
                  JsonObject              *args,
                  JsonObject              *result,
                  GError                 **error)
{
  g_autofree char *id = NULL;
  g_autoptr(Obj) commitment = NULL;
  g_autoptr(Obj) obj = NULL;
  g_autoptr(BuurtenLedger) ledger = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(BuurtenPayment) payment = NULL;
  g_autoptr(PGresult) rows = NULL;
  JsonObject *refusal_args = NULL;
  const char *wijk;
  gint64 left = 0;
  int year;

  if (!arg_uuid (args, "id", TRUE, &id, error))
    return FALSE;

  commitment = open_object (ctx, args, "commitment_id", &buurten_commitment_info, TRUE, error);
  if (commitment == NULL)
    return FALSE;

  wijk = json_object_get_string_member_with_default (commitment->data, "wijk", "");
  if (!buurten_authority_may_pay (ctx->user->grants, wijk, &refusal_args, error))
    {
      take_refusal_args (ctx, refusal_args);
      return FALSE;
    }

  year = (int) json_object_get_int_member_with_default (commitment->data, "year", 0);
  if (!lock_budget (ctx, year, error))
    return FALSE;

  obj = obj_new (&buurten_payment_info, id, commitment->scope);
  json_object_set_string_member (obj->data, "commitment_id", commitment->id);
  copy_members (args, obj->data,
                (const char * const []) { "amount_cents", "paid_on", "kind", "reference", NULL });

  /* The ledger knows whether the commitment may be paid and how much is
   * left to pay on it. */
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, obj->data);
  payment = buurten_entity_from_json (&buurten_payment_info, node, error);
  if (payment == NULL)
    return FALSE;
  /* All the core needs to decide: the commitment and what was paid on it
   * (not the year's ledger). */
  rows = BUURTEN_DB_EXEC (ctx->conn, error,
                          "SELECT type, data::text FROM objects WHERE NOT deleted"
                          " AND ((type = 'commitment' AND id = $1::uuid)"
                          "  OR (type = 'payment' AND data ->> 'commitment_id' = $2))"
                          " ORDER BY CASE type WHEN 'commitment' THEN 0 ELSE 1 END,"
                          "  created_at, id",
                          commitment->id, commitment->id);
  if (rows == NULL)
    return FALSE;
  ledger = buurten_ledger_new (ctx->municipality, year);
  buurten_ledger_feed (ledger, rows, year);
  /* Never beyond what is left of the approved money (core's rule, with
   * the refusal's facts for the app's sentence). */
  if (g_strcmp0 (json_object_get_string_member_with_default (commitment->data, "state", ""),
                 buurten_commitment_state_ids[BUURTEN_COMMITMENT_APPROVED]) == 0 &&
      buurten_ledger_commitment_left (ledger, commitment->id, &left) &&
      !buurten_payment_check (payment->amount_cents, left, &refusal_args, error))
    {
      take_refusal_args (ctx, refusal_args);
      return FALSE;
    }
  if (!buurten_ledger_add_payment (ledger, payment, error))
    return FALSE;

  return insert_answering (ctx, obj, result, error);
}

/* Whether the move (a transfer or a carry-over, recorded or about to be
 * confirmed) fits what its source has free, as core decides: the ledger
 * of the year the money leaves (for a carry-over, the year it is carried
 * out of, at that year's end), fed with the source wijk's commitments and
 * every move (recorded ones hold nothing), then
 * buurten_authority_check_move(); and the move itself, as confirmed, must
 * go into that ledger, so that what is stored always went through it.
 * Under the budget lock of that year. */
static gboolean
move_fits (BuurtenMutationContext  *ctx,
           Obj                     *move,
           GError                 **error)
{
  g_autoptr(BuurtenLedger) ledger = NULL;
  g_autoptr(BuurtenThermometer) source = NULL;
  gboolean transfer = move->info == &buurten_transfer_info;
  const char *wijk;
  JsonObject *refusal_args = NULL;
  gpointer entity;
  gboolean added;
  gint64 amount;
  int year;

  wijk = json_object_get_string_member (move->data, transfer ? "from_wijk" : "wijk");
  year = (int) json_object_get_int_member (move->data, transfer ? "year" : "from_year");
  amount = json_object_get_int_member_with_default (move->data, "amount_cents", 0);

  ledger = load_account_ledger (ctx, wijk, year, error);
  if (ledger == NULL)
    return FALSE;

  source = buurten_ledger_wijk (ledger, wijk);
  if (source == NULL)
    {
      set_error (error, BUURTEN_CORE_ERROR_INVALID, "there is no wijk “%s”", wijk);
      return FALSE;
    }

  if (!buurten_authority_check_move (source, amount, &refusal_args, error))
    {
      take_refusal_args (ctx, refusal_args);
      return FALSE;
    }

  entity = entity_from_data (move->info, move->data, error);
  if (entity == NULL)
    return FALSE;
  if (transfer)
    {
      ((BuurtenTransfer *) entity)->state = BUURTEN_MOVE_CONFIRMED;
      added = buurten_ledger_add_transfer (ledger, entity, error);
    }
  else
    {
      ((BuurtenCarryOver *) entity)->state = BUURTEN_MOVE_CONFIRMED;
      added = buurten_ledger_add_carry_over (ledger, entity, error);
    }
  buurten_entity_free (move->info, entity);
  return added;
}

/* The arguments every move takes, into data; the move is recorded by
 * the session's user and holds nothing until it is confirmed. */
static gboolean
new_move (BuurtenMutationContext  *ctx,
          JsonObject              *args,
          Obj                     *obj,
          GError                 **error)
{
  g_autofree char *today = today_text (ctx);
  const char *reason = NULL;
  const char *decision_ref = NULL;
  const char *decision_date = NULL;
  gint64 amount;

  if (!arg_int (args, "amount_cents", TRUE, &amount, error) ||
      !arg_string (args, "reason", TRUE, &reason, error) ||
      !arg_text (args, "decision_ref", &decision_ref, error) ||
      !arg_date (args, "decision_date", &decision_date, error))
    return FALSE;

  json_object_set_int_member (obj->data, "amount_cents", amount);
  json_object_set_string_member (obj->data, "reason", reason);
  json_object_set_string_member (obj->data, "decided_on", today);
  json_object_set_string_member (obj->data, "decision_ref", decision_ref);
  json_object_set_string_member (obj->data, "decision_date", decision_date);
  json_object_set_string_member (obj->data, "state",
                                 buurten_move_state_ids[BUURTEN_MOVE_RECORDED]);
  json_object_set_string_member (obj->data, "recorded_by", ctx->user->username);
  return TRUE;
}

static gboolean
may_record_move (BuurtenMutationContext  *ctx,
                 GError                 **error)
{
  JsonObject *refusal_args = NULL;

  if (buurten_authority_may_record_move (ctx->user->grants, &refusal_args, error))
    return TRUE;

  take_refusal_args (ctx, refusal_args);
  return FALSE;
}

static gboolean
store_move (BuurtenMutationContext  *ctx,
            Obj                     *obj,
            JsonObject              *result,
            GError                 **error)
{
  if (!move_fits (ctx, obj, error) || !insert_object (ctx, obj, error))
    return FALSE;

  json_object_set_string_member (result, "state", buurten_move_state_ids[BUURTEN_MOVE_RECORDED]);
  json_object_set_int_member (result, "version", obj->version);
  return TRUE;
}

gboolean
m_budget_transfer (BuurtenMutationContext  *ctx,
                   JsonObject              *args,
                   JsonObject              *result,
                   GError                 **error)
{
  g_autofree char *id = NULL;
  g_autoptr(Obj) obj = NULL;
  const char *from = NULL;
  const char *to = NULL;
  int year;

  if (!arg_uuid (args, "id", TRUE, &id, error) ||
      !arg_year (args, "year", &year, error) ||
      !arg_wijk (ctx, args, "from_wijk", &from, error) ||
      !arg_wijk (ctx, args, "to_wijk", &to, error))
    return FALSE;

  if (g_str_equal (from, to))
    {
      set_error (error, BUURTEN_CORE_ERROR_INVALID, "args.to_wijk: the same as from_wijk");
      return FALSE;
    }

  obj = obj_new (&buurten_transfer_info, id, "city");
  json_object_set_int_member (obj->data, "year", year);
  json_object_set_string_member (obj->data, "from_wijk", from);
  json_object_set_string_member (obj->data, "to_wijk", to);
  if (!new_move (ctx, args, obj, error))
    return FALSE;

  if (!may_record_move (ctx, error) ||
      !require_staff (ctx, "city", error) ||
      !lock_scope (ctx, "city", error) ||
      !lock_budget (ctx, year, error))
    return FALSE;

  return store_move (ctx, obj, result, error);
}

gboolean
m_budget_carry_over (BuurtenMutationContext  *ctx,
                     JsonObject              *args,
                     JsonObject              *result,
                     GError                 **error)
{
  g_autofree char *id = NULL;
  g_autoptr(Obj) obj = NULL;
  const char *wijk = NULL;
  int year;

  if (!arg_uuid (args, "id", TRUE, &id, error) ||
      !arg_wijk (ctx, args, "wijk", &wijk, error) ||
      !arg_year (args, "from_year", &year, error))
    return FALSE;

  obj = obj_new (&buurten_carry_over_info, id, wijk);
  json_object_set_string_member (obj->data, "wijk", wijk);
  json_object_set_int_member (obj->data, "from_year", year);
  if (!new_move (ctx, args, obj, error))
    return FALSE;

  if (!may_record_move (ctx, error) ||
      !require_staff (ctx, wijk, error) ||
      !lock_scope (ctx, wijk, error) ||
      !lock_budget (ctx, year, error) ||
      !lock_budget (ctx, year + 1, error))
    return FALSE;

  return store_move (ctx, obj, result, error);
}

static gboolean
move_is_recorded (Obj *move)
{
  return g_str_equal (json_object_get_string_member_with_default (move->data, "state",
                                                                  buurten_move_state_ids[0]),
                      buurten_move_state_ids[BUURTEN_MOVE_RECORDED]);
}

/* The second person: the wethouder buurten confirms a recorded move, and
 * only then does it move money. */
gboolean
m_budget_confirm (BuurtenMutationContext  *ctx,
                  JsonObject              *args,
                  JsonObject              *result,
                  GError                 **error)
{
  g_autofree char *id = NULL;
  g_autoptr(Obj) first = NULL;
  g_autoptr(Obj) obj = NULL;
  JsonObject *refusal_args = NULL;
  gboolean transfer;
  int year;

  if (!arg_uuid (args, "id", TRUE, &id, error))
    return FALSE;

  first = load_object (ctx, id, NULL, "id", FALSE, error);
  if (first == NULL)
    return FALSE;
  if (first->info != &buurten_transfer_info && first->info != &buurten_carry_over_info)
    {
      JsonObject *refusal = refuse (ctx, error, BUURTEN_CORE_ERROR_NOT_FOUND, "not_found",
                                    "args.id: there is no transfer or carry-over %s", id);

      json_object_set_string_member (refusal, "type", "transfer");
      return FALSE;
    }
  transfer = first->info == &buurten_transfer_info;
  g_free (ctx->object);
  ctx->object = g_strdup_printf ("%s:%s", first->info->name, id);

  if (!move_is_recorded (first))
    {
      refuse (ctx, error, BUURTEN_CORE_ERROR_INVALID_STATE, "move.not_recorded",
              "This budget move is not waiting for confirmation.");
      return FALSE;
    }

  if (!buurten_authority_may_confirm_move (ctx->user->grants, ctx->user->username,
                                           json_object_get_string_member_with_default (
                                             first->data, "recorded_by", NULL),
                                           &refusal_args, error))
    {
      take_refusal_args (ctx, refusal_args);
      return FALSE;
    }

  year = (int) json_object_get_int_member (first->data, transfer ? "year" : "from_year");
  if (!lock_scope (ctx, first->scope, error) ||
      !lock_budget (ctx, year, error) ||
      (!transfer && !lock_budget (ctx, year + 1, error)))
    return FALSE;

  /* Afresh under the locks: someone may have confirmed it meanwhile, and
   * what the source has free may have changed since it was recorded. */
  obj = load_object (ctx, id, first->info, "id", TRUE, error);
  if (obj == NULL)
    return FALSE;
  if (!move_is_recorded (obj))
    {
      refuse (ctx, error, BUURTEN_CORE_ERROR_INVALID_STATE, "move.not_recorded",
              "This budget move is not waiting for confirmation.");
      return FALSE;
    }

  if (!move_fits (ctx, obj, error))
    return FALSE;

  json_object_set_string_member (obj->data, "state",
                                 buurten_move_state_ids[BUURTEN_MOVE_CONFIRMED]);
  json_object_set_string_member (obj->data, "confirmed_by", ctx->user->username);
  bump (ctx, obj, ctx->mutation->fields);
  if (!store_object (ctx, obj, FALSE, error))
    return FALSE;

  json_object_set_string_member (result, "state", buurten_move_state_ids[BUURTEN_MOVE_CONFIRMED]);
  json_object_set_int_member (result, "version", obj->version);
  return TRUE;
}
