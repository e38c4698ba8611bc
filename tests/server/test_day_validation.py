"""Bad day input → 422 naming the field, and nothing saved (no day, line, flow, version or rejection)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from server.extensions import db
from server.models import Company, Day, DayLine, Flow, PaymentMethod, Rejection
from server.services.mutations import apply_batch
from sync import Mutation
from tests.server.shop_clock import shop_today
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


# -- issue 8 and issue 10: one validation, on REST and on push alike -----------------------------------

PUSH_DEVICE = "6f1c2a7e-3b4d-4c5e-8f90-1a2b3c4d5e6f"


def push(client: Any, demo: dict, mutations: list[dict], device: str = PUSH_DEVICE, **envelope: Any) -> Any:
    body = {"schema": 1, "company_id": demo["bakery"], "device_id": device, "mutations": mutations, **envelope}
    return client.post("/api/sync/push", json=body)


def flow_mutation(mid: int, demo: dict, flow: dict, on: str = TUESDAY) -> dict:
    return {"id": mid, "name": "flow.add", "args": {"register_id": demo["bakery_registers"][0], "date": on,
                                                     "flow": flow}}


def put_mutation(mid: int, demo: dict, fields: dict, on: str = TUESDAY, base: int = 0) -> dict:
    return {"id": mid, "name": "day.put", "args": {"register_id": demo["bakery_registers"][0], "date": on,
                                                    "base_revision": base, "fields": fields}}


def stamps(kind: str = "expense", **extra: Any) -> dict:
    return {"id": str(uuid.uuid4()), "kind": kind, "amount": "3.30", "label": "Timbres", "vat_bp": 0, **extra}


def rejected_field(response: Any, field: str) -> dict:
    assert response.status_code == 200, response.json
    result = response.json["results"][0]
    assert result["status"] == "rejected" and result["code"] == "invalid", result
    assert field in result["server_value"]["errors"], result
    return result


def stored_flow(app: Any, flow_id: str) -> Flow:
    with app.app_context():
        row = db.session.get(Flow, flow_id)
        assert row is not None
        db.session.expunge(row)
        return row


def test_expense_at_zero_vat_is_accepted_over_rest(till, demo, app):
    flow = stamps()
    r = till.post(day_url(demo, TUESDAY) + "/flows", json=flow)
    assert r.status_code == 201, r.json
    assert stored_flow(app, flow["id"]).vat_bp == 0


def test_expense_at_zero_vat_is_accepted_over_push(till, demo, app):
    flow = stamps()
    r = push(till, demo, [flow_mutation(1, demo, flow)])
    assert r.json["results"][0]["status"] == "applied", r.json
    assert stored_flow(app, flow["id"]).vat_bp == 0


def test_a_zero_amount_gets_the_right_message(till, demo, app):
    cash = demo["bakery_methods"]["cash"]
    r = till.post(day_url(demo, TUESDAY) + "/flows", json={"kind": "cash_in", "amount": "0", "method_id": cash})
    refused(app, demo, r, "amount")
    assert r.json["errors"]["amount"] == ["Le montant doit être supérieur à zéro."]
    result = rejected_field(push(till, demo, [flow_mutation(1, demo, {**stamps("cash_in"), "amount": "0",
                                                                        "method_id": cash, "vat_bp": None})]),
                            "flow.vat_bp")  # a field of another kind is named too
    assert result["server_value"]["errors"]["flow.amount"] == ["Le montant doit être supérieur à zéro."]


def test_cheque_count_zero_is_kept(till, demo, app):
    cheque = demo["bakery_methods"]["cheque"]
    flow = {"id": str(uuid.uuid4()), "kind": "deposit", "amount": "70.00", "method_id": cheque, "cheque_count": 0}
    assert till.post(day_url(demo, TUESDAY) + "/flows", json=flow).status_code == 201
    assert stored_flow(app, flow["id"]).cheque_count == 0
    again = {**flow, "id": str(uuid.uuid4())}
    assert push(till, demo, [flow_mutation(1, demo, again)]).json["results"][0]["status"] == "applied"
    assert stored_flow(app, again["id"]).cheque_count == 0


@pytest.mark.parametrize("amount", [12.34, 3.3, 12.0, "1e2", "1e999990", "1e999998", "9" * 100_000])
def test_floats_and_exponents_are_refused_naming_the_field(till, demo, app, amount):
    cash = demo["bakery_methods"]["cash"]
    r = till.post(day_url(demo, TUESDAY) + "/flows", json={"kind": "cash_in", "amount": amount, "method_id": cash})
    refused(app, demo, r, "amount")
    refused(app, demo, till.put(day_url(demo, TUESDAY), json=sale(demo, amount)), "sales.0.amount")
    rejected_field(push(till, demo, [flow_mutation(1, demo, {**stamps("cash_in"), "amount": amount,
                                                             "method_id": cash, "label": "x", "vat_bp": None})]),
                   "flow.amount")


def test_a_lone_surrogate_is_a_rejection_and_the_device_moves_on(till, demo, app):
    r = till.put(day_url(demo, TUESDAY), json={"base_revision": 0, "comment": "caf\ud83d"})
    refused(app, demo, r, "comment")
    r = till.post(day_url(demo, TUESDAY) + "/flows", json=stamps(label="caf\ud83d"))
    refused(app, demo, r, "label")
    r = push(till, demo, [put_mutation(1, demo, {"comment": "caf\ud83d"}),
                          flow_mutation(2, demo, stamps(label="caf\ud83d")),
                          put_mutation(3, demo, {"comment": "café ☕"})])
    assert r.status_code == 200, r.json
    assert [x["status"] for x in r.json["results"]] == ["rejected", "rejected", "applied"]
    assert r.json["last_mutation_id"] == 3
    again = push(till, demo, [put_mutation(1, demo, {"comment": "caf\ud83d"})])  # a re-sent batch is harmless
    assert again.status_code == 200 and again.json["results"][0]["status"] == "duplicate"
    pulled = till.post("/api/sync/pull", json={"schema": 1, "company_id": demo["bakery"], "device_id": PUSH_DEVICE,
                                               "cookie": None})
    assert pulled.status_code == 200 and len(pulled.json["rejections"]) == 2


@pytest.mark.parametrize("field", ["owner", "slip_number", "code"])
def test_an_expense_carrying_another_kinds_field_is_refused_on_both_paths(till, demo, app, field):
    value = True if field == "owner" else "B-12"
    refused(app, demo, till.post(day_url(demo, TUESDAY) + "/flows", json=stamps(**{field: value})), field)
    rejected_field(push(till, demo, [flow_mutation(1, demo, stamps(**{field: value}))]), f"flow.{field}")
    with app.app_context():
        assert db.session.execute(db.select(db.func.count()).select_from(Flow)).scalar() == demo["before"][2]


BIG = 2**63


@pytest.mark.parametrize("body, field", [
    ({"base_revision": 0, "sales_count": BIG}, "sales_count"),
    ({"base_revision": BIG, "z_number": "1"}, "base_revision"),
    ({"base_revision": 0, "payments": [{"method_id": BIG, "amount": "1"}]}, "payments.0.method_id"),
    ({"base_revision": 0, "counts": [{"method_id": 1, "amount": "1", "grid": {"100": BIG}}]}, "counts.0.grid"),
])
def test_integers_of_2_63_in_a_header_are_refused(till, demo, app, body, field):
    refused(app, demo, till.put(day_url(demo, TUESDAY), json=body), field)


@pytest.mark.parametrize("extra, field", [({"method_id": 2**63}, "method_id"),
                                          ({"cheque_count": 2**70}, "cheque_count")])
def test_integers_of_2_63_in_a_flow_are_refused(till, demo, app, extra, field):
    flow = {"kind": "deposit", "amount": "1", "method_id": demo["bakery_methods"]["cash"], **extra}
    refused(app, demo, till.post(day_url(demo, TUESDAY) + "/flows", json=flow), field)
    rejected_field(push(till, demo, [flow_mutation(1, demo, {"id": str(uuid.uuid4()), **flow})]), f"flow.{field}")


def test_integers_of_2_63_in_the_sync_envelope_are_4xx(till, demo, app):
    reg = demo["bakery_registers"][0]
    for body in ({"company_id": BIG}, {"company_id": 2**70}):
        r = push(till, demo, [], **body)
        assert 400 <= r.status_code < 500, r.json
    r = push(till, demo, [{**put_mutation(1, demo, {"z_number": "1"}), "id": BIG}])
    assert 400 <= r.status_code < 500, r.json
    bad_args = {"register_id": BIG, "date": TUESDAY, "base_revision": BIG, "fields": {"sales_count": BIG}}
    r = push(till, demo, [{"id": 1, "name": "day.put", "args": bad_args}])
    result = rejected_field(r, "register_id")
    assert {"base_revision", "fields.sales_count"} <= set(result["server_value"]["errors"])
    r = till.post("/api/sync/pull", json={"schema": 1, "company_id": demo["bakery"], "device_id": PUSH_DEVICE,
                                          "cookie": BIG})
    assert 400 <= r.status_code < 500, r.json
    assert reg  # the register exists: only the integers were wrong


def test_a_day_beyond_tomorrow_is_refused_on_both_paths(till, demo, app):
    from datetime import timedelta

    later = (shop_today() + timedelta(days=3)).isoformat()
    refused(app, demo, till.put(day_url(demo, later), json={"base_revision": 0, "z_number": "1"}), "date")
    flow = stamps("cash_in", method_id=demo["bakery_methods"]["cash"], vat_bp=None)
    del flow["vat_bp"]
    refused(app, demo, till.post(day_url(demo, "9999-12-31") + "/flows", json=flow), "date")
    r = push(till, demo, [put_mutation(1, demo, {"z_number": "1"}, on="2099-12-31"),
                          flow_mutation(2, demo, flow, on=later)])
    assert [x["status"] for x in r.json["results"]] == ["rejected", "rejected"]
    assert all("date" in x["server_value"]["errors"] for x in r.json["results"])


def test_a_day_is_not_closed_before_its_date(till, demo, app):
    from datetime import timedelta

    tomorrow = (shop_today() + timedelta(days=1)).isoformat()
    r = till.post(day_url(demo, tomorrow) + "/close", json={})
    assert r.status_code == 422, r.json
    assert r.json["errors"]["findings"] == ["Une journée ne se clôture pas avant sa date."]
    assert snapshot(app, demo["bakery"]) == demo["before"]
    r = push(till, demo, [{"id": 1, "name": "day.close", "args": {"register_id": demo["bakery_registers"][0],
                                                                   "date": tomorrow, "base_revision": 0}}])
    assert r.json["results"][0]["status"] == "rejected"
    assert "avant sa date" in r.json["results"][0]["message"]
