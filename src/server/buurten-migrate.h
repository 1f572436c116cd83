/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <libpq-fe.h>

G_BEGIN_DECLS

/* The schema version this build needs: the number of migrations shipped
 * as resources (src/server/migrations/NNNN-*.sql). */
guint     buurten_migrate_latest  (void);

/* Applies the migrations the database lacks, each in its own transaction,
 * under an advisory lock so that two `migrate` runs cannot interleave.
 * Idempotent. Reports each step through g_print when verbose. */
gboolean  buurten_migrate_run     (PGconn    *conn,
                                   gboolean   verbose,
                                   GError   **error);

/* The database's schema version (0 when never migrated). */
gboolean  buurten_migrate_version (PGconn    *conn,
                                   guint     *out_version,
                                   GError   **error);

/* FALSE with a message saying which, when the database is not migrated or
 * its schema is older or newer than this build. */
gboolean  buurten_migrate_check   (PGconn    *conn,
                                   GError   **error);

G_END_DECLS
