/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-form"

#include "config.h"

#include "buurten-form.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

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
buurten_form_fill_states_full (AdwComboRow            *row,
                               BuurtenMachine          machine,
                               int                     current,
                               BuurtenFormStateFilter  filter,
                               gpointer                user_data)
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
      if (filter != NULL && !filter (current, (int) to, user_data))
        continue;
      g_array_append_val (states, to);
      gtk_string_list_append (labels, buurten_state_label (machine, (int) to));
    }

  adw_combo_row_set_model (row, G_LIST_MODEL (labels));
  adw_combo_row_set_selected (row, 0);
  return states;
}

GArray *
buurten_form_fill_states (AdwComboRow    *row,
                          BuurtenMachine  machine,
                          int             current)
{
  return buurten_form_fill_states_full (row, machine, current, NULL, NULL);
}

/* Only what initiative.transition may do: never into toegekend
 * (signatures do that), the states after it with approved money. */
static gboolean
initiative_move_allowed (int      from,
                         int      to,
                         gpointer user_data)
{
  return buurten_initiative_check_transition (from, to, GPOINTER_TO_INT (user_data), NULL, NULL);
}

GArray *
buurten_form_fill_initiative_states (AdwComboRow *row,
                                     int          current,
                                     gboolean     has_approved)
{
  return buurten_form_fill_states_full (row, BUURTEN_MACHINE_INITIATIVE, current,
                                        initiative_move_allowed,
                                        GINT_TO_POINTER (has_approved != FALSE));
}

JsonNode *
buurten_form_args (BuurtenMutationId        mutation,
                   const BuurtenEntityInfo *info,
                   gconstpointer            entity)
{
  g_return_val_if_fail (mutation < BUURTEN_N_MUTATIONS, NULL);
  g_return_val_if_fail (info != NULL, NULL);
  g_return_val_if_fail (entity != NULL, NULL);

  /* The catalogue's row names the arguments; the form keeps no list. */
  return buurten_mutation_args_from_entity (buurten_mutation_info (mutation), info, entity);
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
buurten_form_update_args (BuurtenMutationId        mutation,
                          const BuurtenEntityInfo *info,
                          gconstpointer            before,
                          gconstpointer            after)
{
  const char * const *fields;
  g_autoptr(JsonNode) before_node = NULL;
  g_autoptr(JsonNode) after_node = NULL;
  JsonObject *before_obj, *after_obj;
  JsonObject *base, *set, *args;
  JsonNode *result;
  gint64 version;

  g_return_val_if_fail (mutation < BUURTEN_N_MUTATIONS, NULL);
  g_return_val_if_fail (info != NULL, NULL);
  g_return_val_if_fail (before != NULL && after != NULL, NULL);

  /* The fields the catalogue's row lets the update change. */
  fields = buurten_mutation_info (mutation)->fields;
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

static void
batch_add (BuurtenFormBatch        *batch,
           const BuurtenEntityInfo *info,
           gpointer                 entity,
           const char              *id,
           const char              *mutation,
           JsonNode                *args)
{
  FormWrite *write = g_new0 (FormWrite, 1);

  write->info = info;
  write->entity = entity;
  write->id = g_strdup (id);
  write->mutation = g_strdup (mutation);
  write->args = args;
  g_ptr_array_add (batch->writes, write);
}

void
buurten_form_batch_put (BuurtenFormBatch        *batch,
                        const BuurtenEntityInfo *info,
                        gpointer                 entity,
                        const char              *mutation,
                        JsonNode                *args)
{
  g_return_if_fail (batch != NULL);
  g_return_if_fail (info != NULL);
  g_return_if_fail (entity != NULL);

  batch_add (batch, info, entity, NULL, mutation, args);
}

void
buurten_form_batch_delete (BuurtenFormBatch        *batch,
                           const BuurtenEntityInfo *info,
                           const char              *id,
                           const char              *mutation,
                           JsonNode                *args)
{
  g_return_if_fail (batch != NULL);
  g_return_if_fail (info != NULL);
  g_return_if_fail (id != NULL);

  batch_add (batch, info, NULL, id, mutation, args);
}

guint
buurten_form_batch_get_size (BuurtenFormBatch *batch)
{
  g_return_val_if_fail (batch != NULL, 0);

  return batch->writes->len;
}

/* A unit of work on the store's writer: the store opens the transaction
 * around it, commits it when it returns TRUE and rolls it back otherwise.
 * Never cancelled half-way: a save is written whole or not at all. */
static gboolean
batch_write (BuurtenStore  *store,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  BuurtenFormBatch *batch = data;

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
        return FALSE;
    }
  return TRUE;
}

gboolean
buurten_form_batch_run (BuurtenFormBatch  *batch,
                        BuurtenStore      *store,
                        GError           **error)
{
  g_return_val_if_fail (batch != NULL, FALSE);
  g_return_val_if_fail (BUURTEN_IS_STORE (store), FALSE);

  return buurten_store_write (store, batch_write, batch, NULL, error);
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

  buurten_store_write_async (buurten_context_get_store (context), batch_write, batch,
                             (GDestroyNotify) buurten_form_batch_free,
                             cancellable, callback, user_data);
}
