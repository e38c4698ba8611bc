"""Alembic migrations build the same schema as the models, on the test database."""

import uuid
from datetime import date

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy.exc import DBAPIError, IntegrityError

from server.extensions import db
from server.models import Day, Flow


def migrate_from_empty() -> None:
    """An empty database (no tables, no alembic_version) upgraded to the head migration."""
    db.drop_all()
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    upgrade()


def schema_diff() -> list:
    """What the models have that the migrated database has not, or the other way round."""
    with db.engine.connect() as conn:
        return compare_metadata(MigrationContext.configure(conn), db.metadata)


def test_migrations_upgrade_and_match_models(app):
    with app.app_context():
        migrate_from_empty()
        diff = schema_diff()
        assert diff == [], diff


def test_the_migrated_audit_table_refuses_updates_and_deletes(app):
    """The trigger comes with the migration too (create_all adds it through a DDL event)."""
    with app.app_context():
        migrate_from_empty()
        with db.engine.begin() as conn:
            conn.exec_driver_sql("INSERT INTO audit_entries (at, device_id, action, entity, entity_id) "
                                 "VALUES (CURRENT_TIMESTAMP, '', 'create', 'company', '1')")
        for statement in ("UPDATE audit_entries SET action = 'forged'", "DELETE FROM audit_entries"):
            with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as conn:
                conn.exec_driver_sql(statement)


def test_the_flow_key_migration_downgrades_and_upgrades_again(app):
    with app.app_context():
        migrate_from_empty()
        downgrade(revision="r1a0000001")
        with db.engine.connect() as conn:
            names = {fk["name"] for fk in db.inspect(conn).get_foreign_keys("flows")}
        assert {"fk_flows_day_id_days", "fk_flows_company_id_companies"} <= names
        upgrade()
        assert schema_diff() == []


def test_the_database_refuses_a_movement_on_another_companys_day(app, demo):
    with app.app_context():
        day = Day(id=str(uuid.uuid4()), company_id=demo["bakery"], register_id=demo["bakery_registers"][0],
                  date=date(2026, 3, 10))
        db.session.add(day)
        db.session.commit()

        def flow(company_id: int) -> Flow:
            return Flow(id=str(uuid.uuid4()), company_id=company_id, day_id=day.id, kind="cash_in", amount_cents=100)

        db.session.add(flow(demo["cafe"]))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
        db.session.add(flow(demo["bakery"]))
        db.session.commit()
