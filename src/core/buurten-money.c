/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-money"

#include "config.h"

#include "buurten-money.h"

#include <glib/gi18n.h>
#include <string.h>

#include "buurten-error.h"

/* Formatting
 * ----------
 * Dutch:   "€ 36.250,00", negative "€ -36.250,00". The space after the euro
 *          sign is a NO-BREAK SPACE (U+00A0, bytes C2 A0) so that a label
 *          never wraps between the sign and the number.
 * English: "€36,250.00", negative "-€36,250.00".
 * BUURTEN_MONEY_FORMAT_WHOLE_EUROS leaves out the cents only when they are
 * zero, so an amount is never shown rounded.
 *
 * Parsing
 * -------
 * People type amounts in many ways; Dutch notation wins where the input is
 * ambiguous. The grammar, after skipping white space (ASCII space and tab,
 * U+00A0, U+2009, U+202F) at the ends and around the sign and currency:
 *
 *   [sign] [currency] [sign] number [",-" | ",--"] [currency]
 *
 * sign is "-" or U+2212; currency is "€" or "EUR" (any case), at most once.
 * The number is digits with "." and ",":
 *   - no separator: whole euros ("2000");
 *   - both "." and ",": the last one is the decimal separator and occurs
 *     once, the other one groups thousands ("1.234,56", "1,234.56");
 *   - only ",": one comma is the decimal comma ("2000,5", "1,234" has three
 *     decimals and is refused); several commas group thousands ("1,234,567");
 *   - only ".": a single dot followed by exactly three digits groups
 *     thousands ("2.000"), followed by one or two digits it is a decimal
 *     point ("2000.50"); several dots group thousands ("1.234.567");
 *   - a number ending in ",-" or ",--" is whole euros ("€ 2.000,-").
 * Grouped numbers have a first group of one to three digits that does not
 * start with 0, then groups of exactly three. The decimal part has one or
 * two digits ("2000,5" is 2000.50). An empty whole part is accepted, so
 * ",50" and ".50" mean 0.50. Spaces between digits are refused rather than
 * guessed at. Zero and negative amounts are refused unless the flags allow
 * them; "-0" is zero, not negative.
 */

#define NBSP "\xc2\xa0"
#define EURO_SIGN "\xe2\x82\xac"

/* Euros, so that euros * 100 + 99 never passes BUURTEN_MONEY_MAX_CENTS. */
#define MAX_EUROS (BUURTEN_MONEY_MAX_CENTS / 100)

typedef struct
{
  const char *p;
  const char *end;
} Cursor;

static gboolean
cursor_eat (Cursor     *c,
            const char *token)
{
  gsize len = strlen (token);

  if ((gsize) (c->end - c->p) < len || memcmp (c->p, token, len) != 0)
    return FALSE;

  c->p += len;
  return TRUE;
}

static gboolean
cursor_eat_space (Cursor *c)
{
  gboolean ate = FALSE;

  while (c->p < c->end)
    {
      if (*c->p == ' ' || *c->p == '\t')
        c->p++;
      else if (!cursor_eat (c, NBSP)
               && !cursor_eat (c, "\xe2\x80\x89")  /* THIN SPACE */
               && !cursor_eat (c, "\xe2\x80\xaf")) /* NARROW NO-BREAK SPACE */
        break;

      ate = TRUE;
    }

  return ate;
}

static gboolean
cursor_eat_minus (Cursor *c)
{
  return cursor_eat (c, "-") || cursor_eat (c, "\xe2\x88\x92"); /* MINUS SIGN */
}

static gboolean
cursor_eat_currency (Cursor *c)
{
  if (cursor_eat (c, EURO_SIGN))
    return TRUE;

  if (c->end - c->p >= 3
      && g_ascii_strncasecmp (c->p, "EUR", 3) == 0)
    {
      c->p += 3;
      return TRUE;
    }

  return FALSE;
}

/* The Dutch "whole euros" tail after the comma: "-", "--", or a dash. */
static gboolean
cursor_eat_whole_tail (Cursor *c)
{
  if (cursor_eat (c, "--") || cursor_eat (c, "-"))
    return TRUE;

  return cursor_eat (c, "\xe2\x80\x93")  /* EN DASH */
         || cursor_eat (c, "\xe2\x80\x94"); /* EM DASH */
}

static gboolean
is_number_char (char ch)
{
  return g_ascii_isdigit (ch) || ch == '.' || ch == ',';
}

static gboolean
set_invalid (GError    **error,
             const char *message)
{
  g_set_error_literal (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID, message);
  return FALSE;
}

static gboolean
set_bad_characters (GError **error)
{
  return set_invalid (error,
                      _("Use only digits, with a comma before the cents (for example 1.250,50)"));
}

static gboolean
set_bad_grouping (GError **error)
{
  return set_invalid (error,
                      _("Put a thousands separator between every three digits "
                        "(for example 1.234.567)"));
}

static gboolean
set_overflow (GError **error)
{
  g_autofree char *max = buurten_money_format (BUURTEN_MONEY_MAX_CENTS);

  g_set_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_OVERFLOW,
               /* Translators: %s is the largest amount, “€ 999.999.999.999,99”. */
               _("Amounts cannot be more than %s"), max);
  return FALSE;
}

/* Accumulates the digits of [p, end), skipping the group separator, into
 * *euros. Checks before multiplying, so nothing ever overflows. */
static gboolean
accumulate_euros (const char *p,
                  const char *end,
                  char        group_char,
                  guint64    *euros,
                  GError    **error)
{
  guint64 value = 0;

  for (; p < end; p++)
    {
      guint digit;

      if (*p == group_char)
        continue;

      g_assert (g_ascii_isdigit (*p));
      digit = (guint) (*p - '0');

      if (value > (MAX_EUROS - digit) / 10)
        return set_overflow (error);

      value = value * 10 + digit;
    }

  *euros = value;
  return TRUE;
}

/* [p, end) holds only digits and group_char: a first group of one to three
 * digits not starting with 0, then groups of exactly three. */
static gboolean
grouping_is_valid (const char *p,
                   const char *end,
                   char        group_char)
{
  const char *group_start = p;
  gboolean first = TRUE;

  for (;; p++)
    {
      if (p == end || *p == group_char)
        {
          gsize len = (gsize) (p - group_start);

          if (first)
            {
              if (len < 1 || len > 3 || *group_start == '0')
                return FALSE;
            }
          else if (len != 3)
            {
              return FALSE;
            }

          if (p == end)
            return TRUE;

          first = FALSE;
          group_start = p + 1;
        }
      else if (!g_ascii_isdigit (*p))
        {
          return FALSE;
        }
    }
}

static gsize
count_char (const char *p,
            const char *end,
            char        ch)
{
  gsize n = 0;

  for (; p < end; p++)
    if (*p == ch)
      n++;

  return n;
}

static const char *
find_last (const char *p,
           const char *end,
           char        ch)
{
  const char *last = NULL;

  for (; p < end; p++)
    if (*p == ch)
      last = p;

  return last;
}

/* Parses the bare number [start, end) (digits, "." and ","). */
static gboolean
parse_number (const char *start,
              const char *end,
              gboolean    whole_tail,
              guint64    *out_cents,
              GError    **error)
{
  gsize n_dots = count_char (start, end, '.');
  gsize n_commas = count_char (start, end, ',');
  const char *decimal = NULL; /* the decimal separator, if any */
  char group_char = '\0';     /* the thousands separator, if any */
  const char *whole_end;
  guint64 euros = 0;
  guint64 cents = 0;

  if (whole_tail)
    {
      /* "2.000,-": the comma before the dash was the decimal comma. */
      if (n_commas > 0)
        return set_invalid (error,
                            _("Use dots for thousands in an amount that ends in “,-”"));
      if (n_dots > 0)
        group_char = '.';
    }
  else if (n_dots > 0 && n_commas > 0)
    {
      const char *last_dot = find_last (start, end, '.');
      const char *last_comma = find_last (start, end, ',');

      decimal = MAX (last_dot, last_comma);
      group_char = *decimal == '.' ? ',' : '.';

      if ((*decimal == '.' ? n_dots : n_commas) > 1)
        return set_invalid (error, _("Use only one decimal separator"));
    }
  else if (n_commas == 1)
    {
      decimal = find_last (start, end, ',');
    }
  else if (n_commas > 1)
    {
      group_char = ',';
    }
  else if (n_dots == 1)
    {
      const char *dot = find_last (start, end, '.');

      if (end - dot - 1 == 3)
        group_char = '.';
      else
        decimal = dot;
    }
  else if (n_dots > 1)
    {
      group_char = '.';
    }

  if (decimal != NULL)
    {
      gsize n_decimals = (gsize) (end - decimal - 1);

      if (n_decimals == 0)
        return set_invalid (error,
                            _("Write one or two digits after the decimal separator, "
                              "or leave it out"));
      if (n_decimals > 2)
        return set_invalid (error,
                            *decimal == ','
                            ? _("Use at most two digits after the comma")
                            /* Translators: the decimal point, as in 2000.50. */
                            : _("Use at most two digits after the point"));

      cents = (guint64) (decimal[1] - '0') * 10;
      if (n_decimals == 2)
        cents += (guint64) (decimal[2] - '0');
    }

  whole_end = decimal != NULL ? decimal : end;

  if (group_char != '\0' && !grouping_is_valid (start, whole_end, group_char))
    return set_bad_grouping (error);

  /* A lone separator is not a number; ",50" is (see above). */
  if (whole_end == start && decimal == NULL)
    return set_bad_characters (error);

  if (!accumulate_euros (start, whole_end, group_char, &euros, error))
    return FALSE;

  *out_cents = euros * 100 + cents;
  return TRUE;
}

BuurtenMoneyLocale
buurten_money_locale_default (void)
{
  const char * const *names = g_get_language_names ();

  if (names != NULL && names[0] != NULL && g_str_has_prefix (names[0], "nl"))
    return BUURTEN_MONEY_LOCALE_DUTCH;

  return BUURTEN_MONEY_LOCALE_ENGLISH;
}

char *
buurten_money_format_full (gint64                  cents,
                           BuurtenMoneyLocale      locale,
                           BuurtenMoneyFormatFlags flags)
{
  gboolean dutch = locale == BUURTEN_MONEY_LOCALE_DUTCH;
  char group_char = dutch ? '.' : ',';
  char decimal_char = dutch ? ',' : '.';
  /* Via guint64, so that G_MININT64 has a magnitude too. */
  guint64 magnitude = cents < 0 ? (guint64) (-(cents + 1)) + 1 : (guint64) cents;
  guint64 euros = magnitude / 100;
  guint rest = (guint) (magnitude % 100);
  char digits[32];
  gsize n_digits;
  GString *str;

  g_return_val_if_fail (locale == BUURTEN_MONEY_LOCALE_DUTCH
                        || locale == BUURTEN_MONEY_LOCALE_ENGLISH, NULL);

  n_digits = (gsize) g_snprintf (digits, sizeof digits, "%" G_GUINT64_FORMAT, euros);
  str = g_string_sized_new (n_digits + 16);

  if (dutch)
    g_string_append (str, EURO_SIGN NBSP);
  if (cents < 0)
    g_string_append_c (str, '-');
  if (!dutch)
    g_string_append (str, EURO_SIGN);

  for (gsize i = 0; i < n_digits; i++)
    {
      if (i > 0 && (n_digits - i) % 3 == 0)
        g_string_append_c (str, group_char);
      g_string_append_c (str, digits[i]);
    }

  if (rest != 0 || !(flags & BUURTEN_MONEY_FORMAT_WHOLE_EUROS))
    g_string_append_printf (str, "%c%02u", decimal_char, rest);

  return g_string_free (str, FALSE);
}

char *
buurten_money_format (gint64 cents)
{
  return buurten_money_format_full (cents, buurten_money_locale_default (),
                                    BUURTEN_MONEY_FORMAT_NONE);
}

gboolean
buurten_money_parse (const char             *text,
                     BuurtenMoneyParseFlags  flags,
                     gint64                 *out_cents,
                     GError                **error)
{
  Cursor c;
  gboolean negative = FALSE;
  gboolean currency = FALSE;
  gboolean whole_tail = FALSE;
  const char *number_start;
  const char *number_end;
  guint64 magnitude = 0;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  c.p = text;
  c.end = text + strlen (text);

  cursor_eat_space (&c);
  if (c.p == c.end)
    return set_invalid (error, _("Enter an amount"));

  /* Sign and currency in either order before the number: "-€ 5", "€ -5". */
  for (;;)
    {
      if (!negative && cursor_eat_minus (&c))
        negative = TRUE;
      else if (!currency && cursor_eat_currency (&c))
        currency = TRUE;
      else
        break;

      cursor_eat_space (&c);
    }

  number_start = c.p;
  while (c.p < c.end && is_number_char (*c.p))
    c.p++;
  number_end = c.p;

  if (number_end > number_start && number_end[-1] == ',' && cursor_eat_whole_tail (&c))
    {
      whole_tail = TRUE;
      number_end--;
    }

  if (number_end == number_start && !whole_tail)
    {
      cursor_eat_space (&c);
      return c.p == c.end
             ? set_invalid (error, _("Enter an amount"))
             : set_bad_characters (error);
    }

  if (cursor_eat_space (&c) && c.p < c.end && g_ascii_isdigit (*c.p))
    return set_invalid (error, _("Remove the spaces inside the number"));

  if (!currency && cursor_eat_currency (&c))
    cursor_eat_space (&c);

  if (c.p != c.end)
    return set_bad_characters (error);

  if (!parse_number (number_start, number_end, whole_tail, &magnitude, error))
    return FALSE;

  if (magnitude == 0 && !(flags & BUURTEN_MONEY_PARSE_ALLOW_ZERO))
    return set_invalid (error, _("Enter an amount greater than zero"));

  if (negative && magnitude != 0 && !(flags & BUURTEN_MONEY_PARSE_ALLOW_NEGATIVE))
    return set_invalid (error, _("Amounts cannot be negative"));

  if (out_cents != NULL)
    *out_cents = negative ? -(gint64) magnitude : (gint64) magnitude;

  return TRUE;
}

gboolean
buurten_money_add (gint64  a,
                   gint64  b,
                   gint64 *out)
{
  gint64 sum;

  g_return_val_if_fail (out != NULL, FALSE);

  /* Operands within the range cannot overflow gint64 when added. */
  if (a > BUURTEN_MONEY_MAX_CENTS || a < -BUURTEN_MONEY_MAX_CENTS
      || b > BUURTEN_MONEY_MAX_CENTS || b < -BUURTEN_MONEY_MAX_CENTS)
    return FALSE;

  sum = a + b;
  if (sum > BUURTEN_MONEY_MAX_CENTS || sum < -BUURTEN_MONEY_MAX_CENTS)
    return FALSE;

  *out = sum;
  return TRUE;
}

static guint64
magnitude_of (gint64 value)
{
  return value < 0 ? (guint64) (-(value + 1)) + 1 : (guint64) value;
}

int
buurten_money_permille (gint64 part,
                        gint64 whole)
{
  guint64 p = magnitude_of (part);
  guint64 w = magnitude_of (whole);
  gboolean negative = (part < 0) != (whole < 0);
  guint64 q, r, result;

  if (whole == 0 || part == 0)
    return 0;

  /* round (p * 1000 / w) without ever forming p * 1000: the whole part
   * first, then three decimal digits of r / w by long division. */
  q = p / w;
  r = p % w;

  if (q > G_MAXINT / 1000)
    return negative ? -G_MAXINT : G_MAXINT;

  result = q;
  for (int i = 0; i < 3; i++)
    {
      /* digit = floor (10 r / w), r = 10 r mod w, by ten additions: r and
       * the running sum both stay below w <= 2^63, so nothing overflows. */
      guint64 acc = 0;
      guint digit = 0;

      for (int k = 0; k < 10; k++)
        {
          acc += r;
          if (acc >= w)
            {
              acc -= w;
              digit++;
            }
        }

      result = result * 10 + digit;
      r = acc;
    }

  /* Half up, on the magnitude: halves round away from zero, so that
   * permille (-a, w) == -permille (a, w). */
  if (r >= w - r)
    result++;

  if (result > G_MAXINT)
    result = G_MAXINT;

  return negative ? -(int) result : (int) result;
}
