"""The initiative's page tells its story (issue 14, points 3 and 7).

Started by run-ui-tests.sh with the app running on a fresh demo database.
Reads the decision term with its days left in the initiatives' list; puts
the checked initiative forward for signature and reads, on its page, who
must still sign; opens an initiative with a signed buurtdeal and reads the
section headings in order, the commitment's amount as the locale formats
it, the signer's name; adds a note and sees it appear (and stored); finds
"Make Initiative" on an idea among the requests. Expected figures come
from the SQLite file and the municipality file, never from the app.
Screenshots of the page go to the --shots prefix. With --quick (the other
languages and styles, for their screenshots) only the list and the page are
read.
"""

import datetime
import json
import os
import subprocess
import sys
import time

import pyatspi


sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_foundation as tf  # noqa: E402  (the shared AT-SPI helpers)
import test_forms as forms  # noqa: E402  (selecting rows, buttons, windows)

STRINGS = {
    "en": {
        "headings": ["Plan", "Budget", "Criteria and Principles", "Decisions",
                     "Commitments and Signatures", "Buurtdeal", "Payments", "Verantwoording",
                     "Documents", "Notes", "History"],
        "left": ("%s · %d days left", "%s · %d day left"),
        "term": "Decision due %s, ",
        "signed": "Signed by %s (",
        "missing": "Still to sign: ",
        "add_note": "Add Note",
        "empty_note": "Write the note first.",
        "make": "Make Initiative",
        "decide": ("Decide or Sign", "Decide"),
        "decision_title": "Decide",
        "submit": "Submit for Signature",
        "documents": ("Beschikking", "Buurtdeal document"),
    },
    "nl": {
        "headings": ["Plan", "Budget", "Criteria en uitgangspunten", "Besluiten",
                     "Verplichtingen en handtekeningen", "Buurtdeal", "Betalingen",
                     "Verantwoording", "Documenten", "Notities", "Geschiedenis"],
        "left": ("%s · nog %d dagen", "%s · nog %d dag"),
        "term": "Besluit uiterlijk %s, ",
        "signed": "Getekend door %s (",
        "missing": "Moet nog tekenen: ",
        "add_note": "Notitie toevoegen",
        "empty_note": "Schrijf eerst de notitie.",
        "make": "Maak initiatief",
        "decide": ("Besluiten of tekenen", "Besluiten"),
        "decision_title": "Besluiten",
        "submit": "Ter ondertekening aanbieden",
        "documents": ("Beschikking", "Buurtdeal-document"),
    },
}

# The demo's "today" (run-ui-tests.sh).
TODAY = datetime.date(2026, 10, 15)


def term_weeks():
    path = os.path.join(os.environ.get("BUURTEN_DATA_DIR", "data"), "municipalities",
                        "hilversum.json")
    with open(path, encoding="utf-8") as f:
        return json.load(f)["decision_term_weeks"]


def list_view_of(app, title):
    """The list view whose detail shows title."""
    return tf.find(tf.snapshot(app), lambda n: n.name == "BuurtenListView"
                   and tf.find(n, tf.named("label", title)) is not None)


def labels(node):
    return [n.name for n in tf.find_all(node, tf.role("label"))]


def scroll_detail(args, view, clicks):
    """Scrolls the detail pane down (the mouse wheel over its title)."""
    title = tf.find(view, lambda n: n.getRoleName() == "label" and n.name in STRINGS[args.lang]
                    ["headings"])
    if title is None:
        return
    x, y, w, h = title.acc.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    window = forms.main_window_id(args.pid)
    command = ["xdotool", "mousemove"] + (["--window", window] if window else [])
    command += [str(x + 40), str(max(y, 300)), "click", "--repeat", str(clicks), "5"]
    subprocess.run(command, check=False, timeout=20)
    time.sleep(0.6)


def select(args, app, title):
    row = tf.poll(lambda: forms.find_in_list(app, title), timeout=15)
    if row is None:
        return False
    forms.select_row(args, row)
    return True


def check_detail(tap, app, args):
    s = STRINGS[args.lang]
    weeks = term_weeks()

    forms.select_wijk(app, "Centrum")
    forms.switch_view(app, forms.VIEW_INITIATIVES)

    # 1. The list: the checked initiative's decision term and days left.
    waiting = forms.db_one(args.db, "SELECT id, title, submitted_on FROM initiative WHERE "
                           "wijk = 'centrum' AND state IN ('ingediend', 'getoetst') AND "
                           "submitted_on IS NOT NULL ORDER BY submitted_on LIMIT 1")
    if not tap.check(waiting is not None, "the demo has a Centrum initiative awaiting its decision"):
        return
    wait_id, wait_title, submitted = waiting
    due = datetime.date.fromisoformat(submitted) + datetime.timedelta(weeks=weeks)
    days = (due - TODAY).days
    due_text = due.strftime("%d-%m-%Y")
    cell = s["left"][0 if days != 1 else 1] % (due_text, days)
    found = tf.poll(lambda: tf.find(tf.snapshot(app), tf.named("label", cell)), timeout=15)
    tap.check(found is not None, "the list's “Decision due” says “%s”" % cell)

    # 2. Its page says the term; put forward for signature, it says who
    # must still sign.
    if not tap.check(select(args, app, wait_title), "“%s” is in the list" % wait_title):
        return
    term = s["term"] % due_text
    view = tf.poll(lambda: (lambda v: v if v is not None and any(
        x.startswith(term) for x in labels(v)) else None)(list_view_of(app, wait_title)),
        timeout=15)
    tap.check(view is not None, "its page says “%s…”" % term)
    decide = None if args.quick else tf.poll(lambda: forms.decide_button(app, wait_title,
                                                                        s["decide"]), timeout=10)
    if args.quick:
        tap.skip("putting it forward for signature", "--quick")
    elif tap.check(decide is not None, "it offers “%s”" % s["decide"][0]):
        forms.click(decide)
        window = tf.poll(lambda: (lambda w: w if w is not None
                                  and forms.button(w, s["submit"]) is not None else None)(
            forms.window_named(app, s["decision_title"])), timeout=15)
        if tap.check(window is not None, "the decision window offers “%s”" % s["submit"]):
            forms.click(forms.button(window, s["submit"]))
            tf.poll(lambda: forms.window_named(app, s["decision_title"]) is None, timeout=15)
            missing = tf.poll(lambda: next((x for x in labels(list_view_of(app, wait_title))
                                            if x.startswith(s["missing"])), None), timeout=15)
            tap.check(missing is not None, "the page then says who must still sign: “%s”"
                      % missing)

    # 3. An initiative with a signed buurtdeal: the story in order.
    deal = forms.db_one(args.db, "SELECT i.id, i.title, c.id, c.amount_cents FROM initiative i "
                        "JOIN commitment c ON c.initiative_id = i.id WHERE i.wijk = 'centrum' "
                        "AND i.state IN ('buurtdeal_getekend', 'in_uitvoering') AND "
                        "c.state = 'approved' ORDER BY i.state = 'buurtdeal_getekend' DESC, "
                        "c.amount_cents DESC LIMIT 1")
    if not tap.check(deal is not None, "the demo has a Centrum initiative with a signed deal"):
        return
    deal_id, deal_title, commitment_id, amount = deal
    if not tap.check(select(args, app, deal_title), "“%s” is in the list" % deal_title):
        return
    view = tf.poll(lambda: (lambda v: v if v is not None
                            and s["headings"][-1] in labels(v)
                            and s["headings"][0] in labels(v) else None)(
        list_view_of(app, deal_title)), timeout=15)
    if not tap.check(view is not None, "its page loads"):
        return
    texts = labels(view)
    firsts = [texts.index(h) if h in texts else -1 for h in s["headings"]]
    tap.check(-1 not in firsts and firsts == sorted(firsts),
              "the sections are headed, in order: %s" % ", ".join(s["headings"]),
              list(zip(s["headings"], firsts)))
    money = tf.money(amount, args.lang)
    tap.check(money in texts, "the commitment's amount reads “%s”" % money)
    signer = forms.db_one(args.db, "SELECT user FROM signature WHERE commitment_id = ? "
                          "ORDER BY signed_at LIMIT 1", commitment_id)
    if tap.check(signer is not None, "the commitment has a signature in the store"):
        prefix = s["signed"] % signer[0]
        tap.check(any(x.startswith(prefix) for x in texts), "it says “%s…”" % prefix)
    buttons = [n.name for n in tf.find_all(view, tf.role("push button"))]
    for name in s["documents"]:
        # GTK 4.8 names a button "<accessible label> <its text>".
        tap.check(any(b == name or b.startswith(name + " ") for b in buttons),
                  "it has a “%s” button" % name, buttons)
    forms.shoot(args, "initiative")
    scroll_detail(args, view, 10)
    forms.shoot(args, "initiative-signatures")
    scroll_detail(args, view, 10)
    forms.shoot(args, "initiative-buurtdeal")

    if args.quick:
        tap.skip("adding a note; Make Initiative on an idea", "--quick")
        return

    # 4. A note, added on the page, appears at once and is stored.
    add = forms.button(view, s["add_note"])
    if tap.check(add is not None,
                 "the page has “%s” for notes" % s["add_note"]):
        text = "Notitie via AT-SPI %d" % os.getpid()
        # An empty note is refused at the field, which takes the focus.
        forms.click(add)
        error = tf.poll(lambda: tf.find(list_view_of(app, deal_title),
                                        tf.named("label", s["empty_note"])), timeout=10)
        tap.check(error is not None, "an empty note is refused: “%s”" % s["empty_note"])
        forms.type_text(text)
        forms.click(forms.button(list_view_of(app, deal_title), s["add_note"]))
        shown = tf.poll(lambda: text in labels(list_view_of(app, deal_title)), timeout=15)
        tap.check(bool(shown), "the new note appears on the page")
        stored = tf.poll(lambda: forms.db_one(args.db, "SELECT subject_type FROM note WHERE "
                                              "subject_id = ? AND body = ?", deal_id, text),
                         timeout=10)
        tap.check(stored == ("initiative",), "it is stored as a note on the initiative",
                  stored)
        queued = forms.db_one(args.db, "SELECT count(*) FROM outbox WHERE name = 'note.create' "
                              "AND args_json LIKE ?", "%" + deal_id + "%")
        tap.check(queued is not None and queued[0] == 1, "and queued as note.create", queued)

    # 5. An idea among the requests offers to become an initiative.
    idea = forms.db_one(args.db, "SELECT title FROM request WHERE wijk = 'centrum' AND "
                        "type = 'idee' AND initiative_id IS NULL ORDER BY received_at DESC "
                        "LIMIT 1")
    if not tap.check(idea is not None, "the demo has an idea among Centrum's requests"):
        return
    forms.switch_view(app, 1)
    time.sleep(0.5)
    tf.key(args.pid, "ctrl+f")
    wid = tf.window_id(args.pid)
    subprocess.run(["xdotool", "type", "--delay", "40"] + (["--window", wid] if wid else [])
                   + [idea[0]], check=False, timeout=60)
    if not tap.check(select(args, app, idea[0]), "the idea “%s” is found" % idea[0]):
        return
    make = tf.poll(lambda: forms.button(list_view_of(app, idea[0]), s["make"]), timeout=15)
    tap.check(make is not None, "the idea's page has “%s”" % s["make"])
    forms.shoot(args, "idea")


def main():
    def options(parser):
        parser.add_argument("--quick", action="store_true",
                            help="the list and the page only (the screenshot runs)")

    return tf.run_script("detail", check_detail, __doc__, options=options)


if __name__ == "__main__":
    sys.exit(main())
