/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "buurten-startup.h"

#include <stdlib.h>
#include <unistd.h>

void
buurten_startup_use_malloc (char **argv)
{
  /* getenv/setenv: GLib's environment calls are no different here, and
   * nothing else runs yet. */
  if (argv == NULL || argv[0] == NULL || getenv ("G_SLICE") != NULL)
    return;
  if (glib_check_version (2, 76, 0) == NULL)
    return;  /* the slice allocator is malloc already */
  if (setenv ("G_SLICE", "always-malloc", 1) != 0)
    return;
  execv ("/proc/self/exe", argv);
  /* No /proc, or not allowed: the same program, a little slower. */
}
