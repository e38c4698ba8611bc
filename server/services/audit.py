"""Writing and reading the audit trail.

`record` adds one row to the current transaction (the unit of work commits it with the change it
describes, or rolls both back). Values are stored as JSON: dates as ISO strings, money as the integer
cents the row holds. Secrets (token values, password or code hashes) are never passed here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import inspect

from server.extensions import db
from server.models import AuditEntry

# Columns never written to the audit, whatever the row.
HIDDEN = {"password_hash", "activation_code_hash", "token_hash", "version"}


def jsonable(value: Any) -> Any:
    """`value` with dates, datetimes and decimals as strings, containers walked; JSON-ready."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    return value


def snapshot(row: Any, keys: Iterable[str] | None = None) -> dict[str, Any]:
    """The row's column values (all of them, or `keys`), secrets left out."""
    names = list(keys) if keys is not None else [c.key for c in inspect(row).mapper.column_attrs]
    return {name: jsonable(getattr(row, name)) for name in names if name not in HIDDEN}


def changed(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys whose value differs, as (before, after)."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def record(
    action: str,
    entity: str,
    entity_id: object = "",
    *,
    company_id: int | None,
    user_id: int | None,
    device_id: str = "",
    mutation_id: int | None = None,
    before: Any = None,
    after: Any = None,
    at: datetime | None = None,
) -> AuditEntry:
    """Add one audit row to the session (committed, or rolled back, with the change it records)."""
    entry = AuditEntry(
        company_id=company_id,
        user_id=user_id,
        device_id=device_id[:64],
        mutation_id=mutation_id,
        action=action,
        entity=entity,
        entity_id=str(entity_id)[:64],
        before=jsonable(before),
        after=jsonable(after),
    )
    if at is not None:
        entry.at = at
    db.session.add(entry)
    return entry


def page(
    company_id: int,
    *,
    page: int,
    per_page: int,
    entity: str | None = None,
    user_id: int | None = None,
    start: date | None = None,
    end: date | None = None,
) -> tuple[int, list[AuditEntry]]:
    """One page of a company's audit, newest first, and the total count of matching rows.

    `start` and `end` are inclusive UTC dates."""
    query = db.select(AuditEntry).where(AuditEntry.company_id == company_id)
    if entity:
        query = query.where(AuditEntry.entity == entity)
    if user_id is not None:
        query = query.where(AuditEntry.user_id == user_id)
    if start is not None:
        query = query.where(AuditEntry.at >= _utc_midnight(start))
    if end is not None:
        query = query.where(AuditEntry.at < _utc_midnight(date.fromordinal(end.toordinal() + 1)))
    total = db.session.execute(db.select(db.func.count()).select_from(query.subquery())).scalar_one()
    rows = (
        db.session.execute(query.order_by(AuditEntry.id.desc()).limit(per_page).offset((page - 1) * per_page))
        .scalars()
        .all()
    )
    return total, list(rows)


def entities(company_id: int) -> list[str]:
    """The kinds of object the company's audit names (the journal's « Objet » filter), sorted."""
    query = db.select(AuditEntry.entity).where(AuditEntry.company_id == company_id).distinct()
    return sorted(db.session.execute(query).scalars())


def _utc_midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)
