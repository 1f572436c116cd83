/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-briefing-dialog"

#include "config.h"

#include "buurten-briefing-dialog.h"

#include <glib/gi18n.h>

#include "buurten-briefing.h"
#include "buurten-document-print.h"
#include "buurten-window.h"

typedef enum
{
  OUTPUT_PRINT,
  OUTPUT_PDF,
} Output;

/* One request for a briefing, from the dialog's answer to the printed page
 * or the written file. */
typedef struct
{
  BuurtenContext *context;
  GtkWindow      *window;     /* weak */
  char           *wijk;
  GDate           date;
  Output          output;
} Job;

static void
job_free (gpointer data)
{
  Job *job = data;

  g_clear_object (&job->context);
  g_clear_weak_pointer (&job->window);
  g_free (job->wijk);
  g_free (job);
}

static void
toast (Job        *job,
       const char *text)
{
  if (BUURTEN_IS_WINDOW (job->window))
    buurten_window_add_toast (BUURTEN_WINDOW (job->window), text);
}

/* ---- loading ------------------------------------------------------------------ */

typedef struct
{
  BuurtenMunicipality *municipality;
  char                *wijk;
  GDate                date;
} LoadData;

static void
load_data_free (gpointer data)
{
  LoadData *load = data;

  g_clear_object (&load->municipality);
  g_free (load->wijk);
  g_free (load);
}

static gpointer
load_in_thread (BuurtenStore  *store,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  LoadData *load = data;

  return buurten_briefing_load (store, load->municipality, load->wijk, &load->date, error);
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Job *job = user_data;
  g_autoptr(BuurtenBriefing) briefing = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reference = NULL;
  BuurtenDocument *document;

  briefing = buurten_store_load_finish (BUURTEN_STORE (source), result, &error);
  if (briefing == NULL)
    {
      g_autofree char *text = NULL;

      /* Translators: a toast when the briefing could not be made, with the reason */
      text = g_strdup_printf (_("Could not make the briefing: %s"),
                              error != NULL ? error->message : "");
      toast (job, text);
      job_free (job);
      return;
    }

  /* Laid out and drawn here, in the thread that draws. */
  document = buurten_briefing_document (briefing, g_get_real_time () / G_USEC_PER_SEC);
  reference = buurten_briefing_reference (job->wijk, &job->date);
  if (job->output == OUTPUT_PRINT)
    buurten_document_print (job->window, document, reference);
  else
    {
      g_autofree char *name = g_strdup_printf ("briefing-%s-%04u-%02u-%02u", job->wijk,
                                               g_date_get_year (&job->date),
                                               g_date_get_month (&job->date),
                                               g_date_get_day (&job->date));

      buurten_document_save_pdf (job->window, document, name);
    }
  job_free (job);
}

/* ---- the dialog ------------------------------------------------------------------ */

static void
on_response_cb (AdwMessageDialog *dialog,
                const char       *response,
                Job              *job)
{
  GtkCalendar *calendar = g_object_get_data (G_OBJECT (dialog), "buurten-calendar");
  g_autoptr(GDateTime) day = NULL;
  LoadData *load;

  if (g_strcmp0 (response, "print") != 0 && g_strcmp0 (response, "pdf") != 0)
    {
      job_free (job);
      return;
    }

  day = gtk_calendar_get_date (calendar);
  g_date_clear (&job->date, 1);
  g_date_set_dmy (&job->date, g_date_time_get_day_of_month (day), g_date_time_get_month (day),
                  g_date_time_get_year (day));
  job->output = g_str_equal (response, "print") ? OUTPUT_PRINT : OUTPUT_PDF;

  load = g_new0 (LoadData, 1);
  load->municipality = g_object_ref (buurten_context_get_municipality (job->context));
  load->wijk = g_strdup (job->wijk);
  load->date = job->date;
  buurten_store_load_async (buurten_context_get_store (job->context), load_in_thread, load,
                            load_data_free, (GDestroyNotify) buurten_briefing_free, NULL,
                            loaded_cb, job);
}

void
buurten_briefing_dialog_present (GtkWidget      *parent,
                                 BuurtenContext *context,
                                 const char     *wijk,
                                 gint64          suggested)
{
  GtkRoot *root;
  GtkWidget *dialog;
  GtkWidget *calendar;
  const BuurtenWijk *info;
  g_autoptr(GDateTime) day = NULL;
  g_autofree char *body = NULL;
  Job *job;

  g_return_if_fail (GTK_IS_WIDGET (parent));
  g_return_if_fail (BUURTEN_IS_CONTEXT (context));
  g_return_if_fail (wijk != NULL);

  root = gtk_widget_get_root (parent);
  info = buurten_municipality_lookup_wijk (buurten_context_get_municipality (context), wijk);

  job = g_new0 (Job, 1);
  job->context = g_object_ref (context);
  job->wijk = g_strdup (wijk);
  g_set_weak_pointer (&job->window, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL);

  /* Translators: the text of the "Briefing…" dialog; %s is the wijk */
  body = g_strdup_printf (_("Everything in %s that waits for the wijkwethouder, for the "
                            "meeting on the day chosen below."),
                          info != NULL ? info->name : wijk);
  dialog = adw_message_dialog_new (job->window, _("Briefing for the Wijkwethouder"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "pdf", _("Save as _PDF…"),
                                    "print", _("_Print…"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "print",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "print");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  calendar = gtk_calendar_new ();
  gtk_accessible_update_property (GTK_ACCESSIBLE (calendar), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Date of the meeting"), -1);
  day = suggested > 0 ? g_date_time_new_from_unix_local (suggested) : g_date_time_new_now_local ();
  if (day != NULL)
    gtk_calendar_select_day (GTK_CALENDAR (calendar), day);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), calendar);
  g_object_set_data (G_OBJECT (dialog), "buurten-calendar", calendar);

  g_signal_connect (dialog, "response", G_CALLBACK (on_response_cb), job);
  gtk_window_present (GTK_WINDOW (dialog));
}
