#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The coordinator's desktop (issue 3) driven through AT-SPI and xdotool.

Started by run-ui-tests.sh with a fresh app on a fresh demo database. The
expected figures come straight from the SQLite file (Python's sqlite3),
never from the app. Prints "ok - ..." / "not ok - ..." lines; the runner
numbers them.

Scenarios:
  desktop    the dashboard of my first wijk, its thermometer against the
             store, the cards, every view by keyboard (Alt+1..6), search as
             you type (Ctrl+F), screenshots wide and narrow
  first-run  no identity yet: the welcome form asks name, role and wijken
"""

import argparse
import os
import sqlite3
import subprocess
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from test_foundation import (Figures, Tap, alive, find, find_all, find_app, key, money,  # noqa: E402
                             named, percent, permille, poll, role, screenshot, snapshot,
                             subtree, window_id, STRINGS)

TEXT = {
    "en": {
        "views": ["Overview", "Requests", "Initiatives", "Escalations", "Agenda", "Budget"],
        "cards": ["Waiting for a Decision", "Overdue", "Open Escalations", "Next Meeting",
                  "Wijk Themes"],
        "my_wijken": "My Wijken",
        "welcome": "Welcome to Buurten",
        "start": "Start",
        "requests": "Requests",
    },
    "nl": {
        "views": ["Overzicht", "Meldingen", "Initiatieven", "Escalaties", "Agenda", "Budget"],
        "cards": ["Wacht op besluit", "Over termijn", "Open escalaties", "Volgend overleg",
                  "Wijkthema's"],
        "my_wijken": "Mijn wijken",
        "welcome": "Welkom bij Buurten",
        "start": "Starten",
        "requests": "Meldingen",
    },
}


def resize(pid, width, height):
    wid = window_id(pid)
    if wid:
        subprocess.run(["xdotool", "windowsize", wid, str(width), str(height)], check=False,
                       timeout=10)
        time.sleep(1.5)


def checked(node):
    """A view switcher button (role "page tab") of the visible view."""
    import pyatspi
    try:
        state = node.acc.getState()
    except Exception:
        return False
    return any(state.contains(s) for s in (pyatspi.STATE_SELECTED, pyatspi.STATE_CHECKED,
                                           pyatspi.STATE_PRESSED))


def dashboards(app):
    """The dashboard pages (the wijk's and "Ter besluitvorming")."""
    return find_all(snapshot(app), lambda n: n.getRoleName() == "filler"
                    and n.name == "BuurtenDashboardPage")


def in_dashboards(app, pred):
    """The first hit in the dashboard that shows a wijk (the one with a
    thermometer), else in any."""
    pages = dashboards(app)
    pages.sort(key=lambda p: find(p, lambda n: n.getRoleName() == "level bar"
                                  and n.name.startswith("Centrum:")) is None)
    for page in pages:
        hit = find(page, pred)
        if hit is not None:
            return hit
    return None


def view_buttons(app, names):
    header = snapshot(app)
    return {n.name: n for n in find_all(header, lambda n: n.getRoleName() == "page tab"
                                        and n.name in names)}


def thermometer_text(fig, wijk, name, lang):
    s = STRINGS[lang]
    budget = fig.budget(wijk)
    approved = fig.committed(wijk, "approved")
    pending = fig.committed(wijk, "pending")
    spent = fig.spent(wijk)
    pm = permille(approved + pending, budget)
    text = s["description"].format(
        name=name, budget=money(budget, lang, True), approved=money(approved, lang, True),
        pending=money(pending, lang, True), spent=money(spent, lang, True),
        committed=percent(pm, lang))
    return text, min(pm, 1000) / 1000.0


def check_desktop(tap, app, args):
    t = TEXT[args.lang]
    fig = None

    # Wide: 1280 x 800.
    time.sleep(1)
    resize(args.pid, 1280, 800)

    sidebar = poll(lambda: find(app, lambda n: n.getRoleName() == "list" and n.childCount > 0
                                and n[0].name == "Hilversum"), timeout=30)
    if not tap.check(sidebar is not None, "the sidebar appears with Hilversum on top"):
        return
    fig = Figures(args.db, args.year)
    if args.lang == "nl" and find(sidebar, named("label", t["my_wijken"])) is None \
            and find(sidebar, named("label", TEXT["en"]["my_wijken"])) is not None:
        # The Dutch of this issue is merged into po/nl.po by the lead from
        # the helpers' notes; until then the labels are English.
        print("not ok - [desktop, nl] the labels of the desktop are Dutch # TODO not yet "
              "in po/nl.po", flush=True)
        t = dict(TEXT["en"])
    names = [r.name for r in sidebar if r.getRoleName() == "list item"]
    tap.check(len(names) > 1 and names[1] == "Centrum",
              "my wijk Centrum comes right after Hilversum", names)
    tap.check(find(sidebar, named("label", t["my_wijken"])) is not None,
              "the sidebar has the heading “%s”" % t["my_wijken"])
    bars = find_all(sidebar, lambda n: n.getRoleName() == "level bar")
    tap.check(len(bars) == 8, "every wijk row has a thermometer bar", len(bars))

    # The dashboard opens on my first wijk.
    dash = poll(lambda: in_dashboards(app, lambda n: n.getRoleName() == "level bar"
                                      and n.name.startswith("Centrum:")))
    if not tap.check(dash is not None, "the dashboard opens on Centrum with its thermometer"):
        return
    expected, value = thermometer_text(fig, "centrum", "Centrum", args.lang)
    tap.check(dash.name == expected, "the thermometer reads “%s”" % expected, "got: " + dash.name)
    v = dash.queryValue()
    tap.check(abs(v.currentValue - value) < 1e-6,
              "the thermometer's value is the committed share %.3f" % value, v.currentValue)

    for card in t["cards"]:
        tap.check(in_dashboards(app, named("label", card)) is not None,
                  "the card “%s” is shown" % card)

    # Open escalations of Centrum, counted in the database.
    n_open = fig.db.execute("SELECT count(*) FROM escalation WHERE wijk = 'centrum' AND "
                            "state IN ('open', 'opgepakt')").fetchone()[0]
    esc_list = poll(lambda: in_dashboards(app, named("list", t["cards"][2])))
    rows = [r for r in esc_list if r.getRoleName() == "list item"] if esc_list else []
    shown = len(rows) if n_open else 0
    tap.check(shown == n_open, "“%s” lists the %d open escalations of Centrum"
              % (t["cards"][2], n_open), shown)
    screenshot(args.shots and args.shots + "-dashboard.png", args.pid)

    if args.quick:
        # The other style: screenshots of the same views, fewer checks.
        key(args.pid, "alt+2")
        time.sleep(2)
        screenshot(args.shots and args.shots + "-requests.png", args.pid)
        key(args.pid, "alt+1")
        resize(args.pid, 400, 760)
        screenshot(args.shots and args.shots + "-narrow.png", args.pid)
        return

    # Every view by keyboard.
    buttons = view_buttons(app, t["views"])
    tap.check(len(buttons) == 6, "the view switcher has the six views", sorted(buttons))
    for i, view in enumerate(t["views"], 1):
        key(args.pid, "alt+%d" % i)
        ok = poll(lambda: checked(view_buttons(app, [view]).get(view)), timeout=5)
        tap.check(bool(ok), "Alt+%d shows “%s”" % (i, view))
        if i == 2:
            screenshot(args.shots and args.shots + "-requests.png", args.pid)
    key(args.pid, "alt+1")

    # Search as you type: Ctrl+F, then a word.
    word = "stoeptegels"
    n_match = fig.db.execute("SELECT count(*) FROM request WHERE wijk = 'centrum' AND "
                             "lower(title || ' ' || coalesce(description, '')) LIKE ?",
                             ("%" + word + "%",)).fetchone()[0]
    key(args.pid, "ctrl+f")
    time.sleep(0.5)
    wid = window_id(args.pid)
    subprocess.run(["xdotool", "type", "--delay", "60"] + (["--window", wid] if wid else [])
                   + [word], check=False, timeout=30)

    def titles():
        table = find(subtree(snapshot(app), "BuurtenListView"),
                     lambda n: n.getRoleName() == "tree table" and n.name == t["requests"])
        return [lab.name for lab in find_all(table, role("label"))] if table else []

    def only_matches():
        # A request of Centrum without the word (seen before typing) is gone,
        # and one with it is there.
        texts = [x for x in titles() if x]
        return (any(word in x.lower() for x in texts)
                and not any("Hondenpoep" in x for x in texts))

    ok = poll(only_matches, timeout=10)
    tap.check(bool(ok) and n_match > 0,
              "typing “%s” leaves the matching requests (%d in the store)" % (word, n_match),
              titles()[:12])
    screenshot(args.shots and args.shots + "-search.png", args.pid)
    key(args.pid, "Escape", "alt+1")

    # Narrow: one pane with a back button, the switcher at the bottom.
    resize(args.pid, 400, 760)
    screenshot(args.shots and args.shots + "-narrow.png", args.pid)
    back = poll(lambda: find(snapshot(app), lambda n: n.getRoleName() == "push button"
                             and n.name in ("Back", "Terug")), timeout=5)
    tap.check(back is not None, "narrower than 600 px the window folds with a back button")
    key(args.pid, "alt+2")
    time.sleep(1)
    screenshot(args.shots and args.shots + "-narrow-requests.png", args.pid)
    resize(args.pid, 1280, 800)


def check_first_run(tap, app, args):
    t = TEXT[args.lang]
    welcome = poll(lambda: find(app, named("label", t["welcome"])), timeout=30)
    if not tap.check(welcome is not None, "the first run asks who I am (“%s”)" % t["welcome"]):
        return
    screenshot(args.shots and args.shots + "-welcome.png", args.pid)
    # The name field has the focus; type a name.
    subprocess.run(["xdotool", "type", "--delay", "40", "Test Gebruiker"], check=False,
                   timeout=30)
    centrum = poll(lambda: find(app, lambda n: n.getRoleName() in ("toggle button", "switch",
                                                                  "check box")
                                and n.name.split(" ")[0] == "Centrum"), timeout=5)
    if not tap.check(centrum is not None, "the wijken are offered as switches"):
        return
    centrum.queryAction().doAction(0)
    start = poll(lambda: find(app, lambda n: n.getRoleName() == "push button"
                              and t["start"] in n.name.replace("_", "").split()), timeout=5)
    if not tap.check(start is not None, "there is a “%s” button" % t["start"]):
        return
    time.sleep(0.5)
    start.queryAction().doAction(0)
    dash = poll(lambda: in_dashboards(app, lambda n: n.getRoleName() == "level bar"
                                      and n.name.startswith("Centrum:")), timeout=10)
    tap.check(dash is not None, "after the first run the dashboard shows my wijk Centrum")
    sidebar = find(app, lambda n: n.getRoleName() == "list" and n.childCount > 0
                   and n[0].name == "Hilversum")
    names = [r.name for r in sidebar if r.getRoleName() == "list item"] if sidebar else []
    tap.check(len(names) > 1 and names[1] == "Centrum", "Centrum is now my wijk", names)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scenario", choices=("desktop", "first-run"), default="desktop")
    parser.add_argument("--db")
    parser.add_argument("--year", type=int, default=time.localtime().tm_year)
    parser.add_argument("--lang", choices=("en", "nl"), default="en")
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--shots")
    parser.add_argument("--user", default="")
    parser.add_argument("--quick", action="store_true",
                        help="screenshots and the main checks only (the second style)")
    args = parser.parse_args()

    label = "[desktop %s, %s] " % (args.scenario, args.lang)

    class Prefixed(Tap):
        def check(self, ok, what, detail=None):
            return Tap.check(self, ok, label + what, detail)

    tap = Prefixed()
    app = poll(find_app, timeout=30)
    if tap.check(app is not None, "the app appears on the accessibility bus"):
        try:
            if args.scenario == "first-run":
                check_first_run(tap, app, args)
            else:
                check_desktop(tap, app, args)
        except Exception:
            tap.check(False, "the checks ran to the end", traceback.format_exc())
    tap.check(alive(args.pid), "the app is still running")
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
