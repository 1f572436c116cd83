/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "buurten-store.h"

G_BEGIN_DECLS

/* Read-only queries for the desktop's views: list models and the pieces
 * of a wijk's dashboard. Each may take longer than a frame on a large
 * store: call them from a worker thread (buurten_context_run_async). They
 * read through a private read-only connection of their own, so they never
 * hold the store's lock for long. */

/* ---- a row of a list ---------------------------------------------- */

#define BUURTEN_TYPE_ITEM (buurten_item_get_type ())
G_DECLARE_FINAL_TYPE (BuurtenItem, buurten_item, BUURTEN, ITEM, GObject)

/* Takes entity (of info's type). */
BuurtenItem             *buurten_item_new        (const BuurtenEntityInfo *info,
                                                  gpointer                 entity);
const BuurtenEntityInfo *buurten_item_get_info   (BuurtenItem             *self);
gpointer                 buurten_item_get_entity (BuurtenItem             *self);
const char              *buurten_item_get_id     (BuurtenItem             *self);

/* Entities of info, those with field = value (field NULL: all), as a
 * GListModel of BuurtenItem. */
GListModel   *buurten_store_list_model        (BuurtenStore            *store,
                                               const BuurtenEntityInfo *info,
                                               const char              *field,
                                               const char              *value,
                                               GError                 **error);
/* The meetings of a wijk: its own, those of its cluster and the
 * city-wide ones (neither wijk nor cluster), by start time. */
GListModel   *buurten_store_list_meetings     (BuurtenStore            *store,
                                               const char              *wijk,
                                               const char              *cluster,
                                               GError                 **error);

/* ---- the dashboard -------------------------------------------------- */

typedef struct
{
  BuurtenRequest *request;
  GDate           due;
  guint           elapsed;    /* working days counted against the term */
  BuurtenOverdue  overdue;
} BuurtenOverdueRequest;

typedef struct
{
  BuurtenInitiative *initiative;
  BuurtenCommitment *commitment;  /* NULL: checked, no decision yet */
  GPtrArray         *signatures;  /* BuurtenSignature*, never NULL */
} BuurtenPendingDecision;

typedef struct
{
  char       *wijk;
  /* Requests whose clock runs and that are past their due date, most
   * overdue first, at most the limit asked for; n_overdue counts all. */
  GPtrArray  *overdue;            /* BuurtenOverdueRequest* */
  guint       n_overdue;
  guint       n_severely_overdue;
  /* Pending commitments and checked initiatives without one. */
  GPtrArray  *pending;            /* BuurtenPendingDecision* */
  /* Open and taken escalations, oldest first. */
  GPtrArray  *escalations;        /* BuurtenEscalation* */
  BuurtenMeeting *next_meeting;   /* NULL when none is planned */
  GPtrArray  *agenda;             /* BuurtenAgendaItem*, by position */
  GPtrArray  *themes;             /* BuurtenTheme*, by position */
} BuurtenDashboard;

void              buurten_dashboard_free  (BuurtenDashboard *dashboard);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BuurtenDashboard, buurten_dashboard_free)

void              buurten_pending_decision_free (BuurtenPendingDecision *pending);
void              buurten_overdue_request_free  (BuurtenOverdueRequest  *overdue);

/* The deadline of a request (its received day in local time). */
void              buurten_request_get_deadline (const BuurtenRequest *request,
                                                BuurtenDeadline      *out);
/* Whether the answer clock of a request still runs. */
gboolean          buurten_request_clock_runs   (const BuurtenRequest *request);

/* now: Unix seconds treated as now (the next meeting starts after it). */
BuurtenDashboard *buurten_store_dashboard (BuurtenStore  *store,
                                           const char    *wijk,
                                           const char    *cluster,
                                           int            year,
                                           const GDate   *today,
                                           gint64         now,
                                           guint          max_overdue,
                                           GError       **error);

/* Everything waiting for a signature in any of wijken (and, with
 * include_wijkkansen, on the wijkkansen pot): BuurtenPendingDecision*
 * with a commitment, oldest first. */
GPtrArray        *buurten_store_pending_decisions (BuurtenStore        *store,
                                                   const char * const  *wijken,
                                                   gboolean             include_wijkkansen,
                                                   GError             **error);

/* The mandate of each pending decision (BuurtenMandateResult*, NULL
 * where there is no mandate table), in pending's order: of its
 * commitment, or, for an initiative without one, of the commitment it
 * would get (buurten_commitment_proposal()), evaluated with the ledger of
 * year and the initiative's commitments. What the dashboard and the
 * briefing show as "who decides" and "still to sign". */
GPtrArray        *buurten_store_pending_mandates (BuurtenStore        *store,
                                                  BuurtenMunicipality *municipality,
                                                  int                  year,
                                                  GPtrArray           *pending,
                                                  GError             **error);

/* ---- search as you type in a list ----------------------------------- */

/* The store's full-text search (buurten_store_search) cut to what a list
 * needs: the ids of the matching entities of one type in one wijk,
 * unranked and without snippets (a list shows its hits in the order of
 * its own columns). The same words match: what people type is taken as
 * words, a run of two or more letters as a prefix, never as FTS syntax.
 *
 * Keeps a read-only connection of its own between searches, so that its
 * page cache stays warm from one keystroke to the next. One search runs
 * at a time (a mutex); a cancelled search stops within about a
 * millisecond with G_IO_ERROR_CANCELLED. Call from a worker thread. */

#define BUURTEN_TYPE_LIST_SEARCH (buurten_list_search_get_type ())
G_DECLARE_FINAL_TYPE (BuurtenListSearch, buurten_list_search, BUURTEN, LIST_SEARCH, GObject)

BuurtenListSearch *buurten_list_search_new (BuurtenStore *store);
/* A set of ids (a GHashTable whose keys are the ids); empty when text has
 * nothing to search for. type is "request" or "initiative"; wijk NULL
 * searches all wijken. */
GHashTable        *buurten_list_search_run (BuurtenListSearch *self,
                                            const char        *type,
                                            const char        *wijk,
                                            const char        *text,
                                            GCancellable      *cancellable,
                                            GError           **error);

G_END_DECLS
