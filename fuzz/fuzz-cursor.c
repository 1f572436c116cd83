/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer: the pull's cursor, as a client sends it back (base64url of
 * the server's own JSON, parsed by a fast path and, failing that, by
 * json-glib). A cursor it accepts must encode again to one that decodes
 * to the same positions and bases; one it refuses has an error. */

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "buurten-core.h"
#include "buurten-exchange-private.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static gint64
lookup (GHashTable *table,
        const char *scope)
{
  gint64 *value = g_hash_table_lookup (table, scope);

  return value != NULL ? *value : 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(GHashTable) bases = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) again_bases = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                             g_free);
  g_autoptr(GHashTable) positions = NULL;
  g_autoptr(GHashTable) again = NULL;
  g_autoptr(GPtrArray) scopes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree gint64 *p = NULL;
  g_autofree gint64 *b = NULL;
  g_autofree char *encoded = NULL;
  GHashTableIter iter;
  gpointer key;
  gboolean version_ok = TRUE;

  positions = decode_cursor (text, bases, &version_ok, &error);
  if (positions == NULL)
    {
      g_assert_nonnull (error);
      return 0;
    }
  g_assert_no_error (error);
  if (!version_ok)
    return 0;

  /* Only positions above zero are written again (a scope at 0 is read
   * from nothing either way), and bases only where there is a position. */
  g_hash_table_iter_init (&iter, positions);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (scopes, g_strdup (key));
  p = g_new0 (gint64, MAX (scopes->len, 1));
  b = g_new0 (gint64, MAX (scopes->len, 1));
  for (guint i = 0; i < scopes->len; i++)
    {
      const char *scope = g_ptr_array_index (scopes, i);

      p[i] = lookup (positions, scope);
      b[i] = lookup (bases, scope);
      g_assert_cmpint (p[i], >=, 0);
      g_assert_cmpint (b[i], >=, 0);
    }

  encoded = encode_cursor (scopes, p, b);
  again = decode_cursor (encoded, again_bases, &version_ok, &error);
  g_assert_no_error (error);
  g_assert_nonnull (again);
  g_assert_true (version_ok);
  for (guint i = 0; i < scopes->len; i++)
    {
      const char *scope = g_ptr_array_index (scopes, i);

      g_assert_cmpint (lookup (again, scope), ==, p[i]);
      if (p[i] > 0)
        g_assert_cmpint (lookup (again_bases, scope), ==, b[i]);
    }

  return 0;
}
