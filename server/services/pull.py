"""Pull: what changed in a company since a cookie, wire-shaped and paged (ARCHITECTURE.md, Sync).

The cookie is a company server version (`Company.server_version`), never a device clock.
1. `top` is read once. Versions are taken under the company row lock and committed in order,
   so every row with version <= top is committed and no row can later appear below it: the
   page only looks at versions in (cookie, top].
2. Writes of one change-set may share a version, so a page ends *between* two versions, never
   inside one: it takes the `limit` lowest versions, then every row of the last version it
   reached (a page may thus exceed `limit` by the size of that version). The page's cookie is
   that version; the last page's cookie is `top`.
3. cookie null is a full download: every row, version 0 included (seeded rows), no deletions.
4. cookie > top (another database, a restore) or < company.min_cookie (tombstones purged) →
   `reset: true`: the device drops its replica and pulls from null.
Paging runs in SQL, per table, rather than through `sync.page`, which needs every row in memory and
counts from version 1 (seeded rows have version 0); the rules are the same.
The calendar is one entity per company (weekly pattern, dated exceptions, and each register's own dated
exceptions): it is sent whole whenever the company row, an exception or an exception's tombstone changed.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, or_
from sqlalchemy.orm import selectinload

from server.extensions import db
from server.models import (
    CalendarException,
    Company,
    Customer,
    Day,
    Device,
    Flow,
    PaymentMethod,
    Register,
    RegisterCalendarException,
    Rejection,
    SalesCategory,
    Supplier,
    Tombstone,
)
from server.models.base import utcnow
from server.schemas.settings import (
    CategorySchema,
    CompanySchema,
    CustomerSchema,
    PaymentMethodSchema,
    RegisterSchema,
    SupplierSchema,
)
from server.services import till_lock
from server.services.day_rows import flow_data, header_fields
from sync import needs_reset
from sync.pull import ENTITIES

SCHEMA_VERSION = 1
RECENTLY_RESOLVED = timedelta(days=7)
SETTINGS: list[tuple[str, type, Any]] = [
    ("company", Company, CompanySchema()),
    ("register", Register, RegisterSchema()),
    ("category", SalesCategory, CategorySchema()),
    ("payment_method", PaymentMethod, PaymentMethodSchema()),
    ("customer", Customer, CustomerSchema()),
    ("supplier", Supplier, SupplierSchema()),
]
CALENDAR_TOMBSTONES = ("calendar_exception", "register_calendar_exception")  # sent as the calendar entity
SOURCES: list[type] = [model for _entity, model, _schema in SETTINGS] + [
    CalendarException, RegisterCalendarException, Day, Flow, Tombstone]
ORDER = {name: i for i, name in enumerate(ENTITIES)}


def pull(company: Company, device_id: str, cookie: int | None, limit: int) -> dict[str, Any]:
    """One page of the pull response (a dict matching schema/sync-pull-response.schema.json)."""
    top, floor = db.session.execute(
        db.select(Company.server_version, Company.min_cookie).where(Company.id == company.id)).one()
    device = db.session.get(Device, (device_id, company.id))
    body: dict[str, Any] = {"schema": SCHEMA_VERSION, "cookie": 0, "reset": True, "more": False,
                            "last_mutation_id": device.last_mutation_id if device else 0,
                            "changes": [], "rejections": []}
    if needs_reset(cookie, current_version=top, retention_floor=floor or 0):
        return body
    since = -1 if cookie is None else cookie
    end, more = page_end(company.id, since, top, limit, deletions=cookie is not None)
    changes = sorted(changes_between(company, since, end, deletions=cookie is not None),
                     key=lambda c: (c[0], ORDER[c[1]["entity"]], c[1]["id"]))
    body.update(cookie=end if more else top, reset=False, more=more,
                changes=[change for _version, change in changes], rejections=rejections(company.id, device_id, cookie))
    return body


def _scoped(model: type, company_id: int, query: Select[Any]) -> Select[Any]:
    if model is Company:
        return query.where(Company.id == company_id)
    return query.where(model.company_id == company_id)  # type: ignore[attr-defined]


def page_end(company_id: int, since: int, top: int, limit: int, *, deletions: bool) -> tuple[int, bool]:
    """The last version of the page (rule 2) and whether rows remain after it."""
    sources = SOURCES if deletions else SOURCES[:-1]
    versions: list[int] = []
    for model in sources:
        column = model.version  # type: ignore[attr-defined]
        query = db.select(column).where(column > since, column <= top).order_by(column).limit(limit + 1)
        versions += db.session.execute(_scoped(model, company_id, query)).scalars()
    versions.sort()
    if len(versions) <= limit:
        return top, False
    end = versions[limit - 1]
    if versions[-1] > end:
        return end, True
    for model in sources:  # every fetched version was <= end: ask whether any row lies after it
        column = model.version  # type: ignore[attr-defined]
        query = db.select(column).where(column > end, column <= top).limit(1)
        if db.session.execute(_scoped(model, company_id, query)).first() is not None:
            return end, True
    return top, False


def changes_between(company: Company, since: int, end: int, *, deletions: bool) -> Iterator[tuple[int, dict[str, Any]]]:
    """(version, change) for every row with since < version <= end."""

    def rows(model: type, *options: Any) -> Any:
        column = model.version  # type: ignore[attr-defined]
        query = db.select(model).where(column > since, column <= end).options(*options)
        return db.session.execute(_scoped(model, company.id, query)).scalars()

    for entity, model, schema in SETTINGS:
        for row in rows(model):
            yield row.version, put(entity, row.id, schema.dump(row))
    calendar_versions = [row.version for model in (Company, CalendarException, RegisterCalendarException)
                         for row in rows(model)]
    tombstones = list(rows(Tombstone)) if deletions else []
    calendar_versions += [t.version for t in tombstones if t.entity in CALENDAR_TOMBSTONES]
    if calendar_versions:
        yield max(calendar_versions), put("calendar", company.id, calendar_data(company))
    days = list(rows(Day, selectinload(Day.lines)))
    tills = till_lock.flags(day.id for day in days)  # issue 15: the days a till filled
    for day in days:
        yield day.version, put("day", day.id, day_data(day, tills.get(day.id)))
    for flow, register_id, on in db.session.execute(
        db.select(Flow, Day.register_id, Day.date).join(Day, Flow.day_id == Day.id)
        .where(Flow.company_id == company.id, Flow.version > since, Flow.version <= end)
    ):
        yield flow.version, put("flow", flow.id, {**flow_data(flow), "day_id": flow.day_id, "register_id": register_id,
                                                  "date": on.isoformat(), "created_at": iso(flow.created_at)})
    for tomb in tombstones:
        if tomb.entity in ORDER and tomb.entity != "calendar":
            yield tomb.version, {"entity": tomb.entity, "id": tomb.entity_id, "op": "del", "data": {}}


def put(entity: str, row_id: Any, data: dict[str, Any]) -> dict[str, Any]:
    return {"entity": entity, "id": str(row_id), "op": "put", "data": data}


def iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.replace(microsecond=0).isoformat() + "Z"


def calendar_data(company: Company) -> dict[str, Any]:
    """schema/pull-calendar.schema.json: the company's week and exceptions, and the registers' own exceptions
    (a register's own week is a field of the register entity)."""
    exceptions = db.session.execute(db.select(CalendarException).where(CalendarException.company_id == company.id)
                                    .order_by(CalendarException.date)).scalars()
    own = db.session.execute(db.select(RegisterCalendarException)
                             .where(RegisterCalendarException.company_id == company.id)
                             .order_by(RegisterCalendarException.register_id, RegisterCalendarException.date)).scalars()
    return {"weekly_pattern": [ch == "1" for ch in company.weekly_pattern],
            "exceptions": [{"id": e.id, "date": e.date.isoformat(), "is_open": e.is_open, "label": e.label}
                           for e in exceptions],
            "register_exceptions": [{"id": e.id, "register_id": e.register_id, "date": e.date.isoformat(),
                                     "is_open": e.is_open, "label": e.label} for e in own]}


def day_data(day: Day, till: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"id": day.id, "register_id": day.register_id, "date": day.date.isoformat(), "status": day.status,
            "till": till, "revision": day.revision, **header_fields(day), "sequence": day.sequence, "hash": day.hash,
            "closed_at": iso(day.closed_at), "field_versions": day.field_versions or {}}


def rejections(company_id: int, device_id: str, cookie: int | None) -> list[dict[str, Any]]:
    """The device's rejections: every pending one, and those resolved since the cookie (or lately)."""
    recent = Rejection.resolved_at >= utcnow() - RECENTLY_RESOLVED if cookie is None else Rejection.version > cookie
    query = db.select(Rejection).where(
        Rejection.company_id == company_id, Rejection.device_id == device_id,
        or_(Rejection.resolution.is_(None), recent)).order_by(Rejection.mutation_id)
    return [{"mutation_id": r.mutation_id, "name": r.name, "args": r.args, "code": r.code, "message": r.message,
             "server_value": r.server_value, "resolution": r.resolution}
            for r in db.session.execute(query).scalars()]
