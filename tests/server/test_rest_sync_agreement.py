"""REST and sync give the same verdict for the same input (issue 8, deliverable 1).

Every vector of schema/vectors/validation/ (header and flows) goes through `PUT …/days/{date}` or
`POST …/days/{date}/flows`, and through `POST /api/sync/push` as a `day.put` / `flow.add` of a fresh
device: both must accept it, or both must refuse it naming the same fields with the same French
messages and the same code. Then hypothesis generates random headers and flows, hostile values
included (floats, exponents, lone surrogates, control characters, integers of 2**63), through both.

The vectors' ids (category 1, method 1 cash, 2 card, 3 cheque, 4 gift vouchers, customer 7, supplier
21) are mapped to the demo bakery's; other ids stay as they are (unknown, or out of range).
"""

from __future__ import annotations

import json
import pathlib
import uuid
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.extensions import db
from server.models import Customer, Supplier
from server.services.mutations import rest_field
from tests.server.test_days_api import day_url

VECTORS = pathlib.Path(__file__).resolve().parents[2] / "schema" / "vectors" / "validation"
TUESDAY = "2026-03-10"
ID_KEYS = ("category_id", "method_id", "to_method_id", "customer_id", "supplier_id")
CODES = {"invalid": "validation_error"}


def vector_cases(name: str) -> list[Any]:
    data = json.loads((VECTORS / f"{name}.json").read_text(encoding="utf-8"))
    # The calendar's reach depends on today: tests/server/test_day_validation.py checks it on both paths.
    # A flow without id: the REST body may leave the UUID to the server, a device never does.
    return [pytest.param(case["input"]["value"], id=case["description"]) for case in data["cases"]
            if "today" not in case["input"]["ctx"] and not (name == "flows" and "id" not in case["input"]["value"])
            and isinstance(case["input"]["value"], dict)]


@pytest.fixture
def bakery(app, demo, auth) -> dict[str, Any]:
    methods = demo["bakery_methods"]
    with app.app_context():
        customer = db.session.execute(db.select(Customer.id).where(Customer.company_id == demo["bakery"])).scalar()
        supplier = db.session.execute(db.select(Supplier.id).where(Supplier.company_id == demo["bakery"])).scalar()
    ids = {"category_id": {1: demo["bakery_categories"][0], 2: demo["bakery_categories"][1]},
           "method_id": {1: methods["cash"], 2: methods["card"], 3: methods["cheque"],
                         4: methods.get("gift_voucher", 4)},
           "customer_id": {7: customer}, "supplier_id": {21: supplier}}
    ids["to_method_id"] = ids["method_id"]
    return {"demo": demo, "ids": ids, "client": auth("caisse@demo.test")}


def mapped(value: Any, ids: dict[str, dict[int, int]]) -> Any:
    """The vector's ids replaced by the bakery's, flow UUIDs made fresh (a UUID is taken once)."""
    if isinstance(value, list):
        return [mapped(item, ids) for item in value]
    if not isinstance(value, dict):
        return value
    out = {}
    for key, item in value.items():
        known = ids.get(key, {})
        if key in ID_KEYS and isinstance(item, int) and not isinstance(item, bool) and item in known:
            out[key] = known[item]
        elif key == "id" and isinstance(item, str) and len(item) == 36:
            out[key] = str(uuid.uuid4())
        else:
            out[key] = mapped(item, ids)
    return out


def revision(client: Any, demo: dict) -> int:
    return client.get(day_url(demo, TUESDAY)).json["revision"]


def via_rest(client: Any, demo: dict, name: str, value: dict) -> tuple[bool, dict, str | None]:
    url = day_url(demo, TUESDAY)
    if name == "header":
        r = client.put(url, json={"base_revision": revision(client, demo), **value})
    else:
        r = client.post(url + "/flows", json=value)
    assert r.status_code in (200, 201, 422), (r.status_code, r.json)
    return r.status_code < 300, r.json.get("errors", {}) if r.status_code == 422 else {}, \
        r.json.get("code") if r.status_code == 422 else None


def via_push(client: Any, demo: dict, name: str, value: dict) -> tuple[bool, dict, str | None]:
    reg = demo["bakery_registers"][0]
    args: dict[str, Any] = {"register_id": reg, "date": TUESDAY}
    if name == "header":
        args |= {"base_revision": revision(client, demo), "fields": value}
    else:
        args["flow"] = value
    mutation = {"id": 1, "name": "day.put" if name == "header" else "flow.add", "args": args}
    r = client.post("/api/sync/push", json={"schema": 1, "company_id": demo["bakery"],
                                            "device_id": str(uuid.uuid4()), "mutations": [mutation]})
    assert r.status_code == 200, (r.status_code, r.json)
    result = r.json["results"][0]
    if result["status"] == "applied":
        return True, {}, None
    assert result["status"] == "rejected", result
    errors = {rest_field(path): messages for path, messages in result["server_value"]["errors"].items()}
    return False, errors, CODES.get(result["code"], result["code"])


def agree(bakery: dict[str, Any], name: str, value: dict) -> tuple[bool, dict, str | None]:
    client, demo = bakery["client"], bakery["demo"]
    rest = via_rest(client, demo, name, mapped(value, bakery["ids"]))
    push = via_push(client, demo, name, mapped(value, bakery["ids"]))
    assert rest == push, f"REST {rest} ≠ push {push}"
    return rest


@pytest.mark.parametrize("value", vector_cases("header"))
def test_every_header_vector_gets_the_same_verdict(bakery, value):
    agree(bakery, "header", value)


@pytest.mark.parametrize("value", vector_cases("flows"))
def test_every_flow_vector_gets_the_same_verdict(bakery, value):
    agree(bakery, "flows", value)


def test_the_vectors_reach_both_verdicts(bakery):
    """Not a vacuous agreement: some vectors are accepted, some refused, on both paths."""
    verdicts = {agree(bakery, "flows", case.values[0])[0] for case in vector_cases("flows")[:12]}
    assert verdicts == {True, False}


# -- hypothesis: random headers and flows -------------------------------------------------------------

HOSTILE_TEXT = st.text(st.characters(min_codepoint=0, max_codepoint=0xFFFF, categories=("L", "N", "Zs", "Cc", "Cs")),
                       max_size=45)
MONEY = st.one_of(
    st.from_regex(r"-?[0-9]{1,9}(\.[0-9]{1,2})?", fullmatch=True),
    st.integers(-(2**64), 2**64), st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["1e2", "1e999990", "0", "0.00", "-0", "12.345", "+5", "NaN", "", " 1"]), st.none(),
    st.booleans(), HOSTILE_TEXT,
)
IDS = st.one_of(st.sampled_from([1, 2, 3, 4, 7, 21, 99]), st.integers(-2, 2**64), st.sampled_from(["1", None, True]))
LINE = st.fixed_dictionaries({"amount": MONEY}, optional={"method_id": IDS, "category_id": IDS,
                                                          "grid": st.dictionaries(st.sampled_from(["100", "0", "x"]),
                                                                                  st.integers(-1, 2**64), max_size=2)})
HEADERS = st.fixed_dictionaries({}, optional={
    "z_number": HOSTILE_TEXT, "sales_count": st.one_of(st.integers(-1, 2**64), st.floats(), st.text(max_size=3)),
    "sales": st.lists(LINE, max_size=3), "payments": st.lists(LINE, max_size=3), "opening": st.lists(LINE, max_size=2),
    "counts": st.lists(LINE, max_size=2), "comment": HOSTILE_TEXT,
})
FLOWS = st.fixed_dictionaries(
    {"id": st.just("00000000-0000-4000-8000-000000000000"),
     "kind": st.sampled_from(["cash_in", "cash_out", "expense", "deposit", "transfer", "credit_granted",
                              "credit_settled", "refund", "voucher_sold", "voucher_redeemed", "overpayment", "void",
                              "gift"])},
    optional={"amount": MONEY, "method_id": IDS, "to_method_id": IDS, "customer_id": IDS, "supplier_id": IDS,
              "vat_bp": st.one_of(st.integers(-1, 10001), st.floats()), "label": HOSTILE_TEXT,
              "reason": HOSTILE_TEXT, "owner": st.one_of(st.booleans(), st.just("yes")), "code": HOSTILE_TEXT,
              "slip_number": HOSTILE_TEXT, "cheque_count": st.integers(-1, 2**64),
              "voids": st.just("00000000-0000-4000-8000-000000000009")},
)
SLOW = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                      HealthCheck.too_slow])


@SLOW
@given(header=HEADERS)
def test_random_headers_get_the_same_verdict(bakery, header):
    agree(bakery, "header", header)


@SLOW
@given(flow=FLOWS)
def test_random_flows_get_the_same_verdict(bakery, flow):
    agree(bakery, "flows", flow)
