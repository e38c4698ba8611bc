"""SQLite: a push holds the database's write lock in its unit of work only (services.uow.reading, end_reading).

SQLite transactions begin IMMEDIATE, so a request held the write lock from its first statement (the session
lookup) to its commit, including its device check, the parsing and checking of its 100 mutations and its read
ahead, while every other request waited. These tests try to take the write lock from another connection, with
no wait, at the moments a push reads, parses and checks: it must be free there, and held by its unit of work."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.engine import make_url

import server.api.sync as sync_api
import server.auth as auth_module
from server.extensions import db
from server.models import UserSession
from server.services import mutations, sessions, sql_store
from tests.server.test_sync_push import cash_in, flow_add, push


def _write_lock_free(app: Any) -> bool:
    """Whether another connection can take the write lock at once (BEGIN IMMEDIATE without waiting)."""
    other = sqlite3.connect(make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database, timeout=0,
                            isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        other.close()


@pytest.fixture
def sqlite_only(db_kind: str) -> None:
    if db_kind != "sqlite":
        pytest.skip("SQLite's write lock; PostgreSQL locks the company's row in the unit of work only")


def test_a_push_holds_the_write_lock_in_its_unit_of_work_only(sqlite_only, auth, demo, app, monkeypatch):
    """Free after each read (session, read ahead: they ran in DEFERRED transactions), while parsing and checking;
    held when the unit of work checks its read ahead (`still_current`) and writes."""
    seen: dict[str, bool] = {}
    real_user, real_parse, real_check = auth_module._user_with_memberships, sync_api.parse_push, mutations.check_batch
    real_ahead, real_current = sql_store.SqlStore.read_ahead, sql_store.SqlStore.still_current

    def user_with_memberships(user_id: int) -> Any:
        found = real_user(user_id)  # the session's row was read just before, in the same transaction
        seen.setdefault("session lookup", _write_lock_free(app))
        return found

    def parse_push(data: Any) -> Any:
        seen["parse"] = _write_lock_free(app)
        return real_parse(data)

    def check_batch(batch: Any) -> Any:
        seen["check"] = _write_lock_free(app)
        return real_check(batch)

    def read_ahead(store: Any, *args: Any) -> None:
        real_ahead(store, *args)
        seen["read ahead"] = _write_lock_free(app)

    def still_current(store: Any) -> bool:
        seen["unit of work"] = _write_lock_free(app)
        return real_current(store)

    monkeypatch.setattr(auth_module, "_user_with_memberships", user_with_memberships)
    monkeypatch.setattr(sync_api, "parse_push", parse_push)
    monkeypatch.setattr(mutations, "check_batch", check_batch)
    monkeypatch.setattr(sql_store.SqlStore, "read_ahead", read_ahead)
    monkeypatch.setattr(sql_store.SqlStore, "still_current", still_current)
    client, reg, cash = auth("caisse@demo.test"), demo["bakery_registers"][0], demo["bakery_methods"]["cash"]
    seen.clear()  # the login's own lookups
    batch = [flow_add(i, reg, cash_in(cash, "2.50")) for i in range(1, 11)]
    r = push(client, demo["bakery"], batch)
    assert r.status_code == 200 and [x["status"] for x in r.json["results"]] == ["applied"] * 10
    assert seen == {"session lookup": True, "parse": True, "check": True, "read ahead": True, "unit of work": False}


def test_a_session_due_for_its_touch_is_still_written(auth, demo, app):
    """The lookup reads in a DEFERRED transaction on SQLite; the touch (last use, once a minute) writes after it."""
    client = auth("caisse@demo.test")
    with app.app_context():
        row = db.session.execute(db.select(UserSession).order_by(UserSession.id.desc())).scalars().first()
        row.last_seen_at = row.last_seen_at - sessions.TOUCH_EVERY - timedelta(seconds=1)
        db.session.commit()
        before = row.last_seen_at
    assert client.get("/api/me").status_code == 200
    with app.app_context():
        row = db.session.execute(db.select(UserSession).order_by(UserSession.id.desc())).scalars().first()
        assert row.last_seen_at > before + sessions.TOUCH_EVERY


def test_a_reading_block_that_raises_leaves_no_snapshot_behind(sqlite_only, demo, app):
    """An error inside `uow.reading()` (a 404 of the access check, a failing read) rolls its DEFERRED snapshot
    back: a later write of the request must not begin in it (SQLITE_BUSY_SNAPSHOT) but in a new IMMEDIATE one."""
    from server.models import Company
    from server.services import uow

    with app.app_context():
        with pytest.raises(LookupError), uow.reading():
            db.session.get(Company, demo["bakery"])
            assert db.session().in_transaction()
            raise LookupError("the access check refused")
        assert not db.session().in_transaction()
        db.session.get(Company, demo["bakery"])  # the next statement begins IMMEDIATE: the write lock is taken
        assert not _write_lock_free(app)
        db.session.rollback()
