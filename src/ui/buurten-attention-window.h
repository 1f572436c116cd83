/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "buurten-store.h"

G_BEGIN_DECLS

/* "Needs attention": every change the server refused, with its reason in
 * the user's language, and every conflict with both values side by side
 * to choose from. Nothing leaves this list unless somebody decided. Emits
 * ::decided after each decision (the app then syncs). */

#define BUURTEN_TYPE_ATTENTION_WINDOW (buurten_attention_window_get_type ())
G_DECLARE_FINAL_TYPE (BuurtenAttentionWindow, buurten_attention_window, BUURTEN,
                      ATTENTION_WINDOW, AdwWindow)

GtkWidget  *buurten_attention_window_new    (GtkWindow    *parent,
                                             BuurtenStore *store,
                                             const char   *actor);
void        buurten_attention_window_reload (BuurtenAttentionWindow *self);

/* The reason of a refusal for people: buurten_refusal_describe_code() of
 * the item's code and args, in the user's language (municipality may be
 * NULL). What a mutation did is buurten_mutation_label(). */
char       *buurten_attention_describe      (const BuurtenAttention *item,
                                             BuurtenMunicipality    *municipality);

G_END_DECLS
