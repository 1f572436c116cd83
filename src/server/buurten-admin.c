/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-server"

#include "config.h"

#include "buurten-admin.h"

#include <gio/gio.h>
#include <sodium.h>
#include <string.h>

#include "buurten-db.h"

#define MIN_PASSWORD_CHARS 12
#define MAX_PASSWORD_BYTES 1024

gboolean
buurten_admin_import_municipality (PGconn      *conn,
                                   const char  *path,
                                   GError     **error)
{
  g_autoptr(BuurtenMunicipality) municipality = NULL;
  g_autoptr(PGresult) other = NULL;
  g_autoptr(PGresult) stored = NULL;
  g_autoptr(PGresult) city = NULL;
  GBytes *bytes;
  g_autofree char *data = NULL;
  GPtrArray *wijken, *clusters;
  gsize size;

  municipality = buurten_municipality_new_from_file (path, error);
  if (municipality == NULL)
    return FALSE;

  /* Borrowed from the municipality. */
  bytes = buurten_municipality_get_bytes (municipality);
  size = g_bytes_get_size (bytes);
  data = g_strndup (g_bytes_get_data (bytes, NULL), size);

  if (!buurten_db_command (conn, "BEGIN", error))
    return FALSE;

  other = BUURTEN_DB_EXEC (conn, error, "SELECT id FROM municipality WHERE id <> $1",
                           buurten_municipality_get_id (municipality));
  if (other == NULL)
    goto fail;
  if (PQntuples (other) > 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   "this database holds the municipality “%s” already",
                   buurten_db_get (other, 0, 0));
      goto fail;
    }

  stored = BUURTEN_DB_EXEC (conn, error,
                            "INSERT INTO municipality (id, data) VALUES ($1, $2)"
                            " ON CONFLICT (id) DO UPDATE SET data = excluded.data,"
                            " imported_at = now ()",
                            buurten_municipality_get_id (municipality), data);
  if (stored == NULL)
    goto fail;

  city = BUURTEN_DB_EXEC (conn, error,
                          "INSERT INTO change_clocks (scope) VALUES ($1)"
                          " ON CONFLICT (scope) DO NOTHING", "city");
  if (city == NULL)
    goto fail;

  clusters = buurten_municipality_get_clusters (municipality);
  for (guint i = 0; i < clusters->len; i++)
    {
      const BuurtenCluster *cluster = g_ptr_array_index (clusters, i);
      g_autofree char *scope = g_strconcat ("cluster:", cluster->id, NULL);
      g_autoptr(PGresult) clock = BUURTEN_DB_EXEC (conn, error,
                                                   "INSERT INTO change_clocks (scope) VALUES ($1)"
                                                   " ON CONFLICT (scope) DO NOTHING", scope);
      if (clock == NULL)
        goto fail;
    }

  wijken = buurten_municipality_get_wijken (municipality);
  for (guint i = 0; i < wijken->len; i++)
    {
      const BuurtenWijk *wijk = g_ptr_array_index (wijken, i);
      g_autoptr(PGresult) row = NULL;
      g_autoptr(PGresult) clock = NULL;

      row = BUURTEN_DB_EXEC (conn, error,
                             "INSERT INTO wijken (id, name, cluster) VALUES ($1, $2, $3)"
                             " ON CONFLICT (id) DO UPDATE SET name = excluded.name,"
                             " cluster = excluded.cluster",
                             wijk->id, wijk->name, wijk->cluster);
      if (row == NULL)
        goto fail;
      clock = BUURTEN_DB_EXEC (conn, error,
                               "INSERT INTO change_clocks (scope) VALUES ($1)"
                               " ON CONFLICT (scope) DO NOTHING", wijk->id);
      if (clock == NULL)
        goto fail;
    }

  if (!buurten_db_command (conn, "COMMIT", error))
    goto fail;

  g_print ("imported municipality %s: %u wijken, %u clusters\n",
           buurten_municipality_get_id (municipality), wijken->len, clusters->len);
  g_print ("running servers read it at start: restart them\n");
  return TRUE;

fail:
  buurten_db_rollback (conn);
  return FALSE;
}

BuurtenMunicipality *
buurten_admin_load_municipality (PGconn  *conn,
                                 GError **error)
{
  g_autoptr(PGresult) result = NULL;
  const char *data;

  result = buurten_db_exec (conn, "SELECT data FROM municipality ORDER BY imported_at DESC"
                            " LIMIT 1", 0, NULL, error);
  if (result == NULL)
    return NULL;

  if (PQntuples (result) == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "no municipality in the database: run “buurten-server import-municipality "
                   "FILE” first");
      return NULL;
    }

  data = buurten_db_get (result, 0, 0);
  return buurten_municipality_new_from_data (data, -1, error);
}

static char *
read_password (const char  *path,
               GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  /* "-" is standard input (a pipe from a secrets manager). */
  if (!g_file_get_contents (g_strcmp0 (path, "-") == 0 ? "/dev/stdin" : path, &contents,
                            &length, error))
    return NULL;

  /* One trailing newline is the file's, not the password's. */
  if (length > 0 && contents[length - 1] == '\n')
    contents[--length] = '\0';
  if (length > 0 && contents[length - 1] == '\r')
    contents[--length] = '\0';

  if (length > MAX_PASSWORD_BYTES || strlen (contents) != length ||
      !g_utf8_validate (contents, length, NULL))
    {
      sodium_memzero (contents, length);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "the password must be UTF-8 text of at most %d bytes", MAX_PASSWORD_BYTES);
      return NULL;
    }

  if (g_utf8_strlen (contents, length) < MIN_PASSWORD_CHARS)
    {
      sodium_memzero (contents, length);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "the password must have at least %d characters", MIN_PASSWORD_CHARS);
      return NULL;
    }

  return g_steal_pointer (&contents);
}

static gboolean
role_is_city_wide (BuurtenRole role)
{
  return role == BUURTEN_ROLE_WETHOUDER_BUURTEN || role == BUURTEN_ROLE_TEAMMANAGER_SAMENLEVING ||
         role == BUURTEN_ROLE_ADMIN;
}

gboolean
buurten_admin_user_add (PGconn      *conn,
                        const char  *username,
                        char       **roles,
                        char       **wijken,
                        const char  *password_file,
                        GError     **error)
{
  g_autoptr(PGresult) created = NULL;
  g_autofree char *password = NULL;
  char hash[crypto_pwhash_STRBYTES];
  const char *user_id;
  guint n_wijken = wijken != NULL ? g_strv_length (wijken) : 0;

  if (username == NULL || *username == '\0' || strlen (username) > 200 ||
      !g_utf8_validate (username, -1, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "--username: 1 to 200 bytes of UTF-8");
      return FALSE;
    }

  if (roles == NULL || roles[0] == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "--role is required");
      return FALSE;
    }

  for (guint i = 0; roles[i] != NULL; i++)
    {
      int role = buurten_enum_from_id (buurten_role_ids, roles[i]);

      if (role < 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "--role: “%s” is not a role (buurtcoordinator, wijkwethouder, "
                       "wethouder_buurten, teammanager_samenleving, partner, admin)", roles[i]);
          return FALSE;
        }
      if (!role_is_city_wide (role) && n_wijken == 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "--role %s needs at least one --wijk", roles[i]);
          return FALSE;
        }
    }

  if (password_file == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "--password-file is required");
      return FALSE;
    }

  password = read_password (password_file, error);
  if (password == NULL)
    return FALSE;

  /* argon2id with libsodium's interactive limits: the hash string carries
   * its own parameters, so they can be raised later. */
  if (crypto_pwhash_str (hash, password, strlen (password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                         crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    {
      sodium_memzero (password, strlen (password));
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "out of memory hashing the password");
      return FALSE;
    }
  sodium_memzero (password, strlen (password));

  if (!buurten_db_command (conn, "BEGIN", error))
    return FALSE;

  created = BUURTEN_DB_EXEC (conn, error,
                             "INSERT INTO users (username, password_hash) VALUES ($1, $2)"
                             " RETURNING id",
                             username, hash);
  if (created == NULL)
    {
      if (g_error_matches (*error, BUURTEN_DB_ERROR, BUURTEN_DB_ERROR_UNIQUE))
        {
          g_clear_error (error);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS, "the user “%s” exists already",
                       username);
        }
      goto fail;
    }
  user_id = buurten_db_get (created, 0, 0);

  for (guint i = 0; roles[i] != NULL; i++)
    {
      BuurtenRole role = buurten_enum_from_id (buurten_role_ids, roles[i]);
      guint n = role_is_city_wide (role) || n_wijken == 0 ? 1 : n_wijken;

      for (guint j = 0; j < n; j++)
        {
          const char *wijk = role_is_city_wide (role) ? NULL : wijken[j];
          g_autoptr(PGresult) granted = NULL;
          g_autoptr(PGresult) known = NULL;

          if (wijk != NULL)
            {
              known = BUURTEN_DB_EXEC (conn, error, "SELECT 1 FROM wijken WHERE id = $1", wijk);
              if (known == NULL)
                goto fail;
              if (PQntuples (known) == 0)
                {
                  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               "--wijk: there is no wijk “%s” (import the municipality first)",
                               wijk);
                  goto fail;
                }
            }

          granted = BUURTEN_DB_EXEC (conn, error,
                                     "INSERT INTO user_roles (user_id, role, wijk)"
                                     " VALUES ($1::bigint, $2, $3) ON CONFLICT DO NOTHING",
                                     user_id, buurten_role_ids[role], wijk);
          if (granted == NULL)
            goto fail;
        }
    }

  if (!buurten_db_command (conn, "COMMIT", error))
    goto fail;

  g_print ("added user %s\n", username);
  return TRUE;

fail:
  buurten_db_rollback (conn);
  return FALSE;
}

gboolean
buurten_admin_user_unlock (PGconn      *conn,
                           const char  *username,
                           GError     **error)
{
  g_autoptr(PGresult) found = NULL;
  g_autoptr(PGresult) cleared = NULL;
  g_autoptr(PGresult) audited = NULL;
  g_autofree char *actor = NULL;
  g_autofree char *object = NULL;

  if (username == NULL || *username == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "--username is required");
      return FALSE;
    }

  if (!buurten_db_command (conn, "BEGIN", error))
    return FALSE;

  found = BUURTEN_DB_EXEC (conn, error, "SELECT id FROM users WHERE username = $1", username);
  if (found == NULL)
    goto fail;
  if (PQntuples (found) == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "there is no user “%s”", username);
      goto fail;
    }

  /* The user's counters, from every address; the addresses' own
   * counters stay (they are about the addresses, not the user). */
  cleared = BUURTEN_DB_EXEC (conn, error,
                             "DELETE FROM login_counters WHERE user_id = $1::bigint",
                             buurten_db_get (found, 0, 0));
  if (cleared == NULL)
    goto fail;

  /* Who ran it, as far as this machine knows. */
  actor = g_strconcat ("cli:", g_get_user_name (), NULL);
  object = g_strconcat ("user:", username, NULL);
  audited = BUURTEN_DB_EXEC (conn, error,
                             "SELECT buurten_audit ($1, 'user.unlock', $2, 'ok', 'cli')",
                             actor, object);
  if (audited == NULL || !buurten_db_command (conn, "COMMIT", error))
    goto fail;

  g_print ("unlocked user %s (%s login counters cleared)\n", username, PQcmdTuples (cleared));
  return TRUE;

fail:
  buurten_db_rollback (conn);
  return FALSE;
}

/* The canonical text of an audit row, as buurten_audit_text() in
 * migration 4 makes it. */
static void
append_audit_field (GString    *text,
                    const char *value)
{
  g_string_append_c (text, '\n');
  if (value == NULL)
    g_string_append_c (text, '-');
  else
    g_string_append_printf (text, "%" G_GSIZE_FORMAT ":%s", strlen (value), value);
}

static gboolean
hex_to_hash (const char *hex,
             guchar      out[crypto_hash_sha256_BYTES])
{
  size_t length = 0;

  return hex != NULL &&
         sodium_hex2bin (out, crypto_hash_sha256_BYTES, hex, strlen (hex), NULL, &length,
                         NULL) == 0 &&
         length == crypto_hash_sha256_BYTES;
}

#define VERIFY_BATCH 5000

gboolean
buurten_admin_audit_verify (PGconn  *conn,
                            GError **error)
{
  g_autoptr(PGresult) head = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  guchar prev[crypto_hash_sha256_BYTES];
  guchar first_prev[crypto_hash_sha256_BYTES];
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  g_autofree char *last_id = g_strdup ("-9223372036854775808");
  gint64 rows = 0, first_id = 0;

  /* The text is hashed as UTF-8, whatever the client would get otherwise;
   * one snapshot for the rows and the head. */
  if (!buurten_db_command (conn, "SET client_encoding TO 'UTF8'", error) ||
      !buurten_db_command (conn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", error))
    return FALSE;

  head = buurten_db_exec (conn, "SELECT last_id, encode (last_hash, 'hex') FROM audit_chain",
                          0, NULL, error);
  if (head == NULL)
    goto fail;
  if (PQntuples (head) != 1)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "the audit chain's head (table audit_chain) is missing");
      goto fail;
    }

  for (;;)
    {
      g_autoptr(PGresult) batch = NULL;
      int n;

      batch = BUURTEN_DB_EXEC (conn, error,
                               "SELECT id, trunc (extract (epoch FROM at) * 1000000)::bigint,"
                               " actor, action, object, result, origin,"
                               " encode (prev_hash, 'hex'), encode (hash, 'hex')"
                               " FROM audit WHERE id > $1::bigint"
                               " ORDER BY id LIMIT " G_STRINGIFY (VERIFY_BATCH),
                               last_id);
      if (batch == NULL)
        goto fail;

      n = PQntuples (batch);
      for (int i = 0; i < n; i++)
        {
          const char *id = buurten_db_get (batch, i, 0);
          guchar stored_prev[crypto_hash_sha256_BYTES];
          guchar stored[crypto_hash_sha256_BYTES];
          guchar computed[crypto_hash_sha256_BYTES];
          crypto_hash_sha256_state state;

          if (!hex_to_hash (buurten_db_get (batch, i, 7), stored_prev) ||
              !hex_to_hash (buurten_db_get (batch, i, 8), stored))
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           "audit chain broken at row %s: its hashes are missing or malformed",
                           id);
              goto fail;
            }

          /* The oldest row left starts the chain with the prev_hash it
           * was written with (all zeros if no row was ever removed). */
          if (rows == 0)
            {
              memcpy (prev, stored_prev, sizeof prev);
              memcpy (first_prev, stored_prev, sizeof first_prev);
              first_id = g_ascii_strtoll (id, NULL, 10);
            }
          else if (sodium_memcmp (prev, stored_prev, sizeof prev) != 0)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           "audit chain broken at row %s: its prev_hash is not the hash of "
                           "row %s (a row between them was removed, or row %s was changed "
                           "together with its hash)", id, last_id, last_id);
              goto fail;
            }

          g_string_assign (text, "buurten-audit-1\n");
          g_string_append (text, id);
          g_string_append_c (text, '\n');
          g_string_append (text, buurten_db_get (batch, i, 1));
          for (int column = 2; column <= 6; column++)
            append_audit_field (text, buurten_db_get (batch, i, column));

          crypto_hash_sha256_init (&state);
          crypto_hash_sha256_update (&state, prev, sizeof prev);
          crypto_hash_sha256_update (&state, (const guchar *) text->str, text->len);
          crypto_hash_sha256_final (&state, computed);
          if (sodium_memcmp (computed, stored, sizeof computed) != 0)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           "audit chain broken at row %s: its contents do not match its hash "
                           "(the row was changed)", id);
              goto fail;
            }

          memcpy (prev, stored, sizeof prev);
          g_free (last_id);
          last_id = g_strdup (id);
          rows++;
        }

      if (n < VERIFY_BATCH)
        break;
    }

  /* The head names the newest row: rows removed from the end show here. */
  sodium_bin2hex (hex, sizeof hex, prev, sizeof prev);
  if (rows == 0 ? buurten_db_get (head, 0, 0) != NULL
                : (g_strcmp0 (buurten_db_get (head, 0, 0), last_id) != 0 ||
                   g_strcmp0 (buurten_db_get (head, 0, 1), hex) != 0))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "audit chain broken after row %s: the chain's head names row %s, so the "
                   "newest rows were removed", rows == 0 ? "(none)" : last_id,
                   buurten_db_get (head, 0, 0));
      goto fail;
    }

  buurten_db_rollback (conn);

  if (rows == 0)
    {
      g_print ("audit chain intact: no rows\n");
      return TRUE;
    }

  sodium_bin2hex (hex, sizeof hex, first_prev, sizeof first_prev);
  g_print ("audit chain intact: %" G_GINT64_FORMAT " rows, ids %" G_GINT64_FORMAT " to %s\n",
           rows, first_id, last_id);
  g_print ("the oldest row's prev_hash: %s%s\n", hex,
           sodium_is_zero (first_prev, sizeof first_prev)
           ? " (the start: no row was removed before it)"
           : " (compare it with the hash noted when older rows were removed)");
  return TRUE;

fail:
  buurten_db_rollback (conn);
  return FALSE;
}
