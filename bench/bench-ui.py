#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmarks of the desktop (issue 3, point 9), on the real app.

    bench/bench-ui.py BUILD_DIR [--runs N] [--keep DIR] [--search-only] [--renderer R]

Needs an X display (it starts itself under xvfb-run and dbus-run-session
when there is none) and xdotool. Measures, with a 100 000-request demo
database against an empty one, side by side in one run:

  - startup: process start to the first frame drawn with the data (the app
    prints the monotonic time of that frame when BUURTEN_BENCH is set);
    target: ratio at most 1.3
  - resident memory after the dashboard and the request list of Centrum
    (about 10 000 requests) are loaded; target: ratio at most 1.5
  - search as you type in the request list: keystroke to the list showing
    the hits, per keystroke (the app prints it, with what it is made of:
    the store's search and the filters in a worker thread, the rows in the
    UI thread); target: median under 16 ms

--search-only measures the search alone (quicker); --renderer sets
GSK_RENDERER for the app (Xvfb has no GPU: GTK's GL renderer then draws in
software, llvmpipe, and competes with the app for the CPUs).

Prints a Markdown table for bench/RESULTS.md.
"""

import argparse
import os
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

USER = "f.elamrani:buurtcoordinator:centrum"
YEAR = "2026"
TODAY = "2026-10-15"
WORDS = ["stoeptegels", "fietspad", "overlast", "speeltuin"]


RENDERER = None
STDERR = subprocess.DEVNULL   # where the app's messages go


def env_for(build):
    env = dict(os.environ)
    if RENDERER:
        env["GSK_RENDERER"] = RENDERER
    env.update({
        "GSETTINGS_BACKEND": "memory",
        "GSETTINGS_SCHEMA_DIR": os.path.join(build, "data"),
        "BUURTEN_DATA_DIR": os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data"),
        "BUURTEN_TODAY": TODAY,
        "BUURTEN_BENCH": "1",
        "NO_AT_BRIDGE": "1",
        "LC_ALL": "C.UTF-8",
    })
    return env


class App:
    def __init__(self, build, data_dir):
        self.started = time.monotonic_ns() // 1000
        self.proc = subprocess.Popen(
            [os.path.join(build, "src", "buurten"), "--data-dir", data_dir, "--year", YEAR,
             "--user", USER],
            env=env_for(build), stdout=subprocess.PIPE, stderr=STDERR, text=True,
            bufsize=1)
        self.lines = []
        # A thread reads the app's lines as they come. (select() on the pipe
        # next to readline() missed lines already read into Python's buffer:
        # they showed up only with the next key, and keys looked lost.)
        self.queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self.queue.put(line)
        self.queue.put(None)

    def wait_for(self, prefix, timeout=60.0, match=None):
        """The next line starting with prefix (and, with match, for which
        match(fields) is true), as a dict of its key=value fields."""
        deadline = time.time() + timeout
        while True:
            try:
                line = self.queue.get(timeout=max(0.0, deadline - time.time()))
            except queue.Empty:
                return None
            if line is None:
                return None
            self.lines.append(line)
            if line.startswith(prefix):
                fields = dict(kv.split("=", 1) for kv in line.split()[1:] if "=" in kv)
                if match is None or match(fields):
                    return fields

    def window(self):
        for _ in range(50):
            out = subprocess.run(["xdotool", "search", "--onlyvisible", "--pid",
                                  str(self.proc.pid)], capture_output=True, text=True).stdout
            if out.split():
                return out.split()[0]
            time.sleep(0.1)
        return None

    def key(self, *keys):
        wid = self.window()
        for k in keys:
            subprocess.run(["xdotool", "key", "--window", wid, k], check=False)
            time.sleep(0.2)

    def rss_kib(self):
        with open("/proc/%d/status" % self.proc.pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return -1

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def startup(build, data_dir):
    app = App(build, data_dir)
    frame = app.wait_for("buurten-bench first-frame")
    app.stop()
    if frame is None:
        raise RuntimeError("no first frame from the app")
    return (int(frame["first-frame-us"]) - app.started) / 1000.0


def memory_and_search(build, data_dir, search):
    app = App(build, data_dir)
    if app.wait_for("buurten-bench first-frame") is None:
        app.stop()
        raise RuntimeError("no first frame from the app")
    time.sleep(2.0)                       # the dashboard's cards
    app.key("alt+2")                      # the request list of Centrum
    time.sleep(4.0)
    rss = app.rss_kib()
    keys = []
    if search:
        wid = app.window()
        for word in WORDS:
            app.key("ctrl+f")
            for i, ch in enumerate(word):
                typed = word[:i + 1]
                subprocess.run(["xdotool", "type", "--window", wid, ch], check=False)
                line = app.wait_for("buurten-bench search-us", timeout=5.0,
                                    match=lambda f: f.get("text", typed) == typed)
                if line is not None:
                    keys.append({k: int(v) / 1000.0 for k, v in line.items()
                                 if k.endswith("-us")})
                time.sleep(0.12)          # a fast typist: 8 keys a second
            app.key("ctrl+a", "BackSpace")
            time.sleep(0.5)
    app.stop()
    return rss, keys


def pct(values, p):
    values = sorted(values)
    return values[max(0, int(round(len(values) * p / 100.0)) - 1)]


def search_rows(keys):
    """Table rows for the search: the total per key, and its parts."""
    total = [k["search-us"] for k in keys]
    rows = ["| search per keystroke, keystroke to the list showing the hits (%d of %d keys) | "
            "median %.1f ms, p90 %.1f ms, max %.1f ms | | | median < 16 ms |"
            % (len(total), sum(len(w) for w in WORDS), statistics.median(total),
               pct(total, 90), max(total))]
    for part, what in (("to-worker-us", "waiting for a worker thread"),
                       ("store-us", "store search for the ids (worker thread)"),
                       ("filter-us", "filters over the hits (worker thread)"),
                       ("to-ui-us", "waiting for the UI thread"),
                       ("ui-us", "rows shown (UI thread)")):
        values = [k[part] for k in keys if part in k]
        if values:
            rows.append("| - of which %s | median %.1f ms, p90 %.1f ms, max %.1f ms | | | |"
                        % (what, statistics.median(values), pct(values, 90), max(values)))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("build")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", help="keep the demo databases in DIR (reused when present)")
    parser.add_argument("--requests", type=int, default=100000)
    parser.add_argument("--search-only", action="store_true",
                        help="only the search as you type (on the large database)")
    parser.add_argument("--renderer", help="GSK_RENDERER for the app (gl, cairo, ...)")
    args = parser.parse_args()
    global RENDERER
    RENDERER = args.renderer

    if not os.environ.get("DISPLAY") and not os.environ.get("BUURTEN_BENCH_INNER"):
        os.environ["BUURTEN_BENCH_INNER"] = "1"
        return subprocess.call(["xvfb-run", "-a", "-s", "-screen 0 1280x800x24",
                                "dbus-run-session", "--", sys.executable] + sys.argv)

    build = os.path.abspath(args.build)
    work = args.keep or tempfile.mkdtemp(prefix="buurten-bench-ui.")
    big = os.path.join(work, "big")
    empty = os.path.join(work, "empty")
    try:
        if not os.path.exists(os.path.join(big, "buurten.db")):
            print("# writing a demo database with %d requests ..." % args.requests,
                  file=sys.stderr)
            subprocess.run([os.path.join(build, "src", "demo", "buurten-demo"), "--data-dir",
                            big, "--requests", str(args.requests), "--year", YEAR, "--today",
                            TODAY, "--seed", "7"], check=True, stdout=subprocess.DEVNULL)

        load = os.getloadavg()[0]
        if args.search_only:
            _, keys = memory_and_search(build, big, True)
            print("| measure | %d requests | empty | ratio or value | target |" % args.requests)
            print("| --- | --- | --- | --- | --- |")
            print("\n".join(search_rows(keys)) if keys else "| search | no measurement | | | |")
            print("\nload average before: %.2f, after: %.2f" % (load, os.getloadavg()[0]))
            return 0

        # The empty store is made by the first start (not measured); warm the
        # page cache for both, then alternate so drift hits both alike.
        shutil.rmtree(empty, ignore_errors=True)
        startup(build, empty)
        startup(build, big)
        times = {"big": [], "empty": []}
        for _ in range(args.runs):
            for name, path in (("big", big), ("empty", empty)):
                times[name].append(startup(build, path))

        rss_empty, _ = memory_and_search(build, empty, False)
        rss_big, keys = memory_and_search(build, big, True)

        t_big = statistics.median(times["big"])
        t_empty = statistics.median(times["empty"])
        print("| measure | %d requests | empty | ratio or value | target |" % args.requests)
        print("| --- | --- | --- | --- | --- |")
        print("| start to first frame of the dashboard (median of %d) | %.0f ms | %.0f ms | "
              "%.2f | <= 1.3 |" % (args.runs, t_big, t_empty, t_big / t_empty))
        print("| resident memory, dashboard + request list loaded | %.1f MiB | %.1f MiB | "
              "%.2f | <= 1.5 |" % (rss_big / 1024, rss_empty / 1024, rss_big / rss_empty))
        print("\n".join(search_rows(keys)) if keys else "| search | no measurement | | | |")
        print("\nload average before: %.2f, after: %.2f" % (load, os.getloadavg()[0]))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
