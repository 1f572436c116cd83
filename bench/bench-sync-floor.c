/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The floor for the first sync of a laptop (bench/bench-sync.py): the
 * same change rows the server's pull reads, taken from PostgreSQL with
 * COPY in one go and inserted into SQLite in one transaction, with no
 * HTTP, JSON parsing, validation, search index or per-row logic at all.
 * Whatever the sync does beyond this is its cost.
 *
 *   bench-sync-floor CONNINFO SQLITE_FILE
 *
 * Prints "rows=N seconds=S". */

#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double
now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* COPY text format: fields split by tabs, \t \n \\ escaped, \N is NULL. */
static char *
next_field (char **cursor, int *is_null)
{
  char *start = *cursor, *out = start, *in = start;

  while (*in != '\0' && *in != '\t' && *in != '\n')
    {
      if (*in == '\\' && in[1] != '\0')
        {
          in++;
          switch (*in)
            {
            case 't': *out++ = '\t'; break;
            case 'n': *out++ = '\n'; break;
            case 'r': *out++ = '\r'; break;
            case 'N': *is_null = 1; break;
            default: *out++ = *in; break;
            }
          in++;
        }
      else
        *out++ = *in++;
    }
  *cursor = *in != '\0' ? in + 1 : in;
  *out = '\0';
  return start;
}

int
main (int argc, char **argv)
{
  PGconn *pg;
  PGresult *res;
  sqlite3 *db;
  sqlite3_stmt *insert;
  char *line;
  long rows = 0;
  double t0;
  int n;

  if (argc != 3)
    {
      fprintf (stderr, "usage: bench-sync-floor CONNINFO SQLITE_FILE\n");
      return 2;
    }

  t0 = now ();
  pg = PQconnectdb (argv[1]);
  if (PQstatus (pg) != CONNECTION_OK)
    {
      fprintf (stderr, "%s", PQerrorMessage (pg));
      return 1;
    }
  if (sqlite3_open (argv[2], &db) != SQLITE_OK)
    return 1;
  sqlite3_exec (db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
                "CREATE TABLE floor (scope TEXT, seq INTEGER, type TEXT, id TEXT, op TEXT,"
                " version INTEGER, data TEXT, versions TEXT);"
                "BEGIN IMMEDIATE", NULL, NULL, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO floor VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", -1,
                      &insert, NULL);

  res = PQexec (pg, "COPY (SELECT scope, seq, type, object_id, op, version, data::text,"
                " versions::text FROM changes ORDER BY scope, seq, type_rank, object_id)"
                " TO STDOUT");
  if (PQresultStatus (res) != PGRES_COPY_OUT)
    {
      fprintf (stderr, "%s", PQerrorMessage (pg));
      return 1;
    }
  PQclear (res);

  while ((n = PQgetCopyData (pg, &line, 0)) > 0)
    {
      char *cursor = line;

      for (int i = 1; i <= 8; i++)
        {
          int is_null = 0;
          char *field = next_field (&cursor, &is_null);

          if (is_null)
            sqlite3_bind_null (insert, i);
          else
            sqlite3_bind_text (insert, i, field, -1, SQLITE_TRANSIENT);
        }
      if (sqlite3_step (insert) != SQLITE_DONE)
        {
          fprintf (stderr, "%s\n", sqlite3_errmsg (db));
          return 1;
        }
      sqlite3_reset (insert);
      PQfreemem (line);
      rows++;
    }
  res = PQgetResult (pg);
  PQclear (res);
  sqlite3_finalize (insert);
  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  sqlite3_close (db);
  PQfinish (pg);

  printf ("rows=%ld seconds=%.3f\n", rows, now () - t0);
  return 0;
}
