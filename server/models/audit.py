"""The audit trail: one append-only row per recorded write (who, when, from which device, before and after).

Rows are only ever inserted. The ORM refuses to update or delete them (see `_refuse`), and the database
does too: a trigger on PostgreSQL and on SQLite (created with the table, and by the migration).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DDL, JSON, DateTime, ForeignKey, String, event
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Mapped, Mapper, ORMExecuteState, Session, mapped_column
from sqlalchemy.types import TypeDecorator

from server.extensions import Model
from server.models.base import BigInt

APPEND_ONLY = "audit_entries is append-only"


class UtcDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime on every database (SQLite stores it naive, in UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("UtcDateTime needs an aware datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utc_now() -> datetime:
    return datetime.now(UTC)


class AuditEntry(Model):
    """A write as it was recorded, in the same transaction as the write itself."""

    __tablename__ = "audit_entries"
    id: Mapped[int] = mapped_column(BigInt, primary_key=True)
    # None for a user's own records that belong to no company (personal tokens).
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"), nullable=True, index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utc_now, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True, index=True)
    device_id: Mapped[str] = mapped_column(String(64), default="")
    mutation_id: Mapped[int | None] = mapped_column(BigInt, nullable=True)
    action: Mapped[str] = mapped_column(String(20))
    entity: Mapped[str] = mapped_column(String(30), index=True)
    entity_id: Mapped[str] = mapped_column(String(64), default="")
    before: Mapped[Any] = mapped_column(JSON, nullable=True)
    after: Mapped[Any] = mapped_column(JSON, nullable=True)


class AppendOnlyError(RuntimeError):
    """Someone tried to change or delete an audit row."""


@event.listens_for(AuditEntry, "before_update")
@event.listens_for(AuditEntry, "before_delete")
def _refuse(_mapper: Mapper[Any], _connection: Any, _target: AuditEntry) -> None:
    raise AppendOnlyError(APPEND_ONLY)


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk(state: ORMExecuteState) -> None:
    """`update(AuditEntry)` / `delete(AuditEntry)` statements bypass the mapper events: refuse them here."""
    if (state.is_update or state.is_delete) and any(
        m.class_ is AuditEntry for m in state.all_mappers
    ):
        raise AppendOnlyError(APPEND_ONLY)


# The database's own guard, for anything that goes around the ORM.
PG_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_entries_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_entries is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql
"""
PG_TRIGGER = """
CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries
FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()
"""
SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER audit_entries_no_{verb.lower()} BEFORE {verb} ON audit_entries
BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END"""
    for verb in ("UPDATE", "DELETE")
]

for _ddl in (PG_FUNCTION, PG_TRIGGER):
    event.listen(AuditEntry.__table__, "after_create", DDL(_ddl).execute_if(dialect="postgresql"))
for _ddl in SQLITE_TRIGGERS:
    event.listen(AuditEntry.__table__, "after_create", DDL(_ddl).execute_if(dialect="sqlite"))
