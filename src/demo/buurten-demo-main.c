/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-demo"

#include "config.h"

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "buurten-demo.h"
#include "buurten-startup.h"

/* buurten-demo: fills a database with a year of demo data, for trying the
 * app, screenshots and benchmarks. It never overwrites data by accident:
 * an existing database that holds anything is only replaced with --force. */

#define MAX_REQUESTS    100000
#define MAX_INITIATIVES 10000

static void
print_progress (guint    done,
                guint    total,
                gpointer user_data)
{
  guint percent = total > 0 ? (guint) ((guint64) done * 100 / total) : 100;

  g_print ("\r%3u %%", percent);
  fflush (stdout);
}

static gboolean
parse_day (const char *text,
           GDate      *out)
{
  int year, month, day;
  char tail;

  if (text == NULL || sscanf (text, "%4d-%2d-%2d%c", &year, &month, &day, &tail) != 3)
    return FALSE;
  if (strlen (text) != 10 || !g_date_valid_dmy ((GDateDay) day, (GDateMonth) month,
                                                (GDateYear) year))
    return FALSE;
  g_date_clear (out, 1);
  g_date_set_dmy (out, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
  return TRUE;
}

/* Whether the database at path holds a municipality or any entity. */
static gboolean
store_has_data (const char  *path,
                gboolean    *out_has_data,
                GError     **error)
{
  g_autoptr(BuurtenStore) store = NULL;
  g_autoptr(BuurtenMunicipality) municipality = NULL;
  g_autoptr(GError) local_error = NULL;

  *out_has_data = FALSE;
  store = buurten_store_open (path, error);
  if (store == NULL)
    return FALSE;

  municipality = buurten_store_load_municipality (store, &local_error);
  if (municipality != NULL)
    {
      *out_has_data = TRUE;
      return TRUE;
    }
  if (!g_error_matches (local_error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  for (guint i = 0; buurten_entity_infos[i] != NULL; i++)
    {
      gint64 count = buurten_store_count (store, buurten_entity_infos[i], error);

      if (count < 0)
        return FALSE;
      if (count > 0)
        {
          *out_has_data = TRUE;
          break;
        }
    }
  return TRUE;
}

/* Removes the database and its SQLite side files; nothing else. */
static gboolean
remove_database (const char  *path,
                 GError     **error)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      if (g_remove (file) != 0 && errno != ENOENT)
        {
          int saved_errno = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("Could not remove %s: %s"), file, g_strerror (saved_errno));
          return FALSE;
        }
    }
  return TRUE;
}

static int
fail (const char *message)
{
  g_printerr ("%s: %s\n", g_get_prgname (), message);
  return 1;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BuurtenMunicipality) municipality = NULL;
  g_autoptr(BuurtenStore) store = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *today_text = NULL;
  g_autofree char *path = NULL;
  gint64 requests = -1;
  gint64 initiatives = -1;
  gint64 seed = -1;
  int year = 0;
  gboolean force = FALSE;
  gboolean tty;
  gboolean created;
  BuurtenDemoOptions options;
  gint64 started;
  g_autofree char *localedir = NULL;
  const GOptionEntry entries[] = {
    { "data-dir", 'd', G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &data_dir,
      N_("Write the database into DIR (default: the app’s data directory)"), N_("DIR") },
    { "requests", 'r', G_OPTION_FLAG_NONE, G_OPTION_ARG_INT64, &requests,
      N_("Number of requests (default: about 1 200, at most 100 000)"), N_("N") },
    { "initiatives", 'i', G_OPTION_FLAG_NONE, G_OPTION_ARG_INT64, &initiatives,
      N_("Number of initiatives (default: about 160, at most 10 000)"), N_("N") },
    { "seed", 's', G_OPTION_FLAG_NONE, G_OPTION_ARG_INT64, &seed,
      N_("Random seed: the same seed gives the same database (default: 20261)"), N_("S") },
    { "year", 'y', G_OPTION_FLAG_NONE, G_OPTION_ARG_INT, &year,
      N_("The year of the demo (default: the year of today)"), N_("Y") },
    { "today", 't', G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &today_text,
      N_("Pretend today is this day (default: today)"), N_("YYYY-MM-DD") },
    { "force", 'f', G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &force,
      N_("Replace an existing database (removes buurten.db and its side files)"), NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  localedir = buurten_startup_find_localedir (GETTEXT_PACKAGE, LOCALEDIR);
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("buurten-demo");

  context = g_option_context_new (NULL);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Fills a Buurten database with a year of demo data: requests, "
                                  "initiatives, decisions, budgets, escalations and meetings "
                                  "in the wijken of Hilversum. All names and contact details "
                                  "are made up."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      g_printerr (_("Run “%s --help” to see the options.\n"), g_get_prgname ());
      return 1;
    }
  if (argc > 1)
    {
      g_autofree char *message = g_strdup_printf (_("Unexpected argument “%s”"), argv[1]);
      return fail (message);
    }

  buurten_demo_options_init (&options);

  if (requests != -1 && (requests < 1 || requests > MAX_REQUESTS))
    {
      g_autofree char *message =
        g_strdup_printf (_("--requests must be between 1 and %u"), (guint) MAX_REQUESTS);
      return fail (message);
    }
  if (initiatives != -1 && (initiatives < 1 || initiatives > MAX_INITIATIVES))
    {
      g_autofree char *message =
        g_strdup_printf (_("--initiatives must be between 1 and %u"), (guint) MAX_INITIATIVES);
      return fail (message);
    }
  options.n_requests = requests > 0 ? (guint) requests : 0;
  options.n_initiatives = initiatives > 0 ? (guint) initiatives : 0;

  if (seed > (gint64) G_MAXUINT32)
    {
      g_autofree char *message =
        g_strdup_printf (_("--seed must be between 0 and %u"), G_MAXUINT32);
      return fail (message);
    }
  if (seed >= 0)
    options.seed = (guint32) seed;
  else if (seed != -1)
    {
      g_autofree char *message =
        g_strdup_printf (_("--seed must be between 0 and %u"), G_MAXUINT32);
      return fail (message);
    }

  if (today_text != NULL)
    {
      if (!parse_day (today_text, &options.today))
        {
          g_autofree char *message =
            g_strdup_printf (_("“%s” is not a date; use YYYY-MM-DD"), today_text);
          return fail (message);
        }
      options.year = g_date_get_year (&options.today);
    }
  if (year != 0)
    {
      if (year < 2000 || year > 2100)
        return fail (_("--year must be between 2000 and 2100"));
      options.year = year;
      /* A past year without --today: show it as it ended. */
      if (today_text == NULL && year < g_date_get_year (&options.today))
        g_date_set_dmy (&options.today, 31, G_DATE_DECEMBER, (GDateYear) year);
    }
  if (g_date_get_year (&options.today) < options.year)
    {
      g_autofree char *message =
        g_strdup_printf (_("The year %d has not started yet; pass --today too"), options.year);
      return fail (message);
    }

  path = buurten_store_default_path (data_dir);

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      if (force)
        {
          if (!remove_database (path, &error))
            return fail (error->message);
        }
      else
        {
          gboolean has_data = FALSE;

          if (!store_has_data (path, &has_data, &error))
            {
              g_autofree char *message =
                g_strdup_printf (_("Cannot use %s: %s (--force replaces it)"),
                                 path, error->message);
              return fail (message);
            }
          if (has_data)
            {
              g_autofree char *message =
                g_strdup_printf (_("%s already holds data; use --force to replace it"), path);
              return fail (message);
            }
        }
    }

  municipality = buurten_municipality_new_default (&error);
  if (municipality == NULL)
    {
      g_autofree char *message =
        g_strdup_printf (_("Cannot load the municipality data: %s"), error->message);
      return fail (message);
    }

  if (buurten_municipality_get_budget_table (municipality, options.year) == NULL ||
      buurten_municipality_get_mandate_table (municipality, options.year) == NULL)
    {
      g_autofree char *message =
        g_strdup_printf (_("The municipality has no budget or mandate table for %d"),
                         options.year);
      return fail (message);
    }

  created = !g_file_test (path, G_FILE_TEST_EXISTS);
  store = buurten_store_open (path, &error);
  if (store == NULL)
    return fail (error->message);

  tty = isatty (STDOUT_FILENO);
  started = g_get_monotonic_time ();
  if (!buurten_demo_generate (store, municipality, &options, tty ? print_progress : NULL,
                              NULL, &error))
    {
      g_autofree char *message = NULL;

      if (tty)
        g_print ("\n");
      message = g_strdup_printf (_("Could not write the demo data: %s"), error->message);
      /* Leave no half-made database behind that we made ourselves. */
      g_clear_object (&store);
      if (created)
        remove_database (path, NULL);
      return fail (message);
    }
  if (tty)
    g_print ("\n");

  g_print (_("Wrote %u requests and %u initiatives in %.1f s "
             "(seed %u, year %d, today %04d-%02d-%02d)\n"),
           (guint) buurten_store_count (store, &buurten_request_info, NULL),
           (guint) buurten_store_count (store, &buurten_initiative_info, NULL),
           (double) (g_get_monotonic_time () - started) / G_USEC_PER_SEC,
           options.seed, options.year,
           (int) g_date_get_year (&options.today), (int) g_date_get_month (&options.today),
           (int) g_date_get_day (&options.today));
  g_print (_("Database: %s\n"), path);
  return 0;
}
