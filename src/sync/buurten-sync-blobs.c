/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-sync"

#include "config.h"

#include "buurten-sync-blobs.h"

#include "buurten-blobs.h"

/* A temporary trouble or an expired session: try again later. Anything
 * else the server answered with a code is its refusal of this blob. */
static gboolean
is_refusal (const GError *error,
            const char   *server_code)
{
  if (error->domain != BUURTEN_SYNC_ERROR || server_code == NULL)
    return FALSE;
  if (g_strcmp0 (server_code, "QUOTA_EXCEEDED") == 0)
    return TRUE;
  return !buurten_sync_error_is_temporary (error) &&
         error->code != BUURTEN_SYNC_ERROR_UNAUTHORIZED &&
         error->code != BUURTEN_SYNC_ERROR_OLD_SCHEMA;
}

static char *
blob_args (const BuurtenBlob *blob)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (object, "sha256", blob->sha256);
  json_object_set_string_member (object, "wijk", blob->wijk);
  json_object_set_string_member (object, "content_type", blob->content_type);
  /* The attention list shows it as the row's title. */
  if (blob->name != NULL && *blob->name != '\0')
    json_object_set_string_member (object, "description", blob->name);
  json_node_set_object (node, object);
  return buurten_json_to_string (node);
}

typedef struct
{
  const char        *dir;
  const BuurtenBlob *blob;
  const char        *code;
  const char        *message;
} Refusal;

/* The refusal into the attention list and the marker to .refused. */
static gboolean
refusal_write (BuurtenStore  *store,
               gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  Refusal *refusal = data;
  g_autoptr(BuurtenAttention) item = g_new0 (BuurtenAttention, 1);

  item->kind = g_strdup ("rejected");
  item->mutation = g_strdup ("blob.put");
  item->args_json = blob_args (refusal->blob);
  item->code = g_strdup (refusal->code);
  item->message = g_strdup (refusal->message);
  if (!buurten_store_add_attention (store, item, error))
    return FALSE;
  return buurten_blobs_settle (refusal->dir, refusal->blob, TRUE, error);
}

gboolean
buurten_sync_upload_blobs (BuurtenStore      *store,
                           BuurtenSyncClient *client,
                           guint             *uploaded,
                           guint             *refused,
                           GCancellable      *cancellable,
                           GError           **error)
{
  g_autofree char *dir = buurten_blobs_dir (store);
  g_autoptr(GPtrArray) pending = buurten_blobs_pending (dir);

  for (guint i = 0; i < pending->len; i++)
    {
      const BuurtenBlob *blob = g_ptr_array_index (pending, i);
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) local_error = NULL;
      g_autofree char *path = NULL;
      g_autofree char *escaped = NULL;
      g_autofree char *code = NULL;

      bytes = buurten_blobs_load (dir, blob->sha256, &local_error);
      if (bytes == NULL)
        {
          /* The copy is gone or damaged: nothing to send, ever. */
          Refusal refusal = { dir, blob, "NOT_FOUND", local_error->message };

          g_message ("A kept attachment cannot be read; it is not sent");
          if (!buurten_store_write (store, refusal_write, &refusal, NULL, error))
            return FALSE;
          (*refused)++;
          continue;
        }
      escaped = g_uri_escape_string (blob->wijk, NULL, FALSE);
      path = g_strdup_printf ("/blobs/%s?wijk=%s", blob->sha256, escaped);
      if (buurten_sync_client_put_bytes (client, path, blob->content_type, bytes, &code,
                                         cancellable, &local_error))
        {
          if (!buurten_blobs_settle (dir, blob, FALSE, error))
            return FALSE;
          (*uploaded)++;
          continue;
        }
      if (!is_refusal (local_error, code))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      {
        Refusal refusal = { dir, blob, code, local_error->message };

        if (!buurten_store_write (store, refusal_write, &refusal, NULL, error))
          return FALSE;
        (*refused)++;
      }
    }
  return TRUE;
}
