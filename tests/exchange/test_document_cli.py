#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""`buurten --data-dir DIR document briefing ...` on the demo data.

Makes a demo database with buurten-demo, writes the wethouder's briefing of
a wijk through the app's executable (no window, no display) under a Dutch
locale, and reads the PDF back with poppler-utils: every required part
present, amounts as `€ 12.345,67`, "Pagina N van M", A4 pages, every font
embedded. The initiatives and escalations it must list are read from the
database itself (python's sqlite3), not typed here. Then the errors: an
unknown wijk, a date that is not one, an output that cannot be written, a
data directory without a database: each a Dutch line on stderr and exit 1.

usage: test_document_cli.py BUILD_DIR          (prints TAP)
"""

import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile

SEED = "20261"
YEAR = "2026"
TODAY = "2026-10-15"
MEETING = "2026-10-20"

results = []


def check(name, ok, detail=""):
    results.append((name, bool(ok), detail))


def dutch_env():
    env = dict(os.environ)
    env.pop("LANGUAGE", None)
    env["LC_ALL"] = "nl_NL.UTF-8"
    env["LANG"] = "nl_NL.UTF-8"
    # No display: the command must not need one.
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    return env


def run(cmd, env):
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)


def normalise(text):
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


def expected_items(db, wijk):
    """Titles of what waits for the wijkwethouder in wijk, from the data."""
    con = sqlite3.connect(db)
    try:
        titles = []
        for (title,) in con.execute(
            "SELECT i.title FROM commitment c JOIN initiative i ON i.id = c.initiative_id "
            "WHERE c.wijk = ? AND c.state = 'pending' "
            "AND (',' || c.required_roles || ',') LIKE '%,wijkwethouder,%' "
            "AND NOT EXISTS (SELECT 1 FROM signature s WHERE s.commitment_id = c.id "
            "AND s.role = 'wijkwethouder')",
            (wijk,),
        ):
            titles.append(title)
        reasons = [
            r
            for (r,) in con.execute(
                "SELECT reason FROM escalation WHERE wijk = ? AND level = 'bestuurlijk' "
                "AND state IN ('open', 'opgepakt')",
                (wijk,),
            )
        ]
        return titles, reasons
    finally:
        con.close()


def pick_wijk(db):
    """The wijk with the most waiting for its wijkwethouder."""
    con = sqlite3.connect(db)
    try:
        row = con.execute(
            "SELECT wijk, COUNT(*) FROM (SELECT wijk FROM commitment WHERE state = 'pending' "
            "AND required_roles LIKE '%wijkwethouder%' UNION ALL SELECT wijk FROM escalation "
            "WHERE level = 'bestuurlijk' AND state IN ('open', 'opgepakt')) "
            "GROUP BY wijk ORDER BY 2 DESC, wijk LIMIT 1"
        ).fetchone()
        return row[0]
    finally:
        con.close()


def pdf_checks(name, pdf, env):
    """A4, fonts embedded, "Pagina N van M", amounts as € 12.345,67: the text."""
    info = run(["pdfinfo", pdf], env).stdout
    m = re.search(r"^Pages:\s+(\d+)", info, re.M)
    pages = int(m.group(1)) if m else 0
    check(name + ": has pages", pages >= 1, info)
    sizes = run(["pdfinfo", "-f", "1", "-l", str(max(pages, 1)), pdf], env).stdout
    page_sizes = re.findall(r"^Page\s+\d+ size:\s+(.*)$", sizes, re.M)
    check(name + ": every page is A4", pages >= 1 and len(page_sizes) == pages and
          all(s.startswith("595.276 x 841.89 pts (A4)") for s in page_sizes), sizes)
    fonts = run(["pdffonts", pdf], env).stdout.splitlines()[2:]
    embedded = [re.search(r"\s(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$", f) for f in fonts]
    check(name + ": every font is embedded",
          fonts and all(m and m.group(1) == "yes" for m in embedded), "\n".join(fonts))
    text = run(["pdftotext", pdf, "-"], env).stdout
    page_texts = text.split("\f")
    check(name + ": every page says “Pagina N van %d”" % pages,
          all("Pagina %d van %d" % (n, pages) in normalise(page_texts[n - 1])
              for n in range(1, pages + 1)), text[-300:])
    amounts = re.findall(r"€\u00a0?\s?-?[0-9][0-9.]*,[0-9]{2}", text)
    well_formed = [a for a in amounts
                   if re.fullmatch(r"€[\u00a0 ]-?[0-9]{1,3}(\.[0-9]{3})*,[0-9]{2}", a)]
    check(name + ": every amount reads like € 12.345,67", len(well_formed) == len(amounts),
          str(sorted(set(amounts) - set(well_formed))))
    check(name + ": no English amount", re.search(r"€[0-9]{1,3}(,[0-9]{3})*\.[0-9]{2}", text)
          is None)
    return normalise(text)


def euro(cents):
    whole = "{:,}".format(cents // 100).replace(",", ".")
    return "€ %s,%02d" % (whole, cents % 100)


def check_initiative_documents(app, data, db, work, env):
    """The beschikking (a grant with a buurtdeal, a refusal) and the buurtdeal."""
    con = sqlite3.connect(db)
    try:
        granted = con.execute(
            "SELECT i.id, i.title, i.organiser, i.organiser_address, d.amount_cents, d.reason, "
            "d.commitment_id FROM decision d JOIN initiative i ON i.id = d.initiative_id "
            "JOIN commitment c ON c.id = d.commitment_id AND c.funding = 'wijkbudget' "
            "WHERE d.outcome = 'toegekend' AND d.amount_cents > 200000 "
            "AND d.commitment_id IS NOT NULL "
            "AND EXISTS (SELECT 1 FROM agreement a WHERE a.initiative_id = i.id) "
            "ORDER BY d.amount_cents DESC LIMIT 1").fetchone()
        refused = con.execute(
            "SELECT i.id, i.title, d.reason FROM decision d JOIN initiative i "
            "ON i.id = d.initiative_id WHERE d.outcome = 'afgewezen' LIMIT 1").fetchone()
        undecided = con.execute(
            "SELECT i.id, i.title FROM initiative i WHERE NOT EXISTS (SELECT 1 FROM decision d "
            "WHERE d.initiative_id = i.id) AND NOT EXISTS (SELECT 1 FROM agreement a "
            "WHERE a.initiative_id = i.id) LIMIT 1").fetchone()
        check("the demo has a grant with a buurtdeal, a refusal and an undecided initiative",
              granted and refused and undecided)
        if not (granted and refused and undecided):
            return
        agreements = con.execute("SELECT side, description FROM agreement WHERE initiative_id = ?",
                                 (granted[0],)).fetchall()
        signers = con.execute("SELECT user FROM signature WHERE commitment_id = ?",
                              (granted[6],)).fetchall()
        deal = con.execute("SELECT deal_signed_by, deal_signed_place FROM initiative WHERE id = ?",
                           (granted[0],)).fetchone()
    finally:
        con.close()

    # The grant.
    pdf = os.path.join(work, "beschikking.pdf")
    r = run([app, "--data-dir", data, "document", "beschikking", "--initiative", granted[0],
             "--output", pdf], env)
    check("document beschikking exits 0", r.returncode == 0, r.stderr)
    check("document beschikking prints nothing", r.stdout == "" and r.stderr == "",
          r.stdout + r.stderr)
    flat = pdf_checks("beschikking (grant)", pdf, env)
    for part in ["Gemeente Hilversum", "Dudokpark 1", "Subsidiebeschikking", "Kenmerk: BSK-2026-",
                 "Datum:", "Besluit", "Wij verlenen u een subsidie van", "Motivering",
                 "Voorwaarden", "Afspraken uit de buurtdeal", "Wat de bewoners doen",
                 "Wat de gemeente doet", "Verantwoording", "werkelijke kosten per begrotingspost",
                 "Wie besloot", "Mandaat", "mandaattabel 2026", "Bezwaar", "binnen 6 weken",
                 "Het college van burgemeester en wethouders van Hilversum", "Postbus 9900",
                 "Namens de gemeente: Wijkregisseur", "Namens de gemeente: Wijkwethouder"]:
        check("the beschikking says “%s”" % part, part in flat)
    check("the beschikking names the organiser and the address",
          normalise(granted[2]) in flat and normalise(granted[3]) in flat)
    check("the beschikking has the amount %s" % euro(granted[4]), euro(granted[4]) in flat)
    check("the beschikking has the decision's reason", normalise(granted[5]) in flat)
    check("the beschikking lists every agreement",
          all(normalise(d) in flat for _, d in agreements), str(agreements))
    check("the beschikking names every signer", signers and
          all(u in flat for (u,) in signers), str(signers))

    pdf2 = os.path.join(work, "beschikking2.pdf")
    run([app, "--data-dir", data, "document", "beschikking", "--initiative", granted[0],
         "--output", pdf2], env)
    check("the same beschikking twice: the same text (reference and date are stable)",
          normalise(run(["pdftotext", pdf2, "-"], env).stdout) == flat)

    # The refusal: no amount, the reason, the objection.
    pdf = os.path.join(work, "afwijzing.pdf")
    r = run([app, "--data-dir", data, "document", "beschikking", "--initiative", refused[0],
             "--output", pdf], env)
    check("a refusal's beschikking exits 0", r.returncode == 0, r.stderr)
    flat = pdf_checks("beschikking (refusal)", pdf, env)
    for part in ["Subsidiebeschikking", "afwijzing", "Wij wijzen uw aanvraag af", "Motivering",
                 "Bezwaar", "binnen 6 weken", "Postbus 9900"]:
        check("the refusal says “%s”" % part, part in flat)
    check("the refusal has its reason", normalise(refused[2]) in flat)
    check("the refusal has no amount and no conditions",
          "€" not in flat and "Voorwaarden" not in flat, flat[:400])

    # The buurtdeal.
    pdf = os.path.join(work, "buurtdeal.pdf")
    r = run([app, "--data-dir", data, "document", "buurtdeal", "--initiative", granted[0],
             "--output", pdf], env)
    check("document buurtdeal exits 0", r.returncode == 0, r.stderr)
    flat = pdf_checks("buurtdeal", pdf, env)
    for part in ["Buurtdeal", "Kenmerk: BD-", "Wat de bewoners doen", "Wat de gemeente doet",
                 "Afspraak", "Wie", "Uiterlijk", "Voortgang", "Ondertekening",
                 "Namens de bewoners: de initiatiefnemer", "Namens de gemeente: Wijkwethouder"]:
        check("the buurtdeal says “%s”" % part, part in flat)
    check("the buurtdeal lists every agreement",
          all(normalise(d) in flat for _, d in agreements), str(agreements))
    check("the buurtdeal has the organiser's signature as recorded",
          deal[0] and normalise(deal[0]) in flat and "%s, " % deal[1] in flat, str(deal))
    check("the buurtdeal names every signer of the municipality",
          all(u in flat for (u,) in signers), str(signers))
    check("the buurtdeal has the amount %s" % euro(granted[4]), euro(granted[4]) in flat)

    # Errors: a Dutch line, exit 1, no file.
    out = os.path.join(work, "none.pdf")
    for kind, args, words, name in [
        ("beschikking", ["--initiative", "0000-geen"], "Er is geen initiatief met het id",
         "an unknown initiative"),
        ("buurtdeal", ["--initiative", "0000-geen"], "Er is geen initiatief met het id",
         "an unknown initiative"),
        ("beschikking", ["--initiative", undecided[0]], "is nog niet besloten",
         "an initiative without a decision"),
        ("buurtdeal", ["--initiative", undecided[0]], "heeft geen buurtdeal",
         "an initiative without a buurtdeal"),
        ("beschikking", [], "--initiative ID", "a missing --initiative"),
    ]:
        r = run([app, "--data-dir", data, "document", kind] + args + ["--output", out], env)
        line = r.stderr.strip()
        check("%s %s: exit 1" % (kind, name), r.returncode == 1, "rc=%d" % r.returncode)
        check("%s %s: one Dutch line “%s”" % (kind, name, words),
              line != "" and "\n" not in line and words in line, line)
        check("%s %s: no file" % (kind, name), not os.path.exists(out))


def main():
    build = sys.argv[1]
    app = os.path.join(build, "src", "buurten")
    demo = os.path.join(build, "src", "demo", "buurten-demo")
    work = tempfile.mkdtemp(prefix="buurten-document-cli-")
    env = dutch_env()
    try:
        data = os.path.join(work, "data")
        r = run([demo, "--data-dir", data, "--seed", SEED, "--year", YEAR, "--today", TODAY], env)
        check("buurten-demo writes a demo database", r.returncode == 0, r.stderr)
        db = os.path.join(data, "buurten.db")
        wijk = pick_wijk(db)
        titles, reasons = expected_items(db, wijk)
        check("the demo has something waiting for a wijkwethouder", titles or reasons,
              "wijk %s" % wijk)

        pdf = os.path.join(work, "briefing.pdf")
        r = run([app, "--data-dir", data, "document", "briefing", "--wijk", wijk,
                 "--date", MEETING, "--output", pdf], env)
        check("document briefing exits 0", r.returncode == 0, r.stderr)
        check("document briefing prints nothing", r.stdout == "" and r.stderr == "",
              r.stdout + r.stderr)
        check("the PDF is written", os.path.isfile(pdf))

        info = run(["pdfinfo", pdf], env).stdout
        pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
        check("at least two pages (a summary page first)", pages >= 2, info)
        sizes = run(["pdfinfo", "-f", "1", "-l", str(pages), pdf], env).stdout
        page_sizes = re.findall(r"^Page\s+\d+ size:\s+(.*)$", sizes, re.M)
        check("every page is A4", len(page_sizes) == pages and
              all(s.startswith("595.276 x 841.89 pts (A4)") for s in page_sizes), sizes)

        fonts = run(["pdffonts", pdf], env).stdout.splitlines()[2:]
        check("the PDF has fonts", len(fonts) > 0)
        # Columns: name type encoding emb sub uni object ID; "emb" is the
        # third field from the end of the yes/no run.
        embedded = [re.search(r"\s(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$", f) for f in fonts]
        check("every font is embedded", all(m and m.group(1) == "yes" for m in embedded),
              "\n".join(fonts))

        text = run(["pdftotext", pdf, "-"], env).stdout
        flat = normalise(text)
        page_texts = text.split("\f")

        for part in ["Gemeente Hilversum", "Dudokpark 1", "Briefing wijkwethouder",
                     "Samenvatting", "Wacht op de wijkwethouder", "Ter besluitvorming",
                     "Vrij budget", "Escalaties naar de wijkwethouder", "Kenmerk: BRF-",
                     "overleg van dinsdag 20 oktober 2026", "Toegekend", "In afwachting",
                     "Besteed", "Vrij vóór", "Vrij na"]:
            check("the briefing says “%s”" % part, part in flat)
        for n in range(1, pages + 1):
            check("page %d says “Pagina %d van %d”" % (n, n, pages),
                  "Pagina %d van %d" % (n, pages) in normalise(page_texts[n - 1]))
        check("the summary is on the first page, the decisions after it",
              "Samenvatting" in page_texts[0] and "Ter besluitvorming" in normalise(page_texts[0])
              and "Vrij vóór" not in normalise(page_texts[0]))

        amounts = re.findall(r"€\u00a0?\s?-?[0-9][0-9.]*,[0-9]{2}", text)
        check("amounts are shown", len(amounts) >= 5, str(amounts[:5]))
        well_formed = [a for a in amounts
                       if re.fullmatch(r"€[\u00a0 ]-?[0-9]{1,3}(\.[0-9]{3})*,[0-9]{2}", a)]
        check("every amount reads like € 12.345,67", len(well_formed) == len(amounts),
              str(sorted(set(amounts) - set(well_formed))))
        check("no English amount (€12,345.67) slipped in",
              re.search(r"€[0-9]{1,3}(,[0-9]{3})*\.[0-9]{2}", text) is None)

        for i, title in enumerate(titles):
            check("the pending signature “%s” is listed" % title, normalise(title) in flat)
        for reason in reasons:
            check("the escalation “%s…” is listed" % reason[:30], normalise(reason) in flat)

        # The same document again: same pages (drawn once, deterministically).
        pdf2 = os.path.join(work, "again.pdf")
        run([app, "--data-dir", data, "document", "briefing", "--wijk", wijk, "--date", MEETING,
             "--output", pdf2], env)
        again = normalise(run(["pdftotext", pdf2, "-"], env).stdout)
        strip = lambda t: re.sub(r"Gemaakt door Buurten op .*? computer\.", "", t)
        strip2 = lambda t: re.sub(r"Datum: \S+ \d+ \S+ \d{4}", "", strip(t))
        check("writing it twice gives the same text", strip2(again) == strip2(flat))

        # Errors: a Dutch line on stderr, exit 1, no file.
        def error_case(name, args, words, out):
            r = run([app, "--data-dir", data, "document", "briefing"] + args, env)
            line = r.stderr.strip()
            check(name + ": exit 1", r.returncode == 1, "rc=%d" % r.returncode)
            check(name + ": one line", line != "" and "\n" not in line, r.stderr)
            check(name + ": says “%s”" % words, words in line, line)
            if out is not None:
                check(name + ": no file", not os.path.exists(out))

        out = os.path.join(work, "x.pdf")
        error_case("an unknown wijk", ["--wijk", "atlantis", "--date", MEETING, "--output", out],
                   "Er is geen wijk “atlantis”", out)
        error_case("a date that does not exist",
                   ["--wijk", wijk, "--date", "2026-02-30", "--output", out], "is geen datum", out)
        error_case("a date in another form",
                   ["--wijk", wijk, "--date", "20-10-2026", "--output", out], "is geen datum", out)
        bad = os.path.join(work, "no-such-dir", "x.pdf")
        error_case("an output that cannot be written",
                   ["--wijk", wijk, "--date", MEETING, "--output", bad], "niet schrijven", bad)
        error_case("a missing option", ["--wijk", wijk, "--date", MEETING], "--output", None)

        r = run([app, "--data-dir", os.path.join(work, "empty"), "document", "briefing", "--wijk",
                 wijk, "--date", MEETING, "--output", out], env)
        check("no database: exit 1", r.returncode == 1)
        check("no database: says so", "Er is geen Buurten-database" in r.stderr, r.stderr)
        check("no database: none made", not os.path.exists(os.path.join(work, "empty")))

        r = run([app, "--data-dir", data, "document", "notulen", "--output", out], env)
        check("a document Buurten does not write: exit 1", r.returncode == 1, r.stderr)
        check("a document Buurten does not write: names the ones it does",
              "beschikking, buurtdeal, briefing" in r.stderr, r.stderr)

        check_initiative_documents(app, data, db, work, env)

        r = run([app, "--help"], env)
        check("--help names the document command", "document briefing --wijk WIJK" in r.stdout,
              r.stdout)
        check("--help names document beschikking and buurtdeal",
              "document beschikking --initiative ID --output" in r.stdout and
              "document buurtdeal --initiative ID --output" in r.stdout, r.stdout)
        r = run([app, "document", "--help"], env)
        check("document --help explains it in Dutch",
              r.returncode == 0 and "briefing van de wijkwethouder" in r.stdout, r.stdout)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print("1..%d" % len(results))
    for i, (name, ok, detail) in enumerate(results, 1):
        print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
        if not ok and detail:
            for line in str(detail).splitlines()[:20]:
                print("#   " + line)
    return 0 if all(ok for _, ok, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
