/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The layout engine of src/exchange/: pages, tables that break with their
 * header repeated, page numbers that know the count, text that breaks
 * between lines, pictures drawn at their place, and the PDF writer. */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "buurten-document.h"

static const BuurtenDocumentColumn columns[] = {
  { "Initiative", 3.0, BUURTEN_DOCUMENT_ALIGN_START },
  { "Amount", 1.0, BUURTEN_DOCUMENT_ALIGN_END },
};

static guint
count (const char *haystack,
       const char *needle)
{
  guint n = 0;

  for (const char *at = strstr (haystack, needle); at != NULL; at = strstr (at + 1, needle))
    n++;
  return n;
}

static BuurtenDocument *
long_table_document (guint n_rows)
{
  BuurtenDocument *document = buurten_document_new ("Test document");
  BuurtenDocumentTable *table;

  buurten_document_set_letterhead (document, "Gemeente Test",
                                   (const char * const[]) { "Straat 1", NULL });
  buurten_document_set_reference (document, "1 januari 2027", "REF-1");
  buurten_document_add_heading (document, 1, "A table");
  table = buurten_document_add_table (document, columns, G_N_ELEMENTS (columns));
  for (guint i = 0; i < n_rows; i++)
    {
      g_autofree char *name = g_strdup_printf ("Row %03u", i);
      const char *cells[] = { name, "€ 12.345,67" };

      buurten_document_table_add_row (table, cells);
    }
  buurten_document_table_add_total (table, (const char * const[]) { "Together", "€ 1,00" });
  return document;
}

static void
test_document_table_breaks (void)
{
  g_autoptr(BuurtenDocument) document = long_table_document (150);
  guint n_pages = buurten_document_layout (document);
  guint next_row = 0;

  /* 150 rows of one line do not fit on one A4 page, nor on two. */
  g_assert_cmpuint (n_pages, >=, 3);
  g_assert_cmpuint (buurten_document_get_n_pages (document), ==, n_pages);

  for (guint p = 0; p < n_pages; p++)
    {
      g_autofree char *text = buurten_document_get_page_text (document, p);
      g_autofree char *number = g_strdup_printf ("Page %u of %u", p + 1, n_pages);

      /* The header on every page the table runs on, once. */
      g_assert_cmpuint (count (text, "Initiative\n"), ==, 1);
      g_assert_cmpuint (count (text, "Amount\n"), ==, 1);
      /* Its page number, with the count. */
      g_assert_nonnull (strstr (text, number));
      g_assert_cmpuint (count (text, "\nREF-1\n"), ==, 1);
      /* The letterhead on the first page only. */
      g_assert_cmpuint (count (text, "Straat 1\n"), ==, p == 0 ? 1 : 0);

      /* Every row once, in order, continuing where the last page ended. */
      while (next_row < 150)
        {
          g_autofree char *row = g_strdup_printf ("Row %03u\n", next_row);

          if (strstr (text, row) == NULL)
            break;
          next_row++;
        }
      if (p + 1 < n_pages)
        g_assert_cmpuint (count (text, "Row "), >, 10);
    }
  g_assert_cmpuint (next_row, ==, 150);

  {
    g_autofree char *last = buurten_document_get_page_text (document, n_pages - 1);

    g_assert_nonnull (strstr (last, "Together\n"));
  }
}

static void
test_document_page_count (void)
{
  g_autoptr(BuurtenDocument) empty = buurten_document_new ("Empty");
  g_autoptr(BuurtenDocument) broken = buurten_document_new ("Broken");
  g_autoptr(BuurtenDocument) twice = buurten_document_new ("Twice");
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  g_assert_cmpuint (buurten_document_layout (empty), ==, 1);

  buurten_document_add_paragraph (broken, "Before the break.");
  buurten_document_add_page_break (broken);
  buurten_document_add_paragraph (broken, "After the break.");
  g_assert_cmpuint (buurten_document_layout (broken), ==, 2);
  /* Laid out once: asking again changes nothing. */
  g_assert_cmpuint (buurten_document_layout (broken), ==, 2);
  first = buurten_document_get_page_text (broken, 0);
  second = buurten_document_get_page_text (broken, 1);
  g_assert_nonnull (strstr (first, "Before the break."));
  g_assert_null (strstr (first, "After the break."));
  g_assert_nonnull (strstr (second, "After the break."));
  g_assert_nonnull (strstr (second, "Page 2 of 2"));

  /* Two breaks in a row make one new page, not an empty one. */
  buurten_document_add_paragraph (twice, "One.");
  buurten_document_add_page_break (twice);
  buurten_document_add_page_break (twice);
  buurten_document_add_paragraph (twice, "Two.");
  g_assert_cmpuint (buurten_document_layout (twice), ==, 2);
}

static void
test_document_paragraph_breaks (void)
{
  g_autoptr(BuurtenDocument) document = buurten_document_new ("Long text");
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) all = g_string_new (NULL);
  guint n_pages;

  for (guint i = 0; i < 1200; i++)
    g_string_append_printf (text, "word%04u ", i);
  buurten_document_add_paragraph (document, text->str);
  n_pages = buurten_document_layout (document);
  g_assert_cmpuint (n_pages, >=, 2);

  for (guint p = 0; p < n_pages; p++)
    {
      g_autofree char *page = buurten_document_get_page_text (document, p);

      g_string_append (all, page);
    }
  /* Every word once: nothing lost or repeated at a page break. */
  for (guint i = 0; i < 1200; i += 37)
    {
      g_autofree char *word = g_strdup_printf ("word%04u", i);

      g_assert_cmpuint (count (all->str, word), ==, 1);
    }
}

typedef struct
{
  guint  calls;
  double width;
  double height;
} PictureCalls;

static void
draw_picture (cairo_t      *cr,
              PangoContext *context,
              double        width,
              double        height,
              gpointer      user_data)
{
  PictureCalls *calls = user_data;

  g_assert_nonnull (context);
  calls->calls++;
  calls->width = width;
  calls->height = height;
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_fill (cr);
}

static void
test_document_draw (void)
{
  g_autoptr(BuurtenDocument) document = buurten_document_new ("Drawn");
  PictureCalls calls = { 0 };
  cairo_surface_t *surface;
  cairo_t *cr;

  buurten_document_add_key_value (document, "Key", "Value");
  buurten_document_add_key_value (document, "Another key", "Another value");
  buurten_document_add_picture (document, 40.0, draw_picture, &calls, NULL);
  buurten_document_add_signature (document, "For the municipality", "A. de Vries", NULL);
  buurten_document_add_signature (document, "For the residents", NULL, "Hilversum, 1-1-2027");
  buurten_document_add_note (document, "A note.");
  g_assert_cmpuint (buurten_document_layout (document), ==, 1);

  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 596, 842);
  cr = cairo_create (surface);
  buurten_document_draw_page (document, cr, 0);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);

  /* Called when its page is drawn, across the text width. */
  g_assert_cmpuint (calls.calls, ==, 1);
  g_assert_cmpfloat (calls.height, ==, 40.0);
  g_assert_cmpfloat (calls.width, >, 400.0);
  g_assert_cmpfloat (calls.width, <, BUURTEN_DOCUMENT_A4_WIDTH);
}

static void
test_document_write_pdf (void)
{
  g_autoptr(BuurtenDocument) document = long_table_document (80);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("buurten-document-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *bad_path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) bad = NULL;
  gsize length = 0;

  g_assert_no_error (error);
  path = g_build_filename (dir, "out.pdf", NULL);
  file = g_file_new_for_path (path);
  g_assert_true (buurten_document_write_pdf (document, file, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 1000);
  g_assert_true (g_str_has_prefix (contents, "%PDF-"));

  /* A directory that does not exist: an error, and no file. */
  bad_path = g_build_filename (dir, "missing", "out.pdf", NULL);
  bad = g_file_new_for_path (bad_path);
  g_assert_false (buurten_document_write_pdf (document, bad, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_false (g_file_test (bad_path, G_FILE_TEST_EXISTS));

  g_unlink (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/document/table-breaks", test_document_table_breaks);
  g_test_add_func ("/document/page-count", test_document_page_count);
  g_test_add_func ("/document/paragraph-breaks", test_document_paragraph_breaks);
  g_test_add_func ("/document/draw", test_document_draw);
  g_test_add_func ("/document/write-pdf", test_document_write_pdf);

  return g_test_run ();
}
