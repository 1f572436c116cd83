/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "buurten-call.h"

G_BEGIN_DECLS

/* Residents' personal data has a lifetime (issue 13 point 7, AVG).
 *
 * Which fields are personal is core's answer only: every field of an
 * entity table marked BUURTEN_FIELD_PERSONAL (buurten-entity.c), read
 * through buurten_personal_fields_array() (buurten-visibility.h). Nothing
 * here names reporter_name, reporter_contact or organiser.
 *
 * buurten-residents.c: blanking objects (a new version and change row with
 * the personal fields gone, the history and conflicts blanked), the
 * export and erasure of one resident, the superseded history rows, and
 * the audit lines of staff reading personal data.
 * buurten-retention.c: the lifetime after an object is closed. */

/* ---- blanking ------------------------------------------------------------ */

typedef struct
{
  gint64 objects;     /* objects whose personal fields were blanked */
  gint64 changes;     /* change-log rows blanked (history and tombstones) */
  gint64 conflicts;   /* conflicts on personal fields whose values went */
  gint64 results;     /* stored push results whose conflicts held them */
} BuurtenBlankCounts;

/* In the caller's transaction: blanks the personal fields of the objects
 * with these ids (a PostgreSQL uuid[] literal). A live object gets the
 * next seq of its scope (the clock row is locked), version + 1, the
 * blanked fields' versions set to it and a new change row, so that an
 * incremental pull delivers the object without them; a tombstone only
 * loses them. Every change row, conflict and stored push result of those
 * objects loses them too. */
gboolean     buurten_blank_personal          (PGconn             *conn,
                                              const char         *ids,
                                              BuurtenBlankCounts *counts,
                                              GError            **error);

/* Called with every change row written for an object that existed
 * before (the push's store_change()): the object's other change rows lose
 * their personal fields, since a pull delivers this row, the newest,
 * after them. Nothing for a type without personal fields. */
gboolean     buurten_blank_superseded        (PGconn                  *conn,
                                              const BuurtenEntityInfo *info,
                                              const char              *object_id,
                                              const char              *scope,
                                              gint64                   seq,
                                              GError                 **error);

/* Every change row that a newer row of the same object follows loses its
 * personal fields: history written before buurten_blank_superseded()
 * existed. Returns the number of rows, or -1 with error set. */
gint64       buurten_blank_all_superseded    (PGconn             *conn,
                                              GError            **error);

/* ---- one resident (AVG art. 15 and 17) -------------------------------------- */

/* Everything held about the resident whose personal fields equal one of
 * values (compared trimmed and case-insensitively): the objects, their
 * change rows, the conflicts on them, as one JSON document. Audited by
 * counts (never the values). */
char        *buurten_resident_export         (PGconn       *conn,
                                              char        **values,
                                              const char   *actor,
                                              const char   *reference,
                                              GError      **error);
/* Blanks the same everywhere, in one transaction; laptops lose it at their
 * next pull. Audited by counts. */
gboolean     buurten_resident_erase          (PGconn              *conn,
                                              char               **values,
                                              const char          *actor,
                                              const char          *reference,
                                              BuurtenBlankCounts  *counts,
                                              GError             **error);

/* ---- reads of personal data by staff ---------------------------------------- */

/* GET /api/v1/objects/...: one audit line "read.personal" naming the
 * object when data (as delivered) holds a personal field with a value. */
void         buurten_audit_object_read       (PGconn                  *conn,
                                              const char              *username,
                                              const char              *origin,
                                              const BuurtenEntityInfo *info,
                                              JsonObject              *data,
                                              const char              *object);
/* A pull page: changes is the text of the page's "changes" array without
 * its brackets, as the pull wrote it; one audit line "read.personal" with
 * object "pull:N" when N > 0 of the objects it delivers hold a personal
 * field with a value. */
void         buurten_audit_pull_read         (PGconn                  *conn,
                                              const char              *username,
                                              const char              *origin,
                                              const char              *changes,
                                              gsize                    length);
/* How many distinct objects in that text hold a personal field with a
 * value (for tests of the format and for the audit line). */
guint        buurten_count_personal_objects  (const char              *changes,
                                              gsize                    length);

/* ---- retention (buurten-retention.c) ------------------------------------------ */

/* VNG selectielijst: personal data of a closed request is kept 5 years,
 * of a closed initiative with money (a commitment that is not cancelled)
 * 7 years; an initiative without money counts as a request. */
#define BUURTEN_KEEP_REQUESTS_YEARS    5
#define BUURTEN_KEEP_INITIATIVES_YEARS 7

typedef struct
{
  gint64             closed;       /* closed objects past their period */
  gint64             superseded;   /* history rows blanked (buurten_blank_all_superseded) */
  BuurtenBlankCounts blank;
} BuurtenRetentionCounts;

/* Blanks the personal fields of every object that is closed (a final
 * state of core's machine) for longer than its period at now (NULL: the
 * database's now ()), in one transaction, and audits the counts. */
gboolean     buurten_retention_run           (PGconn                 *conn,
                                              int                     keep_requests_years,
                                              int                     keep_initiatives_years,
                                              const char             *now,
                                              const char             *actor,
                                              BuurtenRetentionCounts *counts,
                                              GError                **error);

/* ---- the command line (buurten-server-main.c) --------------------------------- */

/* The options of `resident export|erase` and `retention`. */
GOptionGroup *buurten_residents_option_group (void);
/* buurten-server resident export|erase ...: exit status. */
int          buurten_residents_command       (PGconn      *conn,
                                              const char  *what);
/* buurten-server retention ...: exit status. */
int          buurten_retention_command       (PGconn      *conn);

G_END_DECLS
