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

G_END_DECLS
