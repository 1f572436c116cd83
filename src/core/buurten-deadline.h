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
/* Adds n working days: the result is the n-th working day after date;
 * n = 0 gives date itself, even when that is not a working day. A result
 * past the year 65535 is a programmer error (critical, @out cleared). */
void      buurten_date_add_working_days (const GDate *date,
                                         guint        n,
                                         GDate       *out);
/* Working days in (from, to]: 0 when to <= from. The day a request
 * comes in does not count; the day it is answered does. */
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

/* How the clock runs. Write W(a, b) for the working days d with a < d <= b,
 * R for received, t for term_days, P for paused_working_days and, when
 * paused_since S is valid, O = W(max (S, R), today) for the working days of
 * the pause that is still open (0 when none is open). The day S itself
 * still counts (the question went out that day); the day the resident
 * answers does not.
 *
 *   elapsed(today) = W(R, today) - P - O               (never below 0)
 *   due(today)     = add_working_days (R, t + P + O)
 *   status         = SEVERELY when elapsed > 3 t,
 *                    else YES when today > due,
 *                    else NONE.
 *
 * So the due day itself is not overdue and the day after it is; exactly
 * 3 t elapsed working days is overdue, 3 t + 1 is severely overdue. While a
 * pause is open, elapsed stands still and the due date moves on with every
 * working day waited: it stays the remaining term (t - elapsed) working
 * days after today. A request with term left when the question went out
 * therefore cannot become overdue while it waits, and one that was already
 * overdue stays overdue. A question sent on the due day itself leaves no
 * term: on a weekend day during that pause today > due, exactly as if the
 * answer had come that day. Whether a request still has a clock at all (not
 * once resolved or cancelled) is for the caller to decide.
 *
 * Pauses close with buurten_deadline_resume(), which moves O into P; the
 * due date and elapsed count are the same just before and after. */

/* The due date as of today: the pause that is still open pushes it on. */
void            buurten_deadline_due_date  (const BuurtenDeadline *deadline,
                                            const GDate           *today,
                                            GDate                 *out_due);
/* Working days that counted against the term up to and including today. */
guint           buurten_deadline_elapsed   (const BuurtenDeadline *deadline,
                                            const GDate           *today);
BuurtenOverdue  buurten_deadline_status    (const BuurtenDeadline *deadline,
                                            const GDate           *today);

/* The request starts waiting for the resident today (it goes to
 * "reactie_gevraagd"): sets paused_since unless a pause is already open. */
void            buurten_deadline_pause     (BuurtenDeadline       *deadline,
                                            const GDate           *today);
/* The resident answered today: adds the open pause's working days to
 * paused_working_days and clears paused_since. Nothing when not paused. */
void            buurten_deadline_resume    (BuurtenDeadline       *deadline,
                                            const GDate           *today);

G_END_DECLS
