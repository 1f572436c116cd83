/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-server"

#include "config.h"

#include "buurten-server-private.h"

#include "buurten-admission.h"

#include <gio/gnetworking.h>
#include <glib-unix.h>
#include <errno.h>
#include <signal.h>
#include <string.h>

static const Route routes[] = {
  { "GET",    "/api/v1/health",             buurten_api_health,      BODY_NONE, TRUE },
  { "POST",   "/api/v1/session",            buurten_api_login,       BODY_JSON, FALSE },
  { "DELETE", "/api/v1/session",            buurten_api_logout,      BODY_NONE, FALSE },
  { "GET",    "/api/v1/me",                 buurten_api_me,          BODY_NONE, TRUE },
  { "POST",   "/api/v1/sync/push",          buurten_api_push,        BODY_JSON, FALSE },
  { "GET",    "/api/v1/sync/pull",          buurten_api_pull,        BODY_NONE, TRUE },
  { "GET",    "/api/v1/public/thermometer", buurten_api_thermometer, BODY_NONE, TRUE },
  { "GET",    "/api/v1/objects/",           buurten_api_object,      BODY_NONE, TRUE },
  { "PUT",    "/api/v1/blobs/",             buurten_api_blob_put,    BODY_BLOB, FALSE },
  { "GET",    "/api/v1/blobs/",             buurten_api_blob_get,    BODY_NONE, TRUE },
};

/* A login is a username and a password: its body is never larger. */
#define LOGIN_MAX_BODY 4096

/* The check before a body is read (buurten-admission.c), on a worker. */
static const Route admission_route = {
  NULL, NULL, buurten_api_admit, BODY_NONE, TRUE
};

/* What a blob may be. */
static const char * const blob_types[] = {
  "image/jpeg", "image/png", "image/webp", "application/pdf", NULL
};

/* Per message: it is counted in in_flight; it finished (the client went,
 * or the answer was sent); the bytes of a chunked body so far. */
static G_DEFINE_QUARK (buurten-counted, counted)
static G_DEFINE_QUARK (buurten-finished, finished)
static G_DEFINE_QUARK (buurten-received, received)
static G_DEFINE_QUARK (buurten-body-budget, body_budget)

void
job_free (Job *job)
{
  g_clear_object (&job->msg);
  g_clear_pointer (&job->call, buurten_call_free);
  g_free (job);
}

static gboolean
route_matches (const Route *route,
               const char  *path)
{
  gsize len = strlen (route->path);

  if (route->path[len - 1] == '/')
    return g_str_has_prefix (path, route->path) && path[len] != '\0';

  return g_str_equal (path, route->path);
}

static void
set_json_response (SoupServerMessage *msg,
                   guint              status,
                   const char        *json)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  /* Nothing of the API may be cached or sniffed by a browser. */
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json; charset=utf-8", SOUP_MEMORY_COPY,
                                    json, strlen (json));
}

static void
respond_error (SoupServerMessage *msg,
               guint              status,
               const char        *code,
               const char        *message)
{
  g_autofree char *json = buurten_error_json (code, message);

  set_json_response (msg, status, json);
}

/* The address of the client, or of the first proxy hop when configured to
 * trust it (behind nginx every client is 127.0.0.1 otherwise). */
static char *
client_origin (BuurtenServer     *self,
               SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *host = soup_server_message_get_remote_host (msg);

  if (self->options.trust_proxy)
    {
      const char *forwarded = soup_message_headers_get_one (headers, "X-Forwarded-For");

      if (forwarded != NULL)
        {
          /* The proxy appends the address it saw: the last entry. */
          const char *last = strrchr (forwarded, ',');
          g_autofree char *text = g_strdup (last != NULL ? last + 1 : forwarded);

          g_strstrip (text);
          if (*text != '\0' && strlen (text) <= 64 && g_hostname_is_ip_address (text))
            return g_steal_pointer (&text);
        }
    }

  return g_strdup (host != NULL ? host : "unknown");
}

static char *
bearer_token (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *value = soup_message_headers_get_one (headers, "Authorization");

  if (value == NULL || g_ascii_strncasecmp (value, "Bearer ", 7) != 0)
    return NULL;

  value += 7;
  while (*value == ' ')
    value++;

  /* Tokens are 64 hex digits; anything else cannot match a session, but
   * must not reach the database as arbitrary text either. */
  if (strlen (value) > 128)
    return NULL;

  return g_strdup (value);
}

/* application/json, optionally with charset=utf-8 and nothing else. */
static gboolean
content_type_is_json (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(GHashTable) params = NULL;
  const char *type = soup_message_headers_get_content_type (headers, &params);
  const char *charset;

  if (type == NULL || g_ascii_strcasecmp (type, "application/json") != 0)
    return FALSE;

  charset = params != NULL ? g_hash_table_lookup (params, "charset") : NULL;
  return charset == NULL || g_ascii_strcasecmp (charset, "utf-8") == 0;
}

static const char *
blob_content_type (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *type = soup_message_headers_get_content_type (headers, NULL);

  for (guint i = 0; type != NULL && blob_types[i] != NULL; i++)
    if (g_ascii_strcasecmp (type, blob_types[i]) == 0)
      return blob_types[i];

  return NULL;
}

static void
log_request (BuurtenServer *self,
             const Route   *route,
             const char    *method,
             const char    *path,
             guint          status,
             gint64         user_id,
             gint64         started)
{
  double ms = (g_get_monotonic_time () - started) / 1000.0;

  if (!self->options.verbose && route != NULL && route->quiet && status < 400)
    return;

  /* The path holds no personal data (ids are random UUIDs); the query
   * string and the body are never logged. The user is a number. */
  if (user_id > 0)
    g_message ("%s %s %u %.1f ms user #%" G_GINT64_FORMAT, method, path, status, ms, user_id);
  else
    g_message ("%s %s %u %.1f ms", method, path, status, ms);
}

/* ---- answers before the body is read --------------------------------------- */

static const Route *
find_route (const char *method,
            const char *path,
            gboolean   *out_path_known)
{
  gboolean path_known = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      if (!route_matches (&routes[i], path))
        continue;
      path_known = TRUE;
      if (g_str_equal (routes[i].method, method))
        {
          *out_path_known = TRUE;
          return &routes[i];
        }
    }

  *out_path_known = path_known;
  return NULL;
}

/* "GET, PUT": the methods of the routes of path. */
static char *
allowed_methods (const char *path)
{
  GString *allow = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    if (route_matches (&routes[i], path))
      g_string_append_printf (allow, "%s%s", allow->len > 0 ? ", " : "", routes[i].method);
  return g_string_free (allow, FALSE);
}

/* Answers msg without reading its body (libsoup would read all of it
 * before letting us answer): the connection is taken from libsoup, the
 * answer written with Connection: close, and at most 8 MiB of what the
 * client still sends read and dropped, for at most 5 s. extra_headers is
 * NULL or lines ending in CRLF. */
static void
reject_early (HttpThread        *http,
              SoupServerMessage *msg,
              guint              status,
              const char        *json,
              const char        *extra_headers,
              const char        *why)
{
  g_autofree char *response = NULL;
  const char *method = soup_server_message_get_method (msg);
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));
  gboolean path_known;

  /* Logged first: the message says nothing once its connection is gone.
   * A path no route knows is not logged (it is whatever a client sent). */
  find_route (method, path, &path_known);
  g_message ("%s %s %u (%s)", method, path_known ? path : "(unknown path)", status, why);

  response = g_strdup_printf ("HTTP/1.1 %u %s\r\n"
                              "Content-Type: application/json; charset=utf-8\r\n"
                              "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                              "Cache-Control: no-store\r\n"
                              "X-Content-Type-Options: nosniff\r\n"
                              "%s"
                              "Connection: close\r\n\r\n%s",
                              status, soup_status_get_phrase (status), strlen (json),
                              extra_headers != NULL ? extra_headers : "", json);
  buurten_connections_answer_and_close (http->connections, msg, response, 5, 8 * 1024 * 1024);
}

static void
reject_error (HttpThread        *http,
              SoupServerMessage *msg,
              guint              status,
              const char        *code,
              const char        *message,
              const char        *extra_headers,
              const char        *why)
{
  g_autofree char *json = buurten_error_json (code, message);

  reject_early (http, msg, status, json, extra_headers, why);
}

static void
reject_too_large (HttpThread        *http,
                  SoupServerMessage *msg,
                  gsize              limit)
{
  g_autofree char *message = NULL;
  g_autofree char *why = NULL;

  message = g_strdup_printf ("The request body is larger than the limit of %" G_GSIZE_FORMAT
                             " bytes.", limit);
  why = g_strdup_printf ("body over %" G_GSIZE_FORMAT " bytes", limit);
  reject_error (http, msg, 413, BUURTEN_CODE_TOO_LARGE, message, NULL, why);
}

static gsize
body_limit (BuurtenServer     *self,
            SoupServerMessage *msg)
{
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));

  if (g_str_has_prefix (path, "/api/v1/blobs/"))
    return self->options.max_blob;
  if (g_str_equal (path, "/api/v1/session"))
    return MIN (LOGIN_MAX_BODY, self->options.max_body);

  return self->options.max_body;
}

static void
on_got_chunk (SoupServerMessage *msg,
              GBytes            *chunk,
              gpointer           user_data)
{
  HttpThread *http = user_data;
  gsize received = GPOINTER_TO_SIZE (g_object_get_qdata (G_OBJECT (msg), received_quark ()));
  gsize limit = body_limit (http->server, msg);

  /* Chunked bodies announce no length: count as they come. */
  received += g_bytes_get_size (chunk);
  g_object_set_qdata (G_OBJECT (msg), received_quark (), GSIZE_TO_POINTER (received));
  if (received > limit)
    reject_too_large (http, msg, limit);
}

/* What a message holds of the body budget, given back when it is freed
 * (its body, and the job's copy of it, go with it). */
typedef struct
{
  BuurtenServer *server;
  gsize          bytes;
} BodyBudget;

static void
body_budget_release (gpointer data)
{
  BodyBudget *budget = data;

  g_atomic_pointer_add (&budget->server->body_bytes, -(gssize) budget->bytes);
  g_free (budget);
}

/* Reserves what msg's body can take in memory, before it is read: twice
 * its length (libsoup keeps the chunks, the worker gets one flat copy), or
 * twice the limit when chunked. FALSE when the budget is spent: the
 * bodies already admitted are bounded by it, whatever the clients send. */
static gboolean
reserve_body (BuurtenServer     *self,
              SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  BodyBudget *budget;
  gsize bytes;

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH)
    bytes = 2 * (gsize) soup_message_headers_get_content_length (headers);
  else
    bytes = 2 * body_limit (self, msg);

  if ((gsize) g_atomic_pointer_add (&self->body_bytes, (gssize) bytes) + bytes >
      self->options.body_memory)
    {
      g_atomic_pointer_add (&self->body_bytes, -(gssize) bytes);
      return FALSE;
    }

  budget = g_new0 (BodyBudget, 1);
  budget->server = self;
  budget->bytes = bytes;
  g_object_set_qdata_full (G_OBJECT (msg), body_budget_quark (), budget, body_budget_release);
  return TRUE;
}

static void
reject_busy (HttpThread        *http,
             SoupServerMessage *msg,
             const char        *why)
{
  reject_error (http, msg, 503, BUURTEN_CODE_UNAVAILABLE,
                "The server is busy; try again in a moment.", "Retry-After: 1\r\n", why);
}

static gboolean
queue_full (BuurtenServer *self)
{
  return g_thread_pool_unprocessed (self->workers) >= self->options.max_queue;
}

/* The body may not come yet: a worker checks the token (and the right to
 * store a blob) while the message is paused; admission_done() goes on. */
static void
admit_on_worker (HttpThread        *http,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 char              *token)
{
  BuurtenServer *self = http->server;
  BuurtenConnStream *conn = buurten_connections_lookup (msg);
  BuurtenCall *call;
  Job *job;

  /* As in on_request(): counted before draining is read. */
  g_atomic_int_inc (&self->in_flight);
  if (g_atomic_int_get (&self->draining) || queue_full (self))
    {
      gboolean draining = g_atomic_int_get (&self->draining);

      g_free (token);
      reject_error (http, msg, 503, BUURTEN_CODE_UNAVAILABLE,
                    draining ? "The server is shutting down; try again in a moment."
                             : "The server is busy; try again in a moment.",
                    "Retry-After: 1\r\n", draining ? "shutting down" : "worker queue full");
      if (g_atomic_int_dec_and_test (&self->in_flight))
        maybe_quit (self);
      return;
    }

  call = g_new0 (BuurtenCall, 1);
  call->context = self->context;
  call->method = g_strdup (soup_server_message_get_method (msg));
  call->path = g_strdup (path);
  call->token = token;
  if (query != NULL)
    call->query = g_hash_table_ref (query);

  job = g_new0 (Job, 1);
  job->http = http;
  job->msg = g_object_ref (msg);
  job->route = &admission_route;
  job->call = call;
  job->started = g_get_monotonic_time ();
  job->admission = TRUE;

  if (conn != NULL)
    buurten_conn_stream_set_phase (conn, BUURTEN_CONN_HELD);
  /* In got-headers: libsoup reads none of the body until unpaused. */
  soup_server_message_pause (msg);
  queue_job (job);
}

/* Back on the HTTP thread: the body may come, or the answer is given
 * without it. */
static void
admission_done (Job *job)
{
  HttpThread *http = job->http;
  BuurtenServer *self = http->server;
  BuurtenCall *call = job->call;
  BuurtenConnStream *conn = buurten_connections_lookup (job->msg);

  /* Closed: the server stopped after its drain timeout. */
  if (conn != NULL && !g_io_stream_is_closed (G_IO_STREAM (conn)))
    {
      if (call->status == 0 && !reserve_body (self, job->msg))
        reject_busy (http, job->msg, "bodies over their memory budget");
      else if (call->status == 0)
        {
          buurten_conn_stream_set_phase (conn, BUURTEN_CONN_BODY);
          soup_server_message_unpause (job->msg);
        }
      else
        {
          const char *json = call->response != NULL ? call->response : "{}";

          reject_early (http, job->msg, call->status, json,
                        call->status == 503 ? "Retry-After: 5\r\n" : NULL, "before the body");
        }
    }

  job_free (job);
  if (g_atomic_int_dec_and_test (&self->in_flight))
    maybe_quit (self);
}

/* Every request, once its headers are in (an early handler: libsoup calls
 * it from its own got-headers handler, so no handler is connected to each
 * message, which takes GObject's global signal lock). A body is only read
 * when its route takes one, its size is within the limit, and its sender
 * is known: the token is checked here, before the body is read, so that
 * whoever has none cannot make the server hold anything. */
static void
on_got_headers (SoupServer        *soup,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  HttpThread *http = user_data;
  BuurtenServer *self = http->server;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  BuurtenConnStream *conn = buurten_connections_lookup (msg);
  const char *method = soup_server_message_get_method (msg);
  SoupEncoding encoding = soup_message_headers_get_encoding (headers);
  gsize limit = body_limit (self, msg);
  gboolean path_known;
  const Route *route;
  char *token;

  if (conn != NULL)
    buurten_conn_stream_set_phase (conn, BUURTEN_CONN_BODY);

  if (encoding == SOUP_ENCODING_NONE ||
      (encoding == SOUP_ENCODING_CONTENT_LENGTH &&
       soup_message_headers_get_content_length (headers) == 0))
    return;

  route = find_route (method, path, &path_known);
  if (route == NULL && path_known)
    {
      g_autofree char *allow = allowed_methods (path);
      g_autofree char *line = g_strdup_printf ("Allow: %s\r\n", allow);

      reject_error (http, msg, 405, BUURTEN_CODE_METHOD, "This method is not allowed here.",
                    line, "method not allowed");
      return;
    }
  if (route == NULL)
    {
      reject_error (http, msg, 404, BUURTEN_CODE_NOT_FOUND, "No such endpoint.", NULL,
                    "no such endpoint");
      return;
    }
  if (route->body == BODY_NONE)
    {
      reject_error (http, msg, 413, BUURTEN_CODE_TOO_LARGE, "This request takes no body.", NULL,
                    "a body where none is taken");
      return;
    }

  if (encoding == SOUP_ENCODING_CONTENT_LENGTH)
    {
      if ((guint64) soup_message_headers_get_content_length (headers) > limit)
        {
          reject_too_large (http, msg, limit);
          return;
        }
    }
  else
    /* Chunked: the size is known only as it comes. (Connected only
     * here: a handler per request costs, and most have no body.) */
    g_signal_connect (msg, "got-chunk", G_CALLBACK (on_got_chunk), http);

  if (route->body == BODY_JSON && !content_type_is_json (msg))
    {
      reject_error (http, msg, 415, BUURTEN_CODE_MEDIA_TYPE,
                    "Send the body as application/json; charset=utf-8.", NULL,
                    "media type, before the body");
      return;
    }
  if (route->body == BODY_BLOB && blob_content_type (msg) == NULL)
    {
      reject_error (http, msg, 415, BUURTEN_CODE_MEDIA_TYPE,
                    "A blob is image/jpeg, image/png, image/webp or application/pdf.", NULL,
                    "media type, before the body");
      return;
    }

  /* The one body sent without a token: at most 4 KiB, and its endpoint
   * throttles failures. */
  if (route->endpoint == buurten_api_login)
    return;

  token = bearer_token (msg);
  if (token == NULL)
    {
      reject_error (http, msg, 401, BUURTEN_CODE_UNAUTHORIZED,
                    "Log in first: this needs an Authorization: Bearer token.", NULL,
                    "no token, before the body");
      return;
    }

  /* A session the cache remembers goes on at once (the endpoint checks
   * it against the database again); any other goes to a worker. */
  if (buurten_admit_remembered (self->context, path, token, query))
    {
      memset (token, 0, strlen (token));
      g_free (token);
      if (!reserve_body (self, msg))
        reject_busy (http, msg, "bodies over their memory budget");
      return;
    }

  admit_on_worker (http, msg, path, query, token);
}

/* ---- requests on worker threads ------------------------------------------ */

/* libsoup writes a response's headers and its body in two sends: without
 * the cork, two TCP segments, and a client woken twice, for most answers
 * (a few hundred bytes). Corked while libsoup writes the response, they
 * go out as one when on_message_finished() takes the cork out. */
static void
set_corked (SoupServerMessage *msg,
            gboolean           corked)
{
  BuurtenConnStream *conn = buurten_connections_lookup (msg);

  /* Fails harmlessly on a connection that is gone. */
  if (conn != NULL)
    buurten_conn_stream_set_corked (conn, corked);
}

/* The server's request-finished or request-aborted (connected once, not
 * per message): the answer was sent, or the client went. */
static void
on_message_finished (SoupServer        *soup,
                     SoupServerMessage *msg,
                     gpointer           user_data)
{
  HttpThread *http = user_data;
  BuurtenServer *self = http->server;

  g_object_set_qdata (G_OBJECT (msg), finished_quark (), GINT_TO_POINTER (1));

  /* Only the requests that on_request counted (and paused). */
  if (g_object_get_qdata (G_OBJECT (msg), counted_quark ()) == NULL)
    return;

  set_corked (msg, FALSE);
  g_assert (g_atomic_int_get (&self->in_flight) > 0);
  if (g_atomic_int_dec_and_test (&self->in_flight))
    maybe_quit (self);
}

/* One worker per pooled connection, fed first come, first served: a
 * request waits in the queue, never on a connection some other thread may
 * grab first (which gave seconds of tail latency under load). */
static void
worker_run (gpointer data,
            gpointer user_data)
{
  g_autoptr(GTask) task = data;
  Job *job = g_task_get_task_data (task);
  BuurtenCall *call = job->call;
  g_autoptr(GError) error = NULL;
  PGconn *conn;

  conn = buurten_db_pool_acquire (call->context->pool, &error);
  if (conn == NULL)
    {
      g_warning ("database: %s", error->message);
      buurten_call_set_error (call, 503, BUURTEN_CODE_UNAVAILABLE,
                              "The database is not available; try again later.");
    }
  else
    {
      job->route->endpoint (call, conn);

      /* A connection that broke under a read (the database restarted) is
       * replaced and the read tried once more. */
      if (PQstatus (conn) != CONNECTION_OK && call->status == 503 &&
          g_str_equal (call->method, "GET"))
        {
          buurten_db_pool_release (call->context->pool, conn);
          conn = buurten_db_pool_acquire (call->context->pool, NULL);
          if (conn != NULL)
            {
              call->status = 0;
              job->route->endpoint (call, conn);
            }
        }
      buurten_db_pool_release (call->context->pool, conn);
    }

  g_task_return_boolean (task, TRUE);
}

/* Sends the call's response (unless the client is gone) and frees the job. */
void
job_respond (Job *job)
{
  BuurtenCall *call = job->call;
  SoupServerMessage *msg = job->msg;

  if (call->status == 0)
    buurten_call_set_error (call, 500, BUURTEN_CODE_INTERNAL, "Internal error.");

  log_request (job->http->server, job->route, call->method, call->path, call->status,
               call->user_id, job->started);

  /* The client may have gone, or the server closed the connection. */
  if (g_object_get_qdata (G_OBJECT (msg), finished_quark ()) == NULL)
    {
      if (call->response_bytes != NULL)
        {
          SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
          gsize size;
          gconstpointer data = g_bytes_get_data (call->response_bytes, &size);

          soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
          soup_message_headers_replace (headers, "Cache-Control", "private, max-age=86400");
          soup_server_message_set_status (msg, call->status, NULL);
          soup_server_message_set_response (msg, call->response_type, SOUP_MEMORY_COPY,
                                            data, size);
        }
      else
        set_json_response (msg, call->status, call->response);

      if (call->retry_after != NULL)
        soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                      "Retry-After", call->retry_after);
      if (call->link != NULL)
        soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                      "Link", call->link);
      if (g_atomic_int_get (&job->http->server->draining))
        soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                      "Connection", "close");
      set_corked (msg, TRUE);
      soup_server_message_unpause (msg);
    }

  /* The body is done with once the answer is set: its chunks go now, and
   * its share of the body budget comes back before the answer is written
   * (not when libsoup frees the message, which a client sending its next
   * request at once, to another HTTP thread, could overtake). */
  soup_message_body_truncate (soup_server_message_get_request_body (msg));
  g_object_set_qdata (G_OBJECT (msg), body_budget_quark (), NULL);
  job_free (job);
}

static void
job_done (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Job *job = user_data;

  if (job->admission)
    admission_done (job);
  else
    job_respond (job);
}

/* Hands a paused request to the worker threads. The task returns to the
 * context of the HTTP thread that owns the message (its thread-default
 * now), which answers it. */
void
queue_job (Job *job)
{
  BuurtenServer *self = job->http->server;
  GTask *task;

  g_assert (g_main_context_is_owner (job->http->context));

  task = g_task_new (NULL, NULL, job_done, job);
  /* Only the endpoints on the workers use the client's address (audit
   * lines, throttling); the pull fast path never needs it. Read here, on
   * the HTTP thread, which owns the message. */
  if (job->call->origin == NULL)
    job->call->origin = client_origin (self, job->msg);

  g_task_set_source_tag (task, queue_job);
  g_task_set_task_data (task, job, NULL);
  g_thread_pool_push (self->workers, task, NULL);
}


static void
on_request (SoupServer        *soup,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  HttpThread *http = user_data;
  BuurtenServer *self = http->server;
  const char *method = soup_server_message_get_method (msg);
  const Route *route = NULL;
  gboolean path_known = FALSE;
  BuurtenCall *call;
  Job *job;
  gint64 started = g_get_monotonic_time ();

  BuurtenConnStream *conn = buurten_connections_lookup (msg);

  /* The request is read: no timeout applies until it is answered. */
  if (conn != NULL)
    buurten_conn_stream_set_phase (conn, BUURTEN_CONN_HELD);

  route = find_route (method, path, &path_known);
  if (route == NULL)
    {
      if (path_known)
        {
          g_autofree char *allow = allowed_methods (path);

          soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                        "Allow", allow);
          respond_error (msg, 405, BUURTEN_CODE_METHOD, "This method is not allowed here.");
        }
      else
        respond_error (msg, 404, BUURTEN_CODE_NOT_FOUND, "No such endpoint.");
      log_request (self, NULL, method, path_known ? path : "(unknown path)",
                   soup_server_message_get_status (msg), 0, started);
      return;
    }

  if (route->body == BODY_JSON && !content_type_is_json (msg))
    {
      respond_error (msg, 415, BUURTEN_CODE_MEDIA_TYPE,
                     "Send the body as application/json; charset=utf-8.");
      log_request (self, route, method, path, 415, 0, started);
      return;
    }

  /* Counted before draining is read, while SIGTERM sets draining before
   * it reads the count: so either this request sees the drain and is
   * refused, or the drain sees the request and waits for it. */
  g_atomic_int_inc (&self->in_flight);
  if (g_atomic_int_get (&self->draining))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Connection", "close");
      respond_error (msg, 503, BUURTEN_CODE_UNAVAILABLE,
                     "The server is shutting down; try again in a moment.");
      if (g_atomic_int_dec_and_test (&self->in_flight))
        maybe_quit (self);
      return;
    }

  /* Waiting requests are bounded: beyond, the client comes back later. */
  if (queue_full (self))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Retry-After", "1");
      respond_error (msg, 503, BUURTEN_CODE_UNAVAILABLE,
                     "The server is busy; try again in a moment.");
      log_request (self, route, method, path, 503, 0, started);
      if (g_atomic_int_dec_and_test (&self->in_flight))
        maybe_quit (self);
      return;
    }

  call = g_new0 (BuurtenCall, 1);
  call->context = self->context;
  call->method = g_strdup (method);
  call->path = g_strdup (path);
  call->token = bearer_token (msg);
  /* libsoup made the table for this call and drops it after; nothing
   * changes it, so a worker may read it. */
  if (query != NULL)
    call->query = g_hash_table_ref (query);

  if (route->body == BODY_BLOB)
    {
      const char *type = blob_content_type (msg);

      if (type == NULL)
        {
          buurten_call_free (call);
          respond_error (msg, 415, BUURTEN_CODE_MEDIA_TYPE,
                         "A blob is image/jpeg, image/png, image/webp or application/pdf.");
          log_request (self, route, method, path, 415, 0, started);
          if (g_atomic_int_dec_and_test (&self->in_flight))
            maybe_quit (self);
          return;
        }
      call->response_type = g_strdup (type);
    }

  if (route->body != BODY_NONE)
    call->body = soup_message_body_flatten (soup_server_message_get_request_body (msg));

  job = g_new0 (Job, 1);
  job->http = http;
  job->msg = g_object_ref (msg);
  job->route = route;
  job->call = call;
  job->started = started;

  g_object_set_qdata (G_OBJECT (msg), counted_quark (), GINT_TO_POINTER (1));
  soup_server_message_pause (msg);

  if (route->endpoint == buurten_api_pull && try_fast_pull (http, job))
    return;

  queue_job (job);
}

/* ---- HTTP threads ------------------------------------------------------------ */

static gboolean
http_thread_quit (gpointer user_data)
{
  HttpThread *http = user_data;

  g_main_loop_quit (http->loop);
  return G_SOURCE_REMOVE;
}

/* In the thread: what it serves with. */
static gboolean
http_thread_setup (HttpThread  *http,
                   GError     **error)
{
  BuurtenServer *self = http->server;
  BuurtenConnectionLimits limits = { 0, };

  http->async_conns = g_ptr_array_new_with_free_func ((GDestroyNotify) async_conn_free);
  http->flush_source = flush_source_new (http);
  g_source_set_static_name (http->flush_source, "buurten pull flush");
  g_source_set_can_recurse (http->flush_source, TRUE);
  g_source_set_priority (http->flush_source, G_PRIORITY_LOW);
  g_source_attach (http->flush_source, http->context);

  /* Made now, before serving, so connecting never blocks the loop;
   * without them every pull goes to the workers. */
  for (guint i = 0; i < http->n_async; i++)
    {
      g_autoptr(GError) local_error = NULL;
      PGconn *conn = async_connect (self, &local_error);

      if (conn == NULL)
        {
          g_warning ("no fast pulls: %s", local_error->message);
          break;
        }
      async_conn_add (http, conn);
    }

  http->soup = soup_server_new ("server-header", "buurten-server", NULL);
  g_signal_connect (http->soup, "request-finished", G_CALLBACK (on_message_finished), http);
  g_signal_connect (http->soup, "request-aborted", G_CALLBACK (on_message_finished), http);
  /* "*": OPTIONS *, which no path matches; its body is limited too. */
  soup_server_add_early_handler (http->soup, "/", on_got_headers, http, NULL);
  soup_server_add_early_handler (http->soup, "*", on_got_headers, http, NULL);
  soup_server_add_handler (http->soup, "/", on_request, http, NULL);
  soup_server_add_handler (http->soup, "*", on_request, http, NULL);

  /* Connections are accepted by us, not libsoup (buurten-connection.h). */
  limits.header_timeout = self->options.header_timeout;
  limits.keepalive_timeout = self->options.keepalive_timeout;
  limits.body_min_rate = self->options.body_min_rate;
  limits.max_connections = self->options.max_connections;
  limits.verbose = self->options.verbose;
  http->connections = buurten_connections_new (http->soup, http->socket, &limits,
                                               &self->open_connections, error);
  return http->connections != NULL;
}

static gpointer
http_thread_main (gpointer data)
{
  HttpThread *http = data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  /* Every source libsoup, GIO and GTask make from here on is this
   * context's, and so is every callback of a message of this thread. */
  g_main_context_push_thread_default (http->context);
  ok = http_thread_setup (http, &error);

  g_mutex_lock (&http->lock);
  http->started = TRUE;
  http->error = g_steal_pointer (&error);
  g_cond_signal (&http->cond);
  g_mutex_unlock (&http->lock);

  if (ok)
    g_main_loop_run (http->loop);

  /* Close the connections, then run the callbacks the closing queues
   * (so nothing is left for the leak checker). */
  if (http->connections != NULL)
    buurten_connections_stop (http->connections);
  if (http->soup != NULL)
    soup_server_disconnect (http->soup);
  while (g_main_context_iteration (http->context, FALSE))
    ;
  g_clear_pointer (&http->connections, buurten_connections_free);
  g_clear_pointer (&http->async_conns, g_ptr_array_unref);
  if (http->flush_source != NULL)
    {
      g_source_destroy (http->flush_source);
      g_clear_pointer (&http->flush_source, g_source_unref);
    }
  g_clear_object (&http->soup);
  while (g_main_context_iteration (http->context, FALSE))
    ;
  g_main_context_pop_thread_default (http->context);
  return NULL;
}

/* From the main thread: ends the thread's loop and waits for it. */
static void
http_thread_free (HttpThread *http)
{
  if (http->thread != NULL)
    {
      g_main_context_invoke (http->context, http_thread_quit, http);
      g_thread_join (http->thread);
    }
  g_clear_object (&http->socket);
  g_clear_pointer (&http->loop, g_main_loop_unref);
  g_clear_pointer (&http->context, g_main_context_unref);
  g_clear_error (&http->error);
  g_mutex_clear (&http->lock);
  g_cond_clear (&http->cond);
  g_free (http);
}

/* Starts a thread serving socket (taken) and waits until it serves. */
static gboolean
http_thread_start (BuurtenServer  *self,
                   GSocket        *socket,
                   guint           n_async,
                   GError        **error)
{
  HttpThread *http = g_new0 (HttpThread, 1);
  g_autofree char *name = g_strdup_printf ("buurten-http-%u", self->threads->len);

  http->server = self;
  http->socket = socket;
  http->n_async = n_async;
  http->context = g_main_context_new ();
  http->loop = g_main_loop_new (http->context, FALSE);
  g_mutex_init (&http->lock);
  g_cond_init (&http->cond);
  g_ptr_array_add (self->threads, http);

  http->thread = g_thread_try_new (name, http_thread_main, http, error);
  if (http->thread == NULL)
    return FALSE;

  g_mutex_lock (&http->lock);
  while (!http->started)
    g_cond_wait (&http->cond, &http->lock);
  g_mutex_unlock (&http->lock);

  if (http->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&http->error));
      return FALSE;
    }
  return TRUE;
}

/* A listening socket that other sockets (of this process: the port was
 * checked to be free) may bind to as well. */
static GSocket *
listening_socket (GSocketAddress  *address,
                  gboolean         shared,
                  GError         **error)
{
  GSocketFamily family = g_socket_address_get_family (address);
  g_autoptr(GSocket) socket = NULL;

  socket = g_socket_new (family, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT, error);
  if (socket == NULL)
    return NULL;

  /* As soup_server_listen() does: an IPv6 address means IPv6 only. */
  if (family == G_SOCKET_FAMILY_IPV6 &&
      !g_socket_set_option (socket, IPPROTO_IPV6, IPV6_V6ONLY, TRUE, error))
    return NULL;

  if (!shared)
    return g_socket_bind (socket, address, TRUE, error) ? g_steal_pointer (&socket) : NULL;

  /* Not g_socket_bind(): it turns SO_REUSEPORT off again for TCP. */
  if (!g_socket_set_option (socket, SOL_SOCKET, SO_REUSEADDR, TRUE, error) ||
      !g_socket_set_option (socket, SOL_SOCKET, SO_REUSEPORT, TRUE, error))
    return NULL;
  {
    struct sockaddr_storage native;
    gsize size = g_socket_address_get_native_size (address);

    if (!g_socket_address_to_native (address, &native, sizeof native, error))
      return NULL;
    if (bind (g_socket_get_fd (socket), (struct sockaddr *) &native, size) != 0)
      {
        int saved = errno;
        g_autofree char *text = g_socket_connectable_to_string (G_SOCKET_CONNECTABLE (address));

        g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                     "Error binding to address %s: %s", text, g_strerror (saved));
        return NULL;
      }
  }
  /* GSocket's default backlog of 10 drops connections that come in a
   * burst (a proxy opening its pool) while the thread is busy. */
  g_socket_set_listen_backlog (socket, 128);
  if (!g_socket_listen (socket, error))
    return NULL;

  return g_steal_pointer (&socket);
}

/* ---- lifetime ---------------------------------------------------------------- */

/* Any thread. */
void
maybe_quit (BuurtenServer *self)
{
  if (g_atomic_int_get (&self->draining) && g_atomic_int_get (&self->in_flight) == 0)
    g_main_loop_quit (self->loop);
}

static gboolean
on_drain_timeout (gpointer user_data)
{
  BuurtenServer *self = user_data;

  g_warning ("%d requests still in flight after %u s: stopping anyway",
             g_atomic_int_get (&self->in_flight), self->options.drain_seconds);
  self->drain_timeout_id = 0;
  g_main_loop_quit (self->loop);
  return G_SOURCE_REMOVE;
}

static gboolean
on_terminate (gpointer user_data)
{
  BuurtenServer *self = user_data;

  if (g_atomic_int_get (&self->draining))
    return G_SOURCE_CONTINUE;

  g_atomic_int_set (&self->draining, TRUE);
  g_message ("stopping: finishing %d requests in flight", g_atomic_int_get (&self->in_flight));
  self->drain_timeout_id = g_timeout_add_seconds (self->options.drain_seconds,
                                                  on_drain_timeout, self);
  maybe_quit (self);
  return G_SOURCE_CONTINUE;
}

BuurtenServer *
buurten_server_new (BuurtenServerContext       *context,
                    const BuurtenServerOptions *options)
{
  BuurtenServer *self;

  g_return_val_if_fail (context != NULL, NULL);
  g_return_val_if_fail (options != NULL, NULL);

  self = g_new0 (BuurtenServer, 1);
  self->context = context;
  self->options = *options;
  if (self->options.drain_seconds == 0)
    self->options.drain_seconds = 30;
  if (self->options.workers == 0)
    self->options.workers = 8;
  if (self->options.http_threads == 0)
    self->options.http_threads = 1;
  if (self->options.header_timeout == 0)
    self->options.header_timeout = 10;
  if (self->options.keepalive_timeout == 0)
    self->options.keepalive_timeout = 60;
  if (self->options.body_min_rate == 0)
    self->options.body_min_rate = 1024;
  if (self->options.max_connections == 0)
    self->options.max_connections = 512;
  if (self->options.max_queue == 0)
    self->options.max_queue = 256;
  if (self->options.body_memory == 0)
    self->options.body_memory = 256 * 1024 * 1024;
  /* The largest body always fits once. */
  self->options.body_memory = MAX (self->options.body_memory,
                                   2 * MAX (self->options.max_blob, self->options.max_body));
  self->workers = g_thread_pool_new (worker_run, self, (int) self->options.workers, FALSE, NULL);
  self->threads = g_ptr_array_new_with_free_func ((GDestroyNotify) http_thread_free);
  self->loop = g_main_loop_new (NULL, FALSE);

  return self;
}

void
buurten_server_free (BuurtenServer *self)
{
  if (self == NULL)
    return;

  /* Stops the HTTP threads first: they hand work to the workers. */
  g_clear_pointer (&self->threads, g_ptr_array_unref);
  /* Lets queued work finish; its results are dropped with the tasks. */
  if (self->workers != NULL)
    g_thread_pool_free (self->workers, FALSE, TRUE);
  g_clear_handle_id (&self->drain_timeout_id, g_source_remove);
  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_free (self);
}

gboolean
buurten_server_listen (BuurtenServer  *self,
                       const char     *listen,
                       guint          *out_port,
                       GError        **error)
{
  g_autofree char *host = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GInetAddress) inet = NULL;
  const char *colon;
  guint64 port;
  char *end = NULL;
  guint n_async;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (listen != NULL, FALSE);
  g_return_val_if_fail (self->threads->len == 0, FALSE);

  colon = strrchr (listen, ':');
  if (colon == NULL || colon == listen)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "--listen wants HOST:PORT, not “%s”", listen);
      return FALSE;
    }

  host = g_strndup (listen, colon - listen);
  if (host[0] == '[' && host[strlen (host) - 1] == ']')
    {
      char *bare = g_strndup (host + 1, strlen (host) - 2);

      g_free (host);
      host = bare;
    }

  port = g_ascii_strtoull (colon + 1, &end, 10);
  if (end == colon + 1 || *end != '\0' || port > 65535)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "--listen: “%s” is not a port", colon + 1);
      return FALSE;
    }

  inet = g_inet_address_new_from_string (host);
  if (inet == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "--listen: “%s” is not an IP address", host);
      return FALSE;
    }

  if (port != 0)
    {
      g_autoptr(GSocket) probe = NULL;

      /* SO_REUSEPORT would let the threads share the port with another
       * process of the same user that listens there already (a second
       * server started by mistake): refuse, as a plain bind does. */
      address = g_inet_socket_address_new (inet, (guint) port);
      probe = listening_socket (address, FALSE, error);
      if (probe == NULL)
        return FALSE;
      g_socket_close (probe, NULL);
    }

  /* The pipelined pull connections of the process: as many as there are
   * CPUs (each takes any number of pulls, and fewer make larger batches;
   * more lost nothing, fewer measured slower on two cores), spread over
   * the threads, at least one each. */
  n_async = MAX (1, CLAMP (g_get_num_processors (), 2, 8) / self->options.http_threads);

  for (guint i = 0; i < self->options.http_threads; i++)
    {
      GSocket *socket;

      /* The first socket picks the port when it is 0; the others take
       * the same one. */
      if (address == NULL)
        address = g_inet_socket_address_new (inet, (guint) port);
      socket = listening_socket (address, TRUE, error);
      if (socket == NULL)
        return FALSE;
      if (port == 0)
        {
          g_autoptr(GSocketAddress) local = g_socket_get_local_address (socket, error);

          if (local == NULL)
            {
              g_object_unref (socket);
              return FALSE;
            }
          port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
          g_clear_object (&address);
        }
      if (!http_thread_start (self, socket, n_async, error))
        return FALSE;
    }

  if (out_port != NULL)
    *out_port = (guint) port;
  return TRUE;
}

void
buurten_server_run (BuurtenServer *self)
{
  g_return_if_fail (self != NULL);

  g_unix_signal_add (SIGTERM, on_terminate, self);
  g_unix_signal_add (SIGINT, on_terminate, self);

  g_main_loop_run (self->loop);

  /* A second signal during the last clean-up must not kill the process
   * half-way; it is stopping anyway. The two sources are not removed:
   * removing GLib's last one for a signal puts back its default action
   * (which a second SIGTERM during the clean-up then hit), and a signal
   * that is ignored never makes them dispatch again. */
  signal (SIGTERM, SIG_IGN);
  signal (SIGINT, SIG_IGN);
  g_clear_handle_id (&self->drain_timeout_id, g_source_remove);

  /* Each HTTP thread closes its connections and runs the callbacks the
   * closing queues before it ends. */
  g_ptr_array_set_size (self->threads, 0);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_message ("stopped");
}
