/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "buurten-deadline.h"
#include "buurten-intake.h"

static GDate
ymd (int year,
     int month,
     int day)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
  g_assert_true (g_date_valid (&date));
  return date;
}

#define assert_date(date, y, m, d)                                                       \
  G_STMT_START {                                                                         \
    const GDate *_date = (date);                                                         \
    char _got[32] = "(invalid)";                                                         \
    if (g_date_valid (_date))                                                            \
      g_date_strftime (_got, sizeof _got, "%Y-%m-%d", _date);                            \
    g_assert_cmpstr (_got, ==, #y "-" #m "-" #d);                                        \
  } G_STMT_END

/* ---- Easter ------------------------------------------------------------ */

static void
test_easter_known (void)
{
  static const struct { int year, month, day; } known[] = {
    { 2024, 3, 31 }, { 2025, 4, 20 }, { 2026, 4, 5 }, { 2027, 3, 28 },
    { 2038, 4, 25 }, { 2285, 3, 22 },
    /* The earliest and latest possible dates, and some more. */
    { 1818, 3, 22 }, { 1943, 4, 25 }, { 2000, 4, 23 }, { 2008, 3, 23 },
    { 2011, 4, 24 }, { 2019, 4, 21 }, { 2100, 3, 28 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (known); i++)
    {
      GDate easter;
      GDate expected = ymd (known[i].year, known[i].month, known[i].day);

      buurten_date_easter_sunday (known[i].year, &easter);
      g_test_message ("Easter %d", known[i].year);
      g_assert_cmpint (g_date_compare (&easter, &expected), ==, 0);
      g_assert_cmpint (g_date_get_weekday (&easter), ==, G_DATE_SUNDAY);
    }
}

/* Knuth's algorithm (TAOCP vol. 1, 1.3.2 exercise 14), a second, different
 * computation of the Gregorian Easter date. */
static void
knuth_easter (int  year,
              int *month,
              int *day)
{
  int golden = year % 19 + 1;
  int century = year / 100 + 1;
  int x = 3 * century / 4 - 12;
  int z = (8 * century + 5) / 25 - 5;
  int d = 5 * year / 4 - x - 10;
  int epact = (11 * golden + 20 + z - x) % 30;
  int n;

  if (epact < 0)
    epact += 30;
  if ((epact == 25 && golden > 11) || epact == 24)
    epact++;
  n = 44 - epact;
  if (n < 21)
    n += 30;
  n = n + 7 - ((d + n) % 7);

  *month = n > 31 ? 4 : 3;
  *day = n > 31 ? n - 31 : n;
}

static void
test_easter_all_years (void)
{
  for (int year = 1583; year <= 9999; year++)
    {
      GDate easter;
      int month, day;

      knuth_easter (year, &month, &day);
      buurten_date_easter_sunday (year, &easter);
      g_assert_cmpint (g_date_get_year (&easter), ==, year);
      g_assert_cmpint (g_date_get_month (&easter), ==, month);
      g_assert_cmpint (g_date_get_day (&easter), ==, day);
    }
}

/* ---- holidays ---------------------------------------------------------- */

static void
test_holidays_2026 (void)
{
  /* Every day of 2026 against the list: Thursday 1 January, Easter Monday
   * 6 April, King's Day Monday 27 April, Liberation Day Tuesday 5 May,
   * Ascension Thursday 14 May, Whit Monday 25 May, Christmas Friday 25 and
   * Saturday 26 December. */
  static const char *const holidays[] = {
    "2026-01-01", "2026-04-06", "2026-04-27", "2026-05-05",
    "2026-05-14", "2026-05-25", "2026-12-25", "2026-12-26",
  };
  GDate day = ymd (2026, 1, 1);
  guint n_holidays = 0;
  guint n_working = 0;

  while (g_date_get_year (&day) == 2026)
    {
      char text[16];
      gboolean expected_holiday = FALSE;
      GDateWeekday weekday = g_date_get_weekday (&day);

      g_date_strftime (text, sizeof text, "%Y-%m-%d", &day);
      for (gsize i = 0; i < G_N_ELEMENTS (holidays); i++)
        if (g_str_equal (text, holidays[i]))
          expected_holiday = TRUE;

      g_test_message ("%s", text);
      g_assert_cmpint (buurten_date_is_holiday (&day), ==, expected_holiday);
      g_assert_cmpint (buurten_date_is_working_day (&day), ==,
                       !expected_holiday && weekday < G_DATE_SATURDAY);

      n_holidays += expected_holiday;
      n_working += buurten_date_is_working_day (&day);
      g_date_add_days (&day, 1);
    }

  g_assert_cmpuint (n_holidays, ==, 8);
  /* 261 weekdays, 7 holidays on a weekday. */
  g_assert_cmpuint (n_working, ==, 254);
}

static void
test_holidays_specific (void)
{
  GDate d;

  /* Good Friday is a working day for the municipality. */
  d = ymd (2026, 4, 3);
  g_assert_false (buurten_date_is_holiday (&d));
  g_assert_true (buurten_date_is_working_day (&d));

  /* Easter Sunday and Whit Sunday are not working days either way. */
  d = ymd (2026, 4, 5);
  g_assert_false (buurten_date_is_working_day (&d));
  d = ymd (2026, 5, 24);
  g_assert_false (buurten_date_is_working_day (&d));

  /* King's Day: 27 April is a Sunday in 2025 and 2014, so it is Saturday
   * the 26th. */
  d = ymd (2025, 4, 27);
  g_assert_cmpint (g_date_get_weekday (&d), ==, G_DATE_SUNDAY);
  g_assert_false (buurten_date_is_holiday (&d));
  d = ymd (2025, 4, 26);
  g_assert_true (buurten_date_is_holiday (&d));
  g_assert_false (buurten_date_is_working_day (&d));
  d = ymd (2014, 4, 27);
  g_assert_cmpint (g_date_get_weekday (&d), ==, G_DATE_SUNDAY);
  g_assert_false (buurten_date_is_holiday (&d));
  d = ymd (2014, 4, 26);
  g_assert_true (buurten_date_is_holiday (&d));
  /* Other years: the 27th, whatever day that is. */
  d = ymd (2023, 4, 27);
  g_assert_true (buurten_date_is_holiday (&d));
  g_assert_false (buurten_date_is_working_day (&d));
  d = ymd (2023, 4, 26);
  g_assert_false (buurten_date_is_holiday (&d));
  g_assert_true (buurten_date_is_working_day (&d));
  d = ymd (2024, 4, 27);
  g_assert_true (buurten_date_is_holiday (&d));
  d = ymd (2024, 4, 26);
  g_assert_false (buurten_date_is_holiday (&d));

  /* Liberation Day every year, not only every fifth. */
  for (int year = 2020; year <= 2030; year++)
    {
      d = ymd (year, 5, 5);
      g_assert_true (buurten_date_is_holiday (&d));
      g_assert_false (buurten_date_is_working_day (&d));
    }

  /* Ascension (Easter + 39) and Whit Monday (Easter + 50) in 2025. */
  d = ymd (2025, 5, 29);
  g_assert_true (buurten_date_is_holiday (&d));
  d = ymd (2025, 6, 9);
  g_assert_true (buurten_date_is_holiday (&d));
  d = ymd (2025, 4, 21);
  g_assert_true (buurten_date_is_holiday (&d));
  d = ymd (2025, 5, 28);
  g_assert_false (buurten_date_is_holiday (&d));
  d = ymd (2025, 6, 10);
  g_assert_false (buurten_date_is_holiday (&d));

  /* Not holidays: New Year's Eve, Christmas Eve, 2 January. */
  d = ymd (2025, 12, 31);
  g_assert_true (buurten_date_is_working_day (&d));
  d = ymd (2025, 12, 24);
  g_assert_true (buurten_date_is_working_day (&d));
  d = ymd (2026, 1, 2);
  g_assert_true (buurten_date_is_working_day (&d));
}

/* ---- working days ------------------------------------------------------ */

static void
test_add_working_days (void)
{
  GDate from, out;

  /* n = 0 is the date itself, even on a Saturday. */
  from = ymd (2026, 4, 11);
  buurten_date_add_working_days (&from, 0, &out);
  assert_date (&out, 2026, 04, 11);
  from = ymd (2026, 4, 8);
  buurten_date_add_working_days (&from, 0, &out);
  assert_date (&out, 2026, 04, 08);

  /* Easter 2026: Good Friday counts, Easter Monday does not. */
  from = ymd (2026, 4, 2);
  buurten_date_add_working_days (&from, 1, &out);
  assert_date (&out, 2026, 04, 03);
  buurten_date_add_working_days (&from, 2, &out);
  assert_date (&out, 2026, 04, 07);

  /* King's Day 2026 is a Monday. */
  from = ymd (2026, 4, 24);
  buurten_date_add_working_days (&from, 1, &out);
  assert_date (&out, 2026, 04, 28);

  /* Christmas and New Year. */
  from = ymd (2025, 12, 24);
  buurten_date_add_working_days (&from, 1, &out);
  assert_date (&out, 2025, 12, 29);
  buurten_date_add_working_days (&from, 3, &out);
  assert_date (&out, 2025, 12, 31);
  buurten_date_add_working_days (&from, 4, &out);
  assert_date (&out, 2026, 01, 02);

  /* From a Saturday, the first working day is the Monday. */
  from = ymd (2026, 3, 7);
  buurten_date_add_working_days (&from, 1, &out);
  assert_date (&out, 2026, 03, 09);

  /* A whole year of working days from 31 December 2025. */
  from = ymd (2025, 12, 31);
  buurten_date_add_working_days (&from, 254, &out);
  assert_date (&out, 2026, 12, 31);

  /* The output may be the input. */
  out = ymd (2026, 4, 24);
  buurten_date_add_working_days (&out, 1, &out);
  assert_date (&out, 2026, 04, 28);
}

static void
test_working_days_between (void)
{
  GDate a, b;

  a = ymd (2026, 4, 2);
  b = ymd (2026, 4, 7);
  /* (Thu 2, Tue 7]: Friday 3 and Tuesday 7. */
  g_assert_cmpuint (buurten_date_working_days_between (&a, &b), ==, 2);
  g_assert_cmpuint (buurten_date_working_days_between (&b, &a), ==, 0);
  g_assert_cmpuint (buurten_date_working_days_between (&a, &a), ==, 0);

  a = ymd (2025, 12, 31);
  b = ymd (2026, 12, 31);
  g_assert_cmpuint (buurten_date_working_days_between (&a, &b), ==, 254);

  /* A weekend counts nothing. */
  a = ymd (2026, 3, 6);
  b = ymd (2026, 3, 8);
  g_assert_cmpuint (buurten_date_working_days_between (&a, &b), ==, 0);
  b = ymd (2026, 3, 9);
  g_assert_cmpuint (buurten_date_working_days_between (&a, &b), ==, 1);
}

/* The two walk functions agree with each other and with a day-by-day count
 * over the public predicate, for random dates and spans across years. */
static void
test_working_days_consistent (void)
{
  for (guint i = 0; i < 3000; i++)
    {
      GDate from = ymd (g_test_rand_int_range (1990, 2060), 1, 1);
      GDate to, day;
      guint n = (guint) g_test_rand_int_range (0, 400);
      guint naive = 0;

      g_date_add_days (&from, (guint) g_test_rand_int_range (0, 366));
      buurten_date_add_working_days (&from, n, &to);

      g_assert_cmpuint (buurten_date_working_days_between (&from, &to), ==, n);
      if (n > 0)
        {
          g_assert_true (buurten_date_is_working_day (&to));
          day = to;
          g_date_subtract_days (&day, 1);
          g_assert_cmpuint (buurten_date_working_days_between (&from, &day), ==, n - 1);
        }

      day = from;
      while (g_date_compare (&day, &to) < 0)
        {
          g_date_add_days (&day, 1);
          naive += buurten_date_is_working_day (&day);
        }
      g_assert_cmpuint (naive, ==, n);
    }
}

static void
test_working_days_far (void)
{
  GDate from = ymd (65535, 12, 1);
  GDate out = ymd (2000, 1, 1);

  /* The last representable year still works ... */
  buurten_date_add_working_days (&from, 5, &out);
  g_assert_true (g_date_valid (&out));

  /* ... but walking past it is a programmer error. */
  g_test_expect_message ("buurten-deadline", G_LOG_LEVEL_CRITICAL, "*do not fit*");
  buurten_date_add_working_days (&from, 100, &out);
  g_test_assert_expected_messages ();
  g_assert_false (g_date_valid (&out));
}

static void
test_invalid_arguments (void)
{
  GDate invalid;
  GDate out;
  BuurtenDeadline deadline = { 0, };

  g_date_clear (&invalid, 1);

  g_test_expect_message ("buurten-deadline", G_LOG_LEVEL_CRITICAL, "*valid*");
  g_assert_false (buurten_date_is_holiday (&invalid));
  g_test_assert_expected_messages ();

  g_test_expect_message ("buurten-deadline", G_LOG_LEVEL_CRITICAL, "*valid*");
  g_assert_false (buurten_date_is_working_day (&invalid));
  g_test_assert_expected_messages ();

  g_test_expect_message ("buurten-deadline", G_LOG_LEVEL_CRITICAL, "*valid*");
  buurten_date_add_working_days (&invalid, 1, &out);
  g_test_assert_expected_messages ();

  g_test_expect_message ("buurten-deadline", G_LOG_LEVEL_CRITICAL, "*valid*");
  g_assert_cmpuint (buurten_date_working_days_between (&invalid, &invalid), ==, 0);
  g_test_assert_expected_messages ();

  g_test_expect_message ("buurten-deadline", G_LOG_LEVEL_CRITICAL, "*year*");
  buurten_date_easter_sunday (0, &out);
  g_test_assert_expected_messages ();

  /* A deadline without a received date. */
  out = ymd (2026, 1, 5);
  g_test_expect_message ("buurten-deadline", G_LOG_LEVEL_CRITICAL, "*received*");
  g_assert_cmpint (buurten_deadline_status (&deadline, &out), ==, BUURTEN_OVERDUE_NONE);
  g_test_assert_expected_messages ();
}

/* ---- the answer clock -------------------------------------------------- */

static BuurtenDeadline
deadline_new (GDate received,
              guint term)
{
  BuurtenDeadline deadline = { 0, };

  deadline.received = received;
  deadline.term_days = term;
  g_date_clear (&deadline.paused_since, 1);
  return deadline;
}

/* Received Thursday 26 March 2026, a term of 10 working days. Counted:
 * 27/3 (1), 30/3 (2), 31/3 (3), 1/4 (4), 2/4 (5), Good Friday 3/4 (6),
 * [Easter Monday 6/4], 7/4 (7), 8/4 (8), 9/4 (9), 10/4 (10): due Friday
 * 10 April. Then 13/4 (11) ... 24/4 (20), [King's Day 27/4], 28/4 (21),
 * 29/4 (22), 30/4 (23), 1/5 (24), 4/5 (25), [Liberation Day 5/5], 6/5 (26),
 * 7/5 (27), 8/5 (28), 11/5 (29), 12/5 (30), 13/5 (31). */
static void
test_deadline_easter (void)
{
  BuurtenDeadline deadline = deadline_new (ymd (2026, 3, 26), 10);
  GDate today, due;

  today = ymd (2026, 3, 26);
  buurten_deadline_due_date (&deadline, &today, &due);
  assert_date (&due, 2026, 04, 10);
  g_assert_cmpuint (buurten_deadline_elapsed (&deadline, &today), ==, 0);
  g_assert_cmpint (buurten_deadline_status (&deadline, &today), ==, BUURTEN_OVERDUE_NONE);

  /* The due day itself is not overdue. */
  today = ymd (2026, 4, 10);
  g_assert_cmpuint (buurten_deadline_elapsed (&deadline, &today), ==, 10);
  g_assert_cmpint (buurten_deadline_status (&deadline, &today), ==, BUURTEN_OVERDUE_NONE);

  /* The day after is, also on a Saturday. */
  today = ymd (2026, 4, 11);
  g_assert_cmpuint (buurten_deadline_elapsed (&deadline, &today), ==, 10);
  g_assert_cmpint (buurten_deadline_status (&deadline, &today), ==, BUURTEN_OVERDUE_YES);
  today = ymd (2026, 4, 13);
  g_assert_cmpuint (buurten_deadline_elapsed (&deadline, &today), ==, 11);
  g_assert_cmpint (buurten_deadline_status (&deadline, &today), ==, BUURTEN_OVERDUE_YES);

  /* Across King's Day and Liberation Day. */
  today = ymd (2026, 4, 28);
  g_assert_cmpuint (buurten_deadline_elapsed (&deadline, &today), ==, 21);
  today = ymd (2026, 5, 5);
  g_assert_cmpuint (buurten_deadline_elapsed (&deadline, &today), ==, 25);

  /* Exactly three times the term is overdue, not severely; one more is. */
  today = ymd (2026, 5, 12);
  g_assert_cmpuint (buurten_deadline_elapsed (&deadline, &today), ==, 30);
  g_assert_cmpint (buurten_deadline_status (&deadline, &today), ==, BUURTEN_OVERDUE_YES);
  today = ymd (2026, 5, 13);
  g_assert_cmpuint (buurten_deadline_elapsed (&deadline, &today), ==, 31);
  g_assert_cmpint (buurten_deadline_status (&deadline, &today), ==, BUURTEN_OVERDUE_SEVERELY);

  /* Today before the request came in: nothing has run. */
  today = ymd (2026, 3, 1);
  g_assert_cmpuint (buurten_deadline_elapsed (&deadline, &today), ==, 0);
  g_assert_cmpint (buurten_deadline_status (&deadline, &today), ==, BUURTEN_OVERDUE_NONE);
}

/* Received Friday 19 December 2025: 22/12 (1), 23/12 (2), 24/12 (3),
 * [25, 26 Christmas, weekend], 29/12 (4), 30/12 (5), 31/12 (6),
 * [New Year's Day], 2/1 (7), 5/1 (8). */
static void
test_deadline_christmas (void)
{
  BuurtenDeadline deadline = deadline_new (ymd (2025, 12, 19), 5);
  GDate today, due;

  today = ymd (2025, 12, 19);
  buurten_deadline_due_date (&deadline, &today, &due);
  assert_date (&due, 2025, 12, 30);

  today = ymd (2025, 12, 30);
  g_assert_cmpint (buurten_deadline_status (&deadline, &today), ==, BUURTEN_OVERDUE_NONE);
  today = ymd (2025, 12, 31);
  g_assert_cmpint (buurten_deadline_status (&deadline, &today), ==, BUURTEN_OVERDUE_YES);
  g_assert_cmpuint (buurten_deadline_elapsed (&deadline, &today), ==, 6);

  deadline.term_days = 7;
  buurten_deadline_due_date (&deadline, &today, &due);
  assert_date (&due, 2026, 01, 02);
  today = ymd (2026, 1, 1);
  g_assert_cmpuint (buurten_deadline_elapsed (&deadline, &today), ==, 6);
  g_assert_cmpint (buurten_deadline_status (&deadline, &today), ==, BUURTEN_OVERDUE_NONE);
  today = ymd (2026, 1, 2);
  g_assert_cmpint (buurten_deadline_status (&deadline, &today), ==, BUURTEN_OVERDUE_NONE);
  today = ymd (2026, 1, 3);
  g_assert_cmpint (buurten_deadline_status (&deadline, &today), ==, BUURTEN_OVERDUE_YES);
}

static void
test_deadline_weekend_received (void)
{
  /* Received on a Saturday: the Monday is the first counted day. */
  BuurtenDeadline deadline = deadline_new (ymd (2026, 4, 11), 1);
  GDate today = ymd (2026, 4, 12), due;

  buurten_deadline_due_date (&deadline, &today, &due);
  assert_date (&due, 2026, 04, 13);
  today = ymd (2026, 4, 13);
  g_assert_cmpint (buurten_deadline_status (&deadline, &today), ==, BUURTEN_OVERDUE_NONE);
  /* Two days run on a term of one: overdue, not yet more than three. */
  today = ymd (2026, 4, 14);
  g_assert_cmpint (buurten_deadline_status (&deadline, &today), ==, BUURTEN_OVERDUE_YES);
  today = ymd (2026, 4, 16);
  g_assert_cmpuint (buurten_deadline_elapsed (&deadline, &today), ==, 4);
  g_assert_cmpint (buurten_deadline_status (&deadline, &today), ==, BUURTEN_OVERDUE_SEVERELY);
}

static void
test_deadline_zero_term (void)
{
  /* A term of 0: due the day it came in; any working day after is severe. */
  BuurtenDeadline deadline = deadline_new (ymd (2026, 4, 10), 0);
  GDate today = ymd (2026, 4, 10), due;

  buurten_deadline_due_date (&deadline, &today, &due);
  assert_date (&due, 2026, 04, 10);
  g_assert_cmpint (buurten_deadline_status (&deadline, &today), ==, BUURTEN_OVERDUE_NONE);
  today = ymd (2026, 4, 11);
  g_assert_cmpint (buurten_deadline_status (&deadline, &today), ==, BUURTEN_OVERDUE_YES);
  today = ymd (2026, 4, 13);
  g_assert_cmpint (buurten_deadline_status (&deadline, &today), ==, BUURTEN_OVERDUE_SEVERELY);
}

/* The same request as in test_deadline_easter, asked a question on
 * Wednesday 1 April (4 days counted, that day included) and answered on
 * Tuesday 14 April. Paused: 2/4, 3/4, 7/4, 8/4, 9/4, 10/4, 13/4, 14/4 (8
 * working days). Counting resumes on 15/4 (5) ... 22/4 (10): due 22 April. */
static void
test_deadline_pause (void)
{
  BuurtenDeadline deadline = deadline_new (ymd (2026, 3, 26), 10);
  GDate today, due;

  today = ymd (2026, 4, 1);
  buurten_deadline_pause (&deadline, &today);
  g_assert_true (g_date_valid (&deadline.paused_since));
  g_assert_cmpuint (buurten_deadline_elapsed (&deadline, &today), ==, 4);
  buurten_deadline_due_date (&deadline, &today, &due);
  assert_date (&due, 2026, 04, 10);

  /* While waiting the clock stands still, the due date moves on: it stays
   * six working days after today, and the request never becomes overdue. */
  today = ymd (2026, 4, 2);
  g_assert_cmpuint (buurten_deadline_elapsed (&deadline, &today), ==, 4);
  buurten_deadline_due_date (&deadline, &today, &due);
  assert_date (&due, 2026, 04, 13);

  today = ymd (2026, 4, 13);
  g_assert_cmpuint (buurten_deadline_elapsed (&deadline, &today), ==, 4);
  buurten_deadline_due_date (&deadline, &today, &due);
  assert_date (&due, 2026, 04, 21);

  today = ymd (2026, 6, 30);
  g_assert_cmpuint (buurten_deadline_elapsed (&deadline, &today), ==, 4);
  g_assert_cmpint (buurten_deadline_status (&deadline, &today), ==, BUURTEN_OVERDUE_NONE);

  /* Asking again while waiting does not restart the pause. */
  today = ymd (2026, 4, 8);
  buurten_deadline_pause (&deadline, &today);
  assert_date (&deadline.paused_since, 2026, 04, 01);

  /* The answer comes on 14 April: nothing jumps at that moment. */
  today = ymd (2026, 4, 14);
  buurten_deadline_due_date (&deadline, &today, &due);
  assert_date (&due, 2026, 04, 22);
  g_assert_cmpuint (buurten_deadline_elapsed (&deadline, &today), ==, 4);

  buurten_deadline_resume (&deadline, &today);
  g_assert_false (g_date_valid (&deadline.paused_since));
  g_assert_cmpuint (deadline.paused_working_days, ==, 8);
  buurten_deadline_due_date (&deadline, &today, &due);
  assert_date (&due, 2026, 04, 22);
  g_assert_cmpuint (buurten_deadline_elapsed (&deadline, &today), ==, 4);

  /* Resuming again does nothing. */
  buurten_deadline_resume (&deadline, &today);
  g_assert_cmpuint (deadline.paused_working_days, ==, 8);

  /* The clock runs again: due 22 April, overdue the 23rd. */
  today = ymd (2026, 4, 15);
  g_assert_cmpuint (buurten_deadline_elapsed (&deadline, &today), ==, 5);
  today = ymd (2026, 4, 22);
  g_assert_cmpuint (buurten_deadline_elapsed (&deadline, &today), ==, 10);
  g_assert_cmpint (buurten_deadline_status (&deadline, &today), ==, BUURTEN_OVERDUE_NONE);
  today = ymd (2026, 4, 23);
  g_assert_cmpuint (buurten_deadline_elapsed (&deadline, &today), ==, 11);
  g_assert_cmpint (buurten_deadline_status (&deadline, &today), ==, BUURTEN_OVERDUE_YES);

  /* Severely after 30 counted days, 38 working days after receipt with the
   * pause: 12/5 is the 30th (see above), [Ascension 14/5], 15/5 (32) ...
   * 22/5 (37), [Whit Monday 25/5], 26/5 (38), 27/5 (39). */
  today = ymd (2026, 5, 26);
  g_assert_cmpuint (buurten_deadline_elapsed (&deadline, &today), ==, 30);
  g_assert_cmpint (buurten_deadline_status (&deadline, &today), ==, BUURTEN_OVERDUE_YES);
  today = ymd (2026, 5, 27);
  g_assert_cmpuint (buurten_deadline_elapsed (&deadline, &today), ==, 31);
  g_assert_cmpint (buurten_deadline_status (&deadline, &today), ==, BUURTEN_OVERDUE_SEVERELY);
}

static void
test_deadline_pause_when_overdue (void)
{
  /* Twelve days run on a term of ten when the question goes out on 14
   * April: the request stays overdue while it waits, not more so. */
  BuurtenDeadline deadline = deadline_new (ymd (2026, 3, 26), 10);
  GDate today = ymd (2026, 4, 14);

  g_assert_cmpint (buurten_deadline_status (&deadline, &today), ==, BUURTEN_OVERDUE_YES);
  buurten_deadline_pause (&deadline, &today);

  today = ymd (2026, 9, 1);
  g_assert_cmpuint (buurten_deadline_elapsed (&deadline, &today), ==, 12);
  g_assert_cmpint (buurten_deadline_status (&deadline, &today), ==, BUURTEN_OVERDUE_YES);

  buurten_deadline_resume (&deadline, &today);
  g_assert_cmpuint (buurten_deadline_elapsed (&deadline, &today), ==, 12);
  g_assert_cmpint (buurten_deadline_status (&deadline, &today), ==, BUURTEN_OVERDUE_YES);
}

static void
test_deadline_pause_edges (void)
{
  BuurtenDeadline deadline = deadline_new (ymd (2026, 3, 26), 10);
  GDate today, due;

  /* A question on the due day itself, Friday 10 April, leaves no term:
   * on the Saturday the request counts as overdue (as if answered then),
   * on Monday while still waiting it is due that day. */
  today = ymd (2026, 4, 10);
  buurten_deadline_pause (&deadline, &today);
  today = ymd (2026, 4, 11);
  g_assert_cmpint (buurten_deadline_status (&deadline, &today), ==, BUURTEN_OVERDUE_YES);
  today = ymd (2026, 4, 13);
  buurten_deadline_due_date (&deadline, &today, &due);
  assert_date (&due, 2026, 04, 13);
  g_assert_cmpint (buurten_deadline_status (&deadline, &today), ==, BUURTEN_OVERDUE_NONE);

  /* A pause dated before the request came in only counts from receipt. */
  deadline = deadline_new (ymd (2026, 3, 26), 10);
  deadline.paused_since = ymd (2026, 3, 1);
  today = ymd (2026, 3, 31);
  g_assert_cmpuint (buurten_deadline_elapsed (&deadline, &today), ==, 0);
  buurten_deadline_resume (&deadline, &today);
  g_assert_cmpuint (deadline.paused_working_days, ==, 3);

  /* A pause dated in the future pauses nothing yet. */
  deadline = deadline_new (ymd (2026, 3, 26), 10);
  deadline.paused_since = ymd (2026, 4, 30);
  today = ymd (2026, 3, 31);
  g_assert_cmpuint (buurten_deadline_elapsed (&deadline, &today), ==, 3);

  /* Stored totals larger than what ran do not wrap around. */
  deadline = deadline_new (ymd (2026, 3, 26), 10);
  deadline.paused_working_days = 100;
  today = ymd (2026, 3, 31);
  g_assert_cmpuint (buurten_deadline_elapsed (&deadline, &today), ==, 0);
  g_assert_cmpint (buurten_deadline_status (&deadline, &today), ==, BUURTEN_OVERDUE_NONE);

  /* A zero-filled struct (as from g_new0) has no open pause. */
  deadline = (BuurtenDeadline) { 0, };
  deadline.received = ymd (2026, 3, 26);
  deadline.term_days = 10;
  today = ymd (2026, 4, 10);
  buurten_deadline_due_date (&deadline, &today, &due);
  assert_date (&due, 2026, 04, 10);
}

/* The initiative's decision term (issue 14, point 3): calendar weeks
 * after the application date, days left counted in calendar days. */
static void
test_initiative_decision_term (void)
{
  GDate submitted = ymd (2026, 10, 12);
  GDate today = ymd (2026, 12, 20);
  GDate due;
  gint days = 99;

  g_assert_true (buurten_initiative_decision_term (BUURTEN_INITIATIVE_SUBMITTED, &submitted,
                                                   13, &today, &due, &days));
  assert_date (&due, 2027, 01, 11);
  g_assert_cmpint (days, ==, 22);

  /* The due day itself has 0 left; the day after is one day late. */
  today = ymd (2027, 1, 11);
  g_assert_true (buurten_initiative_decision_term (BUURTEN_INITIATIVE_CHECKED, &submitted,
                                                   13, &today, &due, &days));
  g_assert_cmpint (days, ==, 0);
  today = ymd (2027, 1, 14);
  g_assert_true (buurten_initiative_decision_term (BUURTEN_INITIATIVE_CHECKED, &submitted,
                                                   13, &today, &due, &days));
  g_assert_cmpint (days, ==, -3);

  /* No term once decided, for an idea, without a date or without a term. */
  g_assert_false (buurten_initiative_decision_term (BUURTEN_INITIATIVE_GRANTED, &submitted,
                                                    13, &today, &due, &days));
  g_assert_false (g_date_valid (&due));
  g_assert_false (buurten_initiative_decision_term (BUURTEN_INITIATIVE_IDEA, &submitted,
                                                    13, &today, NULL, &days));
  g_date_clear (&submitted, 1);
  g_assert_false (buurten_initiative_decision_term (BUURTEN_INITIATIVE_SUBMITTED, &submitted,
                                                    13, &today, &due, &days));
  submitted = ymd (2026, 10, 12);
  g_assert_false (buurten_initiative_decision_term (BUURTEN_INITIATIVE_SUBMITTED, &submitted,
                                                    0, &today, &due, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/deadline/easter/known", test_easter_known);
  g_test_add_func ("/deadline/easter/all-years", test_easter_all_years);
  g_test_add_func ("/deadline/holidays/2026", test_holidays_2026);
  g_test_add_func ("/deadline/holidays/specific", test_holidays_specific);
  g_test_add_func ("/deadline/working-days/add", test_add_working_days);
  g_test_add_func ("/deadline/working-days/between", test_working_days_between);
  g_test_add_func ("/deadline/working-days/consistent", test_working_days_consistent);
  g_test_add_func ("/deadline/working-days/far", test_working_days_far);
  g_test_add_func ("/deadline/invalid-arguments", test_invalid_arguments);
  g_test_add_func ("/deadline/clock/easter", test_deadline_easter);
  g_test_add_func ("/deadline/clock/christmas", test_deadline_christmas);
  g_test_add_func ("/deadline/clock/weekend-received", test_deadline_weekend_received);
  g_test_add_func ("/deadline/clock/zero-term", test_deadline_zero_term);
  g_test_add_func ("/deadline/clock/pause", test_deadline_pause);
  g_test_add_func ("/deadline/clock/pause-when-overdue", test_deadline_pause_when_overdue);
  g_test_add_func ("/deadline/clock/pause-edges", test_deadline_pause_edges);
  g_test_add_func ("/deadline/initiative-term", test_initiative_decision_term);

  return g_test_run ();
}
