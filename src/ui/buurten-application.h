/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define BUURTEN_TYPE_APPLICATION (buurten_application_get_type ())
G_DECLARE_FINAL_TYPE (BuurtenApplication, buurten_application, BUURTEN, APPLICATION,
                      AdwApplication)

/* Registers the resources (templates, style, icons) of the UI; main() and
 * tests call it once before any widget is made. */
void                buurten_ui_register_resources (void);

BuurtenApplication *buurten_application_new          (void);
/* The database file: from --data-dir, else buurten_store_default_path(). */
const char         *buurten_application_get_db_path  (BuurtenApplication *self);
/* The year shown: from --year, else the current one. */
int                 buurten_application_get_year     (BuurtenApplication *self);

G_END_DECLS
