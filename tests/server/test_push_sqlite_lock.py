"""SQLite: a push checks its body without holding the database's write lock (services.uow.end_reading).

SQLite transactions begin IMMEDIATE, so a request held the write lock from its first statement (the session
lookup) to its commit, including the parsing and checking of its 100 mutations, while every other writer
waited. These tests try to take the write lock from another connection, with no wait, at the moments a push
parses and checks its mutations: it must be free there, and held again by the push's unit of work."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from sqlalchemy.engine import make_url

import server.api.sync as sync_api
from server.services import mutations
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


def test_a_push_parses_and_checks_its_mutations_without_the_write_lock(sqlite_only, auth, demo, app, monkeypatch):
    seen: dict[str, bool] = {}
    real_parse, real_check, real_lock = sync_api.parse_push, mutations.check_batch, mutations.uow.lock_company

    def parse_push(data: Any) -> Any:
        seen["parse"] = _write_lock_free(app)
        return real_parse(data)

    def check_batch(batch: Any) -> Any:
        seen["check"] = _write_lock_free(app)
        return real_check(batch)

    def lock_company(company_id: int) -> Any:
        seen["unit of work"] = _write_lock_free(app)
        return real_lock(company_id)

    monkeypatch.setattr(sync_api, "parse_push", parse_push)
    monkeypatch.setattr(mutations, "check_batch", check_batch)
    monkeypatch.setattr(mutations.uow, "lock_company", lock_company)
    client, reg, cash = auth("caisse@demo.test"), demo["bakery_registers"][0], demo["bakery_methods"]["cash"]
    batch = [flow_add(i, reg, cash_in(cash, "2.50")) for i in range(1, 11)]
    r = push(client, demo["bakery"], batch)
    assert r.status_code == 200 and [x["status"] for x in r.json["results"]] == ["applied"] * 10
    # Free while parsing and checking; held from the read ahead to the commit (the unit of work).
    assert seen == {"parse": True, "check": True, "unit of work": False}
