/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-json"

#include "config.h"

#include "buurten-json.h"
#include "buurten-json-private.h"

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

/* The tree is built without recursion, but json-glib recurses once per
 * level when it frees, copies or writes one, so a caller asking for an
 * absurd depth is held to one that is safe on any thread's stack. */
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

/* ---- building the tree ---------------------------------------------- */

/* The tree is built here, in one pass over text that scan_document()
 * has accepted, instead of by json-glib's JsonParser: its GScanner-based
 * lexer handles a character at a time through a general tokenizer and
 * was the largest cost of a first sync (36 % of the client's
 * instructions, callgrind). The tree is the one json-glib would build
 * from the same text: the same node types (an integer is a gint64, a
 * number with a fraction or an exponent a double, as json-glib's scanner
 * decides), the same strings, members in the same order, every node's
 * parent set. tests/test-json.c and fuzz/fuzz-json.c compare the two
 * (buurten_json_parse_reference()).
 *
 * Because the text is already known to be valid, the builder only
 * dispatches on the first byte of each token; it still never reads past
 * the end. It is iterative (the open containers are an array, at most
 * max_depth long), so no input recurses here. */

typedef struct
{
  const char *p;
  const char *end;
  GString    *text;   /* the decoded bytes of the current string or number */
} Builder;

static guint
builder_hex4 (const char *p)
{
  guint v = 0;

  for (guint i = 0; i < 4; i++)
    v = (v << 4) | (guint) hex_value (p[i]);
  return v;
}

/* b->p is on the opening quote; decodes into out and leaves b->p just
 * after the closing quote. The scan has checked every escape and
 * surrogate pair. */
static void
builder_string (Builder *b,
                GString *out)
{
  const char *p = b->p + 1;

  g_string_truncate (out, 0);
  for (;;)
    {
      const char *run = p;

      while (p < b->end && *p != '"' && *p != '\\')
        p++;
      g_string_append_len (out, run, p - run);
      if (p >= b->end || *p == '"')
        break;

      /* An escape: p[1] exists, the scan saw it. */
      switch (p[1])
        {
        case 'b': g_string_append_c (out, '\b'); p += 2; break;
        case 'f': g_string_append_c (out, '\f'); p += 2; break;
        case 'n': g_string_append_c (out, '\n'); p += 2; break;
        case 'r': g_string_append_c (out, '\r'); p += 2; break;
        case 't': g_string_append_c (out, '\t'); p += 2; break;
        case 'u':
          {
            gunichar cp = builder_hex4 (p + 2);

            p += 6;
            if (cp >= 0xD800 && cp <= 0xDBFF)
              {
                gunichar low = builder_hex4 (p + 2);

                cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                p += 6;
              }
            g_string_append_unichar (out, cp);
          }
          break;
        default: /* '"', '\\' and '/' stand for themselves */
          g_string_append_c (out, p[1]);
          p += 2;
          break;
        }
    }
  b->p = p + 1;
}

/* b->p is on the number's first byte ('-' or a digit). */
static JsonNode *
builder_number (Builder *b)
{
  const char *begin = b->p;
  const char *p = b->p;
  gboolean is_integer = TRUE;

  while (p < b->end)
    {
      char c = *p;

      if (c == '.' || c == 'e' || c == 'E')
        is_integer = FALSE;
      else if (!(c == '-' || c == '+' || (c >= '0' && c <= '9')))
        break;
      p++;
    }
  b->p = p;

  /* The input need not be NUL-terminated. */
  g_string_truncate (b->text, 0);
  g_string_append_len (b->text, begin, p - begin);
  if (is_integer)
    return json_node_init_int (json_node_alloc (), g_ascii_strtoll (b->text->str, NULL, 10));
  return json_node_init_double (json_node_alloc (), g_ascii_strtod (b->text->str, NULL));
}

/* The tree, or NULL when an object names a member twice (json-glib
 * would keep only the last: two readers could disagree about what was
 * sent). */
static JsonNode *
build_tree (const char *data,
            gsize       len)
{
  g_autoptr(GPtrArray) open = g_ptr_array_new ();   /* borrowed JsonNode * */
  g_autoptr(GString) text = g_string_sized_new (256);
  g_autoptr(GString) key = g_string_sized_new (32);
  g_autoptr(JsonNode) root = NULL;
  gboolean have_key = FALSE;
  Builder b = { .p = data, .end = data + len, .text = text };

  while (b.p < b.end)
    {
      JsonNode *parent = open->len > 0 ? open->pdata[open->len - 1] : NULL;
      JsonNode *node;
      gboolean is_container = FALSE;

      switch (*b.p)
        {
        case ' ': case '\t': case '\n': case '\r': case ',': case ':':
          b.p++;
          continue;

        case '}': case ']':
          g_ptr_array_set_size (open, open->len - 1);
          b.p++;
          continue;

        case '{':
          node = json_node_init_object (json_node_alloc (), NULL);
          json_node_take_object (node, json_object_new ());
          is_container = TRUE;
          b.p++;
          break;

        case '[':
          node = json_node_init_array (json_node_alloc (), NULL);
          json_node_take_array (node, json_array_new ());
          is_container = TRUE;
          b.p++;
          break;

        case '"':
          if (parent != NULL && !have_key && JSON_NODE_HOLDS_OBJECT (parent))
            {
              /* A member's name. */
              builder_string (&b, key);
              have_key = TRUE;
              continue;
            }
          builder_string (&b, text);
          node = json_node_init_string (json_node_alloc (), text->str);
          break;

        case 't':
          node = json_node_init_boolean (json_node_alloc (), TRUE);
          b.p += MIN ((gsize) (b.end - b.p), strlen ("true"));
          break;

        case 'f':
          node = json_node_init_boolean (json_node_alloc (), FALSE);
          b.p += MIN ((gsize) (b.end - b.p), strlen ("false"));
          break;

        case 'n':
          node = json_node_init_null (json_node_alloc ());
          b.p += MIN ((gsize) (b.end - b.p), strlen ("null"));
          break;

        default:
          node = builder_number (&b);
          break;
        }

      if (parent == NULL)
        {
          /* The scan allows one top-level value only. */
          g_assert (root == NULL);
          root = node;
        }
      else if (JSON_NODE_HOLDS_ARRAY (parent))
        {
          json_node_set_parent (node, parent);
          json_array_add_element (json_node_get_array (parent), node);
        }
      else
        {
          JsonObject *object = json_node_get_object (parent);
          guint size = json_object_get_size (object);

          json_node_set_parent (node, parent);
          json_object_set_member (object, key->str, node);
          have_key = FALSE;
          if (json_object_get_size (object) == size)
            return NULL;
        }

      if (is_container)
        g_ptr_array_add (open, node);
    }

  return g_steal_pointer (&root);
}

/* Everything before the tree is built: size, NUL bytes, UTF-8 and the
 * strict scan. The number of member names the scan saw goes to
 * n_members. */
static gboolean
check_text (const char  *data,
            gssize       length,
            guint        max_depth,
            gsize       *len_out,
            guint64     *n_members,
            GError     **error)
{
  g_autoptr(GByteArray) stack = NULL;
  Scanner s;
  gsize len;

  if (data == NULL)
    {
      g_set_error_literal (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_PARSE,
                           _("Malformed JSON: no data"));
      return FALSE;
    }

  len = length < 0 ? strlen (data) : (gsize) length;
  if (len == 0)
    {
      g_set_error_literal (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_PARSE,
                           _("Malformed JSON: no data"));
      return FALSE;
    }

  /* json-glib takes a gssize; anything this large is refused long before
   * by the callers' size caps anyway. */
  if (len > G_MAXINT32)
    {
      g_set_error_literal (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_PARSE,
                           _("Malformed JSON: too large"));
      return FALSE;
    }

  if (memchr (data, '\0', len) != NULL)
    {
      g_set_error_literal (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_PARSE,
                           _("Malformed JSON: contains a NUL byte"));
      return FALSE;
    }

  if (!utf8_valid (data, len))
    {
      g_set_error_literal (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_PARSE,
                           _("Malformed JSON: not valid UTF-8"));
      return FALSE;
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
    return FALSE;

  *len_out = len;
  *n_members = s.n_members;
  return TRUE;
}

JsonNode *
buurten_json_parse (const char  *data,
                    gssize       length,
                    guint        max_depth,
                    GError     **error)
{
  JsonNode *root;
  guint64 n_members;
  gsize len;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_text (data, length, max_depth, &len, &n_members, error))
    return NULL;

  root = build_tree (data, len);
  if (root == NULL)
    {
      g_set_error_literal (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_PARSE,
                           _("Malformed JSON: duplicate member name"));
      return NULL;
    }

  return root;
}

JsonNode *
buurten_json_parse_reference (const char  *data,
                              gssize       length,
                              guint        max_depth,
                              GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  guint64 n_members;
  gsize len;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_text (data, length, max_depth, &len, &n_members, error))
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

  if (count_members (root) != n_members)
    {
      g_set_error_literal (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_PARSE,
                           _("Malformed JSON: duplicate member name"));
      return NULL;
    }

  return g_steal_pointer (&root);
}

static gboolean
identical (JsonNode *a,
           JsonNode *b,
           JsonNode *a_parent,
           JsonNode *b_parent)
{
  if (JSON_NODE_TYPE (a) != JSON_NODE_TYPE (b) ||
      json_node_get_parent (a) != a_parent || json_node_get_parent (b) != b_parent)
    return FALSE;

  switch (JSON_NODE_TYPE (a))
    {
    case JSON_NODE_NULL:
      return TRUE;

    case JSON_NODE_VALUE:
      if (json_node_get_value_type (a) != json_node_get_value_type (b))
        return FALSE;
      switch (json_node_get_value_type (a))
        {
        case G_TYPE_INT64:
          return json_node_get_int (a) == json_node_get_int (b);
        case G_TYPE_BOOLEAN:
          return json_node_get_boolean (a) == json_node_get_boolean (b);
        case G_TYPE_STRING:
          return g_strcmp0 (json_node_get_string (a), json_node_get_string (b)) == 0;
        case G_TYPE_DOUBLE:
          {
            double x = json_node_get_double (a);
            double y = json_node_get_double (b);

            return memcmp (&x, &y, sizeof x) == 0;
          }
        default:
          return FALSE;
        }

    case JSON_NODE_ARRAY:
      {
        JsonArray *x = json_node_get_array (a);
        JsonArray *y = json_node_get_array (b);
        guint n = json_array_get_length (x);

        if (json_array_get_length (y) != n)
          return FALSE;
        for (guint i = 0; i < n; i++)
          if (!identical (json_array_get_element (x, i), json_array_get_element (y, i), a, b))
            return FALSE;
        return TRUE;
      }

    case JSON_NODE_OBJECT:
      {
        JsonObject *x = json_node_get_object (a);
        JsonObject *y = json_node_get_object (b);
        g_autoptr(GList) xs = json_object_get_members (x);
        g_autoptr(GList) ys = json_object_get_members (y);
        GList *l, *m;

        for (l = xs, m = ys; l != NULL && m != NULL; l = l->next, m = m->next)
          if (!g_str_equal (l->data, m->data) ||
              !identical (json_object_get_member (x, l->data),
                          json_object_get_member (y, m->data), a, b))
            return FALSE;
        return l == NULL && m == NULL;
      }

    default:
      return FALSE;
    }
}

gboolean
buurten_json_identical (JsonNode *a,
                        JsonNode *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return identical (a, b, json_node_get_parent (a), json_node_get_parent (b));
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
