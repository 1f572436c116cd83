/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "buurten-call.h"

G_BEGIN_DECLS

/* The endpoints besides the sync's (buurten-exchange.h), each on a worker
 * thread with a pooled connection: buurten-api-session.c (health, login,
 * logout, me) and buurten-api-read.c (objects, the thermometer, blobs,
 * the purge). */

void          buurten_api_health           (BuurtenCall *call, PGconn *conn);
void          buurten_api_login            (BuurtenCall *call, PGconn *conn);
void          buurten_api_logout           (BuurtenCall *call, PGconn *conn);
void          buurten_api_me               (BuurtenCall *call, PGconn *conn);
void          buurten_api_object           (BuurtenCall *call, PGconn *conn);
void          buurten_api_thermometer      (BuurtenCall *call, PGconn *conn);
void          buurten_api_blob_put         (BuurtenCall *call, PGconn *conn);
void          buurten_api_blob_get         (BuurtenCall *call, PGconn *conn);

/* A login's body: username (1 to 200 bytes) and password (at most 1024),
 * pointing into body; FALSE with a message otherwise. No database: the
 * fuzzer (fuzz/fuzz-login.c) runs it on anything. */
gboolean      buurten_login_body_read      (JsonObject   *body,
                                            const char  **out_username,
                                            const char  **out_password,
                                            GError      **error);

/* What buurten_purge() deleted. */
typedef struct
{
  gint64 tombstones;        /* objects deleted longer than BUURTEN_TOMBSTONE_DAYS ago */
  gint64 mutation_results;  /* older than BUURTEN_RESULT_DAYS, never a client's last */
  gint64 sessions;          /* expired more than a day ago (revoked ones expire too) */
  gint64 login_failures;    /* login counters whose window began over a day ago */
} BuurtenPurgeCounts;

/* Stored results of mutations are kept this long; a replay of an older
 * mid gets a rejected result with code EXPIRED. A client's last result is
 * always kept. */
#define BUURTEN_RESULT_DAYS 180

/* Deletes what is past its retention period, in one transaction. The
 * audit log is never touched: the server's role cannot delete from it
 * (docs/deploy.md: audit retention is the DBA's, from the oldest row on,
 * so that `audit verify` can start from the oldest row left). */
gboolean      buurten_purge                (PGconn              *conn,
                                            BuurtenPurgeCounts  *counts,
                                            GError             **error);

G_END_DECLS
