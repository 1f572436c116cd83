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
