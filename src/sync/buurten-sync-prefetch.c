/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-sync"

#include "config.h"

#include "buurten-sync-prefetch.h"

/* Two threads: the downloader asks for the next page as soon as the
 * server names it in the answer's Link header (rel="next"), and the
 * parser turns the pages' text into JSON trees, in order. So the server's
 * work on a page, json-glib's parsing of the one before and the caller's
 * writing of the one before that overlap. A server that sends no Link
 * still works: the downloader then waits for the cursor in the parsed
 * page. */

/* A page's text, downloader to parser. */
typedef struct
{
  GBytes *text;   /* NULL: the download failed */
  char   *next;   /* the Link's path, or NULL */
  GError *error;
} Raw;

/* A parsed page, parser to caller, and back to be freed. */
typedef struct
{
  JsonNode  *answer;    /* NULL: the end, with error or without */
  GPtrArray *prepared;  /* of BuurtenSyncPrepared or NULL, per change; or NULL */
  GError    *error;
} Page;

struct _BuurtenSyncPrefetch
{
  BuurtenSyncClient *client;
  char              *first_path;
  guint              limit;
  guint              ahead;

  /* Ours, cancelled by stop() and whenever the caller's is. */
  GCancellable      *cancellable;
  GCancellable      *outer;
  gulong             outer_handler;

  GMutex             lock;
  GCond              changed;
  GQueue             raw;           /* of Raw, oldest first */
  gboolean           raw_done;      /* the downloader queued its last Raw */
  gboolean           told;          /* the parser answered a page without Link */
  char              *told_path;     /* ... with the next path, or NULL: the end */
  GQueue             pages;         /* of Page, oldest first */
  gboolean           finished;      /* the parser queued its last Page */
  GQueue             spent;         /* of Page: applied pages, to free */
  gboolean           stopping;      /* the caller takes no more pages */

  GThread           *downloader;
  GThread           *parser;
};

static void
raw_free (Raw *raw)
{
  g_clear_pointer (&raw->text, g_bytes_unref);
  g_free (raw->next);
  g_clear_error (&raw->error);
  g_free (raw);
}

static void
page_free (Page *page)
{
  g_clear_pointer (&page->answer, json_node_unref);
  g_clear_pointer (&page->prepared, g_ptr_array_unref);
  g_clear_error (&page->error);
  g_free (page);
}

static void
prepared_free (BuurtenSyncPrepared *prepared)
{
  if (prepared == NULL)
    return;
  buurten_entity_free (prepared->info, prepared->entity);
  g_free (prepared);
}

/* One change's row as its entity, as buurten_store_apply_remote_put()
 * would make it (the change's version set into the row first); NULL
 * when it is not a valid put of a known type: the writer then takes the
 * JSON way, which reports what is wrong. */
static BuurtenSyncPrepared *
prepare_change (JsonObject *change)
{
  const char *type = NULL, *op = NULL;
  const BuurtenEntityInfo *info;
  JsonObject *row = NULL;
  g_autoptr(JsonNode) node = NULL;
  BuurtenSyncPrepared *prepared;
  gint64 version = 0;
  gpointer entity;

  if (!buurten_json_get_string (change, "change", "type", TRUE, &type, NULL) ||
      !buurten_json_get_string (change, "change", "op", TRUE, &op, NULL) ||
      g_str_equal (op, "del") ||
      !buurten_json_get_int (change, "change", "version", FALSE, &version, NULL) ||
      !buurten_json_get_object (change, "change", "row", TRUE, &row, NULL))
    return NULL;
  info = buurten_entity_info_lookup (type);
  if (info == NULL)
    return NULL;

  if (buurten_entity_info_get_field (info, "version") != NULL)
    json_object_set_int_member (row, "version", version);
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, row);
  entity = buurten_entity_from_json (info, node, NULL);
  if (entity == NULL)
    return NULL;
  if (!buurten_entity_validate (info, entity, NULL))
    {
      buurten_entity_free (info, entity);
      return NULL;
    }
  prepared = g_new (BuurtenSyncPrepared, 1);
  prepared->info = info;
  prepared->entity = entity;
  return prepared;
}

/* Converting the rows here, while the caller writes the page before,
 * takes that work off the writing thread, the longer of the two. */
static GPtrArray *
prepare_page (JsonNode *answer)
{
  JsonNode *changes = json_object_get_member (json_node_get_object (answer), "changes");
  GPtrArray *prepared;
  JsonArray *array;
  guint n;

  if (changes == NULL || !JSON_NODE_HOLDS_ARRAY (changes))
    return NULL;
  array = json_node_get_array (changes);
  n = json_array_get_length (array);
  prepared = g_ptr_array_new_full (n, (GDestroyNotify) prepared_free);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *change = json_array_get_element (array, i);

      g_ptr_array_add (prepared, JSON_NODE_HOLDS_OBJECT (change)
                                   ? prepare_change (json_node_get_object (change)) : NULL);
    }
  return prepared;
}

/* The address of the page after `cursor`, as the server writes it in its
 * Link header, so the two can be compared. NULL cursor: the first page. */
static char *
page_path (const char *cursor,
           guint       limit)
{
  g_autofree char *escaped = NULL;

  if (cursor == NULL)
    return g_strdup_printf ("/sync/pull?limit=%u&versions=false", limit);
  escaped = g_uri_escape_string (cursor, NULL, FALSE);
  return g_strdup_printf ("/sync/pull?cursor=%s&limit=%u&versions=false", escaped, limit);
}

/* Frees the applied pages waiting to be freed. Call with the lock held;
 * it is dropped while freeing. */
static void
free_spent_locked (BuurtenSyncPrefetch *self)
{
  Page *spent;

  while ((spent = g_queue_pop_head (&self->spent)) != NULL)
    {
      /* Freeing a page's tree costs about a third of writing it: it is
       * done here, while the caller goes on. */
      g_mutex_unlock (&self->lock);
      page_free (spent);
      g_mutex_lock (&self->lock);
    }
}

static gpointer
downloader_thread (gpointer data)
{
  BuurtenSyncPrefetch *self = data;
  g_autofree char *path = g_strdup (self->first_path);

  for (;;)
    {
      Raw *raw = g_new0 (Raw, 1);

      raw->text = buurten_sync_client_get_text (self->client, path, &raw->next,
                                                self->cancellable, &raw->error);
      g_clear_pointer (&path, g_free);

      g_mutex_lock (&self->lock);
      g_queue_push_tail (&self->raw, raw);
      g_cond_broadcast (&self->changed);
      if (raw->text != NULL && raw->next != NULL)
        path = g_strdup (raw->next);
      else if (raw->text != NULL)
        {
          /* No Link: the parser says from the page where to go on. */
          while (!self->told && !self->stopping)
            g_cond_wait (&self->changed, &self->lock);
          path = g_steal_pointer (&self->told_path);
          self->told = FALSE;
        }
      while (path != NULL && !self->stopping && self->raw.length >= self->ahead)
        g_cond_wait (&self->changed, &self->lock);
      if (path == NULL || self->stopping)
        {
          self->raw_done = TRUE;
          g_cond_broadcast (&self->changed);
          g_mutex_unlock (&self->lock);
          return NULL;
        }
      g_mutex_unlock (&self->lock);
    }
}

/* Queues a parsed page; waits while `ahead` pages wait already, freeing
 * spent ones meanwhile. Returns FALSE when the caller stopped taking
 * pages. */
static gboolean
push_page (BuurtenSyncPrefetch *self,
           JsonNode            *answer,
           GPtrArray           *prepared,
           GError              *error,
           gboolean             last)
{
  Page *page = g_new0 (Page, 1);
  gboolean go_on;

  page->answer = answer;
  page->prepared = prepared;
  page->error = error;

  g_mutex_lock (&self->lock);
  g_queue_push_tail (&self->pages, page);
  if (last)
    self->finished = TRUE;
  g_cond_broadcast (&self->changed);
  for (;;)
    {
      free_spent_locked (self);
      if (last || self->stopping || self->pages.length < self->ahead)
        break;
      g_cond_wait (&self->changed, &self->lock);
    }
  go_on = !self->stopping;
  g_mutex_unlock (&self->lock);
  return go_on;
}

/* The position after a page and whether more follows: NULL when the page
 * does not say both readably (the caller's checks report it). */
static const char *
page_cursor (JsonNode *answer,
             gboolean *more)
{
  JsonObject *object;
  JsonNode *cursor, *more_node;

  if (!JSON_NODE_HOLDS_OBJECT (answer))
    return NULL;
  object = json_node_get_object (answer);
  cursor = json_object_get_member (object, "cursor");
  more_node = json_object_get_member (object, "more");
  if (cursor == NULL || json_node_get_value_type (cursor) != G_TYPE_STRING ||
      more_node == NULL || json_node_get_value_type (more_node) != G_TYPE_BOOLEAN)
    return NULL;
  *more = json_node_get_boolean (more_node);
  return json_node_get_string (cursor);
}

/* Tells a downloader that waits for a page without Link where to go on
 * (NULL: nowhere). */
static void
tell_downloader (BuurtenSyncPrefetch *self,
                 char                *path)
{
  g_mutex_lock (&self->lock);
  g_free (self->told_path);
  self->told_path = path;
  self->told = TRUE;
  g_cond_broadcast (&self->changed);
  g_mutex_unlock (&self->lock);
}

static gpointer
parser_thread (gpointer data)
{
  BuurtenSyncPrefetch *self = data;

  for (;;)
    {
      Raw *raw;
      JsonNode *answer;
      GError *error = NULL;
      const char *cursor;
      g_autofree char *expected = NULL;
      gboolean more = FALSE, last;

      g_mutex_lock (&self->lock);
      for (;;)
        {
          free_spent_locked (self);
          if (self->raw.length > 0 || self->raw_done || self->stopping)
            break;
          g_cond_wait (&self->changed, &self->lock);
        }
      raw = self->stopping ? NULL : g_queue_pop_head (&self->raw);
      if (raw == NULL)
        {
          /* Stopped, or the downloader ended without a last page. */
          self->finished = TRUE;
          g_cond_broadcast (&self->changed);
          g_mutex_unlock (&self->lock);
          return NULL;
        }
      g_cond_broadcast (&self->changed);
      g_mutex_unlock (&self->lock);

      if (raw->text == NULL)
        {
          push_page (self, NULL, NULL, g_steal_pointer (&raw->error), TRUE);
          raw_free (raw);
          return NULL;
        }

      answer = buurten_sync_client_parse (raw->text, &error);
      if (answer == NULL)
        {
          if (raw->next == NULL)
            tell_downloader (self, NULL);
          push_page (self, NULL, NULL, error, TRUE);
          raw_free (raw);
          return NULL;
        }

      cursor = page_cursor (answer, &more);
      last = cursor == NULL || !more;
      if (!last)
        expected = page_path (cursor, self->limit);
      if (raw->next == NULL)
        tell_downloader (self, g_strdup (expected));
      else if (!last && !g_str_equal (raw->next, expected))
        {
          /* The next page asked for is not the one after this page: what
           * was fetched ahead is not used, the pull ends here. */
          json_node_unref (answer);
          g_set_error_literal (&error, BUURTEN_SYNC_ERROR, BUURTEN_SYNC_ERROR_PROTOCOL,
                               "pull: the Link to the next page does not match the cursor");
          push_page (self, NULL, NULL, error, TRUE);
          raw_free (raw);
          return NULL;
        }
      raw_free (raw);

      if (!push_page (self, answer, prepare_page (answer), NULL, last) || last)
        return NULL;
    }
}

static void
outer_cancelled (GCancellable *outer,
                 gpointer      data)
{
  g_cancellable_cancel (G_CANCELLABLE (data));
}

BuurtenSyncPrefetch *
buurten_sync_prefetch_start (BuurtenSyncClient *client,
                             const char        *cursor,
                             guint              limit,
                             guint              ahead,
                             GCancellable      *cancellable)
{
  BuurtenSyncPrefetch *self;

  g_return_val_if_fail (BUURTEN_IS_SYNC_CLIENT (client), NULL);
  g_return_val_if_fail (limit > 0 && ahead > 0, NULL);

  self = g_new0 (BuurtenSyncPrefetch, 1);
  self->client = g_object_ref (client);
  self->first_path = page_path (cursor, limit);
  self->limit = limit;
  self->ahead = ahead;
  self->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      self->outer = g_object_ref (cancellable);
      /* Runs outer_cancelled at once when it is cancelled already. */
      self->outer_handler = g_cancellable_connect (cancellable, G_CALLBACK (outer_cancelled),
                                                   self->cancellable, NULL);
    }
  g_mutex_init (&self->lock);
  g_cond_init (&self->changed);
  g_queue_init (&self->raw);
  g_queue_init (&self->pages);
  g_queue_init (&self->spent);
  self->downloader = g_thread_new ("buurten-pull", downloader_thread, self);
  self->parser = g_thread_new ("buurten-parse", parser_thread, self);
  return self;
}

gboolean
buurten_sync_prefetch_ready (BuurtenSyncPrefetch *self)
{
  gboolean ready;

  g_return_val_if_fail (self != NULL, FALSE);

  g_mutex_lock (&self->lock);
  ready = self->pages.length > 0 || self->finished;
  g_mutex_unlock (&self->lock);
  return ready;
}

JsonNode *
buurten_sync_prefetch_next (BuurtenSyncPrefetch  *self,
                            GPtrArray           **prepared,
                            GError              **error)
{
  Page *page;
  JsonNode *answer;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (prepared != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  *prepared = NULL;

  g_mutex_lock (&self->lock);
  while (self->pages.length == 0 && !self->finished)
    g_cond_wait (&self->changed, &self->lock);
  page = g_queue_pop_head (&self->pages);
  g_cond_broadcast (&self->changed);
  g_mutex_unlock (&self->lock);

  if (page == NULL)
    return NULL;  /* asked again after the last page */
  if (page->error != NULL)
    g_propagate_error (error, g_steal_pointer (&page->error));
  answer = g_steal_pointer (&page->answer);
  *prepared = g_steal_pointer (&page->prepared);
  page_free (page);
  return answer;
}

void
buurten_sync_prefetch_release (BuurtenSyncPrefetch *self,
                               JsonNode            *answer,
                               GPtrArray           *prepared)
{
  Page *spent;

  g_return_if_fail (self != NULL);

  if (answer == NULL && prepared == NULL)
    return;
  spent = g_new0 (Page, 1);
  spent->answer = answer;
  spent->prepared = prepared;
  g_mutex_lock (&self->lock);
  if (!self->finished)
    {
      g_queue_push_tail (&self->spent, spent);
      g_cond_broadcast (&self->changed);
      spent = NULL;
    }
  g_mutex_unlock (&self->lock);
  if (spent != NULL)
    page_free (spent);  /* no thread left to do it */
}

void
buurten_sync_prefetch_stop (BuurtenSyncPrefetch *self)
{
  if (self == NULL)
    return;

  g_mutex_lock (&self->lock);
  self->stopping = TRUE;
  g_cond_broadcast (&self->changed);
  g_mutex_unlock (&self->lock);
  /* A download in flight ends now rather than at its timeout. When the
   * pull ran to its end the threads are gone already. */
  g_cancellable_cancel (self->cancellable);
  g_thread_join (self->downloader);
  g_thread_join (self->parser);

  if (self->outer != NULL)
    {
      g_cancellable_disconnect (self->outer, self->outer_handler);
      g_object_unref (self->outer);
    }
  g_queue_clear_full (&self->raw, (GDestroyNotify) raw_free);
  g_queue_clear_full (&self->pages, (GDestroyNotify) page_free);
  g_queue_clear_full (&self->spent, (GDestroyNotify) page_free);
  g_free (self->told_path);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->changed);
  g_object_unref (self->cancellable);
  g_object_unref (self->client);
  g_free (self->first_path);
  g_free (self);
}
