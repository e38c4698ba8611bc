"""Bad day input → 422 naming the field, and nothing saved (no day, line, flow, version or rejection)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from server.extensions import db
from server.models import Company, Day, DayLine, Flow, PaymentMethod, Rejection
from server.services.mutations import apply_batch
from sync import Mutation
from tests.server.test_days_api import day_url, user_named

TUESDAY, MONDAY = "2026-03-10", "2026-03-09"  # the bakery shuts on Mondays


def snapshot(app: Any, company_id: int) -> tuple[int, ...]:
    with app.app_context():
        count = lambda model: db.session.execute(db.select(db.func.count()).select_from(model)).scalar()  # noqa: E731
        return (count(Day), count(DayLine), count(Flow), count(Rejection),
                db.session.get(Company, company_id).server_version)


def refused(app: Any, demo: dict, response: Any, field: str, code: str = "validation_error") -> None:
    assert response.status_code == 422, response.json
    assert field in response.json["errors"], response.json
    assert response.json["code"] == code and response.json["message"]
    assert snapshot(app, demo["bakery"]) == demo["before"]


@pytest.fixture
def till(auth, demo, app):
    demo["before"] = snapshot(app, demo["bakery"])
    return auth("caisse@demo.test")


def sale(demo: dict, amount: Any, category: int | None = None) -> dict:
    return {"base_revision": 0, "sales": [{"category_id": category or demo["bakery_categories"][0], "amount": amount}]}


def test_more_than_two_decimals(till, demo, app):
    refused(app, demo, till.put(day_url(demo, TUESDAY), json=sale(demo, "12.345")), "sales.0.amount")


def test_more_than_two_decimals_in_a_flow(till, demo, app):
    flow = {"kind": "cash_in", "amount": "1.001", "method_id": demo["bakery_methods"]["cash"]}
    refused(app, demo, till.post(day_url(demo, TUESDAY) + "/flows", json=flow), "amount")


def test_negative_sales_amount(till, demo, app):
    refused(app, demo, till.put(day_url(demo, TUESDAY), json=sale(demo, "-5.00")), "sales.0.amount")


def test_negative_counted_cash(till, demo, app):
    body = {"base_revision": 0, "counts": [{"method_id": demo["bakery_methods"]["cash"], "amount": "-1"}]}
    refused(app, demo, till.put(day_url(demo, TUESDAY), json=body), "counts.0.amount")


def test_negative_deposit(till, demo, app):
    flow = {"kind": "deposit", "amount": "-50.00", "method_id": demo["bakery_methods"]["cash"]}
    refused(app, demo, till.post(day_url(demo, TUESDAY) + "/flows", json=flow), "amount")


def test_unknown_category(till, demo, app):
    refused(app, demo, till.put(day_url(demo, TUESDAY), json=sale(demo, "10", 99999)), "sales.0.category_id",
            "unknown_reference")


def test_category_of_another_company(till, demo, app):
    body = sale(demo, "10", demo["cafe_categories"][0])
    refused(app, demo, till.put(day_url(demo, TUESDAY), json=body), "sales.0.category_id", "unknown_reference")


def test_unknown_method(till, demo, app):
    body = {"base_revision": 0, "payments": [{"method_id": 99999, "amount": "10"}]}
    refused(app, demo, till.put(day_url(demo, TUESDAY), json=body), "payments.0.method_id", "unknown_reference")


def test_method_of_another_company(till, demo, app):
    with app.app_context():
        cafe_cash = db.session.execute(db.select(PaymentMethod.id).where(
            PaymentMethod.company_id == demo["cafe"], PaymentMethod.kind == "cash")).scalar_one()
    flow = {"kind": "cash_out", "amount": "5.00", "method_id": cafe_cash, "reason": "Monnaie"}
    refused(app, demo, till.post(day_url(demo, TUESDAY) + "/flows", json=flow), "method_id", "unknown_reference")


def test_option_the_company_disabled(auth, demo, app):
    cafe = auth("cafe@demo.test")  # Café des Arts: no gift vouchers, no transfers
    demo["before"] = snapshot(app, demo["bakery"])
    flow = {"kind": "voucher_sold", "amount": "30.00", "code": "BC-9", "method_id": 1}
    r = cafe.post(day_url(demo, TUESDAY, company="cafe") + "/flows", json=flow)
    refused(app, demo, r, "kind", "option_disabled")


def test_transfer_to_the_same_method(till, demo, app):
    cash = demo["bakery_methods"]["cash"]
    flow = {"kind": "transfer", "amount": "5.00", "method_id": cash, "to_method_id": cash}
    refused(app, demo, till.post(day_url(demo, TUESDAY) + "/flows", json=flow), "to_method_id")


def test_a_day_on_a_closed_calendar_date(till, demo, app):
    refused(app, demo, till.put(day_url(demo, MONDAY), json=sale(demo, "10")), "date", "not_opening_day")


def test_a_day_on_a_dated_closing(till, demo, app):
    refused(app, demo, till.put(day_url(demo, "2026-12-25"), json=sale(demo, "10")), "date", "not_opening_day")


def test_unknown_field(till, demo, app):
    refused(app, demo, till.put(day_url(demo, TUESDAY), json={**sale(demo, "10"), "colour": "blue"}), "colour")


def test_field_of_another_flow_kind(till, demo, app):
    flow = {"kind": "cash_out", "amount": "5.00", "method_id": demo["bakery_methods"]["cash"], "code": "X"}
    refused(app, demo, till.post(day_url(demo, TUESDAY) + "/flows", json=flow), "code")


def test_a_pushed_mutation_breaking_a_rule_is_rejected_and_changes_nothing_else(auth, demo, app):
    with app.app_context():
        result = apply_batch(demo["bakery"], user_named("caisse@demo.test"), str(uuid.uuid4()), [Mutation(
            1, "day.put", {"register_id": demo["bakery_registers"][0], "date": MONDAY, "base_revision": 0,
                           "fields": {"comment": "fermé"}})])
    assert result.rejected[0].code == "not_opening_day" and result.last_mutation_id == 1
    days, lines, flows, rejections, _version = snapshot(app, demo["bakery"])
    assert (days, lines, flows, rejections) == (0, 0, 0, 1)
