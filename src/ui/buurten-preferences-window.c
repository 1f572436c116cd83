/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-preferences-window"

#include "config.h"

#include "buurten-preferences-window.h"

#include <glib/gi18n.h>

#define WIJK_KEY "buurten-wijk"

struct _BuurtenPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* template widgets */
  AdwPreferencesGroup  *identity_group;
  AdwEntryRow          *name_row;
  AdwComboRow          *role_row;
  AdwPreferencesGroup  *wijken_group;
  GtkWidget            *start_group;
  GtkWidget            *start_button;
  GtkWidget            *sync_group;
  GtkSpinButton        *interval_spin;

  /* owned references */
  BuurtenContext       *context;
  GSettings            *settings;   /* NULL without the installed schema */
  GPtrArray            *checks;      /* GtkSwitch*, borrowed */

  /* plain data */
  gboolean              first_run;
  gboolean              filling;
};

G_DEFINE_FINAL_TYPE (BuurtenPreferencesWindow, buurten_preferences_window,
                     ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_FIRST_RUN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char **
chosen_wijken (BuurtenPreferencesWindow *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < self->checks->len; i++)
    {
      GtkSwitch *check = g_ptr_array_index (self->checks, i);

      if (gtk_switch_get_active (check))
        g_strv_builder_add (builder, g_object_get_data (G_OBJECT (check), WIJK_KEY));
    }

  return g_strv_builder_end (builder);
}

static gboolean
is_complete (BuurtenPreferencesWindow *self)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));

  return name[0] != '\0' && adw_combo_row_get_selected (self->role_row) < BUURTEN_N_ROLES;
}

static void
apply (BuurtenPreferencesWindow *self)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  g_auto(GStrv) wijken = chosen_wijken (self);

  buurten_context_set_identity (self->context, name,
                                (BuurtenRole) adw_combo_row_get_selected (self->role_row),
                                (const char * const *) wijken);
}

static void
on_identity_changed_cb (BuurtenPreferencesWindow *self)
{
  if (self->filling)
    return;

  gtk_widget_set_sensitive (self->start_button, is_complete (self));

  /* Preferences apply at once, but never an empty name. */
  if (!self->first_run && is_complete (self))
    apply (self);
}

static void
on_start_button_clicked_cb (BuurtenPreferencesWindow *self)
{
  if (!is_complete (self))
    return;

  apply (self);
  gtk_window_close (GTK_WINDOW (self));
}

/* Without a server nobody checked the role: it is self-chosen, and what
 * is signed with it is provisional. */
static void
update_role_title (BuurtenPreferencesWindow *self)
{
  gboolean provisional = buurten_context_get_grants_provisional (self->context);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->role_row),
                                 provisional ? _("Role (self-chosen)") : _("Role"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->role_row),
                               provisional
                               ? _("Signatures are provisional until a server checks them.")
                               : _("The server decides your roles when you log in."));
}

static void
fill (BuurtenPreferencesWindow *self)
{
  BuurtenMunicipality *municipality = buurten_context_get_municipality (self->context);
  g_autoptr(GtkStringList) roles = gtk_string_list_new (NULL);
  GPtrArray *wijken = buurten_municipality_get_wijken (municipality);
  gboolean has_identity = buurten_context_has_identity (self->context);

  self->filling = TRUE;

  for (int r = 0; r < BUURTEN_N_ROLES; r++)
    gtk_string_list_append (roles, buurten_municipality_role_name (municipality, r));
  adw_combo_row_set_model (self->role_row, G_LIST_MODEL (roles));
  adw_combo_row_set_selected (self->role_row,
                              has_identity ? (guint) buurten_context_get_user_role (self->context)
                                           : 0);
  gtk_editable_set_text (GTK_EDITABLE (self->name_row),
                         buurten_context_get_user_name (self->context));

  for (guint i = 0; i < wijken->len; i++)
    {
      const BuurtenWijk *wijk = g_ptr_array_index (wijken, i);
      GtkWidget *row = adw_action_row_new ();
      /* A switch rather than a check button: GTK 4.8 gives check buttons
       * no AT-SPI action, so assistive technology could not toggle them. */
      GtkWidget *check = gtk_switch_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), wijk->name);
      /* Named by the row it activates (AdwActionRow sets labelled-by). */
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      gtk_switch_set_active (GTK_SWITCH (check),
                             buurten_context_user_has_wijk (self->context, wijk->id));
      g_object_set_data_full (G_OBJECT (check), WIJK_KEY, g_strdup (wijk->id), g_free);
      g_signal_connect_swapped (check, "notify::active", G_CALLBACK (on_identity_changed_cb),
                                self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      adw_preferences_group_add (self->wijken_group, row);
      g_ptr_array_add (self->checks, check);
    }

  self->filling = FALSE;

  gtk_widget_set_visible (self->start_group, self->first_run);
  gtk_widget_set_sensitive (self->start_button, is_complete (self));
  if (self->first_run)
    {
      gtk_window_set_title (GTK_WINDOW (self), _("Welcome to Buurten"));
      adw_preferences_group_set_title (self->identity_group, _("Welcome to Buurten"));
      /* Typing starts with the name. */
      gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
    }
}

static void
buurten_preferences_window_dispose (GObject *object)
{
  BuurtenPreferencesWindow *self = (BuurtenPreferencesWindow *) object;

  gtk_widget_dispose_template (GTK_WIDGET (self), BUURTEN_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->context);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->checks, g_ptr_array_unref);

  G_OBJECT_CLASS (buurten_preferences_window_parent_class)->dispose (object);
}

static void
buurten_preferences_window_constructed (GObject *object)
{
  BuurtenPreferencesWindow *self = (BuurtenPreferencesWindow *) object;

  G_OBJECT_CLASS (buurten_preferences_window_parent_class)->constructed (object);

  g_return_if_fail (BUURTEN_IS_CONTEXT (self->context));

  fill (self);
  update_role_title (self);
  g_signal_connect_object (self->context, "notify::grants-provisional",
                           G_CALLBACK (update_role_title), self, G_CONNECT_SWAPPED);

  /* How often to sync: a setting of this computer, kept in GSettings. */
  if (!self->first_run)
    {
      GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
      g_autoptr(GSettingsSchema) schema = NULL;

      if (source != NULL)
        schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
      if (schema != NULL)
        {
          self->settings = g_settings_new_full (schema, NULL, NULL);
          g_settings_bind (self->settings, "sync-interval",
                           gtk_spin_button_get_adjustment (self->interval_spin), "value",
                           G_SETTINGS_BIND_DEFAULT);
          gtk_widget_set_visible (self->sync_group, TRUE);
        }
    }
}

static void
buurten_preferences_window_get_property (GObject    *object,
                                         guint       prop_id,
                                         GValue     *value,
                                         GParamSpec *pspec)
{
  BuurtenPreferencesWindow *self = BUURTEN_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;

    case PROP_FIRST_RUN:
      g_value_set_boolean (value, self->first_run);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
buurten_preferences_window_set_property (GObject      *object,
                                         guint         prop_id,
                                         const GValue *value,
                                         GParamSpec   *pspec)
{
  BuurtenPreferencesWindow *self = BUURTEN_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;

    case PROP_FIRST_RUN:
      self->first_run = g_value_get_boolean (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
buurten_preferences_window_class_init (BuurtenPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = buurten_preferences_window_constructed;
  object_class->dispose = buurten_preferences_window_dispose;
  object_class->get_property = buurten_preferences_window_get_property;
  object_class->set_property = buurten_preferences_window_set_property;

  /**
   * BuurtenPreferencesWindow:context:
   *
   * Whose identity is edited: the user's name, role and wijken.
   */
  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, BUURTEN_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * BuurtenPreferencesWindow:first-run:
   *
   * Whether this is the welcome at the first start (a Start button, no
   * sync settings).
   */
  properties[PROP_FIRST_RUN] =
    g_param_spec_boolean ("first-run", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/nl/hilversum/Buurten/buurten-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BuurtenPreferencesWindow, identity_group);
  gtk_widget_class_bind_template_child (widget_class, BuurtenPreferencesWindow, name_row);
  gtk_widget_class_bind_template_child (widget_class, BuurtenPreferencesWindow, role_row);
  gtk_widget_class_bind_template_child (widget_class, BuurtenPreferencesWindow, wijken_group);
  gtk_widget_class_bind_template_child (widget_class, BuurtenPreferencesWindow, start_group);
  gtk_widget_class_bind_template_child (widget_class, BuurtenPreferencesWindow, start_button);
  gtk_widget_class_bind_template_child (widget_class, BuurtenPreferencesWindow, sync_group);
  gtk_widget_class_bind_template_child (widget_class, BuurtenPreferencesWindow, interval_spin);
  gtk_widget_class_bind_template_callback (widget_class, on_identity_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_start_button_clicked_cb);
}

static void
buurten_preferences_window_init (BuurtenPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->checks = g_ptr_array_new ();
}

GtkWidget *
buurten_preferences_window_new (BuurtenContext *context,
                                gboolean        first_run)
{
  g_return_val_if_fail (BUURTEN_IS_CONTEXT (context), NULL);

  return g_object_new (BUURTEN_TYPE_PREFERENCES_WINDOW,
                       "context", context,
                       "first-run", first_run,
                       NULL);
}
