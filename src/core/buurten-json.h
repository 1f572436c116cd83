/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* json-glib 1.6's parser has no nesting limit and recurses on deep input
 * until the stack runs out, so everything that reads JSON from outside
 * goes through buurten_json_parse(): it checks size, UTF-8, nesting depth
 * and the strict grammar by a linear scan, then builds the JsonNode tree
 * itself without recursion (the tree json-glib's parser would build). */
#define BUURTEN_JSON_DEFAULT_MAX_DEPTH 32

/* BUURTEN_CORE_ERROR_PARSE for malformed, too deep or non-UTF-8 input. */
JsonNode   *buurten_json_parse          (const char  *data,
                                         gssize       length,
                                         guint        max_depth,
                                         GError     **error);

/* Typed member access that never emits a critical: `where` prefixes the
 * error ("request" gives "request.title: expected a string"). A member
 * that is absent or JSON null sets *out to the default and returns TRUE
 * unless required is TRUE. */
gboolean    buurten_json_get_string     (JsonObject  *object,
                                         const char  *where,
                                         const char  *member,
                                         gboolean     required,
                                         const char **out,
                                         GError     **error);
gboolean    buurten_json_get_int        (JsonObject  *object,
                                         const char  *where,
                                         const char  *member,
                                         gboolean     required,
                                         gint64      *out,
                                         GError     **error);
gboolean    buurten_json_get_bool       (JsonObject  *object,
                                         const char  *where,
                                         const char  *member,
                                         gboolean     required,
                                         gboolean    *out,
                                         GError     **error);
gboolean    buurten_json_get_object     (JsonObject  *object,
                                         const char  *where,
                                         const char  *member,
                                         gboolean     required,
                                         JsonObject **out,
                                         GError     **error);
gboolean    buurten_json_get_array      (JsonObject  *object,
                                         const char  *where,
                                         const char  *member,
                                         gboolean     required,
                                         JsonArray  **out,
                                         GError     **error);

/* Serialises compactly. */
char       *buurten_json_to_string      (JsonNode    *node);

G_END_DECLS
