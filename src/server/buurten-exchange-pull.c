/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-server"

#include "config.h"

#include <string.h>

#include "buurten-exchange-private.h"
#include "buurten-residents.h"
#include "buurten-visibility.h"

/* The pull: the change log per scope from an opaque cursor, one
 * statement per page, and its fast path for a client that is up to
 * date. */

/* The columns of a change, as one string literal: partner is the SQL
 * expression saying the reader is a partner (personal fields are left
 * out), personal and versions the numbers of the parameters with the
 * personal field names and the "read versions" flag. Literal SQL only:
 * every value is a $N parameter. */
#define CHANGE_COLUMNS(partner, personal, versions, username) \
  "c.seq, c.type, c.object_id," \
  " (CASE WHEN " partner " AND c.withdrawn_from = $" #username \
  "  AND c.audience IS DISTINCT FROM $" #username " THEN 'del' ELSE c.op END)," \
  " c.version," \
  " (CASE WHEN " partner " THEN (c.data - $" #personal "::text[]) ELSE c.data END)::text," \
  " (CASE WHEN $" #versions "::boolean THEN (CASE WHEN " partner \
  "  THEN (c.versions - $" #personal "::text[]) ELSE c.versions END)::text END), c.meta::text"

/* Columns of buurten_sync_pull_sql() after the change's. */
#define PULL_COLUMN_ORD       10
#define PULL_COLUMN_TYPE_RANK 11
/* A scope's clock row: the newest seq committed in it. */
#define PULL_COLUMN_CLOCK     12

/* A change row of a pull's page: where it is in the result, and its place
 * in delivery order (scope, then the primary key's order). */
typedef struct
{
  int         row;
  guint       scope;
  gint64      seq;
  gint64      type_rank;
  const char *object_id;
} PageRow;

static int
compare_page_rows (gconstpointer a,
                   gconstpointer b,
                   gpointer      user_data)
{
  const PageRow *x = a, *y = b;

  if (x->scope != y->scope)
    return x->scope < y->scope ? -1 : 1;
  if (x->seq != y->seq)
    return x->seq < y->seq ? -1 : 1;
  if (x->type_rank != y->type_rank)
    return x->type_rank < y->type_rank ? -1 : 1;
  /* Lowercase canonical text sorts as PostgreSQL sorts uuids (bytes). */
  return strcmp (x->object_id, y->object_id);
}

/* versions: whether to send each field's version (a client that sends the
 * row's version as every field's base, as ours does, asks for none: about
 * a third of a first sync's JSON). */
static void
append_change (GString    *out,
               const char *scope,
               PGresult   *rows,
               int         row,
               int         first_column,
               gboolean    versions)
{
  gboolean del = g_strcmp0 (buurten_db_get (rows, row, first_column + 3), "del") == 0;
  const char *meta = buurten_db_get (rows, row, first_column + 7);

  if (out->len > 0)
    g_string_append_c (out, ',');
  g_string_append (out, "{\"wijk\":");
  append_json_string (out, scope);
  g_string_append_printf (out, ",\"seq\":%s,\"type\":", buurten_db_get (rows, row, first_column));
  append_json_string (out, buurten_db_get (rows, row, first_column + 1));
  g_string_append (out, ",\"id\":");
  append_json_string (out, buurten_db_get (rows, row, first_column + 2));
  g_string_append_printf (out, ",\"op\":\"%s\",\"version\":%s", del ? "del" : "put",
                          buurten_db_get (rows, row, first_column + 4));
  if (!del)
    {
      g_string_append (out, ",\"row\":");
      g_string_append (out, buurten_db_get (rows, row, first_column + 5));
      if (versions)
        {
          g_string_append (out, ",\"versions\":");
          g_string_append (out, buurten_db_get (rows, row, first_column + 6));
        }
      if (meta != NULL)
        {
          g_string_append (out, ",\"meta\":");
          g_string_append (out, meta);
        }
    }
  g_string_append_c (out, '}');
}

/* The pull's one statement: the session is still valid and the user's
 * roles are those remembered, each scope's purge mark and clock, and the page's
 * rows; a partner's rows are filtered and stripped of personal fields in
 * the database. Parameters: $1 scopes, $2 positions, $3 partner flags,
 * $4 personal field names, $5 username, $6 rows in the page (the limit
 * plus one, to see where the page must end), $7 token hash, $8 grants
 * key, $9 whether to read the per-field versions (NULL when not).
 *
 * The page is filled scope by scope: the scopes are read in order, each
 * from its cursor along the primary key (scope, seq, type_rank,
 * object_id), and reading stops once there are $6 rows, so a page of a
 * large first sync reads about one page of rows, not $6 rows of every
 * scope. Only those rows are turned into JSON text.
 *
 * Rows: one per scope with its purge mark (purged_seq; the change's
 * columns NULL), then the page's changes (purged_seq NULL; seq, type,
 * object_id, op, version, data, versions, meta); then the scope's
 * position in $1 (from 1) and the change's type_rank; last the scope's
 * clock (seq) on its purge-mark row, NULL on a change. pull_run() sorts
 * the changes itself. No rows when the session is not valid. */
const char *
buurten_sync_pull_sql (void)
{
  return "WITH valid AS MATERIALIZED (SELECT 1 FROM sessions se JOIN users u"
         "  ON u.id = se.user_id WHERE se.token_hash = decode ($7, 'hex')"
         "  AND se.revoked_at IS NULL AND se.expires_at > now ()"
         "  AND NOT u.disabled"
         "  AND " BUURTEN_GRANTS_KEY_SQL " IS NOT DISTINCT FROM $8)"
         " SELECT k.scope, cc.purged_seq, NULL::bigint, NULL::text,"
         "  NULL::uuid, NULL::text, NULL::bigint, NULL::text, NULL::text,"
         "  NULL::text, k.ord, NULL::integer, cc.seq"
         " FROM unnest ($1::text[]) WITH ORDINALITY AS k (scope, ord)"
         " JOIN change_clocks cc ON cc.scope = k.scope"
         " WHERE EXISTS (SELECT 1 FROM valid)"
         " UNION ALL"
         " SELECT c.scope, NULL, " CHANGE_COLUMNS ("c.partner", 4, 9, 5) ", c.ord, c.type_rank,"
         "  NULL::bigint"
         " FROM (SELECT k.scope, k.partner, k.ord, ch.*"
         "  FROM unnest ($1::text[], $2::bigint[], $3::boolean[])"
         "   WITH ORDINALITY AS k (scope, pos, partner, ord)"
         "  CROSS JOIN LATERAL (SELECT ch.seq, ch.type_rank, ch.object_id,"
         "    ch.type, ch.op, ch.version, ch.data, ch.versions, ch.meta,"
         "    ch.audience, ch.withdrawn_from"
         "   FROM changes ch WHERE ch.scope = k.scope AND ch.seq > k.pos"
         "   AND (NOT k.partner OR ch.type IN ('meeting', 'agenda_item')"
         "    OR ch.audience = $5 OR ch.withdrawn_from = $5)"
         "   ORDER BY ch.seq, ch.type_rank, ch.object_id"
         "   LIMIT $6::integer) ch"
         "  ORDER BY k.ord, ch.seq, ch.type_rank, ch.object_id"
         "  LIMIT $6::integer) c"
         " WHERE EXISTS (SELECT 1 FROM valid)";
}

/* The fast path's statement, for a pull that is probably up to date: the
 * session is still valid and the roles are those remembered, and each
 * scope's purge mark and clock (the newest seq committed in it).
 * Parameters: $1 scopes, $2 token hash, $3 grants key. Rows: scope,
 * purged_seq, seq; none when the session is not valid. A clock at the
 * cursor's position means nothing new: pull_run() moves a position read
 * to its end up to the clock. Far cheaper for PostgreSQL than the full
 * statement (a third of the plan nodes to start, no change log read). */
const char *
buurten_sync_pull_fast_sql (void)
{
  return "SELECT cc.scope, cc.purged_seq, cc.seq FROM change_clocks cc"
         " WHERE cc.scope = ANY ($1::text[])"
         " AND EXISTS (SELECT 1 FROM sessions se JOIN users u ON u.id = se.user_id"
         "  WHERE se.token_hash = decode ($2, 'hex')"
         "  AND se.revoked_at IS NULL AND se.expires_at > now ()"
         "  AND NOT u.disabled"
         "  AND " BUURTEN_GRANTS_KEY_SQL " IS NOT DISTINCT FROM $3)";
}

/* The rows of one transaction of one scope, for a page that must hold it
 * whole. Literal SQL; every value is a parameter: $1 scope, $2 seq, $3 the
 * partner flag, $4 personal field names, $5 username, $6 whether to read
 * the per-field versions. */
static const char *
whole_transaction_sql (void)
{
  return "SELECT " CHANGE_COLUMNS ("$3::boolean", 4, 6, 5)
         " FROM changes c WHERE c.scope = $1 AND c.seq = $2::bigint"
         " AND (NOT $3::boolean OR c.type IN ('meeting', 'agenda_item')"
         "  OR c.audience = $5 OR c.withdrawn_from = $5)"
         " ORDER BY c.type_rank, c.object_id";
}

struct _BuurtenPullFast
{
  BuurtenPullIdentity *identity;
  gint64              *positions;
  gint64              *bases;
  char                *hash;
  gboolean             from_nothing;   /* no cursor: the answer has "total" */
  const char          *params[BUURTEN_PULL_FAST_N_PARAMS];
};

void
buurten_pull_fast_free (BuurtenPullFast *fast)
{
  if (fast == NULL)
    return;

  g_clear_pointer (&fast->identity, buurten_pull_identity_unref);
  g_free (fast->positions);
  g_free (fast->bases);
  g_free (fast->hash);
  g_free (fast);
}

BuurtenPullFast *
buurten_pull_fast_prepare (BuurtenCall *call)
{
  g_autoptr(BuurtenPullFast) fast = NULL;
  g_autoptr(GHashTable) cursor = NULL;
  g_autoptr(GHashTable) cursor_bases = NULL;
  GPtrArray *scopes;
  const char *limit_param = NULL;
  const char *cursor_param = NULL;
  const char *versions_param = NULL;
  gboolean version_ok = TRUE;
  gint64 limit = DEFAULT_PULL_LIMIT;
  GHashTableIter iter;
  gpointer key;

  if (call->token == NULL)
    return NULL;

  fast = g_new0 (BuurtenPullFast, 1);
  fast->hash = buurten_token_hash (call->token);
  fast->identity = buurten_session_cache_lookup_pull (call->context->sessions, fast->hash,
                                                      call->context->municipality);
  if (fast->identity == NULL)
    return NULL;
  scopes = fast->identity->scopes;

  if (call->query != NULL)
    {
      limit_param = g_hash_table_lookup (call->query, "limit");
      cursor_param = g_hash_table_lookup (call->query, "cursor");
      versions_param = g_hash_table_lookup (call->query, "versions");
    }
  /* An up-to-date answer has no rows, so versions changes nothing here;
   * a wrong value goes the full way, which says what is wrong. */
  if (versions_param != NULL && !g_str_equal (versions_param, "true") &&
      !g_str_equal (versions_param, "false"))
    return NULL;
  if (limit_param != NULL)
    {
      char *end = NULL;

      limit = g_ascii_strtoll (limit_param, &end, 10);
      if (*limit_param == '\0' || *end != '\0' || limit < 1 || limit > MAX_PULL_LIMIT)
        return NULL;
    }

  cursor_bases = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  cursor = decode_cursor (cursor_param, cursor_bases, &version_ok, NULL);
  if (cursor == NULL || !version_ok)
    return NULL;
  fast->from_nothing = cursor_param == NULL || *cursor_param == '\0';

  if (scopes->len == 0)
    return NULL;

  /* A scope the cursor knows that the user may no longer see: the full
   * path answers with a reset. */
  g_hash_table_iter_init (&iter, cursor);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_ptr_array_find_with_equal_func (scopes, key, g_str_equal, NULL))
      return NULL;

  fast->positions = g_new0 (gint64, scopes->len);
  fast->bases = g_new0 (gint64, scopes->len);
  for (guint i = 0; i < scopes->len; i++)
    {
      gint64 *position = g_hash_table_lookup (cursor, g_ptr_array_index (scopes, i));
      gint64 *base = g_hash_table_lookup (cursor_bases, g_ptr_array_index (scopes, i));

      fast->positions[i] = position != NULL ? *position : 0;
      fast->bases[i] = base != NULL ? *base : 0;
    }

  /* The parameters of buurten_sync_pull_fast_sql(). */
  fast->params[0] = fast->identity->scope_array;
  fast->params[1] = fast->hash;
  fast->params[2] = fast->identity->grants_key;

  call->user_id = fast->identity->user_id;
  return g_steal_pointer (&fast);
}

const char * const *
buurten_pull_fast_params (BuurtenPullFast *fast)
{
  return fast->params;
}

gboolean
buurten_pull_fast_finish (BuurtenCall     *call,
                          BuurtenPullFast *fast,
                          PGresult        *rows)
{
  g_autoptr(GString) out = NULL;
  g_autofree char *cursor = NULL;
  int n_rows = PQntuples (rows);

  GPtrArray *scopes = fast->identity->scopes;

  /* A row per scope, or none: the session or the roles changed. A clock
   * past its position has changes to deliver (with their conflicts); a
   * purge may need a reset. All for the full path. */
  if (n_rows != (int) scopes->len)
    return FALSE;

  for (int r = 0; r < n_rows; r++)
    {
      const char *scope = buurten_db_get (rows, r, 0);
      gint64 purged = buurten_db_get_int (rows, r, 1);
      gint64 clock = buurten_db_get_int (rows, r, 2);
      guint i;

      if (scope == NULL ||
          !g_ptr_array_find_with_equal_func (scopes, scope, g_str_equal, &i))
        return FALSE;
      if (clock > fast->positions[i])
        return FALSE;
      if (fast->positions[i] > 0 && fast->positions[i] < purged && fast->bases[i] < purged)
        return FALSE;
    }

  cursor = encode_cursor (fast->identity->scopes, fast->positions, fast->bases);
  out = g_string_new ("{\"cursor\":");
  append_json_string (out, cursor);
  g_string_append (out, ",\"more\":false,");
  /* From nothing, and nothing there. */
  if (fast->from_nothing)
    g_string_append (out, "\"total\":0,");
  g_string_append (out, "\"changes\":[],\"conflicts\":[],\"reset\":null}");
  buurten_call_take_response (call, 200, g_string_free (g_steal_pointer (&out), FALSE));
  return TRUE;
}

/* For "total" on a pull without a cursor: how many change rows the pulls
 * from nothing will deliver in all, exactly, as the pull sees them (a
 * partner's scopes count only what is theirs). Staff scopes are counted
 * from the primary key alone. One statement, shaped by the kinds of
 * scope there are: the plans are generic, and an empty array would not
 * make a scan of the other kind cheap. */
static gboolean
count_visible_changes (PGconn              *conn,
                       const BuurtenUser   *user,
                       BuurtenMunicipality *municipality,
                       GPtrArray           *scopes,
                       gint64              *out_total,
                       GError             **error)
{
  g_autoptr(GPtrArray) staff = g_ptr_array_new ();
  g_autoptr(GPtrArray) partner = g_ptr_array_new ();
  g_autoptr(PGresult) counted = NULL;
  g_autofree char *staff_array = NULL;
  g_autofree char *partner_array = NULL;

  for (guint i = 0; i < scopes->len; i++)
    g_ptr_array_add (buurten_grants_staff_in (user->grants, municipality,
                                               g_ptr_array_index (scopes, i))
                     ? staff : partner, g_ptr_array_index (scopes, i));
  staff_array = buurten_db_text_array (staff);
  partner_array = buurten_db_text_array (partner);

  if (partner->len == 0)
    counted = BUURTEN_DB_EXEC (conn, error,
                               "SELECT count (*) FROM changes WHERE scope = ANY ($1::text[])",
                               staff_array);
  else if (staff->len == 0)
    counted = BUURTEN_DB_EXEC (conn, error,
                               "SELECT count (*) FROM changes WHERE scope = ANY ($1::text[])"
                               " AND (type IN ('meeting', 'agenda_item') OR audience = $2"
                               "  OR withdrawn_from = $2)",
                               partner_array, user->username);
  else
    counted = BUURTEN_DB_EXEC (conn, error,
                               "SELECT (SELECT count (*) FROM changes"
                               "  WHERE scope = ANY ($1::text[]))"
                               " + (SELECT count (*) FROM changes WHERE scope = ANY ($2::text[])"
                               "  AND (type IN ('meeting', 'agenda_item') OR audience = $3"
                               "  OR withdrawn_from = $3))",
                               staff_array, partner_array, user->username);
  if (counted == NULL)
    return FALSE;

  *out_total = buurten_db_get_int (counted, 0, 0);
  return TRUE;
}

/* The pull's user: from the session cache when there, else by the full
 * session query. A cached user is checked again by the pull's own
 * statement, or by revalidate() before any other answer. */
typedef struct
{
  BuurtenUser *user;
  gboolean     cached;
  char        *hash;
} PullAuth;

static void
pull_auth_clear (PullAuth *auth)
{
  g_clear_pointer (&auth->user, buurten_user_free);
  g_clear_pointer (&auth->hash, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PullAuth, pull_auth_clear)

static gboolean
revalidate (BuurtenCall *call,
            PGconn      *conn,
            PullAuth    *auth)
{
  if (!auth->cached)
    return TRUE;

  g_clear_pointer (&auth->user, buurten_user_free);
  auth->cached = FALSE;
  auth->user = buurten_call_authenticate (call, conn);
  return auth->user != NULL;
}

/* FALSE when the remembered session turned out stale (roles changed):
 * then the caller runs it again without the cache. */
/* Appends the page's rows [first, end) of one scope, but not the
 * transaction (the rows that share a seq) that would take the page's text
 * past PULL_PAGE_BYTES, unless it is the page's first: pages are bounded
 * in bytes as well as rows, and always hold whole transactions. Returns
 * where it stopped (first when none of this scope's rows fit). */
static int
append_changes_bounded (GString        *changes,
                        const char     *scope,
                        PGresult       *rows,
                        const PageRow  *page,
                        int             first,
                        int             end,
                        gboolean        versions)
{
  gsize transaction_len = changes->len;
  int transaction_start = first;

  for (int r = first; r < end; r++)
    {
      if (r > first && page[r].seq != page[r - 1].seq)
        {
          transaction_start = r;
          transaction_len = changes->len;
        }
      append_change (changes, scope, rows, page[r].row, 2, versions);
      if (changes->len > PULL_PAGE_BYTES && transaction_len > 0)
        {
          g_string_truncate (changes, transaction_len);
          return transaction_start;
        }
    }
  return end;
}

static gboolean
pull_run (BuurtenCall *call,
          PGconn      *conn,
          gboolean     use_cache)
{
  BuurtenMunicipality *municipality = call->context->municipality;
  g_auto(PullAuth) auth = { NULL, FALSE, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) cursor = NULL;
  g_autoptr(GHashTable) cursor_bases = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                              g_free);
  g_autoptr(GPtrArray) scopes = NULL;
  g_autoptr(GPtrArray) reset = NULL;
  g_autoptr(PGresult) rows = NULL;
  g_autoptr(GString) changes = NULL;
  g_autoptr(GString) conflicts = NULL;
  g_autoptr(GString) out = NULL;
  g_autofree gint64 *positions = NULL;
  g_autofree gint64 *delivered_from = NULL;
  g_autofree gint64 *bases = NULL;
  g_autofree gint64 *purged_seqs = NULL;
  g_autofree gint64 *clocks = NULL;
  g_autofree char *scope_array = NULL;
  g_autofree char *position_array = NULL;
  g_autofree char *partner_array = NULL;
  g_autofree char *limit_text = NULL;
  g_autofree char *new_cursor = NULL;
  g_autofree PageRow *page = NULL;
  const char *limit_param = NULL;
  const char *cursor_param = NULL;
  const char *versions_param = NULL;
  gboolean versions = TRUE;
  gboolean version_ok = TRUE;
  gboolean more = FALSE;
  gboolean advanced = FALSE;
  gboolean from_nothing;
  guint whole_scopes;
  gint64 limit = DEFAULT_PULL_LIMIT;
  gint64 remaining;
  gint64 total = 0;
  gint64 n_delivered = 0;
  int row = 0, n_rows, n_page = 0;
  BuurtenUser *user;

  if (call->token != NULL)
    {
      auth.hash = buurten_token_hash (call->token);
      if (use_cache)
        auth.user = buurten_session_cache_lookup (call->context->sessions, auth.hash);
      auth.cached = auth.user != NULL;
    }
  if (auth.user == NULL)
    {
      auth.user = buurten_call_authenticate (call, conn);
      if (auth.user == NULL)
        return TRUE;
    }
  user = auth.user;
  call->user_id = user->id;

  if (call->query != NULL)
    {
      limit_param = g_hash_table_lookup (call->query, "limit");
      cursor_param = g_hash_table_lookup (call->query, "cursor");
      versions_param = g_hash_table_lookup (call->query, "versions");
    }
  from_nothing = cursor_param == NULL || *cursor_param == '\0';

  if (versions_param != NULL)
    {
      if (g_str_equal (versions_param, "false"))
        versions = FALSE;
      else if (!g_str_equal (versions_param, "true"))
        {
          if (revalidate (call, conn, &auth))
            buurten_call_set_error (call, 422, BUURTEN_CODE_VALIDATION,
                                    "versions: true or false");
          return TRUE;
        }
    }

  if (limit_param != NULL)
    {
      char *end = NULL;

      limit = g_ascii_strtoll (limit_param, &end, 10);
      if (*limit_param == '\0' || *end != '\0' || limit < 1 || limit > MAX_PULL_LIMIT)
        {
          if (revalidate (call, conn, &auth))
            buurten_call_set_error (call, 422, BUURTEN_CODE_VALIDATION,
                                    "limit: a number from 1 to %d", MAX_PULL_LIMIT);
          return TRUE;
        }
    }

  cursor = decode_cursor (cursor_param, cursor_bases, &version_ok, &error);
  if (cursor == NULL)
    {
      if (revalidate (call, conn, &auth))
        buurten_call_set_gerror (call, error);
      return TRUE;
    }

  /* Which scopes the user may pull is the server's decision, now. */
  scopes = buurten_visible_scopes (user->grants, municipality);
  positions = g_new0 (gint64, MAX (scopes->len, 1));
  delivered_from = g_new0 (gint64, MAX (scopes->len, 1));
  bases = g_new0 (gint64, MAX (scopes->len, 1));
  purged_seqs = g_new0 (gint64, MAX (scopes->len, 1));
  clocks = g_new0 (gint64, MAX (scopes->len, 1));
  reset = g_ptr_array_new_with_free_func (g_free);

  if (!version_ok)
    {
      if (!revalidate (call, conn, &auth))
        return TRUE;
      for (guint i = 0; i < scopes->len; i++)
        g_ptr_array_add (reset, g_strdup (g_ptr_array_index (scopes, i)));
      reset_response (call, scopes, positions, bases, reset, "schema");
      return TRUE;
    }

  for (guint i = 0; i < scopes->len; i++)
    {
      gint64 *position = g_hash_table_lookup (cursor, g_ptr_array_index (scopes, i));
      gint64 *base = g_hash_table_lookup (cursor_bases, g_ptr_array_index (scopes, i));

      positions[i] = position != NULL ? *position : 0;
      bases[i] = base != NULL ? *base : 0;
    }

  /* Wijken the cursor knows but the user no longer may see. */
  {
    GHashTableIter iter;
    gpointer key;

    g_hash_table_iter_init (&iter, cursor);
    while (g_hash_table_iter_next (&iter, &key, NULL))
      if (!g_ptr_array_find_with_equal_func (scopes, key, g_str_equal, NULL))
        g_ptr_array_add (reset, g_strdup (key));
    if (reset->len > 0)
      {
        if (revalidate (call, conn, &auth))
          reset_response (call, scopes, positions, bases, reset, "revoked");
        return TRUE;
      }
  }

  if (scopes->len == 0)
    {
      if (revalidate (call, conn, &auth))
        buurten_call_take_response (call, 200,
                                    g_strdup_printf ("{\"cursor\":\"\",\"more\":false,%s"
                                                     "\"changes\":[],\"conflicts\":[],"
                                                     "\"reset\":null}",
                                                     from_nothing ? "\"total\":0," : ""));
      return TRUE;
    }

  /* One statement: the session is still valid, each scope's purge mark,
   * and every scope's next rows; a partner's rows are filtered and
   * stripped of personal fields in the database. */
  partner_array = buurten_partner_flags (user->grants, municipality, scopes);
  scope_array = buurten_db_text_array (scopes);
  position_array = int_array (positions, scopes->len);
  limit_text = g_strdup_printf ("%" G_GINT64_FORMAT, limit + 1);

  {
    const char *params[] = {
      scope_array, position_array, partner_array, buurten_personal_fields_array (),
      user->username, limit_text, auth.hash, user->grants_key, versions ? "true" : "false",
    };

    G_STATIC_ASSERT (G_N_ELEMENTS (params) == BUURTEN_PULL_N_PARAMS);
    rows = buurten_db_exec_prepared (conn, BUURTEN_PULL_STATEMENT, buurten_sync_pull_sql (),
                                     G_N_ELEMENTS (params), params, &error);
  }
  if (rows == NULL)
    {
      buurten_call_set_gerror (call, error);
      return TRUE;
    }

  n_rows = PQntuples (rows);
  if (n_rows == 0)
    {
      /* Every scope has a clock row, so no rows means no valid session,
       * or roles that changed since they were remembered. */
      buurten_session_cache_forget (call->context->sessions, auth.hash);
      if (auth.cached)
        return FALSE;
      buurten_call_set_error (call, 401, BUURTEN_CODE_UNAUTHORIZED,
                              "The session is not valid: it expired or was ended. "
                              "Log in again.");
      return TRUE;
    }

  /* Each scope's purge mark, and the page's rows in delivery order. */
  page = g_new (PageRow, n_rows);
  for (int r = 0; r < n_rows; r++)
    {
      gint64 ord = buurten_db_get_int (rows, r, PULL_COLUMN_ORD);

      if (ord < 1 || ord > scopes->len)
        {
          buurten_call_set_error (call, 500, BUURTEN_CODE_INTERNAL,
                                  "The pull read a scope it did not ask for.");
          return TRUE;
        }
      if (buurten_db_get (rows, r, 2) == NULL)
        {
          purged_seqs[ord - 1] = buurten_db_get_int (rows, r, 1);
          clocks[ord - 1] = buurten_db_get_int (rows, r, PULL_COLUMN_CLOCK);
          continue;
        }

      page[n_page].row = r;
      page[n_page].scope = (guint) ord - 1;
      page[n_page].seq = buurten_db_get_int (rows, r, 2);
      page[n_page].type_rank = buurten_db_get_int (rows, r, PULL_COLUMN_TYPE_RANK);
      page[n_page].object_id = buurten_db_get (rows, r, 4);
      n_page++;
    }
  g_qsort_with_data (page, n_page, sizeof (PageRow), compare_page_rows, NULL);

  /* A cursor that read a scope before its newest purged tombstone may
   * hold objects whose deletion it can no longer learn: that scope
   * restarts. A reader that started after the purge never saw them. */
  for (guint i = 0; i < scopes->len; i++)
    if (positions[i] > 0 && positions[i] < purged_seqs[i] && bases[i] < purged_seqs[i])
      {
        g_ptr_array_add (reset, g_strdup (g_ptr_array_index (scopes, i)));
        positions[i] = 0;
        bases[i] = 0;
      }

  if (reset->len > 0)
    {
      reset_response (call, scopes, positions, bases, reset, "cursor_expired");
      return TRUE;
    }

  /* The statement read at most limit + 1 rows, scope by scope: the scopes
   * before the one where the page ends are whole, that one is cut before
   * the transaction it would split, and the rest come in later pages. */
  changes = g_string_new (NULL);
  remaining = limit;
  whole_scopes = scopes->len;   /* the scopes before it are in the page to their end */

  for (guint i = 0; i < scopes->len; i++)
    {
      const char *scope = g_ptr_array_index (scopes, i);
      int first, count, take, last_seq_start;

      first = row;
      while (row < n_page && page[row].scope == i)
        row++;
      count = row - first;
      delivered_from[i] = positions[i];

      if (count == 0)
        continue;
      if (remaining == 0 || changes->len >= PULL_PAGE_BYTES)
        {
          more = TRUE;
          whole_scopes = MIN (whole_scopes, i);
          remaining = 0;
          continue;
        }

      if (count <= remaining)
        {
          int end = append_changes_bounded (changes, scope, rows, page, first, row, versions);

          if (end > first)
            positions[i] = page[end - 1].seq;
          n_delivered += end - first;
          if (end < row)
            {
              /* The page is full in bytes: it ends after this transaction. */
              more = TRUE;
              whole_scopes = MIN (whole_scopes, i);
              remaining = 0;
              continue;
            }
          remaining -= count;
          continue;
        }

      /* The page ends inside this scope: end it before the transaction
       * it would split (all of a transaction's rows share one seq). */
      more = TRUE;
      whole_scopes = MIN (whole_scopes, i);
      take = (int) remaining;
      last_seq_start = first + take;
      while (last_seq_start > first && page[last_seq_start - 1].seq == page[first + take].seq)
        last_seq_start--;

      if (last_seq_start > first)
        {
          int end = append_changes_bounded (changes, scope, rows, page, first, last_seq_start,
                                            versions);

          if (end > first)
            positions[i] = page[end - 1].seq;
          n_delivered += end - first;
        }
      else
        {
          /* One transaction larger than a page: it comes whole. */
          g_autoptr(PGresult) whole = NULL;
          g_autofree char *seq_text = g_strdup_printf ("%" G_GINT64_FORMAT, page[first].seq);

          whole = BUURTEN_DB_EXEC (conn, &error, whole_transaction_sql (), scope, seq_text,
                                   buurten_grants_staff_in (user->grants, municipality, scope)
                                   ? "false" : "true",
                                   buurten_personal_fields_array (), user->username,
                                   versions ? "true" : "false");
          if (whole == NULL)
            {
              buurten_call_set_gerror (call, error);
              return TRUE;
            }
          for (int r = 0; r < PQntuples (whole); r++)
            append_change (changes, scope, whole, r, 0, versions);
          positions[i] = page[first].seq;
          n_delivered += PQntuples (whole);
        }
      remaining = 0;
    }

  /* The scopes the page holds to their end are read up to their clocks
   * (which come from the rows' snapshot): the transactions after the last
   * row delivered left nothing this user may see (a partner's, or one
   * whose rows were purged), and need not be read again. An up-to-date
   * pull then finds each clock at its position, which is what the fast
   * path checks. */
  for (guint i = 0; i < whole_scopes; i++)
    if (clocks[i] > positions[i])
      {
        positions[i] = clocks[i];
        advanced = TRUE;
      }

  /* The conflicts recorded for this user in the transactions delivered
   * or passed over. */
  conflicts = g_string_new (NULL);
  if (changes->len > 0 || advanced)
    {
      g_autoptr(PGresult) found = NULL;
      g_autofree char *user_id = g_strdup_printf ("%" G_GINT64_FORMAT, user->id);
      g_autofree char *lo = int_array (delivered_from, scopes->len);
      g_autofree char *hi = int_array (positions, scopes->len);

      found = BUURTEN_DB_EXEC (conn, &error,
                               "SELECT c.id, c.object_type, c.object_id, c.field,"
                               " c.theirs::text, c.yours::text"
                               " FROM conflicts c JOIN unnest ($2::text[], $3::bigint[],"
                               "  $4::bigint[]) AS r (scope, lo, hi)"
                               " ON c.scope = r.scope AND c.seq > r.lo AND c.seq <= r.hi"
                               " WHERE c.user_id = $1::bigint ORDER BY c.scope, c.seq, c.at",
                               user_id, scope_array, lo, hi);
      if (found == NULL)
        {
          buurten_call_set_gerror (call, error);
          return TRUE;
        }

      for (int r = 0; r < PQntuples (found); r++)
        {
          if (r > 0)
            g_string_append_c (conflicts, ',');
          g_string_append (conflicts, "{\"id\":");
          append_json_string (conflicts, buurten_db_get (found, r, 0));
          g_string_append (conflicts, ",\"type\":");
          append_json_string (conflicts, buurten_db_get (found, r, 1));
          g_string_append (conflicts, ",\"row\":");
          append_json_string (conflicts, buurten_db_get (found, r, 2));
          g_string_append (conflicts, ",\"field\":");
          append_json_string (conflicts, buurten_db_get (found, r, 3));
          g_string_append (conflicts, ",\"theirs\":");
          g_string_append (conflicts, buurten_db_get (found, r, 4) != NULL
                           ? buurten_db_get (found, r, 4) : "null");
          g_string_append (conflicts, ",\"yours\":");
          g_string_append (conflicts, buurten_db_get (found, r, 5) != NULL
                           ? buurten_db_get (found, r, 5) : "null");
          g_string_append_c (conflicts, '}');
        }
    }

  /* The first page of a sync from nothing says how much is coming: when
   * it is the only page, that is what it holds. */
  if (from_nothing && !more)
    total = n_delivered;
  else if (from_nothing &&
           !count_visible_changes (conn, user, municipality, scopes, &total, &error))
    {
      buurten_call_set_gerror (call, error);
      return TRUE;
    }

  /* A scope read from nothing records the purges it did not need. */
  for (guint i = 0; i < scopes->len; i++)
    if (delivered_from[i] == 0 && positions[i] > 0)
      bases[i] = purged_seqs[i];
  new_cursor = encode_cursor (scopes, positions, bases);

  out = g_string_sized_new (changes->len + conflicts->len + 256);
  g_string_append (out, "{\"cursor\":");
  append_json_string (out, new_cursor);
  g_string_append_printf (out, ",\"more\":%s,", more ? "true" : "false");
  if (from_nothing)
    g_string_append_printf (out, "\"total\":%" G_GINT64_FORMAT ",", total);
  g_string_append (out, "\"changes\":[");
  g_string_append_len (out, changes->str, changes->len);
  g_string_append (out, "],\"conflicts\":[");
  g_string_append_len (out, conflicts->str, conflicts->len);
  g_string_append (out, "],\"reset\":null}");
  buurten_audit_pull_read (conn, user->username, call->origin, changes->str, changes->len);

  /* The next page's address in a header too (RFC 8288): a client can ask
   * for it while it still parses this one. */
  if (more)
    {
      g_autofree char *escaped = g_uri_escape_string (new_cursor, NULL, FALSE);

      g_free (call->link);
      call->link = g_strdup_printf ("</api/v1/sync/pull?cursor=%s&limit=%" G_GINT64_FORMAT
                                    "%s>; rel=\"next\"", escaped, limit,
                                    versions ? "" : "&versions=false");
    }

  buurten_call_take_response (call, 200, g_string_free (g_steal_pointer (&out), FALSE));
  return TRUE;
}

void
buurten_api_pull (BuurtenCall *call,
                  PGconn      *conn)
{
  if (!pull_run (call, conn, TRUE))
    pull_run (call, conn, FALSE);
}
