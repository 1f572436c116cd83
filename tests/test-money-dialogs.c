/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-money-dialogs"

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "buurten-application.h"
#include "buurten-context.h"
#include "buurten-form.h"
#include "buurten-payment-dialog.h"
#include "buurten-verantwoording-dialog.h"

#include "ui-fixture.h"

/* The payment and verantwoording dialogs (issue 14, point 6) against a
 * real store: an initiative in uitvoering with € 600 approved and € 200
 * paid. What each save writes is checked in the rows and the outbox. */

#define INITIATIVE "11111111-1111-4111-8111-111111111111"
#define LINE "22222222-2222-4222-8222-222222222222"
#define COMMITMENT "33333333-3333-4333-8333-333333333333"
#define PAYMENT "44444444-4444-4444-8444-444444444444"

/* The shared fixture with the initiative, its budget line, its approved
 * commitment and one payment. */
static void
money_fixture_setup (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BuurtenFormBatch) batch = NULL;
  BuurtenInitiative *initiative = buurten_initiative_new ();
  BuurtenBudgetLine *line = buurten_budget_line_new ();
  BuurtenCommitment *commitment = buurten_commitment_new ();
  BuurtenPayment *payment = buurten_payment_new ();

  fixture_setup (f, data);

  initiative->id = g_strdup (INITIATIVE);
  initiative->wijk = g_strdup ("centrum");
  initiative->title = g_strdup ("Buurtkoffie");
  initiative->requested_cents = 60000;
  initiative->state = BUURTEN_INITIATIVE_IN_PROGRESS;
  line->id = g_strdup (LINE);
  line->initiative_id = g_strdup (INITIATIVE);
  line->kind = BUURTEN_BUDGET_LINE_COST;
  line->description = g_strdup ("Koffie en thee");
  line->amount_cents = 60000;
  commitment->id = g_strdup (COMMITMENT);
  commitment->initiative_id = g_strdup (INITIATIVE);
  commitment->wijk = g_strdup ("centrum");
  commitment->funding = BUURTEN_FUNDING_WIJKBUDGET;
  commitment->year = YEAR;
  commitment->amount_cents = 60000;
  commitment->state = BUURTEN_COMMITMENT_APPROVED;
  payment->id = g_strdup (PAYMENT);
  payment->commitment_id = g_strdup (COMMITMENT);
  payment->amount_cents = 20000;
  g_date_set_dmy (&payment->paid_on, 1, 6, YEAR);

  batch = buurten_form_batch_new ("anna");
  buurten_form_batch_put (batch, &buurten_initiative_info, initiative, NULL, NULL);
  buurten_form_batch_put (batch, &buurten_budget_line_info, line, NULL, NULL);
  buurten_form_batch_put (batch, &buurten_commitment_info, commitment, NULL, NULL);
  buurten_form_batch_put (batch, &buurten_payment_info, payment, NULL, NULL);
  g_assert_true (buurten_form_batch_run (batch, f->store, &error));
  g_assert_no_error (error);
}

/* ---- helpers -------------------------------------------------------- */

static const char *
label_text (GtkWidget  *window,
            const char *name)
{
  GtkWidget *label = child (window, name);

  return gtk_widget_get_visible (label) ? gtk_label_get_label (GTK_LABEL (label)) : "";
}

static GtkWidget *
open_dialog (Fixture   *f,
             GtkWidget *window)
{
  g_object_ref_sink (window);
  g_signal_connect (window, "saved", G_CALLBACK (on_saved_cb), f);
  gtk_window_present (GTK_WINDOW (window));
  wait_sensitive (window);
  return window;
}

static void
save_dialog_and_wait (Fixture   *f,
                      GtkWidget *window)
{
  guint before = f->saved;
  guint id = add_watchdog ();

  g_assert_true (gtk_widget_activate_action (window, "editor.save", NULL));
  while (f->saved == before)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
}

static GPtrArray *
outbox_names (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = buurten_store_outbox (f->store, &error);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);

  g_assert_no_error (error);
  for (guint i = 0; i < entries->len; i++)
    g_ptr_array_add (names, g_strdup (((BuurtenOutboxEntry *) g_ptr_array_index (entries,
                                                                                 i))->name));
  return names;
}

static gint64
free_cents (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BuurtenThermometer) t = buurten_store_thermometer (f->store, f->municipality,
                                                               "centrum", YEAR, &error);

  g_assert_no_error (error);
  return t->free_cents;
}

/* ---- the tests ------------------------------------------------------ */

static void
test_payment (Fixture       *f,
              gconstpointer  data)
{
  GtkWidget *dialog = open_dialog (f, buurten_payment_dialog_new (f->context, INITIATIVE));
  g_autofree char *left = buurten_money_format (40000);
  g_autofree char *too_much = buurten_money_format (40001);
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GPtrArray) payments = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (adw_action_row_get_subtitle (child (dialog, "left_row")), ==, left);

  /* One cent beyond what is left: refused at the field, nothing written. */
  gtk_editable_set_text (child (dialog, "amount_row"), "400,01");
  g_assert_true (gtk_widget_activate_action (dialog, "editor.save", NULL));
  spin ();
  g_assert_cmpuint (f->saved, ==, 0);
  g_assert_nonnull (strstr (label_text (dialog, "amount_error_label"), too_much));
  g_assert_nonnull (strstr (label_text (dialog, "amount_error_label"), left));
  names = outbox_names (f);
  g_assert_cmpuint (names->len, ==, 0);
  g_clear_pointer (&names, g_ptr_array_unref);

  gtk_editable_set_text (child (dialog, "amount_row"), "150");
  gtk_editable_set_text (child (dialog, "reference_row"), "BI-2026-7");
  save_dialog_and_wait (f, dialog);
  names = outbox_names (f);
  g_assert_cmpuint (names->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (names, 0), ==, "payment.record");
  payments = buurten_store_list (f->store, &buurten_payment_info, "commitment_id", COMMITMENT,
                                 &error);
  g_assert_no_error (error);
  g_assert_cmpuint (payments->len, ==, 2);
  g_ptr_array_set_free_func (payments, (GDestroyNotify) buurten_payment_free);
  close_and_assert_finalized (dialog);
}

static void
test_verantwoording (Fixture       *f,
                     gconstpointer  data)
{
  GtkWidget *dialog = open_dialog (f, buurten_verantwoording_dialog_new (f->context,
                                                                         INITIATIVE));
  g_autofree char *release = buurten_money_format (40000);
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(BuurtenCommitment) commitment = NULL;
  g_autoptr(BuurtenBudgetLine) line = NULL;
  g_autoptr(BuurtenInitiative) initiative = NULL;
  g_autoptr(GError) error = NULL;
  gint64 free_before = free_cents (f);

  /* What will be released shows before saving. */
  g_assert_cmpstr (adw_action_row_get_subtitle (child (dialog, "release_row")), ==, release);
  g_assert_true (gtk_widget_get_visible (child (dialog, "done_check")));

  /* Feedback is one of the principles: required. */
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (child (dialog, "happened_view")),
                            "Elke zaterdag koffie", -1);
  g_assert_true (gtk_widget_activate_action (dialog, "editor.save", NULL));
  spin ();
  g_assert_cmpuint (f->saved, ==, 0);
  g_assert_cmpstr (label_text (dialog, "feedback_error_label"), !=, "");

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (child (dialog, "feedback_view")),
                            "In de buurtkrant", -1);
  gtk_check_button_set_active (child (dialog, "done_check"), TRUE);
  save_dialog_and_wait (f, dialog);

  names = outbox_names (f);
  g_assert_cmpuint (names->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (names, 0), ==, "verantwoording.record");
  g_assert_cmpstr (g_ptr_array_index (names, 1), ==, "initiative.transition");
  commitment = buurten_store_get (f->store, &buurten_commitment_info, COMMITMENT, &error);
  g_assert_no_error (error);
  g_assert_cmpint (commitment->released_cents, ==, 40000);
  line = buurten_store_get (f->store, &buurten_budget_line_info, LINE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (line->actual_cents, ==, 60000);
  initiative = buurten_store_get (f->store, &buurten_initiative_info, INITIATIVE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (initiative->state, ==, BUURTEN_INITIATIVE_DONE);
  /* The thermometer's free budget rises by the release, to the cent. */
  g_assert_cmpint (free_cents (f), ==, free_before + 40000);
  close_and_assert_finalized (dialog);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  buurten_ui_register_resources ();

  g_test_add ("/money-dialogs/payment", Fixture, NULL, money_fixture_setup, test_payment,
              fixture_teardown);
  g_test_add ("/money-dialogs/verantwoording", Fixture, NULL, money_fixture_setup,
              test_verantwoording, fixture_teardown);

  return g_test_run ();
}
