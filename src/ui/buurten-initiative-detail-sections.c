/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-initiative-detail"

#include "config.h"

#include "buurten-initiative-detail-private.h"

#include <string.h>

#include <glib/gi18n.h>

#include "buurten-decide.h"
#include "buurten-format.h"

/* The sections of BuurtenInitiativeDetail, each a headed group drawn from
 * the loaded story, in the order the table at the end gives. */

/* ---- building blocks ------------------------------------------------- */

static GtkWidget *
group_new (const char *title)
{
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  return group;
}

/* A row with a title and a wrapped subtitle (value may be NULL or empty:
 * no row, unless always). */
static GtkWidget *
add_row (GtkWidget  *group,
         const char *title,
         const char *value)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title != NULL ? title : "");
  if (value != NULL && value[0] != '\0')
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_add_css_class (row, "property");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  return row;
}

static void
add_field (GtkWidget  *group,
           const char *title,
           const char *value)
{
  if (value != NULL && value[0] != '\0')
    add_row (group, title, value);
}

static void
add_field_take (GtkWidget  *group,
                const char *title,
                char       *value)
{
  add_field (group, title, value);
  g_free (value);
}

/* A row with an amount at its end (selectable). */
static GtkWidget *
add_amount_row (GtkWidget  *group,
                const char *title,
                const char *subtitle,
                gint64      cents)
{
  GtkWidget *row = add_row (group, title, subtitle);
  g_autofree char *amount = buurten_money_format (cents);
  GtkWidget *label = gtk_label_new (amount);

  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "numeric");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  return row;
}

static void
add_placeholder (GtkWidget  *group,
                 const char *text)
{
  GtkWidget *row = add_row (group, text, NULL);

  gtk_widget_add_css_class (row, "dim-label");
}

static char *
format_day (const GDate *date)
{
  char text[32];

  if (date == NULL || !g_date_valid (date))
    return g_strdup ("");
  g_date_strftime (text, sizeof text, "%d-%m-%Y", date);
  return g_strdup (text);
}

/* A button that activates a window action with the initiative's id;
 * insensitive while the action is not there. */
static GtkWidget *
action_button (const char *label,
               const char *accessible,
               const char *action,
               const char *id)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", id);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible, -1);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  return button;
}

static const char *
check_label (BuurtenCheck check)
{
  switch (check)
    {
    case BUURTEN_CHECK_YES:
      return C_("judgement", "Meets it");
    case BUURTEN_CHECK_NO:
      return C_("judgement", "Does not meet it");
    case BUURTEN_CHECK_UNKNOWN:
    default:
      return C_("judgement", "Not judged yet");
    }
}

/* ---- the plan -------------------------------------------------------- */

static GtkWidget *
section_plan (const BuurtenDetailEnv *env)
{
  const BuurtenInitiative *initiative = env->story->initiative;
  GtkWidget *group = group_new (_("Plan"));
  g_autofree char *term = NULL;
  gint days_left = 0;

  term = buurten_initiative_format_term (env->context, initiative, TRUE, &days_left);
  if (term != NULL)
    {
      GtkWidget *row = add_row (group, _("Decision term"), term);

      if (days_left < 0)
        gtk_widget_add_css_class (row, "error");
    }
  add_field (group, _("What"), initiative->description);
  add_field (group, _("For whom"), initiative->for_whom);
  add_field (group, _("Where"), initiative->place);

  if (env->story->activities->len > 0)
    {
      g_autoptr(GString) when = g_string_new (NULL);

      for (guint i = 0; i < env->story->activities->len; i++)
        {
          const BuurtenActivity *activity = g_ptr_array_index (env->story->activities, i);
          g_autofree char *start = format_day (&activity->starts_on);

          if (when->len > 0)
            g_string_append_c (when, '\n');
          g_string_append (when, start);
          if (g_date_valid (&activity->ends_on) &&
              g_date_compare (&activity->ends_on, &activity->starts_on) != 0)
            {
              g_autofree char *end = format_day (&activity->ends_on);

              g_string_append_printf (when, " – %s", end);
            }
          if (activity->title != NULL && activity->title[0] != '\0')
            g_string_append_printf (when, " · %s", activity->title);
          if (activity->place != NULL && activity->place[0] != '\0')
            g_string_append_printf (when, " · %s", activity->place);
        }
      add_row (group, _("When"), when->str);
    }

  if (initiative->support_count > 0)
    {
      g_autofree char *support = NULL;

      support = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d resident supports it",
                                              "%d residents support it",
                                              (gulong) initiative->support_count),
                                 (int) initiative->support_count);
      if (initiative->support_note != NULL && initiative->support_note[0] != '\0')
        {
          g_autofree char *with_note = g_strdup_printf ("%s · %s", support,
                                                        initiative->support_note);

          add_row (group, _("Support (draagvlak)"), with_note);
        }
      else
        add_row (group, _("Support (draagvlak)"), support);
    }
  else
    add_field (group, _("Support (draagvlak)"), initiative->support_note);
  add_field (group, _("Theme"), initiative->theme);

  if (env->show_personal)
    {
      g_autoptr(GString) contact = g_string_new (NULL);
      const char *parts[] = { initiative->organiser_address, initiative->organiser_phone,
                              initiative->organiser_email };

      for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
        if (parts[i] != NULL && parts[i][0] != '\0')
          g_string_append_printf (contact, "%s%s", contact->len > 0 ? "\n" : "", parts[i]);
      add_field (group, _("Organiser"), initiative->organiser);
      add_field (group, _("Contact"), contact->str);
    }
  if (initiative->organisation != NULL && initiative->organisation[0] != '\0')
    {
      if (initiative->kvk != NULL && initiative->kvk[0] != '\0')
        /* Translators: an organisation and its Chamber of Commerce number */
        add_field_take (group, _("Organisation"),
                        g_strdup_printf (_("%1$s, KvK %2$s"), initiative->organisation,
                                         initiative->kvk));
      else
        add_field (group, _("Organisation"), initiative->organisation);
    }
  if (env->show_personal && initiative->iban != NULL && initiative->iban[0] != '\0')
    {
      g_autofree char *iban = buurten_iban_format (initiative->iban);

      if (initiative->account_holder != NULL && initiative->account_holder[0] != '\0')
        /* Translators: an IBAN and the name of the account holder */
        add_field_take (group, _("Paid to"),
                        g_strdup_printf (_("%1$s in the name of %2$s"), iban,
                                         initiative->account_holder));
      else
        add_field (group, _("Paid to"), iban);
    }
  if (env->story->source_request != NULL)
    add_field (group, _("Came in as request"), env->story->source_request->title);

  return group;
}

/* ---- the budget ------------------------------------------------------ */

static GtkWidget *
section_budget (const BuurtenDetailEnv *env)
{
  GtkWidget *group = group_new (_("Budget"));
  GPtrArray *lines = env->story->budget_lines;
  BuurtenBudgetBalance balance;

  if (lines->len == 0)
    {
      add_amount_row (group, _("Amount asked"), _("No budget lines recorded"),
                      env->story->initiative->requested_cents);
      return group;
    }

  for (guint i = 0; i < lines->len; i++)
    {
      const BuurtenBudgetLine *line = g_ptr_array_index (lines, i);
      const char *kind = line->kind == BUURTEN_BUDGET_LINE_COST ? C_("budget", "Cost")
                         : line->kind == BUURTEN_BUDGET_LINE_INCOME ? C_("budget", "Income")
                         : C_("budget", "Own contribution");

      add_amount_row (group, line->description, kind, line->amount_cents);
    }
  buurten_budget_balance (lines, &balance);
  add_amount_row (group, _("Total costs"), NULL, balance.costs_cents);
  add_amount_row (group, _("Income and own contribution"), NULL, balance.covered_cents);
  gtk_widget_add_css_class (add_amount_row (group, _("Amount asked"),
                                            _("costs less income and own contribution"),
                                            balance.asked_cents),
                            "heading");
  return group;
}

/* ---- criteria and principles ----------------------------------------- */

static GtkWidget *
section_criteria (const BuurtenDetailEnv *env)
{
  const BuurtenInitiative *i = env->story->initiative;
  const struct { const char *label; BuurtenCheck check; const char *remark; } items[] = {
    { N_("Started by residents"), i->crit_residents, i->crit_residents_remark },
    { N_("Support in the buurt"), i->crit_support, i->crit_support_remark },
    { N_("Fits the wijk’s themes"), i->crit_themes, i->crit_themes_remark },
    { N_("Adds something"), i->crit_adds, i->crit_adds_remark },
    { N_("Lawful and of reasonable quality"), i->princ_lawful, i->princ_lawful_remark },
    { N_("Own effort and reciprocity"), i->princ_own_effort, i->princ_own_effort_remark },
    { N_("Feedback to the buurt"), i->princ_feedback, i->princ_feedback_remark },
    { N_("Transparent financial accounting"), i->princ_accounting, i->princ_accounting_remark },
  };
  GtkWidget *group = group_new (_("Criteria and Principles"));

  for (guint k = 0; k < G_N_ELEMENTS (items); k++)
    {
      if (items[k].remark != NULL && items[k].remark[0] != '\0')
        add_field_take (group, _(items[k].label),
                        g_strdup_printf ("%s · %s", check_label (items[k].check),
                                         items[k].remark));
      else
        add_row (group, _(items[k].label), check_label (items[k].check));
    }
  return group;
}

/* ---- decisions ------------------------------------------------------- */

static const BuurtenCommitment *
find_commitment (const BuurtenDetailEnv *env,
                 const char             *id)
{
  for (guint i = 0; id != NULL && i < env->story->commitments->len; i++)
    {
      const BuurtenCommitment *commitment = g_ptr_array_index (env->story->commitments, i);

      if (g_strcmp0 (commitment->id, id) == 0)
        return commitment;
    }
  return NULL;
}

static GtkWidget *
section_decisions (const BuurtenDetailEnv *env)
{
  BuurtenMunicipality *municipality = buurten_context_get_municipality (env->context);
  GtkWidget *group = group_new (_("Decisions"));
  GPtrArray *decisions = env->story->decisions;

  for (guint i = 0; i < decisions->len; i++)
    {
      const BuurtenDecision *decision = g_ptr_array_index (decisions, i);
      const BuurtenCommitment *commitment = find_commitment (env, decision->commitment_id);
      const char *outcome = decision->outcome == BUURTEN_OUTCOME_GRANTED ? C_("decision", "Granted")
                            : decision->outcome == BUURTEN_OUTCOME_REJECTED ? C_("decision", "Rejected")
                            : C_("decision", "Referred");
      g_autoptr(GString) text = g_string_new (NULL);
      g_autofree char *day = format_day (&decision->decided_on);

      g_string_append (text, day);
      if (decision->signers != NULL && decision->signers[0] != '\0')
        {
          g_autofree char *signers = buurten_decide_format_signers (municipality, decision->signers);

          g_string_append_c (text, '\n');
          /* Translators: who decided, e.g. "decided by Anna (Wijkwethouder)" */
          g_string_append_printf (text, _("decided by %s"), signers);
        }
      if (commitment != NULL)
        {
          g_autoptr(GArray) roles = buurten_roles_from_ids (commitment->required_roles);
          g_autofree char *names = roles != NULL && roles->len > 0
                                   ? buurten_format_roles (municipality, roles) : NULL;

          if (names != NULL)
            /* Translators: the mandate a decision was taken under: the
             * roles that had to sign and the budget, e.g. "mandate:
             * Buurtcoördinator, Wijkwethouder · Wijkbudget 2026" */
            {
              g_string_append_c (text, '\n');
              g_string_append_printf (text, _("mandate: %1$s · %2$s %3$d"), names,
                                      buurten_format_funding (commitment->funding),
                                      (int) commitment->year);
            }
        }
      if (decision->reason != NULL && decision->reason[0] != '\0')
        {
          g_string_append_c (text, '\n');
          /* Translators: the reason of a decision */
          g_string_append_printf (text, _("reason: %s"), decision->reason);
        }

      if (decision->outcome == BUURTEN_OUTCOME_GRANTED || decision->amount_cents > 0)
        add_amount_row (group, outcome, text->str, decision->amount_cents);
      else
        add_row (group, outcome, text->str);
    }
  if (decisions->len == 0)
    add_placeholder (group, _("No decision yet"));
  return group;
}

/* ---- commitments and signatures -------------------------------------- */

static const char *
commitment_state_label (BuurtenCommitmentState state)
{
  switch (state)
    {
    case BUURTEN_COMMITMENT_APPROVED:
      return C_("commitment", "Approved");
    case BUURTEN_COMMITMENT_CANCELLED:
      return C_("commitment", "Cancelled");
    case BUURTEN_COMMITMENT_PENDING:
    default:
      return C_("commitment", "Waiting for signatures");
    }
}

static GtkWidget *
section_commitments (const BuurtenDetailEnv *env)
{
  BuurtenMunicipality *municipality = buurten_context_get_municipality (env->context);
  GtkWidget *group = group_new (_("Commitments and Signatures"));
  GPtrArray *commitments = env->story->commitments;

  for (guint i = 0; i < commitments->len; i++)
    {
      const BuurtenCommitment *commitment = g_ptr_array_index (commitments, i);
      GPtrArray *signatures = g_hash_table_lookup (env->story->signatures, commitment->id);
      g_autoptr(GArray) required = buurten_roles_from_ids (commitment->required_roles);
      g_autoptr(BuurtenSigning) signing = NULL;
      g_autofree char *title = NULL;

      /* Translators: a commitment: its budget and year, e.g. "Wijkbudget 2026" */
      title = g_strdup_printf (_("%1$s %2$d"), buurten_format_funding (commitment->funding),
                               (int) commitment->year);
      add_amount_row (group, title, commitment_state_label (commitment->state),
                      commitment->amount_cents);

      for (guint k = 0; signatures != NULL && k < signatures->len; k++)
        {
          const BuurtenSignature *signature = g_ptr_array_index (signatures, k);
          g_autofree char *when = buurten_format_timestamp (signature->signed_at);
          g_autofree char *who = NULL;

          /* Translators: a signature: who, in which role, e.g. "Signed by
           * f.elamrani (Wijkregisseur)" */
          who = g_strdup_printf (_("Signed by %1$s (%2$s)"), signature->user,
                                 buurten_municipality_role_name (municipality, signature->role));
          add_row (group, who, when);
        }

      if (commitment->state != BUURTEN_COMMITMENT_PENDING || required == NULL)
        continue;
      signing = buurten_authority_signing (required, commitment->state,
                                           env->story->initiative->state, commitment->wijk,
                                           signatures, buurten_context_get_user_name (env->context),
                                           buurten_context_get_grants (env->context));
      if (signing->missing != NULL && signing->missing->len > 0)
        {
          g_autofree char *roles = buurten_format_roles (municipality, signing->missing);
          const BuurtenWijk *wijk = buurten_municipality_lookup_wijk (municipality,
                                                                      commitment->wijk);
          g_autofree char *title_missing = NULL;
          GtkWidget *row;

          /* Translators: who must still sign a commitment, e.g. "Still to
           * sign: Wijkwethouder" */
          title_missing = g_strdup_printf (_("Still to sign: %s"), roles);
          row = add_row (group, title_missing, wijk != NULL ? wijk->name : commitment->wijk);
          gtk_widget_add_css_class (row, "warning");
        }
    }
  if (commitments->len == 0)
    add_placeholder (group, _("No money committed yet"));
  return group;
}

/* ---- the buurtdeal --------------------------------------------------- */

static GtkWidget *
section_buurtdeal (const BuurtenDetailEnv *env)
{
  const BuurtenInitiative *initiative = env->story->initiative;
  GtkWidget *group = group_new (_("Buurtdeal"));
  GPtrArray *agreements = env->story->agreements;

  adw_preferences_group_set_header_suffix (
    ADW_PREFERENCES_GROUP (group),
    action_button (_("_Edit Buurtdeal"), _("Edit Buurtdeal"), "win.initiative-buurtdeal",
                   initiative->id));

  for (guint i = 0; i < agreements->len; i++)
    {
      const BuurtenAgreement *agreement = g_ptr_array_index (agreements, i);
      g_autofree char *due = format_day (&agreement->due_on);
      const char *side = agreement->side == BUURTEN_AGREEMENT_RESIDENTS
                         ? _("Residents do") : _("The municipality does");
      const char *progress = agreement->progress == BUURTEN_AGREEMENT_DONE ? C_("agreement", "Done")
                             : agreement->progress == BUURTEN_AGREEMENT_UNDER_WAY
                             ? C_("agreement", "Under way") : C_("agreement", "Agreed");
      g_autofree char *text = NULL;

      /* Translators: an agreement of a buurtdeal: side, owner, due date and
       * progress, e.g. "Residents do · owner: Buurtvereniging · due
       * 01-06-2026 · Under way" */
      text = g_strdup_printf (_("%1$s · owner: %2$s · due %3$s · %4$s"), side,
                              agreement->owner != NULL ? agreement->owner : "", due, progress);
      add_row (group, agreement->description, text);
    }
  if (agreements->len == 0)
    add_placeholder (group, _("No agreements recorded"));

  if (initiative->deal_signed_by != NULL && initiative->deal_signed_by[0] != '\0' &&
      env->show_personal)
    {
      g_autofree char *day = format_day (&initiative->deal_signed_on);
      g_autofree char *text = NULL;

      /* Translators: the organiser's signature of the buurtdeal: name,
       * date and place */
      text = g_strdup_printf (_("%1$s, %2$s in %3$s"), initiative->deal_signed_by, day,
                              initiative->deal_signed_place ? initiative->deal_signed_place : "");
      add_row (group, _("Signed by the organiser"), text);
    }
  else if (initiative->deal_signed_by == NULL || initiative->deal_signed_by[0] == '\0')
    {
      gtk_widget_add_css_class (add_row (group, _("Not yet signed by the organiser"), NULL),
                                "warning");
    }
  return group;
}

/* ---- payments -------------------------------------------------------- */

static GtkWidget *
section_payments (const BuurtenDetailEnv *env)
{
  GtkWidget *group = group_new (_("Payments"));
  GPtrArray *payments = env->story->payments;
  gint64 paid = 0;
  gint64 approved = 0;
  g_autofree char *paid_text = NULL;
  g_autofree char *approved_text = NULL;
  g_autofree char *summary = NULL;

  adw_preferences_group_set_header_suffix (
    ADW_PREFERENCES_GROUP (group),
    action_button (_("_Record Payment"), _("Record Payment"), "win.initiative-payment",
                   env->story->initiative->id));

  for (guint i = 0; i < env->story->commitments->len; i++)
    {
      const BuurtenCommitment *commitment = g_ptr_array_index (env->story->commitments, i);

      if (commitment->state == BUURTEN_COMMITMENT_APPROVED)
        approved += commitment->amount_cents;
    }
  for (guint i = 0; i < payments->len; i++)
    {
      const BuurtenPayment *payment = g_ptr_array_index (payments, i);
      g_autofree char *day = format_day (&payment->paid_on);
      g_autofree char *text = NULL;
      const char *kind = payment->kind == BUURTEN_PAYMENT_FINAL ? C_("payment", "Final payment")
                                                                : C_("payment", "Advance");

      text = payment->reference != NULL && payment->reference[0] != '\0'
             ? g_strdup_printf ("%s · %s", day, payment->reference) : g_strdup (day);
      add_amount_row (group, kind, text, payment->amount_cents);
      paid += payment->amount_cents;
    }
  if (payments->len == 0)
    add_placeholder (group, _("Nothing paid yet"));

  paid_text = buurten_money_format (paid);
  approved_text = buurten_money_format (approved);
  /* Translators: paid against approved, e.g. "€ 1.000,00 of € 4.750,00 approved" */
  summary = g_strdup_printf (_("%1$s of %2$s approved"), paid_text, approved_text);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), summary);
  return group;
}

/* ---- the verantwoording ---------------------------------------------- */

/* What the organiser reported at the end: each cost line's actual
 * against planned, what happened, how the buurt heard of it, the
 * attachments, and what was released back to the wijk. */
static GtkWidget *
section_verantwoording (const BuurtenDetailEnv *env)
{
  const BuurtenVerantwoording *v = env->story->verantwoording;
  GtkWidget *group = group_new (_("Verantwoording"));
  g_autofree char *day = NULL;
  g_autofree char *summary = NULL;

  if (v == NULL)
    {
      adw_preferences_group_set_header_suffix (
        ADW_PREFERENCES_GROUP (group),
        action_button (_("R_ecord Verantwoording"), _("Record Verantwoording"),
                       "win.initiative-verantwoording", env->story->initiative->id));
      add_placeholder (group, _("No verantwoording recorded yet"));
      return group;
    }

  day = format_day (&v->recorded_on);
  /* Translators: when and by whom the verantwoording was recorded,
   * e.g. "Recorded on 12-11-2026 by f.elamrani" */
  summary = g_strdup_printf (_("Recorded on %1$s by %2$s"), day,
                             v->recorded_by != NULL ? v->recorded_by : "");
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), summary);

  for (guint i = 0; i < env->story->budget_lines->len; i++)
    {
      const BuurtenBudgetLine *line = g_ptr_array_index (env->story->budget_lines, i);
      g_autofree char *planned = NULL;
      g_autofree char *planned_text = NULL;

      if (line->kind != BUURTEN_BUDGET_LINE_COST)
        continue;
      planned = buurten_money_format (line->amount_cents);
      /* Translators: under a budget line's actual cost: what was planned */
      planned_text = g_strdup_printf (_("planned %s"), planned);
      add_amount_row (group, line->description, planned_text, line->actual_cents);
    }
  add_amount_row (group, _("Actual costs"), NULL, v->actual_cents);
  add_amount_row (group, _("Paid"), NULL, v->paid_cents);
  add_amount_row (group, _("Released to the wijk's free budget"), NULL, v->released_cents);
  add_field (group, _("What happened"), v->happened);
  add_field (group, _("How the buurt heard of it"), v->feedback);
  if (v->attachments != NULL && v->attachments[0] != '\0')
    {
      g_auto(GStrv) lines = g_strsplit (v->attachments, "\n", -1);
      g_autoptr(GString) names = g_string_new (NULL);

      /* Each line is "sha256 name": the names are what a reader knows. */
      for (guint i = 0; lines[i] != NULL; i++)
        {
          const char *name = strchr (lines[i], ' ');

          if (lines[i][0] == '\0')
            continue;
          if (names->len > 0)
            g_string_append_c (names, '\n');
          g_string_append (names, name != NULL ? name + 1 : lines[i]);
        }
      add_field (group, _("Attachments"), names->str);
    }
  return group;
}

/* ---- documents ------------------------------------------------------- */

static GtkWidget *
section_documents (const BuurtenDetailEnv *env)
{
  GtkWidget *group = group_new (_("Documents"));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  gtk_box_append (GTK_BOX (box),
                  action_button (_("_Beschikking"), _("Beschikking"), "win.document-beschikking",
                                 env->story->initiative->id));
  gtk_box_append (GTK_BOX (box),
                  action_button (_("B_uurtdeal"), _("Buurtdeal document"), "win.document-buurtdeal",
                                 env->story->initiative->id));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), box);
  return group;
}

/* ---- notes and history ----------------------------------------------- */

static GtkWidget *
section_notes (const BuurtenDetailEnv *env)
{
  return env->notes_view;
}

static GtkWidget *
section_history (const BuurtenDetailEnv *env)
{
  GtkWidget *group = group_new (_("History"));
  GPtrArray *entries = env->story->history;

  /* Newest first. */
  for (guint i = entries->len; i > 0; i--)
    {
      const BuurtenAuditEntry *entry = g_ptr_array_index (entries, i - 1);
      g_autofree char *when = buurten_format_timestamp (entry->at);
      g_autofree char *text = NULL;

      /* Translators: who made a change and when, e.g. "f.elamrani · ma 27 apr 14:00" */
      text = g_strdup_printf (_("%1$s · %2$s"), entry->actor ? entry->actor : "", when);
      add_row (group, entry->action, text);
    }
  if (entries->len == 0)
    add_placeholder (group, _("No changes recorded on this computer"));
  return group;
}

/* In the order of the story (issue 14, point 7). */
const BuurtenDetailSectionFunc buurten_initiative_detail_sections[] = {
  section_plan,
  section_budget,
  section_criteria,
  section_decisions,
  section_commitments,
  section_buurtdeal,
  section_payments,
  section_verantwoording,
  section_documents,
  section_notes,
  section_history,
  NULL
};
