/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-sync"

#include "config.h"

#include "buurten-sync-login.h"

#include <string.h>

#include "buurten-core.h"
#include "buurten-sync-client.h"

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
  BuurtenSyncLogin *answer;

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

  answer = g_new0 (BuurtenSyncLogin, 1);
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
  g_task_return_pointer (task, answer, (GDestroyNotify) buurten_sync_login_free);
}

void
buurten_sync_login_free (BuurtenSyncLogin *login)
{
  if (login == NULL)
    return;
  g_free (login->server);
  if (login->token != NULL)
    memset (login->token, 0, strlen (login->token));
  g_free (login->token);
  g_strfreev (login->roles);
  g_strfreev (login->wijken);
  g_free (login->grants_json);
  g_free (login);
}

void
buurten_sync_login_async (const char          *server,
                          const char          *username,
                          const char          *password,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Login *login;

  g_return_if_fail (server != NULL);
  g_return_if_fail (username != NULL);
  g_return_if_fail (password != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  login = g_new0 (Login, 1);
  login->server = g_strdup (server);
  login->username = g_strdup (username);
  login->password = g_strdup (password);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, buurten_sync_login_async);
  g_task_set_task_data (task, login, (GDestroyNotify) login_free);
  g_task_run_in_thread (task, login_thread);
}

BuurtenSyncLogin *
buurten_sync_login_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == buurten_sync_login_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
