/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "buurten-context.h"
#include "buurten-document.h"

G_BEGIN_DECLS

/* The app's one way out for a document of src/exchange/: print it through
 * GtkPrintOperation (its dialog has "Preview") or save it as PDF through a
 * GtkFileChooserNative with the exchange PDF writer, the very pages the
 * command line writes. Both take the document over. name: the print job's
 * name and the proposed file name (without ".pdf"). Success and failure
 * are told in a toast of parent when it is a BuurtenWindow. */
void buurten_document_print    (GtkWindow       *parent,
                                BuurtenDocument *document,
                                const char      *name);
void buurten_document_save_pdf (GtkWindow       *parent,
                                BuurtenDocument *document,
                                const char      *name);

typedef enum
{
  BUURTEN_DOCUMENT_KIND_BESCHIKKING,
  BUURTEN_DOCUMENT_KIND_BUURTDEAL,
} BuurtenDocumentKind;

/* win.document-beschikking and win.document-buurtdeal: a small dialog
 * that loads the initiative's document through the store (on its
 * threads, busy meanwhile), then offers "Print…" and "Save as PDF…";
 * a document that cannot be made says why, in the dialog. */
void buurten_document_dialog_present (GtkWindow           *parent,
                                      BuurtenContext      *context,
                                      BuurtenDocumentKind  kind,
                                      const char          *initiative_id);

G_END_DECLS
