/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "buurten-context.h"

G_BEGIN_DECLS

/* Opens the modal forms (made by buurten-*-editor.c and
 * buurten-decision-window.c) over the window of parent. entity_type is
 * "request", "initiative", "escalation" or "meeting"; id NULL makes a new
 * one in wijk. Returns the form's window, or NULL when there is none for
 * the type. */
GtkWidget *buurten_open_editor   (GtkWidget      *parent,
                                  BuurtenContext *context,
                                  const char     *entity_type,
                                  const char     *wijk,
                                  const char     *id);
GtkWidget *buurten_open_decision (GtkWidget      *parent,
                                  BuurtenContext *context,
                                  const char     *initiative_id);
/* The buurtdeal of an initiative (agreements, the organiser's signature). */
GtkWidget *buurten_open_buurtdeal (GtkWidget      *parent,
                                   BuurtenContext *context,
                                   const char     *initiative_id);
/* Takes on the request request_id (kind idee) as a new initiative: writes
 * initiative.from_request through the outbox (the new initiative and the
 * request's link, in one transaction), then opens the initiative in its
 * editor over parent. A request taken on before opens its initiative; a
 * request of another kind shows why not in a dialog. */
void       buurten_open_initiative_from_request (GtkWidget      *parent,
                                                 BuurtenContext *context,
                                                 const char     *request_id);

G_END_DECLS
