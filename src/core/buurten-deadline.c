/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-deadline"

#include "config.h"

#include "buurten-deadline.h"

/* Dates are walked as GDate Julian day numbers (day 1 is Monday 1 January
 * of year 1), so a walk over many days never converts back and forth
 * between day-month-year and Julian. The holidays of the year the walk is in
 * are kept in a small cache and recomputed when the walk crosses a year. */

enum { N_HOLIDAYS = 8 };

typedef struct
{
  guint   year;          /* 0: nothing cached yet */
  guint32 first_julian;  /* 1 January */
  guint32 last_julian;   /* 31 December */
  guint32 holidays[N_HOLIDAYS];
} YearCache;

static guint32
julian_of (guint year,
           GDateMonth month,
           GDateDay day)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, day, month, (GDateYear) year);
  return g_date_get_julian (&date);
}

static guint32
last_valid_julian (void)
{
  return julian_of (G_MAXUINT16, G_DATE_DECEMBER, 31);
}

/* Monday is 1, as in GDateWeekday. */
static guint
weekday_of_julian (guint32 julian)
{
  return ((julian - 1) % 7) + 1;
}

static void
year_cache_fill (YearCache *cache,
                 guint      year)
{
  GDate easter;
  guint32 e;
  guint32 kings_day;
  guint i = 0;

  buurten_date_easter_sunday ((int) year, &easter);
  e = g_date_get_julian (&easter);

  /* King's Day moves to Saturday 26 April when the 27th is a Sunday. */
  kings_day = julian_of (year, G_DATE_APRIL, 27);
  if (weekday_of_julian (kings_day) == G_DATE_SUNDAY)
    kings_day--;

  cache->year = year;
  cache->first_julian = julian_of (year, G_DATE_JANUARY, 1);
  cache->last_julian = julian_of (year, G_DATE_DECEMBER, 31);

  cache->holidays[i++] = cache->first_julian;                      /* New Year's Day */
  cache->holidays[i++] = e + 1;                                    /* Easter Monday */
  cache->holidays[i++] = kings_day;
  cache->holidays[i++] = julian_of (year, G_DATE_MAY, 5);          /* Liberation Day */
  cache->holidays[i++] = e + 39;                                   /* Ascension Day */
  cache->holidays[i++] = e + 50;                                   /* Whit Monday */
  cache->holidays[i++] = julian_of (year, G_DATE_DECEMBER, 25);
  cache->holidays[i++] = julian_of (year, G_DATE_DECEMBER, 26);

  g_assert (i == N_HOLIDAYS);
}

static gboolean
julian_is_holiday (YearCache *cache,
                   guint32    julian)
{
  if (cache->year == 0 || julian < cache->first_julian || julian > cache->last_julian)
    {
      GDate date;

      g_date_clear (&date, 1);
      g_date_set_julian (&date, julian);
      year_cache_fill (cache, g_date_get_year (&date));
    }

  for (guint i = 0; i < N_HOLIDAYS; i++)
    if (cache->holidays[i] == julian)
      return TRUE;

  return FALSE;
}

static gboolean
julian_is_working_day (YearCache *cache,
                       guint32    julian)
{
  if (weekday_of_julian (julian) >= G_DATE_SATURDAY)
    return FALSE;

  return !julian_is_holiday (cache, julian);
}

/* Working days in (from, to], both valid Julian days. */
static guint
working_days_between_julian (guint32 from,
                             guint32 to)
{
  YearCache cache = { 0, };
  guint count = 0;

  for (guint32 j = from + 1; j <= to; j++)
    if (julian_is_working_day (&cache, j))
      count++;

  return count;
}

/* The anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
void
buurten_date_easter_sunday (int    year,
                            GDate *out)
{
  int a, b, c, d, e, f, g, h, i, k, l, m, month, day;

  g_return_if_fail (out != NULL);
  g_return_if_fail (year >= 1 && year <= G_MAXUINT16);

  a = year % 19;
  b = year / 100;
  c = year % 100;
  d = b / 4;
  e = b % 4;
  f = (b + 8) / 25;
  g = (b - f + 1) / 3;
  h = (19 * a + b - d - g + 15) % 30;
  i = c / 4;
  k = c % 4;
  l = (32 + 2 * e + 2 * i - h - k) % 7;
  m = (a + 11 * h + 22 * l) / 451;
  month = (h + l - 7 * m + 114) / 31;
  day = ((h + l - 7 * m + 114) % 31) + 1;

  g_date_clear (out, 1);
  g_date_set_dmy (out, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
}

gboolean
buurten_date_is_holiday (const GDate *date)
{
  YearCache cache = { 0, };

  g_return_val_if_fail (date != NULL, FALSE);
  g_return_val_if_fail (g_date_valid (date), FALSE);

  return julian_is_holiday (&cache, g_date_get_julian (date));
}

gboolean
buurten_date_is_working_day (const GDate *date)
{
  YearCache cache = { 0, };

  g_return_val_if_fail (date != NULL, FALSE);
  g_return_val_if_fail (g_date_valid (date), FALSE);

  return julian_is_working_day (&cache, g_date_get_julian (date));
}

void
buurten_date_add_working_days (const GDate *date,
                               guint        n,
                               GDate       *out)
{
  YearCache cache = { 0, };
  guint32 last = last_valid_julian ();
  guint32 julian;

  g_return_if_fail (date != NULL);
  g_return_if_fail (g_date_valid (date));
  g_return_if_fail (out != NULL);

  julian = g_date_get_julian (date);

  while (n > 0)
    {
      if (julian >= last)
        {
          g_critical ("%s: %u more working days do not fit in a GDate", G_STRFUNC, n);
          g_date_clear (out, 1);
          return;
        }

      julian++;
      if (julian_is_working_day (&cache, julian))
        n--;
    }

  g_date_clear (out, 1);
  g_date_set_julian (out, julian);
}

guint
buurten_date_working_days_between (const GDate *from,
                                   const GDate *to)
{
  g_return_val_if_fail (from != NULL && g_date_valid (from), 0);
  g_return_val_if_fail (to != NULL && g_date_valid (to), 0);

  return working_days_between_julian (g_date_get_julian (from), g_date_get_julian (to));
}

/* Working days of the pause that is still open, as of today: those in
 * (paused_since, today], never counting days before the request came in. */
static guint
open_pause_days (const BuurtenDeadline *deadline,
                 const GDate           *today)
{
  guint32 start;

  if (!g_date_valid (&deadline->paused_since))
    return 0;

  start = MAX (g_date_get_julian (&deadline->paused_since),
               g_date_get_julian (&deadline->received));

  return working_days_between_julian (start, g_date_get_julian (today));
}

static guint
saturating_add (guint a,
                guint b)
{
  return a > G_MAXUINT - b ? G_MAXUINT : a + b;
}

void
buurten_deadline_due_date (const BuurtenDeadline *deadline,
                           const GDate           *today,
                           GDate                 *out_due)
{
  guint n;

  g_return_if_fail (deadline != NULL);
  g_return_if_fail (g_date_valid (&deadline->received));
  g_return_if_fail (today != NULL && g_date_valid (today));
  g_return_if_fail (out_due != NULL);

  n = saturating_add (deadline->term_days, deadline->paused_working_days);
  n = saturating_add (n, open_pause_days (deadline, today));

  buurten_date_add_working_days (&deadline->received, n, out_due);
}

guint
buurten_deadline_elapsed (const BuurtenDeadline *deadline,
                          const GDate           *today)
{
  guint counted;
  guint paused;

  g_return_val_if_fail (deadline != NULL, 0);
  g_return_val_if_fail (g_date_valid (&deadline->received), 0);
  g_return_val_if_fail (today != NULL && g_date_valid (today), 0);

  counted = buurten_date_working_days_between (&deadline->received, today);
  paused = saturating_add (deadline->paused_working_days, open_pause_days (deadline, today));

  return counted > paused ? counted - paused : 0;
}

BuurtenOverdue
buurten_deadline_status (const BuurtenDeadline *deadline,
                         const GDate           *today)
{
  GDate due;

  g_return_val_if_fail (deadline != NULL, BUURTEN_OVERDUE_NONE);
  g_return_val_if_fail (g_date_valid (&deadline->received), BUURTEN_OVERDUE_NONE);
  g_return_val_if_fail (today != NULL && g_date_valid (today), BUURTEN_OVERDUE_NONE);

  if ((guint64) buurten_deadline_elapsed (deadline, today) > 3 * (guint64) deadline->term_days)
    return BUURTEN_OVERDUE_SEVERELY;

  buurten_deadline_due_date (deadline, today, &due);
  if (g_date_valid (&due) && g_date_compare (today, &due) > 0)
    return BUURTEN_OVERDUE_YES;

  return BUURTEN_OVERDUE_NONE;
}

void
buurten_deadline_pause (BuurtenDeadline *deadline,
                        const GDate     *today)
{
  g_return_if_fail (deadline != NULL);
  g_return_if_fail (today != NULL && g_date_valid (today));

  /* Asking again while already waiting does not restart the pause. */
  if (g_date_valid (&deadline->paused_since))
    return;

  deadline->paused_since = *today;
}

void
buurten_deadline_resume (BuurtenDeadline *deadline,
                         const GDate     *today)
{
  g_return_if_fail (deadline != NULL);
  g_return_if_fail (g_date_valid (&deadline->received));
  g_return_if_fail (today != NULL && g_date_valid (today));

  if (!g_date_valid (&deadline->paused_since))
    return;

  deadline->paused_working_days = saturating_add (deadline->paused_working_days,
                                                  open_pause_days (deadline, today));
  g_date_clear (&deadline->paused_since, 1);
}
