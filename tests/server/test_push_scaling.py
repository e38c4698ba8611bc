"""A push that scales (issue 8, deliverable 7): a change-set loads each day it touches once, decides in
memory and writes in bulk. Counted with a `before_cursor_execute` listener on the whole HTTP request
(authentication included): counting is deterministic, so the bounds below are exact tests, not timings."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError

from server.extensions import db
from server.models import Day, DayEvent, Device, Flow, JournalEntry, PaymentMethod, Rejection
from server.services.sql_store import _flow_columns, _insert_flows
from tests.server.test_sync_push import FRIDAY, cash_in, day_put, flow_add, push

DEVICE = "7d0c9a52-1f3e-4b6a-9c8d-2e4f6a8b0c1d"
OTHER_DEVICE = "5b1e7c3a-9d2f-4e8a-b6c4-0a1b2c3d4e5f"


@contextmanager
def counted(app: Any) -> Iterator[list[str]]:
    """Every SQL statement sent to the database while the block runs (an executemany counts once)."""
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def flows_batch(first_id: int, register_id: int, method_id: int, size: int, on: str = FRIDAY) -> list[dict]:
    return [flow_add(first_id + i, register_id, cash_in(method_id, "2.50"), on=on) for i in range(size)]


def push_counted(app: Any, client: Any, company_id: int, batch: list[dict]) -> tuple[Any, list[str]]:
    with counted(app) as statements:
        answer = push(client, company_id, batch, device=DEVICE)
    assert answer.status_code == 200, answer.json
    return answer, statements


def test_a_change_set_of_100_movements_costs_at_most_2_statements_a_movement(auth, demo, app):
    client, reg, cash = auth("caisse@demo.test"), demo["bakery_registers"][0], demo["bakery_methods"]["cash"]
    answer, statements = push_counted(app, client, demo["bakery"], flows_batch(1, reg, cash, 100))
    assert [r["status"] for r in answer.json["results"]] == ["applied"] * 100
    assert len(statements) <= 200, f"{len(statements)} statements for 100 movements"
    # The second change-set, on the day the first created, costs no more.
    answer, again = push_counted(app, client, demo["bakery"], flows_batch(101, reg, cash, 100))
    assert [r["status"] for r in answer.json["results"]] == ["applied"] * 100
    assert len(again) <= 200, f"{len(again)} statements for 100 movements"
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(Flow.id))).scalar_one() == 200


def test_the_cost_does_not_grow_with_the_movements_already_on_the_day(auth, demo, app):
    client, reg, cash = auth("caisse@demo.test"), demo["bakery_registers"][0], demo["bakery_methods"]["cash"]
    _, first = push_counted(app, client, demo["bakery"], flows_batch(1, reg, cash, 100))
    for start in range(101, 1001, 300):
        push(client, demo["bakery"], flows_batch(start, reg, cash, 300), device=DEVICE)
    _, later = push_counted(app, client, demo["bakery"], flows_batch(1001, reg, cash, 100))
    assert len(later) <= len(first), (len(first), len(later))
    # No statement reads the day's movements in bulk: the flows read are those the change-set names.
    reads = [s for s in later if s.lstrip().upper().startswith("SELECT") and " FROM flows" in s]
    assert all(" IN (" in s or "IN (__[POSTCOMPILE" in s for s in reads), reads


def test_a_mixed_change_set_keeps_every_rule_and_stays_within_the_bound(auth, demo, app):
    """Header, movements, a void, a duplicate, a refused movement and the close, in ONE change-set of 100."""
    client, reg, m = auth("gerant@demo.test"), demo["bakery_registers"][0], demo["bakery_methods"]
    category = demo["bakery_categories"][0]
    flows = [cash_in(m["cash"], "1.00") for _ in range(94)]
    fields = {"z_number": "Z-1", "sales_count": 3, "sales": [{"category_id": category, "amount": "10.00"}],
              "payments": [{"method_id": m["cash"], "amount": "10.00"}]}
    batch = [day_put(1, reg, fields, base=0)]
    batch += [flow_add(2 + i, reg, flow) for i, flow in enumerate(flows)]  # ids 2..95
    batch.append(flow_add(96, reg, dict(flows[0])))  # the same movement again: duplicate
    batch.append(flow_add(97, reg, {**flows[1], "amount": "9.99"}))  # its UUID with other content
    batch.append(flow_add(98, reg, {"id": str(uuid.uuid4()), "kind": "void", "voids": flows[2]["id"]}))
    drawer = f"{10 + 94 - 1}.00"  # the void cancels one euro
    batch.append(day_put(99, reg, {"counts": [{"method_id": m["cash"], "amount": drawer},
                                              {"method_id": m["cheque"], "amount": "0.00"}]}, base=1))
    batch.append({"id": 100, "name": "day.close", "args": {"register_id": reg, "date": FRIDAY, "base_revision": 2}})
    answer, statements = push_counted(app, client, demo["bakery"], batch)
    results = answer.json["results"]
    assert [r["status"] for r in results[:95]] == ["applied"] * 95
    assert results[95]["status"] == "duplicate"
    assert (results[96]["status"], results[96]["code"]) == ("rejected", "duplicate_flow")
    assert [r["status"] for r in results[97:]] == ["applied"] * 3, results[97:]
    assert len(statements) <= 200, f"{len(statements)} statements"
    with app.app_context():
        day = db.session.execute(db.select(Day).where(Day.register_id == reg)).scalar_one()
        assert (day.status, day.revision, day.sequence) == ("closed", 2, 1)
        assert len(day.flows) == 95
        entry = db.session.execute(db.select(JournalEntry)).scalar_one()
        assert entry.hash == day.hash and entry.sequence == 1
        assert db.session.execute(db.select(DayEvent.kind)).scalars().all() == ["close"]
        assert db.session.execute(db.select(Rejection.mutation_id)).scalars().all() == [97]
        assert db.session.get(Device, (DEVICE, demo["bakery"])).last_mutation_id == 100
        versions = [f.version for f in day.flows]
        assert len(set(versions)) == 95  # one server version per write, as before


def test_a_day_of_another_company_is_neither_read_nor_written(auth, demo, app):
    client, cash = auth("caisse@demo.test"), demo["bakery_methods"]["cash"]
    cafe_register = demo["cafe_registers"][0]
    answer, _ = push_counted(app, client, demo["bakery"], flows_batch(1, cafe_register, cash, 3))
    assert [(r["status"], r.get("code")) for r in answer.json["results"]] == [("rejected", "unknown_reference")] * 3
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(Day.id))).scalar_one() == 0


def test_what_a_change_set_wrote_is_seen_by_its_later_mutations(auth, demo, app):
    """Decided in memory: a void, a correction and a duplicate see the flows written earlier in the same
    change-set; a header line removed then put back in the same change-set is stored once."""
    client, reg, m = auth("gerant@demo.test"), demo["bakery_registers"][0], demo["bakery_methods"]
    first, other_day = cash_in(m["cash"], "4.00"), cash_in(m["cash"], "6.00")
    void = {"id": str(uuid.uuid4()), "kind": "void", "voids": first["id"], "reason": "Doublon"}
    counts = [{"method_id": m["cash"], "amount": "1.00"}, {"method_id": m["cheque"], "amount": "2.00"}]
    batch = [flow_add(1, reg, first), flow_add(2, reg, other_day, on="2025-03-13"),
             flow_add(3, reg, void),
             flow_add(4, reg, {"id": str(uuid.uuid4()), "kind": "void", "voids": void["id"], "reason": "Non"}),
             flow_add(5, reg, {"id": str(uuid.uuid4()), "kind": "void", "voids": other_day["id"], "reason": "Non"}),
             flow_add(6, reg, cash_in(m["cash"], "4.00", corrects=other_day["id"])),
             flow_add(7, reg, dict(first)),
             day_put(8, reg, {"counts": counts}), day_put(9, reg, {"counts": counts[:1]}, base=1),
             day_put(10, reg, {"counts": counts}, base=2)]
    answer, _ = push_counted(app, client, demo["bakery"], batch)
    got = [(r["status"], r.get("code"), sorted((r.get("server_value") or {}).get("errors", {})))
           for r in answer.json["results"]]
    assert got == [("applied", None, []), ("applied", None, []), ("applied", None, []),
                   ("rejected", "invalid", ["flow.voids"]), ("rejected", "invalid", ["flow.voids"]),
                   ("applied", None, []), ("duplicate", None, []),
                   ("applied", None, []), ("applied", None, []), ("applied", None, [])]
    with app.app_context():
        day = db.session.execute(db.select(Day).where(Day.register_id == reg, Day.date == date(2025, 3, 14))
                                 ).scalar_one()
        assert sorted((ln.kind, ln.ref_id, ln.amount_cents) for ln in day.lines) == [
            ("count", m["cash"], 100), ("count", m["cheque"], 200)]
        assert (day.revision, len(day.flows)) == (3, 3)


def test_a_movement_naming_another_company_s_flow_is_refused(auth, demo, app):
    cafe, bakery = auth("cafe@demo.test"), auth("caisse@demo.test")
    with app.app_context():
        cafe_cash = db.session.execute(db.select(PaymentMethod.id).where(
            PaymentMethod.company_id == demo["cafe"], PaymentMethod.kind == "cash")).scalar_one()
    theirs = cash_in(cafe_cash, "3.00")
    assert push(cafe, demo["cafe"], [flow_add(1, demo["cafe_registers"][0], theirs)],
                device=DEVICE).json["results"][0]["status"] == "applied"
    reg, cash = demo["bakery_registers"][0], demo["bakery_methods"]["cash"]
    batch = [flow_add(1, reg, cash_in(cash, "3.00", corrects=theirs["id"])), flow_add(2, reg, dict(theirs))]
    results = push(bakery, demo["bakery"], batch, device=OTHER_DEVICE).json["results"]  # devices are per user
    assert [(r["status"], r["code"]) for r in results] == [("rejected", "unknown_reference"),
                                                           ("rejected", "duplicate_flow")]
    assert results[1]["server_value"]["flow"] == {"id": theirs["id"]}  # the UUID is taken, nothing shown


def test_the_bulk_insert_of_movements_stores_each_value_and_fails_as_sqlalchemy_errors(auth, demo, app):
    """`sql_store._insert_flows`: on PostgreSQL the driver's executemany with the rows as tuples, on SQLite Core.
    Every column lands as given (text, money, booleans, a null, the time), and a duplicate UUID raises SQLAlchemy's
    IntegrityError (the unit of work and the push guard know only SQLAlchemy's errors), saving nothing."""
    cid, reg, cash = demo["bakery"], demo["bakery_registers"][0], demo["bakery_methods"]["cash"]
    with app.app_context():
        day = Day(id=str(uuid.uuid4()), company_id=cid, register_id=reg, date=date(2025, 3, 14), status="open",
                  lines=[], z_number="", sales_count=0, comment="")
        db.session.add(day)
        db.session.flush()
        at = datetime(2025, 3, 14, 17, 2, 11, 123456)
        data = [{"id": str(uuid.uuid4()), "kind": "cash_in", "amount": "12.34", "method_id": cash, "reason": "Monnaie",
                 "owner": True},
                {"id": str(uuid.uuid4()), "kind": "deposit", "amount": "0.05", "method_id": cash, "slip_number": "RB1",
                 "cheque_count": 0}]
        rows = [{**_flow_columns(d)[0], "company_id": cid, "day_id": day.id, "device_id": DEVICE, "created_by_id": None,
                 "created_at": at, "version": 7 + n} for n, d in enumerate(data)]
        _insert_flows(rows)
        stored = {f.id: f for f in db.session.execute(db.select(Flow).where(Flow.day_id == day.id)).scalars()}
        first, second = stored[data[0]["id"]], stored[data[1]["id"]]
        assert (first.amount_cents, first.reason, first.owner, first.version, first.created_at) == (
            1234, "Monnaie", True, 7, at)
        assert (second.amount_cents, second.slip_number, second.cheque_count, second.owner, second.label,
                second.created_by_id) == (5, "RB1", 0, False, "", None)
        db.session.commit()
        with pytest.raises(IntegrityError):
            _insert_flows([{**rows[1], "id": str(uuid.uuid4())}, rows[0]])
        db.session.rollback()
        assert db.session.execute(db.select(db.func.count()).select_from(Flow).where(Flow.day_id == day.id)
                                  ).scalar_one() == 2
