"""The unit of work: one commit, everything rolled back on error, serialization failures retried."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from sqlalchemy import text

from server.errors import ApiError
from server.extensions import db
from server.models import AuditEntry, Company, Register
from server.services import uow


def count(model: type) -> int:
    return int(db.session.execute(db.select(db.func.count()).select_from(model)).scalar_one())


def test_an_error_rolls_back_the_change_and_its_audit(app, demo):
    with app.app_context():
        def work(unit: uow.Work) -> None:
            unit.locked.name = "Changé"
            unit.record("update", "company", unit.locked.id, after={"name": "Changé"})
            db.session.flush()
            raise ApiError(422, errors={"name": ["Refusé."]})

        with pytest.raises(ApiError):
            uow.run(work, demo["bakery"])
        assert count(AuditEntry) == 0
        assert db.session.get(Company, demo["bakery"]).name == "Boulangerie du Marché"


def test_a_nested_unit_joins_the_outer_one(app, demo):
    with app.app_context():
        def inner(unit: uow.Work) -> uow.Work:
            unit.record("update", "company", 1)
            return unit

        def outer(unit: uow.Work) -> None:
            assert uow.run(inner, demo["bakery"]) is unit  # same unit: no commit in between
            raise ApiError(409)

        with pytest.raises(ApiError):
            uow.run(outer, demo["bakery"])
        assert count(AuditEntry) == 0 and uow.current() is None
        with pytest.raises(RuntimeError):
            uow.run(lambda unit: uow.run(inner, demo["cafe"]), demo["bakery"])


def test_a_deadlock_between_two_transactions_is_retried_on_postgresql(app, demo, db_kind):
    """Thread A holds the company and wants a register; B holds the register and wants the company.
    PostgreSQL aborts A (40P01, its shorter deadlock_timeout); the unit of work runs A again after B."""
    if db_kind != "postgres":
        pytest.skip("row locks and deadlock detection are PostgreSQL's; SQLite serializes writers (BEGIN IMMEDIATE)")
    cid, rid = demo["bakery"], demo["bakery_registers"][0]
    a_holds_company, b_holds_register = threading.Event(), threading.Event()
    attempts: list[int] = []
    errors: list[BaseException] = []

    def thread_a() -> None:
        with app.app_context():
            def work(unit: uow.Work) -> None:
                attempts.append(unit.attempt)
                db.session.execute(text("SET LOCAL deadlock_timeout = '500ms'"))
                if unit.attempt == 0:
                    a_holds_company.set()
                    b_holds_register.wait(10)
                db.session.execute(text("UPDATE registers SET name = 'Par A' WHERE id = :id"), {"id": rid})
                unit.record("update", "register", rid, after={"name": "Par A"})

            try:
                uow.run(work, cid)
            except BaseException as exc:  # noqa: BLE001 - reported to the main thread
                errors.append(exc)

    def thread_b() -> None:
        with app.app_context(), db.engine.connect() as conn:
            a_holds_company.wait(10)
            with conn.begin():
                conn.execute(text("SET LOCAL deadlock_timeout = '5s'"))
                conn.execute(text("SELECT id FROM registers WHERE id = :id FOR UPDATE"), {"id": rid})
                b_holds_register.set()
                time.sleep(0.1)  # A is now waiting for the register
                conn.execute(text("SELECT id FROM companies WHERE id = :id FOR UPDATE"), {"id": cid})
                conn.execute(text("UPDATE companies SET name = 'Par B' WHERE id = :id"), {"id": cid})

    threads = [threading.Thread(target=thread_a), threading.Thread(target=thread_b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors, errors
    # Retried: A may win the company again right after its rollback and deadlock once more; B then ends.
    assert attempts[:2] == [0, 1] and len(attempts) <= uow.RETRIES + 1
    with app.app_context():
        assert db.session.get(Register, rid).name == "Par A"
        assert db.session.get(Company, cid).name == "Par B"
        assert count(AuditEntry) == 1  # the failed attempt's row was rolled back with it


def test_a_failure_other_than_serialization_is_not_retried(app, demo):
    from sqlalchemy.exc import OperationalError

    attempts: list[int] = []

    def work(unit: uow.Work) -> None:
        attempts.append(unit.attempt)
        raise OperationalError("SELECT 1", {}, Exception("server closed the connection unexpectedly"))

    with app.app_context(), pytest.raises(uow.DatabaseUnavailable):
        uow.run(work, demo["bakery"])
    assert attempts == [0]


def test_serialization_failures_are_retried_a_bounded_number_of_times(app, demo):
    from sqlalchemy.exc import OperationalError

    class Serialization(Exception):
        sqlstate = "40001"

    attempts: list[int] = []

    def work(unit: uow.Work) -> Any:
        attempts.append(unit.attempt)
        raise OperationalError("UPDATE", {}, Serialization("could not serialize access"))

    with app.app_context(), pytest.raises(uow.DatabaseUnavailable):
        uow.run(work, demo["bakery"])
    assert attempts == list(range(uow.RETRIES + 1))


def test_the_lock_reads_the_version_counter_committed_meanwhile(app, demo, db_kind):
    """The request loaded the company (its access check) before another writer committed: the unit of work
    must number its writes after that writer's, not from the copy the session already held (before the fix,
    two concurrent pushes took the same server versions and a pull could skip a change for good). On SQLite the
    access check reads in a DEFERRED transaction of its own (`uow.reading`), so a writer can come between there too."""
    cid = demo["bakery"]
    with app.app_context():
        with uow.reading():  # as body_company reads it; PostgreSQL: the same transaction goes on
            held = db.session.get(Company, cid)  # loaded before the unit of work, and held (as `g.company` is)
        before = held.server_version
        with db.engine.connect() as other:
            other.execute(text("UPDATE companies SET server_version = server_version + 5 WHERE id = :id"), {"id": cid})
            other.commit()
        taken = uow.run(lambda unit: unit.locked.server_version + 1, cid)
        assert taken == before + 6 and held.server_version == before + 5
