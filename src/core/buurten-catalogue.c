/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-catalogue"

#include "config.h"

#include "buurten-catalogue.h"

#include <glib/gi18n.h>

/* ---- the arguments ------------------------------------------------------ */

#define REQ BUURTEN_ARG_REQUIRED
#define PERSONAL BUURTEN_ARG_PERSONAL
#define A(name, kind, flags) { name, BUURTEN_ARG_##kind, flags }
#define END { NULL, 0, 0 }

static const BuurtenMutationArg update_args[] = {
  A ("id", UUID, REQ), A ("set", OBJECT, REQ), A ("base", OBJECT, REQ), END
};
static const BuurtenMutationArg transition_args[] = {
  A ("id", UUID, REQ), A ("expect_state", STRING, REQ), A ("to", STRING, REQ),
  A ("note", STRING, 0), END
};
static const BuurtenMutationArg id_args[] = { A ("id", UUID, REQ), END };

static const BuurtenMutationArg request_create_args[] = {
  A ("id", UUID, REQ), A ("wijk", STRING, REQ), A ("type", ENUM, REQ), A ("title", STRING, REQ),
  A ("description", STRING, 0), A ("received_at", TIMESTAMP, 0), A ("category", STRING, 0),
  A ("reporter", OBJECT, PERSONAL), END
};
static const BuurtenMutationArg request_assign_args[] = {
  A ("id", UUID, REQ), A ("assignee", STRING, 0), END
};
static const BuurtenMutationArg initiative_create_args[] = {
  A ("id", UUID, REQ), A ("wijk", STRING, REQ), A ("title", STRING, REQ),
  A ("description", STRING, 0), A ("organiser", STRING, PERSONAL),
  A ("requested_cents", MONEY, 0), A ("theme", STRING, 0),
  A ("organiser_address", STRING, PERSONAL), A ("organiser_phone", STRING, PERSONAL),
  A ("organiser_email", STRING, PERSONAL), A ("organisation", STRING, 0), A ("kvk", STRING, 0),
  A ("iban", STRING, PERSONAL), A ("account_holder", STRING, PERSONAL),
  A ("for_whom", STRING, 0), A ("place", STRING, 0), A ("support_note", STRING, 0), END
};
/* An idea that came in as a request (kind idee) taken on as an
 * initiative: its title, text and reporter carried over, linked both ways. */
static const BuurtenMutationArg initiative_from_request_args[] = {
  A ("id", UUID, REQ), A ("request_id", UUID, REQ), END
};
static const BuurtenMutationArg budget_line_add_args[] = {
  A ("id", UUID, REQ), A ("initiative_id", UUID, REQ), A ("kind", ENUM, REQ),
  A ("description", STRING, REQ), A ("amount_cents", MONEY, REQ), A ("position", INT, 0), END
};
static const BuurtenMutationArg agreement_add_args[] = {
  A ("id", UUID, REQ), A ("initiative_id", UUID, REQ), A ("side", ENUM, REQ),
  A ("description", STRING, REQ), A ("owner", STRING, 0), A ("due_on", DATE, 0),
  A ("position", INT, 0), END
};
/* The organiser's signature on the buurtdeal, as the coordinator saw it. */
static const BuurtenMutationArg deal_signed_args[] = {
  A ("id", UUID, REQ), A ("deal_signed_by", STRING, REQ | PERSONAL),
  A ("deal_signed_on", DATE, REQ), A ("deal_signed_place", STRING, 0), END
};
static const BuurtenMutationArg activity_add_args[] = {
  A ("id", UUID, REQ), A ("initiative_id", UUID, REQ), A ("starts_on", DATE, REQ),
  A ("ends_on", DATE, 0), A ("title", STRING, 0), A ("place", STRING, 0), END
};
static const BuurtenMutationArg decision_args[] = {
  A ("id", UUID, REQ), A ("initiative_id", UUID, REQ), A ("outcome", ENUM, REQ),
  A ("amount_cents", MONEY, 0), A ("reason", STRING, 0), A ("decided_on", DATE, 0), END
};
/* reason: the decider's motivation, which the decision recorded by the
 * last signature keeps. */
static const BuurtenMutationArg commitment_create_args[] = {
  A ("id", UUID, REQ), A ("initiative_id", UUID, REQ), A ("amount_cents", MONEY, REQ),
  A ("funding", ENUM, REQ), A ("year", INT, REQ), A ("reason", STRING, 0), END
};
static const BuurtenMutationArg commitment_cancel_args[] = {
  A ("id", UUID, REQ), A ("reason", STRING, REQ), END
};
static const BuurtenMutationArg payment_args[] = {
  A ("id", UUID, REQ), A ("commitment_id", UUID, REQ), A ("amount_cents", MONEY, REQ),
  A ("paid_on", DATE, 0), A ("kind", ENUM, 0), A ("reference", STRING, 0), END
};
/* The initiative's verantwoording; actuals: what each budget line really
 * came to, { "<budget_line id>": cents }. The server works out and
 * releases what was approved and not paid. */
static const BuurtenMutationArg verantwoording_args[] = {
  A ("id", UUID, REQ), A ("initiative_id", UUID, REQ), A ("happened", STRING, REQ),
  A ("feedback", STRING, REQ), A ("attachments", STRING, 0), A ("actuals", OBJECT, 0),
  A ("recorded_on", DATE, 0), END
};
static const BuurtenMutationArg transfer_args[] = {
  A ("id", UUID, REQ), A ("year", INT, REQ), A ("from_wijk", STRING, REQ),
  A ("to_wijk", STRING, REQ), A ("amount_cents", MONEY, REQ), A ("reason", STRING, REQ),
  A ("decision_ref", STRING, REQ), A ("decision_date", DATE, REQ), END
};
static const BuurtenMutationArg carry_over_args[] = {
  A ("id", UUID, REQ), A ("wijk", STRING, REQ), A ("from_year", INT, REQ),
  A ("amount_cents", MONEY, REQ), A ("reason", STRING, REQ),
  A ("decision_ref", STRING, REQ), A ("decision_date", DATE, REQ), END
};
static const BuurtenMutationArg escalation_open_args[] = {
  A ("id", UUID, REQ), A ("wijk", STRING, REQ), A ("subject_type", STRING, REQ),
  A ("subject_id", UUID, REQ), A ("level", ENUM, REQ), A ("target", STRING, 0),
  A ("reason", STRING, REQ), END
};
static const BuurtenMutationArg meeting_create_args[] = {
  A ("id", UUID, REQ), A ("kind", ENUM, REQ), A ("wijk", STRING, 0), A ("cluster", STRING, 0),
  A ("starts_at", TIMESTAMP, REQ), A ("location", STRING, 0), END
};
static const BuurtenMutationArg agenda_item_add_args[] = {
  A ("id", UUID, REQ), A ("meeting_id", UUID, REQ), A ("subject_type", STRING, 0),
  A ("subject_id", UUID, 0), A ("title", STRING, REQ), A ("position", INT, 0), END
};
static const BuurtenMutationArg action_create_args[] = {
  A ("id", UUID, REQ), A ("meeting_id", UUID, REQ), A ("owner", STRING, 0),
  A ("title", STRING, REQ), A ("due_on", DATE, 0), END
};
static const BuurtenMutationArg note_create_args[] = {
  A ("id", UUID, REQ), A ("subject_type", STRING, REQ), A ("subject_id", UUID, REQ),
  A ("body", STRING, REQ), END
};
static const BuurtenMutationArg note_update_args[] = {
  A ("id", UUID, REQ), A ("body", STRING, REQ), A ("base", OBJECT, 0), END
};
static const BuurtenMutationArg theme_create_args[] = {
  A ("id", UUID, REQ), A ("wijk", STRING, REQ), A ("year", INT, REQ), A ("title", STRING, REQ),
  A ("position", INT, 0), END
};

#undef A
#undef END

/* ---- the fields they touch ---------------------------------------------- */

static const char * const state_fields[] = { "state", NULL };
static const char * const request_update_fields[] = {
  "title", "description", "reporter_name", "reporter_contact", "category", NULL
};
static const char * const request_assign_fields[] = { "assignee", NULL };
static const char * const initiative_update_fields[] = {
  "title", "description", "organiser", "requested_cents", "theme",
  "crit_residents", "crit_support", "crit_themes", "crit_adds",
  "princ_lawful", "princ_own_effort", "princ_feedback", "princ_accounting",
  "support_note", "organiser_address", "organiser_phone", "organiser_email", "organisation",
  "kvk", "iban", "account_holder", "for_whom", "place", "support_count",
  "crit_residents_remark", "crit_support_remark", "crit_themes_remark", "crit_adds_remark",
  "princ_lawful_remark", "princ_own_effort_remark", "princ_feedback_remark",
  "princ_accounting_remark", NULL
};
static const char * const budget_line_update_fields[] = {
  "kind", "description", "amount_cents", "position", NULL
};
static const char * const agreement_update_fields[] = {
  "side", "description", "owner", "due_on", "progress", "position", NULL
};
static const char * const deal_signed_fields[] = {
  "deal_signed_by", "deal_signed_on", "deal_signed_place", NULL
};
static const char * const activity_update_fields[] = {
  "starts_on", "ends_on", "title", "place", NULL
};
static const char * const commitment_cancel_fields[] = { "state", "cancel_reason", NULL };
static const char * const move_confirm_fields[] = { "state", "confirmed_by", NULL };
static const char * const meeting_update_fields[] = { "kind", "starts_at", "location", NULL };
static const char * const agenda_update_fields[] = {
  "title", "position", "subject_type", "subject_id", NULL
};
static const char * const action_complete_fields[] = { "completed", NULL };
static const char * const note_update_fields[] = { "body", NULL };
static const char * const theme_update_fields[] = { "title", "position", NULL };
static const char * const no_fields[] = { NULL };

/* ---- the table ---------------------------------------------------------- */

#define ROW(ID, name, entity, shape, args, fields, label) \
  [BUURTEN_MUTATION_##ID] = { BUURTEN_MUTATION_##ID, name, entity, \
                              BUURTEN_MUTATION_SHAPE_##shape, args, fields, label }

static const BuurtenMutationInfo catalogue[BUURTEN_N_MUTATIONS] = {
  ROW (REQUEST_CREATE, "request.create", &buurten_request_info, CREATE,
       request_create_args, no_fields, N_("A new request")),
  ROW (REQUEST_UPDATE, "request.update", &buurten_request_info, UPDATE,
       update_args, request_update_fields, N_("A change to a request")),
  ROW (REQUEST_TRANSITION, "request.transition", &buurten_request_info, FIELDS,
       transition_args, state_fields, N_("A status change of a request")),
  ROW (REQUEST_ASSIGN, "request.assign", &buurten_request_info, FIELDS,
       request_assign_args, request_assign_fields, N_("An assignment of a request")),
  ROW (INITIATIVE_CREATE, "initiative.create", &buurten_initiative_info, CREATE,
       initiative_create_args, no_fields, N_("A new initiative")),
  ROW (INITIATIVE_UPDATE, "initiative.update", &buurten_initiative_info, UPDATE,
       update_args, initiative_update_fields, N_("A change to an initiative")),
  ROW (INITIATIVE_TRANSITION, "initiative.transition", &buurten_initiative_info, FIELDS,
       transition_args, state_fields, N_("A status change of an initiative")),
  ROW (DECISION_RECORD, "decision.record", &buurten_decision_info, CREATE,
       decision_args, no_fields, N_("A decision")),
  ROW (COMMITMENT_CREATE, "commitment.create", &buurten_commitment_info, CREATE,
       commitment_create_args, no_fields, N_("A commitment of money")),
  ROW (COMMITMENT_SIGN, "commitment.sign", &buurten_commitment_info, CHILD,
       id_args, state_fields, N_("A signature")),
  ROW (COMMITMENT_CANCEL, "commitment.cancel", &buurten_commitment_info, FIELDS,
       commitment_cancel_args, commitment_cancel_fields, N_("A cancellation of a commitment")),
  ROW (PAYMENT_RECORD, "payment.record", &buurten_payment_info, CREATE,
       payment_args, no_fields, N_("A payment")),
  ROW (BUDGET_TRANSFER, "budget.transfer", &buurten_transfer_info, CREATE,
       transfer_args, no_fields, N_("A budget transfer")),
  ROW (BUDGET_CARRY_OVER, "budget.carry_over", &buurten_carry_over_info, CREATE,
       carry_over_args, no_fields, N_("A carry-over of budget")),
  ROW (BUDGET_CONFIRM, "budget.confirm", NULL, FIELDS,
       id_args, move_confirm_fields, N_("A confirmation of a budget move")),
  ROW (ESCALATION_OPEN, "escalation.open", &buurten_escalation_info, CREATE,
       escalation_open_args, no_fields, N_("A new escalation")),
  ROW (ESCALATION_TRANSITION, "escalation.transition", &buurten_escalation_info, FIELDS,
       transition_args, state_fields, N_("A status change of an escalation")),
  ROW (MEETING_CREATE, "meeting.create", &buurten_meeting_info, CREATE,
       meeting_create_args, no_fields, N_("A new meeting")),
  ROW (MEETING_UPDATE, "meeting.update", &buurten_meeting_info, UPDATE,
       update_args, meeting_update_fields, N_("A change to a meeting")),
  ROW (AGENDA_ITEM_ADD, "agenda_item.add", &buurten_agenda_item_info, CREATE,
       agenda_item_add_args, no_fields, N_("A new agenda item")),
  ROW (AGENDA_ITEM_UPDATE, "agenda_item.update", &buurten_agenda_item_info, UPDATE,
       update_args, agenda_update_fields, N_("A change to an agenda item")),
  ROW (AGENDA_ITEM_REMOVE, "agenda_item.remove", &buurten_agenda_item_info, DELETE,
       id_args, no_fields, N_("A removed agenda item")),
  ROW (ACTION_CREATE, "action.create", &buurten_action_info, CREATE,
       action_create_args, no_fields, N_("A new action")),
  ROW (ACTION_COMPLETE, "action.complete", &buurten_action_info, FIELDS,
       id_args, action_complete_fields, N_("A completed action")),
  ROW (NOTE_CREATE, "note.create", &buurten_note_info, CREATE,
       note_create_args, no_fields, N_("A new note")),
  ROW (NOTE_UPDATE, "note.update", &buurten_note_info, FIELDS,
       note_update_args, note_update_fields, N_("A change to a note")),
  ROW (NOTE_DELETE, "note.delete", &buurten_note_info, DELETE,
       id_args, no_fields, N_("A deleted note")),
  ROW (THEME_CREATE, "theme.create", &buurten_theme_info, CREATE,
       theme_create_args, no_fields, N_("A new theme")),
  ROW (THEME_UPDATE, "theme.update", &buurten_theme_info, UPDATE,
       update_args, theme_update_fields, N_("A change to a theme")),
  ROW (THEME_REMOVE, "theme.remove", &buurten_theme_info, DELETE,
       id_args, no_fields, N_("A removed theme")),
  ROW (INITIATIVE_FROM_REQUEST, "initiative.from_request", &buurten_initiative_info, CREATE,
       initiative_from_request_args, no_fields, N_("An idea taken on as an initiative")),
  ROW (BUDGET_LINE_ADD, "budget_line.add", &buurten_budget_line_info, CREATE,
       budget_line_add_args, no_fields, N_("A new budget line")),
  ROW (BUDGET_LINE_UPDATE, "budget_line.update", &buurten_budget_line_info, UPDATE,
       update_args, budget_line_update_fields, N_("A change to a budget line")),
  ROW (BUDGET_LINE_REMOVE, "budget_line.remove", &buurten_budget_line_info, DELETE,
       id_args, no_fields, N_("A removed budget line")),
  ROW (ACTIVITY_ADD, "activity.add", &buurten_activity_info, CREATE,
       activity_add_args, no_fields, N_("A new date of an initiative")),
  ROW (ACTIVITY_UPDATE, "activity.update", &buurten_activity_info, UPDATE,
       update_args, activity_update_fields, N_("A change to a date of an initiative")),
  ROW (ACTIVITY_REMOVE, "activity.remove", &buurten_activity_info, DELETE,
       id_args, no_fields, N_("A removed date of an initiative")),
  ROW (AGREEMENT_ADD, "agreement.add", &buurten_agreement_info, CREATE,
       agreement_add_args, no_fields, N_("A new agreement of a buurtdeal")),
  ROW (AGREEMENT_UPDATE, "agreement.update", &buurten_agreement_info, UPDATE,
       update_args, agreement_update_fields, N_("A change to an agreement of a buurtdeal")),
  ROW (AGREEMENT_REMOVE, "agreement.remove", &buurten_agreement_info, DELETE,
       id_args, no_fields, N_("A removed agreement of a buurtdeal")),
  ROW (INITIATIVE_DEAL_SIGNED, "initiative.deal_signed", &buurten_initiative_info, FIELDS,
       deal_signed_args, deal_signed_fields, N_("The organiser’s signature on a buurtdeal")),
  ROW (VERANTWOORDING_RECORD, "verantwoording.record", &buurten_verantwoording_info, CREATE,
       verantwoording_args, no_fields, N_("A verantwoording of an initiative")),
};

#undef ROW

const BuurtenMutationInfo *
buurten_mutation_info (BuurtenMutationId id)
{
  g_return_val_if_fail ((guint) id < BUURTEN_N_MUTATIONS, NULL);

  return &catalogue[id];
}

const BuurtenMutationInfo *
buurten_mutation_lookup (const char *name)
{
  if (name == NULL)
    return NULL;

  for (guint i = 0; i < BUURTEN_N_MUTATIONS; i++)
    if (g_str_equal (catalogue[i].name, name))
      return &catalogue[i];

  return NULL;
}

const char *
buurten_mutation_name (BuurtenMutationId id)
{
  g_return_val_if_fail ((guint) id < BUURTEN_N_MUTATIONS, NULL);

  return catalogue[id].name;
}

const char *
buurten_mutation_label (const char *name)
{
  const BuurtenMutationInfo *info = buurten_mutation_lookup (name);

  if (info == NULL)
    return _("A change");
  return _(info->label);
}

const BuurtenMutationArg *
buurten_mutation_get_arg (const BuurtenMutationInfo *info,
                          const char                *member)
{
  g_return_val_if_fail (info != NULL, NULL);

  for (const BuurtenMutationArg *arg = info->args; arg->name != NULL; arg++)
    if (g_strcmp0 (arg->name, member) == 0)
      return arg;

  return NULL;
}

void
buurten_mutation_pending_fields (const BuurtenMutationInfo *info,
                                 JsonObject                *args,
                                 GHashTable                *fields)
{
  g_return_if_fail (fields != NULL);

  if (info == NULL)
    {
      g_hash_table_add (fields, g_strdup ("*"));
      return;
    }

  switch (info->shape)
    {
    case BUURTEN_MUTATION_SHAPE_UPDATE:
      {
        JsonNode *member = args != NULL ? json_object_get_member (args, "set") : NULL;
        JsonObjectIter iter;
        const char *field;

        if (member == NULL || !JSON_NODE_HOLDS_OBJECT (member))
          {
            g_hash_table_add (fields, g_strdup ("*"));
            return;
          }
        json_object_iter_init (&iter, json_node_get_object (member));
        while (json_object_iter_next (&iter, &field, NULL))
          g_hash_table_add (fields, g_strdup (field));
      }
      break;

    case BUURTEN_MUTATION_SHAPE_FIELDS:
      for (guint i = 0; info->fields[i] != NULL; i++)
        g_hash_table_add (fields, g_strdup (info->fields[i]));
      break;

    case BUURTEN_MUTATION_SHAPE_CREATE:
    case BUURTEN_MUTATION_SHAPE_DELETE:
    case BUURTEN_MUTATION_SHAPE_CHILD:
    default:
      /* The whole row is someone's pending work. */
      g_hash_table_add (fields, g_strdup ("*"));
      break;
    }
}

JsonNode *
buurten_mutation_args_from_entity (const BuurtenMutationInfo *info,
                                   const BuurtenEntityInfo   *entity_info,
                                   gconstpointer              entity)
{
  g_autoptr(JsonNode) whole = NULL;
  JsonObject *whole_object;
  JsonObject *args = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  g_return_val_if_fail (info != NULL && entity_info != NULL && entity != NULL, node);

  /* The entity's own JSON knows which fields are set and how each kind
   * is written; the row picks the members it takes. */
  whole = buurten_entity_to_json (entity_info, entity, TRUE);
  whole_object = json_node_get_object (whole);

  for (const BuurtenMutationArg *arg = info->args; arg->name != NULL; arg++)
    {
      JsonNode *value = json_object_get_member (whole_object, arg->name);

      if (value != NULL && !JSON_NODE_HOLDS_NULL (value))
        json_object_set_member (args, arg->name, json_node_copy (value));
    }

  json_node_take_object (node, args);
  return node;
}
