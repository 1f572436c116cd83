/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-store"

#include "config.h"

#include "buurten-store-private.h"

/* ---- entity rows ---------------------------------------------------- */

const BuurtenField *
info_key_field (const BuurtenEntityInfo *info)
{
  for (guint i = 0; i < info->n_fields; i++)
    if (info->fields[i].flags & BUURTEN_FIELD_KEY)
      return &info->fields[i];
  for (guint i = 0; i < info->n_fields; i++)
    if (g_str_equal (info->fields[i].name, "id"))
      return &info->fields[i];
  return NULL;
}

const BuurtenField *
info_field (const BuurtenEntityInfo *info,
            const char              *name)
{
  for (guint i = 0; i < info->n_fields; i++)
    if (g_str_equal (info->fields[i].name, name))
      return &info->fields[i];
  return NULL;
}

/* Identifiers come only from the static entity tables; they are quoted
 * anyway so that a field called "action" or "user" stays a name. */
void
append_columns (GString                 *sql,
                const BuurtenEntityInfo *info,
                const char              *prefix)
{
  for (guint i = 0; i < info->n_fields; i++)
    g_string_append_printf (sql, "%s%s\"%s\"", i > 0 ? ", " : "",
                            prefix, info->fields[i].name);
}

char *
sql_select (const BuurtenEntityInfo *info,
            const char              *where)
{
  GString *sql = g_string_new ("SELECT ");

  append_columns (sql, info, "");
  g_string_append_printf (sql, " FROM \"%s\"", info->name);
  if (where != NULL)
    g_string_append_printf (sql, " %s", where);
  return g_string_free (sql, FALSE);
}


/* The types in the search index, with their fts_row column. */
static const struct
{
  const char *type;
  int         parity;
} search_types[] = {
  { "request", 0 },
  { "initiative", 1 },
};

void
entity_table_free (EntityTable *table)
{
  g_free (table->put_action);
  g_free (table->delete_action);
  g_free (table);
}

/* Call with the mutex held. */
EntityTable *
entity_table (BuurtenStore            *self,
              const BuurtenEntityInfo *info)
{
  EntityTable *table = g_hash_table_lookup (CONN (self)->tables, info);

  if (table != NULL)
    return table;

  table = g_new0 (EntityTable, 1);
  table->info = info;
  table->key = info_key_field (info);
  table->put_action = g_strconcat (info->name, ".put", NULL);
  table->delete_action = g_strconcat (info->name, ".delete", NULL);
  table->search_parity = -1;
  for (guint i = 0; i < G_N_ELEMENTS (search_types); i++)
    if (g_str_equal (info->name, search_types[i].type))
      {
        table->search_parity = search_types[i].parity;
        table->search_wijk = info_field (info, "wijk");
        table->search_title = info_field (info, "title");
        table->search_body = info_field (info, "description");
        g_assert (table->search_wijk != NULL && table->search_title != NULL &&
                  table->search_body != NULL);
      }
  if (g_str_equal (info->name, "payment"))
    {
      table->paid_parent = info_field (info, "commitment_id");
      table->paid_amount = info_field (info, "amount_cents");
      g_assert (table->paid_parent != NULL && table->paid_amount != NULL);
    }
  g_hash_table_insert (CONN (self)->tables, (gpointer) info, table);
  return table;
}

static char *
entity_sql (const EntityTable *table,
            EntityStatement    which)
{
  const BuurtenEntityInfo *info = table->info;
  GString *sql = g_string_new (NULL);
  gboolean first = TRUE;

  switch (which)
    {
    case ENTITY_SELECT:
      g_string_append (sql, "SELECT ");
      append_columns (sql, info, "");
      if (table->search_parity >= 0)
        g_string_append (sql, ", fts_row");
      g_string_append_printf (sql, " FROM \"%s\" WHERE \"%s\" = ?1", info->name,
                              table->key->name);
      break;

    case ENTITY_INSERT:
      g_string_append_printf (sql, "INSERT INTO \"%s\" (", info->name);
      append_columns (sql, info, "");
      g_string_append (sql, ") VALUES (");
      for (guint i = 0; i < info->n_fields; i++)
        g_string_append_printf (sql, "%s?%u", i > 0 ? ", " : "", i + 1);
      g_string_append (sql, ")");
      break;

    case ENTITY_UPDATE:
      /* An UPDATE of the row, never INSERT OR REPLACE: REPLACE deletes the
       * old row first, which would fire ON DELETE CASCADE on its children. */
      g_string_append_printf (sql, "UPDATE \"%s\" SET ", info->name);
      for (guint i = 0; i < info->n_fields; i++)
        {
          if (&info->fields[i] == table->key)
            continue;
          g_string_append_printf (sql, "%s\"%s\" = ?%u", first ? "" : ", ",
                                  info->fields[i].name, i + 1);
          first = FALSE;
        }
      g_string_append_printf (sql, " WHERE \"%s\" = ?%u", table->key->name,
                              (guint) (table->key - info->fields) + 1);
      break;

    case ENTITY_DELETE:
      g_string_append_printf (sql, "DELETE FROM \"%s\" WHERE \"%s\" = ?1", info->name,
                              table->key->name);
      break;

    case ENTITY_N_STATEMENTS:
    default:
      g_assert_not_reached ();
    }
  return g_string_free (sql, FALSE);
}

/* Prepared once per connection; the caller resets it (BuurtenCachedStmt). */
BuurtenCachedStmt *
entity_statement (BuurtenStore     *self,
                  EntityTable      *table,
                  EntityStatement   which,
                  GError          **error)
{
  if (table->statements[which] == NULL)
    {
      g_autofree char *sql = entity_sql (table, which);

      table->statements[which] = prepare (self, sql, error);
    }
  return table->statements[which];
}

static void
format_date (const GDate *date,
             char         buf[16])
{
  g_snprintf (buf, 16, "%04u-%02u-%02u",
              (guint) g_date_get_year (date),
              (guint) g_date_get_month (date),
              (guint) g_date_get_day (date));
}

static gboolean
parse_date (const char *text,
            GDate      *out)
{
  guint y, m, d;

  g_date_clear (out, 1);
  if (text == NULL || strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
      return FALSE;
  y = (guint) g_ascii_strtoull (text, NULL, 10);
  m = (guint) g_ascii_strtoull (text + 5, NULL, 10);
  d = (guint) g_ascii_strtoull (text + 8, NULL, 10);
  if (!g_date_valid_dmy (d, m, y))
    return FALSE;
  g_date_set_dmy (out, d, m, y);
  return TRUE;
}

static const char *
enum_id (const BuurtenField *field,
         int                 value)
{
  if (field->enum_ids == NULL || value < 0)
    return NULL;
  for (int i = 0; field->enum_ids[i] != NULL; i++)
    if (i == value)
      return field->enum_ids[i];
  return NULL;
}

void
bind_field (sqlite3_stmt       *stmt,
            int                 index,
            const BuurtenField *field,
            gconstpointer       entity)
{
  switch (field->kind)
    {
    case BUURTEN_FIELD_STRING:
    case BUURTEN_FIELD_UUID:
      {
        const char *s = G_STRUCT_MEMBER (const char *, entity, field->offset);

        if (s != NULL)
          sqlite3_bind_text (stmt, index, s, -1, SQLITE_STATIC);
        else
          sqlite3_bind_null (stmt, index);
      }
      break;

    case BUURTEN_FIELD_INT:
    case BUURTEN_FIELD_MONEY:
    case BUURTEN_FIELD_TIMESTAMP:
      sqlite3_bind_int64 (stmt, index, G_STRUCT_MEMBER (gint64, entity, field->offset));
      break;

    case BUURTEN_FIELD_BOOL:
      sqlite3_bind_int (stmt, index, G_STRUCT_MEMBER (gboolean, entity, field->offset) ? 1 : 0);
      break;

    case BUURTEN_FIELD_DATE:
      {
        const GDate *date = &G_STRUCT_MEMBER (GDate, entity, field->offset);
        char buf[16];

        if (g_date_valid (date))
          {
            format_date (date, buf);
            sqlite3_bind_text (stmt, index, buf, -1, SQLITE_TRANSIENT);
          }
        else
          sqlite3_bind_null (stmt, index);
      }
      break;

    case BUURTEN_FIELD_ENUM:
      {
        const char *id = enum_id (field, G_STRUCT_MEMBER (int, entity, field->offset));

        if (id != NULL)
          sqlite3_bind_text (stmt, index, id, -1, SQLITE_STATIC);
        else
          sqlite3_bind_null (stmt, index);
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

void
bind_entity (sqlite3_stmt            *stmt,
             const BuurtenEntityInfo *info,
             gconstpointer            entity)
{
  for (guint i = 0; i < info->n_fields; i++)
    bind_field (stmt, i + 1, &info->fields[i], entity);
}

/* Fills entity from the columns of the current row, in field order. With
 * borrow, strings point into SQLite's memory (valid until the next step)
 * and nothing must be freed: the ledger reads thousands of rows that way
 * without copying them. */
gboolean
read_entity (const BuurtenEntityInfo  *info,
             sqlite3_stmt             *stmt,
             gpointer                  entity,
             gboolean                  borrow,
             GError                  **error)
{
  for (guint i = 0; i < info->n_fields; i++)
    {
      const BuurtenField *field = &info->fields[i];
      int col = (int) i;
      gboolean is_null = sqlite3_column_type (stmt, col) == SQLITE_NULL;

      switch (field->kind)
        {
        case BUURTEN_FIELD_STRING:
        case BUURTEN_FIELD_UUID:
          {
            char **member = &G_STRUCT_MEMBER (char *, entity, field->offset);
            const char *text = (const char *) sqlite3_column_text (stmt, col);

            if (borrow)
              *member = (char *) text;
            else
              {
                g_free (*member);
                *member = is_null ? NULL : g_strdup (text);
              }
          }
          break;

        case BUURTEN_FIELD_INT:
        case BUURTEN_FIELD_MONEY:
        case BUURTEN_FIELD_TIMESTAMP:
          G_STRUCT_MEMBER (gint64, entity, field->offset) = sqlite3_column_int64 (stmt, col);
          break;

        case BUURTEN_FIELD_BOOL:
          G_STRUCT_MEMBER (gboolean, entity, field->offset) =
            sqlite3_column_int64 (stmt, col) != 0;
          break;

        case BUURTEN_FIELD_DATE:
          {
            GDate *date = &G_STRUCT_MEMBER (GDate, entity, field->offset);

            if (is_null)
              g_date_clear (date, 1);
            else if (!parse_date ((const char *) sqlite3_column_text (stmt, col), date))
              {
                g_set_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_CORRUPT,
                             "%s.%s: not a date in the store", info->name, field->name);
                return FALSE;
              }
          }
          break;

        case BUURTEN_FIELD_ENUM:
          {
            const char *text = (const char *) sqlite3_column_text (stmt, col);
            int value = 0;

            if (!is_null)
              value = buurten_enum_from_id (field->enum_ids, text);
            if (value < 0)
              {
                g_set_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_CORRUPT,
                             "%s.%s: unknown value in the store", info->name, field->name);
                return FALSE;
              }
            G_STRUCT_MEMBER (int, entity, field->offset) = value;
          }
          break;

        default:
          g_assert_not_reached ();
        }
    }
  return TRUE;
}

gboolean
field_equal (const BuurtenField *field,
             gconstpointer       a,
             gconstpointer       b)
{
  switch (field->kind)
    {
    case BUURTEN_FIELD_STRING:
    case BUURTEN_FIELD_UUID:
      return g_strcmp0 (G_STRUCT_MEMBER (const char *, a, field->offset),
                        G_STRUCT_MEMBER (const char *, b, field->offset)) == 0;
    case BUURTEN_FIELD_INT:
    case BUURTEN_FIELD_MONEY:
    case BUURTEN_FIELD_TIMESTAMP:
      return G_STRUCT_MEMBER (gint64, a, field->offset) ==
             G_STRUCT_MEMBER (gint64, b, field->offset);
    case BUURTEN_FIELD_BOOL:
      return !G_STRUCT_MEMBER (gboolean, a, field->offset) ==
             !G_STRUCT_MEMBER (gboolean, b, field->offset);
    case BUURTEN_FIELD_ENUM:
      return G_STRUCT_MEMBER (int, a, field->offset) ==
             G_STRUCT_MEMBER (int, b, field->offset);
    case BUURTEN_FIELD_DATE:
      {
        const GDate *da = &G_STRUCT_MEMBER (GDate, a, field->offset);
        const GDate *db = &G_STRUCT_MEMBER (GDate, b, field->offset);

        if (!g_date_valid (da) || !g_date_valid (db))
          return g_date_valid (da) == g_date_valid (db);
        return g_date_compare (da, db) == 0;
      }
    default:
      g_assert_not_reached ();
    }
}

/* Reads one entity by key; *out is NULL when there is none. */
gboolean
fetch_entity (BuurtenStore             *self,
              EntityTable              *table,
              const char               *id,
              gpointer                 *out,
              GError                  **error)
{
  g_autoptr(BuurtenCachedStmt) stmt = entity_statement (self, table, ENTITY_SELECT, error);
  gpointer entity;
  int rc;

  *out = NULL;
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc != SQLITE_ROW)
    {
      set_db_error (self, error, rc, table->info->name);
      return FALSE;
    }

  entity = buurten_entity_new (table->info);
  if (!read_entity (table->info, stmt, entity, FALSE, error))
    {
      buurten_entity_free (table->info, entity);
      return FALSE;
    }
  *out = entity;
  return TRUE;
}

/* The names of the fields that differ: the audit trail says what changed,
 * never to what, so it holds no personal data. */
char *
changed_fields (const BuurtenEntityInfo *info,
                gconstpointer            before,
                gconstpointer            after,
                gboolean                *out_changed)
{
  GString *summary = g_string_new (NULL);

  for (guint i = 0; i < info->n_fields; i++)
    if (!field_equal (&info->fields[i], before, after))
      g_string_append_printf (summary, "%s%s", summary->len > 0 ? ", " : "changed: ",
                              info->fields[i].name);
  *out_changed = summary->len > 0;
  if (summary->len == 0)
    g_string_append (summary, "unchanged");
  return g_string_free (summary, FALSE);
}

gboolean
insert_audit (BuurtenStore  *self,
              const char    *actor,
              const char    *action,
              const char    *object_type,
              const char    *object_id,
              const char    *summary,
              GError       **error)
{
  g_autoptr(BuurtenCachedStmt) stmt =
    prepare (self,
             "INSERT INTO audit (at, actor, \"action\", object_type, object_id, summary) "
             "VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now_seconds ());
  sqlite3_bind_text (stmt, 2, actor, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, action, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, object_type, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, object_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, summary, -1, SQLITE_STATIC);
  return step_done (self, stmt, "audit", error);
}

gboolean
insert_outbox (BuurtenStore            *self,
               const char              *mutation,
               JsonNode                *args,
               const BuurtenEntityInfo *info,
               gconstpointer            entity,
               GError                 **error)
{
  g_autoptr(BuurtenCachedStmt) stmt =
    prepare (self, "INSERT INTO outbox (name, args_json, created_at, object_id) "
             "VALUES (?1, ?2, ?3, ?4)", error);
  g_autofree char *json = NULL;
  const char *object_id = NULL;

  if (stmt == NULL)
    return FALSE;

  if (args != NULL)
    json = buurten_json_to_string (args);
  else if (info != NULL)
    {
      /* Without explicit args the entity itself goes to the server,
       * personal fields included: the server needs them to create it. */
      g_autoptr(JsonNode) node = buurten_entity_to_json (info, entity, TRUE);

      json = buurten_json_to_string (node);
    }
  else
    json = g_strdup ("{}");

  /* The object a mutation is about is its "id" (design.md: every
   * mutation names its object so). */
  if (args != NULL && JSON_NODE_HOLDS_OBJECT (args))
    {
      JsonNode *id = json_object_get_member (json_node_get_object (args), "id");

      if (id != NULL && JSON_NODE_HOLDS_VALUE (id) &&
          json_node_get_value_type (id) == G_TYPE_STRING)
        object_id = json_node_get_string (id);
    }
  else if (info != NULL && entity != NULL)
    {
      const BuurtenField *key = info_key_field (info);

      if (key != NULL)
        object_id = G_STRUCT_MEMBER (const char *, entity, key->offset);
    }

  sqlite3_bind_text (stmt, 1, mutation, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, json, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, now_seconds ());
  sqlite3_bind_text (stmt, 4, object_id, -1, SQLITE_STATIC);
  return step_done (self, stmt, "outbox", error);
}
