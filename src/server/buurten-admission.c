/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-server"

#include "config.h"

#include "buurten-admission.h"

#include "buurten-visibility.h"

#include <string.h>

#define BLOBS_PREFIX "/api/v1/blobs/"

static gboolean
is_blob_path (const char *path)
{
  return g_str_has_prefix (path, BLOBS_PREFIX);
}

char *
buurten_blob_hash_from_path (const char *path)
{
  const char *hash;
  gsize len;

  g_return_val_if_fail (path != NULL, NULL);

  if (!is_blob_path (path))
    return NULL;

  hash = path + strlen (BLOBS_PREFIX);
  len = strlen (hash);
  if (len != 64)
    return NULL;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isxdigit (hash[i]))
      return NULL;

  return g_ascii_strdown (hash, -1);
}

BuurtenBlobPutRight
buurten_blob_put_right (const BuurtenUser   *user,
                        BuurtenMunicipality *municipality,
                        const char          *wijk)
{
  g_return_val_if_fail (user != NULL, BUURTEN_BLOB_PUT_NOT_STAFF);

  if (!buurten_staff_anywhere (user->grants))
    return BUURTEN_BLOB_PUT_NOT_STAFF;
  /* The wijk the file is for: whoever is staff there may read it. */
  if (wijk != NULL && buurten_municipality_lookup_wijk (municipality, wijk) == NULL)
    return BUURTEN_BLOB_PUT_NO_SUCH_WIJK;
  if (wijk != NULL && !buurten_grants_staff_in (user->grants, municipality, wijk))
    return BUURTEN_BLOB_PUT_NOT_IN_WIJK;
  return BUURTEN_BLOB_PUT_ALLOWED;
}

void
buurten_blob_put_refuse (BuurtenCall         *call,
                         PGconn              *conn,
                         const BuurtenUser   *user,
                         BuurtenBlobPutRight  right,
                         const char          *object,
                         const char          *wijk)
{
  switch (right)
    {
    case BUURTEN_BLOB_PUT_NOT_STAFF:
      buurten_audit (conn, user->username, "blob.put", object, "forbidden", call->origin);
      buurten_call_set_error (call, 403, BUURTEN_CODE_FORBIDDEN, "You cannot store files.");
      break;
    case BUURTEN_BLOB_PUT_NO_SUCH_WIJK:
      buurten_call_set_error (call, 422, BUURTEN_CODE_VALIDATION, "wijk: no such wijk");
      break;
    case BUURTEN_BLOB_PUT_NOT_IN_WIJK:
      buurten_audit (conn, user->username, "blob.put", object, "forbidden:wijk", call->origin);
      buurten_call_set_error (call, 403, BUURTEN_CODE_FORBIDDEN,
                              "You hold no role in %s: you cannot store files for it.", wijk);
      break;
    case BUURTEN_BLOB_PUT_ALLOWED:
    default:
      break;
    }
}

void
buurten_api_admit (BuurtenCall *call,
                   PGconn      *conn)
{
  BuurtenMunicipality *municipality = call->context->municipality;
  g_autoptr(BuurtenUser) user = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *object = NULL;
  const char *wijk = NULL;
  BuurtenBlobPutRight right;

  /* The same statement as every endpoint's (it remembers the session). */
  user = buurten_call_authenticate (call, conn);
  if (user == NULL)
    return;

  if (!is_blob_path (call->path))
    return;

  hash = buurten_blob_hash_from_path (call->path);
  if (hash == NULL)
    {
      buurten_call_set_error (call, 404, BUURTEN_CODE_NOT_FOUND,
                              "Use /api/v1/blobs/<sha256 in hex>.");
      return;
    }

  if (call->query != NULL)
    wijk = g_hash_table_lookup (call->query, "wijk");
  right = buurten_blob_put_right (user, municipality, wijk);
  if (right == BUURTEN_BLOB_PUT_ALLOWED)
    return;

  object = wijk != NULL && buurten_municipality_lookup_wijk (municipality, wijk) != NULL
    ? g_strconcat (hash, " wijk:", wijk, NULL) : g_strdup (hash);
  buurten_blob_put_refuse (call, conn, user, right, object, wijk);
}

gboolean
buurten_admit_remembered (BuurtenServerContext *context,
                          const char           *path,
                          const char           *token,
                          GHashTable           *query)
{
  g_autofree char *token_hash = NULL;
  g_autofree char *blob_hash = NULL;
  g_autoptr(BuurtenUser) user = NULL;
  const char *wijk = NULL;

  g_return_val_if_fail (context != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (token == NULL)
    return FALSE;

  token_hash = buurten_token_hash (token);
  user = buurten_session_cache_lookup (context->sessions, token_hash);
  if (user == NULL)
    return FALSE;

  if (!is_blob_path (path))
    return TRUE;

  /* Anything else is refused by a worker, which writes the audit line. */
  blob_hash = buurten_blob_hash_from_path (path);
  if (blob_hash == NULL)
    return FALSE;
  if (query != NULL)
    wijk = g_hash_table_lookup (query, "wijk");
  return buurten_blob_put_right (user, context->municipality, wijk) == BUURTEN_BLOB_PUT_ALLOWED;
}
