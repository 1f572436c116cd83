#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The first sync of a new laptop and an incremental sync, measured.

    bench/bench-sync.py [BUILD_DIR] [--requests N] [--initiatives N] [--rounds N]

Starts a throwaway PostgreSQL (tests/server/pg-fixture.sh) and a real
buurten-server, fills it through the API (push, as laptops do) with N
requests and N initiatives spread over the eight wijken, then measures,
side by side in one run:

1. the floor: the same change rows read from PostgreSQL with COPY and
   inserted into SQLite in one transaction (build/bench/bench-sync-floor);
2. the first sync of an empty laptop (tests/sync/buurten-client sync, the
   app's own store and sync code): records per second and its peak
   resident memory (GNU time's maximum RSS);
3. an incremental sync after one change: one push and one pull, and the
   bytes on the wire (request and response, headers included, as the
   client counts them).

After the fill, VACUUM ANALYZE and CHECKPOINT; then 1 and 2 take turns
--rounds times (default 3) and the medians are compared, so that load
from elsewhere on the machine hits both alike.

Targets (issue 5): first sync at most 3x the floor's time, peak RSS under
200 MB, incremental under 4 KB. Prints a Markdown section for
bench/RESULTS.md on stdout; progress on stderr.
"""

import argparse
import concurrent.futures
import http.client
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PASSWORD = "benchmark password 1"

WORDS = ("lantaarnpaal kapot losse tegel stoep overlast geluid afval container "
         "graffiti hondenpoep speeltuin bankje boom snoeien parkeren fietsen "
         "verlichting drempel kruispunt bushalte zwerfvuil vuurwerk jongeren "
         "buurthuis moestuin schoonmaak straatfeest").split()
STREETS = ("Kerkstraat Groest Leeuwenstraat Havenstraat Larenseweg Soestdijkerstraatweg "
           "Vaartweg Schapenkamp Langestraat Stationsplein").split()
WIJKEN = ("noordoost noordwest zuid zuidoost zuidwest hilversumse_meent oost "
          "centrum").split()


def say(text):
    print("==> " + text, file=sys.stderr, flush=True)


def run(*cmd, **kw):
    return subprocess.run(list(cmd), check=True, capture_output=True, text=True, **kw)


class Api:
    def __init__(self, port):
        self.port = port

    def call(self, method, path, body=None, token=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = "Bearer " + token
        conn.request(method, "/api/v1" + path, body=json.dumps(body) if body else None,
                     headers=headers)
        resp = conn.getresponse()
        data = json.loads(resp.read() or b"null")
        conn.close()
        if resp.status != 200:
            raise RuntimeError("%s %s: %d %r" % (method, path, resp.status, data))
        return data


def fill(api, token, requests, initiatives, rnd):
    """Pushes the creates, 1000 per push, from two clients at once."""
    mutations = []
    for i in range(requests):
        words = rnd.sample(WORDS, 3)
        mutations.append(("request.create", {
            "id": str(uuid.uuid4()), "wijk": WIJKEN[i % len(WIJKEN)],
            "type": rnd.choice(["vraag", "klacht", "melding", "idee"]),
            "title": "%s %s %s" % (words[0].capitalize(), words[1], rnd.choice(STREETS)),
            "description": "Bewoner meldt %s bij de %s; graag %s." % (
                words[2], rnd.choice(STREETS), rnd.choice(WORDS)),
            "received_at": "2026-%02d-%02dT09:00:00Z" % (rnd.randint(1, 10),
                                                        rnd.randint(1, 28))}))
    for i in range(initiatives):
        mutations.append(("initiative.create", {
            "id": str(uuid.uuid4()), "wijk": WIJKEN[i % len(WIJKEN)],
            "title": "%s in de %s" % (rnd.choice(WORDS).capitalize(), rnd.choice(STREETS)),
            "description": "Een initiatief van bewoners voor %s." % rnd.choice(WORDS),
            "requested_cents": rnd.randint(100, 2000) * 100, "theme": "groen"}))
    halves = [mutations[0::2], mutations[1::2]]

    def push_all(part):
        client_id = str(uuid.uuid4())
        for start in range(0, len(part), 1000):
            batch = [{"mid": start + k + 1, "name": n, "args": a}
                     for k, (n, a) in enumerate(part[start:start + 1000])]
            res = api.call("POST", "/sync/push", {"client_id": client_id, "schema": 1,
                                                  "mutations": batch}, token)
            bad = [r for r in res["results"] if r["status"] != "applied"]
            if bad:
                raise RuntimeError("push refused: %r" % bad[:3])
        return len(part)

    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        return sum(pool.map(push_all, halves))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("build", nargs="?", default=os.path.join(TOP, "build"))
    parser.add_argument("--requests", type=int, default=100000)
    parser.add_argument("--initiatives", type=int, default=10000)
    parser.add_argument("--rounds", type=int, default=3,
                        help="floor and first sync take turns this many times (default 3)")
    parser.add_argument("--perf", help="also record the first sync with perf into this file")
    parser.add_argument("--compare", action="append", default=[], metavar="CLIENT",
                        help="another buurten-client executable (another build's) whose first"
                        " sync also takes its turn in every round; its medians are printed"
                        " after the section (may be given more than once)")
    args = parser.parse_args()

    server_exe = os.path.join(args.build, "src/server/buurten-server")
    client_exe = os.path.join(args.build, "tests/sync/buurten-client")
    floor_exe = os.path.join(args.build, "bench/bench-sync-floor")
    for exe in (server_exe, client_exe, floor_exe):
        if not os.access(exe, os.X_OK):
            sys.exit("bench-sync: %s is not built" % exe)

    work = tempfile.mkdtemp(prefix="buurten-bench-sync-")
    os.chmod(work, 0o755)
    fixture = os.path.join(TOP, "tests/server/pg-fixture.sh")
    server = None
    try:
        say("Starting a throwaway PostgreSQL cluster")
        pg = run(fixture, "start", os.path.join(work, "pg")).stdout.strip()
        db = pg + " dbname=buurten_bench_sync"
        run("psql", "-X", "-q", pg, "-c", "CREATE DATABASE buurten_bench_sync")
        run(server_exe, "--db", db, "migrate")
        run(server_exe, "--db", db, "import-municipality",
            os.path.join(TOP, "data/municipalities/hilversum.json"))
        pw = os.path.join(work, "pw")
        with open(pw, "w") as f:
            f.write(PASSWORD + "\n")
        run(server_exe, "--db", db, "user", "add", "--username", "bench", "--role",
            "wethouder_buurten", "--password-file", pw)
        server = subprocess.Popen([server_exe, "--db", db, "--listen", "127.0.0.1:0"],
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        port = int(re.search(r":(\d+)$", server.stdout.readline().strip()).group(1))
        api = Api(port)
        url = "http://127.0.0.1:%d" % port
        token = api.call("POST", "/session", {"username": "bench", "password": PASSWORD})["token"]

        say("Filling the server: %d requests and %d initiatives through push"
            % (args.requests, args.initiatives))
        t0 = time.time()
        pushed = fill(api, token, args.requests, args.initiatives, random.Random(20261))
        fill_s = time.time() - t0
        say("  %d mutations in %.1f s (%.0f/s)" % (pushed, fill_s, pushed / fill_s))

        # What a server looks like after a day of work, not in the minute
        # after 110 000 inserts: autovacuum and the checkpointer would
        # otherwise run during whichever measurement comes first.
        say("VACUUM ANALYZE and CHECKPOINT")
        run("psql", "-X", "-q", db, "-c", "VACUUM ANALYZE", "-c", "CHECKPOINT")

        # The floor and the first sync take turns, ROUNDS times, and the
        # medians are compared: load from elsewhere hits both alike.
        floors, firsts, cpus, rsss = [], [], [], []
        others = {exe: ([], [], []) for exe in args.compare}
        for n in range(args.rounds):
            say("Round %d: the floor, COPY from PostgreSQL into SQLite" % (n + 1))
            floor_db = os.path.join(work, "floor%d.db" % n)
            floor = run(floor_exe, db, floor_db).stdout
            floor_rows = int(re.search(r"rows=(\d+)", floor).group(1))
            floors.append(float(re.search(r"seconds=([\d.]+)", floor).group(1)))
            os.unlink(floor_db)

            say("Round %d: the first sync of an empty laptop" % (n + 1))
            laptop = os.path.join(work, "laptop%d" % n)
            t0 = time.time()
            proc = subprocess.run(["/usr/bin/time", "-f", "maxrss_kb=%M user_s=%U sys_s=%S",
                                   client_exe, "--data-dir", laptop, "--server", url, "--token",
                                   token, "--actor", "bench", "sync"],
                                  capture_output=True, text=True)
            firsts.append(time.time() - t0)
            if proc.returncode != 0:
                raise RuntimeError("first sync failed: %s %s" % (proc.stdout, proc.stderr))
            stats = json.loads(proc.stdout.strip().splitlines()[-1])
            rsss.append(int(re.search(r"maxrss_kb=(\d+)", proc.stderr).group(1)) / 1024.0)
            cpus.append(sum(float(x) for x in re.findall(r"(?:user|sys)_s=([\d.]+)",
                                                         proc.stderr)))
            say("  floor %.2f s; first sync %.2f s, of which %.2f s CPU in the client"
                % (floors[-1], firsts[-1], cpus[-1]))
            if n < args.rounds - 1:
                shutil.rmtree(laptop)
            for exe, (o_firsts, o_cpus, o_rsss) in others.items():
                other_laptop = os.path.join(work, "other%d" % n)
                t0 = time.time()
                proc = subprocess.run(["/usr/bin/time", "-f", "maxrss_kb=%M user_s=%U sys_s=%S",
                                       exe, "--data-dir", other_laptop, "--server", url,
                                       "--token", token, "--actor", "bench", "sync"],
                                      capture_output=True, text=True)
                o_firsts.append(time.time() - t0)
                if proc.returncode != 0:
                    raise RuntimeError("%s: first sync failed: %s" % (exe, proc.stderr))
                o_rsss.append(int(re.search(r"maxrss_kb=(\d+)", proc.stderr).group(1)) / 1024.0)
                o_cpus.append(sum(float(x) for x in re.findall(r"(?:user|sys)_s=([\d.]+)",
                                                               proc.stderr)))
                say("  %s: first sync %.2f s, %.2f s CPU" % (exe, o_firsts[-1], o_cpus[-1]))
                shutil.rmtree(other_laptop)
        floor_s = statistics.median(floors)
        first_s = statistics.median(firsts)
        cpu_s = statistics.median(cpus)
        rss_mb = max(rsss)
        if args.perf:
            say("Recording a second first sync with perf")
            subprocess.run(["perf", "record", "-g", "-o", args.perf, client_exe, "--data-dir",
                            laptop + "-perf", "--server", url, "--token", token, "sync"],
                           capture_output=True)

        say("An incremental sync after one change")
        client = [client_exe, "--data-dir", laptop, "--server", url, "--token", token,
                  "--actor", "bench"]
        run(*client, "sync")   # settles the client id and mids
        run(*client, "request-create", "centrum", "Losse stoeptegel bij de Groest")
        t0 = time.time()
        inc = json.loads(run(*client, "sync").stdout.strip().splitlines()[-1])
        inc_ms = (time.time() - t0) * 1000
        idle = json.loads(run(*client, "sync").stdout.strip().splitlines()[-1])

        ratio = first_s / floor_s
        rounds = " / ".join("%.1fx" % (f / c) for f, c in zip(firsts, floors))
        print("## Sync (issue 5)\n")
        print("Command: `bench/bench-sync.py %s --requests %d --initiatives %d`, %s.\n"
              % (os.path.relpath(args.build, TOP), args.requests, args.initiatives,
                 time.strftime("%Y-%m-%d")))
        print("| benchmark | result | target |")
        print("| --- | --- | --- |")
        print("| fill the server through push (2 clients, 1000 per push) | %d mutations in %.1f s,"
              " %.0f/s | |" % (pushed, fill_s, pushed / fill_s))
        print("| floor: COPY %d change rows from PostgreSQL into SQLite, one transaction,"
              " median of %d | %.2f s, %.0f rows/s (rounds: %s s) | |"
              % (floor_rows, args.rounds, floor_s, floor_rows / floor_s,
                 " / ".join("%.2f" % f for f in floors)))
        print("| first sync of an empty laptop (%d records in %d pages), median of %d, in turn"
              " with the floor | %.2f s, **%.0f records/s**, **%.1fx the floor** (rounds: %s);"
              " %.2f s CPU in the client | at most 3x |"
              % (stats["pulled"], stats["pages"], args.rounds, first_s,
                 stats["pulled"] / first_s, ratio, rounds, cpu_s))
        print("| peak resident memory of that sync (highest of the rounds) | **%.0f MB** |"
              " under 200 MB |" % rss_mb)
        print("| incremental sync after one new request (1 push, 1 pull) | **%d bytes** on the"
              " wire, %.0f ms | under 4 KB |" % (inc["bytes"], inc_ms))
        print("| a sync with nothing to do (1 pull) | %d bytes | |" % idle["bytes"])
        for exe, (o_firsts, o_cpus, o_rsss) in others.items():
            print("\nCompared, in turn in the same rounds: `%s`: first sync %.2f s (median;"
                  " rounds: %s s), %.0f records/s, %.2f s CPU in the client, %.0f MB peak."
                  % (exe, statistics.median(o_firsts), " / ".join("%.2f" % f for f in o_firsts),
                     stats["pulled"] / statistics.median(o_firsts), statistics.median(o_cpus),
                     max(o_rsss)))
        print("\nLoad average at the end: %s." % " ".join(open("/proc/loadavg").read().split()[:3]))
    finally:
        if server is not None:
            server.terminate()
            server.wait()
        subprocess.run([fixture, "stop", os.path.join(work, "pg")], capture_output=True)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
