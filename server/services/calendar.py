"""The opening calendar of a register (docs/DECISIONS.md, "A calendar per register").

A company has a Monday-first weekly pattern and dated exceptions. A register may have its own
pattern (« Marché du samedi »: Saturdays only) and its own dated exceptions. Which one decides a date
is the domain's rule (domain.calendar.opening_day); this module reads the rows it needs.

Without a register (company-level questions) only the company's calendar counts. Nothing here
commits: writes run in the caller's transaction (services.settings commits for the REST endpoints).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from domain.calendar import opening_day
from server.extensions import db
from server.models import CalendarException, Company, Register, RegisterCalendarException

PATTERN_LENGTH = 7


def decide(on: date, company_pattern: str, company_exceptions: Mapping[date, bool],
           register_pattern: str | None = None, register_exceptions: Mapping[date, bool] | None = None) -> bool:
    """Is `on` an opening day? The patterns ("1"/"0", Monday first) and exceptions looked up for `on`, then
    the domain's rule (domain.calendar.opening_day, written once with its JS twin)."""
    weekday = on.weekday()
    return opening_day(company_pattern[weekday] == "1", company_exceptions.get(on),
                       None if register_pattern is None else register_pattern[weekday] == "1",
                       (register_exceptions or {}).get(on))


def _company_exceptions(company: Company, start: date, end: date) -> dict[date, bool]:
    rows = db.session.execute(db.select(CalendarException.date, CalendarException.is_open).where(
        CalendarException.company_id == company.id, CalendarException.date.between(start, end))).all()
    return {on: is_open for on, is_open in rows}


def _register_exceptions(register: Register | None, start: date, end: date) -> dict[date, bool]:
    if register is None:
        return {}
    rows = db.session.execute(
        db.select(RegisterCalendarException.date, RegisterCalendarException.is_open).where(
            RegisterCalendarException.register_id == register.id,
            RegisterCalendarException.date.between(start, end))).all()
    return {on: is_open for on, is_open in rows}


def opening_days(company: Company, start: date, end: date, register: Register | None = None) -> list[date]:
    """The opening days from `start` to `end` (inclusive), of `register` when given, else of the company."""
    if end < start:
        return []
    shared, own = _company_exceptions(company, start, end), _register_exceptions(register, start, end)
    pattern = register.weekly_pattern if register is not None else None
    days = (start + timedelta(n) for n in range((end - start).days + 1))
    return [d for d in days if decide(d, company.weekly_pattern, shared, pattern, own)]


def is_opening_day(company: Company, day: date, register: Register | None = None) -> bool:
    """Is `day` an opening day of `register` (or of the company when no register is given)?"""
    return bool(opening_days(company, day, day, register))


def register_exceptions(register: Register) -> list[RegisterCalendarException]:
    return list(db.session.execute(db.select(RegisterCalendarException).where(
        RegisterCalendarException.register_id == register.id).order_by(RegisterCalendarException.date)).scalars())


def pattern_text(pattern: list[bool] | None) -> str | None:
    return None if pattern is None else "".join("1" if d else "0" for d in pattern)


def pattern_list(text: str | None) -> list[bool] | None:
    return None if text is None else [ch == "1" for ch in text]
