/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-decision-window"

#include "config.h"

#include "buurten-decision-window.h"

#include <glib/gi18n.h>

#include "buurten-decide.h"
#include "buurten-format.h"
#include "buurten-form.h"
#include "buurten-thermometer-bar.h"

/* Everything the window needs from the store, loaded once in a worker
 * thread: the initiative, the year's ledger (what the mandate and the
 * thermometers count), the initiative's commitments (the mandate is per
 * initiative) and, when a commitment already waits for signatures, that
 * commitment and its signatures. Who may sign is asked of
 * core/buurten-authority.h with these facts; the window keeps no rule. */
typedef struct
{
  BuurtenInitiative  *initiative;
  BuurtenLedger      *ledger;        /* the year's */
  BuurtenThermometer *wijk;          /* the wijk's thermometer */
  BuurtenThermometer *pot;           /* the wijkkansen pot, may be NULL */
  GPtrArray          *commitments;   /* BuurtenCommitment* of the initiative */
  BuurtenCommitment  *pending;       /* a pending commitment of the initiative, or NULL */
  GPtrArray          *signatures;    /* BuurtenSignature* of pending */
  gint64              approved_cents; /* approved for the initiative before */
} Loaded;

struct _BuurtenDecisionWindow
{
  AdwWindow              parent_instance;

  /* template widgets */
  GtkLabel              *form_error_label;
  GtkLabel              *initiative_label;
  GtkLabel              *initiative_details_label;
  AdwEntryRow           *amount_row;
  GtkLabel              *amount_error_label;
  GtkLabel              *total_label;
  AdwComboRow           *funding_row;
  AdwEntryRow           *reason_row;
  AdwPreferencesGroup   *mandate_group;
  AdwActionRow          *instrument_row;
  GtkLabel              *mandate_label;
  GtkWidget             *refusal_box;
  GtkLabel              *refusal_label;
  GtkLabel              *sign_hint_label;
  GtkLabel              *provisional_label;
  GtkButton             *submit_button;
  GtkWidget             *now_box;
  BuurtenThermometerBar *now_bar;
  GtkLabel              *now_label;
  GtkWidget             *after_box;
  GtkLabel              *after_title_label;
  BuurtenThermometerBar *after_bar;
  GtkLabel              *after_label;

  /* owned references */
  BuurtenContext        *context;
  GCancellable          *cancellable;
  char                  *initiative_id;
  Loaded                *loaded;
  BuurtenMandateResult  *mandate;      /* of what the form shows now, or NULL */
  GArray                *required;     /* BuurtenRole: who must sign what the form shows */
  BuurtenSigning        *signing;      /* whether I may sign it, or NULL */
  GPtrArray             *role_rows;    /* GtkWidget*, in mandate_group */
  char                  *commitment_id;

  /* plain data */
  gint64                 amount_cents;  /* 0 while the amount does not parse */
  gboolean               saving;
};

G_DEFINE_FINAL_TYPE (BuurtenDecisionWindow, buurten_decision_window, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_INITIATIVE_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
loaded_free (Loaded *loaded)
{
  if (loaded == NULL)
    return;

  buurten_initiative_free (loaded->initiative);
  g_clear_pointer (&loaded->ledger, buurten_ledger_free);
  buurten_thermometer_free (loaded->wijk);
  buurten_thermometer_free (loaded->pot);
  g_clear_pointer (&loaded->commitments, g_ptr_array_unref);
  buurten_commitment_free (loaded->pending);
  g_clear_pointer (&loaded->signatures, g_ptr_array_unref);
  g_free (loaded);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Loaded, loaded_free)

static BuurtenFunding
get_funding (BuurtenDecisionWindow *self)
{
  guint selected = adw_combo_row_get_selected (self->funding_row);

  if (selected > BUURTEN_FUNDING_INVESTERING)
    return BUURTEN_FUNDING_WIJKBUDGET;
  return (BuurtenFunding) selected;
}

/* The thermometer the funding draws on. */
static const BuurtenThermometer *
funding_thermometer (BuurtenDecisionWindow *self,
                     BuurtenFunding         funding)
{
  if (self->loaded == NULL)
    return NULL;

  switch (funding)
    {
    case BUURTEN_FUNDING_WIJKBUDGET:
    case BUURTEN_FUNDING_HANDGELD:
      return self->loaded->wijk;
    case BUURTEN_FUNDING_WIJKKANSEN:
      return self->loaded->pot;
    case BUURTEN_FUNDING_INVESTERING:
    default:
      return NULL;
    }
}

/* The figures without the pending commitment this window is about: the
 * preview adds it again as approved. */
static BuurtenThermometer *
without_pending (const BuurtenThermometer *thermometer,
                 const BuurtenCommitment  *pending)
{
  BuurtenThermometer *base = buurten_thermometer_copy (thermometer);
  g_autoptr(BuurtenThermometer) undone = NULL;

  if (pending == NULL || pending->amount_cents > base->pending_cents)
    return base;

  base->pending_cents -= pending->amount_cents;
  for (guint i = 0; i < base->themes->len; i++)
    {
      BuurtenThemeShare *share = g_ptr_array_index (base->themes, i);

      if (g_strcmp0 (share->theme, pending->theme != NULL ? pending->theme : "") == 0 &&
          share->pending_cents >= pending->amount_cents)
        share->pending_cents -= pending->amount_cents;
    }

  /* A preview of nothing recomputes free, the overrun and the shares. */
  undone = buurten_thermometer_preview (base, 0, FALSE, NULL);
  buurten_thermometer_free (base);
  return g_steal_pointer (&undone);
}

static void
clear_role_rows (BuurtenDecisionWindow *self)
{
  for (guint i = 0; i < self->role_rows->len; i++)
    adw_preferences_group_remove (self->mandate_group, g_ptr_array_index (self->role_rows, i));
  g_ptr_array_set_size (self->role_rows, 0);
}

static const BuurtenSignature *
signature_for_role (GPtrArray   *signatures,
                    BuurtenRole  role)
{
  for (guint i = 0; signatures != NULL && i < signatures->len; i++)
    {
      const BuurtenSignature *signature = g_ptr_array_index (signatures, i);

      if (signature->role == role)
        return signature;
    }
  return NULL;
}

/* The commitment the form is about: the pending one, or one proposed
 * from the form (id NULL: nothing is saved yet). */
static BuurtenCommitment *
form_commitment (BuurtenDecisionWindow *self)
{
  const BuurtenInitiative *initiative = self->loaded->initiative;
  BuurtenCommitment *commitment;

  if (self->loaded->pending != NULL)
    return buurten_commitment_copy (self->loaded->pending);

  commitment = buurten_commitment_new ();
  commitment->initiative_id = g_strdup (initiative->id);
  commitment->wijk = g_strdup (initiative->wijk);
  commitment->funding = get_funding (self);
  commitment->year = buurten_context_get_year (self->context);
  commitment->amount_cents = self->amount_cents;
  commitment->theme = g_strdup (initiative->theme);
  commitment->state = BUURTEN_COMMITMENT_PENDING;
  return commitment;
}

static void
show_thermometers (BuurtenDecisionWindow *self,
                   BuurtenFunding         funding)
{
  const BuurtenThermometer *current = funding_thermometer (self, funding);
  g_autoptr(BuurtenThermometer) base = NULL;
  g_autoptr(BuurtenThermometer) after = NULL;
  g_autofree char *now_text = NULL;

  gtk_widget_set_visible (self->now_box, current != NULL);
  gtk_widget_set_visible (self->after_box, FALSE);
  if (current == NULL)
    return;

  buurten_thermometer_bar_set_thermometer (self->now_bar, current);
  now_text = buurten_format_thermometer_summary (current);
  gtk_label_set_label (self->now_label, now_text);

  if (self->mandate == NULL || !self->mandate->allowed || self->amount_cents <= 0)
    return;

  /* The pending commitment of this window moves from pending to approved;
   * a new one adds its amount as approved. */
  base = without_pending (current,
                          self->loaded->pending != NULL &&
                          (BuurtenFunding) self->loaded->pending->funding == funding
                            ? self->loaded->pending : NULL);
  after = buurten_thermometer_preview (base, self->amount_cents, TRUE,
                                       self->loaded->initiative->theme);
  if (after == NULL)
    return;

  {
    g_autofree char *after_text = buurten_format_thermometer_summary (after);

    buurten_thermometer_bar_set_thermometer (self->after_bar, after);
    gtk_label_set_label (self->after_label, after_text);
    gtk_widget_set_visible (self->after_box, TRUE);
  }
}

static void
show_roles (BuurtenDecisionWindow *self)
{
  BuurtenMunicipality *municipality = buurten_context_get_municipality (self->context);
  GPtrArray *signatures = self->loaded->pending != NULL ? self->loaded->signatures : NULL;

  clear_role_rows (self);
  if (self->mandate == NULL || !self->mandate->allowed || self->required == NULL)
    return;

  for (guint i = 0; i < self->required->len; i++)
    {
      BuurtenRole role = g_array_index (self->required, BuurtenRole, i);
      const BuurtenSignature *signature = signature_for_role (signatures, role);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *icon;
      g_autofree char *subtitle = NULL;

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     buurten_municipality_role_name (municipality, role));
      if (signature != NULL)
        {
          g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (signature->signed_at);
          g_autofree char *date = at != NULL ? g_date_time_format (at, "%x") : g_strdup ("");

          /* Translators: under a role that signed, e.g. "Signed by Anna de Vries on 27-04-2026" */
          subtitle = g_strdup_printf (_("Signed by %s on %s"), signature->user, date);
          icon = gtk_image_new_from_icon_name ("emblem-ok-symbolic");
          gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          _("Signed"), -1);
        }
      else
        {
          /* The subtitle says it; a pencil would read as "edit". */
          if (self->signing != NULL && self->signing->may_sign && self->signing->role == role)
            subtitle = g_strdup (_("Still to sign: you can sign now"));
          else
            subtitle = g_strdup (_("Still to sign"));
          icon = NULL;
        }
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      if (icon != NULL)
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), icon);

      adw_preferences_group_add (self->mandate_group, row);
      g_ptr_array_add (self->role_rows, row);
    }
}

/* What the initiative already has and the total the mandate counts, shown
 * before anything is saved: the mandate is per initiative, so a second
 * amount is judged together with the first. */
static void
show_total (BuurtenDecisionWindow     *self,
            const BuurtenMandateInput *input)
{
  g_autofree char *text = NULL;

  if (self->mandate == NULL || input == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->total_label), FALSE);
      return;
    }

  if (input->initiative_cents > 0)
    {
      g_autofree char *already = buurten_money_format (input->initiative_cents);
      g_autofree char *total = buurten_money_format (self->mandate->total_cents);

      /* Translators: under the amount, before saving, e.g. "This initiative
       * already has € 1.900,00 committed; with this amount € 3.800,00 in total" */
      text = g_strdup_printf (_("This initiative already has %s committed; with this amount %s "
                                "in total"), already, total);
    }
  else
    {
      g_autofree char *total = buurten_money_format (self->mandate->total_cents);

      /* Translators: under the amount, before saving, e.g. "Nothing is
       * committed to this initiative yet; with this amount € 1.900,00 in total" */
      text = g_strdup_printf (_("Nothing is committed to this initiative yet; with this amount "
                                "%s in total"), total);
    }

  gtk_label_set_label (self->total_label, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->total_label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
  gtk_widget_set_visible (GTK_WIDGET (self->total_label), TRUE);
}

/* The heart of the window: what the mandate engine and the authority say
 * about what the form shows now, before anything is saved. */
static void
evaluate (BuurtenDecisionWindow *self)
{
  BuurtenMunicipality *municipality = buurten_context_get_municipality (self->context);
  int year = buurten_context_get_year (self->context);
  const BuurtenMandateTable *table;
  const BuurtenInitiative *initiative;
  g_autoptr(BuurtenCommitment) commitment = NULL;
  g_autoptr(GError) error = NULL;
  BuurtenMandateInput input = { 0, };
  gboolean have_input = FALSE;
  BuurtenFunding funding = get_funding (self);
  g_autofree char *why_not = NULL;
  gboolean can_sign = FALSE;
  gboolean can_submit = FALSE;

  g_clear_pointer (&self->mandate, buurten_mandate_result_free);
  g_clear_pointer (&self->required, g_array_unref);
  g_clear_pointer (&self->signing, buurten_signing_free);

  if (self->loaded == NULL)
    return;

  initiative = self->loaded->initiative;
  table = buurten_municipality_get_mandate_table (municipality, year);

  if (table != NULL && self->amount_cents > 0)
    {
      commitment = form_commitment (self);
      self->mandate = buurten_decide_evaluate (municipality, self->loaded->ledger, commitment,
                                               self->loaded->commitments, &input, &error);
      have_input = self->mandate != NULL;
      if (error != NULL)
        g_message ("Cannot evaluate the mandate: %s", error->message);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->instrument_row), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->mandate_label), FALSE);
  gtk_widget_set_visible (self->refusal_box, FALSE);
  /* Nobody signs what is refused: the refusal says why instead. */
  gtk_widget_set_visible (GTK_WIDGET (self->mandate_group),
                          table != NULL && (self->mandate == NULL || self->mandate->allowed));
  show_total (self, have_input ? &input : NULL);

  if (table == NULL)
    {
      gtk_label_set_label (self->refusal_label,
                           _("There is no mandate table for this year: nobody can decide."));
      gtk_widget_set_visible (self->refusal_box, TRUE);
    }
  else if (self->mandate != NULL && !self->mandate->allowed)
    {
      g_autofree char *reason = buurten_refusal_describe (self->mandate->refusal,
                                                          self->mandate->refusal_args,
                                                          municipality);

      /* The sentence carries the way forward (wijkkansen, investment). */
      gtk_label_set_label (self->refusal_label, reason);
      gtk_widget_set_visible (self->refusal_box, TRUE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->refusal_box),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, reason, -1);
    }
  else if (self->mandate != NULL)
    {
      const BuurtenCommitment *pending = self->loaded->pending;

      adw_action_row_set_subtitle (self->instrument_row,
                                   buurten_format_instrument (self->mandate->instrument));
      gtk_widget_set_visible (GTK_WIDGET (self->instrument_row), TRUE);
      gtk_label_set_label (self->mandate_label, self->mandate->reason);
      gtk_widget_set_visible (GTK_WIDGET (self->mandate_label), TRUE);

      /* Who signs a saved commitment was fixed when it was made; a new
       * one needs what its mandate says. */
      if (pending != NULL)
        self->required = buurten_decide_required_roles (pending, self->mandate);
      else
        self->required = g_array_ref (self->mandate->roles);

      self->signing = buurten_decide_signing (self->context, self->required,
                                              pending != NULL ? pending->state
                                                              : BUURTEN_COMMITMENT_PENDING,
                                              initiative->state, initiative->wijk,
                                              pending != NULL ? self->loaded->signatures : NULL);

      if (pending == NULL)
        {
          /* Putting a commitment forward is allowed on its own: wijkkansen
           * for the wethouder buurten, or a buurtdeal prepared now and
           * signed at the wijkoverleg. */
          can_submit = buurten_decide_may_commit (self->context, initiative->wijk,
                                                  initiative->state, &why_not);
          can_sign = can_submit && self->signing->may_sign;
        }
      else
        can_sign = self->signing->may_sign;

      if (why_not == NULL && !self->signing->may_sign)
        why_not = g_strdup (self->signing->why_not);
    }

  show_roles (self);
  show_thermometers (self, funding);

  gtk_label_set_label (self->sign_hint_label, why_not != NULL ? why_not : "");
  gtk_widget_set_visible (GTK_WIDGET (self->sign_hint_label), why_not != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->provisional_label),
                          buurten_context_get_grants_provisional (self->context));
  gtk_widget_set_visible (GTK_WIDGET (self->submit_button), can_submit);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "decision.sign", can_sign && !self->saving);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "decision.submit",
                                 can_submit && !self->saving);
}

static void
on_amount_changed_cb (BuurtenDecisionWindow *self)
{
  const char *text;
  gint64 cents = 0;

  /* Focus leaves the fields while the window is torn down, too, after
   * the template's pointers are cleared. */
  if (gtk_widget_in_destruction (GTK_WIDGET (self)) || self->amount_row == NULL)
    return;

  text = gtk_editable_get_text (GTK_EDITABLE (self->amount_row));

  /* Live: every keystroke that gives an amount re-evaluates the mandate;
   * the parse error itself waits until the person leaves the field. */
  if (buurten_money_parse (text, BUURTEN_MONEY_PARSE_NONE, &cents, NULL))
    {
      self->amount_cents = cents;
      buurten_form_show_error (GTK_WIDGET (self->amount_row), self->amount_error_label, NULL);
    }
  else
    self->amount_cents = 0;

  evaluate (self);
}

static void
on_amount_focus_leave_cb (BuurtenDecisionWindow *self)
{
  gint64 cents = 0;

  /* Focus leaves the fields while the window is torn down, too, after
   * the template's pointers are cleared. */
  if (gtk_widget_in_destruction (GTK_WIDGET (self)) || self->amount_row == NULL)
    return;

  if (!buurten_form_read_amount (GTK_EDITABLE (self->amount_row), self->amount_error_label,
                                 &cents))
    cents = 0;
  if (cents != self->amount_cents)
    {
      self->amount_cents = cents;
      evaluate (self);
    }
}

static void
on_funding_selected_cb (BuurtenDecisionWindow *self)
{
  /* Focus leaves the fields while the window is torn down, too, after
   * the template's pointers are cleared. */
  if (gtk_widget_in_destruction (GTK_WIDGET (self)) || self->amount_row == NULL)
    return;
  evaluate (self);
}

/* -- loading -- */

typedef struct
{
  BuurtenMunicipality *municipality;
  int                  year;
  char                *initiative_id;
} LoadQuery;

static void
load_query_free (gpointer data)
{
  LoadQuery *query = data;

  g_clear_object (&query->municipality);
  g_free (query->initiative_id);
  g_free (query);
}

static gpointer
load_in_thread (BuurtenStore  *store,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  LoadQuery *query = data;
  g_autoptr(Loaded) loaded = g_new0 (Loaded, 1);

  loaded->initiative = buurten_store_get (store, &buurten_initiative_info,
                                          query->initiative_id, error);
  if (loaded->initiative == NULL)
    return NULL;

  /* What buurten_mandate_input_build() counts: the year's ledger (the
   * wijk and the wijkkansen pot) and the initiative's commitments. */
  loaded->ledger = buurten_store_ledger (store, query->municipality, query->year, error);
  if (loaded->ledger == NULL)
    return NULL;
  loaded->wijk = buurten_ledger_wijk (loaded->ledger, loaded->initiative->wijk);
  if (loaded->wijk == NULL)
    {
      g_set_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID,
                   "Unknown wijk %s", loaded->initiative->wijk);
      return NULL;
    }
  loaded->pot = buurten_ledger_pot (loaded->ledger, "wijkkansen");

  loaded->commitments = buurten_store_list (store, &buurten_commitment_info, "initiative_id",
                                            query->initiative_id, error);
  if (loaded->commitments == NULL)
    return NULL;
  g_ptr_array_set_free_func (loaded->commitments, (GDestroyNotify) buurten_commitment_free);
  for (guint i = 0; i < loaded->commitments->len; i++)
    {
      const BuurtenCommitment *commitment = g_ptr_array_index (loaded->commitments, i);

      if (commitment->state == BUURTEN_COMMITMENT_APPROVED)
        loaded->approved_cents += commitment->amount_cents;

      /* The newest pending one is the one waiting for signatures. */
      if (commitment->state == BUURTEN_COMMITMENT_PENDING &&
          commitment->year == query->year &&
          (loaded->pending == NULL || commitment->created_at >= loaded->pending->created_at))
        {
          buurten_commitment_free (loaded->pending);
          loaded->pending = buurten_commitment_copy (commitment);
        }
    }

  if (loaded->pending != NULL)
    {
      loaded->signatures = buurten_store_list (store, &buurten_signature_info, "commitment_id",
                                               loaded->pending->id, error);
      if (loaded->signatures == NULL)
        return NULL;
      g_ptr_array_set_free_func (loaded->signatures, (GDestroyNotify) buurten_signature_free);
    }
  else
    loaded->signatures = g_ptr_array_new_with_free_func ((GDestroyNotify) buurten_signature_free);

  return g_steal_pointer (&loaded);
}

static void
show_loaded (BuurtenDecisionWindow *self)
{
  BuurtenMunicipality *municipality = buurten_context_get_municipality (self->context);
  const BuurtenInitiative *initiative = self->loaded->initiative;
  const BuurtenCommitment *pending = self->loaded->pending;
  const BuurtenWijk *wijk = buurten_municipality_lookup_wijk (municipality, initiative->wijk);
  g_autofree char *requested = NULL;
  g_autofree char *details = NULL;
  g_autofree char *amount = NULL;
  gint64 cents;

  gtk_label_set_label (self->initiative_label, initiative->title);
  requested = buurten_money_format (initiative->requested_cents);
  /* Translators: under the initiative's title, e.g. "Centrum · requested € 1.500,00 · Idea" */
  details = g_strdup_printf (_("%s · requested %s · %s"),
                             wijk != NULL ? wijk->name : initiative->wijk, requested,
                             buurten_state_label (BUURTEN_MACHINE_INITIATIVE,
                                                  initiative->state));
  if (self->loaded->approved_cents > 0)
    {
      g_autofree char *approved = buurten_money_format (self->loaded->approved_cents);
      char *longer;

      /* A second commitment is possible (more money), never unnoticed. */
      /* Translators: the initiative's details, then e.g. "€ 5.000,00 already
       * approved" */
      longer = g_strdup_printf (_("%s · %s already approved"), details, approved);
      g_free (details);
      details = longer;
    }
  gtk_label_set_label (self->initiative_details_label, details);

  /* A commitment waiting for signatures is what is signed: its amount and
   * funding are fixed. */
  cents = pending != NULL ? pending->amount_cents : initiative->requested_cents;
  amount = cents > 0 ? buurten_money_format (cents) : g_strdup ("");
  adw_combo_row_set_selected (self->funding_row,
                              pending != NULL ? (guint) pending->funding
                                              : BUURTEN_FUNDING_WIJKBUDGET);
  gtk_editable_set_text (GTK_EDITABLE (self->amount_row), amount);
  gtk_widget_set_sensitive (GTK_WIDGET (self->amount_row), pending == NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->funding_row), pending == NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->reason_row), pending == NULL);
  if (pending != NULL)
    gtk_window_set_title (GTK_WINDOW (self), _("Sign Commitment"));

  self->amount_cents = cents;
  evaluate (self);

  /* The window was insensitive while loading: the focus goes now. */
  if (pending == NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->amount_row));
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(BuurtenDecisionWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  Loaded *loaded;

  loaded = buurten_store_load_finish (BUURTEN_STORE (source), result, &error);
  if (loaded == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      buurten_form_show_error (NULL, self->form_error_label, error->message);
      return;
    }

  loaded_free (self->loaded);
  self->loaded = loaded;
  gtk_widget_set_sensitive (GTK_WIDGET (self), TRUE);
  show_loaded (self);
}

static void
load (BuurtenDecisionWindow *self)
{
  LoadQuery *query = g_new0 (LoadQuery, 1);

  query->municipality = g_object_ref (buurten_context_get_municipality (self->context));
  query->year = buurten_context_get_year (self->context);
  query->initiative_id = g_strdup (self->initiative_id);

  buurten_store_load_async (buurten_context_get_store (self->context),
                            load_in_thread, query, load_query_free,
                            (GDestroyNotify) loaded_free, self->cancellable, loaded_cb,
                            g_object_ref (self));
}


/* -- signing -- */

static void
signed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(BuurtenDecisionWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!buurten_store_write_finish (BUURTEN_STORE (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      buurten_form_show_error (NULL, self->form_error_label, error->message);
      self->saving = FALSE;
      evaluate (self);
      return;
    }

  buurten_context_notify_changed (self->context, "commitment", self->commitment_id);
  buurten_context_notify_changed (self->context, "initiative", self->initiative_id);
  g_signal_emit (self, signals[SAVED], 0, self->commitment_id);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
commit (BuurtenDecisionWindow *self,
        gboolean               sign)
{
  g_autoptr(BuurtenFormBatch) batch = NULL;
  g_autoptr(BuurtenCommitment) commitment = NULL;
  g_autoptr(BuurtenInitiative) moved = NULL;
  const char *user = buurten_context_get_user_name (self->context);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gboolean complete = FALSE;

  if (self->saving || self->loaded == NULL || self->mandate == NULL ||
      !self->mandate->allowed || self->signing == NULL)
    return;
  if (sign && !self->signing->may_sign)
    return;

  buurten_form_show_error (NULL, self->form_error_label, NULL);
  moved = buurten_initiative_copy (self->loaded->initiative);
  batch = buurten_form_batch_new (user);

  if (self->loaded->pending == NULL)
    {
      g_autofree char *reason = buurten_form_get_text (GTK_EDITABLE (self->reason_row));
      g_autoptr(GArray) path = NULL;
      JsonNode *args;

      if (!buurten_decide_may_commit (self->context, moved->wijk, moved->state, NULL))
        return;

      /* Deciding is the fast path, but every step goes through the state
       * machine, and only up to getoetst: toegekend follows the last
       * signature, never a transition. */
      path = buurten_state_path (BUURTEN_MACHINE_INITIATIVE, moved->state,
                                 BUURTEN_INITIATIVE_CHECKED);
      for (guint i = 1; path != NULL && i < path->len; i++)
        {
          int from = moved->state;
          int to = g_array_index (path, int, i);

          moved->state = to;
          moved->updated_at = now;
          buurten_form_batch_put (batch, &buurten_initiative_info,
                                  buurten_initiative_copy (moved),
                                  buurten_mutation_name (BUURTEN_MUTATION_INITIATIVE_TRANSITION),
                                  buurten_form_transition_args (moved->id,
                                                                BUURTEN_MACHINE_INITIATIVE,
                                                                from, to, NULL));
        }

      /* The roles are fixed now; the server fixes the same from its own
       * evaluation when the commitment arrives. */
      commitment = form_commitment (self);
      commitment->id = buurten_uuid_new ();
      commitment->created_at = now;
      commitment->required_roles = buurten_roles_to_ids (self->mandate->roles);
      args = buurten_form_args (BUURTEN_MUTATION_COMMITMENT_CREATE, &buurten_commitment_info,
                                commitment);
      /* The motivation goes with the commitment: the decision that its
       * last signature records keeps it as its reason. */
      if (reason != NULL)
        json_object_set_string_member (json_node_get_object (args), "reason", reason);
      buurten_form_batch_put (batch, &buurten_commitment_info,
                              buurten_commitment_copy (commitment),
                              buurten_mutation_name (BUURTEN_MUTATION_COMMITMENT_CREATE),
                              g_steal_pointer (&args));
    }
  else
    commitment = buurten_commitment_copy (self->loaded->pending);

  if (sign)
    {
      g_autoptr(BuurtenSignature) signature = buurten_signature_new ();
      g_autoptr(GPtrArray) signatures = g_ptr_array_new ();
      g_autoptr(BuurtenSigning) after = NULL;

      for (guint i = 0; i < self->loaded->signatures->len; i++)
        g_ptr_array_add (signatures, g_ptr_array_index (self->loaded->signatures, i));

      signature->id = buurten_uuid_new ();
      signature->commitment_id = g_strdup (commitment->id);
      signature->user = g_strdup (user);
      signature->role = self->signing->role;
      signature->signed_at = now;
      g_ptr_array_add (signatures, signature);

      /* The signing user is the session's user: the command names only
       * the commitment. */
      buurten_form_batch_put (batch, &buurten_signature_info, buurten_signature_copy (signature),
                              buurten_mutation_name (BUURTEN_MUTATION_COMMITMENT_SIGN),
                              buurten_form_args (BUURTEN_MUTATION_COMMITMENT_SIGN,
                                                 &buurten_commitment_info, commitment));

      /* Whether mine was the last one: asked of the same rule. */
      after = buurten_decide_signing (self->context, self->required, commitment->state,
                                      moved->state, commitment->wijk, signatures);
      complete = after->missing->len == 0;
    }

  if (complete)
    {
      /* The last signature approves the commitment and grants the
       * initiative. The server does the same on commitment.sign (and
       * records the decision with the signers); here they are no
       * commands of their own. */
      commitment->state = BUURTEN_COMMITMENT_APPROVED;
      buurten_form_batch_put (batch, &buurten_commitment_info,
                              buurten_commitment_copy (commitment), NULL, NULL);
      if (!buurten_initiative_is_granted (moved->state))
        {
          moved->state = BUURTEN_INITIATIVE_GRANTED;
          moved->updated_at = now;
          buurten_form_batch_put (batch, &buurten_initiative_info,
                                  buurten_initiative_copy (moved), NULL, NULL);
        }
    }

  g_free (self->commitment_id);
  self->commitment_id = g_strdup (commitment->id);

  self->saving = TRUE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "decision.sign", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "decision.submit", FALSE);
  buurten_form_batch_save_async (g_steal_pointer (&batch), self->context, self->cancellable,
                                 signed_cb, g_object_ref (self));
}

static void
sign_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  commit (BUURTEN_DECISION_WINDOW (widget), TRUE);
}

static void
submit_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  commit (BUURTEN_DECISION_WINDOW (widget), FALSE);
}

static void
on_identity_changed_cb (BuurtenDecisionWindow *self)
{
  evaluate (self);
}

/* -- GObject -- */

static void
buurten_decision_window_constructed (GObject *object)
{
  BuurtenDecisionWindow *self = BUURTEN_DECISION_WINDOW (object);
  g_autoptr(GtkStringList) fundings = gtk_string_list_new (NULL);

  G_OBJECT_CLASS (buurten_decision_window_parent_class)->constructed (object);

  g_return_if_fail (BUURTEN_IS_CONTEXT (self->context));
  g_return_if_fail (self->initiative_id != NULL);

  /* In the order of BuurtenFunding. */
  for (int funding = BUURTEN_FUNDING_WIJKBUDGET; funding <= BUURTEN_FUNDING_INVESTERING; funding++)
    gtk_string_list_append (fundings, buurten_format_funding ((BuurtenFunding) funding));
  adw_combo_row_set_model (self->funding_row, G_LIST_MODEL (fundings));

  /* The grants follow the identity (and a login). */
  g_signal_connect_object (self->context, "identity-changed",
                           G_CALLBACK (on_identity_changed_cb), self, G_CONNECT_SWAPPED);

  gtk_widget_set_sensitive (GTK_WIDGET (self), FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "decision.sign", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "decision.submit", FALSE);
  load (self);

  gtk_widget_grab_focus (GTK_WIDGET (self->amount_row));
}

static void
buurten_decision_window_dispose (GObject *object)
{
  BuurtenDecisionWindow *self = BUURTEN_DECISION_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->role_rows != NULL)
    g_ptr_array_set_size (self->role_rows, 0);
  gtk_widget_dispose_template (GTK_WIDGET (self), BUURTEN_TYPE_DECISION_WINDOW);

  G_OBJECT_CLASS (buurten_decision_window_parent_class)->dispose (object);
}

static void
buurten_decision_window_finalize (GObject *object)
{
  BuurtenDecisionWindow *self = BUURTEN_DECISION_WINDOW (object);

  g_clear_object (&self->context);
  g_clear_object (&self->cancellable);
  g_free (self->initiative_id);
  g_free (self->commitment_id);
  loaded_free (self->loaded);
  g_clear_pointer (&self->mandate, buurten_mandate_result_free);
  g_clear_pointer (&self->required, g_array_unref);
  g_clear_pointer (&self->signing, buurten_signing_free);
  g_clear_pointer (&self->role_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (buurten_decision_window_parent_class)->finalize (object);
}

static void
buurten_decision_window_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  BuurtenDecisionWindow *self = BUURTEN_DECISION_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    case PROP_INITIATIVE_ID:
      g_value_set_string (value, self->initiative_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
buurten_decision_window_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  BuurtenDecisionWindow *self = BUURTEN_DECISION_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    case PROP_INITIATIVE_ID:
      self->initiative_id = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
buurten_decision_window_class_init (BuurtenDecisionWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = buurten_decision_window_constructed;
  object_class->dispose = buurten_decision_window_dispose;
  object_class->finalize = buurten_decision_window_finalize;
  object_class->get_property = buurten_decision_window_get_property;
  object_class->set_property = buurten_decision_window_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, BUURTEN_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_INITIATIVE_ID] =
    g_param_spec_string ("initiative-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * BuurtenDecisionWindow::saved:
   * @commitment_id: the commitment signed or put forward
   */
  signals[SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (BUURTEN_TYPE_THERMOMETER_BAR);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/nl/hilversum/Buurten/"
                                               "buurten-decision-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BuurtenDecisionWindow, form_error_label);
  gtk_widget_class_bind_template_child (widget_class, BuurtenDecisionWindow, initiative_label);
  gtk_widget_class_bind_template_child (widget_class, BuurtenDecisionWindow,
                                        initiative_details_label);
  gtk_widget_class_bind_template_child (widget_class, BuurtenDecisionWindow, amount_row);
  gtk_widget_class_bind_template_child (widget_class, BuurtenDecisionWindow,
                                        amount_error_label);
  gtk_widget_class_bind_template_child (widget_class, BuurtenDecisionWindow, total_label);
  gtk_widget_class_bind_template_child (widget_class, BuurtenDecisionWindow,
                                        provisional_label);
  gtk_widget_class_bind_template_child (widget_class, BuurtenDecisionWindow, funding_row);
  gtk_widget_class_bind_template_child (widget_class, BuurtenDecisionWindow, reason_row);
  gtk_widget_class_bind_template_child (widget_class, BuurtenDecisionWindow, mandate_group);
  gtk_widget_class_bind_template_child (widget_class, BuurtenDecisionWindow, instrument_row);
  gtk_widget_class_bind_template_child (widget_class, BuurtenDecisionWindow, mandate_label);
  gtk_widget_class_bind_template_child (widget_class, BuurtenDecisionWindow, refusal_box);
  gtk_widget_class_bind_template_child (widget_class, BuurtenDecisionWindow, refusal_label);
  gtk_widget_class_bind_template_child (widget_class, BuurtenDecisionWindow, sign_hint_label);
  gtk_widget_class_bind_template_child (widget_class, BuurtenDecisionWindow, submit_button);
  gtk_widget_class_bind_template_child (widget_class, BuurtenDecisionWindow, now_box);
  gtk_widget_class_bind_template_child (widget_class, BuurtenDecisionWindow, now_bar);
  gtk_widget_class_bind_template_child (widget_class, BuurtenDecisionWindow, now_label);
  gtk_widget_class_bind_template_child (widget_class, BuurtenDecisionWindow, after_box);
  gtk_widget_class_bind_template_child (widget_class, BuurtenDecisionWindow, after_title_label);
  gtk_widget_class_bind_template_child (widget_class, BuurtenDecisionWindow, after_bar);
  gtk_widget_class_bind_template_child (widget_class, BuurtenDecisionWindow, after_label);
  gtk_widget_class_bind_template_callback (widget_class, on_amount_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_amount_focus_leave_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_funding_selected_cb);

  gtk_widget_class_install_action (widget_class, "decision.sign", NULL, sign_action);
  gtk_widget_class_install_action (widget_class, "decision.submit", NULL, submit_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "decision.sign", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
buurten_decision_window_init (BuurtenDecisionWindow *self)
{
  self->cancellable = g_cancellable_new ();
  self->role_rows = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
buurten_decision_window_new (BuurtenContext *context,
                             const char     *initiative_id)
{
  g_return_val_if_fail (BUURTEN_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (initiative_id != NULL, NULL);

  return g_object_new (BUURTEN_TYPE_DECISION_WINDOW,
                       "context", context,
                       "initiative-id", initiative_id,
                       NULL);
}
