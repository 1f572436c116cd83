/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-server"

#include "config.h"

#include "buurten-mutations-private.h"
#include "buurten-residents.h"

/* The objects table: loading an object (locked), writing it with its
 * change-log row, and the per-field merge against the base versions. */

/* ---- objects ------------------------------------------------------------------- */

Obj *
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
  obj->loaded_audience = g_strdup (audience_of (obj));

  return g_steal_pointer (&obj);
}

/* The object args.member names, checked against the user's rights, with
 * its scope locked and the row itself locked and read afresh. */
Obj *
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

const char *
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
              gboolean                 is_new,
              GError                 **error)
{
  g_autoptr(PGresult) result = NULL;
  g_autofree char *seq = NULL;
  g_autofree char *rank = NULL;
  g_autofree char *version = NULL;
  g_autofree char *data = NULL;
  g_autofree char *versions = NULL;
  g_autofree char *meta = NULL;
  const char *audience = obj->deleted ? NULL : audience_of (obj);
  const char *withdrawn_from = NULL;
  gint64 *seqp = g_hash_table_lookup (ctx->seqs, obj->scope);

  g_assert (seqp != NULL);

  /* Taken away from the partner it was for: reassigned, or deleted. */
  if (obj->loaded_audience != NULL && g_strcmp0 (audience, obj->loaded_audience) != 0)
    withdrawn_from = obj->loaded_audience;

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
                            " version, data, versions, meta, audience, withdrawn_from)"
                            " VALUES ($1, $2::bigint, $3::integer, $4::uuid, $5, $6, $7::bigint,"
                            " $8::jsonb, $9::jsonb, $10::jsonb, $11, $12)"
                            " ON CONFLICT (scope, seq, type_rank, object_id) DO UPDATE SET"
                            " op = excluded.op, version = excluded.version, data = excluded.data,"
                            " versions = excluded.versions, meta = excluded.meta,"
                            " audience = excluded.audience,"
                            " withdrawn_from = coalesce (changes.withdrawn_from,"
                            "  excluded.withdrawn_from)",
                            obj->scope, seq, rank, obj->id, obj->info->name,
                            obj->deleted ? "del" : "put", version, data, versions, meta,
                            audience, withdrawn_from);
  /* This row is the newest: the object's older rows (a new object has
   * none) keep no personal data (buurten-residents.h). */
  return result != NULL &&
         (is_new || buurten_blank_superseded (ctx->conn, obj->info, obj->id, obj->scope,
                                              *seqp, error));
}

/* Canonicalises and writes obj (new or changed) and its change-log row.
 * The scope must be locked. */
gboolean
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

  return store_change (ctx, obj, is_new, error);
}

/* A new object: version 1, every field present at version 1. */
gboolean
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

void
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
gboolean
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
gboolean
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
gboolean
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
    if (!in_list (allowed, member))
      {
        g_autofree char *quoted = buurten_text_excerpt (member, 64);

        set_error (error, BUURTEN_CORE_ERROR_INVALID, "args.set.%s: %s cannot change it",
                   quoted, mutation);
        return FALSE;
      }

  /* The client's values are checked whole before anything is merged: a
   * value that conflicts (and so is not set) must still be valid, or it
   * would be stored in the conflict record and echoed back. */
  {
    /* A new object: json_node_copy() of an object only takes a reference. */
    g_autoptr(JsonObject) proposed = json_object_new ();

    json_object_iter_init (&iter, obj->data);
    while (json_object_iter_next (&iter, &member, &value))
      json_object_set_member (proposed, member, json_node_copy (value));
    json_object_iter_init (&iter, set);
    while (json_object_iter_next (&iter, &member, &value))
      json_object_set_member (proposed, member, json_node_copy (value));
    if (!canonicalize (obj->info, &proposed, error))
      return FALSE;
  }

  json_object_iter_init (&iter, set);
  while (json_object_iter_next (&iter, &member, &value))
    {
      JsonNode *base_node = base != NULL ? json_object_get_member (base, member) : NULL;
      JsonNode *server_value = json_object_get_member (obj->data, member);
      gint64 seen = 0;
      gint64 current = 0;

      if (base_node != NULL && !buurten_json_get_int (base, "args.base", member, TRUE, &seen,
                                                      error))
        return FALSE;
      if (base_node == NULL && !last_writer_wins)
        {
          g_autofree char *quoted = buurten_text_excerpt (member, 64);

          set_error (error, BUURTEN_CORE_ERROR_INVALID,
                     "args.base.%s: the version of the field you changed is missing", quoted);
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
      if (!store_change (ctx, obj, FALSE, error))
        return FALSE;
    }

  json_object_set_int_member (result, "version", obj->version);
  return TRUE;
}
