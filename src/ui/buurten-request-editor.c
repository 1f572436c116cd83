/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-request-editor"

#include "config.h"

#include "buurten-request-editor.h"

#include <glib/gi18n.h>

#include "buurten-format.h"



struct _BuurtenRequestEditor
{
  BuurtenEditor   parent_instance;

  /* template widgets */
  GtkLabel       *form_error_label;
  AdwEntryRow    *title_row;
  GtkLabel       *title_error_label;
  AdwComboRow    *wijk_row;
  AdwComboRow    *type_row;
  AdwEntryRow    *received_row;
  GtkLabel       *received_error_label;
  GtkTextView    *description_view;
  AdwEntryRow    *reporter_name_row;
  AdwEntryRow    *reporter_contact_row;
  AdwEntryRow    *category_row;
  AdwEntryRow    *assignee_row;
  AdwPreferencesGroup *state_group;
  AdwComboRow    *state_row;
  AdwEntryRow    *note_row;

  /* owned references */
  BuurtenRequest *loaded;
  GArray         *states;
};

G_DEFINE_FINAL_TYPE (BuurtenRequestEditor, buurten_request_editor, BUURTEN_TYPE_EDITOR)

static void
set_text (AdwEntryRow *row,
          const char  *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
}

/* The received day as a timestamp: now when it is today (the usual
 * case), else noon of that day, so a time zone never moves the day. */
static gint64
received_timestamp (BuurtenRequestEditor *self,
                    const GDate          *date)
{
  g_autoptr(GDateTime) noon = NULL;
  GDate today;

  buurten_context_get_today (buurten_editor_get_context (BUURTEN_EDITOR (self)), &today);
  if (g_date_compare (date, &today) == 0)
    return g_get_real_time () / G_USEC_PER_SEC;

  noon = g_date_time_new_local (g_date_get_year (date), g_date_get_month (date),
                                g_date_get_day (date), 12, 0, 0);
  return g_date_time_to_unix (noon);
}

static void
show_received (BuurtenRequestEditor *self,
               gint64                received_at)
{
  g_autofree char *text = NULL;
  GDate date;

  if (received_at > 0)
    {
      g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (received_at);

      g_date_clear (&date, 1);
      g_date_set_dmy (&date, g_date_time_get_day_of_month (time),
                      g_date_time_get_month (time), g_date_time_get_year (time));
    }
  else
    buurten_context_get_today (buurten_editor_get_context (BUURTEN_EDITOR (self)), &date);

  text = buurten_form_format_date (&date);
  gtk_editable_set_text (GTK_EDITABLE (self->received_row), text);
}

static void
fill_types (BuurtenRequestEditor *self,
            BuurtenRequestType    selected)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);

  for (int type = BUURTEN_REQUEST_TYPE_VRAAG; type <= BUURTEN_REQUEST_TYPE_IDEE; type++)
    gtk_string_list_append (labels, buurten_format_request_type ((BuurtenRequestType) type));
  adw_combo_row_set_model (self->type_row, G_LIST_MODEL (labels));
  adw_combo_row_set_selected (self->type_row, selected);
}

/* -- loading -- */

static gpointer
load_in_thread (BuurtenStore  *store,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  return buurten_store_get (store, &buurten_request_info, data, error);
}

static void
show_request (BuurtenRequestEditor *self)
{
  BuurtenContext *context = buurten_editor_get_context (BUURTEN_EDITOR (self));
  const BuurtenRequest *request = self->loaded;

  buurten_form_fill_wijken (self->wijk_row, context, request->wijk);
  gtk_widget_set_sensitive (GTK_WIDGET (self->wijk_row), FALSE);
  fill_types (self, request->type);
  /* request.update cannot change the type: it sets the answer term. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->type_row), FALSE);
  set_text (self->title_row, request->title);
  buurten_form_set_view_text (self->description_view, request->description);
  show_received (self, request->received_at);
  gtk_widget_set_sensitive (GTK_WIDGET (self->received_row), FALSE);
  set_text (self->reporter_name_row, request->reporter_name);
  set_text (self->reporter_contact_row, request->reporter_contact);
  set_text (self->category_row, request->category);
  set_text (self->assignee_row, request->assignee);

  g_clear_pointer (&self->states, g_array_unref);
  self->states = buurten_form_fill_states (self->state_row, BUURTEN_MACHINE_REQUEST,
                                           request->state);
  gtk_widget_set_visible (GTK_WIDGET (self->state_group), TRUE);
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(BuurtenRequestEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  BuurtenRequest *request;

  request = buurten_store_load_finish (BUURTEN_STORE (source), result, &error);
  if (request == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        buurten_form_show_error (NULL, self->form_error_label, error->message);
      return;
    }

  self->loaded = request;
  show_request (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self), TRUE);
  buurten_editor_set_busy (BUURTEN_EDITOR (self), FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->title_row));
}

/* -- saving -- */

static BuurtenRequest *
read_form (BuurtenRequestEditor *self)
{
  BuurtenContext *context = buurten_editor_get_context (BUURTEN_EDITOR (self));
  g_autoptr(BuurtenRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok = TRUE;
  GDate received;

  request = self->loaded != NULL ? buurten_request_copy (self->loaded) : buurten_request_new ();

  g_free (request->title);
  request->title = buurten_form_get_text (GTK_EDITABLE (self->title_row));
  buurten_form_show_error (GTK_WIDGET (self->title_row), self->title_error_label,
                           request->title == NULL ? _("Give the request a title.") : NULL);
  ok = request->title != NULL;

  if (self->loaded == NULL)
    {
      if (!buurten_form_parse_date (gtk_editable_get_text (GTK_EDITABLE (self->received_row)),
                                    &received, &error))
        {
          buurten_form_show_error (GTK_WIDGET (self->received_row), self->received_error_label,
                                   error->message);
          ok = FALSE;
        }
      else
        buurten_form_show_error (GTK_WIDGET (self->received_row), self->received_error_label,
                                 NULL);
    }

  if (!ok)
    return NULL;

  if (self->loaded == NULL)
    {
      BuurtenRequestType type = adw_combo_row_get_selected (self->type_row);

      request->id = buurten_uuid_new ();
      request->wijk = g_strdup (buurten_form_get_wijk (self->wijk_row, context));
      request->type = type <= BUURTEN_REQUEST_TYPE_IDEE ? type : BUURTEN_REQUEST_TYPE_VRAAG;
      request->state = BUURTEN_REQUEST_NEW;
      request->received_at = received_timestamp (self, &received);
      request->term_days =
        buurten_municipality_answer_term (buurten_context_get_municipality (context),
                                          request->type);
    }

  g_free (request->description);
  request->description = buurten_form_get_view_text (self->description_view);
  g_free (request->reporter_name);
  request->reporter_name = buurten_form_get_text (GTK_EDITABLE (self->reporter_name_row));
  g_free (request->reporter_contact);
  request->reporter_contact = buurten_form_get_text (GTK_EDITABLE (self->reporter_contact_row));
  g_free (request->category);
  request->category = buurten_form_get_text (GTK_EDITABLE (self->category_row));
  g_free (request->assignee);
  request->assignee = buurten_form_get_text (GTK_EDITABLE (self->assignee_row));
  request->updated_at = g_get_real_time () / G_USEC_PER_SEC;

  return g_steal_pointer (&request);
}

static JsonNode *
create_args (const BuurtenRequest *request)
{
  JsonNode *args = buurten_form_args (BUURTEN_MUTATION_REQUEST_CREATE,
                                      &buurten_request_info, request);

  /* design.md: the reporter travels as one optional object. */
  if (request->reporter_name != NULL || request->reporter_contact != NULL)
    {
      JsonObject *reporter = json_object_new ();

      if (request->reporter_name != NULL)
        json_object_set_string_member (reporter, "name", request->reporter_name);
      if (request->reporter_contact != NULL)
        json_object_set_string_member (reporter, "contact", request->reporter_contact);
      json_object_set_object_member (json_node_get_object (args), "reporter", reporter);
    }

  return args;
}

static JsonNode *
assign_args (const BuurtenRequest *request)
{
  JsonObject *args = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (args, "id", request->id);
  if (request->assignee != NULL)
    json_object_set_string_member (args, "assignee", request->assignee);
  else
    json_object_set_null_member (args, "assignee");
  json_node_take_object (node, args);
  return node;
}

static void
save (BuurtenEditor *editor)
{
  BuurtenRequestEditor *self = BUURTEN_REQUEST_EDITOR (editor);
  BuurtenContext *context = buurten_editor_get_context (editor);
  g_autoptr(BuurtenRequest) request = NULL;
  g_autoptr(BuurtenFormBatch) batch = NULL;

  request = read_form (self);
  if (request == NULL)
    return;

  batch = buurten_form_batch_new (buurten_context_get_user_name (context));

  if (self->loaded == NULL)
    {
      g_autoptr(BuurtenRequest) created = buurten_request_copy (request);

      /* request.create has no assignee: request.assign follows. */
      g_clear_pointer (&created->assignee, g_free);
      buurten_form_batch_put (batch, &buurten_request_info, buurten_request_copy (created),
                              buurten_mutation_name (BUURTEN_MUTATION_REQUEST_CREATE),
                              create_args (created));
      if (request->assignee != NULL)
        buurten_form_batch_put (batch, &buurten_request_info, buurten_request_copy (request),
                                buurten_mutation_name (BUURTEN_MUTATION_REQUEST_ASSIGN),
                                assign_args (request));
    }
  else
    {
      JsonNode *update = buurten_form_update_args (BUURTEN_MUTATION_REQUEST_UPDATE,
                                                   &buurten_request_info, self->loaded, request);
      guint selected = adw_combo_row_get_selected (self->state_row);
      int from = self->loaded->state;
      int to = from;

      if (self->states != NULL && selected < self->states->len)
        to = g_array_index (self->states, int, selected);

      /* One command per change, each writing the row as it stands after
       * that command: update, assign, transition. */
      if (update != NULL)
        {
          BuurtenRequest *step = buurten_request_copy (request);

          g_free (step->assignee);
          step->assignee = g_strdup (self->loaded->assignee);
          step->state = from;
          buurten_form_batch_put (batch, &buurten_request_info, step,
                                  buurten_mutation_name (BUURTEN_MUTATION_REQUEST_UPDATE),
                                  update);
        }

      if (g_strcmp0 (self->loaded->assignee, request->assignee) != 0)
        {
          BuurtenRequest *step = buurten_request_copy (request);

          step->state = from;
          buurten_form_batch_put (batch, &buurten_request_info, step,
                                  buurten_mutation_name (BUURTEN_MUTATION_REQUEST_ASSIGN),
                                  assign_args (request));
        }

      if (to != from)
        {
          g_autoptr(GError) error = NULL;
          g_autofree char *note = buurten_form_get_text (GTK_EDITABLE (self->note_row));

          if (!buurten_state_check_transition (BUURTEN_MACHINE_REQUEST, from, to, &error))
            {
              buurten_form_show_error (GTK_WIDGET (self->state_row), self->form_error_label,
                                       error->message);
              return;
            }
          request->state = to;
          buurten_form_batch_put (batch, &buurten_request_info, buurten_request_copy (request),
                                  buurten_mutation_name (BUURTEN_MUTATION_REQUEST_TRANSITION),
                                  buurten_form_transition_args (request->id,
                                                                BUURTEN_MACHINE_REQUEST,
                                                                from, to, note));
        }
    }

  buurten_editor_save_batch (editor, request->id, g_steal_pointer (&batch));
}

static void
on_received_focus_leave_cb (BuurtenRequestEditor *self)
{
  g_autoptr(GError) error = NULL;
  GDate date;

  /* Focus leaves the fields while the window is torn down, too, after
   * the template's pointers are cleared. */
  if (gtk_widget_in_destruction (GTK_WIDGET (self)) || self->received_row == NULL)
    return;

  if (!buurten_form_parse_date (gtk_editable_get_text (GTK_EDITABLE (self->received_row)),
                                &date, &error))
    buurten_form_show_error (GTK_WIDGET (self->received_row), self->received_error_label,
                             error->message);
  else
    buurten_form_show_error (GTK_WIDGET (self->received_row), self->received_error_label, NULL);
}

/* -- drafts -- */

/* What was sent and refused, shown again (issue 14, point 8). A new
 * request's draft also sets what only a new one may choose. */
static void
show_draft (BuurtenEditor *editor,
            gconstpointer  entity)
{
  BuurtenRequestEditor *self = BUURTEN_REQUEST_EDITOR (editor);
  const BuurtenRequest *draft = entity;

  if (self->loaded == NULL)
    {
      buurten_form_fill_wijken (self->wijk_row, buurten_editor_get_context (editor), draft->wijk);
      adw_combo_row_set_selected (self->type_row, draft->type);
      show_received (self, draft->received_at);
    }
  set_text (self->title_row, draft->title);
  buurten_form_set_view_text (self->description_view, draft->description);
  set_text (self->reporter_name_row, draft->reporter_name);
  set_text (self->reporter_contact_row, draft->reporter_contact);
  set_text (self->category_row, draft->category);
  set_text (self->assignee_row, draft->assignee);
}

/* -- GObject -- */

static void
buurten_request_editor_constructed (GObject *object)
{
  BuurtenRequestEditor *self = BUURTEN_REQUEST_EDITOR (object);
  BuurtenEditor *editor = BUURTEN_EDITOR (object);
  BuurtenContext *context = buurten_editor_get_context (editor);

  G_OBJECT_CLASS (buurten_request_editor_parent_class)->constructed (object);

  g_return_if_fail (BUURTEN_IS_CONTEXT (context));

  if (buurten_editor_get_id (editor) != NULL)
    {
      gtk_window_set_title (GTK_WINDOW (self), _("Edit Request"));
      gtk_widget_set_sensitive (GTK_WIDGET (self), FALSE);
      buurten_editor_set_busy (editor, TRUE);
      buurten_store_load_async (buurten_context_get_store (context),
                                load_in_thread, g_strdup (buurten_editor_get_id (editor)),
                                g_free, (GDestroyNotify) buurten_request_free,
                                buurten_editor_get_cancellable (editor), loaded_cb,
                                g_object_ref (self));
    }
  else
    {
      buurten_form_fill_wijken (self->wijk_row, context, buurten_editor_get_wijk (editor));
      fill_types (self, BUURTEN_REQUEST_TYPE_VRAAG);
      show_received (self, 0);
    }

  gtk_widget_grab_focus (GTK_WIDGET (self->title_row));
}

static void
buurten_request_editor_dispose (GObject *object)
{
  BuurtenRequestEditor *self = BUURTEN_REQUEST_EDITOR (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), BUURTEN_TYPE_REQUEST_EDITOR);

  G_OBJECT_CLASS (buurten_request_editor_parent_class)->dispose (object);
}

static void
buurten_request_editor_finalize (GObject *object)
{
  BuurtenRequestEditor *self = BUURTEN_REQUEST_EDITOR (object);

  buurten_request_free (self->loaded);
  g_clear_pointer (&self->states, g_array_unref);

  G_OBJECT_CLASS (buurten_request_editor_parent_class)->finalize (object);
}

static void
buurten_request_editor_class_init (BuurtenRequestEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  BuurtenEditorClass *editor_class = BUURTEN_EDITOR_CLASS (klass);

  object_class->constructed = buurten_request_editor_constructed;
  object_class->dispose = buurten_request_editor_dispose;
  object_class->finalize = buurten_request_editor_finalize;

  editor_class->entity_type = "request";
  editor_class->save = save;
  editor_class->show_draft = show_draft;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/nl/hilversum/Buurten/buurten-request-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, BuurtenRequestEditor, form_error_label);
  gtk_widget_class_bind_template_child (widget_class, BuurtenRequestEditor, title_row);
  gtk_widget_class_bind_template_child (widget_class, BuurtenRequestEditor, title_error_label);
  gtk_widget_class_bind_template_child (widget_class, BuurtenRequestEditor, wijk_row);
  gtk_widget_class_bind_template_child (widget_class, BuurtenRequestEditor, type_row);
  gtk_widget_class_bind_template_child (widget_class, BuurtenRequestEditor, received_row);
  gtk_widget_class_bind_template_child (widget_class, BuurtenRequestEditor,
                                        received_error_label);
  gtk_widget_class_bind_template_child (widget_class, BuurtenRequestEditor, description_view);
  gtk_widget_class_bind_template_child (widget_class, BuurtenRequestEditor, reporter_name_row);
  gtk_widget_class_bind_template_child (widget_class, BuurtenRequestEditor,
                                        reporter_contact_row);
  gtk_widget_class_bind_template_child (widget_class, BuurtenRequestEditor, category_row);
  gtk_widget_class_bind_template_child (widget_class, BuurtenRequestEditor, assignee_row);
  gtk_widget_class_bind_template_child (widget_class, BuurtenRequestEditor, state_group);
  gtk_widget_class_bind_template_child (widget_class, BuurtenRequestEditor, state_row);
  gtk_widget_class_bind_template_child (widget_class, BuurtenRequestEditor, note_row);
  gtk_widget_class_bind_template_callback (widget_class, on_received_focus_leave_cb);

}

static void
buurten_request_editor_init (BuurtenRequestEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  buurten_editor_set_error_label (BUURTEN_EDITOR (self), self->form_error_label);
}

GtkWidget *
buurten_request_editor_new (BuurtenContext *context,
                            const char     *wijk,
                            const char     *id)
{
  g_return_val_if_fail (BUURTEN_IS_CONTEXT (context), NULL);

  return g_object_new (BUURTEN_TYPE_REQUEST_EDITOR,
                       "context", context,
                       "wijk", wijk,
                       "id", id,
                       NULL);
}
