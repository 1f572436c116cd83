/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-server"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "buurten-mutations-private.h"

/* Requests, initiatives (all but their money), notes and themes, and the
 * generic update, delete and status change they share. */

/* The fields a mutation may set are its catalogue row's. */
gboolean
update_mutation (BuurtenMutationContext   *ctx,
                 JsonObject               *args,
                 JsonObject               *result,
                 GError                  **error)
{
  const BuurtenEntityInfo *info = ctx->mutation->entity;
  g_autoptr(Obj) obj = NULL;
  JsonObject *base = NULL;
  JsonObject *set = NULL;

  if (!buurten_json_get_object (args, "args", "base", TRUE, &base, error) ||
      !buurten_json_get_object (args, "args", "set", TRUE, &set, error))
    return FALSE;

  obj = open_object (ctx, args, "id", info, TRUE, error);
  if (obj == NULL)
    return FALSE;

  return merge_fields (ctx, obj, base, set, ctx->mutation->fields, FALSE, ctx->mutation->name,
                       result, error);
}

/* A tombstone: kept BUURTEN_TOMBSTONE_DAYS, then purged. */
static gboolean
delete_object (BuurtenMutationContext  *ctx,
               Obj                     *obj,
               JsonObject              *result,
               GError                 **error)
{
  obj->version++;
  obj->deleted = TRUE;
  return store_answering (ctx, obj, result, error);
}

gboolean
delete_mutation (BuurtenMutationContext   *ctx,
                 JsonObject               *args,
                 JsonObject               *result,
                 GError                  **error)
{
  g_autoptr(Obj) obj = open_object (ctx, args, "id", ctx->mutation->entity, TRUE, error);

  return obj != NULL && delete_object (ctx, obj, result, error);
}

static gboolean
add_transition_note (BuurtenMutationContext  *ctx,
                     Obj                     *subject,
                     const char              *text,
                     GError                 **error)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autoptr(Obj) note = obj_new (&buurten_note_info, id, subject->scope);

  json_object_set_string_member (note->data, "subject_type", subject->info->name);
  json_object_set_string_member (note->data, "subject_id", subject->id);
  json_object_set_string_member (note->data, "body", text);
  json_object_set_string_member (note->data, "author", ctx->user->username);
  set_time_member (ctx, note->data, "created_at");

  return insert_object (ctx, note, error);
}

/* Status changes: the state the client saw must still be the state. */
gboolean
transition_mutation (BuurtenMutationContext   *ctx,
                     JsonObject               *args,
                     const BuurtenEntityInfo  *info,
                     BuurtenMachine            machine,
                     TransitionHook            check,
                     TransitionHook            after,
                     JsonObject               *result,
                     GError                  **error)
{
  static const char * const state_field[] = { "state", NULL };
  g_autoptr(Obj) obj = NULL;
  const char *expect = NULL;
  const char *to_id = NULL;
  const char *note = NULL;
  const char *current;
  int from, to;

  if (!arg_string (args, "expect_state", TRUE, &expect, error) ||
      !arg_string (args, "to", TRUE, &to_id, error) ||
      !arg_string (args, "note", FALSE, &note, error))
    return FALSE;

  if (!buurten_state_from_id (machine, to_id, &to))
    {
      g_autofree char *quoted = buurten_text_excerpt (to_id, 64);

      set_error (error, BUURTEN_CORE_ERROR_INVALID, "args.to: “%s” is not a %s state",
                 quoted, buurten_machine_name (machine));
      return FALSE;
    }

  obj = open_object (ctx, args, "id", info, TRUE, error);
  if (obj == NULL)
    return FALSE;

  current = json_object_get_string_member_with_default (obj->data, "state", "");
  if (!g_str_equal (current, expect))
    {
      g_autofree char *quoted = buurten_text_excerpt (expect, 64);
      JsonObject *refusal = refuse (ctx, error, BUURTEN_CORE_ERROR_INVALID_STATE,
                                    "state.changed",
                                    "The %s is “%s” on the server, not “%s”: someone "
                                    "changed it first.", info->name, current, quoted);

      json_object_set_string_member (refusal, "expected", expect);
      json_object_set_string_member (refusal, "actual", current);
      json_object_set_string_member (refusal, "machine", buurten_machine_name (machine));
      return FALSE;
    }

  if (!buurten_state_from_id (machine, current, &from))
    {
      set_error (error, BUURTEN_CORE_ERROR_INVALID_STATE, "unknown state “%s”", current);
      return FALSE;
    }
  if (!buurten_state_check_transition (machine, from, to, error))
    {
      JsonObject *refusal = buurten_refusal_args_new ("state.transition");

      json_object_set_string_member (refusal, "machine", buurten_machine_name (machine));
      json_object_set_string_member (refusal, "from", current);
      json_object_set_string_member (refusal, "to", to_id);
      take_refusal_args (ctx, refusal);
      return FALSE;
    }

  if (check != NULL && !check (ctx, obj, from, to, note, result, error))
    return FALSE;

  /* A request waiting for the resident stops its answer clock. */
  if (info == &buurten_request_info && from != to &&
      (to == BUURTEN_REQUEST_AWAITING_RESIDENT || from == BUURTEN_REQUEST_AWAITING_RESIDENT))
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      g_autoptr(BuurtenRequest) request = NULL;
      g_autoptr(GDateTime) received = NULL;
      BuurtenDeadline deadline;
      GDate today;

      json_node_set_object (node, obj->data);
      request = buurten_entity_from_json (&buurten_request_info, node, error);
      if (request == NULL)
        return FALSE;

      today_date (ctx, &today);
      memset (&deadline, 0, sizeof deadline);
      received = g_date_time_new_from_unix_utc (request->received_at);
      g_date_clear (&deadline.received, 1);
      g_date_set_dmy (&deadline.received, g_date_time_get_day_of_month (received),
                      g_date_time_get_month (received), g_date_time_get_year (received));
      deadline.term_days = (guint) request->term_days;
      deadline.paused_working_days = (guint) request->paused_working_days;
      deadline.paused_since = request->paused_since;

      if (to == BUURTEN_REQUEST_AWAITING_RESIDENT)
        buurten_deadline_pause (&deadline, &today);
      else
        buurten_deadline_resume (&deadline, &today);

      json_object_set_int_member (obj->data, "paused_working_days",
                                  deadline.paused_working_days);
      json_object_set_int_member (obj->versions, "paused_working_days", obj->version + 1);
      json_object_set_int_member (obj->versions, "paused_since", obj->version + 1);
      if (g_date_valid (&deadline.paused_since))
        {
          char text[16];

          g_date_strftime (text, sizeof text, "%Y-%m-%d", &deadline.paused_since);
          json_object_set_string_member (obj->data, "paused_since", text);
        }
      else
        json_object_remove_member (obj->data, "paused_since");
    }

  json_object_set_string_member (obj->data, "state", to_id);
  bump (ctx, obj, state_field);
  if (!store_object (ctx, obj, FALSE, error))
    return FALSE;

  if (note != NULL && *note != '\0' && !add_transition_note (ctx, obj, note, error))
    return FALSE;

  if (after != NULL && !after (ctx, obj, from, to, note, result, error))
    return FALSE;

  json_object_set_string_member (result, "state", to_id);
  json_object_set_int_member (result, "version", obj->version);
  return TRUE;
}

/* A new object args.id of the wijk args.wijk, where the user must be
 * staff, with the members of args copied. */
static Obj *
new_in_wijk (BuurtenMutationContext   *ctx,
             JsonObject               *args,
             const BuurtenEntityInfo  *info,
             const char * const       *members,
             GError                  **error)
{
  g_autofree char *id = NULL;
  const char *wijk = NULL;
  Obj *obj;

  if (!arg_uuid (args, "id", TRUE, &id, error) ||
      !arg_wijk (ctx, args, "wijk", &wijk, error) ||
      !require_staff (ctx, wijk, error))
    return NULL;

  obj = obj_new (info, id, wijk);
  json_object_set_string_member (obj->data, "wijk", wijk);
  copy_members (args, obj->data, members);
  return obj;
}

/* ---- requests -------------------------------------------------------------------- */

gboolean
m_request_create (BuurtenMutationContext  *ctx,
                  JsonObject              *args,
                  JsonObject              *result,
                  GError                 **error)
{
  g_autofree char *id = NULL;
  g_autoptr(Obj) obj = NULL;
  const char *wijk = NULL;
  const char *type = NULL;
  JsonObject *reporter = NULL;
  int type_value;

  if (!arg_uuid (args, "id", TRUE, &id, error) ||
      !arg_wijk (ctx, args, "wijk", &wijk, error) ||
      !arg_string (args, "type", TRUE, &type, error) ||
      !buurten_json_get_object (args, "args", "reporter", FALSE, &reporter, error))
    return FALSE;

  type_value = buurten_enum_from_id (buurten_request_type_ids, type);
  if (type_value < 0)
    {
      set_error (error, BUURTEN_CORE_ERROR_INVALID,
                 "args.type: expected vraag, klacht, melding or idee");
      return FALSE;
    }

  if (!require_staff (ctx, wijk, error))
    return FALSE;

  obj = obj_new (&buurten_request_info, id, wijk);
  json_object_set_string_member (obj->data, "wijk", wijk);
  copy_members (args, obj->data, (const char * const []) {
    "type", "title", "description", "received_at", "category", NULL });
  if (reporter != NULL)
    {
      copy_member (reporter, "name", obj->data, "reporter_name");
      copy_member (reporter, "contact", obj->data, "reporter_contact");
    }
  json_object_set_string_member (obj->data, "state",
                                 buurten_state_id (BUURTEN_MACHINE_REQUEST, BUURTEN_REQUEST_NEW));
  json_object_set_int_member (obj->data, "term_days",
                              buurten_municipality_answer_term (ctx->municipality, type_value));
  set_time_member (ctx, obj->data, "updated_at");

  return insert_answering (ctx, obj, result, error);
}

gboolean
m_request_transition (BuurtenMutationContext  *ctx,
                      JsonObject              *args,
                      JsonObject              *result,
                      GError                 **error)
{
  return transition_mutation (ctx, args, &buurten_request_info, BUURTEN_MACHINE_REQUEST,
                              NULL, NULL, result, error);
}

gboolean
m_request_assign (BuurtenMutationContext  *ctx,
                  JsonObject              *args,
                  JsonObject              *result,
                  GError                 **error)
{
  static const char * const fields[] = { "assignee", NULL };
  g_autoptr(Obj) obj = NULL;
  const char *assignee = NULL;

  if (!arg_string (args, "assignee", FALSE, &assignee, error))
    return FALSE;

  obj = open_object (ctx, args, "id", &buurten_request_info, TRUE, error);
  if (obj == NULL)
    return FALSE;

  if (assignee != NULL && *assignee != '\0')
    json_object_set_string_member (obj->data, "assignee", assignee);
  else
    json_object_remove_member (obj->data, "assignee");
  bump (ctx, obj, fields);
  return store_answering (ctx, obj, result, error);
}

/* ---- initiatives and decisions -------------------------------------------------- */

gboolean
m_initiative_create (BuurtenMutationContext  *ctx,
                     JsonObject              *args,
                     JsonObject              *result,
                     GError                 **error)
{
  g_autoptr(Obj) obj = NULL;

  obj = new_in_wijk (ctx, args, &buurten_initiative_info,
                     (const char * const []) { NULL }, error);
  if (obj == NULL)
    return FALSE;
  copy_entity_args (ctx, args, obj->data);

  json_object_set_string_member (obj->data, "state",
                                 buurten_state_id (BUURTEN_MACHINE_INITIATIVE,
                                                   BUURTEN_INITIATIVE_IDEA));
  set_time_member (ctx, obj->data, "received_at");
  set_time_member (ctx, obj->data, "updated_at");

  return insert_answering (ctx, obj, result, error);
}

/* The outcome a transition to `to` records, or -1. */
static int
transition_outcome (int to)
{
  if (to == BUURTEN_INITIATIVE_REJECTED)
    return BUURTEN_OUTCOME_REJECTED;
  if (to == BUURTEN_INITIATIVE_REFERRED)
    return BUURTEN_OUTCOME_REFERRED;
  return -1;
}

/* toegekend only through signatures, the states after it only with
 * approved money (core's rule); a rejection or referral with its reason. */
static gboolean
initiative_check (BuurtenMutationContext  *ctx,
                  Obj                     *obj,
                  int                      from,
                  int                      to,
                  const char              *note,
                  JsonObject              *result,
                  GError                 **error)
{
  JsonObject *refusal_args = NULL;
  gboolean has_approved = FALSE;

  if (!approved_money (ctx, obj->id, NULL, &has_approved, error))
    return FALSE;

  if (!buurten_initiative_check_transition (from, to, has_approved, &refusal_args, error))
    {
      take_refusal_args (ctx, refusal_args);
      return FALSE;
    }

  /* A signed buurtdeal has its agreements and the organiser's signature. */
  if (to == BUURTEN_INITIATIVE_DEAL_SIGNED && !buurtdeal_complete (ctx, obj, error))
    return FALSE;

  /* Straight from toegekend to in_uitvoering only within the
   * coordinator's own mandate (core's rule, the table of the year). */
  if (from == BUURTEN_INITIATIVE_GRANTED && to == BUURTEN_INITIATIVE_IN_PROGRESS)
    {
      g_autoptr(PGresult) years = NULL;
      gint64 approved = 0;
      int year = 0;

      if (!approved_money (ctx, obj->id, &approved, NULL, error))
        return FALSE;
      /* The year of the decision: its commitment's. */
      years = BUURTEN_DB_EXEC (ctx->conn, error,
                               "SELECT max((data ->> 'year')::int) FROM objects"
                               " WHERE type = 'commitment' AND NOT deleted"
                               " AND data ->> 'state' = 'approved'"
                               " AND data ->> 'initiative_id' = $1", obj->id);
      if (years == NULL)
        return FALSE;
      if (PQntuples (years) == 1 && !PQgetisnull (years, 0, 0))
        year = atoi (PQgetvalue (years, 0, 0));
      if (!buurten_initiative_check_start (from, to,
                                           buurten_municipality_get_mandate_table (ctx->municipality,
                                                                                   year),
                                           approved, &refusal_args, error))
        {
          take_refusal_args (ctx, refusal_args);
          return FALSE;
        }
    }

  /* Done only once accounted for (core's rule). */
  if (to == BUURTEN_INITIATIVE_DONE)
    {
      gboolean accounted = FALSE;

      if (!verantwoording_recorded (ctx, obj->id, &accounted, error))
        return FALSE;
      if (!buurten_initiative_check_done (to, accounted, &refusal_args, error))
        {
          take_refusal_args (ctx, refusal_args);
          return FALSE;
        }
    }

  /* The application date, from which its decision term counts: the first
   * time it is submitted (back to idee and in again keeps the first). */
  if (to == BUURTEN_INITIATIVE_SUBMITTED && !json_object_has_member (obj->data, "submitted_on"))
    {
      g_autofree char *today = today_text (ctx);

      json_object_set_string_member (obj->data, "submitted_on", today);
      json_object_set_int_member (obj->versions, "submitted_on", obj->version + 1);
    }

  /* Rejecting or referring records a decision, which needs its reason. */
  if (transition_outcome (to) >= 0 &&
      !buurten_decision_check ((BuurtenDecisionOutcome) transition_outcome (to), 0, 0, 0, note,
                               &refusal_args, error))
    {
      take_refusal_args (ctx, refusal_args);
      return FALSE;
    }

  return TRUE;
}

static gboolean
initiative_after (BuurtenMutationContext  *ctx,
                  Obj                     *obj,
                  int                      from,
                  int                      to,
                  const char              *note,
                  JsonObject              *result,
                  GError                 **error)
{
  int outcome = transition_outcome (to);

  return outcome < 0 || insert_decision (ctx, obj, outcome, note, result, error);
}

gboolean
m_initiative_transition (BuurtenMutationContext  *ctx,
                         JsonObject              *args,
                         JsonObject              *result,
                         GError                 **error)
{
  return transition_mutation (ctx, args, &buurten_initiative_info, BUURTEN_MACHINE_INITIATIVE,
                              initiative_check, initiative_after, result, error);
}

/* ---- notes -------------------------------------------------------------------------- */

gboolean
m_note_create (BuurtenMutationContext  *ctx,
               JsonObject              *args,
               JsonObject              *result,
               GError                 **error)
{
  g_autofree char *id = NULL;
  g_autoptr(Obj) subject = NULL;
  g_autoptr(Obj) obj = NULL;

  if (!arg_uuid (args, "id", TRUE, &id, error))
    return FALSE;

  subject = open_subject (ctx, args, NULL, error);
  if (subject == NULL)
    return FALSE;

  obj = obj_new (&buurten_note_info, id, subject->scope);
  json_object_set_string_member (obj->data, "subject_type", subject->info->name);
  json_object_set_string_member (obj->data, "subject_id", subject->id);
  copy_member (args, "body", obj->data, NULL);
  json_object_set_string_member (obj->data, "author", ctx->user->username);
  set_time_member (ctx, obj->data, "created_at");

  return insert_answering (ctx, obj, result, error);
}

/* Notes are changed and deleted by their author only (core's rule). */
static gboolean
may_edit_note (BuurtenMutationContext  *ctx,
               Obj                     *note,
               GError                 **error)
{
  JsonObject *refusal_args = NULL;

  if (buurten_authority_may_edit_note (ctx->user->username,
                                       json_object_get_string_member_with_default (note->data,
                                                                                   "author",
                                                                                   NULL),
                                       &refusal_args, error))
    return TRUE;

  take_refusal_args (ctx, refusal_args);
  return FALSE;
}

/* Notes: the last writer by arrival at the server wins; the text it
 * replaced unseen goes into a conflict record. */
gboolean
m_note_update (BuurtenMutationContext  *ctx,
               JsonObject              *args,
               JsonObject              *result,
               GError                 **error)
{
  g_autoptr(Obj) obj = NULL;
  g_autoptr(JsonObject) set = json_object_new ();
  JsonObject *base = NULL;
  JsonNode *body = json_object_get_member (args, "body");

  if (body == NULL || !JSON_NODE_HOLDS_VALUE (body) ||
      json_node_get_value_type (body) != G_TYPE_STRING)
    {
      set_error (error, BUURTEN_CORE_ERROR_INVALID, "args.body: expected a string");
      return FALSE;
    }
  if (!buurten_json_get_object (args, "args", "base", FALSE, &base, error))
    return FALSE;

  obj = open_object (ctx, args, "id", &buurten_note_info, TRUE, error);
  if (obj == NULL || !may_edit_note (ctx, obj, error))
    return FALSE;

  json_object_set_member (set, "body", json_node_copy (body));
  return merge_fields (ctx, obj, base, set, ctx->mutation->fields, TRUE, ctx->mutation->name,
                       result, error);
}

gboolean
m_note_delete (BuurtenMutationContext  *ctx,
               JsonObject              *args,
               JsonObject              *result,
               GError                 **error)
{
  g_autoptr(Obj) obj = open_object (ctx, args, "id", &buurten_note_info, TRUE, error);

  return obj != NULL && may_edit_note (ctx, obj, error) && delete_object (ctx, obj, result, error);
}

/* ---- themes --------------------------------------------------------------------------- */

gboolean
m_theme_create (BuurtenMutationContext  *ctx,
                JsonObject              *args,
                JsonObject              *result,
                GError                 **error)
{
  g_autoptr(Obj) obj = NULL;

  obj = new_in_wijk (ctx, args, &buurten_theme_info,
                     (const char * const []) { "year", "title", "position", NULL }, error);
  return obj != NULL && insert_answering (ctx, obj, result, error);
}
