/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The sync layer without a server: what the client accepts as a server
 * address, the retry schedule, and how the store applies what the server
 * sends (pending fields kept, tombstones, resets, the attention list).
 * The scenarios against the real server are in tests/sync/test-sync.py. */

#include "config.h"

#include <glib/gstdio.h>

#include "buurten-store.h"
#include "buurten-sync-client.h"
#include "buurten-sync-cycle.h"
#include "buurten-sync-engine.h"
#include "buurten-sync-local.h"

typedef struct
{
  char         *dir;
  BuurtenStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("buurten-sync-unit-XXXXXX", &error);
  g_assert_no_error (error);
  path = buurten_store_default_path (f->dir);
  f->store = buurten_store_open (path, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *path = buurten_store_default_path (f->dir);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_clear_object (&f->store);
  g_unlink (wal);
  g_unlink (shm);
  g_unlink (path);
  g_rmdir (f->dir);
  g_free (f->dir);
}

static void
test_addresses (void)
{
  static const struct
  {
    const char *typed;
    const char *server;   /* NULL: refused */
  } cases[] = {
    { "buurten.hilversum.nl", "https://buurten.hilversum.nl" },
    { " https://buurten.hilversum.nl/ ", "https://buurten.hilversum.nl" },
    { "https://buurten.hilversum.nl:8443", "https://buurten.hilversum.nl:8443" },
    { "http://127.0.0.1:8080", "http://127.0.0.1:8080" },
    { "http://localhost:8080/", "http://localhost:8080" },
    { "http://[::1]:8080", "http://[::1]:8080" },
    { "http://buurten.hilversum.nl", NULL },   /* no plain http over a network */
    { "http://127.buurten.example:8080", NULL }, /* a name, not the loopback address */
    { "http://127.0.0.2:8080", NULL },
    { "http://localhost.example:8080", NULL },
    { "ftp://buurten.hilversum.nl", NULL },
    { "https://user:pw@buurten.hilversum.nl", NULL },
    { "https://buurten.hilversum.nl/?x=1", NULL },
    { "", NULL },
    { "https://", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BuurtenSyncClient) client = buurten_sync_client_new (cases[i].typed, &error);

      if (cases[i].server == NULL)
        {
          g_assert_null (client);
          g_assert_error (error, BUURTEN_SYNC_ERROR, BUURTEN_SYNC_ERROR_BAD_ADDRESS);
        }
      else
        {
          g_assert_no_error (error);
          g_assert_cmpstr (buurten_sync_client_get_server (client), ==, cases[i].server);
        }
    }
}

static void
test_unreachable (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BuurtenSyncClient) client = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *url = NULL;
  guint16 port;

  /* A port that was free a moment ago: nobody listens there. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  address = g_inet_socket_address_new (loopback, 0);
  g_assert_true (g_socket_bind (socket, address, TRUE, &error));
  g_clear_object (&address);
  address = g_socket_get_local_address (socket, &error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));
  g_socket_close (socket, NULL);

  url = g_strdup_printf ("http://127.0.0.1:%u", port);
  client = buurten_sync_client_new (url, &error);
  g_assert_no_error (error);
  answer = buurten_sync_client_call (client, "GET", "/health", NULL, NULL, NULL, &error);
  g_assert_null (answer);
  g_assert_error (error, BUURTEN_SYNC_ERROR, BUURTEN_SYNC_ERROR_NETWORK);
  g_assert_true (buurten_sync_error_is_temporary (error));
}

static void
test_backoff (void)
{
  g_assert_cmpuint (buurten_sync_backoff_seconds (1, 1.0), ==, 15);
  g_assert_cmpuint (buurten_sync_backoff_seconds (2, 1.0), ==, 30);
  g_assert_cmpuint (buurten_sync_backoff_seconds (3, 1.0), ==, 60);
  g_assert_cmpuint (buurten_sync_backoff_seconds (8, 1.0), ==, 1800);
  g_assert_cmpuint (buurten_sync_backoff_seconds (100, 1.0), ==, 1800);
  /* Jitter spreads laptops that lost the network together. */
  g_assert_cmpuint (buurten_sync_backoff_seconds (1, 0.5), ==, 7);
  g_assert_cmpuint (buurten_sync_backoff_seconds (1, 1.49), ==, 22);
  g_assert_cmpuint (buurten_sync_backoff_seconds (100, 5.0), ==, 2700);
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = buurten_json_parse (text, -1, 32, &error);

  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (node));
}

#define RID "6f1c1f8e-3b7a-4c55-9a55-2f0d3c8e9a01"

static const char *server_row =
  "{\"id\":\"" RID "\",\"wijk\":\"centrum\",\"type\":\"melding\",\"title\":\"Van de server\","
  "\"description\":\"Beschrijving server\",\"received_at\":\"2026-10-01T09:00:00Z\","
  "\"state\":\"nieuw\"}";

static void
test_remote_put_keeps_pending (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) row = parse_object (server_row);
  g_autoptr(JsonObject) again = parse_object (server_row);
  g_autoptr(JsonObject) set = json_object_new ();
  g_autoptr(BuurtenRequest) request = NULL;

  g_assert_cmpint (buurten_store_apply_remote_put (f->store, &buurten_request_info, row, 3,
                                                   &error), ==, BUURTEN_REMOTE_APPLIED);
  g_assert_no_error (error);

  /* A local edit of the title waits in the outbox. */
  json_object_set_string_member (set, "title", "Van mij");
  g_assert_true (buurten_sync_local_update (f->store, "anna", &buurten_request_info, RID, set,
                                            &error));
  g_assert_no_error (error);

  /* The server sends version 5 with both fields changed. */
  json_object_set_string_member (again, "title", "Nieuwer van de server");
  json_object_set_string_member (again, "description", "Nieuwe beschrijving");
  g_assert_cmpint (buurten_store_apply_remote_put (f->store, &buurten_request_info, again, 5,
                                                   &error), ==, BUURTEN_REMOTE_MERGED);
  request = buurten_store_get (f->store, &buurten_request_info, RID, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (request->title, ==, "Van mij");                        /* kept */
  g_assert_cmpstr (request->description, ==, "Nieuwe beschrijving");      /* taken */
  g_assert_cmpint (request->version, ==, 3);   /* what our change was based on */

  /* Once the outbox is empty the server's row is taken whole. */
  g_assert_true (buurten_store_outbox_remove (f->store, G_MAXINT64, &error));
  {
    g_autoptr(JsonObject) third = parse_object (server_row);
    g_autoptr(BuurtenRequest) now = NULL;

    g_assert_cmpint (buurten_store_apply_remote_put (f->store, &buurten_request_info, third, 6,
                                                     &error), ==, BUURTEN_REMOTE_APPLIED);
    now = buurten_store_get (f->store, &buurten_request_info, RID, &error);
    g_assert_cmpstr (now->title, ==, "Van de server");
    g_assert_cmpint (now->version, ==, 6);
  }
}

/* The entity the pull's parsing thread made of a row: written as it is
 * when nothing of the row waits here, never over a pending field. The
 * prepared entities differ from their rows on purpose, to see which one
 * was written. */
static void
test_remote_prepared (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) row = parse_object (server_row);
  g_autoptr(JsonObject) again = parse_object (server_row);
  g_autoptr(JsonObject) set = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(BuurtenRequest) prepared = NULL;
  g_autoptr(BuurtenRequest) request = NULL;

  json_node_set_object (node, row);
  prepared = buurten_entity_from_json (&buurten_request_info, node, &error);
  g_assert_no_error (error);
  g_free (prepared->title);
  prepared->title = g_strdup ("Voorbereid");
  prepared->version = 3;
  g_assert_cmpint (buurten_store_apply_remote_prepared (f->store, &buurten_request_info, row, 3,
                                                        prepared, &error),
                   ==, BUURTEN_REMOTE_APPLIED);
  g_assert_no_error (error);
  request = buurten_store_get (f->store, &buurten_request_info, RID, &error);
  g_assert_cmpstr (request->title, ==, "Voorbereid");
  g_assert_cmpint (request->version, ==, 3);
  g_clear_pointer (&request, buurten_request_free);

  /* A local edit of the title waits: the JSON row is merged instead. */
  json_object_set_string_member (set, "title", "Van mij");
  g_assert_true (buurten_sync_local_update (f->store, "anna", &buurten_request_info, RID, set,
                                            &error));
  g_assert_no_error (error);
  json_object_set_string_member (again, "description", "Nieuwe beschrijving");
  g_assert_cmpint (buurten_store_apply_remote_prepared (f->store, &buurten_request_info, again, 5,
                                                        prepared, &error),
                   ==, BUURTEN_REMOTE_MERGED);
  request = buurten_store_get (f->store, &buurten_request_info, RID, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (request->title, ==, "Van mij");
  g_assert_cmpstr (request->description, ==, "Nieuwe beschrijving");
  g_assert_cmpint (request->version, ==, 3);
}

static void
test_remote_delete_and_reset (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) row = parse_object (server_row);
  g_autoptr(GPtrArray) hits = NULL;
  gpointer gone;

  g_assert_cmpint (buurten_store_apply_remote_put (f->store, &buurten_request_info, row, 1,
                                                   &error), ==, BUURTEN_REMOTE_APPLIED);
  hits = buurten_store_search (f->store, "server", NULL, 10, &error);
  g_assert_cmpuint (hits->len, ==, 1);

  /* A tombstone for something never had is fine. */
  g_assert_cmpint (buurten_store_apply_remote_delete (f->store, &buurten_note_info,
                                                      "6f1c1f8e-3b7a-4c55-9a55-2f0d3c8e9a09",
                                                      &error), ==, BUURTEN_REMOTE_APPLIED);
  g_assert_no_error (error);

  /* A reset of centrum removes its rows and their search entries. */
  g_assert_true (buurten_store_drop_scope (f->store, "centrum", &error));
  gone = buurten_store_get (f->store, &buurten_request_info, RID, &error);
  g_assert_null (gone);
  g_assert_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = buurten_store_search (f->store, "server", NULL, 10, &error);
  g_assert_cmpuint (hits->len, ==, 0);
}

static void
test_remote_bad_row (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) row = parse_object ("{\"id\":\"" RID "\",\"wijk\":\"centrum\"}");
  g_autoptr(JsonObject) no_id = parse_object ("{\"title\":\"x\"}");

  /* A row without its required members is refused, nothing written. */
  g_assert_cmpint (buurten_store_apply_remote_put (f->store, &buurten_request_info, row, 1,
                                                   &error), ==, BUURTEN_REMOTE_FAILED);
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpint (buurten_store_apply_remote_put (f->store, &buurten_request_info, no_id, 1,
                                                   &error), ==, BUURTEN_REMOTE_FAILED);
  g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID);
  g_assert_cmpint (buurten_store_count (f->store, &buurten_request_info, NULL), ==, 0);
}

static void
test_attention (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  BuurtenAttention conflict = { 0 };
  BuurtenAttention *got;

  conflict.kind = (char *) "conflict";
  conflict.object_type = (char *) "request";
  conflict.object_id = (char *) RID;
  conflict.field = (char *) "title";
  conflict.theirs_json = (char *) "\"A\"";
  conflict.yours_json = (char *) "\"B\"";
  conflict.conflict_id = (char *) "c-1";

  /* The same conflict from the push answer and from a replay: once. */
  g_assert_true (buurten_store_add_attention (f->store, &conflict, &error));
  g_assert_true (buurten_store_add_attention (f->store, &conflict, &error));
  g_assert_cmpint (buurten_store_attention_count (f->store, &error), ==, 1);

  items = buurten_store_list_attention (f->store, &error);
  g_assert_cmpuint (items->len, ==, 1);
  got = g_ptr_array_index (items, 0);
  g_assert_cmpstr (got->theirs_json, ==, "\"A\"");
  g_assert_true (buurten_store_resolve_attention (f->store, got->id, &error));
  g_assert_cmpint (buurten_store_attention_count (f->store, &error), ==, 0);
  /* Resolving twice says so. */
  g_assert_false (buurten_store_resolve_attention (f->store, got->id, &error));
  g_assert_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_NOT_FOUND);
}

static void
test_mutation_entities (void)
{
  g_assert_true (buurten_sync_mutation_entity ("request.update") == &buurten_request_info);
  g_assert_true (buurten_sync_mutation_entity ("budget.transfer") == &buurten_transfer_info);
  g_assert_true (buurten_sync_mutation_entity ("budget.carry_over") == &buurten_carry_over_info);
  g_assert_true (buurten_sync_mutation_entity ("agenda_item.add") == &buurten_agenda_item_info);
  g_assert_null (buurten_sync_mutation_entity ("nothing"));
  g_assert_null (buurten_sync_mutation_entity ("bogus.create"));
}

static void
test_engine_states (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(BuurtenSyncEngine) engine = buurten_sync_engine_new (f->store);

  g_assert_cmpint (buurten_sync_engine_get_state (engine), ==, BUURTEN_SYNC_STATE_LOCAL_ONLY);
  buurten_sync_engine_set_account (engine, "https://buurten.example.nl", NULL);
  g_assert_cmpint (buurten_sync_engine_get_state (engine), ==, BUURTEN_SYNC_STATE_LOGGED_OUT);
  g_assert_cmpstr (buurten_sync_engine_get_server (engine), ==, "https://buurten.example.nl");
  /* Without a token nothing is tried: still logged out. */
  buurten_sync_engine_sync (engine);
  g_assert_cmpint (buurten_sync_engine_get_state (engine), ==, BUURTEN_SYNC_STATE_LOGGED_OUT);
  buurten_sync_engine_set_account (engine, NULL, NULL);
  g_assert_cmpint (buurten_sync_engine_get_state (engine), ==, BUURTEN_SYNC_STATE_LOCAL_ONLY);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync/client/addresses", test_addresses);
  g_test_add_func ("/sync/client/unreachable", test_unreachable);
  g_test_add_func ("/sync/engine/backoff", test_backoff);
  g_test_add_func ("/sync/mutation-entities", test_mutation_entities);
  g_test_add ("/sync/store/remote-put-keeps-pending", Fixture, NULL, fixture_set_up,
              test_remote_put_keeps_pending, fixture_tear_down);
  g_test_add ("/sync/store/remote-prepared", Fixture, NULL, fixture_set_up,
              test_remote_prepared, fixture_tear_down);
  g_test_add ("/sync/store/remote-delete-and-reset", Fixture, NULL, fixture_set_up,
              test_remote_delete_and_reset, fixture_tear_down);
  g_test_add ("/sync/store/remote-bad-row", Fixture, NULL, fixture_set_up,
              test_remote_bad_row, fixture_tear_down);
  g_test_add ("/sync/store/attention", Fixture, NULL, fixture_set_up, test_attention,
              fixture_tear_down);
  g_test_add ("/sync/engine/states", Fixture, NULL, fixture_set_up, test_engine_states,
              fixture_tear_down);

  return g_test_run ();
}
