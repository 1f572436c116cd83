/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-sync"

#include "config.h"

#include "buurten-sync-prefetch.h"

/* One fetched page, or how the fetching ended. */
typedef struct
{
  JsonNode *answer;  /* NULL: the end, with error or without */
  GError   *error;
} Page;

struct _BuurtenSyncPrefetch
{
  BuurtenSyncClient *client;
  char              *cursor;
  guint              limit;
  guint              ahead;

  /* Ours, cancelled by stop() and whenever the caller's is. */
  GCancellable      *cancellable;
  GCancellable      *outer;
  gulong             outer_handler;

  GMutex             lock;
  GCond              changed;
  GQueue             pages;      /* of Page, oldest first */
  GQueue             spent;      /* of JsonNode: applied pages, to free here */
  gboolean           finished;   /* the thread queued its last Page */
  gboolean           stopping;   /* the caller takes no more pages */

  GThread           *thread;
};

static void
page_free (Page *page)
{
  g_clear_pointer (&page->answer, json_node_unref);
  g_clear_error (&page->error);
  g_free (page);
}

/* Queues a page; waits while `ahead` pages wait already. Returns FALSE
 * when the caller stopped taking pages. */
static gboolean
push_page (BuurtenSyncPrefetch *self,
           JsonNode            *answer,
           GError              *error,
           gboolean             last)
{
  Page *page = g_new0 (Page, 1);
  gboolean go_on;

  page->answer = answer;
  page->error = error;

  g_mutex_lock (&self->lock);
  g_queue_push_tail (&self->pages, page);
  if (last)
    self->finished = TRUE;
  g_cond_broadcast (&self->changed);
  for (;;)
    {
      JsonNode *spent = g_queue_pop_head (&self->spent);

      if (spent != NULL)
        {
          /* Freeing a page's tree costs about a third of writing it: it
           * is done here, while the writer goes on. */
          g_mutex_unlock (&self->lock);
          json_node_unref (spent);
          g_mutex_lock (&self->lock);
          continue;
        }
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

static gpointer
prefetch_thread (gpointer data)
{
  BuurtenSyncPrefetch *self = data;
  g_autofree char *cursor = g_strdup (self->cursor);

  for (;;)
    {
      g_autofree char *path = NULL;
      GError *error = NULL;
      JsonNode *answer;
      const char *next;
      gboolean more = FALSE;

      if (cursor != NULL)
        {
          g_autofree char *escaped = g_uri_escape_string (cursor, NULL, FALSE);

          path = g_strdup_printf ("/sync/pull?versions=false&limit=%u&cursor=%s", self->limit, escaped);
        }
      else
        path = g_strdup_printf ("/sync/pull?versions=false&limit=%u", self->limit);

      answer = buurten_sync_client_call (self->client, "GET", path, NULL, NULL,
                                         self->cancellable, &error);
      if (answer == NULL)
        {
          push_page (self, NULL, error, TRUE);
          break;
        }

      next = page_cursor (answer, &more);
      if (next == NULL || !more)
        {
          push_page (self, answer, NULL, TRUE);
          break;
        }
      g_free (cursor);
      cursor = g_strdup (next);
      if (!push_page (self, answer, NULL, FALSE))
        break;
    }
  return NULL;
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
  self->cursor = g_strdup (cursor);
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
  g_queue_init (&self->pages);
  g_queue_init (&self->spent);
  self->thread = g_thread_new ("buurten-pull", prefetch_thread, self);
  return self;
}

JsonNode *
buurten_sync_prefetch_next (BuurtenSyncPrefetch  *self,
                            GError              **error)
{
  Page *page;
  JsonNode *answer;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

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
  page_free (page);
  return answer;
}

void
buurten_sync_prefetch_release (BuurtenSyncPrefetch *self,
                               JsonNode            *answer)
{
  g_return_if_fail (self != NULL);

  if (answer == NULL)
    return;
  g_mutex_lock (&self->lock);
  if (!self->finished)
    {
      g_queue_push_tail (&self->spent, answer);
      g_cond_broadcast (&self->changed);
      answer = NULL;
    }
  g_mutex_unlock (&self->lock);
  if (answer != NULL)
    json_node_unref (answer);  /* no thread left to do it */
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
  /* A fetch in flight ends now rather than at its timeout. When the pull
   * ran to its end the thread is gone already and this changes nothing. */
  g_cancellable_cancel (self->cancellable);
  g_thread_join (self->thread);

  if (self->outer != NULL)
    {
      g_cancellable_disconnect (self->outer, self->outer_handler);
      g_object_unref (self->outer);
    }
  g_queue_clear_full (&self->pages, (GDestroyNotify) page_free);
  g_queue_clear_full (&self->spent, (GDestroyNotify) json_node_unref);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->changed);
  g_object_unref (self->cancellable);
  g_object_unref (self->client);
  g_free (self->cursor);
  g_free (self);
}
