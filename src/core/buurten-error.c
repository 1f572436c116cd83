/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-error"

#include "config.h"

#include "buurten-error.h"

#include <string.h>

G_DEFINE_QUARK (buurten-core-error-quark, buurten_core_error)

const char *
buurten_core_error_code_name (BuurtenCoreError code)
{
  switch (code)
    {
    case BUURTEN_CORE_ERROR_INVALID:          return "VALIDATION";
    case BUURTEN_CORE_ERROR_PARSE:            return "MALFORMED";
    case BUURTEN_CORE_ERROR_MANDATE_EXCEEDED: return "MANDATE_EXCEEDED";
    case BUURTEN_CORE_ERROR_BUDGET_EXCEEDED:  return "BUDGET_EXCEEDED";
    case BUURTEN_CORE_ERROR_INVALID_STATE:    return "INVALID_STATE";
    case BUURTEN_CORE_ERROR_FORBIDDEN:        return "FORBIDDEN";
    case BUURTEN_CORE_ERROR_FOUR_EYES:        return "FOUR_EYES";
    case BUURTEN_CORE_ERROR_NOT_FOUND:        return "NOT_FOUND";
    case BUURTEN_CORE_ERROR_OVERFLOW:         return "OVERFLOW";
    default:                                  return "VALIDATION";
    }
}

char *
buurten_text_excerpt (const char *text,
                      gsize       max_bytes)
{
  g_autofree char *valid = NULL;
  GString *out;
  const char *p;

  if (text == NULL)
    return g_strdup ("");

  valid = g_utf8_make_valid (text, -1);
  out = g_string_sized_new (MIN (strlen (valid), max_bytes) + 4);

  for (p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      gsize len = g_utf8_next_char (p) - p;

      if (out->len + len > max_bytes)
        {
          g_string_append (out, "\u2026");
          break;
        }
      if (g_unichar_iscntrl (c))
        g_string_append_c (out, ' ');
      else
        g_string_append_len (out, p, len);
    }

  return g_string_free (out, FALSE);
}
