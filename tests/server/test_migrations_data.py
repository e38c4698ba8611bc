"""Migrations keep data: a database filled at the first migration, upgraded to head, still holds it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_migrate import upgrade
from sqlalchemy import JSON, Boolean, Date, DateTime, Integer, MetaData, Numeric, String, Text

from server.extensions import db

FIRST = "15f0f18ee079"


def _filler(column: Any) -> Any:
    kind = column.type
    if isinstance(kind, Boolean):
        return False
    if isinstance(kind, Integer | Numeric):
        return 0
    if isinstance(kind, DateTime):
        return dt.datetime(2026, 1, 5, 9, 30)
    if isinstance(kind, Date):
        return dt.date(2026, 1, 5)
    if isinstance(kind, JSON):
        return {}
    if isinstance(kind, String | Text):
        return ""
    raise AssertionError(f"no filler for {column}")


def insert(conn: Any, meta: MetaData, table: str, **values: Any) -> None:
    """Insert a row with the given values, every other NOT NULL column given a plain value."""
    t = meta.tables[table]
    for column in t.columns:
        if column.name not in values and not column.nullable:
            if column.primary_key and isinstance(column.type, Integer):
                continue
            values[column.name] = _filler(column)
    conn.execute(t.insert().values(**values))


def test_data_written_at_the_first_migration_survives_every_upgrade(app):
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        upgrade(revision=FIRST)
        meta = MetaData()
        meta.reflect(db.engine)
        with db.engine.begin() as conn:
            insert(conn, meta, "firms", id=1, name="Cabinet Martin")
            insert(conn, meta, "users", id=1, email="gerant@ex.fr", name="Gérant", password_hash="h", is_active=True)
            insert(conn, meta, "users", id=2, email="caisse@ex.fr", name="Caisse", is_active=True)
            insert(conn, meta, "companies", id=1, firm_id=1, name="Boulangerie", siren="732829320",
                   weekly_pattern="0111111", server_version=7, accounts={"cash": "530000"}, fiscal_year_start_month=1)
            insert(conn, meta, "memberships", id=1, user_id=1, company_id=1, role="admin")
            insert(conn, meta, "registers", id=1, company_id=1, name="Caisse 1", active=True, version=3)
            insert(conn, meta, "customers", id=1, company_id=1, name="Mme Durand", active=True, version=4)
            insert(conn, meta, "days", id="8e1c3f2a-1111-4a4a-8b8b-000000000001", company_id=1, register_id=1,
                   date=dt.date(2026, 1, 5), status="open", revision=2, z_number="Z-12", comment="café",
                   field_versions={"z_number": [2, "dev"]}, version=6)
            insert(conn, meta, "devices", id="dev-a", company_id=1, user_id=2, last_mutation_id=9,
                   created_at=dt.datetime(2026, 1, 2))
            insert(conn, meta, "login_throttle", email="gerant@ex.fr", failures=2)

        upgrade(revision="heads")

        with db.engine.connect() as conn:
            def one(sql: str) -> tuple:
                return tuple(conn.exec_driver_sql(sql).one())

            assert one("SELECT name, siren, server_version FROM companies") == ("Boulangerie", "732829320", 7)
            assert one("SELECT email, password_hash FROM users WHERE id = 1") == ("gerant@ex.fr", "h")
            assert one("SELECT role, company_id FROM memberships") == ("admin", 1)
            assert one("SELECT name, version FROM customers") == ("Mme Durand", 4)
            assert one("SELECT z_number, comment, revision, version FROM days") == ("Z-12", "café", 2, 6)
            assert one("SELECT last_mutation_id FROM devices") == (9,)
            # The device known before the migration now belongs to the user who used it.
            assert one("SELECT device_id, user_id FROM device_owners") == ("dev-a", 2)
            assert one("SELECT count(*) FROM user_sessions") == (0,)
