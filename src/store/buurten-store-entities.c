/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-store"

#include "config.h"

#include "buurten-store-private.h"

/* -- entities -- */

/* The search index follows the rows of request and initiative. */
static gboolean
search_insert (BuurtenStore  *self,
               EntityTable   *table,
               gint64         fts_row,
               gconstpointer  entity,
               GError       **error)
{
  g_autoptr(BuurtenCachedStmt) stmt =
    prepare (self, "INSERT INTO search (rowid, type, id, wijk, title, body) "
             "VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, fts_row * 2 + table->search_parity);
  sqlite3_bind_text (stmt, 2, table->info->name, -1, SQLITE_STATIC);
  bind_field (stmt, 3, table->key, entity);
  bind_field (stmt, 4, table->search_wijk, entity);
  bind_field (stmt, 5, table->search_title, entity);
  bind_field (stmt, 6, table->search_body, entity);
  return step_done (self, stmt, "search", error);
}

static gboolean
search_delete (BuurtenStore  *self,
               EntityTable   *table,
               gint64         fts_row,
               GError       **error)
{
  g_autoptr(BuurtenCachedStmt) stmt = prepare (self, "DELETE FROM search WHERE rowid = ?1",
                                               error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, fts_row * 2 + table->search_parity);
  return step_done (self, stmt, "search", error);
}

/* commitment.paid_cents follows the payments on it. A payment's
 * commitment exists (a foreign key); one without a commitment counts
 * nowhere. */
gboolean
add_paid (BuurtenStore  *self,
          const char    *commitment_id,
          gint64         delta,
          GError       **error)
{
  g_autoptr(BuurtenCachedStmt) stmt = NULL;

  if (commitment_id == NULL || delta == 0)
    return TRUE;
  stmt = prepare (self, "UPDATE commitment SET paid_cents = paid_cents + ?2 WHERE id = ?1",
                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, commitment_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, delta);
  return step_done (self, stmt, "paid_cents", error);
}

/* Writes the row (or nothing when it is stored as it is), its search
 * index row, the paid total of a payment's commitment, the audit line and
 * the outbox row. *wrote tells write_end()
 * whether a failure came after something had been written. */
gboolean
put_locked (BuurtenStore             *self,
            EntityTable              *table,
            gconstpointer             entity,
            const char               *actor,
            const char               *mutation,
            JsonNode                 *args,
            gboolean                  remote,
            gboolean                 *wrote,
            GError                  **error)
{
  const BuurtenEntityInfo *info = table->info;
  const char *id = G_STRUCT_MEMBER (const char *, entity, table->key->offset);
  g_autofree char *summary = NULL;
  g_autofree char *old_parent = NULL;
  gboolean exists, changed = TRUE, search_changed = TRUE, paid_changed = TRUE;
  gint64 fts_row = 0, old_amount = 0;

  /* The stored version, read under the write lock. For a new id this is
   * one index lookup that finds nothing. */
  {
    g_autoptr(BuurtenCachedStmt) select = entity_statement (self, table, ENTITY_SELECT, error);
    int rc;

    if (select == NULL)
      return FALSE;
    sqlite3_bind_text (select, 1, id, -1, SQLITE_STATIC);
    rc = sqlite3_step (select);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
      {
        set_db_error (self, error, rc, info->name);
        return FALSE;
      }
    exists = rc == SQLITE_ROW;
    if (exists)
      {
        /* Strings borrowed from the statement: compared, never kept. */
        g_autofree gpointer before = g_malloc0 (info->size);

        if (!read_entity (info, select, before, TRUE, error))
          return FALSE;
        summary = changed_fields (info, before, entity, &changed);
        if (table->search_parity >= 0)
          {
            fts_row = sqlite3_column_int64 (select, (int) info->n_fields);
            search_changed = !field_equal (table->search_wijk, before, entity) ||
                             !field_equal (table->search_title, before, entity) ||
                             !field_equal (table->search_body, before, entity);
          }
        if (table->paid_parent != NULL)
          {
            old_parent = g_strdup (G_STRUCT_MEMBER (const char *, before,
                                                    table->paid_parent->offset));
            old_amount = G_STRUCT_MEMBER (gint64, before, table->paid_amount->offset);
            paid_changed = !field_equal (table->paid_parent, before, entity) ||
                           !field_equal (table->paid_amount, before, entity);
          }
      }
  }

  /* The entity's own statement comes first: when SQLite refuses it (a
   * foreign key) nothing has been written. */
  if (!exists || changed)
    {
      g_autoptr(BuurtenCachedStmt) stmt =
        entity_statement (self, table, exists ? ENTITY_UPDATE : ENTITY_INSERT, error);

      if (stmt == NULL)
        return FALSE;
      bind_entity (stmt, info, entity);
      if (!step_done (self, stmt, info->name, error))
        return FALSE;
      *wrote = TRUE;

      if (!exists)
        /* fts_row is the INTEGER PRIMARY KEY, so the rowid just given. */
        fts_row = sqlite3_last_insert_rowid (CONN (self)->db);
      if (table->search_parity >= 0 && search_changed &&
          ((exists && !search_delete (self, table, fts_row, error)) ||
           !search_insert (self, table, fts_row, entity, error)))
        return FALSE;
      if (table->paid_parent != NULL && paid_changed &&
          (!add_paid (self, old_parent, -old_amount, error) ||
           !add_paid (self, G_STRUCT_MEMBER (const char *, entity, table->paid_parent->offset),
                      G_STRUCT_MEMBER (gint64, entity, table->paid_amount->offset), error)))
        return FALSE;
    }

  /* What the server sends is its history, not ours: the local trail notes
   * only that a row we had was changed by a sync, and which fields (a first
   * sync of a city writes no audit rows at all). */
  if (remote)
    {
      if (!exists || !changed)
        return TRUE;
      if (!insert_audit (self, NULL, "sync", info->name, id, summary, error))
        return FALSE;
      *wrote = TRUE;
      return TRUE;
    }

  if (!insert_audit (self, actor, mutation != NULL ? mutation : table->put_action, info->name,
                     id, summary != NULL ? summary : "created", error))
    return FALSE;
  *wrote = TRUE;

  if (mutation != NULL && !insert_outbox (self, mutation, args, info, entity, error))
    return FALSE;

  return TRUE;
}

gboolean
buurten_store_put (BuurtenStore             *self,
                   const BuurtenEntityInfo  *info,
                   gconstpointer             entity,
                   const char               *actor,
                   const char               *mutation,
                   JsonNode                 *args,
                   GError                  **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  gboolean ok, wrote = FALSE;

  g_return_val_if_fail (BUURTEN_IS_STORE (self), FALSE);
  g_return_val_if_fail (info != NULL, FALSE);
  g_return_val_if_fail (info_key_field (info) != NULL, FALSE);
  g_return_val_if_fail (entity != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Before any lock: a bad entity touches nothing. */
  if (!buurten_entity_validate (info, entity, error))
    return FALSE;

  locker = g_rec_mutex_locker_new (&CONN (self)->mutex);
  if (!write_begin (self, FALSE, error))
    return FALSE;
  ok = put_locked (self, entity_table (self, info), entity, actor, mutation, args, FALSE,
                   &wrote, error);
  return write_end (self, FALSE, ok, wrote, ok ? error : NULL);
}

gboolean
delete_locked (BuurtenStore  *self,
               EntityTable   *table,
               const char    *id,
               const char    *actor,
               const char    *mutation,
               JsonNode      *args,
               gboolean      *wrote,
               GError       **error)
{
  const BuurtenEntityInfo *info = table->info;
  g_autofree char *old_parent = NULL;
  gint64 fts_row = 0, old_amount = 0;

  /* The row's place in the search index, or the payment's commitment and
   * amount, before the row goes. */
  if (table->search_parity >= 0 || table->paid_parent != NULL)
    {
      g_autoptr(BuurtenCachedStmt) select =
        entity_statement (self, table, ENTITY_SELECT, error);
      int rc;

      if (select == NULL)
        return FALSE;
      sqlite3_bind_text (select, 1, id, -1, SQLITE_STATIC);
      rc = sqlite3_step (select);
      if (rc == SQLITE_ROW && table->search_parity >= 0)
        fts_row = sqlite3_column_int64 (select, (int) info->n_fields);
      if (rc == SQLITE_ROW && table->paid_parent != NULL)
        {
          int parent_col = (int) (table->paid_parent - info->fields);
          int amount_col = (int) (table->paid_amount - info->fields);

          old_parent = g_strdup ((const char *) sqlite3_column_text (select, parent_col));
          old_amount = sqlite3_column_int64 (select, amount_col);
        }
      else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        {
          set_db_error (self, error, rc, info->name);
          return FALSE;
        }
    }

  {
    g_autoptr(BuurtenCachedStmt) stmt = entity_statement (self, table, ENTITY_DELETE, error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
    if (!step_done (self, stmt, info->name, error))
      return FALSE;
  }
  if (sqlite3_changes (CONN (self)->db) == 0)
    {
      g_set_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_NOT_FOUND,
                   "%s %s: not found", info->name, id);
      return FALSE;
    }
  *wrote = TRUE;

  if (table->search_parity >= 0 && !search_delete (self, table, fts_row, error))
    return FALSE;
  if (table->paid_parent != NULL && !add_paid (self, old_parent, -old_amount, error))
    return FALSE;
  if (!insert_audit (self, actor, mutation != NULL ? mutation : table->delete_action,
                     info->name, id, "deleted", error))
    return FALSE;

  if (mutation != NULL)
    {
      g_autoptr(JsonNode) id_args = NULL;

      if (args == NULL)
        {
          g_autoptr(JsonBuilder) builder = json_builder_new ();

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "id");
          json_builder_add_string_value (builder, id);
          json_builder_end_object (builder);
          id_args = json_builder_get_root (builder);
        }
      if (!insert_outbox (self, mutation, args != NULL ? args : id_args, NULL, NULL, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
buurten_store_delete (BuurtenStore             *self,
                      const BuurtenEntityInfo  *info,
                      const char               *id,
                      const char               *actor,
                      const char               *mutation,
                      JsonNode                 *args,
                      GError                  **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  gboolean ok, wrote = FALSE;

  g_return_val_if_fail (BUURTEN_IS_STORE (self), FALSE);
  g_return_val_if_fail (info != NULL, FALSE);
  g_return_val_if_fail (info_key_field (info) != NULL, FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  locker = g_rec_mutex_locker_new (&CONN (self)->mutex);
  if (!write_begin (self, FALSE, error))
    return FALSE;
  ok = delete_locked (self, entity_table (self, info), id, actor, mutation, args, &wrote,
                      error);
  return write_end (self, FALSE, ok, wrote, ok ? error : NULL);
}

gpointer
buurten_store_get (BuurtenStore             *self,
                   const BuurtenEntityInfo  *info,
                   const char               *id,
                   GError                  **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  gpointer entity = NULL;

  g_return_val_if_fail (BUURTEN_IS_STORE (self), NULL);
  g_return_val_if_fail (info != NULL, NULL);
  g_return_val_if_fail (info_key_field (info) != NULL, NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = g_rec_mutex_locker_new (&CONN (self)->mutex);
  if (!fetch_entity (self, entity_table (self, info), id, &entity, error))
    return NULL;
  if (entity == NULL)
    g_set_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_NOT_FOUND,
                 "%s %s: not found", info->name, id);
  return entity;
}

/* Binds a filter value given as text, converted by the field's kind so
 * that "2024" finds the year 2024 and "true" a set flag. */
static gboolean
bind_filter_value (sqlite3_stmt             *stmt,
                   const BuurtenEntityInfo  *info,
                   const BuurtenField       *field,
                   const char               *value,
                   GError                  **error)
{
  gint64 number;

  switch (field->kind)
    {
    case BUURTEN_FIELD_INT:
    case BUURTEN_FIELD_MONEY:
    case BUURTEN_FIELD_TIMESTAMP:
      if (!g_ascii_string_to_signed (value, 10, G_MININT64, G_MAXINT64, &number, NULL))
        goto invalid;
      sqlite3_bind_int64 (stmt, 1, number);
      return TRUE;

    case BUURTEN_FIELD_BOOL:
      if (g_str_equal (value, "true") || g_str_equal (value, "1"))
        sqlite3_bind_int (stmt, 1, 1);
      else if (g_str_equal (value, "false") || g_str_equal (value, "0"))
        sqlite3_bind_int (stmt, 1, 0);
      else
        goto invalid;
      return TRUE;

    case BUURTEN_FIELD_ENUM:
      if (buurten_enum_from_id (field->enum_ids, value) < 0)
        goto invalid;
      sqlite3_bind_text (stmt, 1, value, -1, SQLITE_STATIC);
      return TRUE;

    case BUURTEN_FIELD_STRING:
    case BUURTEN_FIELD_UUID:
    case BUURTEN_FIELD_DATE:
      sqlite3_bind_text (stmt, 1, value, -1, SQLITE_STATIC);
      return TRUE;

    default:
      g_assert_not_reached ();
    }

invalid:
  g_set_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID,
               "%s.%s: “%s” is not a valid value", info->name, field->name, value);
  return FALSE;
}

GPtrArray *
buurten_store_list (BuurtenStore             *self,
                    const BuurtenEntityInfo  *info,
                    const char               *field_name,
                    const char               *value,
                    GError                  **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(BuurtenCachedStmt) stmt = NULL;
  g_autoptr(GPtrArray) result = NULL;
  g_autofree char *where = NULL;
  g_autofree char *sql = NULL;
  const BuurtenField *field = NULL;
  int rc;

  g_return_val_if_fail (BUURTEN_IS_STORE (self), NULL);
  g_return_val_if_fail (info != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (field_name != NULL)
    {
      /* Only names from the table reach the SQL text. */
      field = info_field (info, field_name);
      if (field == NULL)
        {
          g_set_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID,
                       "%s has no field “%s”", info->name, field_name);
          return NULL;
        }
      if (value != NULL)
        where = g_strdup_printf ("WHERE \"%s\" = ?1 ORDER BY rowid", field->name);
      else
        where = g_strdup_printf ("WHERE \"%s\" IS NULL ORDER BY rowid", field->name);
    }
  else
    where = g_strdup ("ORDER BY rowid");
  sql = sql_select (info, where);

  locker = g_rec_mutex_locker_new (&CONN (self)->mutex);
  stmt = prepare (self, sql, error);
  if (stmt == NULL)
    return NULL;
  if (field != NULL && value != NULL &&
      !bind_filter_value (stmt, info, field, value, error))
    return NULL;

  result = g_ptr_array_new ();
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gpointer entity = buurten_entity_new (info);

      if (!read_entity (info, stmt, entity, FALSE, error))
        {
          buurten_entity_free (info, entity);
          goto fail;
        }
      g_ptr_array_add (result, entity);
    }
  if (rc != SQLITE_DONE)
    {
      set_db_error (self, error, rc, info->name);
      goto fail;
    }
  return g_steal_pointer (&result);

fail:
  for (guint i = 0; i < result->len; i++)
    buurten_entity_free (info, g_ptr_array_index (result, i));
  return NULL;
}

/* One literal statement per table: identifiers cannot be bound, and no SQL
 * is put together at run time. test-store's round-trip test counts
 * every entity of buurten_entity_infos, so a new entity without its line
 * here fails there. */
static const struct
{
  const BuurtenEntityInfo *info;
  const char              *sql;
} count_statements[] = {
  { &buurten_theme_info, "SELECT count(*) FROM \"theme\"" },
  { &buurten_request_info, "SELECT count(*) FROM \"request\"" },
  { &buurten_initiative_info, "SELECT count(*) FROM \"initiative\"" },
  { &buurten_budget_line_info, "SELECT count(*) FROM \"budget_line\"" },
  { &buurten_activity_info, "SELECT count(*) FROM \"activity\"" },
  { &buurten_agreement_info, "SELECT count(*) FROM \"agreement\"" },
  { &buurten_decision_info, "SELECT count(*) FROM \"decision\"" },
  { &buurten_commitment_info, "SELECT count(*) FROM \"commitment\"" },
  { &buurten_signature_info, "SELECT count(*) FROM \"signature\"" },
  { &buurten_payment_info, "SELECT count(*) FROM \"payment\"" },
  { &buurten_verantwoording_info, "SELECT count(*) FROM \"verantwoording\"" },
  { &buurten_transfer_info, "SELECT count(*) FROM \"transfer\"" },
  { &buurten_carry_over_info, "SELECT count(*) FROM \"carry_over\"" },
  { &buurten_escalation_info, "SELECT count(*) FROM \"escalation\"" },
  { &buurten_meeting_info, "SELECT count(*) FROM \"meeting\"" },
  { &buurten_agenda_item_info, "SELECT count(*) FROM \"agenda_item\"" },
  { &buurten_action_info, "SELECT count(*) FROM \"action\"" },
  { &buurten_note_info, "SELECT count(*) FROM \"note\"" },
};

gint64
buurten_store_count (BuurtenStore             *self,
                     const BuurtenEntityInfo  *info,
                     GError                  **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(BuurtenCachedStmt) stmt = NULL;
  const char *sql = NULL;
  int rc;

  g_return_val_if_fail (BUURTEN_IS_STORE (self), -1);
  g_return_val_if_fail (info != NULL, -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  for (gsize i = 0; i < G_N_ELEMENTS (count_statements) && sql == NULL; i++)
    if (count_statements[i].info == info)
      sql = count_statements[i].sql;
  g_return_val_if_fail (sql != NULL, -1);

  locker = g_rec_mutex_locker_new (&CONN (self)->mutex);
  stmt = prepare (self, sql, error);
  if (stmt == NULL)
    return -1;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      set_db_error (self, error, rc, info->name);
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}
