/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-error"

#include "config.h"

#include "buurten-error.h"

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
