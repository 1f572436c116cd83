/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "buurten-core.h"

G_BEGIN_DECLS

/* Whether a partner may see this object at all: meetings and agenda items
 * of the partner's wijken, and the actions and requests assigned to the
 * partner (by username). */
gboolean     buurten_partner_may_see         (const BuurtenEntityInfo *info,
                                              JsonObject              *data,
                                              const char              *username);
/* Removes the residents' personal fields (BUURTEN_FIELD_PERSONAL). */
void         buurten_strip_personal          (const BuurtenEntityInfo *info,
                                              JsonObject              *data);
/* The names of the personal fields of every entity, as a PostgreSQL text[]
 * literal ("{reporter_name,...}") for `data - $n::text[]`. */
const char  *buurten_personal_fields_array   (void);
/* Whether the grants hold any role but partner, anywhere. */
gboolean     buurten_staff_anywhere          (GPtrArray               *grants);
/* The scope of a cluster's objects: "cluster:<id>". */
char        *buurten_scope_for_cluster       (const char              *cluster);
/* Every scope the grants may pull, in a fixed order: city, clusters,
 * wijken (char*). */
GPtrArray   *buurten_visible_scopes          (GPtrArray               *grants,
                                              BuurtenMunicipality     *municipality);
/* Per scope, whether the grants are no staff there: a PostgreSQL
 * boolean[] literal ("{f,t}") beside the scopes' text[]. */
char        *buurten_partner_flags           (GPtrArray               *grants,
                                              BuurtenMunicipality     *municipality,
                                              GPtrArray               *scopes);

G_END_DECLS
