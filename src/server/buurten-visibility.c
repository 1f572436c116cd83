/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-server"

#include "config.h"

#include "buurten-visibility.h"

/* Who sees what: the scopes a user pulls, what a partner sees of them and
 * which fields are residents' personal data. Grants are core's
 * (buurten-authority.h); this file only applies them to the server's
 * scopes ("city", "cluster:<id>", a wijk). */

gboolean
buurten_partner_may_see (const BuurtenEntityInfo *info,
                              JsonObject              *data,
                              const char              *username)
{
  if (info == &buurten_meeting_info || info == &buurten_agenda_item_info)
    return TRUE;

  if (info == &buurten_action_info)
    return g_strcmp0 (json_object_get_string_member_with_default (data, "owner", ""),
                      username) == 0;

  if (info == &buurten_request_info)
    return g_strcmp0 (json_object_get_string_member_with_default (data, "assignee", ""),
                      username) == 0;

  return FALSE;
}

void
buurten_strip_personal (const BuurtenEntityInfo *info,
                             JsonObject              *data)
{
  for (guint i = 0; i < info->n_fields; i++)
    if ((info->fields[i].flags & BUURTEN_FIELD_PERSONAL) != 0 &&
        json_object_has_member (data, info->fields[i].name))
      json_object_remove_member (data, info->fields[i].name);
}

const char *
buurten_personal_fields_array (void)
{
  static char *array = NULL;
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      GString *text = g_string_new ("{");

      for (guint t = 0; buurten_entity_infos[t] != NULL; t++)
        {
          const BuurtenEntityInfo *info = buurten_entity_infos[t];

          for (guint i = 0; i < info->n_fields; i++)
            if ((info->fields[i].flags & BUURTEN_FIELD_PERSONAL) != 0)
              {
                if (text->len > 1)
                  g_string_append_c (text, ',');
                g_string_append (text, info->fields[i].name);
              }
        }
      g_string_append_c (text, '}');
      array = g_string_free (text, FALSE);
      g_once_init_leave (&done, 1);
    }

  return array;
}

gboolean
buurten_staff_anywhere (GPtrArray *grants)
{
  for (guint i = 0; grants != NULL && i < grants->len; i++)
    {
      const BuurtenGrant *grant = g_ptr_array_index (grants, i);

      if (grant->role != BUURTEN_ROLE_PARTNER)
        return TRUE;
    }
  return FALSE;
}

char *
buurten_scope_for_cluster (const char *cluster)
{
  return g_strconcat ("cluster:", cluster, NULL);
}

GPtrArray *
buurten_visible_scopes (GPtrArray           *grants,
                        BuurtenMunicipality *municipality)
{
  GPtrArray *scopes = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *clusters = buurten_municipality_get_clusters (municipality);
  GPtrArray *wijken = buurten_municipality_get_wijken (municipality);

  if (buurten_grants_staff_in (grants, municipality, "city"))
    g_ptr_array_add (scopes, g_strdup ("city"));

  for (guint i = 0; i < clusters->len; i++)
    {
      const BuurtenCluster *cluster = g_ptr_array_index (clusters, i);
      g_autofree char *scope = buurten_scope_for_cluster (cluster->id);

      if (buurten_grants_staff_in (grants, municipality, scope) ||
          buurten_grants_partner_in (grants, municipality, scope))
        g_ptr_array_add (scopes, g_steal_pointer (&scope));
    }

  for (guint i = 0; i < wijken->len; i++)
    {
      const BuurtenWijk *wijk = g_ptr_array_index (wijken, i);

      if (buurten_grants_staff_in (grants, municipality, wijk->id) ||
          buurten_grants_partner_in (grants, municipality, wijk->id))
        g_ptr_array_add (scopes, g_strdup (wijk->id));
    }

  return scopes;
}

/* ---- what an up-to-date pull needs of a session ---- */

char *
buurten_partner_flags (GPtrArray           *grants,
                       BuurtenMunicipality *municipality,
                       GPtrArray           *scopes)
{
  GString *partners = g_string_new ("{");

  for (guint i = 0; i < scopes->len; i++)
    g_string_append_printf (partners, "%s%s", i > 0 ? "," : "",
                            buurten_grants_staff_in (grants, municipality,
                                                      g_ptr_array_index (scopes, i))
                            ? "f" : "t");
  g_string_append_c (partners, '}');
  return g_string_free (partners, FALSE);
}
