/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "buurten-application.h"
#include "buurten-startup.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(BuurtenApplication) app = NULL;
  g_autofree char *localedir = NULL;

  buurten_startup_use_malloc (argv);
  setlocale (LC_ALL, "");
  /* From the build tree as well as installed (buurten-startup.h). */
  localedir = buurten_startup_find_localedir (GETTEXT_PACKAGE, LOCALEDIR);
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = buurten_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
