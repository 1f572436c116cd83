/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-refusal"

#include "config.h"

#include "buurten-refusal.h"

#include <glib/gi18n.h>

#include "buurten-entity.h"
#include "buurten-money.h"
#include "buurten-states.h"

/* Every sentence a person reads about a refusal is made here, from the
 * rule's id and facts, in the reader's language. */

JsonObject *
buurten_refusal_args_new (const char *rule)
{
  JsonObject *args = json_object_new ();

  json_object_set_string_member (args, "rule", rule);
  return args;
}

static const char *
arg_string (JsonObject *args,
            const char *member)
{
  JsonNode *node = args != NULL ? json_object_get_member (args, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static char *
arg_money (JsonObject *args,
           const char *member)
{
  JsonNode *node = args != NULL ? json_object_get_member (args, member) : NULL;
  gint64 cents = 0;

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_INT64)
    cents = json_node_get_int (node);
  return buurten_money_format (CLAMP (cents, -BUURTEN_MONEY_MAX_CENTS, BUURTEN_MONEY_MAX_CENTS));
}

static const char *
role_text (BuurtenMunicipality *municipality,
           const char          *id)
{
  int role = id != NULL ? buurten_enum_from_id (buurten_role_ids, id) : -1;

  if (role < 0)
    return _("someone else");
  if (municipality != NULL)
    return buurten_municipality_role_name (municipality, (BuurtenRole) role);
  return buurten_role_label ((BuurtenRole) role);
}

/* "wijkwethouder, teammanager samenleving" from an array of role ids. */
static char *
roles_text (BuurtenMunicipality *municipality,
            JsonObject          *args,
            const char          *member)
{
  JsonNode *node = args != NULL ? json_object_get_member (args, member) : NULL;
  GString *text = g_string_new (NULL);

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (!JSON_NODE_HOLDS_VALUE (element) ||
              json_node_get_value_type (element) != G_TYPE_STRING)
            continue;
          if (text->len > 0)
            g_string_append (text, ", ");
          g_string_append (text, role_text (municipality, json_node_get_string (element)));
        }
    }

  return g_string_free (text, FALSE);
}

static const char *
wijk_text (BuurtenMunicipality *municipality,
           const char          *id)
{
  const BuurtenWijk *wijk = NULL;

  if (id == NULL)
    return _("this wijk");
  if (municipality != NULL)
    wijk = buurten_municipality_lookup_wijk (municipality, id);
  return wijk != NULL ? wijk->name : id;
}

static const char *
state_text (JsonObject *args,
            const char *member,
            BuurtenMachine machine)
{
  const char *id = arg_string (args, member);
  int state;

  if (id != NULL && buurten_state_from_id (machine, id, &state))
    return buurten_state_label (machine, state);
  return _("another state");
}

static BuurtenMachine
machine_of (JsonObject *args)
{
  const char *name = arg_string (args, "machine");

  if (g_strcmp0 (name, buurten_machine_name (BUURTEN_MACHINE_REQUEST)) == 0)
    return BUURTEN_MACHINE_REQUEST;
  if (g_strcmp0 (name, buurten_machine_name (BUURTEN_MACHINE_ESCALATION)) == 0)
    return BUURTEN_MACHINE_ESCALATION;
  return BUURTEN_MACHINE_INITIATIVE;
}

static const char *
commitment_state_text (const char *id)
{
  switch (id != NULL ? buurten_enum_from_id (buurten_commitment_state_ids, id) : -1)
    {
    case BUURTEN_COMMITMENT_PENDING:   return C_("commitment state", "pending");
    case BUURTEN_COMMITMENT_APPROVED:  return C_("commitment state", "approved");
    case BUURTEN_COMMITMENT_CANCELLED: return C_("commitment state", "cancelled");
    default:                           return _("not pending");
    }
}

static const char *
funding_text (const char *id)
{
  switch (id != NULL ? buurten_enum_from_id (buurten_funding_ids, id) : -1)
    {
    case BUURTEN_FUNDING_WIJKBUDGET:  return _("the wijk budget");
    case BUURTEN_FUNDING_HANDGELD:    return _("the handgeld");
    case BUURTEN_FUNDING_WIJKKANSEN:  return _("the bijzondere wijkkansen pot");
    case BUURTEN_FUNDING_INVESTERING: return _("an investment project");
    default:                          return _("this funding");
    }
}

static const char *
level_text (const char *id)
{
  switch (id != NULL ? buurten_enum_from_id (buurten_escalation_level_ids, id) : -1)
    {
    case BUURTEN_LEVEL_OPERATIONAL:    return _("operational");
    case BUURTEN_LEVEL_STURINGSOVERLEG: return _("sturingsoverleg");
    case BUURTEN_LEVEL_PROFESSIONAL:   return _("professional");
    case BUURTEN_LEVEL_BESTUURLIJK:    return _("bestuurlijk");
    case BUURTEN_LEVEL_COLLEGE:        return _("college");
    case BUURTEN_LEVEL_BUDGET:         return _("budget");
    default:                           return "";
    }
}

static const char *
type_text (const char *type)
{
  if (g_strcmp0 (type, "request") == 0)
    return _("request");
  if (g_strcmp0 (type, "initiative") == 0)
    return _("initiative");
  if (g_strcmp0 (type, "commitment") == 0)
    return _("commitment");
  if (g_strcmp0 (type, "escalation") == 0)
    return _("escalation");
  if (g_strcmp0 (type, "meeting") == 0)
    return _("meeting");
  if (g_strcmp0 (type, "note") == 0)
    return _("note");
  if (g_strcmp0 (type, "budget_line") == 0)
    return _("budget line");
  if (g_strcmp0 (type, "activity") == 0)
    return _("date of the initiative");
  if (g_strcmp0 (type, "agreement") == 0)
    return _("agreement");
  if (g_strcmp0 (type, "transfer") == 0 || g_strcmp0 (type, "carry_over") == 0)
    return _("budget move");
  return _("object");
}

/* What a buurtdeal still lacks before it counts as signed. */
static char *
describe_deal_missing (const char *missing)
{
  g_auto(GStrv) parts = g_strsplit (missing != NULL ? missing : "", ",", -1);
  g_autoptr(GString) text = g_string_new (_("The buurtdeal is not complete yet:"));

  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *part = NULL;

      if (g_str_equal (parts[i], "residents"))
        part = _("no agreement of what the residents do");
      else if (g_str_equal (parts[i], "municipality"))
        part = _("no agreement of what the municipality does");
      else if (g_str_equal (parts[i], "organiser"))
        part = _("the organiser’s signature is not recorded");
      if (part == NULL)
        continue;
      g_string_append (text, i == 0 ? " " : "; ");
      g_string_append (text, part);
    }
  g_string_append_c (text, '.');
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* The general sentence of a code, for refusals without a known rule. */
static char *
describe_code (BuurtenCoreError code)
{
  switch (code)
    {
    case BUURTEN_CORE_ERROR_PARSE:
      return g_strdup (_("The change could not be read."));
    case BUURTEN_CORE_ERROR_MANDATE_EXCEEDED:
      return g_strdup (_("This is beyond the mandate of the people who would sign it."));
    case BUURTEN_CORE_ERROR_BUDGET_EXCEEDED:
      return g_strdup (_("There is not enough budget free for this."));
    case BUURTEN_CORE_ERROR_INVALID_STATE:
      return g_strdup (_("Someone changed the status first, or the status does not allow this."));
    case BUURTEN_CORE_ERROR_FORBIDDEN:
      return g_strdup (_("Your roles do not allow this."));
    case BUURTEN_CORE_ERROR_FOUR_EYES:
      return g_strdup (_("Another person must sign this: you signed it already (four eyes)."));
    case BUURTEN_CORE_ERROR_NOT_FOUND:
      return g_strdup (_("What this change is about no longer exists."));
    case BUURTEN_CORE_ERROR_OVERFLOW:
      return g_strdup (_("The amount is larger than the largest amount Buurten handles."));
    case BUURTEN_CORE_ERROR_INVALID:
    default:
      return g_strdup (_("A value is not valid."));
    }
}

char *
buurten_refusal_describe (BuurtenCoreError     code,
                          JsonObject          *args,
                          BuurtenMunicipality *municipality)
{
  const char *rule = arg_string (args, "rule");

  if (rule == NULL)
    return describe_code (code);

  if (g_str_equal (rule, "mandate.amount"))
    {
      g_autofree char *zero = buurten_money_format (0);

      return g_strdup_printf (_("The amount must be more than %s."), zero);
    }
  if (g_str_equal (rule, "mandate.overflow"))
    return g_strdup (_("The amount is larger than the largest amount Buurten handles."));
  if (g_str_equal (rule, "mandate.no_band"))
    {
      g_autofree char *amount = arg_money (args, "amount_cents");

      return g_strdup_printf (_("Nobody has the mandate to commit %s from %s."), amount,
                              funding_text (arg_string (args, "funding")));
    }
  if (g_str_equal (rule, "mandate.not_allowed"))
    {
      g_autofree char *amount = arg_money (args, "amount_cents");
      g_autofree char *total = arg_money (args, "total_cents");
      const char *way = arg_string (args, "way_forward");
      g_autofree char *first = NULL;

      if (json_object_has_member (args, "total_cents") &&
          json_object_get_int_member (args, "total_cents") !=
          json_object_get_int_member_with_default (args, "amount_cents", 0))
        /* Translators: the mandate counts the initiative's total, e.g. "With
         * € 1.900,00 more the initiative would have € 26.600,00 in total,
         * more than can come from the wijk budget." */
        first = g_strdup_printf (_("With %s more the initiative would have %s in total, more "
                                   "than can come from %s."), amount, total,
                                 funding_text (arg_string (args, "funding")));
      else
        first = g_strdup_printf (_("%s cannot come from %s."), amount,
                                 funding_text (arg_string (args, "funding")));

      if (way != NULL && *way != '\0')
        return g_strdup_printf ("%s %s", first, _(way));
      return g_steal_pointer (&first);
    }
  if (g_str_equal (rule, "budget.pot_full"))
    {
      g_autofree char *amount = arg_money (args, "amount_cents");
      g_autofree char *free_text = arg_money (args, "free_cents");

      return g_strdup_printf (_("The bijzondere wijkkansen pot has %s free, so %s does not "
                                "fit: the pot can never be overdrawn. Lower the amount or "
                                "wait for next year's pot."), free_text, amount);
    }
  if (g_str_equal (rule, "budget.move"))
    {
      g_autofree char *amount = arg_money (args, "amount_cents");
      g_autofree char *free_text = arg_money (args, "free_cents");

      /* Translators: e.g. "Oost has € 3.000,00 free: € 5.000,00 cannot be moved out of it." */
      return g_strdup_printf (_("%s has %s free: %s cannot be moved out of it."),
                              wijk_text (municipality, arg_string (args, "wijk")), free_text,
                              amount);
    }
  if (g_str_equal (rule, "sign.no_user"))
    return g_strdup (_("Log in, or set your name and role in Preferences, before you sign."));
  if (g_str_equal (rule, "sign.not_pending"))
    /* Translators: %s is a commitment state, e.g. "approved" */
    return g_strdup_printf (_("The commitment is %s: only a pending commitment can be signed."),
                            commitment_state_text (arg_string (args, "state")));
  if (g_str_equal (rule, "sign.four_eyes"))
    return g_strdup_printf (_("You already signed this commitment as %s: another person must "
                              "sign (four eyes)."),
                            role_text (municipality, arg_string (args, "role")));
  if (g_str_equal (rule, "sign.no_role"))
    {
      g_autofree char *roles = roles_text (municipality, args, "roles");

      /* Translators: e.g. "Still to sign for Centrum: wijkwethouder. You
       * hold none of these roles there." */
      return g_strdup_printf (_("Still to sign for %s: %s. You hold none of these roles there."),
                              wijk_text (municipality, arg_string (args, "wijk")),
                              *roles != '\0' ? roles : _("nobody"));
    }
  if (g_str_equal (rule, "sign.complete"))
    return g_strdup (_("Every signature this commitment needs is in."));
  if (g_str_equal (rule, "commit.no_role"))
    return g_strdup_printf (_("Only the buurtcoördinator, the wijkwethouder, the wethouder "
                              "buurten or the teammanager samenleving of %s can propose money "
                              "for an initiative."),
                            wijk_text (municipality, arg_string (args, "wijk")));
  if (g_str_equal (rule, "pay.no_role"))
    return g_strdup_printf (_("Only the buurtcoördinator of %s or the teammanager samenleving "
                              "records payments."),
                            wijk_text (municipality, arg_string (args, "wijk")));
  if (g_str_equal (rule, "initiative.closed"))
    /* Translators: %s is the state, e.g. "Rejected" */
    return g_strdup_printf (_("The initiative is “%s”: it cannot be granted money."),
                            state_text (args, "state", BUURTEN_MACHINE_INITIATIVE));
  if (g_str_equal (rule, "initiative.plan_closed"))
    /* Translators: %s is the state, e.g. "Granted" */
    return g_strdup_printf (_("The initiative is “%s”: its plan and budget no longer change."),
                            state_text (args, "state", BUURTEN_MACHINE_INITIATIVE));
  if (g_str_equal (rule, "buurtdeal.required"))
    {
      g_autofree char *amount = arg_money (args, "amount_cents");
      g_autofree char *limit = arg_money (args, "limit_cents");

      /* Translators: the fast path from granted to underway, refused */
      return g_strdup_printf (_("%1$s is above the buurtcoördinator's own mandate of %2$s: "
                                "the initiative starts only once its buurtdeal is signed."),
                              amount, limit);
    }
  if (g_str_equal (rule, "buurtdeal.incomplete"))
    return describe_deal_missing (arg_string (args, "missing"));
  if (g_str_equal (rule, "request.not_an_idea"))
    return g_strdup (_("Only a request of the kind “idea” can become an initiative."));
  if (g_str_equal (rule, "request.taken_on"))
    return g_strdup (_("This idea has already become an initiative."));
  if (g_str_equal (rule, "initiative.grant_by_signature"))
    return g_strdup_printf (_("An initiative becomes “%s” only through the signatures on its "
                              "commitment, not by changing its status."),
                            state_text (args, "to", BUURTEN_MACHINE_INITIATIVE));
  if (g_str_equal (rule, "initiative.not_approved"))
    return g_strdup_printf (_("The initiative can become “%s” only when money for it is "
                              "approved with every signature."),
                            state_text (args, "to", BUURTEN_MACHINE_INITIATIVE));
  if (g_str_equal (rule, "decision.beyond_approved"))
    {
      g_autofree char *amount = arg_money (args, "amount_cents");
      g_autofree char *approved = arg_money (args, "approved_cents");

      return g_strdup_printf (_("A grant of %s cannot be recorded: %s is approved with every "
                                "signature."), amount, approved);
    }
  if (g_str_equal (rule, "payment.amount"))
    return g_strdup (_("Enter an amount of more than € 0,00."));
  if (g_str_equal (rule, "payment.beyond_approved"))
    {
      g_autofree char *amount = arg_money (args, "amount_cents");
      g_autofree char *left = arg_money (args, "left_cents");

      return g_strdup_printf (_("A payment of %s is more than is left of what was approved: "
                                "%s."), amount, left);
    }
  if (g_str_equal (rule, "verantwoording.exists"))
    return g_strdup (_("The verantwoording of this initiative has already been recorded."));
  if (g_str_equal (rule, "verantwoording.not_granted"))
    /* Translators: %s is the state, e.g. "Idea" */
    return g_strdup_printf (_("The initiative is “%s”: a verantwoording is recorded only for a "
                              "granted initiative that is not done yet."),
                            state_text (args, "state", BUURTEN_MACHINE_INITIATIVE));
  if (g_str_equal (rule, "initiative.no_verantwoording"))
    return g_strdup (_("An initiative is done only once its verantwoording is recorded."));
  if (g_str_equal (rule, "decision.needs_reason"))
    return g_strdup (_("Give the reason for rejecting or referring the initiative."));
  if (g_str_equal (rule, "move.record_role"))
    return g_strdup (_("Only the teammanager samenleving records a budget move decided by the "
                       "college."));
  if (g_str_equal (rule, "move.confirm_role"))
    return g_strdup (_("Only the wethouder buurten confirms a budget move."));
  if (g_str_equal (rule, "move.same_person"))
    return g_strdup (_("You recorded this budget move: another person must confirm it (four "
                       "eyes)."));
  if (g_str_equal (rule, "move.not_recorded"))
    return g_strdup (_("This budget move is confirmed already."));
  if (g_str_equal (rule, "escalation.opener"))
    return g_strdup (_("Your own commitment opened this budget escalation: the teammanager "
                       "samenleving or the wethouder buurten closes it."));
  if (g_str_equal (rule, "escalation.role"))
    {
      g_autofree char *roles = roles_text (municipality, args, "roles");

      /* Translators: e.g. "A budget escalation is closed by: teammanager samenleving, wethouder buurten." */
      return g_strdup_printf (_("A %s escalation is closed by: %s."),
                              level_text (arg_string (args, "level")), roles);
    }
  if (g_str_equal (rule, "note.author"))
    return g_strdup (_("Only the author of a note can change or delete it."));
  if (g_str_equal (rule, "state.transition"))
    {
      BuurtenMachine machine = machine_of (args);

      /* Translators: e.g. "“Idea” cannot go to “Granted” directly." */
      return g_strdup_printf (_("“%s” cannot go to “%s” directly."),
                              state_text (args, "from", machine),
                              state_text (args, "to", machine));
    }
  if (g_str_equal (rule, "state.changed"))
    {
      BuurtenMachine machine = machine_of (args);

      return g_strdup_printf (_("Someone changed the status first: it is “%s” now, not “%s”."),
                              state_text (args, "actual", machine),
                              state_text (args, "expected", machine));
    }
  if (g_str_equal (rule, "scope.forbidden"))
    return g_strdup_printf (_("You have no rights in %s."),
                            wijk_text (municipality, arg_string (args, "scope")));
  if (g_str_equal (rule, "scope.link"))
    return g_strdup_printf (_("The %s it points at does not exist here: link only to what "
                              "belongs to the same wijk."),
                            type_text (arg_string (args, "subject_type")));
  if (g_str_equal (rule, "not_found"))
    return g_strdup_printf (_("The %s does not exist (any more)."),
                            type_text (arg_string (args, "type")));

  return describe_code (code);
}

char *
buurten_refusal_describe_code (const char          *code,
                               JsonObject          *args,
                               BuurtenMunicipality *municipality)
{
  for (int value = BUURTEN_CORE_ERROR_INVALID; value <= BUURTEN_CORE_ERROR_OVERFLOW; value++)
    if (g_strcmp0 (code, buurten_core_error_code_name (value)) == 0)
      return buurten_refusal_describe (value, args, municipality);

  /* An attachment the server refused (PUT /blobs, docs/api.md). */
  if (g_strcmp0 (code, "UNSUPPORTED_MEDIA_TYPE") == 0)
    return g_strdup (_("The server takes only PDF, JPEG, PNG and WebP files as attachments."));
  if (g_strcmp0 (code, "TOO_LARGE") == 0)
    return g_strdup (_("The file is larger than the server takes (10 MB)."));
  if (g_strcmp0 (code, "QUOTA_EXCEEDED") == 0)
    return g_strdup (_("The wijk's space for attachments on the server is full. Ask the "
                       "administrator."));
  return g_strdup (_("The server could not apply this change."));
}

gboolean
buurten_refusal_set (GError           **error,
                     JsonObject       **out_args,
                     BuurtenCoreError   code,
                     JsonObject        *args)
{
  g_autofree char *message = buurten_refusal_describe (code, args, NULL);

  g_set_error_literal (error, BUURTEN_CORE_ERROR, code, message);
  if (out_args != NULL)
    {
      if (*out_args != NULL)
        json_object_unref (*out_args);
      *out_args = args;
    }
  else
    json_object_unref (args);
  return FALSE;
}
