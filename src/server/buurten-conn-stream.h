/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* One accepted client connection as libsoup sees it: a GIOStream whose
 * input and output are pollable wrappers of the socket connection's
 * streams. It counts what goes through, knows where the connection is in
 * its request (for the timeouts of buurten-connection.c), and works around
 * libsoup 3.2's leak of connections closed while idle (docs/deploy.md,
 * "Connections"): when a read between two requests finds the end of the
 * stream or an error, it returns one made-up byte first, so that libsoup
 * starts a request, fails it, and disconnects as it does for every failed
 * request. Used from the thread of the connection only. */

#define BUURTEN_TYPE_CONN_STREAM (buurten_conn_stream_get_type ())
G_DECLARE_FINAL_TYPE (BuurtenConnStream, buurten_conn_stream, BUURTEN, CONN_STREAM, GIOStream)

typedef enum
{
  BUURTEN_CONN_IDLE,     /* before the first byte of a request (or since accept) */
  BUURTEN_CONN_HEADERS,  /* a request's head is arriving */
  BUURTEN_CONN_BODY,     /* its body is being read */
  BUURTEN_CONN_HELD,     /* the server has it: checking, working, answering */
  BUURTEN_CONN_LINGER,   /* taken from libsoup: an early answer, then drained */
} BuurtenConnPhase;

typedef void (*BuurtenConnClosedFunc) (BuurtenConnStream *stream,
                                       gpointer           user_data);

BuurtenConnStream *buurten_conn_stream_new               (GSocketConnection     *connection);
GSocket           *buurten_conn_stream_get_socket        (BuurtenConnStream     *self);
/* Called once, when the stream is closed (or finalized unclosed). */
void               buurten_conn_stream_set_closed_func   (BuurtenConnStream     *self,
                                                          BuurtenConnClosedFunc  func,
                                                          gpointer               user_data);

/* libsoup's request-started: a request is under way (no made-up byte). */
void               buurten_conn_stream_request_started   (BuurtenConnStream     *self);
/* Its request-finished or request-aborted: idle until the next byte. */
void               buurten_conn_stream_request_ended     (BuurtenConnStream     *self);

void               buurten_conn_stream_set_phase         (BuurtenConnStream     *self,
                                                          BuurtenConnPhase       phase);
BuurtenConnPhase   buurten_conn_stream_get_phase         (BuurtenConnStream     *self);
/* Monotonic time the phase began (for the first request: the accept). */
gint64             buurten_conn_stream_get_phase_since   (BuurtenConnStream     *self);
/* Bytes read since the phase began. */
guint64            buurten_conn_stream_get_phase_bytes   (BuurtenConnStream     *self);
/* Requests finished on this connection. */
guint              buurten_conn_stream_get_requests      (BuurtenConnStream     *self);
/* Monotonic time since which a write has been waiting for the client to
 * read, or 0. */
gint64             buurten_conn_stream_get_write_stalled (BuurtenConnStream     *self);

/* Shuts the socket down both ways: a read in progress sees the end, a
 * write fails; libsoup then closes the connection itself. */
void               buurten_conn_stream_shutdown          (BuurtenConnStream     *self);
/* TCP_CORK on or off (fails harmlessly once the socket is gone). */
void               buurten_conn_stream_set_corked        (BuurtenConnStream     *self,
                                                          gboolean               corked);

G_END_DECLS
