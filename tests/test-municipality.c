/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-municipality"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "buurten-core.h"

/* ---- helpers -------------------------------------------------------- */

static char *
base_path (void)
{
  const char *dir = g_getenv ("BUURTEN_DATA_DIR");

  return g_build_filename (dir != NULL ? dir : SOURCE_DATADIR,
                           "municipalities", "hilversum.json", NULL);
}

static JsonNode *
load_base (void)
{
  g_autofree char *path = base_path ();
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  node = json_from_string (contents, &error);
  g_assert_no_error (error);
  return node;
}

/* Follows "budget_tables/0/wijken/2": object members and array indices. */
static JsonNode *
walk (JsonNode   *node,
      const char *path)
{
  g_auto(GStrv) parts = NULL;

  if (path == NULL || *path == '\0')
    return node;

  parts = g_strsplit (path, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (JSON_NODE_HOLDS_OBJECT (node))
        node = json_object_get_member (json_node_get_object (node), parts[i]);
      else if (JSON_NODE_HOLDS_ARRAY (node))
        node = json_array_get_element (json_node_get_array (node),
                                       (guint) g_ascii_strtoull (parts[i], NULL, 10));
      else
        node = NULL;
      g_assert_nonnull (node);
    }

  return node;
}

typedef enum { OP_SET, OP_REMOVE, OP_APPEND } Op;

typedef struct
{
  const char *path;      /* of the value changed; for OP_APPEND the array */
  Op          op;
  const char *value;     /* JSON text, or "@path" for a copy of another node */
  const char *expect;    /* the error message starts with this */
  const char *contains;  /* and contains this, when not NULL */
} Mutation;

static JsonNode *
make_value (JsonNode   *root,
            const char *value)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  /* json_node_copy() shares objects and arrays; a copy that is changed
   * afterwards must be a deep one, so it goes through text. */
  if (value[0] == '@')
    {
      g_autofree char *text = json_to_string (walk (root, value + 1), FALSE);

      node = json_from_string (text, &error);
      g_assert_no_error (error);
      return node;
    }

  node = json_from_string (value, &error);
  g_assert_no_error (error);
  return node;
}

static void
apply_mutation (JsonNode       *root,
                const Mutation *m)
{
  g_autofree char *parent_path = NULL;
  const char *last;
  JsonNode *parent;

  if (m->op == OP_APPEND)
    {
      JsonNode *array = walk (root, m->path);

      g_assert_true (JSON_NODE_HOLDS_ARRAY (array));
      json_array_add_element (json_node_get_array (array), make_value (root, m->value));
      return;
    }

  last = strrchr (m->path, '/');
  parent_path = last != NULL ? g_strndup (m->path, last - m->path) : g_strdup ("");
  last = last != NULL ? last + 1 : m->path;
  parent = walk (root, parent_path);

  if (JSON_NODE_HOLDS_OBJECT (parent))
    {
      JsonObject *object = json_node_get_object (parent);

      if (m->op == OP_REMOVE)
        {
          g_assert_true (json_object_has_member (object, last));
          json_object_remove_member (object, last);
        }
      else
        json_object_set_member (object, last, make_value (root, m->value));
    }
  else
    {
      JsonArray *array = json_node_get_array (parent);
      guint index = (guint) g_ascii_strtoull (last, NULL, 10);

      g_assert_true (JSON_NODE_HOLDS_ARRAY (parent));
      g_assert_cmpuint (index, <, json_array_get_length (array));
      if (m->op == OP_REMOVE)
        json_array_remove_element (array, index);
      else
        {
          /* JsonArray has no "replace": rebuild it. */
          g_autoptr(JsonArray) copy = json_array_new ();

          for (guint i = 0; i < json_array_get_length (array); i++)
            json_array_add_element (copy, i == index
                                            ? make_value (root, m->value)
                                            : json_node_ref (json_array_get_element (array, i)));
          json_node_set_array (parent, copy);
        }
    }
}

static char *
mutated_text (const Mutation *mutations,
              guint           n_mutations)
{
  g_autoptr(JsonNode) root = load_base ();

  for (guint i = 0; i < n_mutations; i++)
    apply_mutation (root, &mutations[i]);

  return json_to_string (root, FALSE);
}

static BuurtenMunicipality *
load_default (void)
{
  g_autoptr(GError) error = NULL;
  BuurtenMunicipality *m = buurten_municipality_new_default (&error);

  g_assert_no_error (error);
  g_assert_nonnull (m);
  return m;
}

/* ---- the Hilversum file --------------------------------------------- */

static void
test_default_file (void)
{
  g_autoptr(BuurtenMunicipality) m = load_default ();
  static const char * const wijk_ids[] = {
    "noordoost", "noordwest", "zuid", "zuidoost", "zuidwest", "hilversumse_meent",
    "centrum", "oost",
  };
  static const struct { const char *wijk; const char *cluster; } clusters[] = {
    { "noordwest", "noord" }, { "noordoost", "noord" },
    { "centrum", "centrum_zuidoost" }, { "zuidoost", "centrum_zuidoost" },
    { "oost", "oost" }, { "hilversumse_meent", "oost" },
    { "zuid", "zuid" }, { "zuidwest", "zuid" },
  };
  GPtrArray *wijken;
  GPtrArray *cluster_list;
  const BuurtenCluster *cluster;

  g_assert_cmpstr (buurten_municipality_get_id (m), ==, "hilversum");
  g_assert_cmpstr (buurten_municipality_get_name (m), ==, "Hilversum");

  wijken = buurten_municipality_get_wijken (m);
  g_assert_cmpuint (wijken->len, ==, G_N_ELEMENTS (wijk_ids));
  for (guint i = 0; i < wijken->len; i++)
    {
      const BuurtenWijk *wijk = g_ptr_array_index (wijken, i);

      g_assert_cmpstr (wijk->id, ==, wijk_ids[i]);
      g_assert_true (buurten_municipality_lookup_wijk (m, wijk_ids[i]) == wijk);
    }
  g_assert_cmpstr (buurten_municipality_lookup_wijk (m, "hilversumse_meent")->name, ==,
                   "Hilversumse Meent");
  g_assert_null (buurten_municipality_lookup_wijk (m, "west"));
  g_assert_null (buurten_municipality_lookup_wijk (m, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (clusters); i++)
    g_assert_cmpstr (buurten_municipality_lookup_wijk (m, clusters[i].wijk)->cluster, ==,
                     clusters[i].cluster);

  cluster_list = buurten_municipality_get_clusters (m);
  g_assert_cmpuint (cluster_list->len, ==, 4);
  cluster = buurten_municipality_lookup_cluster (m, "centrum_zuidoost");
  g_assert_nonnull (cluster);
  g_assert_cmpstr (cluster->name, ==, "Centrum-Zuidoost");
  g_assert_null (buurten_municipality_lookup_cluster (m, "nord"));

  g_assert_cmpstr (buurten_municipality_role_name (m, BUURTEN_ROLE_BUURTCOORDINATOR), ==,
                   "Wijkregisseur");
  g_assert_cmpstr (buurten_municipality_role_name (m, BUURTEN_ROLE_WIJKWETHOUDER), ==,
                   "Wijkwethouder");

  g_assert_cmpuint (buurten_municipality_answer_term (m, BUURTEN_REQUEST_TYPE_VRAAG), ==, 10);
  g_assert_cmpuint (buurten_municipality_decision_term_weeks (m), ==, 13);
  g_assert_cmpuint (buurten_municipality_accounting_term_weeks (m), ==, 13);
  g_assert_cmpuint (buurten_municipality_objection_weeks (m), ==, 6);
  g_assert_cmpstr (buurten_municipality_objection_to (m), ==,
                   "Het college van burgemeester en wethouders van Hilversum");
  g_assert_cmpstr (buurten_municipality_objection_lines (m)[0], ==,
                   "Postbus 9900, 1201 GM Hilversum");
  g_assert_cmpuint (buurten_municipality_answer_term (m, BUURTEN_REQUEST_TYPE_MELDING), ==, 5);
  g_assert_cmpuint (buurten_municipality_answer_term (m, BUURTEN_REQUEST_TYPE_KLACHT), ==, 30);
  g_assert_cmpuint (buurten_municipality_answer_term (m, BUURTEN_REQUEST_TYPE_IDEE), ==, 20);
}

/* Tabel 1 of the Uitvoeringsnotitie, to the cent. */
static void
test_default_budgets (void)
{
  g_autoptr(BuurtenMunicipality) m = load_default ();
  static const struct { const char *wijk; gint64 subsidy; gint64 handgeld; } tabel1[] = {
    { "noordoost", 3625000, 600000 },
    { "noordwest", 2475000, 450000 },
    { "zuid", 5350000, 825000 },
    { "zuidoost", 3050000, 525000 },
    { "zuidwest", 3050000, 525000 },
    { "hilversumse_meent", 2300000, 300000 },
    { "centrum", 2800000, 450000 },
    { "oost", 5350000, 825000 },
  };
  const BuurtenBudgetTable *table = buurten_municipality_get_budget_table (m, 2021);
  gint64 subsidy = 0;
  gint64 handgeld = 0;

  g_assert_nonnull (table);
  g_assert_cmpint (table->valid_from, ==, 2021);
  g_assert_cmpuint (table->wijken->len, ==, G_N_ELEMENTS (tabel1));
  for (guint i = 0; i < G_N_ELEMENTS (tabel1); i++)
    {
      const BuurtenWijkBudget *row = g_ptr_array_index (table->wijken, i);

      g_assert_cmpstr (row->wijk, ==, tabel1[i].wijk);
      g_assert_cmpint (row->subsidy_cents, ==, tabel1[i].subsidy);
      g_assert_cmpint (row->handgeld_cents, ==, tabel1[i].handgeld);
      g_assert_cmpint (buurten_municipality_wijk_budget (m, tabel1[i].wijk, 2021), ==,
                       tabel1[i].subsidy + tabel1[i].handgeld);
      subsidy += row->subsidy_cents;
      handgeld += row->handgeld_cents;
    }
  g_assert_cmpint (subsidy, ==, 28000000);
  g_assert_cmpint (handgeld, ==, 4500000);

  g_assert_cmpint (buurten_municipality_pot_budget (m, "wijkkansen", 2021), ==, 7500000);
  g_assert_cmpint (buurten_municipality_pot_budget (m, "digitaal_platform", 2021), ==, 5000000);
  g_assert_cmpint (buurten_municipality_pot_budget (m, "lotto", 2021), ==, -1);
  g_assert_cmpuint (table->pots->len, ==, 2);
  g_assert_true (((BuurtenPot *) g_ptr_array_index (table->pots, 0))->hard_cap);
  g_assert_false (((BuurtenPot *) g_ptr_array_index (table->pots, 1))->hard_cap);

  g_assert_cmpint (buurten_municipality_total_budget (m, 2021), ==, 45000000);
  g_assert_cmpint (buurten_municipality_wijk_budget (m, "noordoost", 2021), ==, 4225000);
  g_assert_cmpint (buurten_municipality_wijk_budget (m, "west", 2021), ==, -1);
  g_assert_cmpint (buurten_municipality_wijk_budget (m, NULL, 2021), ==, -1);
}

static void
test_years (void)
{
  g_autoptr(BuurtenMunicipality) m = load_default ();

  /* A table stays valid until a later one replaces it. */
  g_assert_cmpint (buurten_municipality_get_budget_table (m, 2026)->valid_from, ==, 2021);
  g_assert_cmpint (buurten_municipality_total_budget (m, 2026), ==, 45000000);
  g_assert_cmpint (buurten_municipality_wijk_budget (m, "centrum", 2026), ==, 3250000);
  g_assert_cmpint (buurten_municipality_get_mandate_table (m, 2026)->valid_from, ==, 2021);

  /* Before the first table there is none. */
  g_assert_null (buurten_municipality_get_budget_table (m, 2020));
  g_assert_null (buurten_municipality_get_mandate_table (m, 2020));
  g_assert_cmpint (buurten_municipality_total_budget (m, 2020), ==, -1);
  g_assert_cmpint (buurten_municipality_wijk_budget (m, "centrum", 2020), ==, -1);
  g_assert_cmpint (buurten_municipality_pot_budget (m, "wijkkansen", 2020), ==, -1);
}

/* A later table, listed before the earlier one in the file, takes over
 * from its own year on. */
static void
test_later_table (void)
{
  const Mutation mutations[] = {
    { "budget_tables", OP_APPEND, "@budget_tables/0" },
    { "budget_tables/1/valid_from", OP_SET, "2027" },
    { "budget_tables/1/wijken/6/subsidy_cents", OP_SET, "3000000" },
    { "budget_tables/0/valid_from", OP_SET, "2027" },
    { "budget_tables/1/valid_from", OP_SET, "2021" },
    { "mandate_tables", OP_APPEND, "@mandate_tables/0" },
    { "mandate_tables/1/valid_from", OP_SET, "2030" },
    { "mandate_tables/1/over_budget_role", OP_SET, "\"wethouder_buurten\"" },
  };
  g_autofree char *text = mutated_text (mutations, G_N_ELEMENTS (mutations));
  g_autoptr(GError) error = NULL;
  g_autoptr(BuurtenMunicipality) m = buurten_municipality_new_from_data (text, -1, &error);

  g_assert_no_error (error);
  /* budget_tables[0] (2027) is the copy with the 2021 amounts ... */
  g_assert_cmpint (buurten_municipality_get_budget_table (m, 2021)->valid_from, ==, 2021);
  g_assert_cmpint (buurten_municipality_get_budget_table (m, 2026)->valid_from, ==, 2021);
  g_assert_cmpint (buurten_municipality_get_budget_table (m, 2027)->valid_from, ==, 2027);
  g_assert_cmpint (buurten_municipality_get_budget_table (m, 2040)->valid_from, ==, 2027);
  /* ... and budget_tables[1] (2021) has centrum at 30,000 + 4,500. */
  g_assert_cmpint (buurten_municipality_wijk_budget (m, "centrum", 2021), ==, 3450000);
  g_assert_cmpint (buurten_municipality_wijk_budget (m, "centrum", 2026), ==, 3450000);
  g_assert_cmpint (buurten_municipality_wijk_budget (m, "centrum", 2027), ==, 3250000);
  g_assert_cmpint (buurten_municipality_total_budget (m, 2027), ==, 45000000);
  g_assert_cmpint (buurten_municipality_total_budget (m, 2021), ==, 45200000);

  g_assert_cmpint (buurten_municipality_get_mandate_table (m, 2029)->over_budget_role, ==,
                   BUURTEN_ROLE_TEAMMANAGER_SAMENLEVING);
  g_assert_cmpint (buurten_municipality_get_mandate_table (m, 2030)->over_budget_role, ==,
                   BUURTEN_ROLE_WETHOUDER_BUURTEN);
}

/* All tables, in year order whatever the file's order, including years
 * far from today (a lookup per year between two bounds would miss them). */
static void
test_all_tables (void)
{
  const Mutation mutations[] = {
    { "budget_tables", OP_APPEND, "@budget_tables/0" },
    { "budget_tables", OP_APPEND, "@budget_tables/0" },
    { "budget_tables/0/valid_from", OP_SET, "9999" },
    { "budget_tables/2/valid_from", OP_SET, "1900" },
    { "mandate_tables", OP_APPEND, "@mandate_tables/0" },
    { "mandate_tables/0/valid_from", OP_SET, "2201" },
    { "mandate_tables/1/valid_from", OP_SET, "1989" },
  };
  static const int budget_years[] = { 1900, 2021, 9999 };
  static const int mandate_years[] = { 1989, 2201 };
  g_autofree char *text = mutated_text (mutations, G_N_ELEMENTS (mutations));
  g_autoptr(GError) error = NULL;
  g_autoptr(BuurtenMunicipality) m = buurten_municipality_new_from_data (text, -1, &error);
  g_autoptr(BuurtenMunicipality) base = load_default ();
  GPtrArray *budget, *mandate;

  g_assert_no_error (error);
  budget = buurten_municipality_get_budget_tables (m);
  g_assert_cmpuint (budget->len, ==, G_N_ELEMENTS (budget_years));
  for (guint i = 0; i < budget->len; i++)
    {
      const BuurtenBudgetTable *table = g_ptr_array_index (budget, i);

      g_assert_cmpint (table->valid_from, ==, budget_years[i]);
      g_assert_true (table == buurten_municipality_get_budget_table (m, budget_years[i]));
    }

  mandate = buurten_municipality_get_mandate_tables (m);
  g_assert_cmpuint (mandate->len, ==, G_N_ELEMENTS (mandate_years));
  for (guint i = 0; i < mandate->len; i++)
    {
      const BuurtenMandateTable *table = g_ptr_array_index (mandate, i);

      g_assert_cmpint (table->valid_from, ==, mandate_years[i]);
      g_assert_true (table == buurten_municipality_get_mandate_table (m, mandate_years[i]));
    }

  /* The Hilversum file: one of each, from 2021. */
  budget = buurten_municipality_get_budget_tables (base);
  mandate = buurten_municipality_get_mandate_tables (base);
  g_assert_cmpuint (budget->len, ==, 1);
  g_assert_cmpuint (mandate->len, ==, 1);
  g_assert_cmpint (((BuurtenBudgetTable *) g_ptr_array_index (budget, 0))->valid_from, ==,
                   2021);
  g_assert_cmpint (((BuurtenMandateTable *) g_ptr_array_index (mandate, 0))->valid_from, ==,
                   2021);

  g_test_expect_message ("buurten-municipality", G_LOG_LEVEL_CRITICAL, "*BUURTEN_IS_MUNICIPALITY*");
  g_assert_null (buurten_municipality_get_budget_tables (NULL));
  g_test_assert_expected_messages ();
  g_test_expect_message ("buurten-municipality", G_LOG_LEVEL_CRITICAL, "*BUURTEN_IS_MUNICIPALITY*");
  g_assert_null (buurten_municipality_get_mandate_tables (NULL));
  g_test_assert_expected_messages ();
}

static void
test_mandate_table (void)
{
  g_autoptr(BuurtenMunicipality) m = load_default ();
  const BuurtenMandateTable *table = buurten_municipality_get_mandate_table (m, 2021);
  const BuurtenMandateBand *band;

  g_assert_nonnull (table);
  g_assert_cmpint (table->over_budget_role, ==, BUURTEN_ROLE_TEAMMANAGER_SAMENLEVING);
  g_assert_cmpuint (table->bands->len, ==, 8);

  band = g_ptr_array_index (table->bands, 0);
  g_assert_cmpint (band->funding, ==, BUURTEN_FUNDING_WIJKBUDGET);
  g_assert_cmpint (band->min_exclusive_cents, ==, 0);
  g_assert_cmpint (band->max_inclusive_cents, ==, 200000);
  g_assert_true (band->allowed);
  g_assert_cmpuint (band->roles->len, ==, 1);
  g_assert_cmpint (g_array_index (band->roles, BuurtenRole, 0), ==,
                   BUURTEN_ROLE_BUURTCOORDINATOR);
  g_assert_cmpstr (band->instrument, ==, "commitment");
  g_assert_null (band->refusal_code);

  band = g_ptr_array_index (table->bands, 3);
  g_assert_cmpint (band->min_exclusive_cents, ==, 2500000);
  g_assert_cmpint (band->max_inclusive_cents, ==, -1);
  g_assert_false (band->allowed);
  g_assert_cmpuint (band->roles->len, ==, 0);
  g_assert_cmpstr (band->refusal_code, ==, "MANDATE_EXCEEDED");
  g_assert_true (g_str_has_prefix (band->way_forward, "Above €25,000"));

  band = g_ptr_array_index (table->bands, 7);
  g_assert_cmpint (band->funding, ==, BUURTEN_FUNDING_INVESTERING);
  g_assert_cmpstr (band->refusal_code, ==, "NOT_IN_APP");
}

static void
test_bytes (void)
{
  g_autoptr(BuurtenMunicipality) m = load_default ();
  g_autofree char *path = base_path ();
  g_autofree char *contents = NULL;
  gsize length;
  GBytes *bytes;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  bytes = buurten_municipality_get_bytes (m);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), contents, length);
}

/* Answer terms and role names are optional; the defaults fill in. */
static void
test_defaults (void)
{
  const Mutation mutations[] = {
    { "answer_terms", OP_SET, "{\"klacht\": 15}" },
    { "roles", OP_SET, "[{\"id\": \"wijkwethouder\", \"name\": \"Wijkwethouder\"}]" },
  };
  g_autofree char *text = mutated_text (mutations, G_N_ELEMENTS (mutations));
  g_autoptr(GError) error = NULL;
  g_autoptr(BuurtenMunicipality) m = buurten_municipality_new_from_data (text, -1, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (buurten_municipality_answer_term (m, BUURTEN_REQUEST_TYPE_KLACHT), ==, 15);
  g_assert_cmpuint (buurten_municipality_answer_term (m, BUURTEN_REQUEST_TYPE_VRAAG), ==, 10);
  g_assert_cmpuint (buurten_municipality_answer_term (m, BUURTEN_REQUEST_TYPE_IDEE), ==, 10);
  g_assert_cmpstr (buurten_municipality_role_name (m, BUURTEN_ROLE_BUURTCOORDINATOR), ==,
                   buurten_role_label (BUURTEN_ROLE_BUURTCOORDINATOR));
  g_assert_cmpstr (buurten_municipality_role_name (m, BUURTEN_ROLE_WIJKWETHOUDER), ==,
                   "Wijkwethouder");
}

static void
test_letterhead (void)
{
  const Mutation mutations[] = {
    { "letterhead", OP_REMOVE, NULL },
  };
  g_autofree char *text = mutated_text (mutations, G_N_ELEMENTS (mutations));
  g_autoptr(GError) error = NULL;
  g_autoptr(BuurtenMunicipality) without = buurten_municipality_new_from_data (text, -1, &error);
  g_autoptr(BuurtenMunicipality) m = load_default ();
  const char * const *lines = buurten_municipality_get_letterhead_lines (m);

  /* Hilversum's documents head with its letterhead: data, not code. */
  g_assert_cmpstr (buurten_municipality_get_letterhead_name (m), ==, "Gemeente Hilversum");
  g_assert_cmpuint (g_strv_length ((char **) lines), ==, 3);
  g_assert_true (g_str_has_prefix (lines[0], "Dudokpark 1"));

  /* Without one, the municipality's name and no lines. */
  g_assert_no_error (error);
  g_assert_cmpstr (buurten_municipality_get_letterhead_name (without), ==, "Hilversum");
  g_assert_cmpuint (g_strv_length ((char **) buurten_municipality_get_letterhead_lines (without)),
                    ==, 0);
}

/* ---- bad files: each names the field at fault ------------------------ */

static const Mutation bad_files[] = {
  { "format", OP_SET, "2", "format: version 2 is not supported" },
  { "format", OP_SET, "\"1\"", "format: expected an integer" },
  { "format", OP_REMOVE, NULL, "format: missing" },
  { "id", OP_REMOVE, NULL, "id: missing" },
  { "id", OP_SET, "\"Hilversum NH\"", "id: “Hilversum NH” is not a valid id" },
  { "name", OP_SET, "\"  \"", "name: must be a text" },
  { "wijk", OP_SET, "[]", "wijk: unknown member" },
  { "letterhead/naam", OP_SET, "\"Gemeente\"", "letterhead.naam: unknown member" },
  { "letterhead/name", OP_REMOVE, NULL, "letterhead.name: missing" },
  { "letterhead/lines/0", OP_SET, "\"\"", "letterhead.lines[0]: must be a text" },
  { "letterhead/lines", OP_SET, "[\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\"]",
    "letterhead.lines: must hold at most 8 lines" },
  { "roles/0/id", OP_SET, "\"burgemeester\"", "roles[0].id: unknown role “burgemeester”" },
  { "roles/1/id", OP_SET, "\"buurtcoordinator\"", "roles[1].id: role “buurtcoordinator”" },
  { "roles/2/name", OP_SET, "3", "roles[2].name: expected a string" },
  { "clusters", OP_SET, "[]", "clusters: must not be empty" },
  { "clusters/3/id", OP_SET, "\"noord\"", "clusters[3].id: cluster “noord” is listed twice" },
  { "wijken", OP_SET, "{}", "wijken: expected an array" },
  { "wijken/0", OP_SET, "\"noordoost\"", "wijken[0]: expected an object" },
  { "wijken/3/cluster", OP_SET, "\"nord\"", "wijken[3].cluster: unknown cluster “nord”" },
  { "wijken/1/id", OP_SET, "\"noordoost\"", "wijken[1].id: wijk “noordoost” is listed twice" },
  { "wijken/2/id", OP_SET, "\"Zuid\"", "wijken[2].id: “Zuid” is not a valid id" },
  { "wijken/4/name", OP_REMOVE, NULL, "wijken[4].name: missing" },
  { "wijken/4/naam", OP_SET, "\"Zuidwest\"", "wijken[4].naam: unknown member" },
  { "answer_terms/vraag", OP_SET, "0", "answer_terms.vraag: must be 1 to 365 working days" },
  { "answer_terms/klacht", OP_SET, "366", "answer_terms.klacht: must be 1 to 365" },
  { "answer_terms/brief", OP_SET, "5", "answer_terms.brief: unknown request type" },
  { "answer_terms/idee", OP_SET, "2.5", "answer_terms.idee: expected an integer" },
  { "decision_term_weeks", OP_SET, "0", "decision_term_weeks: must be 1 to 52 weeks" },
  { "decision_term_weeks", OP_SET, "\"13\"", "decision_term_weeks: expected an integer" },
  { "accounting_term_weeks", OP_SET, "53", "accounting_term_weeks: must be 1 to 52 weeks" },
  { "objection/weeks", OP_SET, "0", "objection.weeks: must be 1 to 52 weeks" },
  { "objection/to", OP_SET, "\"\"", "objection.to:" },
  { "objection/where", OP_SET, "\"x\"", "objection.where: unknown member" },
  { "objection/lines/0", OP_SET, "7", "objection.lines[0]: must be a text" },
  { "budget_tables", OP_SET, "[]", "budget_tables: must not be empty" },
  { "budget_tables/0/valid_from", OP_SET, "21", "budget_tables[0].valid_from: 21 is not" },
  { "budget_tables/0/valid_from", OP_SET, "\"2021\"",
    "budget_tables[0].valid_from: expected an integer" },
  { "budget_tables/0/wijken/2/subsidy_cents", OP_SET, "-1",
    "budget_tables[0].wijken[2].subsidy_cents: must not be negative" },
  { "budget_tables/0/wijken/2/subsidy_cents", OP_SET, "5350000.5",
    "budget_tables[0].wijken[2].subsidy_cents: expected an integer" },
  { "budget_tables/0/wijken/2/subsidy_cents", OP_SET, "\"5350000\"",
    "budget_tables[0].wijken[2].subsidy_cents: expected an integer" },
  { "budget_tables/0/wijken/2/handgeld_cents", OP_SET, "100000000000000",
    "budget_tables[0].wijken[2].handgeld_cents: is larger than" },
  { "budget_tables/0/wijken/7", OP_REMOVE, NULL,
    "budget_tables[0].wijken: no budget for wijk “oost”" },
  { "budget_tables/0/wijken/7/wijk", OP_SET, "\"west\"",
    "budget_tables[0].wijken[7].wijk: unknown wijk “west”" },
  { "budget_tables/0/wijken/7/wijk", OP_SET, "\"noordoost\"",
    "budget_tables[0].wijken[7].wijk: wijk “noordoost” has a budget twice" },
  { "budget_tables/0/wijken/0/handgeld_cent", OP_SET, "600000",
    "budget_tables[0].wijken[0].handgeld_cent: unknown member" },
  { "budget_tables/0/pots/1/id", OP_SET, "\"wijkkansen\"",
    "budget_tables[0].pots[1].id: pot “wijkkansen” is listed twice" },
  { "budget_tables/0/pots/0/hard_cap", OP_SET, "1",
    "budget_tables[0].pots[0].hard_cap: expected true or false" },
  { "budget_tables/0/pots/0/budget_cents", OP_SET, "-7500000",
    "budget_tables[0].pots[0].budget_cents: must not be negative" },
  { "budget_tables", OP_APPEND, "@budget_tables/0",
    "budget_tables[1].valid_from: 2021 is already the year of budget_tables[0]" },
  { "mandate_tables", OP_APPEND, "@mandate_tables/0",
    "mandate_tables[1].valid_from: 2021 is already the year of mandate_tables[0]" },
  { "mandate_tables", OP_REMOVE, NULL, "mandate_tables: missing" },
  { "mandate_tables/0/over_budget_role", OP_SET, "\"teammanager\"",
    "mandate_tables[0].over_budget_role: unknown role “teammanager”" },
  { "mandate_tables/0/bands/0/roles/0", OP_SET, "\"burgemeester\"",
    "mandate_tables[0].bands[0].roles[0]: unknown role “burgemeester”" },
  { "mandate_tables/0/bands/1/roles/1", OP_SET, "\"buurtcoordinator\"",
    "mandate_tables[0].bands[1].roles[1]: role “buurtcoordinator” is listed twice" },
  { "mandate_tables/0/bands/1/roles/1", OP_SET, "7",
    "mandate_tables[0].bands[1].roles[1]: expected a string" },
  { "mandate_tables/0/bands/0/roles", OP_SET, "[]",
    "mandate_tables[0].bands[0].roles: must not be empty" },
  { "mandate_tables/0/bands/3/roles", OP_SET, "[\"wijkwethouder\"]",
    "mandate_tables[0].bands[3].roles: a band that refuses" },
  { "mandate_tables/0/bands/0/funding", OP_SET, "\"lening\"",
    "mandate_tables[0].bands[0].funding: unknown funding “lening”" },
  { "mandate_tables/0/bands/1/min_exclusive_cents", OP_SET, "150000",
    "mandate_tables[0].bands[1]: overlaps bands[0] for funding wijkbudget" },
  { "mandate_tables/0/bands/1/min_exclusive_cents", OP_SET, "200001",
    "mandate_tables[0].bands[1]: leaves a gap after bands[0] for funding wijkbudget" },
  { "mandate_tables/0/bands/5/min_exclusive_cents", OP_SET, "250000",
    "mandate_tables[0].bands[5]: leaves a gap after bands[4] for funding handgeld: no band "
    "covers" },
  { "mandate_tables/0/bands/0/min_exclusive_cents", OP_SET, "100",
    "mandate_tables[0].bands[0]: the first band for funding wijkbudget must start at zero" },
  { "mandate_tables/0/bands/0/min_exclusive_cents", OP_SET, "-2",
    "mandate_tables[0].bands[0].min_exclusive_cents: must be at least -1" },
  { "mandate_tables/0/bands/0/max_inclusive_cents", OP_SET, "0",
    "mandate_tables[0].bands[0].max_inclusive_cents: must be at least 1" },
  { "mandate_tables/0/bands/1/max_inclusive_cents", OP_SET, "200000",
    "mandate_tables[0].bands[1]: max_inclusive_cents must be larger" },
  { "mandate_tables/0/bands/3/max_inclusive_cents", OP_SET, "99999999",
    "mandate_tables[0].bands[3]: the last band for funding wijkbudget must have no upper" },
  { "mandate_tables/0/bands/3/max_inclusive_cents", OP_REMOVE, NULL,
    "mandate_tables[0].bands[3].max_inclusive_cents: missing" },
  { "mandate_tables/0/bands/2/max_inclusive_cents", OP_SET, "null",
    "mandate_tables[0].bands[3]: follows bands[2], which has no upper bound" },
  { "mandate_tables/0/bands/3/way_forward", OP_REMOVE, NULL,
    "mandate_tables[0].bands[3].way_forward: missing" },
  { "mandate_tables/0/bands/3/refusal_code", OP_SET, "\"NOPE\"",
    "mandate_tables[0].bands[3].refusal_code: unknown refusal code “NOPE”" },
  { "mandate_tables/0/bands/0/refusal_code", OP_SET, "\"MANDATE_EXCEEDED\"",
    "mandate_tables[0].bands[0].refusal_code: only a band that refuses" },
  { "mandate_tables/0/bands/0/instrument", OP_REMOVE, NULL,
    "mandate_tables[0].bands[0].instrument: missing" },
  { "mandate_tables/0/bands/0/allowed", OP_SET, "\"yes\"",
    "mandate_tables[0].bands[0].allowed: expected true or false" },
  { "mandate_tables/0/bands/7", OP_REMOVE, NULL,
    "mandate_tables[0].bands: no band for funding investering" },
  { "mandate_tables/0/bands/6/funding", OP_SET, "\"handgeld\"",
    "mandate_tables[0].bands[6]: follows bands[5], which has no upper bound for funding "
    "handgeld" },
  { "mandate_tables/0/bands/2/maximum", OP_SET, "3",
    "mandate_tables[0].bands[2].maximum: unknown member" },
};

static void
test_bad_file (gconstpointer data)
{
  const Mutation *m = data;
  g_autofree char *text = mutated_text (m, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(BuurtenMunicipality) municipality = NULL;

  municipality = buurten_municipality_new_from_data (text, -1, &error);
  g_assert_null (municipality);
  g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID);
  g_test_message ("%s", error->message);
  if (!g_str_has_prefix (error->message, m->expect))
    g_error ("expected “%s…”, got “%s”", m->expect, error->message);
}

static void
test_malformed (void)
{
  static const char * const inputs[] = {
    "",
    "{",
    "{\"format\": 1,}",
    "{\"format\": 1, \"format\": 1}",
    "{'format': 1}",
    "\xff\xfe",
  };
  g_autoptr(GString) deep = g_string_new ("{\"format\": 1, \"x\": ");

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BuurtenMunicipality) m = buurten_municipality_new_from_data (inputs[i], -1,
                                                                            &error);

      g_assert_null (m);
      g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_PARSE);
    }

  /* Nesting far beyond the format's is refused before json-glib sees it. */
  for (guint i = 0; i < 100; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 100; i++)
    g_string_append_c (deep, ']');
  g_string_append_c (deep, '}');
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(BuurtenMunicipality) m = buurten_municipality_new_from_data (deep->str, -1,
                                                                          &error);

    g_assert_null (m);
    g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_PARSE);
  }

  /* Valid JSON, but not an object. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(BuurtenMunicipality) m = buurten_municipality_new_from_data ("[1, 2]", -1,
                                                                          &error);

    g_assert_null (m);
    g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID);
  }
}

static void
test_files (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BuurtenMunicipality) m = NULL;
  g_autofree char *dir = g_dir_make_tmp ("buurten-test-XXXXXX", &error);
  g_autofree char *sub = NULL;
  g_autofree char *path = NULL;
  const Mutation rename = { "name", OP_SET, "\"Elders\"" };
  const Mutation broken = { "wijken/3/cluster", OP_SET, "\"nord\"" };
  g_autofree char *renamed = mutated_text (&rename, 1);
  g_autofree char *bad = mutated_text (&broken, 1);
  g_autofree char *saved_env = g_strdup (g_getenv ("BUURTEN_DATA_DIR"));

  g_assert_no_error (error);
  sub = g_build_filename (dir, "municipalities", NULL);
  path = g_build_filename (sub, "hilversum.json", NULL);
  g_assert_cmpint (g_mkdir (sub, 0700), ==, 0);

  /* A file that is not there. */
  m = buurten_municipality_new_from_file (path, &error);
  g_assert_null (m);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_clear_error (&error);

  /* $BUURTEN_DATA_DIR without the file: the next place is used. */
  g_setenv ("BUURTEN_DATA_DIR", dir, TRUE);
  m = buurten_municipality_new_default (&error);
  g_assert_no_error (error);
  g_assert_cmpstr (buurten_municipality_get_name (m), ==, "Hilversum");
  g_clear_object (&m);

  /* $BUURTEN_DATA_DIR with the file: that one wins. */
  g_assert_true (g_file_set_contents (path, renamed, -1, NULL));
  m = buurten_municipality_new_default (&error);
  g_assert_no_error (error);
  g_assert_cmpstr (buurten_municipality_get_name (m), ==, "Elders");
  g_clear_object (&m);

  /* A broken file is reported with its path, not replaced by another. */
  g_assert_true (g_file_set_contents (path, bad, -1, NULL));
  m = buurten_municipality_new_default (&error);
  g_assert_null (m);
  g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, path));
  g_assert_nonnull (strstr (error->message, "wijken[3].cluster: unknown cluster"));
  g_clear_error (&error);

  if (saved_env != NULL)
    g_setenv ("BUURTEN_DATA_DIR", saved_env, TRUE);
  else
    g_unsetenv ("BUURTEN_DATA_DIR");

  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (sub), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_criticals (void)
{
  g_autoptr(BuurtenMunicipality) m = load_default ();

  g_test_expect_message ("buurten-municipality", G_LOG_LEVEL_CRITICAL, "*BUURTEN_IS_MUNICIPALITY*");
  g_assert_null (buurten_municipality_get_id (NULL));
  g_test_assert_expected_messages ();

  g_test_expect_message ("buurten-municipality", G_LOG_LEVEL_CRITICAL, "*data != NULL*");
  g_assert_null (buurten_municipality_new_from_data (NULL, 0, NULL));
  g_test_assert_expected_messages ();

  g_test_expect_message ("buurten-municipality", G_LOG_LEVEL_CRITICAL, "*role*");
  g_assert_null (buurten_municipality_role_name (m, BUURTEN_N_ROLES));
  g_test_assert_expected_messages ();

  g_test_expect_message ("buurten-municipality", G_LOG_LEVEL_CRITICAL, "*type*");
  g_assert_cmpuint (buurten_municipality_answer_term (m, 17), ==, 10);
  g_test_assert_expected_messages ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/municipality/default/file", test_default_file);
  g_test_add_func ("/municipality/default/budgets", test_default_budgets);
  g_test_add_func ("/municipality/default/mandate-table", test_mandate_table);
  g_test_add_func ("/municipality/default/bytes", test_bytes);
  g_test_add_func ("/municipality/years", test_years);
  g_test_add_func ("/municipality/later-table", test_later_table);
  g_test_add_func ("/municipality/all-tables", test_all_tables);
  g_test_add_func ("/municipality/defaults", test_defaults);
  g_test_add_func ("/municipality/letterhead", test_letterhead);
  g_test_add_func ("/municipality/malformed", test_malformed);
  g_test_add_func ("/municipality/files", test_files);
  g_test_add_func ("/municipality/criticals", test_criticals);

  for (guint i = 0; i < G_N_ELEMENTS (bad_files); i++)
    {
      g_autofree char *name = g_strdup_printf ("/municipality/bad/%02u", i);

      g_test_add_data_func (name, &bad_files[i], test_bad_file);
    }

  return g_test_run ();
}
