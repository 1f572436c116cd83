/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-states"

#include "config.h"

#include "buurten-states.h"

#include <glib/gi18n.h>

#include "buurten-error.h"
#include "buurten-refusal.h"

/* The transition tables. A pair (from, to) is allowed when it is listed;
 * everything else, including staying in the same state, is refused.
 *
 * Request (a question, complaint or report of a resident):
 *   nieuw, heropend   -> in_behandeling, reactie_gevraagd, doorgezet_extern,
 *                        ingepland, afgehandeld, geannuleerd
 *   in_behandeling    -> reactie_gevraagd, doorgezet_extern, ingepland,
 *                        afgehandeld, geannuleerd
 *   reactie_gevraagd  -> in_behandeling, afgehandeld, geannuleerd
 *   doorgezet_extern  -> in_behandeling, ingepland, afgehandeld, geannuleerd
 *   ingepland         -> in_behandeling, afgehandeld, geannuleerd
 *   afgehandeld       -> heropend                          (final)
 *   geannuleerd       -> heropend                          (final)
 * A new request may be answered or cancelled at once ("vandaag een probleem,
 * morgen een oplossing"); reopening goes through heropend so the history
 * shows it. While reactie_gevraagd the answer clock stops
 * (buurten-deadline.h); the partner or the resident hands a forwarded or
 * waiting request back via in_behandeling.
 *
 * Initiative (domain.md, "A typical path"):
 *   idee               -> ingediend, doorverwezen
 *   ingediend          -> getoetst, idee (incomplete: back to the
 *                         initiators), doorverwezen
 *   getoetst           -> toegekend, afgewezen, doorverwezen
 *   toegekend          -> buurtdeal_getekend, in_uitvoering
 *   buurtdeal_getekend -> in_uitvoering
 *   in_uitvoering      -> afgerond
 *   afgewezen, doorverwezen, afgerond                      (final)
 * Rejecting needs a check against the criteria first; referring to other
 * funding may happen as soon as that is obvious. toegekend -> in_uitvoering
 * is the fast path for amounts a buurtcoördinator decides alone; whether a
 * buurtdeal is required is a mandate rule (buurten-mandate.h), not a state
 * rule, so both paths are open here.
 *
 * Escalation:
 *   open        -> opgepakt, teruggelegd
 *   opgepakt    -> opgelost, teruggelegd
 *   teruggelegd -> open
 *   opgelost                                               (final)
 */

typedef struct
{
  guint8 from;
  guint8 to;
} Transition;

typedef struct
{
  const char       *name;
  const char       *label_context;
  guint             n_states;
  const char *const *ids;
  const char *const *labels;
  const Transition *transitions;
  gsize             n_transitions;
  guint32           final_mask;
} Machine;

/* ---- requests ---------------------------------------------------------- */

static const char *const request_ids[] = {
  [BUURTEN_REQUEST_NEW] = "nieuw",
  [BUURTEN_REQUEST_IN_PROGRESS] = "in_behandeling",
  [BUURTEN_REQUEST_AWAITING_RESIDENT] = "reactie_gevraagd",
  [BUURTEN_REQUEST_FORWARDED] = "doorgezet_extern",
  [BUURTEN_REQUEST_SCHEDULED] = "ingepland",
  [BUURTEN_REQUEST_RESOLVED] = "afgehandeld",
  [BUURTEN_REQUEST_CANCELLED] = "geannuleerd",
  [BUURTEN_REQUEST_REOPENED] = "heropend",
};

static const char *const request_labels[] = {
  [BUURTEN_REQUEST_NEW] = NC_("request state", "New"),
  [BUURTEN_REQUEST_IN_PROGRESS] = NC_("request state", "In progress"),
  [BUURTEN_REQUEST_AWAITING_RESIDENT] = NC_("request state", "Awaiting resident"),
  [BUURTEN_REQUEST_FORWARDED] = NC_("request state", "Forwarded externally"),
  [BUURTEN_REQUEST_SCHEDULED] = NC_("request state", "Scheduled"),
  [BUURTEN_REQUEST_RESOLVED] = NC_("request state", "Resolved"),
  [BUURTEN_REQUEST_CANCELLED] = NC_("request state", "Cancelled"),
  [BUURTEN_REQUEST_REOPENED] = NC_("request state", "Reopened"),
};

#define R(x) BUURTEN_REQUEST_##x
static const Transition request_transitions[] = {
  { R (NEW), R (IN_PROGRESS) },
  { R (NEW), R (AWAITING_RESIDENT) },
  { R (NEW), R (FORWARDED) },
  { R (NEW), R (SCHEDULED) },
  { R (NEW), R (RESOLVED) },
  { R (NEW), R (CANCELLED) },

  { R (IN_PROGRESS), R (AWAITING_RESIDENT) },
  { R (IN_PROGRESS), R (FORWARDED) },
  { R (IN_PROGRESS), R (SCHEDULED) },
  { R (IN_PROGRESS), R (RESOLVED) },
  { R (IN_PROGRESS), R (CANCELLED) },

  { R (AWAITING_RESIDENT), R (IN_PROGRESS) },
  { R (AWAITING_RESIDENT), R (RESOLVED) },
  { R (AWAITING_RESIDENT), R (CANCELLED) },

  { R (FORWARDED), R (IN_PROGRESS) },
  { R (FORWARDED), R (SCHEDULED) },
  { R (FORWARDED), R (RESOLVED) },
  { R (FORWARDED), R (CANCELLED) },

  { R (SCHEDULED), R (IN_PROGRESS) },
  { R (SCHEDULED), R (RESOLVED) },
  { R (SCHEDULED), R (CANCELLED) },

  { R (RESOLVED), R (REOPENED) },
  { R (CANCELLED), R (REOPENED) },

  { R (REOPENED), R (IN_PROGRESS) },
  { R (REOPENED), R (AWAITING_RESIDENT) },
  { R (REOPENED), R (FORWARDED) },
  { R (REOPENED), R (SCHEDULED) },
  { R (REOPENED), R (RESOLVED) },
  { R (REOPENED), R (CANCELLED) },
};
#undef R

/* ---- initiatives ------------------------------------------------------- */

static const char *const initiative_ids[] = {
  [BUURTEN_INITIATIVE_IDEA] = "idee",
  [BUURTEN_INITIATIVE_SUBMITTED] = "ingediend",
  [BUURTEN_INITIATIVE_CHECKED] = "getoetst",
  [BUURTEN_INITIATIVE_GRANTED] = "toegekend",
  [BUURTEN_INITIATIVE_REJECTED] = "afgewezen",
  [BUURTEN_INITIATIVE_REFERRED] = "doorverwezen",
  [BUURTEN_INITIATIVE_DEAL_SIGNED] = "buurtdeal_getekend",
  [BUURTEN_INITIATIVE_IN_PROGRESS] = "in_uitvoering",
  [BUURTEN_INITIATIVE_DONE] = "afgerond",
};

static const char *const initiative_labels[] = {
  [BUURTEN_INITIATIVE_IDEA] = NC_("initiative state", "Idea"),
  [BUURTEN_INITIATIVE_SUBMITTED] = NC_("initiative state", "Submitted"),
  [BUURTEN_INITIATIVE_CHECKED] = NC_("initiative state", "Checked"),
  [BUURTEN_INITIATIVE_GRANTED] = NC_("initiative state", "Granted"),
  [BUURTEN_INITIATIVE_REJECTED] = NC_("initiative state", "Rejected"),
  [BUURTEN_INITIATIVE_REFERRED] = NC_("initiative state", "Referred"),
  [BUURTEN_INITIATIVE_DEAL_SIGNED] = NC_("initiative state", "Buurtdeal signed"),
  [BUURTEN_INITIATIVE_IN_PROGRESS] = NC_("initiative state", "In progress"),
  [BUURTEN_INITIATIVE_DONE] = NC_("initiative state", "Done and accounted for"),
};

#define I(x) BUURTEN_INITIATIVE_##x
static const Transition initiative_transitions[] = {
  { I (IDEA), I (SUBMITTED) },
  { I (IDEA), I (REFERRED) },

  { I (SUBMITTED), I (CHECKED) },
  { I (SUBMITTED), I (IDEA) },
  { I (SUBMITTED), I (REFERRED) },

  { I (CHECKED), I (GRANTED) },
  { I (CHECKED), I (REJECTED) },
  { I (CHECKED), I (REFERRED) },

  { I (GRANTED), I (DEAL_SIGNED) },
  { I (GRANTED), I (IN_PROGRESS) },

  { I (DEAL_SIGNED), I (IN_PROGRESS) },

  { I (IN_PROGRESS), I (DONE) },
};
#undef I

/* ---- escalations ------------------------------------------------------- */

static const char *const escalation_ids[] = {
  [BUURTEN_ESCALATION_OPEN] = "open",
  [BUURTEN_ESCALATION_TAKEN] = "opgepakt",
  [BUURTEN_ESCALATION_SOLVED] = "opgelost",
  [BUURTEN_ESCALATION_RETURNED] = "teruggelegd",
};

static const char *const escalation_labels[] = {
  [BUURTEN_ESCALATION_OPEN] = NC_("escalation state", "Open"),
  [BUURTEN_ESCALATION_TAKEN] = NC_("escalation state", "Taken up"),
  [BUURTEN_ESCALATION_SOLVED] = NC_("escalation state", "Solved"),
  [BUURTEN_ESCALATION_RETURNED] = NC_("escalation state", "Returned"),
};

#define E(x) BUURTEN_ESCALATION_##x
static const Transition escalation_transitions[] = {
  { E (OPEN), E (TAKEN) },
  { E (OPEN), E (RETURNED) },

  { E (TAKEN), E (SOLVED) },
  { E (TAKEN), E (RETURNED) },

  { E (RETURNED), E (OPEN) },
};
#undef E

/* ---- the machines ------------------------------------------------------ */

#define BIT(state) (1u << (state))

/* Indexed by BuurtenMachine. The label context is the msgctxt of the
 * labels, so that "In progress" can be "In behandeling" for a request and
 * "In uitvoering" for an initiative. */
static const Machine machines[] = {
  [BUURTEN_MACHINE_REQUEST] = {
    "request", "request state",
    BUURTEN_REQUEST_N_STATES, request_ids, request_labels,
    request_transitions, G_N_ELEMENTS (request_transitions),
    BIT (BUURTEN_REQUEST_RESOLVED) | BIT (BUURTEN_REQUEST_CANCELLED),
  },
  [BUURTEN_MACHINE_INITIATIVE] = {
    "initiative", "initiative state",
    BUURTEN_INITIATIVE_N_STATES, initiative_ids, initiative_labels,
    initiative_transitions, G_N_ELEMENTS (initiative_transitions),
    BIT (BUURTEN_INITIATIVE_REJECTED) | BIT (BUURTEN_INITIATIVE_REFERRED)
      | BIT (BUURTEN_INITIATIVE_DONE),
  },
  [BUURTEN_MACHINE_ESCALATION] = {
    "escalation", "escalation state",
    BUURTEN_ESCALATION_N_STATES, escalation_ids, escalation_labels,
    escalation_transitions, G_N_ELEMENTS (escalation_transitions),
    BIT (BUURTEN_ESCALATION_SOLVED),
  },
};

#undef BIT

G_STATIC_ASSERT (G_N_ELEMENTS (request_ids) == BUURTEN_REQUEST_N_STATES);
G_STATIC_ASSERT (G_N_ELEMENTS (request_labels) == BUURTEN_REQUEST_N_STATES);
G_STATIC_ASSERT (G_N_ELEMENTS (initiative_ids) == BUURTEN_INITIATIVE_N_STATES);
G_STATIC_ASSERT (G_N_ELEMENTS (initiative_labels) == BUURTEN_INITIATIVE_N_STATES);
G_STATIC_ASSERT (G_N_ELEMENTS (escalation_ids) == BUURTEN_ESCALATION_N_STATES);
G_STATIC_ASSERT (G_N_ELEMENTS (escalation_labels) == BUURTEN_ESCALATION_N_STATES);
G_STATIC_ASSERT (G_N_ELEMENTS (machines) == BUURTEN_MACHINE_ESCALATION + 1);

static const Machine *
get_machine (BuurtenMachine machine)
{
  if ((guint) machine >= G_N_ELEMENTS (machines))
    return NULL;

  return &machines[machine];
}

static gboolean
state_in_range (const Machine *m,
                int            state)
{
  return state >= 0 && (guint) state < m->n_states;
}

guint
buurten_machine_n_states (BuurtenMachine machine)
{
  const Machine *m = get_machine (machine);

  g_return_val_if_fail (m != NULL, 0);

  return m->n_states;
}

const char *
buurten_machine_name (BuurtenMachine machine)
{
  const Machine *m = get_machine (machine);

  g_return_val_if_fail (m != NULL, NULL);

  return m->name;
}

const char *
buurten_state_id (BuurtenMachine machine,
                  int            state)
{
  const Machine *m = get_machine (machine);

  g_return_val_if_fail (m != NULL, NULL);

  /* A state out of range may come from stored data: no critical. */
  if (!state_in_range (m, state))
    return NULL;

  return m->ids[state];
}

const char *
buurten_state_label (BuurtenMachine machine,
                     int            state)
{
  const Machine *m = get_machine (machine);

  g_return_val_if_fail (m != NULL, NULL);

  if (!state_in_range (m, state))
    return NULL;

  return g_dpgettext2 (NULL, m->label_context, m->labels[state]);
}

gboolean
buurten_state_from_id (BuurtenMachine machine,
                       const char    *id,
                       int           *out_state)
{
  const Machine *m = get_machine (machine);

  g_return_val_if_fail (m != NULL, FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  for (guint i = 0; i < m->n_states; i++)
    {
      if (g_str_equal (m->ids[i], id))
        {
          if (out_state != NULL)
            *out_state = (int) i;
          return TRUE;
        }
    }

  return FALSE;
}

gboolean
buurten_state_can_transition (BuurtenMachine machine,
                              int            from,
                              int            to)
{
  const Machine *m = get_machine (machine);

  g_return_val_if_fail (m != NULL, FALSE);

  if (!state_in_range (m, from) || !state_in_range (m, to))
    return FALSE;

  for (gsize i = 0; i < m->n_transitions; i++)
    {
      if (m->transitions[i].from == from && m->transitions[i].to == to)
        return TRUE;
    }

  return FALSE;
}

gboolean
buurten_state_check_transition (BuurtenMachine machine,
                                int            from,
                                int            to,
                                GError       **error)
{
  const Machine *m = get_machine (machine);

  g_return_val_if_fail (m != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!state_in_range (m, from) || !state_in_range (m, to))
    {
      g_set_error_literal (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID_STATE,
                           _("Unknown status"));
      return FALSE;
    }

  if (from == to)
    {
      g_set_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID_STATE,
                   _("The status is already “%s”"),
                   buurten_state_label (machine, from));
      return FALSE;
    }

  if (!buurten_state_can_transition (machine, from, to))
    {
      g_set_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID_STATE,
                   /* Translators: both are status labels, e.g. “Resolved”. */
                   _("Cannot go from “%s” to “%s”"),
                   buurten_state_label (machine, from),
                   buurten_state_label (machine, to));
      return FALSE;
    }

  return TRUE;
}

gboolean
buurten_state_is_final (BuurtenMachine machine,
                        int            state)
{
  const Machine *m = get_machine (machine);

  g_return_val_if_fail (m != NULL, FALSE);

  if (!state_in_range (m, state))
    return FALSE;

  return (m->final_mask & (1u << state)) != 0;
}

GArray *
buurten_state_path (BuurtenMachine machine,
                    int            from,
                    int            to)
{
  guint n = buurten_machine_n_states (machine);
  g_autofree int *previous = NULL;
  g_autoptr(GArray) queue = NULL;
  GArray *path;

  if (from < 0 || to < 0 || (guint) from >= n || (guint) to >= n)
    return NULL;

  previous = g_new (int, n);
  for (guint i = 0; i < n; i++)
    previous[i] = -2;
  previous[from] = -1;
  queue = g_array_new (FALSE, FALSE, sizeof (int));
  g_array_append_val (queue, from);

  /* Breadth first: the first path found is a shortest one. */
  for (guint head = 0; head < queue->len && previous[to] == -2; head++)
    {
      int state = g_array_index (queue, int, head);

      for (guint next = 0; next < n; next++)
        if (previous[next] == -2 && buurten_state_can_transition (machine, state, (int) next))
          {
            previous[next] = state;
            g_array_append_val (queue, next);
          }
    }

  if (previous[to] == -2)
    return NULL;

  path = g_array_new (FALSE, FALSE, sizeof (int));
  for (int state = to; state != -1; state = previous[state])
    g_array_prepend_val (path, state);
  return path;
}

gboolean
buurten_initiative_may_be_granted (int state)
{
  switch (state)
    {
    case BUURTEN_INITIATIVE_REJECTED:
    case BUURTEN_INITIATIVE_REFERRED:
    case BUURTEN_INITIATIVE_DONE:
      return FALSE;
    default:
      return state >= 0 && state < BUURTEN_INITIATIVE_N_STATES;
    }
}

gboolean
buurten_initiative_is_granted (int state)
{
  switch (state)
    {
    case BUURTEN_INITIATIVE_GRANTED:
    case BUURTEN_INITIATIVE_DEAL_SIGNED:
    case BUURTEN_INITIATIVE_IN_PROGRESS:
    case BUURTEN_INITIATIVE_DONE:
      return TRUE;
    default:
      return FALSE;
    }
}

gboolean
buurten_initiative_check_transition (int          from,
                                     int          to,
                                     gboolean     has_approved,
                                     JsonObject **refusal_args,
                                     GError     **error)
{
  JsonObject *args;

  if (!buurten_state_can_transition (BUURTEN_MACHINE_INITIATIVE, from, to))
    {
      args = buurten_refusal_args_new ("state.transition");
      json_object_set_string_member (args, "machine",
                                     buurten_machine_name (BUURTEN_MACHINE_INITIATIVE));
      json_object_set_string_member (args, "from",
                                     buurten_state_id (BUURTEN_MACHINE_INITIATIVE, from) ?: "");
      json_object_set_string_member (args, "to",
                                     buurten_state_id (BUURTEN_MACHINE_INITIATIVE, to) ?: "");
      return buurten_refusal_set (error, refusal_args, BUURTEN_CORE_ERROR_INVALID_STATE, args);
    }

  if (to == BUURTEN_INITIATIVE_GRANTED ||
      (buurten_initiative_is_granted (to) && !has_approved))
    {
      args = buurten_refusal_args_new (to == BUURTEN_INITIATIVE_GRANTED
                                         ? "initiative.grant_by_signature"
                                         : "initiative.not_approved");
      json_object_set_string_member (args, "to",
                                     buurten_state_id (BUURTEN_MACHINE_INITIATIVE, to));
      return buurten_refusal_set (error, refusal_args, BUURTEN_CORE_ERROR_INVALID_STATE, args);
    }

  return TRUE;
}
