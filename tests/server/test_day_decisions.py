"""The domain decisions of issue 8 through the server (docs/DECISIONS.md): tolerance, a previous day left open
without a count, vouchers (expired as their own line, unknown or reused codes), each through the REST day."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from server.extensions import db
from server.models import PaymentMethod
from tests.server.test_days_api import close_balanced, day_url


@pytest.fixture
def till(auth, demo):
    return auth("caisse@demo.test")


def kinds(view: dict[str, Any]) -> list[str]:
    return [f["kind"] for f in view["findings"]]


def cafe_methods(app: Any, demo: dict[str, Any]) -> dict[str, int]:
    with app.app_context():
        return {m.kind: m.id for m in db.session.execute(
            db.select(PaymentMethod).where(PaymentMethod.company_id == demo["cafe"])).scalars()}


@pytest.mark.parametrize(("counted", "difference", "closes"),
                         [("99.50", "-0.50", True), ("101.00", "1.00", True), ("98.99", "-1.01", False)])
def test_a_difference_within_the_tolerance_closes_without_a_comment(app, auth, demo, counted, difference, closes):
    """Café des Arts has a tolerance of 1,00 €: within it no comment is needed, and the difference is kept."""
    cafe = auth("cafe@demo.test")
    m, url = cafe_methods(app, demo), day_url(demo, "2026-03-10", company="cafe")
    r = cafe.put(url, json={"base_revision": 0, "sales": [{"category_id": demo["cafe_categories"][0],
                                                          "amount": "100.00"}],
                            "payments": [{"method_id": m["cash"], "amount": "100.00"}],
                            "counts": [{"method_id": m["cash"], "amount": counted},
                                       {"method_id": m["cheque"], "amount": "0"}]})
    assert r.status_code == 200, r.json
    closed = cafe.post(url + "/close", json={})
    if closes:
        assert closed.status_code == 200 and closed.json["status"] == "closed"
        cash = next(b for b in closed.json["balances"] if b["method_id"] == m["cash"])
        assert cash["difference"] == difference  # still recorded and shown
        assert "missing_comment" not in kinds(closed.json) and "cash_difference" not in kinds(closed.json)
    else:
        assert closed.status_code == 422
        assert [(f["kind"], f["amount"]) for f in closed.json["findings"] if f["severity"] == "error"] == [
            ("missing_comment", difference)]


def test_a_day_left_open_without_a_count_is_skipped_and_named(demo, till):
    m = demo["bakery_methods"]
    first = close_balanced(till, day_url(demo, "2026-03-10"), demo, sales="80.00").json
    counted = next(b["counted"] for b in first["balances"] if b["method_id"] == m["cash"])
    assert till.put(day_url(demo, "2026-03-11"), json={"base_revision": 0, "comment": "oubliée"}).status_code == 200
    third = till.get(day_url(demo, "2026-03-12")).json
    cash = next(b for b in third["balances"] if b["method_id"] == m["cash"])
    assert cash["carried_opening"] == counted == "80.00"  # not 0: the open day had no count
    notes = [f for f in third["findings"] if f["kind"] == "earlier_day_open"]
    assert [(f["severity"], "11/03/2026" in f["message_fr"]) for f in notes] == [("info", True)]
    # once the earlier day is counted and closed, the next day carries its count and the note goes
    close_balanced(till, day_url(demo, "2026-03-11"), demo, sales="20.00")
    third = till.get(day_url(demo, "2026-03-12")).json
    cash = next(b for b in third["balances"] if b["method_id"] == m["cash"])
    assert cash["carried_opening"] == "100.00" and "earlier_day_open" not in kinds(third)


def flow(till: Any, url: str, kind: str, amount: str, code: str, **extra: Any) -> dict[str, Any]:
    r = till.post(url + "/flows", json={"id": str(uuid.uuid4()), "kind": kind, "amount": amount, "code": code,
                                        **extra})
    assert r.status_code == 201, r.json
    return r.json


def test_vouchers_expired_line_and_unknown_or_reused_codes(demo, till):
    m = demo["bakery_methods"]
    flow(till, day_url(demo, "2026-03-10"), "voucher_sold", "30.00", "BC-1", method_id=m["cash"])
    flow(till, day_url(demo, "2026-03-10"), "voucher_sold", "15.00", "BC-2", method_id=m["cash"])
    second = flow(till, day_url(demo, "2026-03-11"), "voucher_redeemed", "30.00", "BC-1")
    assert not {"voucher_unknown", "voucher_already_used"} & set(kinds(second))
    url = day_url(demo, "2026-03-12")
    flow(till, url, "voucher_expired", "15.00", "BC-2")
    third = flow(till, url, "voucher_redeemed", "30.00", "BC-1")
    assert third["vouchers"] == {"sold": "0.00", "redeemed": "30.00", "expired": "15.00", "used": "45.00"}
    assert [f["amount"] for f in third["findings"] if f["kind"] == "voucher_already_used"] == ["30.00"]
    third = flow(till, url, "voucher_redeemed", "10.00", "BC-404")
    unknown = [f for f in third["findings"] if f["kind"] == "voucher_unknown"]
    assert len(unknown) == 1 and "BC-404" in unknown[0]["message_fr"] and unknown[0]["severity"] == "warning"
