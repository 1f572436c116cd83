/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-identifiers"

#include "config.h"

#include "buurten-identifiers.h"

#include <glib/gi18n.h>
#include <string.h>

#include "buurten-error.h"

/* IBAN lengths of the SEPA countries (ISO 13616 registry). A country not
 * listed is refused: the municipality pays within SEPA only. */
static const struct
{
  char  country[3];
  guint length;
} iban_lengths[] = {
  { "AD", 24 }, { "AT", 20 }, { "BE", 16 }, { "BG", 22 }, { "CH", 21 }, { "CY", 28 },
  { "CZ", 24 }, { "DE", 22 }, { "DK", 18 }, { "EE", 20 }, { "ES", 24 }, { "FI", 18 },
  { "FR", 27 }, { "GB", 22 }, { "GI", 23 }, { "GR", 27 }, { "HR", 21 }, { "HU", 28 },
  { "IE", 22 }, { "IS", 26 }, { "IT", 27 }, { "LI", 21 }, { "LT", 20 }, { "LU", 20 },
  { "LV", 21 }, { "MC", 27 }, { "MT", 31 }, { "NL", 18 }, { "NO", 15 }, { "PL", 28 },
  { "PT", 25 }, { "RO", 24 }, { "SE", 24 }, { "SI", 19 }, { "SK", 24 }, { "SM", 27 },
  { "VA", 22 },
};

char *
buurten_iban_normalize (const char *text)
{
  GString *iban;

  g_return_val_if_fail (text != NULL, NULL);

  iban = g_string_new (NULL);
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == ' ')
        continue;
      if (!g_ascii_isalnum (*p))
        {
          g_string_free (iban, TRUE);
          return NULL;
        }
      g_string_append_c (iban, g_ascii_toupper (*p));
    }

  return g_string_free (iban, FALSE);
}

static gboolean
iban_error (GError     **error,
            const char  *message)
{
  g_set_error_literal (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID, message);
  return FALSE;
}

gboolean
buurten_iban_check (const char  *iban,
                    GError     **error)
{
  gsize len;
  guint expected = 0;
  guint remainder = 0;

  g_return_val_if_fail (iban != NULL, FALSE);

  len = strlen (iban);
  if (len < 5 || !g_ascii_isupper (iban[0]) || !g_ascii_isupper (iban[1]) ||
      !g_ascii_isdigit (iban[2]) || !g_ascii_isdigit (iban[3]))
    return iban_error (error, _("An IBAN starts with two letters for the country and two check digits"));

  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (iban[i]) && !g_ascii_isupper (iban[i]))
      return iban_error (error, _("An IBAN holds only letters and digits"));

  for (guint i = 0; i < G_N_ELEMENTS (iban_lengths); i++)
    if (strncmp (iban, iban_lengths[i].country, 2) == 0)
      expected = iban_lengths[i].length;
  if (expected == 0)
    return iban_error (error, _("This IBAN is not from a SEPA country"));
  if (len != expected)
    {
      /* Translators: the first %u is the country's IBAN length (15 to
       * 31), %.2s its country code such as NL, the last %u how many
       * characters were typed */
      g_set_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID,
                   _("An IBAN from %.2s has %u characters, this one has %u"),
                   iban, expected, (guint) len);
      return FALSE;
    }

  /* ISO 13616: move the first four characters to the end, letters to
   * 10..35, and the number must be 1 modulo 97. Digit by digit, so no
   * big numbers are needed. */
  for (gsize i = 0; i < len; i++)
    {
      char c = iban[(i + 4) % len];

      if (g_ascii_isdigit (c))
        remainder = (remainder * 10 + (guint) (c - '0')) % 97;
      else
        remainder = (remainder * 100 + (guint) (c - 'A' + 10)) % 97;
    }

  if (remainder != 1)
    return iban_error (error, _("The IBAN's check digits do not match: a typing error?"));

  return TRUE;
}

char *
buurten_iban_format (const char *iban)
{
  GString *out;

  g_return_val_if_fail (iban != NULL, NULL);

  out = g_string_new (NULL);
  for (gsize i = 0; iban[i] != '\0'; i++)
    {
      if (i > 0 && i % 4 == 0)
        g_string_append_c (out, ' ');
      g_string_append_c (out, iban[i]);
    }

  return g_string_free (out, FALSE);
}

gboolean
buurten_kvk_check (const char  *kvk,
                   GError     **error)
{
  g_return_val_if_fail (kvk != NULL, FALSE);

  for (guint i = 0; i < 8; i++)
    if (!g_ascii_isdigit (kvk[i]))
      goto bad;
  if (kvk[8] == '\0')
    return TRUE;

bad:
  g_set_error_literal (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID,
                       _("A KvK number has exactly eight digits"));
  return FALSE;
}

gboolean
buurten_email_check (const char  *email,
                     GError     **error)
{
  const char *at;

  g_return_val_if_fail (email != NULL, FALSE);

  /* Not RFC 5322: what a coordinator can mistype. One @, something before
   * it, a dot in the domain after it, no spaces. */
  at = strchr (email, '@');
  if (at == NULL || at == email || strchr (at + 1, '@') != NULL ||
      strchr (at + 1, '.') == NULL || at[1] == '.' || g_str_has_suffix (email, ".") ||
      strpbrk (email, " \t\n\r<>,;") != NULL)
    {
      g_set_error_literal (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID,
                           _("This is not an e-mail address (name@example.nl)"));
      return FALSE;
    }

  return TRUE;
}

gboolean
buurten_phone_check (const char  *phone,
                     GError     **error)
{
  guint digits = 0;

  g_return_val_if_fail (phone != NULL, FALSE);

  for (const char *p = phone; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        digits++;
      else if (strchr (" +-()", *p) == NULL || (*p == '+' && p != phone))
        goto bad;
    }
  if (digits >= 6 && digits <= 15)
    return TRUE;

bad:
  g_set_error_literal (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID,
                       _("A phone number holds 6 to 15 digits, and only spaces, + - ( ) besides"));
  return FALSE;
}
