/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-thermometer-bar"

#include "config.h"

#include "buurten-thermometer-bar.h"

#include <glib/gi18n.h>

#include "buurten-format.h"

#define BAR_HEIGHT         20
#define COMPACT_BAR_HEIGHT 6
#define LEGEND_SPACING     6
#define MIN_WIDTH          48

struct _BuurtenThermometerBar
{
  GtkWidget           parent_instance;

  /* owned: a GtkLevelBar that is never drawn. GTK 4.8 gives the AT-SPI
   * Value interface only to its own range widgets, so the figures in
   * numbers reach assistive technology through it. */
  GtkWidget          *a11y_bar;

  /* owned */
  BuurtenThermometer *thermometer;
  PangoLayout        *legend;
  gboolean            compact;
};

G_DEFINE_FINAL_TYPE (BuurtenThermometerBar, buurten_thermometer_bar, GTK_TYPE_WIDGET)

static void
share_free (gpointer data)
{
  BuurtenThemeShare *share = data;

  g_free (share->theme);
  g_free (share);
}

static BuurtenThermometer *
thermometer_copy (const BuurtenThermometer *thermometer)
{
  BuurtenThermometer *copy = g_new0 (BuurtenThermometer, 1);

  *copy = *thermometer;
  copy->id = g_strdup (thermometer->id);
  copy->name = g_strdup (thermometer->name);
  copy->themes = g_ptr_array_new_with_free_func (share_free);
  if (thermometer->themes != NULL)
    {
      for (guint i = 0; i < thermometer->themes->len; i++)
        {
          const BuurtenThemeShare *share = g_ptr_array_index (thermometer->themes, i);
          BuurtenThemeShare *share_copy = g_new0 (BuurtenThemeShare, 1);

          *share_copy = *share;
          share_copy->theme = g_strdup (share->theme);
          g_ptr_array_add (copy->themes, share_copy);
        }
    }

  return copy;
}

static void
thermometer_free (BuurtenThermometer *thermometer)
{
  if (thermometer == NULL)
    return;

  g_free (thermometer->id);
  g_free (thermometer->name);
  g_clear_pointer (&thermometer->themes, g_ptr_array_unref);
  g_free (thermometer);
}

static GdkRGBA
lookup_color (GtkWidget  *widget,
              const char *name,
              const char *fallback)
{
  GtkStyleContext *context = gtk_widget_get_style_context (widget);
  GdkRGBA color;

  if (!gtk_style_context_lookup_color (context, name, &color))
    gdk_rgba_parse (&color, fallback);

  return color;
}

static char *
color_to_hex (const GdkRGBA *color)
{
  return g_strdup_printf ("#%02x%02x%02x",
                          (guint) CLAMP (color->red * 255.0 + 0.5, 0, 255),
                          (guint) CLAMP (color->green * 255.0 + 0.5, 0, 255),
                          (guint) CLAMP (color->blue * 255.0 + 0.5, 0, 255));
}

static char *
format_whole (gint64 cents)
{
  return buurten_money_format_full (cents, buurten_money_locale_default (),
                                    BUURTEN_MONEY_FORMAT_WHOLE_EUROS);
}

static void
append_legend_item (GString       *markup,
                    const GdkRGBA *color,
                    const char    *symbol,
                    const char    *label,
                    gint64         cents,
                    int            permille)
{
  g_autofree char *hex = color_to_hex (color);
  g_autofree char *amount = format_whole (cents);
  g_autofree char *percent = buurten_format_percent (permille);
  g_autofree char *text = NULL;
  g_autofree char *escaped = NULL;
  g_autoptr(GString) item = NULL;

  /* Translators: one item of the legend under a budget thermometer: what,
   * amount and share of the budget, e.g. "Approved € 12.400 (38%)" */
  text = g_strdup_printf (_("%1$s %2$s (%3$s)"), label, amount, percent);
  escaped = g_markup_escape_text (text, -1);
  /* An item wraps as a whole: only the spaces between items break. */
  item = g_string_new (escaped);
  g_string_replace (item, " ", "\u00a0", 0);

  if (markup->len > 0)
    g_string_append (markup, "    ");
  /* A no-break space keeps a swatch with its text when the legend wraps. */
  g_string_append_printf (markup, "<span foreground=\"%s\">%s</span>\u00a0%s",
                          hex, symbol, item->str);
}

static void
update_legend (BuurtenThermometerBar *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  const BuurtenThermometer *t = self->thermometer;
  g_autoptr(GString) markup = NULL;
  GdkRGBA accent;
  GdkRGBA fg;
  GdkRGBA warning;

  g_clear_object (&self->legend);

  if (self->compact || t == NULL)
    return;

  accent = lookup_color (widget, "accent_bg_color", "#3584e4");
  fg = lookup_color (widget, "window_fg_color", "#000000");
  warning = lookup_color (widget, "warning_color", "#9c6e03");

  markup = g_string_new (NULL);
  /* Shares computed here: a summed thermometer (the city) has no
   * permille fields of its own. */
  append_legend_item (markup, &accent, "■", C_("thermometer", "Approved"),
                      t->approved_cents, buurten_money_permille (t->approved_cents,
                                                                 t->budget_cents));
  append_legend_item (markup, &fg, "■", C_("thermometer", "Spent"),
                      t->spent_cents, buurten_money_permille (t->spent_cents, t->budget_cents));
  append_legend_item (markup, &accent, "▨", C_("thermometer", "Pending"),
                      t->pending_cents, buurten_money_permille (t->pending_cents,
                                                                t->budget_cents));
  if (t->over_budget)
    {
      g_autofree char *hex = color_to_hex (&warning);
      g_autofree char *over = format_whole (t->over_cents);
      /* Translators: in the legend of a budget thermometer that is overrun */
      g_autofree char *text = g_strdup_printf (_("%s over budget"), over);
      g_autofree char *escaped = g_markup_escape_text (text, -1);
      g_autoptr(GString) item = g_string_new (escaped);

      g_string_replace (item, " ", "\u00a0", 0);
      g_string_append_printf (markup, "    <span foreground=\"%s\" weight=\"bold\">▲\u00a0%s</span>",
                              hex, item->str);
    }
  else
    {
      GdkRGBA trough = fg;

      trough.alpha = 0.35f;
      append_legend_item (markup, &trough, "□", C_("thermometer", "Free"),
                          MAX (t->free_cents, 0),
                          MAX (buurten_money_permille (t->free_cents, t->budget_cents), 0));
    }

  self->legend = gtk_widget_create_pango_layout (widget, NULL);
  pango_layout_set_markup (self->legend, markup->str, -1);
  pango_layout_set_wrap (self->legend, PANGO_WRAP_WORD);
}

static void
update_accessible (BuurtenThermometerBar *self)
{
  g_autofree char *description = NULL;
  double value = 0.0;

  if (self->thermometer != NULL)
    {
      g_autofree char *words = buurten_format_thermometer_description (self->thermometer);

      if (self->thermometer->over_budget)
        {
          g_autofree char *over = format_whole (self->thermometer->over_cents);

          /* Translators: added to what a screen reader says about an
           * overrun budget thermometer, e.g. "...; € 786 over budget" */
          description = g_strdup_printf (_("%1$s; %2$s over budget"), words, over);
        }
      else
        {
          description = g_steal_pointer (&words);
        }
      value = CLAMP (buurten_thermometer_committed_permille (self->thermometer), 0, 1000)
              / 1000.0;
    }
  else
    {
      description = g_strdup (_("No budget figures"));
    }

  gtk_level_bar_set_value (GTK_LEVEL_BAR (self->a11y_bar), value);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->a11y_bar),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, description,
                                  -1);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), description);
}

/* A compact bar is as high as its height request when it has one (the
 * cards of the city overview), else a thin line (the sidebar). */
static int
bar_height (BuurtenThermometerBar *self)
{
  int requested = -1;

  if (!self->compact)
    return BAR_HEIGHT;
  gtk_widget_get_size_request (GTK_WIDGET (self), NULL, &requested);
  return MAX (requested, COMPACT_BAR_HEIGHT);
}

static void
buurten_thermometer_bar_measure (GtkWidget      *widget,
                                 GtkOrientation  orientation,
                                 int             for_size,
                                 int            *minimum,
                                 int            *natural,
                                 int            *minimum_baseline,
                                 int            *natural_baseline)
{
  BuurtenThermometerBar *self = BUURTEN_THERMOMETER_BAR (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = MIN_WIDTH;
      *natural = self->compact ? 120 : 480;
      return;
    }

  *minimum = *natural = bar_height (self);
  if (self->legend != NULL)
    {
      int height = 0;

      pango_layout_set_width (self->legend, for_size > 0 ? for_size * PANGO_SCALE : -1);
      pango_layout_get_pixel_size (self->legend, NULL, &height);
      *minimum += LEGEND_SPACING + height;
      *natural = *minimum;
    }
}

static GtkSizeRequestMode
buurten_thermometer_bar_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
buurten_thermometer_bar_size_allocate (GtkWidget *widget,
                                       int        width,
                                       int        height,
                                       int        baseline)
{
  BuurtenThermometerBar *self = BUURTEN_THERMOMETER_BAR (widget);
  int min_width = 0;
  int min_height = 0;

  /* Allocated but never drawn: the level bar only speaks. */
  gtk_widget_measure (self->a11y_bar, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL,
                      NULL, NULL);
  gtk_widget_measure (self->a11y_bar, GTK_ORIENTATION_VERTICAL, -1, &min_height, NULL,
                      NULL, NULL);
  gtk_widget_size_allocate (self->a11y_bar,
                            &(GtkAllocation) { 0, 0, MAX (width, min_width),
                                               MAX (bar_height (self), min_height) },
                            -1);

  if (self->legend != NULL)
    pango_layout_set_width (self->legend, width * PANGO_SCALE);
}

static void
append_rect (GtkSnapshot   *snapshot,
             const GdkRGBA *color,
             float          x,
             float          y,
             float          width,
             float          height)
{
  if (width <= 0.0f)
    return;

  gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (x, y, width, height));
}

static void
buurten_thermometer_bar_snapshot (GtkWidget   *widget,
                                  GtkSnapshot *snapshot)
{
  BuurtenThermometerBar *self = BUURTEN_THERMOMETER_BAR (widget);
  const BuurtenThermometer *t = self->thermometer;
  float width = gtk_widget_get_width (widget);
  float height = bar_height (self);
  float radius = self->compact ? height / 2.0f : 6.0f;
  GskRoundedRect clip;
  GdkRGBA accent = lookup_color (widget, "accent_bg_color", "#3584e4");
  GdkRGBA fg = lookup_color (widget, "window_fg_color", "#000000");
  GdkRGBA warning = lookup_color (widget, "warning_bg_color", "#e5a50a");
  GdkRGBA trough = fg;
  GdkRGBA spent = fg;
  GdkRGBA hatch_back = accent;
  GdkRGBA transparent = { 0, 0, 0, 0 };

  if (width <= 0.0f)
    return;

  trough.alpha = 0.12f;
  spent.alpha = 0.45f;
  hatch_back.alpha = 0.3f;

  gsk_rounded_rect_init_from_rect (&clip, &GRAPHENE_RECT_INIT (0, 0, width, height), radius);
  gtk_snapshot_push_rounded_clip (snapshot, &clip);
  append_rect (snapshot, &trough, 0, 0, width, height);

  if (t != NULL)
    {
      gint64 committed = t->approved_cents + t->pending_cents;
      double scale_cents = MAX (t->budget_cents, committed);

      if (scale_cents > 0)
        {
          float approved_x = (float) (width * t->approved_cents / scale_cents);
          float spent_x = (float) (width * MIN (t->spent_cents, t->approved_cents) / scale_cents);
          float pending_x = (float) (width * committed / scale_cents);
          float budget_x = (float) (width * t->budget_cents / scale_cents);

          /* Approved, with the spent part darker on top of it. */
          append_rect (snapshot, &accent, 0, 0, approved_x, height);
          append_rect (snapshot, &spent, 0, 0, spent_x, height);

          /* Pending: hatched, so it never looks like approved money. */
          if (pending_x > approved_x)
            {
              GskColorStop stops[4] = {
                { 0.0f, accent }, { 0.5f, accent },
                { 0.5f, transparent }, { 1.0f, transparent },
              };
              graphene_rect_t rect = GRAPHENE_RECT_INIT (approved_x, 0,
                                                         pending_x - approved_x, height);

              append_rect (snapshot, &hatch_back, approved_x, 0, pending_x - approved_x, height);
              gtk_snapshot_append_repeating_linear_gradient (snapshot, &rect,
                                                             &GRAPHENE_POINT_INIT (0, 0),
                                                             &GRAPHENE_POINT_INIT (4, 4),
                                                             stops, G_N_ELEMENTS (stops));
            }

          /* A run-over: what lies beyond the budget in the warning colour. */
          if (t->over_budget && pending_x > budget_x)
            {
              GdkRGBA over = warning;

              over.alpha = 0.9f;
              append_rect (snapshot, &over, budget_x, 0, pending_x - budget_x, height);
              append_rect (snapshot, &fg, budget_x - 1.0f, 0, 2.0f, height);
            }
        }
    }

  gtk_snapshot_pop (snapshot);

  if (self->legend != NULL)
    {
      GdkRGBA text = fg;

      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (0, height + LEGEND_SPACING));
      gtk_snapshot_append_layout (snapshot, self->legend, &text);
      gtk_snapshot_restore (snapshot);
    }
}

static void
buurten_thermometer_bar_css_changed (GtkWidget         *widget,
                                     GtkCssStyleChange *change)
{
  BuurtenThermometerBar *self = BUURTEN_THERMOMETER_BAR (widget);

  GTK_WIDGET_CLASS (buurten_thermometer_bar_parent_class)->css_changed (widget, change);

  /* Light and dark have other colours in the legend's markup. */
  update_legend (self);
  gtk_widget_queue_resize (widget);
}

static void
buurten_thermometer_bar_dispose (GObject *object)
{
  BuurtenThermometerBar *self = (BuurtenThermometerBar *) object;

  g_clear_pointer (&self->a11y_bar, gtk_widget_unparent);
  g_clear_object (&self->legend);

  G_OBJECT_CLASS (buurten_thermometer_bar_parent_class)->dispose (object);
}

static void
buurten_thermometer_bar_finalize (GObject *object)
{
  BuurtenThermometerBar *self = (BuurtenThermometerBar *) object;

  g_clear_pointer (&self->thermometer, thermometer_free);

  G_OBJECT_CLASS (buurten_thermometer_bar_parent_class)->finalize (object);
}

static void
buurten_thermometer_bar_class_init (BuurtenThermometerBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = buurten_thermometer_bar_dispose;
  object_class->finalize = buurten_thermometer_bar_finalize;

  widget_class->measure = buurten_thermometer_bar_measure;
  widget_class->get_request_mode = buurten_thermometer_bar_get_request_mode;
  widget_class->size_allocate = buurten_thermometer_bar_size_allocate;
  widget_class->snapshot = buurten_thermometer_bar_snapshot;
  widget_class->css_changed = buurten_thermometer_bar_css_changed;

  gtk_widget_class_set_css_name (widget_class, "thermometer");
}

static void
buurten_thermometer_bar_init (BuurtenThermometerBar *self)
{
  self->a11y_bar = gtk_level_bar_new_for_interval (0.0, 1.0);
  gtk_widget_set_parent (self->a11y_bar, GTK_WIDGET (self));
  update_accessible (self);
}

GtkWidget *
buurten_thermometer_bar_new (void)
{
  return g_object_new (BUURTEN_TYPE_THERMOMETER_BAR, NULL);
}

void
buurten_thermometer_bar_set_thermometer (BuurtenThermometerBar    *self,
                                         const BuurtenThermometer *thermometer)
{
  g_return_if_fail (BUURTEN_IS_THERMOMETER_BAR (self));

  g_clear_pointer (&self->thermometer, thermometer_free);
  if (thermometer != NULL)
    self->thermometer = thermometer_copy (thermometer);

  update_legend (self);
  update_accessible (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

void
buurten_thermometer_bar_set_compact (BuurtenThermometerBar *self,
                                     gboolean               compact)
{
  g_return_if_fail (BUURTEN_IS_THERMOMETER_BAR (self));

  compact = !!compact;
  if (self->compact == compact)
    return;

  self->compact = compact;
  update_legend (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

const BuurtenThermometer *
buurten_thermometer_bar_get_thermometer (BuurtenThermometerBar *self)
{
  g_return_val_if_fail (BUURTEN_IS_THERMOMETER_BAR (self), NULL);

  return self->thermometer;
}

gboolean
buurten_thermometer_bar_get_compact (BuurtenThermometerBar *self)
{
  g_return_val_if_fail (BUURTEN_IS_THERMOMETER_BAR (self), FALSE);

  return self->compact;
}

GtkWidget *
buurten_thermometer_bar_get_accessible_bar (BuurtenThermometerBar *self)
{
  g_return_val_if_fail (BUURTEN_IS_THERMOMETER_BAR (self), NULL);

  return self->a11y_bar;
}
