/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "buurten-mutations.h"

G_BEGIN_DECLS

/* What the mutation files share: buurten-mutations.c (the context, the
 * dispatch by core's catalogue, arguments, rights, locks, savepoints),
 * buurten-mutations-store.c (objects: load, write, merge),
 * buurten-mutations-objects.c (requests, initiatives' non-money parts,
 * notes, themes), buurten-mutations-money.c (decisions, commitments,
 * signatures, payments, budget moves) and buurten-mutations-meetings.c
 * (meetings, agenda items, actions, escalations), buurten-mutations-intake.c
 * (an initiative's budget lines and dates, an idea taken on).
 *
 * Locks: a mutation first reads what it needs, then locks its scope's
 * change clock (and for money the year's budget lock) and only then
 * writes. Locks are taken outside the mutation's savepoint, because a
 * row lock taken inside a savepoint is lost when it is rolled back. */

typedef gboolean (*MutationFunc) (BuurtenMutationContext *ctx,
                                  JsonObject             *args,
                                  JsonObject             *result,
                                  GError                **error);

typedef struct
{
  const BuurtenEntityInfo *info;
  char                    *id;
  char                    *scope;
  gint64                   version;
  gboolean                 deleted;
  JsonObject              *data;
  JsonObject              *versions;
  JsonObject              *meta;     /* may be NULL */
  /* The partner whose it was when it was read (audience_of()), or NULL:
   * a change that takes it away from them tells them (withdrawn_from). */
  char                    *loaded_audience;
} Obj;

void obj_free (Obj *obj);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Obj, obj_free)

/* What a machine adds to a status change: check runs after the
 * machine's table allowed it, before anything is written; after runs once
 * the object is stored. Either may be NULL. */
typedef gboolean (*TransitionHook) (BuurtenMutationContext  *ctx,
                                    Obj                     *obj,
                                    int                      from,
                                    int                      to,
                                    const char              *note,
                                    JsonObject              *result,
                                    GError                 **error);

/* The handlers' table is indexed by BuurtenMutationId (buurten-mutations.c);
 * the functions below are described where they are defined. */

/* ---- buurten-mutations.c: helpers, arguments, rights, locks, links ---- */

Obj *obj_new (const BuurtenEntityInfo *info,
              const char              *id,
              const char              *scope);
void set_error (GError           **error,
                BuurtenCoreError   code,
                const char        *format,
                ...) G_GNUC_PRINTF (3, 4);
void take_refusal_args (BuurtenMutationContext *ctx,
                        JsonObject             *args);
JsonObject *refuse (BuurtenMutationContext  *ctx,
                    GError                 **error,
                    BuurtenCoreError         code,
                    const char              *rule,
                    const char              *format,
                    ...) G_GNUC_PRINTF (5, 6);
char *node_to_string (JsonNode *node);
char *object_to_string (JsonObject *object);
JsonObject *parse_object (const char  *text,
                          GError     **error);
gpointer entity_from_text (const BuurtenEntityInfo  *info,
                           const char               *text,
                           GError                  **error);
gpointer entity_from_data (const BuurtenEntityInfo  *info,
                           JsonObject               *data,
                           GError                  **error);
GPtrArray *entities_from_rows (const BuurtenEntityInfo  *info,
                               GDestroyNotify            free_func,
                               PGresult                 *rows,
                               GError                  **error);
int initiative_state_of (Obj *initiative);
gboolean has_field (const BuurtenEntityInfo *info,
                    const char              *name);
char *today_text (BuurtenMutationContext *ctx);
void today_date (BuurtenMutationContext *ctx,
                 GDate                  *out);
void set_time_member (BuurtenMutationContext *ctx,
                      JsonObject             *data,
                      const char             *member);
gboolean arg_string (JsonObject  *args,
                     const char  *member,
                     gboolean     required,
                     const char **out,
                     GError     **error);
gboolean arg_int (JsonObject  *args,
                  const char  *member,
                  gboolean     required,
                  gint64      *out,
                  GError     **error);
gboolean arg_uuid (JsonObject  *args,
                   const char  *member,
                   gboolean     required,
                   char       **out,
                   GError     **error);
gboolean arg_wijk (BuurtenMutationContext  *ctx,
                   JsonObject              *args,
                   const char              *member,
                   const char             **out,
                   GError                 **error);
gboolean arg_year (JsonObject  *args,
                   const char  *member,
                   int         *out,
                   GError     **error);
void copy_member (JsonObject *args,
                  const char *member,
                  JsonObject *data,
                  const char *target);
void copy_members (JsonObject         *args,
                   JsonObject         *data,
                   const char * const *members);
void copy_entity_args (BuurtenMutationContext *ctx,
                       JsonObject             *args,
                       JsonObject             *data);
gboolean require_staff (BuurtenMutationContext  *ctx,
                        const char              *scope,
                        GError                 **error);
gboolean lock_scope (BuurtenMutationContext  *ctx,
                     const char              *scope,
                     GError                 **error);
gboolean lock_budget (BuurtenMutationContext  *ctx,
                      int                      year,
                      GError                 **error);
Obj *new_child (BuurtenMutationContext   *ctx,
                JsonObject               *args,
                const BuurtenEntityInfo  *info,
                const char               *parent_member,
                const BuurtenEntityInfo  *parent_info,
                const char * const       *members,
                GError                  **error);
Obj *open_link (BuurtenMutationContext  *ctx,
                const char              *subject_type,
                const char              *subject_id,
                const char              *container_scope,
                GError                 **error);
Obj *open_subject (BuurtenMutationContext  *ctx,
                   JsonObject              *args,
                   const char              *container_scope,
                   GError                 **error);
gboolean arg_text (JsonObject  *args,
                   const char  *member,
                   const char **out,
                   GError     **error);
gboolean arg_date (JsonObject  *args,
                   const char  *member,
                   const char **out,
                   GError     **error);
/* ---- buurten-mutations-intake.c ---- */

gboolean m_budget_line_add (BuurtenMutationContext  *ctx,
                            JsonObject              *args,
                            JsonObject              *result,
                            GError                 **error);
gboolean m_budget_line_update (BuurtenMutationContext  *ctx,
                               JsonObject              *args,
                               JsonObject              *result,
                               GError                 **error);
gboolean m_budget_line_remove (BuurtenMutationContext  *ctx,
                               JsonObject              *args,
                               JsonObject              *result,
                               GError                 **error);
gboolean m_activity_add (BuurtenMutationContext  *ctx,
                         JsonObject              *args,
                         JsonObject              *result,
                         GError                 **error);
gboolean m_agreement_add (BuurtenMutationContext  *ctx,
                          JsonObject              *args,
                          JsonObject              *result,
                          GError                 **error);
gboolean m_initiative_deal_signed (BuurtenMutationContext  *ctx,
                                   JsonObject              *args,
                                   JsonObject              *result,
                                   GError                 **error);
gboolean buurtdeal_complete (BuurtenMutationContext  *ctx,
                             Obj                     *initiative,
                             GError                 **error);
gboolean m_initiative_from_request (BuurtenMutationContext  *ctx,
                                    JsonObject              *args,
                                    JsonObject              *result,
                                    GError                 **error);

/* ---- buurten-mutations-accounting.c ---- */

gboolean m_verantwoording_record (BuurtenMutationContext  *ctx,
                                  JsonObject              *args,
                                  JsonObject              *result,
                                  GError                 **error);
gboolean verantwoording_recorded (BuurtenMutationContext  *ctx,
                                  const char              *initiative_id,
                                  gboolean                *out_recorded,
                                  GError                 **error);

/* ---- buurten-mutations-objects.c ---- */

gboolean update_mutation (BuurtenMutationContext   *ctx,
                          JsonObject               *args,
                          JsonObject               *result,
                          GError                  **error);
gboolean delete_mutation (BuurtenMutationContext   *ctx,
                          JsonObject               *args,
                          JsonObject               *result,
                          GError                  **error);
gboolean transition_mutation (BuurtenMutationContext   *ctx,
                              JsonObject               *args,
                              const BuurtenEntityInfo  *info,
                              BuurtenMachine            machine,
                              TransitionHook            check,
                              TransitionHook            after,
                              JsonObject               *result,
                              GError                  **error);
gboolean m_request_create (BuurtenMutationContext  *ctx,
                           JsonObject              *args,
                           JsonObject              *result,
                           GError                 **error);
gboolean m_request_transition (BuurtenMutationContext  *ctx,
                               JsonObject              *args,
                               JsonObject              *result,
                               GError                 **error);
gboolean m_request_assign (BuurtenMutationContext  *ctx,
                           JsonObject              *args,
                           JsonObject              *result,
                           GError                 **error);
gboolean m_initiative_create (BuurtenMutationContext  *ctx,
                              JsonObject              *args,
                              JsonObject              *result,
                              GError                 **error);
gboolean m_initiative_transition (BuurtenMutationContext  *ctx,
                                  JsonObject              *args,
                                  JsonObject              *result,
                                  GError                 **error);
gboolean m_note_create (BuurtenMutationContext  *ctx,
                        JsonObject              *args,
                        JsonObject              *result,
                        GError                 **error);
gboolean m_note_update (BuurtenMutationContext  *ctx,
                        JsonObject              *args,
                        JsonObject              *result,
                        GError                 **error);
gboolean m_note_delete (BuurtenMutationContext  *ctx,
                        JsonObject              *args,
                        JsonObject              *result,
                        GError                 **error);
gboolean m_theme_create (BuurtenMutationContext  *ctx,
                         JsonObject              *args,
                         JsonObject              *result,
                         GError                 **error);
/* ---- buurten-mutations-money.c ---- */

gboolean approved_money (BuurtenMutationContext  *ctx,
                         const char              *initiative_id,
                         gint64                  *out_cents,
                         gboolean                *out_any,
                         GError                 **error);
gboolean insert_decision (BuurtenMutationContext  *ctx,
                          Obj                     *initiative,
                          int                      outcome,
                          const char              *reason,
                          JsonObject              *result,
                          GError                 **error);
gboolean m_decision_record (BuurtenMutationContext  *ctx,
                            JsonObject              *args,
                            JsonObject              *result,
                            GError                 **error);
gboolean m_commitment_create (BuurtenMutationContext  *ctx,
                              JsonObject              *args,
                              JsonObject              *result,
                              GError                 **error);
gboolean m_commitment_sign (BuurtenMutationContext  *ctx,
                            JsonObject              *args,
                            JsonObject              *result,
                            GError                 **error);
gboolean m_commitment_cancel (BuurtenMutationContext  *ctx,
                              JsonObject              *args,
                              JsonObject              *result,
                              GError                 **error);
gboolean m_payment_record (BuurtenMutationContext  *ctx,
                           JsonObject              *args,
                           JsonObject              *result,
                           GError                 **error);
gboolean m_budget_transfer (BuurtenMutationContext  *ctx,
                            JsonObject              *args,
                            JsonObject              *result,
                            GError                 **error);
gboolean m_budget_carry_over (BuurtenMutationContext  *ctx,
                              JsonObject              *args,
                              JsonObject              *result,
                              GError                 **error);
gboolean m_budget_confirm (BuurtenMutationContext  *ctx,
                           JsonObject              *args,
                           JsonObject              *result,
                           GError                 **error);
/* ---- buurten-mutations-meetings.c ---- */

gboolean m_escalation_open (BuurtenMutationContext  *ctx,
                            JsonObject              *args,
                            JsonObject              *result,
                            GError                 **error);
gboolean m_escalation_transition (BuurtenMutationContext  *ctx,
                                  JsonObject              *args,
                                  JsonObject              *result,
                                  GError                 **error);
gboolean m_meeting_create (BuurtenMutationContext  *ctx,
                           JsonObject              *args,
                           JsonObject              *result,
                           GError                 **error);
gboolean m_agenda_item_add (BuurtenMutationContext  *ctx,
                            JsonObject              *args,
                            JsonObject              *result,
                            GError                 **error);
gboolean m_agenda_item_update (BuurtenMutationContext  *ctx,
                               JsonObject              *args,
                               JsonObject              *result,
                               GError                 **error);
gboolean m_action_create (BuurtenMutationContext  *ctx,
                          JsonObject              *args,
                          JsonObject              *result,
                          GError                 **error);
gboolean m_action_complete (BuurtenMutationContext  *ctx,
                            JsonObject              *args,
                            JsonObject              *result,
                            GError                 **error);
/* ---- buurten-mutations-store.c: objects, change log, merge ---- */

Obj *load_object (BuurtenMutationContext   *ctx,
                  const char               *id,
                  const BuurtenEntityInfo  *info,
                  const char               *member,
                  gboolean                  for_update,
                  GError                  **error);
Obj *open_object (BuurtenMutationContext   *ctx,
                  JsonObject               *args,
                  const char               *member,
                  const BuurtenEntityInfo  *info,
                  gboolean                  staff_only,
                  GError                  **error);
const char *audience_of (Obj *obj);
gboolean store_object (BuurtenMutationContext  *ctx,
                       Obj                     *obj,
                       gboolean                 is_new,
                       GError                 **error);
gboolean insert_object (BuurtenMutationContext  *ctx,
                        Obj                     *obj,
                        GError                 **error);
void bump (BuurtenMutationContext *ctx,
           Obj                    *obj,
           const char * const     *fields);
gboolean insert_answering (BuurtenMutationContext  *ctx,
                           Obj                     *obj,
                           JsonObject              *result,
                           GError                 **error);
gboolean store_answering (BuurtenMutationContext  *ctx,
                          Obj                     *obj,
                          JsonObject              *result,
                          GError                 **error);
gboolean merge_fields (BuurtenMutationContext  *ctx,
                       Obj                     *obj,
                       JsonObject              *base,
                       JsonObject              *set,
                       const char * const      *allowed,
                       gboolean                 last_writer_wins,
                       const char              *mutation,
                       JsonObject              *result,
                       GError                 **error);
G_END_DECLS
