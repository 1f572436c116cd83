/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-document-cli"

#include "config.h"

#include "buurten-document-cli.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

#include "buurten-beschikking.h"
#include "buurten-briefing.h"
#include "buurten-buurtdeal-document.h"
#include "buurten-store.h"

#define VERB "document"

static gboolean
takes_value (const char         *arg,
             const GOptionEntry *entries)
{
  for (guint i = 0; entries != NULL && entries[i].long_name != NULL; i++)
    {
      const GOptionEntry *entry = &entries[i];
      gboolean is_long = g_str_has_prefix (arg, "--") && g_str_equal (arg + 2, entry->long_name);
      gboolean is_short = entry->short_name != 0 && arg[0] == '-' && arg[1] == entry->short_name &&
                          arg[2] == '\0';

      if (is_long || is_short)
        return entry->arg != G_OPTION_ARG_NONE;
    }
  return FALSE;
}

gboolean
buurten_document_cli_wanted (char              **argv,
                             const GOptionEntry *app_entries)
{
  g_return_val_if_fail (argv != NULL, FALSE);

  for (guint i = 1; argv[i] != NULL; i++)
    {
      const char *arg = argv[i];

      if (g_str_equal (arg, "--"))
        return argv[i + 1] != NULL && g_str_equal (argv[i + 1], VERB);
      if (arg[0] == '-' && arg[1] != '\0')
        {
          /* "--data-dir DIR": skip the value too ("--data-dir=DIR" has it). */
          if (strchr (arg, '=') == NULL && takes_value (arg, app_entries) && argv[i + 1] != NULL)
            i++;
          continue;
        }
      return g_str_equal (arg, VERB);
    }
  return FALSE;
}

static int
fail (const char *format,
      ...) G_GNUC_PRINTF (1, 2);

static int
fail (const char *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  /* One line: a script's log shows it whole. */
  g_strdelimit (message, "\n", ' ');
  g_printerr ("buurten: %s\n", message);
  return EXIT_FAILURE;
}

/* Only "YYYY-MM-DD" and a day that exists. */
static gboolean
parse_date (const char *text,
            GDate      *out)
{
  guint year, month, day;

  if (text == NULL || strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
      return FALSE;
  year = (guint) g_ascii_strtoull (text, NULL, 10);
  month = (guint) g_ascii_strtoull (text + 5, NULL, 10);
  day = (guint) g_ascii_strtoull (text + 8, NULL, 10);
  if (year < 1900 || !g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    return FALSE;

  g_date_clear (out, 1);
  g_date_set_dmy (out, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
  return TRUE;
}

static BuurtenMunicipality *
load_municipality (BuurtenStore  *store,
                   GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  BuurtenMunicipality *municipality = buurten_store_load_municipality (store, &local_error);

  /* As the app does: the store's copy, else the installed file. */
  if (municipality == NULL &&
      g_error_matches (local_error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_NOT_FOUND))
    return buurten_municipality_new_default (error);
  if (municipality == NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return municipality;
}

/* What every document kind gets from the command line. */
typedef struct
{
  const char *data_dir;
  const char *wijk;
  const char *date;
  const char *initiative;
  const char *output;
} Options;

static int
open_store (const Options        *options,
            BuurtenStore        **store_out,
            BuurtenMunicipality **municipality_out)
{
  g_autoptr(BuurtenStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *db_path = buurten_store_default_path (options->data_dir);

  /* Never make an empty database where the user expected one. */
  if (!g_file_test (db_path, G_FILE_TEST_IS_REGULAR))
    return fail (_("There is no Buurten database at %s"), db_path);

  store = buurten_store_open (db_path, &error);
  if (store == NULL)
    return fail (_("Cannot open %s: %s"), db_path, error->message);
  *municipality_out = load_municipality (store, &error);
  if (*municipality_out == NULL)
    return fail ("%s", error->message);

  *store_out = g_steal_pointer (&store);
  return EXIT_SUCCESS;
}

static int
write_document (BuurtenDocument *document,
                const char      *output)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (output);
  g_autoptr(GError) error = NULL;

  if (!buurten_document_write_pdf (document, file, &error))
    return fail (_("Cannot write %s: %s"), output, error->message);
  return EXIT_SUCCESS;
}

static int
write_briefing (const Options *options)
{
  g_autoptr(BuurtenStore) store = NULL;
  g_autoptr(BuurtenMunicipality) municipality = NULL;
  g_autoptr(BuurtenBriefing) briefing = NULL;
  g_autoptr(BuurtenDocument) document = NULL;
  g_autoptr(GError) error = NULL;
  GDate date;
  int status;

  if (options->wijk == NULL || options->date == NULL || options->output == NULL)
    return fail (_("document briefing needs --wijk WIJK, --date YYYY-MM-DD and --output "
                   "FILE.pdf"));
  if (!parse_date (options->date, &date))
    return fail (_("“%s” is not a date: write it as YYYY-MM-DD, for example 2026-10-20"),
                 options->date);

  status = open_store (options, &store, &municipality);
  if (status != EXIT_SUCCESS)
    return status;

  briefing = buurten_briefing_load (store, municipality, options->wijk, &date, &error);
  if (briefing == NULL)
    return fail ("%s", error->message);

  document = buurten_briefing_document (briefing, g_get_real_time () / G_USEC_PER_SEC);
  return write_document (document, options->output);
}

static int
write_beschikking (const Options *options)
{
  g_autoptr(BuurtenStore) store = NULL;
  g_autoptr(BuurtenMunicipality) municipality = NULL;
  g_autoptr(BuurtenBeschikking) beschikking = NULL;
  g_autoptr(BuurtenDocument) document = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (options->initiative == NULL || options->output == NULL)
    return fail (_("document beschikking needs --initiative ID and --output FILE.pdf"));

  status = open_store (options, &store, &municipality);
  if (status != EXIT_SUCCESS)
    return status;

  beschikking = buurten_beschikking_load (store, municipality, options->initiative, &error);
  if (beschikking == NULL)
    return fail ("%s", error->message);

  document = buurten_beschikking_document (beschikking);
  return write_document (document, options->output);
}

static int
write_buurtdeal (const Options *options)
{
  g_autoptr(BuurtenStore) store = NULL;
  g_autoptr(BuurtenMunicipality) municipality = NULL;
  g_autoptr(BuurtenBuurtdealDocument) deal = NULL;
  g_autoptr(BuurtenDocument) document = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (options->initiative == NULL || options->output == NULL)
    return fail (_("document buurtdeal needs --initiative ID and --output FILE.pdf"));

  status = open_store (options, &store, &municipality);
  if (status != EXIT_SUCCESS)
    return status;

  deal = buurten_buurtdeal_document_load (store, municipality, options->initiative, &error);
  if (deal == NULL)
    return fail ("%s", error->message);

  document = buurten_buurtdeal_document_build (deal, g_get_real_time () / G_USEC_PER_SEC);
  return write_document (document, options->output);
}

/* The documents Buurten writes: the word after "document" and its writer. */
static const struct
{
  const char *kind;
  int       (*write) (const Options *options);
} kinds[] = {
  { "beschikking", write_beschikking },
  { "buurtdeal", write_buurtdeal },
  { "briefing", write_briefing },
};

static char *
kind_names (void)
{
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    g_string_append_printf (names, "%s%s", i > 0 ? ", " : "", kinds[i].kind);
  return g_string_free (g_steal_pointer (&names), FALSE);
}

int
buurten_document_cli_run (char **argv)
{
  g_autofree char *data_dir = NULL;
  g_autofree char *wijk = NULL;
  g_autofree char *date = NULL;
  g_autofree char *initiative = NULL;
  g_autofree char *output = NULL;
  g_autofree char *names = kind_names ();
  Options options;
  const GOptionEntry entries[] = {
    { "data-dir", 'd', G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &data_dir,
      N_("Read the database in DIR"), N_("DIR") },
    { "wijk", 'w', G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &wijk,
      N_("The wijk (its id, e.g. oost) (briefing)"), N_("WIJK") },
    { "date", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &date,
      N_("The date of the meeting (briefing)"), N_("YYYY-MM-DD") },
    { "initiative", 'i', G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &initiative,
      N_("The initiative's id (beschikking, buurtdeal)"), N_("ID") },
    { "output", 'o', G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &output,
      N_("Write the PDF to FILE"), N_("FILE.pdf") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) args = NULL;
  guint n_args;

  g_return_val_if_fail (argv != NULL, EXIT_FAILURE);

  /* Translators: the words after "buurten document" in its --help */
  context = g_option_context_new (_("beschikking|buurtdeal|briefing — write a document as PDF"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Writes a document as PDF, from the data on this computer, "
                                  "without opening a window:\n"
                                  "  buurten --data-dir DIR document beschikking --initiative ID "
                                  "--output FILE.pdf\n"
                                  "      the subsidiebeschikking of an initiative's decision\n"
                                  "  buurten --data-dir DIR document buurtdeal --initiative ID "
                                  "--output FILE.pdf\n"
                                  "      the buurtdeal of an initiative\n"
                                  "  buurten --data-dir DIR document briefing --wijk WIJK --date "
                                  "YYYY-MM-DD --output FILE.pdf\n"
                                  "      the wijkwethouder's briefing of a wijk for a meeting"));

  args = g_strdupv (argv);
  if (!g_option_context_parse_strv (context, &args, &error))
    return fail ("%s", error->message);

  /* What is left: the program, "document", the kind of document. */
  n_args = g_strv_length (args);
  if (n_args < 3 || !g_str_equal (args[1], VERB))
    return fail (_("Which document? Buurten writes: %s"), names);
  if (n_args > 3)
    return fail (_("Too many arguments: “%s”"), args[3]);

  options.data_dir = data_dir;
  options.wijk = wijk;
  options.date = date;
  options.initiative = initiative;
  options.output = output;
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_str_equal (args[2], kinds[i].kind))
      return kinds[i].write (&options);

  return fail (_("Buurten cannot write a “%s”; it writes: %s"), args[2], names);
}
