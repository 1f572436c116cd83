/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-document-print"

#include "config.h"

#include "buurten-document-print.h"

#include <glib/gi18n.h>

#include "buurten-beschikking.h"
#include "buurten-buurtdeal-document.h"
#include "buurten-window.h"

static void
toast (GtkWindow  *window,
       const char *text)
{
  if (BUURTEN_IS_WINDOW (window))
    buurten_window_add_toast (BUURTEN_WINDOW (window), text);
}

/* ---- printing ------------------------------------------------------------- */

static void
on_draw_page_cb (GtkPrintOperation *operation,
                 GtkPrintContext   *context,
                 int                page,
                 BuurtenDocument   *document)
{
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  double scale = MIN (gtk_print_context_get_width (context) / BUURTEN_DOCUMENT_A4_WIDTH,
                      gtk_print_context_get_height (context) / BUURTEN_DOCUMENT_A4_HEIGHT);

  /* The page is A4 in points; a smaller sheet (Letter) gets it scaled
   * down whole rather than cut. */
  if (scale > 0 && scale < 1.0)
    cairo_scale (cr, scale, scale);
  buurten_document_draw_page (document, cr, (guint) page);
}

static void
on_print_done_cb (GtkPrintOperation       *operation,
                  GtkPrintOperationResult  result,
                  gpointer                 user_data)
{
  GtkWindow *window = g_object_get_data (G_OBJECT (operation), "buurten-window");

  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;

      gtk_print_operation_get_error (operation, &error);
      /* Translators: a toast when printing failed, with the reason */
      text = g_strdup_printf (_("Could not print: %s"), error != NULL ? error->message : "");
      toast (window, text);
    }
  g_object_unref (operation);
}

void
buurten_document_print (GtkWindow       *parent,
                        BuurtenDocument *document,
                        const char      *name)
{
  GtkPrintOperation *operation;
  g_autoptr(GtkPageSetup) setup = gtk_page_setup_new ();
  g_autoptr(GtkPaperSize) a4 = gtk_paper_size_new (GTK_PAPER_NAME_A4);
  g_autoptr(GError) error = NULL;

  g_return_if_fail (document != NULL);

  operation = gtk_print_operation_new ();
  gtk_page_setup_set_paper_size (setup, a4);
  gtk_page_setup_set_orientation (setup, GTK_PAGE_ORIENTATION_PORTRAIT);
  gtk_print_operation_set_default_page_setup (operation, setup);
  gtk_print_operation_set_n_pages (operation, (int) buurten_document_layout (document));
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_use_full_page (operation, TRUE);
  gtk_print_operation_set_job_name (operation, name);
  gtk_print_operation_set_allow_async (operation, TRUE);
  g_object_set_data_full (G_OBJECT (operation), "buurten-document", document,
                          (GDestroyNotify) buurten_document_free);
  if (parent != NULL)
    g_object_set_data_full (G_OBJECT (operation), "buurten-window", g_object_ref (parent),
                            g_object_unref);
  g_signal_connect (operation, "draw-page", G_CALLBACK (on_draw_page_cb), document);
  g_signal_connect (operation, "done", G_CALLBACK (on_print_done_cb), NULL);

  /* The dialog has "Preview"; with allow-async the answer comes in ::done. */
  if (gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG, parent,
                               &error) == GTK_PRINT_OPERATION_RESULT_ERROR &&
      error != NULL)
    g_debug ("Printing failed: %s", error->message);
}

/* ---- saving as PDF ---------------------------------------------------------- */

static void
on_save_response_cb (GtkNativeDialog *chooser,
                     int              response,
                     gpointer         user_data)
{
  BuurtenDocument *document = g_object_get_data (G_OBJECT (chooser), "buurten-document");
  GtkWindow *window = gtk_native_dialog_get_transient_for (chooser);

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;
      g_autofree char *name = g_file_get_basename (file);

      if (buurten_document_write_pdf (document, file, &error))
        /* Translators: a toast after saving, with the file's name */
        text = g_strdup_printf (_("Saved as %s"), name);
      else
        /* Translators: a toast when saving failed: the file and the reason */
        text = g_strdup_printf (_("Could not save %s: %s"), name, error->message);
      toast (window, text);
    }

  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

void
buurten_document_save_pdf (GtkWindow       *parent,
                           BuurtenDocument *document,
                           const char      *name)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *file_name = NULL;

  g_return_if_fail (document != NULL);

  chooser = gtk_file_chooser_native_new (_("Save as PDF"), parent,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"),
                                         _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (filter, _("PDF documents"));
  gtk_file_filter_add_mime_type (filter, "application/pdf");
  gtk_file_filter_add_suffix (filter, "pdf");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  file_name = g_strdup_printf ("%s.pdf", name);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), file_name);

  g_object_set_data_full (G_OBJECT (chooser), "buurten-document", document,
                          (GDestroyNotify) buurten_document_free);
  g_signal_connect (chooser, "response", G_CALLBACK (on_save_response_cb), NULL);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- the dialog of an initiative's document ---------------------------------- */

typedef struct
{
  BuurtenMunicipality *municipality;
  BuurtenDocumentKind  kind;
  char                *initiative_id;
} Load;

/* What the loaded document is, kept by the dialog until it answers. */
typedef struct
{
  BuurtenDocumentKind kind;
  gpointer            data;    /* BuurtenBeschikking* or BuurtenBuurtdealDocument* */
} Loaded;

static void
load_free (gpointer data)
{
  Load *load = data;

  g_clear_object (&load->municipality);
  g_free (load->initiative_id);
  g_free (load);
}

static void
loaded_free (gpointer data)
{
  Loaded *loaded = data;

  if (loaded == NULL)
    return;
  if (loaded->kind == BUURTEN_DOCUMENT_KIND_BESCHIKKING)
    buurten_beschikking_free (loaded->data);
  else
    buurten_buurtdeal_document_free (loaded->data);
  g_free (loaded);
}

static gpointer
load_in_thread (BuurtenStore  *store,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  Load *load = data;
  Loaded *loaded;
  gpointer result;

  if (load->kind == BUURTEN_DOCUMENT_KIND_BESCHIKKING)
    result = buurten_beschikking_load (store, load->municipality, load->initiative_id, error);
  else
    result = buurten_buurtdeal_document_load (store, load->municipality, load->initiative_id,
                                              error);
  if (result == NULL)
    return NULL;

  loaded = g_new0 (Loaded, 1);
  loaded->kind = load->kind;
  loaded->data = result;
  return loaded;
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(AdwMessageDialog) dialog = user_data;
  g_autoptr(GError) error = NULL;
  GtkWidget *spinner = g_object_get_data (G_OBJECT (dialog), "buurten-spinner");
  Loaded *loaded;

  loaded = buurten_store_load_finish (BUURTEN_STORE (source), result, &error);
  if (spinner != NULL)
    gtk_spinner_stop (GTK_SPINNER (spinner));
  adw_message_dialog_set_extra_child (dialog, NULL);
  if (loaded == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      adw_message_dialog_set_body (dialog, error != NULL ? error->message : "");
      return;
    }

  g_object_set_data_full (G_OBJECT (dialog), "buurten-loaded", loaded, loaded_free);
  {
    g_autofree char *reference = loaded->kind == BUURTEN_DOCUMENT_KIND_BESCHIKKING
                                   ? buurten_beschikking_reference (loaded->data)
                                   : buurten_buurtdeal_document_reference (loaded->data);
    /* Translators: the body of the document dialog once it is ready, with
     * the document's reference (kenmerk) */
    g_autofree char *body = g_strdup_printf (_("Ready to print or to save as PDF. Reference: "
                                               "%s"), reference);

    adw_message_dialog_set_body (dialog, body);
  }
  adw_message_dialog_set_response_enabled (dialog, "pdf", TRUE);
  adw_message_dialog_set_response_enabled (dialog, "print", TRUE);
}

static void
on_response_cb (AdwMessageDialog *dialog,
                const char       *response,
                gpointer          user_data)
{
  Loaded *loaded = g_object_get_data (G_OBJECT (dialog), "buurten-loaded");
  GCancellable *cancellable = g_object_get_data (G_OBJECT (dialog), "buurten-cancellable");
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (dialog));
  BuurtenDocument *document;
  g_autofree char *name = NULL;

  if (loaded == NULL || (g_strcmp0 (response, "print") != 0 && g_strcmp0 (response, "pdf") != 0))
    {
      g_cancellable_cancel (cancellable);
      return;
    }

  /* Built and laid out here, in the thread that draws. */
  if (loaded->kind == BUURTEN_DOCUMENT_KIND_BESCHIKKING)
    {
      document = buurten_beschikking_document (loaded->data);
      name = buurten_beschikking_file_name (loaded->data);
    }
  else
    {
      document = buurten_buurtdeal_document_build (loaded->data,
                                                   g_get_real_time () / G_USEC_PER_SEC);
      name = buurten_buurtdeal_document_file_name (loaded->data);
    }

  if (g_str_equal (response, "print"))
    buurten_document_print (parent, document, name);
  else
    buurten_document_save_pdf (parent, document, name);
}

void
buurten_document_dialog_present (GtkWindow           *parent,
                                 BuurtenContext      *context,
                                 BuurtenDocumentKind  kind,
                                 const char          *initiative_id)
{
  GtkWidget *dialog;
  GtkWidget *spinner;
  GCancellable *cancellable;
  Load *load;

  g_return_if_fail (BUURTEN_IS_CONTEXT (context));
  g_return_if_fail (initiative_id != NULL);

  dialog = adw_message_dialog_new (parent,
                                   kind == BUURTEN_DOCUMENT_KIND_BESCHIKKING
                                     ? _("Subsidiebeschikking")
                                     : _("Buurtdeal"),
                                   _("The document is being made…"));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Close"),
                                    "pdf", _("Save as _PDF…"),
                                    "print", _("_Print…"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "print",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "pdf", FALSE);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "print", FALSE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  spinner = gtk_spinner_new ();
  gtk_spinner_start (GTK_SPINNER (spinner));
  gtk_accessible_update_property (GTK_ACCESSIBLE (spinner), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Making the document"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), spinner);
  g_object_set_data (G_OBJECT (dialog), "buurten-spinner", spinner);

  cancellable = g_cancellable_new ();
  g_object_set_data_full (G_OBJECT (dialog), "buurten-cancellable", cancellable, g_object_unref);
  g_signal_connect (dialog, "response", G_CALLBACK (on_response_cb), NULL);

  load = g_new0 (Load, 1);
  load->municipality = g_object_ref (buurten_context_get_municipality (context));
  load->kind = kind;
  load->initiative_id = g_strdup (initiative_id);
  buurten_store_load_async (buurten_context_get_store (context), load_in_thread, load, load_free,
                            loaded_free, cancellable, loaded_cb, g_object_ref (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}
