/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-dossier"

#include "config.h"

#include "buurten-dossier.h"

#include <glib/gi18n.h>

static GPtrArray *
list_of (BuurtenStore            *store,
         const BuurtenEntityInfo *info,
         const char              *field,
         const char              *value,
         GDestroyNotify           free_func,
         GError                 **error)
{
  GPtrArray *list = buurten_store_list (store, info, field, value, error);

  if (list != NULL)
    g_ptr_array_set_free_func (list, free_func);
  return list;
}

static int
compare_dates (const GDate *a,
               const GDate *b)
{
  gboolean va = g_date_valid (a), vb = g_date_valid (b);

  if (va != vb)
    return va ? 1 : -1;
  return va ? g_date_compare (a, b) : 0;
}

static int
compare_agreements (gconstpointer a,
                    gconstpointer b)
{
  const BuurtenAgreement *x = *(BuurtenAgreement * const *) a;
  const BuurtenAgreement *y = *(BuurtenAgreement * const *) b;

  if (x->side != y->side)
    return x->side < y->side ? -1 : 1;
  return (x->position > y->position) - (x->position < y->position);
}

static int
compare_activities (gconstpointer a,
                    gconstpointer b)
{
  const BuurtenActivity *x = *(BuurtenActivity * const *) a;
  const BuurtenActivity *y = *(BuurtenActivity * const *) b;

  return compare_dates (&x->starts_on, &y->starts_on);
}

static int
compare_lines (gconstpointer a,
               gconstpointer b)
{
  const BuurtenBudgetLine *x = *(BuurtenBudgetLine * const *) a;
  const BuurtenBudgetLine *y = *(BuurtenBudgetLine * const *) b;

  if (x->kind != y->kind)
    return x->kind < y->kind ? -1 : 1;
  return (x->position > y->position) - (x->position < y->position);
}

static int
compare_signatures (gconstpointer a,
                    gconstpointer b)
{
  const BuurtenSignature *x = *(BuurtenSignature * const *) a;
  const BuurtenSignature *y = *(BuurtenSignature * const *) b;

  return (x->signed_at > y->signed_at) - (x->signed_at < y->signed_at);
}

/* The last decision: by its date, and of one day the one that records
 * money (the server's last signature) wins. */
static BuurtenDecision *
last_decision (GPtrArray *decisions)
{
  BuurtenDecision *best = NULL;

  for (guint i = 0; i < decisions->len; i++)
    {
      BuurtenDecision *decision = g_ptr_array_index (decisions, i);
      int order = best != NULL ? compare_dates (&decision->decided_on, &best->decided_on) : 1;

      if (order > 0 || (order == 0 && decision->commitment_id != NULL))
        best = decision;
    }
  return best;
}

/* Without a decision that names one: the approved commitment, else the
 * last pending one; never a cancelled one. */
static BuurtenCommitment *
current_commitment (GPtrArray *commitments)
{
  BuurtenCommitment *best = NULL;

  for (guint i = 0; i < commitments->len; i++)
    {
      BuurtenCommitment *commitment = g_ptr_array_index (commitments, i);

      if (commitment->state == BUURTEN_COMMITMENT_CANCELLED)
        continue;
      if (best == NULL || (commitment->state == BUURTEN_COMMITMENT_APPROVED &&
                           best->state != BUURTEN_COMMITMENT_APPROVED) ||
          (commitment->state == best->state && commitment->created_at >= best->created_at))
        best = commitment;
    }
  return best;
}

static gboolean
load_mandate (BuurtenDossier  *self,
              BuurtenStore    *store,
              GPtrArray       *commitments,
              GError         **error)
{
  g_autoptr(BuurtenLedger) ledger = NULL;
  g_autoptr(GError) local_error = NULL;

  self->mandate_year = (int) self->commitment->year;
  ledger = buurten_store_ledger (store, self->municipality, self->mandate_year, error);
  if (ledger == NULL)
    return FALSE;
  self->mandate = buurten_commitment_mandate (self->municipality, ledger, self->commitment,
                                              commitments, NULL, &local_error);
  /* A commitment whose wijk or year the file no longer knows still has
   * its signatures: the document then names no mandate. */
  if (self->mandate == NULL && local_error != NULL)
    g_debug ("No mandate for the commitment: %s", local_error->message);
  self->required = buurten_commitment_required_roles (self->commitment, self->mandate);
  return TRUE;
}

BuurtenDossier *
buurten_dossier_load (BuurtenStore        *store,
                      BuurtenMunicipality *municipality,
                      const char          *initiative_id,
                      GError             **error)
{
  g_autoptr(BuurtenDossier) self = NULL;
  g_autoptr(GPtrArray) decisions = NULL;
  g_autoptr(GPtrArray) commitments = NULL;
  g_autoptr(GError) local_error = NULL;
  const BuurtenCommitment *chosen = NULL;

  g_return_val_if_fail (BUURTEN_IS_STORE (store), NULL);
  g_return_val_if_fail (BUURTEN_IS_MUNICIPALITY (municipality), NULL);
  g_return_val_if_fail (initiative_id != NULL, NULL);

  self = g_new0 (BuurtenDossier, 1);
  self->municipality = g_object_ref (municipality);

  self->initiative = buurten_store_get (store, &buurten_initiative_info, initiative_id,
                                        &local_error);
  if (self->initiative == NULL)
    {
      if (g_error_matches (local_error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_NOT_FOUND))
        g_set_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_NOT_FOUND,
                     _("There is no initiative with the id “%s”"), initiative_id);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  decisions = list_of (store, &buurten_decision_info, "initiative_id", initiative_id,
                       (GDestroyNotify) buurten_decision_free, error);
  if (decisions == NULL)
    return NULL;
  commitments = list_of (store, &buurten_commitment_info, "initiative_id", initiative_id,
                         (GDestroyNotify) buurten_commitment_free, error);
  if (commitments == NULL)
    return NULL;
  if (last_decision (decisions) != NULL)
    self->decision = buurten_decision_copy (last_decision (decisions));

  for (guint i = 0; self->decision != NULL && self->decision->commitment_id != NULL &&
                    i < commitments->len; i++)
    {
      const BuurtenCommitment *commitment = g_ptr_array_index (commitments, i);

      if (g_strcmp0 (commitment->id, self->decision->commitment_id) == 0)
        chosen = commitment;
    }
  /* A refusal records no money: it has no commitment. */
  if (chosen == NULL && (self->decision == NULL ||
                         self->decision->outcome == BUURTEN_OUTCOME_GRANTED))
    chosen = current_commitment (commitments);

  self->signatures = g_ptr_array_new_with_free_func ((GDestroyNotify) buurten_signature_free);
  if (chosen != NULL)
    {
      g_autoptr(GPtrArray) signatures = NULL;

      self->commitment = buurten_commitment_copy (chosen);
      signatures = list_of (store, &buurten_signature_info, "commitment_id", chosen->id,
                            (GDestroyNotify) buurten_signature_free, error);
      if (signatures == NULL)
        return NULL;
      g_ptr_array_extend_and_steal (self->signatures, g_steal_pointer (&signatures));
      g_ptr_array_sort (self->signatures, compare_signatures);
      if (!load_mandate (self, store, commitments, error))
        return NULL;
    }

  self->agreements = list_of (store, &buurten_agreement_info, "initiative_id", initiative_id,
                              (GDestroyNotify) buurten_agreement_free, error);
  if (self->agreements == NULL)
    return NULL;
  g_ptr_array_sort (self->agreements, compare_agreements);
  self->activities = list_of (store, &buurten_activity_info, "initiative_id", initiative_id,
                              (GDestroyNotify) buurten_activity_free, error);
  if (self->activities == NULL)
    return NULL;
  g_ptr_array_sort (self->activities, compare_activities);
  self->budget_lines = list_of (store, &buurten_budget_line_info, "initiative_id",
                                initiative_id, (GDestroyNotify) buurten_budget_line_free,
                                error);
  if (self->budget_lines == NULL)
    return NULL;
  g_ptr_array_sort (self->budget_lines, compare_lines);

  return g_steal_pointer (&self);
}

void
buurten_dossier_free (BuurtenDossier *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->initiative, buurten_initiative_free);
  g_clear_pointer (&self->decision, buurten_decision_free);
  g_clear_pointer (&self->commitment, buurten_commitment_free);
  g_clear_pointer (&self->signatures, g_ptr_array_unref);
  g_clear_pointer (&self->required, g_array_unref);
  g_clear_pointer (&self->mandate, buurten_mandate_result_free);
  g_clear_pointer (&self->agreements, g_ptr_array_unref);
  g_clear_pointer (&self->activities, g_ptr_array_unref);
  g_clear_pointer (&self->budget_lines, g_ptr_array_unref);
  g_clear_object (&self->municipality);
  g_free (self);
}

guint
buurten_dossier_count_side (BuurtenDossier      *self,
                            BuurtenAgreementSide side)
{
  guint n = 0;

  g_return_val_if_fail (self != NULL, 0);

  for (guint i = 0; i < self->agreements->len; i++)
    {
      const BuurtenAgreement *agreement = g_ptr_array_index (self->agreements, i);

      n += agreement->side == side;
    }
  return n;
}
