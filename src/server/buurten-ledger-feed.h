/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libpq-fe.h>

#include "buurten-core.h"

G_BEGIN_DECLS

/* Budget ledger of a year from the database (the public thermometer and
 * the mandate checks use the same one). */
/* Feeds rows whose first two columns are an entity type and its JSON
 * (commitments before the payments on them) to the ledger; rows of other
 * types, or a NULL type, are passed over; entries the ledger refuses are
 * logged and skipped. */
void          buurten_ledger_feed          (BuurtenLedger       *ledger,
                                            PGresult            *rows,
                                            int                  year);
BuurtenLedger *buurten_load_ledger         (PGconn              *conn,
                                            BuurtenMunicipality *municipality,
                                            int                  year,
                                            GError             **error);

G_END_DECLS
