/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-application"

#include "config.h"

#include "buurten-application.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

#include "buurten-attention-window.h"
#include "buurten-credentials.h"
#include "buurten-document-cli.h"
#include "buurten-login-window.h"
#include "buurten-overview.h"
#include "buurten-resources.h"
#include "buurten-store.h"
#include "buurten-sync-engine.h"
#include "buurten-window.h"

struct _BuurtenApplication
{
  AdwApplication   parent_instance;

  /* owned references */
  GSettings       *settings;       /* NULL when the schema is not installed */
  GCancellable    *cancellable;
  BuurtenOverview *overview;
  GError          *load_error;
  BuurtenSyncEngine *sync;         /* once the store is open */
  GtkWidget       *attention;      /* the open "Needs attention" window, unowned */
  GtkWidget       *login;          /* the open login window, unowned */

  /* plain data */
  char            *db_path;
  char            *user;
  int              year;
  gboolean         dark;
  gboolean         loading;
};

G_DEFINE_FINAL_TYPE (BuurtenApplication, buurten_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "data-dir", 'd', G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, NULL,
    N_("Keep the database in DIR"), N_("DIR") },
  { "year", 'y', G_OPTION_FLAG_NONE, G_OPTION_ARG_INT, NULL,
    N_("Show the budgets of YEAR"), N_("YEAR") },
  { "version", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_("Show the version and quit"), NULL },
  /* For screenshots and tests: libadwaita 1.2 has no environment
   * variable to force the dark style. */
  { "dark", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, NULL, NULL, NULL },
  /* For tests and screenshots: who am I, as NAME:ROLE:WIJK,WIJK, instead
   * of the first-run questions. */
  { "user", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, NULL, NULL, NULL },
  { NULL }
};

static void
update_windows (BuurtenApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    {
      if (!BUURTEN_IS_WINDOW (l->data))
        continue;

      if (self->overview != NULL)
        {
          buurten_window_set_overview (l->data, self->overview);
          buurten_window_set_sync_engine (l->data, self->sync);
        }
      else if (self->load_error != NULL)
        buurten_window_show_error (l->data, self->load_error);
      else
        buurten_window_show_loading (l->data);
    }
}

static void
apply_user_option (BuurtenApplication *self)
{
  g_auto(GStrv) parts = NULL;
  g_auto(GStrv) wijken = NULL;

  if (self->user == NULL || self->settings == NULL)
    return;

  parts = g_strsplit (self->user, ":", 3);
  if (g_strv_length (parts) < 2 || buurten_enum_from_id (buurten_role_ids, parts[1]) < 0)
    {
      g_printerr ("--user wants NAME:ROLE:WIJK,WIJK, not “%s”\n", self->user);
      return;
    }
  wijken = parts[2] != NULL && parts[2][0] != '\0' ? g_strsplit (parts[2], ",", -1)
                                                    : g_new0 (char *, 1);
  g_settings_set_string (self->settings, "user-name", parts[0]);
  g_settings_set_string (self->settings, "user-role", parts[1]);
  g_settings_set_strv (self->settings, "user-wijken", (const char * const *) wijken);
}

static long
rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmRSS:");
  return line != NULL ? strtol (line + 6, NULL, 10) : -1;
}

static void
on_after_paint_cb (GdkFrameClock      *clock,
                   BuurtenApplication *self)
{
  /* For bench/bench-ui: the first frame with the data drawn. The
   * benchmark compares this monotonic time with the one it started the
   * process at. */
  g_print ("buurten-bench first-frame-us=%" G_GINT64_FORMAT " rss-kib=%ld\n",
           g_get_monotonic_time (), rss_kib ());
  g_signal_handlers_disconnect_by_func (clock, on_after_paint_cb, self);
  if (g_strcmp0 (g_getenv ("BUURTEN_BENCH"), "exit") == 0)
    g_application_quit (G_APPLICATION (self));
}

static void
watch_first_frame (BuurtenApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  GdkFrameClock *clock;

  if (g_getenv ("BUURTEN_BENCH") == NULL || window == NULL)
    return;
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  if (clock == NULL)
    return;
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint_cb), self);
  gtk_widget_queue_draw (GTK_WIDGET (window));
}

/* ---- sync, login and the keyring ---------------------------------------- */

static char *
setting_string (BuurtenApplication *self,
                const char         *key)
{
  g_autofree char *value = NULL;

  if (self->settings == NULL)
    return NULL;
  value = g_settings_get_string (self->settings, key);
  return value[0] != '\0' ? g_steal_pointer (&value) : NULL;
}

static void
update_sync_actions (BuurtenApplication *self)
{
  BuurtenSyncState state = self->sync != NULL ? buurten_sync_engine_get_state (self->sync)
                                              : BUURTEN_SYNC_STATE_LOCAL_ONLY;
  gboolean logged_in = self->sync != NULL && state != BUURTEN_SYNC_STATE_LOCAL_ONLY &&
                       state != BUURTEN_SYNC_STATE_LOGGED_OUT;
  GActionMap *map = G_ACTION_MAP (self);

  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (map, "sync")),
                               logged_in);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (map, "sync-stop")),
                               state == BUURTEN_SYNC_STATE_SYNCING);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (map, "logout")),
                               logged_in);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (map, "login")),
                               self->sync != NULL && !logged_in);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (map, "attention")),
                               self->sync != NULL);
}

static void
toast (BuurtenApplication *self,
       const char         *text)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (BUURTEN_IS_WINDOW (window))
    buurten_window_add_toast (BUURTEN_WINDOW (window), text);
}

static void
token_found_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(BuurtenApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = buurten_credentials_lookup_finish (result, &error);
  g_autofree char *server = setting_string (self, "server-url");

  if (self->sync == NULL)
    return;
  if (error != NULL)
    /* No keyring here: the session was kept in memory only, so log in. */
    g_debug ("keyring: %s", error->message);
  buurten_sync_engine_set_account (self->sync, server, token);
  if (token != NULL)
    memset (token, 0, strlen (token));
}

static void on_login_needed_cb (BuurtenApplication *self);

static void
on_interval_changed_cb (BuurtenApplication *self)
{
  if (self->sync != NULL && self->settings != NULL)
    buurten_sync_engine_set_interval (self->sync,
                                      60 * g_settings_get_int (self->settings, "sync-interval"));
}

/* Each cycle asks the server who I am (GET /me): what it grants now is
 * what the rules are asked with, kept for the next start. The context
 * reads it from the setting. */
static void
on_sync_grants_cb (BuurtenApplication *self)
{
  GPtrArray *grants = buurten_sync_engine_get_grants (self->sync);
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  g_autofree char *server = NULL;

  server = setting_string (self, "server-url");
  if (grants == NULL || self->settings == NULL || server == NULL)
    return;

  node = buurten_grants_to_json (grants);
  text = json_to_string (node, FALSE);
  g_settings_set_string (self->settings, "user-grants", text);
}

static void
start_sync (BuurtenApplication *self)
{
  g_autofree char *server = NULL;
  g_autofree char *username = NULL;

  if (self->sync != NULL || self->overview == NULL || self->overview->store == NULL)
    return;

  self->sync = buurten_sync_engine_new (self->overview->store);
  if (self->settings != NULL)
    buurten_sync_engine_set_interval (self->sync,
                                      60 * g_settings_get_int (self->settings, "sync-interval"));
  g_signal_connect_swapped (self->sync, "notify::state", G_CALLBACK (update_sync_actions), self);
  g_signal_connect_swapped (self->sync, "login-needed", G_CALLBACK (on_login_needed_cb), self);
  g_signal_connect_swapped (self->sync, "notify::grants", G_CALLBACK (on_sync_grants_cb), self);
  if (self->settings != NULL)
    g_signal_connect_swapped (self->settings, "changed::sync-interval",
                              G_CALLBACK (on_interval_changed_cb), self);

  server = setting_string (self, "server-url");
  username = setting_string (self, "server-username");
  if (server == NULL || username == NULL)
    buurten_sync_engine_set_account (self->sync, NULL, NULL);
  else
    {
      /* Until the keyring answers: logged out (the app works offline). */
      buurten_sync_engine_set_account (self->sync, server, NULL);
      buurten_credentials_lookup_async (server, username, self->cancellable, token_found_cb,
                                        g_object_ref (self));
    }
  update_sync_actions (self);
}

#define KEYRING_TIMEOUT_SECONDS 20

static gboolean
cancel_timeout_cb (gpointer user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
  return G_SOURCE_REMOVE;
}

static void
token_stored_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(BuurtenApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!buurten_credentials_store_finish (result, &error))
    {
      /* The token stays in memory for this session only; say so. */
      g_debug ("keyring: %s", error->message);
      toast (self, _("No keyring is available: you will have to log in again next time."));
    }
}

static const char *
role_from_server (const char * const *roles)
{
  /* The most specific role first: that is what the forms act as. */
  static const char * const order[] = {
    "buurtcoordinator", "wijkwethouder", "wethouder_buurten", "teammanager_samenleving",
    "partner", "admin", NULL
  };

  for (guint i = 0; order[i] != NULL; i++)
    if (roles != NULL && g_strv_contains (roles, order[i]))
      return order[i];
  return NULL;
}

static void
on_logged_in_cb (GtkWidget          *window,
                 const char         *server,
                 const char         *username,
                 const char         *token,
                 GStrv               roles,
                 GStrv               wijken,
                 const char         *grants_json,
                 BuurtenApplication *self)
{
  const char *role = role_from_server ((const char * const *) roles);

  if (self->settings != NULL)
    {
      g_settings_set_string (self->settings, "server-url", server);
      g_settings_set_string (self->settings, "server-username", username);
      /* Who am I is now what the server says. */
      g_settings_set_string (self->settings, "user-name", username);
      if (role != NULL)
        g_settings_set_string (self->settings, "user-role", role);
      g_settings_set_strv (self->settings, "user-wijken", (const char * const *) wijken);
      /* What the rules are asked with: the server's grants, kept for the
       * next start (the context reads them from here). */
      g_settings_set_string (self->settings, "user-grants",
                             grants_json != NULL ? grants_json : "");
    }
  {
    /* A keyring that never answers (locked, waiting on a prompt nobody
     * sees) must not leave the question open: after a while the token
     * stays in memory only, and the user hears so. */
    GCancellable *cancellable = g_cancellable_new ();

    g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, KEYRING_TIMEOUT_SECONDS, cancel_timeout_cb,
                                g_object_ref (cancellable), g_object_unref);
    g_signal_connect_object (self->cancellable, "cancelled", G_CALLBACK (g_cancellable_cancel),
                             cancellable, G_CONNECT_SWAPPED);
    buurten_credentials_store_async (server, username, token, cancellable, token_stored_cb,
                                     g_object_ref (self));
    g_object_unref (cancellable);
  }
  if (self->sync != NULL)
    buurten_sync_engine_set_account (self->sync, server, token);
  toast (self, _("Logged in. Synchronising…"));
}

static void
on_local_only_cb (GtkWidget          *window,
                  BuurtenApplication *self)
{
  if (self->settings != NULL)
    g_settings_set_string (self->settings, "server-url", "");
  if (self->sync != NULL)
    buurten_sync_engine_set_account (self->sync, NULL, NULL);
}

static void
login_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  BuurtenApplication *self = BUURTEN_APPLICATION (user_data);
  g_autofree char *server = setting_string (self, "server-url");
  g_autofree char *username = setting_string (self, "server-username");
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (self->login != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->login));
      return;
    }
  self->login = buurten_login_window_new (parent, server, username,
                                          self->sync != NULL
                                          ? buurten_sync_engine_get_message (self->sync) : NULL);
  g_object_add_weak_pointer (G_OBJECT (self->login), (gpointer *) &self->login);
  /* Part of the application: its accelerators (Ctrl+Q) work there too. */
  gtk_window_set_application (GTK_WINDOW (self->login), GTK_APPLICATION (self));
  g_signal_connect (self->login, "logged-in", G_CALLBACK (on_logged_in_cb), self);
  g_signal_connect (self->login, "local-only", G_CALLBACK (on_local_only_cb), self);
  gtk_window_present (GTK_WINDOW (self->login));
}

static void
on_login_needed_cb (BuurtenApplication *self)
{
  /* The session ended (expired or revoked): ask again; the outbox waits. */
  login_activated (NULL, NULL, self);
}

static void
token_cleared_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!buurten_credentials_clear_finish (result, &error))
    g_debug ("keyring: %s", error->message);
}

static void
logout_activated (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  BuurtenApplication *self = BUURTEN_APPLICATION (user_data);
  g_autofree char *server = setting_string (self, "server-url");
  g_autofree char *username = setting_string (self, "server-username");

  if (self->sync == NULL || server == NULL)
    return;
  /* The token is forgotten here and in the keyring; it expires on the
   * server within 12 hours. Queued changes stay and go with the next
   * login. */
  if (username != NULL)
    buurten_credentials_clear_async (server, username, NULL, token_cleared_cb, NULL);
  buurten_sync_engine_set_account (self->sync, server, NULL);
  toast (self, _("Logged out. Your changes stay on this computer."));
}

static void
sync_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  BuurtenApplication *self = BUURTEN_APPLICATION (user_data);

  if (self->sync != NULL)
    buurten_sync_engine_sync (self->sync);
}

static void
sync_stop_activated (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  BuurtenApplication *self = BUURTEN_APPLICATION (user_data);

  if (self->sync != NULL)
    buurten_sync_engine_cancel (self->sync);
}

static void
on_attention_decided_cb (BuurtenApplication *self)
{
  if (self->sync != NULL)
    buurten_sync_engine_schedule_soon (self->sync);
}

static void
attention_activated (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  BuurtenApplication *self = BUURTEN_APPLICATION (user_data);
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  const char *actor = NULL;

  if (self->overview == NULL || self->overview->store == NULL)
    return;
  if (self->attention != NULL)
    {
      buurten_attention_window_reload (BUURTEN_ATTENTION_WINDOW (self->attention));
      gtk_window_present (GTK_WINDOW (self->attention));
      return;
    }
  if (BUURTEN_IS_WINDOW (parent) && buurten_window_get_context (BUURTEN_WINDOW (parent)) != NULL)
    actor = buurten_context_get_user_name (buurten_window_get_context (BUURTEN_WINDOW (parent)));
  self->attention = buurten_attention_window_new (parent, self->overview->store, actor);
  g_object_add_weak_pointer (G_OBJECT (self->attention), (gpointer *) &self->attention);
  gtk_window_set_application (GTK_WINDOW (self->attention), GTK_APPLICATION (self));
  g_signal_connect_swapped (self->attention, "decided", G_CALLBACK (on_attention_decided_cb),
                            self);
  gtk_window_present (GTK_WINDOW (self->attention));
}

static void
load_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(BuurtenApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BuurtenOverview) overview = NULL;

  overview = buurten_overview_load_finish (result, &error);
  self->loading = FALSE;
  g_application_release (G_APPLICATION (self));

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (overview == NULL)
    {
      g_message ("Cannot open %s: %s", self->db_path, error->message);
      g_clear_error (&self->load_error);
      self->load_error = g_steal_pointer (&error);
    }
  else
    {
      g_clear_pointer (&self->overview, buurten_overview_unref);
      self->overview = g_steal_pointer (&overview);
      start_sync (self);
    }

  update_windows (self);
  watch_first_frame (self);
}

static void
load (BuurtenApplication *self)
{
  if (self->loading)
    return;

  self->loading = TRUE;
  /* Stay alive until the store is closed again, even when the window is
   * closed while it opens. */
  g_application_hold (G_APPLICATION (self));
  buurten_overview_load_async (self->db_path, self->year, self->cancellable,
                               load_cb, g_object_ref (self));
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  static const char *developers[] = { "Gemeente Hilversum", NULL };

  adw_show_about_window (gtk_application_get_active_window (app),
                         "application-name", _("Buurten"),
                         "application-icon", APPLICATION_ID,
                         "developer-name", "Gemeente Hilversum",
                         "version", PACKAGE_VERSION,
                         "comments", _("Requests, initiatives and budgets per wijk, for the "
                                       "neighbourhood work of Hilversum."),
                         "website", "https://www.hilversum.nl/",
                         "copyright", "© 2026 Gemeente Hilversum",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "developers", developers,
                         /* Translators: your names, one per line */
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static const struct {
  const char *action;
  const char *accels[2];
} window_accels[] = {
  { "win.view::overzicht", { "<Alt>1", NULL } },
  { "win.view::meldingen", { "<Alt>2", NULL } },
  { "win.view::initiatieven", { "<Alt>3", NULL } },
  { "win.view::escalaties", { "<Alt>4", NULL } },
  { "win.view::agenda", { "<Alt>5", NULL } },
  { "win.view::budget", { "<Alt>6", NULL } },
  { "win.search", { "<Control>f", NULL } },
  { "win.new-item", { "<Control>n", NULL } },
  { "win.preferences", { "<Control>comma", NULL } },
  { "win.back", { "<Alt>Left", NULL } },
  { "app.sync", { "<Control>r", NULL } },
};

static const GActionEntry app_actions[] = {
  { "quit", quit_activated, NULL, NULL, NULL },
  { "about", about_activated, NULL, NULL, NULL },
  { "sync", sync_activated, NULL, NULL, NULL },
  { "sync-stop", sync_stop_activated, NULL, NULL, NULL },
  { "login", login_activated, NULL, NULL, NULL },
  { "logout", logout_activated, NULL, NULL, NULL },
  { "attention", attention_activated, NULL, NULL, NULL },
};

/* "buurten document ..." writes a document and ends, before any window,
 * display or D-Bus name (buurten-document-cli.h). */
static gboolean
buurten_application_local_command_line (GApplication   *application,
                                        char         ***arguments,
                                        int            *exit_status)
{
  if (buurten_document_cli_wanted (*arguments, option_entries))
    {
      *exit_status = buurten_document_cli_run (*arguments);
      return TRUE;
    }

  return G_APPLICATION_CLASS (buurten_application_parent_class)->local_command_line (application,
                                                                                     arguments,
                                                                                     exit_status);
}

static int
buurten_application_handle_local_options (GApplication *application,
                                          GVariantDict *options)
{
  BuurtenApplication *self = BUURTEN_APPLICATION (application);
  g_autofree char *data_dir = NULL;
  int year = 0;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  if (g_variant_dict_lookup (options, "year", "i", &year))
    {
      if (year < 1900 || year > 9999)
        {
          g_printerr (_("%d is not a year Buurten can show\n"), year);
          return EXIT_FAILURE;
        }
      self->year = year;
    }

  self->dark = g_variant_dict_contains (options, "dark");
  g_variant_dict_lookup (options, "user", "s", &self->user);

  if (g_variant_dict_lookup (options, "data-dir", "^ay", &data_dir) && data_dir[0] != '\0')
    {
      g_free (self->db_path);
      self->db_path = buurten_store_default_path (data_dir);
      /* Another data directory is another set of data: run on its own
       * instead of handing over to a window that shows other data. */
      g_application_set_flags (application,
                               g_application_get_flags (application) |
                               G_APPLICATION_NON_UNIQUE);
    }

  return -1;
}

static void
buurten_application_startup (GApplication *application)
{
  BuurtenApplication *self = BUURTEN_APPLICATION (application);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };
  GSettingsSchemaSource *source;
  g_autoptr(GSettingsSchema) schema = NULL;

  G_APPLICATION_CLASS (buurten_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close", close_accels);
  for (guint i = 0; i < G_N_ELEMENTS (window_accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), window_accels[i].action,
                                           window_accels[i].accels);

  if (self->dark)
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                        ADW_COLOR_SCHEME_FORCE_DARK);

  /* Running from the build directory without GSETTINGS_SCHEMA_DIR must not
   * abort: the window then just does not remember its size. */
  source = g_settings_schema_source_get_default ();
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  if (schema != NULL)
    self->settings = g_settings_new_full (schema, NULL, NULL);
  else
    g_message ("Schema %s is not installed; settings are not kept", APPLICATION_ID);

  apply_user_option (self);
  update_sync_actions (self);
}

static void
buurten_application_activate (GApplication *application)
{
  BuurtenApplication *self = BUURTEN_APPLICATION (application);
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window == NULL)
    {
      window = GTK_WINDOW (buurten_window_new (GTK_APPLICATION (self), self->settings));
      update_windows (self);
    }

  gtk_window_present (window);

  if (self->overview == NULL && self->load_error == NULL)
    load (self);
}

static void
buurten_application_shutdown (GApplication *application)
{
  BuurtenApplication *self = BUURTEN_APPLICATION (application);

  /* The store must be closed before the process ends: let the worker
   * finish (it stops at the next step once cancelled). */
  g_cancellable_cancel (self->cancellable);
  while (self->loading)
    g_main_context_iteration (NULL, TRUE);

  G_APPLICATION_CLASS (buurten_application_parent_class)->shutdown (application);
}

static void
buurten_application_dispose (GObject *object)
{
  BuurtenApplication *self = (BuurtenApplication *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  if (self->sync != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->sync, self);
      buurten_sync_engine_cancel (self->sync);
      g_clear_object (&self->sync);
    }
  g_clear_pointer (&self->overview, buurten_overview_unref);
  g_clear_error (&self->load_error);

  G_OBJECT_CLASS (buurten_application_parent_class)->dispose (object);
}

static void
buurten_application_finalize (GObject *object)
{
  BuurtenApplication *self = (BuurtenApplication *) object;

  g_free (self->db_path);
  g_free (self->user);

  G_OBJECT_CLASS (buurten_application_parent_class)->finalize (object);
}

static void
buurten_application_class_init (BuurtenApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = buurten_application_dispose;
  object_class->finalize = buurten_application_finalize;

  app_class->local_command_line = buurten_application_local_command_line;
  app_class->handle_local_options = buurten_application_handle_local_options;
  app_class->startup = buurten_application_startup;
  app_class->activate = buurten_application_activate;
  app_class->shutdown = buurten_application_shutdown;
}

static void
buurten_application_init (BuurtenApplication *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  self->cancellable = g_cancellable_new ();
  self->db_path = buurten_store_default_path (NULL);
  self->year = g_date_time_get_year (now);

  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Neighbourhood work in Hilversum."));
  g_application_set_option_context_description (G_APPLICATION (self),
                                                _("Commands:\n"
                                                  "  document beschikking --initiative ID "
                                                  "--output FILE.pdf\n"
                                                  "  document buurtdeal --initiative ID "
                                                  "--output FILE.pdf\n"
                                                  "  document briefing --wijk WIJK --date "
                                                  "YYYY-MM-DD --output FILE.pdf\n"
                                                  "      Write the subsidiebeschikking or the "
                                                  "buurtdeal of an initiative, or the "
                                                  "wijkwethouder's briefing of a wijk for a "
                                                  "meeting, as PDF, without opening a window "
                                                  "(more: buurten document --help)"));
}

void
buurten_ui_register_resources (void)
{
  static gsize registered = 0;

  if (g_once_init_enter (&registered))
    {
      buurten_register_resource ();
      g_once_init_leave (&registered, 1);
    }
}

BuurtenApplication *
buurten_application_new (void)
{
  buurten_ui_register_resources ();

  return g_object_new (BUURTEN_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/nl/hilversum/Buurten",
                       NULL);
}

const char *
buurten_application_get_db_path (BuurtenApplication *self)
{
  g_return_val_if_fail (BUURTEN_IS_APPLICATION (self), NULL);

  return self->db_path;
}

int
buurten_application_get_year (BuurtenApplication *self)
{
  g_return_val_if_fail (BUURTEN_IS_APPLICATION (self), 0);

  return self->year;
}
