/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Money is a whole number of euro cents, always. The largest amount the
 * application accepts is just under one trillion euros, far above any
 * municipal budget yet safely inside gint64 even after summing millions. */
#define BUURTEN_MONEY_MAX_CENTS G_GINT64_CONSTANT (99999999999999)

typedef enum
{
  BUURTEN_MONEY_LOCALE_DUTCH,   /* € 36.250,00 */
  BUURTEN_MONEY_LOCALE_ENGLISH, /* €36,250.00 */
} BuurtenMoneyLocale;

typedef enum
{
  BUURTEN_MONEY_PARSE_NONE           = 0,
  BUURTEN_MONEY_PARSE_ALLOW_NEGATIVE = 1 << 0,
  BUURTEN_MONEY_PARSE_ALLOW_ZERO     = 1 << 1,
} BuurtenMoneyParseFlags;

typedef enum
{
  BUURTEN_MONEY_FORMAT_NONE        = 0,
  /* Leave out ",00" for whole euros: "€ 32.500" (dashboards, a11y text). */
  BUURTEN_MONEY_FORMAT_WHOLE_EUROS = 1 << 0,
} BuurtenMoneyFormatFlags;

/* The locale the user's messages are shown in (derived from
 * g_get_language_names(): Dutch for "nl*", English otherwise). */
BuurtenMoneyLocale buurten_money_locale_default (void);

/* The Dutch format has a NO-BREAK SPACE (U+00A0) after the euro sign. */
char      *buurten_money_format_full   (gint64                  cents,
                                        BuurtenMoneyLocale      locale,
                                        BuurtenMoneyFormatFlags flags);
/* In buurten_money_locale_default(). */
char      *buurten_money_format        (gint64                  cents);

/* Parses what people type: "2000", "2.000", "2000,50", "€ 2.000,-",
 * "1.234.567,89", "2000.50". Sets a BUURTEN_CORE_ERROR_INVALID (or
 * _OVERFLOW) error with a message a person can act on otherwise.
 * Dutch first where ambiguous: "1,234" is refused (three decimals), ",50"
 * is 0,50. The full grammar is in buurten-money.c. out_cents may be NULL
 * (validation only) and is left alone on failure. */
gboolean   buurten_money_parse         (const char             *text,
                                        BuurtenMoneyParseFlags  flags,
                                        gint64                 *out_cents,
                                        GError                **error);

/* Checked arithmetic: FALSE (and *out untouched) when an operand or the
 * sum lies outside ±BUURTEN_MONEY_MAX_CENTS. */
gboolean   buurten_money_add           (gint64                  a,
                                        gint64                  b,
                                        gint64                 *out);

/* Percentage of part in whole, in tenths of a percent, rounded half up
 * (halves away from zero, so negatives are symmetric); 0 when whole is 0;
 * exact for any gint64, clamped to ±G_MAXINT. */
int        buurten_money_permille      (gint64                  part,
                                        gint64                  whole);

G_END_DECLS
