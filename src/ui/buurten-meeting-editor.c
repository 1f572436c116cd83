/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-meeting-editor"

#include "config.h"

#include "buurten-meeting-editor.h"

#include <glib/gi18n.h>

#include "buurten-format.h"


struct _BuurtenMeetingEditor
{
  BuurtenEditor   parent_instance;

  /* template widgets */
  GtkLabel       *form_error_label;
  AdwComboRow    *kind_row;
  AdwComboRow    *place_row;
  AdwEntryRow    *date_row;
  AdwEntryRow    *time_row;
  AdwEntryRow    *location_row;
  GtkLabel       *date_error_label;
  GtkListBox     *agenda_list;
  GtkEntry       *agenda_entry;
  GtkListBox     *actions_list;
  GtkEntry       *action_title_entry;
  GtkEntry       *action_owner_entry;
  GtkEntry       *action_due_entry;
  GtkLabel       *action_error_label;

  /* owned references */
  BuurtenMeeting *loaded;
  GPtrArray      *loaded_agenda;   /* BuurtenAgendaItem*, as stored */
  GPtrArray      *loaded_actions;  /* BuurtenAction*, as stored */
  GPtrArray      *agenda;          /* BuurtenAgendaItem*, in the order shown */
  GPtrArray      *actions;         /* BuurtenAction*, in the order shown */
};

G_DEFINE_FINAL_TYPE (BuurtenMeetingEditor, buurten_meeting_editor, BUURTEN_TYPE_EDITOR)

static GPtrArray *
agenda_array_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) buurten_agenda_item_free);
}

static GPtrArray *
actions_array_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) buurten_action_free);
}

static gpointer
find_by_id (GPtrArray  *array,
            gsize       id_offset,
            const char *id)
{
  for (guint i = 0; array != NULL && i < array->len; i++)
    {
      gpointer item = g_ptr_array_index (array, i);

      if (g_strcmp0 (G_STRUCT_MEMBER (const char *, item, id_offset), id) == 0)
        return item;
    }
  return NULL;
}

/* -- place: wijken, then clusters -- */

static void
fill_places (BuurtenMeetingEditor *self,
             const char           *wijk,
             const char           *cluster)
{
  BuurtenContext *context = buurten_editor_get_context (BUURTEN_EDITOR (self));
  BuurtenMunicipality *municipality = buurten_context_get_municipality (context);
  GPtrArray *wijken = buurten_municipality_get_wijken (municipality);
  GPtrArray *clusters = buurten_municipality_get_clusters (municipality);
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  const char * const *mine = buurten_context_get_user_wijken (context);
  guint selected = 0;

  if (wijk == NULL && cluster == NULL && mine != NULL)
    wijk = mine[0];

  for (guint i = 0; i < wijken->len; i++)
    {
      const BuurtenWijk *w = g_ptr_array_index (wijken, i);

      gtk_string_list_append (labels, w->name);
      if (g_strcmp0 (w->id, wijk) == 0)
        selected = i;
    }
  for (guint i = 0; i < clusters->len; i++)
    {
      const BuurtenCluster *c = g_ptr_array_index (clusters, i);
      g_autofree char *label = NULL;

      /* Translators: a cluster of two wijken as a place, e.g. "Cluster Noord" */
      label = g_strdup_printf (_("Cluster %s"), c->name);
      gtk_string_list_append (labels, label);
      if (g_strcmp0 (c->id, cluster) == 0)
        selected = wijken->len + i;
    }

  adw_combo_row_set_model (self->place_row, G_LIST_MODEL (labels));
  adw_combo_row_set_selected (self->place_row, selected);
}

static void
get_place (BuurtenMeetingEditor  *self,
           const char           **out_wijk,
           const char           **out_cluster)
{
  BuurtenContext *context = buurten_editor_get_context (BUURTEN_EDITOR (self));
  BuurtenMunicipality *municipality = buurten_context_get_municipality (context);
  GPtrArray *wijken = buurten_municipality_get_wijken (municipality);
  GPtrArray *clusters = buurten_municipality_get_clusters (municipality);
  guint selected = adw_combo_row_get_selected (self->place_row);

  *out_wijk = NULL;
  *out_cluster = NULL;
  if (selected < wijken->len)
    *out_wijk = ((const BuurtenWijk *) g_ptr_array_index (wijken, selected))->id;
  else if (selected - wijken->len < clusters->len)
    *out_cluster = ((const BuurtenCluster *) g_ptr_array_index (clusters,
                                                                selected - wijken->len))->id;
}

/* -- the agenda -- */

static void rebuild_agenda (BuurtenMeetingEditor *self);

static void
move_item (BuurtenMeetingEditor *self,
           guint                 index,
           int                   delta)
{
  guint other = index + delta;
  gpointer item;

  if (index >= self->agenda->len || other >= self->agenda->len)
    return;

  item = self->agenda->pdata[index];
  self->agenda->pdata[index] = self->agenda->pdata[other];
  self->agenda->pdata[other] = item;
  rebuild_agenda (self);
}

static void
on_agenda_up_cb (GtkButton            *button,
                 BuurtenMeetingEditor *self)
{
  move_item (self, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "index")), -1);
}

static void
on_agenda_down_cb (GtkButton            *button,
                   BuurtenMeetingEditor *self)
{
  move_item (self, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "index")), 1);
}

static void
on_agenda_remove_cb (GtkButton            *button,
                     BuurtenMeetingEditor *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "index"));

  if (index < self->agenda->len)
    {
      g_ptr_array_remove_index (self->agenda, index);
      rebuild_agenda (self);
    }
}

/* Takes name, the button's accessible name and tooltip. */
static GtkWidget *
item_button (const char *icon_name,
             char       *name,
             guint       index,
             gboolean    sensitive,
             GCallback   callback,
             gpointer    self)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);
  gtk_widget_set_sensitive (button, sensitive);
  g_object_set_data (G_OBJECT (button), "index", GUINT_TO_POINTER (index));
  g_signal_connect (button, "clicked", callback, self);
  g_free (name);
  return button;
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
rebuild_agenda (BuurtenMeetingEditor *self)
{
  clear_list (self->agenda_list);

  for (guint i = 0; i < self->agenda->len; i++)
    {
      const BuurtenAgendaItem *item = g_ptr_array_index (self->agenda, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *number = g_strdup_printf ("%u.", i + 1);
      GtkWidget *prefix = gtk_label_new (number);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), item->title);
      gtk_widget_add_css_class (prefix, "dim-label");
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), prefix);
      /* Translators: %s is an agenda item */
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 item_button ("go-up-symbolic",
                                              g_strdup_printf (_("Move “%s” up"), item->title),
                                              i, i > 0, G_CALLBACK (on_agenda_up_cb), self));
      /* Translators: %s is an agenda item */
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 item_button ("go-down-symbolic",
                                              g_strdup_printf (_("Move “%s” down"),
                                                               item->title),
                                              i, i + 1 < self->agenda->len,
                                              G_CALLBACK (on_agenda_down_cb), self));
      /* Translators: %s is an agenda item */
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 item_button ("user-trash-symbolic",
                                              g_strdup_printf (_("Remove “%s”"), item->title),
                                              i, TRUE,
                                              G_CALLBACK (on_agenda_remove_cb), self));
      gtk_list_box_append (self->agenda_list, row);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->agenda_list), self->agenda->len > 0);
}

static void
on_agenda_add_cb (BuurtenMeetingEditor *self)
{
  g_autofree char *title = buurten_form_get_text (GTK_EDITABLE (self->agenda_entry));
  BuurtenAgendaItem *item;

  if (title == NULL)
    return;

  item = buurten_agenda_item_new ();
  item->id = buurten_uuid_new ();
  item->title = g_steal_pointer (&title);
  g_ptr_array_add (self->agenda, item);
  gtk_editable_set_text (GTK_EDITABLE (self->agenda_entry), "");
  rebuild_agenda (self);
}

/* -- actions -- */

static void rebuild_actions (BuurtenMeetingEditor *self);

static void
on_action_remove_cb (GtkButton            *button,
                     BuurtenMeetingEditor *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "index"));

  if (index < self->actions->len)
    {
      g_ptr_array_remove_index (self->actions, index);
      rebuild_actions (self);
    }
}

static void
on_action_done_toggled_cb (GtkCheckButton       *check,
                           BuurtenMeetingEditor *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (check), "index"));

  if (index < self->actions->len)
    {
      BuurtenAction *action = g_ptr_array_index (self->actions, index);

      action->completed = gtk_check_button_get_active (check);
    }
}

static void
rebuild_actions (BuurtenMeetingEditor *self)
{
  clear_list (self->actions_list);

  for (guint i = 0; i < self->actions->len; i++)
    {
      const BuurtenAction *action = g_ptr_array_index (self->actions, i);
      const BuurtenAction *stored = find_by_id (self->loaded_actions,
                                                G_STRUCT_OFFSET (BuurtenAction, id), action->id);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *due = g_date_valid (&action->due_on)
                               ? buurten_format_date (&action->due_on) : g_strdup ("");
      g_autofree char *subtitle = NULL;

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), action->title);
      /* Translators: under an action, e.g. "Anna de Vries · due ma 27 apr" */
      subtitle = g_strdup_printf (_("%s · due %s"), action->owner != NULL ? action->owner : "",
                                  due);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

      if (stored != NULL)
        {
          /* A stored action is completed, never removed (action.complete). */
          GtkWidget *check = gtk_check_button_new ();
          g_autofree char *name = NULL;

          /* Translators: %s is an action */
          name = g_strdup_printf (_("“%s” done"), action->title);
          gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          name, -1);
          gtk_check_button_set_active (GTK_CHECK_BUTTON (check), action->completed);
          gtk_widget_set_sensitive (check, !stored->completed);
          gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
          g_object_set_data (G_OBJECT (check), "index", GUINT_TO_POINTER (i));
          g_signal_connect (check, "toggled", G_CALLBACK (on_action_done_toggled_cb), self);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), check);
        }
      else
        /* Translators: %s is an action */
        adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                   item_button ("user-trash-symbolic",
                                                g_strdup_printf (_("Remove “%s”"),
                                                                 action->title), i, TRUE,
                                                G_CALLBACK (on_action_remove_cb), self));
      gtk_list_box_append (self->actions_list, row);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->actions_list), self->actions->len > 0);
}

static void
on_action_add_cb (BuurtenMeetingEditor *self)
{
  g_autofree char *title = buurten_form_get_text (GTK_EDITABLE (self->action_title_entry));
  g_autofree char *owner = buurten_form_get_text (GTK_EDITABLE (self->action_owner_entry));
  g_autofree char *due_text = buurten_form_get_text (GTK_EDITABLE (self->action_due_entry));
  g_autoptr(GError) error = NULL;
  BuurtenAction *action;
  GDate due;

  /* Each problem at its own field; what was typed stays. */
  if (title == NULL)
    {
      buurten_form_show_error (GTK_WIDGET (self->action_title_entry), self->action_error_label,
                               _("Say what has to be done."));
      return;
    }
  buurten_form_show_error (GTK_WIDGET (self->action_title_entry), NULL, NULL);
  if (owner == NULL)
    {
      buurten_form_show_error (GTK_WIDGET (self->action_owner_entry), self->action_error_label,
                               _("Say who does it."));
      return;
    }
  buurten_form_show_error (GTK_WIDGET (self->action_owner_entry), NULL, NULL);
  if (!buurten_form_parse_date (due_text, &due, &error))
    {
      buurten_form_show_error (GTK_WIDGET (self->action_due_entry), self->action_error_label,
                               error->message);
      return;
    }
  buurten_form_show_error (GTK_WIDGET (self->action_due_entry), self->action_error_label, NULL);

  action = buurten_action_new ();
  action->id = buurten_uuid_new ();
  action->title = g_steal_pointer (&title);
  action->owner = g_steal_pointer (&owner);
  action->due_on = due;
  g_ptr_array_add (self->actions, action);

  gtk_editable_set_text (GTK_EDITABLE (self->action_title_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->action_owner_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->action_due_entry), "");
  rebuild_actions (self);
}

/* -- date and time -- */

static gboolean
read_start (BuurtenMeetingEditor *self,
            gint64               *out_starts_at)
{
  g_autoptr(GError) date_error = NULL;
  g_autoptr(GError) time_error = NULL;
  g_autoptr(GDateTime) start = NULL;
  int hour = 0, minute = 0;
  GDate date;
  gboolean date_ok, time_ok;

  date_ok = buurten_form_parse_date (gtk_editable_get_text (GTK_EDITABLE (self->date_row)),
                                     &date, &date_error);
  time_ok = buurten_form_parse_time (gtk_editable_get_text (GTK_EDITABLE (self->time_row)),
                                     &hour, &minute, &time_error);

  /* One label under the group says what is wrong; each field is marked. */
  buurten_form_show_error (GTK_WIDGET (self->date_row), NULL,
                           date_ok ? NULL : date_error->message);
  buurten_form_show_error (GTK_WIDGET (self->time_row), NULL,
                           time_ok ? NULL : time_error->message);
  buurten_form_show_error (NULL, self->date_error_label,
                           !date_ok ? date_error->message
                                    : !time_ok ? time_error->message : NULL);
  if (!date_ok || !time_ok)
    return FALSE;

  start = g_date_time_new_local (g_date_get_year (&date), g_date_get_month (&date),
                                 g_date_get_day (&date), hour, minute, 0);
  if (start == NULL)
    return FALSE;
  *out_starts_at = g_date_time_to_unix (start);
  return TRUE;
}

static void
on_date_focus_leave_cb (BuurtenMeetingEditor *self)
{
  gint64 starts_at;

  /* Focus leaves the fields while the window is torn down, too, after
   * the template's pointers are cleared. */
  if (gtk_widget_in_destruction (GTK_WIDGET (self)) || self->time_row == NULL)
    return;

  if (*gtk_editable_get_text (GTK_EDITABLE (self->time_row)) != '\0')
    read_start (self, &starts_at);
  else
    {
      g_autoptr(GError) error = NULL;
      GDate date;

      buurten_form_parse_date (gtk_editable_get_text (GTK_EDITABLE (self->date_row)), &date,
                               &error);
      buurten_form_show_error (GTK_WIDGET (self->date_row), self->date_error_label,
                               error != NULL ? error->message : NULL);
    }
}

static void
on_time_focus_leave_cb (BuurtenMeetingEditor *self)
{
  gint64 starts_at;

  /* Focus leaves the fields while the window is torn down, too, after
   * the template's pointers are cleared. */
  if (gtk_widget_in_destruction (GTK_WIDGET (self)) || self->time_row == NULL)
    return;

  read_start (self, &starts_at);
}

static void
show_start (BuurtenMeetingEditor *self,
            gint64                starts_at)
{
  g_autofree char *date_text = NULL;
  g_autofree char *time_text = NULL;
  GDate date;

  if (starts_at > 0)
    {
      g_autoptr(GDateTime) start = g_date_time_new_from_unix_local (starts_at);

      g_date_clear (&date, 1);
      g_date_set_dmy (&date, g_date_time_get_day_of_month (start),
                      g_date_time_get_month (start), g_date_time_get_year (start));
      time_text = g_date_time_format (start, "%H:%M");
    }
  else
    {
      buurten_context_get_today (buurten_editor_get_context (BUURTEN_EDITOR (self)), &date);
      time_text = g_strdup ("19:30");
    }

  date_text = buurten_form_format_date (&date);
  gtk_editable_set_text (GTK_EDITABLE (self->date_row), date_text);
  gtk_editable_set_text (GTK_EDITABLE (self->time_row), time_text);
}

static void
fill_kinds (BuurtenMeetingEditor *self,
            BuurtenMeetingKind    selected)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);

  for (int kind = BUURTEN_MEETING_WIJKOVERLEG; kind <= BUURTEN_MEETING_BUURTSCHOUW; kind++)
    gtk_string_list_append (labels, buurten_format_meeting_kind ((BuurtenMeetingKind) kind));
  adw_combo_row_set_model (self->kind_row, G_LIST_MODEL (labels));
  adw_combo_row_set_selected (self->kind_row, selected);
}

/* -- loading -- */

typedef struct
{
  BuurtenMeeting *meeting;
  GPtrArray      *agenda;
  GPtrArray      *actions;
} Loaded;

static void
loaded_free (gpointer data)
{
  Loaded *loaded = data;

  if (loaded == NULL)
    return;
  buurten_meeting_free (loaded->meeting);
  g_clear_pointer (&loaded->agenda, g_ptr_array_unref);
  g_clear_pointer (&loaded->actions, g_ptr_array_unref);
  g_free (loaded);
}

static int
compare_position (gconstpointer a,
                  gconstpointer b)
{
  const BuurtenAgendaItem *ia = *(const BuurtenAgendaItem * const *) a;
  const BuurtenAgendaItem *ib = *(const BuurtenAgendaItem * const *) b;

  return (ia->position > ib->position) - (ia->position < ib->position);
}

/* buurten_store_list hands over its entities in an array without a free
 * function: move them into one that frees them. */
static GPtrArray *
take_list (GPtrArray      *rows,
           GDestroyNotify  free_func)
{
  GPtrArray *owned = g_ptr_array_new_with_free_func (free_func);

  for (guint i = 0; i < rows->len; i++)
    g_ptr_array_add (owned, g_ptr_array_index (rows, i));
  g_ptr_array_set_free_func (rows, NULL);
  g_ptr_array_unref (rows);
  return owned;
}

static gpointer
load_in_thread (BuurtenStore  *store,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  Loaded *loaded = g_new0 (Loaded, 1);
  GPtrArray *rows;

  loaded->meeting = buurten_store_get (store, &buurten_meeting_info, data, error);
  if (loaded->meeting == NULL)
    goto fail;

  rows = buurten_store_list (store, &buurten_agenda_item_info, "meeting_id", data, error);
  if (rows == NULL)
    goto fail;
  loaded->agenda = take_list (rows, (GDestroyNotify) buurten_agenda_item_free);
  g_ptr_array_sort (loaded->agenda, compare_position);

  rows = buurten_store_list (store, &buurten_action_info, "meeting_id", data, error);
  if (rows == NULL)
    goto fail;
  loaded->actions = take_list (rows, (GDestroyNotify) buurten_action_free);

  return loaded;

fail:
  loaded_free (loaded);
  return NULL;
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(BuurtenMeetingEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  Loaded *loaded;

  loaded = buurten_store_load_finish (BUURTEN_STORE (source), result, &error);
  if (loaded == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        buurten_form_show_error (NULL, self->form_error_label, error->message);
      return;
    }

  self->loaded = g_steal_pointer (&loaded->meeting);
  self->loaded_agenda = g_steal_pointer (&loaded->agenda);
  self->loaded_actions = g_steal_pointer (&loaded->actions);
  loaded_free (loaded);

  for (guint i = 0; i < self->loaded_agenda->len; i++)
    g_ptr_array_add (self->agenda,
                     buurten_agenda_item_copy (g_ptr_array_index (self->loaded_agenda, i)));
  for (guint i = 0; i < self->loaded_actions->len; i++)
    g_ptr_array_add (self->actions,
                     buurten_action_copy (g_ptr_array_index (self->loaded_actions, i)));

  fill_kinds (self, self->loaded->kind);
  fill_places (self, self->loaded->wijk, self->loaded->cluster);
  /* meeting.update cannot move a meeting to another wijk or cluster. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->place_row), FALSE);
  show_start (self, self->loaded->starts_at);
  gtk_editable_set_text (GTK_EDITABLE (self->location_row),
                         self->loaded->location != NULL ? self->loaded->location : "");
  rebuild_agenda (self);
  rebuild_actions (self);

  gtk_widget_set_sensitive (GTK_WIDGET (self), TRUE);
  buurten_editor_set_busy (BUURTEN_EDITOR (self), FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->kind_row));
}

/* -- saving -- */

static JsonNode *
id_args (const char *id)
{
  JsonObject *args = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (args, "id", id);
  json_node_take_object (node, args);
  return node;
}

static void
save (BuurtenEditor *editor)
{
  BuurtenMeetingEditor *self = BUURTEN_MEETING_EDITOR (editor);
  BuurtenContext *context = buurten_editor_get_context (editor);
  g_autoptr(BuurtenMeeting) meeting = NULL;
  g_autoptr(BuurtenFormBatch) batch = NULL;
  guint kind = adw_combo_row_get_selected (self->kind_row);
  gint64 starts_at = 0;


  if (!read_start (self, &starts_at))
    return;

  meeting = self->loaded != NULL ? buurten_meeting_copy (self->loaded) : buurten_meeting_new ();
  meeting->kind = kind <= BUURTEN_MEETING_BUURTSCHOUW ? kind : BUURTEN_MEETING_WIJKOVERLEG;
  meeting->starts_at = starts_at;
  g_free (meeting->location);
  meeting->location = buurten_form_get_text (GTK_EDITABLE (self->location_row));

  batch = buurten_form_batch_new (buurten_context_get_user_name (context));

  if (self->loaded == NULL)
    {
      const char *wijk, *cluster;

      get_place (self, &wijk, &cluster);
      meeting->id = buurten_uuid_new ();
      meeting->wijk = g_strdup (wijk);
      meeting->cluster = g_strdup (cluster);
      buurten_form_batch_put (batch, &buurten_meeting_info, buurten_meeting_copy (meeting),
                              buurten_mutation_name (BUURTEN_MUTATION_MEETING_CREATE),
                              buurten_form_args (BUURTEN_MUTATION_MEETING_CREATE,
                                                 &buurten_meeting_info, meeting));
    }
  else
    {
      JsonNode *update = buurten_form_update_args (BUURTEN_MUTATION_MEETING_UPDATE,
                                                   &buurten_meeting_info, self->loaded, meeting);

      if (update != NULL)
        buurten_form_batch_put (batch, &buurten_meeting_info, buurten_meeting_copy (meeting),
                                buurten_mutation_name (BUURTEN_MUTATION_MEETING_UPDATE), update);
    }

  /* Agenda: what went is removed, what is new is added, what moved or was
   * renamed is updated; positions count from 1 in the order shown. */
  for (guint i = 0; self->loaded_agenda != NULL && i < self->loaded_agenda->len; i++)
    {
      const BuurtenAgendaItem *stored = g_ptr_array_index (self->loaded_agenda, i);

      if (find_by_id (self->agenda, G_STRUCT_OFFSET (BuurtenAgendaItem, id), stored->id) == NULL)
        buurten_form_batch_delete (batch, &buurten_agenda_item_info, stored->id,
                                   buurten_mutation_name (BUURTEN_MUTATION_AGENDA_ITEM_REMOVE),
                                   id_args (stored->id));
    }
  for (guint i = 0; i < self->agenda->len; i++)
    {
      g_autoptr(BuurtenAgendaItem) item = buurten_agenda_item_copy (g_ptr_array_index (self->agenda,
                                                                                       i));
      const BuurtenAgendaItem *stored = find_by_id (self->loaded_agenda,
                                                    G_STRUCT_OFFSET (BuurtenAgendaItem, id),
                                                    item->id);

      g_free (item->meeting_id);
      item->meeting_id = g_strdup (meeting->id);
      item->position = i + 1;
      if (stored == NULL)
        buurten_form_batch_put (batch, &buurten_agenda_item_info,
                                buurten_agenda_item_copy (item),
                                buurten_mutation_name (BUURTEN_MUTATION_AGENDA_ITEM_ADD),
                                buurten_form_args (BUURTEN_MUTATION_AGENDA_ITEM_ADD,
                                                   &buurten_agenda_item_info, item));
      else
        {
          JsonNode *update = buurten_form_update_args (BUURTEN_MUTATION_AGENDA_ITEM_UPDATE,
                                                       &buurten_agenda_item_info, stored, item);

          if (update != NULL)
            buurten_form_batch_put (batch, &buurten_agenda_item_info,
                                    buurten_agenda_item_copy (item),
                                    buurten_mutation_name (BUURTEN_MUTATION_AGENDA_ITEM_UPDATE),
                                    update);
        }
    }

  for (guint i = 0; i < self->actions->len; i++)
    {
      g_autoptr(BuurtenAction) action = buurten_action_copy (g_ptr_array_index (self->actions, i));
      const BuurtenAction *stored = find_by_id (self->loaded_actions,
                                                G_STRUCT_OFFSET (BuurtenAction, id), action->id);

      g_free (action->meeting_id);
      action->meeting_id = g_strdup (meeting->id);
      if (stored == NULL)
        {
          gboolean completed = action->completed;

          action->completed = FALSE;
          buurten_form_batch_put (batch, &buurten_action_info, buurten_action_copy (action),
                                  buurten_mutation_name (BUURTEN_MUTATION_ACTION_CREATE),
                                  buurten_form_args (BUURTEN_MUTATION_ACTION_CREATE,
                                                     &buurten_action_info, action));
          action->completed = completed;
        }
      if (action->completed && (stored == NULL || !stored->completed))
        buurten_form_batch_put (batch, &buurten_action_info, buurten_action_copy (action),
                                buurten_mutation_name (BUURTEN_MUTATION_ACTION_COMPLETE),
                                id_args (action->id));
    }

  buurten_editor_save_batch (editor, meeting->id, g_steal_pointer (&batch));
}

/* -- drafts -- */

/* A refused meeting.create or meeting.update shown again (issue 14,
 * point 8); a meeting's place is chosen only when it is new. */
static void
show_draft (BuurtenEditor *editor,
            gconstpointer  entity)
{
  BuurtenMeetingEditor *self = BUURTEN_MEETING_EDITOR (editor);
  const BuurtenMeeting *draft = entity;

  fill_kinds (self, draft->kind);
  if (self->loaded == NULL)
    fill_places (self, draft->wijk, draft->cluster);
  show_start (self, draft->starts_at);
  gtk_editable_set_text (GTK_EDITABLE (self->location_row),
                         draft->location != NULL ? draft->location : "");
}

/* -- GObject -- */

static void
buurten_meeting_editor_constructed (GObject *object)
{
  BuurtenMeetingEditor *self = BUURTEN_MEETING_EDITOR (object);
  BuurtenEditor *editor = BUURTEN_EDITOR (object);
  BuurtenContext *context = buurten_editor_get_context (editor);

  G_OBJECT_CLASS (buurten_meeting_editor_parent_class)->constructed (object);

  g_return_if_fail (BUURTEN_IS_CONTEXT (context));

  if (buurten_editor_get_id (editor) != NULL)
    {
      gtk_window_set_title (GTK_WINDOW (self), _("Edit Meeting"));
      gtk_widget_set_sensitive (GTK_WIDGET (self), FALSE);
      buurten_editor_set_busy (editor, TRUE);
      buurten_store_load_async (buurten_context_get_store (context),
                                load_in_thread, g_strdup (buurten_editor_get_id (editor)),
                                g_free, loaded_free,
                                buurten_editor_get_cancellable (editor), loaded_cb,
                                g_object_ref (self));
    }
  else
    {
      fill_kinds (self, BUURTEN_MEETING_WIJKTEAM);
      fill_places (self, buurten_editor_get_wijk (editor), NULL);
      show_start (self, 0);
      rebuild_agenda (self);
      rebuild_actions (self);
    }

  gtk_widget_grab_focus (GTK_WIDGET (self->kind_row));
}

static void
buurten_meeting_editor_dispose (GObject *object)
{
  BuurtenMeetingEditor *self = BUURTEN_MEETING_EDITOR (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), BUURTEN_TYPE_MEETING_EDITOR);

  G_OBJECT_CLASS (buurten_meeting_editor_parent_class)->dispose (object);
}

static void
buurten_meeting_editor_finalize (GObject *object)
{
  BuurtenMeetingEditor *self = BUURTEN_MEETING_EDITOR (object);

  buurten_meeting_free (self->loaded);
  g_clear_pointer (&self->loaded_agenda, g_ptr_array_unref);
  g_clear_pointer (&self->loaded_actions, g_ptr_array_unref);
  g_clear_pointer (&self->agenda, g_ptr_array_unref);
  g_clear_pointer (&self->actions, g_ptr_array_unref);

  G_OBJECT_CLASS (buurten_meeting_editor_parent_class)->finalize (object);
}

static void
buurten_meeting_editor_class_init (BuurtenMeetingEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  BuurtenEditorClass *editor_class = BUURTEN_EDITOR_CLASS (klass);

  object_class->constructed = buurten_meeting_editor_constructed;
  object_class->dispose = buurten_meeting_editor_dispose;
  object_class->finalize = buurten_meeting_editor_finalize;

  editor_class->entity_type = "meeting";
  editor_class->save = save;
  editor_class->show_draft = show_draft;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/nl/hilversum/Buurten/buurten-meeting-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, BuurtenMeetingEditor, form_error_label);
  gtk_widget_class_bind_template_child (widget_class, BuurtenMeetingEditor, kind_row);
  gtk_widget_class_bind_template_child (widget_class, BuurtenMeetingEditor, place_row);
  gtk_widget_class_bind_template_child (widget_class, BuurtenMeetingEditor, date_row);
  gtk_widget_class_bind_template_child (widget_class, BuurtenMeetingEditor, time_row);
  gtk_widget_class_bind_template_child (widget_class, BuurtenMeetingEditor, location_row);
  gtk_widget_class_bind_template_child (widget_class, BuurtenMeetingEditor, date_error_label);
  gtk_widget_class_bind_template_child (widget_class, BuurtenMeetingEditor, agenda_list);
  gtk_widget_class_bind_template_child (widget_class, BuurtenMeetingEditor, agenda_entry);
  gtk_widget_class_bind_template_child (widget_class, BuurtenMeetingEditor, actions_list);
  gtk_widget_class_bind_template_child (widget_class, BuurtenMeetingEditor, action_title_entry);
  gtk_widget_class_bind_template_child (widget_class, BuurtenMeetingEditor, action_owner_entry);
  gtk_widget_class_bind_template_child (widget_class, BuurtenMeetingEditor, action_due_entry);
  gtk_widget_class_bind_template_child (widget_class, BuurtenMeetingEditor, action_error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_agenda_add_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_action_add_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_date_focus_leave_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_time_focus_leave_cb);

}

static void
buurten_meeting_editor_init (BuurtenMeetingEditor *self)
{
  self->agenda = agenda_array_new ();
  self->actions = actions_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  buurten_editor_set_error_label (BUURTEN_EDITOR (self), self->form_error_label);
}

GtkWidget *
buurten_meeting_editor_new (BuurtenContext *context,
                            const char     *wijk,
                            const char     *id)
{
  g_return_val_if_fail (BUURTEN_IS_CONTEXT (context), NULL);

  return g_object_new (BUURTEN_TYPE_MEETING_EDITOR,
                       "context", context,
                       "wijk", wijk,
                       "id", id,
                       NULL);
}
