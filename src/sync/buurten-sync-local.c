/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-sync"

#include "config.h"

#include "buurten-sync-local.h"

#include <glib/gi18n.h>

static JsonNode *
object_node (JsonObject *object)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, object);
  return node;
}

gboolean
buurten_sync_local_update (BuurtenStore            *store,
                           const char              *actor,
                           const BuurtenEntityInfo *info,
                           const char              *id,
                           JsonObject              *set,
                           GError                 **error)
{
  g_autoptr(JsonNode) row = NULL;
  g_autoptr(JsonNode) args = NULL;
  g_autofree char *mutation = NULL;
  const BuurtenMutationInfo *update;
  gpointer entity, updated;
  JsonObject *row_object, *args_object, *base;
  JsonObjectIter iter;
  const char *field;
  JsonNode *value;
  gint64 version;
  gboolean ok;

  g_return_val_if_fail (BUURTEN_IS_STORE (store), FALSE);
  g_return_val_if_fail (info != NULL && id != NULL && set != NULL, FALSE);

  entity = buurten_store_get (store, info, id, error);
  if (entity == NULL)
    return FALSE;
  row = buurten_entity_to_json (info, entity, TRUE);
  buurten_entity_free (info, entity);
  row_object = json_node_get_object (row);
  /* A row made here and not pushed yet is version 0; the server made it
   * version 1. */
  version = MAX (json_object_get_int_member_with_default (row_object, "version", 0), 1);

  args_object = json_object_new ();
  base = json_object_new ();
  json_object_set_string_member (args_object, "id", id);
  json_object_iter_init (&iter, set);
  while (json_object_iter_next (&iter, &field, &value))
    {
      if (buurten_entity_info_get_field (info, field) == NULL)
        {
          json_object_unref (base);
          json_object_unref (args_object);
          g_set_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID,
                       "%s: no field %s", info->name, field);
          return FALSE;
        }
      json_object_set_member (row_object, field, json_node_copy (value));
      json_object_set_int_member (base, field, version);
    }
  mutation = g_strconcat (info->name, ".update", NULL);
  update = buurten_mutation_lookup (mutation);
  if (update == NULL)
    {
      json_object_unref (base);
      json_object_unref (args_object);
      g_set_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID,
                   "%s: no update mutation", info->name);
      return FALSE;
    }
  /* The catalogue says how the update takes its values: in args.set
   * (fields merged one by one) or as members of their own (a note's
   * body, last writer wins). */
  if (buurten_mutation_get_arg (update, "set") != NULL)
    json_object_set_object_member (args_object, "set", json_object_ref (set));
  else
    {
      json_object_iter_init (&iter, set);
      while (json_object_iter_next (&iter, &field, &value))
        json_object_set_member (args_object, field, json_node_copy (value));
    }
  json_object_set_object_member (args_object, "base", base);
  args = object_node (args_object);

  updated = buurten_entity_from_json (info, row, error);
  if (updated == NULL)
    return FALSE;
  ok = buurten_store_put (store, info, updated, actor, mutation, args, error);
  buurten_entity_free (info, updated);
  return ok;
}

/* Units of work on the store's writer: each in one transaction. */
typedef struct
{
  const char              *actor;
  const BuurtenEntityInfo *info;
  const BuurtenAttention  *item;
  JsonObject              *set;
} KeepMine;

static gboolean
keep_mine_write (BuurtenStore  *store,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  KeepMine *keep = data;

  return buurten_sync_local_update (store, keep->actor, keep->info, keep->item->object_id,
                                    keep->set, error) &&
         buurten_store_resolve_attention (store, keep->item->id, error);
}

typedef struct
{
  const char              *actor;
  const BuurtenEntityInfo *info;
  const BuurtenAttention  *item;
  gpointer                 entity;
  const char              *mutation;
  JsonNode                *args;
} Restore;

static gboolean
restore_write (BuurtenStore  *store,
               gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  Restore *restore = data;

  return buurten_store_put (store, restore->info, restore->entity, restore->actor,
                            restore->mutation, restore->args, error) &&
         buurten_store_resolve_attention (store, restore->item->id, error);
}

gboolean
buurten_sync_resolve (BuurtenStore           *store,
                      const char             *actor,
                      const BuurtenAttention *item,
                      gboolean                keep_mine,
                      GError                **error)
{
  g_return_val_if_fail (BUURTEN_IS_STORE (store), FALSE);
  g_return_val_if_fail (item != NULL, FALSE);

  if (keep_mine && g_strcmp0 (item->kind, "conflict") == 0)
    {
      const BuurtenEntityInfo *info = buurten_entity_info_lookup (item->object_type);
      g_autoptr(JsonNode) yours = NULL;
      g_autoptr(JsonObject) set = NULL;

      if (info == NULL || item->object_id == NULL || item->field == NULL ||
          item->yours_json == NULL)
        {
          g_set_error_literal (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID,
                               _("This conflict cannot be resolved with your value."));
          return FALSE;
        }
      yours = buurten_json_parse (item->yours_json, -1, BUURTEN_JSON_DEFAULT_MAX_DEPTH, error);
      if (yours == NULL)
        return FALSE;
      set = json_object_new ();
      json_object_set_member (set, item->field, json_node_copy (yours));
      {
        KeepMine keep = { actor, info, item, set };

        return buurten_store_write (store, keep_mine_write, &keep, NULL, error);
      }
    }

  return buurten_store_resolve_attention (store, item->id, error);
}

char *
buurten_sync_restore (BuurtenStore           *store,
                      const char             *actor,
                      const BuurtenAttention *item,
                      GError                **error)
{
  const BuurtenEntityInfo *info;
  g_autoptr(JsonNode) row = NULL;
  g_autoptr(JsonNode) args = NULL;
  g_autofree char *id = NULL;
  JsonObject *row_object, *args_object;
  const BuurtenMutationInfo *create;
  const char *mutation;
  gpointer entity;
  gboolean ok;

  g_return_val_if_fail (BUURTEN_IS_STORE (store), NULL);
  g_return_val_if_fail (item != NULL, NULL);

  info = buurten_entity_info_lookup (item->object_type);
  if (g_strcmp0 (item->kind, "deleted") != 0 || item->yours_json == NULL ||
      (info != &buurten_note_info && info != &buurten_agenda_item_info))
    {
      g_set_error_literal (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID,
                           _("This item cannot be restored."));
      return NULL;
    }

  row = buurten_json_parse (item->yours_json, -1, BUURTEN_JSON_DEFAULT_MAX_DEPTH, error);
  if (row == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (row))
    {
      g_set_error_literal (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID,
                           _("This item cannot be restored."));
      return NULL;
    }
  row_object = json_node_get_object (row);
  id = buurten_uuid_new ();
  json_object_set_string_member (row_object, "id", id);
  json_object_set_int_member (row_object, "version", 0);

  args_object = json_object_new ();
  json_object_set_string_member (args_object, "id", id);
  /* The create of the same type, with the members the catalogue lists. */
  create = buurten_mutation_info (info == &buurten_note_info ? BUURTEN_MUTATION_NOTE_CREATE
                                                             : BUURTEN_MUTATION_AGENDA_ITEM_ADD);
  mutation = create->name;
  for (const BuurtenMutationArg *arg = create->args; arg->name != NULL; arg++)
    if (!g_str_equal (arg->name, "id") && json_object_has_member (row_object, arg->name) &&
        !JSON_NODE_HOLDS_NULL (json_object_get_member (row_object, arg->name)))
      json_object_set_member (args_object, arg->name,
                              json_node_copy (json_object_get_member (row_object, arg->name)));
  args = object_node (args_object);

  entity = buurten_entity_from_json (info, row, error);
  if (entity == NULL)
    return NULL;
  {
    Restore restore = { actor, info, item, entity, mutation, args };

    ok = buurten_store_write (store, restore_write, &restore, NULL, error);
  }
  buurten_entity_free (info, entity);
  if (!ok)
    return NULL;
  return g_steal_pointer (&id);
}
