/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "buurten-call.h"

G_BEGIN_DECLS

/* The server side of every mutation of core's catalogue
 * (buurten-catalogue.h): the push (buurten-exchange.c) applies them one by
 * one inside its transaction. */

/* The position of an entity type in buurten_entity_infos (parents
 * first): the change log's type_rank, so that a pull delivers parents
 * before children. */
int          buurten_mutation_type_rank          (const BuurtenEntityInfo *info);

/* One push transaction's state while its mutations are applied. */
typedef struct
{
  PGconn              *conn;
  BuurtenMunicipality *municipality;
  const BuurtenUser   *user;
  const char          *origin;
  gint64               now;
  GHashTable          *seqs;         /* scope -> gint64* seq of this transaction */
  GHashTable          *locks;        /* budget lock keys held */
  gboolean             in_savepoint;
  /* Of the mutation being applied. */
  const BuurtenMutationInfo *mutation; /* its row of core's catalogue */
  JsonArray           *conflicts;
  char                *object;       /* "type:id" for the audit line */
  /* The refusal's args (buurten-refusal.h) when the mutation is refused:
   * handlers fill it from the core functions' refusal_args out-params,
   * BuurtenMandateResult.refusal_args and BuurtenSigning.refusal_args;
   * buurten_mutation_apply() sends it as the result's "args". */
  JsonObject          *refusal_args;
  /* Audit lines of the push, written together before it commits. */
  GPtrArray           *audit_actions;
  GPtrArray           *audit_objects;
  GPtrArray           *audit_results;
} BuurtenMutationContext;

void         buurten_mutation_context_init       (BuurtenMutationContext  *ctx,
                                                  PGconn                  *conn,
                                                  BuurtenMunicipality     *municipality,
                                                  const BuurtenUser       *user,
                                                  const char              *origin);
void         buurten_mutation_context_clear      (BuurtenMutationContext  *ctx);
/* Writes the audit lines collected so far (in the push's transaction). */
gboolean     buurten_mutation_context_flush      (BuurtenMutationContext  *ctx,
                                                  GError                 **error);
/* Applies one mutation inside the push's transaction and returns its
 * result object ({"mid","status",...}). Permanent failures are results
 * ("rejected"); only a failure that must abort the whole push (the
 * database went away, a serialisation failure or deadlock to retry) sets
 * error and returns NULL. Writes the audit line. */
JsonObject  *buurten_mutation_apply              (BuurtenMutationContext  *ctx,
                                                  gint64                   mid,
                                                  const char              *name,
                                                  JsonObject              *args,
                                                  GError                 **error);

G_END_DECLS
