/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer: the JSON pre-scan and parser every body from outside goes
 * through (buurten_json_parse): it must refuse or parse, never crash, and
 * what it parses must write back to text that parses to the same tree. */

#include "config.h"

#include <stdint.h>

#include "buurten-core.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text_again = NULL;

  root = buurten_json_parse ((const char *) data, (gssize) size, 32, NULL);
  if (root == NULL)
    return 0;

  text = buurten_json_to_string (root);
  again = buurten_json_parse (text, -1, 32, NULL);
  g_assert_nonnull (again);
  text_again = buurten_json_to_string (again);
  g_assert_cmpstr (text, ==, text_again);
  return 0;
}
