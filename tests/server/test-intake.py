#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# An initiative's intake (issue 14, point 2) against the real buurten-server
# on a real PostgreSQL, over HTTP: the organiser's contact and the payee
# (IBAN checked by core, as the app checks it), budget lines whose balance
# the server keeps as the amount asked, the plan's dates, an idea taken on
# as an initiative, and what partners and the resident commands see of it.
#
#   test-intake.py BUURTEN_SERVER DATA_DIR
#
# BUURTEN_TEST_PG as for test-server.py. TAP.

import datetime
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import suite  # noqa: E402

s = suite.Suite("intake", {
    "buco": [("buurtcoordinator", ["centrum"])],
    "buco_oost": [("buurtcoordinator", ["oost"])],
    "weth": [("wijkwethouder", ["centrum"])],
    "politie": [("partner", ["centrum"])],
})
st = s.st
check, equal, new_id = st.check, st.equal, st.new_id

ORGANISER = {
    "organiser": "Anouk de Vries",
    "organiser_address": "Kerkstraat 12, 1211 CM Hilversum",
    "organiser_phone": "06-12345678",
    "organiser_email": "anouk@example.nl",
    "organisation": "Stichting Groen Centrum",
    "kvk": "12345678",
    "iban": "NL91ABNA0417164300",
    "account_holder": "Stichting Groen Centrum",
}


def new_initiative(c, **extra):
    iid = new_id()
    args = {"id": iid, "wijk": "centrum", "title": "Buurtmoestuin Kerkplein",
            "description": "Een moestuin voor en door de buurt"}
    args.update(ORGANISER)
    args.update(extra)
    res = c.one("initiative.create", args)
    equal(res["status"], "applied", "create (%r)" % res)
    return iid


def row(iid, user="buco", kind="initiative"):
    r = st.request(s.server, "GET", "/api/v1/objects/%s/%s" % (kind, iid), token=s.tokens[user])
    equal(r.status, 200, "GET %s" % kind)
    return r.json["row"]


def refused(res, code, what):
    equal((res["status"], res.get("code")), ("rejected", code), "%s (%r)" % (what, res))


@s.test
def an_initiative_holds_its_whole_intake():
    c = s.client("buco")
    iid = new_initiative(c, for_whom="Bewoners van het Kerkplein", place="Kerkplein",
                         support_note="Handtekeningenlijst, 43 adressen")
    # How many residents support it is judged after the intake: an update.
    res = c.one("initiative.update", {"id": iid, "base": {"support_count": 1},
                                      "set": {"support_count": 43}})
    equal(res["status"], "applied", "draagvlak (%r)" % res)
    got = row(iid)
    for key, value in ORGANISER.items():
        equal(got.get(key), value, key)
    equal((got["for_whom"], got["place"], got["support_count"]),
          ("Bewoners van het Kerkplein", "Kerkplein", 43), "the plan and draagvlak")

    # A judgement with its remark.
    res = c.one("initiative.update", {"id": iid, "base": {"crit_support": 1,
                                                          "crit_support_remark": 1},
                                      "set": {"crit_support": "yes",
                                              "crit_support_remark": "43 buren tekenden"}})
    equal(res["status"], "applied", "judged (%r)" % res)
    equal(row(iid)["crit_support_remark"], "43 buren tekenden", "the remark")

    # Submitted: the application date, from which the decision term counts.
    check("submitted_on" not in row(iid), "an idea has no application date")
    res = c.one("initiative.transition", {"id": iid, "expect_state": "idee", "to": "ingediend"})
    equal(res["status"], "applied", "submitted (%r)" % res)
    equal(row(iid).get("submitted_on"), datetime.date.today().isoformat(), "submitted today")


@s.test
def a_wrong_iban_is_refused_with_the_field_named():
    c = s.client("buco")
    res = c.one("initiative.create", {"id": new_id(), "wijk": "centrum", "title": "X",
                                      "iban": "NL91ABNA0417164301"})
    refused(res, "VALIDATION", "check digits")
    check("initiative.iban" in res["message"] and "check digits" in res["message"],
          "names the field and the fault: %r" % res["message"])
    check("NL91ABNA0417164301" not in json.dumps(res), "the IBAN is not echoed")

    iid = new_initiative(c)
    for bad, says in (("NL91 ABNA 0417 1643 00", "letters and digits"),
                      ("NL91ABNA041716430", "characters"), ("US64SVBKUS6S3300958879", "SEPA")):
        res = c.one("initiative.update", {"id": iid, "base": {"iban": 1}, "set": {"iban": bad}})
        refused(res, "VALIDATION", bad)
        check(says in res["message"], "%s: %r" % (bad, res["message"]))
    for field, bad in (("kvk", "1234"), ("organiser_email", "anouk"),
                       ("organiser_phone", "bel me")):
        res = c.one("initiative.update", {"id": iid, "base": {field: 1}, "set": {field: bad}})
        refused(res, "VALIDATION", field)
    equal(row(iid)["iban"], ORGANISER["iban"], "unchanged")


@s.test
def budget_lines_make_the_amount_asked():
    c = s.client("buco")
    iid = new_initiative(c)
    lines = [("kosten", "Plantenbakken", 125000), ("kosten", "Zaden en gereedschap", 49950),
             ("inkomsten", "Bijdrage woningcorporatie", 20000),
             ("eigen_bijdrage", "Bewoners", 4950)]
    ids = []
    for n, (kind, text, cents) in enumerate(lines):
        lid = new_id()
        res = c.one("budget_line.add", {"id": lid, "initiative_id": iid, "kind": kind,
                                        "description": text, "amount_cents": cents,
                                        "position": n})
        equal(res["status"], "applied", "line %s (%r)" % (text, res))
        ids.append(lid)
    equal(row(iid)["requested_cents"], 150000, "costs less income and own contribution")

    res = c.one("budget_line.update", {"id": ids[0], "base": {"amount_cents": 1},
                                       "set": {"amount_cents": 100000}})
    equal(res["status"], "applied", "a line changed (%r)" % res)
    equal(row(iid)["requested_cents"], 125000, "follows a change")
    res = c.one("budget_line.remove", {"id": ids[2]})
    equal(res["status"], "applied", "a line removed")
    equal(row(iid)["requested_cents"], 145000, "follows a removal")

    # Bad lines and other people's initiatives.
    res = c.one("budget_line.add", {"id": new_id(), "initiative_id": iid, "kind": "subsidie",
                                    "description": "x", "amount_cents": 1})
    refused(res, "VALIDATION", "an unknown kind")
    res = c.one("budget_line.add", {"id": new_id(), "initiative_id": iid, "kind": "kosten",
                                    "description": "x", "amount_cents": -5})
    refused(res, "VALIDATION", "a negative amount")
    res = s.client("buco_oost").one("budget_line.add", {
        "id": new_id(), "initiative_id": iid, "kind": "kosten", "description": "x",
        "amount_cents": 100})
    refused(res, "FORBIDDEN", "another wijk's coordinator")

    # Once referred elsewhere the plan no longer changes.
    res = c.one("initiative.transition", {"id": iid, "expect_state": "idee", "to": "doorverwezen",
                                          "note": "Past beter bij het groenfonds"})
    equal(res["status"], "applied", "referred (%r)" % res)
    res = c.one("budget_line.add", {"id": new_id(), "initiative_id": iid, "kind": "kosten",
                                    "description": "Nog iets", "amount_cents": 100})
    refused(res, "INVALID_STATE", "a closed plan")
    equal(res.get("args", {}).get("rule"), "initiative.plan_closed", "the rule")
    res = c.one("budget_line.remove", {"id": ids[1]})
    refused(res, "INVALID_STATE", "nor removed")
    equal(row(iid)["requested_cents"], 145000, "the amount stays")


@s.test
def the_plan_has_dates_and_partners_see_none_of_it():
    c = s.client("buco")
    iid = new_initiative(c)
    aid = new_id()
    res = c.one("activity.add", {"id": aid, "initiative_id": iid, "starts_on": "2027-04-18",
                                 "title": "Plantdag", "place": "Kerkplein"})
    equal(res["status"], "applied", "a date (%r)" % res)
    res = c.one("activity.update", {"id": aid, "base": {"starts_on": 1, "ends_on": 0},
                                    "set": {"starts_on": "2027-04-25", "ends_on": "2027-04-26"}})
    equal(res["status"], "applied", "moved (%r)" % res)
    got = row(aid, kind="activity")
    equal((got["starts_on"], got["ends_on"]), ("2027-04-25", "2027-04-26"), "the new dates")
    res = c.one("activity.add", {"id": new_id(), "initiative_id": iid, "starts_on": "2027-02-30"})
    refused(res, "VALIDATION", "no such day")
    lid = new_id()
    res = c.one("budget_line.add", {"id": lid, "initiative_id": iid, "kind": "kosten",
                                    "description": "Schoppen", "amount_cents": 2500})
    equal(res["status"], "applied", "a line")

    p = s.client("politie")
    changes, _, _ = p.pull_all()
    seen = {ch["id"] for ch in changes}
    check(not seen & {iid, aid, lid}, "a partner pulls no initiative, date or line")
    staff, _, _ = s.client("buco").pull_all()
    types = {ch["id"]: ch["type"] for ch in staff if ch["op"] == "put"}
    equal((types.get(aid), types.get(lid)), ("activity", "budget_line"), "staff pull both")
    res = c.one("activity.remove", {"id": aid})
    equal(res["status"], "applied", "removed")


@s.test
def an_idea_becomes_an_initiative_linked_both_ways():
    c = s.client("buco")
    rid = new_id()
    res = c.one("request.create", {"id": rid, "wijk": "centrum", "type": "idee",
                                   "title": "Bankjes bij de vijver",
                                   "description": "Oudere buren willen kunnen rusten",
                                   "received_at": "2026-11-20T10:00:00Z",
                                   "reporter": {"name": "Gerrit Post",
                                                "contact": "gerrit@example.nl"}})
    equal(res["status"], "applied", "the idea")
    iid = new_id()
    res = c.one("initiative.from_request", {"id": iid, "request_id": rid})
    equal(res["status"], "applied", "taken on (%r)" % res)
    ini = row(iid)
    equal((ini["title"], ini["description"], ini["organiser"], ini["organiser_email"],
           ini["source_request_id"], ini["state"], ini["wijk"]),
          ("Bankjes bij de vijver", "Oudere buren willen kunnen rusten", "Gerrit Post",
           "gerrit@example.nl", rid, "idee", "centrum"), "carried over")
    equal(row(rid, kind="request")["initiative_id"], iid, "the request points at it")

    res = c.one("initiative.from_request", {"id": new_id(), "request_id": rid})
    refused(res, "INVALID_STATE", "only once")
    klacht = new_id()
    res = c.one("request.create", {"id": klacht, "wijk": "centrum", "type": "klacht",
                                   "title": "Herrie", "received_at": "2026-11-20T10:00:00Z"})
    res = c.one("initiative.from_request", {"id": new_id(), "request_id": klacht})
    refused(res, "VALIDATION", "not an idea")
    res = s.client("buco_oost").one("initiative.from_request", {"id": new_id(),
                                                               "request_id": rid})
    check(res["status"] == "rejected", "another wijk's coordinator cannot (%r)" % res)

    # The resident's data, wherever it went, is found and erased by name.
    r = st.run_admin("resident", "export", "--name", "Gerrit Post", "--reference", "AVG-1")
    equal(r.returncode, 0, "export: " + r.stderr)
    doc = json.loads(r.stdout)
    equal(sorted(o["id"] for o in doc["objects"]), sorted([rid, iid]), "both objects")
    check({"iban", "organiser_email", "organiser_address"} <= set(doc["personal_fields"]),
          "the new personal fields are core's: %r" % doc["personal_fields"])


@s.test
def a_buurtdeal_is_signed_only_when_both_sides_agreed_and_the_organiser_signed():
    c = s.client("buco")
    iid = new_initiative(c, requested_cents=450000)
    # EUR 4 500 needs the wijkwethouder too (the mandate table): approved
    # money by both signatures makes the initiative toegekend.
    cid = new_id()
    res = c.one("commitment.create", {"id": cid, "initiative_id": iid, "amount_cents": 450000,
                                      "funding": "wijkbudget",
                                      "year": datetime.date.today().year})
    equal(res["status"], "applied", "commitment (%r)" % res)
    for user in ("buco", "weth"):
        res = s.client(user).one("commitment.sign", {"id": cid})
        equal(res["status"], "applied", "signed by %s (%r)" % (user, res))
    equal(row(iid)["state"], "toegekend", "granted")

    res = c.one("initiative.transition", {"id": iid, "expect_state": "toegekend",
                                          "to": "buurtdeal_getekend"})
    refused(res, "INVALID_STATE", "nothing agreed yet")
    equal((res["args"]["rule"], res["args"]["missing"]),
          ("buurtdeal.incomplete", "residents,municipality,organiser"), "all missing")

    ours = new_id()
    for aid, side, text in ((new_id(), "bewoners", "Bewoners onderhouden de moestuin wekelijks"),
                            (ours, "gemeente", "De gemeente levert grond en een watertappunt")):
        res = c.one("agreement.add", {"id": aid, "initiative_id": iid, "side": side,
                                      "description": text, "owner": "Anouk de Vries",
                                      "due_on": "2027-05-01"})
        equal(res["status"], "applied", "%s (%r)" % (side, res))
    equal(row(ours, kind="agreement")["progress"], "afgesproken", "a new agreement is agreed")
    res = c.one("agreement.add", {"id": new_id(), "initiative_id": iid, "side": "niemand",
                                  "description": "x"})
    refused(res, "VALIDATION", "an unknown side")

    res = c.one("initiative.transition", {"id": iid, "expect_state": "toegekend",
                                          "to": "buurtdeal_getekend"})
    refused(res, "INVALID_STATE", "not yet signed by the organiser")
    equal(res["args"]["missing"], "organiser", "only the signature missing")

    res = c.one("initiative.deal_signed", {"id": iid, "deal_signed_by": "A. de Vries-Bakker",
                                           "deal_signed_on": "2026-12-01",
                                           "deal_signed_place": "Hilversum"})
    equal(res["status"], "applied", "the organiser's signature recorded (%r)" % res)
    res = c.one("initiative.transition", {"id": iid, "expect_state": "toegekend",
                                          "to": "buurtdeal_getekend"})
    equal(res["status"], "applied", "signed (%r)" % res)

    res = c.one("agreement.update", {"id": ours, "base": {"progress": 1},
                                     "set": {"progress": "gedaan"}})
    equal(res["status"], "applied", "progress (%r)" % res)
    equal(row(ours, kind="agreement")["progress"], "gedaan", "done")

    # Payments: an advance and the final one, each with its reference, never
    # beyond what was approved.
    pid = new_id()
    res = c.one("payment.record", {"id": pid, "commitment_id": cid, "amount_cents": 300000,
                                   "paid_on": "2026-12-02", "kind": "voorschot",
                                   "reference": "BI-2026-0042"})
    equal(res["status"], "applied", "an advance (%r)" % res)
    got = row(pid, kind="payment")
    equal((got["kind"], got["reference"]), ("voorschot", "BI-2026-0042"), "kind and reference")
    res = c.one("payment.record", {"id": new_id(), "commitment_id": cid, "amount_cents": 150001,
                                   "paid_on": "2026-12-03", "kind": "eindbetaling"})
    check(res["status"] == "rejected", "one cent beyond what was approved (%r)" % res)
    res = c.one("payment.record", {"id": new_id(), "commitment_id": cid, "amount_cents": 150000,
                                   "paid_on": "2026-12-03", "kind": "eindbetaling",
                                   "reference": "BI-2026-0043"})
    equal(res["status"], "applied", "the rest (%r)" % res)
    res = c.one("payment.record", {"id": new_id(), "commitment_id": cid, "amount_cents": 100,
                                   "paid_on": "2026-12-03", "kind": "terugbetaling"})
    refused(res, "VALIDATION", "an unknown kind")

    # The organiser's name on the deal is personal: a partner never sees it,
    # and the resident commands find it.
    r = st.run_admin("resident", "export", "--name", "A. de Vries-Bakker", "--reference", "AVG-2")
    equal(r.returncode, 0, "export: " + r.stderr)
    check(iid in [o["id"] for o in json.loads(r.stdout)["objects"]], "found by the signature")


def granted(c, amount, signers):
    iid = new_initiative(c, requested_cents=amount)
    cid = new_id()
    res = c.one("commitment.create", {"id": cid, "initiative_id": iid, "amount_cents": amount,
                                      "funding": "wijkbudget",
                                      "year": datetime.date.today().year})
    equal(res["status"], "applied", "commitment (%r)" % res)
    for user in signers:
        res = s.client(user).one("commitment.sign", {"id": cid})
        equal(res["status"], "applied", "signed by %s (%r)" % (user, res))
    equal(row(iid)["state"], "toegekend", "granted")
    return iid


@s.test
def above_the_coordinators_own_mandate_an_initiative_starts_only_with_its_buurtdeal():
    c = s.client("buco")
    # EUR 4 500 is above the buurtcoordinator's own limit (the mandate
    # table): the fast path toegekend -> in_uitvoering is refused.
    big = granted(c, 450000, ("buco", "weth"))
    res = c.one("initiative.transition", {"id": big, "expect_state": "toegekend",
                                          "to": "in_uitvoering"})
    refused(res, "INVALID_STATE", "no buurtdeal above the own mandate")
    equal(res["args"]["rule"], "buurtdeal.required", "the rule")
    equal(res["args"]["amount_cents"], 450000, "the amount in the refusal")
    check(0 < res["args"]["limit_cents"] < 450000, "the limit in the refusal (%r)" % res["args"])
    equal(row(big)["state"], "toegekend", "still toegekend")

    # EUR 500 the coordinator decides alone: straight to in_uitvoering.
    small = granted(c, 50000, ("buco",))
    res = c.one("initiative.transition", {"id": small, "expect_state": "toegekend",
                                          "to": "in_uitvoering"})
    equal(res["status"], "applied", "the fast path within the own mandate (%r)" % res)


if __name__ == "__main__":
    sys.exit(s.main())
