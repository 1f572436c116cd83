#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmarks of the desktop (issue 3, point 9), on the real app.

    bench/bench-ui.py BUILD_DIR [--runs N] [--keep DIR]

Needs an X display (it starts itself under xvfb-run and dbus-run-session
when there is none) and xdotool. Measures, with a 100 000-request demo
database against an empty one, side by side in one run:

  - startup: process start to the first frame drawn with the data (the app
    prints the monotonic time of that frame when BUURTEN_BENCH is set);
    target: ratio at most 1.3
  - resident memory after the dashboard and the request list of Centrum
    (about 10 000 requests) are loaded; target: ratio at most 1.5
  - search as you type in the request list: keystroke to filtered list,
    per keystroke (the app prints it); target: median under 16 ms

Prints a Markdown table for bench/RESULTS.md.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

USER = "f.elamrani:buurtcoordinator:centrum"
YEAR = "2026"
TODAY = "2026-10-15"
WORDS = ["stoeptegels", "fietspad", "overlast", "speeltuin"]


def env_for(build):
    env = dict(os.environ)
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
            env=env_for(build), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
            bufsize=1)
        self.lines = []

    def wait_for(self, prefix, timeout=60.0):
        import select
        deadline = time.time() + timeout
        while time.time() < deadline:
            ready, _, _ = select.select([self.proc.stdout], [], [], 0.2)
            if ready:
                line = self.proc.stdout.readline()
                if not line:
                    return None
                self.lines.append(line)
                if line.startswith(prefix):
                    return dict(kv.split("=") for kv in line.split()[1:])
        return None

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
    latencies = []
    if search:
        wid = app.window()
        for word in WORDS:
            app.key("ctrl+f")
            for ch in word:
                subprocess.run(["xdotool", "type", "--window", wid, ch], check=False)
                line = app.wait_for("buurten-bench search-us", timeout=5.0)
                if line is not None:
                    latencies.append(int(line["search-us"]) / 1000.0)
                time.sleep(0.12)          # a fast typist: 8 keys a second
            app.key("ctrl+a", "BackSpace")
            time.sleep(0.5)
    app.stop()
    return rss, latencies


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("build")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", help="keep the demo databases in DIR (reused when present)")
    parser.add_argument("--requests", type=int, default=100000)
    args = parser.parse_args()

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
            subprocess.run([os.path.join(build, "src", "store", "buurten-demo"), "--data-dir",
                            big, "--requests", str(args.requests), "--year", YEAR, "--today",
                            TODAY, "--seed", "7"], check=True, stdout=subprocess.DEVNULL)

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
        rss_big, latencies = memory_and_search(build, big, True)

        t_big = statistics.median(times["big"])
        t_empty = statistics.median(times["empty"])
        print("| measure | %d requests | empty | ratio or value | target |" % args.requests)
        print("| --- | --- | --- | --- | --- |")
        print("| start to first frame of the dashboard (median of %d) | %.0f ms | %.0f ms | "
              "%.2f | <= 1.3 |" % (args.runs, t_big, t_empty, t_big / t_empty))
        print("| resident memory, dashboard + request list loaded | %.1f MiB | %.1f MiB | "
              "%.2f | <= 1.5 |" % (rss_big / 1024, rss_empty / 1024, rss_big / rss_empty))
        if latencies:
            latencies.sort()
            print("| search per keystroke, keystroke to filtered list (%d keys) | median "
                  "%.1f ms, p90 %.1f ms, max %.1f ms | | | median < 16 ms |"
                  % (len(latencies), statistics.median(latencies),
                     latencies[int(len(latencies) * 0.9) - 1], latencies[-1]))
        else:
            print("| search per keystroke | no measurement | | | |")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
