"""Budget and N-1 comparisons of the reports, against values computed here from the days entered and the budget
set through the budget API: month and cumulative revenue vs budget (value, gap, %), the fiscal year's budget and
cumulative budget, cumulative vs N-1, average basket vs N-1 (day, month, fiscal year); one register: no budget."""

from __future__ import annotations

from calendar import monthrange
from datetime import date

import pytest

from tests.server.reports_helpers import close_day, half_away, open_every_day, value

# (date, register index, revenue in cents, sales count); the fiscal year starts in July
N1_DAYS = [(date(2024, 8, 10), 0, 30_000, 30), (date(2024, 9, 10), 0, 20_000, 10)]
DAYS = [(date(2025, 8, 10), 0, 40_000, 40), (date(2025, 9, 10), 0, 50_000, 20), (date(2025, 9, 11), 1, 10_000, 5)]
# the budget of fiscal year 2025 (July 2025 to June 2026), and one month of the year before it
BUDGET = {2025: {6: 99_900, 7: 10_000, 8: 45_000, 9: 55_000}, 2026: {1: 100_000}}


def sums(days, start: date, end: date, register: int | None = None) -> tuple[int, int]:
    """(revenue, sales) of the days entered from `start` to `end`."""
    chosen = [d for d in days if start <= d[0] <= end and (register is None or d[1] == register)]
    return sum(d[2] for d in chosen), sum(d[3] for d in chosen)


def comparison(value_: int, reference: int | None) -> dict[str, int | None]:
    if reference is None:
        return {"value": value_, "reference": None, "gap": None, "pct_bp": None}
    gap = value_ - reference
    return {
        "value": value_,
        "reference": reference,
        "gap": gap,
        "pct_bp": half_away(gap * 10_000, reference) if reference else None,
    }


def as_cents(c: dict) -> dict[str, int | None]:
    return {
        "value": value(c["value"]),
        "reference": None if c["reference"] is None else value(c["reference"]),
        "gap": None if c["gap"] is None else value(c["gap"]),
        "pct_bp": c["pct_bp"],
    }


def basket(revenue: int, sales: int) -> int | None:
    return half_away(revenue, sales) if sales else None


@pytest.fixture
def figures(app, auth, demo):
    open_every_day(app, demo, 7)
    client = auth("gerant@demo.test")
    for on, register, revenue, sales in [*N1_DAYS, *DAYS]:
        close_day(
            client,
            demo,
            on,
            {
                "register": register,
                "bread": revenue,
                "grocery": 0,
                "card_share": 30,
                "sales_count": sales,
                "difference": 0,
            },
        )
    for year, months in BUDGET.items():
        body = {"months": [{"month": m, "amount": f"{a // 100}.{a % 100:02d}"} for m, a in months.items()]}
        r = client.put(f"/api/companies/{demo['bakery']}/budgets/{year}", json=body)
        assert r.status_code == 200, r.json
    return client, demo


def test_month_against_budget_and_n1(figures):
    client, demo = figures
    data = client.get(f"/api/companies/{demo['bakery']}/reports/monthly?year=2025&month=9").json
    c = {k: as_cents(v) for k, v in data["comparisons"].items()}
    revenue, sales = sums(DAYS, date(2025, 9, 1), date(2025, 9, 30))
    n1_revenue, n1_sales = sums(N1_DAYS, date(2024, 9, 1), date(2024, 9, 30))
    fy_revenue, fy_sales = sums(DAYS, date(2025, 7, 1), date(2025, 9, 30))
    n1_fy_revenue, n1_fy_sales = sums(N1_DAYS, date(2024, 7, 1), date(2024, 9, 30))
    assert c["revenue_vs_budget"] == comparison(revenue, BUDGET[2025][9])
    assert c["revenue_vs_budget"]["pct_bp"] == 909  # 600 € against 550 €: +9,09 %
    cumulative_budget = BUDGET[2025][7] + BUDGET[2025][8] + BUDGET[2025][9]  # not June: the year before
    assert c["cumulative_vs_budget"] == comparison(fy_revenue, cumulative_budget)
    assert c["revenue_vs_n1"] == comparison(revenue, n1_revenue)
    assert c["cumulative_vs_n1"] == comparison(fy_revenue, n1_fy_revenue)
    assert c["average_basket_vs_n1"] == comparison(basket(revenue, sales), basket(n1_revenue, n1_sales))
    assert c["fiscal_year_average_basket_vs_n1"] == comparison(
        basket(fy_revenue, fy_sales), basket(n1_fy_revenue, n1_fy_sales)
    )
    # the day's basket against the same date a year before
    row = next(r for r in data["rows"] if r["date"] == "2025-09-10")
    assert (value(row["average_basket"]), value(row["n1_average_basket"])) == (
        basket(50_000, 20),
        basket(*sums(N1_DAYS, date(2024, 9, 10), date(2024, 9, 10))),
    )
    assert row["n1_date"] == "2024-09-10"


def test_fiscal_year_budget_and_cumulative_budget(figures):
    client, demo = figures
    data = client.get(f"/api/companies/{demo['bakery']}/reports/fiscal-year?year=2025").json
    months = [(m["year"], m["month"]) for m in data["months"]]
    assert months[0] == (2025, 7) and months[-1] == (2026, 6)
    running = 0
    for row, (y, m) in zip(data["months"], months, strict=True):
        budget = BUDGET.get(y, {}).get(m)
        running += budget or 0
        assert (None if row["budget"] is None else value(row["budget"])) == budget, (y, m)
        assert value(row["budget_cumulative"]) == running, (y, m)
        revenue, _ = sums(DAYS, date(y, m, 1), date(y, m, monthrange(y, m)[1]))
        assert as_cents(row["revenue_vs_budget"]) == comparison(revenue, budget), (y, m)
    year_budget = sum(a for y, months_ in BUDGET.items() for m, a in months_.items() if (y, m) in months)
    assert running == year_budget == 210_000
    revenue, sales = sums(DAYS, date(2025, 7, 1), date(2026, 6, 30))
    n1_revenue, n1_sales = sums(N1_DAYS, date(2024, 7, 1), date(2025, 6, 30))
    c = {k: as_cents(v) for k, v in data["comparisons"].items()}
    assert c["revenue_vs_budget"] == comparison(revenue, year_budget)
    assert c["revenue_vs_n1"] == comparison(revenue, n1_revenue)
    assert c["average_basket_vs_n1"] == comparison(basket(revenue, sales), basket(n1_revenue, n1_sales))


def test_one_register_leaves_the_budget_out(figures):
    """The budget is the company's: it is compared with every register only (documented in the screen's hint)."""
    client, demo = figures
    shop = demo["bakery_registers"][0]
    base = f"/api/companies/{demo['bakery']}/reports"
    data = client.get(f"{base}/monthly?year=2025&month=9&register={shop}").json
    c = {k: as_cents(v) for k, v in data["comparisons"].items()}
    revenue, sales = sums(DAYS, date(2025, 9, 1), date(2025, 9, 30), register=0)
    assert c["revenue_vs_budget"] == comparison(revenue, None)
    assert c["cumulative_vs_budget"] == comparison(sums(DAYS, date(2025, 7, 1), date(2025, 9, 30), register=0)[0], None)
    n1_revenue, n1_sales = sums(N1_DAYS, date(2024, 9, 1), date(2024, 9, 30), register=0)
    assert c["average_basket_vs_n1"] == comparison(basket(revenue, sales), basket(n1_revenue, n1_sales))
    year = client.get(f"{base}/fiscal-year?year=2025&register={shop}").json
    assert all(m["budget"] is None and m["budget_cumulative"] is None for m in year["months"])
    assert year["comparisons"]["revenue_vs_budget"]["reference"] is None
