/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "buurten-error.h"
#include "buurten-states.h"

/* The expected tables, written out independently of buurten-states.c: row
 * is the state a transition starts in, column the state it goes to, in enum
 * order; 'x' allowed, '.' refused. */

typedef struct
{
  BuurtenMachine     machine;
  const char        *name;
  guint              n_states;
  const char *const *ids;
  const char *const *labels;
  const char *const *table;
  const char        *finals;   /* one char per state: 'F' final */
} Expected;

static const char *const request_ids[] = {
  "nieuw", "in_behandeling", "reactie_gevraagd", "doorgezet_extern",
  "ingepland", "afgehandeld", "geannuleerd", "heropend",
};
static const char *const request_labels[] = {
  "New", "In progress", "Awaiting resident", "Forwarded externally",
  "Scheduled", "Resolved", "Cancelled", "Reopened",
};
static const char *const request_table[] = {
  /*                  nieuw
   *                  |in_behandeling
   *                  ||reactie_gevraagd
   *                  |||doorgezet_extern
   *                  ||||ingepland
   *                  |||||afgehandeld
   *                  ||||||geannuleerd
   *                  |||||||heropend */
  /* nieuw          */ ".xxxxxx.",
  /* in_behandeling */ "..xxxxx.",
  /* reactie_gevr.  */ ".x...xx.",
  /* doorgezet      */ ".x..xxx.",
  /* ingepland      */ ".x...xx.",
  /* afgehandeld    */ ".......x",
  /* geannuleerd    */ ".......x",
  /* heropend       */ ".xxxxxx.",
};

static const char *const initiative_ids[] = {
  "idee", "ingediend", "getoetst", "toegekend", "afgewezen", "doorverwezen",
  "buurtdeal_getekend", "in_uitvoering", "afgerond",
};
static const char *const initiative_labels[] = {
  "Idea", "Submitted", "Checked", "Granted", "Rejected", "Referred",
  "Buurtdeal signed", "In progress", "Done and accounted for",
};
static const char *const initiative_table[] = {
  /*                  idee
   *                  |ingediend
   *                  ||getoetst
   *                  |||toegekend
   *                  ||||afgewezen
   *                  |||||doorverwezen
   *                  ||||||buurtdeal_getekend
   *                  |||||||in_uitvoering
   *                  ||||||||afgerond */
  /* idee           */ ".x...x...",
  /* ingediend      */ "x.x..x...",
  /* getoetst       */ "...xxx...",
  /* toegekend      */ "......xx.",
  /* afgewezen      */ ".........",
  /* doorverwezen   */ ".........",
  /* buurtdeal      */ ".......x.",
  /* in_uitvoering  */ "........x",
  /* afgerond       */ ".........",
};

static const char *const escalation_ids[] = {
  "open", "opgepakt", "opgelost", "teruggelegd",
};
static const char *const escalation_labels[] = {
  "Open", "Taken up", "Solved", "Returned",
};
static const char *const escalation_table[] = {
  /*                  open
   *                  |opgepakt
   *                  ||opgelost
   *                  |||teruggelegd */
  /* open           */ ".x.x",
  /* opgepakt       */ "..xx",
  /* opgelost       */ "....",
  /* teruggelegd    */ "x...",
};

static const Expected expected[] = {
  { BUURTEN_MACHINE_REQUEST, "request", BUURTEN_REQUEST_N_STATES,
    request_ids, request_labels, request_table, ".....FF." },
  { BUURTEN_MACHINE_INITIATIVE, "initiative", BUURTEN_INITIATIVE_N_STATES,
    initiative_ids, initiative_labels, initiative_table, "....FF..F" },
  { BUURTEN_MACHINE_ESCALATION, "escalation", BUURTEN_ESCALATION_N_STATES,
    escalation_ids, escalation_labels, escalation_table, "..F." },
};

static void
test_tables_complete (void)
{
  /* The expected tables themselves must be square and cover every state,
   * or the loops below would silently check too little. */
  g_assert_cmpuint (G_N_ELEMENTS (request_ids), ==, BUURTEN_REQUEST_N_STATES);
  g_assert_cmpuint (G_N_ELEMENTS (request_labels), ==, BUURTEN_REQUEST_N_STATES);
  g_assert_cmpuint (G_N_ELEMENTS (request_table), ==, BUURTEN_REQUEST_N_STATES);
  g_assert_cmpuint (G_N_ELEMENTS (initiative_ids), ==, BUURTEN_INITIATIVE_N_STATES);
  g_assert_cmpuint (G_N_ELEMENTS (initiative_labels), ==, BUURTEN_INITIATIVE_N_STATES);
  g_assert_cmpuint (G_N_ELEMENTS (initiative_table), ==, BUURTEN_INITIATIVE_N_STATES);
  g_assert_cmpuint (G_N_ELEMENTS (escalation_ids), ==, BUURTEN_ESCALATION_N_STATES);
  g_assert_cmpuint (G_N_ELEMENTS (escalation_labels), ==, BUURTEN_ESCALATION_N_STATES);
  g_assert_cmpuint (G_N_ELEMENTS (escalation_table), ==, BUURTEN_ESCALATION_N_STATES);

  for (gsize m = 0; m < G_N_ELEMENTS (expected); m++)
    {
      const Expected *e = &expected[m];

      g_assert_cmpuint (strlen (e->finals), ==, e->n_states);
      for (guint i = 0; i < e->n_states; i++)
        g_assert_cmpuint (strlen (e->table[i]), ==, e->n_states);
    }
}

static void
test_machines (void)
{
  for (gsize m = 0; m < G_N_ELEMENTS (expected); m++)
    {
      const Expected *e = &expected[m];

      g_assert_cmpuint (buurten_machine_n_states (e->machine), ==, e->n_states);
      g_assert_cmpstr (buurten_machine_name (e->machine), ==, e->name);
    }
}

static void
test_ids_and_labels (void)
{
  for (gsize m = 0; m < G_N_ELEMENTS (expected); m++)
    {
      const Expected *e = &expected[m];

      for (guint s = 0; s < e->n_states; s++)
        {
          int back = -1;

          g_assert_cmpstr (buurten_state_id (e->machine, (int) s), ==, e->ids[s]);
          g_assert_cmpstr (buurten_state_label (e->machine, (int) s), ==, e->labels[s]);

          /* Round trip. */
          g_assert_true (buurten_state_from_id (e->machine, e->ids[s], &back));
          g_assert_cmpint (back, ==, (int) s);
        }

      /* Out of range: NULL, and no critical (stored data may be bad). */
      g_assert_null (buurten_state_id (e->machine, -1));
      g_assert_null (buurten_state_id (e->machine, (int) e->n_states));
      g_assert_null (buurten_state_label (e->machine, -1));
      g_assert_null (buurten_state_label (e->machine, (int) e->n_states));
      g_assert_null (buurten_state_label (e->machine, G_MAXINT));
      g_assert_null (buurten_state_label (e->machine, G_MININT));
    }
}

static void
test_from_id_unknown (void)
{
  static const char *const unknown[] = {
    "", "NIEUW", "nieuw ", " nieuw", "new", "New", "in behandeling", "afgerond\n",
    "idee", "open",
  };
  int state = 42;

  /* Ids of one machine are unknown to another. */
  for (gsize i = 0; i < G_N_ELEMENTS (unknown); i++)
    g_assert_false (buurten_state_from_id (BUURTEN_MACHINE_REQUEST, unknown[i], &state));
  g_assert_cmpint (state, ==, 42);

  g_assert_false (buurten_state_from_id (BUURTEN_MACHINE_INITIATIVE, "nieuw", &state));
  g_assert_false (buurten_state_from_id (BUURTEN_MACHINE_ESCALATION, "idee", &state));
  g_assert_cmpint (state, ==, 42);

  /* Shared ids belong to their own machine only. */
  g_assert_true (buurten_state_from_id (BUURTEN_MACHINE_ESCALATION, "open", &state));
  g_assert_cmpint (state, ==, BUURTEN_ESCALATION_OPEN);

  /* The output is optional. */
  g_assert_true (buurten_state_from_id (BUURTEN_MACHINE_REQUEST, "heropend", NULL));
  g_assert_false (buurten_state_from_id (BUURTEN_MACHINE_REQUEST, "weg", NULL));
}

static void
test_transitions (void)
{
  for (gsize m = 0; m < G_N_ELEMENTS (expected); m++)
    {
      const Expected *e = &expected[m];

      for (int from = -1; from <= (int) e->n_states; from++)
        {
          for (int to = -1; to <= (int) e->n_states; to++)
            {
              gboolean in_range = from >= 0 && to >= 0
                                  && from < (int) e->n_states && to < (int) e->n_states;
              gboolean allowed = in_range && e->table[from][to] == 'x';
              g_autoptr(GError) error = NULL;

              g_test_message ("%s: %d -> %d", e->name, from, to);
              g_assert_cmpint (buurten_state_can_transition (e->machine, from, to), ==, allowed);
              g_assert_cmpint (buurten_state_check_transition (e->machine, from, to, &error),
                               ==, allowed);
              if (allowed)
                {
                  g_assert_no_error (error);
                }
              else
                {
                  g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID_STATE);
                  g_assert_nonnull (error->message);
                  /* Both states are named by label. */
                  if (in_range && from != to)
                    {
                      g_autofree char *message =
                        g_strdup_printf ("Cannot go from “%s” to “%s”",
                                         e->labels[from], e->labels[to]);

                      g_assert_cmpstr (error->message, ==, message);
                    }
                }

              /* No error out-parameter is fine too. */
              g_assert_cmpint (buurten_state_check_transition (e->machine, from, to, NULL),
                               ==, allowed);
            }
        }
    }
}

static void
test_transition_messages (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (buurten_state_check_transition (BUURTEN_MACHINE_REQUEST,
                                                  BUURTEN_REQUEST_RESOLVED,
                                                  BUURTEN_REQUEST_SCHEDULED,
                                                  &error));
  g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID_STATE);
  g_assert_cmpstr (error->message, ==, "Cannot go from “Resolved” to “Scheduled”");
  g_clear_error (&error);

  /* Staying in the same state is not a transition. */
  g_assert_false (buurten_state_check_transition (BUURTEN_MACHINE_INITIATIVE,
                                                  BUURTEN_INITIATIVE_GRANTED,
                                                  BUURTEN_INITIATIVE_GRANTED,
                                                  &error));
  g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID_STATE);
  g_assert_cmpstr (error->message, ==, "The status is already “Granted”");
  g_clear_error (&error);

  g_assert_false (buurten_state_check_transition (BUURTEN_MACHINE_ESCALATION,
                                                  BUURTEN_ESCALATION_SOLVED, 99, &error));
  g_assert_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID_STATE);
  g_assert_cmpstr (error->message, ==, "Unknown status");
}

static void
test_finals (void)
{
  for (gsize m = 0; m < G_N_ELEMENTS (expected); m++)
    {
      const Expected *e = &expected[m];

      for (guint s = 0; s < e->n_states; s++)
        g_assert_cmpint (buurten_state_is_final (e->machine, (int) s), ==,
                         e->finals[s] == 'F');

      g_assert_false (buurten_state_is_final (e->machine, -1));
      g_assert_false (buurten_state_is_final (e->machine, (int) e->n_states));
    }
}

/* Properties the tables must have, whatever they list: from the first state
 * every state can be reached; a final state leaves only to "heropend"; a
 * state that is not final has a way out. */
static void
test_shape (void)
{
  for (gsize m = 0; m < G_N_ELEMENTS (expected); m++)
    {
      const Expected *e = &expected[m];
      gboolean reached[16] = { TRUE, };
      gboolean grew = TRUE;

      g_assert_cmpuint (e->n_states, <=, G_N_ELEMENTS (reached));

      while (grew)
        {
          grew = FALSE;
          for (guint from = 0; from < e->n_states; from++)
            for (guint to = 0; to < e->n_states; to++)
              if (reached[from] && !reached[to]
                  && buurten_state_can_transition (e->machine, (int) from, (int) to))
                reached[to] = grew = TRUE;
        }

      for (guint s = 0; s < e->n_states; s++)
        {
          guint exits = 0;

          g_test_message ("%s: %s", e->name, e->ids[s]);
          g_assert_true (reached[s]);

          for (guint to = 0; to < e->n_states; to++)
            {
              if (!buurten_state_can_transition (e->machine, (int) s, (int) to))
                continue;

              exits++;
              if (buurten_state_is_final (e->machine, (int) s))
                {
                  g_assert_cmpint (e->machine, ==, BUURTEN_MACHINE_REQUEST);
                  g_assert_cmpint (to, ==, BUURTEN_REQUEST_REOPENED);
                }
            }

          if (!buurten_state_is_final (e->machine, (int) s))
            g_assert_cmpuint (exits, >, 0);
        }
    }
}

static void
test_bad_machine (void)
{
  BuurtenMachine bad = (BuurtenMachine) 3;
  int state = 5;

  g_test_expect_message ("buurten-states", G_LOG_LEVEL_CRITICAL, "*");
  g_assert_cmpuint (buurten_machine_n_states (bad), ==, 0);
  g_test_assert_expected_messages ();

  g_test_expect_message ("buurten-states", G_LOG_LEVEL_CRITICAL, "*");
  g_assert_null (buurten_machine_name (bad));
  g_test_assert_expected_messages ();

  g_test_expect_message ("buurten-states", G_LOG_LEVEL_CRITICAL, "*");
  g_assert_null (buurten_state_id (bad, 0));
  g_test_assert_expected_messages ();

  g_test_expect_message ("buurten-states", G_LOG_LEVEL_CRITICAL, "*");
  g_assert_null (buurten_state_label ((BuurtenMachine) -1, 0));
  g_test_assert_expected_messages ();

  g_test_expect_message ("buurten-states", G_LOG_LEVEL_CRITICAL, "*");
  g_assert_false (buurten_state_from_id (bad, "nieuw", &state));
  g_test_assert_expected_messages ();

  g_test_expect_message ("buurten-states", G_LOG_LEVEL_CRITICAL, "*");
  g_assert_false (buurten_state_can_transition (bad, 0, 1));
  g_test_assert_expected_messages ();

  g_test_expect_message ("buurten-states", G_LOG_LEVEL_CRITICAL, "*");
  g_assert_false (buurten_state_check_transition (bad, 0, 1, NULL));
  g_test_assert_expected_messages ();

  g_test_expect_message ("buurten-states", G_LOG_LEVEL_CRITICAL, "*");
  g_assert_false (buurten_state_is_final (bad, 0));
  g_test_assert_expected_messages ();

  /* A NULL id is a programmer error too. */
  g_test_expect_message ("buurten-states", G_LOG_LEVEL_CRITICAL, "*id != NULL*");
  g_assert_false (buurten_state_from_id (BUURTEN_MACHINE_REQUEST, NULL, &state));
  g_test_assert_expected_messages ();

  g_assert_cmpint (state, ==, 5);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* LANGUAGE beats LC_ALL=C.UTF-8: expect the untranslated labels. */
  g_unsetenv ("LANGUAGE");

  g_test_add_func ("/states/tables-complete", test_tables_complete);
  g_test_add_func ("/states/machines", test_machines);
  g_test_add_func ("/states/ids-and-labels", test_ids_and_labels);
  g_test_add_func ("/states/from-id-unknown", test_from_id_unknown);
  g_test_add_func ("/states/transitions", test_transitions);
  g_test_add_func ("/states/transition-messages", test_transition_messages);
  g_test_add_func ("/states/finals", test_finals);
  g_test_add_func ("/states/shape", test_shape);
  g_test_add_func ("/states/bad-machine", test_bad_machine);

  return g_test_run ();
}
