#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Issue 12, "One authority": the server alone decides who may do what with
# the money, the states, the notes and the links, over HTTP against a real
# PostgreSQL, whatever order the commands come in and however they are cut
# up.
#
#   test-authority.py BUURTEN_SERVER DATA_DIR
#
# BUURTEN_TEST_PG is a libpq key=value connection string with superuser
# rights on a throwaway cluster (tests/server/pg-fixture.sh). The run creates
# its own database, its own users and two server processes, and drops the
# database at the end. Output is TAP, one line per case.
#
# The cases pick their wijk and year so that one case's commitments and
# moves never take another case's wijk over its richtbudget; only cases 7
# and 7c go over on purpose (Hilversumse Meent, 2021). Races run eight or
# two threads at a barrier through both server processes and assert the
# invariant, never the timing.

import concurrent.futures
import datetime
import http.client
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
import traceback
import urllib.parse
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
THIS_YEAR = datetime.date.today().year

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


def rule_of(res):
    args = res.get("args")
    return args.get("rule") if isinstance(args, dict) else None


def refused(res, code, rules, what):
    """A rejected mutation with exactly that code and (one of) the rules,
    and an English message beside them."""
    if isinstance(rules, str):
        rules = (rules,)
    got = (res.get("status"), res.get("code"), rule_of(res))
    if got[0] != "rejected" or got[1] != code or got[2] not in rules:
        raise Check("%s: got %r, want ('rejected', %r, %s) [%s]"
                    % (what, got, code, " or ".join(map(repr, rules)),
                       res.get("message")))
    check(isinstance(res.get("message"), str) and res["message"] != "",
          "%s: a message" % what)


def applied(res, what):
    if res.get("status") != "applied":
        raise Check("%s: got %s %s (%s, args %r), want applied"
                    % (what, res.get("status"), res.get("code"), res.get("message"),
                       res.get("args")))
    return res.get("result") or {}


# ---- the database -----------------------------------------------------------

DB_NAME = "buurten_auth_%d_%d" % (os.getpid(), random.randint(0, 99999))


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


def run_admin(*args):
    return subprocess.run([SERVER, "--db", conninfo(DB_NAME)] + list(args),
                          capture_output=True, text=True, env=SERVER_ENV, timeout=120)


# ---- server processes -------------------------------------------------------

all_servers = []


class Server:
    def __init__(self):
        all_servers.append(self)
        self.log_path = "/tmp/%s-server-%d.log" % (DB_NAME, len(all_servers))
        self.log = open(self.log_path, "w+")
        self.proc = subprocess.Popen([SERVER, "--db", conninfo(DB_NAME),
                                      "--listen", "127.0.0.1:0", "--verbose"],
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
    def __init__(self, status, body):
        self.status = status
        self.raw = body
        try:
            self.json = json.loads(body.decode("utf-8")) if body else None
        except (ValueError, UnicodeDecodeError):
            self.json = None


def request(server, method, path, body=None, token=None, timeout=120):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout)
    hdrs = {}
    if token:
        hdrs["Authorization"] = "Bearer " + token
    if body is not None:
        body = json.dumps(body).encode("utf-8")
        hdrs["Content-Type"] = "application/json"
    conn.request(method, path, body=body, headers=hdrs)
    resp = conn.getresponse()
    data = resp.read()
    conn.close()
    return Response(resp.status, data)


def new_id():
    return str(uuid.uuid4())


class Client:
    """A sync client of one user: a client_id, its own mids and its cursor."""

    def __init__(self, server, user):
        self.server = server
        self.user = user
        self.token = tokens[user]
        self.client_id = new_id()
        self.mid = 0
        self.cursor = None

    def push(self, *mutations):
        batch = []
        for name, args in mutations:
            self.mid += 1
            batch.append({"mid": self.mid, "name": name, "args": args})
        r = request(self.server, "POST", "/api/v1/sync/push",
                    {"client_id": self.client_id, "schema": 1, "mutations": batch},
                    token=self.token)
        equal(r.status, 200, "push status (%s)" % r.raw[:300])
        equal(len(r.json["results"]), len(batch), "one result per mutation")
        return r.json["results"]

    def one(self, name, args):
        return self.push((name, args))[0]

    def get(self, type_, id_):
        r = request(self.server, "GET", "/api/v1/objects/%s/%s" % (type_, id_), token=self.token)
        equal(r.status, 200, "GET %s %s (%s)" % (type_, id_, r.raw[:200]))
        return r.json

    def row(self, type_, id_):
        return self.get(type_, id_)["row"]

    def pull_all(self):
        changes, pages = [], 0
        while True:
            q = "limit=500"
            if self.cursor:
                q += "&cursor=" + urllib.parse.quote(self.cursor)
            r = request(self.server, "GET", "/api/v1/sync/pull?" + q, token=self.token)
            equal(r.status, 200, "pull status (%s)" % r.raw[:300])
            check(r.json.get("reset") is None, "unexpected reset %r" % r.json.get("reset"))
            changes += r.json["changes"]
            self.cursor = r.json["cursor"]
            pages += 1
            if not r.json["more"]:
                return changes
            check(pages < 1000, "pull does not end")


def thermometer(year, server_index=1):
    r = request(servers[server_index], "GET", "/api/v1/public/thermometer?year=%d" % year)
    equal(r.status, 200, "thermometer %d (%s)" % (year, r.raw[:200]))
    return {w["id"]: w for w in r.json["wijken"]}


def base_budget(wijk, year):
    """The richtbudget of the data file (subsidy plus handgeld) for year."""
    with open(MUNICIPALITY) as f:
        data = json.load(f)
    tables = [t for t in data["budget_tables"] if t["valid_from"] <= year]
    table = max(tables, key=lambda t: t["valid_from"])
    w = [w for w in table["wijken"] if w["wijk"] == wijk][0]
    return w["subsidy_cents"] + w["handgeld_cents"]


# ---- fixtures ---------------------------------------------------------------

USERS = {
    # username: (role, [wijken])
    "auth_buco_c": ("buurtcoordinator", ["centrum"]),
    "auth_buco_c2": ("buurtcoordinator", ["centrum"]),
    "auth_weth_c": ("wijkwethouder", ["centrum"]),
    "auth_buco_z": ("buurtcoordinator", ["zuid"]),
    "auth_weth_z": ("wijkwethouder", ["zuid"]),
    "auth_buco_o": ("buurtcoordinator", ["oost"]),
    "auth_buco_hm": ("buurtcoordinator", ["hilversumse_meent"]),
    "auth_weth_hm": ("wijkwethouder", ["hilversumse_meent"]),
    "auth_buco_co": ("buurtcoordinator", ["centrum", "oost"]),
    "auth_dual_zw": (("buurtcoordinator", "wijkwethouder"), ["zuidwest"]),
    "auth_wethouder": ("wethouder_buurten", []),
    "auth_teammanager": ("teammanager_samenleving", []),
    "auth_beheer": ("admin", []),
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
        for name, (roles, wijken) in USERS.items():
            args = ["user", "add", "--username", name, "--password-file", pwfile]
            for role in (roles,) if isinstance(roles, str) else roles:
                args += ["--role", role]
            for w in wijken:
                args += ["--wijk", w]
            r = run_admin(*args)
            check(r.returncode == 0, "user add %s: %s" % (name, r.stderr))
    finally:
        os.unlink(pwfile)
    servers.append(Server())
    servers.append(Server())
    for name in USERS:
        r = request(servers[0], "POST", "/api/v1/session",
                    {"username": name, "password": PASSWORD})
        equal(r.status, 200, "login of %s" % name)
        tokens[name] = r.json["token"]


def teardown():
    codes = [s.stop() for s in servers]
    psql("DROP DATABASE IF EXISTS %s WITH (FORCE)" % DB_NAME, dbname="postgres",
         check_rc=False)
    return codes


# ---- helpers on the domain ----------------------------------------------------


def make_initiative(client, wijk, title="Initiatief"):
    ini = new_id()
    applied(client.one("initiative.create", {"id": ini, "wijk": wijk, "title": title,
                                             "theme": "groen", "organiser": "Bewoner"}),
            "initiative.create")
    return ini


def walk(client, ini, states):
    """Moves an initiative along states (the first is where it is now)."""
    for a, b in zip(states, states[1:]):
        applied(client.one("initiative.transition", {"id": ini, "expect_state": a, "to": b}),
                "initiative %s -> %s" % (a, b))


def checked_initiative(client, wijk, title="Initiatief"):
    ini = make_initiative(client, wijk, title)
    walk(client, ini, ["idee", "ingediend", "getoetst"])
    return ini


def commit(client, ini, amount, year, funding="wijkbudget"):
    cid = new_id()
    res = client.one("commitment.create", {"id": cid, "initiative_id": ini,
                                           "amount_cents": amount, "funding": funding,
                                           "year": year})
    return cid, res


def approved_total(client, cids):
    total = 0
    for cid in cids:
        row = client.row("commitment", cid)
        if row["state"] == "approved":
            total += row["amount_cents"]
    return total


def decisions_of(client, ini):
    """The initiative's decisions as the server has them now (a fresh pull)."""
    fresh = Client(client.server, client.user)
    latest = {}
    for c in fresh.pull_all():
        if c["type"] == "decision" and c["op"] == "put" and c["row"].get("initiative_id") == ini:
            latest[c["id"]] = c["row"]
    return list(latest.values())


# ---- the cases ----------------------------------------------------------------

TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


@test
def case01_cutting_up_ten_pieces_of_1900_only_the_first_is_the_coordinators():
    # The mandate is per initiative: the band is chosen by what the
    # initiative holds (pending and approved) plus the new piece.
    buco = Client(servers[0], "auth_buco_c")
    ini = make_initiative(buco, "centrum", "Opgeknipt")
    cids = []
    for i in range(10):
        cid, res = commit(buco, ini, 190000, THIS_YEAR)
        result = applied(res, "piece %d: commitment.create" % (i + 1))
        cids.append(cid)
        if i == 0:
            equal(result.get("missing_roles"), ["buurtcoordinator"], "piece 1: roles")
        else:
            equal(result.get("missing_roles"), ["buurtcoordinator", "wijkwethouder"],
                  "piece %d (initiative total %d): roles" % (i + 1, 190000 * (i + 1)))
        result = applied(buco.one("commitment.sign", {"id": cid}),
                         "piece %d: commitment.sign" % (i + 1))
        if i == 0:
            equal(result.get("state"), "approved", "piece 1 after the coordinator")
        else:
            equal((result.get("state"), result.get("missing_roles")),
                  ("pending", ["wijkwethouder"]), "piece %d after the coordinator" % (i + 1))
    total = approved_total(buco, cids)
    check(total <= 200000, "approved on the initiative by the coordinator alone: %d > 200000"
          % total)
    equal(total, 190000, "approved on the initiative")


@test
def case01b_cutting_up_across_wijkbudget_and_handgeld_stays_within_2000():
    # Wijkbudget and handgeld draw on the same account of the wijk: mixing
    # them on one initiative does not make the coordinator's 2.000 larger.
    buco = Client(servers[0], "auth_buco_c")
    year = 2027
    ini = make_initiative(buco, "centrum", "Gemengd")
    cids = []
    for i, (funding, amount) in enumerate([("wijkbudget", 190000), ("handgeld", 190000),
                                           ("handgeld", 190000), ("wijkbudget", 190000),
                                           ("handgeld", 10000), ("wijkbudget", 10000)]):
        cid, res = commit(buco, ini, amount, year, funding)
        if res.get("status") == "applied":
            cids.append(cid)
            buco.one("commitment.sign", {"id": cid})
        else:
            equal(res.get("code"), "MANDATE_EXCEEDED",
                  "piece %d (%s) refused: %s" % (i + 1, funding, res.get("message")))
    equal(buco.row("commitment", cids[0])["state"], "approved", "the first piece")
    total = approved_total(buco, cids)
    check(total <= 200000, "approved on the initiative by the coordinator alone: %d > 200000"
          % total)


@test
def case02_pieces_of_2000_approved_up_to_24000_the_piece_making_26000_is_refused():
    buco = Client(servers[0], "auth_buco_z")
    weth = Client(servers[1], "auth_weth_z")
    year = 2025
    ini = make_initiative(buco, "zuid", "Stukjes")
    cids = []
    for i in range(12):
        cid, res = commit(buco, ini, 200000, year)
        result = applied(res, "piece %d (total %d)" % (i + 1, 200000 * (i + 1)))
        want = ["buurtcoordinator"] if i == 0 else ["buurtcoordinator", "wijkwethouder"]
        equal(result.get("missing_roles"), want, "piece %d: roles" % (i + 1))
        cids.append(cid)
        result = applied(buco.one("commitment.sign", {"id": cid}),
                         "piece %d: coordinator signs" % (i + 1))
        if i > 0:
            equal((result.get("state"), result.get("missing_roles")),
                  ("pending", ["wijkwethouder"]), "piece %d after the coordinator" % (i + 1))
            result = applied(weth.one("commitment.sign", {"id": cid}),
                             "piece %d: wijkwethouder signs" % (i + 1))
        equal(result.get("state"), "approved", "piece %d approved" % (i + 1))
    cid, res = commit(buco, ini, 200000, year)
    refused(res, "MANDATE_EXCEEDED", "mandate.not_allowed", "the piece making 26.000")
    r = request(servers[0], "GET", "/api/v1/objects/commitment/" + cid, token=buco.token)
    equal(r.status, 404, "a refused commitment does not exist")
    total = approved_total(buco, cids)
    check(total <= 2500000, "approved on the initiative: %d > 2500000" % total)
    equal(total, 2400000, "approved on the initiative")


@test
def case02b_handgeld_does_not_top_up_past_25000():
    # Handgeld draws on the wijk's account as wijkbudget does: on top of
    # 24.000 of wijkbudget, 2.000 of handgeld makes 26.000 for the
    # initiative.
    buco = Client(servers[0], "auth_buco_z")
    weth = Client(servers[1], "auth_weth_z")
    ini = make_initiative(buco, "zuid", "Aangevuld")
    cid, res = commit(buco, ini, 2400000, 2025)
    applied(res, "24.000 of wijkbudget")
    applied(buco.one("commitment.sign", {"id": cid}), "coordinator signs")
    equal(applied(weth.one("commitment.sign", {"id": cid}), "wijkwethouder signs").get("state"),
          "approved", "24.000 approved")
    cid, res = commit(buco, ini, 200000, 2025, "handgeld")
    refused(res, "MANDATE_EXCEEDED", "mandate.not_allowed", "2.000 of handgeld on top")
    r = request(servers[0], "GET", "/api/v1/objects/commitment/" + cid, token=buco.token)
    equal(r.status, 404, "the refused commitment does not exist")


@test
def case03_race_eight_pieces_through_two_servers_never_evade_the_initiative_total():
    # Three rounds of eight concurrent commitment.create of 2.000 on one
    # initiative, half through each server process; then the coordinator
    # signs all. Whatever the interleaving, the coordinator alone never
    # approves more than 2.000 on one initiative.
    year = 2024
    owner = Client(servers[0], "auth_buco_o")
    for rnd in range(3):
        ini = make_initiative(owner, "oost", "Race %d" % rnd)
        race_round(ini, [year] * 8, "round %d" % rnd)


def race_round(ini, years, what):
    """Eight concurrent commitment.create of 2.000 on ini (the i-th for
    years[i]), half through each server process, then the coordinator signs
    them all; asserts the coordinator alone approved at most 2.000."""
    clients = [Client(servers[i % 2], "auth_buco_o") for i in range(8)]
    barrier = threading.Barrier(8)

    def run(i):
        cid = new_id()
        barrier.wait()
        res = clients[i].one("commitment.create",
                             {"id": cid, "initiative_id": ini, "amount_cents": 200000,
                              "funding": "wijkbudget", "year": years[i]})
        return cid, res

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(run, range(8)))
    created = []
    alone = 0
    for cid, res in outcomes:
        result = applied(res, "%s: concurrent commitment.create" % what)
        created.append(cid)
        if result.get("missing_roles") == ["buurtcoordinator"]:
            alone += 200000
    check(alone <= 200000, "%s: %d cents created for the coordinator alone" % (what, alone))
    signer = Client(servers[0], "auth_buco_o")
    for cid in created:
        signer.one("commitment.sign", {"id": cid})
    # Read back through the other server what the database holds.
    reader = Client(servers[1], "auth_buco_o")
    rows = [reader.row("commitment", cid) for cid in created]
    approved = sum(r["amount_cents"] for r in rows if r["state"] == "approved")
    check(approved <= 200000, "%s: %d cents approved by the coordinator alone"
          % (what, approved))
    equal(sorted(r["state"] for r in rows), ["approved"] + ["pending"] * 7,
          "%s: states" % what)


@test
def case03b_race_on_one_initiative_across_years_never_evades_its_total():
    # The mandate counts what the initiative holds in every year: pieces of
    # one initiative booked on different years race for the same total.
    owner = Client(servers[0], "auth_buco_o")
    for rnd in range(5):
        ini = make_initiative(owner, "oost", "Race over jaren %d" % rnd)
        race_round(ini, [2031 + i for i in range(8)], "round %d" % rnd)


def signer_pairs(signers):
    """A decision's signers as (user, role) pairs: core keeps them as
    "user:role,user:role" (buurten-entity.h); a list of {"user","role"}
    objects says the same."""
    if isinstance(signers, str):
        return [tuple(p.split(":", 1)) if ":" in p else (p, None)
                for p in signers.split(",") if p]
    if isinstance(signers, list):
        return [(s.get("user"), s.get("role")) if isinstance(s, dict) else (s, None)
                for s in signers]
    return signers


@test
def case03c_one_person_signing_twice_at_once_signs_once():
    # A user who is both buurtcoördinator and wijkwethouder of zuidwest
    # signs a 5.000 commitment twice at the same moment, through both
    # server processes: four eyes hold, one signature, still pending.
    dual = Client(servers[0], "auth_dual_zw")
    for rnd in range(3):
        ini = make_initiative(dual, "zuidwest", "Vier ogen %d" % rnd)
        cid, res = commit(dual, ini, 500000, 2029)
        equal(applied(res, "commitment.create").get("missing_roles"),
              ["buurtcoordinator", "wijkwethouder"], "round %d: roles" % rnd)
        clients = [Client(servers[i % 2], "auth_dual_zw") for i in range(2)]
        barrier = threading.Barrier(2)

        def sign(i):
            barrier.wait()
            return clients[i].one("commitment.sign", {"id": cid})

        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            outcomes = list(pool.map(sign, range(2)))
        equal(sorted((r.get("status"), r.get("code")) for r in outcomes),
              [("applied", None), ("rejected", "FOUR_EYES")], "round %d: the two signatures" % rnd)
        equal(dual.row("commitment", cid)["state"], "pending", "round %d: still pending" % rnd)


@test
def case04_granting_goes_by_signature_not_by_transition():
    buco = Client(servers[0], "auth_buco_c")
    year = 2023
    ini = checked_initiative(buco, "centrum", "Bankjes")
    res = buco.one("initiative.transition", {"id": ini, "expect_state": "getoetst",
                                             "to": "toegekend"})
    refused(res, "INVALID_STATE", "initiative.grant_by_signature", "getoetst -> toegekend")
    for to in ("in_uitvoering", "buurtdeal_getekend", "afgerond"):
        res = buco.one("initiative.transition", {"id": ini, "expect_state": "getoetst",
                                                 "to": to})
        equal((res.get("status"), res.get("code")), ("rejected", "INVALID_STATE"),
              "getoetst -> %s without approved money" % to)
    equal(buco.row("initiative", ini)["state"], "getoetst", "still getoetst")

    cid, res = commit(buco, ini, 150000, year)
    applied(res, "commitment.create")
    result = applied(buco.one("commitment.sign", {"id": cid}), "commitment.sign")
    equal(result.get("state"), "approved", "signed in full")
    equal(buco.row("initiative", ini)["state"], "toegekend", "granted by the signature")
    decisions = decisions_of(buco, ini)
    equal([d.get("outcome") for d in decisions], ["toegekend"], "one decision")
    d = decisions[0]
    equal((d.get("amount_cents"), d.get("commitment_id")), (150000, cid),
          "the decision's amount and commitment")
    equal(signer_pairs(d.get("signers")), [("auth_buco_c", "buurtcoordinator")],
          "the decision's signers (%r)" % (d.get("signers"),))
    applied(buco.one("initiative.transition", {"id": ini, "expect_state": "toegekend",
                                               "to": "in_uitvoering"}),
            "toegekend -> in_uitvoering")
    equal(buco.row("initiative", ini)["state"], "in_uitvoering", "in uitvoering")


@test
def case04b_the_state_is_not_a_field_an_update_can_set():
    buco = Client(servers[0], "auth_buco_c")
    ini = checked_initiative(buco, "centrum", "Via de achterdeur")
    got = buco.get("initiative", ini)
    res = buco.one("initiative.update", {"id": ini,
                                         "base": {"state": got["versions"].get("state", 0)},
                                         "set": {"state": "toegekend"}})
    equal((res.get("status"), res.get("code")), ("rejected", "VALIDATION"),
          "initiative.update of the state")
    equal(buco.row("initiative", ini)["state"], "getoetst", "still getoetst")
    equal(decisions_of(buco, ini), [], "no decision")


@test
def case04c_no_later_state_once_the_approved_money_is_cancelled():
    # The only way past getoetst without money: grant by signature, then
    # cancel the commitment. The later states still need approved money.
    buco = Client(servers[0], "auth_buco_c")
    year = 2023
    ini = checked_initiative(buco, "centrum", "Geannuleerd")
    cid, res = commit(buco, ini, 100000, year)
    applied(res, "commitment.create")
    applied(buco.one("commitment.sign", {"id": cid}), "commitment.sign")
    equal(buco.row("initiative", ini)["state"], "toegekend", "granted by the signature")
    applied(buco.one("commitment.cancel", {"id": cid, "reason": "Ging niet door"}),
            "commitment.cancel")
    for to in ("in_uitvoering", "buurtdeal_getekend"):
        res = buco.one("initiative.transition", {"id": ini, "expect_state": "toegekend",
                                                 "to": to})
        refused(res, "INVALID_STATE", "initiative.not_approved",
                "toegekend -> %s with the money cancelled" % to)
    equal(buco.row("initiative", ini)["state"], "toegekend", "still toegekend")

    ini = checked_initiative(buco, "centrum", "Halverwege geannuleerd")
    cid, res = commit(buco, ini, 100000, year)
    applied(res, "commitment.create")
    applied(buco.one("commitment.sign", {"id": cid}), "commitment.sign")
    walk(buco, ini, ["toegekend", "in_uitvoering"])
    applied(buco.one("commitment.cancel", {"id": cid, "reason": "Ging niet door"}),
            "commitment.cancel")
    res = buco.one("initiative.transition", {"id": ini, "expect_state": "in_uitvoering",
                                             "to": "afgerond"})
    refused(res, "INVALID_STATE", "initiative.not_approved",
            "in_uitvoering -> afgerond with the money cancelled")


@test
def case04d_two_last_signatures_at_once_grant_once_per_commitment():
    # Two commitments of one checked initiative get their last signature at
    # the same moment, through two server processes: both count, the
    # initiative is toegekend, and its grant decisions add up to exactly
    # the approved money.
    for rnd in range(3):
        buco = Client(servers[0], "auth_buco_c")
        ini = checked_initiative(buco, "centrum", "Tegelijk %d" % rnd)
        cids = []
        for amount in (60000, 70000):
            cid, res = commit(buco, ini, amount, 2028)
            applied(res, "commitment.create")
            cids.append(cid)
        signers = [Client(servers[0], "auth_buco_c"), Client(servers[1], "auth_buco_c2")]
        barrier = threading.Barrier(2)

        def sign(i):
            barrier.wait()
            return signers[i].one("commitment.sign", {"id": cids[i]})

        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            outcomes = list(pool.map(sign, range(2)))
        for i, res in enumerate(outcomes):
            equal(applied(res, "round %d: signature %d" % (rnd, i + 1)).get("state"), "approved",
                  "round %d: commitment %d" % (rnd, i + 1))
        equal(buco.row("initiative", ini)["state"], "toegekend", "round %d: granted" % rnd)
        grants = [d for d in decisions_of(buco, ini) if d.get("outcome") == "toegekend"]
        equal(sum(d.get("amount_cents", 0) for d in grants), 130000,
              "round %d: the grant decisions add up to the approved money (%r)"
              % (rnd, [(d.get("amount_cents"), d.get("commitment_id")) for d in grants]))


@test
def case05_decisions_never_beyond_approved_and_a_rejection_needs_a_reason():
    buco = Client(servers[0], "auth_buco_c")
    year = 2023
    ini = checked_initiative(buco, "centrum", "Te duur")
    res = buco.one("decision.record", {"id": new_id(), "initiative_id": ini,
                                       "outcome": "toegekend", "amount_cents": 1000000000,
                                       "reason": "Prachtig plan"})
    refused(res, "MANDATE_EXCEEDED", "decision.beyond_approved", "10.000.000 with nothing approved")
    equal(decisions_of(buco, ini), [], "no decision stored")

    res = buco.one("initiative.transition", {"id": ini, "expect_state": "getoetst",
                                             "to": "afgewezen"})
    refused(res, "VALIDATION", "decision.needs_reason", "afgewezen without a note")
    equal(buco.row("initiative", ini)["state"], "getoetst", "still getoetst")
    reason = "Geen draagvlak in de buurt"
    applied(buco.one("initiative.transition", {"id": ini, "expect_state": "getoetst",
                                               "to": "afgewezen", "note": reason}),
            "afgewezen with a note")
    equal(buco.row("initiative", ini)["state"], "afgewezen", "afgewezen")
    decisions = decisions_of(buco, ini)
    equal([(d.get("outcome"), d.get("reason")) for d in decisions], [("afgewezen", reason)],
          "the decision")

    cid, res = commit(buco, ini, 100000, year)
    refused(res, "INVALID_STATE", "initiative.closed", "a commitment on a rejected initiative")


@test
def case05b_a_grant_decision_one_cent_beyond_the_approved_money_is_refused():
    buco = Client(servers[0], "auth_buco_c")
    ini = checked_initiative(buco, "centrum", "Precies")
    cid, res = commit(buco, ini, 150000, 2023)
    applied(res, "commitment.create")
    applied(buco.one("commitment.sign", {"id": cid}), "commitment.sign")
    res = buco.one("decision.record", {"id": new_id(), "initiative_id": ini,
                                       "outcome": "toegekend", "amount_cents": 150001,
                                       "reason": "Een cent meer"})
    refused(res, "MANDATE_EXCEEDED", "decision.beyond_approved", "150.001 with 150.000 approved")
    equal((res["args"].get("amount_cents"), res["args"].get("approved_cents")), (150001, 150000),
          "the refusal's facts")


@test
def case05c_grant_decisions_never_add_up_beyond_the_approved_money():
    # The signature recorded the grant of 1.500; recording it once more
    # with decision.record would show 3.000 granted on 1.500 approved.
    buco = Client(servers[0], "auth_buco_c")
    ini = checked_initiative(buco, "centrum", "Dubbel")
    cid, res = commit(buco, ini, 150000, 2023)
    applied(res, "commitment.create")
    applied(buco.one("commitment.sign", {"id": cid}), "commitment.sign")
    res = buco.one("decision.record", {"id": new_id(), "initiative_id": ini,
                                       "outcome": "toegekend", "amount_cents": 150000,
                                       "reason": "Nogmaals"})
    equal((res.get("status"), res.get("code"), rule_of(res)),
          ("rejected", "MANDATE_EXCEEDED", "decision.beyond_approved"),
          "a second grant of the same 1.500")
    grants = [d for d in decisions_of(buco, ini) if d.get("outcome") == "toegekend"]
    equal(sum(d.get("amount_cents", 0) for d in grants), 150000, "granted in all")


@test
def case05d_a_referral_needs_a_reason_too():
    buco = Client(servers[0], "auth_buco_c")
    ini = make_initiative(buco, "centrum", "Elders beter")
    res = buco.one("initiative.transition", {"id": ini, "expect_state": "idee",
                                             "to": "doorverwezen"})
    refused(res, "VALIDATION", "decision.needs_reason", "doorverwezen without a note")
    reason = "Past bij het Oranjefonds"
    applied(buco.one("initiative.transition", {"id": ini, "expect_state": "idee",
                                               "to": "doorverwezen", "note": reason}),
            "doorverwezen with a note")
    equal([(d.get("outcome"), d.get("reason")) for d in decisions_of(buco, ini)],
          [("doorverwezen", reason)], "the decision")


@test
def case05e_no_grant_decision_without_approved_money():
    # decision.record is a second road to "toegekend": without approved
    # money, leaving the amount out must not record a grant either, on a
    # checked initiative nor on a rejected one.
    buco = Client(servers[0], "auth_buco_c")
    ini = checked_initiative(buco, "centrum", "Zonder geld")
    res = buco.one("decision.record", {"id": new_id(), "initiative_id": ini,
                                       "outcome": "toegekend", "reason": "Mooi plan"})
    refused(res, "MANDATE_EXCEEDED", "decision.beyond_approved",
            "a grant without an amount and nothing approved")
    equal(decisions_of(buco, ini), [], "no decision stored")
    applied(buco.one("initiative.transition", {"id": ini, "expect_state": "getoetst",
                                               "to": "afgewezen", "note": "Geen draagvlak"}),
            "afgewezen")
    res = buco.one("decision.record", {"id": new_id(), "initiative_id": ini,
                                       "outcome": "toegekend", "reason": "Toch wel"})
    equal(res.get("status"), "rejected",
          "a grant on the rejected initiative (%s)" % (res.get("result"),))
    equal([d.get("outcome") for d in decisions_of(buco, ini)], ["afgewezen"],
          "only the rejection")


@test
def case05f_a_blank_note_is_no_reason():
    buco = Client(servers[0], "auth_buco_c")
    ini = checked_initiative(buco, "centrum", "Blanco")
    res = buco.one("initiative.transition", {"id": ini, "expect_state": "getoetst",
                                             "to": "afgewezen", "note": "   "})
    refused(res, "VALIDATION", "decision.needs_reason", "afgewezen with a note of spaces")
    res = buco.one("decision.record", {"id": new_id(), "initiative_id": ini,
                                       "outcome": "afgewezen", "reason": " \n "})
    refused(res, "VALIDATION", "decision.needs_reason",
            "decision.record afgewezen with a blank reason")


@test
def case05g_a_pending_commitment_of_a_rejected_initiative_is_never_signed():
    buco = Client(servers[0], "auth_buco_c")
    ini = checked_initiative(buco, "centrum", "Half voorbereid")
    cid, res = commit(buco, ini, 100000, 2023)
    equal(applied(res, "commitment.create").get("state"), "pending", "pending")
    applied(buco.one("initiative.transition", {"id": ini, "expect_state": "getoetst",
                                               "to": "afgewezen", "note": "Geen draagvlak"}),
            "afgewezen")
    res = buco.one("commitment.sign", {"id": cid})
    refused(res, "INVALID_STATE", "initiative.closed", "signing on the rejected initiative")
    equal(buco.row("commitment", cid)["state"], "pending", "still pending")
    equal(buco.row("initiative", ini)["state"], "afgewezen", "still afgewezen")
    equal([d.get("outcome") for d in decisions_of(buco, ini)], ["afgewezen"], "no grant")


@test
def case05h_a_signature_and_a_rejection_at_once_never_both_count():
    # The last signature (which grants) and the rejection of the same
    # initiative arrive at the same moment through both server processes:
    # exactly one of them is applied, whatever the order.
    for rnd in range(4):
        buco = Client(servers[0], "auth_buco_c")
        ini = checked_initiative(buco, "centrum", "Wie eerst %d" % rnd)
        cid, res = commit(buco, ini, 50000, 2028)
        applied(res, "commitment.create")
        signer, rejecter = Client(servers[rnd % 2], "auth_buco_c"), \
            Client(servers[(rnd + 1) % 2], "auth_buco_c2")
        barrier = threading.Barrier(2)

        def go(i):
            barrier.wait()
            if i == 0:
                return signer.one("commitment.sign", {"id": cid})
            return rejecter.one("initiative.transition",
                                {"id": ini, "expect_state": "getoetst", "to": "afgewezen",
                                 "note": "Toch niet"})

        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            signed, rejected = pool.map(go, range(2))
        statuses = (signed.get("status"), rejected.get("status"))
        check(statuses in (("applied", "rejected"), ("rejected", "applied")),
              "round %d: sign %s (%s), reject %s (%s)"
              % (rnd, statuses[0], signed.get("code"), statuses[1], rejected.get("code")))
        state = buco.row("initiative", ini)["state"]
        commitment = buco.row("commitment", cid)["state"]
        outcomes = sorted(d.get("outcome") for d in decisions_of(buco, ini))
        if statuses[0] == "applied":
            equal((state, commitment, outcomes), ("toegekend", "approved", ["toegekend"]),
                  "round %d: signed first" % rnd)
        else:
            equal((state, commitment, outcomes), ("afgewezen", "pending", ["afgewezen"]),
                  "round %d: rejected first" % rnd)


def move_args(**kw):
    args = {"id": new_id(), "reason": "Halfjaarlijkse herverdeling",
            "decision_ref": "B&W 2022/%d" % random.randint(1000, 9999),
            "decision_date": "2022-07-05"}
    args.update(kw)
    return args


@test
def case06a_a_budget_move_by_the_technical_admin_is_forbidden():
    # A year of its own (the budget table holds from 2021 on): a move
    # wrongly taken here does not disturb the sums of cases 6d and 6e.
    admin = Client(servers[0], "auth_beheer")
    res = admin.one("budget.transfer", move_args(year=2040, from_wijk="oost", to_wijk="zuid",
                                                 amount_cents=100000))
    refused(res, "FORBIDDEN", "move.record_role", "transfer by the admin")
    res = admin.one("budget.carry_over", move_args(wijk="zuid", from_year=2040,
                                                   amount_cents=100000))
    refused(res, "FORBIDDEN", "move.record_role", "carry-over by the admin")
    # The wethouder buurten confirms moves; he does not record them.
    res = Client(servers[1], "auth_wethouder").one(
        "budget.transfer", move_args(year=2040, from_wijk="oost", to_wijk="zuid",
                                     amount_cents=100000))
    refused(res, "FORBIDDEN", "move.record_role", "transfer by the wethouder buurten")


@test
def case06b_a_transfer_of_more_than_the_source_has_free_is_budget_exceeded():
    tm = Client(servers[0], "auth_teammanager")
    # 999.999.999.999,99 is the largest amount the core knows
    # (BUURTEN_MONEY_MAX_CENTS): refused for the budget, not as an overflow.
    before = thermometer(2041)
    res = tm.one("budget.transfer", move_args(year=2041, from_wijk="oost", to_wijk="zuid",
                                              amount_cents=99999999999999))
    refused(res, "BUDGET_EXCEEDED", "budget.move", "transfer of 999.999.999.999,99")
    res = tm.one("budget.transfer", move_args(year=2041, from_wijk="oost", to_wijk="zuid",
                                              amount_cents=before["oost"]["free_cents"] + 1))
    refused(res, "BUDGET_EXCEEDED", "budget.move", "transfer of what oost has free plus one")
    equal(thermometer(2041), before, "thermometer unchanged")


@test
def case06c_a_move_without_decision_ref_is_a_validation_error():
    tm = Client(servers[0], "auth_teammanager")
    args = move_args(year=2042, from_wijk="oost", to_wijk="zuid", amount_cents=100000)
    del args["decision_ref"]
    res = tm.one("budget.transfer", args)
    equal((res.get("status"), res.get("code")), ("rejected", "VALIDATION"),
          "transfer without decision_ref")
    args = move_args(wijk="zuid", from_year=2042, amount_cents=100000)
    del args["decision_ref"]
    res = tm.one("budget.carry_over", args)
    equal((res.get("status"), res.get("code")), ("rejected", "VALIDATION"),
          "carry-over without decision_ref")


CONFIRMED = {"transfer": [], "carry_over": []}   # (args) confirmed by case 6d/6e


def expected_budget(wijk, year):
    total = base_budget(wijk, year)
    for t in CONFIRMED["transfer"]:
        if t["year"] == year:
            if t["from_wijk"] == wijk:
                total -= t["amount_cents"]
            if t["to_wijk"] == wijk:
                total += t["amount_cents"]
    for c in CONFIRMED["carry_over"]:
        if c["wijk"] == wijk and c["from_year"] == year:
            total -= c["amount_cents"]
        if c["wijk"] == wijk and c["from_year"] + 1 == year:
            total += c["amount_cents"]
    return total


@test
def case06d_a_transfer_holds_nothing_until_the_wethouder_confirms_it():
    tm = Client(servers[0], "auth_teammanager")
    weth = Client(servers[1], "auth_wethouder")
    year, amount = 2022, 123400
    before = thermometer(year)
    args = move_args(year=year, from_wijk="oost", to_wijk="zuid", amount_cents=amount)
    applied(tm.one("budget.transfer", args), "transfer by the teammanager")
    equal(tm.row("transfer", args["id"]).get("state"), "recorded", "stored as recorded")
    equal(thermometer(year), before, "a recorded transfer leaves the public thermometer")
    res = tm.one("budget.confirm", {"id": args["id"]})
    refused(res, "FOUR_EYES", "move.same_person", "confirm by the teammanager who recorded it")
    res = Client(servers[0], "auth_beheer").one("budget.confirm", {"id": args["id"]})
    refused(res, "FORBIDDEN", "move.confirm_role", "confirm by the technical admin")
    res = Client(servers[0], "auth_buco_z").one("budget.confirm", {"id": args["id"]})
    equal((res.get("status"), res.get("code")), ("rejected", "FORBIDDEN"),
          "confirm by the receiving wijk's coordinator")
    equal(thermometer(year), before, "still unchanged")
    applied(weth.one("budget.confirm", {"id": args["id"]}), "confirm by the wethouder buurten")
    CONFIRMED["transfer"].append(args)
    after = thermometer(year)
    equal(after["oost"]["budget_cents"] - before["oost"]["budget_cents"], -amount,
          "oost down by the amount")
    equal(after["zuid"]["budget_cents"] - before["zuid"]["budget_cents"], amount,
          "zuid up by the amount")
    for w in after:
        equal(after[w]["budget_cents"], expected_budget(w, year),
              "%s: the data file's budget plus the confirmed moves" % w)
    row = tm.row("transfer", args["id"])
    equal((row.get("state"), row.get("recorded_by"), row.get("confirmed_by")),
          ("confirmed", "auth_teammanager", "auth_wethouder"), "the confirmed transfer")
    res = weth.one("budget.confirm", {"id": args["id"]})
    refused(res, "INVALID_STATE", "move.not_recorded", "a second confirm")
    equal(thermometer(year), after, "a second confirm changes nothing")


@test
def case06e_a_carry_over_never_takes_more_than_zuid_has_free():
    tm = Client(servers[0], "auth_teammanager")
    weth = Client(servers[1], "auth_wethouder")
    year = 2022
    before, before_next = thermometer(year), thermometer(year + 1)
    free = before["zuid"]["free_cents"]
    check(free > 0, "zuid has money free in %d: %d" % (year, free))
    for amount in (free + 1, 99999999999999):
        res = tm.one("budget.carry_over", move_args(wijk="zuid", from_year=year,
                                                    amount_cents=amount))
        refused(res, "BUDGET_EXCEEDED", "budget.move", "carry-over of %d (free %d)"
                % (amount, free))
    args = move_args(wijk="zuid", from_year=year, amount_cents=50000)
    applied(tm.one("budget.carry_over", args), "carry-over within what is free")
    equal(tm.row("carry_over", args["id"]).get("state"), "recorded", "stored as recorded")
    equal((thermometer(year), thermometer(year + 1)), (before, before_next),
          "a recorded carry-over leaves the public thermometer")
    res = tm.one("budget.confirm", {"id": args["id"]})
    refused(res, "FOUR_EYES", "move.same_person", "carry-over confirmed by who recorded it")
    applied(weth.one("budget.confirm", {"id": args["id"]}), "confirm by the wethouder buurten")
    CONFIRMED["carry_over"].append(args)
    after, after_next = thermometer(year), thermometer(year + 1)
    equal(after["zuid"]["budget_cents"] - before["zuid"]["budget_cents"], -50000,
          "zuid %d down" % year)
    equal(after_next["zuid"]["budget_cents"] - before_next["zuid"]["budget_cents"], 50000,
          "zuid %d up" % (year + 1))
    for y, t in ((year, after), (year + 1, after_next)):
        equal(t["zuid"]["budget_cents"], expected_budget("zuid", y),
              "zuid %d: the data file's budget plus the confirmed moves" % y)
    # What is left free cannot be carried over twice.
    free = after["zuid"]["free_cents"]
    res = tm.one("budget.carry_over", move_args(wijk="zuid", from_year=year,
                                                amount_cents=free + 1))
    refused(res, "BUDGET_EXCEEDED", "budget.move", "carry-over of what is left plus one")
    final = thermometer(year)
    check(final["zuid"]["budget_cents"] >= 0 and final["zuid"]["free_cents"] >= 0,
          "zuid's public budget is not negative: %r" % (final["zuid"],))


@test
def case06f_two_moves_that_each_fit_never_together_take_more_than_is_free():
    # Recorded moves hold nothing, so two may each fit what noordoost has
    # free; confirming both at once, through two server processes, must
    # still leave noordoost's free money at zero or more.
    tm = Client(servers[0], "auth_teammanager")
    year = 2044
    before = thermometer(year)
    free = before["noordoost"]["free_cents"]
    check(free > 0, "noordoost has money free")
    moves = []
    recorded = []
    for to in ("noordwest", "zuidoost"):
        args = move_args(year=year, from_wijk="noordoost", to_wijk=to, amount_cents=free)
        res = tm.one("budget.transfer", args)
        if res.get("status") == "applied":
            recorded.append(args)
        else:
            refused(res, "BUDGET_EXCEEDED", "budget.move", "the second transfer of all that is free")
        moves.append(args)
    equal(len(recorded) >= 1, True, "the first transfer is recorded")
    diag("case06f: %d of 2 transfers recorded, confirmed concurrently" % len(recorded))
    confirmers = [Client(servers[i % 2], "auth_wethouder") for i in range(len(recorded))]
    barrier = threading.Barrier(len(recorded))

    def confirm(i):
        barrier.wait()
        return confirmers[i].one("budget.confirm", {"id": recorded[i]["id"]})

    with concurrent.futures.ThreadPoolExecutor(len(recorded)) as pool:
        outcomes = list(pool.map(confirm, range(len(recorded))))
    done = [r for r in outcomes if r.get("status") == "applied"]
    equal(len(done), 1, "confirmed: %r" % ([(r.get("status"), r.get("code")) for r in outcomes],))
    for r in outcomes:
        if r.get("status") != "applied":
            refused(r, "BUDGET_EXCEEDED", "budget.move", "the confirm that no longer fits")
    after = thermometer(year)
    equal(after["noordoost"]["budget_cents"], before["noordoost"]["budget_cents"] - free,
          "noordoost gave what it had free once")
    equal(after["noordoost"]["free_cents"], 0, "noordoost's free money")
    equal(sum(w["budget_cents"] for w in after.values()),
          sum(w["budget_cents"] for w in before.values()), "a transfer creates no money")


@test
def case06g_one_move_confirmed_twice_at_once_moves_the_money_once():
    tm = Client(servers[0], "auth_teammanager")
    year, amount = 2046, 250000
    before = thermometer(year)
    args = move_args(year=year, from_wijk="zuidwest", to_wijk="zuidoost", amount_cents=amount)
    applied(tm.one("budget.transfer", args), "transfer recorded")
    clients = [Client(servers[i % 2], "auth_wethouder") for i in range(2)]
    barrier = threading.Barrier(2)

    def confirm(i):
        barrier.wait()
        return clients[i].one("budget.confirm", {"id": args["id"]})

    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        outcomes = list(pool.map(confirm, range(2)))
    equal(sorted((r.get("status"), r.get("code"), rule_of(r)) for r in outcomes),
          [("applied", None, None), ("rejected", "INVALID_STATE", "move.not_recorded")],
          "the two confirms")
    after = thermometer(year)
    equal((after["zuidwest"]["budget_cents"] - before["zuidwest"]["budget_cents"],
           after["zuidoost"]["budget_cents"] - before["zuidoost"]["budget_cents"]),
          (-amount, amount), "moved once")


@test
def case06h_a_carry_over_is_checked_again_when_it_is_confirmed():
    # Recorded when it fitted; meanwhile zuid approved money of that year.
    # The confirm must not carry over more than is free now.
    tm = Client(servers[0], "auth_teammanager")
    wethouder = Client(servers[1], "auth_wethouder")
    buco = Client(servers[0], "auth_buco_z")
    year = 2045
    free = thermometer(year)["zuid"]["free_cents"]
    args = move_args(wijk="zuid", from_year=year, amount_cents=free)
    applied(tm.one("budget.carry_over", args), "carry-over of all that is free")
    ini = make_initiative(buco, "zuid", "Tussendoor")
    cid, res = commit(buco, ini, 200000, year)
    applied(res, "commitment.create")
    equal(applied(buco.one("commitment.sign", {"id": cid}), "commitment.sign").get("state"),
          "approved", "2.000 approved meanwhile")
    before, before_next = thermometer(year), thermometer(year + 1)
    equal(before["zuid"]["free_cents"], free - 200000, "zuid's free money")
    res = wethouder.one("budget.confirm", {"id": args["id"]})
    refused(res, "BUDGET_EXCEEDED", "budget.move", "confirming what is no longer free")
    equal((thermometer(year), thermometer(year + 1)), (before, before_next),
          "the thermometers unchanged")
    check(before["zuid"]["free_cents"] >= 0, "zuid's free money is not negative")


@test
def case07_a_budget_escalation_is_resolved_by_the_teammanager_not_its_opener():
    buco = Client(servers[0], "auth_buco_hm")
    weth = Client(servers[1], "auth_weth_hm")
    tm = Client(servers[1], "auth_teammanager")
    year = 2021
    budget = base_budget("hilversumse_meent", year)       # 26.000,00
    big = make_initiative(buco, "hilversumse_meent", "Groot")
    cid, res = commit(buco, big, 2500000, year)
    applied(res, "25.000 within the richtbudget")
    equal(res["result"].get("over_budget"), False, "25.000 fits")
    applied(buco.one("commitment.sign", {"id": cid}), "coordinator signs")
    equal(applied(weth.one("commitment.sign", {"id": cid}), "wijkwethouder signs").get("state"),
          "approved", "25.000 approved")
    small = make_initiative(buco, "hilversumse_meent", "Klein")
    cid2, res = commit(buco, small, 200000, year)
    result = applied(res, "2.000 over the richtbudget")
    check(2500000 + 200000 > budget, "the test goes over the budget")
    equal(result.get("over_budget"), True, "over budget")
    esc = result.get("escalation_id")
    check(isinstance(esc, str) and esc, "an escalation_id: %r" % (result,))
    row = buco.row("escalation", esc)
    equal((row.get("level"), row.get("state")), ("budget", "open"), "a budget escalation")

    opener_rules = ("escalation.opener", "escalation.role")
    res = buco.one("escalation.transition", {"id": esc, "expect_state": "open",
                                             "to": "teruggelegd", "note": "Zelf opgelost"})
    refused(res, "FORBIDDEN", opener_rules, "the opener hands it back")
    applied(tm.one("escalation.transition", {"id": esc, "expect_state": "open",
                                             "to": "opgepakt"}), "the teammanager takes it up")
    for to in ("opgelost", "teruggelegd"):
        res = buco.one("escalation.transition", {"id": esc, "expect_state": "opgepakt",
                                                 "to": to, "note": "Klaar"})
        refused(res, "FORBIDDEN", opener_rules, "the opener moves it to %s" % to)
    equal(buco.row("escalation", esc)["state"], "opgepakt", "still opgepakt")
    applied(tm.one("escalation.transition", {"id": esc, "expect_state": "opgepakt",
                                             "to": "opgelost", "note": "Besproken"}),
            "the teammanager resolves it")
    equal(buco.row("escalation", esc)["state"], "opgelost", "opgelost")


@test
def case07b_a_budget_escalation_opened_by_hand_is_not_closed_by_the_wijk():
    buco = Client(servers[0], "auth_buco_hm")
    weth = Client(servers[1], "auth_weth_hm")
    wethouder = Client(servers[1], "auth_wethouder")
    ini = make_initiative(buco, "hilversumse_meent", "Met de hand")
    esc = new_id()
    applied(buco.one("escalation.open", {"id": esc, "wijk": "hilversumse_meent",
                                         "subject_type": "initiative", "subject_id": ini,
                                         "level": "budget", "reason": "Dreigt over te lopen"}),
            "the coordinator opens a budget escalation")
    roles = ("escalation.opener", "escalation.role")
    for who in (buco, weth):
        res = who.one("escalation.transition", {"id": esc, "expect_state": "open",
                                                "to": "teruggelegd", "note": "Terug"})
        refused(res, "FORBIDDEN", roles, "%s hands it back" % who.user)
    applied(buco.one("escalation.transition", {"id": esc, "expect_state": "open",
                                               "to": "opgepakt"}),
            "the wijk's staff take it up")
    for who in (buco, weth):
        res = who.one("escalation.transition", {"id": esc, "expect_state": "opgepakt",
                                                "to": "opgelost", "note": "Klaar"})
        refused(res, "FORBIDDEN", roles, "%s resolves it" % who.user)
    applied(wethouder.one("escalation.transition", {"id": esc, "expect_state": "opgepakt",
                                                    "to": "opgelost", "note": "Besproken"}),
            "the wethouder buurten resolves it")


@test
def case07c_the_teammanager_never_closes_the_escalation_his_own_commitment_opened():
    # Hilversumse Meent is over its 2021 richtbudget after case 7: any
    # commitment there opens a budget escalation, opened by its maker.
    tm = Client(servers[0], "auth_teammanager")
    wethouder = Client(servers[1], "auth_wethouder")
    buco = Client(servers[0], "auth_buco_hm")
    ini = make_initiative(buco, "hilversumse_meent", "Door de teammanager")
    cid, res = commit(tm, ini, 100000, 2021)
    result = applied(res, "commitment.create by the teammanager")
    equal(result.get("over_budget"), True, "over budget")
    esc = result.get("escalation_id")
    check(isinstance(esc, str) and esc, "an escalation_id: %r" % (result,))
    applied(tm.one("escalation.transition", {"id": esc, "expect_state": "open",
                                             "to": "opgepakt"}), "taken up")
    for to in ("opgelost", "teruggelegd"):
        res = tm.one("escalation.transition", {"id": esc, "expect_state": "opgepakt",
                                               "to": to, "note": "Zelf"})
        refused(res, "FORBIDDEN", "escalation.opener", "the opening teammanager to %s" % to)
    applied(wethouder.one("escalation.transition", {"id": esc, "expect_state": "opgepakt",
                                                    "to": "opgelost", "note": "Besproken"}),
            "the wethouder buurten resolves it")


@test
def case08_notes_are_changed_and_deleted_by_their_author_only():
    a = Client(servers[0], "auth_buco_c")
    b = Client(servers[1], "auth_buco_c2")
    ini = make_initiative(a, "centrum", "Notities")
    note = new_id()
    applied(a.one("note.create", {"id": note, "subject_type": "initiative", "subject_id": ini,
                                  "body": "Organisator gebeld"}), "note.create by A")
    res = b.one("note.update", {"id": note, "body": "Overschreven door B"})
    refused(res, "FORBIDDEN", "note.author", "note.update by B")
    res = b.one("note.delete", {"id": note})
    refused(res, "FORBIDDEN", "note.author", "note.delete by B")
    got = a.get("note", note)
    equal((got["row"].get("body"), got.get("deleted")), ("Organisator gebeld", False),
          "the note after B")
    applied(a.one("note.update", {"id": note, "body": "Organisator gebeld, komt langs"}),
            "note.update by A")
    equal(a.row("note", note).get("body"), "Organisator gebeld, komt langs", "A's update")
    applied(a.one("note.delete", {"id": note}), "note.delete by A")
    equal(a.get("note", note).get("deleted"), True, "deleted by A")


def make_request(client, wijk, title):
    rid = new_id()
    applied(client.one("request.create", {"id": rid, "wijk": wijk, "type": "melding",
                                          "title": title,
                                          "received_at": "2023-03-01T09:00:00Z"}),
            "request.create in %s" % wijk)
    return rid


def links_case(user):
    c = Client(servers[0], user)
    oost_req = make_request(Client(servers[1], "auth_buco_o"), "oost", "Losse tegel oost")
    centrum_req = make_request(Client(servers[1], "auth_buco_c"), "centrum",
                               "Losse tegel centrum")
    meeting = new_id()
    applied(c.one("meeting.create", {"id": meeting, "kind": "wijkoverleg", "wijk": "centrum",
                                     "starts_at": "2023-03-10T09:00:00Z"}), "meeting.create")

    def add(subject_id):
        item = new_id()
        return item, c.one("agenda_item.add", {"id": item, "meeting_id": meeting,
                                               "title": "Tegel", "subject_type": "request",
                                               "subject_id": subject_id})

    item, res = add(oost_req)
    refused(res, "VALIDATION", "scope.link", "agenda item about an oost request")
    first = (res.get("code"), rule_of(res))
    r = request(servers[0], "GET", "/api/v1/objects/agenda_item/" + item, token=c.token)
    equal(r.status, 404, "the refused agenda item does not exist")
    item, res = add(new_id())
    equal((res.get("status"), res.get("code"), rule_of(res)), ("rejected",) + first,
          "agenda item about a non-existent uuid: the same rejection")
    item, res = add(centrum_req)
    applied(res, "agenda item about a centrum request")
    equal(c.row("agenda_item", item).get("subject_id"), centrum_req, "linked")
    res = c.one("escalation.open", {"id": new_id(), "wijk": "centrum", "subject_type": "request",
                                    "subject_id": oost_req, "level": "sturingsoverleg",
                                    "reason": "Blijft liggen"})
    refused(res, "VALIDATION", "scope.link", "escalation in centrum about oost")


@test
def case09_links_stay_inside_their_scope():
    links_case("auth_buco_c")


@test
def case09b_links_stay_inside_their_scope_for_a_user_of_both_wijken():
    # A user who may see oost still cannot hang an oost object in centrum.
    links_case("auth_buco_co")


@test
def case09c_an_agenda_item_cannot_be_moved_onto_another_wijks_object():
    c = Client(servers[0], "auth_buco_co")
    oost_req = make_request(Client(servers[1], "auth_buco_o"), "oost", "Scheve paal oost")
    centrum_req = make_request(c, "centrum", "Scheve paal centrum")
    meeting = new_id()
    applied(c.one("meeting.create", {"id": meeting, "kind": "wijkoverleg", "wijk": "centrum",
                                     "starts_at": "2023-04-10T09:00:00Z"}), "meeting.create")
    item = new_id()
    applied(c.one("agenda_item.add", {"id": item, "meeting_id": meeting, "title": "Paal",
                                      "subject_type": "request", "subject_id": centrum_req}),
            "agenda item about a centrum request")
    row = c.get("agenda_item", item)
    res = c.one("agenda_item.update", {"id": item,
                                       "base": {"subject_id": row["versions"]["subject_id"]},
                                       "set": {"subject_id": oost_req}})
    refused(res, "VALIDATION", "scope.link", "update onto an oost request")
    equal(c.row("agenda_item", item).get("subject_id"), centrum_req, "still the centrum request")


@test
def case09d_a_cluster_meeting_links_its_own_wijken_only():
    c = Client(servers[0], "auth_buco_co")
    oost_req = make_request(Client(servers[1], "auth_buco_o"), "oost", "Bankje oost")
    centrum_req = make_request(c, "centrum", "Bankje centrum")
    meeting = new_id()
    applied(c.one("meeting.create", {"id": meeting, "kind": "wijkteam",
                                     "cluster": "centrum_zuidoost",
                                     "starts_at": "2023-05-01T19:00:00Z"}),
            "meeting of the cluster centrum_zuidoost")
    res = c.one("agenda_item.add", {"id": new_id(), "meeting_id": meeting, "title": "Bankje",
                                    "subject_type": "request", "subject_id": oost_req})
    refused(res, "VALIDATION", "scope.link", "an oost request in the cluster's meeting")
    applied(c.one("agenda_item.add", {"id": new_id(), "meeting_id": meeting, "title": "Bankje",
                                      "subject_type": "request", "subject_id": centrum_req}),
            "a centrum request in the cluster's meeting")


@test
def case10_me_lists_the_coordinators_grants():
    r = request(servers[1], "GET", "/api/v1/me", token=tokens["auth_buco_c"])
    equal(r.status, 200, "GET /me")
    equal(r.json.get("grants"), [{"role": "buurtcoordinator", "wijk": "centrum"}], "grants")


@test
def case10b_me_lists_a_city_wide_grant_with_wijk_null_and_every_wijk_grant():
    r = request(servers[1], "GET", "/api/v1/me", token=tokens["auth_teammanager"])
    equal(r.status, 200, "GET /me")
    equal(r.json.get("grants"), [{"role": "teammanager_samenleving", "wijk": None}], "grants")
    r = request(servers[0], "GET", "/api/v1/me", token=tokens["auth_buco_co"])
    equal(sorted(r.json.get("grants") or [], key=lambda g: str(g.get("wijk"))),
          [{"role": "buurtcoordinator", "wijk": "centrum"},
           {"role": "buurtcoordinator", "wijk": "oost"}], "two wijken")


def main():
    if not SERVER or not DATA_DIR:
        print("usage: test-authority.py BUURTEN_SERVER DATA_DIR", file=sys.stderr)
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
