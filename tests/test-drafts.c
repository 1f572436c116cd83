/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-drafts"

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include <glib/gi18n.h>

#include "buurten-activities-editor.h"
#include "buurten-application.h"
#include "buurten-attention-window.h"
#include "buurten-budget-lines-editor.h"
#include "buurten-context.h"
#include "buurten-draft.h"
#include "buurten-escalation-editor.h"
#include "buurten-form.h"
#include "buurten-initiative-editor.h"
#include "buurten-meeting-editor.h"
#include "buurten-request-editor.h"
#include "buurten-store-initiative.h"

#include "ui-fixture.h"

/* Drafts (issue 14, point 8): a refused create or edit, and a conflict's
 * own side, opened again in its editor against a real store in a
 * temporary directory; and the late decisions "Needs attention" counts
 * (point 3). */

/* ---- drafts of refused changes (issue 14, point 8) ------------------- */

/* What sync does with a refusal: the outbox row answered and gone, the
 * mutation as sent kept in "Needs attention", and the object as the
 * server has it (a refused create: none). Returns the item. */
static BuurtenAttention *
refuse_last (Fixture                 *f,
             const BuurtenEntityInfo *info,
             gboolean                 drop_row)
{
  g_autoptr(GPtrArray) entries = outbox (f);
  g_autoptr(BuurtenAttention) item = g_new0 (BuurtenAttention, 1);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  const BuurtenOutboxEntry *entry;
  g_autoptr(JsonObject) args = NULL;

  g_assert_cmpuint (entries->len, >, 0);
  entry = g_ptr_array_index (entries, entries->len - 1);
  args = parse_args (entry);
  item->kind = g_strdup ("rejected");
  item->mutation = g_strdup (entry->name);
  item->args_json = g_strdup (entry->args_json);
  item->object_type = g_strdup (info->name);
  item->object_id = g_strdup (json_object_get_string_member (args, "id"));
  item->code = g_strdup ("VALIDATION");
  item->message = g_strdup ("refused");
  g_assert_true (buurten_store_outbox_remove (f->store, entry->seq, &error));
  g_assert_no_error (error);
  if (drop_row)
    g_assert_cmpint (buurten_store_apply_remote_delete (f->store, info, item->object_id, &error),
                     ==, BUURTEN_REMOTE_APPLIED);
  g_assert_no_error (error);
  g_assert_true (buurten_store_add_attention (f->store, item, &error));
  g_assert_no_error (error);

  items = buurten_store_list_attention (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 1);
  return g_steal_pointer (&g_ptr_array_index (items, 0));
}

static const char *
text_of (GtkWidget  *window,
         const char *name)
{
  return gtk_editable_get_text (GTK_EDITABLE (child (window, name)));
}

static char *
view_text_of (GtkWidget  *window,
              const char *name)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (child (window, name));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static gint64
open_attention (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = buurten_store_list_attention (f->store, &error);

  g_assert_no_error (error);
  return items->len;
}

static void
test_draft_request_create (Fixture       *f,
                           gconstpointer  data)
{
  GtkWidget *editor = open_window (f, buurten_request_editor_new (f->context, "centrum", NULL));
  g_autoptr(BuurtenAttention) item = NULL;
  g_autoptr(BuurtenRequest) draft = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(JsonObject) args = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;
  g_autofree char *first_id = NULL;

  set_text (editor, "title_row", "Losliggende stoeptegels Kerkbrink");
  adw_combo_row_set_selected (child (editor, "type_row"), BUURTEN_REQUEST_TYPE_KLACHT);
  set_view_text (editor, "description_view", "Bij nummer 12 liggen drie tegels los.");
  set_text (editor, "reporter_name_row", "J. Jansen");
  set_text (editor, "reporter_contact_row", "06-12345678");
  set_text (editor, "category_row", "Openbare ruimte");
  set_text (editor, "received_row", "1-10-2026");
  save_and_wait (f, editor, "editor.save");
  first_id = g_strdup (f->saved_id);

  item = refuse_last (f, &buurten_request_info, TRUE);
  g_assert_true (buurten_draft_possible (item, NULL));
  draft = buurten_draft_build (item, NULL, &error);
  g_assert_no_error (error);

  /* Every field as entered. */
  editor = g_object_ref (open_window (f, buurten_draft_open (NULL, f->context, item, draft, NULL)));
  while (!gtk_widget_get_mapped (editor))
    g_main_context_iteration (NULL, TRUE);
  spin ();
  g_assert_cmpint (buurten_editor_get_attention_id (BUURTEN_EDITOR (editor)), ==, item->id);
  g_assert_cmpstr (text_of (editor, "title_row"), ==, "Losliggende stoeptegels Kerkbrink");
  g_assert_cmpuint (adw_combo_row_get_selected (child (editor, "type_row")), ==,
                    BUURTEN_REQUEST_TYPE_KLACHT);
  description = view_text_of (editor, "description_view");
  g_assert_cmpstr (description, ==, "Bij nummer 12 liggen drie tegels los.");
  g_assert_cmpstr (text_of (editor, "reporter_name_row"), ==, "J. Jansen");
  g_assert_cmpstr (text_of (editor, "reporter_contact_row"), ==, "06-12345678");
  g_assert_cmpstr (text_of (editor, "category_row"), ==, "Openbare ruimte");
  g_assert_cmpstr (text_of (editor, "received_row"), ==, "01-10-2026");

  /* Changed and sent again: a new create, the item resolved with it. */
  set_text (editor, "title_row", "Losse stoeptegels Kerkbrink 12");
  save_and_wait (f, editor, "editor.save");
  g_assert_cmpstr (f->saved_id, !=, first_id);
  entries = outbox (f);
  assert_names (entries, 0, (const char * const[]) { "request.create", NULL });
  args = parse_args (g_ptr_array_index (entries, 0));
  g_assert_cmpstr (json_object_get_string_member (args, "title"), ==,
                   "Losse stoeptegels Kerkbrink 12");
  g_assert_cmpstr (json_object_get_string_member (args, "type"), ==, "klacht");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (args,
                                                                                 "reporter"),
                                                  "name"), ==, "J. Jansen");
  g_assert_cmpint (open_attention (f), ==, 0);
  close_and_assert_finalized (editor);
}

static void
test_draft_initiative_update (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *id = add_initiative (f, "Zomeravond", 40000, BUURTEN_INITIATIVE_IDEA);
  GtkWidget *editor = open_window (f, buurten_initiative_editor_new (f->context, NULL, id));
  g_autoptr(BuurtenAttention) item = NULL;
  g_autoptr(BuurtenInitiative) current = NULL;
  g_autoptr(BuurtenInitiative) draft = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(JsonObject) args = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *set;

  wait_sensitive (editor);
  set_text (editor, "title_row", "Zomeravond op het plein");
  set_text (editor, "amount_row", "1.234,50");
  save_and_wait (f, editor, "editor.save");

  /* Refused: the server's row (the old one) comes back. */
  item = refuse_last (f, &buurten_initiative_info, FALSE);
  {
    g_autoptr(BuurtenInitiative) old = get_initiative (f, id);

    g_free (old->title);
    old->title = g_strdup ("Zomeravond");
    old->requested_cents = 40000;
    buurten_store_put (f->store, &buurten_initiative_info, old, "seed", NULL, NULL, &error);
    g_assert_no_error (error);
  }

  current = get_initiative (f, id);
  draft = buurten_draft_build (item, current, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (draft->title, ==, "Zomeravond op het plein");
  g_assert_cmpint (draft->requested_cents, ==, 123450);
  g_assert_cmpstr (draft->theme, ==, current->theme);

  editor = g_object_ref (open_window (f, buurten_draft_open (NULL, f->context, item, draft, NULL)));
  wait_sensitive (editor);
  spin ();
  g_assert_cmpstr (text_of (editor, "title_row"), ==, "Zomeravond op het plein");
  {
    g_autofree char *amount = buurten_money_format (123450);

    g_assert_cmpstr (text_of (editor, "amount_row"), ==, amount);
  }
  set_text (editor, "title_row", "Zomeravond op het Kerkplein");
  save_and_wait (f, editor, "editor.save");
  g_assert_cmpstr (f->saved_id, ==, id);

  entries = outbox (f);
  assert_names (entries, 0, (const char * const[]) { "initiative.update", NULL });
  args = parse_args (g_ptr_array_index (entries, 0));
  set = json_object_get_object_member (args, "set");
  g_assert_cmpstr (json_object_get_string_member (set, "title"), ==,
                   "Zomeravond op het Kerkplein");
  g_assert_cmpint (json_object_get_int_member (set, "requested_cents"), ==, 123450);
  g_assert_cmpint (open_attention (f), ==, 0);
  close_and_assert_finalized (editor);
}

/* The decision term in "Needs attention" (issue 14, point 3). */
static void
test_overdue_initiatives (Fixture       *f,
                          gconstpointer  data)
{
  static const struct { const char *title; int weeks_ago; BuurtenInitiativeState state; } rows[] = {
    { "Te laat", 15, BUURTEN_INITIATIVE_SUBMITTED },     /* due 2 weeks ago */
    { "Op tijd", 12, BUURTEN_INITIATIVE_SUBMITTED },     /* due next week */
    { "Besloten", 20, BUURTEN_INITIATIVE_GRANTED },      /* decided */
  };
  g_autoptr(GPtrArray) late = NULL;
  g_autoptr(GError) error = NULL;
  GDate today;

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 15, G_DATE_OCTOBER, YEAR);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *id = add_initiative (f, rows[i].title, 100000, rows[i].state);
      g_autoptr(BuurtenInitiative) initiative = get_initiative (f, id);

      initiative->submitted_on = today;
      g_date_subtract_days (&initiative->submitted_on, rows[i].weeks_ago * 7);
      buurten_store_put (f->store, &buurten_initiative_info, initiative, "seed", NULL, NULL,
                         &error);
      g_assert_no_error (error);
    }

  late = buurten_store_list_overdue_initiatives (f->store, &today, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (late->len, ==, 1);
  g_assert_cmpstr (((BuurtenOverdueInitiative *) g_ptr_array_index (late, 0))->initiative->title,
                   ==, "Te laat");
  g_assert_cmpint (((BuurtenOverdueInitiative *) g_ptr_array_index (late, 0))->days_late, ==, 14);

  /* The attention count (the header's button) includes it. */
  buurten_store_set_attention_today (f->store, &today);
  g_assert_cmpint (buurten_store_attention_count (f->store, NULL), ==, 1);
  g_date_add_days (&today, 8);  /* a day past the second one's term */
  buurten_store_set_attention_today (f->store, &today);
  g_assert_cmpint (buurten_store_attention_count (f->store, NULL), ==, 2);
}

/* A conflict's own side opens as a draft: the object as it is now, with
 * my value in the field. */
static void
test_draft_conflict (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *id = add_initiative (f, "Zomeravond", 40000, BUURTEN_INITIATIVE_IDEA);
  g_autoptr(BuurtenAttention) item = g_new0 (BuurtenAttention, 1);
  g_autoptr(BuurtenInitiative) current = get_initiative (f, id);
  g_autoptr(BuurtenInitiative) draft = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(JsonObject) args = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *editor;

  item->kind = g_strdup ("conflict");
  item->object_type = g_strdup ("initiative");
  item->object_id = g_strdup (id);
  item->field = g_strdup ("title");
  item->theirs_json = g_strdup ("\"Zomeravond\"");
  item->yours_json = g_strdup ("\"Zomeravond met muziek\"");
  item->conflict_id = buurten_uuid_new ();
  g_assert_true (buurten_store_add_attention (f->store, item, &error));
  g_assert_no_error (error);
  items = buurten_store_list_attention (f->store, &error);
  g_assert_no_error (error);
  item->id = ((BuurtenAttention *) g_ptr_array_index (items, 0))->id;

  g_assert_true (buurten_draft_possible (item, NULL));
  draft = buurten_draft_build (item, current, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (draft->title, ==, "Zomeravond met muziek");
  g_assert_cmpint (draft->requested_cents, ==, 40000);

  /* A value of the wrong type is an error, never a critical. */
  {
    g_autoptr(BuurtenAttention) bad = g_new0 (BuurtenAttention, 1);
    g_autoptr(GError) bad_error = NULL;

    bad->kind = g_strdup ("conflict");
    bad->object_type = g_strdup ("initiative");
    bad->object_id = g_strdup (id);
    bad->field = g_strdup ("title");
    bad->yours_json = g_strdup ("[1, 2]");
    g_assert_null (buurten_draft_build (bad, current, &bad_error));
    g_assert_nonnull (bad_error);
  }

  editor = g_object_ref (open_window (f, buurten_draft_open (NULL, f->context, item, draft, NULL)));
  wait_sensitive (editor);
  spin ();
  g_assert_cmpstr (text_of (editor, "title_row"), ==, "Zomeravond met muziek");
  save_and_wait (f, editor, "editor.save");
  entries = outbox (f);
  assert_names (entries, 0, (const char * const[]) { "initiative.update", NULL });
  args = parse_args (g_ptr_array_index (entries, 0));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (args, "set"),
                                                  "title"), ==, "Zomeravond met muziek");
  g_assert_cmpint (open_attention (f), ==, 0);
  close_and_assert_finalized (editor);
}

/* The meeting and escalation forms take their drafts too. */
static void
test_draft_meeting_escalation (Fixture       *f,
                               gconstpointer  data)
{
  g_autofree char *subject = add_initiative (f, "Buurtfeest", 40000, BUURTEN_INITIATIVE_IDEA);
  GtkWidget *editor = open_window (f, buurten_meeting_editor_new (f->context, "centrum", NULL));
  g_autoptr(BuurtenAttention) item = NULL;
  g_autoptr(BuurtenMeeting) meeting = NULL;
  g_autoptr(BuurtenEscalation) escalation = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(JsonObject) args = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;

  set_text (editor, "date_row", "12-11-2026");
  set_text (editor, "time_row", "19.30");
  set_text (editor, "location_row", "Buurthuis De Koepel");
  save_and_wait (f, editor, "editor.save");
  item = refuse_last (f, &buurten_meeting_info, TRUE);
  meeting = buurten_draft_build (item, NULL, &error);
  g_assert_no_error (error);
  editor = g_object_ref (open_window (f, buurten_draft_open (NULL, f->context, item, meeting, NULL)));
  while (!gtk_widget_get_mapped (editor))
    g_main_context_iteration (NULL, TRUE);
  spin ();
  g_assert_cmpstr (text_of (editor, "location_row"), ==, "Buurthuis De Koepel");
  g_assert_cmpstr (text_of (editor, "date_row"), ==, "12-11-2026");
  set_text (editor, "location_row", "Buurthuis De Vaart");
  save_and_wait (f, editor, "editor.save");
  close_and_assert_finalized (editor);
  entries = outbox (f);
  assert_names (entries, 0, (const char * const[]) { "meeting.create", NULL });
  args = parse_args (g_ptr_array_index (entries, 0));
  g_assert_cmpstr (json_object_get_string_member (args, "location"), ==, "Buurthuis De Vaart");
  g_assert_cmpint (open_attention (f), ==, 0);
  g_assert_true (buurten_store_outbox_remove (f->store, G_MAXINT64, &error));
  g_assert_no_error (error);

  editor = open_window (f, buurten_escalation_editor_new (f->context, "centrum", NULL));
  buurten_escalation_editor_set_subject (BUURTEN_ESCALATION_EDITOR (editor), "initiative",
                                         subject, "Buurtfeest");
  adw_combo_row_set_selected (child (editor, "level_row"), BUURTEN_LEVEL_BUDGET);
  set_view_text (editor, "reason_view", "Het richtbudget dreigt overschreden te worden.");
  save_and_wait (f, editor, "editor.save");
  g_clear_pointer (&item, buurten_attention_free);
  item = refuse_last (f, &buurten_escalation_info, TRUE);
  escalation = buurten_draft_build (item, NULL, &error);
  g_assert_no_error (error);
  editor = g_object_ref (open_window (f, buurten_draft_open (NULL, f->context, item,
                                                             escalation, NULL)));
  while (!gtk_widget_get_mapped (editor))
    g_main_context_iteration (NULL, TRUE);
  spin ();
  g_assert_cmpuint (adw_combo_row_get_selected (child (editor, "level_row")), ==,
                    BUURTEN_LEVEL_BUDGET);
  reason = view_text_of (editor, "reason_view");
  g_assert_cmpstr (reason, ==, "Het richtbudget dreigt overschreden te worden.");
  save_and_wait (f, editor, "editor.save");
  close_and_assert_finalized (editor);
  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = outbox (f);
  assert_names (entries, 0, (const char * const[]) { "escalation.open", NULL });
  g_clear_pointer (&args, json_object_unref);
  args = parse_args (g_ptr_array_index (entries, 0));
  g_assert_cmpstr (json_object_get_string_member (args, "subject_id"), ==, subject);
  g_assert_cmpstr (json_object_get_string_member (args, "target"), ==,
                   "Teammanager Samenleving");
  g_assert_cmpint (open_attention (f), ==, 0);
}

/* ---- a refused create with its plan (issue 14, point 8) --------------- */

/* A refused mutation in "Needs attention", as sync records it. */
static void
add_refused (Fixture                 *f,
             BuurtenMutationId        mutation,
             const BuurtenEntityInfo *info,
             gconstpointer            entity,
             const char              *object_id)
{
  g_autoptr(BuurtenAttention) item = g_new0 (BuurtenAttention, 1);
  g_autoptr(JsonNode) args = buurten_form_args (mutation, info, entity);
  g_autoptr(GError) error = NULL;

  item->kind = g_strdup ("rejected");
  item->mutation = g_strdup (buurten_mutation_name (mutation));
  item->args_json = json_to_string (args, FALSE);
  item->object_type = g_strdup (info->name);
  item->object_id = g_strdup (object_id);
  item->code = g_strdup ("VALIDATION");
  item->message = g_strdup ("refused");
  g_assert_true (buurten_store_add_attention (f->store, item, &error));
  g_assert_no_error (error);
}

/* A refused initiative.create sent in one batch with two budget lines and
 * a date; and a budget line of another initiative. Returns the items. */
static GPtrArray *
refuse_initiative_with_plan (Fixture *f)
{
  g_autoptr(BuurtenInitiative) initiative = buurten_initiative_new ();
  g_autoptr(BuurtenBudgetLine) cost = buurten_budget_line_new ();
  g_autoptr(BuurtenBudgetLine) income = buurten_budget_line_new ();
  g_autoptr(BuurtenBudgetLine) other = buurten_budget_line_new ();
  g_autoptr(BuurtenActivity) activity = buurten_activity_new ();
  g_autoptr(GError) error = NULL;
  GPtrArray *items;

  initiative->id = buurten_uuid_new ();
  initiative->wijk = g_strdup ("centrum");
  initiative->title = g_strdup ("Burendag Kerkbrink");
  initiative->organiser = g_strdup ("J. Jansen");
  initiative->state = BUURTEN_INITIATIVE_IDEA;
  initiative->requested_cents = 50000;
  initiative->received_at = g_get_real_time () / G_USEC_PER_SEC;
  add_refused (f, BUURTEN_MUTATION_INITIATIVE_CREATE, &buurten_initiative_info, initiative,
               initiative->id);

  cost->id = buurten_uuid_new ();
  cost->initiative_id = g_strdup (initiative->id);
  cost->kind = BUURTEN_BUDGET_LINE_COST;
  cost->description = g_strdup ("Springkussen");
  cost->amount_cents = 60000;
  cost->position = 0;
  income->id = buurten_uuid_new ();
  income->initiative_id = g_strdup (initiative->id);
  income->kind = BUURTEN_BUDGET_LINE_INCOME;
  income->description = g_strdup ("Bijdrage winkeliers");
  income->amount_cents = 10000;
  income->position = 1;
  /* Sent in the other order: the draft keeps their positions. */
  add_refused (f, BUURTEN_MUTATION_BUDGET_LINE_ADD, &buurten_budget_line_info, income,
               income->id);
  add_refused (f, BUURTEN_MUTATION_BUDGET_LINE_ADD, &buurten_budget_line_info, cost, cost->id);

  activity->id = buurten_uuid_new ();
  activity->initiative_id = g_strdup (initiative->id);
  g_date_clear (&activity->starts_on, 1);
  g_date_set_dmy (&activity->starts_on, 19, G_DATE_SEPTEMBER, YEAR);
  activity->title = g_strdup ("Burendag");
  activity->place = g_strdup ("Kerkplein");
  add_refused (f, BUURTEN_MUTATION_ACTIVITY_ADD, &buurten_activity_info, activity,
               activity->id);

  /* Another initiative's line stays its own item. */
  other->id = buurten_uuid_new ();
  other->initiative_id = buurten_uuid_new ();
  other->kind = BUURTEN_BUDGET_LINE_COST;
  other->description = g_strdup ("Tent");
  other->amount_cents = 20000;
  add_refused (f, BUURTEN_MUTATION_BUDGET_LINE_ADD, &buurten_budget_line_info, other, other->id);

  /* A line of this initiative whose args make no line (an unknown kind)
   * is no part of its draft: it stays its own item. */
  {
    g_autoptr(BuurtenAttention) bad = g_new0 (BuurtenAttention, 1);

    bad->kind = g_strdup ("rejected");
    bad->mutation = g_strdup ("budget_line.add");
    bad->args_json = g_strdup_printf ("{\"id\": \"%s\", \"initiative_id\": \"%s\","
                                      " \"kind\": \"cost\", \"description\": \"Tent\","
                                      " \"amount_cents\": 100}",
                                      other->initiative_id, initiative->id);
    bad->object_type = g_strdup ("budget_line");
    bad->code = g_strdup ("VALIDATION");
    bad->message = g_strdup ("refused");
    g_assert_true (buurten_store_add_attention (f->store, bad, &error));
    g_assert_no_error (error);
  }

  items = buurten_store_list_attention (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 6);
  return items;
}

/* Whether an editable under widget shows text. */
static gboolean
shows_text (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_EDITABLE (widget) && GTK_IS_ENTRY (widget) &&
      g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (widget)), text) == 0)
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    if (shows_text (c, text))
      return TRUE;
  return FALSE;
}

static void
test_draft_initiative_plan (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GPtrArray) items = refuse_initiative_with_plan (f);
  g_autoptr(GHashTable) plans = buurten_draft_find_plans (items);
  g_autoptr(BuurtenInitiative) draft = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  BuurtenAttention *item = g_ptr_array_index (items, 0);
  BuurtenBudgetBalance balance;
  GPtrArray *plan;
  GtkWidget *editor;

  /* The create's plan: its two lines and its date, not the other
   * initiative's line nor the one that makes no line. */
  g_assert_cmpuint (g_hash_table_size (plans), ==, 1);
  plan = g_hash_table_lookup (plans, item);
  g_assert_nonnull (plan);
  g_assert_cmpuint (plan->len, ==, 3);
  for (guint i = 0; i < plan->len; i++)
    g_assert_true (g_ptr_array_index (plan, i) == g_ptr_array_index (items, i + 1));

  draft = buurten_draft_build (item, NULL, &error);
  g_assert_no_error (error);
  editor = g_object_ref (open_window (f, buurten_draft_open (NULL, f->context, item, draft,
                                                             plan)));
  while (!gtk_widget_get_mapped (editor))
    g_main_context_iteration (NULL, TRUE);
  spin ();

  /* The lines and the date as entered; the balance is the amount asked. */
  g_assert_cmpstr (text_of (editor, "title_row"), ==, "Burendag Kerkbrink");
  g_assert_cmpuint (buurten_budget_lines_editor_get_n_lines (child (editor,
                                                                    "budget_lines_editor")),
                    ==, 2);
  buurten_budget_lines_editor_get_balance (child (editor, "budget_lines_editor"), &balance);
  g_assert_cmpint (balance.costs_cents, ==, 60000);
  g_assert_cmpint (balance.asked_cents, ==, 50000);
  g_assert_false (gtk_widget_get_visible (child (editor, "amount_group")));
  g_assert_true (shows_text (child (editor, "budget_lines_editor"), "Springkussen"));
  g_assert_true (shows_text (child (editor, "budget_lines_editor"), "Bijdrage winkeliers"));
  g_assert_cmpuint (buurten_activities_editor_get_n_activities (
                      child (editor, "activities_editor")), ==, 1);
  g_assert_true (shows_text (child (editor, "activities_editor"), "19-09-2026"));
  g_assert_true (shows_text (child (editor, "activities_editor"), "Kerkplein"));

  /* Sent again in one batch: the four items resolved with it, the other
   * two stay. */
  save_and_wait (f, editor, "editor.save");
  entries = outbox (f);
  assert_names (entries, 0, (const char * const[]) { "initiative.create", "budget_line.add",
                                                     "budget_line.add", "activity.add",
                                                     NULL });
  for (guint i = 1; i < entries->len; i++)
    {
      g_autoptr(JsonObject) args = parse_args (g_ptr_array_index (entries, i));

      g_assert_cmpstr (json_object_get_string_member (args, "initiative_id"), ==, f->saved_id);
      /* In their positions, as entered. */
      if (i == 1)
        {
          g_assert_cmpstr (json_object_get_string_member (args, "description"), ==,
                           "Springkussen");
          g_assert_cmpint (json_object_get_int_member (args, "amount_cents"), ==, 60000);
        }
      if (i == 2)
        g_assert_cmpstr (json_object_get_string_member (args, "description"), ==,
                         "Bijdrage winkeliers");
      if (i == 3)
        g_assert_cmpstr (json_object_get_string_member (args, "starts_on"), ==, "2026-09-19");
    }
  {
    g_autoptr(JsonObject) args = parse_args (g_ptr_array_index (entries, 0));

    g_assert_cmpint (json_object_get_int_member (args, "requested_cents"), ==, 50000);
  }
  g_assert_cmpint (open_attention (f), ==, 2);
  close_and_assert_finalized (editor);
}

static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_button (c, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static guint
n_children (GtkWidget *widget)
{
  guint n = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    n++;
  return n;
}

/* "Needs attention" lists the lines and the date under their create, and
 * discarding the create discards them too. */
static void
test_attention_initiative_plan (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GPtrArray) items = refuse_initiative_with_plan (f);
  GtkWidget *window = g_object_ref (buurten_attention_window_new (NULL, f->store, "anna"));
  GtkWidget *discard;
  AdwMessageDialog *dialog = NULL;
  guint watchdog = add_watchdog ();

  gtk_window_present (GTK_WINDOW (window));
  while (n_children (child (window, "items_box")) == 0)
    g_main_context_iteration (NULL, TRUE);
  spin ();
  /* The create (with its plan under it) and the two lines apart. */
  g_assert_cmpuint (n_children (child (window, "items_box")), ==, 3);

  discard = find_button (gtk_widget_get_first_child (child (window, "items_box")),
                         _("_Discard…"));
  g_assert_nonnull (discard);
  gtk_widget_activate (discard);
  spin ();
  {
    GListModel *toplevels = gtk_window_get_toplevels ();  /* not ours */

    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

        if (ADW_IS_MESSAGE_DIALOG (toplevel))
          dialog = ADW_MESSAGE_DIALOG (toplevel);
      }
  }
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "discard");
  while (open_attention (f) != 2)
    g_main_context_iteration (NULL, TRUE);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) left = buurten_store_list_attention (f->store, &error);

    g_assert_no_error (error);
    for (guint i = 0; i < 2; i++)
      g_assert_cmpint (((BuurtenAttention *) g_ptr_array_index (left, i))->id, ==,
                       ((BuurtenAttention *) g_ptr_array_index (items, i + 4))->id);
  }
  g_source_remove (watchdog);
  close_and_assert_finalized (window);
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

  ADD ("/drafts/request-create", test_draft_request_create);
  ADD ("/drafts/initiative-update", test_draft_initiative_update);
  ADD ("/drafts/conflict", test_draft_conflict);
  ADD ("/drafts/meeting-escalation", test_draft_meeting_escalation);
  ADD ("/drafts/initiative-plan", test_draft_initiative_plan);
  ADD ("/attention/initiative-plan", test_attention_initiative_plan);
  ADD ("/attention/overdue", test_overdue_initiatives);

#undef ADD

  return g_test_run ();
}
