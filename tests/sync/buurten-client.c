/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-client"

#include "config.h"

/* A headless Buurten client for the sync tests: the app's own store and
 * sync code (src/store, src/sync) driven from the command line, so that a
 * test can run five of them against the real buurten-server, kill them
 * with SIGKILL and compare their databases. It is a test tool: it takes
 * the session token as an argument (the app keeps it in the Secret
 * Service, see src/sync/buurten-credentials.c).
 *
 *   buurten-client --data-dir D [--server URL --token T] [--actor NAME] COMMAND ...
 *
 * Every command prints one line of JSON (or an id) and exits 0; a sync
 * error prints {"error":{...}} and exits 3; a usage error exits 2. */

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "buurten-blobs.h"
#include "buurten-core.h"
#include "buurten-startup.h"
#include "buurten-store.h"
#include "buurten-sync-client.h"
#include "buurten-sync-cycle.h"
#include "buurten-sync-local.h"

static char *opt_data_dir;
static char *opt_server;
static char *opt_token;
static char *opt_actor;
static char *opt_ca_file;

static const GOptionEntry entries[] = {
  { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &opt_data_dir, "The store's directory", "DIR" },
  { "server", 0, 0, G_OPTION_ARG_STRING, &opt_server, "The server", "URL" },
  { "token", 0, 0, G_OPTION_ARG_STRING, &opt_token, "A session token", "TOKEN" },
  { "actor", 0, 0, G_OPTION_ARG_STRING, &opt_actor, "The local user's name", "NAME" },
  { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &opt_ca_file,
    "Trust these authorities instead of the system's (the TLS tests)", "PEM" },
  { NULL }
};

static int
fail (GError *error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "domain");
  json_builder_add_string_value (builder, g_quark_to_string (error->domain));
  json_builder_set_member_name (builder, "code");
  json_builder_add_int_value (builder, error->code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, error->message);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  text = buurten_json_to_string (node);
  g_print ("%s\n", text);
  g_error_free (error);
  return 3;
}

static int
usage (const char *message)
{
  g_printerr ("buurten-client: %s\n", message);
  return 2;
}

static void
print_node (JsonNode *node)
{
  g_autofree char *text = buurten_json_to_string (node);

  g_print ("%s\n", text);
}

static JsonNode *
take_object (JsonObject *object)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, object);
  return node;
}

static BuurtenSyncClient *
make_client (GError **error)
{
  BuurtenSyncClient *client;

  if (opt_server == NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--server is needed");
      return NULL;
    }
  client = buurten_sync_client_new (opt_server, error);
  if (client != NULL && opt_ca_file != NULL)
    {
      g_autoptr(GTlsDatabase) database = g_tls_file_database_new (opt_ca_file, error);

      if (database == NULL)
        {
          g_clear_object (&client);
          return NULL;
        }
      buurten_sync_client_set_tls_database (client, database);
    }
  if (client != NULL && opt_token != NULL)
    buurten_sync_client_set_token (client, opt_token);
  return client;
}

/* A new row and its create mutation, in one transaction (as the app). */
static gboolean
create (BuurtenStore            *store,
        const BuurtenEntityInfo *info,
        JsonObject              *row,
        const char              *mutation,
        JsonObject              *args,
        GError                 **error)
{
  g_autoptr(JsonNode) row_node = take_object (row);
  g_autoptr(JsonNode) args_node = take_object (args);
  gpointer entity = buurten_entity_from_json (info, row_node, error);
  gboolean ok;

  if (entity == NULL)
    return FALSE;
  ok = buurten_store_put (store, info, entity, opt_actor, mutation, args_node, error);
  buurten_entity_free (info, entity);
  return ok;
}

static char *
now_iso (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

static int
cmd_request_create (BuurtenStore  *store,
                    char         **argv)
{
  g_autofree char *id = buurten_uuid_new ();
  g_autofree char *received = now_iso ();
  JsonObject *row = json_object_new (), *args = json_object_new ();
  GError *error = NULL;

  if (argv[0] == NULL || argv[1] == NULL)
    return usage ("request-create WIJK TITLE");
  json_object_set_string_member (row, "id", id);
  json_object_set_string_member (row, "wijk", argv[0]);
  json_object_set_string_member (row, "type", "melding");
  json_object_set_string_member (row, "title", argv[1]);
  json_object_set_string_member (row, "received_at", received);
  json_object_set_string_member (row, "state", "nieuw");
  json_object_set_int_member (row, "version", 0);
  json_object_set_string_member (args, "id", id);
  json_object_set_string_member (args, "wijk", argv[0]);
  json_object_set_string_member (args, "type", "melding");
  json_object_set_string_member (args, "title", argv[1]);
  json_object_set_string_member (args, "received_at", received);
  if (!create (store, &buurten_request_info, row, "request.create", args, &error))
    return fail (error);
  g_print ("%s\n", id);
  return 0;
}

static int
cmd_initiative_create (BuurtenStore  *store,
                       char         **argv)
{
  g_autofree char *id = buurten_uuid_new ();
  JsonObject *row = json_object_new (), *args = json_object_new ();
  GError *error = NULL;
  gint64 cents;

  if (argv[0] == NULL || argv[1] == NULL || argv[2] == NULL)
    return usage ("initiative-create WIJK TITLE CENTS");
  cents = g_ascii_strtoll (argv[2], NULL, 10);
  json_object_set_string_member (row, "id", id);
  json_object_set_string_member (row, "wijk", argv[0]);
  json_object_set_string_member (row, "title", argv[1]);
  json_object_set_int_member (row, "requested_cents", cents);
  json_object_set_string_member (row, "state", "ingediend");
  json_object_set_int_member (row, "version", 0);
  json_object_set_string_member (args, "id", id);
  json_object_set_string_member (args, "wijk", argv[0]);
  json_object_set_string_member (args, "title", argv[1]);
  json_object_set_int_member (args, "requested_cents", cents);
  if (!create (store, &buurten_initiative_info, row, "initiative.create", args, &error))
    return fail (error);
  g_print ("%s\n", id);
  return 0;
}

static int
cmd_commit (BuurtenStore  *store,
            char         **argv)
{
  g_autofree char *id = buurten_uuid_new ();
  g_autoptr(BuurtenInitiative) initiative = NULL;
  JsonObject *row, *args;
  GError *error = NULL;
  gint64 cents, year;

  if (argv[0] == NULL || argv[1] == NULL || argv[2] == NULL || argv[3] == NULL)
    return usage ("commit INITIATIVE_ID CENTS FUNDING YEAR");
  initiative = buurten_store_get (store, &buurten_initiative_info, argv[0], &error);
  if (initiative == NULL)
    return fail (error);
  cents = g_ascii_strtoll (argv[1], NULL, 10);
  year = g_ascii_strtoll (argv[3], NULL, 10);
  row = json_object_new ();
  args = json_object_new ();
  json_object_set_string_member (row, "id", id);
  json_object_set_string_member (row, "initiative_id", argv[0]);
  json_object_set_string_member (row, "wijk", initiative->wijk);
  json_object_set_string_member (row, "funding", argv[2]);
  json_object_set_int_member (row, "year", year);
  json_object_set_int_member (row, "amount_cents", cents);
  json_object_set_string_member (row, "state", "pending");
  json_object_set_int_member (row, "version", 0);
  json_object_set_string_member (args, "id", id);
  json_object_set_string_member (args, "initiative_id", argv[0]);
  json_object_set_int_member (args, "amount_cents", cents);
  json_object_set_string_member (args, "funding", argv[2]);
  json_object_set_int_member (args, "year", year);
  if (!create (store, &buurten_commitment_info, row, "commitment.create", args, &error))
    return fail (error);
  g_print ("%s\n", id);
  return 0;
}

static int
cmd_note_create (BuurtenStore  *store,
                 char         **argv)
{
  g_autofree char *id = buurten_uuid_new ();
  JsonObject *row, *args;
  GError *error = NULL;

  if (argv[0] == NULL || argv[1] == NULL || argv[2] == NULL)
    return usage ("note-create SUBJECT_TYPE SUBJECT_ID BODY");
  row = json_object_new ();
  args = json_object_new ();
  json_object_set_string_member (row, "id", id);
  json_object_set_string_member (row, "subject_type", argv[0]);
  json_object_set_string_member (row, "subject_id", argv[1]);
  json_object_set_string_member (row, "body", argv[2]);
  json_object_set_int_member (row, "version", 0);
  json_object_set_string_member (args, "id", id);
  json_object_set_string_member (args, "subject_type", argv[0]);
  json_object_set_string_member (args, "subject_id", argv[1]);
  json_object_set_string_member (args, "body", argv[2]);
  if (!create (store, &buurten_note_info, row, "note.create", args, &error))
    return fail (error);
  g_print ("%s\n", id);
  return 0;
}

static int
cmd_note_delete (BuurtenStore  *store,
                 char         **argv)
{
  GError *error = NULL;

  if (argv[0] == NULL)
    return usage ("note-delete ID");
  if (!buurten_store_delete (store, &buurten_note_info, argv[0], opt_actor, "note.delete",
                             NULL, &error))
    return fail (error);
  g_print ("{}\n");
  return 0;
}

static int
cmd_update (BuurtenStore  *store,
            char         **argv)
{
  const BuurtenEntityInfo *info;
  g_autoptr(JsonNode) set = NULL;
  GError *error = NULL;

  if (argv[0] == NULL || argv[1] == NULL || argv[2] == NULL)
    return usage ("update TYPE ID JSON-SET");
  info = buurten_entity_info_lookup (argv[0]);
  if (info == NULL)
    return usage ("unknown type");
  set = buurten_json_parse (argv[2], -1, BUURTEN_JSON_DEFAULT_MAX_DEPTH, &error);
  if (set == NULL)
    return fail (error);
  if (!JSON_NODE_HOLDS_OBJECT (set))
    return usage ("JSON-SET must be an object");
  if (!buurten_sync_local_update (store, opt_actor, info, argv[1], json_node_get_object (set),
                                  &error))
    return fail (error);
  g_print ("{}\n");
  return 0;
}

static int
cmd_sign (BuurtenStore  *store,
          char         **argv)
{
  g_autoptr(BuurtenCommitment) commitment = NULL;
  g_autoptr(JsonNode) args = NULL;
  GError *error = NULL;

  if (argv[0] == NULL)
    return usage ("sign COMMITMENT_ID");
  commitment = buurten_store_get (store, &buurten_commitment_info, argv[0], &error);
  if (commitment == NULL)
    return fail (error);
  args = take_object (json_object_new ());
  json_object_set_string_member (json_node_get_object (args), "id", argv[0]);
  /* The row itself does not change here; the signature comes back from
   * the server with the commitment's new state. */
  if (!buurten_store_put (store, &buurten_commitment_info, commitment, opt_actor,
                          "commitment.sign", args, &error))
    return fail (error);
  g_print ("{}\n");
  return 0;
}

static int
cmd_login (char **argv)
{
  g_autoptr(BuurtenSyncClient) client = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *password = NULL;
  GError *error = NULL;

  if (argv[0] == NULL || argv[1] == NULL)
    return usage ("login USER PASSWORD-FILE");
  if (!g_file_get_contents (argv[1], &password, NULL, &error))
    return fail (error);
  g_strchomp (password);
  client = make_client (&error);
  if (client == NULL)
    return fail (error);
  answer = buurten_sync_client_login (client, argv[0], password, NULL, &error);
  if (answer == NULL)
    return fail (error);
  g_print ("%s\n", json_object_get_string_member (json_node_get_object (answer), "token"));
  return 0;
}

static int
cmd_sync (BuurtenStore *store)
{
  g_autoptr(BuurtenSyncClient) client = NULL;
  BuurtenSyncStats stats = { 0 };
  GError *error = NULL;

  client = make_client (&error);
  if (client == NULL)
    return fail (error);
  if (!buurten_sync_run_cycle (store, client, NULL, NULL, &stats, NULL, &error))
    return fail (error);
  g_print ("{\"pushed\":%u,\"rejected\":%u,\"conflicts\":%u,\"pulled\":%" G_GUINT64_FORMAT
           ",\"pages\":%u,\"bytes\":%" G_GUINT64_FORMAT
           ",\"blobs_uploaded\":%u,\"blobs_refused\":%u}\n",
           stats.pushed, stats.rejected, stats.conflicts, stats.pulled, stats.pages,
           stats.bytes, stats.blobs_uploaded, stats.blobs_refused);
  return 0;
}

static void
blob_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* blob-add FILE WIJK: as the verantwoording dialog does with a chosen
 * file: read and hashed in a worker, kept beside the store, waiting for
 * upload. Prints the sha256. */
static int
cmd_blob_add (BuurtenStore  *store,
              char         **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) blobs = g_ptr_array_new_with_free_func ((GDestroyNotify) buurten_blob_free);
  g_autofree char *dir = buurten_blobs_dir (store);
  BuurtenBlob *blob;

  if (argv[0] == NULL || argv[1] == NULL)
    return usage ("blob-add FILE WIJK");
  file = g_file_new_for_commandline_arg (argv[0]);
  buurten_blob_read_async (file, NULL, blob_read_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  blob = buurten_blob_read_finish (result, &error);
  if (blob == NULL)
    return fail (g_steal_pointer (&error));
  g_ptr_array_add (blobs, blob);
  if (!buurten_blobs_keep (dir, blobs, argv[1], &error))
    return fail (g_steal_pointer (&error));
  g_print ("%s\n", blob->sha256);
  return 0;
}

static int
cmd_pull (BuurtenStore *store)
{
  g_autoptr(BuurtenSyncClient) client = NULL;
  BuurtenSyncStats stats = { 0 };
  GError *error = NULL;

  client = make_client (&error);
  if (client == NULL)
    return fail (error);
  if (!buurten_sync_pull (store, client, NULL, NULL, &stats, NULL, &error))
    return fail (error);
  g_print ("{\"pulled\":%" G_GUINT64_FORMAT ",\"pages\":%u}\n", stats.pulled, stats.pages);
  return 0;
}

/* Every row of every type, keyed by id; ids sorted by json-glib's
 * insertion order, so the rows are put in sorted. */
static int
cmd_dump (BuurtenStore *store)
{
  JsonObject *all = json_object_new ();
  g_autoptr(JsonNode) node = take_object (all);
  GError *error = NULL;

  for (guint t = 0; buurten_entity_infos[t] != NULL; t++)
    {
      const BuurtenEntityInfo *info = buurten_entity_infos[t];
      g_autoptr(GPtrArray) rows = buurten_store_list (store, info, NULL, NULL, &error);
      g_autoptr(GPtrArray) nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
      JsonObject *by_id = json_object_new ();

      if (rows == NULL)
        {
          json_object_unref (by_id);
          return fail (error);
        }
      for (guint i = 0; i < rows->len; i++)
        {
          g_ptr_array_add (nodes, buurten_entity_to_json (info, g_ptr_array_index (rows, i),
                                                          TRUE));
          /* The list has no free function: entities are freed by type. */
          buurten_entity_free (info, g_ptr_array_index (rows, i));
        }
      g_ptr_array_set_size (rows, 0);
      for (guint i = 0; i < nodes->len; i++)
        {
          JsonObject *row = json_node_get_object (g_ptr_array_index (nodes, i));

          json_object_set_member (by_id, json_object_get_string_member (row, "id"),
                                  json_node_ref (g_ptr_array_index (nodes, i)));
        }
      json_object_set_object_member (all, info->name, by_id);
    }
  print_node (node);
  return 0;
}

static int
cmd_attention (BuurtenStore *store)
{
  g_autoptr(GPtrArray) items = buurten_store_list_attention (store, NULL);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  if (items == NULL)
    return usage ("cannot read the attention list");
  json_builder_begin_array (builder);
  for (guint i = 0; i < items->len; i++)
    {
      BuurtenAttention *item = g_ptr_array_index (items, i);

#define MEMBER(name) \
      json_builder_set_member_name (builder, #name); \
      if (item->name != NULL) json_builder_add_string_value (builder, item->name); \
      else json_builder_add_null_value (builder);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, item->id);
      MEMBER (kind) MEMBER (mutation) MEMBER (args_json) MEMBER (object_type)
      MEMBER (object_id) MEMBER (field) MEMBER (code) MEMBER (message)
      MEMBER (theirs_json) MEMBER (yours_json) MEMBER (conflict_id)
      json_builder_end_object (builder);
#undef MEMBER
    }
  json_builder_end_array (builder);
  node = json_builder_get_root (builder);
  print_node (node);
  return 0;
}

static BuurtenAttention *
find_attention (BuurtenStore *store,
                const char   *id_text)
{
  g_autoptr(GPtrArray) items = buurten_store_list_attention (store, NULL);
  gint64 id = g_ascii_strtoll (id_text, NULL, 10);

  for (guint i = 0; items != NULL && i < items->len; i++)
    {
      BuurtenAttention *item = g_ptr_array_index (items, i);

      if (item->id == id)
        return g_ptr_array_steal_index (items, i);
    }
  return NULL;
}

static int
cmd_resolve (BuurtenStore  *store,
             char         **argv)
{
  g_autoptr(BuurtenAttention) item = NULL;
  GError *error = NULL;

  if (argv[0] == NULL || argv[1] == NULL)
    return usage ("resolve ID mine|theirs");
  item = find_attention (store, argv[0]);
  if (item == NULL)
    return usage ("no such open attention item");
  if (!buurten_sync_resolve (store, opt_actor, item, g_str_equal (argv[1], "mine"), &error))
    return fail (error);
  g_print ("{}\n");
  return 0;
}

static int
cmd_restore (BuurtenStore  *store,
             char         **argv)
{
  g_autoptr(BuurtenAttention) item = NULL;
  g_autofree char *id = NULL;
  GError *error = NULL;

  if (argv[0] == NULL)
    return usage ("restore ID");
  item = find_attention (store, argv[0]);
  if (item == NULL)
    return usage ("no such open attention item");
  id = buurten_sync_restore (store, opt_actor, item, &error);
  if (id == NULL)
    return fail (error);
  g_print ("%s\n", id);
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("COMMAND ...");
  g_autoptr(BuurtenStore) store = NULL;
  g_autofree char *path = NULL;
  GError *error = NULL;
  const char *command;
  char **rest;

  /* As the app does (src/main.c): the same allocator as the app's sync. */
  buurten_startup_use_malloc (argv);
  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("buurten-client: %s\n", error->message);
      g_error_free (error);
      return 2;
    }
  if (argc < 2)
    return usage ("no command");
  command = argv[1];
  rest = argv + 2;

  if (g_str_equal (command, "login"))
    return cmd_login (rest);

  if (opt_data_dir == NULL)
    return usage ("--data-dir is needed");
  path = buurten_store_default_path (opt_data_dir);
  store = buurten_store_open (path, &error);
  if (store == NULL)
    return fail (error);

  if (g_str_equal (command, "blob-add"))
    return cmd_blob_add (store, rest);
  if (g_str_equal (command, "sync"))
    return cmd_sync (store);
  if (g_str_equal (command, "pull"))
    return cmd_pull (store);
  if (g_str_equal (command, "request-create"))
    return cmd_request_create (store, rest);
  if (g_str_equal (command, "initiative-create"))
    return cmd_initiative_create (store, rest);
  if (g_str_equal (command, "commit"))
    return cmd_commit (store, rest);
  if (g_str_equal (command, "sign"))
    return cmd_sign (store, rest);
  if (g_str_equal (command, "note-create"))
    return cmd_note_create (store, rest);
  if (g_str_equal (command, "note-delete"))
    return cmd_note_delete (store, rest);
  if (g_str_equal (command, "update"))
    return cmd_update (store, rest);
  if (g_str_equal (command, "dump"))
    return cmd_dump (store);
  if (g_str_equal (command, "attention"))
    return cmd_attention (store);
  if (g_str_equal (command, "resolve"))
    return cmd_resolve (store, rest);
  if (g_str_equal (command, "restore"))
    return cmd_restore (store, rest);
  if (g_str_equal (command, "meta") && rest[0] != NULL)
    {
      g_autofree char *value = buurten_store_get_meta (store, rest[0], NULL);

      g_print ("%s\n", value != NULL ? value : "");
      return 0;
    }
  if (g_str_equal (command, "outbox"))
    {
      g_print ("%" G_GINT64_FORMAT "\n", buurten_store_outbox_count (store, NULL));
      return 0;
    }
  return usage ("unknown command");
}
