/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer: the JSON pre-scan and parser every body from outside goes
 * through (buurten_json_parse): it must refuse or parse, never crash, and
 * what it parses must write back to text that parses to the same tree.
 * The tree it builds itself is compared with the one json-glib's parser
 * builds from the same text (buurten_json_parse_reference): both refuse,
 * or both give identical trees. */

#include "config.h"

#include <stdint.h>

#include "buurten-core.h"
#include "buurten-json-private.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text_again = NULL;
  g_autoptr(JsonNode) reference = NULL;

  root = buurten_json_parse ((const char *) data, (gssize) size, 32, NULL);
  reference = buurten_json_parse_reference ((const char *) data, (gssize) size, 32, NULL);
  g_assert_true ((root == NULL) == (reference == NULL));
  if (root == NULL)
    return 0;
  g_assert_true (buurten_json_identical (root, reference));

  text = buurten_json_to_string (root);
  again = buurten_json_parse (text, -1, 32, NULL);
  g_assert_nonnull (again);
  text_again = buurten_json_to_string (again);
  g_assert_cmpstr (text, ==, text_again);
  return 0;
}
