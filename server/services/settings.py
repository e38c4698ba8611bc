"""Writes to a company's settings: uniqueness rules, a new server version for sync, and the audit row,
each in one unit of work."""

from __future__ import annotations

from typing import Any

from server.auth import current_user
from server.errors import ApiError
from server.extensions import db
from server.models import (
    Budget,
    CalendarException,
    Company,
    Register,
    RegisterCalendarException,
    SalesCategory,
    Tombstone,
)
from server.services import audit, uow
from server.services.access import role_in
from server.services.versioning import stamp

# The audit's name of each settings table's rows.
ENTITIES = {"registers": "register", "sales_categories": "category", "payment_methods": "payment_method",
            "customers": "customer", "suppliers": "supplier", "calendar_exceptions": "calendar_exception",
            "register_calendar_exceptions": "register_calendar_exception",
            "companies": "company"}


def entity_of(row_or_model: Any) -> str:
    name = str(row_or_model.__tablename__)
    return ENTITIES.get(name, name)


def _check_unique_position(company: Company, model: type, data: dict[str, Any], row: Any = None) -> None:
    if model is not SalesCategory or "position" not in data:
        return
    clash = db.session.execute(
        db.select(SalesCategory).where(
            SalesCategory.company_id == company.id, SalesCategory.position == data["position"]
        )
    ).scalar_one_or_none()
    if clash is not None and clash is not row:
        raise ApiError(422, errors={"position": ["Cette position du ticket Z est déjà prise."]})


def create_row(company: Company, model: type, data: dict[str, Any]) -> Any:
    def work(unit: uow.Work) -> Any:
        _check_unique_position(company, model, data)
        row = model(company_id=company.id, **data)
        db.session.add(row)
        stamp(unit.locked, row)
        db.session.flush()
        unit.record("create", entity_of(model), row.id, after=audit.snapshot(row))
        return row

    return uow.run(work, company.id, user=current_user())


def update_row(company: Company, row: Any, data: dict[str, Any]) -> Any:
    def work(unit: uow.Work) -> Any:
        _check_unique_position(company, type(row), data, row)
        old = audit.snapshot(row, data)
        for key, value in data.items():
            setattr(row, key, value)
        stamp(unit.locked, row)
        before, after = audit.changed(old, audit.snapshot(row, data))
        unit.record("update", entity_of(row), row.id, before=before, after=after)
        return row

    return uow.run(work, company.id, user=current_user())


def update_company(company: Company, data: dict[str, Any]) -> Company:
    def work(unit: uow.Work) -> Company:
        locked = unit.locked
        if data.get("lock_exported_periods") is False and locked.lock_exported_periods:
            # Turning the export lock off would let an admin reopen an exported day: the firm's call only.
            if role_in(current_user(), locked) != "firm_admin":
                raise ApiError(
                    403,
                    "Seul le cabinet peut lever le verrou des périodes exportées.",
                    code="lock_firm_only",
                    errors={"lock_exported_periods": ["Seul le cabinet peut désactiver cette option."]},
                )
        old = audit.snapshot(locked, data)
        for key, value in data.items():
            setattr(locked, key, value)
        stamp(locked, locked)
        before, after = audit.changed(old, audit.snapshot(locked, data))
        unit.record("update", "company", locked.id, before=before, after=after)
        return locked

    return uow.run(work, company.id, user=current_user())


def create_company(firm_id: int, data: dict[str, Any]) -> Company:
    """A new company of the firm (its own first audit row)."""

    def work(unit: uow.Work) -> Company:
        company = Company(firm_id=firm_id, **data)
        db.session.add(company)
        db.session.flush()
        unit.record("create", "company", company.id, company_id=company.id, after=audit.snapshot(company))
        return company

    return uow.run(work, user=current_user())


def set_weekly_pattern(company: Company, pattern: list[bool]) -> Company:
    return update_company(company, {"weekly_pattern": "".join("1" if d else "0" for d in pattern)})


def add_exception(company: Company, data: dict[str, Any]) -> CalendarException:
    clash = db.session.execute(
        db.select(CalendarException).where(
            CalendarException.company_id == company.id, CalendarException.date == data["date"]
        )
    ).scalar_one_or_none()
    if clash is not None:
        raise ApiError(422, errors={"date": ["Une exception existe déjà à cette date."]})
    return create_row(company, CalendarException, data)


def delete_exception(company: Company, row: CalendarException) -> None:
    def work(unit: uow.Work) -> None:
        tomb = Tombstone(company_id=company.id, entity="calendar_exception", entity_id=str(row.id))
        db.session.add(tomb)
        stamp(unit.locked, tomb)
        unit.record("delete", "calendar_exception", row.id, before=audit.snapshot(row))
        db.session.delete(row)

    uow.run(work, company.id, user=current_user())


def add_register_exception(company: Company, register: Register, data: dict[str, Any]) -> RegisterCalendarException:
    clash = db.session.execute(db.select(RegisterCalendarException.id).where(
        RegisterCalendarException.register_id == register.id, RegisterCalendarException.date == data["date"])).first()
    if clash is not None:
        raise ApiError(422, errors={"date": ["Une exception existe déjà à cette date pour cette caisse."]})
    return create_row(company, RegisterCalendarException, {**data, "register_id": register.id})


def delete_register_exception(company: Company, row: RegisterCalendarException) -> None:
    def work(unit: uow.Work) -> None:
        # Devices get the calendar entity again (services.pull: it carries the registers' own exceptions).
        tomb = Tombstone(company_id=company.id, entity="register_calendar_exception", entity_id=str(row.id))
        db.session.add(tomb)
        stamp(unit.locked, tomb)
        unit.record("delete", "register_calendar_exception", row.id, before=audit.snapshot(row))
        db.session.delete(row)

    uow.run(work, company.id, user=current_user())


def set_budget_year(company: Company, year: int, months: list[dict[str, int]]) -> list[Budget]:
    def work(unit: uow.Work) -> list[Budget]:
        existing = {
            b.month: b
            for b in db.session.execute(
                db.select(Budget).where(Budget.company_id == company.id, Budget.year == year)
            ).scalars()
        }
        old = {str(month): row.amount_cents for month, row in existing.items()}
        for item in months:
            row = existing.get(item["month"])
            if row is None:
                row = Budget(company_id=company.id, year=year, month=item["month"], amount_cents=0)
                db.session.add(row)
                existing[item["month"]] = row
            row.amount_cents = item["amount_cents"]
        new = {str(month): row.amount_cents for month, row in existing.items()}
        before, after = audit.changed(old, new)
        unit.record("update", "budget", year, before=before, after=after)
        return sorted(existing.values(), key=lambda b: b.month)

    return uow.run(work, company.id, user=current_user())


def reorder_categories(company: Company, ids: list[int]) -> list[SalesCategory]:
    """Set the Z-ticket order of every category of the company in one write (`ids`: all of them, in order;
    422 `ids` otherwise). Positions go through a free range first: (company, position) is unique."""

    def work(unit: uow.Work) -> list[SalesCategory]:
        rows = {c.id: c for c in db.session.execute(
            db.select(SalesCategory).where(SalesCategory.company_id == company.id)).scalars()}
        if sorted(ids) != sorted(rows):
            raise ApiError(422, errors={"ids": ["Donnez toutes les classifications de la société, une fois chacune."]})
        before = {str(c.id): c.position for c in rows.values()}
        top = max([c.position for c in rows.values()] + [0])
        for offset, cid in enumerate(ids, start=1):
            rows[cid].position = top + offset
        db.session.flush()
        for position, cid in enumerate(ids, start=1):
            rows[cid].position = position
        ordered = [rows[cid] for cid in ids]
        stamp(unit.locked, *ordered)
        after = {str(c.id): c.position for c in ordered}
        changed_before, changed_after = audit.changed(before, after)
        unit.record("reorder", "category", "", before=changed_before, after=changed_after)
        return ordered

    return uow.run(work, company.id, user=current_user())
