/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-server"

#include "config.h"

#include "buurten-api.h"

#include <string.h>

#include "buurten-admission.h"
#include "buurten-ledger-feed.h"
#include "buurten-residents.h"
#include "buurten-visibility.h"

/* ---- the public thermometer ---------------------------------------------- */

static gboolean
parse_year (const char *text,
            int        *out_year)
{
  char *end = NULL;
  gint64 value;

  if (text == NULL || *text == '\0' || strlen (text) > 4)
    return FALSE;
  value = g_ascii_strtoll (text, &end, 10);
  if (*end != '\0' || !g_ascii_isdigit (text[0]) || value < 1900 || value > 9999)
    return FALSE;

  *out_year = (int) value;
  return TRUE;
}

void
buurten_api_thermometer (BuurtenCall *call,
                         PGconn      *conn)
{
  BuurtenMunicipality *municipality = call->context->municipality;
  g_autoptr(GError) error = NULL;
  g_autoptr(BuurtenLedger) ledger = NULL;
  g_autoptr(GPtrArray) city = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  const char *year_text = call->query != NULL ? g_hash_table_lookup (call->query, "year") : NULL;
  gint64 total = 0;
  int year = g_date_time_get_year (now);

  if (year_text != NULL && !parse_year (year_text, &year))
    {
      buurten_call_set_error (call, 422, BUURTEN_CODE_VALIDATION,
                              "year: expected a year such as 2021");
      return;
    }

  if (buurten_municipality_get_budget_table (municipality, year) == NULL)
    {
      buurten_call_set_error (call, 404, BUURTEN_CODE_NOT_FOUND,
                              "There is no budget for %d.", year);
      return;
    }

  ledger = buurten_load_ledger (conn, municipality, year, &error);
  if (ledger == NULL)
    {
      buurten_call_set_gerror (call, error);
      return;
    }

  city = buurten_ledger_city (ledger, &total);

  /* Open data: approved and spent are public, pending amounts are not
   * (they are decisions not yet taken), so pending_cents is always 0 here
   * and free_cents is the budget minus what was approved. */
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "year");
  json_builder_add_int_value (builder, year);
  json_builder_set_member_name (builder, "currency");
  json_builder_add_string_value (builder, "EUR");

  json_builder_set_member_name (builder, "wijken");
  json_builder_begin_array (builder);
  for (guint i = 0; i < city->len; i++)
    {
      const BuurtenThermometer *t = g_ptr_array_index (city, i);

      if (buurten_municipality_lookup_wijk (municipality, t->id) == NULL)
        continue;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, t->id);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, t->name);
      json_builder_set_member_name (builder, "budget_cents");
      json_builder_add_int_value (builder, t->budget_cents);
      json_builder_set_member_name (builder, "approved_cents");
      json_builder_add_int_value (builder, t->approved_cents);
      json_builder_set_member_name (builder, "pending_cents");
      json_builder_add_int_value (builder, 0);
      json_builder_set_member_name (builder, "spent_cents");
      json_builder_add_int_value (builder, t->spent_cents);
      json_builder_set_member_name (builder, "free_cents");
      json_builder_add_int_value (builder, t->budget_cents - t->approved_cents);
      json_builder_set_member_name (builder, "themes");
      json_builder_begin_array (builder);
      for (guint j = 0; t->themes != NULL && j < t->themes->len; j++)
        {
          const BuurtenThemeShare *share = g_ptr_array_index (t->themes, j);

          if (share->approved_cents == 0)
            continue;
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "theme");
          json_builder_add_string_value (builder, share->theme);
          json_builder_set_member_name (builder, "approved_cents");
          json_builder_add_int_value (builder, share->approved_cents);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "pots");
  json_builder_begin_array (builder);
  for (guint i = 0; i < city->len; i++)
    {
      const BuurtenThermometer *t = g_ptr_array_index (city, i);

      if (buurten_municipality_lookup_wijk (municipality, t->id) != NULL)
        continue;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, t->id);
      json_builder_set_member_name (builder, "budget_cents");
      json_builder_add_int_value (builder, t->budget_cents);
      json_builder_set_member_name (builder, "approved_cents");
      json_builder_add_int_value (builder, t->approved_cents);
      json_builder_set_member_name (builder, "spent_cents");
      json_builder_add_int_value (builder, t->spent_cents);
      json_builder_set_member_name (builder, "free_cents");
      json_builder_add_int_value (builder, t->budget_cents - t->approved_cents);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "total_budget_cents");
  json_builder_add_int_value (builder, total);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  buurten_call_set_json (call, 200, root);
}

/* ---- one object by its id -------------------------------------------------- */

void
buurten_api_object (BuurtenCall *call,
                    PGconn      *conn)
{
  BuurtenMunicipality *municipality = call->context->municipality;
  g_autoptr(BuurtenUser) user = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) result = NULL;
  g_autoptr(JsonNode) data = NULL;
  g_autoptr(JsonNode) versions = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_auto(GStrv) parts = NULL;
  g_autofree char *object = NULL;
  const BuurtenEntityInfo *info;
  const char *scope;
  gboolean staff, partner_sees = FALSE;

  user = buurten_call_authenticate (call, conn);
  if (user == NULL)
    return;

  /* /api/v1/objects/<type>/<id> */
  parts = g_strsplit (call->path + strlen ("/api/v1/objects/"), "/", -1);
  if (g_strv_length (parts) != 2 ||
      (info = buurten_entity_info_lookup (parts[0])) == NULL ||
      !buurten_uuid_is_valid (parts[1]))
    {
      buurten_call_set_error (call, 404, BUURTEN_CODE_NOT_FOUND,
                              "Use /api/v1/objects/<type>/<uuid>.");
      return;
    }

  object = g_strdup_printf ("%s:%s", info->name, parts[1]);
  result = BUURTEN_DB_EXEC (conn, &error,
                            "SELECT scope, version, deleted, data::text, versions::text"
                            " FROM objects WHERE id = $1::uuid AND type = $2",
                            parts[1], info->name);
  if (result == NULL)
    {
      buurten_call_set_gerror (call, error);
      return;
    }

  if (PQntuples (result) == 0)
    {
      buurten_call_set_error (call, 404, BUURTEN_CODE_NOT_FOUND, "There is no such %s.",
                              info->name);
      return;
    }

  scope = buurten_db_get (result, 0, 0);
  data = buurten_json_parse (buurten_db_get (result, 0, 3), -1, 16, &error);
  versions = buurten_json_parse (buurten_db_get (result, 0, 4), -1, 16, &error);
  if (data == NULL || versions == NULL)
    {
      buurten_call_set_gerror (call, error);
      return;
    }

  staff = buurten_grants_staff_in (user->grants, municipality, scope);
  if (!staff && buurten_grants_partner_in (user->grants, municipality, scope))
    partner_sees = buurten_partner_may_see (info, json_node_get_object (data),
                                                 user->username);

  if (!staff && !partner_sees)
    {
      buurten_audit (conn, user->username, "read", object, "forbidden", call->origin);
      buurten_call_set_error (call, 403, BUURTEN_CODE_FORBIDDEN,
                              "You have no access to this %s.", info->name);
      return;
    }

  /* A partner sees neither the personal fields nor when they changed. */
  if (!staff)
    {
      buurten_strip_personal (info, json_node_get_object (data));
      if (JSON_NODE_HOLDS_OBJECT (versions))
        buurten_strip_personal (info, json_node_get_object (versions));
    }
  else
    buurten_audit_object_read (conn, user->username, call->origin, info,
                               json_node_get_object (data), object);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, info->name);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, parts[1]);
  json_builder_set_member_name (builder, "wijk");
  json_builder_add_string_value (builder, scope);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, buurten_db_get_int (result, 0, 1));
  json_builder_set_member_name (builder, "deleted");
  json_builder_add_boolean_value (builder, g_strcmp0 (buurten_db_get (result, 0, 2), "t") == 0);
  json_builder_set_member_name (builder, "row");
  json_builder_add_value (builder, g_steal_pointer (&data));
  json_builder_set_member_name (builder, "versions");
  json_builder_add_value (builder, g_steal_pointer (&versions));
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  buurten_call_set_json (call, 200, root);
}

/* ---- blobs ------------------------------------------------------------------- */

/* The wijken where the user is staff, as a PostgreSQL text[] literal: a
 * blob stored for one of them may be read. */
static char *
staff_wijken_array (const BuurtenUser   *user,
                    BuurtenMunicipality *municipality)
{
  GPtrArray *wijken = buurten_municipality_get_wijken (municipality);
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();

  for (guint i = 0; i < wijken->len; i++)
    {
      const BuurtenWijk *wijk = g_ptr_array_index (wijken, i);

      if (buurten_grants_staff_in (user->grants, municipality, wijk->id))
        g_ptr_array_add (ids, wijk->id);
    }

  return buurten_db_text_array (ids);
}

/* Whether a blob of size bytes may be stored for wijk (or, without a
 * wijk, by the user): what is stored for it already, plus this blob
 * unless it is among them, stays within the quota. Sets 507 or an error
 * otherwise. Called in the upload's transaction: the lock per wijk lasts
 * until it ends, so parallel uploads cannot pass the quota together. */
static gboolean
blob_within_quota (BuurtenCall *call,
                   PGconn      *conn,
                   const char  *wijk,
                   const char  *user_id,
                   const char  *hash,
                   gsize        size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) locked = NULL;
  g_autoptr(PGresult) used = NULL;
  gint64 quota = call->context->blob_quota > 0
    ? call->context->blob_quota : (gint64) BUURTEN_BLOB_QUOTA_DEFAULT_MIB * 1024 * 1024;
  gint64 total;

  /* "blob" in ASCII, and the wijk or the user. */
  locked = BUURTEN_DB_EXEC (conn, &error,
                            "SELECT pg_advisory_xact_lock (1651273570,"
                            " hashtext (coalesce ('wijk:' || $1, 'user:' || $2)))",
                            wijk, user_id);
  if (locked == NULL)
    {
      buurten_call_set_gerror (call, error);
      return FALSE;
    }

  /* A statement of its own: it sees what was committed while it waited. */
  used = BUURTEN_DB_EXEC (conn, &error,
                          "SELECT coalesce (sum (b.size), 0),"
                          " coalesce (bool_or (b.sha256 = $3), false)"
                          " FROM blobs b WHERE b.sha256 IN (SELECT r.sha256 FROM blob_refs r"
                          "  WHERE ($1::text IS NOT NULL AND r.wijk = $1)"
                          "  OR ($1::text IS NULL AND r.wijk IS NULL AND r.user_id = $2::bigint))",
                          wijk, user_id, hash);
  if (used == NULL)
    {
      buurten_call_set_gerror (call, error);
      return FALSE;
    }

  total = buurten_db_get_int (used, 0, 0);
  if (g_strcmp0 (buurten_db_get (used, 0, 1), "t") == 0 || total + (gint64) size <= quota)
    return TRUE;

  buurten_call_set_error (call, 507, BUURTEN_CODE_QUOTA,
                          "The files stored for %s take %" G_GINT64_FORMAT " of the %"
                          G_GINT64_FORMAT " MiB allowed: this one does not fit.",
                          wijk != NULL ? wijk : "you", total / (1024 * 1024),
                          quota / (1024 * 1024));
  return FALSE;
}

void
buurten_api_blob_put (BuurtenCall *call,
                      PGconn      *conn)
{
  BuurtenMunicipality *municipality = call->context->municipality;
  g_autoptr(BuurtenUser) user = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) result = NULL;
  g_autoptr(PGresult) ref = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *actual = NULL;
  g_autofree char *user_id = NULL;
  g_autofree char *object = NULL;
  const char *wijk = NULL;
  BuurtenBlobPutRight right;
  const guchar *data;
  gsize size = 0;
  const char *values[4];
  int lengths[4] = { 0, };
  int formats[4] = { 0, 0, 1, 0 };

  user = buurten_call_authenticate (call, conn);
  if (user == NULL)
    return;

  hash = buurten_blob_hash_from_path (call->path);
  if (hash == NULL)
    {
      buurten_call_set_error (call, 404, BUURTEN_CODE_NOT_FOUND,
                              "Use /api/v1/blobs/<sha256 in hex>.");
      return;
    }

  if (call->query != NULL)
    wijk = g_hash_table_lookup (call->query, "wijk");
  object = wijk != NULL && buurten_municipality_lookup_wijk (municipality, wijk) != NULL
    ? g_strconcat (hash, " wijk:", wijk, NULL) : g_strdup (hash);

  /* Checked before the body was read too (buurten-admission.c); again
   * here, with the session as it is now. */
  right = buurten_blob_put_right (user, municipality, wijk);
  if (right != BUURTEN_BLOB_PUT_ALLOWED)
    {
      buurten_blob_put_refuse (call, conn, user, right, object, wijk);
      return;
    }

  data = call->body != NULL ? g_bytes_get_data (call->body, &size) : NULL;
  if (size == 0)
    {
      buurten_call_set_error (call, 400, BUURTEN_CODE_MALFORMED, "The request has no body.");
      return;
    }

  actual = g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, size);
  if (!g_str_equal (actual, hash))
    {
      buurten_call_set_error (call, 422, BUURTEN_CODE_VALIDATION,
                              "The body's SHA-256 is not the one in the path.");
      return;
    }

  if (!buurten_db_command (conn, "BEGIN", &error))
    {
      buurten_call_set_gerror (call, error);
      return;
    }

  user_id = g_strdup_printf ("%" G_GINT64_FORMAT, user->id);
  if (!blob_within_quota (call, conn, wijk, user_id, hash, size))
    {
      buurten_db_rollback (conn);
      return;
    }

  /* The one binary parameter: passed as bytes, never as text. */
  values[0] = hash;
  values[1] = call->response_type;
  values[2] = (const char *) data;
  lengths[2] = (int) size;
  values[3] = user_id;
  result = PQexecParams (conn,
                         "INSERT INTO blobs (sha256, content_type, data, created_by)"
                         " VALUES ($1, $2, $3::bytea, $4::bigint) ON CONFLICT (sha256) DO NOTHING",
                         4, NULL, values, lengths, formats, 0);
  if (PQresultStatus (result) != PGRES_COMMAND_OK)
    {
      g_set_error (&error, BUURTEN_DB_ERROR, BUURTEN_DB_ERROR_QUERY, "%s",
                   PQresultErrorMessage (result));
      buurten_db_rollback (conn);
      buurten_call_set_gerror (call, error);
      return;
    }

  /* Who stored it, for which wijk: every upload, also of bytes that were
   * there already (whoever has the bytes may read them). */
  ref = BUURTEN_DB_EXEC (conn, &error,
                         "INSERT INTO blob_refs (sha256, user_id, wijk)"
                         " VALUES ($1, $2::bigint, $3) ON CONFLICT DO NOTHING",
                         hash, user_id, wijk);
  if (ref == NULL || !buurten_db_command (conn, "COMMIT", &error))
    {
      buurten_db_rollback (conn);
      buurten_call_set_gerror (call, error);
      return;
    }

  buurten_audit (conn, user->username, "blob.put", object, "ok", call->origin);
  g_clear_pointer (&call->response_type, g_free);
  buurten_call_take_response (call, 201, g_strdup_printf ("{\"sha256\":\"%s\",\"size\":%"
                                                          G_GSIZE_FORMAT "}", hash, size));
}

void
buurten_api_blob_get (BuurtenCall *call,
                      PGconn      *conn)
{
  g_autoptr(BuurtenUser) user = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) result = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *user_id = NULL;
  g_autofree char *wijken = NULL;
  const char *values[3];

  user = buurten_call_authenticate (call, conn);
  if (user == NULL)
    return;

  hash = buurten_blob_hash_from_path (call->path);
  if (hash == NULL)
    {
      buurten_call_set_error (call, 404, BUURTEN_CODE_NOT_FOUND,
                              "Use /api/v1/blobs/<sha256 in hex>.");
      return;
    }

  if (!buurten_staff_anywhere (user->grants))
    {
      buurten_audit (conn, user->username, "blob.get", hash, "forbidden", call->origin);
      buurten_call_set_error (call, 403, BUURTEN_CODE_FORBIDDEN, "You have no access to files.");
      return;
    }

  /* Whether the user may read it is decided with the read: the bytes come
   * back only when the user stored the blob or is staff in a wijk it was
   * stored for. */
  user_id = g_strdup_printf ("%" G_GINT64_FORMAT, user->id);
  wijken = staff_wijken_array (user, call->context->municipality);
  values[0] = hash;
  values[1] = user_id;
  values[2] = wijken;
  /* Binary result: the bytes as they are. */
  result = PQexecParams (conn,
                         "SELECT b.content_type, CASE WHEN a.allowed THEN b.data END, a.allowed"
                         " FROM blobs b, LATERAL (SELECT EXISTS (SELECT 1 FROM blob_refs r"
                         "  WHERE r.sha256 = b.sha256 AND (r.user_id = $2::bigint"
                         "  OR r.wijk = ANY ($3::text[]))) AS allowed) a"
                         " WHERE b.sha256 = $1",
                         3, NULL, values, NULL, NULL, 1);
  if (PQresultStatus (result) != PGRES_TUPLES_OK)
    {
      g_set_error (&error, BUURTEN_DB_ERROR, BUURTEN_DB_ERROR_QUERY, "%s",
                   PQresultErrorMessage (result));
      buurten_call_set_gerror (call, error);
      return;
    }

  /* A blob that is not there and one the user may not read get the same
   * answer, and both an audit line, so that neither the answer nor its
   * time tells whether the blob exists. (A binary boolean is one byte.) */
  if (PQntuples (result) == 0 ||
      PQgetlength (result, 0, 2) != 1 || PQgetvalue (result, 0, 2)[0] != 1)
    {
      buurten_audit (conn, user->username, "blob.get", hash,
                     PQntuples (result) == 0 ? "not_found" : "forbidden", call->origin);
      buurten_call_set_error (call, 404, BUURTEN_CODE_NOT_FOUND,
                              "There is no such file, or you may not read it.");
      return;
    }

  call->status = 200;
  g_free (call->response_type);
  call->response_type = g_strndup (PQgetvalue (result, 0, 0), PQgetlength (result, 0, 0));
  call->response_bytes = g_bytes_new (PQgetvalue (result, 0, 1), PQgetlength (result, 0, 1));
}

/* ---- retention ------------------------------------------------------------------ */

gboolean
buurten_purge (PGconn              *conn,
               BuurtenPurgeCounts  *counts,
               GError             **error)
{
  g_autoptr(PGresult) purged = NULL;
  g_autoptr(PGresult) results = NULL;
  g_autoptr(PGresult) sessions = NULL;
  g_autoptr(PGresult) failures = NULL;
  g_autofree char *days = g_strdup_printf ("%d", BUURTEN_TOMBSTONE_DAYS);
  g_autofree char *result_days = g_strdup_printf ("%d", BUURTEN_RESULT_DAYS);
  BuurtenPurgeCounts local = { 0, };

  g_return_val_if_fail (conn != NULL, FALSE);

  if (counts == NULL)
    counts = &local;
  memset (counts, 0, sizeof *counts);

  if (!buurten_db_command (conn, "BEGIN", error))
    return FALSE;

  /* Tombstones older than the retention period go, with the change-log
   * rows of those objects; each scope remembers the newest seq it lost, so
   * that a cursor from before it gets a reset. Only leaves are ever
   * deleted (notes, agenda items, themes), so no child loses its parent. */
  purged = BUURTEN_DB_EXEC (conn, error,
                            "WITH gone AS ("
                            "  DELETE FROM objects WHERE deleted"
                            "  AND deleted_at < now () - make_interval (days => $1::integer)"
                            "  RETURNING id),"
                            " log AS ("
                            "  DELETE FROM changes WHERE object_id IN (SELECT id FROM gone)"
                            "  RETURNING scope, seq),"
                            " clocks AS ("
                            "  UPDATE change_clocks c"
                            "  SET purged_seq = greatest (c.purged_seq, m.seq)"
                            "  FROM (SELECT scope, max (seq) AS seq FROM log GROUP BY scope) m"
                            "  WHERE c.scope = m.scope RETURNING 1)"
                            " SELECT (SELECT count (*) FROM gone), (SELECT count (*) FROM clocks)",
                            days);
  if (purged == NULL)
    goto fail;
  counts->tombstones = buurten_db_get_int (purged, 0, 0);

  /* Results of mutations: a client replays a push only until it has its
   * answer, which is long before this. The last result of each client
   * stays, so that last_mid always has its result. */
  results = BUURTEN_DB_EXEC (conn, error,
                             "DELETE FROM mutation_results r"
                             " WHERE r.at < now () - make_interval (days => $1::integer)"
                             " AND r.mid < (SELECT c.last_mid FROM clients c"
                             "  WHERE c.client_id = r.client_id)",
                             result_days);
  if (results == NULL)
    goto fail;
  counts->mutation_results = g_ascii_strtoll (PQcmdTuples (results), NULL, 10);

  sessions = buurten_db_exec (conn, "DELETE FROM sessions WHERE expires_at < now () - "
                              "interval '1 day'", 0, NULL, error);
  if (sessions == NULL)
    goto fail;
  counts->sessions = g_ascii_strtoll (PQcmdTuples (sessions), NULL, 10);

  /* Login counters whose window ended long ago (the window is 15
   * minutes; a day keeps them for a look after an incident). */
  failures = buurten_db_exec (conn, "DELETE FROM login_counters WHERE window_start < now () - "
                              "interval '1 day'", 0, NULL, error);
  if (failures == NULL)
    goto fail;
  counts->login_failures = g_ascii_strtoll (PQcmdTuples (failures), NULL, 10);

  if (!buurten_db_command (conn, "COMMIT", error))
    goto fail;

  return TRUE;

fail:
  buurten_db_rollback (conn);
  memset (counts, 0, sizeof *counts);
  return FALSE;
}
