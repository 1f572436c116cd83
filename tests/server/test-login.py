#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Issue 13, points 5 and 8, against a real server and a real PostgreSQL:
# login throttling that parallel attempts cannot pass and nobody can use to
# lock a user out, no typed usernames stored, the session cap, blob quotas,
# blobs one may not read answering as missing ones, and the audit log's
# hash chain (`audit verify`, and the server's role writing through
# buurten_audit() only).
#
#   test-login.py BUURTEN_SERVER DATA_DIR
#
# BUURTEN_TEST_PG: a superuser connection string on a throwaway cluster
# (tests/server/pg-fixture.sh). Output is TAP.

import concurrent.futures
import hashlib
import http.client
import json
import os
import random
import re
import signal
import subprocess
import sys
import time
import traceback
import uuid

SERVER = sys.argv[1] if len(sys.argv) > 1 else None
DATA_DIR = sys.argv[2] if len(sys.argv) > 2 else None
PG = os.environ.get("BUURTEN_TEST_PG")
# Criticals abort the server, warnings do not: it logs operational events
# (the database went away, refused connections) as warnings, which tests
# provoke; tests/meson.build sets fatal-warnings for everything else.
SERVER_ENV = dict(os.environ, G_DEBUG="gc-friendly,fatal-criticals")
PASSWORD = "correct horse battery staple"
MUNICIPALITY = os.path.join(DATA_DIR or "", "municipalities", "hilversum.json")
MIGRATIONS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "src",
                          "server", "migrations")

# What the server promises (buurten-call.h).
USER_LIMIT = 5
ADDRESS_LIMIT = 20
SESSIONS_PER_USER = 10

# ---- TAP --------------------------------------------------------------------


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


# ---- the database -----------------------------------------------------------

DB_NAME = "buurten_login_%d_%d" % (os.getpid(), random.randint(0, 99999))


def conninfo(dbname):
    # In a key=value string the last value of a keyword wins.
    return "%s dbname=%s" % (PG, dbname)


def psql(sql, dbname=None, check_rc=True, files=()):
    args = ["psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", conninfo(dbname or DB_NAME)]
    for f in files:
        args += ["-f", f]
    if sql is not None:
        args += ["-c", sql]
    proc = subprocess.run(args, capture_output=True, text=True)
    if check_rc and proc.returncode != 0:
        raise Check("psql failed: %s" % proc.stderr.strip())
    return proc


def psql_value(sql, dbname=None):
    return psql(sql, dbname).stdout.strip()


def run_admin(*args, dbname=None, stdin=None):
    return subprocess.run([SERVER, "--db", conninfo(dbname or DB_NAME)] + list(args),
                          capture_output=True, text=True, env=SERVER_ENV, input=stdin, timeout=300)


def verify(dbname=None):
    return run_admin("audit", "verify", dbname=dbname)


def tamper(sql, dbname=None):
    """As a superuser, around the append-only trigger: what an attacker
    with the database's keys could do."""
    psql("SET session_replication_role = replica; " + sql, dbname)


# ---- server processes -------------------------------------------------------

all_servers = []


class Server:
    def __init__(self, *extra, dbname=None):
        all_servers.append(self)
        self.log_path = "/tmp/%s-server-%d.log" % (DB_NAME, id(self))
        self.log = open(self.log_path, "w+")
        self.proc = subprocess.Popen([SERVER, "--db", conninfo(dbname or DB_NAME),
                                      "--listen", "127.0.0.1:0", "--verbose"] + list(extra),
                                     stdout=subprocess.PIPE, stderr=self.log, text=True, env=SERVER_ENV)
        line = self.proc.stdout.readline()
        m = re.match(r"listening on http://127\.0\.0\.1:(\d+)", line)
        if not m:
            self.proc.kill()
            self.log.seek(0)
            raise RuntimeError("server did not start: %r %s" % (line, self.log.read()))
        self.port = int(m.group(1))

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


class Response:
    def __init__(self, status, body, headers):
        self.status = status
        self.raw = body
        self.headers = headers
        try:
            self.json = json.loads(body.decode("utf-8")) if body else None
        except (ValueError, UnicodeDecodeError):
            self.json = None

    @property
    def code(self):
        if isinstance(self.json, dict) and isinstance(self.json.get("error"), dict):
            return self.json["error"].get("code")
        return None


def request(server, method, path, body=None, token=None, content_type="application/json",
            headers=None, timeout=120):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout)
    hdrs = dict(headers or {})
    if token:
        hdrs["Authorization"] = "Bearer " + token
    if body is not None:
        if not isinstance(body, (bytes, bytearray)):
            body = json.dumps(body).encode("utf-8")
        if content_type:
            hdrs["Content-Type"] = content_type
    conn.request(method, path, body=body, headers=hdrs)
    resp = conn.getresponse()
    data = resp.read()
    conn.close()
    return Response(resp.status, data, dict(resp.getheaders()))


def login(username, password=PASSWORD, address=None, server=None):
    headers = {"X-Forwarded-For": address} if address else None
    return request(server or servers[0], "POST", "/api/v1/session",
                   {"username": username, "password": password}, headers=headers)


def token_for(username, address=None):
    r = login(username, address=address)
    equal(r.status, 200, "login of %s (%s)" % (username, r.raw[:200]))
    return r.json["token"]


def audit_count(where):
    return int(psql_value("SELECT count(*) FROM audit WHERE " + where))


# ---- fixtures ---------------------------------------------------------------

USERS = {
    "wethouder": [("wethouder_buurten", [])],
    "locked_user": [("buurtcoordinator", ["centrum"])],
    "many": [("buurtcoordinator", ["centrum"])],
    "parallel": [("buurtcoordinator", ["centrum"])],
    "buco": [("buurtcoordinator", ["centrum"])],
    "buco_zuid": [("buurtcoordinator", ["zuid"])],
    "buco_oost": [("buurtcoordinator", ["oost"])],
}

servers = []
tokens = {}


def add_users(dbname=None):
    pwfile = "/tmp/%s-%s.pw" % (DB_NAME, dbname or "main")
    with open(pwfile, "w") as f:
        f.write(PASSWORD + "\n")
    try:
        for name, grants in USERS.items():
            args = ["user", "add", "--username", name, "--password-file", pwfile]
            for role, ws in grants:
                args += ["--role", role]
                for w in ws:
                    args += ["--wijk", w]
            r = run_admin(*args, dbname=dbname)
            check(r.returncode == 0, "user add %s: %s" % (name, r.stderr))
    finally:
        os.unlink(pwfile)


def setup():
    psql("CREATE DATABASE %s" % DB_NAME, dbname="postgres")
    r = run_admin("migrate")
    check(r.returncode == 0, "migrate: " + r.stderr)
    r = run_admin("import-municipality", MUNICIPALITY)
    check(r.returncode == 0, "import: " + r.stderr)
    add_users()
    # Trusts X-Forwarded-For, so that one test can be many addresses; a
    # 1 MiB blob quota per wijk.
    servers.append(Server("--trust-proxy", "--blob-quota-mib", "1"))
    for name in ("buco", "buco_zuid", "buco_oost"):
        tokens[name] = token_for(name)


def teardown():
    codes = [s.stop() for s in servers]
    psql("DROP DATABASE IF EXISTS %s WITH (FORCE)" % DB_NAME, dbname="postgres",
         check_rc=False)
    return codes


def address():
    return "198.51.100.%d" % random.randint(1, 254)


# ---- the tests ----------------------------------------------------------------

TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


hammer_address = "203.0.113.66"


@test
def sixty_parallel_wrong_passwords_get_at_most_the_limit_of_checks():
    before = int(psql_value("SELECT coalesce(max(id), 0) FROM audit"))
    with concurrent.futures.ThreadPoolExecutor(60) as pool:
        answers = list(pool.map(lambda i: login("wethouder", "wrong password %d" % i,
                                                hammer_address), range(60)))
    statuses = [r.status for r in answers]
    # A password is checked only for an attempt within the limit; the rest
    # are refused before. 401 means the password was checked.
    equal((statuses.count(401), statuses.count(429)), (USER_LIMIT, 60 - USER_LIMIT),
          "401 (password checked) and 429 (refused unchecked)")
    check(all(r.code == "TOO_MANY_ATTEMPTS" and int(r.headers.get("Retry-After", "0")) > 0
              for r in answers if r.status == 429), "429 with Retry-After")
    # Counted until the address is over its limit; after that an attempt is
    # refused before its body is even parsed (and not counted again).
    counted = int(psql_value("SELECT attempts FROM login_counters c JOIN users u"
                             " ON u.id = c.user_id WHERE u.username = 'wethouder'"
                             " AND c.address = '%s'" % hammer_address))
    check(ADDRESS_LIMIT < counted <= 60, "counted %d attempts" % counted)
    r = request(servers[0], "POST", "/api/v1/session", b'{"username": not json',
                headers={"X-Forwarded-For": hammer_address})
    equal(r.status, 429, "an address over its limit is refused before its body is parsed")
    # One line when the user became locked and one when the address went
    # over its limit, not one per attempt.
    lines = psql_value("SELECT string_agg(coalesce(actor, '-') || ' ' || result, ',' ORDER BY id)"
                       " FROM audit WHERE id > %d AND origin = '%s'" % (before, hammer_address))
    equal(sorted(lines.split(",")), ["- throttled:address", "wethouder locked"],
          "audit lines of the hammering")
    equal(audit_count("action = 'login' AND result = 'failed'"), 0, "no line per failure")


@test
def the_wethouder_still_gets_in_from_an_address_that_never_failed():
    # After the hammering: the address that failed is refused even with the
    # right password, an address that never failed gets in.
    equal(login("wethouder", address=hammer_address).status, 429, "the hammering address")
    r = login("wethouder", address="192.0.2.10")
    equal(r.status, 200, "another address, the right password (%s)" % r.raw[:200])
    # While the user is locked, an address that fails once gets no second try.
    other = "192.0.2.11"
    equal(login("wethouder", "wrong again", other).status, 401, "one wrong try")
    equal(login("wethouder", address=other).status, 429, "then refused while locked")
    equal(login("wethouder", address="192.0.2.12").status, 200, "yet another clean address")


@test
def user_unlock_lets_a_locked_user_in_again_and_is_audited():
    addr = "192.0.2.20"
    for i in range(USER_LIMIT):
        equal(login("locked_user", "wrong %d" % i, addr).status, 401, "failure %d" % i)
    equal(login("locked_user", address=addr).status, 429, "locked from this address")
    r = run_admin("user", "unlock", "--username", "locked_user")
    equal(r.returncode, 0, "user unlock: " + r.stderr)
    check("unlocked user locked_user" in r.stdout, "says so: " + r.stdout)
    equal(audit_count("action = 'user.unlock' AND object = 'user:locked_user'"
                      " AND result = 'ok' AND actor LIKE 'cli:%'"), 1, "audited")
    equal(login("locked_user", address=addr).status, 200, "in again from the same address")
    r = run_admin("user", "unlock", "--username", "no_such_user")
    check(r.returncode != 0 and "no user" in r.stderr, "unknown user: " + r.stderr)


@test
def an_unknown_username_is_stored_nowhere():
    typed = "Hunter2-%d-my-password" % random.randint(10**8, 10**9)
    addr = address()
    # Over the address's limit, so that the throttling is audited too.
    for i in range(ADDRESS_LIMIT + 2):
        r = login(typed, "whatever %d" % i, addr)
        check(r.status in (401, 429), "status %d" % r.status)
    equal(r.status, 429, "the address is throttled in the end")
    equal(audit_count("origin = '%s' AND result = 'throttled:address' AND actor IS NULL" % addr),
          1, "one line for the address, without a username")
    dump = subprocess.run(["pg_dump", "--data-only", conninfo(DB_NAME)], capture_output=True)
    equal(dump.returncode, 0, "pg_dump: %s" % dump.stderr[-300:])
    check(len(dump.stdout) > 1000, "a dump with data")
    check(typed.encode() not in dump.stdout, "the typed username is in the database")
    check(typed not in servers[0].output(), "the typed username is in the server's log")


@test
def parallel_right_and_wrong_logins_never_deadlock():
    # Right passwords uncount their attempt while others count theirs, on
    # the same rows: both lock them in one order.
    def attempt(i):
        return login("parallel", PASSWORD if i % 2 else "wrong %d" % i,
                     "192.0.2.%d" % (100 + i % 6))

    with concurrent.futures.ThreadPoolExecutor(24) as pool:
        statuses = [r.status for r in pool.map(attempt, range(48))]
    check(all(st in (200, 401, 429) for st in statuses), "statuses %r" % statuses)
    check(statuses.count(200) > 0 and statuses.count(401) > 0, "both: %r" % statuses)
    equal(psql_value("SELECT count(*) FROM login_counters WHERE attempts < 0"), "0",
          "no counter below zero")


@test
def the_session_cap_revokes_the_oldest():
    made = [token_for("many") for _ in range(SESSIONS_PER_USER + 1)]
    r = request(servers[0], "GET", "/api/v1/me", token=made[0])
    equal((r.status, r.code), (401, "UNAUTHORIZED"), "the oldest session")
    for i, t in enumerate(made[1:], 1):
        equal(request(servers[0], "GET", "/api/v1/me", token=t).status, 200, "session %d" % i)
    equal(psql_value("SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id"
                     " WHERE u.username = 'many' AND s.revoked_at IS NULL"),
          str(SESSIONS_PER_USER), "sessions held")


def put_blob(data, token, wijk=None):
    path = "/api/v1/blobs/" + hashlib.sha256(data).hexdigest()
    if wijk:
        path += "?wijk=" + wijk
    return request(servers[0], "PUT", path, data, token=token, content_type="image/png")


@test
def blobs_of_a_wijk_stay_within_its_quota():
    def blob(kib):
        return b"\x89PNG\r\n\x1a\n" + os.urandom(kib * 1024)

    first, second = blob(600), blob(600)
    equal(put_blob(first, tokens["buco"], "centrum").status, 201, "600 KiB for centrum")
    r = put_blob(second, tokens["buco"], "centrum")
    equal((r.status, r.code), (507, "QUOTA_EXCEEDED"), "another 600 KiB for centrum")
    equal(psql_value("SELECT count(*) FROM blobs WHERE sha256 = '%s'"
                     % hashlib.sha256(second).hexdigest()), "0", "not stored")
    equal(put_blob(first, tokens["buco"], "centrum").status, 201, "the same bytes again")
    equal(put_blob(second, tokens["buco_zuid"], "zuid").status, 201, "another wijk's quota")
    # Without a wijk the uploader's own quota counts.
    equal(put_blob(blob(700), tokens["buco_oost"]).status, 201, "700 KiB of one's own")
    r = put_blob(blob(700), tokens["buco_oost"])
    equal((r.status, r.code), (507, "QUOTA_EXCEEDED"), "and 700 more")


@test
def a_blob_one_may_not_read_answers_as_one_that_is_not_there():
    data = b"\x89PNG\r\n\x1a\n" + os.urandom(100)
    digest = hashlib.sha256(data).hexdigest()
    equal(put_blob(data, tokens["buco_zuid"], "zuid").status, 201, "stored for zuid")
    equal(request(servers[0], "GET", "/api/v1/blobs/" + digest,
                  token=tokens["buco_zuid"]).status, 200, "zuid reads it")
    missing = "/api/v1/blobs/" + hashlib.sha256(os.urandom(16)).hexdigest()
    forbidden = request(servers[0], "GET", "/api/v1/blobs/" + digest, token=tokens["buco_oost"])
    unknown = request(servers[0], "GET", missing, token=tokens["buco_oost"])

    def shape(r):
        return (r.status, r.raw, r.headers.get("Content-Type"), r.headers.get("Content-Length"))

    equal(shape(forbidden), shape(unknown), "forbidden against unknown")
    equal(forbidden.status, 404, "status")
    # Both are audited, so both take a write.
    equal(audit_count("actor = 'buco_oost' AND action = 'blob.get' AND object = '%s'"
                      " AND result = 'forbidden'" % digest), 1, "the refusal audited")
    equal(audit_count("actor = 'buco_oost' AND action = 'blob.get' AND result = 'not_found'"),
          1, "the miss audited")
    times = {"forbidden": [], "unknown": []}
    for _ in range(15):
        for name, path in (("forbidden", "/api/v1/blobs/" + digest), ("unknown", missing)):
            t0 = time.perf_counter()
            request(servers[0], "GET", path, token=tokens["buco_oost"])
            times[name].append(time.perf_counter() - t0)
    diag("median ms: forbidden %.2f, unknown %.2f" % tuple(
        sorted(times[k])[7] * 1000 for k in ("forbidden", "unknown")))


@test
def pushes_and_logins_are_audited_through_the_chain():
    c = {"client_id": str(uuid.uuid4()), "schema": 1, "mutations": [
        {"mid": i + 1, "name": "request.create",
         "args": {"id": str(uuid.uuid4()), "wijk": "centrum", "type": "vraag",
                  "title": "Vraag %d" % i, "received_at": "2026-10-01T09:00:00Z"}}
        for i in range(3)]}
    r = request(servers[0], "POST", "/api/v1/sync/push", c, token=tokens["buco"])
    equal(r.status, 200, "push (%s)" % r.raw[:200])
    check(all(x["status"] == "applied" for x in r.json["results"]), "applied: %r" % r.json)
    ids = psql_value("SELECT string_agg(id::text, ',' ORDER BY id) FROM audit"
                     " WHERE actor = 'buco' AND action = 'push:request.create'").split(",")
    equal(len(ids), 3, "three audit lines")
    equal(psql_value("SELECT count(*) FROM audit WHERE hash IS NULL OR prev_hash IS NULL"), "0",
          "every row chained")
    r = verify()
    equal(r.returncode, 0, "audit verify: " + r.stdout + r.stderr)
    check("audit chain intact" in r.stdout, r.stdout)


@test
def the_server_role_cannot_write_audit_rows_but_through_the_function():
    for sql in ("INSERT INTO audit (action, result, prev_hash, hash)"
                " VALUES ('forged', 'ok', '\\x00', '\\x00')",
                "UPDATE audit SET result = 'forged'",
                "DELETE FROM audit",
                "UPDATE audit_chain SET last_id = 1",
                "SELECT nextval('audit_id_seq')"):
        r = psql("SET ROLE buurten_app; " + sql, check_rc=False)
        check(r.returncode != 0 and "permission denied" in r.stderr, "%s: %s" % (sql, r.stderr))
    r = psql("SET ROLE buurten_app; SELECT buurten_audit('buco', 'test', NULL, 'ok', 'psql')",
             check_rc=False)
    equal(r.returncode, 0, "through the function: " + r.stderr)
    equal(verify().returncode, 0, "the chain holds the new row")


@test
def audit_verify_names_the_row_a_superuser_changed():
    equal(verify().returncode, 0, "intact first")
    ids = [int(x) for x in psql_value("SELECT string_agg(id::text, ',' ORDER BY id)"
                                      " FROM audit").split(",")]
    check(len(ids) > 10, "rows to tamper with")
    victim = ids[len(ids) // 2]
    old = psql_value("SELECT result FROM audit WHERE id = %d" % victim)

    tamper("UPDATE audit SET result = 'tampered' WHERE id = %d" % victim)
    r = verify()
    check(r.returncode != 0, "verify passes a changed row: " + r.stdout)
    check(re.search(r"broken at row %d\b" % victim, r.stderr), "names the row: " + r.stderr)

    # Changed with a freshly computed hash: the next row names it.
    tamper("UPDATE audit SET hash = sha256(prev_hash || convert_to(buurten_audit_text(id, at,"
           " actor, action, object, result, origin), 'UTF8')) WHERE id = %d" % victim)
    r = verify()
    check(r.returncode != 0, "verify passes a rehashed row: " + r.stdout)
    nxt = ids[ids.index(victim) + 1]
    check(re.search(r"broken at row %d\b" % nxt, r.stderr), "names the next row: " + r.stderr)

    tamper("UPDATE audit SET result = '%s' WHERE id = %d;"
           " UPDATE audit SET hash = sha256(prev_hash || convert_to(buurten_audit_text(id, at,"
           " actor, action, object, result, origin), 'UTF8')) WHERE id = %d"
           % (old, victim, victim))
    equal(verify().returncode, 0, "intact when put back")

    # A row removed from the middle.
    saved = psql_value("SELECT row_to_json(a) FROM audit a WHERE id = %d" % victim)
    tamper("DELETE FROM audit WHERE id = %d" % victim)
    r = verify()
    check(r.returncode != 0 and re.search(r"broken at row %d\b" % nxt, r.stderr),
          "a removed row: " + r.stderr)
    tamper("INSERT INTO audit SELECT * FROM json_populate_record(NULL::audit, '%s')"
           % saved.replace("'", "''"))
    equal(verify().returncode, 0, "intact when put back")

    # The newest row removed.
    tamper("DELETE FROM audit WHERE id = (SELECT max(id) FROM audit)")
    r = verify()
    check(r.returncode != 0 and "newest rows were removed" in r.stderr, "the tail: " + r.stderr)
    psql("UPDATE audit_chain SET last_id = (SELECT max(id) FROM audit),"
         " last_hash = (SELECT hash FROM audit ORDER BY id DESC LIMIT 1)")

    # The DBA's retention: the oldest rows go, the rest still verifies
    # from the oldest row left.
    tamper("DELETE FROM audit WHERE id < %d" % ids[5])
    r = verify()
    equal(r.returncode, 0, "after removing the oldest rows: " + r.stderr)
    check("ids %d to" % ids[5] in r.stdout, r.stdout)


@test
def the_migration_chains_existing_rows_and_forgets_typed_usernames():
    scratch = DB_NAME + "_old"
    psql("CREATE DATABASE %s" % scratch, dbname="postgres")
    try:
        # A database at schema 3, with audit rows written the old way.
        files = sorted(f for f in os.listdir(MIGRATIONS) if f < "0004")
        equal(len(files), 3, "migrations 1 to 3")
        psql("CREATE TABLE schema_migrations (version integer PRIMARY KEY,"
             " applied_at timestamptz NOT NULL DEFAULT now ())", dbname=scratch)
        psql("INSERT INTO schema_migrations VALUES (1), (2), (3)", dbname=scratch,
             files=[os.path.join(MIGRATIONS, f) for f in files])
        psql("INSERT INTO users (username, password_hash) VALUES ('anna', 'x');"
             " INSERT INTO login_failures (username, address) VALUES ('s3cret-typed', '192.0.2.1');"
             " INSERT INTO audit (actor, action, object, result, origin) VALUES"
             " ('anna', 'login', NULL, 'failed', '192.0.2.1'),"
             " ('s3cret-typed', 'login', NULL, 'failed', '192.0.2.1'),"
             " ('anna', 'push:note.create', E'note:x\\ny', 'ok', '192.0.2.1')", dbname=scratch)
        r = run_admin("migrate", dbname=scratch)
        equal(r.returncode, 0, "migrate: " + r.stderr)
        r = verify(dbname=scratch)
        equal(r.returncode, 0, "verify: " + r.stdout + r.stderr)
        check("3 rows" in r.stdout, r.stdout)
        equal(psql_value("SELECT string_agg(coalesce(actor, '-'), ',' ORDER BY id) FROM audit",
                         dbname=scratch), "anna,-,anna", "actors")
        dump = subprocess.run(["pg_dump", "--data-only", conninfo(scratch)], capture_output=True)
        check(dump.returncode == 0 and b"s3cret-typed" not in dump.stdout, "typed name gone")
    finally:
        psql("DROP DATABASE IF EXISTS %s WITH (FORCE)" % scratch, dbname="postgres",
             check_rc=False)


# ---- main -----------------------------------------------------------------------


def main():
    if not SERVER or not DATA_DIR:
        print("usage: test-login.py BUURTEN_SERVER DATA_DIR", file=sys.stderr)
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
        for s in servers:
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
    codes = teardown()
    n = len(TESTS) + 1
    if all(c == 0 for c in codes):
        print("ok %d - servers exit cleanly on SIGTERM" % n)
    else:
        failed += 1
        print("not ok %d - servers exit cleanly on SIGTERM: %r" % (n, codes))
        for s in servers:
            diag(s.output()[-3000:])
    for s in all_servers:
        s.stop(signal.SIGKILL)
        try:
            os.unlink(s.log_path)
        except OSError:
            pass
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
