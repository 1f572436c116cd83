#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The forms in the real app, through AT-SPI and the keyboard.

Started by run-ui-tests.sh with the app running on a fresh demo database.
Creates an initiative of € 1.500 through the form, finds it in the list,
puts a decision forward (the window says the initiative's total before
saving) and finds it as pending on Centrum's thermometer; signs it from
the dashboard, which offers "Sign" only where the signature would be
taken, and then sees a second € 1.500 judged as € 3.000 in total; tries
€ 30.000 from the wijk budget and finds the refusal with its reason.
Takes a screenshot of every form. Each check prints one TAP line without
a number; the runner numbers them. Expected figures come from the SQLite
file itself, never from the app.
"""

import os
import sqlite3
import subprocess
import sys
import time

import pyatspi

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_foundation as tf  # noqa: E402  (the shared AT-SPI helpers)

# Names the app gives its controls, per language. The form's own strings
# are in /work/notes/po-U2.txt until they reach po/nl.po.
STRINGS = {
    "en": {
        "new_initiative": "New Initiative",
        "new_request": "New Request",
        "new_escalation": "New Escalation",
        "new_meeting": "New Meeting",
        "save": "Save",
        "cancel": "Cancel",
        "decide": ("Decide or Sign", "Decide"),
        "decision_title": "Decide",
        "submit": "Submit for Signature",
        "sign": "Sign",
        "amount_1500": "1500",
        "last_budget_button": "Add Own Contribution",
        "amount_30000": "30000",
        "way_forward": "wijkkansen",
        "refused": "€30,000.00 cannot come from the wijk budget",
        "after": "After Approval",
        "total_new": "Nothing is committed to this initiative yet; with this amount %s in total",
        "total_more": "This initiative already has %s committed; with this amount %s in total",
        "sign_one": "Sign “%s”",
        "sign_title": "Sign Commitment",
        "provisional": "Without a server your role is self-chosen",
    },
    "nl": {
        "new_initiative": "Nieuw initiatief",
        "new_request": "Nieuwe melding",
        "new_escalation": "Nieuwe escalatie",
        "new_meeting": "Nieuw overleg",
        "save": "Opslaan",
        "cancel": "Annuleren",
        "decide": ("Besluiten of tekenen", "Besluiten", "Decide or Sign"),
        "decision_title": "Besluiten",
        "submit": "Ter ondertekening aanbieden",
        "sign": "Tekenen",
        "amount_1500": "1.500",
        "last_budget_button": "Eigen bijdrage toevoegen",
        "amount_30000": "30.000",
        "way_forward": "wijkkansen",
        "refused": "€\u00a030.000,00 kan niet uit het wijkbudget komen",
        "after": "Na goedkeuring",
        "total_new": "Aan dit initiatief is nog niets toegezegd; met dit bedrag %s in totaal",
        "total_more": "Dit initiatief heeft al %s toegezegd; met dit bedrag %s in totaal",
        "sign_one": "„%s” tekenen",
        "sign_title": "Verplichting tekenen",
        "provisional": "Zonder server is uw rol zelf gekozen",
    },
}

# The order of the view switcher (Alt+1..6).
VIEW_INITIATIVES = 2
VIEW_INDEX = {"request": 1, "initiative": 2, "escalation": 3, "meeting": 4}


def key(*keys):
    subprocess.run(["xdotool", "key", "--delay", "60"] + list(keys), check=False, timeout=20)
    time.sleep(0.3)


def type_text(text):
    # xdotool types into the focused widget; GTK 4.8 cannot set entry
    # text through AT-SPI.
    subprocess.run(["xdotool", "type", "--delay", "40", text], check=False, timeout=60)
    time.sleep(0.3)


def windows(app):
    app = tf.snapshot(app)
    return [w for w in app] if app is not None else []


def window_named(app, name):
    return next((w for w in windows(app) if w.name == name), None)


def button(node, names):
    """A push button whose name is (or, for GTK 4.8's "_Save Save", ends
    with) one of names."""
    if isinstance(names, str):
        names = (names,)
    return tf.find(node, lambda n: n.getRoleName() == "push button"
                   and any(n.name == x or n.name.endswith(" " + x) for x in names))


def decide_button(app, title, names):
    """The decide button of the list view that lists title: every view
    has its own detail pane, hidden ones included."""
    view = tf.find(tf.snapshot(app), lambda n: n.name == "BuurtenListView"
                   and tf.find(n, tf.named("label", title)) is not None)
    found = button(view, names) if view is not None else None
    return found if found is not None and sensitive(found) else None


def sign_button(node, name):
    """A button whose accessible label is name (GTK 4.8 names it
    "<accessible label> <text>")."""
    return tf.find(node, lambda n: n.getRoleName() == "push button"
                   and (n.name == name or n.name.startswith(name + " ")))


def sensitive(node):
    return node.acc.getState().contains(pyatspi.STATE_SENSITIVE)


def click(node):
    node.queryAction().doAction(0)
    time.sleep(0.3)


def select_wijk(app, name):
    sidebar = tf.poll(lambda: tf.find(app, lambda n: n.getRoleName() == "list"
                                      and n.childCount > 0 and n[0].name == "Hilversum"),
                      timeout=30)
    if sidebar is None:
        return False
    # Selection indexes count the list's children; try until the title
    # says the wijk (the sidebar groups my wijken first).
    for i in range(sidebar.childCount):
        if sidebar[i].name != name:
            continue
        sidebar.querySelection().selectChild(i)
        if tf.poll(lambda: name in tf.titles(app), timeout=3):
            return True
    for i in range(sidebar.childCount):
        sidebar.querySelection().selectChild(i)
        if tf.poll(lambda: name in tf.titles(app), timeout=1):
            return True
    return False


def switch_view(app, index):
    tabs = tf.find_all(app, tf.role("page tab"))
    if len(tabs) > index:
        click(tabs[index])
    else:
        key("alt+%d" % (index + 1))


def open_new(app, index, title):
    """The view's "new item" (Ctrl+N); returns the form's window."""
    switch_view(app, index)
    time.sleep(0.5)
    new_item = button(tf.snapshot(app), ("New Item", "Nieuw item"))
    if new_item is not None:
        click(new_item)
    else:
        key("ctrl+n")
    return tf.poll(lambda: window_named(app, title), timeout=10)


def shoot(args, name):
    if args.shots:
        time.sleep(0.8)
        os.makedirs(os.path.dirname(args.shots), exist_ok=True)
        subprocess.run(["import", "-window", "root", "%s-%s.png" % (args.shots, name)],
                       check=False, timeout=30)
        print("# screenshot %s-%s.png" % (args.shots, name), flush=True)


def db_one(db, sql, *params):
    with sqlite3.connect("file:%s?mode=ro" % db, uri=True, timeout=10) as con:
        row = con.execute(sql, params).fetchone()
    return row


def db_all(db, sql, *params):
    with sqlite3.connect("file:%s?mode=ro" % db, uri=True, timeout=10) as con:
        return con.execute(sql, params).fetchall()


def centrum_figures(db, year):
    """(budget, approved, pending) of Centrum, as the ledger counts them."""
    fig = tf.Figures(db, year)
    return (fig.budget("centrum"), fig.committed("centrum", "approved"),
            fig.committed("centrum", "pending"))


def tab_to(window, pred, limit=60):
    """Presses Tab until the node pred finds has the focus (GTK 4.8 cannot
    grab the focus through AT-SPI, and a long form scrolls to the focus)."""
    target = tf.find(tf.snapshot(window), pred)
    if target is None:
        return False
    for _ in range(limit):
        try:
            if target.acc.getState().contains(pyatspi.STATE_FOCUSED):
                return True
        except Exception:
            return False
        subprocess.run(["xdotool", "key", "Tab"], check=False, timeout=10)
        time.sleep(0.1)
    return False


def create_initiative(tap, app, args, title, amount_text, shot=None):
    s = STRINGS[args.lang]
    editor = open_new(app, VIEW_INITIATIVES, s["new_initiative"])
    if not tap.check(editor is not None,
                     "Ctrl+N in Initiatives opens “%s”" % s["new_initiative"]):
        return None
    # The form focuses its title; Tab goes on through the intake to the
    # budget's last button, then past the note that there are no lines yet
    # to the amount asked. (GTK 4.8 tells AT-SPI which button has the
    # focus, not which entry row.)
    time.sleep(0.5)
    type_text(title)
    if not tap.check(tab_to(editor, lambda n: n.getRoleName() == "push button"
                            and n.name.startswith(s["last_budget_button"])),
                     "Tab reaches “%s”" % s["last_budget_button"]):
        return None
    key("Tab", "Tab")
    type_text(amount_text)
    if shot:
        shoot(args, shot)
    save = button(editor, s["save"])
    if not tap.check(save is not None, "the form has a “%s” button" % s["save"]):
        return None
    click(save)
    gone = tf.poll(lambda: window_named(app, s["new_initiative"]) is None, timeout=15)
    tap.check(gone, "saving closes the form")
    row = tf.poll(lambda: db_one(args.db, "SELECT id, requested_cents, wijk, state FROM "
                                 "initiative WHERE title = ?", title), timeout=10)
    return row


def find_in_list(app, title):
    """The table row of a GtkColumnView that shows title."""
    table = tf.find(tf.snapshot(app), lambda n: n.getRoleName() == "tree table"
                    and tf.find(n, tf.named("label", title)) is not None)
    if table is None:
        return None
    return tf.find(table, lambda n: n.getRoleName() in ("table row", "list item")
                   and tf.find(n, tf.named("label", title)) is not None
                   and n.childCount > 0 and n[0].getRoleName() == "table cell")


def main_window_id(pid):
    try:
        ids = subprocess.run(["xdotool", "search", "--onlyvisible", "--pid", str(pid)],
                             capture_output=True, text=True, timeout=10).stdout.split()
    except (OSError, subprocess.SubprocessError):
        return None
    return ids[0] if ids else None


def select_row(args, row):
    """Selects a row of a GtkColumnView: GTK 4.8 gives the table no
    Selection interface, so the row is clicked, at its place in the
    window (AT-SPI gives window-relative positions only)."""
    try:
        x, y, w, h = row.acc.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    except Exception:
        row.queryAction().doAction(0)
        return
    window = main_window_id(args.pid)
    command = ["xdotool", "mousemove"]
    if window:
        command += ["--window", window]
    command += [str(x + min(w // 4, 60)), str(y + h // 2), "click", "1"]
    subprocess.run(command, check=False, timeout=20)
    time.sleep(0.5)


def check_forms(tap, app, args):
    s = STRINGS[args.lang]
    if not tap.check(select_wijk(app, "Centrum"), "Centrum is selected"):
        return

    budget, approved, pending = centrum_figures(args.db, args.year)

    # 1. An initiative of € 1.500 through the form.
    title = "Speeltuin UI-test %s %d" % (args.lang, os.getpid())
    row = create_initiative(tap, app, args, title, s["amount_1500"], shot="form-initiative")
    if not tap.check(row is not None, "the initiative is in the database", title):
        return
    initiative_id, cents, wijk, state = row
    tap.check(cents == 150000 and wijk == "centrum",
              "typed “%s” is stored as 150000 cents for centrum" % s["amount_1500"], row)
    outbox = db_one(args.db, "SELECT name FROM outbox WHERE args_json LIKE ? ORDER BY seq",
                    "%" + initiative_id + "%")
    tap.check(outbox is not None and outbox[0] == "initiative.create",
              "the outbox has initiative.create for it", outbox)

    row = tf.poll(lambda: find_in_list(app, title), timeout=15)
    if not tap.check(row is not None, "the initiative appears in the list"):
        return

    # 2. Decide: put € 1.500 forward; it shows as pending on the thermometer.
    select_row(args, row)
    decide = tf.poll(lambda: decide_button(app, title, s["decide"]), timeout=10)
    if not tap.check(decide is not None,
                     "the selected initiative offers “%s”" % s["decide"][0]):
        shoot(args, "form-no-decide")
        return
    click(decide)
    window = tf.poll(lambda: (lambda w: w if w is not None and button(w, s["submit"]) is not None
                              else None)(window_named(app, s["decision_title"])), timeout=15)
    if not tap.check(window is not None, "the decision window opens with “%s”" % s["submit"]):
        return
    tap.check(tf.find(window, tf.named("label", s["after"])) is not None,
              "it shows the thermometer after approval before anything is saved")
    # The mandate is per initiative: the window says what the initiative
    # has and the total the mandate counts, before anything is saved.
    total = s["total_new"] % tf.money(150000, args.lang)
    tap.check(tf.poll(lambda: tf.find(tf.snapshot(window), tf.named("label", total)),
                      timeout=10) is not None,
              "before saving it says: “%s”" % total)
    tap.check(tf.find(tf.snapshot(window), lambda n: n.getRoleName() == "label"
                      and n.name.startswith(s["provisional"])) is not None,
              "it says the self-chosen role's signatures are provisional")
    shoot(args, "form-decision")
    click(button(window, s["submit"]))
    tf.poll(lambda: window_named(app, s["decision_title"]) is None, timeout=15)
    commitment = tf.poll(lambda: db_one(args.db, "SELECT amount_cents, state, funding FROM "
                                        "commitment WHERE initiative_id = ?", initiative_id),
                         timeout=10)
    tap.check(commitment == (150000, "pending", "wijkbudget"),
              "a pending commitment of 150000 cents from the wijk budget", commitment)

    new_budget, new_approved, new_pending = centrum_figures(args.db, args.year)
    tap.check(new_pending == pending + 150000 and new_approved == approved,
              "the store counts € 1.500 more pending for Centrum", (pending, new_pending))
    switch_view(app, 0)
    bar = tf.poll(lambda: tf.find(tf.snapshot(app), lambda n: n.getRoleName() == "level bar"
                                  and n.name.startswith("Centrum:")
                                  and tf.money(new_pending, args.lang, True) in n.name),
                  timeout=15)
    tap.check(bar is not None, "Centrum's thermometer says %s pending"
              % tf.money(new_pending, args.lang, True))
    if bar is not None:
        pm = tf.permille(new_approved + new_pending, new_budget)
        value = bar.queryValue().currentValue
        tap.check(abs(value - min(pm, 1000) / 1000.0) < 1e-6,
                  "the thermometer's value is the committed share %.3f" % (min(pm, 1000) / 1000.0),
                  value)

    # 2b. The dashboard offers to sign only where the server would take
    # my signature: mine (buurtcoördinator of Centrum, € 1.500) yes; one
    # that waits for the wijkwethouder no.
    mine = s["sign_one"] % title
    sign_mine = tf.poll(lambda: sign_button(tf.snapshot(app), mine), timeout=15)
    tap.check(sign_mine is not None, "the dashboard offers “%s”" % mine)
    tap.check(tf.find(tf.snapshot(app), lambda n: n.getRoleName() == "label"
                      and n.name.startswith(s["provisional"])) is not None,
              "the dashboard's signing list says the signatures are provisional")
    shoot(args, "form-dashboard-sign")

    # 2c. Signing it from the dashboard approves it and grants the
    # initiative (the last signature does; no transition into toegekend).
    if sign_mine is not None:
        click(sign_mine)
        window = tf.poll(lambda: (lambda w: w if w is not None and button(w, s["sign"]) is not None
                                  and sensitive(button(w, s["sign"])) else None)(
                                      window_named(app, s["sign_title"])), timeout=15)
        if tap.check(window is not None, "“%s” opens with “%s” enabled"
                     % (s["sign_title"], s["sign"])):
            click(button(window, s["sign"]))
            tf.poll(lambda: window_named(app, s["sign_title"]) is None, timeout=15)
            state = tf.poll(lambda: (lambda r: r if r == ("approved", "toegekend") else None)(
                db_one(args.db, "SELECT c.state, i.state FROM commitment c JOIN initiative i "
                       "ON i.id = c.initiative_id WHERE c.initiative_id = ?", initiative_id)),
                timeout=10)
            tap.check(state == ("approved", "toegekend"),
                      "the commitment is approved and the initiative granted", state)
            into_granted = db_one(args.db, "SELECT COUNT(*) FROM outbox WHERE name = "
                                  "'initiative.transition' AND args_json LIKE ? "
                                  "AND args_json LIKE '%toegekend%'", "%" + initiative_id + "%")
            tap.check(into_granted == (0,), "no transition into toegekend was queued",
                      into_granted)

            # 2d. A second amount is judged with the first: € 1.500 more
            # makes € 3.000, and the window says so before saving.
            switch_view(app, VIEW_INITIATIVES)
            row = tf.poll(lambda: find_in_list(app, title), timeout=15)
            if row is not None:
                select_row(args, row)
            decide = tf.poll(lambda: decide_button(app, title, s["decide"]), timeout=10)
            if tap.check(decide is not None, "the granted initiative still offers “%s”"
                         % s["decide"][0]):
                click(decide)
                window = tf.poll(lambda: window_named(app, s["decision_title"]), timeout=15)
                total = s["total_more"] % (tf.money(150000, args.lang),
                                           tf.money(300000, args.lang))
                found = tf.poll(lambda: tf.find(tf.snapshot(window) if window else None,
                                                tf.named("label", total)), timeout=15)
                tap.check(found is not None, "before saving it says: “%s”" % total)
                shoot(args, "form-decision-total")
                key("Escape")
                tf.poll(lambda: window_named(app, s["decision_title"]) is None, timeout=10)
                tap.check(db_one(args.db, "SELECT COUNT(*) FROM commitment WHERE "
                                 "initiative_id = ?", initiative_id) == (1,),
                          "nothing more was committed")

    # 2e. Another wijk's commitments are not mine to sign: its dashboard
    # lists them without “Sign”.
    other = db_one(args.db, "SELECT w.name, c.wijk FROM commitment c JOIN initiative i "
                   "ON i.id = c.initiative_id JOIN wijk w ON w.id = c.wijk "
                   "WHERE c.state = 'pending' AND c.year = ? AND c.wijk <> 'centrum' "
                   "AND c.funding IN ('wijkbudget', 'handgeld') ORDER BY c.wijk LIMIT 1",
                   args.year)
    if other is None:
        tap.skip("another wijk's dashboard offers no “%s”" % (s["sign_one"] % "…"),
                 "the demo has no pending commitment outside Centrum")
    elif tap.check(select_wijk(app, other[0]), "%s is selected" % other[0]):
        switch_view(app, 0)
        titles = [t for (t,) in db_all(args.db, "SELECT i.title FROM commitment c JOIN "
                                       "initiative i ON i.id = c.initiative_id WHERE "
                                       "c.state = 'pending' AND c.year = ? AND c.wijk = ?",
                                       args.year, other[1])]
        listed = tf.poll(lambda: [t for t in titles if tf.find(
            tf.snapshot(app), lambda n, t=t: n.getRoleName() == "label" and n.name == t)],
            timeout=15) or []
        offered = [t for t in listed
                   if sign_button(tf.snapshot(app), s["sign_one"] % t) is not None]
        tap.check(listed and not offered,
                  "%s's dashboard lists %d pending commitments, none with “%s”"
                  % (other[0], len(listed), s["sign_one"] % "…"), (listed, offered))
        shoot(args, "form-dashboard-other")
        select_wijk(app, "Centrum")
    switch_view(app, 0)

    # 3. € 30.000 from the wijk budget: refused, with the way forward.
    title2 = "Skatebaan UI-test %s %d" % (args.lang, os.getpid())
    row2 = create_initiative(tap, app, args, title2, s["amount_30000"])
    if not tap.check(row2 is not None and row2[1] == 3000000,
                     "an initiative asking € 30.000 is stored", row2):
        return
    row = tf.poll(lambda: find_in_list(app, title2), timeout=15)
    if not tap.check(row is not None, "it appears in the list"):
        return
    select_row(args, row)
    decide = tf.poll(lambda: decide_button(app, title2, s["decide"]), timeout=10)
    if not tap.check(decide is not None, "it offers “%s”" % s["decide"][0]):
        return
    click(decide)
    window = tf.poll(lambda: window_named(app, s["decision_title"]), timeout=15)
    refusal = tf.poll(lambda: tf.find(tf.snapshot(window) if window else None,
                                      lambda n: n.getRoleName() == "label"
                                      and n.name.startswith(s["refused"])), timeout=15)
    tap.check(refusal is not None, "the window refuses: “%s …”" % s["refused"])
    tap.check(refusal is not None and s["way_forward"] in refusal.name,
              "the refusal names the way forward (%s)" % s["way_forward"],
              refusal.name if refusal else None)
    sign = button(tf.snapshot(window), s["sign"]) if window else None
    tap.check(sign is not None and not sensitive(sign), "“%s” cannot be pressed" % s["sign"])
    shoot(args, "form-refused")
    key("Escape")
    tf.poll(lambda: window_named(app, s["decision_title"]) is None, timeout=10)
    tap.check(db_one(args.db, "SELECT COUNT(*) FROM commitment WHERE initiative_id = ?",
                     row2[0]) == (0,), "nothing was committed for it")

    # 4. The other forms open from their views and close with Escape.
    for kind, name in (("request", "new_request"), ("escalation", "new_escalation"),
                       ("meeting", "new_meeting")):
        editor = open_new(app, VIEW_INDEX[kind], s[name])
        if tap.check(editor is not None, "Ctrl+N in its view opens “%s”" % s[name]):
            unnamed = tf.find_all(editor, lambda n: n.getRoleName() in
                                  ("push button", "text", "combo box", "toggle button",
                                   "check box") and (not n.name or n.name.startswith("Gtk")))
            tap.check(not unnamed, "every control of “%s” has a name" % s[name],
                      [n.getRoleName() for n in unnamed])
            shoot(args, "form-" + kind)
            key("Escape")
            tf.poll(lambda: window_named(app, s[name]) is None, timeout=10)


def main():
    def options(parser):
        parser.add_argument("--scenario", default="demo")

    def skip(args):
        # The forms need the demo's wijken and initiatives.
        if args.scenario != "demo":
            return "the forms # SKIP scenario %s" % args.scenario
        return None

    return tf.run_script("forms", check_forms, __doc__, options=options, skip=skip)


if __name__ == "__main__":
    sys.exit(main())
