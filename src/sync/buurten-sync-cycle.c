/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-sync"

#include "config.h"

#include "buurten-sync-cycle.h"
#include "buurten-sync-blobs.h"
#include "buurten-sync-prefetch.h"

#include <signal.h>
#include <string.h>

#include <glib/gi18n.h>

#define PUSH_BATCH 500
/* Rows a pull page: fewer, larger local transactions write the same index
 * pages fewer times (bench/bench-sync.py). */
#define PULL_LIMIT 2500
/* Pages parsed and waiting while one is written: the memory of a first
 * sync stays a few pages, however large the city. */
#define PULL_AHEAD 1
/* Pulled pages that are parsed and waiting share a local transaction,
 * up to this many rows. Each commit makes FTS5 write its pending terms as
 * a new segment, which later merges rewrite, and rewrites the pages of
 * the random-UUID indexes the transaction touched: with 10 000 rows
 * instead of 2 500 a commit, the search index of a first sync costs about
 * 40 % less CPU. The transaction holds the store's lock, which the UI
 * thread may wait for, so it is committed before waiting for a page that
 * is not there yet (never held across the network), after the first page
 * (so that something shows at once) and at this size (a few tenths of a
 * second of writing). */
#define PULL_BATCH_ROWS 10000

/* Fault injection for the crash tests (tests/sync): BUURTEN_SYNC_CRASH
 * names a point at which the process kills itself with SIGKILL, exactly
 * as kill -9 from outside would, but at a known moment:
 *   after-push  the server committed a push, its answer is not recorded;
 *   mid-page    half of a pull page (the second page) is applied, not
 *               committed. */
static void
crash_point (const char *name)
{
  const char *wanted = g_getenv ("BUURTEN_SYNC_CRASH");

  if (wanted != NULL && g_str_equal (wanted, name))
    raise (SIGKILL);
}

/* BUURTEN_SYNC_PULL_LIMIT: smaller pages for the tests that need several
 * pages of a few thousand rows (tests/sync). */
static guint
pull_limit (void)
{
  const char *text = g_getenv ("BUURTEN_SYNC_PULL_LIMIT");
  guint64 limit;

  if (text != NULL && g_ascii_string_to_unsigned (text, 10, 1, PULL_LIMIT, &limit, NULL))
    return (guint) limit;
  return PULL_LIMIT;
}

const BuurtenEntityInfo *
buurten_sync_mutation_entity (const char *mutation)
{
  const BuurtenMutationInfo *info = buurten_mutation_lookup (mutation);

  return info != NULL ? info->entity : NULL;
}

static char *
ensure_client_id (BuurtenStore  *store,
                  GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  char *id = buurten_store_get_meta (store, BUURTEN_SYNC_META_CLIENT_ID, &local_error);

  if (id != NULL)
    return id;
  if (!g_error_matches (local_error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  id = buurten_uuid_new ();
  if (!buurten_store_set_meta (store, BUURTEN_SYNC_META_CLIENT_ID, id, error))
    g_clear_pointer (&id, g_free);
  return id;
}

static JsonNode *
push_body (const char *client_id,
           JsonArray  *mutations)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (object, "client_id", client_id);
  json_object_set_int_member (object, "schema", 1);
  json_object_set_array_member (object, "mutations", mutations);
  json_node_take_object (node, object);
  return node;
}

static gboolean
read_last_mid (JsonNode  *answer,
               gint64    *last_mid,
               GError   **error)
{
  return buurten_json_get_int (json_node_get_object (answer), "push", "last_mid", TRUE,
                               last_mid, error);
}

/* The difference between outbox seq and protocol mid, fixed at the first
 * push of this copy: mids start where the server's last_mid for our
 * client_id is (0 for a new one), whatever seq the outbox has reached. */
static gboolean
mid_offset (BuurtenStore      *store,
            BuurtenSyncClient *client,
            const char        *client_id,
            gint64             first_seq,
            gint64            *offset,
            GCancellable      *cancellable,
            GError           **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *text = buurten_store_get_meta (store, BUURTEN_SYNC_META_MID_OFFSET,
                                                  &local_error);
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) answer = NULL;
  char buf[32];
  gint64 last_mid;

  if (text != NULL)
    {
      *offset = g_ascii_strtoll (text, NULL, 10);
      return TRUE;
    }
  if (!g_error_matches (local_error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  body = push_body (client_id, json_array_new ());
  answer = buurten_sync_client_call (client, "POST", "/sync/push", body, NULL, cancellable,
                                     error);
  if (answer == NULL || !read_last_mid (answer, &last_mid, error))
    return FALSE;

  *offset = first_seq - 1 - last_mid;
  g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, *offset);
  return buurten_store_set_meta (store, BUURTEN_SYNC_META_MID_OFFSET, buf, error);
}

typedef struct
{
  const BuurtenEntityInfo *info;
  char                    *id;
} Refetch;

static void
refetch_free (Refetch *refetch)
{
  g_free (refetch->id);
  g_free (refetch);
}

static char *
node_to_string (JsonNode *node)
{
  return node != NULL ? buurten_json_to_string (node) : NULL;
}

/* The local row as JSON text, or NULL. */
static char *
local_row (BuurtenStore            *store,
           const BuurtenEntityInfo *info,
           const char              *id)
{
  gpointer entity;
  g_autoptr(JsonNode) node = NULL;

  if (info == NULL || id == NULL)
    return NULL;
  entity = buurten_store_get (store, info, id, NULL);
  if (entity == NULL)
    return NULL;
  node = buurten_entity_to_json (info, entity, TRUE);
  buurten_entity_free (info, entity);
  return buurten_json_to_string (node);
}

static gboolean
record_conflicts (BuurtenStore  *store,
                  JsonArray     *conflicts,
                  guint         *count,
                  GError       **error)
{
  for (guint i = 0; conflicts != NULL && i < json_array_get_length (conflicts); i++)
    {
      JsonNode *node = json_array_get_element (conflicts, i);
      g_autoptr(BuurtenAttention) item = g_new0 (BuurtenAttention, 1);
      JsonObject *object;
      const char *id = NULL, *type = NULL, *row = NULL, *field = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      object = json_node_get_object (node);
      if (!buurten_json_get_string (object, "conflict", "id", TRUE, &id, error) ||
          !buurten_json_get_string (object, "conflict", "type", TRUE, &type, error) ||
          !buurten_json_get_string (object, "conflict", "row", TRUE, &row, error) ||
          !buurten_json_get_string (object, "conflict", "field", TRUE, &field, error))
        return FALSE;

      item->kind = g_strdup ("conflict");
      item->conflict_id = g_strdup (id);
      item->object_type = g_strdup (type);
      item->object_id = g_strdup (row);
      item->field = g_strdup (field);
      item->code = g_strdup ("CONFLICT");
      item->theirs_json = node_to_string (json_object_get_member (object, "theirs"));
      item->yours_json = node_to_string (json_object_get_member (object, "yours"));
      if (!buurten_store_add_attention (store, item, error))
        return FALSE;
      (*count)++;
    }
  return TRUE;
}

/* The answered part of the outbox, for push_answer_write(). */
typedef struct
{
  GPtrArray        *entries;
  guint             first;
  guint             n;
  gint64            offset;
  gint64            last_mid;
  JsonArray        *results;
  GPtrArray        *refetch;
  BuurtenSyncStats *stats;
} PushAnswer;

/* A unit of work on the store's writer (one transaction): refusals and
 * conflicts into the attention list, the answered outbox rows removed. */
static gboolean
push_answer_write (BuurtenStore  *store,
                   gpointer       data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  PushAnswer *push = data;

  for (guint i = 0; i < json_array_get_length (push->results); i++)
    {
      JsonNode *node = json_array_get_element (push->results, i);
      JsonObject *result;
      const char *status = NULL, *code = NULL, *message = NULL;
      JsonObject *refusal_args = NULL;
      const BuurtenOutboxEntry *entry = NULL;
      const BuurtenEntityInfo *info;
      g_autoptr(JsonNode) args = NULL;
      const char *object_id = NULL;
      gint64 mid;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      result = json_node_get_object (node);
      if (!buurten_json_get_int (result, "result", "mid", TRUE, &mid, error) ||
          !buurten_json_get_string (result, "result", "status", TRUE, &status, error) ||
          !buurten_json_get_string (result, "result", "code", FALSE, &code, error) ||
          !buurten_json_get_string (result, "result", "message", FALSE, &message, error) ||
          !buurten_json_get_object (result, "result", "args", FALSE, &refusal_args, error))
        return FALSE;

      for (guint k = push->first; k < push->first + push->n; k++)
        {
          const BuurtenOutboxEntry *candidate = g_ptr_array_index (push->entries, k);

          if (candidate->seq - push->offset == mid)
            entry = candidate;
        }
      if (entry == NULL || g_str_equal (status, "applied"))
        continue;

      info = buurten_sync_mutation_entity (entry->name);
      args = buurten_json_parse (entry->args_json, -1, BUURTEN_JSON_DEFAULT_MAX_DEPTH, NULL);
      if (args != NULL && JSON_NODE_HOLDS_OBJECT (args))
        object_id = json_object_get_string_member_with_default (json_node_get_object (args),
                                                                "id", NULL);
      if (info != NULL && object_id != NULL)
        {
          Refetch *again = g_new0 (Refetch, 1);

          again->info = info;
          again->id = g_strdup (object_id);
          g_ptr_array_add (push->refetch, again);
        }

      if (g_str_equal (status, "conflict"))
        {
          JsonObject *inner = NULL;
          JsonArray *conflicts = NULL;

          if (!buurten_json_get_object (result, "result", "result", FALSE, &inner, error) ||
              (inner != NULL &&
               !buurten_json_get_array (inner, "result", "conflicts", FALSE, &conflicts, error)) ||
              !record_conflicts (store, conflicts, &push->stats->conflicts, error))
            return FALSE;
          continue;
        }

      /* Refused: kept, with the reason, for the user to see and decide. */
      {
        g_autoptr(BuurtenAttention) item = g_new0 (BuurtenAttention, 1);
        const BuurtenMutationInfo *mutation = buurten_mutation_lookup (entry->name);
        gboolean deleted = g_strcmp0 (code, "NOT_FOUND") == 0 &&
                           (mutation == NULL ||
                            mutation->shape != BUURTEN_MUTATION_SHAPE_CREATE);

        item->kind = g_strdup (deleted ? "deleted" : "rejected");
        item->mutation = g_strdup (entry->name);
        item->args_json = g_strdup (entry->args_json);
        item->object_type = g_strdup (info != NULL ? info->name : NULL);
        item->object_id = g_strdup (object_id);
        item->code = g_strdup (code != NULL ? code : "INTERNAL");
        item->message = g_strdup (message);
        if (refusal_args != NULL)
          {
            g_autoptr(JsonNode) args_node = json_node_new (JSON_NODE_OBJECT);

            json_node_set_object (args_node, refusal_args);
            item->refusal_args_json = buurten_json_to_string (args_node);
          }
        if (deleted)
          item->yours_json = local_row (store, info, object_id);
        if (!buurten_store_add_attention (store, item, error))
          return FALSE;
        push->stats->rejected++;
      }
    }

  return buurten_store_outbox_remove (store, push->last_mid + push->offset, error);
}

/* One push answer applied: refusals and conflicts into the attention
 * list and the answered outbox rows removed, in one local transaction. */
static gboolean
apply_push_answer (BuurtenStore  *store,
                   GPtrArray     *entries,
                   guint          first,
                   guint          n,
                   gint64         offset,
                   JsonNode      *answer,
                   GPtrArray     *refetch,
                   BuurtenSyncStats *stats,
                   GError       **error)
{
  JsonArray *results = NULL;
  gint64 last_mid;

  if (!read_last_mid (answer, &last_mid, error) ||
      !buurten_json_get_array (json_node_get_object (answer), "push", "results", TRUE,
                               &results, error))
    return FALSE;

  {
    PushAnswer push = { entries, first, n, offset, last_mid, results, refetch, stats };

    if (!buurten_store_write (store, push_answer_write, &push, NULL, error))
      return FALSE;
  }
  stats->pushed += (guint) json_array_get_length (results);
  return TRUE;
}

static gboolean
push_outbox (BuurtenStore      *store,
             BuurtenSyncClient *client,
             GPtrArray         *refetch,
             BuurtenSyncStats  *stats,
             GCancellable      *cancellable,
             GError           **error)
{
  g_autoptr(GPtrArray) entries = buurten_store_outbox (store, error);
  g_autofree char *client_id = NULL;
  gint64 offset;

  if (entries == NULL)
    return FALSE;
  if (entries->len == 0)
    return TRUE;

  client_id = ensure_client_id (store, error);
  if (client_id == NULL)
    return FALSE;
  if (!mid_offset (store, client, client_id,
                   ((BuurtenOutboxEntry *) g_ptr_array_index (entries, 0))->seq, &offset,
                   cancellable, error))
    return FALSE;

  for (guint first = 0; first < entries->len; first += PUSH_BATCH)
    {
      guint n = MIN (PUSH_BATCH, entries->len - first);
      JsonArray *mutations = json_array_new ();
      g_autoptr(JsonNode) body = NULL;
      g_autoptr(JsonNode) answer = NULL;

      for (guint k = first; k < first + n; k++)
        {
          const BuurtenOutboxEntry *entry = g_ptr_array_index (entries, k);
          JsonObject *mutation = json_object_new ();
          JsonNode *args = buurten_json_parse (entry->args_json, -1,
                                               BUURTEN_JSON_DEFAULT_MAX_DEPTH, NULL);

          if (args == NULL)
            args = json_node_init_object (json_node_alloc (), json_object_new ());
          json_object_set_int_member (mutation, "mid", entry->seq - offset);
          json_object_set_string_member (mutation, "name", entry->name);
          json_object_set_member (mutation, "args", args);
          json_array_add_object_element (mutations, mutation);
        }

      body = push_body (client_id, mutations);
      answer = buurten_sync_client_call (client, "POST", "/sync/push", body, NULL, cancellable,
                                         error);
      if (answer == NULL)
        return FALSE;
      crash_point ("after-push");
      if (!apply_push_answer (store, entries, first, n, offset, answer, refetch, stats, error))
        return FALSE;
    }
  return TRUE;
}

/* prepared: the row made into its entity by the parsing thread, or NULL. */
static gboolean
apply_change (BuurtenStore              *store,
              JsonObject                *change,
              const BuurtenSyncPrepared *prepared,
              GError                   **error)
{
  const char *type = NULL, *id = NULL, *op = NULL;
  const BuurtenEntityInfo *info;
  JsonObject *row = NULL;
  gint64 version = 0;

  if (!buurten_json_get_string (change, "change", "type", TRUE, &type, error) ||
      !buurten_json_get_string (change, "change", "id", TRUE, &id, error) ||
      !buurten_json_get_string (change, "change", "op", TRUE, &op, error) ||
      !buurten_json_get_int (change, "change", "version", FALSE, &version, error))
    return FALSE;

  info = buurten_entity_info_lookup (type);
  if (info == NULL)
    {
      /* A type of a newer server: this app cannot show it anyway. */
      g_debug ("pull: skipping a change of unknown type %s", type);
      return TRUE;
    }

  if (g_str_equal (op, "del"))
    return buurten_store_apply_remote_delete (store, info, id, error) != BUURTEN_REMOTE_FAILED;

  if (!buurten_json_get_object (change, "change", "row", TRUE, &row, error))
    return FALSE;
  return buurten_store_apply_remote_prepared (store, info, row, version,
                                              prepared != NULL && prepared->info == info
                                                ? prepared->entity : NULL,
                                              error) != BUURTEN_REMOTE_FAILED;
}

/* A pull writes its pages in units of work on the store's writer
 * (buurten_store_write_pulled()): the first page alone, then each unit
 * takes the pages that are already waiting, up to PULL_BATCH_ROWS rows, so
 * a transaction grows only while parsed pages wait and is never open
 * across the network. A page is written whole with its cursor or not at
 * all; a fetch that fails inside a unit ends it, and the pages before stay. */
typedef struct
{
  BuurtenSyncPrefetch     *prefetch;
  BuurtenSyncStats        *stats;
  BuurtenSyncProgressFunc  progress;
  gpointer                 user_data;
  GCancellable            *cancellable;
  /* The page the unit starts with, fetched outside it. */
  JsonNode                *answer;
  GPtrArray               *prepared;
  gboolean                 more;
  guint64                  done;
  guint64                  total;
  /* Why the pull stops after this unit (a fetch that failed, a page that
   * is not one, cancelled): the unit's pages before it are kept. */
  GError                  *stop;
} PullUnit;

/* Checks a page, then writes its changes and its cursor. FALSE with
 * error when a change cannot be written (the unit is rolled back); a page
 * that is not one sets unit->stop and writes nothing of it. */
static gboolean
write_page (BuurtenStore  *store,
            PullUnit      *unit,
            JsonNode      *answer,
            GPtrArray     *prepared,
            guint         *rows,
            GError       **error)
{
  BuurtenSyncStats *stats = unit->stats;
  JsonObject *object, *reset = NULL;
  JsonArray *changes = NULL, *conflicts = NULL;  /* read, checked, not recorded */
  const char *next = NULL;
  gint64 announced = 0;
  gboolean more = FALSE;
  guint n;

  if (!JSON_NODE_HOLDS_OBJECT (answer))
    {
      g_set_error_literal (&unit->stop, BUURTEN_SYNC_ERROR, BUURTEN_SYNC_ERROR_PROTOCOL,
                           "pull: expected an object");
      return TRUE;
    }
  object = json_node_get_object (answer);
  if (!buurten_json_get_string (object, "pull", "cursor", TRUE, &next, &unit->stop) ||
      !buurten_json_get_bool (object, "pull", "more", TRUE, &more, &unit->stop) ||
      !buurten_json_get_array (object, "pull", "changes", TRUE, &changes, &unit->stop) ||
      !buurten_json_get_array (object, "pull", "conflicts", FALSE, &conflicts, &unit->stop) ||
      !buurten_json_get_object (object, "pull", "reset", FALSE, &reset, &unit->stop) ||
      !buurten_json_get_int (object, "pull", "total", FALSE, &announced, &unit->stop))
    return TRUE;
  if (announced > 0 && unit->total == 0)
    unit->total = (guint64) announced;

  if (reset != NULL)
    {
      JsonArray *scopes = NULL;

      if (!buurten_json_get_array (reset, "pull.reset", "wijken", TRUE, &scopes, error))
        return FALSE;
      for (guint i = 0; i < json_array_get_length (scopes); i++)
        {
          JsonNode *scope = json_array_get_element (scopes, i);

          if (JSON_NODE_HOLDS_VALUE (scope) &&
              json_node_get_value_type (scope) == G_TYPE_STRING &&
              !buurten_store_drop_scope (store, json_node_get_string (scope), error))
            return FALSE;
        }
    }

  n = json_array_get_length (changes);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *change = json_array_get_element (changes, i);

      if (!JSON_NODE_HOLDS_OBJECT (change))
        {
          g_set_error (error, BUURTEN_SYNC_ERROR, BUURTEN_SYNC_ERROR_PROTOCOL,
                       "pull.changes[%u]: expected an object", i);
          return FALSE;
        }
      if (!apply_change (store, json_node_get_object (change),
                         prepared != NULL && i < prepared->len
                           ? g_ptr_array_index (prepared, i) : NULL,
                         error))
        return FALSE;
      if (stats->pages == 1 && i == n / 2)
        crash_point ("mid-page");
    }

  /* The page's "conflicts" are not recorded: they are the user's, from
   * any laptop, resolved or not, and the laptop that pushed the change
   * has them already from the push result (a replayed push returns it
   * again). Recording them here would ask every laptop of the user,
   * and a new one, to decide again. */
  if (!buurten_store_set_meta (store, BUURTEN_SYNC_META_CURSOR, next, error))
    return FALSE;

  unit->more = more;
  *rows += n;
  stats->pages++;
  stats->pulled += n;
  unit->done += n;
  if (unit->progress != NULL)
    unit->progress (unit->done, MAX (unit->total, unit->done), unit->user_data);
  return TRUE;
}

static gboolean
pull_unit (BuurtenStore  *store,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  PullUnit *unit = data;
  gboolean first_of_pull = unit->stats->pages == 0;
  guint rows = 0;

  if (!write_page (store, unit, unit->answer, unit->prepared, &rows, error))
    return FALSE;
  buurten_sync_prefetch_release (unit->prefetch, g_steal_pointer (&unit->answer),
                                 g_steal_pointer (&unit->prepared));

  /* The first page of a pull goes alone: the laptop shows something soon. */
  while (!first_of_pull && unit->stop == NULL && unit->more && rows < PULL_BATCH_ROWS &&
         buurten_sync_prefetch_ready (unit->prefetch))
    {
      g_autoptr(JsonNode) answer = NULL;
      g_autoptr(GPtrArray) prepared = NULL;

      if (g_cancellable_set_error_if_cancelled (unit->cancellable, &unit->stop))
        break;
      answer = buurten_sync_prefetch_next (unit->prefetch, &prepared, &unit->stop);
      if (answer == NULL)
        {
          if (unit->stop == NULL)
            g_set_error_literal (&unit->stop, BUURTEN_SYNC_ERROR, BUURTEN_SYNC_ERROR_PROTOCOL,
                                 "pull: the pages ended without one that says \"more\": false");
          break;
        }
      if (!write_page (store, unit, answer, prepared, &rows, error))
        return FALSE;
      buurten_sync_prefetch_release (unit->prefetch, g_steal_pointer (&answer),
                                     g_steal_pointer (&prepared));
    }

  return TRUE;
}

/* A page above what this laptop takes (rows of long texts): ask again from
 * the last page written, for half as many rows, until they fit. The pages
 * written stay. */
static gboolean
restart_smaller (BuurtenStore          *store,
                 BuurtenSyncClient     *client,
                 BuurtenSyncPrefetch  **prefetch,
                 char                 **cursor,
                 guint                 *limit,
                 BuurtenSyncStats      *stats,
                 GCancellable          *cancellable,
                 GError               **error)
{
  g_autoptr(GError) local_error = NULL;

  g_clear_pointer (prefetch, buurten_sync_prefetch_stop);
  g_clear_pointer (cursor, g_free);
  *cursor = buurten_store_get_meta (store, BUURTEN_SYNC_META_CURSOR, &local_error);
  if (*cursor == NULL &&
      !g_error_matches (local_error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  *limit /= 2;
  stats->page_limit = *limit;
  g_debug ("pull: a page was too large, asking for %u rows a page", *limit);
  *prefetch = buurten_sync_prefetch_start (client, *cursor, *limit, PULL_AHEAD, cancellable);
  return TRUE;
}

gboolean
buurten_sync_pull (BuurtenStore            *store,
                   BuurtenSyncClient       *client,
                   BuurtenSyncProgressFunc  progress,
                   gpointer                 user_data,
                   BuurtenSyncStats        *stats,
                   GCancellable            *cancellable,
                   GError                 **error)
{
  BuurtenSyncStats local_stats = { 0 };
  g_autoptr(GError) local_error = NULL;
  g_autofree char *cursor = buurten_store_get_meta (store, BUURTEN_SYNC_META_CURSOR,
                                                    &local_error);
  g_autoptr(BuurtenSyncPrefetch) prefetch = NULL;
  PullUnit unit = { 0 };
  guint limit;

  if (stats == NULL)
    stats = &local_stats;
  if (cursor == NULL &&
      !g_error_matches (local_error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  /* The next pages are fetched and parsed while this thread writes one
   * into the store; the client is the prefetch thread's until it stops. */
  limit = pull_limit ();
  prefetch = buurten_sync_prefetch_start (client, cursor, limit, PULL_AHEAD, cancellable);

  unit.stats = stats;
  unit.progress = progress;
  unit.user_data = user_data;
  unit.cancellable = cancellable;
  unit.more = TRUE;

  while (unit.more)
    {
      g_autoptr(JsonNode) answer = NULL;
      g_autoptr(GPtrArray) prepared = NULL;
      g_autoptr(GError) fetch_error = NULL;
      gboolean ok;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      answer = buurten_sync_prefetch_next (prefetch, &prepared, &fetch_error);
      if (answer == NULL &&
          g_error_matches (fetch_error, BUURTEN_SYNC_ERROR, BUURTEN_SYNC_ERROR_TOO_LARGE) &&
          limit > 1)
        {
          if (!restart_smaller (store, client, &prefetch, &cursor, &limit, stats, cancellable,
                                error))
            return FALSE;
          continue;
        }
      if (answer == NULL)
        {
          if (fetch_error != NULL)
            g_propagate_error (error, g_steal_pointer (&fetch_error));
          else
            g_set_error_literal (error, BUURTEN_SYNC_ERROR, BUURTEN_SYNC_ERROR_PROTOCOL,
                                 "pull: the pages ended without one that says \"more\": false");
          return FALSE;
        }

      unit.prefetch = prefetch;
      unit.answer = g_steal_pointer (&answer);
      unit.prepared = g_steal_pointer (&prepared);
      /* On failure the pages of this unit go too: they come again from the
       * last cursor that was written. */
      ok = buurten_store_write_pulled (store, pull_unit, &unit, NULL, error);
      if (unit.answer != NULL)
        buurten_sync_prefetch_release (prefetch, g_steal_pointer (&unit.answer),
                                       g_steal_pointer (&unit.prepared));
      if (!ok)
        {
          g_clear_error (&unit.stop);
          return FALSE;
        }
      if (unit.stop != NULL)
        {
          /* A page too large met inside a unit: ask again in halves, as
           * above, from the pages that were written. */
          if (g_error_matches (unit.stop, BUURTEN_SYNC_ERROR, BUURTEN_SYNC_ERROR_TOO_LARGE) &&
              limit > 1)
            {
              g_clear_error (&unit.stop);
              if (!restart_smaller (store, client, &prefetch, &cursor, &limit, stats,
                                    cancellable, error))
                return FALSE;
              unit.more = TRUE;
              continue;
            }
          g_propagate_error (error, g_steal_pointer (&unit.stop));
          return FALSE;
        }
    }
  if (stats->pages > 0)
    buurten_store_checkpoint (store);
  return TRUE;
}

/* After a refusal or a conflict, the object as the server has it now:
 * what we showed locally was never accepted. Gone or not ours (404, 403):
 * the local row goes too; the attention list keeps what was typed. */
static gboolean
refetch_objects (BuurtenStore      *store,
                 BuurtenSyncClient *client,
                 GPtrArray         *refetch,
                 GCancellable      *cancellable,
                 GError           **error)
{
  for (guint i = 0; i < refetch->len; i++)
    {
      Refetch *again = g_ptr_array_index (refetch, i);
      g_autofree char *path = g_strdup_printf ("/objects/%s/%s", again->info->name, again->id);
      g_autoptr(GError) local_error = NULL;
      g_autoptr(JsonNode) answer = buurten_sync_client_call (client, "GET", path, NULL, NULL,
                                                             cancellable, &local_error);
      JsonObject *object, *row = NULL;
      gboolean deleted = FALSE;
      gint64 version = 0;

      if (answer == NULL)
        {
          if (g_error_matches (local_error, BUURTEN_SYNC_ERROR, BUURTEN_SYNC_ERROR_NOT_FOUND) ||
              g_error_matches (local_error, BUURTEN_SYNC_ERROR, BUURTEN_SYNC_ERROR_FORBIDDEN))
            {
              if (buurten_store_apply_remote_delete (store, again->info, again->id, error) ==
                  BUURTEN_REMOTE_FAILED)
                return FALSE;
              continue;
            }
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }

      object = json_node_get_object (answer);
      if (!buurten_json_get_bool (object, "object", "deleted", FALSE, &deleted, error) ||
          !buurten_json_get_int (object, "object", "version", FALSE, &version, error) ||
          (!deleted && !buurten_json_get_object (object, "object", "row", TRUE, &row, error)))
        return FALSE;

      if (deleted || row == NULL)
        {
          if (buurten_store_apply_remote_delete (store, again->info, again->id, error) ==
              BUURTEN_REMOTE_FAILED)
            return FALSE;
        }
      else if (buurten_store_apply_remote_put (store, again->info, row, version, error) ==
               BUURTEN_REMOTE_FAILED)
        return FALSE;
    }
  return TRUE;
}

gboolean
buurten_sync_run_cycle (BuurtenStore            *store,
                        BuurtenSyncClient       *client,
                        BuurtenSyncProgressFunc  progress,
                        gpointer                 user_data,
                        BuurtenSyncStats        *stats,
                        GCancellable            *cancellable,
                        GError                 **error)
{
  g_autoptr(GPtrArray) refetch = g_ptr_array_new_with_free_func ((GDestroyNotify) refetch_free);
  BuurtenSyncStats local_stats = { 0 };
  guint64 bytes_before;
  char buf[32];

  g_return_val_if_fail (BUURTEN_IS_STORE (store), FALSE);
  g_return_val_if_fail (BUURTEN_IS_SYNC_CLIENT (client), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (stats == NULL)
    stats = &local_stats;
  bytes_before = buurten_sync_client_get_bytes (client);

  if (!push_outbox (store, client, refetch, stats, cancellable, error) ||
      !buurten_sync_upload_blobs (store, client, &stats->blobs_uploaded, &stats->blobs_refused,
                                  cancellable, error) ||
      !buurten_sync_pull (store, client, progress, user_data, stats, cancellable, error) ||
      !refetch_objects (store, client, refetch, cancellable, error))
    {
      stats->bytes = buurten_sync_client_get_bytes (client) - bytes_before;
      return FALSE;
    }

  stats->bytes = buurten_sync_client_get_bytes (client) - bytes_before;
  g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, g_get_real_time () / G_USEC_PER_SEC);
  return buurten_store_set_meta (store, BUURTEN_SYNC_META_LAST_SYNC, buf, error);
}
