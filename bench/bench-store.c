/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-store"

#include "config.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "buurten-demo.h"

/* bench-store: the numbers behind bench/RESULTS.md.
 *
 *   1. insert N demo requests (default 100 000) in one transaction;
 *   2. search them as people type: every query below, letter by letter;
 *   3. the thermometer of one wijk that has 10 000 commitments.
 *
 * The data comes from the demo generator with a fixed seed and a fixed
 * "today", so every run measures the same database. Times are wall-clock
 * (g_get_monotonic_time) on a warm cache: the first query of a run is
 * measured like every other. */

#define BENCH_YEAR 2026
#define THERMOMETER_COMMITMENTS 10000
#define THERMOMETER_RUNS 100
#define THERMOMETER_WIJK "centrum"
#define SEARCH_LIMIT 50

/* What people look for in the demo data, typed one key at a time: streets,
 * problems, two-word queries, and a few that find nothing. */
static const char * const typed_queries[] = {
  "lantaarnpaal",
  "stoeptegels",
  "kerkstraat",
  "larenseweg",
  "hondenpoep",
  "zwerfafval",
  "jongeren",
  "speeltuin",
  "overlast",
  "bankje",
  "havenstraat",
  "vaartweg",
  "gijsbrecht van amstelstraat",
  "soestdijkerstraatweg",
  "loosdrechtseweg",
  "parkeren stoep",
  "graffiti",
  "container vol",
  "gat fietspad",
  "eenzaam",
  "schimmel",
  "geluidsoverlast",
  "fietswrakken",
  "onkruid",
  "grofvuil",
  "kapot vaartweg",
  "te hard larenseweg",
  "losliggende tegels",
  "jongeren speelveld",
  "lopes diasstraat",
  "diependaalselaan",
  "liebergerweg",
  "neuweg",
  "zwembad",
  "brandweer",
};

typedef struct
{
  double median;
  double p99;
  double max;
  guint  n;
} Stats;

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return x < y ? -1 : (x > y ? 1 : 0);
}

static Stats
stats_of (GArray *samples)
{
  Stats stats = { 0, };
  double *v = (double *) (gpointer) samples->data;
  guint n = samples->len;

  g_assert (n > 0);
  g_array_sort (samples, compare_doubles);
  stats.n = n;
  stats.median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  /* Nearest-rank percentile. */
  stats.p99 = v[MAX ((guint) ceil (0.99 * n), 1) - 1];
  stats.max = v[n - 1];
  return stats;
}

static double
ms_since (gint64 start)
{
  return (double) (g_get_monotonic_time () - start) / 1000.0;
}

static void
die (const char *what,
     GError     *error)
{
  g_printerr ("bench-store: %s: %s\n", what, error != NULL ? error->message : "failed");
  exit (1);
}

/* A random-looking but fixed UUID for the thermometer rows. */
static char *
bench_uuid (guint kind,
            guint n)
{
  return g_strdup_printf ("%08x-0000-4000-8000-%012x", kind, n);
}

static void
remove_database (const char *path)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      if (g_remove (file) != 0 && errno != ENOENT)
        g_printerr ("bench-store: could not remove %s: %s\n", file, g_strerror (errno));
    }
}

static void
fill_commitments (BuurtenStore        *store,
                  BuurtenMunicipality *municipality)
{
  GPtrArray *wijken = buurten_municipality_get_wijken (municipality);
  g_autoptr(GError) error = NULL;
  guint n = 0;

  /* 10 000 commitments in the measured wijk, and as many spread over the
   * others, so that reading only one wijk's rows matters. */
  if (!buurten_store_begin (store, &error))
    die ("begin", error);
  for (guint i = 0; i < 2 * THERMOMETER_COMMITMENTS; i++)
    {
      const BuurtenWijk *other = g_ptr_array_index (wijken, i % wijken->len);
      const char *wijk = i < THERMOMETER_COMMITMENTS ? THERMOMETER_WIJK : other->id;
      g_autoptr(BuurtenInitiative) initiative = buurten_initiative_new ();
      g_autoptr(BuurtenCommitment) commitment = buurten_commitment_new ();

      initiative->id = bench_uuid (1, i);
      initiative->wijk = g_strdup (wijk);
      initiative->title = g_strdup_printf ("Buurtinitiatief %u", i);
      initiative->description = g_strdup ("Bewoners organiseren samen een activiteit.");
      initiative->requested_cents = 25000 + (i % 70) * 2500;
      initiative->theme = g_strdup (i % 3 == 0 ? "Groen en spelen" : "Samen in de buurt");
      initiative->state = BUURTEN_INITIATIVE_IN_PROGRESS;
      initiative->received_at = 1767225600 + (gint64) i * 600;
      initiative->version = 1;

      commitment->id = bench_uuid (2, i);
      commitment->initiative_id = g_strdup (initiative->id);
      commitment->wijk = g_strdup (wijk);
      commitment->funding = i % 4 == 0 ? BUURTEN_FUNDING_HANDGELD : BUURTEN_FUNDING_WIJKBUDGET;
      commitment->year = BENCH_YEAR;
      commitment->amount_cents = initiative->requested_cents;
      commitment->theme = g_strdup (initiative->theme);
      commitment->state = i % 10 == 0 ? BUURTEN_COMMITMENT_PENDING
                                      : BUURTEN_COMMITMENT_APPROVED;
      commitment->created_at = initiative->received_at + 86400;
      commitment->version = 1;

      if (!buurten_store_put (store, &buurten_initiative_info, initiative, "bench", NULL, NULL,
                              &error) ||
          !buurten_store_put (store, &buurten_commitment_info, commitment, "bench", NULL,
                              NULL, &error))
        die ("insert commitment", error);

      if (commitment->state == BUURTEN_COMMITMENT_APPROVED && i % 2 == 0)
        {
          g_autoptr(BuurtenPayment) payment = buurten_payment_new ();

          payment->id = bench_uuid (3, i);
          payment->commitment_id = g_strdup (commitment->id);
          payment->amount_cents = commitment->amount_cents / 2;
          g_date_set_dmy (&payment->paid_on, 1 + i % 28, 1 + (i / 28) % 12, BENCH_YEAR);
          if (!buurten_store_put (store, &buurten_payment_info, payment, "bench", NULL, NULL,
                                  &error))
            die ("insert payment", error);
        }
      n++;
    }
  if (!buurten_store_commit (store, &error))
    die ("commit", error);
  g_assert (n == 2 * THERMOMETER_COMMITMENTS);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BuurtenMunicipality) municipality = NULL;
  g_autoptr(BuurtenStore) store = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GArray) search_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) search_wijk_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) thermometer_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) ledger_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *data_dir = NULL;
  g_autofree char *path = NULL;
  gint64 n_requests = 100000;
  gboolean own_dir = FALSE;
  BuurtenDemoOptions options;
  double make_ms, insert_ms, fill_ms;
  guint64 total_hits = 0;
  guint empty_results = 0;
  Stats search, search_wijk, thermometer, ledger;
  gint64 start;
  const GOptionEntry entries[] = {
    { "requests", 'r', G_OPTION_FLAG_NONE, G_OPTION_ARG_INT64, &n_requests,
      "Number of requests to insert and search (default 100000)", "N" },
    { "data-dir", 'd', G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &data_dir,
      "Where to create the database (default: a temporary directory, removed afterwards)",
      "DIR" },
    { NULL }
  };

  setlocale (LC_ALL, "");

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, "Measures the Buurten store: bulk insert, search "
                                         "as you type and the wijkthermometer.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    die ("options", error);
  if (n_requests < 1 || n_requests > 10000000)
    {
      g_printerr ("bench-store: --requests must be between 1 and 10000000\n");
      return 1;
    }

  if (data_dir == NULL)
    {
      data_dir = g_dir_make_tmp ("buurten-bench-XXXXXX", &error);
      if (data_dir == NULL)
        die ("temporary directory", error);
      own_dir = TRUE;
    }
  path = buurten_store_default_path (data_dir);
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_printerr ("bench-store: %s exists; give an empty --data-dir\n", path);
      return 1;
    }

  municipality = buurten_municipality_new_default (&error);
  if (municipality == NULL)
    die ("municipality", error);

  buurten_demo_options_init (&options);
  options.year = BENCH_YEAR;
  g_date_set_dmy (&options.today, 15, G_DATE_NOVEMBER, BENCH_YEAR);

  g_printerr ("Generating %" G_GINT64_FORMAT " requests…\n", n_requests);
  start = g_get_monotonic_time ();
  requests = buurten_demo_make_requests (municipality, &options, (guint) n_requests, &error);
  if (requests == NULL)
    die ("generate", error);
  make_ms = ms_since (start);

  store = buurten_store_open (path, &error);
  if (store == NULL)
    die ("open", error);
  if (!buurten_store_import_municipality (store, municipality, &error))
    die ("import municipality", error);

  /* 1. Bulk insert: one transaction, as the demo and a pulled page do. */
  g_printerr ("Inserting…\n");
  start = g_get_monotonic_time ();
  if (!buurten_store_begin (store, &error))
    die ("begin", error);
  for (guint i = 0; i < requests->len; i++)
    if (!buurten_store_put (store, &buurten_request_info, g_ptr_array_index (requests, i),
                            "bench", NULL, NULL, &error))
      die ("insert", error);
  if (!buurten_store_commit (store, &error))
    die ("commit", error);
  insert_ms = ms_since (start);
  g_clear_pointer (&requests, g_ptr_array_unref);

  /* 2. Search as you type: every prefix of every query. */
  g_printerr ("Searching…\n");
  for (guint q = 0; q < G_N_ELEMENTS (typed_queries); q++)
    {
      const char *query = typed_queries[q];
      glong length = g_utf8_strlen (query, -1);

      for (glong k = 1; k <= length; k++)
        {
          g_autofree char *prefix = g_utf8_substring (query, 0, k);
          g_autoptr(GPtrArray) hits = NULL;
          g_autoptr(GPtrArray) wijk_hits = NULL;
          double ms;

          start = g_get_monotonic_time ();
          hits = buurten_store_search (store, prefix, NULL, SEARCH_LIMIT, &error);
          ms = ms_since (start);
          if (hits == NULL)
            die ("search", error);
          g_array_append_val (search_ms, ms);
          total_hits += hits->len;
          if (hits->len == 0)
            empty_results++;

          start = g_get_monotonic_time ();
          wijk_hits = buurten_store_search (store, prefix, "zuid", SEARCH_LIMIT, &error);
          ms = ms_since (start);
          if (wijk_hits == NULL)
            die ("search in a wijk", error);
          g_array_append_val (search_wijk_ms, ms);
        }
    }
  search = stats_of (search_ms);
  search_wijk = stats_of (search_wijk_ms);

  /* 3. The thermometer of one wijk with 10 000 commitments. */
  g_printerr ("Filling commitments…\n");
  start = g_get_monotonic_time ();
  fill_commitments (store, municipality);
  fill_ms = ms_since (start);

  for (guint run = 0; run < THERMOMETER_RUNS; run++)
    {
      g_autoptr(BuurtenThermometer) t = NULL;
      double ms;

      start = g_get_monotonic_time ();
      t = buurten_store_thermometer (store, municipality, THERMOMETER_WIJK, BENCH_YEAR,
                                     &error);
      ms = ms_since (start);
      if (t == NULL)
        die ("thermometer", error);
      g_array_append_val (thermometer_ms, ms);
    }
  thermometer = stats_of (thermometer_ms);

  for (guint run = 0; run < THERMOMETER_RUNS / 5; run++)
    {
      g_autoptr(BuurtenLedger) l = NULL;
      double ms;

      start = g_get_monotonic_time ();
      l = buurten_store_ledger (store, municipality, BENCH_YEAR, &error);
      ms = ms_since (start);
      if (l == NULL)
        die ("ledger", error);
      g_array_append_val (ledger_ms, ms);
    }
  ledger = stats_of (ledger_ms);

  g_print ("SQLite %s, %" G_GINT64_FORMAT " requests, search limit %d, %u searches "
           "(every prefix of %u typed queries; %u found nothing, %.1f hits on average)\n\n",
           sqlite3_libversion (), n_requests, SEARCH_LIMIT, search.n,
           (guint) G_N_ELEMENTS (typed_queries), empty_results,
           (double) total_hits / search.n);
  g_print ("| benchmark | result | target |\n");
  g_print ("| --- | --- | --- |\n");
  g_print ("| generate %" G_GINT64_FORMAT " requests in memory (demo generator) | %.0f ms | |\n",
           n_requests, make_ms);
  g_print ("| insert %" G_GINT64_FORMAT " requests, one transaction (with audit rows and "
           "search index) | %.0f ms, **%.0f rows/s** | |\n",
           n_requests, insert_ms, (double) n_requests / (insert_ms / 1000.0));
  g_print ("| search as you type, all wijken: median / p99 / max | **%.2f** / %.2f / %.2f ms | "
           "median < 5 ms |\n", search.median, search.p99, search.max);
  g_print ("| search as you type, one wijk (zuid): median / p99 / max | %.2f / %.2f / %.2f ms "
           "| |\n", search_wijk.median, search_wijk.p99, search_wijk.max);
  g_print ("| insert 20 000 initiatives + 20 000 commitments + payments | %.0f ms | |\n",
           fill_ms);
  g_print ("| thermometer of %s (%d commitments), %d runs: median / p99 / max | **%.2f** / "
           "%.2f / %.2f ms | median < 5 ms |\n", THERMOMETER_WIJK, THERMOMETER_COMMITMENTS,
           THERMOMETER_RUNS, thermometer.median, thermometer.p99, thermometer.max);
  g_print ("| ledger of the whole city (%d commitments), %d runs: median / max | %.2f / %.2f ms "
           "| |\n", 2 * THERMOMETER_COMMITMENTS, THERMOMETER_RUNS / 5, ledger.median,
           ledger.max);

  g_clear_object (&store);
  if (own_dir)
    {
      remove_database (path);
      if (g_rmdir (data_dir) != 0)
        g_printerr ("bench-store: could not remove %s: %s\n", data_dir, g_strerror (errno));
    }
  return 0;
}
