"""Random consistency of the reports (hypothesis): random closed days of the bakery's two registers, entered and
closed through the API, over the first months of a fiscal year starting in July. Each day's figures sum to its
month's totals, the months to the fiscal year, the cumulative revenue is the running sum, and every figure equals
what the test entered. Each example uses a fiscal year of its own, so the days of earlier examples stay out of it.
"""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.reports import fiscal_year_months
from tests.server.reports_helpers import close_day, half_away, open_every_day, value

SUMMED = ("revenue_ttc", "revenue_ht", "sales_count", "inflows", "expected", "counted", "difference", "days")
YEARS = itertools.count(2001)


day_strategy = st.fixed_dictionaries(
    {
        "offset": st.integers(0, 8),  # July .. March: the fiscal year crosses the calendar year
        "day": st.integers(1, 28),
        "register": st.integers(0, 1),
        "bread": st.integers(0, 150_000),  # cents at 5,5 %
        "grocery": st.integers(0, 40_000),  # cents at 20 %
        "card_share": st.integers(0, 100),
        "sales_count": st.integers(0, 300),
        "difference": st.integers(-2_000, 2_000),  # counted cash minus expected
    }
)


def on_date(fy: int, item: dict) -> date:
    month = 7 + item["offset"]
    return date(fy + (month - 1) // 12, (month - 1) % 12 + 1, item["day"])


@pytest.fixture
def july_bakery(app, auth, demo):
    """The bakery with its fiscal year starting in July, both registers open every day, and its manager's client."""
    open_every_day(app, demo, 7)
    return auth("gerant@demo.test"), demo


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(days=st.lists(day_strategy, min_size=1, max_size=10, unique_by=lambda d: (d["offset"], d["day"], d["register"])))
def test_days_sum_to_months_and_months_to_the_fiscal_year(july_bakery, days):
    client, demo = july_bakery
    cid, fy = demo["bakery"], next(YEARS)
    entered: dict[date, dict[str, int]] = {}
    for item in days:
        on = on_date(fy, item)
        close_day(client, demo, on, item)
        got = entered.setdefault(on, {"revenue": 0, "sales": 0, "days": 0})
        got["revenue"] += item["bread"] + item["grocery"]
        got["sales"] += item["sales_count"]
        got["days"] += 1

    year = client.get(f"/api/companies/{cid}/reports/fiscal-year?year={fy}").json
    assert year["start"] == f"{fy}-07-01" and year["end"] == f"{fy + 1}-06-30"
    assert [(m["year"], m["month"]) for m in year["months"]] == fiscal_year_months(fy, 7)
    running = 0
    month_totals = []
    for row in year["months"]:
        y, m = row["year"], row["month"]
        monthly = client.get(f"/api/companies/{cid}/reports/monthly?year={y}&month={m}").json
        totals = monthly["totals"]
        # the days of the month sum to its totals
        for key in SUMMED:
            if key in ("expected", "counted"):
                continue  # balances, not flows: the total takes each register's last day
            assert sum(value(r[key]) for r in monthly["rows"]) == value(totals[key]), (y, m, key)
        # each day is what was entered, and the daily synthesis of that date says the same
        for r in monthly["rows"]:
            on = date.fromisoformat(r["date"])
            want = entered.get(on, {"revenue": 0, "sales": 0, "days": 0})
            assert (value(r["revenue_ttc"]), r["sales_count"], r["days"]) == (
                want["revenue"],
                want["sales"],
                want["days"],
            ), on
            if want["days"]:
                daily = client.get(f"/api/companies/{cid}/reports/daily?date={on}").json["totals"]
                assert {k: daily[k] for k in SUMMED} == {k: r[k] for k in SUMMED}, on
        # the fiscal year's month is the monthly synthesis
        assert {k: row[k] for k in SUMMED if k not in ("expected", "counted")} == {
            k: totals[k] for k in SUMMED if k not in ("expected", "counted")
        }, (y, m)
        running += value(totals["revenue_ttc"])
        assert value(row["cumulative_revenue_ttc"]) == running, (y, m)
        assert value(monthly["comparisons"]["cumulative_vs_n1"]["value"]) == running, (y, m)
        month_totals.append(totals)
    # the months sum to the fiscal year, which holds every day entered
    for key in ("revenue_ttc", "revenue_ht", "sales_count", "inflows", "difference", "days"):
        assert sum(value(t[key]) for t in month_totals) == value(year["totals"][key]), key
    assert value(year["totals"]["revenue_ttc"]) == sum(d["revenue"] for d in entered.values())
    assert year["totals"]["sales_count"] == sum(d["sales"] for d in entered.values())
    assert year["totals"]["days"] == len(days)
    sales, revenue = year["totals"]["sales_count"], value(year["totals"]["revenue_ttc"])
    basket = year["totals"]["average_basket"]
    assert (None if basket is None else value(basket)) == (half_away(revenue, sales) if sales else None)
