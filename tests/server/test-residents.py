#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Issue 13 point 7, "Personal data has a lifetime": the real buurten-server
# on a real PostgreSQL. A resident's export finds them in objects, history
# and conflicts; erasure blanks them everywhere (nothing in a pg_dump) and
# an incremental pull delivers the blanked objects; retention, with the
# clock moved by --now, blanks old closed objects and leaves open ones; a
# pull from nothing after an overwrite never delivers the old value; reads
# of personal data are audited once per request.
#
#   test-residents.py BUURTEN_SERVER DATA_DIR
#
# BUURTEN_TEST_PG as for test-server.py, whose helpers are used. TAP.

import datetime
import importlib.util
import json
import os
import random
import signal
import subprocess
import sys
import time
import traceback
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("server_tests",
                                               os.path.join(HERE, "test-server.py"))
st = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(st)
st.DB_NAME = "buurten_residents_%d_%d" % (os.getpid(), random.randint(0, 99999))

Check, check, equal, diag = st.Check, st.check, st.equal, st.diag
Client, request, new_id = st.Client, st.request, st.new_id

USERS = {
    "buco": [("buurtcoordinator", ["centrum", "zuid"])],
    "buco2": [("buurtcoordinator", ["centrum", "zuid"])],
    "politie": [("partner", ["centrum"])],
}

server = None
tokens = {}


def setup():
    global server
    st.psql("CREATE DATABASE %s" % st.DB_NAME, dbname="postgres")
    r = st.run_admin("migrate")
    check(r.returncode == 0, "migrate: " + r.stderr)
    r = st.run_admin("import-municipality", st.MUNICIPALITY)
    check(r.returncode == 0, "import: " + r.stderr)
    pwfile = "/tmp/%s.pw" % st.DB_NAME
    with open(pwfile, "w") as f:
        f.write(st.PASSWORD + "\n")
    try:
        for name, grants in USERS.items():
            args = ["user", "add", "--username", name, "--password-file", pwfile]
            wijken = set()
            for role, ws in grants:
                args += ["--role", role]
                wijken.update(ws)
            for w in sorted(wijken):
                args += ["--wijk", w]
            r = st.run_admin(*args)
            check(r.returncode == 0, "user add %s: %s" % (name, r.stderr))
    finally:
        os.unlink(pwfile)
    server = st.Server()
    for name in USERS:
        tokens[name] = st.token_for(server, name)


def teardown():
    rc = server.stop() if server else 0
    st.psql("DROP DATABASE IF EXISTS %s WITH (FORCE)" % st.DB_NAME, dbname="postgres",
            check_rc=False)
    return rc


TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


def client(user):
    return Client(server, tokens[user])


def applied(res, what):
    equal(res["status"], "applied", "%s (%r)" % (what, res))
    return res


def new_request(c, wijk, title, name=None, contact=None):
    rid = new_id()
    args = {"id": rid, "wijk": wijk, "type": "melding", "title": title,
            "received_at": "2026-10-01T09:00:00Z"}
    if name or contact:
        args["reporter"] = {k: v for k, v in (("name", name), ("contact", contact)) if v}
    applied(c.one("request.create", args), "request.create")
    return rid


def new_initiative(c, wijk, title, organiser):
    ini = new_id()
    applied(c.one("initiative.create", {"id": ini, "wijk": wijk, "title": title,
                                        "organiser": organiser}), "initiative.create")
    return ini


def obj(user, type_, id_):
    r = request(server, "GET", "/api/v1/objects/%s/%s" % (type_, id_), token=tokens[user])
    equal(r.status, 200, "GET %s %s" % (type_, id_))
    return r.json


def transition(c, type_, id_, frm, to, note=None):
    args = {"id": id_, "expect_state": frm, "to": to}
    if note:
        args["note"] = note
    applied(c.one(type_ + ".transition", args), "%s %s -> %s" % (type_, frm, to))


def pg_dump():
    proc = subprocess.run(["pg_dump", "--data-only", st.conninfo(st.DB_NAME)],
                          capture_output=True, text=True)
    check(proc.returncode == 0, "pg_dump: " + proc.stderr)
    return proc.stdout


def audit_rows(action):
    out = st.psql_value("SELECT coalesce (json_agg (json_build_object ('actor', actor,"
                        " 'object', object, 'result', result) ORDER BY id), '[]')"
                        " FROM audit WHERE action = '%s'" % action)
    return json.loads(out)


def admin(*args):
    r = st.run_admin(*args)
    check(r.returncode == 0, "%s: exit %d: %s" % (" ".join(args), r.returncode, r.stderr))
    return r.stdout


def raw_pull_from_nothing(user):
    """Every page of a pull from nothing, as the raw bytes the server sent."""
    cursor, raw = None, b""
    while True:
        q = "limit=500" + ("&cursor=" + urllib.parse.quote(cursor) if cursor else "")
        r = request(server, "GET", "/api/v1/sync/pull?" + q, token=tokens[user])
        equal(r.status, 200, "pull")
        raw += r.raw
        cursor = r.json["cursor"]
        if not r.json["more"]:
            return raw


# ---- the tests ------------------------------------------------------------------

MARIEKE = "Marieke Jansen"
MARIEKE_MAIL = "marieke@example.org"
MARIEKE_NEW = "marieke.j@example.org"
MARIEKE_PHONE = "06-11112222"
PIETER = "Pieter Bakker"

scene = {}


@test
def export_finds_a_resident_in_objects_history_and_conflicts():
    a, b = client("buco"), client("buco2")
    rid = new_request(a, "centrum", "Lantaarnpaal stuk", MARIEKE, MARIEKE_MAIL)
    ini = new_initiative(a, "zuid", "Buurtmoestuin", MARIEKE)
    other = new_request(a, "centrum", "Losse stoeptegel", PIETER, "pieter@example.org")
    # Two writers change the contact from the same base: B's value loses
    # and becomes a conflict (with both values), A's stays.
    applied(a.one("request.update", {"id": rid, "base": {"reporter_contact": 1},
                                     "set": {"reporter_contact": MARIEKE_PHONE}}), "A")
    res = b.one("request.update", {"id": rid, "base": {"reporter_contact": 1},
                                   "set": {"reporter_contact": MARIEKE_NEW}})
    equal(res["status"], "conflict", "B meets a conflict (%r)" % res)
    scene.update(rid=rid, ini=ini, other=other, cursor=None)
    # A laptop of buco that is up to date before the erasure.
    c = client("buco")
    c.pull_all()
    scene["laptop"] = c

    out = admin("resident", "export", "--name", "  marieke JANSEN ", "--reference", "AVG-15-001")
    doc = json.loads(out)
    equal(sorted(o["id"] for o in doc["objects"]), sorted([rid, ini]), "objects found")
    check(set(doc["personal_fields"]) >= {"reporter_name", "reporter_contact", "organiser"},
          "personal fields from core: %r" % doc["personal_fields"])
    rows = {o["id"]: o["row"] for o in doc["objects"]}
    equal((rows[rid]["reporter_name"], rows[rid]["reporter_contact"]), (MARIEKE, MARIEKE_PHONE),
          "the request as held")
    equal(rows[ini]["organiser"], MARIEKE, "the initiative as held")
    hist = [h for h in doc["history"] if h["id"] == rid]
    # create, update, and the conflict's transaction (same version)
    equal(len(hist), 3, "history rows of the request (%r)" % hist)
    equal(len(doc["conflicts"]), 1, "one conflict")
    k = doc["conflicts"][0]
    equal((k["row"], k["field"], k["theirs"], k["yours"], k["user"]),
          (rid, "reporter_contact", MARIEKE_PHONE, MARIEKE_NEW, "buco2"), "the conflict")
    check(PIETER not in out, "another resident is not in the export")

    # By a contact that is only in the conflict.
    doc2 = json.loads(admin("resident", "export", "--contact", MARIEKE_NEW))
    equal([o["id"] for o in doc2["objects"]], [rid], "found through the conflict")

    lines = audit_rows("resident.export")
    equal(len(lines), 2, "one audit line per export")
    equal(lines[0]["object"], "AVG-15-001", "the reference")
    equal(lines[0]["result"], "ok: 2 objects, 4 history rows, 1 conflicts", "counts")
    check(lines[0]["actor"].startswith("cli:"), "actor: %r" % lines[0]["actor"])
    check("marieke" not in json.dumps(lines).lower(), "no name in the audit")

    r = st.run_admin("resident", "export")
    equal(r.returncode, 1, "export without a name or contact: %s" % r.stderr)


@test
def erase_blanks_everywhere_and_the_next_pull_delivers_it():
    rid, ini, other = scene["rid"], scene["ini"], scene["other"]
    dump = pg_dump()
    for s in (MARIEKE, MARIEKE_PHONE, MARIEKE_NEW):
        check(s in dump, "before: %r in the dump" % s)
    before = {t: obj("buco", t, i)["version"] for t, i in (("request", rid), ("initiative", ini))}

    out = admin("resident", "erase", "--name", MARIEKE, "--contact", MARIEKE_PHONE,
                "--reference", "AVG-17-001")
    check(out.startswith("erased: 2 objects"), out)

    dump = pg_dump()
    for s in (MARIEKE, MARIEKE_MAIL, MARIEKE_PHONE, MARIEKE_NEW):
        check(s not in dump, "after: %r is still in the dump: %s" % (
            s, [l for l in dump.splitlines() if s in l]))
    check(PIETER in dump, "another resident is kept")

    req = obj("buco", "request", rid)
    equal(req["version"], before["request"] + 1, "a new version")
    check("reporter_name" not in req["row"] and "reporter_contact" not in req["row"],
          "blank: %r" % req["row"])
    equal(req["row"]["title"], "Lantaarnpaal stuk", "the rest stays")
    equal(req["row"]["version"], req["version"], "the row's version")
    check(req["row"]["updated_at"] >= datetime.datetime.now(datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%SZ")[:15], "updated_at moved: %r" % req["row"]["updated_at"])
    equal(req["versions"]["reporter_name"], req["version"], "the field's version moved")
    check("organiser" not in obj("buco", "initiative", ini)["row"], "organiser blank")

    # The laptop's next (incremental) pull delivers both, blanked.
    changes, _, _ = scene["laptop"].pull_all()
    got = {c["id"]: c for c in changes}
    check(rid in got and ini in got, "pulled: %r" % list(got))
    equal(got[rid]["version"], before["request"] + 1, "the new version is pulled")
    check("reporter_name" not in got[rid]["row"], "pulled blank")
    check("organiser" not in got[ini]["row"], "pulled blank")

    lines = audit_rows("resident.erase")
    equal(len(lines), 1, "one audit line")
    equal(lines[0]["object"], "AVG-17-001", "the reference")
    check(lines[0]["result"].startswith("ok: 2 objects,"), lines[0]["result"])

    # A second erasure finds nothing.
    out = admin("resident", "erase", "--name", MARIEKE)
    check(out.startswith("erased: 0 objects, 0 history rows"), out)

    # A change made on the version before the erasure meets a conflict
    # (the field's version moved); it does not silently put the name back.
    res = client("buco2").one("request.update", {"id": rid,
                                                 "base": {"reporter_name": before["request"]},
                                                 "set": {"reporter_name": "M. Jansen"}})
    equal(res["status"], "conflict", "an edit on the old version (%r)" % res)
    check("reporter_name" not in obj("buco", "request", rid)["row"], "still blank")


@test
def a_pull_from_nothing_never_delivers_an_overwritten_value():
    a = client("buco")
    rid = new_request(a, "zuid", "Overlast", "Oude Naam", "oud@example.org")
    applied(a.one("request.update", {"id": rid, "base": {"reporter_name": 1},
                                     "set": {"reporter_name": "Nieuwe Naam"}}), "rename")
    applied(a.one("request.update", {"id": rid, "base": {"title": 1},
                                     "set": {"title": "Overlast 's nachts"}}), "retitle")
    raw = raw_pull_from_nothing("buco")
    check(b"Nieuwe Naam" in raw, "the current name is delivered")
    check(b"Oude Naam" not in raw, "the old name is not delivered")
    check(b"oud@example.org" in raw, "the current contact is delivered")
    equal(st.psql_value("SELECT count (*) FROM changes WHERE data::text LIKE '%Oude Naam%'"),
          "0", "no history row holds it")
    equal(st.psql_value("SELECT count (*) FROM changes WHERE object_id = '%s'" % rid), "3",
          "the history rows are still there")
    equal(st.psql_value("SELECT count (*) FROM changes WHERE object_id = '%s'"
                        " AND data ? 'reporter_name'" % rid), "1", "only the newest row has it")

    # History from before this rule (put back by hand) goes at retention.
    st.psql("UPDATE changes SET data = data || '{\"reporter_name\": \"Historische Naam\"}'"
            " WHERE object_id = '%s' AND seq = (SELECT min (seq) FROM changes"
            " WHERE object_id = '%s')" % (rid, rid))
    out = admin("retention")
    check("1 superseded history rows" in out, out)
    check("Historische Naam" not in pg_dump(), "gone")
    equal(obj("buco", "request", rid)["row"]["reporter_name"], "Nieuwe Naam", "current kept")


def years_from_now(years, days=0):
    t = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=365 * years + 2 + days)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


@test
def retention_blanks_closed_objects_past_their_period_and_leaves_open_ones():
    a = client("buco")
    closed = new_request(a, "centrum", "Afgehandeld", "Jan Gesloten", "jan@example.org")
    transition(a, "request", closed, "nieuw", "afgehandeld")
    open_ = new_request(a, "centrum", "Nog open", "Els Open", "els@example.org")
    nomoney = new_initiative(a, "centrum", "Zonder geld", "Kees Verwezen")
    transition(a, "initiative", nomoney, "idee", "doorverwezen", "Past bij het sportfonds")
    money = new_initiative(a, "zuid", "Met geld", "Fatima Geld")
    cid = new_id()
    res = applied(a.one("commitment.create", {"id": cid, "initiative_id": money,
                                              "amount_cents": 100000, "funding": "wijkbudget",
                                              "year": 2021}), "commitment")
    res = applied(a.one("commitment.sign", {"id": cid}), "sign")
    equal(res["result"]["state"], "approved", "money approved")
    equal(obj("buco", "initiative", money)["row"]["state"], "toegekend", "granted")
    transition(a, "initiative", money, "toegekend", "in_uitvoering")
    # Afgerond only once accounted for (issue 14, point 6).
    applied(a.one("verantwoording.record", {"id": new_id(), "initiative_id": money,
                                            "happened": "Uitgevoerd",
                                            "feedback": "Buurtkrant"}), "verantwoording")
    transition(a, "initiative", money, "in_uitvoering", "afgerond")
    laptop = client("buco")
    laptop.pull_all()

    def held():
        dump = pg_dump()
        return {n: n in dump for n in ("Jan Gesloten", "jan@example.org", "Els Open",
                                       "Kees Verwezen", "Fatima Geld")}

    # Now, and four years on: nothing is past its period.
    admin("retention")
    admin("retention", "--now", years_from_now(4))
    equal(held(), {"Jan Gesloten": True, "jan@example.org": True, "Els Open": True,
                   "Kees Verwezen": True, "Fatima Geld": True}, "all kept")

    # Six years on: the closed request and the initiative without money go.
    out = admin("retention", "--now", years_from_now(6))
    check("2 closed objects" in out, out)
    equal(held(), {"Jan Gesloten": False, "jan@example.org": False, "Els Open": True,
                   "Kees Verwezen": False, "Fatima Geld": True}, "after 6 years")
    changes, _, _ = laptop.pull_all()
    got = {c["id"]: c for c in changes}
    equal(sorted(got), sorted([closed, nomoney]), "the laptop gets both blanked objects")
    check("reporter_name" not in got[closed]["row"], "blank on the laptop")
    equal(got[closed]["row"]["state"], "afgehandeld", "still closed")

    # A shorter period from the options, and eight years for money.
    out = admin("retention", "--now", years_from_now(6), "--keep-initiatives-years", "10")
    check("0 closed objects" in out, out)
    out = admin("retention", "--now", years_from_now(8))
    check("1 closed objects" in out, out)
    equal(held()["Fatima Geld"], False, "the initiative with money after 8 years")
    equal(held()["Els Open"], True, "the open request stays, however old")

    lines = audit_rows("retention")
    check(len(lines) >= 5, "one audit line per run: %r" % lines)
    check(lines[-1]["result"].startswith("ok: 1 closed objects"), lines[-1]["result"])


@test
def a_reopened_request_counts_from_its_last_closing():
    a = client("buco")
    rid = new_request(a, "zuid", "Heropend", "Henk Heropend")
    transition(a, "request", rid, "nieuw", "afgehandeld")
    # Closed "six years ago" (the change rows' times moved back), reopened
    # and closed again now.
    st.psql("UPDATE changes SET at = at - interval '6 years' WHERE object_id = '%s'" % rid)
    out = admin("retention")
    check("1 closed objects" in out, "closed six years ago: %s" % out)
    rid = new_request(a, "zuid", "Heropend 2", "Henk Heropend")
    transition(a, "request", rid, "nieuw", "afgehandeld")
    st.psql("UPDATE changes SET at = at - interval '6 years' WHERE object_id = '%s'" % rid)
    transition(a, "request", rid, "afgehandeld", "heropend")
    transition(a, "request", rid, "heropend", "afgehandeld")
    out = admin("retention")
    check("0 closed objects" in out, "closed again now: %s" % out)
    equal(obj("buco", "request", rid)["row"]["reporter_name"], "Henk Heropend", "kept")


@test
def reads_of_personal_data_are_audited_once_per_request():
    a = client("buco")
    rid = new_request(a, "centrum", "Gelezen", "Lies Lezer", "lies@example.org")
    nopersonal = new_request(a, "centrum", "Zonder melder")
    applied(a.one("request.assign", {"id": rid, "assignee": "politie"}), "assign")

    def lines():
        return audit_rows("read.personal")

    n = len(lines())
    obj("buco", "request", rid)
    got = lines()[n:]
    equal([(l["actor"], l["object"], l["result"]) for l in got],
          [("buco", "request:" + rid, "ok: 1 objects")], "one line for a GET")
    obj("buco", "request", nopersonal)
    r = request(server, "GET", "/api/v1/objects/request/" + rid, token=tokens["politie"])
    equal(r.status, 200, "the partner reads its request")
    check("reporter_name" not in r.json["row"], "without personal data")
    equal(len(lines()), n + 1, "no line without personal data delivered")

    # A pull from nothing: one line per page that holds personal data,
    # naming how many objects with it the page delivered.
    expected = int(st.psql_value(
        "SELECT count (*) FROM objects WHERE scope IN ('centrum', 'zuid')"
        " AND data ?| array['reporter_name', 'reporter_contact', 'organiser']"))
    check(expected >= 3, "objects with personal data: %d" % expected)
    c = client("buco")
    _, _, pages = c.pull_all(limit=5000)
    equal(pages, 1, "one page")
    got = lines()[n + 1:]
    equal([(l["actor"], l["object"], l["result"]) for l in got],
          [("buco", "pull", "ok: %d objects" % expected)], "one line for the pull")
    # Up to date (the fast path) and the partner's pull deliver none.
    c.pull_all()
    p = client("politie")
    changes, _, _ = p.pull_all()
    check(any(ch["id"] == rid for ch in changes), "the partner pulls its request")
    equal(len(lines()), n + 2, "no more lines")
    # Smaller pages: a line for each page with personal data, none of them
    # naming more than the page holds.
    d = client("buco")
    _, _, pages = d.pull_all(limit=2)
    got = lines()[n + 2:]
    check(1 < len(got) <= pages, "%d lines for %d pages" % (len(got), pages))
    check(all(int(l["result"].split()[1]) <= 2 for l in got), "per page: %r" % got)
    equal(sum(int(l["result"].split()[1]) for l in got), expected,
          "every object with personal data counted once in all")


def main():
    if not st.SERVER or not st.DATA_DIR:
        print("usage: test-residents.py BUURTEN_SERVER DATA_DIR", file=sys.stderr)
        return 2
    if not st.PG:
        print("1..0 # SKIP BUURTEN_TEST_PG is not set (./dev test starts PostgreSQL)")
        return 0
    print("1..%d" % len(TESTS), flush=True)
    try:
        setup()
    except Exception:
        print("Bail out! setup failed")
        diag(traceback.format_exc())
        if server:
            server.stop(signal.SIGKILL)
            diag(server.output()[-3000:])
        st.psql("DROP DATABASE IF EXISTS %s WITH (FORCE)" % st.DB_NAME, dbname="postgres",
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
            diag(server.output()[-1500:])
    teardown()
    for s in st.all_servers:
        try:
            os.unlink(s.log_path)
        except OSError:
            pass
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
