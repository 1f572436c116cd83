/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-document-parts"

#include "config.h"

#include "buurten-document-parts.h"

#include <glib/gi18n.h>

void
buurten_document_unix_to_date (gint64  unix_seconds,
                               GDate  *out)
{
  g_autoptr(GDateTime) time = unix_seconds != 0 ? g_date_time_new_from_unix_local (unix_seconds)
                                                : NULL;

  g_date_clear (out, 1);
  if (time != NULL)
    g_date_set_dmy (out, g_date_time_get_day_of_month (time),
                    g_date_time_get_month (time), g_date_time_get_year (time));
}

static char *
format_date (const GDate *date,
             const char  *format)
{
  g_autoptr(GDateTime) time = NULL;

  if (date == NULL || !g_date_valid (date))
    return g_strdup ("");
  time = g_date_time_new_local (g_date_get_year (date), g_date_get_month (date),
                                g_date_get_day (date), 12, 0, 0);
  return time != NULL ? g_date_time_format (time, format) : g_strdup ("");
}

char *
buurten_document_long_date (const GDate *date)
{
  /* Translators: a date written out in a document, strftime-like (see
   * g_date_time_format()), e.g. "Tuesday 20 October 2026"; in Dutch
   * "dinsdag 20 oktober 2026" */
  return format_date (date, _("%A %-d %B %Y"));
}

char *
buurten_document_short_date (const GDate *date)
{
  /* Translators: a date in a document's table, e.g. "20-10-2026" */
  return format_date (date, _("%d-%m-%Y"));
}

char *
buurten_document_today (gint64 made_at)
{
  GDate today;

  buurten_document_unix_to_date (made_at, &today);
  return buurten_document_long_date (&today);
}

char *
buurten_document_short_id (const char *id)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (const char *p = id; p != NULL && *p != '\0' && text->len < 8; p++)
    if (g_ascii_isxdigit (*p))
      g_string_append_c (text, g_ascii_toupper (*p));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

const char *
buurten_document_agreement_side (BuurtenAgreementSide side)
{
  switch (side)
    {
    case BUURTEN_AGREEMENT_RESIDENTS:
      return _("What the residents do");
    case BUURTEN_AGREEMENT_MUNICIPALITY:
      return _("What the municipality does");
    default:
      return "";
    }
}

const char *
buurten_document_agreement_progress (BuurtenAgreementProgress progress)
{
  switch (progress)
    {
    case BUURTEN_AGREEMENT_AGREED:
      /* Translators: the progress of a buurtdeal's agreement */
      return C_("agreement", "Agreed");
    case BUURTEN_AGREEMENT_UNDER_WAY:
      /* Translators: the progress of a buurtdeal's agreement */
      return C_("agreement", "Under way");
    case BUURTEN_AGREEMENT_DONE:
      /* Translators: the progress of a buurtdeal's agreement */
      return C_("agreement", "Done");
    default:
      return "";
    }
}

void
buurten_document_add_agreements (BuurtenDocument     *document,
                                 BuurtenDossier      *dossier,
                                 BuurtenAgreementSide side)
{
  static const BuurtenDocumentColumn columns[] = {
    { N_("Agreement"), 4.0, BUURTEN_DOCUMENT_ALIGN_START },
    { N_("Who"), 1.9, BUURTEN_DOCUMENT_ALIGN_START },
    { N_("By"), 1.3, BUURTEN_DOCUMENT_ALIGN_START },
    { N_("Progress"), 1.3, BUURTEN_DOCUMENT_ALIGN_START },
  };
  BuurtenDocumentColumn translated[G_N_ELEMENTS (columns)];
  BuurtenDocumentTable *table;

  g_return_if_fail (document != NULL && dossier != NULL);

  if (buurten_dossier_count_side (dossier, side) == 0)
    {
      buurten_document_add_paragraph (document,
                                      side == BUURTEN_AGREEMENT_RESIDENTS
                                        ? _("No agreement of the residents is recorded.")
                                        : _("No agreement of the municipality is recorded."));
      return;
    }

  for (guint c = 0; c < G_N_ELEMENTS (columns); c++)
    {
      translated[c] = columns[c];
      translated[c].title = _(columns[c].title);
    }
  table = buurten_document_add_table (document, translated, G_N_ELEMENTS (translated));
  for (guint i = 0; i < dossier->agreements->len; i++)
    {
      const BuurtenAgreement *agreement = g_ptr_array_index (dossier->agreements, i);
      g_autofree char *due = NULL;
      const char *cells[4];

      if (agreement->side != side)
        continue;
      due = buurten_document_short_date (&agreement->due_on);
      cells[0] = agreement->description != NULL ? agreement->description : "";
      cells[1] = agreement->owner != NULL ? agreement->owner : "";
      cells[2] = due;
      cells[3] = buurten_document_agreement_progress (agreement->progress);
      buurten_document_table_add_row (table, cells);
    }
}

static const BuurtenSignature *
signature_of (BuurtenDossier *dossier,
              BuurtenRole     role)
{
  for (guint i = 0; i < dossier->signatures->len; i++)
    {
      const BuurtenSignature *signature = g_ptr_array_index (dossier->signatures, i);

      if (signature->role == role)
        return signature;
    }
  return NULL;
}

void
buurten_document_add_municipality_signers (BuurtenDocument *document,
                                           BuurtenDossier  *dossier)
{
  guint n = 0;

  g_return_if_fail (document != NULL && dossier != NULL);

  for (guint i = 0; dossier->required != NULL && i < dossier->required->len; i++)
    {
      BuurtenRole role = g_array_index (dossier->required, BuurtenRole, i);
      const BuurtenSignature *signature = signature_of (dossier, role);
      const char *role_name = buurten_municipality_role_name (dossier->municipality, role);
      g_autofree char *label = NULL;
      g_autofree char *when = NULL;

      /* Translators: above a signature line, e.g. "For the municipality:
       * Wijkwethouder" */
      label = g_strdup_printf (_("For the municipality: %s"), role_name);
      if (signature != NULL)
        {
          GDate day;
          g_autofree char *date = NULL;

          buurten_document_unix_to_date (signature->signed_at, &day);
          date = buurten_document_short_date (&day);
          /* Translators: under a signature: when it was signed, e.g.
           * "signed on 03-10-2026" */
          when = g_strdup_printf (_("signed on %s"), date);
        }
      buurten_document_add_signature (document, label,
                                      signature != NULL ? signature->user : NULL, when);
      n++;
    }

  /* Signatures of a role no longer asked (a table changed since) still
   * count as given. */
  for (guint i = 0; i < dossier->signatures->len; i++)
    {
      const BuurtenSignature *signature = g_ptr_array_index (dossier->signatures, i);
      gboolean listed = FALSE;

      for (guint r = 0; dossier->required != NULL && r < dossier->required->len; r++)
        listed |= g_array_index (dossier->required, BuurtenRole, r) == signature->role;
      if (!listed)
        {
          GDate day;
          g_autofree char *date = NULL;
          g_autofree char *label = NULL;
          g_autofree char *when = NULL;

          buurten_document_unix_to_date (signature->signed_at, &day);
          date = buurten_document_short_date (&day);
          label = g_strdup_printf (_("For the municipality: %s"),
                                   buurten_municipality_role_name (dossier->municipality,
                                                                   signature->role));
          when = g_strdup_printf (_("signed on %s"), date);
          buurten_document_add_signature (document, label, signature->user, when);
          n++;
        }
    }

  if (n == 0)
    buurten_document_add_signature (document, _("For the municipality"), NULL, NULL);
}
