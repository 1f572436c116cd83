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

GtkWidget *
buurten_draft_open (GtkWidget              *parent,
                    BuurtenContext         *context,
                    const BuurtenAttention *item,
                    gconstpointer           draft)
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
  root = parent != NULL ? gtk_widget_get_root (parent) : NULL;
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (root));
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}
