/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-attention"

#include "config.h"

#include "buurten-attention-window.h"

#include <glib/gi18n.h>

#include "buurten-draft.h"
#include "buurten-editors.h"
#include "buurten-format.h"
#include "buurten-store-initiative.h"
#include "buurten-sync-local.h"
#include "buurten-window.h"

struct _BuurtenAttentionWindow
{
  AdwWindow     parent_instance;

  /* template widgets */
  GtkStack     *stack;
  GtkBox       *items_box;

  BuurtenStore *store;
  BuurtenMunicipality *municipality;  /* loaded with the items, or NULL */
  char         *actor;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (BuurtenAttentionWindow, buurten_attention_window, ADW_TYPE_WINDOW)

enum
{
  DECIDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

#define ITEM_KEY "buurten-attention-item"
#define OVERDUE_KEY "buurten-attention-overdue"
/* On an item's widget (owned) and its buttons (borrowed): the refused
 * budget lines and dates of a refused initiative.create, listed under it. */
#define PLAN_KEY "buurten-attention-plan"

char *
buurten_attention_describe (const BuurtenAttention *item,
                            BuurtenMunicipality    *municipality)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *args = NULL;

  g_return_val_if_fail (item != NULL, NULL);

  /* The sentence comes from the code and its args, in the user's
   * language: never the server's English message, never a raw id. */
  if (item->refusal_args_json != NULL)
    {
      node = buurten_json_parse (item->refusal_args_json, -1, BUURTEN_JSON_DEFAULT_MAX_DEPTH,
                                 NULL);
      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        args = json_node_get_object (node);
    }

  return buurten_refusal_describe_code (item->code != NULL ? item->code : "", args,
                                        municipality);
}

/* A JSON value as people read it: strings bare, null as a dash. */
static char *
value_text (const char *json)
{
  g_autoptr(JsonNode) node = NULL;

  if (json == NULL)
    return g_strdup ("—");
  node = buurten_json_parse (json, -1, BUURTEN_JSON_DEFAULT_MAX_DEPTH, NULL);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("—");
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  return g_strdup (json);
}

/* The words of what was sent: its title, body or amount, never ids. */
static char *
args_summary (const BuurtenAttention *item)
{
  g_autoptr(JsonNode) node = NULL;
  static const char * const members[] = { "title", "body", "description", NULL };
  JsonObject *args, *set = NULL;

  if (item->args_json == NULL)
    return NULL;
  node = buurten_json_parse (item->args_json, -1, BUURTEN_JSON_DEFAULT_MAX_DEPTH, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  args = json_node_get_object (node);
  if (json_object_has_member (args, "set") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (args, "set")))
    set = json_object_get_object_member (args, "set");

  for (guint i = 0; members[i] != NULL; i++)
    {
      JsonObject *in = set != NULL && json_object_has_member (set, members[i]) ? set : args;
      JsonNode *member = json_object_get_member (in, members[i]);

      if (member != NULL && JSON_NODE_HOLDS_VALUE (member) &&
          json_node_get_value_type (member) == G_TYPE_STRING)
        return g_strdup (json_node_get_string (member));
    }
  if (json_object_has_member (args, "amount_cents") &&
      JSON_NODE_HOLDS_VALUE (json_object_get_member (args, "amount_cents")))
    return buurten_money_format (json_object_get_int_member (args, "amount_cents"));
  return NULL;
}

/* ---- decisions, off the UI thread --------------------------------------- */

typedef enum
{
  DECIDE_DISMISS,
  DECIDE_KEEP_MINE,
  DECIDE_RESTORE,
} Decision;

typedef struct
{
  char             *actor;
  BuurtenAttention *item;
  Decision          decision;
  GArray           *plan_ids;   /* gint64: dismissed with the item */
} DecideData;

static void
decide_data_free (DecideData *data)
{
  g_free (data->actor);
  g_clear_pointer (&data->plan_ids, g_array_unref);
  buurten_attention_free (data->item);
  g_free (data);
}

/* A unit of work on the store's writer. */
static gboolean
decide_write (BuurtenStore  *store,
              gpointer       user_data,
              GCancellable  *cancellable,
              GError       **error)
{
  DecideData *data = user_data;

  if (data->decision == DECIDE_RESTORE)
    {
      g_autofree char *id = buurten_sync_restore (store, data->actor, data->item, error);

      return id != NULL;
    }
  if (!buurten_sync_resolve (store, data->actor, data->item,
                             data->decision == DECIDE_KEEP_MINE, error))
    return FALSE;
  /* A refused create's budget lines and dates go with it, in the same
   * transaction (a nested unit of work joins it). */
  for (guint i = 0; data->plan_ids != NULL && i < data->plan_ids->len; i++)
    {
      g_autoptr(GError) local_error = NULL;

      if (!buurten_store_resolve_attention (store, g_array_index (data->plan_ids, gint64, i),
                                            &local_error) &&
          !g_error_matches (local_error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }
  return TRUE;
}

static void
decided_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(BuurtenAttentionWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!buurten_store_write_finish (BUURTEN_STORE (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Shown where the decision was taken; the item stays. */
      g_warning ("attention: %s", error->message);
    }
  g_signal_emit (self, signals[DECIDED], 0);
  buurten_attention_window_reload (self);
}

static void
decide_item (BuurtenAttentionWindow *self,
             BuurtenAttention       *item,
             GPtrArray              *plan,
             Decision                decision)
{
  DecideData *data;

  data = g_new0 (DecideData, 1);
  if (plan != NULL && plan->len > 0)
    {
      data->plan_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      for (guint i = 0; i < plan->len; i++)
        g_array_append_val (data->plan_ids,
                            ((BuurtenAttention *) g_ptr_array_index (plan, i))->id);
    }
  data->actor = g_strdup (self->actor);
  data->decision = decision;
  data->item = g_new0 (BuurtenAttention, 1);
  data->item->id = item->id;
  data->item->kind = g_strdup (item->kind);
  data->item->object_type = g_strdup (item->object_type);
  data->item->object_id = g_strdup (item->object_id);
  data->item->field = g_strdup (item->field);
  data->item->yours_json = g_strdup (item->yours_json);

  buurten_store_write_async (self->store, decide_write, data,
                             (GDestroyNotify) decide_data_free, self->cancellable,
                             decided_cb, g_object_ref (self));
}

static void
decide (GtkButton *button,
        Decision   decision)
{
  BuurtenAttentionWindow *self =
    BUURTEN_ATTENTION_WINDOW (gtk_widget_get_root (GTK_WIDGET (button)));
  BuurtenAttention *item = g_object_get_data (G_OBJECT (button), ITEM_KEY);

  if (item == NULL)
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
  decide_item (self, item, NULL, decision);
}

static void
on_dismiss_clicked_cb (GtkButton *button)
{
  decide (button, DECIDE_DISMISS);
}

static void
on_keep_mine_clicked_cb (GtkButton *button)
{
  decide (button, DECIDE_KEEP_MINE);
}

static void
on_restore_clicked_cb (GtkButton *button)
{
  decide (button, DECIDE_RESTORE);
}

/* ---- drafts (issue 14, point 8) ----------------------------------------- */

/* The main window's context: the editors need it. NULL without one. */
static BuurtenContext *
window_context (BuurtenAttentionWindow *self)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  if (!BUURTEN_IS_WINDOW (parent))
    return NULL;
  return buurten_window_get_context (BUURTEN_WINDOW (parent));
}

static void
show_failure (BuurtenAttentionWindow *self,
              const char             *message)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self),
                                              _("This Cannot Be Opened"), message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_draft_saved_cb (BuurtenAttentionWindow *self)
{
  g_signal_emit (self, signals[DECIDED], 0);
  buurten_attention_window_reload (self);
}

static void
open_draft (BuurtenAttentionWindow *self,
            BuurtenAttention       *item,
            GPtrArray              *plan,
            gconstpointer           current)
{
  BuurtenContext *context = window_context (self);
  g_autoptr(GError) error = NULL;
  const BuurtenEntityInfo *info;
  gpointer draft;
  GtkWidget *editor;

  if (context == NULL)
    return;
  draft = buurten_draft_build (item, current, &error);
  if (draft == NULL)
    {
      show_failure (self, error->message);
      return;
    }
  info = g_strcmp0 (item->kind, "conflict") == 0
           ? buurten_entity_info_lookup (item->object_type)
           : buurten_mutation_lookup (item->mutation)->entity;
  editor = buurten_draft_open (GTK_WIDGET (self), context, item, draft, plan);
  buurten_entity_free (info, draft);
  g_signal_connect_object (editor, "saved", G_CALLBACK (on_draft_saved_cb), self,
                           G_CONNECT_SWAPPED);
}

typedef struct
{
  BuurtenAttentionWindow *self;       /* owned */
  BuurtenAttention       *item;       /* borrowed from its widget, kept alive */
  GtkWidget              *widget;     /* owned: holds item */
} CurrentLoad;

static gpointer
load_current_in_thread (BuurtenStore  *store,
                        gpointer       data,
                        GCancellable  *cancellable,
                        GError       **error)
{
  CurrentLoad *load = data;
  const BuurtenEntityInfo *info = buurten_entity_info_lookup (load->item->object_type);

  return buurten_store_get (store, info, load->item->object_id, error);
}

static void
current_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  CurrentLoad *load = user_data;
  g_autoptr(GError) error = NULL;
  const BuurtenEntityInfo *info = buurten_entity_info_lookup (load->item->object_type);
  gpointer current = buurten_store_load_finish (BUURTEN_STORE (source), result, &error);

  if (current != NULL)
    {
      open_draft (load->self, load->item, NULL, current);
      buurten_entity_free (info, current);
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_failure (load->self, g_error_matches (error, BUURTEN_STORE_ERROR,
                                               BUURTEN_STORE_ERROR_NOT_FOUND)
                                ? _("It is no longer on this computer: the server may have "
                                    "deleted it.")
                                : error->message);
  g_object_unref (load->self);
  g_object_unref (load->widget);
  g_free (load);
}

static void
on_open_draft_clicked_cb (GtkButton *button)
{
  BuurtenAttentionWindow *self =
    BUURTEN_ATTENTION_WINDOW (gtk_widget_get_root (GTK_WIDGET (button)));
  BuurtenAttention *item = g_object_get_data (G_OBJECT (button), ITEM_KEY);
  gboolean needs_current = FALSE;
  CurrentLoad *load;

  if (item == NULL || !buurten_draft_possible (item, &needs_current))
    return;
  if (!needs_current)
    {
      open_draft (self, item, g_object_get_data (G_OBJECT (button), PLAN_KEY), NULL);
      return;
    }

  /* An edit goes over the object as it is now: loaded first. */
  load = g_new0 (CurrentLoad, 1);
  load->self = g_object_ref (self);
  load->item = item;
  load->widget = g_object_ref (GTK_WIDGET (button));
  buurten_store_load_async (self->store, load_current_in_thread, load, NULL,
                            NULL, self->cancellable, current_loaded_cb, load);
}

static void
on_discard_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        GtkButton        *button)
{
  BuurtenAttentionWindow *self;

  if (g_strcmp0 (response, "discard") != 0 || gtk_widget_get_root (GTK_WIDGET (button)) == NULL)
    return;
  self = BUURTEN_ATTENTION_WINDOW (gtk_widget_get_root (GTK_WIDGET (button)));
  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
  decide_item (self, g_object_get_data (G_OBJECT (button), ITEM_KEY),
               g_object_get_data (G_OBJECT (button), PLAN_KEY), DECIDE_DISMISS);
}

static void
on_discard_clicked_cb (GtkButton *button)
{
  GtkWindow *window = GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (button)));
  GPtrArray *plan = g_object_get_data (G_OBJECT (button), PLAN_KEY);
  GtkWidget *dialog;

  if (g_object_get_data (G_OBJECT (button), ITEM_KEY) == NULL)
    return;
  dialog = adw_message_dialog_new (window, _("Discard This Change?"),
                                   plan != NULL && plan->len > 0
                                     ? _("What was typed for it, with its budget lines and "
                                         "dates, is lost for good. Open it as a draft instead "
                                         "to change it and send it again.")
                                     : _("What was typed for it is lost for good. Open it as a "
                                         "draft instead to change it and send it again."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_discard_response_cb), button, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- late decisions (issue 14, point 3) --------------------------------- */

static void
on_open_initiative_clicked_cb (GtkButton *button)
{
  BuurtenAttentionWindow *self =
    BUURTEN_ATTENTION_WINDOW (gtk_widget_get_root (GTK_WIDGET (button)));
  BuurtenOverdueInitiative *late = g_object_get_data (G_OBJECT (button), OVERDUE_KEY);
  BuurtenContext *context = window_context (self);

  if (late == NULL || context == NULL)
    return;
  buurten_open_editor (GTK_WIDGET (self), context, "initiative", NULL, late->initiative->id);
}

static GtkWidget *
action_button (const char       *label,
               const char       *accessible,
               BuurtenAttention *item,
               GCallback         callback,
               gboolean          suggested)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible, -1);
  g_object_set_data (G_OBJECT (button), ITEM_KEY, item);
  g_signal_connect (button, "clicked", callback, NULL);
  if (suggested)
    gtk_widget_add_css_class (button, "suggested-action");
  return button;
}

/* One side of a conflict: a card with its heading and the text. */
static GtkWidget *
side_card (const char *heading,
           const char *text,
           GtkWidget  *button)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *title = gtk_label_new (heading);
  GtkWidget *body = gtk_label_new (text);

  gtk_widget_add_css_class (box, "card");
  gtk_widget_set_hexpand (box, TRUE);
  g_object_set (box, "margin-top", 0, NULL);
  gtk_widget_set_margin_start (title, 12);
  gtk_widget_set_margin_top (title, 12);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_wrap (GTK_LABEL (body), TRUE);
  gtk_label_set_selectable (GTK_LABEL (body), TRUE);
  gtk_label_set_xalign (GTK_LABEL (body), 0);
  gtk_widget_set_margin_start (body, 12);
  gtk_widget_set_margin_end (body, 12);
  gtk_widget_set_vexpand (body, TRUE);
  gtk_widget_set_valign (body, GTK_ALIGN_START);
  gtk_widget_set_halign (button, GTK_ALIGN_END);
  gtk_widget_set_margin_end (button, 12);
  gtk_widget_set_margin_bottom (button, 12);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), body);
  gtk_box_append (GTK_BOX (box), button);
  return box;
}

static GtkWidget *
item_widget (BuurtenAttention    *item,
             GPtrArray           *plan,
             BuurtenMunicipality *municipality)
{
  GtkWidget *group = adw_preferences_group_new ();
  g_autofree char *summary = args_summary (item);

  if (g_strcmp0 (item->kind, "conflict") == 0)
    {
      GtkWidget *sides = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      g_autofree char *theirs = value_text (item->theirs_json);
      g_autofree char *yours = value_text (item->yours_json);
      g_autofree char *title = NULL;
      const BuurtenEntityInfo *info = buurten_entity_info_lookup (item->object_type);

      /* Translators: "title" of a request was changed here and on the server */
      title = g_strdup_printf (_("“%s” was changed here and on the server"),
                               buurten_format_field_label (item->field));
      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
        info == &buurten_note_info
          ? _("The text that arrived last is kept; choose which one stays.")
          : _("The server's value is shown now; choose which one stays."));
      gtk_box_set_homogeneous (GTK_BOX (sides), TRUE);
      gtk_box_append (GTK_BOX (sides),
                      side_card (_("On the server"), theirs,
                                 action_button (_("_Keep This"), _("Keep the Server's Value"),
                                                item, G_CALLBACK (on_dismiss_clicked_cb),
                                                FALSE)));
      gtk_box_append (GTK_BOX (sides),
                      side_card (_("Yours"), yours,
                                 action_button (_("_Use Mine"), _("Use My Value"), item,
                                                G_CALLBACK (on_keep_mine_clicked_cb), TRUE)));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), sides);
      if (buurten_draft_possible (item, NULL))
        {
          GtkWidget *draft = action_button (_("_Open Mine as Draft"), _("Open Mine as Draft"),
                                            item, G_CALLBACK (on_open_draft_clicked_cb), FALSE);

          gtk_widget_set_halign (draft, GTK_ALIGN_END);
          gtk_widget_set_margin_top (draft, 12);
          adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), draft);
        }
      return group;
    }

  if (g_strcmp0 (item->kind, "deleted") == 0)
    {
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *yours = NULL;
      g_autoptr(JsonNode) row_json = NULL;

      if (item->yours_json != NULL)
        row_json = buurten_json_parse (item->yours_json, -1, BUURTEN_JSON_DEFAULT_MAX_DEPTH,
                                       NULL);
      if (row_json != NULL && JSON_NODE_HOLDS_OBJECT (row_json))
        {
          JsonObject *object = json_node_get_object (row_json);

          yours = g_strdup (json_object_get_string_member_with_default (
            object, "body", json_object_get_string_member_with_default (object, "title", "")));
        }

      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group),
                                       _("Deleted on the server while you changed it"));
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                             _("Someone else deleted it. Restore it with your "
                                               "text, or let it go."));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     yours != NULL && *yours != '\0' ? yours : "—");
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 action_button (_("_Let Go"), _("Let It Go"), item,
                                                G_CALLBACK (on_dismiss_clicked_cb), FALSE));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 action_button (_("_Restore"), _("Restore"), item,
                                                G_CALLBACK (on_restore_clicked_cb), TRUE));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
      return group;
    }

  {
    GtkWidget *row = adw_action_row_new ();
    g_autofree char *title = g_strdup_printf (_("%s was refused"),
                                              buurten_mutation_label (item->mutation));
    g_autofree char *reason = buurten_attention_describe (item, municipality);

    adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), reason);
    adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                   summary != NULL ? summary
                                                   : buurten_mutation_label (item->mutation));
    /* Nothing typed is lost: a form's change opens again as a draft. */
    if (buurten_draft_possible (item, NULL))
      {
        GtkWidget *discard = action_button (_("_Discard…"), _("Discard"), item,
                                            G_CALLBACK (on_discard_clicked_cb), FALSE);
        GtkWidget *open = action_button (_("_Open as Draft"), _("Open as Draft"), item,
                                         G_CALLBACK (on_open_draft_clicked_cb), TRUE);

        g_object_set_data (G_OBJECT (discard), PLAN_KEY, plan);
        g_object_set_data (G_OBJECT (open), PLAN_KEY, plan);
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), discard);
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), open);
      }
    else
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 action_button (_("_Seen"), _("Mark as Seen"), item,
                                                G_CALLBACK (on_dismiss_clicked_cb), FALSE));
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);

    /* Its budget lines and dates, refused with it: part of its draft. */
    for (guint i = 0; plan != NULL && i < plan->len; i++)
      {
        BuurtenAttention *part = g_ptr_array_index (plan, i);
        g_autofree char *part_summary = args_summary (part);
        GtkWidget *part_row = adw_action_row_new ();

        adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (part_row), FALSE);
        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (part_row),
                                       part_summary != NULL
                                         ? part_summary : buurten_mutation_label (part->mutation));
        adw_action_row_set_subtitle (ADW_ACTION_ROW (part_row),
                                     buurten_mutation_label (part->mutation));
        adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), part_row);
      }
  }
  return group;
}

/* An initiative whose decision is past its term; the first of them
 * carries the heading. */
static GtkWidget *
overdue_widget (BuurtenOverdueInitiative *late,
                gboolean                  first)
{
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Open"));
  g_autofree char *title = NULL;
  g_autofree char *due = buurten_format_date (&late->due);
  g_autofree char *subtitle = NULL;
  g_autofree char *accessible = NULL;

  /* Translators: "Decision late: Speeltuin Oost, 12 days past the term" */
  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                        "Decision late: %s, %d day past the term",
                                        "Decision late: %s, %d days past the term",
                                        late->days_late),
                           late->initiative->title != NULL ? late->initiative->title : "—",
                           late->days_late);
  /* Translators: %s is a date */
  subtitle = g_strdup_printf (_("The decision was due on %s."), due);
  accessible = g_strdup_printf (_("Open %s"), late->initiative->title != NULL
                                                ? late->initiative->title : "—");

  if (first)
    adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Decision Past Its Term"));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible, -1);
  g_object_set_data (G_OBJECT (button), OVERDUE_KEY, late);
  g_signal_connect (button, "clicked", G_CALLBACK (on_open_initiative_clicked_cb), NULL);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  return group;
}

/* ---- loading ----------------------------------------------------------- */

typedef struct
{
  GPtrArray           *overdue;
  GPtrArray           *items;
  BuurtenMunicipality *municipality;  /* names roles and wijken; may be NULL */
} Loaded;

static void
loaded_free (Loaded *loaded)
{
  g_clear_pointer (&loaded->items, g_ptr_array_unref);
  g_clear_pointer (&loaded->overdue, g_ptr_array_unref);
  g_clear_object (&loaded->municipality);
  g_free (loaded);
}

static gpointer
load_in_thread (BuurtenStore  *store,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  GPtrArray *items = buurten_store_list_attention (store, error);
  GPtrArray *overdue;
  Loaded *loaded;
  GDate today;

  if (items == NULL)
    return NULL;
  buurten_store_get_attention_today (store, &today);
  overdue = buurten_store_list_overdue_initiatives (store, &today, error);
  if (overdue == NULL)
    {
      g_ptr_array_unref (items);
      return NULL;
    }

  loaded = g_new0 (Loaded, 1);
  loaded->items = items;
  loaded->overdue = overdue;
  /* Without it the sentences name roles and wijken generically. */
  loaded->municipality = buurten_store_load_municipality (store, NULL);
  return loaded;
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(BuurtenAttentionWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  Loaded *loaded = buurten_store_load_finish (BUURTEN_STORE (source), result, &error);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) overdue = NULL;
  GtkWidget *child;

  if (loaded == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("attention: %s", error->message);
      return;
    }

  items = g_steal_pointer (&loaded->items);
  overdue = g_steal_pointer (&loaded->overdue);
  g_set_object (&self->municipality, loaded->municipality);
  loaded_free (loaded);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->items_box))) != NULL)
    gtk_box_remove (self->items_box, child);

  /* Each widget owns its item: its buttons point into it. A refused
   * create's budget lines and dates are listed under it, not apart. */
  {
    g_autoptr(GHashTable) plans = buurten_draft_find_plans (items);
    g_autoptr(GHashTable) in_plan = g_hash_table_new (NULL, NULL);
    GHashTableIter iter;
    GPtrArray *plan;

    g_hash_table_iter_init (&iter, plans);
    while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &plan))
      {
        for (guint i = 0; i < plan->len; i++)
          g_hash_table_add (in_plan, g_ptr_array_index (plan, i));
        g_ptr_array_set_free_func (plan, (GDestroyNotify) buurten_attention_free);
      }

    g_ptr_array_set_free_func (items, NULL);
    for (guint i = 0; i < items->len; i++)
      {
        BuurtenAttention *item = g_ptr_array_index (items, i);
        GtkWidget *widget;

        if (g_hash_table_contains (in_plan, item))
          continue;   /* owned by its create's plan */
        plan = g_hash_table_lookup (plans, item);
        widget = item_widget (item, plan, self->municipality);
        g_object_set_data_full (G_OBJECT (widget), ITEM_KEY, item,
                                (GDestroyNotify) buurten_attention_free);
        if (plan != NULL)
          {
            g_hash_table_steal (plans, item);
            g_object_set_data_full (G_OBJECT (widget), PLAN_KEY, plan,
                                    (GDestroyNotify) g_ptr_array_unref);
          }
        gtk_box_append (self->items_box, widget);
      }
  }
  g_ptr_array_set_free_func (overdue, NULL);
  for (guint i = 0; i < overdue->len; i++)
    {
      BuurtenOverdueInitiative *late = g_ptr_array_index (overdue, i);
      GtkWidget *widget = overdue_widget (late, i == 0);

      g_object_set_data_full (G_OBJECT (widget), OVERDUE_KEY, late,
                              (GDestroyNotify) buurten_overdue_initiative_free);
      gtk_box_append (self->items_box, widget);
    }
  gtk_stack_set_visible_child_name (self->stack,
                                    gtk_widget_get_first_child (GTK_WIDGET (self->items_box))
                                    != NULL ? "list" : "empty");
}

void
buurten_attention_window_reload (BuurtenAttentionWindow *self)
{
  g_return_if_fail (BUURTEN_IS_ATTENTION_WINDOW (self));

  buurten_store_load_async (self->store, load_in_thread, NULL, NULL,
                            (GDestroyNotify) loaded_free, self->cancellable, loaded_cb,
                            g_object_ref (self));
}

static void
buurten_attention_window_dispose (GObject *object)
{
  BuurtenAttentionWindow *self = BUURTEN_ATTENTION_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), BUURTEN_TYPE_ATTENTION_WINDOW);

  G_OBJECT_CLASS (buurten_attention_window_parent_class)->dispose (object);
}

static void
buurten_attention_window_finalize (GObject *object)
{
  BuurtenAttentionWindow *self = BUURTEN_ATTENTION_WINDOW (object);

  g_clear_object (&self->store);
  g_clear_object (&self->municipality);
  g_free (self->actor);

  G_OBJECT_CLASS (buurten_attention_window_parent_class)->finalize (object);
}

static void
buurten_attention_window_class_init (BuurtenAttentionWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = buurten_attention_window_dispose;
  object_class->finalize = buurten_attention_window_finalize;

  signals[DECIDED] = g_signal_new ("decided", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/nl/hilversum/Buurten/buurten-attention-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BuurtenAttentionWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, BuurtenAttentionWindow, items_box);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
buurten_attention_window_init (BuurtenAttentionWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

GtkWidget *
buurten_attention_window_new (GtkWindow    *parent,
                              BuurtenStore *store,
                              const char   *actor)
{
  BuurtenAttentionWindow *self;

  g_return_val_if_fail (BUURTEN_IS_STORE (store), NULL);

  self = g_object_new (BUURTEN_TYPE_ATTENTION_WINDOW, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  self->actor = g_strdup (actor);
  buurten_attention_window_reload (self);
  return GTK_WIDGET (self);
}
