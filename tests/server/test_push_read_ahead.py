"""A push reads its change-set's catalog, days, flows and device BEFORE it locks the company, then checks under
the lock that none of it changed (services.sql_store: `read_ahead`, `still_current`). When something did, the
change-set is decided on what the lock reads, never on the older copy: these tests commit a write in the gap
between the read ahead and the lock, and check that the push sees it. On both databases: SQLite reads ahead in
a DEFERRED transaction of its own (services.uow.reading), ended before the unit of work takes the write lock."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from server.extensions import db
from server.models import Company, Day, Flow, Rejection
from server.services import clock, mutations, sql_store, uow
from tests.server.test_sync_push import FRIDAY, cash_in, day_put, flow_add, last_id, push

OTHER = "0b7d3c52-6a1e-4f2b-9d8c-7e6f5a4b3c2d"


@pytest.fixture
def gap(app: Any, monkeypatch: pytest.MonkeyPatch) -> Callable[[Callable[[], None]], list[bool]]:
    """gap(write): run `write` (in another thread, its own transaction, committed) once, after the next push has
    read ahead and before it locks the company; returns the verdicts of `still_current` seen by that push."""
    real_lock, real_check = uow.lock_company, sql_store.SqlStore.still_current
    verdicts: list[bool] = []

    def arm(write: Callable[[], None]) -> list[bool]:
        pending = [write]

        def lock_company(company_id: int) -> Any:
            if pending:
                worker = threading.Thread(target=pending.pop())
                worker.start()
                worker.join(30)
                assert not worker.is_alive()
            return real_lock(company_id)

        def still_current(store: sql_store.SqlStore) -> bool:
            verdicts.append(real_check(store))
            return verdicts[-1]

        monkeypatch.setattr(uow, "lock_company", lock_company)
        monkeypatch.setattr(sql_store.SqlStore, "still_current", still_current)
        return verdicts

    return arm


def in_app(app: Any, fn: Callable[[], Any]) -> Callable[[], None]:
    def run() -> None:
        with app.app_context():
            fn()
            db.session.remove()

    return run


def test_a_header_changed_in_the_gap_makes_the_push_stale_not_a_lost_update(app, auth, demo, gap):
    cashier, manager = auth("caisse@demo.test"), auth("gerant@demo.test")
    cid, reg = demo["bakery"], demo["bakery_registers"][0]
    assert push(cashier, cid, [day_put(1, reg, {"z_number": "Z-1"})]).json["results"][0]["status"] == "applied"
    verdicts = gap(in_app(app, lambda: push(manager, cid, [day_put(1, reg, {"z_number": "Z-2"}, base=1)],
                                            device=OTHER)))
    answer = push(cashier, cid, [day_put(2, reg, {"z_number": "Z-3"}, base=1)]).json["results"][0]
    assert verdicts[-1] is False  # the read ahead saw revision 1: it is not used (before it: the manager's push)
    assert answer["status"] == "rejected" and answer["code"] == "stale_revision"
    with app.app_context():
        day = db.session.execute(db.select(Day).where(Day.register_id == reg)).scalar_one()
        assert (day.z_number, day.revision) == ("Z-2", 2)  # the manager's write stands


def test_an_option_switched_off_in_the_gap_is_seen_by_the_push(app, auth, demo, gap):
    """The bakery has transfers on; the manager switches them off while the cashier's transfer is on its way."""
    cashier, manager = auth("caisse@demo.test"), auth("gerant@demo.test")
    cid, reg, methods = demo["bakery"], demo["bakery_registers"][0], demo["bakery_methods"]
    transfer = cash_in(methods["cash"], kind="transfer", to_method_id=methods["card"])
    verdicts = gap(in_app(app, lambda: manager.patch(f"/api/companies/{cid}", json={"opt_transfers": False})))
    answer = push(cashier, cid, [flow_add(1, reg, transfer)]).json["results"][0]
    assert verdicts == [False]  # the read ahead saw the company before the change
    assert answer["status"] == "rejected" and answer["code"] == "option_disabled", answer


def test_a_catalog_row_changed_in_the_gap_is_noticed(app, auth, demo, gap):
    cashier, manager = auth("caisse@demo.test"), auth("gerant@demo.test")
    cid, reg, cash = demo["bakery"], demo["bakery_registers"][0], demo["bakery_methods"]["cash"]
    url = f"/api/companies/{cid}/payment-methods/{cash}"
    verdicts = gap(in_app(app, lambda: manager.patch(url, json={"label": "Espèces (tiroir)"})))
    answer = push(cashier, cid, [flow_add(1, reg, cash_in(cash))]).json["results"][0]
    assert verdicts == [False] and answer["status"] == "applied"


def test_nothing_changed_the_read_ahead_serves_the_push(app, auth, demo, gap):
    cashier = auth("caisse@demo.test")
    cid, reg, cash = demo["bakery"], demo["bakery_registers"][0], demo["bakery_methods"]["cash"]
    verdicts = gap(lambda: None)
    answer = push(cashier, cid, [flow_add(1, reg, cash_in(cash))]).json
    assert verdicts == [True] and answer["results"][0]["status"] == "applied"
    with app.app_context():
        flow = db.session.execute(db.select(Flow)).scalar_one()
        on = date.fromisoformat(FRIDAY)
        day = db.session.execute(db.select(Day).where(Day.register_id == reg, Day.date == on)).scalar_one()
        assert flow.version == day.version + 1  # the day, then its flow: numbered under the lock


def failing_reads(app: Any, statement_start: str, failures: int) -> list[str]:
    """Make the first `failures` statements starting with `statement_start` fail at the driver boundary."""
    seen: list[str] = []

    def explode(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        if statement.lstrip().startswith(statement_start):
            seen.append(statement)
            if len(seen) <= failures:
                raise OperationalError(statement, parameters, Exception("server closed the connection unexpectedly"))

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", explode)
    return seen


def test_a_database_failure_while_reading_ahead_falls_back_to_the_lock(app, auth, demo):
    cashier, cid = auth("caisse@demo.test"), demo["bakery"]
    reg, cash = demo["bakery_registers"][0], demo["bakery_methods"]["cash"]
    seen = failing_reads(app, "SELECT flows.id", 1)  # the read ahead's query of the named flows
    answer = push(cashier, cid, [flow_add(1, reg, cash_in(cash))])
    assert answer.status_code == 200 and answer.json["results"][0]["status"] == "applied"
    assert len(seen) == 2  # failed ahead of the lock, then read under it


def test_a_database_down_during_a_push_answers_503_and_saves_nothing(app, auth, demo):
    cashier, cid = auth("caisse@demo.test"), demo["bakery"]
    reg, cash = demo["bakery_registers"][0], demo["bakery_methods"]["cash"]
    failing_reads(app, "SELECT flows.id", 100)
    answer = push(cashier, cid, [flow_add(1, reg, cash_in(cash))])
    assert answer.status_code == 503 and answer.json["code"] == "temporary_failure", answer.json
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(Flow.id))).scalar_one() == 0


def judged_where(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bool]]:
    """(kind, under the lock?) of every movement the company's rules judge (step 2 of `flow_in_context`)."""
    judged: list[tuple[str, bool]] = []
    real = mutations.validation.flow_in_context

    def flow_in_context(flow: Any, ctx: Any) -> Any:
        if ctx.settings is not None:  # step 2, the company's rules (step 1, pure, runs for every mutation)
            judged.append((flow["kind"], uow.current() is not None))
        return real(flow, ctx)

    monkeypatch.setattr(mutations.validation, "flow_in_context", flow_in_context)
    return judged


def movements_and_a_void(cash: int, register_id: int, first_id: int = 1) -> list[dict]:
    """Two cash-ins, a void of the first (a movement of the same change-set), a movement of an unknown method."""
    first, second = cash_in(cash, "4.00"), cash_in(cash, "6.00")
    void = {"id": str(uuid.uuid4()), "kind": "void", "voids": first["id"]}
    unknown = cash_in(999_999, "1.00")  # a method of no company: refused
    return [flow_add(first_id + n, register_id, flow) for n, flow in enumerate((first, second, void, unknown))]


def test_a_change_set_of_movements_is_decided_before_the_lock(app, auth, demo, monkeypatch):
    """sync.plan: a change-set of `flow.add` only is decided whole on the read ahead, the void of a movement of
    the same change-set too (the planner answers with what the change-set wrote); under the lock it is only
    stamped and written. The verdicts are those of a decision under the lock: the unknown method is refused."""
    cashier = auth("caisse@demo.test")
    cid, reg, cash = demo["bakery"], demo["bakery_registers"][0], demo["bakery_methods"]["cash"]
    judged = judged_where(monkeypatch)
    batch = movements_and_a_void(cash, reg)
    results = push(cashier, cid, batch).json["results"]
    assert [r["status"] for r in results] == ["applied", "applied", "applied", "rejected"]
    assert results[3]["code"] == "unknown_reference", results[3]
    # The plain movements' verdicts are taken first (`precheck_flows`), the void's while planning: all before.
    assert judged == [("cash_in", False), ("cash_in", False), ("cash_in", False), ("void", False)], judged
    with app.app_context():
        stored = db.session.execute(db.select(Flow.id, Flow.version).order_by(Flow.version)).all()
        company = db.session.get(Company, cid)
        rejected = db.session.execute(db.select(Rejection.mutation_id, Rejection.version)).all()
    assert [flow_id for flow_id, _ in stored] == [m["args"]["flow"]["id"] for m in batch[:3]]
    versions = [version for _, version in stored] + [version for _, version in rejected]
    assert versions == sorted(set(versions)) and versions[-1] == company.server_version  # stamped in order
    assert rejected[0][0] == 4 and last_id(app, cid) == 4


def test_a_change_set_with_a_header_is_decided_under_the_lock(app, auth, demo, monkeypatch):
    """A change-set holding another mutation than `flow.add` (a header here: its rules read the till's reports)
    is decided under the lock; only the verdicts that read the settings are taken before it. A void reads the
    day's flows, which the change-set adds: judged under the lock."""
    cashier = auth("caisse@demo.test")
    cid, reg, cash = demo["bakery"], demo["bakery_registers"][0], demo["bakery_methods"]["cash"]
    judged = judged_where(monkeypatch)
    batch = [day_put(1, reg, {"z_number": "Z-0412"}), *movements_and_a_void(cash, reg, first_id=2)]
    results = push(cashier, cid, batch).json["results"]
    assert [r["status"] for r in results] == ["applied", "applied", "applied", "applied", "rejected"]
    assert judged == [("cash_in", False), ("cash_in", False), ("cash_in", False), ("void", True)], judged


def test_a_verdict_decided_for_another_today_is_decided_again(app, auth, demo, monkeypatch):
    """Midnight between the read ahead and the lock: the verdicts and the plan decided for the earlier date are
    not used; the change-set is decided again under the lock."""
    cashier = auth("caisse@demo.test")
    cid, reg, cash = demo["bakery"], demo["bakery_registers"][0], demo["bakery_methods"]["cash"]
    monkeypatch.setattr(clock, "date_at", lambda _now: date(2025, 3, 15) if uow.current() else date(2025, 3, 14))
    judged: list[bool] = []
    real = mutations.validation.flow_in_context

    def flow_in_context(flow: Any, ctx: Any) -> Any:
        if ctx.settings is not None:
            judged.append(uow.current() is not None)
        return real(flow, ctx)

    monkeypatch.setattr(mutations.validation, "flow_in_context", flow_in_context)
    answer = push(cashier, cid, [flow_add(1, reg, cash_in(cash))]).json["results"][0]
    assert answer["status"] == "applied" and judged == [False, True]


def test_rows_built_before_the_lock_are_used_only_for_the_very_movement(app, auth, demo, monkeypatch):
    """`SqlStore.prebuild_flows` builds the columns of the movements judged valid before the lock; `add_flow`
    uses them only when the movement it writes is the one they were built from. Two mutations carrying one
    UUID with different amounts: the first is written with its own amount (the UUID's prebuilt row is the
    second's), the second is refused as another movement under that UUID."""
    cashier = auth("caisse@demo.test")
    cid, reg, cash = demo["bakery"], demo["bakery_registers"][0], demo["bakery_methods"]["cash"]
    built: list[int] = []
    real = sql_store._flow_columns

    def flow_columns(data: Any) -> Any:
        built.append(uow.current() is not None)
        return real(data)

    monkeypatch.setattr(sql_store, "_flow_columns", flow_columns)
    plain, first = cash_in(cash, "3.00"), cash_in(cash, "4.00")
    second = {**first, "amount": "5.00"}
    results = push(cashier, cid, [flow_add(1, reg, plain), flow_add(2, reg, first), flow_add(3, reg, second)])
    assert [r["status"] for r in results.json["results"]] == ["applied", "applied", "rejected"]
    assert built == [False, False, True]  # one per UUID before the lock; the first of the shared UUID under it
    with app.app_context():
        stored = dict(db.session.execute(db.select(Flow.id, Flow.amount_cents)).all())
    assert stored == {plain["id"]: 300, first["id"]: 400}
