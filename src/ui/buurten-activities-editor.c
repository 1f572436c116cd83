/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-activities-editor"

#include "config.h"

#include "buurten-activities-editor.h"

#include <glib/gi18n.h>

typedef struct
{
  BuurtenActivitiesEditor *self;     /* borrowed */
  GtkWidget               *row;      /* the GtkListBoxRow, owned by the list */
  GtkWidget               *fields;   /* the box of the editable fields */
  GtkEditable             *date;
  GtkEditable             *title;
  GtkEditable             *place;
  GtkLabel                *error_label;
  GtkButton               *remove;
  BuurtenActivity         *stored;   /* owned copy; NULL for a new row */
} ActivityRow;

struct _BuurtenActivitiesEditor
{
  AdwBin       parent_instance;

  /* template widgets */
  GtkListBox  *rows_list;
  GtkButton   *add_button;

  /* owned */
  GPtrArray   *rows;      /* ActivityRow*, in order */
  GPtrArray   *removed;   /* char*, ids of stored activities removed */
  gboolean     editable;
};

G_DEFINE_FINAL_TYPE (BuurtenActivitiesEditor, buurten_activities_editor, ADW_TYPE_BIN)

enum { PROP_0, PROP_EDITABLE, N_PROPS };
enum { CHANGED, N_SIGNALS };

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
activity_row_free (gpointer data)
{
  ActivityRow *row = data;

  buurten_activity_free (row->stored);
  g_free (row);
}

static void
renumber (BuurtenActivitiesEditor *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      ActivityRow *row = g_ptr_array_index (self->rows, i);
      /* Translators: accessible names of a date of the plan; %u is its number */
      g_autofree char *date = g_strdup_printf (_("Date %u: day"), i + 1);
      g_autofree char *title = g_strdup_printf (_("Date %u: what happens"), i + 1);
      g_autofree char *place = g_strdup_printf (_("Date %u: where"), i + 1);
      g_autofree char *remove = g_strdup_printf (_("Remove date %u"), i + 1);

      gtk_accessible_update_property (GTK_ACCESSIBLE (row->date),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, date, -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row->title),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row->place),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, place, -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row->remove),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, remove, -1);
      gtk_widget_set_tooltip_text (GTK_WIDGET (row->remove), remove);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->rows_list), self->rows->len > 0);
}

static void
on_date_changed_cb (GtkEditable *date,
                    ActivityRow *row)
{
  if (gtk_widget_get_visible (GTK_WIDGET (row->error_label)) &&
      buurten_form_parse_date (gtk_editable_get_text (date), &(GDate) { 0 }, NULL))
    buurten_form_show_error (GTK_WIDGET (date), row->error_label, NULL);
}

static void
on_remove_clicked_cb (GtkButton   *button,
                      ActivityRow *row)
{
  BuurtenActivitiesEditor *self = row->self;

  if (row->stored != NULL)
    g_ptr_array_add (self->removed, g_strdup (row->stored->id));
  gtk_list_box_remove (self->rows_list, row->row);
  g_ptr_array_remove (self->rows, row);
  renumber (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static GtkWidget *
entry_new (const char *placeholder,
           int         width)
{
  GtkWidget *entry = gtk_entry_new ();

  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), placeholder);
  if (width > 0)
    gtk_editable_set_width_chars (GTK_EDITABLE (entry), width);
  else
    gtk_widget_set_hexpand (entry, TRUE);
  return entry;
}

static ActivityRow *
add_row (BuurtenActivitiesEditor *self,
         const BuurtenActivity   *shown,
         gboolean                 is_stored)
{
  const BuurtenActivity *stored = is_stored ? shown : NULL;
  ActivityRow *row = g_new0 (ActivityRow, 1);
  GtkWidget *vbox = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *hbox = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *error = gtk_label_new (NULL);

  row->self = self;
  row->stored = stored != NULL ? buurten_activity_copy (stored) : NULL;
  /* Translators: the placeholder of a date field */
  row->date = GTK_EDITABLE (entry_new (_("dd-mm-yyyy"), 11));
  row->title = GTK_EDITABLE (entry_new (_("What happens"), 0));
  row->place = GTK_EDITABLE (entry_new (_("Where"), 14));
  row->error_label = GTK_LABEL (error);
  row->remove = GTK_BUTTON (gtk_button_new_from_icon_name ("user-trash-symbolic"));
  row->fields = hbox;
  gtk_widget_add_css_class (GTK_WIDGET (row->remove), "flat");

  if (shown != NULL)
    {
      g_autofree char *date = g_date_valid (&shown->starts_on)
                                ? buurten_form_format_date (&shown->starts_on)
                                : g_strdup ("");

      gtk_editable_set_text (row->date, date);
      gtk_editable_set_text (row->title, shown->title != NULL ? shown->title : "");
      gtk_editable_set_text (row->place, shown->place != NULL ? shown->place : "");
    }

  gtk_label_set_xalign (GTK_LABEL (error), 0);
  gtk_label_set_wrap (GTK_LABEL (error), TRUE);
  gtk_widget_add_css_class (error, "error");
  gtk_widget_add_css_class (error, "caption");
  gtk_widget_set_visible (error, FALSE);

  gtk_box_append (GTK_BOX (hbox), GTK_WIDGET (row->date));
  gtk_box_append (GTK_BOX (hbox), GTK_WIDGET (row->title));
  gtk_box_append (GTK_BOX (hbox), GTK_WIDGET (row->place));
  gtk_box_append (GTK_BOX (hbox), GTK_WIDGET (row->remove));
  gtk_box_append (GTK_BOX (vbox), hbox);
  gtk_box_append (GTK_BOX (vbox), error);
  gtk_widget_set_margin_top (vbox, 6);
  gtk_widget_set_margin_bottom (vbox, 6);
  gtk_widget_set_margin_start (vbox, 6);
  gtk_widget_set_margin_end (vbox, 6);
  gtk_widget_set_sensitive (hbox, self->editable);

  row->row = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row->row), FALSE);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row->row), vbox);

  g_signal_connect (row->date, "changed", G_CALLBACK (on_date_changed_cb), row);
  g_signal_connect (row->remove, "clicked", G_CALLBACK (on_remove_clicked_cb), row);

  gtk_list_box_append (self->rows_list, row->row);
  g_ptr_array_add (self->rows, row);
  renumber (self);
  return row;
}

static void
on_add_clicked_cb (BuurtenActivitiesEditor *self)
{
  ActivityRow *row = add_row (self, NULL, FALSE);

  g_signal_emit (self, signals[CHANGED], 0);
  gtk_widget_grab_focus (GTK_WIDGET (row->date));
}

static void
buurten_activities_editor_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  BuurtenActivitiesEditor *self = BUURTEN_ACTIVITIES_EDITOR (object);

  switch (prop_id)
    {
    case PROP_EDITABLE:
      g_value_set_boolean (value, self->editable);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
buurten_activities_editor_set_property (GObject      *object,
                                        guint         prop_id,
                                        const GValue *value,
                                        GParamSpec   *pspec)
{
  BuurtenActivitiesEditor *self = BUURTEN_ACTIVITIES_EDITOR (object);

  switch (prop_id)
    {
    case PROP_EDITABLE:
      buurten_activities_editor_set_editable (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
buurten_activities_editor_dispose (GObject *object)
{
  BuurtenActivitiesEditor *self = BUURTEN_ACTIVITIES_EDITOR (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), BUURTEN_TYPE_ACTIVITIES_EDITOR);

  G_OBJECT_CLASS (buurten_activities_editor_parent_class)->dispose (object);
}

static void
buurten_activities_editor_finalize (GObject *object)
{
  BuurtenActivitiesEditor *self = BUURTEN_ACTIVITIES_EDITOR (object);

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->removed, g_ptr_array_unref);

  G_OBJECT_CLASS (buurten_activities_editor_parent_class)->finalize (object);
}

static void
buurten_activities_editor_class_init (BuurtenActivitiesEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = buurten_activities_editor_get_property;
  object_class->set_property = buurten_activities_editor_set_property;
  object_class->dispose = buurten_activities_editor_dispose;
  object_class->finalize = buurten_activities_editor_finalize;

  properties[PROP_EDITABLE] =
    g_param_spec_boolean ("editable", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/nl/hilversum/Buurten/"
                                               "buurten-activities-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, BuurtenActivitiesEditor, rows_list);
  gtk_widget_class_bind_template_child (widget_class, BuurtenActivitiesEditor, add_button);
  gtk_widget_class_bind_template_callback (widget_class, on_add_clicked_cb);
}

static void
buurten_activities_editor_init (BuurtenActivitiesEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_ptr_array_new_with_free_func (activity_row_free);
  self->removed = g_ptr_array_new_with_free_func (g_free);
  self->editable = TRUE;
}

GtkWidget *
buurten_activities_editor_new (void)
{
  return g_object_new (BUURTEN_TYPE_ACTIVITIES_EDITOR, NULL);
}

void
buurten_activities_editor_set_activities (BuurtenActivitiesEditor *self,
                                          GPtrArray               *activities)
{
  g_return_if_fail (BUURTEN_IS_ACTIVITIES_EDITOR (self));

  while (self->rows->len > 0)
    {
      ActivityRow *row = g_ptr_array_index (self->rows, self->rows->len - 1);

      gtk_list_box_remove (self->rows_list, row->row);
      g_ptr_array_remove_index (self->rows, self->rows->len - 1);
    }
  g_ptr_array_set_size (self->removed, 0);

  for (guint i = 0; activities != NULL && i < activities->len; i++)
    add_row (self, g_ptr_array_index (activities, i), TRUE);
  renumber (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

void
buurten_activities_editor_add_new_activities (BuurtenActivitiesEditor *self,
                                              GPtrArray               *activities)
{
  g_return_if_fail (BUURTEN_IS_ACTIVITIES_EDITOR (self));

  for (guint i = 0; activities != NULL && i < activities->len; i++)
    add_row (self, g_ptr_array_index (activities, i), FALSE);
  renumber (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

gboolean
buurten_activities_editor_get_editable (BuurtenActivitiesEditor *self)
{
  g_return_val_if_fail (BUURTEN_IS_ACTIVITIES_EDITOR (self), FALSE);

  return self->editable;
}

void
buurten_activities_editor_set_editable (BuurtenActivitiesEditor *self,
                                        gboolean                 editable)
{
  g_return_if_fail (BUURTEN_IS_ACTIVITIES_EDITOR (self));

  editable = !!editable;
  if (self->editable == editable)
    return;

  self->editable = editable;
  gtk_widget_set_visible (GTK_WIDGET (self->add_button), editable);
  for (guint i = 0; i < self->rows->len; i++)
    {
      ActivityRow *row = g_ptr_array_index (self->rows, i);

      gtk_widget_set_sensitive (row->fields, editable);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EDITABLE]);
}

guint
buurten_activities_editor_get_n_activities (BuurtenActivitiesEditor *self)
{
  g_return_val_if_fail (BUURTEN_IS_ACTIVITIES_EDITOR (self), 0);

  return self->rows->len;
}

gboolean
buurten_activities_editor_validate (BuurtenActivitiesEditor *self)
{
  gboolean ok = TRUE;

  g_return_val_if_fail (BUURTEN_IS_ACTIVITIES_EDITOR (self), FALSE);

  for (guint i = 0; i < self->rows->len; i++)
    {
      ActivityRow *row = g_ptr_array_index (self->rows, i);
      g_autoptr(GError) error = NULL;
      GDate date;

      if (!buurten_form_parse_date (gtk_editable_get_text (row->date), &date, &error))
        {
          buurten_form_show_error (GTK_WIDGET (row->date), row->error_label, error->message);
          ok = FALSE;
        }
      else
        buurten_form_show_error (GTK_WIDGET (row->date), row->error_label, NULL);
    }
  return ok;
}

void
buurten_activities_editor_add_to_batch (BuurtenActivitiesEditor *self,
                                        BuurtenFormBatch        *batch,
                                        const char              *initiative_id)
{
  g_return_if_fail (BUURTEN_IS_ACTIVITIES_EDITOR (self));
  g_return_if_fail (batch != NULL);
  g_return_if_fail (initiative_id != NULL);

  for (guint i = 0; i < self->removed->len; i++)
    {
      const char *id = g_ptr_array_index (self->removed, i);
      JsonNode *args = json_node_new (JSON_NODE_OBJECT);
      JsonObject *object = json_object_new ();

      json_object_set_string_member (object, "id", id);
      json_node_take_object (args, object);
      buurten_form_batch_delete (batch, &buurten_activity_info, id,
                                 buurten_mutation_name (BUURTEN_MUTATION_ACTIVITY_REMOVE), args);
    }

  for (guint i = 0; i < self->rows->len; i++)
    {
      ActivityRow *row = g_ptr_array_index (self->rows, i);
      g_autoptr(BuurtenActivity) entity = row->stored != NULL
                                            ? buurten_activity_copy (row->stored)
                                            : buurten_activity_new ();
      GDate date;

      if (!buurten_form_parse_date (gtk_editable_get_text (row->date), &date, NULL))
        continue;   /* validate() said so at the field */
      if (entity->id == NULL)
        entity->id = buurten_uuid_new ();
      g_free (entity->initiative_id);
      entity->initiative_id = g_strdup (initiative_id);
      entity->starts_on = date;
      g_free (entity->title);
      entity->title = buurten_form_get_text (row->title);
      g_free (entity->place);
      entity->place = buurten_form_get_text (row->place);

      if (row->stored == NULL)
        {
          JsonNode *args = buurten_form_args (BUURTEN_MUTATION_ACTIVITY_ADD,
                                              &buurten_activity_info, entity);

          buurten_form_batch_put (batch, &buurten_activity_info, g_steal_pointer (&entity),
                                  buurten_mutation_name (BUURTEN_MUTATION_ACTIVITY_ADD), args);
        }
      else
        {
          JsonNode *args = buurten_form_update_args (BUURTEN_MUTATION_ACTIVITY_UPDATE,
                                                     &buurten_activity_info, row->stored,
                                                     entity);

          if (args != NULL)
            buurten_form_batch_put (batch, &buurten_activity_info, g_steal_pointer (&entity),
                                    buurten_mutation_name (BUURTEN_MUTATION_ACTIVITY_UPDATE),
                                    args);
        }
    }
}
