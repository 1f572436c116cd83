/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "buurten-catalogue.h"

G_BEGIN_DECLS

/* The reverse of buurten_mutation_args_from_entity(): the object a
 * mutation's arguments describe, so that what was sent (and refused) can
 * be shown again as it was typed.
 *
 * base is the object as it is now (NULL for a create); the arguments are
 * laid over it: a create's arguments that name fields of the entity (an
 * object argument such as a request's reporter {"name", "contact"} fills
 * "reporter_name" and "reporter_contact"), an update's args.set, or the
 * fields a FIELDS-shaped mutation may change. Members that are no field
 * are ignored. A value of the wrong type is a BUURTEN_CORE_ERROR_INVALID
 * naming it, never a critical. Returns a new entity of entity_info. */
gpointer buurten_mutation_args_to_entity (const BuurtenMutationInfo *info,
                                          const BuurtenEntityInfo   *entity_info,
                                          gconstpointer              base,
                                          JsonObject                *args,
                                          GError                   **error);

/* The same for one field: base with field set to value (a JSON value, as
 * a conflict's "yours" holds it). */
gpointer buurten_entity_with_field       (const BuurtenEntityInfo   *entity_info,
                                          gconstpointer              base,
                                          const char                *field,
                                          JsonNode                  *value,
                                          GError                   **error);

G_END_DECLS
