/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-server"

#include "config.h"

#include <string.h>

#include "buurten-mutations-private.h"

void
obj_free (Obj *obj)
{
  if (obj == NULL)
    return;

  g_free (obj->id);
  g_free (obj->scope);
  g_clear_pointer (&obj->data, json_object_unref);
  g_clear_pointer (&obj->versions, json_object_unref);
  g_clear_pointer (&obj->meta, json_object_unref);
  g_free (obj->loaded_audience);
  g_free (obj);
}

/* A new object, not yet written: data holds its id. */
Obj *
obj_new (const BuurtenEntityInfo *info,
         const char              *id,
         const char              *scope)
{
  Obj *obj = g_new0 (Obj, 1);

  obj->info = info;
  obj->id = g_strdup (id);
  obj->scope = g_strdup (scope);
  obj->data = json_object_new ();
  obj->versions = json_object_new ();
  json_object_set_string_member (obj->data, "id", id);
  return obj;
}

/* ---- shared helpers ---------------------------------------------------------- */

int
buurten_mutation_type_rank (const BuurtenEntityInfo *info)
{
  for (int i = 0; buurten_entity_infos[i] != NULL; i++)
    if (buurten_entity_infos[i] == info)
      return i;
  return 99;
}

/* ---- small helpers ---------------------------------------------------- */

void
set_error (GError           **error,
           BuurtenCoreError   code,
           const char        *format,
           ...)
{
  va_list args;

  va_start (args, format);
  g_set_error_literal (error, BUURTEN_CORE_ERROR, code, "");
  if (error != NULL && *error != NULL)
    {
      g_free ((*error)->message);
      (*error)->message = g_strdup_vprintf (format, args);
    }
  va_end (args);
}

/* Keeps args (taken; may be NULL) as the refusal's args of the mutation
 * being applied, replacing any before. */
void
take_refusal_args (BuurtenMutationContext *ctx,
                   JsonObject             *args)
{
  g_clear_pointer (&ctx->refusal_args, json_object_unref);
  ctx->refusal_args = args;
}

/* Sets error to code and message, with a refusal of rule (and no other
 * facts): for the refusals the server words itself. */
JsonObject *
refuse (BuurtenMutationContext  *ctx,
        GError                 **error,
        BuurtenCoreError         code,
        const char              *rule,
        const char              *format,
        ...)
{
  va_list args;

  va_start (args, format);
  g_set_error_literal (error, BUURTEN_CORE_ERROR, code, "");
  if (error != NULL && *error != NULL)
    {
      g_free ((*error)->message);
      (*error)->message = g_strdup_vprintf (format, args);
    }
  va_end (args);

  take_refusal_args (ctx, buurten_refusal_args_new (rule));
  return ctx->refusal_args;
}

char *
node_to_string (JsonNode *node)
{
  if (node == NULL)
    return g_strdup ("null");
  return buurten_json_to_string (node);
}

char *
object_to_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  return buurten_json_to_string (node);
}

JsonObject *
parse_object (const char  *text,
              GError     **error)
{
  g_autoptr(JsonNode) node = NULL;

  if (text == NULL)
    return NULL;

  node = buurten_json_parse (text, -1, 16, error);
  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, BUURTEN_DB_ERROR, BUURTEN_DB_ERROR_QUERY,
                           "a stored value is not an object");
      return NULL;
    }

  return json_object_ref (json_node_get_object (node));
}

/* An entity from its stored JSON text. */
gpointer
entity_from_text (const BuurtenEntityInfo  *info,
                  const char               *text,
                  GError                  **error)
{
  g_autoptr(JsonNode) node = buurten_json_parse (text, -1, 16, error);

  if (node == NULL)
    return NULL;
  return buurten_entity_from_json (info, node, error);
}

/* The same from an object's data. */
gpointer
entity_from_data (const BuurtenEntityInfo  *info,
                  JsonObject               *data,
                  GError                  **error)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, data);
  return buurten_entity_from_json (info, node, error);
}

/* The entities of column 0 of rows (JSON texts), as a GPtrArray that
 * frees them. */
GPtrArray *
entities_from_rows (const BuurtenEntityInfo  *info,
                    GDestroyNotify            free_func,
                    PGresult                 *rows,
                    GError                  **error)
{
  g_autoptr(GPtrArray) entities = g_ptr_array_new_full (PQntuples (rows), free_func);

  for (int i = 0; i < PQntuples (rows); i++)
    {
      gpointer entity = entity_from_text (info, buurten_db_get (rows, i, 0), error);

      if (entity == NULL)
        return NULL;
      g_ptr_array_add (entities, entity);
    }

  return g_steal_pointer (&entities);
}

/* The state of an initiative object, as core's enum. */
int
initiative_state_of (Obj *initiative)
{
  const char *id = json_object_get_string_member_with_default (initiative->data, "state", "");
  int state = BUURTEN_INITIATIVE_IDEA;

  if (!buurten_state_from_id (BUURTEN_MACHINE_INITIATIVE, id, &state))
    state = BUURTEN_INITIATIVE_IDEA;
  return state;
}

gboolean
has_field (const BuurtenEntityInfo *info,
           const char              *name)
{
  return buurten_entity_info_get_field (info, name) != NULL;
}

char *
today_text (BuurtenMutationContext *ctx)
{
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (ctx->now);

  return g_date_time_format (now, "%Y-%m-%d");
}

void
today_date (BuurtenMutationContext *ctx,
            GDate                  *out)
{
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (ctx->now);

  g_date_clear (out, 1);
  g_date_set_dmy (out, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));
}

void
set_time_member (BuurtenMutationContext *ctx,
                 JsonObject             *data,
                 const char             *member)
{
  g_autofree char *text = buurten_format_time (ctx->now);

  json_object_set_string_member (data, member, text);
}

/* ---- arguments ----------------------------------------------------------- */

gboolean
arg_string (JsonObject  *args,
            const char  *member,
            gboolean     required,
            const char **out,
            GError     **error)
{
  return buurten_json_get_string (args, "args", member, required, out, error);
}

gboolean
arg_int (JsonObject  *args,
         const char  *member,
         gboolean     required,
         gint64      *out,
         GError     **error)
{
  return buurten_json_get_int (args, "args", member, required, out, error);
}

/* A UUID, lowercased. */
gboolean
arg_uuid (JsonObject  *args,
          const char  *member,
          gboolean     required,
          char       **out,
          GError     **error)
{
  const char *text = NULL;

  if (!arg_string (args, member, required, &text, error))
    return FALSE;

  if (text == NULL)
    {
      *out = NULL;
      return TRUE;
    }

  if (!buurten_uuid_is_valid (text))
    {
      set_error (error, BUURTEN_CORE_ERROR_INVALID, "args.%s: not a valid UUID", member);
      return FALSE;
    }

  *out = g_ascii_strdown (text, -1);
  return TRUE;
}

gboolean
arg_wijk (BuurtenMutationContext  *ctx,
          JsonObject              *args,
          const char              *member,
          const char             **out,
          GError                 **error)
{
  if (!arg_string (args, member, TRUE, out, error))
    return FALSE;

  if (buurten_municipality_lookup_wijk (ctx->municipality, *out) == NULL)
    {
      g_autofree char *quoted = buurten_text_excerpt (*out, 64);

      set_error (error, BUURTEN_CORE_ERROR_INVALID, "args.%s: there is no wijk “%s”",
                 member, quoted);
      return FALSE;
    }

  return TRUE;
}

gboolean
arg_year (JsonObject  *args,
          const char  *member,
          int         *out,
          GError     **error)
{
  gint64 year;

  if (!arg_int (args, member, TRUE, &year, error))
    return FALSE;

  if (year < 1900 || year > 9999)
    {
      set_error (error, BUURTEN_CORE_ERROR_INVALID, "args.%s: not a year", member);
      return FALSE;
    }

  *out = (int) year;
  return TRUE;
}

/* Copies args.member (when present) into data.target. */
void
copy_member (JsonObject *args,
             const char *member,
             JsonObject *data,
             const char *target)
{
  JsonNode *node = json_object_get_member (args, member);

  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    json_object_set_member (data, target != NULL ? target : member, json_node_copy (node));
}

/* Copies each of the NULL-terminated members of args that is present. */
void
copy_members (JsonObject         *args,
              JsonObject         *data,
              const char * const *members)
{
  for (guint i = 0; members[i] != NULL; i++)
    copy_member (args, members[i], data, NULL);
}

/* Copies every argument of the mutation's catalogue row that is a field of
 * its entity (besides the id), so that a create's fields are named once,
 * in core's catalogue. */
void
copy_entity_args (BuurtenMutationContext *ctx,
                  JsonObject             *args,
                  JsonObject             *data)
{
  const BuurtenMutationInfo *mutation = ctx->mutation;

  for (const BuurtenMutationArg *arg = mutation->args; arg->name != NULL; arg++)
    if (!g_str_equal (arg->name, "id") && has_field (mutation->entity, arg->name))
      copy_member (args, arg->name, data, NULL);
}

/* ---- rights ---------------------------------------------------------------- */

gboolean
require_staff (BuurtenMutationContext  *ctx,
               const char              *scope,
               GError                 **error)
{
  JsonObject *refusal;

  if (buurten_grants_staff_in (ctx->user->grants, ctx->municipality, scope))
    return TRUE;

  refusal = refuse (ctx, error, BUURTEN_CORE_ERROR_FORBIDDEN, "scope.forbidden",
                    "You have no rights in “%s”: only its own people may change it.", scope);
  json_object_set_string_member (refusal, "scope", scope);
  return FALSE;
}

/* ---- locks and savepoints --------------------------------------------------- */

static gboolean
savepoint_leave (BuurtenMutationContext  *ctx,
                 GError                 **error)
{
  if (!ctx->in_savepoint)
    return TRUE;
  ctx->in_savepoint = FALSE;
  return buurten_db_command (ctx->conn, "RELEASE SAVEPOINT mutation", error);
}

static gboolean
savepoint_enter (BuurtenMutationContext  *ctx,
                 GError                 **error)
{
  if (!buurten_db_command (ctx->conn, "SAVEPOINT mutation", error))
    return FALSE;
  ctx->in_savepoint = TRUE;
  return TRUE;
}

/* Takes the scope's change clock for this transaction: SELECT ... FOR
 * UPDATE holds every other writer of the scope until we commit, so seq
 * follows commit order and a reader never skips a row committed late. */
gboolean
lock_scope (BuurtenMutationContext  *ctx,
            const char              *scope,
            GError                 **error)
{
  g_autoptr(PGresult) locked = NULL;
  g_autoptr(PGresult) next = NULL;
  gint64 *seq;
  gboolean was_in_savepoint = ctx->in_savepoint;

  if (g_hash_table_contains (ctx->seqs, scope))
    return TRUE;

  if (!savepoint_leave (ctx, error))
    return FALSE;

  locked = BUURTEN_DB_EXEC (ctx->conn, error,
                            "SELECT seq FROM change_clocks WHERE scope = $1 FOR UPDATE", scope);
  if (locked == NULL)
    return FALSE;
  if (PQntuples (locked) != 1)
    {
      g_set_error (error, BUURTEN_DB_ERROR, BUURTEN_DB_ERROR_QUERY,
                   "no change clock for scope %s (was the municipality imported?)", scope);
      return FALSE;
    }

  next = BUURTEN_DB_EXEC (ctx->conn, error,
                          "UPDATE change_clocks SET seq = seq + 1 WHERE scope = $1 RETURNING seq",
                          scope);
  if (next == NULL)
    return FALSE;

  seq = g_new (gint64, 1);
  *seq = buurten_db_get_int (next, 0, 0);
  g_hash_table_insert (ctx->seqs, g_strdup (scope), seq);

  return !was_in_savepoint || savepoint_enter (ctx, error);
}

/* Money decisions of one year are serialised on one row, in every server
 * process: the wijkkansen pot can never be over-committed by a race. */
gboolean
lock_budget (BuurtenMutationContext  *ctx,
             int                      year,
             GError                 **error)
{
  g_autofree char *key = g_strdup_printf ("budget:%d", year);
  g_autoptr(PGresult) inserted = NULL;
  g_autoptr(PGresult) locked = NULL;
  gboolean was_in_savepoint = ctx->in_savepoint;

  if (g_hash_table_contains (ctx->locks, key))
    return TRUE;

  if (!savepoint_leave (ctx, error))
    return FALSE;

  inserted = BUURTEN_DB_EXEC (ctx->conn, error,
                              "INSERT INTO budget_locks (key) VALUES ($1)"
                              " ON CONFLICT (key) DO NOTHING", key);
  if (inserted == NULL)
    return FALSE;
  locked = BUURTEN_DB_EXEC (ctx->conn, error,
                            "SELECT key FROM budget_locks WHERE key = $1 FOR UPDATE", key);
  if (locked == NULL)
    return FALSE;

  g_hash_table_add (ctx->locks, g_steal_pointer (&key));
  return !was_in_savepoint || savepoint_enter (ctx, error);
}

/* A new object args.id under the parent args.<parent_member> names (the
 * user must be staff where the parent is): in the parent's scope, pointing
 * at it, with the members of args copied. */
Obj *
new_child (BuurtenMutationContext   *ctx,
           JsonObject               *args,
           const BuurtenEntityInfo  *info,
           const char               *parent_member,
           const BuurtenEntityInfo  *parent_info,
           const char * const       *members,
           GError                  **error)
{
  g_autofree char *id = NULL;
  g_autoptr(Obj) parent = NULL;
  Obj *obj;

  if (!arg_uuid (args, "id", TRUE, &id, error))
    return NULL;

  parent = open_object (ctx, args, parent_member, parent_info, TRUE, error);
  if (parent == NULL)
    return NULL;

  obj = obj_new (info, id, parent->scope);
  json_object_set_string_member (obj->data, parent_member, parent->id);
  copy_members (args, obj->data, members);
  return obj;
}

/* The subject a link names (notes, escalations and agenda items are
 * about one): subject_type and subject_id must name an object that exists
 * (not deleted) in a scope the container's scope contains
 * (buurten_scope_contains()); with container_scope NULL (a note lives in
 * its subject's scope), one where the user is staff. Anything else is
 * INVALID with rule scope.link, the same answer whether the subject does
 * not exist or lies elsewhere. */
Obj *
open_link (BuurtenMutationContext  *ctx,
           const char              *subject_type,
           const char              *subject_id,
           const char              *container_scope,
           GError                 **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(Obj) subject = NULL;
  const BuurtenEntityInfo *subject_info;
  JsonObject *refusal;

  subject_info = subject_type != NULL ? buurten_entity_info_lookup (subject_type) : NULL;
  if (subject_info != NULL && subject_id != NULL && buurten_uuid_is_valid (subject_id))
    {
      g_autofree char *id = g_ascii_strdown (subject_id, -1);

      subject = load_object (ctx, id, subject_info, "subject_id", FALSE, &local_error);
      if (subject == NULL && local_error->domain != BUURTEN_CORE_ERROR)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }

  if (subject != NULL &&
      (container_scope != NULL
       ? buurten_scope_contains (ctx->municipality, container_scope, subject->scope)
       : buurten_grants_staff_in (ctx->user->grants, ctx->municipality, subject->scope)))
    return g_steal_pointer (&subject);

  refusal = refuse (ctx, error, BUURTEN_CORE_ERROR_INVALID, "scope.link",
                    "args.subject_id: there is no %s here to link to",
                    subject_info != NULL ? subject_info->name : "object");
  json_object_set_string_member (refusal, "subject_type",
                                 subject_info != NULL ? subject_info->name : "");
  return NULL;
}

/* The subject args.subject_type and args.subject_id name (open_link()). */
Obj *
open_subject (BuurtenMutationContext  *ctx,
              JsonObject              *args,
              const char              *container_scope,
              GError                 **error)
{
  const char *subject_type = NULL;
  const char *subject_id = NULL;

  if (!arg_string (args, "subject_type", TRUE, &subject_type, error) ||
      !arg_string (args, "subject_id", TRUE, &subject_id, error))
    return NULL;

  return open_link (ctx, subject_type, subject_id, container_scope, error);
}

/* ---- budget moves --------------------------------------------------------------------- */

/* A non-empty string. */
gboolean
arg_text (JsonObject  *args,
          const char  *member,
          const char **out,
          GError     **error)
{
  if (!arg_string (args, member, TRUE, out, error))
    return FALSE;

  if (**out == '\0')
    {
      set_error (error, BUURTEN_CORE_ERROR_INVALID, "args.%s: must not be empty", member);
      return FALSE;
    }

  return TRUE;
}

/* A date, "YYYY-MM-DD". */
gboolean
arg_date (JsonObject  *args,
          const char  *member,
          const char **out,
          GError     **error)
{
  int y = 0, m = 0, d = 0;
  int end = 0;

  if (!arg_string (args, member, TRUE, out, error))
    return FALSE;

  if (strlen (*out) != 10 || sscanf (*out, "%4d-%2d-%2d%n", &y, &m, &d, &end) != 3 || end != 10 ||
      !g_date_valid_dmy (d, m, y))
    {
      set_error (error, BUURTEN_CORE_ERROR_INVALID, "args.%s: expected a date YYYY-MM-DD", member);
      return FALSE;
    }

  return TRUE;
}

/* ---- the table ----------------------------------------------------------------------- */

/* Indexed by core's BuurtenMutationId: a mutation is its catalogue row
 * (name, arguments, fields) and its handler here. */
static const MutationFunc handlers[] = {
  [BUURTEN_MUTATION_REQUEST_CREATE]        = m_request_create,
  [BUURTEN_MUTATION_REQUEST_UPDATE]        = update_mutation,
  [BUURTEN_MUTATION_REQUEST_TRANSITION]    = m_request_transition,
  [BUURTEN_MUTATION_REQUEST_ASSIGN]        = m_request_assign,
  [BUURTEN_MUTATION_INITIATIVE_CREATE]     = m_initiative_create,
  [BUURTEN_MUTATION_INITIATIVE_UPDATE]     = update_mutation,
  [BUURTEN_MUTATION_INITIATIVE_TRANSITION] = m_initiative_transition,
  [BUURTEN_MUTATION_DECISION_RECORD]       = m_decision_record,
  [BUURTEN_MUTATION_COMMITMENT_CREATE]     = m_commitment_create,
  [BUURTEN_MUTATION_COMMITMENT_SIGN]       = m_commitment_sign,
  [BUURTEN_MUTATION_COMMITMENT_CANCEL]     = m_commitment_cancel,
  [BUURTEN_MUTATION_PAYMENT_RECORD]        = m_payment_record,
  [BUURTEN_MUTATION_BUDGET_TRANSFER]       = m_budget_transfer,
  [BUURTEN_MUTATION_BUDGET_CARRY_OVER]     = m_budget_carry_over,
  [BUURTEN_MUTATION_BUDGET_CONFIRM]        = m_budget_confirm,
  [BUURTEN_MUTATION_ESCALATION_OPEN]       = m_escalation_open,
  [BUURTEN_MUTATION_ESCALATION_TRANSITION] = m_escalation_transition,
  [BUURTEN_MUTATION_MEETING_CREATE]        = m_meeting_create,
  [BUURTEN_MUTATION_MEETING_UPDATE]        = update_mutation,
  [BUURTEN_MUTATION_AGENDA_ITEM_ADD]       = m_agenda_item_add,
  [BUURTEN_MUTATION_AGENDA_ITEM_UPDATE]    = m_agenda_item_update,
  [BUURTEN_MUTATION_AGENDA_ITEM_REMOVE]    = delete_mutation,
  [BUURTEN_MUTATION_ACTION_CREATE]         = m_action_create,
  [BUURTEN_MUTATION_ACTION_COMPLETE]       = m_action_complete,
  [BUURTEN_MUTATION_NOTE_CREATE]           = m_note_create,
  [BUURTEN_MUTATION_NOTE_UPDATE]           = m_note_update,
  [BUURTEN_MUTATION_NOTE_DELETE]           = m_note_delete,
  [BUURTEN_MUTATION_THEME_CREATE]          = m_theme_create,
  [BUURTEN_MUTATION_THEME_UPDATE]          = update_mutation,
  [BUURTEN_MUTATION_THEME_REMOVE]          = delete_mutation,
  [BUURTEN_MUTATION_INITIATIVE_FROM_REQUEST] = m_initiative_from_request,
  [BUURTEN_MUTATION_BUDGET_LINE_ADD]       = m_budget_line_add,
  [BUURTEN_MUTATION_BUDGET_LINE_UPDATE]    = m_budget_line_update,
  [BUURTEN_MUTATION_BUDGET_LINE_REMOVE]    = m_budget_line_remove,
  [BUURTEN_MUTATION_ACTIVITY_ADD]          = m_activity_add,
  [BUURTEN_MUTATION_ACTIVITY_UPDATE]       = update_mutation,
  [BUURTEN_MUTATION_ACTIVITY_REMOVE]       = delete_mutation,
  [BUURTEN_MUTATION_AGREEMENT_ADD]         = m_agreement_add,
  [BUURTEN_MUTATION_AGREEMENT_UPDATE]      = update_mutation,
  [BUURTEN_MUTATION_AGREEMENT_REMOVE]      = delete_mutation,
  [BUURTEN_MUTATION_INITIATIVE_DEAL_SIGNED] = m_initiative_deal_signed,
  [BUURTEN_MUTATION_VERANTWOORDING_RECORD] = m_verantwoording_record,
};
G_STATIC_ASSERT (G_N_ELEMENTS (handlers) == BUURTEN_N_MUTATIONS);

void
buurten_mutation_context_init (BuurtenMutationContext *ctx,
                               PGconn                 *conn,
                               BuurtenMunicipality    *municipality,
                               const BuurtenUser      *user,
                               const char             *origin)
{
  memset (ctx, 0, sizeof *ctx);
  ctx->conn = conn;
  ctx->municipality = municipality;
  ctx->user = user;
  ctx->origin = origin;
  ctx->now = g_get_real_time () / G_USEC_PER_SEC;
  ctx->seqs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  ctx->locks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  ctx->audit_actions = g_ptr_array_new_with_free_func (g_free);
  ctx->audit_objects = g_ptr_array_new_with_free_func (g_free);
  ctx->audit_results = g_ptr_array_new_with_free_func (g_free);
}

static void
audit_later (BuurtenMutationContext *ctx,
             const char             *action,
             const char             *object,
             const char             *result)
{
  g_ptr_array_add (ctx->audit_actions, g_strdup (action));
  g_ptr_array_add (ctx->audit_objects, g_strdup (object));
  g_ptr_array_add (ctx->audit_results, g_strdup (result));
}

gboolean
buurten_mutation_context_flush (BuurtenMutationContext  *ctx,
                                GError                 **error)
{
  g_autoptr(PGresult) inserted = NULL;
  g_autofree char *actions = NULL;
  g_autofree char *objects = NULL;
  g_autofree char *results = NULL;

  if (ctx->audit_actions->len == 0)
    return TRUE;

  actions = buurten_db_text_array (ctx->audit_actions);
  objects = buurten_db_text_array (ctx->audit_objects);
  results = buurten_db_text_array (ctx->audit_results);
  inserted = BUURTEN_DB_EXEC (ctx->conn, error,
                              /* Through the chain's function, in the push's order. */
                              "SELECT buurten_audit ($1, a, o, r, $5)"
                              " FROM unnest ($2::text[], $3::text[], $4::text[])"
                              " WITH ORDINALITY AS l (a, o, r, n) ORDER BY n",
                              ctx->user->username, actions, objects, results, ctx->origin);
  if (inserted == NULL)
    return FALSE;

  g_ptr_array_set_size (ctx->audit_actions, 0);
  g_ptr_array_set_size (ctx->audit_objects, 0);
  g_ptr_array_set_size (ctx->audit_results, 0);
  return TRUE;
}

void
buurten_mutation_context_clear (BuurtenMutationContext *ctx)
{
  g_clear_pointer (&ctx->seqs, g_hash_table_unref);
  g_clear_pointer (&ctx->locks, g_hash_table_unref);
  g_clear_pointer (&ctx->conflicts, json_array_unref);
  g_clear_pointer (&ctx->object, g_free);
  g_clear_pointer (&ctx->refusal_args, json_object_unref);
  g_clear_pointer (&ctx->audit_actions, g_ptr_array_unref);
  g_clear_pointer (&ctx->audit_objects, g_ptr_array_unref);
  g_clear_pointer (&ctx->audit_results, g_ptr_array_unref);
}

/* {"mid","status":"rejected","code","message","args"}: args (taken, may
 * be NULL) are the refusal's, for the app's sentence in its language. */
static JsonObject *
rejected (gint64      mid,
          const char *code,
          const char *message,
          JsonObject *args)
{
  JsonObject *result = json_object_new ();

  json_object_set_int_member (result, "mid", mid);
  json_object_set_string_member (result, "status", "rejected");
  json_object_set_string_member (result, "code", code);
  json_object_set_string_member (result, "message", message);
  if (args != NULL)
    json_object_set_object_member (result, "args", args);
  return result;
}

JsonObject *
buurten_mutation_apply (BuurtenMutationContext  *ctx,
                        gint64                   mid,
                        const char              *name,
                        JsonObject              *args,
                        GError                 **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonObject) output = NULL;
  const BuurtenMutationInfo *def;
  JsonObject *result;
  JsonNode *id_node;
  gboolean ok;

  g_return_val_if_fail (ctx != NULL, NULL);

  g_clear_pointer (&ctx->conflicts, json_array_unref);
  ctx->conflicts = json_array_new ();
  g_clear_pointer (&ctx->object, g_free);
  g_clear_pointer (&ctx->refusal_args, json_object_unref);

  def = buurten_mutation_lookup (name);
  if (def == NULL || handlers[def->id] == NULL)
    {
      g_autofree char *quoted = buurten_text_excerpt (name, 64);
      g_autofree char *message = g_strdup_printf ("There is no mutation “%s”.", quoted);

      audit_later (ctx, "push:unknown", NULL, "rejected:" BUURTEN_CODE_UNKNOWN_MUTATION);
      return rejected (mid, BUURTEN_CODE_UNKNOWN_MUTATION, message, NULL);
    }

  /* The object named in the audit line: args.id when it is a UUID. */
  id_node = json_object_get_member (args, "id");
  if (id_node != NULL && JSON_NODE_HOLDS_VALUE (id_node) &&
      json_node_get_value_type (id_node) == G_TYPE_STRING &&
      buurten_uuid_is_valid (json_node_get_string (id_node)))
    ctx->object = g_strdup_printf ("%s:%s", def->entity != NULL ? def->entity->name : "move",
                                   json_node_get_string (id_node));
  ctx->mutation = def;

  if (!savepoint_enter (ctx, error))
    return NULL;

  output = json_object_new ();
  ok = handlers[def->id] (ctx, args, output, &local_error);

  if (!ok)
    {
      g_autofree char *action = g_strconcat ("push:", name, NULL);
      g_autofree char *outcome = NULL;
      const char *code;

      g_assert (local_error != NULL);

      if (local_error->domain == BUURTEN_DB_ERROR &&
          (local_error->code != BUURTEN_DB_ERROR_QUERY || !ctx->in_savepoint))
        {
          /* Temporary or to be retried: the whole push stops. */
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }

      if (ctx->in_savepoint)
        {
          ctx->in_savepoint = FALSE;
          if (!buurten_db_command (ctx->conn, "ROLLBACK TO SAVEPOINT mutation", error) ||
              !buurten_db_command (ctx->conn, "RELEASE SAVEPOINT mutation", error))
            return NULL;
        }

      if (local_error->domain == BUURTEN_CORE_ERROR)
        code = buurten_core_error_code_name (local_error->code);
      else
        {
          /* A query that failed for a reason of its own: a bug or bad
           * data. Rejected (so the client is not stuck on it) and logged. */
          g_warning ("%s failed: %s", name, local_error->message);
          g_clear_error (&local_error);
          g_set_error_literal (&local_error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID,
                               "The server could not apply this mutation.");
          g_clear_pointer (&ctx->refusal_args, json_object_unref);
          code = BUURTEN_CODE_INTERNAL;
        }

      outcome = g_strconcat ("rejected:", code, NULL);
      audit_later (ctx, action, ctx->object, outcome);
      return rejected (mid, code, local_error->message, g_steal_pointer (&ctx->refusal_args));
    }

  if (ctx->in_savepoint && !savepoint_leave (ctx, error))
    return NULL;

  result = json_object_new ();
  json_object_set_int_member (result, "mid", mid);
  if (json_array_get_length (ctx->conflicts) > 0)
    {
      json_object_set_string_member (result, "status", "conflict");
      json_object_set_string_member (result, "code", "CONFLICT");
      json_object_set_string_member (result, "message",
                                     "Someone else changed the same field first: the server "
                                     "kept its value (notes: yours) and recorded a conflict.");
      json_object_set_array_member (output, "conflicts", json_array_ref (ctx->conflicts));
    }
  else
    json_object_set_string_member (result, "status", "applied");
  json_object_set_object_member (result, "result", g_steal_pointer (&output));

  {
    g_autofree char *action = g_strconcat ("push:", name, NULL);

    audit_later (ctx, action, ctx->object,
                 json_array_get_length (ctx->conflicts) > 0 ? "conflict" : "applied");
  }

  return result;
}
