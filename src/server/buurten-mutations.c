/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-sync"

#include "config.h"

#include <string.h>

#include "buurten-mutations.h"
#include "buurten-ledger-feed.h"
#include "buurten-visibility.h"

/* The server side of every mutation of design.md's table (and the few the
 * project added: decision.record, theme.*). Each one checks the user's
 * rights for the object's scope, applies the core's rules and writes the
 * object, a change-log row and, where fields clashed, conflict records.
 *
 * Locks: a mutation first reads what it needs, then locks its scope's
 * change clock (and for money the year's budget lock) and only then
 * writes. Locks are taken outside the mutation's savepoint, because a
 * row lock taken inside a savepoint is lost when it is rolled back. */

typedef gboolean (*MutationFunc) (BuurtenMutationContext *ctx,
                                  JsonObject             *args,
                                  JsonObject             *result,
                                  GError                **error);

typedef struct
{
  const BuurtenEntityInfo *info;
  char                    *id;
  char                    *scope;
  gint64                   version;
  gboolean                 deleted;
  JsonObject              *data;
  JsonObject              *versions;
  JsonObject              *meta;     /* may be NULL */
} Obj;

static void
obj_free (Obj *obj)
{
  if (obj == NULL)
    return;

  g_free (obj->id);
  g_free (obj->scope);
  g_clear_pointer (&obj->data, json_object_unref);
  g_clear_pointer (&obj->versions, json_object_unref);
  g_clear_pointer (&obj->meta, json_object_unref);
  g_free (obj);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Obj, obj_free)

/* A new object, not yet written: data holds its id. */
static Obj *
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

static void
set_error (GError           **error,
           BuurtenCoreError   code,
           const char        *format,
           ...) G_GNUC_PRINTF (3, 4);

static void
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
static void
take_refusal_args (BuurtenMutationContext *ctx,
                   JsonObject             *args)
{
  g_clear_pointer (&ctx->refusal_args, json_object_unref);
  ctx->refusal_args = args;
}

/* Sets error to code and message, with a refusal of rule (and no other
 * facts): for the refusals the server words itself. */
static JsonObject *
refuse (BuurtenMutationContext  *ctx,
        GError                 **error,
        BuurtenCoreError         code,
        const char              *rule,
        const char              *format,
        ...) G_GNUC_PRINTF (5, 6);

static JsonObject *
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

static char *
node_to_string (JsonNode *node)
{
  if (node == NULL)
    return g_strdup ("null");
  return json_to_string (node, FALSE);
}

static char *
object_to_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  return json_to_string (node, FALSE);
}

static JsonObject *
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
static gpointer
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
static gpointer
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
static GPtrArray *
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
static int
initiative_state_of (Obj *initiative)
{
  const char *id = json_object_get_string_member_with_default (initiative->data, "state", "");
  int state = BUURTEN_INITIATIVE_IDEA;

  if (!buurten_state_from_id (BUURTEN_MACHINE_INITIATIVE, id, &state))
    state = BUURTEN_INITIATIVE_IDEA;
  return state;
}

static gboolean
has_field (const BuurtenEntityInfo *info,
           const char              *name)
{
  return buurten_entity_info_get_field (info, name) != NULL;
}

static char *
today_text (BuurtenMutationContext *ctx)
{
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (ctx->now);

  return g_date_time_format (now, "%Y-%m-%d");
}

static void
today_date (BuurtenMutationContext *ctx,
            GDate                  *out)
{
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (ctx->now);

  g_date_clear (out, 1);
  g_date_set_dmy (out, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));
}

static void
set_time_member (BuurtenMutationContext *ctx,
                 JsonObject             *data,
                 const char             *member)
{
  g_autofree char *text = buurten_format_time (ctx->now);

  json_object_set_string_member (data, member, text);
}

/* ---- arguments ----------------------------------------------------------- */

static gboolean
arg_string (JsonObject  *args,
            const char  *member,
            gboolean     required,
            const char **out,
            GError     **error)
{
  return buurten_json_get_string (args, "args", member, required, out, error);
}

static gboolean
arg_int (JsonObject  *args,
         const char  *member,
         gboolean     required,
         gint64      *out,
         GError     **error)
{
  return buurten_json_get_int (args, "args", member, required, out, error);
}

/* A UUID, lowercased. */
static gboolean
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

static gboolean
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
      set_error (error, BUURTEN_CORE_ERROR_INVALID, "args.%s: there is no wijk “%.64s”",
                 member, *out);
      return FALSE;
    }

  return TRUE;
}

static gboolean
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
static void
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
static void
copy_members (JsonObject         *args,
              JsonObject         *data,
              const char * const *members)
{
  for (guint i = 0; members[i] != NULL; i++)
    copy_member (args, members[i], data, NULL);
}

/* ---- rights ---------------------------------------------------------------- */

static gboolean
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

static gboolean
require_any_role (BuurtenMutationContext  *ctx,
                  const char              *wijk,
                  const BuurtenRole       *roles,
                  guint                    n_roles,
                  const char              *what,
                  GError                 **error)
{
  for (guint i = 0; i < n_roles; i++)
    if (buurten_grants_have_role (ctx->user->grants, roles[i], wijk))
      return TRUE;

  set_error (error, BUURTEN_CORE_ERROR_FORBIDDEN, "Your roles do not allow you to %s%s%s.",
             what, wijk != NULL ? " in " : "", wijk != NULL ? wijk : "");
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
static gboolean
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
static gboolean
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

/* ---- objects ------------------------------------------------------------------- */

static Obj *
load_object (BuurtenMutationContext   *ctx,
             const char               *id,
             const BuurtenEntityInfo  *info,
             const char               *member,
             gboolean                  for_update,
             GError                  **error)
{
  g_autoptr(PGresult) result = NULL;
  g_autoptr(Obj) obj = NULL;
  const BuurtenEntityInfo *found;

  result = BUURTEN_DB_EXEC (ctx->conn, error,
                            for_update
                            ? "SELECT type, scope, version, deleted, data::text, versions::text,"
                              " meta::text FROM objects WHERE id = $1::uuid FOR UPDATE"
                            : "SELECT type, scope, version, deleted, data::text, versions::text,"
                              " meta::text FROM objects WHERE id = $1::uuid",
                            id);
  if (result == NULL)
    return NULL;

  found = PQntuples (result) == 1 ? buurten_entity_info_lookup (buurten_db_get (result, 0, 0))
                                  : NULL;
  if (found == NULL || (info != NULL && found != info) ||
      g_strcmp0 (buurten_db_get (result, 0, 3), "t") == 0)
    {
      JsonObject *refusal = refuse (ctx, error, BUURTEN_CORE_ERROR_NOT_FOUND, "not_found",
                                    "args.%s: there is no %s %s", member,
                                    info != NULL ? info->name : "object", id);

      json_object_set_string_member (refusal, "type", info != NULL ? info->name : "object");
      return NULL;
    }

  obj = g_new0 (Obj, 1);
  obj->info = found;
  obj->id = g_strdup (id);
  obj->scope = g_strdup (buurten_db_get (result, 0, 1));
  obj->version = buurten_db_get_int (result, 0, 2);
  obj->data = parse_object (buurten_db_get (result, 0, 4), error);
  if (obj->data == NULL)
    return NULL;
  obj->versions = parse_object (buurten_db_get (result, 0, 5), error);
  if (obj->versions == NULL)
    return NULL;
  if (buurten_db_get (result, 0, 6) != NULL)
    {
      obj->meta = parse_object (buurten_db_get (result, 0, 6), error);
      if (obj->meta == NULL)
        return NULL;
    }

  return g_steal_pointer (&obj);
}

/* The object args.member names, checked against the user's rights, with
 * its scope locked and the row itself locked and read afresh. */
static Obj *
open_object (BuurtenMutationContext   *ctx,
             JsonObject               *args,
             const char               *member,
             const BuurtenEntityInfo  *info,
             gboolean                  staff_only,
             GError                  **error)
{
  g_autofree char *id = NULL;
  g_autoptr(Obj) first = NULL;

  if (!arg_uuid (args, member, TRUE, &id, error))
    return NULL;

  first = load_object (ctx, id, info, member, FALSE, error);
  if (first == NULL)
    return NULL;

  if (staff_only && !require_staff (ctx, first->scope, error))
    return NULL;

  if (!lock_scope (ctx, first->scope, error))
    return NULL;

  return load_object (ctx, id, info, member, TRUE, error);
}

/* Decodes data with the core's strict rules (types, required members,
 * lengths, enums) and replaces it by the canonical encoding. */
static gboolean
canonicalize (const BuurtenEntityInfo  *info,
              JsonObject              **data,
              GError                  **error)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonNode) canonical = NULL;
  gpointer entity;

  json_node_set_object (node, *data);
  entity = buurten_entity_from_json (info, node, error);
  if (entity == NULL)
    return FALSE;

  if (!buurten_entity_validate (info, entity, error))
    {
      buurten_entity_free (info, entity);
      return FALSE;
    }

  canonical = buurten_entity_to_json (info, entity, TRUE);
  buurten_entity_free (info, entity);

  json_object_unref (*data);
  *data = json_object_ref (json_node_get_object (canonical));
  return TRUE;
}

static const char *
audience_of (Obj *obj)
{
  if (obj->info == &buurten_action_info && json_object_has_member (obj->data, "owner"))
    return json_object_get_string_member (obj->data, "owner");
  if (obj->info == &buurten_request_info && json_object_has_member (obj->data, "assignee"))
    return json_object_get_string_member (obj->data, "assignee");
  return NULL;
}

/* Writes the change-log row of obj for this transaction. */
static gboolean
store_change (BuurtenMutationContext  *ctx,
              Obj                     *obj,
              GError                 **error)
{
  g_autoptr(PGresult) result = NULL;
  g_autofree char *seq = NULL;
  g_autofree char *rank = NULL;
  g_autofree char *version = NULL;
  g_autofree char *data = NULL;
  g_autofree char *versions = NULL;
  g_autofree char *meta = NULL;
  gint64 *seqp = g_hash_table_lookup (ctx->seqs, obj->scope);

  g_assert (seqp != NULL);

  seq = g_strdup_printf ("%" G_GINT64_FORMAT, *seqp);
  rank = g_strdup_printf ("%d", buurten_mutation_type_rank (obj->info));
  version = g_strdup_printf ("%" G_GINT64_FORMAT, obj->version);
  if (!obj->deleted)
    {
      data = object_to_string (obj->data);
      versions = object_to_string (obj->versions);
    }
  if (obj->meta != NULL && obj->info == &buurten_commitment_info)
    meta = object_to_string (obj->meta);

  result = BUURTEN_DB_EXEC (ctx->conn, error,
                            "INSERT INTO changes (scope, seq, type_rank, object_id, type, op,"
                            " version, data, versions, meta, audience)"
                            " VALUES ($1, $2::bigint, $3::integer, $4::uuid, $5, $6, $7::bigint,"
                            " $8::jsonb, $9::jsonb, $10::jsonb, $11)"
                            " ON CONFLICT (scope, seq, type_rank, object_id) DO UPDATE SET"
                            " op = excluded.op, version = excluded.version, data = excluded.data,"
                            " versions = excluded.versions, meta = excluded.meta,"
                            " audience = excluded.audience",
                            obj->scope, seq, rank, obj->id, obj->info->name,
                            obj->deleted ? "del" : "put", version, data, versions, meta,
                            obj->deleted ? NULL : audience_of (obj));
  return result != NULL;
}

/* Canonicalises and writes obj (new or changed) and its change-log row.
 * The scope must be locked. */
static gboolean
store_object (BuurtenMutationContext  *ctx,
              Obj                     *obj,
              gboolean                 is_new,
              GError                 **error)
{
  g_autoptr(PGresult) result = NULL;
  g_autofree char *seq = NULL;
  g_autofree char *version = NULL;
  g_autofree char *data = NULL;
  g_autofree char *versions = NULL;
  g_autofree char *meta = NULL;
  gint64 *seqp = g_hash_table_lookup (ctx->seqs, obj->scope);

  g_assert (seqp != NULL);

  if (!obj->deleted)
    {
      if (has_field (obj->info, "version"))
        json_object_set_int_member (obj->data, "version", obj->version);
      if (!canonicalize (obj->info, &obj->data, error))
        return FALSE;
    }

  seq = g_strdup_printf ("%" G_GINT64_FORMAT, *seqp);
  version = g_strdup_printf ("%" G_GINT64_FORMAT, obj->version);
  data = object_to_string (obj->data);
  versions = object_to_string (obj->versions);
  if (obj->meta != NULL)
    meta = object_to_string (obj->meta);

  if (is_new)
    result = BUURTEN_DB_EXEC (ctx->conn, error,
                              "INSERT INTO objects (id, type, scope, seq, version, data, versions,"
                              " meta) VALUES ($1::uuid, $2, $3, $4::bigint, $5::bigint, $6::jsonb,"
                              " $7::jsonb, $8::jsonb)",
                              obj->id, obj->info->name, obj->scope, seq, version, data, versions,
                              meta);
  else
    result = BUURTEN_DB_EXEC (ctx->conn, error,
                              "UPDATE objects SET seq = $2::bigint, version = $3::bigint,"
                              " data = $4::jsonb, versions = $5::jsonb, meta = $6::jsonb,"
                              " deleted = $7::boolean,"
                              " deleted_at = CASE WHEN $7::boolean THEN now () END,"
                              " updated_at = now () WHERE id = $1::uuid",
                              obj->id, seq, version, data, versions, meta,
                              obj->deleted ? "true" : "false");
  if (result == NULL)
    {
      if (g_error_matches (*error, BUURTEN_DB_ERROR, BUURTEN_DB_ERROR_UNIQUE))
        {
          g_clear_error (error);
          set_error (error, BUURTEN_CORE_ERROR_INVALID,
                     "args.id: an object with the id %s exists already", obj->id);
        }
      return FALSE;
    }

  return store_change (ctx, obj, error);
}

/* A new object: version 1, every field present at version 1. */
static gboolean
insert_object (BuurtenMutationContext  *ctx,
               Obj                     *obj,
               GError                 **error)
{
  JsonObjectIter iter;
  const char *member;

  obj->version = 1;
  if (!lock_scope (ctx, obj->scope, error))
    return FALSE;
  if (has_field (obj->info, "version"))
    json_object_set_int_member (obj->data, "version", 1);
  if (!canonicalize (obj->info, &obj->data, error))
    return FALSE;

  json_object_iter_init (&iter, obj->data);
  while (json_object_iter_next (&iter, &member, NULL))
    if (!g_str_equal (member, "id") && !g_str_equal (member, "version"))
      json_object_set_int_member (obj->versions, member, 1);

  return store_object (ctx, obj, TRUE, error);
}

static void
bump (BuurtenMutationContext *ctx,
      Obj                    *obj,
      const char * const     *fields)
{
  obj->version++;
  for (guint i = 0; fields != NULL && fields[i] != NULL; i++)
    json_object_set_int_member (obj->versions, fields[i], obj->version);
  if (has_field (obj->info, "updated_at"))
    set_time_member (ctx, obj->data, "updated_at");
}

/* Writes a new object and answers with its version: the end of most
 * mutations that create something. */
static gboolean
insert_answering (BuurtenMutationContext  *ctx,
                  Obj                     *obj,
                  JsonObject              *result,
                  GError                 **error)
{
  if (!insert_object (ctx, obj, error))
    return FALSE;

  json_object_set_int_member (result, "version", obj->version);
  return TRUE;
}

/* The same for an object changed in place (after bump()). */
static gboolean
store_answering (BuurtenMutationContext  *ctx,
                 Obj                     *obj,
                 JsonObject              *result,
                 GError                 **error)
{
  if (!store_object (ctx, obj, FALSE, error))
    return FALSE;

  json_object_set_int_member (result, "version", obj->version);
  return TRUE;
}

static gboolean
record_conflict (BuurtenMutationContext  *ctx,
                 Obj                     *obj,
                 const char              *field,
                 JsonNode                *theirs,
                 JsonNode                *yours,
                 GError                 **error)
{
  g_autoptr(PGresult) result = NULL;
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *user_id = g_strdup_printf ("%" G_GINT64_FORMAT, ctx->user->id);
  g_autofree char *seq = NULL;
  g_autofree char *theirs_text = node_to_string (theirs);
  g_autofree char *yours_text = node_to_string (yours);
  gint64 *seqp = g_hash_table_lookup (ctx->seqs, obj->scope);
  JsonObject *conflict;

  g_assert (seqp != NULL);
  seq = g_strdup_printf ("%" G_GINT64_FORMAT, *seqp);

  result = BUURTEN_DB_EXEC (ctx->conn, error,
                            "INSERT INTO conflicts (id, user_id, scope, seq, object_type,"
                            " object_id, field, theirs, yours) VALUES ($1::uuid, $2::bigint, $3,"
                            " $4::bigint, $5, $6::uuid, $7, $8::jsonb, $9::jsonb)",
                            id, user_id, obj->scope, seq, obj->info->name, obj->id, field,
                            theirs_text, yours_text);
  if (result == NULL)
    return FALSE;

  conflict = json_object_new ();
  json_object_set_string_member (conflict, "id", id);
  json_object_set_string_member (conflict, "type", obj->info->name);
  json_object_set_string_member (conflict, "row", obj->id);
  json_object_set_string_member (conflict, "field", field);
  json_object_set_member (conflict, "theirs", theirs != NULL ? json_node_copy (theirs)
                                                              : json_node_new (JSON_NODE_NULL));
  json_object_set_member (conflict, "yours", yours != NULL ? json_node_copy (yours)
                                                            : json_node_new (JSON_NODE_NULL));
  json_array_add_object_element (ctx->conflicts, conflict);
  return TRUE;
}

static gboolean
nodes_equal (JsonNode *a,
             JsonNode *b)
{
  gboolean a_null = a == NULL || JSON_NODE_HOLDS_NULL (a);
  gboolean b_null = b == NULL || JSON_NODE_HOLDS_NULL (b);

  if (a_null || b_null)
    return a_null == b_null;

  return json_node_equal (a, b);
}

static gboolean
in_list (const char * const *list,
         const char         *name)
{
  for (guint i = 0; list[i] != NULL; i++)
    if (g_str_equal (list[i], name))
      return TRUE;
  return FALSE;
}

/* Per-field merge against base: a field nobody else changed since the
 * client saw it is set; one changed on both sides keeps the server value
 * and records a conflict (last_writer_wins: the client's value is set and
 * the server's losing value goes into the conflict record). */
static gboolean
merge_fields (BuurtenMutationContext  *ctx,
              Obj                     *obj,
              JsonObject              *base,
              JsonObject              *set,
              const char * const      *allowed,
              gboolean                 last_writer_wins,
              const char              *mutation,
              JsonObject              *result,
              GError                 **error)
{
  g_autoptr(GPtrArray) changed = g_ptr_array_new ();
  JsonObjectIter iter;
  const char *member;
  JsonNode *value;

  if (json_object_get_size (set) == 0)
    {
      set_error (error, BUURTEN_CORE_ERROR_INVALID, "args.set: nothing to set");
      return FALSE;
    }

  json_object_iter_init (&iter, set);
  while (json_object_iter_next (&iter, &member, &value))
    {
      JsonNode *base_node = base != NULL ? json_object_get_member (base, member) : NULL;
      JsonNode *server_value = json_object_get_member (obj->data, member);
      gint64 seen = 0;
      gint64 current = 0;

      if (!in_list (allowed, member))
        {
          set_error (error, BUURTEN_CORE_ERROR_INVALID, "args.set.%.64s: %s cannot change it",
                     member, mutation);
          return FALSE;
        }

      if (base_node != NULL && !buurten_json_get_int (base, "args.base", member, TRUE, &seen,
                                                      error))
        return FALSE;
      if (base_node == NULL && !last_writer_wins)
        {
          set_error (error, BUURTEN_CORE_ERROR_INVALID,
                     "args.base.%.64s: the version of the field you changed is missing", member);
          return FALSE;
        }
      if (json_object_has_member (obj->versions, member))
        current = json_object_get_int_member (obj->versions, member);
      if (base_node == NULL)
        seen = current;

      if (nodes_equal (server_value, value))
        continue;

      if (current > seen)
        {
          if (!record_conflict (ctx, obj, member, server_value, value, error))
            return FALSE;
          if (!last_writer_wins)
            continue;
        }

      g_ptr_array_add (changed, (gpointer) member);
    }

  if (changed->len > 0)
    {
      for (guint i = 0; i < changed->len; i++)
        {
          const char *name = g_ptr_array_index (changed, i);

          json_object_set_member (obj->data, name,
                                  json_node_copy (json_object_get_member (set, name)));
        }
      g_ptr_array_add (changed, NULL);
      bump (ctx, obj, (const char * const *) changed->pdata);
      if (!store_object (ctx, obj, FALSE, error))
        return FALSE;
    }
  else if (json_array_get_length (ctx->conflicts) > 0)
    {
      /* Nothing changed, but the conflict rides on a change-log row of
       * this transaction so that a pull delivers it. */
      if (!store_change (ctx, obj, error))
        return FALSE;
    }

  json_object_set_int_member (result, "version", obj->version);
  return TRUE;
}

/* The fields a mutation may set are its catalogue row's. */
static gboolean
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

static gboolean
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

/* What a machine adds to a status change: check runs after the
 * machine's table allowed it, before anything is written; after runs once
 * the object is stored. Either may be NULL. */
typedef gboolean (*TransitionHook) (BuurtenMutationContext  *ctx,
                                    Obj                     *obj,
                                    int                      from,
                                    int                      to,
                                    const char              *note,
                                    JsonObject              *result,
                                    GError                 **error);

/* Status changes: the state the client saw must still be the state. */
static gboolean
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
      set_error (error, BUURTEN_CORE_ERROR_INVALID, "args.to: “%.64s” is not a %s state",
                 to_id, buurten_machine_name (machine));
      return FALSE;
    }

  obj = open_object (ctx, args, "id", info, TRUE, error);
  if (obj == NULL)
    return FALSE;

  current = json_object_get_string_member_with_default (obj->data, "state", "");
  if (!g_str_equal (current, expect))
    {
      JsonObject *refusal = refuse (ctx, error, BUURTEN_CORE_ERROR_INVALID_STATE,
                                    "state.changed",
                                    "The %s is “%s” on the server, not “%.64s”: someone "
                                    "changed it first.", info->name, current, expect);

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

/* A new object args.id under the parent args.<parent_member> names (the
 * user must be staff where the parent is): in the parent's scope, pointing
 * at it, with the members of args copied. */
static Obj *
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
static Obj *
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
                    "args.subject_id: there is no %.64s here to link to",
                    subject_info != NULL ? subject_info->name : "object");
  json_object_set_string_member (refusal, "subject_type",
                                 subject_info != NULL ? subject_info->name : "");
  return NULL;
}

/* The subject args.subject_type and args.subject_id name (open_link()). */
static Obj *
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

/* ---- requests -------------------------------------------------------------------- */

static gboolean
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

static gboolean
m_request_transition (BuurtenMutationContext  *ctx,
                      JsonObject              *args,
                      JsonObject              *result,
                      GError                 **error)
{
  return transition_mutation (ctx, args, &buurten_request_info, BUURTEN_MACHINE_REQUEST,
                              NULL, NULL, result, error);
}

static gboolean
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

static gboolean
m_initiative_create (BuurtenMutationContext  *ctx,
                     JsonObject              *args,
                     JsonObject              *result,
                     GError                 **error)
{
  g_autoptr(Obj) obj = NULL;

  obj = new_in_wijk (ctx, args, &buurten_initiative_info,
                     (const char * const []) { "title", "description", "organiser",
                                               "requested_cents", "theme", NULL },
                     error);
  if (obj == NULL)
    return FALSE;

  json_object_set_string_member (obj->data, "state",
                                 buurten_state_id (BUURTEN_MACHINE_INITIATIVE,
                                                   BUURTEN_INITIATIVE_IDEA));
  set_time_member (ctx, obj->data, "received_at");
  set_time_member (ctx, obj->data, "updated_at");

  return insert_answering (ctx, obj, result, error);
}

/* The sum of the initiative's approved commitments (what a grant may
 * record), and whether there is any. */
static gboolean
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

static gboolean
needs_reason (int outcome)
{
  return outcome == BUURTEN_OUTCOME_REJECTED || outcome == BUURTEN_OUTCOME_REFERRED;
}

static gboolean
refuse_without_reason (BuurtenMutationContext  *ctx,
                       const char              *member,
                       GError                 **error)
{
  refuse (ctx, error, BUURTEN_CORE_ERROR_INVALID, "decision.needs_reason",
          "args.%s: a rejection or a referral needs its reason", member);
  return FALSE;
}

/* A decision object of the initiative (rejected or referred). */
static gboolean
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

  if (transition_outcome (to) >= 0 && (note == NULL || *note == '\0'))
    return refuse_without_reason (ctx, "note", error);

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

static gboolean
m_initiative_transition (BuurtenMutationContext  *ctx,
                         JsonObject              *args,
                         JsonObject              *result,
                         GError                 **error)
{
  return transition_mutation (ctx, args, &buurten_initiative_info, BUURTEN_MACHINE_INITIATIVE,
                              initiative_check, initiative_after, result, error);
}

static gboolean
m_decision_record (BuurtenMutationContext  *ctx,
                   JsonObject              *args,
                   JsonObject              *result,
                   GError                 **error)
{
  g_autoptr(Obj) obj = NULL;
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
  if (needs_reason (outcome) && (reason == NULL || *reason == '\0'))
    return refuse_without_reason (ctx, "reason", error);

  obj = new_child (ctx, args, &buurten_decision_info, "initiative_id", &buurten_initiative_info,
                   (const char * const []) { "outcome", "amount_cents", "reason", "decided_on",
                                             NULL },
                   error);
  if (obj == NULL)
    return FALSE;

  /* A grant records approved money, never more. */
  if (outcome == BUURTEN_OUTCOME_GRANTED)
    {
      gint64 approved = 0;

      if (!approved_money (ctx, json_object_get_string_member (obj->data, "initiative_id"),
                           &approved, NULL, error))
        return FALSE;
      if (amount > approved)
        {
          JsonObject *refusal = refuse (ctx, error, BUURTEN_CORE_ERROR_MANDATE_EXCEEDED,
                                        "decision.beyond_approved",
                                        "A grant of %" G_GINT64_FORMAT " cents is more than the "
                                        "%" G_GINT64_FORMAT " cents of the initiative's approved "
                                        "commitments.", amount, approved);

          json_object_set_int_member (refusal, "amount_cents", amount);
          json_object_set_int_member (refusal, "approved_cents", approved);
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

static const BuurtenRole commit_roles[] = {
  BUURTEN_ROLE_BUURTCOORDINATOR, BUURTEN_ROLE_WIJKWETHOUDER,
  BUURTEN_ROLE_WETHOUDER_BUURTEN, BUURTEN_ROLE_TEAMMANAGER_SAMENLEVING,
};
static const BuurtenRole payment_roles[] = {
  BUURTEN_ROLE_BUURTCOORDINATOR, BUURTEN_ROLE_TEAMMANAGER_SAMENLEVING,
};

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

static gboolean
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
  const char *wijk;
  gint64 amount;
  int funding;
  int year;

  if (!arg_uuid (args, "id", TRUE, &id, error) ||
      !arg_int (args, "amount_cents", TRUE, &amount, error) ||
      !arg_string (args, "funding", TRUE, &funding_id, error) ||
      !arg_year (args, "year", &year, error))
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
  if (!insert_object (ctx, decision, error))
    return FALSE;

  json_object_set_string_member (result, "initiative_state",
                                 buurten_state_id (BUURTEN_MACHINE_INITIATIVE, state));
  json_object_set_string_member (result, "decision_id", decision_id);
  return TRUE;
}

static gboolean
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

static gboolean
m_commitment_cancel (BuurtenMutationContext  *ctx,
                     JsonObject              *args,
                     JsonObject              *result,
                     GError                 **error)
{
  static const char * const fields[] = { "state", "cancel_reason", NULL };
  g_autoptr(Obj) obj = NULL;
  g_autoptr(PGresult) payments = NULL;
  const char *reason = NULL;
  const char *state;

  if (!arg_string (args, "reason", TRUE, &reason, error))
    return FALSE;

  obj = open_object (ctx, args, "id", &buurten_commitment_info, TRUE, error);
  if (obj == NULL)
    return FALSE;

  if (!require_any_role (ctx, json_object_get_string_member_with_default (obj->data, "wijk", ""),
                         commit_roles, G_N_ELEMENTS (commit_roles), "cancel commitments", error))
    return FALSE;

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

static gboolean
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
  const char *wijk;
  int year;

  if (!arg_uuid (args, "id", TRUE, &id, error))
    return FALSE;

  commitment = open_object (ctx, args, "commitment_id", &buurten_commitment_info, TRUE, error);
  if (commitment == NULL)
    return FALSE;

  wijk = json_object_get_string_member_with_default (commitment->data, "wijk", "");
  if (!require_any_role (ctx, wijk, payment_roles, G_N_ELEMENTS (payment_roles),
                         "record payments", error))
    return FALSE;

  year = (int) json_object_get_int_member_with_default (commitment->data, "year", 0);
  if (!lock_budget (ctx, year, error))
    return FALSE;

  obj = obj_new (&buurten_payment_info, id, commitment->scope);
  json_object_set_string_member (obj->data, "commitment_id", commitment->id);
  copy_members (args, obj->data, (const char * const []) { "amount_cents", "paid_on", NULL });

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
  if (!buurten_ledger_add_payment (ledger, payment, error))
    return FALSE;

  return insert_answering (ctx, obj, result, error);
}

/* ---- budget moves --------------------------------------------------------------------- */

/* A non-empty string. */
static gboolean
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
static gboolean
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

static gboolean
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

static gboolean
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
static gboolean
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

/* ---- escalations -------------------------------------------------------------------- */

static gboolean
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

static gboolean
m_escalation_transition (BuurtenMutationContext  *ctx,
                         JsonObject              *args,
                         JsonObject              *result,
                         GError                 **error)
{
  return transition_mutation (ctx, args, &buurten_escalation_info, BUURTEN_MACHINE_ESCALATION,
                              escalation_check, NULL, result, error);
}

/* ---- meetings, agenda items and actions --------------------------------------------- */

static gboolean
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

static gboolean
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

static gboolean
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

static gboolean
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

static gboolean
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

/* ---- notes -------------------------------------------------------------------------- */

static gboolean
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
static gboolean
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

static gboolean
m_note_delete (BuurtenMutationContext  *ctx,
               JsonObject              *args,
               JsonObject              *result,
               GError                 **error)
{
  g_autoptr(Obj) obj = open_object (ctx, args, "id", &buurten_note_info, TRUE, error);

  return obj != NULL && may_edit_note (ctx, obj, error) && delete_object (ctx, obj, result, error);
}

/* ---- themes --------------------------------------------------------------------------- */

static gboolean
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
                              "INSERT INTO audit (actor, action, object, result, origin)"
                              " SELECT $1, a, o, r, $5 FROM unnest ($2::text[], $3::text[],"
                              " $4::text[]) AS l (a, o, r)",
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
      g_autofree char *message = g_strdup_printf ("There is no mutation “%.64s”.", name);

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
