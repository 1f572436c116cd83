/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-dashboard-page"

#include "config.h"

#include "buurten-dashboard-page.h"

#include <glib/gi18n.h>

#include "buurten-briefing-dialog.h"
#include "buurten-decide.h"
#include "buurten-editors.h"
#include "buurten-format.h"
#include "buurten-store-initiative.h"
#include "buurten-store-queries.h"
#include "buurten-thermometer-bar.h"

#define MAX_OVERDUE_ROWS 8
#define ROW_TYPE_KEY "buurten-entity-type"
#define ROW_ID_KEY   "buurten-entity-id"

struct _BuurtenDashboardPage
{
  GtkWidget              parent_instance;

  /* template widgets */
  GtkLabel              *name_label;
  GtkLabel              *subtitle_label;
  BuurtenThermometerBar *thermometer;
  GtkFlowBox            *cards;
  AdwPreferencesGroup   *pending_group;
  GtkLabel              *provisional_label;
  GtkListBox            *pending_list;
  AdwPreferencesGroup   *overdue_group;
  GtkListBox            *overdue_list;
  AdwPreferencesGroup   *escalations_group;
  GtkListBox            *escalations_list;
  AdwPreferencesGroup   *meeting_group;
  GtkListBox            *meeting_list;
  AdwPreferencesGroup   *themes_group;
  GtkListBox            *themes_list;

  /* owned references */
  BuurtenContext        *context;
  BuurtenOverview       *overview;
  GCancellable          *cancellable;

  /* plain data */
  char                  *wijk;
  gint64                 next_meeting_at;  /* 0: none planned */
  gboolean               decisions;
  gboolean               loaded;
};

G_DEFINE_FINAL_TYPE (BuurtenDashboardPage, buurten_dashboard_page, GTK_TYPE_WIDGET)

enum {
  OPEN_ITEM,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_WIJK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_wijk (BuurtenDashboardPage *self,
          const char           *wijk)
{
  if (g_strcmp0 (self->wijk, wijk) == 0)
    return;
  g_free (self->wijk);
  self->wijk = g_strdup (wijk);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WIJK]);
}

static void reload (BuurtenDashboardPage *self);

/* ---- rows ------------------------------------------------------------ */

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static GtkWidget *
create_row (const char *title,
            const char *subtitle,
            const char *entity_type,
            const char *id)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title != NULL ? title : "");
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);

  if (entity_type != NULL && id != NULL)
    {
      GtkWidget *arrow = gtk_image_new_from_icon_name ("go-next-symbolic");

      gtk_accessible_update_state (GTK_ACCESSIBLE (arrow), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE,
                                   -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), arrow);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), ROW_TYPE_KEY, g_strdup (entity_type), g_free);
      g_object_set_data_full (G_OBJECT (row), ROW_ID_KEY, g_strdup (id), g_free);
    }
  else
    {
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
    }

  return row;
}

static void
add_placeholder (GtkListBox *list,
                 const char *text)
{
  GtkWidget *row = create_row (text, NULL, NULL, NULL);

  gtk_widget_add_css_class (row, "dim-label");
  gtk_list_box_append (list, row);
}

static void
on_decide_clicked_cb (GtkButton            *button,
                      BuurtenDashboardPage *self)
{
  const char *id = g_object_get_data (G_OBJECT (button), ROW_ID_KEY);

  if (id != NULL && self->context != NULL)
    buurten_open_decision (GTK_WIDGET (self), self->context, id);
}

static GtkWidget *
create_pending_row (BuurtenDashboardPage         *self,
                    const BuurtenPendingDecision *pending,
                    const BuurtenMandateResult   *mandate,
                    gboolean                      with_wijk)
{
  BuurtenMunicipality *municipality = buurten_context_get_municipality (self->context);
  const BuurtenInitiative *initiative = pending->initiative;
  const BuurtenCommitment *commitment = pending->commitment;
  g_autoptr(BuurtenSigning) signing = NULL;
  g_autofree char *amount = NULL;
  g_autofree char *who = NULL;
  g_autofree char *subtitle = NULL;
  const char *status = "";
  gboolean can_act = FALSE;
  GtkWidget *row;

  amount = buurten_money_format (commitment != NULL ? commitment->amount_cents
                                                    : initiative->requested_cents);

  if (commitment != NULL)
    {
      /* Who signs was fixed when the commitment was made; the authority
       * says whether the server would take my signature. */
      g_autoptr(GArray) required = buurten_decide_required_roles (commitment, mandate);
      g_autofree char *roles = NULL;

      signing = buurten_decide_signing (self->context, required, commitment->state,
                                        initiative->state, commitment->wijk,
                                        pending->signatures);
      roles = buurten_format_roles (municipality, signing->missing);
      can_act = signing->may_sign;
      /* Translators: who still has to sign a commitment, e.g. "still to sign: wijkwethouder" */
      who = g_strdup_printf (_("still to sign: %s"), roles);

      if (can_act)
        status = _("You can sign");
      else if (signing->refusal == BUURTEN_CORE_ERROR_FOUR_EYES)
        status = _("You signed already");
      else
        status = _("Not yours to sign");
    }
  else if (mandate == NULL)
    who = g_strdup (_("no mandate table for this year"));
  else if (!mandate->allowed)
    who = buurten_refusal_describe (mandate->refusal, mandate->refusal_args, municipality);
  else
    {
      g_autofree char *roles = buurten_format_roles (municipality, mandate->roles);

      /* Translators: who decides on an initiative, e.g. "decided by: buurtcoördinator" */
      who = g_strdup_printf (_("decided by: %s"), roles);
      /* Whoever may put a commitment forward decides here (the window
       * then says who signs). */
      can_act = buurten_decide_may_commit (self->context, initiative->wijk, initiative->state,
                                           NULL);
      status = can_act ? _("You can decide") : _("Not yours to sign");
    }

  if (with_wijk)
    {
      const BuurtenWijk *wijk = buurten_municipality_lookup_wijk (municipality, initiative->wijk);

      /* Translators: a pending decision in the "Ter besluitvorming" list:
       * wijk, amount, who still has to sign and whether I can, e.g.
       * "Centrum · € 4.750,00 · still to sign: wijkwethouder · You can sign" */
      subtitle = g_strdup_printf (_("%1$s · %2$s · %3$s · %4$s"),
                                  wijk != NULL ? wijk->name : initiative->wijk,
                                  amount, who, status);
    }
  else
    {
      /* Translators: a pending decision on the dashboard: amount, who still
       * has to sign and whether I can, e.g. "€ 4.750,00 · still to sign:
       * wijkwethouder · You can sign" */
      subtitle = g_strdup_printf (_("%1$s · %2$s · %3$s"), amount, who, status);
    }

  row = create_row (initiative->title, subtitle, "initiative", initiative->id);

  if (can_act)
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (commitment != NULL ? _("_Sign")
                                                                           : _("_Decide"));
      g_autofree char *label = NULL;

      /* Translators: accessible name of the Sign button of one initiative */
      label = g_strdup_printf (commitment != NULL ? _("Sign “%s”") : _("Decide on “%s”"),
                               initiative->title);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                      -1);
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "suggested-action");
      g_object_set_data_full (G_OBJECT (button), ROW_ID_KEY, g_strdup (initiative->id), g_free);
      g_signal_connect (button, "clicked", G_CALLBACK (on_decide_clicked_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }

  return row;
}

static void
fill_pending (BuurtenDashboardPage *self,
              GPtrArray            *pending,
              GPtrArray            *mandates,
              gboolean              with_wijk)
{
  g_autofree char *description = NULL;

  clear_list (self->pending_list);
  for (guint i = 0; i < pending->len; i++)
    gtk_list_box_append (self->pending_list,
                         create_pending_row (self, g_ptr_array_index (pending, i),
                                             g_ptr_array_index (mandates, i), with_wijk));
  /* Signatures of a self-chosen role wait for a server to check them. */
  gtk_widget_set_visible (GTK_WIDGET (self->provisional_label),
                          buurten_context_get_grants_provisional (self->context));

  if (pending->len == 0)
    add_placeholder (self->pending_list, with_wijk ? _("Nothing waits for your signature")
                                                   : _("Nothing waits for a decision"));

  description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u initiative",
                                              "%u initiatives", pending->len),
                                 pending->len);
  adw_preferences_group_set_description (self->pending_group, description);
}

/* Initiatives past their decision term (core's rule), under the overdue
 * requests. */
static void
fill_overdue_initiatives (BuurtenDashboardPage *self,
                          GPtrArray            *initiatives)
{
  for (guint i = 0; initiatives != NULL && i < initiatives->len; i++)
    {
      const BuurtenOverdueInitiative *overdue = g_ptr_array_index (initiatives, i);
      g_autofree char *due = buurten_format_date (&overdue->due);
      g_autofree char *late = NULL;
      g_autofree char *subtitle = NULL;

      late = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day late", "%d days late",
                                           overdue->days_late),
                              overdue->days_late);
      /* Translators: an initiative past its decision term: its deadline and
       * how late, e.g. "initiative · decision due 12-01-2027 · 3 days late" */
      subtitle = g_strdup_printf (_("initiative · decision due %1$s · %2$s"), due, late);
      gtk_list_box_append (self->overdue_list,
                           create_row (overdue->initiative->title, subtitle, "initiative",
                                       overdue->initiative->id));
    }
}

static void
fill_dashboard (BuurtenDashboardPage   *self,
                const BuurtenDashboard *dashboard,
                GPtrArray              *mandates,
                GPtrArray              *overdue_initiatives)
{
  guint n_late_initiatives = overdue_initiatives != NULL ? overdue_initiatives->len : 0;

  g_autofree char *overdue_description = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  fill_pending (self, dashboard->pending, mandates, FALSE);

  /* Over termijn. */
  clear_list (self->overdue_list);
  for (guint i = 0; i < dashboard->overdue->len; i++)
    {
      const BuurtenOverdueRequest *overdue = g_ptr_array_index (dashboard->overdue, i);
      g_autofree char *due = buurten_format_date (&overdue->due);
      g_autofree char *subtitle = NULL;
      GtkWidget *row;

      /* Translators: an overdue request: its due date, the working days
       * counted and its answer term, e.g. "due ma 27 apr · 34 working days,
       * term 10" */
      subtitle = g_strdup_printf (_("due %1$s · %2$u working days, term %3$u"), due,
                                  overdue->elapsed, (guint) overdue->request->term_days);
      row = create_row (overdue->request->title, subtitle, "request", overdue->request->id);
      if (overdue->overdue == BUURTEN_OVERDUE_SEVERELY)
        {
          GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
          g_autofree char *label = NULL;

          gtk_widget_add_css_class (icon, "error");
          gtk_accessible_update_property (GTK_ACCESSIBLE (icon),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          _("More than three times its term"),
                                          -1);
          adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
          gtk_widget_add_css_class (row, "far-overdue");
          /* Translators: the accessible name of a far overdue request */
          label = g_strdup_printf (_("%s, more than three times its term"),
                                   overdue->request->title);
          gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                          -1);
        }
      gtk_list_box_append (self->overdue_list, row);
    }
  fill_overdue_initiatives (self, overdue_initiatives);
  if (dashboard->n_overdue == 0 && n_late_initiatives == 0)
    add_placeholder (self->overdue_list, _("Every request is within its answer term"));
  else if (dashboard->n_overdue > dashboard->overdue->len)
    {
      g_autofree char *more = g_strdup_printf (_("%u more in Requests"),
                                               dashboard->n_overdue - dashboard->overdue->len);

      add_placeholder (self->overdue_list, more);
    }
  /* Translators: under "Overdue": all overdue requests and those more
   * than three times over their term */
  overdue_description = g_strdup_printf (_("%1$u requests, %2$u of them more than 3× their term"),
                                         dashboard->n_overdue, dashboard->n_severely_overdue);
  if (n_late_initiatives > 0)
    {
      g_autofree char *requests = g_steal_pointer (&overdue_description);

      /* Translators: under "Overdue", after the requests: the initiatives
       * past their decision term */
      overdue_description =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%1$s; %2$u initiative past its decision term",
                                      "%1$s; %2$u initiatives past their decision term",
                                      n_late_initiatives),
                         requests, n_late_initiatives);
    }
  adw_preferences_group_set_description (self->overdue_group, overdue_description);

  /* Open escalaties. */
  clear_list (self->escalations_list);
  for (guint i = 0; i < dashboard->escalations->len; i++)
    {
      const BuurtenEscalation *escalation = g_ptr_array_index (dashboard->escalations, i);
      g_autofree char *days = buurten_format_days (MAX (0, (now - escalation->opened_at) / 86400));
      g_autofree char *subtitle = NULL;

      /* Translators: an open escalation: level, to whom, and how long it is
       * open, e.g. "Sturingsoverleg → Teammanager samenleving · open 12 days" */
      subtitle = g_strdup_printf (_("%1$s → %2$s · open %3$s"),
                                  buurten_format_escalation_level (escalation->level),
                                  buurten_format_escalation_target (
                                    buurten_context_get_municipality (self->context),
                                    escalation->target),
                                  days);
      gtk_list_box_append (self->escalations_list,
                           create_row (escalation->reason, subtitle, "escalation",
                                       escalation->id));
    }
  if (dashboard->escalations->len == 0)
    add_placeholder (self->escalations_list, _("No open escalations"));

  /* Volgend overleg. */
  self->next_meeting_at = dashboard->next_meeting != NULL ? dashboard->next_meeting->starts_at : 0;
  clear_list (self->meeting_list);
  if (dashboard->next_meeting != NULL)
    {
      const BuurtenMeeting *meeting = dashboard->next_meeting;
      g_autofree char *when = buurten_format_timestamp (meeting->starts_at);
      g_autofree char *title = NULL;

      /* Translators: the next meeting: kind and date, e.g. "Wijkteam, di 20 okt 14:00" */
      title = g_strdup_printf (_("%1$s, %2$s"), buurten_format_meeting_kind (meeting->kind),
                               when);
      gtk_list_box_append (self->meeting_list,
                           create_row (title, meeting->location, "meeting", meeting->id));
      for (guint i = 0; i < dashboard->agenda->len; i++)
        {
          const BuurtenAgendaItem *item = g_ptr_array_index (dashboard->agenda, i);
          g_autofree char *numbered = g_strdup_printf ("%u. %s", i + 1,
                                                       item->title ? item->title : "");
          const char *type = item->subject_type;
          gboolean known = g_strcmp0 (type, "request") == 0 ||
                           g_strcmp0 (type, "initiative") == 0 ||
                           g_strcmp0 (type, "escalation") == 0;

          gtk_list_box_append (self->meeting_list,
                               create_row (numbered, NULL, known ? type : NULL,
                                           known ? item->subject_id : NULL));
        }
      if (dashboard->agenda->len == 0)
        add_placeholder (self->meeting_list, _("The agenda is empty"));
    }
  else
    {
      add_placeholder (self->meeting_list, _("No meeting planned"));
    }

  /* Wijkthema's, with what was committed to each. */
  clear_list (self->themes_list);
  for (guint i = 0; i < dashboard->themes->len; i++)
    {
      const BuurtenTheme *theme = g_ptr_array_index (dashboard->themes, i);
      const BuurtenThermometer *t = buurten_thermometer_bar_get_thermometer (self->thermometer);
      g_autofree char *subtitle = NULL;

      for (guint k = 0; t != NULL && t->themes != NULL && k < t->themes->len; k++)
        {
          const BuurtenThemeShare *share = g_ptr_array_index (t->themes, k);

          if (g_strcmp0 (share->theme, theme->title) == 0)
            {
              g_autofree char *amount = buurten_money_format (share->approved_cents +
                                                               share->pending_cents);

              /* Translators: under a wijk theme: the money committed to it */
              subtitle = g_strdup_printf (_("%s committed"), amount);
            }
        }
      gtk_list_box_append (self->themes_list, create_row (theme->title, subtitle, NULL, NULL));
    }
  if (dashboard->themes->len == 0)
    add_placeholder (self->themes_list, _("No themes chosen for this year"));
}

static void
set_cards_visible (BuurtenDashboardPage *self,
                   gboolean              all)
{
  GtkWidget *groups[] = {
    GTK_WIDGET (self->overdue_group), GTK_WIDGET (self->escalations_group),
    GTK_WIDGET (self->meeting_group), GTK_WIDGET (self->themes_group),
  };

  for (guint i = 0; i < G_N_ELEMENTS (groups); i++)
    gtk_widget_set_visible (gtk_widget_get_ancestor (groups[i], GTK_TYPE_FLOW_BOX_CHILD), all);
  gtk_widget_set_visible (GTK_WIDGET (self->thermometer), all);
  gtk_flow_box_set_max_children_per_line (self->cards, all ? 2 : 1);
}

/* ---- loading --------------------------------------------------------- */

typedef struct
{
  char   *wijk;
  char   *cluster;
  int     year;
  GDate   today;
  gint64  now;
  char  **wijken;
  gboolean decisions;
  gboolean wijkkansen;
  BuurtenMunicipality *municipality;
} LoadData;

/* What the worker hands back: the dashboard (or, for the list of
 * decisions, the pending decisions) and, per pending decision, its
 * mandate (BuurtenMandateResult*, NULL without a table), evaluated with
 * the year's ledger and the initiative's commitments. */
typedef struct
{
  BuurtenDashboard *dashboard;
  GPtrArray        *pending;    /* BuurtenPendingDecision*, the list of decisions */
  GPtrArray        *mandates;
  GPtrArray        *overdue_initiatives;  /* BuurtenOverdueInitiative* */
} Loaded;

static void
loaded_free (gpointer data)
{
  Loaded *loaded = data;

  g_clear_pointer (&loaded->dashboard, buurten_dashboard_free);
  g_clear_pointer (&loaded->pending, g_ptr_array_unref);
  g_clear_pointer (&loaded->mandates, g_ptr_array_unref);
  g_clear_pointer (&loaded->overdue_initiatives, g_ptr_array_unref);
  g_free (loaded);
}

static void
load_data_free (gpointer data)
{
  LoadData *load = data;

  g_clear_object (&load->municipality);
  g_free (load->wijk);
  g_free (load->cluster);
  g_strfreev (load->wijken);
  g_free (load);
}

static gpointer
load_in_thread (BuurtenStore  *store,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  LoadData *load = data;
  Loaded *loaded = g_new0 (Loaded, 1);
  GPtrArray *pending;

  if (load->decisions)
    loaded->pending = buurten_store_pending_decisions (store, (const char * const *) load->wijken,
                                                       load->wijkkansen, error);
  else
    loaded->dashboard = buurten_store_dashboard (store, load->wijk, load->cluster, load->year,
                                                 &load->today, load->now, MAX_OVERDUE_ROWS,
                                                 error);
  pending = load->decisions ? loaded->pending
                            : loaded->dashboard != NULL ? loaded->dashboard->pending : NULL;
  if (pending != NULL)
    loaded->mandates = buurten_store_pending_mandates (store, load->municipality, load->year,
                                                       pending, error);
  if (loaded->mandates != NULL && loaded->dashboard != NULL)
    {
      loaded->overdue_initiatives =
        buurten_store_overdue_initiatives (store, load->wijk,
                                           buurten_municipality_decision_term_weeks (load->municipality),
                                           &load->today, error);
      if (loaded->overdue_initiatives == NULL)
        g_clear_pointer (&loaded->mandates, g_ptr_array_unref);
    }

  if (loaded->mandates == NULL)
    {
      loaded_free (loaded);
      return NULL;
    }

  return loaded;
}

static void
load_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(BuurtenDashboardPage) self = user_data;
  g_autoptr(GError) error = NULL;
  Loaded *loaded;

  loaded = buurten_store_load_finish (BUURTEN_STORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->loaded = TRUE;
  if (loaded == NULL)
    {
      /* No store at all is a test without data, not a problem to report. */
      if (!g_error_matches (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_OPEN))
        g_message ("Cannot load the dashboard: %s", error ? error->message : "unknown error");
      return;
    }

  if (self->decisions)
    fill_pending (self, loaded->pending, loaded->mandates, TRUE);
  else
    fill_dashboard (self, loaded->dashboard, loaded->mandates, loaded->overdue_initiatives);
  loaded_free (loaded);
}

/* The wijken my grants cover (every wijk for a city-wide grant). */
static char **
granted_wijken (BuurtenDashboardPage *self)
{
  BuurtenMunicipality *municipality = buurten_context_get_municipality (self->context);
  GPtrArray *grants = buurten_context_get_grants (self->context);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *wijken = buurten_municipality_get_wijken (municipality);

  for (guint i = 0; i < grants->len; i++)
    {
      const BuurtenGrant *grant = g_ptr_array_index (grants, i);

      for (guint w = 0; w < wijken->len; w++)
        {
          const BuurtenWijk *wijk = g_ptr_array_index (wijken, w);

          if ((grant->wijk == NULL || g_str_equal (grant->wijk, wijk->id)) &&
              g_hash_table_add (seen, wijk->id))
            g_strv_builder_add (builder, wijk->id);
        }
    }

  return g_strv_builder_end (builder);
}

static void
reload (BuurtenDashboardPage *self)
{
  LoadData *load;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->loaded = FALSE;

  if (self->context == NULL || (self->wijk == NULL && !self->decisions))
    return;

  load = g_new0 (LoadData, 1);
  load->decisions = self->decisions;
  load->wijk = g_strdup (self->wijk);
  load->year = buurten_context_get_year (self->context);
  buurten_context_get_today (self->context, &load->today);
  /* "Now" follows the context's today (BUURTEN_TODAY in demos and tests):
   * the next meeting is the next one from the start of that day. */
  {
    g_autoptr(GDateTime) start = g_date_time_new_local (g_date_get_year (&load->today),
                                                        g_date_get_month (&load->today),
                                                        g_date_get_day (&load->today), 0, 0, 0);

    load->now = start != NULL ? g_date_time_to_unix (start)
                              : g_get_real_time () / G_USEC_PER_SEC;
  }
  load->municipality = g_object_ref (buurten_context_get_municipality (self->context));
  load->wijken = granted_wijken (self);
  load->wijkkansen = buurten_grants_have_role (buurten_context_get_grants (self->context),
                                               BUURTEN_ROLE_WETHOUDER_BUURTEN, NULL);
  if (self->wijk != NULL)
    {
      const BuurtenWijk *wijk =
        buurten_municipality_lookup_wijk (buurten_context_get_municipality (self->context),
                                          self->wijk);

      load->cluster = g_strdup (wijk != NULL ? wijk->cluster : NULL);
    }

  self->cancellable = g_cancellable_new ();
  buurten_store_load_async (buurten_context_get_store (self->context),
                            load_in_thread, load, load_data_free,
                            loaded_free, self->cancellable, load_cb, g_object_ref (self));
}

/* ---- signals --------------------------------------------------------- */

static void
on_row_activated_cb (GtkListBox           *list,
                     GtkListBoxRow        *row,
                     BuurtenDashboardPage *self)
{
  const char *type = g_object_get_data (G_OBJECT (row), ROW_TYPE_KEY);
  const char *id = g_object_get_data (G_OBJECT (row), ROW_ID_KEY);

  if (type != NULL && id != NULL)
    g_signal_emit (self, signals[OPEN_ITEM], 0, type, id);
}

static void
on_context_changed_cb (BuurtenContext       *context,
                       const char           *entity_type,
                       const char           *id,
                       BuurtenDashboardPage *self)
{
  reload (self);
}

static void
on_identity_changed_cb (BuurtenContext       *context,
                        BuurtenDashboardPage *self)
{
  reload (self);
}

static void
briefing_activated (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  BuurtenDashboardPage *self = BUURTEN_DASHBOARD_PAGE (widget);

  /* The next meeting is the date a wethouder most likely wants. */
  if (self->context != NULL && self->wijk != NULL)
    buurten_briefing_dialog_present (widget, self->context, self->wijk, self->next_meeting_at);
}

/* ---- GObject --------------------------------------------------------- */

static void
buurten_dashboard_page_dispose (GObject *object)
{
  BuurtenDashboardPage *self = (BuurtenDashboardPage *) object;
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->context != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->context, on_context_changed_cb, self);
      g_signal_handlers_disconnect_by_func (self->context, on_identity_changed_cb, self);
    }
  g_clear_object (&self->context);
  g_clear_pointer (&self->overview, buurten_overview_unref);

  gtk_widget_dispose_template (GTK_WIDGET (self), BUURTEN_TYPE_DASHBOARD_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (buurten_dashboard_page_parent_class)->dispose (object);
}

static void
buurten_dashboard_page_finalize (GObject *object)
{
  BuurtenDashboardPage *self = (BuurtenDashboardPage *) object;

  g_free (self->wijk);

  G_OBJECT_CLASS (buurten_dashboard_page_parent_class)->finalize (object);
}

static void
buurten_dashboard_page_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  BuurtenDashboardPage *self = BUURTEN_DASHBOARD_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;

    case PROP_WIJK:
      g_value_set_string (value, self->wijk);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
buurten_dashboard_page_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  BuurtenDashboardPage *self = BUURTEN_DASHBOARD_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      buurten_dashboard_page_set_context (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
buurten_dashboard_page_class_init (BuurtenDashboardPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = buurten_dashboard_page_dispose;
  object_class->finalize = buurten_dashboard_page_finalize;
  object_class->get_property = buurten_dashboard_page_get_property;
  object_class->set_property = buurten_dashboard_page_set_property;

  /**
   * BuurtenDashboardPage:context:
   *
   * The store, municipality and user the page reads with, or %NULL. The
   * page is in the window's template: the window binds its own "context"
   * to it.
   */
  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, BUURTEN_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * BuurtenDashboardPage:wijk:
   *
   * The id of the wijk shown, or %NULL (none, or "For Decision").
   */
  properties[PROP_WIJK] =
    g_param_spec_string ("wijk", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * BuurtenDashboardPage::open-item:
   * @entity_type: "request", "initiative", "escalation" or "meeting"
   * @id: the item
   *
   * The user wants to see the item's detail.
   */
  signals[OPEN_ITEM] =
    g_signal_new ("open-item",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  g_type_ensure (BUURTEN_TYPE_THERMOMETER_BAR);

  gtk_widget_class_install_action (widget_class, "dashboard.briefing", NULL, briefing_activated);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/nl/hilversum/Buurten/buurten-dashboard-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  gtk_widget_class_bind_template_child (widget_class, BuurtenDashboardPage, name_label);
  gtk_widget_class_bind_template_child (widget_class, BuurtenDashboardPage, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, BuurtenDashboardPage, thermometer);
  gtk_widget_class_bind_template_child (widget_class, BuurtenDashboardPage, cards);
  gtk_widget_class_bind_template_child (widget_class, BuurtenDashboardPage, pending_group);
  gtk_widget_class_bind_template_child (widget_class, BuurtenDashboardPage, pending_list);
  gtk_widget_class_bind_template_child (widget_class, BuurtenDashboardPage, provisional_label);
  gtk_widget_class_bind_template_child (widget_class, BuurtenDashboardPage, overdue_group);
  gtk_widget_class_bind_template_child (widget_class, BuurtenDashboardPage, overdue_list);
  gtk_widget_class_bind_template_child (widget_class, BuurtenDashboardPage, escalations_group);
  gtk_widget_class_bind_template_child (widget_class, BuurtenDashboardPage, escalations_list);
  gtk_widget_class_bind_template_child (widget_class, BuurtenDashboardPage, meeting_group);
  gtk_widget_class_bind_template_child (widget_class, BuurtenDashboardPage, meeting_list);
  gtk_widget_class_bind_template_child (widget_class, BuurtenDashboardPage, themes_group);
  gtk_widget_class_bind_template_child (widget_class, BuurtenDashboardPage, themes_list);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated_cb);
}

static void
buurten_dashboard_page_init (BuurtenDashboardPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Keyboard focus goes into the cards' rows, not to the cards. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->cards));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    gtk_widget_set_focusable (child, FALSE);
}

GtkWidget *
buurten_dashboard_page_new (void)
{
  return g_object_new (BUURTEN_TYPE_DASHBOARD_PAGE, NULL);
}

void
buurten_dashboard_page_set_context (BuurtenDashboardPage *self,
                                    BuurtenContext       *context)
{
  g_return_if_fail (BUURTEN_IS_DASHBOARD_PAGE (self));
  g_return_if_fail (context == NULL || BUURTEN_IS_CONTEXT (context));

  if (self->context == context)
    return;

  if (self->context != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->context, on_context_changed_cb, self);
      g_signal_handlers_disconnect_by_func (self->context, on_identity_changed_cb, self);
    }
  g_set_object (&self->context, context);
  if (context != NULL)
    {
      g_signal_connect (context, "changed", G_CALLBACK (on_context_changed_cb), self);
      g_signal_connect (context, "identity-changed", G_CALLBACK (on_identity_changed_cb), self);
    }

  reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTEXT]);
}

static void
set_overview (BuurtenDashboardPage *self,
              BuurtenOverview      *overview)
{
  if (overview != NULL)
    buurten_overview_ref (overview);
  g_clear_pointer (&self->overview, buurten_overview_unref);
  self->overview = overview;
}

void
buurten_dashboard_page_set_wijk (BuurtenDashboardPage *self,
                                 BuurtenOverview      *overview,
                                 const char           *wijk)
{
  const BuurtenThermometer *thermometer = NULL;

  g_return_if_fail (BUURTEN_IS_DASHBOARD_PAGE (self));

  set_overview (self, overview);
  set_wijk (self, wijk);
  self->decisions = FALSE;
  self->next_meeting_at = 0;
  set_cards_visible (self, TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dashboard.briefing", wijk != NULL);

  if (overview != NULL && wijk != NULL)
    thermometer = buurten_overview_lookup (overview, wijk);
  buurten_thermometer_bar_set_thermometer (self->thermometer, thermometer);

  if (thermometer != NULL)
    {
      const BuurtenWijk *info = buurten_municipality_lookup_wijk (overview->municipality, wijk);
      const BuurtenCluster *cluster =
        info != NULL ? buurten_municipality_lookup_cluster (overview->municipality,
                                                            info->cluster)
                     : NULL;
      g_autofree char *summary = buurten_format_thermometer_summary (thermometer);
      g_autofree char *budget = buurten_money_format (thermometer->budget_cents);
      g_autofree char *subtitle = NULL;

      gtk_label_set_label (self->name_label, thermometer->name);
      if (cluster != NULL)
        /* Translators: under a wijk's name: its cluster, budget and how much
         * is committed, e.g. "Cluster Centrum-Zuidoost · budget € 32.500,00 ·
         * 43% committed · € 18.600,00 free" */
        subtitle = g_strdup_printf (_("Cluster %1$s · budget %2$s · %3$s"), cluster->name,
                                    budget, summary);
      else
        subtitle = g_strdup_printf (_("Budget %1$s · %2$s"), budget, summary);
      gtk_label_set_label (self->subtitle_label, subtitle);
    }
  else
    {
      gtk_label_set_label (self->name_label, "");
      gtk_label_set_label (self->subtitle_label, "");
    }

  reload (self);
}

const char *
buurten_dashboard_page_get_wijk (BuurtenDashboardPage *self)
{
  g_return_val_if_fail (BUURTEN_IS_DASHBOARD_PAGE (self), NULL);

  return self->wijk;
}

void
buurten_dashboard_page_show_decisions (BuurtenDashboardPage *self,
                                       BuurtenOverview      *overview)
{
  g_return_if_fail (BUURTEN_IS_DASHBOARD_PAGE (self));

  set_overview (self, overview);
  set_wijk (self, NULL);
  self->decisions = TRUE;
  set_cards_visible (self, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dashboard.briefing", FALSE);

  gtk_label_set_label (self->name_label, _("For Decision"));
  gtk_label_set_label (self->subtitle_label,
                       _("Everything in your wijken that waits for your signature."));
  reload (self);
}

gboolean
buurten_dashboard_page_is_loaded (BuurtenDashboardPage *self)
{
  g_return_val_if_fail (BUURTEN_IS_DASHBOARD_PAGE (self), FALSE);

  return self->loaded;
}
