/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "buurten-core.h"

G_BEGIN_DECLS

/* The local SQLite cache (design.md, "Local store"). One BuurtenStore owns
 * one writer connection, which it serialises with a mutex, and a few
 * read-only connections for its loads; it owns the threads that use them
 * (buurten_store_load_async, buurten_store_write_async) and the
 * transactions. Its synchronous calls may be used from a worker thread,
 * never from the UI thread for work that can take longer than a frame.
 * Several BuurtenStores may open the same file. */

#define BUURTEN_STORE_ERROR (buurten_store_error_quark ())

typedef enum
{
  BUURTEN_STORE_ERROR_OPEN,          /* cannot open or create the file */
  BUURTEN_STORE_ERROR_NEWER_SCHEMA,  /* written by a newer Buurten: refused, untouched */
  BUURTEN_STORE_ERROR_CORRUPT,       /* not a database or damaged: refused, untouched */
  BUURTEN_STORE_ERROR_IO,            /* any other SQLite failure */
  BUURTEN_STORE_ERROR_NOT_FOUND,
  BUURTEN_STORE_ERROR_CONSTRAINT,    /* a foreign key or uniqueness rule */
} BuurtenStoreError;

GQuark buurten_store_error_quark (void);

/* The schema version this build writes (PRAGMA user_version). */
#define BUURTEN_STORE_SCHEMA_VERSION 6

typedef struct
{
  char *type;     /* "request" or "initiative" */
  char *id;
  char *wijk;
  char *title;
  char *snippet;  /* with the match between "[" and "]" */
  double rank;
} BuurtenSearchHit;

void buurten_search_hit_free (BuurtenSearchHit *hit);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BuurtenSearchHit, buurten_search_hit_free)

typedef struct
{
  gint64  seq;        /* the local mid: strictly increasing */
  char   *name;       /* "request.create" */
  char   *args_json;
  gint64  created_at;
} BuurtenOutboxEntry;

void buurten_outbox_entry_free (BuurtenOutboxEntry *entry);

typedef struct
{
  gint64  at;
  char   *actor;
  char   *action;     /* "request.update" */
  char   *object_type;
  char   *object_id;
  char   *summary;    /* which fields changed; no personal data */
} BuurtenAuditEntry;

void buurten_audit_entry_free (BuurtenAuditEntry *entry);

#define BUURTEN_TYPE_STORE (buurten_store_get_type ())
G_DECLARE_FINAL_TYPE (BuurtenStore, buurten_store, BUURTEN, STORE, GObject)

/* $XDG_DATA_HOME/buurten/buurten.db, or data_dir/buurten.db. */
char         *buurten_store_default_path (const char *data_dir);

/* Creates the directory (0700) and the file (0600) when missing and
 * migrates it to BUURTEN_STORE_SCHEMA_VERSION in one transaction. */
BuurtenStore *buurten_store_open         (const char   *path,
                                          GError      **error);
/* The same on a worker thread: opening may migrate the schema. */
void          buurten_store_open_async   (const char           *path,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
BuurtenStore *buurten_store_open_finish  (GAsyncResult         *result,
                                          GError              **error);
const char   *buurten_store_get_path     (BuurtenStore *self);
int           buurten_store_get_schema_version (BuurtenStore *self);

/* Work on the store's threads (buurten-store-tasks.c). A load runs on a
 * worker with a read-only connection of its own (WAL: it reads the last
 * commit and never waits for a write); every read function of the store
 * called from it uses that connection. A unit of work runs in one write
 * transaction on the one writer connection, committed when it returns
 * TRUE and rolled back when it returns FALSE (with error set); the reads
 * inside it see its own writes. Units of work queued with write_async run
 * one at a time, in order. A load or unit cancelled before it starts does
 * not run; either finishes with G_IO_ERROR_CANCELLED once cancelled. */
typedef gpointer (*BuurtenStoreReadFunc)  (BuurtenStore  *store,
                                           gpointer       data,
                                           GCancellable  *cancellable,
                                           GError       **error);
typedef gboolean (*BuurtenStoreWriteFunc) (BuurtenStore  *store,
                                           gpointer       data,
                                           GCancellable  *cancellable,
                                           GError       **error);

/* data is freed with data_free when the task is done; a result nobody
 * takes (a cancelled load's) is freed with result_free. self may be NULL
 * (a window without a store): the callback then gets
 * BUURTEN_STORE_ERROR_OPEN, and its source object is NULL. */
void          buurten_store_load_async   (BuurtenStore         *self,
                                          BuurtenStoreReadFunc  func,
                                          gpointer              data,
                                          GDestroyNotify        data_free,
                                          GDestroyNotify        result_free,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
gpointer      buurten_store_load_finish  (BuurtenStore         *self,
                                          GAsyncResult         *result,
                                          GError              **error);
void          buurten_store_write_async  (BuurtenStore         *self,
                                          BuurtenStoreWriteFunc func,
                                          gpointer              data,
                                          GDestroyNotify        data_free,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
gboolean      buurten_store_write_finish (BuurtenStore         *self,
                                          GAsyncResult         *result,
                                          GError              **error);
/* The same unit of work, run now on the calling thread (a worker thread
 * of its own, such as sync's), on the writer connection: it waits for the
 * writer's current transaction to end. */
gboolean      buurten_store_write        (BuurtenStore         *self,
                                          BuurtenStoreWriteFunc func,
                                          gpointer              data,
                                          GCancellable         *cancellable,
                                          GError              **error);
/* The same for pages of pulled data: synchronous=NORMAL for this one
 * transaction. Still atomic (WAL): a crash loses at most the last pages,
 * which come again with the cursor stored beside them; never a half page,
 * never an outbox row (those are written with FULL). */
gboolean      buurten_store_write_pulled (BuurtenStore         *self,
                                          BuurtenStoreWriteFunc func,
                                          gpointer              data,
                                          GCancellable         *cancellable,
                                          GError              **error);
/* At most this many loads run at the same time, each on its own read
 * connection (default: the processors, at least 2, at most 4). Set it
 * before the first load. */
void          buurten_store_set_max_readers (BuurtenStore      *self,
                                             guint              max_readers);

/* Explicit transactions, for the store's tests and its own files: the app,
 * sync and the demo write in units of work (buurten_store_write() and
 * friends). begin is BEGIN IMMEDIATE on the writer connection. The
 * single-entity calls below open their own transaction unless one is open
 * on this store. */
gboolean      buurten_store_begin        (BuurtenStore *self,
                                          GError      **error);
/* After the last pulled page: copies what the pages left in the WAL into
 * the database now (pulled pages are checkpointed less often), so that
 * the next local edit does not pay for it. Does not wait for readers. */
void          buurten_store_checkpoint   (BuurtenStore *self);
gboolean      buurten_store_commit       (BuurtenStore *self,
                                          GError      **error);
void          buurten_store_rollback     (BuurtenStore *self);

/* Municipality data: wijken, clusters, budget and mandate tables, and the
 * file itself, replaced as a whole. */
gboolean             buurten_store_import_municipality (BuurtenStore        *self,
                                                        BuurtenMunicipality *municipality,
                                                        GError             **error);
/* NULL with BUURTEN_STORE_ERROR_NOT_FOUND when none was imported. */
BuurtenMunicipality *buurten_store_load_municipality   (BuurtenStore        *self,
                                                        GError             **error);

/* Inserts or replaces one entity (validated first). When mutation is not
 * NULL, an outbox row {name: mutation, args: args} is written in the same
 * transaction; an audit row is always written. actor is a username. */
gboolean      buurten_store_put          (BuurtenStore            *self,
                                          const BuurtenEntityInfo *info,
                                          gconstpointer            entity,
                                          const char              *actor,
                                          const char              *mutation,
                                          JsonNode                *args,
                                          GError                 **error);
/* NULL with BUURTEN_STORE_ERROR_NOT_FOUND when absent. */
gpointer      buurten_store_get          (BuurtenStore            *self,
                                          const BuurtenEntityInfo *info,
                                          const char              *id,
                                          GError                 **error);
/* All entities of a type, or those whose field equals value (field NULL:
 * all). Entities of info's type; free with buurten_entity_free. */
GPtrArray    *buurten_store_list         (BuurtenStore            *self,
                                          const BuurtenEntityInfo *info,
                                          const char              *field,
                                          const char              *value,
                                          GError                 **error);
gint64        buurten_store_count        (BuurtenStore            *self,
                                          const BuurtenEntityInfo *info,
                                          GError                 **error);

/* Full-text search over requests and initiatives (FTS5, prefix and
 * diacritics insensitive). What people type is taken as words, never as
 * FTS syntax. wijk may be NULL for all wijken. */
GPtrArray    *buurten_store_search       (BuurtenStore *self,
                                          const char   *text,
                                          const char   *wijk,
                                          guint         limit,
                                          GError      **error);
/* The FTS5 query buurten_store_search() runs for text (NULL when nothing
 * searchable is left), for the other readers of its index. */
char         *buurten_store_search_query (const char   *text,
                                          const char   *wijk);

/* A ledger of the year filled from the store. */
BuurtenLedger *buurten_store_ledger      (BuurtenStore        *self,
                                          BuurtenMunicipality *municipality,
                                          int                  year,
                                          GError             **error);
/* The thermometer of one wijk, reading only that wijk's rows. */
BuurtenThermometer *buurten_store_thermometer (BuurtenStore        *self,
                                               BuurtenMunicipality *municipality,
                                               const char          *wijk,
                                               int                  year,
                                               GError             **error);

/* The outbox in order (BuurtenOutboxEntry*). */
GPtrArray    *buurten_store_outbox       (BuurtenStore *self,
                                          GError      **error);
gint64        buurten_store_outbox_count (BuurtenStore *self,
                                          GError      **error);

/* The local audit trail of one object, oldest first (BuurtenAuditEntry*). */
GPtrArray    *buurten_store_history      (BuurtenStore *self,
                                          const char   *object_type,
                                          const char   *object_id,
                                          GError      **error);

/* ---- added by the store's implementation (helper D) ---------------- */

/* Deletes one entity by id (its children follow by ON DELETE CASCADE
 * where the schema says so), with an audit row and, when mutation is not
 * NULL, an outbox row (args NULL: {"id": id}). NOT_FOUND when absent. */
gboolean      buurten_store_delete       (BuurtenStore            *self,
                                          const BuurtenEntityInfo *info,
                                          const char              *id,
                                          const char              *actor,
                                          const char              *mutation,
                                          JsonNode                *args,
                                          GError                 **error);

/* Removes the outbox rows with seq <= up_to_seq (pushed and answered). */
gboolean      buurten_store_outbox_remove (BuurtenStore *self,
                                           gint64        up_to_seq,
                                           GError      **error);

/* Small settings of this copy (sync cursor, client id). get: NULL with
 * BUURTEN_STORE_ERROR_NOT_FOUND when unset; set with value NULL unsets. */
char         *buurten_store_get_meta     (BuurtenStore *self,
                                          const char   *key,
                                          GError      **error);
gboolean      buurten_store_set_meta     (BuurtenStore *self,
                                          const char   *key,
                                          const char   *value,
                                          GError      **error);

/* ---- sync (schema 2) -------------------------------------------------- */

/* Something the user must see and decide about: a change the server
 * refused (kind "rejected": code, message and the mutation as sent, so
 * nothing typed is lost) or a field changed on both sides (kind
 * "conflict": field, theirs_json and yours_json are JSON values), or an
 * edit of something deleted on the server (kind "deleted": yours_json is
 * the row as it was here). */
typedef struct
{
  gint64  id;
  char   *kind;
  char   *mutation;
  char   *args_json;
  char   *object_type;
  char   *object_id;
  char   *field;
  char   *code;
  char   *message;
  char   *theirs_json;
  char   *yours_json;
  char   *conflict_id;  /* the server's id of a conflict, or NULL */
  gint64  created_at;
  /* A refusal's arguments as JSON text (buurten-refusal.h), or NULL
   * (schema 3). */
  char   *refusal_args_json;
} BuurtenAttention;

void buurten_attention_free (BuurtenAttention *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BuurtenAttention, buurten_attention_free)

typedef enum
{
  BUURTEN_REMOTE_FAILED,   /* error is set */
  BUURTEN_REMOTE_APPLIED,
  BUURTEN_REMOTE_MERGED,   /* applied, except fields with local changes still waiting */
  BUURTEN_REMOTE_KEPT,     /* not applied: the whole row has local changes waiting */
} BuurtenRemoteResult;

/* A row as the server has it (a pull's "row", personal fields as the
 * server sent them), at the object's version; row is changed in place
 * (its version, and the fields kept from here). Fields that outbox rows
 * still change keep their local values, and then the local version too.
 * No outbox row is written; the audit trail notes changes to rows we had. */
BuurtenRemoteResult buurten_store_apply_remote_put    (BuurtenStore            *self,
                                                       const BuurtenEntityInfo *info,
                                                       JsonObject              *row,
                                                       gint64                   version,
                                                       GError                 **error);
/* The same, with `prepared`: the entity the caller made of `row` (with
 * `version` set in it) by buurten_entity_from_json() and validated, on
 * another thread while this one wrote (a pull's next page). It is used
 * unless fields of the row wait in the outbox (then `row` is merged as
 * above); borrowed. NULL: as buurten_store_apply_remote_put(). */
BuurtenRemoteResult buurten_store_apply_remote_prepared (BuurtenStore            *self,
                                                         const BuurtenEntityInfo *info,
                                                         JsonObject              *row,
                                                         gint64                   version,
                                                         gconstpointer            prepared,
                                                         GError                 **error);
/* A tombstone. Absent rows are fine; a row with waiting changes is kept. */
BuurtenRemoteResult buurten_store_apply_remote_delete (BuurtenStore            *self,
                                                       const BuurtenEntityInfo *info,
                                                       const char              *id,
                                                       GError                 **error);
/* Drops the local rows of one sync scope (a wijk id, "cluster:<id>" or
 * "city") after a reset; the outbox and the attention list stay. */
gboolean      buurten_store_drop_scope        (BuurtenStore  *self,
                                               const char    *scope,
                                               GError       **error);

gboolean      buurten_store_add_attention     (BuurtenStore           *self,
                                               const BuurtenAttention *item,
                                               GError                **error);
/* Open items, oldest first (BuurtenAttention*). */
GPtrArray    *buurten_store_list_attention    (BuurtenStore  *self,
                                               GError       **error);
/* Open items and initiatives whose decision is late. */
gint64        buurten_store_attention_count   (BuurtenStore  *self,
                                               GError       **error);
gboolean      buurten_store_resolve_attention (BuurtenStore  *self,
                                               gint64         id,
                                               GError       **error);

/* The day buurten_store_attention_count() counts late decisions on: the
 * app's today (BUURTEN_TODAY in tests), else the local date. */
void          buurten_store_set_attention_today      (BuurtenStore  *self,
                                                      const GDate   *today);
void          buurten_store_get_attention_today      (BuurtenStore  *self,
                                                      GDate         *out);

G_END_DECLS
