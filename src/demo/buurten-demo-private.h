/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "buurten-demo.h"

#include <glib/gi18n.h>
#include <string.h>

/* The private side of the demo generator, shared by the files it is split
 * into by concern:
 *   buurten-demo.c              random numbers, dates, names and places; the
 *                               plan of the year; writing it; the public API
 *   buurten-demo-requests.c     residents' requests
 *   buurten-demo-initiatives.c  initiatives and money: decisions,
 *                               commitments, signatures, payments, budget moves
 *   buurten-demo-meetings.c     escalations, meetings with their agenda and
 *                               actions, notes
 * Everything is derived from options->seed, options->year and
 * options->today, never from the clock or g_random, so that the same
 * options give the same database byte for byte in its content (screenshots,
 * bug reports and tests rely on that). Each part of the year draws from its
 * own random stream, so asking for more requests does not change the
 * initiatives. The whole year is built in memory first and then written in
 * one transaction, which makes progress exact and 100 000 requests fast. */

#define DEMO_MAX_REQUESTS     100000
#define DEMO_MAX_INITIATIVES  10000
#define DEMO_DEFAULT_REQUESTS 1200
#define DEMO_DEFAULT_INITIATIVES 160
#define EUR(e) ((gint64) (e) * 100)
#define DEMO_ACTOR "demo"

/* ---- random numbers ------------------------------------------------- */

typedef struct
{
  guint64 state;
} DemoRng;

enum
{
  STREAM_THEMES = 1,
  STREAM_REQUESTS,
  STREAM_INITIATIVES,
  STREAM_DECISIONS,
  STREAM_BUDGET,
  STREAM_ESCALATIONS,
  STREAM_MEETINGS,
  STREAM_NOTES,
  STREAM_INTAKE,
  STREAM_ACCOUNTING,
};

#define RNG_PICK(rng, array) ((array)[rng_below ((rng), G_N_ELEMENTS (array))])

/* ---- the content ---------------------------------------------------- */

typedef struct
{
  const char *id;
  const char *streets[6];
  const char *places[3];
  const char *buco;       /* username of the (fictional) buurtcoördinator */
  const char *wethouder;  /* username of the (fictional) wijkwethouder */
} WijkFlavour;

#define WETHOUDER_BUURTEN "g.verbeek"
#define TEAMMANAGER "i.schipper"

typedef struct
{
  const char *title;
  const char *description;
  const char *theme;    /* the theme it fits best */
  int         min_eur;
  int         max_eur;
  guint       weight;
} InitiativeTemplate;

/* ---- the plan of one year -------------------------------------------- */

typedef struct
{
  guint32 jd;
  guint   index;
} DatedIndex;

typedef struct
{
  const char        *id;        /* borrowed from the municipality */
  const char        *name;
  const char        *cluster;
  const WijkFlavour *flavour;   /* NULL for an unknown wijk */
  char              *buco;
  char              *wethouder;
  gint64             table_budget;
  gint64             handgeld_budget;
  gint64             budget;            /* after the transfer and carry-over */
  gint64             committed;         /* approved + pending, wijkbudget + handgeld */
  gint64             handgeld_committed;
  gint64             cap;               /* where the demo stops granting */
  GPtrArray         *themes;            /* const char*, borrowed from the themes */
  GArray            *requests;          /* DatedIndex, sorted */
  GArray            *initiatives;       /* DatedIndex, sorted */
  GArray            *escalations;       /* DatedIndex, sorted */
} WijkPlan;

typedef enum
{
  SHOWCASE_NONE,
  SHOWCASE_PENDING,   /* a buurtdeal waiting for the wijkwethouder */
  SHOWCASE_OVER,      /* pushes Zuidoost just over its richtbudget */
} Showcase;

typedef struct
{
  BuurtenInitiative        *initiative;  /* borrowed from Demo.initiatives */
  WijkPlan                 *wijk;
  const InitiativeTemplate *template;
  guint                     index;
  guint32                   received;
  guint32                   decided;     /* 0: no decision */
  Showcase                  showcase;
} InitiativePlan;

typedef struct
{
  BuurtenMunicipality       *municipality;
  const BuurtenDemoOptions  *options;
  const BuurtenMandateTable *mandate;
  GTimeZone                 *tz;
  int                        year;
  guint32                    year_start;  /* Julian days */
  guint32                    year_end;
  guint32                    today;
  guint32                    last_day;    /* MIN (today, year_end) */

  WijkPlan                  *wijken;
  guint                      n_wijken;
  gint64                     pot_budget;  /* wijkkansen; -1 when absent */
  gint64                     pot_committed;

  GPtrArray                 *requests;
  GArray                    *request_days;     /* guint32 received per request */
  GPtrArray                 *initiatives;
  GPtrArray                 *budget_lines;
  GPtrArray                 *activities;
  GPtrArray                 *agreements;
  GPtrArray                 *plans;            /* InitiativePlan* */
  GPtrArray                 *decisions;
  GPtrArray                 *commitments;
  GPtrArray                 *signatures;
  GPtrArray                 *payments;
  GPtrArray                 *verantwoordingen;
  GPtrArray                 *transfers;
  GPtrArray                 *carry_overs;
  GPtrArray                 *escalations;
  GPtrArray                 *meetings;
  GPtrArray                 *agenda_items;
  GPtrArray                 *actions;
  GPtrArray                 *notes;
  GPtrArray                 *themes;
} Demo;

/* ---- buurten-demo.c ---------------------------------------------------- */

void
rng_init (DemoRng *rng,
          guint32  seed,
          guint64  stream);

guint32
rng_below (DemoRng *rng,
           guint32  n);

int
rng_between (DemoRng *rng,
             int      lo,
             int      hi);

gboolean
rng_percent (DemoRng *rng,
             guint    percent);

guint
rng_weighted (DemoRng     *rng,
              const guint *weights,
              guint        n);

char *
rng_uuid (DemoRng *rng);

extern const char * const generic_streets[];

guint32
julian_of (int        year,
           GDateMonth month,
           int        day);

gboolean
is_working_day (guint32 jd);

guint32
next_weekday (guint32      jd,
              GDateWeekday weekday);

guint32
minus_working_days (guint32 jd,
                    guint   n);

guint32
clamp_day (Demo    *demo,
           gint64   jd,
           guint32  not_before);

gint64
demo_timestamp (Demo    *demo,
                guint32  jd,
                int      hour,
                int      minute);

gint64
demo_random_time (Demo    *demo,
                  DemoRng *rng,
                  guint32  jd,
                  int      hour_lo,
                  int      hour_hi);

guint32
demo_random_day (Demo    *demo,
                 DemoRng *rng);

char *
expand (const char *template,
        const char *street,
        const char *place,
        guint       number);

const char *
wijk_street (WijkPlan *wijk,
             DemoRng  *rng);

const char *
wijk_place (WijkPlan *wijk,
            DemoRng  *rng);

char *
random_person (DemoRng *rng);

char *
random_contact (DemoRng    *rng,
                const char *person);

int
compare_dated (gconstpointer a,
               gconstpointer b);

int
compare_plans_by_decision (gconstpointer a,
                           gconstpointer b);

int
dated_upper (GArray  *dated,
             guint32  jd);

const char *
user_for_role (WijkPlan    *wijk,
               BuurtenRole  role);

void
apportion (Demo  *demo,
           guint  n,
           guint *counts);

const char *
random_partner (DemoRng *rng);

/* ---- buurten-demo-requests.c ------------------------------------------- */

void
demo_make_overdue (Demo           *demo,
                   BuurtenRequest *request,
                   guint32        *received,
                   guint           working_days);

void
demo_make_requests (Demo *demo,
                    guint n,
                    guint first_stream);

void
demo_index_requests (Demo *demo);

/* ---- buurten-demo-initiatives.c ---------------------------------------- */

BuurtenEscalation *
demo_add_escalation (Demo                   *demo,
                     DemoRng                *rng,
                     WijkPlan               *wijk,
                     const char             *subject_type,
                     const char             *subject_id,
                     BuurtenEscalationLevel  level,
                     const char             *target,
                     char                   *reason,
                     BuurtenEscalationState  state,
                     guint32                 day);

WijkPlan *
demo_lookup_wijk (Demo       *demo,
                  const char *id);

void
demo_make_budget_moves (Demo *demo);

void
demo_make_initiatives (Demo *demo,
                       guint n);

/* ---- buurten-demo-intake.c --------------------------------------------- */

void
demo_make_intake (Demo *demo);

/* ---- buurten-demo-accounting.c ----------------------------------------- */

void
demo_make_verantwoordingen (Demo *demo);

/* ---- buurten-demo-meetings.c ------------------------------------------- */

void
demo_make_escalations (Demo *demo);

void
demo_make_meetings (Demo *demo);

void
demo_make_notes (Demo *demo);
