"""Report arithmetic: the figures of a day, their sums, comparisons, N-1 alignment, fiscal-year months.

Pure and typed: no I/O, no clock. Amounts are integer cents; percentages are basis points
(1 % = 100 bp), rounded half away from zero, None when the reference is zero.

Invariants
  1. ``day_figures`` reads only a day's ``compute_day(...).as_dict()`` and its ``input["day"]``, so a
     sealed payload (its frozen ``result``) and a live open day give the same figures.
  2. The drawer columns are those of the *cash* methods (espèces)::

        expected = opening + inflows − outflows − expenses − deposits

     inflows = sales paid in cash, credit settled, vouchers sold, apports, transfers in and
     overpayments kept; outflows = sorties, refunds and transfers out (DOMAIN.md §2).
  3. ``add`` is associative and commutative with ``ZERO`` as identity, so the sum of the days is the
     month and the sum of the months is the fiscal year, however the days are grouped.
  4. N-1 « date » maps a date to the same calendar date one year earlier (29 February → 28);
     N-1 « weekday » maps it 364 days earlier (52 weeks: a Saturday against a Saturday).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from datetime import date, timedelta
from typing import Any

from .vat import div_round_half_away

N1_MODES = ("date", "weekday")
INFLOWS = ("payments", "credit_settled", "voucher_sold", "cash_in", "transfer_in", "overpayment")
OUTFLOWS = ("cash_out", "refund", "transfer_out")


@dataclass(frozen=True)
class Figures:
    """Additive figures of one day, or of any set of days (``days`` counts them)."""

    days: int = 0
    revenue_ttc: int = 0
    revenue_ht: int = 0
    sales_count: int = 0
    opening: int = 0
    inflows: int = 0
    outflows: int = 0
    expenses: int = 0
    deposits: int = 0
    expected: int = 0
    counted: int = 0
    difference: int = 0
    credit_granted: int = 0
    credit_settled: int = 0
    vouchers_sold: int = 0
    vouchers_redeemed: int = 0
    vouchers_expired: int = 0
    unexplained: int = 0  # days with a cash difference and no comment

    @property
    def average_basket(self) -> int | None:
        return average_basket(self.revenue_ttc, self.sales_count)

    def as_dict(self) -> dict[str, Any]:
        return {**{f.name: getattr(self, f.name) for f in fields(self)}, "average_basket": self.average_basket}


ZERO = Figures()
FIELDS = tuple(f.name for f in fields(Figures))


def add(a: Figures, b: Figures) -> Figures:
    return Figures(**{name: getattr(a, name) + getattr(b, name) for name in FIELDS})


def total(items: Iterable[Figures]) -> Figures:
    out = ZERO
    for item in items:
        out = add(out, item)
    return out


def drawer_summary(totals: Figures, days: Iterable[tuple[object, date, Figures]]) -> Figures:
    """The cash activity of a period: its `totals` (flows summed) with the opening = Σ over registers of
    its first day's opening, expected and counted = Σ of its last day's, from (register, date, figures)."""
    first: dict[object, tuple[date, Figures]] = {}
    last: dict[object, tuple[date, Figures]] = {}
    items = list(days)
    for register, on, figures in items:
        if register not in first or on < first[register][0]:
            first[register] = (on, figures)
        if register not in last or on > last[register][0]:
            last[register] = (on, figures)
    return replace(totals, opening=sum(f.opening for _d, f in first.values()),
                   expected=sum(f.expected for _d, f in last.values()),
                   counted=sum(f.counted for _d, f in last.values()))


def from_row(row: Mapping[Any, Any]) -> Figures:
    """Figures from a mapping (an SQL row of sums); missing or NULL columns read 0."""
    return Figures(**{name: int(row.get(name) or 0) for name in FIELDS})


def average_basket(revenue_ttc: int, sales_count: int) -> int | None:
    """CA TTC / number of sales, rounded to the cent; None without a sale."""
    return div_round_half_away(revenue_ttc, sales_count) if sales_count > 0 else None


def day_figures(result: Mapping[str, Any], day: Mapping[str, Any]) -> Figures:
    """The figures of one day from its ``compute_day(...).as_dict()`` and its ``input["day"]``."""
    t = result["totals"]
    cash = [m for m in result["methods"] if m["kind"] == "cash"]
    c = {key: sum(m["contributions"].get(key, 0) for m in cash) for key in INFLOWS + OUTFLOWS + ("expense", "deposit")}
    difference = sum(m["difference"] or 0 for m in cash)
    credit, vouchers = result["credit"], result["vouchers"]
    return Figures(
        days=1, revenue_ttc=t["sales_ttc"], revenue_ht=t["sales_ht"], sales_count=t["sales_count"],
        opening=sum(m["opening"] for m in cash), inflows=sum(c[k] for k in INFLOWS),
        outflows=-sum(c[k] for k in OUTFLOWS), expenses=-c["expense"], deposits=-c["deposit"],
        expected=sum(m["expected"] for m in cash), counted=sum(m["counted"] or 0 for m in cash),
        difference=difference, credit_granted=credit["granted"], credit_settled=credit["settled"],
        vouchers_sold=vouchers["sold"], vouchers_redeemed=vouchers["redeemed"], vouchers_expired=vouchers["expired"],
        unexplained=int(difference != 0 and not str(day.get("comment") or "").strip()),
    )


@dataclass(frozen=True)
class Comparison:
    value: int
    reference: int | None
    gap: int | None
    pct_bp: int | None  # gap / reference in basis points

    def as_dict(self) -> dict[str, Any]:
        return {"value": self.value, "reference": self.reference, "gap": self.gap, "pct_bp": self.pct_bp}


def compare(value: int, reference: int | None) -> Comparison:
    """Value against a reference: gap = value − reference, % of the reference (None if it is 0 or absent)."""
    if reference is None:
        return Comparison(value, None, None, None)
    gap = value - reference
    return Comparison(value, reference, gap, div_round_half_away(gap * 10_000, abs(reference)) if reference else None)


def n1_date(on: date, mode: str) -> date:
    """The N-1 date of `on` (invariant 4)."""
    if mode == "weekday":
        return on - timedelta(days=364)
    if mode != "date":
        raise ValueError(f"unknown N-1 mode {mode!r}")
    if on.month == 2 and on.day == 29:
        return date(on.year - 1, 2, 28)
    return on.replace(year=on.year - 1)


def n1_period(start: date, end: date, mode: str) -> tuple[date, date]:
    return n1_date(start, mode), n1_date(end, mode)


def month_bounds(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    return first, following - timedelta(days=1)


def fiscal_year_months(year: int, start_month: int) -> list[tuple[int, int]]:
    """The 12 (year, month) of the fiscal year that starts in `start_month` of `year`."""
    return [(year + (start_month - 1 + i) // 12, (start_month - 1 + i) % 12 + 1) for i in range(12)]


def fiscal_year_bounds(year: int, start_month: int) -> tuple[date, date]:
    months = fiscal_year_months(year, start_month)
    return month_bounds(*months[0])[0], month_bounds(*months[-1])[1]


def fiscal_year_of(on: date, start_month: int) -> int:
    """The year in which the fiscal year containing `on` starts."""
    return on.year if on.month >= start_month else on.year - 1


def cumulative(values: Iterable[int]) -> list[int]:
    out, running = [], 0
    for value in values:
        running += value
        out.append(running)
    return out


def dates(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]
