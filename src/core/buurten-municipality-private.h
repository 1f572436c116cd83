/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "buurten-municipality.h"

#include <json-glib/json-glib.h>

/* The private side of BuurtenMunicipality, shared by the two files it is
 * split into by concern:
 *   buurten-municipality.c        the object and the queries on its tables
 *                                 (lookups, the table of a year, budgets,
 *                                 answer terms, role names)
 *   buurten-municipality-parse.c  reading and validating the municipality
 *                                 file, and the constructors that do it */

struct _BuurtenMunicipality
{
  GObject parent_instance;

  char       *id;
  char       *name;
  GBytes     *bytes;
  GPtrArray  *wijken;          /* BuurtenWijk*, file order */
  GPtrArray  *clusters;        /* BuurtenCluster*, file order */
  GHashTable *wijk_index;      /* id -> BuurtenWijk* (borrowed) */
  GHashTable *cluster_index;   /* id -> BuurtenCluster* (borrowed) */
  GPtrArray  *budget_tables;   /* BuurtenBudgetTable*, ascending valid_from */
  GPtrArray  *mandate_tables;  /* BuurtenMandateTable*, ascending valid_from */
  guint       answer_terms[BUURTEN_REQUEST_TYPE_IDEE + 1];
  guint       decision_term_weeks;   /* 0: the file names none */
  char       *role_names[BUURTEN_N_ROLES];
  char       *letterhead_name;  /* NULL: the file has no letterhead */
  char      **letterhead_lines; /* never NULL once loaded */
  guint       objection_weeks;  /* bezwaar: DEFAULT_OBJECTION_WEEKS when the file names none */
  char       *objection_to;     /* NULL: to the letterhead's sender */
  char      **objection_lines;  /* NULL: the letterhead's lines */
  guint       accounting_term_weeks; /* verantwoording: weeks after the activity */
};

#define N_FUNDINGS (BUURTEN_FUNDING_INVESTERING + 1)
#define N_REQUEST_TYPES (BUURTEN_REQUEST_TYPE_IDEE + 1)
#define DEFAULT_ANSWER_TERM 10
/* The Awb's term for an objection (bezwaar) to a beschikking. */
#define DEFAULT_OBJECTION_WEEKS 6
#define DEFAULT_ACCOUNTING_WEEKS 13

void buurten_municipality_free_budget_table  (gpointer data);
void buurten_municipality_free_mandate_table (gpointer data);

/* The sum of a budget table; FALSE when it overflows. */
gboolean buurten_municipality_table_total (const BuurtenBudgetTable *table,
                                           gint64                   *out);

/* Fills a new, empty municipality from the root object of its file. */
gboolean buurten_municipality_load (BuurtenMunicipality  *self,
                                    JsonObject           *root,
                                    GError              **error);
