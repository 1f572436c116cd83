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

G_END_DECLS
