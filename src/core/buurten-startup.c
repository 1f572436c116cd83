/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "buurten-startup.h"

#include <stdlib.h>
#include <unistd.h>

void
buurten_startup_use_malloc (char **argv)
{
  g_autofree char *exe = NULL;

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
