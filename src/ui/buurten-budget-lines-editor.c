/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-budget-lines-editor"

#include "config.h"

#include "buurten-budget-lines-editor.h"

#include <glib/gi18n.h>

typedef struct
{
  BuurtenBudgetLinesEditor *self;        /* borrowed */
  GtkWidget                *row;         /* the GtkListBoxRow, owned by the list */
  GtkDropDown              *kind;
  GtkEditable              *description;
  GtkEditable              *amount;
  GtkLabel                 *error_label;
  GtkButton                *remove;
  BuurtenBudgetLine        *stored;      /* owned copy; NULL for a new line */
} LineRow;

struct _BuurtenBudgetLinesEditor
{
  AdwBin       parent_instance;

  /* template widgets */
  GtkListBox  *lines_list;
  GtkBox      *buttons_box;
  GtkLabel    *balance_label;

  /* owned */
  GPtrArray   *rows;      /* LineRow*, in order */
  GPtrArray   *removed;   /* char*, ids of stored lines removed */
  gboolean     editable;
};

G_DEFINE_FINAL_TYPE (BuurtenBudgetLinesEditor, buurten_budget_lines_editor, ADW_TYPE_BIN)

enum { PROP_0, PROP_EDITABLE, N_PROPS };
enum { CHANGED, N_SIGNALS };

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* The kinds in the order of the drop-down, which is the entity's. */
static const char * const kind_labels[] = {
  N_("Cost"), N_("Income"), N_("Own contribution"), NULL
};

static void
line_row_free (gpointer data)
{
  LineRow *line = data;

  buurten_budget_line_free (line->stored);
  g_free (line);
}

/* A line's amount as typed, 0 when it does not parse. */
static gint64
row_amount (LineRow *line)
{
  const char *text = gtk_editable_get_text (line->amount);
  gint64 cents = 0;

  if (*text == '\0' || !buurten_money_parse (text, BUURTEN_MONEY_PARSE_NONE, &cents, NULL))
    return 0;
  return cents;
}

static void
update_balance (BuurtenBudgetLinesEditor *self)
{
  BuurtenBudgetBalance balance;
  g_autofree char *costs = NULL;
  g_autofree char *covered = NULL;
  g_autofree char *asked = NULL;
  g_autofree char *text = NULL;

  buurten_budget_lines_editor_get_balance (self, &balance);
  costs = buurten_money_format (balance.costs_cents);
  covered = buurten_money_format (balance.covered_cents);
  asked = buurten_money_format (balance.asked_cents);
  if (self->rows->len == 0)
    text = g_strdup (_("No budget lines yet: add the costs, then the income and own "
                       "contribution. Their balance is the amount asked."));
  else
    /* Translators: costs, income and own contribution, the amount asked */
    text = g_strdup_printf (_("Costs %s, income and own contribution %s: amount asked %s"),
                            costs, covered, asked);
  gtk_label_set_label (self->balance_label, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->balance_label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
  gtk_widget_set_visible (GTK_WIDGET (self->lines_list), self->rows->len > 0);
}

static void
emit_changed (BuurtenBudgetLinesEditor *self)
{
  update_balance (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

/* Accessible names carry the line's number: "Line 2: amount". */
static void
renumber (BuurtenBudgetLinesEditor *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      LineRow *line = g_ptr_array_index (self->rows, i);
      /* Translators: accessible names of a budget line's fields; %u is its number */
      g_autofree char *kind = g_strdup_printf (_("Line %u: kind"), i + 1);
      g_autofree char *description = g_strdup_printf (_("Line %u: description"), i + 1);
      g_autofree char *amount = g_strdup_printf (_("Line %u: amount"), i + 1);
      g_autofree char *remove = g_strdup_printf (_("Remove line %u"), i + 1);

      gtk_accessible_update_property (GTK_ACCESSIBLE (line->kind),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, kind, -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (line->description),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, description, -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (line->amount),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, amount, -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (line->remove),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, remove, -1);
      gtk_widget_set_tooltip_text (GTK_WIDGET (line->remove), remove);
    }
}

static void
on_line_changed_cb (BuurtenBudgetLinesEditor *self)
{
  if (gtk_widget_in_destruction (GTK_WIDGET (self)))
    return;
  emit_changed (self);
}

static void
on_amount_changed_cb (GtkEditable *amount,
                      LineRow     *line)
{
  const char *text = gtk_editable_get_text (amount);

  /* An error goes as soon as the text is right again. */
  if (gtk_widget_get_visible (GTK_WIDGET (line->error_label)) &&
      buurten_money_parse (text, BUURTEN_MONEY_PARSE_NONE, NULL, NULL))
    buurten_form_show_error (GTK_WIDGET (amount), line->error_label, NULL);
  on_line_changed_cb (line->self);
}

static void
on_remove_clicked_cb (GtkButton *button,
                      LineRow   *line)
{
  BuurtenBudgetLinesEditor *self = line->self;

  if (line->stored != NULL)
    g_ptr_array_add (self->removed, g_strdup (line->stored->id));
  gtk_list_box_remove (self->lines_list, line->row);
  g_ptr_array_remove (self->rows, line);
  renumber (self);
  emit_changed (self);
}

static LineRow *
add_row (BuurtenBudgetLinesEditor *self,
         BuurtenBudgetLineKind     kind,
         const BuurtenBudgetLine  *shown,
         gboolean                  is_stored)
{
  const BuurtenBudgetLine *stored = is_stored ? shown : NULL;
  LineRow *line = g_new0 (LineRow, 1);
  g_autoptr(GtkStringList) kinds = gtk_string_list_new (NULL);
  GtkWidget *vbox = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *hbox = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *description = gtk_entry_new ();
  GtkWidget *amount = gtk_entry_new ();
  GtkWidget *error = gtk_label_new (NULL);
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");

  for (guint i = 0; kind_labels[i] != NULL; i++)
    gtk_string_list_append (kinds, _(kind_labels[i]));

  line->self = self;
  line->stored = stored != NULL ? buurten_budget_line_copy (stored) : NULL;
  line->kind = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_object_ref (kinds)), NULL));
  line->description = GTK_EDITABLE (description);
  line->amount = GTK_EDITABLE (amount);
  line->error_label = GTK_LABEL (error);
  line->remove = GTK_BUTTON (remove);

  gtk_drop_down_set_selected (line->kind, shown != NULL ? shown->kind : kind);
  gtk_entry_set_placeholder_text (GTK_ENTRY (description), _("What for"));
  gtk_widget_set_hexpand (description, TRUE);
  gtk_entry_set_placeholder_text (GTK_ENTRY (amount), _("Amount"));
  gtk_entry_set_input_purpose (GTK_ENTRY (amount), GTK_INPUT_PURPOSE_NUMBER);
  gtk_editable_set_width_chars (GTK_EDITABLE (amount), 10);
  gtk_widget_add_css_class (remove, "flat");
  if (shown != NULL)
    {
      g_autofree char *text = buurten_money_format (shown->amount_cents);

      gtk_editable_set_text (line->description,
                             shown->description != NULL ? shown->description : "");
      gtk_editable_set_text (line->amount, text);
    }

  gtk_label_set_xalign (GTK_LABEL (error), 0);
  gtk_label_set_wrap (GTK_LABEL (error), TRUE);
  gtk_widget_add_css_class (error, "error");
  gtk_widget_add_css_class (error, "caption");
  gtk_widget_set_visible (error, FALSE);

  gtk_box_append (GTK_BOX (hbox), GTK_WIDGET (line->kind));
  gtk_box_append (GTK_BOX (hbox), description);
  gtk_box_append (GTK_BOX (hbox), amount);
  gtk_box_append (GTK_BOX (hbox), remove);
  gtk_box_append (GTK_BOX (vbox), hbox);
  gtk_box_append (GTK_BOX (vbox), error);
  gtk_widget_set_margin_top (vbox, 6);
  gtk_widget_set_margin_bottom (vbox, 6);
  gtk_widget_set_margin_start (vbox, 6);
  gtk_widget_set_margin_end (vbox, 6);

  line->row = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (line->row), FALSE);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (line->row), vbox);
  gtk_widget_set_sensitive (hbox, self->editable);

  g_signal_connect_swapped (line->kind, "notify::selected", G_CALLBACK (on_line_changed_cb),
                            self);
  g_signal_connect_swapped (description, "changed", G_CALLBACK (on_line_changed_cb), self);
  g_signal_connect (amount, "changed", G_CALLBACK (on_amount_changed_cb), line);
  g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_clicked_cb), line);

  gtk_list_box_append (self->lines_list, line->row);
  g_ptr_array_add (self->rows, line);
  renumber (self);
  return line;
}

static void
add_new (BuurtenBudgetLinesEditor *self,
         BuurtenBudgetLineKind     kind)
{
  LineRow *line = add_row (self, kind, NULL, FALSE);

  emit_changed (self);
  gtk_widget_grab_focus (GTK_WIDGET (line->description));
}

static void
on_add_cost_clicked_cb (BuurtenBudgetLinesEditor *self)
{
  add_new (self, BUURTEN_BUDGET_LINE_COST);
}

static void
on_add_income_clicked_cb (BuurtenBudgetLinesEditor *self)
{
  add_new (self, BUURTEN_BUDGET_LINE_INCOME);
}

static void
on_add_own_clicked_cb (BuurtenBudgetLinesEditor *self)
{
  add_new (self, BUURTEN_BUDGET_LINE_OWN_CONTRIBUTION);
}

/* The line as typed, for the stored id (or a new one). */
static BuurtenBudgetLine *
read_row (LineRow    *line,
          const char *initiative_id,
          guint       position)
{
  BuurtenBudgetLine *entity = line->stored != NULL ? buurten_budget_line_copy (line->stored)
                                                   : buurten_budget_line_new ();

  if (entity->id == NULL)
    entity->id = buurten_uuid_new ();
  g_free (entity->initiative_id);
  entity->initiative_id = g_strdup (initiative_id);
  entity->kind = (BuurtenBudgetLineKind) gtk_drop_down_get_selected (line->kind);
  g_free (entity->description);
  entity->description = buurten_form_get_text (line->description);
  entity->amount_cents = row_amount (line);
  entity->position = position;
  return entity;
}

static void
buurten_budget_lines_editor_get_property (GObject    *object,
                                          guint       prop_id,
                                          GValue     *value,
                                          GParamSpec *pspec)
{
  BuurtenBudgetLinesEditor *self = BUURTEN_BUDGET_LINES_EDITOR (object);

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
buurten_budget_lines_editor_set_property (GObject      *object,
                                          guint         prop_id,
                                          const GValue *value,
                                          GParamSpec   *pspec)
{
  BuurtenBudgetLinesEditor *self = BUURTEN_BUDGET_LINES_EDITOR (object);

  switch (prop_id)
    {
    case PROP_EDITABLE:
      buurten_budget_lines_editor_set_editable (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
buurten_budget_lines_editor_dispose (GObject *object)
{
  BuurtenBudgetLinesEditor *self = BUURTEN_BUDGET_LINES_EDITOR (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), BUURTEN_TYPE_BUDGET_LINES_EDITOR);

  G_OBJECT_CLASS (buurten_budget_lines_editor_parent_class)->dispose (object);
}

static void
buurten_budget_lines_editor_finalize (GObject *object)
{
  BuurtenBudgetLinesEditor *self = BUURTEN_BUDGET_LINES_EDITOR (object);

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->removed, g_ptr_array_unref);

  G_OBJECT_CLASS (buurten_budget_lines_editor_parent_class)->finalize (object);
}

static void
buurten_budget_lines_editor_class_init (BuurtenBudgetLinesEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = buurten_budget_lines_editor_get_property;
  object_class->set_property = buurten_budget_lines_editor_set_property;
  object_class->dispose = buurten_budget_lines_editor_dispose;
  object_class->finalize = buurten_budget_lines_editor_finalize;

  properties[PROP_EDITABLE] =
    g_param_spec_boolean ("editable", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/nl/hilversum/Buurten/"
                                               "buurten-budget-lines-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, BuurtenBudgetLinesEditor, lines_list);
  gtk_widget_class_bind_template_child (widget_class, BuurtenBudgetLinesEditor, buttons_box);
  gtk_widget_class_bind_template_child (widget_class, BuurtenBudgetLinesEditor, balance_label);
  gtk_widget_class_bind_template_callback (widget_class, on_add_cost_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_add_income_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_add_own_clicked_cb);
}

static void
buurten_budget_lines_editor_init (BuurtenBudgetLinesEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_ptr_array_new_with_free_func (line_row_free);
  self->removed = g_ptr_array_new_with_free_func (g_free);
  self->editable = TRUE;
  update_balance (self);
}

GtkWidget *
buurten_budget_lines_editor_new (void)
{
  return g_object_new (BUURTEN_TYPE_BUDGET_LINES_EDITOR, NULL);
}

void
buurten_budget_lines_editor_set_lines (BuurtenBudgetLinesEditor *self,
                                       GPtrArray                *lines)
{
  g_return_if_fail (BUURTEN_IS_BUDGET_LINES_EDITOR (self));

  while (self->rows->len > 0)
    {
      LineRow *line = g_ptr_array_index (self->rows, self->rows->len - 1);

      gtk_list_box_remove (self->lines_list, line->row);
      g_ptr_array_remove_index (self->rows, self->rows->len - 1);
    }
  g_ptr_array_set_size (self->removed, 0);

  for (guint i = 0; lines != NULL && i < lines->len; i++)
    {
      const BuurtenBudgetLine *stored = g_ptr_array_index (lines, i);

      add_row (self, stored->kind, stored, TRUE);
    }
  emit_changed (self);
}

void
buurten_budget_lines_editor_add_new_lines (BuurtenBudgetLinesEditor *self,
                                           GPtrArray                *lines)
{
  g_return_if_fail (BUURTEN_IS_BUDGET_LINES_EDITOR (self));

  for (guint i = 0; lines != NULL && i < lines->len; i++)
    {
      const BuurtenBudgetLine *line = g_ptr_array_index (lines, i);

      add_row (self, line->kind, line, FALSE);
    }
  emit_changed (self);
}

gboolean
buurten_budget_lines_editor_get_editable (BuurtenBudgetLinesEditor *self)
{
  g_return_val_if_fail (BUURTEN_IS_BUDGET_LINES_EDITOR (self), FALSE);

  return self->editable;
}

void
buurten_budget_lines_editor_set_editable (BuurtenBudgetLinesEditor *self,
                                          gboolean                  editable)
{
  g_return_if_fail (BUURTEN_IS_BUDGET_LINES_EDITOR (self));

  editable = !!editable;
  if (self->editable == editable)
    return;

  self->editable = editable;
  gtk_widget_set_visible (GTK_WIDGET (self->buttons_box), editable);
  for (guint i = 0; i < self->rows->len; i++)
    {
      LineRow *line = g_ptr_array_index (self->rows, i);

      gtk_widget_set_sensitive (gtk_widget_get_parent (GTK_WIDGET (line->kind)), editable);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EDITABLE]);
}

guint
buurten_budget_lines_editor_get_n_lines (BuurtenBudgetLinesEditor *self)
{
  g_return_val_if_fail (BUURTEN_IS_BUDGET_LINES_EDITOR (self), 0);

  return self->rows->len;
}

void
buurten_budget_lines_editor_get_balance (BuurtenBudgetLinesEditor *self,
                                         BuurtenBudgetBalance     *out)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (
    (GDestroyNotify) buurten_budget_line_free);

  g_return_if_fail (BUURTEN_IS_BUDGET_LINES_EDITOR (self));
  g_return_if_fail (out != NULL);

  for (guint i = 0; i < self->rows->len; i++)
    g_ptr_array_add (lines, read_row (g_ptr_array_index (self->rows, i), NULL, i));
  buurten_budget_balance (lines, out);
}

gboolean
buurten_budget_lines_editor_validate (BuurtenBudgetLinesEditor *self)
{
  gboolean ok = TRUE;

  g_return_val_if_fail (BUURTEN_IS_BUDGET_LINES_EDITOR (self), FALSE);

  for (guint i = 0; i < self->rows->len; i++)
    {
      LineRow *line = g_ptr_array_index (self->rows, i);
      g_autofree char *description = buurten_form_get_text (line->description);

      if (description == NULL)
        {
          buurten_form_show_error (GTK_WIDGET (line->description), line->error_label,
                                   _("Say what this line is for."));
          ok = FALSE;
          continue;
        }
      buurten_form_show_error (GTK_WIDGET (line->description), NULL, NULL);
      if (!buurten_form_read_amount (line->amount, line->error_label, NULL))
        ok = FALSE;
    }
  return ok;
}

void
buurten_budget_lines_editor_add_to_batch (BuurtenBudgetLinesEditor *self,
                                          BuurtenFormBatch         *batch,
                                          const char               *initiative_id)
{
  g_return_if_fail (BUURTEN_IS_BUDGET_LINES_EDITOR (self));
  g_return_if_fail (batch != NULL);
  g_return_if_fail (initiative_id != NULL);

  for (guint i = 0; i < self->removed->len; i++)
    {
      const char *id = g_ptr_array_index (self->removed, i);
      JsonNode *args = json_node_new (JSON_NODE_OBJECT);
      JsonObject *object = json_object_new ();

      json_object_set_string_member (object, "id", id);
      json_node_take_object (args, object);
      buurten_form_batch_delete (batch, &buurten_budget_line_info, id,
                                 buurten_mutation_name (BUURTEN_MUTATION_BUDGET_LINE_REMOVE),
                                 args);
    }

  for (guint i = 0; i < self->rows->len; i++)
    {
      LineRow *line = g_ptr_array_index (self->rows, i);
      g_autoptr(BuurtenBudgetLine) entity = read_row (line, initiative_id, i);

      if (line->stored == NULL)
        {
          JsonNode *args = buurten_form_args (BUURTEN_MUTATION_BUDGET_LINE_ADD,
                                              &buurten_budget_line_info, entity);

          buurten_form_batch_put (batch, &buurten_budget_line_info, g_steal_pointer (&entity),
                                  buurten_mutation_name (BUURTEN_MUTATION_BUDGET_LINE_ADD),
                                  args);
        }
      else
        {
          JsonNode *args = buurten_form_update_args (BUURTEN_MUTATION_BUDGET_LINE_UPDATE,
                                                     &buurten_budget_line_info, line->stored,
                                                     entity);

          if (args != NULL)
            buurten_form_batch_put (batch, &buurten_budget_line_info,
                                    g_steal_pointer (&entity),
                                    buurten_mutation_name (BUURTEN_MUTATION_BUDGET_LINE_UPDATE),
                                    args);
        }
    }
}
