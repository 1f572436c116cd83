/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The documents on the command line, without a window:
 *   buurten [--data-dir DIR] document beschikking --initiative ID --output FILE.pdf
 *   buurten [--data-dir DIR] document buurtdeal --initiative ID --output FILE.pdf
 *   buurten [--data-dir DIR] document briefing --wijk WIJK --date YYYY-MM-DD
 *           --output FILE.pdf
 * Exit status 0 when the file is written; a one-line error in the user's
 * language and 1 otherwise (an unknown wijk or initiative, an initiative
 * without a decision or a buurtdeal, a date that is not one, a file that
 * cannot be written, no database). */

/* Whether argv (a program's whole command line) asks for a document: its
 * first word that is neither an option nor an option's value is
 * "document". app_entries: the program's own options, to know which take
 * a value. */
gboolean buurten_document_cli_wanted (char              **argv,
                                      const GOptionEntry *app_entries);
/* Runs it; returns the exit status. */
int      buurten_document_cli_run    (char              **argv);

G_END_DECLS
