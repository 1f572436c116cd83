/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "buurten-call.h"
#include "buurten-mutations.h"

G_BEGIN_DECLS

/* The sync protocol's two endpoints (design.md): push applies named
 * mutations (buurten-mutations.h) once per (client, mid) in one
 * transaction; pull reads the change log per scope from an opaque
 * cursor. */

void          buurten_api_push             (BuurtenCall *call, PGconn *conn);
void          buurten_api_pull             (BuurtenCall *call, PGconn *conn);

/* The pull of a client that is up to date, answered without a worker
 * thread: prepare (NULL when the pull needs the full path: the session is
 * not remembered, the cursor is odd, ...), run the prepared statement
 * BUURTEN_PULL_FAST_STATEMENT (buurten_sync_pull_fast_sql()) with
 * buurten_pull_fast_params() on any connection, then finish (FALSE: run
 * the full buurten_api_pull instead). */
#define BUURTEN_PULL_STATEMENT "buurten_pull"
#define BUURTEN_PULL_N_PARAMS 9
#define BUURTEN_PULL_FAST_STATEMENT "buurten_pull_fast"
#define BUURTEN_PULL_FAST_N_PARAMS 3

typedef struct _BuurtenPullFast BuurtenPullFast;

const char    *buurten_sync_pull_sql       (void);
const char    *buurten_sync_pull_fast_sql  (void);
BuurtenPullFast *buurten_pull_fast_prepare (BuurtenCall         *call);
const char * const *buurten_pull_fast_params (BuurtenPullFast   *fast);
gboolean       buurten_pull_fast_finish    (BuurtenCall         *call,
                                            BuurtenPullFast     *fast,
                                            PGresult            *rows);
void           buurten_pull_fast_free      (BuurtenPullFast     *fast);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BuurtenPullFast, buurten_pull_fast_free)

G_END_DECLS
