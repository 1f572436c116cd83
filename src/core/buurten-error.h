/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BUURTEN_CORE_ERROR (buurten_core_error_quark ())

/**
 * BuurtenCoreError:
 * The codes of the core layer. Their nick (buurten_core_error_code_name())
 * is the `code` string the server API uses, so the client and the server
 * name a refusal the same way.
 */
typedef enum
{
  BUURTEN_CORE_ERROR_INVALID,          /* VALIDATION: bad value or missing member */
  BUURTEN_CORE_ERROR_PARSE,            /* MALFORMED: cannot be parsed at all */
  BUURTEN_CORE_ERROR_MANDATE_EXCEEDED, /* MANDATE_EXCEEDED */
  BUURTEN_CORE_ERROR_BUDGET_EXCEEDED,  /* BUDGET_EXCEEDED */
  BUURTEN_CORE_ERROR_INVALID_STATE,    /* INVALID_STATE */
  BUURTEN_CORE_ERROR_FORBIDDEN,        /* FORBIDDEN */
  BUURTEN_CORE_ERROR_FOUR_EYES,        /* FOUR_EYES: the same user signs twice */
  BUURTEN_CORE_ERROR_NOT_FOUND,        /* NOT_FOUND */
  BUURTEN_CORE_ERROR_OVERFLOW,         /* OVERFLOW: an amount out of range */
} BuurtenCoreError;

GQuark       buurten_core_error_quark     (void);
const char  *buurten_core_error_code_name (BuurtenCoreError code);

/* A piece of untrusted text quoted in a message: valid UTF-8 (invalid
 * sequences become U+FFFD), control characters as spaces, at most
 * max_bytes long, cut on a character boundary with "…" added when cut. */
char        *buurten_text_excerpt         (const char      *text,
                                           gsize            max_bytes);

G_END_DECLS
