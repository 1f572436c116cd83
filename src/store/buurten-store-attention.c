/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-store"

#include "config.h"

#include "buurten-store-private.h"
#include "buurten-store-initiative.h"

/* ---- sync: what the server says, and what needs the user ------------ */

void
buurten_attention_free (BuurtenAttention *item)
{
  if (item == NULL)
    return;
  g_free (item->kind);
  g_free (item->mutation);
  g_free (item->args_json);
  g_free (item->object_type);
  g_free (item->object_id);
  g_free (item->field);
  g_free (item->code);
  g_free (item->message);
  g_free (item->theirs_json);
  g_free (item->yours_json);
  g_free (item->conflict_id);
  g_free (item->refusal_args_json);
  g_free (item);
}

/* Which fields of an object the waiting outbox rows change. NULL when
 * none wait; a set with "*" when the whole row is someone's pending work
 * (a create, a delete, a signature: anything but a field update, a state
 * change or an assignment). Call with the mutex held. */
static GHashTable *
pending_fields (BuurtenStore  *self,
                const char    *object_id,
                GError       **error)
{
  g_autoptr(BuurtenCachedStmt) stmt =
    prepare (self, "SELECT name, args_json FROM outbox WHERE object_id = ?1", error);
  g_autoptr(GHashTable) fields = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, object_id, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 0);
      const char *args_json = (const char *) sqlite3_column_text (stmt, 1);

      if (fields == NULL)
        fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

      {
        const BuurtenMutationInfo *info = buurten_mutation_lookup (name);
        g_autoptr(JsonNode) args = NULL;

        /* The catalogue knows what each mutation touches; only an update
         * needs its args (the fields of args.set). */
        if (info != NULL && info->shape == BUURTEN_MUTATION_SHAPE_UPDATE)
          args = buurten_json_parse (args_json, -1, BUURTEN_JSON_DEFAULT_MAX_DEPTH, NULL);
        buurten_mutation_pending_fields (info,
                                         args != NULL && JSON_NODE_HOLDS_OBJECT (args)
                                           ? json_node_get_object (args) : NULL,
                                         fields);
      }
    }
  if (rc != SQLITE_DONE)
    {
      set_db_error (self, error, rc, "outbox");
      return NULL;
    }
  if (fields == NULL)
    g_set_error_literal (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_NOT_FOUND,
                         "nothing pending");
  return g_steal_pointer (&fields);
}

/* The local row as JSON with personal fields, or NULL when absent. Call
 * with the mutex held. */
static JsonNode *
local_row_json (BuurtenStore  *self,
                EntityTable   *table,
                const char    *id,
                GError       **error)
{
  g_autoptr(BuurtenCachedStmt) select = entity_statement (self, table, ENTITY_SELECT, error);
  gpointer entity;
  JsonNode *node;
  int rc;

  if (select == NULL)
    return NULL;
  sqlite3_bind_text (select, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (select);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_NOT_FOUND,
                   "%s %s: not found", table->info->name, id);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      set_db_error (self, error, rc, table->info->name);
      return NULL;
    }
  entity = buurten_entity_new (table->info);
  if (!read_entity (table->info, select, entity, FALSE, error))
    {
      buurten_entity_free (table->info, entity);
      return NULL;
    }
  node = buurten_entity_to_json (table->info, entity, TRUE);
  buurten_entity_free (table->info, entity);
  return node;
}

BuurtenRemoteResult
buurten_store_apply_remote_put (BuurtenStore            *self,
                                const BuurtenEntityInfo *info,
                                JsonObject              *row,
                                gint64                   version,
                                GError                 **error)
{
  return buurten_store_apply_remote_prepared (self, info, row, version, NULL, error);
}

BuurtenRemoteResult
buurten_store_apply_remote_prepared (BuurtenStore            *self,
                                     const BuurtenEntityInfo *info,
                                     JsonObject              *row,
                                     gint64                   version,
                                     gconstpointer            prepared,
                                     GError                 **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GHashTable) pending = NULL;
  g_autoptr(GError) local_error = NULL;
  BuurtenRemoteResult result = BUURTEN_REMOTE_APPLIED;
  EntityTable *table;
  JsonObject *object;
  const char *id;
  gpointer entity = NULL;
  gconstpointer prepared_entity;
  gboolean ok, wrote = FALSE;

  g_return_val_if_fail (BUURTEN_IS_STORE (self), BUURTEN_REMOTE_FAILED);
  g_return_val_if_fail (info != NULL && info_key_field (info) != NULL, BUURTEN_REMOTE_FAILED);
  g_return_val_if_fail (row != NULL, BUURTEN_REMOTE_FAILED);
  g_return_val_if_fail (error == NULL || *error == NULL, BUURTEN_REMOTE_FAILED);

  id = json_object_get_string_member_with_default (row, info_key_field (info)->name, NULL);
  if (id == NULL || !buurten_uuid_is_valid (id))
    {
      g_set_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID,
                   "%s: a pulled row without a valid id", info->name);
      return BUURTEN_REMOTE_FAILED;
    }

  /* The caller's row is used as it is (the version set into it), and
   * fields with waiting local changes are replaced in it below. */
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, object = row);
  if (buurten_entity_info_get_field (info, "version") != NULL)
    json_object_set_int_member (object, "version", version);

  locker = g_rec_mutex_locker_new (&CONN (self)->mutex);
  table = entity_table (self, info);

  pending = CONN (self)->outbox_empty ? NULL : pending_fields (self, id, &local_error);
  if (pending == NULL && local_error != NULL &&
      !g_error_matches (local_error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return BUURTEN_REMOTE_FAILED;
    }
  g_clear_error (&local_error);

  if (pending != NULL)
    {
      g_autoptr(JsonNode) local = NULL;
      JsonObject *local_object;
      GHashTableIter iter;
      const char *field;

      /* Pulled values never overwrite what is still waiting to be sent
       * (design.md). The whole row waits: keep ours as it is. */
      if (g_hash_table_contains (pending, "*"))
        return BUURTEN_REMOTE_KEPT;

      local = local_row_json (self, table, id, &local_error);
      if (local == NULL)
        {
          if (!g_error_matches (local_error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_NOT_FOUND))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return BUURTEN_REMOTE_FAILED;
            }
          return BUURTEN_REMOTE_KEPT;
        }
      local_object = json_node_get_object (local);

      g_hash_table_iter_init (&iter, pending);
      while (g_hash_table_iter_next (&iter, (gpointer *) &field, NULL))
        {
          JsonNode *mine = json_object_get_member (local_object, field);

          if (mine != NULL)
            json_object_set_member (object, field, json_node_copy (mine));
          else
            json_object_remove_member (object, field);
        }
      /* The version stays the one our waiting change was based on, so
       * that a later edit of ours is still checked against what others
       * changed meanwhile, never silently over it. */
      if (json_object_has_member (local_object, "version"))
        json_object_set_member (object, "version",
                                json_node_copy (json_object_get_member (local_object, "version")));
      result = BUURTEN_REMOTE_MERGED;
    }

  /* Nothing of the row waits here: the caller's entity is the row. */
  if (pending == NULL && prepared != NULL)
    prepared_entity = prepared;
  else
    {
      entity = buurten_entity_from_json (info, node, error);
      if (entity == NULL)
        return BUURTEN_REMOTE_FAILED;
      if (!buurten_entity_validate (info, entity, error))
        {
          buurten_entity_free (info, entity);
          return BUURTEN_REMOTE_FAILED;
        }
      prepared_entity = entity;
    }

  if (!write_begin (self, FALSE, error))
    {
      if (entity != NULL)
        buurten_entity_free (info, entity);
      return BUURTEN_REMOTE_FAILED;
    }
  ok = put_locked (self, table, prepared_entity, NULL, NULL, NULL, TRUE, &wrote, error);
  if (entity != NULL)
    buurten_entity_free (info, entity);
  if (!write_end (self, FALSE, ok, wrote, ok ? error : NULL))
    return BUURTEN_REMOTE_FAILED;
  return result;
}

BuurtenRemoteResult
buurten_store_apply_remote_delete (BuurtenStore            *self,
                                   const BuurtenEntityInfo *info,
                                   const char              *id,
                                   GError                 **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(GHashTable) pending = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean ok, wrote = FALSE;

  g_return_val_if_fail (BUURTEN_IS_STORE (self), BUURTEN_REMOTE_FAILED);
  g_return_val_if_fail (info != NULL && info_key_field (info) != NULL, BUURTEN_REMOTE_FAILED);
  g_return_val_if_fail (id != NULL, BUURTEN_REMOTE_FAILED);
  g_return_val_if_fail (error == NULL || *error == NULL, BUURTEN_REMOTE_FAILED);

  locker = g_rec_mutex_locker_new (&CONN (self)->mutex);
  pending = pending_fields (self, id, &local_error);
  if (pending == NULL && !g_error_matches (local_error, BUURTEN_STORE_ERROR,
                                           BUURTEN_STORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return BUURTEN_REMOTE_FAILED;
    }
  g_clear_error (&local_error);
  /* Someone's work on it still waits: the push says what the server makes
   * of it (refused, shown to the user), and a refetch removes the row. */
  if (pending != NULL)
    return BUURTEN_REMOTE_KEPT;

  if (!write_begin (self, FALSE, error))
    return BUURTEN_REMOTE_FAILED;
  ok = delete_locked (self, entity_table (self, info), id, NULL, NULL, NULL, &wrote,
                      &local_error);
  if (!ok && g_error_matches (local_error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_NOT_FOUND))
    {
      /* Never had it: nothing to do. */
      write_end (self, FALSE, TRUE, wrote, NULL);
      return BUURTEN_REMOTE_APPLIED;
    }
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&local_error));
  if (!write_end (self, FALSE, ok, wrote, ok ? error : NULL))
    return BUURTEN_REMOTE_FAILED;
  return BUURTEN_REMOTE_APPLIED;
}

/* Fixed statements, one parameter each: the scope's id. Children go
 * before their parents (commitments have no cascade). */
static const char * const drop_wijk_sql[] = {
  "DELETE FROM payment WHERE commitment_id IN (SELECT id FROM commitment WHERE wijk = ?1)",
  "DELETE FROM signature WHERE commitment_id IN (SELECT id FROM commitment WHERE wijk = ?1)",
  "DELETE FROM commitment WHERE wijk = ?1",
  "DELETE FROM note WHERE subject_id IN (SELECT id FROM request WHERE wijk = ?1"
  " UNION ALL SELECT id FROM initiative WHERE wijk = ?1"
  " UNION ALL SELECT id FROM escalation WHERE wijk = ?1"
  " UNION ALL SELECT id FROM meeting WHERE wijk = ?1)",
  "DELETE FROM search WHERE wijk = ?1",
  "DELETE FROM request WHERE wijk = ?1",
  "DELETE FROM initiative WHERE wijk = ?1",
  "DELETE FROM escalation WHERE wijk = ?1",
  "DELETE FROM meeting WHERE wijk = ?1",
  "DELETE FROM carry_over WHERE wijk = ?1",
  "DELETE FROM theme WHERE wijk = ?1",
  NULL
};

static const char * const drop_cluster_sql[] = {
  "DELETE FROM meeting WHERE cluster = ?1 AND wijk IS NULL",
  NULL
};

static const char * const drop_city_sql[] = {
  "DELETE FROM transfer WHERE ?1 IS NOT NULL",
  "DELETE FROM meeting WHERE wijk IS NULL AND cluster IS NULL AND ?1 IS NOT NULL",
  NULL
};

gboolean
buurten_store_drop_scope (BuurtenStore  *self,
                          const char    *scope,
                          GError       **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  const char * const *script = drop_wijk_sql;
  const char *value = scope;
  gboolean ok = TRUE, wrote = FALSE;

  g_return_val_if_fail (BUURTEN_IS_STORE (self), FALSE);
  g_return_val_if_fail (scope != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_str_has_prefix (scope, "cluster:"))
    {
      script = drop_cluster_sql;
      value = scope + strlen ("cluster:");
    }
  else if (g_str_equal (scope, "city"))
    script = drop_city_sql;

  locker = g_rec_mutex_locker_new (&CONN (self)->mutex);
  if (!write_begin (self, TRUE, error))
    return FALSE;
  for (guint i = 0; ok && script[i] != NULL; i++)
    {
      g_autoptr(BuurtenCachedStmt) stmt = prepare (self, script[i], error);

      ok = stmt != NULL;
      if (ok)
        {
          sqlite3_bind_text (stmt, 1, value, -1, SQLITE_STATIC);
          ok = step_done (self, stmt, "drop", error);
          wrote = TRUE;
        }
    }
  return write_end (self, TRUE, ok, wrote, ok ? error : NULL);
}

gboolean
buurten_store_add_attention (BuurtenStore           *self,
                             const BuurtenAttention *item,
                             GError                **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  gboolean ok;

  g_return_val_if_fail (BUURTEN_IS_STORE (self), FALSE);
  g_return_val_if_fail (item != NULL && item->kind != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  locker = g_rec_mutex_locker_new (&CONN (self)->mutex);
  if (!write_begin (self, FALSE, error))
    return FALSE;
  {
    /* The same conflict comes with the push result and again with the
     * pull: recorded once. */
    g_autoptr(BuurtenCachedStmt) stmt =
      prepare (self,
               "INSERT INTO attention (kind, mutation, args_json, object_type, object_id, field,"
               " code, message, theirs_json, yours_json, conflict_id, created_at,"
               " refusal_args_json)"
               " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
               " ON CONFLICT (conflict_id) DO NOTHING", error);

    ok = stmt != NULL;
    if (ok)
      {
        sqlite3_bind_text (stmt, 1, item->kind, -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, 2, item->mutation, -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, 3, item->args_json, -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, 4, item->object_type, -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, 5, item->object_id, -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, 6, item->field, -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, 7, item->code, -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, 8, item->message, -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, 9, item->theirs_json, -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, 10, item->yours_json, -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, 11, item->conflict_id, -1, SQLITE_STATIC);
        sqlite3_bind_int64 (stmt, 12, item->created_at != 0 ? item->created_at : now_seconds ());
        sqlite3_bind_text (stmt, 13, item->refusal_args_json, -1, SQLITE_STATIC);
        ok = step_done (self, stmt, "attention", error);
      }
  }
  return write_end (self, FALSE, ok, FALSE, ok ? error : NULL);
}

GPtrArray *
buurten_store_list_attention (BuurtenStore  *self,
                              GError       **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(BuurtenCachedStmt) stmt = NULL;
  g_autoptr(GPtrArray) items = NULL;
  int rc;

  g_return_val_if_fail (BUURTEN_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = g_rec_mutex_locker_new (&CONN (self)->mutex);
  stmt = prepare (self,
                  "SELECT id, kind, mutation, args_json, object_type, object_id, field, code,"
                  " message, theirs_json, yours_json, conflict_id, created_at, refusal_args_json"
                  " FROM attention"
                  " WHERE resolved_at IS NULL ORDER BY id", error);
  if (stmt == NULL)
    return NULL;

  items = g_ptr_array_new_with_free_func ((GDestroyNotify) buurten_attention_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BuurtenAttention *item = g_new0 (BuurtenAttention, 1);

#define COL(n) g_strdup ((const char *) sqlite3_column_text (stmt, n))
      item->id = sqlite3_column_int64 (stmt, 0);
      item->kind = COL (1);
      item->mutation = COL (2);
      item->args_json = COL (3);
      item->object_type = COL (4);
      item->object_id = COL (5);
      item->field = COL (6);
      item->code = COL (7);
      item->message = COL (8);
      item->theirs_json = COL (9);
      item->yours_json = COL (10);
      item->conflict_id = COL (11);
      item->refusal_args_json = COL (13);
#undef COL
      item->created_at = sqlite3_column_int64 (stmt, 12);
      g_ptr_array_add (items, item);
    }
  if (rc != SQLITE_DONE)
    {
      set_db_error (self, error, rc, "attention");
      return NULL;
    }
  return g_steal_pointer (&items);
}

gint64
buurten_store_attention_count (BuurtenStore  *self,
                               GError       **error)
{
  g_return_val_if_fail (BUURTEN_IS_STORE (self), -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  {
    gint64 rows = count_rows (self, "SELECT count(*) FROM attention WHERE resolved_at IS NULL",
                              "attention", error);
    g_autoptr(GPtrArray) overdue = NULL;
    GDate today;

    if (rows < 0)
      return rows;
    /* Late decisions need the user too (issue 14, point 3). */
    buurten_store_get_attention_today (self, &today);
    overdue = buurten_store_list_overdue_initiatives (self, &today, error);
    if (overdue == NULL)
      return -1;
    return rows + overdue->len;
  }
}

gboolean
buurten_store_resolve_attention (BuurtenStore  *self,
                                 gint64         id,
                                 GError       **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  gboolean ok;

  g_return_val_if_fail (BUURTEN_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  locker = g_rec_mutex_locker_new (&CONN (self)->mutex);
  if (!write_begin (self, FALSE, error))
    return FALSE;
  {
    g_autoptr(BuurtenCachedStmt) stmt =
      prepare (self, "UPDATE attention SET resolved_at = ?2 WHERE id = ?1"
               " AND resolved_at IS NULL", error);

    ok = stmt != NULL;
    if (ok)
      {
        sqlite3_bind_int64 (stmt, 1, id);
        sqlite3_bind_int64 (stmt, 2, now_seconds ());
        ok = step_done (self, stmt, "attention", error);
      }
    if (ok && sqlite3_changes (CONN (self)->db) == 0)
      {
        g_set_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_NOT_FOUND,
                     "attention %" G_GINT64_FORMAT ": not open", id);
        ok = FALSE;
      }
  }
  return write_end (self, FALSE, ok, FALSE, ok ? error : NULL);
}

/* ---- decisions past their term -------------------------------------- */

#define TODAY_KEY "buurten-attention-today"

void
buurten_store_set_attention_today (BuurtenStore *self,
                                   const GDate  *today)
{
  g_return_if_fail (BUURTEN_IS_STORE (self));
  g_return_if_fail (today == NULL || g_date_valid (today));

  g_object_set_data_full (G_OBJECT (self), TODAY_KEY,
                          today != NULL ? g_memdup2 (today, sizeof *today) : NULL, g_free);
}

void
buurten_store_get_attention_today (BuurtenStore *self,
                                   GDate        *out)
{
  const GDate *today;

  g_return_if_fail (BUURTEN_IS_STORE (self));
  g_return_if_fail (out != NULL);

  today = g_object_get_data (G_OBJECT (self), TODAY_KEY);
  if (today != NULL)
    *out = *today;
  else
    {
      g_date_clear (out, 1);
      g_date_set_time_t (out, time (NULL));
    }
}
