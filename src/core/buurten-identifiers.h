/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Numbers that identify an initiative's payee and organisation: the IBAN
 * its grant is paid to and the organisation's Chamber of Commerce (KvK)
 * number. The app and the server check them with these functions alone. */

/* The IBAN as stored: spaces removed, letters upper-cased. NULL when the
 * text holds anything but letters, digits and spaces. */
char     *buurten_iban_normalize (const char  *text);

/* Whether @iban (normalised) is a valid IBAN: a known length for its
 * country where the country is one of SEPA's, the check digits right
 * (ISO 13616, mod 97). The message says which of these failed. */
gboolean  buurten_iban_check     (const char  *iban,
                                  GError     **error);

/* "NL91 ABNA 0417 1643 00": groups of four, as printed on a bank card. */
char     *buurten_iban_format    (const char  *iban);

/* A KvK number: exactly eight digits. */
gboolean  buurten_kvk_check      (const char  *kvk,
                                  GError     **error);

/* Loose checks of what a coordinator types: one @ and a dotted domain;
 * 6 to 15 digits with spaces, a leading + and - ( ). */
gboolean  buurten_email_check    (const char  *email,
                                  GError     **error);
gboolean  buurten_phone_check    (const char  *phone,
                                  GError     **error);

G_END_DECLS
