/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-format"

#include "config.h"

#include "buurten-format.h"

#include <glib/gi18n.h>
#include <string.h>

static char *
format_whole (gint64 cents)
{
  return buurten_money_format_full (cents,
                                    buurten_money_locale_default (),
                                    BUURTEN_MONEY_FORMAT_WHOLE_EUROS);
}

char *
buurten_format_thermometer_description (const BuurtenThermometer *thermometer)
{
  g_autofree char *budget = NULL;
  g_autofree char *approved = NULL;
  g_autofree char *pending = NULL;
  g_autofree char *spent = NULL;
  g_autofree char *committed = NULL;

  g_return_val_if_fail (thermometer != NULL, NULL);

  budget = format_whole (thermometer->budget_cents);
  approved = format_whole (thermometer->approved_cents);
  pending = format_whole (thermometer->pending_cents);
  spent = format_whole (thermometer->spent_cents);
  committed = buurten_format_percent (buurten_thermometer_committed_permille (thermometer));

  /* Translators: what a screen reader says about the budget thermometer of
   * a wijk: its name, its budget, the approved, pending and spent amounts,
   * and the share of the budget committed (approved + pending), e.g.
   * "Centrum: € 32.500 budget, € 12.400 approved, € 1.500 pending, € 4.100
   * spent, 43% committed". */
  return g_strdup_printf (_("%1$s: %2$s budget, %3$s approved, %4$s pending, %5$s spent, "
                            "%6$s committed"),
                          thermometer->name, budget, approved, pending, spent, committed);
}

char *
buurten_format_thermometer_summary (const BuurtenThermometer *thermometer)
{
  g_autofree char *committed = NULL;
  g_autofree char *free_amount = NULL;

  g_return_val_if_fail (thermometer != NULL, NULL);

  committed = buurten_format_percent (buurten_thermometer_committed_permille (thermometer));

  if (thermometer->over_budget)
    {
      g_autofree char *over = buurten_money_format (thermometer->over_cents);

      /* Translators: below a budget thermometer that is overrun, e.g.
       * "102% committed · € 786,00 over budget" */
      return g_strdup_printf (_("%1$s committed · %2$s over budget"), committed, over);
    }

  free_amount = buurten_money_format (MAX (thermometer->free_cents, 0));

  /* Translators: below a budget thermometer, e.g. "43% committed · € 18.600,00 free" */
  return g_strdup_printf (_("%1$s committed · %2$s free"), committed, free_amount);
}

void
buurten_level_bar_thermometer_init (GtkLevelBar *bar)
{
  g_return_if_fail (GTK_IS_LEVEL_BAR (bar));

  gtk_level_bar_set_min_value (bar, 0.0);
  gtk_level_bar_set_max_value (bar, 1.0);
  gtk_level_bar_remove_offset_value (bar, GTK_LEVEL_BAR_OFFSET_LOW);
  gtk_level_bar_remove_offset_value (bar, GTK_LEVEL_BAR_OFFSET_FULL);
  gtk_level_bar_add_offset_value (bar, GTK_LEVEL_BAR_OFFSET_HIGH, 1.0);
  gtk_widget_add_css_class (GTK_WIDGET (bar), "thermometer");
}

void
buurten_level_bar_thermometer_update (GtkLevelBar              *bar,
                                const BuurtenThermometer *thermometer)
{
  g_autofree char *description = NULL;
  int committed;

  g_return_if_fail (GTK_IS_LEVEL_BAR (bar));
  g_return_if_fail (thermometer != NULL);

  committed = buurten_thermometer_committed_permille (thermometer);
  gtk_level_bar_set_value (bar, CLAMP (committed, 0, 1000) / 1000.0);

  if (thermometer->over_budget)
    gtk_widget_add_css_class (GTK_WIDGET (bar), "over-budget");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (bar), "over-budget");

  description = buurten_format_thermometer_description (thermometer);
  gtk_accessible_update_property (GTK_ACCESSIBLE (bar),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, description,
                                  -1);
}

static char *
format_date_time (GDateTime *time,
                  gboolean   with_time)
{
  /* Translators: a short date, strftime-like (see g_date_time_format()),
   * e.g. "Mon 27 Apr"; in Dutch "ma 27 apr" */
  const char *date_format = _("%a %-d %b");
  /* Translators: a short date with time, e.g. "Mon 27 Apr 14:00" */
  const char *date_time_format = _("%a %-d %b %H:%M");
  g_autofree char *text = g_date_time_format (time, with_time ? date_time_format : date_format);

  /* Some locales end abbreviations with a dot ("apr."): keep it short. */
  if (text != NULL && g_str_has_suffix (text, ".") && !with_time)
    text[strlen (text) - 1] = '\0';

  return g_steal_pointer (&text);
}

char *
buurten_format_date (const GDate *date)
{
  g_autoptr(GDateTime) time = NULL;

  g_return_val_if_fail (date != NULL, NULL);

  if (!g_date_valid (date))
    return g_strdup ("");

  time = g_date_time_new_local (g_date_get_year (date), g_date_get_month (date),
                                g_date_get_day (date), 12, 0, 0);
  return time != NULL ? format_date_time (time, FALSE) : g_strdup ("");
}

char *
buurten_format_timestamp (gint64 unix_seconds)
{
  g_autoptr(GDateTime) time = NULL;

  if (unix_seconds == 0)
    return g_strdup ("");
  time = g_date_time_new_from_unix_local (unix_seconds);
  return time != NULL ? format_date_time (time, TRUE) : g_strdup ("");
}

char *
buurten_format_timestamp_date (gint64 unix_seconds)
{
  g_autoptr(GDateTime) time = NULL;

  if (unix_seconds == 0)
    return g_strdup ("");
  time = g_date_time_new_from_unix_local (unix_seconds);
  return time != NULL ? format_date_time (time, FALSE) : g_strdup ("");
}

const char *
buurten_format_request_type (BuurtenRequestType type)
{
  switch (type)
    {
    case BUURTEN_REQUEST_TYPE_VRAAG:   return C_("request type", "Question");
    case BUURTEN_REQUEST_TYPE_KLACHT:  return C_("request type", "Complaint");
    case BUURTEN_REQUEST_TYPE_MELDING: return C_("request type", "Report");
    case BUURTEN_REQUEST_TYPE_IDEE:    return C_("request type", "Idea");
    default:                           return "";
    }
}

const char *
buurten_format_meeting_kind (BuurtenMeetingKind kind)
{
  switch (kind)
    {
    case BUURTEN_MEETING_WIJKOVERLEG:     return _("Wijkoverleg");
    case BUURTEN_MEETING_WIJKTEAM:        return _("Wijkteam");
    case BUURTEN_MEETING_STURINGSOVERLEG: return _("Sturingsoverleg");
    case BUURTEN_MEETING_BUURTSCHOUW:     return _("Buurtschouw");
    default:                              return "";
    }
}

/* The name of a field as people know it; the id for fields not listed. */
const char *
buurten_format_field_label (const char *field)
{
  static const struct
  {
    const char *field;
    const char *label;
  } labels[] = {
    { "title", N_("Title") },
    { "description", N_("Description") },
    { "body", N_("Text") },
    { "category", N_("Category") },
    { "reporter_name", N_("Reporter") },
    { "reporter_contact", N_("Contact") },
    { "organiser", N_("Organiser") },
    { "requested_cents", N_("Requested amount") },
    { "theme", N_("Theme") },
    { "support_note", N_("Support") },
    { "location", N_("Location") },
    { "starts_at", N_("Start") },
    { "position", N_("Position") },
  };

  for (guint i = 0; field != NULL && i < G_N_ELEMENTS (labels); i++)
    if (g_str_equal (field, labels[i].field))
      return _(labels[i].label);
  return field != NULL ? field : "?";
}
