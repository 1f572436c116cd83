/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-store-queries"

#include "config.h"

#include "buurten-store-queries.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

/* ---- BuurtenItem ---------------------------------------------------- */

struct _BuurtenItem
{
  GObject                  parent_instance;

  const BuurtenEntityInfo *info;
  gpointer                 entity;   /* owned */
};

G_DEFINE_FINAL_TYPE (BuurtenItem, buurten_item, G_TYPE_OBJECT)

static void
buurten_item_finalize (GObject *object)
{
  BuurtenItem *self = (BuurtenItem *) object;

  if (self->entity != NULL)
    buurten_entity_free (self->info, self->entity);

  G_OBJECT_CLASS (buurten_item_parent_class)->finalize (object);
}

static void
buurten_item_class_init (BuurtenItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = buurten_item_finalize;
}

static void
buurten_item_init (BuurtenItem *self)
{
}

BuurtenItem *
buurten_item_new (const BuurtenEntityInfo *info,
                  gpointer                 entity)
{
  BuurtenItem *self;

  g_return_val_if_fail (info != NULL, NULL);
  g_return_val_if_fail (entity != NULL, NULL);

  self = g_object_new (BUURTEN_TYPE_ITEM, NULL);
  self->info = info;
  self->entity = entity;

  return self;
}

const BuurtenEntityInfo *
buurten_item_get_info (BuurtenItem *self)
{
  g_return_val_if_fail (BUURTEN_IS_ITEM (self), NULL);

  return self->info;
}

gpointer
buurten_item_get_entity (BuurtenItem *self)
{
  g_return_val_if_fail (BUURTEN_IS_ITEM (self), NULL);

  return self->entity;
}

const char *
buurten_item_get_id (BuurtenItem *self)
{
  g_return_val_if_fail (BUURTEN_IS_ITEM (self), NULL);

  /* Every entity starts with its id (the key field comes first). */
  return *(char **) self->entity;
}

/* ---- a private read-only connection --------------------------------- */

typedef sqlite3 ReadDb;

static void
read_db_close (ReadDb *db)
{
  sqlite3_close_v2 (db);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReadDb, read_db_close)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

static ReadDb *
read_db_open (BuurtenStore  *store,
              GError       **error)
{
  sqlite3 *db = NULL;
  int rc;

  rc = sqlite3_open_v2 (buurten_store_get_path (store), &db,
                        SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_OPEN,
                   "%s: %s", buurten_store_get_path (store),
                   db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
      sqlite3_close_v2 (db);
      return NULL;
    }
  /* A writer in WAL mode never blocks readers, but a checkpoint can. */
  sqlite3_busy_timeout (db, 5000);

  return db;
}

static sqlite3_stmt *
read_prepare (ReadDb      *db,
              const char  *sql,
              GError     **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_IO,
                   "%s", sqlite3_errmsg (db));
      return NULL;
    }

  return stmt;
}

static gboolean
read_done (ReadDb  *db,
           int      rc,
           GError **error)
{
  if (rc == SQLITE_DONE)
    return TRUE;

  g_set_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_IO, "%s", sqlite3_errmsg (db));
  return FALSE;
}

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

/* The ids the statement returns in its first column. */
static GPtrArray *
read_ids (ReadDb        *db,
          sqlite3_stmt  *stmt,
          GError       **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  if (!read_done (db, rc, error))
    return NULL;

  return g_steal_pointer (&ids);
}

/* The entities of ids, in that order; ids deleted in between are left out. */
static GPtrArray *
get_entities (BuurtenStore            *store,
              const BuurtenEntityInfo *info,
              GPtrArray               *ids,
              GError                 **error)
{
  g_autoptr(GPtrArray) entities = g_ptr_array_new ();

  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(GError) local_error = NULL;
      gpointer entity = buurten_store_get (store, info, g_ptr_array_index (ids, i),
                                           &local_error);

      if (entity == NULL)
        {
          if (g_error_matches (local_error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_NOT_FOUND))
            continue;
          for (guint k = 0; k < entities->len; k++)
            buurten_entity_free (info, g_ptr_array_index (entities, k));
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      g_ptr_array_add (entities, entity);
    }

  return g_steal_pointer (&entities);
}

static void
free_entities (const BuurtenEntityInfo *info,
               GPtrArray               *entities)
{
  if (entities == NULL)
    return;
  for (guint i = 0; i < entities->len; i++)
    buurten_entity_free (info, g_ptr_array_index (entities, i));
  g_ptr_array_unref (entities);
}

static GListModel *
items_to_model (const BuurtenEntityInfo *info,
                GPtrArray               *entities)
{
  GListStore *model = g_list_store_new (BUURTEN_TYPE_ITEM);
  g_autoptr(GPtrArray) items = g_ptr_array_new_full (entities->len, g_object_unref);

  for (guint i = 0; i < entities->len; i++)
    g_ptr_array_add (items, buurten_item_new (info, g_ptr_array_index (entities, i)));
  /* One splice: one items-changed instead of one per row. */
  g_list_store_splice (model, 0, 0, items->pdata, items->len);
  g_ptr_array_unref (entities);

  return G_LIST_MODEL (model);
}

/* ---- lists ---------------------------------------------------------- */

GListModel *
buurten_store_list_model (BuurtenStore            *store,
                          const BuurtenEntityInfo *info,
                          const char              *field,
                          const char              *value,
                          GError                 **error)
{
  GPtrArray *entities;

  g_return_val_if_fail (BUURTEN_IS_STORE (store), NULL);
  g_return_val_if_fail (info != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  entities = buurten_store_list (store, info, field, value, error);
  if (entities == NULL)
    return NULL;

  return items_to_model (info, entities);
}

GListModel *
buurten_store_list_meetings (BuurtenStore  *store,
                             const char    *wijk,
                             const char    *cluster,
                             GError       **error)
{
  g_autoptr(ReadDb) db = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  GPtrArray *entities;

  g_return_val_if_fail (BUURTEN_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  db = read_db_open (store, error);
  if (db == NULL)
    return NULL;
  stmt = read_prepare (db,
                       "SELECT id FROM meeting WHERE wijk = ?1 OR cluster = ?2 OR "
                       "(wijk IS NULL AND cluster IS NULL) ORDER BY starts_at, id",
                       error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, wijk);
  bind_text (stmt, 2, cluster);
  ids = read_ids (db, stmt, error);
  if (ids == NULL)
    return NULL;

  entities = get_entities (store, &buurten_meeting_info, ids, error);
  if (entities == NULL)
    return NULL;

  return items_to_model (&buurten_meeting_info, entities);
}

/* ---- deadlines ------------------------------------------------------ */

static void
date_from_unix (gint64  seconds,
                GDate  *out)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (seconds);

  g_date_clear (out, 1);
  if (time == NULL)
    return;
  g_date_set_dmy (out,
                  (GDateDay) g_date_time_get_day_of_month (time),
                  (GDateMonth) g_date_time_get_month (time),
                  (GDateYear) g_date_time_get_year (time));
}

void
buurten_request_get_deadline (const BuurtenRequest *request,
                              BuurtenDeadline      *out)
{
  g_return_if_fail (request != NULL);
  g_return_if_fail (out != NULL);

  memset (out, 0, sizeof *out);
  date_from_unix (request->received_at, &out->received);
  out->term_days = (guint) CLAMP (request->term_days, 0, G_MAXUINT);
  out->paused_working_days = (guint) CLAMP (request->paused_working_days, 0, G_MAXUINT);
  out->paused_since = request->paused_since;
}

gboolean
buurten_request_clock_runs (const BuurtenRequest *request)
{
  g_return_val_if_fail (request != NULL, FALSE);

  return !buurten_state_is_final (BUURTEN_MACHINE_REQUEST, request->state);
}

/* ---- the dashboard -------------------------------------------------- */

void
buurten_overdue_request_free (BuurtenOverdueRequest *overdue)
{
  if (overdue == NULL)
    return;
  buurten_request_free (overdue->request);
  g_free (overdue);
}

void
buurten_pending_decision_free (BuurtenPendingDecision *pending)
{
  if (pending == NULL)
    return;
  buurten_initiative_free (pending->initiative);
  buurten_commitment_free (pending->commitment);
  free_entities (&buurten_signature_info, pending->signatures);
  g_free (pending);
}

void
buurten_dashboard_free (BuurtenDashboard *dashboard)
{
  if (dashboard == NULL)
    return;
  g_free (dashboard->wijk);
  g_clear_pointer (&dashboard->overdue, g_ptr_array_unref);
  g_clear_pointer (&dashboard->pending, g_ptr_array_unref);
  free_entities (&buurten_escalation_info, dashboard->escalations);
  buurten_meeting_free (dashboard->next_meeting);
  free_entities (&buurten_agenda_item_info, dashboard->agenda);
  free_entities (&buurten_theme_info, dashboard->themes);
  g_free (dashboard);
}

typedef struct
{
  char           *id;
  GDate           due;
  guint           elapsed;
  BuurtenOverdue  overdue;
} OverdueCandidate;

static void
overdue_candidate_clear (gpointer data)
{
  OverdueCandidate *candidate = data;

  g_free (candidate->id);
}

static int
compare_candidates (gconstpointer a,
                    gconstpointer b)
{
  const OverdueCandidate *x = a;
  const OverdueCandidate *y = b;

  /* Most working days over first; then by id, so the order is stable. */
  if (x->elapsed != y->elapsed)
    return x->elapsed > y->elapsed ? -1 : 1;
  return g_strcmp0 (x->id, y->id);
}

static gboolean
load_overdue (BuurtenStore      *store,
              ReadDb            *db,
              BuurtenDashboard  *dashboard,
              const GDate       *today,
              guint              max_overdue,
              GError           **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GArray) candidates = g_array_new (FALSE, TRUE, sizeof (OverdueCandidate));
  int rc;

  g_array_set_clear_func (candidates, overdue_candidate_clear);

  stmt = read_prepare (db,
                       "SELECT id, received_at, term_days, paused_working_days, paused_since,"
                       " state FROM request WHERE wijk = ?1",
                       error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, dashboard->wijk);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BuurtenRequest request = { 0, };
      BuurtenDeadline deadline;
      OverdueCandidate candidate = { 0, };
      int state = 0;
      const char *paused = (const char *) sqlite3_column_text (stmt, 4);

      if (!buurten_state_from_id (BUURTEN_MACHINE_REQUEST,
                                  (const char *) sqlite3_column_text (stmt, 5), &state))
        continue;
      request.state = state;
      if (!buurten_request_clock_runs (&request))
        continue;

      request.received_at = sqlite3_column_int64 (stmt, 1);
      request.term_days = sqlite3_column_int64 (stmt, 2);
      request.paused_working_days = sqlite3_column_int64 (stmt, 3);
      g_date_clear (&request.paused_since, 1);
      if (paused != NULL && paused[0] != '\0')
        {
          int y = 0;
          int m = 0;
          int d = 0;

          if (sscanf (paused, "%4d-%2d-%2d", &y, &m, &d) == 3 &&
              g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
            g_date_set_dmy (&request.paused_since, (GDateDay) d, (GDateMonth) m,
                            (GDateYear) y);
        }

      buurten_request_get_deadline (&request, &deadline);
      if (!g_date_valid (&deadline.received))
        continue;
      candidate.overdue = buurten_deadline_status (&deadline, today);
      if (candidate.overdue == BUURTEN_OVERDUE_NONE)
        continue;

      candidate.id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      candidate.elapsed = buurten_deadline_elapsed (&deadline, today);
      buurten_deadline_due_date (&deadline, today, &candidate.due);
      g_array_append_val (candidates, candidate);

      dashboard->n_overdue++;
      if (candidate.overdue == BUURTEN_OVERDUE_SEVERELY)
        dashboard->n_severely_overdue++;
    }
  if (!read_done (db, rc, error))
    return FALSE;

  g_array_sort (candidates, compare_candidates);

  for (guint i = 0; i < candidates->len && dashboard->overdue->len < max_overdue; i++)
    {
      OverdueCandidate *candidate = &g_array_index (candidates, OverdueCandidate, i);
      g_autoptr(GError) local_error = NULL;
      BuurtenOverdueRequest *overdue;
      BuurtenRequest *request;

      request = buurten_store_get (store, &buurten_request_info, candidate->id, &local_error);
      if (request == NULL)
        {
          if (g_error_matches (local_error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_NOT_FOUND))
            continue;
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }

      overdue = g_new0 (BuurtenOverdueRequest, 1);
      overdue->request = request;
      overdue->due = candidate->due;
      overdue->elapsed = candidate->elapsed;
      overdue->overdue = candidate->overdue;
      g_ptr_array_add (dashboard->overdue, overdue);
    }

  return TRUE;
}

static BuurtenPendingDecision *
load_pending (BuurtenStore  *store,
              const char    *initiative_id,
              const char    *commitment_id,
              GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  BuurtenPendingDecision *pending = g_new0 (BuurtenPendingDecision, 1);

  pending->initiative = buurten_store_get (store, &buurten_initiative_info, initiative_id,
                                           &local_error);
  if (pending->initiative == NULL)
    goto fail;

  if (commitment_id != NULL)
    {
      pending->commitment = buurten_store_get (store, &buurten_commitment_info,
                                               commitment_id, &local_error);
      if (pending->commitment == NULL)
        goto fail;
      pending->signatures = buurten_store_list (store, &buurten_signature_info,
                                                "commitment_id", commitment_id,
                                                &local_error);
      if (pending->signatures == NULL)
        goto fail;
    }
  else
    {
      pending->signatures = g_ptr_array_new ();
    }

  return pending;

fail:
  buurten_pending_decision_free (pending);
  /* Gone in between: leave it out rather than fail the whole card. */
  if (!g_error_matches (local_error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_NOT_FOUND))
    g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

static gboolean
load_pending_rows (BuurtenStore  *store,
                   ReadDb        *db,
                   sqlite3_stmt  *stmt,
                   GPtrArray     *out,
                   GError       **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(GError) local_error = NULL;
      BuurtenPendingDecision *pending;

      pending = load_pending (store, (const char *) sqlite3_column_text (stmt, 0),
                              (const char *) sqlite3_column_text (stmt, 1), &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (pending != NULL)
        g_ptr_array_add (out, pending);
    }

  return read_done (db, rc, error);
}

static GPtrArray *
query_entities (BuurtenStore             *store,
                ReadDb                   *db,
                const BuurtenEntityInfo  *info,
                const char               *sql,
                const char               *text1,
                const char               *text2,
                gint64                    number3,
                GError                  **error)
{
  g_autoptr(sqlite3_stmt) stmt = read_prepare (db, sql, error);
  g_autoptr(GPtrArray) ids = NULL;

  if (stmt == NULL)
    return NULL;
  if (sqlite3_bind_parameter_count (stmt) >= 1)
    bind_text (stmt, 1, text1);
  if (sqlite3_bind_parameter_count (stmt) >= 2)
    bind_text (stmt, 2, text2);
  if (sqlite3_bind_parameter_count (stmt) >= 3)
    sqlite3_bind_int64 (stmt, 3, number3);

  ids = read_ids (db, stmt, error);
  if (ids == NULL)
    return NULL;

  return get_entities (store, info, ids, error);
}

static int
compare_agenda (gconstpointer a,
                gconstpointer b)
{
  const BuurtenAgendaItem *x = *(BuurtenAgendaItem * const *) a;
  const BuurtenAgendaItem *y = *(BuurtenAgendaItem * const *) b;

  return x->position < y->position ? -1 : x->position > y->position;
}

BuurtenDashboard *
buurten_store_dashboard (BuurtenStore  *store,
                         const char    *wijk,
                         const char    *cluster,
                         int            year,
                         const GDate   *today,
                         gint64         now,
                         guint          max_overdue,
                         GError       **error)
{
  g_autoptr(BuurtenDashboard) dashboard = NULL;
  g_autoptr(ReadDb) db = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) meetings = NULL;

  g_return_val_if_fail (BUURTEN_IS_STORE (store), NULL);
  g_return_val_if_fail (wijk != NULL, NULL);
  g_return_val_if_fail (today != NULL && g_date_valid (today), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  db = read_db_open (store, error);
  if (db == NULL)
    return NULL;

  dashboard = g_new0 (BuurtenDashboard, 1);
  dashboard->wijk = g_strdup (wijk);
  dashboard->overdue = g_ptr_array_new_with_free_func ((GDestroyNotify) buurten_overdue_request_free);
  dashboard->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) buurten_pending_decision_free);

  if (!load_overdue (store, db, dashboard, today, max_overdue, error))
    return NULL;

  /* Waiting for a signature, then checked and waiting for a decision. */
  stmt = read_prepare (db,
                       "SELECT initiative_id, id FROM commitment WHERE wijk = ?1 AND "
                       "state = 'pending' ORDER BY created_at, id",
                       error);
  if (stmt != NULL)
    bind_text (stmt, 1, wijk);
  if (stmt == NULL || !load_pending_rows (store, db, stmt, dashboard->pending, error))
    return NULL;
  g_clear_pointer (&stmt, sqlite3_finalize);
  stmt = read_prepare (db,
                       "SELECT i.id, NULL FROM initiative AS i WHERE i.wijk = ?1 AND "
                       "i.state = 'getoetst' AND NOT EXISTS (SELECT 1 FROM commitment AS c "
                       "WHERE c.initiative_id = i.id AND c.state != 'cancelled') "
                       "ORDER BY i.received_at, i.id",
                       error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, wijk);
  if (!load_pending_rows (store, db, stmt, dashboard->pending, error))
    return NULL;

  dashboard->escalations =
    query_entities (store, db, &buurten_escalation_info,
                    "SELECT id FROM escalation WHERE wijk = ?1 AND state IN ('open', 'opgepakt') "
                    "ORDER BY opened_at, id",
                    wijk, NULL, 0, error);
  if (dashboard->escalations == NULL)
    return NULL;

  /* The next wijkteam meeting of the wijk's cluster; else any meeting of
   * the wijk itself. */
  meetings = query_entities (store, db, &buurten_meeting_info,
                             "SELECT id FROM meeting WHERE (wijk = ?1 OR cluster = ?2) AND "
                             "starts_at >= ?3 ORDER BY kind != 'wijkteam', starts_at, id "
                             "LIMIT 1",
                             wijk, cluster, now, error);
  if (meetings == NULL)
    return NULL;
  if (meetings->len > 0)
    {
      dashboard->next_meeting = g_ptr_array_steal_index (meetings, 0);
      dashboard->agenda = buurten_store_list (store, &buurten_agenda_item_info, "meeting_id",
                                              dashboard->next_meeting->id, error);
      if (dashboard->agenda == NULL)
        return NULL;
      g_ptr_array_sort (dashboard->agenda, compare_agenda);
    }
  else
    {
      dashboard->agenda = g_ptr_array_new ();
    }
  g_clear_pointer (&meetings, g_ptr_array_unref);

  {
    g_autofree char *year_text = g_strdup_printf ("%d", year);

    dashboard->themes =
      query_entities (store, db, &buurten_theme_info,
                      "SELECT id FROM theme WHERE wijk = ?1 AND year = CAST(?2 AS INTEGER) "
                      "ORDER BY position, id",
                      wijk, year_text, 0, error);
    if (dashboard->themes == NULL)
      return NULL;
  }

  return g_steal_pointer (&dashboard);
}

GPtrArray *
buurten_store_pending_decisions (BuurtenStore        *store,
                                 const char * const  *wijken,
                                 gboolean             include_wijkkansen,
                                 GError             **error)
{
  g_autoptr(ReadDb) db = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) result = NULL;
  g_autoptr(GHashTable) wanted = g_hash_table_new (g_str_hash, g_str_equal);
  int rc;

  g_return_val_if_fail (BUURTEN_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  for (guint i = 0; wijken != NULL && wijken[i] != NULL; i++)
    g_hash_table_add (wanted, (gpointer) wijken[i]);

  db = read_db_open (store, error);
  if (db == NULL)
    return NULL;

  stmt = read_prepare (db,
                       "SELECT initiative_id, id, wijk, funding FROM commitment "
                       "WHERE state = 'pending' ORDER BY created_at, id",
                       error);
  if (stmt == NULL)
    return NULL;

  result = g_ptr_array_new_with_free_func ((GDestroyNotify) buurten_pending_decision_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(GError) local_error = NULL;
      const char *wijk = (const char *) sqlite3_column_text (stmt, 2);
      const char *funding = (const char *) sqlite3_column_text (stmt, 3);
      BuurtenPendingDecision *pending;

      if (!(wijk != NULL && g_hash_table_contains (wanted, wijk)) &&
          !(include_wijkkansen && g_strcmp0 (funding, "wijkkansen") == 0))
        continue;

      pending = load_pending (store, (const char *) sqlite3_column_text (stmt, 0),
                              (const char *) sqlite3_column_text (stmt, 1), &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (pending != NULL)
        g_ptr_array_add (result, pending);
    }
  if (!read_done (db, rc, error))
    return NULL;

  return g_steal_pointer (&result);
}

/* ---- search as you type in a list ----------------------------------- */

/* How often (in SQLite virtual machine steps) a running search looks at
 * its cancellable: about every 0.1 ms. */
#define LIST_SEARCH_PROGRESS_STEPS 1000

struct _BuurtenListSearch
{
  GObject       parent_instance;

  BuurtenStore *store;
  GMutex        mutex;
  /* Below: only with the mutex held. */
  ReadDb       *db;
  sqlite3_stmt *stmt;
};

G_DEFINE_FINAL_TYPE (BuurtenListSearch, buurten_list_search, G_TYPE_OBJECT)

static void
buurten_list_search_finalize (GObject *object)
{
  BuurtenListSearch *self = (BuurtenListSearch *) object;

  g_clear_pointer (&self->stmt, sqlite3_finalize);
  g_clear_pointer (&self->db, read_db_close);
  g_clear_object (&self->store);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (buurten_list_search_parent_class)->finalize (object);
}

static void
buurten_list_search_class_init (BuurtenListSearchClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = buurten_list_search_finalize;
}

static void
buurten_list_search_init (BuurtenListSearch *self)
{
  g_mutex_init (&self->mutex);
}

BuurtenListSearch *
buurten_list_search_new (BuurtenStore *store)
{
  BuurtenListSearch *self;

  g_return_val_if_fail (BUURTEN_IS_STORE (store), NULL);

  self = g_object_new (BUURTEN_TYPE_LIST_SEARCH, NULL);
  self->store = g_object_ref (store);

  return self;
}

static int
list_search_progress_cb (gpointer user_data)
{
  /* Non-zero interrupts the statement (SQLITE_INTERRUPT). */
  return g_cancellable_is_cancelled (user_data);
}

static gboolean
list_search_open (BuurtenListSearch  *self,
                  GError            **error)
{
  if (self->stmt != NULL)
    return TRUE;

  self->db = read_db_open (self->store, error);
  if (self->db == NULL)
    return FALSE;
  /* Read through a memory map: no copy per page into a cold cache. */
  sqlite3_exec (self->db, "PRAGMA mmap_size = 268435456", NULL, NULL, NULL);

  /* No rank and no ORDER BY: FTS5 then only walks the word lists. type and
   * wijk are compared exactly (the index matched the wijk's words). */
  self->stmt = read_prepare (self->db,
                             "SELECT id FROM search WHERE search MATCH ?1 AND type = ?2 "
                             "AND (?3 IS NULL OR wijk = ?3)",
                             error);
  if (self->stmt == NULL)
    {
      g_clear_pointer (&self->db, read_db_close);
      return FALSE;
    }
  return TRUE;
}

GHashTable *
buurten_list_search_run (BuurtenListSearch  *self,
                         const char         *type,
                         const char         *wijk,
                         const char         *text,
                         GCancellable       *cancellable,
                         GError            **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GHashTable) ids = NULL;
  g_autofree char *query = NULL;
  int rc;

  g_return_val_if_fail (BUURTEN_IS_LIST_SEARCH (self), NULL);
  g_return_val_if_fail (type != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  query = buurten_store_search_query (text, wijk);
  if (query == NULL)
    return g_steal_pointer (&ids);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  locker = g_mutex_locker_new (&self->mutex);
  if (!list_search_open (self, error))
    return NULL;

  sqlite3_progress_handler (self->db, LIST_SEARCH_PROGRESS_STEPS,
                            cancellable != NULL ? list_search_progress_cb : NULL, cancellable);
  sqlite3_bind_text (self->stmt, 1, query, -1, SQLITE_STATIC);
  sqlite3_bind_text (self->stmt, 2, type, -1, SQLITE_STATIC);
  if (wijk != NULL)
    sqlite3_bind_text (self->stmt, 3, wijk, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (self->stmt, 3);

  while ((rc = sqlite3_step (self->stmt)) == SQLITE_ROW)
    g_hash_table_add (ids, g_strdup ((const char *) sqlite3_column_text (self->stmt, 0)));

  if (rc == SQLITE_INTERRUPT ||
      (rc != SQLITE_DONE && g_cancellable_is_cancelled (cancellable)))
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Search cancelled");
  else if (rc != SQLITE_DONE)
    g_set_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_IO, "search: %s",
                 sqlite3_errmsg (self->db));

  sqlite3_reset (self->stmt);
  sqlite3_clear_bindings (self->stmt);
  sqlite3_progress_handler (self->db, 0, NULL, NULL);

  if (rc != SQLITE_DONE)
    return NULL;
  return g_steal_pointer (&ids);
}

static void
mandate_free (gpointer data)
{
  if (data != NULL)
    buurten_mandate_result_free (data);
}

GPtrArray *
buurten_store_pending_mandates (BuurtenStore        *store,
                                BuurtenMunicipality *municipality,
                                int                  year,
                                GPtrArray           *pending,
                                GError             **error)
{
  g_autoptr(GPtrArray) mandates = g_ptr_array_new_with_free_func (mandate_free);
  g_autoptr(BuurtenLedger) ledger = NULL;

  g_return_val_if_fail (BUURTEN_IS_STORE (store), NULL);
  g_return_val_if_fail (BUURTEN_IS_MUNICIPALITY (municipality), NULL);
  g_return_val_if_fail (pending != NULL, NULL);

  if (pending->len > 0)
    {
      ledger = buurten_store_ledger (store, municipality, year, error);
      if (ledger == NULL)
        return NULL;
    }

  for (guint i = 0; i < pending->len; i++)
    {
      const BuurtenPendingDecision *decision = g_ptr_array_index (pending, i);
      g_autoptr(BuurtenCommitment) proposed = NULL;
      g_autoptr(GPtrArray) commitments = NULL;
      g_autoptr(GError) local_error = NULL;
      const BuurtenCommitment *commitment = decision->commitment;

      if (commitment == NULL)
        commitment = proposed = buurten_commitment_proposal (decision->initiative, year);

      commitments = buurten_store_list (store, &buurten_commitment_info, "initiative_id",
                                        decision->initiative->id, error);
      if (commitments == NULL)
        return NULL;
      g_ptr_array_set_free_func (commitments, (GDestroyNotify) buurten_commitment_free);

      g_ptr_array_add (mandates,
                       buurten_commitment_mandate (municipality, ledger, commitment, commitments,
                                                   NULL, &local_error));
      if (local_error != NULL)
        g_debug ("No mandate for a pending decision: %s", local_error->message);
    }

  return g_steal_pointer (&mandates);
}
