/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-demo"

#include "config.h"

#include "buurten-demo-private.h"

/* The demo's escalations, meetings (with their agenda items and actions)
 * and notes. */

static const char * const note_bodies[] = {
  "Bewoner teruggebeld; toegezegd dat de aannemer binnen twee weken langskomt.",
  "Foto's ontvangen per mail en doorgezet naar Openbare Ruimte.",
  "Navraag gedaan bij de wijkagent: er wordt de komende weken extra gesurveilleerd.",
  "Bewoner was niet thuis; briefje in de bus gedaan met het verzoek terug te bellen.",
  "Besproken in het wijkteam; de partner pakt het op.",
  "Melding is een dubbeling van een eerdere melding uit dezelfde straat.",
  "Ter plekke gekeken: het probleem is groter dan gemeld, meerdere plekken.",
  "Bewoner tevreden over de afhandeling.",
};

static const char * const action_titles[] = {
  "Bewoners informeren over de aanpak",
  "Extra controle door BOA's plannen",
  "Offerte opvragen bij de aannemer",
  "Terugkoppeling aan de melder",
  "Afspraak maken met de woningcorporatie over de achterpaden",
  "Schouw ter plekke met Openbare Ruimte",
  "Jongerenwerk vragen contact te leggen met de groep",
  "Voorstel voor verkeersmaatregel uitwerken",
  "Bewonersavond organiseren",
  "Stand van zaken rapporteren in het volgende overleg",
};

/* ---- escalations ----------------------------------------------------- */

static gboolean
request_is_open (const BuurtenRequest *request)
{
  return request->state != BUURTEN_REQUEST_RESOLVED &&
         request->state != BUURTEN_REQUEST_CANCELLED;
}

void
demo_make_escalations (Demo *demo)
{
  static const BuurtenEscalationLevel levels[] = {
    BUURTEN_LEVEL_OPERATIONAL, BUURTEN_LEVEL_STURINGSOVERLEG, BUURTEN_LEVEL_PROFESSIONAL,
    BUURTEN_LEVEL_BESTUURLIJK, BUURTEN_LEVEL_COLLEGE,
  };
  static const guint level_weights[] = { 30, 25, 15, 24, 3 };
  static const char * const operational[] = {
    "Meerdere partners betrokken; afspraken nodig over wie wat doet.",
    "Terugkerende melding; vraagt om een gezamenlijke aanpak in het wijkteam.",
  };
  static const char * const steering[] = {
    "Het wijkteam komt er niet uit: het probleem speelt in meerdere wijken.",
    "Capaciteit bij de partners ontbreekt; een besluit over de prioriteit is nodig.",
  };
  static const char * const professional[] = {
    "Bewoner heeft persoonlijke ondersteuning nodig die buiten de rol van de "
    "buurtcoördinator valt.",
    "Zorgen over een gezin met jonge kinderen; doorgezet naar de jeugdhulp.",
  };
  static const char * const professionals[] = { "Kwintes", "Sherpa", "Jeugd en Gezin" };
  static const char * const administrative[] = {
    "De oplossing vraagt een bestuurlijk besluit over de inrichting van de straat.",
    "Bewoners vragen om een gesprek met de wijkwethouder.",
  };
  guint n = CLAMP (demo->requests->len / 60, 10, 30);
  DemoRng rng;

  rng_init (&rng, demo->options->seed, STREAM_ESCALATIONS);
  if (demo->escalations->len < n)
    n -= demo->escalations->len;
  else
    n = 0;

  for (guint e = 0; e < n; e++)
    {
      WijkPlan *wijk = &demo->wijken[rng_below (&rng, demo->n_wijken)];
      BuurtenEscalationLevel level = levels[rng_weighted (&rng, level_weights,
                                                          G_N_ELEMENTS (level_weights))];
      const char *subject_type = NULL;
      const char *subject_id = NULL;
      guint32 subject_day = 0;
      g_autofree char *target = NULL;
      char *reason;
      BuurtenEscalationState state;
      guint32 day;
      guint32 age;

      if (wijk->requests->len > 0 && (rng_percent (&rng, 75) || wijk->initiatives->len == 0))
        {
          DatedIndex *entry = NULL;
          BuurtenRequest *request;

          /* Prefer a request that is still open: that is what gets stuck. */
          for (guint tries = 0; tries < 40; tries++)
            {
              entry = &g_array_index (wijk->requests, DatedIndex,
                                      rng_below (&rng, wijk->requests->len));
              if (request_is_open (g_ptr_array_index (demo->requests, entry->index)))
                break;
            }
          request = g_ptr_array_index (demo->requests, entry->index);
          subject_type = "request";
          subject_id = request->id;
          subject_day = entry->jd;
        }
      else if (wijk->initiatives->len > 0)
        {
          DatedIndex *entry = &g_array_index (wijk->initiatives, DatedIndex,
                                              rng_below (&rng, wijk->initiatives->len));
          InitiativePlan *plan = g_ptr_array_index (demo->plans, entry->index);

          subject_type = "initiative";
          subject_id = plan->initiative->id;
          subject_day = entry->jd;
        }
      else
        continue;

      switch (level)
        {
        case BUURTEN_LEVEL_OPERATIONAL:
          {
            const BuurtenCluster *cluster =
              buurten_municipality_lookup_cluster (demo->municipality, wijk->cluster);

            target = g_strdup_printf ("Extern wijkteam %s",
                                      cluster != NULL ? cluster->name : wijk->name);
            reason = g_strdup (RNG_PICK (&rng, operational));
          }
          break;
        case BUURTEN_LEVEL_STURINGSOVERLEG:
          target = g_strdup ("Sturingsoverleg");
          reason = g_strdup (RNG_PICK (&rng, steering));
          break;
        case BUURTEN_LEVEL_PROFESSIONAL:
          target = g_strdup (RNG_PICK (&rng, professionals));
          reason = g_strdup (RNG_PICK (&rng, professional));
          break;
        case BUURTEN_LEVEL_COLLEGE:
          target = g_strdup ("College van B&W");
          reason = g_strdup ("Verschil van inzicht tussen de wijkwethouder en de "
                             "portefeuillehouder verkeer.");
          break;
        case BUURTEN_LEVEL_BESTUURLIJK:
        case BUURTEN_LEVEL_BUDGET:
        default:
          target = g_strdup_printf ("Wijkwethouder %s", wijk->name);
          reason = g_strdup (RNG_PICK (&rng, administrative));
          break;
        }

      day = clamp_day (demo, (gint64) subject_day + rng_between (&rng, 10, 40), subject_day);
      age = demo->today - day;
      if (age < 21)
        state = rng_percent (&rng, 50) ? BUURTEN_ESCALATION_OPEN : BUURTEN_ESCALATION_TAKEN;
      else
        {
          static const BuurtenEscalationState states[] = {
            BUURTEN_ESCALATION_SOLVED, BUURTEN_ESCALATION_TAKEN,
            BUURTEN_ESCALATION_RETURNED, BUURTEN_ESCALATION_OPEN,
          };
          static const guint weights[] = { 50, 25, 10, 15 };

          state = states[rng_weighted (&rng, weights, G_N_ELEMENTS (weights))];
        }

      demo_add_escalation (demo, &rng, wijk, subject_type, subject_id, level, target,
                           reason, state, day);
    }

  for (guint w = 0; w < demo->n_wijken; w++)
    g_array_sort (demo->wijken[w].escalations, compare_dated);
}

/* ---- meetings -------------------------------------------------------- */

typedef struct
{
  const char *subject_type;
  const char *subject_id;
  char       *title;
} AgendaCandidate;

/* One subject of wijk dated <= day (recent ones first), not yet on the agenda. */
static gboolean
pick_subject (Demo       *demo,
              DemoRng    *rng,
              WijkPlan   *wijk,
              int         kind,      /* 0 request, 1 initiative, 2 escalation, 3 theme */
              guint32     day,
              GPtrArray  *taken,
              AgendaCandidate *out)
{
  GArray *dated = NULL;
  int last;

  if (kind == 3)
    {
      for (guint tries = 0; tries < 4 && wijk->themes->len > 0; tries++)
        {
          guint t = rng_below (rng, wijk->themes->len);
          const char *title = g_ptr_array_index (wijk->themes, t);
          const char *theme_id = NULL;

          for (guint k = 0; k < demo->themes->len; k++)
            {
              BuurtenTheme *theme = g_ptr_array_index (demo->themes, k);

              if (theme->title == title)
                theme_id = theme->id;
            }
          if (theme_id == NULL || g_ptr_array_find (taken, theme_id, NULL))
            continue;
          out->subject_type = "theme";
          out->subject_id = theme_id;
          out->title = g_strdup_printf ("Thema: %s", title);
          return TRUE;
        }
      return FALSE;
    }

  dated = kind == 0 ? wijk->requests : kind == 1 ? wijk->initiatives : wijk->escalations;
  last = dated_upper (dated, day);
  if (last < 0)
    return FALSE;

  for (guint tries = 0; tries < 6; tries++)
    {
      int window = MIN (last + 1, 40);
      DatedIndex *entry = &g_array_index (dated, DatedIndex,
                                          last - (int) rng_below (rng, (guint32) window));

      if (kind == 0)
        {
          BuurtenRequest *request = g_ptr_array_index (demo->requests, entry->index);

          if (g_ptr_array_find (taken, request->id, NULL))
            continue;
          out->subject_type = "request";
          out->subject_id = request->id;
          out->title = g_strdup_printf ("Melding: %s", request->title);
        }
      else if (kind == 1)
        {
          InitiativePlan *plan = g_ptr_array_index (demo->plans, entry->index);

          if (g_ptr_array_find (taken, plan->initiative->id, NULL))
            continue;
          out->subject_type = "initiative";
          out->subject_id = plan->initiative->id;
          out->title = g_strdup_printf ("Initiatief: %s", plan->initiative->title);
        }
      else
        {
          BuurtenEscalation *escalation = g_ptr_array_index (demo->escalations, entry->index);

          if (g_ptr_array_find (taken, escalation->id, NULL))
            continue;
          out->subject_type = "escalation";
          out->subject_id = escalation->id;
          out->title = g_strdup_printf ("Escalatie naar %s", escalation->target);
        }
      return TRUE;
    }
  return FALSE;
}

static void
demo_add_meeting (Demo               *demo,
                  DemoRng            *rng,
                  BuurtenMeetingKind  kind,
                  WijkPlan          **scope,
                  guint               n_scope,
                  const char         *wijk,
                  const char         *cluster,
                  guint32             day,
                  int                 hour,
                  int                 minute,
                  const char         *location)
{
  static const guint kind_weights[][4] = {
    /* request, initiative, escalation, theme */
    [BUURTEN_MEETING_WIJKOVERLEG] = { 15, 50, 20, 15 },
    [BUURTEN_MEETING_WIJKTEAM] = { 60, 15, 25, 0 },
    [BUURTEN_MEETING_STURINGSOVERLEG] = { 15, 5, 70, 10 },
    [BUURTEN_MEETING_BUURTSCHOUW] = { 50, 20, 0, 30 },
  };
  BuurtenMeeting *meeting = buurten_meeting_new ();
  g_autoptr(GPtrArray) taken = g_ptr_array_new ();
  guint32 horizon = MIN (day, demo->today);
  guint n_items = (guint) rng_between (rng, 3, 6);
  guint position = 1;

  meeting->id = rng_uuid (rng);
  meeting->kind = kind;
  meeting->wijk = g_strdup (wijk);
  meeting->cluster = g_strdup (cluster);
  meeting->starts_at = demo_timestamp (demo, day, hour, minute);
  meeting->location = g_strdup (location);
  meeting->version = 1;
  g_ptr_array_add (demo->meetings, meeting);

  for (guint tries = 0; tries < n_items * 3 && position <= n_items; tries++)
    {
      WijkPlan *from = scope[rng_below (rng, n_scope)];
      int subject = (int) rng_weighted (rng, kind_weights[kind], 4);
      AgendaCandidate candidate = { NULL, NULL, NULL };
      BuurtenAgendaItem *item;

      if (!pick_subject (demo, rng, from, subject, horizon, taken, &candidate))
        continue;

      item = buurten_agenda_item_new ();
      item->id = rng_uuid (rng);
      item->meeting_id = g_strdup (meeting->id);
      item->subject_type = g_strdup (candidate.subject_type);
      item->subject_id = g_strdup (candidate.subject_id);
      item->title = candidate.title;
      item->position = position++;
      item->version = 1;
      g_ptr_array_add (taken, (gpointer) candidate.subject_id);
      g_ptr_array_add (demo->agenda_items, item);
    }

  /* Past meetings produced actions; future ones have none yet. */
  if (day <= demo->today)
    {
      guint n_actions = (guint) rng_between (rng, 1, 3);
      guint first_title = rng_below (rng, G_N_ELEMENTS (action_titles));

      for (guint a = 0; a < n_actions; a++)
        {
          BuurtenAction *action = buurten_action_new ();
          guint32 due = day + (guint32) rng_between (rng, 7, 28);

          action->id = rng_uuid (rng);
          action->meeting_id = g_strdup (meeting->id);
          action->owner = g_strdup (rng_percent (rng, 60) ? random_partner (rng)
                                                          : scope[0]->buco);
          action->title = g_strdup (action_titles[(first_title + a) %
                                                  G_N_ELEMENTS (action_titles)]);
          g_date_set_julian (&action->due_on, due);
          action->completed = due < demo->today ? rng_percent (rng, 85) : rng_percent (rng, 10);
          action->version = 1;
          g_ptr_array_add (demo->actions, action);
        }
    }
}

void
demo_make_meetings (Demo *demo)
{
  GPtrArray *clusters = buurten_municipality_get_clusters (demo->municipality);
  g_autofree WijkPlan **all = g_new0 (WijkPlan *, demo->n_wijken);
  DemoRng rng;

  rng_init (&rng, demo->options->seed, STREAM_MEETINGS);
  for (guint i = 0; i < demo->n_wijken; i++)
    all[i] = &demo->wijken[i];

  /* Wijkoverleg (buco and wijkwethouder) every four weeks per wijk. */
  for (guint i = 0; i < demo->n_wijken; i++)
    {
      WijkPlan *wijk = &demo->wijken[i];
      guint32 day = next_weekday (julian_of (demo->year, G_DATE_JANUARY, 5) + 7 * (i / 3 % 4),
                                  G_DATE_TUESDAY + i % 3);

      for (; day <= demo->year_end; day += 28)
        demo_add_meeting (demo, &rng, BUURTEN_MEETING_WIJKOVERLEG, &all[i], 1, wijk->id, NULL,
                          day, i % 2 == 0 ? 10 : 13, 0, "Raadhuis, Dudokpark 1");
    }

  /* The external wijkteam meets every two weeks on location in its cluster. */
  for (guint c = 0; clusters != NULL && c < clusters->len; c++)
    {
      const BuurtenCluster *cluster = g_ptr_array_index (clusters, c);
      g_autofree WijkPlan **scope = g_new0 (WijkPlan *, demo->n_wijken);
      g_autofree char *location = NULL;
      guint n_scope = 0;
      guint32 day;

      for (guint i = 0; i < demo->n_wijken; i++)
        if (g_strcmp0 (demo->wijken[i].cluster, cluster->id) == 0)
          scope[n_scope++] = &demo->wijken[i];
      if (n_scope == 0)
        continue;

      location = g_strdup_printf ("Buurthuis %s, %s", cluster->name,
                                  scope[0]->flavour != NULL ? scope[0]->flavour->streets[0]
                                                            : generic_streets[0]);
      day = next_weekday (julian_of (demo->year, G_DATE_JANUARY, 8) + 7 * (c % 2),
                          G_DATE_THURSDAY);
      for (; day <= demo->year_end; day += 14)
        demo_add_meeting (demo, &rng, BUURTEN_MEETING_WIJKTEAM, scope, n_scope, NULL,
                          cluster->id, day, 14, 0, location);
    }

  /* The sturingsoverleg, city-wide, every six weeks. */
  for (guint32 day = next_weekday (julian_of (demo->year, G_DATE_JANUARY, 12), G_DATE_MONDAY);
       day <= demo->year_end; day += 42)
    demo_add_meeting (demo, &rng, BUURTEN_MEETING_STURINGSOVERLEG, all, demo->n_wijken, NULL,
                      NULL, day, 9, 30, "Raadhuis, Dudokpark 1 (Burgemeesterskamer)");

  /* One buurtschouw per wijk between March and October, on a Saturday. */
  for (guint i = 0; i < demo->n_wijken; i++)
    {
      WijkPlan *wijk = &demo->wijken[i];
      guint32 day = next_weekday (julian_of (demo->year, G_DATE_MARCH, 14) +
                                  21 * (i % 10), G_DATE_SATURDAY);
      g_autofree char *location = g_strdup_printf ("Verzamelen bij de %s",
                                                   wijk_street (wijk, &rng));

      demo_add_meeting (demo, &rng, BUURTEN_MEETING_BUURTSCHOUW, &all[i], 1, wijk->id, NULL,
                        day, 10, 0, location);
    }
}

/* ---- notes ----------------------------------------------------------- */

void
demo_make_notes (Demo *demo)
{
  DemoRng rng;

  rng_init (&rng, demo->options->seed, STREAM_NOTES);
  for (guint i = 0; i < demo->requests->len; i++)
    {
      BuurtenRequest *request = g_ptr_array_index (demo->requests, i);
      guint32 received = g_array_index (demo->request_days, guint32, i);
      WijkPlan *wijk;
      BuurtenNote *note;
      guint32 day;

      if (request->state == BUURTEN_REQUEST_NEW || !rng_percent (&rng, 15))
        continue;

      wijk = demo_lookup_wijk (demo, request->wijk);
      day = clamp_day (demo, (gint64) received + rng_between (&rng, 1, 10), received);
      note = buurten_note_new ();
      note->id = rng_uuid (&rng);
      note->subject_type = g_strdup ("request");
      note->subject_id = g_strdup (request->id);
      note->body = g_strdup (RNG_PICK (&rng, note_bodies));
      note->author = g_strdup (wijk != NULL ? wijk->buco : DEMO_ACTOR);
      note->created_at = demo_random_time (demo, &rng, day, 8, 17);
      note->created_at = MAX (note->created_at, request->received_at + 3600);
      note->version = 1;
      g_ptr_array_add (demo->notes, note);
    }
}
