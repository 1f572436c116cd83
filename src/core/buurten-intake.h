/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "buurten-entity.h"
#include "buurten-states.h"

G_BEGIN_DECLS

/* The rules of an initiative's intake, for the app and the server alike. */

typedef struct
{
  gint64 costs_cents;        /* the cost lines */
  gint64 covered_cents;      /* income and own contribution */
  gint64 asked_cents;        /* costs less covered, never below zero */
} BuurtenBudgetBalance;

/* The balance of an initiative's budget lines (BuurtenBudgetLine *): what
 * it asks of the municipality. Sums stop at BUURTEN_MONEY_MAX_CENTS. */
void      buurten_budget_balance         (GPtrArray              *lines,
                                          BuurtenBudgetBalance   *out);

/* Whether the plan's budget may still change: until the decision, and
 * after a refusal of the intake (back to idee); not once money is granted. */
gboolean  buurten_initiative_budget_open (BuurtenInitiativeState  state);

/* A buurtdeal is signed (the initiative may become buurtdeal_getekend) when
 * it holds at least one agreement of each side and the organiser's
 * signature is recorded; otherwise INVALID_STATE, rule buurtdeal.incomplete,
 * args "missing": the parts still missing ("residents", "municipality",
 * "organiser", comma-separated). */
gboolean  buurten_buurtdeal_check        (guint                   n_residents,
                                          guint                   n_municipality,
                                          gboolean                organiser_signed,
                                          JsonObject            **refusal_args,
                                          GError                **error);

G_END_DECLS
