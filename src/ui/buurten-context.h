/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "buurten-core.h"
#include "buurten-store.h"

G_BEGIN_DECLS

/* What every view and form of the desktop shares: the opened store, the
 * municipality, the year shown and who I am. Passed as a construct-only
 * property ("context") to every widget that needs it; no singletons.
 *
 * Who am I: the first run asks for a name, a role and the wijken, kept in
 * GSettings (keys user-name, user-role, user-wijken) and changeable in
 * Preferences. What I may do is asked of core/buurten-authority.h with
 * the grants ("grants"): the server's after a login, else made from that
 * self-chosen role. */

#define BUURTEN_TYPE_CONTEXT (buurten_context_get_type ())
G_DECLARE_FINAL_TYPE (BuurtenContext, buurten_context, BUURTEN, CONTEXT, GObject)

/* settings may be NULL (tests): the identity then lives in memory. */
BuurtenContext      *buurten_context_new              (BuurtenStore        *store,
                                                       BuurtenMunicipality *municipality,
                                                       GSettings           *settings,
                                                       int                  year);

BuurtenStore        *buurten_context_get_store        (BuurtenContext *self);
BuurtenMunicipality *buurten_context_get_municipality (BuurtenContext *self);
int                  buurten_context_get_year         (BuurtenContext *self);
/* The day the app treats as today (deadlines, overdue); settable for tests
 * and demos through the BUURTEN_TODAY environment variable (YYYY-MM-DD). */
void                 buurten_context_get_today        (BuurtenContext *self,
                                                       GDate          *out);

/* Identity. has_identity is FALSE until a name and role are set. */
gboolean             buurten_context_has_identity     (BuurtenContext *self);
const char          *buurten_context_get_user_name    (BuurtenContext *self);
BuurtenRole          buurten_context_get_user_role    (BuurtenContext *self);
/* NULL-terminated wijk ids, never NULL. */
const char * const  *buurten_context_get_user_wijken  (BuurtenContext *self);
gboolean             buurten_context_user_has_wijk    (BuurtenContext *self,
                                                       const char     *wijk);
void                 buurten_context_set_identity     (BuurtenContext     *self,
                                                       const char         *name,
                                                       BuurtenRole         role,
                                                       const char * const *wijken);

/* The grants (BuurtenGrant*, never NULL) the rules of
 * core/buurten-authority.h are asked with: the server's after a login
 * (kept in the setting user-grants), else made from the self-chosen role
 * and wijken, and then provisional. set_grants keeps the server's grants
 * (NULL: none); ::identity-changed follows any change. */
GPtrArray           *buurten_context_get_grants       (BuurtenContext     *self);
gboolean             buurten_context_get_grants_provisional (BuurtenContext *self);
void                 buurten_context_set_grants       (BuurtenContext     *self,
                                                       GPtrArray          *grants);

/* Emits ::changed (entity_type, id) on the UI thread after a save, so
 * lists, dashboards and thermometers reload. id may be NULL (many).
 * (Called on the UI thread it emits at once.) ::identity-changed (no
 * arguments) is emitted when name, role or wijken change. */
void                 buurten_context_notify_changed   (BuurtenContext *self,
                                                       const char     *entity_type,
                                                       const char     *id);

G_END_DECLS
