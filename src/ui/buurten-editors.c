/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-editors"

#include "config.h"

#include "buurten-editors.h"

#include <glib/gi18n.h>

#include "buurten-buurtdeal-editor.h"
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

GtkWidget *
buurten_open_buurtdeal (GtkWidget      *parent,
                        BuurtenContext *context,
                        const char     *initiative_id)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WIDGET (parent), NULL);
  g_return_val_if_fail (BUURTEN_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (initiative_id != NULL, NULL);

  return present (parent, buurten_buurtdeal_editor_new (context, initiative_id));
}

/* -- an idea taken on as an initiative -- */

typedef struct
{
  GtkWidget      *parent;    /* owned; may be NULL */
  BuurtenContext *context;   /* owned */
  char           *request_id;
  char           *initiative_id;
} FromRequest;

static void
from_request_free (FromRequest *job)
{
  g_clear_object (&job->parent);
  g_clear_object (&job->context);
  g_free (job->request_id);
  g_free (job->initiative_id);
  g_free (job);
}

static void
show_refusal (FromRequest *job,
              const char  *message)
{
  GtkRoot *root = job->parent != NULL ? gtk_widget_get_root (job->parent) : NULL;
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("This Request Cannot Become an Initiative"), message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
from_request_written_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  FromRequest *job = user_data;
  g_autoptr(GError) error = NULL;

  if (!buurten_store_write_finish (BUURTEN_STORE (source), result, &error))
    show_refusal (job, error->message);
  else
    {
      buurten_context_notify_changed (job->context, "request", job->request_id);
      buurten_context_notify_changed (job->context, "initiative", job->initiative_id);
      buurten_open_editor (job->parent, job->context, "initiative", NULL, job->initiative_id);
    }
  from_request_free (job);
}

static void
from_request_loaded_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  FromRequest *job = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BuurtenRequest) request = NULL;
  g_autoptr(BuurtenRequest) linked = NULL;
  g_autoptr(BuurtenInitiative) initiative = NULL;
  g_autoptr(JsonObject) refusal = NULL;
  g_autofree char *id = NULL;
  BuurtenFormBatch *batch;
  JsonObject *args;
  JsonNode *node;

  request = buurten_store_load_finish (BUURTEN_STORE (source), result, &error);
  if (request == NULL)
    {
      show_refusal (job, error->message);
      from_request_free (job);
      return;
    }

  /* Taken on before: the way on is its initiative. */
  if (request->initiative_id != NULL)
    {
      buurten_open_editor (job->parent, job->context, "initiative", NULL,
                           request->initiative_id);
      from_request_free (job);
      return;
    }

  id = buurten_uuid_new ();
  initiative = buurten_initiative_from_request (request, id,
                                                g_get_real_time () / G_USEC_PER_SEC,
                                                &refusal, &error);
  if (initiative == NULL)
    {
      g_autofree char *message =
        buurten_refusal_describe ((BuurtenCoreError) error->code, refusal,
                                  buurten_context_get_municipality (job->context));

      show_refusal (job, message);
      from_request_free (job);
      return;
    }

  args = json_object_new ();
  json_object_set_string_member (args, "id", id);
  json_object_set_string_member (args, "request_id", request->id);
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, args);

  /* The request's side of the link is written here without a mutation of
   * its own: the server sets it with initiative.from_request. */
  linked = buurten_request_copy (request);
  linked->initiative_id = g_strdup (id);

  batch = buurten_form_batch_new (buurten_context_get_user_name (job->context));
  buurten_form_batch_put (batch, &buurten_initiative_info, g_steal_pointer (&initiative),
                          buurten_mutation_name (BUURTEN_MUTATION_INITIATIVE_FROM_REQUEST), node);
  buurten_form_batch_put (batch, &buurten_request_info, g_steal_pointer (&linked), NULL, NULL);
  job->initiative_id = g_steal_pointer (&id);
  buurten_form_batch_save_async (batch, job->context, NULL, from_request_written_cb, job);
}

static gpointer
load_request_in_thread (BuurtenStore  *store,
                        gpointer       data,
                        GCancellable  *cancellable,
                        GError       **error)
{
  return buurten_store_get (store, &buurten_request_info, data, error);
}

void
buurten_open_initiative_from_request (GtkWidget      *parent,
                                      BuurtenContext *context,
                                      const char     *request_id)
{
  FromRequest *job;

  g_return_if_fail (parent == NULL || GTK_IS_WIDGET (parent));
  g_return_if_fail (BUURTEN_IS_CONTEXT (context));
  g_return_if_fail (request_id != NULL);

  job = g_new0 (FromRequest, 1);
  job->parent = parent != NULL ? g_object_ref (parent) : NULL;
  job->context = g_object_ref (context);
  job->request_id = g_strdup (request_id);
  buurten_store_load_async (buurten_context_get_store (context), load_request_in_thread,
                            g_strdup (request_id), g_free, (GDestroyNotify) buurten_request_free,
                            NULL, from_request_loaded_cb, job);
}
