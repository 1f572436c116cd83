/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The three lifecycles of the domain, each a transition table in
 * buurten-states.c. A state's id (buurten_state_id()) is what JSON, the
 * store and the server use; its label (buurten_state_label()) is the
 * translated text people see. */

typedef enum
{
  BUURTEN_MACHINE_REQUEST,
  BUURTEN_MACHINE_INITIATIVE,
  BUURTEN_MACHINE_ESCALATION,
} BuurtenMachine;

typedef enum
{
  BUURTEN_REQUEST_NEW,              /* "nieuw" */
  BUURTEN_REQUEST_IN_PROGRESS,      /* "in_behandeling" */
  BUURTEN_REQUEST_AWAITING_RESIDENT,/* "reactie_gevraagd": the answer clock stops */
  BUURTEN_REQUEST_FORWARDED,        /* "doorgezet_extern" */
  BUURTEN_REQUEST_SCHEDULED,        /* "ingepland" */
  BUURTEN_REQUEST_RESOLVED,         /* "afgehandeld" */
  BUURTEN_REQUEST_CANCELLED,        /* "geannuleerd" */
  BUURTEN_REQUEST_REOPENED,         /* "heropend" */
  BUURTEN_REQUEST_N_STATES
} BuurtenRequestState;

typedef enum
{
  BUURTEN_INITIATIVE_IDEA,          /* "idee" */
  BUURTEN_INITIATIVE_SUBMITTED,     /* "ingediend" */
  BUURTEN_INITIATIVE_CHECKED,       /* "getoetst" */
  BUURTEN_INITIATIVE_GRANTED,       /* "toegekend" */
  BUURTEN_INITIATIVE_REJECTED,      /* "afgewezen" */
  BUURTEN_INITIATIVE_REFERRED,      /* "doorverwezen" */
  BUURTEN_INITIATIVE_DEAL_SIGNED,   /* "buurtdeal_getekend" */
  BUURTEN_INITIATIVE_IN_PROGRESS,   /* "in_uitvoering" */
  BUURTEN_INITIATIVE_DONE,          /* "afgerond": done and accounted for */
  BUURTEN_INITIATIVE_N_STATES
} BuurtenInitiativeState;

typedef enum
{
  BUURTEN_ESCALATION_OPEN,          /* "open" */
  BUURTEN_ESCALATION_TAKEN,         /* "opgepakt" */
  BUURTEN_ESCALATION_SOLVED,        /* "opgelost" */
  BUURTEN_ESCALATION_RETURNED,      /* "teruggelegd" */
  BUURTEN_ESCALATION_N_STATES
} BuurtenEscalationState;

guint        buurten_machine_n_states         (BuurtenMachine machine);
const char  *buurten_machine_name             (BuurtenMachine machine);

/* NULL for a state out of range. */
const char  *buurten_state_id                 (BuurtenMachine machine,
                                               int            state);
const char  *buurten_state_label              (BuurtenMachine machine,
                                               int            state);
gboolean     buurten_state_from_id            (BuurtenMachine machine,
                                               const char    *id,
                                               int           *out_state);

gboolean     buurten_state_can_transition     (BuurtenMachine machine,
                                               int            from,
                                               int            to);
/* BUURTEN_CORE_ERROR_INVALID_STATE naming both states when not allowed. */
gboolean     buurten_state_check_transition   (BuurtenMachine machine,
                                               int            from,
                                               int            to,
                                               GError       **error);
/* A state nothing leaves except by reopening (resolved, cancelled, ...). */
gboolean     buurten_state_is_final           (BuurtenMachine machine,
                                               int            state);

/* The shortest path of states from `from` to `to` (both included: from is
 * element 0), every step allowed by the machine; NULL when to cannot be
 * reached. The app uses it to take an initiative through the states an
 * action skips ("idee" -> "ingediend" -> "getoetst"). */
GArray      *buurten_state_path               (BuurtenMachine machine,
                                               int            from,
                                               int            to);

/* Whether money may still be committed to an initiative in this state:
 * not once it is rejected, referred or done. */
gboolean     buurten_initiative_may_be_granted (int state);
/* toegekend and the states after it (buurtdeal_getekend, in_uitvoering,
 * afgerond): reached only through approved commitments. The last
 * signature on a commitment moves an initiative before toegekend there;
 * initiative.transition never enters toegekend, and enters the others
 * only when the initiative has approved money. */
gboolean     buurten_initiative_is_granted    (int state);
/* Whether a transition of an initiative may be made by initiative.transition
 * (not by a signature): BUURTEN_CORE_ERROR_INVALID_STATE with the
 * refusal's args (buurten-refusal.h) in *refusal_args when not:
 * the machine's table, toegekend only through signatures, the states
 * after it only with approved money (has_approved). */
gboolean     buurten_initiative_check_transition (int          from,
                                                  int          to,
                                                  gboolean     has_approved,
                                                  JsonObject **refusal_args,
                                                  GError     **error);

G_END_DECLS
