#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Nothing lost, even when refused (issue 14, point 8), in the real app,
through AT-SPI, in Dutch.

Started by run-ui-tests.sh with the app running on a fresh demo database.
Needs BUURTEN_TEST_PG (a throwaway PostgreSQL, started by ./dev test) and
BUURTEN_SERVER_EXE: the refusal is a real one. As in test_sync.py, a real
buurten-server gives this user Oost only, so a new initiative in Centrum
comes back refused (FORBIDDEN) and lands in "Needs attention".

There it is opened as a draft: the initiative form opens with what was
typed; the title is changed and the form saved. The item is resolved and
the draft goes out again as a new initiative.create, with the changed
title and the amount as it was typed (the server refuses it once more,
which shows what was sent). That second refusal is then discarded, after
the confirmation. Each check prints one TAP line; the runner numbers them.
"""

import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_foundation as tf  # noqa: E402
import test_forms as tfm  # noqa: E402
import test_sync as ts  # noqa: E402

ts.DB_NAME = "buurten_ui_drafts_%d" % os.getpid()

TITLE = "Buurtfeest Kerkbrink"
CHANGED = "Buurtfeest Kerkbrink en Havenstraat"

STRINGS = {
    "en": {"log_in_item": ("Log In…",), "log_in": "Log In", "up_to_date": "Up to date",
           "attention_item": r"\d+ Items? Needs? Attention$", "attention": "Needs Attention",
           "draft": ("Open as Draft",), "discard": ("Discard",), "confirm": ("Discard", "_Discard"),
           "confirm_heading": "Discard This Change?",
           "new_initiative": "New Initiative", "save": "Save",
           "late": r"^Decision late: .+, \d+ days? past the term$", "open": "Open",
           "edit_initiative": "Edit Initiative"},
    "nl": {"log_in_item": ("Inloggen…",), "log_in": "Inloggen", "up_to_date": "Bijgewerkt",
           "attention_item": r"\d+ punt(en)? vra(agt|gen) aandacht$",
           "attention": "Vraagt aandacht", "draft": ("Als concept openen",),
           "discard": ("Weggooien",), "confirm": ("Weggooien", "_Weggooien"),
           "confirm_heading": "Deze wijziging weggooien?",
           "new_initiative": "Nieuw initiatief", "save": "Opslaan",
           "late": r"^Besluit te laat: .+, \d+ (dag|dagen) over de termijn$", "open": "Openen",
           "edit_initiative": "Initiatief bewerken"},
}


def open_attention(tap, app, s):
    """The header's sync popover, then its attention button; returns the
    "Needs attention" window."""
    window = tfm.window_named(app, s["attention"])
    if window is not None:
        tfm.key("Escape")
        tf.poll(lambda: tfm.window_named(app, s["attention"]) is None, timeout=10)
    tfm.click(ts.sync_button(app))
    item = tf.poll(lambda: tf.find(tf.snapshot(app), lambda n: n.getRoleName() == "push button"
                                   and re.search(s["attention_item"], n.name)
                                   and not n.name.startswith(("Synchronis"))), timeout=10)
    if not tap.check(item is not None, "the sync popover offers the attention list",
                     [n.name for n in tf.find_all(tf.snapshot(app), lambda n: "aandacht"
                                                  in n.name.lower() or "attention"
                                                  in n.name.lower())]):
        return None
    tfm.click(item)
    return tf.poll(lambda: tfm.window_named(app, s["attention"]), timeout=10)


def log_in(tap, app, args, url, s):
    tfm.click(ts.sync_button(app))
    item = tf.poll(lambda: tfm.button(tf.snapshot(app), s["log_in_item"]), timeout=10)
    if not tap.check(item is not None, "the sync popover offers to log in"):
        return False
    tfm.click(item)
    login = tf.poll(lambda: tfm.window_named(app, s["log_in"]), timeout=10)
    if not tap.check(login is not None, "the login window opens"):
        return False
    time.sleep(0.5)
    tfm.type_text(url)
    tfm.key("Tab")
    tfm.type_text(ts.USER)
    tfm.key("Tab")
    tfm.type_text(ts.PASSWORD)
    tfm.key("Return")
    state = tf.poll(lambda: s["up_to_date"] in ts.sync_state(app), timeout=30)
    return tap.check(state, "logged in to the real server", ts.sync_state(app))


def open_items(db, like):
    return tfm.db_all(db, "SELECT id, args_json FROM attention WHERE resolved_at IS NULL"
                      " AND args_json LIKE ?", "%" + like + "%")


def check_drafts(tap, app, args, url):
    s = STRINGS[args.lang]
    keyring = subprocess.run(["gnome-keyring-daemon", "--unlock", "--components=secrets"],
                             input="test-keyring-password", capture_output=True, text=True,
                             timeout=30)
    tap.check(keyring.returncode == 0, "gnome-keyring-daemon runs", keyring.stderr)
    if not log_in(tap, app, args, url, s):
        return

    # A real refusal: Centrum is not this user's wijk on the server.
    tfm.select_wijk(app, "Centrum")
    row = tfm.create_initiative(tap, app, args, TITLE, "1.250")
    tap.check(row is not None and row[1] == 125000, "the initiative is saved locally first", row)
    refused = tf.poll(lambda: open_items(args.db, TITLE), timeout=30)
    if not tap.check(refused, "the server refuses it and it needs attention"):
        return
    first_id = refused[0][0]

    window = open_attention(tap, app, s)
    if not tap.check(window is not None, "“%s” opens" % s["attention"]):
        return
    draft = tf.poll(lambda: tfm.button(tf.snapshot(window), s["draft"]), timeout=10)
    tap.check(tf.find(tf.snapshot(window), lambda n: TITLE in n.name) is not None,
              "the refused initiative is shown with its title")
    discard = tfm.sign_button(tf.snapshot(window), s["discard"][0])
    tap.check(discard is not None, "it can be discarded")
    tfm.shoot(args, "attention-draft")
    if not tap.check(draft is not None, "it can be opened as a draft (“%s”)" % s["draft"][0]):
        return

    # The draft: the form opens with what was typed; one field changed.
    tfm.click(draft)
    editor = tf.poll(lambda: tfm.window_named(app, s["new_initiative"]), timeout=10)
    if not tap.check(editor is not None, "the draft opens in the initiative form"):
        return
    time.sleep(0.8)
    # The form focuses its title, which holds the refused title: the
    # words typed now go at its end.
    tfm.key("End")
    tfm.type_text(" en Havenstraat")
    tfm.shoot(args, "draft-form")
    save = tfm.button(editor, s["save"])
    if not tap.check(save is not None, "the draft has a “%s” button" % s["save"]):
        return
    tfm.click(save)
    tap.check(tf.poll(lambda: tfm.window_named(app, s["new_initiative"]) is None, timeout=15),
              "saving the draft closes the form")
    resolved = tf.poll(lambda: tfm.db_one(args.db, "SELECT resolved_at FROM attention"
                                          " WHERE id = ?", first_id)[0], timeout=10)
    tap.check(resolved, "sending the draft resolves the refused item")
    # Sent again: the server refuses it once more, and shows what was sent.
    again = tf.poll(lambda: open_items(args.db, CHANGED), timeout=30)
    tap.check(again and '"requested_cents":125000' in again[0][1].replace(" ", ""),
              "the draft was sent again: the changed title, the amount as typed", again)
    if not again:
        return

    # The second refusal is discarded, after the confirmation.
    window = open_attention(tap, app, s)
    if not tap.check(window is not None, "“%s” opens again" % s["attention"]):
        return
    discard = tf.poll(lambda: tfm.sign_button(tf.snapshot(window), s["discard"][0]),
                      timeout=10)
    if not tap.check(discard is not None, "the new refusal can be discarded"):
        return
    tfm.click(discard)
    # The confirmation: a window of its own, with its heading.
    dialog = tf.poll(lambda: next((w for w in tfm.windows(app) if tf.find(
        w, lambda n: n.getRoleName() == "label" and n.name == s["confirm_heading"])), None),
        timeout=10)
    # GTK 4.8 names a response button "_Label Label".
    confirm = dialog and tf.find(dialog, lambda n: n.getRoleName() == "push button"
                                 and n.name.split(" ")[-1] in s["confirm"])
    tfm.shoot(args, "discard-confirm")
    tap.check(dialog is not None and confirm is not None, "discarding asks for a confirmation",
              dialog and [(n.getRoleName(), n.name) for n in tf.find_all(
                  dialog, lambda n: n.getRoleName().endswith("button"))])
    tap.check(open_items(args.db, CHANGED), "nothing is discarded before it is confirmed")
    if confirm is None:
        return
    tfm.click(confirm)
    gone = tf.poll(lambda: not open_items(args.db, CHANGED), timeout=10)
    tap.check(gone, "after the confirmation the refusal is discarded")

    # The decision term: the demo's late decisions are listed, each with
    # a button that opens the initiative.
    late = tf.poll(lambda: tf.find(tf.snapshot(window), lambda n: re.match(
        s["late"], n.name or "")), timeout=10)
    tap.check(late is not None, "a late decision is listed (“%s”)" % (late.name if late else
                                                                       s["late"]))
    opener = tf.find(tf.snapshot(window), lambda n: n.getRoleName() == "push button"
                     and n.name.split(" ")[-1] == s["open"])
    if tap.check(opener is not None, "with a button to open it"):
        tfm.click(opener)
        tap.check(tf.poll(lambda: tfm.window_named(app, s["edit_initiative"]), timeout=10),
                  "which opens the initiative")
        tfm.key("Escape")
    tfm.key("Escape")


def check_with_server(tap, app, args):
    """check_drafts against a buurten-server of its own, on a database
    that is dropped afterwards."""
    tmp = tempfile.mkdtemp(prefix="buurten-ui-drafts-")
    try:
        r = ts.psql("CREATE DATABASE %s" % ts.DB_NAME, dbname="postgres")
        if tap.check(r.returncode == 0, "a database for the server", r.stderr):
            for step in (("migrate",), ("import-municipality",
                                        os.path.join(ts.DATA, "municipalities",
                                                     "hilversum.json"))):
                r = ts.admin(*step)
                tap.check(r.returncode == 0, "buurten-server %s" % step[0], r.stderr)
            pwfile = os.path.join(tmp, "pw")
            with open(pwfile, "w") as f:
                f.write(ts.PASSWORD + "\n")
            r = ts.admin("user", "add", "--username", ts.USER, "--role", "buurtcoordinator",
                         "--wijk", "oost", "--password-file", pwfile)
            tap.check(r.returncode == 0, "a user on the server", r.stderr)
            server, url = ts.start_server()
            try:
                check_drafts(tap, app, args, url)
            finally:
                server.terminate()
                server.wait(timeout=30)
    finally:
        ts.psql("DROP DATABASE IF EXISTS %s WITH (FORCE)" % ts.DB_NAME, dbname="postgres")


def main():
    def skip(args):
        if not ts.PG or not ts.SERVER or not os.path.exists(ts.SERVER):
            return "drafts of refused changes # SKIP no BUURTEN_TEST_PG or buurten-server"
        return None

    return tf.run_script("drafts", check_with_server, __doc__, lang="nl", skip=skip)


if __name__ == "__main__":
    sys.exit(main())
