/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "buurten-connection.h"
#include "buurten-server.h"

G_BEGIN_DECLS

/* What buurten-server.c (routes, requests on worker threads, HTTP threads,
 * lifetime) and buurten-server-pull.c (the pull fast path on the HTTP
 * threads' pipelined connections) share. */

typedef void (*Endpoint) (BuurtenCall *call, PGconn *conn);

typedef enum
{
  BODY_NONE,
  BODY_JSON,
  BODY_BLOB,
} BodyKind;

typedef struct
{
  const char *method;
  const char *path;     /* exact, or a prefix when it ends in '/' */
  Endpoint    endpoint;
  BodyKind    body;
  gboolean    quiet;    /* reads that are not logged unless verbose */
} Route;

typedef struct _HttpThread HttpThread;
/* A pipelined connection of the pull fast path (buurten-server-pull.c). */
typedef struct _AsyncConn AsyncConn;

struct _BuurtenServer
{
  BuurtenServerContext *context;
  BuurtenServerOptions  options;
  GThreadPool          *workers;
  GPtrArray            *threads;       /* HttpThread*: one SoupServer each */
  GMainLoop            *loop;          /* the main thread's: signals, the drain */
  /* Shared by every thread, atomic: requests paused for a worker or the
   * fast path (and reconnections), and whether SIGTERM came. */
  int                   in_flight;
  int                   draining;
  /* Open client connections of every thread (atomic): the cap. */
  int                   open_connections;
  /* Bytes of request bodies admitted and not yet freed (atomic): at most
   * options.body_memory. */
  gssize                body_bytes;
  guint                 drain_timeout_id;
};

/* One HTTP thread: a SoupServer on a listening socket of its own (the
 * threads' sockets share the port through SO_REUSEPORT, and the kernel
 * spreads new connections over them), run by a main loop on the thread's
 * own GMainContext, with the pipelined pull connections that context
 * watches. A message is only ever touched from the thread that accepted
 * its connection. */
struct _HttpThread
{
  BuurtenServer *server;
  GMainContext  *context;
  GMainLoop     *loop;
  GThread       *thread;
  GSocket       *socket;        /* bound and listening, accepted from by connections */
  guint          n_async;
  /* Owned by the thread once it runs. */
  SoupServer    *soup;
  BuurtenConnections *connections;
  GPtrArray     *async_conns;   /* AsyncConn*: the pull fast path */
  GSource       *flush_source;  /* sends the pulls queued on them */
  guint          async_unsynced; /* pulls queued since the last send */
  /* Start-up: the thread says it serves, or why not. */
  GMutex         lock;
  GCond          cond;
  gboolean       started;
  GError        *error;
};

typedef struct
{
  HttpThread        *http;      /* owns msg: the response is set there */
  SoupServerMessage *msg;
  const Route       *route;
  BuurtenCall       *call;
  gint64             started;
  gboolean           admission; /* only the check before the body is read */
} Job;

void maybe_quit (BuurtenServer *self);
void queue_job (Job *job);
void job_free (Job *job);
void job_respond (Job *job);
gboolean try_fast_pull (HttpThread *http,
                        Job        *job);
PGconn *async_connect (BuurtenServer  *self,
                       GError        **error);
void async_conn_add (HttpThread *http,
                     PGconn     *conn);
void async_conn_free (AsyncConn *ac);
GSource *flush_source_new (HttpThread *http);

G_END_DECLS
