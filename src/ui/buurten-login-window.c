/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-login"

#include "config.h"

#include "buurten-login-window.h"

#include <string.h>

#include <glib/gi18n.h>

#include "buurten-core.h"
#include "buurten-sync-client.h"

struct _BuurtenLoginWindow
{
  AdwWindow     parent_instance;

  /* template widgets */
  AdwEntryRow  *server_row;
  AdwEntryRow  *username_row;
  AdwEntryRow  *password_row;
  GtkLabel     *error_label;
  GtkButton    *login_button;
  GtkButton    *local_button;
  GtkSpinner   *spinner;

  GCancellable *cancellable;
  gboolean      busy;
};

G_DEFINE_FINAL_TYPE (BuurtenLoginWindow, buurten_login_window, ADW_TYPE_WINDOW)

enum
{
  LOGGED_IN,
  LOCAL_ONLY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  char *server;
  char *username;
  char *password;
} Login;

static void
login_free (Login *login)
{
  g_free (login->server);
  g_free (login->username);
  if (login->password != NULL)
    memset (login->password, 0, strlen (login->password));
  g_free (login->password);
  g_free (login);
}

typedef struct
{
  char  *server;
  char  *token;
  GStrv  roles;
  GStrv  wijken;
  char  *grants_json;   /* user.grants, checked and written again; NULL when absent */
} Answer;

static void
answer_free (Answer *answer)
{
  g_free (answer->server);
  if (answer->token != NULL)
    memset (answer->token, 0, strlen (answer->token));
  g_free (answer->token);
  g_strfreev (answer->roles);
  g_strfreev (answer->wijken);
  g_free (answer->grants_json);
  g_free (answer);
}

static GStrv
string_array (JsonObject *object,
              const char *member)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_VALUE (item) && json_node_get_value_type (item) == G_TYPE_STRING)
            g_strv_builder_add (builder, json_node_get_string (item));
        }
    }
  return g_strv_builder_end (builder);
}

static void
login_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Login *login = task_data;
  g_autoptr(BuurtenSyncClient) client = NULL;
  g_autoptr(JsonNode) reply = NULL;
  JsonObject *object, *user = NULL;
  GError *error = NULL;
  Answer *answer;

  client = buurten_sync_client_new (login->server, &error);
  if (client == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  reply = buurten_sync_client_login (client, login->username, login->password, cancellable,
                                     &error);
  if (reply == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  object = json_node_get_object (reply);
  if (json_object_has_member (object, "user") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "user")))
    user = json_object_get_object_member (object, "user");

  answer = g_new0 (Answer, 1);
  answer->server = g_strdup (buurten_sync_client_get_server (client));
  answer->token = g_strdup (json_object_get_string_member (object, "token"));
  answer->roles = string_array (user, "roles");
  answer->wijken = string_array (user, "wijken");
  if (user != NULL && json_object_has_member (user, "grants"))
    {
      g_autoptr(GError) grants_error = NULL;
      g_autoptr(GPtrArray) grants =
        buurten_grants_from_json (json_object_get_member (user, "grants"), &grants_error);

      if (grants != NULL)
        {
          g_autoptr(JsonNode) node = buurten_grants_to_json (grants);

          answer->grants_json = json_to_string (node, FALSE);
        }
      else
        g_message ("The login answer's grants cannot be read: %s", grants_error->message);
    }
  g_task_return_pointer (task, answer, (GDestroyNotify) answer_free);
}

static void
update_sensitivity (BuurtenLoginWindow *self)
{
  gboolean filled = *gtk_editable_get_text (GTK_EDITABLE (self->server_row)) != '\0' &&
                    *gtk_editable_get_text (GTK_EDITABLE (self->username_row)) != '\0' &&
                    *gtk_editable_get_text (GTK_EDITABLE (self->password_row)) != '\0';

  /* Only the button waits: making the focused entry insensitive would
   * leave GTK 4.8's cursor blinking in a widget without focus. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->login_button), filled && !self->busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), self->busy);
  gtk_spinner_set_spinning (self->spinner, self->busy);
}

static void
show_error (BuurtenLoginWindow *self,
            const char         *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
  if (message != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->error_label),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message, -1);
}

static char *
message_for (const GError *error)
{
  if (error->domain == BUURTEN_SYNC_ERROR)
    switch (error->code)
      {
      case BUURTEN_SYNC_ERROR_UNAUTHORIZED:
        return g_strdup (_("The username or password is not right."));
      case BUURTEN_SYNC_ERROR_THROTTLED:
        return g_strdup (_("Too many failed attempts. Wait a quarter of an hour and try "
                           "again."));
      case BUURTEN_SYNC_ERROR_NETWORK:
        return g_strdup (_("Cannot reach the server. Check the address and the network "
                           "connection."));
      case BUURTEN_SYNC_ERROR_UNAVAILABLE:
        return g_strdup (_("The server is not available right now. Try again later."));
      case BUURTEN_SYNC_ERROR_TLS:
      case BUURTEN_SYNC_ERROR_BAD_ADDRESS:
        return g_strdup (error->message);
      default:
        break;
      }
  return g_strdup (_("Logging in failed. Try again later."));
}

static void
logged_in_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(BuurtenLoginWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  Answer *answer = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree char *username = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->busy = FALSE;
  update_sensitivity (self);

  if (answer == NULL)
    {
      g_autofree char *message = message_for (error);

      show_error (self, message);
      /* The password is asked again; the rest stays as typed. */
      gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
      gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
      return;
    }

  username = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->username_row)));
  g_signal_emit (self, signals[LOGGED_IN], 0, answer->server, username, answer->token,
                 answer->roles, answer->wijken, answer->grants_json);
  answer_free (answer);
  /* Focus leaves the entry first: GTK 4.8's GtkText warns when it is
   * destroyed while focused in a window going away. */
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_login_clicked_cb (BuurtenLoginWindow *self)
{
  g_autoptr(GTask) task = NULL;
  Login *login;

  if (self->busy || !gtk_widget_get_sensitive (GTK_WIDGET (self->login_button)))
    return;

  show_error (self, NULL);
  login = g_new0 (Login, 1);
  login->server = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->server_row)));
  login->username = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->username_row))));
  login->password = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->password_row)));

  self->busy = TRUE;
  update_sensitivity (self);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  task = g_task_new (self, self->cancellable, logged_in_cb, g_object_ref (self));
  g_task_set_task_data (task, login, (GDestroyNotify) login_free);
  g_task_run_in_thread (task, login_thread);
}

static void
on_local_clicked_cb (BuurtenLoginWindow *self)
{
  g_signal_emit (self, signals[LOCAL_ONLY], 0);
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_field_changed_cb (BuurtenLoginWindow *self)
{
  update_sensitivity (self);
}

static void
on_entry_activated_cb (BuurtenLoginWindow *self)
{
  on_login_clicked_cb (self);
}

static void
buurten_login_window_dispose (GObject *object)
{
  BuurtenLoginWindow *self = BUURTEN_LOGIN_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), BUURTEN_TYPE_LOGIN_WINDOW);

  G_OBJECT_CLASS (buurten_login_window_parent_class)->dispose (object);
}

static void
buurten_login_window_class_init (BuurtenLoginWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = buurten_login_window_dispose;

  signals[LOGGED_IN] = g_signal_new ("logged-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 6,
                                     G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING,
                                     G_TYPE_STRV, G_TYPE_STRV, G_TYPE_STRING);
  signals[LOCAL_ONLY] = g_signal_new ("local-only", G_TYPE_FROM_CLASS (klass),
                                      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/nl/hilversum/Buurten/buurten-login-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BuurtenLoginWindow, server_row);
  gtk_widget_class_bind_template_child (widget_class, BuurtenLoginWindow, username_row);
  gtk_widget_class_bind_template_child (widget_class, BuurtenLoginWindow, password_row);
  gtk_widget_class_bind_template_child (widget_class, BuurtenLoginWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, BuurtenLoginWindow, login_button);
  gtk_widget_class_bind_template_child (widget_class, BuurtenLoginWindow, local_button);
  gtk_widget_class_bind_template_child (widget_class, BuurtenLoginWindow, spinner);
  gtk_widget_class_bind_template_callback (widget_class, on_login_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_local_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
buurten_login_window_init (BuurtenLoginWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
buurten_login_window_new (GtkWindow  *parent,
                          const char *server,
                          const char *username,
                          const char *message)
{
  BuurtenLoginWindow *self = g_object_new (BUURTEN_TYPE_LOGIN_WINDOW,
                                           "transient-for", parent, NULL);

  if (server != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->server_row), server);
  if (username != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->username_row), username);
  show_error (self, message);
  gtk_widget_grab_focus (GTK_WIDGET (server == NULL ? self->server_row
                                     : username == NULL ? self->username_row
                                     : self->password_row));
  update_sensitivity (self);
  return GTK_WIDGET (self);
}
