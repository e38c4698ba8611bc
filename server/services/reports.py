"""Period reports of a company: monthly synthesis, fiscal-year view, comparisons with N-1 and the budget.

Closed days are summed in SQL from `day_totals` (written when a day is sealed, `services.report_totals`);
the period's open days are computed on read and their dates listed in `provisional` (« provisoire »).
Arithmetic (sums, average basket, gaps, N-1 alignment, fiscal-year months) is `domain.reports`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import extract, func

from domain import reports as R
from domain.reports import Figures
from server.extensions import db
from server.models import Budget, Company, DayTotal
from server.services.report_totals import open_day_figures

SUMMED = tuple(name for name in R.FIELDS if name != "days")
SUMS = (*(func.sum(getattr(DayTotal, name)).label(name) for name in SUMMED), func.count().label("days"))


@dataclass
class Period:
    """Figures of a period by date, and the dates holding an open (provisional) day."""

    by_date: dict[date, Figures] = field(default_factory=dict)
    provisional: set[date] = field(default_factory=set)
    by_method: dict[str, int] = field(default_factory=dict)
    per_register: list[tuple[int, date, Figures]] = field(default_factory=list)

    def total(self) -> Figures:
        return R.total(self.by_date.values())


def _where(query: Any, company: Company, start: date, end: date, register_id: int | None) -> Any:
    query = query.where(DayTotal.company_id == company.id, DayTotal.date.between(start, end))
    return query.where(DayTotal.register_id == register_id) if register_id is not None else query


def period(company: Company, start: date, end: date, register_id: int | None = None, *,
           detail: bool = False) -> Period:
    """The figures of every date of the period (closed: SQL sums; open: computed, provisional);
    `detail` adds the payment-method mix and each register's drawer per day."""
    out = Period()
    rows = db.session.execute(_where(db.select(DayTotal.date, *SUMS), company, start, end, register_id)
                              .group_by(DayTotal.date)).mappings()
    for row in rows:
        out.by_date[row["date"]] = R.from_row(row)
    if detail:  # a month of one company: a few dozen rows
        drawer = (DayTotal.register_id, DayTotal.date, DayTotal.opening, DayTotal.expected, DayTotal.counted)
        for rid, on, opening, expected, counted, methods in db.session.execute(
                _where(db.select(*drawer, DayTotal.by_method), company, start, end, register_id)):
            _merge(out.by_method, methods or {})
            out.per_register.append((rid, on, Figures(opening=opening, expected=expected, counted=counted)))
    for open_day in open_day_figures(company, start, end, register_id):
        out.by_date[open_day.date] = R.add(out.by_date.get(open_day.date, R.ZERO), open_day.figures)
        out.provisional.add(open_day.date)
        if detail:
            _merge(out.by_method, open_day.by_method)
            out.per_register.append((open_day.register_id, open_day.date, open_day.figures))
    return out


def _merge(into: dict[str, int], more: dict[str, Any]) -> None:
    for label, amount in more.items():
        into[label] = into.get(label, 0) + int(amount)


def period_total(company: Company, start: date, end: date, register_id: int | None = None) -> Figures:
    """One SQL sum over the closed days, plus the open days computed (a fiscal year to date, N-1...)."""
    row = db.session.execute(_where(db.select(*SUMS), company, start, end, register_id)).mappings().one()
    opened = [d.figures for d in open_day_figures(company, start, end, register_id)]
    return R.total([R.from_row(row), *opened])


def budgets(company: Company, months: Iterable[tuple[int, int]]) -> dict[tuple[int, int], int]:
    wanted = set(months)
    years = {y for y, _m in wanted}
    rows = db.session.execute(db.select(Budget.year, Budget.month, Budget.amount_cents).where(
        Budget.company_id == company.id, Budget.year.in_(years))).all()
    return {(y, m): amount for y, m, amount in rows if (y, m) in wanted}


def _figures(f: Figures, provisional: bool = False) -> dict[str, Any]:
    return {**f.as_dict(), "provisional": provisional}


def monthly(company: Company, year: int, month: int, register_id: int | None, n1: str) -> dict[str, Any]:
    """« État de synthèse mensuelle »: one row per day, the totals, N-1 (aligned by `n1`) and the budget."""
    start, end = R.month_bounds(year, month)
    current = period(company, start, end, register_id, detail=True)
    n1_start, n1_end = R.n1_period(start, end, n1)
    previous = period(company, n1_start, n1_end, register_id)
    rows = []
    for on in R.dates(start, end):
        f, before_on = current.by_date.get(on, R.ZERO), R.n1_date(on, n1)
        before = previous.by_date.get(before_on, R.ZERO)
        rows.append({"date": on, **_figures(f, on in current.provisional), "n1_date": before_on,
                     "n1_revenue_ttc": before.revenue_ttc, "n1_average_basket": before.average_basket})
    totals, n1_totals = current.total(), previous.total()
    summary = R.drawer_summary(totals, current.per_register) if current.per_register else totals
    fy_start = R.fiscal_year_bounds(R.fiscal_year_of(start, company.fiscal_year_start_month),
                                    company.fiscal_year_start_month)[0]
    fy_totals = period_total(company, fy_start, end, register_id)
    n1_fy = period_total(company, R.n1_date(fy_start, n1), n1_end, register_id)
    months = R.fiscal_year_months(fy_start.year, company.fiscal_year_start_month)
    months = months[:months.index((year, month)) + 1]
    budget = budgets(company, months) if register_id is None else {}
    budget_month = budget.get((year, month))
    budget_cumulative = sum(budget.values()) if budget else None
    return {
        "year": year, "month": month, "start": start, "end": end, "register_id": register_id, "n1_mode": n1,
        "n1_start": n1_start, "n1_end": n1_end, "rows": rows, "totals": _figures(totals),
        "summary": _figures(summary, bool(current.provisional)),
        "n1_totals": _figures(n1_totals), "provisional": sorted(current.provisional),
        "payment_mix": [{"label": k, "amount": v} for k, v in sorted(current.by_method.items(), key=lambda kv: -kv[1])],
        "comparisons": {
            "revenue_vs_n1": R.compare(totals.revenue_ttc, n1_totals.revenue_ttc).as_dict(),
            "revenue_vs_budget": R.compare(totals.revenue_ttc, budget_month).as_dict(),
            "cumulative_vs_n1": R.compare(fy_totals.revenue_ttc, n1_fy.revenue_ttc).as_dict(),
            "cumulative_vs_budget": R.compare(fy_totals.revenue_ttc, budget_cumulative).as_dict(),
            "average_basket_vs_n1": R.compare(totals.average_basket or 0, n1_totals.average_basket).as_dict(),
            "fiscal_year_average_basket_vs_n1": R.compare(fy_totals.average_basket or 0,
                                                          n1_fy.average_basket).as_dict(),
        },
    }


def _by_month(company: Company, start: date, end: date, register_id: int | None) -> dict[tuple[int, int], Figures]:
    y, m = extract("year", DayTotal.date), extract("month", DayTotal.date)
    rows = db.session.execute(_where(db.select(y.label("y"), m.label("m"), *SUMS), company, start, end, register_id)
                              .group_by(y, m)).mappings()
    out = {(int(row["y"]), int(row["m"])): R.from_row(row) for row in rows}
    for open_day in open_day_figures(company, start, end, register_id):
        key = (open_day.date.year, open_day.date.month)
        out[key] = R.add(out.get(key, R.ZERO), open_day.figures)
    return out


def fiscal_year(company: Company, year: int, register_id: int | None) -> dict[str, Any]:
    """The 12 months of the fiscal year starting in `year`, cumulative revenue, N-1 month for month, budget."""
    fm = company.fiscal_year_start_month
    start, end = R.fiscal_year_bounds(year, fm)
    n1_start, n1_end = R.fiscal_year_bounds(year - 1, fm)
    current, previous = _by_month(company, start, end, register_id), _by_month(company, n1_start, n1_end, register_id)
    months = R.fiscal_year_months(year, fm)
    budget = budgets(company, months) if register_id is None else {}
    figures = [current.get(key, R.ZERO) for key in months]
    before = [previous.get((y - 1, m), R.ZERO) for y, m in months]
    cumulative = R.cumulative(f.revenue_ttc for f in figures)
    n1_cumulative = R.cumulative(f.revenue_ttc for f in before)
    budget_cumulative = R.cumulative(budget.get(key, 0) for key in months)
    rows = [{"year": y, "month": m, **_figures(f), "cumulative_revenue_ttc": cum,
             "n1_revenue_ttc": b.revenue_ttc, "n1_cumulative_revenue_ttc": n1_cum,
             "n1_average_basket": b.average_basket,
             "budget": budget.get((y, m)), "budget_cumulative": bud_cum if budget else None,
             "revenue_vs_n1": R.compare(f.revenue_ttc, b.revenue_ttc).as_dict(),
             "revenue_vs_budget": R.compare(f.revenue_ttc, budget.get((y, m))).as_dict()}
            for (y, m), f, b, cum, n1_cum, bud_cum in zip(months, figures, before, cumulative, n1_cumulative,
                                                          budget_cumulative, strict=True)]
    totals, n1_totals = R.total(figures), R.total(before)
    return {"year": year, "start": start, "end": end, "register_id": register_id, "months": rows,
            "totals": _figures(totals), "n1_totals": _figures(n1_totals),
            "comparisons": {"revenue_vs_n1": R.compare(totals.revenue_ttc, n1_totals.revenue_ttc).as_dict(),
                            "revenue_vs_budget": R.compare(totals.revenue_ttc,
                                                           sum(budget.values()) if budget else None).as_dict(),
                            "average_basket_vs_n1": R.compare(totals.average_basket or 0,
                                                              n1_totals.average_basket).as_dict()}}
