/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ui-fixture"

#include "config.h"

#include "ui-fixture.h"

#include <glib/gstdio.h>

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

void
set_identity (Fixture     *f,
              const char  *name,
              BuurtenRole  role)
{
  static const char * const wijken[] = { "centrum", NULL };

  buurten_context_set_identity (f->context, name, role, wijken);
}

void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->municipality = buurten_municipality_new_default (&error);
  g_assert_no_error (error);
  f->dir = g_dir_make_tmp ("buurten-ui-test-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "buurten.db", NULL);
  f->store = buurten_store_open (path, &error);
  g_assert_no_error (error);
  buurten_store_import_municipality (f->store, f->municipality, &error);
  g_assert_no_error (error);

  f->context = buurten_context_new (f->store, f->municipality, NULL, YEAR);
  set_identity (f, "anna", BUURTEN_ROLE_BUURTCOORDINATOR);
}

void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_assert_finalize_object (f->context);
  g_assert_finalize_object (f->store);
  g_clear_object (&f->municipality);
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->saved_id);
}

static gboolean
timeout_cb (gpointer data)
{
  g_error ("timed out waiting for the window");
  return G_SOURCE_REMOVE;
}

guint
add_watchdog (void)
{
  return g_timeout_add_seconds (20, timeout_cb, NULL);
}

void
spin (void)
{
  for (int i = 0; i < 20; i++)
    {
      g_usleep (5000);
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
}

gboolean
is_sensitive (GtkWidget *widget)
{
  return gtk_widget_get_sensitive (widget);
}

void
wait_sensitive (GtkWidget *widget)
{
  guint id = add_watchdog ();

  while (!is_sensitive (widget))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
}

void
on_saved_cb (GtkWidget  *window,
             const char *id,
             Fixture    *f)
{
  g_free (f->saved_id);
  f->saved_id = g_strdup (id);
  f->saved++;
}

gpointer
child (GtkWidget  *window,
       const char *name)
{
  GObject *object = gtk_widget_get_template_child (window, G_OBJECT_TYPE (window), name);

  g_assert_nonnull (object);
  return object;
}

void
set_text (GtkWidget  *window,
          const char *name,
          const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (child (window, name)), text);
}

void
set_view_text (GtkWidget  *window,
               const char *name,
               const char *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (child (window, name)), text, -1);
}

gboolean
label_shows (GtkWidget  *window,
             const char *name)
{
  GtkWidget *label = child (window, name);

  return gtk_widget_get_visible (label) && *gtk_label_get_label (GTK_LABEL (label)) != '\0';
}

void
save_and_wait (Fixture    *f,
               GtkWidget  *window,
               const char *action)
{
  guint before = f->saved;
  gboolean done = FALSE;

  /* Kept alive to read its error label; it destroys itself after saving. */
  g_object_ref (window);

  g_assert_true (gtk_widget_activate_action (window, action, NULL));
  while (f->saved == before && !done)
    {
      g_main_context_iteration (NULL, TRUE);
      done = label_shows (window, "form_error_label");
    }
  g_assert_false (label_shows (window, "form_error_label"));
  g_assert_cmpuint (f->saved, ==, before + 1);
  g_object_unref (window);
}

GtkWidget *
open_window (Fixture   *f,
             GtkWidget *window)
{
  g_signal_connect (window, "saved", G_CALLBACK (on_saved_cb), f);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

GPtrArray *
outbox (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *entries = buurten_store_outbox (f->store, &error);

  g_assert_no_error (error);
  return entries;
}

JsonObject *
parse_args (const BuurtenOutboxEntry *entry)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, entry->args_json, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

void
assert_names (GPtrArray          *entries,
              guint               from,
              const char * const *names)
{
  guint n = g_strv_length ((char **) names);

  g_assert_cmpuint (entries->len, ==, from + n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpstr (((BuurtenOutboxEntry *) g_ptr_array_index (entries, from + i))->name, ==,
                     names[i]);
}

BuurtenInitiative *
get_initiative (Fixture    *f,
                const char *id)
{
  g_autoptr(GError) error = NULL;
  BuurtenInitiative *initiative = buurten_store_get (f->store, &buurten_initiative_info, id,
                                                     &error);

  g_assert_no_error (error);
  return initiative;
}

char *
add_initiative (Fixture                *f,
                const char             *title,
                gint64                  cents,
                BuurtenInitiativeState  state)
{
  g_autoptr(BuurtenInitiative) initiative = buurten_initiative_new ();
  g_autoptr(GError) error = NULL;

  initiative->id = buurten_uuid_new ();
  initiative->wijk = g_strdup ("centrum");
  initiative->title = g_strdup (title);
  initiative->requested_cents = cents;
  initiative->theme = g_strdup ("Groen in de wijk");
  initiative->state = state;
  initiative->version = 3;
  buurten_store_put (f->store, &buurten_initiative_info, initiative, "seed", NULL, NULL,
                     &error);
  g_assert_no_error (error);
  return g_strdup (initiative->id);
}

void
close_and_assert_finalized (gpointer window)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  gtk_window_destroy (GTK_WINDOW (window));
  while (G_OBJECT (window)->ref_count > 1 && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_finalize_object (window);
}

BuurtenMunicipality *
load_municipality (void)
{
  g_autoptr(GError) error = NULL;
  BuurtenMunicipality *municipality = buurten_municipality_new_default (&error);

  g_assert_no_error (error);
  g_assert_nonnull (municipality);

  return municipality;
}

void
wait_finalize (gpointer object)
{
  g_object_add_weak_pointer (G_OBJECT (object), &object);
  g_object_unref (object);
  for (int i = 0; object != NULL && i < 5000; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_null (object);
}
