/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "buurten-error.h"
#include "buurten-money.h"

/* Exact bytes: the Dutch format puts a NO-BREAK SPACE after the euro sign. */
#define EURO "\xe2\x82\xac"
#define NBSP "\xc2\xa0"
#define MAX_CENTS BUURTEN_MONEY_MAX_CENTS

#define DUTCH BUURTEN_MONEY_LOCALE_DUTCH
#define ENGLISH BUURTEN_MONEY_LOCALE_ENGLISH
#define WHOLE BUURTEN_MONEY_FORMAT_WHOLE_EUROS
#define NEG BUURTEN_MONEY_PARSE_ALLOW_NEGATIVE
#define ZERO BUURTEN_MONEY_PARSE_ALLOW_ZERO

/* ---- formatting -------------------------------------------------------- */

typedef struct
{
  gint64                  cents;
  BuurtenMoneyLocale      locale;
  BuurtenMoneyFormatFlags flags;
  const char             *expected;
} FormatCase;

static const FormatCase format_cases[] = {
  { 3625000, DUTCH, 0, EURO NBSP "36.250,00" },
  { -3625000, DUTCH, 0, EURO NBSP "-36.250,00" },
  { 3625000, ENGLISH, 0, EURO "36,250.00" },
  { -3625000, ENGLISH, 0, "-" EURO "36,250.00" },
  { 0, DUTCH, 0, EURO NBSP "0,00" },
  { 0, ENGLISH, 0, EURO "0.00" },
  { 5, DUTCH, 0, EURO NBSP "0,05" },
  { -5, DUTCH, 0, EURO NBSP "-0,05" },
  { -5, ENGLISH, 0, "-" EURO "0.05" },
  { 50, DUTCH, 0, EURO NBSP "0,50" },
  { 100, DUTCH, 0, EURO NBSP "1,00" },
  { 99999, DUTCH, 0, EURO NBSP "999,99" },
  { 100000, DUTCH, 0, EURO NBSP "1.000,00" },
  { 100000, ENGLISH, 0, EURO "1,000.00" },
  { 200000, DUTCH, 0, EURO NBSP "2.000,00" },
  { 200001, DUTCH, 0, EURO NBSP "2.000,01" },
  { 99999999, DUTCH, 0, EURO NBSP "999.999,99" },
  { 100000000, DUTCH, 0, EURO NBSP "1.000.000,00" },
  { 123456789, ENGLISH, 0, EURO "1,234,567.89" },
  { MAX_CENTS, DUTCH, 0, EURO NBSP "999.999.999.999,99" },
  { -MAX_CENTS, ENGLISH, 0, "-" EURO "999,999,999,999.99" },
  { G_MAXINT64, DUTCH, 0, EURO NBSP "92.233.720.368.547.758,07" },
  { G_MININT64, DUTCH, 0, EURO NBSP "-92.233.720.368.547.758,08" },
  { G_MININT64, ENGLISH, 0, "-" EURO "92,233,720,368,547,758.08" },

  /* Whole euros drop the cents only when they are zero. */
  { 3250000, DUTCH, WHOLE, EURO NBSP "32.500" },
  { 3250000, ENGLISH, WHOLE, EURO "32,500" },
  { -3250000, DUTCH, WHOLE, EURO NBSP "-32.500" },
  { -3250000, ENGLISH, WHOLE, "-" EURO "32,500" },
  { 3250001, DUTCH, WHOLE, EURO NBSP "32.500,01" },
  { 3250050, ENGLISH, WHOLE, EURO "32,500.50" },
  { 0, DUTCH, WHOLE, EURO NBSP "0" },
  { 0, ENGLISH, WHOLE, EURO "0" },
  { 1, DUTCH, WHOLE, EURO NBSP "0,01" },
  { 45000000, DUTCH, WHOLE, EURO NBSP "450.000" },
};

static void
test_format (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (format_cases); i++)
    {
      const FormatCase *c = &format_cases[i];
      g_autofree char *text = buurten_money_format_full (c->cents, c->locale, c->flags);

      g_test_message ("case %" G_GSIZE_FORMAT ": %" G_GINT64_FORMAT, i, c->cents);
      g_assert_cmpstr (text, ==, c->expected);
    }
}

static void
test_format_invalid_locale (void)
{
  char *text;

  g_test_expect_message ("buurten-money", G_LOG_LEVEL_CRITICAL, "*locale*");
  text = buurten_money_format_full (100, (BuurtenMoneyLocale) 7, 0);
  g_test_assert_expected_messages ();
  g_assert_null (text);
}

static void
test_locale_default (void)
{
  g_autofree char *saved = g_strdup (g_getenv ("LANGUAGE"));
  g_autofree char *dutch = NULL;
  g_autofree char *english = NULL;

  /* The test environment runs in C.UTF-8. */
  g_unsetenv ("LANGUAGE");
  g_assert_cmpint (buurten_money_locale_default (), ==, ENGLISH);
  english = buurten_money_format (3625000);
  g_assert_cmpstr (english, ==, EURO "36,250.00");

  g_setenv ("LANGUAGE", "nl_NL:en", TRUE);
  g_assert_cmpint (buurten_money_locale_default (), ==, DUTCH);
  dutch = buurten_money_format (3625000);
  g_assert_cmpstr (dutch, ==, EURO NBSP "36.250,00");

  g_setenv ("LANGUAGE", "en_GB:nl", TRUE);
  g_assert_cmpint (buurten_money_locale_default (), ==, ENGLISH);

  g_setenv ("LANGUAGE", "nl", TRUE);
  g_assert_cmpint (buurten_money_locale_default (), ==, DUTCH);

  /* Norwegian and Low German are not Dutch. */
  g_setenv ("LANGUAGE", "nb_NO", TRUE);
  g_assert_cmpint (buurten_money_locale_default (), ==, ENGLISH);
  g_setenv ("LANGUAGE", "nds", TRUE);
  g_assert_cmpint (buurten_money_locale_default (), ==, ENGLISH);

  g_setenv ("LANGUAGE", "nl_BE", TRUE);
  g_assert_cmpint (buurten_money_locale_default (), ==, DUTCH);

  if (saved != NULL)
    g_setenv ("LANGUAGE", saved, TRUE);
  else
    g_unsetenv ("LANGUAGE");
}

/* ---- parsing ----------------------------------------------------------- */

/* Parses a heap copy, so that AddressSanitizer sees any read past the end. */
static gboolean
parse (const char             *text,
       BuurtenMoneyParseFlags  flags,
       gint64                 *out,
       GError                **error)
{
  g_autofree char *copy = g_strdup (text);

  return buurten_money_parse (copy, flags, out, error);
}

typedef struct
{
  const char            *text;
  BuurtenMoneyParseFlags flags;
  gint64                 cents;
} ParseCase;

static const ParseCase parse_ok[] = {
  { "2000", 0, 200000 },
  { "2.000", 0, 200000 },
  { "2000,50", 0, 200050 },
  { "2000,5", 0, 200050 },
  { "2000,05", 0, 200005 },
  { EURO " 2.000,-", 0, 200000 },
  { "2.000,--", 0, 200000 },
  { "2000,-", 0, 200000 },
  { "2.000,\xe2\x80\x93", 0, 200000 },   /* EN DASH */
  { "1.234.567,89", 0, 123456789 },
  { EURO "2000", 0, 200000 },
  { "EUR 2000", 0, 200000 },
  { "eur 2000", 0, 200000 },
  { "EUR2000", 0, 200000 },
  { "2000 EUR", 0, 200000 },
  { "2000 " EURO, 0, 200000 },
  { "2000" EURO, 0, 200000 },
  { "  " EURO "  2.000,00  ", 0, 200000 },
  { EURO NBSP "2.000", 0, 200000 },
  { NBSP EURO NBSP "2000" NBSP, 0, 200000 },
  { "\t12\t", 0, 1200 },
  { "2000.50", 0, 200050 },
  { "2000.5", 0, 200050 },
  { "1,234.56", 0, 123456 },
  { "1.234,56", 0, 123456 },
  { "1,234,567.89", 0, 123456789 },
  { "1,234,567", 0, 123456700 },
  { ",50", 0, 50 },
  { ".50", 0, 50 },
  { ",5", 0, 50 },
  { "0,01", 0, 1 },
  { "0.01", 0, 1 },
  { "0,5", 0, 50 },
  { "1", 0, 100 },
  { "0000000000000000000000000001", 0, 100 },
  { "2000,00", 0, 200000 },
  { "999.999", 0, 99999900 },
  { "999999999999,99", 0, MAX_CENTS },
  { "999.999.999.999,99", 0, MAX_CENTS },
  { EURO " 999.999.999.999,99", 0, MAX_CENTS },
  { "999999999999", 0, MAX_CENTS - 99 },

  /* Negative amounts, only when allowed. */
  { "-5", NEG, -500 },
  { "- 5", NEG, -500 },
  { "\xe2\x88\x92" "5", NEG, -500 },      /* MINUS SIGN */
  { "-" EURO " 5", NEG, -500 },
  { "- " EURO " 5", NEG, -500 },
  { EURO " -36.250,00", NEG, -3625000 },
  { EURO NBSP "-36.250,00", NEG, -3625000 },
  { "-" EURO "36,250.00", NEG, -3625000 },
  { "-999.999.999.999,99", NEG, -MAX_CENTS },
  { "-0,01", NEG, -1 },

  /* Zero, only when allowed; "-0" is zero, not negative. */
  { "0", ZERO, 0 },
  { "0,00", ZERO, 0 },
  { ",0", ZERO, 0 },
  { EURO " 0,-", ZERO, 0 },
  { "-0", ZERO, 0 },
  { "-0", ZERO | NEG, 0 },
};

static void
test_parse_valid (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (parse_ok); i++)
    {
      const ParseCase *c = &parse_ok[i];
      g_autoptr(GError) error = NULL;
      gint64 cents = G_MININT64;

      g_autofree char *escaped = g_strescape (c->text, NULL);

      g_test_message ("case %" G_GSIZE_FORMAT ": “%s”", i, escaped);
      g_assert_true (parse (c->text, c->flags, &cents, &error));
      g_assert_no_error (error);
      g_assert_cmpint (cents, ==, c->cents);
    }
}

typedef struct
{
  const char            *text;
  BuurtenMoneyParseFlags flags;
  BuurtenCoreError       code;
  const char            *message;   /* NULL: only the code is checked */
} ParseErrorCase;

#define INVALID BUURTEN_CORE_ERROR_INVALID
#define OVERFLOW BUURTEN_CORE_ERROR_OVERFLOW

#define MSG_EMPTY "Enter an amount"
#define MSG_CHARS "Use only digits, with a comma before the cents (for example 1.250,50)"
#define MSG_GROUPS "Put a thousands separator between every three digits (for example 1.234.567)"
#define MSG_COMMA "Use at most two digits after the comma"
#define MSG_POINT "Use at most two digits after the point"
#define MSG_NO_DECIMALS "Write one or two digits after the decimal separator, or leave it out"
#define MSG_ONE_DECIMAL "Use only one decimal separator"
#define MSG_SPACES "Remove the spaces inside the number"
#define MSG_NEGATIVE "Amounts cannot be negative"
#define MSG_ZERO "Enter an amount greater than zero"
#define MSG_TAIL "Use dots for thousands in an amount that ends in “,-”"
#define MSG_OVERFLOW "Amounts cannot be more than " EURO "999,999,999,999.99"

static const ParseErrorCase parse_errors[] = {
  { "", 0, INVALID, MSG_EMPTY },
  { "   ", 0, INVALID, MSG_EMPTY },
  { NBSP " \t", 0, INVALID, MSG_EMPTY },
  { EURO, 0, INVALID, MSG_EMPTY },
  { "EUR", 0, INVALID, MSG_EMPTY },
  { "-", NEG, INVALID, MSG_EMPTY },
  { "- " EURO " ", NEG, INVALID, MSG_EMPTY },

  { "abc", 0, INVALID, MSG_CHARS },
  { "1e5", 0, INVALID, MSG_CHARS },
  { "0x10", 0, INVALID, MSG_CHARS },
  { "12abc", 0, INVALID, MSG_CHARS },
  { "abc12", 0, INVALID, MSG_CHARS },
  { "1O0", 0, INVALID, MSG_CHARS },
  { "+5", 0, INVALID, MSG_CHARS },
  { "--5", NEG, INVALID, MSG_CHARS },
  { "5-", NEG, INVALID, MSG_CHARS },
  { EURO EURO "5", 0, INVALID, MSG_CHARS },
  { EURO " 5 " EURO, 0, INVALID, MSG_CHARS },
  { "EUR 5 EUR", 0, INVALID, MSG_CHARS },
  { "5 $", 0, INVALID, MSG_CHARS },
  { "\xff", 0, INVALID, MSG_CHARS },
  { "5\xe2\x82", 0, INVALID, MSG_CHARS },   /* a euro sign cut short */
  { "\xe2", 0, INVALID, MSG_CHARS },
  { ",-", 0, INVALID, MSG_CHARS },
  { "2.000, -", 0, INVALID, MSG_CHARS },
  { "NaN", 0, INVALID, MSG_CHARS },

  { "2 000", 0, INVALID, MSG_SPACES },
  { "5 5", 0, INVALID, MSG_SPACES },
  { "1" NBSP "000", 0, INVALID, MSG_SPACES },

  { "2,000.5.1", 0, INVALID, MSG_ONE_DECIMAL },
  { "1.000.000,5,0", 0, INVALID, MSG_ONE_DECIMAL },

  { "1,234", 0, INVALID, MSG_COMMA },
  { "2000,505", 0, INVALID, MSG_COMMA },
  { "1.234,567", 0, INVALID, MSG_COMMA },
  { "1.2345", 0, INVALID, MSG_POINT },
  { "1,234.567", 0, INVALID, MSG_POINT },

  { "2000,", 0, INVALID, MSG_NO_DECIMALS },
  { "2000.", 0, INVALID, MSG_NO_DECIMALS },
  { ",", 0, INVALID, MSG_NO_DECIMALS },
  { ".", 0, INVALID, MSG_NO_DECIMALS },
  { "1.000,", 0, INVALID, MSG_NO_DECIMALS },

  { "12.34.56", 0, INVALID, MSG_GROUPS },
  { "1..0", 0, INVALID, MSG_GROUPS },
  { "1.234.56", 0, INVALID, MSG_GROUPS },
  { "1234.567", 0, INVALID, MSG_GROUPS },
  { "0.500", 0, INVALID, MSG_GROUPS },
  { ".500", 0, INVALID, MSG_GROUPS },
  { "12,34,567", 0, INVALID, MSG_GROUPS },
  { "1,23.45", 0, INVALID, MSG_GROUPS },
  { "1.2.3,45", 0, INVALID, MSG_GROUPS },
  { "1.000.", 0, INVALID, MSG_GROUPS },
  { "2000.50,-", 0, INVALID, MSG_GROUPS },

  { "1,000,-", 0, INVALID, MSG_TAIL },

  { "-5", 0, INVALID, MSG_NEGATIVE },
  { "-0,01", ZERO, INVALID, MSG_NEGATIVE },
  { EURO " -36.250,00", 0, INVALID, MSG_NEGATIVE },

  { "0", 0, INVALID, MSG_ZERO },
  { "0", NEG, INVALID, MSG_ZERO },
  { "0,00", 0, INVALID, MSG_ZERO },
  { "-0", NEG, INVALID, MSG_ZERO },
  { ",0", 0, INVALID, MSG_ZERO },

  /* One cent over the maximum, and far over it. */
  { "1000000000000", 0, OVERFLOW, MSG_OVERFLOW },
  { "1.000.000.000.000,00", 0, OVERFLOW, MSG_OVERFLOW },
  { "-1000000000000", NEG, OVERFLOW, MSG_OVERFLOW },
  { "99999999999999999999999999999999999999", 0, OVERFLOW, MSG_OVERFLOW },
  { "18446744073709551616", 0, OVERFLOW, MSG_OVERFLOW },
  { "9223372036854775808", 0, OVERFLOW, MSG_OVERFLOW },
};

static void
test_parse_errors (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (parse_errors); i++)
    {
      const ParseErrorCase *c = &parse_errors[i];
      g_autoptr(GError) error = NULL;
      gint64 cents = 4242;

      g_autofree char *escaped = g_strescape (c->text, NULL);

      g_test_message ("case %" G_GSIZE_FORMAT ": “%s”", i, escaped);
      g_assert_false (parse (c->text, c->flags, &cents, &error));
      g_assert_error (error, BUURTEN_CORE_ERROR, (int) c->code);
      if (c->message != NULL)
        g_assert_cmpstr (error->message, ==, c->message);
      /* The output is left alone on failure. */
      g_assert_cmpint (cents, ==, 4242);
    }
}

static void
test_parse_boundaries (void)
{
  gint64 cents = 0;

  /* The largest amount and one cent more. */
  g_assert_true (parse ("999999999999,99", 0, &cents, NULL));
  g_assert_cmpint (cents, ==, MAX_CENTS);
  g_assert_false (parse ("1000000000000,00", 0, &cents, NULL));

  /* Zero and the smallest amounts next to it. */
  g_assert_false (parse ("0,00", 0, &cents, NULL));
  g_assert_true (parse ("0,01", 0, &cents, NULL));
  g_assert_cmpint (cents, ==, 1);
  g_assert_false (parse ("-0,01", 0, &cents, NULL));
  g_assert_true (parse ("-0,01", NEG, &cents, NULL));
  g_assert_cmpint (cents, ==, -1);

  /* The mandate boundary: 2.000,00 and 2.000,01 are different amounts. */
  g_assert_true (parse ("2.000,00", 0, &cents, NULL));
  g_assert_cmpint (cents, ==, 200000);
  g_assert_true (parse ("2.000,01", 0, &cents, NULL));
  g_assert_cmpint (cents, ==, 200001);
}

static void
test_parse_null_output (void)
{
  /* Validation only: out_cents may be NULL. */
  g_assert_true (buurten_money_parse ("12,50", 0, NULL, NULL));
  g_assert_false (buurten_money_parse ("12,505", 0, NULL, NULL));
}

static void
test_parse_null_text (void)
{
  gint64 cents = 7;

  g_test_expect_message ("buurten-money", G_LOG_LEVEL_CRITICAL, "*text != NULL*");
  g_assert_false (buurten_money_parse (NULL, 0, &cents, NULL));
  g_test_assert_expected_messages ();
  g_assert_cmpint (cents, ==, 7);
}

static gint64
random_cents (void)
{
  switch (g_test_rand_int_range (0, 4))
    {
    case 0:
      return g_test_rand_int_range (-100000, 100000);
    case 1:
      return (gint64) g_test_rand_int () * 1000 + g_test_rand_int_range (0, 1000);
    case 2:
      return (gint64) g_test_rand_int_range (-1000000, 1000000) * 100;
    default:
      return (gint64) (g_test_rand_double_range (-1.0, 1.0) * (double) MAX_CENTS);
    }
}

/* What we print, we read back: both locales with cents, Dutch whole euros.
 * (English whole euros, "€1,000", is for display: Dutch first, a single
 * comma followed by three digits is refused as three decimals.) */
static void
test_round_trip (void)
{
  for (guint i = 0; i < 20000; i++)
    {
      gint64 cents = i < 3 ? (gint64[]) { MAX_CENTS, -MAX_CENTS, 1 }[i] : random_cents ();
      BuurtenMoneyParseFlags flags = NEG | ZERO;
      g_autofree char *dutch = buurten_money_format_full (cents, DUTCH, 0);
      g_autofree char *english = buurten_money_format_full (cents, ENGLISH, 0);
      g_autofree char *whole = buurten_money_format_full (cents, DUTCH, WHOLE);
      g_autoptr(GError) error = NULL;
      gint64 back = G_MININT64;

      if (cents > MAX_CENTS || cents < -MAX_CENTS)
        continue;

      g_assert_true (parse (dutch, flags, &back, &error));
      g_assert_no_error (error);
      g_assert_cmpint (back, ==, cents);

      g_assert_true (parse (english, flags, &back, &error));
      g_assert_no_error (error);
      g_assert_cmpint (back, ==, cents);

      g_assert_true (parse (whole, flags, &back, &error));
      g_assert_no_error (error);
      g_assert_cmpint (back, ==, cents);
    }
}

/* Random strings over the characters that matter: parse never crashes,
 * reads past the end (the ASan build checks) or returns an amount out of
 * range, and whatever it accepts it formats and reads back the same. */
static void
test_parse_random (void)
{
  static const char *const pieces[] = {
    "0", "1", "2", "5", "9", "0", "3", "7", ".", ",", "-", " ", EURO, NBSP,
    "EUR", "e", "x", ",-", "\xe2", "\xe2\x88\x92", "000", "999",
  };

  for (guint i = 0; i < 50000; i++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      guint len = (guint) g_test_rand_int_range (0, 14);
      gint64 cents = 0;

      for (guint k = 0; k < len; k++)
        g_string_append (text, pieces[g_test_rand_int_range (0, G_N_ELEMENTS (pieces))]);

      if (parse (text->str, NEG | ZERO, &cents, NULL))
        {
          g_autofree char *again = buurten_money_format_full (cents, DUTCH, 0);
          gint64 back = G_MININT64;

          g_assert_cmpint (cents, <=, MAX_CENTS);
          g_assert_cmpint (cents, >=, -MAX_CENTS);
          g_assert_true (parse (again, NEG | ZERO, &back, NULL));
          g_assert_cmpint (back, ==, cents);
        }
    }
}

/* ---- arithmetic -------------------------------------------------------- */

static void
test_add (void)
{
  gint64 out = 0;

  g_assert_true (buurten_money_add (1, 2, &out));
  g_assert_cmpint (out, ==, 3);
  g_assert_true (buurten_money_add (-500, 200, &out));
  g_assert_cmpint (out, ==, -300);
  g_assert_true (buurten_money_add (MAX_CENTS, 0, &out));
  g_assert_cmpint (out, ==, MAX_CENTS);
  g_assert_true (buurten_money_add (MAX_CENTS - 1, 1, &out));
  g_assert_cmpint (out, ==, MAX_CENTS);
  g_assert_true (buurten_money_add (-MAX_CENTS, MAX_CENTS, &out));
  g_assert_cmpint (out, ==, 0);
  g_assert_true (buurten_money_add (-MAX_CENTS + 1, -1, &out));
  g_assert_cmpint (out, ==, -MAX_CENTS);

  /* Failures leave the output alone. */
  out = 99;
  g_assert_false (buurten_money_add (MAX_CENTS, 1, &out));
  g_assert_false (buurten_money_add (1, MAX_CENTS, &out));
  g_assert_false (buurten_money_add (-MAX_CENTS, -1, &out));
  g_assert_false (buurten_money_add (MAX_CENTS, MAX_CENTS, &out));
  /* Operands out of range are refused even when the sum would fit. */
  g_assert_false (buurten_money_add (MAX_CENTS + 1, -2, &out));
  g_assert_false (buurten_money_add (G_MAXINT64, G_MININT64 + 1, &out));
  g_assert_false (buurten_money_add (G_MININT64, 0, &out));
  g_assert_cmpint (out, ==, 99);
}

static void
test_add_null (void)
{
  g_test_expect_message ("buurten-money", G_LOG_LEVEL_CRITICAL, "*out != NULL*");
  g_assert_false (buurten_money_add (1, 2, NULL));
  g_test_assert_expected_messages ();
}

static void
test_permille (void)
{
  /* 0 whole or 0 part. */
  g_assert_cmpint (buurten_money_permille (0, 0), ==, 0);
  g_assert_cmpint (buurten_money_permille (5, 0), ==, 0);
  g_assert_cmpint (buurten_money_permille (-5, 0), ==, 0);
  g_assert_cmpint (buurten_money_permille (0, 5), ==, 0);

  g_assert_cmpint (buurten_money_permille (1, 2), ==, 500);
  g_assert_cmpint (buurten_money_permille (1, 3), ==, 333);
  g_assert_cmpint (buurten_money_permille (2, 3), ==, 667);
  g_assert_cmpint (buurten_money_permille (3, 3), ==, 1000);
  g_assert_cmpint (buurten_money_permille (6, 3), ==, 2000);
  g_assert_cmpint (buurten_money_permille (3625000, 4225000), ==, 858);

  /* Half up: exactly half a permille rounds up, just under does not. */
  g_assert_cmpint (buurten_money_permille (1, 2000), ==, 1);
  g_assert_cmpint (buurten_money_permille (1, 2001), ==, 0);
  g_assert_cmpint (buurten_money_permille (3, 2000), ==, 2);
  g_assert_cmpint (buurten_money_permille (2999, 2000000), ==, 1);
  g_assert_cmpint (buurten_money_permille (3001, 2000000), ==, 2);

  /* Negatives: halves round away from zero, symmetrically. */
  g_assert_cmpint (buurten_money_permille (-1, 2000), ==, -1);
  g_assert_cmpint (buurten_money_permille (1, -2000), ==, -1);
  g_assert_cmpint (buurten_money_permille (-1, -2000), ==, 1);
  g_assert_cmpint (buurten_money_permille (-1, 2001), ==, 0);
  g_assert_cmpint (buurten_money_permille (-5000, 10000), ==, -500);
  g_assert_cmpint (buurten_money_permille (-2, 3), ==, -667);

  /* Large values: no overflow, exact. */
  g_assert_cmpint (buurten_money_permille (MAX_CENTS, MAX_CENTS), ==, 1000);
  g_assert_cmpint (buurten_money_permille (MAX_CENTS - 1, MAX_CENTS), ==, 1000);
  g_assert_cmpint (buurten_money_permille (MAX_CENTS / 2, MAX_CENTS), ==, 500);
  g_assert_cmpint (buurten_money_permille (1, MAX_CENTS), ==, 0);
  g_assert_cmpint (buurten_money_permille (MAX_CENTS / 1000, MAX_CENTS), ==, 1);
  g_assert_cmpint (buurten_money_permille (MAX_CENTS / 2000, MAX_CENTS), ==, 0);
  g_assert_cmpint (buurten_money_permille (MAX_CENTS / 2000 + 1, MAX_CENTS), ==, 1);
  g_assert_cmpint (buurten_money_permille (-MAX_CENTS, MAX_CENTS), ==, -1000);
  g_assert_cmpint (buurten_money_permille (MAX_CENTS, 100), ==, G_MAXINT);
  g_assert_cmpint (buurten_money_permille (-MAX_CENTS, 1), ==, -G_MAXINT);
  g_assert_cmpint (buurten_money_permille (G_MAXINT64, G_MAXINT64), ==, 1000);
  g_assert_cmpint (buurten_money_permille (G_MININT64, G_MAXINT64), ==, -1000);
  g_assert_cmpint (buurten_money_permille (G_MAXINT64, G_MININT64), ==, -1000);
  g_assert_cmpint (buurten_money_permille (G_MININT64, G_MININT64), ==, 1000);
  g_assert_cmpint (buurten_money_permille (G_MAXINT64 - 1, G_MAXINT64), ==, 1000);
  g_assert_cmpint (buurten_money_permille (G_MAXINT64 / 3, G_MAXINT64), ==, 333);
  g_assert_cmpint (buurten_money_permille (G_MAXINT64, 2), ==, G_MAXINT);

  /* The largest ratio that still fits an int, and the first that does not. */
  g_assert_cmpint (buurten_money_permille ((gint64) G_MAXINT, 1000), ==, G_MAXINT);
  g_assert_cmpint (buurten_money_permille ((gint64) G_MAXINT - 1, 1000), ==, G_MAXINT - 1);
}

/* Compared with plain integer arithmetic where that cannot overflow; the
 * seed is random (printed with --verbose), so each run tries other values. */
static void
test_permille_random (void)
{
  for (guint i = 0; i < 100000; i++)
    {
      gint64 part = g_test_rand_int_range (-10000000, 10000000);
      gint64 whole = g_test_rand_int_range (-10000000, 10000000);
      gint64 p = ABS (part), w = ABS (whole);
      gint64 expected;

      if (whole == 0)
        expected = 0;
      else
        expected = (p * 2000 + w) / (2 * w) * ((part < 0) != (whole < 0) ? -1 : 1);
      /* A tiny whole makes a ratio beyond an int: the function saturates. */
      expected = CLAMP (expected, -G_MAXINT, G_MAXINT);

      g_assert_cmpint (buurten_money_permille (part, whole), ==, expected);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* LANGUAGE beats LC_ALL=C.UTF-8 in g_get_language_names(): the expected
   * texts below are the untranslated English ones. */
  g_unsetenv ("LANGUAGE");

  g_test_add_func ("/money/format", test_format);
  g_test_add_func ("/money/format/invalid-locale", test_format_invalid_locale);
  g_test_add_func ("/money/locale-default", test_locale_default);
  g_test_add_func ("/money/parse/valid", test_parse_valid);
  g_test_add_func ("/money/parse/errors", test_parse_errors);
  g_test_add_func ("/money/parse/boundaries", test_parse_boundaries);
  g_test_add_func ("/money/parse/null-output", test_parse_null_output);
  g_test_add_func ("/money/parse/null-text", test_parse_null_text);
  g_test_add_func ("/money/parse/round-trip", test_round_trip);
  g_test_add_func ("/money/parse/random", test_parse_random);
  g_test_add_func ("/money/add", test_add);
  g_test_add_func ("/money/add/null", test_add_null);
  g_test_add_func ("/money/permille", test_permille);
  g_test_add_func ("/money/permille/random", test_permille_random);

  return g_test_run ();
}
