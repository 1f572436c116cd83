/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-buurtdeal-editor"

#include "config.h"

#include "buurten-buurtdeal-editor.h"

#include <glib/gi18n.h>

#include "buurten-agreements-editor.h"

/* What the form loads in one go. */
typedef struct
{
  BuurtenInitiative *initiative;
  GPtrArray         *agreements;   /* BuurtenAgreement*, by position */
  GPtrArray         *commitments;  /* BuurtenCommitment*, not cancelled */
  GPtrArray         *signatures;   /* BuurtenSignature*, of those commitments */
} Loaded;

struct _BuurtenBuurtdealEditor
{
  BuurtenEditor            parent_instance;

  /* template widgets */
  GtkLabel                *form_error_label;
  GtkLabel                *required_label;
  GtkLabel                *missing_label;
  BuurtenAgreementsEditor *residents_editor;
  BuurtenAgreementsEditor *municipality_editor;
  AdwEntryRow             *signed_by_row;
  AdwEntryRow             *signed_on_row;
  AdwEntryRow             *signed_place_row;
  GtkLabel                *signature_error_label;
  AdwPreferencesGroup     *municipality_group;

  /* owned references */
  Loaded                  *loaded;
  GPtrArray               *signature_rows;   /* GtkWidget*, added to municipality_group */
};

G_DEFINE_FINAL_TYPE (BuurtenBuurtdealEditor, buurten_buurtdeal_editor, BUURTEN_TYPE_EDITOR)

static void
loaded_free (gpointer data)
{
  Loaded *loaded = data;

  if (loaded == NULL)
    return;
  buurten_initiative_free (loaded->initiative);
  g_clear_pointer (&loaded->agreements, g_ptr_array_unref);
  g_clear_pointer (&loaded->commitments, g_ptr_array_unref);
  g_clear_pointer (&loaded->signatures, g_ptr_array_unref);
  g_free (loaded);
}

static int
compare_agreement_position (gconstpointer a,
                            gconstpointer b)
{
  const BuurtenAgreement *aa = *(const BuurtenAgreement * const *) a;
  const BuurtenAgreement *ab = *(const BuurtenAgreement * const *) b;

  return (aa->position > ab->position) - (aa->position < ab->position);
}

static gpointer
load_in_thread (BuurtenStore  *store,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(GPtrArray) commitments = NULL;
  Loaded *loaded = g_new0 (Loaded, 1);

  loaded->initiative = buurten_store_get (store, &buurten_initiative_info, data, error);
  if (loaded->initiative == NULL)
    goto failed;
  loaded->agreements = buurten_store_list (store, &buurten_agreement_info, "initiative_id", data,
                                           error);
  if (loaded->agreements == NULL)
    goto failed;
  /* The store's lists own their rows only once told how to free them. */
  g_ptr_array_set_free_func (loaded->agreements, (GDestroyNotify) buurten_agreement_free);
  g_ptr_array_sort (loaded->agreements, compare_agreement_position);

  commitments = buurten_store_list (store, &buurten_commitment_info, "initiative_id", data,
                                    error);
  if (commitments == NULL)
    goto failed;
  g_ptr_array_set_free_func (commitments, (GDestroyNotify) buurten_commitment_free);
  loaded->commitments = g_ptr_array_new_with_free_func (
    (GDestroyNotify) buurten_commitment_free);
  loaded->signatures = g_ptr_array_new_with_free_func ((GDestroyNotify) buurten_signature_free);
  for (guint i = 0; i < commitments->len; i++)
    {
      BuurtenCommitment *commitment = g_ptr_array_index (commitments, i);
      g_autoptr(GPtrArray) signatures = NULL;

      if (commitment->state == BUURTEN_COMMITMENT_CANCELLED)
        continue;
      signatures = buurten_store_list (store, &buurten_signature_info, "commitment_id",
                                       commitment->id, error);
      if (signatures == NULL)
        goto failed;
      for (guint j = 0; j < signatures->len; j++)
        g_ptr_array_add (loaded->signatures, g_ptr_array_index (signatures, j));
      g_ptr_array_add (loaded->commitments, buurten_commitment_copy (commitment));
    }

  return loaded;

failed:
  loaded_free (loaded);
  return NULL;
}

/* -- what the buurtdeal still needs -- */

static gboolean
organiser_signed (BuurtenBuurtdealEditor *self)
{
  g_autofree char *by = buurten_form_get_text (GTK_EDITABLE (self->signed_by_row));
  GDate date;

  return by != NULL &&
         buurten_form_parse_date (gtk_editable_get_text (GTK_EDITABLE (self->signed_on_row)),
                                  &date, NULL);
}

static void
update_summary (BuurtenBuurtdealEditor *self)
{
  BuurtenContext *context = buurten_editor_get_context (BUURTEN_EDITOR (self));
  BuurtenMunicipality *municipality = buurten_context_get_municipality (context);
  const BuurtenMandateTable *table = NULL;
  g_autoptr(JsonObject) refusal = NULL;
  g_autofree char *required = NULL;
  g_autofree char *missing_text = NULL;

  if (self->loaded == NULL)
    return;

  if (municipality != NULL)
    table = buurten_municipality_get_mandate_table (municipality,
                                                    buurten_context_get_year (context));
  if (table != NULL)
    {
      gint64 limit = 0;
      gint64 amount = self->loaded->initiative->requested_cents;
      gboolean needed = buurten_buurtdeal_required (table, amount, &limit);
      g_autofree char *amount_text = buurten_money_format (amount);
      g_autofree char *limit_text = buurten_money_format (limit);

      if (needed)
        /* Translators: %s are amounts: the initiative's and the coordinator's limit */
        required = g_strdup_printf (_("A buurtdeal is required: %s is above the "
                                      "coordinator’s own limit of %s."),
                                    amount_text, limit_text);
      else
        required = g_strdup_printf (_("No buurtdeal is required: %s is within the "
                                      "coordinator’s own limit of %s. One may still be made."),
                                    amount_text, limit_text);
    }
  else
    required = g_strdup (_("Whether a buurtdeal is required is not known: this year has no "
                           "mandate table."));
  gtk_label_set_label (self->required_label, required);

  if (buurten_buurtdeal_check (buurten_agreements_editor_count (self->residents_editor),
                               buurten_agreements_editor_count (self->municipality_editor),
                               organiser_signed (self), &refusal, NULL))
    missing_text = g_strdup (_("Complete: agreements on both sides and the organiser’s "
                               "signature."));
  else
    {
      const char *missing = json_object_get_string_member_with_default (refusal, "missing", "");
      g_auto(GStrv) parts = g_strsplit (missing, ",", -1);
      g_autoptr(GString) list = g_string_new (NULL);

      for (guint i = 0; parts[i] != NULL; i++)
        {
          const char *part = NULL;

          if (g_str_equal (parts[i], "residents"))
            part = _("an agreement of the residents");
          else if (g_str_equal (parts[i], "municipality"))
            part = _("an agreement of the municipality");
          else if (g_str_equal (parts[i], "organiser"))
            part = _("the organiser’s signature");
          if (part == NULL)
            continue;
          if (list->len > 0)
            g_string_append (list, ", ");
          g_string_append (list, part);
        }
      /* Translators: %s lists what a buurtdeal lacks */
      missing_text = g_strdup_printf (_("Still missing before it counts as signed: %s."),
                                      list->str);
    }
  gtk_label_set_label (self->missing_label, missing_text);
}

static void
on_changed_cb (BuurtenBuurtdealEditor *self)
{
  if (gtk_widget_in_destruction (GTK_WIDGET (self)) || self->missing_label == NULL)
    return;
  if (gtk_widget_get_visible (GTK_WIDGET (self->signature_error_label)) && organiser_signed (self))
    buurten_form_show_error (GTK_WIDGET (self->signed_on_row), self->signature_error_label, NULL);
  update_summary (self);
}

/* -- the municipality's signatures, read-only -- */

static void
add_signature_row (BuurtenBuurtdealEditor *self,
                   const char             *title,
                   const char             *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_preferences_group_add (self->municipality_group, row);
  g_ptr_array_add (self->signature_rows, row);
}

static void
show_signatures (BuurtenBuurtdealEditor *self)
{
  BuurtenContext *context = buurten_editor_get_context (BUURTEN_EDITOR (self));
  BuurtenMunicipality *municipality = buurten_context_get_municipality (context);

  if (self->loaded->commitments->len == 0)
    {
      add_signature_row (self, _("No commitment yet"),
                         _("The municipality signs when the decision is signed."));
      return;
    }

  for (guint i = 0; i < self->loaded->commitments->len; i++)
    {
      const BuurtenCommitment *commitment = g_ptr_array_index (self->loaded->commitments, i);
      g_autoptr(GArray) roles = buurten_roles_from_ids (commitment->required_roles);

      for (guint r = 0; roles != NULL && r < roles->len; r++)
        {
          BuurtenRole role = g_array_index (roles, BuurtenRole, r);
          const char *name = municipality != NULL
                               ? buurten_municipality_role_name (municipality, role)
                               : buurten_role_label (role);
          const BuurtenSignature *found = NULL;
          g_autofree char *subtitle = NULL;

          for (guint s = 0; s < self->loaded->signatures->len && found == NULL; s++)
            {
              const BuurtenSignature *signature = g_ptr_array_index (self->loaded->signatures, s);

              if (g_strcmp0 (signature->commitment_id, commitment->id) == 0 &&
                  signature->role == role)
                found = signature;
            }

          if (found != NULL)
            {
              g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (found->signed_at);
              g_autofree char *date = g_date_time_format (at, "%d-%m-%Y");

              /* Translators: who signed a commitment and when */
              subtitle = g_strdup_printf (_("Signed by %s on %s"), found->user, date);
            }
          else
            subtitle = g_strdup (_("Not signed yet"));
          add_signature_row (self, name, subtitle);
        }
    }
}

/* -- loading -- */

static void
show_buurtdeal (BuurtenBuurtdealEditor *self)
{
  const BuurtenInitiative *initiative = self->loaded->initiative;
  g_autofree char *title = NULL;
  g_autofree char *date = NULL;

  /* Translators: the buurtdeal form's title; %s is the initiative's title */
  title = g_strdup_printf (_("Buurtdeal: %s"), initiative->title);
  gtk_window_set_title (GTK_WINDOW (self), title);

  buurten_agreements_editor_set_agreements (self->residents_editor, self->loaded->agreements);
  buurten_agreements_editor_set_agreements (self->municipality_editor,
                                            self->loaded->agreements);
  gtk_editable_set_text (GTK_EDITABLE (self->signed_by_row),
                         initiative->deal_signed_by != NULL ? initiative->deal_signed_by : "");
  date = g_date_valid (&initiative->deal_signed_on)
           ? buurten_form_format_date (&initiative->deal_signed_on) : g_strdup ("");
  gtk_editable_set_text (GTK_EDITABLE (self->signed_on_row), date);
  gtk_editable_set_text (GTK_EDITABLE (self->signed_place_row),
                         initiative->deal_signed_place != NULL
                           ? initiative->deal_signed_place : "");
  show_signatures (self);
  update_summary (self);
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(BuurtenBuurtdealEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  Loaded *loaded;

  loaded = buurten_store_load_finish (BUURTEN_STORE (source), result, &error);
  if (loaded == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      buurten_form_show_error (NULL, self->form_error_label, error->message);
      return;
    }

  self->loaded = loaded;
  show_buurtdeal (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self), TRUE);
  buurten_editor_set_busy (BUURTEN_EDITOR (self), FALSE);
}

/* -- saving -- */

/* The organiser's signature as typed into signature (name, date, place);
 * FALSE with the reason at the field when it is half there. */
static gboolean
read_signature (BuurtenBuurtdealEditor *self,
                BuurtenInitiative      *signature)
{
  g_autofree char *by = buurten_form_get_text (GTK_EDITABLE (self->signed_by_row));
  const char *on = gtk_editable_get_text (GTK_EDITABLE (self->signed_on_row));
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&signature->deal_signed_by, g_free);
  g_clear_pointer (&signature->deal_signed_place, g_free);
  g_date_clear (&signature->deal_signed_on, 1);

  if (by == NULL && *on == '\0')
    {
      buurten_form_show_error (GTK_WIDGET (self->signed_on_row), self->signature_error_label,
                               NULL);
      return TRUE;
    }
  if (by == NULL)
    {
      buurten_form_show_error (GTK_WIDGET (self->signed_by_row), self->signature_error_label,
                               _("Say who signed for the organiser."));
      return FALSE;
    }
  if (!buurten_form_parse_date (on, &signature->deal_signed_on, &error))
    {
      buurten_form_show_error (GTK_WIDGET (self->signed_on_row), self->signature_error_label,
                               *on == '\0' ? _("Say on which day the organiser signed.")
                                           : error->message);
      return FALSE;
    }

  buurten_form_show_error (GTK_WIDGET (self->signed_by_row), NULL, NULL);
  buurten_form_show_error (GTK_WIDGET (self->signed_on_row), self->signature_error_label, NULL);
  signature->deal_signed_by = g_steal_pointer (&by);
  signature->deal_signed_place = buurten_form_get_text (GTK_EDITABLE (self->signed_place_row));
  return TRUE;
}

static gboolean
same_date (const GDate *a,
           const GDate *b)
{
  if (!g_date_valid (a) || !g_date_valid (b))
    return g_date_valid (a) == g_date_valid (b);
  return g_date_compare (a, b) == 0;
}

static void
save (BuurtenEditor *editor)
{
  BuurtenBuurtdealEditor *self = BUURTEN_BUURTDEAL_EDITOR (editor);
  BuurtenContext *context = buurten_editor_get_context (editor);
  g_autoptr(BuurtenInitiative) initiative = NULL;
  g_autoptr(BuurtenFormBatch) batch = NULL;
  gboolean ok = TRUE;

  if (self->loaded == NULL)
    return;

  initiative = buurten_initiative_copy (self->loaded->initiative);
  ok &= buurten_agreements_editor_validate (self->residents_editor);
  ok &= buurten_agreements_editor_validate (self->municipality_editor);
  ok &= read_signature (self, initiative);
  if (!ok)
    return;

  batch = buurten_form_batch_new (buurten_context_get_user_name (context));
  buurten_agreements_editor_add_to_batch (self->residents_editor, batch, initiative->id);
  buurten_agreements_editor_add_to_batch (self->municipality_editor, batch, initiative->id);

  /* initiative.deal_signed records a signature; taking one back is not
   * one of its uses, so an emptied signature is left as it was. */
  if (initiative->deal_signed_by != NULL &&
      (g_strcmp0 (initiative->deal_signed_by, self->loaded->initiative->deal_signed_by) != 0 ||
       g_strcmp0 (initiative->deal_signed_place,
                  self->loaded->initiative->deal_signed_place) != 0 ||
       !same_date (&initiative->deal_signed_on, &self->loaded->initiative->deal_signed_on)))
    {
      JsonNode *args = buurten_form_args (BUURTEN_MUTATION_INITIATIVE_DEAL_SIGNED,
                                          &buurten_initiative_info, initiative);

      buurten_form_batch_put (batch, &buurten_initiative_info,
                              buurten_initiative_copy (initiative),
                              buurten_mutation_name (BUURTEN_MUTATION_INITIATIVE_DEAL_SIGNED),
                              args);
    }

  buurten_editor_save_batch (editor, initiative->id, g_steal_pointer (&batch));
}

/* -- GObject -- */

static void
buurten_buurtdeal_editor_constructed (GObject *object)
{
  BuurtenBuurtdealEditor *self = BUURTEN_BUURTDEAL_EDITOR (object);
  BuurtenEditor *editor = BUURTEN_EDITOR (object);
  BuurtenContext *context = buurten_editor_get_context (editor);

  G_OBJECT_CLASS (buurten_buurtdeal_editor_parent_class)->constructed (object);

  g_return_if_fail (BUURTEN_IS_CONTEXT (context));
  g_return_if_fail (buurten_editor_get_id (editor) != NULL);

  gtk_widget_set_sensitive (GTK_WIDGET (self), FALSE);
  buurten_editor_set_busy (editor, TRUE);
  buurten_store_load_async (buurten_context_get_store (context), load_in_thread,
                            g_strdup (buurten_editor_get_id (editor)), g_free, loaded_free,
                            buurten_editor_get_cancellable (editor), loaded_cb,
                            g_object_ref (self));
}

static void
buurten_buurtdeal_editor_dispose (GObject *object)
{
  BuurtenBuurtdealEditor *self = BUURTEN_BUURTDEAL_EDITOR (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), BUURTEN_TYPE_BUURTDEAL_EDITOR);

  G_OBJECT_CLASS (buurten_buurtdeal_editor_parent_class)->dispose (object);
}

static void
buurten_buurtdeal_editor_finalize (GObject *object)
{
  BuurtenBuurtdealEditor *self = BUURTEN_BUURTDEAL_EDITOR (object);

  g_clear_pointer (&self->loaded, loaded_free);
  g_clear_pointer (&self->signature_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (buurten_buurtdeal_editor_parent_class)->finalize (object);
}

static void
buurten_buurtdeal_editor_class_init (BuurtenBuurtdealEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  BuurtenEditorClass *editor_class = BUURTEN_EDITOR_CLASS (klass);

  object_class->constructed = buurten_buurtdeal_editor_constructed;
  object_class->dispose = buurten_buurtdeal_editor_dispose;
  object_class->finalize = buurten_buurtdeal_editor_finalize;

  editor_class->entity_type = "initiative";
  editor_class->save = save;

  g_type_ensure (BUURTEN_TYPE_AGREEMENTS_EDITOR);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/nl/hilversum/Buurten/"
                                               "buurten-buurtdeal-editor.ui");
#define BIND(name) \
  gtk_widget_class_bind_template_child (widget_class, BuurtenBuurtdealEditor, name)
  BIND (form_error_label);
  BIND (required_label);
  BIND (missing_label);
  BIND (residents_editor);
  BIND (municipality_editor);
  BIND (signed_by_row);
  BIND (signed_on_row);
  BIND (signed_place_row);
  BIND (signature_error_label);
  BIND (municipality_group);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_changed_cb);
}

static void
buurten_buurtdeal_editor_init (BuurtenBuurtdealEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  buurten_editor_set_error_label (BUURTEN_EDITOR (self), self->form_error_label);
  self->signature_rows = g_ptr_array_new ();
}

GtkWidget *
buurten_buurtdeal_editor_new (BuurtenContext *context,
                              const char     *initiative_id)
{
  g_return_val_if_fail (BUURTEN_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (initiative_id != NULL, NULL);

  return g_object_new (BUURTEN_TYPE_BUURTDEAL_EDITOR,
                       "context", context,
                       "id", initiative_id,
                       NULL);
}
