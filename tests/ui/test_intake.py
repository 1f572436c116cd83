#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Taking in an initiative and its buurtdeal in the real app, in Dutch.

Started by run-ui-tests.sh with the app running on a fresh demo database
(issue 14, point 10, first half). Takes in a new initiative in Centrum with
two cost lines and one income line and an invalid IBAN, which is refused at
the field with the Dutch message; fixes it; judges the four criteria with a
remark each; saves. Then records its buurtdeal (an agreement of each side
and the organiser's signature), submits the commitment and signs it as the
buurtcoördinator, and signs it as the wijkwethouder in a second app
process on a copy of the database. Expected figures come from the SQLite
file itself, never from the app. The scenario runs in Dutch only: an
English run skips it (the runner runs it in Dutch as well).
"""

import os
import sqlite3
import subprocess
import sys
import tempfile
import time

import pyatspi

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_foundation as tf  # noqa: E402  (the shared AT-SPI helpers)
import test_forms as forms  # noqa: E402  (keys, typing, windows and buttons)

VIEW_INITIATIVES = 2
WETHOUDER = "w.dekker:wijkwethouder:centrum"

S = {
    "new_initiative": "Nieuw initiatief",
    "edit_initiative": "Initiatief bewerken",
    "save": "Opslaan",
    "cancel": "Annuleren",
    "edit": ("Bewerken", "_Bewerken"),
    "add_cost": "Kosten toevoegen",
    "add_income": "Inkomsten toevoegen",
    "iban_refused": "De controlecijfers van de IBAN kloppen niet: een tikfout?",
    # Amounts as the app writes them (a no-break space after the euro sign).
    "balance": "Kosten € 2.800,50, inkomsten en eigen bijdrage € 300,00: "
               "gevraagd bedrag € 2.500,50".replace("€ ", "€\u00a0"),
    "criteria": ("Gestart door bewoners", "Draagvlak in de buurt", "Past bij de wijkthema’s",
                 "Voegt iets toe"),
    "yes": "%s: ja",
    "open_buurtdeal": "Buurtdeal openen",
    "buurtdeal_title": "Buurtdeal: %s",
    "required": "Een buurtdeal is verplicht: € 2.500,50 ligt boven het eigen mandaat "
                "van de buurtcoördinator van € 2.000,00.".replace("€ ", "€\u00a0"),
    "add_residents": "Afspraak van de bewoners toevoegen",
    "add_municipality": "Afspraak van de gemeente toevoegen",
    "complete": "Compleet: afspraken van beide kanten en de handtekening van de organisator.",
    "decide": ("Besluiten of tekenen", "Besluiten"),
    "decision_title": "Besluiten",
    "submit": "Ter ondertekening aanbieden",
    "sign": "Tekenen",
    "sign_title": "Verplichting tekenen",
}


def key(*keys):
    forms.key(*keys)


def typed(text):
    # Faster than the forms' typing: these fields check nothing per key.
    subprocess.run(["xdotool", "type", "--delay", "12", text], check=False, timeout=60)
    time.sleep(0.2)


def focused(node):
    try:
        return node.acc.getState().contains(pyatspi.STATE_FOCUSED)
    except Exception:
        return False


def label_named(window, name):
    return tf.find(tf.snapshot(window), tf.named("label", name))


def take_in(tap, app, args, title):
    editor = forms.open_new(app, VIEW_INITIATIVES, S["new_initiative"])
    if not tap.check(editor is not None, "Ctrl+N in Initiatieven opent “%s”"
                     % S["new_initiative"]):
        return False
    time.sleep(0.5)
    # The form focuses its title; Wijk and Thema follow, then the organiser.
    typed(title)
    key("Tab", "Tab", "Tab")
    typed("Els de Vries")
    key("Tab")
    typed("Kerkstraat 12, 1211 AB Hilversum")
    key("Tab", "Tab")
    typed("els@example.nl")
    key("Tab", "Tab", "Tab")
    # IBAN: one digit off, then leave the field.
    typed("NL91 ABNA 0417 1643 01")
    key("Tab")
    refused = tf.poll(lambda: label_named(editor, S["iban_refused"]), timeout=5)
    tap.check(refused is not None, "a wrong IBAN is refused at the field: “%s”"
              % S["iban_refused"])
    forms.shoot(args, "intake-iban")
    # Back into it, right this time; the message goes.
    key("shift+Tab", "ctrl+a")
    typed("NL91ABNA0417164300")
    key("Tab")
    tap.check(tf.poll(lambda: label_named(editor, S["iban_refused"]) is None, timeout=5),
              "the message goes once the IBAN is right")
    typed("Buurtvereniging Kerkelanden")
    key("Tab")
    typed("Een straatfeest met springkussen en muziek.")
    key("Tab")
    typed("Alle bewoners van de Kerkstraat")
    key("Tab")
    typed("Kerkstraat")

    # The budget: two cost lines and one income line; their balance is the
    # amount asked.
    for kind, what, amount in (("add_cost", "Springkussen", "1.800"),
                               ("add_cost", "Muziek", "1.000,50"),
                               ("add_income", "Bijdrage winkeliers", "300")):
        forms.click(forms.button(tf.snapshot(editor), S[kind]))
        typed(what)
        key("Tab")
        typed(amount)
    balance = tf.poll(lambda: label_named(editor, S["balance"]), timeout=5)
    tap.check(balance is not None, "the balance shows live: “%s”" % S["balance"])

    # The four criteria, judged, each with a remark (a judgement moves the
    # focus to its remark).
    # One look at the form finds the four toggles (each look is slow).
    wanted = [S["yes"] % name for name in S["criteria"]]
    toggles = {n.name: n for n in tf.find_all(tf.snapshot(editor), lambda n: n.name in wanted)}
    for name in S["criteria"]:
        toggle = toggles.get(S["yes"] % name)
        if not tap.check(toggle is not None, "the criterion “%s” has a “ja”" % name):
            return False
        forms.click(toggle)
        typed("Gezien bij het gesprek op 12 oktober")
    forms.shoot(args, "intake-editor")

    forms.click(forms.button(editor, S["save"]))
    gone = tf.poll(lambda: forms.window_named(app, S["new_initiative"]) is None, timeout=15)
    tap.check(gone, "saving closes the form")
    return True


def check_stored(tap, args, title):
    row = tf.poll(lambda: forms.db_one(
        args.db, "SELECT id, requested_cents, iban, organiser_email, crit_residents, "
        "crit_adds_remark FROM initiative WHERE title = ?", title), timeout=10)
    if not tap.check(row is not None, "the initiative is in the database"):
        return None
    initiative_id, cents, iban, email, crit, remark = row
    tap.check(cents == 250050, "the amount asked is the balance, 250050 cents", cents)
    tap.check(iban == "NL91ABNA0417164300", "the IBAN is stored normalised", iban)
    tap.check(email == "els@example.nl" and crit == "yes" and remark is not None,
              "the organiser's e-mail, the judgement and its remark are stored", row)
    lines = forms.db_all(args.db, "SELECT kind, amount_cents FROM budget_line WHERE "
                         "initiative_id = ? ORDER BY position", initiative_id)
    tap.check(lines == [("kosten", 180000), ("kosten", 100050), ("inkomsten", 30000)],
              "two cost lines and one income line", lines)
    names = [n for (n,) in forms.db_all(args.db, "SELECT name FROM outbox WHERE args_json "
                                        "LIKE ? ORDER BY seq", "%" + initiative_id + "%")]
    tap.check(names[:2] == ["initiative.create", "initiative.update"]
              and names.count("budget_line.add") == 3,
              "one batch: initiative.create, its update and three budget_line.add", names)
    return initiative_id


def record_buurtdeal(tap, app, args, title, initiative_id):
    row = tf.poll(lambda: forms.find_in_list(app, title), timeout=15)
    if not tap.check(row is not None, "the initiative appears in the list"):
        return False
    forms.select_row(args, row)
    edit = tf.poll(lambda: forms.decide_button(app, title, S["edit"]), timeout=10)
    if not tap.check(edit is not None, "the selected initiative offers “Bewerken”"):
        return False
    forms.click(edit)
    editor = tf.poll(lambda: forms.window_named(app, S["edit_initiative"]), timeout=10)
    if not tap.check(editor is not None, "“%s” opens" % S["edit_initiative"]):
        return False
    opener = tf.poll(lambda: forms.button(tf.snapshot(editor), S["open_buurtdeal"]), timeout=10)
    if not tap.check(opener is not None, "the editor offers “%s”" % S["open_buurtdeal"]):
        return False
    forms.click(opener)
    name = S["buurtdeal_title"] % title
    deal = tf.poll(lambda: forms.window_named(app, name), timeout=10)
    if not tap.check(deal is not None, "“%s” opens" % name):
        return False
    tap.check(tf.poll(lambda: label_named(deal, S["required"]), timeout=10) is not None,
              "it says plainly: “%s”" % S["required"])

    forms.click(forms.button(tf.snapshot(deal), S["add_residents"]))
    typed("Bewoners zetten de tafels klaar en ruimen op")
    key("Tab")
    typed("Els de Vries")
    key("Tab")
    typed("1-11-2026")
    forms.click(forms.button(tf.snapshot(deal), S["add_municipality"]))
    typed("De gemeente zet de straat af")
    key("Tab")
    typed("Team Openbare Ruimte")
    key("Tab")
    typed("31-10-2026")
    # Progress and remove, up to the add button; then the organiser's
    # signature.
    add = forms.button(tf.snapshot(deal), S["add_municipality"])
    for _ in range(6):
        if add is None or focused(add):
            break
        key("Tab")
    tap.check(add is not None and focused(add), "Tab passes the agreement's fields in order")
    key("Tab")
    typed("Els de Vries")
    key("Tab")
    typed("20-10-2026")
    key("Tab")
    typed("Hilversum")
    tap.check(tf.poll(lambda: label_named(deal, S["complete"]), timeout=5) is not None,
              "it says the buurtdeal is complete: “%s”" % S["complete"])
    forms.shoot(args, "intake-buurtdeal")
    forms.click(forms.button(deal, S["save"]))
    tap.check(tf.poll(lambda: forms.window_named(app, name) is None, timeout=15),
              "saving closes the buurtdeal")
    forms.click(forms.button(tf.snapshot(editor), S["cancel"]))
    tf.poll(lambda: forms.window_named(app, S["edit_initiative"]) is None, timeout=10)

    agreements = forms.db_all(args.db, "SELECT side FROM agreement WHERE initiative_id = ? "
                              "ORDER BY side", initiative_id)
    tap.check(agreements == [("bewoners",), ("gemeente",)],
              "an agreement of each side is stored", agreements)
    signed = forms.db_one(args.db, "SELECT deal_signed_by, deal_signed_on, deal_signed_place "
                          "FROM initiative WHERE id = ?", initiative_id)
    tap.check(signed == ("Els de Vries", "2026-10-20", "Hilversum"),
              "the organiser's signature is stored", signed)
    queued = forms.db_one(args.db, "SELECT COUNT(*) FROM outbox WHERE name = "
                          "'initiative.deal_signed' AND args_json LIKE ?",
                          "%" + initiative_id + "%")
    tap.check(queued == (1,), "initiative.deal_signed is in the outbox", queued)
    return True


def submit_and_sign(tap, app, args, title, initiative_id):
    """Puts the commitment forward and signs it as the buurtcoördinator."""
    row = tf.poll(lambda: forms.find_in_list(app, title), timeout=15)
    if row is not None:
        forms.select_row(args, row)
    decide = tf.poll(lambda: forms.decide_button(app, title, S["decide"]), timeout=10)
    if not tap.check(decide is not None, "the initiative offers “%s”" % S["decide"][0]):
        return False
    forms.click(decide)
    window = tf.poll(lambda: (lambda w: w if w is not None and forms.button(w, S["submit"])
                              is not None else None)(
                                  forms.window_named(app, S["decision_title"])), timeout=15)
    if not tap.check(window is not None, "the decision window offers “%s”" % S["submit"]):
        return False
    forms.click(forms.button(window, S["submit"]))
    tf.poll(lambda: forms.window_named(app, S["decision_title"]) is None, timeout=15)
    pending = tf.poll(lambda: forms.db_one(args.db, "SELECT id, state FROM commitment WHERE "
                                           "initiative_id = ?", initiative_id), timeout=10)
    if not tap.check(pending is not None and pending[1] == "pending",
                     "a pending commitment waits for signatures", pending):
        return False

    forms.switch_view(app, 0)
    mine = "„%s” tekenen" % title
    sign = tf.poll(lambda: forms.sign_button(tf.snapshot(app), mine), timeout=15)
    if not tap.check(sign is not None, "the dashboard offers “%s”" % mine):
        return False
    forms.click(sign)
    window = tf.poll(lambda: (lambda w: w if w is not None and forms.button(w, S["sign"])
                              is not None and forms.sensitive(forms.button(w, S["sign"]))
                              else None)(forms.window_named(app, S["sign_title"])), timeout=15)
    if not tap.check(window is not None, "“%s” opens" % S["sign_title"]):
        return False
    forms.click(forms.button(window, S["sign"]))
    tf.poll(lambda: forms.window_named(app, S["sign_title"]) is None, timeout=15)
    signatures = tf.poll(lambda: forms.db_all(args.db, "SELECT role FROM signature WHERE "
                                              "commitment_id = ?", pending[0]), timeout=10)
    tap.check(signatures == [("buurtcoordinator",)],
              "the buurtcoördinator's signature is stored; the commitment still waits",
              signatures)
    return pending[0]


def find_app_by_pid(pid):
    desktop = pyatspi.Registry.getDesktop(0)
    for app in desktop:
        try:
            if app is not None and app.name == "buurten" and app.get_process_id() == pid \
                    and app.childCount > 0:
                return app
        except Exception:
            continue
    return None


def sign_as_wethouder(tap, args, title, commitment_id):
    """A second app, as the wijkwethouder, on a copy of the database."""
    work = tempfile.mkdtemp(prefix="intake-")
    copy = os.path.join(work, "buurten.db")
    with sqlite3.connect("file:%s?mode=ro" % args.db, uri=True, timeout=10) as src, \
            sqlite3.connect(copy) as dst:
        src.backup(dst)
    # The same program with the same environment (language, day) as the
    # first, another user.
    app_exe = os.readlink("/proc/%d/exe" % args.pid)
    with open("/proc/%d/environ" % args.pid, "rb") as f:
        env = dict(item.decode().split("=", 1) for item in f.read().split(b"\0") if b"=" in item)
    second = subprocess.Popen([app_exe, "--data-dir", work, "--year", str(args.year),
                               "--user", WETHOUDER], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        app = tf.poll(lambda: find_app_by_pid(second.pid), timeout=30)
        if not tap.check(app is not None, "a second app runs as the wijkwethouder"):
            return
        if not tap.check(forms.select_wijk(app, "Centrum"), "the wethouder selects Centrum"):
            return
        forms.switch_view(app, 0)
        theirs = "„%s” tekenen" % title
        sign = tf.poll(lambda: forms.sign_button(tf.snapshot(app), theirs), timeout=15)
        if not tap.check(sign is not None, "the wethouder's dashboard offers “%s”" % theirs):
            forms.shoot(args, "intake-wethouder")
            return
        forms.click(sign)
        window = tf.poll(lambda: (lambda w: w if w is not None and forms.button(w, S["sign"])
                                  is not None and forms.sensitive(forms.button(w, S["sign"]))
                                  else None)(forms.window_named(app, S["sign_title"])),
                         timeout=15)
        if not tap.check(window is not None, "“%s” opens for the wethouder" % S["sign_title"]):
            return
        forms.click(forms.button(window, S["sign"]))
        state = tf.poll(lambda: (lambda r: r if r is not None and r[0] == "approved" else None)(
            forms.db_one(copy, "SELECT state FROM commitment WHERE id = ?", commitment_id)),
            timeout=10)
        roles = forms.db_all(copy, "SELECT role FROM signature WHERE commitment_id = ? "
                             "ORDER BY role", commitment_id)
        tap.check(state is not None and roles == [("buurtcoordinator",), ("wijkwethouder",)],
                  "signed by two users, the commitment is approved", (state, roles))
    finally:
        second.terminate()
        try:
            second.wait(timeout=10)
        except subprocess.TimeoutExpired:
            second.kill()
        for name in os.listdir(work):
            os.unlink(os.path.join(work, name))
        os.rmdir(work)


def check_intake(tap, app, args):
    if not tap.check(forms.select_wijk(app, "Centrum"), "Centrum is selected"):
        return
    title = "Straatfeest Kerkstraat %d" % os.getpid()
    if not take_in(tap, app, args, title):
        return
    initiative_id = check_stored(tap, args, title)
    if initiative_id is None:
        return
    if not record_buurtdeal(tap, app, args, title, initiative_id):
        return
    commitment_id = submit_and_sign(tap, app, args, title, initiative_id)
    if commitment_id:
        sign_as_wethouder(tap, args, title, commitment_id)


def main():
    def options(parser):
        parser.add_argument("--scenario", default="demo")

    def skip(args):
        if args.scenario != "demo" or args.lang != "nl":
            return "the intake scenario # SKIP it runs in Dutch on the demo"
        return None

    return tf.run_script("intake", check_intake, __doc__, options=options, skip=skip)


if __name__ == "__main__":
    sys.exit(main())
