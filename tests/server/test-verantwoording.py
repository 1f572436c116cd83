#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Payments and the verantwoording (issue 14, point 6) against the real
# buurten-server on a real PostgreSQL, over HTTP: payments never beyond
# what was approved (refused with a code and the rule's facts), the
# verantwoording releases what was approved and not paid back to the
# wijk's free budget and the ledger reconciles to the cent, afgerond only
# after it, who may record it, and what partners see of it.
#
#   test-verantwoording.py BUURTEN_SERVER DATA_DIR
#
# BUURTEN_TEST_PG as for test-server.py. TAP.

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import suite  # noqa: E402

s = suite.Suite("verantwoording", {
    "buco": [("buurtcoordinator", ["centrum"])],
    "buco_oost": [("buurtcoordinator", ["oost"])],
    "weth": [("wijkwethouder", ["centrum"])],
    "politie": [("partner", ["centrum"])],
})
st = s.st
check, equal, new_id = st.check, st.equal, st.new_id
YEAR = 2026


def row(iid, user="buco", kind="initiative"):
    r = st.request(s.server, "GET", "/api/v1/objects/%s/%s" % (kind, iid), token=s.tokens[user])
    equal(r.status, 200, "GET %s" % kind)
    return r.json["row"]


def refused(res, code, rule, what):
    equal((res["status"], res.get("code"), res.get("args", {}).get("rule")),
          ("rejected", code, rule), "%s (%r)" % (what, res))


def centrum():
    r = st.request(s.server, "GET", "/api/v1/public/thermometer?year=%d" % YEAR)
    equal(r.status, 200, "thermometer")
    return [w for w in r.json["wijken"] if w["id"] == "centrum"][0]


def reconciles(w, what):
    # budget = free + committed (approved, not yet paid) + spent, to the cent.
    equal(w["free_cents"] + (w["approved_cents"] - w["spent_cents"]) + w["spent_cents"],
          w["budget_cents"], "reconciles to the cent: %s (%r)" % (what, w))


def granted_initiative(amount, lines):
    """An initiative with budget lines, approved money of amount (the
    coordinator's own mandate up to EUR 2 000, else with the wethouder),
    made in_uitvoering. Returns (initiative, commitment, line ids)."""
    c = s.client("buco")
    iid = new_id()
    res = c.one("initiative.create", {"id": iid, "wijk": "centrum", "title": "Buurtfeest Kerkplein",
                                      "organiser": "Anouk de Vries"})
    equal(res["status"], "applied", "create (%r)" % res)
    ids = []
    for n, (kind, text, cents) in enumerate(lines):
        lid = new_id()
        res = c.one("budget_line.add", {"id": lid, "initiative_id": iid, "kind": kind,
                                        "description": text, "amount_cents": cents,
                                        "position": n})
        equal(res["status"], "applied", "line (%r)" % res)
        ids.append(lid)
    cid = new_id()
    res = c.one("commitment.create", {"id": cid, "initiative_id": iid, "amount_cents": amount,
                                      "funding": "wijkbudget", "year": YEAR})
    equal(res["status"], "applied", "commitment (%r)" % res)
    for user in ("buco", "weth") if amount > 200000 else ("buco",):
        res = s.client(user).one("commitment.sign", {"id": cid})
        equal(res["status"], "applied", "signed by %s (%r)" % (user, res))
    equal(row(iid)["state"], "toegekend", "granted")
    return iid, cid, ids


@s.test
def payments_never_go_beyond_what_is_approved():
    c = s.client("buco")
    iid, cid, _ = granted_initiative(150000, [("kosten", "Tent en geluid", 150000)])
    before = centrum()
    res = c.one("payment.record", {"id": new_id(), "commitment_id": cid, "amount_cents": 150001,
                                   "paid_on": "2026-06-01", "kind": "voorschot"})
    refused(res, "BUDGET_EXCEEDED", "payment.beyond_approved", "a cent beyond")
    equal((res["args"]["amount_cents"], res["args"]["left_cents"]), (150001, 150000), "the facts")
    res = c.one("payment.record", {"id": new_id(), "commitment_id": cid, "amount_cents": 100000,
                                   "paid_on": "2026-06-01", "kind": "voorschot",
                                   "reference": "BI-2026-0100"})
    equal(res["status"], "applied", "an advance (%r)" % res)
    res = c.one("payment.record", {"id": new_id(), "commitment_id": cid, "amount_cents": 50001,
                                   "paid_on": "2026-06-02", "kind": "eindbetaling"})
    refused(res, "BUDGET_EXCEEDED", "payment.beyond_approved", "beyond what is left")
    equal(res["args"]["left_cents"], 50000, "what is left")
    res = c.one("payment.record", {"id": new_id(), "commitment_id": cid, "amount_cents": 0,
                                   "paid_on": "2026-06-02", "kind": "eindbetaling"})
    check(res["status"] == "rejected", "nothing is no payment (%r)" % res)
    after = centrum()
    equal(after["spent_cents"] - before["spent_cents"], 100000, "the payment is spent")
    reconciles(after, "after a payment")
    res = s.client("weth").one("payment.record", {"id": new_id(), "commitment_id": cid,
                                                  "amount_cents": 100, "paid_on": "2026-06-02"})
    refused(res, "FORBIDDEN", "pay.no_role", "the wethouder does not pay")


@s.test
def the_verantwoording_releases_the_unspent_and_the_ledger_reconciles():
    c = s.client("buco")
    iid, cid, lines = granted_initiative(450000, [("kosten", "Plantenbakken", 300000),
                                                  ("kosten", "Gereedschap", 150000)])
    # Above the coordinator's own mandate it starts through its buurtdeal.
    for side, text in (("bewoners", "Bewoners onderhouden de bakken"),
                       ("gemeente", "De gemeente levert de grond")):
        res = c.one("agreement.add", {"id": new_id(), "initiative_id": iid, "side": side,
                                      "description": text, "owner": "Anouk de Vries",
                                      "due_on": "2026-09-01"})
        equal(res["status"], "applied", "agreement (%r)" % res)
    res = c.one("initiative.deal_signed", {"id": iid, "deal_signed_by": "Anouk de Vries",
                                           "deal_signed_on": "2026-04-20"})
    equal(res["status"], "applied", "the organiser signed (%r)" % res)
    for frm, to in (("toegekend", "buurtdeal_getekend"), ("buurtdeal_getekend", "in_uitvoering")):
        res = c.one("initiative.transition", {"id": iid, "expect_state": frm, "to": to})
        equal(res["status"], "applied", "%s (%r)" % (to, res))
    res = c.one("payment.record", {"id": new_id(), "commitment_id": cid, "amount_cents": 300000,
                                   "paid_on": "2026-05-01", "kind": "voorschot",
                                   "reference": "BI-2026-0101"})
    equal(res["status"], "applied", "advance (%r)" % res)
    res = c.one("payment.record", {"id": new_id(), "commitment_id": cid, "amount_cents": 87655,
                                   "paid_on": "2026-09-01", "kind": "eindbetaling",
                                   "reference": "BI-2026-0102"})
    equal(res["status"], "applied", "final (%r)" % res)
    before = centrum()
    reconciles(before, "before")

    # Done is refused until it is accounted for.
    res = c.one("initiative.transition", {"id": iid, "expect_state": "in_uitvoering",
                                          "to": "afgerond"})
    refused(res, "INVALID_STATE", "initiative.no_verantwoording", "afgerond before")

    # Bad verantwoordingen change nothing.
    vid = new_id()
    base = {"id": vid, "initiative_id": iid, "happened": "Twaalf bakken geplant",
            "feedback": "Buurtkrant en een plantdag", "recorded_on": "2026-10-01"}
    res = c.one("verantwoording.record", dict(base, feedback=""))
    equal((res["status"], res.get("code")), ("rejected", "VALIDATION"), "feedback is required")
    res = c.one("verantwoording.record", dict(base, actuals={new_id(): 100}))
    equal((res["status"], res.get("code")), ("rejected", "VALIDATION"), "a line elsewhere")
    res = c.one("verantwoording.record", dict(base, actuals={lines[0]: -1}))
    equal((res["status"], res.get("code")), ("rejected", "VALIDATION"), "a negative actual")
    res = s.client("weth").one("verantwoording.record", base)
    refused(res, "FORBIDDEN", "pay.no_role", "the wethouder does not account")
    res = s.client("buco_oost").one("verantwoording.record", base)
    equal(res["status"], "rejected", "another wijk's coordinator (%r)" % res)
    equal(centrum()["free_cents"], before["free_cents"], "nothing released yet")

    res = c.one("verantwoording.record", dict(base, attachments="%s bonnetjes.pdf" % ("ab" * 32),
                                              actuals={lines[0]: 280000, lines[1]: 107655}))
    equal(res["status"], "applied", "recorded (%r)" % res)
    equal(res["result"].get("released_cents"), 450000 - 387655, "released: approved less paid")
    v = row(vid, kind="verantwoording")
    equal((v["released_cents"], v["paid_cents"], v["actual_cents"], v["recorded_by"],
           v["recorded_on"]), (62345, 387655, 387655, "buco", "2026-10-01"), "the row says it")
    equal(row(lines[0], kind="budget_line")["actual_cents"], 280000, "actual per line")
    equal(row(cid, kind="commitment")["released_cents"], 62345, "the commitment is reduced")

    after = centrum()
    equal(after["free_cents"] - before["free_cents"], 62345, "free goes up by the release")
    equal(before["approved_cents"] - after["approved_cents"], 62345, "approved goes down")
    equal(after["spent_cents"], before["spent_cents"], "spent stays")
    reconciles(after, "after")

    res = c.one("payment.record", {"id": new_id(), "commitment_id": cid, "amount_cents": 1,
                                   "paid_on": "2026-10-02", "kind": "eindbetaling"})
    refused(res, "BUDGET_EXCEEDED", "payment.beyond_approved", "nothing left to pay")
    res = c.one("verantwoording.record", dict(base, id=new_id()))
    refused(res, "INVALID_STATE", "verantwoording.exists", "only once")

    res = c.one("initiative.transition", {"id": iid, "expect_state": "in_uitvoering",
                                          "to": "afgerond"})
    equal(res["status"], "applied", "afgerond after (%r)" % res)
    res = c.one("verantwoording.record", dict(base, id=new_id()))
    equal(res["status"], "rejected", "not again once done")


@s.test
def only_a_granted_initiative_is_accounted_for_and_partners_see_none_of_it():
    c = s.client("buco")
    iid = new_id()
    res = c.one("initiative.create", {"id": iid, "wijk": "centrum", "title": "Nog een idee"})
    equal(res["status"], "applied", "an idea")
    res = c.one("verantwoording.record", {"id": new_id(), "initiative_id": iid,
                                          "happened": "x", "feedback": "y"})
    refused(res, "INVALID_STATE", "verantwoording.not_granted", "an idea")
    equal(res["args"]["state"], "idee", "names the state")

    iid, cid, lines = granted_initiative(120000, [("kosten", "Koffie en thee", 120000)])
    vid = new_id()
    res = c.one("verantwoording.record", {"id": vid, "initiative_id": iid,
                                          "happened": "Buurtkoffie elke zaterdag",
                                          "feedback": "Flyers bij de bakker",
                                          "actuals": {lines[0]: 0}})
    equal(res["status"], "applied", "straight from toegekend, nothing paid (%r)" % res)
    equal(res["result"]["released_cents"], 120000, "all of it released")
    changes, _, _ = s.client("politie").pull_all()
    seen = {ch["id"] for ch in changes}
    check(not seen & {iid, vid, cid, lines[0]}, "a partner pulls none of it")
    staff, _, _ = c.pull_all()
    types = {ch["id"]: ch["type"] for ch in staff if ch["op"] == "put"}
    equal(types.get(vid), "verantwoording", "staff pull it")
    r = st.request(s.server, "GET", "/api/v1/objects/verantwoording/%s" % vid,
                   token=s.tokens["politie"])
    check(r.status in (403, 404), "nor can a partner read it (%d)" % r.status)


if __name__ == "__main__":
    sys.exit(s.main())
