/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "buurten-entity.h"
#include "buurten-municipality.h"
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

/* The day an application's decision is due: @weeks calendar weeks after
 * @submitted (the municipality's term, buurten_municipality_decision_term_weeks()).
 * FALSE, and @due cleared, when there is no term or it was never submitted. */
gboolean  buurten_initiative_decision_due (const GDate           *submitted,
                                           guint                  weeks,
                                           GDate                 *due);

/* Whether the decision is still to come: not for a decided initiative
 * (toegekend and after, afgewezen, doorverwezen) or an idea. */
gboolean  buurten_initiative_awaits_decision (BuurtenInitiativeState state);

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

/* The running decision term of an initiative on @today: TRUE, with @due
 * (buurten_initiative_decision_due()) and @days_left (calendar days from
 * @today to @due: 0 on the due day itself, negative when that many days
 * late), while the initiative awaits its decision and was submitted and
 * the municipality has a term; FALSE otherwise. The list, the detail, the
 * dashboard and "Needs attention" all ask this one rule. */
gboolean  buurten_initiative_decision_term (BuurtenInitiativeState  state,
                                            const GDate            *submitted,
                                            guint                   weeks,
                                            const GDate            *today,
                                            GDate                  *due,
                                            gint                   *days_left);

/* Whether an initiative asking @amount_cents from the wijk budget needs a
 * buurtdeal: when the amount is above the coordinator's own limit, the
 * highest amount of the wijk budget's bands in @table that the
 * buurtcoordinator signs alone (data, the mandate table). @own_limit_cents,
 * when not NULL, gets that limit (0 when the table has no such band: then
 * every amount needs one). */
gboolean  buurten_buurtdeal_required     (const BuurtenMandateTable *table,
                                          gint64                     amount_cents,
                                          gint64                    *own_limit_cents);

/* The fast path toegekend -> in_uitvoering skips the buurtdeal: allowed
 * only while the approved amount (@approved_cents) is within the
 * coordinator's own limit in @table (buurten_buurtdeal_required()); above
 * it an initiative starts through buurtdeal_getekend. Other moves, or no
 * table: TRUE. Refused with INVALID_STATE, rule buurtdeal.required (args
 * amount_cents, limit_cents). The server checks it; so may the app. */
gboolean  buurten_initiative_check_start (int                        from,
                                          int                        to,
                                          const BuurtenMandateTable *table,
                                          gint64                     approved_cents,
                                          JsonObject               **refusal_args,
                                          GError                   **error);

/* An idea that came in as a request (kind idee, not yet taken on) taken
 * on as the new initiative @id, received at @now (unix seconds): its wijk,
 * title and text, the reporter as organiser (the contact goes to e-mail,
 * phone or address by what it is), linked to the request (the caller sets
 * the request's initiative_id), state idee. NULL with INVALID, rule
 * request.not_an_idea, or INVALID_STATE, rule request.taken_on. */
BuurtenInitiative *buurten_initiative_from_request (const BuurtenRequest  *request,
                                                    const char           *id,
                                                    gint64                now,
                                                    JsonObject          **refusal_args,
                                                    GError              **error);

G_END_DECLS
