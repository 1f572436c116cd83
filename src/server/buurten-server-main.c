/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-server"

#include "config.h"

#include <locale.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "buurten-admin.h"
#include "buurten-api.h"
#include "buurten-db.h"
#include "buurten-migrate.h"
#include "buurten-residents.h"
#include "buurten-server.h"

/* buurten-server [serve] | migrate | user add ... | user unlock --username U |
 *                import-municipality FILE | purge | audit verify
 *   | resident export|erase --name NAME|--contact CONTACT | retention
 *
 * Settings come from flags or the environment: --db / BUURTEN_DB (a libpq
 * connection string), --listen / BUURTEN_LISTEN (default 127.0.0.1:8080). */

#define PURGE_INTERVAL_SECONDS (60 * 60)

static char *opt_db = NULL;
static char *opt_listen = NULL;
static char *opt_db_role = NULL;
static int opt_pool_size = 0;
static int opt_http_threads = 0;
static int opt_max_body_kib = 0;
static int opt_max_blob_kib = 0;
static int opt_header_timeout = 0;
static int opt_keepalive_timeout = 0;
static int opt_body_min_rate = 0;
static int opt_max_connections = 0;
static int opt_max_queue = 0;
static int opt_body_memory_mib = 0;
static int opt_blob_quota_mib = 0;
static gboolean opt_trust_proxy = FALSE;
static gboolean opt_verbose = FALSE;
static char *opt_username = NULL;
static char **opt_roles = NULL;
static char **opt_wijken = NULL;
static char *opt_password_file = NULL;

static const GOptionEntry entries[] = {
  { "db", 0, 0, G_OPTION_ARG_STRING, &opt_db,
    "libpq connection string (or BUURTEN_DB)", "CONNINFO" },
  { "listen", 0, 0, G_OPTION_ARG_STRING, &opt_listen,
    "address and port to listen on (default 127.0.0.1:8080; port 0: any free port)",
    "HOST:PORT" },
  { "db-role", 0, 0, G_OPTION_ARG_STRING, &opt_db_role,
    "database role the server switches to (default buurten_app; \"\" for none)", "ROLE" },
  { "pool-size", 0, 0, G_OPTION_ARG_INT, &opt_pool_size,
    "worker threads, each with a database connection (default: twice the CPUs)", "N" },
  { "http-threads", 0, 0, G_OPTION_ARG_INT, &opt_http_threads,
    "threads serving HTTP, each with its own main loop (default: the CPUs, 1..16)",
    "N" },
  { "max-body-kib", 0, 0, G_OPTION_ARG_INT, &opt_max_body_kib,
    "largest JSON request body in KiB (default 4096)", "KIB" },
  { "max-blob-kib", 0, 0, G_OPTION_ARG_INT, &opt_max_blob_kib,
    "largest blob in KiB (default 10240)", "KIB" },
  { "header-timeout", 0, 0, G_OPTION_ARG_INT, &opt_header_timeout,
    "seconds a request's head may take, and a new connection to start one (default 10)",
    "S" },
  { "keepalive-timeout", 0, 0, G_OPTION_ARG_INT, &opt_keepalive_timeout,
    "seconds a connection may stay idle between requests, or a response make no progress "
    "(default 60)", "S" },
  { "body-min-rate", 0, 0, G_OPTION_ARG_INT, &opt_body_min_rate,
    "bytes per second a request body must average after the header timeout (default 1024)",
    "BYTES" },
  { "max-connections", 0, 0, G_OPTION_ARG_INT, &opt_max_connections,
    "open client connections; more get 503 (default 512)", "N" },
  { "max-queue", 0, 0, G_OPTION_ARG_INT, &opt_max_queue,
    "requests waiting for a worker; more get 503 (default 256)", "N" },
  { "body-memory-mib", 0, 0, G_OPTION_ARG_INT, &opt_body_memory_mib,
    "MiB the request bodies being read or handled may take together; more wait with 503 "
    "(default 256)", "MIB" },
  { "blob-quota-mib", 0, 0, G_OPTION_ARG_INT, &opt_blob_quota_mib,
    "what the blobs of one wijk may add up to, in MiB (default 1024)", "MIB" },
  { "trust-proxy", 0, 0, G_OPTION_ARG_NONE, &opt_trust_proxy,
    "take the client address from X-Forwarded-For (only behind a proxy)", NULL },
  { "verbose", 'v', 0, G_OPTION_ARG_NONE, &opt_verbose, "log every request", NULL },
  { "username", 0, 0, G_OPTION_ARG_STRING, &opt_username, "user add, user unlock: the username",
    "U" },
  { "role", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt_roles, "user add: a role (repeatable)", "R" },
  { "wijk", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt_wijken,
    "user add: a wijk the roles hold for (repeatable)", "W" },
  { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &opt_password_file,
    "user add: file with the password (\"-\": standard input)", "F" },
  { NULL }
};

static void
log_purge (const BuurtenPurgeCounts *counts)
{
  g_message ("purged %" G_GINT64_FORMAT " tombstones (older than %d days), %" G_GINT64_FORMAT
             " mutation results (older than %d days), %" G_GINT64_FORMAT " expired sessions, %"
             G_GINT64_FORMAT " login failures", counts->tombstones, BUURTEN_TOMBSTONE_DAYS,
             counts->mutation_results, BUURTEN_RESULT_DAYS, counts->sessions,
             counts->login_failures);
}

static void
purge_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  BuurtenServerContext *context = task_data;
  g_autoptr(GError) error = NULL;
  PGconn *conn = buurten_db_pool_acquire (context->pool, &error);
  BuurtenPurgeCounts counts;
  gboolean ok;

  if (conn == NULL)
    {
      g_warning ("purge: %s", error->message);
      g_task_return_boolean (task, FALSE);
      return;
    }

  ok = buurten_purge (conn, &counts, &error);
  buurten_db_pool_release (context->pool, conn);
  if (!ok)
    g_warning ("purge: %s", error->message);
  else if (counts.tombstones > 0 || counts.mutation_results > 0 || counts.sessions > 0 ||
           counts.login_failures > 0)
    log_purge (&counts);
  g_task_return_boolean (task, ok);
}

static gboolean
on_purge_timeout (gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, NULL, NULL);

  g_task_set_task_data (task, user_data, NULL);
  g_task_run_in_thread (task, purge_thread);
  return G_SOURCE_CONTINUE;
}

static int
fail (const char *what,
      GError     *error)
{
  g_printerr ("buurten-server: %s%s%s\n", what != NULL ? what : "", what != NULL ? ": " : "",
              error->message);
  return 1;
}

static PGconn *
connect_admin (GError **error)
{
  return buurten_db_connect (opt_db, NULL, error);
}

static int
run_migrate (void)
{
  g_autoptr(GError) error = NULL;
  PGconn *conn = connect_admin (&error);
  gboolean ok;

  if (conn == NULL)
    return fail (NULL, error);
  ok = buurten_migrate_run (conn, TRUE, &error);
  PQfinish (conn);
  return ok ? 0 : fail ("migrate", error);
}

static int
run_import (const char *path)
{
  g_autoptr(GError) error = NULL;
  PGconn *conn = connect_admin (&error);
  gboolean ok;

  if (conn == NULL)
    return fail (NULL, error);
  ok = buurten_migrate_check (conn, &error) &&
       buurten_admin_import_municipality (conn, path, &error);
  PQfinish (conn);
  return ok ? 0 : fail ("import-municipality", error);
}

static int
run_user_add (void)
{
  g_autoptr(GError) error = NULL;
  PGconn *conn = connect_admin (&error);
  gboolean ok;

  if (conn == NULL)
    return fail (NULL, error);
  ok = buurten_migrate_check (conn, &error) &&
       buurten_admin_user_add (conn, opt_username, opt_roles, opt_wijken, opt_password_file,
                               &error);
  PQfinish (conn);
  return ok ? 0 : fail ("user add", error);
}

static int
run_user_unlock (void)
{
  g_autoptr(GError) error = NULL;
  PGconn *conn = connect_admin (&error);
  gboolean ok;

  if (conn == NULL)
    return fail (NULL, error);
  ok = buurten_migrate_check (conn, &error) &&
       buurten_admin_user_unlock (conn, opt_username, &error);
  PQfinish (conn);
  return ok ? 0 : fail ("user unlock", error);
}

static int
run_audit_verify (void)
{
  g_autoptr(GError) error = NULL;
  PGconn *conn = connect_admin (&error);
  gboolean ok;

  if (conn == NULL)
    return fail (NULL, error);
  ok = buurten_migrate_check (conn, &error) && buurten_admin_audit_verify (conn, &error);
  PQfinish (conn);
  return ok ? 0 : fail ("audit verify", error);
}

static int
run_purge (void)
{
  g_autoptr(GError) error = NULL;
  PGconn *conn = connect_admin (&error);
  BuurtenPurgeCounts counts;
  gboolean ok = FALSE;

  if (conn == NULL)
    return fail (NULL, error);
  if (buurten_migrate_check (conn, &error))
    ok = buurten_purge (conn, &counts, &error);
  PQfinish (conn);
  if (!ok)
    return fail ("purge", error);
  g_print ("purged %" G_GINT64_FORMAT " tombstones, %" G_GINT64_FORMAT " mutation results, %"
           G_GINT64_FORMAT " sessions, %" G_GINT64_FORMAT " login failures\n",
           counts.tombstones, counts.mutation_results, counts.sessions, counts.login_failures);
  return 0;
}

/* resident export|erase, retention: buurten-residents.h. */
static int
run_residents (const char *what)
{
  g_autoptr(GError) error = NULL;
  PGconn *conn = connect_admin (&error);
  int status;

  if (conn == NULL)
    return fail (NULL, error);
  if (!buurten_migrate_check (conn, &error))
    {
      PQfinish (conn);
      return fail (NULL, error);
    }
  status = what != NULL ? buurten_residents_command (conn, what)
                        : buurten_retention_command (conn);
  PQfinish (conn);
  return status;
}

static int
run_serve (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BuurtenDbPool) pool = NULL;
  g_autoptr(BuurtenMunicipality) municipality = NULL;
  g_autoptr(BuurtenServer) server = NULL;
  BuurtenServerContext context = { 0, };
  BuurtenServerOptions options = { 0, };
  const char *role = opt_db_role != NULL ? opt_db_role : "buurten_app";
  guint port = 0;
  guint purge_id;
  guint workers;
  PGconn *conn;

  /* More workers than CPUs keep them busy while others wait on the
   * database; many more only add switching (and tail latency). */
  workers = opt_pool_size > 0 ? (guint) opt_pool_size
                              : CLAMP (2 * g_get_num_processors (), 2, 16);

  /* One connection per request worker, and one for the hourly purge so
   * that it never makes a worker wait. */
  pool = buurten_db_pool_new (opt_db, role, workers + 1, &error);
  if (pool == NULL)
    return fail (NULL, error);

  /* Refuse to serve a database this build does not understand. */
  conn = buurten_db_pool_acquire (pool, &error);
  if (conn == NULL)
    return fail (NULL, error);
  if (!buurten_migrate_check (conn, &error))
    {
      buurten_db_pool_release (pool, conn);
      return fail (NULL, error);
    }
  municipality = buurten_admin_load_municipality (conn, &error);
  buurten_db_pool_release (pool, conn);
  if (municipality == NULL)
    return fail (NULL, error);

  context.pool = pool;
  context.municipality = municipality;
  context.sessions = buurten_session_cache_new ();
  context.blob_quota = (gint64) (opt_blob_quota_mib > 0 ? opt_blob_quota_mib
                                                        : BUURTEN_BLOB_QUOTA_DEFAULT_MIB)
                       * 1024 * 1024;

  options.max_body = (opt_max_body_kib > 0 ? (gsize) opt_max_body_kib : 4096) * 1024;
  options.max_blob = (opt_max_blob_kib > 0 ? (gsize) opt_max_blob_kib : 10240) * 1024;
  options.header_timeout = opt_header_timeout > 0 ? (guint) opt_header_timeout : 0;
  options.keepalive_timeout = opt_keepalive_timeout > 0 ? (guint) opt_keepalive_timeout : 0;
  options.body_min_rate = opt_body_min_rate > 0 ? (guint) opt_body_min_rate : 0;
  options.max_connections = opt_max_connections > 0 ? (guint) opt_max_connections : 0;
  options.max_queue = opt_max_queue > 0 ? (guint) opt_max_queue : 0;
  options.body_memory = opt_body_memory_mib > 0 ? (gsize) opt_body_memory_mib * 1024 * 1024 : 0;
  options.trust_proxy = opt_trust_proxy;
  options.verbose = opt_verbose;
  options.workers = workers;
  /* As many as there are CPUs: the HTTP side is two thirds of the CPU an
   * up-to-date pull costs (PostgreSQL the rest), and one thread leaves
   * the CPUs a third idle while it is busy. More threads are not free:
   * libsoup takes GObject's global signal lock a dozen times per request,
   * and each thread batches fewer pulls per round trip. On two cores a
   * second thread costs a tenth to a fifth more CPU per pull and serves a
   * fifth to a quarter more pulls per second (bench/bench-server.sh). */
  options.http_threads = opt_http_threads > 0 ? (guint) opt_http_threads
                                              : CLAMP (g_get_num_processors (), 1, 16);

  server = buurten_server_new (&context, &options);
  if (!buurten_server_listen (server, opt_listen, &port, &error))
    return fail ("listen", error);

  {
    const char *colon = strrchr (opt_listen, ':');
    g_autofree char *host = g_strndup (opt_listen, colon - opt_listen);

    /* Tests and scripts read the port from this line. */
    printf ("listening on http://%s:%u\n", host, port);
    fflush (stdout);
    g_message ("listening on http://%s:%u (database schema %u, municipality %s)", host, port,
               buurten_migrate_latest (), buurten_municipality_get_id (municipality));
  }

  on_purge_timeout (&context);
  purge_id = g_timeout_add_seconds (PURGE_INTERVAL_SECONDS, on_purge_timeout, &context);

  buurten_server_run (server);

  g_source_remove (purge_id);
  g_clear_pointer (&server, buurten_server_free);
  buurten_session_cache_free (context.sessions);
  return 0;
}

static int
usage (GOptionContext *context)
{
  g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

  g_printerr ("%s", help);
  return 2;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  const char *command;
  int status;

  setlocale (LC_ALL, "");

  if (sodium_init () < 0)
    {
      g_printerr ("buurten-server: cannot initialise libsodium\n");
      return 1;
    }

  context = g_option_context_new ("[serve | migrate | user add | user unlock | "
                                  "import-municipality FILE | purge | audit verify | "
                                  "resident export|erase | retention]");
  g_option_context_set_summary (context,
                                "The Buurten server: sync API, login and the public "
                                "thermometer, on PostgreSQL.");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_group (context, buurten_residents_option_group ());
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("buurten-server: %s\n", error->message);
      return 2;
    }

  if (opt_db == NULL)
    opt_db = g_strdup (g_getenv ("BUURTEN_DB"));
  if (opt_db == NULL)
    {
      g_printerr ("buurten-server: say which database with --db or BUURTEN_DB\n");
      return 2;
    }
  if (opt_listen == NULL)
    opt_listen = g_strdup (g_getenv ("BUURTEN_LISTEN") != NULL ? g_getenv ("BUURTEN_LISTEN")
                                                               : "127.0.0.1:8080");

  command = argc > 1 ? argv[1] : "serve";

  if (g_str_equal (command, "serve") && argc <= 2)
    status = run_serve ();
  else if (g_str_equal (command, "migrate") && argc == 2)
    status = run_migrate ();
  else if (g_str_equal (command, "import-municipality") && argc == 3)
    status = run_import (argv[2]);
  else if (g_str_equal (command, "user") && argc == 3 && g_str_equal (argv[2], "add"))
    status = run_user_add ();
  else if (g_str_equal (command, "user") && argc == 3 && g_str_equal (argv[2], "unlock"))
    status = run_user_unlock ();
  else if (g_str_equal (command, "audit") && argc == 3 && g_str_equal (argv[2], "verify"))
    status = run_audit_verify ();
  else if (g_str_equal (command, "purge") && argc == 2)
    status = run_purge ();
  else if (g_str_equal (command, "resident") && argc == 3 &&
           (g_str_equal (argv[2], "export") || g_str_equal (argv[2], "erase")))
    status = run_residents (argv[2]);
  else if (g_str_equal (command, "retention") && argc == 2)
    status = run_residents (NULL);
  else
    status = usage (context);

  g_free (opt_db);
  g_free (opt_listen);
  g_free (opt_db_role);
  g_free (opt_username);
  g_strfreev (opt_roles);
  g_strfreev (opt_wijken);
  g_free (opt_password_file);
  return status;
}
