#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Drives a running Buurten through AT-SPI and checks what it shows.

Started by run-ui-tests.sh, which launches the app first. Every check
prints one TAP line without a number ("ok - ...", "not ok - ..."); the
runner numbers them and prints the plan. The figures are computed here,
independently of the app, straight from the SQLite file with Python's
sqlite3 module.
"""

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import time
import traceback

import pyatspi

# What the app is expected to say, per language. Dutch here is the
# translation in po/nl.po; a missing translation fails these checks.
STRINGS = {
    "en": {
        "description": "{name}: {budget} budget, {approved} approved, {pending} pending, "
                       "{spent} spent, {committed} committed",
        "percent": "{}%",
        "cluster": "Cluster {}",
        "main_menu": "Main Menu",
        "about": "About Buurten",
        "city_pots": "City-Wide Pots",
        "newer": "Made by a Newer Version",
        "damaged": "The Data Is Damaged",
    },
    "nl": {
        "description": "{name}: {budget} budget, {approved} toegekend, {pending} in afwachting, "
                       "{spent} besteed, {committed} vastgelegd",
        "percent": "{}\u00a0%",
        "cluster": "Cluster {}",
        "main_menu": "Hoofdmenu",
        "about": "Over Buurten",
        "city_pots": "Stadsbrede potten",
        "newer": "Gemaakt door een nieuwere versie",
        "damaged": "De gegevens zijn beschadigd",
    },
}

COUNTED_FUNDING = ("wijkbudget", "handgeld")


class Tap:
    def __init__(self):
        self.failed = 0

    def check(self, ok, what, detail=None):
        print(("ok - " if ok else "not ok - ") + what, flush=True)
        if not ok:
            self.failed += 1
            if detail:
                for line in str(detail).splitlines():
                    print("# " + line, flush=True)
        return ok

    def skip(self, what, why):
        print("ok - %s # SKIP %s" % (what, why), flush=True)


# ---- independent figures ---------------------------------------------

def money(cents, lang, whole=False):
    """buurten_money_format() as documented: "€ 32.500,00" / "€32,500.00"."""
    negative = cents < 0
    euros, rest = divmod(abs(cents), 100)
    if lang == "nl":
        # A no-break space keeps the sign with its amount.
        text = "€\u00a0" + ("-" if negative else "") + "{:,}".format(euros).replace(",", ".")
        if not (whole and rest == 0):
            text += ",%02d" % rest
    else:
        text = ("-" if negative else "") + "€" + "{:,}".format(euros)
        if not (whole and rest == 0):
            text += ".%02d" % rest
    return text


def permille(part, whole):
    """Tenths of a percent, rounded half up (parts and wholes >= 0 here)."""
    if whole == 0 or part == 0:
        return 0
    return (2 * part * 1000 + whole) // (2 * whole)


def percent(pm, lang):
    return STRINGS[lang]["percent"].format((pm + 5) // 10)


class Figures:
    """The expected figures. Order and names come from the municipality file
    the store keeps (the file's order is the order the app shows); amounts
    from the tables."""

    def __init__(self, db, year):
        self.db = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
        self.year = year
        self.municipality = json.loads(self.one("SELECT json FROM municipality"))

    def one(self, sql, *args):
        row = self.db.execute(sql, args).fetchone()
        return (row[0] if row else None) or 0

    def wijken(self):
        return [(w["id"], w["name"], w["cluster"]) for w in self.municipality["wijken"]]

    def cluster_name(self, cluster):
        return next(c["name"] for c in self.municipality["clusters"] if c["id"] == cluster)

    def pots(self):
        tables = [t for t in self.municipality["budget_tables"] if t["valid_from"] <= self.year]
        if not tables:
            return []
        table = max(tables, key=lambda t: t["valid_from"])
        return [(p["id"], p["name"], p["budget_cents"]) for p in table.get("pots", [])]

    def table_budget(self, wijk):
        return self.one(
            "SELECT subsidy_cents + handgeld_cents FROM budget_table WHERE wijk = ?1 AND "
            "valid_from = (SELECT MAX(valid_from) FROM budget_table WHERE valid_from <= ?2)",
            wijk, self.year)

    def budget(self, wijk):
        y = self.year
        return (self.table_budget(wijk)
                + self.one("SELECT SUM(amount_cents) FROM transfer WHERE year = ? AND to_wijk = ?",
                           y, wijk)
                - self.one("SELECT SUM(amount_cents) FROM transfer WHERE year = ? AND from_wijk = ?",
                           y, wijk)
                + self.one("SELECT SUM(amount_cents) FROM carry_over WHERE wijk = ? AND "
                           "from_year = ?", wijk, y - 1)
                - self.one("SELECT SUM(amount_cents) FROM carry_over WHERE wijk = ? AND "
                           "from_year = ?", wijk, y))

    def committed(self, wijk, state):
        # What a verantwoording released is free again (issue 14, point 6).
        return self.one(
            "SELECT SUM(amount_cents - released_cents) FROM commitment WHERE wijk = ? AND "
            "year = ? AND "
            "funding IN (?, ?) AND state = ?", wijk, self.year, *COUNTED_FUNDING, state)

    def spent(self, wijk):
        return self.one(
            "SELECT SUM(p.amount_cents) FROM payment AS p JOIN commitment AS c "
            "ON c.id = p.commitment_id WHERE c.wijk = ? AND c.year = ? AND "
            "c.funding IN (?, ?) AND c.state = 'approved'", wijk, self.year, *COUNTED_FUNDING)


# ---- AT-SPI helpers ---------------------------------------------------

class Node:
    """One accessible with its role and name fetched once: every property
    read is a D-Bus round trip, and a check reads many."""

    def __init__(self, acc, role_name, name, children):
        self.acc = acc
        self.role = role_name
        self.name = name
        self.children = children

    def __iter__(self):
        return iter(self.children)

    def getRoleName(self):
        return self.role

    @property
    def childCount(self):
        return len(self.children)

    def __getitem__(self, i):
        return self.children[i]

    def queryAction(self):
        return self.acc.queryAction()

    def queryValue(self):
        return self.acc.queryValue()

    def querySelection(self):
        return self.acc.querySelection()

    def interfaces(self):
        return pyatspi.utils.listInterfaces(self.acc)


def snapshot(acc):
    if acc is None:
        return None
    if isinstance(acc, Node):
        acc = acc.acc
    try:
        children = [snapshot(child) for child in acc]
        return Node(acc, acc.getRoleName(), acc.name, [c for c in children if c is not None])
    except Exception:
        # A node can vanish while we walk (a page being rebuilt).
        return None


def find_all(node, pred, out=None):
    if out is None:
        out = []
    if node is None:
        return out
    if not isinstance(node, Node):
        node = snapshot(node)
        if node is None:
            return out
    if pred(node):
        out.append(node)
    for child in node.children:
        find_all(child, pred, out)
    return out


def find(node, pred):
    hits = find_all(node, pred)
    return hits[0] if hits else None


def poll(fn, timeout=20.0, step=0.2):
    deadline = time.time() + timeout
    while True:
        value = fn()
        if value or time.time() > deadline:
            return value
        time.sleep(step)


def role(name):
    return lambda n: n.getRoleName() == name


def named(role_name, name):
    return lambda n: n.getRoleName() == role_name and n.name == name


def find_app():
    desktop = pyatspi.Registry.getDesktop(0)
    for app in desktop:
        if app is not None and app.name == "buurten" and app.childCount > 0:
            return app
    return None


def subtree(app, name):
    """The accessible of one of our widget classes, named after its type."""
    return find(app, lambda n: n.getRoleName() == "filler" and n.name == name)


def titles(app):
    """The titles of the header bars of the sidebar and the content."""
    leaflet = subtree(snapshot(app), "AdwLeaflet")
    texts = []
    for title in find_all(leaflet, lambda n: n.name == "AdwWindowTitle"):
        labels = find_all(title, role("label"))
        texts.append(labels[0].name if labels else "")
    return texts


def items(list_node):
    """The rows of a list (row headers are children of the list too)."""
    return [child for child in list_node if child.getRoleName() == "list item"]


def window_id(pid):
    try:
        ids = subprocess.run(["xdotool", "search", "--onlyvisible", "--pid", str(pid)],
                             capture_output=True, text=True, timeout=10).stdout.split()
    except (OSError, subprocess.SubprocessError):
        return None
    return ids[0] if len(ids) == 1 else (ids[0] if ids else None)


def key(pid, *keys):
    """Keys to the main window (xdotool; AT-SPI cannot press accelerators)."""
    wid = window_id(pid)
    for k in keys:
        cmd = ["xdotool", "key"] + (["--window", wid] if wid else []) + [k]
        subprocess.run(cmd, check=False, timeout=10)
        time.sleep(0.3)


def screenshot(path, pid):
    """The main window only, when it can be found; else the whole screen."""
    if not path:
        return
    os.makedirs(os.path.dirname(path), exist_ok=True)
    window = "root"
    try:
        ids = subprocess.run(["xdotool", "search", "--onlyvisible", "--pid", str(pid)],
                             capture_output=True, text=True, timeout=10).stdout.split()
        if len(ids) == 1:
            window = ids[0]
    except (OSError, subprocess.SubprocessError):
        pass
    subprocess.run(["import", "-window", window, path], check=False, timeout=30)
    print("# screenshot " + path, flush=True)


def alive(pid):
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    # A zombie has crashed or exited too.
    try:
        with open("/proc/%d/stat" % pid) as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


# ---- one script's main() ----------------------------------------------

class Prefixed(Tap):
    """A Tap that starts every check with the script's label ("[forms, en] "),
    so that the runner's output says which run of which script it is."""

    def __init__(self, label):
        super().__init__()
        self.label = label

    def check(self, ok, what, detail=None):
        return Tap.check(self, ok, self.label + what, detail)


def run_script(name, check, description=None, lang="en", options=None, skip=None):
    """The main() of a script run by run-ui-tests.sh that checks one part of
    the running app; returns its exit status.

    name: the label's first part, "[name, lang] " before every check.
    check(tap, app, args): the checks; an exception in them becomes one
    "not ok" line instead of a lost plan.
    lang: the default of --lang.
    options(parser): adds the script's own options (--scenario, --quick).
    skip(args): what to print after the label when the script does not run
    here ("the forms # SKIP scenario empty"), or None when it does.
    """
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--db", required=True)
    parser.add_argument("--year", type=int, default=time.localtime().tm_year)
    parser.add_argument("--lang", choices=("en", "nl"), default=lang)
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--shots", help="screenshot path prefix")
    if options:
        options(parser)
    args, _ = parser.parse_known_args()

    label = "[%s, %s] " % (name, args.lang)
    why = skip(args) if skip else None
    if why:
        print("ok - %s%s" % (label, why), flush=True)
        return 0

    tap = Prefixed(label)
    app = poll(find_app, timeout=30)
    if tap.check(app is not None, "the app appears on the accessibility bus"):
        try:
            check(tap, app, args)
        except Exception:  # one TAP line instead of a lost plan
            tap.check(False, "the checks ran to the end", traceback.format_exc())
    tap.check(alive(args.pid), "the app is still running")
    return 1 if tap.failed else 0


# ---- scenarios --------------------------------------------------------

def check_error(tap, app, args):
    s = STRINGS[args.lang]
    title = s["damaged"] if args.scenario == "corrupt" else s["newer"]
    label = poll(lambda: find(app, named("label", title)))
    tap.check(label is not None, "%s store: the status page says “%s”" % (args.scenario, title))
    wijk_items = find_all(app, named("list item", "Centrum"))
    tap.check(not wijk_items, "%s store: no wijken are shown" % args.scenario)
    screenshot(args.shots and args.shots + "-error.png", args.pid)


def check_dashboard(tap, app, args):
    s = STRINGS[args.lang]
    lang = args.lang

    sidebar = poll(lambda: find(app, lambda n: n.getRoleName() == "list" and n.childCount > 0
                                and n[0].name == "Hilversum"), timeout=30)
    if not tap.check(sidebar is not None, "the sidebar appears with the city first"):
        return

    # Only now: in the "empty" scenario the app itself creates the file.
    fig = Figures(args.db, args.year)
    wijken = fig.wijken()
    wijk_names = [w[1] for w in wijken]
    rows = items(sidebar)
    names = [row.name for row in rows]
    mine = [w[1] for w in wijken if w[0] in args.my_wijken]
    others = [n for n in wijk_names if n not in mine]
    tap.check(names == ["Hilversum"] + mine + others and len(wijk_names) == 8,
              "the sidebar lists Hilversum, my wijken, then the other wijken", names)

    # The city overview. Rows are selected through the list's Selection
    # interface, by their index among the list's children.
    sidebar.querySelection().selectChild(sidebar.children.index(rows[0]))
    tap.check(poll(lambda: "Hilversum" in titles(app)),
              "selecting Hilversum shows the city", titles(app))
    city = subtree(snapshot(app), "BuurtenCityPage")
    lists = find_all(city, role("list"))
    city_wijken = [item.name for item in items(lists[0])] if lists else []
    tap.check(city_wijken == wijk_names, "the city page lists all 8 wijken", city_wijken)
    pots = fig.pots()
    city_pots = [item.name for item in items(lists[1])] if len(lists) > 1 else []
    tap.check(city_pots == [p[1] for p in pots], "the city page lists the city-wide pots",
              city_pots)
    tap.check(find(city, named("label", s["city_pots"])) is not None,
              "the pots have a heading “%s”" % s["city_pots"])
    total = sum(fig.budget(w[0]) for w in wijken) + sum(p[2] for p in pots)
    tap.check(find(city, named("label", money(total, lang))) is not None,
              "the city page shows the total %s" % money(total, lang))
    row_budgets = []
    for item in items(lists[0]) if lists else []:
        wijk = next(w for w in wijken if w[1] == item.name)
        row_budgets.append(find(item, named("label", money(fig.budget(wijk[0]), lang)))
                           is not None)
    tap.check(row_budgets and all(row_budgets), "every wijk row shows its budget")
    screenshot(args.shots and args.shots + "-city.png", args.pid)

    # Centrum.
    centrum = rows[names.index("Centrum")]
    sidebar.querySelection().selectChild(sidebar.children.index(centrum))
    tap.check(poll(lambda: "Centrum" in titles(app)),
              "selecting Centrum shows Centrum", titles(app))
    # The figures are in the Budget view (Alt+6).
    key(args.pid, "alt+6")
    page = poll(lambda: find(subtree(snapshot(app), "BuurtenWijkPage"),
                             lambda n: n.getRoleName() == "level bar"
                             and n.name.startswith("Centrum:"))
                and subtree(snapshot(app), "BuurtenWijkPage"))
    bar = find(page, lambda n: n.getRoleName() == "level bar" and n.name.startswith("Centrum:"))
    if not tap.check(bar is not None, "the thermometer of Centrum is named after it"):
        return

    table = fig.table_budget("centrum")
    budget = fig.budget("centrum")
    approved = fig.committed("centrum", "approved")
    pending = fig.committed("centrum", "pending")
    spent = fig.spent("centrum")
    pm = permille(approved + pending, budget)
    expected = s["description"].format(
        name="Centrum", budget=money(budget, lang, True), approved=money(approved, lang, True),
        pending=money(pending, lang, True), spent=money(spent, lang, True),
        committed=percent(pm, lang))
    tap.check(table == 3250000, "Centrum's table budget is 3250000 cents (€ 32.500)", table)
    tap.check(bar.name == expected, "the thermometer reads “%s”" % expected,
              "got: %s" % bar.name)
    value = bar.queryValue()
    tap.check(abs(value.currentValue - min(pm, 1000) / 1000.0) < 1e-6
              and value.minimumValue == 0.0 and value.maximumValue == 1.0,
              "the thermometer's value is the committed share %.3f" % (min(pm, 1000) / 1000.0),
              value.currentValue)
    for what, cents in (("budget", budget), ("approved", approved), ("pending", pending),
                        ("spent", spent), ("free", budget - approved - pending)):
        tap.check(find(page, named("label", money(cents, lang))) is not None,
                  "Centrum shows %s %s" % (what, money(cents, lang)))
    if budget != table:
        tap.check(find(page, named("label", money(table, lang))) is not None,
                  "Centrum shows the table budget %s next to the changes" % money(table, lang))
    else:
        tap.skip("Centrum shows the table budget next to the changes", "no changes")
    cluster_id = next(w[2] for w in wijken if w[0] == "centrum")
    cluster = s["cluster"].format(fig.cluster_name(cluster_id))
    tap.check(find(page, named("label", cluster)) is not None, "Centrum is in “%s”" % cluster)
    screenshot(args.shots and args.shots + "-centrum.png", args.pid)

    if args.about:
        check_about(tap, app, args)


def check_about(tap, app, args):
    s = STRINGS[args.lang]
    leaflet = subtree(snapshot(app), "AdwLeaflet")
    button = find(leaflet, lambda n: n.getRoleName() == "push button"
                  and n.name == s["main_menu"] and "Action" in n.interfaces()
                  and n.queryAction().nActions > 0)
    if not tap.check(button is not None, "the main menu button is named “%s”" % s["main_menu"]):
        return
    button.queryAction().doAction(0)
    item = poll(lambda: find(app, lambda n: n.name == s["about"] and
                             n.getRoleName() in ("menu item", "push button")), timeout=10)
    if not tap.check(item is not None, "the main menu has “%s”" % s["about"]):
        return
    item.queryAction().doAction(0)
    about = poll(lambda: len([w for w in app if w.getRoleName() in ("frame", "dialog")]) > 1,
                 timeout=10)
    tap.check(about, "“%s” opens a window" % s["about"])
    texts = [n.name for n in find_all(app, role("label"))]
    tap.check("Gemeente Hilversum" in texts, "the about window names Gemeente Hilversum")
    time.sleep(0.5)
    if args.shots:
        os.makedirs(os.path.dirname(args.shots), exist_ok=True)
        subprocess.run(["import", "-window", "root", args.shots + "-about.png"], check=False,
                       timeout=30)
    subprocess.run(["xdotool", "key", "Escape"], check=False, timeout=10)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scenario", choices=("demo", "empty", "corrupt", "newer"),
                        default="demo")
    parser.add_argument("--db", help="the database the app was started on")
    parser.add_argument("--year", type=int, default=time.localtime().tm_year)
    parser.add_argument("--lang", choices=("en", "nl"), default="en")
    parser.add_argument("--pid", type=int, required=True, help="the app's process id")
    parser.add_argument("--shots", help="screenshot path prefix")
    parser.add_argument("--about", action="store_true", help="also open the about window")
    parser.add_argument("--user", default="", help="the --user the app was started with")
    args = parser.parse_args()
    parts = args.user.split(":")
    args.my_wijken = parts[2].split(",") if len(parts) > 2 and parts[2] else []

    label = "[%s, %s] " % (args.scenario, args.lang)

    class Prefixed(Tap):
        def check(self, ok, what, detail=None):
            return Tap.check(self, ok, label + what, detail)

        def skip(self, what, why):
            return Tap.skip(self, label + what, why)

    tap = Prefixed()
    app = poll(find_app, timeout=30)
    if tap.check(app is not None, "the app appears on the accessibility bus"):
        try:
            if args.scenario in ("corrupt", "newer"):
                check_error(tap, app, args)
            else:
                check_dashboard(tap, app, args)
        except Exception:  # one TAP line instead of a lost plan
            tap.check(False, "the checks ran to the end", traceback.format_exc())
    tap.check(alive(args.pid), "the app is still running")
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
