/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The HTTP side of sync (design.md, "Sync protocol"): one libsoup session
 * speaking JSON to buurten-server. Its calls block: use it from one worker
 * thread at a time (a cycle makes its own, and lends it to its pull's
 * prefetch thread; libsoup 3.2 sends from any thread), never from the UI
 * thread. */

#define BUURTEN_SYNC_ERROR (buurten_sync_error_quark ())

typedef enum
{
  BUURTEN_SYNC_ERROR_NETWORK,       /* no route, no answer, timed out: retry later */
  BUURTEN_SYNC_ERROR_TLS,           /* the server's certificate is refused: the message says why */
  BUURTEN_SYNC_ERROR_UNAUTHORIZED,  /* 401: log in (again) */
  BUURTEN_SYNC_ERROR_FORBIDDEN,     /* 403 */
  BUURTEN_SYNC_ERROR_NOT_FOUND,     /* 404 */
  BUURTEN_SYNC_ERROR_THROTTLED,     /* 429: too many failed logins */
  BUURTEN_SYNC_ERROR_UNAVAILABLE,   /* 5xx: temporary, retry later */
  BUURTEN_SYNC_ERROR_MID_GAP,       /* 409 on a push */
  BUURTEN_SYNC_ERROR_OLD_SCHEMA,    /* 426: this app is too old for the server */
  BUURTEN_SYNC_ERROR_PROTOCOL,      /* an answer we cannot read, any other status */
  BUURTEN_SYNC_ERROR_BAD_ADDRESS,   /* the server address is not an http(s) URL */
  BUURTEN_SYNC_ERROR_TOO_LARGE,     /* an answer above the client's limit (64 MiB) */
} BuurtenSyncError;

GQuark buurten_sync_error_quark (void);

/* Whether waiting and trying again can help (network, 5xx, throttling). */
gboolean buurten_sync_error_is_temporary (const GError *error);

#define BUURTEN_TYPE_SYNC_CLIENT (buurten_sync_client_get_type ())
G_DECLARE_FINAL_TYPE (BuurtenSyncClient, buurten_sync_client, BUURTEN, SYNC_CLIENT, GObject)

/* server: "https://buurten.example.nl" or "http://127.0.0.1:8080" (the
 * API is under /api/v1). Plain http is accepted for loopback only. */
BuurtenSyncClient *buurten_sync_client_new        (const char         *server,
                                                   GError            **error);
/* Certificates are checked against database instead of the system's
 * authorities (an organisation's own CA, and the TLS tests); the host name
 * is checked all the same. */
void               buurten_sync_client_set_tls_database (BuurtenSyncClient  *self,
                                                         GTlsDatabase       *database);
const char        *buurten_sync_client_get_server (BuurtenSyncClient  *self);
void               buurten_sync_client_set_token  (BuurtenSyncClient  *self,
                                                   const char         *token);

/* One call: method, path below /api/v1 ("/sync/push"), an optional JSON
 * body. Returns the answer's JSON for a 2xx; otherwise NULL with a
 * BUURTEN_SYNC_ERROR whose message is the server's (its code in
 * *server_code when not NULL) or names the TLS or network problem. */
JsonNode          *buurten_sync_client_call       (BuurtenSyncClient  *self,
                                                   const char         *method,
                                                   const char         *path,
                                                   JsonNode           *body,
                                                   char              **server_code,
                                                   GCancellable       *cancellable,
                                                   GError            **error);

/* A PUT of raw bytes (a blob): TRUE for a 2xx answer; errors as for
 * buurten_sync_client_call(). */
gboolean           buurten_sync_client_put_bytes  (BuurtenSyncClient  *self,
                                                   const char         *path,
                                                   const char         *content_type,
                                                   GBytes             *bytes,
                                                   char              **server_code,
                                                   GCancellable       *cancellable,
                                                   GError            **error);

/* A GET whose 2xx answer is returned as text, not parsed (errors as for
 * buurten_sync_client_call()). *next: the path of the next page when the
 * answer names one in a Link header with rel="next" (RFC 8288) below
 * /api/v1, else NULL. */
GBytes            *buurten_sync_client_get_text   (BuurtenSyncClient  *self,
                                                   const char         *path,
                                                   char              **next,
                                                   GCancellable       *cancellable,
                                                   GError            **error);

/* An answer's text as JSON: an object, or NULL with a PROTOCOL error.
 * Thread-safe: it touches no client. */
JsonNode          *buurten_sync_client_parse      (GBytes             *text,
                                                   GError            **error);

/* POST /session. Returns the answer ({"token","expires_at","user"}). */
JsonNode          *buurten_sync_client_login      (BuurtenSyncClient  *self,
                                                   const char         *username,
                                                   const char         *password,
                                                   GCancellable       *cancellable,
                                                   GError            **error);

/* Bytes of request and response bodies and headers so far. */
guint64            buurten_sync_client_get_bytes  (BuurtenSyncClient  *self);

G_END_DECLS
