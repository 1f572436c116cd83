/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "buurten-ledger.h"
#include "buurten-municipality.h"

G_BEGIN_DECLS

/* Names and small figures as people read them, in the user's language,
 * shared by the app's widgets and the documents of src/exchange/ (which
 * know no GTK). Built from translatable format strings so that every
 * language words them its own way; the char * ones are newly allocated. */

/* A share in tenths of a percent as a whole percentage: "38%", "38 %". */
char       *buurten_format_percent                 (int                       permille);
/* The share of the budget that is committed (approved + pending), in
 * tenths of a percent; 0 when the budget is 0. */
int         buurten_thermometer_committed_permille (const BuurtenThermometer *thermometer);
/* "3 days", "1 day" */
char       *buurten_format_days                    (gint64                    days);

/* Translated names of enumerations. */
const char *buurten_format_escalation_level        (BuurtenEscalationLevel    level);
/* Whom an escalation goes to, as people read it: a role id (the server
 * names the teammanager samenleving so for a budget escalation) becomes
 * the municipality's name of the role; any other text stays. */
const char *buurten_format_escalation_target       (BuurtenMunicipality      *municipality,
                                                    const char               *target);
const char *buurten_format_funding                 (BuurtenFunding            funding);
/* An instrument id of the mandate table; unknown ids unchanged. */
const char *buurten_format_instrument              (const char               *instrument);
/* The roles' names as the municipality names them, comma-separated
 * ("Buurtcoördinator, Wijkwethouder"); roles is a GArray of BuurtenRole. */
char       *buurten_format_roles                   (BuurtenMunicipality      *municipality,
                                                    GArray                   *roles);

G_END_DECLS
