/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-detail"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "buurten-application.h"
#include "buurten-initiative-detail.h"
#include "buurten-notes-view.h"

#include "ui-fixture.h"

/* The initiative's detail page and the notes view (issue 14, point 7),
 * against a real store; test-widgets.c has the other widgets. */

static guint
count_children (GtkWidget *widget)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += gtk_widget_get_visible (child);
  return n;
}

/* The initiative's detail loads its story in one load and shows a section
 * per part; it and the notes view are finalized with their last reference,
 * also when they close while loading. */
static void
test_initiative_detail (void)
{
  g_autoptr(BuurtenMunicipality) municipality = load_municipality ();
  g_autofree char *dir = g_dir_make_tmp ("buurten-widgets-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "buurten.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BuurtenStore) store = buurten_store_open (path, &error);
  g_autoptr(BuurtenInitiative) initiative = buurten_initiative_new ();
  g_autoptr(BuurtenBudgetLine) line = buurten_budget_line_new ();
  g_autoptr(BuurtenNote) note = buurten_note_new ();
  BuurtenContext *context;
  GtkWidget *detail;
  GtkWidget *notes;
  GtkWidget *box;

  g_assert_no_error (error);
  initiative->id = buurten_uuid_new ();
  initiative->wijk = g_strdup ("centrum");
  initiative->title = g_strdup ("Buurtfeest");
  initiative->organiser = g_strdup ("A. de Vries");
  initiative->requested_cents = 150000;
  g_assert_true (buurten_store_put (store, &buurten_initiative_info, initiative, "test", NULL,
                                    NULL, &error));
  g_assert_no_error (error);
  line->id = buurten_uuid_new ();
  line->initiative_id = g_strdup (initiative->id);
  line->description = g_strdup ("Tent");
  line->amount_cents = 150000;
  g_assert_true (buurten_store_put (store, &buurten_budget_line_info, line, "test", NULL, NULL,
                                    &error));
  note->id = buurten_uuid_new ();
  note->subject_type = g_strdup ("initiative");
  note->subject_id = g_strdup (initiative->id);
  note->body = g_strdup ("Gebeld met de organisator");
  note->author = g_strdup ("test");
  g_assert_true (buurten_store_put (store, &buurten_note_info, note, "test", NULL, NULL, &error));
  g_assert_no_error (error);

  context = buurten_context_new (store, municipality, NULL, YEAR);
  detail = g_object_ref_sink (buurten_initiative_detail_new ());
  buurten_initiative_detail_set_context (BUURTEN_INITIATIVE_DETAIL (detail), context);
  buurten_initiative_detail_set_initiative_id (BUURTEN_INITIATIVE_DETAIL (detail), initiative->id);
  g_assert_cmpstr (buurten_initiative_detail_get_initiative_id (BUURTEN_INITIATIVE_DETAIL (detail)),
                   ==, initiative->id);
  box = gtk_widget_get_first_child (detail);
  /* Loading: the spinner only; loaded: the eleven sections. */
  for (int i = 0; count_children (box) < 11 && i < 5000; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_cmpuint (count_children (box), ==, 11);

  /* A payment (which the list does not reload for) loads the story again. */
  buurten_context_notify_changed (context, "payment", NULL);
  g_assert_cmpuint (count_children (box), ==, 1);
  for (int i = 0; count_children (box) < 11 && i < 5000; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_cmpuint (count_children (box), ==, 11);

  /* Closing while a load runs. */
  buurten_initiative_detail_reload (BUURTEN_INITIATIVE_DETAIL (detail));
  wait_finalize (detail);

  notes = g_object_ref_sink (buurten_notes_view_new ());
  buurten_notes_view_set_context (BUURTEN_NOTES_VIEW (notes), context);
  buurten_notes_view_set_subject (BUURTEN_NOTES_VIEW (notes), "initiative", initiative->id, TRUE);
  g_assert_cmpstr (buurten_notes_view_get_subject_id (BUURTEN_NOTES_VIEW (notes)), ==,
                   initiative->id);
  wait_finalize (notes);

  wait_finalize (context);
  g_clear_object (&store);
  g_remove (path);
  g_remove (dir);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  buurten_ui_register_resources ();

  g_test_add_func ("/detail/initiative-detail", test_initiative_detail);

  return g_test_run ();
}
