/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-editors"

#include "config.h"

#include "buurten-editors.h"

#include "buurten-decision-window.h"
#include "buurten-escalation-editor.h"
#include "buurten-initiative-editor.h"
#include "buurten-meeting-editor.h"
#include "buurten-request-editor.h"

static GtkWidget *
present (GtkWidget *parent,
         GtkWidget *window)
{
  GtkRoot *root = parent != NULL ? gtk_widget_get_root (parent) : NULL;

  if (window == NULL)
    return NULL;

  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (root));
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_present (GTK_WINDOW (window));

  return window;
}

GtkWidget *
buurten_open_editor (GtkWidget      *parent,
                     BuurtenContext *context,
                     const char     *entity_type,
                     const char     *wijk,
                     const char     *id)
{
  GtkWidget *window = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WIDGET (parent), NULL);
  g_return_val_if_fail (BUURTEN_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (entity_type != NULL, NULL);

  if (g_str_equal (entity_type, "initiative"))
    window = buurten_initiative_editor_new (context, wijk, id);
  else if (g_str_equal (entity_type, "request"))
    window = buurten_request_editor_new (context, wijk, id);
  else if (g_str_equal (entity_type, "escalation"))
    window = buurten_escalation_editor_new (context, wijk, id);
  else if (g_str_equal (entity_type, "meeting"))
    window = buurten_meeting_editor_new (context, wijk, id);
  else
    g_message ("No form for %s yet", entity_type);

  return present (parent, window);
}

GtkWidget *
buurten_open_decision (GtkWidget      *parent,
                       BuurtenContext *context,
                       const char     *initiative_id)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WIDGET (parent), NULL);
  g_return_val_if_fail (BUURTEN_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (initiative_id != NULL, NULL);

  return present (parent, buurten_decision_window_new (context, initiative_id));
}
