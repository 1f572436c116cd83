#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The coordinator's desktop (issue 3) driven through AT-SPI and xdotool.

Started by run-ui-tests.sh with a fresh app on a fresh demo database. The
expected figures come straight from the SQLite file (Python's sqlite3),
never from the app. Prints "ok - ..." / "not ok - ..." lines; the runner
numbers them.

Scenarios:
  desktop    the dashboard of my first wijk, its thermometer against the
             store, the cards, the city overview (every wijk's and pot's
             thermometer side by side, a card opens its wijk by click and by
             keyboard), every view by keyboard (Alt+1..6), search as you
             type (Ctrl+F), screenshots wide and narrow
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

from test_foundation import (Figures, Tap, alive, find, find_all, find_app,  # noqa: E402
                             items, key, money, named, percent, permille, poll, role,
                             screenshot, snapshot, subtree, titles, window_id, STRINGS)

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


# What a thermometer adds to its accessible name when the budget is
# overrun (po/nl.po keeps the English words).
OVER_BUDGET = {"en": "{text}; {over} over budget", "nl": "{text}; {over} boven budget"}


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
    if approved + pending > budget:
        text = OVER_BUDGET[lang].format(text=text,
                                        over=money(approved + pending - budget, lang, True))
    return text, min(pm, 1000) / 1000.0


def sidebar_of(app):
    return find(app, lambda n: n.getRoleName() == "list" and n.childCount > 0
                and n[0].name == "Hilversum")


def select_in_sidebar(app, name):
    """Selects a row of the sidebar (the list's Selection interface)."""
    sidebar = sidebar_of(app)
    rows = items(sidebar) if sidebar else []
    row = next((r for r in rows if r.name == name), None)
    if row is None:
        return False
    return sidebar.querySelection().selectChild(sidebar.children.index(row))


def activate_in_sidebar(pid, app, name):
    """Clicks a row of the sidebar (folded: shows its page; its rows have no
    AT-SPI action)."""
    sidebar = sidebar_of(app)
    row = next((r for r in items(sidebar) if r.name == name), None) if sidebar else None
    return row is not None and click(pid, row)


def city_lists(app):
    """The city page's lists of cards: wijken, then pots."""
    city = subtree(snapshot(app), "BuurtenCityPage")
    return city, find_all(city, role("list")) if city else []


def extents(node):
    import pyatspi
    try:
        e = node.acc.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
        return (e.x, e.y, e.width, e.height)
    except Exception:
        return None


def click(pid, node):
    """A mouse click in the middle of node (xdotool; AT-SPI positions are
    relative to the window)."""
    box = extents(node)
    wid = window_id(pid)
    if not box or not wid:
        return False
    subprocess.run(["xdotool", "mousemove", "--window", wid, str(box[0] + box[2] // 2),
                    str(box[1] + box[3] // 2), "click", "1"], check=False, timeout=10)
    time.sleep(0.5)
    return True


def focused(node):
    import pyatspi
    try:
        return node.acc.getState().contains(pyatspi.STATE_FOCUSED)
    except Exception:
        return False


def check_city(tap, app, args, fig, quick):
    """The city overview: a card per wijk and per pot, each with its own
    thermometer; a wijk's card opens the wijk."""
    wijken = fig.wijken()
    names = [w[1] for w in wijken]
    select_in_sidebar(app, "Hilversum")
    ok = poll(lambda: "Hilversum" in titles(app)
              and len(city_lists(app)[1]) >= 1
              and len(items(city_lists(app)[1][0])) == len(names))
    if not tap.check(bool(ok), "selecting Hilversum shows the city with a card per wijk"):
        return
    city, lists = city_lists(app)
    screenshot(args.shots and args.shots + "-city.png", args.pid)

    cards = items(lists[0])
    first_row = []
    if not quick:
        tap.check([c.name for c in cards] == names, "the city lists the 8 wijken in order",
                  [c.name for c in cards])
        good = []
        for (wijk, name, _), card in zip(wijken, cards):
            bar = find(card, role("level bar"))
            expected, value = thermometer_text(fig, wijk, name, args.lang)
            good.append(bar is not None and bar.name == expected
                        and abs(bar.queryValue().currentValue - value) < 1e-6
                        and find(card, named("label", money(fig.budget(wijk), args.lang)))
                        is not None)
            if not good[-1]:
                print("# %s: %s" % (name, bar.name if bar else "no thermometer"), flush=True)
        tap.check(len(good) == 8 and all(good),
                  "every wijk's card has its budget and its own thermometer, read from the store")

        pots = fig.pots()
        pot_cards = items(lists[1]) if len(lists) > 1 else []
        tap.check([c.name for c in pot_cards] == [p[1] for p in pots] and pots,
                  "the city-wide pots (wijkkansen) have cards of their own",
                  [c.name for c in pot_cards])
        pot_bars = [find(c, role("level bar")) for c in pot_cards]
        tap.check(pot_bars and all(b is not None and b.name.startswith(c.name + ":")
                                   for b, c in zip(pot_bars, pot_cards)),
                  "every pot's card has its own thermometer",
                  [b.name if b else None for b in pot_bars])

        # Side by side when wide: the first cards share a line.
        tops = [extents(c) for c in cards]
        first_row = [t for t in tops if t and tops[0] and t[1] == tops[0][1]]
        tap.check(len(first_row) >= 3,
                  "wide, the thermometers stand side by side (%d on the first line)"
                  % len(first_row), tops)

    # Narrow: folded, the city in the content pane, one card under the other.
    resize(args.pid, 400, 760)
    activate_in_sidebar(args.pid, app, "Hilversum")
    time.sleep(1.5)
    screenshot(args.shots and args.shots + "-city-narrow.png", args.pid)
    if not quick:
        city, lists = city_lists(app)
        tops = [extents(c) for c in items(lists[0])] if lists else []
        xs = [t[0] for t in tops if t]
        ys = [t[1] for t in tops if t]
        tap.check(len(ys) == 8 and len(set(ys)) == 8 and len(set(xs)) == 1
                  and all(t[2] > 300 for t in tops),
                  "narrow, the cards stand one under the other, full width", tops)
    resize(args.pid, 1280, 800)
    if quick:
        return

    # Activating a card opens its wijk: by keyboard, then through its
    # button. Tab leaves the sidebar for the page (it does not walk, and
    # select, the wijk rows one by one), so a few Tabs from Hilversum reach
    # the cards; Shift+Tab from the sidebar goes to its header.
    activate_in_sidebar(args.pid, app, "Hilversum")
    poll(lambda: "Hilversum" in titles(app))
    city, lists = city_lists(app)
    buttons = [find(c, role("push button")) for c in items(lists[0])]
    tap.check(len(buttons) == 8 and all(b is not None and b.name == c.name
                                        for b, c in zip(buttons, items(lists[0]))),
              "every wijk's card is a button named after the wijk")
    main_menu = STRINGS[args.lang]["main_menu"]
    key(args.pid, "shift+Tab")
    tap.check(poll(lambda: any(n.name == main_menu for n in find_all(app, focused)), timeout=3),
              "Shift+Tab from the sidebar goes to the main menu in its header",
              [(n.getRoleName(), n.name) for n in find_all(app, focused)])
    activate_in_sidebar(args.pid, app, "Hilversum")
    hit = None
    for n in range(8):
        key(args.pid, "Tab")
        hit = next((i for i, b in enumerate(buttons) if b is not None and focused(b)), None)
        if hit is not None:
            break
    tap.check(hit == 0 and "Hilversum" in titles(app),
              "Tab from the sidebar reaches the first wijk card, no other wijk selected "
              "on the way (%d Tabs)" % (n + 1), (hit, titles(app)))
    if tap.check(hit is not None, "the keyboard reaches the cards of the wijken (Tab)"):
        key(args.pid, "Return")
        tap.check(poll(lambda: names[hit] in titles(app), timeout=10),
                  "Return on the card of %s opens %s" % (names[hit], names[hit]), titles(app))
        select_in_sidebar(app, "Hilversum")
        poll(lambda: "Hilversum" in titles(app))
    city, lists = city_lists(app)
    centrum = next((c for c in items(lists[0]) if c.name == "Centrum"), None) if lists else None
    button = find(centrum, role("push button")) if centrum else None
    if tap.check(button is not None, "the card of Centrum has a button"):
        button.queryAction().doAction(0)
        tap.check(poll(lambda: "Centrum" in titles(app), timeout=10),
                  "activating the card of Centrum opens Centrum", titles(app))


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

    check_city(tap, app, args, fig, args.quick)
    select_in_sidebar(app, "Centrum")
    poll(lambda: in_dashboards(app, lambda n: n.getRoleName() == "level bar"
                               and n.name.startswith("Centrum:")))
    key(args.pid, "alt+1")

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
