/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-editor"

#include "config.h"

#include "buurten-editor.h"

typedef struct
{
  BuurtenContext *context;
  GCancellable   *cancellable;
  char           *id;
  char           *wijk;
  GtkLabel       *error_label;   /* weak: the subclass's template holds it */
  gboolean        busy;
  gboolean        dirty;
  gboolean        watching;
  /* a draft (issue 14, point 8) */
  gpointer        draft;          /* owned, of entity_type's info */
  gint64          attention_id;
  GArray         *also_resolves;  /* gint64: items sent with it (its plan) */
  gboolean        draft_shown;
} BuurtenEditorPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (BuurtenEditor, buurten_editor, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_WIJK,
  PROP_ID,
  PROP_BUSY,
  PROP_DIRTY,
  PROP_DRAFT,
  PROP_ATTENTION_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* A draft sent again: its writes and the attention item it came from
 * resolved, in one transaction (a nested unit of work joins it). */
typedef struct
{
  BuurtenFormBatch *batch;
  GArray           *attention_ids;   /* gint64: the draft's item first */
} DraftSend;

static void
draft_send_free (DraftSend *send)
{
  buurten_form_batch_free (send->batch);
  g_array_unref (send->attention_ids);
  g_free (send);
}

static gboolean
draft_send_write (BuurtenStore  *store,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  DraftSend *send = data;
  g_autoptr(GError) local_error = NULL;

  if (buurten_form_batch_get_size (send->batch) > 0 &&
      !buurten_form_batch_run (send->batch, store, error))
    return FALSE;
  for (guint i = 0; i < send->attention_ids->len; i++)
    {
      if (buurten_store_resolve_attention (store, g_array_index (send->attention_ids, gint64, i),
                                           &local_error))
        continue;
      /* Decided meanwhile (in another window): the draft goes anyway. */
      if (g_error_matches (local_error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_NOT_FOUND))
        {
          g_clear_error (&local_error);
          continue;
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

static void
saved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(BuurtenEditor) self = user_data;
  BuurtenEditorPrivate *priv = buurten_editor_get_instance_private (self);
  g_autoptr(GError) error = NULL;

  if (!buurten_store_write_finish (BUURTEN_STORE (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      buurten_editor_show_error (self, error->message);
      buurten_editor_set_busy (self, FALSE);
      return;
    }

  buurten_context_notify_changed (priv->context, BUURTEN_EDITOR_GET_CLASS (self)->entity_type,
                                  priv->id);
  g_signal_emit (self, signals[SAVED], 0, priv->id);
  gtk_window_destroy (GTK_WINDOW (self));
}

static const BuurtenEntityInfo *
editor_entity_info (BuurtenEditor *self)
{
  return buurten_entity_info_lookup (BUURTEN_EDITOR_GET_CLASS (self)->entity_type);
}

/* Once the form holds what was loaded (or a new item's defaults), the
 * draft goes over it. */
static void
maybe_show_draft (BuurtenEditor *self)
{
  BuurtenEditorPrivate *priv = buurten_editor_get_instance_private (self);

  if (priv->draft == NULL || priv->draft_shown || priv->busy ||
      BUURTEN_EDITOR_GET_CLASS (self)->show_draft == NULL)
    return;
  priv->draft_shown = TRUE;
  BUURTEN_EDITOR_GET_CLASS (self)->show_draft (self, priv->draft);
}

static void
set_dirty (BuurtenEditor *self,
           gboolean       dirty)
{
  BuurtenEditorPrivate *priv = buurten_editor_get_instance_private (self);

  if (priv->dirty == dirty)
    return;
  priv->dirty = dirty;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIRTY]);
}

static void
on_field_changed_cb (BuurtenEditor *self)
{
  BuurtenEditorPrivate *priv = buurten_editor_get_instance_private (self);

  /* While busy the editor fills its form itself (a load) or saves. */
  if (!priv->busy)
    set_dirty (self, TRUE);
}

/* Every field of the form: what the user changes there makes the editor
 * dirty. Fields added later (rows of a list) are not watched. */
static void
watch_fields (BuurtenEditor *self,
              GtkWidget     *widget)
{
  GCallback changed = G_CALLBACK (on_field_changed_cb);

  if (GTK_IS_EDITABLE (widget))
    g_signal_connect_object (widget, "changed", changed, self, G_CONNECT_SWAPPED);
  else if (GTK_IS_TEXT_VIEW (widget))
    g_signal_connect_object (gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget)), "changed",
                             changed, self, G_CONNECT_SWAPPED);
  else if (ADW_IS_COMBO_ROW (widget) || GTK_IS_DROP_DOWN (widget))
    g_signal_connect_object (widget, "notify::selected", changed, self, G_CONNECT_SWAPPED);
  else if (GTK_IS_CHECK_BUTTON (widget) || GTK_IS_SWITCH (widget) ||
           GTK_IS_TOGGLE_BUTTON (widget))
    g_signal_connect_object (widget, "notify::active", changed, self, G_CONNECT_SWAPPED);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    watch_fields (self, child);
}

static void
buurten_editor_map (GtkWidget *widget)
{
  BuurtenEditor *self = BUURTEN_EDITOR (widget);
  BuurtenEditorPrivate *priv = buurten_editor_get_instance_private (self);

  GTK_WIDGET_CLASS (buurten_editor_parent_class)->map (widget);

  maybe_show_draft (self);

  /* By now the subclass has filled its form for a new item. */
  if (!priv->watching)
    {
      priv->watching = TRUE;
      watch_fields (self, widget);
    }
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  BuurtenEditor *self = BUURTEN_EDITOR (widget);
  BuurtenEditorPrivate *priv = buurten_editor_get_instance_private (self);

  if (priv->busy || BUURTEN_EDITOR_GET_CLASS (self)->save == NULL)
    return;

  buurten_editor_show_error (self, NULL);
  BUURTEN_EDITOR_GET_CLASS (self)->save (self);
}

static void
buurten_editor_dispose (GObject *object)
{
  BuurtenEditor *self = BUURTEN_EDITOR (object);
  BuurtenEditorPrivate *priv = buurten_editor_get_instance_private (self);

  g_cancellable_cancel (priv->cancellable);
  g_clear_weak_pointer (&priv->error_label);

  G_OBJECT_CLASS (buurten_editor_parent_class)->dispose (object);
}

static void
buurten_editor_finalize (GObject *object)
{
  BuurtenEditor *self = BUURTEN_EDITOR (object);
  BuurtenEditorPrivate *priv = buurten_editor_get_instance_private (self);

  g_clear_object (&priv->context);
  g_clear_object (&priv->cancellable);
  g_free (priv->id);
  g_free (priv->wijk);
  g_clear_pointer (&priv->also_resolves, g_array_unref);
  if (priv->draft != NULL)
    buurten_entity_free (editor_entity_info (self), priv->draft);

  G_OBJECT_CLASS (buurten_editor_parent_class)->finalize (object);
}

static void
buurten_editor_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  BuurtenEditor *self = BUURTEN_EDITOR (object);
  BuurtenEditorPrivate *priv = buurten_editor_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, priv->context);
      break;
    case PROP_WIJK:
      g_value_set_string (value, priv->wijk);
      break;
    case PROP_ID:
      g_value_set_string (value, priv->id);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, priv->busy);
      break;
    case PROP_DIRTY:
      g_value_set_boolean (value, priv->dirty);
      break;
    case PROP_DRAFT:
      g_value_set_pointer (value, priv->draft);
      break;
    case PROP_ATTENTION_ID:
      g_value_set_int64 (value, priv->attention_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
buurten_editor_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  BuurtenEditor *self = BUURTEN_EDITOR (object);
  BuurtenEditorPrivate *priv = buurten_editor_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      priv->context = g_value_dup_object (value);
      break;
    case PROP_WIJK:
      priv->wijk = g_value_dup_string (value);
      break;
    case PROP_ID:
      priv->id = g_value_dup_string (value);
      break;
    case PROP_DRAFT:
      /* The class (and so its entity type) is known by now. */
      if (g_value_get_pointer (value) != NULL)
        {
          const BuurtenEntityInfo *info = editor_entity_info (self);

          g_return_if_fail (info != NULL);
          priv->draft = buurten_entity_copy (info, g_value_get_pointer (value));
        }
      break;
    case PROP_ATTENTION_ID:
      priv->attention_id = g_value_get_int64 (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
buurten_editor_class_init (BuurtenEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = buurten_editor_dispose;
  object_class->finalize = buurten_editor_finalize;
  object_class->get_property = buurten_editor_get_property;
  object_class->set_property = buurten_editor_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, BUURTEN_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_WIJK] =
    g_param_spec_string ("wijk", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * BuurtenEditor:busy:
   *
   * Whether the form is being read or written: Save is disabled meanwhile.
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * BuurtenEditor:dirty:
   *
   * Whether the user changed a field since the form was filled (from the
   * store, or with a new item's defaults) once it was shown.
   */
  properties[PROP_DIRTY] =
    g_param_spec_boolean ("dirty", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * BuurtenEditor:draft:
   *
   * An entity of the editor's type to show instead of what is loaded or
   * a new item's defaults: a refused change opened again (copied).
   */
  properties[PROP_DRAFT] =
    g_param_spec_pointer ("draft", NULL, NULL,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * BuurtenEditor:attention-id:
   *
   * The "Needs attention" item the draft came from, resolved when the
   * draft is sent again; 0 for none.
   */
  properties[PROP_ATTENTION_ID] =
    g_param_spec_int64 ("attention-id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  widget_class->map = buurten_editor_map;

  /**
   * BuurtenEditor::saved:
   * @id: the object's id
   *
   * Emitted once everything is written, just before the window closes.
   */
  signals[SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "editor.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "editor.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
buurten_editor_init (BuurtenEditor *self)
{
  BuurtenEditorPrivate *priv = buurten_editor_get_instance_private (self);

  priv->cancellable = g_cancellable_new ();
}

BuurtenContext *
buurten_editor_get_context (BuurtenEditor *self)
{
  BuurtenEditorPrivate *priv = buurten_editor_get_instance_private (self);

  g_return_val_if_fail (BUURTEN_IS_EDITOR (self), NULL);

  return priv->context;
}

GCancellable *
buurten_editor_get_cancellable (BuurtenEditor *self)
{
  BuurtenEditorPrivate *priv = buurten_editor_get_instance_private (self);

  g_return_val_if_fail (BUURTEN_IS_EDITOR (self), NULL);

  return priv->cancellable;
}

const char *
buurten_editor_get_id (BuurtenEditor *self)
{
  BuurtenEditorPrivate *priv = buurten_editor_get_instance_private (self);

  g_return_val_if_fail (BUURTEN_IS_EDITOR (self), NULL);

  return priv->id;
}

const char *
buurten_editor_get_wijk (BuurtenEditor *self)
{
  BuurtenEditorPrivate *priv = buurten_editor_get_instance_private (self);

  g_return_val_if_fail (BUURTEN_IS_EDITOR (self), NULL);

  return priv->wijk;
}

void
buurten_editor_set_busy (BuurtenEditor *self,
                         gboolean       busy)
{
  BuurtenEditorPrivate *priv = buurten_editor_get_instance_private (self);

  g_return_if_fail (BUURTEN_IS_EDITOR (self));

  busy = !!busy;
  if (priv->busy == busy)
    return;
  priv->busy = busy;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", !busy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  if (!busy && gtk_widget_get_mapped (GTK_WIDGET (self)))
    maybe_show_draft (self);
}

void
buurten_editor_set_error_label (BuurtenEditor *self,
                                GtkLabel      *label)
{
  BuurtenEditorPrivate *priv = buurten_editor_get_instance_private (self);

  g_return_if_fail (BUURTEN_IS_EDITOR (self));
  g_return_if_fail (label == NULL || GTK_IS_LABEL (label));

  g_set_weak_pointer (&priv->error_label, label);
}

void
buurten_editor_show_error (BuurtenEditor *self,
                           const char    *message)
{
  BuurtenEditorPrivate *priv = buurten_editor_get_instance_private (self);

  g_return_if_fail (BUURTEN_IS_EDITOR (self));

  buurten_form_show_error (NULL, priv->error_label, message);
}

void
buurten_editor_save_batch (BuurtenEditor    *self,
                           const char       *id,
                           BuurtenFormBatch *batch)
{
  BuurtenEditorPrivate *priv = buurten_editor_get_instance_private (self);

  g_return_if_fail (BUURTEN_IS_EDITOR (self));
  g_return_if_fail (batch != NULL);

  {
    /* id may be priv->id itself. */
    char *old_id = priv->id;

    priv->id = g_strdup (id);
    g_free (old_id);
  }

  if (buurten_form_batch_get_size (batch) == 0 && priv->attention_id == 0)
    {
      buurten_form_batch_free (batch);
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }

  buurten_editor_set_busy (self, TRUE);
  if (priv->attention_id != 0)
    {
      DraftSend *send = g_new0 (DraftSend, 1);

      send->batch = batch;
      send->attention_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_array_append_val (send->attention_ids, priv->attention_id);
      if (priv->also_resolves != NULL)
        g_array_append_vals (send->attention_ids, priv->also_resolves->data,
                             priv->also_resolves->len);
      buurten_store_write_async (buurten_context_get_store (priv->context), draft_send_write,
                                 send, (GDestroyNotify) draft_send_free, priv->cancellable,
                                 saved_cb, g_object_ref (self));
      return;
    }
  buurten_form_batch_save_async (batch, priv->context, priv->cancellable, saved_cb,
                                 g_object_ref (self));
}

gconstpointer
buurten_editor_get_draft (BuurtenEditor *self)
{
  BuurtenEditorPrivate *priv = buurten_editor_get_instance_private (self);

  g_return_val_if_fail (BUURTEN_IS_EDITOR (self), NULL);

  return priv->draft;
}

gint64
buurten_editor_get_attention_id (BuurtenEditor *self)
{
  BuurtenEditorPrivate *priv = buurten_editor_get_instance_private (self);

  g_return_val_if_fail (BUURTEN_IS_EDITOR (self), 0);

  return priv->attention_id;
}

void
buurten_editor_add_attention_id (BuurtenEditor *self,
                                 gint64         id)
{
  BuurtenEditorPrivate *priv = buurten_editor_get_instance_private (self);

  g_return_if_fail (BUURTEN_IS_EDITOR (self));
  g_return_if_fail (priv->attention_id != 0 && id > 0);

  if (priv->also_resolves == NULL)
    priv->also_resolves = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_array_append_val (priv->also_resolves, id);
}
