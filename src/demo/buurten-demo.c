/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-demo"

#include "config.h"

#include "buurten-demo-private.h"

/* The demo database: a believable year of wijkgericht werken in Hilversum.
 * This file holds what every part of the year shares and writes the year;
 * buurten-demo-private.h says which file makes which part. */

/* ---- random numbers ------------------------------------------------- */

/* splitmix64: tiny, fast and good enough for demo data; its output does
 * not depend on the platform the way g_random's seeding does. */
static guint64
rng_next (DemoRng *rng)
{
  guint64 z = (rng->state += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

void
rng_init (DemoRng *rng,
          guint32  seed,
          guint64  stream)
{
  rng->state = ((guint64) seed << 32) ^ (stream * G_GUINT64_CONSTANT (0xd1b54a32d192ed03));
  rng_next (rng);
}

/* Uniform in [0, n); n > 0. */
guint32
rng_below (DemoRng *rng,
           guint32  n)
{
  return (guint32) (((rng_next (rng) >> 32) * (guint64) n) >> 32);
}

/* Uniform in [lo, hi]. */
int
rng_between (DemoRng *rng,
             int      lo,
             int      hi)
{
  if (hi <= lo)
    return lo;
  return lo + (int) rng_below (rng, (guint32) (hi - lo + 1));
}

gboolean
rng_percent (DemoRng *rng,
             guint    percent)
{
  return rng_below (rng, 100) < percent;
}

guint
rng_weighted (DemoRng     *rng,
              const guint *weights,
              guint        n)
{
  guint total = 0;
  guint r;

  for (guint i = 0; i < n; i++)
    total += weights[i];
  g_assert (total > 0);

  r = rng_below (rng, total);
  for (guint i = 0; i < n; i++)
    {
      if (r < weights[i])
        return i;
      r -= weights[i];
    }
  return n - 1;
}


/* A version 4 UUID made of PRNG bits, so ids are reproducible too. */
char *
rng_uuid (DemoRng *rng)
{
  guint8 b[16];
  guint64 hi = rng_next (rng);
  guint64 lo = rng_next (rng);

  for (guint i = 0; i < 8; i++)
    {
      b[i] = (guint8) (hi >> (56 - 8 * i));
      b[8 + i] = (guint8) (lo >> (56 - 8 * i));
    }
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;

  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
                          "%02x%02x%02x%02x%02x%02x",
                          b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
                          b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

/* ---- names and places ----------------------------------------------- */

static const WijkFlavour wijk_flavours[] = {
  { "noordoost",
    { "Liebergerweg", "Lopes Diasstraat", "Neuweg", "Diependaalselaan", "Bussumergrintweg",
      "Eikbosserweg" },
    { "het winkelcentrum aan de Lopes Diasstraat", NULL, NULL },
    "l.dekker", "h.vandersluis" },
  { "noordwest",
    { "Loosdrechtseweg", "Vaartweg", "Minckelersstraat", "Nieuwe Loosdrechtsedijk",
      "Kleine Drift", "Bachlaan" },
    { "winkelcentrum Kerkelanden", NULL, NULL },
    "s.bulut", "h.vandersluis" },
  { "zuid",
    { "Soestdijkerstraatweg", "Kolhornseweg", "Hoflaan", "Trompenbergerweg", "Egelshoek",
      "Beatrixlaan" },
    { "station Sportpark", NULL, NULL },
    "m.vandam", "p.koster" },
  { "zuidoost",
    { "Oude Amersfoortseweg", "Lorentzweg", "Kamerlingh Onneslaan", "Geraniumweg",
      "Violenstraat", "Seinhorststraat" },
    { "het Seinhorstplein", NULL, NULL },
    "r.ramdin", "a.yilmaz" },
  { "zuidwest",
    { "Utrechtseweg", "Van Riebeeckweg", "'s-Gravelandseweg", "Hilvertsweg", "Boomberglaan",
      "Julianaweg" },
    { "het Boombergpark", NULL, NULL },
    "k.hoekstra", "p.koster" },
  { "hilversumse_meent",
    { "Meentweg", "Wetering", "Slenk", "Kreek", "Heideweg", "Zonnedauw" },
    { "winkelcentrum De Meent", NULL, NULL },
    "j.kuipers", "w.lammers" },
  { "centrum",
    { "Kerkstraat", "Havenstraat", "Groest", "Leeuwenstraat", "Schoutenstraat",
      "Kerkbrink" },
    { "het Stationsplein", "de Kerkbrink", "de Groest" },
    "f.elamrani", "a.yilmaz" },
  { "oost",
    { "Larenseweg", "Gijsbrecht van Amstelstraat", "Oosterengweg", "Noodweg",
      "Koninginneweg", "Jan van der Heijdenstraat" },
    { "landgoed Anna's Hoeve", NULL, NULL },
    "t.brouwer", "w.lammers" },
};

/* For a municipality file with other wijken. */
const char * const generic_streets[] = {
  "Kerkstraat", "Schoolstraat", "Dorpsstraat", "Stationsweg", "Molenweg", "Beukenlaan",
};

static const char * const generic_places[] = {
  "het winkelcentrum", "het speelveld", "de basisschool", "het trapveldje", "de bushalte",
  "het buurthuis", "het park",
};


static const char * const partners[] = {
  "Politie", "Versa Welzijn", "Dudok Wonen", "Het Gooi en Omstreken",
  "Toezicht & Handhaving", "Sociaal Plein", "Openbare Ruimte",
};

static const char * const surnames[] = {
  "de Vries", "Jansen", "de Jong", "Bakker", "Visser", "Smit", "Meijer", "de Boer",
  "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker",
  "Brouwer", "de Wit", "Dijkstra", "de Graaf", "van der Meer", "van der Linden", "Kok",
  "Jacobs", "de Haan", "Vermeulen", "van den Berg", "van Dijk", "Schouten", "Willems",
  "Hoekstra", "Koster", "Prins", "Huisman", "El Idrissi", "Yildiz", "Nguyen", "Pinas",
};

static const char initials[] = "ABCDEFGHIJKLMNPRSTWY";

static const char * const theme_pool[] = {
  "Verkeersveiligheid", "Groen en spelen", "Eenzaamheid", "Schoon en heel", "Jongeren",
  "Samen in de buurt", "Veiligheid", "Duurzaamheid",
};


static void
demo_clear (Demo *demo)
{
  for (guint i = 0; i < demo->n_wijken; i++)
    {
      WijkPlan *wijk = &demo->wijken[i];

      g_free (wijk->buco);
      g_free (wijk->wethouder);
      g_clear_pointer (&wijk->themes, g_ptr_array_unref);
      g_clear_pointer (&wijk->requests, g_array_unref);
      g_clear_pointer (&wijk->initiatives, g_array_unref);
      g_clear_pointer (&wijk->escalations, g_array_unref);
    }
  g_clear_pointer (&demo->wijken, g_free);
  g_clear_pointer (&demo->tz, g_time_zone_unref);

  g_clear_pointer (&demo->requests, g_ptr_array_unref);
  g_clear_pointer (&demo->request_days, g_array_unref);
  g_clear_pointer (&demo->plans, g_ptr_array_unref);
  g_clear_pointer (&demo->initiatives, g_ptr_array_unref);
  g_clear_pointer (&demo->budget_lines, g_ptr_array_unref);
  g_clear_pointer (&demo->activities, g_ptr_array_unref);
  g_clear_pointer (&demo->agreements, g_ptr_array_unref);
  g_clear_pointer (&demo->decisions, g_ptr_array_unref);
  g_clear_pointer (&demo->commitments, g_ptr_array_unref);
  g_clear_pointer (&demo->signatures, g_ptr_array_unref);
  g_clear_pointer (&demo->payments, g_ptr_array_unref);
  g_clear_pointer (&demo->verantwoordingen, g_ptr_array_unref);
  g_clear_pointer (&demo->transfers, g_ptr_array_unref);
  g_clear_pointer (&demo->carry_overs, g_ptr_array_unref);
  g_clear_pointer (&demo->escalations, g_ptr_array_unref);
  g_clear_pointer (&demo->meetings, g_ptr_array_unref);
  g_clear_pointer (&demo->agenda_items, g_ptr_array_unref);
  g_clear_pointer (&demo->actions, g_ptr_array_unref);
  g_clear_pointer (&demo->notes, g_ptr_array_unref);
  g_clear_pointer (&demo->themes, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Demo, demo_clear)

/* ---- dates ----------------------------------------------------------- */

guint32
julian_of (int        year,
           GDateMonth month,
           int        day)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, (GDateDay) day, month, (GDateYear) year);
  return g_date_get_julian (&date);
}

static void
date_of (guint32  jd,
         GDate   *out)
{
  g_date_clear (out, 1);
  g_date_set_julian (out, jd);
}

static GDateWeekday
weekday_of (guint32 jd)
{
  GDate date;

  date_of (jd, &date);
  return g_date_get_weekday (&date);
}

gboolean
is_working_day (guint32 jd)
{
  GDate date;

  date_of (jd, &date);
  return buurten_date_is_working_day (&date);
}

/* The first day >= jd that falls on weekday. */
guint32
next_weekday (guint32      jd,
              GDateWeekday weekday)
{
  while (weekday_of (jd) != weekday)
    jd++;
  return jd;
}

guint32
minus_working_days (guint32 jd,
                    guint   n)
{
  while (n > 0 && jd > 1)
    {
      jd--;
      if (is_working_day (jd))
        n--;
    }
  return jd;
}

guint32
clamp_day (Demo    *demo,
           gint64   jd,
           guint32  not_before)
{
  gint64 lo = MAX ((gint64) demo->year_start, (gint64) not_before);

  return (guint32) CLAMP (jd, lo, MAX (lo, (gint64) demo->last_day));
}

/* Local Hilversum time, whatever the machine's time zone is. */
gint64
demo_timestamp (Demo    *demo,
                guint32  jd,
                int      hour,
                int      minute)
{
  g_autoptr(GDateTime) dt = NULL;
  GDate date;

  date_of (jd, &date);
  dt = g_date_time_new (demo->tz, g_date_get_year (&date), g_date_get_month (&date),
                        g_date_get_day (&date), hour, minute, 0);
  return g_date_time_to_unix (dt);
}

/* A time between hour_lo:00 and hour_hi:59 on day jd. The hour and the
 * minute are drawn in separate statements: the order in which C evaluates
 * function arguments is unspecified, and the database must not depend on
 * the compiler. */
gint64
demo_random_time (Demo    *demo,
                  DemoRng *rng,
                  guint32  jd,
                  int      hour_lo,
                  int      hour_hi)
{
  int hour = rng_between (rng, hour_lo, hour_hi);
  int minute = rng_between (rng, 0, 59);

  return demo_timestamp (demo, jd, hour, minute);
}

/* A day of the year up to today; weekends are quieter. */
guint32
demo_random_day (Demo    *demo,
                 DemoRng *rng)
{
  guint32 span = demo->last_day - demo->year_start + 1;
  guint32 jd = demo->year_start + rng_below (rng, span);
  GDateWeekday weekday = weekday_of (jd);

  if ((weekday == G_DATE_SATURDAY || weekday == G_DATE_SUNDAY) && rng_percent (rng, 60))
    jd = demo->year_start + rng_below (rng, span);
  return jd;
}

/* ---- small helpers --------------------------------------------------- */

char *
expand (const char *template,
        const char *street,
        const char *place,
        guint       number)
{
  GString *text = g_string_new (template);
  char nr[16];

  g_snprintf (nr, sizeof nr, "%u", number);
  g_string_replace (text, "{straat}", street, 0);
  g_string_replace (text, "{plek}", place, 0);
  g_string_replace (text, "{nr}", nr, 0);
  return g_string_free (text, FALSE);
}

const char *
wijk_street (WijkPlan *wijk,
             DemoRng  *rng)
{
  if (wijk->flavour != NULL)
    return RNG_PICK (rng, wijk->flavour->streets);
  return RNG_PICK (rng, generic_streets);
}

const char *
wijk_place (WijkPlan *wijk,
            DemoRng  *rng)
{
  /* A named place of the wijk now and then, otherwise a common one. */
  if (wijk->flavour != NULL && rng_percent (rng, 40))
    {
      guint n = 0;

      while (n < G_N_ELEMENTS (wijk->flavour->places) && wijk->flavour->places[n] != NULL)
        n++;
      if (n > 0)
        return wijk->flavour->places[rng_below (rng, n)];
    }
  return RNG_PICK (rng, generic_places);
}

char *
random_person (DemoRng *rng)
{
  const char *surname = RNG_PICK (rng, surnames);
  char initial = initials[rng_below (rng, sizeof initials - 1)];

  if (rng_percent (rng, 25))
    {
      char second = initials[rng_below (rng, sizeof initials - 1)];
      return g_strdup_printf ("%c.%c. %s", initial, second, surname);
    }
  return g_strdup_printf ("%c. %s", initial, surname);
}

/* Fictional contact data only: 06-1234… numbers and example.nl. */
/* A partner organisation, for assignees and owners of actions. */
const char *
random_partner (DemoRng *rng)
{
  return RNG_PICK (rng, partners);
}

char *
random_contact (DemoRng    *rng,
                const char *person)
{
  if (rng_percent (rng, 50))
    return g_strdup_printf ("06-1234%04u", rng_below (rng, 10000));
  else
    {
      GString *mail = g_string_new (NULL);
      const char *surname = strchr (person, ' ');

      g_string_append_c (mail, g_ascii_tolower (person[0]));
      g_string_append_c (mail, '.');
      for (const char *p = surname != NULL ? surname : person; *p != '\0'; p++)
        if (g_ascii_isalpha (*p))
          g_string_append_c (mail, g_ascii_tolower (*p));
      g_string_append (mail, "@example.nl");
      return g_string_free (mail, FALSE);
    }
}

int
compare_dated (gconstpointer a,
               gconstpointer b)
{
  const DatedIndex *x = a;
  const DatedIndex *y = b;

  if (x->jd != y->jd)
    return x->jd < y->jd ? -1 : 1;
  return x->index < y->index ? -1 : (x->index > y->index ? 1 : 0);
}

int
compare_plans_by_decision (gconstpointer a,
                           gconstpointer b)
{
  const InitiativePlan *x = *(InitiativePlan * const *) a;
  const InitiativePlan *y = *(InitiativePlan * const *) b;

  if (x->decided != y->decided)
    return x->decided < y->decided ? -1 : 1;
  return x->index < y->index ? -1 : (x->index > y->index ? 1 : 0);
}

/* The index of the last entry dated <= jd, or -1. */
int
dated_upper (GArray  *dated,
             guint32  jd)
{
  int lo = 0;
  int hi = (int) dated->len;

  while (lo < hi)
    {
      int mid = lo + (hi - lo) / 2;

      if (g_array_index (dated, DatedIndex, mid).jd <= jd)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo - 1;
}

const char *
user_for_role (WijkPlan    *wijk,
               BuurtenRole  role)
{
  switch (role)
    {
    case BUURTEN_ROLE_BUURTCOORDINATOR:
      return wijk->buco;
    case BUURTEN_ROLE_WIJKWETHOUDER:
      return wijk->wethouder;
    case BUURTEN_ROLE_WETHOUDER_BUURTEN:
      return WETHOUDER_BUURTEN;
    case BUURTEN_ROLE_TEAMMANAGER_SAMENLEVING:
      return TEAMMANAGER;
    case BUURTEN_ROLE_PARTNER:
    case BUURTEN_ROLE_ADMIN:
    case BUURTEN_N_ROLES:
    default:
      return "beheer";
    }
}

/* Splits n over the wijken by their budget share (largest remainder), so
 * that every wijk gets at least one when there are enough to go round. */
void
apportion (Demo  *demo,
           guint  n,
           guint *counts)
{
  g_autofree gint64 *remainders = g_new0 (gint64, demo->n_wijken);
  gint64 total = 0;
  guint given = 0;

  for (guint i = 0; i < demo->n_wijken; i++)
    total += MAX (demo->wijken[i].table_budget, 1);

  for (guint i = 0; i < demo->n_wijken; i++)
    {
      gint64 part = (gint64) n * MAX (demo->wijken[i].table_budget, 1);

      counts[i] = (guint) (part / total);
      remainders[i] = part % total;
      given += counts[i];
    }

  while (given < n)
    {
      guint best = 0;

      for (guint i = 1; i < demo->n_wijken; i++)
        if (remainders[i] > remainders[best])
          best = i;
      counts[best]++;
      remainders[best] = -1;
      given++;
    }

  if (n >= demo->n_wijken)
    {
      for (guint i = 0; i < demo->n_wijken; i++)
        {
          if (counts[i] == 0)
            {
              guint largest = 0;

              for (guint j = 1; j < demo->n_wijken; j++)
                if (counts[j] > counts[largest])
                  largest = j;
              counts[largest]--;
              counts[i]++;
            }
        }
    }
}

/* ---- set-up ---------------------------------------------------------- */

static gboolean
demo_init (Demo                     *demo,
           BuurtenMunicipality      *municipality,
           const BuurtenDemoOptions *options,
           GError                  **error)
{
  const BuurtenBudgetTable *budget_table;
  GPtrArray *wijken;

  memset (demo, 0, sizeof *demo);
  demo->municipality = municipality;
  demo->options = options;
  demo->year = options->year;

  if (!g_date_valid (&options->today))
    {
      g_set_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID,
                   _("The demo needs a valid date for today"));
      return FALSE;
    }
  if (options->year < 1900 || options->year > 9999)
    {
      g_set_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID,
                   _("The year %d is out of range"), options->year);
      return FALSE;
    }

  demo->year_start = julian_of (demo->year, G_DATE_JANUARY, 1);
  demo->year_end = julian_of (demo->year, G_DATE_DECEMBER, 31);
  demo->today = g_date_get_julian (&options->today);
  if (demo->today < demo->year_start)
    {
      g_set_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID,
                   _("Today lies before the demo year %d"), demo->year);
      return FALSE;
    }
  demo->last_day = MIN (demo->today, demo->year_end);

  budget_table = buurten_municipality_get_budget_table (municipality, demo->year);
  demo->mandate = buurten_municipality_get_mandate_table (municipality, demo->year);
  if (budget_table == NULL || demo->mandate == NULL)
    {
      g_set_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID,
                   _("The municipality has no budget or mandate table for %d"), demo->year);
      return FALSE;
    }

  wijken = buurten_municipality_get_wijken (municipality);
  if (wijken == NULL || wijken->len == 0)
    {
      g_set_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID,
                   _("The municipality has no wijken"));
      return FALSE;
    }

  demo->tz = g_time_zone_new_identifier ("Europe/Amsterdam");
  if (demo->tz == NULL)
    demo->tz = g_time_zone_new_utc ();

  demo->n_wijken = wijken->len;
  demo->wijken = g_new0 (WijkPlan, demo->n_wijken);
  for (guint i = 0; i < wijken->len; i++)
    {
      const BuurtenWijk *source = g_ptr_array_index (wijken, i);
      WijkPlan *wijk = &demo->wijken[i];

      wijk->id = source->id;
      wijk->name = source->name;
      wijk->cluster = source->cluster;
      for (guint f = 0; f < G_N_ELEMENTS (wijk_flavours); f++)
        if (g_strcmp0 (wijk_flavours[f].id, source->id) == 0)
          wijk->flavour = &wijk_flavours[f];
      if (wijk->flavour != NULL)
        {
          wijk->buco = g_strdup (wijk->flavour->buco);
          wijk->wethouder = g_strdup (wijk->flavour->wethouder);
        }
      else
        {
          wijk->buco = g_strdup_printf ("buco.%s", source->id);
          wijk->wethouder = g_strdup_printf ("wethouder.%s", source->id);
        }

      wijk->table_budget = buurten_municipality_wijk_budget (municipality, source->id,
                                                             demo->year);
      wijk->table_budget = MAX (wijk->table_budget, 0);
      for (guint b = 0; b < budget_table->wijken->len; b++)
        {
          const BuurtenWijkBudget *row = g_ptr_array_index (budget_table->wijken, b);

          if (g_strcmp0 (row->wijk, source->id) == 0)
            wijk->handgeld_budget = row->handgeld_cents;
        }
      wijk->budget = wijk->table_budget;
      wijk->themes = g_ptr_array_new ();
      wijk->requests = g_array_new (FALSE, FALSE, sizeof (DatedIndex));
      wijk->initiatives = g_array_new (FALSE, FALSE, sizeof (DatedIndex));
      wijk->escalations = g_array_new (FALSE, FALSE, sizeof (DatedIndex));
    }

  demo->pot_budget = buurten_municipality_pot_budget (municipality, "wijkkansen", demo->year);

#define NEW_ROWS(field, type) \
  demo->field = g_ptr_array_new_with_free_func ((GDestroyNotify) buurten_##type##_free)
  NEW_ROWS (requests, request);
  NEW_ROWS (initiatives, initiative);
  NEW_ROWS (budget_lines, budget_line);
  NEW_ROWS (activities, activity);
  NEW_ROWS (agreements, agreement);
  NEW_ROWS (decisions, decision);
  NEW_ROWS (commitments, commitment);
  NEW_ROWS (signatures, signature);
  NEW_ROWS (payments, payment);
  NEW_ROWS (verantwoordingen, verantwoording);
  NEW_ROWS (transfers, transfer);
  NEW_ROWS (carry_overs, carry_over);
  NEW_ROWS (escalations, escalation);
  NEW_ROWS (meetings, meeting);
  NEW_ROWS (agenda_items, agenda_item);
  NEW_ROWS (actions, action);
  NEW_ROWS (notes, note);
  NEW_ROWS (themes, theme);
#undef NEW_ROWS
  demo->plans = g_ptr_array_new_with_free_func (g_free);
  demo->request_days = g_array_new (FALSE, FALSE, sizeof (guint32));

  return TRUE;
}

/* ---- themes ---------------------------------------------------------- */

static void
demo_make_themes (Demo *demo)
{
  DemoRng rng;

  rng_init (&rng, demo->options->seed, STREAM_THEMES);

  for (guint i = 0; i < demo->n_wijken; i++)
    {
      WijkPlan *wijk = &demo->wijken[i];
      guint order[G_N_ELEMENTS (theme_pool)];
      guint n = (guint) rng_between (&rng, 2, 3);

      for (guint k = 0; k < G_N_ELEMENTS (order); k++)
        order[k] = k;
      /* Fisher-Yates on the pool, then the first n. */
      for (guint k = G_N_ELEMENTS (order) - 1; k > 0; k--)
        {
          guint j = rng_below (&rng, k + 1);
          guint swap = order[k];

          order[k] = order[j];
          order[j] = swap;
        }

      for (guint k = 0; k < n; k++)
        {
          BuurtenTheme *theme = buurten_theme_new ();

          theme->id = rng_uuid (&rng);
          theme->wijk = g_strdup (wijk->id);
          theme->year = demo->year;
          theme->title = g_strdup (theme_pool[order[k]]);
          theme->position = k + 1;
          g_ptr_array_add (wijk->themes, theme->title);
          g_ptr_array_add (demo->themes, theme);
        }
    }
}

/* ---- writing --------------------------------------------------------- */

typedef struct
{
  const BuurtenEntityInfo *info;
  GPtrArray               *rows;
  gboolean                 written;
} DemoTable;

static gboolean
demo_put_rows (BuurtenStore        *store,
               DemoTable           *table,
               guint               *done,
               guint                total,
               guint               *last_percent,
               BuurtenDemoProgress  progress,
               gpointer             user_data,
               GError             **error)
{
  for (guint r = 0; r < table->rows->len; r++)
    {
      if (!buurten_store_put (store, table->info, g_ptr_array_index (table->rows, r),
                              DEMO_ACTOR, NULL, NULL, error))
        return FALSE;

      (*done)++;
      if (progress != NULL && (guint) ((guint64) *done * 100 / total) != *last_percent)
        {
          *last_percent = (guint) ((guint64) *done * 100 / total);
          progress (*done, total, user_data);
        }
    }
  table->written = TRUE;
  return TRUE;
}

static gboolean
demo_write (Demo                *demo,
            BuurtenStore        *store,
            BuurtenDemoProgress  progress,
            gpointer             user_data,
            GError             **error)
{
  DemoTable tables[] = {
    { &buurten_theme_info, demo->themes, FALSE },
    { &buurten_initiative_info, demo->initiatives, FALSE },
    { &buurten_budget_line_info, demo->budget_lines, FALSE },
    { &buurten_activity_info, demo->activities, FALSE },
    { &buurten_agreement_info, demo->agreements, FALSE },
    { &buurten_decision_info, demo->decisions, FALSE },
    { &buurten_commitment_info, demo->commitments, FALSE },
    { &buurten_signature_info, demo->signatures, FALSE },
    { &buurten_payment_info, demo->payments, FALSE },
    { &buurten_verantwoording_info, demo->verantwoordingen, FALSE },
    { &buurten_transfer_info, demo->transfers, FALSE },
    { &buurten_carry_over_info, demo->carry_overs, FALSE },
    { &buurten_request_info, demo->requests, FALSE },
    { &buurten_escalation_info, demo->escalations, FALSE },
    { &buurten_meeting_info, demo->meetings, FALSE },
    { &buurten_agenda_item_info, demo->agenda_items, FALSE },
    { &buurten_action_info, demo->actions, FALSE },
    { &buurten_note_info, demo->notes, FALSE },
  };
  guint total = 0;
  guint done = 0;
  guint last_percent = 0;

  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    total += tables[t].rows->len;
  total = MAX (total, 1);

  if (progress != NULL)
    progress (0, total, user_data);

  /* Parents before children, in the order the entity layer prescribes. */
  for (guint i = 0; buurten_entity_infos[i] != NULL; i++)
    for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
      if (tables[t].info == buurten_entity_infos[i] && !tables[t].written &&
          !demo_put_rows (store, &tables[t], &done, total, &last_percent,
                          progress, user_data, error))
        return FALSE;

  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    if (!tables[t].written &&
        !demo_put_rows (store, &tables[t], &done, total, &last_percent,
                        progress, user_data, error))
      return FALSE;

  if (progress != NULL && last_percent != 100)
    progress (total, total, user_data);
  return TRUE;
}

/* The whole year in one unit of work on the store's writer: all or
 * nothing. */
typedef struct
{
  Demo                *demo;
  BuurtenDemoProgress  progress;
  gpointer             user_data;
} DemoUnit;

static gboolean
demo_write_unit (BuurtenStore  *store,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  DemoUnit *unit = data;

  return demo_write (unit->demo, store, unit->progress, unit->user_data, error);
}

/* ---- public API ------------------------------------------------------ */

void
buurten_demo_options_init (BuurtenDemoOptions *options)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->seed = 20261;
  options->year = g_date_time_get_year (now);
  g_date_clear (&options->today, 1);
  g_date_set_dmy (&options->today, (GDateDay) g_date_time_get_day_of_month (now),
                  (GDateMonth) g_date_time_get_month (now),
                  (GDateYear) g_date_time_get_year (now));
}

GPtrArray *
buurten_demo_make_requests (BuurtenMunicipality      *municipality,
                            const BuurtenDemoOptions *options,
                            guint                     n,
                            GError                  **error)
{
  g_auto(Demo) demo = { 0, };
  GPtrArray *requests;

  g_return_val_if_fail (BUURTEN_IS_MUNICIPALITY (municipality), NULL);
  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!demo_init (&demo, municipality, options, error))
    return NULL;

  demo_make_requests (&demo, n, STREAM_REQUESTS);
  requests = g_steal_pointer (&demo.requests);
  return requests;
}

gboolean
buurten_demo_generate (BuurtenStore             *store,
                       BuurtenMunicipality      *municipality,
                       const BuurtenDemoOptions *options,
                       BuurtenDemoProgress       progress,
                       gpointer                  user_data,
                       GError                  **error)
{
  g_auto(Demo) demo = { 0, };
  guint n_requests;
  guint n_initiatives;

  g_return_val_if_fail (BUURTEN_IS_STORE (store), FALSE);
  g_return_val_if_fail (BUURTEN_IS_MUNICIPALITY (municipality), FALSE);
  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  n_requests = options->n_requests != 0 ? options->n_requests : DEMO_DEFAULT_REQUESTS;
  n_initiatives = options->n_initiatives != 0 ? options->n_initiatives
                                              : DEMO_DEFAULT_INITIATIVES;
  if (n_requests > DEMO_MAX_REQUESTS || n_initiatives > DEMO_MAX_INITIATIVES)
    {
      g_set_error (error, BUURTEN_CORE_ERROR, BUURTEN_CORE_ERROR_INVALID,
                   _("The demo makes at most %u requests and %u initiatives"),
                   DEMO_MAX_REQUESTS, DEMO_MAX_INITIATIVES);
      return FALSE;
    }

  if (!demo_init (&demo, municipality, options, error))
    return FALSE;

  demo_make_themes (&demo);
  demo_make_requests (&demo, n_requests, STREAM_REQUESTS);

  /* The dashboard needs something overdue, and something far overdue. */
  if (demo.requests->len >= 2)
    {
      guint term = (guint) ((BuurtenRequest *) g_ptr_array_index (demo.requests, 0))->term_days;
      guint32 *days = (guint32 *) (gpointer) demo.request_days->data;

      demo_make_overdue (&demo, g_ptr_array_index (demo.requests, 0), &days[0], term + 4);
      term = (guint) ((BuurtenRequest *) g_ptr_array_index (demo.requests, 1))->term_days;
      demo_make_overdue (&demo, g_ptr_array_index (demo.requests, 1), &days[1], 3 * term + 6);
    }
  demo_index_requests (&demo);

  demo_make_budget_moves (&demo);
  demo_make_initiatives (&demo, n_initiatives);
  demo_make_intake (&demo);
  demo_make_verantwoordingen (&demo);
  demo_make_escalations (&demo);
  demo_make_meetings (&demo);
  demo_make_notes (&demo);

  if (!buurten_store_import_municipality (store, municipality, error))
    return FALSE;

  {
    DemoUnit unit = { &demo, progress, user_data };

    return buurten_store_write (store, demo_write_unit, &unit, NULL, error);
  }
}
