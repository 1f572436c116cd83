/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-server"

#include "config.h"

#include "buurten-residents.h"

#include <stdio.h>
#include <string.h>

#include "buurten-mutations.h"
#include "buurten-visibility.h"

/* ---- core's personal fields ---------------------------------------------- */

/* The names of every personal field of every entity (core's tables), each
 * once. Static: core's tables are constant. */
static GPtrArray *
personal_field_names (void)
{
  static GPtrArray *names = NULL;
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      GPtrArray *list = g_ptr_array_new ();

      for (guint t = 0; buurten_entity_infos[t] != NULL; t++)
        {
          const BuurtenEntityInfo *info = buurten_entity_infos[t];

          for (guint i = 0; i < info->n_fields; i++)
            if ((info->fields[i].flags & BUURTEN_FIELD_PERSONAL) != 0 &&
                !g_ptr_array_find_with_equal_func (list, info->fields[i].name, g_str_equal,
                                                   NULL))
              g_ptr_array_add (list, (gpointer) info->fields[i].name);
        }
      names = list;
      g_once_init_leave (&done, 1);
    }

  return names;
}

static gboolean
info_has_personal (const BuurtenEntityInfo *info)
{
  for (guint i = 0; info != NULL && i < info->n_fields; i++)
    if ((info->fields[i].flags & BUURTEN_FIELD_PERSONAL) != 0)
      return TRUE;
  return FALSE;
}

/* The types and their type_rank, as two array literals for unnest(). */
static void
type_ranks (char **out_types,
            char **out_ranks)
{
  g_autoptr(GPtrArray) types = g_ptr_array_new ();
  GString *ranks = g_string_new ("{");

  for (guint t = 0; buurten_entity_infos[t] != NULL; t++)
    {
      g_ptr_array_add (types, (gpointer) buurten_entity_infos[t]->name);
      g_string_append_printf (ranks, "%s%d", t > 0 ? "," : "",
                              buurten_mutation_type_rank (buurten_entity_infos[t]));
    }
  g_string_append_c (ranks, '}');
  *out_types = buurten_db_text_array (types);
  *out_ranks = g_string_free (ranks, FALSE);
}

static gint64
tuples (PGresult *result)
{
  return g_ascii_strtoll (PQcmdTuples (result), NULL, 10);
}

/* A timestamptz as core's JSON writes times: 2021-03-04T05:06:07Z. */
#define UTC_TIME(column) \
  "to_char (" column " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

/* ---- blanking ------------------------------------------------------------ */

gboolean
buurten_blank_personal (PGconn             *conn,
                        const char         *ids,
                        BuurtenBlankCounts *counts,
                        GError            **error)
{
  const char *personal = buurten_personal_fields_array ();
  g_autoptr(PGresult) scopes = NULL;
  g_autoptr(PGresult) tombstones = NULL;
  g_autoptr(PGresult) history = NULL;
  g_autoptr(PGresult) conflicts = NULL;
  g_autoptr(PGresult) results = NULL;
  g_autofree char *types = NULL;
  g_autofree char *ranks = NULL;

  type_ranks (&types, &ranks);

  /* The live objects' scopes, in one order (as every writer locks one
   * clock row at a time, this only waits). */
  scopes = BUURTEN_DB_EXEC (conn, error,
                            "SELECT DISTINCT scope FROM objects WHERE id = ANY ($1::uuid[])"
                            " AND NOT deleted AND data ?| $2::text[] ORDER BY scope",
                            ids, personal);
  if (scopes == NULL)
    return FALSE;

  for (int s = 0; s < PQntuples (scopes); s++)
    {
      const char *scope = buurten_db_get (scopes, s, 0);
      g_autoptr(PGresult) clock = NULL;
      g_autoptr(PGresult) written = NULL;

      /* The scope's next seq, its clock row locked until the commit: a
       * pull sees the new rows whole or not at all, after every earlier
       * transaction of the scope. */
      clock = BUURTEN_DB_EXEC (conn, error,
                               "UPDATE change_clocks SET seq = seq + 1 WHERE scope = $1"
                               " RETURNING seq", scope);
      if (clock == NULL)
        return FALSE;
      if (PQntuples (clock) != 1)
        {
          g_set_error (error, BUURTEN_DB_ERROR, BUURTEN_DB_ERROR_QUERY,
                       "no change clock for scope %s", scope);
          return FALSE;
        }

      /* A new version without the personal fields (their versions move
       * to it, so an edit based on the old value meets a conflict), and
       * its change row: the incremental pull's way to the laptops. */
      written = BUURTEN_DB_EXEC (conn, error,
                                 "WITH blanked AS ("
                                 "  UPDATE objects o SET version = o.version + 1,"
                                 "   seq = $3::bigint,"
                                 "   data = o.data - $2::text[]"
                                 "    || CASE WHEN o.data ? 'version'"
                                 "     THEN jsonb_build_object ('version', o.version + 1)"
                                 "     ELSE '{}'::jsonb END"
                                 "    || CASE WHEN o.data ? 'updated_at'"
                                 "     THEN jsonb_build_object ('updated_at', " UTC_TIME ("now ()") ")"
                                 "     ELSE '{}'::jsonb END,"
                                 "   versions = o.versions || coalesce ((SELECT"
                                 "    jsonb_object_agg (k, o.version + 1)"
                                 "    FROM jsonb_object_keys (o.data) AS k"
                                 "    WHERE k = ANY ($2::text[])), '{}'::jsonb),"
                                 "   updated_at = now ()"
                                 "  WHERE o.id = ANY ($1::uuid[]) AND o.scope = $4"
                                 "  AND NOT o.deleted AND o.data ?| $2::text[]"
                                 "  RETURNING o.id, o.type, o.scope, o.seq, o.version, o.data,"
                                 "   o.versions)"
                                 " INSERT INTO changes (scope, seq, type_rank, object_id, type,"
                                 "  op, version, data, versions, meta, audience)"
                                 " SELECT b.scope, b.seq, r.rank, b.id, b.type, 'put', b.version,"
                                 "  b.data, b.versions, l.meta, l.audience"
                                 " FROM blanked b"
                                 " JOIN unnest ($5::text[], $6::integer[]) AS r (type, rank)"
                                 "  ON r.type = b.type"
                                 " LEFT JOIN LATERAL (SELECT c.meta, c.audience FROM changes c"
                                 "  WHERE c.object_id = b.id ORDER BY c.seq DESC LIMIT 1) l"
                                 "  ON true",
                                 ids, personal, buurten_db_get (clock, 0, 0), scope, types,
                                 ranks);
      if (written == NULL)
        return FALSE;
      counts->objects += tuples (written);
    }

  /* A tombstone is gone from the laptops already: it only loses them. */
  tombstones = BUURTEN_DB_EXEC (conn, error,
                                "UPDATE objects SET data = data - $2::text[]"
                                " WHERE id = ANY ($1::uuid[]) AND deleted"
                                " AND data ?| $2::text[]",
                                ids, personal);
  if (tombstones == NULL)
    return FALSE;
  counts->objects += tuples (tombstones);

  history = BUURTEN_DB_EXEC (conn, error,
                             "UPDATE changes SET data = data - $2::text[]"
                             " WHERE object_id = ANY ($1::uuid[]) AND data ?| $2::text[]",
                             ids, personal);
  if (history == NULL)
    return FALSE;
  counts->changes += tuples (history);

  conflicts = BUURTEN_DB_EXEC (conn, error,
                               "UPDATE conflicts SET theirs = NULL, yours = NULL"
                               " WHERE object_id = ANY ($1::uuid[]) AND field = ANY ($2::text[])"
                               " AND (theirs IS NOT NULL OR yours IS NOT NULL)",
                               ids, personal);
  if (conflicts == NULL)
    return FALSE;
  counts->conflicts += tuples (conflicts);

  /* A push's stored answer (replayed to a client that lost it) holds the
   * conflicts it met, with both values, in result.conflicts. */
  results = BUURTEN_DB_EXEC (conn, error,
                             "UPDATE mutation_results SET result = jsonb_set (result::jsonb,"
                             "  '{result,conflicts}', (SELECT jsonb_agg (CASE"
                             "   WHEN e.c ->> 'row' = ANY ($1::text[])"
                             "    AND e.c ->> 'field' = ANY ($2::text[])"
                             "   THEN e.c || '{\"theirs\": null, \"yours\": null}'::jsonb"
                             "   ELSE e.c END ORDER BY e.n)"
                             "  FROM jsonb_array_elements (result::jsonb #> '{result,conflicts}')"
                             "   WITH ORDINALITY AS e (c, n)))::text"
                             " WHERE strpos (result, '\"conflicts\"') > 0"
                             " AND EXISTS (SELECT 1 FROM jsonb_array_elements (CASE"
                             "   WHEN jsonb_typeof (result::jsonb #> '{result,conflicts}') = 'array'"
                             "   THEN result::jsonb #> '{result,conflicts}' END) AS e (c)"
                             "  WHERE e.c ->> 'row' = ANY ($1::text[])"
                             "  AND e.c ->> 'field' = ANY ($2::text[])"
                             "  AND (coalesce (e.c -> 'theirs', 'null') <> 'null'"
                             "   OR coalesce (e.c -> 'yours', 'null') <> 'null'))",
                             ids, personal);
  if (results == NULL)
    return FALSE;
  counts->results += tuples (results);

  return TRUE;
}

gboolean
buurten_blank_superseded (PGconn                  *conn,
                          const BuurtenEntityInfo *info,
                          const char              *object_id,
                          const char              *scope,
                          gint64                   seq,
                          GError                 **error)
{
  g_autoptr(PGresult) blanked = NULL;
  g_autofree char *seq_text = NULL;

  if (!info_has_personal (info))
    return TRUE;
  seq_text = g_strdup_printf ("%" G_GINT64_FORMAT, seq);

  blanked = BUURTEN_DB_EXEC (conn, error,
                             "UPDATE changes SET data = data - $4::text[]"
                             " WHERE object_id = $1::uuid AND NOT (scope = $2 AND seq = $3::bigint)"
                             " AND data ?| $4::text[]",
                             object_id, scope, seq_text, buurten_personal_fields_array ());
  return blanked != NULL;
}

gint64
buurten_blank_all_superseded (PGconn  *conn,
                              GError **error)
{
  g_autoptr(PGresult) blanked = NULL;

  blanked = BUURTEN_DB_EXEC (conn, error,
                             "UPDATE changes c SET data = c.data - $1::text[]"
                             " WHERE c.data ?| $1::text[] AND EXISTS (SELECT 1 FROM changes n"
                             "  WHERE n.object_id = c.object_id AND n.scope = c.scope"
                             "  AND n.seq > c.seq)",
                             buurten_personal_fields_array ());
  if (blanked == NULL)
    return -1;
  return tuples (blanked);
}

/* ---- one resident ------------------------------------------------------------ */

/* The ids (a uuid[] literal) of every object whose personal fields hold
 * one of values now, in a change row or in a conflict. */
static char *
resident_object_ids (PGconn  *conn,
                     char   **values,
                     GError **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new ();
  g_autoptr(PGresult) found = NULL;
  g_autofree char *array = NULL;

  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    g_ptr_array_add (list, values[i]);
  array = buurten_db_text_array (list);

  found = BUURTEN_DB_EXEC (conn, error,
                           "WITH v AS (SELECT DISTINCT lower (btrim (x)) AS v"
                           "  FROM unnest ($2::text[]) AS x WHERE btrim (x) <> ''),"
                           " m AS ("
                           "  SELECT o.id FROM objects o WHERE o.data ?| $1::text[]"
                           "  AND EXISTS (SELECT 1 FROM jsonb_each_text (o.data) e"
                           "   WHERE e.key = ANY ($1::text[])"
                           "   AND lower (btrim (e.value)) IN (SELECT v FROM v))"
                           "  UNION SELECT c.object_id FROM changes c WHERE c.data ?| $1::text[]"
                           "  AND EXISTS (SELECT 1 FROM jsonb_each_text (c.data) e"
                           "   WHERE e.key = ANY ($1::text[])"
                           "   AND lower (btrim (e.value)) IN (SELECT v FROM v))"
                           "  UNION SELECT f.object_id FROM conflicts f"
                           "  WHERE f.field = ANY ($1::text[])"
                           "  AND (lower (btrim (f.theirs #>> '{}')) IN (SELECT v FROM v)"
                           "   OR lower (btrim (f.yours #>> '{}')) IN (SELECT v FROM v)))"
                           " SELECT coalesce (array_agg (id ORDER BY id)::text, '{}') FROM m",
                           buurten_personal_fields_array (), array);
  if (found == NULL)
    return NULL;
  return g_strdup (buurten_db_get (found, 0, 0));
}

static gboolean
check_values (char   **values,
              GError **error)
{
  guint n = 0;

  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    {
      g_autofree char *stripped = g_strstrip (g_strdup (values[i]));

      if (!g_utf8_validate (values[i], -1, NULL))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "--name and --contact must be UTF-8");
          return FALSE;
        }
      if (*stripped != '\0')
        n++;
    }

  if (n == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "say whose data with --name NAME or --contact CONTACT");
      return FALSE;
    }
  return TRUE;
}

static void
add_json_text (JsonBuilder *builder,
               const char  *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  if (text == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }
  node = buurten_json_parse (text, -1, 64, &error);
  if (node == NULL)
    json_builder_add_string_value (builder, text);
  else
    json_builder_add_value (builder, node);
}

static void
add_member_string (JsonBuilder *builder,
                   const char  *name,
                   const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_member_int (JsonBuilder *builder,
                const char  *name,
                gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}


char *
buurten_resident_export (PGconn      *conn,
                         char       **values,
                         const char  *actor,
                         const char  *reference,
                         GError     **error)
{
  g_autoptr(PGresult) objects = NULL;
  g_autoptr(PGresult) history = NULL;
  g_autoptr(PGresult) conflicts = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *ids = NULL;
  g_autofree char *result = NULL;
  GPtrArray *fields = personal_field_names ();

  if (!check_values (values, error))
    return NULL;

  /* One snapshot for the three reads. */
  if (!buurten_db_command (conn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", error))
    return NULL;

  ids = resident_object_ids (conn, values, error);
  if (ids == NULL)
    goto fail;

  objects = BUURTEN_DB_EXEC (conn, error,
                             "SELECT type, id, scope, version, deleted, data::text,"
                             " " UTC_TIME ("created_at") ", " UTC_TIME ("updated_at")
                             " FROM objects WHERE id = ANY ($1::uuid[]) ORDER BY type, id",
                             ids);
  if (objects == NULL)
    goto fail;
  history = BUURTEN_DB_EXEC (conn, error,
                             "SELECT type, object_id, scope, seq, op, version, data::text,"
                             " " UTC_TIME ("at")
                             " FROM changes WHERE object_id = ANY ($1::uuid[])"
                             " ORDER BY object_id, scope, seq",
                             ids);
  if (history == NULL)
    goto fail;
  conflicts = BUURTEN_DB_EXEC (conn, error,
                               "SELECT f.id, u.username, f.object_type, f.object_id, f.scope,"
                               " f.seq, f.field, f.theirs::text, f.yours::text,"
                               " " UTC_TIME ("f.at")
                               " FROM conflicts f LEFT JOIN users u ON u.id = f.user_id"
                               " WHERE f.object_id = ANY ($1::uuid[])"
                               " ORDER BY f.object_id, f.scope, f.seq, f.at",
                               ids);
  if (conflicts == NULL)
    goto fail;
  if (!buurten_db_command (conn, "COMMIT", error))
    goto fail;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "personal_fields");
  json_builder_begin_array (builder);
  for (guint i = 0; i < fields->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (fields, i));
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "objects");
  json_builder_begin_array (builder);
  for (int r = 0; r < PQntuples (objects); r++)
    {
      json_builder_begin_object (builder);
      add_member_string (builder, "type", buurten_db_get (objects, r, 0));
      add_member_string (builder, "id", buurten_db_get (objects, r, 1));
      add_member_string (builder, "wijk", buurten_db_get (objects, r, 2));
      add_member_int (builder, "version", buurten_db_get_int (objects, r, 3));
      json_builder_set_member_name (builder, "deleted");
      json_builder_add_boolean_value (builder,
                                      g_strcmp0 (buurten_db_get (objects, r, 4), "t") == 0);
      add_member_string (builder, "created_at", buurten_db_get (objects, r, 6));
      add_member_string (builder, "updated_at", buurten_db_get (objects, r, 7));
      json_builder_set_member_name (builder, "row");
      add_json_text (builder, buurten_db_get (objects, r, 5));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "history");
  json_builder_begin_array (builder);
  for (int r = 0; r < PQntuples (history); r++)
    {
      json_builder_begin_object (builder);
      add_member_string (builder, "type", buurten_db_get (history, r, 0));
      add_member_string (builder, "id", buurten_db_get (history, r, 1));
      add_member_string (builder, "wijk", buurten_db_get (history, r, 2));
      add_member_int (builder, "seq", buurten_db_get_int (history, r, 3));
      add_member_string (builder, "op", buurten_db_get (history, r, 4));
      add_member_int (builder, "version", buurten_db_get_int (history, r, 5));
      add_member_string (builder, "at", buurten_db_get (history, r, 7));
      json_builder_set_member_name (builder, "row");
      add_json_text (builder, buurten_db_get (history, r, 6));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "conflicts");
  json_builder_begin_array (builder);
  for (int r = 0; r < PQntuples (conflicts); r++)
    {
      json_builder_begin_object (builder);
      add_member_string (builder, "id", buurten_db_get (conflicts, r, 0));
      add_member_string (builder, "user", buurten_db_get (conflicts, r, 1));
      add_member_string (builder, "type", buurten_db_get (conflicts, r, 2));
      add_member_string (builder, "row", buurten_db_get (conflicts, r, 3));
      add_member_string (builder, "wijk", buurten_db_get (conflicts, r, 4));
      add_member_int (builder, "seq", buurten_db_get_int (conflicts, r, 5));
      add_member_string (builder, "field", buurten_db_get (conflicts, r, 6));
      json_builder_set_member_name (builder, "theirs");
      add_json_text (builder, buurten_db_get (conflicts, r, 7));
      json_builder_set_member_name (builder, "yours");
      add_json_text (builder, buurten_db_get (conflicts, r, 8));
      add_member_string (builder, "at", buurten_db_get (conflicts, r, 9));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  {
    g_autoptr(JsonGenerator) generator = json_generator_new ();

    json_generator_set_root (generator, root);
    json_generator_set_pretty (generator, TRUE);
    result = json_generator_to_data (generator, NULL);
  }

  /* Who asked, what for, how much: never the values asked for. */
  {
    g_autofree char *counted = g_strdup_printf ("ok: %d objects, %d history rows, %d conflicts",
                                                PQntuples (objects), PQntuples (history),
                                                PQntuples (conflicts));

    buurten_audit (conn, actor, "resident.export", reference, counted, "cli");
  }

  return g_steal_pointer (&result);

fail:
  buurten_db_rollback (conn);
  return NULL;
}

gboolean
buurten_resident_erase (PGconn              *conn,
                        char               **values,
                        const char          *actor,
                        const char          *reference,
                        BuurtenBlankCounts  *counts,
                        GError             **error)
{
  g_autofree char *ids = NULL;
  g_autofree char *counted = NULL;

  memset (counts, 0, sizeof *counts);
  if (!check_values (values, error))
    return FALSE;

  if (!buurten_db_command (conn, "BEGIN", error))
    return FALSE;

  ids = resident_object_ids (conn, values, error);
  if (ids == NULL || !buurten_blank_personal (conn, ids, counts, error))
    goto fail;

  /* In the transaction: no erasure without its line. */
  counted = g_strdup_printf ("ok: %" G_GINT64_FORMAT " objects, %" G_GINT64_FORMAT
                             " history rows, %" G_GINT64_FORMAT " conflicts, %"
                             G_GINT64_FORMAT " push results",
                             counts->objects, counts->changes, counts->conflicts,
                             counts->results);
  buurten_audit (conn, actor, "resident.erase", reference, counted, "cli");

  if (!buurten_db_command (conn, "COMMIT", error))
    goto fail;
  return TRUE;

fail:
  buurten_db_rollback (conn);
  memset (counts, 0, sizeof *counts);
  return FALSE;
}

/* ---- reads of personal data by staff ---------------------------------------- */

void
buurten_audit_object_read (PGconn                  *conn,
                           const char              *username,
                           const char              *origin,
                           const BuurtenEntityInfo *info,
                           JsonObject              *data,
                           const char              *object)
{
  for (guint i = 0; i < info->n_fields; i++)
    {
      JsonNode *value;

      if ((info->fields[i].flags & BUURTEN_FIELD_PERSONAL) == 0)
        continue;
      value = json_object_get_member (data, info->fields[i].name);
      if (value != NULL && JSON_NODE_HOLDS_VALUE (value) &&
          json_node_get_value_type (value) == G_TYPE_STRING &&
          *json_node_get_string (value) != '\0')
        {
          buurten_audit (conn, username, "read.personal", object, "ok: 1 objects", origin);
          return;
        }
    }
}

/* The pull writes each change as {"wijk":"...","seq":N,"type":"...",
 * "id":"<uuid>",...,"row":<jsonb text>,...} with no space after its own
 * colons, and PostgreSQL writes a jsonb's members as "name": value with
 * one space. Inside a JSON string every quote is escaped, so
 * {"wijk":" starts a change and "field": " followed by anything but a
 * quote is a member of its row with a non-empty string value. */
#define CHANGE_START "{\"wijk\":\""
#define CHANGE_ID    "\"id\":\""

guint
buurten_count_personal_objects (const char *changes,
                                gsize       length)
{
  GPtrArray *fields = personal_field_names ();
  g_autoptr(GHashTable) ids = NULL;
  g_autoptr(GPtrArray) patterns = g_ptr_array_new_with_free_func (g_free);
  const char *end = changes + length;
  const char *start;

  if (changes == NULL || length == 0 || fields->len == 0)
    return 0;

  for (guint i = 0; i < fields->len; i++)
    g_ptr_array_add (patterns, g_strdup_printf ("\"%s\": \"",
                                                (const char *) g_ptr_array_index (fields, i)));

  ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  start = g_strstr_len (changes, length, CHANGE_START);
  while (start != NULL)
    {
      const char *next = g_strstr_len (start + 1, end - start - 1, CHANGE_START);
      const char *limit = next != NULL ? next : end;
      const char *id = g_strstr_len (start, limit - start, CHANGE_ID);
      gboolean personal = FALSE;

      for (guint i = 0; !personal && i < patterns->len; i++)
        {
          const char *pattern = g_ptr_array_index (patterns, i);
          gsize plen = strlen (pattern);
          const char *at = start;

          while (!personal && (at = g_strstr_len (at, limit - at, pattern)) != NULL)
            {
              at += plen;
              personal = at < limit && *at != '"';
            }
        }

      if (personal && id != NULL && limit - id > (gssize) strlen (CHANGE_ID) + 36)
        g_hash_table_add (ids, g_strndup (id + strlen (CHANGE_ID), 36));
      start = next;
    }

  return g_hash_table_size (ids);
}

void
buurten_audit_pull_read (PGconn     *conn,
                         const char *username,
                         const char *origin,
                         const char *changes,
                         gsize       length)
{
  guint n = buurten_count_personal_objects (changes, length);
  g_autofree char *counted = NULL;

  if (n == 0)
    return;
  counted = g_strdup_printf ("ok: %u objects", n);
  buurten_audit (conn, username, "read.personal", "pull", counted, origin);
}

/* ---- the command line -------------------------------------------------------- */

static char **opt_names = NULL;
static char **opt_contacts = NULL;
static char *opt_reference = NULL;
static int opt_keep_requests = BUURTEN_KEEP_REQUESTS_YEARS;
static int opt_keep_initiatives = BUURTEN_KEEP_INITIATIVES_YEARS;
static char *opt_now = NULL;

static const GOptionEntry resident_entries[] = {
  { "name", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt_names,
    "resident export|erase: the resident's name (repeatable)", "NAME" },
  { "contact", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt_contacts,
    "resident export|erase: the resident's contact (repeatable)", "CONTACT" },
  { "reference", 0, 0, G_OPTION_ARG_STRING, &opt_reference,
    "resident export|erase: the case's reference for the audit line "
    "(never a name)", "REF" },
  { "keep-requests-years", 0, 0, G_OPTION_ARG_INT, &opt_keep_requests,
    "retention: years personal data of a closed request is kept (default 5)", "N" },
  { "keep-initiatives-years", 0, 0, G_OPTION_ARG_INT, &opt_keep_initiatives,
    "retention: years personal data of a closed initiative with money is kept (default 7)",
    "N" },
  { "now", 0, 0, G_OPTION_ARG_STRING, &opt_now,
    "retention: the moment to apply the periods at (default: now; for tests)", "TIME" },
  { NULL }
};

GOptionGroup *
buurten_residents_option_group (void)
{
  GOptionGroup *group = g_option_group_new ("residents",
                                            "Residents' personal data (resident, retention):",
                                            "Show the options of resident and retention",
                                            NULL, NULL);

  g_option_group_add_entries (group, resident_entries);
  return group;
}

static char *
cli_actor (void)
{
  return g_strconcat ("cli:", g_get_user_name (), NULL);
}

static char **
resident_values (void)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (opt_names != NULL)
    g_strv_builder_addv (builder, (const char **) opt_names);
  if (opt_contacts != NULL)
    g_strv_builder_addv (builder, (const char **) opt_contacts);
  return g_strv_builder_end (builder);
}

int
buurten_residents_command (PGconn     *conn,
                           const char *what)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) values = resident_values ();
  g_autofree char *actor = cli_actor ();

  if (g_strcmp0 (what, "export") == 0)
    {
      g_autofree char *json = buurten_resident_export (conn, values, actor, opt_reference,
                                                       &error);

      if (json == NULL)
        {
          g_printerr ("buurten-server: resident export: %s\n", error->message);
          return 1;
        }
      fputs (json, stdout);
      fputc ('\n', stdout);
      return 0;
    }

  if (g_strcmp0 (what, "erase") == 0)
    {
      BuurtenBlankCounts counts;

      if (!buurten_resident_erase (conn, values, actor, opt_reference, &counts, &error))
        {
          g_printerr ("buurten-server: resident erase: %s\n", error->message);
          return 1;
        }
      g_print ("erased: %" G_GINT64_FORMAT " objects, %" G_GINT64_FORMAT " history rows, %"
               G_GINT64_FORMAT " conflicts, %" G_GINT64_FORMAT " push results\n",
               counts.objects, counts.changes, counts.conflicts, counts.results);
      return 0;
    }

  g_printerr ("buurten-server: resident export|erase --name NAME | --contact CONTACT\n");
  return 2;
}

int
buurten_retention_command (PGconn *conn)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *actor = cli_actor ();
  BuurtenRetentionCounts counts;

  if (opt_keep_requests < 0 || opt_keep_initiatives < 0)
    {
      g_printerr ("buurten-server: retention: the periods are whole years, 0 or more\n");
      return 2;
    }

  if (!buurten_retention_run (conn, opt_keep_requests, opt_keep_initiatives, opt_now, actor,
                              &counts, &error))
    {
      g_printerr ("buurten-server: retention: %s\n", error->message);
      return 1;
    }

  g_print ("retention: %" G_GINT64_FORMAT " closed objects past their period blanked (%"
           G_GINT64_FORMAT " objects, %" G_GINT64_FORMAT " history rows, %" G_GINT64_FORMAT
           " conflicts, %" G_GINT64_FORMAT " push results); %" G_GINT64_FORMAT
           " superseded history rows blanked\n",
           counts.closed, counts.blank.objects, counts.blank.changes, counts.blank.conflicts,
           counts.blank.results, counts.superseded);
  return 0;
}
