/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-core"

#include "config.h"

#include "buurten-catalogue-args.h"

#include "buurten-error.h"

static gboolean
is_field (const BuurtenEntityInfo *entity_info,
          const char              *name)
{
  return buurten_entity_info_get_field (entity_info, name) != NULL;
}

/* The entity as JSON (with personal fields), or an empty object. */
static JsonNode *
start (const BuurtenEntityInfo *entity_info,
       gconstpointer            base)
{
  JsonNode *node;

  if (base != NULL)
    return buurten_entity_to_json (entity_info, base, TRUE);
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, json_object_new ());
  return node;
}

static gpointer
finish (const BuurtenEntityInfo  *entity_info,
        JsonNode                 *node,
        GError                  **error)
{
  return buurten_entity_from_json (entity_info, node, error);
}

gpointer
buurten_mutation_args_to_entity (const BuurtenMutationInfo *info,
                                 const BuurtenEntityInfo   *entity_info,
                                 gconstpointer              base,
                                 JsonObject                *args,
                                 GError                   **error)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;

  g_return_val_if_fail (info != NULL, NULL);
  g_return_val_if_fail (entity_info != NULL, NULL);
  g_return_val_if_fail (args != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* A new object starts from the entity's defaults (state, counts), as
   * the editors' own new objects do. */
  if (base == NULL)
    {
      gpointer empty = buurten_entity_new (entity_info);

      node = buurten_entity_to_json (entity_info, empty, TRUE);
      buurten_entity_free (entity_info, empty);
    }
  else
    node = start (entity_info, base);
  object = json_node_get_object (node);

  switch (info->shape)
    {
    case BUURTEN_MUTATION_SHAPE_UPDATE:
      {
        JsonNode *set = json_object_get_member (args, "set");
        JsonObjectIter iter;
        const char *name;
        JsonNode *value;

        if (set == NULL || !JSON_NODE_HOLDS_OBJECT (set))
          {
            g_set_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID,
                         "%s: args.set: expected an object", info->name);
            return NULL;
          }
        json_object_iter_init (&iter, json_node_get_object (set));
        while (json_object_iter_next (&iter, &name, &value))
          if (is_field (entity_info, name))
            json_object_set_member (object, name, json_node_copy (value));
      }
      break;

    case BUURTEN_MUTATION_SHAPE_FIELDS:
      for (guint i = 0; info->fields[i] != NULL; i++)
        {
          JsonNode *value = json_object_get_member (args, info->fields[i]);

          if (value != NULL && is_field (entity_info, info->fields[i]))
            json_object_set_member (object, info->fields[i], json_node_copy (value));
        }
      break;

    case BUURTEN_MUTATION_SHAPE_CREATE:
    default:
      for (const BuurtenMutationArg *arg = info->args; arg->name != NULL; arg++)
        {
          JsonNode *value = json_object_get_member (args, arg->name);

          if (value == NULL)
            continue;
          if (arg->kind == BUURTEN_ARG_OBJECT && JSON_NODE_HOLDS_OBJECT (value))
            {
              /* {"reporter": {"name": …}} is the entity's reporter_name. */
              JsonObjectIter iter;
              const char *member;
              JsonNode *inner;

              json_object_iter_init (&iter, json_node_get_object (value));
              while (json_object_iter_next (&iter, &member, &inner))
                {
                  g_autofree char *name = g_strdup_printf ("%s_%s", arg->name, member);

                  if (is_field (entity_info, name))
                    json_object_set_member (object, name, json_node_copy (inner));
                }
            }
          else if (is_field (entity_info, arg->name))
            json_object_set_member (object, arg->name, json_node_copy (value));
        }
      break;
    }

  return finish (entity_info, node, error);
}

gpointer
buurten_entity_with_field (const BuurtenEntityInfo  *entity_info,
                           gconstpointer             base,
                           const char               *field,
                           JsonNode                 *value,
                           GError                  **error)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (entity_info != NULL, NULL);
  g_return_val_if_fail (base != NULL, NULL);
  g_return_val_if_fail (field != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  node = start (entity_info, base);
  if (!is_field (entity_info, field))
    {
      g_set_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID,
                   "%s: no field “%s”", entity_info->name, field);
      return NULL;
    }
  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    json_object_remove_member (json_node_get_object (node), field);
  else
    json_object_set_member (json_node_get_object (node), field, json_node_copy (value));
  return finish (entity_info, node, error);
}
