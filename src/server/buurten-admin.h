/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libpq-fe.h>

#include "buurten-core.h"

G_BEGIN_DECLS

/* The administrator's subcommands; they connect as the database owner
 * (no SET ROLE) and print what they did. */

/* Stores the municipality file (validated by the core) and creates the
 * change clocks of its wijken and clusters. */
gboolean             buurten_admin_import_municipality (PGconn      *conn,
                                                        const char  *path,
                                                        GError     **error);
/* The municipality stored by import-municipality. */
BuurtenMunicipality *buurten_admin_load_municipality   (PGconn      *conn,
                                                        GError     **error);
/* Creates a user with an argon2id password hash and grants each role for
 * each wijk (or for every wijk when a role is city-wide or no wijk is
 * given for it). The password comes from a file ("-": standard input) and
 * has at least 12 characters. */
gboolean             buurten_admin_user_add            (PGconn      *conn,
                                                        const char  *username,
                                                        char       **roles,
                                                        char       **wijken,
                                                        const char  *password_file,
                                                        GError     **error);

/* Clears the user's login counters (buurten-api-session.c), so that the
 * addresses that failed against the user may try again; audited. */
gboolean             buurten_admin_user_unlock         (PGconn      *conn,
                                                        const char  *username,
                                                        GError     **error);
/* Recomputes the audit chain from the oldest row left to the newest and
 * compares the newest with the chain's head. Prints what it checked; the
 * error names the first row that breaks the chain. */
gboolean             buurten_admin_audit_verify        (PGconn      *conn,
                                                        GError     **error);

G_END_DECLS
