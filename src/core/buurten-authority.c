/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-authority"

#include "config.h"

#include "buurten-authority.h"

#include <string.h>

#include <glib/gi18n.h>

#include "buurten-error.h"
#include "buurten-json.h"
#include "buurten-money.h"
#include "buurten-refusal.h"
#include "buurten-states.h"

/* ---- grants ---------------------------------------------------------- */

BuurtenGrant *
buurten_grant_new (BuurtenRole  role,
                   const char  *wijk)
{
  BuurtenGrant *grant = g_new0 (BuurtenGrant, 1);

  grant->role = role;
  grant->wijk = g_strdup (wijk);
  return grant;
}

void
buurten_grant_free (BuurtenGrant *grant)
{
  if (grant == NULL)
    return;

  g_free (grant->wijk);
  g_free (grant);
}

GPtrArray *
buurten_grants_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) buurten_grant_free);
}

GPtrArray *
buurten_grants_copy (GPtrArray *grants)
{
  GPtrArray *copy = buurten_grants_new ();

  for (guint i = 0; grants != NULL && i < grants->len; i++)
    {
      const BuurtenGrant *grant = g_ptr_array_index (grants, i);

      g_ptr_array_add (copy, buurten_grant_new (grant->role, grant->wijk));
    }

  return copy;
}

GPtrArray *
buurten_grants_from_json (JsonNode  *node,
                          GError   **error)
{
  g_autoptr(GPtrArray) grants = buurten_grants_new ();
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error_literal (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID,
                           "grants: expected an array");
      return NULL;
    }

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *object;
      const char *role_id = NULL;
      const char *wijk = NULL;
      JsonNode *wijk_node;
      int role;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          g_set_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID,
                       "grants[%u]: expected an object", i);
          return NULL;
        }
      object = json_node_get_object (element);
      if (!buurten_json_get_string (object, "grants[]", "role", TRUE, &role_id, error))
        return NULL;

      wijk_node = json_object_get_member (object, "wijk");
      if (wijk_node != NULL && !JSON_NODE_HOLDS_NULL (wijk_node))
        {
          if (!buurten_json_get_string (object, "grants[]", "wijk", TRUE, &wijk, error))
            return NULL;
        }

      role = buurten_enum_from_id (buurten_role_ids, role_id);
      if (role < 0)
        continue;
      g_ptr_array_add (grants, buurten_grant_new ((BuurtenRole) role, wijk));
    }

  return g_steal_pointer (&grants);
}

JsonNode *
buurten_grants_to_json (GPtrArray *grants)
{
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; grants != NULL && i < grants->len; i++)
    {
      const BuurtenGrant *grant = g_ptr_array_index (grants, i);
      JsonObject *object = json_object_new ();

      json_object_set_string_member (object, "role", buurten_role_ids[grant->role]);
      if (grant->wijk != NULL)
        json_object_set_string_member (object, "wijk", grant->wijk);
      else
        json_object_set_null_member (object, "wijk");
      json_array_add_object_element (array, object);
    }

  json_node_take_array (node, array);
  return node;
}

gboolean
buurten_grants_equal (GPtrArray *a,
                      GPtrArray *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  if (a->len != b->len)
    return FALSE;

  for (guint i = 0; i < a->len; i++)
    {
      const BuurtenGrant *x = g_ptr_array_index (a, i);
      const BuurtenGrant *y = g_ptr_array_index (b, i);

      if (x->role != y->role || g_strcmp0 (x->wijk, y->wijk) != 0)
        return FALSE;
    }

  return TRUE;
}

gboolean
buurten_grants_have_role (GPtrArray   *grants,
                          BuurtenRole  role,
                          const char  *wijk)
{
  for (guint i = 0; grants != NULL && i < grants->len; i++)
    {
      const BuurtenGrant *grant = g_ptr_array_index (grants, i);

      if (grant->role != role)
        continue;
      if (wijk == NULL || grant->wijk == NULL || g_str_equal (grant->wijk, wijk))
        return TRUE;
    }

  return FALSE;
}

/* Whether one grant covers the scope. */
static gboolean
grant_covers (const BuurtenGrant  *grant,
              BuurtenMunicipality *municipality,
              const char          *scope)
{
  const BuurtenWijk *wijk;

  if (grant->wijk == NULL)
    return TRUE;

  if (g_str_equal (scope, "city"))
    return FALSE;

  if (g_str_has_prefix (scope, "cluster:"))
    {
      wijk = buurten_municipality_lookup_wijk (municipality, grant->wijk);
      return wijk != NULL && g_strcmp0 (wijk->cluster, scope + strlen ("cluster:")) == 0;
    }

  return g_str_equal (grant->wijk, scope);
}

gboolean
buurten_grants_staff_in (GPtrArray           *grants,
                         BuurtenMunicipality *municipality,
                         const char          *scope)
{
  g_return_val_if_fail (scope != NULL, FALSE);

  for (guint i = 0; grants != NULL && i < grants->len; i++)
    {
      const BuurtenGrant *grant = g_ptr_array_index (grants, i);

      if (grant->role != BUURTEN_ROLE_PARTNER && grant_covers (grant, municipality, scope))
        return TRUE;
    }

  return FALSE;
}

gboolean
buurten_grants_partner_in (GPtrArray           *grants,
                           BuurtenMunicipality *municipality,
                           const char          *scope)
{
  g_return_val_if_fail (scope != NULL, FALSE);

  if (g_str_equal (scope, "city"))
    return FALSE;

  for (guint i = 0; grants != NULL && i < grants->len; i++)
    {
      const BuurtenGrant *grant = g_ptr_array_index (grants, i);

      if (grant->role == BUURTEN_ROLE_PARTNER && grant_covers (grant, municipality, scope))
        return TRUE;
    }

  return FALSE;
}

gboolean
buurten_scope_contains (BuurtenMunicipality *municipality,
                        const char          *outer,
                        const char          *inner)
{
  const BuurtenWijk *wijk;

  g_return_val_if_fail (outer != NULL && inner != NULL, FALSE);

  if (g_str_equal (outer, inner) || g_str_equal (outer, "city"))
    return TRUE;

  if (g_str_has_prefix (outer, "cluster:"))
    {
      wijk = buurten_municipality_lookup_wijk (municipality, inner);
      return wijk != NULL && g_strcmp0 (wijk->cluster, outer + strlen ("cluster:")) == 0;
    }

  return FALSE;
}

/* ---- commitments: what counts ------------------------------------------- */

gboolean
buurten_commitment_counts (const BuurtenCommitment *commitment)
{
  g_return_val_if_fail (commitment != NULL, FALSE);

  return commitment->state == BUURTEN_COMMITMENT_PENDING ||
         commitment->state == BUURTEN_COMMITMENT_APPROVED;
}

gboolean
buurten_funding_has_account (BuurtenFunding funding)
{
  return funding == BUURTEN_FUNDING_WIJKBUDGET || funding == BUURTEN_FUNDING_HANDGELD ||
         funding == BUURTEN_FUNDING_WIJKKANSEN;
}

gboolean
buurten_funding_same_account (BuurtenFunding a,
                              BuurtenFunding b)
{
  gboolean a_wijk = a == BUURTEN_FUNDING_WIJKBUDGET || a == BUURTEN_FUNDING_HANDGELD;
  gboolean b_wijk = b == BUURTEN_FUNDING_WIJKBUDGET || b == BUURTEN_FUNDING_HANDGELD;

  if (a_wijk || b_wijk)
    return a_wijk && b_wijk;
  return a == b;
}

BuurtenMandateResult *
buurten_commitment_mandate (BuurtenMunicipality     *municipality,
                            BuurtenLedger           *ledger,
                            const BuurtenCommitment *commitment,
                            GPtrArray               *initiative_commitments,
                            BuurtenMandateInput     *out_input,
                            GError                 **error)
{
  const BuurtenMandateTable *table;
  BuurtenMandateInput input;

  g_return_val_if_fail (BUURTEN_IS_MUNICIPALITY (municipality), NULL);
  g_return_val_if_fail (ledger != NULL, NULL);
  g_return_val_if_fail (commitment != NULL, NULL);

  if (!buurten_mandate_input_build (&input, commitment, ledger, initiative_commitments, error))
    return NULL;
  if (out_input != NULL)
    *out_input = input;

  table = buurten_municipality_get_mandate_table (municipality, (int) commitment->year);
  if (table == NULL)
    return NULL;

  return buurten_mandate_evaluate (table, &input);
}

BuurtenCommitment *
buurten_commitment_proposal (const BuurtenInitiative *initiative,
                             int                      year)
{
  BuurtenCommitment *proposed;

  g_return_val_if_fail (initiative != NULL, NULL);

  proposed = buurten_commitment_new ();
  proposed->initiative_id = g_strdup (initiative->id);
  proposed->wijk = g_strdup (initiative->wijk);
  proposed->funding = BUURTEN_FUNDING_WIJKBUDGET;
  proposed->year = year;
  proposed->amount_cents = initiative->requested_cents;

  return proposed;
}

GArray *
buurten_commitment_required_roles (const BuurtenCommitment    *commitment,
                                   const BuurtenMandateResult *mandate)
{
  GArray *roles;

  g_return_val_if_fail (commitment != NULL, NULL);

  roles = buurten_roles_from_ids (commitment->required_roles);
  if (roles->len == 0 && mandate != NULL && mandate->allowed && mandate->roles != NULL)
    g_array_append_vals (roles, mandate->roles->data, mandate->roles->len);

  return roles;
}

gboolean
buurten_mandate_input_build (BuurtenMandateInput      *input,
                             const BuurtenCommitment  *commitment,
                             BuurtenLedger            *ledger,
                             GPtrArray                *initiative_commitments,
                             GError                  **error)
{
  gint64 committed = 0;
  gint64 budget = 0;
  gint64 initiative = 0;

  g_return_val_if_fail (input != NULL, FALSE);
  g_return_val_if_fail (commitment != NULL, FALSE);
  g_return_val_if_fail (ledger != NULL, FALSE);

  memset (input, 0, sizeof *input);
  input->amount_cents = commitment->amount_cents;
  input->funding = commitment->funding;
  input->wijk = commitment->wijk;
  input->year = (int) commitment->year;

  if (!buurten_ledger_account_committed (ledger, commitment->funding, commitment->wijk,
                                         commitment->id, &committed, &budget, error))
    return FALSE;

  /* What the initiative already has from the same account, every year:
   * splitting over two years is splitting too. */
  for (guint i = 0; initiative_commitments != NULL && i < initiative_commitments->len; i++)
    {
      const BuurtenCommitment *other = g_ptr_array_index (initiative_commitments, i);

      if (commitment->id != NULL && g_strcmp0 (other->id, commitment->id) == 0)
        continue;
      if (!buurten_commitment_counts (other) ||
          !buurten_funding_same_account (other->funding, commitment->funding))
        continue;
      if (other->amount_cents < 0 || other->amount_cents > BUURTEN_MONEY_MAX_CENTS ||
          initiative > BUURTEN_MONEY_MAX_CENTS - other->amount_cents)
        {
          initiative = BUURTEN_MONEY_MAX_CENTS + 1;
          break;
        }
      initiative += other->amount_cents;
    }

  input->committed_cents = committed;
  input->budget_cents = budget;
  input->initiative_cents = initiative;
  return TRUE;
}

char *
buurten_roles_to_ids (GArray *roles)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; roles != NULL && i < roles->len; i++)
    {
      if (i > 0)
        g_string_append_c (text, ',');
      g_string_append (text, buurten_role_ids[g_array_index (roles, BuurtenRole, i)]);
    }

  return g_string_free (text, FALSE);
}

GArray *
buurten_roles_from_ids (const char *ids)
{
  GArray *roles = g_array_new (FALSE, FALSE, sizeof (BuurtenRole));
  g_auto(GStrv) parts = g_strsplit (ids != NULL ? ids : "", ",", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      int role = buurten_enum_from_id (buurten_role_ids, g_strstrip (parts[i]));
      gboolean seen = FALSE;

      if (role < 0)
        continue;
      for (guint j = 0; j < roles->len && !seen; j++)
        seen = g_array_index (roles, BuurtenRole, j) == (BuurtenRole) role;
      if (!seen)
        {
          BuurtenRole value = role;

          g_array_append_val (roles, value);
        }
    }

  return roles;
}

/* ---- signing ------------------------------------------------------------- */

void
buurten_signing_free (BuurtenSigning *signing)
{
  if (signing == NULL)
    return;

  g_clear_pointer (&signing->required, g_array_unref);
  g_clear_pointer (&signing->missing, g_array_unref);
  g_clear_pointer (&signing->refusal_args, json_object_unref);
  g_free (signing->why_not);
  g_free (signing);
}

static void
signing_refuse (BuurtenSigning   *signing,
                BuurtenCoreError  code,
                JsonObject       *args)
{
  signing->may_sign = FALSE;
  signing->refusal = code;
  g_clear_pointer (&signing->refusal_args, json_object_unref);
  signing->refusal_args = args;
  g_free (signing->why_not);
  signing->why_not = buurten_refusal_describe (code, args, NULL);
}

static JsonNode *
roles_node (GArray *roles)
{
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; roles != NULL && i < roles->len; i++)
    json_array_add_string_element (array,
                                   buurten_role_ids[g_array_index (roles, BuurtenRole, i)]);
  json_node_take_array (node, array);
  return node;
}

BuurtenSigning *
buurten_authority_signing (GArray                 *required,
                           BuurtenCommitmentState  state,
                           int                     initiative_state,
                           const char             *wijk,
                           GPtrArray              *signatures,
                           const char             *user,
                           GPtrArray              *grants)
{
  BuurtenSigning *signing = g_new0 (BuurtenSigning, 1);
  g_autoptr(BuurtenMandateResult) mandate = g_new0 (BuurtenMandateResult, 1);
  JsonObject *args;

  /* The missing roles are the mandate engine's rule; the roles came from
   * it when the commitment was made. */
  mandate->allowed = TRUE;
  mandate->roles = g_array_new (FALSE, FALSE, sizeof (BuurtenRole));
  if (required != NULL)
    g_array_append_vals (mandate->roles, required->data, required->len);

  signing->required = g_array_ref (mandate->roles);
  signing->missing = buurten_mandate_missing_roles (mandate, signatures);
  signing->role = BUURTEN_ROLE_BUURTCOORDINATOR;

  if (state != BUURTEN_COMMITMENT_PENDING)
    {
      args = buurten_refusal_args_new ("sign.not_pending");
      json_object_set_string_member (args, "state",
                                     buurten_commitment_state_ids[CLAMP ((int) state, 0,
                                                                         BUURTEN_COMMITMENT_CANCELLED)]);
      signing_refuse (signing, BUURTEN_CORE_ERROR_INVALID_STATE, args);
      return signing;
    }

  if (!buurten_initiative_may_be_granted (initiative_state))
    {
      args = buurten_refusal_args_new ("initiative.closed");
      json_object_set_string_member (args, "state",
                                     buurten_state_id (BUURTEN_MACHINE_INITIATIVE,
                                                       initiative_state));
      signing_refuse (signing, BUURTEN_CORE_ERROR_INVALID_STATE, args);
      return signing;
    }

  if (user == NULL || *user == '\0')
    {
      signing_refuse (signing, BUURTEN_CORE_ERROR_FORBIDDEN,
                      buurten_refusal_args_new ("sign.no_user"));
      return signing;
    }

  /* Four eyes: one person signs a commitment once. */
  for (guint i = 0; signatures != NULL && i < signatures->len; i++)
    {
      const BuurtenSignature *signature = g_ptr_array_index (signatures, i);

      if (signature != NULL && g_strcmp0 (signature->user, user) == 0)
        {
          args = buurten_refusal_args_new ("sign.four_eyes");
          json_object_set_string_member (args, "role", buurten_role_ids[signature->role]);
          signing_refuse (signing, BUURTEN_CORE_ERROR_FOUR_EYES, args);
          return signing;
        }
    }

  if (signing->missing->len == 0)
    {
      signing_refuse (signing, BUURTEN_CORE_ERROR_INVALID_STATE,
                      buurten_refusal_args_new ("sign.complete"));
      return signing;
    }

  /* The first role still missing that the user holds for the wijk. */
  for (guint i = 0; i < signing->missing->len; i++)
    {
      BuurtenRole role = g_array_index (signing->missing, BuurtenRole, i);

      if (buurten_grants_have_role (grants, role, wijk))
        {
          signing->may_sign = TRUE;
          signing->role = role;
          return signing;
        }
    }

  args = buurten_refusal_args_new ("sign.no_role");
  json_object_set_string_member (args, "wijk", wijk != NULL ? wijk : "");
  json_object_set_member (args, "roles", roles_node (signing->missing));
  signing_refuse (signing, BUURTEN_CORE_ERROR_FORBIDDEN, args);
  return signing;
}

static const BuurtenRole money_roles[] = {
  BUURTEN_ROLE_BUURTCOORDINATOR, BUURTEN_ROLE_WIJKWETHOUDER,
  BUURTEN_ROLE_WETHOUDER_BUURTEN, BUURTEN_ROLE_TEAMMANAGER_SAMENLEVING,
};

gboolean
buurten_authority_may_commit (GPtrArray   *grants,
                              const char  *wijk,
                              int          initiative_state,
                              JsonObject **refusal_args,
                              GError     **error)
{
  JsonObject *args;

  if (!buurten_initiative_may_be_granted (initiative_state))
    {
      args = buurten_refusal_args_new ("initiative.closed");
      json_object_set_string_member (args, "state",
                                     buurten_state_id (BUURTEN_MACHINE_INITIATIVE,
                                                       initiative_state));
      return buurten_refusal_set (error, refusal_args, BUURTEN_CORE_ERROR_INVALID_STATE, args);
    }

  return buurten_authority_may_cancel (grants, wijk, refusal_args, error);
}

/* FORBIDDEN unless the grants hold one of roles for wijk; the refusal's
 * rule names what was asked. */
static gboolean
require_role_in_wijk (GPtrArray          *grants,
                      const BuurtenRole  *roles,
                      guint               n_roles,
                      const char         *wijk,
                      const char         *rule,
                      JsonObject        **refusal_args,
                      GError            **error)
{
  JsonObject *args;

  for (guint i = 0; i < n_roles; i++)
    if (buurten_grants_have_role (grants, roles[i], wijk))
      return TRUE;

  args = buurten_refusal_args_new (rule);
  json_object_set_string_member (args, "wijk", wijk != NULL ? wijk : "");
  return buurten_refusal_set (error, refusal_args, BUURTEN_CORE_ERROR_FORBIDDEN, args);
}

gboolean
buurten_authority_may_cancel (GPtrArray   *grants,
                              const char  *wijk,
                              JsonObject **refusal_args,
                              GError     **error)
{
  return require_role_in_wijk (grants, money_roles, G_N_ELEMENTS (money_roles), wijk,
                               "commit.no_role", refusal_args, error);
}

gboolean
buurten_authority_may_pay (GPtrArray   *grants,
                           const char  *wijk,
                           JsonObject **refusal_args,
                           GError     **error)
{
  static const BuurtenRole payers[] = {
    BUURTEN_ROLE_BUURTCOORDINATOR, BUURTEN_ROLE_TEAMMANAGER_SAMENLEVING,
  };

  return require_role_in_wijk (grants, payers, G_N_ELEMENTS (payers), wijk, "pay.no_role",
                               refusal_args, error);
}

gboolean
buurten_text_is_blank (const char *text)
{
  for (const char *p = text; p != NULL && *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      return FALSE;
  return TRUE;
}

gboolean
buurten_decision_check (BuurtenDecisionOutcome   outcome,
                        gint64                   amount_cents,
                        gint64                   approved_cents,
                        gint64                   granted_cents,
                        const char              *reason,
                        JsonObject             **refusal_args,
                        GError                 **error)
{
  JsonObject *args;

  switch (outcome)
    {
    case BUURTEN_OUTCOME_REJECTED:
    case BUURTEN_OUTCOME_REFERRED:
      if (buurten_text_is_blank (reason))
        return buurten_refusal_set (error, refusal_args, BUURTEN_CORE_ERROR_INVALID,
                                    buurten_refusal_args_new ("decision.needs_reason"));
      return TRUE;

    case BUURTEN_OUTCOME_GRANTED:
    default:
      if (amount_cents >= 0 && approved_cents > 0 && granted_cents >= 0 &&
          granted_cents <= approved_cents - amount_cents)
        return TRUE;

      args = buurten_refusal_args_new ("decision.beyond_approved");
      json_object_set_int_member (args, "amount_cents", amount_cents);
      json_object_set_int_member (args, "approved_cents", approved_cents);
      json_object_set_int_member (args, "granted_cents", granted_cents);
      return buurten_refusal_set (error, refusal_args, BUURTEN_CORE_ERROR_MANDATE_EXCEEDED, args);
    }
}

/* ---- budget moves -------------------------------------------------------- */

gboolean
buurten_authority_may_record_move (GPtrArray   *grants,
                                   JsonObject **refusal_args,
                                   GError     **error)
{
  /* The city-wide teammanager: a move touches two wijken or two years. */
  if (buurten_grants_have_role (grants, BUURTEN_ROLE_TEAMMANAGER_SAMENLEVING, NULL))
    return TRUE;

  return buurten_refusal_set (error, refusal_args, BUURTEN_CORE_ERROR_FORBIDDEN,
                              buurten_refusal_args_new ("move.record_role"));
}

gboolean
buurten_authority_may_confirm_move (GPtrArray   *grants,
                                    const char  *user,
                                    const char  *recorded_by,
                                    JsonObject **refusal_args,
                                    GError     **error)
{
  if (user != NULL && g_strcmp0 (user, recorded_by) == 0)
    return buurten_refusal_set (error, refusal_args, BUURTEN_CORE_ERROR_FOUR_EYES,
                                buurten_refusal_args_new ("move.same_person"));

  if (buurten_grants_have_role (grants, BUURTEN_ROLE_WETHOUDER_BUURTEN, NULL))
    return TRUE;

  return buurten_refusal_set (error, refusal_args, BUURTEN_CORE_ERROR_FORBIDDEN,
                              buurten_refusal_args_new ("move.confirm_role"));
}

gboolean
buurten_authority_check_move (const BuurtenThermometer *source,
                              gint64                    amount_cents,
                              JsonObject              **refusal_args,
                              GError                  **error)
{
  JsonObject *args;

  g_return_val_if_fail (source != NULL, FALSE);

  if (amount_cents <= 0 || amount_cents > BUURTEN_MONEY_MAX_CENTS)
    return buurten_refusal_set (error, refusal_args,
                                amount_cents <= 0 ? BUURTEN_CORE_ERROR_INVALID
                                                  : BUURTEN_CORE_ERROR_OVERFLOW,
                                buurten_refusal_args_new (amount_cents <= 0 ? "mandate.amount"
                                                                            : "mandate.overflow"));

  if (amount_cents <= source->free_cents)
    return TRUE;

  args = buurten_refusal_args_new ("budget.move");
  json_object_set_int_member (args, "amount_cents", amount_cents);
  json_object_set_int_member (args, "free_cents", MAX (source->free_cents, 0));
  json_object_set_string_member (args, "wijk", source->id);
  return buurten_refusal_set (error, refusal_args, BUURTEN_CORE_ERROR_BUDGET_EXCEEDED, args);
}

/* ---- escalations and notes ------------------------------------------------ */

gboolean
buurten_authority_may_move_escalation (GPtrArray               *grants,
                                       BuurtenMunicipality     *municipality,
                                       const char              *user,
                                       const BuurtenEscalation *escalation,
                                       int                      to,
                                       JsonObject             **refusal_args,
                                       GError                 **error)
{
  g_autoptr(GArray) closers = g_array_new (FALSE, FALSE, sizeof (BuurtenRole));
  gboolean closing = to == BUURTEN_ESCALATION_SOLVED || to == BUURTEN_ESCALATION_RETURNED;
  JsonObject *args;
  BuurtenRole role;

  g_return_val_if_fail (escalation != NULL, FALSE);

  if (!closing || (escalation->level != BUURTEN_LEVEL_BUDGET &&
                   escalation->level != BUURTEN_LEVEL_BESTUURLIJK &&
                   escalation->level != BUURTEN_LEVEL_COLLEGE))
    {
      /* Taking an escalation up, and the wijkteam's own levels: the wijk's
       * staff. */
      if (buurten_grants_staff_in (grants, municipality, escalation->wijk))
        return TRUE;

      args = buurten_refusal_args_new ("scope.forbidden");
      json_object_set_string_member (args, "scope", escalation->wijk);
      return buurten_refusal_set (error, refusal_args, BUURTEN_CORE_ERROR_FORBIDDEN, args);
    }

  switch (escalation->level)
    {
    case BUURTEN_LEVEL_BUDGET:
      if (user != NULL && g_strcmp0 (escalation->opened_by, user) == 0)
        return buurten_refusal_set (error, refusal_args, BUURTEN_CORE_ERROR_FORBIDDEN,
                                    buurten_refusal_args_new ("escalation.opener"));
      role = BUURTEN_ROLE_TEAMMANAGER_SAMENLEVING;
      g_array_append_val (closers, role);
      role = BUURTEN_ROLE_WETHOUDER_BUURTEN;
      g_array_append_val (closers, role);
      break;
    case BUURTEN_LEVEL_BESTUURLIJK:
      role = BUURTEN_ROLE_WIJKWETHOUDER;
      g_array_append_val (closers, role);
      role = BUURTEN_ROLE_WETHOUDER_BUURTEN;
      g_array_append_val (closers, role);
      break;
    case BUURTEN_LEVEL_COLLEGE:
    default:
      role = BUURTEN_ROLE_WETHOUDER_BUURTEN;
      g_array_append_val (closers, role);
      break;
    }

  for (guint i = 0; i < closers->len; i++)
    if (buurten_grants_have_role (grants, g_array_index (closers, BuurtenRole, i),
                                  escalation->wijk))
      return TRUE;

  args = buurten_refusal_args_new ("escalation.role");
  json_object_set_string_member (args, "level", buurten_escalation_level_ids[escalation->level]);
  json_object_set_member (args, "roles", roles_node (closers));
  return buurten_refusal_set (error, refusal_args, BUURTEN_CORE_ERROR_FORBIDDEN, args);
}

gboolean
buurten_escalation_level_addressee (BuurtenEscalationLevel  level,
                                    BuurtenRole            *out_role)
{
  BuurtenRole role;

  switch (level)
    {
    case BUURTEN_LEVEL_BESTUURLIJK:
      role = BUURTEN_ROLE_WIJKWETHOUDER;
      break;
    case BUURTEN_LEVEL_COLLEGE:
      role = BUURTEN_ROLE_WETHOUDER_BUURTEN;
      break;
    case BUURTEN_LEVEL_BUDGET:
      role = BUURTEN_ROLE_TEAMMANAGER_SAMENLEVING;
      break;
    case BUURTEN_LEVEL_OPERATIONAL:
    case BUURTEN_LEVEL_STURINGSOVERLEG:
    case BUURTEN_LEVEL_PROFESSIONAL:
    default:
      return FALSE;
    }

  if (out_role != NULL)
    *out_role = role;
  return TRUE;
}

gboolean
buurten_authority_may_edit_note (const char  *user,
                                 const char  *author,
                                 JsonObject **refusal_args,
                                 GError     **error)
{
  if (user != NULL && author != NULL && g_str_equal (user, author))
    return TRUE;

  return buurten_refusal_set (error, refusal_args, BUURTEN_CORE_ERROR_FORBIDDEN,
                              buurten_refusal_args_new ("note.author"));
}
