/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-escalation-editor"

#include "config.h"

#include "buurten-escalation-editor.h"

#include <glib/gi18n.h>

#include "buurten-format.h"

/* The escalation paths of domain.md: the level decides where a matter
 * goes; a target outside the list can be typed. */


struct _BuurtenEscalationEditor
{
  BuurtenEditor      parent_instance;

  /* template widgets */
  GtkLabel          *form_error_label;
  AdwComboRow       *wijk_row;
  AdwComboRow       *level_row;
  AdwComboRow       *target_row;
  AdwEntryRow       *target_other_row;
  GtkLabel          *target_error_label;
  AdwActionRow      *subject_row;
  AdwEntryRow       *search_row;
  GtkListBox        *results_list;
  GtkLabel          *subject_error_label;
  GtkTextView       *reason_view;
  GtkLabel          *reason_error_label;
  AdwPreferencesGroup *state_group;
  AdwComboRow       *state_row;
  AdwEntryRow       *note_row;

  /* owned references */
  GCancellable      *search_cancellable;
  BuurtenEscalation *loaded;
  GArray            *states;
  GPtrArray         *targets;        /* char*, offered for the level; "" = other */
  char              *subject_type;
  char              *subject_id;

  /* plain data */
  guint              search_source;
};

G_DEFINE_FINAL_TYPE (BuurtenEscalationEditor, buurten_escalation_editor, BUURTEN_TYPE_EDITOR)

static const char *
current_wijk (BuurtenEscalationEditor *self)
{
  if (self->loaded != NULL)
    return self->loaded->wijk;
  return buurten_form_get_wijk (self->wijk_row, buurten_editor_get_context (BUURTEN_EDITOR (self)));
}

/* -- level and target -- */

static void
fill_targets (BuurtenEscalationEditor *self)
{
  BuurtenContext *context = buurten_editor_get_context (BUURTEN_EDITOR (self));
  BuurtenMunicipality *municipality = buurten_context_get_municipality (context);
  BuurtenEscalationLevel level = adw_combo_row_get_selected (self->level_row);
  const BuurtenWijk *wijk = buurten_municipality_lookup_wijk (municipality,
                                                              current_wijk (self));
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);

  g_clear_pointer (&self->targets, g_ptr_array_unref);
  self->targets = g_ptr_array_new_with_free_func (g_free);

  switch (level)
    {
    case BUURTEN_LEVEL_OPERATIONAL:
      {
        const BuurtenCluster *cluster =
          wijk != NULL ? buurten_municipality_lookup_cluster (municipality, wijk->cluster) : NULL;

        /* Translators: the external wijkteam of a cluster, e.g. "External wijkteam Noord" */
        g_ptr_array_add (self->targets,
                         g_strdup_printf (_("External wijkteam %s"),
                                          cluster != NULL ? cluster->name : ""));
      }
      break;
    case BUURTEN_LEVEL_STURINGSOVERLEG:
      g_ptr_array_add (self->targets, g_strdup (_("Sturingsoverleg")));
      break;
    case BUURTEN_LEVEL_PROFESSIONAL:
      /* Organisations: names, not words to translate. */
      g_ptr_array_add (self->targets, g_strdup (_("Youth care")));
      g_ptr_array_add (self->targets, g_strdup ("Kwintes"));
      g_ptr_array_add (self->targets, g_strdup ("Sherpa"));
      g_ptr_array_add (self->targets, g_strdup ("Jeugd en Gezin"));
      break;
    case BUURTEN_LEVEL_BESTUURLIJK:
      /* The role's display name (data) and the wijk: "Wijkwethouder Centrum". */
      g_ptr_array_add (self->targets,
                       g_strdup_printf ("%s %s",
                                        buurten_municipality_role_name (
                                          municipality, BUURTEN_ROLE_WIJKWETHOUDER),
                                        wijk != NULL ? wijk->name : ""));
      break;
    case BUURTEN_LEVEL_COLLEGE:
      g_ptr_array_add (self->targets, g_strdup (_("College van B&W")));
      break;
    case BUURTEN_LEVEL_BUDGET:
    default:
      g_ptr_array_add (self->targets,
                       g_strdup (buurten_municipality_role_name (
                                   municipality, BUURTEN_ROLE_TEAMMANAGER_SAMENLEVING)));
      break;
    }

  for (guint i = 0; i < self->targets->len; i++)
    gtk_string_list_append (labels, g_ptr_array_index (self->targets, i));
  /* Translators: the choice to type another target of an escalation */
  gtk_string_list_append (labels, _("Other…"));
  g_ptr_array_add (self->targets, g_strdup (""));

  adw_combo_row_set_model (self->target_row, G_LIST_MODEL (labels));
  adw_combo_row_set_selected (self->target_row, 0);
}

static char *
get_target (BuurtenEscalationEditor *self)
{
  guint selected = adw_combo_row_get_selected (self->target_row);
  const char *target;

  if (self->targets == NULL || selected >= self->targets->len)
    return NULL;
  target = g_ptr_array_index (self->targets, selected);
  if (*target == '\0')
    return buurten_form_get_text (GTK_EDITABLE (self->target_other_row));
  return g_strdup (target);
}

static void
on_target_selected_cb (BuurtenEscalationEditor *self)
{
  guint selected = adw_combo_row_get_selected (self->target_row);
  gboolean other = self->targets != NULL && selected < self->targets->len &&
                   *(const char *) g_ptr_array_index (self->targets, selected) == '\0';

  gtk_widget_set_visible (GTK_WIDGET (self->target_other_row), other && self->loaded == NULL);
}

static void
on_level_selected_cb (BuurtenEscalationEditor *self)
{
  if (self->loaded == NULL)
    fill_targets (self);
}

static void
on_wijk_selected_cb (BuurtenEscalationEditor *self)
{
  if (self->loaded == NULL)
    fill_targets (self);
}

/* -- the subject -- */

static void
show_subject (BuurtenEscalationEditor *self,
              const char              *title)
{
  const char *what = NULL;

  if (g_strcmp0 (self->subject_type, "request") == 0)
    what = _("Request");
  else if (g_strcmp0 (self->subject_type, "initiative") == 0)
    what = _("Initiative");
  else if (self->subject_type != NULL)
    what = self->subject_type;

  adw_action_row_set_subtitle (self->subject_row,
                               title != NULL ? title : _("Nothing chosen yet: search below"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->subject_row),
                                 what != NULL ? what : _("Subject"));
}

static void
clear_results (BuurtenEscalationEditor *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->results_list))) != NULL)
    gtk_list_box_remove (self->results_list, child);
  gtk_widget_set_visible (GTK_WIDGET (self->results_list), FALSE);
}

static void
on_result_activated_cb (AdwActionRow            *row,
                        BuurtenEscalationEditor *self)
{
  buurten_escalation_editor_set_subject (self,
                                         g_object_get_data (G_OBJECT (row), "subject-type"),
                                         g_object_get_data (G_OBJECT (row), "subject-id"),
                                         adw_preferences_row_get_title (
                                           ADW_PREFERENCES_ROW (row)));
  clear_results (self);
}

typedef struct
{
  char *text;
  char *wijk;
} SearchQuery;

static void
search_query_free (gpointer data)
{
  SearchQuery *query = data;

  g_free (query->text);
  g_free (query->wijk);
  g_free (query);
}

static gpointer
search_in_thread (BuurtenStore  *store,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  SearchQuery *query = data;

  return buurten_store_search (store, query->text, query->wijk, 8, error);
}

static void
search_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(BuurtenEscalationEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hits = NULL;

  hits = buurten_store_load_finish (BUURTEN_STORE (source), result, &error);
  if (hits == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        buurten_form_show_error (GTK_WIDGET (self->search_row), self->subject_error_label,
                                 error->message);
      return;
    }

  clear_results (self);
  for (guint i = 0; i < hits->len; i++)
    {
      const BuurtenSearchHit *hit = g_ptr_array_index (hits, i);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), hit->title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   g_str_equal (hit->type, "request") ? _("Request")
                                                                      : _("Initiative"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "subject-type", g_strdup (hit->type), g_free);
      g_object_set_data_full (G_OBJECT (row), "subject-id", g_strdup (hit->id), g_free);
      g_signal_connect (row, "activated", G_CALLBACK (on_result_activated_cb), self);
      gtk_list_box_append (self->results_list, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->results_list), hits->len > 0);
}

static gboolean
search_timeout_cb (gpointer user_data)
{
  BuurtenEscalationEditor *self = user_data;
  BuurtenContext *context = buurten_editor_get_context (BUURTEN_EDITOR (self));
  g_autofree char *text = buurten_form_get_text (GTK_EDITABLE (self->search_row));
  SearchQuery *query;

  self->search_source = 0;

  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);

  if (text == NULL)
    {
      clear_results (self);
      return G_SOURCE_REMOVE;
    }

  self->search_cancellable = g_cancellable_new ();
  query = g_new0 (SearchQuery, 1);
  query->text = g_steal_pointer (&text);
  query->wijk = g_strdup (current_wijk (self));
  buurten_store_load_async (buurten_context_get_store (context),
                            search_in_thread, query, search_query_free,
                            (GDestroyNotify) g_ptr_array_unref, self->search_cancellable,
                            search_done_cb, g_object_ref (self));
  return G_SOURCE_REMOVE;
}

static void
on_search_changed_cb (BuurtenEscalationEditor *self)
{
  /* Search as you type, once the typing pauses. */
  g_clear_handle_id (&self->search_source, g_source_remove);
  self->search_source = g_timeout_add (150, search_timeout_cb, self);
}

/* -- loading -- */

typedef struct
{
  BuurtenEscalation *escalation;
  char              *subject_title;
} Loaded;

static void
loaded_free (gpointer data)
{
  Loaded *loaded = data;

  if (loaded == NULL)
    return;
  buurten_escalation_free (loaded->escalation);
  g_free (loaded->subject_title);
  g_free (loaded);
}

static gpointer
load_in_thread (BuurtenStore  *store,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  Loaded *loaded = g_new0 (Loaded, 1);
  const BuurtenEntityInfo *info;

  loaded->escalation = buurten_store_get (store, &buurten_escalation_info, data, error);
  if (loaded->escalation == NULL)
    {
      loaded_free (loaded);
      return NULL;
    }

  info = loaded->escalation->subject_type != NULL
           ? buurten_entity_info_lookup (loaded->escalation->subject_type) : NULL;
  if (info != NULL && loaded->escalation->subject_id != NULL)
    {
      const BuurtenField *field = buurten_entity_info_get_field (info, "title");
      gpointer subject = buurten_store_get (store, info, loaded->escalation->subject_id, NULL);

      if (subject != NULL && field != NULL)
        loaded->subject_title = g_strdup (G_STRUCT_MEMBER (const char *, subject,
                                                           field->offset));
      if (subject != NULL)
        buurten_entity_free (info, subject);
    }

  return loaded;
}


/* Whether I may move the escalation there: closing a budget, bestuurlijk
 * or college escalation is for the roles core's authority names (and
 * never for whoever opened a budget escalation). */
static gboolean
escalation_move_allowed (int      from,
                         int      to,
                         gpointer user_data)
{
  BuurtenEscalationEditor *self = user_data;
  BuurtenContext *context = buurten_editor_get_context (BUURTEN_EDITOR (self));
  const char *user = buurten_context_has_identity (context)
                     ? buurten_context_get_user_name (context) : NULL;

  return buurten_authority_may_move_escalation (buurten_context_get_grants (context),
                                                buurten_context_get_municipality (context),
                                                user, self->loaded, to, NULL, NULL);
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(BuurtenEscalationEditor) self = user_data;
  BuurtenContext *context = buurten_editor_get_context (BUURTEN_EDITOR (self));
  g_autoptr(GError) error = NULL;
  Loaded *loaded;
  g_autoptr(GtkStringList) target = gtk_string_list_new (NULL);

  loaded = buurten_store_load_finish (BUURTEN_STORE (source), result, &error);
  if (loaded == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        buurten_form_show_error (NULL, self->form_error_label, error->message);
      return;
    }

  self->loaded = g_steal_pointer (&loaded->escalation);
  g_free (self->subject_type);
  self->subject_type = g_strdup (self->loaded->subject_type);
  g_free (self->subject_id);
  self->subject_id = g_strdup (self->loaded->subject_id);
  show_subject (self, loaded->subject_title);
  loaded_free (loaded);

  /* escalation.open fixes what, why and to whom; afterwards only the
   * state moves (escalation.transition). */
  buurten_form_fill_wijken (self->wijk_row, context, self->loaded->wijk);
  adw_combo_row_set_selected (self->level_row, self->loaded->level);
  gtk_string_list_append (target,
                          buurten_format_escalation_target (
                            buurten_context_get_municipality (buurten_editor_get_context (
                              BUURTEN_EDITOR (self))),
                            self->loaded->target));
  adw_combo_row_set_model (self->target_row, G_LIST_MODEL (target));
  buurten_form_set_view_text (self->reason_view, self->loaded->reason);
  gtk_widget_set_sensitive (GTK_WIDGET (self->wijk_row), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->level_row), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->target_row), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->target_other_row), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->search_row), FALSE);
  gtk_text_view_set_editable (self->reason_view, FALSE);

  g_clear_pointer (&self->states, g_array_unref);
  self->states = buurten_form_fill_states_full (self->state_row, BUURTEN_MACHINE_ESCALATION,
                                                self->loaded->state, escalation_move_allowed,
                                                self);
  gtk_widget_set_visible (GTK_WIDGET (self->state_group), TRUE);

  gtk_widget_set_sensitive (GTK_WIDGET (self), TRUE);
  buurten_editor_set_busy (BUURTEN_EDITOR (self), FALSE);
}

/* -- saving -- */

static BuurtenFormBatch *
save_new (BuurtenEscalationEditor  *self,
          char                     **out_id)
{
  BuurtenContext *context = buurten_editor_get_context (BUURTEN_EDITOR (self));
  g_autoptr(BuurtenEscalation) escalation = buurten_escalation_new ();
  BuurtenFormBatch *batch;
  BuurtenEscalationLevel level = adw_combo_row_get_selected (self->level_row);
  gboolean ok = TRUE;

  escalation->subject_type = g_strdup (self->subject_type);
  escalation->subject_id = g_strdup (self->subject_id);
  buurten_form_show_error (GTK_WIDGET (self->subject_row), self->subject_error_label,
                           self->subject_id == NULL
                             ? _("Choose the request or initiative that is escalated.")
                             : NULL);
  ok = self->subject_id != NULL;

  escalation->reason = buurten_form_get_view_text (self->reason_view);
  buurten_form_show_error (GTK_WIDGET (self->reason_view), self->reason_error_label,
                           escalation->reason == NULL
                             ? _("Say why the matter is escalated.") : NULL);
  ok = ok && escalation->reason != NULL;

  escalation->target = get_target (self);
  if (escalation->target == NULL)
    {
      buurten_form_show_error (GTK_WIDGET (self->target_other_row), self->target_error_label,
                               _("Say to whom the matter goes."));
      ok = FALSE;
    }
  else
    buurten_form_show_error (GTK_WIDGET (self->target_other_row), self->target_error_label,
                             NULL);

  if (!ok)
    return NULL;

  escalation->id = buurten_uuid_new ();
  escalation->wijk = g_strdup (current_wijk (self));
  escalation->level = level <= BUURTEN_LEVEL_BUDGET ? level : BUURTEN_LEVEL_OPERATIONAL;
  escalation->state = BUURTEN_ESCALATION_OPEN;
  escalation->opened_at = g_get_real_time () / G_USEC_PER_SEC;
  *out_id = g_strdup (escalation->id);

  batch = buurten_form_batch_new (buurten_context_get_user_name (context));
  buurten_form_batch_put (batch, &buurten_escalation_info, buurten_escalation_copy (escalation),
                          buurten_mutation_name (BUURTEN_MUTATION_ESCALATION_OPEN),
                          buurten_form_args (BUURTEN_MUTATION_ESCALATION_OPEN,
                                             &buurten_escalation_info, escalation));
  return batch;
}

static void
save (BuurtenEditor *editor)
{
  BuurtenEscalationEditor *self = BUURTEN_ESCALATION_EDITOR (editor);
  BuurtenContext *context = buurten_editor_get_context (editor);
  g_autoptr(BuurtenFormBatch) batch = NULL;
  g_autofree char *id = NULL;

  if (self->loaded == NULL)
    {
      batch = save_new (self, &id);
      if (batch == NULL)
        return;
    }
  else
    {
      guint selected = adw_combo_row_get_selected (self->state_row);
      int from = self->loaded->state;
      int to = from;

      if (self->states != NULL && selected < self->states->len)
        to = g_array_index (self->states, int, selected);

      id = g_strdup (self->loaded->id);
      batch = buurten_form_batch_new (buurten_context_get_user_name (context));
      if (to != from)
        {
          g_autoptr(BuurtenEscalation) moved = buurten_escalation_copy (self->loaded);
          g_autofree char *note = buurten_form_get_text (GTK_EDITABLE (self->note_row));
          g_autoptr(GError) error = NULL;

          g_autoptr(JsonObject) refusal = NULL;

          if (!buurten_state_check_transition (BUURTEN_MACHINE_ESCALATION, from, to, &error) ||
              !buurten_authority_may_move_escalation (buurten_context_get_grants (context),
                                                      buurten_context_get_municipality (context),
                                                      buurten_context_get_user_name (context),
                                                      self->loaded, to, &refusal, &error))
            {
              g_autofree char *message =
                buurten_refusal_describe ((BuurtenCoreError) error->code, refusal,
                                          buurten_context_get_municipality (context));

              buurten_form_show_error (GTK_WIDGET (self->state_row), self->form_error_label,
                                       message);
              return;
            }
          moved->state = to;
          buurten_form_batch_put (batch, &buurten_escalation_info,
                                  buurten_escalation_copy (moved),
                                  buurten_mutation_name (BUURTEN_MUTATION_ESCALATION_TRANSITION),
                                  buurten_form_transition_args (moved->id,
                                                                BUURTEN_MACHINE_ESCALATION,
                                                                from, to, note));
        }
    }

  buurten_editor_save_batch (editor, id, g_steal_pointer (&batch));
}

/* -- drafts -- */

/* A refused escalation.open shown again (issue 14, point 8): only a new
 * escalation has a draft (afterwards only its state moves). */
static void
show_draft (BuurtenEditor *editor,
            gconstpointer  entity)
{
  BuurtenEscalationEditor *self = BUURTEN_ESCALATION_EDITOR (editor);
  const BuurtenEscalation *draft = entity;
  gboolean found = FALSE;

  if (self->loaded != NULL)
    return;

  buurten_form_fill_wijken (self->wijk_row, buurten_editor_get_context (editor), draft->wijk);
  adw_combo_row_set_selected (self->level_row, draft->level);
  fill_targets (self);
  for (guint i = 0; draft->target != NULL && self->targets != NULL && i < self->targets->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->targets, i), draft->target) == 0)
      {
        adw_combo_row_set_selected (self->target_row, i);
        found = TRUE;
      }
  /* A target typed by hand: "other" is the last choice. */
  if (!found && draft->target != NULL && self->targets != NULL && self->targets->len > 0)
    {
      adw_combo_row_set_selected (self->target_row, self->targets->len - 1);
      gtk_editable_set_text (GTK_EDITABLE (self->target_other_row), draft->target);
    }
  on_target_selected_cb (self);

  g_free (self->subject_type);
  self->subject_type = g_strdup (draft->subject_type);
  g_free (self->subject_id);
  self->subject_id = g_strdup (draft->subject_id);
  if (self->subject_id != NULL)
    show_subject (self, _("As chosen before"));
  buurten_form_set_view_text (self->reason_view, draft->reason);
}

/* -- GObject -- */

static void
buurten_escalation_editor_constructed (GObject *object)
{
  BuurtenEscalationEditor *self = BUURTEN_ESCALATION_EDITOR (object);
  BuurtenEditor *editor = BUURTEN_EDITOR (object);
  BuurtenContext *context = buurten_editor_get_context (editor);
  g_autoptr(GtkStringList) levels = gtk_string_list_new (NULL);

  G_OBJECT_CLASS (buurten_escalation_editor_parent_class)->constructed (object);

  g_return_if_fail (BUURTEN_IS_CONTEXT (context));

  for (int level = BUURTEN_LEVEL_OPERATIONAL; level <= BUURTEN_LEVEL_BUDGET; level++)
    gtk_string_list_append (levels,
                            buurten_format_escalation_level ((BuurtenEscalationLevel) level));
  adw_combo_row_set_model (self->level_row, G_LIST_MODEL (levels));
  show_subject (self, NULL);

  if (buurten_editor_get_id (editor) != NULL)
    {
      gtk_window_set_title (GTK_WINDOW (self), _("Escalation"));
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
      buurten_form_fill_wijken (self->wijk_row, context, buurten_editor_get_wijk (editor));
      fill_targets (self);
      g_signal_connect_swapped (self->wijk_row, "notify::selected",
                                G_CALLBACK (on_wijk_selected_cb), self);
      g_signal_connect_swapped (self->level_row, "notify::selected",
                                G_CALLBACK (on_level_selected_cb), self);
    }
  g_signal_connect_swapped (self->target_row, "notify::selected",
                            G_CALLBACK (on_target_selected_cb), self);
  on_target_selected_cb (self);

  gtk_widget_grab_focus (GTK_WIDGET (self->level_row));
}

static void
buurten_escalation_editor_dispose (GObject *object)
{
  BuurtenEscalationEditor *self = BUURTEN_ESCALATION_EDITOR (object);

  g_cancellable_cancel (self->search_cancellable);
  g_clear_handle_id (&self->search_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), BUURTEN_TYPE_ESCALATION_EDITOR);

  G_OBJECT_CLASS (buurten_escalation_editor_parent_class)->dispose (object);
}

static void
buurten_escalation_editor_finalize (GObject *object)
{
  BuurtenEscalationEditor *self = BUURTEN_ESCALATION_EDITOR (object);

  g_clear_object (&self->search_cancellable);
  g_free (self->subject_type);
  g_free (self->subject_id);
  buurten_escalation_free (self->loaded);
  g_clear_pointer (&self->states, g_array_unref);
  g_clear_pointer (&self->targets, g_ptr_array_unref);

  G_OBJECT_CLASS (buurten_escalation_editor_parent_class)->finalize (object);
}

static void
buurten_escalation_editor_class_init (BuurtenEscalationEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  BuurtenEditorClass *editor_class = BUURTEN_EDITOR_CLASS (klass);

  object_class->constructed = buurten_escalation_editor_constructed;
  object_class->dispose = buurten_escalation_editor_dispose;
  object_class->finalize = buurten_escalation_editor_finalize;

  editor_class->entity_type = "escalation";
  editor_class->save = save;
  editor_class->show_draft = show_draft;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/nl/hilversum/Buurten/"
                                               "buurten-escalation-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, BuurtenEscalationEditor, form_error_label);
  gtk_widget_class_bind_template_child (widget_class, BuurtenEscalationEditor, wijk_row);
  gtk_widget_class_bind_template_child (widget_class, BuurtenEscalationEditor, level_row);
  gtk_widget_class_bind_template_child (widget_class, BuurtenEscalationEditor, target_row);
  gtk_widget_class_bind_template_child (widget_class, BuurtenEscalationEditor, target_other_row);
  gtk_widget_class_bind_template_child (widget_class, BuurtenEscalationEditor,
                                        target_error_label);
  gtk_widget_class_bind_template_child (widget_class, BuurtenEscalationEditor, subject_row);
  gtk_widget_class_bind_template_child (widget_class, BuurtenEscalationEditor, search_row);
  gtk_widget_class_bind_template_child (widget_class, BuurtenEscalationEditor, results_list);
  gtk_widget_class_bind_template_child (widget_class, BuurtenEscalationEditor,
                                        subject_error_label);
  gtk_widget_class_bind_template_child (widget_class, BuurtenEscalationEditor, reason_view);
  gtk_widget_class_bind_template_child (widget_class, BuurtenEscalationEditor,
                                        reason_error_label);
  gtk_widget_class_bind_template_child (widget_class, BuurtenEscalationEditor, state_group);
  gtk_widget_class_bind_template_child (widget_class, BuurtenEscalationEditor, state_row);
  gtk_widget_class_bind_template_child (widget_class, BuurtenEscalationEditor, note_row);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed_cb);

}

static void
buurten_escalation_editor_init (BuurtenEscalationEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  buurten_editor_set_error_label (BUURTEN_EDITOR (self), self->form_error_label);
}

GtkWidget *
buurten_escalation_editor_new (BuurtenContext *context,
                               const char     *wijk,
                               const char     *id)
{
  g_return_val_if_fail (BUURTEN_IS_CONTEXT (context), NULL);

  return g_object_new (BUURTEN_TYPE_ESCALATION_EDITOR,
                       "context", context,
                       "wijk", wijk,
                       "id", id,
                       NULL);
}

void
buurten_escalation_editor_set_subject (BuurtenEscalationEditor *self,
                                       const char              *subject_type,
                                       const char              *subject_id,
                                       const char              *title)
{
  g_return_if_fail (BUURTEN_IS_ESCALATION_EDITOR (self));
  g_return_if_fail (subject_type != NULL);
  g_return_if_fail (subject_id != NULL);

  if (self->loaded != NULL)
    return;

  g_free (self->subject_type);
  self->subject_type = g_strdup (subject_type);
  g_free (self->subject_id);
  self->subject_id = g_strdup (subject_id);
  show_subject (self, title);
  buurten_form_show_error (GTK_WIDGET (self->subject_row), self->subject_error_label, NULL);
}
