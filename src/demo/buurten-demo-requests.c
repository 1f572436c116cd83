/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-demo"

#include "config.h"

#include "buurten-demo-private.h"

/* The demo's requests: residents' questions, complaints, reports and ideas,
 * spread over the wijken and the year, in believable states. */

typedef struct
{
  BuurtenRequestType  type;
  const char         *category;
  const char         *assignee;
  const char         *title;        /* {straat}, {plek} and {nr} are filled in */
  const char         *description;
} RequestTemplate;

static const RequestTemplate request_templates[] = {
  { BUURTEN_REQUEST_TYPE_MELDING, "Openbare ruimte", "Openbare Ruimte",
    "Losliggende stoeptegels {straat}",
    "Op de stoep van de {straat} liggen meerdere tegels los. Voor ouderen met een rollator "
    "is dat gevaarlijk." },
  { BUURTEN_REQUEST_TYPE_MELDING, "Verlichting", "Openbare Ruimte",
    "Lantaarnpaal kapot bij de {straat}",
    "De lantaarnpaal ter hoogte van nummer {nr} brandt al een week niet. 's Avonds is het "
    "er erg donker." },
  { BUURTEN_REQUEST_TYPE_KLACHT, "Verkeer", "Politie",
    "Er wordt te hard gereden op de {straat}",
    "Vooral 's avonds rijden auto's en scooters veel te hard. Er spelen hier veel kinderen; "
    "kan er een snelheidscontrole of een drempel komen?" },
  { BUURTEN_REQUEST_TYPE_MELDING, "Afval", "Openbare Ruimte",
    "Zwerfafval rond {plek}",
    "Rond {plek} ligt veel zwerfafval, vooral blikjes en verpakkingen. De prullenbakken "
    "zitten steeds vol." },
  { BUURTEN_REQUEST_TYPE_KLACHT, "Overlast", "Versa Welzijn",
    "Overlast van jongeren bij {plek}",
    "'s Avonds hangen groepjes jongeren rond bij {plek}. Er is lawaai en er blijft afval "
    "achter." },
  { BUURTEN_REQUEST_TYPE_KLACHT, "Overlast", "Toezicht & Handhaving",
    "Hondenpoep in het park aan de {straat}",
    "In het park aan de {straat} ligt overal hondenpoep, ook op het grasveld waar kinderen "
    "spelen." },
  { BUURTEN_REQUEST_TYPE_MELDING, "Openbare ruimte", "Openbare Ruimte",
    "Bankje in het park aan de {straat} is kapot",
    "Van het bankje bij de vijver zijn twee planken gebroken. Er kan niemand meer op "
    "zitten." },
  { BUURTEN_REQUEST_TYPE_VRAAG, "Welzijn", "Sociaal Plein",
    "Buurvrouw aan de {straat} lijkt eenzaam",
    "Mijn buurvrouw van 84 komt nauwelijks nog buiten. Is er iemand die eens bij haar langs "
    "kan gaan?" },
  { BUURTEN_REQUEST_TYPE_KLACHT, "Wonen", "Dudok Wonen",
    "Schimmel in portiekwoningen {straat}",
    "In meerdere woningen aan de {straat} zit schimmel op de slaapkamers. De verhuurder "
    "reageert niet." },
  { BUURTEN_REQUEST_TYPE_MELDING, "Groen", "Openbare Ruimte",
    "Overhangende takken {straat}",
    "Takken van de bomen langs de {straat} hangen zo laag dat je er op de stoep niet meer "
    "onderdoor kunt." },
  { BUURTEN_REQUEST_TYPE_IDEE, "Groen", "Openbare Ruimte",
    "Idee: geveltuintjes in de {straat}",
    "Een paar buren willen geveltuintjes aanleggen. Mogen we daarvoor tegels uit de stoep "
    "halen?" },
  { BUURTEN_REQUEST_TYPE_IDEE, "Spelen", "Versa Welzijn",
    "Idee: speelstraat op woensdagmiddag in de {straat}",
    "Wij willen de {straat} op woensdagmiddag afsluiten zodat kinderen buiten kunnen spelen." },
  { BUURTEN_REQUEST_TYPE_VRAAG, "Afval", "Openbare Ruimte",
    "Vraag over ophalen grofvuil {straat}",
    "Sinds de nieuwe ophaalroute wordt het grofvuil aan de {straat} niet meer opgehaald. "
    "Waar kan ik dat melden?" },
  { BUURTEN_REQUEST_TYPE_KLACHT, "Parkeren", "Toezicht & Handhaving",
    "Auto's parkeren op de stoep in de {straat}",
    "Er wordt structureel op de stoep geparkeerd. Met een kinderwagen moet je de weg op." },
  { BUURTEN_REQUEST_TYPE_MELDING, "Afval", "Openbare Ruimte",
    "Ondergrondse container vol bij {plek}",
    "De container bij {plek} is al dagen vol en er staan zakken naast." },
  { BUURTEN_REQUEST_TYPE_KLACHT, "Overlast", "Politie",
    "Geluidsoverlast 's nachts bij {plek}",
    "Bijna elke nacht is er rond {plek} harde muziek en geschreeuw tot ver na middernacht." },
  { BUURTEN_REQUEST_TYPE_MELDING, "Veiligheid", "Politie",
    "Verdachte situatie bij de garageboxen aan de {straat}",
    "Bij de garageboxen komen 's avonds steeds wisselende auto's en personen. Buren voelen "
    "zich niet veilig." },
  { BUURTEN_REQUEST_TYPE_VRAAG, "Welzijn", "Sociaal Plein",
    "Hulp gezocht bij het invullen van formulieren",
    "Mijn buurman aan de {straat} spreekt weinig Nederlands en krijgt brieven die hij niet "
    "begrijpt. Waar kan hij terecht?" },
  { BUURTEN_REQUEST_TYPE_MELDING, "Verkeer", "Openbare Ruimte",
    "Gat in het fietspad langs de {straat}",
    "In het fietspad ter hoogte van nummer {nr} zit een diep gat. Er is al iemand gevallen." },
  { BUURTEN_REQUEST_TYPE_KLACHT, "Wonen", "Het Gooi en Omstreken",
    "Portiek aan de {straat} wordt niet schoongemaakt",
    "Het trappenhuis op nummer {nr} is al maanden niet schoongemaakt terwijl we er wel voor "
    "betalen." },
  { BUURTEN_REQUEST_TYPE_VRAAG, "Spelen", "Openbare Ruimte",
    "Wanneer wordt de speeltuin aan de {straat} opgeknapt?",
    "De glijbaan is al maanden afgezet met linten. Wanneer kunnen de kinderen er weer "
    "spelen?" },
  { BUURTEN_REQUEST_TYPE_MELDING, "Groen", "Openbare Ruimte",
    "Onkruid tussen de tegels {straat}",
    "Het onkruid op de stoep van de {straat} staat kniehoog." },
  { BUURTEN_REQUEST_TYPE_IDEE, "Samen", "Versa Welzijn",
    "Idee: buurtkamer in het lege pand aan de {straat}",
    "Het pand op nummer {nr} staat al een jaar leeg. Buren willen er een buurtkamer van maken "
    "voor koffie en ontmoeting." },
  { BUURTEN_REQUEST_TYPE_KLACHT, "Verkeer", "Toezicht & Handhaving",
    "Fietsers rijden door het voetgangersgebied bij {plek}",
    "Bij {plek} wordt hard gefietst tussen de voetgangers door." },
  { BUURTEN_REQUEST_TYPE_MELDING, "Openbare ruimte", "Openbare Ruimte",
    "Graffiti op de muur bij {plek}",
    "Op de muur bij {plek} is opnieuw graffiti gespoten, deze keer met scheldwoorden." },
  { BUURTEN_REQUEST_TYPE_VRAAG, "Jongeren", "Versa Welzijn",
    "Is er iets te doen voor tieners rond de {straat}?",
    "Mijn kinderen van 13 en 15 vervelen zich. Zijn er activiteiten voor tieners in de "
    "buurt?" },
  { BUURTEN_REQUEST_TYPE_MELDING, "Verkeer", "Openbare Ruimte",
    "Verkeersbord omgereden op de {straat}",
    "Het verkeersbord op de hoek van de {straat} ligt op de grond." },
  { BUURTEN_REQUEST_TYPE_KLACHT, "Overlast", "Toezicht & Handhaving",
    "Fietswrakken bij {plek}",
    "Bij {plek} staan al maanden fietswrakken die de stalling blokkeren." },
};

static const char * const request_extras[] = {
  "Dit speelt al een paar weken.",
  "Ik heb het eerder gemeld, maar er is niets gebeurd.",
  "Graag hoor ik wanneer dit wordt opgepakt.",
  "Ik woon op nummer {nr}.",
  "Mijn buren ergeren zich er ook aan.",
  "Ik heb foto's als u die nodig heeft.",
  "Het is vooral in het weekend erg.",
};

/* ---- requests -------------------------------------------------------- */

static BuurtenRequestState
pick_open_state (DemoRng *rng,
                 guint32  age,
                 guint32  term_cal)
{
  static const BuurtenRequestState states[] = {
    BUURTEN_REQUEST_NEW, BUURTEN_REQUEST_IN_PROGRESS, BUURTEN_REQUEST_AWAITING_RESIDENT,
    BUURTEN_REQUEST_FORWARDED, BUURTEN_REQUEST_SCHEDULED, BUURTEN_REQUEST_REOPENED,
  };
  static const guint fresh[] = { 70, 30, 0, 0, 0, 0 };
  static const guint running[] = { 5, 40, 20, 15, 15, 5 };
  static const guint old[] = { 0, 45, 10, 25, 15, 5 };

  if (age < 3)
    return states[rng_weighted (rng, fresh, G_N_ELEMENTS (fresh))];
  if (age <= 3 * term_cal)
    return states[rng_weighted (rng, running, G_N_ELEMENTS (running))];
  return states[rng_weighted (rng, old, G_N_ELEMENTS (old))];
}

static BuurtenRequest *
demo_new_request (Demo     *demo,
                  DemoRng  *rng,
                  WijkPlan *wijk,
                  guint32  *out_received)
{
  const RequestTemplate *template = &RNG_PICK (rng, request_templates);
  BuurtenRequest *request = buurten_request_new ();
  const char *street = wijk_street (wijk, rng);
  const char *place = wijk_place (wijk, rng);
  guint number = (guint) rng_between (rng, 1, 180);
  guint32 received = demo_random_day (demo, rng);
  guint32 age = demo->today - received;
  guint term = buurten_municipality_answer_term (demo->municipality, template->type);
  guint32 term_cal = term * 7 / 5 + 1;
  guint open_percent;
  guint32 updated;
  GString *description;
  guint n_extras;

  request->id = rng_uuid (rng);
  request->wijk = g_strdup (wijk->id);
  request->type = template->type;
  request->title = expand (template->title, street, place, number);

  {
    g_autofree char *first = expand (template->description, street, place, number);

    description = g_string_new (first);
  }
  n_extras = rng_weighted (rng, (const guint[]) { 50, 35, 15 }, 3);
  for (guint k = 0; k < n_extras; k++)
    {
      g_autofree char *extra = expand (RNG_PICK (rng, request_extras), street, place, number);

      if (strstr (description->str, extra) == NULL)
        {
          g_string_append_c (description, ' ');
          g_string_append (description, extra);
        }
    }
  request->description = g_string_free (description, FALSE);

  request->received_at = is_working_day (received)
                           ? demo_random_time (demo, rng, received, 7, 22)
                           : demo_random_time (demo, rng, received, 9, 21);

  /* Most residents leave a name; some only a contact, a few nothing. */
  if (rng_percent (rng, 90))
    {
      g_autofree char *person = random_person (rng);

      request->reporter_contact = random_contact (rng, person);
      if (rng_percent (rng, 85))
        request->reporter_name = g_steal_pointer (&person);
    }
  request->category = g_strdup (template->category);
  request->term_days = term;

  /* Old requests are mostly answered; the open ones that remain are the
   * overdue ones the dashboard has to show. */
  if (age <= term_cal)
    open_percent = 60;
  else if (age <= 3 * term_cal)
    open_percent = 12;
  else if (age <= 90)
    open_percent = 2;
  else
    open_percent = 1;

  if (rng_below (rng, 1000) < open_percent * 10)
    request->state = pick_open_state (rng, age, term_cal);
  else
    request->state = rng_percent (rng, 94) ? BUURTEN_REQUEST_RESOLVED
                                           : BUURTEN_REQUEST_CANCELLED;

  if (request->state != BUURTEN_REQUEST_NEW)
    request->assignee = g_strdup (rng_percent (rng, 90) ? template->assignee
                                                        : random_partner (rng));

  if (request->state != BUURTEN_REQUEST_NEW && age > 5 && rng_percent (rng, 12))
    request->paused_working_days = rng_between (rng, 1, 4);

  if (request->state == BUURTEN_REQUEST_AWAITING_RESIDENT)
    {
      guint32 since = clamp_day (demo, (gint64) demo->today - rng_between (rng, 0, 12),
                                 MIN (received + 1, demo->today));

      g_date_set_julian (&request->paused_since, since);
    }

  if (request->state == BUURTEN_REQUEST_RESOLVED || request->state == BUURTEN_REQUEST_CANCELLED)
    updated = clamp_day (demo, (gint64) received + rng_between (rng, 0, (int) term_cal + 4),
                         received);
  else
    updated = clamp_day (demo, (gint64) received + rng_between (rng, 0, (int) age), received);
  request->updated_at = demo_random_time (demo, rng, updated, 8, 17);
  request->updated_at = MAX (request->updated_at, request->received_at);
  request->version = 1;

  *out_received = received;
  return request;
}

/* A request that is overdue now (for the dashboard and the tests):
 * received `working_days` working days ago and still being handled. */
void
demo_make_overdue (Demo           *demo,
                   BuurtenRequest *request,
                   guint32        *received,
                   guint           working_days)
{
  guint32 day = minus_working_days (demo->today, working_days);

  day = MAX (day, demo->year_start);

  *received = day;
  request->received_at = demo_timestamp (demo, day, 9, 12);
  request->updated_at = demo_timestamp (demo, MIN (day + 2, demo->last_day), 11, 40);
  request->state = BUURTEN_REQUEST_IN_PROGRESS;
  request->paused_working_days = 0;
  g_date_clear (&request->paused_since, 1);
  if (request->assignee == NULL)
    request->assignee = g_strdup ("Openbare Ruimte");
}

void
demo_make_requests (Demo *demo,
                    guint n,
                    guint first_stream)
{
  g_autofree guint *counts = g_new0 (guint, demo->n_wijken);
  DemoRng rng;

  rng_init (&rng, demo->options->seed, first_stream);
  apportion (demo, n, counts);

  for (guint i = 0; i < demo->n_wijken; i++)
    {
      for (guint k = 0; k < counts[i]; k++)
        {
          guint32 received;
          BuurtenRequest *request = demo_new_request (demo, &rng, &demo->wijken[i], &received);

          g_ptr_array_add (demo->requests, request);
          g_array_append_val (demo->request_days, received);
        }
    }
}

void
demo_index_requests (Demo *demo)
{
  for (guint i = 0; i < demo->requests->len; i++)
    {
      BuurtenRequest *request = g_ptr_array_index (demo->requests, i);
      DatedIndex entry = { g_array_index (demo->request_days, guint32, i), i };

      for (guint w = 0; w < demo->n_wijken; w++)
        if (g_strcmp0 (demo->wijken[w].id, request->wijk) == 0)
          {
            g_array_append_val (demo->wijken[w].requests, entry);
            break;
          }
    }
  for (guint w = 0; w < demo->n_wijken; w++)
    g_array_sort (demo->wijken[w].requests, compare_dated);
}
