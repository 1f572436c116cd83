/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Call first thing in main(). GLib before 2.76 hands the many small
 * blocks of json-glib trees, hash tables and lists out of its own slice
 * allocator, which is slower here than glibc's malloc: a first sync spends
 * a fifth less CPU with malloc (bench/RESULTS.md), and GLib 2.76 dropped
 * the slice allocator for that reason. GLib reads its choice (G_SLICE)
 * when it is loaded, before main(): so when G_SLICE is not set, this sets
 * G_SLICE=always-malloc and executes the program again, once, with the
 * same arguments (the file /proc/self/exe names, so the process keeps its
 * name). With GLib 2.76 or later, G_SLICE set, or in an AddressSanitizer
 * build, it does nothing. When the new start fails, the program goes on
 * as it was. It also turns glibc's fastbins off (mallopt M_MXFAST 0):
 * freeing and reallocating json-glib's trees page after page made glibc
 * merge them over and over. */
void buurten_startup_use_malloc (char **argv);

/* Where the program finds its translations (the directory holding
 * nl/LC_MESSAGES/GETTEXT_PACKAGE.mo): $BUURTEN_LOCALEDIR when set; else,
 * for a program run from its build directory (build/src/buurten), the
 * build's po/; else, for a program installed under any prefix
 * (PREFIX/bin), PREFIX/share/locale when the catalogues are there; else
 * the configured LOCALEDIR. So `./dev run` speaks Dutch on a Dutch
 * desktop without being installed. */
char *buurten_startup_find_localedir (const char *gettext_package,
                                      const char *configured);

G_END_DECLS
