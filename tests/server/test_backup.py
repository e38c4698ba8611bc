"""Backup then restore: every table identical (row counts and checksums), verify-journal passing,
and devices that saw later versions told to reset. SQLite (backup API) and PostgreSQL (pg_dump)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from server.backup import pg_tools_available
from server.extensions import db
from server.models import Company
from tests.server.test_sync_push import cash_in, flow_add, pull, push

# Shifted on purpose by a restore (see server/backup.py), all by one offset; compared separately.
SHIFTED = {"version", "server_version", "min_cookie"}


def checksums(app: Any) -> dict[str, tuple[int, str]]:
    """table -> (row count, SHA-256 of its rows in primary-key order)."""
    out = {}
    with app.app_context():
        for table in db.metadata.sorted_tables:
            columns = [c for c in table.columns if c.name not in SHIFTED]
            order = list(table.primary_key.columns) or columns
            rows = db.session.execute(db.select(*columns).order_by(*order)).all()
            digest = hashlib.sha256(repr([tuple(r) for r in rows]).encode()).hexdigest()
            out[table.name] = (len(rows), digest)
        db.session.remove()
    return out


def versions(app: Any) -> list[int]:
    """Every replicated row's version, in one stable order."""
    with app.app_context():
        out = []
        for table in db.metadata.sorted_tables:
            if "version" in table.c:
                out += db.session.execute(db.select(table.c.version).order_by(*table.primary_key.columns)).scalars()
        db.session.remove()
    return out


def run(app: Any, *args: str) -> Any:
    result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def with_history(app):
    """Ask for it before `demo`: the demo then has its 15 months of closed days (hash chains)."""
    app.config["DEMO_HISTORY"] = True


@pytest.fixture
def pg_tools(db_kind):
    if db_kind == "postgres" and not pg_tools_available():
        pytest.skip("pg_dump / pg_restore not installed")


def test_backup_then_restore_gives_back_every_table_and_resets_devices(with_history, auth, demo, app, tmp_path,
                                                                       pg_tools):
    cashier = auth("caisse@demo.test")
    reg, cash = demo["bakery_registers"][0], demo["bakery_methods"]["cash"]
    first = [flow_add(i, reg, cash_in(cash, f"{i}.00")) for i in (1, 2)]
    assert push(cashier, demo["bakery"], first).status_code == 200
    saved, saved_versions = checksums(app), versions(app)
    assert saved["flows"][0] >= 2 and saved["days"][0] > 100  # the demo's 15 months of closed days
    out = run(app, "backup", "--dir", str(tmp_path / "backups"))
    backup_file = Path(out.output.split(":", 1)[1].strip())
    assert backup_file.is_file()

    # Life goes on after the backup: more mutations, and the device pulls them.
    assert push(cashier, demo["bakery"], [flow_add(3, reg, cash_in(cash, "3.00"))]).status_code == 200
    seen = pull(cashier, demo["bakery"]).json["cookie"]
    assert checksums(app) != saved

    run(app, "restore", str(backup_file), "--yes")
    assert checksums(app) == saved
    shifts = {after - before for before, after in zip(saved_versions, versions(app), strict=True)}
    assert len(shifts) == 1 and shifts.pop() > seen  # one offset above every version handed out
    assert "Journal intègre" in run(app, "verify-journal").output
    with app.app_context():
        company = db.session.get(Company, demo["bakery"])
        assert company.min_cookie > seen and company.server_version > company.min_cookie
        db.session.remove()

    cashier = auth("caisse@demo.test")  # sessions are data too: the restored ones are those of the backup
    after = pull(cashier, demo["bakery"], cookie=seen).json
    assert after["reset"] is True and after["last_mutation_id"] == 2  # re-send 3 from the outbox
    fresh = pull(cashier, demo["bakery"]).json
    assert fresh["reset"] is False and not fresh["more"] or fresh["changes"]
    while fresh["more"]:
        fresh = pull(cashier, demo["bakery"], cookie=fresh["cookie"]).json
    assert pull(cashier, demo["bakery"], cookie=fresh["cookie"]).json["reset"] is False
    again = push(cashier, demo["bakery"], [flow_add(3, reg, cash_in(cash, "3.00"))])
    assert [x["status"] for x in again.json["results"]] == ["applied"]


def test_backups_keep_only_the_most_recent(app, tmp_path, pg_tools):
    for _ in range(4):
        run(app, "backup", "--dir", str(tmp_path / "b"), "--keep", "2")
    assert len(list((tmp_path / "b").iterdir())) == 2


def test_a_damaged_backup_is_refused_and_changes_nothing(app, demo, tmp_path, db_kind):
    if db_kind != "sqlite":
        pytest.skip("the integrity check of a file is SQLite's; pg_restore refuses a bad archive itself")
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"not a database" * 100)
    before = checksums(app)
    result = app.test_cli_runner().invoke(args=["restore", str(bad), "--yes"])
    assert result.exit_code != 0
    assert checksums(app) == before
