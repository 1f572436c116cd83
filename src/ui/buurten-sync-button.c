/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-sync-button"

#include "config.h"

#include "buurten-sync-button.h"

#include <glib/gi18n.h>

#include "buurten-format.h"

struct _BuurtenSyncButton
{
  GtkWidget          parent_instance;

  /* template widgets */
  GtkMenuButton     *menu_button;
  GtkPopover        *popover;
  GtkLabel          *state_label;
  GtkLabel          *detail_label;
  GtkProgressBar    *progress_bar;
  GtkButton         *sync_now_button;
  GtkButton         *stop_button;
  GtkButton         *attention_button;
  GtkButton         *login_button;

  BuurtenSyncEngine *engine;
};

G_DEFINE_FINAL_TYPE (BuurtenSyncButton, buurten_sync_button, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ENGINE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
time_of_day (gint64 unix_seconds)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (unix_seconds);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  if (when == NULL)
    return g_strdup ("?");
  if (g_date_time_get_year (when) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (when) == g_date_time_get_day_of_year (now))
    return g_date_time_format (when, "%H:%M");
  return buurten_format_timestamp (unix_seconds);
}

char *
buurten_sync_state_text (BuurtenSyncEngine *engine)
{
  gint64 pending;

  g_return_val_if_fail (BUURTEN_IS_SYNC_ENGINE (engine), NULL);

  pending = buurten_sync_engine_get_pending (engine);
  switch (buurten_sync_engine_get_state (engine))
    {
    case BUURTEN_SYNC_STATE_LOCAL_ONLY:
      return g_strdup (_("On this computer only"));
    case BUURTEN_SYNC_STATE_LOGGED_OUT:
      return g_strdup (_("Not logged in"));
    case BUURTEN_SYNC_STATE_SYNCING:
      {
        guint64 done, total;

        buurten_sync_engine_get_progress (engine, &done, &total);
        if (total > 0)
          {
            g_autofree char *done_text = g_strdup_printf ("%'" G_GUINT64_FORMAT, done);
            g_autofree char *total_text = g_strdup_printf ("%'" G_GUINT64_FORMAT, total);

            /* Translators: records fetched so far, of all */
            return g_strdup_printf (_("Syncing: %s of %s"), done_text, total_text);
          }
        return g_strdup (_("Syncing…"));
      }
    case BUURTEN_SYNC_STATE_OFFLINE:
      if (pending > 0)
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Offline, %d change waiting",
                                             "Offline, %d changes waiting", pending),
                                (int) pending);
      return g_strdup (_("Offline"));
    case BUURTEN_SYNC_STATE_ERROR:
      return g_strdup (_("Not synchronised"));
    case BUURTEN_SYNC_STATE_IDLE:
    default:
      if (pending > 0)
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d change waiting",
                                             "%d changes waiting", pending),
                                (int) pending);
      {
        gint64 last = buurten_sync_engine_get_last_sync (engine);
        g_autofree char *when = NULL;

        if (last == 0)
          return g_strdup (_("Not synchronised yet"));
        when = time_of_day (last);
        /* Translators: %s is a time of day (14:05) or a date */
        return g_strdup_printf (_("Up to date at %s"), when);
      }
    }
}

static void
update (BuurtenSyncButton *self)
{
  BuurtenSyncState state;
  g_autofree char *text = NULL;
  g_autofree char *accessible = NULL;
  const char *icon, *detail;
  gint64 attention;
  guint64 done = 0, total = 0;

  if (self->engine == NULL)
    return;

  state = buurten_sync_engine_get_state (self->engine);
  attention = buurten_sync_engine_get_attention (self->engine);
  text = buurten_sync_state_text (self->engine);
  detail = buurten_sync_engine_get_message (self->engine);
  buurten_sync_engine_get_progress (self->engine, &done, &total);

  switch (state)
    {
    case BUURTEN_SYNC_STATE_LOCAL_ONLY:
      icon = "computer-symbolic";
      if (detail == NULL)
        detail = _("Everything is kept on this computer. Log in to share it with the "
                   "wijkteam.");
      break;
    case BUURTEN_SYNC_STATE_LOGGED_OUT:
      icon = "avatar-default-symbolic";
      if (detail == NULL)
        detail = _("Your changes are kept and sent when you log in.");
      break;
    case BUURTEN_SYNC_STATE_OFFLINE:
      icon = "network-offline-symbolic";
      break;
    case BUURTEN_SYNC_STATE_ERROR:
      icon = "dialog-warning-symbolic";
      break;
    case BUURTEN_SYNC_STATE_SYNCING:
    case BUURTEN_SYNC_STATE_IDLE:
    default:
      icon = attention > 0 ? "dialog-warning-symbolic" : "emblem-synchronizing-symbolic";
      break;
    }

  gtk_menu_button_set_icon_name (self->menu_button, icon);
  gtk_label_set_text (self->state_label, text);
  gtk_label_set_text (self->detail_label, detail != NULL ? detail : "");
  gtk_widget_set_visible (GTK_WIDGET (self->detail_label), detail != NULL);

  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar),
                          state == BUURTEN_SYNC_STATE_SYNCING && total > 0);
  if (total > 0)
    {
      g_autofree char *progress = g_strdup_printf ("%'" G_GUINT64_FORMAT " / %'"
                                                   G_GUINT64_FORMAT, done, total);

      gtk_progress_bar_set_fraction (self->progress_bar, (double) done / (double) total);
      gtk_progress_bar_set_text (self->progress_bar, progress);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->sync_now_button),
                          state != BUURTEN_SYNC_STATE_LOCAL_ONLY &&
                          state != BUURTEN_SYNC_STATE_LOGGED_OUT &&
                          state != BUURTEN_SYNC_STATE_SYNCING);
  gtk_widget_set_visible (GTK_WIDGET (self->stop_button), state == BUURTEN_SYNC_STATE_SYNCING);
  gtk_widget_set_visible (GTK_WIDGET (self->login_button),
                          state == BUURTEN_SYNC_STATE_LOCAL_ONLY ||
                          state == BUURTEN_SYNC_STATE_LOGGED_OUT);
  gtk_widget_set_visible (GTK_WIDGET (self->attention_button), attention > 0);
  if (attention > 0)
    {
      g_autofree char *label =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d Item Needs _Attention",
                                      "%d Items Need _Attention", attention),
                         (int) attention);

      gtk_button_set_label (self->attention_button, label);
    }

  /* The button's name says the state, for screen readers and tests. */
  accessible = attention > 0
    ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Synchronisation: %s; %d item needs "
                                    "attention", "Synchronisation: %s; %d items need attention",
                                    attention), text, (int) attention)
    : g_strdup_printf (_("Synchronisation: %s"), text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->menu_button), text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->menu_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
}

void
buurten_sync_button_set_engine (BuurtenSyncButton *self,
                                BuurtenSyncEngine *engine)
{
  g_return_if_fail (BUURTEN_IS_SYNC_BUTTON (self));
  g_return_if_fail (engine == NULL || BUURTEN_IS_SYNC_ENGINE (engine));

  if (self->engine == engine)
    return;
  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_func (self->engine, update, self);
  g_set_object (&self->engine, engine);
  if (engine != NULL)
    {
      g_signal_connect_swapped (engine, "notify", G_CALLBACK (update), self);
      g_signal_connect_swapped (engine, "progress", G_CALLBACK (update), self);
    }
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENGINE]);
}

static void
buurten_sync_button_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  BuurtenSyncButton *self = BUURTEN_SYNC_BUTTON (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      g_value_set_object (value, self->engine);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
buurten_sync_button_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  BuurtenSyncButton *self = BUURTEN_SYNC_BUTTON (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      buurten_sync_button_set_engine (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
buurten_sync_button_dispose (GObject *object)
{
  BuurtenSyncButton *self = BUURTEN_SYNC_BUTTON (object);

  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_func (self->engine, update, self);
  g_clear_object (&self->engine);
  gtk_widget_dispose_template (GTK_WIDGET (self), BUURTEN_TYPE_SYNC_BUTTON);

  G_OBJECT_CLASS (buurten_sync_button_parent_class)->dispose (object);
}

static void
buurten_sync_button_class_init (BuurtenSyncButtonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = buurten_sync_button_dispose;
  object_class->get_property = buurten_sync_button_get_property;
  object_class->set_property = buurten_sync_button_set_property;

  /**
   * BuurtenSyncButton:engine:
   *
   * The sync engine whose state the button shows, or %NULL.
   */
  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL, BUURTEN_TYPE_SYNC_ENGINE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/nl/hilversum/Buurten/buurten-sync-button.ui");
  gtk_widget_class_bind_template_child (widget_class, BuurtenSyncButton, menu_button);
  gtk_widget_class_bind_template_child (widget_class, BuurtenSyncButton, popover);
  gtk_widget_class_bind_template_child (widget_class, BuurtenSyncButton, state_label);
  gtk_widget_class_bind_template_child (widget_class, BuurtenSyncButton, detail_label);
  gtk_widget_class_bind_template_child (widget_class, BuurtenSyncButton, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, BuurtenSyncButton, sync_now_button);
  gtk_widget_class_bind_template_child (widget_class, BuurtenSyncButton, stop_button);
  gtk_widget_class_bind_template_child (widget_class, BuurtenSyncButton, attention_button);
  gtk_widget_class_bind_template_child (widget_class, BuurtenSyncButton, login_button);
}

static void
on_popover_button_clicked_cb (BuurtenSyncButton *self)
{
  /* The button's action opens a window or starts work: the popover has
   * done its job. */
  gtk_popover_popdown (self->popover);
}

static void
buurten_sync_button_init (BuurtenSyncButton *self)
{
  GtkButton *buttons[4];

  gtk_widget_init_template (GTK_WIDGET (self));
  buttons[0] = self->sync_now_button;
  buttons[1] = self->stop_button;
  buttons[2] = self->attention_button;
  buttons[3] = self->login_button;
  for (guint i = 0; i < G_N_ELEMENTS (buttons); i++)
    g_signal_connect_swapped (buttons[i], "clicked", G_CALLBACK (on_popover_button_clicked_cb),
                              self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->menu_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Synchronisation"), -1);
}
