/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-server"

#include "config.h"

#include "buurten-api.h"

#include <sodium.h>
#include <string.h>

#define MAX_USERNAME 200
#define MAX_PASSWORD 1024

void
buurten_api_health (BuurtenCall *call,
                    PGconn      *conn)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) result = buurten_db_exec (conn, "SELECT 1", 0, NULL, &error);

  if (result == NULL)
    {
      buurten_call_set_gerror (call, error);
      return;
    }

  buurten_call_take_response (call, 200, g_strdup ("{\"status\":\"ok\"}"));
}

/* A hash to verify against when the user does not exist, so that a wrong
 * username takes as long as a wrong password. */
static const char *
dummy_hash (void)
{
  static char hash[crypto_pwhash_STRBYTES];
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      char password[32];

      randombytes_buf (password, sizeof password);
      if (crypto_pwhash_str (hash, password, sizeof password,
                             crypto_pwhash_OPSLIMIT_INTERACTIVE,
                             crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        g_error ("out of memory hashing a password");
      sodium_memzero (password, sizeof password);
      g_once_init_leave (&done, 1);
    }

  return hash;
}

static gboolean
login_throttled (BuurtenCall *call,
                 PGconn      *conn,
                 const char  *username,
                 gboolean    *out_throttled)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) result = NULL;
  g_autofree char *user_limit = g_strdup_printf ("%d", BUURTEN_LOGIN_USER_LIMIT);
  g_autofree char *address_limit = g_strdup_printf ("%d", BUURTEN_LOGIN_ADDRESS_LIMIT);
  g_autofree char *window = g_strdup_printf ("%d", BUURTEN_LOGIN_WINDOW_SECONDS);
  gint64 wait_user, wait_address;

  /* For each of the user and the address: when the window lets the next
   * attempt through, as seconds from now (0: not throttled). The n-th most
   * recent failure decides: once it is older than the window, fewer than
   * n remain inside it. */
  result = BUURTEN_DB_EXEC (conn, &error,
                            "SELECT"
                            " coalesce ((SELECT ceil (extract (epoch FROM at"
                            "   + make_interval (secs => $5::integer) - now ()))"
                            "   FROM login_failures WHERE username = $1"
                            "   AND at > now () - make_interval (secs => $5::integer)"
                            "   ORDER BY at DESC OFFSET $3::integer - 1 LIMIT 1), 0),"
                            " coalesce ((SELECT ceil (extract (epoch FROM at"
                            "   + make_interval (secs => $5::integer) - now ()))"
                            "   FROM login_failures WHERE address = $2"
                            "   AND at > now () - make_interval (secs => $5::integer)"
                            "   ORDER BY at DESC OFFSET $4::integer - 1 LIMIT 1), 0)",
                            username, call->origin, user_limit, address_limit, window);
  if (result == NULL)
    {
      buurten_call_set_gerror (call, error);
      return FALSE;
    }

  wait_user = buurten_db_get_int (result, 0, 0);
  wait_address = buurten_db_get_int (result, 0, 1);
  *out_throttled = wait_user > 0 || wait_address > 0;
  if (*out_throttled)
    call->retry_after = g_strdup_printf ("%" G_GINT64_FORMAT, MAX (MAX (wait_user, wait_address),
                                                                   1));
  return TRUE;
}

void
buurten_api_login (BuurtenCall *call,
                   PGconn      *conn)
{
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) found = NULL;
  g_autoptr(PGresult) session = NULL;
  g_autoptr(BuurtenUser) user = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *token = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *lifetime = NULL;
  const char *username = NULL;
  const char *password = NULL;
  const char *stored;
  guchar raw[32];
  gboolean throttled = FALSE;
  gboolean ok;

  body = buurten_call_parse_body (call);
  if (body == NULL)
    return;

  if (!buurten_json_get_string (body, "body", "username", TRUE, &username, &error) ||
      !buurten_json_get_string (body, "body", "password", TRUE, &password, &error))
    {
      buurten_call_set_error (call, 422, BUURTEN_CODE_VALIDATION, "%s", error->message);
      return;
    }

  if (*username == '\0' || strlen (username) > MAX_USERNAME)
    {
      buurten_call_set_error (call, 422, BUURTEN_CODE_VALIDATION,
                              "body.username: between 1 and %d bytes", MAX_USERNAME);
      return;
    }
  if (strlen (password) > MAX_PASSWORD)
    {
      buurten_call_set_error (call, 422, BUURTEN_CODE_VALIDATION,
                              "body.password: at most %d bytes", MAX_PASSWORD);
      return;
    }

  if (!login_throttled (call, conn, username, &throttled))
    return;
  if (throttled)
    {
      buurten_audit (conn, username, "login", NULL, "throttled", call->origin);
      buurten_call_set_error (call, 429, BUURTEN_CODE_TOO_MANY,
                              "Too many failed logins: wait %s seconds and try again.",
                              call->retry_after);
      return;
    }

  found = BUURTEN_DB_EXEC (conn, &error,
                           "SELECT id, password_hash FROM users"
                           " WHERE username = $1 AND NOT disabled",
                           username);
  if (found == NULL)
    {
      buurten_call_set_gerror (call, error);
      return;
    }

  stored = PQntuples (found) == 1 ? buurten_db_get (found, 0, 1) : dummy_hash ();
  ok = crypto_pwhash_str_verify (stored, password, strlen (password)) == 0 &&
       PQntuples (found) == 1;

  if (!ok)
    {
      g_autoptr(PGresult) failed = NULL;

      failed = BUURTEN_DB_EXEC (conn, &error,
                                "INSERT INTO login_failures (username, address) VALUES ($1, $2)",
                                username, call->origin);
      if (failed == NULL)
        {
          buurten_call_set_gerror (call, error);
          return;
        }
      buurten_audit (conn, username, "login", NULL, "failed", call->origin);
      buurten_call_set_error (call, 401, BUURTEN_CODE_UNAUTHORIZED,
                              "Wrong username or password.");
      return;
    }

  /* 256 random bits; only their hash is stored. */
  randombytes_buf (raw, sizeof raw);
  token = g_malloc (sizeof raw * 2 + 1);
  sodium_bin2hex (token, sizeof raw * 2 + 1, raw, sizeof raw);
  sodium_memzero (raw, sizeof raw);
  hash = buurten_token_hash (token);
  lifetime = g_strdup_printf ("%d", BUURTEN_SESSION_LIFETIME_SECONDS);

  session = BUURTEN_DB_EXEC (conn, &error,
                             "INSERT INTO sessions (token_hash, user_id, expires_at)"
                             " VALUES (decode ($1, 'hex'), $2::bigint,"
                             "  now () + make_interval (secs => $3::integer))"
                             " RETURNING to_char (expires_at AT TIME ZONE 'UTC',"
                             "  'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')",
                             hash, buurten_db_get (found, 0, 0), lifetime);
  if (session == NULL)
    {
      buurten_call_set_gerror (call, error);
      return;
    }

  call->token = g_strdup (token);
  user = buurten_call_authenticate (call, conn);
  if (user == NULL)
    return;

  buurten_audit (conn, user->username, "login", NULL, "ok", call->origin);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "token");
  json_builder_add_string_value (builder, token);
  json_builder_set_member_name (builder, "expires_at");
  json_builder_add_string_value (builder, buurten_db_get (session, 0, 0));
  json_builder_set_member_name (builder, "user");
  json_builder_add_value (builder, buurten_user_to_json (user, call->context->municipality));
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  sodium_memzero (token, strlen (token));
  buurten_call_set_json (call, 200, root);
}

void
buurten_api_logout (BuurtenCall *call,
                    PGconn      *conn)
{
  g_autoptr(BuurtenUser) user = buurten_call_authenticate (call, conn);
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) result = NULL;
  g_autofree char *hash = NULL;

  if (user == NULL)
    return;

  hash = buurten_token_hash (call->token);
  buurten_session_cache_forget (call->context->sessions, hash);
  result = BUURTEN_DB_EXEC (conn, &error,
                            "UPDATE sessions SET revoked_at = now ()"
                            " WHERE token_hash = decode ($1, 'hex') AND revoked_at IS NULL",
                            hash);
  if (result == NULL)
    {
      buurten_call_set_gerror (call, error);
      return;
    }

  buurten_audit (conn, user->username, "logout", NULL, "ok", call->origin);
  buurten_call_take_response (call, 200, g_strdup ("{\"revoked\":true}"));
}

void
buurten_api_me (BuurtenCall *call,
                PGconn      *conn)
{
  g_autoptr(BuurtenUser) user = buurten_call_authenticate (call, conn);
  g_autoptr(JsonNode) node = NULL;

  if (user == NULL)
    return;

  node = buurten_user_to_json (user, call->context->municipality);
  buurten_call_set_json (call, 200, node);
}
