/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-server"

#include "config.h"

#include "buurten-mutations-private.h"
#include "buurten-visibility.h"

/* Meetings, agenda items, actions and escalations. */

/* ---- escalations -------------------------------------------------------------------- */

gboolean
m_escalation_open (BuurtenMutationContext  *ctx,
                   JsonObject              *args,
                   JsonObject              *result,
                   GError                 **error)
{
  g_autofree char *id = NULL;
  g_autoptr(Obj) subject = NULL;
  g_autoptr(Obj) obj = NULL;
  const char *wijk = NULL;

  if (!arg_uuid (args, "id", TRUE, &id, error) ||
      !arg_wijk (ctx, args, "wijk", &wijk, error) ||
      !require_staff (ctx, wijk, error))
    return FALSE;

  subject = open_subject (ctx, args, wijk, error);
  if (subject == NULL)
    return FALSE;

  obj = obj_new (&buurten_escalation_info, id, wijk);
  json_object_set_string_member (obj->data, "wijk", wijk);
  json_object_set_string_member (obj->data, "subject_type", subject->info->name);
  json_object_set_string_member (obj->data, "subject_id", subject->id);
  copy_members (args, obj->data, (const char * const []) { "level", "target", "reason", NULL });
  json_object_set_string_member (obj->data, "state",
                                 buurten_state_id (BUURTEN_MACHINE_ESCALATION,
                                                   BUURTEN_ESCALATION_OPEN));
  set_time_member (ctx, obj->data, "opened_at");
  /* Who opened it: core never lets the opener of a budget escalation
   * close it. */
  json_object_set_string_member (obj->data, "opened_by", ctx->user->username);

  return insert_answering (ctx, obj, result, error);
}

/* Who may move an escalation is core's rule (budget escalations are
 * closed by the teammanager samenleving or the wethouder buurten, never
 * by the one whose commitment opened them). */
static gboolean
escalation_check (BuurtenMutationContext  *ctx,
                  Obj                     *obj,
                  int                      from,
                  int                      to,
                  const char              *note,
                  JsonObject              *result,
                  GError                 **error)
{
  g_autoptr(BuurtenEscalation) escalation = NULL;
  JsonObject *refusal_args = NULL;

  escalation = entity_from_data (&buurten_escalation_info, obj->data, error);
  if (escalation == NULL)
    return FALSE;

  if (!buurten_authority_may_move_escalation (ctx->user->grants, ctx->municipality,
                                              ctx->user->username, escalation, to,
                                              &refusal_args, error))
    {
      take_refusal_args (ctx, refusal_args);
      return FALSE;
    }

  return TRUE;
}

gboolean
m_escalation_transition (BuurtenMutationContext  *ctx,
                         JsonObject              *args,
                         JsonObject              *result,
                         GError                 **error)
{
  return transition_mutation (ctx, args, &buurten_escalation_info, BUURTEN_MACHINE_ESCALATION,
                              escalation_check, NULL, result, error);
}

/* ---- meetings, agenda items and actions --------------------------------------------- */

gboolean
m_meeting_create (BuurtenMutationContext  *ctx,
                  JsonObject              *args,
                  JsonObject              *result,
                  GError                 **error)
{
  g_autofree char *id = NULL;
  g_autofree char *scope = NULL;
  g_autoptr(Obj) obj = NULL;
  const char *wijk = NULL;
  const char *cluster = NULL;

  if (!arg_uuid (args, "id", TRUE, &id, error) ||
      !arg_string (args, "wijk", FALSE, &wijk, error) ||
      !arg_string (args, "cluster", FALSE, &cluster, error))
    return FALSE;

  if (wijk != NULL && cluster != NULL)
    {
      set_error (error, BUURTEN_CORE_ERROR_INVALID,
                 "args.cluster: a meeting is for a wijk or for a cluster, not both");
      return FALSE;
    }

  /* A meeting of a wijk, of a cluster (the external wijkteam) or of the
   * whole city (the sturingsoverleg). */
  if (wijk != NULL)
    {
      if (!arg_wijk (ctx, args, "wijk", &wijk, error))
        return FALSE;
      scope = g_strdup (wijk);
    }
  else if (cluster != NULL)
    {
      if (buurten_municipality_lookup_cluster (ctx->municipality, cluster) == NULL)
        {
          set_error (error, BUURTEN_CORE_ERROR_INVALID, "args.cluster: no such cluster");
          return FALSE;
        }
      scope = buurten_scope_for_cluster (cluster);
    }
  else
    scope = g_strdup ("city");

  if (!require_staff (ctx, scope, error))
    return FALSE;

  obj = obj_new (&buurten_meeting_info, id, scope);
  copy_members (args, obj->data, (const char * const []) {
    "kind", "wijk", "cluster", "starts_at", "location", NULL });

  return insert_answering (ctx, obj, result, error);
}

/* An agenda item's subject, when it has one, is linked from its
 * meeting's scope. */
static gboolean
check_agenda_subject (BuurtenMutationContext  *ctx,
                      Obj                     *item,
                      GError                 **error)
{
  const char *subject_type = NULL;
  const char *subject_id = NULL;
  g_autoptr(Obj) subject = NULL;
  JsonNode *node;

  node = json_object_get_member (item->data, "subject_type");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_STRING)
    subject_type = json_node_get_string (node);
  node = json_object_get_member (item->data, "subject_id");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_STRING)
    subject_id = json_node_get_string (node);

  if (subject_type == NULL && subject_id == NULL &&
      !json_object_has_member (item->data, "subject_type") &&
      !json_object_has_member (item->data, "subject_id"))
    return TRUE;

  subject = open_link (ctx, subject_type, subject_id, item->scope, error);
  if (subject == NULL)
    return FALSE;

  json_object_set_string_member (item->data, "subject_type", subject->info->name);
  json_object_set_string_member (item->data, "subject_id", subject->id);
  return TRUE;
}

gboolean
m_agenda_item_add (BuurtenMutationContext  *ctx,
                   JsonObject              *args,
                   JsonObject              *result,
                   GError                 **error)
{
  g_autoptr(Obj) obj = NULL;

  obj = new_child (ctx, args, &buurten_agenda_item_info, "meeting_id", &buurten_meeting_info,
                   (const char * const []) { "subject_type", "subject_id", "title", "position",
                                             NULL },
                   error);
  return obj != NULL && check_agenda_subject (ctx, obj, error) &&
         insert_answering (ctx, obj, result, error);
}

gboolean
m_agenda_item_update (BuurtenMutationContext  *ctx,
                      JsonObject              *args,
                      JsonObject              *result,
                      GError                 **error)
{
  g_autoptr(Obj) obj = NULL;
  JsonObject *base = NULL;
  JsonObject *set = NULL;

  if (!buurten_json_get_object (args, "args", "base", TRUE, &base, error) ||
      !buurten_json_get_object (args, "args", "set", TRUE, &set, error))
    return FALSE;

  obj = open_object (ctx, args, "id", &buurten_agenda_item_info, TRUE, error);
  if (obj == NULL)
    return FALSE;

  /* The subject the item would have afterwards must be one to link to. */
  if (json_object_has_member (set, "subject_type") || json_object_has_member (set, "subject_id"))
    {
      g_autoptr(Obj) after = obj_new (&buurten_agenda_item_info, obj->id, obj->scope);
      const char * const members[] = { "subject_type", "subject_id", NULL };

      for (guint i = 0; members[i] != NULL; i++)
        {
          JsonNode *node = json_object_get_member (set, members[i]);

          if (node == NULL)
            node = json_object_get_member (obj->data, members[i]);
          if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
            json_object_set_member (after->data, members[i], json_node_copy (node));
        }
      if (!check_agenda_subject (ctx, after, error))
        return FALSE;
    }

  return merge_fields (ctx, obj, base, set, ctx->mutation->fields, FALSE, ctx->mutation->name,
                       result, error);
}

gboolean
m_action_create (BuurtenMutationContext  *ctx,
                 JsonObject              *args,
                 JsonObject              *result,
                 GError                 **error)
{
  g_autoptr(Obj) obj = NULL;

  obj = new_child (ctx, args, &buurten_action_info, "meeting_id", &buurten_meeting_info,
                   (const char * const []) { "owner", "title", "due_on", NULL }, error);
  return obj != NULL && insert_answering (ctx, obj, result, error);
}

gboolean
m_action_complete (BuurtenMutationContext  *ctx,
                   JsonObject              *args,
                   JsonObject              *result,
                   GError                 **error)
{
  static const char * const fields[] = { "completed", NULL };
  g_autoptr(Obj) obj = NULL;

  /* The partner the action is assigned to may complete it too. */
  obj = open_object (ctx, args, "id", &buurten_action_info, FALSE, error);
  if (obj == NULL)
    return FALSE;

  if (!buurten_grants_staff_in (ctx->user->grants, ctx->municipality, obj->scope) &&
      !(buurten_grants_partner_in (ctx->user->grants, ctx->municipality, obj->scope) &&
        g_strcmp0 (audience_of (obj), ctx->user->username) == 0))
    {
      set_error (error, BUURTEN_CORE_ERROR_FORBIDDEN,
                 "Only the action's owner or the wijk's own people may complete it.");
      return FALSE;
    }

  json_object_set_boolean_member (obj->data, "completed", TRUE);
  bump (ctx, obj, fields);
  return store_answering (ctx, obj, result, error);
}
