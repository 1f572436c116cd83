/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "buurten-store.h"

G_BEGIN_DECLS

/* Attachments kept beside the store, addressed by the SHA-256 of their
 * bytes: DATA_DIR/blobs/<sha256> is the copy (written through a temporary
 * file and renamed), DATA_DIR/blobs/<sha256>.<wijk>.pending says that it
 * waits to go to the server for that wijk (its text is the content type,
 * a newline and the file's name),
 * and .refused instead of .pending that the server refused it (it is not
 * sent again; the refusal is in the attention list). */

#define BUURTEN_BLOB_MAX_BYTES (10 * 1024 * 1024)

#define BUURTEN_BLOBS_ERROR (buurten_blobs_error_quark ())
typedef enum
{
  BUURTEN_BLOBS_ERROR_TOO_LARGE,
  BUURTEN_BLOBS_ERROR_INVALID,
} BuurtenBlobsError;
GQuark buurten_blobs_error_quark (void);

typedef struct
{
  char   *sha256;        /* 64 lowercase hex digits */
  char   *name;          /* the file's base name (shown, never logged) */
  char   *content_type;  /* a MIME type: "application/pdf" */
  char   *wijk;          /* NULL until kept */
  GBytes *bytes;         /* NULL for a pending one listed from disk */
} BuurtenBlob;

BuurtenBlob *buurten_blob_copy          (const BuurtenBlob *blob);
void         buurten_blob_free          (BuurtenBlob *blob);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BuurtenBlob, buurten_blob_free)

/* DATA_DIR/blobs for the store at DATA_DIR/buurten.db. */
char        *buurten_blobs_dir          (BuurtenStore *store);

/* Reads and hashes a chosen file in a worker thread; more than
 * BUURTEN_BLOB_MAX_BYTES is BUURTEN_BLOBS_ERROR_TOO_LARGE (nothing read). */
void         buurten_blob_read_async    (GFile                *file,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
BuurtenBlob *buurten_blob_read_finish   (GAsyncResult         *result,
                                         GError              **error);

/* Keeps blobs (BuurtenBlob*, with bytes) in dir, each waiting for upload
 * for wijk. Blocking. */
gboolean     buurten_blobs_keep         (const char           *dir,
                                         GPtrArray            *blobs,
                                         const char           *wijk,
                                         GError              **error);
/* The same in a worker thread; blobs is referenced. */
void         buurten_blobs_keep_async   (const char           *dir,
                                         GPtrArray            *blobs,
                                         const char           *wijk,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
gboolean     buurten_blobs_keep_finish  (GAsyncResult         *result,
                                         GError              **error);

/* The blobs waiting for upload (BuurtenBlob*, bytes NULL, wijk set). */
GPtrArray   *buurten_blobs_pending      (const char           *dir);
/* The bytes of a kept blob, checked against its hash. */
GBytes      *buurten_blobs_load         (const char           *dir,
                                         const char           *sha256,
                                         GError              **error);
/* Done with a waiting blob: uploaded (the marker goes) or refused (the
 * marker becomes .refused). */
gboolean     buurten_blobs_settle       (const char           *dir,
                                         const BuurtenBlob    *blob,
                                         gboolean              refused,
                                         GError              **error);

G_END_DECLS
