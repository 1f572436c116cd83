/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "buurten-context.h"

G_BEGIN_DECLS

/* What the UI unit tests (test-editors.c, test-drafts.c,
 * test-money-dialogs.c, test-detail.c, test-widgets.c) share: a real
 * store in a temporary directory with a context on it, and the helpers
 * that open a form, fill it in, save it and read back what it wrote.
 * The names are short because the tests call them on every line. */

#define YEAR 2026

typedef struct
{
  char                *dir;
  BuurtenStore        *store;
  BuurtenMunicipality *municipality;
  BuurtenContext      *context;
  char                *saved_id;
  guint                saved;
} Fixture;

/* The default municipality in a fresh store, a context for YEAR and anna
 * as buurtcoordinator of centrum. */
void                fixture_setup              (Fixture                  *f,
                                                gconstpointer             data);
void                fixture_teardown           (Fixture                  *f,
                                                gconstpointer             data);
void                set_identity               (Fixture                  *f,
                                                const char               *name,
                                                BuurtenRole               role);

/* Fails the test unless g_source_remove() stops it within 20 seconds. */
guint               add_watchdog               (void);
/* Gives a save that should not happen the chance to. */
void                spin                       (void);
gboolean            is_sensitive               (GtkWidget                *widget);
void                wait_sensitive             (GtkWidget                *widget);

/* Counts ::saved in f->saved and keeps the id in f->saved_id. */
void                on_saved_cb                (GtkWidget                *window,
                                                const char               *id,
                                                Fixture                  *f);
/* Connects on_saved_cb and presents the window. */
GtkWidget          *open_window                (Fixture                  *f,
                                                GtkWidget                *window);
/* Saves through the window's own action and waits for ::saved; the window
 * then closes by itself. */
void                save_and_wait              (Fixture                  *f,
                                                GtkWidget                *window,
                                                const char               *action);
/* Closes window and asserts that it is finalized: once the callbacks of
 * its cancelled loads (each holds a reference until it runs) are done, the
 * caller's reference must be the last. */
void                close_and_assert_finalized (gpointer                  window);

/* The window's template child called name; never NULL. */
gpointer            child                      (GtkWidget                *window,
                                                const char               *name);
void                set_text                   (GtkWidget                *window,
                                                const char               *name,
                                                const char               *text);
void                set_view_text              (GtkWidget                *window,
                                                const char               *name,
                                                const char               *text);
gboolean            label_shows                (GtkWidget                *window,
                                                const char               *name);

GPtrArray          *outbox                     (Fixture                  *f);
JsonObject         *parse_args                 (const BuurtenOutboxEntry *entry);
/* The outbox from entry from on holds exactly these mutations. */
void                assert_names               (GPtrArray                *entries,
                                                guint                     from,
                                                const char * const       *names);
BuurtenInitiative  *get_initiative             (Fixture                  *f,
                                                const char               *id);
/* An initiative in centrum at version 3; returns its id. */
char               *add_initiative             (Fixture                  *f,
                                                const char               *title,
                                                gint64                    cents,
                                                BuurtenInitiativeState    state);

BuurtenMunicipality *load_municipality         (void);
/* Drops the last reference once pending callbacks (which hold one) ran. */
void                wait_finalize              (gpointer                  object);

G_END_DECLS
