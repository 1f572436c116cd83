/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer: a login's body as the server reads it before the database:
 * the JSON pre-scan and parser (with the depth the API allows), then
 * buurten_login_body_read(). What it accepts is a username of 1 to 200
 * bytes and a password of at most 1024, both valid UTF-8; what it
 * refuses has a message. */

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "buurten-core.h"
#include "buurten-api.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonNode) root = buurten_json_parse ((const char *) data, (gssize) size,
                                                 BUURTEN_API_MAX_DEPTH, NULL);
  g_autoptr(GError) error = NULL;
  const char *username = NULL;
  const char *password = NULL;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return 0;

  if (!buurten_login_body_read (json_node_get_object (root), &username, &password, &error))
    {
      g_assert_nonnull (error);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }

  g_assert_no_error (error);
  g_assert_nonnull (username);
  g_assert_nonnull (password);
  g_assert_cmpuint (strlen (username), >=, 1);
  g_assert_cmpuint (strlen (username), <=, 200);
  g_assert_cmpuint (strlen (password), <=, 1024);
  g_assert_true (g_utf8_validate (username, -1, NULL));
  g_assert_true (g_utf8_validate (password, -1, NULL));
  return 0;
}
