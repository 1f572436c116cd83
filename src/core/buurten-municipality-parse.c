/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-municipality"

#include "config.h"

#include "buurten-municipality-private.h"

#include <stdarg.h>
#include <string.h>

#include <glib/gi18n.h>

#include "buurten-error.h"
#include "buurten-json.h"
#include "buurten-money.h"

/* The file is small (a few KiB); anything far larger is not a
 * municipality file and is refused before parsing. */
#define MAX_FILE_SIZE (4 * 1024 * 1024)
/* The deepest path in the format is
 * mandate_tables[].bands[].roles[]: six levels. */
#define MAX_DEPTH 16
#define MAX_ID_LEN 64
#define MAX_NAME_LEN 200
#define MAX_TEXT_LEN 2000
#define MIN_YEAR 1900
#define MAX_YEAR 9999
#define MAX_ANSWER_TERM 365
#define MAX_LETTERHEAD_LINES 8
#define FILE_NAME "hilversum.json"

/* The refusal codes a band may carry. NOT_IN_APP marks matters the app
 * does not decide at all (investment projects go to the begroting); for
 * the error domain it is a MANDATE_EXCEEDED like the other. */
static const char * const refusal_codes[] = { "MANDATE_EXCEEDED", "NOT_IN_APP", NULL };

/* ---- plain data ------------------------------------------------------ */

static void
wijk_budget_free (gpointer data)
{
  BuurtenWijkBudget *budget = data;

  g_free (budget->wijk);
  g_free (budget);
}

static void
pot_free (gpointer data)
{
  BuurtenPot *pot = data;

  g_free (pot->id);
  g_free (pot->name);
  g_free (pot);
}
static void
band_free (gpointer data)
{
  BuurtenMandateBand *band = data;

  g_clear_pointer (&band->roles, g_array_unref);
  g_free (band->instrument);
  g_free (band->refusal_code);
  g_free (band->way_forward);
  g_free (band);
}
/* ---- validation helpers ------------------------------------------- */

/* Every message starts with the path of the offending value, so that
 * whoever edits the file can find it: "wijken[3].cluster: ...". */
G_GNUC_PRINTF (3, 4)
static void
fail (GError     **error,
      const char  *path,
      const char  *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (path != NULL && *path != '\0')
    g_set_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID,
                 "%s: %s", path, message);
  else
    g_set_error_literal (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID, message);
}

static char *
member_path (const char *where,
             const char *member)
{
  if (where == NULL || *where == '\0')
    return g_strdup (member);
  return g_strdup_printf ("%s.%s", where, member);
}

static char *
element_path (const char *where,
              guint       index)
{
  return g_strdup_printf ("%s[%u]", where, index);
}

/* A misspelt member ("handgeld_cent") would otherwise be silently
 * ignored and its value taken as absent, so unknown members are errors. */
static gboolean
check_members (JsonObject         *object,
               const char         *where,
               const char * const *allowed,
               GError            **error)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (const GList *l = members; l != NULL; l = l->next)
    {
      if (!g_strv_contains (allowed, l->data))
        {
          g_autofree char *path = member_path (where, l->data);

          fail (error, path, _("unknown member"));
          return FALSE;
        }
    }

  return TRUE;
}

static JsonObject *
element_object (JsonArray   *array,
                guint        index,
                const char  *path,
                GError     **error)
{
  JsonNode *node = json_array_get_element (array, index);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      fail (error, path, _("expected an object"));
      return NULL;
    }

  return json_node_get_object (node);
}

static gboolean
is_valid_id (const char *id)
{
  gsize len = strlen (id);

  if (len == 0 || len > MAX_ID_LEN || !g_ascii_islower (id[0]))
    return FALSE;

  for (gsize i = 0; i < len; i++)
    if (!g_ascii_islower (id[i]) && !g_ascii_isdigit (id[i]) && id[i] != '_')
      return FALSE;

  return TRUE;
}

/* Ids end up in the server API, URLs and SQL parameters, so they are
 * restricted to a safe alphabet. */
static gboolean
get_id (JsonObject  *object,
        const char  *where,
        const char  *member,
        const char **out,
        GError     **error)
{
  if (!buurten_json_get_string (object, where, member, TRUE, out, error))
    return FALSE;

  if (!is_valid_id (*out))
    {
      g_autofree char *path = member_path (where, member);

      fail (error, path,
            _("“%s” is not a valid id: use 1 to %d lowercase letters, digits and "
              "underscores, starting with a letter"), *out, MAX_ID_LEN);
      return FALSE;
    }

  return TRUE;
}

static gboolean
get_text (JsonObject  *object,
          const char  *where,
          const char  *member,
          gsize        max_len,
          const char **out,
          GError     **error)
{
  g_autofree char *stripped = NULL;

  if (!buurten_json_get_string (object, where, member, TRUE, out, error))
    return FALSE;

  stripped = g_strstrip (g_strdup (*out));
  if (*stripped == '\0' || strlen (*out) > max_len)
    {
      g_autofree char *path = member_path (where, member);

      fail (error, path, _("must be a text of 1 to %u bytes"), (guint) max_len);
      return FALSE;
    }

  return TRUE;
}

static gboolean
get_amount (JsonObject  *object,
            const char  *where,
            const char  *member,
            gint64       min,
            gint64      *out,
            GError     **error)
{
  if (!buurten_json_get_int (object, where, member, TRUE, out, error))
    return FALSE;

  if (*out < min)
    {
      g_autofree char *path = member_path (where, member);

      if (min == 0)
        fail (error, path, _("must not be negative"));
      else
        fail (error, path, _("must be at least %d"), (int) min);
      return FALSE;
    }

  if (*out > BUURTEN_MONEY_MAX_CENTS)
    {
      g_autofree char *path = member_path (where, member);

      fail (error, path, _("is larger than the largest amount Buurten handles"));
      return FALSE;
    }

  return TRUE;
}

static gboolean
get_year (JsonObject  *object,
          const char  *where,
          int         *out,
          GError     **error)
{
  gint64 year;

  if (!buurten_json_get_int (object, where, "valid_from", TRUE, &year, error))
    return FALSE;

  if (year < MIN_YEAR || year > MAX_YEAR)
    {
      g_autofree char *path = member_path (where, "valid_from");
      g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, year);

      fail (error, path, _("%s is not a plausible year"), text);
      return FALSE;
    }

  *out = (int) year;
  return TRUE;
}

/* An array member that must be there and hold at least one element. */
static gboolean
get_nonempty_array (JsonObject  *object,
                    const char  *where,
                    const char  *member,
                    JsonArray  **out,
                    GError     **error)
{
  if (!buurten_json_get_array (object, where, member, TRUE, out, error))
    return FALSE;

  if (json_array_get_length (*out) == 0)
    {
      g_autofree char *path = member_path (where, member);

      fail (error, path, _("must not be empty"));
      return FALSE;
    }

  return TRUE;
}

static char *
format_money (gint64 cents)
{
  return buurten_money_format (cents);
}

/* ---- loading -------------------------------------------------------- */

static gboolean
load_roles (BuurtenMunicipality  *self,
            JsonObject           *root,
            GError              **error)
{
  static const char * const members[] = { "id", "name", NULL };
  JsonArray *roles;

  if (!buurten_json_get_array (root, NULL, "roles", FALSE, &roles, error))
    return FALSE;
  if (roles == NULL)
    return TRUE;

  for (guint i = 0; i < json_array_get_length (roles); i++)
    {
      g_autofree char *path = element_path ("roles", i);
      g_autofree char *id_path = NULL;
      JsonObject *object;
      const char *id;
      const char *name;
      int role;

      if (!(object = element_object (roles, i, path, error)) ||
          !check_members (object, path, members, error) ||
          !buurten_json_get_string (object, path, "id", TRUE, &id, error) ||
          !get_text (object, path, "name", MAX_NAME_LEN, &name, error))
        return FALSE;

      id_path = member_path (path, "id");
      role = buurten_enum_from_id (buurten_role_ids, id);
      if (role < 0 || role >= BUURTEN_N_ROLES)
        {
          fail (error, id_path, _("unknown role “%s”"), id);
          return FALSE;
        }
      if (self->role_names[role] != NULL)
        {
          fail (error, id_path, _("role “%s” is listed twice"), id);
          return FALSE;
        }

      self->role_names[role] = g_strdup (name);
    }

  return TRUE;
}

static gboolean
load_clusters (BuurtenMunicipality  *self,
               JsonObject           *root,
               GError              **error)
{
  static const char * const members[] = { "id", "name", NULL };
  JsonArray *clusters;

  if (!get_nonempty_array (root, NULL, "clusters", &clusters, error))
    return FALSE;

  for (guint i = 0; i < json_array_get_length (clusters); i++)
    {
      g_autofree char *path = element_path ("clusters", i);
      BuurtenCluster *cluster;
      JsonObject *object;
      const char *id;
      const char *name;

      if (!(object = element_object (clusters, i, path, error)) ||
          !check_members (object, path, members, error) ||
          !get_id (object, path, "id", &id, error) ||
          !get_text (object, path, "name", MAX_NAME_LEN, &name, error))
        return FALSE;

      if (g_hash_table_contains (self->cluster_index, id))
        {
          g_autofree char *id_path = member_path (path, "id");

          fail (error, id_path, _("cluster “%s” is listed twice"), id);
          return FALSE;
        }

      cluster = g_new0 (BuurtenCluster, 1);
      cluster->id = g_strdup (id);
      cluster->name = g_strdup (name);
      g_ptr_array_add (self->clusters, cluster);
      g_hash_table_insert (self->cluster_index, cluster->id, cluster);
    }

  return TRUE;
}

static gboolean
load_wijken (BuurtenMunicipality  *self,
             JsonObject           *root,
             GError              **error)
{
  static const char * const members[] = { "id", "name", "cluster", NULL };
  JsonArray *wijken;

  if (!get_nonempty_array (root, NULL, "wijken", &wijken, error))
    return FALSE;

  for (guint i = 0; i < json_array_get_length (wijken); i++)
    {
      g_autofree char *path = element_path ("wijken", i);
      BuurtenWijk *wijk;
      JsonObject *object;
      const char *id;
      const char *name;
      const char *cluster;

      if (!(object = element_object (wijken, i, path, error)) ||
          !check_members (object, path, members, error) ||
          !get_id (object, path, "id", &id, error) ||
          !get_text (object, path, "name", MAX_NAME_LEN, &name, error) ||
          !buurten_json_get_string (object, path, "cluster", TRUE, &cluster, error))
        return FALSE;

      if (g_hash_table_contains (self->wijk_index, id))
        {
          g_autofree char *id_path = member_path (path, "id");

          fail (error, id_path, _("wijk “%s” is listed twice"), id);
          return FALSE;
        }

      if (!g_hash_table_contains (self->cluster_index, cluster))
        {
          g_autofree char *cluster_path = member_path (path, "cluster");

          fail (error, cluster_path, _("unknown cluster “%s”"), cluster);
          return FALSE;
        }

      wijk = g_new0 (BuurtenWijk, 1);
      wijk->id = g_strdup (id);
      wijk->name = g_strdup (name);
      wijk->cluster = g_strdup (cluster);
      g_ptr_array_add (self->wijken, wijk);
      g_hash_table_insert (self->wijk_index, wijk->id, wijk);
    }

  return TRUE;
}

static gboolean
load_answer_terms (BuurtenMunicipality  *self,
                   JsonObject           *root,
                   GError              **error)
{
  g_autoptr(GList) members = NULL;
  JsonObject *terms;

  for (guint i = 0; i < N_REQUEST_TYPES; i++)
    self->answer_terms[i] = DEFAULT_ANSWER_TERM;

  if (!buurten_json_get_object (root, NULL, "answer_terms", FALSE, &terms, error))
    return FALSE;
  if (terms == NULL)
    return TRUE;

  members = json_object_get_members (terms);
  for (const GList *l = members; l != NULL; l = l->next)
    {
      const char *member = l->data;
      g_autofree char *path = member_path ("answer_terms", member);
      int type = buurten_enum_from_id (buurten_request_type_ids, member);
      gint64 days;

      if (type < 0 || type >= (int) N_REQUEST_TYPES)
        {
          fail (error, path, _("unknown request type"));
          return FALSE;
        }

      if (!buurten_json_get_int (terms, "answer_terms", member, TRUE, &days, error))
        return FALSE;

      if (days < 1 || days > MAX_ANSWER_TERM)
        {
          fail (error, path, _("must be 1 to %d working days"), MAX_ANSWER_TERM);
          return FALSE;
        }

      self->answer_terms[type] = (guint) days;
    }

  return TRUE;
}

/* A list of at most MAX_LETTERHEAD_LINES texts (a letterhead's or the
 * objection address's lines); absent: empty. */
static gboolean
load_lines (JsonObject   *object,
            const char   *where,
            char       ***out,
            GError      **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *lines_path = member_path (where, "lines");
  JsonArray *lines = NULL;

  if (!buurten_json_get_array (object, where, "lines", FALSE, &lines, error))
    return FALSE;

  if (lines != NULL && json_array_get_length (lines) > MAX_LETTERHEAD_LINES)
    {
      fail (error, lines_path, _("must hold at most %d lines"), MAX_LETTERHEAD_LINES);
      return FALSE;
    }
  for (guint i = 0; lines != NULL && i < json_array_get_length (lines); i++)
    {
      g_autofree char *path = element_path (lines_path, i);
      JsonNode *node = json_array_get_element (lines, i);
      const char *line = JSON_NODE_HOLDS_VALUE (node) &&
                         json_node_get_value_type (node) == G_TYPE_STRING
                         ? json_node_get_string (node) : NULL;

      if (line == NULL || *line == '\0' || strlen (line) > MAX_NAME_LEN)
        {
          fail (error, path, _("must be a text of 1 to %u bytes"), (guint) MAX_NAME_LEN);
          return FALSE;
        }
      g_strv_builder_add (builder, line);
    }

  *out = g_strv_builder_end (builder);
  return TRUE;
}

/* The sender of the municipality's documents: optional, so that a file
 * without one still loads (documents then head with the name). */
static gboolean
load_letterhead (BuurtenMunicipality  *self,
                 JsonObject           *root,
                 GError              **error)
{
  static const char * const members[] = { "name", "lines", NULL };
  JsonObject *letterhead;
  const char *name;

  if (!buurten_json_get_object (root, NULL, "letterhead", FALSE, &letterhead, error))
    return FALSE;
  if (letterhead == NULL)
    {
      self->letterhead_lines = g_new0 (char *, 1);
      return TRUE;
    }

  if (!check_members (letterhead, "letterhead", members, error) ||
      !get_text (letterhead, "letterhead", "name", MAX_NAME_LEN, &name, error) ||
      !load_lines (letterhead, "letterhead", &self->letterhead_lines, error))
    return FALSE;

  self->letterhead_name = g_strdup (name);
  return TRUE;
}

/* Where and within how many weeks an addressee objects to a beschikking
 * (bezwaar): optional; without it the law's six weeks and the letterhead's
 * address. */
static gboolean
load_objection (BuurtenMunicipality  *self,
                JsonObject           *root,
                GError              **error)
{
  static const char * const members[] = { "weeks", "to", "lines", NULL };
  JsonObject *objection;
  const char *to;
  gint64 weeks = 0;

  self->objection_weeks = DEFAULT_OBJECTION_WEEKS;
  if (!buurten_json_get_object (root, NULL, "objection", FALSE, &objection, error))
    return FALSE;
  if (objection == NULL)
    return TRUE;

  if (!check_members (objection, "objection", members, error) ||
      !buurten_json_get_int (objection, "objection", "weeks", TRUE, &weeks, error) ||
      !get_text (objection, "objection", "to", MAX_NAME_LEN, &to, error))
    return FALSE;
  if (weeks < 1 || weeks > 52)
    {
      fail (error, "objection.weeks", _("must be 1 to 52 weeks"));
      return FALSE;
    }
  if (!load_lines (objection, "objection", &self->objection_lines, error))
    return FALSE;

  self->objection_weeks = (guint) weeks;
  self->objection_to = g_strdup (to);
  return TRUE;
}

static gboolean
load_budget_wijken (BuurtenMunicipality  *self,
                    BuurtenBudgetTable   *table,
                    JsonObject           *object,
                    const char           *where,
                    GError              **error)
{
  static const char * const members[] = { "wijk", "subsidy_cents", "handgeld_cents", NULL };
  g_autoptr(GHashTable) by_wijk = NULL;
  g_autofree char *array_path = member_path (where, "wijken");
  JsonArray *wijken;

  if (!get_nonempty_array (object, where, "wijken", &wijken, error))
    return FALSE;

  by_wijk = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, wijk_budget_free);

  for (guint i = 0; i < json_array_get_length (wijken); i++)
    {
      g_autofree char *path = element_path (array_path, i);
      g_autofree char *wijk_path = member_path (path, "wijk");
      BuurtenWijkBudget *budget;
      JsonObject *entry;
      const char *wijk;
      gint64 subsidy;
      gint64 handgeld;

      if (!(entry = element_object (wijken, i, path, error)) ||
          !check_members (entry, path, members, error) ||
          !buurten_json_get_string (entry, path, "wijk", TRUE, &wijk, error))
        return FALSE;

      if (!g_hash_table_contains (self->wijk_index, wijk))
        {
          fail (error, wijk_path, _("unknown wijk “%s”"), wijk);
          return FALSE;
        }
      if (g_hash_table_contains (by_wijk, wijk))
        {
          fail (error, wijk_path, _("wijk “%s” has a budget twice in this table"), wijk);
          return FALSE;
        }

      if (!get_amount (entry, path, "subsidy_cents", 0, &subsidy, error) ||
          !get_amount (entry, path, "handgeld_cents", 0, &handgeld, error))
        return FALSE;

      budget = g_new0 (BuurtenWijkBudget, 1);
      budget->wijk = g_strdup (wijk);
      budget->subsidy_cents = subsidy;
      budget->handgeld_cents = handgeld;
      g_hash_table_insert (by_wijk, budget->wijk, budget);
    }

  /* Stored in the order of the wijken, so that callers can walk the
   * municipality's wijken and a table's budgets side by side. */
  for (guint i = 0; i < self->wijken->len; i++)
    {
      const BuurtenWijk *wijk = g_ptr_array_index (self->wijken, i);
      gpointer key;
      gpointer value;

      if (!g_hash_table_steal_extended (by_wijk, wijk->id, &key, &value))
        {
          fail (error, array_path, _("no budget for wijk “%s”"), wijk->id);
          return FALSE;
        }
      g_ptr_array_add (table->wijken, value);
    }

  return TRUE;
}

static gboolean
load_pots (BuurtenBudgetTable  *table,
           JsonObject          *object,
           const char          *where,
           GError             **error)
{
  static const char * const members[] = { "id", "name", "budget_cents", "hard_cap", NULL };
  g_autofree char *array_path = member_path (where, "pots");
  JsonArray *pots;

  if (!buurten_json_get_array (object, where, "pots", FALSE, &pots, error))
    return FALSE;
  if (pots == NULL)
    return TRUE;

  for (guint i = 0; i < json_array_get_length (pots); i++)
    {
      g_autofree char *path = element_path (array_path, i);
      BuurtenPot *pot;
      JsonObject *entry;
      const char *id;
      const char *name;
      gint64 budget;
      gboolean hard_cap;

      if (!(entry = element_object (pots, i, path, error)) ||
          !check_members (entry, path, members, error) ||
          !get_id (entry, path, "id", &id, error) ||
          !get_text (entry, path, "name", MAX_NAME_LEN, &name, error) ||
          !get_amount (entry, path, "budget_cents", 0, &budget, error) ||
          !buurten_json_get_bool (entry, path, "hard_cap", TRUE, &hard_cap, error))
        return FALSE;

      for (guint j = 0; j < table->pots->len; j++)
        {
          const BuurtenPot *other = g_ptr_array_index (table->pots, j);

          if (g_str_equal (other->id, id))
            {
              g_autofree char *id_path = member_path (path, "id");

              fail (error, id_path, _("pot “%s” is listed twice"), id);
              return FALSE;
            }
        }

      pot = g_new0 (BuurtenPot, 1);
      pot->id = g_strdup (id);
      pot->name = g_strdup (name);
      pot->budget_cents = budget;
      pot->hard_cap = hard_cap;
      g_ptr_array_add (table->pots, pot);
    }

  return TRUE;
}

static BuurtenBudgetTable *
load_budget_table (BuurtenMunicipality  *self,
                   JsonObject           *object,
                   const char           *where,
                   GError              **error)
{
  static const char * const members[] = { "valid_from", "wijken", "pots", NULL };
  g_autoptr(GPtrArray) guard = g_ptr_array_new_with_free_func (buurten_municipality_free_budget_table);
  BuurtenBudgetTable *table;
  gint64 total;

  table = g_new0 (BuurtenBudgetTable, 1);
  table->wijken = g_ptr_array_new_with_free_func (wijk_budget_free);
  table->pots = g_ptr_array_new_with_free_func (pot_free);
  g_ptr_array_add (guard, table);

  if (!check_members (object, where, members, error) ||
      !get_year (object, where, &table->valid_from, error) ||
      !load_budget_wijken (self, table, object, where, error) ||
      !load_pots (table, object, where, error))
    return NULL;

  if (!buurten_municipality_table_total (table, &total))
    {
      fail (error, where, _("the total budget is larger than the largest amount Buurten handles"));
      return NULL;
    }

  return g_ptr_array_steal_index (guard, 0);
}

static gboolean
get_role (JsonNode     *node,
          const char   *path,
          BuurtenRole  *out,
          GError      **error)
{
  const char *id;
  int role;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      fail (error, path, _("expected a string"));
      return FALSE;
    }

  id = json_node_get_string (node);
  role = buurten_enum_from_id (buurten_role_ids, id);
  if (role < 0 || role >= BUURTEN_N_ROLES)
    {
      fail (error, path, _("unknown role “%s”"), id);
      return FALSE;
    }

  *out = role;
  return TRUE;
}

static gboolean
load_band_roles (BuurtenMandateBand  *band,
                 JsonObject          *object,
                 const char          *where,
                 GError             **error)
{
  g_autofree char *array_path = member_path (where, "roles");
  JsonArray *roles;

  if (!band->allowed)
    {
      if (!buurten_json_get_array (object, where, "roles", FALSE, &roles, error))
        return FALSE;
      if (roles != NULL && json_array_get_length (roles) > 0)
        {
          fail (error, array_path, _("a band that refuses needs no signatures"));
          return FALSE;
        }
      return TRUE;
    }

  if (!get_nonempty_array (object, where, "roles", &roles, error))
    return FALSE;

  for (guint i = 0; i < json_array_get_length (roles); i++)
    {
      g_autofree char *path = element_path (array_path, i);
      BuurtenRole role;

      if (!get_role (json_array_get_element (roles, i), path, &role, error))
        return FALSE;

      for (guint j = 0; j < band->roles->len; j++)
        {
          if (g_array_index (band->roles, BuurtenRole, j) == role)
            {
              fail (error, path, _("role “%s” is listed twice; the same person never signs "
                                   "twice"), buurten_role_ids[role]);
              return FALSE;
            }
        }

      g_array_append_val (band->roles, role);
    }

  return TRUE;
}

/* A member that is present but must not be. */
static gboolean
refuse_member (JsonObject  *object,
               const char  *where,
               const char  *member,
               const char  *why,
               GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      g_autofree char *path = member_path (where, member);

      fail (error, path, "%s", why);
      return FALSE;
    }

  return TRUE;
}

static BuurtenMandateBand *
load_band (JsonObject  *object,
           const char  *where,
           GError     **error)
{
  static const char * const members[] = {
    "funding", "min_exclusive_cents", "max_inclusive_cents", "allowed", "roles",
    "instrument", "refusal_code", "way_forward", NULL
  };
  g_autoptr(GPtrArray) guard = g_ptr_array_new_with_free_func (band_free);
  BuurtenMandateBand *band;
  const char *funding;
  const char *text;
  int value;

  band = g_new0 (BuurtenMandateBand, 1);
  band->roles = g_array_new (FALSE, FALSE, sizeof (BuurtenRole));
  g_ptr_array_add (guard, band);

  if (!check_members (object, where, members, error) ||
      !buurten_json_get_string (object, where, "funding", TRUE, &funding, error))
    return NULL;

  value = buurten_enum_from_id (buurten_funding_ids, funding);
  if (value < 0 || value >= N_FUNDINGS)
    {
      g_autofree char *path = member_path (where, "funding");

      fail (error, path, _("unknown funding “%s”"), funding);
      return NULL;
    }
  band->funding = value;

  if (!get_amount (object, where, "min_exclusive_cents", -1, &band->min_exclusive_cents, error))
    return NULL;

  /* null is the explicit "no upper bound"; a member left out is far more
   * likely a mistake than a wish for an unbounded band. */
  if (!json_object_has_member (object, "max_inclusive_cents"))
    {
      g_autofree char *path = member_path (where, "max_inclusive_cents");

      fail (error, path, _("missing (write null for no upper bound)"));
      return NULL;
    }
  if (JSON_NODE_HOLDS_NULL (json_object_get_member (object, "max_inclusive_cents")))
    {
      band->max_inclusive_cents = -1;
    }
  else
    {
      if (!get_amount (object, where, "max_inclusive_cents", 1, &band->max_inclusive_cents,
                       error))
        return NULL;

      if (band->max_inclusive_cents <= band->min_exclusive_cents)
        {
          fail (error, where, _("max_inclusive_cents must be larger than min_exclusive_cents"));
          return NULL;
        }
    }

  if (!buurten_json_get_bool (object, where, "allowed", TRUE, &band->allowed, error) ||
      !load_band_roles (band, object, where, error))
    return NULL;

  if (band->allowed)
    {
      if (!get_text (object, where, "instrument", MAX_NAME_LEN, &text, error) ||
          !refuse_member (object, where, "refusal_code",
                          _("only a band that refuses has a refusal code"), error) ||
          !refuse_member (object, where, "way_forward",
                          _("only a band that refuses has a way forward"), error))
        return NULL;
      band->instrument = g_strdup (text);
    }
  else
    {
      if (!buurten_json_get_string (object, where, "instrument", FALSE, &text, error))
        return NULL;
      band->instrument = g_strdup (text);

      if (!buurten_json_get_string (object, where, "refusal_code", TRUE, &text, error))
        return NULL;
      if (!g_strv_contains (refusal_codes, text))
        {
          g_autofree char *path = member_path (where, "refusal_code");

          fail (error, path,
                _("unknown refusal code “%s” (use MANDATE_EXCEEDED or NOT_IN_APP)"), text);
          return NULL;
        }
      band->refusal_code = g_strdup (text);

      if (!get_text (object, where, "way_forward", MAX_TEXT_LEN, &text, error))
        return NULL;
      band->way_forward = g_strdup (text);
    }

  return g_ptr_array_steal_index (guard, 0);
}

/* Per funding the bands must cover every amount above zero exactly once:
 * start at zero, each start where the previous one ends, the last one
 * without an upper bound. */
static gboolean
load_bands (BuurtenMandateTable  *table,
            JsonObject           *object,
            const char           *where,
            GError              **error)
{
  g_autofree char *array_path = member_path (where, "bands");
  int last[N_FUNDINGS] = { -1, -1, -1, -1 };
  JsonArray *bands;

  if (!get_nonempty_array (object, where, "bands", &bands, error))
    return FALSE;

  for (guint i = 0; i < json_array_get_length (bands); i++)
    {
      g_autofree char *path = element_path (array_path, i);
      BuurtenMandateBand *band;
      const BuurtenMandateBand *prev;
      const char *funding;
      JsonObject *entry;

      if (!(entry = element_object (bands, i, path, error)) ||
          !(band = load_band (entry, path, error)))
        return FALSE;

      g_ptr_array_add (table->bands, band);
      funding = buurten_funding_ids[band->funding];

      if (last[band->funding] < 0)
        {
          if (band->min_exclusive_cents > 0)
            {
              fail (error, path,
                    _("the first band for funding %s must start at zero "
                      "(min_exclusive_cents 0)"), funding);
              return FALSE;
            }
          last[band->funding] = i;
          continue;
        }

      prev = g_ptr_array_index (table->bands, last[band->funding]);
      if (prev->max_inclusive_cents < 0)
        {
          fail (error, path,
                _("follows bands[%d], which has no upper bound for funding %s"),
                last[band->funding], funding);
          return FALSE;
        }
      if (band->min_exclusive_cents < prev->max_inclusive_cents)
        {
          g_autofree char *from = format_money (prev->max_inclusive_cents);

          fail (error, path,
                _("overlaps bands[%d] for funding %s: it must start where bands[%d] ends, "
                  "above %s"), last[band->funding], funding, last[band->funding], from);
          return FALSE;
        }
      if (band->min_exclusive_cents > prev->max_inclusive_cents)
        {
          g_autofree char *from = format_money (prev->max_inclusive_cents + 1);
          g_autofree char *to = format_money (band->min_exclusive_cents);

          if (band->min_exclusive_cents == prev->max_inclusive_cents + 1)
            fail (error, path,
                  _("leaves a gap after bands[%d] for funding %s: no band covers %s"),
                  last[band->funding], funding, from);
          else
            fail (error, path,
                  _("leaves a gap after bands[%d] for funding %s: no band covers %s up to "
                    "and including %s"), last[band->funding], funding, from, to);
          return FALSE;
        }

      last[band->funding] = i;
    }

  for (int f = 0; f < N_FUNDINGS; f++)
    {
      const BuurtenMandateBand *band;

      if (last[f] < 0)
        {
          fail (error, array_path, _("no band for funding %s"), buurten_funding_ids[f]);
          return FALSE;
        }

      band = g_ptr_array_index (table->bands, last[f]);
      if (band->max_inclusive_cents >= 0)
        {
          g_autofree char *path = element_path (array_path, last[f]);
          g_autofree char *above = format_money (band->max_inclusive_cents);

          fail (error, path,
                _("the last band for funding %s must have no upper bound "
                  "(max_inclusive_cents null): nothing says who decides above %s"),
                buurten_funding_ids[f], above);
          return FALSE;
        }
    }

  return TRUE;
}

static BuurtenMandateTable *
load_mandate_table (JsonObject  *object,
                    const char  *where,
                    GError     **error)
{
  static const char * const members[] = { "valid_from", "over_budget_role", "bands", NULL };
  g_autoptr(GPtrArray) guard = g_ptr_array_new_with_free_func (buurten_municipality_free_mandate_table);
  BuurtenMandateTable *table;
  g_autofree char *role_path = member_path (where, "over_budget_role");
  const char *role;

  table = g_new0 (BuurtenMandateTable, 1);
  table->bands = g_ptr_array_new_with_free_func (band_free);
  g_ptr_array_add (guard, table);

  if (!check_members (object, where, members, error) ||
      !get_year (object, where, &table->valid_from, error) ||
      !buurten_json_get_string (object, where, "over_budget_role", TRUE, &role, error))
    return NULL;

  if (!get_role (json_object_get_member (object, "over_budget_role"), role_path,
                 &table->over_budget_role, error) ||
      !load_bands (table, object, where, error))
    return NULL;

  return g_ptr_array_steal_index (guard, 0);
}

static int
compare_budget_tables (gconstpointer a,
                       gconstpointer b)
{
  const BuurtenBudgetTable *ta = *(const BuurtenBudgetTable * const *) a;
  const BuurtenBudgetTable *tb = *(const BuurtenBudgetTable * const *) b;

  return (ta->valid_from > tb->valid_from) - (ta->valid_from < tb->valid_from);
}

static int
compare_mandate_tables (gconstpointer a,
                        gconstpointer b)
{
  const BuurtenMandateTable *ta = *(const BuurtenMandateTable * const *) a;
  const BuurtenMandateTable *tb = *(const BuurtenMandateTable * const *) b;

  return (ta->valid_from > tb->valid_from) - (ta->valid_from < tb->valid_from);
}

static gboolean
load_budget_tables (BuurtenMunicipality  *self,
                    JsonObject           *root,
                    GError              **error)
{
  JsonArray *tables;

  if (!get_nonempty_array (root, NULL, "budget_tables", &tables, error))
    return FALSE;

  for (guint i = 0; i < json_array_get_length (tables); i++)
    {
      g_autofree char *path = element_path ("budget_tables", i);
      BuurtenBudgetTable *table;
      JsonObject *object;

      if (!(object = element_object (tables, i, path, error)) ||
          !(table = load_budget_table (self, object, path, error)))
        return FALSE;

      for (guint j = 0; j < self->budget_tables->len; j++)
        {
          const BuurtenBudgetTable *other = g_ptr_array_index (self->budget_tables, j);

          if (other->valid_from == table->valid_from)
            {
              g_autofree char *year_path = member_path (path, "valid_from");

              fail (error, year_path, _("%d is already the year of budget_tables[%u]"),
                    table->valid_from, j);
              buurten_municipality_free_budget_table (table);
              return FALSE;
            }
        }

      g_ptr_array_add (self->budget_tables, table);
    }

  /* The file may list the years in any order; lookups want them sorted. */
  g_ptr_array_sort (self->budget_tables, compare_budget_tables);
  return TRUE;
}

static gboolean
load_mandate_tables (BuurtenMunicipality  *self,
                     JsonObject           *root,
                     GError              **error)
{
  JsonArray *tables;

  if (!get_nonempty_array (root, NULL, "mandate_tables", &tables, error))
    return FALSE;

  for (guint i = 0; i < json_array_get_length (tables); i++)
    {
      g_autofree char *path = element_path ("mandate_tables", i);
      BuurtenMandateTable *table;
      JsonObject *object;

      if (!(object = element_object (tables, i, path, error)) ||
          !(table = load_mandate_table (object, path, error)))
        return FALSE;

      for (guint j = 0; j < self->mandate_tables->len; j++)
        {
          const BuurtenMandateTable *other = g_ptr_array_index (self->mandate_tables, j);

          if (other->valid_from == table->valid_from)
            {
              g_autofree char *year_path = member_path (path, "valid_from");

              fail (error, year_path, _("%d is already the year of mandate_tables[%u]"),
                    table->valid_from, j);
              buurten_municipality_free_mandate_table (table);
              return FALSE;
            }
        }

      g_ptr_array_add (self->mandate_tables, table);
    }

  g_ptr_array_sort (self->mandate_tables, compare_mandate_tables);
  return TRUE;
}

/* The municipality's promise for a decision on an application: weeks from
 * the day it was submitted (domain.md: 13). */
static gboolean
load_decision_term (BuurtenMunicipality  *self,
                    JsonObject           *root,
                    GError              **error)
{
  gint64 weeks = 0;

  self->decision_term_weeks = 0;
  if (!json_object_has_member (root, "decision_term_weeks"))
    return TRUE;
  if (!buurten_json_get_int (root, NULL, "decision_term_weeks", TRUE, &weeks, error))
    return FALSE;
  if (weeks < 1 || weeks > 52)
    {
      fail (error, "decision_term_weeks", _("must be 1 to 52 weeks"));
      return FALSE;
    }

  self->decision_term_weeks = (guint) weeks;
  return TRUE;
}

/* Weeks after the activity within which the organiser accounts for a
 * grant (the verantwoording the beschikking asks for). */
static gboolean
load_accounting_term (BuurtenMunicipality  *self,
                      JsonObject           *root,
                      GError              **error)
{
  gint64 weeks = 0;

  self->accounting_term_weeks = DEFAULT_ACCOUNTING_WEEKS;
  if (!json_object_has_member (root, "accounting_term_weeks"))
    return TRUE;
  if (!buurten_json_get_int (root, NULL, "accounting_term_weeks", TRUE, &weeks, error))
    return FALSE;
  if (weeks < 1 || weeks > 52)
    {
      fail (error, "accounting_term_weeks", _("must be 1 to 52 weeks"));
      return FALSE;
    }

  self->accounting_term_weeks = (guint) weeks;
  return TRUE;
}

gboolean
buurten_municipality_load (BuurtenMunicipality  *self,
                           JsonObject           *root,
                           GError              **error)
{
  static const char * const members[] = {
    "format", "id", "name", "letterhead", "roles", "clusters", "wijken", "answer_terms",
    "decision_term_weeks", "objection", "accounting_term_weeks", "budget_tables", "mandate_tables", NULL
  };
  const char *text;
  gint64 format;

  if (!check_members (root, NULL, members, error) ||
      !buurten_json_get_int (root, NULL, "format", TRUE, &format, error))
    return FALSE;

  if (format != 1)
    {
      g_autofree char *version = g_strdup_printf ("%" G_GINT64_FORMAT, format);

      fail (error, "format",
            _("version %s is not supported; this version of Buurten reads version 1"),
            version);
      return FALSE;
    }

  if (!get_id (root, NULL, "id", &text, error))
    return FALSE;
  self->id = g_strdup (text);

  if (!get_text (root, NULL, "name", MAX_NAME_LEN, &text, error))
    return FALSE;
  self->name = g_strdup (text);

  /* Order matters: wijken name clusters, budget tables name wijken. */
  return load_letterhead (self, root, error) &&
         load_roles (self, root, error) &&
         load_clusters (self, root, error) &&
         load_wijken (self, root, error) &&
         load_answer_terms (self, root, error) &&
         load_decision_term (self, root, error) &&
         load_objection (self, root, error) &&
         load_accounting_term (self, root, error) &&
         load_budget_tables (self, root, error) &&
         load_mandate_tables (self, root, error);
}

/* ---- public API ----------------------------------------------------- */

BuurtenMunicipality *
buurten_municipality_new_from_data (const char  *data,
                                    gssize       length,
                                    GError     **error)
{
  g_autoptr(BuurtenMunicipality) self = NULL;
  g_autoptr(JsonNode) root = NULL;
  gsize len;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  len = length < 0 ? strlen (data) : (gsize) length;
  if (len > MAX_FILE_SIZE)
    {
      g_set_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_PARSE,
                   _("A municipality file must be smaller than %d MiB"),
                   MAX_FILE_SIZE / (1024 * 1024));
      return NULL;
    }

  root = buurten_json_parse (data, (gssize) len, MAX_DEPTH, error);
  if (root == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID,
                           _("A municipality file must hold a JSON object"));
      return NULL;
    }

  self = g_object_new (BUURTEN_TYPE_MUNICIPALITY, NULL);
  self->bytes = g_bytes_new (data, len);

  if (!buurten_municipality_load (self, json_node_get_object (root), error))
    return NULL;

  return g_steal_pointer (&self);
}

BuurtenMunicipality *
buurten_municipality_new_from_file (const char  *path,
                                    GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  BuurtenMunicipality *self;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;

  self = buurten_municipality_new_from_data (contents, (gssize) length, error);
  if (self == NULL)
    g_prefix_error (error, "%s: ", path);

  return self;
}

BuurtenMunicipality *
buurten_municipality_new_default (GError **error)
{
  g_autoptr(GPtrArray) candidates = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *tried = NULL;
  const char *env;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  env = g_getenv ("BUURTEN_DATA_DIR");
  if (env != NULL && *env != '\0')
    g_ptr_array_add (candidates, g_build_filename (env, "municipalities", FILE_NAME, NULL));
  g_ptr_array_add (candidates, g_build_filename (DATADIR, "municipalities", FILE_NAME, NULL));
  g_ptr_array_add (candidates,
                   g_build_filename (SOURCE_DATADIR, "municipalities", FILE_NAME, NULL));

  /* The first file that exists is the one: a broken file is reported,
   * never silently replaced by another copy further down the list. */
  for (guint i = 0; i < candidates->len; i++)
    {
      const char *path = g_ptr_array_index (candidates, i);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return buurten_municipality_new_from_file (path, error);
    }

  g_ptr_array_add (candidates, NULL);
  tried = g_strjoinv (", ", (char **) candidates->pdata);
  g_set_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_NOT_FOUND,
               _("No municipality file found (looked for %s)"), tried);
  return NULL;
}
