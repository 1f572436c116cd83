/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-server"

#include "config.h"

#include "buurten-mutations-private.h"

/* An initiative's intake: its budget lines (whose balance is the amount
 * asked: core's buurten_budget_balance()), its dates, and an idea that came
 * in as a request taken on as an initiative. */

/* The initiative a budget line or date belongs to, opened (staff only,
 * locked), refused when its plan can no longer change. */
static Obj *
open_open_initiative (BuurtenMutationContext  *ctx,
                      JsonObject              *args,
                      const char              *member,
                      GError                 **error)
{
  g_autoptr(Obj) initiative = open_object (ctx, args, member, &buurten_initiative_info, TRUE,
                                           error);
  int state;

  if (initiative == NULL)
    return NULL;

  state = initiative_state_of (initiative);
  if (!buurten_initiative_budget_open ((BuurtenInitiativeState) state))
    {
      JsonObject *refusal = refuse (ctx, error, BUURTEN_CORE_ERROR_INVALID_STATE,
                                    "initiative.plan_closed",
                                    "the initiative is %s: its plan no longer changes",
                                    buurten_state_id (BUURTEN_MACHINE_INITIATIVE, state));

      json_object_set_string_member (refusal, "state",
                                     buurten_state_id (BUURTEN_MACHINE_INITIATIVE, state));
      return NULL;
    }

  return g_steal_pointer (&initiative);
}

/* The initiative of an existing child (args.id), checked as above. */
static Obj *
open_parent_of (BuurtenMutationContext   *ctx,
                JsonObject               *args,
                const BuurtenEntityInfo  *info,
                GError                  **error)
{
  g_autoptr(JsonObject) parent_args = json_object_new ();
  g_autofree char *id = NULL;
  g_autoptr(Obj) child = NULL;

  if (!arg_uuid (args, "id", TRUE, &id, error))
    return NULL;
  child = load_object (ctx, id, info, "id", FALSE, error);
  if (child == NULL)
    return NULL;

  json_object_set_string_member (parent_args, "initiative_id",
                                 json_object_get_string_member (child->data, "initiative_id"));
  return open_open_initiative (ctx, parent_args, "initiative_id", error);
}

/* Sets the initiative's requested amount to the balance of its lines (as
 * they are now, inside this mutation's transaction). */
static gboolean
update_requested (BuurtenMutationContext  *ctx,
                  Obj                     *initiative,
                  GError                 **error)
{
  static const char * const fields[] = { "requested_cents", NULL };
  g_autoptr(PGresult) rows = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  BuurtenBudgetBalance balance;
  gint64 current = -1;

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

  buurten_budget_balance (lines, &balance);
  if (json_object_has_member (initiative->data, "requested_cents"))
    current = json_object_get_int_member (initiative->data, "requested_cents");
  if (current == balance.asked_cents)
    return TRUE;

  json_object_set_int_member (initiative->data, "requested_cents", balance.asked_cents);
  bump (ctx, initiative, fields);
  return store_object (ctx, initiative, FALSE, error);
}

gboolean
m_budget_line_add (BuurtenMutationContext  *ctx,
                   JsonObject              *args,
                   JsonObject              *result,
                   GError                 **error)
{
  g_autoptr(Obj) initiative = NULL;
  g_autoptr(Obj) obj = NULL;
  g_autofree char *id = NULL;

  if (!arg_uuid (args, "id", TRUE, &id, error))
    return FALSE;
  initiative = open_open_initiative (ctx, args, "initiative_id", error);
  if (initiative == NULL)
    return FALSE;

  obj = obj_new (&buurten_budget_line_info, id, initiative->scope);
  json_object_set_string_member (obj->data, "initiative_id", initiative->id);
  copy_members (args, obj->data,
                (const char * const []) { "kind", "description", "amount_cents", "position",
                                          NULL });

  return insert_answering (ctx, obj, result, error) &&
         update_requested (ctx, initiative, error);
}

gboolean
m_budget_line_update (BuurtenMutationContext  *ctx,
                      JsonObject              *args,
                      JsonObject              *result,
                      GError                 **error)
{
  g_autoptr(Obj) initiative = open_parent_of (ctx, args, &buurten_budget_line_info, error);

  return initiative != NULL &&
         update_mutation (ctx, args, result, error) &&
         update_requested (ctx, initiative, error);
}

gboolean
m_budget_line_remove (BuurtenMutationContext  *ctx,
                      JsonObject              *args,
                      JsonObject              *result,
                      GError                 **error)
{
  g_autoptr(Obj) initiative = open_parent_of (ctx, args, &buurten_budget_line_info, error);

  return initiative != NULL &&
         delete_mutation (ctx, args, result, error) &&
         update_requested (ctx, initiative, error);
}

gboolean
m_activity_add (BuurtenMutationContext  *ctx,
                JsonObject              *args,
                JsonObject              *result,
                GError                  **error)
{
  g_autoptr(Obj) obj = NULL;

  obj = new_child (ctx, args, &buurten_activity_info, "initiative_id", &buurten_initiative_info,
                   (const char * const []) { "starts_on", "ends_on", "title", "place", NULL },
                   error);
  return obj != NULL && insert_answering (ctx, obj, result, error);
}

/* ---- an idea taken on ------------------------------------------------------------------ */

gboolean
m_initiative_from_request (BuurtenMutationContext  *ctx,
                           JsonObject              *args,
                           JsonObject              *result,
                           GError                 **error)
{
  static const char * const link_fields[] = { "initiative_id", NULL };
  g_autoptr(Obj) request = NULL;
  g_autoptr(Obj) initiative = NULL;
  g_autofree char *id = NULL;
  g_autoptr(JsonNode) request_node = NULL;
  g_autoptr(BuurtenRequest) idea = NULL;
  g_autoptr(BuurtenInitiative) made = NULL;
  g_autoptr(JsonNode) made_node = NULL;
  JsonObject *refusal_args = NULL;
  static const char * const carried[] = {
    "wijk", "title", "description", "organiser", "organiser_email", "organiser_phone",
    "organiser_address", "source_request_id", "state", NULL
  };

  if (!arg_uuid (args, "id", TRUE, &id, error))
    return FALSE;
  request = open_object (ctx, args, "request_id", &buurten_request_info, TRUE, error);
  if (request == NULL)
    return FALSE;

  /* What an idea carries over, and which ideas may: core's rule, as the
   * app applies it offline. */
  request_node = json_node_init_object (json_node_alloc (), request->data);
  idea = buurten_entity_from_json (&buurten_request_info, request_node, error);
  if (idea == NULL)
    return FALSE;
  made = buurten_initiative_from_request (idea, id, ctx->now, &refusal_args, error);
  if (made == NULL)
    {
      take_refusal_args (ctx, refusal_args);
      return FALSE;
    }
  made_node = buurten_entity_to_json (&buurten_initiative_info, made, TRUE);

  initiative = obj_new (&buurten_initiative_info, id, request->scope);
  copy_members (json_node_get_object (made_node), initiative->data, carried);
  set_time_member (ctx, initiative->data, "received_at");
  set_time_member (ctx, initiative->data, "updated_at");
  if (!insert_answering (ctx, initiative, result, error))
    return FALSE;

  json_object_set_string_member (request->data, "initiative_id", initiative->id);
  bump (ctx, request, link_fields);
  return store_object (ctx, request, FALSE, error);
}

/* ---- the buurtdeal ------------------------------------------------------------------- */

gboolean
m_agreement_add (BuurtenMutationContext  *ctx,
                 JsonObject              *args,
                 JsonObject              *result,
                 GError                 **error)
{
  g_autoptr(Obj) obj = NULL;

  obj = new_child (ctx, args, &buurten_agreement_info, "initiative_id", &buurten_initiative_info,
                   (const char * const []) { "side", "description", "owner", "due_on",
                                             "position", NULL },
                   error);
  if (obj == NULL)
    return FALSE;

  json_object_set_string_member (obj->data, "progress",
                                 buurten_agreement_progress_ids[BUURTEN_AGREEMENT_AGREED]);
  return insert_answering (ctx, obj, result, error);
}

gboolean
m_initiative_deal_signed (BuurtenMutationContext  *ctx,
                          JsonObject              *args,
                          JsonObject              *result,
                          GError                 **error)
{
  g_autoptr(Obj) obj = open_object (ctx, args, "id", &buurten_initiative_info, TRUE, error);

  if (obj == NULL)
    return FALSE;

  json_object_remove_member (obj->data, "deal_signed_place");
  copy_members (args, obj->data, ctx->mutation->fields);
  bump (ctx, obj, ctx->mutation->fields);
  return store_answering (ctx, obj, result, error);
}

/* Whether the initiative's buurtdeal is complete (core's
 * buurten_buurtdeal_check()): before it may become buurtdeal_getekend. */
gboolean
buurtdeal_complete (BuurtenMutationContext  *ctx,
                    Obj                     *initiative,
                    GError                 **error)
{
  g_autoptr(PGresult) rows = NULL;
  JsonObject *refusal_args = NULL;
  guint n_residents = 0;
  guint n_municipality = 0;
  const char *signed_by = NULL;

  rows = BUURTEN_DB_EXEC (ctx->conn, error,
                          "SELECT data ->> 'side', count(*) FROM objects"
                          " WHERE type = 'agreement' AND NOT deleted"
                          " AND data ->> 'initiative_id' = $1 GROUP BY 1",
                          initiative->id);
  if (rows == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (rows); i++)
    {
      const char *side = buurten_db_get (rows, i, 0);
      guint n = (guint) buurten_db_get_int (rows, i, 1);

      if (g_strcmp0 (side, buurten_agreement_side_ids[BUURTEN_AGREEMENT_RESIDENTS]) == 0)
        n_residents = n;
      else if (g_strcmp0 (side, buurten_agreement_side_ids[BUURTEN_AGREEMENT_MUNICIPALITY]) == 0)
        n_municipality = n;
    }

  if (json_object_has_member (initiative->data, "deal_signed_by"))
    signed_by = json_object_get_string_member (initiative->data, "deal_signed_by");

  if (!buurten_buurtdeal_check (n_residents, n_municipality,
                                signed_by != NULL && *signed_by != '\0',
                                &refusal_args, error))
    {
      take_refusal_args (ctx, refusal_args);
      return FALSE;
    }

  return TRUE;
}
