/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-server"

#include "config.h"

#include "buurten-conn-stream.h"

#include <gio/gnetworking.h>

/* What the GIOStream and its two streams share (reference counted: libsoup
 * keeps the input stream, inside its buffering stream, after it dropped
 * the GIOStream). */
typedef struct
{
  GSocket          *socket;
  gboolean          in_request;
  /* The made-up byte: 0 none; 1 returned it, the next read gives the end;
   * 2 gave the end, every further read fails. */
  int               inject;
  BuurtenConnPhase  phase;
  gint64            since;
  guint64           bytes_read;
  guint64           phase_base;    /* bytes_read when the phase began */
  guint             requests;
  gint64            write_stalled;
} ConnState;

struct _BuurtenConnStream
{
  GIOStream              parent_instance;

  /* Owned references. */
  GSocketConnection     *connection;
  GInputStream          *input;
  GOutputStream         *output;
  ConnState             *state;

  BuurtenConnClosedFunc  closed_func;
  gpointer               closed_data;
};

#define BUURTEN_TYPE_CONN_INPUT (buurten_conn_input_get_type ())
G_DECLARE_FINAL_TYPE (BuurtenConnInput, buurten_conn_input, BUURTEN, CONN_INPUT, GInputStream)

struct _BuurtenConnInput
{
  GInputStream  parent_instance;
  GInputStream *base;
  ConnState    *state;
};

#define BUURTEN_TYPE_CONN_OUTPUT (buurten_conn_output_get_type ())
G_DECLARE_FINAL_TYPE (BuurtenConnOutput, buurten_conn_output, BUURTEN, CONN_OUTPUT, GOutputStream)

struct _BuurtenConnOutput
{
  GOutputStream  parent_instance;
  GOutputStream *base;
  ConnState     *state;
};

static void buurten_conn_input_pollable_init (GPollableInputStreamInterface *iface);
static void buurten_conn_output_pollable_init (GPollableOutputStreamInterface *iface);

G_DEFINE_FINAL_TYPE (BuurtenConnStream, buurten_conn_stream, G_TYPE_IO_STREAM)
G_DEFINE_FINAL_TYPE_WITH_CODE (BuurtenConnInput, buurten_conn_input, G_TYPE_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                      buurten_conn_input_pollable_init))
G_DEFINE_FINAL_TYPE_WITH_CODE (BuurtenConnOutput, buurten_conn_output, G_TYPE_OUTPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_OUTPUT_STREAM,
                                                      buurten_conn_output_pollable_init))

static void
conn_state_clear (ConnState *state)
{
  g_clear_object (&state->socket);
}

static void
conn_state_unref (ConnState *state)
{
  g_rc_box_release_full (state, (GDestroyNotify) conn_state_clear);
}

static void
conn_state_set_phase (ConnState        *state,
                      BuurtenConnPhase  phase)
{
  state->phase = phase;
  state->since = g_get_monotonic_time ();
  state->phase_base = state->bytes_read;
}

/* ---- input ------------------------------------------------------------------ */

static gssize
conn_input_read (BuurtenConnInput  *self,
                 void              *buffer,
                 gsize              count,
                 gboolean           blocking,
                 GCancellable      *cancellable,
                 GError           **error)
{
  ConnState *state = self->state;
  GError *local_error = NULL;
  gssize n;

  if (state->inject == 1)
    {
      state->inject = 2;
      return 0;
    }
  if (state->inject == 2)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                           "The client closed the connection");
      return -1;
    }

  n = g_pollable_stream_read (self->base, buffer, count, blocking, cancellable, &local_error);
  if (n > 0)
    {
      state->bytes_read += n;
      state->in_request = TRUE;
      if (state->phase == BUURTEN_CONN_IDLE)
        {
          /* The head of the first request is timed from the accept. */
          gint64 since = state->since;

          conn_state_set_phase (state, BUURTEN_CONN_HEADERS);
          if (state->requests == 0)
            state->since = since;
        }
      return n;
    }

  /* The end (or an error) before the first byte of a request: libsoup
   * 3.2.3 would only drop the connection once a request has started
   * (its completion callback is set by the first byte read), and keeps it
   * forever otherwise. One byte starts one; the next reads give the end
   * and then an error, which fails it, and libsoup disconnects. Never
   * within a request: a body cut one byte short must stay short. */
  if (!state->in_request && count > 0 &&
      (n == 0 || !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK)) &&
      !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_error (&local_error);
      ((char *) buffer)[0] = 'G';
      state->inject = 1;
      state->in_request = TRUE;
      return 1;
    }

  if (local_error != NULL)
    g_propagate_error (error, local_error);
  return n;
}

static gssize
buurten_conn_input_read_fn (GInputStream  *stream,
                            void          *buffer,
                            gsize          count,
                            GCancellable  *cancellable,
                            GError       **error)
{
  return conn_input_read (BUURTEN_CONN_INPUT (stream), buffer, count, TRUE, cancellable, error);
}

static gboolean
buurten_conn_input_close_fn (GInputStream  *stream,
                             GCancellable  *cancellable,
                             GError       **error)
{
  /* The socket is closed with the GIOStream. */
  return TRUE;
}

static gssize
buurten_conn_input_read_nonblocking (GPollableInputStream  *stream,
                                     void                  *buffer,
                                     gsize                  count,
                                     GError               **error)
{
  return conn_input_read (BUURTEN_CONN_INPUT (stream), buffer, count, FALSE, NULL, error);
}

static gboolean
buurten_conn_input_can_poll (GPollableInputStream *stream)
{
  return TRUE;
}

static gboolean
buurten_conn_input_is_readable (GPollableInputStream *stream)
{
  BuurtenConnInput *self = BUURTEN_CONN_INPUT (stream);

  return self->state->inject != 0 ||
         g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (self->base));
}

static GSource *
buurten_conn_input_create_source (GPollableInputStream *stream,
                                  GCancellable         *cancellable)
{
  BuurtenConnInput *self = BUURTEN_CONN_INPUT (stream);
  GSource *source = g_pollable_source_new (G_OBJECT (stream));
  g_autoptr(GSource) base = NULL;

  if (self->state->inject != 0)
    base = g_timeout_source_new (0);
  else
    base = g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (self->base),
                                                  cancellable);
  g_source_set_dummy_callback (base);
  g_source_add_child_source (source, base);
  return source;
}

static void
buurten_conn_input_finalize (GObject *object)
{
  BuurtenConnInput *self = BUURTEN_CONN_INPUT (object);

  g_clear_object (&self->base);
  g_clear_pointer (&self->state, conn_state_unref);
  G_OBJECT_CLASS (buurten_conn_input_parent_class)->finalize (object);
}

static void
buurten_conn_input_class_init (BuurtenConnInputClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *input_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = buurten_conn_input_finalize;
  input_class->read_fn = buurten_conn_input_read_fn;
  input_class->close_fn = buurten_conn_input_close_fn;
}

static void
buurten_conn_input_pollable_init (GPollableInputStreamInterface *iface)
{
  iface->can_poll = buurten_conn_input_can_poll;
  iface->is_readable = buurten_conn_input_is_readable;
  iface->create_source = buurten_conn_input_create_source;
  iface->read_nonblocking = buurten_conn_input_read_nonblocking;
}

static void
buurten_conn_input_init (BuurtenConnInput *self)
{
}

/* ---- output ----------------------------------------------------------------- */

static gssize
conn_output_write (BuurtenConnOutput  *self,
                   const void         *buffer,
                   gsize               count,
                   gboolean            blocking,
                   GCancellable       *cancellable,
                   GError            **error)
{
  ConnState *state = self->state;
  GError *local_error = NULL;
  gssize n;

  n = g_pollable_stream_write (self->base, buffer, count, blocking, cancellable, &local_error);
  if (n > 0)
    state->write_stalled = 0;
  else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK) &&
           state->write_stalled == 0)
    state->write_stalled = g_get_monotonic_time ();

  if (local_error != NULL)
    g_propagate_error (error, local_error);
  return n;
}

static gssize
buurten_conn_output_write_fn (GOutputStream  *stream,
                              const void     *buffer,
                              gsize           count,
                              GCancellable   *cancellable,
                              GError        **error)
{
  return conn_output_write (BUURTEN_CONN_OUTPUT (stream), buffer, count, TRUE, cancellable,
                            error);
}

static gboolean
buurten_conn_output_close_fn (GOutputStream  *stream,
                              GCancellable   *cancellable,
                              GError        **error)
{
  return TRUE;
}

static gssize
buurten_conn_output_write_nonblocking (GPollableOutputStream  *stream,
                                       const void             *buffer,
                                       gsize                   count,
                                       GError                **error)
{
  return conn_output_write (BUURTEN_CONN_OUTPUT (stream), buffer, count, FALSE, NULL, error);
}

static gboolean
buurten_conn_output_can_poll (GPollableOutputStream *stream)
{
  return TRUE;
}

static gboolean
buurten_conn_output_is_writable (GPollableOutputStream *stream)
{
  BuurtenConnOutput *self = BUURTEN_CONN_OUTPUT (stream);

  return g_pollable_output_stream_is_writable (G_POLLABLE_OUTPUT_STREAM (self->base));
}

static GSource *
buurten_conn_output_create_source (GPollableOutputStream *stream,
                                   GCancellable          *cancellable)
{
  BuurtenConnOutput *self = BUURTEN_CONN_OUTPUT (stream);
  GSource *source = g_pollable_source_new (G_OBJECT (stream));
  g_autoptr(GSource) base = NULL;

  base = g_pollable_output_stream_create_source (G_POLLABLE_OUTPUT_STREAM (self->base),
                                                 cancellable);
  g_source_set_dummy_callback (base);
  g_source_add_child_source (source, base);
  return source;
}

static void
buurten_conn_output_finalize (GObject *object)
{
  BuurtenConnOutput *self = BUURTEN_CONN_OUTPUT (object);

  g_clear_object (&self->base);
  g_clear_pointer (&self->state, conn_state_unref);
  G_OBJECT_CLASS (buurten_conn_output_parent_class)->finalize (object);
}

static void
buurten_conn_output_class_init (BuurtenConnOutputClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GOutputStreamClass *output_class = G_OUTPUT_STREAM_CLASS (klass);

  object_class->finalize = buurten_conn_output_finalize;
  output_class->write_fn = buurten_conn_output_write_fn;
  output_class->close_fn = buurten_conn_output_close_fn;
}

static void
buurten_conn_output_pollable_init (GPollableOutputStreamInterface *iface)
{
  iface->can_poll = buurten_conn_output_can_poll;
  iface->is_writable = buurten_conn_output_is_writable;
  iface->create_source = buurten_conn_output_create_source;
  iface->write_nonblocking = buurten_conn_output_write_nonblocking;
}

static void
buurten_conn_output_init (BuurtenConnOutput *self)
{
}

/* ---- the GIOStream ---------------------------------------------------------- */

static void
conn_stream_notify_closed (BuurtenConnStream *self)
{
  BuurtenConnClosedFunc func = self->closed_func;

  self->closed_func = NULL;
  if (func != NULL)
    func (self, self->closed_data);
}

static GInputStream *
buurten_conn_stream_get_input_stream (GIOStream *stream)
{
  return BUURTEN_CONN_STREAM (stream)->input;
}

static GOutputStream *
buurten_conn_stream_get_output_stream (GIOStream *stream)
{
  return BUURTEN_CONN_STREAM (stream)->output;
}

static gboolean
buurten_conn_stream_close_fn (GIOStream     *stream,
                              GCancellable  *cancellable,
                              GError       **error)
{
  BuurtenConnStream *self = BUURTEN_CONN_STREAM (stream);
  gboolean ok;

  g_input_stream_close (self->input, NULL, NULL);
  g_output_stream_close (self->output, NULL, NULL);
  ok = g_io_stream_close (G_IO_STREAM (self->connection), cancellable, error);
  conn_stream_notify_closed (self);
  return ok;
}

/* Closing a socket does not block: done at once, on the caller's thread
 * (GIOStream's default would close it on another thread). */
static void
buurten_conn_stream_close_async (GIOStream           *stream,
                                 int                  io_priority,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (stream, cancellable, callback, user_data);
  GError *error = NULL;

  g_task_set_source_tag (task, buurten_conn_stream_close_async);
  if (buurten_conn_stream_close_fn (stream, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static gboolean
buurten_conn_stream_close_finish (GIOStream     *stream,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
buurten_conn_stream_finalize (GObject *object)
{
  BuurtenConnStream *self = BUURTEN_CONN_STREAM (object);

  /* GIOStream's dispose closed it (and notified) unless it was closed. */
  conn_stream_notify_closed (self);
  g_clear_object (&self->input);
  g_clear_object (&self->output);
  g_clear_object (&self->connection);
  g_clear_pointer (&self->state, conn_state_unref);
  G_OBJECT_CLASS (buurten_conn_stream_parent_class)->finalize (object);
}

static void
buurten_conn_stream_class_init (BuurtenConnStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GIOStreamClass *stream_class = G_IO_STREAM_CLASS (klass);

  object_class->finalize = buurten_conn_stream_finalize;
  stream_class->get_input_stream = buurten_conn_stream_get_input_stream;
  stream_class->get_output_stream = buurten_conn_stream_get_output_stream;
  stream_class->close_fn = buurten_conn_stream_close_fn;
  stream_class->close_async = buurten_conn_stream_close_async;
  stream_class->close_finish = buurten_conn_stream_close_finish;
}

static void
buurten_conn_stream_init (BuurtenConnStream *self)
{
}

/* ---- public API ------------------------------------------------------------- */

BuurtenConnStream *
buurten_conn_stream_new (GSocketConnection *connection)
{
  BuurtenConnStream *self;
  BuurtenConnInput *input;
  BuurtenConnOutput *output;

  g_return_val_if_fail (G_IS_SOCKET_CONNECTION (connection), NULL);

  self = g_object_new (BUURTEN_TYPE_CONN_STREAM, NULL);
  self->connection = g_object_ref (connection);
  self->state = g_rc_box_new0 (ConnState);
  self->state->socket = g_object_ref (g_socket_connection_get_socket (connection));
  conn_state_set_phase (self->state, BUURTEN_CONN_IDLE);

  input = g_object_new (BUURTEN_TYPE_CONN_INPUT, NULL);
  input->base = g_object_ref (g_io_stream_get_input_stream (G_IO_STREAM (connection)));
  input->state = g_rc_box_acquire (self->state);
  self->input = G_INPUT_STREAM (input);

  output = g_object_new (BUURTEN_TYPE_CONN_OUTPUT, NULL);
  output->base = g_object_ref (g_io_stream_get_output_stream (G_IO_STREAM (connection)));
  output->state = g_rc_box_acquire (self->state);
  self->output = G_OUTPUT_STREAM (output);

  return self;
}

GSocket *
buurten_conn_stream_get_socket (BuurtenConnStream *self)
{
  g_return_val_if_fail (BUURTEN_IS_CONN_STREAM (self), NULL);

  return self->state->socket;
}

void
buurten_conn_stream_set_closed_func (BuurtenConnStream     *self,
                                     BuurtenConnClosedFunc  func,
                                     gpointer               user_data)
{
  g_return_if_fail (BUURTEN_IS_CONN_STREAM (self));

  self->closed_func = func;
  self->closed_data = user_data;
}

void
buurten_conn_stream_request_started (BuurtenConnStream *self)
{
  g_return_if_fail (BUURTEN_IS_CONN_STREAM (self));

  self->state->in_request = TRUE;
}

void
buurten_conn_stream_request_ended (BuurtenConnStream *self)
{
  g_return_if_fail (BUURTEN_IS_CONN_STREAM (self));

  self->state->in_request = FALSE;
  self->state->requests++;
  conn_state_set_phase (self->state, BUURTEN_CONN_IDLE);
}

void
buurten_conn_stream_set_phase (BuurtenConnStream *self,
                               BuurtenConnPhase   phase)
{
  g_return_if_fail (BUURTEN_IS_CONN_STREAM (self));

  conn_state_set_phase (self->state, phase);
}

BuurtenConnPhase
buurten_conn_stream_get_phase (BuurtenConnStream *self)
{
  g_return_val_if_fail (BUURTEN_IS_CONN_STREAM (self), BUURTEN_CONN_IDLE);

  return self->state->phase;
}

gint64
buurten_conn_stream_get_phase_since (BuurtenConnStream *self)
{
  g_return_val_if_fail (BUURTEN_IS_CONN_STREAM (self), 0);

  return self->state->since;
}

guint64
buurten_conn_stream_get_phase_bytes (BuurtenConnStream *self)
{
  g_return_val_if_fail (BUURTEN_IS_CONN_STREAM (self), 0);

  return self->state->bytes_read - self->state->phase_base;
}

guint
buurten_conn_stream_get_requests (BuurtenConnStream *self)
{
  g_return_val_if_fail (BUURTEN_IS_CONN_STREAM (self), 0);

  return self->state->requests;
}

gint64
buurten_conn_stream_get_write_stalled (BuurtenConnStream *self)
{
  g_return_val_if_fail (BUURTEN_IS_CONN_STREAM (self), 0);

  return self->state->write_stalled;
}

void
buurten_conn_stream_shutdown (BuurtenConnStream *self)
{
  g_return_if_fail (BUURTEN_IS_CONN_STREAM (self));

  g_socket_shutdown (self->state->socket, TRUE, TRUE, NULL);
}

void
buurten_conn_stream_set_corked (BuurtenConnStream *self,
                                gboolean           corked)
{
  g_return_if_fail (BUURTEN_IS_CONN_STREAM (self));

  g_socket_set_option (self->state->socket, IPPROTO_TCP, TCP_CORK, corked, NULL);
}
