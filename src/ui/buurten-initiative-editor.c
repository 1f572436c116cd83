/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-initiative-editor"

#include "config.h"

#include "buurten-initiative-editor.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

/* ==== shared by the forms ============================================ */

void
buurten_form_show_error (GtkWidget  *field,
                         GtkLabel   *error_label,
                         const char *message)
{
  gboolean show = message != NULL && *message != '\0';

  g_return_if_fail (field == NULL || GTK_IS_WIDGET (field));
  g_return_if_fail (error_label == NULL || GTK_IS_LABEL (error_label));

  if (error_label != NULL)
    {
      gtk_label_set_label (error_label, show ? message : "");
      gtk_widget_set_visible (GTK_WIDGET (error_label), show);
    }

  if (field == NULL)
    return;

  if (show)
    {
      gtk_widget_add_css_class (field, "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (field),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                                   -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (field),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message,
                                      -1);
    }
  else
    {
      gtk_widget_remove_css_class (field, "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (field), GTK_ACCESSIBLE_STATE_INVALID);
      gtk_accessible_reset_property (GTK_ACCESSIBLE (field),
                                     GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }
}

gboolean
buurten_form_read_amount (GtkEditable *field,
                          GtkLabel    *error_label,
                          gint64      *out_cents)
{
  g_autoptr(GError) error = NULL;
  const char *text;
  gint64 cents = 0;

  g_return_val_if_fail (GTK_IS_EDITABLE (field), FALSE);

  text = gtk_editable_get_text (field);
  if (!buurten_money_parse (text, BUURTEN_MONEY_PARSE_NONE, &cents, &error))
    {
      buurten_form_show_error (GTK_WIDGET (field), error_label, error->message);
      return FALSE;
    }

  buurten_form_show_error (GTK_WIDGET (field), error_label, NULL);
  if (out_cents != NULL)
    *out_cents = cents;
  return TRUE;
}

static gboolean
parse_number (const char *text,
              gsize       len,
              int        *out)
{
  int value = 0;

  if (len == 0 || len > 4)
    return FALSE;

  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return FALSE;
      value = value * 10 + (text[i] - '0');
    }

  *out = value;
  return TRUE;
}

gboolean
buurten_form_parse_date (const char  *text,
                         GDate       *out,
                         GError     **error)
{
  g_autofree char *copy = NULL;
  g_auto(GStrv) parts = NULL;
  int day = 0, month = 0, year = 0;
  gboolean ok = FALSE;

  g_return_val_if_fail (out != NULL, FALSE);

  copy = g_strstrip (g_strdup (text != NULL ? text : ""));
  if (*copy == '\0')
    {
      g_set_error_literal (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID,
                           _("Enter a date, for example 27-04-2026."));
      return FALSE;
    }

  g_strdelimit (copy, "/.", '-');
  parts = g_strsplit (copy, "-", -1);
  if (g_strv_length (parts) == 3)
    {
      gsize l0 = strlen (parts[0]);

      /* 2026-04-27 when the first part has four digits, else 27-4-2026. */
      if (l0 == 4)
        ok = parse_number (parts[0], l0, &year) &&
             parse_number (parts[1], strlen (parts[1]), &month) &&
             parse_number (parts[2], strlen (parts[2]), &day);
      else
        ok = parse_number (parts[0], l0, &day) &&
             parse_number (parts[1], strlen (parts[1]), &month) &&
             parse_number (parts[2], strlen (parts[2]), &year) &&
             strlen (parts[2]) == 4;
    }

  if (!ok)
    {
      g_set_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID,
                   _("“%s” is not a date: write it as day-month-year, for example 27-04-2026."),
                   copy);
      return FALSE;
    }

  if (year < 1900 || year > 9999 || month < 1 || month > 12 ||
      !g_date_valid_dmy (day, month, year))
    {
      g_set_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID,
                   _("“%s” is not a day of the calendar."), copy);
      return FALSE;
    }

  g_date_clear (out, 1);
  g_date_set_dmy (out, day, month, year);
  return TRUE;
}

char *
buurten_form_format_date (const GDate *date)
{
  g_return_val_if_fail (date != NULL, NULL);

  if (!g_date_valid (date))
    return g_strdup ("");

  return g_strdup_printf ("%02d-%02d-%04d", g_date_get_day (date), g_date_get_month (date),
                          g_date_get_year (date));
}

gboolean
buurten_form_parse_time (const char  *text,
                         int         *out_hour,
                         int         *out_minute,
                         GError     **error)
{
  g_autofree char *copy = NULL;
  g_auto(GStrv) parts = NULL;
  int hour = -1, minute = 0;
  gboolean ok = FALSE;
  guint n;

  copy = g_strstrip (g_strdup (text != NULL ? text : ""));
  g_strdelimit (copy, ".", ':');
  parts = g_strsplit (copy, ":", -1);
  n = g_strv_length (parts);

  if (n == 1 || n == 2)
    ok = parse_number (parts[0], strlen (parts[0]), &hour) && strlen (parts[0]) <= 2 &&
         (n == 1 || (strlen (parts[1]) == 2 && parse_number (parts[1], 2, &minute)));

  if (!ok || hour > 23 || minute > 59)
    {
      g_set_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID,
                   _("“%s” is not a time: write it as hours:minutes, for example 19:30."),
                   copy);
      return FALSE;
    }

  if (out_hour != NULL)
    *out_hour = hour;
  if (out_minute != NULL)
    *out_minute = minute;
  return TRUE;
}

char *
buurten_form_get_text (GtkEditable *field)
{
  char *text;

  g_return_val_if_fail (GTK_IS_EDITABLE (field), NULL);

  text = g_strstrip (g_strdup (gtk_editable_get_text (field)));
  if (*text == '\0')
    g_clear_pointer (&text, g_free);
  return text;
}

char *
buurten_form_get_view_text (GtkTextView *view)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;
  char *text;

  g_return_val_if_fail (GTK_IS_TEXT_VIEW (view), NULL);

  buffer = gtk_text_view_get_buffer (view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
  if (*text == '\0')
    g_clear_pointer (&text, g_free);
  return text;
}

void
buurten_form_set_view_text (GtkTextView *view,
                            const char  *text)
{
  g_return_if_fail (GTK_IS_TEXT_VIEW (view));

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), text != NULL ? text : "", -1);
}

void
buurten_form_fill_wijken (AdwComboRow    *row,
                          BuurtenContext *context,
                          const char     *wijk)
{
  GPtrArray *wijken;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  const char * const *mine;
  guint selected = 0;
  gboolean found = FALSE;

  g_return_if_fail (ADW_IS_COMBO_ROW (row));
  g_return_if_fail (BUURTEN_IS_CONTEXT (context));

  wijken = buurten_municipality_get_wijken (buurten_context_get_municipality (context));
  mine = buurten_context_get_user_wijken (context);
  if (wijk == NULL && mine != NULL)
    wijk = mine[0];

  for (guint i = 0; i < wijken->len; i++)
    {
      const BuurtenWijk *w = g_ptr_array_index (wijken, i);

      gtk_string_list_append (names, w->name);
      if (!found && g_strcmp0 (w->id, wijk) == 0)
        {
          selected = i;
          found = TRUE;
        }
    }

  adw_combo_row_set_model (row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (row, selected);
}

const char *
buurten_form_get_wijk (AdwComboRow    *row,
                       BuurtenContext *context)
{
  GPtrArray *wijken;
  guint selected;

  g_return_val_if_fail (ADW_IS_COMBO_ROW (row), NULL);
  g_return_val_if_fail (BUURTEN_IS_CONTEXT (context), NULL);

  wijken = buurten_municipality_get_wijken (buurten_context_get_municipality (context));
  selected = adw_combo_row_get_selected (row);
  if (selected >= wijken->len)
    return NULL;
  return ((const BuurtenWijk *) g_ptr_array_index (wijken, selected))->id;
}

GArray *
buurten_form_fill_states (AdwComboRow    *row,
                          BuurtenMachine  machine,
                          int             current)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  GArray *states = g_array_new (FALSE, FALSE, sizeof (int));
  guint n = buurten_machine_n_states (machine);

  g_return_val_if_fail (ADW_IS_COMBO_ROW (row), states);

  g_array_append_val (states, current);
  gtk_string_list_append (labels, buurten_state_label (machine, current));
  for (guint to = 0; to < n; to++)
    {
      if ((int) to == current || !buurten_state_can_transition (machine, current, (int) to))
        continue;
      g_array_append_val (states, to);
      gtk_string_list_append (labels, buurten_state_label (machine, (int) to));
    }

  adw_combo_row_set_model (row, G_LIST_MODEL (labels));
  adw_combo_row_set_selected (row, 0);
  return states;
}

JsonNode *
buurten_form_args (const BuurtenEntityInfo *info,
                   gconstpointer            entity,
                   const char * const      *members)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *from;
  JsonObject *args = json_object_new ();
  JsonNode *result;

  g_return_val_if_fail (info != NULL, NULL);
  g_return_val_if_fail (entity != NULL, NULL);

  node = buurten_entity_to_json (info, entity, TRUE);
  from = json_node_get_object (node);
  for (guint i = 0; members != NULL && members[i] != NULL; i++)
    {
      JsonNode *member = json_object_get_member (from, members[i]);

      if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
        json_object_set_member (args, members[i], json_node_copy (member));
    }

  result = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (result, args);
  return result;
}

static gint64
entity_version (const BuurtenEntityInfo *info,
                gconstpointer            entity)
{
  const BuurtenField *field = buurten_entity_info_get_field (info, "version");

  if (field == NULL)
    return 0;
  return G_STRUCT_MEMBER (gint64, entity, field->offset);
}

JsonNode *
buurten_form_update_args (const BuurtenEntityInfo *info,
                          gconstpointer            before,
                          gconstpointer            after,
                          const char * const      *fields)
{
  g_autoptr(JsonNode) before_node = NULL;
  g_autoptr(JsonNode) after_node = NULL;
  JsonObject *before_obj, *after_obj;
  JsonObject *base, *set, *args;
  JsonNode *result;
  gint64 version;

  g_return_val_if_fail (info != NULL, NULL);
  g_return_val_if_fail (before != NULL && after != NULL, NULL);

  before_node = buurten_entity_to_json (info, before, TRUE);
  after_node = buurten_entity_to_json (info, after, TRUE);
  before_obj = json_node_get_object (before_node);
  after_obj = json_node_get_object (after_node);
  /* A row made here and not yet pushed is version 0 locally; the server
   * creates it at version 1 with every field at 1. */
  version = MAX (entity_version (info, before), 1);

  base = json_object_new ();
  set = json_object_new ();
  for (guint i = 0; fields[i] != NULL; i++)
    {
      JsonNode *a = json_object_get_member (before_obj, fields[i]);
      JsonNode *b = json_object_get_member (after_obj, fields[i]);

      if (a == NULL && b == NULL)
        continue;
      if (a != NULL && b != NULL && json_node_equal (a, b))
        continue;

      json_object_set_int_member (base, fields[i], version);
      json_object_set_member (set, fields[i],
                              b != NULL ? json_node_copy (b) : json_node_new (JSON_NODE_NULL));
    }

  if (json_object_get_size (set) == 0)
    {
      json_object_unref (base);
      json_object_unref (set);
      return NULL;
    }

  args = json_object_new ();
  json_object_set_member (args, "id", json_node_copy (json_object_get_member (after_obj, "id")));
  json_object_set_object_member (args, "base", base);
  json_object_set_object_member (args, "set", set);

  result = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (result, args);
  return result;
}

JsonNode *
buurten_form_transition_args (const char     *id,
                              BuurtenMachine  machine,
                              int             from,
                              int             to,
                              const char     *note)
{
  JsonObject *args = json_object_new ();
  JsonNode *result;

  g_return_val_if_fail (id != NULL, NULL);

  json_object_set_string_member (args, "id", id);
  json_object_set_string_member (args, "expect_state", buurten_state_id (machine, from));
  json_object_set_string_member (args, "to", buurten_state_id (machine, to));
  if (note != NULL)
    json_object_set_string_member (args, "note", note);

  result = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (result, args);
  return result;
}

typedef struct
{
  const BuurtenEntityInfo *info;
  gpointer                 entity;   /* NULL for a delete */
  char                    *id;       /* for a delete */
  char                    *mutation;
  JsonNode                *args;
} FormWrite;

struct _BuurtenFormBatch
{
  char      *actor;
  GPtrArray *writes;
};

static void
form_write_free (gpointer data)
{
  FormWrite *write = data;

  if (write->entity != NULL)
    buurten_entity_free (write->info, write->entity);
  g_free (write->id);
  g_free (write->mutation);
  g_clear_pointer (&write->args, json_node_unref);
  g_free (write);
}

BuurtenFormBatch *
buurten_form_batch_new (const char *actor)
{
  BuurtenFormBatch *batch = g_new0 (BuurtenFormBatch, 1);

  batch->actor = g_strdup (actor);
  batch->writes = g_ptr_array_new_with_free_func (form_write_free);
  return batch;
}

void
buurten_form_batch_free (BuurtenFormBatch *batch)
{
  if (batch == NULL)
    return;

  g_free (batch->actor);
  g_ptr_array_unref (batch->writes);
  g_free (batch);
}

void
buurten_form_batch_put (BuurtenFormBatch        *batch,
                        const BuurtenEntityInfo *info,
                        gpointer                 entity,
                        const char              *mutation,
                        JsonNode                *args)
{
  FormWrite *write;

  g_return_if_fail (batch != NULL);
  g_return_if_fail (info != NULL);
  g_return_if_fail (entity != NULL);

  write = g_new0 (FormWrite, 1);
  write->info = info;
  write->entity = entity;
  write->mutation = g_strdup (mutation);
  write->args = args;
  g_ptr_array_add (batch->writes, write);
}

void
buurten_form_batch_delete (BuurtenFormBatch        *batch,
                           const BuurtenEntityInfo *info,
                           const char              *id,
                           const char              *mutation,
                           JsonNode                *args)
{
  FormWrite *write;

  g_return_if_fail (batch != NULL);
  g_return_if_fail (info != NULL);
  g_return_if_fail (id != NULL);

  write = g_new0 (FormWrite, 1);
  write->info = info;
  write->id = g_strdup (id);
  write->mutation = g_strdup (mutation);
  write->args = args;
  g_ptr_array_add (batch->writes, write);
}

guint
buurten_form_batch_get_size (BuurtenFormBatch *batch)
{
  g_return_val_if_fail (batch != NULL, 0);

  return batch->writes->len;
}

gboolean
buurten_form_batch_run (BuurtenFormBatch  *batch,
                        BuurtenStore      *store,
                        GError           **error)
{
  g_return_val_if_fail (batch != NULL, FALSE);
  g_return_val_if_fail (BUURTEN_IS_STORE (store), FALSE);

  if (!buurten_store_begin (store, error))
    return FALSE;

  for (guint i = 0; i < batch->writes->len; i++)
    {
      FormWrite *write = g_ptr_array_index (batch->writes, i);
      gboolean ok;

      if (write->entity != NULL)
        ok = buurten_store_put (store, write->info, write->entity, batch->actor,
                                write->mutation, write->args, error);
      else
        ok = buurten_store_delete (store, write->info, write->id, batch->actor,
                                   write->mutation, write->args, error);
      if (!ok)
        {
          buurten_store_rollback (store);
          return FALSE;
        }
    }

  if (!buurten_store_commit (store, error))
    {
      buurten_store_rollback (store);
      return FALSE;
    }

  return TRUE;
}

static gpointer
batch_run_in_thread (BuurtenStore  *store,
                     gpointer       data,
                     GCancellable  *cancellable,
                     GError       **error)
{
  /* Never cancelled half-way: a save is written whole or not at all. */
  if (!buurten_form_batch_run (data, store, error))
    return NULL;

  return GINT_TO_POINTER (TRUE);
}

void
buurten_form_batch_save_async (BuurtenFormBatch    *batch,
                               BuurtenContext      *context,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (batch != NULL);
  g_return_if_fail (BUURTEN_IS_CONTEXT (context));

  buurten_context_run_async (context, batch_run_in_thread, batch,
                             (GDestroyNotify) buurten_form_batch_free, NULL,
                             cancellable, callback, user_data);
}

/* ==== the initiative editor ========================================== */

typedef struct
{
  const char *id;        /* the entity field */
  const char *title;
  const char *subtitle;
  gsize       offset;
} Check;

static const Check checks[] = {
  { "crit_residents", N_("Started by residents"),
    N_("Demonstrably started by residents or other non-professional partners from the wijk "
       "or buurt"), G_STRUCT_OFFSET (BuurtenInitiative, crit_residents) },
  { "crit_support", N_("Support in the buurt"),
    N_("Testable support from several parties, open to more people than one interest group"),
    G_STRUCT_OFFSET (BuurtenInitiative, crit_support) },
  { "crit_themes", N_("Fits the wijk’s themes"),
    N_("Preferably, not necessarily, fits this year’s priority themes"),
    G_STRUCT_OFFSET (BuurtenInitiative, crit_themes) },
  { "crit_adds", N_("Adds something"),
    N_("No other funding exists for it and it does not conflict with policy"),
    G_STRUCT_OFFSET (BuurtenInitiative, crit_adds) },
  { "princ_lawful", N_("Lawful and of reasonable quality"), NULL,
    G_STRUCT_OFFSET (BuurtenInitiative, princ_lawful) },
  { "princ_own_effort", N_("Own effort and reciprocity"),
    N_("Residents carry it out themselves and give something back"),
    G_STRUCT_OFFSET (BuurtenInitiative, princ_own_effort) },
  { "princ_feedback", N_("Feedback to the buurt"), NULL,
    G_STRUCT_OFFSET (BuurtenInitiative, princ_feedback) },
  { "princ_accounting", N_("Transparent financial accounting"), NULL,
    G_STRUCT_OFFSET (BuurtenInitiative, princ_accounting) },
};

#define N_CRITERIA 4
#define N_CHECKS G_N_ELEMENTS (checks)

static const char * const create_members[] = {
  "id", "wijk", "title", "description", "organiser", "requested_cents", "theme", NULL
};

static const char * const update_fields[] = {
  "title", "description", "organiser", "requested_cents", "theme",
  "crit_residents", "crit_support", "crit_themes", "crit_adds",
  "princ_lawful", "princ_own_effort", "princ_feedback", "princ_accounting",
  "support_note", NULL
};

struct _BuurtenInitiativeEditor
{
  AdwWindow          parent_instance;

  /* template widgets */
  GtkLabel          *form_error_label;
  AdwComboRow       *wijk_row;
  AdwEntryRow       *title_row;
  GtkLabel          *title_error_label;
  AdwEntryRow       *organiser_row;
  AdwComboRow       *theme_row;
  AdwEntryRow       *amount_row;
  GtkLabel          *amount_error_label;
  GtkTextView       *description_view;
  AdwPreferencesGroup *criteria_group;
  AdwPreferencesGroup *principles_group;
  AdwEntryRow       *support_row;
  AdwPreferencesGroup *state_group;
  AdwComboRow       *state_row;
  AdwEntryRow       *note_row;

  GtkToggleButton   *yes_buttons[N_CHECKS];
  GtkToggleButton   *no_buttons[N_CHECKS];

  /* owned references */
  BuurtenContext    *context;
  GCancellable      *cancellable;
  char              *id;
  char              *wijk;
  BuurtenInitiative *loaded;       /* when editing */
  GArray            *states;       /* int, offered in state_row */
  GPtrArray         *themes;       /* char*, offered after "no theme" */

  gboolean           saving;
};

G_DEFINE_FINAL_TYPE (BuurtenInitiativeEditor, buurten_initiative_editor, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_WIJK,
  PROP_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_busy (BuurtenInitiativeEditor *self,
          gboolean                 busy)
{
  self->saving = busy;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", !busy);
}

static BuurtenCheck
get_check (BuurtenInitiativeEditor *self,
           guint                    i)
{
  if (gtk_toggle_button_get_active (self->yes_buttons[i]))
    return BUURTEN_CHECK_YES;
  if (gtk_toggle_button_get_active (self->no_buttons[i]))
    return BUURTEN_CHECK_NO;
  return BUURTEN_CHECK_UNKNOWN;
}

static void
set_check (BuurtenInitiativeEditor *self,
           guint                    i,
           BuurtenCheck             value)
{
  gtk_toggle_button_set_active (self->yes_buttons[i], value == BUURTEN_CHECK_YES);
  gtk_toggle_button_set_active (self->no_buttons[i], value == BUURTEN_CHECK_NO);
}

/* The checklist's tally in the group descriptions, so the support an
 * initiative has is visible at a glance. */
static void
update_tally (BuurtenInitiativeEditor *self)
{
  guint met = 0, principles = 0, failed = 0;
  g_autofree char *criteria_text = NULL;
  g_autofree char *principles_text = NULL;

  for (guint i = 0; i < N_CHECKS; i++)
    {
      BuurtenCheck value = get_check (self, i);

      if (value == BUURTEN_CHECK_NO)
        failed++;
      if (value != BUURTEN_CHECK_YES)
        continue;
      if (i < N_CRITERIA)
        met++;
      else
        principles++;
    }

  /* Translators: the tally of the four criteria of an initiative */
  criteria_text = g_strdup_printf (_("%u of 4 criteria met"), met);
  /* Translators: the tally of the four basic principles of an initiative */
  principles_text = g_strdup_printf (_("%u of 4 principles met"), principles);
  adw_preferences_group_set_description (self->criteria_group, criteria_text);
  adw_preferences_group_set_description (self->principles_group, principles_text);
}

static void
on_check_toggled_cb (BuurtenInitiativeEditor *self)
{
  update_tally (self);
}

static void
build_checklist (BuurtenInitiativeEditor *self)
{
  for (guint i = 0; i < N_CHECKS; i++)
    {
      const Check *check = &checks[i];
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
      GtkWidget *yes = gtk_toggle_button_new_with_label (_("Yes"));
      GtkWidget *no = gtk_toggle_button_new_with_label (_("No"));
      g_autofree char *yes_name = NULL;
      g_autofree char *no_name = NULL;

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(check->title));
      if (check->subtitle != NULL)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _(check->subtitle));
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);

      gtk_widget_add_css_class (box, "linked");
      gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
      gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (no), GTK_TOGGLE_BUTTON (yes));
      gtk_box_append (GTK_BOX (box), yes);
      gtk_box_append (GTK_BOX (box), no);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), box);

      /* "Yes" alone says nothing to a screen reader: name the criterion. */
      /* Translators: accessible name of a toggle, e.g. "Started by residents: yes" */
      yes_name = g_strdup_printf (_("%s: yes"), _(check->title));
      /* Translators: accessible name of a toggle, e.g. "Started by residents: no" */
      no_name = g_strdup_printf (_("%s: no"), _(check->title));
      gtk_accessible_update_property (GTK_ACCESSIBLE (yes), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      yes_name, -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (no), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      no_name, -1);

      g_signal_connect_swapped (yes, "toggled", G_CALLBACK (on_check_toggled_cb), self);
      g_signal_connect_swapped (no, "toggled", G_CALLBACK (on_check_toggled_cb), self);

      self->yes_buttons[i] = GTK_TOGGLE_BUTTON (yes);
      self->no_buttons[i] = GTK_TOGGLE_BUTTON (no);

      if (i < N_CRITERIA)
        adw_preferences_group_add (self->criteria_group, row);
      else
        adw_preferences_group_add (self->principles_group, row);
    }

  /* The support note belongs with the support criterion: after it, before
   * the others would read oddly, so it closes the criteria. */
  g_object_ref (self->support_row);
  adw_preferences_group_remove (self->criteria_group, GTK_WIDGET (self->support_row));
  adw_preferences_group_add (self->criteria_group, GTK_WIDGET (self->support_row));
  g_object_unref (self->support_row);

  update_tally (self);
}

/* -- themes of the wijk -- */

typedef struct
{
  char *wijk;
  int   year;
} ThemesQuery;

static void
themes_query_free (gpointer data)
{
  ThemesQuery *query = data;

  g_free (query->wijk);
  g_free (query);
}

static int
compare_theme_position (gconstpointer a,
                        gconstpointer b)
{
  const BuurtenTheme *ta = *(const BuurtenTheme * const *) a;
  const BuurtenTheme *tb = *(const BuurtenTheme * const *) b;

  return (ta->position > tb->position) - (ta->position < tb->position);
}

static gpointer
load_themes_in_thread (BuurtenStore  *store,
                       gpointer       data,
                       GCancellable  *cancellable,
                       GError       **error)
{
  ThemesQuery *query = data;
  g_autoptr(GPtrArray) rows = NULL;
  GPtrArray *titles;

  rows = buurten_store_list (store, &buurten_theme_info, "wijk", query->wijk, error);
  if (rows == NULL)
    return NULL;

  g_ptr_array_sort (rows, compare_theme_position);
  titles = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < rows->len; i++)
    {
      BuurtenTheme *theme = g_ptr_array_index (rows, i);

      if (theme->year == query->year && theme->title != NULL)
        g_ptr_array_add (titles, g_strdup (theme->title));
      buurten_entity_free (&buurten_theme_info, theme);
    }
  /* The rows were freed one by one above. */
  g_ptr_array_set_free_func (rows, NULL);

  return titles;
}

static void
show_themes (BuurtenInitiativeEditor *self,
             const char              *selected)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  guint position = 0;

  /* Translators: the choice for an initiative without a theme */
  gtk_string_list_append (labels, _("No theme"));
  for (guint i = 0; self->themes != NULL && i < self->themes->len; i++)
    {
      const char *title = g_ptr_array_index (self->themes, i);

      gtk_string_list_append (labels, title);
      if (g_strcmp0 (title, selected) == 0)
        position = i + 1;
    }

  adw_combo_row_set_model (self->theme_row, G_LIST_MODEL (labels));
  adw_combo_row_set_selected (self->theme_row, position);
}

static const char *
get_theme (BuurtenInitiativeEditor *self)
{
  guint selected = adw_combo_row_get_selected (self->theme_row);

  if (self->themes == NULL || selected == 0 || selected == GTK_INVALID_LIST_POSITION ||
      selected > self->themes->len)
    return NULL;
  return g_ptr_array_index (self->themes, selected - 1);
}

static void
themes_loaded_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(BuurtenInitiativeEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *keep = NULL;
  GPtrArray *titles;

  titles = buurten_context_run_finish (BUURTEN_CONTEXT (source), result, &error);
  if (titles == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not load the themes: %s", error->message);
      return;
    }

  /* What was chosen (or stored) stays chosen, even when it is not one of
   * this year's themes. */
  keep = g_strdup (get_theme (self));
  if (keep == NULL && self->loaded != NULL)
    keep = g_strdup (self->loaded->theme);
  if (keep != NULL)
    {
      gboolean present = FALSE;

      for (guint i = 0; i < titles->len && !present; i++)
        present = g_str_equal (g_ptr_array_index (titles, i), keep);
      if (!present)
        g_ptr_array_add (titles, g_strdup (keep));
    }

  g_clear_pointer (&self->themes, g_ptr_array_unref);
  self->themes = titles;
  show_themes (self, keep);
}

static void
load_themes (BuurtenInitiativeEditor *self)
{
  ThemesQuery *query;
  const char *wijk = buurten_form_get_wijk (self->wijk_row, self->context);

  if (wijk == NULL)
    return;

  query = g_new0 (ThemesQuery, 1);
  query->wijk = g_strdup (wijk);
  query->year = buurten_context_get_year (self->context);
  buurten_context_run_async (self->context, load_themes_in_thread, query, themes_query_free,
                             (GDestroyNotify) g_ptr_array_unref, self->cancellable,
                             themes_loaded_cb, g_object_ref (self));
}

static void
on_wijk_selected_cb (BuurtenInitiativeEditor *self)
{
  if (self->id == NULL)
    {
      /* Another wijk has other themes: none of the old ones applies. */
      g_clear_pointer (&self->themes, g_ptr_array_unref);
      show_themes (self, NULL);
      load_themes (self);
    }
}

/* -- loading an initiative to edit -- */

static gpointer
load_initiative_in_thread (BuurtenStore  *store,
                           gpointer       data,
                           GCancellable  *cancellable,
                           GError       **error)
{
  return buurten_store_get (store, &buurten_initiative_info, data, error);
}

static void
show_initiative (BuurtenInitiativeEditor *self)
{
  const BuurtenInitiative *initiative = self->loaded;
  g_autofree char *amount = NULL;

  buurten_form_fill_wijken (self->wijk_row, self->context, initiative->wijk);
  gtk_widget_set_sensitive (GTK_WIDGET (self->wijk_row), FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->title_row),
                         initiative->title != NULL ? initiative->title : "");
  gtk_editable_set_text (GTK_EDITABLE (self->organiser_row),
                         initiative->organiser != NULL ? initiative->organiser : "");
  amount = initiative->requested_cents > 0
             ? buurten_money_format (initiative->requested_cents) : g_strdup ("");
  gtk_editable_set_text (GTK_EDITABLE (self->amount_row), amount);
  buurten_form_set_view_text (self->description_view, initiative->description);
  gtk_editable_set_text (GTK_EDITABLE (self->support_row),
                         initiative->support_note != NULL ? initiative->support_note : "");

  for (guint i = 0; i < N_CHECKS; i++)
    set_check (self, i, G_STRUCT_MEMBER (BuurtenCheck, initiative, checks[i].offset));

  g_clear_pointer (&self->states, g_array_unref);
  self->states = buurten_form_fill_states (self->state_row, BUURTEN_MACHINE_INITIATIVE,
                                           initiative->state);
  gtk_widget_set_visible (GTK_WIDGET (self->state_group), TRUE);

  /* The stored theme stays chosen while the wijk's themes load, so a
   * quick save never drops it. */
  g_clear_pointer (&self->themes, g_ptr_array_unref);
  self->themes = g_ptr_array_new_with_free_func (g_free);
  if (initiative->theme != NULL)
    g_ptr_array_add (self->themes, g_strdup (initiative->theme));
  show_themes (self, initiative->theme);
  load_themes (self);
  update_tally (self);
}

static void
initiative_loaded_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(BuurtenInitiativeEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  BuurtenInitiative *initiative;

  initiative = buurten_context_run_finish (BUURTEN_CONTEXT (source), result, &error);
  if (initiative == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      buurten_form_show_error (NULL, self->form_error_label, error->message);
      return;
    }

  self->loaded = initiative;
  show_initiative (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self), TRUE);
  set_busy (self, FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->title_row));
}

/* -- saving -- */

static BuurtenInitiative *
read_form (BuurtenInitiativeEditor *self)
{
  g_autoptr(BuurtenInitiative) initiative = NULL;
  gint64 cents = 0;
  gboolean ok = TRUE;

  initiative = self->loaded != NULL ? buurten_initiative_copy (self->loaded)
                                    : buurten_initiative_new ();

  g_free (initiative->title);
  initiative->title = buurten_form_get_text (GTK_EDITABLE (self->title_row));
  if (initiative->title == NULL)
    {
      buurten_form_show_error (GTK_WIDGET (self->title_row), self->title_error_label,
                               _("Give the initiative a title."));
      ok = FALSE;
    }
  else
    buurten_form_show_error (GTK_WIDGET (self->title_row), self->title_error_label, NULL);

  /* An initiative may come in before anyone knows the amount. */
  if (*gtk_editable_get_text (GTK_EDITABLE (self->amount_row)) == '\0')
    buurten_form_show_error (GTK_WIDGET (self->amount_row), self->amount_error_label, NULL);
  else if (!buurten_form_read_amount (GTK_EDITABLE (self->amount_row), self->amount_error_label,
                                      &cents))
    ok = FALSE;

  if (!ok)
    return NULL;

  if (self->loaded == NULL)
    {
      initiative->id = buurten_uuid_new ();
      initiative->wijk = g_strdup (buurten_form_get_wijk (self->wijk_row, self->context));
      initiative->state = BUURTEN_INITIATIVE_IDEA;
      initiative->received_at = g_get_real_time () / G_USEC_PER_SEC;
    }
  initiative->requested_cents = cents;
  g_free (initiative->organiser);
  initiative->organiser = buurten_form_get_text (GTK_EDITABLE (self->organiser_row));
  g_free (initiative->description);
  initiative->description = buurten_form_get_view_text (self->description_view);
  g_free (initiative->theme);
  initiative->theme = g_strdup (get_theme (self));
  g_free (initiative->support_note);
  initiative->support_note = buurten_form_get_text (GTK_EDITABLE (self->support_row));
  for (guint i = 0; i < N_CHECKS; i++)
    G_STRUCT_MEMBER (BuurtenCheck, initiative, checks[i].offset) = get_check (self, i);
  initiative->updated_at = g_get_real_time () / G_USEC_PER_SEC;

  return g_steal_pointer (&initiative);
}

static void
saved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(BuurtenInitiativeEditor) self = user_data;
  g_autoptr(GError) error = NULL;

  if (buurten_context_run_finish (BUURTEN_CONTEXT (source), result, &error) == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* The form keeps everything typed; the message says what failed. */
      buurten_form_show_error (NULL, self->form_error_label, error->message);
      set_busy (self, FALSE);
      return;
    }

  buurten_context_notify_changed (self->context, "initiative", self->id);
  g_signal_emit (self, signals[SAVED], 0, self->id);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
save (BuurtenInitiativeEditor *self)
{
  g_autoptr(BuurtenInitiative) initiative = NULL;
  g_autoptr(BuurtenFormBatch) batch = NULL;
  const char *actor = buurten_context_get_user_name (self->context);

  if (self->saving)
    return;

  buurten_form_show_error (NULL, self->form_error_label, NULL);
  initiative = read_form (self);
  if (initiative == NULL)
    return;

  batch = buurten_form_batch_new (actor);

  if (self->loaded == NULL)
    {
      g_autoptr(BuurtenInitiative) created = buurten_initiative_copy (initiative);
      JsonNode *update;

      /* initiative.create carries no checklist: when one was filled in,
       * an update follows in the same transaction. */
      for (guint i = 0; i < N_CHECKS; i++)
        G_STRUCT_MEMBER (BuurtenCheck, created, checks[i].offset) = BUURTEN_CHECK_UNKNOWN;
      g_clear_pointer (&created->support_note, g_free);

      update = buurten_form_update_args (&buurten_initiative_info, created, initiative,
                                         update_fields);
      buurten_form_batch_put (batch, &buurten_initiative_info,
                              buurten_initiative_copy (created), "initiative.create",
                              buurten_form_args (&buurten_initiative_info, created,
                                                 create_members));
      if (update != NULL)
        buurten_form_batch_put (batch, &buurten_initiative_info,
                                buurten_initiative_copy (initiative), "initiative.update",
                                update);
      g_free (self->id);
      self->id = g_strdup (initiative->id);
    }
  else
    {
      JsonNode *update = buurten_form_update_args (&buurten_initiative_info, self->loaded,
                                                   initiative, update_fields);
      guint selected = adw_combo_row_get_selected (self->state_row);
      int from = self->loaded->state;
      int to = from;

      if (self->states != NULL && selected < self->states->len)
        to = g_array_index (self->states, int, selected);

      if (update != NULL)
        {
          BuurtenInitiative *updated = buurten_initiative_copy (initiative);

          updated->state = from;
          buurten_form_batch_put (batch, &buurten_initiative_info, updated,
                                  "initiative.update", update);
        }

      if (to != from)
        {
          g_autoptr(GError) error = NULL;
          g_autofree char *note = buurten_form_get_text (GTK_EDITABLE (self->note_row));

          if (!buurten_state_check_transition (BUURTEN_MACHINE_INITIATIVE, from, to, &error))
            {
              buurten_form_show_error (GTK_WIDGET (self->state_row), self->form_error_label,
                                       error->message);
              return;
            }
          initiative->state = to;
          buurten_form_batch_put (batch, &buurten_initiative_info,
                                  buurten_initiative_copy (initiative), "initiative.transition",
                                  buurten_form_transition_args (initiative->id,
                                                                BUURTEN_MACHINE_INITIATIVE,
                                                                from, to, note));
        }
    }

  if (buurten_form_batch_get_size (batch) == 0)
    {
      /* Nothing changed: nothing to write, nothing to send. */
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }

  set_busy (self, TRUE);
  buurten_form_batch_save_async (g_steal_pointer (&batch), self->context, self->cancellable,
                                 saved_cb, g_object_ref (self));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  save (BUURTEN_INITIATIVE_EDITOR (widget));
}

static void
on_amount_changed_cb (BuurtenInitiativeEditor *self)
{
  /* Focus leaves the fields while the window is torn down, too, after
   * the template's pointers are cleared. */
  if (gtk_widget_in_destruction (GTK_WIDGET (self)) || self->amount_row == NULL)
    return;
  /* An error goes as soon as the text is right again; a new one waits for
   * the person to finish typing (Save, or leaving the field). */
  if (gtk_widget_get_visible (GTK_WIDGET (self->amount_error_label)))
    {
      const char *text = gtk_editable_get_text (GTK_EDITABLE (self->amount_row));

      if (*text == '\0' || buurten_money_parse (text, BUURTEN_MONEY_PARSE_NONE, NULL, NULL))
        buurten_form_show_error (GTK_WIDGET (self->amount_row), self->amount_error_label,
                                 NULL);
    }
}

static void
on_amount_focus_leave_cb (BuurtenInitiativeEditor *self)
{
  /* Focus leaves the fields while the window is torn down, too, after
   * the template's pointers are cleared. */
  if (gtk_widget_in_destruction (GTK_WIDGET (self)) || self->amount_row == NULL)
    return;
  if (*gtk_editable_get_text (GTK_EDITABLE (self->amount_row)) != '\0')
    buurten_form_read_amount (GTK_EDITABLE (self->amount_row), self->amount_error_label, NULL);
}

/* -- GObject -- */

static void
buurten_initiative_editor_constructed (GObject *object)
{
  BuurtenInitiativeEditor *self = BUURTEN_INITIATIVE_EDITOR (object);

  G_OBJECT_CLASS (buurten_initiative_editor_parent_class)->constructed (object);

  g_return_if_fail (BUURTEN_IS_CONTEXT (self->context));

  if (self->id != NULL)
    {
      gtk_window_set_title (GTK_WINDOW (self), _("Edit Initiative"));
      gtk_widget_set_sensitive (GTK_WIDGET (self), FALSE);
      set_busy (self, TRUE);
      buurten_context_run_async (self->context, load_initiative_in_thread, g_strdup (self->id),
                                 g_free, (GDestroyNotify) buurten_initiative_free,
                                 self->cancellable, initiative_loaded_cb, g_object_ref (self));
    }
  else
    {
      buurten_form_fill_wijken (self->wijk_row, self->context, self->wijk);
      g_signal_connect_swapped (self->wijk_row, "notify::selected",
                                G_CALLBACK (on_wijk_selected_cb), self);
      show_themes (self, NULL);
      load_themes (self);
    }

  gtk_widget_grab_focus (GTK_WIDGET (self->title_row));
}

static void
buurten_initiative_editor_dispose (GObject *object)
{
  BuurtenInitiativeEditor *self = BUURTEN_INITIATIVE_EDITOR (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), BUURTEN_TYPE_INITIATIVE_EDITOR);

  G_OBJECT_CLASS (buurten_initiative_editor_parent_class)->dispose (object);
}

static void
buurten_initiative_editor_finalize (GObject *object)
{
  BuurtenInitiativeEditor *self = BUURTEN_INITIATIVE_EDITOR (object);

  g_clear_object (&self->context);
  g_clear_object (&self->cancellable);
  g_free (self->id);
  g_free (self->wijk);
  buurten_initiative_free (self->loaded);
  g_clear_pointer (&self->states, g_array_unref);
  g_clear_pointer (&self->themes, g_ptr_array_unref);

  G_OBJECT_CLASS (buurten_initiative_editor_parent_class)->finalize (object);
}

static void
buurten_initiative_editor_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  BuurtenInitiativeEditor *self = BUURTEN_INITIATIVE_EDITOR (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    case PROP_WIJK:
      g_value_set_string (value, self->wijk);
      break;
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
buurten_initiative_editor_set_property (GObject      *object,
                                        guint         prop_id,
                                        const GValue *value,
                                        GParamSpec   *pspec)
{
  BuurtenInitiativeEditor *self = BUURTEN_INITIATIVE_EDITOR (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    case PROP_WIJK:
      self->wijk = g_value_dup_string (value);
      break;
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
buurten_initiative_editor_class_init (BuurtenInitiativeEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = buurten_initiative_editor_constructed;
  object_class->dispose = buurten_initiative_editor_dispose;
  object_class->finalize = buurten_initiative_editor_finalize;
  object_class->get_property = buurten_initiative_editor_get_property;
  object_class->set_property = buurten_initiative_editor_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, BUURTEN_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_WIJK] =
    g_param_spec_string ("wijk", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * BuurtenInitiativeEditor::saved:
   * @id: the initiative's id
   *
   * Emitted once everything is written, just before the window closes.
   */
  signals[SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/nl/hilversum/Buurten/"
                                               "buurten-initiative-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, BuurtenInitiativeEditor,
                                        form_error_label);
  gtk_widget_class_bind_template_child (widget_class, BuurtenInitiativeEditor, wijk_row);
  gtk_widget_class_bind_template_child (widget_class, BuurtenInitiativeEditor, title_row);
  gtk_widget_class_bind_template_child (widget_class, BuurtenInitiativeEditor,
                                        title_error_label);
  gtk_widget_class_bind_template_child (widget_class, BuurtenInitiativeEditor, organiser_row);
  gtk_widget_class_bind_template_child (widget_class, BuurtenInitiativeEditor, theme_row);
  gtk_widget_class_bind_template_child (widget_class, BuurtenInitiativeEditor, amount_row);
  gtk_widget_class_bind_template_child (widget_class, BuurtenInitiativeEditor,
                                        amount_error_label);
  gtk_widget_class_bind_template_child (widget_class, BuurtenInitiativeEditor,
                                        description_view);
  gtk_widget_class_bind_template_child (widget_class, BuurtenInitiativeEditor, criteria_group);
  gtk_widget_class_bind_template_child (widget_class, BuurtenInitiativeEditor,
                                        principles_group);
  gtk_widget_class_bind_template_child (widget_class, BuurtenInitiativeEditor, support_row);
  gtk_widget_class_bind_template_child (widget_class, BuurtenInitiativeEditor, state_group);
  gtk_widget_class_bind_template_child (widget_class, BuurtenInitiativeEditor, state_row);
  gtk_widget_class_bind_template_child (widget_class, BuurtenInitiativeEditor, note_row);
  gtk_widget_class_bind_template_callback (widget_class, on_amount_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_amount_focus_leave_cb);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "editor.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "editor.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
buurten_initiative_editor_init (BuurtenInitiativeEditor *self)
{
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  build_checklist (self);
}

GtkWidget *
buurten_initiative_editor_new (BuurtenContext *context,
                               const char     *wijk,
                               const char     *id)
{
  g_return_val_if_fail (BUURTEN_IS_CONTEXT (context), NULL);

  return g_object_new (BUURTEN_TYPE_INITIATIVE_EDITOR,
                       "context", context,
                       "wijk", wijk,
                       "id", id,
                       NULL);
}
