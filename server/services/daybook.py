"""The company calendar: which dates the shop opens.

The rest of the former daybook lives by responsibility in services/catalog.py (settings for the domain),
day_rows.py (a day's rows in wire form), day_input.py (a day as the domain reads it) and sql_store.py
(sync's `Store` on SQLAlchemy).
"""

from __future__ import annotations

from datetime import date, timedelta

from server.extensions import db
from server.models import CalendarException, Company


def is_opening_day(company: Company, day: date) -> bool:
    """The calendar: a dated exception wins over the Monday-first weekly pattern."""
    exception = db.session.execute(db.select(CalendarException.is_open).where(
        CalendarException.company_id == company.id, CalendarException.date == day)).scalar_one_or_none()
    return exception if exception is not None else company.weekly_pattern[day.weekday()] == "1"


def opening_days(company: Company, start: date, end: date) -> list[date]:
    exceptions = dict(db.session.execute(db.select(CalendarException.date, CalendarException.is_open).where(
        CalendarException.company_id == company.id, CalendarException.date.between(start, end))).all())
    days = (start + timedelta(n) for n in range((end - start).days + 1))
    return [d for d in days if exceptions.get(d, company.weekly_pattern[d.weekday()] == "1")]
