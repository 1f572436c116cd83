/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-store"

#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "buurten-store.h"
#include "buurten-store-queries.h"

/* ---- fixtures ------------------------------------------------------- */

typedef struct
{
  char *dir;   /* a fresh temporary directory */
  char *path;  /* dir/data/buurten.db: data/ does not exist yet */
} Fixture;

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR))
            remove_tree (child);
          else
            g_unlink (child);
        }
    }
  g_rmdir (path);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("test-store-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "data", "buurten.db", NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static BuurtenStore *
open_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  BuurtenStore *store = buurten_store_open (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

static sqlite3 *
raw_open (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  return db;
}

static gint64
raw_int (sqlite3    *db,
         const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static GBytes *
read_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, len);
}

static guint
file_mode (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_mode & 0777;
}

/* A deterministic UUID per number, for ids that tests refer back to. */
static char *
test_uuid (guint n)
{
  return g_strdup_printf ("00000000-0000-4000-8000-%012x", n);
}

static BuurtenRequest *
make_request (guint       n,
              const char *wijk,
              const char *title,
              const char *description)
{
  BuurtenRequest *r = buurten_request_new ();

  r->id = test_uuid (n);
  r->wijk = g_strdup (wijk);
  r->type = BUURTEN_REQUEST_TYPE_MELDING;
  r->title = g_strdup (title);
  r->description = g_strdup (description);
  r->received_at = 1710000000 + n;
  r->state = BUURTEN_REQUEST_NEW;
  r->term_days = 10;
  r->version = 1;
  return r;
}

static void
put_ok (BuurtenStore            *store,
        const BuurtenEntityInfo *info,
        gconstpointer            entity)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (buurten_store_put (store, info, entity, "tester", NULL, NULL, &error));
  g_assert_no_error (error);
}

/* ---- a filled entity of any type, from its field table ------------- */

static guint
info_index (const BuurtenEntityInfo *info)
{
  for (guint i = 0; buurten_entity_infos[i] != NULL; i++)
    if (buurten_entity_infos[i] == info)
      return i;
  g_assert_not_reached ();
}

/* Every field gets a value that differs from its neighbours' and from
 * the zero the entity starts with, so that a swapped or dropped column
 * shows. References ("initiative_id") point at the entity of that type
 * with the same variant, which the round trip has put before. */
static gpointer
make_filled (const BuurtenEntityInfo *info,
             guint                    variant)
{
  gpointer entity = buurten_entity_new (info);

  for (guint i = 0; i < info->n_fields; i++)
    {
      const BuurtenField *field = &info->fields[i];

      switch (field->kind)
        {
        case BUURTEN_FIELD_UUID:
          {
            char **member = &G_STRUCT_MEMBER (char *, entity, field->offset);
            const BuurtenEntityInfo *target = NULL;

            if (g_str_has_suffix (field->name, "_id"))
              {
                g_autofree char *type = g_strndup (field->name, strlen (field->name) - 3);

                target = buurten_entity_info_lookup (type);
              }
            if (field->flags & BUURTEN_FIELD_KEY || g_str_equal (field->name, "id"))
              *member = test_uuid (info_index (info) * 1000 + variant);
            else if (target != NULL)
              *member = test_uuid (info_index (target) * 1000 + variant);
            else
              *member = test_uuid (900000 + i);
          }
          break;

        case BUURTEN_FIELD_STRING:
          if (g_str_equal (field->name, "subject_type"))
            G_STRUCT_MEMBER (char *, entity, field->offset) = g_strdup ("request");
          else if (field->format != BUURTEN_FIELD_FORMAT_TEXT)
            {
              /* A value the field's check accepts (buurten-identifiers.h). */
              static const char * const valid[] = {
                [BUURTEN_FIELD_FORMAT_IBAN] = "NL91ABNA0417164300",
                [BUURTEN_FIELD_FORMAT_KVK] = "12345678",
                [BUURTEN_FIELD_FORMAT_EMAIL] = "buurt@example.nl",
                [BUURTEN_FIELD_FORMAT_PHONE] = "+31 35 123 4567",
              };

              G_STRUCT_MEMBER (char *, entity, field->offset) = g_strdup (valid[field->format]);
            }
          else
            G_STRUCT_MEMBER (char *, entity, field->offset) =
              g_strdup_printf ("%.3s ‘ü’ \"%u\"; DROP %u", field->name, variant, i);
          break;

        case BUURTEN_FIELD_INT:
          G_STRUCT_MEMBER (gint64, entity, field->offset) = 2020 + i;
          break;

        case BUURTEN_FIELD_MONEY:
          G_STRUCT_MEMBER (gint64, entity, field->offset) = 12300 + i;
          break;

        case BUURTEN_FIELD_BOOL:
          G_STRUCT_MEMBER (gboolean, entity, field->offset) = TRUE;
          break;

        case BUURTEN_FIELD_DATE:
          g_date_set_dmy (&G_STRUCT_MEMBER (GDate, entity, field->offset), 1 + i % 28, 3, 2024);
          break;

        case BUURTEN_FIELD_TIMESTAMP:
          G_STRUCT_MEMBER (gint64, entity, field->offset) = 1700000000 + i;
          break;

        case BUURTEN_FIELD_ENUM:
          {
            int last = 0;

            while (field->enum_ids[last + 1] != NULL)
              last++;
            G_STRUCT_MEMBER (int, entity, field->offset) = last;
          }
          break;

        default:
          g_assert_not_reached ();
        }
    }
  return entity;
}

/* ---- opening -------------------------------------------------------- */

static void
test_open_empty (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(BuurtenStore) store = NULL;
  g_autofree char *dir = g_path_get_dirname (f->path);
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);
  g_autoptr(GError) error = NULL;
  sqlite3 *db;

  store = open_store (f->path);
  g_assert_cmpstr (buurten_store_get_path (store), ==, f->path);
  g_assert_cmpint (buurten_store_get_schema_version (store), ==, BUURTEN_STORE_SCHEMA_VERSION);
  g_assert_cmpint (buurten_store_count (store, &buurten_request_info, &error), ==, 0);
  g_assert_no_error (error);

  /* Residents' data: only the user may read the folder and the files. */
  g_assert_cmpuint (file_mode (dir), ==, 0700);
  g_assert_cmpuint (file_mode (f->path), ==, 0600);
  {
    g_autoptr(BuurtenRequest) r = make_request (1, "centrum", "a", "b");

    put_ok (store, &buurten_request_info, r);
  }
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (file_mode (wal), ==, 0600);
  g_assert_cmpuint (file_mode (shm), ==, 0600);

  db = raw_open (f->path);
  g_assert_cmpint (raw_int (db, "PRAGMA user_version"), ==, BUURTEN_STORE_SCHEMA_VERSION);
  sqlite3_close (db);
  g_clear_object (&store);

  /* Reopening migrates nothing and keeps the data. */
  store = open_store (f->path);
  g_assert_cmpint (buurten_store_get_schema_version (store), ==, BUURTEN_STORE_SCHEMA_VERSION);
  g_assert_cmpint (buurten_store_count (store, &buurten_request_info, &error), ==, 1);
  g_assert_no_error (error);

  db = raw_open (f->path);
  {
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA journal_mode", -1, &stmt, NULL), ==,
                     SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "wal");
    sqlite3_finalize (stmt);
  }
  sqlite3_close (db);
}

static void
test_existing_dir_untouched (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "plain.db", NULL);
  g_autoptr(BuurtenStore) store = NULL;

  /* A folder that exists keeps its mode: it may be somebody's home. */
  g_assert_cmpint (g_chmod (f->dir, 0755), ==, 0);
  store = open_store (path);
  g_assert_cmpuint (file_mode (f->dir), ==, 0755);
  g_assert_cmpuint (file_mode (path), ==, 0600);
}

static void
test_default_path (void)
{
  g_autofree char *with_dir = buurten_store_default_path ("/some/where");
  g_autofree char *without = buurten_store_default_path (NULL);
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "buurten",
                                                "buurten.db", NULL);

  g_assert_cmpstr (with_dir, ==, "/some/where/buurten.db");
  g_assert_cmpstr (without, ==, expected);
}

static void
test_columns (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(BuurtenStore) store = open_store (f->path);
  sqlite3 *db = raw_open (f->path);

  for (guint i = 0; buurten_entity_infos[i] != NULL; i++)
    {
      const BuurtenEntityInfo *info = buurten_entity_infos[i];
      g_autoptr(GHashTable) columns = g_hash_table_new_full (g_str_hash, g_str_equal,
                                                             g_free, g_free);
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT name, type FROM pragma_table_info (?1)",
                                           -1, &stmt, NULL), ==, SQLITE_OK);
      sqlite3_bind_text (stmt, 1, info->name, -1, SQLITE_STATIC);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_hash_table_insert (columns,
                             g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
                             g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
      sqlite3_finalize (stmt);

      if (g_hash_table_size (columns) == 0)
        g_error ("no table %s", info->name);

      for (guint j = 0; j < info->n_fields; j++)
        {
          const BuurtenField *field = &info->fields[j];
          const char *type = g_hash_table_lookup (columns, field->name);
          const char *expected;

          switch (field->kind)
            {
            case BUURTEN_FIELD_INT:
            case BUURTEN_FIELD_MONEY:
            case BUURTEN_FIELD_BOOL:
            case BUURTEN_FIELD_TIMESTAMP:
              expected = "INTEGER";
              break;
            default:
              expected = "TEXT";
              break;
            }
          if (type == NULL)
            g_error ("table %s has no column %s", info->name, field->name);
          if (g_strcmp0 (type, expected) != 0)
            g_error ("%s.%s is %s, expected %s", info->name, field->name, type, expected);
        }
    }
  sqlite3_close (db);
}

/* ---- entities ------------------------------------------------------- */

static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(BuurtenStore) store = open_store (f->path);

  /* buurten_entity_infos is parents first, so references resolve. */
  for (guint i = 0; buurten_entity_infos[i] != NULL; i++)
    {
      const BuurtenEntityInfo *info = buurten_entity_infos[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) all = NULL;
      gpointer entity = make_filled (info, 1);
      gpointer back;
      const char *id = G_STRUCT_MEMBER (const char *, entity, info->fields[0].offset);

      if (!buurten_store_put (store, info, entity, "tester", NULL, NULL, &error))
        g_error ("put %s: %s", info->name, error->message);

      for (guint j = 0; j < info->n_fields; j++)
        if (info->fields[j].flags & BUURTEN_FIELD_KEY)
          id = G_STRUCT_MEMBER (const char *, entity, info->fields[j].offset);

      back = buurten_store_get (store, info, id, &error);
      g_assert_no_error (error);
      g_assert_nonnull (back);
      if (!buurten_entity_equal (info, entity, back))
        {
          g_autoptr(JsonNode) a = buurten_entity_to_json (info, entity, TRUE);
          g_autoptr(JsonNode) b = buurten_entity_to_json (info, back, TRUE);
          g_autofree char *sa = buurten_json_to_string (a);
          g_autofree char *sb = buurten_json_to_string (b);

          g_error ("%s differs after the round trip:\n%s\n%s", info->name, sa, sb);
        }

      g_assert_cmpint (buurten_store_count (store, info, &error), ==, 1);
      all = buurten_store_list (store, info, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (all->len, ==, 1);
      g_assert_true (buurten_entity_equal (info, entity, g_ptr_array_index (all, 0)));

      buurten_entity_free (info, g_ptr_array_index (all, 0));
      buurten_entity_free (info, back);
      buurten_entity_free (info, entity);
    }
}

static void
test_get_missing (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(BuurtenStore) store = open_store (f->path);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = test_uuid (77);
  gpointer entity;

  entity = buurten_store_get (store, &buurten_request_info, id, &error);
  g_assert_null (entity);
  g_assert_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_NOT_FOUND);
}

static void
test_upsert (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(BuurtenStore) store = open_store (f->path);
  g_autoptr(BuurtenRequest) r = make_request (1, "centrum", "Stoep kapot", "Bij de bakker");
  g_autoptr(BuurtenRequest) back = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GError) error = NULL;
  BuurtenAuditEntry *entry;

  put_ok (store, &buurten_request_info, r);
  g_free (r->title);
  r->title = g_strdup ("Stoep weer heel");
  r->state = BUURTEN_REQUEST_RESOLVED;
  put_ok (store, &buurten_request_info, r);
  put_ok (store, &buurten_request_info, r);

  g_assert_cmpint (buurten_store_count (store, &buurten_request_info, &error), ==, 1);
  back = buurten_store_get (store, &buurten_request_info, r->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back->title, ==, "Stoep weer heel");
  g_assert_cmpint (back->state, ==, BUURTEN_REQUEST_RESOLVED);

  history = buurten_store_history (store, "request", r->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 3);
  entry = g_ptr_array_index (history, 0);
  g_assert_cmpstr (entry->summary, ==, "created");
  g_assert_cmpstr (entry->actor, ==, "tester");
  g_assert_cmpstr (entry->action, ==, "request.put");
  g_assert_cmpstr (entry->object_type, ==, "request");
  g_assert_cmpstr (entry->object_id, ==, r->id);
  g_assert_cmpint (entry->at, >, 0);
  entry = g_ptr_array_index (history, 1);
  g_assert_cmpstr (entry->summary, ==, "changed: title, state");
  entry = g_ptr_array_index (history, 2);
  g_assert_cmpstr (entry->summary, ==, "unchanged");
}

/* An upsert must not delete the parent row: REPLACE would cascade. */
static void
test_upsert_keeps_children (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(BuurtenStore) store = open_store (f->path);
  g_autoptr(BuurtenMeeting) meeting = buurten_meeting_new ();
  g_autoptr(BuurtenAgendaItem) item = buurten_agenda_item_new ();
  g_autoptr(GError) error = NULL;

  meeting->id = test_uuid (1);
  meeting->wijk = g_strdup ("centrum");
  meeting->starts_at = 1710000000;
  meeting->location = g_strdup ("Raadhuis");
  put_ok (store, &buurten_meeting_info, meeting);

  item->id = test_uuid (2);
  item->meeting_id = g_strdup (meeting->id);
  item->title = g_strdup ("Speeltuin");
  put_ok (store, &buurten_agenda_item_info, item);

  g_free (meeting->location);
  meeting->location = g_strdup ("Wijkcentrum");
  put_ok (store, &buurten_meeting_info, meeting);
  g_assert_cmpint (buurten_store_count (store, &buurten_agenda_item_info, &error), ==, 1);

  /* A delete does cascade, and says so in the audit trail. */
  g_assert_true (buurten_store_delete (store, &buurten_meeting_info, meeting->id, "tester",
                                       "meeting.delete", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (buurten_store_count (store, &buurten_agenda_item_info, &error), ==, 0);
  g_assert_cmpint (buurten_store_count (store, &buurten_meeting_info, &error), ==, 0);
  {
    g_autoptr(GPtrArray) outbox = buurten_store_outbox (store, &error);
    BuurtenOutboxEntry *entry;
    g_autofree char *expected = g_strdup_printf ("{\"id\":\"%s\"}", meeting->id);

    g_assert_cmpuint (outbox->len, ==, 1);
    entry = g_ptr_array_index (outbox, 0);
    g_assert_cmpstr (entry->name, ==, "meeting.delete");
    g_assert_cmpstr (entry->args_json, ==, expected);
  }

  g_assert_false (buurten_store_delete (store, &buurten_meeting_info, meeting->id, "tester",
                                        NULL, NULL, &error));
  g_assert_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_NOT_FOUND);
  g_assert_cmpint (buurten_store_outbox_count (store, NULL), ==, 1);
}

static void
test_foreign_key (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(BuurtenStore) store = open_store (f->path);
  g_autoptr(BuurtenPayment) payment = buurten_payment_new ();
  g_autoptr(GError) error = NULL;

  payment->id = test_uuid (1);
  payment->commitment_id = test_uuid (2);  /* no such commitment */
  payment->amount_cents = 100;
  g_date_set_dmy (&payment->paid_on, 1, 2, 2024);

  g_assert_false (buurten_store_put (store, &buurten_payment_info, payment, "tester",
                                     "payment.record", NULL, &error));
  g_assert_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_CONSTRAINT);
  g_assert_cmpint (buurten_store_count (store, &buurten_payment_info, NULL), ==, 0);
  g_assert_cmpint (buurten_store_outbox_count (store, NULL), ==, 0);
}

static void
test_outbox (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(BuurtenStore) store = open_store (f->path);
  g_autoptr(BuurtenRequest) r = make_request (1, "centrum", "Bankje", "Bankje weg");
  g_autoptr(BuurtenRequest) r2 = make_request (2, "oost", "Boom", "Boom om");
  g_autoptr(JsonNode) args = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  g_autoptr(GError) error = NULL;
  BuurtenOutboxEntry *first, *second;
  g_autoptr(JsonNode) parsed = NULL;

  args = json_from_string ("{\"id\":\"x\",\"title\":\"Bankje\"}", &error);
  g_assert_no_error (error);

  g_assert_true (buurten_store_put (store, &buurten_request_info, r, "tester",
                                    "request.create", args, &error));
  g_assert_no_error (error);
  /* Without args the entity itself is sent. */
  g_assert_true (buurten_store_put (store, &buurten_request_info, r2, "tester",
                                    "request.create", NULL, &error));
  g_assert_no_error (error);
  /* A pulled row (no mutation) queues nothing. */
  put_ok (store, &buurten_request_info, r2);

  g_assert_cmpint (buurten_store_outbox_count (store, &error), ==, 2);
  outbox = buurten_store_outbox (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outbox->len, ==, 2);
  first = g_ptr_array_index (outbox, 0);
  second = g_ptr_array_index (outbox, 1);
  g_assert_cmpint (first->seq, <, second->seq);
  g_assert_cmpstr (first->name, ==, "request.create");
  g_assert_cmpstr (first->args_json, ==, "{\"id\":\"x\",\"title\":\"Bankje\"}");
  g_assert_cmpint (first->created_at, >, 0);
  parsed = json_from_string (second->args_json, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (parsed), "title"),
                   ==, "Boom");

  {
    g_autoptr(GPtrArray) history = buurten_store_history (store, "request", r->id, &error);

    g_assert_cmpuint (history->len, ==, 1);
    g_assert_cmpstr (((BuurtenAuditEntry *) g_ptr_array_index (history, 0))->action, ==,
                     "request.create");
  }

  /* Pushed entries go; seqs are never reused. */
  g_assert_true (buurten_store_outbox_remove (store, first->seq, &error));
  g_assert_no_error (error);
  g_assert_cmpint (buurten_store_outbox_count (store, &error), ==, 1);
  g_assert_true (buurten_store_outbox_remove (store, second->seq, &error));
  g_assert_cmpint (buurten_store_outbox_count (store, &error), ==, 0);
  g_assert_true (buurten_store_put (store, &buurten_request_info, r, "tester",
                                    "request.update", args, &error));
  {
    g_autoptr(GPtrArray) again = buurten_store_outbox (store, &error);

    g_assert_cmpuint (again->len, ==, 1);
    g_assert_cmpint (((BuurtenOutboxEntry *) g_ptr_array_index (again, 0))->seq, >,
                     second->seq);
  }
}

static void
test_invalid_put (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(BuurtenStore) store = open_store (f->path);
  g_autoptr(BuurtenRequest) r = make_request (1, "centrum", "Titel", "Tekst");
  g_autoptr(GError) error = NULL;
  sqlite3 *db;

  g_free (r->id);
  r->id = g_strdup ("not-a-uuid");
  g_assert_false (buurten_store_put (store, &buurten_request_info, r, "tester",
                                     "request.create", NULL, &error));
  g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID);

  g_assert_cmpint (buurten_store_count (store, &buurten_request_info, NULL), ==, 0);
  g_assert_cmpint (buurten_store_outbox_count (store, NULL), ==, 0);
  db = raw_open (f->path);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM audit"), ==, 0);
  sqlite3_close (db);
}

static void
test_audit_no_personal (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(BuurtenStore) store = open_store (f->path);
  g_autoptr(BuurtenRequest) r = make_request (1, "centrum", "Overlast", "Geluid");
  g_autoptr(BuurtenInitiative) initiative = buurten_initiative_new ();
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db;
  sqlite3_stmt *stmt = NULL;

  r->reporter_name = g_strdup ("Jantine Zwaluwstaart");
  r->reporter_contact = g_strdup ("jantine@example.nl");
  put_ok (store, &buurten_request_info, r);
  g_free (r->reporter_contact);
  r->reporter_contact = g_strdup ("06-12345678");
  g_assert_true (buurten_store_put (store, &buurten_request_info, r, "tester",
                                    "request.update", NULL, &error));

  initiative->id = test_uuid (2);
  initiative->wijk = g_strdup ("centrum");
  initiative->title = g_strdup ("Buurtfeest");
  initiative->description = g_strdup ("Een feest");
  initiative->organiser = g_strdup ("Kees Kwikstaart");
  put_ok (store, &buurten_initiative_info, initiative);

  history = buurten_store_history (store, "request", r->id, &error);
  g_assert_cmpuint (history->len, ==, 2);
  g_assert_cmpstr (((BuurtenAuditEntry *) g_ptr_array_index (history, 1))->summary, ==,
                   "changed: reporter_contact");

  /* No value of a personal field anywhere in the audit table. */
  db = raw_open (f->path);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT coalesce (actor, '') || \"action\" || "
                                       "object_type || object_id || summary FROM audit",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *line = (const char *) sqlite3_column_text (stmt, 0);

      g_assert_null (strstr (line, "Zwaluwstaart"));
      g_assert_null (strstr (line, "jantine"));
      g_assert_null (strstr (line, "12345678"));
      g_assert_null (strstr (line, "Kwikstaart"));
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  /* Nor are personal fields searchable. */
  {
    g_autoptr(GPtrArray) hits = buurten_store_search (store, "Zwaluwstaart", NULL, 10, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (hits->len, ==, 0);
    g_clear_pointer (&hits, g_ptr_array_unref);
    hits = buurten_store_search (store, "Kwikstaart", NULL, 10, &error);
    g_assert_cmpuint (hits->len, ==, 0);
  }
}

static void
test_list_filter (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(BuurtenStore) store = open_store (f->path);
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 6; i++)
    {
      g_autoptr(BuurtenRequest) r = make_request (i + 1, i % 3 == 0 ? "oost" : "centrum",
                                                  "Titel", "Tekst");

      r->term_days = 10 + i % 2;
      if (i == 5)
        r->state = BUURTEN_REQUEST_RESOLVED;
      put_ok (store, &buurten_request_info, r);
    }

  list = buurten_store_list (store, &buurten_request_info, "wijk", "oost", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  for (guint i = 0; i < list->len; i++)
    g_assert_cmpstr (((BuurtenRequest *) g_ptr_array_index (list, i))->wijk, ==, "oost");
  g_ptr_array_set_free_func (list, (GDestroyNotify) buurten_request_free);
  g_clear_pointer (&list, g_ptr_array_unref);

  list = buurten_store_list (store, &buurten_request_info, "state", "afgehandeld", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_ptr_array_set_free_func (list, (GDestroyNotify) buurten_request_free);
  g_clear_pointer (&list, g_ptr_array_unref);

  list = buurten_store_list (store, &buurten_request_info, "term_days", "11", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  g_ptr_array_set_free_func (list, (GDestroyNotify) buurten_request_free);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* A value that looks like SQL is a value. */
  list = buurten_store_list (store, &buurten_request_info, "wijk", "x' OR '1'='1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);

  list = buurten_store_list (store, &buurten_request_info, "category", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 6);
  g_ptr_array_set_free_func (list, (GDestroyNotify) buurten_request_free);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Only field names from the table reach SQL. */
  list = buurten_store_list (store, &buurten_request_info, "wijk = wijk OR 1", "x", &error);
  g_assert_null (list);
  g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID);
  g_clear_error (&error);

  list = buurten_store_list (store, &buurten_request_info, "term_days", "ten", &error);
  g_assert_null (list);
  g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID);
  g_clear_error (&error);

  list = buurten_store_list (store, &buurten_request_info, "state", "no_such_state", &error);
  g_assert_null (list);
  g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID);
}

static guint
search_count (BuurtenStore *store,
              const char   *text,
              const char   *wijk)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hits = buurten_store_search (store, text, wijk, 0, &error);

  if (error != NULL)
    g_error ("search “%s”: %s", text, error->message);
  g_assert_nonnull (hits);
  return hits->len;
}

static void
put_request (BuurtenStore *store,
             guint         n,
             const char   *wijk,
             const char   *title,
             const char   *description)
{
  g_autoptr(BuurtenRequest) r = make_request (n, wijk, title, description);

  put_ok (store, &buurten_request_info, r);
}

/* Schema 4 rebuilds the search index with one prefix index: a store of
 * schema 3 (its index with prefixes 2, 3 and 4, and a row of each type)
 * finds the same rows after the migration, by prefixes of every length. */
static void
test_search_migration (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(BuurtenStore) store = open_store (f->path);
  g_autoptr(BuurtenInitiative) initiative = buurten_initiative_new ();
  g_autofree char *sql = NULL;
  sqlite3 *db;

  put_request (store, 1, "centrum", "Lantaarnpaal kapot",
               "De lantaarnpaal bij de kerk brandt niet meer.");
  put_request (store, 2, "oost", "Stoeptegel los", "Bij de bushalte ligt een tegel los.");
  initiative->id = test_uuid (10);
  initiative->wijk = g_strdup ("zuid");
  initiative->title = g_strdup ("Buurtfeest");
  initiative->description = g_strdup ("Een feest met de coördinator van het buurthuis.");
  put_ok (store, &buurten_initiative_info, initiative);
  g_clear_object (&store);

  /* Back to schema 3 as it shipped: without what schemas 5 and 6 added, and its
   * index, filled as the store did. */
  db = raw_open (f->path);
  g_assert_cmpint (sqlite3_exec (db,
                                 "BEGIN;"
                                 "DROP TABLE budget_line;"
                                 "DROP TABLE activity;"
                                 "DROP TABLE agreement;"
                                 "DROP TABLE verantwoording;"
                                 "DROP INDEX commitment_wijk_year;"
                                 "ALTER TABLE commitment DROP COLUMN released_cents;"
                                 "CREATE INDEX commitment_wijk_year ON commitment"
                                 "  (wijk, year, funding, state, theme, amount_cents,"
                                 "   paid_cents);"
                                 "ALTER TABLE initiative DROP COLUMN organiser_address;"
                                 "ALTER TABLE initiative DROP COLUMN organiser_phone;"
                                 "ALTER TABLE initiative DROP COLUMN organiser_email;"
                                 "ALTER TABLE initiative DROP COLUMN organisation;"
                                 "ALTER TABLE initiative DROP COLUMN kvk;"
                                 "ALTER TABLE initiative DROP COLUMN iban;"
                                 "ALTER TABLE initiative DROP COLUMN account_holder;"
                                 "ALTER TABLE initiative DROP COLUMN for_whom;"
                                 "ALTER TABLE initiative DROP COLUMN place;"
                                 "ALTER TABLE initiative DROP COLUMN support_count;"
                                 "ALTER TABLE initiative DROP COLUMN crit_residents_remark;"
                                 "ALTER TABLE initiative DROP COLUMN crit_support_remark;"
                                 "ALTER TABLE initiative DROP COLUMN crit_themes_remark;"
                                 "ALTER TABLE initiative DROP COLUMN crit_adds_remark;"
                                 "ALTER TABLE initiative DROP COLUMN princ_lawful_remark;"
                                 "ALTER TABLE initiative DROP COLUMN princ_own_effort_remark;"
                                 "ALTER TABLE initiative DROP COLUMN princ_feedback_remark;"
                                 "ALTER TABLE initiative DROP COLUMN princ_accounting_remark;"
                                 "ALTER TABLE initiative DROP COLUMN source_request_id;"
                                 "ALTER TABLE initiative DROP COLUMN deal_signed_by;"
                                 "ALTER TABLE initiative DROP COLUMN deal_signed_on;"
                                 "ALTER TABLE initiative DROP COLUMN deal_signed_place;"
                                 "ALTER TABLE initiative DROP COLUMN submitted_on;"
                                 "ALTER TABLE request DROP COLUMN initiative_id;"
                                 "ALTER TABLE payment DROP COLUMN kind;"
                                 "ALTER TABLE payment DROP COLUMN reference;"
                                 "DROP TABLE search;"
                                 "CREATE VIRTUAL TABLE search USING fts5 ("
                                 "  type UNINDEXED, id UNINDEXED, wijk, title, body,"
                                 "  tokenize = 'unicode61 remove_diacritics 2',"
                                 "  prefix = '2 3 4');"
                                 "INSERT INTO search (search, rank) VALUES ('hashsize', 16777216);"
                                 "INSERT INTO search (rowid, type, id, wijk, title, body)"
                                 "  SELECT fts_row * 2, 'request', id, wijk, title, description"
                                 "  FROM request;"
                                 "INSERT INTO search (rowid, type, id, wijk, title, body)"
                                 "  SELECT fts_row * 2 + 1, 'initiative', id, wijk, title,"
                                 "  description FROM initiative;"
                                 "PRAGMA user_version = 3;"
                                 "COMMIT;", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = open_store (f->path);
  g_assert_cmpint (buurten_store_get_schema_version (store), ==, BUURTEN_STORE_SCHEMA_VERSION);
  db = raw_open (f->path);
  g_assert_cmpint (raw_int (db, "PRAGMA user_version"), ==, BUURTEN_STORE_SCHEMA_VERSION);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM search"), ==, 3);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM sqlite_schema WHERE name = 'search' AND "
                                "sql LIKE '%prefix = ''2''%'"), ==, 1);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM search_config WHERE k = 'hashsize' AND "
                                "v = 16777216"), ==, 1);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM request r JOIN search s ON "
                                "s.rowid = r.fts_row * 2 AND s.id = r.id"), ==, 2);
  sqlite3_close (db);

  /* Two letters (their index), three, four and more (the words' lists). */
  g_assert_cmpuint (search_count (store, "la", NULL), ==, 1);
  g_assert_cmpuint (search_count (store, "lan", NULL), ==, 1);
  g_assert_cmpuint (search_count (store, "lant", NULL), ==, 1);
  g_assert_cmpuint (search_count (store, "lantaarnpaal", NULL), ==, 1);
  g_assert_cmpuint (search_count (store, "bu", NULL), ==, 2);
  g_assert_cmpuint (search_count (store, "bus", NULL), ==, 1);
  g_assert_cmpuint (search_count (store, "buur", NULL), ==, 1);
  g_assert_cmpuint (search_count (store, "coör", "zuid"), ==, 1);
  g_assert_cmpuint (search_count (store, "tegel", "oost"), ==, 1);
  g_assert_cmpuint (search_count (store, "tegel", "centrum"), ==, 0);

  /* And the index is kept in step as before. */
  put_request (store, 3, "oost", "Lantaarnpalen te fel", "Licht schijnt in de slaapkamer.");
  g_assert_cmpuint (search_count (store, "lant", NULL), ==, 2);
}

static void
test_transactions (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(BuurtenStore) store = open_store (f->path);
  g_autoptr(BuurtenRequest) bad = make_request (9, "oost", "a", "b");
  g_autoptr(GError) error = NULL;

  /* Rolled back: nothing stays, outbox included. */
  g_assert_true (buurten_store_begin (store, &error));
  put_request (store, 1, "oost", "a", "b");
  put_request (store, 2, "oost", "a", "b");
  g_assert_cmpint (buurten_store_count (store, &buurten_request_info, NULL), ==, 2);
  buurten_store_rollback (store);
  g_assert_cmpint (buurten_store_count (store, &buurten_request_info, NULL), ==, 0);

  /* Committed, nested: the inner commit does not end the outer one. A put
   * refused before it wrote anything (validation, a foreign key) leaves no
   * trace and does not spoil the batch. */
  g_free (bad->id);
  bad->id = g_strdup ("bad");
  g_assert_true (buurten_store_begin (store, &error));
  put_request (store, 1, "oost", "a", "b");
  g_assert_true (buurten_store_begin (store, &error));
  put_request (store, 2, "oost", "a", "b");
  g_assert_true (buurten_store_commit (store, &error));
  g_assert_false (buurten_store_put (store, &buurten_request_info, bad, "t", "request.create",
                                     NULL, &error));
  g_clear_error (&error);
  {
    /* A foreign key: SQLite refuses the row itself, so neither row nor
     * audit line nor outbox. */
    g_autoptr(BuurtenPayment) payment = buurten_payment_new ();

    payment->id = test_uuid (50);
    payment->commitment_id = test_uuid (51);
    payment->amount_cents = 1;
    g_date_set_dmy (&payment->paid_on, 1, 2, 2024);
    g_assert_false (buurten_store_put (store, &buurten_payment_info, payment, "t",
                                       "payment.record", NULL, &error));
    g_assert_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_CONSTRAINT);
    g_clear_error (&error);
  }
  g_assert_true (buurten_store_commit (store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (buurten_store_count (store, &buurten_request_info, NULL), ==, 2);
  g_assert_cmpint (buurten_store_outbox_count (store, NULL), ==, 0);

  /* An inner rollback dooms the outer transaction: later writes in it
   * fail at once, and so does the commit. */
  g_assert_true (buurten_store_begin (store, &error));
  put_request (store, 3, "oost", "a", "b");
  g_assert_true (buurten_store_begin (store, &error));
  buurten_store_rollback (store);
  {
    g_autoptr(BuurtenRequest) r = make_request (4, "oost", "a", "b");

    g_assert_false (buurten_store_put (store, &buurten_request_info, r, "t", NULL, NULL,
                                       &error));
    g_assert_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_IO);
    g_clear_error (&error);
  }
  g_assert_false (buurten_store_commit (store, &error));
  g_assert_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_IO);
  g_clear_error (&error);
  g_assert_cmpint (buurten_store_count (store, &buurten_request_info, NULL), ==, 2);

  /* Misuse is a programmer error. */
  g_test_expect_message ("buurten-store", G_LOG_LEVEL_CRITICAL, "*");
  g_assert_false (buurten_store_commit (store, &error));
  g_test_assert_expected_messages ();
}

/* A write that fails after its first statement (here an audit row that a
 * trigger refuses, standing in for a full disk) cannot be undone on its
 * own, since puts in a batch have no savepoint: alone it rolls back its
 * transaction, in a batch it dooms the batch. */
static void
test_half_written (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(BuurtenStore) store = open_store (f->path);
  g_autoptr(BuurtenRequest) poison = make_request (66, "oost", "Kapotte bank", "In het park.");
  g_autofree char *trigger = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = raw_open (f->path);

  trigger = g_strdup_printf ("CREATE TRIGGER refuse_audit BEFORE INSERT ON audit "
                             "WHEN new.object_id = '%s' "
                             "BEGIN SELECT RAISE (ABORT, 'refused'); END", poison->id);
  g_assert_cmpint (sqlite3_exec (db, trigger, NULL, NULL, NULL), ==, SQLITE_OK);

  /* Alone: nothing stays, not even the request row written first. */
  g_assert_false (buurten_store_put (store, &buurten_request_info, poison, "t",
                                     "request.create", NULL, &error));
  g_assert_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_cmpint (buurten_store_count (store, &buurten_request_info, NULL), ==, 0);
  g_assert_cmpuint (search_count (store, "bank", NULL), ==, 0);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM search"), ==, 0);

  /* In a batch: the batch is lost, the rows before it included. */
  g_assert_true (buurten_store_begin (store, &error));
  put_request (store, 1, "oost", "Bankje", "Bij de vijver.");
  g_assert_false (buurten_store_put (store, &buurten_request_info, poison, "t",
                                     "request.create", NULL, &error));
  g_assert_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  {
    g_autoptr(BuurtenRequest) r = make_request (2, "oost", "a", "b");

    g_assert_false (buurten_store_put (store, &buurten_request_info, r, "t", NULL, NULL,
                                       &error));
    g_assert_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_IO);
    g_clear_error (&error);
    g_assert_false (buurten_store_delete (store, &buurten_request_info, r->id, "t", NULL,
                                          NULL, &error));
    g_assert_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_IO);
    g_clear_error (&error);
  }
  g_assert_false (buurten_store_commit (store, &error));
  g_assert_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_IO);
  g_clear_error (&error);
  g_assert_cmpint (buurten_store_count (store, &buurten_request_info, NULL), ==, 0);
  g_assert_cmpint (buurten_store_outbox_count (store, NULL), ==, 0);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM audit"), ==, 0);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM search"), ==, 0);

  /* The next batch starts clean. */
  g_assert_cmpint (sqlite3_exec (db, "DROP TRIGGER refuse_audit", NULL, NULL, NULL), ==,
                   SQLITE_OK);
  g_assert_true (buurten_store_begin (store, &error));
  put_request (store, 1, "oost", "Bankje", "Bij de vijver.");
  put_ok (store, &buurten_request_info, poison);
  g_assert_true (buurten_store_commit (store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (search_count (store, "bank", NULL), ==, 2);
  g_assert_cmpint (buurten_store_count (store, &buurten_request_info, NULL), ==, 2);

  sqlite3_close (db);
}

static void
test_meta (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(BuurtenStore) store = open_store (f->path);
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;

  g_assert_null (buurten_store_get_meta (store, "cursor", &error));
  g_assert_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (buurten_store_set_meta (store, "cursor", "abc", &error));
  g_assert_true (buurten_store_set_meta (store, "cursor", "def", &error));
  value = buurten_store_get_meta (store, "cursor", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (value, ==, "def");
  g_assert_true (buurten_store_set_meta (store, "cursor", NULL, &error));
  g_assert_null (buurten_store_get_meta (store, "cursor", &error));
  g_assert_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_NOT_FOUND);
}

/* ---- search --------------------------------------------------------- */

static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  static const char * const nasty[] = {
    "\"", "\"\"", "*", "lantaarnpaal*", "AND", "OR", "NOT", "lantaarnpaal AND",
    "NEAR(", "NEAR(a b", ")", "(", "a:b", "title:lantaarnpaal", "^", "-", "+", "{", "}",
    "\xF0\x9F\x92\xA1", "\xF0\x9F\x92\xA1 lantaarnpaal", "'", "\\", "%", "_", ":", ";",
    "lantaarnpaal\"kapot", "\t\n", "\xC3\xBC",
  };
  g_autoptr(BuurtenStore) store = open_store (f->path);
  g_autoptr(BuurtenInitiative) initiative = buurten_initiative_new ();
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GError) error = NULL;
  BuurtenSearchHit *hit;

  put_request (store, 1, "centrum", "Lantaarnpaal kapot",
               "De lantaarnpaal bij de kerk brandt niet meer.");
  put_request (store, 2, "oost", "Stoeptegel los", "Bij de bushalte ligt een tegel los.");
  put_request (store, 3, "oost", "Lantaarnpalen te fel", "Licht schijnt in de slaapkamer.");
  initiative->id = test_uuid (10);
  initiative->wijk = g_strdup ("zuid");
  initiative->title = g_strdup ("Buurtfeest");
  initiative->description = g_strdup ("Een feest met de coördinator van het buurthuis.");
  put_ok (store, &buurten_initiative_info, initiative);

  hits = buurten_store_search (store, "lantaarnpaal", NULL, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 1);
  hit = g_ptr_array_index (hits, 0);
  g_assert_cmpstr (hit->type, ==, "request");
  g_assert_cmpstr (hit->wijk, ==, "centrum");
  g_assert_cmpstr (hit->title, ==, "Lantaarnpaal kapot");
  g_assert_cmpstr (hit->snippet, ==, "De [lantaarnpaal] bij de kerk brandt niet meer.");
  {
    g_autofree char *id = test_uuid (1);

    g_assert_cmpstr (hit->id, ==, id);
  }
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* As you type: prefixes, any case; both lantaarnpa* rows, best first. */
  g_assert_cmpuint (search_count (store, "lantaa", NULL), ==, 2);
  g_assert_cmpuint (search_count (store, "LANTAARNP", NULL), ==, 2);
  g_assert_cmpuint (search_count (store, "lantaarnpaal kap", NULL), ==, 1);
  g_assert_cmpuint (search_count (store, "kapot lantaarnpaal", NULL), ==, 1);
  g_assert_cmpuint (search_count (store, "lantaarnpaal fel", NULL), ==, 0);
  g_assert_cmpuint (search_count (store, "kerk", NULL), ==, 1);  /* the description */
  g_assert_cmpuint (search_count (store, "lantaa", "oost"), ==, 1);
  g_assert_cmpuint (search_count (store, "lantaa", "zuid"), ==, 0);

  /* Diacritics either way. */
  g_assert_cmpuint (search_count (store, "coordinator", NULL), ==, 1);
  g_assert_cmpuint (search_count (store, "coördinator", NULL), ==, 1);
  g_assert_cmpuint (search_count (store, "coo\xCC\x88rdinator", NULL), ==, 1);  /* NFD */
  g_assert_cmpuint (search_count (store, "buurtfe", "zuid"), ==, 1);

  /* A long text is cut around the match; only the title matches: the
   * title is the snippet. */
  put_request (store, 4, "zuid", "Vuilnis",
               "Elke week staan er zakken naast de container aan het eind van de straat "
               "en dan komen de meeuwen en de kraaien en ligt alles open op de stoep bij "
               "het speelveld waar de kinderen spelen.");
  hits = buurten_store_search (store, "meeuwen", NULL, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 1);
  hit = g_ptr_array_index (hits, 0);
  g_assert_cmpstr (hit->snippet, ==,
                   "…komen de [meeuwen] en de kraaien en ligt alles open op de…");
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = buurten_store_search (store, "vuil", NULL, 10, &error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpstr (((BuurtenSearchHit *) g_ptr_array_index (hits, 0))->snippet, ==,
                   "[Vuilnis]");
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* Words like "de" are left out when there are others... */
  g_assert_cmpuint (search_count (store, "de kerk", NULL), ==, 1);
  g_assert_cmpuint (search_count (store, "lantaarnpaal bij de kerk", NULL), ==, 1);
  /* ...but not when they are all there is, or still being typed. */
  g_assert_cmpuint (search_count (store, "de", NULL), ==, 5);
  g_assert_cmpuint (search_count (store, "kerk de", NULL), ==, 1);
  g_assert_cmpuint (search_count (store, "kerk in", NULL), ==, 0);
  g_assert_cmpuint (search_count (store, "kerk in ", NULL), ==, 1);

  /* A wijk filter is exact, whatever the wijk id looks like. */
  put_request (store, 20, "hilversumse_meent", "Putdeksel rammelt", "Bij de rotonde.");
  put_request (store, 21, "hilversumse", "Putdeksel los", "Bij de school.");
  put_request (store, 22, "wijk \"met\" aanhalingstekens", "Putdeksel weg", "Gat.");
  g_assert_cmpuint (search_count (store, "putdeksel", NULL), ==, 3);
  g_assert_cmpuint (search_count (store, "putdeksel", "hilversumse_meent"), ==, 1);
  g_assert_cmpuint (search_count (store, "putdeksel", "hilversumse"), ==, 1);
  g_assert_cmpuint (search_count (store, "putdeksel", "meent"), ==, 0);
  g_assert_cmpuint (search_count (store, "putdeksel", "wijk \"met\" aanhalingstekens"), ==, 1);
  g_assert_cmpuint (search_count (store, "putdeksel", "\""), ==, 0);
  g_assert_cmpuint (search_count (store, "putdeksel", ""), ==, 0);
  /* The wijk is a filter, not a word to find. */
  g_assert_cmpuint (search_count (store, "hilversumse", NULL), ==, 0);

  /* Limit. */
  hits = buurten_store_search (store, "lantaa", NULL, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* Nothing to look for: nothing found, no error. */
  g_assert_cmpuint (search_count (store, "", NULL), ==, 0);
  g_assert_cmpuint (search_count (store, "   ", NULL), ==, 0);
  g_assert_cmpuint (search_count (store, NULL, NULL), ==, 0);
  g_assert_cmpuint (search_count (store, "\xFF\xFE", NULL), ==, 0);  /* not UTF-8 */

  /* What people type is never FTS syntax. */
  for (guint i = 0; i < G_N_ELEMENTS (nasty); i++)
    search_count (store, nasty[i], NULL);
  g_assert_cmpuint (search_count (store, "\"lantaarnpaal\"", NULL), ==, 1);
  g_assert_cmpuint (search_count (store, "lantaarnpaal*", NULL), ==, 1);
  g_assert_cmpuint (search_count (store, "NEAR(lantaarnpaal", NULL), ==, 0);
  g_assert_cmpuint (search_count (store, "\xF0\x9F\x92\xA1 lantaarnpaal", NULL), ==, 1);

  /* The lists' search as you type asks the index the same question. */
  {
    static const char * const typed[] = {
      "lantaa", "LANTAARNP", "lantaarnpaal kap", "lantaarnpaal fel", "kerk", "de", "de kerk",
      "kerk in", "kerk in ", "coo\xCC\x88rdinator", "putdeksel", "l", "", NULL,
    };
    static const char * const wijken[] = { NULL, "oost", "hilversumse", "\"" };
    g_autoptr(BuurtenListSearch) list = buurten_list_search_new (store);

    for (guint i = 0; i < G_N_ELEMENTS (typed) + G_N_ELEMENTS (nasty); i++)
      for (guint w = 0; w < G_N_ELEMENTS (wijken); w++)
        {
          const char *text = i < G_N_ELEMENTS (typed) ? typed[i]
                                                      : nasty[i - G_N_ELEMENTS (typed)];
          g_autoptr(GPtrArray) found = buurten_store_search (store, text, wijken[w], 0,
                                                             &error);
          g_autoptr(GHashTable) ids = NULL;
          guint requests = 0;

          g_assert_no_error (error);
          ids = buurten_list_search_run (list, "request", wijken[w], text, NULL, &error);
          g_assert_no_error (error);
          for (guint h = 0; h < found->len; h++)
            {
              BuurtenSearchHit *found_hit = g_ptr_array_index (found, h);

              if (!g_str_equal (found_hit->type, "request"))
                continue;
              requests++;
              g_assert_true (g_hash_table_contains (ids, found_hit->id));
            }
          g_assert_cmpuint (g_hash_table_size (ids), ==, requests);
        }
  }

  /* The index follows edits and deletes. */
  {
    g_autoptr(BuurtenRequest) r = make_request (1, "centrum", "Straatlamp kapot", "Donker");

    put_ok (store, &buurten_request_info, r);
    g_assert_cmpuint (search_count (store, "lantaarnpaal", NULL), ==, 0);
    g_assert_cmpuint (search_count (store, "straatlamp", NULL), ==, 1);
    g_assert_true (buurten_store_delete (store, &buurten_request_info, r->id, "t", NULL, NULL,
                                         &error));
    g_assert_cmpuint (search_count (store, "straatlamp", NULL), ==, 0);
  }

  /* Better matches first: the title counts more, and so do more hits. */
  put_request (store, 5, "zuid", "Lantaarnpaal", "Lantaarnpaal lantaarnpaal.");
  put_request (store, 6, "zuid", "Donkere hoek", "Bij de lantaarnpaal op de hoek is het donker.");
  hits = buurten_store_search (store, "lantaarnpaal", NULL, 10, &error);
  g_assert_cmpuint (hits->len, ==, 2);
  {
    g_autofree char *id5 = test_uuid (5);

    g_assert_cmpstr (((BuurtenSearchHit *) g_ptr_array_index (hits, 0))->id, ==, id5);
    g_assert_cmpfloat (((BuurtenSearchHit *) g_ptr_array_index (hits, 0))->rank, <,
                       ((BuurtenSearchHit *) g_ptr_array_index (hits, 1))->rank);
  }
  g_clear_pointer (&hits, g_ptr_array_unref);

}

/* Every request and initiative has exactly its own row in the index, and
 * FTS5's own check finds the index sound. */
static void
assert_index_in_step (const char *path)
{
  sqlite3 *db = raw_open (path);

  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO search (search) VALUES ('integrity-check')",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM search"), ==,
                   raw_int (db, "SELECT (SELECT count(*) FROM request) + "
                                "(SELECT count(*) FROM initiative)"));
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM request r JOIN search s "
                                "ON s.rowid = r.fts_row * 2 AND s.type = 'request' "
                                "AND s.id = r.id AND s.wijk IS r.wijk AND s.title IS r.title "
                                "AND s.body IS r.description"), ==,
                   raw_int (db, "SELECT count(*) FROM request"));
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM initiative i JOIN search s "
                                "ON s.rowid = i.fts_row * 2 + 1 AND s.type = 'initiative' "
                                "AND s.id = i.id AND s.wijk IS i.wijk AND s.title IS i.title "
                                "AND s.body IS i.description"), ==,
                   raw_int (db, "SELECT count(*) FROM initiative"));
  sqlite3_close (db);
}

/* The store keeps the index in step itself (no triggers): edits of
 * indexed and other fields, both types, deletes. */
static void
test_search_index (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(BuurtenStore) store = open_store (f->path);
  g_autoptr(BuurtenInitiative) initiative = buurten_initiative_new ();
  g_autoptr(BuurtenRequest) r = make_request (1, "centrum", "Lantaarnpaal kapot", "Donker.");
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GError) error = NULL;

  put_ok (store, &buurten_request_info, r);
  put_request (store, 2, "oost", "Stoeptegel los", "Bij de bushalte.");
  initiative->id = test_uuid (10);
  initiative->wijk = g_strdup ("zuid");
  initiative->title = g_strdup ("Buurtfeest");
  initiative->description = g_strdup ("Een feest in de straat.");
  put_ok (store, &buurten_initiative_info, initiative);
  assert_index_in_step (f->path);

  /* A change outside the index, stored again unchanged: still one hit. */
  r->state = BUURTEN_REQUEST_IN_PROGRESS;
  put_ok (store, &buurten_request_info, r);
  put_ok (store, &buurten_request_info, r);
  g_assert_cmpuint (search_count (store, "lantaarnpaal", NULL), ==, 1);
  assert_index_in_step (f->path);

  /* Each indexed field of an initiative. */
  g_free (initiative->title);
  initiative->title = g_strdup ("Straatfeest");
  put_ok (store, &buurten_initiative_info, initiative);
  g_assert_cmpuint (search_count (store, "buurtfeest", NULL), ==, 0);
  hits = buurten_store_search (store, "straatfeest", NULL, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpstr (((BuurtenSearchHit *) g_ptr_array_index (hits, 0))->type, ==, "initiative");
  g_assert_cmpstr (((BuurtenSearchHit *) g_ptr_array_index (hits, 0))->id, ==,
                   initiative->id);
  g_clear_pointer (&hits, g_ptr_array_unref);
  g_free (initiative->wijk);
  initiative->wijk = g_strdup ("west");
  put_ok (store, &buurten_initiative_info, initiative);
  g_assert_cmpuint (search_count (store, "straatfeest", "zuid"), ==, 0);
  g_assert_cmpuint (search_count (store, "straatfeest", "west"), ==, 1);
  g_free (initiative->description);
  initiative->description = NULL;
  put_ok (store, &buurten_initiative_info, initiative);
  g_assert_cmpuint (search_count (store, "straat", NULL), ==, 1);  /* the title is left */
  assert_index_in_step (f->path);

  /* Deletes, and a delete of what is not there. */
  g_assert_true (buurten_store_delete (store, &buurten_initiative_info, initiative->id, "t",
                                       NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (search_count (store, "straatfeest", NULL), ==, 0);
  g_assert_false (buurten_store_delete (store, &buurten_initiative_info, initiative->id, "t",
                                        NULL, NULL, &error));
  g_assert_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (buurten_store_delete (store, &buurten_request_info, r->id, "t", NULL, NULL,
                                       &error));
  g_assert_no_error (error);
  g_assert_cmpuint (search_count (store, "lantaarnpaal", NULL), ==, 0);
  g_assert_cmpuint (search_count (store, "stoeptegel", NULL), ==, 1);
  assert_index_in_step (f->path);

  /* A new row after deletes gets a fresh index row. */
  put_ok (store, &buurten_request_info, r);
  g_assert_cmpuint (search_count (store, "lantaarnpaal", NULL), ==, 1);
  assert_index_in_step (f->path);
}

/* A file from a development build that kept the index and the paid totals
 * with triggers: they go, so that nothing is indexed or summed twice. */
static void
test_prerelease_triggers (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(BuurtenStore) store = open_store (f->path);
  sqlite3 *db;

  g_clear_object (&store);
  db = raw_open (f->path);
  g_assert_cmpint (sqlite3_exec (db,
                                 "CREATE TRIGGER request_search_insert AFTER INSERT ON request "
                                 "BEGIN INSERT INTO search (rowid, type, id, wijk, title, body) "
                                 "VALUES (new.fts_row * 2, 'request', new.id, new.wijk, "
                                 "new.title, new.description); END;"
                                 "CREATE TRIGGER payment_paid_insert AFTER INSERT ON payment "
                                 "BEGIN UPDATE commitment SET paid_cents = paid_cents + "
                                 "new.amount_cents WHERE id = new.commitment_id; END;"
                                 "CREATE TRIGGER keep_me AFTER INSERT ON note BEGIN SELECT 1; END;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = open_store (f->path);
  put_request (store, 1, "oost", "Lantaarnpaal kapot", "Donker.");
  g_assert_cmpuint (search_count (store, "lantaarnpaal", NULL), ==, 1);
  assert_index_in_step (f->path);

  db = raw_open (f->path);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' "
                                "AND name <> 'keep_me'"), ==, 0);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM sqlite_schema WHERE name = 'keep_me'"),
                   ==, 1);
  sqlite3_close (db);
}

/* Reads one SQLite varint (https://www.sqlite.org/fileformat.html). */
static guint64
read_varint (const guint8 *p,
             gsize         len,
             gsize        *pos)
{
  guint64 v = 0;

  for (guint k = 0; k < 9; k++)
    {
      guint8 c;

      g_assert_cmpuint (*pos, <, len);
      c = p[(*pos)++];
      if (k == 8)
        return (v << 8) | c;
      v = (v << 7) | (c & 0x7f);
      if ((c & 0x80) == 0)
        break;
    }
  return v;
}

/* FTS5 keeps new terms in memory and writes them out as a segment when
 * that fills up, and also at every savepoint and statement journal: a
 * trigger on request or a savepoint per put would write one segment per
 * row (and 100 000 requests would take five times as long). The index's
 * structure record counts the leaf pages written that way. */
static void
test_search_bulk (Fixture       *f,
                  gconstpointer  data)
{
  const guint n = 2000;
  g_autoptr(BuurtenStore) store = open_store (f->path);
  g_autoptr(GError) error = NULL;
  sqlite3 *db;
  sqlite3_stmt *stmt = NULL;
  const guint8 *block;
  gsize len, pos = 4;  /* after the cookie */
  guint64 leaves;

  g_assert_true (buurten_store_begin (store, &error));
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *title = g_strdup_printf ("Melding %u over de lantaarnpaal", i);

      put_request (store, 1000 + i, i % 2 ? "oost" : "zuid", title,
                   "De lantaarnpaal in de straat brandt al een week niet meer, "
                   "het is 's avonds erg donker op de stoep bij de speeltuin.");
    }
  g_assert_true (buurten_store_commit (store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (search_count (store, "lantaarnpaal", NULL), ==, 50);
  g_assert_cmpuint (search_count (store, "1999", NULL), ==, 1);

  db = raw_open (f->path);
  g_assert_cmpint (raw_int (db, "SELECT v FROM search_config WHERE k = 'hashsize'"), ==,
                   16 * 1024 * 1024);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT block FROM search_data WHERE id = 10", -1,
                                       &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  block = sqlite3_column_blob (stmt, 0);
  len = (gsize) sqlite3_column_bytes (stmt, 0);
  /* Later SQLite versions mark a second layout after the cookie. */
  if (len >= 8 && memcmp (block + 4, "\xff\x00\x00\x01", 4) == 0)
    pos = 8;
  read_varint (block, len, &pos);  /* levels */
  read_varint (block, len, &pos);  /* segments */
  leaves = read_varint (block, len, &pos);
  g_test_message ("%u rows: %" G_GUINT64_FORMAT " leaves written", n, leaves);
  g_assert_cmpuint (leaves, >, 0);
  g_assert_cmpuint (leaves, <, n / 4);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  assert_index_in_step (f->path);
}

/* ---- refusals ------------------------------------------------------- */

static void
test_newer_schema (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(BuurtenStore) store = open_store (f->path);
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GError) error = NULL;
  BuurtenStore *refused;
  sqlite3 *db;

  put_request (store, 1, "oost", "a", "b");
  g_clear_object (&store);

  db = raw_open (f->path);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 99", NULL, NULL, NULL), ==,
                   SQLITE_OK);
  sqlite3_close (db);

  before = read_bytes (f->path);
  refused = buurten_store_open (f->path, &error);
  g_assert_null (refused);
  g_assert_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_NEWER_SCHEMA);
  g_assert_nonnull (strstr (error->message, "schema 99"));
  g_assert_nonnull (strstr (error->message, "Update Buurten"));
  after = read_bytes (f->path);
  g_assert_true (g_bytes_equal (before, after));
}

/* The newer version may sit in a WAL that was never checkpointed: the
 * header still says 1, SQLite says 7. Still refused, still untouched. */
static void
test_newer_schema_in_wal (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(BuurtenStore) store = open_store (f->path);
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) wal_before = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db;

  g_clear_object (&store);
  db = raw_open (f->path);
  sqlite3_db_config (db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 7", NULL, NULL, NULL), ==,
                   SQLITE_OK);
  sqlite3_close (db);
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));

  before = read_bytes (f->path);
  wal_before = read_bytes (wal);
  g_assert_null (buurten_store_open (f->path, &error));
  g_assert_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_NEWER_SCHEMA);
  g_assert_nonnull (strstr (error->message, "schema 7;"));
  {
    g_autoptr(GBytes) after = read_bytes (f->path);
    g_autoptr(GBytes) wal_after = read_bytes (wal);

    g_assert_true (g_bytes_equal (before, after));
    g_assert_true (g_bytes_equal (wal_before, wal_after));
  }
}

static void
assert_refused_untouched (const char *path)
{
  g_autoptr(GBytes) before = read_bytes (path);
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  BuurtenStore *store;

  store = buurten_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, path));
  after = read_bytes (path);
  g_assert_true (g_bytes_equal (before, after));
  g_assert_cmpuint (file_mode (path), ==, 0644);
}

static void
test_corrupt_garbage (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *dir = g_path_get_dirname (f->path);
  g_autoptr(GError) error = NULL;
  GString *garbage = g_string_new (NULL);

  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  for (guint i = 0; i < 5000; i++)
    g_string_append_c (garbage, (char) (i * 7 + 3));
  g_file_set_contents (f->path, garbage->str, garbage->len, &error);
  g_assert_no_error (error);
  g_chmod (f->path, 0644);
  assert_refused_untouched (f->path);

  /* Short files, and a text file that starts like one of ours. */
  g_file_set_contents (f->path, "hello", 5, &error);
  assert_refused_untouched (f->path);
  g_file_set_contents (f->path, "SQLite format 3", 16, &error);
  assert_refused_untouched (f->path);
  g_string_truncate (garbage, 0);
  g_string_append_len (garbage, "SQLite format 3\0", 16);
  for (guint i = 0; i < 4096; i++)
    g_string_append_c (garbage, (char) (i * 13));
  g_file_set_contents (f->path, garbage->str, garbage->len, &error);
  assert_refused_untouched (f->path);
  g_string_free (garbage, TRUE);
}

static void
test_corrupt_truncated (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(BuurtenStore) store = open_store (f->path);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;
  const char *contents;
  sqlite3 *db;

  g_assert_true (buurten_store_begin (store, &error));
  for (guint i = 0; i < 300; i++)
    put_request (store, i + 1, "oost", "Een titel die wat ruimte inneemt",
                 "En een beschrijving die ook wat ruimte inneemt, zodat er pagina's komen.");
  g_assert_true (buurten_store_commit (store, &error));
  g_clear_object (&store);

  /* Fold the WAL into the file, as a clean shutdown does. */
  db = raw_open (f->path);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL), ==,
                   SQLITE_OK);
  sqlite3_close (db);

  bytes = read_bytes (f->path);
  contents = g_bytes_get_data (bytes, &len);
  g_assert_cmpuint (len, >, 40000);
  g_file_set_contents (f->path, contents, len / 2, &error);
  g_assert_no_error (error);
  g_chmod (f->path, 0644);
  assert_refused_untouched (f->path);

  /* Cut inside the header. */
  g_file_set_contents (f->path, contents, 60, &error);
  g_chmod (f->path, 0644);
  assert_refused_untouched (f->path);
}

/* ---- concurrency ---------------------------------------------------- */

typedef struct
{
  const char *path;
  guint       first;
} Writer;

static gpointer
writer_thread (gpointer data)
{
  Writer *writer = data;
  g_autoptr(BuurtenStore) store = open_store (writer->path);

  for (guint i = 0; i < 500; i++)
    {
      g_autoptr(BuurtenNote) note = buurten_note_new ();
      g_autoptr(GError) error = NULL;

      note->id = test_uuid (writer->first + i);
      note->subject_type = g_strdup ("request");
      note->subject_id = test_uuid (1);
      note->body = g_strdup_printf ("Notitie %u", i);
      note->author = g_strdup ("tester");
      note->created_at = 1710000000 + i;
      if (!buurten_store_put (store, &buurten_note_info, note, "tester", "note.create", NULL,
                              &error))
        g_error ("writer %u: %s", writer->first, error->message);
    }
  return NULL;
}

static void
test_two_writers (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(BuurtenStore) store = NULL;
  g_autoptr(GError) error = NULL;
  Writer a = { f->path, 100000 };
  Writer b = { f->path, 200000 };
  GThread *ta, *tb;

  /* There is no file yet: both threads create and migrate it at once,
   * then write. Writes go one at a time through SQLite's lock, the busy
   * timeout makes the other wait. */
  ta = g_thread_new ("writer-a", writer_thread, &a);
  tb = g_thread_new ("writer-b", writer_thread, &b);
  g_thread_join (ta);
  g_thread_join (tb);

  store = open_store (f->path);
  g_assert_cmpint (buurten_store_count (store, &buurten_note_info, &error), ==, 1000);
  g_assert_cmpint (buurten_store_outbox_count (store, &error), ==, 1000);
}

typedef struct
{
  BuurtenStore *store;
  guint         first;
} SharedWriter;

static gpointer
shared_writer_thread (gpointer data)
{
  SharedWriter *writer = data;

  /* Batches of ten in explicit transactions, on one shared store. */
  for (guint i = 0; i < 200; i += 10)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (buurten_store_begin (writer->store, &error));
      for (guint j = i; j < i + 10; j++)
        put_request (writer->store, writer->first + j, "oost", "t", "d");
      g_assert_true (buurten_store_commit (writer->store, &error));
      g_assert_no_error (error);
    }
  return NULL;
}

static void
test_shared_store_threads (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(BuurtenStore) store = open_store (f->path);
  SharedWriter a = { store, 1000 };
  SharedWriter b = { store, 2000 };
  GThread *ta = g_thread_new ("shared-a", shared_writer_thread, &a);
  GThread *tb = g_thread_new ("shared-b", shared_writer_thread, &b);

  g_thread_join (ta);
  g_thread_join (tb);
  g_assert_cmpint (buurten_store_count (store, &buurten_request_info, NULL), ==, 400);
}

/* ---- municipality and budgets --------------------------------------- */

static BuurtenMunicipality *
load_municipality (void)
{
  g_autoptr(GError) error = NULL;
  BuurtenMunicipality *municipality = buurten_municipality_new_default (&error);

  g_assert_no_error (error);
  g_assert_nonnull (municipality);
  return municipality;
}

static void
test_municipality (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(BuurtenStore) store = open_store (f->path);
  g_autoptr(BuurtenMunicipality) municipality = load_municipality ();
  g_autoptr(BuurtenMunicipality) loaded = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db;

  loaded = buurten_store_load_municipality (store, &error);
  g_assert_null (loaded);
  g_assert_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Twice: the second import replaces the first. */
  g_assert_true (buurten_store_import_municipality (store, municipality, &error));
  g_assert_no_error (error);
  g_assert_true (buurten_store_import_municipality (store, municipality, &error));
  g_assert_no_error (error);

  loaded = buurten_store_load_municipality (store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (buurten_municipality_get_id (loaded), ==,
                   buurten_municipality_get_id (municipality));
  g_assert_cmpint (buurten_municipality_wijk_budget (loaded, "centrum", 2024), ==,
                   buurten_municipality_wijk_budget (municipality, "centrum", 2024));

  db = raw_open (f->path);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM municipality"), ==, 1);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM wijk"), ==,
                   buurten_municipality_get_wijken (municipality)->len);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM cluster"), ==,
                   buurten_municipality_get_clusters (municipality)->len);
  g_assert_cmpint (raw_int (db, "SELECT subsidy_cents + handgeld_cents FROM budget_table "
                                "WHERE wijk = 'centrum' AND valid_from <= 2024 "
                                "ORDER BY valid_from DESC LIMIT 1"), ==,
                   buurten_municipality_wijk_budget (municipality, "centrum", 2024));
  g_assert_cmpint (raw_int (db, "SELECT budget_cents FROM pot WHERE id = 'wijkkansen' "
                                "AND valid_from <= 2024 ORDER BY valid_from DESC LIMIT 1"), ==,
                   buurten_municipality_pot_budget (municipality, "wijkkansen", 2024));
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM mandate_band"), >, 0);
  sqlite3_close (db);
}

static void
assert_thermometer_equal (const BuurtenThermometer *a,
                          const BuurtenThermometer *b)
{
  g_assert_cmpstr (a->id, ==, b->id);
  g_assert_cmpint (a->year, ==, b->year);
  g_assert_cmpint (a->table_budget_cents, ==, b->table_budget_cents);
  g_assert_cmpint (a->transfers_in_cents, ==, b->transfers_in_cents);
  g_assert_cmpint (a->transfers_out_cents, ==, b->transfers_out_cents);
  g_assert_cmpint (a->carried_in_cents, ==, b->carried_in_cents);
  g_assert_cmpint (a->carried_out_cents, ==, b->carried_out_cents);
  g_assert_cmpint (a->budget_cents, ==, b->budget_cents);
  g_assert_cmpint (a->approved_cents, ==, b->approved_cents);
  g_assert_cmpint (a->pending_cents, ==, b->pending_cents);
  g_assert_cmpint (a->spent_cents, ==, b->spent_cents);
  g_assert_cmpint (a->free_cents, ==, b->free_cents);
  g_assert_cmpint (a->over_budget, ==, b->over_budget);
  g_assert_cmpuint (a->themes->len, ==, b->themes->len);
  for (guint i = 0; i < a->themes->len; i++)
    {
      const BuurtenThemeShare *sa = g_ptr_array_index (a->themes, i);
      const BuurtenThemeShare *sb = g_ptr_array_index (b->themes, i);

      g_assert_cmpstr (sa->theme, ==, sb->theme);
      g_assert_cmpint (sa->approved_cents, ==, sb->approved_cents);
      g_assert_cmpint (sa->pending_cents, ==, sb->pending_cents);
      g_assert_cmpint (sa->spent_cents, ==, sb->spent_cents);
    }
}

static void
put_payment (BuurtenStore *store,
             guint         n,
             const char   *commitment_id,
             gint64        amount)
{
  g_autoptr(BuurtenPayment) p = buurten_payment_new ();

  p->id = test_uuid (n);
  p->commitment_id = g_strdup (commitment_id);
  p->amount_cents = amount;
  g_date_set_dmy (&p->paid_on, 1, 6, 2024);
  put_ok (store, &buurten_payment_info, p);
}

/* The ledger fed row by row with what the store holds. */
static BuurtenLedger *
ledger_from_rows (BuurtenStore        *store,
                  BuurtenMunicipality *municipality,
                  int                  year)
{
  const BuurtenEntityInfo *infos[] = {
    &buurten_commitment_info, &buurten_payment_info, &buurten_transfer_info,
    &buurten_carry_over_info,
  };
  BuurtenLedger *ledger = buurten_ledger_new (municipality, year);

  for (guint i = 0; i < G_N_ELEMENTS (infos); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) rows = buurten_store_list (store, infos[i], NULL, NULL, &error);

      g_assert_no_error (error);
      for (guint j = 0; j < rows->len; j++)
        {
          gpointer row = g_ptr_array_index (rows, j);

          /* Refusals (a payment on a pending commitment, too much paid)
           * are the ledger's business: the store must agree with them. */
          if (infos[i] == &buurten_commitment_info)
            buurten_ledger_add_commitment (ledger, row, NULL);
          else if (infos[i] == &buurten_payment_info)
            buurten_ledger_add_payment (ledger, row, NULL);
          else if (infos[i] == &buurten_transfer_info)
            buurten_ledger_add_transfer (ledger, row, NULL);
          else
            buurten_ledger_add_carry_over (ledger, row, NULL);
          buurten_entity_free (infos[i], row);
        }
    }
  return ledger;
}

static void
test_thermometer (Fixture       *f,
                  gconstpointer  data)
{
  static const char * const wijken[] = { "centrum", "oost", "zuid" };
  static const char * const themes[] = { "groen", "spelen", "ontmoeting" };
  g_autoptr(BuurtenStore) store = open_store (f->path);
  g_autoptr(BuurtenMunicipality) municipality = load_municipality ();
  g_autoptr(BuurtenLedger) expected = NULL;
  g_autoptr(BuurtenLedger) from_store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *changed_payment = NULL;
  g_autofree char *deleted_payment = NULL;
  g_autofree char *moved_payment = NULL;
  g_autofree char *move_to = NULL;
  guint n = 1;

  g_assert_true (buurten_store_begin (store, &error));
  for (guint i = 0; i < 60; i++)
    {
      g_autoptr(BuurtenInitiative) initiative = buurten_initiative_new ();
      g_autoptr(BuurtenCommitment) c = buurten_commitment_new ();

      initiative->id = test_uuid (n++);
      initiative->wijk = g_strdup (wijken[i % 3]);
      initiative->title = g_strdup ("Initiatief");
      initiative->description = g_strdup ("Beschrijving");
      initiative->requested_cents = 10000;
      put_ok (store, &buurten_initiative_info, initiative);

      c->id = test_uuid (n++);
      c->initiative_id = g_strdup (initiative->id);
      c->wijk = g_strdup (wijken[i % 3]);
      c->funding = i % 7 == 0 ? BUURTEN_FUNDING_WIJKKANSEN
                   : i % 5 == 0 ? BUURTEN_FUNDING_HANDGELD
                   : i % 13 == 0 ? BUURTEN_FUNDING_INVESTERING : BUURTEN_FUNDING_WIJKBUDGET;
      c->year = i % 10 == 9 ? 2023 : 2024;   /* some of another year */
      c->amount_cents = 10000 + i * 1111;
      c->theme = i % 8 == 0 ? NULL : g_strdup (themes[i % 3]);
      c->state = i % 4 == 0 ? BUURTEN_COMMITMENT_PENDING
                 : i % 11 == 0 ? BUURTEN_COMMITMENT_CANCELLED : BUURTEN_COMMITMENT_APPROVED;
      c->created_at = 1710000000;
      put_ok (store, &buurten_commitment_info, c);

      /* Payments: half, sometimes a quarter more, sometimes on a commitment
       * that may not be paid (pending, cancelled) or more than is left. */
      if (i % 2 == 0 || i % 4 == 0)
        put_payment (store, n++, c->id, c->amount_cents / 2);
      if (i % 6 == 0)
        put_payment (store, n++, c->id, c->amount_cents / 4);
      if (i == 10)
        {
          changed_payment = test_uuid (n);
          put_payment (store, n++, c->id, 1);
        }
      if (i == 14)
        {
          deleted_payment = test_uuid (n);
          put_payment (store, n++, c->id, 500);
        }
      if (i == 18)
        {
          moved_payment = test_uuid (n);
          put_payment (store, n++, c->id, 700);
        }
      if (i == 41)
        move_to = g_strdup (c->id);
      if (i == 30 || i == 22)
        put_payment (store, n++, c->id, c->amount_cents);  /* too much in total */
      if (i == 30)
        put_payment (store, n++, c->id, 1);
    }
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(BuurtenTransfer) t = buurten_transfer_new ();
      g_autoptr(BuurtenCarryOver) co = buurten_carry_over_new ();

      t->id = test_uuid (n++);
      t->year = 2024;
      t->from_wijk = g_strdup (wijken[i % 3]);
      t->to_wijk = g_strdup (wijken[(i + 1) % 3]);
      t->amount_cents = 50000 + i;
      t->reason = g_strdup ("Herverdeling");
      g_date_set_dmy (&t->decided_on, 1, 3, 2024);
      put_ok (store, &buurten_transfer_info, t);

      co->id = test_uuid (n++);
      co->wijk = g_strdup (wijken[i % 3]);
      co->from_year = 2023 + i % 2;
      co->amount_cents = 7000 + i;
      co->reason = g_strdup ("Overheveling");
      g_date_set_dmy (&co->decided_on, 1, 1, 2024);
      put_ok (store, &buurten_carry_over_info, co);
    }
  g_assert_true (buurten_store_commit (store, &error));
  g_assert_no_error (error);

  /* Payments change and go after the fact; the sums follow. */
  {
    g_autoptr(BuurtenPayment) p = buurten_store_get (store, &buurten_payment_info,
                                                     changed_payment, &error);

    g_assert_no_error (error);
    p->amount_cents = 2500;
    put_ok (store, &buurten_payment_info, p);
    g_assert_true (buurten_store_delete (store, &buurten_payment_info, deleted_payment, "t",
                                         NULL, NULL, &error));
    g_assert_no_error (error);
  }
  {
    g_autoptr(BuurtenPayment) p = buurten_store_get (store, &buurten_payment_info,
                                                     moved_payment, &error);

    g_assert_no_error (error);
    g_free (p->commitment_id);
    p->commitment_id = g_strdup (move_to);
    put_ok (store, &buurten_payment_info, p);
    g_date_set_dmy (&p->paid_on, 2, 2, 2024);  /* not in the sum */
    put_ok (store, &buurten_payment_info, p);
  }
  {
    /* Every commitment's paid_cents is the sum of its payments. */
    sqlite3 *db = raw_open (f->path);

    g_assert_cmpint (raw_int (db, "SELECT count(*) FROM commitment c WHERE paid_cents <> "
                                  "(SELECT coalesce(sum(amount_cents), 0) FROM payment p "
                                  " WHERE p.commitment_id = c.id)"), ==, 0);
    g_assert_cmpint (raw_int (db, "SELECT count(*) FROM commitment WHERE paid_cents > 0"), >,
                     20);
    g_assert_cmpint (raw_int (db, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'"),
                     ==, 0);
    sqlite3_close (db);
  }

  expected = ledger_from_rows (store, municipality, 2024);
  from_store = buurten_store_ledger (store, municipality, 2024, &error);
  g_assert_no_error (error);
  g_assert_nonnull (from_store);

  for (guint i = 0; i < G_N_ELEMENTS (wijken); i++)
    {
      g_autoptr(BuurtenThermometer) want = buurten_ledger_wijk (expected, wijken[i]);
      g_autoptr(BuurtenThermometer) got = buurten_ledger_wijk (from_store, wijken[i]);
      g_autoptr(BuurtenThermometer) one = NULL;

      one = buurten_store_thermometer (store, municipality, wijken[i], 2024, &error);
      g_assert_no_error (error);
      g_assert_nonnull (want);
      g_assert_cmpint (want->approved_cents, >, 0);
      g_assert_cmpint (want->pending_cents, >, 0);
      g_assert_cmpint (want->spent_cents, >, 0);
      g_assert_cmpint (want->transfers_in_cents, >, 0);
      assert_thermometer_equal (want, got);
      assert_thermometer_equal (want, one);
    }
  {
    g_autoptr(BuurtenThermometer) want = buurten_ledger_pot (expected, "wijkkansen");
    g_autoptr(BuurtenThermometer) got = buurten_ledger_pot (from_store, "wijkkansen");

    g_assert_cmpint (want->approved_cents + want->pending_cents, >, 0);
    assert_thermometer_equal (want, got);
  }

  /* Another year reads other rows. */
  {
    g_autoptr(BuurtenLedger) want_2023 = ledger_from_rows (store, municipality, 2023);
    g_autoptr(BuurtenThermometer) want = buurten_ledger_wijk (want_2023, "centrum");
    g_autoptr(BuurtenThermometer) one =
      buurten_store_thermometer (store, municipality, "centrum", 2023, &error);

    g_assert_no_error (error);
    assert_thermometer_equal (want, one);
  }

  g_assert_null (buurten_store_thermometer (store, municipality, "atlantis", 2024, &error));
  g_assert_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_NOT_FOUND);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/store/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)

  g_test_add_func ("/store/default-path", test_default_path);
  ADD ("open-empty", test_open_empty);
  ADD ("existing-dir-untouched", test_existing_dir_untouched);
  ADD ("columns", test_columns);
  ADD ("round-trip", test_round_trip);
  ADD ("get-missing", test_get_missing);
  ADD ("upsert", test_upsert);
  ADD ("upsert-keeps-children", test_upsert_keeps_children);
  ADD ("foreign-key", test_foreign_key);
  ADD ("outbox", test_outbox);
  ADD ("invalid-put", test_invalid_put);
  ADD ("audit-no-personal", test_audit_no_personal);
  ADD ("list-filter", test_list_filter);
  ADD ("transactions", test_transactions);
  ADD ("half-written", test_half_written);
  ADD ("meta", test_meta);
  ADD ("search", test_search);
  ADD ("search-index", test_search_index);
  ADD ("search-bulk", test_search_bulk);
  ADD ("search-migration", test_search_migration);
  ADD ("prerelease-triggers", test_prerelease_triggers);
  ADD ("newer-schema", test_newer_schema);
  ADD ("newer-schema-in-wal", test_newer_schema_in_wal);
  ADD ("corrupt-garbage", test_corrupt_garbage);
  ADD ("corrupt-truncated", test_corrupt_truncated);
  ADD ("two-writers", test_two_writers);
  ADD ("shared-store-threads", test_shared_store_threads);
  ADD ("municipality", test_municipality);
  ADD ("thermometer", test_thermometer);

#undef ADD

  return g_test_run ();
}
