/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-migrate"

#include "config.h"

#include "buurten-migrate.h"

#include <gio/gio.h>
#include <string.h>

#include "buurten-db.h"
#include "buurten-server-resources.h"

#define MIGRATIONS_PATH "/nl/hilversum/Buurten/server/migrations"

/* A number no other application on the database is likely to use for
 * pg_advisory_lock: "buurten" in ASCII. */
#define MIGRATE_LOCK_KEY "108243324400741"

/* The resources are registered by hand: the server is a static library,
 * and a constructor nothing references would be dropped by the linker. */
static GResource *
migrations_resource (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      buurten_server_register_resource ();
      g_once_init_leave (&done, 1);
    }

  return buurten_server_get_resource ();
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The migration file names, sorted: 0001-initial.sql, 0002-... */
static GPtrArray *
list_migrations (void)
{
  g_auto(GStrv) names = NULL;
  GPtrArray *list = g_ptr_array_new_with_free_func (g_free);

  names = g_resource_enumerate_children (migrations_resource (), MIGRATIONS_PATH,
                                         G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    if (g_str_has_suffix (names[i], ".sql"))
      g_ptr_array_add (list, g_strdup (names[i]));

  g_ptr_array_sort (list, compare_names);
  return list;
}

guint
buurten_migrate_latest (void)
{
  g_autoptr(GPtrArray) list = list_migrations ();

  return list->len;
}

gboolean
buurten_migrate_version (PGconn  *conn,
                         guint   *out_version,
                         GError **error)
{
  g_autoptr(PGresult) exists = NULL;
  g_autoptr(PGresult) version = NULL;

  exists = buurten_db_exec (conn, "SELECT to_regclass ('schema_migrations') IS NOT NULL",
                            0, NULL, error);
  if (exists == NULL)
    return FALSE;

  if (g_strcmp0 (buurten_db_get (exists, 0, 0), "t") != 0)
    {
      *out_version = 0;
      return TRUE;
    }

  version = buurten_db_exec (conn, "SELECT coalesce (max (version), 0) FROM schema_migrations",
                             0, NULL, error);
  if (version == NULL)
    return FALSE;

  *out_version = (guint) buurten_db_get_int (version, 0, 0);
  return TRUE;
}

gboolean
buurten_migrate_check (PGconn  *conn,
                       GError **error)
{
  guint latest = buurten_migrate_latest ();
  guint version;

  if (!buurten_migrate_version (conn, &version, error))
    return FALSE;

  if (version == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "the database is not migrated (schema version 0, this buurten-server "
                   "needs %u): run “buurten-server migrate” first", latest);
      return FALSE;
    }

  if (version < latest)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "the database schema is older (version %u) than this buurten-server "
                   "needs (%u): run “buurten-server migrate” first", version, latest);
      return FALSE;
    }

  if (version > latest)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "the database schema (version %u) is newer than this buurten-server "
                   "knows (%u): run a newer buurten-server", version, latest);
      return FALSE;
    }

  return TRUE;
}

static gboolean
apply_one (PGconn      *conn,
           guint        number,
           const char  *name,
           gboolean     verbose,
           GError     **error)
{
  g_autofree char *path = g_strconcat (MIGRATIONS_PATH "/", name, NULL);
  g_autofree char *number_text = g_strdup_printf ("%u", number);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(PGresult) applied = NULL;
  g_autoptr(PGresult) inserted = NULL;
  g_autofree char *sql = NULL;
  PGresult *result;

  bytes = g_resource_lookup_data (migrations_resource (), path,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return FALSE;
  sql = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  if (!buurten_db_command (conn, "BEGIN", error))
    return FALSE;

  applied = BUURTEN_DB_EXEC (conn, error,
                             "SELECT 1 FROM schema_migrations WHERE version = $1::integer",
                             number_text);
  if (applied == NULL)
    goto fail;

  if (PQntuples (applied) > 0)
    {
      buurten_db_rollback (conn);
      return TRUE;
    }

  /* A migration is static SQL from the resources with several statements
   * and no values in it, the one place where PQexec is right. */
  result = PQexec (conn, sql);
  if (PQresultStatus (result) != PGRES_COMMAND_OK && PQresultStatus (result) != PGRES_TUPLES_OK)
    {
      g_autofree char *message = g_strdup (PQresultErrorMessage (result));

      g_strchomp (message);
      g_set_error (error, BUURTEN_DB_ERROR, BUURTEN_DB_ERROR_QUERY,
                   "migration %s failed: %s", name, message);
      PQclear (result);
      goto fail;
    }
  PQclear (result);

  inserted = BUURTEN_DB_EXEC (conn, error,
                              "INSERT INTO schema_migrations (version) VALUES ($1::integer)",
                              number_text);
  if (inserted == NULL || !buurten_db_command (conn, "COMMIT", error))
    goto fail;

  if (verbose)
    g_print ("applied migration %s\n", name);
  return TRUE;

fail:
  buurten_db_rollback (conn);
  return FALSE;
}

gboolean
buurten_migrate_run (PGconn    *conn,
                     gboolean   verbose,
                     GError   **error)
{
  g_autoptr(GPtrArray) list = list_migrations ();
  guint version;
  gboolean ok = TRUE;

  if (!buurten_db_command (conn,
                           "CREATE TABLE IF NOT EXISTS schema_migrations ("
                           " version integer PRIMARY KEY,"
                           " applied_at timestamptz NOT NULL DEFAULT now ())", error))
    return FALSE;

  if (!buurten_db_command (conn, "SELECT pg_advisory_lock (" MIGRATE_LOCK_KEY ")", error))
    return FALSE;

  if (!buurten_migrate_version (conn, &version, error))
    ok = FALSE;
  else if (version > list->len)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "the database schema (version %u) is newer than this buurten-server "
                   "knows (%u): run a newer buurten-server", version, list->len);
      ok = FALSE;
    }

  for (guint i = 0; ok && i < list->len; i++)
    ok = apply_one (conn, i + 1, g_ptr_array_index (list, i), verbose, error);

  PQclear (PQexecParams (conn, "SELECT pg_advisory_unlock (" MIGRATE_LOCK_KEY ")", 0, NULL, NULL,
                        NULL, NULL, 0));

  if (ok && verbose)
    g_print ("database schema is at version %u\n", list->len);

  return ok;
}
