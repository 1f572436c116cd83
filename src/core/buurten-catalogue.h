/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "buurten-entity.h"

G_BEGIN_DECLS

/* The mutation catalogue: one row per mutation the server accepts and the
 * app queues (design.md's table and the project's additions). Its names,
 * its arguments and the fields each one touches live here only: the
 * server's dispatch table is indexed by BuurtenMutationId, the attention
 * list's labels, the store's "which fields are pending" and the editors'
 * argument lists are derived from these rows. Adding a mutation is one
 * enum value, one row here and its handler in the server. */

typedef enum
{
  BUURTEN_MUTATION_REQUEST_CREATE,
  BUURTEN_MUTATION_REQUEST_UPDATE,
  BUURTEN_MUTATION_REQUEST_TRANSITION,
  BUURTEN_MUTATION_REQUEST_ASSIGN,
  BUURTEN_MUTATION_INITIATIVE_CREATE,
  BUURTEN_MUTATION_INITIATIVE_UPDATE,
  BUURTEN_MUTATION_INITIATIVE_TRANSITION,
  BUURTEN_MUTATION_DECISION_RECORD,
  BUURTEN_MUTATION_COMMITMENT_CREATE,
  BUURTEN_MUTATION_COMMITMENT_SIGN,
  BUURTEN_MUTATION_COMMITMENT_CANCEL,
  BUURTEN_MUTATION_PAYMENT_RECORD,
  BUURTEN_MUTATION_BUDGET_TRANSFER,
  BUURTEN_MUTATION_BUDGET_CARRY_OVER,
  BUURTEN_MUTATION_BUDGET_CONFIRM,
  BUURTEN_MUTATION_ESCALATION_OPEN,
  BUURTEN_MUTATION_ESCALATION_TRANSITION,
  BUURTEN_MUTATION_MEETING_CREATE,
  BUURTEN_MUTATION_MEETING_UPDATE,
  BUURTEN_MUTATION_AGENDA_ITEM_ADD,
  BUURTEN_MUTATION_AGENDA_ITEM_UPDATE,
  BUURTEN_MUTATION_AGENDA_ITEM_REMOVE,
  BUURTEN_MUTATION_ACTION_CREATE,
  BUURTEN_MUTATION_ACTION_COMPLETE,
  BUURTEN_MUTATION_NOTE_CREATE,
  BUURTEN_MUTATION_NOTE_UPDATE,
  BUURTEN_MUTATION_NOTE_DELETE,
  BUURTEN_MUTATION_THEME_CREATE,
  BUURTEN_MUTATION_THEME_UPDATE,
  BUURTEN_MUTATION_THEME_REMOVE,
  BUURTEN_MUTATION_INITIATIVE_FROM_REQUEST,
  BUURTEN_MUTATION_BUDGET_LINE_ADD,
  BUURTEN_MUTATION_BUDGET_LINE_UPDATE,
  BUURTEN_MUTATION_BUDGET_LINE_REMOVE,
  BUURTEN_MUTATION_ACTIVITY_ADD,
  BUURTEN_MUTATION_ACTIVITY_UPDATE,
  BUURTEN_MUTATION_ACTIVITY_REMOVE,
  BUURTEN_MUTATION_AGREEMENT_ADD,
  BUURTEN_MUTATION_AGREEMENT_UPDATE,
  BUURTEN_MUTATION_AGREEMENT_REMOVE,
  BUURTEN_MUTATION_INITIATIVE_DEAL_SIGNED,
  BUURTEN_MUTATION_VERANTWOORDING_RECORD,
  BUURTEN_N_MUTATIONS
} BuurtenMutationId;

/* How a mutation changes its object, which decides what of a local row is
 * "pending" until the server answered. */
typedef enum
{
  BUURTEN_MUTATION_SHAPE_CREATE,     /* makes the object args.id: the whole row */
  BUURTEN_MUTATION_SHAPE_UPDATE,     /* args.set's fields, each among @fields */
  BUURTEN_MUTATION_SHAPE_FIELDS,     /* exactly @fields of args.id */
  BUURTEN_MUTATION_SHAPE_DELETE,     /* removes args.id: the whole row */
  BUURTEN_MUTATION_SHAPE_CHILD,      /* adds a child of args.id (a signature) */
} BuurtenMutationShape;

typedef enum
{
  BUURTEN_ARG_STRING,
  BUURTEN_ARG_UUID,
  BUURTEN_ARG_INT,
  BUURTEN_ARG_MONEY,
  BUURTEN_ARG_BOOL,
  BUURTEN_ARG_DATE,        /* "YYYY-MM-DD" */
  BUURTEN_ARG_TIMESTAMP,   /* ISO 8601 "...Z" */
  BUURTEN_ARG_ENUM,        /* a string among the field's ids */
  BUURTEN_ARG_OBJECT,      /* set, base, reporter */
} BuurtenArgKind;

typedef enum
{
  BUURTEN_ARG_REQUIRED = 1 << 0,
  BUURTEN_ARG_PERSONAL = 1 << 1,  /* residents' personal data (never logged) */
} BuurtenArgFlags;

typedef struct
{
  const char      *name;    /* the member of args */
  BuurtenArgKind   kind;
  BuurtenArgFlags  flags;
} BuurtenMutationArg;

typedef struct
{
  BuurtenMutationId         id;
  const char               *name;      /* "request.create" */
  /* The type of the object args.id names (created, changed or removed);
   * NULL for budget.confirm, whose id names a transfer or a carry-over. */
  const BuurtenEntityInfo  *entity;
  BuurtenMutationShape      shape;
  const BuurtenMutationArg *args;      /* terminated by a NULL name */
  const char * const       *fields;    /* fields of entity it may change, NULL-terminated */
  const char               *label;     /* untranslated msgid: "A new request" */
} BuurtenMutationInfo;

/* Every row, in BuurtenMutationId order. */
const BuurtenMutationInfo *buurten_mutation_info        (BuurtenMutationId  id);
/* NULL for an unknown name. */
const BuurtenMutationInfo *buurten_mutation_lookup      (const char        *name);
const char                *buurten_mutation_name        (BuurtenMutationId  id);
/* The label in the current locale; "A change" for unknown names. */
const char                *buurten_mutation_label       (const char        *name);
/* Whether the mutation takes this member of args. */
const BuurtenMutationArg  *buurten_mutation_get_arg     (const BuurtenMutationInfo *info,
                                                         const char                *member);
/* The fields of its object a queued mutation with these args changes,
 * added to fields (a set of char*); "*" when the whole row is pending. */
void                       buurten_mutation_pending_fields (const BuurtenMutationInfo *info,
                                                            JsonObject                *args,
                                                            GHashTable                *fields);
/* The arguments of a create-like mutation taken from an entity: every
 * argument of the row whose name is a field of the entity and set in it
 * (strings non-NULL, dates valid, timestamps non-zero, money and ints
 * always). */
JsonNode                  *buurten_mutation_args_from_entity (const BuurtenMutationInfo *info,
                                                              const BuurtenEntityInfo   *entity_info,
                                                              gconstpointer              entity);

G_END_DECLS
