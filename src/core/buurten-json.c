/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-json"

#include "config.h"

#include "buurten-json.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "buurten-error.h"

/* json-glib 1.6 is lenient in ways that matter when input comes from the
 * network: its GScanner-based lexer skips C and C++ comments, accepts
 * single-quoted strings, hexadecimal numbers and bare identifiers in
 * places, and recurses without limit. Rather than relying on what it
 * happens to accept, buurten_json_parse() first runs a strict RFC 8259
 * validator over the text. The validator is iterative (its only stack is
 * one byte per open container, bounded by max_depth), so hostile input
 * cannot exhaust the C stack, and it is linear in the input length.
 *
 * On top of RFC 8259 it refuses what would be lost or mangled when the
 * text becomes C strings and gint64s:
 *  - "\u0000" (it would silently truncate the string),
 *  - lone UTF-16 surrogates ("\ud800" alone cannot be UTF-8),
 *  - integers outside gint64 and numbers that overflow a double (1e999),
 *  - duplicate member names in one object (json-glib keeps only one of
 *    them, so two readers could disagree about what was sent). */

/* json-glib still recurses once per level on what passes the scan, so a
 * caller asking for an absurd depth is held to one that is safe on any
 * thread's stack. */
#define DEPTH_CEILING 512

typedef enum
{
  EXPECT_VALUE,          /* top level, after ':' or after ',' in an array */
  EXPECT_VALUE_OR_CLOSE, /* just after '[' */
  EXPECT_KEY_OR_CLOSE,   /* just after '{' */
  EXPECT_KEY,            /* after ',' in an object */
  EXPECT_COLON,          /* after a member name */
  EXPECT_NEXT,           /* after a value: ',', a closer, or the end */
  EXPECT_END,            /* the top-level value is complete */
} ScanState;

typedef struct
{
  const char *start;
  const char *p;
  const char *end;
  guint       max_depth;
  GByteArray *stack;      /* '[' or '{' per open container */
  guint64     n_members;  /* member names seen, in all objects */
} Scanner;

static gboolean
scan_fail (Scanner     *s,
           const char  *at,
           const char  *reason,
           GError     **error)
{
  guint line = 1;
  guint column = 1;

  for (const char *q = s->start; q < at && q < s->end; q++)
    {
      if (*q == '\n')
        {
          line++;
          column = 1;
        }
      else if (((guchar) *q & 0xC0) != 0x80)
        {
          /* Count characters, not UTF-8 continuation bytes. */
          column++;
        }
    }

  g_set_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_PARSE,
               _("Malformed JSON at line %u, column %u: %s"), line, column, reason);
  return FALSE;
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Reads the four hex digits of a \u escape at p (just after the 'u'). */
static gboolean
read_hex4 (Scanner    *s,
           const char *p,
           guint      *out)
{
  guint v = 0;

  if (s->end - p < 4)
    return FALSE;

  for (guint i = 0; i < 4; i++)
    {
      int h = hex_value (p[i]);

      if (h < 0)
        return FALSE;
      v = (v << 4) | (guint) h;
    }

  *out = v;
  return TRUE;
}

/* s->p is on the opening quote; leaves s->p just after the closing one. */
static gboolean
scan_string (Scanner  *s,
             GError  **error)
{
  const char *p = s->p + 1;

  while (p < s->end)
    {
      guchar c = (guchar) *p;

      if (c == '"')
        {
          s->p = p + 1;
          return TRUE;
        }

      if (c < 0x20)
        return scan_fail (s, p, _("control character in string"), error);

      if (c != '\\')
        {
          p++;
          continue;
        }

      /* An escape sequence. */
      if (p + 1 >= s->end)
        break;

      switch (p[1])
        {
        case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
          p += 2;
          break;

        case 'u':
          {
            guint cp;

            if (!read_hex4 (s, p + 2, &cp))
              return scan_fail (s, p, _("invalid \\u escape"), error);

            if (cp == 0)
              return scan_fail (s, p, _("\\u0000 is not allowed"), error);

            if (cp >= 0xDC00 && cp <= 0xDFFF)
              return scan_fail (s, p, _("unpaired surrogate in \\u escape"), error);

            if (cp >= 0xD800 && cp <= 0xDBFF)
              {
                guint low;

                if (s->end - (p + 6) < 2 || p[6] != '\\' || p[7] != 'u' ||
                    !read_hex4 (s, p + 8, &low) || low < 0xDC00 || low > 0xDFFF)
                  return scan_fail (s, p, _("unpaired surrogate in \\u escape"), error);
                p += 12;
              }
            else
              {
                p += 6;
              }
          }
          break;

        default:
          return scan_fail (s, p, _("invalid escape in string"), error);
        }
    }

  return scan_fail (s, s->end, _("unterminated string"), error);
}

static gboolean
is_digit (const char *p,
          const char *end)
{
  return p < end && *p >= '0' && *p <= '9';
}

/* RFC 8259 number grammar, then a range check. */
static gboolean
scan_number (Scanner  *s,
             GError  **error)
{
  const char *begin = s->p;
  const char *p = s->p;
  gboolean is_integer = TRUE;
  g_autofree char *copy = NULL;

  if (p < s->end && *p == '-')
    p++;

  if (!is_digit (p, s->end))
    return scan_fail (s, begin, _("invalid number"), error);

  if (*p == '0')
    {
      p++;
      if (is_digit (p, s->end))
        return scan_fail (s, begin, _("invalid number"), error);
    }
  else
    {
      while (is_digit (p, s->end))
        p++;
    }

  if (p < s->end && *p == '.')
    {
      is_integer = FALSE;
      p++;
      if (!is_digit (p, s->end))
        return scan_fail (s, begin, _("invalid number"), error);
      while (is_digit (p, s->end))
        p++;
    }

  if (p < s->end && (*p == 'e' || *p == 'E'))
    {
      is_integer = FALSE;
      p++;
      if (p < s->end && (*p == '+' || *p == '-'))
        p++;
      if (!is_digit (p, s->end))
        return scan_fail (s, begin, _("invalid number"), error);
      while (is_digit (p, s->end))
        p++;
    }

  /* The input need not be NUL-terminated, so convert a copy. */
  copy = g_strndup (begin, (gsize) (p - begin));
  errno = 0;
  if (is_integer)
    {
      g_ascii_strtoll (copy, NULL, 10);
      if (errno == ERANGE)
        return scan_fail (s, begin, _("number out of range"), error);
    }
  else
    {
      double d = g_ascii_strtod (copy, NULL);

      if (!isfinite (d))
        return scan_fail (s, begin, _("number out of range"), error);
      /* json-glib 1.6 writes a double it prints in exponent notation
       * with ".0" appended ("-2e+78.0"), which is not JSON: what Buurten
       * reads it must be able to write, so such magnitudes are refused
       * (Buurten's own numbers are cents and counts, integers). Found by
       * fuzz/fuzz-json.c. */
      if (fabs (d) >= 1e16 || (d != 0.0 && fabs (d) < 1e-4))
        return scan_fail (s, begin, _("number out of range"), error);
    }

  s->p = p;
  return TRUE;
}

static gboolean
scan_literal (Scanner  *s,
              GError  **error)
{
  static const char * const literals[] = { "true", "false", "null" };

  for (guint i = 0; i < G_N_ELEMENTS (literals); i++)
    {
      gsize len = strlen (literals[i]);

      if ((gsize) (s->end - s->p) >= len && memcmp (s->p, literals[i], len) == 0)
        {
          s->p += len;
          return TRUE;
        }
    }

  return scan_fail (s, s->p, _("unexpected character"), error);
}

static gboolean
scan_open (Scanner  *s,
           char      c,
           GError  **error)
{
  if (s->stack->len >= s->max_depth)
    {
      g_set_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_PARSE,
                   _("JSON nested deeper than %u levels"), s->max_depth);
      return FALSE;
    }

  g_byte_array_append (s->stack, (const guint8 *) &c, 1);
  s->p++;
  return TRUE;
}

static void
scan_close (Scanner *s)
{
  g_byte_array_set_size (s->stack, s->stack->len - 1);
  s->p++;
}

static gboolean
scan_value (Scanner    *s,
            ScanState  *state,
            GError    **error)
{
  char c = *s->p;

  switch (c)
    {
    case '{':
      *state = EXPECT_KEY_OR_CLOSE;
      return scan_open (s, c, error);

    case '[':
      *state = EXPECT_VALUE_OR_CLOSE;
      return scan_open (s, c, error);

    case '"':
      *state = EXPECT_NEXT;
      return scan_string (s, error);

    case '-': case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
      *state = EXPECT_NEXT;
      return scan_number (s, error);

    default:
      *state = EXPECT_NEXT;
      return scan_literal (s, error);
    }
}

static gboolean
scan_key (Scanner    *s,
          ScanState  *state,
          GError    **error)
{
  if (*s->p != '"')
    return scan_fail (s, s->p, _("expected a member name"), error);

  s->n_members++;

  *state = EXPECT_COLON;
  return scan_string (s, error);
}

static gboolean
scan_document (Scanner  *s,
               GError  **error)
{
  ScanState state = EXPECT_VALUE;

  for (;;)
    {
      char c;

      while (s->p < s->end &&
             (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
        s->p++;

      if (s->p >= s->end)
        {
          if (state == EXPECT_END || (state == EXPECT_NEXT && s->stack->len == 0))
            return TRUE;
          return scan_fail (s, s->end, _("unexpected end of input"), error);
        }

      c = *s->p;

      switch (state)
        {
        case EXPECT_VALUE:
          if (!scan_value (s, &state, error))
            return FALSE;
          break;

        case EXPECT_VALUE_OR_CLOSE:
          if (c == ']')
            {
              scan_close (s);
              state = EXPECT_NEXT;
            }
          else if (!scan_value (s, &state, error))
            {
              return FALSE;
            }
          break;

        case EXPECT_KEY_OR_CLOSE:
          if (c == '}')
            {
              scan_close (s);
              state = EXPECT_NEXT;
            }
          else if (!scan_key (s, &state, error))
            {
              return FALSE;
            }
          break;

        case EXPECT_KEY:
          if (!scan_key (s, &state, error))
            return FALSE;
          break;

        case EXPECT_COLON:
          if (c != ':')
            return scan_fail (s, s->p, _("expected “:”"), error);
          s->p++;
          state = EXPECT_VALUE;
          break;

        case EXPECT_NEXT:
          {
            char open;

            if (s->stack->len == 0)
              {
                state = EXPECT_END;
                continue;
              }

            open = (char) s->stack->data[s->stack->len - 1];
            if (c == ',')
              {
                s->p++;
                state = open == '{' ? EXPECT_KEY : EXPECT_VALUE;
              }
            else if ((open == '[' && c == ']') || (open == '{' && c == '}'))
              {
                scan_close (s);
                state = EXPECT_NEXT;
              }
            else
              {
                return scan_fail (s, s->p, open == '{' ? _("expected “,” or “}”")
                                                       : _("expected “,” or “]”"),
                                  error);
              }
          }
          break;

        case EXPECT_END:
        default:
          return scan_fail (s, s->p, _("unexpected text after the value"), error);
        }
    }
}

/* The members json-glib kept, in all objects. json-glib keeps the last
 * of two members with one name; so fewer here than the scan counted means
 * a duplicate name somewhere. Recursion is bounded by max_depth, which
 * the scan enforced. Unordered iteration: no member is looked up. */
static guint64
count_members (JsonNode *node)
{
  guint64 n = 0;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      n = json_object_get_size (object);
      json_object_iter_init (&iter, object);
      while (json_object_iter_next (&iter, &name, &member))
        if (JSON_NODE_TYPE (member) == JSON_NODE_OBJECT ||
            JSON_NODE_TYPE (member) == JSON_NODE_ARRAY)
          n += count_members (member);
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      guint length = json_array_get_length (array);

      for (guint i = 0; i < length; i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (JSON_NODE_TYPE (element) == JSON_NODE_OBJECT ||
              JSON_NODE_TYPE (element) == JSON_NODE_ARRAY)
            n += count_members (element);
        }
    }

  return n;
}

/* g_utf8_validate_len() over the non-ASCII runs only. A byte below 0x80
 * is never part of a multi-byte character, so the text is valid exactly
 * when every maximal run of bytes from 0x80 up is: the same answer, but
 * the ASCII that JSON mostly is goes eight bytes a step instead of one
 * (GLib 2.74 validates byte by byte: about 8 % of parsing a pull page). */
static gboolean
utf8_valid (const char *data,
            gsize       len)
{
  const guchar *p = (const guchar *) data;
  const guchar *end = p + len;

  while (p < end)
    {
      const guchar *run;

      while (end - p >= 8)
        {
          guint64 word;

          memcpy (&word, p, sizeof word);
          if (word & G_GUINT64_CONSTANT (0x8080808080808080))
            break;
          p += 8;
        }
      while (p < end && *p < 0x80)
        p++;
      run = p;
      while (p < end && *p >= 0x80)
        p++;
      if (p > run && !g_utf8_validate_len ((const char *) run, (gsize) (p - run), NULL))
        return FALSE;
    }
  return TRUE;
}

JsonNode *
buurten_json_parse (const char  *data,
                    gssize       length,
                    guint        max_depth,
                    GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GByteArray) stack = NULL;
  g_autoptr(GError) local_error = NULL;
  Scanner s;
  gsize len;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (data == NULL)
    {
      g_set_error_literal (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_PARSE,
                           _("Malformed JSON: no data"));
      return NULL;
    }

  len = length < 0 ? strlen (data) : (gsize) length;
  if (len == 0)
    {
      g_set_error_literal (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_PARSE,
                           _("Malformed JSON: no data"));
      return NULL;
    }

  /* json-glib takes a gssize; anything this large is refused long before
   * by the callers' size caps anyway. */
  if (len > G_MAXINT32)
    {
      g_set_error_literal (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_PARSE,
                           _("Malformed JSON: too large"));
      return NULL;
    }

  if (memchr (data, '\0', len) != NULL)
    {
      g_set_error_literal (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_PARSE,
                           _("Malformed JSON: contains a NUL byte"));
      return NULL;
    }

  if (!utf8_valid (data, len))
    {
      g_set_error_literal (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_PARSE,
                           _("Malformed JSON: not valid UTF-8"));
      return NULL;
    }

  max_depth = MIN (max_depth, DEPTH_CEILING);

  stack = g_byte_array_new ();
  s = (Scanner) {
    .start = data,
    .p = data,
    .end = data + len,
    .max_depth = max_depth,
    .stack = stack,
  };

  /* A byte-order mark is refused like any other stray character: RFC
   * 8259 §8.1 lets a parser ignore it, but nothing of ours sends one. */
  if (!scan_document (&s, error))
    return NULL;

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, (gssize) len, &local_error))
    {
      g_set_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_PARSE,
                   _("Malformed JSON: %s"), local_error->message);
      return NULL;
    }

  root = json_parser_steal_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_PARSE,
                           _("Malformed JSON: no data"));
      return NULL;
    }

  if (count_members (root) != s.n_members)
    {
      g_set_error_literal (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_PARSE,
                           _("Malformed JSON: duplicate member name"));
      return NULL;
    }

  return g_steal_pointer (&root);
}

/* ---- typed member access ------------------------------------------- */

static void
set_member_error (GError     **error,
                  const char  *where,
                  const char  *member,
                  const char  *what)
{
  if (where != NULL && *where != '\0')
    g_set_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID,
                 "%s.%s: %s", where, member, what);
  else
    g_set_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID,
                 "%s: %s", member, what);
}

/* Returns the member's node, or NULL when it is absent or JSON null; in
 * that case *ok says whether that is acceptable. */
static JsonNode *
lookup_member (JsonObject  *object,
               const char  *where,
               const char  *member,
               gboolean     required,
               gboolean    *ok,
               GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *ok = TRUE;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        {
          set_member_error (error, where, member, _("missing"));
          *ok = FALSE;
        }
      return NULL;
    }

  return node;
}

static gboolean
node_holds_value_of_type (JsonNode *node,
                          GType     type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

gboolean
buurten_json_get_string (JsonObject  *object,
                         const char  *where,
                         const char  *member,
                         gboolean     required,
                         const char **out,
                         GError     **error)
{
  JsonNode *node;
  gboolean ok;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (member != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  node = lookup_member (object, where, member, required, &ok, error);
  if (node == NULL)
    {
      if (ok)
        *out = NULL;
      return ok;
    }

  if (!node_holds_value_of_type (node, G_TYPE_STRING))
    {
      set_member_error (error, where, member, _("expected a string"));
      return FALSE;
    }

  *out = json_node_get_string (node);
  return TRUE;
}

gboolean
buurten_json_get_int (JsonObject  *object,
                      const char  *where,
                      const char  *member,
                      gboolean     required,
                      gint64      *out,
                      GError     **error)
{
  JsonNode *node;
  gboolean ok;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (member != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  node = lookup_member (object, where, member, required, &ok, error);
  if (node == NULL)
    {
      if (ok)
        *out = 0;
      return ok;
    }

  /* Only integer literals: 12.0, "12" and true are all refused, so that
   * an amount in cents can never arrive rounded or as text. */
  if (!node_holds_value_of_type (node, G_TYPE_INT64))
    {
      set_member_error (error, where, member, _("expected an integer"));
      return FALSE;
    }

  *out = json_node_get_int (node);
  return TRUE;
}

gboolean
buurten_json_get_bool (JsonObject  *object,
                       const char  *where,
                       const char  *member,
                       gboolean     required,
                       gboolean    *out,
                       GError     **error)
{
  JsonNode *node;
  gboolean ok;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (member != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  node = lookup_member (object, where, member, required, &ok, error);
  if (node == NULL)
    {
      if (ok)
        *out = FALSE;
      return ok;
    }

  if (!node_holds_value_of_type (node, G_TYPE_BOOLEAN))
    {
      set_member_error (error, where, member, _("expected true or false"));
      return FALSE;
    }

  *out = json_node_get_boolean (node);
  return TRUE;
}

gboolean
buurten_json_get_object (JsonObject  *object,
                         const char  *where,
                         const char  *member,
                         gboolean     required,
                         JsonObject **out,
                         GError     **error)
{
  JsonNode *node;
  gboolean ok;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (member != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  node = lookup_member (object, where, member, required, &ok, error);
  if (node == NULL)
    {
      if (ok)
        *out = NULL;
      return ok;
    }

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      set_member_error (error, where, member, _("expected an object"));
      return FALSE;
    }

  *out = json_node_get_object (node);
  return TRUE;
}

gboolean
buurten_json_get_array (JsonObject  *object,
                        const char  *where,
                        const char  *member,
                        gboolean     required,
                        JsonArray  **out,
                        GError     **error)
{
  JsonNode *node;
  gboolean ok;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (member != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  node = lookup_member (object, where, member, required, &ok, error);
  if (node == NULL)
    {
      if (ok)
        *out = NULL;
      return ok;
    }

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      set_member_error (error, where, member, _("expected an array"));
      return FALSE;
    }

  *out = json_node_get_array (node);
  return TRUE;
}

char *
buurten_json_to_string (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = NULL;
  gsize length = 0;
  char *text;

  g_return_val_if_fail (node != NULL, NULL);

  generator = json_generator_new ();
  json_generator_set_pretty (generator, FALSE);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, &length);

  /* json-glib 1.6 writes U+001F (and nothing else below U+0020) raw
   * inside strings, which no strict parser accepts: PostgreSQL refuses the
   * text and so does buurten_json_parse(). Outside strings the compact
   * generator writes no control character, so every one is escaped here.
   * Found by fuzz/fuzz-json.c. */
  for (gsize i = 0; i < length; i++)
    if ((guchar) text[i] < 0x20)
      {
        GString *escaped = g_string_sized_new (length + 16);

        for (gsize j = 0; j < length; j++)
          {
            if ((guchar) text[j] < 0x20)
              g_string_append_printf (escaped, "\\u%04x", (guint) (guchar) text[j]);
            else
              g_string_append_c (escaped, text[j]);
          }
        g_free (text);
        return g_string_free (escaped, FALSE);
      }

  return text;
}
