/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-server"

#include "config.h"

#include "buurten-connection.h"

#include "buurten-call.h"

#include <gio/gnetworking.h>
#include <sys/socket.h>
#include <unistd.h>

/* An answer written on a connection taken from libsoup (or refused at
 * the cap), then a bounded drain of what the client still sends. */
typedef struct
{
  BuurtenConnections *owner;
  GIOStream          *stream;
  GSocket            *socket;
  GCancellable       *cancellable;
  char               *response;
  gsize               drained;
  gsize               max_drain;
  gint64              deadline;
  gboolean            refused;     /* over the cap: not in the table */
  char                buffer[16384];
} Linger;

struct _BuurtenConnections
{
  /* Borrowed. */
  SoupServer              *soup;
  int                     *open_count;
  /* Owned. */
  GSocket                 *listening;
  GSocket                 *placeholder;       /* see buurten_connections_new() */
  int                      placeholder_peer;
  GHashTable              *streams;           /* BuurtenConnStream* -> shut down (bool) */
  GHashTable              *lingers;           /* Linger* */
  GSource                 *accept_source;
  GSource                 *sweep_source;
  GSource                 *retry_source;
  gulong                   handlers[3];
  BuurtenConnectionLimits  limits;
  /* For the log: refusals and closes since the last line. */
  guint                    refused;
  guint                    accept_failed;
  gint64                   refused_logged;
  guint                    closed[4];
};

/* Connections refused at the cap that are drained at once, in the whole
 * process (the descriptors they hold come on top of the cap); more are
 * closed right after the answer. */
#define MAX_REFUSED_LINGERING 32
static int refused_lingering;

enum { CLOSED_IDLE, CLOSED_HEAD, CLOSED_BODY, CLOSED_WRITE };

static G_DEFINE_QUARK (buurten-conn-stream, conn_stream)

static gboolean on_incoming (GSocket *socket, GIOCondition condition, gpointer user_data);

/* ---- lingering answers ------------------------------------------------------ */

static void
linger_free (Linger *linger)
{
  if (linger->owner != NULL)
    {
      g_hash_table_remove (linger->owner->lingers, linger);
      if (linger->refused)
        g_atomic_int_add (&refused_lingering, -1);
    }
  g_io_stream_close (linger->stream, NULL, NULL);
  g_clear_object (&linger->stream);
  g_clear_object (&linger->socket);
  g_clear_object (&linger->cancellable);
  g_free (linger->response);
  g_free (linger);
}

static void
on_linger_read (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Linger *linger = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  /* Read (and drop) a little of what the client is still sending, so that
   * it gets to read our answer instead of a reset; but not all of it. */
  if (n > 0)
    linger->drained += n;
  if (n <= 0 || linger->drained > linger->max_drain ||
      g_get_monotonic_time () > linger->deadline)
    {
      linger_free (linger);
      return;
    }

  g_input_stream_read_async (g_io_stream_get_input_stream (linger->stream),
                             linger->buffer, sizeof linger->buffer, G_PRIORITY_LOW,
                             linger->cancellable, on_linger_read, linger);
}

static void
on_linger_written (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Linger *linger = user_data;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL))
    {
      linger_free (linger);
      return;
    }

  g_socket_shutdown (linger->socket, FALSE, TRUE, NULL);
  g_input_stream_read_async (g_io_stream_get_input_stream (linger->stream),
                             linger->buffer, sizeof linger->buffer, G_PRIORITY_LOW,
                             linger->cancellable, on_linger_read, linger);
}

static void
linger_start (BuurtenConnections *self,
              GIOStream          *stream,
              GSocket            *socket,
              const char         *response,
              guint               seconds,
              gsize               max_drain,
              gboolean            refused)
{
  Linger *linger = g_new0 (Linger, 1);

  linger->owner = self;
  linger->stream = stream;
  linger->socket = g_object_ref (socket);
  linger->cancellable = g_cancellable_new ();
  linger->response = g_strdup (response);
  linger->max_drain = max_drain;
  linger->deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;
  linger->refused = refused;
  g_hash_table_add (self->lingers, linger);

  g_output_stream_write_all_async (g_io_stream_get_output_stream (stream), linger->response,
                                   strlen (linger->response), G_PRIORITY_DEFAULT,
                                   linger->cancellable, on_linger_written, linger);
}

/* ---- accepting ---------------------------------------------------------------- */

static void
on_stream_closed (BuurtenConnStream *stream,
                  gpointer           user_data)
{
  BuurtenConnections *self = user_data;

  g_hash_table_remove (self->streams, stream);
  g_atomic_int_add (self->open_count, -1);
}

static char *
refusal_response (void)
{
  g_autofree char *json = buurten_error_json (BUURTEN_CODE_UNAVAILABLE,
                                              "The server has too many connections open; "
                                              "try again in a moment.");

  return g_strdup_printf ("HTTP/1.1 503 Service Unavailable\r\n"
                          "Content-Type: application/json; charset=utf-8\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                          "Cache-Control: no-store\r\n"
                          "Retry-After: 5\r\n"
                          "Connection: close\r\n\r\n%s",
                          strlen (json), json);
}

/* Over the cap: a 503 and the end, without libsoup. */
static void
refuse (BuurtenConnections *self,
        GSocket            *socket)
{
  static char *response = NULL;

  if (g_once_init_enter (&response))
    g_once_init_leave (&response, refusal_response ());

  self->refused++;
  if (g_atomic_int_add (&refused_lingering, 1) < MAX_REFUSED_LINGERING)
    {
      GIOStream *stream = G_IO_STREAM (g_socket_connection_factory_create_connection (socket));

      linger_start (self, stream, socket, response, 2, 64 * 1024, TRUE);
      return;
    }
  g_atomic_int_add (&refused_lingering, -1);

  /* Many at once: the answer fits the socket's buffer; no drain. */
  g_socket_send (socket, response, strlen (response), NULL, NULL);
  g_socket_close (socket, NULL);
}

static void
accept_one (BuurtenConnections *self,
            GSocket            *socket)
{
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(GSocketAddress) remote = NULL;
  g_autoptr(BuurtenConnStream) stream = NULL;

  /* As libsoup does: answers are written whole, no need to wait. */
  g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);

  if ((guint) g_atomic_int_add (self->open_count, 1) >= self->limits.max_connections)
    {
      g_atomic_int_add (self->open_count, -1);
      refuse (self, socket);
      return;
    }

  local = g_socket_get_local_address (socket, NULL);
  remote = g_socket_get_remote_address (socket, NULL);
  if (local == NULL || remote == NULL)
    {
      /* Gone already. */
      g_atomic_int_add (self->open_count, -1);
      g_socket_close (socket, NULL);
      return;
    }

  connection = g_socket_connection_factory_create_connection (socket);
  stream = buurten_conn_stream_new (connection);
  buurten_conn_stream_set_closed_func (stream, on_stream_closed, self);
  g_hash_table_insert (self->streams, stream, GINT_TO_POINTER (FALSE));

  /* libsoup gives this same object back for every message of the
   * connection (soup_server_message_get_remote_address()): the way from a
   * message to its connection, since with an accepted stream
   * soup_server_message_get_socket() is NULL. */
  g_object_set_qdata_full (G_OBJECT (remote), conn_stream_quark (), g_object_ref (stream),
                           g_object_unref);
  soup_server_accept_iostream (self->soup, G_IO_STREAM (stream), local, remote, NULL);
}

static gboolean
on_accept_retry (gpointer user_data)
{
  BuurtenConnections *self = user_data;

  g_clear_pointer (&self->retry_source, g_source_unref);
  self->accept_source = g_socket_create_source (self->listening, G_IO_IN, NULL);
  g_source_set_callback (self->accept_source, G_SOURCE_FUNC (on_incoming), self, NULL);
  g_source_attach (self->accept_source, g_main_context_get_thread_default ());
  return G_SOURCE_REMOVE;
}

static gboolean
on_incoming (GSocket      *listening,
             GIOCondition  condition,
             gpointer      user_data)
{
  BuurtenConnections *self = user_data;

  /* A few at a time, so that a flood of connections does not starve the
   * requests of those already open. */
  for (guint i = 0; i < 32; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSocket) socket = g_socket_accept (listening, NULL, &error);

      if (socket != NULL)
        {
          accept_one (self, socket);
          continue;
        }

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        break;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TOO_MANY_OPEN_FILES))
        {
          /* Out of descriptors: the connection waits in the backlog; try
           * again in a moment instead of spinning on it. */
          if (self->accept_failed++ == 0)
            g_warning ("cannot accept connections: %s", error->message);
          g_source_destroy (self->accept_source);
          g_clear_pointer (&self->accept_source, g_source_unref);
          self->retry_source = g_timeout_source_new (100);
          g_source_set_callback (self->retry_source, on_accept_retry, self, NULL);
          g_source_attach (self->retry_source, g_main_context_get_thread_default ());
          return G_SOURCE_REMOVE;
        }
      /* The client went before we took it (ECONNABORTED): next. */
    }

  return G_SOURCE_CONTINUE;
}

/* ---- timeouts ------------------------------------------------------------------ */

static gboolean
sweep (gpointer user_data)
{
  BuurtenConnections *self = user_data;
  const BuurtenConnectionLimits *limits = &self->limits;
  gint64 now = g_get_monotonic_time ();
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->streams);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      BuurtenConnStream *stream = key;
      gint64 age = now - buurten_conn_stream_get_phase_since (stream);
      gint64 stalled = buurten_conn_stream_get_write_stalled (stream);
      int why = -1;

      if (GPOINTER_TO_INT (value))
        continue;

      switch (buurten_conn_stream_get_phase (stream))
        {
        case BUURTEN_CONN_IDLE:
          /* A new connection has the head's time to start a request. */
          if (age > (buurten_conn_stream_get_requests (stream) == 0
                     ? limits->header_timeout : limits->keepalive_timeout) * G_USEC_PER_SEC)
            why = CLOSED_IDLE;
          break;
        case BUURTEN_CONN_HEADERS:
          if (age > limits->header_timeout * G_USEC_PER_SEC)
            why = CLOSED_HEAD;
          break;
        case BUURTEN_CONN_BODY:
          /* Averaged since the body began, after the head's time. */
          if (age > limits->header_timeout * G_USEC_PER_SEC &&
              (double) buurten_conn_stream_get_phase_bytes (stream) <
              (double) limits->body_min_rate * age / G_USEC_PER_SEC)
            why = CLOSED_BODY;
          break;
        case BUURTEN_CONN_HELD:
        case BUURTEN_CONN_LINGER:
        default:
          break;
        }

      if (why < 0 && stalled != 0 && now - stalled > limits->keepalive_timeout * G_USEC_PER_SEC)
        why = CLOSED_WRITE;

      if (why >= 0)
        {
          /* libsoup sees the end (or a failed write) and closes it. */
          buurten_conn_stream_shutdown (stream);
          g_hash_table_iter_replace (&iter, GINT_TO_POINTER (TRUE));
          self->closed[why]++;
        }
    }

  /* Drains past their time. */
  g_hash_table_iter_init (&iter, self->lingers);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      Linger *linger = key;

      if (now > linger->deadline)
        g_cancellable_cancel (linger->cancellable);
    }

  if ((self->refused > 0 || self->accept_failed > 0) &&
      now - self->refused_logged > 10 * G_USEC_PER_SEC)
    {
      /* Once per burst; no addresses. */
      if (self->refused > 0)
        g_message ("refused %u connections over the cap of %u (--max-connections)",
                   self->refused, limits->max_connections);
      if (self->accept_failed > 1)
        g_message ("%u accepts failed for want of file descriptors", self->accept_failed);
      self->refused = 0;
      self->accept_failed = 0;
      self->refused_logged = now;
    }

  if (limits->verbose && (self->closed[0] | self->closed[1] | self->closed[2] | self->closed[3]))
    {
      g_message ("closed connections: %u idle, %u slow heads, %u slow bodies, %u not reading",
                 self->closed[CLOSED_IDLE], self->closed[CLOSED_HEAD], self->closed[CLOSED_BODY],
                 self->closed[CLOSED_WRITE]);
      memset (self->closed, 0, sizeof self->closed);
    }

  return G_SOURCE_CONTINUE;
}

/* ---- libsoup's view of the requests -------------------------------------------- */

static void
on_request_started (SoupServer        *soup,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  BuurtenConnStream *stream = buurten_connections_lookup (msg);

  if (stream != NULL)
    buurten_conn_stream_request_started (stream);
}

static void
on_request_ended (SoupServer        *soup,
                  SoupServerMessage *msg,
                  gpointer           user_data)
{
  BuurtenConnStream *stream = buurten_connections_lookup (msg);

  if (stream != NULL)
    buurten_conn_stream_request_ended (stream);
}

/* ---- public API ------------------------------------------------------------------ */

BuurtenConnections *
buurten_connections_new (SoupServer                    *soup,
                         GSocket                       *listening,
                         const BuurtenConnectionLimits *limits,
                         int                           *open_count,
                         GError                       **error)
{
  BuurtenConnections *self;
  int fds[2];

  g_return_val_if_fail (SOUP_IS_SERVER (soup), NULL);
  g_return_val_if_fail (G_IS_SOCKET (listening), NULL);

  /* libsoup 3.2 keeps a connection alive after a response only while the
   * server has a listener of its own (request_finished() checks
   * priv->listeners), and connections accepted here are not libsoup's. It
   * gets one that never has a connection to accept: one end of a socket
   * pair, which its listener takes as a connected socket. */
  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "socketpair: %s",
                   g_strerror (saved));
      return NULL;
    }

  self = g_new0 (BuurtenConnections, 1);
  self->soup = soup;
  self->open_count = open_count;
  self->limits = *limits;
  self->listening = g_object_ref (listening);
  self->placeholder_peer = fds[1];
  self->streams = g_hash_table_new (NULL, NULL);
  self->lingers = g_hash_table_new (NULL, NULL);
  self->placeholder = g_socket_new_from_fd (fds[0], error);
  if (self->placeholder == NULL)
    {
      close (fds[0]);
      buurten_connections_free (self);
      return NULL;
    }
  if (!soup_server_listen_socket (soup, self->placeholder, 0, error))
    {
      buurten_connections_free (self);
      return NULL;
    }

  self->handlers[0] = g_signal_connect (soup, "request-started",
                                        G_CALLBACK (on_request_started), self);
  self->handlers[1] = g_signal_connect (soup, "request-finished",
                                        G_CALLBACK (on_request_ended), self);
  self->handlers[2] = g_signal_connect (soup, "request-aborted",
                                        G_CALLBACK (on_request_ended), self);

  g_socket_set_blocking (listening, FALSE);
  self->accept_source = g_socket_create_source (listening, G_IO_IN, NULL);
  g_source_set_callback (self->accept_source, G_SOURCE_FUNC (on_incoming), self, NULL);
  g_source_attach (self->accept_source, g_main_context_get_thread_default ());

  self->sweep_source = g_timeout_source_new_seconds (1);
  g_source_set_static_name (self->sweep_source, "buurten connection timeouts");
  g_source_set_callback (self->sweep_source, sweep, self, NULL);
  g_source_attach (self->sweep_source, g_main_context_get_thread_default ());

  return self;
}

void
buurten_connections_stop (BuurtenConnections *self)
{
  g_return_if_fail (self != NULL);

  if (self->accept_source != NULL)
    g_source_destroy (self->accept_source);
  g_clear_pointer (&self->accept_source, g_source_unref);
  if (self->retry_source != NULL)
    g_source_destroy (self->retry_source);
  g_clear_pointer (&self->retry_source, g_source_unref);
}

void
buurten_connections_free (BuurtenConnections *self)
{
  GHashTableIter iter;
  gpointer key;

  if (self == NULL)
    return;

  buurten_connections_stop (self);
  if (self->sweep_source != NULL)
    g_source_destroy (self->sweep_source);
  g_clear_pointer (&self->sweep_source, g_source_unref);
  for (guint i = 0; i < G_N_ELEMENTS (self->handlers); i++)
    if (self->handlers[i] != 0)
      g_signal_handler_disconnect (self->soup, self->handlers[i]);

  /* The drains end with their reads, cancelled here. */
  g_hash_table_iter_init (&iter, self->lingers);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_cancellable_cancel (((Linger *) key)->cancellable);
  while (g_hash_table_size (self->lingers) > 0 &&
         g_main_context_iteration (g_main_context_get_thread_default (), TRUE))
    ;

  /* Whatever libsoup still holds outlives the table. */
  g_hash_table_iter_init (&iter, self->streams);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    buurten_conn_stream_set_closed_func (key, NULL, NULL);

  g_clear_pointer (&self->streams, g_hash_table_unref);
  g_clear_pointer (&self->lingers, g_hash_table_unref);
  g_clear_object (&self->placeholder);
  if (self->placeholder_peer >= 0)
    close (self->placeholder_peer);
  g_clear_object (&self->listening);
  g_free (self);
}

BuurtenConnStream *
buurten_connections_lookup (SoupServerMessage *msg)
{
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);

  if (remote == NULL)
    return NULL;
  return g_object_get_qdata (G_OBJECT (remote), conn_stream_quark ());
}

void
buurten_connections_answer_and_close (BuurtenConnections *self,
                                      SoupServerMessage  *msg,
                                      const char         *response,
                                      guint               seconds,
                                      gsize               max_drain)
{
  BuurtenConnStream *conn = buurten_connections_lookup (msg);
  GIOStream *stream;

  g_return_if_fail (self != NULL);

  if (conn == NULL)
    return;

  /* Taken over from libsoup, which would otherwise read the whole body
   * before letting us answer. */
  g_object_ref (conn);
  buurten_conn_stream_set_phase (conn, BUURTEN_CONN_LINGER);
  stream = soup_server_message_steal_connection (msg);
  if (stream != NULL)
    linger_start (self, stream, buurten_conn_stream_get_socket (conn), response, seconds,
                  max_drain, FALSE);
  g_object_unref (conn);
}
