/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-document"

#include "config.h"

#include "buurten-document.h"

#include <string.h>

#include <cairo-pdf.h>
#include <glib/gi18n.h>
#include <pango/pangocairo.h>

/* The page: 25 mm left and right, room for the running header and the
 * footer. All in points. */
#define MARGIN_LEFT    70.0
#define MARGIN_RIGHT   70.0
#define MARGIN_TOP     72.0
#define MARGIN_BOTTOM  78.0
#define FOOTER_Y       (BUURTEN_DOCUMENT_A4_HEIGHT - 48.0)
#define HEADER_Y       36.0
#define TEXT_WIDTH     (BUURTEN_DOCUMENT_A4_WIDTH - MARGIN_LEFT - MARGIN_RIGHT)
#define BOTTOM         (BUURTEN_DOCUMENT_A4_HEIGHT - MARGIN_BOTTOM)

#define FONT_FAMILY    "Sans"
#define BODY_SIZE      9.5
#define NOTE_SIZE      8.0
#define CELL_PAD       3.0
#define KEY_SHARE      0.36
#define KEEP_WITH_HEADING 48.0
#define SIGNATURE_HEIGHT 92.0

typedef enum
{
  BLOCK_HEADING,
  BLOCK_PARAGRAPH,
  BLOCK_NOTE,
  BLOCK_KEY_VALUES,
  BLOCK_TABLE,
  BLOCK_SIGNATURES,
  BLOCK_PICTURE,
  BLOCK_SPACE,
  BLOCK_PAGE_BREAK,
} BlockKind;

typedef struct
{
  char *label;
  char *name;
  char *place_date;
} Signature;

struct _BuurtenDocumentTable
{
  BuurtenDocumentColumn *columns;   /* titles owned */
  guint                  n_columns;
  GPtrArray             *rows;      /* char ** (GStrv) */
  gboolean               has_total; /* the last row is a total */
};

typedef struct
{
  BlockKind   kind;
  int         level;
  char       *text;
  GPtrArray  *pairs;                /* key, value, key, value … (owned strings) */
  BuurtenDocumentTable *table;
  GPtrArray  *signatures;           /* Signature* */
  double      height;
  BuurtenDocumentDrawFunc draw;
  gpointer    draw_data;
  GDestroyNotify draw_destroy;
} Block;

typedef enum
{
  OP_TEXT,
  OP_LINE,
  OP_PICTURE,
} OpKind;

typedef struct
{
  OpKind       kind;
  double       x, y;
  double       x2, y2;              /* OP_LINE's end; OP_PICTURE's width and height */
  double       grey;                /* 0 black … 1 white */
  double       line_width;
  PangoLayout *layout;              /* OP_TEXT */
  const Block *picture;             /* OP_PICTURE, borrowed from the blocks */
} Op;

typedef struct
{
  GPtrArray *ops;                   /* Op* */
} Page;

struct _BuurtenDocument
{
  char         *title;
  char         *subtitle;
  char         *letterhead_name;
  char        **letterhead_lines;
  char         *date;
  char         *reference;
  GPtrArray    *blocks;             /* Block* */

  /* the layout */
  PangoContext *context;
  GPtrArray    *pages;              /* Page*, NULL until laid out */
  Page         *page;               /* the page being filled */
  double        y;
  double        top;                /* where text starts on the current page */
};

/* ---- blocks ---------------------------------------------------------------- */

static void
signature_free (gpointer data)
{
  Signature *signature = data;

  g_free (signature->label);
  g_free (signature->name);
  g_free (signature->place_date);
  g_free (signature);
}

static void
table_free (BuurtenDocumentTable *table)
{
  for (guint i = 0; i < table->n_columns; i++)
    g_free ((char *) table->columns[i].title);
  g_free (table->columns);
  g_ptr_array_unref (table->rows);
  g_free (table);
}

static void
block_free (gpointer data)
{
  Block *block = data;

  g_free (block->text);
  g_clear_pointer (&block->pairs, g_ptr_array_unref);
  g_clear_pointer (&block->table, table_free);
  g_clear_pointer (&block->signatures, g_ptr_array_unref);
  if (block->draw_destroy != NULL)
    block->draw_destroy (block->draw_data);
  g_free (block);
}

static void
op_free (gpointer data)
{
  Op *op = data;

  g_clear_object (&op->layout);
  g_free (op);
}

static void
page_free (gpointer data)
{
  Page *page = data;

  g_ptr_array_unref (page->ops);
  g_free (page);
}

static Block *
add_block (BuurtenDocument *self,
           BlockKind        kind)
{
  Block *block = g_new0 (Block, 1);

  g_return_val_if_fail (self->pages == NULL, block);

  block->kind = kind;
  g_ptr_array_add (self->blocks, block);
  return block;
}

static Block *
last_block (BuurtenDocument *self,
            BlockKind        kind)
{
  Block *block;

  if (self->blocks->len == 0)
    return NULL;
  block = g_ptr_array_index (self->blocks, self->blocks->len - 1);
  return block->kind == kind ? block : NULL;
}

/* ---- text ------------------------------------------------------------------ */

static PangoLayout *
make_layout (BuurtenDocument      *self,
             const char           *text,
             double                size,
             gboolean              bold,
             double                width,
             BuurtenDocumentAlign  align)
{
  PangoLayout *layout = pango_layout_new (self->context);
  g_autoptr(PangoFontDescription) font = pango_font_description_new ();

  pango_font_description_set_family (font, FONT_FAMILY);
  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  pango_font_description_set_weight (font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, text != NULL ? text : "", -1);
  if (width > 0)
    {
      pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
    }
  pango_layout_set_alignment (layout, align == BUURTEN_DOCUMENT_ALIGN_END ? PANGO_ALIGN_RIGHT
                                                                          : PANGO_ALIGN_LEFT);
  return layout;
}

static double
layout_height (PangoLayout *layout)
{
  int height = 0;

  pango_layout_get_size (layout, NULL, &height);
  return (double) height / PANGO_SCALE;
}

/* ---- pages ----------------------------------------------------------------- */

static void
add_op_text (BuurtenDocument *self,
             PangoLayout     *layout,
             double           x,
             double           y,
             double           grey)
{
  Op *op = g_new0 (Op, 1);

  op->kind = OP_TEXT;
  op->layout = layout;
  op->x = x;
  op->y = y;
  op->grey = grey;
  g_ptr_array_add (self->page->ops, op);
}

static void
add_op_line (BuurtenDocument *self,
             double           x1,
             double           y1,
             double           x2,
             double           y2,
             double           width,
             double           grey)
{
  Op *op = g_new0 (Op, 1);

  op->kind = OP_LINE;
  op->x = x1;
  op->y = y1;
  op->x2 = x2;
  op->y2 = y2;
  op->line_width = width;
  op->grey = grey;
  g_ptr_array_add (self->page->ops, op);
}

static void
new_page (BuurtenDocument *self)
{
  Page *page = g_new0 (Page, 1);

  page->ops = g_ptr_array_new_with_free_func (op_free);
  g_ptr_array_add (self->pages, page);
  self->page = page;
  self->top = self->y = MARGIN_TOP;
}

static gboolean
page_is_empty (BuurtenDocument *self)
{
  return self->y <= self->top + 0.01;
}

/* A new page when height does not fit below y; never for a page that is
 * still empty (what is higher than a page is cut, not looped over). */
static void
ensure_room (BuurtenDocument *self,
             double           height)
{
  if (self->y + height > BOTTOM && !page_is_empty (self))
    new_page (self);
}

static void
layout_letterhead (BuurtenDocument *self)
{
  PangoLayout *layout;
  double y = 40.0;

  if (self->letterhead_name != NULL)
    {
      layout = make_layout (self, self->letterhead_name, 17.0, TRUE, TEXT_WIDTH,
                            BUURTEN_DOCUMENT_ALIGN_START);
      add_op_text (self, layout, MARGIN_LEFT, y, 0.0);
      y += layout_height (layout) + 2.0;
    }
  for (guint i = 0; self->letterhead_lines != NULL && self->letterhead_lines[i] != NULL; i++)
    {
      layout = make_layout (self, self->letterhead_lines[i], NOTE_SIZE, FALSE, TEXT_WIDTH,
                            BUURTEN_DOCUMENT_ALIGN_START);
      add_op_text (self, layout, MARGIN_LEFT, y, 0.35);
      y += layout_height (layout);
    }
  y += 8.0;
  add_op_line (self, MARGIN_LEFT, y, MARGIN_LEFT + TEXT_WIDTH, y, 1.2, 0.0);
  y += 18.0;

  layout = make_layout (self, self->title, 16.0, TRUE, TEXT_WIDTH, BUURTEN_DOCUMENT_ALIGN_START);
  add_op_text (self, layout, MARGIN_LEFT, y, 0.0);
  y += layout_height (layout) + 2.0;
  if (self->subtitle != NULL)
    {
      layout = make_layout (self, self->subtitle, 11.0, FALSE, TEXT_WIDTH,
                            BUURTEN_DOCUMENT_ALIGN_START);
      add_op_text (self, layout, MARGIN_LEFT, y, 0.0);
      y += layout_height (layout) + 2.0;
    }
  if (self->date != NULL || self->reference != NULL)
    {
      g_autoptr(GString) line = g_string_new (NULL);

      if (self->date != NULL)
        /* Translators: the date line of a document, e.g. "Date: 7 December 2026" */
        g_string_append_printf (line, _("Date: %s"), self->date);
      if (self->reference != NULL)
        {
          if (line->len > 0)
            g_string_append (line, "     ");
          /* Translators: a document's reference, e.g. "Reference: BRF-centrum-20261207" */
          g_string_append_printf (line, _("Reference: %s"), self->reference);
        }
      y += 4.0;
      layout = make_layout (self, line->str, BODY_SIZE, FALSE, TEXT_WIDTH,
                            BUURTEN_DOCUMENT_ALIGN_START);
      add_op_text (self, layout, MARGIN_LEFT, y, 0.2);
      y += layout_height (layout);
    }

  self->top = self->y = y + 16.0;
}

static void
layout_heading (BuurtenDocument *self,
                const Block     *block)
{
  double size = block->level <= 1 ? 13.0 : 10.5;
  double before = block->level <= 1 ? 14.0 : 9.0;
  PangoLayout *layout = make_layout (self, block->text, size, TRUE, TEXT_WIDTH,
                                     BUURTEN_DOCUMENT_ALIGN_START);
  double height = layout_height (layout);

  /* Keep a heading with the start of what it heads. */
  ensure_room (self, before + height + KEEP_WITH_HEADING);
  if (!page_is_empty (self))
    self->y += before;
  add_op_text (self, layout, MARGIN_LEFT, self->y, 0.0);
  self->y += height + (block->level <= 1 ? 6.0 : 3.0);
}

/* Places text from the current y on, breaking between lines onto new
 * pages. */
static void
layout_text (BuurtenDocument *self,
             const char      *text,
             double           size,
             double           grey)
{
  const char *rest = text != NULL ? text : "";

  for (;;)
    {
      PangoLayout *layout = make_layout (self, rest, size, FALSE, TEXT_WIDTH,
                                         BUURTEN_DOCUMENT_ALIGN_START);
      double height = layout_height (layout);
      PangoLayoutIter *iter;
      int fitting_index = -1;

      if (self->y + height <= BOTTOM)
        {
          add_op_text (self, layout, MARGIN_LEFT, self->y, grey);
          self->y += height + 6.0;
          return;
        }

      /* Which line is the first that does not fit? */
      iter = pango_layout_get_iter (layout);
      do
        {
          int y0, y1;

          pango_layout_iter_get_line_yrange (iter, &y0, &y1);
          if (self->y + (double) y1 / PANGO_SCALE > BOTTOM)
            {
              fitting_index = pango_layout_iter_get_index (iter);
              break;
            }
        }
      while (pango_layout_iter_next_line (iter));
      pango_layout_iter_free (iter);

      if (fitting_index <= 0)
        {
          /* Not one line fits here. */
          g_object_unref (layout);
          if (page_is_empty (self))
            {
              /* Higher than a page and no line boundary helps: cut. */
              layout = make_layout (self, rest, size, FALSE, TEXT_WIDTH,
                                    BUURTEN_DOCUMENT_ALIGN_START);
              add_op_text (self, layout, MARGIN_LEFT, self->y, grey);
              self->y = BOTTOM;
              return;
            }
          new_page (self);
          continue;
        }

      {
        g_autofree char *head = g_strndup (rest, fitting_index);

        g_object_unref (layout);
        layout = make_layout (self, g_strchomp (head), size, FALSE, TEXT_WIDTH,
                              BUURTEN_DOCUMENT_ALIGN_START);
        add_op_text (self, layout, MARGIN_LEFT, self->y, grey);
        rest += fitting_index;
        new_page (self);
      }
    }
}

static void
layout_key_values (BuurtenDocument *self,
                   const Block     *block)
{
  double key_width = TEXT_WIDTH * KEY_SHARE;
  double value_width = TEXT_WIDTH - key_width;

  for (guint i = 0; i + 1 < block->pairs->len; i += 2)
    {
      PangoLayout *key = make_layout (self, g_ptr_array_index (block->pairs, i), BODY_SIZE,
                                      FALSE, key_width - 8.0, BUURTEN_DOCUMENT_ALIGN_START);
      PangoLayout *value = make_layout (self, g_ptr_array_index (block->pairs, i + 1),
                                        BODY_SIZE, TRUE, value_width,
                                        BUURTEN_DOCUMENT_ALIGN_START);
      double height = MAX (layout_height (key), layout_height (value));

      ensure_room (self, height);
      add_op_text (self, key, MARGIN_LEFT, self->y, 0.3);
      add_op_text (self, value, MARGIN_LEFT + key_width, self->y, 0.0);
      self->y += height + 2.5;
    }
  self->y += 5.0;
}

static double
natural_width (BuurtenDocument *self,
               const char      *text,
               gboolean         bold)
{
  g_autoptr(PangoLayout) layout = make_layout (self, text, BODY_SIZE, bold, -1,
                                               BUURTEN_DOCUMENT_ALIGN_START);
  int width = 0;

  pango_layout_get_size (layout, &width, NULL);
  return (double) width / PANGO_SCALE;
}

/* Amount columns (aligned to the end) are as wide as their widest amount,
 * so that an amount never wraps; the other columns share what is left by
 * their weights. When amounts would take more than 70 % of the width, every
 * column gets its share by weight. */
static void
column_geometry (BuurtenDocument            *self,
                 const BuurtenDocumentTable *table,
                 double                     *x,
                 double                     *width)
{
  double weights = 0.0;
  double fixed = 0.0;
  double at = MARGIN_LEFT;

  for (guint c = 0; c < table->n_columns; c++)
    {
      width[c] = 0.0;
      if (table->columns[c].align != BUURTEN_DOCUMENT_ALIGN_END)
        continue;
      width[c] = natural_width (self, table->columns[c].title, TRUE) + 2 * CELL_PAD + 4.0;
      for (guint r = 0; r < table->rows->len; r++)
        {
          char **row = g_ptr_array_index (table->rows, r);
          gboolean bold = table->has_total && r + 1 == table->rows->len;

          width[c] = MAX (width[c], natural_width (self, row[c], bold) + 2 * CELL_PAD + 4.0);
        }
      fixed += width[c];
    }
  if (fixed > TEXT_WIDTH * 0.7)
    {
      fixed = 0.0;
      for (guint c = 0; c < table->n_columns; c++)
        width[c] = 0.0;
    }

  for (guint c = 0; c < table->n_columns; c++)
    if (width[c] == 0.0)
      weights += MAX (table->columns[c].weight, 0.01);
  for (guint c = 0; c < table->n_columns; c++)
    {
      if (width[c] == 0.0)
        width[c] = (TEXT_WIDTH - fixed) * MAX (table->columns[c].weight, 0.01) / weights;
      x[c] = at;
      at += width[c];
    }
}

/* The layouts of one row and its height. */
static double
make_row (BuurtenDocument            *self,
          const BuurtenDocumentTable *table,
          const char * const         *cells,
          gboolean                    bold,
          const double               *width,
          PangoLayout               **out)
{
  double height = 0.0;

  for (guint c = 0; c < table->n_columns; c++)
    {
      out[c] = make_layout (self, cells[c], BODY_SIZE, bold, width[c] - 2 * CELL_PAD,
                            table->columns[c].align);
      height = MAX (height, layout_height (out[c]));
    }
  return height + 2 * CELL_PAD;
}

static void
place_row (BuurtenDocument *self,
           guint            n_columns,
           const double    *x,
           PangoLayout    **layouts)
{
  for (guint c = 0; c < n_columns; c++)
    add_op_text (self, layouts[c], x[c] + CELL_PAD, self->y + CELL_PAD, 0.0);
}

static double
place_header (BuurtenDocument            *self,
              const BuurtenDocumentTable *table,
              const double               *x,
              const double               *width)
{
  g_autofree PangoLayout **layouts = g_new0 (PangoLayout *, table->n_columns);
  g_autofree const char **titles = g_new0 (const char *, table->n_columns + 1);
  double height;

  for (guint c = 0; c < table->n_columns; c++)
    titles[c] = table->columns[c].title;
  height = make_row (self, table, titles, TRUE, width, layouts);
  place_row (self, table->n_columns, x, layouts);
  self->y += height;
  add_op_line (self, MARGIN_LEFT, self->y, MARGIN_LEFT + TEXT_WIDTH, self->y, 0.9, 0.0);
  return height;
}

static double
header_height (BuurtenDocument            *self,
               const BuurtenDocumentTable *table,
               const double               *width)
{
  g_autofree PangoLayout **layouts = g_new0 (PangoLayout *, table->n_columns);
  g_autofree const char **titles = g_new0 (const char *, table->n_columns + 1);
  double height;

  for (guint c = 0; c < table->n_columns; c++)
    titles[c] = table->columns[c].title;
  height = make_row (self, table, titles, TRUE, width, layouts);
  for (guint c = 0; c < table->n_columns; c++)
    g_object_unref (layouts[c]);
  return height;
}

static void
layout_table (BuurtenDocument            *self,
              const BuurtenDocumentTable *table)
{
  g_autofree double *x = g_new0 (double, table->n_columns);
  g_autofree double *width = g_new0 (double, table->n_columns);
  g_autofree PangoLayout **layouts = g_new0 (PangoLayout *, table->n_columns);
  double header;

  column_geometry (self, table, x, width);
  header = header_height (self, table, width);

  for (guint r = 0; r < table->rows->len; r++)
    {
      gboolean total = table->has_total && r + 1 == table->rows->len;
      double height = make_row (self, table, g_ptr_array_index (table->rows, r), total, width,
                                layouts);

      /* The header and at least the first row together; on every page the
       * table continues on, the header again. */
      if (r == 0)
        {
          ensure_room (self, header + height);
          place_header (self, table, x, width);
        }
      else if (self->y + height > BOTTOM)
        {
          new_page (self);
          place_header (self, table, x, width);
        }

      if (total)
        add_op_line (self, MARGIN_LEFT, self->y, MARGIN_LEFT + TEXT_WIDTH, self->y, 0.9, 0.0);
      place_row (self, table->n_columns, x, layouts);
      self->y += height;
      if (!total && r + 1 < table->rows->len)
        add_op_line (self, MARGIN_LEFT, self->y, MARGIN_LEFT + TEXT_WIDTH, self->y, 0.3, 0.75);
    }

  if (table->rows->len == 0)
    {
      ensure_room (self, header);
      place_header (self, table, x, width);
    }
  self->y += 10.0;
}

/* The height of a block of signatures: two side by side per row. */
static double
signatures_height (const Block *block)
{
  guint rows = (block->signatures->len + 1) / 2;

  return rows * (SIGNATURE_HEIGHT + 12.0);
}

static void
layout_signatures (BuurtenDocument *self,
                   const Block     *block)
{
  double column = (TEXT_WIDTH - 24.0) / 2.0;

  /* The signatures of one document stay together on one page. */
  ensure_room (self, signatures_height (block));

  for (guint i = 0; i < block->signatures->len; i++)
    {
      const Signature *signature = g_ptr_array_index (block->signatures, i);
      double x = MARGIN_LEFT + (i % 2) * (column + 24.0);
      PangoLayout *layout;
      double y;

      if (i % 2 == 0)
        {
          if (i > 0)
            self->y += SIGNATURE_HEIGHT + 12.0;
          ensure_room (self, SIGNATURE_HEIGHT);
        }
      y = self->y;

      layout = make_layout (self, signature->label, BODY_SIZE, TRUE, column,
                            BUURTEN_DOCUMENT_ALIGN_START);
      add_op_text (self, layout, x, y, 0.0);
      /* Room for the signature itself, then the line it goes on. */
      y += 52.0;
      add_op_line (self, x, y, x + column, y, 0.6, 0.0);
      y += 3.0;
      layout = make_layout (self, signature->name != NULL ? signature->name : "", BODY_SIZE,
                            FALSE, column, BUURTEN_DOCUMENT_ALIGN_START);
      add_op_text (self, layout, x, y, 0.0);
      y += 13.0;
      if (signature->place_date != NULL)
        {
          layout = make_layout (self, signature->place_date, NOTE_SIZE, FALSE, column,
                                BUURTEN_DOCUMENT_ALIGN_START);
          add_op_text (self, layout, x, y, 0.3);
        }
      else
        {
          /* Translators: under a signature line to fill in by hand */
          layout = make_layout (self, _("Place and date:"), NOTE_SIZE, FALSE, column,
                                BUURTEN_DOCUMENT_ALIGN_START);
          add_op_text (self, layout, x, y, 0.3);
        }
    }
  if (block->signatures->len > 0)
    self->y += SIGNATURE_HEIGHT + 10.0;
}

static void
layout_picture (BuurtenDocument *self,
                const Block     *block)
{
  Op *op;

  ensure_room (self, block->height);
  op = g_new0 (Op, 1);
  op->kind = OP_PICTURE;
  op->x = MARGIN_LEFT;
  op->y = self->y;
  op->x2 = TEXT_WIDTH;
  op->y2 = block->height;
  op->picture = block;
  g_ptr_array_add (self->page->ops, op);
  self->y += block->height + 8.0;
}

/* The running header of pages after the first, and every page's footer:
 * the reference and "Page N of M", written once the count is known. */
static void
layout_furniture (BuurtenDocument *self)
{
  guint n_pages = self->pages->len;

  for (guint i = 0; i < n_pages; i++)
    {
      g_autofree char *number = NULL;
      PangoLayout *layout;

      self->page = g_ptr_array_index (self->pages, i);

      if (i > 0)
        {
          g_autofree char *running = NULL;

          running = self->letterhead_name != NULL
                    ? g_strdup_printf ("%s · %s", self->letterhead_name, self->title)
                    : g_strdup (self->title);
          layout = make_layout (self, running, NOTE_SIZE, FALSE, TEXT_WIDTH,
                                BUURTEN_DOCUMENT_ALIGN_START);
          add_op_text (self, layout, MARGIN_LEFT, HEADER_Y, 0.35);
          add_op_line (self, MARGIN_LEFT, HEADER_Y + 14.0, MARGIN_LEFT + TEXT_WIDTH,
                       HEADER_Y + 14.0, 0.4, 0.6);
        }

      add_op_line (self, MARGIN_LEFT, FOOTER_Y - 6.0, MARGIN_LEFT + TEXT_WIDTH, FOOTER_Y - 6.0,
                   0.4, 0.6);
      if (self->reference != NULL)
        {
          layout = make_layout (self, self->reference, NOTE_SIZE, FALSE, TEXT_WIDTH / 2,
                                BUURTEN_DOCUMENT_ALIGN_START);
          add_op_text (self, layout, MARGIN_LEFT, FOOTER_Y, 0.35);
        }
      /* Translators: the page number in a document's footer, e.g. "Page 2 of 5" */
      number = g_strdup_printf (_("Page %1$u of %2$u"), i + 1, n_pages);
      layout = make_layout (self, number, NOTE_SIZE, FALSE, TEXT_WIDTH / 2,
                            BUURTEN_DOCUMENT_ALIGN_END);
      add_op_text (self, layout, MARGIN_LEFT + TEXT_WIDTH / 2, FOOTER_Y, 0.35);
    }
  self->page = NULL;
}

/* ---- public API ------------------------------------------------------------ */

BuurtenDocument *
buurten_document_new (const char *title)
{
  BuurtenDocument *self = g_new0 (BuurtenDocument, 1);
  cairo_font_options_t *options;

  g_return_val_if_fail (title != NULL, NULL);

  self->title = g_strdup (title);
  self->blocks = g_ptr_array_new_with_free_func (block_free);

  /* Points, and no hinting: the metrics are those of the outlines, the
   * same on paper, on screen and in the PDF. */
  self->context = pango_font_map_create_context (pango_cairo_font_map_get_default ());
  pango_cairo_context_set_resolution (self->context, 72.0);
  options = cairo_font_options_create ();
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (self->context, options);
  cairo_font_options_destroy (options);
  pango_context_set_language (self->context, pango_language_from_string ("nl-nl"));

  return self;
}

void
buurten_document_free (BuurtenDocument *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->pages, g_ptr_array_unref);
  g_ptr_array_unref (self->blocks);
  g_clear_object (&self->context);
  g_free (self->title);
  g_free (self->subtitle);
  g_free (self->letterhead_name);
  g_strfreev (self->letterhead_lines);
  g_free (self->date);
  g_free (self->reference);
  g_free (self);
}

void
buurten_document_set_letterhead (BuurtenDocument    *self,
                                 const char         *name,
                                 const char * const *lines)
{
  g_return_if_fail (self != NULL);

  g_free (self->letterhead_name);
  self->letterhead_name = g_strdup (name);
  g_strfreev (self->letterhead_lines);
  self->letterhead_lines = g_strdupv ((char **) lines);
}

void
buurten_document_set_subtitle (BuurtenDocument *self,
                               const char      *subtitle)
{
  g_return_if_fail (self != NULL);

  g_free (self->subtitle);
  self->subtitle = g_strdup (subtitle);
}

void
buurten_document_set_reference (BuurtenDocument *self,
                                const char      *date,
                                const char      *reference)
{
  g_return_if_fail (self != NULL);

  g_free (self->date);
  self->date = g_strdup (date);
  g_free (self->reference);
  self->reference = g_strdup (reference);
}

void
buurten_document_add_heading (BuurtenDocument *self,
                              int              level,
                              const char      *text)
{
  Block *block;

  g_return_if_fail (self != NULL);
  g_return_if_fail (text != NULL);

  block = add_block (self, BLOCK_HEADING);
  block->level = CLAMP (level, 1, 2);
  block->text = g_strdup (text);
}

void
buurten_document_add_paragraph (BuurtenDocument *self,
                                const char      *text)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (text != NULL);

  add_block (self, BLOCK_PARAGRAPH)->text = g_strdup (text);
}

void
buurten_document_add_note (BuurtenDocument *self,
                           const char      *text)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (text != NULL);

  add_block (self, BLOCK_NOTE)->text = g_strdup (text);
}

void
buurten_document_add_key_value (BuurtenDocument *self,
                                const char      *key,
                                const char      *value)
{
  Block *block;

  g_return_if_fail (self != NULL);
  g_return_if_fail (key != NULL);

  block = last_block (self, BLOCK_KEY_VALUES);
  if (block == NULL)
    {
      block = add_block (self, BLOCK_KEY_VALUES);
      block->pairs = g_ptr_array_new_with_free_func (g_free);
    }
  g_ptr_array_add (block->pairs, g_strdup (key));
  g_ptr_array_add (block->pairs, g_strdup (value != NULL ? value : ""));
}

BuurtenDocumentTable *
buurten_document_add_table (BuurtenDocument             *self,
                            const BuurtenDocumentColumn *columns,
                            guint                        n_columns)
{
  BuurtenDocumentTable *table;
  Block *block;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (columns != NULL && n_columns > 0, NULL);

  table = g_new0 (BuurtenDocumentTable, 1);
  table->n_columns = n_columns;
  table->columns = g_new0 (BuurtenDocumentColumn, n_columns);
  for (guint c = 0; c < n_columns; c++)
    {
      table->columns[c] = columns[c];
      table->columns[c].title = g_strdup (columns[c].title != NULL ? columns[c].title : "");
    }
  table->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  block = add_block (self, BLOCK_TABLE);
  block->table = table;
  return table;
}

static void
table_add (BuurtenDocumentTable *table,
           const char * const   *cells)
{
  char **row = g_new0 (char *, table->n_columns + 1);

  for (guint c = 0; c < table->n_columns; c++)
    row[c] = g_strdup (cells[c] != NULL ? cells[c] : "");
  g_ptr_array_add (table->rows, row);
}

void
buurten_document_table_add_row (BuurtenDocumentTable *table,
                                 const char * const   *cells)
{
  g_return_if_fail (table != NULL);
  g_return_if_fail (cells != NULL);
  g_return_if_fail (!table->has_total);

  table_add (table, cells);
}

void
buurten_document_table_add_total (BuurtenDocumentTable *table,
                                   const char * const   *cells)
{
  g_return_if_fail (table != NULL);
  g_return_if_fail (cells != NULL);
  g_return_if_fail (!table->has_total);

  table_add (table, cells);
  table->has_total = TRUE;
}

void
buurten_document_add_signature (BuurtenDocument *self,
                                const char      *label,
                                const char      *name,
                                const char      *place_date)
{
  Block *block;
  Signature *signature;

  g_return_if_fail (self != NULL);
  g_return_if_fail (label != NULL);

  block = last_block (self, BLOCK_SIGNATURES);
  if (block == NULL)
    {
      block = add_block (self, BLOCK_SIGNATURES);
      block->signatures = g_ptr_array_new_with_free_func (signature_free);
    }
  signature = g_new0 (Signature, 1);
  signature->label = g_strdup (label);
  signature->name = g_strdup (name);
  signature->place_date = g_strdup (place_date);
  g_ptr_array_add (block->signatures, signature);
}

void
buurten_document_add_picture (BuurtenDocument         *self,
                              double                   height,
                              BuurtenDocumentDrawFunc  draw,
                              gpointer                 user_data,
                              GDestroyNotify           destroy)
{
  Block *block;

  g_return_if_fail (self != NULL);
  g_return_if_fail (draw != NULL);
  g_return_if_fail (height > 0);

  block = add_block (self, BLOCK_PICTURE);
  block->height = MIN (height, BOTTOM - MARGIN_TOP);
  block->draw = draw;
  block->draw_data = user_data;
  block->draw_destroy = destroy;
}

void
buurten_document_add_space (BuurtenDocument *self,
                            double           points)
{
  g_return_if_fail (self != NULL);

  add_block (self, BLOCK_SPACE)->height = MAX (points, 0.0);
}

void
buurten_document_add_page_break (BuurtenDocument *self)
{
  g_return_if_fail (self != NULL);

  add_block (self, BLOCK_PAGE_BREAK);
}

guint
buurten_document_layout (BuurtenDocument *self)
{
  g_return_val_if_fail (self != NULL, 0);

  if (self->pages != NULL)
    return self->pages->len;

  self->pages = g_ptr_array_new_with_free_func (page_free);
  new_page (self);
  layout_letterhead (self);

  for (guint i = 0; i < self->blocks->len; i++)
    {
      const Block *block = g_ptr_array_index (self->blocks, i);

      switch (block->kind)
        {
        case BLOCK_HEADING:
          /* A heading goes with the signatures it heads. */
          if (i + 1 < self->blocks->len)
            {
              const Block *next = g_ptr_array_index (self->blocks, i + 1);

              if (next->kind == BLOCK_SIGNATURES)
                ensure_room (self, 40.0 + signatures_height (next));
            }
          layout_heading (self, block);
          break;
        case BLOCK_PARAGRAPH:
          layout_text (self, block->text, BODY_SIZE, 0.0);
          break;
        case BLOCK_NOTE:
          layout_text (self, block->text, NOTE_SIZE, 0.35);
          break;
        case BLOCK_KEY_VALUES:
          layout_key_values (self, block);
          break;
        case BLOCK_TABLE:
          layout_table (self, block->table);
          break;
        case BLOCK_SIGNATURES:
          layout_signatures (self, block);
          break;
        case BLOCK_PICTURE:
          layout_picture (self, block);
          break;
        case BLOCK_SPACE:
          if (!page_is_empty (self))
            self->y = MIN (self->y + block->height, BOTTOM);
          break;
        case BLOCK_PAGE_BREAK:
          if (!page_is_empty (self))
            new_page (self);
          break;
        default:
          g_assert_not_reached ();
        }
    }

  layout_furniture (self);
  return self->pages->len;
}

guint
buurten_document_get_n_pages (BuurtenDocument *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return buurten_document_layout (self);
}

char *
buurten_document_get_page_text (BuurtenDocument *self,
                                guint            page)
{
  g_autoptr(GString) text = g_string_new (NULL);
  const Page *p;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (page < buurten_document_layout (self), NULL);

  p = g_ptr_array_index (self->pages, page);
  for (guint i = 0; i < p->ops->len; i++)
    {
      const Op *op = g_ptr_array_index (p->ops, i);

      if (op->kind == OP_TEXT)
        {
          g_string_append (text, pango_layout_get_text (op->layout));
          g_string_append_c (text, '\n');
        }
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

void
buurten_document_draw_page (BuurtenDocument *self,
                            cairo_t         *cr,
                            guint            page)
{
  const Page *p;

  g_return_if_fail (self != NULL);
  g_return_if_fail (cr != NULL);
  g_return_if_fail (page < buurten_document_layout (self));

  p = g_ptr_array_index (self->pages, page);
  for (guint i = 0; i < p->ops->len; i++)
    {
      const Op *op = g_ptr_array_index (p->ops, i);

      cairo_save (cr);
      switch (op->kind)
        {
        case OP_TEXT:
          cairo_set_source_rgb (cr, op->grey, op->grey, op->grey);
          cairo_move_to (cr, op->x, op->y);
          pango_cairo_show_layout (cr, op->layout);
          break;
        case OP_LINE:
          cairo_set_source_rgb (cr, op->grey, op->grey, op->grey);
          cairo_set_line_width (cr, op->line_width);
          cairo_move_to (cr, op->x, op->y);
          cairo_line_to (cr, op->x2, op->y2);
          cairo_stroke (cr);
          break;
        case OP_PICTURE:
          cairo_translate (cr, op->x, op->y);
          cairo_rectangle (cr, 0, 0, op->x2, op->y2);
          cairo_clip (cr);
          op->picture->draw (cr, self->context, op->x2, op->y2, op->picture->draw_data);
          break;
        default:
          g_assert_not_reached ();
        }
      cairo_restore (cr);
    }
}

typedef struct
{
  GOutputStream *stream;
  GError        *error;
} WriteClosure;

static cairo_status_t
write_cb (void                *closure,
          const unsigned char *data,
          unsigned int         length)
{
  WriteClosure *write = closure;

  if (write->error != NULL)
    return CAIRO_STATUS_WRITE_ERROR;
  if (!g_output_stream_write_all (write->stream, data, length, NULL, NULL, &write->error))
    return CAIRO_STATUS_WRITE_ERROR;
  return CAIRO_STATUS_SUCCESS;
}

gboolean
buurten_document_write_pdf (BuurtenDocument  *self,
                            GFile            *file,
                            GError          **error)
{
  g_autoptr(GFileOutputStream) stream = NULL;
  WriteClosure closure = { 0 };
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  guint n_pages;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  n_pages = buurten_document_layout (self);

  /* Written next to the file and moved over it when complete: a failed
   * write leaves the old file (or none), never half a PDF. */
  stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, error);
  if (stream == NULL)
    return FALSE;
  closure.stream = G_OUTPUT_STREAM (stream);

  surface = cairo_pdf_surface_create_for_stream (write_cb, &closure,
                                                 BUURTEN_DOCUMENT_A4_WIDTH,
                                                 BUURTEN_DOCUMENT_A4_HEIGHT);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, self->title);
  if (self->letterhead_name != NULL)
    cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_AUTHOR, self->letterhead_name);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR,
                                  PACKAGE_NAME " " PACKAGE_VERSION);
  cr = cairo_create (surface);
  for (guint i = 0; i < n_pages; i++)
    {
      buurten_document_draw_page (self, cr, i);
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (closure.error != NULL || status != CAIRO_STATUS_SUCCESS)
    {
      g_autoptr(GCancellable) abandon = g_cancellable_new ();

      if (closure.error != NULL)
        g_propagate_error (error, closure.error);
      else
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s",
                     cairo_status_to_string (status));
      /* A cancelled close leaves the file as it was. */
      g_cancellable_cancel (abandon);
      g_output_stream_close (G_OUTPUT_STREAM (stream), abandon, NULL);
      return FALSE;
    }

  return g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, error);
}
