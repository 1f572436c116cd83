/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Working days in the Netherlands: Monday to Friday, except the public
 * holidays the municipality observes: New Year's Day, Easter Monday,
 * King's Day (27 April, or 26 April when the 27th is a Sunday), Liberation
 * Day (5 May), Ascension Day, Whit Monday, Christmas (25 and 26 December).
 * Good Friday is not a day off for the municipality. */

void      buurten_date_easter_sunday   (int          year,
                                        GDate       *out);
gboolean  buurten_date_is_holiday      (const GDate *date);
gboolean  buurten_date_is_working_day  (const GDate *date);
/* Adds n working days: the result is the n-th working day after date. */
void      buurten_date_add_working_days (const GDate *date,
                                         guint        n,
                                         GDate       *out);
/* Working days in (from, to]: 0 when to <= from. */
guint     buurten_date_working_days_between (const GDate *from,
                                             const GDate *to);

typedef enum
{
  BUURTEN_OVERDUE_NONE,
  BUURTEN_OVERDUE_YES,       /* today is after the due date */
  BUURTEN_OVERDUE_SEVERELY,  /* more than 3x the term has run */
} BuurtenOverdue;

/**
 * BuurtenDeadline:
 * @received: the day the request came in
 * @term_days: the answer term in working days (from the municipality file)
 * @paused_working_days: working days already spent waiting for the resident
 *   (closed pauses); they do not count
 * @paused_since: if valid, the request waits for the resident since this
 *   day and the clock is stopped now
 *
 * The answer clock of one request. Pauses are stored as a running total so
 * that a request needs no history to know its due date.
 */
typedef struct
{
  GDate received;
  guint term_days;
  guint paused_working_days;
  GDate paused_since;
} BuurtenDeadline;

/* The due date as of today: the pause that is still open pushes it on. */
void            buurten_deadline_due_date  (const BuurtenDeadline *deadline,
                                            const GDate           *today,
                                            GDate                 *out_due);
/* Working days that counted against the term up to and including today. */
guint           buurten_deadline_elapsed   (const BuurtenDeadline *deadline,
                                            const GDate           *today);
BuurtenOverdue  buurten_deadline_status    (const BuurtenDeadline *deadline,
                                            const GDate           *today);

G_END_DECLS
