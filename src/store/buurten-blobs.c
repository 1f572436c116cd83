/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-blobs"

#include "config.h"

#include "buurten-blobs.h"

#include <errno.h>
#include <string.h>

#include <glib/gstdio.h>


G_DEFINE_QUARK (buurten-blobs-error-quark, buurten_blobs_error)

BuurtenBlob *
buurten_blob_copy (const BuurtenBlob *blob)
{
  BuurtenBlob *copy = g_new0 (BuurtenBlob, 1);

  copy->sha256 = g_strdup (blob->sha256);
  copy->name = g_strdup (blob->name);
  copy->content_type = g_strdup (blob->content_type);
  copy->wijk = g_strdup (blob->wijk);
  copy->bytes = blob->bytes != NULL ? g_bytes_ref (blob->bytes) : NULL;
  return copy;
}

void
buurten_blob_free (BuurtenBlob *blob)
{
  if (blob == NULL)
    return;
  g_free (blob->sha256);
  g_free (blob->name);
  g_free (blob->content_type);
  g_free (blob->wijk);
  g_clear_pointer (&blob->bytes, g_bytes_unref);
  g_free (blob);
}

char *
buurten_blobs_dir (BuurtenStore *store)
{
  g_autofree char *parent = g_path_get_dirname (buurten_store_get_path (store));

  return g_build_filename (parent, "blobs", NULL);
}

static gboolean
is_sha256 (const char *text)
{
  if (text == NULL || strlen (text) != 64)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p) && !(*p >= 'a' && *p <= 'f'))
      return FALSE;
  return TRUE;
}

/* A wijk id in a file name: letters, digits, '-' and '_' only. */
static gboolean
is_wijk (const char *text)
{
  if (text == NULL || *text == '\0' || strlen (text) > 100)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

/* -- reading a chosen file -- */

static void
read_in_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GFile *file = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(BuurtenBlob) blob = g_new0 (BuurtenBlob, 1);
  g_autofree char *guessed = NULL;
  char *contents = NULL;
  gsize length = 0;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                            G_FILE_QUERY_INFO_NONE, cancellable, &error);
  if (info == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_task_return_new_error (task, BUURTEN_BLOBS_ERROR, BUURTEN_BLOBS_ERROR_INVALID,
                               "not a regular file");
      return;
    }
  if (g_file_info_get_size (info) > BUURTEN_BLOB_MAX_BYTES)
    {
      g_task_return_new_error (task, BUURTEN_BLOBS_ERROR, BUURTEN_BLOBS_ERROR_TOO_LARGE,
                               "larger than 10 MiB");
      return;
    }
  if (!g_file_load_contents (file, cancellable, &contents, &length, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  blob->bytes = g_bytes_new_take (contents, length);
  if (length > BUURTEN_BLOB_MAX_BYTES)
    {
      g_task_return_new_error (task, BUURTEN_BLOBS_ERROR, BUURTEN_BLOBS_ERROR_TOO_LARGE,
                               "larger than 10 MiB");
      return;
    }
  blob->sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, blob->bytes);
  blob->name = g_file_get_basename (file);
  /* One line each in verantwoording.attachments. */
  g_strdelimit (blob->name, "\n\r", ' ');
  guessed = g_content_type_guess (blob->name, g_bytes_get_data (blob->bytes, NULL),
                                  MIN (length, 4096), NULL);
  blob->content_type = g_content_type_get_mime_type (guessed);
  if (blob->content_type == NULL)
    blob->content_type = g_strdup ("application/octet-stream");
  g_task_return_pointer (task, g_steal_pointer (&blob), (GDestroyNotify) buurten_blob_free);
}

void
buurten_blob_read_async (GFile               *file,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_return_if_fail (G_IS_FILE (file));
  g_task_set_source_tag (task, buurten_blob_read_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, read_in_thread);
}

BuurtenBlob *
buurten_blob_read_finish (GAsyncResult  *result,
                          GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* -- keeping -- */

static char *
marker_path (const char *dir,
             const char *sha256,
             const char *wijk,
             const char *suffix)
{
  g_autofree char *name = g_strconcat (sha256, ".", wijk, suffix, NULL);

  return g_build_filename (dir, name, NULL);
}

gboolean
buurten_blobs_keep (const char  *dir,
                    GPtrArray   *blobs,
                    const char  *wijk,
                    GError     **error)
{
  g_return_val_if_fail (dir != NULL && blobs != NULL, FALSE);

  if (!is_wijk (wijk))
    {
      g_set_error (error, BUURTEN_BLOBS_ERROR, BUURTEN_BLOBS_ERROR_INVALID, "not a wijk id");
      return FALSE;
    }
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "cannot make the blobs directory: %s", g_strerror (saved));
      return FALSE;
    }

  for (guint i = 0; i < blobs->len; i++)
    {
      const BuurtenBlob *blob = g_ptr_array_index (blobs, i);
      g_autofree char *path = NULL;
      g_autofree char *marker = NULL;
      g_autofree char *refused = NULL;
      gsize size;
      const char *data;

      if (!is_sha256 (blob->sha256) || blob->bytes == NULL)
        {
          g_set_error (error, BUURTEN_BLOBS_ERROR, BUURTEN_BLOBS_ERROR_INVALID, "not a blob");
          return FALSE;
        }
      path = g_build_filename (dir, blob->sha256, NULL);
      data = g_bytes_get_data (blob->bytes, &size);
      /* g_file_set_contents() writes a temporary file and renames it:
       * a copy is whole or not there. The same bytes need no second copy. */
      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR) &&
          !g_file_set_contents_full (path, data, (gssize) size,
                                     G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
        return FALSE;
      refused = marker_path (dir, blob->sha256, wijk, ".refused");
      if (g_file_test (refused, G_FILE_TEST_EXISTS))
        continue;  /* refused before: the refusal stands */
      marker = marker_path (dir, blob->sha256, wijk, ".pending");
      {
        g_autofree char *text = g_strconcat (blob->content_type, "\n",
                                             blob->name != NULL ? blob->name : "", NULL);

        if (!g_file_set_contents_full (marker, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                       error))
          return FALSE;
      }
    }
  return TRUE;
}

typedef struct
{
  char      *dir;
  GPtrArray *blobs;
  char      *wijk;
} KeepData;

static void
keep_data_free (KeepData *data)
{
  g_free (data->dir);
  g_ptr_array_unref (data->blobs);
  g_free (data->wijk);
  g_free (data);
}

static void
keep_in_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  KeepData *data = task_data;
  GError *error = NULL;

  if (buurten_blobs_keep (data->dir, data->blobs, data->wijk, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
buurten_blobs_keep_async (const char          *dir,
                          GPtrArray           *blobs,
                          const char          *wijk,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  KeepData *data = g_new0 (KeepData, 1);

  data->dir = g_strdup (dir);
  data->blobs = g_ptr_array_ref (blobs);
  data->wijk = g_strdup (wijk);
  g_task_set_source_tag (task, buurten_blobs_keep_async);
  g_task_set_task_data (task, data, (GDestroyNotify) keep_data_free);
  g_task_run_in_thread (task, keep_in_thread);
}

gboolean
buurten_blobs_keep_finish (GAsyncResult  *result,
                           GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* -- uploading -- */

GPtrArray *
buurten_blobs_pending (const char *dir)
{
  GPtrArray *pending = g_ptr_array_new_with_free_func ((GDestroyNotify) buurten_blob_free);
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  if (listing == NULL)
    return pending;
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *sha = NULL;
      g_autofree char *wijk = NULL;
      g_autofree char *type = NULL;
      g_autofree char *path = NULL;
      BuurtenBlob *blob;
      size_t len = strlen (name);

      if (len < 64 + 2 + strlen (".pending") || !g_str_has_suffix (name, ".pending") ||
          name[64] != '.')
        continue;
      sha = g_strndup (name, 64);
      wijk = g_strndup (name + 65, len - 65 - strlen (".pending"));
      if (!is_sha256 (sha) || !is_wijk (wijk))
        continue;
      path = g_build_filename (dir, name, NULL);
      if (!g_file_get_contents (path, &type, NULL, NULL))
        continue;
      blob = g_new0 (BuurtenBlob, 1);
      {
        char *newline = strchr (type, '\n');

        if (newline != NULL)
          {
            *newline = '\0';
            blob->name = g_strdup (newline + 1);
          }
        g_strstrip (type);
      }
      blob->sha256 = g_steal_pointer (&sha);
      blob->wijk = g_steal_pointer (&wijk);
      blob->content_type = g_steal_pointer (&type);
      g_ptr_array_add (pending, blob);
    }
  return pending;
}

GBytes *
buurten_blobs_load (const char  *dir,
                    const char  *sha256,
                    GError     **error)
{
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *checksum = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize length;

  if (!is_sha256 (sha256))
    {
      g_set_error (error, BUURTEN_BLOBS_ERROR, BUURTEN_BLOBS_ERROR_INVALID, "not a blob");
      return NULL;
    }
  path = g_build_filename (dir, sha256, NULL);
  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;
  bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  checksum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  if (!g_str_equal (checksum, sha256))
    {
      g_set_error (error, BUURTEN_BLOBS_ERROR, BUURTEN_BLOBS_ERROR_INVALID,
                   "a kept blob does not match its hash");
      return NULL;
    }
  return g_steal_pointer (&bytes);
}

gboolean
buurten_blobs_settle (const char         *dir,
                      const BuurtenBlob  *blob,
                      gboolean            refused,
                      GError            **error)
{
  g_autofree char *marker = marker_path (dir, blob->sha256, blob->wijk, ".pending");
  int rc;

  if (refused)
    {
      g_autofree char *to = marker_path (dir, blob->sha256, blob->wijk, ".refused");

      rc = g_rename (marker, to);
    }
  else
    rc = g_unlink (marker);
  if (rc != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "cannot mark a blob: %s", g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}
