/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer: a push's body as the server reads it, before any database:
 * the JSON pre-scan and parser, then decode_push_body() (client id,
 * schema, the mutations' mids, names and argument objects). What it
 * accepts must hold what the push relies on: a valid lower-case client
 * id, at most MAX_MUTATIONS_PER_PUSH mutations, mids from 1 increasing by
 * one, a name and an args object each, and every catalogue argument the
 * push names readable by its kind without a crash. */

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "buurten-core.h"
#include "buurten-exchange-private.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonNode) root = buurten_json_parse ((const char *) data, (gssize) size, 32, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) mutations = NULL;
  g_autofree char *client_id = NULL;
  gint gap_after = -1;
  PushBodyStatus status;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return 0;

  status = decode_push_body (json_node_get_object (root), &client_id, &mutations, &gap_after,
                             &error);
  if (status != PUSH_BODY_OK)
    {
      g_assert_nonnull (error);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_assert_null (mutations);
      return 0;
    }

  g_assert_no_error (error);
  g_assert_true (buurten_uuid_is_valid (client_id));
  for (const char *p = client_id; *p != '\0'; p++)
    g_assert_false (g_ascii_isupper (*p));
  g_assert_cmpuint (mutations->len, <=, MAX_MUTATIONS_PER_PUSH);

  for (guint i = 0; i < mutations->len; i++)
    {
      const Mutation *m = &g_array_index (mutations, Mutation, i);
      const BuurtenMutationInfo *info;

      g_assert_cmpint (m->mid, >=, 1);
      if (i > 0)
        g_assert_cmpint (m->mid, ==, g_array_index (mutations, Mutation, i - 1).mid + 1);
      g_assert_nonnull (m->name);
      g_assert_nonnull (m->args);

      /* The names the catalogue knows, with the arguments it declares:
       * each member present is read as its kind says, as the handlers do. */
      info = buurten_mutation_lookup (m->name);
      if (info == NULL)
        {
          g_autofree char *quoted = buurten_text_excerpt (m->name, 64);

          g_assert_true (g_utf8_validate (quoted, -1, NULL));
          g_assert_cmpuint (strlen (quoted), <=, 64 + strlen ("…"));
          continue;
        }
      for (const BuurtenMutationArg *arg = info->args; arg->name != NULL; arg++)
        {
          g_autoptr(GError) arg_error = NULL;
          const char *text = NULL;
          gint64 number = 0;
          JsonObject *object = NULL;
          gboolean required = (arg->flags & BUURTEN_ARG_REQUIRED) != 0;

          switch (arg->kind)
            {
            case BUURTEN_ARG_INT:
            case BUURTEN_ARG_MONEY:
              (void) buurten_json_get_int (m->args, "args", arg->name, required, &number,
                                           &arg_error);
              break;
            case BUURTEN_ARG_OBJECT:
              (void) buurten_json_get_object (m->args, "args", arg->name, required, &object,
                                              &arg_error);
              break;
            case BUURTEN_ARG_BOOL:
              break;
            default:
              if (buurten_json_get_string (m->args, "args", arg->name, required, &text,
                                           &arg_error) && text != NULL)
                g_assert_true (g_utf8_validate (text, -1, NULL));
              break;
            }
          if (arg_error != NULL)
            g_assert_true (g_utf8_validate (arg_error->message, -1, NULL));
        }
    }

  if (gap_after >= 0)
    g_assert_cmpuint ((guint) gap_after, ==, mutations->len);

  return 0;
}
