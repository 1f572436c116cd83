/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "buurten-list-view.h"

#include <glib/gi18n.h>

#include "buurten-decide.h"
#include "buurten-editors.h"
#include "buurten-format.h"
#include "buurten-store-queries.h"

/* The private side of BuurtenListView, shared by the files it is split into
 * by concern and by its subclasses, one per list:
 *   buurten-list-view.c          the object: properties, template, loading
 *                                a wijk's items, the filters' set-up, the
 *                                public API
 *   buurten-list-view-columns.c  the rows of the column view, the columns and
 *                                their cells, the sort keys
 *   buurten-list-view-filter.c   filters, the sorted items, showing the rows
 *                                that pass, the empty state, search as you type
 *   buurten-list-view-detail.c   the selected item's detail and its history,
 *                                and the buttons that act on it
 * and the subclasses, each in its own file with what sets its list apart
 * (a ListKindClass in its class): buurten-request-list.c,
 * buurten-initiative-list.c, buurten-escalation-list.c and
 * buurten-meeting-list.c. */

#define BUURTEN_TYPE_LIST_ROW (buurten_list_row_get_type ())
G_DECLARE_FINAL_TYPE (BuurtenListRow, buurten_list_row, BUURTEN, LIST_ROW, GObject)

struct _BuurtenListRow
{
  GObject      parent_instance;

  BuurtenItem *item;     /* owned; NULL while unused */
  guint        n_bound;  /* cells showing it: only those listen */
  gboolean     stale;    /* bound cells still show the item before */
};

/* ---- the list view --------------------------------------------------- */

typedef char *(*CellTextFunc) (BuurtenListView *self,
                               gpointer         entity);
typedef int   (*CellCompareFunc) (gconstpointer a,
                                  gconstpointer b);
typedef const char *(*CellCollateFunc) (gconstpointer entity);
typedef const char *(*CellStyleFunc) (BuurtenListView *self,
                                      gpointer         entity);

typedef struct
{
  const char      *title;        /* English msgid */
  CellTextFunc     text;
  CellCompareFunc  compare;
  gboolean         expand;
  gboolean         sort_descending; /* the default sort column */
  /* A column of text sorts by collation keys, made in the loading thread
   * (list_view_add_sort_keys): g_utf8_collate() in every comparison takes half a
   * second in the UI thread to sort 10 000 titles. */
  CellCollateFunc  collate;
  /* A style class for the cell ("warning", "error") or NULL. */
  CellStyleFunc    style;
} ColumnDef;

typedef struct
{
  BuurtenListView *self;
  const ColumnDef *def;
  GQuark           key_quark;     /* of the sort keys, with collate */
} ColumnBinding;

typedef struct _Sorted Sorted;

/* The loaded items in the order of the columns, shared with the search's
 * worker thread (so never changed: a new order is a new Sorted). */
struct _Sorted
{
  GPtrArray  *items;   /* BuurtenItem* */
  GHashTable *rank;    /* id (borrowed from its item) -> position + 1 */
};

#define CMP(a, b) ((a) < (b) ? -1 : (a) > (b))

struct _BuurtenListView
{
  GtkWidget           parent_instance;

  /* template widgets */
  AdwLeaflet         *leaflet;
  GtkSearchEntry     *search_entry;
  GtkWidget          *filter_box;
  GtkDropDown        *status_dropdown;
  GtkDropDown        *type_dropdown;
  GtkToggleButton    *overdue_toggle;
  GtkToggleButton    *mine_toggle;
  GtkStack           *list_stack;
  GtkSpinner         *spinner;
  GtkColumnView      *column_view;
  AdwStatusPage      *empty_page;
  GtkButton          *empty_button;
  GtkStack           *detail_stack;
  GtkLabel           *detail_title;
  GtkLabel           *detail_subtitle;
  GtkLabel           *detail_description;
  GtkWidget          *edit_button;
  GtkWidget          *decide_button;
  GtkListBox         *fields_list;
  GtkListBox         *history_list;
  GtkBox             *detail_extra;   /* the kind's own widgets (its show_detail) */
  GtkWidget          *history_group;

  /* owned references */
  BuurtenContext     *context;
  GtkSortListModel   *sort_model;    /* all loaded items, by the columns' sorter */
  Sorted             *sorted;        /* the same as an array, or NULL */
  GListStore         *rows;          /* BuurtenListRow*: what the column view shows */
  GPtrArray          *row_pool;      /* BuurtenListRow*: rows, and unused ones after */
  guint               n_shown;       /* rows to show; rows has them, or soon (sync_rows) */
  guint               sync_source;   /* the idle of sync_rows_cb */
  GtkSingleSelection *selection;
  BuurtenListSearch  *searcher;
  GCancellable       *load_cancellable;
  GCancellable       *search_cancellable;
  GCancellable       *history_cancellable;
  GHashTable         *search_hits;   /* ids, or NULL when not searching */
  GPtrArray          *bindings;      /* ColumnBinding* */

  /* plain data */
  char               *wijk;
  char               *pending_select;
  char               *shown_id;
  char               *search_text;     /* what the store is asked, or NULL */
  char               *running_text;    /* the text and wijk of the running search */
  char               *running_wijk;
  gint64              search_started;  /* monotonic µs of the last keystroke */
  gint64              sort_started;    /* of the last change of the sort order */
  guint               filter_serial;   /* bumped when sorted or a filter changes */
  gboolean            search_running;
  gboolean            loading;
  gboolean            loaded;
  gboolean            dirty;     /* to load when it is next shown */
  gboolean            reloading; /* the shown item may go and come back */
};

/* What the filters and the search let through, read from the widgets in
 * the UI thread, so that the search's worker thread can filter too. */
typedef struct _BuurtenListKindDef ListKindClass;

typedef struct
{
  const ListKindClass *list;
  guint            status;     /* 0: all; else the state + 1 (meetings: 1 upcoming, 2 past) */
  guint            type;       /* 0: all; else the type or level + 1 */
  gboolean         overdue;
  gboolean         mine;
  char            *me;
  char            *needle;     /* casefolded; the lists without a search index */
  gboolean         has_today;
  GDate            today;
  gint64           now;
  GHashTable      *hits;       /* ids the store found, or NULL: no search */
} FilterState;

static inline void
filter_state_clear (FilterState *state)
{
  g_clear_pointer (&state->me, g_free);
  g_clear_pointer (&state->needle, g_free);
  g_clear_pointer (&state->hits, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FilterState, filter_state_clear)

/* What the filters of one list offer, filled by its fill_filters: the
 * choices of the two drop-downs (owned) and their labels (NULL: "Status"
 * and "Type"), which toggles show, and the search's placeholder. */
typedef struct
{
  GtkStringList *status;
  const char    *status_label;
  GtkStringList *type;           /* NULL: keep the template's */
  const char    *type_label;
  gboolean       show_type;
  gboolean       show_overdue;
  gboolean       show_mine;
  const char    *search_placeholder;
} ListFilters;

/* What sets one list apart from the others, filled in by its own class
 * (buurten-request-list.c, -initiative-list.c, -escalation-list.c,
 * -meeting-list.c) and kept in its class structure; the shared code of the
 * view asks it. Strings are msgids. Read-only once the class exists, so the
 * worker threads read it too. */
struct _BuurtenListKindDef
{
  const BuurtenEntityInfo *info;              /* what it lists */
  const ColumnDef         *columns;           /* up to a NULL title */
  gboolean                 has_search_index;  /* the store's full-text search */
  const char              *list_label;        /* the column view's accessible label */
  const char              *empty_title;       /* the empty state */
  const char              *empty_description;
  const char              *new_label;
  /* The default sort column sorts ascending, not newest first
   * (meetings: the next one on top). */
  gboolean                 sort_ascending;
  /* Another entity type whose changes change this list, or NULL. */
  const char              *child_type;
  /* In a worker thread: the items of wijk (and its cluster), with the
   * entities; NULL: every item of info whose "wijk" is wijk. */
  GListModel            *(*load)         (BuurtenStore      *store,
                                          const char        *wijk,
                                          const char        *cluster,
                                          GError           **error);
  /* Thread-safe: whether the filters (not the search hits) let entity through. */
  gboolean               (*matches)      (const FilterState *state,
                                          gpointer           entity);
  void                   (*fill_filters) (ListFilters       *filters);
  /* The kind shows the item's fields and history itself, in detail_extra
   * (the initiatives: BuurtenInitiativeDetail); the base loads no history. */
  gboolean                 own_detail;
  /* The detail's title, subtitle, description and fields of entity. */
  void                   (*show_detail)  (BuurtenListView   *self,
                                          gpointer           entity);
};

/* The list of the class of self. */
#define list_view_get_list(self) (BUURTEN_LIST_VIEW_GET_CLASS (self)->list)

/* ---- buurten-list-view.c ---------------------------------------------- */

/* The id of the item whose detail is shown (NULL: none); notifies
 * "selected-id" when it changes. */
void
list_view_set_shown_id (BuurtenListView *self,
                        const char      *id);

GtkStringList *
list_view_make_choices (const char         *all,
                        const char * const *labels,
                        guint               n);
/* "All Statuses" and the states of machine. */
GtkStringList *
list_view_state_choices (BuurtenMachine machine);

/* ---- buurten-list-view-columns.c --------------------------------------- */

gboolean
list_row_set_item (BuurtenListRow *row,
                   BuurtenItem    *item);

void
list_row_refresh (BuurtenListRow *row);

void
list_view_add_sort_keys (const ListKindClass *list,
                         GListModel          *model);

int
list_view_cmp_utf8 (const char *a,
                    const char *b);

gpointer
list_view_item_entity (gpointer item);

void
list_view_build_columns (BuurtenListView *self);

/* ---- buurten-list-view-filter.c ---------------------------------------- */

void
list_view_sorted_unref (Sorted *sorted);

BuurtenItem *
list_view_selected_item (BuurtenListView *self);

void
list_view_sync_rows_now (BuurtenListView *self);

void
list_view_update_empty_state (BuurtenListView *self);

void
on_filter_changed_cb (BuurtenListView *self);

void
on_sorter_changed_cb (BuurtenListView *self);

void
on_sorted_changed_cb (GListModel      *model,
                      guint            position,
                      guint            removed,
                      guint            added,
                      BuurtenListView *self);

void
list_view_clear_filters (BuurtenListView *self);

void
list_view_start_search (BuurtenListView *self);

void
on_search_entry_changed_cb (GtkEditable     *editable,
                            BuurtenListView *self);

void
on_search_entry_stop_search_cb (GtkSearchEntry  *entry,
                                BuurtenListView *self);

gboolean
list_view_text_contains (const char *haystack,
                         const char *folded_needle);

/* ---- buurten-list-view-detail.c ---------------------------------------- */

void
list_view_add_field (BuurtenListView *self,
                     const char      *label,
                     const char      *value);

void
list_view_add_field_take (BuurtenListView *self,
                          const char      *label,
                          char            *value);

void
list_view_show_detail (BuurtenListView *self,
                       BuurtenItem     *item);

void
on_selection_changed_cb (GtkSelectionModel *model,
                         guint              position,
                         guint              n_items,
                         BuurtenListView   *self);

void
on_column_view_activate_cb (GtkColumnView   *view,
                            guint            position,
                            BuurtenListView *self);

void
on_edit_button_clicked_cb (BuurtenListView *self);

void
on_decide_button_clicked_cb (BuurtenListView *self);

void
on_detail_back_button_clicked_cb (BuurtenListView *self);

void
on_empty_button_clicked_cb (BuurtenListView *self);
