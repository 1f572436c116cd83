/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-names"

#include "config.h"

#include "buurten-names.h"

#include <glib/gi18n.h>

#include "buurten-money.h"

char *
buurten_format_percent (int permille)
{
  /* Round half away from zero, as buurten_money_permille does. */
  int percent = permille >= 0 ? (permille + 5) / 10 : -((-permille + 5) / 10);

  /* Translators: a whole percentage, e.g. "38%"; write "%d %%" when your
   * language puts a space before the percent sign. */
  return g_strdup_printf (_("%d%%"), percent);
}

int
buurten_thermometer_committed_permille (const BuurtenThermometer *thermometer)
{
  gint64 committed = 0;

  g_return_val_if_fail (thermometer != NULL, 0);

  if (!buurten_money_add (thermometer->approved_cents, thermometer->pending_cents, &committed))
    committed = BUURTEN_MONEY_MAX_CENTS;

  return buurten_money_permille (committed, thermometer->budget_cents);
}

char *
buurten_format_days (gint64 days)
{
  int n = (int) CLAMP (days, -G_MAXINT, G_MAXINT);

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day", "%d days",
                                       (gulong) ABS (n)),
                          n);
}

const char *
buurten_format_escalation_level (BuurtenEscalationLevel level)
{
  switch (level)
    {
    case BUURTEN_LEVEL_OPERATIONAL:     return _("Wijkteam");
    case BUURTEN_LEVEL_STURINGSOVERLEG: return _("Sturingsoverleg");
    case BUURTEN_LEVEL_PROFESSIONAL:    return _("Professionals");
    case BUURTEN_LEVEL_BESTUURLIJK:     return _("Administrative (wijkwethouder)");
    case BUURTEN_LEVEL_COLLEGE:         return _("College");
    case BUURTEN_LEVEL_BUDGET:          return _("Budget (teammanager)");
    default:                            return "";
    }
}

const char *
buurten_format_escalation_target (BuurtenMunicipality *municipality,
                                  const char          *target)
{
  int role;

  if (target == NULL)
    return "";
  role = buurten_enum_from_id (buurten_role_ids, target);
  if (role < 0)
    return target;
  return buurten_municipality_role_name (municipality, (BuurtenRole) role);
}

const char *
buurten_format_funding (BuurtenFunding funding)
{
  switch (funding)
    {
    case BUURTEN_FUNDING_WIJKBUDGET:  return _("Wijkbudget");
    case BUURTEN_FUNDING_HANDGELD:    return _("Handgeld");
    case BUURTEN_FUNDING_WIJKKANSEN:  return _("Wijkkansen");
    case BUURTEN_FUNDING_INVESTERING: return _("Investment project");
    default:                          return "";
    }
}

const char *
buurten_format_instrument (const char *instrument)
{
  if (g_strcmp0 (instrument, "commitment") == 0)
    return _("Commitment");
  if (g_strcmp0 (instrument, "buurtdeal_subsidiebeschikking") == 0)
    return _("Buurtdeal and subsidiebeschikking");
  if (g_strcmp0 (instrument, "subsidiebeschikking") == 0)
    return _("Subsidiebeschikking");
  return instrument != NULL ? instrument : "";
}

char *
buurten_format_roles (BuurtenMunicipality *municipality,
                      GArray              *roles)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; roles != NULL && i < roles->len; i++)
    {
      if (i > 0)
        g_string_append (text, ", ");
      g_string_append (text,
                       buurten_municipality_role_name (municipality,
                                                       g_array_index (roles, BuurtenRole, i)));
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}
