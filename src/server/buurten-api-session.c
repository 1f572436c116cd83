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

/* What counting one login attempt found (count_attempt). */
typedef struct
{
  char   *user_id;           /* of a user that exists and is not disabled, or NULL */
  char   *username;          /* as stored */
  char   *password_hash;
  gint64  address_attempts;  /* from this address, at any username, this one included */
  gint64  address_wait;      /* seconds until the address's window ends */
  gint64  pair_attempts;     /* against this user from this address */
  gint64  pair_wait;
  gint64  user_attempts;     /* against this user from anywhere */
  gint64  user_wait;
} Attempt;

static void
attempt_clear (Attempt *attempt)
{
  g_free (attempt->user_id);
  g_free (attempt->username);
  if (attempt->password_hash != NULL)
    sodium_memzero (attempt->password_hash, strlen (attempt->password_hash));
  g_free (attempt->password_hash);
}

/* Looks the user up and counts the attempt, before any password is
 * checked, in one statement: each counter's row is locked while it is
 * incremented, so of many parallel attempts only as many as the limit
 * allows see a count within it. A username that is no user is counted
 * against the address only and stored nowhere. The statement is the same
 * whether the user exists or not. */
static gboolean
count_attempt (BuurtenCall *call,
               PGconn      *conn,
               const char  *username,
               Attempt     *out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) result = NULL;
  g_autofree char *window = g_strdup_printf ("%d", BUURTEN_LOGIN_WINDOW_SECONDS);

  result = BUURTEN_DB_EXEC (conn, &error,
                            "WITH u AS ("
                            "  SELECT id, username, password_hash FROM users"
                            "  WHERE username = $1 AND NOT disabled),"
                            " keys (user_id, address, kind) AS ("
                            "  SELECT 0::bigint, $2::text, 0"
                            "  UNION ALL SELECT id, $2::text, 1 FROM u"
                            "  UNION ALL SELECT id, '', 2 FROM u),"
                            " counted AS ("
                            "  INSERT INTO login_counters AS c"
                            "   (user_id, address, window_start, attempts)"
                            "  SELECT user_id, address, now (), 1 FROM keys ORDER BY kind"
                            "  ON CONFLICT (user_id, address) DO UPDATE SET"
                            "   window_start = CASE WHEN c.window_start"
                            "    <= now () - make_interval (secs => $3::integer)"
                            "    THEN now () ELSE c.window_start END,"
                            "   attempts = CASE WHEN c.window_start"
                            "    <= now () - make_interval (secs => $3::integer)"
                            "    THEN 1 ELSE c.attempts + 1 END"
                            "  RETURNING c.user_id, c.address, c.attempts,"
                            "   greatest (ceil (extract (epoch FROM c.window_start"
                            "    + make_interval (secs => $3::integer) - now ())), 1)::bigint"
                            "   AS wait)"
                            " SELECT u.id, u.username, u.password_hash,"
                            "  a.attempts, a.wait, p.attempts, p.wait, w.attempts, w.wait"
                            " FROM (SELECT * FROM counted WHERE user_id = 0) a"
                            " LEFT JOIN u ON true"
                            " LEFT JOIN counted p ON p.user_id = u.id AND p.address <> ''"
                            " LEFT JOIN counted w ON w.user_id = u.id AND w.address = ''",
                            username, call->origin, window);
  if (result == NULL)
    {
      buurten_call_set_gerror (call, error);
      return FALSE;
    }

  memset (out, 0, sizeof *out);
  out->user_id = g_strdup (buurten_db_get (result, 0, 0));
  out->username = g_strdup (buurten_db_get (result, 0, 1));
  out->password_hash = g_strdup (buurten_db_get (result, 0, 2));
  out->address_attempts = buurten_db_get_int (result, 0, 3);
  out->address_wait = buurten_db_get_int (result, 0, 4);
  out->pair_attempts = buurten_db_get_int (result, 0, 5);
  out->pair_wait = buurten_db_get_int (result, 0, 6);
  out->user_attempts = buurten_db_get_int (result, 0, 7);
  out->user_wait = buurten_db_get_int (result, 0, 8);
  return TRUE;
}

/* Seconds until the address may try again when it is over its limit
 * already, 0 when it may try, -1 with the call's error set. Read only:
 * the attempt is counted by count_attempt() once the body is read. */
static gint64
address_wait (BuurtenCall *call,
              PGconn      *conn)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) result = NULL;
  g_autofree char *window = g_strdup_printf ("%d", BUURTEN_LOGIN_WINDOW_SECONDS);
  g_autofree char *limit = g_strdup_printf ("%d", BUURTEN_LOGIN_ADDRESS_LIMIT);

  result = BUURTEN_DB_EXEC (conn, &error,
                            "SELECT greatest (ceil (extract (epoch FROM window_start"
                            "  + make_interval (secs => $2::integer) - now ())), 1)::bigint"
                            " FROM login_counters WHERE user_id = 0 AND address = $1"
                            " AND window_start > now () - make_interval (secs => $2::integer)"
                            " AND attempts > $3::integer",
                            call->origin, window, limit);
  if (result == NULL)
    {
      buurten_call_set_gerror (call, error);
      return -1;
    }
  return PQntuples (result) == 1 ? buurten_db_get_int (result, 0, 0) : 0;
}

/* A right password: its attempt no longer counts. */
static void
uncount_attempt (PGconn        *conn,
                 const Attempt *attempt,
                 const char    *origin)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) result = NULL;

  /* The rows are locked in count_attempt's order (address, user and
   * address, user), so that the two cannot deadlock. */
  result = BUURTEN_DB_EXEC (conn, &error,
                            "WITH locked AS ("
                            "  SELECT user_id, address FROM login_counters"
                            "  WHERE (user_id = 0 AND address = $2)"
                            "  OR (user_id = $1::bigint AND address IN ($2, ''))"
                            "  ORDER BY CASE WHEN user_id = 0 THEN 0"
                            "   WHEN address <> '' THEN 1 ELSE 2 END"
                            "  FOR UPDATE)"
                            " UPDATE login_counters c SET attempts = greatest (c.attempts - 1, 0)"
                            " FROM locked l WHERE c.user_id = l.user_id AND c.address = l.address",
                            attempt->user_id, origin);
  if (result == NULL)
    g_warning ("cannot uncount a login attempt: %s", error->message);
}

/* Seconds to wait when the attempt is refused, or 0. */
static gint64
attempt_refused (const Attempt *attempt)
{
  gint64 wait = 0;

  if (attempt->address_attempts > BUURTEN_LOGIN_ADDRESS_LIMIT)
    wait = MAX (wait, attempt->address_wait);
  if (attempt->user_id != NULL)
    {
      /* The user's own limit from this address, and once the user is
       * locked (USER_LIMIT attempts from anywhere before this one) none
       * at all from an address that has tried before. An address that
       * never tried still gets its attempt: the right password gets in. */
      if (attempt->pair_attempts > BUURTEN_LOGIN_USER_LIMIT)
        wait = MAX (wait, attempt->pair_wait);
      else if (attempt->user_attempts > BUURTEN_LOGIN_USER_LIMIT && attempt->pair_attempts > 1)
        wait = MAX (wait, MIN (attempt->pair_wait, attempt->user_wait));
    }

  return wait;
}

/* One audit line per window and limit, not one per attempt: when an
 * address goes over its limit, and when a user becomes locked. */
static void
audit_limits (PGconn        *conn,
              const Attempt *attempt,
              const char    *origin)
{
  if (attempt->address_attempts == BUURTEN_LOGIN_ADDRESS_LIMIT + 1)
    buurten_audit (conn, NULL, "login", NULL, "throttled:address", origin);
  if (attempt->user_id != NULL && attempt->user_attempts == BUURTEN_LOGIN_USER_LIMIT + 1)
    buurten_audit (conn, attempt->username, "login", NULL, "locked", origin);
}

/* Stores the new session and revokes the user's oldest beyond
 * BUURTEN_SESSIONS_PER_USER, under a lock per user so that parallel
 * logins cannot leave more. Returns the expiry, or NULL after setting the
 * error. */
static char *
start_session (BuurtenCall *call,
               PGconn      *conn,
               const char  *user_id,
               const char  *hash)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) locked = NULL;
  g_autoptr(PGresult) session = NULL;
  g_autoptr(PGresult) revoked = NULL;
  g_autofree char *lifetime = g_strdup_printf ("%d", BUURTEN_SESSION_LIFETIME_SECONDS);
  g_autofree char *cap = g_strdup_printf ("%d", BUURTEN_SESSIONS_PER_USER);

  if (!buurten_db_command (conn, "BEGIN", &error))
    goto fail;

  /* "sess" in ASCII, and the user. */
  locked = BUURTEN_DB_EXEC (conn, &error,
                            "SELECT pg_advisory_xact_lock (1936028531, $1::integer)", user_id);
  if (locked == NULL)
    goto fail;

  session = BUURTEN_DB_EXEC (conn, &error,
                             "INSERT INTO sessions (token_hash, user_id, expires_at)"
                             " VALUES (decode ($1, 'hex'), $2::bigint,"
                             "  now () + make_interval (secs => $3::integer))"
                             " RETURNING to_char (expires_at AT TIME ZONE 'UTC',"
                             "  'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')",
                             hash, user_id, lifetime);
  if (session == NULL)
    goto fail;

  /* created_at is the transaction's start: within one, the new session
   * is told apart by its hash. */
  revoked = BUURTEN_DB_EXEC (conn, &error,
                             "UPDATE sessions SET revoked_at = now ()"
                             " WHERE token_hash IN (SELECT token_hash FROM sessions"
                             "  WHERE user_id = $1::bigint AND revoked_at IS NULL"
                             "  AND expires_at > now ()"
                             "  ORDER BY token_hash = decode ($2, 'hex') DESC, created_at DESC"
                             "  OFFSET $3::integer)"
                             " RETURNING encode (token_hash, 'hex')",
                             user_id, hash, cap);
  if (revoked == NULL)
    goto fail;

  if (!buurten_db_command (conn, "COMMIT", &error))
    goto fail;

  for (int i = 0; i < PQntuples (revoked); i++)
    buurten_session_cache_forget (call->context->sessions, buurten_db_get (revoked, i, 0));

  return g_strdup (buurten_db_get (session, 0, 0));

fail:
  buurten_db_rollback (conn);
  buurten_call_set_gerror (call, error);
  return NULL;
}

gboolean
buurten_login_body_read (JsonObject  *body,
                         const char **out_username,
                         const char **out_password,
                         GError     **error)
{
  const char *username = NULL;
  const char *password = NULL;

  if (!buurten_json_get_string (body, "body", "username", TRUE, &username, error) ||
      !buurten_json_get_string (body, "body", "password", TRUE, &password, error))
    return FALSE;

  if (*username == '\0' || strlen (username) > MAX_USERNAME)
    {
      g_set_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID,
                   "body.username: between 1 and %d bytes", MAX_USERNAME);
      return FALSE;
    }
  if (strlen (password) > MAX_PASSWORD)
    {
      g_set_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID,
                   "body.password: at most %d bytes", MAX_PASSWORD);
      return FALSE;
    }

  *out_username = username;
  *out_password = password;
  return TRUE;
}

void
buurten_api_login (BuurtenCall *call,
                   PGconn      *conn)
{
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BuurtenUser) user = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *token = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *expires_at = NULL;
  const char *username = NULL;
  const char *password = NULL;
  Attempt attempt;
  guchar raw[32];
  gint64 wait;
  gboolean ok;

  /* An address over its limit is refused before its body is parsed. */
  wait = address_wait (call, conn);
  if (wait != 0)
    {
      if (wait > 0)
        {
          call->retry_after = g_strdup_printf ("%" G_GINT64_FORMAT, wait);
          buurten_call_set_error (call, 429, BUURTEN_CODE_TOO_MANY,
                                  "Too many failed logins: wait %s seconds and try again.",
                                  call->retry_after);
        }
      return;
    }

  body = buurten_call_parse_body (call);
  if (body == NULL)
    return;

  if (!buurten_login_body_read (body, &username, &password, &error))
    {
      buurten_call_set_error (call, 422, BUURTEN_CODE_VALIDATION, "%s", error->message);
      return;
    }

  if (!count_attempt (call, conn, username, &attempt))
    return;

  audit_limits (conn, &attempt, call->origin);

  wait = attempt_refused (&attempt);
  if (wait > 0)
    {
      attempt_clear (&attempt);
      call->retry_after = g_strdup_printf ("%" G_GINT64_FORMAT, wait);
      buurten_call_set_error (call, 429, BUURTEN_CODE_TOO_MANY,
                              "Too many failed logins: wait %s seconds and try again.",
                              call->retry_after);
      return;
    }

  ok = crypto_pwhash_str_verify (attempt.user_id != NULL ? attempt.password_hash : dummy_hash (),
                                 password, strlen (password)) == 0 &&
       attempt.user_id != NULL;

  /* A failure stays counted; it is not audited one by one. */
  if (!ok)
    {
      attempt_clear (&attempt);
      buurten_call_set_error (call, 401, BUURTEN_CODE_UNAUTHORIZED,
                              "Wrong username or password.");
      return;
    }

  uncount_attempt (conn, &attempt, call->origin);

  /* 256 random bits; only their hash is stored. */
  randombytes_buf (raw, sizeof raw);
  token = g_malloc (sizeof raw * 2 + 1);
  sodium_bin2hex (token, sizeof raw * 2 + 1, raw, sizeof raw);
  sodium_memzero (raw, sizeof raw);
  hash = buurten_token_hash (token);

  expires_at = start_session (call, conn, attempt.user_id, hash);
  attempt_clear (&attempt);
  if (expires_at == NULL)
    return;

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
  json_builder_add_string_value (builder, expires_at);
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
