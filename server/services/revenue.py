"""Revenue (CA TTC) per calendar month from closed days: the budget grid shows the previous year beside it."""

from __future__ import annotations

from datetime import date

from server.extensions import db
from server.models import Day, DayLine


def monthly(company_id: int, year: int) -> dict[int, int]:
    """Month (1–12) → sales total in cents of the company's closed days that month (months without one: 0)."""
    rows = db.session.execute(
        db.select(Day.date, db.func.sum(DayLine.amount_cents))
        .join(DayLine, DayLine.day_id == Day.id)
        .where(Day.company_id == company_id, Day.status == "closed", DayLine.kind == "sale",
               Day.date >= date(year, 1, 1), Day.date <= date(year, 12, 31))
        .group_by(Day.date)
    ).all()
    totals = dict.fromkeys(range(1, 13), 0)
    for on, cents in rows:
        totals[on.month] += int(cents or 0)
    return totals
