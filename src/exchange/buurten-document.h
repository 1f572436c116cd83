/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <gio/gio.h>
#include <pango/pango.h>

G_BEGIN_DECLS

/* The layout engine of the municipality's documents (the wethouder's
 * briefing; later the beschikking, the buurtdeal and the minutes): Dutch
 * A4 pages with a letterhead, headings, paragraphs, key/value blocks,
 * tables whose amount columns are right-aligned and that break across
 * pages with their header repeated, signature blocks, pictures drawn by a
 * callback, and "Pagina N van M".
 *
 * A document is built from blocks, laid out into pages once
 * (buurten_document_layout(), which knows the page count when it writes
 * the page numbers), then any page is drawn on any cairo_t whose user
 * space is the A4 page in points with its origin at the top left: the PDF
 * writer's surface and GtkPrintOperation's draw-page alike. Text goes
 * through PangoCairo with metrics that do not depend on the device, so a
 * page looks the same on paper, in the preview and in the PDF.
 *
 * Not thread-safe: build, lay out and draw a document in one thread. */

#define BUURTEN_DOCUMENT_A4_WIDTH  595.2756   /* 210 mm in points */
#define BUURTEN_DOCUMENT_A4_HEIGHT 841.8898   /* 297 mm in points */

typedef struct _BuurtenDocument      BuurtenDocument;
typedef struct _BuurtenDocumentTable BuurtenDocumentTable;

typedef enum
{
  BUURTEN_DOCUMENT_ALIGN_START,
  BUURTEN_DOCUMENT_ALIGN_END,     /* amounts */
} BuurtenDocumentAlign;

typedef struct
{
  const char           *title;
  double                weight;   /* share of the text width, relative to the others */
  BuurtenDocumentAlign  align;
} BuurtenDocumentColumn;

/* Draws a picture in the box (0, 0, width, height) of cr, in points.
 * context makes PangoLayouts measured as the document's own text is. */
typedef void (*BuurtenDocumentDrawFunc) (cairo_t      *cr,
                                         PangoContext *context,
                                         double        width,
                                         double        height,
                                         gpointer      user_data);

/* title: what the document is ("Briefing wijkwethouder"), on the first
 * page, in the running header and the PDF's metadata. */
BuurtenDocument      *buurten_document_new             (const char              *title);
void                  buurten_document_free            (BuurtenDocument         *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BuurtenDocument, buurten_document_free)

/* The sender (from the municipality file) and its lines: address,
 * telephone. On the first page; the name heads the others. */
void                  buurten_document_set_letterhead  (BuurtenDocument         *self,
                                                        const char              *name,
                                                        const char * const      *lines);
/* The subtitle under the title (may be NULL), and the date and reference
 * line under both; the reference is repeated in every page's footer. */
void                  buurten_document_set_subtitle    (BuurtenDocument         *self,
                                                        const char              *subtitle);
void                  buurten_document_set_reference   (BuurtenDocument         *self,
                                                        const char              *date,
                                                        const char              *reference);

/* level 1 or 2. A heading is never the last thing on a page. */
void                  buurten_document_add_heading     (BuurtenDocument         *self,
                                                        int                      level,
                                                        const char              *text);
/* Plain text (no markup); breaks across pages between lines. */
void                  buurten_document_add_paragraph   (BuurtenDocument         *self,
                                                        const char              *text);
/* The same, smaller and grey: explanations, footnotes. */
void                  buurten_document_add_note        (BuurtenDocument         *self,
                                                        const char              *text);
/* One line of a key/value block; consecutive calls make one block. */
void                  buurten_document_add_key_value   (BuurtenDocument         *self,
                                                        const char              *key,
                                                        const char              *value);
/* A table; the document owns it. n_columns cells per row follow. */
BuurtenDocumentTable *buurten_document_add_table       (BuurtenDocument             *self,
                                                        const BuurtenDocumentColumn *columns,
                                                        guint                        n_columns);
void                  buurten_document_table_add_row   (BuurtenDocumentTable    *table,
                                                        const char * const      *cells);
/* A last row in bold under a rule (totals). */
void                  buurten_document_table_add_total (BuurtenDocumentTable    *table,
                                                        const char * const      *cells);
/* A signature block: who signs (a role or "Namens de aanvrager"), the
 * name (may be NULL: a blank line to fill in), and the place and date as
 * signed (may be NULL: blank lines). Consecutive blocks stand side by
 * side, two to a row, and never break across pages. */
void                  buurten_document_add_signature   (BuurtenDocument         *self,
                                                        const char              *label,
                                                        const char              *name,
                                                        const char              *place_date);
/* A picture height points high across the text width; draw is called
 * each time its page is drawn. */
void                  buurten_document_add_picture     (BuurtenDocument         *self,
                                                        double                   height,
                                                        BuurtenDocumentDrawFunc  draw,
                                                        gpointer                 user_data,
                                                        GDestroyNotify           destroy);
/* Vertical space, in points (skipped at the top of a page). */
void                  buurten_document_add_space       (BuurtenDocument         *self,
                                                        double                   points);
/* What follows starts on a new page (nothing when the page is empty). */
void                  buurten_document_add_page_break  (BuurtenDocument         *self);

/* Lays the blocks out into pages (once; later calls return the same)
 * and returns the page count. */
guint                 buurten_document_layout          (BuurtenDocument         *self);
guint                 buurten_document_get_n_pages     (BuurtenDocument         *self);
/* The text of a page as laid out, its text blocks in drawing order, one
 * per line: for tests (which table rows landed on which page). */
char                 *buurten_document_get_page_text   (BuurtenDocument         *self,
                                                        guint                    page);
/* Draws page (0-based) on cr: user space in points, origin at the top
 * left of the A4 page. Lays out first when needed. */
void                  buurten_document_draw_page       (BuurtenDocument         *self,
                                                        cairo_t                 *cr,
                                                        guint                    page);
/* Writes every page as PDF (fonts embedded, text selectable) to file,
 * replacing it whole or not at all. G_IO_ERROR when it cannot be written. */
gboolean              buurten_document_write_pdf       (BuurtenDocument         *self,
                                                        GFile                   *file,
                                                        GError                 **error);

G_END_DECLS
