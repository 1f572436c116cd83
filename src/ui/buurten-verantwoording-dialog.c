/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-verantwoording-dialog"

#include "config.h"

#include "buurten-verantwoording-dialog.h"

#include <glib/gi18n.h>

#include "buurten-blobs.h"
#include "buurten-grant-money.h"

struct _BuurtenVerantwoordingDialog
{
  BuurtenEditor        parent_instance;

  /* template widgets */
  GtkLabel            *form_error_label;
  AdwActionRow        *approved_row;
  AdwActionRow        *paid_row;
  AdwActionRow        *release_row;
  AdwPreferencesGroup *lines_group;
  GtkLabel            *lines_error_label;
  GtkTextView         *happened_view;
  GtkLabel            *happened_error_label;
  GtkTextView         *feedback_view;
  GtkLabel            *feedback_error_label;
  GtkListBox          *attachments_list;
  GtkLabel            *attach_error_label;
  GtkCheckButton      *done_check;

  /* owned references */
  char                *initiative_id;
  BuurtenGrantMoney        *grant;
  GPtrArray           *line_rows;    /* AdwEntryRow* per cost line of grant->lines */
  GPtrArray           *attachments;  /* BuurtenBlob*: read, hashed, not yet kept */
  GtkNativeDialog     *chooser;
  BuurtenFormBatch    *pending_batch;  /* saved once the attachments are kept */
  char                *pending_id;
};

G_DEFINE_FINAL_TYPE (BuurtenVerantwoordingDialog, buurten_verantwoording_dialog,
                     BUURTEN_TYPE_EDITOR)

enum
{
  PROP_0,
  PROP_INITIATIVE_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
show_amount (AdwActionRow *row,
             gint64        cents)
{
  g_autofree char *amount = buurten_money_format (cents);
  const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
  g_autofree char *name = g_strdup_printf ("%s: %s", title, amount);

  adw_action_row_set_subtitle (row, amount);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

/* -- attachments -- */

static void
add_attachment_row (BuurtenVerantwoordingDialog *self,
                    const char                  *name,
                    const char                  *checksum)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *short_sum = g_strndup (checksum, 16);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), short_sum);
  gtk_list_box_append (self->attachments_list, row);
  gtk_widget_set_visible (GTK_WIDGET (self->attachments_list), TRUE);
}

static void
attachment_loaded_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(BuurtenVerantwoordingDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  BuurtenBlob *blob = buurten_blob_read_finish (result, &error);

  if (blob == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (g_error_matches (error, BUURTEN_BLOBS_ERROR, BUURTEN_BLOBS_ERROR_TOO_LARGE))
        buurten_form_show_error (NULL, self->attach_error_label,
                                 _("This file is larger than 10 MB. Choose a smaller file, "
                                   "for instance a scan at a lower resolution."));
      else
        buurten_form_show_error (NULL, self->attach_error_label,
                                 _("The file could not be read."));
      return;
    }

  g_ptr_array_add (self->attachments, blob);
  add_attachment_row (self, blob->name, blob->sha256);
  buurten_form_show_error (NULL, self->attach_error_label, NULL);
}

static void
attachments_kept_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(BuurtenVerantwoordingDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  BuurtenEditor *editor = BUURTEN_EDITOR (self);

  if (!buurten_blobs_keep_finish (result, &error))
    {
      g_clear_pointer (&self->pending_batch, buurten_form_batch_free);
      g_clear_pointer (&self->pending_id, g_free);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      buurten_editor_set_busy (editor, FALSE);
      buurten_form_show_error (NULL, self->attach_error_label,
                               _("The attachments could not be copied to this computer; "
                                 "nothing was saved. Check that the disk is not full."));
      return;
    }
  buurten_editor_set_busy (editor, FALSE);
  buurten_editor_save_batch (editor, self->pending_id, g_steal_pointer (&self->pending_batch));
  g_clear_pointer (&self->pending_id, g_free);
}

static void
on_chooser_response_cb (GtkNativeDialog             *chooser,
                        int                          response,
                        BuurtenVerantwoordingDialog *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        buurten_blob_read_async (file, buurten_editor_get_cancellable (BUURTEN_EDITOR (self)),
                                 attachment_loaded_cb, g_object_ref (self));
    }
  g_clear_object (&self->chooser);
}

static void
on_attach_clicked_cb (BuurtenVerantwoordingDialog *self)
{
  GtkFileChooserNative *chooser;

  if (self->chooser != NULL)
    return;

  chooser = gtk_file_chooser_native_new (_("Add an Attachment"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Add"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_chooser_response_cb), self);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->chooser);
}

/* -- loading -- */

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(BuurtenVerantwoordingDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) refusal = NULL;
  g_autofree char *title = NULL;
  BuurtenGrantMoney *grant;

  grant = buurten_store_load_finish (BUURTEN_STORE (source), result, &error);
  if (grant == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        buurten_editor_show_error (BUURTEN_EDITOR (self), error->message);
      return;
    }
  self->grant = grant;

  /* Translators: the title of the verantwoording window, %s the initiative's title */
  title = g_strdup_printf (_("Verantwoording of “%s”"), grant->initiative->title);
  gtk_window_set_title (GTK_WINDOW (self), title);
  show_amount (self->approved_row, grant->approved_cents);
  show_amount (self->paid_row, grant->paid_cents);
  show_amount (self->release_row, grant->left_cents);

  for (guint i = 0; i < grant->lines->len; i++)
    {
      BuurtenBudgetLine *line = g_ptr_array_index (grant->lines, i);
      g_autofree char *planned = NULL;
      g_autofree char *row_title = NULL;
      GtkWidget *row;

      if (line->kind != BUURTEN_BUDGET_LINE_COST)
        continue;
      planned = buurten_money_format (line->amount_cents);
      /* Translators: a cost line and its planned amount, e.g. "Tent (planned € 300,00)" */
      row_title = g_strdup_printf (_("%s (planned %s)"), line->description, planned);
      row = adw_entry_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), row_title);
      gtk_editable_set_text (GTK_EDITABLE (row), planned);
      g_object_set_data (G_OBJECT (row), "line", line);
      adw_preferences_group_add (self->lines_group, row);
      g_ptr_array_add (self->line_rows, row);
    }
  if (self->line_rows->len == 0)
    gtk_widget_set_visible (GTK_WIDGET (self->lines_group), FALSE);
  else
    {
      /* The error label comes after the rows. */
      g_object_ref (self->lines_error_label);
      adw_preferences_group_remove (self->lines_group, GTK_WIDGET (self->lines_error_label));
      adw_preferences_group_add (self->lines_group, GTK_WIDGET (self->lines_error_label));
      g_object_unref (self->lines_error_label);
    }

  /* Closing is offered where core allows it after the verantwoording. */
  gtk_widget_set_visible (GTK_WIDGET (self->done_check),
                          buurten_state_can_transition (BUURTEN_MACHINE_INITIATIVE,
                                                        grant->initiative->state,
                                                        BUURTEN_INITIATIVE_DONE));

  if (!buurten_verantwoording_may_record (grant->initiative->state,
                                          grant->verantwoording != NULL, &refusal, &error))
    {
      g_autofree char *message =
        buurten_refusal_describe ((BuurtenCoreError) error->code, refusal,
                                  buurten_context_get_municipality (
                                    buurten_editor_get_context (BUURTEN_EDITOR (self))));

      buurten_editor_show_error (BUURTEN_EDITOR (self), message);
      return;
    }

  gtk_widget_set_sensitive (GTK_WIDGET (self), TRUE);
  buurten_editor_set_busy (BUURTEN_EDITOR (self), FALSE);
  if (self->line_rows->len > 0)
    gtk_widget_grab_focus (g_ptr_array_index (self->line_rows, 0));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->happened_view));
}

/* -- saving -- */

static char *
read_text (GtkTextView *view,
           GtkLabel    *error_label,
           const char  *missing)
{
  char *text = buurten_form_get_view_text (view);

  buurten_form_show_error (GTK_WIDGET (view), error_label, text == NULL ? missing : NULL);
  return text;
}

static JsonNode *
record_args (BuurtenVerantwoording *v,
             JsonObject            *actuals)
{
  JsonNode *args = buurten_form_args (BUURTEN_MUTATION_VERANTWOORDING_RECORD,
                                      &buurten_verantwoording_info, v);

  json_object_set_object_member (json_node_get_object (args), "actuals",
                                 json_object_ref (actuals));
  return args;
}

static void
save (BuurtenEditor *editor)
{
  BuurtenVerantwoordingDialog *self = BUURTEN_VERANTWOORDING_DIALOG (editor);
  BuurtenContext *context = buurten_editor_get_context (editor);
  g_autoptr(BuurtenVerantwoording) v = buurten_verantwoording_new ();
  g_autoptr(BuurtenFormBatch) batch = NULL;
  g_autoptr(JsonObject) actuals = json_object_new ();
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (
    (GDestroyNotify) buurten_budget_line_free);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  gboolean ok = TRUE;

  if (self->grant == NULL)
    return;

  for (guint i = 0; i < self->line_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->line_rows, i);
      BuurtenBudgetLine *line = g_object_get_data (G_OBJECT (row), "line");
      BuurtenBudgetLine *actual;
      gint64 cents = 0;

      if (!buurten_form_read_amount (GTK_EDITABLE (row), self->lines_error_label, &cents))
        {
          ok = FALSE;
          break;
        }
      actual = buurten_budget_line_copy (line);
      actual->actual_cents = cents;
      json_object_set_int_member (actuals, line->id, cents);
      g_ptr_array_add (lines, actual);
    }

  v->happened = read_text (self->happened_view, self->happened_error_label,
                           _("Say what happened."));
  v->feedback = read_text (self->feedback_view, self->feedback_error_label,
                           _("Say how the buurt heard of the result (feedback is one of the "
                             "principles)."));
  if (!ok || v->happened == NULL || v->feedback == NULL)
    return;

  v->id = buurten_uuid_new ();
  v->initiative_id = g_strdup (self->grant->initiative->id);
  if (self->attachments->len > 0)
    {
      g_autoptr(GString) text = g_string_new (NULL);

      for (guint i = 0; i < self->attachments->len; i++)
        {
          const BuurtenBlob *blob = g_ptr_array_index (self->attachments, i);

          g_string_append_printf (text, "%s%s %s", i > 0 ? "\n" : "", blob->sha256, blob->name);
        }
      v->attachments = g_string_free (g_steal_pointer (&text), FALSE);
    }
  v->actual_cents = buurten_budget_actual_costs (lines);
  v->paid_cents = self->grant->paid_cents;
  v->released_cents = self->grant->left_cents;
  v->recorded_by = g_strdup (buurten_context_get_user_name (context));
  g_date_set_dmy (&v->recorded_on, g_date_time_get_day_of_month (now),
                  g_date_time_get_month (now), g_date_time_get_year (now));

  batch = buurten_form_batch_new (buurten_context_get_user_name (context));
  buurten_form_batch_put (batch, &buurten_verantwoording_info, buurten_verantwoording_copy (v),
                          buurten_mutation_name (BUURTEN_MUTATION_VERANTWOORDING_RECORD),
                          record_args (v, actuals));

  /* What the server will send back, shown here at once: each line's
   * actual and each commitment's release (no mutations of their own). */
  for (guint i = 0; i < lines->len; i++)
    buurten_form_batch_put (batch, &buurten_budget_line_info,
                            buurten_budget_line_copy (g_ptr_array_index (lines, i)), NULL, NULL);
  for (guint i = 0; i < self->grant->commitments->len; i++)
    {
      BuurtenCommitment *commitment = g_ptr_array_index (self->grant->commitments, i);
      gint64 left = buurten_commitment_left (commitment,
                                             g_array_index (self->grant->paid, gint64, i));
      BuurtenCommitment *released;

      if (left == 0)
        continue;
      released = buurten_commitment_copy (commitment);
      released->released_cents = MAX (released->released_cents, 0) + left;
      buurten_form_batch_put (batch, &buurten_commitment_info, released, NULL, NULL);
    }

  if (gtk_widget_get_visible (GTK_WIDGET (self->done_check)) &&
      gtk_check_button_get_active (self->done_check))
    {
      BuurtenInitiative *done = buurten_initiative_copy (self->grant->initiative);
      int from = done->state;

      done->state = BUURTEN_INITIATIVE_DONE;
      buurten_form_batch_put (batch, &buurten_initiative_info, done,
                              buurten_mutation_name (BUURTEN_MUTATION_INITIATIVE_TRANSITION),
                              buurten_form_transition_args (done->id, BUURTEN_MACHINE_INITIATIVE,
                                                            from, BUURTEN_INITIATIVE_DONE, NULL));
    }

  if (self->attachments->len == 0)
    {
      buurten_editor_save_batch (editor, v->id, g_steal_pointer (&batch));
      return;
    }

  /* The attachments first: copied beside the store and waiting for the
   * next sync, in a worker; the verantwoording is saved once they are. */
  {
    BuurtenStore *store = buurten_context_get_store (context);
    g_autofree char *dir = buurten_blobs_dir (store);
    /* The worker gets its own list: another file may be added meanwhile. */
    g_autoptr(GPtrArray) blobs = g_ptr_array_copy (self->attachments,
                                                   (GCopyFunc) buurten_blob_copy, NULL);

    g_ptr_array_set_free_func (blobs, (GDestroyNotify) buurten_blob_free);

    g_clear_pointer (&self->pending_batch, buurten_form_batch_free);
    g_free (self->pending_id);
    self->pending_batch = g_steal_pointer (&batch);
    self->pending_id = g_strdup (v->id);
    buurten_editor_set_busy (editor, TRUE);
    buurten_blobs_keep_async (dir, blobs, self->grant->initiative->wijk,
                              buurten_editor_get_cancellable (editor), attachments_kept_cb,
                              g_object_ref (self));
  }
}

/* The release changed the commitments: the window's thermometers listen
 * for commitments (money), not for verantwoordingen. */
static void
on_saved_cb (BuurtenVerantwoordingDialog *self,
             const char                  *id)
{
  BuurtenContext *context = buurten_editor_get_context (BUURTEN_EDITOR (self));

  for (guint i = 0; self->grant != NULL && i < self->grant->commitments->len; i++)
    {
      BuurtenCommitment *commitment = g_ptr_array_index (self->grant->commitments, i);

      buurten_context_notify_changed (context, "commitment", commitment->id);
    }
  buurten_context_notify_changed (context, "initiative", self->initiative_id);
}

/* -- GObject -- */

static void
buurten_verantwoording_dialog_constructed (GObject *object)
{
  BuurtenVerantwoordingDialog *self = BUURTEN_VERANTWOORDING_DIALOG (object);
  BuurtenEditor *editor = BUURTEN_EDITOR (object);
  BuurtenContext *context;

  G_OBJECT_CLASS (buurten_verantwoording_dialog_parent_class)->constructed (object);

  context = buurten_editor_get_context (editor);
  g_return_if_fail (BUURTEN_IS_CONTEXT (context));
  g_return_if_fail (self->initiative_id != NULL);

  g_signal_connect (self, "saved", G_CALLBACK (on_saved_cb), NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self), FALSE);
  buurten_editor_set_busy (editor, TRUE);
  buurten_store_load_async (buurten_context_get_store (context), buurten_grant_money_load,
                            g_strdup (self->initiative_id), g_free,
                            (GDestroyNotify) buurten_grant_money_free,
                            buurten_editor_get_cancellable (editor), loaded_cb,
                            g_object_ref (self));
}

static void
buurten_verantwoording_dialog_get_property (GObject    *object,
                                            guint       prop_id,
                                            GValue     *value,
                                            GParamSpec *pspec)
{
  BuurtenVerantwoordingDialog *self = BUURTEN_VERANTWOORDING_DIALOG (object);

  switch (prop_id)
    {
    case PROP_INITIATIVE_ID:
      g_value_set_string (value, self->initiative_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
buurten_verantwoording_dialog_set_property (GObject      *object,
                                            guint         prop_id,
                                            const GValue *value,
                                            GParamSpec   *pspec)
{
  BuurtenVerantwoordingDialog *self = BUURTEN_VERANTWOORDING_DIALOG (object);

  switch (prop_id)
    {
    case PROP_INITIATIVE_ID:
      g_free (self->initiative_id);
      self->initiative_id = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
buurten_verantwoording_dialog_dispose (GObject *object)
{
  BuurtenVerantwoordingDialog *self = BUURTEN_VERANTWOORDING_DIALOG (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  g_clear_pointer (&self->line_rows, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (object), BUURTEN_TYPE_VERANTWOORDING_DIALOG);

  G_OBJECT_CLASS (buurten_verantwoording_dialog_parent_class)->dispose (object);
}

static void
buurten_verantwoording_dialog_finalize (GObject *object)
{
  BuurtenVerantwoordingDialog *self = BUURTEN_VERANTWOORDING_DIALOG (object);

  g_free (self->initiative_id);
  buurten_grant_money_free (self->grant);
  g_clear_pointer (&self->attachments, g_ptr_array_unref);
  g_clear_pointer (&self->pending_batch, buurten_form_batch_free);
  g_free (self->pending_id);

  G_OBJECT_CLASS (buurten_verantwoording_dialog_parent_class)->finalize (object);
}

static void
buurten_verantwoording_dialog_class_init (BuurtenVerantwoordingDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  BuurtenEditorClass *editor_class = BUURTEN_EDITOR_CLASS (klass);

  object_class->constructed = buurten_verantwoording_dialog_constructed;
  object_class->get_property = buurten_verantwoording_dialog_get_property;
  object_class->set_property = buurten_verantwoording_dialog_set_property;
  object_class->dispose = buurten_verantwoording_dialog_dispose;
  object_class->finalize = buurten_verantwoording_dialog_finalize;

  editor_class->entity_type = "verantwoording";
  editor_class->save = save;

  properties[PROP_INITIATIVE_ID] =
    g_param_spec_string ("initiative-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/nl/hilversum/Buurten/"
                                               "buurten-verantwoording-dialog.ui");
#define BIND(name) \
  gtk_widget_class_bind_template_child (widget_class, BuurtenVerantwoordingDialog, name)
  BIND (form_error_label);
  BIND (approved_row);
  BIND (paid_row);
  BIND (release_row);
  BIND (lines_group);
  BIND (lines_error_label);
  BIND (happened_view);
  BIND (happened_error_label);
  BIND (feedback_view);
  BIND (feedback_error_label);
  BIND (attachments_list);
  BIND (attach_error_label);
  BIND (done_check);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_attach_clicked_cb);
}

static void
buurten_verantwoording_dialog_init (BuurtenVerantwoordingDialog *self)
{
  self->line_rows = g_ptr_array_new ();
  self->attachments = g_ptr_array_new_with_free_func ((GDestroyNotify) buurten_blob_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  buurten_editor_set_error_label (BUURTEN_EDITOR (self), self->form_error_label);
}

GtkWidget *
buurten_verantwoording_dialog_new (BuurtenContext *context,
                                   const char     *initiative_id)
{
  g_return_val_if_fail (BUURTEN_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (initiative_id != NULL, NULL);

  return g_object_new (BUURTEN_TYPE_VERANTWOORDING_DIALOG,
                       "context", context,
                       "initiative-id", initiative_id,
                       NULL);
}
