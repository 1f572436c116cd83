/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-draft"

#include "config.h"

#include "buurten-draft.h"

#include <glib/gi18n.h>

#include "buurten-escalation-editor.h"
#include "buurten-initiative-editor.h"
#include "buurten-meeting-editor.h"
#include "buurten-request-editor.h"

static GType
editor_type (const char *entity_type)
{
  if (g_strcmp0 (entity_type, "request") == 0)
    return BUURTEN_TYPE_REQUEST_EDITOR;
  if (g_strcmp0 (entity_type, "initiative") == 0)
    return BUURTEN_TYPE_INITIATIVE_EDITOR;
  if (g_strcmp0 (entity_type, "escalation") == 0)
    return BUURTEN_TYPE_ESCALATION_EDITOR;
  if (g_strcmp0 (entity_type, "meeting") == 0)
    return BUURTEN_TYPE_MEETING_EDITOR;
  return G_TYPE_INVALID;
}

gboolean
buurten_draft_possible (const BuurtenAttention *item,
                        gboolean               *out_needs_current)
{
  const BuurtenMutationInfo *mutation;
  gboolean needs_current = FALSE, possible = FALSE;

  g_return_val_if_fail (item != NULL, FALSE);

  if (g_strcmp0 (item->kind, "conflict") == 0)
    {
      /* Notes and agenda items have no editor of their own. */
      possible = editor_type (item->object_type) != G_TYPE_INVALID && item->field != NULL &&
                 item->object_id != NULL;
      needs_current = TRUE;
    }
  else if (g_strcmp0 (item->kind, "rejected") == 0 && item->args_json != NULL &&
           (mutation = buurten_mutation_lookup (item->mutation)) != NULL &&
           mutation->entity != NULL && editor_type (mutation->entity->name) != G_TYPE_INVALID &&
           /* An idea taken on carries the request's id, not a form's fields. */
           mutation->id != BUURTEN_MUTATION_INITIATIVE_FROM_REQUEST)
    {
      possible = mutation->shape == BUURTEN_MUTATION_SHAPE_CREATE ||
                 (mutation->shape == BUURTEN_MUTATION_SHAPE_UPDATE && item->object_id != NULL);
      needs_current = mutation->shape == BUURTEN_MUTATION_SHAPE_UPDATE;
    }

  if (out_needs_current != NULL)
    *out_needs_current = possible && needs_current;
  return possible;
}

gpointer
buurten_draft_build (const BuurtenAttention  *item,
                     gconstpointer            current,
                     GError                 **error)
{
  gboolean needs_current = FALSE;

  g_return_val_if_fail (item != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!buurten_draft_possible (item, &needs_current) || (needs_current && current == NULL))
    {
      g_set_error_literal (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID,
                           _("This change cannot be opened in a form."));
      return NULL;
    }

  if (g_strcmp0 (item->kind, "conflict") == 0)
    {
      const BuurtenEntityInfo *info = buurten_entity_info_lookup (item->object_type);
      g_autoptr(JsonNode) yours = NULL;

      if (item->yours_json != NULL)
        {
          yours = buurten_json_parse (item->yours_json, -1, BUURTEN_JSON_DEFAULT_MAX_DEPTH,
                                      error);
          if (yours == NULL)
            return NULL;
        }
      return buurten_entity_with_field (info, current, item->field, yours, error);
    }

  {
    const BuurtenMutationInfo *mutation = buurten_mutation_lookup (item->mutation);
    g_autoptr(JsonNode) args = buurten_json_parse (item->args_json, -1,
                                                   BUURTEN_JSON_DEFAULT_MAX_DEPTH, error);

    if (args == NULL)
      return NULL;
    if (!JSON_NODE_HOLDS_OBJECT (args))
      {
        g_set_error_literal (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID,
                             _("This change cannot be opened in a form."));
        return NULL;
      }
    return buurten_mutation_args_to_entity (mutation, mutation->entity,
                                            needs_current ? current : NULL,
                                            json_node_get_object (args), error);
  }
}

/* The args of a refused mutation with id mutation_id, or NULL. */
static JsonObject *
refused_args (const BuurtenAttention *item,
              BuurtenMutationId       mutation_id)
{
  const BuurtenMutationInfo *mutation;
  g_autoptr(JsonNode) args = NULL;

  if (g_strcmp0 (item->kind, "rejected") != 0 || item->args_json == NULL ||
      (mutation = buurten_mutation_lookup (item->mutation)) == NULL ||
      mutation->id != mutation_id)
    return NULL;
  args = buurten_json_parse (item->args_json, -1, BUURTEN_JSON_DEFAULT_MAX_DEPTH, NULL);
  if (args == NULL || !JSON_NODE_HOLDS_OBJECT (args))
    return NULL;
  return json_object_ref (json_node_get_object (args));
}

/* The budget line or date (of *out_info) a refused budget_line.add or
 * activity.add sent, or NULL when it is neither or its args make none. */
static gpointer
plan_entity (const BuurtenAttention   *item,
             const BuurtenEntityInfo **out_info)
{
  const BuurtenMutationInfo *mutation = buurten_mutation_lookup (item->mutation);
  g_autoptr(JsonObject) args = refused_args (item, BUURTEN_MUTATION_BUDGET_LINE_ADD);
  g_autoptr(GError) error = NULL;
  gpointer entity;

  if (args == NULL)
    args = refused_args (item, BUURTEN_MUTATION_ACTIVITY_ADD);
  if (args == NULL)
    return NULL;
  entity = buurten_mutation_args_to_entity (mutation, mutation->entity, NULL, args, &error);
  if (entity == NULL)
    {
      /* It stays its own item in "Needs attention". */
      g_debug ("draft: attention item %" G_GINT64_FORMAT " makes no %s: %s", item->id,
               mutation->entity->name, error->message);
      return NULL;
    }
  *out_info = mutation->entity;
  return entity;
}

/* The initiative a refused budget line or date was for, or NULL. */
static char *
plan_initiative_id (const BuurtenAttention *item)
{
  const BuurtenEntityInfo *info = NULL;
  gpointer entity = plan_entity (item, &info);
  char *initiative_id;

  if (entity == NULL)
    return NULL;
  initiative_id = g_strdup (info == &buurten_budget_line_info
                              ? ((BuurtenBudgetLine *) entity)->initiative_id
                              : ((BuurtenActivity *) entity)->initiative_id);
  buurten_entity_free (info, entity);
  return initiative_id;
}

GHashTable *
buurten_draft_find_plans (GPtrArray *items)
{
  g_autoptr(GHashTable) creates = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTable *plans = g_hash_table_new_full (NULL, NULL, NULL,
                                             (GDestroyNotify) g_ptr_array_unref);

  g_return_val_if_fail (items != NULL, plans);

  /* The refused creates by the id they gave their initiative. */
  for (guint i = 0; i < items->len; i++)
    {
      BuurtenAttention *item = g_ptr_array_index (items, i);
      g_autoptr(JsonObject) args = refused_args (item, BUURTEN_MUTATION_INITIATIVE_CREATE);
      const char *id;

      if (args == NULL ||
          (id = json_object_get_string_member_with_default (args, "id", NULL)) == NULL)
        continue;
      if (!g_hash_table_contains (creates, id))
        g_hash_table_insert (creates, g_strdup (id), item);
    }

  for (guint i = 0; i < items->len && g_hash_table_size (creates) > 0; i++)
    {
      BuurtenAttention *part = g_ptr_array_index (items, i);
      g_autofree char *initiative_id = plan_initiative_id (part);
      BuurtenAttention *create;
      GPtrArray *plan;

      if (initiative_id == NULL ||
          (create = g_hash_table_lookup (creates, initiative_id)) == NULL)
        continue;
      plan = g_hash_table_lookup (plans, create);
      if (plan == NULL)
        {
          plan = g_ptr_array_new ();
          g_hash_table_insert (plans, create, plan);
        }
      g_ptr_array_add (plan, part);
    }
  return plans;
}

/* Puts plan's lines and dates into an initiative's draft editor. */
static void
add_plan (BuurtenEditor *editor,
          GPtrArray     *plan)
{
  g_autoptr(GPtrArray) lines =
    g_ptr_array_new_with_free_func ((GDestroyNotify) buurten_budget_line_free);
  g_autoptr(GPtrArray) activities =
    g_ptr_array_new_with_free_func ((GDestroyNotify) buurten_activity_free);

  for (guint i = 0; i < plan->len; i++)
    {
      const BuurtenAttention *part = g_ptr_array_index (plan, i);
      const BuurtenEntityInfo *info = NULL;
      gpointer entity = plan_entity (part, &info);

      if (entity == NULL)
        continue;
      g_ptr_array_add (info == &buurten_budget_line_info ? lines : activities, entity);
      buurten_editor_add_attention_id (editor, part->id);
    }
  buurten_initiative_editor_set_draft_plan (BUURTEN_INITIATIVE_EDITOR (editor), lines,
                                            activities);
}

GtkWidget *
buurten_draft_open (GtkWidget              *parent,
                    BuurtenContext         *context,
                    const BuurtenAttention *item,
                    gconstpointer           draft,
                    GPtrArray              *plan)
{
  gboolean needs_current = FALSE;
  const char *entity_type;
  GtkRoot *root;
  GtkWidget *window;

  g_return_val_if_fail (BUURTEN_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (item != NULL && draft != NULL, NULL);
  g_return_val_if_fail (buurten_draft_possible (item, &needs_current), NULL);

  entity_type = g_strcmp0 (item->kind, "conflict") == 0
                  ? item->object_type
                  : buurten_mutation_lookup (item->mutation)->entity->name;
  /* A refused create is made anew (the server never had it); an edit
   * goes over the object as it is now. */
  window = g_object_new (editor_type (entity_type),
                         "context", context,
                         "id", needs_current ? item->object_id : NULL,
                         "draft", draft,
                         "attention-id", item->id,
                         NULL);
  if (plan != NULL && plan->len > 0 && !needs_current && BUURTEN_IS_INITIATIVE_EDITOR (window))
    add_plan (BUURTEN_EDITOR (window), plan);
  root = parent != NULL ? gtk_widget_get_root (parent) : NULL;
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (root));
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}
