/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-server"

#include "config.h"

#include "buurten-call.h"

#include "buurten-visibility.h"

#include <sodium.h>
#include <string.h>

/* ---- users ---------------------------------------------------------------- */

void
buurten_user_free (BuurtenUser *user)
{
  if (user == NULL)
    return;

  g_free (user->username);
  g_free (user->grants_key);
  g_clear_pointer (&user->grants, g_ptr_array_unref);
  g_free (user);
}

BuurtenUser *
buurten_user_copy (const BuurtenUser *user)
{
  BuurtenUser *copy = g_new0 (BuurtenUser, 1);

  copy->id = user->id;
  copy->username = g_strdup (user->username);
  copy->grants_key = g_strdup (user->grants_key);
  copy->grants = buurten_grants_copy (user->grants);

  return copy;
}

/* ---- the session cache ------------------------------------------------------ */

#define SESSION_CACHE_MAX 10000

struct _BuurtenSessionCache
{
  GMutex      mutex;
  GHashTable *entries;   /* token hash -> Entry* */
};

typedef struct
{
  BuurtenUser         *user;
  BuurtenPullIdentity *identity;    /* made at the first fast pull */
  gint64               expires_at;  /* real time, seconds */
  gint64               cached_at;   /* monotonic, microseconds */
} CacheEntry;

static void
cache_entry_free (gpointer data)
{
  CacheEntry *entry = data;

  buurten_user_free (entry->user);
  g_clear_pointer (&entry->identity, buurten_pull_identity_unref);
  g_free (entry);
}

BuurtenSessionCache *
buurten_session_cache_new (void)
{
  BuurtenSessionCache *cache = g_new0 (BuurtenSessionCache, 1);

  g_mutex_init (&cache->mutex);
  cache->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, cache_entry_free);
  return cache;
}

void
buurten_session_cache_free (BuurtenSessionCache *cache)
{
  if (cache == NULL)
    return;

  g_hash_table_unref (cache->entries);
  g_mutex_clear (&cache->mutex);
  g_free (cache);
}

static void
session_cache_store (BuurtenSessionCache *cache,
                     const char          *token_hash,
                     const BuurtenUser   *user,
                     gint64               expires_at)
{
  CacheEntry *entry;

  if (cache == NULL)
    return;

  entry = g_new0 (CacheEntry, 1);
  entry->user = buurten_user_copy (user);
  entry->expires_at = expires_at;
  entry->cached_at = g_get_monotonic_time ();

  g_mutex_lock (&cache->mutex);
  if (g_hash_table_size (cache->entries) >= SESSION_CACHE_MAX)
    g_hash_table_remove_all (cache->entries);
  g_hash_table_replace (cache->entries, g_strdup (token_hash), entry);
  g_mutex_unlock (&cache->mutex);
}

/* The entry of a session that is still remembered. Called locked. */
static CacheEntry *
session_cache_find (BuurtenSessionCache *cache,
                    const char          *token_hash)
{
  CacheEntry *entry = g_hash_table_lookup (cache->entries, token_hash);

  if (entry != NULL &&
      (g_get_real_time () / G_USEC_PER_SEC >= entry->expires_at ||
       g_get_monotonic_time () - entry->cached_at >
       (gint64) BUURTEN_SESSION_CACHE_SECONDS * G_USEC_PER_SEC))
    {
      g_hash_table_remove (cache->entries, token_hash);
      entry = NULL;
    }

  return entry;
}

BuurtenUser *
buurten_session_cache_lookup (BuurtenSessionCache *cache,
                              const char          *token_hash)
{
  BuurtenUser *user = NULL;
  CacheEntry *entry;

  if (cache == NULL)
    return NULL;

  g_mutex_lock (&cache->mutex);
  entry = session_cache_find (cache, token_hash);
  if (entry != NULL)
    user = buurten_user_copy (entry->user);
  g_mutex_unlock (&cache->mutex);

  return user;
}

BuurtenPullIdentity *
buurten_session_cache_lookup_pull (BuurtenSessionCache *cache,
                                   const char          *token_hash,
                                   BuurtenMunicipality *municipality)
{
  BuurtenPullIdentity *identity = NULL;
  CacheEntry *entry;

  if (cache == NULL)
    return NULL;

  g_mutex_lock (&cache->mutex);
  entry = session_cache_find (cache, token_hash);
  if (entry != NULL)
    {
      if (entry->identity == NULL)
        entry->identity = buurten_pull_identity_new (entry->user, municipality);
      identity = buurten_pull_identity_ref (entry->identity);
    }
  g_mutex_unlock (&cache->mutex);

  return identity;
}

void
buurten_session_cache_forget (BuurtenSessionCache *cache,
                              const char          *token_hash)
{
  if (cache == NULL)
    return;

  g_mutex_lock (&cache->mutex);
  g_hash_table_remove (cache->entries, token_hash);
  g_mutex_unlock (&cache->mutex);
}

JsonNode *
buurten_user_to_json (const BuurtenUser   *user,
                      BuurtenMunicipality *municipality)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  GPtrArray *wijken = buurten_municipality_get_wijken (municipality);
  gboolean seen[BUURTEN_N_ROLES] = { FALSE, };

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "username");
  json_builder_add_string_value (builder, user->username);

  json_builder_set_member_name (builder, "roles");
  json_builder_begin_array (builder);
  for (guint i = 0; i < user->grants->len; i++)
    {
      const BuurtenGrant *grant = g_ptr_array_index (user->grants, i);

      if (!seen[grant->role])
        json_builder_add_string_value (builder, buurten_role_ids[grant->role]);
      seen[grant->role] = TRUE;
    }
  json_builder_end_array (builder);

  /* The wijken where the user holds any role, in file order. */
  json_builder_set_member_name (builder, "wijken");
  json_builder_begin_array (builder);
  for (guint i = 0; i < wijken->len; i++)
    {
      const BuurtenWijk *wijk = g_ptr_array_index (wijken, i);

      for (guint j = 0; j < user->grants->len; j++)
        {
          const BuurtenGrant *grant = g_ptr_array_index (user->grants, j);

          if (grant->wijk == NULL || g_str_equal (grant->wijk, wijk->id))
            {
              json_builder_add_string_value (builder, wijk->id);
              break;
            }
        }
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "grants");
  json_builder_add_value (builder, buurten_grants_to_json (user->grants));

  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}


BuurtenPullIdentity *
buurten_pull_identity_new (const BuurtenUser   *user,
                           BuurtenMunicipality *municipality)
{
  BuurtenPullIdentity *identity;

  g_return_val_if_fail (user != NULL, NULL);
  g_return_val_if_fail (municipality != NULL, NULL);

  identity = g_atomic_rc_box_new0 (BuurtenPullIdentity);
  identity->user_id = user->id;
  identity->username = g_strdup (user->username);
  identity->grants_key = g_strdup (user->grants_key);
  identity->scopes = buurten_visible_scopes (user->grants, municipality);
  identity->scope_array = buurten_db_text_array (identity->scopes);
  identity->partner_array = buurten_partner_flags (user->grants, municipality, identity->scopes);
  return identity;
}

BuurtenPullIdentity *
buurten_pull_identity_ref (BuurtenPullIdentity *identity)
{
  g_return_val_if_fail (identity != NULL, NULL);

  return g_atomic_rc_box_acquire (identity);
}

static void
pull_identity_clear (gpointer data)
{
  BuurtenPullIdentity *identity = data;

  g_free (identity->username);
  g_free (identity->grants_key);
  g_ptr_array_unref (identity->scopes);
  g_free (identity->scope_array);
  g_free (identity->partner_array);
}

void
buurten_pull_identity_unref (BuurtenPullIdentity *identity)
{
  if (identity != NULL)
    g_atomic_rc_box_release_full (identity, pull_identity_clear);
}

/* ---- calls ---------------------------------------------------------------- */

void
buurten_call_free (BuurtenCall *call)
{
  if (call == NULL)
    return;

  g_free (call->method);
  g_free (call->path);
  g_clear_pointer (&call->query, g_hash_table_unref);
  g_clear_pointer (&call->body, g_bytes_unref);
  if (call->token != NULL)
    memset (call->token, 0, strlen (call->token));
  g_free (call->token);
  g_free (call->origin);
  g_free (call->response);
  g_clear_pointer (&call->response_bytes, g_bytes_unref);
  g_free (call->response_type);
  g_free (call->retry_after);
  g_free (call->link);
  g_free (call);
}

char *
buurten_error_json (const char *code,
                    const char *message)
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
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  return buurten_json_to_string (root);
}

void
buurten_call_take_response (BuurtenCall *call,
                            guint        status,
                            char        *json)
{
  g_free (call->response);
  call->response = json;
  call->status = status;
}

void
buurten_call_set_error (BuurtenCall *call,
                        guint        status,
                        const char  *code,
                        const char  *format,
                        ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  buurten_call_take_response (call, status, buurten_error_json (code, message));
}

void
buurten_call_set_gerror (BuurtenCall  *call,
                         const GError *error)
{
  if (error->domain == BUURTEN_CORE_ERROR)
    {
      const char *code = buurten_core_error_code_name (error->code);
      guint status;

      switch (error->code)
        {
        case BUURTEN_CORE_ERROR_PARSE:
          status = 400;
          break;
        case BUURTEN_CORE_ERROR_FORBIDDEN:
          status = 403;
          break;
        case BUURTEN_CORE_ERROR_NOT_FOUND:
          status = 404;
          break;
        case BUURTEN_CORE_ERROR_INVALID_STATE:
          status = 409;
          break;
        default:
          status = 422;
          break;
        }
      buurten_call_set_error (call, status, code, "%s", error->message);
      return;
    }

  if (error->domain == BUURTEN_DB_ERROR)
    {
      /* The details stay in the server's log, not in the response. */
      g_warning ("database: %s", error->message);
      buurten_call_set_error (call, 503, BUURTEN_CODE_UNAVAILABLE,
                              "The database is not available; try again later.");
      return;
    }

  g_warning ("internal: %s", error->message);
  buurten_call_set_error (call, 500, BUURTEN_CODE_INTERNAL, "Internal error.");
}

void
buurten_call_set_json (BuurtenCall *call,
                       guint        status,
                       JsonNode    *node)
{
  buurten_call_take_response (call, status, buurten_json_to_string (node));
}

char *
buurten_token_hash (const char *token)
{
  guchar digest[crypto_hash_sha256_BYTES];
  char *hex = g_malloc (sizeof digest * 2 + 1);

  g_return_val_if_fail (token != NULL, NULL);

  /* libsodium: no allocations, a fraction of GChecksum's cost (every
   * request with a token hashes it). */
  crypto_hash_sha256 (digest, (const guchar *) token, strlen (token));
  sodium_bin2hex (hex, sizeof digest * 2 + 1, digest, sizeof digest);
  return hex;
}

char *
buurten_format_time (gint64 unix_seconds)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (unix_seconds);

  if (time == NULL)
    return NULL;

  return g_date_time_format (time, "%Y-%m-%dT%H:%M:%SZ");
}

BuurtenUser *
buurten_call_authenticate (BuurtenCall *call,
                           PGconn      *conn)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) result = NULL;
  g_autofree char *hash = NULL;
  g_autoptr(BuurtenUser) user = NULL;
  g_auto(GStrv) grants = NULL;
  const char *grant_text;

  if (call->token == NULL)
    {
      buurten_call_set_error (call, 401, BUURTEN_CODE_UNAUTHORIZED,
                              "Log in first: this needs an Authorization: Bearer token.");
      return NULL;
    }

  hash = buurten_token_hash (call->token);

  /* One round trip: the session, its user and the user's roles. */
  result = BUURTEN_DB_EXEC (conn, &error,
                            "SELECT u.id, u.username, " BUURTEN_GRANTS_KEY_SQL ","
                            " extract (epoch FROM s.expires_at)::bigint"
                            " FROM sessions s JOIN users u ON u.id = s.user_id"
                            " WHERE s.token_hash = decode ($1, 'hex')"
                            " AND s.revoked_at IS NULL AND s.expires_at > now ()"
                            " AND NOT u.disabled",
                            hash);
  if (result == NULL)
    {
      buurten_call_set_gerror (call, error);
      return NULL;
    }

  if (PQntuples (result) != 1)
    {
      buurten_session_cache_forget (call->context->sessions, hash);
      buurten_call_set_error (call, 401, BUURTEN_CODE_UNAUTHORIZED,
                              "The session is not valid: it expired or was ended. "
                              "Log in again.");
      return NULL;
    }

  user = g_new0 (BuurtenUser, 1);
  user->id = buurten_db_get_int (result, 0, 0);
  user->username = g_strdup (buurten_db_get (result, 0, 1));
  user->grants = buurten_grants_new ();

  grant_text = buurten_db_get (result, 0, 2);
  user->grants_key = g_strdup (grant_text);
  grants = g_strsplit (grant_text != NULL ? grant_text : "", ",", -1);
  for (guint i = 0; grants[i] != NULL; i++)
    {
      char *colon = strchr (grants[i], ':');
      int role;

      if (colon == NULL)
        continue;
      *colon = '\0';
      role = buurten_enum_from_id (buurten_role_ids, grants[i]);
      if (role < 0)
        continue;

      g_ptr_array_add (user->grants, buurten_grant_new (role, colon[1] != '\0' ? colon + 1 : NULL));
    }

  session_cache_store (call->context->sessions, hash, user, buurten_db_get_int (result, 0, 3));
  call->user_id = user->id;
  return g_steal_pointer (&user);
}

JsonObject *
buurten_call_parse_body (BuurtenCall *call)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  gsize size = 0;
  const char *data = NULL;

  if (call->body != NULL)
    data = g_bytes_get_data (call->body, &size);

  if (data == NULL || size == 0)
    {
      buurten_call_set_error (call, 400, BUURTEN_CODE_MALFORMED, "The request has no body.");
      return NULL;
    }

  /* Size, UTF-8 and depth are checked by a linear scan before json-glib
   * sees a byte (json-glib 1.6 crashes on very deep input). */
  root = buurten_json_parse (data, (gssize) size, BUURTEN_API_MAX_DEPTH, &error);
  if (root == NULL)
    {
      buurten_call_set_error (call, 400, BUURTEN_CODE_MALFORMED, "%s", error->message);
      return NULL;
    }

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      buurten_call_set_error (call, 422, BUURTEN_CODE_VALIDATION,
                              "body: expected a JSON object");
      return NULL;
    }

  return json_object_ref (json_node_get_object (root));
}

void
buurten_audit (PGconn     *conn,
               const char *actor,
               const char *action,
               const char *object,
               const char *result,
               const char *origin)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) inserted = NULL;

  /* Through the chain's function: the server's role may not insert
   * into the audit table itself (migration 4). */
  inserted = BUURTEN_DB_EXEC (conn, &error,
                              "SELECT buurten_audit ($1, $2, $3, $4, $5)",
                              actor, action, object, result, origin);
  if (inserted == NULL)
    g_warning ("cannot write the audit line for %s: %s", action, error->message);
}
