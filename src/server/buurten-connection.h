/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "buurten-conn-stream.h"

G_BEGIN_DECLS

/* The connections of one HTTP thread: accepted here from the thread's
 * listening socket (not by libsoup), each wrapped in a BuurtenConnStream
 * and handed to the thread's SoupServer with soup_server_accept_iostream();
 * a sweep every second closes those that are idle or slow for too long;
 * over the process's cap a connection gets a 503 and is closed. See
 * docs/deploy.md, "Connections". */

typedef struct
{
  guint header_timeout;     /* s: a request's head, from its first byte (or the accept) */
  guint keepalive_timeout;  /* s: idle between requests; a response making no progress */
  guint body_min_rate;      /* bytes/s a body averages, after header_timeout s */
  guint max_connections;    /* open client connections of the process */
  gboolean verbose;
} BuurtenConnectionLimits;

typedef struct _BuurtenConnections BuurtenConnections;

/* In the HTTP thread, with its context the thread default. listening is
 * bound and listening; open_count is shared by the threads of a process
 * (atomic). */
BuurtenConnections *buurten_connections_new      (SoupServer                    *soup,
                                                  GSocket                       *listening,
                                                  const BuurtenConnectionLimits *limits,
                                                  int                           *open_count,
                                                  GError                       **error);
/* Stops accepting (the connections stay). */
void                buurten_connections_stop     (BuurtenConnections            *self);
/* After soup_server_disconnect(): ends the lingering answers too. */
void                buurten_connections_free     (BuurtenConnections            *self);

/* The connection a message came on (borrowed), or NULL. */
BuurtenConnStream  *buurten_connections_lookup   (SoupServerMessage             *msg);

/* Takes the connection of msg away from libsoup, writes response (a whole
 * HTTP/1.1 answer with Connection: close), then reads and drops at most
 * max_drain bytes of what the client still sends, for at most seconds,
 * so that it gets to read the answer instead of a reset. */
void                buurten_connections_answer_and_close (BuurtenConnections    *self,
                                                          SoupServerMessage     *msg,
                                                          const char            *response,
                                                          guint                  seconds,
                                                          gsize                  max_drain);

G_END_DECLS
