/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-initiative-editor"

#include "config.h"

#include "buurten-initiative-editor.h"

#include <glib/gi18n.h>

#include "buurten-activities-editor.h"
#include "buurten-budget-lines-editor.h"
#include "buurten-editors.h"

typedef struct
{
  const char *id;        /* the entity field */
  const char *title;
  const char *subtitle;
  gsize       offset;
  gsize       remark_offset;   /* the coordinator's remark with it */
} Check;

static const Check checks[] = {
  { "crit_residents", N_("Started by residents"),
    N_("Demonstrably started by residents or other non-professional partners from the wijk "
       "or buurt"), G_STRUCT_OFFSET (BuurtenInitiative, crit_residents),
    G_STRUCT_OFFSET (BuurtenInitiative, crit_residents_remark) },
  { "crit_support", N_("Support in the buurt"),
    N_("Testable support from several parties, open to more people than one interest group"),
    G_STRUCT_OFFSET (BuurtenInitiative, crit_support),
    G_STRUCT_OFFSET (BuurtenInitiative, crit_support_remark) },
  { "crit_themes", N_("Fits the wijk’s themes"),
    N_("Preferably, not necessarily, fits this year’s priority themes"),
    G_STRUCT_OFFSET (BuurtenInitiative, crit_themes),
    G_STRUCT_OFFSET (BuurtenInitiative, crit_themes_remark) },
  { "crit_adds", N_("Adds something"),
    N_("No other funding exists for it and it does not conflict with policy"),
    G_STRUCT_OFFSET (BuurtenInitiative, crit_adds),
    G_STRUCT_OFFSET (BuurtenInitiative, crit_adds_remark) },
  { "princ_lawful", N_("Lawful and of reasonable quality"), NULL,
    G_STRUCT_OFFSET (BuurtenInitiative, princ_lawful),
    G_STRUCT_OFFSET (BuurtenInitiative, princ_lawful_remark) },
  { "princ_own_effort", N_("Own effort and reciprocity"),
    N_("Residents carry it out themselves and give something back"),
    G_STRUCT_OFFSET (BuurtenInitiative, princ_own_effort),
    G_STRUCT_OFFSET (BuurtenInitiative, princ_own_effort_remark) },
  { "princ_feedback", N_("Feedback to the buurt"), NULL,
    G_STRUCT_OFFSET (BuurtenInitiative, princ_feedback),
    G_STRUCT_OFFSET (BuurtenInitiative, princ_feedback_remark) },
  { "princ_accounting", N_("Transparent financial accounting"), NULL,
    G_STRUCT_OFFSET (BuurtenInitiative, princ_accounting),
    G_STRUCT_OFFSET (BuurtenInitiative, princ_accounting_remark) },
};

#define N_CRITERIA 4
#define N_CHECKS G_N_ELEMENTS (checks)



struct _BuurtenInitiativeEditor
{
  BuurtenEditor      parent_instance;

  /* template widgets */
  GtkLabel          *form_error_label;
  AdwComboRow       *wijk_row;
  AdwEntryRow       *title_row;
  GtkLabel          *title_error_label;
  AdwEntryRow       *organiser_row;
  AdwEntryRow       *address_row;
  AdwEntryRow       *phone_row;
  GtkLabel          *phone_error_label;
  AdwEntryRow       *email_row;
  GtkLabel          *email_error_label;
  AdwEntryRow       *organisation_row;
  AdwEntryRow       *kvk_row;
  GtkLabel          *kvk_error_label;
  AdwEntryRow       *iban_row;
  GtkLabel          *iban_error_label;
  AdwEntryRow       *account_holder_row;
  AdwEntryRow       *for_whom_row;
  AdwEntryRow       *place_row;
  BuurtenActivitiesEditor *activities_editor;
  AdwEntryRow       *support_count_row;
  GtkLabel          *support_count_error_label;
  AdwComboRow       *theme_row;
  AdwPreferencesGroup *budget_group;
  BuurtenBudgetLinesEditor *budget_lines_editor;
  AdwPreferencesGroup *amount_group;
  AdwEntryRow       *amount_row;
  GtkLabel          *amount_error_label;
  GtkTextView       *description_view;
  AdwPreferencesGroup *criteria_group;
  AdwPreferencesGroup *principles_group;
  AdwEntryRow       *support_row;
  AdwPreferencesGroup *state_group;
  AdwPreferencesGroup *buurtdeal_group;
  AdwComboRow       *state_row;
  AdwEntryRow       *note_row;

  GtkToggleButton   *yes_buttons[N_CHECKS];
  GtkToggleButton   *no_buttons[N_CHECKS];
  AdwEntryRow       *remark_rows[N_CHECKS];
  gboolean           filling;      /* the form is being filled, not typed in */

  /* owned references */
  BuurtenInitiative *loaded;       /* when editing */
  GArray            *states;       /* int, offered in state_row */
  GPtrArray         *themes;       /* char*, offered after "no theme" */
  GPtrArray         *draft_lines;  /* BuurtenBudgetLine*: a refused plan's */
  GPtrArray         *draft_activities; /* BuurtenActivity* */
};

G_DEFINE_FINAL_TYPE (BuurtenInitiativeEditor, buurten_initiative_editor, BUURTEN_TYPE_EDITOR)

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
on_check_toggled_cb (GtkToggleButton         *button,
                     BuurtenInitiativeEditor *self)
{
  update_tally (self);
  if (self->filling || !gtk_toggle_button_get_active (button))
    return;

  /* A judgement wants its reason: the remark is next, unless written. */
  for (guint i = 0; i < N_CHECKS; i++)
    if ((button == self->yes_buttons[i] || button == self->no_buttons[i]) &&
        *gtk_editable_get_text (GTK_EDITABLE (self->remark_rows[i])) == '\0')
      gtk_widget_grab_focus (GTK_WIDGET (self->remark_rows[i]));
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
      g_autofree char *remark_name = NULL;
      GtkWidget *remark;

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

      g_signal_connect (yes, "toggled", G_CALLBACK (on_check_toggled_cb), self);
      g_signal_connect (no, "toggled", G_CALLBACK (on_check_toggled_cb), self);

      self->yes_buttons[i] = GTK_TOGGLE_BUTTON (yes);
      self->no_buttons[i] = GTK_TOGGLE_BUTTON (no);

      remark = adw_entry_row_new ();
      /* Translators: the field for the coordinator's remark on a criterion */
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (remark), _("Remark"));
      /* Translators: accessible name of a remark, e.g. "Started by residents: remark" */
      remark_name = g_strdup_printf (_("%s: remark"), _(check->title));
      gtk_accessible_update_property (GTK_ACCESSIBLE (remark), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      remark_name, -1);
      self->remark_rows[i] = ADW_ENTRY_ROW (remark);

      if (i < N_CRITERIA)
        {
          adw_preferences_group_add (self->criteria_group, row);
          adw_preferences_group_add (self->criteria_group, remark);
        }
      else
        {
          adw_preferences_group_add (self->principles_group, row);
          adw_preferences_group_add (self->principles_group, remark);
        }
    }

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

  titles = buurten_store_load_finish (BUURTEN_STORE (source), result, &error);
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
  BuurtenContext *context = buurten_editor_get_context (BUURTEN_EDITOR (self));
  ThemesQuery *query;
  const char *wijk = buurten_form_get_wijk (self->wijk_row, context);

  if (wijk == NULL)
    return;

  query = g_new0 (ThemesQuery, 1);
  query->wijk = g_strdup (wijk);
  query->year = buurten_context_get_year (context);
  buurten_store_load_async (buurten_context_get_store (context),
                            load_themes_in_thread, query, themes_query_free,
                            (GDestroyNotify) g_ptr_array_unref,
                            buurten_editor_get_cancellable (BUURTEN_EDITOR (self)),
                            themes_loaded_cb, g_object_ref (self));
}

static void
on_wijk_selected_cb (BuurtenInitiativeEditor *self)
{
  if (buurten_editor_get_id (BUURTEN_EDITOR (self)) == NULL)
    {
      /* Another wijk has other themes: none of the old ones applies. */
      g_clear_pointer (&self->themes, g_ptr_array_unref);
      show_themes (self, NULL);
      load_themes (self);
    }
}

/* -- loading an initiative to edit -- */

/* What the editor loads in one go: the initiative with its plan's budget
 * lines and dates. */
typedef struct
{
  BuurtenInitiative *initiative;
  GPtrArray         *lines;        /* BuurtenBudgetLine*, by position */
  GPtrArray         *activities;   /* BuurtenActivity*, by date */
} Loaded;

static void
loaded_free (gpointer data)
{
  Loaded *loaded = data;

  buurten_initiative_free (loaded->initiative);
  g_clear_pointer (&loaded->lines, g_ptr_array_unref);
  g_clear_pointer (&loaded->activities, g_ptr_array_unref);
  g_free (loaded);
}

static int
compare_line_position (gconstpointer a,
                       gconstpointer b)
{
  const BuurtenBudgetLine *la = *(const BuurtenBudgetLine * const *) a;
  const BuurtenBudgetLine *lb = *(const BuurtenBudgetLine * const *) b;

  return (la->position > lb->position) - (la->position < lb->position);
}

static int
compare_activity_date (gconstpointer a,
                       gconstpointer b)
{
  const BuurtenActivity *aa = *(const BuurtenActivity * const *) a;
  const BuurtenActivity *ab = *(const BuurtenActivity * const *) b;

  if (!g_date_valid (&aa->starts_on) || !g_date_valid (&ab->starts_on))
    return g_date_valid (&aa->starts_on) - g_date_valid (&ab->starts_on);
  return g_date_compare (&aa->starts_on, &ab->starts_on);
}

static gpointer
load_initiative_in_thread (BuurtenStore  *store,
                           gpointer       data,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autoptr(BuurtenInitiative) initiative = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GPtrArray) activities = NULL;
  Loaded *loaded;

  initiative = buurten_store_get (store, &buurten_initiative_info, data, error);
  if (initiative == NULL)
    return NULL;
  lines = buurten_store_list (store, &buurten_budget_line_info, "initiative_id", data, error);
  if (lines == NULL)
    return NULL;
  /* The store's lists own their rows only once told how to free them. */
  g_ptr_array_set_free_func (lines, (GDestroyNotify) buurten_budget_line_free);
  activities = buurten_store_list (store, &buurten_activity_info, "initiative_id", data, error);
  if (activities == NULL)
    return NULL;
  g_ptr_array_set_free_func (activities, (GDestroyNotify) buurten_activity_free);

  g_ptr_array_sort (lines, compare_line_position);
  g_ptr_array_sort (activities, compare_activity_date);
  loaded = g_new0 (Loaded, 1);
  loaded->initiative = g_steal_pointer (&initiative);
  loaded->lines = g_steal_pointer (&lines);
  loaded->activities = g_steal_pointer (&activities);
  return loaded;
}

static void
set_text (AdwEntryRow *row,
          const char  *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
}

/* Once there are budget lines their balance is the amount asked: the
 * separate amount goes. */
static void
update_amount_group (BuurtenInitiativeEditor *self)
{
  guint n = buurten_budget_lines_editor_get_n_lines (self->budget_lines_editor);

  gtk_widget_set_visible (GTK_WIDGET (self->amount_group), n == 0);
}

static void
on_budget_lines_changed_cb (BuurtenInitiativeEditor *self)
{
  if (gtk_widget_in_destruction (GTK_WIDGET (self)) || self->amount_group == NULL)
    return;
  update_amount_group (self);
}

/* The plan's budget and dates change only until the decision
 * (buurten_initiative_budget_open()); after it they are shown, not edited. */
static void
update_plan_open (BuurtenInitiativeEditor *self)
{
  gboolean open = self->loaded == NULL || buurten_initiative_budget_open (self->loaded->state);

  buurten_budget_lines_editor_set_editable (self->budget_lines_editor, open);
  buurten_activities_editor_set_editable (self->activities_editor, open);
  gtk_widget_set_sensitive (GTK_WIDGET (self->amount_row), open);
  adw_preferences_group_set_description (
    self->budget_group,
    open ? _("Costs, income and own contribution; their balance is the amount asked.")
         : _("Decided on: the budget no longer changes."));
}

/* Fills the form from self->loaded, the initiative as stored. */
/* The form's fields from an initiative: what was loaded, or a draft. */
static void
fill_fields (BuurtenInitiativeEditor *self,
             const BuurtenInitiative *initiative)
{
  g_autofree char *amount = NULL;
  g_autofree char *iban = NULL;
  g_autofree char *count = NULL;

  set_text (self->title_row, initiative->title);
  set_text (self->organiser_row, initiative->organiser);
  set_text (self->address_row, initiative->organiser_address);
  set_text (self->phone_row, initiative->organiser_phone);
  set_text (self->email_row, initiative->organiser_email);
  set_text (self->organisation_row, initiative->organisation);
  set_text (self->kvk_row, initiative->kvk);
  iban = initiative->iban != NULL ? buurten_iban_format (initiative->iban) : NULL;
  set_text (self->iban_row, iban);
  set_text (self->account_holder_row, initiative->account_holder);
  set_text (self->for_whom_row, initiative->for_whom);
  set_text (self->place_row, initiative->place);
  count = initiative->support_count > 0
            ? g_strdup_printf ("%" G_GINT64_FORMAT, initiative->support_count) : NULL;
  set_text (self->support_count_row, count);
  amount = initiative->requested_cents > 0
             ? buurten_money_format (initiative->requested_cents) : NULL;
  set_text (self->amount_row, amount);
  buurten_form_set_view_text (self->description_view, initiative->description);
  set_text (self->support_row, initiative->support_note);

  for (guint i = 0; i < N_CHECKS; i++)
    {
      set_check (self, i, G_STRUCT_MEMBER (BuurtenCheck, initiative, checks[i].offset));
      set_text (self->remark_rows[i],
                G_STRUCT_MEMBER (char *, initiative, checks[i].remark_offset));
    }
}

static void
show_initiative (BuurtenInitiativeEditor *self)
{
  BuurtenContext *context = buurten_editor_get_context (BUURTEN_EDITOR (self));
  const BuurtenInitiative *initiative = self->loaded;

  self->filling = TRUE;
  buurten_form_fill_wijken (self->wijk_row, context, initiative->wijk);
  gtk_widget_set_sensitive (GTK_WIDGET (self->wijk_row), FALSE);
  fill_fields (self, initiative);

  g_clear_pointer (&self->states, g_array_unref);
  /* An initiative that is toegekend or beyond got there through approved
   * commitments, so it has approved money. */
  self->states = buurten_form_fill_initiative_states (self->state_row, initiative->state,
                                                      buurten_initiative_is_granted (
                                                        initiative->state));
  gtk_widget_set_visible (GTK_WIDGET (self->state_group), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->buurtdeal_group), TRUE);

  /* The stored theme stays chosen while the wijk's themes load, so a
   * quick save never drops it. */
  g_clear_pointer (&self->themes, g_ptr_array_unref);
  self->themes = g_ptr_array_new_with_free_func (g_free);
  if (initiative->theme != NULL)
    g_ptr_array_add (self->themes, g_strdup (initiative->theme));
  show_themes (self, initiative->theme);
  load_themes (self);
  update_tally (self);
  update_plan_open (self);
  self->filling = FALSE;
}

static void
initiative_loaded_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(BuurtenInitiativeEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  Loaded *loaded;

  loaded = buurten_store_load_finish (BUURTEN_STORE (source), result, &error);
  if (loaded == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      buurten_form_show_error (NULL, self->form_error_label, error->message);
      return;
    }

  self->loaded = g_steal_pointer (&loaded->initiative);
  buurten_budget_lines_editor_set_lines (self->budget_lines_editor, loaded->lines);
  buurten_activities_editor_set_activities (self->activities_editor, loaded->activities);
  loaded_free (loaded);
  show_initiative (self);
  update_amount_group (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self), TRUE);
  buurten_editor_set_busy (BUURTEN_EDITOR (self), FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->title_row));
}

/* -- checking the intake at its fields -- */

typedef gboolean (*IdentifierCheck) (const char *text, GError **error);

/* An optional field checked by check: empty is fine. */
static gboolean
check_optional (AdwEntryRow     *row,
                GtkLabel        *error_label,
                IdentifierCheck  check)
{
  g_autofree char *text = buurten_form_get_text (GTK_EDITABLE (row));
  g_autoptr(GError) error = NULL;

  if (text != NULL && !check (text, &error))
    {
      buurten_form_show_error (GTK_WIDGET (row), error_label, error->message);
      return FALSE;
    }
  buurten_form_show_error (GTK_WIDGET (row), error_label, NULL);
  return TRUE;
}

/* The IBAN, normalised into out (NULL when empty); the mod-97 check's
 * reason at the field when it fails. */
static gboolean
read_iban (BuurtenInitiativeEditor  *self,
           char                    **out)
{
  g_autofree char *text = buurten_form_get_text (GTK_EDITABLE (self->iban_row));
  g_autofree char *iban = NULL;
  g_autoptr(GError) error = NULL;

  if (text == NULL)
    {
      buurten_form_show_error (GTK_WIDGET (self->iban_row), self->iban_error_label, NULL);
      if (out != NULL)
        *out = NULL;
      return TRUE;
    }

  iban = buurten_iban_normalize (text);
  if (iban == NULL)
    {
      buurten_form_show_error (GTK_WIDGET (self->iban_row), self->iban_error_label,
                               _("An IBAN holds only letters and digits"));
      return FALSE;
    }
  if (!buurten_iban_check (iban, &error))
    {
      buurten_form_show_error (GTK_WIDGET (self->iban_row), self->iban_error_label,
                               error->message);
      return FALSE;
    }

  buurten_form_show_error (GTK_WIDGET (self->iban_row), self->iban_error_label, NULL);
  if (out != NULL)
    *out = g_steal_pointer (&iban);
  return TRUE;
}

static void
on_iban_changed_cb (BuurtenInitiativeEditor *self)
{
  if (gtk_widget_in_destruction (GTK_WIDGET (self)) || self->iban_row == NULL)
    return;
  /* An error goes as soon as the IBAN is right; a new one waits for the
   * person to finish typing. */
  if (gtk_widget_get_visible (GTK_WIDGET (self->iban_error_label)))
    {
      g_autofree char *iban = buurten_iban_normalize (
        gtk_editable_get_text (GTK_EDITABLE (self->iban_row)));

      if (iban != NULL && (*iban == '\0' || buurten_iban_check (iban, NULL)))
        buurten_form_show_error (GTK_WIDGET (self->iban_row), self->iban_error_label, NULL);
    }
}

static void
on_iban_focus_leave_cb (BuurtenInitiativeEditor *self)
{
  g_autofree char *iban = NULL;

  if (gtk_widget_in_destruction (GTK_WIDGET (self)) || self->iban_row == NULL)
    return;
  /* A good IBAN is shown as on a bank card: "NL91 ABNA 0417 1643 00". */
  if (read_iban (self, &iban) && iban != NULL)
    {
      g_autofree char *grouped = buurten_iban_format (iban);

      if (g_strcmp0 (grouped, gtk_editable_get_text (GTK_EDITABLE (self->iban_row))) != 0)
        gtk_editable_set_text (GTK_EDITABLE (self->iban_row), grouped);
    }
}

static gboolean
check_contact (BuurtenInitiativeEditor *self)
{
  gboolean ok = TRUE;

  ok &= check_optional (self->phone_row, self->phone_error_label, buurten_phone_check);
  ok &= check_optional (self->email_row, self->email_error_label, buurten_email_check);
  ok &= check_optional (self->kvk_row, self->kvk_error_label, buurten_kvk_check);
  return ok;
}

static void
on_contact_focus_leave_cb (BuurtenInitiativeEditor *self)
{
  if (gtk_widget_in_destruction (GTK_WIDGET (self)) || self->phone_row == NULL)
    return;
  check_contact (self);
}

/* The number of supporters: empty, or a whole number. */
static gboolean
read_support_count (BuurtenInitiativeEditor *self,
                    gint64                  *out)
{
  g_autofree char *text = buurten_form_get_text (GTK_EDITABLE (self->support_count_row));
  guint64 count = 0;

  *out = 0;
  if (text != NULL &&
      (!g_ascii_string_to_unsigned (text, 10, 0, 1000000, &count, NULL)))
    {
      buurten_form_show_error (GTK_WIDGET (self->support_count_row),
                               self->support_count_error_label,
                               _("Type the number of residents as a whole number, for "
                                 "example 25."));
      return FALSE;
    }
  buurten_form_show_error (GTK_WIDGET (self->support_count_row),
                           self->support_count_error_label, NULL);
  *out = (gint64) count;
  return TRUE;
}

/* -- saving -- */

static BuurtenInitiative *
read_form (BuurtenInitiativeEditor *self)
{
  BuurtenContext *context = buurten_editor_get_context (BUURTEN_EDITOR (self));
  g_autoptr(BuurtenInitiative) initiative = NULL;
  g_autofree char *iban = NULL;
  GtkWidget *first_wrong = NULL;
  gint64 cents = 0;
  gint64 support_count = 0;

  initiative = self->loaded != NULL ? buurten_initiative_copy (self->loaded)
                                    : buurten_initiative_new ();

  g_free (initiative->title);
  initiative->title = buurten_form_get_text (GTK_EDITABLE (self->title_row));
  if (initiative->title == NULL)
    {
      buurten_form_show_error (GTK_WIDGET (self->title_row), self->title_error_label,
                               _("Give the initiative a title."));
      first_wrong = GTK_WIDGET (self->title_row);
    }
  else
    buurten_form_show_error (GTK_WIDGET (self->title_row), self->title_error_label, NULL);

  if (!check_contact (self) && first_wrong == NULL)
    first_wrong = GTK_WIDGET (self->phone_row);
  if (!read_iban (self, &iban) && first_wrong == NULL)
    first_wrong = GTK_WIDGET (self->iban_row);
  if (!buurten_activities_editor_validate (self->activities_editor) && first_wrong == NULL)
    first_wrong = GTK_WIDGET (self->activities_editor);
  if (!read_support_count (self, &support_count) && first_wrong == NULL)
    first_wrong = GTK_WIDGET (self->support_count_row);

  if (buurten_budget_lines_editor_get_n_lines (self->budget_lines_editor) > 0)
    {
      BuurtenBudgetBalance balance;

      if (!buurten_budget_lines_editor_validate (self->budget_lines_editor) &&
          first_wrong == NULL)
        first_wrong = GTK_WIDGET (self->budget_lines_editor);
      buurten_budget_lines_editor_get_balance (self->budget_lines_editor, &balance);
      cents = balance.asked_cents;
    }
  /* An initiative may come in before anyone knows the amount. */
  else if (*gtk_editable_get_text (GTK_EDITABLE (self->amount_row)) == '\0')
    buurten_form_show_error (GTK_WIDGET (self->amount_row), self->amount_error_label, NULL);
  else if (!buurten_form_read_amount (GTK_EDITABLE (self->amount_row), self->amount_error_label,
                                      &cents) && first_wrong == NULL)
    first_wrong = GTK_WIDGET (self->amount_row);

  if (first_wrong != NULL)
    {
      gtk_widget_grab_focus (first_wrong);
      return NULL;
    }

  if (self->loaded == NULL)
    {
      initiative->id = buurten_uuid_new ();
      initiative->wijk = g_strdup (buurten_form_get_wijk (self->wijk_row, context));
      initiative->state = BUURTEN_INITIATIVE_IDEA;
      initiative->received_at = g_get_real_time () / G_USEC_PER_SEC;
    }
  initiative->requested_cents = cents;
#define TAKE(field, row) \
  G_STMT_START { g_free (initiative->field); \
                 initiative->field = buurten_form_get_text (GTK_EDITABLE (self->row)); } G_STMT_END
  TAKE (organiser, organiser_row);
  TAKE (organiser_address, address_row);
  TAKE (organiser_phone, phone_row);
  TAKE (organiser_email, email_row);
  TAKE (organisation, organisation_row);
  TAKE (kvk, kvk_row);
  TAKE (account_holder, account_holder_row);
  TAKE (for_whom, for_whom_row);
  TAKE (place, place_row);
  TAKE (support_note, support_row);
#undef TAKE
  g_free (initiative->iban);
  initiative->iban = g_steal_pointer (&iban);
  initiative->support_count = support_count;
  g_free (initiative->description);
  initiative->description = buurten_form_get_view_text (self->description_view);
  g_free (initiative->theme);
  initiative->theme = g_strdup (get_theme (self));
  for (guint i = 0; i < N_CHECKS; i++)
    {
      char **remark = &G_STRUCT_MEMBER (char *, initiative, checks[i].remark_offset);

      G_STRUCT_MEMBER (BuurtenCheck, initiative, checks[i].offset) = get_check (self, i);
      g_free (*remark);
      *remark = buurten_form_get_text (GTK_EDITABLE (self->remark_rows[i]));
    }
  initiative->updated_at = g_get_real_time () / G_USEC_PER_SEC;

  return g_steal_pointer (&initiative);
}

/* The budget lines and dates, when the plan may still change. */
static void
put_plan (BuurtenInitiativeEditor *self,
          BuurtenFormBatch        *batch,
          const char              *id)
{
  if (self->loaded != NULL && !buurten_initiative_budget_open (self->loaded->state))
    return;
  buurten_budget_lines_editor_add_to_batch (self->budget_lines_editor, batch, id);
  buurten_activities_editor_add_to_batch (self->activities_editor, batch, id);
}

static void
save (BuurtenEditor *editor)
{
  BuurtenInitiativeEditor *self = BUURTEN_INITIATIVE_EDITOR (editor);
  BuurtenContext *context = buurten_editor_get_context (editor);
  g_autoptr(BuurtenInitiative) initiative = NULL;
  g_autoptr(BuurtenFormBatch) batch = NULL;
  const char *actor = buurten_context_get_user_name (context);

  initiative = read_form (self);
  if (initiative == NULL)
    return;

  batch = buurten_form_batch_new (actor);

  if (self->loaded == NULL)
    {
      g_autoptr(BuurtenInitiative) created = buurten_initiative_copy (initiative);
      JsonNode *update;

      /* initiative.create carries no checklist, remarks or count of
       * supporters: when one was filled in, an update follows in the same
       * transaction. */
      for (guint i = 0; i < N_CHECKS; i++)
        {
          G_STRUCT_MEMBER (BuurtenCheck, created, checks[i].offset) = BUURTEN_CHECK_UNKNOWN;
          g_clear_pointer (&G_STRUCT_MEMBER (char *, created, checks[i].remark_offset), g_free);
        }
      created->support_count = 0;

      update = buurten_form_update_args (BUURTEN_MUTATION_INITIATIVE_UPDATE,
                                         &buurten_initiative_info, created, initiative);
      buurten_form_batch_put (batch, &buurten_initiative_info,
                              buurten_initiative_copy (created),
                              buurten_mutation_name (BUURTEN_MUTATION_INITIATIVE_CREATE),
                              buurten_form_args (BUURTEN_MUTATION_INITIATIVE_CREATE,
                                                 &buurten_initiative_info, created));
      if (update != NULL)
        buurten_form_batch_put (batch, &buurten_initiative_info,
                                buurten_initiative_copy (initiative),
                                buurten_mutation_name (BUURTEN_MUTATION_INITIATIVE_UPDATE),
                                update);
      put_plan (self, batch, initiative->id);
    }
  else
    {
      JsonNode *update = buurten_form_update_args (BUURTEN_MUTATION_INITIATIVE_UPDATE,
                                                   &buurten_initiative_info, self->loaded,
                                                   initiative);
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
                                  buurten_mutation_name (BUURTEN_MUTATION_INITIATIVE_UPDATE),
                                  update);
        }
      put_plan (self, batch, initiative->id);

      if (to != from)
        {
          g_autoptr(GError) error = NULL;
          g_autofree char *note = buurten_form_get_text (GTK_EDITABLE (self->note_row));

          g_autoptr(JsonObject) refusal = NULL;

          if (!buurten_initiative_check_transition (from, to,
                                                    buurten_initiative_is_granted (from),
                                                    &refusal, &error))
            {
              g_autofree char *message =
                buurten_refusal_describe ((BuurtenCoreError) error->code, refusal,
                                          buurten_context_get_municipality (context));

              buurten_form_show_error (GTK_WIDGET (self->state_row), self->form_error_label,
                                       message);
              return;
            }
          /* Rejecting or referring is a decision: the server records it
           * with this reason, and refuses it without one. */
          if ((to == BUURTEN_INITIATIVE_REJECTED || to == BUURTEN_INITIATIVE_REFERRED) &&
              note == NULL)
            {
              g_autoptr(JsonObject) args = buurten_refusal_args_new ("decision.needs_reason");
              g_autofree char *message =
                buurten_refusal_describe (BUURTEN_CORE_ERROR_INVALID, args,
                                          buurten_context_get_municipality (context));

              buurten_form_show_error (GTK_WIDGET (self->note_row), self->form_error_label,
                                       message);
              gtk_widget_grab_focus (GTK_WIDGET (self->note_row));
              return;
            }
          initiative->state = to;
          buurten_form_batch_put (batch, &buurten_initiative_info,
                                  buurten_initiative_copy (initiative),
                                  buurten_mutation_name (BUURTEN_MUTATION_INITIATIVE_TRANSITION),
                                  buurten_form_transition_args (initiative->id,
                                                                BUURTEN_MACHINE_INITIATIVE,
                                                                from, to, note));
        }
    }

  buurten_editor_save_batch (editor, initiative->id, g_steal_pointer (&batch));
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

static void
on_buurtdeal_clicked_cb (BuurtenInitiativeEditor *self)
{
  if (self->loaded == NULL)
    return;
  buurten_open_buurtdeal (GTK_WIDGET (self), buurten_editor_get_context (BUURTEN_EDITOR (self)),
                          self->loaded->id);
}

/* -- GObject -- */

static void
buurten_initiative_editor_constructed (GObject *object)
{
  BuurtenInitiativeEditor *self = BUURTEN_INITIATIVE_EDITOR (object);
  BuurtenEditor *editor = BUURTEN_EDITOR (object);
  BuurtenContext *context = buurten_editor_get_context (editor);

  G_OBJECT_CLASS (buurten_initiative_editor_parent_class)->constructed (object);

  g_return_if_fail (BUURTEN_IS_CONTEXT (context));

  if (buurten_editor_get_id (editor) != NULL)
    {
      gtk_window_set_title (GTK_WINDOW (self), _("Edit Initiative"));
      gtk_widget_set_sensitive (GTK_WIDGET (self), FALSE);
      buurten_editor_set_busy (editor, TRUE);
      buurten_store_load_async (buurten_context_get_store (context), load_initiative_in_thread,
                                g_strdup (buurten_editor_get_id (editor)), g_free,
                                loaded_free,
                                buurten_editor_get_cancellable (editor), initiative_loaded_cb,
                                g_object_ref (self));
    }
  else
    {
      buurten_form_fill_wijken (self->wijk_row, context, buurten_editor_get_wijk (editor));
      g_signal_connect_swapped (self->wijk_row, "notify::selected",
                                G_CALLBACK (on_wijk_selected_cb), self);
      show_themes (self, NULL);
      load_themes (self);
      update_plan_open (self);
    }

  gtk_widget_grab_focus (GTK_WIDGET (self->title_row));
}

static void
buurten_initiative_editor_dispose (GObject *object)
{
  BuurtenInitiativeEditor *self = BUURTEN_INITIATIVE_EDITOR (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), BUURTEN_TYPE_INITIATIVE_EDITOR);

  G_OBJECT_CLASS (buurten_initiative_editor_parent_class)->dispose (object);
}

static void
buurten_initiative_editor_finalize (GObject *object)
{
  BuurtenInitiativeEditor *self = BUURTEN_INITIATIVE_EDITOR (object);

  buurten_initiative_free (self->loaded);
  g_clear_pointer (&self->states, g_array_unref);
  g_clear_pointer (&self->themes, g_ptr_array_unref);
  g_clear_pointer (&self->draft_lines, g_ptr_array_unref);
  g_clear_pointer (&self->draft_activities, g_ptr_array_unref);

  G_OBJECT_CLASS (buurten_initiative_editor_parent_class)->finalize (object);
}

static void buurten_initiative_editor_show_draft (BuurtenEditor *editor,
                                                  gconstpointer  entity);

static void
buurten_initiative_editor_class_init (BuurtenInitiativeEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  BuurtenEditorClass *editor_class = BUURTEN_EDITOR_CLASS (klass);

  object_class->constructed = buurten_initiative_editor_constructed;
  object_class->dispose = buurten_initiative_editor_dispose;
  object_class->finalize = buurten_initiative_editor_finalize;

  editor_class->entity_type = "initiative";
  editor_class->save = save;
  editor_class->show_draft = buurten_initiative_editor_show_draft;

  g_type_ensure (BUURTEN_TYPE_ACTIVITIES_EDITOR);
  g_type_ensure (BUURTEN_TYPE_BUDGET_LINES_EDITOR);

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
#define BIND(name) \
  gtk_widget_class_bind_template_child (widget_class, BuurtenInitiativeEditor, name)
  BIND (address_row);
  BIND (phone_row);
  BIND (phone_error_label);
  BIND (email_row);
  BIND (email_error_label);
  BIND (organisation_row);
  BIND (kvk_row);
  BIND (kvk_error_label);
  BIND (iban_row);
  BIND (iban_error_label);
  BIND (account_holder_row);
  BIND (for_whom_row);
  BIND (place_row);
  BIND (activities_editor);
  BIND (support_count_row);
  BIND (support_count_error_label);
  BIND (budget_group);
  BIND (budget_lines_editor);
  BIND (amount_group);
  BIND (buurtdeal_group);
#undef BIND
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
  gtk_widget_class_bind_template_callback (widget_class, on_iban_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_iban_focus_leave_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_contact_focus_leave_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_budget_lines_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_buurtdeal_clicked_cb);

}

static void
buurten_initiative_editor_init (BuurtenInitiativeEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  buurten_editor_set_error_label (BUURTEN_EDITOR (self), self->form_error_label);
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

/* -- drafts (issue 14, point 8) -- */

/* A refused initiative.create or initiative.update shown again: every
 * field of the intake as it was sent, over what was loaded or a new item's
 * defaults; for a create, with the budget lines and dates refused with it
 * (buurten_initiative_editor_set_draft_plan()) as new rows. */
static void
buurten_initiative_editor_show_draft (BuurtenEditor *editor,
                                      gconstpointer  entity)
{
  BuurtenInitiativeEditor *self = BUURTEN_INITIATIVE_EDITOR (editor);
  const BuurtenInitiative *draft = entity;

  if (self->loaded == NULL)
    buurten_form_fill_wijken (self->wijk_row, buurten_editor_get_context (editor), draft->wijk);
  self->filling = TRUE;
  fill_fields (self, draft);
  self->filling = FALSE;
  if (draft->theme != NULL)
    show_themes (self, draft->theme);
  if (self->loaded == NULL)
    {
      if (self->draft_lines != NULL)
        {
          g_ptr_array_sort (self->draft_lines, compare_line_position);
          buurten_budget_lines_editor_add_new_lines (self->budget_lines_editor,
                                                     self->draft_lines);
        }
      if (self->draft_activities != NULL)
        {
          g_ptr_array_sort (self->draft_activities, compare_activity_date);
          buurten_activities_editor_add_new_activities (self->activities_editor,
                                                        self->draft_activities);
        }
      update_amount_group (self);
    }
  update_tally (self);
}

void
buurten_initiative_editor_set_draft_plan (BuurtenInitiativeEditor *self,
                                          GPtrArray               *lines,
                                          GPtrArray               *activities)
{
  g_return_if_fail (BUURTEN_IS_INITIATIVE_EDITOR (self));
  g_return_if_fail (!gtk_widget_get_mapped (GTK_WIDGET (self)));

  g_clear_pointer (&self->draft_lines, g_ptr_array_unref);
  g_clear_pointer (&self->draft_activities, g_ptr_array_unref);
  self->draft_lines = g_ptr_array_new_with_free_func ((GDestroyNotify) buurten_budget_line_free);
  self->draft_activities = g_ptr_array_new_with_free_func ((GDestroyNotify) buurten_activity_free);
  for (guint i = 0; lines != NULL && i < lines->len; i++)
    g_ptr_array_add (self->draft_lines, buurten_budget_line_copy (g_ptr_array_index (lines, i)));
  for (guint i = 0; activities != NULL && i < activities->len; i++)
    g_ptr_array_add (self->draft_activities,
                     buurten_activity_copy (g_ptr_array_index (activities, i)));
}
