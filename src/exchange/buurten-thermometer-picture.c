/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-thermometer-picture"

#include "config.h"

#include "buurten-thermometer-picture.h"

#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#define BAR_HEIGHT   22.0
#define LEGEND_GAP   8.0
#define SWATCH       8.0
#define LEGEND_SIZE  8.0

typedef struct
{
  double r, g, b;
} Rgb;

/* The app's colours (libadwaita's accent and warning), darker where paper
 * needs more contrast. */
static const Rgb accent = { 0.208, 0.518, 0.894 };   /* #3584e4 */
static const Rgb spent = { 0.102, 0.290, 0.545 };    /* #1a4a8b */
static const Rgb trough = { 0.90, 0.90, 0.90 };
static const Rgb warning = { 0.898, 0.647, 0.039 };  /* #e5a50a */
static const Rgb ink = { 0.0, 0.0, 0.0 };

static void
set_rgb (cairo_t   *cr,
         const Rgb *rgb)
{
  cairo_set_source_rgb (cr, rgb->r, rgb->g, rgb->b);
}

/* Diagonal stripes over a light ground, clipped to the rectangle. */
static void
hatch (cairo_t *cr,
       double   x,
       double   y,
       double   width,
       double   height)
{
  cairo_save (cr);
  cairo_rectangle (cr, x, y, width, height);
  cairo_clip (cr);
  cairo_set_source_rgb (cr, 0.80, 0.88, 0.98);
  cairo_paint (cr);
  set_rgb (cr, &accent);
  cairo_set_line_width (cr, 2.0);
  for (double at = x - height; at < x + width; at += 5.0)
    {
      cairo_move_to (cr, at, y + height);
      cairo_line_to (cr, at + height, y);
    }
  cairo_stroke (cr);
  cairo_restore (cr);
}

static char *
format_whole (gint64 cents)
{
  return buurten_money_format_full (cents, buurten_money_locale_default (),
                                    BUURTEN_MONEY_FORMAT_WHOLE_EUROS);
}

typedef enum
{
  SWATCH_FILL,
  SWATCH_HATCH,
  SWATCH_EMPTY,
} SwatchKind;

/* One legend item at x, y: a swatch and its text; returns its width. */
static double
legend_item (cairo_t      *cr,
             PangoContext *context,
             double        x,
             double        y,
             SwatchKind    kind,
             const Rgb    *color,
             const char   *text)
{
  g_autoptr(PangoLayout) layout = pango_layout_new (context);
  g_autoptr(PangoFontDescription) font = pango_font_description_new ();
  int width = 0;
  int height = 0;

  pango_font_description_set_family (font, "Sans");
  pango_font_description_set_absolute_size (font, LEGEND_SIZE * PANGO_SCALE);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_size (layout, &width, &height);

  switch (kind)
    {
    case SWATCH_HATCH:
      hatch (cr, x, y + 1.5, SWATCH, SWATCH);
      break;
    case SWATCH_EMPTY:
      set_rgb (cr, &trough);
      cairo_rectangle (cr, x, y + 1.5, SWATCH, SWATCH);
      cairo_fill (cr);
      break;
    case SWATCH_FILL:
    default:
      set_rgb (cr, color);
      cairo_rectangle (cr, x, y + 1.5, SWATCH, SWATCH);
      cairo_fill (cr);
      break;
    }
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  cairo_move_to (cr, x + SWATCH + 4.0, y);
  pango_cairo_show_layout (cr, layout);

  return SWATCH + 4.0 + (double) width / PANGO_SCALE;
}

static char *
item_text (const char *label,
           gint64      cents,
           gint64      budget)
{
  g_autofree char *amount = format_whole (cents);
  g_autofree char *percent = buurten_format_percent (buurten_money_permille (cents, budget));

  /* The legend's words are the app's (buurten-thermometer-bar.c). */
  return g_strdup_printf (_("%1$s %2$s (%3$s)"), label, amount, percent);
}

void
buurten_thermometer_picture_draw (cairo_t      *cr,
                                  PangoContext *context,
                                  double        width,
                                  double        height,
                                  gpointer      user_data)
{
  const BuurtenThermometer *t = user_data;
  gint64 committed = t->approved_cents + t->pending_cents;
  double scale = MAX ((double) t->budget_cents, (double) committed);
  double approved_x = 0, spent_x = 0, pending_x = 0, budget_x = width;
  double x = 0.0;
  double legend_y = BAR_HEIGHT + LEGEND_GAP;
  struct
  {
    SwatchKind  kind;
    const Rgb  *color;
    char       *text;
  } items[4] = { { 0 } };
  guint n_items = 0;

  if (scale > 0)
    {
      approved_x = width * t->approved_cents / scale;
      spent_x = width * MIN (t->spent_cents, t->approved_cents) / scale;
      pending_x = width * committed / scale;
      budget_x = width * t->budget_cents / scale;
    }

  set_rgb (cr, &trough);
  cairo_rectangle (cr, 0, 0, width, BAR_HEIGHT);
  cairo_fill (cr);
  set_rgb (cr, &accent);
  cairo_rectangle (cr, 0, 0, approved_x, BAR_HEIGHT);
  cairo_fill (cr);
  set_rgb (cr, &spent);
  cairo_rectangle (cr, 0, 0, spent_x, BAR_HEIGHT);
  cairo_fill (cr);
  if (pending_x > approved_x)
    hatch (cr, approved_x, 0, pending_x - approved_x, BAR_HEIGHT);
  if (t->over_budget && pending_x > budget_x)
    {
      set_rgb (cr, &warning);
      cairo_rectangle (cr, budget_x, 0, pending_x - budget_x, BAR_HEIGHT);
      cairo_fill (cr);
      set_rgb (cr, &ink);
      cairo_rectangle (cr, budget_x - 1.0, -2.0, 2.0, BAR_HEIGHT + 4.0);
      cairo_fill (cr);
    }
  /* The outline keeps the free part visible on paper. */
  cairo_set_source_rgb (cr, 0.45, 0.45, 0.45);
  cairo_set_line_width (cr, 0.6);
  cairo_rectangle (cr, 0.3, 0.3, width - 0.6, BAR_HEIGHT - 0.6);
  cairo_stroke (cr);

  items[n_items].kind = SWATCH_FILL;
  items[n_items].color = &accent;
  items[n_items++].text = item_text (C_("thermometer", "Approved"), t->approved_cents,
                                     t->budget_cents);
  items[n_items].kind = SWATCH_FILL;
  items[n_items].color = &spent;
  items[n_items++].text = item_text (C_("thermometer", "Spent"), t->spent_cents,
                                     t->budget_cents);
  items[n_items].kind = SWATCH_HATCH;
  items[n_items].color = &accent;
  items[n_items++].text = item_text (C_("thermometer", "Pending"), t->pending_cents,
                                     t->budget_cents);
  if (t->over_budget)
    {
      g_autofree char *over = format_whole (t->over_cents);

      items[n_items].kind = SWATCH_FILL;
      items[n_items].color = &warning;
      items[n_items++].text = g_strdup_printf (_("%s over budget"), over);
    }
  else
    {
      items[n_items].kind = SWATCH_EMPTY;
      items[n_items].color = &trough;
      items[n_items++].text = item_text (C_("thermometer", "Free"), MAX (t->free_cents, 0),
                                         t->budget_cents);
    }

  /* Two items to a line: four fit in the width of a page at this size. */
  for (guint i = 0; i < n_items; i++)
    {
      if (i == 2)
        {
          x = 0.0;
          legend_y += LEGEND_SIZE + 6.0;
        }
      x += legend_item (cr, context, x, legend_y, items[i].kind, items[i].color,
                        items[i].text) + 18.0;
      x = MAX (x, i % 2 == 0 ? width / 2.0 : 0.0);
      g_free (items[i].text);
    }
}

static void
thermometer_free (gpointer data)
{
  buurten_thermometer_free (data);
}

void
buurten_thermometer_picture_add (BuurtenDocument          *document,
                                 const BuurtenThermometer *thermometer)
{
  g_return_if_fail (document != NULL);
  g_return_if_fail (thermometer != NULL);

  buurten_document_add_picture (document, BUURTEN_THERMOMETER_PICTURE_HEIGHT,
                                buurten_thermometer_picture_draw,
                                buurten_thermometer_copy (thermometer), thermometer_free);
}
