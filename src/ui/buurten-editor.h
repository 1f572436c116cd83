/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "buurten-context.h"
#include "buurten-form.h"

G_BEGIN_DECLS

#define BUURTEN_TYPE_EDITOR (buurten_editor_get_type ())
G_DECLARE_DERIVABLE_TYPE (BuurtenEditor, buurten_editor, BUURTEN, EDITOR, AdwWindow)

/* What the four entity editors share: a modal window that creates (id
 * NULL; wijk preselected, may be NULL) or edits (id set) one object of a
 * context; Ctrl+S and Ctrl+Enter save ("editor.save"), Escape closes.
 * A save writes a batch in one transaction in a worker thread, calls
 * buurten_context_notify_changed, emits ::saved (const char *id) and
 * closes the window; on an error the message shows in the form and
 * nothing typed is lost. Closing the window cancels what still runs. */
struct _BuurtenEditorClass
{
  AdwWindowClass parent_class;

  /* The entity type the editor writes ("request"), for the change
   * notification; set in class_init. */
  const char *entity_type;

  /* Reads the form and hands its writes to buurten_editor_save_batch(),
   * or shows at the field what is wrong. Never called while a save
   * runs. */
  void (*save) (BuurtenEditor *self);

  /* Drafts (issue 14, point 8): shows entity, a draft of what was sent
   * and refused, in the form instead of what was loaded or a new item's
   * defaults. Called once, after the form was filled (a new item's form
   * when it is shown; an edited item's after its load). For an edit, the
   * loaded object stays the base of the update the save sends. */
  void (*show_draft) (BuurtenEditor *self,
                      gconstpointer  entity);
};

BuurtenContext *buurten_editor_get_context     (BuurtenEditor    *self);
GCancellable   *buurten_editor_get_cancellable (BuurtenEditor    *self);
/* The object's id: NULL for a new one until buurten_editor_save_batch(). */
const char     *buurten_editor_get_id          (BuurtenEditor    *self);
const char     *buurten_editor_get_wijk        (BuurtenEditor    *self);
/* While busy (loading or saving) "editor.save" is disabled. */
void            buurten_editor_set_busy        (BuurtenEditor    *self,
                                                gboolean          busy);
/* The label above the form for errors that belong to no one field; the
 * subclass sets it in init, after its template. */
void            buurten_editor_set_error_label (BuurtenEditor    *self,
                                                GtkLabel         *label);
/* Shows message there (NULL hides it). */
void            buurten_editor_show_error      (BuurtenEditor    *self,
                                                const char       *message);
/* The draft the editor was opened with (the "draft" property: an entity
 * of the editor's type, copied), or NULL. With "attention-id" set, the
 * save that sends the draft again also resolves that attention item, in
 * the same transaction. */
gconstpointer   buurten_editor_get_draft       (BuurtenEditor    *self);
gint64          buurten_editor_get_attention_id (BuurtenEditor   *self);
/* Another "Needs attention" item the draft's save resolves in the same
 * transaction: a refused budget line or date sent with a refused create,
 * now in the draft's form. Only with "attention-id" set. */
void            buurten_editor_add_attention_id (BuurtenEditor   *self,
                                                 gint64           id);
/* Writes batch (taken) for the object id; an empty batch only closes. */
void            buurten_editor_save_batch      (BuurtenEditor    *self,
                                                const char       *id,
                                                BuurtenFormBatch *batch);

G_END_DECLS
