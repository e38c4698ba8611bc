"""Reports API: access, bad input, figures equal to the raw days, stored totals follow closing and reopening."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.money import parse_wire
from domain.reports import fiscal_year_months, month_bounds
from server.demo import history
from server.extensions import db
from server.models import Company, Day, DayEvent, DayLine, DayTotal, Flow, JournalEntry, PaymentMethod
from tests.server.shop_clock import shop_today
from tests.server.test_days_api import close_balanced, day_url

MONTHLY = "/api/companies/{cid}/reports/monthly"


def cents(value: str | None) -> int | None:
    return None if value is None else parse_wire(value)


@pytest.fixture
def seeded(app, monkeypatch):
    """The demo with 14 months of closed days (so the previous month has its N-1)."""
    monkeypatch.setattr(history, "MONTHS", 14)
    app.config["DEMO_HISTORY"] = True
    from server.demo.seed import seed
    from tests.factories import demo_ids

    with app.app_context():
        seed()
        return demo_ids()


def previous_month(today: date | None = None) -> tuple[int, int]:
    first = (today or shop_today()).replace(day=1) - timedelta(days=1)
    return first.year, first.month


@pytest.mark.parametrize(("email", "status"), [
    ("gerant@demo.test", 200), ("cabinet@demo.test", 200), ("caisse@demo.test", 403), ("cafe@demo.test", 404)])
@pytest.mark.parametrize("path", ["monthly?year=2026&month=3", "fiscal-year?year=2026", "daily?date=2026-03-14",
                                  "credits?year=2026&month=3", "vouchers?year=2026&month=3",
                                  "monthly.csv?year=2026&month=3", "journal.pdf?from=2026-03-01&to=2026-03-31"])
def test_reports_are_for_admins_of_the_company(auth, demo, email, status, path):
    assert auth(email).get(f"/api/companies/{demo['bakery']}/reports/{path}").status_code == status


@pytest.mark.parametrize(("email", "status"), [("cabinet@demo.test", 200), ("gerant@demo.test", 403)])
def test_firm_dashboard_is_for_firm_admins(auth, email, status):
    assert auth(email).get("/api/firm/reports/dashboard?year=2026&month=3").status_code == status


@pytest.mark.parametrize(("query", "field"), [
    ("monthly?year=2026&month=13", "month"), ("monthly?year=2026&month=0", "month"),
    ("monthly?year=1999&month=3", "year"), ("monthly?year=2026", "month"), ("fiscal-year?year=2101", "year"),
    ("monthly?year=2026&month=3&n1=moon", "n1"),
    ("monthly?year=2026&month=3&register=1180591620717411303424", "register"),
    ("monthly?year=1e999990&month=3", "year"), ("monthly?year=2026.5&month=3", "year"),
    ("daily?date=2026-02-30", "date"), ("journal.pdf?from=2026-03-31&to=2026-03-01", "to"),
    ("journal.pdf?from=2024-01-01&to=2026-03-01", "to"), ("credits?year=2026&month=99", "month"),
    ("journal.csv?from=2026-03-31&to=2026-03-01", "to"), ("journal.xlsx?from=2026-13-01&to=2026-03-01", "from")])
def test_bad_input_answers_422_naming_the_field(auth, demo, query, field):
    r = auth("gerant@demo.test").get(f"/api/companies/{demo['bakery']}/reports/{query}")
    assert r.status_code == 422, r.json
    assert field in r.json["errors"], r.json


def test_another_company_register_answers_404(auth, demo):
    r = auth("gerant@demo.test").get(
        f"/api/companies/{demo['bakery']}/reports/monthly?year=2026&month=3&register={demo['cafe_registers'][0]}")
    assert r.status_code == 404


def test_a_period_without_data_answers_empty_totals(auth, demo):
    client = auth("gerant@demo.test")
    r = client.get(MONTHLY.format(cid=demo["bakery"]) + "?year=2001&month=2")
    assert r.status_code == 200
    assert len(r.json["rows"]) == 28 and r.json["totals"]["revenue_ttc"] == "0.00"
    assert r.json["totals"]["average_basket"] is None and r.json["comparisons"]["revenue_vs_n1"]["pct_bp"] is None
    year = client.get(f"/api/companies/{demo['bakery']}/reports/fiscal-year?year=2001").json
    assert len(year["months"]) == 12 and year["totals"]["days"] == 0
    assert client.get(f"/api/companies/{demo['bakery']}/reports/daily?date=2001-02-03").json["registers"] == []


def test_closing_stores_totals_and_reopening_makes_the_day_provisional(app, auth, demo):
    admin = auth("gerant@demo.test")
    url = day_url(demo, "2026-03-13")
    assert close_balanced(admin, url, demo, sales="123.45").status_code == 200
    with app.app_context():
        row = db.session.execute(db.select(DayTotal)).scalar_one()
        assert (row.revenue_ttc, row.date) == (12345, date(2026, 3, 13))
    month = admin.get(MONTHLY.format(cid=demo["bakery"]) + "?year=2026&month=3").json
    assert month["totals"]["revenue_ttc"] == "123.45" and month["provisional"] == []
    assert admin.post(url + "/reopen", json={"reason": "Erreur de saisie"}).status_code == 200
    with app.app_context():
        assert db.session.execute(db.select(DayTotal)).first() is None
    month = admin.get(MONTHLY.format(cid=demo["bakery"]) + "?year=2026&month=3").json
    assert month["totals"]["revenue_ttc"] == "123.45" and month["provisional"] == ["2026-03-13"]
    row = next(r for r in month["rows"] if r["date"] == "2026-03-13")
    assert row["provisional"] is True and row["sales_count"] == 0


def raw_month(company_id: int, start: date, end: date) -> dict[date, dict[str, int]]:
    """Figures computed here from the raw rows: revenue, sales, cash counted and deposited, per date."""
    cash = db.session.execute(db.select(PaymentMethod.id).where(
        PaymentMethod.company_id == company_id, PaymentMethod.kind == "cash")).scalar_one()
    out: dict[date, dict[str, int]] = {}
    days = db.session.execute(db.select(Day).where(Day.company_id == company_id, Day.date.between(start, end))
                              ).scalars().all()
    for day in days:
        item = out.setdefault(day.date, {"revenue": 0, "sales": 0, "counted": 0, "deposits": 0})
        item["revenue"] += sum(ln.amount_cents for ln in day.lines if ln.kind == "sale")
        item["sales"] += day.sales_count
        item["counted"] += sum(ln.amount_cents for ln in day.lines if ln.kind == "count" and ln.ref_id == cash)
        voided = {f.voids for f in day.flows if f.kind == "void"}
        item["deposits"] += sum(f.amount_cents for f in day.flows if f.kind == "deposit" and f.method_id == cash
                                and f.id not in voided)
    return out


def test_demo_reports_equal_the_raw_days_and_add_up(app, seeded, auth):
    client, cid = auth("gerant@demo.test"), seeded["bakery"]
    year, month = previous_month()
    start, end = month_bounds(year, month)
    data = client.get(MONTHLY.format(cid=cid) + f"?year={year}&month={month}").json
    with app.app_context():
        raw = raw_month(cid, start, end)
        fy_start = db.session.get(Company, cid).fiscal_year_start_month
    assert len(raw) > 15
    for row in data["rows"]:
        on = date.fromisoformat(row["date"])
        want = raw.get(on, {"revenue": 0, "sales": 0, "counted": 0, "deposits": 0})
        got = (cents(row["revenue_ttc"]), row["sales_count"], cents(row["counted"]), cents(row["deposits"]))
        assert got == (want["revenue"], want["sales"], want["counted"], want["deposits"]), on
        if on in raw:  # the daily synthesis of that date says the same
            daily = client.get(f"/api/companies/{cid}/reports/daily?date={on}").json["totals"]
            assert {k: daily[k] for k in ("revenue_ttc", "expected", "counted", "difference", "sales_count")} == {
                k: row[k] for k in ("revenue_ttc", "expected", "counted", "difference", "sales_count")}
    revenue, sales = sum(v["revenue"] for v in raw.values()), sum(v["sales"] for v in raw.values())
    assert cents(data["totals"]["revenue_ttc"]) == revenue and data["totals"]["sales_count"] == sales
    assert cents(data["totals"]["average_basket"]) == round(revenue / sales)
    assert data["comparisons"]["revenue_vs_n1"]["reference"] not in (None, "0.00")
    # months add up to the fiscal year, and each month of it is the monthly synthesis
    fy = year if month >= fy_start else year - 1
    year_data = client.get(f"/api/companies/{cid}/reports/fiscal-year?year={fy}").json
    for (y, m), row in zip(fiscal_year_months(fy, fy_start), year_data["months"], strict=True):
        if (y, m) <= (year, month):
            monthly = client.get(MONTHLY.format(cid=cid) + f"?year={y}&month={m}").json["totals"]
            assert row["revenue_ttc"] == monthly["revenue_ttc"] and row["sales_count"] == monthly["sales_count"]
    assert year_data["months"][-1]["cumulative_revenue_ttc"] == year_data["totals"]["revenue_ttc"]
    assert sum(cents(m["revenue_ttc"]) for m in year_data["months"]) == cents(year_data["totals"]["revenue_ttc"])


def test_one_register_and_weekday_alignment(seeded, auth):
    client, cid = auth("gerant@demo.test"), seeded["bakery"]
    year, month = previous_month()
    market = seeded["bakery_registers"][1]
    base = MONTHLY.format(cid=cid) + f"?year={year}&month={month}"
    every, mine = client.get(base).json, client.get(base + f"&register={market}").json
    assert 0 < cents(mine["totals"]["revenue_ttc"]) < cents(every["totals"]["revenue_ttc"])
    assert {date.fromisoformat(r["date"]).weekday() for r in mine["rows"] if r["days"]} == {5}  # Saturdays only
    weekday = client.get(base + f"&register={market}&n1=weekday").json
    assert all(date.fromisoformat(r["n1_date"]).weekday() == date.fromisoformat(r["date"]).weekday()
               for r in weekday["rows"])
    saturdays = [r for r in weekday["rows"] if r["days"]]
    assert all(r["n1_revenue_ttc"] != "0.00" for r in saturdays)  # a Saturday against a Saturday


def test_today_is_provisional_and_the_dashboard_matches_the_monthly_synthesis(seeded, auth):
    today = shop_today()
    client = auth("cabinet@demo.test")
    board = client.get(f"/api/firm/reports/dashboard?year={today.year}&month={today.month}").json
    assert {row["name"] for row in board["companies"]} == {"Boulangerie du Marché", "Café des Arts"}
    for row in board["companies"]:
        monthly = client.get(MONTHLY.format(cid=row["company_id"]) + f"?year={today.year}&month={today.month}").json
        assert row["revenue_ttc"] == monthly["totals"]["revenue_ttc"]
        assert row["n1_revenue_ttc"] == monthly["n1_totals"]["revenue_ttc"]
        assert row["open_days_late"] == 0
    bakery = client.get(MONTHLY.format(cid=seeded["bakery"]) + f"?year={today.year}&month={today.month}").json
    if today.weekday() != 0:  # the bakery's Boutique is closed on Mondays
        assert today.isoformat() in bakery["provisional"]


def test_dashboard_counts_missing_late_and_unexplained(app, seeded, auth):
    year, month = previous_month()
    start, end = month_bounds(year, month)
    with app.app_context():
        days = db.session.execute(db.select(Day).where(
            Day.company_id == seeded["cafe"], Day.date.between(start, end)).order_by(Day.date)).scalars().all()
        gone, late, silent = days[0], days[1], days[2]
        db.session.execute(db.delete(DayTotal).where(DayTotal.day_id.in_([gone.id, late.id])))
        db.session.execute(db.delete(Flow).where(Flow.day_id == gone.id))
        db.session.execute(db.delete(DayLine).where(DayLine.day_id == gone.id))
        db.session.execute(db.delete(DayEvent).where(DayEvent.day_id == gone.id))
        db.session.execute(db.delete(JournalEntry).where(JournalEntry.day_id == gone.id))
        db.session.delete(gone)
        late.status = "open"
        row = db.session.get(DayTotal, silent.id)
        row.difference, row.unexplained = -300, 1
        db.session.commit()
    board = auth("cabinet@demo.test").get(f"/api/firm/reports/dashboard?year={year}&month={month}").json
    cafe = next(r for r in board["companies"] if r["company_id"] == seeded["cafe"])
    assert (cafe["days_missing"], cafe["open_days_late"], cafe["unexplained_differences"]) == (1, 1, 1)


def test_credits_and_vouchers_summaries(seeded, auth):
    client, cid = auth("gerant@demo.test"), seeded["bakery"]
    year, month = previous_month()
    credit = client.get(f"/api/companies/{cid}/reports/credits?year={year}&month={month}").json
    assert credit["mode"] == "detailed" and credit["customers"]
    assert sum(cents(c["balance"]) for c in credit["customers"]) == cents(credit["balance"])
    for c in credit["customers"]:
        assert cents(c["balance"]) == cents(c["granted"]) - cents(c["settled"])
        assert (c["oldest_unpaid"] is None) == (cents(c["balance"]) <= 0)
    vouchers = client.get(f"/api/companies/{cid}/reports/vouchers?year={year}&month={month}").json
    assert sum(cents(v["outstanding"]) for v in vouchers["codes"]) == cents(vouchers["outstanding"])
    assert all(v["code"] for v in vouchers["codes"])


def test_openapi_documents_the_reports_and_the_n1_modes(client):
    spec = client.get("/api/openapi.json").json
    monthly = spec["paths"]["/api/companies/{cid}/reports/monthly"]["get"]
    n1 = next(p for p in monthly["parameters"] if p["name"] == "n1")
    assert n1["schema"]["enum"] == ["date", "weekday"] and "samedi" in n1["description"]
    for path in ("/api/companies/{cid}/reports/fiscal-year", "/api/companies/{cid}/reports/daily",
                 "/api/companies/{cid}/reports/credits", "/api/companies/{cid}/reports/vouchers",
                 "/api/firm/reports/dashboard", "/api/companies/{cid}/reports/journal.{fmt}"):
        assert path in spec["paths"], path




def test_rebuild_totals_gives_back_what_closing_stored(app, auth, demo):
    admin = auth("gerant@demo.test")
    for on, amount in (("2026-03-13", "10.00"), ("2026-03-14", "20.50")):
        assert close_balanced(admin, day_url(demo, on), demo, sales=amount).status_code == 200
    columns = (DayTotal.day_id, DayTotal.revenue_ttc, DayTotal.expected, DayTotal.counted, DayTotal.by_method)
    with app.app_context():
        stored = sorted(db.session.execute(db.select(*columns)).all())
        db.session.execute(db.delete(DayTotal))
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["reports", "rebuild-totals"])
    assert result.exit_code == 0 and "2 journées" in result.output
    with app.app_context():
        assert sorted(db.session.execute(db.select(*columns)).all()) == stored
