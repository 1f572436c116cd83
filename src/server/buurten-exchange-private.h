/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "buurten-exchange.h"

G_BEGIN_DECLS

/* What the push and cursor half (buurten-exchange.c) and the pull half
 * (buurten-exchange-pull.c) of the sync protocol share. */

#define MAX_MUTATIONS_PER_PUSH 1000
#define MAX_PUSH_ATTEMPTS      10
#define DEFAULT_PULL_LIMIT     500
#define MAX_PULL_LIMIT         5000
/* A pull page holds at most this many bytes of changes (JSON), whole
 * transactions only: well under the client's limit of 64 MiB, whatever the
 * rows hold (500 notes of 20 000 quotes were 20 MiB, 2 500 of them 100 MiB).
 * A page's first transaction comes whole even when it is larger. */
#define PULL_PAGE_BYTES        (8 * 1024 * 1024)
#define CURSOR_VERSION         1
#define SYNC_SCHEMA            1

/* One mutation of a push: name and args point into the push's body. */
typedef struct
{
  gint64      mid;
  const char *name;
  JsonObject *args;
} Mutation;

typedef enum
{
  PUSH_BODY_OK,
  PUSH_BODY_INVALID,     /* 422 VALIDATION */
  PUSH_BODY_OLD_SCHEMA,  /* 426 OLD_SCHEMA */
} PushBodyStatus;

PushBodyStatus decode_push_body (JsonObject  *body,
                                 char       **out_client_id,
                                 GArray     **out_mutations,
                                 gint        *out_gap_after,
                                 GError     **error);

void append_json_string (GString    *out,
                         const char *text);
char *int_array (const gint64 *values,
                 guint         n);
char *encode_cursor (GPtrArray    *scopes,
                     const gint64 *positions,
                     const gint64 *bases);
GHashTable *decode_cursor (const char  *text,
                           GHashTable  *bases,
                           gboolean    *out_version_ok,
                           GError     **error);
void reset_response (BuurtenCall  *call,
                     GPtrArray    *scopes,
                     const gint64 *positions,
                     const gint64 *bases,
                     GPtrArray    *reset,
                     const char   *why);

G_END_DECLS
