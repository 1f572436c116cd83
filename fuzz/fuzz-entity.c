/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer: the strict entity decoder (buurten_entity_from_json) for
 * every entity type. A decoded entity must validate or be refused with an
 * error, and encode to JSON that decodes to an equal entity. */

#include "config.h"

#include <stdint.h>

#include "buurten-core.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonNode) root = buurten_json_parse ((const char *) data, (gssize) size, 16, NULL);

  if (root == NULL)
    return 0;

  for (guint i = 0; buurten_entity_infos[i] != NULL; i++)
    {
      const BuurtenEntityInfo *info = buurten_entity_infos[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) encoded = NULL;
      gpointer entity;
      gpointer decoded;

      entity = buurten_entity_from_json (info, root, &error);
      if (entity == NULL)
        {
          g_assert_nonnull (error);
          continue;
        }

      (void) buurten_entity_validate (info, entity, NULL);
      encoded = buurten_entity_to_json (info, entity, TRUE);
      decoded = buurten_entity_from_json (info, encoded, &error);
      g_assert_no_error (error);
      g_assert_true (buurten_entity_equal (info, entity, decoded));
      buurten_entity_free (info, decoded);
      buurten_entity_free (info, entity);
    }

  return 0;
}
