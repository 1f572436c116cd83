/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "buurten-startup.h"

#include <stdlib.h>
#include <unistd.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

void
buurten_startup_use_malloc (char **argv)
{
  g_autofree char *exe = NULL;

#if defined(__GLIBC__) && defined(M_MXFAST) && !defined(__SANITIZE_ADDRESS__)
  /* No fastbins: glibc keeps freed blocks of up to 128 bytes in them
   * unmerged, and the next larger request merges all of them at once
   * (malloc_consolidate). A pull page's JSON tree is some 60 000 such
   * blocks, freed while the next page's 1 MB of text and its tree are
   * allocated: that merging was a third of the parsing thread's CPU in a
   * first sync. Small blocks still come from the per-thread cache
   * (tcache) first (bench/RESULTS.md, issue 13). Before GLib allocates. */
  mallopt (M_MXFAST, 0);
#endif

  /* getenv/setenv: GLib's environment calls are no different here, and
   * nothing else runs yet. */
  if (argv == NULL || argv[0] == NULL || getenv ("G_SLICE") != NULL)
    return;
#if defined(__SANITIZE_ADDRESS__)
  /* The sanitizer builds are about correctness, not speed, and keep GLib
   * as it is: with malloc, LeakSanitizer sees the GIO modules GIO keeps
   * for the life of the process as leaks, and its fast stack traces are
   * too short to suppress exactly those. */
  return;
#endif
  if (glib_check_version (2, 76, 0) == NULL)
    return;  /* the slice allocator is malloc already */
  /* The file itself, not /proc/self/exe: the process keeps its name
   * (ps, top, the journal show "buurten", not "exe"). */
  exe = g_file_read_link ("/proc/self/exe", NULL);
  if (exe == NULL || setenv ("G_SLICE", "always-malloc", 1) != 0)
    return;
  execv (exe, argv);
  /* Not allowed, or the file is gone: the same program, a little slower,
   * and the environment as it was. */
  unsetenv ("G_SLICE");
}

/* Whether dir holds a catalogue of the package in any language. */
static gboolean
has_catalogue (const char *dir,
               const char *gettext_package)
{
  g_autoptr(GDir) languages = g_dir_open (dir, 0, NULL);
  g_autofree char *file = g_strconcat (gettext_package, ".mo", NULL);
  const char *language;

  if (languages == NULL)
    return FALSE;

  while ((language = g_dir_read_name (languages)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, language, "LC_MESSAGES", file, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return TRUE;
    }

  return FALSE;
}

char *
buurten_startup_find_localedir (const char *gettext_package,
                                const char *configured)
{
  const char *override = g_getenv ("BUURTEN_LOCALEDIR");
  g_autofree char *exe = NULL;
  g_autofree char *bin = NULL;
  g_autofree char *build = NULL;
  g_autofree char *installed = NULL;

  if (override != NULL && *override != '\0')
    return g_strdup (override);

  exe = g_file_read_link ("/proc/self/exe", NULL);
  if (exe == NULL)
    return g_strdup (configured);

  bin = g_path_get_dirname (exe);
  /* build/src/buurten: the catalogues are built in build/po. */
  build = g_build_filename (bin, "..", "po", NULL);
  if (has_catalogue (build, gettext_package))
    return g_steal_pointer (&build);

  /* PREFIX/bin/buurten: PREFIX/share/locale, wherever PREFIX is. */
  installed = g_build_filename (bin, "..", "share", "locale", NULL);
  if (has_catalogue (installed, gettext_package))
    return g_steal_pointer (&installed);

  return g_strdup (configured);
}
