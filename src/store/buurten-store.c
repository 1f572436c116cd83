/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-store"

#include "config.h"

#include "buurten-store.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

/* The local SQLite cache. The schema lives in literal migration strings
 * below, never generated from the entity tables at run time: a migration
 * that has shipped must mean the same thing forever. The test suite checks
 * that every field of every entity has its column, so a field added to a
 * table without a migration fails the build's tests. */

#define BUSY_TIMEOUT_MS 5000
#define SEARCH_DEFAULT_LIMIT 50
#define SEARCH_MAX_TOKENS 16
#define SEARCH_CANDIDATES 1000
/* WAL pages (4 KiB) between checkpoints while pulled pages are written. */
#define PULL_CHECKPOINT 16384

struct _BuurtenStore
{
  GObject     parent_instance;

  char       *path;
  sqlite3    *db;
  int         schema_version;

  /* Serialises every use of db. Recursive, because buurten_store_begin()
   * keeps it until commit or rollback so that other threads sharing this
   * store cannot slip their writes into the open transaction. */
  GRecMutex   mutex;
  guint       depth;     /* nesting of buurten_store_begin() */
  gboolean    doomed;    /* an inner rollback or a half-done write happened */
  gboolean    relaxed;   /* synchronous=NORMAL for this transaction (pulled data) */
  gboolean    outbox_empty; /* known empty for this pulled transaction */

  GHashTable *statements; /* SQL text → sqlite3_stmt*, prepared once */
  GHashTable *tables;     /* BuurtenEntityInfo* → EntityTable* */
};

G_DEFINE_FINAL_TYPE (BuurtenStore, buurten_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (buurten-store-error-quark, buurten_store_error)

/* A cached statement is never finalized by its user, only reset, so that
 * the next user finds it without bindings. */
typedef sqlite3_stmt BuurtenCachedStmt;

static void
cached_stmt_release (BuurtenCachedStmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BuurtenCachedStmt, cached_stmt_release)

/* ---- schema ---------------------------------------------------------- */

/* Column types follow the field kinds: TEXT for strings, uuids, enum ids
 * and dates (YYYY-MM-DD), INTEGER for ints, money, bools and timestamps.
 * Enums are stored by id so that the file is readable with sqlite3.
 *
 * request and initiative carry an extra integer key, fts_row, because the
 * search index addresses its rows by a stable integer: an implicit rowid
 * may change on VACUUM, an INTEGER PRIMARY KEY never does. */
static const char schema_v1[] =
  "CREATE TABLE request ("
  "  fts_row INTEGER PRIMARY KEY,"
  "  id TEXT NOT NULL UNIQUE,"
  "  wijk TEXT,"
  "  type TEXT,"
  "  title TEXT,"
  "  description TEXT,"
  "  received_at INTEGER,"
  "  reporter_name TEXT,"
  "  reporter_contact TEXT,"
  "  category TEXT,"
  "  assignee TEXT,"
  "  state TEXT,"
  "  term_days INTEGER,"
  "  paused_working_days INTEGER,"
  "  paused_since TEXT,"
  "  version INTEGER,"
  "  updated_at INTEGER"
  ") STRICT;"
  "CREATE INDEX request_wijk_state ON request (wijk, state);"
  "CREATE INDEX request_state ON request (state);"

  "CREATE TABLE initiative ("
  "  fts_row INTEGER PRIMARY KEY,"
  "  id TEXT NOT NULL UNIQUE,"
  "  wijk TEXT,"
  "  title TEXT,"
  "  description TEXT,"
  "  organiser TEXT,"
  "  requested_cents INTEGER,"
  "  theme TEXT,"
  "  state TEXT,"
  "  crit_residents TEXT,"
  "  crit_support TEXT,"
  "  crit_themes TEXT,"
  "  crit_adds TEXT,"
  "  princ_lawful TEXT,"
  "  princ_own_effort TEXT,"
  "  princ_feedback TEXT,"
  "  princ_accounting TEXT,"
  "  support_note TEXT,"
  "  received_at INTEGER,"
  "  version INTEGER,"
  "  updated_at INTEGER"
  ") STRICT;"
  "CREATE INDEX initiative_wijk_state ON initiative (wijk, state);"
  "CREATE INDEX initiative_state ON initiative (state);"

  "CREATE TABLE decision ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  initiative_id TEXT REFERENCES initiative (id) ON DELETE CASCADE,"
  "  outcome TEXT,"
  "  amount_cents INTEGER,"
  "  reason TEXT,"
  "  decided_on TEXT,"
  "  version INTEGER"
  ") STRICT;"
  "CREATE INDEX decision_initiative ON decision (initiative_id);"

  /* Commitments are cancelled, never deleted: no cascade from initiative. */
  "CREATE TABLE commitment ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  initiative_id TEXT REFERENCES initiative (id),"
  "  wijk TEXT,"
  "  funding TEXT,"
  "  year INTEGER,"
  "  amount_cents INTEGER,"
  "  theme TEXT,"
  "  state TEXT,"
  "  cancel_reason TEXT,"
  "  created_at INTEGER,"
  "  version INTEGER,"
  /* Not a field: the sum of the payments on it, kept by the store on
   * every put and delete of a payment (add_paid), so that a wijk's
   * thermometer is one index scan. Not by triggers: see search below. */
  "  paid_cents INTEGER NOT NULL DEFAULT 0"
  ") STRICT;"
  "CREATE INDEX commitment_wijk_year ON commitment"
  "  (wijk, year, funding, state, theme, amount_cents, paid_cents);"
  "CREATE INDEX commitment_overpaid ON commitment (wijk, year)"
  "  WHERE paid_cents > amount_cents;"
  "CREATE INDEX commitment_year ON commitment (year);"
  "CREATE INDEX commitment_initiative ON commitment (initiative_id);"

  "CREATE TABLE signature ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  commitment_id TEXT REFERENCES commitment (id),"
  "  \"user\" TEXT,"
  "  role TEXT,"
  "  signed_at INTEGER"
  ") STRICT;"
  "CREATE INDEX signature_commitment ON signature (commitment_id);"

  "CREATE TABLE payment ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  commitment_id TEXT REFERENCES commitment (id),"
  "  amount_cents INTEGER,"
  "  paid_on TEXT"
  ") STRICT;"
  "CREATE INDEX payment_commitment ON payment (commitment_id);"

  "CREATE TABLE transfer ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  year INTEGER,"
  "  from_wijk TEXT,"
  "  to_wijk TEXT,"
  "  amount_cents INTEGER,"
  "  reason TEXT,"
  "  decided_on TEXT"
  ") STRICT;"
  "CREATE INDEX transfer_year_from ON transfer (year, from_wijk);"
  "CREATE INDEX transfer_year_to ON transfer (year, to_wijk);"

  "CREATE TABLE carry_over ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  wijk TEXT,"
  "  from_year INTEGER,"
  "  amount_cents INTEGER,"
  "  reason TEXT,"
  "  decided_on TEXT"
  ") STRICT;"
  "CREATE INDEX carry_over_wijk_year ON carry_over (wijk, from_year);"
  "CREATE INDEX carry_over_year ON carry_over (from_year);"

  "CREATE TABLE escalation ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  wijk TEXT,"
  "  subject_type TEXT,"
  "  subject_id TEXT,"
  "  level TEXT,"
  "  target TEXT,"
  "  reason TEXT,"
  "  state TEXT,"
  "  opened_at INTEGER,"
  "  version INTEGER"
  ") STRICT;"
  "CREATE INDEX escalation_wijk_state ON escalation (wijk, state);"
  "CREATE INDEX escalation_subject ON escalation (subject_id);"

  "CREATE TABLE meeting ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  kind TEXT,"
  "  wijk TEXT,"
  "  cluster TEXT,"
  "  starts_at INTEGER,"
  "  location TEXT,"
  "  version INTEGER"
  ") STRICT;"
  "CREATE INDEX meeting_wijk ON meeting (wijk, starts_at);"
  "CREATE INDEX meeting_cluster ON meeting (cluster, starts_at);"

  "CREATE TABLE agenda_item ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  meeting_id TEXT REFERENCES meeting (id) ON DELETE CASCADE,"
  "  subject_type TEXT,"
  "  subject_id TEXT,"
  "  title TEXT,"
  "  position INTEGER,"
  "  version INTEGER"
  ") STRICT;"
  "CREATE INDEX agenda_item_meeting ON agenda_item (meeting_id, position);"

  "CREATE TABLE \"action\" ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  meeting_id TEXT REFERENCES meeting (id) ON DELETE CASCADE,"
  "  owner TEXT,"
  "  title TEXT,"
  "  due_on TEXT,"
  "  completed INTEGER,"
  "  version INTEGER"
  ") STRICT;"
  "CREATE INDEX action_meeting ON \"action\" (meeting_id);"
  "CREATE INDEX action_owner ON \"action\" (owner, completed);"

  "CREATE TABLE note ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  subject_type TEXT,"
  "  subject_id TEXT,"
  "  body TEXT,"
  "  author TEXT,"
  "  created_at INTEGER,"
  "  version INTEGER"
  ") STRICT;"
  "CREATE INDEX note_subject ON note (subject_type, subject_id);"

  "CREATE TABLE theme ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  wijk TEXT,"
  "  year INTEGER,"
  "  title TEXT,"
  "  position INTEGER"
  ") STRICT;"
  "CREATE INDEX theme_wijk_year ON theme (wijk, year, position);"

  /* The municipality file, and enough of it in tables to query. */
  "CREATE TABLE municipality ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  name TEXT NOT NULL,"
  "  json TEXT NOT NULL,"
  "  imported_at INTEGER NOT NULL"
  ") STRICT;"
  "CREATE TABLE cluster ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  name TEXT NOT NULL"
  ") STRICT;"
  "CREATE TABLE wijk ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  name TEXT NOT NULL,"
  "  cluster TEXT REFERENCES cluster (id)"
  ") STRICT;"
  "CREATE TABLE budget_table ("
  "  valid_from INTEGER NOT NULL,"
  "  wijk TEXT NOT NULL,"
  "  subsidy_cents INTEGER NOT NULL,"
  "  handgeld_cents INTEGER NOT NULL,"
  "  PRIMARY KEY (valid_from, wijk)"
  ") STRICT;"
  "CREATE TABLE pot ("
  "  valid_from INTEGER NOT NULL,"
  "  id TEXT NOT NULL,"
  "  name TEXT NOT NULL,"
  "  budget_cents INTEGER NOT NULL,"
  "  hard_cap INTEGER NOT NULL,"
  "  PRIMARY KEY (valid_from, id)"
  ") STRICT;"
  "CREATE TABLE mandate_table ("
  "  valid_from INTEGER PRIMARY KEY,"
  "  over_budget_role TEXT NOT NULL"
  ") STRICT;"
  "CREATE TABLE mandate_band ("
  "  valid_from INTEGER NOT NULL REFERENCES mandate_table (valid_from),"
  "  position INTEGER NOT NULL,"
  "  funding TEXT NOT NULL,"
  "  min_exclusive_cents INTEGER NOT NULL,"
  "  max_inclusive_cents INTEGER NOT NULL,"
  "  allowed INTEGER NOT NULL,"
  "  roles TEXT NOT NULL,"              /* role ids, comma separated */
  "  instrument TEXT,"
  "  refusal_code TEXT,"
  "  way_forward TEXT,"
  "  PRIMARY KEY (valid_from, position)"
  ") STRICT;"

  /* The queue of local mutations for the server. AUTOINCREMENT, so that a
   * seq (the protocol's mid) is never handed out twice, even after the
   * rows before it were pushed and removed. */
  "CREATE TABLE outbox ("
  "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  name TEXT NOT NULL,"
  "  args_json TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL"
  ") STRICT;"

  /* Which fields changed, never their values. */
  "CREATE TABLE audit ("
  "  id INTEGER PRIMARY KEY,"
  "  at INTEGER NOT NULL,"
  "  actor TEXT,"
  "  \"action\" TEXT NOT NULL,"
  "  object_type TEXT NOT NULL,"
  "  object_id TEXT NOT NULL,"
  "  summary TEXT NOT NULL"
  ") STRICT;"
  "CREATE INDEX audit_object ON audit (object_type, object_id, id);"

  /* Small settings of this copy: sync cursor, client id. */
  "CREATE TABLE meta ("
  "  key TEXT PRIMARY KEY NOT NULL,"
  "  value TEXT"
  ") STRICT;"

  /* Search: titles and descriptions only, never the personal fields.
   * wijk is indexed (not UNINDEXED) so that a search within one wijk is
   * filtered by the index; people's words are matched against title and
   * body only. rowid is fts_row * 2 for requests and fts_row * 2 + 1 for
   * initiatives, so that an edit touches one row by key instead of
   * scanning.
   *
   * The store keeps it in step itself (put_locked, delete_locked), not
   * with triggers: a trigger makes every INSERT on its table need a
   * statement journal, and SQLite 3.40's FTS5 writes its pending terms
   * out as a new segment at every statement journal and savepoint, so a
   * batch of 100 000 requests became 100 000 one-row segments and their
   * merges (five times slower). The same holds for a trigger on any
   * table written in the same batch (payment's, once), so the schema has
   * none.
   *
   * hashsize: FTS5 keeps new terms in memory until they fill this many
   * bytes (default 1 MiB), then writes a segment; later segments are
   * merged. With 16 MiB the first sync of a city is written as a few
   * large segments: about 40 % less work for the index, for about 25 MB
   * of memory while a large batch is open. It is stored in the file
   * (search_config), like pgsz and automerge. */
  "CREATE VIRTUAL TABLE search USING fts5 ("
  "  type UNINDEXED, id UNINDEXED, wijk, title, body,"
  "  tokenize = 'unicode61 remove_diacritics 2',"
  "  prefix = '2 3 4'"
  ");"
  "INSERT INTO search (search, rank) VALUES ('hashsize', 16777216);";

/* Schema 2: what sync needs.
 *
 * outbox.object_id names the object a mutation changes, so that applying a
 * pulled row can ask "does this object have changes still waiting?" with
 * one index lookup (pulled values never overwrite those fields). Rows
 * written before are filled from their args.
 *
 * attention: everything the user must see and decide about: a change the
 * server refused (kind "rejected", with its code and message and the
 * mutation as it was sent, so nothing typed is lost), and a field changed
 * on both sides (kind "conflict", both values as JSON). conflict_id is the
 * server's id of a conflict, which arrives both in a push result and in a
 * pull: it is recorded once. Resolved rows stay (resolved_at) as history. */
static const char schema_v2[] =
  "ALTER TABLE outbox ADD COLUMN object_id TEXT;"
  "UPDATE outbox SET object_id = json_extract (args_json, '$.id')"
  "  WHERE json_valid (args_json);"
  "CREATE INDEX outbox_object ON outbox (object_id);"

  "CREATE TABLE attention ("
  "  id INTEGER PRIMARY KEY,"
  "  kind TEXT NOT NULL,"
  "  mutation TEXT,"
  "  args_json TEXT,"
  "  object_type TEXT,"
  "  object_id TEXT,"
  "  field TEXT,"
  "  code TEXT,"
  "  message TEXT,"
  "  theirs_json TEXT,"
  "  yours_json TEXT,"
  "  conflict_id TEXT UNIQUE,"
  "  created_at INTEGER NOT NULL,"
  "  resolved_at INTEGER"
  ") STRICT;"
  "CREATE INDEX attention_open ON attention (resolved_at, id);";

/* Schema 3: one authority (issue 12). A commitment keeps the roles that
 * must sign it, fixed when it was made; a decision names the commitment
 * and the signers it records; budget moves carry the college's decision
 * and need two people (recorded, then confirmed: rows from before were
 * decided by one and count as confirmed); a budget escalation names whose
 * commitment opened it; a refusal keeps its arguments so the app can say
 * it in Dutch. */
static const char schema_v3[] =
  "ALTER TABLE commitment ADD COLUMN required_roles TEXT;"
  "ALTER TABLE decision ADD COLUMN commitment_id TEXT;"
  "ALTER TABLE decision ADD COLUMN signers TEXT;"
  "ALTER TABLE transfer ADD COLUMN decision_ref TEXT;"
  "ALTER TABLE transfer ADD COLUMN decision_date TEXT;"
  "ALTER TABLE transfer ADD COLUMN state TEXT;"
  "ALTER TABLE transfer ADD COLUMN recorded_by TEXT;"
  "ALTER TABLE transfer ADD COLUMN confirmed_by TEXT;"
  "ALTER TABLE carry_over ADD COLUMN decision_ref TEXT;"
  "ALTER TABLE carry_over ADD COLUMN decision_date TEXT;"
  "ALTER TABLE carry_over ADD COLUMN state TEXT;"
  "ALTER TABLE carry_over ADD COLUMN recorded_by TEXT;"
  "ALTER TABLE carry_over ADD COLUMN confirmed_by TEXT;"
  "ALTER TABLE escalation ADD COLUMN opened_by TEXT;"
  "ALTER TABLE attention ADD COLUMN refusal_args_json TEXT;";

/* Migration N (1-based) is migrations[N - 1]. Never edit one that has
 * shipped; append a new one and raise BUURTEN_STORE_SCHEMA_VERSION. */
static const char * const migrations[] = {
  schema_v1,
  schema_v2,
  schema_v3,
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == BUURTEN_STORE_SCHEMA_VERSION);

/* ---- small values --------------------------------------------------- */

void
buurten_search_hit_free (BuurtenSearchHit *hit)
{
  if (hit == NULL)
    return;
  g_free (hit->type);
  g_free (hit->id);
  g_free (hit->wijk);
  g_free (hit->title);
  g_free (hit->snippet);
  g_free (hit);
}

void
buurten_outbox_entry_free (BuurtenOutboxEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->name);
  g_free (entry->args_json);
  g_free (entry);
}

void
buurten_audit_entry_free (BuurtenAuditEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->actor);
  g_free (entry->action);
  g_free (entry->object_type);
  g_free (entry->object_id);
  g_free (entry->summary);
  g_free (entry);
}

/* ---- errors and statements ------------------------------------------ */

static int
error_code_for (int rc)
{
  switch (rc & 0xff)
    {
    case SQLITE_CONSTRAINT:
      return BUURTEN_STORE_ERROR_CONSTRAINT;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return BUURTEN_STORE_ERROR_CORRUPT;
    default:
      return BUURTEN_STORE_ERROR_IO;
    }
}

static void
set_db_error (BuurtenStore  *self,
              GError       **error,
              int            rc,
              const char    *what)
{
  g_set_error (error, BUURTEN_STORE_ERROR, error_code_for (rc),
               "%s: %s (%s)", what, sqlite3_errmsg (self->db), sqlite3_errstr (rc));
}

static void
set_corrupt_error (const char  *path,
                   GError     **error)
{
  g_set_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_CORRUPT,
               _("The file “%s” is not a Buurten database or it is damaged. "
                 "It was left untouched; move it aside or restore a backup."),
               path);
}

static BuurtenCachedStmt *
prepare (BuurtenStore  *self,
         const char    *sql,
         GError       **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt != NULL)
    return stmt;

  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_db_error (self, error, rc, "prepare");
      return NULL;
    }

  g_hash_table_insert (self->statements, g_strdup (sql), stmt);
  return stmt;
}

/* Runs a statement without results to its end. */
static gboolean
step_done (BuurtenStore  *self,
           sqlite3_stmt  *stmt,
           const char    *what,
           GError       **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    ;
  if (rc != SQLITE_DONE)
    {
      set_db_error (self, error, rc, what);
      return FALSE;
    }
  return TRUE;
}

static gboolean
exec_cached (BuurtenStore  *self,
             const char    *sql,
             GError       **error)
{
  g_autoptr(BuurtenCachedStmt) stmt = prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  return step_done (self, stmt, sql, error);
}

static gboolean
exec_script (BuurtenStore  *self,
             const char    *sql,
             GError       **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      set_db_error (self, error, rc, "exec");
      return FALSE;
    }
  return TRUE;
}

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* ---- write transactions --------------------------------------------- */

/* A write opens its own BEGIN IMMEDIATE transaction, or joins the one
 * opened by buurten_store_begin().
 *
 * Inside a batch, a put or delete runs without a savepoint: FTS5 (SQLite
 * 3.40) writes its pending terms out as a new index segment at every
 * savepoint, and a savepoint per row made a bulk insert five times
 * slower. A failed write still leaves no trace in the usual cases, because
 * everything that can be refused is refused before the first row changes:
 * validation runs before the lock, and the entity's own statement (the
 * first write) fails as a whole on a foreign key or uniqueness rule. What
 * can only fail after the first write (a full disk, an I/O error) dooms the
 * batch instead: later writes in it fail at once and the outer commit
 * rolls everything back.
 *
 * Writes of several dependent statements that are rare (the municipality
 * import) ask for a savepoint. Call with the mutex held. */
static gboolean
write_begin (BuurtenStore  *self,
             gboolean       savepoint,
             GError       **error)
{
  if (self->depth > 0)
    {
      if (self->doomed)
        {
          g_set_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_IO,
                       "an earlier write in this transaction failed or was rolled back; "
                       "roll the transaction back");
          return FALSE;
        }
      return !savepoint || exec_cached (self, "SAVEPOINT buurten_write", error);
    }
  return exec_cached (self, "BEGIN IMMEDIATE", error);
}

/* wrote: whether a statement of this write had already changed something
 * when it failed (only looked at when !ok). */
static gboolean
write_end (BuurtenStore  *self,
           gboolean       savepoint,
           gboolean       ok,
           gboolean       wrote,
           GError       **error)
{
  if (self->depth > 0)
    {
      if (savepoint)
        {
          if (ok && exec_cached (self, "RELEASE buurten_write", error))
            return TRUE;
          exec_cached (self, "ROLLBACK TO buurten_write", NULL);
          exec_cached (self, "RELEASE buurten_write", NULL);
          return FALSE;
        }
      /* Half written, or SQLite rolled the whole transaction back itself
       * (it does so on some I/O errors): the batch cannot be committed. */
      if (!ok && (wrote || sqlite3_get_autocommit (self->db)))
        self->doomed = TRUE;
      return ok;
    }

  if (ok && exec_cached (self, "COMMIT", error))
    return TRUE;
  if (!sqlite3_get_autocommit (self->db))
    exec_cached (self, "ROLLBACK", NULL);
  return FALSE;
}

/* Several statements that read belong in one read transaction: each
 * statement on its own would take and drop WAL read locks (system calls
 * every time) and could see a different snapshot. Returns whether a
 * transaction was opened, for read_end(). */
static gboolean
read_begin (BuurtenStore *self)
{
  if (self->depth > 0 || !sqlite3_get_autocommit (self->db))
    return FALSE;
  return exec_cached (self, "BEGIN DEFERRED", NULL);
}

static void
read_end (BuurtenStore *self,
          gboolean      opened)
{
  if (opened && !sqlite3_get_autocommit (self->db))
    exec_cached (self, "COMMIT", NULL);
}

/* ---- entity rows ---------------------------------------------------- */

static const BuurtenField *
info_key_field (const BuurtenEntityInfo *info)
{
  for (guint i = 0; i < info->n_fields; i++)
    if (info->fields[i].flags & BUURTEN_FIELD_KEY)
      return &info->fields[i];
  for (guint i = 0; i < info->n_fields; i++)
    if (g_str_equal (info->fields[i].name, "id"))
      return &info->fields[i];
  return NULL;
}

static const BuurtenField *
info_field (const BuurtenEntityInfo *info,
            const char              *name)
{
  for (guint i = 0; i < info->n_fields; i++)
    if (g_str_equal (info->fields[i].name, name))
      return &info->fields[i];
  return NULL;
}

/* Identifiers come only from the static entity tables; they are quoted
 * anyway so that a field called "action" or "user" stays a name. */
static void
append_columns (GString                 *sql,
                const BuurtenEntityInfo *info,
                const char              *prefix)
{
  for (guint i = 0; i < info->n_fields; i++)
    g_string_append_printf (sql, "%s%s\"%s\"", i > 0 ? ", " : "",
                            prefix, info->fields[i].name);
}

static char *
sql_select (const BuurtenEntityInfo *info,
            const char              *where)
{
  GString *sql = g_string_new ("SELECT ");

  append_columns (sql, info, "");
  g_string_append_printf (sql, " FROM \"%s\"", info->name);
  if (where != NULL)
    g_string_append_printf (sql, " %s", where);
  return g_string_free (sql, FALSE);
}

/* What the store needs to know about one entity table, worked out once
 * per connection: the statements that read and write it (borrowed from
 * self->statements), where its text goes in the search index and which
 * sum it feeds. */
typedef enum
{
  ENTITY_SELECT,  /* every field, then fts_row when indexed; WHERE key = ?1 */
  ENTITY_INSERT,  /* every field as ?1 … ?n, in field order */
  ENTITY_UPDATE,  /* the other fields and WHERE key, same numbers: binds like INSERT */
  ENTITY_DELETE,  /* WHERE key = ?1 */
  ENTITY_N_STATEMENTS
} EntityStatement;

typedef struct
{
  const BuurtenEntityInfo *info;
  const BuurtenField      *key;
  char                    *put_action;     /* "request.put" */
  char                    *delete_action;  /* "request.delete" */
  /* -1 when the type is not in the search index; else its rows there
   * have rowid fts_row * 2 + search_parity. */
  int                      search_parity;
  const BuurtenField      *search_wijk;
  const BuurtenField      *search_title;
  const BuurtenField      *search_body;
  /* payment: the commitment whose paid_cents sums the amount. */
  const BuurtenField      *paid_parent;
  const BuurtenField      *paid_amount;
  sqlite3_stmt            *statements[ENTITY_N_STATEMENTS];
} EntityTable;

/* The types in the search index, with their fts_row column. */
static const struct
{
  const char *type;
  int         parity;
} search_types[] = {
  { "request", 0 },
  { "initiative", 1 },
};

static void
entity_table_free (EntityTable *table)
{
  g_free (table->put_action);
  g_free (table->delete_action);
  g_free (table);
}

/* Call with the mutex held. */
static EntityTable *
entity_table (BuurtenStore            *self,
              const BuurtenEntityInfo *info)
{
  EntityTable *table = g_hash_table_lookup (self->tables, info);

  if (table != NULL)
    return table;

  table = g_new0 (EntityTable, 1);
  table->info = info;
  table->key = info_key_field (info);
  table->put_action = g_strconcat (info->name, ".put", NULL);
  table->delete_action = g_strconcat (info->name, ".delete", NULL);
  table->search_parity = -1;
  for (guint i = 0; i < G_N_ELEMENTS (search_types); i++)
    if (g_str_equal (info->name, search_types[i].type))
      {
        table->search_parity = search_types[i].parity;
        table->search_wijk = info_field (info, "wijk");
        table->search_title = info_field (info, "title");
        table->search_body = info_field (info, "description");
        g_assert (table->search_wijk != NULL && table->search_title != NULL &&
                  table->search_body != NULL);
      }
  if (g_str_equal (info->name, "payment"))
    {
      table->paid_parent = info_field (info, "commitment_id");
      table->paid_amount = info_field (info, "amount_cents");
      g_assert (table->paid_parent != NULL && table->paid_amount != NULL);
    }
  g_hash_table_insert (self->tables, (gpointer) info, table);
  return table;
}

static char *
entity_sql (const EntityTable *table,
            EntityStatement    which)
{
  const BuurtenEntityInfo *info = table->info;
  GString *sql = g_string_new (NULL);
  gboolean first = TRUE;

  switch (which)
    {
    case ENTITY_SELECT:
      g_string_append (sql, "SELECT ");
      append_columns (sql, info, "");
      if (table->search_parity >= 0)
        g_string_append (sql, ", fts_row");
      g_string_append_printf (sql, " FROM \"%s\" WHERE \"%s\" = ?1", info->name,
                              table->key->name);
      break;

    case ENTITY_INSERT:
      g_string_append_printf (sql, "INSERT INTO \"%s\" (", info->name);
      append_columns (sql, info, "");
      g_string_append (sql, ") VALUES (");
      for (guint i = 0; i < info->n_fields; i++)
        g_string_append_printf (sql, "%s?%u", i > 0 ? ", " : "", i + 1);
      g_string_append (sql, ")");
      break;

    case ENTITY_UPDATE:
      /* An UPDATE of the row, never INSERT OR REPLACE: REPLACE deletes the
       * old row first, which would fire ON DELETE CASCADE on its children. */
      g_string_append_printf (sql, "UPDATE \"%s\" SET ", info->name);
      for (guint i = 0; i < info->n_fields; i++)
        {
          if (&info->fields[i] == table->key)
            continue;
          g_string_append_printf (sql, "%s\"%s\" = ?%u", first ? "" : ", ",
                                  info->fields[i].name, i + 1);
          first = FALSE;
        }
      g_string_append_printf (sql, " WHERE \"%s\" = ?%u", table->key->name,
                              (guint) (table->key - info->fields) + 1);
      break;

    case ENTITY_DELETE:
      g_string_append_printf (sql, "DELETE FROM \"%s\" WHERE \"%s\" = ?1", info->name,
                              table->key->name);
      break;

    case ENTITY_N_STATEMENTS:
    default:
      g_assert_not_reached ();
    }
  return g_string_free (sql, FALSE);
}

/* Prepared once per connection; the caller resets it (BuurtenCachedStmt). */
static BuurtenCachedStmt *
entity_statement (BuurtenStore     *self,
                  EntityTable      *table,
                  EntityStatement   which,
                  GError          **error)
{
  if (table->statements[which] == NULL)
    {
      g_autofree char *sql = entity_sql (table, which);

      table->statements[which] = prepare (self, sql, error);
    }
  return table->statements[which];
}

static void
format_date (const GDate *date,
             char         buf[16])
{
  g_snprintf (buf, 16, "%04u-%02u-%02u",
              (guint) g_date_get_year (date),
              (guint) g_date_get_month (date),
              (guint) g_date_get_day (date));
}

static gboolean
parse_date (const char *text,
            GDate      *out)
{
  guint y, m, d;

  g_date_clear (out, 1);
  if (text == NULL || strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
      return FALSE;
  y = (guint) g_ascii_strtoull (text, NULL, 10);
  m = (guint) g_ascii_strtoull (text + 5, NULL, 10);
  d = (guint) g_ascii_strtoull (text + 8, NULL, 10);
  if (!g_date_valid_dmy (d, m, y))
    return FALSE;
  g_date_set_dmy (out, d, m, y);
  return TRUE;
}

static const char *
enum_id (const BuurtenField *field,
         int                 value)
{
  if (field->enum_ids == NULL || value < 0)
    return NULL;
  for (int i = 0; field->enum_ids[i] != NULL; i++)
    if (i == value)
      return field->enum_ids[i];
  return NULL;
}

static void
bind_field (sqlite3_stmt       *stmt,
            int                 index,
            const BuurtenField *field,
            gconstpointer       entity)
{
  switch (field->kind)
    {
    case BUURTEN_FIELD_STRING:
    case BUURTEN_FIELD_UUID:
      {
        const char *s = G_STRUCT_MEMBER (const char *, entity, field->offset);

        if (s != NULL)
          sqlite3_bind_text (stmt, index, s, -1, SQLITE_STATIC);
        else
          sqlite3_bind_null (stmt, index);
      }
      break;

    case BUURTEN_FIELD_INT:
    case BUURTEN_FIELD_MONEY:
    case BUURTEN_FIELD_TIMESTAMP:
      sqlite3_bind_int64 (stmt, index, G_STRUCT_MEMBER (gint64, entity, field->offset));
      break;

    case BUURTEN_FIELD_BOOL:
      sqlite3_bind_int (stmt, index, G_STRUCT_MEMBER (gboolean, entity, field->offset) ? 1 : 0);
      break;

    case BUURTEN_FIELD_DATE:
      {
        const GDate *date = &G_STRUCT_MEMBER (GDate, entity, field->offset);
        char buf[16];

        if (g_date_valid (date))
          {
            format_date (date, buf);
            sqlite3_bind_text (stmt, index, buf, -1, SQLITE_TRANSIENT);
          }
        else
          sqlite3_bind_null (stmt, index);
      }
      break;

    case BUURTEN_FIELD_ENUM:
      {
        const char *id = enum_id (field, G_STRUCT_MEMBER (int, entity, field->offset));

        if (id != NULL)
          sqlite3_bind_text (stmt, index, id, -1, SQLITE_STATIC);
        else
          sqlite3_bind_null (stmt, index);
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
bind_entity (sqlite3_stmt            *stmt,
             const BuurtenEntityInfo *info,
             gconstpointer            entity)
{
  for (guint i = 0; i < info->n_fields; i++)
    bind_field (stmt, i + 1, &info->fields[i], entity);
}

/* Fills entity from the columns of the current row, in field order. With
 * borrow, strings point into SQLite's memory (valid until the next step)
 * and nothing must be freed: the ledger reads thousands of rows that way
 * without copying them. */
static gboolean
read_entity (const BuurtenEntityInfo  *info,
             sqlite3_stmt             *stmt,
             gpointer                  entity,
             gboolean                  borrow,
             GError                  **error)
{
  for (guint i = 0; i < info->n_fields; i++)
    {
      const BuurtenField *field = &info->fields[i];
      int col = (int) i;
      gboolean is_null = sqlite3_column_type (stmt, col) == SQLITE_NULL;

      switch (field->kind)
        {
        case BUURTEN_FIELD_STRING:
        case BUURTEN_FIELD_UUID:
          {
            char **member = &G_STRUCT_MEMBER (char *, entity, field->offset);
            const char *text = (const char *) sqlite3_column_text (stmt, col);

            if (borrow)
              *member = (char *) text;
            else
              {
                g_free (*member);
                *member = is_null ? NULL : g_strdup (text);
              }
          }
          break;

        case BUURTEN_FIELD_INT:
        case BUURTEN_FIELD_MONEY:
        case BUURTEN_FIELD_TIMESTAMP:
          G_STRUCT_MEMBER (gint64, entity, field->offset) = sqlite3_column_int64 (stmt, col);
          break;

        case BUURTEN_FIELD_BOOL:
          G_STRUCT_MEMBER (gboolean, entity, field->offset) =
            sqlite3_column_int64 (stmt, col) != 0;
          break;

        case BUURTEN_FIELD_DATE:
          {
            GDate *date = &G_STRUCT_MEMBER (GDate, entity, field->offset);

            if (is_null)
              g_date_clear (date, 1);
            else if (!parse_date ((const char *) sqlite3_column_text (stmt, col), date))
              {
                g_set_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_CORRUPT,
                             "%s.%s: not a date in the store", info->name, field->name);
                return FALSE;
              }
          }
          break;

        case BUURTEN_FIELD_ENUM:
          {
            const char *text = (const char *) sqlite3_column_text (stmt, col);
            int value = 0;

            if (!is_null)
              value = buurten_enum_from_id (field->enum_ids, text);
            if (value < 0)
              {
                g_set_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_CORRUPT,
                             "%s.%s: unknown value in the store", info->name, field->name);
                return FALSE;
              }
            G_STRUCT_MEMBER (int, entity, field->offset) = value;
          }
          break;

        default:
          g_assert_not_reached ();
        }
    }
  return TRUE;
}

static gboolean
field_equal (const BuurtenField *field,
             gconstpointer       a,
             gconstpointer       b)
{
  switch (field->kind)
    {
    case BUURTEN_FIELD_STRING:
    case BUURTEN_FIELD_UUID:
      return g_strcmp0 (G_STRUCT_MEMBER (const char *, a, field->offset),
                        G_STRUCT_MEMBER (const char *, b, field->offset)) == 0;
    case BUURTEN_FIELD_INT:
    case BUURTEN_FIELD_MONEY:
    case BUURTEN_FIELD_TIMESTAMP:
      return G_STRUCT_MEMBER (gint64, a, field->offset) ==
             G_STRUCT_MEMBER (gint64, b, field->offset);
    case BUURTEN_FIELD_BOOL:
      return !G_STRUCT_MEMBER (gboolean, a, field->offset) ==
             !G_STRUCT_MEMBER (gboolean, b, field->offset);
    case BUURTEN_FIELD_ENUM:
      return G_STRUCT_MEMBER (int, a, field->offset) ==
             G_STRUCT_MEMBER (int, b, field->offset);
    case BUURTEN_FIELD_DATE:
      {
        const GDate *da = &G_STRUCT_MEMBER (GDate, a, field->offset);
        const GDate *db = &G_STRUCT_MEMBER (GDate, b, field->offset);

        if (!g_date_valid (da) || !g_date_valid (db))
          return g_date_valid (da) == g_date_valid (db);
        return g_date_compare (da, db) == 0;
      }
    default:
      g_assert_not_reached ();
    }
}

/* Reads one entity by key; *out is NULL when there is none. */
static gboolean
fetch_entity (BuurtenStore             *self,
              EntityTable              *table,
              const char               *id,
              gpointer                 *out,
              GError                  **error)
{
  g_autoptr(BuurtenCachedStmt) stmt = entity_statement (self, table, ENTITY_SELECT, error);
  gpointer entity;
  int rc;

  *out = NULL;
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc != SQLITE_ROW)
    {
      set_db_error (self, error, rc, table->info->name);
      return FALSE;
    }

  entity = buurten_entity_new (table->info);
  if (!read_entity (table->info, stmt, entity, FALSE, error))
    {
      buurten_entity_free (table->info, entity);
      return FALSE;
    }
  *out = entity;
  return TRUE;
}

/* The names of the fields that differ: the audit trail says what changed,
 * never to what, so it holds no personal data. */
static char *
changed_fields (const BuurtenEntityInfo *info,
                gconstpointer            before,
                gconstpointer            after,
                gboolean                *out_changed)
{
  GString *summary = g_string_new (NULL);

  for (guint i = 0; i < info->n_fields; i++)
    if (!field_equal (&info->fields[i], before, after))
      g_string_append_printf (summary, "%s%s", summary->len > 0 ? ", " : "changed: ",
                              info->fields[i].name);
  *out_changed = summary->len > 0;
  if (summary->len == 0)
    g_string_append (summary, "unchanged");
  return g_string_free (summary, FALSE);
}

static gboolean
insert_audit (BuurtenStore  *self,
              const char    *actor,
              const char    *action,
              const char    *object_type,
              const char    *object_id,
              const char    *summary,
              GError       **error)
{
  g_autoptr(BuurtenCachedStmt) stmt =
    prepare (self,
             "INSERT INTO audit (at, actor, \"action\", object_type, object_id, summary) "
             "VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now_seconds ());
  sqlite3_bind_text (stmt, 2, actor, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, action, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, object_type, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, object_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, summary, -1, SQLITE_STATIC);
  return step_done (self, stmt, "audit", error);
}

static gboolean
insert_outbox (BuurtenStore            *self,
               const char              *mutation,
               JsonNode                *args,
               const BuurtenEntityInfo *info,
               gconstpointer            entity,
               GError                 **error)
{
  g_autoptr(BuurtenCachedStmt) stmt =
    prepare (self, "INSERT INTO outbox (name, args_json, created_at, object_id) "
             "VALUES (?1, ?2, ?3, ?4)", error);
  g_autofree char *json = NULL;
  const char *object_id = NULL;

  if (stmt == NULL)
    return FALSE;

  if (args != NULL)
    json = buurten_json_to_string (args);
  else if (info != NULL)
    {
      /* Without explicit args the entity itself goes to the server,
       * personal fields included: the server needs them to create it. */
      g_autoptr(JsonNode) node = buurten_entity_to_json (info, entity, TRUE);

      json = buurten_json_to_string (node);
    }
  else
    json = g_strdup ("{}");

  /* The object a mutation is about is its "id" (design.md: every
   * mutation names its object so). */
  if (args != NULL && JSON_NODE_HOLDS_OBJECT (args))
    {
      JsonNode *id = json_object_get_member (json_node_get_object (args), "id");

      if (id != NULL && JSON_NODE_HOLDS_VALUE (id) &&
          json_node_get_value_type (id) == G_TYPE_STRING)
        object_id = json_node_get_string (id);
    }
  else if (info != NULL && entity != NULL)
    {
      const BuurtenField *key = info_key_field (info);

      if (key != NULL)
        object_id = G_STRUCT_MEMBER (const char *, entity, key->offset);
    }

  sqlite3_bind_text (stmt, 1, mutation, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, json, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, now_seconds ());
  sqlite3_bind_text (stmt, 4, object_id, -1, SQLITE_STATIC);
  return step_done (self, stmt, "outbox", error);
}

/* ---- opening -------------------------------------------------------- */

static guint32
read_be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static gboolean
newer_schema_error (int      version,
                    GError **error)
{
  g_set_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_NEWER_SCHEMA,
               _("This database was written by a newer version of Buurten "
                 "(schema %d; this version reads up to %d). Update Buurten to open it."),
               version, BUURTEN_STORE_SCHEMA_VERSION);
  return FALSE;
}

static gboolean
wal_has_frames (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  GStatBuf st;

  /* 32 bytes of WAL header, then frames. */
  return g_stat (wal, &st) == 0 && st.st_size > 32;
}

/* Looks at an existing file before SQLite does anything with it: SQLite
 * would happily turn an empty-looking or foreign file into a database on
 * the first write (even PRAGMA journal_mode=WAL writes the header). A
 * file that is not ours, or is cut short, is refused and left as it is;
 * so is one written by a newer schema. */
static gboolean
check_existing_file (const char  *path,
                     gboolean    *out_exists,
                     GError     **error)
{
  static const char magic[16] = "SQLite format 3";
  guint8 header[100];
  GStatBuf st;
  int fd;
  gssize n;
  guint32 page_size, page_count, user_version;

  *out_exists = FALSE;
  if (g_stat (path, &st) != 0)
    {
      if (errno == ENOENT)
        return TRUE;
      g_set_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_OPEN,
                   _("Cannot open the database “%s”: %s"), path, g_strerror (errno));
      return FALSE;
    }
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_OPEN,
                   _("Cannot open the database “%s”: %s"), path, _("not a regular file"));
      return FALSE;
    }
  *out_exists = TRUE;
  if (st.st_size == 0)
    return TRUE;

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      g_set_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_OPEN,
                   _("Cannot open the database “%s”: %s"), path, g_strerror (errno));
      return FALSE;
    }
  do
    n = read (fd, header, sizeof header);
  while (n < 0 && errno == EINTR);
  g_close (fd, NULL);

  if (n != (gssize) sizeof header || memcmp (header, magic, sizeof magic) != 0)
    {
      set_corrupt_error (path, error);
      return FALSE;
    }

  /* Offsets from https://www.sqlite.org/fileformat.html#the_database_header. */
  page_size = ((guint32) header[16] << 8) | header[17];
  if (page_size == 1)
    page_size = 65536;
  if (page_size < 512 || page_size > 65536 || (page_size & (page_size - 1)) != 0)
    {
      set_corrupt_error (path, error);
      return FALSE;
    }
  /* The in-header size is valid when the change counter matches
   * version-valid-for; then the file must hold that many pages. Not while
   * a WAL has frames: a checkpoint cut short by a crash may have written
   * the new first page but not yet the last ones, and SQLite finishes it
   * from the WAL. */
  page_count = read_be32 (header + 28);
  if (read_be32 (header + 24) == read_be32 (header + 92) &&
      !wal_has_frames (path) &&
      (guint64) st.st_size < (guint64) page_count * page_size)
    {
      set_corrupt_error (path, error);
      return FALSE;
    }

  user_version = read_be32 (header + 60);
  if (user_version > BUURTEN_STORE_SCHEMA_VERSION)
    return newer_schema_error ((int) MIN (user_version, G_MAXINT), error);
  return TRUE;
}

static gboolean
create_file (const char  *path,
             GError     **error)
{
  int fd = g_open (path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

  if (fd < 0 && errno != EEXIST)
    {
      g_set_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_OPEN,
                   _("Cannot create the database “%s”: %s"), path, g_strerror (errno));
      return FALSE;
    }
  if (fd >= 0)
    {
      /* The umask may only remove bits; make sure of the rest. */
      if (fchmod (fd, 0600) != 0)
        g_debug ("fchmod %s: %s", path, g_strerror (errno));
      g_close (fd, NULL);
    }
  return TRUE;
}

/* Residents' data: nobody but the user may read the file or its WAL.
 * SQLite gives -wal and -shm the mode of the database file, but an older
 * file may have been created more openly. */
static void
restrict_modes (const char *path)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      GStatBuf st;

      if (g_stat (file, &st) == 0 && (st.st_mode & 0077) != 0 &&
          g_chmod (file, 0600) != 0)
        g_debug ("chmod %s: %s", file, g_strerror (errno));
    }
}

static int
query_int (BuurtenStore  *self,
           const char    *sql,
           int           *out,
           GError       **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          *out = sqlite3_column_int (stmt, 0);
          rc = SQLITE_OK;
        }
      else if (rc == SQLITE_DONE)
        {
          *out = 0;
          rc = SQLITE_OK;
        }
    }
  if (rc != SQLITE_OK)
    set_db_error (self, error, rc, sql);
  sqlite3_finalize (stmt);
  return rc;
}

static gboolean
migrate (BuurtenStore  *self,
         GError       **error)
{
  for (int target = 1; target <= BUURTEN_STORE_SCHEMA_VERSION; target++)
    {
      g_autofree char *set_version = NULL;
      int current = 0;

      if (!exec_cached (self, "BEGIN IMMEDIATE", error))
        return FALSE;

      /* Read again inside the write lock: another connection may have
       * migrated the file since we looked. */
      if (query_int (self, "PRAGMA user_version", &current, error) != SQLITE_OK)
        goto fail;
      if (current > BUURTEN_STORE_SCHEMA_VERSION)
        {
          newer_schema_error (current, error);
          goto fail;
        }
      if (current >= target)
        {
          if (!exec_cached (self, "COMMIT", error))
            goto fail;
          continue;
        }

      /* The version is our own integer, never user input. */
      set_version = g_strdup_printf ("PRAGMA user_version = %d", target);
      if (!exec_script (self, migrations[target - 1], error) ||
          !exec_script (self, set_version, error) ||
          !exec_cached (self, "COMMIT", error))
        goto fail;
      continue;

    fail:
      if (!sqlite3_get_autocommit (self->db))
        exec_script (self, "ROLLBACK", NULL);
      return FALSE;
    }

  self->schema_version = BUURTEN_STORE_SCHEMA_VERSION;
  return TRUE;
}

/* Development builds before schema 1 was released kept the search index
 * and commitment.paid_cents with triggers; the store now does both itself
 * (see schema_v1), so with those triggers still in a file every row would
 * be indexed and every payment summed twice. They are dropped from such a
 * file; nothing else about it differs. Remove this once no development
 * database of that time can be left (it never shipped). */
static gboolean
drop_prerelease_triggers (BuurtenStore  *self,
                          GError       **error)
{
  static const char * const names[] = {
    "request_search_insert", "request_search_update", "request_search_delete",
    "initiative_search_insert", "initiative_search_update", "initiative_search_delete",
    "payment_paid_insert", "payment_paid_update", "payment_paid_delete",
  };
  int n = 0;

  if (query_int (self, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'", &n,
                 error) != SQLITE_OK)
    return FALSE;
  if (n == 0)
    return TRUE;

  if (!exec_cached (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      /* The names are our own literals, never input. */
      g_autofree char *sql = g_strdup_printf ("DROP TRIGGER IF EXISTS %s", names[i]);

      if (!exec_script (self, sql, error))
        {
          exec_script (self, "ROLLBACK", NULL);
          return FALSE;
        }
    }
  return exec_cached (self, "COMMIT", error);
}

static gboolean
configure_connection (BuurtenStore  *self,
                      GError       **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  /* Switching to WAL needs a moment alone with the file; another
   * connection opening it at the same time makes that busy. */
  for (guint attempt = 0; attempt < 50; attempt++)
    {
      rc = sqlite3_prepare_v2 (self->db, "PRAGMA journal_mode = WAL", -1, &stmt, NULL);
      if (rc == SQLITE_OK)
        {
          rc = sqlite3_step (stmt);
          if (rc == SQLITE_ROW)
            {
              const char *mode = (const char *) sqlite3_column_text (stmt, 0);

              if (g_ascii_strcasecmp (mode, "wal") != 0)
                g_debug ("%s: journal mode is %s, not wal", self->path, mode);
              rc = SQLITE_OK;
            }
        }
      sqlite3_finalize (stmt);
      stmt = NULL;
      if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED)
        break;
      g_usleep (100 * 1000);
    }
  if (rc != SQLITE_OK)
    {
      set_db_error (self, error, rc, "journal_mode");
      return FALSE;
    }

  /* synchronous=FULL: an outbox row that was committed must survive a
   * power cut, or a local edit is lost without anybody knowing. */
  return exec_script (self,
                      "PRAGMA foreign_keys = ON;"
                      "PRAGMA synchronous = FULL;"
                      "PRAGMA temp_store = MEMORY;"
                      /* A year of a city fits; budget and search queries
                       * then read memory, not the file, every time. */
                      "PRAGMA cache_size = -32768;"
                      "PRAGMA mmap_size = 268435456;",
                      error);
}

static gboolean
store_open (BuurtenStore  *self,
            GError       **error)
{
  g_autofree char *dir = g_path_get_dirname (self->path);
  gboolean exists = FALSE;
  int version = 0;
  int rc;

  if (!g_file_test (dir, G_FILE_TEST_IS_DIR) && g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_set_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_OPEN,
                   _("Cannot create the folder “%s”: %s"), dir, g_strerror (errno));
      return FALSE;
    }

  if (!check_existing_file (self->path, &exists, error))
    return FALSE;
  if (!exists && !create_file (self->path, error))
    return FALSE;

  rc = sqlite3_open_v2 (self->path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_OPEN,
                   _("Cannot open the database “%s”: %s"), self->path,
                   self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return FALSE;
    }
  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);

  /* Until we know the file is ours and not newer, closing must not
   * checkpoint a WAL left behind into it. */
  sqlite3_db_config (self->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);

  /* The header said nothing against it; now ask SQLite, which also sees a
   * WAL that was not checkpointed, and make it read the schema so that a
   * damaged first page shows here rather than on the first write. */
  rc = query_int (self, "PRAGMA user_version", &version, error);
  if (rc == SQLITE_OK)
    {
      int n_objects = 0;

      rc = query_int (self, "SELECT count(*) FROM sqlite_schema", &n_objects, error);
    }
  if (rc != SQLITE_OK)
    {
      if (error_code_for (rc) == BUURTEN_STORE_ERROR_CORRUPT)
        {
          g_clear_error (error);
          set_corrupt_error (self->path, error);
        }
      return FALSE;
    }
  if (version > BUURTEN_STORE_SCHEMA_VERSION)
    return newer_schema_error (version, error);

  sqlite3_db_config (self->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0, NULL);

  if (!configure_connection (self, error) || !migrate (self, error) ||
      !drop_prerelease_triggers (self, error))
    return FALSE;

  restrict_modes (self->path);
  return TRUE;
}

/* ---- GObject -------------------------------------------------------- */

static void
buurten_store_finalize (GObject *object)
{
  BuurtenStore *self = (BuurtenStore *) object;

  if (self->depth > 0)
    {
      g_critical ("BuurtenStore finalized inside a transaction; rolling back");
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      for (; self->depth > 0; self->depth--)
        g_rec_mutex_unlock (&self->mutex);
    }

  /* The tables borrow their statements from self->statements. */
  g_clear_pointer (&self->tables, g_hash_table_unref);
  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->db != NULL)
    {
      int rc = sqlite3_close (self->db);

      if (rc != SQLITE_OK)
        g_critical ("sqlite3_close: %s", sqlite3_errstr (rc));
      self->db = NULL;
    }
  g_free (self->path);
  g_rec_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (buurten_store_parent_class)->finalize (object);
}

static void
buurten_store_class_init (BuurtenStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = buurten_store_finalize;
}

static void
buurten_store_init (BuurtenStore *self)
{
  g_rec_mutex_init (&self->mutex);
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) sqlite3_finalize);
  self->tables = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) entity_table_free);
}

/* ---- public API ----------------------------------------------------- */

char *
buurten_store_default_path (const char *data_dir)
{
  if (data_dir != NULL)
    return g_build_filename (data_dir, "buurten.db", NULL);
  return g_build_filename (g_get_user_data_dir (), "buurten", "buurten.db", NULL);
}

BuurtenStore *
buurten_store_open (const char  *path,
                    GError     **error)
{
  g_autoptr(BuurtenStore) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (BUURTEN_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  if (!store_open (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

const char *
buurten_store_get_path (BuurtenStore *self)
{
  g_return_val_if_fail (BUURTEN_IS_STORE (self), NULL);
  return self->path;
}

int
buurten_store_get_schema_version (BuurtenStore *self)
{
  g_return_val_if_fail (BUURTEN_IS_STORE (self), 0);
  return self->schema_version;
}

/* Back to synchronous=FULL after a transaction of pulled data, before the
 * mutex goes: the next writer may write the outbox. */
static void
restore_synchronous (BuurtenStore *self)
{
  self->outbox_empty = FALSE;
  if (self->relaxed)
    {
      exec_cached (self, "PRAGMA synchronous = FULL", NULL);
      exec_cached (self, "PRAGMA wal_autocheckpoint = 1000", NULL);
      self->relaxed = FALSE;
    }
}

gboolean
buurten_store_begin (BuurtenStore  *self,
                     GError       **error)
{
  g_return_val_if_fail (BUURTEN_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Kept locked until commit or rollback (see the struct). */
  g_rec_mutex_lock (&self->mutex);
  if (self->depth == 0)
    {
      if (!exec_cached (self, "BEGIN IMMEDIATE", error))
        {
          g_rec_mutex_unlock (&self->mutex);
          return FALSE;
        }
      self->doomed = FALSE;
    }
  self->depth++;
  return TRUE;
}

gboolean
buurten_store_begin_pulled (BuurtenStore  *self,
                            GError       **error)
{
  g_return_val_if_fail (BUURTEN_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_rec_mutex_lock (&self->mutex);
  /* A pulled page is the server's: when a power cut loses it, the cursor
   * saved with it is lost too and the page comes again. So no fsync per
   * page; and the WAL is copied into the database every PULL_CHECKPOINT
   * pages instead of every 1 000: each page's transaction rewrites many of
   * the same index pages (random UUIDs), and a first sync of a city would
   * otherwise copy them a hundred times. */
  if (self->depth == 0 &&
      exec_cached (self, "PRAGMA synchronous = NORMAL", NULL))
    {
      self->relaxed = TRUE;
      exec_cached (self, "PRAGMA wal_autocheckpoint = " G_STRINGIFY (PULL_CHECKPOINT), NULL);
    }
  if (!buurten_store_begin (self, error))
    {
      restore_synchronous (self);
      g_rec_mutex_unlock (&self->mutex);
      return FALSE;
    }
  /* The transaction keeps the mutex and the write lock: no outbox row can
   * appear until it ends. An empty outbox (a first sync, usually) spares
   * every pulled row its "is anything pending?" lookup. */
  {
    int has_rows = 1;

    self->outbox_empty = query_int (self, "SELECT EXISTS (SELECT 1 FROM outbox)", &has_rows,
                                    NULL) == SQLITE_OK && has_rows == 0;
  }
  g_rec_mutex_unlock (&self->mutex);
  return TRUE;
}

void
buurten_store_checkpoint (BuurtenStore *self)
{
  g_return_if_fail (BUURTEN_IS_STORE (self));

  g_rec_mutex_lock (&self->mutex);
  if (self->depth == 0)
    sqlite3_wal_checkpoint_v2 (self->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
  g_rec_mutex_unlock (&self->mutex);
}

gboolean
buurten_store_commit (BuurtenStore  *self,
                      GError       **error)
{
  gboolean ok = TRUE;

  g_return_val_if_fail (BUURTEN_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_rec_mutex_lock (&self->mutex);
  if (self->depth == 0)
    {
      g_rec_mutex_unlock (&self->mutex);
      g_return_val_if_reached (FALSE);
    }

  self->depth--;
  if (self->depth == 0)
    {
      if (self->doomed)
        {
          g_set_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_IO,
                       "an inner transaction was rolled back or a write in it failed "
                       "half-way; nothing was committed");
          ok = FALSE;
        }
      else
        ok = exec_cached (self, "COMMIT", error);

      if (!ok && !sqlite3_get_autocommit (self->db))
        exec_cached (self, "ROLLBACK", NULL);
      self->doomed = FALSE;
      restore_synchronous (self);
    }

  g_rec_mutex_unlock (&self->mutex);  /* this call's lock */
  g_rec_mutex_unlock (&self->mutex);  /* the one taken by begin */
  return ok;
}

void
buurten_store_rollback (BuurtenStore *self)
{
  g_return_if_fail (BUURTEN_IS_STORE (self));

  g_rec_mutex_lock (&self->mutex);
  if (self->depth == 0)
    {
      g_rec_mutex_unlock (&self->mutex);
      g_return_if_reached ();
    }

  self->depth--;
  if (self->depth == 0)
    {
      if (!sqlite3_get_autocommit (self->db))
        exec_cached (self, "ROLLBACK", NULL);
      self->doomed = FALSE;
      restore_synchronous (self);
    }
  else
    self->doomed = TRUE;

  g_rec_mutex_unlock (&self->mutex);
  g_rec_mutex_unlock (&self->mutex);
}

/* -- municipality -- */

static const char *
role_id (BuurtenRole role)
{
  if ((int) role < 0 || role >= BUURTEN_N_ROLES)
    return "";
  return buurten_role_ids[role];
}

static gboolean
import_municipality_rows (BuurtenStore         *self,
                          BuurtenMunicipality  *municipality,
                          GError              **error)
{
  static const char * const clear[] = {
    "DELETE FROM mandate_band", "DELETE FROM mandate_table", "DELETE FROM pot",
    "DELETE FROM budget_table", "DELETE FROM wijk", "DELETE FROM cluster",
    "DELETE FROM municipality",
  };
  GBytes *bytes = buurten_municipality_get_bytes (municipality);  /* borrowed */
  GPtrArray *budget_tables = buurten_municipality_get_budget_tables (municipality);
  GPtrArray *mandate_tables = buurten_municipality_get_mandate_tables (municipality);
  GPtrArray *clusters = buurten_municipality_get_clusters (municipality);
  GPtrArray *wijken = buurten_municipality_get_wijken (municipality);

  for (guint i = 0; i < G_N_ELEMENTS (clear); i++)
    if (!exec_cached (self, clear[i], error))
      return FALSE;

  {
    g_autoptr(BuurtenCachedStmt) stmt =
      prepare (self, "INSERT INTO municipality (id, name, json, imported_at) "
               "VALUES (?1, ?2, ?3, ?4)", error);
    gsize len = 0;
    const char *data = bytes != NULL ? g_bytes_get_data (bytes, &len) : NULL;

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, buurten_municipality_get_id (municipality), -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 2, buurten_municipality_get_name (municipality), -1,
                       SQLITE_STATIC);
    sqlite3_bind_text (stmt, 3, data != NULL ? data : "", (int) len, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 4, now_seconds ());
    if (!step_done (self, stmt, "municipality", error))
      return FALSE;
  }

  for (guint i = 0; clusters != NULL && i < clusters->len; i++)
    {
      const BuurtenCluster *cluster = g_ptr_array_index (clusters, i);
      g_autoptr(BuurtenCachedStmt) stmt =
        prepare (self, "INSERT INTO cluster (id, name) VALUES (?1, ?2)", error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, cluster->id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, cluster->name, -1, SQLITE_STATIC);
      if (!step_done (self, stmt, "cluster", error))
        return FALSE;
    }

  for (guint i = 0; wijken != NULL && i < wijken->len; i++)
    {
      const BuurtenWijk *wijk = g_ptr_array_index (wijken, i);
      g_autoptr(BuurtenCachedStmt) stmt =
        prepare (self, "INSERT INTO wijk (id, name, cluster) VALUES (?1, ?2, ?3)", error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, wijk->id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, wijk->name, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, wijk->cluster, -1, SQLITE_STATIC);
      if (!step_done (self, stmt, "wijk", error))
        return FALSE;
    }

  for (guint i = 0; i < budget_tables->len; i++)
    {
      const BuurtenBudgetTable *table = g_ptr_array_index (budget_tables, i);

      for (guint j = 0; table->wijken != NULL && j < table->wijken->len; j++)
        {
          const BuurtenWijkBudget *row = g_ptr_array_index (table->wijken, j);
          g_autoptr(BuurtenCachedStmt) stmt =
            prepare (self, "INSERT INTO budget_table (valid_from, wijk, subsidy_cents, "
                     "handgeld_cents) VALUES (?1, ?2, ?3, ?4)", error);

          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_int (stmt, 1, table->valid_from);
          sqlite3_bind_text (stmt, 2, row->wijk, -1, SQLITE_STATIC);
          sqlite3_bind_int64 (stmt, 3, row->subsidy_cents);
          sqlite3_bind_int64 (stmt, 4, row->handgeld_cents);
          if (!step_done (self, stmt, "budget_table", error))
            return FALSE;
        }

      for (guint j = 0; table->pots != NULL && j < table->pots->len; j++)
        {
          const BuurtenPot *pot = g_ptr_array_index (table->pots, j);
          g_autoptr(BuurtenCachedStmt) stmt =
            prepare (self, "INSERT INTO pot (valid_from, id, name, budget_cents, hard_cap) "
                     "VALUES (?1, ?2, ?3, ?4, ?5)", error);

          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_int (stmt, 1, table->valid_from);
          sqlite3_bind_text (stmt, 2, pot->id, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 3, pot->name != NULL ? pot->name : pot->id, -1,
                             SQLITE_STATIC);
          sqlite3_bind_int64 (stmt, 4, pot->budget_cents);
          sqlite3_bind_int (stmt, 5, pot->hard_cap ? 1 : 0);
          if (!step_done (self, stmt, "pot", error))
            return FALSE;
        }
    }

  for (guint i = 0; i < mandate_tables->len; i++)
    {
      const BuurtenMandateTable *table = g_ptr_array_index (mandate_tables, i);

      {
        g_autoptr(BuurtenCachedStmt) stmt =
          prepare (self, "INSERT INTO mandate_table (valid_from, over_budget_role) "
                   "VALUES (?1, ?2)", error);

        if (stmt == NULL)
          return FALSE;
        sqlite3_bind_int (stmt, 1, table->valid_from);
        sqlite3_bind_text (stmt, 2, role_id (table->over_budget_role), -1, SQLITE_STATIC);
        if (!step_done (self, stmt, "mandate_table", error))
          return FALSE;
      }

      for (guint j = 0; table->bands != NULL && j < table->bands->len; j++)
        {
          const BuurtenMandateBand *band = g_ptr_array_index (table->bands, j);
          g_autoptr(GString) roles = g_string_new (NULL);
          g_autoptr(BuurtenCachedStmt) stmt =
            prepare (self, "INSERT INTO mandate_band (valid_from, position, funding, "
                     "min_exclusive_cents, max_inclusive_cents, allowed, roles, instrument, "
                     "refusal_code, way_forward) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", error);

          if (stmt == NULL)
            return FALSE;
          for (guint k = 0; band->roles != NULL && k < band->roles->len; k++)
            g_string_append_printf (roles, "%s%s", k > 0 ? "," : "",
                                    role_id (g_array_index (band->roles, BuurtenRole, k)));

          sqlite3_bind_int (stmt, 1, table->valid_from);
          sqlite3_bind_int (stmt, 2, (int) j);
          sqlite3_bind_text (stmt, 3, buurten_funding_ids[band->funding], -1, SQLITE_STATIC);
          sqlite3_bind_int64 (stmt, 4, band->min_exclusive_cents);
          sqlite3_bind_int64 (stmt, 5, band->max_inclusive_cents);
          sqlite3_bind_int (stmt, 6, band->allowed ? 1 : 0);
          sqlite3_bind_text (stmt, 7, roles->str, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 8, band->instrument, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 9, band->refusal_code, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 10, band->way_forward, -1, SQLITE_STATIC);
          if (!step_done (self, stmt, "mandate_band", error))
            return FALSE;
        }
    }

  return TRUE;
}

gboolean
buurten_store_import_municipality (BuurtenStore         *self,
                                   BuurtenMunicipality  *municipality,
                                   GError              **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  gboolean ok;

  g_return_val_if_fail (BUURTEN_IS_STORE (self), FALSE);
  g_return_val_if_fail (BUURTEN_IS_MUNICIPALITY (municipality), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Many statements that depend on each other, and rare: a savepoint. */
  locker = g_rec_mutex_locker_new (&self->mutex);
  if (!write_begin (self, TRUE, error))
    return FALSE;
  ok = import_municipality_rows (self, municipality, error);
  return write_end (self, TRUE, ok, TRUE, ok ? error : NULL);
}

BuurtenMunicipality *
buurten_store_load_municipality (BuurtenStore  *self,
                                 GError       **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(BuurtenCachedStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (BUURTEN_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = g_rec_mutex_locker_new (&self->mutex);
  stmt = prepare (self, "SELECT json FROM municipality ORDER BY imported_at DESC LIMIT 1",
                  error);
  if (stmt == NULL)
    return NULL;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_NOT_FOUND,
                   _("No municipality data has been imported yet."));
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      set_db_error (self, error, rc, "municipality");
      return NULL;
    }
  return buurten_municipality_new_from_data ((const char *) sqlite3_column_text (stmt, 0),
                                             sqlite3_column_bytes (stmt, 0), error);
}

/* -- entities -- */

/* The search index follows the rows of request and initiative. */
static gboolean
search_insert (BuurtenStore  *self,
               EntityTable   *table,
               gint64         fts_row,
               gconstpointer  entity,
               GError       **error)
{
  g_autoptr(BuurtenCachedStmt) stmt =
    prepare (self, "INSERT INTO search (rowid, type, id, wijk, title, body) "
             "VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, fts_row * 2 + table->search_parity);
  sqlite3_bind_text (stmt, 2, table->info->name, -1, SQLITE_STATIC);
  bind_field (stmt, 3, table->key, entity);
  bind_field (stmt, 4, table->search_wijk, entity);
  bind_field (stmt, 5, table->search_title, entity);
  bind_field (stmt, 6, table->search_body, entity);
  return step_done (self, stmt, "search", error);
}

static gboolean
search_delete (BuurtenStore  *self,
               EntityTable   *table,
               gint64         fts_row,
               GError       **error)
{
  g_autoptr(BuurtenCachedStmt) stmt = prepare (self, "DELETE FROM search WHERE rowid = ?1",
                                               error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, fts_row * 2 + table->search_parity);
  return step_done (self, stmt, "search", error);
}

/* commitment.paid_cents follows the payments on it. A payment's
 * commitment exists (a foreign key); one without a commitment counts
 * nowhere. */
static gboolean
add_paid (BuurtenStore  *self,
          const char    *commitment_id,
          gint64         delta,
          GError       **error)
{
  g_autoptr(BuurtenCachedStmt) stmt = NULL;

  if (commitment_id == NULL || delta == 0)
    return TRUE;
  stmt = prepare (self, "UPDATE commitment SET paid_cents = paid_cents + ?2 WHERE id = ?1",
                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, commitment_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, delta);
  return step_done (self, stmt, "paid_cents", error);
}

/* Writes the row (or nothing when it is stored as it is), its search
 * index row, the paid total of a payment's commitment, the audit line and
 * the outbox row. *wrote tells write_end()
 * whether a failure came after something had been written. */
static gboolean
put_locked (BuurtenStore             *self,
            EntityTable              *table,
            gconstpointer             entity,
            const char               *actor,
            const char               *mutation,
            JsonNode                 *args,
            gboolean                  remote,
            gboolean                 *wrote,
            GError                  **error)
{
  const BuurtenEntityInfo *info = table->info;
  const char *id = G_STRUCT_MEMBER (const char *, entity, table->key->offset);
  g_autofree char *summary = NULL;
  g_autofree char *old_parent = NULL;
  gboolean exists, changed = TRUE, search_changed = TRUE, paid_changed = TRUE;
  gint64 fts_row = 0, old_amount = 0;

  /* The stored version, read under the write lock. For a new id this is
   * one index lookup that finds nothing. */
  {
    g_autoptr(BuurtenCachedStmt) select = entity_statement (self, table, ENTITY_SELECT, error);
    int rc;

    if (select == NULL)
      return FALSE;
    sqlite3_bind_text (select, 1, id, -1, SQLITE_STATIC);
    rc = sqlite3_step (select);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
      {
        set_db_error (self, error, rc, info->name);
        return FALSE;
      }
    exists = rc == SQLITE_ROW;
    if (exists)
      {
        /* Strings borrowed from the statement: compared, never kept. */
        g_autofree gpointer before = g_malloc0 (info->size);

        if (!read_entity (info, select, before, TRUE, error))
          return FALSE;
        summary = changed_fields (info, before, entity, &changed);
        if (table->search_parity >= 0)
          {
            fts_row = sqlite3_column_int64 (select, (int) info->n_fields);
            search_changed = !field_equal (table->search_wijk, before, entity) ||
                             !field_equal (table->search_title, before, entity) ||
                             !field_equal (table->search_body, before, entity);
          }
        if (table->paid_parent != NULL)
          {
            old_parent = g_strdup (G_STRUCT_MEMBER (const char *, before,
                                                    table->paid_parent->offset));
            old_amount = G_STRUCT_MEMBER (gint64, before, table->paid_amount->offset);
            paid_changed = !field_equal (table->paid_parent, before, entity) ||
                           !field_equal (table->paid_amount, before, entity);
          }
      }
  }

  /* The entity's own statement comes first: when SQLite refuses it (a
   * foreign key) nothing has been written. */
  if (!exists || changed)
    {
      g_autoptr(BuurtenCachedStmt) stmt =
        entity_statement (self, table, exists ? ENTITY_UPDATE : ENTITY_INSERT, error);

      if (stmt == NULL)
        return FALSE;
      bind_entity (stmt, info, entity);
      if (!step_done (self, stmt, info->name, error))
        return FALSE;
      *wrote = TRUE;

      if (!exists)
        /* fts_row is the INTEGER PRIMARY KEY, so the rowid just given. */
        fts_row = sqlite3_last_insert_rowid (self->db);
      if (table->search_parity >= 0 && search_changed &&
          ((exists && !search_delete (self, table, fts_row, error)) ||
           !search_insert (self, table, fts_row, entity, error)))
        return FALSE;
      if (table->paid_parent != NULL && paid_changed &&
          (!add_paid (self, old_parent, -old_amount, error) ||
           !add_paid (self, G_STRUCT_MEMBER (const char *, entity, table->paid_parent->offset),
                      G_STRUCT_MEMBER (gint64, entity, table->paid_amount->offset), error)))
        return FALSE;
    }

  /* What the server sends is its history, not ours: the local trail notes
   * only that a row we had was changed by a sync, and which fields (a first
   * sync of a city writes no audit rows at all). */
  if (remote)
    {
      if (!exists || !changed)
        return TRUE;
      if (!insert_audit (self, NULL, "sync", info->name, id, summary, error))
        return FALSE;
      *wrote = TRUE;
      return TRUE;
    }

  if (!insert_audit (self, actor, mutation != NULL ? mutation : table->put_action, info->name,
                     id, summary != NULL ? summary : "created", error))
    return FALSE;
  *wrote = TRUE;

  if (mutation != NULL && !insert_outbox (self, mutation, args, info, entity, error))
    return FALSE;

  return TRUE;
}

gboolean
buurten_store_put (BuurtenStore             *self,
                   const BuurtenEntityInfo  *info,
                   gconstpointer             entity,
                   const char               *actor,
                   const char               *mutation,
                   JsonNode                 *args,
                   GError                  **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  gboolean ok, wrote = FALSE;

  g_return_val_if_fail (BUURTEN_IS_STORE (self), FALSE);
  g_return_val_if_fail (info != NULL, FALSE);
  g_return_val_if_fail (info_key_field (info) != NULL, FALSE);
  g_return_val_if_fail (entity != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Before any lock: a bad entity touches nothing. */
  if (!buurten_entity_validate (info, entity, error))
    return FALSE;

  locker = g_rec_mutex_locker_new (&self->mutex);
  if (!write_begin (self, FALSE, error))
    return FALSE;
  ok = put_locked (self, entity_table (self, info), entity, actor, mutation, args, FALSE,
                   &wrote, error);
  return write_end (self, FALSE, ok, wrote, ok ? error : NULL);
}

static gboolean
delete_locked (BuurtenStore  *self,
               EntityTable   *table,
               const char    *id,
               const char    *actor,
               const char    *mutation,
               JsonNode      *args,
               gboolean      *wrote,
               GError       **error)
{
  const BuurtenEntityInfo *info = table->info;
  g_autofree char *old_parent = NULL;
  gint64 fts_row = 0, old_amount = 0;

  /* The row's place in the search index, or the payment's commitment and
   * amount, before the row goes. */
  if (table->search_parity >= 0 || table->paid_parent != NULL)
    {
      g_autoptr(BuurtenCachedStmt) select =
        entity_statement (self, table, ENTITY_SELECT, error);
      int rc;

      if (select == NULL)
        return FALSE;
      sqlite3_bind_text (select, 1, id, -1, SQLITE_STATIC);
      rc = sqlite3_step (select);
      if (rc == SQLITE_ROW && table->search_parity >= 0)
        fts_row = sqlite3_column_int64 (select, (int) info->n_fields);
      if (rc == SQLITE_ROW && table->paid_parent != NULL)
        {
          int parent_col = (int) (table->paid_parent - info->fields);
          int amount_col = (int) (table->paid_amount - info->fields);

          old_parent = g_strdup ((const char *) sqlite3_column_text (select, parent_col));
          old_amount = sqlite3_column_int64 (select, amount_col);
        }
      else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        {
          set_db_error (self, error, rc, info->name);
          return FALSE;
        }
    }

  {
    g_autoptr(BuurtenCachedStmt) stmt = entity_statement (self, table, ENTITY_DELETE, error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
    if (!step_done (self, stmt, info->name, error))
      return FALSE;
  }
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_NOT_FOUND,
                   "%s %s: not found", info->name, id);
      return FALSE;
    }
  *wrote = TRUE;

  if (table->search_parity >= 0 && !search_delete (self, table, fts_row, error))
    return FALSE;
  if (table->paid_parent != NULL && !add_paid (self, old_parent, -old_amount, error))
    return FALSE;
  if (!insert_audit (self, actor, mutation != NULL ? mutation : table->delete_action,
                     info->name, id, "deleted", error))
    return FALSE;

  if (mutation != NULL)
    {
      g_autoptr(JsonNode) id_args = NULL;

      if (args == NULL)
        {
          g_autoptr(JsonBuilder) builder = json_builder_new ();

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "id");
          json_builder_add_string_value (builder, id);
          json_builder_end_object (builder);
          id_args = json_builder_get_root (builder);
        }
      if (!insert_outbox (self, mutation, args != NULL ? args : id_args, NULL, NULL, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
buurten_store_delete (BuurtenStore             *self,
                      const BuurtenEntityInfo  *info,
                      const char               *id,
                      const char               *actor,
                      const char               *mutation,
                      JsonNode                 *args,
                      GError                  **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  gboolean ok, wrote = FALSE;

  g_return_val_if_fail (BUURTEN_IS_STORE (self), FALSE);
  g_return_val_if_fail (info != NULL, FALSE);
  g_return_val_if_fail (info_key_field (info) != NULL, FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  locker = g_rec_mutex_locker_new (&self->mutex);
  if (!write_begin (self, FALSE, error))
    return FALSE;
  ok = delete_locked (self, entity_table (self, info), id, actor, mutation, args, &wrote,
                      error);
  return write_end (self, FALSE, ok, wrote, ok ? error : NULL);
}

gpointer
buurten_store_get (BuurtenStore             *self,
                   const BuurtenEntityInfo  *info,
                   const char               *id,
                   GError                  **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  gpointer entity = NULL;

  g_return_val_if_fail (BUURTEN_IS_STORE (self), NULL);
  g_return_val_if_fail (info != NULL, NULL);
  g_return_val_if_fail (info_key_field (info) != NULL, NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = g_rec_mutex_locker_new (&self->mutex);
  if (!fetch_entity (self, entity_table (self, info), id, &entity, error))
    return NULL;
  if (entity == NULL)
    g_set_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_NOT_FOUND,
                 "%s %s: not found", info->name, id);
  return entity;
}

/* Binds a filter value given as text, converted by the field's kind so
 * that "2024" finds the year 2024 and "true" a set flag. */
static gboolean
bind_filter_value (sqlite3_stmt             *stmt,
                   const BuurtenEntityInfo  *info,
                   const BuurtenField       *field,
                   const char               *value,
                   GError                  **error)
{
  gint64 number;

  switch (field->kind)
    {
    case BUURTEN_FIELD_INT:
    case BUURTEN_FIELD_MONEY:
    case BUURTEN_FIELD_TIMESTAMP:
      if (!g_ascii_string_to_signed (value, 10, G_MININT64, G_MAXINT64, &number, NULL))
        goto invalid;
      sqlite3_bind_int64 (stmt, 1, number);
      return TRUE;

    case BUURTEN_FIELD_BOOL:
      if (g_str_equal (value, "true") || g_str_equal (value, "1"))
        sqlite3_bind_int (stmt, 1, 1);
      else if (g_str_equal (value, "false") || g_str_equal (value, "0"))
        sqlite3_bind_int (stmt, 1, 0);
      else
        goto invalid;
      return TRUE;

    case BUURTEN_FIELD_ENUM:
      if (buurten_enum_from_id (field->enum_ids, value) < 0)
        goto invalid;
      sqlite3_bind_text (stmt, 1, value, -1, SQLITE_STATIC);
      return TRUE;

    case BUURTEN_FIELD_STRING:
    case BUURTEN_FIELD_UUID:
    case BUURTEN_FIELD_DATE:
      sqlite3_bind_text (stmt, 1, value, -1, SQLITE_STATIC);
      return TRUE;

    default:
      g_assert_not_reached ();
    }

invalid:
  g_set_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID,
               "%s.%s: “%s” is not a valid value", info->name, field->name, value);
  return FALSE;
}

GPtrArray *
buurten_store_list (BuurtenStore             *self,
                    const BuurtenEntityInfo  *info,
                    const char               *field_name,
                    const char               *value,
                    GError                  **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(BuurtenCachedStmt) stmt = NULL;
  g_autoptr(GPtrArray) result = NULL;
  g_autofree char *where = NULL;
  g_autofree char *sql = NULL;
  const BuurtenField *field = NULL;
  int rc;

  g_return_val_if_fail (BUURTEN_IS_STORE (self), NULL);
  g_return_val_if_fail (info != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (field_name != NULL)
    {
      /* Only names from the table reach the SQL text. */
      field = info_field (info, field_name);
      if (field == NULL)
        {
          g_set_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID,
                       "%s has no field “%s”", info->name, field_name);
          return NULL;
        }
      if (value != NULL)
        where = g_strdup_printf ("WHERE \"%s\" = ?1 ORDER BY rowid", field->name);
      else
        where = g_strdup_printf ("WHERE \"%s\" IS NULL ORDER BY rowid", field->name);
    }
  else
    where = g_strdup ("ORDER BY rowid");
  sql = sql_select (info, where);

  locker = g_rec_mutex_locker_new (&self->mutex);
  stmt = prepare (self, sql, error);
  if (stmt == NULL)
    return NULL;
  if (field != NULL && value != NULL &&
      !bind_filter_value (stmt, info, field, value, error))
    return NULL;

  result = g_ptr_array_new ();
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gpointer entity = buurten_entity_new (info);

      if (!read_entity (info, stmt, entity, FALSE, error))
        {
          buurten_entity_free (info, entity);
          goto fail;
        }
      g_ptr_array_add (result, entity);
    }
  if (rc != SQLITE_DONE)
    {
      set_db_error (self, error, rc, info->name);
      goto fail;
    }
  return g_steal_pointer (&result);

fail:
  for (guint i = 0; i < result->len; i++)
    buurten_entity_free (info, g_ptr_array_index (result, i));
  return NULL;
}

gint64
buurten_store_count (BuurtenStore             *self,
                     const BuurtenEntityInfo  *info,
                     GError                  **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(BuurtenCachedStmt) stmt = NULL;
  g_autofree char *sql = NULL;
  int rc;

  g_return_val_if_fail (BUURTEN_IS_STORE (self), -1);
  g_return_val_if_fail (info != NULL, -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  /* The table name comes from the static entity tables, never from input;
   * identifiers cannot be bound, values always are. */
  sql = g_strdup_printf ("SELECT count(*) FROM \"%s\"", info->name);
  locker = g_rec_mutex_locker_new (&self->mutex);
  stmt = prepare (self, sql, error);
  if (stmt == NULL)
    return -1;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      set_db_error (self, error, rc, info->name);
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}

/* -- search -- */

/* Search runs in two steps, because FTS5's own ORDER BY rank computes
 * bm25 for every matching row and, before that, walks the full list of
 * every word to count its documents: with 100 000 requests a common word
 * costs tens of milliseconds. Instead:
 *
 * 1. one pass over the index, newest first, takes the scores of at most
 *    SEARCH_CANDIDATES matches (the index walk stops there), and the best
 *    `limit` of those are chosen here;
 * 2. only those rows are read, by rowid, and their snippet is made here.
 *
 * Words that say nothing ("de", "het") are dropped when the query has
 * other words: bm25 gives them almost no weight anyway, and their lists
 * are the longest to walk. */

typedef struct
{
  GPtrArray *folded;   /* the query words, case and accents folded */
  GArray    *prefix;   /* gboolean per word: matched as a prefix */
} SearchWords;

static void
search_words_clear (SearchWords *words)
{
  g_clear_pointer (&words->folded, g_ptr_array_unref);
  g_clear_pointer (&words->prefix, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SearchWords, search_words_clear)

/* The same folding as the unicode61 tokenizer with remove_diacritics 2,
 * near enough to mark the words of a snippet. */
static char *
fold_word (const char *word,
           gssize      len)
{
  g_autofree char *decomposed = g_utf8_normalize (word, len, G_NORMALIZE_NFD);
  g_autoptr(GString) bare = g_string_new (NULL);

  if (decomposed == NULL)
    return g_strdup ("");
  for (const char *p = decomposed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_ismark (c))
        g_string_append_unichar (bare, c);
    }
  return g_utf8_casefold (bare->str, (gssize) bare->len);
}

static gboolean
is_word_char (gunichar c)
{
  return g_unichar_isalnum (c) || g_unichar_ismark (c);
}

static gboolean
is_stopword (const char *folded)
{
  static const char * const stopwords[] = {
    "aan", "al", "als", "bij", "dan", "dat", "de", "die", "door", "een", "en", "er",
    "het", "in", "is", "met", "naar", "nog", "of", "om", "op", "over", "te", "tot",
    "uit", "van", "voor", "was", "wel", "zijn",
  };

  for (guint i = 0; i < G_N_ELEMENTS (stopwords); i++)
    if (g_str_equal (folded, stopwords[i]))
      return TRUE;
  return FALSE;
}

/* Appends text as an FTS5 string: inside double quotes, a quote is
 * written twice; nothing else is special there. */
static void
append_fts_string (GString    *query,
                   const char *text)
{
  g_string_append_c (query, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (query, '"');
      g_string_append_c (query, *p);
    }
  g_string_append_c (query, '"');
}

/* Turns what somebody typed into an FTS5 query that cannot be a syntax
 * error: every run of letters and digits becomes a quoted string with a
 * trailing * (prefix search as you type), limited to the title and body
 * columns, and the strings are ANDed. Quotes, operators, brackets and
 * emoji are separators, never syntax. A single character is matched as a
 * whole word, not as a prefix: "k*" would merge the lists of every word
 * starting with k and finds everything anyway. NULL when nothing
 * searchable is left. */
static char *
search_query (const char  *text,
              const char  *wijk,
              SearchWords *words)
{
  g_autofree char *normal = NULL;
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) token = g_string_new (NULL);
  GString *query;
  guint n_kept = 0;
  gboolean ends_in_word = FALSE;

  words->folded = g_ptr_array_new_with_free_func (g_free);
  words->prefix = g_array_new (FALSE, FALSE, sizeof (gboolean));

  if (text != NULL && g_utf8_validate (text, -1, NULL))
    normal = g_utf8_normalize (text, -1, G_NORMALIZE_NFC);

  for (const char *p = normal; p != NULL; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c != 0 && is_word_char (c))
        {
          g_string_append_unichar (token, c);
          ends_in_word = TRUE;
          continue;
        }
      if (token->len > 0 && tokens->len < SEARCH_MAX_TOKENS)
        g_ptr_array_add (tokens, g_strdup (token->str));
      g_string_truncate (token, 0);
      if (c == 0)
        break;
      ends_in_word = FALSE;
    }

  query = g_string_new (NULL);
  for (guint i = 0; i < tokens->len; i++)
    {
      const char *t = g_ptr_array_index (tokens, i);
      char *folded = fold_word (t, -1);
      gboolean last = i + 1 == tokens->len;
      gboolean prefix = g_utf8_strlen (t, -1) > 1;

      /* The word still being typed is always kept. */
      if (is_stopword (folded) && !(last && ends_in_word) && tokens->len > 1)
        {
          g_free (folded);
          continue;
        }
      if (query->len > 0)
        g_string_append_c (query, ' ');
      g_string_append (query, "{title body} : ");
      append_fts_string (query, t);
      if (prefix)
        g_string_append_c (query, '*');
      g_ptr_array_add (words->folded, folded);
      g_array_append_val (words->prefix, prefix);
      n_kept++;
    }

  /* Only stopwords: then they are what was asked for. */
  if (n_kept == 0 && tokens->len > 0)
    {
      g_string_free (query, TRUE);
      g_ptr_array_set_size (words->folded, 0);
      g_array_set_size (words->prefix, 0);
      query = g_string_new (NULL);
      for (guint i = 0; i < tokens->len; i++)
        {
          const char *t = g_ptr_array_index (tokens, i);
          gboolean prefix = g_utf8_strlen (t, -1) > 1;

          g_string_append (query, i > 0 ? " {title body} : " : "{title body} : ");
          append_fts_string (query, t);
          if (prefix)
            g_string_append_c (query, '*');
          g_ptr_array_add (words->folded, fold_word (t, -1));
          g_array_append_val (words->prefix, prefix);
          n_kept++;
        }
    }

  if (n_kept == 0)
    {
      g_string_free (query, TRUE);
      return NULL;
    }

  /* The wijk is an indexed column, so that filtering on it costs no
   * lookup per matching row; the exact comparison follows on the rows
   * that are read. Its weight in the score is 0. */
  if (wijk != NULL)
    {
      g_string_append (query, " wijk : ^");
      append_fts_string (query, wijk);
    }
  return g_string_free (query, FALSE);
}

char *
buurten_store_search_query (const char *text,
                            const char *wijk)
{
  g_auto(SearchWords) words = { NULL, NULL };

  return search_query (text, wijk, &words);
}

static gboolean
word_matches (const SearchWords *words,
              const char        *folded,
              guint             *out_index)
{
  for (guint i = 0; i < words->folded->len; i++)
    {
      const char *w = g_ptr_array_index (words->folded, i);

      if (g_array_index (words->prefix, gboolean, i)
          ? g_str_has_prefix (folded, w) : g_str_equal (folded, w))
        {
          *out_index = i;
          return TRUE;
        }
    }
  return FALSE;
}

#define SNIPPET_WORDS 12

typedef struct
{
  gsize start;  /* byte offsets in the text */
  gsize end;
  int   match;  /* index of the query word, or -1 */
} SnippetWord;

/* The window of SNIPPET_WORDS words with the most distinct query words in
 * it, the matches between "[" and "]", "…" where text was cut. *out_score
 * is the number of distinct query words in the window. */
static char *
make_snippet (const char        *text,
              const SearchWords *words,
              guint             *out_score)
{
  g_autoptr(GArray) list = g_array_new (FALSE, FALSE, sizeof (SnippetWord));
  GString *out;
  guint best_start = 0, best_score = 0, best_total = 0;
  guint n;

  *out_score = 0;
  if (text == NULL)
    return NULL;

  for (const char *p = text; *p != '\0';)
    {
      const char *q;
      SnippetWord w;
      guint index;

      if (!is_word_char (g_utf8_get_char (p)))
        {
          p = g_utf8_next_char (p);
          continue;
        }
      for (q = p; *q != '\0' && is_word_char (g_utf8_get_char (q)); q = g_utf8_next_char (q))
        ;
      {
        g_autofree char *folded = fold_word (p, q - p);

        w.start = (gsize) (p - text);
        w.end = (gsize) (q - text);
        w.match = word_matches (words, folded, &index) ? (int) index : -1;
      }
      g_array_append_val (list, w);
      p = q;
    }

  n = list->len;
  for (guint start = 0; start < MAX (n, 1); start++)
    {
      guint64 seen = 0;
      guint score = 0, total = 0;

      for (guint i = start; i < MIN (n, start + SNIPPET_WORDS); i++)
        {
          int m = g_array_index (list, SnippetWord, i).match;

          if (m < 0)
            continue;
          total++;
          if (!(seen & (G_GUINT64_CONSTANT (1) << m)))
            {
              seen |= G_GUINT64_CONSTANT (1) << m;
              score++;
            }
        }
      if (score > best_score || (score == best_score && total > best_total))
        {
          best_start = start;
          best_score = score;
          best_total = total;
        }
      if (start + SNIPPET_WORDS >= n)
        break;
    }

  /* Start a little before the first match, so that it reads as text. */
  if (best_score > 0)
    {
      guint first = best_start;

      while (g_array_index (list, SnippetWord, first).match < 0)
        first++;
      best_start = first > 2 ? first - 2 : 0;
      if (best_start + SNIPPET_WORDS > n)
        best_start = n > SNIPPET_WORDS ? n - SNIPPET_WORDS : 0;
    }

  out = g_string_new (NULL);
  if (n == 0)
    {
      g_string_append (out, text);
      return g_string_free (out, FALSE);
    }
  if (best_start > 0)
    g_string_append (out, "…");
  for (guint i = best_start; i < MIN (n, best_start + SNIPPET_WORDS); i++)
    {
      const SnippetWord *w = &g_array_index (list, SnippetWord, i);
      gsize gap_end = w->start;

      if (i > best_start)
        {
          const SnippetWord *prev = &g_array_index (list, SnippetWord, i - 1);

          g_string_append_len (out, text + prev->end, (gssize) (gap_end - prev->end));
        }
      if (w->match >= 0)
        g_string_append_c (out, '[');
      g_string_append_len (out, text + w->start, (gssize) (w->end - w->start));
      if (w->match >= 0)
        g_string_append_c (out, ']');
    }
  {
    guint last = MIN (n, best_start + SNIPPET_WORDS) - 1;
    const SnippetWord *w = &g_array_index (list, SnippetWord, last);

    if (last + 1 < n)
      g_string_append (out, "…");
    else
      g_string_append (out, text + w->end);  /* the closing full stop */
  }

  *out_score = best_score;
  return g_string_free (out, FALSE);
}

typedef struct
{
  gint64 rowid;
  double score;
} SearchCandidate;

static int
compare_candidates (gconstpointer a,
                    gconstpointer b)
{
  const SearchCandidate *ca = a;
  const SearchCandidate *cb = b;

  /* bm25 is negative: lower is better. Ties: the newer first. */
  if (ca->score != cb->score)
    return ca->score < cb->score ? -1 : 1;
  return ca->rowid > cb->rowid ? -1 : ca->rowid < cb->rowid;
}

static BuurtenSearchHit *
read_hit (BuurtenStore       *self,
          gint64              rowid,
          const char         *wijk,
          const SearchWords  *words,
          GError            **error)
{
  g_autoptr(BuurtenCachedStmt) stmt =
    prepare (self, "SELECT type, id, wijk, title, body FROM search WHERE rowid = ?1", error);
  BuurtenSearchHit *hit;
  const char *title, *body;
  g_autofree char *title_snippet = NULL;
  g_autofree char *body_snippet = NULL;
  guint title_score, body_score;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, rowid);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        g_set_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_NOT_FOUND,
                     "search: row %" G_GINT64_FORMAT " vanished", rowid);
      else
        set_db_error (self, error, rc, "search");
      return NULL;
    }

  hit = g_new0 (BuurtenSearchHit, 1);
  hit->wijk = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  if (wijk != NULL && g_strcmp0 (hit->wijk, wijk) != 0)
    {
      /* The index matched a wijk whose id starts with this one's words. */
      buurten_search_hit_free (hit);
      return NULL;
    }
  hit->type = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  hit->id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  title = (const char *) sqlite3_column_text (stmt, 3);
  body = (const char *) sqlite3_column_text (stmt, 4);
  hit->title = g_strdup (title);

  /* The title is shown anyway: the body's words are the better snippet
   * unless only the title has them. */
  title_snippet = make_snippet (title, words, &title_score);
  body_snippet = make_snippet (body, words, &body_score);
  if (body_snippet != NULL && body_score >= title_score && body_score > 0)
    hit->snippet = g_steal_pointer (&body_snippet);
  else if (title_snippet != NULL && title_score > 0)
    hit->snippet = g_steal_pointer (&title_snippet);
  else
    hit->snippet = g_strdup (body_snippet != NULL ? body_snippet
                             : title_snippet != NULL ? title_snippet : "");
  return hit;
}

static gboolean
search_locked (BuurtenStore       *self,
               const char         *query,
               const char         *wijk,
               guint               limit,
               const SearchWords  *words,
               GPtrArray          *hits,
               GError            **error)
{
  g_autoptr(GArray) candidates = g_array_new (FALSE, FALSE, sizeof (SearchCandidate));
  int rc;

  /* Step 1: scores of the newest matches. Column weights: type, id and
   * wijk 0, title 2, body 1. */
  {
    g_autoptr(BuurtenCachedStmt) stmt =
      prepare (self, "SELECT rowid, bm25(search, 0.0, 0.0, 0.0, 2.0, 1.0) FROM search "
               "WHERE search MATCH ?1 ORDER BY rowid DESC LIMIT ?2", error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, query, -1, SQLITE_STATIC);
    sqlite3_bind_int (stmt, 2, SEARCH_CANDIDATES);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        SearchCandidate c = { sqlite3_column_int64 (stmt, 0), sqlite3_column_double (stmt, 1) };

        g_array_append_val (candidates, c);
      }
    if (rc != SQLITE_DONE)
      {
        set_db_error (self, error, rc, "search");
        return FALSE;
      }
  }
  g_array_sort (candidates, compare_candidates);

  /* Step 2: the best rows, read by rowid. */
  for (guint i = 0; i < candidates->len && hits->len < limit; i++)
    {
      const SearchCandidate *c = &g_array_index (candidates, SearchCandidate, i);
      g_autoptr(GError) local_error = NULL;
      BuurtenSearchHit *hit = read_hit (self, c->rowid, wijk, words, &local_error);

      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (hit == NULL)
        continue;
      hit->rank = c->score;
      g_ptr_array_add (hits, hit);
    }
  return TRUE;
}

GPtrArray *
buurten_store_search (BuurtenStore  *self,
                      const char    *text,
                      const char    *wijk,
                      guint          limit,
                      GError       **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_auto(SearchWords) words = { NULL, NULL };
  g_autofree char *query = NULL;
  gboolean in_read, ok;

  g_return_val_if_fail (BUURTEN_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  hits = g_ptr_array_new_with_free_func ((GDestroyNotify) buurten_search_hit_free);
  query = search_query (text, wijk, &words);
  if (query == NULL)
    return g_steal_pointer (&hits);
  if (limit == 0)
    limit = SEARCH_DEFAULT_LIMIT;

  locker = g_rec_mutex_locker_new (&self->mutex);
  in_read = read_begin (self);
  ok = search_locked (self, query, wijk, limit, &words, hits, error);
  read_end (self, in_read);
  if (!ok)
    return NULL;
  return g_steal_pointer (&hits);
}

/* -- budgets -- */

typedef gboolean (*LedgerAddFunc) (BuurtenLedger *ledger,
                                   gconstpointer  entity,
                                   GError       **error);

/* Feeds every row of a query to the ledger. The rows are read into a
 * borrowed struct on the stack: no copies, no allocations per row. An
 * entry the ledger refuses (an unknown wijk, say) is left out, as the
 * ledger itself would; it is not a reason to show no budget at all. */
static gboolean
feed_ledger (BuurtenStore             *self,
             BuurtenLedger            *ledger,
             const BuurtenEntityInfo  *info,
             LedgerAddFunc             add,
             const char               *sql,
             const char               *wijk,
             int                       year,
             GError                  **error)
{
  g_autoptr(BuurtenCachedStmt) stmt = prepare (self, sql, error);
  gpointer row;
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int (stmt, 1, year);
  if (wijk != NULL)
    sqlite3_bind_text (stmt, 2, wijk, -1, SQLITE_STATIC);

  row = g_alloca (info->size);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(GError) local_error = NULL;

      memset (row, 0, info->size);
      if (!read_entity (info, stmt, row, TRUE, error))
        return FALSE;
      if (!add (ledger, row, &local_error))
        g_debug ("ledger %d: %s left out: %s", year, info->name, local_error->message);
    }
  if (rc != SQLITE_DONE)
    {
      set_db_error (self, error, rc, info->name);
      return FALSE;
    }
  return TRUE;
}

/* Typed adapters, so that no function is called through a cast pointer. */
static gboolean
add_commitment (BuurtenLedger *ledger, gconstpointer row, GError **error)
{
  return buurten_ledger_add_commitment (ledger, row, error);
}

static gboolean
add_payment (BuurtenLedger *ledger, gconstpointer row, GError **error)
{
  return buurten_ledger_add_payment (ledger, row, error);
}

static gboolean
add_transfer (BuurtenLedger *ledger, gconstpointer row, GError **error)
{
  return buurten_ledger_add_transfer (ledger, row, error);
}

static gboolean
add_carry_over (BuurtenLedger *ledger, gconstpointer row, GError **error)
{
  return buurten_ledger_add_carry_over (ledger, row, error);
}

static char *
ledger_sql (const BuurtenEntityInfo *info,
            const char              *prefix,
            const char              *rest)
{
  GString *sql = g_string_new ("SELECT ");

  append_columns (sql, info, prefix);
  g_string_append_printf (sql, " %s", rest);
  return g_string_free (sql, FALSE);
}

/* The commitments of one wijk and year, summed per funding, state and
 * theme, with what was paid on them (commitment.paid_cents, kept by
 * add_paid()). Each sum goes to the ledger as one commitment and
 * one payment: the ledger's arithmetic is linear, so the thermometer comes
 * out the same as when it is fed 10 000 rows one by one, at a fraction of
 * the cost (the ledger hashes every id it is given). Read from one
 * covering index. A commitment paid beyond its amount (which the server
 * refuses) is left to feed_wijk_overpaid(): the ledger then drops the
 * payment that goes over, which depends on their order. */
static gboolean
feed_wijk_sums (BuurtenStore   *self,
                BuurtenLedger  *ledger,
                const char     *wijk,
                int             year,
                GError        **error)
{
  g_autoptr(BuurtenCachedStmt) stmt =
    prepare (self,
             "SELECT funding, state, theme, sum(amount_cents), "
             "  sum(CASE WHEN state = ?3 THEN paid_cents ELSE 0 END) "
             "FROM commitment WHERE wijk = ?2 AND year = ?1 AND paid_cents <= amount_cents "
             "GROUP BY funding, state, theme", error);
  guint n = 0;
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, year);
  sqlite3_bind_text (stmt, 2, wijk, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, buurten_commitment_state_ids[BUURTEN_COMMITMENT_APPROVED], -1,
                     SQLITE_STATIC);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(GError) local_error = NULL;
      char id[32];
      BuurtenCommitment commitment = { 0 };
      BuurtenPayment payment = { 0 };
      int funding = buurten_enum_from_id (buurten_funding_ids,
                                          (const char *) sqlite3_column_text (stmt, 0));
      int state = buurten_enum_from_id (buurten_commitment_state_ids,
                                        (const char *) sqlite3_column_text (stmt, 1));

      if (funding < 0 || state < 0)
        {
          g_set_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_CORRUPT,
                       "commitment: unknown funding or state in the store");
          return FALSE;
        }

      g_snprintf (id, sizeof id, "sum-%u", n++);
      commitment.id = id;
      commitment.wijk = (char *) wijk;
      commitment.funding = funding;
      commitment.year = year;
      commitment.theme = (char *) sqlite3_column_text (stmt, 2);
      commitment.amount_cents = sqlite3_column_int64 (stmt, 3);
      commitment.state = state;
      if (!buurten_ledger_add_commitment (ledger, &commitment, &local_error))
        {
          g_debug ("ledger %d: commitments left out: %s", year, local_error->message);
          continue;
        }

      payment.id = id;
      payment.commitment_id = id;
      payment.amount_cents = sqlite3_column_int64 (stmt, 4);
      g_date_set_dmy (&payment.paid_on, 1, 1, (GDateYear) CLAMP (year, 1, 9999));
      if (payment.amount_cents > 0 &&
          !buurten_ledger_add_payment (ledger, &payment, &local_error))
        g_debug ("ledger %d: payments left out: %s", year, local_error->message);
    }
  if (rc != SQLITE_DONE)
    {
      set_db_error (self, error, rc, "commitment");
      return FALSE;
    }
  return TRUE;
}

static gboolean
feed_wijk_overpaid (BuurtenStore   *self,
                    BuurtenLedger  *ledger,
                    const char     *wijk,
                    int             year,
                    GError        **error)
{
  g_autofree char *commitments =
    ledger_sql (&buurten_commitment_info, "",
                "FROM commitment WHERE wijk = ?2 AND year = ?1 "
                "AND paid_cents > amount_cents");
  g_autofree char *payments =
    ledger_sql (&buurten_payment_info, "",
                "FROM payment WHERE commitment_id = ?1 ORDER BY rowid");
  g_autoptr(BuurtenCachedStmt) stmt = prepare (self, commitments, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, year);
  sqlite3_bind_text (stmt, 2, wijk, -1, SQLITE_STATIC);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(BuurtenCachedStmt) paid = NULL;
      BuurtenCommitment commitment = { 0 };

      if (!read_entity (&buurten_commitment_info, stmt, &commitment, TRUE, error))
        return FALSE;
      if (!buurten_ledger_add_commitment (ledger, &commitment, &local_error))
        {
          g_debug ("ledger %d: commitment left out: %s", year, local_error->message);
          continue;
        }

      paid = prepare (self, payments, error);
      if (paid == NULL)
        return FALSE;
      sqlite3_bind_text (paid, 1, commitment.id, -1, SQLITE_STATIC);
      while ((rc = sqlite3_step (paid)) == SQLITE_ROW)
        {
          BuurtenPayment payment = { 0 };

          if (!read_entity (&buurten_payment_info, paid, &payment, TRUE, error))
            return FALSE;
          if (!buurten_ledger_add_payment (ledger, &payment, &local_error))
            {
              g_debug ("ledger %d: payment left out: %s", year, local_error->message);
              g_clear_error (&local_error);
            }
        }
      if (rc != SQLITE_DONE)
        {
          set_db_error (self, error, rc, "payment");
          return FALSE;
        }
    }
  if (rc != SQLITE_DONE)
    {
      set_db_error (self, error, rc, "commitment");
      return FALSE;
    }
  return TRUE;
}

static BuurtenLedger *
fill_ledger (BuurtenStore         *self,
             BuurtenMunicipality  *municipality,
             const char           *wijk,
             int                   year,
             GError              **error)
{
  g_autoptr(BuurtenLedger) ledger = buurten_ledger_new (municipality, year);
  g_autofree char *commitments = NULL;
  g_autofree char *payments = NULL;
  g_autofree char *transfers = NULL;
  g_autofree char *carry_overs = NULL;

  /* ?1 is the year, ?2 the wijk when there is one. For the whole city
   * every row goes to the ledger, which the caller may go on feeding; one
   * wijk's thermometer is fed sums (feed_wijk_sums()). Payments count in
   * the year of their commitment, so they are found through it. */
  if (wijk != NULL)
    {
      transfers = ledger_sql (&buurten_transfer_info, "",
                              "FROM transfer WHERE year = ?1 "
                              "AND (from_wijk = ?2 OR to_wijk = ?2)");
      carry_overs = ledger_sql (&buurten_carry_over_info, "",
                                "FROM carry_over WHERE wijk = ?2 "
                                "AND from_year IN (?1 - 1, ?1)");
    }
  else
    {
      commitments = ledger_sql (&buurten_commitment_info, "",
                                "FROM commitment WHERE year = ?1");
      payments = ledger_sql (&buurten_payment_info, "p.",
                             "FROM payment AS p JOIN commitment AS c ON c.id = p.commitment_id "
                             "WHERE c.year = ?1");
      transfers = ledger_sql (&buurten_transfer_info, "", "FROM transfer WHERE year = ?1");
      carry_overs = ledger_sql (&buurten_carry_over_info, "",
                                "FROM carry_over WHERE from_year IN (?1 - 1, ?1)");
    }

  if (wijk != NULL &&
      (!feed_wijk_sums (self, ledger, wijk, year, error) ||
       !feed_wijk_overpaid (self, ledger, wijk, year, error)))
    return NULL;
  if (wijk == NULL &&
      (!feed_ledger (self, ledger, &buurten_commitment_info,
                     add_commitment, commitments, NULL, year, error) ||
       !feed_ledger (self, ledger, &buurten_payment_info,
                     add_payment, payments, NULL, year, error)))
    return NULL;
  if (!feed_ledger (self, ledger, &buurten_transfer_info,
                    add_transfer, transfers, wijk, year,
                    error) ||
      !feed_ledger (self, ledger, &buurten_carry_over_info,
                    add_carry_over, carry_overs, wijk, year,
                    error))
    return NULL;

  return g_steal_pointer (&ledger);
}

BuurtenLedger *
buurten_store_ledger (BuurtenStore         *self,
                      BuurtenMunicipality  *municipality,
                      int                   year,
                      GError              **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  BuurtenLedger *ledger;
  gboolean in_read;

  g_return_val_if_fail (BUURTEN_IS_STORE (self), NULL);
  g_return_val_if_fail (BUURTEN_IS_MUNICIPALITY (municipality), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = g_rec_mutex_locker_new (&self->mutex);
  in_read = read_begin (self);
  ledger = fill_ledger (self, municipality, NULL, year, error);
  read_end (self, in_read);
  return ledger;
}

BuurtenThermometer *
buurten_store_thermometer (BuurtenStore         *self,
                           BuurtenMunicipality  *municipality,
                           const char           *wijk,
                           int                   year,
                           GError              **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(BuurtenLedger) ledger = NULL;
  BuurtenThermometer *thermometer;
  gboolean in_read;

  g_return_val_if_fail (BUURTEN_IS_STORE (self), NULL);
  g_return_val_if_fail (BUURTEN_IS_MUNICIPALITY (municipality), NULL);
  g_return_val_if_fail (wijk != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = g_rec_mutex_locker_new (&self->mutex);
  in_read = read_begin (self);
  ledger = fill_ledger (self, municipality, wijk, year, error);
  read_end (self, in_read);
  if (ledger == NULL)
    return NULL;

  thermometer = buurten_ledger_wijk (ledger, wijk);
  if (thermometer == NULL)
    g_set_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_NOT_FOUND,
                 _("The municipality has no wijk “%s”."), wijk);
  return thermometer;
}

/* -- outbox, audit, meta -- */

GPtrArray *
buurten_store_outbox (BuurtenStore  *self,
                      GError       **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(BuurtenCachedStmt) stmt = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  int rc;

  g_return_val_if_fail (BUURTEN_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = g_rec_mutex_locker_new (&self->mutex);
  stmt = prepare (self, "SELECT seq, name, args_json, created_at FROM outbox ORDER BY seq",
                  error);
  if (stmt == NULL)
    return NULL;

  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) buurten_outbox_entry_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BuurtenOutboxEntry *entry = g_new0 (BuurtenOutboxEntry, 1);

      entry->seq = sqlite3_column_int64 (stmt, 0);
      entry->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      entry->args_json = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      entry->created_at = sqlite3_column_int64 (stmt, 3);
      g_ptr_array_add (entries, entry);
    }
  if (rc != SQLITE_DONE)
    {
      set_db_error (self, error, rc, "outbox");
      return NULL;
    }
  return g_steal_pointer (&entries);
}

/* One count(*) statement; -1 with error set on failure. */
static gint64
count_rows (BuurtenStore  *self,
            const char    *sql,
            const char    *what,
            GError       **error)
{
  g_autoptr(GRecMutexLocker) locker = g_rec_mutex_locker_new (&self->mutex);
  g_autoptr(BuurtenCachedStmt) stmt = prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return -1;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      set_db_error (self, error, rc, what);
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}

gint64
buurten_store_outbox_count (BuurtenStore  *self,
                            GError       **error)
{
  g_return_val_if_fail (BUURTEN_IS_STORE (self), -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  return count_rows (self, "SELECT count(*) FROM outbox", "outbox", error);
}

gboolean
buurten_store_outbox_remove (BuurtenStore  *self,
                             gint64         up_to_seq,
                             GError       **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  gboolean ok;

  g_return_val_if_fail (BUURTEN_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* One statement: it fails as a whole, no savepoint needed. */
  locker = g_rec_mutex_locker_new (&self->mutex);
  if (!write_begin (self, FALSE, error))
    return FALSE;
  {
    g_autoptr(BuurtenCachedStmt) stmt = prepare (self, "DELETE FROM outbox WHERE seq <= ?1",
                                                 error);

    ok = stmt != NULL;
    if (ok)
      {
        sqlite3_bind_int64 (stmt, 1, up_to_seq);
        ok = step_done (self, stmt, "outbox", error);
      }
  }
  return write_end (self, FALSE, ok, FALSE, ok ? error : NULL);
}

GPtrArray *
buurten_store_history (BuurtenStore  *self,
                       const char    *object_type,
                       const char    *object_id,
                       GError       **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(BuurtenCachedStmt) stmt = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  int rc;

  g_return_val_if_fail (BUURTEN_IS_STORE (self), NULL);
  g_return_val_if_fail (object_type != NULL, NULL);
  g_return_val_if_fail (object_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = g_rec_mutex_locker_new (&self->mutex);
  stmt = prepare (self,
                  "SELECT at, actor, \"action\", object_type, object_id, summary FROM audit "
                  "WHERE object_type = ?1 AND object_id = ?2 ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, object_type, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, object_id, -1, SQLITE_STATIC);

  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) buurten_audit_entry_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BuurtenAuditEntry *entry = g_new0 (BuurtenAuditEntry, 1);

      entry->at = sqlite3_column_int64 (stmt, 0);
      entry->actor = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      entry->action = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      entry->object_type = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      entry->object_id = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      entry->summary = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
      g_ptr_array_add (entries, entry);
    }
  if (rc != SQLITE_DONE)
    {
      set_db_error (self, error, rc, "audit");
      return NULL;
    }
  return g_steal_pointer (&entries);
}

char *
buurten_store_get_meta (BuurtenStore  *self,
                        const char    *key,
                        GError       **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(BuurtenCachedStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (BUURTEN_IS_STORE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = g_rec_mutex_locker_new (&self->mutex);
  stmt = prepare (self, "SELECT value FROM meta WHERE key = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  if (rc == SQLITE_DONE)
    g_set_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_NOT_FOUND,
                 "meta %s: not set", key);
  else
    set_db_error (self, error, rc, "meta");
  return NULL;
}

gboolean
buurten_store_set_meta (BuurtenStore  *self,
                        const char    *key,
                        const char    *value,
                        GError       **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  gboolean ok;

  g_return_val_if_fail (BUURTEN_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* One statement: it fails as a whole, no savepoint needed. */
  locker = g_rec_mutex_locker_new (&self->mutex);
  if (!write_begin (self, FALSE, error))
    return FALSE;
  {
    g_autoptr(BuurtenCachedStmt) stmt =
      prepare (self, value != NULL
               ? "INSERT INTO meta (key, value) VALUES (?1, ?2) "
                 "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
               : "DELETE FROM meta WHERE key = ?1", error);

    ok = stmt != NULL;
    if (ok)
      {
        sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
        if (value != NULL)
          sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
        ok = step_done (self, stmt, "meta", error);
      }
  }
  return write_end (self, FALSE, ok, FALSE, ok ? error : NULL);
}

/* ---- sync: what the server says, and what needs the user ------------ */

void
buurten_attention_free (BuurtenAttention *item)
{
  if (item == NULL)
    return;
  g_free (item->kind);
  g_free (item->mutation);
  g_free (item->args_json);
  g_free (item->object_type);
  g_free (item->object_id);
  g_free (item->field);
  g_free (item->code);
  g_free (item->message);
  g_free (item->theirs_json);
  g_free (item->yours_json);
  g_free (item->conflict_id);
  g_free (item->refusal_args_json);
  g_free (item);
}

/* Which fields of an object the waiting outbox rows change. NULL when
 * none wait; a set with "*" when the whole row is someone's pending work
 * (a create, a delete, a signature: anything but a field update, a state
 * change or an assignment). Call with the mutex held. */
static GHashTable *
pending_fields (BuurtenStore  *self,
                const char    *object_id,
                GError       **error)
{
  g_autoptr(BuurtenCachedStmt) stmt =
    prepare (self, "SELECT name, args_json FROM outbox WHERE object_id = ?1", error);
  g_autoptr(GHashTable) fields = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, object_id, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 0);
      const char *args_json = (const char *) sqlite3_column_text (stmt, 1);

      if (fields == NULL)
        fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

      {
        const BuurtenMutationInfo *info = buurten_mutation_lookup (name);
        g_autoptr(JsonNode) args = NULL;

        /* The catalogue knows what each mutation touches; only an update
         * needs its args (the fields of args.set). */
        if (info != NULL && info->shape == BUURTEN_MUTATION_SHAPE_UPDATE)
          args = buurten_json_parse (args_json, -1, BUURTEN_JSON_DEFAULT_MAX_DEPTH, NULL);
        buurten_mutation_pending_fields (info,
                                         args != NULL && JSON_NODE_HOLDS_OBJECT (args)
                                           ? json_node_get_object (args) : NULL,
                                         fields);
      }
    }
  if (rc != SQLITE_DONE)
    {
      set_db_error (self, error, rc, "outbox");
      return NULL;
    }
  if (fields == NULL)
    g_set_error_literal (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_NOT_FOUND,
                         "nothing pending");
  return g_steal_pointer (&fields);
}

/* The local row as JSON with personal fields, or NULL when absent. Call
 * with the mutex held. */
static JsonNode *
local_row_json (BuurtenStore  *self,
                EntityTable   *table,
                const char    *id,
                GError       **error)
{
  g_autoptr(BuurtenCachedStmt) select = entity_statement (self, table, ENTITY_SELECT, error);
  gpointer entity;
  JsonNode *node;
  int rc;

  if (select == NULL)
    return NULL;
  sqlite3_bind_text (select, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (select);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_NOT_FOUND,
                   "%s %s: not found", table->info->name, id);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      set_db_error (self, error, rc, table->info->name);
      return NULL;
    }
  entity = buurten_entity_new (table->info);
  if (!read_entity (table->info, select, entity, FALSE, error))
    {
      buurten_entity_free (table->info, entity);
      return NULL;
    }
  node = buurten_entity_to_json (table->info, entity, TRUE);
  buurten_entity_free (table->info, entity);
  return node;
}

BuurtenRemoteResult
buurten_store_apply_remote_put (BuurtenStore            *self,
                                const BuurtenEntityInfo *info,
                                JsonObject              *row,
                                gint64                   version,
                                GError                 **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GHashTable) pending = NULL;
  g_autoptr(GError) local_error = NULL;
  BuurtenRemoteResult result = BUURTEN_REMOTE_APPLIED;
  EntityTable *table;
  JsonObject *object;
  const char *id;
  gpointer entity;
  gboolean ok, wrote = FALSE;

  g_return_val_if_fail (BUURTEN_IS_STORE (self), BUURTEN_REMOTE_FAILED);
  g_return_val_if_fail (info != NULL && info_key_field (info) != NULL, BUURTEN_REMOTE_FAILED);
  g_return_val_if_fail (row != NULL, BUURTEN_REMOTE_FAILED);
  g_return_val_if_fail (error == NULL || *error == NULL, BUURTEN_REMOTE_FAILED);

  id = json_object_get_string_member_with_default (row, info_key_field (info)->name, NULL);
  if (id == NULL || !buurten_uuid_is_valid (id))
    {
      g_set_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID,
                   "%s: a pulled row without a valid id", info->name);
      return BUURTEN_REMOTE_FAILED;
    }

  /* The caller's row is used as it is (the version set into it), and
   * fields with waiting local changes are replaced in it below. */
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, object = row);
  if (buurten_entity_info_get_field (info, "version") != NULL)
    json_object_set_int_member (object, "version", version);

  locker = g_rec_mutex_locker_new (&self->mutex);
  table = entity_table (self, info);

  pending = self->outbox_empty ? NULL : pending_fields (self, id, &local_error);
  if (pending == NULL && local_error != NULL &&
      !g_error_matches (local_error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return BUURTEN_REMOTE_FAILED;
    }
  g_clear_error (&local_error);

  if (pending != NULL)
    {
      g_autoptr(JsonNode) local = NULL;
      JsonObject *local_object;
      GHashTableIter iter;
      const char *field;

      /* Pulled values never overwrite what is still waiting to be sent
       * (design.md). The whole row waits: keep ours as it is. */
      if (g_hash_table_contains (pending, "*"))
        return BUURTEN_REMOTE_KEPT;

      local = local_row_json (self, table, id, &local_error);
      if (local == NULL)
        {
          if (!g_error_matches (local_error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_NOT_FOUND))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return BUURTEN_REMOTE_FAILED;
            }
          return BUURTEN_REMOTE_KEPT;
        }
      local_object = json_node_get_object (local);

      g_hash_table_iter_init (&iter, pending);
      while (g_hash_table_iter_next (&iter, (gpointer *) &field, NULL))
        {
          JsonNode *mine = json_object_get_member (local_object, field);

          if (mine != NULL)
            json_object_set_member (object, field, json_node_copy (mine));
          else
            json_object_remove_member (object, field);
        }
      /* The version stays the one our waiting change was based on, so
       * that a later edit of ours is still checked against what others
       * changed meanwhile, never silently over it. */
      if (json_object_has_member (local_object, "version"))
        json_object_set_member (object, "version",
                                json_node_copy (json_object_get_member (local_object, "version")));
      result = BUURTEN_REMOTE_MERGED;
    }

  entity = buurten_entity_from_json (info, node, error);
  if (entity == NULL)
    return BUURTEN_REMOTE_FAILED;
  if (!buurten_entity_validate (info, entity, error))
    {
      buurten_entity_free (info, entity);
      return BUURTEN_REMOTE_FAILED;
    }

  if (!write_begin (self, FALSE, error))
    {
      buurten_entity_free (info, entity);
      return BUURTEN_REMOTE_FAILED;
    }
  ok = put_locked (self, table, entity, NULL, NULL, NULL, TRUE, &wrote, error);
  buurten_entity_free (info, entity);
  if (!write_end (self, FALSE, ok, wrote, ok ? error : NULL))
    return BUURTEN_REMOTE_FAILED;
  return result;
}

BuurtenRemoteResult
buurten_store_apply_remote_delete (BuurtenStore            *self,
                                   const BuurtenEntityInfo *info,
                                   const char              *id,
                                   GError                 **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(GHashTable) pending = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean ok, wrote = FALSE;

  g_return_val_if_fail (BUURTEN_IS_STORE (self), BUURTEN_REMOTE_FAILED);
  g_return_val_if_fail (info != NULL && info_key_field (info) != NULL, BUURTEN_REMOTE_FAILED);
  g_return_val_if_fail (id != NULL, BUURTEN_REMOTE_FAILED);
  g_return_val_if_fail (error == NULL || *error == NULL, BUURTEN_REMOTE_FAILED);

  locker = g_rec_mutex_locker_new (&self->mutex);
  pending = pending_fields (self, id, &local_error);
  if (pending == NULL && !g_error_matches (local_error, BUURTEN_STORE_ERROR,
                                           BUURTEN_STORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return BUURTEN_REMOTE_FAILED;
    }
  g_clear_error (&local_error);
  /* Someone's work on it still waits: the push says what the server makes
   * of it (refused, shown to the user), and a refetch removes the row. */
  if (pending != NULL)
    return BUURTEN_REMOTE_KEPT;

  if (!write_begin (self, FALSE, error))
    return BUURTEN_REMOTE_FAILED;
  ok = delete_locked (self, entity_table (self, info), id, NULL, NULL, NULL, &wrote,
                      &local_error);
  if (!ok && g_error_matches (local_error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_NOT_FOUND))
    {
      /* Never had it: nothing to do. */
      write_end (self, FALSE, TRUE, wrote, NULL);
      return BUURTEN_REMOTE_APPLIED;
    }
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&local_error));
  if (!write_end (self, FALSE, ok, wrote, ok ? error : NULL))
    return BUURTEN_REMOTE_FAILED;
  return BUURTEN_REMOTE_APPLIED;
}

/* Fixed statements, one parameter each: the scope's id. Children go
 * before their parents (commitments have no cascade). */
static const char * const drop_wijk_sql[] = {
  "DELETE FROM payment WHERE commitment_id IN (SELECT id FROM commitment WHERE wijk = ?1)",
  "DELETE FROM signature WHERE commitment_id IN (SELECT id FROM commitment WHERE wijk = ?1)",
  "DELETE FROM commitment WHERE wijk = ?1",
  "DELETE FROM note WHERE subject_id IN (SELECT id FROM request WHERE wijk = ?1"
  " UNION ALL SELECT id FROM initiative WHERE wijk = ?1"
  " UNION ALL SELECT id FROM escalation WHERE wijk = ?1"
  " UNION ALL SELECT id FROM meeting WHERE wijk = ?1)",
  "DELETE FROM search WHERE wijk = ?1",
  "DELETE FROM request WHERE wijk = ?1",
  "DELETE FROM initiative WHERE wijk = ?1",
  "DELETE FROM escalation WHERE wijk = ?1",
  "DELETE FROM meeting WHERE wijk = ?1",
  "DELETE FROM carry_over WHERE wijk = ?1",
  "DELETE FROM theme WHERE wijk = ?1",
  NULL
};

static const char * const drop_cluster_sql[] = {
  "DELETE FROM meeting WHERE cluster = ?1 AND wijk IS NULL",
  NULL
};

static const char * const drop_city_sql[] = {
  "DELETE FROM transfer WHERE ?1 IS NOT NULL",
  "DELETE FROM meeting WHERE wijk IS NULL AND cluster IS NULL AND ?1 IS NOT NULL",
  NULL
};

gboolean
buurten_store_drop_scope (BuurtenStore  *self,
                          const char    *scope,
                          GError       **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  const char * const *script = drop_wijk_sql;
  const char *value = scope;
  gboolean ok = TRUE, wrote = FALSE;

  g_return_val_if_fail (BUURTEN_IS_STORE (self), FALSE);
  g_return_val_if_fail (scope != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_str_has_prefix (scope, "cluster:"))
    {
      script = drop_cluster_sql;
      value = scope + strlen ("cluster:");
    }
  else if (g_str_equal (scope, "city"))
    script = drop_city_sql;

  locker = g_rec_mutex_locker_new (&self->mutex);
  if (!write_begin (self, TRUE, error))
    return FALSE;
  for (guint i = 0; ok && script[i] != NULL; i++)
    {
      g_autoptr(BuurtenCachedStmt) stmt = prepare (self, script[i], error);

      ok = stmt != NULL;
      if (ok)
        {
          sqlite3_bind_text (stmt, 1, value, -1, SQLITE_STATIC);
          ok = step_done (self, stmt, "drop", error);
          wrote = TRUE;
        }
    }
  return write_end (self, TRUE, ok, wrote, ok ? error : NULL);
}

gboolean
buurten_store_add_attention (BuurtenStore           *self,
                             const BuurtenAttention *item,
                             GError                **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  gboolean ok;

  g_return_val_if_fail (BUURTEN_IS_STORE (self), FALSE);
  g_return_val_if_fail (item != NULL && item->kind != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  locker = g_rec_mutex_locker_new (&self->mutex);
  if (!write_begin (self, FALSE, error))
    return FALSE;
  {
    /* The same conflict comes with the push result and again with the
     * pull: recorded once. */
    g_autoptr(BuurtenCachedStmt) stmt =
      prepare (self,
               "INSERT INTO attention (kind, mutation, args_json, object_type, object_id, field,"
               " code, message, theirs_json, yours_json, conflict_id, created_at,"
               " refusal_args_json)"
               " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
               " ON CONFLICT (conflict_id) DO NOTHING", error);

    ok = stmt != NULL;
    if (ok)
      {
        sqlite3_bind_text (stmt, 1, item->kind, -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, 2, item->mutation, -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, 3, item->args_json, -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, 4, item->object_type, -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, 5, item->object_id, -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, 6, item->field, -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, 7, item->code, -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, 8, item->message, -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, 9, item->theirs_json, -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, 10, item->yours_json, -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, 11, item->conflict_id, -1, SQLITE_STATIC);
        sqlite3_bind_int64 (stmt, 12, item->created_at != 0 ? item->created_at : now_seconds ());
        sqlite3_bind_text (stmt, 13, item->refusal_args_json, -1, SQLITE_STATIC);
        ok = step_done (self, stmt, "attention", error);
      }
  }
  return write_end (self, FALSE, ok, FALSE, ok ? error : NULL);
}

GPtrArray *
buurten_store_list_attention (BuurtenStore  *self,
                              GError       **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(BuurtenCachedStmt) stmt = NULL;
  g_autoptr(GPtrArray) items = NULL;
  int rc;

  g_return_val_if_fail (BUURTEN_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = g_rec_mutex_locker_new (&self->mutex);
  stmt = prepare (self,
                  "SELECT id, kind, mutation, args_json, object_type, object_id, field, code,"
                  " message, theirs_json, yours_json, conflict_id, created_at, refusal_args_json"
                  " FROM attention"
                  " WHERE resolved_at IS NULL ORDER BY id", error);
  if (stmt == NULL)
    return NULL;

  items = g_ptr_array_new_with_free_func ((GDestroyNotify) buurten_attention_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BuurtenAttention *item = g_new0 (BuurtenAttention, 1);

#define COL(n) g_strdup ((const char *) sqlite3_column_text (stmt, n))
      item->id = sqlite3_column_int64 (stmt, 0);
      item->kind = COL (1);
      item->mutation = COL (2);
      item->args_json = COL (3);
      item->object_type = COL (4);
      item->object_id = COL (5);
      item->field = COL (6);
      item->code = COL (7);
      item->message = COL (8);
      item->theirs_json = COL (9);
      item->yours_json = COL (10);
      item->conflict_id = COL (11);
      item->refusal_args_json = COL (13);
#undef COL
      item->created_at = sqlite3_column_int64 (stmt, 12);
      g_ptr_array_add (items, item);
    }
  if (rc != SQLITE_DONE)
    {
      set_db_error (self, error, rc, "attention");
      return NULL;
    }
  return g_steal_pointer (&items);
}

gint64
buurten_store_attention_count (BuurtenStore  *self,
                               GError       **error)
{
  g_return_val_if_fail (BUURTEN_IS_STORE (self), -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  return count_rows (self, "SELECT count(*) FROM attention WHERE resolved_at IS NULL",
                     "attention", error);
}

gboolean
buurten_store_resolve_attention (BuurtenStore  *self,
                                 gint64         id,
                                 GError       **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  gboolean ok;

  g_return_val_if_fail (BUURTEN_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  locker = g_rec_mutex_locker_new (&self->mutex);
  if (!write_begin (self, FALSE, error))
    return FALSE;
  {
    g_autoptr(BuurtenCachedStmt) stmt =
      prepare (self, "UPDATE attention SET resolved_at = ?2 WHERE id = ?1"
               " AND resolved_at IS NULL", error);

    ok = stmt != NULL;
    if (ok)
      {
        sqlite3_bind_int64 (stmt, 1, id);
        sqlite3_bind_int64 (stmt, 2, now_seconds ());
        ok = step_done (self, stmt, "attention", error);
      }
    if (ok && sqlite3_changes (self->db) == 0)
      {
        g_set_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_NOT_FOUND,
                     "attention %" G_GINT64_FORMAT ": not open", id);
        ok = FALSE;
      }
  }
  return write_end (self, FALSE, ok, FALSE, ok ? error : NULL);
}
