#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# buurten-server against a real PostgreSQL, over HTTP: every test starts
# from the running server processes and talks to them like a client would.
#
#   test-server.py BUURTEN_SERVER DATA_DIR
#
# BUURTEN_TEST_PG is a libpq key=value connection string with superuser
# rights on a throwaway cluster (tests/server/pg-fixture.sh). Each run
# creates its own database and drops it at the end. Output is TAP.

import base64
import concurrent.futures
import hashlib
import http.client
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request
import uuid

SERVER = sys.argv[1] if len(sys.argv) > 1 else None
DATA_DIR = sys.argv[2] if len(sys.argv) > 2 else None
PG = os.environ.get("BUURTEN_TEST_PG")
PASSWORD = "correct horse battery staple"
MUNICIPALITY = os.path.join(DATA_DIR or "", "municipalities", "hilversum.json")

# ---- TAP --------------------------------------------------------------------

results = []


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

DB_NAME = "buurten_test_%d_%d" % (os.getpid(), random.randint(0, 99999))


def conninfo(dbname):
    # In a key=value string the last value of a keyword wins.
    return "%s dbname=%s" % (PG, dbname)


def psql(sql, dbname=None, check_rc=True):
    proc = subprocess.run(["psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1",
                           conninfo(dbname or DB_NAME), "-c", sql],
                          capture_output=True, text=True)
    if check_rc and proc.returncode != 0:
        raise Check("psql failed: %s" % proc.stderr.strip())
    return proc


def psql_value(sql, dbname=None):
    return psql(sql, dbname).stdout.strip()


# Criticals abort the server, warnings do not: it logs the database going
# away or a mutation it could not store as warnings, and these tests provoke
# both (tests/meson.build sets fatal-warnings for everything else). Every
# suite that starts buurten-server starts it with this environment.
SERVER_ENV = dict(os.environ, G_DEBUG="gc-friendly,fatal-criticals")


def run_admin(*args, dbname=None, stdin=None):
    return subprocess.run([SERVER, "--db", conninfo(dbname or DB_NAME)] + list(args),
                          capture_output=True, text=True, input=stdin, timeout=120,
                          env=SERVER_ENV)


# ---- server processes -------------------------------------------------------

all_servers = []


class Server:
    def __init__(self, *extra, dbname=None):
        all_servers.append(self)
        self.log_path = "/tmp/%s-server-%d.log" % (DB_NAME, id(self))
        self.log = open(self.log_path, "w+")
        self.proc = subprocess.Popen([SERVER, "--db", conninfo(dbname or DB_NAME),
                                      "--listen", "127.0.0.1:0", "--verbose"] + list(extra),
                                     stdout=subprocess.PIPE, stderr=self.log, text=True,
                                     env=SERVER_ENV)
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


def login(server, username, password=PASSWORD, headers=None):
    return request(server, "POST", "/api/v1/session",
                   {"username": username, "password": password}, headers=headers)


def token_for(server, username):
    r = login(server, username)
    equal(r.status, 200, "login of %s" % username)
    return r.json["token"]


def new_id():
    return str(uuid.uuid4())


class Client:
    """A sync client: a client_id, its own mids and its cursor."""

    def __init__(self, server, token):
        self.server = server
        self.token = token
        self.client_id = new_id()
        self.mid = 0
        self.cursor = None

    def push(self, *mutations, expect_status=200):
        batch = []
        for name, args in mutations:
            self.mid += 1
            batch.append({"mid": self.mid, "name": name, "args": args})
        r = request(self.server, "POST", "/api/v1/sync/push",
                    {"client_id": self.client_id, "schema": 1, "mutations": batch},
                    token=self.token)
        equal(r.status, expect_status, "push status (%s)" % r.raw[:300])
        return r.json["results"] if r.status == 200 else r

    def one(self, name, args):
        return self.push((name, args))[0]

    def pull_all(self, limit=500):
        changes, conflicts, pages = [], [], 0
        while True:
            q = "limit=%d" % limit
            if self.cursor:
                q += "&cursor=" + urllib.parse.quote(self.cursor)
            r = request(self.server, "GET", "/api/v1/sync/pull?" + q, token=self.token)
            equal(r.status, 200, "pull status (%s)" % r.raw[:300])
            pages += 1
            check(r.json["reset"] is None, "unexpected reset %r" % r.json["reset"])
            changes += r.json["changes"]
            conflicts += r.json["conflicts"]
            self.cursor = r.json["cursor"]
            if not r.json["more"]:
                return changes, conflicts, pages
            check(pages < 1000, "pull does not end")


# ---- fixtures ---------------------------------------------------------------

USERS = {
    # username: [(role, [wijken])]
    "buco": [("buurtcoordinator", ["centrum", "zuid", "noordwest"])],
    "buco_oost": [("buurtcoordinator", ["oost"])],
    "weth": [("wijkwethouder", ["centrum", "zuid", "noordwest"])],
    "dual": [("buurtcoordinator", ["zuidwest"]), ("wijkwethouder", ["zuidwest"])],
    "weth_zuidwest": [("wijkwethouder", ["zuidwest"])],
    "wethouder": [("wethouder_buurten", [])],
    "teammanager": [("teammanager_samenleving", [])],
    "politie": [("partner", ["centrum"])],
    "throttled": [("buurtcoordinator", ["centrum"])],
    "beheer": [("admin", [])],
}

servers = []
tokens = {}


def setup():
    psql("CREATE DATABASE %s" % DB_NAME, dbname="postgres")
    r = run_admin("migrate")
    check(r.returncode == 0, "migrate: " + r.stderr)
    r = run_admin("import-municipality", MUNICIPALITY)
    check(r.returncode == 0, "import: " + r.stderr)
    pwfile = "/tmp/%s.pw" % DB_NAME
    with open(pwfile, "w") as f:
        f.write(PASSWORD + "\n")
    try:
        for name, grants in USERS.items():
            args = ["user", "add", "--username", name, "--password-file", pwfile]
            wijken = set()
            for role, ws in grants:
                args += ["--role", role]
                wijken.update(ws)
            for w in sorted(wijken):
                args += ["--wijk", w]
            # "dual" holds both roles for zuidwest only; others one role.
            r = run_admin(*args)
            check(r.returncode == 0, "user add %s: %s" % (name, r.stderr))
    finally:
        os.unlink(pwfile)
    servers.append(Server("--trust-proxy"))
    servers.append(Server())
    for name in USERS:
        if name != "throttled":
            tokens[name] = token_for(servers[0], name)


def teardown():
    codes = []
    for s in servers:
        codes.append(s.stop())
    psql("DROP DATABASE IF EXISTS %s WITH (FORCE)" % DB_NAME, dbname="postgres",
         check_rc=False)
    return codes


# ---- the tests ----------------------------------------------------------------

TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


@test
def health_answers():
    r = request(servers[0], "GET", "/api/v1/health")
    equal(r.status, 200, "status")
    equal(r.json, {"status": "ok"}, "body")


@test
def login_gives_token_user_and_12_hour_expiry():
    r = login(servers[0], "buco")
    equal(r.status, 200, "status")
    check(re.fullmatch(r"[0-9a-f]{64}", r.json["token"]), "256-bit token in hex")
    equal(r.json["user"]["username"], "buco", "username")
    equal(r.json["user"]["roles"], ["buurtcoordinator"], "roles")
    equal(r.json["user"]["wijken"], ["noordwest", "zuid", "centrum"], "wijken in file order")
    expires = time.mktime(time.strptime(r.json["expires_at"], "%Y-%m-%dT%H:%M:%SZ")) - time.timezone
    check(abs(expires - time.time() - 12 * 3600) < 120, "expires in 12 h: %s" % r.json["expires_at"])
    # Only the hash is stored.
    h = hashlib.sha256(r.json["token"].encode()).hexdigest()
    equal(psql_value("SELECT count(*) FROM sessions WHERE token_hash = decode('%s','hex')" % h),
          "1", "hash stored")
    equal(psql_value("SELECT count(*) FROM sessions WHERE encode(token_hash,'hex') = '%s'"
                     % r.json["token"]), "0", "token itself not stored")
    me = request(servers[1], "GET", "/api/v1/me", token=r.json["token"])
    equal(me.status, 200, "me on the other server")
    equal(me.json["username"], "buco", "me")


@test
def control_characters_are_stored_and_sent_escaped():
    # json-glib 1.6 writes U+001F raw inside a string, which PostgreSQL (and
    # Buurten's own parser) refuse: a note with one in it must be applied,
    # replayed and pulled like any other, never answered 503 forever.
    c = Client(servers[0], tokens["buco"])
    rid = new_id()
    res = c.one("request.create", {"id": rid, "wijk": "centrum", "type": "vraag",
                                   "title": "Tab\tin de titel\u001f",
                                   "received_at": "2026-10-01T09:00:00Z"})
    equal(res["status"], "applied", "a title with control characters (%r)" % res)
    body = "een\u001ftwee\u0001drie\u007f\u2028"
    nid = new_id()
    res = c.one("note.create", {"id": nid, "subject_type": "request", "subject_id": rid,
                                "body": body})
    equal(res["status"], "applied", "the note (%r)" % res)
    # The stored result of the push is replayed as it was.
    c.mid -= 1
    again = c.one("note.create", {"id": nid, "subject_type": "request", "subject_id": rid,
                                  "body": body})
    equal(again, res, "the replay")
    r = request(servers[1], "GET", "/api/v1/objects/note/" + nid, token=tokens["buco"])
    equal(r.status, 200, "the note from the other server")
    equal(r.json["row"]["body"], body, "every character kept")
    changes, _, _ = Client(servers[1], tokens["buco"]).pull_all()
    pulled = [ch for ch in changes if ch.get("id") == nid]
    check(pulled and pulled[-1]["row"]["body"] == body, "pulled whole: %r" % pulled[-1:])


@test
def wrong_password_and_unknown_user_are_401():
    r = login(servers[0], "buco", "not the password at all")
    equal((r.status, r.code), (401, "UNAUTHORIZED"), "wrong password")
    r = login(servers[0], "nobody-here", "not the password at all")
    equal((r.status, r.code), (401, "UNAUTHORIZED"), "unknown user")


@test
def no_or_bad_token_is_401():
    equal(request(servers[0], "GET", "/api/v1/me").status, 401, "no token")
    r = request(servers[0], "GET", "/api/v1/me", token="0" * 64)
    equal((r.status, r.code), (401, "UNAUTHORIZED"), "bad token")


@test
def expired_session_is_401():
    t = token_for(servers[0], "buco")
    equal(request(servers[0], "GET", "/api/v1/me", token=t).status, 200, "fresh")
    h = hashlib.sha256(t.encode()).hexdigest()
    psql("UPDATE sessions SET expires_at = now() - interval '1 second'"
         " WHERE token_hash = decode('%s','hex')" % h)
    equal(request(servers[0], "GET", "/api/v1/me", token=t).status, 401, "after 12 h")


@test
def logout_revokes_the_token():
    t = token_for(servers[0], "weth")
    r = request(servers[0], "DELETE", "/api/v1/session", token=t)
    equal(r.status, 200, "logout")
    equal(request(servers[1], "GET", "/api/v1/me", token=t).status, 401, "revoked everywhere")


@test
def five_failures_throttle_the_user_until_the_window_passes():
    for i in range(5):
        equal(login(servers[0], "throttled", "wrong password %d" % i).status, 401, "failure %d" % i)
    r = login(servers[1], "throttled")
    equal((r.status, r.code), (429, "TOO_MANY_ATTEMPTS"), "right password, throttled")
    check(int(r.headers.get("Retry-After", "0")) > 0, "Retry-After")
    psql("UPDATE login_counters SET window_start = window_start - interval '15 minutes 1 second'"
         " WHERE user_id = (SELECT id FROM users WHERE username = 'throttled')")
    equal(login(servers[0], "throttled").status, 200, "after the window")


@test
def failures_throttle_an_address_too():
    # Server 0 trusts X-Forwarded-For, so one test can be another address.
    addr = {"X-Forwarded-For": "192.0.2.%d" % random.randint(1, 250)}
    for i in range(20):
        login(servers[0], "nobody%d" % i, "wrong password", headers=addr)
    r = login(servers[0], "buco", headers=addr)
    equal((r.status, r.code), (429, "TOO_MANY_ATTEMPTS"), "address throttled")
    equal(login(servers[0], "buco", headers={"X-Forwarded-For": "198.51.100.7"}).status, 200,
          "another address")


@test
def centrum_coordinator_touching_oost_is_403_with_audit():
    oost = Client(servers[0], tokens["buco_oost"])
    ini = new_id()
    res = oost.one("initiative.create", {"id": ini, "wijk": "oost", "title": "Speeltuin",
                                         "organiser": "Piet Oost"})
    equal(res["status"], "applied", "oost creates")
    centrum = Client(servers[1], tokens["buco"])
    res = centrum.one("initiative.update", {"id": ini, "base": {"title": 1},
                                            "set": {"title": "Van mij"}})
    equal((res["status"], res.get("code")), ("rejected", "FORBIDDEN"), "push update")
    res = centrum.one("initiative.create", {"id": new_id(), "wijk": "oost", "title": "X"})
    equal((res["status"], res.get("code")), ("rejected", "FORBIDDEN"), "push create in oost")
    r = request(servers[1], "GET", "/api/v1/objects/initiative/" + ini, token=tokens["buco"])
    equal((r.status, r.code), (403, "FORBIDDEN"), "read by id")
    equal(psql_value("SELECT count(*) FROM audit WHERE actor = 'buco' AND action = 'read'"
                     " AND object = 'initiative:%s' AND result = 'forbidden'" % ini), "1",
          "audit of the read")
    equal(psql_value("SELECT count(*) FROM audit WHERE actor = 'buco'"
                     " AND action = 'push:initiative.update' AND object = 'initiative:%s'"
                     " AND result = 'rejected:FORBIDDEN' AND origin IS NOT NULL" % ini), "1",
          "audit of the push")
    changes, _, _ = centrum.pull_all()
    check(all(c["id"] != ini for c in changes), "not pulled by centrum")
    r = request(servers[0], "GET", "/api/v1/objects/initiative/" + ini, token=tokens["buco_oost"])
    equal(r.status, 200, "oost reads its own")


def make_initiative(client, wijk, title="Initiatief"):
    ini = new_id()
    res = client.one("initiative.create", {"id": ini, "wijk": wijk, "title": title,
                                           "theme": "groen", "organiser": "Bewoner"})
    equal(res["status"], "applied", "initiative.create")
    return ini


def commit(client, ini, amount, funding="wijkbudget", year=2021):
    cid = new_id()
    res = client.one("commitment.create", {"id": cid, "initiative_id": ini,
                                           "amount_cents": amount, "funding": funding,
                                           "year": year})
    return cid, res


@test
def mandate_boundaries_through_the_api():
    buco = Client(servers[0], tokens["buco"])
    weth = Client(servers[1], tokens["weth"])
    # The mandate is per initiative (its total): each boundary on an
    # initiative of its own.
    ini = make_initiative(buco, "zuid")

    cid, res = commit(buco, ini, 200000)
    equal(res["result"]["missing_roles"], ["buurtcoordinator"], "2.000,00: buco alone")
    res = buco.one("commitment.sign", {"id": cid})
    equal(res["result"]["state"], "approved", "2.000,00 approved by the buco")

    ini = make_initiative(buco, "zuid")
    cid, res = commit(buco, ini, 200001)
    equal(res["result"]["missing_roles"], ["buurtcoordinator", "wijkwethouder"], "2.000,01")
    res = buco.one("commitment.sign", {"id": cid})
    equal((res["result"]["state"], res["result"]["missing_roles"]), ("pending", ["wijkwethouder"]),
          "2.000,01 after the buco")
    res = weth.one("commitment.sign", {"id": cid})
    equal(res["result"]["state"], "approved", "2.000,01 after the wijkwethouder")

    ini = make_initiative(buco, "zuid")
    cid, res = commit(buco, ini, 2500000)
    equal(res["status"], "applied", "25.000,00 allowed")
    equal(res["result"]["missing_roles"], ["buurtcoordinator", "wijkwethouder"], "25.000,00")

    ini = make_initiative(buco, "zuid")
    cid, res = commit(buco, ini, 2500001)
    equal((res["status"], res.get("code")), ("rejected", "MANDATE_EXCEEDED"), "25.000,01")
    r = request(servers[0], "GET", "/api/v1/objects/commitment/" + cid, token=tokens["buco"])
    equal(r.status, 404, "a refused commitment does not exist")


@test
def the_motivation_of_a_commitment_is_the_reason_of_its_decision():
    buco = Client(servers[0], tokens["buco"])
    weth = Client(servers[1], tokens["weth"])
    ini = make_initiative(buco, "zuid")
    cid = new_id()
    res = buco.one("commitment.create", {"id": cid, "initiative_id": ini, "amount_cents": 300000,
                                         "funding": "wijkbudget", "year": 2021,
                                         "reason": "Breed gedragen en past bij het thema"})
    equal(res["status"], "applied", "created with a motivation")
    buco.one("commitment.sign", {"id": cid})
    res = weth.one("commitment.sign", {"id": cid})
    equal(res["result"]["state"], "approved", "approved by both")
    r = request(servers[0], "GET", "/api/v1/objects/decision/" + res["result"]["decision_id"],
                token=tokens["buco"])
    equal(r.status, 200, "the decision")
    equal((r.json["row"]["reason"], r.json["row"]["commitment_id"], r.json["row"]["amount_cents"]),
          ("Breed gedragen en past bij het thema", cid, 300000), "the motivation is its reason")
    # Without one the decision has no reason, not an empty one.
    ini = make_initiative(buco, "zuid")
    cid, _ = commit(buco, ini, 100000)
    res = buco.one("commitment.sign", {"id": cid})
    r = request(servers[0], "GET", "/api/v1/objects/decision/" + res["result"]["decision_id"],
                token=tokens["buco"])
    check("reason" not in r.json["row"], "no reason: %r" % r.json["row"])


@test
def four_eyes_one_person_never_signs_twice():
    dual = Client(servers[0], tokens["dual"])
    ini = make_initiative(dual, "zuidwest")
    cid, res = commit(dual, ini, 500000)
    res = dual.one("commitment.sign", {"id": cid})
    equal((res["status"], res["result"]["state"]), ("applied", "pending"), "first signature")
    res = dual.one("commitment.sign", {"id": cid})
    equal((res["status"], res.get("code")), ("rejected", "FOUR_EYES"), "same person again")
    other = Client(servers[1], tokens["weth_zuidwest"])
    res = other.one("commitment.sign", {"id": cid})
    equal(res["result"]["state"], "approved", "a second person")
    res = other.one("commitment.sign", {"id": cid})
    equal((res["status"], res.get("code")), ("rejected", "INVALID_STATE"), "approved already")
    # The wrong role for the wijk is refused too.
    cid, res = commit(dual, ini, 100000)
    res = Client(servers[0], tokens["buco"]).one("commitment.sign", {"id": cid})
    equal((res["status"], res.get("code")), ("rejected", "FORBIDDEN"), "buco of other wijken")


@test
def over_the_richtbudget_needs_the_teammanager_and_escalates():
    buco = Client(servers[0], tokens["buco"])
    weth = Client(servers[0], tokens["weth"])
    ini = make_initiative(buco, "noordwest")      # richtbudget 29.250,00
    cid1, res = commit(buco, ini, 2000000)
    equal(res["result"]["over_budget"], False, "20.000 fits")
    ini = make_initiative(buco, "noordwest")      # a second initiative of the wijk
    cid2, res = commit(buco, ini, 1000000)        # 30.000 > 29.250
    equal(res["result"]["over_budget"], True, "over budget")
    equal(res["result"]["missing_roles"],
          ["buurtcoordinator", "wijkwethouder", "teammanager_samenleving"], "roles")
    esc = res["result"]["escalation_id"]
    r = request(servers[0], "GET", "/api/v1/objects/escalation/" + esc, token=tokens["buco"])
    equal((r.status, r.json["row"]["level"], r.json["row"]["state"]), (200, "budget", "open"),
          "budget escalation opened")
    buco.one("commitment.sign", {"id": cid2})
    weth.one("commitment.sign", {"id": cid2})
    res = Client(servers[1], tokens["teammanager"]).one("commitment.sign", {"id": cid2})
    equal((res["result"]["state"], res["result"]["signed_as"]),
          ("approved", "teammanager_samenleving"), "teammanager completes")


@test
def replaying_a_push_applies_it_once():
    c = Client(servers[0], tokens["buco"])
    rid = new_id()
    body = {"client_id": c.client_id, "schema": 1, "mutations": [
        {"mid": 1, "name": "request.create",
         "args": {"id": rid, "wijk": "centrum", "type": "melding", "title": "Losse tegel",
                  "received_at": "2021-03-01T09:00:00Z",
                  "reporter": {"name": "Anna de Vries", "contact": "anna@example.org"}}},
        {"mid": 2, "name": "request.update",
         "args": {"id": rid, "base": {"title": 1}, "set": {"title": "Losse stoeptegel"}}},
        {"mid": 3, "name": "no.such_mutation", "args": {}}]}
    first = request(servers[0], "POST", "/api/v1/sync/push", body, token=c.token)
    second = request(servers[1], "POST", "/api/v1/sync/push", body, token=c.token)
    equal(first.status, 200, "first")
    equal(second.json, first.json, "replay returns the stored results")
    equal(first.json["last_mid"], 3, "last_mid")
    equal(first.json["results"][2]["code"], "UNKNOWN_MUTATION", "unknown name rejected, counted")
    equal(psql_value("SELECT version FROM objects WHERE id = '%s'" % rid), "2", "applied once")
    equal(psql_value("SELECT count(*) FROM mutation_results WHERE client_id = '%s'" % c.client_id),
          "3", "results stored")


@test
def a_mid_gap_is_409_and_applies_nothing():
    c = Client(servers[0], tokens["buco"])
    c.one("note.create", {"id": new_id(), "subject_type": "initiative",
                          "subject_id": make_initiative(c, "centrum"), "body": "x"})
    rid = new_id()
    body = {"client_id": c.client_id, "schema": 1, "mutations": [
        {"mid": c.mid + 2, "name": "request.create",
         "args": {"id": rid, "wijk": "centrum", "type": "vraag", "title": "Gat",
                  "received_at": "2021-03-01T09:00:00Z"}}]}
    r = request(servers[0], "POST", "/api/v1/sync/push", body, token=c.token)
    equal((r.status, r.code), (409, "MID_GAP"), "gap")
    equal(r.json["error"]["last_mid"], c.mid, "last_mid in the error")
    equal(psql_value("SELECT count(*) FROM objects WHERE id = '%s'" % rid), "0", "nothing applied")
    # Another user's client_id is refused.
    r = request(servers[0], "POST", "/api/v1/sync/push",
                {"client_id": c.client_id, "schema": 1, "mutations": []}, token=tokens["weth"])
    equal((r.status, r.code), (403, "FORBIDDEN"), "client_id of another user")


@test
def wijkkansen_pot_is_a_hard_cap_under_concurrency():
    # 20 clients, through two server processes, each commit 5.000 from the
    # wijkkansen pot of 75.000 and sign: exactly 15 are approved.
    year = 2022
    wijken = ["centrum", "oost", "zuid", "noordoost", "zuidwest"]
    clients = [Client(servers[i % 2], tokens["wethouder"]) for i in range(20)]
    inis = []
    for i, c in enumerate(clients):
        inis.append(make_initiative(c, wijken[i % len(wijken)], "Kans %d" % i))

    barrier = threading.Barrier(20)

    def run(i):
        c = clients[i]
        cid = new_id()
        barrier.wait()
        res = c.push(("commitment.create", {"id": cid, "initiative_id": inis[i],
                                            "amount_cents": 500000, "funding": "wijkkansen",
                                            "year": year}),
                     ("commitment.sign", {"id": cid}))
        return res

    with concurrent.futures.ThreadPoolExecutor(20) as pool:
        outcomes = list(pool.map(run, range(20)))
    approved = sum(1 for res in outcomes if res[1]["status"] == "applied"
                   and res[1]["result"]["state"] == "approved")
    refused = [res[0].get("code") for res in outcomes if res[0]["status"] == "rejected"]
    equal(approved, 15, "approved")
    equal(refused, ["BUDGET_EXCEEDED"] * 5, "refused")
    total = psql_value("SELECT sum((data->>'amount_cents')::bigint) FROM objects"
                       " WHERE type = 'commitment' AND data->>'funding' = 'wijkkansen'"
                       " AND data->>'year' = '%d' AND data->>'state' <> 'cancelled'" % year)
    equal(total, "7500000", "never more than 75.000")
    r = request(servers[1], "GET", "/api/v1/public/thermometer?year=%d" % year)
    pot = [p for p in r.json["pots"] if p["id"] == "wijkkansen"][0]
    equal((pot["approved_cents"], pot["free_cents"]), (7500000, 0), "thermometer pot")


def wait_for_write_transaction(thread, timeout=60):
    """True once a buurten-server backend of this database is inside a
    writing transaction; False when the thread ended first."""
    deadline = time.time() + timeout
    while time.time() < deadline and thread.is_alive():
        n = psql_value("SELECT count(*) FROM pg_stat_activity WHERE datname = '%s'"
                       " AND application_name = 'buurten-server'"
                       " AND backend_xid IS NOT NULL" % DB_NAME)
        if n != "0":
            return True
        time.sleep(0.002)
    return False


@test
def kill_9_in_the_middle_of_a_500_mutation_push_is_all_or_nothing():
    for attempt in range(5):
        victim = Server()
        try:
            # The suite's session: a login per attempt could pass the
            # session cap (10) and revoke it.
            t = tokens["buco"]
            c = Client(victim, t)
            ids = [new_id() for _ in range(500)]
            body = {"client_id": c.client_id, "schema": 1, "mutations": [
                {"mid": i + 1, "name": "request.create",
                 "args": {"id": ids[i], "wijk": "zuid", "type": "vraag",
                          "title": "Vraag %d" % i, "received_at": "2021-05-01T10:00:00Z"}}
                for i in range(500)]}
            outcome = {}

            def push():
                try:
                    outcome["r"] = request(victim, "POST", "/api/v1/sync/push", body, token=t)
                except Exception as e:  # the connection dies with the server
                    outcome["e"] = e

            th = threading.Thread(target=push)
            th.start()
            # Kill once the push's transaction is writing.
            writing = wait_for_write_transaction(th)
            victim.proc.kill()
            th.join()
            if not writing or "r" in outcome:
                diag("attempt %d: the push finished before the kill; again" % attempt)
                continue
            # The orphaned backend rolls back; wait until it is gone.
            for _ in range(200):
                if psql_value("SELECT count(*) FROM pg_stat_activity WHERE datname = '%s'"
                              " AND backend_xid IS NOT NULL" % DB_NAME) == "0":
                    break
                time.sleep(0.05)
            id_list = ",".join("'%s'" % i for i in ids)
            n = int(psql_value("SELECT count(*) FROM objects WHERE id IN (%s)" % id_list))
            last = psql_value("SELECT coalesce(max(last_mid), 0) FROM clients"
                              " WHERE client_id = '%s'" % c.client_id)
            check((n, last) in ((0, "0"), (500, "500")),
                  "all or nothing: %d objects, last_mid %s" % (n, last))
            diag("after kill -9: %d of 500 applied" % n)
            # The other servers keep serving, and the client can push again.
            r = request(servers[0], "POST", "/api/v1/sync/push", body, token=tokens["buco"])
            equal((r.status, r.json["last_mid"]), (200, 500), "pushed again elsewhere")
            equal(psql_value("SELECT count(*) FROM objects WHERE id IN (%s)" % id_list), "500",
                  "applied once")
            return
        finally:
            victim.stop(signal.SIGKILL)
    raise Check("could not kill the server during a push in 5 attempts")


@test
def bad_inputs_get_their_error_codes_and_the_server_keeps_serving():
    s = servers[0]
    t = tokens["buco"]
    push = "/api/v1/sync/push"
    # 80 000 levels of nesting: 400, not a crash.
    r = request(s, "POST", push, b"[" * 80000 + b"]" * 80000, token=t)
    equal((r.status, r.code), (400, "MALFORMED"), "deep")
    r = request(s, "POST", push, b'{"client_id":"\xff\xfe"}', token=t)
    equal((r.status, r.code), (400, "MALFORMED"), "invalid UTF-8")
    r = request(s, "POST", push, b'{"client_id": ', token=t)
    equal((r.status, r.code), (400, "MALFORMED"), "truncated")
    r = request(s, "POST", push, {"x": 1}, token=t, content_type="text/plain")
    equal((r.status, r.code), (415, "UNSUPPORTED_MEDIA_TYPE"), "content type")
    r = request(s, "POST", push, {"x": 1}, token=t, content_type="application/json; charset=latin1")
    equal((r.status, r.code), (415, "UNSUPPORTED_MEDIA_TYPE"), "charset")
    r = request(s, "POST", push, {"client_id": new_id(), "schema": 1,
                                  "mutations": [{"mid": "1", "name": "note.create", "args": {}}]},
                token=t)
    equal((r.status, r.code), (422, "VALIDATION"), "mid as a string")
    check("mutations[0]" in r.json["error"]["message"] and "mid" in r.json["error"]["message"],
          "names the member: " + r.json["error"]["message"])
    r = request(s, "POST", push, {"client_id": 5, "schema": 1, "mutations": []}, token=t)
    check(r.status == 422 and "client_id" in r.json["error"]["message"], "client_id type")
    r = request(s, "POST", push, {"client_id": new_id(), "schema": 0, "mutations": []}, token=t)
    equal((r.status, r.code), (426, "OLD_SCHEMA"), "old schema")
    r = request(s, "POST", push, [1, 2], token=t)
    equal((r.status, r.code), (422, "VALIDATION"), "not an object")
    c = Client(s, t)
    res = c.one("request.create", {"id": new_id(), "wijk": "centrum", "type": "vraag",
                                   "title": 42, "received_at": "2021-01-01T00:00:00Z"})
    check(res["code"] == "VALIDATION" and "title" in res["message"], "arg type: %r" % res)
    res = c.one("request.create", {"id": "not-a-uuid", "wijk": "centrum"})
    check(res["code"] == "VALIDATION" and "id" in res["message"], "uuid: %r" % res)
    r = request(s, "GET", "/api/v1/nothing")
    equal((r.status, r.code), (404, "NOT_FOUND"), "unknown path")
    r = request(s, "PUT", "/api/v1/me", b"{}")
    equal((r.status, r.code), (405, "METHOD_NOT_ALLOWED"), "method")
    r = request(s, "GET", "/api/v1/sync/pull?cursor=%21%21", token=t)
    equal((r.status, r.code), (400, "MALFORMED"), "bad cursor")
    r = request(s, "GET", "/api/v1/sync/pull?limit=0", token=t)
    equal((r.status, r.code), (422, "VALIDATION"), "bad limit")
    r = request(s, "GET", "/api/v1/sync/pull?limit=5001", token=t)
    equal((r.status, r.code), (422, "VALIDATION"), "limit over 5000")
    equal(request(s, "GET", "/api/v1/sync/pull?limit=5000", token=t).status, 200, "limit 5000")
    r = request(s, "POST", "/api/v1/session", {"username": ["x"], "password": "y"})
    check(r.status == 422 and "username" in r.json["error"]["message"], "login member type")
    equal(request(s, "GET", "/api/v1/health").status, 200, "still serving")


def raw_exchange(server, head, body=b"", read_timeout=10):
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=read_timeout)
    try:
        sock.sendall(head + body)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
        return data
    finally:
        sock.close()


@test
def too_large_bodies_are_413_before_being_read():
    s = servers[0]
    # Announces 200 MB and sends only the headers: answered at once.
    head = (b"POST /api/v1/sync/push HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 200000000\r\n\r\n")
    t0 = time.time()
    data = raw_exchange(s, head)
    check(data.startswith(b"HTTP/1.1 413"), "413 without the body: %r" % data[:80])
    check(b"TOO_LARGE" in data or b"413" in data, "code")
    check(time.time() - t0 < 5, "answered before the body came")
    # A client that does send the body (5 MB over the 4 MiB cap) still reads 413.
    r = request(s, "POST", "/api/v1/sync/push", b"[" + b" " * (5 * 1024 * 1024) + b"]",
                token=tokens["buco"])
    equal((r.status, r.code), (413, "TOO_LARGE"), "with the body")
    # Chunked, no length: counted as it comes. (With a token: without one
    # the body is refused with 401 before it is read.)
    sock = socket.create_connection(("127.0.0.1", s.port), timeout=10)
    sock.sendall(b"POST /api/v1/sync/push HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
                 b"\r\nAuthorization: Bearer " + tokens["buco"].encode() +
                 b"\r\nTransfer-Encoding: chunked\r\n\r\n")
    chunk = b" " * 65536
    got = b""
    try:
        for _ in range(100):
            sock.sendall(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
    except OSError:
        pass
    try:
        sock.settimeout(5)
        while b"\r\n\r\n" not in got:
            part = sock.recv(65536)
            if not part:
                break
            got += part
    except OSError:
        pass
    sock.close()
    check(got.startswith(b"HTTP/1.1 413"), "chunked 413: %r" % got[:80])
    equal(request(s, "GET", "/api/v1/health").status, 200, "still serving")


@test
def a_slow_client_does_not_stop_others():
    s = servers[1]
    slow = [socket.create_connection(("127.0.0.1", s.port)) for _ in range(5)]
    for sock in slow:
        sock.sendall(b"POST /api/v1/sync/push HTTP/1.1\r\nHost: x\r\nContent-Le")
    t0 = time.time()
    for _ in range(10):
        equal(request(s, "GET", "/api/v1/health", timeout=5).status, 200, "health")
    check(time.time() - t0 < 5, "served quickly")
    # A body that never finishes arriving does not block either.
    sock = socket.create_connection(("127.0.0.1", s.port))
    sock.sendall(b"POST /api/v1/sync/push HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
                 b"\r\nContent-Length: 1000\r\n\r\n{")
    equal(request(s, "GET", "/api/v1/public/thermometer?year=2021", timeout=5).status, 200,
          "thermometer meanwhile")
    for so in slow + [sock]:
        so.close()


@test
def public_thermometer_2021():
    r = request(servers[1], "GET", "/api/v1/public/thermometer?year=2021")
    equal(r.status, 200, "status")
    j = r.json
    equal(j["total_budget_cents"], 45000000, "total")
    equal((j["year"], j["currency"]), (2021, "EUR"), "year and currency")
    equal([w["id"] for w in j["wijken"]],
          ["noordoost", "noordwest", "zuid", "zuidoost", "zuidwest", "hilversumse_meent",
           "centrum", "oost"], "wijken")
    no = j["wijken"][0]
    equal(sorted(no), sorted(["id", "name", "budget_cents", "approved_cents", "pending_cents",
                              "spent_cents", "free_cents", "themes"]), "wijk members")
    equal((no["name"], no["budget_cents"]), ("Noordoost", 4225000), "noordoost")
    equal([p["id"] for p in j["pots"]], ["wijkkansen", "digitaal_platform"], "pots")
    equal(sorted(j["pots"][0]), sorted(["id", "budget_cents", "approved_cents", "spent_cents",
                                        "free_cents"]), "pot members")
    equal(j["pots"][1]["budget_cents"], 5000000, "digitaal platform")
    for w in j["wijken"]:
        equal(w["pending_cents"], 0, "pending is not public (%s)" % w["id"])
        equal(w["free_cents"], w["budget_cents"] - w["approved_cents"], "free (%s)" % w["id"])
    zuid = [w for w in j["wijken"] if w["id"] == "zuid"][0]
    check(zuid["approved_cents"] >= 200000 + 200001, "approved commitments count")
    equal([t["theme"] for t in zuid["themes"]], ["groen"], "themes")
    check(b"Bewoner" not in r.raw and b"buco" not in r.raw, "no personal data")
    equal(request(servers[1], "GET", "/api/v1/public/thermometer?year=twenty").status, 422,
          "bad year")
    equal(request(servers[1], "GET", "/api/v1/public/thermometer?year=1999").status, 404,
          "no budget")


@test
def partners_see_their_work_never_personal_data():
    buco = Client(servers[0], tokens["buco"])
    rid, other = new_id(), new_id()
    for r_id, assignee in ((rid, "politie"), (other, "someone else")):
        buco.one("request.create", {"id": r_id, "wijk": "centrum", "type": "klacht",
                                    "title": "Overlast", "received_at": "2021-04-01T08:00:00Z",
                                    "reporter": {"name": "Kees Klager",
                                                 "contact": "06-12345678"}})
        res = buco.one("request.assign", {"id": r_id, "assignee": assignee})
        equal(res["status"], "applied", "assign")
    meeting = new_id()
    buco.one("meeting.create", {"id": meeting, "kind": "wijkteam", "cluster": "centrum_zuidoost",
                                "starts_at": "2021-05-01T19:00:00Z", "location": "Wijkcentrum"})
    buco.one("agenda_item.add", {"id": new_id(), "meeting_id": meeting, "title": "Overlast",
                                 "position": 1})
    action = new_id()
    buco.one("action.create", {"id": action, "meeting_id": meeting, "owner": "politie",
                               "title": "Surveilleren", "due_on": "2021-05-15"})
    buco.one("action.create", {"id": new_id(), "meeting_id": meeting, "owner": "woningcorp",
                               "title": "Niet voor politie"})
    p = Client(servers[1], tokens["politie"])
    changes, _, _ = p.pull_all()
    types = sorted(set(c["type"] for c in changes))
    check(set(types) <= {"meeting", "agenda_item", "action", "request"}, "types %r" % types)
    ids = set(c["id"] for c in changes)
    check(rid in ids and action in ids and meeting in ids, "sees assigned work")
    check(other not in ids, "not others' requests")
    raw = json.dumps(changes)
    check("Kees Klager" not in raw and "06-12345678" not in raw, "no reporter")
    check("Niet voor politie" not in raw, "not others' actions")
    r = request(servers[1], "GET", "/api/v1/objects/request/" + rid, token=tokens["politie"])
    equal(r.status, 200, "reads the assigned request")
    check("reporter_name" not in r.json["row"] and "reporter_contact" not in r.json["row"],
          "stripped")
    r = request(servers[1], "GET", "/api/v1/objects/request/" + other, token=tokens["politie"])
    equal(r.status, 403, "not another request")
    res = p.one("action.complete", {"id": action})
    equal(res["status"], "applied", "completes its own action")
    res = p.one("initiative.create", {"id": new_id(), "wijk": "centrum", "title": "Nee"})
    equal(res.get("code"), "FORBIDDEN", "partners do not create")
    staff = request(servers[0], "GET", "/api/v1/objects/request/" + rid, token=tokens["buco"])
    equal(staff.json["row"]["reporter_name"], "Kees Klager", "staff see it")


def cursor_positions(cursor):
    return json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))["p"]


@test
def a_partner_cursor_passes_what_it_may_not_see():
    # A pull read to its end moves the cursor up to the scope's clock, also
    # over transactions the partner may not see: the next pull finds the
    # clock at the cursor (up to date, the fast path) and reads nothing
    # again. A pull whose page ends early does not move past what it read.
    p = Client(servers[1], tokens["politie"])
    p.pull_all()
    before = cursor_positions(p.cursor)
    buco = Client(servers[0], tokens["buco"])
    hidden = new_id()
    res = buco.one("request.create", {"id": hidden, "wijk": "centrum", "type": "vraag",
                                      "title": "Niet voor de politie",
                                      "received_at": "2021-04-02T08:00:00Z"})
    equal(res["status"], "applied", "a request the partner may not see")
    clock = int(psql_value("SELECT seq FROM change_clocks WHERE scope = 'centrum'"))
    check(clock > before.get("centrum", 0), "the clock moved")

    changes, _, _ = p.pull_all()
    equal(changes, [], "nothing the partner may see")
    equal(cursor_positions(p.cursor).get("centrum"), clock, "the cursor is at the clock")
    for server in servers:
        r = request(server, "GET", "/api/v1/sync/pull?cursor=" + urllib.parse.quote(p.cursor),
                    token=p.token)
        equal((r.status, r.json["changes"], r.json["cursor"]), (200, [], p.cursor),
              "up to date on both servers")

    # Staff see it; a one-row page from before it stops at what it read.
    staff = Client(servers[1], tokens["buco"])
    changes, _, _ = staff.pull_all()
    check(hidden in {c["id"] for c in changes}, "staff see it")
    first = request(servers[1], "GET", "/api/v1/sync/pull?limit=1", token=tokens["buco"]).json
    check(first["more"], "more after one row")
    positions = cursor_positions(first["cursor"])
    check(all(positions[s] <= int(psql_value("SELECT seq FROM change_clocks WHERE scope = '%s'"
                                             % s)) for s in positions), "positions known")
    check(positions.get("centrum", 0) < clock, "a cut page does not jump to the clock")


@test
def same_field_on_both_sides_keeps_server_value_and_records_conflict():
    a = Client(servers[0], tokens["buco"])
    b = Client(servers[1], tokens["weth"])
    rid = new_id()
    a.one("request.create", {"id": rid, "wijk": "centrum", "type": "vraag", "title": "Origineel",
                             "description": "D0", "received_at": "2021-02-01T08:00:00Z"})
    res = a.one("request.update", {"id": rid, "base": {"title": 1}, "set": {"title": "Van A"}})
    equal(res["status"], "applied", "A")
    res = b.one("request.update", {"id": rid, "base": {"title": 1, "description": 1},
                                   "set": {"title": "Van B", "description": "Nieuw van B"}})
    equal(res["status"], "conflict", "B conflicts")
    conflict = res["result"]["conflicts"][0]
    equal((conflict["field"], conflict["theirs"], conflict["yours"]), ("title", "Van A", "Van B"),
          "conflict record")
    r = request(servers[0], "GET", "/api/v1/objects/request/" + rid, token=tokens["buco"])
    equal((r.json["row"]["title"], r.json["row"]["description"]), ("Van A", "Nieuw van B"),
          "merged per field")
    _, conflicts, _ = b.pull_all()
    check(any(c["row"] == rid and c["field"] == "title" for c in conflicts), "pulled by B")
    _, conflicts, _ = Client(servers[0], tokens["buco"]).pull_all()
    check(not any(c["row"] == rid for c in conflicts), "not by A")
    # Status changes go through expect_state and the core's state machine.
    res = a.one("request.transition", {"id": rid, "expect_state": "in_behandeling",
                                       "to": "afgehandeld"})
    equal(res.get("code"), "INVALID_STATE", "stale expect_state")
    res = a.one("request.transition", {"id": rid, "expect_state": "nieuw", "to": "heropend"})
    equal(res.get("code"), "INVALID_STATE", "a step the machine forbids")
    res = a.one("request.transition", {"id": rid, "expect_state": "nieuw",
                                       "to": "reactie_gevraagd"})
    equal(res["result"]["state"], "reactie_gevraagd", "waits for the resident")
    row = request(servers[0], "GET", "/api/v1/objects/request/" + rid, token=tokens["buco"]).json
    check("paused_since" in row["row"], "the answer clock stops")
    res = a.one("request.transition", {"id": rid, "expect_state": "reactie_gevraagd",
                                       "to": "in_behandeling", "note": "Foto ontvangen"})
    equal(res["result"]["state"], "in_behandeling", "resumed")
    row = request(servers[0], "GET", "/api/v1/objects/request/" + rid, token=tokens["buco"]).json
    check("paused_since" not in row["row"], "the clock runs again")
    equal(psql_value("SELECT count(*) FROM objects WHERE type = 'note'"
                     " AND data->>'subject_id' = '%s' AND data->>'body' = 'Foto ontvangen'"
                     % rid), "1", "the note of the transition")


@test
def notes_last_writer_wins_and_keeps_the_losing_text():
    # Notes are edited by their author only: two of the author's devices.
    a = Client(servers[0], tokens["buco"])
    b = Client(servers[1], tokens["buco"])
    ini = make_initiative(a, "centrum")
    nid = new_id()
    a.one("note.create", {"id": nid, "subject_type": "initiative", "subject_id": ini,
                          "body": "eerste"})
    equal(a.one("note.update", {"id": nid, "base": {"body": 1}, "body": "van A"})["status"],
          "applied", "A")
    res = b.one("note.update", {"id": nid, "base": {"body": 1}, "body": "van B"})
    equal(res["status"], "conflict", "B overwrote unseen text")
    equal(res["result"]["conflicts"][0]["theirs"], "van A", "losing text kept")
    r = request(servers[0], "GET", "/api/v1/objects/note/" + nid, token=tokens["buco"])
    equal(r.json["row"]["body"], "van B", "last writer wins")


@test
def tombstones_are_pulled_and_old_cursors_get_a_reset_after_180_days():
    a = Client(servers[0], tokens["buco"])
    ini = make_initiative(a, "centrum")
    nid = new_id()
    a.one("note.create", {"id": nid, "subject_type": "initiative", "subject_id": ini,
                          "body": "weg"})
    reader = Client(servers[1], tokens["weth"])
    reader.pull_all()
    old_cursor = reader.cursor
    a.one("note.delete", {"id": nid})
    changes, _, _ = reader.pull_all()
    check(any(c["id"] == nid and c["op"] == "del" for c in changes), "del pulled")
    psql("UPDATE objects SET deleted_at = now() - interval '181 days' WHERE id = '%s'" % nid)
    r = run_admin("purge")
    check(r.returncode == 0 and "purged 1" in r.stdout, "purge: %s %s" % (r.stdout, r.stderr))
    reader.cursor = old_cursor
    r = request(servers[1], "GET", "/api/v1/sync/pull?cursor=" + urllib.parse.quote(old_cursor),
                token=tokens["weth"])
    equal(r.status, 200, "status")
    check(r.json["reset"] is not None and "centrum" in r.json["reset"]["wijken"], "reset")
    equal(r.json["reset"]["why"], "cursor_expired", "why")
    reader.cursor = r.json["cursor"]
    changes, _, _ = reader.pull_all()
    check(any(c["id"] == ini for c in changes), "refetched")
    check(not any(c["id"] == nid for c in changes), "purged tombstone gone")


@test
def purge_drops_old_results_sessions_and_failures_never_audit():
    def results_of(client):
        return psql_value("SELECT string_agg(mid::text, ',' ORDER BY mid) FROM mutation_results"
                          " WHERE client_id = '%s'" % client.client_id)

    def note(client):
        return ("note.create", {"id": new_id(), "subject_type": "initiative",
                                "subject_id": ini, "body": "retention"})

    c = Client(servers[0], tokens["buco"])
    ini = make_initiative(c, "centrum")                   # mid 1
    first = c.push(note(c), note(c), note(c))             # mids 2, 3, 4
    d = Client(servers[1], tokens["weth"])
    d.push(note(d), note(d))                              # mids 1, 2
    # 180 days is the boundary: 181 days old goes, 179 days stays, and a
    # client's last result stays however old it is.
    psql("UPDATE mutation_results SET at = now() - interval '181 days'"
         " WHERE client_id = '%s' AND mid <= 2" % c.client_id)
    psql("UPDATE mutation_results SET at = now() - interval '179 days'"
         " WHERE client_id = '%s' AND mid = 3" % c.client_id)
    psql("UPDATE mutation_results SET at = now() - interval '400 days'"
         " WHERE client_id = '%s'" % d.client_id)

    old, recent = token_for(servers[0], "teammanager"), token_for(servers[0], "teammanager")
    for token, ago in ((old, "25 hours"), (recent, "23 hours")):
        psql("UPDATE sessions SET expires_at = now() - interval '%s'"
             " WHERE token_hash = decode('%s', 'hex')"
             % (ago, hashlib.sha256(token.encode()).hexdigest()))
    psql("INSERT INTO login_counters (user_id, address, window_start, attempts) VALUES"
         " (0, 'purge-old', now() - interval '25 hours', 3),"
         " (0, 'purge-new', now() - interval '23 hours', 3)")
    audit_before = psql_value("SELECT count(*), max(id) FROM audit")

    r = run_admin("purge")
    check(r.returncode == 0 and "mutation results" in r.stdout,
          "purge: %s %s" % (r.stdout, r.stderr))
    equal(results_of(c), "3,4", "results of c")
    equal(results_of(d), "2", "the last result of d")
    equal(psql_value("SELECT count(*) FROM sessions WHERE token_hash IN (decode('%s', 'hex'),"
                     " decode('%s', 'hex'))" % (hashlib.sha256(old.encode()).hexdigest(),
                                                hashlib.sha256(recent.encode()).hexdigest())),
          "1", "a session expired more than a day ago goes, a younger one stays")
    equal(psql_value("SELECT string_agg(address, ',') FROM login_counters"
                     " WHERE address LIKE 'purge-%'"), "purge-new", "login counters")
    equal(psql_value("SELECT count(*), max(id) FROM audit WHERE id <= %s"
                     % audit_before.split("|")[1]), audit_before, "the audit log is untouched")

    # A replay of a purged result says so; a kept one is returned as it was.
    body = {"client_id": c.client_id, "schema": 1, "mutations": [
        {"mid": 2, "name": "note.create", "args": {"id": new_id(), "subject_type": "initiative",
                                                   "subject_id": ini, "body": "x"}},
        {"mid": 3, "name": "note.create", "args": {"id": new_id(), "subject_type": "initiative",
                                                   "subject_id": ini, "body": "x"}}]}
    r = request(servers[0], "POST", "/api/v1/sync/push", body, token=c.token)
    equal(r.status, 200, "replay")
    equal((r.json["results"][0]["status"], r.json["results"][0]["code"]),
          ("rejected", "EXPIRED"), "purged result")
    equal(r.json["results"][1], first[1], "kept result")


@test
def pages_never_split_a_transaction_and_parents_come_first():
    c = Client(servers[0], tokens["buco"])
    # One transaction: an initiative and its commitment, and a second one.
    for _ in range(4):
        ini = new_id()
        c.push(("commitment.create", {"id": new_id(), "initiative_id": ini, "amount_cents": 100,
                                      "funding": "wijkbudget", "year": 2023}),
               ("initiative.create", {"id": ini, "wijk": "noordwest", "title": "P"}),
               ("commitment.create", {"id": new_id(), "initiative_id": ini, "amount_cents": 100,
                                      "funding": "wijkbudget", "year": 2023}))
    reader = Client(servers[1], tokens["buco"])
    changes, _, pages = reader.pull_all(limit=3)
    check(pages > 2, "several pages")
    seen = set()
    by_seq = {}
    for ch in changes:
        by_seq.setdefault((ch["wijk"], ch["seq"]), []).append(ch)
        if ch["type"] == "commitment":
            check(ch["row"]["initiative_id"] in seen, "parent before child")
        seen.add(ch["id"])
    # Replay the paging: every page holds whole transactions.
    q_cursor = None
    reader2_changes = []
    while True:
        q = "limit=2" + ("&cursor=" + urllib.parse.quote(q_cursor) if q_cursor else "")
        r = request(servers[1], "GET", "/api/v1/sync/pull?" + q, token=tokens["buco"])
        reader2_changes += r.json["changes"]
        page_keys = {}
        for ch in r.json["changes"]:
            page_keys.setdefault((ch["wijk"], ch["seq"]), 0)
            page_keys[(ch["wijk"], ch["seq"])] += 1
        for key, n in page_keys.items():
            equal(n, len(by_seq[key]), "transaction %r whole in its page" % (key,))
        q_cursor = r.json["cursor"]
        if not r.json["more"]:
            break
    equal(sorted(c["id"] for c in changes if c["wijk"] == "noordwest"),
          sorted(c["id"] for c in reader2_changes if c["wijk"] == "noordwest"),
          "small pages deliver the same changes")


def pull_pages(server, token, limit):
    """Every page of a sync from nothing, as the server sends them."""
    pages, cursor = [], None
    while True:
        q = "limit=%d" % limit + ("&cursor=" + urllib.parse.quote(cursor) if cursor else "")
        r = request(server, "GET", "/api/v1/sync/pull?" + q, token=token)
        equal(r.status, 200, "pull status (%s)" % r.raw[:300])
        check(r.json["reset"] is None, "unexpected reset %r" % r.json["reset"])
        pages.append(r.json)
        cursor = r.json["cursor"]
        if not r.json["more"]:
            return pages
        check(len(pages) < 1000, "pull does not end")


@test
def a_first_pull_says_how_many_changes_come_and_pages_fill_across_scopes():
    buco = Client(servers[0], tokens["buco"])
    # Transactions in several scopes: five rows each, and one of two rows
    # that touches two wijken.
    for wijk in ("centrum", "zuid", "noordwest"):
        for _ in range(2):
            buco.push(*[("initiative.create", {"id": new_id(), "wijk": wijk, "title": "T%d" % i})
                        for i in range(5)])
    buco.push(("initiative.create", {"id": new_id(), "wijk": "zuid", "title": "Twee"}),
              ("initiative.create", {"id": new_id(), "wijk": "centrum", "title": "Wijken"}))

    for name, limits in (("buco", (1000, 7, 5, 1)), ("wethouder", (1000, 9)),
                         ("politie", (1000, 1))):
        whole = None
        for limit in limits:
            pages = pull_pages(servers[1], tokens[name], limit)
            changes = [c for page in pages for c in page["changes"]]
            check(len(changes) > 0, "%s pulls something" % name)
            total = pages[0].get("total")
            check(isinstance(total, int) and not isinstance(total, bool),
                  "%s: total on the first page: %r" % (name, total))
            equal(total, len(changes), "%s, limit %d: total = changes delivered" % (name, limit))
            for n, page in enumerate(pages[1:], 2):
                check("total" not in page, "%s: no total on page %d" % (name, n))
            # A page holds at most limit rows, unless it is one transaction.
            for page in pages:
                keys = {(c["wijk"], c["seq"]) for c in page["changes"]}
                check(len(page["changes"]) <= limit or len(keys) == 1,
                      "%s, limit %d: a page of %d rows" % (name, limit, len(page["changes"])))
            # Small pages deliver the same rows in the same order as one page.
            seen = [(c["wijk"], c["seq"], c["type"], c["id"]) for c in changes]
            equal(len(set(seen)), len(seen), "%s: no row twice" % name)
            if whole is None:
                whole = seen
            else:
                equal(seen, whole, "%s: limit %d delivers what limit %d does"
                      % (name, limit, limits[0]))

    # A pull with a cursor has no total, also when there is nothing new.
    pages = pull_pages(servers[1], tokens["buco"], 1000)
    r = request(servers[1], "GET", "/api/v1/sync/pull?cursor=" +
                urllib.parse.quote(pages[-1]["cursor"]), token=tokens["buco"])
    equal((r.status, r.json["changes"]), (200, []), "up to date")
    check("total" not in r.json, "no total with a cursor")

    # Nothing to see: total 0, from the first pull of a session and from a
    # later one (which the server may answer from its session cache).
    pwfile = "/tmp/%s-total.pw" % DB_NAME
    with open(pwfile, "w") as f:
        f.write(PASSWORD + "\n")
    try:
        r = run_admin("user", "add", "--username", "lege_partner", "--password-file", pwfile,
                      "--role", "partner", "--wijk", "hilversumse_meent")
        check(r.returncode == 0, "user add: " + r.stderr)
    finally:
        os.unlink(pwfile)
    t = token_for(servers[1], "lege_partner")
    answers = [request(servers[1], "GET", "/api/v1/sync/pull", token=t) for _ in range(3)]
    for r in answers:
        equal((r.status, r.json["changes"], r.json["more"], r.json.get("total")),
              (200, [], False, 0), "nothing to pull")
    equal(len({r.raw for r in answers}), 1, "the same answer every time")


@test
def a_pull_can_leave_out_the_field_versions():
    def pages_of(extra):
        pages, cursor = [], None
        while True:
            q = "limit=7" + extra + ("&cursor=" + urllib.parse.quote(cursor) if cursor else "")
            r = request(servers[0], "GET", "/api/v1/sync/pull?" + q, token=tokens["buco"])
            equal(r.status, 200, "pull status (%s)" % r.raw[:300])
            pages.append(r.json)
            cursor = r.json["cursor"]
            if not r.json["more"]:
                return pages
    full = [c for p in pages_of("") for c in p["changes"]]
    lean = [c for p in pages_of("&versions=false") for c in p["changes"]]
    puts = [c for c in full if c["op"] == "put"]
    check(len(puts) > 0 and all(isinstance(c.get("versions"), dict) for c in puts),
          "by default every put has its field versions")
    check(all("versions" not in c for c in lean), "versions=false: none")
    equal(lean, [{k: v for k, v in c.items() if k != "versions"} for c in full],
          "otherwise the same changes")
    # Each page that has a next one names it in a Link header (RFC 8288),
    # the same address a client would build from the page's cursor; the
    # last page has none.
    for extra in ("", "&versions=false"):
        path, n = "/api/v1/sync/pull?limit=7" + extra, 0
        while True:
            r = request(servers[0], "GET", path, token=tokens["buco"])
            equal(r.status, 200, "pull")
            link = {k.lower(): v for k, v in r.headers.items()}.get("link")
            n += 1
            if not r.json["more"]:
                equal(link, None, "no Link on the last page")
                break
            path = "/api/v1/sync/pull?cursor=%s&limit=7%s" % (
                urllib.parse.quote(r.json["cursor"], safe=""), extra)
            equal(link, '<%s>; rel="next"' % path, "the Link names the next page")
        check(n > 2, "several pages (%d)" % n)
    # A wrong value is refused, also for a pull that has nothing new (the
    # server answers those on a shorter path).
    up_to_date = pages_of("")[-1]["cursor"]
    for q in ("versions=maybe", "versions=", "cursor=%s&versions=0" % urllib.parse.quote(up_to_date)):
        r = request(servers[0], "GET", "/api/v1/sync/pull?" + q, token=tokens["buco"])
        equal((r.status, r.json["error"]["code"]), (422, "VALIDATION"), q)


@test
def every_mutation_of_the_core_has_a_server_side():
    s = servers[0]
    buco = Client(s, tokens["buco"])
    tm = Client(s, tokens["teammanager"])
    wb = Client(s, tokens["wethouder"])
    ini = make_initiative(buco, "zuid")
    rid = new_id()
    transfer = new_id()
    carry = new_id()
    meeting = new_id()
    item = new_id()
    action = new_id()
    cid = new_id()
    steps = [
        (buco, "request.create", {"id": rid, "wijk": "zuid", "type": "idee", "title": "Bankje",
                                  "received_at": "2021-06-01T10:00:00Z"}),
        (buco, "request.update", {"id": rid, "base": {"category": 0}, "set": {"category": "groen"}}),
        (buco, "request.assign", {"id": rid, "assignee": "buco"}),
        (buco, "request.transition", {"id": rid, "expect_state": "nieuw", "to": "in_behandeling"}),
        (buco, "initiative.update", {"id": ini, "base": {"crit_support": 1, "support_note": 0},
                                     "set": {"crit_support": "yes", "support_note": "30 handtekeningen"}}),
        (buco, "initiative.transition", {"id": ini, "expect_state": "idee", "to": "ingediend"}),
        (buco, "commitment.create", {"id": cid, "initiative_id": ini, "amount_cents": 1000,
                                     "funding": "handgeld", "year": 2021}),
        (buco, "commitment.sign", {"id": cid}),
        # The signature recorded the grant; a referral of the rest is recorded
        # by hand (a grant beyond the approved money is refused).
        (buco, "decision.record", {"id": new_id(), "initiative_id": ini,
                                   "outcome": "doorverwezen", "reason": "De rest: Oranjefonds"}),
        (buco, "payment.record", {"id": new_id(), "commitment_id": cid, "amount_cents": 600,
                                  "paid_on": "2021-06-02"}),
        (tm, "budget.transfer", {"id": transfer, "year": 2021, "from_wijk": "oost",
                                 "to_wijk": "zuid", "amount_cents": 100000, "reason": "Halfjaar",
                                 "decision_ref": "B&W 2021/123", "decision_date": "2021-06-01"}),
        (wb, "budget.confirm", {"id": transfer}),
        (tm, "budget.carry_over", {"id": carry, "wijk": "zuid", "from_year": 2021,
                                   "amount_cents": 50000, "reason": "Restant",
                                   "decision_ref": "B&W 2021/124", "decision_date": "2021-06-01"}),
        (wb, "budget.confirm", {"id": carry}),
        (buco, "escalation.open", {"id": new_id(), "wijk": "zuid", "subject_type": "request",
                                   "subject_id": rid, "level": "sturingsoverleg",
                                   "reason": "Blijft liggen"}),
        (buco, "meeting.create", {"id": meeting, "kind": "wijkoverleg", "wijk": "zuid",
                                  "starts_at": "2021-06-10T09:00:00Z"}),
        (buco, "meeting.update", {"id": meeting, "base": {"location": 0},
                                  "set": {"location": "Raadhuis"}}),
        (buco, "agenda_item.add", {"id": item, "meeting_id": meeting, "title": "Bankje",
                                   "subject_type": "request", "subject_id": rid}),
        (buco, "agenda_item.update", {"id": item, "base": {"position": 1}, "set": {"position": 2}}),
        (buco, "action.create", {"id": action, "meeting_id": meeting, "owner": "buco",
                                 "title": "Offerte"}),
        (buco, "action.complete", {"id": action}),
        (buco, "agenda_item.remove", {"id": item}),
        (buco, "theme.create", {"id": new_id(), "wijk": "zuid", "year": 2021, "title": "Groen"}),
    ]
    for client, name, args in steps:
        res = client.one(name, args)
        equal(res["status"], "applied", "%s: %r" % (name, res))
    res = buco.one("payment.record", {"id": new_id(), "commitment_id": cid, "amount_cents": 401,
                                      "paid_on": "2021-06-03"})
    equal(res["status"], "rejected", "more than committed")
    res = buco.one("commitment.cancel", {"id": cid, "reason": "x"})
    equal(res.get("code"), "INVALID_STATE", "paid commitments stay")
    res = buco.one("budget.transfer", {"id": new_id(), "year": 2021, "from_wijk": "oost",
                                       "to_wijk": "zuid", "amount_cents": 1, "reason": "x",
                                       "decision_ref": "B&W 2021/125",
                                       "decision_date": "2021-06-01"})
    equal(res.get("code"), "FORBIDDEN", "a buco moves no budget")
    r = request(s, "GET", "/api/v1/public/thermometer?year=2021")
    zuid = [w for w in r.json["wijken"] if w["id"] == "zuid"][0]
    equal(zuid["budget_cents"], 6175000 + 100000 - 50000, "transfer and carry-over count")
    check(zuid["spent_cents"] >= 600, "payment counts")


@test
def rejections_carry_the_rule_and_its_facts():
    # The app words a refusal from code and args (core's refusal rules);
    # the server's own refusals of scope, existence and state carry them
    # too. Issue 12's money and authority rules: test-authority.py.
    buco = Client(servers[0], tokens["buco"])
    oost = Client(servers[1], tokens["buco_oost"])
    ini = make_initiative(buco, "centrum")
    res = buco.one("initiative.transition", {"id": ini, "expect_state": "getoetst",
                                             "to": "ingediend"})
    equal((res["status"], res["code"], res.get("args")),
          ("rejected", "INVALID_STATE", {"rule": "state.changed", "expected": "getoetst",
                                         "actual": "idee", "machine": "initiative"}),
          "someone changed it first")
    rid = new_id()
    equal(buco.one("request.create", {"id": rid, "wijk": "centrum", "type": "vraag",
                                      "title": "Waar?",
                                      "received_at": "2021-03-01T09:00:00Z"})["status"],
          "applied", "request")
    res = buco.one("request.transition", {"id": rid, "expect_state": "nieuw", "to": "heropend"})
    equal((res["code"], res.get("args")),
          ("INVALID_STATE", {"rule": "state.transition", "machine": "request",
                             "from": "nieuw", "to": "heropend"}), "not in the machine's table")
    res = oost.one("initiative.update", {"id": ini, "base": {"title": 1},
                                         "set": {"title": "Van Oost"}})
    equal((res["code"], res.get("args")),
          ("FORBIDDEN", {"rule": "scope.forbidden", "scope": "centrum"}), "another wijk")
    res = buco.one("commitment.sign", {"id": new_id()})
    equal((res["code"], res.get("args")),
          ("NOT_FOUND", {"rule": "not_found", "type": "commitment"}), "no such commitment")
    sign_mid = buco.mid
    res = buco.one("budget.confirm", {"id": ini})
    equal((res["code"], res.get("args", {}).get("rule")), ("NOT_FOUND", "not_found"),
          "budget.confirm names a move, not an initiative")
    res = buco.one("initiative.create", {"id": new_id(), "wijk": "centrum", "title": 42})
    check(res["code"] == "VALIDATION" and "args" not in res, "a malformed member: %r" % res)
    res = buco.one("initiative.explode", {"id": new_id()})
    check(res["code"] == "UNKNOWN_MUTATION" and "args" not in res, "unknown: %r" % res)
    # Replayed, a rejection answers the same, args included.
    body = {"client_id": buco.client_id, "schema": 1, "mutations": [
        {"mid": sign_mid, "name": "commitment.sign", "args": {"id": new_id()}}]}
    r = request(servers[1], "POST", "/api/v1/sync/push", body, token=tokens["buco"])
    equal(r.json["results"][0].get("args"), {"rule": "not_found", "type": "commitment"},
          "stored with its args")
    equal(psql_value("SELECT to_regclass('objects_initiative_commitments') IS NOT NULL"), "t",
          "the initiative's commitments are found by an index")


@test
def audit_is_append_only_for_the_server_role():
    check(int(psql_value("SELECT count(*) FROM audit WHERE action = 'login' AND result = 'ok'"))
          > 0, "logins audited")
    check(int(psql_value("SELECT count(*) FROM audit WHERE action LIKE 'push:%'")) > 0,
          "mutations audited")
    r = psql("SET ROLE buurten_app; UPDATE audit SET result = 'x'", check_rc=False)
    check(r.returncode != 0 and "permission denied" in r.stderr, "no UPDATE: " + r.stderr)
    r = psql("SET ROLE buurten_app; DELETE FROM audit", check_rc=False)
    check(r.returncode != 0 and "permission denied" in r.stderr, "no DELETE: " + r.stderr)
    # Rows are appended through buurten_audit() only (the hash chain).
    r = psql("SET ROLE buurten_app; INSERT INTO audit (action, result) VALUES ('t', 't')",
             check_rc=False)
    check(r.returncode != 0 and "permission denied" in r.stderr, "no INSERT: " + r.stderr)
    r = psql("UPDATE audit SET result = 'x'", check_rc=False)
    check(r.returncode != 0 and "append-only" in r.stderr, "not even the owner: " + r.stderr)
    equal(psql_value("SELECT has_table_privilege('buurten_app', 'audit', 'UPDATE'),"
                     " has_table_privilege('buurten_app', 'audit', 'DELETE'),"
                     " has_table_privilege('buurten_app', 'audit', 'TRUNCATE'),"
                     " has_table_privilege('buurten_app', 'audit', 'INSERT'),"
                     " has_function_privilege('buurten_app',"
                     "  'buurten_audit(text, text, text, text, text)', 'EXECUTE')"), "f|f|f|f|t",
          "privileges of the runtime role")
    # The servers run as that role: a server started with a role that
    # does not exist refuses to start.
    r = subprocess.run([SERVER, "--db", conninfo(DB_NAME), "--listen", "127.0.0.1:0",
                        "--db-role", "no_such_role"], capture_output=True, text=True, env=SERVER_ENV, timeout=60)
    check(r.returncode != 0 and "no_such_role" in r.stderr, "role switch: " + r.stderr)


@test
def refuses_unmigrated_and_newer_schemas():
    scratch = DB_NAME + "_scratch"
    psql("CREATE DATABASE %s" % scratch, dbname="postgres")
    try:
        r = subprocess.run([SERVER, "--db", conninfo(scratch), "--listen", "127.0.0.1:0"],
                           capture_output=True, text=True, env=SERVER_ENV, timeout=60)
        check(r.returncode != 0 and "not migrated" in r.stderr, "unmigrated: " + r.stderr)
        r = run_admin("migrate", dbname=scratch)
        equal(r.returncode, 0, "migrate")
        r = run_admin("migrate", dbname=scratch)
        check(r.returncode == 0 and "applied" not in r.stdout, "idempotent")
        pw = run_admin("user", "add", "--username", "kort", "--role", "admin",
                       "--password-file", "-", dbname=scratch, stdin="elf tekens!\n")
        check(pw.returncode != 0 and "12" in pw.stderr, "short password: " + pw.stderr)
        pw = run_admin("user", "add", "--username", "lang", "--role", "admin",
                       "--password-file", "-", dbname=scratch, stdin="twaalf tekens\n")
        equal(pw.returncode, 0, "12 characters: " + pw.stderr)
        psql("INSERT INTO schema_migrations (version) VALUES (99)", dbname=scratch)
        r = subprocess.run([SERVER, "--db", conninfo(scratch), "--listen", "127.0.0.1:0"],
                           capture_output=True, text=True, env=SERVER_ENV, timeout=60)
        check(r.returncode != 0 and "newer" in r.stderr and "99" in r.stderr,
              "newer: " + r.stderr)
    finally:
        psql("DROP DATABASE IF EXISTS %s WITH (FORCE)" % scratch, dbname="postgres",
             check_rc=False)


@test
def sigterm_finishes_requests_in_flight():
    for attempt in range(3):
        s = Server()
        t = tokens["buco"]
        c = Client(s, t)
        body = {"client_id": c.client_id, "schema": 1, "mutations": [
            {"mid": i + 1, "name": "request.create",
             "args": {"id": new_id(), "wijk": "centrum", "type": "vraag", "title": "Q%d" % i,
                      "received_at": "2021-05-01T10:00:00Z"}} for i in range(1000)]}
        outcome = {}

        def push():
            outcome["r"] = request(s, "POST", "/api/v1/sync/push", body, token=t)

        th = threading.Thread(target=push)
        th.start()
        writing = wait_for_write_transaction(th)
        s.proc.send_signal(signal.SIGTERM)
        th.join()
        rc = s.proc.wait(timeout=60)
        if not writing:
            diag("attempt %d: the push finished before SIGTERM; again" % attempt)
            continue
        equal(outcome["r"].status, 200, "the push in flight was answered")
        equal(outcome["r"].json["last_mid"], 1000, "all of it")
        equal(rc, 0, "clean exit:\n" + s.output()[-3000:])
        check("stopping: finishing 1 requests in flight" in s.output(), "drained")
        return
    raise Check("could not signal the server during a push in 3 attempts")


def listening_sockets(pid, port):
    """The listening TCP sockets of process pid on 127.0.0.1:port."""
    inodes = set()
    with open("/proc/net/tcp") as f:
        for line in f.readlines()[1:]:
            fields = line.split()
            if fields[1] == "0100007F:%04X" % port and fields[3] == "0A":
                inodes.add(fields[9])
    fd_dir = "/proc/%d/fd" % pid
    owned = set()
    for fd in os.listdir(fd_dir):
        try:
            target = os.readlink(os.path.join(fd_dir, fd))
        except OSError:
            continue
        m = re.match(r"socket:\[(\d+)\]$", target)
        if m and m.group(1) in inodes:
            owned.add(m.group(1))
    return len(inodes), len(owned)


def http_thread_wakeups(pid):
    """Voluntary context switches of each HTTP thread, by thread name."""
    counts = {}
    task_dir = "/proc/%d/task" % pid
    for tid in os.listdir(task_dir):
        try:
            with open(os.path.join(task_dir, tid, "comm")) as f:
                name = f.read().strip()
            if not name.startswith("buurten-http-"):
                continue
            with open(os.path.join(task_dir, tid, "status")) as f:
                for line in f:
                    if line.startswith("voluntary_ctxt_switches:"):
                        counts[name] = int(line.split()[1])
        except OSError:
            continue
    return counts


@test
def http_threads_share_the_port_and_all_serve():
    s = Server("--http-threads", "3")
    try:
        # Port 0: the first thread's socket picked the port, the others
        # bound to the same one, and no other process listens there.
        equal(listening_sockets(s.proc.pid, s.port), (3, 3), "listening sockets (all, ours)")
        before = http_thread_wakeups(s.proc.pid)
        equal(sorted(before), ["buurten-http-0", "buurten-http-1", "buurten-http-2"],
              "HTTP threads")

        # The kernel spreads connections over the sockets: with 30 of
        # them, every thread gets some (all on two of three threads: one
        # time in 60 000).
        token = tokens["buco"]

        def client(n):
            conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=30)
            statuses = []
            for _ in range(20):
                conn.request("GET", "/api/v1/sync/pull?limit=1",
                             headers={"Authorization": "Bearer " + token})
                resp = conn.getresponse()
                resp.read()
                statuses.append(resp.status)
            conn.close()
            return statuses

        with concurrent.futures.ThreadPoolExecutor(30) as pool:
            statuses = [st for sts in pool.map(client, range(30)) for st in sts]
        equal(set(statuses), {200}, "statuses")
        after = http_thread_wakeups(s.proc.pid)
        woken = {name: after[name] - before[name] for name in before}
        check(all(n >= 10 for n in woken.values()), "every HTTP thread served: %r" % woken)

        # Another server on the same address and port is refused, as
        # without SO_REUSEPORT, instead of sharing the port.
        r = subprocess.run([SERVER, "--db", conninfo(DB_NAME), "--listen",
                            "127.0.0.1:%d" % s.port], capture_output=True, text=True, env=SERVER_ENV,
                           timeout=60)
        check(r.returncode != 0 and "in use" in r.stderr, "second server: " + r.stderr)
        equal(request(s, "GET", "/api/v1/health").status, 200, "still serving")
    finally:
        equal(s.stop(), 0, "clean exit:\n" + s.output()[-3000:])


@test
def sigterm_finishes_requests_in_flight_on_every_http_thread():
    # Six pushes on six connections (spread over the three threads by the
    # kernel) wait for a lock the test holds, so all are in flight when
    # SIGTERM comes; the server finishes them all once the lock goes.
    s = Server("--http-threads", "3", "--pool-size", "8")
    lock = subprocess.Popen(["psql", "-X", "-q", conninfo(DB_NAME)], stdin=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)
    try:
        lock.stdin.write("BEGIN; LOCK TABLE change_clocks IN EXCLUSIVE MODE;\n")
        lock.stdin.flush()
        deadline = time.time() + 30
        while time.time() < deadline and psql_value(
                "SELECT count(*) FROM pg_locks WHERE relation = 'change_clocks'::regclass"
                " AND mode = 'ExclusiveLock' AND granted") != "1":
            time.sleep(0.01)
        outcomes = [None] * 6

        def push(n):
            c = Client(s, tokens["buco"])
            outcomes[n] = c.push(("request.create", {
                "id": new_id(), "wijk": "centrum", "type": "vraag", "title": "T%d" % n,
                "received_at": "2021-05-01T10:00:00Z"}))

        threads = [threading.Thread(target=push, args=(n,)) for n in range(6)]
        for th in threads:
            th.start()
        deadline = time.time() + 30
        while time.time() < deadline and psql_value(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = '%s'"
                " AND application_name = 'buurten-server' AND wait_event_type = 'Lock'"
                % DB_NAME) != "6":
            time.sleep(0.01)
        s.proc.send_signal(signal.SIGTERM)
        deadline = time.time() + 30
        while time.time() < deadline and "stopping:" not in s.output():
            time.sleep(0.01)
        check("stopping: finishing 6 requests in flight" in s.output(),
              "six in flight:\n" + s.output()[-2000:])
    finally:
        lock.stdin.write("COMMIT;\n")
        lock.stdin.close()
        lock.wait(timeout=60)
    for th in threads:
        th.join(60)
    for n, results in enumerate(outcomes):
        check(results is not None and results[0]["status"] == "applied",
              "push %d answered: %r" % (n, results))
    equal(s.stop(), 0, "clean exit:\n" + s.output()[-3000:])


@test
def a_revoked_session_stops_at_once_on_every_server():
    t = token_for(servers[0], "weth")
    c = Client(servers[1], t)
    c.pull_all()                       # server 1 now knows the session
    equal(request(servers[0], "DELETE", "/api/v1/session", token=t).status, 200, "logout")
    r = request(servers[1], "GET", "/api/v1/sync/pull", token=t)
    equal((r.status, r.code), (401, "UNAUTHORIZED"), "pull on the other server")
    r = request(servers[1], "GET", "/api/v1/sync/pull?limit=0", token=t)
    equal(r.status, 401, "even with a bad limit")


@test
def many_pulls_at_once_get_their_own_answers_and_a_logout_stops_at_once():
    # Up-to-date pulls of one main loop iteration share a pipelined round
    # trip to PostgreSQL: every answer must still be its own request's.
    users = ["buco", "buco_oost", "politie", "wethouder", "dual"]
    expected = {}
    for name in users:
        c = Client(servers[0], token_for(servers[0], name))
        c.pull_all()
        r = request(servers[1], "GET", "/api/v1/sync/pull?cursor=" +
                    urllib.parse.quote(c.cursor), token=c.token)
        equal((r.status, r.json["changes"], r.json["cursor"]), (200, [], c.cursor),
              "%s is up to date" % name)
        expected[name] = (c.token, c.cursor, r.raw)
    check(len({v[2] for v in expected.values()}) == len(users), "every user's answer differs")

    # The same cursor written as other JSON (spaces, another order) is the
    # same cursor.
    token, cursor, body = expected["buco"]
    raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    odd = base64.urlsafe_b64encode(json.dumps({"b": raw["b"], "p": raw["p"], "v": 1},
                                              indent=1).encode()).decode().rstrip("=")
    r = request(servers[0], "GET", "/api/v1/sync/pull?cursor=" + odd, token=token)
    equal((r.status, r.raw), (200, body), "a cursor in other JSON")

    victim = "dual"
    stop = threading.Event()
    logout_done = [None]
    records = []
    lock = threading.Lock()

    def worker(n):
        name = users[n % len(users)]
        token, cursor, body = expected[name]
        conns = [http.client.HTTPConnection("127.0.0.1", s.port, timeout=60) for s in servers]
        path = "/api/v1/sync/pull?cursor=" + urllib.parse.quote(cursor)
        i = 0
        while not stop.is_set() and i < 5000:
            conn = conns[i % 2]
            i += 1
            started = time.monotonic()
            conn.request("GET", path, headers={"Authorization": "Bearer " + token})
            resp = conn.getresponse()
            data = resp.read()
            with lock:
                records.append((name, started, time.monotonic(), resp.status, data == body))
        for conn in conns:
            conn.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(20)]
    def wait_for(condition):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with lock:
                if condition():
                    return
            time.sleep(0.02)

    for th in threads:
        th.start()
    wait_for(lambda: len(records) >= 300)
    equal(request(servers[0], "DELETE", "/api/v1/session", token=expected[victim][0]).status,
          200, "logout")
    logout_done[0] = time.monotonic()
    wait_for(lambda: sum(1 for r in records if r[0] == victim and r[1] > logout_done[0]) >= 40)
    stop.set()
    for th in threads:
        th.join(120)

    check(len(records) >= 300, "pulls made: %d" % len(records))
    for name, started, finished, status, same in records:
        if name != victim:
            check(status == 200 and same, "%s got another answer (%d)" % (name, status))
        elif started > logout_done[0]:
            equal(status, 401, "%s after the logout" % name)
        elif status == 200:
            check(same, "%s got another answer before the logout" % name)
    check(any(n == victim and st > logout_done[0] for n, st, _, _, _ in records),
          "pulls after the logout were made")


@test
def a_role_taken_away_is_seen_by_the_next_pull():
    t = token_for(servers[1], "weth")
    c = Client(servers[1], t)
    changes, _, _ = c.pull_all()
    check(any(ch["wijk"] == "noordwest" for ch in changes), "weth sees noordwest")
    uid = psql_value("SELECT id FROM users WHERE username = 'weth'")
    psql("DELETE FROM user_roles WHERE user_id = %s AND wijk = 'noordwest'" % uid)
    try:
        r = request(servers[1], "GET", "/api/v1/sync/pull?cursor=" + urllib.parse.quote(c.cursor),
                    token=t)
        equal(r.status, 200, "status")
        check(r.json["reset"] is not None and r.json["reset"]["wijken"] == ["noordwest"],
              "reset: %r" % r.json["reset"])
        equal(r.json["reset"]["why"], "revoked", "why")
        c.cursor = r.json["cursor"]
        changes, _, _ = c.pull_all()
        check(not any(ch["wijk"] == "noordwest" for ch in changes), "noordwest gone")
    finally:
        psql("INSERT INTO user_roles (user_id, role, wijk) VALUES (%s, 'wijkwethouder',"
             " 'noordwest')" % uid)


@test
def blobs_are_stored_by_their_sha256():
    s = servers[0]
    data = b"\x89PNG\r\n\x1a\n" + os.urandom(2000)
    digest = hashlib.sha256(data).hexdigest()
    path = "/api/v1/blobs/" + digest
    equal(request(s, "PUT", path, data, content_type="image/png").status, 401, "login first")
    r = request(s, "PUT", path + "?wijk=centrum", data, token=tokens["buco"],
                content_type="image/png")
    equal(r.status, 201, "stored")
    equal(r.json, {"sha256": digest, "size": len(data)}, "answer")
    r = request(s, "PUT", "/api/v1/blobs/" + "0" * 64, data, token=tokens["buco"],
                content_type="image/png")
    equal((r.status, r.code), (422, "VALIDATION"), "hash mismatch")
    r = request(s, "PUT", path, data, token=tokens["buco"], content_type="text/html")
    equal((r.status, r.code), (415, "UNSUPPORTED_MEDIA_TYPE"), "type")
    r = request(servers[1], "GET", path, token=tokens["weth"])
    equal((r.status, r.raw, r.headers.get("Content-Type")), (200, data, "image/png"),
          "read back by staff of centrum")
    equal(request(s, "GET", path, token=tokens["wethouder"]).status, 200, "city-wide staff")
    equal(request(s, "GET", "/api/v1/blobs/" + "1" * 64, token=tokens["buco"]).status, 404,
          "unknown")
    equal(psql_value("SELECT count(*) FROM blob_refs r JOIN users u ON u.id = r.user_id"
                     " WHERE r.sha256 = '%s' AND u.username = 'buco' AND r.wijk = 'centrum'"
                     % digest), "1", "the uploader and the wijk are recorded")


@test
def blobs_are_read_by_their_wijk_and_uploaders_only():
    s = servers[0]
    data = b"%PDF-1.4\n" + os.urandom(1000)
    digest = hashlib.sha256(data).hexdigest()
    path = "/api/v1/blobs/" + digest

    def audited(actor, action, result):
        return psql_value("SELECT count(*) FROM audit WHERE actor = '%s' AND action = '%s'"
                          " AND object LIKE '%s%%' AND result = '%s'"
                          % (actor, action, digest, result))

    r = request(s, "PUT", path + "?wijk=centrum", data, token=tokens["politie"],
                content_type="application/pdf")
    equal((r.status, r.code), (403, "FORBIDDEN"), "partners do not store")
    equal(audited("politie", "blob.put", "forbidden"), "1", "audit of the partner's put")
    r = request(s, "PUT", path + "?wijk=centrum", data, token=tokens["buco_oost"],
                content_type="application/pdf")
    equal((r.status, r.code), (403, "FORBIDDEN"), "not for another wijk")
    equal(audited("buco_oost", "blob.put", "forbidden:wijk"), "1", "audit of the put")
    r = request(s, "PUT", path + "?wijk=nergens", data, token=tokens["buco"],
                content_type="application/pdf")
    equal((r.status, r.code), (422, "VALIDATION"), "unknown wijk")

    # Stored for zuid by its coordinator: zuid's staff read it, oost's not.
    r = request(s, "PUT", path + "?wijk=zuid", data, token=tokens["buco"],
                content_type="application/pdf")
    equal(r.status, 201, "stored for zuid")
    equal(request(servers[1], "GET", path, token=tokens["weth"]).status, 200, "zuid's wethouder")
    equal(request(s, "GET", path, token=tokens["teammanager"]).status, 200, "city-wide staff")
    # A blob one may not read answers as one that is not there.
    r = request(servers[1], "GET", path, token=tokens["buco_oost"])
    equal((r.status, r.code), (404, "NOT_FOUND"), "oost")
    check(data not in r.raw, "no bytes in the refusal")
    equal(audited("buco_oost", "blob.get", "forbidden"), "1", "audit of the refused read")
    r = request(s, "GET", path, token=tokens["weth_zuidwest"])
    equal((r.status, r.code), (404, "NOT_FOUND"), "zuidwest")
    r = request(s, "GET", path, token=tokens["politie"])
    equal((r.status, r.code), (403, "FORBIDDEN"), "partners never read")
    equal(audited("politie", "blob.get", "forbidden"), "1", "audit of the partner's read")

    # Whoever stores the same bytes may read them: buco_oost uploads them
    # without a wijk, which gives nobody else access.
    r = request(s, "PUT", path, data, token=tokens["buco_oost"], content_type="application/pdf")
    equal(r.status, 201, "stored again, by oost")
    r = request(s, "GET", path, token=tokens["buco_oost"])
    equal((r.status, r.raw), (200, data), "the uploader reads it")
    equal(request(s, "GET", path, token=tokens["weth_zuidwest"]).status, 404,
          "still not zuidwest")

    # A blob stored without a wijk: only its uploader.
    own = b"\xff\xd8\xff" + os.urandom(500)
    own_path = "/api/v1/blobs/" + hashlib.sha256(own).hexdigest()
    equal(request(s, "PUT", own_path, own, token=tokens["dual"],
                  content_type="image/jpeg").status, 201, "stored without a wijk")
    equal(request(s, "GET", own_path, token=tokens["dual"]).status, 200, "its uploader")
    equal(request(s, "GET", own_path, token=tokens["weth_zuidwest"]).status, 404, "nobody else")


@test
def health_is_503_while_the_database_is_away():
    scratch = DB_NAME + "_away"
    psql("CREATE DATABASE %s" % scratch, dbname="postgres")
    s = None
    try:
        check(run_admin("migrate", dbname=scratch).returncode == 0, "migrate")
        check(run_admin("import-municipality", MUNICIPALITY, dbname=scratch).returncode == 0,
              "import")
        pw = run_admin("user", "add", "--username", "beheer", "--role", "admin",
                       "--password-file", "-", dbname=scratch, stdin=PASSWORD + "\n")
        equal(pw.returncode, 0, "user add: " + pw.stderr)
        s = Server(dbname=scratch)
        equal(request(s, "GET", "/api/v1/health").status, 200, "up")
        t = token_for(s, "beheer")
        c = Client(s, t)
        c.pull_all()
        psql("ALTER DATABASE %s ALLOW_CONNECTIONS false" % scratch, dbname="postgres")
        psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '%s'"
             % scratch, dbname="postgres")
        r = request(s, "GET", "/api/v1/health")
        equal((r.status, r.code), (503, "UNAVAILABLE"), "database away")
        r = request(s, "GET", "/api/v1/public/thermometer?year=2021")
        equal(r.status, 503, "thermometer too")
        q = "/api/v1/sync/pull?cursor=" + urllib.parse.quote(c.cursor)
        equal(request(s, "GET", q, token=t).status, 503, "pull too")
        psql("ALTER DATABASE %s ALLOW_CONNECTIONS true" % scratch, dbname="postgres")
        equal(request(s, "GET", "/api/v1/health").status, 200, "back")
        for _ in range(20):
            r = request(s, "GET", q, token=t)
            if r.status == 200:
                break
            time.sleep(0.2)
        equal(r.status, 200, "pulls again")
        time.sleep(1.5)   # the fast path's connections come back too
        equal(request(s, "GET", q, token=t).status, 200, "pulls again")
        equal(s.stop(), 0, "clean exit:\n" + s.output()[-2000:])
    finally:
        if s is not None:
            s.stop(signal.SIGKILL)
        psql("ALTER DATABASE %s ALLOW_CONNECTIONS true" % scratch, dbname="postgres",
             check_rc=False)
        psql("DROP DATABASE IF EXISTS %s WITH (FORCE)" % scratch, dbname="postgres",
             check_rc=False)


@test
def logs_hold_no_personal_data_or_secrets():
    for s in servers:
        out = s.output()
        for secret in ("Kees Klager", "06-12345678", "Anna de Vries", PASSWORD,
                       tokens["buco"]):
            check(secret not in out, "log contains %r" % secret)


def main():
    if not SERVER or not DATA_DIR:
        print("usage: test-server.py BUURTEN_SERVER DATA_DIR", file=sys.stderr)
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
        for s in all_servers:
            try:
                os.unlink(s.log_path)
            except OSError:
                pass
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
