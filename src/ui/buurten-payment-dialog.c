/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-payment-dialog"

#include "config.h"

#include "buurten-payment-dialog.h"

#include <glib/gi18n.h>

#include "buurten-grant-money.h"

struct _BuurtenPaymentDialog
{
  BuurtenEditor  parent_instance;

  /* template widgets */
  GtkLabel      *form_error_label;
  AdwActionRow  *approved_row;
  AdwActionRow  *paid_row;
  AdwActionRow  *left_row;
  AdwEntryRow   *amount_row;
  GtkLabel      *amount_error_label;
  AdwEntryRow   *date_row;
  GtkLabel      *date_error_label;
  AdwComboRow   *kind_row;
  AdwEntryRow   *reference_row;

  /* owned references */
  char          *initiative_id;
  BuurtenGrantMoney  *grant;
};

G_DEFINE_FINAL_TYPE (BuurtenPaymentDialog, buurten_payment_dialog, BUURTEN_TYPE_EDITOR)

enum
{
  PROP_0,
  PROP_INITIATIVE_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A money row: its subtitle is the amount, and so is the end of its
 * accessible name, which assistive technology (and the tests) read. */
static void
show_amount (AdwActionRow *row,
             gint64        cents)
{
  g_autofree char *amount = buurten_money_format (cents);
  const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
  g_autofree char *name = g_strdup_printf ("%s: %s", title, amount);

  adw_action_row_set_subtitle (row, amount);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(BuurtenPaymentDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  BuurtenGrantMoney *grant;

  grant = buurten_store_load_finish (BUURTEN_STORE (source), result, &error);
  if (grant == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        buurten_editor_show_error (BUURTEN_EDITOR (self), error->message);
      return;
    }
  self->grant = grant;

  /* Translators: the title of the payment window, %s the initiative's title */
  title = g_strdup_printf (_("Payment for “%s”"), grant->initiative->title);
  gtk_window_set_title (GTK_WINDOW (self), title);
  show_amount (self->approved_row, grant->approved_cents);
  show_amount (self->paid_row, grant->paid_cents);
  show_amount (self->left_row, grant->left_cents);
  /* What is left is usually the final payment. */
  adw_combo_row_set_selected (self->kind_row, grant->paid_cents > 0 ? BUURTEN_PAYMENT_FINAL
                                                                    : BUURTEN_PAYMENT_ADVANCE);

  if (buurten_grant_money_payable (grant, NULL) == NULL)
    {
      buurten_editor_show_error (BUURTEN_EDITOR (self),
                                 _("Nothing is approved for this initiative yet: a payment "
                                   "needs money approved with every signature."));
      return;
    }

  gtk_widget_set_sensitive (GTK_WIDGET (self), TRUE);
  buurten_editor_set_busy (BUURTEN_EDITOR (self), FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->amount_row));
}

static void
save (BuurtenEditor *editor)
{
  BuurtenPaymentDialog *self = BUURTEN_PAYMENT_DIALOG (editor);
  BuurtenContext *context = buurten_editor_get_context (editor);
  g_autoptr(BuurtenPayment) payment = buurten_payment_new ();
  g_autoptr(BuurtenFormBatch) batch = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) refusal = NULL;
  g_autofree char *date = NULL;
  BuurtenCommitment *commitment;
  gint64 amount = 0;
  guint index = 0;
  gboolean ok = TRUE;

  if (self->grant == NULL)
    return;
  commitment = buurten_grant_money_payable (self->grant, &index);
  if (commitment == NULL)
    return;

  if (!buurten_form_read_amount (GTK_EDITABLE (self->amount_row), self->amount_error_label,
                                 &amount))
    ok = FALSE;
  else if (!buurten_payment_check (amount,
                                   buurten_commitment_left (commitment,
                                                            g_array_index (self->grant->paid,
                                                                           gint64, index)),
                                   &refusal, &error))
    {
      g_autofree char *message =
        buurten_refusal_describe ((BuurtenCoreError) error->code, refusal,
                                  buurten_context_get_municipality (context));

      buurten_form_show_error (GTK_WIDGET (self->amount_row), self->amount_error_label,
                               message);
      ok = FALSE;
    }

  date = buurten_form_get_text (GTK_EDITABLE (self->date_row));
  g_clear_error (&error);
  if (date == NULL || !buurten_form_parse_date (date, &payment->paid_on, &error))
    {
      buurten_form_show_error (GTK_WIDGET (self->date_row), self->date_error_label,
                               error != NULL ? error->message
                                             : _("Enter the date it was paid, e.g. 27-04-2026."));
      ok = FALSE;
    }
  else
    buurten_form_show_error (GTK_WIDGET (self->date_row), self->date_error_label, NULL);

  if (!ok)
    return;

  payment->id = buurten_uuid_new ();
  payment->commitment_id = g_strdup (commitment->id);
  payment->amount_cents = amount;
  payment->kind = adw_combo_row_get_selected (self->kind_row) == BUURTEN_PAYMENT_FINAL
                    ? BUURTEN_PAYMENT_FINAL : BUURTEN_PAYMENT_ADVANCE;
  payment->reference = buurten_form_get_text (GTK_EDITABLE (self->reference_row));

  batch = buurten_form_batch_new (buurten_context_get_user_name (context));
  buurten_form_batch_put (batch, &buurten_payment_info, buurten_payment_copy (payment),
                          buurten_mutation_name (BUURTEN_MUTATION_PAYMENT_RECORD),
                          buurten_form_args (BUURTEN_MUTATION_PAYMENT_RECORD,
                                             &buurten_payment_info, payment));
  buurten_editor_save_batch (editor, payment->id, g_steal_pointer (&batch));
}

static void
buurten_payment_dialog_constructed (GObject *object)
{
  BuurtenPaymentDialog *self = BUURTEN_PAYMENT_DIALOG (object);
  BuurtenEditor *editor = BUURTEN_EDITOR (object);
  BuurtenContext *context;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  GDate today;
  g_autofree char *today_text = NULL;

  G_OBJECT_CLASS (buurten_payment_dialog_parent_class)->constructed (object);

  context = buurten_editor_get_context (editor);
  g_return_if_fail (BUURTEN_IS_CONTEXT (context));
  g_return_if_fail (self->initiative_id != NULL);

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));
  today_text = buurten_form_format_date (&today);
  gtk_editable_set_text (GTK_EDITABLE (self->date_row), today_text);

  gtk_widget_set_sensitive (GTK_WIDGET (self), FALSE);
  buurten_editor_set_busy (editor, TRUE);
  buurten_store_load_async (buurten_context_get_store (context), buurten_grant_money_load,
                            g_strdup (self->initiative_id), g_free,
                            (GDestroyNotify) buurten_grant_money_free,
                            buurten_editor_get_cancellable (editor), loaded_cb,
                            g_object_ref (self));
}

static void
buurten_payment_dialog_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  BuurtenPaymentDialog *self = BUURTEN_PAYMENT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_INITIATIVE_ID:
      g_value_set_string (value, self->initiative_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
buurten_payment_dialog_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  BuurtenPaymentDialog *self = BUURTEN_PAYMENT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_INITIATIVE_ID:
      g_free (self->initiative_id);
      self->initiative_id = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
buurten_payment_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), BUURTEN_TYPE_PAYMENT_DIALOG);

  G_OBJECT_CLASS (buurten_payment_dialog_parent_class)->dispose (object);
}

static void
buurten_payment_dialog_finalize (GObject *object)
{
  BuurtenPaymentDialog *self = BUURTEN_PAYMENT_DIALOG (object);

  g_free (self->initiative_id);
  buurten_grant_money_free (self->grant);

  G_OBJECT_CLASS (buurten_payment_dialog_parent_class)->finalize (object);
}

static void
buurten_payment_dialog_class_init (BuurtenPaymentDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  BuurtenEditorClass *editor_class = BUURTEN_EDITOR_CLASS (klass);

  object_class->constructed = buurten_payment_dialog_constructed;
  object_class->get_property = buurten_payment_dialog_get_property;
  object_class->set_property = buurten_payment_dialog_set_property;
  object_class->dispose = buurten_payment_dialog_dispose;
  object_class->finalize = buurten_payment_dialog_finalize;

  editor_class->entity_type = "payment";
  editor_class->save = save;

  properties[PROP_INITIATIVE_ID] =
    g_param_spec_string ("initiative-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/nl/hilversum/Buurten/buurten-payment-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, BuurtenPaymentDialog, form_error_label);
  gtk_widget_class_bind_template_child (widget_class, BuurtenPaymentDialog, approved_row);
  gtk_widget_class_bind_template_child (widget_class, BuurtenPaymentDialog, paid_row);
  gtk_widget_class_bind_template_child (widget_class, BuurtenPaymentDialog, left_row);
  gtk_widget_class_bind_template_child (widget_class, BuurtenPaymentDialog, amount_row);
  gtk_widget_class_bind_template_child (widget_class, BuurtenPaymentDialog, amount_error_label);
  gtk_widget_class_bind_template_child (widget_class, BuurtenPaymentDialog, date_row);
  gtk_widget_class_bind_template_child (widget_class, BuurtenPaymentDialog, date_error_label);
  gtk_widget_class_bind_template_child (widget_class, BuurtenPaymentDialog, kind_row);
  gtk_widget_class_bind_template_child (widget_class, BuurtenPaymentDialog, reference_row);
}

static void
buurten_payment_dialog_init (BuurtenPaymentDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  buurten_editor_set_error_label (BUURTEN_EDITOR (self), self->form_error_label);
}

GtkWidget *
buurten_payment_dialog_new (BuurtenContext *context,
                            const char     *initiative_id)
{
  g_return_val_if_fail (BUURTEN_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (initiative_id != NULL, NULL);

  return g_object_new (BUURTEN_TYPE_PAYMENT_DIALOG,
                       "context", context,
                       "initiative-id", initiative_id,
                       NULL);
}
