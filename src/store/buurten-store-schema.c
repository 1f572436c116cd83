/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-store"

#include "config.h"

#include "buurten-store-private.h"

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

/* Schema 4: the search index keeps one prefix index, of two characters,
 * instead of three (2, 3 and 4). Each prefix index adds an entry per
 * word of every text, so the index of a first sync was four times its
 * words: 1.07-1.14 s of CPU for 110 000 texts like the sync benchmark's
 * in 10 000-row transactions, 0.69 s with prefix 2 alone (bench/RESULTS.md,
 * issue 13 point 10). Searching finds the same rows: a prefix without an
 * index of its length is answered by merging the lists of the words that
 * begin with it, and from three characters on few words do; two
 * characters, where most words would have to be merged, keep their
 * index. The index is rebuilt from the rows, in fts_row order. */
static const char schema_v4[] =
  "DROP TABLE search;"
  "CREATE VIRTUAL TABLE search USING fts5 ("
  "  type UNINDEXED, id UNINDEXED, wijk, title, body,"
  "  tokenize = 'unicode61 remove_diacritics 2',"
  "  prefix = '2'"
  ");"
  "INSERT INTO search (search, rank) VALUES ('hashsize', 16777216);"
  "INSERT INTO search (rowid, type, id, wijk, title, body)"
  "  SELECT fts_row * 2, 'request', id, wijk, title, description"
  "  FROM request ORDER BY fts_row;"
  "INSERT INTO search (rowid, type, id, wijk, title, body)"
  "  SELECT fts_row * 2 + 1, 'initiative', id, wijk, title, description"
  "  FROM initiative ORDER BY fts_row;";

/* Schema 5: the initiative's intake (issue 14). The organiser's contact,
 * the payee, the plan and the coordinator's remark with each judgement;
 * its budget lines and dates; its buurtdeal's agreements and the
 * organiser's signature; a request of kind idee names the initiative
 * it was taken on as. */
static const char schema_v5[] =
  "ALTER TABLE initiative ADD COLUMN organiser_address TEXT;"
  "ALTER TABLE initiative ADD COLUMN organiser_phone TEXT;"
  "ALTER TABLE initiative ADD COLUMN organiser_email TEXT;"
  "ALTER TABLE initiative ADD COLUMN organisation TEXT;"
  "ALTER TABLE initiative ADD COLUMN kvk TEXT;"
  "ALTER TABLE initiative ADD COLUMN iban TEXT;"
  "ALTER TABLE initiative ADD COLUMN account_holder TEXT;"
  "ALTER TABLE initiative ADD COLUMN for_whom TEXT;"
  "ALTER TABLE initiative ADD COLUMN place TEXT;"
  "ALTER TABLE initiative ADD COLUMN support_count INTEGER;"
  "ALTER TABLE initiative ADD COLUMN crit_residents_remark TEXT;"
  "ALTER TABLE initiative ADD COLUMN crit_support_remark TEXT;"
  "ALTER TABLE initiative ADD COLUMN crit_themes_remark TEXT;"
  "ALTER TABLE initiative ADD COLUMN crit_adds_remark TEXT;"
  "ALTER TABLE initiative ADD COLUMN princ_lawful_remark TEXT;"
  "ALTER TABLE initiative ADD COLUMN princ_own_effort_remark TEXT;"
  "ALTER TABLE initiative ADD COLUMN princ_feedback_remark TEXT;"
  "ALTER TABLE initiative ADD COLUMN princ_accounting_remark TEXT;"
  "ALTER TABLE initiative ADD COLUMN source_request_id TEXT;"
  "ALTER TABLE initiative ADD COLUMN deal_signed_by TEXT;"
  "ALTER TABLE initiative ADD COLUMN deal_signed_on TEXT;"
  "ALTER TABLE initiative ADD COLUMN deal_signed_place TEXT;"
  "ALTER TABLE initiative ADD COLUMN submitted_on TEXT;"
  "ALTER TABLE request ADD COLUMN initiative_id TEXT;"
  "ALTER TABLE payment ADD COLUMN kind TEXT;"
  "ALTER TABLE payment ADD COLUMN reference TEXT;"

  "CREATE TABLE budget_line ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  initiative_id TEXT REFERENCES initiative (id) ON DELETE CASCADE,"
  "  kind TEXT,"
  "  description TEXT,"
  "  amount_cents INTEGER,"
  "  position INTEGER,"
  "  version INTEGER"
  ") STRICT;"
  "CREATE INDEX budget_line_initiative ON budget_line (initiative_id);"

  "CREATE TABLE activity ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  initiative_id TEXT REFERENCES initiative (id) ON DELETE CASCADE,"
  "  starts_on TEXT,"
  "  ends_on TEXT,"
  "  title TEXT,"
  "  place TEXT,"
  "  version INTEGER"
  ") STRICT;"
  "CREATE INDEX activity_initiative ON activity (initiative_id);"
  "CREATE INDEX activity_starts_on ON activity (starts_on);"

  "CREATE TABLE agreement ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  initiative_id TEXT REFERENCES initiative (id) ON DELETE CASCADE,"
  "  side TEXT,"
  "  description TEXT,"
  "  owner TEXT,"
  "  due_on TEXT,"
  "  progress TEXT,"
  "  position INTEGER,"
  "  version INTEGER"
  ") STRICT;"
  "CREATE INDEX agreement_initiative ON agreement (initiative_id);";

/* Schema 6: payments and the verantwoording (issue 14, point 6). What a
 * budget line really cost; what the verantwoording released of an
 * approved commitment (counted free again by the ledger, and summed with
 * the rest of a wijk's commitments from the same covering index); the
 * verantwoording itself, one per initiative. */
static const char schema_v6[] =
  "ALTER TABLE budget_line ADD COLUMN actual_cents INTEGER;"
  "ALTER TABLE commitment ADD COLUMN released_cents INTEGER NOT NULL DEFAULT 0;"
  "DROP INDEX commitment_wijk_year;"
  "CREATE INDEX commitment_wijk_year ON commitment"
  "  (wijk, year, funding, state, theme, amount_cents, paid_cents, released_cents);"

  "CREATE TABLE verantwoording ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  initiative_id TEXT REFERENCES initiative (id) ON DELETE CASCADE,"
  "  happened TEXT,"
  "  feedback TEXT,"
  "  attachments TEXT,"
  "  actual_cents INTEGER,"
  "  paid_cents INTEGER,"
  "  released_cents INTEGER,"
  "  recorded_by TEXT,"
  "  recorded_on TEXT,"
  "  version INTEGER"
  ") STRICT;"
  "CREATE UNIQUE INDEX verantwoording_initiative ON verantwoording (initiative_id);";

/* Migration N (1-based) is migrations[N - 1]. Never edit one that has
 * shipped; append a new one and raise BUURTEN_STORE_SCHEMA_VERSION. */
static const char * const migrations[] = {
  schema_v1,
  schema_v2,
  schema_v3,
  schema_v4,
  schema_v5,
  schema_v6,
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == BUURTEN_STORE_SCHEMA_VERSION);

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

int
query_int (BuurtenStore  *self,
           const char    *sql,
           int           *out,
           GError       **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (CONN (self)->db, sql, -1, &stmt, NULL);
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
      if (!sqlite3_get_autocommit (CONN (self)->db))
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
      rc = sqlite3_prepare_v2 (CONN (self)->db, "PRAGMA journal_mode = WAL", -1, &stmt, NULL);
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

gboolean
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

  rc = sqlite3_open_v2 (self->path, &CONN (self)->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_OPEN,
                   _("Cannot open the database “%s”: %s"), self->path,
                   CONN (self)->db != NULL ? sqlite3_errmsg (CONN (self)->db) : sqlite3_errstr (rc));
      return FALSE;
    }
  sqlite3_extended_result_codes (CONN (self)->db, 1);
  sqlite3_busy_timeout (CONN (self)->db, BUSY_TIMEOUT_MS);

  /* Until we know the file is ours and not newer, closing must not
   * checkpoint a WAL left behind into it. */
  sqlite3_db_config (CONN (self)->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);

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

  sqlite3_db_config (CONN (self)->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0, NULL);

  if (!configure_connection (self, error) || !migrate (self, error) ||
      !drop_prerelease_triggers (self, error))
    return FALSE;

  restrict_modes (self->path);
  return TRUE;
}

/* A read-only connection to the file the writer has opened and migrated:
 * in WAL mode it reads the last commit while the writer writes. */
gboolean
store_conn_open_reader (BuurtenStore  *self,
                        StoreConn     *conn,
                        GError       **error)
{
  int rc;

  rc = sqlite3_open_v2 (self->path, &conn->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_OPEN,
                   _("Cannot open the database “%s”: %s"), self->path,
                   conn->db != NULL ? sqlite3_errmsg (conn->db) : sqlite3_errstr (rc));
      return FALSE;
    }
  sqlite3_extended_result_codes (conn->db, 1);
  /* A writer in WAL mode never blocks readers, but a checkpoint can. */
  sqlite3_busy_timeout (conn->db, BUSY_TIMEOUT_MS);
  rc = sqlite3_exec (conn->db,
                     "PRAGMA temp_store = MEMORY;"
                     "PRAGMA cache_size = -32768;"
                     "PRAGMA mmap_size = 268435456;",
                     NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, BUURTEN_STORE_ERROR, error_code_for (rc),
                   "%s: %s", self->path, sqlite3_errmsg (conn->db));
      return FALSE;
    }
  return TRUE;
}
