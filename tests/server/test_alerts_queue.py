"""The day's alerts are evaluated outside the write (services.alerts_queue): a write queues its day once,
the worker or a reader evaluates it, a fault in the rules never stalls the queue nor answers 500."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from typing import Any

import pytest

from server.extensions import db
from server.models import Alert, AlertRefresh
from server.models.base import utcnow
from server.services import alerts_queue
from tests.server.test_alerts import D1, D2, alerts_of, put, sale
from tests.server.test_alerts import reg as reg  # noqa: F401 - the fixture


def queued(app: Any) -> list[tuple[int, str]]:
    with app.app_context():
        return [(r.register_id, r.day_date.isoformat()) for r in db.session.execute(
            db.select(AlertRefresh).order_by(AlertRefresh.day_date)).scalars()]


def stored_alerts(app: Any) -> int:
    with app.app_context():
        return db.session.execute(db.select(db.func.count(Alert.id))).scalar_one()


def test_writes_queue_their_day_once_and_a_reader_evaluates_it(app, auth, reg):
    gerant = auth("gerant@demo.test")
    before = stored_alerts(app)
    put(gerant, reg, D1, **sale(reg, "100.00", "80.00"))
    put(gerant, reg, D1, comment="Encore")
    put(gerant, reg, D2, **sale(reg, "10.00", "10.00"))
    assert queued(app) == [(reg["id"], D1), (reg["id"], D2)]  # three writes, two days, nothing evaluated yet
    assert stored_alerts(app) == before
    rows = alerts_of(gerant, reg)  # reading drains the company's queue first
    assert sorted(a["kind"] for a in rows if a["status"] == "open" and a["day_date"] == D1) == [
        "breakdown_mismatch", "day_left_open"]
    assert queued(app) == []


def test_the_worker_drains_every_company_and_a_fixed_condition_never_opens(app, auth, reg):
    gerant = auth("gerant@demo.test")
    put(gerant, reg, D1, **sale(reg, "100.00", "80.00"))
    put(gerant, reg, D1, **sale(reg, "100.00", "100.00"))  # fixed before any evaluation
    with app.app_context():
        assert alerts_queue.drain() == 1
        assert alerts_queue.drain() == 0
    assert [a for a in alerts_of(gerant, reg) if a["kind"] == "breakdown_mismatch"] == []


def test_a_fault_in_the_rules_drops_the_queued_days_and_the_list_still_answers(app, auth, reg, monkeypatch):
    gerant = auth("gerant@demo.test")
    put(gerant, reg, D1, **sale(reg, "100.00", "80.00"))

    def broken(*_args: Any, **_kw: Any) -> None:
        raise KeyError("a bug in the rules")

    monkeypatch.setattr(alerts_queue, "refresh_day_alerts", broken)
    r = gerant.get(reg["alerts"])
    assert r.status_code == 200 and r.json["alerts"] == []
    assert queued(app) == []
    monkeypatch.undo()
    put(gerant, reg, D1, comment="Après correction")  # the next write queues the day again
    assert "breakdown_mismatch" in [a["kind"] for a in alerts_of(gerant, reg) if a["status"] == "open"]


def test_the_worker_waits_for_a_day_to_settle_readers_do_not(app, auth, reg):
    from datetime import timedelta

    from server.models.base import utcnow

    gerant = auth("gerant@demo.test")
    put(gerant, reg, D1, **sale(reg, "100.00", "80.00"))
    with app.app_context():
        assert alerts_queue.drain(settled_before=utcnow() - timedelta(seconds=30)) == 0  # queued just now
        assert alerts_queue.drain(settled_before=utcnow() + timedelta(seconds=1)) == 1
    assert queued(app) == []
    put(gerant, reg, D1, comment="Encore")
    assert "breakdown_mismatch" in [a["kind"] for a in alerts_of(gerant, reg) if a["status"] == "open"]


def test_an_evaluation_holds_its_day_not_the_company(app, auth, reg, db_kind, monkeypatch):
    """While the worker evaluates one day, a write to another day of the same company goes through at once
    (before, the evaluation held the company's lock: pushes waited for it, about 2 s in bench/sync_push.py),
    and a second worker skips the day being evaluated instead of evaluating it twice."""
    if db_kind != "postgres":
        pytest.skip("SQLite serializes every transaction (BEGIN IMMEDIATE): there is no row lock to hold")
    gerant = auth("gerant@demo.test")
    put(gerant, reg, D1, **sale(reg, "100.00", "80.00"))
    evaluating, release = threading.Event(), threading.Event()
    real = alerts_queue.refresh_day_alerts

    def slow(*args: Any, **kwargs: Any) -> Any:
        if not evaluating.is_set():  # the first evaluation (the worker's, of D1) waits to be released
            evaluating.set()
            assert release.wait(20)
        return real(*args, **kwargs)

    monkeypatch.setattr(alerts_queue, "refresh_day_alerts", slow)
    done: list[int] = []

    def worker() -> None:
        with app.app_context():
            done.append(alerts_queue.drain(skip_locked=True))

    thread = threading.Thread(target=worker)
    thread.start()
    try:
        assert evaluating.wait(20)
        begin = time.monotonic()
        put(gerant, reg, D2, **sale(reg, "10.00", "10.00"))  # another day of the company: no wait
        assert time.monotonic() - begin < 5
        with app.app_context():  # a second worker: D1 is held, so it evaluates D2 only
            assert alerts_queue.drain(settled_before=utcnow() + timedelta(seconds=1), skip_locked=True) == 1
        assert queued(app) == [(reg["id"], D1)]
    finally:
        release.set()
        thread.join(30)
    assert done == [1] and queued(app) == []
