/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>

#include "buurten-store-initiative.h"

static void
put_initiative (BuurtenStore           *store,
                const char             *title,
                const char             *wijk,
                BuurtenInitiativeState  state,
                int                     month,
                int                     day)
{
  g_autoptr(BuurtenInitiative) initiative = buurten_initiative_new ();
  g_autoptr(GError) error = NULL;

  initiative->id = buurten_uuid_new ();
  initiative->wijk = g_strdup (wijk);
  initiative->title = g_strdup (title);
  initiative->state = state;
  if (month > 0)
    g_date_set_dmy (&initiative->submitted_on, (GDateDay) day, (GDateMonth) month, 2026);
  g_assert_true (buurten_store_put (store, &buurten_initiative_info, initiative, "test", NULL,
                                    NULL, &error));
  g_assert_no_error (error);
}

/* The dashboard's initiatives past their decision term: core's rule on
 * the stored application dates, most days late first. */
static void
test_overdue_initiatives (void)
{
  g_autofree char *dir = g_dir_make_tmp ("buurten-store-initiative-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "buurten.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BuurtenStore) store = buurten_store_open (path, &error);
  g_autoptr(GPtrArray) overdue = NULL;
  const BuurtenOverdueInitiative *first;
  const BuurtenOverdueInitiative *second;
  GDate today;

  g_assert_no_error (error);
  /* Submitted 2 September and 20 August: due 2 December and 19 November. */
  put_initiative (store, "Late", "centrum", BUURTEN_INITIATIVE_CHECKED, 9, 2);
  put_initiative (store, "Later", "centrum", BUURTEN_INITIATIVE_SUBMITTED, 8, 20);
  put_initiative (store, "In time", "centrum", BUURTEN_INITIATIVE_SUBMITTED, 11, 1);
  put_initiative (store, "Decided", "centrum", BUURTEN_INITIATIVE_GRANTED, 1, 5);
  put_initiative (store, "No date", "centrum", BUURTEN_INITIATIVE_SUBMITTED, 0, 0);
  put_initiative (store, "Elsewhere", "oost", BUURTEN_INITIATIVE_SUBMITTED, 1, 5);
  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 7, 12, 2026);

  overdue = buurten_store_overdue_initiatives (store, "centrum", 13, &today, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (overdue->len, ==, 2);
  first = g_ptr_array_index (overdue, 0);
  second = g_ptr_array_index (overdue, 1);
  g_assert_cmpstr (first->initiative->title, ==, "Later");
  g_assert_cmpint (first->days_late, ==, 18);
  g_assert_cmpstr (second->initiative->title, ==, "Late");
  g_assert_cmpint (second->days_late, ==, 5);
  g_assert_cmpint (g_date_get_day (&second->due), ==, 2);
  g_assert_cmpint (g_date_get_month (&second->due), ==, 12);

  /* The due day itself is not late. */
  g_date_set_dmy (&today, 2, 12, 2026);
  g_clear_pointer (&overdue, g_ptr_array_unref);
  overdue = buurten_store_overdue_initiatives (store, "centrum", 13, &today, &error);
  g_assert_cmpuint (overdue->len, ==, 1);

  /* No term in the municipality file: nothing is late. */
  g_clear_pointer (&overdue, g_ptr_array_unref);
  overdue = buurten_store_overdue_initiatives (store, "centrum", 0, &today, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (overdue->len, ==, 0);

  g_clear_object (&store);
  g_remove (path);
  g_remove (wal);
  g_remove (shm);
  g_remove (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store-initiative/overdue", test_overdue_initiatives);

  return g_test_run ();
}
