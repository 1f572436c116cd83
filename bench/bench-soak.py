#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# buurten-server under abuse, full scale (issue 13, points 1 and 2), on a
# throwaway PostgreSQL cluster:
#   1. 20 000 requests through a server started with `ulimit -n 1024`, on
#      new and kept-alive connections that the clients close idle, half-way
#      through a head, half-way through a body, or right after the answer;
#      requests/s, the server's descriptors and RSS before and after;
#   2. 2 000 connections that send half a head and stop (closed after the
#      head's timeout, 10 s);
#   3. 200 unauthenticated 4 MiB bodies sent slowly (refused with 401
#      before they are read): the server's peak RSS.
#
#   bench/bench-soak.py [BUILD_DIR]       (default: build)
#
# Prints a Markdown section for bench/RESULTS.md on stdout; progress on stderr.

import concurrent.futures
import http.client
import json
import os
import random
import re
import resource
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = sys.argv[1] if len(sys.argv) > 1 else os.path.join(TOP, "build")
SERVER = os.path.join(os.path.abspath(BUILD), "src", "server", "buurten-server")
FIXTURE = os.path.join(TOP, "tests", "server", "pg-fixture.sh")
PASSWORD = "benchmark password"
MIB = 1024 * 1024
TOTAL = int(os.environ.get("SOAK_REQUESTS", "20000"))
THREADS = int(os.environ.get("SOAK_THREADS", "16"))
HEALTH = b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n"


def say(text):
    print("==> " + text, file=sys.stderr, flush=True)


class Server:
    def __init__(self, db, nofile):
        def limit():
            resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, nofile))

        self.err = open(os.path.join(WORK, "server.err"), "w")
        self.proc = subprocess.Popen([SERVER, "--db", db, "--listen", "127.0.0.1:0"],
                                     stdout=subprocess.PIPE, stderr=self.err, text=True,
                                     preexec_fn=limit)
        line = self.proc.stdout.readline()
        m = re.match(r"listening on http://127\.0\.0\.1:(\d+)", line)
        if not m:
            raise SystemExit("the server did not start: %r" % line)
        self.port = int(m.group(1))

    def fds(self):
        return len(os.listdir("/proc/%d/fd" % self.proc.pid))

    def rss_mib(self):
        with open("/proc/%d/status" % self.proc.pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return 0

    def close_wait(self):
        out = subprocess.run(["ss", "-tn", "state", "close-wait", "sport", "= :%d" % self.port],
                             capture_output=True, text=True).stdout
        return len(out.strip().splitlines()[1:])

    def stop(self):
        self.proc.terminate()
        self.proc.wait(60)


def connect(server):
    return socket.create_connection(("127.0.0.1", server.port), timeout=30)


def read_answer(sock):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    status = int(head.split()[1])
    m = re.search(rb"(?i)content-length:\s*(\d+)", head)
    length = int(m.group(1)) if m else 0
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return status


def request(server, method, path, body=None, token=None):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    conn.request(method, path, body=json.dumps(body) if body is not None else None,
                 headers=headers)
    r = conn.getresponse()
    data = r.read()
    conn.close()
    return r.status, data


def push_head(length, token=None):
    auth = b"Authorization: Bearer %s\r\n" % token.encode() if token else b""
    return (b"POST /api/v1/sync/push HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + auth + b"Content-Length: %d\r\n\r\n" % length)


def client(server, kind, token):
    """One connection used and left in one way: the answers it got."""
    sock = connect(server)
    try:
        if kind == "new":
            sock.sendall(HEALTH)
            return int(read_answer(sock) == 200)
        if kind in ("keepalive", "keepalive-reset"):
            n = 0
            for _ in range(10):
                sock.sendall(HEALTH)
                n += read_answer(sock) == 200
            if kind == "keepalive-reset":
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            return n
        if kind == "connect-only":
            return 0
        if kind == "half-head":
            sock.sendall(b"GET /api/v1/health HTTP/1.1\r\nHo")
            return 0
        if kind == "half-body":
            sock.sendall(push_head(1000, token) + b"{" + b" " * 400)
            return 0
        if kind == "anonymous-body":
            sock.sendall(push_head(100000) + b" " * 1000)
            return 0
        raise ValueError(kind)
    finally:
        sock.close()


def warm(server):
    with concurrent.futures.ThreadPoolExecutor(32) as pool:
        list(pool.map(lambda _: request(server, "GET", "/api/v1/health"), range(256)))
    time.sleep(1)


def settle(server, want, seconds=15):
    deadline = time.time() + seconds
    n = server.fds()
    while n > want and time.time() < deadline:
        time.sleep(0.2)
        n = server.fds()
    return n


def main():
    global WORK
    if not os.access(SERVER, os.X_OK):
        raise SystemExit("no %s (build first)" % SERVER)
    WORK = tempfile.mkdtemp(prefix="buurten-soak.")
    os.chmod(WORK, 0o755)
    server = None
    try:
        say("Starting a throwaway PostgreSQL cluster")
        pg = subprocess.run([FIXTURE, "start", os.path.join(WORK, "pg")], check=True,
                            capture_output=True, text=True).stdout.strip()
        db = pg + " dbname=buurten_soak"
        subprocess.run(["psql", "-X", "-q", pg, "-c", "CREATE DATABASE buurten_soak"], check=True)
        subprocess.run([SERVER, "--db", db, "migrate"], check=True, capture_output=True)
        subprocess.run([SERVER, "--db", db, "import-municipality",
                        os.path.join(TOP, "data", "municipalities", "hilversum.json")],
                       check=True, capture_output=True)
        subprocess.run([SERVER, "--db", db, "user", "add", "--username", "bench", "--role",
                        "buurtcoordinator", "--wijk", "centrum", "--password-file", "-"],
                       input=PASSWORD + "\n", text=True, check=True, capture_output=True)

        server = Server(db, 1024)
        status, body = request(server, "POST", "/api/v1/session",
                               {"username": "bench", "password": PASSWORD})
        assert status == 200, body
        token = json.loads(body)["token"]
        warm(server)
        fds0, rss0 = server.fds(), server.rss_mib()

        # 1. 20 000 requests, connections left in every way.
        kinds = []
        answered = 0
        weights = [("new", 0.5, 1), ("keepalive", 0.3, 10), ("keepalive-reset", 0.05, 10),
                   ("connect-only", 0.04, 0), ("half-head", 0.04, 0), ("half-body", 0.04, 0),
                   ("anonymous-body", 0.03, 0)]
        connections = 0
        while answered < TOTAL:
            r = random.random()
            for kind, weight, n in weights:
                if r < weight:
                    break
                r -= weight
            kinds.append(kind)
            answered += n
            connections += 1
        say("%d connections, %d requests answered, %d threads" % (len(kinds), answered, THREADS))
        t0 = time.time()
        with concurrent.futures.ThreadPoolExecutor(THREADS) as pool:
            got = sum(pool.map(lambda k: client(server, k, token), kinds, chunksize=64))
        elapsed = time.time() - t0
        fds_right_after = server.fds()
        fds1 = settle(server, fds0)
        rss1 = server.rss_mib()
        status, _ = request(server, "GET", "/api/v1/health")
        soak = dict(connections=len(kinds), answered=got, seconds=elapsed, rate=got / elapsed,
                    fds0=fds0, fds_after=fds_right_after, fds1=fds1, rss0=rss0, rss1=rss1,
                    close_wait=server.close_wait(), health=status)
        say("soak: %r" % soak)

        # 2. 2 000 half heads, held.
        say("2 000 connections with half a head")
        held = []
        for _ in range(2000):
            try:
                sock = connect(server)
                sock.sendall(b"GET /api/v1/health HTTP/1.1\r\nHo")
                held.append(sock)
            except OSError:
                break
        t0 = time.time()
        open_at_once = server.fds() - fds0
        refused = 0
        for sock in held:
            sock.settimeout(20)
            try:
                data = sock.recv(4096)
                refused += data.startswith(b"HTTP/1.1 503")
            except OSError:
                pass
        closed_after = time.time() - t0
        for sock in held:
            sock.close()
        heads = dict(held=len(held), open_at_once=open_at_once, refused=refused,
                     all_closed_after=closed_after, fds=settle(server, fds0))
        say("heads: %r" % heads)

        # 3. 200 unauthenticated bodies of 4 MiB, sent slowly.
        say("200 unauthenticated bodies of 4 MiB, sent slowly")
        rss_before = server.rss_mib()
        socks = []
        for _ in range(200):
            sock = connect(server)
            sock.sendall(push_head(4 * MIB))
            socks.append(sock)
        peak = rss_before
        stop = time.time() + 6
        while time.time() < stop:
            for sock in socks:
                try:
                    sock.sendall(b" " * 32768)
                except OSError:
                    pass
            peak = max(peak, server.rss_mib())
            time.sleep(0.1)
        answers = 0
        for sock in socks:
            sock.settimeout(10)
            try:
                answers += read_answer(sock) == 401
            except OSError:
                pass
            sock.close()
        bodies = dict(rss_before=rss_before, peak=peak, answered_401=answers,
                      fds=settle(server, fds0))
        say("bodies: %r" % bodies)
        server.stop()
        server = None

        print("## Connections under abuse (issue 13)\n")
        print("Command: `bench/bench-soak.py %s` (server started with `ulimit -n 1024`, "
              "default options; %d client threads).\n" % (sys.argv[1] if len(sys.argv) > 1
                                                         else "build", THREADS))
        print("| what | figure |\n| --- | --- |")
        print("| connections / answered requests | %d / %d |" % (soak["connections"],
                                                                  soak["answered"]))
        print("| requests/s (answered) | %.0f |" % soak["rate"])
        print("| open fds: idle before, right after, settled | %d, %d, %d |"
              % (soak["fds0"], soak["fds_after"], soak["fds1"]))
        print("| RSS before / after (MiB) | %.1f / %.1f |" % (soak["rss0"], soak["rss1"]))
        print("| CLOSE-WAIT after / health after | %d / %d |" % (soak["close_wait"],
                                                               soak["health"]))
        print("| 2 000 half heads: accepted at once, refused (503), all closed after (s), "
              "fds after | %d, %d, %.1f, %d |" % (heads["open_at_once"], heads["refused"],
                                                  heads["all_closed_after"], heads["fds"]))
        print("| 200 unauthenticated 4 MiB bodies: RSS before / peak (MiB), 401s, fds after | "
              "%.1f / %.1f, %d, %d |" % (bodies["rss_before"], bodies["peak"],
                                          bodies["answered_401"], bodies["fds"]))
    finally:
        if server is not None:
            server.proc.kill()
        subprocess.run([FIXTURE, "stop", os.path.join(WORK, "pg")], capture_output=True)
        shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
