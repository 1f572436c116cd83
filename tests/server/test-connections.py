#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# buurten-server under abuse, over raw sockets (issue 13, points 1 and 2):
# no descriptor leaks whatever the client does with its connections, idle
# and slow connections closed after the timeouts, the connection cap and
# the worker queue answered with 503, bodies refused (401/403/413) before
# they are read, and held bodies keeping the server small.
#
#   test-connections.py BUURTEN_SERVER DATA_DIR
#
# BUURTEN_TEST_PG as for test-server.py. Output is TAP.

import concurrent.futures
import http.client
import json
import os
import random
import re
import resource
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import traceback

SERVER = sys.argv[1] if len(sys.argv) > 1 else None
DATA_DIR = sys.argv[2] if len(sys.argv) > 2 else None
PG = os.environ.get("BUURTEN_TEST_PG")
# Criticals abort the server, warnings do not: it logs operational events
# (the database went away, refused connections) as warnings, which tests
# provoke; tests/meson.build sets fatal-warnings for everything else.
SERVER_ENV = dict(os.environ, G_DEBUG="gc-friendly,fatal-criticals")
PASSWORD = "correct horse battery staple"
MUNICIPALITY = os.path.join(DATA_DIR or "", "municipalities", "hilversum.json")
DB_NAME = "buurten_conn_%d_%d" % (os.getpid(), random.randint(0, 99999))
MIB = 1024 * 1024


def diag(text):
    for line in str(text).splitlines():
        print("# " + line, flush=True)


class Check(Exception):
    pass


def check(condition, message="check failed"):
    if not condition:
        raise Check(message)


def equal(got, want, what="value"):
    if got != want:
        raise Check("%s: got %r, want %r" % (what, got, want))


def conninfo(dbname):
    return "%s dbname=%s" % (PG, dbname)


def psql(sql, dbname=None, check_rc=True):
    proc = subprocess.run(["psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1",
                           conninfo(dbname or DB_NAME), "-c", sql],
                          capture_output=True, text=True)
    if check_rc and proc.returncode != 0:
        raise Check("psql failed: %s" % proc.stderr.strip())
    return proc


def run_admin(*args):
    return subprocess.run([SERVER, "--db", conninfo(DB_NAME)] + list(args),
                          capture_output=True, text=True, env=SERVER_ENV, timeout=120)


# ---- a server process -----------------------------------------------------------

all_servers = []


class Server:
    def __init__(self, *extra, nofile=None):
        all_servers.append(self)
        self.log_path = "/tmp/%s-server-%d.log" % (DB_NAME, id(self))
        self.log = open(self.log_path, "w+")

        def limit():
            if nofile:
                resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, nofile))

        self.proc = subprocess.Popen([SERVER, "--db", conninfo(DB_NAME),
                                      "--listen", "127.0.0.1:0"] + list(extra),
                                     stdout=subprocess.PIPE, stderr=self.log, text=True, env=SERVER_ENV,
                                     preexec_fn=limit)
        line = self.proc.stdout.readline()
        m = re.match(r"listening on http://127\.0\.0\.1:(\d+)", line)
        if not m:
            self.proc.kill()
            self.log.seek(0)
            raise RuntimeError("server did not start: %r %s" % (line, self.log.read()))
        self.port = int(m.group(1))

    def fds(self):
        return len(os.listdir("/proc/%d/fd" % self.proc.pid))

    def rss_kib(self):
        with open("/proc/%d/status" % self.proc.pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def alive(self):
        return self.proc.poll() is None

    def stop(self, sig=signal.SIGTERM, timeout=60):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait()
        self.proc.stdout.close()
        if not self.log.closed:
            self.log.close()
        return rc

    def output(self):
        if not self.log.closed:
            self.log.flush()
        with open(self.log_path) as f:
            return f.read()


def connect(server, timeout=10):
    return socket.create_connection(("127.0.0.1", server.port), timeout=timeout)


def read_response(sock, timeout=10):
    """Status, headers (lowercase names) and body of one answer; (None, ...)
    when the connection ends first."""
    sock.settimeout(timeout)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return None, {}, data
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return status, headers, body


def error_code(body):
    try:
        return json.loads(body.decode("utf-8"))["error"]["code"]
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        return None


def request(server, method, path, body=None, token=None, timeout=30):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout)
    headers = {}
    if token:
        headers["Authorization"] = "Bearer " + token
    if body is not None:
        headers["Content-Type"] = "application/json"
        if not isinstance(body, bytes):
            body = json.dumps(body).encode("utf-8")
    conn.request(method, path, body=body, headers=headers)
    resp = conn.getresponse()
    data = resp.read()
    conn.close()
    return resp.status, data, dict((k.lower(), v) for k, v in resp.getheaders())


def closed_within(sock, seconds):
    """Seconds until the server ended the connection, or None."""
    t0 = time.time()
    sock.settimeout(seconds)
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                return time.time() - t0
    except socket.timeout:
        return None
    except OSError:
        return time.time() - t0


def warm(server):
    """Opens every pooled database connection (they are made when first
    needed); the server's descriptors at rest."""
    last, same = -1, 0
    for _ in range(8):
        with concurrent.futures.ThreadPoolExecutor(16) as pool:
            list(pool.map(lambda _: request(server, "GET", "/api/v1/health"), range(64)))
        time.sleep(0.3)
        n = server.fds()
        same = same + 1 if n == last else 0
        if same == 2:
            break
        last = n
    return server.fds()


def client_connections(server):
    """The server's TCP connections on its port (from /proc/net/tcp)."""
    inodes = set()
    for fd in os.listdir("/proc/%d/fd" % server.proc.pid):
        try:
            link = os.readlink("/proc/%d/fd/%s" % (server.proc.pid, fd))
        except OSError:
            continue
        if link.startswith("socket:["):
            inodes.add(link[8:-1])
    n = 0
    with open("/proc/%d/net/tcp" % server.proc.pid) as f:
        for line in f.readlines()[1:]:
            fields = line.split()
            port = int(fields[1].split(":")[1], 16)
            if port == server.port and fields[3] != "0A" and fields[9] in inodes:
                n += 1
    return n


def wait_for_fds(server, want, seconds=10):
    deadline = time.time() + seconds
    n = server.fds()
    while n > want and time.time() < deadline:
        time.sleep(0.2)
        n = server.fds()
    return n


HEALTH = b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n"


def push_head(length, token=None):
    auth = b"Authorization: Bearer %s\r\n" % token.encode() if token else b""
    return (b"POST /api/v1/sync/push HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + auth + b"Content-Length: %d\r\n\r\n" % length)


# ---- fixtures ---------------------------------------------------------------------

tokens = {}
main_server = None


def setup():
    global main_server
    psql("CREATE DATABASE %s" % DB_NAME, dbname="postgres")
    r = run_admin("migrate")
    check(r.returncode == 0, "migrate: " + r.stderr)
    r = run_admin("import-municipality", MUNICIPALITY)
    check(r.returncode == 0, "import: " + r.stderr)
    pwfile = "/tmp/%s.pw" % DB_NAME
    with open(pwfile, "w") as f:
        f.write(PASSWORD + "\n")
    try:
        for name, role, wijk in (("buco", "buurtcoordinator", "centrum"),
                                 ("politie", "partner", "centrum")):
            r = run_admin("user", "add", "--username", name, "--role", role, "--wijk", wijk,
                          "--password-file", pwfile)
            check(r.returncode == 0, "user add %s: %s" % (name, r.stderr))
    finally:
        os.unlink(pwfile)
    # Descriptors: a server leaking one per connection dies within the
    # first test's requests.
    main_server = Server("--http-threads", "2", "--pool-size", "2", nofile=256)
    for name in ("buco", "politie"):
        status, body, _ = request(main_server, "POST", "/api/v1/session",
                                  {"username": name, "password": PASSWORD})
        equal(status, 200, "login of %s" % name)
        tokens[name] = json.loads(body)["token"]


def teardown():
    codes = [s.stop() for s in all_servers if s.alive()]
    psql("DROP DATABASE IF EXISTS %s WITH (FORCE)" % DB_NAME, dbname="postgres",
         check_rc=False)
    return codes


TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


# ---- point 1: connections -------------------------------------------------------------

def one_client(server, kind, token):
    """One of the ways a client uses and leaves a connection; the number of
    requests it made."""
    sock = connect(server)
    try:
        if kind == "new":
            sock.sendall(HEALTH)
            equal(read_response(sock)[0], 200, "new connection")
            return 1
        if kind in ("keepalive", "keepalive-reset"):
            for _ in range(5):
                sock.sendall(HEALTH)
                equal(read_response(sock)[0], 200, "kept alive")
            if kind == "keepalive-reset":
                # Ends with a reset instead of a FIN.
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            return 5
        if kind == "connect-only":
            return 0
        if kind == "half-head":
            sock.sendall(b"GET /api/v1/health HTTP/1.1\r\nHo")
            return 0
        if kind == "half-body":
            head = push_head(1000, token)
            sock.sendall(head + b"{" + b" " * 400)
            return 0
        if kind == "half-body-anonymous":
            sock.sendall(push_head(100000) + b" " * 1000)
            return 0
        if kind == "pipelined":
            sock.sendall(HEALTH * 3 + b"GET /api/v1/hea")
            data = b""
            while data.count(b'{"status":"ok"}') < 3:
                chunk = sock.recv(65536)
                check(chunk, "three pipelined answers")
                data += chunk
            return 3
        raise ValueError(kind)
    finally:
        sock.close()


@test
def no_descriptor_leaks_under_a_low_file_limit():
    s = main_server
    idle = warm(s)
    kinds = (["new"] * 1500 + ["keepalive"] * 200 + ["keepalive-reset"] * 60 +
             ["connect-only"] * 250 + ["half-head"] * 250 + ["half-body"] * 150 +
             ["half-body-anonymous"] * 100 + ["pipelined"] * 60)
    random.shuffle(kinds)
    t0 = time.time()
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        done = list(pool.map(lambda k: one_client(s, k, tokens["buco"]), kinds))
    requests = sum(done)
    diag("%d connections, %d answered requests in %.1f s; fds %d idle, %d right after"
         % (len(kinds), requests, time.time() - t0, idle, s.fds()))
    check(requests >= 3000 - 1000, "made %d requests" % requests)
    check(s.alive(), "the server runs")
    after = wait_for_fds(s, idle)
    if after != idle:
        links = []
        for fd in sorted(os.listdir("/proc/%d/fd" % s.proc.pid), key=int):
            try:
                links.append("%s %s" % (fd, os.readlink("/proc/%d/fd/%s" % (s.proc.pid, fd))))
            except OSError:
                pass
        diag("open descriptors:\n" + "\n".join(links))
        diag(subprocess.run(["ss", "-tanp"], capture_output=True, text=True).stdout[-3000:])
    equal(client_connections(s), 0, "client connections left open")
    equal(after, idle, "open descriptors back at the idle count")
    status, _, _ = request(s, "GET", "/api/v1/health")
    equal(status, 200, "still answers")
    out = subprocess.run(["ss", "-tn", "state", "close-wait", "sport", "= :%d" % s.port],
                         capture_output=True, text=True).stdout
    equal(len(out.strip().splitlines()[1:]), 0, "connections in CLOSE-WAIT")


@test
def idle_and_slow_connections_are_closed_after_their_timeouts():
    s = Server("--header-timeout", "1", "--keepalive-timeout", "2", "--body-min-rate", "1000")
    idle = warm(s)
    t0 = time.time()
    # Connected, nothing sent: the head's time.
    quiet = connect(s)
    # Half a head.
    slow_head = connect(s)
    slow_head.sendall(b"GET /api/v1/health HTTP/1.1\r\nHo")
    # One answer, then idle: the keep-alive time.
    kept = connect(s)
    kept.sendall(HEALTH)
    equal(read_response(kept)[0], 200, "first answer")
    # A body at 100 bytes/s against a minimum of 1000.
    slow_body = connect(s)
    slow_body.sendall(push_head(100000, tokens["buco"]))
    # Busy, with pauses shorter than the keep-alive time: stays open.
    busy = connect(s)
    closed = {}

    def trickle():
        try:
            for _ in range(80):
                slow_body.sendall(b" " * 10)
                time.sleep(0.1)
        except OSError:
            pass

    def watch(name, sock):
        left = closed_within(sock, 9)
        closed[name] = None if left is None else round(time.time() - t0, 1)

    watchers = [threading.Thread(target=watch, args=item, daemon=True)
                for item in (("quiet", quiet), ("slow head", slow_head), ("kept", kept),
                             ("slow body", slow_body))]
    for t in watchers + [threading.Thread(target=trickle, daemon=True)]:
        t.start()
    for _ in range(6):
        busy.sendall(HEALTH)
        equal(read_response(busy)[0], 200, "busy connection")
        time.sleep(0.8)
    for t in watchers:
        t.join()
    diag("closed after (s): %r" % closed)
    check(all(v is not None for v in closed.values()), "all closed: %r" % closed)
    check(closed["quiet"] < 3 and closed["slow head"] < 3, "the head's timeout (1 s)")
    check(2 <= closed["kept"] < 4.5, "the keep-alive timeout (2 s)")
    check(1 <= closed["slow body"] < 4.5, "the body's minimum rate")
    busy.sendall(HEALTH)
    equal(read_response(busy)[0], 200, "the busy connection stayed open")
    busy.close()
    for sock in (quiet, slow_head, kept, slow_body):
        sock.close()
    equal(wait_for_fds(s, idle), idle, "descriptors back at the idle count")
    s.stop()


@test
def connections_over_the_cap_get_503_json():
    s = Server("--max-connections", "20")
    idle = warm(s)
    held = []
    for _ in range(20):
        sock = connect(s)
        sock.sendall(HEALTH)
        equal(read_response(sock)[0], 200, "under the cap")
        held.append(sock)
    extra = connect(s)
    extra.sendall(HEALTH)
    status, headers, body = read_response(extra)
    equal(status, 503, "over the cap")
    equal(error_code(body), "UNAVAILABLE", "code")
    check(headers.get("content-type", "").startswith("application/json"), "JSON")
    check("retry-after" in headers, "Retry-After")
    equal(headers.get("connection"), "close", "Connection: close")
    equal(closed_within(extra, 5) is not None, True, "closed")
    extra.close()
    for sock in held:
        sock.close()
    time.sleep(0.5)
    status, _, _ = request(s, "GET", "/api/v1/health")
    equal(status, 200, "under the cap again")
    equal(wait_for_fds(s, idle), idle, "descriptors back at the idle count")
    # Logged by the next sweep (every second).
    deadline = time.time() + 5
    log = s.output()
    while not re.search(r"refused \d+ connections", log) and time.time() < deadline:
        time.sleep(0.2)
        log = s.output()
    s.stop()
    check(re.search(r"refused \d+ connections", log), "logged: " + log[-500:])
    check(all("127.0.0.1" not in line for line in log.splitlines() if "refused" in line),
          "without addresses")


@test
def a_body_cut_short_on_a_kept_alive_connection_is_never_completed():
    # The made-up byte that frees connections closed between requests must
    # never land in a request: a blob ending in "G", sent without its last
    # byte on a kept-alive connection, would be whole again if it did.
    import hashlib
    s = main_server
    data = b"\xff\xd8\xff" + os.urandom(3000) + b"G"
    digest = hashlib.sha256(data).hexdigest()
    sock = connect(s)
    sock.sendall(HEALTH)
    equal(read_response(sock)[0], 200, "first request")
    sock.sendall(b"PUT /api/v1/blobs/%s?wijk=centrum HTTP/1.1\r\nHost: x\r\n"
                 b"Authorization: Bearer %s\r\nContent-Type: image/jpeg\r\n"
                 b"Content-Length: %d\r\n\r\n" % (digest.encode(), tokens["buco"].encode(),
                                                    len(data)) + data[:-1])
    sock.shutdown(socket.SHUT_WR)
    status, _, _ = read_response(sock)
    sock.close()
    equal(status, None, "no answer to a body cut short")
    stored = psql("SELECT count(*) FROM blobs WHERE sha256 = '%s'" % digest).stdout.strip()
    equal(stored, "0", "the blob is not stored")
    # The whole body is stored (the test can tell).
    status, body, _ = request_raw_blob(s, digest, data)
    equal(status, 201, "the whole blob: %r" % body[:200])


def request_raw_blob(server, digest, data):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    conn.request("PUT", "/api/v1/blobs/%s?wijk=centrum" % digest, body=data,
                 headers={"Authorization": "Bearer " + tokens["buco"],
                          "Content-Type": "image/jpeg"})
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp.status, body, dict(resp.getheaders())


# ---- point 2: authenticate before reading ------------------------------------------------

def head_only(server, head):
    """Sends only a request's head and reads the answer (the body never
    comes)."""
    sock = connect(server)
    try:
        sock.sendall(head)
        return read_response(sock, timeout=5)
    finally:
        sock.close()


@test
def bodies_are_refused_before_they_are_read():
    s = main_server
    four = 4 * MIB
    status, _, body = head_only(s, push_head(four))
    equal((status, error_code(body)), (401, "UNAUTHORIZED"), "push without a token")
    status, _, body = head_only(s, push_head(four, "0" * 64))
    equal((status, error_code(body)), (401, "UNAUTHORIZED"), "push with an unknown token")
    blob = "/api/v1/blobs/%s?wijk=centrum" % ("ab" * 32)
    status, _, body = head_only(s, b"PUT %s HTTP/1.1\r\nHost: x\r\nContent-Type: image/jpeg\r\n"
                                   b"Content-Length: %d\r\n\r\n" % (blob.encode(), four))
    equal((status, error_code(body)), (401, "UNAUTHORIZED"), "blob without a token")
    status, _, body = head_only(s, b"PUT %s HTTP/1.1\r\nHost: x\r\nContent-Type: image/jpeg\r\n"
                                   b"Authorization: Bearer %s\r\nContent-Length: %d\r\n\r\n"
                                % (blob.encode(), tokens["politie"].encode(), four))
    equal((status, error_code(body)), (403, "FORBIDDEN"), "a partner's blob")
    status, _, body = head_only(s, b"POST /api/v1/session HTTP/1.1\r\nHost: x\r\n"
                                   b"Content-Type: application/json\r\n"
                                   b"Content-Length: 5000\r\n\r\n")
    equal((status, error_code(body)), (413, "TOO_LARGE"), "a login over 4 KiB")
    status, _, body = head_only(s, b"GET /api/v1/me HTTP/1.1\r\nHost: x\r\n"
                                   b"Content-Length: %d\r\n\r\n" % four)
    equal(status, 413, "a body where none is taken")
    status, _, body = head_only(s, b"POST /nothing HTTP/1.1\r\nHost: x\r\n"
                                   b"Content-Length: %d\r\n\r\n" % four)
    equal(status, 404, "a body for no endpoint")
    # The same with the whole body sent: the client reads the answer.
    status, body, _ = request(s, "POST", "/api/v1/sync/push", b"[" + b" " * (3 * MIB) + b"]")
    equal((status, error_code(body)), (401, "UNAUTHORIZED"), "with the body")
    # A known token is let through (the endpoint answers, here 400).
    status, body, _ = request(s, "POST", "/api/v1/sync/push", b"{", token=tokens["buco"])
    equal(status, 400, "with a token the body is read")
    status, body, _ = request(s, "POST", "/api/v1/session", {"username": "buco",
                                                             "password": PASSWORD})
    equal(status, 200, "a login under 4 KiB")


@test
def held_unauthenticated_bodies_keep_the_server_small():
    s = main_server
    before = s.rss_kib()
    socks = []
    for _ in range(50):
        sock = connect(s)
        sock.sendall(push_head(4 * MIB) + b" " * 65536)
        socks.append(sock)
    # Keep sending slowly for a few seconds.
    peak = before
    for _ in range(10):
        for sock in socks:
            try:
                sock.sendall(b" " * 16384)
            except OSError:
                pass
        peak = max(peak, s.rss_kib())
        time.sleep(0.2)
    answered = 0
    for sock in socks:
        try:
            status, _, _ = read_response(sock, timeout=5)
            answered += status == 401
        except OSError:
            pass
        sock.close()
    diag("RSS %d KiB before, at most %d KiB with 50 bodies of 4 MiB held; %d answered 401"
         % (before, peak, answered))
    check(peak - before < 64 * 1024, "RSS grew by %d KiB" % (peak - before))
    check(answered >= 40, "answered 401: %d" % answered)
    check(s.alive(), "the server runs")


@test
def authenticated_bodies_stay_within_their_memory_budget():
    # Budget: twice the largest body, 2 MiB: one 1 MiB body at a time.
    s = Server("--max-body-kib", "1024", "--max-blob-kib", "1024", "--body-memory-mib", "1")
    token = tokens["buco"]
    body = b"{" + b" " * (900 * 1024) + b"}"
    # One after the other: each gives its share back.
    for i in range(12):
        status, data, _ = request(s, "POST", "/api/v1/sync/push", body, token=token)
        check(status not in (503, 413), "push %d: %d %r" % (i, status, data[:200]))
    # One held half-way: the next waits (503, Retry-After) before its body.
    held = connect(s)
    held.sendall(push_head(len(body), token) + body[:1000])
    time.sleep(0.3)
    status, headers, data = head_only(s, push_head(len(body), token))
    equal((status, error_code(data)), (503, "UNAVAILABLE"), "over the budget")
    check("retry-after" in headers, "Retry-After")
    held.close()
    time.sleep(0.5)
    status, data, _ = request(s, "POST", "/api/v1/sync/push", body, token=token)
    check(status not in (503, 413), "after the held one went: %d" % status)
    s.stop()


@test
def a_full_worker_queue_answers_503_with_retry_after():
    s = Server("--pool-size", "1", "--max-queue", "2")
    # The one worker waits on a lock for a while: sessions cannot be read.
    status, body, _ = request(s, "POST", "/api/v1/session",
                              {"username": "buco", "password": PASSWORD})
    equal(status, 200, "login")
    token = json.loads(body)["token"]
    locker = subprocess.Popen(["psql", "-X", "-q", conninfo(DB_NAME), "-c",
                               "BEGIN; LOCK TABLE sessions; SELECT pg_sleep(5); COMMIT;"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 10
    while time.time() < deadline:
        held = psql("SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
                    " WHERE c.relname = 'sessions' AND l.mode = 'AccessExclusiveLock'"
                    " AND l.granted").stdout.strip()
        if held == "1":
            break
        time.sleep(0.1)
    check(held == "1", "the lock is held")
    results = []

    def me():
        try:
            results.append(request(s, "GET", "/api/v1/me", token=token, timeout=30))
        except OSError as e:
            results.append((None, str(e), {}))

    threads = [threading.Thread(target=me) for _ in range(6)]
    for t in threads:
        t.start()
        time.sleep(0.1)
    for t in threads:
        t.join()
    locker.wait()
    busy = [r for r in results if r[0] == 503]
    diag("statuses: %r" % sorted(r[0] or 0 for r in results))
    check(len(busy) >= 1, "some got 503")
    check(all(error_code(r[1]) == "UNAVAILABLE" and "retry-after" in r[2] for r in busy),
          "503 JSON with Retry-After")
    check(any(r[0] == 200 for r in results), "the queued ones were answered")
    s.stop()


def main():
    if not SERVER or not DATA_DIR:
        print("usage: test-connections.py BUURTEN_SERVER DATA_DIR", file=sys.stderr)
        return 2
    if not PG:
        print("1..0 # SKIP BUURTEN_TEST_PG is not set (./dev test starts PostgreSQL)")
        return 0
    print("1..%d" % (len(TESTS) + 1), flush=True)
    try:
        setup()
    except Exception:
        print("Bail out! setup failed")
        diag(traceback.format_exc())
        for s in all_servers:
            s.stop(signal.SIGKILL)
            diag(s.output()[-3000:])
        psql("DROP DATABASE IF EXISTS %s WITH (FORCE)" % DB_NAME, dbname="postgres",
             check_rc=False)
        return 1
    failed = 0
    for n, fn in enumerate(TESTS, 1):
        t0 = time.time()
        try:
            fn()
            print("ok %d - %s (%.1f s)" % (n, fn.__name__, time.time() - t0), flush=True)
        except Exception as e:
            failed += 1
            print("not ok %d - %s" % (n, fn.__name__), flush=True)
            diag(traceback.format_exc() if not isinstance(e, Check) else str(e))
            for s in all_servers:
                if s.alive():
                    diag(s.output()[-1500:])
    codes = teardown()
    n = len(TESTS) + 1
    if all(c == 0 for c in codes):
        print("ok %d - servers exit cleanly on SIGTERM" % n)
    else:
        failed += 1
        print("not ok %d - servers exit cleanly on SIGTERM: %r" % (n, codes))
    for s in all_servers:
        try:
            os.unlink(s.log_path)
        except OSError:
            pass
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
