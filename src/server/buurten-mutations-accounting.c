/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-server"

#include "config.h"

#include "buurten-mutations-private.h"

/* The verantwoording of an initiative: what happened, how the buurt heard
 * of it, the actual cost of each budget line, and the money approved and
 * never paid given back to the wijk's free budget by a recorded reduction
 * of each approved commitment (commitment.released_cents; core's
 * buurten_commitment_left()). The verantwoording row itself says how
 * much was released, when and by whom; the audit chain holds the
 * mutation. Only then may the initiative become afgerond
 * (verantwoording_recorded(), core's buurten_initiative_check_done()). */

gboolean
verantwoording_recorded (BuurtenMutationContext  *ctx,
                         const char              *initiative_id,
                         gboolean                *out_recorded,
                         GError                 **error)
{
  g_autoptr(PGresult) rows = NULL;

  rows = BUURTEN_DB_EXEC (ctx->conn, error,
                          "SELECT 1 FROM objects WHERE type = 'verantwoording' AND NOT deleted"
                          " AND data ->> 'initiative_id' = $1 LIMIT 1",
                          initiative_id);
  if (rows == NULL)
    return FALSE;

  *out_recorded = PQntuples (rows) > 0;
  return TRUE;
}

/* Sets each line's actual cost from args.actuals ({ line id: cents }):
 * every id a budget line of this initiative, every amount in range. */
static gboolean
record_actuals (BuurtenMutationContext  *ctx,
                Obj                     *initiative,
                JsonObject              *args,
                GError                 **error)
{
  static const char * const fields[] = { "actual_cents", NULL };
  JsonNode *member = json_object_get_member (args, "actuals");
  JsonObjectIter iter;
  const char *line_id;
  JsonNode *value;

  if (member == NULL || JSON_NODE_HOLDS_NULL (member))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (member))
    {
      set_error (error, BUURTEN_CORE_ERROR_INVALID,
                 "args.actuals: expected an object of budget line ids and amounts");
      return FALSE;
    }

  json_object_iter_init (&iter, json_node_get_object (member));
  while (json_object_iter_next (&iter, &line_id, &value))
    {
      g_autoptr(Obj) line = NULL;
      g_autoptr(GError) local_error = NULL;
      gint64 cents;

      if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_INT64 ||
          (cents = json_node_get_int (value)) < 0 || cents > BUURTEN_MONEY_MAX_CENTS)
        {
          set_error (error, BUURTEN_CORE_ERROR_INVALID,
                     "args.actuals: expected an amount in cents for each budget line");
          return FALSE;
        }
      if (!buurten_uuid_is_valid (line_id))
        {
          set_error (error, BUURTEN_CORE_ERROR_INVALID, "args.actuals: not a budget line id");
          return FALSE;
        }

      line = load_object (ctx, line_id, &buurten_budget_line_info, "actuals", TRUE, &local_error);
      if (line == NULL ||
          g_strcmp0 (json_object_get_string_member_with_default (line->data, "initiative_id", ""),
                     initiative->id) != 0)
        {
          set_error (error, BUURTEN_CORE_ERROR_INVALID,
                     "args.actuals: not a budget line of this initiative");
          return FALSE;
        }

      json_object_set_int_member (line->data, "actual_cents", cents);
      bump (ctx, line, fields);
      if (!store_object (ctx, line, FALSE, error))
        return FALSE;
    }

  return TRUE;
}

/* The actual costs of the initiative's cost lines, as stored now. */
static gboolean
actual_costs (BuurtenMutationContext  *ctx,
              Obj                     *initiative,
              gint64                  *out_cents,
              GError                 **error)
{
  g_autoptr(PGresult) rows = NULL;
  g_autoptr(GPtrArray) lines = NULL;

  rows = BUURTEN_DB_EXEC (ctx->conn, error,
                          "SELECT data::text FROM objects WHERE type = 'budget_line'"
                          " AND NOT deleted AND data ->> 'initiative_id' = $1",
                          initiative->id);
  if (rows == NULL)
    return FALSE;
  lines = entities_from_rows (&buurten_budget_line_info,
                              (GDestroyNotify) buurten_budget_line_free, rows, error);
  if (lines == NULL)
    return FALSE;

  *out_cents = buurten_budget_actual_costs (lines);
  return TRUE;
}

/* What was paid on one commitment. */
static gboolean
paid_on (BuurtenMutationContext  *ctx,
         const char              *commitment_id,
         gint64                  *out_cents,
         GError                 **error)
{
  g_autoptr(PGresult) rows = NULL;
  gint64 total = 0;

  rows = BUURTEN_DB_EXEC (ctx->conn, error,
                          "SELECT data::text FROM objects WHERE type = 'payment'"
                          " AND NOT deleted AND data ->> 'commitment_id' = $1",
                          commitment_id);
  if (rows == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (rows); i++)
    {
      g_autoptr(BuurtenPayment) payment = entity_from_text (&buurten_payment_info,
                                                            buurten_db_get (rows, i, 0), error);

      if (payment == NULL)
        return FALSE;
      total = MIN (total + payment->amount_cents, BUURTEN_MONEY_MAX_CENTS);
    }

  *out_cents = total;
  return TRUE;
}

/* Releases what is left on each approved commitment of the initiative,
 * under the budget lock of its year; adds up what was paid and released. */
static gboolean
release_unspent (BuurtenMutationContext  *ctx,
                 Obj                     *initiative,
                 gint64                  *out_paid,
                 gint64                  *out_released,
                 GError                 **error)
{
  static const char * const fields[] = { "released_cents", NULL };
  g_autoptr(PGresult) rows = NULL;
  gint64 paid_total = 0;
  gint64 released_total = 0;

  rows = BUURTEN_DB_EXEC (ctx->conn, error,
                          "SELECT id::text, data::text FROM objects WHERE type = 'commitment'"
                          " AND NOT deleted AND data ->> 'initiative_id' = $1"
                          " ORDER BY created_at, id",
                          initiative->id);
  if (rows == NULL)
    return FALSE;

  for (int i = 0; i < PQntuples (rows); i++)
    {
      g_autoptr(BuurtenCommitment) commitment = NULL;
      g_autoptr(Obj) obj = NULL;
      gint64 paid = 0;
      gint64 left;

      commitment = entity_from_text (&buurten_commitment_info, buurten_db_get (rows, i, 1), error);
      if (commitment == NULL)
        return FALSE;
      if (commitment->state != BUURTEN_COMMITMENT_APPROVED)
        continue;

      if (!lock_budget (ctx, (int) commitment->year, error) ||
          !paid_on (ctx, commitment->id, &paid, error))
        return FALSE;
      paid_total = MIN (paid_total + paid, BUURTEN_MONEY_MAX_CENTS);

      left = buurten_commitment_left (commitment, paid);
      if (left == 0)
        continue;

      obj = load_object (ctx, commitment->id, &buurten_commitment_info, "id", TRUE, error);
      if (obj == NULL)
        return FALSE;
      json_object_set_int_member (obj->data, "released_cents",
                                  MAX (commitment->released_cents, 0) + left);
      bump (ctx, obj, fields);
      if (!store_object (ctx, obj, FALSE, error))
        return FALSE;
      released_total = MIN (released_total + left, BUURTEN_MONEY_MAX_CENTS);
    }

  *out_paid = paid_total;
  *out_released = released_total;
  return TRUE;
}

gboolean
m_verantwoording_record (BuurtenMutationContext  *ctx,
                         JsonObject              *args,
                         JsonObject              *result,
                         GError                 **error)
{
  g_autofree char *id = NULL;
  g_autofree char *today = NULL;
  g_autoptr(Obj) initiative = NULL;
  g_autoptr(Obj) obj = NULL;
  JsonObject *refusal_args = NULL;
  const char *text = NULL;
  gboolean exists = FALSE;
  gint64 paid = 0;
  gint64 released = 0;
  gint64 actual = 0;

  if (!arg_uuid (args, "id", TRUE, &id, error) ||
      !arg_text (args, "happened", &text, error) ||
      !arg_text (args, "feedback", &text, error))
    return FALSE;

  initiative = open_object (ctx, args, "initiative_id", &buurten_initiative_info, TRUE, error);
  if (initiative == NULL)
    return FALSE;

  /* Who pays the grant accounts for it. */
  if (!buurten_authority_may_pay (ctx->user->grants,
                                  json_object_get_string_member_with_default (initiative->data,
                                                                              "wijk", ""),
                                  &refusal_args, error))
    {
      take_refusal_args (ctx, refusal_args);
      return FALSE;
    }

  if (!verantwoording_recorded (ctx, initiative->id, &exists, error))
    return FALSE;
  if (!buurten_verantwoording_may_record ((BuurtenInitiativeState) initiative_state_of (initiative),
                                          exists, &refusal_args, error))
    {
      take_refusal_args (ctx, refusal_args);
      return FALSE;
    }

  if (!record_actuals (ctx, initiative, args, error) ||
      !actual_costs (ctx, initiative, &actual, error) ||
      !release_unspent (ctx, initiative, &paid, &released, error))
    return FALSE;

  obj = obj_new (&buurten_verantwoording_info, id, initiative->scope);
  json_object_set_string_member (obj->data, "initiative_id", initiative->id);
  copy_members (args, obj->data,
                (const char * const []) { "happened", "feedback", "attachments", "recorded_on",
                                          NULL });
  if (!json_object_has_member (obj->data, "recorded_on"))
    {
      today = today_text (ctx);
      json_object_set_string_member (obj->data, "recorded_on", today);
    }
  json_object_set_string_member (obj->data, "recorded_by", ctx->user->username);
  json_object_set_int_member (obj->data, "actual_cents", actual);
  json_object_set_int_member (obj->data, "paid_cents", paid);
  json_object_set_int_member (obj->data, "released_cents", released);
  if (!insert_answering (ctx, obj, result, error))
    return FALSE;

  json_object_set_int_member (result, "released_cents", released);
  return TRUE;
}
