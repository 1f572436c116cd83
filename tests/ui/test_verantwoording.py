#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Payments and the verantwoording in the real app (issue 14, point 6), in Dutch.

Started by run-ui-tests.sh with the app running on a fresh demo database.
On a demo initiative of Centrum that is in_uitvoering with an approved
commitment: records a payment, first one cent beyond what is left (refused
at the amount, in Dutch, nothing stored), then about half of what is left;
records the verantwoording, which shows before saving what will be
released (the underspend); and reads the release on the Hilversum page's
thermometer of Centrum: its free budget goes up by exactly that amount.

Both dialogs are opened the way a coordinator opens them: with the
buttons "Betaling vastleggen" and "Verantwoording vastleggen" on the
initiative's page. Expected figures come from the SQLite file itself,
never from the app.
"""

import os
import sqlite3
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_foundation as tf  # noqa: E402  (the shared AT-SPI helpers)
import test_forms as forms  # noqa: E402  (selecting rows, buttons, views)

STRINGS = {
    "nl": {
        "payment_title": "Betaling voor “%s”",
        "verantwoording_title": "Verantwoording van “%s”",
        "left": ("Nog te betalen", "%s"),
        "release": ("Vrijgegeven aan de wijk", "%s"),
        "beyond": "Een betaling van %s is meer dan er nog over is van het toegekende bedrag: %s.",
        "save": "Opslaan",
        "happened": "Wat is er gebeurd",
        "feedback": "Terugkoppeling aan de buurt",
        "free": "%s vrij",
        "pay_button": "Betaling vastleggen",
        "v_button": "Verantwoording vastleggen",
        "decimal": ",",
    },
    "en": {
        "payment_title": "Payment for “%s”",
        "verantwoording_title": "Verantwoording of “%s”",
        "left": ("Left to pay", "%s"),
        "release": ("Released to the wijk", "%s"),
        "beyond": "A payment of %s is more than is left of what was approved: %s.",
        "save": "Save",
        "happened": "What happened",
        "feedback": "Feedback to the buurt",
        "free": "%s free",
        "pay_button": "Record Payment",
        "v_button": "Record Verantwoording",
        "decimal": ".",
    },
}


def db_one(db, sql, *params):
    with sqlite3.connect("file:%s?mode=ro" % db, uri=True, timeout=10) as con:
        return con.execute(sql, params).fetchone()


def centrum_free(db, year):
    """Centrum's free budget as the ledger counts it: budget less approved
    (less what verantwoordingen released) less pending."""
    fig = tf.Figures(db, year)
    approved = fig.one("SELECT SUM(amount_cents - released_cents) FROM commitment WHERE "
                       "wijk = 'centrum' AND year = ? AND funding IN ('wijkbudget', 'handgeld') "
                       "AND state = 'approved'", year)
    pending = fig.committed("centrum", "pending")
    return fig.budget("centrum") - approved - pending


def press_on_page(args, app, title, name):
    """Selects the initiative in Centrum's list and presses the button
    named name on its page (GTK 4.8 names a button "<label> <text>")."""
    forms.select_wijk(app, "Centrum")
    forms.switch_view(app, forms.VIEW_INITIATIVES)
    row = tf.poll(lambda: forms.find_in_list(app, title), timeout=15)
    if row is None:
        return False
    forms.select_row(args, row)

    def page_button():
        view = tf.find(tf.snapshot(app), lambda n: n.name == "BuurtenListView"
                       and tf.find(n, tf.named("label", title)) is not None)
        found = forms.sign_button(view, name) if view is not None else None
        return found if found is not None and forms.sensitive(found) else None

    button = tf.poll(page_button, timeout=20)
    if button is None:
        return False
    forms.click(button)
    return True


def window_named(app, name):
    snap = tf.snapshot(app)
    return next((w for w in snap if w.name == name), None) if snap is not None else None


def xwindow(title):
    try:
        ids = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", title],
                             capture_output=True, text=True, timeout=10).stdout.split()
    except (OSError, subprocess.SubprocessError):
        return None
    return ids[-1] if ids else None


def keys(*names):
    subprocess.run(["xdotool", "key", "--delay", "60"] + list(names), check=False, timeout=20)
    time.sleep(0.3)


def type_text(text):
    # GTK 4.8 cannot set an entry's text through AT-SPI: type it.
    subprocess.run(["xdotool", "type", "--delay", "40", text], check=False, timeout=60)
    time.sleep(0.3)


def click_at(node, title):
    """A click in the middle of node, in the window titled title (AT-SPI
    gives window-relative positions only; grabFocus fails in GTK 4.8)."""
    import pyatspi
    x, y, w, h = node.acc.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    command = ["xdotool", "mousemove"]
    wid = xwindow(title)
    if wid:
        command += ["--window", wid]
    command += [str(x + w // 2), str(y + h // 2), "click", "1"]
    subprocess.run(command, check=False, timeout=20)
    time.sleep(0.4)


def save_button(window, name):
    return tf.find(window, lambda n: n.getRoleName() == "push button"
                   and (n.name == name or n.name.endswith(" " + name)))


def typed_amount(cents, lang):
    return "%d%s%02d" % (cents // 100, STRINGS[lang]["decimal"], cents % 100)


def shoot(args, name):
    if args.shots:
        time.sleep(0.8)
        os.makedirs(os.path.dirname(args.shots), exist_ok=True)
        subprocess.run(["import", "-window", "root", "%s-%s.png" % (args.shots, name)],
                       check=False, timeout=30)
        print("# screenshot %s-%s.png" % (args.shots, name), flush=True)


def money_row(window, title, amount):
    """A row of the dialog that shows title with amount (its two labels;
    AdwActionRow names itself after its title label)."""
    def pred(n):
        labels = [c for c in n if c.getRoleName() == "label"] + \
            [g for c in n for g in c if g.getRoleName() == "label"] + \
            [h for c in n for g in c for h in g if h.getRoleName() == "label"]
        names = {x.name for x in labels}
        return title in names and amount in names
    return tf.find(tf.snapshot(window), pred)


def label_with(app, text):
    return tf.find(tf.snapshot(app), lambda n: n.getRoleName() == "label" and text in n.name)


def check_money(tap, app, args):
    s = STRINGS[args.lang]
    money = lambda cents: tf.money(cents, args.lang)  # noqa: E731

    # A demo initiative of Centrum under way, with approved money left.
    row = db_one(args.db,
                 "SELECT i.id, i.title, c.id, c.amount_cents - c.released_cents - c.paid_cents "
                 "FROM initiative i JOIN commitment c ON c.initiative_id = i.id "
                 "WHERE i.wijk = 'centrum' AND i.state = 'in_uitvoering' AND c.year = ? "
                 "AND c.state = 'approved' AND c.funding IN ('wijkbudget', 'handgeld') "
                 "AND (SELECT COUNT(*) FROM commitment d WHERE d.initiative_id = i.id "
                 "     AND d.state = 'approved') = 1 "
                 "AND EXISTS (SELECT 1 FROM budget_line l WHERE l.initiative_id = i.id "
                 "            AND l.kind = 'kosten') "
                 "ORDER BY 4 DESC, i.id LIMIT 1", args.year)
    if not tap.check(row is not None and row[3] >= 200,
                     "the demo has an initiative of Centrum in uitvoering with money left", row):
        return
    initiative_id, title, commitment_id, left = row
    free_before = centrum_free(args.db, args.year)
    tap.check(tf.poll(lambda: label_with(app, s["free"] % money(free_before)), timeout=20)
              is not None, "Centrum's thermometer says %s" % (s["free"] % money(free_before)))

    # 1. A payment: one cent beyond what is left is refused at the field.
    tap.check(press_on_page(args, app, title, s["pay_button"]),
              "its page has “%s”, pressed" % s["pay_button"])
    payment_title = s["payment_title"] % title
    window = tf.poll(lambda: window_named(app, payment_title), timeout=15)
    if not tap.check(window is not None, "the window “%s” opens" % payment_title):
        return
    tap.check(tf.poll(lambda: money_row(window, s["left"][0], money(left)), timeout=10)
              is not None, "it shows “%s: %s”" % (s["left"][0], money(left)))
    time.sleep(0.5)
    type_text(typed_amount(left + 1, args.lang))
    keys("Tab")
    shoot(args, "payment-typed")
    save = save_button(tf.snapshot(window), s["save"])
    if not tap.check(save is not None, "it has “%s”" % s["save"]):
        return
    save.queryAction().doAction(0)
    refusal = s["beyond"] % (money(left + 1), money(left))
    tap.check(tf.poll(lambda: label_with(window, refusal), timeout=10) is not None,
              "one cent too much is refused at the amount: “%s”" % refusal)
    shoot(args, "payment-refused")
    tap.check(window_named(app, payment_title) is not None, "the window stays open")
    tap.check(db_one(args.db, "SELECT COUNT(*) FROM payment WHERE commitment_id = ? AND "
                     "amount_cents = ?", commitment_id, left + 1) == (0,), "nothing was stored")

    # About half of what is left, in whole euros: the rest is the underspend.
    paid = (left // 2) // 100 * 100
    amount = tf.find(tf.snapshot(window), lambda n: n.getRoleName() == "text"
                     and n.name.startswith("Bedrag" if args.lang == "nl" else "Amount"))
    if amount is not None:
        click_at(amount, payment_title)
    keys("ctrl+a")
    type_text(typed_amount(paid, args.lang))
    save_button(tf.snapshot(window), s["save"]).queryAction().doAction(0)
    tap.check(tf.poll(lambda: window_named(app, payment_title) is None, timeout=15),
              "saving %s closes the window" % money(paid))
    stored = tf.poll(lambda: db_one(args.db, "SELECT amount_cents, kind FROM payment WHERE "
                                    "commitment_id = ? AND amount_cents = ?",
                                    commitment_id, paid), timeout=10)
    tap.check(stored is not None, "the payment of %d cents is stored" % paid, stored)
    tap.check(db_one(args.db, "SELECT COUNT(*) FROM outbox WHERE name = 'payment.record' AND "
                     "args_json LIKE ?", "%" + commitment_id + "%") == (1,),
              "payment.record is queued for the server")

    # 2. The verantwoording shows the release before saving.
    released = left - paid
    tap.check(press_on_page(args, app, title, s["v_button"]),
              "its page has “%s”, pressed" % s["v_button"])
    v_title = s["verantwoording_title"] % title
    window = tf.poll(lambda: window_named(app, v_title), timeout=15)
    if not tap.check(window is not None, "the window “%s” opens" % v_title):
        return
    tap.check(tf.poll(lambda: money_row(window, s["release"][0], money(released)), timeout=10)
              is not None, "before saving it shows “%s: %s”" % (s["release"][0], money(released)))
    # What happened (a click in its field), then Tab to the feedback: the
    # text views do not take Tab, and the form scrolls to the focus.
    view = tf.find(tf.snapshot(window), lambda n: n.name == s["happened"]
                   and n.getRoleName() in ("text", "paragraph", "document text", "entry"))
    if not tap.check(view is not None, "the field “%s” is found" % s["happened"]):
        return
    click_at(view, v_title)
    type_text("Het plein is veilig ingericht met de buren.")
    keys("Tab")
    type_text("Verslag in de wijkkrant en op de buurtapp.")
    shoot(args, "verantwoording")
    save_button(tf.snapshot(window), s["save"]).queryAction().doAction(0)
    tap.check(tf.poll(lambda: window_named(app, v_title) is None, timeout=15),
              "saving closes the window")
    v = tf.poll(lambda: db_one(args.db, "SELECT released_cents, happened, feedback FROM "
                               "verantwoording WHERE initiative_id = ?", initiative_id),
                timeout=10)
    tap.check(v is not None and v[0] == released and v[1] and v[2],
              "the verantwoording is stored with %d cents released" % released, v)
    tap.check(db_one(args.db, "SELECT released_cents FROM commitment WHERE id = ?",
                     commitment_id) == (released,), "the commitment is reduced by it")
    tap.check(db_one(args.db, "SELECT COUNT(*) FROM outbox WHERE name = 'verantwoording.record' "
                     "AND args_json LIKE ?", "%" + initiative_id + "%") == (1,),
              "verantwoording.record is queued for the server")

    # 3. The thermometer: Centrum's free budget goes up by the release.
    forms.switch_view(app, 0)
    free_after = centrum_free(args.db, args.year)
    tap.check(free_after == free_before + released,
              "the ledger's free budget of Centrum rose by %d cents" % released,
              (free_before, free_after))
    tap.check(tf.poll(lambda: label_with(app, s["free"] % money(free_before + released)),
                      timeout=20) is not None,
              "Centrum's thermometer now says %s" % (s["free"] % money(free_before + released)))
    shoot(args, "thermometer")


def main():
    def options(parser):
        parser.add_argument("--scenario", default="demo")

    def skip(args):
        if args.scenario != "demo":
            return "payments and verantwoording # SKIP scenario %s" % args.scenario
        return None

    return tf.run_script("verantwoording", check_money, __doc__, lang="nl", options=options,
                         skip=skip)


if __name__ == "__main__":
    sys.exit(main())
