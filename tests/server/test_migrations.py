"""Alembic migrations build the same schema as the models, on the test database."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy.exc import DBAPIError

from server.extensions import db


def test_migrations_upgrade_and_match_models(app):
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        upgrade()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
        assert diff == [], diff


def test_the_migrated_audit_table_refuses_updates_and_deletes(app):
    """The trigger comes with the migration too (create_all adds it through a DDL event)."""
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        upgrade()
        with db.engine.begin() as conn:
            conn.exec_driver_sql("INSERT INTO audit_entries (at, device_id, action, entity, entity_id) "
                                 "VALUES (CURRENT_TIMESTAMP, '', 'create', 'company', '1')")
        for statement in ("UPDATE audit_entries SET action = 'forged'", "DELETE FROM audit_entries"):
            with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as conn:
                conn.exec_driver_sql(statement)
