/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-login"

#include "config.h"

#include "buurten-login-window.h"

#include <string.h>

#include <glib/gi18n.h>

#include "buurten-core.h"
#include "buurten-sync-client.h"
#include "buurten-sync-login.h"

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
  BuurtenSyncLogin *answer = buurten_sync_login_finish (result, &error);
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
  buurten_sync_login_free (answer);
  /* Focus leaves the entry first: GTK 4.8's GtkText warns when it is
   * destroyed while focused in a window going away. */
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_login_clicked_cb (BuurtenLoginWindow *self)
{
  g_autofree char *username = NULL;
  g_autofree char *password = NULL;

  if (self->busy || !gtk_widget_get_sensitive (GTK_WIDGET (self->login_button)))
    return;

  show_error (self, NULL);
  username = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->username_row))));
  password = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->password_row)));

  self->busy = TRUE;
  update_sensitivity (self);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  buurten_sync_login_async (gtk_editable_get_text (GTK_EDITABLE (self->server_row)), username,
                            password, self->cancellable, logged_in_cb, g_object_ref (self));
  memset (password, 0, strlen (password));
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
