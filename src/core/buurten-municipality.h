/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "buurten-entity.h"

G_BEGIN_DECLS

/* The municipality's data: wijken, clusters, the budget table and the
 * mandate table per year, answer terms and role names. It is data
 * (data/municipalities/hilversum.json), validated on load; see
 * docs/municipality-format.md. Immutable once loaded, so it may be shared
 * between threads. */

typedef struct
{
  char *id;
  char *name;
  char *cluster;
} BuurtenWijk;

typedef struct
{
  char *id;
  char *name;
} BuurtenCluster;

typedef struct
{
  char   *wijk;
  gint64  subsidy_cents;
  gint64  handgeld_cents;
} BuurtenWijkBudget;

typedef struct
{
  char   *id;             /* "wijkkansen", "digitaal_platform" */
  char   *name;
  gint64  budget_cents;
  gboolean hard_cap;      /* commitments may never exceed it */
} BuurtenPot;

typedef struct
{
  int        valid_from;  /* the first calendar year it applies to */
  GPtrArray *wijken;      /* BuurtenWijkBudget*, one per wijk */
  GPtrArray *pots;        /* BuurtenPot* */
} BuurtenBudgetTable;

/**
 * BuurtenMandateBand:
 * One row of the mandate table: amounts A with min_exclusive < A <=
 * max_inclusive for one funding source. max_inclusive is -1 for "no upper
 * bound"; min_exclusive -1 means from zero (A > 0). When allowed is FALSE
 * the band refuses with refusal_code ("MANDATE_EXCEEDED") and the
 * way_forward text.
 */
typedef struct
{
  BuurtenFunding  funding;
  gint64          min_exclusive_cents;
  gint64          max_inclusive_cents;
  gboolean        allowed;
  GArray         *roles;         /* BuurtenRole, distinct signatures needed */
  char           *instrument;    /* "commitment", "buurtdeal+subsidiebeschikking", ... */
  char           *refusal_code;  /* when !allowed */
  char           *way_forward;   /* when !allowed: English msgid, translated on display */
} BuurtenMandateBand;

typedef struct
{
  int        valid_from;
  GPtrArray *bands;            /* BuurtenMandateBand*, per funding ordered by amount */
  BuurtenRole over_budget_role;/* extra signature when the richtbudget is overrun */
} BuurtenMandateTable;

#define BUURTEN_TYPE_MUNICIPALITY (buurten_municipality_get_type ())
G_DECLARE_FINAL_TYPE (BuurtenMunicipality, buurten_municipality, BUURTEN, MUNICIPALITY, GObject)

BuurtenMunicipality *buurten_municipality_new_from_data (const char *data,
                                                         gssize      length,
                                                         GError    **error);
BuurtenMunicipality *buurten_municipality_new_from_file (const char *path,
                                                         GError    **error);
/* The Hilversum file: $BUURTEN_DATA_DIR, then the installed data dir,
 * then the source tree (for running from the build directory). */
BuurtenMunicipality *buurten_municipality_new_default   (GError    **error);

const char          *buurten_municipality_get_id        (BuurtenMunicipality *self);
const char          *buurten_municipality_get_name      (BuurtenMunicipality *self);
/* The sender of the municipality's letters, as the file's "letterhead"
 * says ("Gemeente Hilversum"; the municipality's name when the file has
 * none), and the lines under it (address, telephone; empty when none):
 * data, not code. */
const char          *buurten_municipality_get_letterhead_name  (BuurtenMunicipality *self);
const char * const  *buurten_municipality_get_letterhead_lines (BuurtenMunicipality *self);
/* The raw file, for storing a copy or sending it on. */
GBytes              *buurten_municipality_get_bytes     (BuurtenMunicipality *self);

/* BuurtenWijk*, in file order. */
GPtrArray           *buurten_municipality_get_wijken    (BuurtenMunicipality *self);
GPtrArray           *buurten_municipality_get_clusters  (BuurtenMunicipality *self);
const BuurtenWijk   *buurten_municipality_lookup_wijk   (BuurtenMunicipality *self,
                                                         const char          *id);
const BuurtenCluster *buurten_municipality_lookup_cluster (BuurtenMunicipality *self,
                                                           const char          *id);

/* The table with the largest valid_from <= year; NULL before the first. */
const BuurtenBudgetTable  *buurten_municipality_get_budget_table  (BuurtenMunicipality *self,
                                                                   int                  year);
const BuurtenMandateTable *buurten_municipality_get_mandate_table (BuurtenMunicipality *self,
                                                                   int                  year);
/* Every budget table (BuurtenBudgetTable*) and every mandate table
 * (BuurtenMandateTable*), ascending valid_from: for copying a municipality
 * as a whole (the store imports them all). Borrowed, never empty. */
GPtrArray           *buurten_municipality_get_budget_tables  (BuurtenMunicipality *self);
GPtrArray           *buurten_municipality_get_mandate_tables (BuurtenMunicipality *self);
/* subsidy + handgeld of the wijk in year (the richtbudget before transfers
 * and carry-over); -1 for an unknown wijk or a year without a table. */
gint64               buurten_municipality_wijk_budget   (BuurtenMunicipality *self,
                                                         const char          *wijk,
                                                         int                  year);
/* -1 for an unknown pot or year. */
gint64               buurten_municipality_pot_budget    (BuurtenMunicipality *self,
                                                         const char          *pot,
                                                         int                  year);
/* Sum of all wijken and pots for the year; -1 without a table. */
gint64               buurten_municipality_total_budget  (BuurtenMunicipality *self,
                                                         int                  year);
/* Working days; 10 when the file does not say. */
guint                buurten_municipality_answer_term   (BuurtenMunicipality *self,
                                                         BuurtenRequestType   type);
/* Weeks from an application's submission to its decision, the
 * municipality's promise; 0 when the file names none. */
guint                buurten_municipality_decision_term_weeks (BuurtenMunicipality *self);
/* The objection (bezwaar) to a beschikking, as the file's "objection"
 * says: within how many weeks of its date (6 when the file names none,
 * the Awb's term), to whom, and the lines of that address (the
 * letterhead's sender and lines when the file names none). */
/* Weeks after the (last) activity within which the organiser accounts
 * for a grant (the verantwoording); 13 when the file names none. */
guint                buurten_municipality_accounting_term_weeks (BuurtenMunicipality *self);
guint                buurten_municipality_objection_weeks     (BuurtenMunicipality *self);
const char          *buurten_municipality_objection_to        (BuurtenMunicipality *self);
const char * const  *buurten_municipality_objection_lines     (BuurtenMunicipality *self);
/* The display name of a role ("Wijkregisseur"): data, not code. */
const char          *buurten_municipality_role_name     (BuurtenMunicipality *self,
                                                         BuurtenRole          role);

/* Added by B: the generic, translated label of a role ("wijkwethouder"),
 * used in sentences of the mandate engine and when the file gives no
 * display name. */
const char          *buurten_role_label                 (BuurtenRole          role);

G_END_DECLS
