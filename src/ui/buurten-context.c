/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-context"

#include "config.h"

#include "buurten-context.h"

#include <stdio.h>

struct _BuurtenContext
{
  GObject              parent_instance;

  /* owned references */
  BuurtenStore        *store;
  BuurtenMunicipality *municipality;
  GSettings           *settings;     /* NULL: identity in memory */

  /* plain data */
  int                  year;
  char                *user_name;
  BuurtenRole          user_role;
  char               **user_wijken;
  gboolean             has_role;
  gboolean             updating;     /* we write the settings ourselves */

  /* What the rules of core/buurten-authority.h are asked with: the
   * server's grants after a login, else made from the self-chosen role
   * and wijken (provisional). */
  GPtrArray           *grants;          /* BuurtenGrant*, never NULL */
  GPtrArray           *server_grants;   /* in memory without settings, or NULL */
  gboolean             grants_provisional;
};

G_DEFINE_FINAL_TYPE (BuurtenContext, buurten_context, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_GRANTS,
  PROP_GRANTS_PROVISIONAL,
  PROP_USER_NAME,
  PROP_YEAR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  IDENTITY_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  BuurtenContext *self;
  char           *entity_type;
  char           *id;
} ChangedData;

static void
changed_data_free (gpointer pointer)
{
  ChangedData *changed = pointer;

  g_object_unref (changed->self);
  g_free (changed->entity_type);
  g_free (changed->id);
  g_free (changed);
}

static void
set_identity_data (BuurtenContext     *self,
                   const char         *name,
                   const char         *role,
                   const char * const *wijken)
{
  int role_value = role != NULL ? buurten_enum_from_id (buurten_role_ids, role) : -1;

  if (name == NULL)
    name = "";
  if (g_strcmp0 (self->user_name, name) != 0)
    {
      g_free (self->user_name);
      self->user_name = g_strdup (name);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER_NAME]);
    }
  self->has_role = role_value >= 0;
  self->user_role = role_value >= 0 ? (BuurtenRole) role_value : BUURTEN_ROLE_BUURTCOORDINATOR;
  g_strfreev (self->user_wijken);
  self->user_wijken = g_strdupv ((char **) (wijken != NULL ? wijken : (const char * const[]) {
                                   NULL }));
}

static void
load_identity (BuurtenContext *self)
{
  g_autofree char *name = NULL;
  g_autofree char *role = NULL;
  g_auto(GStrv) wijken = NULL;

  if (self->settings == NULL)
    return;

  name = g_settings_get_string (self->settings, "user-name");
  role = g_settings_get_string (self->settings, "user-role");
  wijken = g_settings_get_strv (self->settings, "user-wijken");
  set_identity_data (self, name, role, (const char * const *) wijken);
}

/* The grants a self-chosen role gives: one per wijk, or one for every
 * wijk for the city-wide roles. Nobody checked them. */
static GPtrArray *
grants_from_identity (BuurtenContext *self)
{
  GPtrArray *grants = buurten_grants_new ();

  if (!self->has_role)
    return grants;

  switch (self->user_role)
    {
    case BUURTEN_ROLE_WETHOUDER_BUURTEN:
    case BUURTEN_ROLE_TEAMMANAGER_SAMENLEVING:
    case BUURTEN_ROLE_ADMIN:
      g_ptr_array_add (grants, buurten_grant_new (self->user_role, NULL));
      break;
    case BUURTEN_ROLE_BUURTCOORDINATOR:
    case BUURTEN_ROLE_WIJKWETHOUDER:
    case BUURTEN_ROLE_PARTNER:
    case BUURTEN_N_ROLES:
    default:
      for (guint i = 0; self->user_wijken[i] != NULL; i++)
        g_ptr_array_add (grants, buurten_grant_new (self->user_role, self->user_wijken[i]));
      break;
    }

  return grants;
}

/* The server's grants kept in the settings after a login, or NULL when
 * working on this computer only (or before the first login). */
static GPtrArray *
grants_from_settings (BuurtenContext *self)
{
  g_autofree char *server = NULL;
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *grants;

  if (self->settings == NULL)
    return self->server_grants != NULL ? buurten_grants_copy (self->server_grants) : NULL;

  server = g_settings_get_string (self->settings, "server-url");
  text = g_settings_get_string (self->settings, "user-grants");
  if (server[0] == '\0' || text[0] == '\0')
    return NULL;

  node = json_from_string (text, &error);
  grants = node != NULL ? buurten_grants_from_json (node, &error) : NULL;
  if (grants == NULL)
    g_message ("The kept grants cannot be read: %s", error != NULL ? error->message : "empty");
  return grants;
}

/* Recomputes the grants; TRUE when they (or their provisional flag)
 * changed, after notifying. */
static gboolean
update_grants (BuurtenContext *self)
{
  g_autoptr(GPtrArray) grants = grants_from_settings (self);
  gboolean provisional = grants == NULL;
  gboolean changed = FALSE;

  if (grants == NULL)
    grants = grants_from_identity (self);

  if (self->grants == NULL || !buurten_grants_equal (self->grants, grants))
    {
      g_clear_pointer (&self->grants, g_ptr_array_unref);
      self->grants = g_steal_pointer (&grants);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GRANTS]);
      changed = TRUE;
    }

  if (self->grants_provisional != provisional)
    {
      self->grants_provisional = provisional;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GRANTS_PROVISIONAL]);
      changed = TRUE;
    }

  return changed;
}

static void
on_settings_changed_cb (GSettings      *settings,
                        const char     *key,
                        BuurtenContext *self)
{
  if (self->updating)
    return;

  if (g_strcmp0 (key, "user-name") == 0 || g_strcmp0 (key, "user-role") == 0 ||
      g_strcmp0 (key, "user-wijken") == 0)
    {
      load_identity (self);
      update_grants (self);
      g_signal_emit (self, signals[IDENTITY_CHANGED], 0);
    }
  else if (g_strcmp0 (key, "user-grants") == 0 || g_strcmp0 (key, "server-url") == 0)
    {
      if (update_grants (self))
        g_signal_emit (self, signals[IDENTITY_CHANGED], 0);
    }
}

static gboolean
emit_changed_idle (gpointer user_data)
{
  ChangedData *changed = user_data;

  g_signal_emit (changed->self, signals[CHANGED], 0, changed->entity_type, changed->id);

  return G_SOURCE_REMOVE;
}

static void
buurten_context_dispose (GObject *object)
{
  BuurtenContext *self = (BuurtenContext *) object;

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_func (self->settings, on_settings_changed_cb, self);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);
  g_clear_object (&self->municipality);

  G_OBJECT_CLASS (buurten_context_parent_class)->dispose (object);
}

static void
buurten_context_finalize (GObject *object)
{
  BuurtenContext *self = (BuurtenContext *) object;

  g_free (self->user_name);
  g_strfreev (self->user_wijken);
  g_clear_pointer (&self->grants, g_ptr_array_unref);
  g_clear_pointer (&self->server_grants, g_ptr_array_unref);

  G_OBJECT_CLASS (buurten_context_parent_class)->finalize (object);
}

static void
buurten_context_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  BuurtenContext *self = BUURTEN_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_GRANTS:
      g_value_set_boxed (value, self->grants);
      break;
    case PROP_GRANTS_PROVISIONAL:
      g_value_set_boolean (value, self->grants_provisional);
      break;
    case PROP_USER_NAME:
      g_value_set_string (value, self->user_name);
      break;
    case PROP_YEAR:
      g_value_set_int (value, self->year);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
buurten_context_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  BuurtenContext *self = BUURTEN_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_GRANTS:
      buurten_context_set_grants (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
buurten_context_class_init (BuurtenContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = buurten_context_dispose;
  object_class->finalize = buurten_context_finalize;
  object_class->get_property = buurten_context_get_property;
  object_class->set_property = buurten_context_set_property;

  /**
   * BuurtenContext:grants: (element-type BuurtenGrant)
   *
   * The user's grants (BuurtenGrant*): the server's after a login, kept
   * in the setting user-grants; without a server, made from the
   * self-chosen role and wijken. Setting it (%NULL: none from a server)
   * keeps the server's grants.
   */
  properties[PROP_GRANTS] =
    g_param_spec_boxed ("grants", NULL, NULL, G_TYPE_PTR_ARRAY,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * BuurtenContext:grants-provisional:
   *
   * Whether the grants are self-chosen: no server checked them, so a
   * signature is provisional until one does.
   */
  properties[PROP_GRANTS_PROVISIONAL] =
    g_param_spec_boolean ("grants-provisional", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * BuurtenContext:user-name:
   *
   * Who uses the app ("" until the first run asked); ::identity-changed
   * follows any change of the identity.
   */
  properties[PROP_USER_NAME] =
    g_param_spec_string ("user-name", NULL, NULL, "",
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * BuurtenContext:year:
   *
   * The budget year the app works in.
   */
  properties[PROP_YEAR] =
    g_param_spec_int ("year", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * BuurtenContext::changed:
   * @entity_type: "request", "initiative", "commitment", ...
   * @id: (nullable): the entity, or %NULL for many
   *
   * Something was saved; views showing it reload.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  /**
   * BuurtenContext::identity-changed:
   *
   * The name, role or wijken of the user changed (Preferences, first run).
   */
  signals[IDENTITY_CHANGED] =
    g_signal_new ("identity-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
buurten_context_init (BuurtenContext *self)
{
  self->user_name = g_strdup ("");
  self->user_wijken = g_new0 (char *, 1);
  self->grants = buurten_grants_new ();
  self->grants_provisional = TRUE;
}

BuurtenContext *
buurten_context_new (BuurtenStore        *store,
                     BuurtenMunicipality *municipality,
                     GSettings           *settings,
                     int                  year)
{
  BuurtenContext *self;

  g_return_val_if_fail (store == NULL || BUURTEN_IS_STORE (store), NULL);
  g_return_val_if_fail (BUURTEN_IS_MUNICIPALITY (municipality), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  self = g_object_new (BUURTEN_TYPE_CONTEXT, NULL);
  self->store = store != NULL ? g_object_ref (store) : NULL;
  self->municipality = g_object_ref (municipality);
  self->year = year;

  if (settings != NULL)
    {
      self->settings = g_object_ref (settings);
      load_identity (self);
      g_signal_connect (settings, "changed", G_CALLBACK (on_settings_changed_cb), self);
    }
  update_grants (self);
  if (self->store != NULL)
    {
      GDate today;

      /* The attention count includes late decisions, as of our today. */
      buurten_context_get_today (self, &today);
      buurten_store_set_attention_today (self->store, &today);
    }

  return self;
}

BuurtenStore *
buurten_context_get_store (BuurtenContext *self)
{
  g_return_val_if_fail (BUURTEN_IS_CONTEXT (self), NULL);

  return self->store;
}

BuurtenMunicipality *
buurten_context_get_municipality (BuurtenContext *self)
{
  g_return_val_if_fail (BUURTEN_IS_CONTEXT (self), NULL);

  return self->municipality;
}

int
buurten_context_get_year (BuurtenContext *self)
{
  g_return_val_if_fail (BUURTEN_IS_CONTEXT (self), 0);

  return self->year;
}

void
buurten_context_get_today (BuurtenContext *self,
                           GDate          *out)
{
  const char *env;

  g_return_if_fail (BUURTEN_IS_CONTEXT (self));
  g_return_if_fail (out != NULL);

  g_date_clear (out, 1);

  env = g_getenv ("BUURTEN_TODAY");
  if (env != NULL && env[0] != '\0')
    {
      int y = 0;
      int m = 0;
      int d = 0;

      if (sscanf (env, "%4d-%2d-%2d", &y, &m, &d) == 3 &&
          g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
        {
          g_date_set_dmy (out, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
          return;
        }
      g_warning_once ("BUURTEN_TODAY=%s is not a date (YYYY-MM-DD); using today", env);
    }

  {
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();

    g_date_set_dmy (out,
                    (GDateDay) g_date_time_get_day_of_month (now),
                    (GDateMonth) g_date_time_get_month (now),
                    (GDateYear) g_date_time_get_year (now));
  }
}

gboolean
buurten_context_has_identity (BuurtenContext *self)
{
  g_return_val_if_fail (BUURTEN_IS_CONTEXT (self), FALSE);

  return self->user_name[0] != '\0' && self->has_role;
}

const char *
buurten_context_get_user_name (BuurtenContext *self)
{
  g_return_val_if_fail (BUURTEN_IS_CONTEXT (self), NULL);

  return self->user_name;
}

BuurtenRole
buurten_context_get_user_role (BuurtenContext *self)
{
  g_return_val_if_fail (BUURTEN_IS_CONTEXT (self), BUURTEN_ROLE_BUURTCOORDINATOR);

  return self->user_role;
}

const char * const *
buurten_context_get_user_wijken (BuurtenContext *self)
{
  g_return_val_if_fail (BUURTEN_IS_CONTEXT (self), NULL);

  return (const char * const *) self->user_wijken;
}

gboolean
buurten_context_user_has_wijk (BuurtenContext *self,
                               const char     *wijk)
{
  g_return_val_if_fail (BUURTEN_IS_CONTEXT (self), FALSE);

  return wijk != NULL && g_strv_contains ((const char * const *) self->user_wijken, wijk);
}

void
buurten_context_set_identity (BuurtenContext     *self,
                              const char         *name,
                              BuurtenRole         role,
                              const char * const *wijken)
{
  g_return_if_fail (BUURTEN_IS_CONTEXT (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (role >= 0 && role < BUURTEN_N_ROLES);

  set_identity_data (self, name, buurten_role_ids[role], wijken);

  if (self->settings != NULL)
    {
      self->updating = TRUE;
      g_settings_delay (self->settings);
      g_settings_set_string (self->settings, "user-name", self->user_name);
      g_settings_set_string (self->settings, "user-role", buurten_role_ids[role]);
      g_settings_set_strv (self->settings, "user-wijken",
                           (const char * const *) self->user_wijken);
      g_settings_apply (self->settings);
      self->updating = FALSE;
    }

  update_grants (self);
  g_signal_emit (self, signals[IDENTITY_CHANGED], 0);
}

GPtrArray *
buurten_context_get_grants (BuurtenContext *self)
{
  g_return_val_if_fail (BUURTEN_IS_CONTEXT (self), NULL);

  return self->grants;
}

gboolean
buurten_context_get_grants_provisional (BuurtenContext *self)
{
  g_return_val_if_fail (BUURTEN_IS_CONTEXT (self), TRUE);

  return self->grants_provisional;
}

void
buurten_context_set_grants (BuurtenContext *self,
                            GPtrArray      *grants)
{
  g_return_if_fail (BUURTEN_IS_CONTEXT (self));

  if (self->settings != NULL)
    {
      g_autofree char *text = NULL;

      if (grants != NULL)
        {
          g_autoptr(JsonNode) node = buurten_grants_to_json (grants);

          text = json_to_string (node, FALSE);
        }
      self->updating = TRUE;
      g_settings_set_string (self->settings, "user-grants", text != NULL ? text : "");
      self->updating = FALSE;
    }
  else
    {
      g_clear_pointer (&self->server_grants, g_ptr_array_unref);
      if (grants != NULL)
        self->server_grants = buurten_grants_copy (grants);
    }

  if (update_grants (self))
    g_signal_emit (self, signals[IDENTITY_CHANGED], 0);
}

void
buurten_context_notify_changed (BuurtenContext *self,
                                const char     *entity_type,
                                const char     *id)
{
  ChangedData *changed;

  g_return_if_fail (BUURTEN_IS_CONTEXT (self));
  g_return_if_fail (entity_type != NULL);

  changed = g_new0 (ChangedData, 1);
  changed->self = g_object_ref (self);
  changed->entity_type = g_strdup (entity_type);
  changed->id = g_strdup (id);

  /* Always on the UI thread: at once when called there, else from the
   * main loop. */
  g_main_context_invoke_full (NULL, G_PRIORITY_DEFAULT, emit_changed_idle, changed,
                              changed_data_free);
}
