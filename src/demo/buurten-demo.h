/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "buurten-store.h"

G_BEGIN_DECLS

typedef struct
{
  guint32 seed;            /* same seed, same options: the same database */
  int     year;            /* the demo year (default: the current year) */
  guint   n_requests;      /* 0: a believable year (about 1 200) */
  guint   n_initiatives;   /* 0: a believable year (about 160) */
  GDate   today;           /* "now" for states and overdue requests */
} BuurtenDemoOptions;

void      buurten_demo_options_init (BuurtenDemoOptions *options);

typedef void (*BuurtenDemoProgress) (guint done, guint total, gpointer user_data);

/* Fills an empty store with the municipality and a year of work. */
gboolean  buurten_demo_generate     (BuurtenStore              *store,
                                     BuurtenMunicipality       *municipality,
                                     const BuurtenDemoOptions  *options,
                                     BuurtenDemoProgress        progress,
                                     gpointer                   user_data,
                                     GError                   **error);

/* n requests as buurten_demo_generate() would make them (spread over the
 * wijken by budget share, dated up to options->today), without storing
 * them: for benchmarks. NULL with an error when the options do not fit the
 * municipality. BuurtenRequest*, freed with the array. */
GPtrArray *buurten_demo_make_requests (BuurtenMunicipality       *municipality,
                                       const BuurtenDemoOptions  *options,
                                       guint                      n,
                                       GError                   **error);

G_END_DECLS
