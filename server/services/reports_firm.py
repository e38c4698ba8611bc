"""The firm dashboard: every company of a firm for one month, in a fixed number of SQL queries.

Per company: revenue (closed days from `day_totals`, open days from their sale lines), N-1 (same
dates), scheduled opening days with no day entered (up to yesterday), open days past their date,
closed days with an unexplained cash difference, and the last time one of its devices synced.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from sqlalchemy import extract, func

from domain import reports as R
from server.extensions import db
from server.models import (
    CalendarException,
    Company,
    Day,
    DayLine,
    DayTotal,
    Device,
    Register,
    RegisterCalendarException,
)
from server.services.calendar import decide


def _sum_by_company(ids: Any, registers: Any, start: date, end: date) -> dict[int, tuple[int, int]]:
    """(revenue TTC, unexplained differences) per company: closed days + open days' sale lines.
    Days are filtered by (register, date), the columns of their unique index."""
    out: dict[int, tuple[int, int]] = {}
    rows = db.session.execute(db.select(DayTotal.company_id, func.sum(DayTotal.revenue_ttc),
                                        func.sum(DayTotal.unexplained))
                              .where(DayTotal.company_id.in_(ids), DayTotal.date.between(start, end))
                              .group_by(DayTotal.company_id)).all()
    for cid, revenue, unexplained in rows:
        out[cid] = (int(revenue or 0), int(unexplained or 0))
    rows = db.session.execute(db.select(Day.company_id, func.sum(DayLine.amount_cents))
                              .join(DayLine, DayLine.day_id == Day.id)
                              .where(Day.register_id.in_(registers), Day.date.between(start, end),
                                     Day.status == "open", DayLine.kind == "sale").group_by(Day.company_id)).all()
    for cid, revenue in rows:
        before = out.get(cid, (0, 0))
        out[cid] = (before[0] + int(revenue or 0), before[1])
    return out


def _missing_days(companies: dict[int, Any], registers: Any, start: date, end: date) -> dict[int, int]:
    """Scheduled opening days of active registers, from `start` to `end`, with no day entered. The days
    entered come back as (register, day of the month) integers; the schedule is decided once per calendar."""
    counts: dict[int, int] = defaultdict(int)
    if end < start:
        return counts
    ids = list(companies)
    active = db.session.execute(db.select(Register.id, Register.company_id, Register.weekly_pattern).where(
        Register.id.in_(registers), Register.active.is_(True))).all()
    shared: dict[int, dict[date, bool]] = defaultdict(dict)
    for cid, on, is_open in db.session.execute(db.select(
            CalendarException.company_id, CalendarException.date, CalendarException.is_open)
            .where(CalendarException.company_id.in_(ids), CalendarException.date.between(start, end))):
        shared[cid][on] = is_open
    own: dict[int, dict[date, bool]] = defaultdict(dict)
    for rid, on, is_open in db.session.execute(db.select(
            RegisterCalendarException.register_id, RegisterCalendarException.date, RegisterCalendarException.is_open)
            .where(RegisterCalendarException.company_id.in_(ids),
                   RegisterCalendarException.date.between(start, end))):
        own[rid][on] = is_open
    entered: dict[int, set[int]] = defaultdict(set)
    day_of_month = extract("day", Day.date)
    for rid, dom in db.session.execute(db.select(Day.register_id, day_of_month).where(
            Day.register_id.in_(registers), Day.date.between(start, end))):
        entered[rid].add(int(dom))
    days = R.dates(start, end)
    schedules: dict[tuple[str, str | None], frozenset[int]] = {}
    for rid, cid, pattern in active:
        company = companies[cid]
        if shared[cid] or own[rid]:
            scheduled = frozenset(on.day for on in days if decide(
                on, company.weekly_pattern, shared[cid], pattern, own[rid]))
        else:  # no exception this month: the schedule depends on the two patterns only
            key = (company.weekly_pattern, pattern)
            if key not in schedules:
                schedules[key] = frozenset(on.day for on in days if decide(on, key[0], {}, pattern))
            scheduled = schedules[key]
        counts[cid] += len(scheduled - entered[rid])
    return counts


def dashboard(firm_id: int, year: int, month: int, today: date) -> dict[str, Any]:
    """One row per company of the firm for the month (see the module's docstring)."""
    companies = {c.id: c for c in db.session.execute(  # columns only: a firm may hold thousands
        db.select(Company.id, Company.name, Company.siren, Company.weekly_pattern)
        .where(Company.firm_id == firm_id).order_by(Company.name))}
    ids = db.select(Company.id).where(Company.firm_id == firm_id)
    registers = (db.select(Register.id).join(Company, Company.id == Register.company_id)
                 .where(Company.firm_id == firm_id))
    start, end = R.month_bounds(year, month)
    n1_start, n1_end = R.n1_period(start, end, "date")
    current = _sum_by_company(ids, registers, start, end)
    previous = _sum_by_company(ids, registers, n1_start, n1_end)
    missing = _missing_days(companies, registers, start, min(end, today - timedelta(days=1)))
    late = dict(db.session.execute(db.select(Day.company_id, func.count()).where(
        Day.register_id.in_(registers), Day.date.between(start, end), Day.status == "open", Day.date < today)
        .group_by(Day.company_id)).all())
    synced = dict(db.session.execute(db.select(Device.company_id, func.max(Device.last_seen_at)).where(
        Device.company_id.in_(ids)).group_by(Device.company_id)).all())
    rows = []
    for cid, company in companies.items():
        revenue, unexplained = current.get(cid, (0, 0))
        n1_revenue = previous.get(cid, (0, 0))[0]
        rows.append({"company_id": cid, "name": company.name, "siren": company.siren, "revenue_ttc": revenue,
                     "n1_revenue_ttc": n1_revenue, "vs_n1": R.compare(revenue, n1_revenue).as_dict(),
                     "days_missing": missing.get(cid, 0), "open_days_late": int(late.get(cid, 0)),
                     "unexplained_differences": unexplained, "last_sync": synced.get(cid)})
    return {"year": year, "month": month, "start": start, "end": end, "companies": rows}
