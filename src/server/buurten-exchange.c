/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-server"

#include "config.h"

#include <string.h>

#include "buurten-exchange-private.h"
#include "buurten-visibility.h"

/* The sync protocol of design.md: push applies named mutations once per
 * (client, mid) in one transaction; pull (buurten-exchange-pull.c) reads
 * the change log per scope (a wijk, "cluster:<id>" or "city") from an
 * opaque cursor, which this file encodes and decodes. */

void
append_json_string (GString    *out,
                    const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c == '"' || c == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, c);
        }
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, c);
    }
  g_string_append_c (out, '"');
}

char *
int_array (const gint64 *values,
           guint         n)
{
  GString *out = g_string_new ("{");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (out, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "", values[i]);
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

/* ---- push ---------------------------------------------------------------------------- */


static void
push_error_json (BuurtenCall *call,
                 guint        status,
                 const char  *code,
                 const char  *message,
                 gint64       last_mid)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_set_member_name (builder, "last_mid");
  json_builder_add_int_value (builder, last_mid);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  buurten_call_set_json (call, status, root);
}

/* One attempt in one transaction. FALSE with error for what aborts the
 * attempt (a retry or 503); refusals of the push as a whole set the call's
 * response and return TRUE. On success the results are appended to out
 * (comma-separated) and *out_last_mid is the client's last mid. */
static gboolean
push_once (BuurtenCall       *call,
           PGconn            *conn,
           const BuurtenUser *user,
           const char        *client_id,
           GArray            *mutations,
           GString           *out,
           gint64            *out_last_mid,
           guint             *out_applied,
           GError           **error)
{
  g_autoptr(PGresult) inserted = NULL;
  g_autoptr(PGresult) client = NULL;
  g_autoptr(PGresult) moved = NULL;
  g_autofree char *user_id = g_strdup_printf ("%" G_GINT64_FORMAT, user->id);
  gsize out_len = out->len;
  g_autoptr(GPtrArray) new_mids = NULL;
  g_autoptr(GPtrArray) new_results = NULL;
  BuurtenMutationContext ctx;
  gint64 last_mid, new_last_mid;
  gboolean ok = FALSE;

  *out_applied = 0;

  if (!buurten_db_command (conn, "BEGIN", error))
    return FALSE;

  inserted = BUURTEN_DB_EXEC (conn, error,
                              "INSERT INTO clients (client_id, user_id)"
                              " VALUES ($1::uuid, $2::bigint) ON CONFLICT (client_id) DO NOTHING",
                              client_id, user_id);
  if (inserted == NULL)
    goto fail;

  /* The client's row is the push's lock: one push per client at a time,
   * and last_mid moves in the same transaction as the effects. */
  client = BUURTEN_DB_EXEC (conn, error,
                            "SELECT user_id, last_mid FROM clients"
                            " WHERE client_id = $1::uuid FOR UPDATE",
                            client_id);
  if (client == NULL)
    goto fail;

  last_mid = buurten_db_get_int (client, 0, 1);
  if (buurten_db_get_int (client, 0, 0) != user->id)
    {
      buurten_db_rollback (conn);
      buurten_audit (conn, user->username, "push", client_id, "forbidden:client_id",
                     call->origin);
      buurten_call_set_error (call, 403, BUURTEN_CODE_FORBIDDEN,
                              "This client_id belongs to another user.");
      return TRUE;
    }

  if (mutations->len > 0 && g_array_index (mutations, Mutation, 0).mid > last_mid + 1)
    {
      g_autofree char *message =
        g_strdup_printf ("The next mid must be %" G_GINT64_FORMAT ", not %" G_GINT64_FORMAT
                         ": push the mutations in between first.", last_mid + 1,
                         g_array_index (mutations, Mutation, 0).mid);

      buurten_db_rollback (conn);
      push_error_json (call, 409, BUURTEN_CODE_MID_GAP, message, last_mid);
      return TRUE;
    }

  buurten_mutation_context_init (&ctx, conn, call->context->municipality, user, call->origin);
  new_last_mid = last_mid;
  new_mids = g_ptr_array_new_with_free_func (g_free);
  new_results = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < mutations->len; i++)
    {
      const Mutation *m = &g_array_index (mutations, Mutation, i);
      g_autofree char *mid_text = g_strdup_printf ("%" G_GINT64_FORMAT, m->mid);

      if (out->len > 0)
        g_string_append_c (out, ',');

      if (m->mid <= last_mid)
        {
          /* A replay: the stored result, nothing applied again. */
          g_autoptr(PGresult) stored = BUURTEN_DB_EXEC (conn, error,
                                                        "SELECT result FROM mutation_results"
                                                        " WHERE client_id = $1::uuid"
                                                        " AND mid = $2::bigint",
                                                        client_id, mid_text);
          if (stored == NULL)
            goto fail_ctx;
          if (PQntuples (stored) == 1)
            g_string_append (out, buurten_db_get (stored, 0, 0));
          else
            g_string_append_printf (out, "{\"mid\":%s,\"status\":\"rejected\","
                                    "\"code\":\"EXPIRED\",\"message\":\"The result of this "
                                    "mutation is no longer kept.\"}", mid_text);
        }
      else
        {
          g_autoptr(JsonObject) result = NULL;
          g_autofree char *text = NULL;

          result = buurten_mutation_apply (&ctx, m->mid, m->name, m->args, error);
          if (result == NULL)
            goto fail_ctx;

          {
            g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

            json_node_set_object (node, result);
            text = buurten_json_to_string (node);
          }

          /* Stored as text: PostgreSQL refuses what is not UTF-8, and the
           * push would then fail on every retry. The core's messages
           * quote untrusted text whole characters at a time; this is the
           * last line. */
          if (!g_utf8_validate (text, -1, NULL))
            {
              char *valid = g_utf8_make_valid (text, -1);

              g_free (text);
              text = valid;
            }

          g_string_append (out, text);
          g_ptr_array_add (new_mids, g_steal_pointer (&mid_text));
          g_ptr_array_add (new_results, g_steal_pointer (&text));
          new_last_mid = m->mid;
          (*out_applied)++;
        }
    }

  /* The results and audit lines of the whole push, in one statement
   * each, in the same transaction as the effects. */
  if (new_mids->len > 0)
    {
      g_autoptr(PGresult) saved = NULL;
      g_autofree char *mids = buurten_db_text_array (new_mids);
      g_autofree char *results = buurten_db_text_array (new_results);

      saved = BUURTEN_DB_EXEC (conn, error,
                               "INSERT INTO mutation_results (client_id, mid, result)"
                               " SELECT $1::uuid, m, r FROM unnest ($2::bigint[], $3::text[])"
                               " AS l (m, r)",
                               client_id, mids, results);
      if (saved == NULL)
        goto fail_ctx;
    }
  if (!buurten_mutation_context_flush (&ctx, error))
    goto fail_ctx;

  if (new_last_mid != last_mid)
    {
      g_autofree char *mid_text = g_strdup_printf ("%" G_GINT64_FORMAT, new_last_mid);

      moved = BUURTEN_DB_EXEC (conn, error,
                               "UPDATE clients SET last_mid = $2::bigint"
                               " WHERE client_id = $1::uuid",
                               client_id, mid_text);
      if (moved == NULL)
        goto fail_ctx;
    }

  if (!buurten_db_command (conn, "COMMIT", error))
    goto fail_ctx;

  *out_last_mid = new_last_mid;
  ok = TRUE;

fail_ctx:
  buurten_mutation_context_clear (&ctx);
  if (ok)
    return TRUE;
fail:
  g_string_truncate (out, out_len);
  buurten_db_rollback (conn);
  return FALSE;
}

/* The last resort for one mutation whose effects or result the database
 * would not store (a failure of the query itself, not of the rules): it is
 * recorded as rejected, so that the client moves on instead of sending it
 * again for ever. */
static gboolean
push_reject_one (BuurtenCall       *call,
                 PGconn            *conn,
                 const BuurtenUser *user,
                 const char        *client_id,
                 gint64             mid,
                 GString           *out,
                 gint64            *out_last_mid,
                 GError           **error)
{
  g_autofree char *user_id = g_strdup_printf ("%" G_GINT64_FORMAT, user->id);
  g_autofree char *mid_text = g_strdup_printf ("%" G_GINT64_FORMAT, mid);
  g_autofree char *result = NULL;
  g_autoptr(PGresult) stored = NULL;

  result = g_strdup_printf ("{\"mid\":%" G_GINT64_FORMAT ",\"status\":\"rejected\","
                            "\"code\":\"" BUURTEN_CODE_INTERNAL "\",\"message\":\"The server "
                            "could not store this mutation.\"}", mid);

  if (!buurten_db_command (conn, "BEGIN", error))
    return FALSE;

  /* Only when it is the client's next mid, for this user: otherwise the
   * normal path answers (a replay, a gap, another user's client). */
  stored = BUURTEN_DB_EXEC (conn, error,
                            "WITH c AS (INSERT INTO clients (client_id, user_id, last_mid)"
                            "   VALUES ($1::uuid, $2::bigint, $3::bigint)"
                            "   ON CONFLICT (client_id) DO UPDATE SET last_mid = $3::bigint"
                            "   WHERE clients.user_id = $2::bigint"
                            "   AND clients.last_mid = $3::bigint - 1"
                            "   RETURNING 1)"
                            " INSERT INTO mutation_results (client_id, mid, result)"
                            " SELECT $1::uuid, $3::bigint, $4 FROM c",
                            client_id, user_id, mid_text, result);
  if (stored == NULL || !buurten_db_command (conn, "COMMIT", error))
    {
      buurten_db_rollback (conn);
      return FALSE;
    }

  if (g_strcmp0 (PQcmdTuples (stored), "1") != 0)
    {
      g_set_error_literal (error, BUURTEN_DB_ERROR, BUURTEN_DB_ERROR_QUERY,
                           "the mutation to reject is not the client's next");
      return FALSE;
    }

  g_warning ("push by user #%" G_GINT64_FORMAT ": mutation %" G_GINT64_FORMAT
             " could not be stored and was rejected", user->id, mid);
  if (out->len > 0)
    g_string_append_c (out, ',');
  g_string_append (out, result);
  *out_last_mid = mid;
  return TRUE;
}

/* push_once() with its retries of serialisation failures. */
static gboolean
push_with_retries (BuurtenCall       *call,
                   PGconn            *conn,
                   const BuurtenUser *user,
                   const char        *client_id,
                   GArray            *mutations,
                   GString           *out,
                   gint64            *out_last_mid,
                   guint             *out_applied,
                   GError           **error)
{
  for (guint attempt = 1; ; attempt++)
    {
      g_autoptr(GError) local_error = NULL;

      if (push_once (call, conn, user, client_id, mutations, out, out_last_mid, out_applied,
                     &local_error))
        return TRUE;

      if (attempt == MAX_PUSH_ATTEMPTS ||
          !g_error_matches (local_error, BUURTEN_DB_ERROR, BUURTEN_DB_ERROR_RETRY))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }

      /* A serialisation failure or deadlock: the transaction is undone;
       * wait a little (more each time, with jitter) and start over. */
      g_usleep (g_random_int_range (1000, 5000) * attempt);
    }
}

/* The push's body: the client's id (lower case) and its mutations, whose
 * names and args point into body. A hole in the mids (a MID_GAP, answered
 * with the server's last mid) is PUSH_BODY_OK with *out_gap_after the
 * index of the mutation after it, else -1. No database, no HTTP: the
 * fuzzer (fuzz/fuzz-push.c) runs it on anything. */
PushBodyStatus
decode_push_body (JsonObject  *body,
                  char       **out_client_id,
                  GArray     **out_mutations,
                  gint        *out_gap_after,
                  GError     **error)
{
  g_autoptr(GArray) mutations = NULL;
  const char *client_text = NULL;
  JsonArray *list = NULL;
  gint64 schema = 0;

  *out_client_id = NULL;
  *out_mutations = NULL;
  *out_gap_after = -1;

  if (!buurten_json_get_string (body, "body", "client_id", TRUE, &client_text, error) ||
      !buurten_json_get_int (body, "body", "schema", TRUE, &schema, error) ||
      !buurten_json_get_array (body, "body", "mutations", TRUE, &list, error))
    return PUSH_BODY_INVALID;

  if (!buurten_uuid_is_valid (client_text))
    {
      g_set_error_literal (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID,
                           "body.client_id: not a valid UUID");
      return PUSH_BODY_INVALID;
    }

  if (schema != SYNC_SCHEMA)
    {
      g_set_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID,
                   "This server speaks sync schema %d, not %" G_GINT64_FORMAT
                   ": update Buurten.", SYNC_SCHEMA, schema);
      return PUSH_BODY_OLD_SCHEMA;
    }

  if (json_array_get_length (list) > MAX_MUTATIONS_PER_PUSH)
    {
      g_set_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID,
                   "body.mutations: at most %d per push", MAX_MUTATIONS_PER_PUSH);
      return PUSH_BODY_INVALID;
    }

  mutations = g_array_new (FALSE, FALSE, sizeof (Mutation));
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonNode *node = json_array_get_element (list, i);
      g_autofree char *where = g_strdup_printf ("body.mutations[%u]", i);
      Mutation m = { 0, };

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID,
                       "%s: expected an object", where);
          return PUSH_BODY_INVALID;
        }

      if (!buurten_json_get_int (json_node_get_object (node), where, "mid", TRUE, &m.mid,
                                 error) ||
          !buurten_json_get_string (json_node_get_object (node), where, "name", TRUE, &m.name,
                                    error) ||
          !buurten_json_get_object (json_node_get_object (node), where, "args", TRUE, &m.args,
                                    error))
        return PUSH_BODY_INVALID;

      if (m.mid < 1)
        {
          g_set_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID,
                       "%s.mid: mids start at 1", where);
          return PUSH_BODY_INVALID;
        }

      /* Strictly increasing by one within a push; a hole is a MID_GAP. */
      if (i > 0 && m.mid != g_array_index (mutations, Mutation, i - 1).mid + 1)
        {
          if (m.mid > g_array_index (mutations, Mutation, i - 1).mid + 1)
            {
              /* Nothing of the push is applied: last_mid is what the
               * server has, as for a gap before the push. */
              *out_gap_after = (gint) i;
              break;
            }
          g_set_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID,
                       "%s.mid: mids must increase by one", where);
          return PUSH_BODY_INVALID;
        }

      g_array_append_val (mutations, m);
    }

  *out_client_id = g_ascii_strdown (client_text, -1);
  *out_mutations = g_steal_pointer (&mutations);
  return PUSH_BODY_OK;
}

void
buurten_api_push (BuurtenCall *call,
                  PGconn      *conn)
{
  g_autoptr(BuurtenUser) user = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) mutations = NULL;
  g_autofree char *client_id = NULL;
  g_autoptr(GString) out = NULL;
  gint64 last_mid = 0;
  gint gap_after = -1;
  guint applied = 0;

  user = buurten_call_authenticate (call, conn);
  if (user == NULL)
    return;

  body = buurten_call_parse_body (call);
  if (body == NULL)
    return;

  switch (decode_push_body (body, &client_id, &mutations, &gap_after, &error))
    {
    case PUSH_BODY_OK:
      break;
    case PUSH_BODY_OLD_SCHEMA:
      buurten_call_set_error (call, 426, BUURTEN_CODE_OLD_SCHEMA, "%s", error->message);
      return;
    case PUSH_BODY_INVALID:
    default:
      buurten_call_set_error (call, 422, BUURTEN_CODE_VALIDATION, "%s", error->message);
      return;
    }

  if (gap_after >= 0)
    {
      g_autofree char *user_id = g_strdup_printf ("%" G_GINT64_FORMAT, user->id);
      g_autoptr(PGresult) known = BUURTEN_DB_EXEC (conn, &error,
                                                   "SELECT last_mid FROM clients"
                                                   " WHERE client_id = $1::uuid"
                                                   " AND user_id = $2::bigint",
                                                   client_id, user_id);

      if (known == NULL)
        {
          buurten_call_set_gerror (call, error);
          return;
        }
      push_error_json (call, 409, BUURTEN_CODE_MID_GAP,
                       "The mids of a push must increase by one.",
                       PQntuples (known) == 1 ? buurten_db_get_int (known, 0, 0) : 0);
      return;
    }

  out = g_string_new (NULL);
  if (!push_with_retries (call, conn, user, client_id, mutations, out, &last_mid, &applied,
                          &error))
    {
      /* A query that failed for a reason of its own (not the connection,
       * not a conflict of transactions) fails the same way every time:
       * find the mutation it is, one by one, and reject only that one. */
      if (!g_error_matches (error, BUURTEN_DB_ERROR, BUURTEN_DB_ERROR_QUERY))
        {
          buurten_call_set_gerror (call, error);
          return;
        }
      g_warning ("push by user #%" G_GINT64_FORMAT ": %s; trying its mutations one by one",
                 user->id, error->message);
      g_string_truncate (out, 0);
      applied = 0;
      for (guint i = 0; i < mutations->len; i++)
        {
          g_autoptr(GArray) one = g_array_new (FALSE, FALSE, sizeof (Mutation));
          guint one_applied = 0;

          g_array_append_val (one, g_array_index (mutations, Mutation, i));
          g_clear_error (&error);
          if (push_with_retries (call, conn, user, client_id, one, out, &last_mid,
                                 &one_applied, &error))
            {
              if (call->status != 0)
                return;
              applied += one_applied;
              continue;
            }
          if (!g_error_matches (error, BUURTEN_DB_ERROR, BUURTEN_DB_ERROR_QUERY))
            {
              buurten_call_set_gerror (call, error);
              return;
            }
          g_clear_error (&error);
          if (!push_reject_one (call, conn, user, client_id,
                                g_array_index (mutations, Mutation, i).mid, out, &last_mid,
                                &error))
            {
              buurten_call_set_gerror (call, error);
              return;
            }
        }
    }

  /* A refusal of the whole push set the response already. */
  if (call->status != 0)
    return;

  if (applied > 0)
    g_message ("push by user #%" G_GINT64_FORMAT ": %u mutations processed", user->id, applied);
  buurten_call_take_response (call, 200,
                              g_strdup_printf ("{\"last_mid\":%" G_GINT64_FORMAT
                                               ",\"results\":[%s]}", last_mid, out->str));
}

/* ---- pull ---------------------------------------------------------------------------- */

/* Cursor: base64url of {"v":1,"p":{"<scope>":seq,...},"b":{"<scope>":seq}}.
 * p is the position per scope; b the scope's purged_seq when the client
 * started reading it from nothing (what it never saw cannot be missing).
 * Opaque to clients. */
static void
append_positions (GString      *json,
                  GPtrArray    *scopes,
                  const gint64 *values,
                  const gint64 *only_where)
{
  gboolean first = TRUE;

  g_string_append_c (json, '{');
  for (guint i = 0; i < scopes->len; i++)
    {
      if (values[i] <= 0 || only_where[i] <= 0)
        continue;
      if (!first)
        g_string_append_c (json, ',');
      first = FALSE;
      append_json_string (json, g_ptr_array_index (scopes, i));
      g_string_append_printf (json, ":%" G_GINT64_FORMAT, values[i]);
    }
  g_string_append_c (json, '}');
}

char *
encode_cursor (GPtrArray    *scopes,
               const gint64 *positions,
               const gint64 *bases)
{
  g_autoptr(GString) json = g_string_new ("{\"v\":" G_STRINGIFY (CURSOR_VERSION) ",\"p\":");
  g_autofree char *b64 = NULL;

  append_positions (json, scopes, positions, positions);
  g_string_append (json, ",\"b\":");
  append_positions (json, scopes, bases, positions);
  g_string_append_c (json, '}');

  b64 = g_base64_encode ((const guchar *) json->str, json->len);
  for (char *p = b64; *p != '\0'; p++)
    if (*p == '+')
      *p = '-';
    else if (*p == '/')
      *p = '_';
  g_strdelimit (b64, "=", '\0');
  return g_strdup (b64);
}

static gboolean
read_positions (JsonObject *object,
                const char *member,
                gboolean    required,
                GHashTable *into)
{
  JsonObject *p = NULL;
  JsonObjectIter iter;
  const char *scope;
  JsonNode *value;

  if (!buurten_json_get_object (object, "cursor", member, required, &p, NULL))
    return FALSE;
  if (p == NULL)
    return TRUE;

  json_object_iter_init (&iter, p);
  while (json_object_iter_next (&iter, &scope, &value))
    {
      gint64 *position;

      if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_INT64 ||
          json_node_get_int (value) < 0 || strlen (scope) > 100)
        return FALSE;
      position = g_new (gint64, 1);
      *position = json_node_get_int (value);
      g_hash_table_insert (into, g_strdup (scope), position);
    }

  return TRUE;
}

/* The cursors this server writes, parsed without json-glib (whose parser
 * costs more than the rest of an up-to-date pull together): exactly
 * {"v":1,"p":{"scope":N,...},"b":{...}} as encode_cursor() makes them.
 * Anything else, also valid JSON, is left to the general parser, so the
 * result is the same for every input. */
static gboolean
parse_canonical_positions (const char **p,
                           const char  *end,
                           GHashTable  *into)
{
  const char *s = *p;

  if (s >= end || *s++ != '{')
    return FALSE;
  if (s < end && *s == '}')
    {
      *p = s + 1;
      return TRUE;
    }

  for (;;)
    {
      const char *name;
      gint64 value = 0;
      gint64 *position;
      guint digits = 0;

      if (s >= end || *s++ != '"')
        return FALSE;
      name = s;
      while (s < end && (g_ascii_isalnum (*s) || *s == '_' || *s == '-' || *s == ':' ||
                         *s == '.'))
        s++;
      if (s == name || s - name > 100 || s + 1 >= end || s[0] != '"' || s[1] != ':')
        return FALSE;

      /* At most 18 digits: no overflow, no sign, no fraction. */
      for (const char *d = s + 2; d < end && g_ascii_isdigit (*d) && digits < 18; d++)
        {
          value = value * 10 + (*d - '0');
          digits++;
        }
      if (digits == 0 || (digits > 1 && s[2] == '0'))
        return FALSE;

      position = g_new (gint64, 1);
      *position = value;
      g_hash_table_insert (into, g_strndup (name, s - name), position);
      s += 2 + digits;

      if (s < end && *s == ',')
        {
          s++;
          continue;
        }
      if (s < end && *s == '}')
        {
          *p = s + 1;
          return TRUE;
        }
      return FALSE;
    }
}

static gboolean
parse_canonical_cursor (const char *text,
                        gsize       len,
                        GHashTable *positions,
                        GHashTable *bases)
{
  static const char head[] = "{\"v\":" G_STRINGIFY (CURSOR_VERSION) ",\"p\":";
  const char *end = text + len;
  const char *p = text;

  if (len < sizeof head - 1 || memcmp (p, head, sizeof head - 1) != 0)
    return FALSE;
  p += sizeof head - 1;

  if (!parse_canonical_positions (&p, end, positions) ||
      end - p < 5 || memcmp (p, ",\"b\":", 5) != 0)
    goto no;
  p += 5;
  if (!parse_canonical_positions (&p, end, bases) || p + 1 != end || *p != '}')
    goto no;

  return TRUE;

no:
  /* The general parser starts again from nothing. */
  g_hash_table_remove_all (positions);
  g_hash_table_remove_all (bases);
  return FALSE;
}

/* scope -> gint64 position (and into bases: scope -> gint64 base), or
 * NULL with a message. *out_version_ok is FALSE for a cursor of another
 * cursor version. */
GHashTable *
decode_cursor (const char  *text,
               GHashTable  *bases,
               gboolean    *out_version_ok,
               GError     **error)
{
  g_autoptr(GHashTable) positions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                           g_free);
  g_autofree char *b64 = NULL;
  g_autofree guchar *raw = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  gsize len = 0, n;
  gint64 version = 0;

  *out_version_ok = TRUE;
  if (text == NULL || *text == '\0')
    return g_steal_pointer (&positions);

  n = strlen (text);
  if (n > 8192)
    goto bad;

  b64 = g_malloc (n + 4);
  for (gsize i = 0; i < n; i++)
    {
      char c = text[i];

      if (c == '-')
        c = '+';
      else if (c == '_')
        c = '/';
      else if (!g_ascii_isalnum (c) && c != '+' && c != '/' && c != '=')
        goto bad;
      b64[i] = c;
    }
  while (n % 4 != 0)
    b64[n++] = '=';
  b64[n] = '\0';

  raw = g_base64_decode (b64, &len);
  if (raw == NULL || len == 0)
    goto bad;

  if (parse_canonical_cursor ((const char *) raw, len, positions, bases))
    return g_steal_pointer (&positions);

  root = buurten_json_parse ((const char *) raw, (gssize) len, 4, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    goto bad;
  object = json_node_get_object (root);
  if (!buurten_json_get_int (object, "cursor", "v", TRUE, &version, NULL))
    goto bad;
  if (version != CURSOR_VERSION)
    {
      *out_version_ok = FALSE;
      return g_steal_pointer (&positions);
    }
  if (!read_positions (object, "p", TRUE, positions) ||
      !read_positions (object, "b", FALSE, bases))
    goto bad;

  return g_steal_pointer (&positions);

bad:
  g_set_error_literal (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_PARSE,
                       "cursor: not a cursor of this server; pull without one to start over");
  return NULL;
}

void
reset_response (BuurtenCall  *call,
                GPtrArray    *scopes,
                const gint64 *positions,
                const gint64 *bases,
                GPtrArray    *reset,
                const char   *why)
{
  g_autoptr(GString) out = g_string_new ("{\"cursor\":");
  g_autofree char *cursor = encode_cursor (scopes, positions, bases);

  append_json_string (out, cursor);
  g_string_append (out, ",\"more\":true,\"changes\":[],\"conflicts\":[],\"reset\":{\"wijken\":[");
  for (guint i = 0; i < reset->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      append_json_string (out, g_ptr_array_index (reset, i));
    }
  g_string_append (out, "],\"why\":");
  append_json_string (out, why);
  g_string_append (out, "}}");

  buurten_call_take_response (call, 200, g_string_free (g_steal_pointer (&out), FALSE));
}

