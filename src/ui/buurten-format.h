/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "buurten-core.h"

G_BEGIN_DECLS

/* The names and amounts that documents show as well (percentages, days,
 * escalation levels and targets, fundings, instruments) are core's:
 * buurten-names.h. */

/* Texts the widgets show, built from translatable format strings so that
 * every language words them its own way. All return newly allocated
 * strings. */

/* The thermometer in words for assistive technology, e.g. "Centrum:
 * € 32.500 budget, € 12.400 approved, € 1.500 pending, € 4.100 spent, 43 %
 * committed". Amounts in whole euros when they are whole. */
char *buurten_format_thermometer_description (const BuurtenThermometer *thermometer);
/* "43 % committed · € 18.600,00 free", or "... · € 786,00 over budget" */
char *buurten_format_thermometer_summary     (const BuurtenThermometer *thermometer);

/* A GtkLevelBar as a budget thermometer: one colour up to the whole budget
 * (the default offsets would paint a low, healthy fill as a warning). */
void  buurten_level_bar_thermometer_init           (GtkLevelBar              *bar);
/* Fills the bar with the committed share (clamped to the whole budget),
 * marks an overrun and gives it the description as accessible label. */
void  buurten_level_bar_thermometer_update         (GtkLevelBar              *bar,
                                              const BuurtenThermometer *thermometer);

/* Dates in the user's locale, short: "ma 27 apr" (Dutch), "Mon 27 Apr". */
char *buurten_format_date                    (const GDate              *date);
/* A Unix time in local time: "ma 27 apr 14:00". */
char *buurten_format_timestamp               (gint64                    unix_seconds);
/* Only the day of a Unix time: "ma 27 apr". */
char *buurten_format_timestamp_date          (gint64                    unix_seconds);

/* Translated names of enumerations. */
const char *buurten_format_request_type      (BuurtenRequestType        type);
const char *buurten_format_meeting_kind      (BuurtenMeetingKind        kind);
/* The name of an entity's field as people know it; the id for fields not
 * listed. */
const char *buurten_format_field_label       (const char               *field);

G_END_DECLS
