/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-demo"

#include "config.h"

#include "buurten-demo.h"

#include <glib/gi18n.h>
#include <string.h>

/* The demo database: a believable year of wijkgericht werken in Hilversum.
 *
 * Everything is derived from options->seed, options->year and
 * options->today, never from the clock or g_random, so that the same
 * options give the same database byte for byte in its content (screenshots,
 * bug reports and tests rely on that). Each part of the year draws from its
 * own random stream, so asking for more requests does not change the
 * initiatives. The whole year is built in memory first and then written in
 * one transaction, which makes progress exact and 100 000 requests fast. */

#define DEMO_MAX_REQUESTS     100000
#define DEMO_MAX_INITIATIVES  10000
#define DEMO_DEFAULT_REQUESTS 1200
#define DEMO_DEFAULT_INITIATIVES 160
#define EUR(e) ((gint64) (e) * 100)
#define DEMO_ACTOR "demo"

/* ---- random numbers ------------------------------------------------- */

typedef struct
{
  guint64 state;
} DemoRng;

enum
{
  STREAM_THEMES = 1,
  STREAM_REQUESTS,
  STREAM_INITIATIVES,
  STREAM_DECISIONS,
  STREAM_BUDGET,
  STREAM_ESCALATIONS,
  STREAM_MEETINGS,
  STREAM_NOTES,
};

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

static void
rng_init (DemoRng *rng,
          guint32  seed,
          guint64  stream)
{
  rng->state = ((guint64) seed << 32) ^ (stream * G_GUINT64_CONSTANT (0xd1b54a32d192ed03));
  rng_next (rng);
}

/* Uniform in [0, n); n > 0. */
static guint32
rng_below (DemoRng *rng,
           guint32  n)
{
  return (guint32) (((rng_next (rng) >> 32) * (guint64) n) >> 32);
}

/* Uniform in [lo, hi]. */
static int
rng_between (DemoRng *rng,
             int      lo,
             int      hi)
{
  if (hi <= lo)
    return lo;
  return lo + (int) rng_below (rng, (guint32) (hi - lo + 1));
}

static gboolean
rng_percent (DemoRng *rng,
             guint    percent)
{
  return rng_below (rng, 100) < percent;
}

static guint
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

#define RNG_PICK(rng, array) ((array)[rng_below ((rng), G_N_ELEMENTS (array))])

/* A version 4 UUID made of PRNG bits, so ids are reproducible too. */
static char *
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

/* ---- the content ---------------------------------------------------- */

typedef struct
{
  const char *id;
  const char *streets[6];
  const char *places[3];
  const char *buco;       /* username of the (fictional) buurtcoördinator */
  const char *wethouder;  /* username of the (fictional) wijkwethouder */
} WijkFlavour;

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
static const char * const generic_streets[] = {
  "Kerkstraat", "Schoolstraat", "Dorpsstraat", "Stationsweg", "Molenweg", "Beukenlaan",
};

static const char * const generic_places[] = {
  "het winkelcentrum", "het speelveld", "de basisschool", "het trapveldje", "de bushalte",
  "het buurthuis", "het park",
};

#define WETHOUDER_BUURTEN "g.verbeek"
#define TEAMMANAGER "i.schipper"

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

typedef struct
{
  BuurtenRequestType  type;
  const char         *category;
  const char         *assignee;
  const char         *title;        /* {straat}, {plek} and {nr} are filled in */
  const char         *description;
} RequestTemplate;

static const RequestTemplate request_templates[] = {
  { BUURTEN_REQUEST_TYPE_MELDING, "Openbare ruimte", "Openbare Ruimte",
    "Losliggende stoeptegels {straat}",
    "Op de stoep van de {straat} liggen meerdere tegels los. Voor ouderen met een rollator "
    "is dat gevaarlijk." },
  { BUURTEN_REQUEST_TYPE_MELDING, "Verlichting", "Openbare Ruimte",
    "Lantaarnpaal kapot bij de {straat}",
    "De lantaarnpaal ter hoogte van nummer {nr} brandt al een week niet. 's Avonds is het "
    "er erg donker." },
  { BUURTEN_REQUEST_TYPE_KLACHT, "Verkeer", "Politie",
    "Er wordt te hard gereden op de {straat}",
    "Vooral 's avonds rijden auto's en scooters veel te hard. Er spelen hier veel kinderen; "
    "kan er een snelheidscontrole of een drempel komen?" },
  { BUURTEN_REQUEST_TYPE_MELDING, "Afval", "Openbare Ruimte",
    "Zwerfafval rond {plek}",
    "Rond {plek} ligt veel zwerfafval, vooral blikjes en verpakkingen. De prullenbakken "
    "zitten steeds vol." },
  { BUURTEN_REQUEST_TYPE_KLACHT, "Overlast", "Versa Welzijn",
    "Overlast van jongeren bij {plek}",
    "'s Avonds hangen groepjes jongeren rond bij {plek}. Er is lawaai en er blijft afval "
    "achter." },
  { BUURTEN_REQUEST_TYPE_KLACHT, "Overlast", "Toezicht & Handhaving",
    "Hondenpoep in het park aan de {straat}",
    "In het park aan de {straat} ligt overal hondenpoep, ook op het grasveld waar kinderen "
    "spelen." },
  { BUURTEN_REQUEST_TYPE_MELDING, "Openbare ruimte", "Openbare Ruimte",
    "Bankje in het park aan de {straat} is kapot",
    "Van het bankje bij de vijver zijn twee planken gebroken. Er kan niemand meer op "
    "zitten." },
  { BUURTEN_REQUEST_TYPE_VRAAG, "Welzijn", "Sociaal Plein",
    "Buurvrouw aan de {straat} lijkt eenzaam",
    "Mijn buurvrouw van 84 komt nauwelijks nog buiten. Is er iemand die eens bij haar langs "
    "kan gaan?" },
  { BUURTEN_REQUEST_TYPE_KLACHT, "Wonen", "Dudok Wonen",
    "Schimmel in portiekwoningen {straat}",
    "In meerdere woningen aan de {straat} zit schimmel op de slaapkamers. De verhuurder "
    "reageert niet." },
  { BUURTEN_REQUEST_TYPE_MELDING, "Groen", "Openbare Ruimte",
    "Overhangende takken {straat}",
    "Takken van de bomen langs de {straat} hangen zo laag dat je er op de stoep niet meer "
    "onderdoor kunt." },
  { BUURTEN_REQUEST_TYPE_IDEE, "Groen", "Openbare Ruimte",
    "Idee: geveltuintjes in de {straat}",
    "Een paar buren willen geveltuintjes aanleggen. Mogen we daarvoor tegels uit de stoep "
    "halen?" },
  { BUURTEN_REQUEST_TYPE_IDEE, "Spelen", "Versa Welzijn",
    "Idee: speelstraat op woensdagmiddag in de {straat}",
    "Wij willen de {straat} op woensdagmiddag afsluiten zodat kinderen buiten kunnen spelen." },
  { BUURTEN_REQUEST_TYPE_VRAAG, "Afval", "Openbare Ruimte",
    "Vraag over ophalen grofvuil {straat}",
    "Sinds de nieuwe ophaalroute wordt het grofvuil aan de {straat} niet meer opgehaald. "
    "Waar kan ik dat melden?" },
  { BUURTEN_REQUEST_TYPE_KLACHT, "Parkeren", "Toezicht & Handhaving",
    "Auto's parkeren op de stoep in de {straat}",
    "Er wordt structureel op de stoep geparkeerd. Met een kinderwagen moet je de weg op." },
  { BUURTEN_REQUEST_TYPE_MELDING, "Afval", "Openbare Ruimte",
    "Ondergrondse container vol bij {plek}",
    "De container bij {plek} is al dagen vol en er staan zakken naast." },
  { BUURTEN_REQUEST_TYPE_KLACHT, "Overlast", "Politie",
    "Geluidsoverlast 's nachts bij {plek}",
    "Bijna elke nacht is er rond {plek} harde muziek en geschreeuw tot ver na middernacht." },
  { BUURTEN_REQUEST_TYPE_MELDING, "Veiligheid", "Politie",
    "Verdachte situatie bij de garageboxen aan de {straat}",
    "Bij de garageboxen komen 's avonds steeds wisselende auto's en personen. Buren voelen "
    "zich niet veilig." },
  { BUURTEN_REQUEST_TYPE_VRAAG, "Welzijn", "Sociaal Plein",
    "Hulp gezocht bij het invullen van formulieren",
    "Mijn buurman aan de {straat} spreekt weinig Nederlands en krijgt brieven die hij niet "
    "begrijpt. Waar kan hij terecht?" },
  { BUURTEN_REQUEST_TYPE_MELDING, "Verkeer", "Openbare Ruimte",
    "Gat in het fietspad langs de {straat}",
    "In het fietspad ter hoogte van nummer {nr} zit een diep gat. Er is al iemand gevallen." },
  { BUURTEN_REQUEST_TYPE_KLACHT, "Wonen", "Het Gooi en Omstreken",
    "Portiek aan de {straat} wordt niet schoongemaakt",
    "Het trappenhuis op nummer {nr} is al maanden niet schoongemaakt terwijl we er wel voor "
    "betalen." },
  { BUURTEN_REQUEST_TYPE_VRAAG, "Spelen", "Openbare Ruimte",
    "Wanneer wordt de speeltuin aan de {straat} opgeknapt?",
    "De glijbaan is al maanden afgezet met linten. Wanneer kunnen de kinderen er weer "
    "spelen?" },
  { BUURTEN_REQUEST_TYPE_MELDING, "Groen", "Openbare Ruimte",
    "Onkruid tussen de tegels {straat}",
    "Het onkruid op de stoep van de {straat} staat kniehoog." },
  { BUURTEN_REQUEST_TYPE_IDEE, "Samen", "Versa Welzijn",
    "Idee: buurtkamer in het lege pand aan de {straat}",
    "Het pand op nummer {nr} staat al een jaar leeg. Buren willen er een buurtkamer van maken "
    "voor koffie en ontmoeting." },
  { BUURTEN_REQUEST_TYPE_KLACHT, "Verkeer", "Toezicht & Handhaving",
    "Fietsers rijden door het voetgangersgebied bij {plek}",
    "Bij {plek} wordt hard gefietst tussen de voetgangers door." },
  { BUURTEN_REQUEST_TYPE_MELDING, "Openbare ruimte", "Openbare Ruimte",
    "Graffiti op de muur bij {plek}",
    "Op de muur bij {plek} is opnieuw graffiti gespoten, deze keer met scheldwoorden." },
  { BUURTEN_REQUEST_TYPE_VRAAG, "Jongeren", "Versa Welzijn",
    "Is er iets te doen voor tieners rond de {straat}?",
    "Mijn kinderen van 13 en 15 vervelen zich. Zijn er activiteiten voor tieners in de "
    "buurt?" },
  { BUURTEN_REQUEST_TYPE_MELDING, "Verkeer", "Openbare Ruimte",
    "Verkeersbord omgereden op de {straat}",
    "Het verkeersbord op de hoek van de {straat} ligt op de grond." },
  { BUURTEN_REQUEST_TYPE_KLACHT, "Overlast", "Toezicht & Handhaving",
    "Fietswrakken bij {plek}",
    "Bij {plek} staan al maanden fietswrakken die de stalling blokkeren." },
};

static const char * const request_extras[] = {
  "Dit speelt al een paar weken.",
  "Ik heb het eerder gemeld, maar er is niets gebeurd.",
  "Graag hoor ik wanneer dit wordt opgepakt.",
  "Ik woon op nummer {nr}.",
  "Mijn buren ergeren zich er ook aan.",
  "Ik heb foto's als u die nodig heeft.",
  "Het is vooral in het weekend erg.",
};

typedef struct
{
  const char *title;
  const char *description;
  const char *theme;    /* the theme it fits best */
  int         min_eur;
  int         max_eur;
  guint       weight;
} InitiativeTemplate;

static const InitiativeTemplate initiative_templates[] = {
  { "Buurtfeest {straat}",
    "Jaarlijks buurtfeest met springkussen, muziek en een gezamenlijke barbecue voor de "
    "hele buurt. Bewoners regelen zelf de opbouw en het opruimen.",
    "Samen in de buurt", 250, 1500, 14 },
  { "Moestuin bij {plek}",
    "Bewoners willen samen een moestuin beginnen met bakken op het grasveld. De oogst "
    "delen we met de buurt en de basisschool doet mee.",
    "Groen en spelen", 400, 3500, 8 },
  { "Bomen planten in de {straat}",
    "Samen met de gemeente planten bewoners tien bomen en zorgen zij de eerste twee jaar "
    "voor het water geven.",
    "Groen en spelen", 500, 6000, 6 },
  { "Speeltuin {straat} opknappen",
    "Ouders uit de buurt knappen de speeltuin op: nieuwe zandbak, een duikelrek en verf "
    "voor de toestellen. Zij doen het werk zelf op drie zaterdagen.",
    "Groen en spelen", 2500, 22000, 4 },
  { "Buurtbieb in de {straat}",
    "Een weerbestendig kastje waar buren boeken kunnen ruilen. Een bewoner houdt het bij.",
    "Samen in de buurt", 250, 600, 8 },
  { "Kerstmarkt op {plek}",
    "Een kleine kerstmarkt met kraampjes van bewoners, warme chocolademelk en een koor.",
    "Samen in de buurt", 500, 3000, 5 },
  { "Schoonmaakactie rond {plek}",
    "Bewoners en leerlingen prikken een middag zwerfafval. De gemeente levert grijpers en "
    "zakken en haalt het afval op.",
    "Schoon en heel", 250, 800, 9 },
  { "Jeu-de-boulesbaan bij {plek}",
    "Een jeu-de-boulesbaan als ontmoetingsplek voor jong en oud, onderhouden door een "
    "groepje vaste spelers.",
    "Eenzaamheid", 1500, 8000, 3 },
  { "Koffieochtend voor ouderen aan de {straat}",
    "Elke week een koffieochtend in het buurthuis voor ouderen die weinig mensen zien. "
    "Vrijwilligers halen wie slecht ter been is op.",
    "Eenzaamheid", 250, 1200, 8 },
  { "Straatvoetbaltoernooi bij {plek}",
    "Een toernooi voor jongeren uit de wijk, georganiseerd door jongeren zelf met hulp van "
    "het jongerenwerk.",
    "Jongeren", 300, 1500, 6 },
  { "Geveltuinen in de {straat}",
    "Twintig huishoudens leggen geveltuinen aan; zij kopen samen planten en aarde in.",
    "Groen en spelen", 300, 2500, 6 },
  { "Buitenspeeldag in de {straat}",
    "De straat gaat een middag dicht voor spelletjes, stoepkrijt en een springkussen.",
    "Groen en spelen", 250, 900, 6 },
  { "Speelstraatborden door kinderen ontworpen",
    "Kinderen ontwerpen borden die automobilisten in de {straat} vragen rustig te rijden.",
    "Verkeersveiligheid", 300, 1800, 4 },
  { "Wandelgroep voor buurtgenoten",
    "Twee keer per week een wandeling door de wijk met koffie na afloop, voor wie nieuw is "
    "of alleen woont.",
    "Eenzaamheid", 250, 700, 5 },
  { "Muurschildering in de onderdoorgang bij {plek}",
    "Een kunstenaar en jongeren uit de buurt beschilderen de grauwe onderdoorgang.",
    "Schoon en heel", 1500, 9000, 3 },
  { "Buurtkamer inrichten aan de {straat}",
    "Bewoners richten een ruimte in als buurtkamer met een keukentje, tafels en een kast "
    "met spellen.",
    "Samen in de buurt", 2000, 12000, 3 },
  { "Trapveldje {straat} opknappen",
    "Het trapveldje krijgt nieuwe doelen en een hek, zodat de jeugd weer kan voetballen.",
    "Jongeren", 8000, 25000, 2 },
  { "Zomerfilm in het park",
    "Een openluchtfilmavond in het park met een groot scherm; buren nemen zelf stoelen mee.",
    "Samen in de buurt", 500, 2500, 4 },
  { "Repair café bij {plek}",
    "Vrijwilligers repareren eens per maand kapotte spullen van buurtgenoten.",
    "Duurzaamheid", 300, 1200, 4 },
  { "Insectenhotel en bloemenweide aan de {straat}",
    "Bewoners zaaien een bloemenweide en bouwen met de basisschool een insectenhotel.",
    "Duurzaamheid", 400, 3000, 4 },
  { "Halloween-speurtocht door de buurt",
    "Een griezelige speurtocht langs versierde huizen voor kinderen tot twaalf jaar.",
    "Samen in de buurt", 250, 800, 5 },
  { "Sportieve zomerweek voor tieners",
    "Een week sport en spel in de zomervakantie voor tieners die niet op vakantie gaan.",
    "Jongeren", 1500, 7500, 3 },
  { "Welkomstpakket voor nieuwe bewoners",
    "Nieuwe bewoners krijgen een pakket met informatie over de buurt en een uitnodiging "
    "voor de koffieochtend.",
    "Samen in de buurt", 250, 1000, 3 },
  { "Overdekte ontmoetingsplek voor jongeren bij {plek}",
    "Jongeren willen een overdekte plek waar ze mogen zijn zonder overlast te geven. Zij "
    "hebben zelf een ontwerp gemaakt met het jongerenwerk.",
    "Jongeren", 6000, 20000, 1 },
  { "Veilige oversteek bij de basisschool",
    "Ouders zetten zich in voor klaar-overs en schilderen samen met de gemeente een "
    "opvallende oversteekplaats.",
    "Verkeersveiligheid", 500, 4000, 3 },
  { "Buurtpreventie-app en borden",
    "Bewoners starten een buurtpreventiegroep met borden bij de ingangen van de buurt.",
    "Veiligheid", 250, 1200, 3 },
};

typedef struct
{
  const char   *reason;
  gsize         failing;   /* offset of the criterion that fails, 0 for none */
} RefusalReason;

static const RefusalReason rejection_reasons[] = {
  { "Geen aantoonbaar draagvlak: alleen de indiener en twee buren steunen het plan.",
    G_STRUCT_OFFSET (BuurtenInitiative, crit_support) },
  { "Het initiatief dient één straat en niet de buurt.",
    G_STRUCT_OFFSET (BuurtenInitiative, crit_support) },
  { "Er is al financiering via de sportvereniging; geen aanvulling nodig.",
    G_STRUCT_OFFSET (BuurtenInitiative, crit_adds) },
  { "Commerciële activiteit: past niet binnen de subsidieregels.",
    G_STRUCT_OFFSET (BuurtenInitiative, crit_residents) },
  { "Aanvraag onvolledig: de begroting ontbreekt, ook na herhaald verzoek.",
    G_STRUCT_OFFSET (BuurtenInitiative, princ_accounting) },
};

static const char * const referral_reasons[] = {
  "Herinrichting valt onder een investeringsproject; doorverwezen naar de begroting.",
  "Past beter bij het cultuurbudget van de gemeente; doorverwezen.",
  "Doorverwezen naar het Jeugdfonds Sport & Cultuur.",
  "Doorverwezen naar de woningcorporatie, die het onderhoud van dit terrein betaalt.",
};

#define BUDGET_REFERRAL_REASON \
  "Het richtbudget van de wijk is voor dit jaar vrijwel vergeven; doorverwezen naar " \
  "fondsen voor bewonersinitiatieven."

static const char * const note_bodies[] = {
  "Bewoner teruggebeld; toegezegd dat de aannemer binnen twee weken langskomt.",
  "Foto's ontvangen per mail en doorgezet naar Openbare Ruimte.",
  "Navraag gedaan bij de wijkagent: er wordt de komende weken extra gesurveilleerd.",
  "Bewoner was niet thuis; briefje in de bus gedaan met het verzoek terug te bellen.",
  "Besproken in het wijkteam; de partner pakt het op.",
  "Melding is een dubbeling van een eerdere melding uit dezelfde straat.",
  "Ter plekke gekeken: het probleem is groter dan gemeld, meerdere plekken.",
  "Bewoner tevreden over de afhandeling.",
};

static const char * const action_titles[] = {
  "Bewoners informeren over de aanpak",
  "Extra controle door BOA's plannen",
  "Offerte opvragen bij de aannemer",
  "Terugkoppeling aan de melder",
  "Afspraak maken met de woningcorporatie over de achterpaden",
  "Schouw ter plekke met Openbare Ruimte",
  "Jongerenwerk vragen contact te leggen met de groep",
  "Voorstel voor verkeersmaatregel uitwerken",
  "Bewonersavond organiseren",
  "Stand van zaken rapporteren in het volgende overleg",
};

/* ---- the plan of one year -------------------------------------------- */

typedef struct
{
  guint32 jd;
  guint   index;
} DatedIndex;

typedef struct
{
  const char        *id;        /* borrowed from the municipality */
  const char        *name;
  const char        *cluster;
  const WijkFlavour *flavour;   /* NULL for an unknown wijk */
  char              *buco;
  char              *wethouder;
  gint64             table_budget;
  gint64             handgeld_budget;
  gint64             budget;            /* after the transfer and carry-over */
  gint64             committed;         /* approved + pending, wijkbudget + handgeld */
  gint64             handgeld_committed;
  gint64             cap;               /* where the demo stops granting */
  GPtrArray         *themes;            /* const char*, borrowed from the themes */
  GArray            *requests;          /* DatedIndex, sorted */
  GArray            *initiatives;       /* DatedIndex, sorted */
  GArray            *escalations;       /* DatedIndex, sorted */
} WijkPlan;

typedef enum
{
  SHOWCASE_NONE,
  SHOWCASE_PENDING,   /* a buurtdeal waiting for the wijkwethouder */
  SHOWCASE_OVER,      /* pushes Zuidoost just over its richtbudget */
} Showcase;

typedef struct
{
  BuurtenInitiative        *initiative;  /* borrowed from Demo.initiatives */
  WijkPlan                 *wijk;
  const InitiativeTemplate *template;
  guint                     index;
  guint32                   received;
  guint32                   decided;     /* 0: no decision */
  Showcase                  showcase;
} InitiativePlan;

typedef struct
{
  BuurtenMunicipality       *municipality;
  const BuurtenDemoOptions  *options;
  const BuurtenMandateTable *mandate;
  GTimeZone                 *tz;
  int                        year;
  guint32                    year_start;  /* Julian days */
  guint32                    year_end;
  guint32                    today;
  guint32                    last_day;    /* MIN (today, year_end) */

  WijkPlan                  *wijken;
  guint                      n_wijken;
  gint64                     pot_budget;  /* wijkkansen; -1 when absent */
  gint64                     pot_committed;

  GPtrArray                 *requests;
  GArray                    *request_days;     /* guint32 received per request */
  GPtrArray                 *initiatives;
  GPtrArray                 *plans;            /* InitiativePlan* */
  GPtrArray                 *decisions;
  GPtrArray                 *commitments;
  GPtrArray                 *signatures;
  GPtrArray                 *payments;
  GPtrArray                 *transfers;
  GPtrArray                 *carry_overs;
  GPtrArray                 *escalations;
  GPtrArray                 *meetings;
  GPtrArray                 *agenda_items;
  GPtrArray                 *actions;
  GPtrArray                 *notes;
  GPtrArray                 *themes;
} Demo;

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
  g_clear_pointer (&demo->decisions, g_ptr_array_unref);
  g_clear_pointer (&demo->commitments, g_ptr_array_unref);
  g_clear_pointer (&demo->signatures, g_ptr_array_unref);
  g_clear_pointer (&demo->payments, g_ptr_array_unref);
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

static guint32
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

static gboolean
is_working_day (guint32 jd)
{
  GDate date;

  date_of (jd, &date);
  return buurten_date_is_working_day (&date);
}

/* The first day >= jd that falls on weekday. */
static guint32
next_weekday (guint32      jd,
              GDateWeekday weekday)
{
  while (weekday_of (jd) != weekday)
    jd++;
  return jd;
}

static guint32
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

static guint32
clamp_day (Demo    *demo,
           gint64   jd,
           guint32  not_before)
{
  gint64 lo = MAX ((gint64) demo->year_start, (gint64) not_before);

  return (guint32) CLAMP (jd, lo, MAX (lo, (gint64) demo->last_day));
}

/* Local Hilversum time, whatever the machine's time zone is. */
static gint64
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
static gint64
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
static guint32
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

static char *
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

static const char *
wijk_street (WijkPlan *wijk,
             DemoRng  *rng)
{
  if (wijk->flavour != NULL)
    return RNG_PICK (rng, wijk->flavour->streets);
  return RNG_PICK (rng, generic_streets);
}

static const char *
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

static char *
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
static char *
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

static int
compare_dated (gconstpointer a,
               gconstpointer b)
{
  const DatedIndex *x = a;
  const DatedIndex *y = b;

  if (x->jd != y->jd)
    return x->jd < y->jd ? -1 : 1;
  return x->index < y->index ? -1 : (x->index > y->index ? 1 : 0);
}

static int
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
static int
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

static const char *
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
static void
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
  NEW_ROWS (decisions, decision);
  NEW_ROWS (commitments, commitment);
  NEW_ROWS (signatures, signature);
  NEW_ROWS (payments, payment);
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

/* ---- requests -------------------------------------------------------- */

static BuurtenRequestState
pick_open_state (DemoRng *rng,
                 guint32  age,
                 guint32  term_cal)
{
  static const BuurtenRequestState states[] = {
    BUURTEN_REQUEST_NEW, BUURTEN_REQUEST_IN_PROGRESS, BUURTEN_REQUEST_AWAITING_RESIDENT,
    BUURTEN_REQUEST_FORWARDED, BUURTEN_REQUEST_SCHEDULED, BUURTEN_REQUEST_REOPENED,
  };
  static const guint fresh[] = { 70, 30, 0, 0, 0, 0 };
  static const guint running[] = { 5, 40, 20, 15, 15, 5 };
  static const guint old[] = { 0, 45, 10, 25, 15, 5 };

  if (age < 3)
    return states[rng_weighted (rng, fresh, G_N_ELEMENTS (fresh))];
  if (age <= 3 * term_cal)
    return states[rng_weighted (rng, running, G_N_ELEMENTS (running))];
  return states[rng_weighted (rng, old, G_N_ELEMENTS (old))];
}

static BuurtenRequest *
demo_new_request (Demo     *demo,
                  DemoRng  *rng,
                  WijkPlan *wijk,
                  guint32  *out_received)
{
  const RequestTemplate *template = &RNG_PICK (rng, request_templates);
  BuurtenRequest *request = buurten_request_new ();
  const char *street = wijk_street (wijk, rng);
  const char *place = wijk_place (wijk, rng);
  guint number = (guint) rng_between (rng, 1, 180);
  guint32 received = demo_random_day (demo, rng);
  guint32 age = demo->today - received;
  guint term = buurten_municipality_answer_term (demo->municipality, template->type);
  guint32 term_cal = term * 7 / 5 + 1;
  guint open_percent;
  guint32 updated;
  GString *description;
  guint n_extras;

  request->id = rng_uuid (rng);
  request->wijk = g_strdup (wijk->id);
  request->type = template->type;
  request->title = expand (template->title, street, place, number);

  {
    g_autofree char *first = expand (template->description, street, place, number);

    description = g_string_new (first);
  }
  n_extras = rng_weighted (rng, (const guint[]) { 50, 35, 15 }, 3);
  for (guint k = 0; k < n_extras; k++)
    {
      g_autofree char *extra = expand (RNG_PICK (rng, request_extras), street, place, number);

      if (strstr (description->str, extra) == NULL)
        {
          g_string_append_c (description, ' ');
          g_string_append (description, extra);
        }
    }
  request->description = g_string_free (description, FALSE);

  request->received_at = is_working_day (received)
                           ? demo_random_time (demo, rng, received, 7, 22)
                           : demo_random_time (demo, rng, received, 9, 21);

  /* Most residents leave a name; some only a contact, a few nothing. */
  if (rng_percent (rng, 90))
    {
      g_autofree char *person = random_person (rng);

      request->reporter_contact = random_contact (rng, person);
      if (rng_percent (rng, 85))
        request->reporter_name = g_steal_pointer (&person);
    }
  request->category = g_strdup (template->category);
  request->term_days = term;

  /* Old requests are mostly answered; the open ones that remain are the
   * overdue ones the dashboard has to show. */
  if (age <= term_cal)
    open_percent = 60;
  else if (age <= 3 * term_cal)
    open_percent = 12;
  else if (age <= 90)
    open_percent = 2;
  else
    open_percent = 1;

  if (rng_below (rng, 1000) < open_percent * 10)
    request->state = pick_open_state (rng, age, term_cal);
  else
    request->state = rng_percent (rng, 94) ? BUURTEN_REQUEST_RESOLVED
                                           : BUURTEN_REQUEST_CANCELLED;

  if (request->state != BUURTEN_REQUEST_NEW)
    request->assignee = g_strdup (rng_percent (rng, 90) ? template->assignee
                                                        : RNG_PICK (rng, partners));

  if (request->state != BUURTEN_REQUEST_NEW && age > 5 && rng_percent (rng, 12))
    request->paused_working_days = rng_between (rng, 1, 4);

  if (request->state == BUURTEN_REQUEST_AWAITING_RESIDENT)
    {
      guint32 since = clamp_day (demo, (gint64) demo->today - rng_between (rng, 0, 12),
                                 MIN (received + 1, demo->today));

      g_date_set_julian (&request->paused_since, since);
    }

  if (request->state == BUURTEN_REQUEST_RESOLVED || request->state == BUURTEN_REQUEST_CANCELLED)
    updated = clamp_day (demo, (gint64) received + rng_between (rng, 0, (int) term_cal + 4),
                         received);
  else
    updated = clamp_day (demo, (gint64) received + rng_between (rng, 0, (int) age), received);
  request->updated_at = demo_random_time (demo, rng, updated, 8, 17);
  request->updated_at = MAX (request->updated_at, request->received_at);
  request->version = 1;

  *out_received = received;
  return request;
}

/* A request that is overdue now (for the dashboard and the tests):
 * received `working_days` working days ago and still being handled. */
static void
demo_make_overdue (Demo           *demo,
                   BuurtenRequest *request,
                   guint32        *received,
                   guint           working_days)
{
  guint32 day = minus_working_days (demo->today, working_days);

  day = MAX (day, demo->year_start);

  *received = day;
  request->received_at = demo_timestamp (demo, day, 9, 12);
  request->updated_at = demo_timestamp (demo, MIN (day + 2, demo->last_day), 11, 40);
  request->state = BUURTEN_REQUEST_IN_PROGRESS;
  request->paused_working_days = 0;
  g_date_clear (&request->paused_since, 1);
  if (request->assignee == NULL)
    request->assignee = g_strdup ("Openbare Ruimte");
}

static void
demo_make_requests (Demo *demo,
                    guint n,
                    guint first_stream)
{
  g_autofree guint *counts = g_new0 (guint, demo->n_wijken);
  DemoRng rng;

  rng_init (&rng, demo->options->seed, first_stream);
  apportion (demo, n, counts);

  for (guint i = 0; i < demo->n_wijken; i++)
    {
      for (guint k = 0; k < counts[i]; k++)
        {
          guint32 received;
          BuurtenRequest *request = demo_new_request (demo, &rng, &demo->wijken[i], &received);

          g_ptr_array_add (demo->requests, request);
          g_array_append_val (demo->request_days, received);
        }
    }
}

static void
demo_index_requests (Demo *demo)
{
  for (guint i = 0; i < demo->requests->len; i++)
    {
      BuurtenRequest *request = g_ptr_array_index (demo->requests, i);
      DatedIndex entry = { g_array_index (demo->request_days, guint32, i), i };

      for (guint w = 0; w < demo->n_wijken; w++)
        if (g_strcmp0 (demo->wijken[w].id, request->wijk) == 0)
          {
            g_array_append_val (demo->wijken[w].requests, entry);
            break;
          }
    }
  for (guint w = 0; w < demo->n_wijken; w++)
    g_array_sort (demo->wijken[w].requests, compare_dated);
}

/* ---- initiatives ----------------------------------------------------- */

static const char *
pick_theme (WijkPlan                 *wijk,
            const InitiativeTemplate *template,
            DemoRng                  *rng)
{
  for (guint k = 0; k < wijk->themes->len; k++)
    if (g_strcmp0 (g_ptr_array_index (wijk->themes, k), template->theme) == 0)
      return g_ptr_array_index (wijk->themes, k);
  return g_ptr_array_index (wijk->themes, rng_below (rng, wijk->themes->len));
}

static gint64
random_amount (DemoRng                  *rng,
               const InitiativeTemplate *template)
{
  int euros = rng_between (rng, template->min_eur, template->max_eur);

  /* People ask for round amounts. */
  if (euros < 2000)
    euros = MAX (euros / 25 * 25, 250);
  else
    euros = euros / 100 * 100;
  return EUR (euros);
}

static BuurtenInitiativeState
pick_initiative_state (DemoRng *rng,
                       guint32  age)
{
  static const BuurtenInitiativeState states[] = {
    BUURTEN_INITIATIVE_IDEA, BUURTEN_INITIATIVE_SUBMITTED, BUURTEN_INITIATIVE_CHECKED,
    BUURTEN_INITIATIVE_GRANTED, BUURTEN_INITIATIVE_REJECTED, BUURTEN_INITIATIVE_REFERRED,
    BUURTEN_INITIATIVE_DEAL_SIGNED, BUURTEN_INITIATIVE_IN_PROGRESS, BUURTEN_INITIATIVE_DONE,
  };
  static const guint fresh[] = { 25, 55, 20, 0, 0, 0, 0, 0, 0 };
  static const guint weeks[] = { 0, 10, 20, 35, 8, 5, 22, 0, 0 };
  static const guint months[] = { 0, 0, 4, 4, 10, 6, 18, 43, 15 };
  static const guint old[] = { 0, 0, 0, 0, 9, 6, 3, 22, 60 };
  const guint *weights = age < 14 ? fresh : age < 42 ? weeks : age < 120 ? months : old;

  return states[rng_weighted (rng, weights, G_N_ELEMENTS (states))];
}

static gboolean
state_is_granted (BuurtenInitiativeState state)
{
  return state == BUURTEN_INITIATIVE_GRANTED || state == BUURTEN_INITIATIVE_DEAL_SIGNED ||
         state == BUURTEN_INITIATIVE_IN_PROGRESS || state == BUURTEN_INITIATIVE_DONE;
}

static void
fill_checks (BuurtenInitiative *initiative,
             BuurtenCheck       value)
{
  initiative->crit_residents = value;
  initiative->crit_support = value;
  initiative->crit_themes = value;
  initiative->crit_adds = value;
  initiative->princ_lawful = value;
  initiative->princ_own_effort = value;
  initiative->princ_feedback = value;
  initiative->princ_accounting = value;
}

static InitiativePlan *
demo_new_initiative (Demo     *demo,
                     DemoRng  *rng,
                     WijkPlan *wijk)
{
  guint weights[G_N_ELEMENTS (initiative_templates)];
  InitiativePlan *plan = g_new0 (InitiativePlan, 1);
  BuurtenInitiative *initiative = buurten_initiative_new ();
  const char *street = wijk_street (wijk, rng);
  const char *place = wijk_place (wijk, rng);
  g_autofree char *organiser = NULL;
  guint32 received;

  for (guint k = 0; k < G_N_ELEMENTS (initiative_templates); k++)
    weights[k] = initiative_templates[k].weight;

  plan->template = &initiative_templates[rng_weighted (rng, weights, G_N_ELEMENTS (weights))];
  plan->wijk = wijk;
  plan->initiative = initiative;

  received = demo_random_day (demo, rng);
  plan->received = received;

  initiative->id = rng_uuid (rng);
  initiative->wijk = g_strdup (wijk->id);
  initiative->title = expand (plan->template->title, street, place, 0);
  initiative->description = expand (plan->template->description, street, place, 0);
  organiser = random_person (rng);
  switch (rng_below (rng, 3))
    {
    case 0:
      initiative->organiser = g_strdup_printf ("%s namens bewoners van de %s",
                                               organiser, street);
      break;
    case 1:
      initiative->organiser = g_strdup_printf ("Bewonerscommissie %s (%s)", street, organiser);
      break;
    default:
      initiative->organiser = g_steal_pointer (&organiser);
      break;
    }
  initiative->requested_cents = random_amount (rng, plan->template);
  initiative->theme = g_strdup (pick_theme (wijk, plan->template, rng));
  initiative->received_at = demo_random_time (demo, rng, received, 8, 22);
  initiative->state = pick_initiative_state (rng, demo->today - received);
  initiative->version = 1;
  return plan;
}

/* Gives plan a template whose usual amounts include amount (a showcase
 * with a set amount should not be a buurtbieb of ten thousand euros). */
static void
demo_fit_template (DemoRng        *rng,
                   InitiativePlan *plan,
                   gint64          amount)
{
  BuurtenInitiative *initiative = plan->initiative;
  guint fitting[G_N_ELEMENTS (initiative_templates)];
  guint n_fitting = 0;
  guint best = 0;
  const char *street = wijk_street (plan->wijk, rng);
  const char *place = wijk_place (plan->wijk, rng);

  for (guint k = 0; k < G_N_ELEMENTS (initiative_templates); k++)
    {
      if (EUR (initiative_templates[k].min_eur) <= amount &&
          amount <= EUR (initiative_templates[k].max_eur))
        fitting[n_fitting++] = k;
      if (initiative_templates[k].max_eur > initiative_templates[best].max_eur)
        best = k;
    }
  plan->template = &initiative_templates[n_fitting > 0 ? fitting[rng_below (rng, n_fitting)]
                                                       : best];

  g_free (initiative->title);
  initiative->title = expand (plan->template->title, street, place, 0);
  g_free (initiative->description);
  initiative->description = expand (plan->template->description, street, place, 0);
  g_free (initiative->theme);
  initiative->theme = g_strdup (pick_theme (plan->wijk, plan->template, rng));
  initiative->requested_cents = amount;
}

/* Criteria and decision dates follow from the state. */
static void
demo_settle_initiative (Demo           *demo,
                        DemoRng        *rng,
                        InitiativePlan *plan)
{
  BuurtenInitiative *initiative = plan->initiative;
  int lag = 0;
  gint64 decided;

  switch (initiative->state)
    {
    case BUURTEN_INITIATIVE_IDEA:
      fill_checks (initiative, BUURTEN_CHECK_UNKNOWN);
      break;
    case BUURTEN_INITIATIVE_SUBMITTED:
      fill_checks (initiative, BUURTEN_CHECK_UNKNOWN);
      if (rng_percent (rng, 40))
        initiative->crit_residents = BUURTEN_CHECK_YES;
      break;
    case BUURTEN_INITIATIVE_CHECKED:
    case BUURTEN_INITIATIVE_GRANTED:
    case BUURTEN_INITIATIVE_REJECTED:
    case BUURTEN_INITIATIVE_REFERRED:
    case BUURTEN_INITIATIVE_DEAL_SIGNED:
    case BUURTEN_INITIATIVE_IN_PROGRESS:
    case BUURTEN_INITIATIVE_DONE:
    case BUURTEN_INITIATIVE_N_STATES:
    default:
      fill_checks (initiative, BUURTEN_CHECK_YES);
      /* Feedback and accounting can only be confirmed at the end. */
      if (initiative->state != BUURTEN_INITIATIVE_DONE)
        {
          initiative->princ_feedback = BUURTEN_CHECK_UNKNOWN;
          initiative->princ_accounting = rng_percent (rng, 50) ? BUURTEN_CHECK_YES
                                                               : BUURTEN_CHECK_UNKNOWN;
        }
      initiative->support_note = g_strdup_printf ("Handtekeningenlijst met %d buurtbewoners",
                                                  rng_between (rng, 8, 60));
      break;
    }

  switch (initiative->state)
    {
    case BUURTEN_INITIATIVE_DEAL_SIGNED:
      lag = 3;
      break;
    case BUURTEN_INITIATIVE_IN_PROGRESS:
      lag = 14;
      break;
    case BUURTEN_INITIATIVE_DONE:
      lag = 30;
      break;
    case BUURTEN_INITIATIVE_GRANTED:
    case BUURTEN_INITIATIVE_REJECTED:
    case BUURTEN_INITIATIVE_REFERRED:
      lag = 0;
      break;
    case BUURTEN_INITIATIVE_IDEA:
    case BUURTEN_INITIATIVE_SUBMITTED:
    case BUURTEN_INITIATIVE_CHECKED:
    case BUURTEN_INITIATIVE_N_STATES:
    default:
      return;
    }

  decided = (gint64) plan->received + rng_between (rng, 5, 35);
  plan->decided = clamp_day (demo, MIN (decided, (gint64) demo->today - lag), plan->received);
}

static BuurtenDecision *
demo_add_decision (Demo                   *demo,
                   DemoRng                *rng,
                   InitiativePlan         *plan,
                   BuurtenDecisionOutcome  outcome,
                   gint64                  amount,
                   const char             *reason)
{
  BuurtenDecision *decision = buurten_decision_new ();

  decision->id = rng_uuid (rng);
  decision->initiative_id = g_strdup (plan->initiative->id);
  decision->outcome = outcome;
  decision->amount_cents = amount;
  decision->reason = g_strdup (reason);
  g_date_set_julian (&decision->decided_on, plan->decided);
  decision->version = 1;
  g_ptr_array_add (demo->decisions, decision);
  return decision;
}

static void
demo_add_payment (Demo              *demo,
                  DemoRng           *rng,
                  BuurtenCommitment *commitment,
                  gint64             amount,
                  guint32            day)
{
  BuurtenPayment *payment;

  if (amount <= 0)
    return;
  payment = buurten_payment_new ();
  payment->id = rng_uuid (rng);
  payment->commitment_id = g_strdup (commitment->id);
  payment->amount_cents = amount;
  g_date_set_julian (&payment->paid_on, day);
  g_ptr_array_add (demo->payments, payment);
}

/* Advances and final payments; never more than the commitment. */
static void
demo_pay (Demo              *demo,
          DemoRng           *rng,
          InitiativePlan    *plan,
          BuurtenCommitment *commitment)
{
  gint64 amount = commitment->amount_cents;
  guint32 first = clamp_day (demo, (gint64) plan->decided + rng_between (rng, 5, 20),
                             plan->decided);
  guint32 second = clamp_day (demo, (gint64) first + rng_between (rng, 20, 60), first);
  gint64 advance;

  switch (plan->initiative->state)
    {
    case BUURTEN_INITIATIVE_DEAL_SIGNED:
      if (rng_percent (rng, 25))
        demo_add_payment (demo, rng, commitment, amount / 200 * 100, first);
      break;
    case BUURTEN_INITIATIVE_IN_PROGRESS:
      if (rng_percent (rng, 75))
        demo_add_payment (demo, rng, commitment,
                          amount * rng_between (rng, 5, 8) / 1000 * 100, first);
      break;
    case BUURTEN_INITIATIVE_DONE:
      {
        /* Some initiatives cost less than granted: the rest stays free. */
        gint64 total = rng_percent (rng, 15) ? amount * rng_between (rng, 85, 99) / 10000 * 100
                                             : amount;

        if (rng_percent (rng, 40))
          {
            advance = MIN (amount / 200 * 100, total);
            demo_add_payment (demo, rng, commitment, advance, first);
            demo_add_payment (demo, rng, commitment, total - advance, second);
          }
        else
          demo_add_payment (demo, rng, commitment, total, first);
      }
      break;
    case BUURTEN_INITIATIVE_IDEA:
    case BUURTEN_INITIATIVE_SUBMITTED:
    case BUURTEN_INITIATIVE_CHECKED:
    case BUURTEN_INITIATIVE_GRANTED:
    case BUURTEN_INITIATIVE_REJECTED:
    case BUURTEN_INITIATIVE_REFERRED:
    case BUURTEN_INITIATIVE_N_STATES:
    default:
      break;
    }
}

static BuurtenEscalation *
demo_add_escalation (Demo                   *demo,
                     DemoRng                *rng,
                     WijkPlan               *wijk,
                     const char             *subject_type,
                     const char             *subject_id,
                     BuurtenEscalationLevel  level,
                     const char             *target,
                     char                   *reason,
                     BuurtenEscalationState  state,
                     guint32                 day)
{
  BuurtenEscalation *escalation = buurten_escalation_new ();
  DatedIndex entry = { day, demo->escalations->len };

  escalation->id = rng_uuid (rng);
  escalation->wijk = g_strdup (wijk->id);
  escalation->subject_type = g_strdup (subject_type);
  escalation->subject_id = g_strdup (subject_id);
  escalation->level = level;
  escalation->target = g_strdup (target);
  escalation->reason = reason;
  escalation->state = state;
  escalation->opened_at = demo_random_time (demo, rng, day, 9, 16);
  escalation->version = 1;
  g_ptr_array_add (demo->escalations, escalation);
  g_array_append_val (wijk->escalations, entry);
  return escalation;
}

/* Grants plan's initiative: a decision, a commitment with the signatures
 * the mandate engine asks for, and payments. FALSE (and nothing added)
 * when the budget or the mandate does not allow it. With ignore_cap the
 * wijk pays even beyond where the demo normally stops (the showcases). */
static gboolean
demo_grant (Demo           *demo,
            DemoRng        *rng,
            InitiativePlan *plan,
            gint64          amount,
            gboolean        pending,
            gboolean        ignore_cap)
{
  WijkPlan *wijk = plan->wijk;
  BuurtenInitiative *initiative = plan->initiative;
  g_autoptr(BuurtenMandateResult) result = NULL;
  BuurtenMandateInput input = { 0, };
  BuurtenCommitment *commitment;
  BuurtenDecision *decision;
  g_autoptr(GString) signers = g_string_new (NULL);
  BuurtenFunding funding = BUURTEN_FUNDING_WIJKBUDGET;
  gboolean skipped = FALSE;
  g_autofree char *reason = NULL;

  /* The showcases (ignore_cap) are about the wijk's own budget. */
  if (!ignore_cap && amount > EUR (10000) && demo->pot_budget > 0 && rng_percent (rng, 50) &&
      demo->pot_committed + amount <= demo->pot_budget)
    funding = BUURTEN_FUNDING_WIJKKANSEN;
  else if (amount <= EUR (750) && rng_percent (rng, 70) &&
           wijk->handgeld_committed + amount <= wijk->handgeld_budget)
    funding = BUURTEN_FUNDING_HANDGELD;

  if (funding != BUURTEN_FUNDING_WIJKKANSEN && !ignore_cap && wijk->committed + amount > wijk->cap)
    return FALSE;

  input.amount_cents = amount;
  input.wijk = wijk->id;
  input.year = demo->year;
  for (;;)
    {
      input.funding = funding;
      if (funding == BUURTEN_FUNDING_WIJKKANSEN)
        {
          input.committed_cents = demo->pot_committed;
          input.budget_cents = demo->pot_budget;
        }
      else
        {
          input.committed_cents = wijk->committed;
          input.budget_cents = wijk->budget;
        }
      g_clear_pointer (&result, buurten_mandate_result_free);
      result = buurten_mandate_evaluate (demo->mandate, &input);
      if (result != NULL && result->allowed)
        break;
      /* A table without a handgeld band: the same money as wijkbudget. */
      if (funding == BUURTEN_FUNDING_HANDGELD || funding == BUURTEN_FUNDING_WIJKKANSEN)
        {
          funding = BUURTEN_FUNDING_WIJKBUDGET;
          if (!ignore_cap && wijk->committed + amount > wijk->cap)
            return FALSE;
          continue;
        }
      return FALSE;
    }

  reason = g_strdup_printf ("Voldoet aan de criteria en past bij het thema %s.",
                            initiative->theme);
  decision = demo_add_decision (demo, rng, plan, BUURTEN_OUTCOME_GRANTED, amount, reason);

  commitment = buurten_commitment_new ();
  commitment->id = rng_uuid (rng);
  commitment->initiative_id = g_strdup (initiative->id);
  commitment->wijk = g_strdup (wijk->id);
  commitment->funding = funding;
  commitment->year = demo->year;
  commitment->amount_cents = amount;
  commitment->theme = g_strdup (initiative->theme);
  commitment->created_at = demo_timestamp (demo, plan->decided, 9, 30);
  commitment->required_roles = buurten_roles_to_ids (result->roles);
  commitment->version = 1;
  g_ptr_array_add (demo->commitments, commitment);

  for (guint r = 0; r < result->roles->len; r++)
    {
      BuurtenRole role = g_array_index (result->roles, BuurtenRole, r);
      BuurtenSignature *signature;
      guint32 day;

      if (pending && role == BUURTEN_ROLE_WIJKWETHOUDER)
        {
          skipped = TRUE;
          continue;
        }

      day = role == BUURTEN_ROLE_BUURTCOORDINATOR
              ? plan->decided
              : clamp_day (demo, (gint64) plan->decided + rng_between (rng, 0, 4), plan->decided);
      signature = buurten_signature_new ();
      signature->id = rng_uuid (rng);
      signature->commitment_id = g_strdup (commitment->id);
      signature->user = g_strdup (user_for_role (wijk, role));
      signature->role = role;
      signature->signed_at = demo_timestamp (demo, day, 10 + (int) r, rng_between (rng, 0, 59));
      g_ptr_array_add (demo->signatures, signature);
      if (signers->len > 0)
        g_string_append_c (signers, ',');
      g_string_append_printf (signers, "%s:%s", signature->user, buurten_role_ids[role]);
    }

  /* Granted only by the last signature (buurten-states.h): a commitment
   * still waiting for the wijkwethouder leaves its initiative checked and
   * no decision yet; the last signature records the decision with the
   * commitment and its signers, as the server does. */
  commitment->state = skipped ? BUURTEN_COMMITMENT_PENDING : BUURTEN_COMMITMENT_APPROVED;
  if (skipped)
    {
      initiative->state = BUURTEN_INITIATIVE_CHECKED;
      g_ptr_array_remove (demo->decisions, decision);
    }
  else
    {
      decision->commitment_id = g_strdup (commitment->id);
      decision->signers = g_string_free (g_steal_pointer (&signers), FALSE);
    }

  if (funding == BUURTEN_FUNDING_WIJKKANSEN)
    demo->pot_committed += amount;
  else
    wijk->committed += amount;
  if (funding == BUURTEN_FUNDING_HANDGELD)
    wijk->handgeld_committed += amount;

  if (commitment->state == BUURTEN_COMMITMENT_APPROVED)
    demo_pay (demo, rng, plan, commitment);

  if (result->over_budget)
    {
      g_autofree char *over = buurten_money_format_full (result->over_cents,
                                                         BUURTEN_MONEY_LOCALE_DUTCH,
                                                         BUURTEN_MONEY_FORMAT_NONE);

      demo_add_escalation (demo, rng, wijk, "initiative", initiative->id,
                           BUURTEN_LEVEL_BUDGET, "Teammanager samenleving",
                           g_strdup_printf ("Richtbudget %s wordt met %s overschreden door "
                                            "\"%s\".", wijk->name, over, initiative->title),
                           BUURTEN_ESCALATION_OPEN, plan->decided);
    }

  return TRUE;
}

/* When the wijk's money is gone an initiative waits or is referred. */
static void
demo_hold_back (Demo           *demo,
                DemoRng        *rng,
                InitiativePlan *plan)
{
  if (demo->today - plan->received < 56)
    {
      plan->initiative->state = BUURTEN_INITIATIVE_CHECKED;
      plan->decided = 0;
    }
  else
    {
      plan->initiative->state = BUURTEN_INITIATIVE_REFERRED;
      demo_add_decision (demo, rng, plan, BUURTEN_OUTCOME_REFERRED, 0, BUDGET_REFERRAL_REASON);
    }
}

static WijkPlan *
demo_lookup_wijk (Demo       *demo,
                  const char *id)
{
  for (guint i = 0; i < demo->n_wijken; i++)
    if (g_strcmp0 (demo->wijken[i].id, id) == 0)
      return &demo->wijken[i];
  return NULL;
}

/* The wijk that runs a little over its richtbudget: Zuidoost in Hilversum. */
static WijkPlan *
demo_over_wijk (Demo *demo)
{
  WijkPlan *wijk = demo_lookup_wijk (demo, "zuidoost");

  return wijk != NULL ? wijk : &demo->wijken[demo->n_wijken - 1];
}

static void
demo_make_budget_moves (Demo *demo)
{
  WijkPlan *over = demo_over_wijk (demo);
  WijkPlan *from = demo_lookup_wijk (demo, "oost");
  WijkPlan *to = demo_lookup_wijk (demo, "noordwest");
  WijkPlan *carried = demo_lookup_wijk (demo, "centrum");
  BuurtenTransfer *transfer;
  BuurtenCarryOver *carry_over;
  DemoRng rng;

  rng_init (&rng, demo->options->seed, STREAM_BUDGET);

  /* Elsewhere: from the largest budget to the smallest, never the wijk
   * that is to run over (its overrun must stay small and explicable). */
  if (from == NULL || to == NULL || from == to)
    {
      from = to = NULL;
      for (guint i = 0; i < demo->n_wijken; i++)
        {
          WijkPlan *wijk = &demo->wijken[i];

          if (wijk == over)
            continue;
          if (from == NULL || wijk->table_budget > from->table_budget)
            from = wijk;
          if (to == NULL || wijk->table_budget < to->table_budget)
            to = wijk;
        }
    }
  if (carried == NULL)
    carried = &demo->wijken[0];

  if (from != NULL && to != NULL && from != to)
    {
      transfer = buurten_transfer_new ();
      transfer->id = rng_uuid (&rng);
      transfer->year = demo->year;
      transfer->from_wijk = g_strdup (from->id);
      transfer->to_wijk = g_strdup (to->id);
      transfer->amount_cents = EUR (2500);
      transfer->reason = g_strdup_printf ("Halfjaarlijkse herijking: %s heeft meer initiatieven "
                                          "dan verwacht, %s houdt ruimte over.",
                                          to->name, from->name);
      g_date_set_julian (&transfer->decided_on,
                         clamp_day (demo, julian_of (demo->year, G_DATE_JULY, 7),
                                    demo->year_start));
      from->budget -= transfer->amount_cents;
      to->budget += transfer->amount_cents;
      g_ptr_array_add (demo->transfers, transfer);
    }

  carry_over = buurten_carry_over_new ();
  carry_over->id = rng_uuid (&rng);
  carry_over->wijk = g_strdup (carried->id);
  carry_over->from_year = demo->year - 1;
  carry_over->amount_cents = EUR (3150);
  carry_over->reason = g_strdup_printf ("Restant %d: de kerstmarkt is door de storm verplaatst "
                                        "naar januari.", demo->year - 1);
  g_date_set_julian (&carry_over->decided_on,
                     julian_of (demo->year - 1, G_DATE_DECEMBER, 15));
  carried->budget += carry_over->amount_cents;
  g_ptr_array_add (demo->carry_overs, carry_over);

  for (guint i = 0; i < demo->n_wijken; i++)
    {
      WijkPlan *wijk = &demo->wijken[i];

      /* Each wijk stops granting somewhere between 70 and 85 %. */
      wijk->cap = wijk->budget * rng_between (&rng, 70, 85) / 100;
    }
}

static void
demo_make_initiatives (Demo *demo,
                       guint n)
{
  g_autofree guint *counts = g_new0 (guint, demo->n_wijken);
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  WijkPlan *over = demo_over_wijk (demo);
  g_autoptr(GPtrArray) pending_plans = g_ptr_array_new ();
  InitiativePlan *over_plan = NULL;
  DemoRng rng;
  DemoRng decisions;

  rng_init (&rng, demo->options->seed, STREAM_INITIATIVES);
  rng_init (&decisions, demo->options->seed, STREAM_DECISIONS);
  apportion (demo, n, counts);

  for (guint i = 0; i < demo->n_wijken; i++)
    {
      WijkPlan *wijk = &demo->wijken[i];

      for (guint k = 0; k < counts[i]; k++)
        {
          InitiativePlan *plan = demo_new_initiative (demo, &rng, wijk);

          plan->index = demo->initiatives->len;
          g_ptr_array_add (demo->initiatives, plan->initiative);
          g_ptr_array_add (demo->plans, plan);

          /* Two buurtdeals waiting for a wijkwethouder, in different
           * clusters, so that more than one dashboard shows one. */
          if (k == 0 && wijk != over && (i == 0 || i == demo->n_wijken / 2))
            plan->showcase = SHOWCASE_PENDING;
          else if (wijk == over && k == counts[i] - 1 && counts[i] > 1)
            plan->showcase = SHOWCASE_OVER;
        }
    }

  for (guint p = 0; p < demo->plans->len; p++)
    {
      InitiativePlan *plan = g_ptr_array_index (demo->plans, p);
      BuurtenInitiative *initiative = plan->initiative;

      if (plan->showcase == SHOWCASE_PENDING)
        {
          /* A buurtdeal of a few thousand euros that only misses the
           * wijkwethouder's signature: "Wacht op besluit". */
          plan->received = clamp_day (demo, (gint64) demo->today - 30 + pending_plans->len * 9,
                                      demo->year_start);
          initiative->received_at = demo_timestamp (demo, plan->received, 20, 15);
          initiative->state = BUURTEN_INITIATIVE_GRANTED;
          demo_fit_template (&rng, plan, pending_plans->len == 0 ? EUR (4750) : EUR (3200));
          g_ptr_array_add (pending_plans, plan);
        }
      else if (plan->showcase == SHOWCASE_OVER)
        {
          plan->received = clamp_day (demo, (gint64) demo->today - 40, demo->year_start);
          initiative->received_at = demo_timestamp (demo, plan->received, 19, 5);
          initiative->state = BUURTEN_INITIATIVE_DEAL_SIGNED;
          over_plan = plan;
        }

      demo_settle_initiative (demo, &rng, plan);
      if (plan->showcase == SHOWCASE_PENDING)
        plan->decided = clamp_day (demo, (gint64) demo->today - 4 + pending_plans->len,
                                   plan->received);
      else if (plan->showcase == SHOWCASE_OVER)
        plan->decided = clamp_day (demo, demo->today, plan->received);

      if (state_is_granted (initiative->state) && plan->showcase == SHOWCASE_NONE)
        g_ptr_array_add (order, plan);
      else if (initiative->state == BUURTEN_INITIATIVE_REJECTED)
        {
          const RefusalReason *reason = &RNG_PICK (&decisions, rejection_reasons);

          G_STRUCT_MEMBER (BuurtenCheck, initiative, reason->failing) = BUURTEN_CHECK_NO;
          demo_add_decision (demo, &decisions, plan, BUURTEN_OUTCOME_REJECTED, 0, reason->reason);
        }
      else if (initiative->state == BUURTEN_INITIATIVE_REFERRED)
        {
          initiative->crit_adds = BUURTEN_CHECK_NO;
          demo_add_decision (demo, &decisions, plan, BUURTEN_OUTCOME_REFERRED, 0,
                             RNG_PICK (&decisions, referral_reasons));
        }
    }

  /* Grants in the order they were decided, so the mandate engine sees
   * what was committed so far, as the real app would. */
  g_ptr_array_sort (order, compare_plans_by_decision);
  for (guint p = 0; p < order->len; p++)
    {
      InitiativePlan *plan = g_ptr_array_index (order, p);
      gint64 amount = plan->initiative->requested_cents;
      gboolean pending;

      /* Sometimes less is granted than asked, in round amounts. */
      if (amount > EUR (1000) && rng_percent (&decisions, 20))
        amount = amount * rng_between (&decisions, 80, 95) / 10000 * 100;

      pending = plan->initiative->state == BUURTEN_INITIATIVE_GRANTED &&
                demo->today - plan->decided <= 28 && rng_percent (&decisions, 75);
      if (!demo_grant (demo, &decisions, plan, amount, pending, FALSE))
        demo_hold_back (demo, &decisions, plan);
    }

  for (guint p = 0; p < pending_plans->len; p++)
    {
      InitiativePlan *plan = g_ptr_array_index (pending_plans, p);

      if (!demo_grant (demo, &decisions, plan, plan->initiative->requested_cents, TRUE, TRUE))
        demo_hold_back (demo, &decisions, plan);
    }

  if (over_plan != NULL)
    {
      gint64 overrun = EUR (rng_between (&decisions, 25, 90) * 10);
      gint64 amount = over->budget - over->committed + overrun;

      amount = (amount + EUR (50) - 1) / EUR (50) * EUR (50);

      /* Few initiatives (a small demo): a couple of larger buurtdeals
       * first, so that the one that tips it over is still within the
       * wijk's mandate. */
      while (amount > EUR (24000))
        {
          InitiativePlan *extra = NULL;
          gint64 grant;

          /* First the wijk's own initiatives still waiting for a decision;
           * only a very small demo needs new ones. */
          for (guint p = 0; p < demo->plans->len && extra == NULL; p++)
            {
              InitiativePlan *plan = g_ptr_array_index (demo->plans, p);

              if (plan->wijk == over && plan->showcase == SHOWCASE_NONE &&
                  (plan->initiative->state == BUURTEN_INITIATIVE_IDEA ||
                   plan->initiative->state == BUURTEN_INITIATIVE_SUBMITTED ||
                   plan->initiative->state == BUURTEN_INITIATIVE_CHECKED))
                extra = plan;
            }
          if (extra == NULL)
            {
              extra = demo_new_initiative (demo, &rng, over);
              extra->index = demo->initiatives->len;
              g_ptr_array_add (demo->initiatives, extra->initiative);
              g_ptr_array_add (demo->plans, extra);
              demo_fit_template (&rng, extra, EUR (9500));
            }
          extra->initiative->state = demo->today - extra->received >= 42
                                       ? BUURTEN_INITIATIVE_IN_PROGRESS
                                       : BUURTEN_INITIATIVE_DEAL_SIGNED;
          g_clear_pointer (&extra->initiative->support_note, g_free);
          demo_settle_initiative (demo, &rng, extra);
          grant = MIN (extra->initiative->requested_cents, amount - EUR (2500));
          if (!demo_grant (demo, &decisions, extra, grant, FALSE, TRUE))
            break;
          amount = over->budget - over->committed + overrun;
          amount = (amount + EUR (50) - 1) / EUR (50) * EUR (50);
        }

      if (amount > 0)
        demo_fit_template (&rng, over_plan, amount);
      if (amount <= 0 || !demo_grant (demo, &decisions, over_plan, amount, FALSE, TRUE))
        demo_hold_back (demo, &decisions, over_plan);
    }

  for (guint p = 0; p < demo->plans->len; p++)
    {
      InitiativePlan *plan = g_ptr_array_index (demo->plans, p);
      BuurtenInitiative *initiative = plan->initiative;
      guint32 last = plan->decided != 0 ? plan->decided : plan->received;
      DatedIndex entry = { plan->received, p };
      guint32 updated = clamp_day (demo, (gint64) last + rng_between (&rng, 0, 10), last);

      g_array_append_val (plan->wijk->initiatives, entry);
      initiative->updated_at = demo_random_time (demo, &rng, updated, 8, 17);
      initiative->updated_at = MAX (initiative->updated_at, initiative->received_at);
    }
  for (guint w = 0; w < demo->n_wijken; w++)
    g_array_sort (demo->wijken[w].initiatives, compare_dated);
}

/* ---- escalations ----------------------------------------------------- */

static gboolean
request_is_open (const BuurtenRequest *request)
{
  return request->state != BUURTEN_REQUEST_RESOLVED &&
         request->state != BUURTEN_REQUEST_CANCELLED;
}

static void
demo_make_escalations (Demo *demo)
{
  static const BuurtenEscalationLevel levels[] = {
    BUURTEN_LEVEL_OPERATIONAL, BUURTEN_LEVEL_STURINGSOVERLEG, BUURTEN_LEVEL_PROFESSIONAL,
    BUURTEN_LEVEL_BESTUURLIJK, BUURTEN_LEVEL_COLLEGE,
  };
  static const guint level_weights[] = { 30, 25, 15, 24, 3 };
  static const char * const operational[] = {
    "Meerdere partners betrokken; afspraken nodig over wie wat doet.",
    "Terugkerende melding; vraagt om een gezamenlijke aanpak in het wijkteam.",
  };
  static const char * const steering[] = {
    "Het wijkteam komt er niet uit: het probleem speelt in meerdere wijken.",
    "Capaciteit bij de partners ontbreekt; een besluit over de prioriteit is nodig.",
  };
  static const char * const professional[] = {
    "Bewoner heeft persoonlijke ondersteuning nodig die buiten de rol van de "
    "buurtcoördinator valt.",
    "Zorgen over een gezin met jonge kinderen; doorgezet naar de jeugdhulp.",
  };
  static const char * const professionals[] = { "Kwintes", "Sherpa", "Jeugd en Gezin" };
  static const char * const administrative[] = {
    "De oplossing vraagt een bestuurlijk besluit over de inrichting van de straat.",
    "Bewoners vragen om een gesprek met de wijkwethouder.",
  };
  guint n = CLAMP (demo->requests->len / 60, 10, 30);
  DemoRng rng;

  rng_init (&rng, demo->options->seed, STREAM_ESCALATIONS);
  if (demo->escalations->len < n)
    n -= demo->escalations->len;
  else
    n = 0;

  for (guint e = 0; e < n; e++)
    {
      WijkPlan *wijk = &demo->wijken[rng_below (&rng, demo->n_wijken)];
      BuurtenEscalationLevel level = levels[rng_weighted (&rng, level_weights,
                                                          G_N_ELEMENTS (level_weights))];
      const char *subject_type = NULL;
      const char *subject_id = NULL;
      guint32 subject_day = 0;
      g_autofree char *target = NULL;
      char *reason;
      BuurtenEscalationState state;
      guint32 day;
      guint32 age;

      if (wijk->requests->len > 0 && (rng_percent (&rng, 75) || wijk->initiatives->len == 0))
        {
          DatedIndex *entry = NULL;
          BuurtenRequest *request;

          /* Prefer a request that is still open: that is what gets stuck. */
          for (guint tries = 0; tries < 40; tries++)
            {
              entry = &g_array_index (wijk->requests, DatedIndex,
                                      rng_below (&rng, wijk->requests->len));
              if (request_is_open (g_ptr_array_index (demo->requests, entry->index)))
                break;
            }
          request = g_ptr_array_index (demo->requests, entry->index);
          subject_type = "request";
          subject_id = request->id;
          subject_day = entry->jd;
        }
      else if (wijk->initiatives->len > 0)
        {
          DatedIndex *entry = &g_array_index (wijk->initiatives, DatedIndex,
                                              rng_below (&rng, wijk->initiatives->len));
          InitiativePlan *plan = g_ptr_array_index (demo->plans, entry->index);

          subject_type = "initiative";
          subject_id = plan->initiative->id;
          subject_day = entry->jd;
        }
      else
        continue;

      switch (level)
        {
        case BUURTEN_LEVEL_OPERATIONAL:
          {
            const BuurtenCluster *cluster =
              buurten_municipality_lookup_cluster (demo->municipality, wijk->cluster);

            target = g_strdup_printf ("Extern wijkteam %s",
                                      cluster != NULL ? cluster->name : wijk->name);
            reason = g_strdup (RNG_PICK (&rng, operational));
          }
          break;
        case BUURTEN_LEVEL_STURINGSOVERLEG:
          target = g_strdup ("Sturingsoverleg");
          reason = g_strdup (RNG_PICK (&rng, steering));
          break;
        case BUURTEN_LEVEL_PROFESSIONAL:
          target = g_strdup (RNG_PICK (&rng, professionals));
          reason = g_strdup (RNG_PICK (&rng, professional));
          break;
        case BUURTEN_LEVEL_COLLEGE:
          target = g_strdup ("College van B&W");
          reason = g_strdup ("Verschil van inzicht tussen de wijkwethouder en de "
                             "portefeuillehouder verkeer.");
          break;
        case BUURTEN_LEVEL_BESTUURLIJK:
        case BUURTEN_LEVEL_BUDGET:
        default:
          target = g_strdup_printf ("Wijkwethouder %s", wijk->name);
          reason = g_strdup (RNG_PICK (&rng, administrative));
          break;
        }

      day = clamp_day (demo, (gint64) subject_day + rng_between (&rng, 10, 40), subject_day);
      age = demo->today - day;
      if (age < 21)
        state = rng_percent (&rng, 50) ? BUURTEN_ESCALATION_OPEN : BUURTEN_ESCALATION_TAKEN;
      else
        {
          static const BuurtenEscalationState states[] = {
            BUURTEN_ESCALATION_SOLVED, BUURTEN_ESCALATION_TAKEN,
            BUURTEN_ESCALATION_RETURNED, BUURTEN_ESCALATION_OPEN,
          };
          static const guint weights[] = { 50, 25, 10, 15 };

          state = states[rng_weighted (&rng, weights, G_N_ELEMENTS (weights))];
        }

      demo_add_escalation (demo, &rng, wijk, subject_type, subject_id, level, target,
                           reason, state, day);
    }

  for (guint w = 0; w < demo->n_wijken; w++)
    g_array_sort (demo->wijken[w].escalations, compare_dated);
}

/* ---- meetings -------------------------------------------------------- */

typedef struct
{
  const char *subject_type;
  const char *subject_id;
  char       *title;
} AgendaCandidate;

/* One subject of wijk dated <= day (recent ones first), not yet on the agenda. */
static gboolean
pick_subject (Demo       *demo,
              DemoRng    *rng,
              WijkPlan   *wijk,
              int         kind,      /* 0 request, 1 initiative, 2 escalation, 3 theme */
              guint32     day,
              GPtrArray  *taken,
              AgendaCandidate *out)
{
  GArray *dated = NULL;
  int last;

  if (kind == 3)
    {
      for (guint tries = 0; tries < 4 && wijk->themes->len > 0; tries++)
        {
          guint t = rng_below (rng, wijk->themes->len);
          const char *title = g_ptr_array_index (wijk->themes, t);
          const char *theme_id = NULL;

          for (guint k = 0; k < demo->themes->len; k++)
            {
              BuurtenTheme *theme = g_ptr_array_index (demo->themes, k);

              if (theme->title == title)
                theme_id = theme->id;
            }
          if (theme_id == NULL || g_ptr_array_find (taken, theme_id, NULL))
            continue;
          out->subject_type = "theme";
          out->subject_id = theme_id;
          out->title = g_strdup_printf ("Thema: %s", title);
          return TRUE;
        }
      return FALSE;
    }

  dated = kind == 0 ? wijk->requests : kind == 1 ? wijk->initiatives : wijk->escalations;
  last = dated_upper (dated, day);
  if (last < 0)
    return FALSE;

  for (guint tries = 0; tries < 6; tries++)
    {
      int window = MIN (last + 1, 40);
      DatedIndex *entry = &g_array_index (dated, DatedIndex,
                                          last - (int) rng_below (rng, (guint32) window));

      if (kind == 0)
        {
          BuurtenRequest *request = g_ptr_array_index (demo->requests, entry->index);

          if (g_ptr_array_find (taken, request->id, NULL))
            continue;
          out->subject_type = "request";
          out->subject_id = request->id;
          out->title = g_strdup_printf ("Melding: %s", request->title);
        }
      else if (kind == 1)
        {
          InitiativePlan *plan = g_ptr_array_index (demo->plans, entry->index);

          if (g_ptr_array_find (taken, plan->initiative->id, NULL))
            continue;
          out->subject_type = "initiative";
          out->subject_id = plan->initiative->id;
          out->title = g_strdup_printf ("Initiatief: %s", plan->initiative->title);
        }
      else
        {
          BuurtenEscalation *escalation = g_ptr_array_index (demo->escalations, entry->index);

          if (g_ptr_array_find (taken, escalation->id, NULL))
            continue;
          out->subject_type = "escalation";
          out->subject_id = escalation->id;
          out->title = g_strdup_printf ("Escalatie naar %s", escalation->target);
        }
      return TRUE;
    }
  return FALSE;
}

static void
demo_add_meeting (Demo               *demo,
                  DemoRng            *rng,
                  BuurtenMeetingKind  kind,
                  WijkPlan          **scope,
                  guint               n_scope,
                  const char         *wijk,
                  const char         *cluster,
                  guint32             day,
                  int                 hour,
                  int                 minute,
                  const char         *location)
{
  static const guint kind_weights[][4] = {
    /* request, initiative, escalation, theme */
    [BUURTEN_MEETING_WIJKOVERLEG] = { 15, 50, 20, 15 },
    [BUURTEN_MEETING_WIJKTEAM] = { 60, 15, 25, 0 },
    [BUURTEN_MEETING_STURINGSOVERLEG] = { 15, 5, 70, 10 },
    [BUURTEN_MEETING_BUURTSCHOUW] = { 50, 20, 0, 30 },
  };
  BuurtenMeeting *meeting = buurten_meeting_new ();
  g_autoptr(GPtrArray) taken = g_ptr_array_new ();
  guint32 horizon = MIN (day, demo->today);
  guint n_items = (guint) rng_between (rng, 3, 6);
  guint position = 1;

  meeting->id = rng_uuid (rng);
  meeting->kind = kind;
  meeting->wijk = g_strdup (wijk);
  meeting->cluster = g_strdup (cluster);
  meeting->starts_at = demo_timestamp (demo, day, hour, minute);
  meeting->location = g_strdup (location);
  meeting->version = 1;
  g_ptr_array_add (demo->meetings, meeting);

  for (guint tries = 0; tries < n_items * 3 && position <= n_items; tries++)
    {
      WijkPlan *from = scope[rng_below (rng, n_scope)];
      int subject = (int) rng_weighted (rng, kind_weights[kind], 4);
      AgendaCandidate candidate = { NULL, NULL, NULL };
      BuurtenAgendaItem *item;

      if (!pick_subject (demo, rng, from, subject, horizon, taken, &candidate))
        continue;

      item = buurten_agenda_item_new ();
      item->id = rng_uuid (rng);
      item->meeting_id = g_strdup (meeting->id);
      item->subject_type = g_strdup (candidate.subject_type);
      item->subject_id = g_strdup (candidate.subject_id);
      item->title = candidate.title;
      item->position = position++;
      item->version = 1;
      g_ptr_array_add (taken, (gpointer) candidate.subject_id);
      g_ptr_array_add (demo->agenda_items, item);
    }

  /* Past meetings produced actions; future ones have none yet. */
  if (day <= demo->today)
    {
      guint n_actions = (guint) rng_between (rng, 1, 3);
      guint first_title = rng_below (rng, G_N_ELEMENTS (action_titles));

      for (guint a = 0; a < n_actions; a++)
        {
          BuurtenAction *action = buurten_action_new ();
          guint32 due = day + (guint32) rng_between (rng, 7, 28);

          action->id = rng_uuid (rng);
          action->meeting_id = g_strdup (meeting->id);
          action->owner = g_strdup (rng_percent (rng, 60) ? RNG_PICK (rng, partners)
                                                          : scope[0]->buco);
          action->title = g_strdup (action_titles[(first_title + a) %
                                                  G_N_ELEMENTS (action_titles)]);
          g_date_set_julian (&action->due_on, due);
          action->completed = due < demo->today ? rng_percent (rng, 85) : rng_percent (rng, 10);
          action->version = 1;
          g_ptr_array_add (demo->actions, action);
        }
    }
}

static void
demo_make_meetings (Demo *demo)
{
  GPtrArray *clusters = buurten_municipality_get_clusters (demo->municipality);
  g_autofree WijkPlan **all = g_new0 (WijkPlan *, demo->n_wijken);
  DemoRng rng;

  rng_init (&rng, demo->options->seed, STREAM_MEETINGS);
  for (guint i = 0; i < demo->n_wijken; i++)
    all[i] = &demo->wijken[i];

  /* Wijkoverleg (buco and wijkwethouder) every four weeks per wijk. */
  for (guint i = 0; i < demo->n_wijken; i++)
    {
      WijkPlan *wijk = &demo->wijken[i];
      guint32 day = next_weekday (julian_of (demo->year, G_DATE_JANUARY, 5) + 7 * (i / 3 % 4),
                                  G_DATE_TUESDAY + i % 3);

      for (; day <= demo->year_end; day += 28)
        demo_add_meeting (demo, &rng, BUURTEN_MEETING_WIJKOVERLEG, &all[i], 1, wijk->id, NULL,
                          day, i % 2 == 0 ? 10 : 13, 0, "Raadhuis, Dudokpark 1");
    }

  /* The external wijkteam meets every two weeks on location in its cluster. */
  for (guint c = 0; clusters != NULL && c < clusters->len; c++)
    {
      const BuurtenCluster *cluster = g_ptr_array_index (clusters, c);
      g_autofree WijkPlan **scope = g_new0 (WijkPlan *, demo->n_wijken);
      g_autofree char *location = NULL;
      guint n_scope = 0;
      guint32 day;

      for (guint i = 0; i < demo->n_wijken; i++)
        if (g_strcmp0 (demo->wijken[i].cluster, cluster->id) == 0)
          scope[n_scope++] = &demo->wijken[i];
      if (n_scope == 0)
        continue;

      location = g_strdup_printf ("Buurthuis %s, %s", cluster->name,
                                  scope[0]->flavour != NULL ? scope[0]->flavour->streets[0]
                                                            : generic_streets[0]);
      day = next_weekday (julian_of (demo->year, G_DATE_JANUARY, 8) + 7 * (c % 2),
                          G_DATE_THURSDAY);
      for (; day <= demo->year_end; day += 14)
        demo_add_meeting (demo, &rng, BUURTEN_MEETING_WIJKTEAM, scope, n_scope, NULL,
                          cluster->id, day, 14, 0, location);
    }

  /* The sturingsoverleg, city-wide, every six weeks. */
  for (guint32 day = next_weekday (julian_of (demo->year, G_DATE_JANUARY, 12), G_DATE_MONDAY);
       day <= demo->year_end; day += 42)
    demo_add_meeting (demo, &rng, BUURTEN_MEETING_STURINGSOVERLEG, all, demo->n_wijken, NULL,
                      NULL, day, 9, 30, "Raadhuis, Dudokpark 1 (Burgemeesterskamer)");

  /* One buurtschouw per wijk between March and October, on a Saturday. */
  for (guint i = 0; i < demo->n_wijken; i++)
    {
      WijkPlan *wijk = &demo->wijken[i];
      guint32 day = next_weekday (julian_of (demo->year, G_DATE_MARCH, 14) +
                                  21 * (i % 10), G_DATE_SATURDAY);
      g_autofree char *location = g_strdup_printf ("Verzamelen bij de %s",
                                                   wijk_street (wijk, &rng));

      demo_add_meeting (demo, &rng, BUURTEN_MEETING_BUURTSCHOUW, &all[i], 1, wijk->id, NULL,
                        day, 10, 0, location);
    }
}

/* ---- notes ----------------------------------------------------------- */

static void
demo_make_notes (Demo *demo)
{
  DemoRng rng;

  rng_init (&rng, demo->options->seed, STREAM_NOTES);
  for (guint i = 0; i < demo->requests->len; i++)
    {
      BuurtenRequest *request = g_ptr_array_index (demo->requests, i);
      guint32 received = g_array_index (demo->request_days, guint32, i);
      WijkPlan *wijk;
      BuurtenNote *note;
      guint32 day;

      if (request->state == BUURTEN_REQUEST_NEW || !rng_percent (&rng, 15))
        continue;

      wijk = demo_lookup_wijk (demo, request->wijk);
      day = clamp_day (demo, (gint64) received + rng_between (&rng, 1, 10), received);
      note = buurten_note_new ();
      note->id = rng_uuid (&rng);
      note->subject_type = g_strdup ("request");
      note->subject_id = g_strdup (request->id);
      note->body = g_strdup (RNG_PICK (&rng, note_bodies));
      note->author = g_strdup (wijk != NULL ? wijk->buco : DEMO_ACTOR);
      note->created_at = demo_random_time (demo, &rng, day, 8, 17);
      note->created_at = MAX (note->created_at, request->received_at + 3600);
      note->version = 1;
      g_ptr_array_add (demo->notes, note);
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
    { &buurten_decision_info, demo->decisions, FALSE },
    { &buurten_commitment_info, demo->commitments, FALSE },
    { &buurten_signature_info, demo->signatures, FALSE },
    { &buurten_payment_info, demo->payments, FALSE },
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
  demo_make_escalations (&demo);
  demo_make_meetings (&demo);
  demo_make_notes (&demo);

  if (!buurten_store_import_municipality (store, municipality, error))
    return FALSE;

  if (!buurten_store_begin (store, error))
    return FALSE;
  if (!demo_write (&demo, store, progress, user_data, error) ||
      !buurten_store_commit (store, error))
    {
      buurten_store_rollback (store);
      return FALSE;
    }

  return TRUE;
}
