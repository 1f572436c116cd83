/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "buurten-context.h"

G_BEGIN_DECLS

/* One of the lists of a wijk (requests, initiatives, escalations or
 * meetings): a GtkColumnView with sortable columns, filters, search as you
 * type (the store's full-text search, in a worker thread), an empty state
 * and the selected item's detail with its history. */

typedef enum
{
  BUURTEN_LIST_REQUESTS,
  BUURTEN_LIST_INITIATIVES,
  BUURTEN_LIST_ESCALATIONS,
  BUURTEN_LIST_MEETINGS,
} BuurtenListKind;

#define BUURTEN_TYPE_LIST_VIEW (buurten_list_view_get_type ())
/* Declared by hand rather than with G_DECLARE_DERIVABLE_TYPE: the instance
 * structure is in buurten-list-view-private.h, shared with the subclasses,
 * not public. */
GType buurten_list_view_get_type (void);
typedef struct _BuurtenListView      BuurtenListView;
typedef struct _BuurtenListViewClass BuurtenListViewClass;
#define BUURTEN_LIST_VIEW(obj) \
  (G_TYPE_CHECK_INSTANCE_CAST ((obj), BUURTEN_TYPE_LIST_VIEW, BuurtenListView))
#define BUURTEN_IS_LIST_VIEW(obj) (G_TYPE_CHECK_INSTANCE_TYPE ((obj), BUURTEN_TYPE_LIST_VIEW))
#define BUURTEN_LIST_VIEW_CLASS(klass) \
  (G_TYPE_CHECK_CLASS_CAST ((klass), BUURTEN_TYPE_LIST_VIEW, BuurtenListViewClass))
#define BUURTEN_IS_LIST_VIEW_CLASS(klass) \
  (G_TYPE_CHECK_CLASS_TYPE ((klass), BUURTEN_TYPE_LIST_VIEW))
#define BUURTEN_LIST_VIEW_GET_CLASS(obj) \
  (G_TYPE_INSTANCE_GET_CLASS ((obj), BUURTEN_TYPE_LIST_VIEW, BuurtenListViewClass))
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BuurtenListView, g_object_unref)

/* The shared behaviour of the four lists; each is a final subclass in its
 * own file (BuurtenRequestList, BuurtenInitiativeList, BuurtenEscalationList,
 * BuurtenMeetingList) that says what sets it apart in its class. */
struct _BuurtenListViewClass
{
  GtkWidgetClass parent_class;

  /*< private >*/
  BuurtenListKind                   kind;
  const struct _BuurtenListKindDef *list;  /* buurten-list-view-private.h */
};

/* A new list of kind: an instance of its subclass. */
GtkWidget       *buurten_list_view_new          (BuurtenListKind  kind);
BuurtenListKind  buurten_list_view_get_kind     (BuurtenListView *self);
/* The entity type shown: "request", "initiative", "escalation", "meeting". */
const char      *buurten_list_view_get_entity_type (BuurtenListView *self);

void             buurten_list_view_set_context  (BuurtenListView *self,
                                                 BuurtenContext  *context);
/* Shows the items of wijk (loading them in a worker thread); NULL clears. */
void             buurten_list_view_set_wijk     (BuurtenListView *self,
                                                 const char      *wijk);
const char      *buurten_list_view_get_wijk     (BuurtenListView *self);

void             buurten_list_view_focus_search (BuurtenListView *self);
/* Selects the item with id (clearing filters that hide it) once loaded. */
void             buurten_list_view_select_id    (BuurtenListView *self,
                                                 const char      *id);
/* Opens the form for a new item of this list in the wijk. */
void             buurten_list_view_new_item     (BuurtenListView *self);

/* What the list holds: all loaded items, and those the filters pass. */
guint            buurten_list_view_get_n_loaded (BuurtenListView *self);
guint            buurten_list_view_get_n_shown  (BuurtenListView *self);

G_END_DECLS
