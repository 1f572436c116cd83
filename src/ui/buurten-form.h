/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "buurten-context.h"

G_BEGIN_DECLS

/* Helpers shared by every form (the editors and the decision window),
 * internal to the UI library. */

/* Shows message under a field (NULL hides it): error_label gets the text,
 * the field is marked invalid for assistive technology and gets the
 * message as its accessible description. What was typed stays. */
void              buurten_form_show_error   (GtkWidget   *field,
                                             GtkLabel    *error_label,
                                             const char  *message);
/* Parses an amount as people type it ("1500", "€ 1.500,-", "1.500,50")
 * with buurten_money_parse; more than zero. On failure the reason shows
 * at the field and FALSE is returned. */
gboolean          buurten_form_read_amount  (GtkEditable *field,
                                             GtkLabel    *error_label,
                                             gint64      *out_cents);
/* "27-4-2026", "27-04-2026", "27/4/2026", "2026-04-27". */
gboolean          buurten_form_parse_date   (const char  *text,
                                             GDate       *out,
                                             GError     **error);
/* "27-04-2026" */
char             *buurten_form_format_date  (const GDate *date);
/* "9:30", "09:30", "9.30", "9" */
gboolean          buurten_form_parse_time   (const char  *text,
                                             int         *out_hour,
                                             int         *out_minute,
                                             GError     **error);
/* The text, stripped; NULL when empty. */
char             *buurten_form_get_text     (GtkEditable *field);
char             *buurten_form_get_view_text (GtkTextView *view);
void              buurten_form_set_view_text (GtkTextView *view,
                                              const char  *text);

/* The wijken of the municipality in file order in a combo row; selects
 * wijk, else my first wijk, else the first. */
void              buurten_form_fill_wijken  (AdwComboRow    *row,
                                             BuurtenContext *context,
                                             const char     *wijk);
const char       *buurten_form_get_wijk     (AdwComboRow    *row,
                                             BuurtenContext *context);

/* The current state and the states it may go to (by
 * buurten_state_can_transition), current first; returns them as ints. */
GArray           *buurten_form_fill_states  (AdwComboRow    *row,
                                             BuurtenMachine  machine,
                                             int             current);

/* The same, leaving out the moves filter says no to. */
typedef gboolean (*BuurtenFormStateFilter) (int      from,
                                            int      to,
                                            gpointer user_data);
GArray           *buurten_form_fill_states_full (AdwComboRow            *row,
                                                 BuurtenMachine          machine,
                                                 int                     current,
                                                 BuurtenFormStateFilter  filter,
                                                 gpointer                user_data);
/* The same for an initiative, offering only the moves
 * buurten_initiative_check_transition() allows an initiative.transition
 * (has_approved: the initiative has approved money). */
GArray           *buurten_form_fill_initiative_states (AdwComboRow *row,
                                                       int          current,
                                                       gboolean     has_approved);

/* The arguments of a create-like mutation, as the catalogue's row names
 * them (buurten_mutation_args_from_entity), taken from the entity. */
JsonNode         *buurten_form_args         (BuurtenMutationId        mutation,
                                             const BuurtenEntityInfo *info,
                                             gconstpointer            entity);
/* {"id", "base": {field: version seen}, "set": {field: value}} for the
 * fields of the catalogue's row that differ between before and after;
 * NULL when none does. */
JsonNode         *buurten_form_update_args  (BuurtenMutationId        mutation,
                                             const BuurtenEntityInfo *info,
                                             gconstpointer            before,
                                             gconstpointer            after);
/* {"id", "expect_state", "to", "note"} */
JsonNode         *buurten_form_transition_args (const char     *id,
                                                BuurtenMachine  machine,
                                                int             from,
                                                int             to,
                                                const char     *note);

/* The writes of one save, done in one transaction in a worker thread. */
typedef struct _BuurtenFormBatch BuurtenFormBatch;

BuurtenFormBatch *buurten_form_batch_new    (const char       *actor);
void              buurten_form_batch_free   (BuurtenFormBatch *batch);
/* Takes entity and args (args may be NULL: the entity is sent). */
void              buurten_form_batch_put    (BuurtenFormBatch        *batch,
                                             const BuurtenEntityInfo *info,
                                             gpointer                 entity,
                                             const char              *mutation,
                                             JsonNode                *args);
void              buurten_form_batch_delete (BuurtenFormBatch        *batch,
                                             const BuurtenEntityInfo *info,
                                             const char              *id,
                                             const char              *mutation,
                                             JsonNode                *args);
guint             buurten_form_batch_get_size (BuurtenFormBatch *batch);
/* Writes everything or nothing, in one unit of work on the store's writer.
 * Takes batch. Finish with buurten_store_write_finish(). */
void              buurten_form_batch_save_async (BuurtenFormBatch    *batch,
                                                 BuurtenContext      *context,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
/* Blocking (buurten_store_write()), for a worker thread and for tests. */
gboolean          buurten_form_batch_run    (BuurtenFormBatch  *batch,
                                             BuurtenStore      *store,
                                             GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BuurtenFormBatch, buurten_form_batch_free)

G_END_DECLS
