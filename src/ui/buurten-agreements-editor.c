/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-agreements-editor"

#include "config.h"

#include "buurten-agreements-editor.h"

#include <glib/gi18n.h>

typedef struct
{
  BuurtenAgreementsEditor *self;         /* borrowed */
  GtkWidget               *row;          /* the GtkListBoxRow, owned by the list */
  GtkEditable             *description;
  GtkEditable             *owner;
  GtkEditable             *due;
  GtkDropDown             *progress;
  GtkLabel                *error_label;
  GtkButton               *remove;
  BuurtenAgreement        *stored;       /* owned copy; NULL for a new row */
} AgreementRow;

struct _BuurtenAgreementsEditor
{
  AdwBin                parent_instance;

  /* template widgets */
  GtkListBox           *rows_list;
  GtkButton            *add_button;

  /* owned */
  GPtrArray            *rows;      /* AgreementRow*, in order */
  GPtrArray            *removed;   /* char*, ids of stored agreements removed */
  BuurtenAgreementSide  side;
};

G_DEFINE_FINAL_TYPE (BuurtenAgreementsEditor, buurten_agreements_editor, ADW_TYPE_BIN)

enum { PROP_0, PROP_SIDE, N_PROPS };
enum { CHANGED, N_SIGNALS };

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* The entity's progress, in its order. */
static const char * const progress_labels[] = {
  N_("Not started"), N_("Underway"), N_("Done"), NULL
};

static void
agreement_row_free (gpointer data)
{
  AgreementRow *row = data;

  buurten_agreement_free (row->stored);
  g_free (row);
}

static const char *
side_label (BuurtenAgreementsEditor *self)
{
  /* Translators: who an agreement of a buurtdeal is for, in accessible names */
  return self->side == BUURTEN_AGREEMENT_RESIDENTS ? _("Residents") : _("Municipality");
}

static void
renumber (BuurtenAgreementsEditor *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      AgreementRow *row = g_ptr_array_index (self->rows, i);
      /* Translators: accessible names of an agreement's fields, e.g.
       * "Residents, agreement 1: what"; %s is the side, %u its number */
      g_autofree char *what = g_strdup_printf (_("%s, agreement %u: what"), side_label (self),
                                               i + 1);
      g_autofree char *owner = g_strdup_printf (_("%s, agreement %u: who"), side_label (self),
                                                i + 1);
      g_autofree char *due = g_strdup_printf (_("%s, agreement %u: by when"), side_label (self),
                                              i + 1);
      g_autofree char *progress = g_strdup_printf (_("%s, agreement %u: progress"),
                                                   side_label (self), i + 1);
      g_autofree char *remove = g_strdup_printf (_("%s, agreement %u: remove"),
                                                 side_label (self), i + 1);

      gtk_accessible_update_property (GTK_ACCESSIBLE (row->description),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, what, -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row->owner),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, owner, -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row->due),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, due, -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row->progress),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, progress, -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row->remove),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, remove, -1);
      gtk_widget_set_tooltip_text (GTK_WIDGET (row->remove), remove);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->rows_list), self->rows->len > 0);
}

static void
emit_changed (BuurtenAgreementsEditor *self)
{
  if (!gtk_widget_in_destruction (GTK_WIDGET (self)))
    g_signal_emit (self, signals[CHANGED], 0);
}

static void
on_remove_clicked_cb (GtkButton    *button,
                      AgreementRow *row)
{
  BuurtenAgreementsEditor *self = row->self;

  if (row->stored != NULL)
    g_ptr_array_add (self->removed, g_strdup (row->stored->id));
  gtk_list_box_remove (self->rows_list, row->row);
  g_ptr_array_remove (self->rows, row);
  renumber (self);
  emit_changed (self);
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

static AgreementRow *
add_row (BuurtenAgreementsEditor *self,
         const BuurtenAgreement  *stored)
{
  AgreementRow *row = g_new0 (AgreementRow, 1);
  g_autoptr(GtkStringList) progress = gtk_string_list_new (NULL);
  GtkWidget *vbox = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *bottom = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *error = gtk_label_new (NULL);

  for (guint i = 0; progress_labels[i] != NULL; i++)
    gtk_string_list_append (progress, _(progress_labels[i]));

  row->self = self;
  row->stored = stored != NULL ? buurten_agreement_copy (stored) : NULL;
  row->description = GTK_EDITABLE (entry_new (_("What is agreed"), 0));
  row->owner = GTK_EDITABLE (entry_new (_("Who does it"), 0));
  /* Translators: the placeholder of a date field */
  row->due = GTK_EDITABLE (entry_new (_("dd-mm-yyyy"), 11));
  row->progress = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_object_ref (progress)),
                                                    NULL));
  row->error_label = GTK_LABEL (error);
  row->remove = GTK_BUTTON (gtk_button_new_from_icon_name ("user-trash-symbolic"));
  gtk_widget_add_css_class (GTK_WIDGET (row->remove), "flat");

  if (stored != NULL)
    {
      g_autofree char *due = g_date_valid (&stored->due_on)
                               ? buurten_form_format_date (&stored->due_on) : g_strdup ("");

      gtk_editable_set_text (row->description,
                             stored->description != NULL ? stored->description : "");
      gtk_editable_set_text (row->owner, stored->owner != NULL ? stored->owner : "");
      gtk_editable_set_text (row->due, due);
      gtk_drop_down_set_selected (row->progress, stored->progress);
    }

  gtk_label_set_xalign (GTK_LABEL (error), 0);
  gtk_label_set_wrap (GTK_LABEL (error), TRUE);
  gtk_widget_add_css_class (error, "error");
  gtk_widget_add_css_class (error, "caption");
  gtk_widget_set_visible (error, FALSE);

  /* Tab goes what, who, by when, progress, and only then remove. */
  gtk_box_append (GTK_BOX (top), GTK_WIDGET (row->description));
  gtk_box_append (GTK_BOX (bottom), GTK_WIDGET (row->owner));
  gtk_box_append (GTK_BOX (bottom), GTK_WIDGET (row->due));
  gtk_box_append (GTK_BOX (bottom), GTK_WIDGET (row->progress));
  gtk_box_append (GTK_BOX (bottom), GTK_WIDGET (row->remove));
  gtk_box_append (GTK_BOX (vbox), top);
  gtk_box_append (GTK_BOX (vbox), bottom);
  gtk_box_append (GTK_BOX (vbox), error);
  gtk_widget_set_margin_top (vbox, 6);
  gtk_widget_set_margin_bottom (vbox, 6);
  gtk_widget_set_margin_start (vbox, 6);
  gtk_widget_set_margin_end (vbox, 6);

  row->row = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row->row), FALSE);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row->row), vbox);

  g_signal_connect_swapped (row->description, "changed", G_CALLBACK (emit_changed), self);
  g_signal_connect (row->remove, "clicked", G_CALLBACK (on_remove_clicked_cb), row);

  gtk_list_box_append (self->rows_list, row->row);
  g_ptr_array_add (self->rows, row);
  renumber (self);
  return row;
}

static void
on_add_clicked_cb (BuurtenAgreementsEditor *self)
{
  AgreementRow *row = add_row (self, NULL);

  emit_changed (self);
  gtk_widget_grab_focus (GTK_WIDGET (row->description));
}

static void
buurten_agreements_editor_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  BuurtenAgreementsEditor *self = BUURTEN_AGREEMENTS_EDITOR (object);

  switch (prop_id)
    {
    case PROP_SIDE:
      g_value_set_int (value, self->side);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
buurten_agreements_editor_set_property (GObject      *object,
                                        guint         prop_id,
                                        const GValue *value,
                                        GParamSpec   *pspec)
{
  BuurtenAgreementsEditor *self = BUURTEN_AGREEMENTS_EDITOR (object);

  switch (prop_id)
    {
    case PROP_SIDE:
      self->side = (BuurtenAgreementSide) g_value_get_int (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
buurten_agreements_editor_constructed (GObject *object)
{
  BuurtenAgreementsEditor *self = BUURTEN_AGREEMENTS_EDITOR (object);
  const char *label;

  G_OBJECT_CLASS (buurten_agreements_editor_parent_class)->constructed (object);

  label = self->side == BUURTEN_AGREEMENT_RESIDENTS ? _("Add Agreement of the Residents")
                                                    : _("Add Agreement of the Municipality");
  gtk_button_set_label (self->add_button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->add_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->rows_list),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  self->side == BUURTEN_AGREEMENT_RESIDENTS
                                    ? _("What the residents do")
                                    : _("What the municipality does"), -1);
}

static void
buurten_agreements_editor_dispose (GObject *object)
{
  BuurtenAgreementsEditor *self = BUURTEN_AGREEMENTS_EDITOR (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), BUURTEN_TYPE_AGREEMENTS_EDITOR);

  G_OBJECT_CLASS (buurten_agreements_editor_parent_class)->dispose (object);
}

static void
buurten_agreements_editor_finalize (GObject *object)
{
  BuurtenAgreementsEditor *self = BUURTEN_AGREEMENTS_EDITOR (object);

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->removed, g_ptr_array_unref);

  G_OBJECT_CLASS (buurten_agreements_editor_parent_class)->finalize (object);
}

static void
buurten_agreements_editor_class_init (BuurtenAgreementsEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = buurten_agreements_editor_get_property;
  object_class->set_property = buurten_agreements_editor_set_property;
  object_class->constructed = buurten_agreements_editor_constructed;
  object_class->dispose = buurten_agreements_editor_dispose;
  object_class->finalize = buurten_agreements_editor_finalize;

  /* BuurtenAgreementSide, which has no GType. */
  properties[PROP_SIDE] =
    g_param_spec_int ("side", NULL, NULL, BUURTEN_AGREEMENT_RESIDENTS,
                      BUURTEN_AGREEMENT_MUNICIPALITY, BUURTEN_AGREEMENT_RESIDENTS,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/nl/hilversum/Buurten/"
                                               "buurten-agreements-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, BuurtenAgreementsEditor, rows_list);
  gtk_widget_class_bind_template_child (widget_class, BuurtenAgreementsEditor, add_button);
  gtk_widget_class_bind_template_callback (widget_class, on_add_clicked_cb);
}

static void
buurten_agreements_editor_init (BuurtenAgreementsEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_ptr_array_new_with_free_func (agreement_row_free);
  self->removed = g_ptr_array_new_with_free_func (g_free);
}

GtkWidget *
buurten_agreements_editor_new (BuurtenAgreementSide side)
{
  return g_object_new (BUURTEN_TYPE_AGREEMENTS_EDITOR, "side", (int) side, NULL);
}

BuurtenAgreementSide
buurten_agreements_editor_get_side (BuurtenAgreementsEditor *self)
{
  g_return_val_if_fail (BUURTEN_IS_AGREEMENTS_EDITOR (self), BUURTEN_AGREEMENT_RESIDENTS);

  return self->side;
}

void
buurten_agreements_editor_set_agreements (BuurtenAgreementsEditor *self,
                                          GPtrArray               *agreements)
{
  g_return_if_fail (BUURTEN_IS_AGREEMENTS_EDITOR (self));

  while (self->rows->len > 0)
    {
      AgreementRow *row = g_ptr_array_index (self->rows, self->rows->len - 1);

      gtk_list_box_remove (self->rows_list, row->row);
      g_ptr_array_remove_index (self->rows, self->rows->len - 1);
    }
  g_ptr_array_set_size (self->removed, 0);

  for (guint i = 0; agreements != NULL && i < agreements->len; i++)
    {
      const BuurtenAgreement *agreement = g_ptr_array_index (agreements, i);

      if (agreement->side == self->side)
        add_row (self, agreement);
    }
  renumber (self);
  emit_changed (self);
}

guint
buurten_agreements_editor_count (BuurtenAgreementsEditor *self)
{
  guint n = 0;

  g_return_val_if_fail (BUURTEN_IS_AGREEMENTS_EDITOR (self), 0);

  for (guint i = 0; i < self->rows->len; i++)
    {
      AgreementRow *row = g_ptr_array_index (self->rows, i);
      g_autofree char *description = buurten_form_get_text (row->description);

      n += description != NULL;
    }
  return n;
}

gboolean
buurten_agreements_editor_validate (BuurtenAgreementsEditor *self)
{
  gboolean ok = TRUE;

  g_return_val_if_fail (BUURTEN_IS_AGREEMENTS_EDITOR (self), FALSE);

  for (guint i = 0; i < self->rows->len; i++)
    {
      AgreementRow *row = g_ptr_array_index (self->rows, i);
      g_autofree char *description = buurten_form_get_text (row->description);
      const char *due = gtk_editable_get_text (row->due);
      g_autoptr(GError) error = NULL;
      GDate date;

      if (description == NULL)
        {
          buurten_form_show_error (GTK_WIDGET (row->description), row->error_label,
                                   _("Say what is agreed, or remove the agreement."));
          ok = FALSE;
          continue;
        }
      buurten_form_show_error (GTK_WIDGET (row->description), NULL, NULL);
      if (*due != '\0' && !buurten_form_parse_date (due, &date, &error))
        {
          buurten_form_show_error (GTK_WIDGET (row->due), row->error_label, error->message);
          ok = FALSE;
          continue;
        }
      buurten_form_show_error (GTK_WIDGET (row->due), row->error_label, NULL);
    }
  return ok;
}

void
buurten_agreements_editor_add_to_batch (BuurtenAgreementsEditor *self,
                                        BuurtenFormBatch        *batch,
                                        const char              *initiative_id)
{
  g_return_if_fail (BUURTEN_IS_AGREEMENTS_EDITOR (self));
  g_return_if_fail (batch != NULL);
  g_return_if_fail (initiative_id != NULL);

  for (guint i = 0; i < self->removed->len; i++)
    {
      const char *id = g_ptr_array_index (self->removed, i);
      JsonNode *args = json_node_new (JSON_NODE_OBJECT);
      JsonObject *object = json_object_new ();

      json_object_set_string_member (object, "id", id);
      json_node_take_object (args, object);
      buurten_form_batch_delete (batch, &buurten_agreement_info, id,
                                 buurten_mutation_name (BUURTEN_MUTATION_AGREEMENT_REMOVE),
                                 args);
    }

  for (guint i = 0; i < self->rows->len; i++)
    {
      AgreementRow *row = g_ptr_array_index (self->rows, i);
      g_autoptr(BuurtenAgreement) entity = row->stored != NULL
                                             ? buurten_agreement_copy (row->stored)
                                             : buurten_agreement_new ();
      g_autoptr(BuurtenAgreement) before = NULL;
      JsonNode *args;

      if (entity->id == NULL)
        entity->id = buurten_uuid_new ();
      g_free (entity->initiative_id);
      entity->initiative_id = g_strdup (initiative_id);
      entity->side = self->side;
      g_free (entity->description);
      entity->description = buurten_form_get_text (row->description);
      if (entity->description == NULL)
        continue;   /* validate() said so at the field */
      g_free (entity->owner);
      entity->owner = buurten_form_get_text (row->owner);
      g_date_clear (&entity->due_on, 1);
      if (*gtk_editable_get_text (row->due) != '\0')
        buurten_form_parse_date (gtk_editable_get_text (row->due), &entity->due_on, NULL);
      entity->progress = (BuurtenAgreementProgress) gtk_drop_down_get_selected (row->progress);
      entity->position = i;

      if (row->stored == NULL)
        {
          /* agreement.add starts every agreement as agreed (not started);
           * other progress follows as an update in the same batch. */
          before = buurten_agreement_copy (entity);
          before->progress = BUURTEN_AGREEMENT_AGREED;
          args = buurten_form_args (BUURTEN_MUTATION_AGREEMENT_ADD, &buurten_agreement_info,
                                    before);
          buurten_form_batch_put (batch, &buurten_agreement_info,
                                  buurten_agreement_copy (before),
                                  buurten_mutation_name (BUURTEN_MUTATION_AGREEMENT_ADD), args);
        }
      else
        before = buurten_agreement_copy (row->stored);

      args = buurten_form_update_args (BUURTEN_MUTATION_AGREEMENT_UPDATE,
                                       &buurten_agreement_info, before, entity);
      if (args != NULL)
        buurten_form_batch_put (batch, &buurten_agreement_info, g_steal_pointer (&entity),
                                buurten_mutation_name (BUURTEN_MUTATION_AGREEMENT_UPDATE), args);
    }
}
