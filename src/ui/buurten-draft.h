/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "buurten-context.h"

G_BEGIN_DECLS

/* Drafts (issue 14, point 8): a refused create or edit, or the local side
 * of a conflict, opened again in its editor with everything as it was
 * typed. Helpers of the "Needs attention" window, internal to the UI. */

/* Whether item can be opened as a draft: a refused create or update of a
 * request, initiative, escalation or meeting, or a conflict on one of
 * those. *out_needs_current (may be NULL) says whether the draft goes
 * over the object as it is now (an edit, a conflict), which the caller
 * loads from the store. */
gboolean   buurten_draft_possible (const BuurtenAttention *item,
                                   gboolean               *out_needs_current);
/* The draft's entity (of item->object_type): a create's arguments as
 * sent, or current (the object as it is now) with the edit's set or the
 * conflict's own value over it. */
gpointer   buurten_draft_build    (const BuurtenAttention *item,
                                   gconstpointer           current,
                                   GError                **error);
/* The plans of refused creates among items (BuurtenAttention *): a map
 * from each refused initiative.create item to a GPtrArray of the refused
 * budget_line.add and activity.add items of the same initiative (by
 * initiative_id in their args), in the order sent. Only creates that have
 * such items are in it; an item whose args make no budget line or date is
 * in no plan (it stays an item of its own). All pointers are borrowed from
 * items. */
GHashTable *buurten_draft_find_plans (GPtrArray              *items);
/* The item's editor with draft (copied) in it, over parent's window;
 * sending it resolves the item. plan (may be NULL): the items of
 * buurten_draft_find_plans() for item; an initiative's draft shows their
 * budget lines and dates, and its save sends them again and resolves
 * them in the same transaction. */
GtkWidget *buurten_draft_open     (GtkWidget              *parent,
                                   BuurtenContext         *context,
                                   const BuurtenAttention *item,
                                   gconstpointer           draft,
                                   GPtrArray              *plan);

G_END_DECLS
