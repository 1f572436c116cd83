/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-editors"

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "buurten-application.h"
#include "buurten-attention-window.h"
#include "buurten-budget-lines-editor.h"
#include "buurten-buurtdeal-editor.h"
#include "buurten-editors.h"
#include "buurten-context.h"
#include "buurten-decision-window.h"
#include "buurten-escalation-editor.h"
#include "buurten-form.h"
#include "buurten-initiative-editor.h"
#include "buurten-login-window.h"
#include "buurten-meeting-editor.h"
#include "buurten-preferences-window.h"
#include "buurten-request-editor.h"

#include "ui-fixture.h"

/* The forms against a real store in a temporary directory: each save is
 * checked in the row, the outbox (the mutation and its args, as
 * design.md's table names them) and the audit trail. */

/* ---- helpers -------------------------------------------------------- */

static void
assert_members (JsonObject         *object,
                const char * const *members)
{
  g_autoptr(GList) names = json_object_get_members (object);

  g_assert_cmpuint (g_list_length (names), ==, g_strv_length ((char **) members));
  for (guint i = 0; members[i] != NULL; i++)
    g_assert_true (json_object_has_member (object, members[i]));
}

static void
assert_audit (Fixture    *f,
              const char *type,
              const char *id,
              const char *action,
              const char *actor)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) history = buurten_store_history (f->store, type, id, &error);
  gboolean found = FALSE;

  g_assert_no_error (error);
  for (guint i = 0; i < history->len; i++)
    {
      BuurtenAuditEntry *entry = g_ptr_array_index (history, i);

      if (g_strcmp0 (entry->action, action) == 0 && g_strcmp0 (entry->actor, actor) == 0)
        found = TRUE;
    }
  g_assert_true (found);
}

static gint64
outbox_count (Fixture *f)
{
  return buurten_store_outbox_count (f->store, NULL);
}

/* ---- the initiative editor ------------------------------------------ */

static void
test_initiative_create (Fixture       *f,
                        gconstpointer  data)
{
  static const char * const create_members[] = {
    "id", "wijk", "title", "description", "organiser", "requested_cents", NULL
  };
  GtkWidget *editor = open_window (f, buurten_initiative_editor_new (f->context, "centrum",
                                                                      NULL));
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(JsonObject) args = NULL;
  g_autoptr(JsonObject) update = NULL;
  g_autoptr(BuurtenInitiative) stored = NULL;
  GtkWidget *criteria;
  GtkWidget *yes = NULL;

  set_text (editor, "title_row", "Speeltuin Oude Haven opknappen");
  set_text (editor, "organiser_row", "Buurtvereniging Oude Haven");
  set_text (editor, "amount_row", "€ 1.500,-");
  set_view_text (editor, "description_view", "Nieuwe toestellen en een bankje.");

  /* The first criterion's "yes": the first toggle in the criteria group. */
  criteria = child (editor, "criteria_group");
  for (GtkWidget *w = criteria; w != NULL && yes == NULL;)
    {
      GtkWidget *next = gtk_widget_get_first_child (w);

      if (GTK_IS_TOGGLE_BUTTON (w))
        yes = w;
      while (next == NULL && w != criteria)
        {
          next = gtk_widget_get_next_sibling (w);
          w = gtk_widget_get_parent (w);
        }
      w = next;
    }
  g_assert_nonnull (yes);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (yes), TRUE);
  g_assert_cmpstr (adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (criteria)), ==,
                   "1 of 4 criteria met");

  save_and_wait (f, editor, "editor.save");

  stored = get_initiative (f, f->saved_id);
  g_assert_cmpstr (stored->title, ==, "Speeltuin Oude Haven opknappen");
  g_assert_cmpstr (stored->wijk, ==, "centrum");
  g_assert_cmpint (stored->requested_cents, ==, 150000);
  g_assert_cmpint (stored->crit_residents, ==, BUURTEN_CHECK_YES);
  g_assert_cmpint (stored->crit_support, ==, BUURTEN_CHECK_UNKNOWN);
  g_assert_cmpint (stored->state, ==, BUURTEN_INITIATIVE_IDEA);

  /* initiative.create with its args, then the checklist as an update. */
  entries = outbox (f);
  assert_names (entries, 0, (const char * const[]) { "initiative.create", "initiative.update",
                                                     NULL });
  args = parse_args (g_ptr_array_index (entries, 0));
  assert_members (args, create_members);
  g_assert_cmpstr (json_object_get_string_member (args, "id"), ==, f->saved_id);
  g_assert_cmpint (json_object_get_int_member (args, "requested_cents"), ==, 150000);
  update = parse_args (g_ptr_array_index (entries, 1));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (update, "base"),
                                               "crit_residents"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (update, "set"),
                                                  "crit_residents"), ==, "yes");
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (update, "set")), ==, 1);

  assert_audit (f, "initiative", f->saved_id, "initiative.create", "anna");
}

static void
test_initiative_amount_error (Fixture       *f,
                              gconstpointer  data)
{
  GtkWidget *editor = open_window (f, buurten_initiative_editor_new (f->context, "centrum",
                                                                      NULL));
  GtkWidget *amount_row = child (editor, "amount_row");
  GtkLabel *error_label = child (editor, "amount_error_label");

  set_text (editor, "title_row", "Bankje bij de kerk");
  set_text (editor, "amount_row", "12,345");

  g_assert_true (gtk_widget_activate_action (editor, "editor.save", NULL));
  spin ();

  /* Refused at the field, nothing written, nothing typed lost. */
  g_assert_cmpuint (f->saved, ==, 0);
  g_assert_cmpint (outbox_count (f), ==, 0);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (error_label)));
  g_assert_cmpstr (gtk_label_get_label (error_label), !=, "");
  g_assert_true (gtk_widget_has_css_class (amount_row, "error"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (amount_row)), ==, "12,345");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (editor, "title_row"))), ==,
                   "Bankje bij de kerk");
  g_assert_false (label_shows (editor, "form_error_label"));

  /* Typing it right clears the message at once. */
  set_text (editor, "amount_row", "12,34");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (error_label)));
  g_assert_false (gtk_widget_has_css_class (amount_row, "error"));

  save_and_wait (f, editor, "editor.save");
  {
    g_autoptr(BuurtenInitiative) stored = get_initiative (f, f->saved_id);

    g_assert_cmpint (stored->requested_cents, ==, 1234);
  }

  /* A title is required: said under the field. */
  editor = open_window (f, buurten_initiative_editor_new (f->context, "centrum", NULL));
  set_text (editor, "amount_row", "100");
  g_assert_true (gtk_widget_activate_action (editor, "editor.save", NULL));
  spin ();
  g_assert_true (label_shows (editor, "title_error_label"));
  g_assert_cmpuint (f->saved, ==, 1);
  /* Closing with the focus in the amount: leaving it must not check a
   * field that is already gone. */
  gtk_widget_grab_focus (child (editor, "amount_row"));
  spin ();
  gtk_window_destroy (GTK_WINDOW (editor));
  spin ();
}

static void
test_initiative_edit (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *id = add_initiative (f, "Geveltuintjes", 80000, BUURTEN_INITIATIVE_IDEA);
  GtkWidget *editor = open_window (f, buurten_initiative_editor_new (f->context, NULL, id));
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(JsonObject) update = NULL;
  g_autoptr(JsonObject) transition = NULL;
  g_autoptr(BuurtenInitiative) stored = NULL;
  AdwComboRow *state_row;
  GListModel *states;

  wait_sensitive (editor);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (editor, "title_row"))), ==,
                   "Geveltuintjes");

  /* Only the states the machine allows from "idea" are offered. */
  state_row = child (editor, "state_row");
  states = adw_combo_row_get_model (state_row);
  g_assert_cmpuint (g_list_model_get_n_items (states), ==, 3); /* idea, submitted, referred */
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (states), 1), ==, "Submitted");

  set_text (editor, "title_row", "Geveltuintjes in de Kerkstraat");
  adw_combo_row_set_selected (state_row, 1);
  set_text (editor, "note_row", "Compleet ingediend");
  save_and_wait (f, editor, "editor.save");

  stored = get_initiative (f, id);
  g_assert_cmpstr (stored->title, ==, "Geveltuintjes in de Kerkstraat");
  g_assert_cmpint (stored->state, ==, BUURTEN_INITIATIVE_SUBMITTED);

  entries = outbox (f);
  assert_names (entries, 0, (const char * const[]) { "initiative.update",
                                                     "initiative.transition", NULL });
  update = parse_args (g_ptr_array_index (entries, 0));
  g_assert_cmpstr (json_object_get_string_member (update, "id"), ==, id);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (update, "base"),
                                               "title"), ==, 3);
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (update, "set")), ==, 1);
  transition = parse_args (g_ptr_array_index (entries, 1));
  g_assert_cmpstr (json_object_get_string_member (transition, "expect_state"), ==, "idee");
  g_assert_cmpstr (json_object_get_string_member (transition, "to"), ==, "ingediend");
  g_assert_cmpstr (json_object_get_string_member (transition, "note"), ==, "Compleet ingediend");
}

static void
test_initiative_reject (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *id = add_initiative (f, "Graffitimuur", 250000, BUURTEN_INITIATIVE_CHECKED);
  GtkWidget *editor = open_window (f, buurten_initiative_editor_new (f->context, NULL, id));
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(JsonObject) transition = NULL;
  g_autoptr(BuurtenInitiative) stored = NULL;
  AdwComboRow *state_row;
  GListModel *states;
  guint rejected = G_MAXUINT;

  wait_sensitive (editor);

  /* From "checked": never "granted" (signatures grant), but rejected and
   * referred. */
  state_row = child (editor, "state_row");
  states = adw_combo_row_get_model (state_row);
  for (guint i = 0; i < g_list_model_get_n_items (states); i++)
    {
      const char *label = gtk_string_list_get_string (GTK_STRING_LIST (states), i);

      g_assert_cmpstr (label, !=, "Granted");
      if (g_str_equal (label, "Rejected"))
        rejected = i;
    }
  g_assert_cmpuint (rejected, !=, G_MAXUINT);

  /* Rejecting is a decision: without a reason it is asked for. */
  adw_combo_row_set_selected (state_row, rejected);
  g_assert_true (gtk_widget_activate_action (editor, "editor.save", NULL));
  spin ();
  g_assert_true (label_shows (editor, "form_error_label"));
  g_assert_nonnull (strstr (gtk_label_get_label (child (editor, "form_error_label")),
                            "reason"));
  g_assert_cmpint (outbox_count (f), ==, 0);

  set_text (editor, "note_row", "Andere financiering via de woningcorporatie");
  save_and_wait (f, editor, "editor.save");
  stored = get_initiative (f, id);
  g_assert_cmpint (stored->state, ==, BUURTEN_INITIATIVE_REJECTED);
  entries = outbox (f);
  assert_names (entries, 0, (const char * const[]) { "initiative.transition", NULL });
  transition = parse_args (g_ptr_array_index (entries, 0));
  g_assert_cmpstr (json_object_get_string_member (transition, "to"), ==, "afgewezen");
  g_assert_cmpstr (json_object_get_string_member (transition, "note"), ==,
                   "Andere financiering via de woningcorporatie");
}

/* ---- requests, escalations, meetings -------------------------------- */

static void
test_request_create (Fixture       *f,
                     gconstpointer  data)
{
  static const char * const create_members[] = {
    "id", "wijk", "type", "title", "description", "received_at", "reporter", NULL
  };
  GtkWidget *editor = open_window (f, buurten_request_editor_new (f->context, "centrum", NULL));
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(JsonObject) args = NULL;
  g_autoptr(JsonObject) assign = NULL;
  g_autoptr(BuurtenRequest) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) received = NULL;

  set_text (editor, "title_row", "Losliggende stoeptegels Kerkbrink");
  adw_combo_row_set_selected (child (editor, "type_row"), BUURTEN_REQUEST_TYPE_KLACHT);
  set_view_text (editor, "description_view", "Bij nummer 12 liggen drie tegels los.");
  set_text (editor, "reporter_name_row", "J. Jansen");
  set_text (editor, "reporter_contact_row", "06-12345678");
  set_text (editor, "assignee_row", "Toezicht Openbare Ruimte");

  /* 31 February: said at the field, nothing saved. */
  set_text (editor, "received_row", "31-02-2026");
  g_assert_true (gtk_widget_activate_action (editor, "editor.save", NULL));
  spin ();
  g_assert_true (label_shows (editor, "received_error_label"));
  g_assert_cmpint (outbox_count (f), ==, 0);

  set_text (editor, "received_row", "1-10-2026");
  save_and_wait (f, editor, "editor.save");

  stored = buurten_store_get (f->store, &buurten_request_info, f->saved_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (stored->type, ==, BUURTEN_REQUEST_TYPE_KLACHT);
  g_assert_cmpint (stored->state, ==, BUURTEN_REQUEST_NEW);
  g_assert_cmpint (stored->term_days, ==, 30);  /* klacht: 30 working days */
  g_assert_cmpstr (stored->reporter_name, ==, "J. Jansen");
  g_assert_cmpstr (stored->assignee, ==, "Toezicht Openbare Ruimte");
  received = g_date_time_new_from_unix_local (stored->received_at);
  g_assert_cmpint (g_date_time_get_day_of_month (received), ==, 1);
  g_assert_cmpint (g_date_time_get_month (received), ==, 10);

  entries = outbox (f);
  assert_names (entries, 0, (const char * const[]) { "request.create", "request.assign", NULL });
  args = parse_args (g_ptr_array_index (entries, 0));
  assert_members (args, create_members);
  g_assert_cmpstr (json_object_get_string_member (args, "type"), ==, "klacht");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (args,
                                                                                 "reporter"),
                                                  "contact"), ==, "06-12345678");
  assign = parse_args (g_ptr_array_index (entries, 1));
  g_assert_cmpstr (json_object_get_string_member (assign, "assignee"), ==,
                   "Toezicht Openbare Ruimte");
  assert_audit (f, "request", f->saved_id, "request.create", "anna");
}

static void
test_escalation_create (Fixture       *f,
                        gconstpointer  data)
{
  static const char * const open_members[] = {
    "id", "wijk", "subject_type", "subject_id", "level", "target", "reason", NULL
  };
  g_autofree char *subject = add_initiative (f, "Buurtfeest", 300000, BUURTEN_INITIATIVE_CHECKED);
  GtkWidget *editor = open_window (f, buurten_escalation_editor_new (f->context, "centrum",
                                                                      NULL));
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(JsonObject) args = NULL;
  g_autoptr(BuurtenEscalation) stored = NULL;
  g_autoptr(GError) error = NULL;

  /* Without subject and reason: both said at their fields. */
  g_assert_true (gtk_widget_activate_action (editor, "editor.save", NULL));
  spin ();
  g_assert_true (label_shows (editor, "subject_error_label"));
  g_assert_true (label_shows (editor, "reason_error_label"));
  g_assert_cmpint (outbox_count (f), ==, 0);

  buurten_escalation_editor_set_subject (BUURTEN_ESCALATION_EDITOR (editor), "initiative",
                                         subject, "Buurtfeest");
  adw_combo_row_set_selected (child (editor, "level_row"), BUURTEN_LEVEL_BUDGET);
  set_view_text (editor, "reason_view", "Het richtbudget dreigt overschreden te worden.");
  save_and_wait (f, editor, "editor.save");

  stored = buurten_store_get (f->store, &buurten_escalation_info, f->saved_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (stored->level, ==, BUURTEN_LEVEL_BUDGET);
  /* The budget path goes to the teammanager, named as the data names it. */
  g_assert_cmpstr (stored->target, ==, "Teammanager Samenleving");
  g_assert_cmpint (stored->state, ==, BUURTEN_ESCALATION_OPEN);

  entries = outbox (f);
  assert_names (entries, 0, (const char * const[]) { "escalation.open", NULL });
  args = parse_args (g_ptr_array_index (entries, 0));
  assert_members (args, open_members);
  g_assert_cmpstr (json_object_get_string_member (args, "level"), ==, "budget");
  g_assert_cmpstr (json_object_get_string_member (args, "subject_id"), ==, subject);

  /* Operational matters go to the cluster's external wijkteam. */
  editor = open_window (f, buurten_escalation_editor_new (f->context, "centrum", NULL));
  adw_combo_row_set_selected (child (editor, "level_row"), BUURTEN_LEVEL_OPERATIONAL);
  g_assert_cmpstr (gtk_string_list_get_string (
                     GTK_STRING_LIST (adw_combo_row_get_model (child (editor, "target_row"))),
                     0), ==, "External wijkteam Centrum-Zuidoost");

  /* "Other…" without a name: said at that field; typed, it is saved. */
  buurten_escalation_editor_set_subject (BUURTEN_ESCALATION_EDITOR (editor), "initiative",
                                         subject, "Buurtfeest");
  set_view_text (editor, "reason_view", "Jeugdoverlast na het buurtfeest.");
  adw_combo_row_set_selected (child (editor, "target_row"), 1);
  g_assert_true (gtk_widget_get_visible (child (editor, "target_other_row")));
  g_assert_true (gtk_widget_activate_action (editor, "editor.save", NULL));
  spin ();
  g_assert_true (label_shows (editor, "target_error_label"));
  g_assert_cmpint (outbox_count (f), ==, 1);
  set_text (editor, "target_other_row", "Jongerenwerk Versa");
  save_and_wait (f, editor, "editor.save");
  g_clear_pointer (&stored, buurten_escalation_free);
  stored = buurten_store_get (f->store, &buurten_escalation_info, f->saved_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored->target, ==, "Jongerenwerk Versa");
  g_assert_cmpint (stored->level, ==, BUURTEN_LEVEL_OPERATIONAL);
}

static gboolean
model_has (AdwComboRow *row,
           const char  *label)
{
  GListModel *model = adw_combo_row_get_model (row);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (model), i), label))
      return TRUE;
  return FALSE;
}

static void
test_escalation_close (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(BuurtenEscalation) escalation = buurten_escalation_new ();
  g_autoptr(GPtrArray) grants = buurten_grants_new ();
  g_autoptr(GError) error = NULL;
  GtkWidget *editor;

  /* A budget escalation that anna's own commitment opened, taken up. */
  escalation->id = buurten_uuid_new ();
  escalation->wijk = g_strdup ("centrum");
  escalation->subject_type = g_strdup ("initiative");
  escalation->subject_id = add_initiative (f, "Speelplein", 250000, BUURTEN_INITIATIVE_CHECKED);
  escalation->level = BUURTEN_LEVEL_BUDGET;
  escalation->target = g_strdup ("Teammanager Samenleving");
  escalation->reason = g_strdup ("Het richtbudget dreigt overschreden te worden.");
  escalation->state = BUURTEN_ESCALATION_TAKEN;
  escalation->opened_at = 1700000000;
  escalation->opened_by = g_strdup ("anna");
  buurten_store_put (f->store, &buurten_escalation_info, escalation, "seed", NULL, NULL, &error);
  g_assert_no_error (error);

  /* The buco may not close it: the authority offers only what she may. */
  editor = open_window (f, buurten_escalation_editor_new (f->context, NULL, escalation->id));
  wait_sensitive (editor);
  g_assert_false (model_has (child (editor, "state_row"), "Solved"));
  g_assert_false (model_has (child (editor, "state_row"), "Returned"));
  gtk_window_destroy (GTK_WINDOW (editor));

  /* The teammanager samenleving may. */
  g_ptr_array_add (grants, buurten_grant_new (BUURTEN_ROLE_TEAMMANAGER_SAMENLEVING, NULL));
  set_identity (f, "dirk", BUURTEN_ROLE_TEAMMANAGER_SAMENLEVING);
  buurten_context_set_grants (f->context, grants);
  editor = open_window (f, buurten_escalation_editor_new (f->context, NULL, escalation->id));
  wait_sensitive (editor);
  g_assert_true (model_has (child (editor, "state_row"), "Solved"));
  gtk_window_destroy (GTK_WINDOW (editor));
}

static void
test_meeting_create (Fixture       *f,
                     gconstpointer  data)
{
  GtkWidget *editor = open_window (f, buurten_meeting_editor_new (f->context, "centrum", NULL));
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(JsonObject) meeting_args = NULL;
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) second = NULL;
  g_autoptr(JsonObject) action_args = NULL;
  g_autoptr(GError) error = NULL;
  GtkListBox *agenda;

  set_text (editor, "date_row", "12-11-2026");
  set_text (editor, "time_row", "19.30");
  set_text (editor, "location_row", "Buurthuis De Koepel");

  set_text (editor, "agenda_entry", "Opening");
  g_signal_emit_by_name (child (editor, "agenda_entry"), "activate");
  set_text (editor, "agenda_entry", "Speeltuin Oude Haven");
  g_signal_emit_by_name (child (editor, "agenda_entry"), "activate");
  set_text (editor, "agenda_entry", "Rondvraag");
  g_signal_emit_by_name (child (editor, "agenda_entry"), "activate");

  /* Reorder: "Speeltuin" up to the top; remove "Opening" (now second). */
  agenda = child (editor, "agenda_list");
  {
    GtkWidget *row = GTK_WIDGET (gtk_list_box_get_row_at_index (agenda, 1));
    GtkWidget *up = NULL;
    GtkWidget *remove = NULL;
    GtkWidget *w = row;

    /* The row's buttons, in order: up, down, remove. */
    while (w != NULL)
      {
        GtkWidget *next = gtk_widget_get_first_child (w);

        if (GTK_IS_BUTTON (w))
          {
            if (up == NULL)
              up = w;
            remove = w;
          }
        while (next == NULL && w != row)
          {
            next = gtk_widget_get_next_sibling (w);
            w = gtk_widget_get_parent (w);
          }
        w = next;
      }
    g_assert_nonnull (up);
    g_signal_emit_by_name (up, "clicked");
    row = GTK_WIDGET (gtk_list_box_get_row_at_index (agenda, 1));
    g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Opening");
    remove = NULL;
    for (w = row; w != NULL;)
      {
        GtkWidget *next = gtk_widget_get_first_child (w);

        if (GTK_IS_BUTTON (w))
          remove = w;
        while (next == NULL && w != row)
          {
            next = gtk_widget_get_next_sibling (w);
            w = gtk_widget_get_parent (w);
          }
        w = next;
      }
    g_signal_emit_by_name (remove, "clicked");
  }

  /* An action with a bad date: said at the field, the typing stays. */
  set_text (editor, "action_title_entry", "Offertes toestellen opvragen");
  set_text (editor, "action_owner_entry", "Anna");
  set_text (editor, "action_due_entry", "volgende week");
  g_signal_emit_by_name (child (editor, "action_due_entry"), "activate");
  g_assert_true (label_shows (editor, "action_error_label"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (editor, "action_title_entry"))),
                   ==, "Offertes toestellen opvragen");
  set_text (editor, "action_due_entry", "1-12-2026");
  g_signal_emit_by_name (child (editor, "action_due_entry"), "activate");
  g_assert_false (label_shows (editor, "action_error_label"));

  save_and_wait (f, editor, "editor.save");

  entries = outbox (f);
  assert_names (entries, 0, (const char * const[]) { "meeting.create", "agenda_item.add",
                                                     "agenda_item.add", "action.create", NULL });
  meeting_args = parse_args (g_ptr_array_index (entries, 0));
  g_assert_cmpstr (json_object_get_string_member (meeting_args, "kind"), ==, "wijkteam");
  g_assert_cmpstr (json_object_get_string_member (meeting_args, "wijk"), ==, "centrum");
  g_assert_false (json_object_has_member (meeting_args, "cluster"));
  first = parse_args (g_ptr_array_index (entries, 1));
  second = parse_args (g_ptr_array_index (entries, 2));
  g_assert_cmpstr (json_object_get_string_member (first, "title"), ==, "Speeltuin Oude Haven");
  g_assert_cmpint (json_object_get_int_member (first, "position"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (second, "title"), ==, "Rondvraag");
  g_assert_cmpint (json_object_get_int_member (second, "position"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (first, "meeting_id"), ==, f->saved_id);
  action_args = parse_args (g_ptr_array_index (entries, 3));
  g_assert_cmpstr (json_object_get_string_member (action_args, "due_on"), ==, "2026-12-01");
  g_assert_cmpstr (json_object_get_string_member (action_args, "owner"), ==, "Anna");

  items = buurten_store_list (f->store, &buurten_agenda_item_info, "meeting_id", f->saved_id,
                              &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 2);
  g_ptr_array_set_free_func (items, (GDestroyNotify) buurten_agenda_item_free);
  assert_audit (f, "meeting", f->saved_id, "meeting.create", "anna");
}

/* ---- the decision window -------------------------------------------- */

static GtkWidget *
open_decision (Fixture    *f,
               const char *initiative_id)
{
  GtkWidget *window = open_window (f, buurten_decision_window_new (f->context, initiative_id));

  wait_sensitive (window);
  return window;
}

static gboolean
action_enabled (GtkWidget  *window,
                const char *action)
{
  /* Through the button that uses it, as a person would see it. */
  GtkWidget *w = window;

  while (w != NULL)
    {
      GtkWidget *next = gtk_widget_get_first_child (w);

      if (GTK_IS_ACTIONABLE (w) &&
          g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (w)), action) == 0)
        return gtk_widget_is_sensitive (w);
      while (next == NULL && w != window)
        {
          next = gtk_widget_get_next_sibling (w);
          w = gtk_widget_get_parent (w);
        }
      w = next;
    }
  g_assert_not_reached ();
}

/* The titles of the role rows under "Who must sign" (not the instrument). */
static char *
role_titles (GtkWidget *window)
{
  GtkWidget *group = child (window, "mandate_group");
  GtkWidget *instrument = child (window, "instrument_row");
  GString *titles = g_string_new (NULL);
  GtkWidget *w = group;

  while (w != NULL)
    {
      GtkWidget *next = gtk_widget_get_first_child (w);

      if (ADW_IS_ACTION_ROW (w) && w != instrument && gtk_widget_get_visible (w))
        {
          if (titles->len > 0)
            g_string_append (titles, ", ");
          g_string_append (titles, adw_preferences_row_get_title (ADW_PREFERENCES_ROW (w)));
          next = NULL;
        }
      while (next == NULL && w != group)
        {
          next = gtk_widget_get_next_sibling (w);
          w = gtk_widget_get_parent (w);
        }
      w = next;
    }
  return g_string_free (titles, FALSE);
}

static void
test_decision_refused (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *id = add_initiative (f, "Skatebaan", 3000000, BUURTEN_INITIATIVE_CHECKED);
  GtkWidget *window = open_decision (f, id);
  g_autofree char *roles = NULL;
  const char *reason;

  /* The requested € 30.000 from the wijk budget: refused before anything
   * is saved, with the reason and the way forward. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (window, "amount_row"))), ==,
                   "€30,000.00");
  g_assert_cmpuint (adw_combo_row_get_selected (child (window, "funding_row")), ==,
                    BUURTEN_FUNDING_WIJKBUDGET);
  g_assert_true (gtk_widget_get_visible (child (window, "refusal_box")));
  reason = gtk_label_get_label (child (window, "refusal_label"));
  g_assert_nonnull (strstr (reason, "€30,000.00"));
  g_assert_nonnull (strstr (reason, "wijkkansen"));
  g_assert_nonnull (strstr (reason, "investment project"));
  g_assert_false (action_enabled (window, "decision.sign"));
  roles = role_titles (window);
  g_assert_cmpstr (roles, ==, "");
  g_assert_false (gtk_widget_get_visible (child (window, "after_box")));

  /* The same amount from the wijkkansen pot: allowed, the wethouder
   * buurten decides; I (buco) cannot sign but may put it forward. */
  adw_combo_row_set_selected (child (window, "funding_row"), BUURTEN_FUNDING_WIJKKANSEN);
  g_assert_false (gtk_widget_get_visible (child (window, "refusal_box")));
  g_free (roles);
  roles = role_titles (window);
  g_assert_cmpstr (roles, ==, "Wethouder Buurten");
  g_assert_false (action_enabled (window, "decision.sign"));
  g_assert_true (action_enabled (window, "decision.submit"));
  g_assert_true (label_shows (window, "sign_hint_label"));

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_cmpint (outbox_count (f), ==, 0);
}

static void
test_decision_boundary (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *id = add_initiative (f, "Bankjes", 200000, BUURTEN_INITIATIVE_CHECKED);
  GtkWidget *window = open_decision (f, id);
  g_autofree char *at = NULL;
  g_autofree char *above = NULL;

  set_text (window, "amount_row", "€ 2.000,00");
  at = role_titles (window);
  g_assert_cmpstr (at, ==, "Wijkregisseur");
  g_assert_cmpstr (adw_action_row_get_subtitle (child (window, "instrument_row")), ==,
                   "Commitment");
  g_assert_true (action_enabled (window, "decision.sign"));

  set_text (window, "amount_row", "2.000,01");
  above = role_titles (window);
  g_assert_cmpstr (above, ==, "Wijkregisseur, Wijkwethouder");
  g_assert_cmpstr (adw_action_row_get_subtitle (child (window, "instrument_row")), ==,
                   "Buurtdeal and subsidiebeschikking");
  g_assert_true (gtk_widget_get_visible (child (window, "after_box")));

  /* A parse error waits for the field to be left, then shows there. */
  set_text (window, "amount_row", "2.000,0,1");
  g_assert_false (action_enabled (window, "decision.sign"));
  g_assert_false (buurten_form_read_amount (child (window, "amount_row"),
                                            child (window, "amount_error_label"), NULL));
  g_assert_true (label_shows (window, "amount_error_label"));

  gtk_window_destroy (GTK_WINDOW (window));
}

static BuurtenCommitment *
only_commitment (Fixture    *f,
                 const char *initiative_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) commitments = buurten_store_list (f->store, &buurten_commitment_info,
                                                         "initiative_id", initiative_id,
                                                         &error);

  g_assert_no_error (error);
  g_assert_cmpuint (commitments->len, ==, 1);
  return g_ptr_array_index (commitments, 0);
}

static void
test_decision_four_eyes (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *id = add_initiative (f, "Buurtmoestuin", 500000, BUURTEN_INITIATIVE_SUBMITTED);
  g_autoptr(BuurtenThermometer) before = NULL;
  g_autoptr(BuurtenThermometer) pending = NULL;
  g_autoptr(BuurtenThermometer) approved = NULL;
  g_autoptr(BuurtenCommitment) commitment = NULL;
  g_autoptr(BuurtenCommitment) signed_commitment = NULL;
  g_autoptr(BuurtenInitiative) granted = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(JsonObject) create = NULL;
  g_autoptr(JsonObject) sign = NULL;
  g_autoptr(GError) error = NULL;
  BuurtenMunicipality *municipality = buurten_context_get_municipality (f->context);
  GtkWidget *window;
  g_autofree char *hint = NULL;

  before = buurten_store_thermometer (f->store, municipality, "centrum", YEAR, &error);
  g_assert_no_error (error);

  /* Anna, buco of Centrum, signs € 5.000: a buurtdeal that waits for the
   * wijkwethouder. */
  window = open_decision (f, id);
  g_assert_true (action_enabled (window, "decision.sign"));
  save_and_wait (f, window, "decision.sign");

  commitment = only_commitment (f, id);
  g_assert_cmpstr (commitment->id, ==, f->saved_id);
  g_assert_cmpint (commitment->state, ==, BUURTEN_COMMITMENT_PENDING);
  g_assert_cmpint (commitment->amount_cents, ==, 500000);
  g_assert_cmpint (commitment->funding, ==, BUURTEN_FUNDING_WIJKBUDGET);
  g_assert_cmpint (commitment->year, ==, YEAR);
  /* The roles are fixed with the commitment; the initiative is checked,
   * not granted: only the last signature grants it. */
  g_assert_cmpstr (commitment->required_roles, ==, "buurtcoordinator,wijkwethouder");
  granted = get_initiative (f, id);
  g_assert_cmpint (granted->state, ==, BUURTEN_INITIATIVE_CHECKED);
  g_clear_pointer (&granted, buurten_initiative_free);
  pending = buurten_store_thermometer (f->store, municipality, "centrum", YEAR, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pending->pending_cents, ==, before->pending_cents + 500000);
  g_assert_cmpint (pending->approved_cents, ==, before->approved_cents);

  /* submitted -> checked (never a transition into granted), the
   * commitment and my signature: in that order, so the server can apply
   * them in turn. The server records the decision on the last signature. */
  entries = outbox (f);
  assert_names (entries, 0, (const char * const[]) { "initiative.transition",
                                                     "commitment.create",
                                                     "commitment.sign", NULL });
  create = parse_args (g_ptr_array_index (entries, 1));
  assert_members (create, (const char * const[]) { "id", "initiative_id", "amount_cents",
                                                   "funding", "year", NULL });
  g_assert_cmpstr (json_object_get_string_member (create, "funding"), ==, "wijkbudget");
  sign = parse_args (g_ptr_array_index (entries, 2));
  assert_members (sign, (const char * const[]) { "id", NULL });
  g_assert_cmpstr (json_object_get_string_member (sign, "id"), ==, commitment->id);
  assert_audit (f, "commitment", commitment->id, "commitment.create", "anna");

  /* Anna again, now as wijkwethouder: four eyes says no. */
  set_identity (f, "anna", BUURTEN_ROLE_WIJKWETHOUDER);
  window = open_decision (f, id);
  g_assert_false (gtk_widget_get_sensitive (child (window, "amount_row")));
  g_assert_false (action_enabled (window, "decision.sign"));
  g_assert_true (label_shows (window, "sign_hint_label"));
  hint = g_strdup (gtk_label_get_label (child (window, "sign_hint_label")));
  g_assert_nonnull (strstr (hint, "four eyes"));
  gtk_window_destroy (GTK_WINDOW (window));

  /* Bert, wijkwethouder of Centrum, signs: approved. */
  set_identity (f, "bert", BUURTEN_ROLE_WIJKWETHOUDER);
  window = open_decision (f, id);
  g_assert_true (action_enabled (window, "decision.sign"));
  save_and_wait (f, window, "decision.sign");
  signed_commitment = only_commitment (f, id);
  g_assert_cmpint (signed_commitment->state, ==, BUURTEN_COMMITMENT_APPROVED);
  /* The last signature grants the initiative, locally as on the server. */
  granted = get_initiative (f, id);
  g_assert_cmpint (granted->state, ==, BUURTEN_INITIATIVE_GRANTED);

  g_ptr_array_unref (g_steal_pointer (&entries));
  entries = outbox (f);
  assert_names (entries, 3, (const char * const[]) { "commitment.sign", NULL });
  approved = buurten_store_thermometer (f->store, municipality, "centrum", YEAR, &error);
  g_assert_no_error (error);
  g_assert_cmpint (approved->pending_cents, ==, before->pending_cents);
  g_assert_cmpint (approved->approved_cents, ==, before->approved_cents + 500000);

  /* The approved commitment is done: a new window is a new decision, and
   * says what was approved before. */
  set_identity (f, "carla", BUURTEN_ROLE_BUURTCOORDINATOR);
  window = open_decision (f, id);
  g_assert_true (gtk_widget_get_sensitive (child (window, "amount_row")));
  g_assert_nonnull (strstr (gtk_label_get_label (child (window, "initiative_details_label")),
                            "€5,000.00 already approved"));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_decision_submit (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *id = add_initiative (f, "Kerstmarkt", 150000, BUURTEN_INITIATIVE_CHECKED);
  g_autoptr(BuurtenCommitment) commitment = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) signatures = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *window;

  /* The wijkwethouder cannot sign € 1.500 (the buco's mandate) but puts it
   * forward: a pending commitment without a signature. */
  set_identity (f, "bert", BUURTEN_ROLE_WIJKWETHOUDER);
  window = open_decision (f, id);
  g_assert_false (action_enabled (window, "decision.sign"));
  g_assert_true (action_enabled (window, "decision.submit"));
  save_and_wait (f, window, "decision.submit");

  commitment = only_commitment (f, id);
  g_assert_cmpint (commitment->state, ==, BUURTEN_COMMITMENT_PENDING);
  signatures = buurten_store_list (f->store, &buurten_signature_info, "commitment_id",
                                   commitment->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (signatures->len, ==, 0);
  /* Checked already: no transition; granted only by signatures. */
  entries = outbox (f);
  assert_names (entries, 0, (const char * const[]) { "commitment.create", NULL });
  g_assert_cmpstr (commitment->required_roles, ==, "buurtcoordinator");
}

static void
add_commitment (Fixture                *f,
                const char             *initiative_id,
                gint64                  cents,
                BuurtenCommitmentState  state,
                const char             *required_roles)
{
  g_autoptr(BuurtenCommitment) commitment = buurten_commitment_new ();
  g_autoptr(GError) error = NULL;

  commitment->id = buurten_uuid_new ();
  commitment->initiative_id = g_strdup (initiative_id);
  commitment->wijk = g_strdup ("centrum");
  commitment->funding = BUURTEN_FUNDING_WIJKBUDGET;
  commitment->year = YEAR;
  commitment->amount_cents = cents;
  commitment->theme = g_strdup ("Groen in de wijk");
  commitment->state = state;
  commitment->required_roles = g_strdup (required_roles);
  commitment->created_at = 1700000000;
  buurten_store_put (f->store, &buurten_commitment_info, commitment, "seed", NULL, NULL,
                     &error);
  g_assert_no_error (error);
}

static const char *
accessible_label (GtkWidget *widget)
{
  /* What an AT-SPI test reads: the label's text is its accessible label. */
  return gtk_label_get_label (GTK_LABEL (widget));
}

static void
test_decision_per_initiative (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *id = add_initiative (f, "Speeltuin", 190000, BUURTEN_INITIATIVE_GRANTED);
  g_autofree char *roles = NULL;
  GtkWidget *window;

  /* € 1.900 approved already: a second € 1.900 is judged as € 3.800, so
   * the wijkwethouder signs too (no opknippen), and the window says so
   * before anything is saved. */
  add_commitment (f, id, 190000, BUURTEN_COMMITMENT_APPROVED, "buurtcoordinator");
  window = open_decision (f, id);
  g_assert_true (label_shows (window, "total_label"));
  g_assert_cmpstr (accessible_label (child (window, "total_label")), ==,
                   "This initiative already has €1,900.00 committed; with this amount "
                   "€3,800.00 in total");
  roles = role_titles (window);
  g_assert_cmpstr (roles, ==, "Wijkregisseur, Wijkwethouder");
  /* Without a server the role is self-chosen: said plainly. */
  g_assert_true (gtk_widget_get_visible (child (window, "provisional_label")));
  g_assert_cmpint (outbox_count (f), ==, 0);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_decision_grants (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *id = add_initiative (f, "Bloembakken", 300000, BUURTEN_INITIATIVE_CHECKED);
  g_autoptr(GPtrArray) grants = buurten_grants_new ();
  g_autofree char *hint = NULL;
  GtkWidget *window;

  /* A pending € 3.000 whose roles were fixed when it was made: the
   * wijkwethouder of Centrum may sign it, the one of Oost may not. */
  add_commitment (f, id, 300000, BUURTEN_COMMITMENT_PENDING, "buurtcoordinator,wijkwethouder");
  set_identity (f, "bert", BUURTEN_ROLE_WIJKWETHOUDER);
  g_ptr_array_add (grants, buurten_grant_new (BUURTEN_ROLE_WIJKWETHOUDER, "oost"));
  buurten_context_set_grants (f->context, grants);
  g_assert_false (buurten_context_get_grants_provisional (f->context));

  window = open_decision (f, id);
  g_assert_false (action_enabled (window, "decision.sign"));
  g_assert_false (gtk_widget_get_visible (child (window, "provisional_label")));
  hint = g_strdup (gtk_label_get_label (child (window, "sign_hint_label")));
  g_assert_nonnull (strstr (hint, "Wijkwethouder"));
  g_assert_null (strstr (hint, "wijkwethouder,"));
  gtk_window_destroy (GTK_WINDOW (window));

  g_ptr_array_add (grants, buurten_grant_new (BUURTEN_ROLE_WIJKWETHOUDER, "centrum"));
  buurten_context_set_grants (f->context, grants);
  window = open_decision (f, id);
  g_assert_true (action_enabled (window, "decision.sign"));
  gtk_window_destroy (GTK_WINDOW (window));

  /* Back to this computer only: the self-chosen role again. */
  buurten_context_set_grants (f->context, NULL);
  g_assert_true (buurten_context_get_grants_provisional (f->context));
}

static void
test_instantiate (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *id = add_initiative (f, "Zomeravond", 40000, BUURTEN_INITIATIVE_IDEA);
  GtkWidget *windows[] = {
    buurten_request_editor_new (f->context, NULL, NULL),
    buurten_initiative_editor_new (f->context, NULL, NULL),
    buurten_escalation_editor_new (f->context, NULL, NULL),
    buurten_meeting_editor_new (f->context, NULL, NULL),
    buurten_decision_window_new (f->context, id),
  };

  for (guint i = 0; i < G_N_ELEMENTS (windows); i++)
    {
      gtk_window_present (GTK_WINDOW (windows[i]));
      spin ();
      /* Closing while a load may still run cancels it cleanly. */
      gtk_window_destroy (GTK_WINDOW (windows[i]));
    }
  spin ();
}

/* The action a window's own shortcuts give trigger, or NULL. */
static char *
shortcut_action (GtkWidget  *window,
                 const char *trigger)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (window);
  g_autoptr(GtkShortcutTrigger) wanted = gtk_shortcut_trigger_parse_string (trigger);

  g_assert_nonnull (wanted);
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);

          if (gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), wanted))
            return gtk_shortcut_action_to_string (action);
        }
    }
  return NULL;
}

static void
test_keys (Fixture       *f,
           gconstpointer  data)
{
  /* Every editor has the keys of BuurtenEditor: Ctrl+S and Ctrl+Enter
   * save, Escape closes. */
  GtkWidget *windows[] = {
    buurten_request_editor_new (f->context, NULL, NULL),
    buurten_initiative_editor_new (f->context, NULL, NULL),
    buurten_escalation_editor_new (f->context, NULL, NULL),
    buurten_meeting_editor_new (f->context, NULL, NULL),
  };

  for (guint i = 0; i < G_N_ELEMENTS (windows); i++)
    {
      g_autofree char *save = shortcut_action (windows[i], "<Control>s");
      g_autofree char *enter = shortcut_action (windows[i], "<Control>Return");
      g_autofree char *escape = shortcut_action (windows[i], "Escape");

      g_assert_cmpstr (save, ==, "action(editor.save)");
      g_assert_cmpstr (enter, ==, "action(editor.save)");
      g_assert_cmpstr (escape, ==, "action(window.close)");
      gtk_window_destroy (GTK_WINDOW (windows[i]));
    }
  spin ();
}

static void
test_leaks (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *id = add_initiative (f, "Zomeravond", 40000, BUURTEN_INITIATIVE_IDEA);
  GtkWidget *windows[] = {
    buurten_request_editor_new (f->context, "centrum", NULL),
    buurten_initiative_editor_new (f->context, "centrum", NULL),
    buurten_initiative_editor_new (f->context, NULL, id),
    buurten_escalation_editor_new (f->context, "centrum", NULL),
    buurten_meeting_editor_new (f->context, "centrum", NULL),
    buurten_decision_window_new (f->context, id),
    buurten_preferences_window_new (f->context, FALSE),
    buurten_preferences_window_new (f->context, TRUE),
    buurten_attention_window_new (NULL, f->store, "anna"),
    buurten_login_window_new (NULL, "https://buurten.example.nl", "anna", NULL),
  };

  /* Each window and editor, shown, loaded and closed, leaves nothing that
   * holds it: no signal handler of the context, no running load. */
  for (guint i = 0; i < G_N_ELEMENTS (windows); i++)
    {
      g_object_ref (windows[i]);
      gtk_window_present (GTK_WINDOW (windows[i]));
      spin ();
      close_and_assert_finalized (windows[i]);
    }
}

static void
on_notify_cb (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

static void
test_busy_notify (Fixture       *f,
                  gconstpointer  data)
{
  GtkWidget *editor = g_object_ref (buurten_request_editor_new (f->context, "centrum", NULL));
  guint notified = 0;

  /* busy notifies once per change, never when set to what it is. */
  g_signal_connect (editor, "notify::busy", G_CALLBACK (on_notify_cb), &notified);
  buurten_editor_set_busy (BUURTEN_EDITOR (editor), FALSE);
  g_assert_cmpuint (notified, ==, 0);
  buurten_editor_set_busy (BUURTEN_EDITOR (editor), TRUE);
  g_assert_cmpuint (notified, ==, 1);
  buurten_editor_set_busy (BUURTEN_EDITOR (editor), TRUE);
  g_assert_cmpuint (notified, ==, 1);
  buurten_editor_set_busy (BUURTEN_EDITOR (editor), FALSE);
  g_assert_cmpuint (notified, ==, 2);

  close_and_assert_finalized (editor);
}

static gboolean
is_dirty (GtkWidget *editor)
{
  gboolean dirty = TRUE;

  g_object_get (editor, "dirty", &dirty, NULL);
  return dirty;
}

static void
test_dirty (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *id = add_initiative (f, "Zomeravond", 40000, BUURTEN_INITIATIVE_IDEA);
  GtkWidget *editors[] = {
    g_object_ref (buurten_request_editor_new (f->context, "centrum", NULL)),
    g_object_ref (buurten_initiative_editor_new (f->context, NULL, id)),
  };

  /* Filling the form (a new item's defaults, or a load) is no change;
   * the first edit is, and notifies once. */
  for (guint i = 0; i < G_N_ELEMENTS (editors); i++)
    {
      guint notified = 0;

      g_signal_connect (editors[i], "notify::dirty", G_CALLBACK (on_notify_cb), &notified);
      gtk_window_present (GTK_WINDOW (editors[i]));
      wait_sensitive (editors[i]);
      spin ();
      g_assert_false (is_dirty (editors[i]));
      g_assert_cmpuint (notified, ==, 0);
      set_text (editors[i], "title_row", "Een andere titel");
      g_assert_true (is_dirty (editors[i]));
      g_assert_cmpuint (notified, ==, 1);
      set_text (editors[i], "title_row", "Nog een andere titel");
      g_assert_cmpuint (notified, ==, 1);
      close_and_assert_finalized (editors[i]);
    }

  /* What the editor writes into its form while busy (a load, which may
   * end after the window is shown) is no change either. */
  {
    GtkWidget *editor = g_object_ref (buurten_request_editor_new (f->context, "centrum", NULL));

    gtk_window_present (GTK_WINDOW (editor));
    while (!gtk_widget_get_mapped (editor))
      g_main_context_iteration (NULL, TRUE);
    buurten_editor_set_busy (BUURTEN_EDITOR (editor), TRUE);
    set_text (editor, "title_row", "Gevuld door een lading");
    buurten_editor_set_busy (BUURTEN_EDITOR (editor), FALSE);
    g_assert_false (is_dirty (editor));
    set_text (editor, "title_row", "Getypt");
    g_assert_true (is_dirty (editor));
    close_and_assert_finalized (editor);
  }
}

/* ---- EDITOR (issue 14): the intake, the budget lines, the buurtdeal ---- */

/* The GtkEntry descendants of widget, in tree order. */
static void
collect_entries (GtkWidget *widget,
                 GPtrArray *out)
{
  if (GTK_IS_ENTRY (widget))
    g_ptr_array_add (out, widget);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    collect_entries (c, out);
}

/* The first button below widget whose accessible label starts with prefix
 * (GtkButton keeps it as its label or as the accessible property). */
static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *hit = find_button (c, label);

      if (hit != NULL)
        return hit;
    }
  return NULL;
}

static void
click (GtkWidget *parent,
       const char *label)
{
  GtkWidget *button = find_button (parent, label);

  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
}

static void
test_intake_iban (Fixture       *f,
                  gconstpointer  data)
{
  GtkWidget *editor = open_window (f, buurten_initiative_editor_new (f->context, "centrum",
                                                                      NULL));
  GtkWidget *iban_row = child (editor, "iban_row");
  GtkLabel *error_label = child (editor, "iban_error_label");
  g_autoptr(BuurtenInitiative) stored = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(JsonObject) args = NULL;

  set_text (editor, "title_row", "Buurtfeest Kerkelanden");
  set_text (editor, "organiser_row", "Els de Vries");
  set_text (editor, "email_row", "geen-adres");
  set_text (editor, "iban_row", "NL91 ABNA 0417 1643 01");

  g_assert_true (gtk_widget_activate_action (editor, "editor.save", NULL));
  spin ();

  /* Refused at the fields, nothing written, nothing typed lost. */
  g_assert_cmpuint (f->saved, ==, 0);
  g_assert_cmpint (outbox_count (f), ==, 0);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (error_label)));
  g_assert_cmpstr (gtk_label_get_label (error_label), ==,
                   "The IBAN's check digits do not match: a typing error?");
  g_assert_true (gtk_widget_has_css_class (iban_row, "error"));
  g_assert_true (label_shows (editor, "email_error_label"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (iban_row)), ==,
                   "NL91 ABNA 0417 1643 01");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (editor, "organiser_row"))), ==,
                   "Els de Vries");

  /* Typing it right clears the message at once. */
  set_text (editor, "iban_row", "nl91abna0417164300");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (error_label)));
  set_text (editor, "email_row", "els@example.nl");
  save_and_wait (f, editor, "editor.save");

  stored = get_initiative (f, f->saved_id);
  g_assert_cmpstr (stored->iban, ==, "NL91ABNA0417164300");
  g_assert_cmpstr (stored->organiser_email, ==, "els@example.nl");
  entries = outbox (f);
  args = parse_args (g_ptr_array_index (entries, 0));
  g_assert_cmpstr (json_object_get_string_member (args, "iban"), ==, "NL91ABNA0417164300");

  /* Shown grouped, as on a bank card. */
  editor = open_window (f, buurten_initiative_editor_new (f->context, NULL, f->saved_id));
  wait_sensitive (editor);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (editor, "iban_row"))), ==,
                   "NL91 ABNA 0417 1643 00");
  g_object_ref (editor);
  close_and_assert_finalized (editor);
}

static void
test_intake_budget_lines (Fixture       *f,
                          gconstpointer  data)
{
  GtkWidget *editor = open_window (f, buurten_initiative_editor_new (f->context, "centrum",
                                                                      NULL));
  GtkWidget *lines = child (editor, "budget_lines_editor");
  g_autoptr(GPtrArray) fields = g_ptr_array_new ();
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) stored_lines = NULL;
  g_autoptr(BuurtenInitiative) stored = NULL;
  g_autoptr(JsonObject) create = NULL;
  g_autofree char *id = NULL;
  BuurtenBudgetBalance balance;
  GError *error = NULL;

  set_text (editor, "title_row", "Straatfeest Langestraat");
  g_assert_true (gtk_widget_get_visible (child (editor, "amount_group")));
  click (lines, "Add Cost");
  click (lines, "Add Cost");
  click (lines, "Add Income");
  /* Once there are lines, their balance is the amount asked. */
  g_assert_false (gtk_widget_get_visible (child (editor, "amount_group")));
  collect_entries (lines, fields);
  g_assert_cmpuint (fields->len, ==, 6);
  gtk_editable_set_text (g_ptr_array_index (fields, 0), "Springkussen");
  gtk_editable_set_text (g_ptr_array_index (fields, 1), "1.800");
  gtk_editable_set_text (g_ptr_array_index (fields, 2), "Muziek");
  gtk_editable_set_text (g_ptr_array_index (fields, 3), "twaalf");
  gtk_editable_set_text (g_ptr_array_index (fields, 4), "Bijdrage winkeliers");
  gtk_editable_set_text (g_ptr_array_index (fields, 5), "300");

  /* A wrong amount on a line: refused there, nothing written. */
  g_assert_true (gtk_widget_activate_action (editor, "editor.save", NULL));
  spin ();
  g_assert_cmpuint (f->saved, ==, 0);
  g_assert_cmpint (outbox_count (f), ==, 0);
  g_assert_true (gtk_widget_has_css_class (g_ptr_array_index (fields, 3), "error"));

  gtk_editable_set_text (g_ptr_array_index (fields, 3), "1.000,50");
  buurten_budget_lines_editor_get_balance (BUURTEN_BUDGET_LINES_EDITOR (lines), &balance);
  g_assert_cmpint (balance.asked_cents, ==, 250050);
  save_and_wait (f, editor, "editor.save");
  id = g_strdup (f->saved_id);

  stored = get_initiative (f, id);
  g_assert_cmpint (stored->requested_cents, ==, 250050);
  entries = outbox (f);
  assert_names (entries, 0, (const char * const[]) { "initiative.create", "budget_line.add",
                                                     "budget_line.add", "budget_line.add",
                                                     NULL });
  create = parse_args (g_ptr_array_index (entries, 0));
  g_assert_cmpint (json_object_get_int_member (create, "requested_cents"), ==, 250050);
  stored_lines = buurten_store_list (f->store, &buurten_budget_line_info, "initiative_id", id,
                                     &error);
  g_assert_no_error (error);
  g_ptr_array_set_free_func (stored_lines, (GDestroyNotify) buurten_budget_line_free);
  g_assert_cmpuint (stored_lines->len, ==, 3);

  /* Editing: the lines come back; removing one sends budget_line.remove. */
  editor = open_window (f, buurten_initiative_editor_new (f->context, NULL, id));
  wait_sensitive (editor);
  lines = child (editor, "budget_lines_editor");
  g_assert_cmpuint (buurten_budget_lines_editor_get_n_lines (BUURTEN_BUDGET_LINES_EDITOR (lines)),
                    ==, 3);
  g_assert_true (buurten_budget_lines_editor_get_editable (BUURTEN_BUDGET_LINES_EDITOR (lines)));
  {
    GtkWidget *list = gtk_widget_get_first_child (gtk_widget_get_first_child (lines));
    GtkWidget *remove = NULL;

    /* The second line's trash button: the last button of its row. */
    for (GtkWidget *w = gtk_widget_get_first_child (gtk_widget_get_first_child (
                          gtk_widget_get_first_child (gtk_widget_get_next_sibling (
                            gtk_widget_get_first_child (list)))));
         w != NULL; w = gtk_widget_get_next_sibling (w))
      if (GTK_IS_BUTTON (w))
        remove = w;
    g_assert_nonnull (remove);
    g_signal_emit_by_name (remove, "clicked");
  }
  g_assert_cmpuint (buurten_budget_lines_editor_get_n_lines (BUURTEN_BUDGET_LINES_EDITOR (lines)),
                    ==, 2);
  save_and_wait (f, editor, "editor.save");
  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = outbox (f);
  /* The third line moves up: its position changes too. */
  assert_names (entries, 4, (const char * const[]) { "initiative.update", "budget_line.remove",
                                                     "budget_line.update", NULL });
  g_clear_pointer (&stored, buurten_initiative_free);
  stored = get_initiative (f, id);
  g_assert_cmpint (stored->requested_cents, ==, 150000);

  /* Once granted the plan's budget no longer changes. */
  {
    g_autofree char *granted = add_initiative (f, "Toegekend", 150000,
                                               BUURTEN_INITIATIVE_GRANTED);

    editor = open_window (f, buurten_initiative_editor_new (f->context, NULL, granted));
    wait_sensitive (editor);
    g_assert_false (buurten_budget_lines_editor_get_editable (
                      BUURTEN_BUDGET_LINES_EDITOR (child (editor, "budget_lines_editor"))));
    g_object_ref (editor);
    close_and_assert_finalized (editor);
  }
}

static void
test_buurtdeal (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *small = add_initiative (f, "Bankje", 150000, BUURTEN_INITIATIVE_CHECKED);
  g_autofree char *id = add_initiative (f, "Speeltuin", 350000, BUURTEN_INITIATIVE_CHECKED);
  GtkWidget *editor = open_window (f, buurten_buurtdeal_editor_new (f->context, small));
  g_autoptr(GPtrArray) fields = g_ptr_array_new ();
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(JsonObject) signed_args = NULL;
  g_autoptr(BuurtenInitiative) stored = NULL;
  GtkLabel *missing;

  /* Within the coordinator's own limit (the mandate table: € 2.000). */
  wait_sensitive (editor);
  g_assert_true (g_str_has_prefix (gtk_label_get_label (child (editor, "required_label")),
                                   "No buurtdeal is required: €1,500.00 is within"));
  g_object_ref (editor);
  close_and_assert_finalized (editor);

  editor = open_window (f, buurten_buurtdeal_editor_new (f->context, id));
  wait_sensitive (editor);
  g_assert_cmpstr (gtk_label_get_label (child (editor, "required_label")), ==,
                   "A buurtdeal is required: €3,500.00 is above the coordinator’s own limit "
                   "of €2,000.00.");
  missing = child (editor, "missing_label");
  g_assert_cmpstr (gtk_label_get_label (missing), ==,
                   "Still missing before it counts as signed: an agreement of the residents, "
                   "an agreement of the municipality, the organiser’s signature.");

  click (child (editor, "residents_editor"), "Add Agreement of the Residents");
  click (child (editor, "municipality_editor"), "Add Agreement of the Municipality");
  collect_entries (editor, fields);
  /* what, who, by when for each; then nothing else is a GtkEntry. */
  g_assert_cmpuint (fields->len, ==, 6);
  gtk_editable_set_text (g_ptr_array_index (fields, 0), "Buurtbewoners schilderen de hekken");
  gtk_editable_set_text (g_ptr_array_index (fields, 1), "Buurtvereniging");
  gtk_editable_set_text (g_ptr_array_index (fields, 2), "1-5-2026");
  gtk_editable_set_text (g_ptr_array_index (fields, 3), "Gemeente plaatst twee toestellen");
  gtk_editable_set_text (g_ptr_array_index (fields, 4), "Team Openbare Ruimte");
  gtk_editable_set_text (g_ptr_array_index (fields, 5), "31-13-2026");
  g_assert_cmpstr (gtk_label_get_label (missing), ==,
                   "Still missing before it counts as signed: the organiser’s signature.");

  /* A name without a date is half a signature: said at the field. */
  set_text (editor, "signed_by_row", "Els de Vries");
  g_assert_true (gtk_widget_activate_action (editor, "editor.save", NULL));
  spin ();
  g_assert_cmpuint (f->saved, ==, 0);
  g_assert_cmpint (outbox_count (f), ==, 0);
  g_assert_true (label_shows (editor, "signature_error_label"));
  /* The wrong due date too. */
  g_assert_true (gtk_widget_has_css_class (g_ptr_array_index (fields, 5), "error"));

  gtk_editable_set_text (g_ptr_array_index (fields, 5), "30-6-2026");
  set_text (editor, "signed_on_row", "20-4-2026");
  set_text (editor, "signed_place_row", "Hilversum");
  g_assert_cmpstr (gtk_label_get_label (missing), ==,
                   "Complete: agreements on both sides and the organiser’s signature.");
  save_and_wait (f, editor, "editor.save");

  entries = outbox (f);
  assert_names (entries, 0, (const char * const[]) { "agreement.add", "agreement.add",
                                                     "initiative.deal_signed", NULL });
  signed_args = parse_args (g_ptr_array_index (entries, 2));
  g_assert_cmpstr (json_object_get_string_member (signed_args, "deal_signed_by"), ==,
                   "Els de Vries");
  g_assert_cmpstr (json_object_get_string_member (signed_args, "deal_signed_on"), ==,
                   "2026-04-20");
  stored = get_initiative (f, id);
  g_assert_cmpstr (stored->deal_signed_place, ==, "Hilversum");

  /* Opened again: the agreements and the signature come back; saving
   * unchanged sends nothing. */
  editor = open_window (f, buurten_buurtdeal_editor_new (f->context, id));
  wait_sensitive (editor);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (editor, "signed_on_row"))), ==,
                   "20-04-2026");
  g_assert_cmpstr (gtk_label_get_label (child (editor, "missing_label")), ==,
                   "Complete: agreements on both sides and the organiser’s signature.");
  g_object_ref (editor);
  g_assert_true (gtk_widget_activate_action (editor, "editor.save", NULL));
  spin ();
  g_assert_cmpint (outbox_count (f), ==, 3);
  close_and_assert_finalized (editor);
}

static BuurtenInitiativeEditor *
find_initiative_editor (void)
{
  g_autoptr(GListModel) toplevels = gtk_window_get_toplevels ();

  g_object_ref (toplevels);
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (BUURTEN_IS_INITIATIVE_EDITOR (window))
        return BUURTEN_INITIATIVE_EDITOR (window);
    }
  return NULL;
}

static void
test_request_to_initiative (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(BuurtenRequest) request = buurten_request_new ();
  g_autoptr(BuurtenRequest) linked = NULL;
  g_autoptr(BuurtenInitiative) initiative = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(JsonObject) args = NULL;
  g_autoptr(GError) error = NULL;
  BuurtenInitiativeEditor *editor;
  guint id;

  request->id = buurten_uuid_new ();
  request->wijk = g_strdup ("centrum");
  request->type = BUURTEN_REQUEST_TYPE_IDEE;
  request->title = g_strdup ("Moestuin op het pleintje");
  request->description = g_strdup ("Samen groente kweken.");
  request->reporter_name = g_strdup ("Piet Jansen");
  request->reporter_contact = g_strdup ("piet@example.nl");
  request->received_at = 1760000000;
  buurten_store_put (f->store, &buurten_request_info, request, "seed", NULL, NULL, &error);
  g_assert_no_error (error);

  buurten_open_initiative_from_request (NULL, f->context, request->id);
  id = add_watchdog ();
  while ((editor = find_initiative_editor ()) == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);

  entries = outbox (f);
  assert_names (entries, 0, (const char * const[]) { "initiative.from_request", NULL });
  args = parse_args (g_ptr_array_index (entries, 0));
  g_assert_cmpstr (json_object_get_string_member (args, "request_id"), ==, request->id);

  linked = buurten_store_get (f->store, &buurten_request_info, request->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (linked->initiative_id, ==, json_object_get_string_member (args, "id"));
  initiative = get_initiative (f, linked->initiative_id);
  g_assert_cmpstr (initiative->title, ==, "Moestuin op het pleintje");
  g_assert_cmpstr (initiative->organiser, ==, "Piet Jansen");
  g_assert_cmpstr (initiative->organiser_email, ==, "piet@example.nl");
  g_assert_cmpstr (initiative->source_request_id, ==, request->id);
  g_assert_cmpint (initiative->state, ==, BUURTEN_INITIATIVE_IDEA);

  /* The editor opened on it. */
  g_assert_cmpstr (buurten_editor_get_id (BUURTEN_EDITOR (editor)), ==, initiative->id);
  g_object_ref (editor);
  close_and_assert_finalized (editor);

  /* A complaint does not become an initiative. */
  {
    g_autoptr(BuurtenRequest) complaint = buurten_request_copy (request);
    g_autoptr(JsonObject) refusal = NULL;
    g_autoptr(GError) refused = NULL;

    complaint->type = BUURTEN_REQUEST_TYPE_KLACHT;
    g_assert_null (buurten_initiative_from_request (complaint, "x", 0, &refusal, &refused));
    g_assert_error (refused, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID);
    g_assert_null (buurten_initiative_from_request (linked, "x", 0, NULL, NULL));
  }
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  buurten_ui_register_resources ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/editors/instantiate", test_instantiate);
  ADD ("/editors/keys", test_keys);
  ADD ("/editors/leaks", test_leaks);
  ADD ("/editors/busy-notify", test_busy_notify);
  ADD ("/editors/dirty", test_dirty);
  ADD ("/editors/initiative/create", test_initiative_create);
  ADD ("/editors/initiative/amount-error", test_initiative_amount_error);
  ADD ("/editors/initiative/edit", test_initiative_edit);
  ADD ("/editors/request/create", test_request_create);
  ADD ("/editors/escalation/create", test_escalation_create);
  ADD ("/editors/meeting/create", test_meeting_create);
  ADD ("/editors/decision/refused", test_decision_refused);
  ADD ("/editors/decision/boundary", test_decision_boundary);
  ADD ("/editors/decision/four-eyes", test_decision_four_eyes);
  ADD ("/editors/decision/submit", test_decision_submit);
  ADD ("/editors/initiative/reject", test_initiative_reject);
  ADD ("/editors/escalation/close", test_escalation_close);
  ADD ("/editors/decision/per-initiative", test_decision_per_initiative);
  ADD ("/editors/decision/grants", test_decision_grants);
  ADD ("/editors/intake/iban", test_intake_iban);
  ADD ("/editors/intake/budget-lines", test_intake_budget_lines);
  ADD ("/editors/buurtdeal", test_buurtdeal);
  ADD ("/editors/request-to-initiative", test_request_to_initiative);

#undef ADD

  return g_test_run ();
}
