#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Login, sync state and "Needs attention" in the real app, through AT-SPI.

Started by run-ui-tests.sh with the app running on a fresh demo database.
Needs BUURTEN_TEST_PG (a throwaway PostgreSQL, started by ./dev test) and
BUURTEN_SERVER_EXE; starts a real buurten-server of its own and a real
keyring (gnome-keyring-daemon, secrets only) on the test's session bus.

Logs in through the login window and finds the token in the keyring and
nowhere in the SQLite files; an initiative for a wijk the server does not
allow comes back refused and is shown in "Needs attention" with its reason;
an expired session brings the login window back, and logging in again
replaces the token in the keyring; a stopped server shows "Offline".
(The path without any Secret Service, where the token stays in memory and
the app says so, is not driven here: D-Bus would start a keyring daemon on
demand, which has no unlocked collection and fails in its own way.) Each check prints one TAP
line; the runner numbers them.
"""

import glob
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_foundation as tf  # noqa: E402
import test_forms as tfm  # noqa: E402

PG = os.environ.get("BUURTEN_TEST_PG")
SERVER = os.environ.get("BUURTEN_SERVER_EXE")
DATA = os.environ.get("BUURTEN_DATA_DIR")
PASSWORD = "correct horse battery staple"
USER = "f.elamrani"
DB_NAME = "buurten_ui_sync_%d" % os.getpid()


def conninfo(dbname):
    return "%s dbname=%s" % (PG, dbname)


def psql(sql, dbname=DB_NAME):
    return subprocess.run(["psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1",
                           conninfo(dbname), "-c", sql], capture_output=True, text=True,
                          timeout=60)


def admin(*args):
    return subprocess.run([SERVER, "--db", conninfo(DB_NAME)] + list(args),
                          capture_output=True, text=True, timeout=120)


def start_server():
    proc = subprocess.Popen([SERVER, "--db", conninfo(DB_NAME), "--listen", "127.0.0.1:0"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    m = re.match(r"listening on (http://127\.0\.0\.1:\d+)", proc.stdout.readline())
    if not m:
        proc.kill()
        raise RuntimeError("buurten-server did not start")
    return proc, m.group(1)


def sync_button(app):
    """The header's sync button (GtkMenuButton: GTK 4.8 shows it as a push
    button holding its inner toggle button, both with its name; the inner
    one is the one that acts)."""
    hits = tf.find_all(tf.snapshot(app), lambda n: n.getRoleName() in ("push button",
                                                                      "toggle button")
                       and n.name.startswith(("Synchronisation", "Synchronisatie")))
    inner = [n for n in hits if not any(c.getRoleName().endswith("button") for c in n)]
    return (inner or hits or [None])[0]


def sync_state(app):
    b = sync_button(app)
    return b.name if b is not None else ""


def check_sync(tap, app, args, tmp):
    # The server: its own database, one user holding Oost only.
    r = psql("CREATE DATABASE %s" % DB_NAME, dbname="postgres")
    if not tap.check(r.returncode == 0, "a database for the server", r.stderr):
        return
    for step in (("migrate",), ("import-municipality",
                                os.path.join(DATA, "municipalities", "hilversum.json"))):
        r = admin(*step)
        tap.check(r.returncode == 0, "buurten-server %s" % step[0], r.stderr)
    pwfile = os.path.join(tmp, "pw")
    with open(pwfile, "w") as f:
        f.write(PASSWORD + "\n")
    r = admin("user", "add", "--username", USER, "--role", "buurtcoordinator", "--wijk", "oost",
              "--password-file", pwfile)
    tap.check(r.returncode == 0, "a user on the server", r.stderr)
    server, url = start_server()
    try:
        check_with_server(tap, app, args, url, server)
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait(timeout=30)


def check_not_in_files(tap, args, token):
    leaked = []
    for path in glob.glob(os.path.dirname(args.db) + "/*"):
        with open(path, "rb") as f:
            if token and token.encode() in f.read():
                leaked.append(os.path.basename(path))
    tap.check(token and not leaked, "the token is in no SQLite file", leaked)


def keyring_token(url):
    return subprocess.run(["secret-tool", "lookup", "server", url, "user", USER],
                          capture_output=True, text=True, timeout=20).stdout.strip()


def log_in(tap, app, args, url, fill_all, shot=None):
    tfm.click(sync_button(app))
    login_item = tf.poll(lambda: tfm.button(tf.snapshot(app), ("Log In…",)), timeout=10)
    if not tap.check(login_item is not None, "the sync popover offers “Log In…”"):
        return False
    tfm.click(login_item)
    return type_login(tap, app, args, url, fill_all, shot)


def type_login(tap, app, args, url, fill_all, shot=None):
    login = tf.poll(lambda: tfm.window_named(app, "Log In"), timeout=10)
    if not tap.check(login is not None, "the login window opens"):
        return False
    time.sleep(0.5)
    if fill_all:
        tfm.type_text(url)
        tfm.key("Tab")
        tfm.type_text(USER)
        tfm.key("Tab")
    tfm.type_text(PASSWORD)   # else address and username are filled in already
    if shot:
        tfm.shoot(args, shot)
    tfm.key("Return")
    state = tf.poll(lambda: "Up to date" in sync_state(app) and sync_state(app), timeout=30)
    tap.check(state, "after login the header says “Up to date at …”", sync_state(app))
    tap.check(tf.poll(lambda: tfm.window_named(app, "Log In") is None, timeout=10),
              "the login window closed")
    return bool(state)


def check_with_server(tap, app, args, url, server):
    # Before login: this computer only.
    state = tf.poll(lambda: sync_state(app), timeout=20)
    tap.check("On this computer only" in state, "before login the header says "
              "“On this computer only”", state)

    # The keyring: a real one on this session bus, unlocked, as a desktop
    # session has it (started before anything asks, see ui-testing.md).
    keyring = subprocess.run(["gnome-keyring-daemon", "--unlock", "--components=secrets"],
                             input="test-keyring-password", capture_output=True, text=True,
                             timeout=30)
    tap.check(keyring.returncode == 0, "gnome-keyring-daemon runs", keyring.stderr)

    if not log_in(tap, app, args, url, True, shot="login"):
        return
    token = tf.poll(lambda: keyring_token(url), timeout=20)
    tap.check(re.fullmatch(r"[0-9a-f]{64}", token or ""), "the token is in the keyring")
    check_not_in_files(tap, args, token)

    # A change the server refuses: Centrum is not this user's wijk there.
    tfm.select_wijk(app, "Centrum")
    row = tfm.create_initiative(tap, app, args, "Buurtfeest zonder toegang", "150")
    tap.check(row is not None, "the initiative is saved locally first")
    state = tf.poll(lambda: "attention" in sync_state(app) and sync_state(app), timeout=30)
    tap.check(state, "the header says an item needs attention", sync_state(app))
    gone = tf.poll(lambda: tfm.db_one(args.db, "SELECT count(*) FROM initiative WHERE title = ?",
                                      "Buurtfeest zonder toegang")[0] == 0, timeout=10)
    tap.check(gone, "the refused initiative is no longer shown as if it existed")
    kept = tfm.db_one(args.db, "SELECT code, args_json FROM attention WHERE resolved_at IS NULL")
    tap.check(kept is not None and kept[0] == "FORBIDDEN"
              and "Buurtfeest zonder toegang" in kept[1],
              "what was typed is kept with the refusal", kept)

    tfm.click(sync_button(app))
    # The count includes the demo's initiatives whose decision is late.
    open_attention = tf.poll(lambda: tf.find(tf.snapshot(app), lambda n: n.getRoleName()
                                             == "push button" and re.search(
                                                 r"\d+ Items? Needs? Attention$", n.name)
                                             and not n.name.startswith("Synchronisation")),
                             timeout=10)
    if not tap.check(open_attention is not None, "the popover offers “N Items Need Attention”"):
        return
    tfm.click(open_attention)
    window = tf.poll(lambda: tfm.window_named(app, "Needs Attention"), timeout=10)
    if not tap.check(window is not None, "“Needs Attention” opens"):
        return
    reason = tf.poll(lambda: tf.find(tf.snapshot(window), lambda n: n.getRoleName() == "label"
                                     and n.name.startswith(("You have no rights in",
                                                            "Your roles do not allow this"))),
                     timeout=10)
    tap.check(reason is not None, "the refusal is shown with its reason")
    title = tf.find(tf.snapshot(window), lambda n: "Buurtfeest zonder toegang" in n.name)
    tap.check(title is not None, "and with what was typed")
    tfm.shoot(args, "attention")
    # A refused new initiative opens as a draft or is discarded, after a
    # confirmation (test_drafts.py drives both in Dutch).
    discard = tfm.sign_button(tf.snapshot(window), "Discard")
    if tap.check(discard is not None, "the item can be discarded"):
        tfm.click(discard)
        confirm = tf.poll(lambda: next((tf.find(w, lambda n: n.getRoleName() == "push button"
                                                and n.name.split(" ")[-1] == "Discard")
                                        for w in tfm.windows(app) if tf.find(
                                            w, tf.named("label", "Discard This Change?"))),
                                       None), timeout=10)
        if tap.check(confirm is not None, "after a confirmation"):
            tfm.click(confirm)
        gone = tf.poll(lambda: tf.find(tf.snapshot(window), lambda n: "Buurtfeest zonder "
                                       "toegang" in n.name) is None, timeout=10)
        tap.check(gone, "then it leaves the list")
    tfm.key("Escape")
    tf.poll(lambda: tfm.window_named(app, "Needs Attention") is None, timeout=10)

    # The session ends on the server: the login window comes back, the
    # outbox waits; logging in again stores the token in the keyring.
    psql("UPDATE sessions SET expires_at = now () - interval '1 second'")
    tfm.key("ctrl+r")
    login = tf.poll(lambda: tfm.window_named(app, "Log In"), timeout=20)
    tap.check(login is not None, "an expired session brings the login window back (Ctrl+R)")
    if login is None:
        return
    message = tf.find(tf.snapshot(login), lambda n: n.getRoleName() == "label"
                      and n.name.startswith("Your session has ended"))
    tap.check(message is not None, "and says why")
    tfm.shoot(args, "login-again")
    if not type_login(tap, app, args, url, False):
        return
    again = tf.poll(lambda: keyring_token(url) != token and keyring_token(url), timeout=20)
    tap.check(re.fullmatch(r"[0-9a-f]{64}", again or ""), "the new token replaced the old one "
              "in the keyring")
    check_not_in_files(tap, args, again)

    # The server goes away: offline.
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=30)
    tfm.key("ctrl+r")
    state = tf.poll(lambda: "Offline" in sync_state(app) and sync_state(app), timeout=30)
    tap.check(state, "without the server the header says “Offline”", sync_state(app))
    tfm.shoot(args, "offline")


def check_dropping_database(tap, app, args):
    """check_sync, then the server's database dropped whatever happened."""
    try:
        check_sync(tap, app, args, tempfile.mkdtemp(prefix="buurten-ui-sync-"))
    finally:
        psql("DROP DATABASE IF EXISTS %s WITH (FORCE)" % DB_NAME, dbname="postgres")


def main():
    def options(parser):
        parser.add_argument("--scenario", default="demo")

    def skip(args):
        if not PG or not SERVER or not os.path.exists(SERVER):
            return "login and sync # SKIP no BUURTEN_TEST_PG or buurten-server"
        return None

    return tf.run_script("sync", check_dropping_database, __doc__, options=options, skip=skip)


if __name__ == "__main__":
    sys.exit(main())
