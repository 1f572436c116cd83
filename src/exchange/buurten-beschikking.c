/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-beschikking"

#include "config.h"

#include "buurten-beschikking.h"

#include <glib/gi18n.h>

#include "buurten-document-parts.h"

struct _BuurtenBeschikking
{
  BuurtenDossier *dossier;
};

BuurtenBeschikking *
buurten_beschikking_load (BuurtenStore        *store,
                          BuurtenMunicipality *municipality,
                          const char          *initiative_id,
                          GError             **error)
{
  g_autoptr(BuurtenDossier) dossier = NULL;
  BuurtenBeschikking *self;

  dossier = buurten_dossier_load (store, municipality, initiative_id, error);
  if (dossier == NULL)
    return NULL;
  if (dossier->decision == NULL)
    {
      g_set_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID_STATE,
                   _("The initiative “%s” has no decision yet, so there is no beschikking"),
                   dossier->initiative->title);
      return NULL;
    }

  self = g_new0 (BuurtenBeschikking, 1);
  self->dossier = g_steal_pointer (&dossier);
  return self;
}

void
buurten_beschikking_free (BuurtenBeschikking *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->dossier, buurten_dossier_free);
  g_free (self);
}

char *
buurten_beschikking_reference (BuurtenBeschikking *self)
{
  const BuurtenDecision *decision;
  g_autofree char *short_id = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  decision = self->dossier->decision;
  short_id = buurten_document_short_id (decision->id);
  return g_strdup_printf ("BSK-%04u-%s",
                          g_date_valid (&decision->decided_on)
                            ? g_date_get_year (&decision->decided_on) : 0,
                          short_id);
}

char *
buurten_beschikking_file_name (BuurtenBeschikking *self)
{
  g_autofree char *reference = buurten_beschikking_reference (self);

  return g_strdup_printf ("beschikking-%s", reference);
}

/* The day of the letter: the decision's, or, when the grant's last
 * signature came later (the money is granted only by the last one), that
 * day. The same decision always gets the same date. */
static void
letter_date (BuurtenBeschikking *self,
             GDate              *out)
{
  BuurtenDossier *dossier = self->dossier;

  *out = dossier->decision->decided_on;
  if (dossier->decision->outcome != BUURTEN_OUTCOME_GRANTED)
    return;
  for (guint i = 0; i < dossier->signatures->len; i++)
    {
      const BuurtenSignature *signature = g_ptr_array_index (dossier->signatures, i);
      GDate day;

      buurten_document_unix_to_date (signature->signed_at, &day);
      if (g_date_valid (&day) && (!g_date_valid (out) || g_date_compare (&day, out) > 0))
        *out = day;
    }
}

/* ---- the document ------------------------------------------------------------ */

static gboolean
has_text (const char *text)
{
  return text != NULL && text[0] != '\0';
}

static void
add_addressee (BuurtenBeschikking *self,
               BuurtenDocument    *document)
{
  const BuurtenInitiative *initiative = self->dossier->initiative;
  g_autoptr(GString) to = g_string_new (NULL);

  if (has_text (initiative->organiser))
    g_string_append (to, initiative->organiser);
  if (has_text (initiative->organisation))
    g_string_append_printf (to, "%s%s", to->len > 0 ? "\n" : "", initiative->organisation);
  if (has_text (initiative->organiser_address))
    g_string_append_printf (to, "%s%s", to->len > 0 ? "\n" : "",
                            initiative->organiser_address);
  if (to->len == 0)
    g_string_append (to, _("(no organiser recorded)"));

  buurten_document_add_key_value (document, _("To"), to->str);
}

static void
add_decision (BuurtenBeschikking *self,
              BuurtenDocument    *document)
{
  BuurtenDossier *dossier = self->dossier;
  const BuurtenInitiative *initiative = dossier->initiative;
  const BuurtenDecision *decision = dossier->decision;
  const BuurtenWijk *wijk = buurten_municipality_lookup_wijk (dossier->municipality,
                                                              initiative->wijk);
  g_autofree char *submitted = buurten_document_long_date (&initiative->submitted_on);
  g_autofree char *intro = NULL;
  g_autofree char *text = NULL;

  /* Translators: the opening of a beschikking: the day the application
   * came in, the initiative and the wijk */
  intro = g_date_valid (&initiative->submitted_on)
            ? g_strdup_printf (_("On %1$s you applied for a contribution from the budget of "
                                 "wijk %2$s for the initiative “%3$s”. This letter tells you "
                                 "our decision."),
                               submitted, wijk != NULL ? wijk->name : initiative->wijk,
                               initiative->title)
            : g_strdup_printf (_("You applied for a contribution from the budget of wijk %1$s "
                                 "for the initiative “%2$s”. This letter tells you our "
                                 "decision."),
                               wijk != NULL ? wijk->name : initiative->wijk, initiative->title);
  buurten_document_add_paragraph (document, intro);

  buurten_document_add_heading (document, 1, _("Decision"));
  switch (decision->outcome)
    {
    case BUURTEN_OUTCOME_GRANTED:
      {
        g_autofree char *amount = buurten_money_format (decision->amount_cents);

        /* Translators: the decision of a beschikking that grants money */
        text = g_strdup_printf (_("We grant you a subsidy of %1$s for the initiative “%2$s”."),
                                amount, initiative->title);
        buurten_document_add_paragraph (document, text);
        buurten_document_add_key_value (document, _("Amount granted"), amount);
        if (dossier->commitment != NULL)
          buurten_document_add_key_value (document, _("Paid from"),
                                          buurten_format_funding (dossier->commitment->funding));
        if (has_text (initiative->iban))
          {
            g_autofree char *iban = buurten_iban_format (initiative->iban);
            g_autofree char *account = has_text (initiative->account_holder)
                                         /* Translators: an account and its holder, e.g.
                                          * "NL91 ABNA 0417 1643 00 in the name of J. de Vries" */
                                         ? g_strdup_printf (_("%1$s in the name of %2$s"), iban,
                                                            initiative->account_holder)
                                         : g_strdup (iban);

            buurten_document_add_key_value (document, _("Paid to account"), account);
          }
        break;
      }
    case BUURTEN_OUTCOME_REJECTED:
      buurten_document_add_paragraph (document, _("We refuse your application."));
      break;
    case BUURTEN_OUTCOME_REFERRED:
      buurten_document_add_paragraph (document,
                                      _("We do not grant your application from the wijk's "
                                        "budget: we refer it to another source of funding."));
      break;
    default:
      break;
    }

  buurten_document_add_heading (document, 2, _("Reasons"));
  buurten_document_add_paragraph (document, has_text (decision->reason)
                                              ? decision->reason
                                              : _("No reason was recorded with the decision."));
}

static void
add_conditions (BuurtenBeschikking *self,
                BuurtenDocument    *document)
{
  const char *coordinator = buurten_municipality_role_name (self->dossier->municipality,
                                                            BUURTEN_ROLE_BUURTCOORDINATOR);
  g_autofree char *changes = NULL;

  buurten_document_add_heading (document, 1, _("Conditions"));
  buurten_document_add_paragraph (document,
                                  _("1. The subsidy is for the initiative as described in your "
                                    "application and its budget, and for nothing else."));
  buurten_document_add_paragraph (document,
                                  _("2. You carry it out with residents of the buurt, with the "
                                    "own contribution and the agreements of the buurtdeal."));
  buurten_document_add_paragraph (document,
                                  _("3. You let the buurt know about the initiative and how it "
                                    "went."));
  /* Translators: a condition of a beschikking; %s is the role's name
   * (Wijkregisseur) */
  changes = g_strdup_printf (_("4. You tell the %s beforehand about changes to the plan or "
                               "the budget."), coordinator);
  buurten_document_add_paragraph (document, changes);
  buurten_document_add_paragraph (document,
                                  _("5. Money that is not spent as planned is not paid, or is "
                                    "paid back."));
}

static void
add_agreements (BuurtenBeschikking *self,
                BuurtenDocument    *document)
{
  BuurtenDossier *dossier = self->dossier;

  buurten_document_add_heading (document, 1, _("Agreements of the buurtdeal"));
  if (dossier->agreements->len == 0)
    {
      buurten_document_add_paragraph (document, _("No buurtdeal belongs to this decision."));
      return;
    }
  buurten_document_add_heading (document, 2,
                                buurten_document_agreement_side (BUURTEN_AGREEMENT_RESIDENTS));
  buurten_document_add_agreements (document, dossier, BUURTEN_AGREEMENT_RESIDENTS);
  buurten_document_add_heading (document, 2,
                                buurten_document_agreement_side (BUURTEN_AGREEMENT_MUNICIPALITY));
  buurten_document_add_agreements (document, dossier, BUURTEN_AGREEMENT_MUNICIPALITY);
}

/* By when: the accounting term after the last day of the activities, or
 * after the decision when none is planned. */
static void
accounting_due (BuurtenBeschikking *self,
                GDate              *due)
{
  BuurtenDossier *dossier = self->dossier;
  guint weeks = buurten_municipality_accounting_term_weeks (dossier->municipality);

  g_date_clear (due, 1);
  for (guint i = 0; i < dossier->activities->len; i++)
    {
      const BuurtenActivity *activity = g_ptr_array_index (dossier->activities, i);
      const GDate *last = g_date_valid (&activity->ends_on) ? &activity->ends_on
                                                            : &activity->starts_on;

      if (g_date_valid (last) && (!g_date_valid (due) || g_date_compare (last, due) > 0))
        *due = *last;
    }
  if (!g_date_valid (due) && g_date_valid (&dossier->decision->decided_on))
    *due = dossier->decision->decided_on;
  if (g_date_valid (due))
    g_date_add_days (due, weeks * 7);
}

static void
add_accounting (BuurtenBeschikking *self,
                BuurtenDocument    *document)
{
  GDate due;
  g_autofree char *date = NULL;
  g_autofree char *text = NULL;

  accounting_due (self, &due);
  date = buurten_document_long_date (&due);

  buurten_document_add_heading (document, 1, _("Verantwoording"));
  /* Translators: in a beschikking: by when the organiser accounts for the
   * grant; %s is a date */
  text = g_strdup_printf (_("By %s at the latest you account for the subsidy. You tell us:"),
                          date);
  buurten_document_add_paragraph (document, text);
  buurten_document_add_paragraph (document,
                                  _("• what happened, and for whom;\n"
                                    "• the actual costs per line of the budget, against what "
                                    "was planned, with the receipts and invoices;\n"
                                    "• the income and own contribution as they turned out;\n"
                                    "• how the buurt heard about the initiative and its "
                                    "result."));
}

static void
add_mandate (BuurtenBeschikking *self,
             BuurtenDocument    *document)
{
  BuurtenDossier *dossier = self->dossier;
  g_autofree char *decided = buurten_document_long_date (&dossier->decision->decided_on);

  buurten_document_add_heading (document, 1, _("Who decided"));
  buurten_document_add_key_value (document, _("Decided on"), decided);
  if (dossier->mandate != NULL)
    {
      g_autofree char *roles = buurten_format_roles (dossier->municipality,
                                                     dossier->mandate->roles);
      g_autofree char *total = buurten_money_format (dossier->mandate->total_cents);
      g_autofree char *mandate = NULL;

      /* Translators: the mandate under which a beschikking was decided:
       * the roles that decide, the funding, the initiative's amount, the
       * year of the mandate table, e.g. "Wijkregisseur, Wijkwethouder
       * (Wijkbudget, € 4.500,00 per initiative; mandate table 2026)" */
      mandate = g_strdup_printf (_("%1$s (%2$s, %3$s per initiative; mandate table %4$d)"),
                                 roles, buurten_format_funding (dossier->commitment->funding),
                                 total, dossier->mandate_year);
      buurten_document_add_key_value (document, _("Mandate"), mandate);
      if (has_text (dossier->mandate->instrument))
        buurten_document_add_key_value (document, _("Instrument"),
                                        buurten_format_instrument (dossier->mandate->instrument));
    }
  else if (dossier->decision->outcome != BUURTEN_OUTCOME_GRANTED)
    {
      const char *coordinator = buurten_municipality_role_name (dossier->municipality,
                                                                BUURTEN_ROLE_BUURTCOORDINATOR);
      /* Translators: the mandate of a refusal: the coordinator judges
       * whether an application meets the criteria */
      g_autofree char *text = g_strdup_printf (_("%s, who judges applications against the "
                                                 "criteria"), coordinator);

      buurten_document_add_key_value (document, _("Mandate"), text);
    }

  if (dossier->commitment != NULL)
    buurten_document_add_municipality_signers (document, dossier);
}

static void
add_objection (BuurtenBeschikking *self,
               BuurtenDocument    *document)
{
  BuurtenMunicipality *municipality = self->dossier->municipality;
  guint weeks = buurten_municipality_objection_weeks (municipality);
  const char * const *lines = buurten_municipality_objection_lines (municipality);
  g_autoptr(GString) address = g_string_new (buurten_municipality_objection_to (municipality));
  g_autofree char *text = NULL;
  g_autofree char *last_day = NULL;
  GDate until;

  letter_date (self, &until);
  buurten_document_add_heading (document, 1, _("Objection"));
  if (g_date_valid (&until))
    g_date_add_days (&until, weeks * 7);
  last_day = buurten_document_long_date (&until);
  /* Translators: in a beschikking: the objection (bezwaar) period, e.g.
   * "within 6 weeks of the date of this decision (until Tuesday 1
   * December 2026)" */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Do you disagree with this decision? Then you may object "
                                       "within %1$u week of the date of this decision (until "
                                       "%2$s). Send a signed letter of objection with your name "
                                       "and address, the date, the reference of this letter and "
                                       "why you disagree, to:",
                                       "Do you disagree with this decision? Then you may object "
                                       "within %1$u weeks of the date of this decision (until "
                                       "%2$s). Send a signed letter of objection with your name "
                                       "and address, the date, the reference of this letter and "
                                       "why you disagree, to:",
                                       weeks),
                          weeks, last_day);
  buurten_document_add_paragraph (document, text);
  for (guint i = 0; lines != NULL && lines[i] != NULL; i++)
    g_string_append_printf (address, "\n%s", lines[i]);
  buurten_document_add_paragraph (document, address->str);
}

BuurtenDocument *
buurten_beschikking_document (BuurtenBeschikking *self)
{
  g_autoptr(BuurtenDocument) document = NULL;
  g_autofree char *reference = NULL;
  g_autofree char *date = NULL;
  g_autofree char *subtitle = NULL;
  BuurtenDossier *dossier;

  g_return_val_if_fail (self != NULL, NULL);

  dossier = self->dossier;
  document = buurten_document_new (_("Subsidiebeschikking"));
  buurten_document_set_letterhead (document,
                                   buurten_municipality_get_letterhead_name (dossier->municipality),
                                   buurten_municipality_get_letterhead_lines (dossier->municipality));
  subtitle = g_strdup_printf ("%s — %s", dossier->initiative->title,
                              dossier->decision->outcome == BUURTEN_OUTCOME_GRANTED
                                /* Translators: the kind of a beschikking, in its subtitle */
                                ? _("grant")
                                : dossier->decision->outcome == BUURTEN_OUTCOME_REJECTED
                                    ? _("refusal")
                                    : _("referral"));
  buurten_document_set_subtitle (document, subtitle);
  /* The letter is dated the day of the decision: printing it again later
   * gives the same letter. */
  {
    GDate day;

    letter_date (self, &day);
    date = buurten_document_long_date (&day);
  }
  reference = buurten_beschikking_reference (self);
  buurten_document_set_reference (document, date, reference);

  add_addressee (self, document);
  add_decision (self, document);
  if (dossier->decision->outcome == BUURTEN_OUTCOME_GRANTED)
    {
      add_conditions (self, document);
      add_agreements (self, document);
      add_accounting (self, document);
    }
  add_mandate (self, document);
  add_objection (self, document);

  return g_steal_pointer (&document);
}
