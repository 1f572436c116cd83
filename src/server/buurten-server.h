/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "buurten-api.h"
#include "buurten-exchange.h"

G_BEGIN_DECLS

typedef struct
{
  gsize     max_body;      /* bytes of a JSON request body */
  gsize     max_blob;      /* bytes of a blob (PUT /api/v1/blobs/...) */
  gboolean  trust_proxy;   /* take the client address from X-Forwarded-For */
  gboolean  verbose;       /* log every request, reads included */
  guint     drain_seconds; /* how long SIGTERM waits for requests in flight */
  guint     workers;       /* threads doing database work: the pool's size */
  guint     http_threads;  /* threads serving HTTP, each with its own main loop */
  /* Connections (docs/deploy.md, "Connections"); 0: the default. */
  guint     header_timeout;    /* s for a request's head (10) */
  guint     keepalive_timeout; /* s idle between requests, or a response stuck (60) */
  guint     body_min_rate;     /* bytes/s a body must average (1024) */
  guint     max_connections;   /* open client connections (512) */
  guint     max_queue;         /* requests waiting for a worker (256) */
  gsize     body_memory;       /* bytes all bodies being read or handled may take (256 MiB) */
} BuurtenServerOptions;

typedef struct _BuurtenServer BuurtenServer;

/* The HTTP side: http_threads threads, each with a SoupServer on its own
 * main context (they share the port), route requests to the endpoints in
 * buurten-api.h and run each on a worker thread with a pooled connection
 * while the message is paused, so no HTTP thread waits on the database.
 * The main thread handles the signals and the shutdown. */
BuurtenServer *buurten_server_new    (BuurtenServerContext        *context,
                                      const BuurtenServerOptions  *options);
void           buurten_server_free   (BuurtenServer               *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BuurtenServer, buurten_server_free)

/* "127.0.0.1:8080", "[::1]:8080", "0.0.0.0:0" (port 0: any free port).
 * Starts the HTTP threads, which serve from then on. Returns the port
 * bound. */
gboolean       buurten_server_listen (BuurtenServer               *self,
                                      const char                  *listen,
                                      guint                       *out_port,
                                      GError                     **error);

/* Runs until SIGTERM or SIGINT, then stops accepting work, finishes the
 * requests in flight and returns. */
void           buurten_server_run    (BuurtenServer               *self);

G_END_DECLS
