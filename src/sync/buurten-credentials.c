/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-sync"

#include "config.h"

#include "buurten-credentials.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

/* Attributes "server" and "user" only, and the name not matched, so that
 * `secret-tool lookup server URL user NAME` finds the token too. */
static const SecretSchema *
token_schema (void)
{
  static const SecretSchema schema = {
    "nl.hilversum.Buurten.Session", SECRET_SCHEMA_DONT_MATCH_NAME,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL
  };

  return &schema;
}

static void
stored_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (secret_password_store_finish (result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
buurten_credentials_store_async (const char          *server,
                                 const char          *username,
                                 const char          *token,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  g_autofree char *label = NULL;

  g_return_if_fail (server != NULL && username != NULL && token != NULL);

  g_task_set_source_tag (task, buurten_credentials_store_async);
  /* The label is what people see in Passwords and Keys (Seahorse). */
  label = g_strdup_printf (_("Buurten session for %s"), username);
  secret_password_store (token_schema (), SECRET_COLLECTION_DEFAULT, label, token,
                         cancellable, stored_cb, task,
                         "server", server, "user", username, NULL);
}

gboolean
buurten_credentials_store_finish (GAsyncResult  *result,
                                  GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
looked_up_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *token = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, token, (GDestroyNotify) secret_password_free);
}

void
buurten_credentials_lookup_async (const char          *server,
                                  const char          *username,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_return_if_fail (server != NULL && username != NULL);

  g_task_set_source_tag (task, buurten_credentials_lookup_async);
  secret_password_lookup (token_schema (), cancellable, looked_up_cb, task,
                          "server", server, "user", username, NULL);
}

char *
buurten_credentials_lookup_finish (GAsyncResult  *result,
                                   GError       **error)
{
  char *secret = g_task_propagate_pointer (G_TASK (result), error);
  char *token;

  /* An ordinary string for the caller, the secret memory wiped. */
  if (secret == NULL)
    return NULL;
  token = g_strdup (secret);
  secret_password_free (secret);
  return token;
}

static void
cleared_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  secret_password_clear_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
buurten_credentials_clear_async (const char          *server,
                                 const char          *username,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_return_if_fail (server != NULL && username != NULL);

  g_task_set_source_tag (task, buurten_credentials_clear_async);
  secret_password_clear (token_schema (), cancellable, cleared_cb, task,
                         "server", server, "user", username, NULL);
}

gboolean
buurten_credentials_clear_finish (GAsyncResult  *result,
                                  GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}
