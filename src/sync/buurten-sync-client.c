/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-sync"

#include "config.h"

#include "buurten-sync-client.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "buurten-core.h"

#define API_PREFIX       "/api/v1"
#define TIMEOUT_SECONDS  60
#define IDLE_SECONDS     30
/* Answers are JSON made by the server; a pull page of 500 rows is far
 * below this, anything bigger is not an answer we asked for. */
#define MAX_ANSWER_BYTES (64 * 1024 * 1024)

/* BUURTEN_SYNC_MAX_ANSWER (bytes): a smaller limit for the tests that
 * make the server's pages too large for the client. */
static gsize
max_answer_bytes (void)
{
  static gsize limit = 0;

  if (g_once_init_enter (&limit))
    {
      const char *text = g_getenv ("BUURTEN_SYNC_MAX_ANSWER");
      guint64 value = MAX_ANSWER_BYTES;

      if (text == NULL ||
          !g_ascii_string_to_unsigned (text, 10, 1024, MAX_ANSWER_BYTES, &value, NULL))
        value = MAX_ANSWER_BYTES;
      g_once_init_leave (&limit, (gsize) value);
    }
  return limit;
}
#define MAX_ANSWER_DEPTH 64

struct _BuurtenSyncClient
{
  GObject      parent_instance;

  char        *server;   /* without a trailing slash */
  char        *token;
  SoupSession *session;
  guint64      bytes;
};

G_DEFINE_FINAL_TYPE (BuurtenSyncClient, buurten_sync_client, G_TYPE_OBJECT)

G_DEFINE_QUARK (buurten-sync-error-quark, buurten_sync_error)

gboolean
buurten_sync_error_is_temporary (const GError *error)
{
  return error != NULL && error->domain == BUURTEN_SYNC_ERROR &&
         (error->code == BUURTEN_SYNC_ERROR_NETWORK ||
          error->code == BUURTEN_SYNC_ERROR_UNAVAILABLE ||
          error->code == BUURTEN_SYNC_ERROR_THROTTLED);
}

static void
buurten_sync_client_finalize (GObject *object)
{
  BuurtenSyncClient *self = BUURTEN_SYNC_CLIENT (object);

  g_free (self->server);
  /* The token is a secret: not left behind in freed memory. */
  if (self->token != NULL)
    {
      memset (self->token, 0, strlen (self->token));
      g_free (self->token);
    }
  g_clear_object (&self->session);

  G_OBJECT_CLASS (buurten_sync_client_parent_class)->finalize (object);
}

static void
buurten_sync_client_class_init (BuurtenSyncClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = buurten_sync_client_finalize;
}

static void
buurten_sync_client_init (BuurtenSyncClient *self)
{
}

/* Exactly these names: "127.evil.example" is a name like any other, and
 * resolves wherever its owner wants. */
static gboolean
is_loopback (const char *host)
{
  return g_strcmp0 (host, "localhost") == 0 || g_strcmp0 (host, "::1") == 0 ||
         g_strcmp0 (host, "127.0.0.1") == 0;
}

BuurtenSyncClient *
buurten_sync_client_new (const char  *server,
                         GError     **error)
{
  g_autoptr(BuurtenSyncClient) self = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *text = NULL;
  const char *scheme, *host;

  g_return_val_if_fail (server != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  text = g_strstrip (g_strdup (server));
  /* People type "buurten.hilversum.nl": that means https. */
  if (*text != '\0' && strstr (text, "://") == NULL)
    {
      char *with_scheme = g_strconcat ("https://", text, NULL);

      g_free (text);
      text = with_scheme;
    }
  while (g_str_has_suffix (text, "/"))
    text[strlen (text) - 1] = '\0';

  uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  host = uri != NULL ? g_uri_get_host (uri) : NULL;
  if (uri == NULL || host == NULL || *host == '\0' ||
      (g_strcmp0 (scheme, "https") != 0 && g_strcmp0 (scheme, "http") != 0) ||
      g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL ||
      g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error (error, BUURTEN_SYNC_ERROR, BUURTEN_SYNC_ERROR_BAD_ADDRESS,
                   _("“%s” is not a server address. Type it like buurten.hilversum.nl."),
                   server);
      return NULL;
    }
  /* Tokens and residents' data never travel unencrypted over a network;
   * plain http is for a server on this very computer (tests, a proxy). */
  if (g_strcmp0 (scheme, "http") == 0 && !is_loopback (host))
    {
      g_set_error (error, BUURTEN_SYNC_ERROR, BUURTEN_SYNC_ERROR_BAD_ADDRESS,
                   _("The server address must start with https://: "
                     "an unencrypted connection is only allowed to this computer."));
      return NULL;
    }

  self = g_object_new (BUURTEN_TYPE_SYNC_CLIENT, NULL);
  self->server = g_steal_pointer (&text);
  /* The default TLS database checks certificates against the system's
   * authorities and the host name; nothing here loosens that. */
  self->session = soup_session_new_with_options ("timeout", TIMEOUT_SECONDS,
                                                 "idle-timeout", IDLE_SECONDS,
                                                 "user-agent", "Buurten/" PACKAGE_VERSION,
                                                 NULL);
  return g_steal_pointer (&self);
}

void
buurten_sync_client_set_tls_database (BuurtenSyncClient *self,
                                      GTlsDatabase      *database)
{
  g_return_if_fail (BUURTEN_IS_SYNC_CLIENT (self));
  g_return_if_fail (G_IS_TLS_DATABASE (database));

  g_object_set (self->session, "tls-database", database, NULL);
}

const char *
buurten_sync_client_get_server (BuurtenSyncClient *self)
{
  g_return_val_if_fail (BUURTEN_IS_SYNC_CLIENT (self), NULL);
  return self->server;
}

void
buurten_sync_client_set_token (BuurtenSyncClient *self,
                               const char        *token)
{
  g_return_if_fail (BUURTEN_IS_SYNC_CLIENT (self));

  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_free (self->token);
  self->token = g_strdup (token);
}

guint64
buurten_sync_client_get_bytes (BuurtenSyncClient *self)
{
  g_return_val_if_fail (BUURTEN_IS_SYNC_CLIENT (self), 0);
  return self->bytes;
}

static char *
certificate_problem (GTlsCertificateFlags flags)
{
  if (flags & G_TLS_CERTIFICATE_UNKNOWN_CA)
    return g_strdup (_("The server's certificate is not signed by an authority this "
                       "computer trusts."));
  if (flags & G_TLS_CERTIFICATE_BAD_IDENTITY)
    return g_strdup (_("The server's certificate is for another address."));
  if (flags & G_TLS_CERTIFICATE_EXPIRED)
    return g_strdup (_("The server's certificate has expired."));
  if (flags & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    return g_strdup (_("The server's certificate is not valid yet."));
  if (flags & G_TLS_CERTIFICATE_REVOKED)
    return g_strdup (_("The server's certificate has been revoked."));
  if (flags & G_TLS_CERTIFICATE_INSECURE)
    return g_strdup (_("The server's certificate uses an insecure algorithm."));
  return g_strdup (_("The server's certificate could not be verified."));
}

static void
count_header (const char *name,
              const char *value,
              gpointer    user_data)
{
  guint64 *bytes = user_data;

  *bytes += strlen (name) + strlen (value) + 4;  /* ": " and CRLF */
}

static guint64
header_bytes (SoupMessageHeaders *headers)
{
  guint64 bytes = 2;  /* the empty line */

  soup_message_headers_foreach (headers, count_header, &bytes);
  return bytes;
}

/* The server's {"error":{"code","message"}}, as a GError. */
static void
set_status_error (GError    **error,
                  guint       status,
                  JsonNode   *answer,
                  char      **server_code)
{
  const char *code = NULL, *message = NULL;
  int our_code;

  if (answer != NULL && JSON_NODE_HOLDS_OBJECT (answer))
    {
      JsonNode *err = json_object_get_member (json_node_get_object (answer), "error");

      if (err != NULL && JSON_NODE_HOLDS_OBJECT (err))
        {
          JsonObject *object = json_node_get_object (err);

          code = json_object_get_string_member_with_default (object, "code", NULL);
          message = json_object_get_string_member_with_default (object, "message", NULL);
        }
    }
  if (server_code != NULL)
    *server_code = g_strdup (code);

  switch (status)
    {
    case SOUP_STATUS_UNAUTHORIZED:
      our_code = BUURTEN_SYNC_ERROR_UNAUTHORIZED;
      break;
    case SOUP_STATUS_FORBIDDEN:
      our_code = BUURTEN_SYNC_ERROR_FORBIDDEN;
      break;
    case SOUP_STATUS_NOT_FOUND:
      our_code = BUURTEN_SYNC_ERROR_NOT_FOUND;
      break;
    case SOUP_STATUS_CONFLICT:
      our_code = g_strcmp0 (code, "MID_GAP") == 0 ? BUURTEN_SYNC_ERROR_MID_GAP
                                                  : BUURTEN_SYNC_ERROR_PROTOCOL;
      break;
    case 426:
      our_code = BUURTEN_SYNC_ERROR_OLD_SCHEMA;
      break;
    case 429:
      our_code = BUURTEN_SYNC_ERROR_THROTTLED;
      break;
    default:
      our_code = status >= 500 ? BUURTEN_SYNC_ERROR_UNAVAILABLE : BUURTEN_SYNC_ERROR_PROTOCOL;
      break;
    }

  /* The server's message is English and for logs; the app shows its own
   * text chosen by the code (docs/api.md). This one is for diagnosis. */
  g_set_error (error, BUURTEN_SYNC_ERROR, our_code, "HTTP %u %s: %s", status,
               code != NULL ? code : "-", message != NULL ? message : "no message");
}

/* One request and its whole answer. Returns the bytes of a 2xx answer
 * (maybe empty), or NULL with a network, TLS, size or status error (the
 * server's code in *server_code when not NULL). The message is returned
 * for its headers. */
static GBytes *
exchange (BuurtenSyncClient  *self,
          const char         *method,
          const char         *path,
          JsonNode           *body,
          const char         *content_type,
          GBytes             *raw,
          SoupMessage       **out_msg,
          char              **server_code,
          GCancellable       *cancellable,
          GError            **error)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) answer_bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *url = NULL;
  gsize length;

  url = g_strconcat (self->server, API_PREFIX, path, NULL);
  msg = soup_message_new (method, url);
  if (msg == NULL)
    {
      g_set_error (error, BUURTEN_SYNC_ERROR, BUURTEN_SYNC_ERROR_BAD_ADDRESS,
                   _("“%s” is not a server address. Type it like buurten.hilversum.nl."),
                   self->server);
      return NULL;
    }
  if (self->token != NULL)
    {
      g_autofree char *bearer = g_strconcat ("Bearer ", self->token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg),
                                    "Authorization", bearer);
      memset (bearer, 0, strlen (bearer));
    }
  if (body != NULL)
    {
      char *json = buurten_json_to_string (body);
      gsize json_length = strlen (json);
      g_autoptr(GBytes) bytes = g_bytes_new_take (json, json_length);

      soup_message_set_request_body_from_bytes (msg, "application/json; charset=utf-8", bytes);
      self->bytes += json_length;
    }
  else if (raw != NULL)
    {
      soup_message_set_request_body_from_bytes (msg, content_type, raw);
      self->bytes += g_bytes_get_size (raw);
    }

  answer_bytes = soup_session_send_and_read (self->session, msg, cancellable, &local_error);
  self->bytes += strlen (method) + strlen (url) + 12 +
                 header_bytes (soup_message_get_request_headers (msg));
  if (answer_bytes == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (local_error->domain == G_TLS_ERROR)
        {
          g_autofree char *problem =
            certificate_problem (soup_message_get_tls_peer_certificate_errors (msg));

          g_set_error_literal (error, BUURTEN_SYNC_ERROR, BUURTEN_SYNC_ERROR_TLS, problem);
          return NULL;
        }
      g_set_error (error, BUURTEN_SYNC_ERROR, BUURTEN_SYNC_ERROR_NETWORK,
                   _("Cannot reach the server: %s"), local_error->message);
      return NULL;
    }

  length = g_bytes_get_size (answer_bytes);
  self->bytes += length + 17 + header_bytes (soup_message_get_response_headers (msg));
  if (length > max_answer_bytes ())
    {
      g_set_error (error, BUURTEN_SYNC_ERROR, BUURTEN_SYNC_ERROR_TOO_LARGE,
                   "HTTP %u: an answer of %" G_GSIZE_FORMAT " bytes is too large",
                   soup_message_get_status (msg), length);
      return NULL;
    }
  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg)))
    {
      /* The error's code and message, from its JSON when it has one. */
      g_autoptr(JsonNode) answer = NULL;

      if (length > 0)
        answer = buurten_json_parse (g_bytes_get_data (answer_bytes, NULL), (gssize) length,
                                     MAX_ANSWER_DEPTH, NULL);
      set_status_error (error, soup_message_get_status (msg), answer, server_code);
      return NULL;
    }

  *out_msg = g_steal_pointer (&msg);
  return g_steal_pointer (&answer_bytes);
}

JsonNode *
buurten_sync_client_call (BuurtenSyncClient  *self,
                          const char         *method,
                          const char         *path,
                          JsonNode           *body,
                          char              **server_code,
                          GCancellable       *cancellable,
                          GError            **error)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) answer_bytes = NULL;

  g_return_val_if_fail (BUURTEN_IS_SYNC_CLIENT (self), NULL);
  g_return_val_if_fail (method != NULL && path != NULL && path[0] == '/', NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (server_code != NULL)
    *server_code = NULL;

  answer_bytes = exchange (self, method, path, body, NULL, NULL, &msg, server_code,
                           cancellable, error);
  if (answer_bytes == NULL)
    return NULL;
  return buurten_sync_client_parse (answer_bytes, error);
}

JsonNode *
buurten_sync_client_parse (GBytes  *text,
                           GError **error)
{
  g_autoptr(JsonNode) answer = NULL;
  gsize length;
  const char *data;

  g_return_val_if_fail (text != NULL, NULL);

  data = g_bytes_get_data (text, &length);
  if (length > 0)
    answer = buurten_json_parse (data, (gssize) length, MAX_ANSWER_DEPTH, NULL);
  if (answer == NULL || !JSON_NODE_HOLDS_OBJECT (answer))
    {
      g_set_error_literal (error, BUURTEN_SYNC_ERROR, BUURTEN_SYNC_ERROR_PROTOCOL,
                           "the answer is not a JSON object");
      return NULL;
    }
  return g_steal_pointer (&answer);
}

/* The target of a Link header's rel="next" (RFC 8288) when it is a path
 * of this API ("/api/v1/..."): returned without the prefix. Anything else
 * is not followed. */
static char *
next_link (SoupMessage *msg)
{
  const char *link = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                   "Link");
  const char *close;
  g_autofree char *target = NULL;

  if (link == NULL || link[0] != '<' || (close = strchr (link, '>')) == NULL)
    return NULL;
  if (strstr (close, "rel=\"next\"") == NULL)
    return NULL;
  target = g_strndup (link + 1, close - link - 1);
  if (!g_str_has_prefix (target, API_PREFIX "/") || strchr (target, '#') != NULL ||
      strstr (target, "..") != NULL)
    return NULL;
  return g_strdup (target + strlen (API_PREFIX));
}

GBytes *
buurten_sync_client_get_text (BuurtenSyncClient  *self,
                              const char         *path,
                              char              **next,
                              GCancellable       *cancellable,
                              GError            **error)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) answer_bytes = NULL;

  g_return_val_if_fail (BUURTEN_IS_SYNC_CLIENT (self), NULL);
  g_return_val_if_fail (path != NULL && path[0] == '/', NULL);
  g_return_val_if_fail (next != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  *next = NULL;
  answer_bytes = exchange (self, "GET", path, NULL, NULL, NULL, &msg, NULL, cancellable, error);
  if (answer_bytes == NULL)
    return NULL;
  *next = next_link (msg);
  return g_steal_pointer (&answer_bytes);
}

JsonNode *
buurten_sync_client_login (BuurtenSyncClient  *self,
                           const char         *username,
                           const char         *password,
                           GCancellable       *cancellable,
                           GError            **error)
{
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) answer = NULL;
  JsonObject *object;
  JsonNode *token;

  g_return_val_if_fail (BUURTEN_IS_SYNC_CLIENT (self), NULL);
  g_return_val_if_fail (username != NULL && password != NULL, NULL);

  object = json_object_new ();
  json_object_set_string_member (object, "username", username);
  json_object_set_string_member (object, "password", password);
  body = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (body, object);

  answer = buurten_sync_client_call (self, "POST", "/session", body, NULL, cancellable, error);
  if (answer == NULL)
    return NULL;

  token = json_object_get_member (json_node_get_object (answer), "token");
  if (token == NULL || !JSON_NODE_HOLDS_VALUE (token) ||
      json_node_get_value_type (token) != G_TYPE_STRING)
    {
      g_set_error_literal (error, BUURTEN_SYNC_ERROR, BUURTEN_SYNC_ERROR_PROTOCOL,
                           "login: the answer has no token");
      return NULL;
    }
  buurten_sync_client_set_token (self, json_node_get_string (token));
  return g_steal_pointer (&answer);
}

gboolean
buurten_sync_client_put_bytes (BuurtenSyncClient  *self,
                               const char         *path,
                               const char         *content_type,
                               GBytes             *bytes,
                               char              **server_code,
                               GCancellable       *cancellable,
                               GError            **error)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) answer_bytes = NULL;

  g_return_val_if_fail (BUURTEN_IS_SYNC_CLIENT (self), FALSE);
  g_return_val_if_fail (path != NULL && path[0] == '/', FALSE);
  g_return_val_if_fail (content_type != NULL && bytes != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (server_code != NULL)
    *server_code = NULL;
  answer_bytes = exchange (self, "PUT", path, NULL, content_type, bytes, &msg, server_code,
                           cancellable, error);
  return answer_bytes != NULL;
}
