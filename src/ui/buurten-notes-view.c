/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-notes-view"

#include "config.h"

#include "buurten-notes-view.h"

#include <glib/gi18n.h>

#include "buurten-form.h"
#include "buurten-format.h"

struct _BuurtenNotesView
{
  AdwBin          parent_instance;

  /* template widgets */
  GtkListBox     *notes_list;
  GtkEntry       *note_entry;
  GtkWidget      *add_button;
  GtkLabel       *error_label;

  /* owned references */
  BuurtenContext *context;
  GCancellable   *cancellable;

  /* plain data */
  char           *subject_type;
  char           *subject_id;
  guint           n_notes;
};

G_DEFINE_FINAL_TYPE (BuurtenNotesView, buurten_notes_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- helpers --------------------------------------------------------- */

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
show_error (BuurtenNotesView *self,
            const char       *message)
{
  gtk_label_set_label (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static GtkWidget *
create_placeholder (void)
{
  GtkWidget *label = gtk_label_new (_("No notes yet"));

  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_set_margin_top (label, 12);
  gtk_widget_set_margin_bottom (label, 12);
  return label;
}

/* A note: who and when above, the text below, selectable. */
static GtkWidget *
create_note_row (const BuurtenNote *note)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *row = gtk_list_box_row_new ();
  g_autofree char *when = buurten_format_timestamp (note->created_at);
  g_autofree char *header = NULL;
  g_autofree char *label = NULL;
  GtkWidget *who;
  GtkWidget *body;

  /* Translators: above a note: its author and when it was written,
   * e.g. "f.elamrani · ma 27 apr 14:00" */
  header = g_strdup_printf (_("%1$s · %2$s"), note->author != NULL ? note->author : "", when);
  who = gtk_label_new (header);
  gtk_label_set_xalign (GTK_LABEL (who), 0);
  gtk_label_set_wrap (GTK_LABEL (who), TRUE);
  gtk_widget_add_css_class (who, "caption");
  gtk_widget_add_css_class (who, "dim-label");
  body = gtk_label_new (note->body != NULL ? note->body : "");
  gtk_label_set_xalign (GTK_LABEL (body), 0);
  gtk_label_set_wrap (GTK_LABEL (body), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (body), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (body), TRUE);
  gtk_box_append (GTK_BOX (box), who);
  gtk_box_append (GTK_BOX (box), body);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);

  /* Translators: the accessible name of a note: author, then its text */
  label = g_strdup_printf (_("Note by %1$s: %2$s"), note->author != NULL ? note->author : "",
                           note->body != NULL ? note->body : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  return row;
}

static int
compare_notes_newest_first (gconstpointer a,
                            gconstpointer b)
{
  const BuurtenNote *x = *(BuurtenNote * const *) a;
  const BuurtenNote *y = *(BuurtenNote * const *) b;

  if (x->created_at != y->created_at)
    return x->created_at > y->created_at ? -1 : 1;
  return g_strcmp0 (x->id, y->id);
}

/* ---- loading --------------------------------------------------------- */

typedef struct
{
  char *type;
  char *id;
} LoadData;

static void
load_data_free (gpointer data)
{
  LoadData *load = data;

  g_free (load->type);
  g_free (load->id);
  g_free (load);
}

static gpointer
load_in_thread (BuurtenStore  *store,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  LoadData *load = data;

  return buurten_notes_view_load_notes (store, load->type, load->id, error);
}

static void
load_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(BuurtenNotesView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) notes = NULL;

  notes = buurten_store_load_finish (BUURTEN_STORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (notes == NULL)
    {
      if (!g_error_matches (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_OPEN))
        g_message ("Cannot load the notes: %s", error != NULL ? error->message : "unknown error");
      return;
    }
  buurten_notes_view_set_notes (self, notes);
}

/* ---- saving ---------------------------------------------------------- */

typedef struct
{
  BuurtenNotesView *self;   /* owned */
  BuurtenNote      *note;   /* owned */
} SaveData;

static void
saved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  SaveData *save = user_data;
  g_autoptr(BuurtenNotesView) self = save->self;
  g_autoptr(BuurtenNote) note = save->note;
  g_autoptr(GError) error = NULL;

  g_free (save);
  if (!buurten_store_write_finish (BUURTEN_STORE (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      show_error (self, error->message);
      gtk_widget_set_sensitive (self->add_button, TRUE);
      return;
    }

  gtk_widget_set_sensitive (self->add_button, TRUE);
  /* Still about the same subject: the new note on top, at once. */
  if (g_strcmp0 (self->subject_id, note->subject_id) == 0)
    {
      if (self->n_notes == 0)
        clear_list (self->notes_list);
      gtk_list_box_prepend (self->notes_list, create_note_row (note));
      self->n_notes++;
      gtk_editable_set_text (GTK_EDITABLE (self->note_entry), "");
    }
  buurten_context_notify_changed (self->context, "note", note->id);
}

static JsonNode *
create_args (const BuurtenNote *note)
{
  JsonObject *args = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (args, "id", note->id);
  json_object_set_string_member (args, "subject_type", note->subject_type);
  json_object_set_string_member (args, "subject_id", note->subject_id);
  json_object_set_string_member (args, "body", note->body);
  json_node_take_object (node, args);
  return node;
}

/* ---- signal callbacks ------------------------------------------------ */

static void
on_add_button_clicked_cb (BuurtenNotesView *self)
{
  g_autofree char *body = NULL;
  g_autoptr(BuurtenNote) note = NULL;
  g_autoptr(GError) error = NULL;
  BuurtenFormBatch *batch;
  SaveData *save;

  if (self->context == NULL || self->subject_id == NULL)
    return;

  body = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->note_entry))));
  if (body[0] == '\0')
    {
      show_error (self, _("Write the note first."));
      gtk_widget_grab_focus (GTK_WIDGET (self->note_entry));
      return;
    }

  note = buurten_note_new ();
  note->id = buurten_uuid_new ();
  note->subject_type = g_strdup (self->subject_type);
  note->subject_id = g_strdup (self->subject_id);
  note->body = g_steal_pointer (&body);
  note->author = g_strdup (buurten_context_get_user_name (self->context));
  note->created_at = g_get_real_time () / G_USEC_PER_SEC;
  if (!buurten_entity_validate (&buurten_note_info, note, &error))
    {
      show_error (self, _("This note cannot be saved: it is too long."));
      return;
    }
  show_error (self, NULL);

  batch = buurten_form_batch_new (buurten_context_get_user_name (self->context));
  buurten_form_batch_put (batch, &buurten_note_info, buurten_note_copy (note),
                          buurten_mutation_name (BUURTEN_MUTATION_NOTE_CREATE),
                          create_args (note));
  gtk_widget_set_sensitive (self->add_button, FALSE);
  save = g_new0 (SaveData, 1);
  save->self = g_object_ref (self);
  save->note = g_steal_pointer (&note);
  buurten_form_batch_save_async (batch, self->context, self->cancellable, saved_cb, save);
}

/* ---- GObject --------------------------------------------------------- */

static void
buurten_notes_view_dispose (GObject *object)
{
  BuurtenNotesView *self = BUURTEN_NOTES_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->context);
  gtk_widget_dispose_template (GTK_WIDGET (self), BUURTEN_TYPE_NOTES_VIEW);

  G_OBJECT_CLASS (buurten_notes_view_parent_class)->dispose (object);
}

static void
buurten_notes_view_finalize (GObject *object)
{
  BuurtenNotesView *self = BUURTEN_NOTES_VIEW (object);

  g_free (self->subject_type);
  g_free (self->subject_id);

  G_OBJECT_CLASS (buurten_notes_view_parent_class)->finalize (object);
}

static void
buurten_notes_view_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  BuurtenNotesView *self = BUURTEN_NOTES_VIEW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
buurten_notes_view_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  BuurtenNotesView *self = BUURTEN_NOTES_VIEW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      buurten_notes_view_set_context (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
buurten_notes_view_class_init (BuurtenNotesViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = buurten_notes_view_dispose;
  object_class->finalize = buurten_notes_view_finalize;
  object_class->get_property = buurten_notes_view_get_property;
  object_class->set_property = buurten_notes_view_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, BUURTEN_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/nl/hilversum/Buurten/buurten-notes-view.ui");
  gtk_widget_class_bind_template_child (widget_class, BuurtenNotesView, notes_list);
  gtk_widget_class_bind_template_child (widget_class, BuurtenNotesView, note_entry);
  gtk_widget_class_bind_template_child (widget_class, BuurtenNotesView, add_button);
  gtk_widget_class_bind_template_child (widget_class, BuurtenNotesView, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_add_button_clicked_cb);
}

static void
buurten_notes_view_init (BuurtenNotesView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_list_box_append (self->notes_list, create_placeholder ());
}

/* ---- public API ------------------------------------------------------ */

GtkWidget *
buurten_notes_view_new (void)
{
  return g_object_new (BUURTEN_TYPE_NOTES_VIEW, NULL);
}

BuurtenContext *
buurten_notes_view_get_context (BuurtenNotesView *self)
{
  g_return_val_if_fail (BUURTEN_IS_NOTES_VIEW (self), NULL);

  return self->context;
}

void
buurten_notes_view_set_context (BuurtenNotesView *self,
                                BuurtenContext   *context)
{
  g_return_if_fail (BUURTEN_IS_NOTES_VIEW (self));
  g_return_if_fail (context == NULL || BUURTEN_IS_CONTEXT (context));

  if (!g_set_object (&self->context, context))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTEXT]);
}

void
buurten_notes_view_set_subject (BuurtenNotesView *self,
                                const char       *subject_type,
                                const char       *subject_id,
                                gboolean          load)
{
  LoadData *data;

  g_return_if_fail (BUURTEN_IS_NOTES_VIEW (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  if (g_strcmp0 (self->subject_id, subject_id) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->note_entry), "");
  g_free (self->subject_type);
  self->subject_type = g_strdup (subject_type);
  g_free (self->subject_id);
  self->subject_id = g_strdup (subject_id);
  show_error (self, NULL);
  gtk_widget_set_sensitive (self->add_button, TRUE);
  clear_list (self->notes_list);
  self->n_notes = 0;
  gtk_list_box_append (self->notes_list, create_placeholder ());

  if (!load || subject_id == NULL || self->context == NULL)
    return;

  data = g_new0 (LoadData, 1);
  data->type = g_strdup (subject_type);
  data->id = g_strdup (subject_id);
  buurten_store_load_async (buurten_context_get_store (self->context), load_in_thread, data,
                            load_data_free, (GDestroyNotify) g_ptr_array_unref,
                            self->cancellable, load_cb, g_object_ref (self));
}

const char *
buurten_notes_view_get_subject_id (BuurtenNotesView *self)
{
  g_return_val_if_fail (BUURTEN_IS_NOTES_VIEW (self), NULL);

  return self->subject_id;
}

void
buurten_notes_view_set_notes (BuurtenNotesView *self,
                              GPtrArray        *notes)
{
  g_return_if_fail (BUURTEN_IS_NOTES_VIEW (self));

  clear_list (self->notes_list);
  self->n_notes = 0;
  for (guint i = 0; notes != NULL && i < notes->len; i++)
    {
      const BuurtenNote *note = g_ptr_array_index (notes, i);

      if (g_strcmp0 (note->subject_id, self->subject_id) != 0)
        continue;
      gtk_list_box_append (self->notes_list, create_note_row (note));
      self->n_notes++;
    }
  if (self->n_notes == 0)
    gtk_list_box_append (self->notes_list, create_placeholder ());
}

GPtrArray *
buurten_notes_view_load_notes (BuurtenStore  *store,
                               const char    *subject_type,
                               const char    *subject_id,
                               GError       **error)
{
  GPtrArray *notes;

  g_return_val_if_fail (subject_type != NULL && subject_id != NULL, NULL);

  notes = buurten_store_list (store, &buurten_note_info, "subject_id", subject_id, error);
  if (notes == NULL)
    return NULL;
  g_ptr_array_set_free_func (notes, (GDestroyNotify) buurten_note_free);
  for (guint i = notes->len; i > 0; i--)
    {
      const BuurtenNote *note = g_ptr_array_index (notes, i - 1);

      if (g_strcmp0 (note->subject_type, subject_type) != 0)
        g_ptr_array_remove_index (notes, i - 1);
    }
  g_ptr_array_sort (notes, compare_notes_newest_first);
  return notes;
}
