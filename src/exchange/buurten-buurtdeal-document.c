/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-buurtdeal-document"

#include "config.h"

#include "buurten-buurtdeal-document.h"

#include <glib/gi18n.h>

#include "buurten-document-parts.h"

struct _BuurtenBuurtdealDocument
{
  BuurtenDossier *dossier;
};

static gboolean
has_text (const char *text)
{
  return text != NULL && text[0] != '\0';
}

BuurtenBuurtdealDocument *
buurten_buurtdeal_document_load (BuurtenStore        *store,
                                 BuurtenMunicipality *municipality,
                                 const char          *initiative_id,
                                 GError             **error)
{
  g_autoptr(BuurtenDossier) dossier = NULL;
  BuurtenBuurtdealDocument *self;

  dossier = buurten_dossier_load (store, municipality, initiative_id, error);
  if (dossier == NULL)
    return NULL;
  if (dossier->agreements->len == 0 && !has_text (dossier->initiative->deal_signed_by))
    {
      g_set_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID_STATE,
                   _("The initiative “%s” has no buurtdeal"), dossier->initiative->title);
      return NULL;
    }

  self = g_new0 (BuurtenBuurtdealDocument, 1);
  self->dossier = g_steal_pointer (&dossier);
  return self;
}

void
buurten_buurtdeal_document_free (BuurtenBuurtdealDocument *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->dossier, buurten_dossier_free);
  g_free (self);
}

char *
buurten_buurtdeal_document_reference (BuurtenBuurtdealDocument *self)
{
  const BuurtenInitiative *initiative;
  g_autofree char *short_id = NULL;
  GDate received;

  g_return_val_if_fail (self != NULL, NULL);

  initiative = self->dossier->initiative;
  short_id = buurten_document_short_id (initiative->id);
  buurten_document_unix_to_date (initiative->received_at, &received);
  return g_strdup_printf ("BD-%04u-%s", g_date_valid (&received) ? g_date_get_year (&received) : 0,
                          short_id);
}

char *
buurten_buurtdeal_document_file_name (BuurtenBuurtdealDocument *self)
{
  g_autofree char *reference = buurten_buurtdeal_document_reference (self);

  return g_strdup_printf ("buurtdeal-%s", reference);
}

static void
add_initiative (BuurtenBuurtdealDocument *self,
                BuurtenDocument          *document)
{
  BuurtenDossier *dossier = self->dossier;
  const BuurtenInitiative *initiative = dossier->initiative;
  const BuurtenWijk *wijk = buurten_municipality_lookup_wijk (dossier->municipality,
                                                              initiative->wijk);
  const char *coordinator = buurten_municipality_role_name (dossier->municipality,
                                                            BUURTEN_ROLE_BUURTCOORDINATOR);
  g_autofree char *intro = NULL;
  g_autofree char *organiser = NULL;
  gint64 amount = dossier->commitment != NULL ? dossier->commitment->amount_cents
                                              : initiative->requested_cents;
  g_autofree char *money = buurten_money_format (amount);

  /* Translators: the opening of a buurtdeal; %s is the coordinator's role
   * name (Wijkregisseur) */
  intro = g_strdup_printf (_("In this buurtdeal the residents behind the initiative and the "
                             "municipality agree what each of them does to make it happen. "
                             "The %s follows the agreements and records their progress."),
                           coordinator);
  buurten_document_add_paragraph (document, intro);

  buurten_document_add_key_value (document, _("Initiative"), initiative->title);
  buurten_document_add_key_value (document, _("Wijk"),
                                  wijk != NULL ? wijk->name : initiative->wijk);
  organiser = has_text (initiative->organisation)
                /* Translators: an organiser and their organisation */
                ? g_strdup_printf (_("%1$s (%2$s)"),
                                   has_text (initiative->organiser) ? initiative->organiser : "",
                                   initiative->organisation)
                : g_strdup (has_text (initiative->organiser) ? initiative->organiser : "");
  buurten_document_add_key_value (document, _("Organiser"), organiser);
  if (has_text (initiative->place))
    buurten_document_add_key_value (document, _("Where"), initiative->place);
  if (has_text (initiative->for_whom))
    buurten_document_add_key_value (document, _("For whom"), initiative->for_whom);
  buurten_document_add_key_value (document,
                                  dossier->commitment != NULL &&
                                  dossier->commitment->state == BUURTEN_COMMITMENT_APPROVED
                                    ? _("Amount granted") : _("Amount asked"),
                                  money);
  if (has_text (initiative->description))
    buurten_document_add_paragraph (document, initiative->description);
}

static void
add_signatures (BuurtenBuurtdealDocument *self,
                BuurtenDocument          *document)
{
  const BuurtenInitiative *initiative = self->dossier->initiative;
  g_autofree char *place_date = NULL;

  buurten_document_add_heading (document, 1, _("Signatures"));

  if (has_text (initiative->deal_signed_by))
    {
      g_autofree char *date = buurten_document_short_date (&initiative->deal_signed_on);

      /* Translators: where and when a buurtdeal was signed, e.g.
       * "Hilversum, 03-10-2026" */
      place_date = has_text (initiative->deal_signed_place)
                     ? g_strdup_printf (_("%1$s, %2$s"), initiative->deal_signed_place, date)
                     : g_strdup (date);
    }
  buurten_document_add_signature (document, _("For the residents: the organiser"),
                                  has_text (initiative->deal_signed_by)
                                    ? initiative->deal_signed_by : NULL,
                                  place_date);
  buurten_document_add_municipality_signers (document, self->dossier);
}

BuurtenDocument *
buurten_buurtdeal_document_build (BuurtenBuurtdealDocument *self,
                                  gint64                    made_at)
{
  g_autoptr(BuurtenDocument) document = NULL;
  g_autofree char *reference = NULL;
  g_autofree char *date = NULL;
  BuurtenDossier *dossier;

  g_return_val_if_fail (self != NULL, NULL);

  dossier = self->dossier;
  document = buurten_document_new (_("Buurtdeal"));
  buurten_document_set_letterhead (document,
                                   buurten_municipality_get_letterhead_name (dossier->municipality),
                                   buurten_municipality_get_letterhead_lines (dossier->municipality));
  buurten_document_set_subtitle (document, dossier->initiative->title);
  /* A signed deal carries the day it was signed; an unsigned one today. */
  date = g_date_valid (&dossier->initiative->deal_signed_on)
           ? buurten_document_long_date (&dossier->initiative->deal_signed_on)
           : buurten_document_today (made_at);
  reference = buurten_buurtdeal_document_reference (self);
  buurten_document_set_reference (document, date, reference);

  add_initiative (self, document);
  buurten_document_add_heading (document, 1,
                                buurten_document_agreement_side (BUURTEN_AGREEMENT_RESIDENTS));
  buurten_document_add_agreements (document, dossier, BUURTEN_AGREEMENT_RESIDENTS);
  buurten_document_add_heading (document, 1,
                                buurten_document_agreement_side (BUURTEN_AGREEMENT_MUNICIPALITY));
  buurten_document_add_agreements (document, dossier, BUURTEN_AGREEMENT_MUNICIPALITY);
  add_signatures (self, document);

  return g_steal_pointer (&document);
}
