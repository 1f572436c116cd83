/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-list-view"

#include "config.h"

#include "buurten-list-view-private.h"

/* ---- filtering ------------------------------------------------------- */

static guint
dropdown_choice (GtkDropDown *dropdown)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  return selected == GTK_INVALID_LIST_POSITION ? 0 : selected;
}

static void
filter_state_init (BuurtenListView *self,
                   FilterState     *state)
{
  const char *typed = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *text = g_strstrip (g_strdup (typed));

  memset (state, 0, sizeof *state);
  state->list = list_view_get_list (self);
  state->status = dropdown_choice (self->status_dropdown);
  state->type = dropdown_choice (self->type_dropdown);
  state->overdue = gtk_toggle_button_get_active (self->overdue_toggle);
  state->mine = gtk_toggle_button_get_active (self->mine_toggle);
  state->me = g_strdup (self->context != NULL ? buurten_context_get_user_name (self->context)
                                              : "");
  if (!list_view_get_list (self)->has_search_index && text[0] != '\0')
    state->needle = g_utf8_casefold (text, -1);
  if (self->context != NULL)
    {
      buurten_context_get_today (self->context, &state->today);
      state->has_today = g_date_valid (&state->today);
    }
  state->now = g_get_real_time () / G_USEC_PER_SEC;
  if (self->search_hits != NULL)
    state->hits = g_hash_table_ref (self->search_hits);
}

gboolean
list_view_text_contains (const char *haystack,
                         const char *folded_needle)
{
  g_autofree char *h = NULL;

  if (haystack == NULL)
    return FALSE;
  h = g_utf8_casefold (haystack, -1);
  return strstr (h, folded_needle) != NULL;
}

/* Thread-safe: reads only the state and the (never changed) entity. */
static gboolean
filter_state_matches (const FilterState *state,
                      BuurtenItem       *item)
{
  gpointer entity = list_view_item_entity (item);

  if (entity == NULL)
    return FALSE;

  if (state->hits != NULL && !g_hash_table_contains (state->hits, buurten_item_get_id (item)))
    return FALSE;

  return state->list->matches (state, entity);
}

static void
sorted_clear (gpointer data)
{
  Sorted *sorted = data;

  g_hash_table_unref (sorted->rank);
  g_ptr_array_unref (sorted->items);
}

static Sorted *
sorted_new (GListModel *model)
{
  guint n = g_list_model_get_n_items (model);
  Sorted *sorted = g_atomic_rc_box_new0 (Sorted);

  sorted->items = g_ptr_array_new_full (n, g_object_unref);
  sorted->rank = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < n; i++)
    {
      BuurtenItem *item = g_list_model_get_item (model, i);

      g_ptr_array_add (sorted->items, item);
      g_hash_table_insert (sorted->rank, (gpointer) buurten_item_get_id (item),
                           GUINT_TO_POINTER (i + 1));
    }

  return sorted;
}

static Sorted *
sorted_ref (Sorted *sorted)
{
  return g_atomic_rc_box_acquire (sorted);
}

void
list_view_sorted_unref (Sorted *sorted)
{
  g_atomic_rc_box_release_full (sorted, sorted_clear);
}

static int
compare_positions (gconstpointer a,
                   gconstpointer b)
{
  guint x = *(const guint *) a;
  guint y = *(const guint *) b;

  return CMP (x, y);
}

/* The items of sorted (in its order) that state lets through, borrowed.
 * With search hits, only the hits are looked at (found by their rank):
 * a few hundred instead of the wijk's 10 000. */
static GPtrArray *
filter_items (Sorted            *sorted,
              const FilterState *state)
{
  GPtrArray *shown;

  if (sorted == NULL)
    return g_ptr_array_new ();

  if (state->hits != NULL && g_hash_table_size (state->hits) < sorted->items->len)
    {
      g_autoptr(GArray) positions = g_array_sized_new (FALSE, FALSE, sizeof (guint),
                                                       g_hash_table_size (state->hits));
      GHashTableIter iter;
      gpointer id;

      g_hash_table_iter_init (&iter, state->hits);
      while (g_hash_table_iter_next (&iter, &id, NULL))
        {
          guint rank = GPOINTER_TO_UINT (g_hash_table_lookup (sorted->rank, id));

          if (rank > 0)
            {
              rank--;
              g_array_append_val (positions, rank);
            }
        }
      g_array_sort (positions, compare_positions);

      shown = g_ptr_array_sized_new (positions->len);
      for (guint i = 0; i < positions->len; i++)
        {
          BuurtenItem *item = g_ptr_array_index (sorted->items,
                                                 g_array_index (positions, guint, i));

          if (filter_state_matches (state, item))
            g_ptr_array_add (shown, item);
        }
      return shown;
    }

  shown = g_ptr_array_sized_new (sorted->items->len);
  for (guint i = 0; i < sorted->items->len; i++)
    {
      BuurtenItem *item = g_ptr_array_index (sorted->items, i);

      if (filter_state_matches (state, item))
        g_ptr_array_add (shown, item);
    }

  return shown;
}

static BuurtenListRow *
selected_row (BuurtenListView *self)
{
  return gtk_single_selection_get_selected_item (self->selection);
}

BuurtenItem *
list_view_selected_item (BuurtenListView *self)
{
  BuurtenListRow *row = selected_row (self);

  return row != NULL ? row->item : NULL;
}

/* The column view shows rows [first, end) (about), on a list of n rows. */
static void
visible_rows (BuurtenListView *self,
              guint            n,
              guint           *first,
              guint           *end)
{
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->column_view));
  double page = adjustment != NULL ? gtk_adjustment_get_page_size (adjustment) : 0.0;
  double value = adjustment != NULL ? gtk_adjustment_get_value (adjustment) : 0.0;
  double upper = adjustment != NULL ? gtk_adjustment_get_upper (adjustment) : 0.0;
  /* Rows are one line high; before the first layout, guess. */
  double row_height = n > 0 && upper > 0.0 ? MAX (upper / n, 16.0) : 34.0;

  if (page <= 0.0)
    page = 1200.0;
  *first = (guint) MIN (value / row_height, (double) n);
  *end = (guint) MIN ((value + page) / row_height + 2.0, (double) G_MAXUINT / 2);
}

/* How far sync_rows gets with one slice of work. */
#define SYNC_BUDGET_US   2000
#define SYNC_CHUNK_ROWS  12
/* Beyond this many rows past the first visible one, GTK 4.8 has no
 * widgets (it keeps about 200): adding or removing rows there is cheap. */
#define SYNC_WIDGET_SPAN 240

/* Brings the column view to n_shown rows with their items, a slice at a
 * time: relabels the rows that still show their old item and grows or
 * shrinks the list in chunks, each a small part of a frame, so that typing
 * never waits for the rows nobody sees. all: everything, now. Returns
 * whether work is left. */
static gboolean
sync_rows (BuurtenListView *self,
           gboolean         all)
{
  gint64 deadline = g_get_monotonic_time () + SYNC_BUDGET_US;
  guint n_model = g_list_model_get_n_items (G_LIST_MODEL (self->rows));
  guint first, end;

  visible_rows (self, n_model, &first, &end);

  /* Rows out of sight that still show their old item (not those that
   * are about to go). */
  for (guint i = 0; i < MIN (MIN (n_model, self->n_shown), self->row_pool->len); i++)
    {
      list_row_refresh (g_ptr_array_index (self->row_pool, i));
      if (!all && (i & 15) == 15 && g_get_monotonic_time () > deadline)
        return TRUE;
    }

  while (n_model != self->n_shown)
    {
      if (!all && g_get_monotonic_time () > deadline)
        return TRUE;

      if (n_model < self->n_shown)
        {
          guint add = self->n_shown - n_model;

          if (!all && n_model < first + SYNC_WIDGET_SPAN)
            add = MIN (add, SYNC_CHUNK_ROWS);
          g_list_store_splice (self->rows, n_model, 0, self->row_pool->pdata + n_model, add);
          n_model += add;
        }
      else
        {
          /* From the end: what lies past GTK's widgets goes at once, the
           * rest a chunk at a time. */
          guint cheap = MAX (self->n_shown, first + SYNC_WIDGET_SPAN);
          guint keep;

          if (all)
            keep = self->n_shown;
          else if (cheap < n_model)
            keep = cheap;
          else
            keep = MAX (self->n_shown, n_model - MIN (n_model, SYNC_CHUNK_ROWS));
          g_list_store_splice (self->rows, keep, n_model - keep, NULL, 0);
          n_model = keep;
        }
    }

  return FALSE;
}

static gboolean
sync_rows_cb (gpointer user_data)
{
  BuurtenListView *self = user_data;

  if (sync_rows (self, FALSE))
    return G_SOURCE_CONTINUE;

  self->sync_source = 0;
  return G_SOURCE_REMOVE;
}

/* Everything now: before selecting by position, say. */
void
list_view_sync_rows_now (BuurtenListView *self)
{
  g_clear_handle_id (&self->sync_source, g_source_remove);
  sync_rows (self, TRUE);
}

/* Shows items (BuurtenItem*, in order) in the column view. The rows keep
 * their place and only change what they show. In this call, only what
 * can be seen: the visible rows are relabelled, rows are added up to a
 * screenful, and rows on screen past the new end are removed; the rest
 * follows in slices after the frame (sync_rows). The selected item stays
 * selected where it now is, else nothing is. */
static void
show_items (BuurtenListView *self,
            GPtrArray       *items)
{
  guint n_model = g_list_model_get_n_items (G_LIST_MODEL (self->rows));
  guint new_n = items->len;
  g_autoptr(BuurtenItem) selected = NULL;
  guint selected_at = GTK_INVALID_LIST_POSITION;
  guint first, end;

  if (list_view_selected_item (self) != NULL)
    selected = g_object_ref (list_view_selected_item (self));

  visible_rows (self, n_model, &first, &end);

  while (self->row_pool->len < MAX (new_n, n_model))
    g_ptr_array_add (self->row_pool, g_object_new (BUURTEN_TYPE_LIST_ROW, NULL));

  for (guint i = 0; i < MAX (new_n, n_model); i++)
    {
      BuurtenItem *item = i < new_n ? g_ptr_array_index (items, i) : NULL;
      BuurtenListRow *row = g_ptr_array_index (self->row_pool, i);

      if (list_row_set_item (row, item) && i >= first && i < end && i < new_n)
        list_row_refresh (row);
      if (item != NULL && item == selected)
        selected_at = i;
    }
  self->n_shown = new_n;

  /* The count: up to a screenful, or to the selected row, now. Fewer
   * rows than fill the screen: the rest goes now, or the screen would
   * show empty rows; no rows at all: the list is hidden (an empty
   * state), so it may shrink later. */
  if (new_n > n_model)
    {
      guint now = MIN (new_n, MAX (end, selected_at != GTK_INVALID_LIST_POSITION
                                        ? selected_at + 1 : 0));

      if (now > n_model)
        g_list_store_splice (self->rows, n_model, 0, self->row_pool->pdata + n_model,
                             now - n_model);
    }
  else if (new_n < n_model && new_n > 0 && new_n < end)
    {
      g_list_store_splice (self->rows, new_n, n_model - new_n, NULL, 0);
    }

  g_signal_handlers_block_by_func (self->selection, on_selection_changed_cb, self);
  gtk_single_selection_set_selected (self->selection, selected_at);
  g_signal_handlers_unblock_by_func (self->selection, on_selection_changed_cb, self);

  if (selected != NULL && selected_at == GTK_INVALID_LIST_POSITION)
    list_view_show_detail (self, NULL);

  if (self->sync_source == 0)
    self->sync_source = g_idle_add (sync_rows_cb, self);
}

void
list_view_update_empty_state (BuurtenListView *self)
{
  guint loaded = buurten_list_view_get_n_loaded (self);
  guint shown = buurten_list_view_get_n_shown (self);
  const ListKindClass *klass = list_view_get_list (self);

  if (self->loading)
    {
      gtk_stack_set_visible_child_name (self->list_stack, "loading");
      gtk_spinner_set_spinning (self->spinner, TRUE);
      return;
    }
  gtk_spinner_set_spinning (self->spinner, FALSE);

  if (shown > 0)
    {
      gtk_stack_set_visible_child_name (self->list_stack, "list");
      return;
    }

  if (loaded == 0)
    {
      adw_status_page_set_icon_name (self->empty_page, "document-new-symbolic");
      adw_status_page_set_title (self->empty_page, _(klass->empty_title));
      adw_status_page_set_description (self->empty_page, _(klass->empty_description));
      gtk_button_set_label (self->empty_button, _(klass->new_label));
      gtk_button_set_use_underline (self->empty_button, TRUE);
    }
  else
    {
      adw_status_page_set_icon_name (self->empty_page, "edit-find-symbolic");
      adw_status_page_set_title (self->empty_page, _("No Results"));
      adw_status_page_set_description (self->empty_page,
                                       _("Nothing matches the search and filters. Try other "
                                         "words, or clear the filters."));
      gtk_button_set_label (self->empty_button, _("_Clear Search and Filters"));
      gtk_button_set_use_underline (self->empty_button, TRUE);
    }
  gtk_stack_set_visible_child_name (self->list_stack, "empty");
}

/* Filters the loaded items again, here and now: a filter or the sort
 * order changed, or the list was loaded. The filters look at each item
 * once (about a millisecond for 10 000 requests). */
static void
refilter (BuurtenListView *self)
{
  g_auto(FilterState) state = { 0, };
  g_autoptr(GPtrArray) shown = NULL;

  self->filter_serial++;
  filter_state_init (self, &state);
  shown = filter_items (self->sorted, &state);
  show_items (self, shown);
  list_view_update_empty_state (self);
}

void
on_filter_changed_cb (BuurtenListView *self)
{
  refilter (self);
}

void
on_sorter_changed_cb (BuurtenListView *self)
{
  self->sort_started = g_get_monotonic_time ();
}

void
on_sorted_changed_cb (GListModel      *model,
                      guint            position,
                      guint            removed,
                      guint            added,
                      BuurtenListView *self)
{
  /* bench/bench-ui.py: a click on a column header to the list sorted. */
  if (self->sort_started != 0 && removed == added && g_getenv ("BUURTEN_BENCH") != NULL)
    g_print ("buurten-bench sort-us=%" G_GINT64_FORMAT " n=%u\n",
             g_get_monotonic_time () - self->sort_started, g_list_model_get_n_items (model));
  self->sort_started = 0;

  /* An array of the sorted items, for the filters (here and in the
   * search's worker thread, which shares it: it is never changed). */
  g_clear_pointer (&self->sorted, list_view_sorted_unref);
  if (gtk_sort_list_model_get_model (self->sort_model) != NULL)
    self->sorted = sorted_new (model);
  refilter (self);
}

void
list_view_clear_filters (BuurtenListView *self)
{
  g_signal_handlers_block_by_func (self->status_dropdown, on_filter_changed_cb, self);
  g_signal_handlers_block_by_func (self->type_dropdown, on_filter_changed_cb, self);
  g_signal_handlers_block_by_func (self->overdue_toggle, on_filter_changed_cb, self);
  g_signal_handlers_block_by_func (self->mine_toggle, on_filter_changed_cb, self);
  gtk_drop_down_set_selected (self->status_dropdown, 0);
  gtk_drop_down_set_selected (self->type_dropdown, 0);
  gtk_toggle_button_set_active (self->overdue_toggle, FALSE);
  gtk_toggle_button_set_active (self->mine_toggle, FALSE);
  g_signal_handlers_unblock_by_func (self->status_dropdown, on_filter_changed_cb, self);
  g_signal_handlers_unblock_by_func (self->type_dropdown, on_filter_changed_cb, self);
  g_signal_handlers_unblock_by_func (self->overdue_toggle, on_filter_changed_cb, self);
  g_signal_handlers_unblock_by_func (self->mine_toggle, on_filter_changed_cb, self);
  /* Clearing the search refilters (on_search_entry_changed_cb); when it
   * was empty already, the filters still need it. */
  if (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))[0] != '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  else
    refilter (self);
}

/* ---- search ---------------------------------------------------------- */

/* Search as you type, for the lists with a search index (requests and
 * initiatives). Per keystroke, in a worker thread: the store's full-text
 * search for the ids (buurten_list_search_run, a few milliseconds) and
 * the filters over the sorted items; in the UI thread only the rows
 * that are visible change what they show (show_items). One search runs at
 * a time: a keystroke cancels the running one (SQLite stops within a
 * millisecond) and the newest text is searched as soon as it has stopped,
 * so searches never queue up behind each other. */

typedef struct
{
  BuurtenListSearch *searcher;
  char              *type;
  char              *wijk;
  char              *text;
  Sorted            *sorted;     /* shared, never changed */
  FilterState        state;
  guint              filter_serial;
  gint64             started;
} SearchData;

typedef struct
{
  GHashTable *hits;
  Sorted     *sorted;         /* what shown was filtered from */
  GPtrArray  *shown;          /* BuurtenItem*, borrowed from sorted */
  char       *wijk;
  guint       filter_serial;
  gint64      started;        /* monotonic µs: the keystroke */
  gint64      worker_start;   /* the worker thread took it up */
  gint64      worker_end;     /* and was done */
  gint64      store_us;
  gint64      filter_us;
} SearchResult;

static void
search_data_free (gpointer data)
{
  SearchData *search = data;

  g_clear_object (&search->searcher);
  g_free (search->type);
  g_free (search->wijk);
  g_free (search->text);
  g_clear_pointer (&search->sorted, list_view_sorted_unref);
  filter_state_clear (&search->state);
  g_free (search);
}

static void
search_result_free (gpointer data)
{
  SearchResult *result = data;

  g_clear_pointer (&result->hits, g_hash_table_unref);
  g_clear_pointer (&result->shown, g_ptr_array_unref);
  g_clear_pointer (&result->sorted, list_view_sorted_unref);
  g_free (result->wijk);
  g_free (result);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SearchResult, search_result_free)

static gpointer
search_in_thread (BuurtenStore  *store,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  SearchData *search = data;
  gint64 start = g_get_monotonic_time ();
  SearchResult *result;
  GHashTable *hits;

  hits = buurten_list_search_run (search->searcher, search->type, search->wijk, search->text,
                                  cancellable, error);
  if (hits == NULL)
    return NULL;

  result = g_new0 (SearchResult, 1);
  result->worker_start = start;
  result->hits = hits;
  result->store_us = g_get_monotonic_time () - start;
  if (g_getenv ("BUURTEN_BENCH") != NULL)
    g_print ("buurten-bench store-search-us=%" G_GINT64_FORMAT " text=%s\n",
             result->store_us, search->text);

  /* The filters too, while we are off the UI thread. */
  start = g_get_monotonic_time ();
  search->state.hits = g_hash_table_ref (hits);
  result->shown = filter_items (search->sorted, &search->state);
  result->filter_us = g_get_monotonic_time () - start;
  result->sorted = search->sorted != NULL ? sorted_ref (search->sorted) : NULL;
  result->wijk = g_strdup (search->wijk);
  result->filter_serial = search->filter_serial;
  result->started = search->started;
  result->worker_end = g_get_monotonic_time ();

  return result;
}

static void
search_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(BuurtenListView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SearchResult) search = NULL;
  g_autofree char *text = g_steal_pointer (&self->running_text);
  g_autofree char *wijk = g_steal_pointer (&self->running_wijk);
  gint64 arrived = g_get_monotonic_time ();

  search = buurten_store_load_finish (BUURTEN_STORE (source), result, &error);
  self->search_running = FALSE;
  g_clear_object (&self->search_cancellable);

  /* Disposed, or the search was cleared meanwhile. */
  if (self->context == NULL || self->search_text == NULL)
    return;
  /* Typed on meanwhile: this one is out of date; search the newest. */
  if (g_strcmp0 (text, self->search_text) != 0 || g_strcmp0 (wijk, self->wijk) != 0)
    {
      list_view_start_search (self);
      return;
    }
  if (search == NULL)
    {
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("Search failed: %s", error->message);
      return;
    }

  g_clear_pointer (&self->search_hits, g_hash_table_unref);
  self->search_hits = g_hash_table_ref (search->hits);
  /* The worker filtered what was shown when it started; if a filter or
   * the loaded items changed since, filter again here. */
  if (search->filter_serial == self->filter_serial && search->sorted == self->sorted)
    {
      show_items (self, search->shown);
      list_view_update_empty_state (self);
    }
  else
    {
      refilter (self);
    }

  /* bench/bench-ui.py: from the keystroke to the list showing the hits,
   * and what that is made of: waiting for a worker thread, the store, the
   * filters, waiting for the UI thread (busy drawing, say), the rows. */
  if (g_getenv ("BUURTEN_BENCH") != NULL)
    g_print ("buurten-bench search-us=%" G_GINT64_FORMAT " to-worker-us=%" G_GINT64_FORMAT
             " store-us=%" G_GINT64_FORMAT " filter-us=%" G_GINT64_FORMAT
             " to-ui-us=%" G_GINT64_FORMAT " ui-us=%" G_GINT64_FORMAT
             " hits=%u shown=%u text=%s\n",
             g_get_monotonic_time () - search->started, search->worker_start - search->started,
             search->store_us, search->filter_us, arrived - search->worker_end,
             g_get_monotonic_time () - arrived, g_hash_table_size (self->search_hits),
             buurten_list_view_get_n_shown (self), text);
}

void
list_view_start_search (BuurtenListView *self)
{
  SearchData *search;

  if (self->search_running)
    {
      /* search_cb starts the newest text when this one has stopped. */
      g_cancellable_cancel (self->search_cancellable);
      return;
    }
  if (self->search_text == NULL || self->context == NULL ||
      buurten_context_get_store (self->context) == NULL)
    return;

  if (self->searcher == NULL)
    self->searcher = buurten_list_search_new (buurten_context_get_store (self->context));

  search = g_new0 (SearchData, 1);
  search->searcher = g_object_ref (self->searcher);
  search->type = g_strdup (list_view_get_list (self)->info->name);
  search->wijk = g_strdup (self->wijk);
  search->text = g_strdup (self->search_text);
  search->sorted = self->sorted != NULL ? sorted_ref (self->sorted) : NULL;
  filter_state_init (self, &search->state);
  g_clear_pointer (&search->state.hits, g_hash_table_unref);
  search->filter_serial = self->filter_serial;
  search->started = self->search_started;

  self->search_running = TRUE;
  self->running_text = g_strdup (self->search_text);
  self->running_wijk = g_strdup (self->wijk);
  self->search_cancellable = g_cancellable_new ();
  buurten_store_load_async (buurten_context_get_store (self->context),
                            search_in_thread, search, search_data_free,
                            search_result_free, self->search_cancellable,
                            search_cb, g_object_ref (self));
}

void
on_search_entry_changed_cb (GtkEditable     *editable,
                            BuurtenListView *self)
{
  g_autofree char *stripped = g_strstrip (g_strdup (gtk_editable_get_text (editable)));

  self->search_started = g_get_monotonic_time ();

  if (!list_view_get_list (self)->has_search_index || stripped[0] == '\0' ||
      self->context == NULL)
    {
      g_clear_pointer (&self->search_text, g_free);
      g_cancellable_cancel (self->search_cancellable);
      g_clear_pointer (&self->search_hits, g_hash_table_unref);
      refilter (self);
      return;
    }

  if (g_strcmp0 (stripped, self->search_text) == 0)
    return;
  g_free (self->search_text);
  self->search_text = g_steal_pointer (&stripped);
  list_view_start_search (self);
}

void
on_search_entry_stop_search_cb (GtkSearchEntry  *entry,
                                BuurtenListView *self)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
}
