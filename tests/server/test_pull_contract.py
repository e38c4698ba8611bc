"""The pull contract (issue 8, deliverable 8): every entity a device pulls is described by its own JSON Schema,
schema/pull-<entity>.schema.json, and the real endpoint's answers are checked against it. The PWA reads only
the fields these schemas document."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from server.extensions import db
from server.models import Company
from sync.pull import ENTITIES
from sync.rules import FLOW_KINDS
from tests.server.test_sync_pull import download
from tests.server.test_sync_push import day_put, flow_add, push

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schema"
FRIDAY, SATURDAY = "2025-03-14", "2025-03-15"


def entity_schema(entity: str) -> dict[str, Any]:
    return json.loads((SCHEMA_DIR / f"pull-{entity.replace('_', '-')}.schema.json").read_text())


def errors(entity: str, data: Any) -> list[str]:
    validator = Draft202012Validator(entity_schema(entity), format_checker=Draft202012Validator.FORMAT_CHECKER)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]


def test_there_is_one_valid_schema_per_pulled_entity():
    names = {path.name for path in SCHEMA_DIR.glob("pull-*.schema.json")}
    assert names == {f"pull-{entity.replace('_', '-')}.schema.json" for entity in ENTITIES}
    for entity in ENTITIES:
        Draft202012Validator.check_schema(entity_schema(entity))


def busy_week(app: Any, client: Any, demo: dict) -> None:
    """Every option on, a day with every header field and every kind of movement, then a closed day."""
    with app.app_context():
        company = db.session.get(Company, demo["bakery"])
        company.opt_transfers = company.opt_overpayments = company.opt_gift_vouchers = True
        company.opt_customer_credit = company.opt_cash_expenses = True
        company.credit_mode, company.accounts = "lump", {"cash": "530"}
        db.session.commit()
    reg, m, category = demo["bakery_registers"][0], demo["bakery_methods"], demo["bakery_categories"][0]
    fields = {"z_number": "Z-0412", "sales_count": 150, "comment": "Écart de rendu",
              "sales": [{"category_id": category, "amount": "633.00"}],
              "payments": [{"method_id": m["cash"], "amount": "433.00"}, {"method_id": m["card"], "amount": "200.00"}],
              "opening": [{"method_id": m["cash"], "amount": "150.00"}],
              "counts": [{"method_id": m["cash"], "amount": "150.20", "grid": {"10000": 1, "5000": 1, "20": 1}},
                         {"method_id": m["cheque"], "amount": "0.00"}]}
    first = str(uuid.uuid4())
    flows = [
        {"id": first, "kind": "cash_in", "amount": "50.00", "method_id": m["cash"], "reason": "Fonds", "owner": True},
        {"kind": "cash_out", "amount": "20.00", "method_id": m["cash"], "reason": "Monnaie"},
        {"kind": "expense", "amount": "3.20", "method_id": m["cash"], "label": "Timbres", "vat_bp": 0,
         "account": "626"},
        {"kind": "deposit", "amount": "100.00", "method_id": m["cash"], "slip_number": "RB-1"},
        {"kind": "deposit", "amount": "0.50", "method_id": m["cheque"], "cheque_count": 0},
        {"kind": "transfer", "amount": "10.00", "method_id": m["cash"], "to_method_id": m["cheque"]},
        {"kind": "credit_granted", "amount": "12.00"},
        {"kind": "credit_settled", "amount": "12.00", "method_id": m["cash"]},
        {"kind": "refund", "amount": "5.00", "method_id": m["cash"], "reason": "Erreur"},
        {"kind": "voucher_sold", "amount": "30.00", "code": "BC-001", "method_id": m["cash"]},
        {"kind": "voucher_redeemed", "amount": "30.00", "code": "BC-001"},
        {"kind": "voucher_expired", "amount": "15.00", "code": "BC-000"},
        {"kind": "overpayment", "amount": "-0.20", "method_id": m["cash"]},
        {"kind": "void", "voids": first, "reason": "Doublon"},
    ]
    batch = [day_put(1, reg, fields)]
    batch += [flow_add(2 + i, reg, {"id": str(uuid.uuid4()), **flow}) for i, flow in enumerate(flows)]
    answer = push(client, demo["bakery"], batch).json
    assert [r["status"] for r in answer["results"]] == ["applied"] * len(batch), answer["results"]
    after = len(batch)
    closing = [day_put(after + 1, reg, {"z_number": "Z-0413", "sales_count": 0,  # the drawer as Friday left it
                                        "counts": [{"method_id": m["cash"], "amount": "150.20"},
                                                   {"method_id": m["cheque"], "amount": "0.00"}]}, on=SATURDAY),
               {"id": after + 2, "name": "day.close",
                "args": {"register_id": reg, "date": SATURDAY, "base_revision": 1}}]
    answer = push(client, demo["bakery"], closing).json
    assert [r["status"] for r in answer["results"]] == ["applied", "applied"], answer["results"]


@pytest.mark.parametrize("limit", [1000])
def test_every_pulled_entity_matches_its_schema(auth, demo, app, limit):
    client = auth("gerant@demo.test")
    busy_week(app, client, demo)
    replica, _cookie, _pages = download(client, demo["bakery"], None, limit)
    seen: dict[str, int] = {}
    for (entity, _id), data in replica.items():
        assert errors(entity, data) == [], (entity, data)
        seen[entity] = seen.get(entity, 0) + 1
    assert set(seen) == set(ENTITIES), seen  # the test saw every entity, so it can fail for each
    kinds = {data["kind"] for (entity, _id), data in replica.items() if entity == "flow"}
    assert kinds == set(FLOW_KINDS)
    days = {data["date"]: data for (entity, _id), data in replica.items() if entity == "day"}
    assert days[SATURDAY]["status"] == "closed" and days[SATURDAY]["hash"] and days[FRIDAY]["hash"] is None


def test_a_schema_refuses_what_it_does_not_document():
    """The schemas are a contract, not a formality: an unknown or mistyped field fails."""
    assert errors("category", {"id": 1, "label": "Pain", "vat_bp": 550, "revenue_account": "701", "position": 1,
                               "active": True, "colour": "red"})
    assert errors("flow", {"id": str(uuid.uuid4()), "day_id": str(uuid.uuid4()), "register_id": 1,
                           "date": FRIDAY, "kind": "cash_in", "amount": 12.34, "created_at": "2025-03-14T10:00:00Z"})
    assert errors("calendar", {"weekly_pattern": "1111110", "exceptions": []})
    # Extra fields on the register are allowed (its own calendar's week is one of its fields).
    assert not errors("register", {"id": 1, "company_id": 1, "name": "Marché", "position": 2, "min_threshold": None,
                                   "max_threshold": "800.00", "active": True, "weekly_pattern": [False] * 7})
