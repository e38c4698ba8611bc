"""Extensions, created unbound and bound by create_app with init_app."""

from contextvars import ContextVar
from typing import TYPE_CHECKING

from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow.common import resolve_schema_cls
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


db = SQLAlchemy(model_class=Base)
# The base class of our models: `db.Model` at run time; type checkers cannot see through it, so they get Base.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model
migrate = Migrate(render_as_batch=True)
# SQLite: True while `services.uow.reading()` runs: the transaction that begins then is DEFERRED (a WAL
# snapshot that leaves the write lock to writers) instead of IMMEDIATE. Per thread and request.
SQLITE_READING: ContextVar[bool] = ContextVar("caisse_sqlite_reading", default=False)
api = Api()


def _schema_name(schema) -> str:
    """OpenAPI component name; a partial (PATCH) schema gets its own name."""
    resolved = resolve_schema_cls(schema)
    cls = resolved[0] if isinstance(resolved, list) else resolved
    name = cls.__name__.removesuffix("Schema")
    return name + "Patch" if getattr(schema, "partial", False) else name


def openapi_plugin() -> MarshmallowPlugin:
    return MarshmallowPlugin(schema_name_resolver=_schema_name)


def configure_engine(app) -> None:
    """SQLite: foreign keys on, WAL, and BEGIN IMMEDIATE so a change-set holds the write lock (DOMAIN §7);
    BEGIN DEFERRED inside `services.uow.reading()` only (reads that must not wait for, nor hold up, writers)."""
    from sqlalchemy import event

    with app.app_context():
        engine = db.engine
        if engine.dialect.name != "sqlite":
            return

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection, _record):
            dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            if ":memory:" not in str(engine.url):
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn):
            conn.exec_driver_sql("BEGIN DEFERRED" if SQLITE_READING.get() else "BEGIN IMMEDIATE")
