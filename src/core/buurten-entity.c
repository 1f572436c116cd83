/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-entity"

#include "config.h"

#include "buurten-entity.h"

#include <string.h>

#include <glib/gi18n.h>

#include "buurten-identifiers.h"
#include "buurten-json.h"
#include "buurten-money.h"

/* ---- enumeration ids -------------------------------------------------- */

const char * const buurten_request_type_ids[] = {
  "vraag", "klacht", "melding", "idee", NULL
};
const char * const buurten_funding_ids[] = {
  "wijkbudget", "handgeld", "wijkkansen", "investering", NULL
};
const char * const buurten_commitment_state_ids[] = {
  "pending", "approved", "cancelled", NULL
};
const char * const buurten_check_ids[] = {
  "unknown", "yes", "no", NULL
};
const char * const buurten_role_ids[] = {
  "buurtcoordinator", "wijkwethouder", "wethouder_buurten", "teammanager_samenleving",
  "partner", "admin", NULL
};
const char * const buurten_escalation_level_ids[] = {
  "operationeel", "sturingsoverleg", "professional", "bestuurlijk", "college", "budget", NULL
};
const char * const buurten_meeting_kind_ids[] = {
  "wijkoverleg", "wijkteam", "sturingsoverleg", "buurtschouw", NULL
};
const char * const buurten_decision_outcome_ids[] = {
  "toegekend", "afgewezen", "doorverwezen", NULL
};

const char * const buurten_move_state_ids[] = {
  "confirmed", "recorded", NULL
};
const char * const buurten_budget_line_kind_ids[] = {
  "kosten", "inkomsten", "eigen_bijdrage", NULL
};
const char * const buurten_payment_kind_ids[] = {
  "voorschot", "eindbetaling", NULL
};
const char * const buurten_agreement_side_ids[] = {
  "bewoners", "gemeente", NULL
};
const char * const buurten_agreement_progress_ids[] = {
  "afgesproken", "bezig", "gedaan", NULL
};

/* The state ids are owned by buurten-states.c (buurten_state_id()); the
 * field tables need them as constant arrays, so they are repeated here in
 * enum order. test-entity checks that both agree for every state. */
static const char * const request_state_ids[] = {
  "nieuw", "in_behandeling", "reactie_gevraagd", "doorgezet_extern", "ingepland",
  "afgehandeld", "geannuleerd", "heropend", NULL
};
static const char * const initiative_state_ids[] = {
  "idee", "ingediend", "getoetst", "toegekend", "afgewezen", "doorverwezen",
  "buurtdeal_getekend", "in_uitvoering", "afgerond", NULL
};
static const char * const escalation_state_ids[] = {
  "open", "opgepakt", "opgelost", "teruggelegd", NULL
};

G_STATIC_ASSERT (G_N_ELEMENTS (request_state_ids) == BUURTEN_REQUEST_N_STATES + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (initiative_state_ids) == BUURTEN_INITIATIVE_N_STATES + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (escalation_state_ids) == BUURTEN_ESCALATION_N_STATES + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (buurten_role_ids) == BUURTEN_N_ROLES + 1);
/* ENUM fields are stored as int. */
G_STATIC_ASSERT (sizeof (BuurtenRequestType) == sizeof (int));
G_STATIC_ASSERT (sizeof (BuurtenRequestState) == sizeof (int));

/* ---- field tables ----------------------------------------------------- */

#define REQ      BUURTEN_FIELD_REQUIRED
#define PERSONAL BUURTEN_FIELD_PERSONAL
#define KEY      (BUURTEN_FIELD_KEY | BUURTEN_FIELD_REQUIRED)

/* Lengths in bytes. Titles fit a list row, texts a long letter. */
#define LEN_ID      36
#define LEN_WIJK    64
#define LEN_SHORT   64      /* subject types, categories */
#define LEN_NAME    200     /* users, organisers, places, titles */
#define LEN_CONTACT 320     /* an e-mail address or a postal address */
#define LEN_REASON  2000
#define LEN_TEXT    20000

#define F_STRING(S, m, fl, len) \
  { #m, BUURTEN_FIELD_STRING, (fl), G_STRUCT_OFFSET (S, m), NULL, (len) }
#define F_UUID(S, m, fl) \
  { #m, BUURTEN_FIELD_UUID, (fl), G_STRUCT_OFFSET (S, m), NULL, LEN_ID }
#define F_INT(S, m, fl) \
  { #m, BUURTEN_FIELD_INT, (fl), G_STRUCT_OFFSET (S, m), NULL, 0 }
#define F_MONEY(S, m, fl) \
  { #m, BUURTEN_FIELD_MONEY, (fl), G_STRUCT_OFFSET (S, m), NULL, 0 }
#define F_BOOL(S, m, fl) \
  { #m, BUURTEN_FIELD_BOOL, (fl), G_STRUCT_OFFSET (S, m), NULL, 0 }
#define F_DATE(S, m, fl) \
  { #m, BUURTEN_FIELD_DATE, (fl), G_STRUCT_OFFSET (S, m), NULL, 0 }
#define F_TIME(S, m, fl) \
  { #m, BUURTEN_FIELD_TIMESTAMP, (fl), G_STRUCT_OFFSET (S, m), NULL, 0 }
#define F_FORMAT(S, m, fl, len, fmt) \
  { #m, BUURTEN_FIELD_STRING, (fl), G_STRUCT_OFFSET (S, m), NULL, (len), \
    BUURTEN_FIELD_FORMAT_##fmt }
#define F_ENUM(S, m, fl, ids) \
  { #m, BUURTEN_FIELD_ENUM, (fl), G_STRUCT_OFFSET (S, m), (ids), 0 }

#define DEFINE_INFO(type, Struct)                                 \
  const BuurtenEntityInfo buurten_##type##_info = {               \
    #type, sizeof (Struct), type##_fields, G_N_ELEMENTS (type##_fields) \
  }

static const BuurtenField theme_fields[] = {
  F_UUID   (BuurtenTheme, id, KEY),
  F_STRING (BuurtenTheme, wijk, REQ, LEN_WIJK),
  F_INT    (BuurtenTheme, year, REQ),
  F_STRING (BuurtenTheme, title, REQ, LEN_NAME),
  F_INT    (BuurtenTheme, position, 0),
};
DEFINE_INFO (theme, BuurtenTheme);

static const BuurtenField request_fields[] = {
  F_UUID   (BuurtenRequest, id, KEY),
  F_STRING (BuurtenRequest, wijk, REQ, LEN_WIJK),
  F_ENUM   (BuurtenRequest, type, REQ, buurten_request_type_ids),
  F_STRING (BuurtenRequest, title, REQ, LEN_NAME),
  F_STRING (BuurtenRequest, description, 0, LEN_TEXT),
  F_TIME   (BuurtenRequest, received_at, REQ),
  F_STRING (BuurtenRequest, reporter_name, PERSONAL, LEN_NAME),
  F_STRING (BuurtenRequest, reporter_contact, PERSONAL, LEN_CONTACT),
  F_STRING (BuurtenRequest, category, 0, LEN_SHORT),
  F_STRING (BuurtenRequest, assignee, 0, LEN_NAME),
  F_ENUM   (BuurtenRequest, state, REQ, request_state_ids),
  F_INT    (BuurtenRequest, term_days, 0),
  F_INT    (BuurtenRequest, paused_working_days, 0),
  F_DATE   (BuurtenRequest, paused_since, 0),
  F_INT    (BuurtenRequest, version, 0),
  F_TIME   (BuurtenRequest, updated_at, 0),
  F_UUID   (BuurtenRequest, initiative_id, 0),
};
DEFINE_INFO (request, BuurtenRequest);

static const BuurtenField initiative_fields[] = {
  F_UUID   (BuurtenInitiative, id, KEY),
  F_STRING (BuurtenInitiative, wijk, REQ, LEN_WIJK),
  F_STRING (BuurtenInitiative, title, REQ, LEN_NAME),
  F_STRING (BuurtenInitiative, description, 0, LEN_TEXT),
  F_STRING (BuurtenInitiative, organiser, PERSONAL, LEN_NAME),
  F_MONEY  (BuurtenInitiative, requested_cents, 0),
  F_STRING (BuurtenInitiative, theme, 0, LEN_NAME),
  F_ENUM   (BuurtenInitiative, state, REQ, initiative_state_ids),
  F_ENUM   (BuurtenInitiative, crit_residents, 0, buurten_check_ids),
  F_ENUM   (BuurtenInitiative, crit_support, 0, buurten_check_ids),
  F_ENUM   (BuurtenInitiative, crit_themes, 0, buurten_check_ids),
  F_ENUM   (BuurtenInitiative, crit_adds, 0, buurten_check_ids),
  F_ENUM   (BuurtenInitiative, princ_lawful, 0, buurten_check_ids),
  F_ENUM   (BuurtenInitiative, princ_own_effort, 0, buurten_check_ids),
  F_ENUM   (BuurtenInitiative, princ_feedback, 0, buurten_check_ids),
  F_ENUM   (BuurtenInitiative, princ_accounting, 0, buurten_check_ids),
  F_STRING (BuurtenInitiative, support_note, 0, LEN_REASON),
  F_TIME   (BuurtenInitiative, received_at, 0),
  F_INT    (BuurtenInitiative, version, 0),
  F_TIME   (BuurtenInitiative, updated_at, 0),
  F_STRING (BuurtenInitiative, organiser_address, PERSONAL, LEN_CONTACT),
  F_FORMAT (BuurtenInitiative, organiser_phone, PERSONAL, LEN_SHORT, PHONE),
  F_FORMAT (BuurtenInitiative, organiser_email, PERSONAL, LEN_CONTACT, EMAIL),
  F_STRING (BuurtenInitiative, organisation, 0, LEN_NAME),
  F_FORMAT (BuurtenInitiative, kvk, 0, LEN_SHORT, KVK),
  F_FORMAT (BuurtenInitiative, iban, PERSONAL, LEN_SHORT, IBAN),
  F_STRING (BuurtenInitiative, account_holder, PERSONAL, LEN_NAME),
  F_STRING (BuurtenInitiative, for_whom, 0, LEN_REASON),
  F_STRING (BuurtenInitiative, place, 0, LEN_NAME),
  F_INT    (BuurtenInitiative, support_count, 0),
  F_STRING (BuurtenInitiative, crit_residents_remark, 0, LEN_REASON),
  F_STRING (BuurtenInitiative, crit_support_remark, 0, LEN_REASON),
  F_STRING (BuurtenInitiative, crit_themes_remark, 0, LEN_REASON),
  F_STRING (BuurtenInitiative, crit_adds_remark, 0, LEN_REASON),
  F_STRING (BuurtenInitiative, princ_lawful_remark, 0, LEN_REASON),
  F_STRING (BuurtenInitiative, princ_own_effort_remark, 0, LEN_REASON),
  F_STRING (BuurtenInitiative, princ_feedback_remark, 0, LEN_REASON),
  F_STRING (BuurtenInitiative, princ_accounting_remark, 0, LEN_REASON),
  F_UUID   (BuurtenInitiative, source_request_id, 0),
  F_STRING (BuurtenInitiative, deal_signed_by, PERSONAL, LEN_NAME),
  F_DATE   (BuurtenInitiative, deal_signed_on, 0),
  F_STRING (BuurtenInitiative, deal_signed_place, 0, LEN_NAME),
  F_DATE   (BuurtenInitiative, submitted_on, 0),
};
DEFINE_INFO (initiative, BuurtenInitiative);

static const BuurtenField budget_line_fields[] = {
  F_UUID   (BuurtenBudgetLine, id, KEY),
  F_UUID   (BuurtenBudgetLine, initiative_id, REQ),
  F_ENUM   (BuurtenBudgetLine, kind, REQ, buurten_budget_line_kind_ids),
  F_STRING (BuurtenBudgetLine, description, REQ, LEN_NAME),
  F_MONEY  (BuurtenBudgetLine, amount_cents, REQ),
  F_INT    (BuurtenBudgetLine, position, 0),
  F_INT    (BuurtenBudgetLine, version, 0),
  F_MONEY  (BuurtenBudgetLine, actual_cents, 0),
};
DEFINE_INFO (budget_line, BuurtenBudgetLine);

static const BuurtenField activity_fields[] = {
  F_UUID   (BuurtenActivity, id, KEY),
  F_UUID   (BuurtenActivity, initiative_id, REQ),
  F_DATE   (BuurtenActivity, starts_on, REQ),
  F_DATE   (BuurtenActivity, ends_on, 0),
  F_STRING (BuurtenActivity, title, 0, LEN_NAME),
  F_STRING (BuurtenActivity, place, 0, LEN_NAME),
  F_INT    (BuurtenActivity, version, 0),
};
DEFINE_INFO (activity, BuurtenActivity);

static const BuurtenField agreement_fields[] = {
  F_UUID   (BuurtenAgreement, id, KEY),
  F_UUID   (BuurtenAgreement, initiative_id, REQ),
  F_ENUM   (BuurtenAgreement, side, REQ, buurten_agreement_side_ids),
  F_STRING (BuurtenAgreement, description, REQ, LEN_REASON),
  F_STRING (BuurtenAgreement, owner, 0, LEN_NAME),
  F_DATE   (BuurtenAgreement, due_on, 0),
  F_ENUM   (BuurtenAgreement, progress, 0, buurten_agreement_progress_ids),
  F_INT    (BuurtenAgreement, position, 0),
  F_INT    (BuurtenAgreement, version, 0),
};
DEFINE_INFO (agreement, BuurtenAgreement);

static const BuurtenField decision_fields[] = {
  F_UUID   (BuurtenDecision, id, KEY),
  F_UUID   (BuurtenDecision, initiative_id, REQ),
  F_ENUM   (BuurtenDecision, outcome, REQ, buurten_decision_outcome_ids),
  F_MONEY  (BuurtenDecision, amount_cents, 0),
  F_STRING (BuurtenDecision, reason, 0, LEN_TEXT),
  F_DATE   (BuurtenDecision, decided_on, 0),
  F_UUID   (BuurtenDecision, commitment_id, 0),
  F_STRING (BuurtenDecision, signers, 0, LEN_TEXT),
  F_INT    (BuurtenDecision, version, 0),
};
DEFINE_INFO (decision, BuurtenDecision);

static const BuurtenField commitment_fields[] = {
  F_UUID   (BuurtenCommitment, id, KEY),
  F_UUID   (BuurtenCommitment, initiative_id, REQ),
  F_STRING (BuurtenCommitment, wijk, REQ, LEN_WIJK),
  F_ENUM   (BuurtenCommitment, funding, REQ, buurten_funding_ids),
  F_INT    (BuurtenCommitment, year, REQ),
  F_MONEY  (BuurtenCommitment, amount_cents, REQ),
  F_STRING (BuurtenCommitment, theme, 0, LEN_NAME),
  F_ENUM   (BuurtenCommitment, state, REQ, buurten_commitment_state_ids),
  F_STRING (BuurtenCommitment, cancel_reason, 0, LEN_REASON),
  F_TIME   (BuurtenCommitment, created_at, 0),
  F_STRING (BuurtenCommitment, required_roles, 0, LEN_NAME),
  F_INT    (BuurtenCommitment, version, 0),
  F_MONEY  (BuurtenCommitment, released_cents, 0),
};
DEFINE_INFO (commitment, BuurtenCommitment);

static const BuurtenField signature_fields[] = {
  F_UUID   (BuurtenSignature, id, KEY),
  F_UUID   (BuurtenSignature, commitment_id, REQ),
  F_STRING (BuurtenSignature, user, REQ, LEN_NAME),
  F_ENUM   (BuurtenSignature, role, REQ, buurten_role_ids),
  F_TIME   (BuurtenSignature, signed_at, REQ),
};
DEFINE_INFO (signature, BuurtenSignature);

static const BuurtenField payment_fields[] = {
  F_UUID   (BuurtenPayment, id, KEY),
  F_UUID   (BuurtenPayment, commitment_id, REQ),
  F_MONEY  (BuurtenPayment, amount_cents, REQ),
  F_DATE   (BuurtenPayment, paid_on, REQ),
  F_ENUM   (BuurtenPayment, kind, 0, buurten_payment_kind_ids),
  F_STRING (BuurtenPayment, reference, 0, LEN_NAME),
};
DEFINE_INFO (payment, BuurtenPayment);

static const BuurtenField verantwoording_fields[] = {
  F_UUID   (BuurtenVerantwoording, id, KEY),
  F_UUID   (BuurtenVerantwoording, initiative_id, REQ),
  F_STRING (BuurtenVerantwoording, happened, REQ, LEN_TEXT),
  F_STRING (BuurtenVerantwoording, feedback, REQ, LEN_TEXT),
  F_STRING (BuurtenVerantwoording, attachments, 0, LEN_TEXT),
  F_MONEY  (BuurtenVerantwoording, actual_cents, 0),
  F_MONEY  (BuurtenVerantwoording, paid_cents, 0),
  F_MONEY  (BuurtenVerantwoording, released_cents, 0),
  F_STRING (BuurtenVerantwoording, recorded_by, 0, LEN_NAME),
  F_DATE   (BuurtenVerantwoording, recorded_on, 0),
  F_INT    (BuurtenVerantwoording, version, 0),
};
DEFINE_INFO (verantwoording, BuurtenVerantwoording);

static const BuurtenField transfer_fields[] = {
  F_UUID   (BuurtenTransfer, id, KEY),
  F_INT    (BuurtenTransfer, year, REQ),
  F_STRING (BuurtenTransfer, from_wijk, REQ, LEN_WIJK),
  F_STRING (BuurtenTransfer, to_wijk, REQ, LEN_WIJK),
  F_MONEY  (BuurtenTransfer, amount_cents, REQ),
  F_STRING (BuurtenTransfer, reason, REQ, LEN_REASON),
  F_DATE   (BuurtenTransfer, decided_on, 0),
  F_STRING (BuurtenTransfer, decision_ref, 0, LEN_NAME),
  F_DATE   (BuurtenTransfer, decision_date, 0),
  F_ENUM   (BuurtenTransfer, state, 0, buurten_move_state_ids),
  F_STRING (BuurtenTransfer, recorded_by, 0, LEN_NAME),
  F_STRING (BuurtenTransfer, confirmed_by, 0, LEN_NAME),
};
DEFINE_INFO (transfer, BuurtenTransfer);

static const BuurtenField carry_over_fields[] = {
  F_UUID   (BuurtenCarryOver, id, KEY),
  F_STRING (BuurtenCarryOver, wijk, REQ, LEN_WIJK),
  F_INT    (BuurtenCarryOver, from_year, REQ),
  F_MONEY  (BuurtenCarryOver, amount_cents, REQ),
  F_STRING (BuurtenCarryOver, reason, REQ, LEN_REASON),
  F_DATE   (BuurtenCarryOver, decided_on, 0),
  F_STRING (BuurtenCarryOver, decision_ref, 0, LEN_NAME),
  F_DATE   (BuurtenCarryOver, decision_date, 0),
  F_ENUM   (BuurtenCarryOver, state, 0, buurten_move_state_ids),
  F_STRING (BuurtenCarryOver, recorded_by, 0, LEN_NAME),
  F_STRING (BuurtenCarryOver, confirmed_by, 0, LEN_NAME),
};
DEFINE_INFO (carry_over, BuurtenCarryOver);

static const BuurtenField escalation_fields[] = {
  F_UUID   (BuurtenEscalation, id, KEY),
  F_STRING (BuurtenEscalation, wijk, REQ, LEN_WIJK),
  F_STRING (BuurtenEscalation, subject_type, REQ, LEN_SHORT),
  F_UUID   (BuurtenEscalation, subject_id, REQ),
  F_ENUM   (BuurtenEscalation, level, REQ, buurten_escalation_level_ids),
  F_STRING (BuurtenEscalation, target, 0, LEN_NAME),
  F_STRING (BuurtenEscalation, reason, REQ, LEN_TEXT),
  F_ENUM   (BuurtenEscalation, state, REQ, escalation_state_ids),
  F_TIME   (BuurtenEscalation, opened_at, 0),
  F_STRING (BuurtenEscalation, opened_by, 0, LEN_NAME),
  F_INT    (BuurtenEscalation, version, 0),
};
DEFINE_INFO (escalation, BuurtenEscalation);

static const BuurtenField meeting_fields[] = {
  F_UUID   (BuurtenMeeting, id, KEY),
  F_ENUM   (BuurtenMeeting, kind, REQ, buurten_meeting_kind_ids),
  F_STRING (BuurtenMeeting, wijk, 0, LEN_WIJK),
  F_STRING (BuurtenMeeting, cluster, 0, LEN_WIJK),
  F_TIME   (BuurtenMeeting, starts_at, REQ),
  F_STRING (BuurtenMeeting, location, 0, LEN_NAME),
  F_INT    (BuurtenMeeting, version, 0),
};
DEFINE_INFO (meeting, BuurtenMeeting);

static const BuurtenField agenda_item_fields[] = {
  F_UUID   (BuurtenAgendaItem, id, KEY),
  F_UUID   (BuurtenAgendaItem, meeting_id, REQ),
  F_STRING (BuurtenAgendaItem, subject_type, 0, LEN_SHORT),
  F_UUID   (BuurtenAgendaItem, subject_id, 0),
  F_STRING (BuurtenAgendaItem, title, REQ, LEN_NAME),
  F_INT    (BuurtenAgendaItem, position, 0),
  F_INT    (BuurtenAgendaItem, version, 0),
};
DEFINE_INFO (agenda_item, BuurtenAgendaItem);

static const BuurtenField action_fields[] = {
  F_UUID   (BuurtenAction, id, KEY),
  F_UUID   (BuurtenAction, meeting_id, REQ),
  F_STRING (BuurtenAction, owner, REQ, LEN_NAME),
  F_STRING (BuurtenAction, title, REQ, LEN_NAME),
  F_DATE   (BuurtenAction, due_on, 0),
  F_BOOL   (BuurtenAction, completed, 0),
  F_INT    (BuurtenAction, version, 0),
};
DEFINE_INFO (action, BuurtenAction);

static const BuurtenField note_fields[] = {
  F_UUID   (BuurtenNote, id, KEY),
  F_STRING (BuurtenNote, subject_type, REQ, LEN_SHORT),
  F_UUID   (BuurtenNote, subject_id, REQ),
  F_STRING (BuurtenNote, body, REQ, LEN_TEXT),
  F_STRING (BuurtenNote, author, 0, LEN_NAME),
  F_TIME   (BuurtenNote, created_at, 0),
  F_INT    (BuurtenNote, version, 0),
};
DEFINE_INFO (note, BuurtenNote);

const BuurtenEntityInfo * const buurten_entity_infos[] = {
  &buurten_theme_info,
  &buurten_request_info,
  &buurten_initiative_info,
  &buurten_budget_line_info,
  &buurten_activity_info,
  &buurten_agreement_info,
  &buurten_decision_info,
  &buurten_commitment_info,
  &buurten_signature_info,
  &buurten_payment_info,
  &buurten_verantwoording_info,
  &buurten_transfer_info,
  &buurten_carry_over_info,
  &buurten_escalation_info,
  &buurten_meeting_info,
  &buurten_agenda_item_info,
  &buurten_action_info,
  &buurten_note_info,
  NULL
};

/* ---- helpers ---------------------------------------------------------- */

#define FIELD_PTR(entity, field) ((guint8 *) (entity) + (field)->offset)
#define FIELD_CPTR(entity, field) ((const guint8 *) (entity) + (field)->offset)
#define FIELD_STRING(entity, field) (*(char **) FIELD_PTR (entity, field))
#define FIELD_CSTRING(entity, field) (*(char * const *) FIELD_CPTR (entity, field))
#define FIELD_INT64(entity, field) (*(gint64 *) FIELD_PTR (entity, field))
#define FIELD_CINT64(entity, field) (*(const gint64 *) FIELD_CPTR (entity, field))
#define FIELD_INT(entity, field) (*(int *) FIELD_PTR (entity, field))
#define FIELD_CINT(entity, field) (*(const int *) FIELD_CPTR (entity, field))
#define FIELD_BOOL(entity, field) (*(gboolean *) FIELD_PTR (entity, field))
#define FIELD_CBOOL(entity, field) (*(const gboolean *) FIELD_CPTR (entity, field))
#define FIELD_DATE(entity, field) ((GDate *) FIELD_PTR (entity, field))
#define FIELD_CDATE(entity, field) ((const GDate *) FIELD_CPTR (entity, field))

#define DEFAULT_MAX_LEN 65536

/* The range of timestamps that ISO 8601 with a four-digit year can show:
 * 0001-01-01T00:00:00Z .. 9999-12-31T23:59:59Z. */
#define TIMESTAMP_MIN G_GINT64_CONSTANT (-62135596800)
#define TIMESTAMP_MAX G_GINT64_CONSTANT (253402300799)

static gsize
field_max_len (const BuurtenField *field)
{
  return field->max_len != 0 ? field->max_len : DEFAULT_MAX_LEN;
}

static gboolean
field_is_required (const BuurtenField *field)
{
  return (field->flags & BUURTEN_FIELD_REQUIRED) != 0;
}

static guint
enum_n_ids (const char * const *ids)
{
  guint n = 0;

  while (ids[n] != NULL)
    n++;
  return n;
}

G_GNUC_PRINTF (4, 5)
static void
field_error (GError                  **error,
             const BuurtenEntityInfo  *info,
             const BuurtenField       *field,
             const char               *format,
             ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID,
               "%s.%s: %s", info->name, field->name, what);
}

/* Checks a string value of a STRING field; NULL is handled by callers. */
static gboolean
check_string (const BuurtenEntityInfo  *info,
              const BuurtenField       *field,
              const char               *value,
              GError                  **error)
{
  gsize len = strlen (value);

  if (!g_utf8_validate_len (value, len, NULL))
    {
      field_error (error, info, field, "%s", _("not valid UTF-8"));
      return FALSE;
    }

  if (len > field_max_len (field))
    {
      field_error (error, info, field, _("longer than %u bytes"),
                   (guint) field_max_len (field));
      return FALSE;
    }

  if (len == 0 && field_is_required (field))
    {
      field_error (error, info, field, "%s", _("must not be empty"));
      return FALSE;
    }

  return TRUE;
}

/* A formatted field (an IBAN, a KvK number ...) holds what
 * buurten-identifiers.h accepts; empty means not given. */
static gboolean
check_format (const BuurtenEntityInfo  *info,
              const BuurtenField       *field,
              const char               *value,
              GError                  **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean ok = TRUE;

  if (*value == '\0')
    return TRUE;

  switch (field->format)
    {
    case BUURTEN_FIELD_FORMAT_TEXT:
      return TRUE;
    case BUURTEN_FIELD_FORMAT_IBAN:
      ok = buurten_iban_check (value, &local_error);
      break;
    case BUURTEN_FIELD_FORMAT_KVK:
      ok = buurten_kvk_check (value, &local_error);
      break;
    case BUURTEN_FIELD_FORMAT_EMAIL:
      ok = buurten_email_check (value, &local_error);
      break;
    case BUURTEN_FIELD_FORMAT_PHONE:
      ok = buurten_phone_check (value, &local_error);
      break;
    default:
      g_assert_not_reached ();
    }

  if (!ok)
    field_error (error, info, field, "%s", local_error->message);
  return ok;
}

static gboolean
check_money (const BuurtenEntityInfo  *info,
             const BuurtenField       *field,
             gint64                    cents,
             GError                  **error)
{
  if (cents < 0 || cents > BUURTEN_MONEY_MAX_CENTS)
    {
      field_error (error, info, field, "%s", _("amount out of range"));
      return FALSE;
    }
  return TRUE;
}

/* Quotes a value someone sent in an error message, shortened so that a
 * megabyte of garbage does not end up in a log line. */
static char *
quote_value (const char *value)
{
  if (g_utf8_strlen (value, -1) > 40)
    {
      g_autofree char *head = g_utf8_substring (value, 0, 40);

      return g_strdup_printf ("%s…", head);
    }
  return g_strdup (value);
}

static gboolean
all_digits (const char *p,
            guint       n)
{
  for (guint i = 0; i < n; i++)
    if (!g_ascii_isdigit (p[i]))
      return FALSE;
  return TRUE;
}

static guint
digits_value (const char *p,
              guint       n)
{
  guint v = 0;

  for (guint i = 0; i < n; i++)
    v = v * 10 + (guint) (p[i] - '0');
  return v;
}

/* Exactly "YYYY-MM-DD" naming a day that exists (no 2026-02-29). */
static gboolean
parse_date (const char *text,
            GDate      *out)
{
  guint year, month, day;

  if (strlen (text) != 10 || text[4] != '-' || text[7] != '-' ||
      !all_digits (text, 4) || !all_digits (text + 5, 2) || !all_digits (text + 8, 2))
    return FALSE;

  year = digits_value (text, 4);
  month = digits_value (text + 5, 2);
  day = digits_value (text + 8, 2);

  if (month < 1 || month > 12 || day < 1 ||
      !g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    return FALSE;

  g_date_clear (out, 1);
  g_date_set_dmy (out, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
  return TRUE;
}

static char *
format_date (const GDate *date)
{
  return g_strdup_printf ("%04u-%02u-%02u",
                          (guint) g_date_get_year (date),
                          (guint) g_date_get_month (date),
                          (guint) g_date_get_day (date));
}

/* "YYYY-MM-DDTHH:MM:SS", optional fraction, then "Z" or "+HH:MM". The
 * shape is checked here because g_date_time_new_from_iso8601() also takes
 * week dates, ordinal dates and the basic format, which nothing of ours
 * sends; a time without a zone is refused because its instant is unknown. */
static gboolean
parse_timestamp (const char *text,
                 gint64     *out)
{
  g_autoptr(GDateTime) dt = NULL;
  gsize len = strlen (text);
  const char *p;

  if (len < 20 || len > 35)
    return FALSE;

  if (!all_digits (text, 4) || text[4] != '-' || !all_digits (text + 5, 2) ||
      text[7] != '-' || !all_digits (text + 8, 2) || text[10] != 'T' ||
      !all_digits (text + 11, 2) || text[13] != ':' || !all_digits (text + 14, 2) ||
      text[16] != ':' || !all_digits (text + 17, 2))
    return FALSE;

  p = text + 19;
  if (*p == '.')
    {
      guint n = 0;

      p++;
      while (g_ascii_isdigit (p[n]))
        n++;
      if (n < 1 || n > 9)
        return FALSE;
      p += n;
    }

  if (strcmp (p, "Z") != 0)
    {
      if ((p[0] != '+' && p[0] != '-') || strlen (p) != 6 || !all_digits (p + 1, 2) ||
          p[3] != ':' || !all_digits (p + 4, 2))
        return FALSE;
    }

  dt = g_date_time_new_from_iso8601 (text, NULL);
  if (dt == NULL)
    return FALSE;

  *out = g_date_time_to_unix (dt);
  return *out >= TIMESTAMP_MIN && *out <= TIMESTAMP_MAX;
}

static char *
format_timestamp (gint64 t)
{
  g_autoptr(GDateTime) dt = NULL;

  if (t < TIMESTAMP_MIN || t > TIMESTAMP_MAX)
    return NULL;

  dt = g_date_time_new_from_unix_utc (t);
  if (dt == NULL)
    return NULL;

  return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02dZ",
                          g_date_time_get_year (dt),
                          g_date_time_get_month (dt),
                          g_date_time_get_day_of_month (dt),
                          g_date_time_get_hour (dt),
                          g_date_time_get_minute (dt),
                          g_date_time_get_second (dt));
}

static gboolean
uuid_is_lowercase (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if (g_ascii_isupper (*p))
      return FALSE;
  return TRUE;
}

/* ---- public API ------------------------------------------------------- */

int
buurten_enum_from_id (const char * const *ids,
                      const char         *id)
{
  g_return_val_if_fail (ids != NULL, -1);

  if (id == NULL)
    return -1;

  for (int i = 0; ids[i] != NULL; i++)
    if (strcmp (ids[i], id) == 0)
      return i;

  return -1;
}

const BuurtenEntityInfo *
buurten_entity_info_lookup (const char *name)
{
  if (name == NULL)
    return NULL;

  for (guint i = 0; buurten_entity_infos[i] != NULL; i++)
    if (strcmp (buurten_entity_infos[i]->name, name) == 0)
      return buurten_entity_infos[i];

  return NULL;
}

const BuurtenField *
buurten_entity_info_get_field (const BuurtenEntityInfo *info,
                               const char              *name)
{
  g_return_val_if_fail (info != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < info->n_fields; i++)
    if (strcmp (info->fields[i].name, name) == 0)
      return &info->fields[i];

  return NULL;
}

gpointer
buurten_entity_new (const BuurtenEntityInfo *info)
{
  g_return_val_if_fail (info != NULL, NULL);

  /* All zero is the documented default: NULL strings, cleared (invalid)
   * GDates, 0 timestamps and every enum at its first id. */
  return g_malloc0 (info->size);
}

gpointer
buurten_entity_copy (const BuurtenEntityInfo *info,
                     gconstpointer            entity)
{
  gpointer copy;

  g_return_val_if_fail (info != NULL, NULL);
  g_return_val_if_fail (entity != NULL, NULL);

  copy = g_memdup2 (entity, info->size);

  for (guint i = 0; i < info->n_fields; i++)
    {
      const BuurtenField *field = &info->fields[i];

      if (field->kind == BUURTEN_FIELD_STRING || field->kind == BUURTEN_FIELD_UUID)
        FIELD_STRING (copy, field) = g_strdup (FIELD_CSTRING (entity, field));
    }

  return copy;
}

void
buurten_entity_free (const BuurtenEntityInfo *info,
                     gpointer                 entity)
{
  g_return_if_fail (info != NULL);

  if (entity == NULL)
    return;

  for (guint i = 0; i < info->n_fields; i++)
    {
      const BuurtenField *field = &info->fields[i];

      if (field->kind == BUURTEN_FIELD_STRING || field->kind == BUURTEN_FIELD_UUID)
        g_free (FIELD_STRING (entity, field));
    }

  g_free (entity);
}

static gboolean
dates_equal (const GDate *a,
             const GDate *b)
{
  gboolean a_valid = g_date_valid (a);
  gboolean b_valid = g_date_valid (b);

  if (!a_valid || !b_valid)
    return a_valid == b_valid;

  return g_date_compare (a, b) == 0;
}

gboolean
buurten_entity_equal (const BuurtenEntityInfo *info,
                      gconstpointer            a,
                      gconstpointer            b)
{
  g_return_val_if_fail (info != NULL, FALSE);

  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;

  for (guint i = 0; i < info->n_fields; i++)
    {
      const BuurtenField *field = &info->fields[i];

      switch (field->kind)
        {
        case BUURTEN_FIELD_STRING:
        case BUURTEN_FIELD_UUID:
          if (g_strcmp0 (FIELD_CSTRING (a, field), FIELD_CSTRING (b, field)) != 0)
            return FALSE;
          break;

        case BUURTEN_FIELD_INT:
        case BUURTEN_FIELD_MONEY:
        case BUURTEN_FIELD_TIMESTAMP:
          if (FIELD_CINT64 (a, field) != FIELD_CINT64 (b, field))
            return FALSE;
          break;

        case BUURTEN_FIELD_BOOL:
          if (!FIELD_CBOOL (a, field) != !FIELD_CBOOL (b, field))
            return FALSE;
          break;

        case BUURTEN_FIELD_DATE:
          if (!dates_equal (FIELD_CDATE (a, field), FIELD_CDATE (b, field)))
            return FALSE;
          break;

        case BUURTEN_FIELD_ENUM:
          if (FIELD_CINT (a, field) != FIELD_CINT (b, field))
            return FALSE;
          break;

        default:
          g_assert_not_reached ();
        }
    }

  return TRUE;
}

static gboolean
validate_field (const BuurtenEntityInfo  *info,
                const BuurtenField       *field,
                gconstpointer             entity,
                GError                  **error)
{
  switch (field->kind)
    {
    case BUURTEN_FIELD_STRING:
      {
        const char *value = FIELD_CSTRING (entity, field);

        if (value == NULL)
          break;
        return check_string (info, field, value, error) &&
               check_format (info, field, value, error);
      }

    case BUURTEN_FIELD_UUID:
      {
        const char *value = FIELD_CSTRING (entity, field);

        if (value == NULL)
          break;
        /* Stored ids are lowercase so that they compare as text. */
        if (!buurten_uuid_is_valid (value) || !uuid_is_lowercase (value))
          {
            field_error (error, info, field, "%s", _("not a valid UUID"));
            return FALSE;
          }
        return TRUE;
      }

    case BUURTEN_FIELD_INT:
      return TRUE;

    case BUURTEN_FIELD_MONEY:
      return check_money (info, field, FIELD_CINT64 (entity, field), error);

    case BUURTEN_FIELD_BOOL:
      return TRUE;

    case BUURTEN_FIELD_DATE:
      if (!g_date_valid (FIELD_CDATE (entity, field)))
        break;
      return TRUE;

    case BUURTEN_FIELD_TIMESTAMP:
      {
        gint64 t = FIELD_CINT64 (entity, field);

        if (t == 0)
          break;
        if (t < TIMESTAMP_MIN || t > TIMESTAMP_MAX)
          {
            field_error (error, info, field, "%s", _("time out of range"));
            return FALSE;
          }
        return TRUE;
      }

    case BUURTEN_FIELD_ENUM:
      {
        int v = FIELD_CINT (entity, field);

        if (v < 0 || (guint) v >= enum_n_ids (field->enum_ids))
          {
            field_error (error, info, field, _("invalid value %d"), v);
            return FALSE;
          }
        return TRUE;
      }

    default:
      g_assert_not_reached ();
    }

  /* The field is unset. */
  if (field_is_required (field))
    {
      field_error (error, info, field, "%s", _("missing"));
      return FALSE;
    }

  return TRUE;
}

gboolean
buurten_entity_validate (const BuurtenEntityInfo *info,
                         gconstpointer            entity,
                         GError                 **error)
{
  g_return_val_if_fail (info != NULL, FALSE);
  g_return_val_if_fail (entity != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (guint i = 0; i < info->n_fields; i++)
    if (!validate_field (info, &info->fields[i], entity, error))
      return FALSE;

  return TRUE;
}

JsonNode *
buurten_entity_to_json (const BuurtenEntityInfo *info,
                        gconstpointer            entity,
                        gboolean                 include_personal)
{
  g_autoptr(JsonObject) object = NULL;
  JsonNode *node;

  g_return_val_if_fail (info != NULL, NULL);
  g_return_val_if_fail (entity != NULL, NULL);

  object = json_object_new ();

  for (guint i = 0; i < info->n_fields; i++)
    {
      const BuurtenField *field = &info->fields[i];

      if (!include_personal && (field->flags & BUURTEN_FIELD_PERSONAL) != 0)
        continue;

      /* Unset values (NULL strings, invalid dates, 0 timestamps) are left
       * out rather than written as null: absent and null decode alike. */
      switch (field->kind)
        {
        case BUURTEN_FIELD_STRING:
        case BUURTEN_FIELD_UUID:
          if (FIELD_CSTRING (entity, field) != NULL)
            json_object_set_string_member (object, field->name,
                                           FIELD_CSTRING (entity, field));
          break;

        case BUURTEN_FIELD_INT:
        case BUURTEN_FIELD_MONEY:
          json_object_set_int_member (object, field->name, FIELD_CINT64 (entity, field));
          break;

        case BUURTEN_FIELD_BOOL:
          json_object_set_boolean_member (object, field->name,
                                          FIELD_CBOOL (entity, field) != FALSE);
          break;

        case BUURTEN_FIELD_DATE:
          if (g_date_valid (FIELD_CDATE (entity, field)))
            {
              g_autofree char *text = format_date (FIELD_CDATE (entity, field));

              json_object_set_string_member (object, field->name, text);
            }
          break;

        case BUURTEN_FIELD_TIMESTAMP:
          if (FIELD_CINT64 (entity, field) != 0)
            {
              g_autofree char *text = format_timestamp (FIELD_CINT64 (entity, field));

              if (text != NULL)
                json_object_set_string_member (object, field->name, text);
            }
          break;

        case BUURTEN_FIELD_ENUM:
          {
            int v = FIELD_CINT (entity, field);

            if (v >= 0 && (guint) v < enum_n_ids (field->enum_ids))
              json_object_set_string_member (object, field->name, field->enum_ids[v]);
          }
          break;

        default:
          g_assert_not_reached ();
        }
    }

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, object);
  return node;
}

static gboolean
field_from_json (const BuurtenEntityInfo  *info,
                 const BuurtenField       *field,
                 JsonObject               *object,
                 gpointer                  entity,
                 GError                  **error)
{
  gboolean required = field_is_required (field);
  const char *text = NULL;

  switch (field->kind)
    {
    case BUURTEN_FIELD_STRING:
      if (!buurten_json_get_string (object, info->name, field->name, required, &text, error))
        return FALSE;
      if (text == NULL)
        return TRUE;
      if (!check_string (info, field, text, error))
        return FALSE;
      FIELD_STRING (entity, field) = g_strdup (text);
      return TRUE;

    case BUURTEN_FIELD_UUID:
      if (!buurten_json_get_string (object, info->name, field->name, required, &text, error))
        return FALSE;
      if (text == NULL)
        return TRUE;
      if (!buurten_uuid_is_valid (text))
        {
          field_error (error, info, field, "%s", _("not a valid UUID"));
          return FALSE;
        }
      FIELD_STRING (entity, field) = g_ascii_strdown (text, -1);
      return TRUE;

    case BUURTEN_FIELD_INT:
      return buurten_json_get_int (object, info->name, field->name, required,
                                   &FIELD_INT64 (entity, field), error);

    case BUURTEN_FIELD_MONEY:
      {
        gint64 cents;

        if (!buurten_json_get_int (object, info->name, field->name, required, &cents, error) ||
            !check_money (info, field, cents, error))
          return FALSE;
        FIELD_INT64 (entity, field) = cents;
        return TRUE;
      }

    case BUURTEN_FIELD_BOOL:
      return buurten_json_get_bool (object, info->name, field->name, required,
                                    &FIELD_BOOL (entity, field), error);

    case BUURTEN_FIELD_DATE:
      if (!buurten_json_get_string (object, info->name, field->name, required, &text, error))
        return FALSE;
      if (text == NULL)
        return TRUE;
      if (!parse_date (text, FIELD_DATE (entity, field)))
        {
          field_error (error, info, field, "%s", _("expected a date (YYYY-MM-DD)"));
          return FALSE;
        }
      return TRUE;

    case BUURTEN_FIELD_TIMESTAMP:
      {
        gint64 t;

        if (!buurten_json_get_string (object, info->name, field->name, required, &text, error))
          return FALSE;
        if (text == NULL)
          return TRUE;
        if (!parse_timestamp (text, &t))
          {
            field_error (error, info, field, "%s",
                         _("expected a time in ISO 8601 with a time zone"));
            return FALSE;
          }
        FIELD_INT64 (entity, field) = t;
        return TRUE;
      }

    case BUURTEN_FIELD_ENUM:
      {
        int v;

        if (!buurten_json_get_string (object, info->name, field->name, required, &text, error))
          return FALSE;
        if (text == NULL)
          return TRUE;
        v = buurten_enum_from_id (field->enum_ids, text);
        if (v < 0)
          {
            g_autofree char *quoted = quote_value (text);

            field_error (error, info, field, _("unknown value “%s”"), quoted);
            return FALSE;
          }
        FIELD_INT (entity, field) = v;
        return TRUE;
      }

    default:
      g_assert_not_reached ();
    }

  return FALSE;
}

gpointer
buurten_entity_from_json (const BuurtenEntityInfo *info,
                          JsonNode                *node,
                          GError                 **error)
{
  gpointer entity;
  JsonObject *object;

  g_return_val_if_fail (info != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID,
                   "%s: %s", info->name, _("expected an object"));
      return NULL;
    }

  object = json_node_get_object (node);
  entity = buurten_entity_new (info);

  for (guint i = 0; i < info->n_fields; i++)
    {
      if (!field_from_json (info, &info->fields[i], object, entity, error))
        {
          buurten_entity_free (info, entity);
          return NULL;
        }
    }

  return entity;
}

char *
buurten_uuid_new (void)
{
  return g_uuid_string_random ();
}

gboolean
buurten_uuid_is_valid (const char *text)
{
  static const guint group_len[] = { 8, 4, 4, 4, 12 };
  const char *p = text;

  if (text == NULL)
    return FALSE;

  /* Only the hyphenated 36-character form, in either case. */
  for (guint g = 0; g < G_N_ELEMENTS (group_len); g++)
    {
      if (g > 0)
        {
          if (*p != '-')
            return FALSE;
          p++;
        }
      for (guint i = 0; i < group_len[g]; i++, p++)
        if (!g_ascii_isxdigit (*p))
          return FALSE;
    }

  return *p == '\0';
}
