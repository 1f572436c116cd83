/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-demo"

#include "config.h"

#include "buurten-demo-private.h"

/* The intake of every initiative (issue 14): the organiser's contact, the
 * payee, the plan, the coordinator's remarks, budget lines whose balance is
 * the amount asked, the dates, and the buurtdeal of the larger ones. From a stream of its own, after the
 * initiatives are settled, so the rest of the year is as before.
 * Fictional data only: example.nl, 06 numbers, IBANs with valid check
 * digits but invented account numbers. */

static const char * const banks[] = { "ABNA", "INGB", "RABO", "SNSB", "TRIO", "ASNB" };

static const char * const cost_lines[] = {
  "Materiaal", "Huur van de ruimte", "Catering en koffie", "Drukwerk en flyers",
  "Planten en grond", "Gereedschap", "Begeleiding door een vakkracht", "Vergunning en leges",
  "Muziek en geluid", "Verzekering",
};

static char *
for_whom (DemoRng    *rng,
          const char *street)
{
  switch (rng_below (rng, 4))
    {
    case 0:
      return g_strdup_printf ("Bewoners van de %s en omgeving", street);
    case 1:
      return g_strdup_printf ("Kinderen en hun ouders rond de %s", street);
    case 2:
      return g_strdup_printf ("Ouderen in de buurt van de %s", street);
    default:
      return g_strdup_printf ("Alle buren van de %s", street);
    }
}

static const char * const remarks_yes[] = {
  "Voldoet, besproken met de initiatiefnemers",
  "Ja, blijkt uit de aanvraag",
  "Voldoet",
};

static const char * const remarks_no[] = {
  "Voldoet niet: zie de toelichting bij het besluit",
  "Nee, onvoldoende onderbouwd",
};

/* An NL IBAN with the right check digits for an invented account. */
static char *
demo_iban (DemoRng *rng)
{
  g_autofree char *bban = NULL;
  GString *digits = g_string_new (NULL);
  guint remainder = 0;

  bban = g_strdup_printf ("%s%05u%05u", RNG_PICK (rng, banks), rng_below (rng, 100000),
                          rng_below (rng, 100000));
  /* ISO 13616: BBAN, then the country and 00, letters as 10..35. */
  for (const char *p = bban; *p != '\0'; p++)
    g_string_append_printf (digits, g_ascii_isdigit (*p) ? "%c" : "%d",
                            g_ascii_isdigit (*p) ? *p : *p - 'A' + 10);
  g_string_append (digits, "232100");  /* N = 23, L = 21, 00 */
  for (gsize i = 0; i < digits->len; i++)
    remainder = (remainder * 10 + (guint) (digits->str[i] - '0')) % 97;
  g_string_free (digits, TRUE);

  return g_strdup_printf ("NL%02u%s", 98 - remainder, bban);
}

static void
add_line (Demo                  *demo,
          DemoRng               *rng,
          BuurtenInitiative     *initiative,
          BuurtenBudgetLineKind  kind,
          const char            *description,
          gint64                 cents,
          guint                  position)
{
  BuurtenBudgetLine *line = buurten_budget_line_new ();

  line->id = rng_uuid (rng);
  line->initiative_id = g_strdup (initiative->id);
  line->kind = kind;
  line->description = g_strdup (description);
  line->amount_cents = cents;
  line->position = position;
  line->version = 1;
  g_ptr_array_add (demo->budget_lines, line);
}

/* Two or three cost lines and sometimes the residents' own contribution,
 * so that costs less covered is exactly the amount asked. */
static void
demo_budget (Demo              *demo,
             DemoRng           *rng,
             BuurtenInitiative *initiative)
{
  gint64 asked = initiative->requested_cents;
  gint64 own = 0;
  gint64 costs, first, second;
  guint n_costs = asked >= EUR (1500) ? 3 : 2;
  guint a = rng_below (rng, G_N_ELEMENTS (cost_lines));
  guint b = (a + 1 + rng_below (rng, G_N_ELEMENTS (cost_lines) - 1)) % G_N_ELEMENTS (cost_lines);
  guint c = (b + 1) % G_N_ELEMENTS (cost_lines);

  if (asked <= 0)
    return;
  if (rng_percent (rng, 50))
    own = (asked * rng_between (rng, 5, 12) / 100) / EUR (10) * EUR (10);
  costs = asked + own;

  first = costs * rng_between (rng, 40, 65) / 100 / 100 * 100;
  second = n_costs == 3 ? (costs - first) * rng_between (rng, 40, 70) / 100 / 100 * 100
                        : costs - first;
  if (c == a)
    c = (c + 1) % G_N_ELEMENTS (cost_lines);

  add_line (demo, rng, initiative, BUURTEN_BUDGET_LINE_COST, cost_lines[a], first, 0);
  add_line (demo, rng, initiative, BUURTEN_BUDGET_LINE_COST, cost_lines[b], second, 1);
  if (n_costs == 3)
    add_line (demo, rng, initiative, BUURTEN_BUDGET_LINE_COST, cost_lines[c],
              costs - first - second, 2);
  if (own > 0)
    add_line (demo, rng, initiative, BUURTEN_BUDGET_LINE_OWN_CONTRIBUTION,
              "Eigen bijdrage van de bewoners", own, 3);
}

static void
demo_dates (Demo           *demo,
            DemoRng        *rng,
            InitiativePlan *plan)
{
  guint32 from = plan->decided != 0 ? plan->decided : plan->received;
  guint n = rng_percent (rng, 30) ? 2 : 1;

  for (guint i = 0; i < n; i++)
    {
      BuurtenActivity *activity = buurten_activity_new ();
      guint32 day = from + (guint32) rng_between (rng, 14, 90) + i * 21;

      activity->id = rng_uuid (rng);
      activity->initiative_id = g_strdup (plan->initiative->id);
      g_date_set_julian (&activity->starts_on, day);
      if (rng_percent (rng, 20))
        g_date_set_julian (&activity->ends_on, day + 1);
      activity->title = g_strdup (i == 0 ? "Uitvoering" : "Afsluitende buurtbijeenkomst");
      activity->place = g_strdup (plan->initiative->place);
      activity->version = 1;
      g_ptr_array_add (demo->activities, activity);
    }
}

static const char * const residents_do[] = {
  "De bewoners organiseren de activiteit en nodigen de buurt uit",
  "De bewoners onderhouden het resultaat een jaar lang",
  "De bewoners maken foto's en vertellen in de buurtkrant hoe het ging",
  "De bewoners zorgen voor vrijwilligers op de dag zelf",
};

static const char * const municipality_does[] = {
  "De gemeente levert materiaal en zorgt voor de vergunning",
  "De gemeente maakt de subsidie over na ondertekening",
  "De buurtcoördinator denkt mee en brengt partners in contact",
};

static void
add_agreement (Demo                 *demo,
               DemoRng              *rng,
               InitiativePlan       *plan,
               BuurtenAgreementSide  side,
               const char           *description,
               const char           *owner,
               guint                 position)
{
  BuurtenAgreement *agreement = buurten_agreement_new ();
  guint32 from = plan->decided != 0 ? plan->decided : plan->received;

  agreement->id = rng_uuid (rng);
  agreement->initiative_id = g_strdup (plan->initiative->id);
  agreement->side = side;
  agreement->description = g_strdup (description);
  agreement->owner = g_strdup (owner);
  g_date_set_julian (&agreement->due_on, from + (guint32) rng_between (rng, 30, 120));
  switch (plan->initiative->state)
    {
    case BUURTEN_INITIATIVE_DONE:
      agreement->progress = BUURTEN_AGREEMENT_DONE;
      break;
    case BUURTEN_INITIATIVE_IN_PROGRESS:
      agreement->progress = rng_percent (rng, 50) ? BUURTEN_AGREEMENT_UNDER_WAY
                                                  : BUURTEN_AGREEMENT_DONE;
      break;
    default:
      agreement->progress = BUURTEN_AGREEMENT_AGREED;
      break;
    }
  agreement->position = position;
  agreement->version = 1;
  g_ptr_array_add (demo->agreements, agreement);
}

/* A buurtdeal for the larger granted initiatives (above the buurtcoördinator's
 * own EUR 2 000): two or three agreements of each side, and the organiser's
 * signature once the deal is signed. */
static void
demo_deal (Demo           *demo,
           DemoRng        *rng,
           InitiativePlan *plan)
{
  BuurtenInitiative *initiative = plan->initiative;
  guint n = 0;

  /* A signed deal always has one (the server's rule); otherwise only the
   * larger ones past the decision. */
  if (initiative->state != BUURTEN_INITIATIVE_DEAL_SIGNED &&
      (initiative->requested_cents <= EUR (2000) ||
       (initiative->state != BUURTEN_INITIATIVE_GRANTED &&
        initiative->state != BUURTEN_INITIATIVE_IN_PROGRESS &&
        initiative->state != BUURTEN_INITIATIVE_DONE)))
    return;

  for (guint i = 0, k = rng_below (rng, G_N_ELEMENTS (residents_do)); i < 2; i++)
    add_agreement (demo, rng, plan, BUURTEN_AGREEMENT_RESIDENTS,
                   residents_do[(k + i) % G_N_ELEMENTS (residents_do)], initiative->organiser,
                   n++);
  for (guint i = 0, k = rng_below (rng, G_N_ELEMENTS (municipality_does)); i < 2; i++)
    add_agreement (demo, rng, plan, BUURTEN_AGREEMENT_MUNICIPALITY,
                   municipality_does[(k + i) % G_N_ELEMENTS (municipality_does)],
                   user_for_role (plan->wijk, BUURTEN_ROLE_BUURTCOORDINATOR), n++);

  if (initiative->state != BUURTEN_INITIATIVE_GRANTED)
    {
      guint32 day = (plan->decided != 0 ? plan->decided : plan->received) + 7;

      initiative->deal_signed_by = g_strdup (initiative->organiser);
      g_date_set_julian (&initiative->deal_signed_on, MIN (day, demo->today));
      initiative->deal_signed_place = g_strdup ("Hilversum");
    }
}

static void
demo_remarks (DemoRng           *rng,
              BuurtenInitiative *initiative)
{
  struct { BuurtenCheck check; char **remark; } judged[] = {
    { initiative->crit_residents, &initiative->crit_residents_remark },
    { initiative->crit_support, &initiative->crit_support_remark },
    { initiative->crit_themes, &initiative->crit_themes_remark },
    { initiative->crit_adds, &initiative->crit_adds_remark },
    { initiative->princ_lawful, &initiative->princ_lawful_remark },
    { initiative->princ_own_effort, &initiative->princ_own_effort_remark },
    { initiative->princ_feedback, &initiative->princ_feedback_remark },
    { initiative->princ_accounting, &initiative->princ_accounting_remark },
  };

  for (guint i = 0; i < G_N_ELEMENTS (judged); i++)
    if (judged[i].check == BUURTEN_CHECK_YES)
      *judged[i].remark = g_strdup (RNG_PICK (rng, remarks_yes));
    else if (judged[i].check == BUURTEN_CHECK_NO)
      *judged[i].remark = g_strdup (RNG_PICK (rng, remarks_no));
}

void
demo_make_intake (Demo *demo)
{
  DemoRng rng;

  rng_init (&rng, demo->options->seed, STREAM_INTAKE);

  for (guint p = 0; p < demo->plans->len; p++)
    {
      InitiativePlan *plan = g_ptr_array_index (demo->plans, p);
      BuurtenInitiative *initiative = plan->initiative;
      const char *street = wijk_street (plan->wijk, &rng);
      gboolean foundation = rng_percent (&rng, 30);

      initiative->organiser_address = g_strdup_printf ("%s %d, 12%02u %c%c Hilversum", street,
                                                       rng_between (&rng, 1, 180),
                                                       rng_below (&rng, 30) + 10,
                                                       'A' + rng_below (&rng, 26),
                                                       'A' + rng_below (&rng, 26));
      initiative->organiser_phone = g_strdup_printf ("06-%08u", rng_below (&rng, 100000000));
      initiative->organiser_email = g_strdup_printf ("initiatief%u@example.nl", p + 1);
      if (foundation)
        {
          initiative->organisation = g_strdup_printf ("Stichting Samen %s", street);
          initiative->kvk = g_strdup_printf ("%08u", 10000000 + rng_below (&rng, 89999999));
        }
      initiative->iban = demo_iban (&rng);
      initiative->account_holder = g_strdup (foundation ? initiative->organisation
                                                        : initiative->organiser);
      initiative->for_whom = for_whom (&rng, street);
      initiative->place = g_strdup (wijk_place (plan->wijk, &rng));
      if (initiative->support_note != NULL)
        initiative->support_count = rng_between (&rng, 8, 60);
      if (initiative->state != BUURTEN_INITIATIVE_IDEA)
        {
          guint32 day = plan->received + (guint32) rng_between (&rng, 0, 6);

          if (plan->decided != 0)
            day = MIN (day, plan->decided);
          g_date_set_julian (&initiative->submitted_on, MIN (day, demo->today));
        }
      demo_remarks (&rng, initiative);
      demo_budget (demo, &rng, initiative);
      demo_dates (demo, &rng, plan);
      demo_deal (demo, &rng, plan);
    }
}
