/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "buurten-entity.h"
#include "buurten-error.h"
#include "buurten-json.h"
#include "buurten-json-private.h"
#include "buurten-money.h"

/* Everything here runs under G_DEBUG=fatal-criticals: a single GLib
 * critical on hostile input aborts the test. */

#define UUID_A "6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f"
#define UUID_B "0b6a0f5e-9c1d-4f7e-a2b3-c4d5e6f70812"

/* ---- helpers ------------------------------------------------------------ */

static JsonNode *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = buurten_json_parse (text, -1, BUURTEN_JSON_DEFAULT_MAX_DEPTH, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

static char *
repeat (const char *piece,
        guint       n)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append (s, piece);
  return g_string_free (s, FALSE);
}

/* Valid documents for a few entities, as (member, raw JSON value) pairs,
 * so that a case can replace or drop one member without producing a
 * duplicate name (which the parser refuses on its own). */
typedef struct
{
  const char *name;
  const char *raw;
} Member;

static const Member request_base[] = {
  { "id", "\"" UUID_A "\"" },
  { "wijk", "\"centrum\"" },
  { "type", "\"klacht\"" },
  { "title", "\"Losse stoeptegel Kerkstraat\"" },
  { "received_at", "\"2026-03-02T09:15:00Z\"" },
  { "state", "\"nieuw\"" },
  { NULL, NULL }
};

static const Member commitment_base[] = {
  { "id", "\"" UUID_A "\"" },
  { "initiative_id", "\"" UUID_B "\"" },
  { "wijk", "\"oost\"" },
  { "funding", "\"wijkbudget\"" },
  { "year", "2026" },
  { "amount_cents", "250000" },
  { "state", "\"pending\"" },
  { NULL, NULL }
};

static const Member action_base[] = {
  { "id", "\"" UUID_A "\"" },
  { "meeting_id", "\"" UUID_B "\"" },
  { "owner", "\"Sanne de Vries\"" },
  { "title", "\"Bewoners uitnodigen\"" },
  { NULL, NULL }
};

static const Member payment_base[] = {
  { "id", "\"" UUID_A "\"" },
  { "commitment_id", "\"" UUID_B "\"" },
  { "amount_cents", "125000" },
  { "paid_on", "\"2026-04-15\"" },
  { NULL, NULL }
};

static const Member *
base_for (const BuurtenEntityInfo *info)
{
  if (info == &buurten_request_info)
    return request_base;
  if (info == &buurten_commitment_info)
    return commitment_base;
  if (info == &buurten_action_info)
    return action_base;
  if (info == &buurten_payment_info)
    return payment_base;
  g_assert_not_reached ();
  return NULL;
}

/* The base document with `member` set to `raw` (added when absent from
 * the base), or removed when raw is NULL. */
static char *
build_doc (const BuurtenEntityInfo *info,
           const char              *member,
           const char              *raw)
{
  const Member *base = base_for (info);
  GString *s = g_string_new ("{");
  gboolean replaced = FALSE;
  gboolean first = TRUE;

  for (guint i = 0; base[i].name != NULL; i++)
    {
      const char *value = base[i].raw;

      if (member != NULL && strcmp (base[i].name, member) == 0)
        {
          replaced = TRUE;
          if (raw == NULL)
            continue;
          value = raw;
        }
      g_string_append_printf (s, "%s\"%s\":%s", first ? "" : ",", base[i].name, value);
      first = FALSE;
    }

  if (member != NULL && !replaced && raw != NULL)
    g_string_append_printf (s, "%s\"%s\":%s", first ? "" : ",", member, raw);

  g_string_append_c (s, '}');
  return g_string_free (s, FALSE);
}

/* Parses and decodes; returns the error (never NULL: asserts failure). */
static GError *
decode_must_fail (const BuurtenEntityInfo *info,
                  const char              *text,
                  gssize                   length)
{
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;
  gpointer entity;

  node = buurten_json_parse (text, length, BUURTEN_JSON_DEFAULT_MAX_DEPTH, &error);
  if (node == NULL)
    {
      g_assert_nonnull (error);
      return error;
    }
  g_assert_no_error (error);

  entity = buurten_entity_from_json (info, node, &error);
  if (entity != NULL)
    {
      g_autofree char *shown = g_strndup (text, 200);

      buurten_entity_free (info, entity);
      g_error ("decoding %s as %s unexpectedly succeeded", shown, info->name);
    }
  g_assert_nonnull (error);
  return error;
}

static gpointer
decode_ok (const BuurtenEntityInfo *info,
           const char              *text)
{
  g_autoptr(JsonNode) node = parse_ok (text);
  g_autoptr(GError) error = NULL;
  gpointer entity = buurten_entity_from_json (info, node, &error);

  g_assert_no_error (error);
  g_assert_nonnull (entity);
  return entity;
}

/* ---- malformed text ------------------------------------------------------ */

typedef struct
{
  const char *text;
  gssize      length;   /* 0: NUL-terminated (passed as -1) */
} BadText;

static const BadText bad_texts[] = {
  /* empty and truncated */
  { "", 0 }, { " ", 0 }, { "\n\t ", 0 }, { "{", 0 }, { "[", 0 }, { "[1", 0 }, { "[1,", 0 },
  { "{\"a\"", 0 }, { "{\"a\":", 0 }, { "{\"a\":1", 0 }, { "\"abc", 0 }, { "[\"a\\", 0 },
  { "tru", 0 }, { "nul", 0 }, { "-", 0 },
  /* structure */
  { "}", 0 }, { "]", 0 }, { ":", 0 }, { ",", 0 }, { "[}", 0 }, { "{]", 0 }, { "[1:2]", 0 },
  { "{\"a\":1:2}", 0 }, { "{1:1}", 0 }, { "{\"a\"::1}", 0 }, { "{\"a\" 1}", 0 },
  { "[1 2]", 0 }, { "[\"a\",,\"b\"]", 0 }, { "[,1]", 0 }, { "{,}", 0 },
  /* trailing commas and trailing garbage */
  { "[1,]", 0 }, { "{\"a\":1,}", 0 }, { "[1] x", 0 }, { "[1][2]", 0 }, { "{} {}", 0 },
  { "1 2", 0 }, { "[1]]", 0 },
  /* what json-glib 1.6 would accept but JSON is not */
  { "/* c */ [1]", 0 }, { "[1] // c", 0 }, { "# c\n[1]", 0 }, { "['a']", 0 },
  { "{'a':1}", 0 }, { "{a:1}", 0 }, { "[0x10]", 0 }, { "[01]", 0 }, { "[.5]", 0 },
  { "[1.]", 0 }, { "[+1]", 0 }, { "[1e]", 0 }, { "[1e+]", 0 }, { "[-.5]", 0 },
  { "[NaN]", 0 }, { "[Infinity]", 0 }, { "[-Infinity]", 0 }, { "[TRUE]", 0 },
  { "[True]", 0 }, { "[undefined]", 0 }, { "[nul]", 0 }, { "[truex]", 0 },
  /* bad escapes and strings */
  { "[\"\\x41\"]", 0 }, { "[\"\\'\"]", 0 }, { "[\"\\a\"]", 0 }, { "[\"\\u12\"]", 0 },
  { "[\"\\uZZZZ\"]", 0 }, { "[\"\\u12G4\"]", 0 }, { "[\"\\U0041\"]", 0 },
  { "[\"tab\there\"]", 0 }, { "[\"new\nline\"]", 0 }, { "[\"\x01\"]", 0 },
  /* lone surrogates: refused, they have no UTF-8 form */
  { "[\"\\ud800\"]", 0 }, { "[\"\\udc00\"]", 0 }, { "[\"\\ud800\\u0041\"]", 0 },
  { "[\"\\ud800x\"]", 0 }, { "[\"\\ude00\\ud83d\"]", 0 }, { "[\"\\ud83d\\ud83d\"]", 0 },
  /* \u0000 would cut the C string short */
  { "[\"a\\u0000b\"]", 0 },
  /* invalid UTF-8: stray bytes, overlong forms, encoded surrogates, > U+10FFFF */
  { "[\"\xff\"]", 0 }, { "[\"\xc0\xaf\"]", 0 }, { "[\"\xe0\x80\xaf\"]", 0 },
  { "[\"\xf0\x80\x80\xaf\"]", 0 }, { "[\"\xed\xa0\x80\"]", 0 }, { "[\"\xc3\"]", 0 },
  { "[\"\xf4\x90\x80\x80\"]", 0 }, { "[\"\x80\"]", 0 }, { "\xfe\xff[1]", 0 },
  /* a byte-order mark is not JSON text */
  { "\xef\xbb\xbf[1]", 0 },
  /* NUL bytes, inside and after the text */
  { "[1]\0", 4 }, { "[\"a\0b\"]", 7 }, { "\0[1]", 4 }, { "{\"a\":1}\0\0", 9 },
  /* numbers that do not fit */
  { "[1e999]", 0 }, { "[-1e999]", 0 }, { "[1.5e308000]", 0 }, { "[9223372036854775808]", 0 },
  { "[-9223372036854775809]", 0 }, { "[99999999999999999999999]", 0 },
  /* duplicate member names, also when spelt differently */
  { "{\"a\":1,\"a\":2}", 0 }, { "{\"a\":1,\"\\u0061\":2}", 0 },
  { "[{\"x\":{}},{\"b\":1,\"b\":1}]", 0 }, { "{\"o\":{\"k\":1,\"k\":{}}}", 0 },
};

static void
test_parse_malformed (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_texts); i++)
    {
      const BadText *c = &bad_texts[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = NULL;

      node = buurten_json_parse (c->text, c->length == 0 ? -1 : c->length,
                                 BUURTEN_JSON_DEFAULT_MAX_DEPTH, &error);
      if (node != NULL)
        g_error ("case %u (%s) was accepted", i, c->text);
      g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_PARSE);
      g_assert_true (g_str_has_prefix (error->message, "Malformed JSON") ||
                     g_str_has_prefix (error->message, "JSON nested"));

      /* The same bytes never get through the entity decoder either. */
      g_clear_error (&error);
      error = decode_must_fail (&buurten_request_info, c->text,
                                c->length == 0 ? -1 : c->length);
      g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_PARSE);
    }

  g_assert_cmpuint (G_N_ELEMENTS (bad_texts), >=, 50);
}

static void
test_parse_null_data (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  node = buurten_json_parse (NULL, -1, 32, &error);
  g_assert_null (node);
  g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_PARSE);
  g_clear_error (&error);

  node = buurten_json_parse ("[1]", 0, 32, &error);
  g_assert_null (node);
  g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_PARSE);
}

static void
test_parse_error_position (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  node = buurten_json_parse ("{\n  \"a\": 1,\n  \"b\": tru\n}", -1, 32, &error);
  g_assert_null (node);
  g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "line 3, column 8"));
}

/* ---- valid text --------------------------------------------------------- */

static void
test_parse_valid (void)
{
  static const struct { const char *in; const char *out; } cases[] = {
    { "{}", "{}" },
    { "[]", "[]" },
    { " \t\r\n[ 1 , 2 ]\n", "[1,2]" },
    { "\"text\"", "\"text\"" },
    { "42", "42" },
    { "-0", "0" },
    { "true", "true" },
    { "null", "null" },
    { "{\"\":1}", "{\"\":1}" },
    { "[9223372036854775807,-9223372036854775808]", "[9223372036854775807,-9223372036854775808]" },
    { "[\"\\u00e9\\u20ac\"]", "[\"é€\"]" },
    { "[\"\\ud83d\\ude00\",\"\\uD83D\\uDE00\"]", "[\"😀\",\"😀\"]" },
    { "[\"é€😀\"]", "[\"é€😀\"]" },
    { "[\"\\/\\\"\\\\\"]", "[\"/\\\"\\\\\"]" },
    { "{\"a\":{\"b\":[{\"c\":{}}]},\"d\":{\"e\":1,\"f\":{\"g\":2}}}",
      "{\"a\":{\"b\":[{\"c\":{}}]},\"d\":{\"e\":1,\"f\":{\"g\":2}}}" },
    { "{\"a\":1,\"A\":2}", "{\"a\":1,\"A\":2}" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) node = parse_ok (cases[i].in);
      g_autofree char *out = buurten_json_to_string (node);

      g_assert_cmpstr (out, ==, cases[i].out);
    }
}

static void
test_parse_length (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *out = NULL;
  /* Not NUL-terminated after the given length. */
  static const char buffer[] = { '[', '1', ']', 'x', 'y' };

  node = buurten_json_parse (buffer, 3, 32, &error);
  g_assert_no_error (error);
  out = buurten_json_to_string (node);
  g_assert_cmpstr (out, ==, "[1]");
  g_clear_pointer (&node, json_node_unref);

  node = buurten_json_parse (buffer, 4, 32, &error);
  g_assert_null (node);
  g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_PARSE);
  g_clear_error (&error);

  /* A number running to the very end of the buffer. */
  node = buurten_json_parse ("12345", 2, 32, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_node_get_int (node), ==, 12);
}

/* ---- depth ------------------------------------------------------------- */

static void
assert_depth_error (const char *text,
                    guint       max_depth)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *expected = g_strdup_printf ("JSON nested deeper than %u levels", max_depth);

  node = buurten_json_parse (text, -1, max_depth, &error);
  g_assert_null (node);
  g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_PARSE);
  g_assert_cmpstr (error->message, ==, expected);
}

static void
test_depth_boundary (void)
{
  g_autofree char *open32 = repeat ("[", 32);
  g_autofree char *close32 = repeat ("]", 32);
  g_autofree char *ok = g_strconcat (open32, close32, NULL);
  g_autofree char *too_deep = g_strconcat ("[", open32, close32, "]", NULL);
  g_autofree char *obj_open = repeat ("{\"a\":", 32);
  g_autofree char *obj_close = repeat ("}", 32);
  g_autofree char *obj_ok = g_strconcat (obj_open, "1", obj_close, NULL);
  g_autofree char *obj_deep = g_strconcat ("[", obj_open, "1", obj_close, "]", NULL);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  node = parse_ok (ok);
  g_clear_pointer (&node, json_node_unref);
  assert_depth_error (too_deep, 32);

  node = parse_ok (obj_ok);
  g_clear_pointer (&node, json_node_unref);
  assert_depth_error (obj_deep, 32);

  /* Depth is counted, not the number of containers. */
  node = parse_ok ("[[],[],{},{\"a\":[]},[[]]]");
  g_clear_pointer (&node, json_node_unref);

  /* Depth 0 allows scalars only. */
  node = buurten_json_parse ("7", -1, 0, &error);
  g_assert_no_error (error);
  g_clear_pointer (&node, json_node_unref);
  assert_depth_error ("[]", 0);
  assert_depth_error ("{}", 0);

  node = buurten_json_parse ("[[1]]", -1, 2, &error);
  g_assert_no_error (error);
  assert_depth_error ("[[[1]]]", 2);
}

static void
test_depth_hostile (void)
{
  g_autofree char *arrays = repeat ("[", 80000);
  g_autofree char *objects = repeat ("{\"a\":", 80000);
  g_autofree char *o1 = repeat ("[", 80000);
  g_autofree char *c1 = repeat ("]", 80000);
  g_autofree char *balanced = g_strconcat (o1, c1, NULL);
  g_autofree char *mixed = repeat ("[{\"k\":", 40000);
  gint64 start = g_get_monotonic_time ();

  assert_depth_error (arrays, 32);
  assert_depth_error (objects, 32);
  assert_depth_error (balanced, 32);
  assert_depth_error (mixed, 32);
  /* Even when a caller allows more than the C stack could take, the scan
   * itself never recurses and json-glib is never reached. */
  assert_depth_error (arrays, 512);

  /* A caller asking for more than json-glib can take safely gets 512. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) node = buurten_json_parse (balanced, -1, G_MAXUINT, &error);
    g_autofree char *open512 = repeat ("[", 512);
    g_autofree char *close512 = repeat ("]", 512);
    g_autofree char *ok512 = g_strconcat (open512, close512, NULL);

    g_assert_null (node);
    g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_PARSE);
    g_assert_cmpstr (error->message, ==, "JSON nested deeper than 512 levels");
    g_clear_error (&error);

    node = buurten_json_parse (ok512, -1, G_MAXUINT, &error);
    g_assert_no_error (error);
    g_assert_nonnull (node);
  }

  /* Linear: well under a second even on a slow machine. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
}

static void
test_depth_in_strings (void)
{
  g_autofree char *brackets = repeat ("[{", 80000);
  g_autofree char *text = g_strdup_printf ("[\"%s\",\"\\\"[[[\\\\\",\"]]]}}}\"]", brackets);
  g_autoptr(JsonNode) node = parse_ok (text);
  JsonArray *array = json_node_get_array (node);

  g_assert_cmpuint (json_array_get_length (array), ==, 3);
  g_assert_cmpuint (strlen (json_array_get_string_element (array, 0)), ==, 160000);
  g_assert_cmpstr (json_array_get_string_element (array, 1), ==, "\"[[[\\");
}

/* ---- getters ----------------------------------------------------------- */

static void
test_getters (void)
{
  g_autoptr(JsonNode) node = parse_ok ("{\"s\":\"x\",\"i\":12,\"d\":12.0,\"b\":true,"
                                       "\"o\":{},\"a\":[],\"n\":null,\"is\":\"12\"}");
  JsonObject *obj = json_node_get_object (node);
  g_autoptr(GError) error = NULL;
  const char *s = "sentinel";
  gint64 i = 99;
  gboolean b = TRUE;
  JsonObject *o = NULL;
  JsonArray *a = NULL;

  g_assert_true (buurten_json_get_string (obj, "t", "s", TRUE, &s, &error));
  g_assert_cmpstr (s, ==, "x");
  g_assert_true (buurten_json_get_int (obj, "t", "i", TRUE, &i, &error));
  g_assert_cmpint (i, ==, 12);
  g_assert_true (buurten_json_get_bool (obj, "t", "b", TRUE, &b, &error));
  g_assert_true (b);
  g_assert_true (buurten_json_get_object (obj, "t", "o", TRUE, &o, &error));
  g_assert_nonnull (o);
  g_assert_true (buurten_json_get_array (obj, "t", "a", TRUE, &a, &error));
  g_assert_nonnull (a);
  g_assert_no_error (error);

  /* Absent and null give the default when optional... */
  for (guint k = 0; k < 2; k++)
    {
      const char *member = k == 0 ? "absent" : "n";

      s = "sentinel"; i = 99; b = TRUE; o = obj; a = (JsonArray *) 1;
      g_assert_true (buurten_json_get_string (obj, "t", member, FALSE, &s, &error));
      g_assert_true (buurten_json_get_int (obj, "t", member, FALSE, &i, &error));
      g_assert_true (buurten_json_get_bool (obj, "t", member, FALSE, &b, &error));
      g_assert_true (buurten_json_get_object (obj, "t", member, FALSE, &o, &error));
      g_assert_true (buurten_json_get_array (obj, "t", member, FALSE, &a, &error));
      g_assert_no_error (error);
      g_assert_null (s);
      g_assert_cmpint (i, ==, 0);
      g_assert_false (b);
      g_assert_null (o);
      g_assert_null (a);
    }

  /* ...and an error naming the member when required. */
  g_assert_false (buurten_json_get_string (obj, "request", "title", TRUE, &s, &error));
  g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "request.title: missing");
  g_clear_error (&error);
  g_assert_false (buurten_json_get_int (obj, "request", "n", TRUE, &i, &error));
  g_assert_cmpstr (error->message, ==, "request.n: missing");
  g_clear_error (&error);

  /* Without a `where` the member alone is named. */
  g_assert_false (buurten_json_get_bool (obj, NULL, "absent", TRUE, &b, &error));
  g_assert_cmpstr (error->message, ==, "absent: missing");
  g_clear_error (&error);
}

static void
test_getters_wrong_type (void)
{
  g_autoptr(JsonNode) node = parse_ok ("{\"s\":\"x\",\"i\":12,\"d\":12.0,\"b\":true,"
                                       "\"o\":{},\"a\":[],\"is\":\"12\",\"e\":1e2}");
  JsonObject *obj = json_node_get_object (node);
  static const char * const all[] = { "s", "i", "d", "b", "o", "a", "is", "e" };

  for (guint k = 0; k < G_N_ELEMENTS (all); k++)
    {
      const char *m = all[k];
      g_autoptr(GError) error = NULL;
      g_autofree char *expect = NULL;
      const char *s;
      gint64 i;
      gboolean b;
      JsonObject *o;
      JsonArray *a;

#define CHECK(call, what, ...)                                                     \
      G_STMT_START {                                                             \
        gboolean ok_ = (call);                                                   \
        if (g_strv_contains ((const char * const[]) { __VA_ARGS__ }, m))             \
          {                                                                      \
            g_assert_true (ok_);                                                 \
            g_assert_no_error (error);                                           \
          }                                                                      \
        else                                                                     \
          {                                                                      \
            g_assert_false (ok_);                                                \
            g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID); \
            expect = g_strdup_printf ("x.%s: %s", m, what);                      \
            g_assert_cmpstr (error->message, ==, expect);                        \
            g_clear_pointer (&expect, g_free);                                   \
            g_clear_error (&error);                                              \
          }                                                                      \
      } G_STMT_END

      CHECK (buurten_json_get_string (obj, "x", m, TRUE, &s, &error),
             "expected a string", "s", "is", NULL);
      /* 12.0 and 1e2 are doubles: refused as integers. */
      CHECK (buurten_json_get_int (obj, "x", m, TRUE, &i, &error),
             "expected an integer", "i", NULL);
      CHECK (buurten_json_get_bool (obj, "x", m, TRUE, &b, &error),
             "expected true or false", "b", NULL);
      CHECK (buurten_json_get_object (obj, "x", m, TRUE, &o, &error),
             "expected an object", "o", NULL);
      CHECK (buurten_json_get_array (obj, "x", m, TRUE, &a, &error),
             "expected an array", "a", NULL);
#undef CHECK
    }
}

static void
test_getters_criticals (void)
{
  g_autoptr(JsonNode) node = parse_ok ("{}");
  const char *s = NULL;

  g_test_expect_message ("buurten-json", G_LOG_LEVEL_CRITICAL, "*object != NULL*");
  g_assert_false (buurten_json_get_string (NULL, "x", "y", FALSE, &s, NULL));
  g_test_assert_expected_messages ();

  g_test_expect_message ("buurten-json", G_LOG_LEVEL_CRITICAL, "*out != NULL*");
  g_assert_false (buurten_json_get_string (json_node_get_object (node), "x", "y", FALSE,
                                           NULL, NULL));
  g_test_assert_expected_messages ();

  g_test_expect_message ("buurten-json", G_LOG_LEVEL_CRITICAL, "*node != NULL*");
  g_assert_null (buurten_json_to_string (NULL));
  g_test_assert_expected_messages ();
}

static void
test_to_string (void)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *out = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "a");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "b");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "x\"y\n");
  json_builder_add_boolean_value (builder, FALSE);
  json_builder_add_null_value (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  out = buurten_json_to_string (root);
  g_assert_cmpstr (out, ==, "{\"a\":1,\"b\":[\"x\\\"y\\n\",false,null]}");
}

/* ---- decoding entities: every case must fail ------------------------------ */

typedef struct
{
  const BuurtenEntityInfo *info;
  const char              *member;   /* replaced, or added */
  const char              *raw;      /* raw JSON value; NULL drops the member */
  const char              *message;  /* the exact error message */
} BadMember;

#define REQ &buurten_request_info
#define COM &buurten_commitment_info
#define ACT &buurten_action_info
#define PAY &buurten_payment_info

static const BadMember bad_members[] = {
  /* missing required members, and null for them */
  { REQ, "id", NULL, "request.id: missing" },
  { REQ, "wijk", NULL, "request.wijk: missing" },
  { REQ, "type", NULL, "request.type: missing" },
  { REQ, "title", NULL, "request.title: missing" },
  { REQ, "received_at", NULL, "request.received_at: missing" },
  { REQ, "state", NULL, "request.state: missing" },
  { REQ, "title", "null", "request.title: missing" },
  { REQ, "id", "null", "request.id: missing" },
  { COM, "amount_cents", NULL, "commitment.amount_cents: missing" },
  { COM, "amount_cents", "null", "commitment.amount_cents: missing" },
  { COM, "year", "null", "commitment.year: missing" },
  { COM, "funding", NULL, "commitment.funding: missing" },
  { PAY, "paid_on", NULL, "payment.paid_on: missing" },
  { PAY, "paid_on", "null", "payment.paid_on: missing" },
  { ACT, "owner", NULL, "action.owner: missing" },
  /* strings of the wrong type */
  { REQ, "title", "42", "request.title: expected a string" },
  { REQ, "title", "4.2", "request.title: expected a string" },
  { REQ, "title", "true", "request.title: expected a string" },
  { REQ, "title", "[]", "request.title: expected a string" },
  { REQ, "title", "[\"a\"]", "request.title: expected a string" },
  { REQ, "title", "{}", "request.title: expected a string" },
  { REQ, "description", "false", "request.description: expected a string" },
  { REQ, "reporter_name", "{\"first\":\"Jan\"}", "request.reporter_name: expected a string" },
  { REQ, "title", "\"\"", "request.title: must not be empty" },
  { REQ, "wijk", "\"\"", "request.wijk: must not be empty" },
  /* UUIDs */
  { REQ, "id", "42", "request.id: expected a string" },
  { REQ, "id", "\"\"", "request.id: not a valid UUID" },
  { REQ, "id", "\"not-a-uuid\"", "request.id: not a valid UUID" },
  { REQ, "id", "\"6f1c2d3e4a5b4c6d8e9f0a1b2c3d4e5f\"", "request.id: not a valid UUID" },
  { REQ, "id", "\"{6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f}\"", "request.id: not a valid UUID" },
  { REQ, "id", "\"6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5g\"", "request.id: not a valid UUID" },
  { REQ, "id", "\"6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5\"", "request.id: not a valid UUID" },
  { REQ, "id", "\"6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f0\"", "request.id: not a valid UUID" },
  { REQ, "id", "\"6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f \"", "request.id: not a valid UUID" },
  { REQ, "id", "\" 6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f\"", "request.id: not a valid UUID" },
  { REQ, "id", "\"6f1c2d3e_4a5b_4c6d_8e9f_0a1b2c3d4e5f\"", "request.id: not a valid UUID" },
  { COM, "initiative_id", "\"x\"", "commitment.initiative_id: not a valid UUID" },
  /* enums */
  { REQ, "type", "\"foo\"", "request.type: unknown value “foo”" },
  { REQ, "type", "\"Klacht\"", "request.type: unknown value “Klacht”" },
  { REQ, "type", "\"\"", "request.type: unknown value “”" },
  { REQ, "type", "1", "request.type: expected a string" },
  { REQ, "type", "[\"klacht\"]", "request.type: expected a string" },
  { REQ, "state", "\"closed\"", "request.state: unknown value “closed”" },
  { REQ, "state", "\"idee\"", "request.state: unknown value “idee”" },
  { COM, "funding", "\"subsidie\"", "commitment.funding: unknown value “subsidie”" },
  { COM, "state", "\"approved \"", "commitment.state: unknown value “approved ”" },
  /* timestamps */
  { REQ, "received_at", "1772442900", "request.received_at: expected a string" },
  { REQ, "received_at", "\"2026-03-02T09:15:00\"",
    "request.received_at: expected a time in ISO 8601 with a time zone" },
  { REQ, "received_at", "\"2026-03-02 09:15:00Z\"",
    "request.received_at: expected a time in ISO 8601 with a time zone" },
  { REQ, "received_at", "\"2026-03-02\"",
    "request.received_at: expected a time in ISO 8601 with a time zone" },
  { REQ, "received_at", "\"2026-03-02T25:00:00Z\"",
    "request.received_at: expected a time in ISO 8601 with a time zone" },
  { REQ, "received_at", "\"2026-02-30T10:00:00Z\"",
    "request.received_at: expected a time in ISO 8601 with a time zone" },
  { REQ, "received_at", "\"2026-W10-1T10:00:00Z\"",
    "request.received_at: expected a time in ISO 8601 with a time zone" },
  { REQ, "received_at", "\"20260302T091500Z\"",
    "request.received_at: expected a time in ISO 8601 with a time zone" },
  { REQ, "received_at", "\"2026-03-02T09:15:00+0100\"",
    "request.received_at: expected a time in ISO 8601 with a time zone" },
  { REQ, "received_at", "\"2026-03-02T09:15:00.Z\"",
    "request.received_at: expected a time in ISO 8601 with a time zone" },
  { REQ, "received_at", "\"2026-03-02T09:15:00z\"",
    "request.received_at: expected a time in ISO 8601 with a time zone" },
  { REQ, "received_at", "\"2026-03-02T09:15:00Z \"",
    "request.received_at: expected a time in ISO 8601 with a time zone" },
  { REQ, "received_at", "\"yesterday\"",
    "request.received_at: expected a time in ISO 8601 with a time zone" },
  { REQ, "updated_at", "\"\"",
    "request.updated_at: expected a time in ISO 8601 with a time zone" },
  /* dates */
  { REQ, "paused_since", "\"2026-13-01\"", "request.paused_since: expected a date (YYYY-MM-DD)" },
  { REQ, "paused_since", "\"2026-02-29\"", "request.paused_since: expected a date (YYYY-MM-DD)" },
  { REQ, "paused_since", "\"2026-02-30\"", "request.paused_since: expected a date (YYYY-MM-DD)" },
  { REQ, "paused_since", "\"2026-04-31\"", "request.paused_since: expected a date (YYYY-MM-DD)" },
  { REQ, "paused_since", "\"2026-00-10\"", "request.paused_since: expected a date (YYYY-MM-DD)" },
  { REQ, "paused_since", "\"2026-01-00\"", "request.paused_since: expected a date (YYYY-MM-DD)" },
  { REQ, "paused_since", "\"0000-01-01\"", "request.paused_since: expected a date (YYYY-MM-DD)" },
  { REQ, "paused_since", "\"2026-1-01\"", "request.paused_since: expected a date (YYYY-MM-DD)" },
  { REQ, "paused_since", "\"26-01-01\"", "request.paused_since: expected a date (YYYY-MM-DD)" },
  { REQ, "paused_since", "\"2026/01/01\"", "request.paused_since: expected a date (YYYY-MM-DD)" },
  { REQ, "paused_since", "\"2026-01-01T00:00:00Z\"",
    "request.paused_since: expected a date (YYYY-MM-DD)" },
  { REQ, "paused_since", "\"+2026-01-01\"", "request.paused_since: expected a date (YYYY-MM-DD)" },
  { REQ, "paused_since", "\"\"", "request.paused_since: expected a date (YYYY-MM-DD)" },
  { REQ, "paused_since", "20260101", "request.paused_since: expected a string" },
  { PAY, "paid_on", "\"2025-02-29\"", "payment.paid_on: expected a date (YYYY-MM-DD)" },
  /* integers */
  { REQ, "term_days", "\"12\"", "request.term_days: expected an integer" },
  { REQ, "term_days", "12.5", "request.term_days: expected an integer" },
  { REQ, "term_days", "12.0", "request.term_days: expected an integer" },
  { REQ, "term_days", "1e1", "request.term_days: expected an integer" },
  { REQ, "term_days", "true", "request.term_days: expected an integer" },
  { REQ, "version", "[1]", "request.version: expected an integer" },
  { COM, "year", "\"2026\"", "commitment.year: expected an integer" },
  { COM, "year", "2026.0", "commitment.year: expected an integer" },
  /* money */
  { COM, "amount_cents", "-1", "commitment.amount_cents: amount out of range" },
  { COM, "amount_cents", "100000000000000", "commitment.amount_cents: amount out of range" },
  { COM, "amount_cents", "9223372036854775807", "commitment.amount_cents: amount out of range" },
  { COM, "amount_cents", "-9223372036854775808", "commitment.amount_cents: amount out of range" },
  { COM, "amount_cents", "12.5", "commitment.amount_cents: expected an integer" },
  { COM, "amount_cents", "250000.0", "commitment.amount_cents: expected an integer" },
  { COM, "amount_cents", "\"2500,00\"", "commitment.amount_cents: expected an integer" },
  { COM, "amount_cents", "false", "commitment.amount_cents: expected an integer" },
  { PAY, "amount_cents", "-125000", "payment.amount_cents: amount out of range" },
  /* booleans */
  { ACT, "completed", "\"true\"", "action.completed: expected true or false" },
  { ACT, "completed", "1", "action.completed: expected true or false" },
  { ACT, "completed", "0", "action.completed: expected true or false" },
  { ACT, "completed", "[]", "action.completed: expected true or false" },
  { ACT, "due_on", "\"2026-02-29\"", "action.due_on: expected a date (YYYY-MM-DD)" },
};

#undef REQ
#undef COM
#undef ACT
#undef PAY

static void
test_decode_bad_members (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_members); i++)
    {
      const BadMember *c = &bad_members[i];
      g_autofree char *text = build_doc (c->info, c->member, c->raw);
      g_autoptr(GError) error = decode_must_fail (c->info, text, -1);

      g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID);
      if (g_strcmp0 (error->message, c->message) != 0)
        g_error ("case %u: %s: got “%s”, expected “%s”",
                 i, text, error->message, c->message);
    }

  g_assert_cmpuint (G_N_ELEMENTS (bad_members), >=, 50);
}

static void
test_decode_not_object (void)
{
  static const char * const texts[] = { "[]", "[{}]", "\"request\"", "null", "42", "true" };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GError) error = decode_must_fail (&buurten_request_info, texts[i], -1);

      g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID);
      g_assert_cmpstr (error->message, ==, "request: expected an object");
    }

  /* A NULL node is the same refusal, not a critical. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (buurten_entity_from_json (&buurten_note_info, NULL, &error));
    g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID);
    g_assert_cmpstr (error->message, ==, "note: expected an object");
  }
}

static void
test_decode_long_strings (void)
{
  static const struct { const char *member; guint max; } cases[] = {
    { "title", 200 }, { "description", 20000 }, { "category", 64 }, { "wijk", 64 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *at_max = repeat ("a", cases[i].max);
      g_autofree char *over = repeat ("a", cases[i].max + 1);
      g_autofree char *raw_ok = g_strdup_printf ("\"%s\"", at_max);
      g_autofree char *raw_bad = g_strdup_printf ("\"%s\"", over);
      g_autofree char *doc_ok = build_doc (&buurten_request_info, cases[i].member, raw_ok);
      g_autofree char *doc_bad = build_doc (&buurten_request_info, cases[i].member, raw_bad);
      g_autofree char *expect = g_strdup_printf ("request.%s: longer than %u bytes",
                                                 cases[i].member, cases[i].max);
      g_autoptr(BuurtenRequest) request = decode_ok (&buurten_request_info, doc_ok);
      g_autoptr(GError) error = decode_must_fail (&buurten_request_info, doc_bad, -1);

      g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID);
      g_assert_cmpstr (error->message, ==, expect);
    }

  /* Bytes, not characters: 100 × "é" is 200 bytes, 101 is too many. */
  {
    g_autofree char *e100 = repeat ("é", 100);
    g_autofree char *e101 = repeat ("é", 101);
    g_autofree char *raw_ok = g_strdup_printf ("\"%s\"", e100);
    g_autofree char *raw_bad = g_strdup_printf ("\"%s\"", e101);
    g_autofree char *doc_ok = build_doc (&buurten_request_info, "title", raw_ok);
    g_autofree char *doc_bad = build_doc (&buurten_request_info, "title", raw_bad);
    g_autoptr(BuurtenRequest) request = decode_ok (&buurten_request_info, doc_ok);
    g_autoptr(GError) error = decode_must_fail (&buurten_request_info, doc_bad, -1);

    g_assert_cmpstr (error->message, ==, "request.title: longer than 200 bytes");
  }

  /* A huge unknown enum value is shortened in the message. */
  {
    g_autofree char *big = repeat ("x", 100000);
    g_autofree char *raw = g_strdup_printf ("\"%s\"", big);
    g_autofree char *doc = build_doc (&buurten_request_info, "type", raw);
    g_autoptr(GError) error = decode_must_fail (&buurten_request_info, doc, -1);
    g_autofree char *x40 = repeat ("x", 40);
    g_autofree char *expect = g_strdup_printf ("request.type: unknown value “%s…”", x40);

    g_assert_cmpstr (error->message, ==, expect);
  }
}

/* ---- decoding entities: what is accepted ------------------------------------ */

static void
test_decode_accepted (void)
{
  g_autofree char *doc = NULL;
  g_autoptr(BuurtenRequest) request = NULL;
  g_autoptr(BuurtenCommitment) commitment = NULL;
  g_autoptr(BuurtenPayment) payment = NULL;
  g_autoptr(BuurtenAction) action = NULL;

  /* Uppercase UUIDs are accepted and stored lowercase; unknown members
   * are ignored; null for an optional member is its default. */
  request = decode_ok (&buurten_request_info,
                       "{\"id\":\"6F1C2D3E-4A5B-4C6D-8E9F-0A1B2C3D4E5F\",\"wijk\":\"centrum\","
                       "\"type\":\"idee\",\"title\":\"Bankje\",\"state\":\"heropend\","
                       "\"received_at\":\"2026-03-02T10:15:00.999+01:00\","
                       "\"description\":null,\"future_member\":[1,{\"x\":2}],"
                       "\"paused_since\":\"2024-02-29\",\"term_days\":-3}");
  g_assert_cmpstr (request->id, ==, UUID_A);
  g_assert_cmpint (request->type, ==, BUURTEN_REQUEST_TYPE_IDEE);
  g_assert_cmpint (request->state, ==, BUURTEN_REQUEST_REOPENED);
  g_assert_cmpint (request->received_at, ==, 1772442900);
  g_assert_null (request->description);
  g_assert_null (request->reporter_name);
  g_assert_cmpint (request->term_days, ==, -3);
  g_assert_true (g_date_valid (&request->paused_since));
  g_assert_cmpuint (g_date_get_day (&request->paused_since), ==, 29);
  g_assert_cmpint (request->updated_at, ==, 0);

  /* Money at both ends of its range. */
  doc = build_doc (&buurten_commitment_info, "amount_cents", "99999999999999");
  commitment = decode_ok (&buurten_commitment_info, doc);
  g_assert_cmpint (commitment->amount_cents, ==, BUURTEN_MONEY_MAX_CENTS);
  g_clear_pointer (&commitment, buurten_commitment_free);
  g_clear_pointer (&doc, g_free);
  doc = build_doc (&buurten_commitment_info, "amount_cents", "0");
  commitment = decode_ok (&buurten_commitment_info, doc);
  g_assert_cmpint (commitment->amount_cents, ==, 0);
  g_assert_cmpint (commitment->funding, ==, BUURTEN_FUNDING_WIJKBUDGET);
  g_assert_cmpint (commitment->year, ==, 2026);
  g_clear_pointer (&doc, g_free);

  payment = decode_ok (&buurten_payment_info, "{\"id\":\"" UUID_A "\",\"commitment_id\":\""
                       UUID_B "\",\"amount_cents\":200000,\"paid_on\":\"2028-02-29\"}");
  g_assert_cmpint (payment->amount_cents, ==, 200000);
  g_assert_cmpuint (g_date_get_year (&payment->paid_on), ==, 2028);

  doc = build_doc (&buurten_action_info, "completed", "true");
  action = decode_ok (&buurten_action_info, doc);
  g_assert_true (action->completed);
  g_assert_false (g_date_valid (&action->due_on));
}

/* Every control character a string may hold (escaped on the way in)
 * comes out escaped, so what Buurten writes its own parser and
 * PostgreSQL read back. json-glib 1.6 writes U+001F raw. */
static void
test_write_control_characters (void)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GString) input = g_string_new ("{\"c\":\"");

  for (guint c = 1; c < 0x20; c++)
    g_string_append_printf (input, "\\u%04x", c);
  g_string_append (input, "\u00e9\"}");

  node = buurten_json_parse (input->str, -1, 8, &error);
  g_assert_no_error (error);
  text = buurten_json_to_string (node);
  for (const char *p = text; *p != '\0'; p++)
    g_assert_cmpint ((guchar) *p, >=, 0x20);
  g_assert_nonnull (strstr (text, "\\u001f"));

  again = buurten_json_parse (text, -1, 8, &error);
  g_assert_no_error (error);
  g_assert_true (json_node_equal (node, again));
}

/* Numbers are read only when they can be written back as JSON. */
static void
test_numbers_round_trip (void)
{
  static const char * const refused[] = { "-2e78", "1e21", "1e400", "0.00001", "5E-7",
                                          "123456789012345678901234567890" };
  static const char * const accepted[] = { "-0", "1.5", "2e-400", "0.0001", "123.25e2",
                                           "9223372036854775807", "-12.5" };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_null (buurten_json_parse (refused[i], -1, 4, &error));
      g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_PARSE);
    }
  for (guint i = 0; i < G_N_ELEMENTS (accepted); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = buurten_json_parse (accepted[i], -1, 4, &error);
      g_autoptr(JsonNode) again = NULL;
      g_autofree char *text = NULL;

      g_assert_no_error (error);
      text = buurten_json_to_string (node);
      again = buurten_json_parse (text, -1, 4, &error);
      g_assert_no_error (error);
    }
}

/* ---- the tree built here against json-glib's ------------------------- */

/* Both parsers on one text: both refuse it, or both give the same tree
 * (buurten_json_identical: types, bits, member order, parents). */
static void
assert_same_as_reference (const char *text,
                          gssize      length)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) reference_error = NULL;
  g_autoptr(JsonNode) ours = buurten_json_parse (text, length, 32, &error);
  g_autoptr(JsonNode) theirs = buurten_json_parse_reference (text, length, 32,
                                                             &reference_error);

  if (theirs == NULL)
    {
      g_assert_null (ours);
      g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_PARSE);
      g_assert_error (reference_error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_PARSE);
      return;
    }
  g_assert_no_error (error);
  g_assert_nonnull (ours);
  if (!buurten_json_identical (ours, theirs))
    {
      g_autofree char *a = buurten_json_to_string (ours);
      g_autofree char *b = buurten_json_to_string (theirs);

      g_test_message ("text: %.*s", (int) MIN (strlen (text), 300), text);
      g_test_message ("ours: %.300s", a);
      g_test_message ("json-glib: %.300s", b);
      g_assert_not_reached ();
    }
}

static void
test_tree_cases (void)
{
  static const char * const cases[] = {
    "0", "-0", "-0.0", "1", "-1", "1.5", "1e5", "1E5", "-1.25e+3", "2.5E-2", "0.0001",
    "123456789012345.5", "9223372036854775807", "-9223372036854775808",
    "9223372036854775808", "1e400", "true", "false", "null", "\"\"",
    "\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"", "\"\\u00e9\\u20ac\\ud83d\\ude00\"",
    "\"é€😀 and plain\"", "\"\\ud800\"", "\"\\u0000\"", "[]", "{}", "[[]]", "[{}]",
    " { \"a\" : [ 1 , 2.0 , \"x\" , true , false , null , { } , [ ] ] } ",
    "{\"\":1}", "{\"a\":1,\"a\":2}", "{\"a\":{\"b\":1,\"b\":1}}", "{\"a\":1,\"A\":2}",
    "{\"k\\u00e9y\":\"v\",\"kéy2\":[{\"x\":{\"y\":[-0.5,7]}}]}",
    "[1,2", "{\"a\"}", "{\"a\":}", "[1,]", "\xff", "01", "1.", "-", "tru", "nul",
    "[\"\\u12\"]", "{\"a\":1}x", "[1]\n", "\"a\x01\"",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_same_as_reference (cases[i], -1);

  /* Not NUL-terminated: a number, a literal and a string at the very
   * end of the buffer. */
  assert_same_as_reference ("12345", 3);
  assert_same_as_reference ("[true]", 6);
  assert_same_as_reference ("\"abc\"", 5);
  assert_same_as_reference ("nullx", 4);
}

/* The fuzzer's seeds: the entities' JSON as the server sends them. */
static void
test_tree_corpus (void)
{
  g_autofree char *dir_path = g_build_filename (g_getenv ("BUURTEN_DATA_DIR"), "..",
                                                "fuzz", "corpus", "json", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      g_autofree char *contents = NULL;
      gsize length;

      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
      assert_same_as_reference (contents, (gssize) length);
      n++;
    }
  g_assert_cmpuint (n, >, 0);
}

static void
append_random_string (GString *s,
                      GRand   *rand)
{
  static const char * const pieces[] = {
    "a", "Kerkstraat ", "lantaarnpaal", " ", "é", "ë", "€", "😀", "\\\"", "\\\\", "\\/",
    "\\n", "\\t", "\\r", "\\b", "\\f", "\\u00e9", "\\u20AC", "\\ud83d\\ude00", "0", "-",
  };
  guint n = (guint) g_rand_int_range (rand, 0, 12);

  g_string_append_c (s, '"');
  for (guint i = 0; i < n; i++)
    g_string_append (s, pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))]);
  g_string_append_c (s, '"');
}

static void
append_random_value (GString *s,
                     GRand   *rand,
                     guint    depth)
{
  switch (g_rand_int_range (rand, 0, depth < 4 ? 9 : 7))
    {
    case 0:
      append_random_string (s, rand);
      break;
    case 1:
      g_string_append_printf (s, "%" G_GINT64_FORMAT,
                              (gint64) g_rand_int (rand) * g_rand_int_range (rand, -99999, 99999));
      break;
    case 2:
      g_string_append_printf (s, "%d.%0*d", g_rand_int_range (rand, -9999, 9999),
                              g_rand_int_range (rand, 1, 9), g_rand_int_range (rand, 0, 99999));
      break;
    case 3:
      g_string_append_printf (s, "%d%s%d", g_rand_int_range (rand, 1, 99),
                              g_rand_boolean (rand) ? "e" : "E-", g_rand_int_range (rand, 0, 3));
      break;
    case 4:
      g_string_append (s, g_rand_boolean (rand) ? "true" : "false");
      break;
    case 5:
      g_string_append (s, "null");
      break;
    case 6:
      g_string_append_printf (s, "%d", g_rand_int_range (rand, -3, 2000));
      break;
    case 7:
      {
        guint n = (guint) g_rand_int_range (rand, 0, 5);

        g_string_append_c (s, '[');
        for (guint i = 0; i < n; i++)
          {
            if (i > 0)
              g_string_append (s, g_rand_boolean (rand) ? "," : " ,\n ");
            append_random_value (s, rand, depth + 1);
          }
        g_string_append_c (s, ']');
      }
      break;
    default:
      {
        guint n = (guint) g_rand_int_range (rand, 0, 6);

        g_string_append_c (s, '{');
        for (guint i = 0; i < n; i++)
          {
            if (i > 0)
              g_string_append_c (s, ',');
            /* Names may repeat now and then: both must refuse those. */
            g_string_append_printf (s, "\"m%u\":", g_rand_int_range (rand, 0, 40));
            append_random_value (s, rand, depth + 1);
          }
        g_string_append_c (s, '}');
      }
      break;
    }
}

/* A pull page as the server writes one (its members and shapes), and
 * many random documents. */
static void
test_tree_random (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261207);
  g_autoptr(GString) page = g_string_new ("{\"cursor\":\"djE6MTIz\",\"more\":true,\"changes\":[");

  for (guint i = 0; i < 500; i++)
    {
      if (i > 0)
        g_string_append_c (page, ',');
      g_string_append_printf (page,
                              "{\"wijk\":\"centrum\",\"seq\":%u,\"type\":\"request\","
                              "\"id\":\"%08x-4a5b-4c6d-8e9f-0a1b2c3d4e5f\",\"op\":\"put\","
                              "\"version\":%u,\"row\":{\"title\":",
                              88213 + i, g_rand_int (rand), 1 + i % 7);
      append_random_string (page, rand);
      g_string_append (page, ",\"description\":");
      append_random_string (page, rand);
      g_string_append_printf (page, ",\"amount_cents\":%d,\"created_at\":"
                              "\"2026-12-07T18:01:00Z\",\"closed\":%s,\"extra\":",
                              g_rand_int_range (rand, 0, 2500000),
                              g_rand_boolean (rand) ? "true" : "null");
      append_random_value (page, rand, 2);
      g_string_append (page, "}}");
    }
  g_string_append (page, "]}");
  assert_same_as_reference (page->str, (gssize) page->len);

  for (guint i = 0; i < 3000; i++)
    {
      g_autoptr(GString) doc = g_string_new (NULL);

      append_random_value (doc, rand, 0);
      assert_same_as_reference (doc->str, (gssize) doc->len);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/json/parse/malformed", test_parse_malformed);
  g_test_add_func ("/json/parse/null-data", test_parse_null_data);
  g_test_add_func ("/json/parse/error-position", test_parse_error_position);
  g_test_add_func ("/json/parse/valid", test_parse_valid);
  g_test_add_func ("/json/parse/length", test_parse_length);
  g_test_add_func ("/json/depth/boundary", test_depth_boundary);
  g_test_add_func ("/json/depth/hostile", test_depth_hostile);
  g_test_add_func ("/json/depth/in-strings", test_depth_in_strings);
  g_test_add_func ("/json/get/basic", test_getters);
  g_test_add_func ("/json/get/wrong-type", test_getters_wrong_type);
  g_test_add_func ("/json/get/criticals", test_getters_criticals);
  g_test_add_func ("/json/to-string", test_to_string);
  g_test_add_func ("/json/decode/bad-members", test_decode_bad_members);
  g_test_add_func ("/json/decode/not-object", test_decode_not_object);
  g_test_add_func ("/json/decode/long-strings", test_decode_long_strings);
  g_test_add_func ("/json/decode/accepted", test_decode_accepted);
  g_test_add_func ("/json/write/control-characters", test_write_control_characters);
  g_test_add_func ("/json/write/numbers", test_numbers_round_trip);
  g_test_add_func ("/json/tree/cases", test_tree_cases);
  g_test_add_func ("/json/tree/corpus", test_tree_corpus);
  g_test_add_func ("/json/tree/random", test_tree_random);

  return g_test_run ();
}
