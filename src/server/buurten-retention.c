/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-server"

#include "config.h"

#include "buurten-residents.h"

#include <string.h>

#include "buurten-visibility.h"

/* The lifetime of residents' personal data (VNG selectielijst): kept for
 * a period after the object is closed, then blanked everywhere
 * (buurten_blank_personal()), and the laptops follow at their next pull.
 *
 * Closed: the object's state is final in core's machine
 * (buurten_state_is_final()). Closed since: the moment of the first
 * change row after the last one that was not in a final state (a request
 * reopened and closed again counts from its last closing). */

/* The final states of a machine, as a text[] literal. */
static char *
final_states (BuurtenMachine machine)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();

  for (guint s = 0; s < buurten_machine_n_states (machine); s++)
    if (buurten_state_is_final (machine, (int) s))
      g_ptr_array_add (ids, (gpointer) buurten_state_id (machine, (int) s));
  return buurten_db_text_array (ids);
}

gboolean
buurten_retention_run (PGconn                 *conn,
                       int                     keep_requests_years,
                       int                     keep_initiatives_years,
                       const char             *now,
                       const char             *actor,
                       BuurtenRetentionCounts *counts,
                       GError                **error)
{
  g_autoptr(PGresult) due = NULL;
  g_autofree char *request_final = final_states (BUURTEN_MACHINE_REQUEST);
  g_autofree char *initiative_final = final_states (BUURTEN_MACHINE_INITIATIVE);
  g_autofree char *requests_years = g_strdup_printf ("%d", keep_requests_years);
  g_autofree char *initiatives_years = g_strdup_printf ("%d", keep_initiatives_years);
  g_autofree char *counted = NULL;
  const char *cancelled = buurten_commitment_state_ids[BUURTEN_COMMITMENT_CANCELLED];

  memset (counts, 0, sizeof *counts);

  if (!buurten_db_command (conn, "BEGIN", error))
    return FALSE;

  /* History from before superseded rows were blanked as they were
   * written. */
  counts->superseded = buurten_blank_all_superseded (conn, error);
  if (counts->superseded < 0)
    goto fail;

  /* Closed objects with personal data past their period. An initiative
   * with money (a commitment not cancelled) keeps it for the initiatives'
   * period, any other for the requests'. */
  due = BUURTEN_DB_EXEC (conn, error,
                         "SELECT coalesce (array_agg (o.id ORDER BY o.id)::text, '{}'), count (*)"
                         " FROM objects o"
                         " CROSS JOIN LATERAL (SELECT CASE WHEN o.type = $7"
                         "  THEN $3::text[] ELSE $2::text[] END AS final) f"
                         " WHERE NOT o.deleted AND o.type IN ($6, $7)"
                         " AND o.data ?| $1::text[]"
                         " AND o.data ->> 'state' = ANY (f.final)"
                         " AND (SELECT min (c.at) FROM changes c WHERE c.object_id = o.id"
                         "  AND c.op = 'put' AND c.seq > coalesce ((SELECT max (p.seq)"
                         "   FROM changes p WHERE p.object_id = o.id AND p.op = 'put'"
                         "   AND NOT (coalesce (p.data ->> 'state', '') = ANY (f.final))), 0))"
                         "  < coalesce ($8::timestamptz, now ()) - make_interval (years =>"
                         "   CASE WHEN o.type = $7 AND EXISTS (SELECT 1 FROM objects m"
                         "    WHERE m.type = $9 AND NOT m.deleted"
                         "    AND m.data ->> 'initiative_id' = o.id::text"
                         "    AND m.data ->> 'state' IS DISTINCT FROM $10)"
                         "   THEN $5::integer ELSE $4::integer END)",
                         buurten_personal_fields_array (), request_final, initiative_final,
                         requests_years, initiatives_years, buurten_request_info.name,
                         buurten_initiative_info.name, now, buurten_commitment_info.name,
                         cancelled);
  if (due == NULL)
    goto fail;
  counts->closed = buurten_db_get_int (due, 0, 1);

  if (counts->closed > 0 &&
      !buurten_blank_personal (conn, buurten_db_get (due, 0, 0), &counts->blank, error))
    goto fail;

  counted = g_strdup_printf ("ok: %" G_GINT64_FORMAT " closed objects (requests %d years,"
                             " initiatives with money %d years), %" G_GINT64_FORMAT
                             " history rows, %" G_GINT64_FORMAT " conflicts, %"
                             G_GINT64_FORMAT " push results, %" G_GINT64_FORMAT
                             " superseded history rows",
                             counts->closed, keep_requests_years, keep_initiatives_years,
                             counts->blank.changes, counts->blank.conflicts,
                             counts->blank.results, counts->superseded);
  buurten_audit (conn, actor, "retention", NULL, counted, "cli");

  if (!buurten_db_command (conn, "COMMIT", error))
    goto fail;
  return TRUE;

fail:
  buurten_db_rollback (conn);
  memset (counts, 0, sizeof *counts);
  return FALSE;
}
