#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The README's first command, as written, on a Dutch desktop.

Runs `./dev run` in the source tree with the environment of a Dutch
desktop: LANG=nl_NL.UTF-8 and nothing that points at the translations (no
BUURTEN_LOCALEDIR, no LANGUAGE, no LC_ALL): the app must find the build's
catalogues itself. Only what a desktop session has is passed on (PATH,
HOME, DISPLAY, the session bus), plus GTK_A11Y=atspi so that AT-SPI sees
the app and GSETTINGS_BACKEND=memory so that the test leaves no settings
behind. Reads the first window's title and one label through AT-SPI.

usage: test_dev_run.py SOURCE_DIR   (inside Xvfb and a session bus)
"""

import os
import signal
import subprocess
import sys
import tempfile
import time

import pyatspi

TIMEOUT = 240  # a clean clone builds its demo database on the first run


def find(node, pred, depth=0):
    if node is None or depth > 40:
        return None
    try:
        if pred(node):
            return node
        for child in node:
            hit = find(child, pred, depth + 1)
            if hit is not None:
                return hit
    except Exception:
        return None  # a node that went away while we walked
    return None


def app_of(pid):
    for app in pyatspi.Registry.getDesktop(0):
        try:
            if app is not None and app.get_process_id() == pid and app.childCount > 0:
                return app
        except Exception:
            continue
    return None


def main():
    top = os.path.abspath(sys.argv[1])
    env = {k: os.environ[k] for k in ("PATH", "HOME", "DISPLAY", "XAUTHORITY",
                                       "DBUS_SESSION_BUS_ADDRESS") if k in os.environ}
    env.update(LANG="nl_NL.UTF-8", GTK_A11Y="atspi", GSETTINGS_BACKEND="memory")
    print("1..3", flush=True)
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen(["./dev", "run"], cwd=top, env=env, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
    failed = 0
    try:
        # ./dev run execs the app: the process keeps its pid.
        deadline = time.time() + TIMEOUT
        app = None
        while app is None and time.time() < deadline and proc.poll() is None:
            app = app_of(proc.pid)
            if app is None:
                time.sleep(0.5)
        ok = app is not None
        print(("ok" if ok else "not ok") + " 1 - ./dev run opens the app", flush=True)
        if not ok:
            failed += 1
            log.seek(0)
            for line in log.read().decode(errors="replace").splitlines()[-30:]:
                print("# " + line)
            return 1

        # The first window on a new desktop welcomes in Dutch.
        frame = None
        while frame is None and time.time() < deadline:
            frame = find(app, lambda n: n.getRoleName() == "frame" and
                         n.name in ("Welkom bij Buurten", "Welcome to Buurten"))
            if frame is None:
                time.sleep(0.5)
        name = frame.name if frame is not None else None
        ok = name == "Welkom bij Buurten"
        print(("ok" if ok else "not ok") + " 2 - the window's title is Dutch", flush=True)
        if not ok:
            failed += 1
            print("# title: %r" % name)

        label = find(app, lambda n: n.getRoleName() == "label" and
                     n.name in ("Mijn wijken", "My Wijken", "My wijken"))
        label_name = label.name if label is not None else None
        ok = label_name == "Mijn wijken"
        print(("ok" if ok else "not ok") + " 3 - a label in the window is Dutch", flush=True)
        if not ok:
            failed += 1
            print("# label: %r" % label_name)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
