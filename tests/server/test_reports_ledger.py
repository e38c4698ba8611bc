"""Customer credit and gift vouchers: the lump running balance of the demo café ends on its balance; the oldest
unpaid credit of a customer (first in, first out) and its age; an expired voucher counted as expired, not redeemed;
a month without any answers 200 with empty totals."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from server.extensions import db
from server.models import Customer
from tests.server.reports_helpers import value
from tests.server.test_days_api import day_url
from tests.server.test_reports import previous_month


@pytest.fixture
def two_months(app, monkeypatch):
    """The demo with two months of closed days (seeded before `auth` seeds the bare demo)."""
    from server.demo import history
    from server.demo.seed import seed
    from tests.factories import demo_ids

    monkeypatch.setattr(history, "MONTHS", 2)
    app.config["DEMO_HISTORY"] = True
    with app.app_context():
        seed()
        return demo_ids()


def test_lump_running_balance_ends_on_the_balance(two_months, auth):
    client, cid = auth("cafe@demo.test"), two_months["cafe"]
    year, month = previous_month()
    data = client.get(f"/api/companies/{cid}/reports/credits?year={year}&month={month}").json
    assert data["mode"] == "lump" and data["customers"] == [] and len(data["days"]) > 15
    granted = sum(value(d["granted"]) for d in data["days"])
    settled = sum(value(d["settled"]) for d in data["days"])
    assert granted > 0 and (granted, settled) == (value(data["granted"]), value(data["settled"]))
    # the running balance: the balance before the month, then each day's granted minus settled
    before = value(data["balance"]) - granted + settled
    running = before
    for d in data["days"]:
        running += value(d["granted"]) - value(d["settled"])
        assert value(d["balance"]) == running, d
    assert value(data["days"][-1]["balance"]) == value(data["balance"])
    # the month before ends on the balance this month started from
    first = date(year, month, 1) - timedelta(days=1)
    earlier = client.get(f"/api/companies/{cid}/reports/credits?year={first.year}&month={first.month}").json
    assert value(earlier["balance"]) == before


def add(client, url: str, flow: dict) -> None:
    r = client.post(url + "/flows", json=flow)
    assert r.status_code == 201, r.json


def test_oldest_unpaid_credit_and_an_expired_voucher(app, auth, demo):
    client, m = auth("gerant@demo.test"), demo["bakery_methods"]
    with app.app_context():
        customer = (
            db.session.execute(db.select(Customer).where(Customer.company_id == demo["bakery"]).order_by(Customer.id))
            .scalars()
            .first()
        )
        customer_id, name = customer.id, customer.name
    days = {on: day_url(demo, on.isoformat()) for on in (date(2026, 3, 3), date(2026, 3, 10), date(2026, 3, 17))}
    d1, d2, d3 = days
    add(client, days[d1], {"kind": "credit_granted", "amount": "100.00", "customer_id": customer_id})
    add(client, days[d1], {"kind": "voucher_sold", "amount": "50.00", "code": "BC-EXP", "method_id": m["cash"]})
    add(client, days[d1], {"kind": "voucher_sold", "amount": "30.00", "code": "BC-USE", "method_id": m["cash"]})
    add(client, days[d2], {"kind": "credit_granted", "amount": "50.00", "customer_id": customer_id})
    add(
        client,
        days[d3],
        {"kind": "credit_settled", "amount": "120.00", "customer_id": customer_id, "method_id": m["cheque"]},
    )
    add(client, days[d3], {"kind": "voucher_expired", "amount": "50.00", "code": "BC-EXP"})

    base = f"/api/companies/{demo['bakery']}/reports"
    credit = client.get(f"{base}/credits?year=2026&month=3").json
    assert credit["mode"] == "detailed"
    (row,) = credit["customers"]
    assert (row["customer_id"], row["name"]) == (customer_id, name)
    assert (value(row["granted"]), value(row["settled"]), value(row["balance"])) == (15_000, 12_000, 3_000)
    # 120 € settled cover the 100 € of 3 March first: the oldest unpaid is the credit of 10 March
    assert row["oldest_unpaid"] == d2.isoformat() and row["age_days"] == (date(2026, 3, 31) - d2).days == 21
    april = client.get(f"{base}/credits?year=2026&month=4").json["customers"][0]
    assert april["oldest_unpaid"] == d2.isoformat() and april["age_days"] == (date(2026, 4, 30) - d2).days

    vouchers = client.get(f"{base}/vouchers?year=2026&month=3").json
    assert (value(vouchers["sold"]), value(vouchers["redeemed"]), value(vouchers["expired"])) == (8_000, 0, 5_000)
    assert value(vouchers["outstanding"]) == 3_000
    codes = {v["code"]: v for v in vouchers["codes"]}
    assert (value(codes["BC-EXP"]["expired"]), value(codes["BC-EXP"]["redeemed"])) == (5_000, 0)
    assert value(codes["BC-EXP"]["outstanding"]) == 0 and codes["BC-EXP"]["sold_on"] == d1.isoformat()
    assert value(codes["BC-USE"]["outstanding"]) == 3_000


@pytest.mark.parametrize("path", ["credits", "vouchers"])
def test_a_month_without_credit_or_voucher_answers_empty_totals(auth, demo, path):
    r = auth("gerant@demo.test").get(f"/api/companies/{demo['bakery']}/reports/{path}?year=2001&month=2")
    assert r.status_code == 200
    data = r.json
    amounts = ("granted", "settled", "balance") if path == "credits" else ("sold", "redeemed", "expired", "outstanding")
    assert {k: data[k] for k in amounts} == dict.fromkeys(amounts, "0.00")
    assert data.get("customers", []) == [] and data.get("codes", []) == [] and data.get("days", []) == []


def test_the_cafe_fiscal_year_starts_in_july(two_months, auth):
    """The demo café closes its books at the end of June: its fiscal year runs July to June, through the API."""
    client, cid = auth("cafe@demo.test"), two_months["cafe"]
    assert client.get(f"/api/companies/{cid}").json["fiscal_year_start_month"] == 7
    year, month = previous_month()
    fy = year if month >= 7 else year - 1
    data = client.get(f"/api/companies/{cid}/reports/fiscal-year?year={fy}").json
    assert (data["start"], data["end"]) == (f"{fy}-07-01", f"{fy + 1}-06-30")
    assert [(m["year"], m["month"]) for m in data["months"]][:7] == [
        (fy, 7),
        (fy, 8),
        (fy, 9),
        (fy, 10),
        (fy, 11),
        (fy, 12),
        (fy + 1, 1),
    ]
    # the previous month's cumulative revenue is the sum of the fiscal year's months up to it
    monthly = client.get(f"/api/companies/{cid}/reports/monthly?year={year}&month={month}").json
    upto = [m for m in data["months"] if (m["year"], m["month"]) <= (year, month)]
    assert value(monthly["comparisons"]["cumulative_vs_n1"]["value"]) == sum(value(m["revenue_ttc"]) for m in upto) > 0
    assert upto[-1]["cumulative_revenue_ttc"] == monthly["comparisons"]["cumulative_vs_n1"]["value"]


def fifo_oldest(grants: list[tuple[date, int]], settled: int) -> date | None:
    """First in, first out, written here: the date of the oldest grant the settlements do not cover."""
    for on, amount in sorted(grants):
        if settled < amount:
            return on
        settled -= amount
    return None


def test_detailed_credits_equal_a_fifo_over_the_raw_flows(app, two_months, auth):
    """The per-customer summary (aggregated in SQL) against a loop over the demo bakery's raw credit flows."""
    from server.models import Day, Flow

    client, cid = auth("gerant@demo.test"), two_months["bakery"]
    year, month = previous_month()
    end = date(year, month, 1).replace(day=28) + timedelta(days=4)
    end = end - timedelta(days=end.day)
    with app.app_context():
        flows = db.session.execute(
            db.select(Flow, Day.date).join(Day, Day.id == Flow.day_id).where(Flow.company_id == cid, Day.date <= end)
        ).all()
        voided = {f.voids for f, _on in flows if f.kind == "void"}
        per: dict[int | None, dict] = {}
        for f, on in flows:
            if f.kind in ("credit_granted", "credit_settled") and f.id not in voided:
                item = per.setdefault(f.customer_id, {"granted": [], "settled": 0})
                if f.kind == "credit_granted":
                    item["granted"].append((on, f.amount_cents))
                else:
                    item["settled"] += f.amount_cents
    assert len(per) >= 2 and any(sum(a for _d, a in i["granted"]) > i["settled"] > 0 for i in per.values())
    data = client.get(f"/api/companies/{cid}/reports/credits?year={year}&month={month}").json
    got = {c["customer_id"]: c for c in data["customers"]}
    assert set(got) == set(per)
    for customer_id, item in per.items():
        granted = sum(a for _d, a in item["granted"])
        oldest = fifo_oldest(item["granted"], item["settled"])
        row = got[customer_id]
        assert (value(row["granted"]), value(row["settled"])) == (granted, item["settled"]), customer_id
        assert row["oldest_unpaid"] == (oldest.isoformat() if oldest else None), customer_id
        assert row["age_days"] == ((end - oldest).days if oldest else None), customer_id
