"""Writes to a company's settings: uniqueness rules, then a new server version for sync."""

from __future__ import annotations

from typing import Any

from server.errors import ApiError
from server.extensions import db
from server.models import (
    Budget,
    CalendarException,
    Company,
    Register,
    RegisterCalendarException,
    SalesCategory,
)
from server.services.versioning import lock_company, stamp


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
    locked = lock_company(company.id)
    _check_unique_position(company, model, data)
    row = model(company_id=company.id, **data)
    db.session.add(row)
    stamp(locked, row)
    db.session.commit()
    return row


def update_row(company: Company, row: Any, data: dict[str, Any]) -> Any:
    locked = lock_company(company.id)
    _check_unique_position(company, type(row), data, row)
    for key, value in data.items():
        setattr(row, key, value)
    stamp(locked, row)
    db.session.commit()
    return row


def update_company(company: Company, data: dict[str, Any]) -> Company:
    locked = lock_company(company.id)
    for key, value in data.items():
        setattr(locked, key, value)
    stamp(locked, locked)
    db.session.commit()
    return locked


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
    from server.models import Tombstone

    locked = lock_company(company.id)
    tomb = Tombstone(company_id=company.id, entity="calendar_exception", entity_id=str(row.id))
    db.session.add(tomb)
    stamp(locked, tomb)
    db.session.delete(row)
    db.session.commit()


def add_register_exception(company: Company, register: Register, data: dict[str, Any]) -> RegisterCalendarException:
    clash = db.session.execute(db.select(RegisterCalendarException.id).where(
        RegisterCalendarException.register_id == register.id, RegisterCalendarException.date == data["date"])).first()
    if clash is not None:
        raise ApiError(422, errors={"date": ["Une exception existe déjà à cette date pour cette caisse."]})
    return create_row(company, RegisterCalendarException, {**data, "register_id": register.id})


def delete_register_exception(company: Company, row: RegisterCalendarException) -> None:
    locked = lock_company(company.id)
    register = db.session.get(Register, row.register_id)
    stamp(locked, register)  # devices see the register change
    db.session.delete(row)
    db.session.commit()


def set_budget_year(company: Company, year: int, months: list[dict[str, int]]) -> list[Budget]:
    existing = {
        b.month: b
        for b in db.session.execute(
            db.select(Budget).where(Budget.company_id == company.id, Budget.year == year)
        ).scalars()
    }
    for item in months:
        row = existing.get(item["month"])
        if row is None:
            row = Budget(company_id=company.id, year=year, month=item["month"], amount_cents=0)
            db.session.add(row)
            existing[item["month"]] = row
        row.amount_cents = item["amount_cents"]
    db.session.commit()
    return sorted(existing.values(), key=lambda b: b.month)
