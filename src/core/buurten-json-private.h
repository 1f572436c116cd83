/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "buurten-json.h"

G_BEGIN_DECLS

/* The same checks as buurten_json_parse(), then json-glib's JsonParser
 * builds the tree (as buurten_json_parse() did until it built the tree
 * itself). For the tests and the fuzzer that compare the two; nothing
 * else should call it. */
JsonNode   *buurten_json_parse_reference (const char  *data,
                                          gssize       length,
                                          guint        max_depth,
                                          GError     **error);

/* TRUE when a and b are the same tree: the same node types, the same
 * value types (an integer is not the double of the same value, unlike
 * json_node_equal()), the same strings and numbers bit for bit, the
 * members in the same order, and each node's parent the node that holds
 * it. Recurses once per level. */
gboolean    buurten_json_identical       (JsonNode    *a,
                                          JsonNode    *b);

G_END_DECLS
