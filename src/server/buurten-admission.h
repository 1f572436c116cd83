/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "buurten-call.h"

G_BEGIN_DECLS

/* Whether a request may send its body, decided when its head has come and
 * before the body is read (buurten-server.c): the bearer token, and for a
 * blob the right to store it for the wijk of its query (?wijk=). The
 * endpoints check everything again once the body is there. */

typedef enum
{
  BUURTEN_BLOB_PUT_ALLOWED,
  BUURTEN_BLOB_PUT_NOT_STAFF,     /* partners only read what they are given */
  BUURTEN_BLOB_PUT_NO_SUCH_WIJK,
  BUURTEN_BLOB_PUT_NOT_IN_WIJK,
} BuurtenBlobPutRight;

/* The lowercase SHA-256 of /api/v1/blobs/<sha256>, or NULL. */
char               *buurten_blob_hash_from_path (const char          *path);
/* Whether user may store a blob for wijk (NULL: no wijk named). */
BuurtenBlobPutRight buurten_blob_put_right      (const BuurtenUser   *user,
                                                 BuurtenMunicipality *municipality,
                                                 const char          *wijk);
/* Sets the call's error for a right that is not BUURTEN_BLOB_PUT_ALLOWED,
 * with an audit line for the refusals (object: the blob and its wijk). */
void                buurten_blob_put_refuse     (BuurtenCall         *call,
                                                 PGconn              *conn,
                                                 const BuurtenUser   *user,
                                                 BuurtenBlobPutRight  right,
                                                 const char          *object,
                                                 const char          *wijk);

/* The check on a worker: call has the method, path, query, token and
 * origin. Leaves status 0 when the body may come; otherwise the error
 * (401, 403, 404, 422, 503). */
void                buurten_api_admit           (BuurtenCall         *call,
                                                 PGconn              *conn);
/* The same on the HTTP thread, without the database: TRUE when a session
 * remembered by the cache admits it; FALSE means "ask a worker". */
gboolean            buurten_admit_remembered    (BuurtenServerContext *context,
                                                 const char           *path,
                                                 const char           *token,
                                                 GHashTable           *query);

G_END_DECLS
