/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "buurten-core.h"
#include "buurten-store.h"

G_BEGIN_DECLS

/* What the window shows: the opened store, the municipality and the
 * thermometers of one year. Immutable once made, so it is shared by
 * reference between the loading thread and the UI. */
typedef struct
{
  BuurtenStore        *store;              /* may be NULL (tests) */
  BuurtenMunicipality *municipality;
  int                  year;
  /* BuurtenThermometer*: one per wijk in file order, then one per pot. */
  GPtrArray           *thermometers;
  gint64               total_budget_cents;
} BuurtenOverview;

#define BUURTEN_TYPE_OVERVIEW (buurten_overview_get_type ())

GType            buurten_overview_get_type    (void) G_GNUC_CONST;

/* Takes the city overview of ledger (the ledger may be dropped after). */
BuurtenOverview *buurten_overview_new         (BuurtenStore        *store,
                                               BuurtenMunicipality *municipality,
                                               BuurtenLedger       *ledger,
                                               int                  year);
BuurtenOverview *buurten_overview_ref         (BuurtenOverview     *self);
void             buurten_overview_unref       (BuurtenOverview     *self);

/* The thermometer of a wijk or pot; NULL when unknown. */
const BuurtenThermometer *buurten_overview_lookup (BuurtenOverview *self,
                                                   const char      *id);

/* Opens the store at path in a worker thread (creating it when missing),
 * imports the default municipality when the store has none, and computes
 * the thermometers of year. */
void             buurten_overview_load_async  (const char          *path,
                                               int                  year,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
BuurtenOverview *buurten_overview_load_finish (GAsyncResult        *result,
                                               GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BuurtenOverview, buurten_overview_unref)

G_END_DECLS
