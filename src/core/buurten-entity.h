/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "buurten-deadline.h"
#include "buurten-error.h"
#include "buurten-states.h"

G_BEGIN_DECLS

/* Every entity of the domain is a plain struct described by a table of
 * fields (BuurtenEntityInfo). The table drives JSON encoding and decoding,
 * copying, freeing and the store's columns, so adding a field is one line
 * in the table and one member in the struct. */

typedef enum
{
  BUURTEN_FIELD_STRING,     /* char *; "" and NULL are distinct */
  BUURTEN_FIELD_UUID,       /* char *; lowercase 8-4-4-4-12 hex */
  BUURTEN_FIELD_INT,        /* gint64 */
  BUURTEN_FIELD_MONEY,      /* gint64 cents, 0..BUURTEN_MONEY_MAX_CENTS */
  BUURTEN_FIELD_BOOL,       /* gboolean */
  BUURTEN_FIELD_DATE,       /* GDate; JSON "YYYY-MM-DD"; invalid = absent */
  BUURTEN_FIELD_TIMESTAMP,  /* gint64 Unix seconds UTC; JSON ISO 8601 "…Z"; 0 = absent */
  BUURTEN_FIELD_ENUM,       /* int; JSON the id from BuurtenField.enum_ids */
} BuurtenFieldKind;

typedef enum
{
  BUURTEN_FIELD_REQUIRED = 1 << 0, /* must be present in JSON (and not null) */
  BUURTEN_FIELD_PERSONAL = 1 << 1, /* residents' personal data: never logged or public */
  BUURTEN_FIELD_KEY      = 1 << 2, /* the primary key */
} BuurtenFieldFlags;

/* What a string field must hold besides valid UTF-8 of its length; the
 * checks are buurten-identifiers.h's, so the app refuses at the field what
 * the server would refuse. */
typedef enum
{
  BUURTEN_FIELD_FORMAT_TEXT,   /* anything */
  BUURTEN_FIELD_FORMAT_IBAN,   /* a normalised IBAN with right check digits */
  BUURTEN_FIELD_FORMAT_KVK,    /* eight digits */
  BUURTEN_FIELD_FORMAT_EMAIL,  /* local@domain */
  BUURTEN_FIELD_FORMAT_PHONE,  /* digits, spaces, + - ( ) */
} BuurtenFieldFormat;

typedef struct
{
  const char         *name;     /* JSON member and store column */
  BuurtenFieldKind    kind;
  BuurtenFieldFlags   flags;
  gsize               offset;   /* G_STRUCT_OFFSET in the entity struct */
  const char * const *enum_ids; /* BUURTEN_FIELD_ENUM: NULL-terminated ids */
  gsize               max_len;  /* strings: maximum length in bytes, 0 = 64 KiB */
  BuurtenFieldFormat  format;   /* strings: what the text must be, beyond UTF-8 */
} BuurtenField;

typedef struct
{
  const char         *name;     /* "request": the JSON "type" and store table */
  gsize               size;     /* sizeof the struct */
  const BuurtenField *fields;
  guint               n_fields;
} BuurtenEntityInfo;

/* Enumerations used in entity fields (their ids are the JSON values). */
typedef enum { BUURTEN_REQUEST_TYPE_VRAAG, BUURTEN_REQUEST_TYPE_KLACHT,
               BUURTEN_REQUEST_TYPE_MELDING, BUURTEN_REQUEST_TYPE_IDEE } BuurtenRequestType;
typedef enum { BUURTEN_FUNDING_WIJKBUDGET, BUURTEN_FUNDING_HANDGELD,
               BUURTEN_FUNDING_WIJKKANSEN, BUURTEN_FUNDING_INVESTERING } BuurtenFunding;
typedef enum { BUURTEN_COMMITMENT_PENDING, BUURTEN_COMMITMENT_APPROVED,
               BUURTEN_COMMITMENT_CANCELLED } BuurtenCommitmentState;
typedef enum { BUURTEN_CHECK_UNKNOWN, BUURTEN_CHECK_YES, BUURTEN_CHECK_NO } BuurtenCheck;
typedef enum { BUURTEN_ROLE_BUURTCOORDINATOR, BUURTEN_ROLE_WIJKWETHOUDER,
               BUURTEN_ROLE_WETHOUDER_BUURTEN, BUURTEN_ROLE_TEAMMANAGER_SAMENLEVING,
               BUURTEN_ROLE_PARTNER, BUURTEN_ROLE_ADMIN, BUURTEN_N_ROLES } BuurtenRole;
typedef enum { BUURTEN_LEVEL_OPERATIONAL,   /* external wijkteam */
               BUURTEN_LEVEL_STURINGSOVERLEG,
               BUURTEN_LEVEL_PROFESSIONAL,  /* youth care, Kwintes, Sherpa ... */
               BUURTEN_LEVEL_BESTUURLIJK,   /* via the wijkwethouder */
               BUURTEN_LEVEL_COLLEGE,
               BUURTEN_LEVEL_BUDGET         /* teammanager samenleving */ } BuurtenEscalationLevel;
typedef enum { BUURTEN_MEETING_WIJKOVERLEG, BUURTEN_MEETING_WIJKTEAM,
               BUURTEN_MEETING_STURINGSOVERLEG, BUURTEN_MEETING_BUURTSCHOUW } BuurtenMeetingKind;
typedef enum { BUURTEN_OUTCOME_GRANTED, BUURTEN_OUTCOME_REJECTED,
               BUURTEN_OUTCOME_REFERRED } BuurtenDecisionOutcome;
/* A budget move (transfer, carry-over) holds money only once confirmed;
 * rows without a state (made before moves needed two people) are
 * confirmed, hence the first id. */
typedef enum { BUURTEN_MOVE_CONFIRMED, BUURTEN_MOVE_RECORDED } BuurtenMoveState;
/* A line of an initiative's budget: a cost, or money it brings in itself
 * (income, e.g. tickets or a fund, and the residents' own contribution). */
typedef enum { BUURTEN_BUDGET_LINE_COST, BUURTEN_BUDGET_LINE_INCOME,
               BUURTEN_BUDGET_LINE_OWN_CONTRIBUTION } BuurtenBudgetLineKind;
/* A payment on a grant: an advance, or the final settlement. */
typedef enum { BUURTEN_PAYMENT_ADVANCE, BUURTEN_PAYMENT_FINAL } BuurtenPaymentKind;
/* A buurtdeal's agreement: what the residents do, or the municipality. */
typedef enum { BUURTEN_AGREEMENT_RESIDENTS, BUURTEN_AGREEMENT_MUNICIPALITY } BuurtenAgreementSide;
typedef enum { BUURTEN_AGREEMENT_AGREED, BUURTEN_AGREEMENT_UNDER_WAY,
               BUURTEN_AGREEMENT_DONE } BuurtenAgreementProgress;

extern const char * const buurten_request_type_ids[];
extern const char * const buurten_funding_ids[];
extern const char * const buurten_commitment_state_ids[];
extern const char * const buurten_check_ids[];
extern const char * const buurten_role_ids[];
extern const char * const buurten_escalation_level_ids[];
extern const char * const buurten_meeting_kind_ids[];
extern const char * const buurten_decision_outcome_ids[];
extern const char * const buurten_move_state_ids[];
extern const char * const buurten_budget_line_kind_ids[];
extern const char * const buurten_agreement_side_ids[];
extern const char * const buurten_payment_kind_ids[];
extern const char * const buurten_agreement_progress_ids[];

/* Look an id up in a NULL-terminated table: -1 when absent. */
int          buurten_enum_from_id   (const char * const *ids,
                                     const char         *id);

/* ---- the entities --------------------------------------------------- */

typedef struct
{
  char                *id;
  char                *wijk;
  BuurtenRequestType   type;
  char                *title;
  char                *description;
  gint64               received_at;
  char                *reporter_name;     /* personal */
  char                *reporter_contact;  /* personal */
  char                *category;
  char                *assignee;
  BuurtenRequestState  state;
  gint64               term_days;
  gint64               paused_working_days;
  GDate                paused_since;
  gint64               version;
  gint64               updated_at;
  char                *initiative_id;   /* an idea taken on as this initiative */
} BuurtenRequest;

typedef struct
{
  char                  *id;
  char                  *wijk;
  char                  *title;
  char                  *description;
  char                  *organiser;        /* personal */
  gint64                 requested_cents;
  char                  *theme;
  BuurtenInitiativeState state;
  /* The four criteria and four principles (domain.md). */
  BuurtenCheck           crit_residents;
  BuurtenCheck           crit_support;
  BuurtenCheck           crit_themes;
  BuurtenCheck           crit_adds;
  BuurtenCheck           princ_lawful;
  BuurtenCheck           princ_own_effort;
  BuurtenCheck           princ_feedback;
  BuurtenCheck           princ_accounting;
  char                  *support_note;     /* draagvlak: how it was shown */
  gint64                 received_at;
  gint64                 version;
  gint64                 updated_at;
  /* The intake (issue 14): the organiser's contact, the payee, the plan. */
  char                  *organiser_address; /* personal */
  char                  *organiser_phone;   /* personal */
  char                  *organiser_email;   /* personal */
  char                  *organisation;
  char                  *kvk;
  char                  *iban;              /* personal; normalised */
  char                  *account_holder;    /* personal */
  char                  *for_whom;
  char                  *place;
  gint64                 support_count;     /* draagvlak: how many residents */
  /* The coordinator's remark with each judgement above. */
  char                  *crit_residents_remark;
  char                  *crit_support_remark;
  char                  *crit_themes_remark;
  char                  *crit_adds_remark;
  char                  *princ_lawful_remark;
  char                  *princ_own_effort_remark;
  char                  *princ_feedback_remark;
  char                  *princ_accounting_remark;
  char                  *source_request_id; /* the idea it came in as */
  /* The buurtdeal signed by the organiser, as the coordinator recorded it
   * (the municipality signs through the commitment's signatures). */
  char                  *deal_signed_by;    /* personal */
  GDate                  deal_signed_on;
  char                  *deal_signed_place;
  GDate                  submitted_on;      /* the application date: when it became ingediend */
} BuurtenInitiative;

/* One reciprocal agreement of a buurtdeal. */
typedef struct
{
  char                     *id;
  char                     *initiative_id;
  BuurtenAgreementSide      side;
  char                     *description;
  char                     *owner;
  GDate                     due_on;
  BuurtenAgreementProgress  progress;
  gint64                    position;
  gint64                    version;
} BuurtenAgreement;

/* A line of an initiative's budget; the balance of its lines is the
 * amount asked (buurten_budget_balance()). */
typedef struct
{
  char                  *id;
  char                  *initiative_id;
  BuurtenBudgetLineKind  kind;
  char                  *description;
  gint64                 amount_cents;
  gint64                 position;
  gint64                 version;
  /* What the line really came to, as the verantwoording recorded it. */
  gint64                 actual_cents;
} BuurtenBudgetLine;

/* When and where an initiative's plan happens: one row per date. */
typedef struct
{
  char    *id;
  char    *initiative_id;
  GDate    starts_on;
  GDate    ends_on;        /* invalid: the same day */
  char    *title;
  char    *place;
  gint64   version;
} BuurtenActivity;

typedef struct
{
  char                  *id;
  char                  *initiative_id;
  BuurtenDecisionOutcome outcome;
  gint64                 amount_cents;
  char                  *reason;
  GDate                  decided_on;
  char                  *commitment_id;   /* the approved commitment it records, or NULL */
  char                  *signers;         /* "user:role,user:role" of that commitment */
  gint64                 version;
} BuurtenDecision;

typedef struct
{
  char                  *id;
  char                  *initiative_id;
  char                  *wijk;
  BuurtenFunding         funding;
  gint64                 year;
  gint64                 amount_cents;
  char                  *theme;
  BuurtenCommitmentState state;
  char                  *cancel_reason;
  gint64                 created_at;
  /* The roles that must sign, fixed when it was made (buurten_roles_to_ids()). */
  char                  *required_roles;
  gint64                 version;
  /* Approved and never paid, given back to the free budget when the
   * initiative's verantwoording was recorded: approved counts amount less
   * this (buurten-ledger.h). */
  gint64                 released_cents;
} BuurtenCommitment;

typedef struct
{
  char        *id;
  char        *commitment_id;
  char        *user;
  BuurtenRole  role;
  gint64       signed_at;
} BuurtenSignature;

typedef struct
{
  char   *id;
  char               *commitment_id;
  gint64              amount_cents;
  GDate               paid_on;
  BuurtenPaymentKind  kind;
  char               *reference;     /* the payment's reference in the books */
} BuurtenPayment;

/* The verantwoording of an initiative (one per initiative): what happened,
 * how the buurt heard of it, what it cost (the actual of each budget line
 * is kept on the line), the attachments, and what was approved and not
 * paid, released back to the wijk's free budget when it was recorded. */
typedef struct
{
  char   *id;
  char   *initiative_id;
  char   *happened;        /* what happened */
  char   *feedback;        /* how the buurt heard of it (a principle) */
  char   *attachments;     /* one "sha256 name" per line; the files stay where they are */
  gint64  actual_cents;    /* the actual costs, all lines together */
  gint64  paid_cents;      /* what was paid on the grant when it was recorded */
  gint64  released_cents;  /* approved less paid, given back */
  char   *recorded_by;
  GDate   recorded_on;
  gint64  version;
} BuurtenVerantwoording;

typedef struct
{
  char   *id;
  gint64  year;
  char   *from_wijk;
  char   *to_wijk;
  gint64  amount_cents;
  char   *reason;
  GDate   decided_on;
  char   *decision_ref;        /* the college's decision it carries out */
  GDate   decision_date;
  BuurtenMoveState state;
  char   *recorded_by;
  char   *confirmed_by;
} BuurtenTransfer;

typedef struct
{
  char   *id;
  char   *wijk;
  gint64  from_year;
  gint64  amount_cents;
  char   *reason;
  GDate   decided_on;
  char   *decision_ref;
  GDate   decision_date;
  BuurtenMoveState state;
  char   *recorded_by;
  char   *confirmed_by;
} BuurtenCarryOver;

typedef struct
{
  char                   *id;
  char                   *wijk;
  char                   *subject_type;
  char                   *subject_id;
  BuurtenEscalationLevel  level;
  char                   *target;
  char                   *reason;
  BuurtenEscalationState  state;
  gint64                  opened_at;
  char                   *opened_by;  /* for budget escalations: whose commitment opened it */
  gint64                  version;
} BuurtenEscalation;

typedef struct
{
  char               *id;
  BuurtenMeetingKind  kind;
  char               *wijk;     /* or NULL when the meeting is for a cluster */
  char               *cluster;
  gint64              starts_at;
  char               *location;
  gint64              version;
} BuurtenMeeting;

typedef struct
{
  char   *id;
  char   *meeting_id;
  char   *subject_type;
  char   *subject_id;
  char   *title;
  gint64  position;
  gint64  version;
} BuurtenAgendaItem;

typedef struct
{
  char     *id;
  char     *meeting_id;
  char     *owner;
  char     *title;
  GDate     due_on;
  gboolean  completed;
  gint64    version;
} BuurtenAction;

typedef struct
{
  char   *id;
  char   *subject_type;
  char   *subject_id;
  char   *body;
  char   *author;
  gint64  created_at;
  gint64  version;
} BuurtenNote;

typedef struct
{
  char   *id;
  char   *wijk;
  gint64  year;
  char   *title;
  gint64  position;
} BuurtenTheme;

extern const BuurtenEntityInfo buurten_request_info;
extern const BuurtenEntityInfo buurten_initiative_info;
extern const BuurtenEntityInfo buurten_budget_line_info;
extern const BuurtenEntityInfo buurten_activity_info;
extern const BuurtenEntityInfo buurten_agreement_info;
extern const BuurtenEntityInfo buurten_decision_info;
extern const BuurtenEntityInfo buurten_commitment_info;
extern const BuurtenEntityInfo buurten_signature_info;
extern const BuurtenEntityInfo buurten_payment_info;
extern const BuurtenEntityInfo buurten_verantwoording_info;
extern const BuurtenEntityInfo buurten_transfer_info;
extern const BuurtenEntityInfo buurten_carry_over_info;
extern const BuurtenEntityInfo buurten_escalation_info;
extern const BuurtenEntityInfo buurten_meeting_info;
extern const BuurtenEntityInfo buurten_agenda_item_info;
extern const BuurtenEntityInfo buurten_action_info;
extern const BuurtenEntityInfo buurten_note_info;
extern const BuurtenEntityInfo buurten_theme_info;

/* NULL-terminated, in parent-before-child order. */
extern const BuurtenEntityInfo * const buurten_entity_infos[];
const BuurtenEntityInfo *buurten_entity_info_lookup (const char *name);

/* ---- generic operations driven by the tables ----------------------- */

/* A zeroed entity: strings NULL, dates invalid, enums at their first id. */
gpointer     buurten_entity_new         (const BuurtenEntityInfo *info);
gpointer     buurten_entity_copy        (const BuurtenEntityInfo *info,
                                         gconstpointer            entity);
void         buurten_entity_free        (const BuurtenEntityInfo *info,
                                         gpointer                 entity);
gboolean     buurten_entity_equal       (const BuurtenEntityInfo *info,
                                         gconstpointer            a,
                                         gconstpointer            b);
/* Checks required members, UUIDs, lengths, money range and enum values. */
gboolean     buurten_entity_validate    (const BuurtenEntityInfo *info,
                                         gconstpointer            entity,
                                         GError                 **error);

/* Personal fields are left out when include_personal is FALSE. */
JsonNode    *buurten_entity_to_json     (const BuurtenEntityInfo *info,
                                         gconstpointer            entity,
                                         gboolean                 include_personal);
/* Strict: an unknown member is ignored, a missing required member or a
 * member of the wrong type is a BUURTEN_CORE_ERROR_INVALID naming the
 * member ("request.title: expected a string"). Never a GLib critical. */
gpointer     buurten_entity_from_json   (const BuurtenEntityInfo *info,
                                         JsonNode                *node,
                                         GError                 **error);

/* Field access for the store and the UI. */
const BuurtenField *buurten_entity_info_get_field (const BuurtenEntityInfo *info,
                                                   const char              *name);

char        *buurten_uuid_new           (void);
gboolean     buurten_uuid_is_valid      (const char *text);

/* Typed conveniences, so that callers need no casts. */
#define BUURTEN_DEFINE_ENTITY_HELPERS(Type, type)                                    \
  static inline Type *buurten_##type##_new (void)                                    \
  { return buurten_entity_new (&buurten_##type##_info); }                            \
  static inline void buurten_##type##_free (Type *e)                                 \
  { if (e) buurten_entity_free (&buurten_##type##_info, e); }                        \
  static inline Type *buurten_##type##_copy (const Type *e)                          \
  { return buurten_entity_copy (&buurten_##type##_info, e); }                        \
  G_DEFINE_AUTOPTR_CLEANUP_FUNC (Type, buurten_##type##_free)

BUURTEN_DEFINE_ENTITY_HELPERS (BuurtenRequest, request)
BUURTEN_DEFINE_ENTITY_HELPERS (BuurtenInitiative, initiative)
BUURTEN_DEFINE_ENTITY_HELPERS (BuurtenBudgetLine, budget_line)
BUURTEN_DEFINE_ENTITY_HELPERS (BuurtenActivity, activity)
BUURTEN_DEFINE_ENTITY_HELPERS (BuurtenAgreement, agreement)
BUURTEN_DEFINE_ENTITY_HELPERS (BuurtenDecision, decision)
BUURTEN_DEFINE_ENTITY_HELPERS (BuurtenCommitment, commitment)
BUURTEN_DEFINE_ENTITY_HELPERS (BuurtenSignature, signature)
BUURTEN_DEFINE_ENTITY_HELPERS (BuurtenPayment, payment)
BUURTEN_DEFINE_ENTITY_HELPERS (BuurtenVerantwoording, verantwoording)
BUURTEN_DEFINE_ENTITY_HELPERS (BuurtenTransfer, transfer)
BUURTEN_DEFINE_ENTITY_HELPERS (BuurtenCarryOver, carry_over)
BUURTEN_DEFINE_ENTITY_HELPERS (BuurtenEscalation, escalation)
BUURTEN_DEFINE_ENTITY_HELPERS (BuurtenMeeting, meeting)
BUURTEN_DEFINE_ENTITY_HELPERS (BuurtenAgendaItem, agenda_item)
BUURTEN_DEFINE_ENTITY_HELPERS (BuurtenAction, action)
BUURTEN_DEFINE_ENTITY_HELPERS (BuurtenNote, note)
BUURTEN_DEFINE_ENTITY_HELPERS (BuurtenTheme, theme)

G_END_DECLS
