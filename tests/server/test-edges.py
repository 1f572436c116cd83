#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The sync protocol's edges that a randomised fault run from outside found
# (issue 13, point 11), and the poison push (point 4): each against the
# real buurten-server on a real PostgreSQL, over HTTP.
#
#   test-edges.py BUURTEN_SERVER DATA_DIR
#
# BUURTEN_TEST_PG as for test-server.py; the harness is suite.py's. TAP.

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import suite  # noqa: E402

s = suite.Suite("edges", {
    "buco": [("buurtcoordinator", ["centrum"])],
    "politie": [("partner", ["centrum"])],
})
st = s.st
check, equal, diag, new_id = st.check, st.equal, st.diag, st.new_id
Client, request = st.Client, st.request
tokens = s.tokens
test = s.test


def net(changes):
    """What a laptop holds after applying the changes in order: id -> row."""
    held = {}
    for c in changes:
        if c["op"] == "del":
            held.pop(c["id"], None)
        else:
            held[c["id"]] = c
    return held


def new_request(buco, title, assignee=None):
    rid = new_id()
    res = buco.one("request.create", {"id": rid, "wijk": "centrum", "type": "klacht",
                                      "title": title, "received_at": "2026-11-01T08:00:00Z",
                                      "reporter": {"name": "Truus Tester",
                                                   "contact": "06-87654321"}})
    equal(res["status"], "applied", "create")
    if assignee:
        res = buco.one("request.assign", {"id": rid, "assignee": assignee})
        equal(res["status"], "applied", "assign")
    return rid


@test
def a_request_reassigned_away_from_a_partner_leaves_its_laptops():
    buco = Client(s.server, tokens["buco"])
    rid = new_request(buco, "Overlast bij de haven", "politie")
    laptop = Client(s.server, tokens["politie"])
    changes, _, _ = laptop.pull_all()
    check(rid in net(changes), "the partner has its request")

    res = buco.one("request.assign", {"id": rid, "assignee": "woningcorporatie"})
    equal(res["status"], "applied", "reassigned")
    r = request(s.server, "GET", "/api/v1/objects/request/" + rid, token=tokens["politie"])
    equal(r.status, 403, "no longer the partner's")

    # The laptop that had it is told to drop it...
    changes, _, _ = laptop.pull_all()
    equal([(c["id"], c["op"]) for c in changes if c["id"] == rid], [(rid, "del")],
          "the incremental pull withdraws it")
    # ... and a new laptop of the partner never ends up with it.
    fresh = Client(s.server, tokens["politie"])
    changes, _, _ = fresh.pull_all()
    check(rid not in net(changes), "a pull from nothing ends without it")
    for limit in (1, 2, 3):
        paged = Client(s.server, tokens["politie"])
        changes, _, _ = paged.pull_all(limit=limit)
        check(rid not in net(changes), "nor in pages of %d" % limit)
    # Staff still see it, not deleted.
    staff, _, _ = Client(s.server, tokens["buco"]).pull_all()
    check(rid in net(staff), "staff keep it")
    # Given back, the partner has it again.
    res = buco.one("request.assign", {"id": rid, "assignee": "politie"})
    equal(res["status"], "applied", "given back")
    changes, _, _ = laptop.pull_all()
    check(rid in net(changes), "back on the partner's laptop")


@test
def a_partner_sees_no_trace_of_personal_fields_in_versions():
    buco = Client(s.server, tokens["buco"])
    rid = new_request(buco, "Kapotte lantaarn", "politie")
    res = buco.one("request.update", {"id": rid, "base": {"reporter_name": 1},
                                      "set": {"reporter_name": "Truus T."}})
    equal(res["status"], "applied", "the reporter's name changed")
    p = Client(s.server, tokens["politie"])
    changes, _, _ = p.pull_all()
    mine = [c for c in changes if c["id"] == rid and c["op"] == "put"]
    check(mine, "the partner pulls its request")
    for c in mine:
        for key in ("reporter_name", "reporter_contact"):
            check(key not in c["row"], "no %s in the row" % key)
            check(key not in c.get("versions", {}), "no %s in the versions" % key)
    r = request(s.server, "GET", "/api/v1/objects/request/" + rid, token=tokens["politie"])
    equal(r.status, 200, "reads it")
    raw = json.dumps(r.json)
    check("reporter_" not in raw, "GET /objects names no personal field: %s" % raw[:300])
    staff = request(s.server, "GET", "/api/v1/objects/request/" + rid, token=tokens["buco"])
    check("reporter_name" in staff.json["versions"], "staff see the versions")


@test
def a_hole_inside_a_push_names_the_servers_last_mid():
    c = Client(s.server, tokens["buco"])
    res = c.one("note.create", {"id": new_id(), "subject_type": "request",
                                "subject_id": new_request(c, "Gat in de weg"), "body": "x"})
    equal(res["status"], "applied", "scene")
    last = c.mid
    r1, r2 = new_id(), new_id()
    body = {"client_id": c.client_id, "schema": 1, "mutations": [
        {"mid": last + 1, "name": "request.create",
         "args": {"id": r1, "wijk": "centrum", "type": "vraag", "title": "Een",
                  "received_at": "2026-11-01T09:00:00Z"}},
        {"mid": last + 3, "name": "request.create",
         "args": {"id": r2, "wijk": "centrum", "type": "vraag", "title": "Drie",
                  "received_at": "2026-11-01T09:00:00Z"}}]}
    r = request(s.server, "POST", "/api/v1/sync/push", body, token=c.token)
    equal((r.status, r.code), (409, "MID_GAP"), "a hole inside the push")
    equal(r.json["error"]["last_mid"], last, "the server's last mid, not the push's")
    equal(st.psql_value("SELECT count(*) FROM objects WHERE id IN ('%s', '%s')" % (r1, r2)),
          "0", "nothing applied")
    # A client that has never pushed: 0.
    fresh = Client(s.server, tokens["buco"])
    body["client_id"] = fresh.client_id
    body["mutations"][0]["mid"], body["mutations"][1]["mid"] = 1, 3
    r = request(s.server, "POST", "/api/v1/sync/push", body, token=fresh.token)
    equal((r.status, r.code, r.json["error"]["last_mid"]), (409, "MID_GAP", 0), "new client")


@test
def a_conflicting_value_is_still_validated():
    a = Client(s.server, tokens["buco"])
    b = Client(s.server, tokens["buco"])
    rid = new_request(a, "Origineel")
    res = a.one("request.update", {"id": rid, "base": {"title": 1}, "set": {"title": "Van A"}})
    equal(res["status"], "applied", "A")
    long_title = "T" * 201
    res = b.one("request.update", {"id": rid, "base": {"title": 1}, "set": {"title": long_title}})
    equal((res["status"], res.get("code")), ("rejected", "VALIDATION"), "too long, conflict or not")
    check(long_title not in json.dumps(res), "not echoed")
    equal(st.psql_value("SELECT count(*) FROM conflicts WHERE yours::text LIKE '%%TTTTTTTTTT%%'"),
          "0", "no conflict record holds it")
    r = request(s.server, "GET", "/api/v1/objects/request/" + rid, token=tokens["buco"])
    equal(r.json["row"]["title"], "Van A", "the server's value stays")


@test
def a_message_quoting_text_is_cut_between_characters_not_inside_one():
    # The state named in args.to is quoted in the refusal, at most 64 bytes
    # of it: cut inside the two bytes of "é" it once made the stored result
    # invalid UTF-8, PostgreSQL refused it, and the push answered 503 for ever.
    c = Client(s.server, tokens["buco"])
    rid = new_request(c, "Poison")
    bad = "a" * 63 + "é" * 10
    res = c.one("request.transition", {"id": rid, "expect_state": "nieuw", "to": bad})
    equal((res["status"], res.get("code")), ("rejected", "VALIDATION"), "rejected, not a 503")
    check("\ufffd" not in res["message"], "no broken character: %r" % res["message"])
    check(res["message"].find("a" * 63) >= 0 and "…" in res["message"], "cut with an ellipsis")
    # The stored result is what a replay gets, whole.
    body = {"client_id": c.client_id, "schema": 1, "mutations": [
        {"mid": c.mid, "name": "request.transition",
         "args": {"id": rid, "expect_state": "nieuw", "to": bad}}]}
    r = request(s.server, "POST", "/api/v1/sync/push", body, token=c.token)
    equal(r.status, 200, "replay")
    equal(r.json["results"][0], res, "the same result")
    # Unknown mutation names are quoted the same way.
    res = c.one("é" * 40, {})
    equal(res.get("code"), "UNKNOWN_MUTATION", "unknown")
    check("\ufffd" not in res["message"], "whole characters: %r" % res["message"])


@test
def a_result_the_database_refuses_rejects_that_mutation_only():
    # Whatever else could make PostgreSQL refuse a stored result (the bug
    # of point 4 is fixed above), the push must not answer 503 for ever.
    # A trigger plays that database here: it refuses, with a data
    # exception, the result of any mutation that quotes POISON-MARKER.
    st.psql("CREATE FUNCTION test_poison () RETURNS trigger LANGUAGE plpgsql AS $$"
            " BEGIN IF NEW.result LIKE '%POISON-MARKER%' THEN"
            "  RAISE EXCEPTION 'poisoned' USING ERRCODE = '22021'; END IF;"
            " RETURN NEW; END $$;"
            " CREATE TRIGGER test_poison BEFORE INSERT ON mutation_results"
            " FOR EACH ROW EXECUTE FUNCTION test_poison ()")
    try:
        c = Client(s.server, tokens["buco"])
        rid = new_request(c, "Gif")
        before = c.mid
        r1, r3 = new_id(), new_id()
        results = c.push(
            ("request.create", {"id": r1, "wijk": "centrum", "type": "vraag", "title": "Eerste",
                                "received_at": "2026-11-01T09:00:00Z"}),
            ("request.transition", {"id": rid, "expect_state": "nieuw", "to": "POISON-MARKER"}),
            ("request.create", {"id": r3, "wijk": "centrum", "type": "vraag", "title": "Derde",
                                "received_at": "2026-11-01T09:00:00Z"}))
        equal([r["status"] for r in results], ["applied", "rejected", "applied"],
              "one rejected, the others applied")
        equal(results[1].get("code"), "INTERNAL", "named as the server's failure")
        equal(st.psql_value("SELECT count(*) FROM objects WHERE id IN ('%s', '%s')" % (r1, r3)),
              "2", "the others are stored")
        equal(st.psql_value("SELECT last_mid FROM clients WHERE client_id = '%s'" % c.client_id),
              str(before + 3), "the client moves on")
        # Sent again (a lost answer): the same results, nothing twice.
        body = {"client_id": c.client_id, "schema": 1, "mutations": [
            {"mid": before + 1 + k, "name": "note.create", "args": {}} for k in range(3)]}
        r = request(s.server, "POST", "/api/v1/sync/push", body, token=c.token)
        equal((r.status, [x["status"] for x in r.json["results"]]),
              (200, ["applied", "rejected", "applied"]), "replayed from the stored results")
    finally:
        st.psql("DROP TRIGGER test_poison ON mutation_results; DROP FUNCTION test_poison ()")


if __name__ == "__main__":
    sys.exit(s.main())
