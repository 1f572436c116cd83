/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>
#include <libpq-fe.h>

#include "buurten-core.h"
#include "buurten-db.h"

/* The lowest layer of the server above the database: the server's shared
 * context, users and their sessions, one HTTP call and its answer, the
 * audit log. Every other server header includes this one or lower ones
 * only: buurten-visibility.h and buurten-ledger-feed.h (core only),
 * buurten-mutations.h, buurten-exchange.h (push and pull), buurten-api.h
 * (the other endpoints), buurten-server.h. */

G_BEGIN_DECLS

/* The API's error codes beyond the core's (buurten_core_error_code_name()). */
#define BUURTEN_CODE_MALFORMED         "MALFORMED"
#define BUURTEN_CODE_VALIDATION        "VALIDATION"
#define BUURTEN_CODE_UNAUTHORIZED      "UNAUTHORIZED"
#define BUURTEN_CODE_FORBIDDEN         "FORBIDDEN"
#define BUURTEN_CODE_NOT_FOUND         "NOT_FOUND"
#define BUURTEN_CODE_METHOD            "METHOD_NOT_ALLOWED"
#define BUURTEN_CODE_MID_GAP           "MID_GAP"
#define BUURTEN_CODE_TOO_LARGE         "TOO_LARGE"
#define BUURTEN_CODE_MEDIA_TYPE        "UNSUPPORTED_MEDIA_TYPE"
#define BUURTEN_CODE_OLD_SCHEMA        "OLD_SCHEMA"
#define BUURTEN_CODE_TOO_MANY          "TOO_MANY_ATTEMPTS"
#define BUURTEN_CODE_QUOTA             "QUOTA_EXCEEDED"
#define BUURTEN_CODE_UNAVAILABLE       "UNAVAILABLE"
#define BUURTEN_CODE_UNKNOWN_MUTATION  "UNKNOWN_MUTATION"
#define BUURTEN_CODE_INTERNAL          "INTERNAL"

/* Session lifetime: absolute, from login (design.md: 12 h). */
#define BUURTEN_SESSION_LIFETIME_SECONDS (12 * 60 * 60)
/* Login attempts within a window (buurten-api-session.c): an address gets
 * ADDRESS_LIMIT attempts at any usernames, and USER_LIMIT at one user; once
 * a user has had USER_LIMIT failed attempts from anywhere, an address that
 * failed against that user gets no more, but an address that never failed
 * still does (so nobody can lock a user out by failing on purpose). Over
 * a limit: 429 until the window has passed, or `user unlock`. */
#define BUURTEN_LOGIN_USER_LIMIT    5
#define BUURTEN_LOGIN_ADDRESS_LIMIT 20
#define BUURTEN_LOGIN_WINDOW_SECONDS (15 * 60)
/* Sessions a user may hold at once; a login beyond them revokes the
 * oldest. */
#define BUURTEN_SESSIONS_PER_USER 10
/* What the blobs stored for one wijk (or by one user without a wijk) may
 * add up to, unless --blob-quota-mib says otherwise. */
#define BUURTEN_BLOB_QUOTA_DEFAULT_MIB 1024
/* JSON nesting depth of request bodies. */
#define BUURTEN_API_MAX_DEPTH 32
/* Tombstones are kept this long; older cursors get a reset. */
#define BUURTEN_TOMBSTONE_DAYS 180

typedef struct _BuurtenSessionCache BuurtenSessionCache;

/* What every request thread shares; immutable while serving (the session
 * cache locks itself). */
typedef struct
{
  BuurtenDbPool       *pool;
  BuurtenMunicipality *municipality;
  BuurtenSessionCache *sessions;
  gint64               blob_quota;    /* bytes per wijk; 0: the default */
} BuurtenServerContext;

/* ---- users and what they may see -------------------------------------- */

typedef struct
{
  gint64     id;
  char      *username;
  GPtrArray *grants;     /* BuurtenGrant* (buurten-authority.h) */
  char      *grants_key; /* the grants as the database lists them, or NULL */
} BuurtenUser;

void          buurten_user_free            (BuurtenUser         *user);
BuurtenUser  *buurten_user_copy            (const BuurtenUser   *user);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BuurtenUser, buurten_user_free)

/* Who a token belongs to, remembered for a short while so that a pull
 * needs one statement: that statement still checks that the session is
 * valid (not revoked, not expired, the user not disabled) and that the
 * user's roles are still those remembered (grants_key). */
#define BUURTEN_SESSION_CACHE_SECONDS 60

BuurtenSessionCache *buurten_session_cache_new    (void);
void          buurten_session_cache_free   (BuurtenSessionCache *cache);
/* A copy of the user, or NULL. */
BuurtenUser  *buurten_session_cache_lookup (BuurtenSessionCache *cache,
                                            const char          *token_hash);
void          buurten_session_cache_forget (BuurtenSessionCache *cache,
                                            const char          *token_hash);

/* What an up-to-date pull needs of a remembered session, worked out once
 * per session instead of once per pull. Immutable and reference counted:
 * the cache may drop the session while a pull still holds it. */
typedef struct
{
  gint64     user_id;
  char      *username;
  char      *grants_key;
  GPtrArray *scopes;         /* char*: buurten_visible_scopes() */
  char      *scope_array;    /* the scopes as a PostgreSQL text[] literal */
  char      *partner_array;  /* per scope, boolean[]: the user is no staff there */
} BuurtenPullIdentity;

BuurtenPullIdentity *buurten_pull_identity_new   (const BuurtenUser   *user,
                                                  BuurtenMunicipality *municipality);
BuurtenPullIdentity *buurten_pull_identity_ref   (BuurtenPullIdentity *identity);
void          buurten_pull_identity_unref  (BuurtenPullIdentity *identity);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BuurtenPullIdentity, buurten_pull_identity_unref)

/* The pull identity of a remembered session (a new reference), or NULL. */
BuurtenPullIdentity *buurten_session_cache_lookup_pull (BuurtenSessionCache *cache,
                                                        const char          *token_hash,
                                                        BuurtenMunicipality *municipality);

/* What a user may do is asked of core with user->grants:
 * buurten_grants_have_role(), buurten_grants_staff_in() (any role but
 * partner: may read everything there, personal fields included, and
 * change it) and buurten_grants_partner_in() (sees meetings and agenda
 * items there, and the actions and requests assigned to the partner, never
 * personal fields); what a user may see, buurten-visibility.h. */

/* {"username","roles":[...],"wijken":[...],"grants":[{"role","wijk"}]} */
JsonNode     *buurten_user_to_json         (const BuurtenUser   *user,
                                            BuurtenMunicipality *municipality);

/* ---- one HTTP request, handled on a worker thread ----------------------- */

typedef struct
{
  BuurtenServerContext *context;   /* borrowed */
  /* The request, read-only on the worker thread. */
  char        *method;
  char        *path;
  GHashTable  *query;              /* owned copy, may be NULL */
  GBytes      *body;               /* may be NULL */
  char        *token;              /* the bearer token, or NULL */
  char        *origin;             /* the client's address */
  /* The response. */
  guint        status;
  char        *response;           /* JSON text */
  GBytes      *response_bytes;     /* or these bytes (blobs) */
  char        *response_type;      /* of response_bytes */
  char        *retry_after;
  char        *link;               /* a Link header (RFC 8288), or NULL */
  /* For the log line: a number, never a name. */
  gint64       user_id;
} BuurtenCall;

void          buurten_call_free            (BuurtenCall         *call);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BuurtenCall, buurten_call_free)

void          buurten_call_set_error       (BuurtenCall         *call,
                                            guint                status,
                                            const char          *code,
                                            const char          *format,
                                            ...) G_GNUC_PRINTF (4, 5);
/* Maps a core or database error onto a status and code. */
void          buurten_call_set_gerror      (BuurtenCall         *call,
                                            const GError        *error);
void          buurten_call_set_json        (BuurtenCall         *call,
                                            guint                status,
                                            JsonNode            *node);
void          buurten_call_take_response   (BuurtenCall         *call,
                                            guint                status,
                                            char                *json);
/* {"error":{"code":...,"message":...}} */
char         *buurten_error_json           (const char          *code,
                                            const char          *message);

/* The roles of a user as one string, in the order buurten_call_authenticate
 * reads them: the SQL expression for user id column `u.id`. */
#define BUURTEN_GRANTS_KEY_SQL \
  "(SELECT string_agg (r.role || ':' || coalesce (r.wijk, ''), ',' ORDER BY r.role, r.wijk)" \
  " FROM user_roles r WHERE r.user_id = u.id)"

/* The session's user, or NULL after setting 401. */
BuurtenUser  *buurten_call_authenticate    (BuurtenCall         *call,
                                            PGconn              *conn);
/* The body as a JSON object, or NULL after setting 400 (malformed, too
 * deep, not UTF-8) or 422 (not an object). */
JsonObject   *buurten_call_parse_body      (BuurtenCall         *call);

/* An audit line, appended through the SQL function buurten_audit(), which
 * chains it to the line before (migration 4; the server's role may not
 * insert into the table itself). Within a transaction the chain stays
 * locked until it ends, so call it last. Failures are logged, never fatal. */
void          buurten_audit                (PGconn              *conn,
                                            const char          *actor,
                                            const char          *action,
                                            const char          *object,
                                            const char          *result,
                                            const char          *origin);

/* SHA-256 of a token, lowercase hex. */
char         *buurten_token_hash           (const char          *token);
/* Timestamps as the core's JSON writes them: 2021-03-04T05:06:07Z. */
char         *buurten_format_time          (gint64               unix_seconds);

G_END_DECLS
