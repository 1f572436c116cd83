/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-demo"

#include "config.h"

#include "buurten-demo-private.h"

/* The demo's initiatives and their money: decisions, commitments with
 * their signatures, payments, and the year's budget moves. */

static const InitiativeTemplate initiative_templates[] = {
  { "Buurtfeest {straat}",
    "Jaarlijks buurtfeest met springkussen, muziek en een gezamenlijke barbecue voor de "
    "hele buurt. Bewoners regelen zelf de opbouw en het opruimen.",
    "Samen in de buurt", 250, 1500, 14 },
  { "Moestuin bij {plek}",
    "Bewoners willen samen een moestuin beginnen met bakken op het grasveld. De oogst "
    "delen we met de buurt en de basisschool doet mee.",
    "Groen en spelen", 400, 3500, 8 },
  { "Bomen planten in de {straat}",
    "Samen met de gemeente planten bewoners tien bomen en zorgen zij de eerste twee jaar "
    "voor het water geven.",
    "Groen en spelen", 500, 6000, 6 },
  { "Speeltuin {straat} opknappen",
    "Ouders uit de buurt knappen de speeltuin op: nieuwe zandbak, een duikelrek en verf "
    "voor de toestellen. Zij doen het werk zelf op drie zaterdagen.",
    "Groen en spelen", 2500, 22000, 4 },
  { "Buurtbieb in de {straat}",
    "Een weerbestendig kastje waar buren boeken kunnen ruilen. Een bewoner houdt het bij.",
    "Samen in de buurt", 250, 600, 8 },
  { "Kerstmarkt op {plek}",
    "Een kleine kerstmarkt met kraampjes van bewoners, warme chocolademelk en een koor.",
    "Samen in de buurt", 500, 3000, 5 },
  { "Schoonmaakactie rond {plek}",
    "Bewoners en leerlingen prikken een middag zwerfafval. De gemeente levert grijpers en "
    "zakken en haalt het afval op.",
    "Schoon en heel", 250, 800, 9 },
  { "Jeu-de-boulesbaan bij {plek}",
    "Een jeu-de-boulesbaan als ontmoetingsplek voor jong en oud, onderhouden door een "
    "groepje vaste spelers.",
    "Eenzaamheid", 1500, 8000, 3 },
  { "Koffieochtend voor ouderen aan de {straat}",
    "Elke week een koffieochtend in het buurthuis voor ouderen die weinig mensen zien. "
    "Vrijwilligers halen wie slecht ter been is op.",
    "Eenzaamheid", 250, 1200, 8 },
  { "Straatvoetbaltoernooi bij {plek}",
    "Een toernooi voor jongeren uit de wijk, georganiseerd door jongeren zelf met hulp van "
    "het jongerenwerk.",
    "Jongeren", 300, 1500, 6 },
  { "Geveltuinen in de {straat}",
    "Twintig huishoudens leggen geveltuinen aan; zij kopen samen planten en aarde in.",
    "Groen en spelen", 300, 2500, 6 },
  { "Buitenspeeldag in de {straat}",
    "De straat gaat een middag dicht voor spelletjes, stoepkrijt en een springkussen.",
    "Groen en spelen", 250, 900, 6 },
  { "Speelstraatborden door kinderen ontworpen",
    "Kinderen ontwerpen borden die automobilisten in de {straat} vragen rustig te rijden.",
    "Verkeersveiligheid", 300, 1800, 4 },
  { "Wandelgroep voor buurtgenoten",
    "Twee keer per week een wandeling door de wijk met koffie na afloop, voor wie nieuw is "
    "of alleen woont.",
    "Eenzaamheid", 250, 700, 5 },
  { "Muurschildering in de onderdoorgang bij {plek}",
    "Een kunstenaar en jongeren uit de buurt beschilderen de grauwe onderdoorgang.",
    "Schoon en heel", 1500, 9000, 3 },
  { "Buurtkamer inrichten aan de {straat}",
    "Bewoners richten een ruimte in als buurtkamer met een keukentje, tafels en een kast "
    "met spellen.",
    "Samen in de buurt", 2000, 12000, 3 },
  { "Trapveldje {straat} opknappen",
    "Het trapveldje krijgt nieuwe doelen en een hek, zodat de jeugd weer kan voetballen.",
    "Jongeren", 8000, 25000, 2 },
  { "Zomerfilm in het park",
    "Een openluchtfilmavond in het park met een groot scherm; buren nemen zelf stoelen mee.",
    "Samen in de buurt", 500, 2500, 4 },
  { "Repair café bij {plek}",
    "Vrijwilligers repareren eens per maand kapotte spullen van buurtgenoten.",
    "Duurzaamheid", 300, 1200, 4 },
  { "Insectenhotel en bloemenweide aan de {straat}",
    "Bewoners zaaien een bloemenweide en bouwen met de basisschool een insectenhotel.",
    "Duurzaamheid", 400, 3000, 4 },
  { "Halloween-speurtocht door de buurt",
    "Een griezelige speurtocht langs versierde huizen voor kinderen tot twaalf jaar.",
    "Samen in de buurt", 250, 800, 5 },
  { "Sportieve zomerweek voor tieners",
    "Een week sport en spel in de zomervakantie voor tieners die niet op vakantie gaan.",
    "Jongeren", 1500, 7500, 3 },
  { "Welkomstpakket voor nieuwe bewoners",
    "Nieuwe bewoners krijgen een pakket met informatie over de buurt en een uitnodiging "
    "voor de koffieochtend.",
    "Samen in de buurt", 250, 1000, 3 },
  { "Overdekte ontmoetingsplek voor jongeren bij {plek}",
    "Jongeren willen een overdekte plek waar ze mogen zijn zonder overlast te geven. Zij "
    "hebben zelf een ontwerp gemaakt met het jongerenwerk.",
    "Jongeren", 6000, 20000, 1 },
  { "Veilige oversteek bij de basisschool",
    "Ouders zetten zich in voor klaar-overs en schilderen samen met de gemeente een "
    "opvallende oversteekplaats.",
    "Verkeersveiligheid", 500, 4000, 3 },
  { "Buurtpreventie-app en borden",
    "Bewoners starten een buurtpreventiegroep met borden bij de ingangen van de buurt.",
    "Veiligheid", 250, 1200, 3 },
};

typedef struct
{
  const char   *reason;
  gsize         failing;   /* offset of the criterion that fails, 0 for none */
} RefusalReason;

static const RefusalReason rejection_reasons[] = {
  { "Geen aantoonbaar draagvlak: alleen de indiener en twee buren steunen het plan.",
    G_STRUCT_OFFSET (BuurtenInitiative, crit_support) },
  { "Het initiatief dient één straat en niet de buurt.",
    G_STRUCT_OFFSET (BuurtenInitiative, crit_support) },
  { "Er is al financiering via de sportvereniging; geen aanvulling nodig.",
    G_STRUCT_OFFSET (BuurtenInitiative, crit_adds) },
  { "Commerciële activiteit: past niet binnen de subsidieregels.",
    G_STRUCT_OFFSET (BuurtenInitiative, crit_residents) },
  { "Aanvraag onvolledig: de begroting ontbreekt, ook na herhaald verzoek.",
    G_STRUCT_OFFSET (BuurtenInitiative, princ_accounting) },
};

static const char * const referral_reasons[] = {
  "Herinrichting valt onder een investeringsproject; doorverwezen naar de begroting.",
  "Past beter bij het cultuurbudget van de gemeente; doorverwezen.",
  "Doorverwezen naar het Jeugdfonds Sport & Cultuur.",
  "Doorverwezen naar de woningcorporatie, die het onderhoud van dit terrein betaalt.",
};

#define BUDGET_REFERRAL_REASON \
  "Het richtbudget van de wijk is voor dit jaar vrijwel vergeven; doorverwezen naar " \
  "fondsen voor bewonersinitiatieven."

/* ---- initiatives ----------------------------------------------------- */

static const char *
pick_theme (WijkPlan                 *wijk,
            const InitiativeTemplate *template,
            DemoRng                  *rng)
{
  for (guint k = 0; k < wijk->themes->len; k++)
    if (g_strcmp0 (g_ptr_array_index (wijk->themes, k), template->theme) == 0)
      return g_ptr_array_index (wijk->themes, k);
  return g_ptr_array_index (wijk->themes, rng_below (rng, wijk->themes->len));
}

static gint64
random_amount (DemoRng                  *rng,
               const InitiativeTemplate *template)
{
  int euros = rng_between (rng, template->min_eur, template->max_eur);

  /* People ask for round amounts. */
  if (euros < 2000)
    euros = MAX (euros / 25 * 25, 250);
  else
    euros = euros / 100 * 100;
  return EUR (euros);
}

static BuurtenInitiativeState
pick_initiative_state (DemoRng *rng,
                       guint32  age)
{
  static const BuurtenInitiativeState states[] = {
    BUURTEN_INITIATIVE_IDEA, BUURTEN_INITIATIVE_SUBMITTED, BUURTEN_INITIATIVE_CHECKED,
    BUURTEN_INITIATIVE_GRANTED, BUURTEN_INITIATIVE_REJECTED, BUURTEN_INITIATIVE_REFERRED,
    BUURTEN_INITIATIVE_DEAL_SIGNED, BUURTEN_INITIATIVE_IN_PROGRESS, BUURTEN_INITIATIVE_DONE,
  };
  static const guint fresh[] = { 25, 55, 20, 0, 0, 0, 0, 0, 0 };
  static const guint weeks[] = { 0, 10, 20, 35, 8, 5, 22, 0, 0 };
  static const guint months[] = { 0, 0, 4, 4, 10, 6, 18, 43, 15 };
  static const guint old[] = { 0, 0, 0, 0, 9, 6, 3, 22, 60 };
  const guint *weights = age < 14 ? fresh : age < 42 ? weeks : age < 120 ? months : old;

  return states[rng_weighted (rng, weights, G_N_ELEMENTS (states))];
}

static gboolean
state_is_granted (BuurtenInitiativeState state)
{
  return state == BUURTEN_INITIATIVE_GRANTED || state == BUURTEN_INITIATIVE_DEAL_SIGNED ||
         state == BUURTEN_INITIATIVE_IN_PROGRESS || state == BUURTEN_INITIATIVE_DONE;
}

static void
fill_checks (BuurtenInitiative *initiative,
             BuurtenCheck       value)
{
  initiative->crit_residents = value;
  initiative->crit_support = value;
  initiative->crit_themes = value;
  initiative->crit_adds = value;
  initiative->princ_lawful = value;
  initiative->princ_own_effort = value;
  initiative->princ_feedback = value;
  initiative->princ_accounting = value;
}

static InitiativePlan *
demo_new_initiative (Demo     *demo,
                     DemoRng  *rng,
                     WijkPlan *wijk)
{
  guint weights[G_N_ELEMENTS (initiative_templates)];
  InitiativePlan *plan = g_new0 (InitiativePlan, 1);
  BuurtenInitiative *initiative = buurten_initiative_new ();
  const char *street = wijk_street (wijk, rng);
  const char *place = wijk_place (wijk, rng);
  g_autofree char *organiser = NULL;
  guint32 received;

  for (guint k = 0; k < G_N_ELEMENTS (initiative_templates); k++)
    weights[k] = initiative_templates[k].weight;

  plan->template = &initiative_templates[rng_weighted (rng, weights, G_N_ELEMENTS (weights))];
  plan->wijk = wijk;
  plan->initiative = initiative;

  received = demo_random_day (demo, rng);
  plan->received = received;

  initiative->id = rng_uuid (rng);
  initiative->wijk = g_strdup (wijk->id);
  initiative->title = expand (plan->template->title, street, place, 0);
  initiative->description = expand (plan->template->description, street, place, 0);
  organiser = random_person (rng);
  switch (rng_below (rng, 3))
    {
    case 0:
      initiative->organiser = g_strdup_printf ("%s namens bewoners van de %s",
                                               organiser, street);
      break;
    case 1:
      initiative->organiser = g_strdup_printf ("Bewonerscommissie %s (%s)", street, organiser);
      break;
    default:
      initiative->organiser = g_steal_pointer (&organiser);
      break;
    }
  initiative->requested_cents = random_amount (rng, plan->template);
  initiative->theme = g_strdup (pick_theme (wijk, plan->template, rng));
  initiative->received_at = demo_random_time (demo, rng, received, 8, 22);
  initiative->state = pick_initiative_state (rng, demo->today - received);
  initiative->version = 1;
  return plan;
}

/* Gives plan a template whose usual amounts include amount (a showcase
 * with a set amount should not be a buurtbieb of ten thousand euros). */
static void
demo_fit_template (DemoRng        *rng,
                   InitiativePlan *plan,
                   gint64          amount)
{
  BuurtenInitiative *initiative = plan->initiative;
  guint fitting[G_N_ELEMENTS (initiative_templates)];
  guint n_fitting = 0;
  guint best = 0;
  const char *street = wijk_street (plan->wijk, rng);
  const char *place = wijk_place (plan->wijk, rng);

  for (guint k = 0; k < G_N_ELEMENTS (initiative_templates); k++)
    {
      if (EUR (initiative_templates[k].min_eur) <= amount &&
          amount <= EUR (initiative_templates[k].max_eur))
        fitting[n_fitting++] = k;
      if (initiative_templates[k].max_eur > initiative_templates[best].max_eur)
        best = k;
    }
  plan->template = &initiative_templates[n_fitting > 0 ? fitting[rng_below (rng, n_fitting)]
                                                       : best];

  g_free (initiative->title);
  initiative->title = expand (plan->template->title, street, place, 0);
  g_free (initiative->description);
  initiative->description = expand (plan->template->description, street, place, 0);
  g_free (initiative->theme);
  initiative->theme = g_strdup (pick_theme (plan->wijk, plan->template, rng));
  initiative->requested_cents = amount;
}

/* Criteria and decision dates follow from the state. */
static void
demo_settle_initiative (Demo           *demo,
                        DemoRng        *rng,
                        InitiativePlan *plan)
{
  BuurtenInitiative *initiative = plan->initiative;
  int lag = 0;
  gint64 decided;

  switch (initiative->state)
    {
    case BUURTEN_INITIATIVE_IDEA:
      fill_checks (initiative, BUURTEN_CHECK_UNKNOWN);
      break;
    case BUURTEN_INITIATIVE_SUBMITTED:
      fill_checks (initiative, BUURTEN_CHECK_UNKNOWN);
      if (rng_percent (rng, 40))
        initiative->crit_residents = BUURTEN_CHECK_YES;
      break;
    case BUURTEN_INITIATIVE_CHECKED:
    case BUURTEN_INITIATIVE_GRANTED:
    case BUURTEN_INITIATIVE_REJECTED:
    case BUURTEN_INITIATIVE_REFERRED:
    case BUURTEN_INITIATIVE_DEAL_SIGNED:
    case BUURTEN_INITIATIVE_IN_PROGRESS:
    case BUURTEN_INITIATIVE_DONE:
    case BUURTEN_INITIATIVE_N_STATES:
    default:
      fill_checks (initiative, BUURTEN_CHECK_YES);
      /* Feedback and accounting can only be confirmed at the end. */
      if (initiative->state != BUURTEN_INITIATIVE_DONE)
        {
          initiative->princ_feedback = BUURTEN_CHECK_UNKNOWN;
          initiative->princ_accounting = rng_percent (rng, 50) ? BUURTEN_CHECK_YES
                                                               : BUURTEN_CHECK_UNKNOWN;
        }
      initiative->support_note = g_strdup_printf ("Handtekeningenlijst met %d buurtbewoners",
                                                  rng_between (rng, 8, 60));
      break;
    }

  switch (initiative->state)
    {
    case BUURTEN_INITIATIVE_DEAL_SIGNED:
      lag = 3;
      break;
    case BUURTEN_INITIATIVE_IN_PROGRESS:
      lag = 14;
      break;
    case BUURTEN_INITIATIVE_DONE:
      lag = 30;
      break;
    case BUURTEN_INITIATIVE_GRANTED:
    case BUURTEN_INITIATIVE_REJECTED:
    case BUURTEN_INITIATIVE_REFERRED:
      lag = 0;
      break;
    case BUURTEN_INITIATIVE_IDEA:
    case BUURTEN_INITIATIVE_SUBMITTED:
    case BUURTEN_INITIATIVE_CHECKED:
    case BUURTEN_INITIATIVE_N_STATES:
    default:
      return;
    }

  decided = (gint64) plan->received + rng_between (rng, 5, 35);
  plan->decided = clamp_day (demo, MIN (decided, (gint64) demo->today - lag), plan->received);
}

static BuurtenDecision *
demo_add_decision (Demo                   *demo,
                   DemoRng                *rng,
                   InitiativePlan         *plan,
                   BuurtenDecisionOutcome  outcome,
                   gint64                  amount,
                   const char             *reason)
{
  BuurtenDecision *decision = buurten_decision_new ();

  decision->id = rng_uuid (rng);
  decision->initiative_id = g_strdup (plan->initiative->id);
  decision->outcome = outcome;
  decision->amount_cents = amount;
  decision->reason = g_strdup (reason);
  g_date_set_julian (&decision->decided_on, plan->decided);
  decision->version = 1;
  g_ptr_array_add (demo->decisions, decision);
  return decision;
}

static void
demo_add_payment (Demo               *demo,
                  DemoRng            *rng,
                  BuurtenCommitment  *commitment,
                  gint64              amount,
                  guint32             day,
                  BuurtenPaymentKind  kind)
{
  BuurtenPayment *payment;

  if (amount <= 0)
    return;
  payment = buurten_payment_new ();
  payment->id = rng_uuid (rng);
  payment->commitment_id = g_strdup (commitment->id);
  payment->amount_cents = amount;
  g_date_set_julian (&payment->paid_on, day);
  payment->kind = kind;
  /* A reference as the books number payments (no random draw: the rest
   * of the demo stays as it was). */
  payment->reference = g_strdup_printf ("BI-%d-%04u", demo->year, demo->payments->len + 1);
  g_ptr_array_add (demo->payments, payment);
}

/* Advances and final payments; never more than the commitment. */
static void
demo_pay (Demo              *demo,
          DemoRng           *rng,
          InitiativePlan    *plan,
          BuurtenCommitment *commitment)
{
  gint64 amount = commitment->amount_cents;
  guint32 first = clamp_day (demo, (gint64) plan->decided + rng_between (rng, 5, 20),
                             plan->decided);
  guint32 second = clamp_day (demo, (gint64) first + rng_between (rng, 20, 60), first);
  gint64 advance;

  switch (plan->initiative->state)
    {
    case BUURTEN_INITIATIVE_DEAL_SIGNED:
      if (rng_percent (rng, 25))
        demo_add_payment (demo, rng, commitment, amount / 200 * 100, first,
                          BUURTEN_PAYMENT_ADVANCE);
      break;
    case BUURTEN_INITIATIVE_IN_PROGRESS:
      if (rng_percent (rng, 75))
        demo_add_payment (demo, rng, commitment,
                          amount * rng_between (rng, 5, 8) / 1000 * 100, first,
                          BUURTEN_PAYMENT_ADVANCE);
      break;
    case BUURTEN_INITIATIVE_DONE:
      {
        /* Some initiatives cost less than granted: the rest stays free. */
        gint64 total = rng_percent (rng, 15) ? amount * rng_between (rng, 85, 99) / 10000 * 100
                                             : amount;

        if (rng_percent (rng, 40))
          {
            advance = MIN (amount / 200 * 100, total);
            demo_add_payment (demo, rng, commitment, advance, first, BUURTEN_PAYMENT_ADVANCE);
            demo_add_payment (demo, rng, commitment, total - advance, second,
                              BUURTEN_PAYMENT_FINAL);
          }
        else
          demo_add_payment (demo, rng, commitment, total, first, BUURTEN_PAYMENT_FINAL);
      }
      break;
    case BUURTEN_INITIATIVE_IDEA:
    case BUURTEN_INITIATIVE_SUBMITTED:
    case BUURTEN_INITIATIVE_CHECKED:
    case BUURTEN_INITIATIVE_GRANTED:
    case BUURTEN_INITIATIVE_REJECTED:
    case BUURTEN_INITIATIVE_REFERRED:
    case BUURTEN_INITIATIVE_N_STATES:
    default:
      break;
    }
}

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
                     guint32                 day)
{
  BuurtenEscalation *escalation = buurten_escalation_new ();
  DatedIndex entry = { day, demo->escalations->len };

  escalation->id = rng_uuid (rng);
  escalation->wijk = g_strdup (wijk->id);
  escalation->subject_type = g_strdup (subject_type);
  escalation->subject_id = g_strdup (subject_id);
  escalation->level = level;
  escalation->target = g_strdup (target);
  escalation->reason = reason;
  escalation->state = state;
  escalation->opened_at = demo_random_time (demo, rng, day, 9, 16);
  escalation->version = 1;
  g_ptr_array_add (demo->escalations, escalation);
  g_array_append_val (wijk->escalations, entry);
  return escalation;
}

/* Grants plan's initiative: a decision, a commitment with the signatures
 * the mandate engine asks for, and payments. FALSE (and nothing added)
 * when the budget or the mandate does not allow it. With ignore_cap the
 * wijk pays even beyond where the demo normally stops (the showcases). */
static gboolean
demo_grant (Demo           *demo,
            DemoRng        *rng,
            InitiativePlan *plan,
            gint64          amount,
            gboolean        pending,
            gboolean        ignore_cap)
{
  WijkPlan *wijk = plan->wijk;
  BuurtenInitiative *initiative = plan->initiative;
  g_autoptr(BuurtenMandateResult) result = NULL;
  BuurtenMandateInput input = { 0, };
  BuurtenCommitment *commitment;
  BuurtenDecision *decision;
  g_autoptr(GString) signers = g_string_new (NULL);
  BuurtenFunding funding = BUURTEN_FUNDING_WIJKBUDGET;
  gboolean skipped = FALSE;
  g_autofree char *reason = NULL;

  /* The showcases (ignore_cap) are about the wijk's own budget. */
  if (!ignore_cap && amount > EUR (10000) && demo->pot_budget > 0 && rng_percent (rng, 50) &&
      demo->pot_committed + amount <= demo->pot_budget)
    funding = BUURTEN_FUNDING_WIJKKANSEN;
  else if (amount <= EUR (750) && rng_percent (rng, 70) &&
           wijk->handgeld_committed + amount <= wijk->handgeld_budget)
    funding = BUURTEN_FUNDING_HANDGELD;

  if (funding != BUURTEN_FUNDING_WIJKKANSEN && !ignore_cap && wijk->committed + amount > wijk->cap)
    return FALSE;

  input.amount_cents = amount;
  input.wijk = wijk->id;
  input.year = demo->year;
  for (;;)
    {
      input.funding = funding;
      if (funding == BUURTEN_FUNDING_WIJKKANSEN)
        {
          input.committed_cents = demo->pot_committed;
          input.budget_cents = demo->pot_budget;
        }
      else
        {
          input.committed_cents = wijk->committed;
          input.budget_cents = wijk->budget;
        }
      g_clear_pointer (&result, buurten_mandate_result_free);
      result = buurten_mandate_evaluate (demo->mandate, &input);
      if (result != NULL && result->allowed)
        break;
      /* A table without a handgeld band: the same money as wijkbudget. */
      if (funding == BUURTEN_FUNDING_HANDGELD || funding == BUURTEN_FUNDING_WIJKKANSEN)
        {
          funding = BUURTEN_FUNDING_WIJKBUDGET;
          if (!ignore_cap && wijk->committed + amount > wijk->cap)
            return FALSE;
          continue;
        }
      return FALSE;
    }

  reason = g_strdup_printf ("Voldoet aan de criteria en past bij het thema %s.",
                            initiative->theme);
  decision = demo_add_decision (demo, rng, plan, BUURTEN_OUTCOME_GRANTED, amount, reason);

  commitment = buurten_commitment_new ();
  commitment->id = rng_uuid (rng);
  commitment->initiative_id = g_strdup (initiative->id);
  commitment->wijk = g_strdup (wijk->id);
  commitment->funding = funding;
  commitment->year = demo->year;
  commitment->amount_cents = amount;
  commitment->theme = g_strdup (initiative->theme);
  commitment->created_at = demo_timestamp (demo, plan->decided, 9, 30);
  commitment->required_roles = buurten_roles_to_ids (result->roles);
  commitment->version = 1;
  g_ptr_array_add (demo->commitments, commitment);

  for (guint r = 0; r < result->roles->len; r++)
    {
      BuurtenRole role = g_array_index (result->roles, BuurtenRole, r);
      BuurtenSignature *signature;
      guint32 day;

      if (pending && role == BUURTEN_ROLE_WIJKWETHOUDER)
        {
          skipped = TRUE;
          continue;
        }

      day = role == BUURTEN_ROLE_BUURTCOORDINATOR
              ? plan->decided
              : clamp_day (demo, (gint64) plan->decided + rng_between (rng, 0, 4), plan->decided);
      signature = buurten_signature_new ();
      signature->id = rng_uuid (rng);
      signature->commitment_id = g_strdup (commitment->id);
      signature->user = g_strdup (user_for_role (wijk, role));
      signature->role = role;
      signature->signed_at = demo_timestamp (demo, day, 10 + (int) r, rng_between (rng, 0, 59));
      g_ptr_array_add (demo->signatures, signature);
      if (signers->len > 0)
        g_string_append_c (signers, ',');
      g_string_append_printf (signers, "%s:%s", signature->user, buurten_role_ids[role]);
    }

  /* Granted only by the last signature (buurten-states.h): a commitment
   * still waiting for the wijkwethouder leaves its initiative checked and
   * no decision yet; the last signature records the decision with the
   * commitment and its signers, as the server does. */
  commitment->state = skipped ? BUURTEN_COMMITMENT_PENDING : BUURTEN_COMMITMENT_APPROVED;
  if (skipped)
    {
      initiative->state = BUURTEN_INITIATIVE_CHECKED;
      g_ptr_array_remove (demo->decisions, decision);
    }
  else
    {
      decision->commitment_id = g_strdup (commitment->id);
      decision->signers = g_string_free (g_steal_pointer (&signers), FALSE);
    }

  if (funding == BUURTEN_FUNDING_WIJKKANSEN)
    demo->pot_committed += amount;
  else
    wijk->committed += amount;
  if (funding == BUURTEN_FUNDING_HANDGELD)
    wijk->handgeld_committed += amount;

  if (commitment->state == BUURTEN_COMMITMENT_APPROVED)
    demo_pay (demo, rng, plan, commitment);

  if (result->over_budget)
    {
      g_autofree char *over = buurten_money_format_full (result->over_cents,
                                                         BUURTEN_MONEY_LOCALE_DUTCH,
                                                         BUURTEN_MONEY_FORMAT_NONE);

      demo_add_escalation (demo, rng, wijk, "initiative", initiative->id,
                           BUURTEN_LEVEL_BUDGET, "Teammanager samenleving",
                           g_strdup_printf ("Richtbudget %s wordt met %s overschreden door "
                                            "\"%s\".", wijk->name, over, initiative->title),
                           BUURTEN_ESCALATION_OPEN, plan->decided);
    }

  return TRUE;
}

/* When the wijk's money is gone an initiative waits or is referred. */
static void
demo_hold_back (Demo           *demo,
                DemoRng        *rng,
                InitiativePlan *plan)
{
  if (demo->today - plan->received < 56)
    {
      plan->initiative->state = BUURTEN_INITIATIVE_CHECKED;
      plan->decided = 0;
    }
  else
    {
      plan->initiative->state = BUURTEN_INITIATIVE_REFERRED;
      demo_add_decision (demo, rng, plan, BUURTEN_OUTCOME_REFERRED, 0, BUDGET_REFERRAL_REASON);
    }
}

WijkPlan *
demo_lookup_wijk (Demo       *demo,
                  const char *id)
{
  for (guint i = 0; i < demo->n_wijken; i++)
    if (g_strcmp0 (demo->wijken[i].id, id) == 0)
      return &demo->wijken[i];
  return NULL;
}

/* The wijk that runs a little over its richtbudget: Zuidoost in Hilversum. */
static WijkPlan *
demo_over_wijk (Demo *demo)
{
  WijkPlan *wijk = demo_lookup_wijk (demo, "zuidoost");

  return wijk != NULL ? wijk : &demo->wijken[demo->n_wijken - 1];
}

void
demo_make_budget_moves (Demo *demo)
{
  WijkPlan *over = demo_over_wijk (demo);
  WijkPlan *from = demo_lookup_wijk (demo, "oost");
  WijkPlan *to = demo_lookup_wijk (demo, "noordwest");
  WijkPlan *carried = demo_lookup_wijk (demo, "centrum");
  BuurtenTransfer *transfer;
  BuurtenCarryOver *carry_over;
  DemoRng rng;

  rng_init (&rng, demo->options->seed, STREAM_BUDGET);

  /* Elsewhere: from the largest budget to the smallest, never the wijk
   * that is to run over (its overrun must stay small and explicable). */
  if (from == NULL || to == NULL || from == to)
    {
      from = to = NULL;
      for (guint i = 0; i < demo->n_wijken; i++)
        {
          WijkPlan *wijk = &demo->wijken[i];

          if (wijk == over)
            continue;
          if (from == NULL || wijk->table_budget > from->table_budget)
            from = wijk;
          if (to == NULL || wijk->table_budget < to->table_budget)
            to = wijk;
        }
    }
  if (carried == NULL)
    carried = &demo->wijken[0];

  if (from != NULL && to != NULL && from != to)
    {
      transfer = buurten_transfer_new ();
      transfer->id = rng_uuid (&rng);
      transfer->year = demo->year;
      transfer->from_wijk = g_strdup (from->id);
      transfer->to_wijk = g_strdup (to->id);
      transfer->amount_cents = EUR (2500);
      transfer->reason = g_strdup_printf ("Halfjaarlijkse herijking: %s heeft meer initiatieven "
                                          "dan verwacht, %s houdt ruimte over.",
                                          to->name, from->name);
      g_date_set_julian (&transfer->decided_on,
                         clamp_day (demo, julian_of (demo->year, G_DATE_JULY, 7),
                                    demo->year_start));
      from->budget -= transfer->amount_cents;
      to->budget += transfer->amount_cents;
      g_ptr_array_add (demo->transfers, transfer);
    }

  carry_over = buurten_carry_over_new ();
  carry_over->id = rng_uuid (&rng);
  carry_over->wijk = g_strdup (carried->id);
  carry_over->from_year = demo->year - 1;
  carry_over->amount_cents = EUR (3150);
  carry_over->reason = g_strdup_printf ("Restant %d: de kerstmarkt is door de storm verplaatst "
                                        "naar januari.", demo->year - 1);
  g_date_set_julian (&carry_over->decided_on,
                     julian_of (demo->year - 1, G_DATE_DECEMBER, 15));
  carried->budget += carry_over->amount_cents;
  g_ptr_array_add (demo->carry_overs, carry_over);

  for (guint i = 0; i < demo->n_wijken; i++)
    {
      WijkPlan *wijk = &demo->wijken[i];

      /* Each wijk stops granting somewhere between 70 and 85 %. */
      wijk->cap = wijk->budget * rng_between (&rng, 70, 85) / 100;
    }
}

void
demo_make_initiatives (Demo *demo,
                       guint n)
{
  g_autofree guint *counts = g_new0 (guint, demo->n_wijken);
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  WijkPlan *over = demo_over_wijk (demo);
  g_autoptr(GPtrArray) pending_plans = g_ptr_array_new ();
  InitiativePlan *over_plan = NULL;
  DemoRng rng;
  DemoRng decisions;

  rng_init (&rng, demo->options->seed, STREAM_INITIATIVES);
  rng_init (&decisions, demo->options->seed, STREAM_DECISIONS);
  apportion (demo, n, counts);

  for (guint i = 0; i < demo->n_wijken; i++)
    {
      WijkPlan *wijk = &demo->wijken[i];

      for (guint k = 0; k < counts[i]; k++)
        {
          InitiativePlan *plan = demo_new_initiative (demo, &rng, wijk);

          plan->index = demo->initiatives->len;
          g_ptr_array_add (demo->initiatives, plan->initiative);
          g_ptr_array_add (demo->plans, plan);

          /* Two buurtdeals waiting for a wijkwethouder, in different
           * clusters, so that more than one dashboard shows one. */
          if (k == 0 && wijk != over && (i == 0 || i == demo->n_wijken / 2))
            plan->showcase = SHOWCASE_PENDING;
          else if (wijk == over && k == counts[i] - 1 && counts[i] > 1)
            plan->showcase = SHOWCASE_OVER;
        }
    }

  for (guint p = 0; p < demo->plans->len; p++)
    {
      InitiativePlan *plan = g_ptr_array_index (demo->plans, p);
      BuurtenInitiative *initiative = plan->initiative;

      if (plan->showcase == SHOWCASE_PENDING)
        {
          /* A buurtdeal of a few thousand euros that only misses the
           * wijkwethouder's signature: "Wacht op besluit". */
          plan->received = clamp_day (demo, (gint64) demo->today - 30 + pending_plans->len * 9,
                                      demo->year_start);
          initiative->received_at = demo_timestamp (demo, plan->received, 20, 15);
          initiative->state = BUURTEN_INITIATIVE_GRANTED;
          demo_fit_template (&rng, plan, pending_plans->len == 0 ? EUR (4750) : EUR (3200));
          g_ptr_array_add (pending_plans, plan);
        }
      else if (plan->showcase == SHOWCASE_OVER)
        {
          plan->received = clamp_day (demo, (gint64) demo->today - 40, demo->year_start);
          initiative->received_at = demo_timestamp (demo, plan->received, 19, 5);
          initiative->state = BUURTEN_INITIATIVE_DEAL_SIGNED;
          over_plan = plan;
        }

      demo_settle_initiative (demo, &rng, plan);
      if (plan->showcase == SHOWCASE_PENDING)
        plan->decided = clamp_day (demo, (gint64) demo->today - 4 + pending_plans->len,
                                   plan->received);
      else if (plan->showcase == SHOWCASE_OVER)
        plan->decided = clamp_day (demo, demo->today, plan->received);

      if (state_is_granted (initiative->state) && plan->showcase == SHOWCASE_NONE)
        g_ptr_array_add (order, plan);
      else if (initiative->state == BUURTEN_INITIATIVE_REJECTED)
        {
          const RefusalReason *reason = &RNG_PICK (&decisions, rejection_reasons);

          G_STRUCT_MEMBER (BuurtenCheck, initiative, reason->failing) = BUURTEN_CHECK_NO;
          demo_add_decision (demo, &decisions, plan, BUURTEN_OUTCOME_REJECTED, 0, reason->reason);
        }
      else if (initiative->state == BUURTEN_INITIATIVE_REFERRED)
        {
          initiative->crit_adds = BUURTEN_CHECK_NO;
          demo_add_decision (demo, &decisions, plan, BUURTEN_OUTCOME_REFERRED, 0,
                             RNG_PICK (&decisions, referral_reasons));
        }
    }

  /* Grants in the order they were decided, so the mandate engine sees
   * what was committed so far, as the real app would. */
  g_ptr_array_sort (order, compare_plans_by_decision);
  for (guint p = 0; p < order->len; p++)
    {
      InitiativePlan *plan = g_ptr_array_index (order, p);
      gint64 amount = plan->initiative->requested_cents;
      gboolean pending;

      /* Sometimes less is granted than asked, in round amounts. */
      if (amount > EUR (1000) && rng_percent (&decisions, 20))
        amount = amount * rng_between (&decisions, 80, 95) / 10000 * 100;

      pending = plan->initiative->state == BUURTEN_INITIATIVE_GRANTED &&
                demo->today - plan->decided <= 28 && rng_percent (&decisions, 75);
      if (!demo_grant (demo, &decisions, plan, amount, pending, FALSE))
        demo_hold_back (demo, &decisions, plan);
    }

  for (guint p = 0; p < pending_plans->len; p++)
    {
      InitiativePlan *plan = g_ptr_array_index (pending_plans, p);

      if (!demo_grant (demo, &decisions, plan, plan->initiative->requested_cents, TRUE, TRUE))
        demo_hold_back (demo, &decisions, plan);
    }

  if (over_plan != NULL)
    {
      gint64 overrun = EUR (rng_between (&decisions, 25, 90) * 10);
      gint64 amount = over->budget - over->committed + overrun;

      amount = (amount + EUR (50) - 1) / EUR (50) * EUR (50);

      /* Few initiatives (a small demo): a couple of larger buurtdeals
       * first, so that the one that tips it over is still within the
       * wijk's mandate. */
      while (amount > EUR (24000))
        {
          InitiativePlan *extra = NULL;
          gint64 grant;

          /* First the wijk's own initiatives still waiting for a decision;
           * only a very small demo needs new ones. */
          for (guint p = 0; p < demo->plans->len && extra == NULL; p++)
            {
              InitiativePlan *plan = g_ptr_array_index (demo->plans, p);

              if (plan->wijk == over && plan->showcase == SHOWCASE_NONE &&
                  (plan->initiative->state == BUURTEN_INITIATIVE_IDEA ||
                   plan->initiative->state == BUURTEN_INITIATIVE_SUBMITTED ||
                   plan->initiative->state == BUURTEN_INITIATIVE_CHECKED))
                extra = plan;
            }
          if (extra == NULL)
            {
              extra = demo_new_initiative (demo, &rng, over);
              extra->index = demo->initiatives->len;
              g_ptr_array_add (demo->initiatives, extra->initiative);
              g_ptr_array_add (demo->plans, extra);
              demo_fit_template (&rng, extra, EUR (9500));
            }
          extra->initiative->state = demo->today - extra->received >= 42
                                       ? BUURTEN_INITIATIVE_IN_PROGRESS
                                       : BUURTEN_INITIATIVE_DEAL_SIGNED;
          g_clear_pointer (&extra->initiative->support_note, g_free);
          demo_settle_initiative (demo, &rng, extra);
          grant = MIN (extra->initiative->requested_cents, amount - EUR (2500));
          if (!demo_grant (demo, &decisions, extra, grant, FALSE, TRUE))
            break;
          amount = over->budget - over->committed + overrun;
          amount = (amount + EUR (50) - 1) / EUR (50) * EUR (50);
        }

      if (amount > 0)
        demo_fit_template (&rng, over_plan, amount);
      if (amount <= 0 || !demo_grant (demo, &decisions, over_plan, amount, FALSE, TRUE))
        demo_hold_back (demo, &decisions, over_plan);
    }

  for (guint p = 0; p < demo->plans->len; p++)
    {
      InitiativePlan *plan = g_ptr_array_index (demo->plans, p);
      BuurtenInitiative *initiative = plan->initiative;
      guint32 last = plan->decided != 0 ? plan->decided : plan->received;
      DatedIndex entry = { plan->received, p };
      guint32 updated = clamp_day (demo, (gint64) last + rng_between (&rng, 0, 10), last);

      g_array_append_val (plan->wijk->initiatives, entry);
      initiative->updated_at = demo_random_time (demo, &rng, updated, 8, 17);
      initiative->updated_at = MAX (initiative->updated_at, initiative->received_at);
    }
  for (guint w = 0; w < demo->n_wijken; w++)
    g_array_sort (demo->wijken[w].initiatives, compare_dated);
}
