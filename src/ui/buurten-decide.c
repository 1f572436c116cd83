/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-decide"

#include "config.h"

#include "buurten-decide.h"

#include <string.h>

#include <glib/gi18n.h>

BuurtenMandateResult *
buurten_decide_evaluate (BuurtenMunicipality     *municipality,
                         BuurtenLedger           *ledger,
                         const BuurtenCommitment *commitment,
                         GPtrArray               *initiative_commitments,
                         BuurtenMandateInput     *out_input,
                         GError                 **error)
{
  return buurten_commitment_mandate (municipality, ledger, commitment, initiative_commitments,
                                     out_input, error);
}

GArray *
buurten_decide_required_roles (const BuurtenCommitment    *commitment,
                               const BuurtenMandateResult *mandate)
{
  return buurten_commitment_required_roles (commitment, mandate);
}

BuurtenSigning *
buurten_decide_signing (BuurtenContext         *context,
                        GArray                 *required,
                        BuurtenCommitmentState  state,
                        int                     initiative_state,
                        const char             *wijk,
                        GPtrArray              *signatures)
{
  const char *user = NULL;
  BuurtenSigning *signing;

  g_return_val_if_fail (BUURTEN_IS_CONTEXT (context), NULL);

  if (buurten_context_has_identity (context))
    user = buurten_context_get_user_name (context);

  signing = buurten_authority_signing (required, state, initiative_state, wijk, signatures,
                                       user, buurten_context_get_grants (context));
  if (!signing->may_sign)
    {
      g_free (signing->why_not);
      signing->why_not = buurten_refusal_describe (signing->refusal, signing->refusal_args,
                                                   buurten_context_get_municipality (context));
    }

  return signing;
}

gboolean
buurten_decide_may_commit (BuurtenContext  *context,
                           const char      *wijk,
                           int              initiative_state,
                           char           **why_not)
{
  g_autoptr(JsonObject) args = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (BUURTEN_IS_CONTEXT (context), FALSE);

  if (buurten_authority_may_commit (buurten_context_get_grants (context), wijk,
                                    initiative_state, &args, &error))
    return TRUE;

  if (why_not != NULL)
    *why_not = buurten_refusal_describe ((BuurtenCoreError) error->code, args,
                                         buurten_context_get_municipality (context));
  return FALSE;
}

char *
buurten_decide_format_signers (BuurtenMunicipality *municipality,
                               const char          *signers)
{
  g_auto(GStrv) parts = g_strsplit (signers != NULL ? signers : "", ",", -1);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *colon = strrchr (parts[i], ':');
      g_autofree char *user = NULL;
      int role = -1;

      if (parts[i][0] == '\0')
        continue;
      if (colon != NULL)
        {
          user = g_strndup (parts[i], colon - parts[i]);
          role = buurten_enum_from_id (buurten_role_ids, colon + 1);
        }
      else
        user = g_strdup (parts[i]);

      if (text->len > 0)
        g_string_append (text, ", ");
      if (role >= 0)
        /* Translators: who signed a decision, e.g. "Anna de Vries (Wijkwethouder)" */
        g_string_append_printf (text, _("%s (%s)"), user,
                                buurten_municipality_role_name (municipality,
                                                                (BuurtenRole) role));
      else
        g_string_append (text, user);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}
