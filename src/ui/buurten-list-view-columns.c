/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-list-view"

#include "config.h"

#include "buurten-list-view-private.h"

/* ---- a row of the column view ---------------------------------------
 *
 * The column view shows BuurtenListRows, which stay the same objects while
 * the items they show change. GTK 4.8 builds a new row widget (a row and a
 * cell and label per column) for every item it did not show before, and
 * keeps about 200 of them around the visible ones: a new set of search
 * hits as new items costs 50-150 ms. A row that says "changed" is
 * relabelled in place instead, and only the count at the end of the list
 * changes (see show_items()). */

G_DEFINE_FINAL_TYPE (BuurtenListRow, buurten_list_row, G_TYPE_OBJECT)

static guint row_changed_signal;

static void
buurten_list_row_finalize (GObject *object)
{
  g_clear_object (&((BuurtenListRow *) object)->item);

  G_OBJECT_CLASS (buurten_list_row_parent_class)->finalize (object);
}

static void
buurten_list_row_class_init (BuurtenListRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = buurten_list_row_finalize;

  /* The row shows another item. */
  row_changed_signal = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
buurten_list_row_init (BuurtenListRow *self)
{
}

/* Whether the bound cells need to be told (list_row_refresh). */
gboolean
list_row_set_item (BuurtenListRow *row,
                   BuurtenItem    *item)
{
  if (!g_set_object (&row->item, item))
    return FALSE;
  row->stale = row->n_bound > 0;
  return row->stale;
}

void
list_row_refresh (BuurtenListRow *row)
{
  if (!row->stale)
    return;
  row->stale = FALSE;
  if (row->n_bound > 0)
    g_signal_emit (row, row_changed_signal, 0);
}

/* ---- comparisons ----------------------------------------------------- */

int
list_view_cmp_utf8 (const char *a,
                    const char *b)
{
  if (a == NULL || b == NULL)
    return CMP (a != NULL, b != NULL);
  return g_utf8_collate (a, b);
}

/* The quark under which an item keeps its sort key for a column (the
 * column titles differ within a kind). Thread-safe. */
static GQuark
column_key_quark (const ColumnDef *def)
{
  g_autofree char *name = g_strconcat ("buurten-sort-key-", def->title, NULL);

  return g_quark_from_string (name);
}

/* In the loading thread: the collation keys of the text columns, on the
 * items, so that sorting by them is a strcmp(). Values that repeat (the
 * names in "Assigned To") are collated once. */
void
list_view_add_sort_keys (const ListKindClass *list,
                         GListModel          *model)
{
  const ColumnDef *defs = list->columns;
  guint n = g_list_model_get_n_items (model);

  for (guint c = 0; defs[c].title != NULL; c++)
    {
      g_autoptr(GHashTable) keys = NULL;
      GQuark quark;

      if (defs[c].collate == NULL)
        continue;
      quark = column_key_quark (&defs[c]);
      keys = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(BuurtenItem) item = g_list_model_get_item (model, i);
          const char *text = defs[c].collate (buurten_item_get_entity (item));
          char *key;

          if (text == NULL)
            text = "";
          key = g_hash_table_lookup (keys, text);
          if (key == NULL)
            {
              key = g_utf8_collate_key (text, -1);
              g_hash_table_insert (keys, (gpointer) text, key);
            }
          g_object_set_qdata_full (G_OBJECT (item), quark, g_strdup (key), g_free);
        }
    }
}

/* ---- the column view ------------------------------------------------- */

gpointer
list_view_item_entity (gpointer item)
{
  return BUURTEN_IS_ITEM (item) ? buurten_item_get_entity (item) : NULL;
}

static void
on_cell_setup_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item,
                  ColumnBinding            *binding)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), binding->def->expand ? 60 : 24);
  g_object_set_data (G_OBJECT (label), "buurten-binding", binding);
  gtk_list_item_set_child (list_item, label);
}

static void
update_cell (GtkListItem *list_item)
{
  GtkWidget *label = gtk_list_item_get_child (list_item);
  ColumnBinding *binding = g_object_get_data (G_OBJECT (label), "buurten-binding");
  BuurtenListRow *row = gtk_list_item_get_item (list_item);
  gpointer entity = row != NULL ? list_view_item_entity (row->item) : NULL;
  g_autofree char *text = NULL;

  if (entity != NULL)
    text = binding->def->text (binding->self, entity);
  gtk_label_set_label (GTK_LABEL (label), text != NULL ? text : "");

  /* The column may give the cell a style (overdue answers stand out). */
  gtk_widget_remove_css_class (label, "warning");
  gtk_widget_remove_css_class (label, "error");
  if (binding->def->style != NULL && entity != NULL)
    {
      const char *css_class = binding->def->style (binding->self, entity);

      if (css_class != NULL)
        gtk_widget_add_css_class (label, css_class);
    }
}

static void
on_row_changed_cb (BuurtenListRow *row,
                   GtkListItem    *list_item)
{
  update_cell (list_item);
}

static void
on_cell_bind_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 ColumnBinding            *binding)
{
  BuurtenListRow *row = gtk_list_item_get_item (list_item);

  /* A row bound anew shows its item now, in every column. */
  if (row->n_bound++ == 0)
    row->stale = FALSE;
  g_signal_connect (row, "changed", G_CALLBACK (on_row_changed_cb), list_item);
  update_cell (list_item);
}

static void
on_cell_unbind_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *list_item,
                   ColumnBinding            *binding)
{
  BuurtenListRow *row = gtk_list_item_get_item (list_item);

  g_signal_handlers_disconnect_by_func (row, on_row_changed_cb, list_item);
  row->n_bound--;
}

static int
compare_items_cb (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  ColumnBinding *binding = user_data;
  gpointer x = list_view_item_entity ((gpointer) a);
  gpointer y = list_view_item_entity ((gpointer) b);
  int result;

  if (x == NULL || y == NULL)
    return GTK_ORDERING_EQUAL;

  if (binding->def->collate != NULL)
    {
      const char *key_x = g_object_get_qdata ((GObject *) a, binding->key_quark);
      const char *key_y = g_object_get_qdata ((GObject *) b, binding->key_quark);

      if (key_x != NULL && key_y != NULL)
        {
          result = strcmp (key_x, key_y);
          return result < 0 ? GTK_ORDERING_SMALLER : result > 0 ? GTK_ORDERING_LARGER
                                                                 : GTK_ORDERING_EQUAL;
        }
    }

  result = binding->def->compare (x, y);
  return result < 0 ? GTK_ORDERING_SMALLER : result > 0 ? GTK_ORDERING_LARGER
                                                         : GTK_ORDERING_EQUAL;
}

void
list_view_build_columns (BuurtenListView *self)
{
  const ColumnDef *defs = list_view_get_list (self)->columns;
  GtkColumnViewColumn *default_column = NULL;
  GtkSortType default_order = GTK_SORT_ASCENDING;

  for (guint i = 0; defs[i].title != NULL; i++)
    {
      ColumnBinding *binding = g_new0 (ColumnBinding, 1);
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;
      GtkSorter *sorter;

      binding->self = self;
      binding->def = &defs[i];
      if (defs[i].collate != NULL)
        binding->key_quark = column_key_quark (&defs[i]);
      g_ptr_array_add (self->bindings, binding);

      g_signal_connect (factory, "setup", G_CALLBACK (on_cell_setup_cb), binding);
      g_signal_connect (factory, "bind", G_CALLBACK (on_cell_bind_cb), binding);
      g_signal_connect (factory, "unbind", G_CALLBACK (on_cell_unbind_cb), binding);

      column = gtk_column_view_column_new (_(defs[i].title), factory);
      gtk_column_view_column_set_expand (column, defs[i].expand);
      /* Fixed widths keep the title readable; the list scrolls sideways
       * when the window is too narrow for all columns. */
      gtk_column_view_column_set_fixed_width (column, defs[i].expand ? 240 : 112);
      gtk_column_view_column_set_resizable (column, TRUE);
      sorter = GTK_SORTER (gtk_custom_sorter_new (compare_items_cb, binding, NULL));
      gtk_column_view_column_set_sorter (column, sorter);
      g_object_unref (sorter);
      gtk_column_view_append_column (self->column_view, column);

      if (defs[i].sort_descending && default_column == NULL)
        {
          default_column = column;
          default_order = list_view_get_list (self)->sort_ascending
                          ? GTK_SORT_ASCENDING : GTK_SORT_DESCENDING;
        }
    }

  if (default_column != NULL)
    gtk_column_view_sort_by_column (self->column_view, default_column, default_order);
}
