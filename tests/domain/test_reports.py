"""domain.reports: day figures of the worked day, sums, comparisons, N-1 alignment, fiscal-year months."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain import compute_day, parse_day_input
from domain import reports as R

WORKED = json.loads((Path(__file__).parents[2] / "schema/vectors/day/worked_day.json").read_text())[0]["input"]


def test_worked_day_figures_follow_domain_md_section_5():
    f = R.day_figures(compute_day(parse_day_input(WORKED)).as_dict(), WORKED["day"])
    assert (f.revenue_ttc, f.revenue_ht, f.sales_count) == (97300, 90000, 150)
    assert f.average_basket == 649  # 973,00 / 150 = 6,4866…
    assert (f.opening, f.inflows, f.expenses, f.deposits) == (20000, 40000, 3165, 35000)
    assert (f.expected, f.counted, f.difference) == (21835, 21635, -200)
    assert f.expected == f.opening + f.inflows - f.outflows - f.expenses - f.deposits
    assert f.unexplained == 1  # a difference and no comment


def test_a_comment_explains_the_difference():
    day = {**WORKED["day"], "comment": "Erreur de rendu."}
    f = R.day_figures(compute_day(parse_day_input({**WORKED, "day": day})).as_dict(), day)
    assert f.difference == -200 and f.unexplained == 0


@pytest.mark.parametrize(("value", "reference", "gap", "pct"), [
    (11000, 10000, 1000, 1000), (9000, 10000, -1000, -1000), (5, 0, 5, None), (1, 3, -2, -6667)])
def test_compare_gives_gap_and_basis_points(value, reference, gap, pct):
    c = R.compare(value, reference)
    assert (c.gap, c.pct_bp) == (gap, pct)


def test_compare_without_reference_has_no_gap():
    assert R.compare(100, None).as_dict() == {"value": 100, "reference": None, "gap": None, "pct_bp": None}


def test_n1_same_date_and_same_weekday():
    assert R.n1_date(date(2026, 3, 14), "date") == date(2025, 3, 14)
    assert R.n1_date(date(2024, 2, 29), "date") == date(2023, 2, 28)
    saturday = date(2026, 11, 28)
    assert R.n1_date(saturday, "weekday").weekday() == saturday.weekday() == 5
    assert R.n1_date(saturday, "weekday") == date(2025, 11, 29)
    with pytest.raises(ValueError):
        R.n1_date(saturday, "moon")


def test_fiscal_year_starting_in_july_spans_two_calendar_years():
    months = R.fiscal_year_months(2025, 7)
    assert months[0] == (2025, 7) and months[5] == (2025, 12) and months[6] == (2026, 1) and months[-1] == (2026, 6)
    assert R.fiscal_year_bounds(2025, 7) == (date(2025, 7, 1), date(2026, 6, 30))
    assert R.fiscal_year_of(date(2026, 3, 1), 7) == 2025 and R.fiscal_year_of(date(2026, 7, 1), 7) == 2026
    assert R.month_bounds(2024, 2) == (date(2024, 2, 1), date(2024, 2, 29))
    assert R.month_bounds(2025, 12) == (date(2025, 12, 1), date(2025, 12, 31))


def test_average_basket_without_sales_is_none():
    assert R.average_basket(0, 0) is None and R.ZERO.average_basket is None


amounts = st.integers(min_value=-10**9, max_value=10**9)
figures = st.builds(R.Figures, days=st.integers(0, 3), revenue_ttc=amounts, sales_count=st.integers(0, 10**4),
                    opening=amounts, inflows=amounts, expected=amounts, difference=amounts)


@given(st.lists(figures, max_size=20), st.integers(0, 20))
def test_sums_do_not_depend_on_grouping(items, cut):
    """The days summed at once equal the sum of two groups (days → months → fiscal year)."""
    assert R.add(R.total(items[:cut]), R.total(items[cut:])) == R.total(items) == R.total(reversed(items))


@given(st.lists(st.integers(-10**6, 10**6), max_size=30))
def test_cumulative_ends_on_the_total(values):
    out = R.cumulative(values)
    assert len(out) == len(values) and (out[-1] if out else 0) == sum(values)


@given(st.lists(st.tuples(st.sampled_from([1, 2]), st.integers(0, 27), figures), max_size=15))
def test_drawer_summary_takes_first_opening_and_last_balance_per_register(days):
    start = date(2026, 2, 1)
    items = {(r, start + timedelta(n)): f for r, n, f in days}  # one row per register and date
    summary = R.drawer_summary(R.total(items.values()), ((r, on, f) for (r, on), f in items.items()))
    per_register = [sorted((on, f) for (q, on), f in items.items() if q == r) for r in (1, 2)]
    assert summary.opening == sum(rows[0][1].opening for rows in per_register if rows)
    assert summary.expected == sum(rows[-1][1].expected for rows in per_register if rows)
    assert summary.inflows == R.total(items.values()).inflows
