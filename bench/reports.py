"""Reports benchmark: server time of each report on a large history, on SQLite and PostgreSQL.

Usage (repository root): .venv/bin/python bench/reports.py [--db sqlite|postgres|both] [--companies 1000] [--runs 15]
Seeds, with bulk inserts of `days` and their stored `day_totals` (what closing writes):
  - one company with 2 registers and 10 years of days (≈ 6,300 days);
  - one firm with N companies (1 register each) and one year of days (≈ 310 per company).
Then times each report through the Flask test client (login, parsing, SQL, serialisation), and prints the
median and the 95th percentile in ms. Targets (issue 12): monthly synthesis with N-1 < 50 ms; firm dashboard
for 1,000 companies < 1 s. PostgreSQL: CAISSE_BENCH_PG_URL (default postgres@127.0.0.1/caisse_bench, recreated).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PG_URL = os.environ.get("CAISSE_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/caisse_bench")
END = date(2026, 10, 31)  # the last seeded date; the reports ask for October 2026 and its N-1
CHUNK = 5000


def pg_database() -> str:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    url = make_url(PG_URL)
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{url.database}"'))
    admin.dispose()
    return PG_URL


def day_rows(rng: random.Random, company_id: int, register_id: int, start: date, end: date):
    """(days, day_totals) rows of a register, Monday to Saturday, closed."""
    days, totals, on, opening = [], [], start, 20000
    while on <= end:
        if on.weekday() < 6:
            did, revenue, sales = str(uuid.uuid4()), rng.randint(40000, 160000), rng.randint(50, 200)
            cash_in = revenue * 35 // 100
            deposit = cash_in if on.weekday() == 5 else 0
            expected = opening + cash_in - deposit
            difference = rng.choice([0] * 15 + [-200, 100])
            days.append({"id": did, "company_id": company_id, "register_id": register_id, "date": on,
                         "status": "closed", "sales_count": sales, "version": 0})
            totals.append({"day_id": did, "company_id": company_id, "register_id": register_id, "date": on,
                           "revenue_ttc": revenue, "revenue_ht": revenue * 100 // 110, "sales_count": sales,
                           "opening": opening, "inflows": cash_in, "outflows": 0, "expenses": 0,
                           "deposits": deposit, "expected": expected, "counted": expected + difference,
                           "difference": difference, "credit_granted": 0, "credit_settled": 0,
                           "vouchers_sold": 0, "vouchers_redeemed": 0, "vouchers_expired": 0,
                           "unexplained": int(difference != 0 and rng.random() < 0.5),
                           "by_method": {"Espèces": cash_in, "Carte bancaire": revenue - cash_in}})
            opening = expected + difference
        on += timedelta(days=1)
    return days, totals


def insert(model, rows) -> None:
    from server.extensions import db

    for i in range(0, len(rows), CHUNK):
        db.session.execute(db.insert(model), rows[i:i + CHUNK])


def seed(companies: int) -> dict[str, int]:
    from server.extensions import db
    from server.models import Company, Day, DayTotal, Firm, Membership, Register, User
    from server.services.passwords import hash_secret

    rng = random.Random(12)
    firm = Firm(name="Cabinet du banc d’essai")
    db.session.add(firm)
    db.session.flush()
    big = Company(firm_id=firm.id, name="Dix ans", siren="732829320")
    db.session.add(big)
    db.session.flush()
    registers = [Register(company_id=big.id, name=name, position=i) for i, name in enumerate(("Boutique", "Marché"))]
    small = [Company(firm_id=firm.id, name=f"Société {n:04d}", siren="542051180") for n in range(companies)]
    db.session.add_all([*registers, *small])
    db.session.flush()
    small_registers = [Register(company_id=c.id, name="Caisse", position=1) for c in small]
    db.session.add_all(small_registers)
    user = User(email="bench@cabinet.test", name="Banc", password_hash=hash_secret("bench-password-1"))
    db.session.add(user)
    db.session.flush()
    db.session.add(Membership(user_id=user.id, role="firm_admin", firm_id=firm.id))
    db.session.commit()
    started = time.perf_counter()
    days, totals = [], []
    for register in registers:
        d, t = day_rows(rng, big.id, register.id, END.replace(year=END.year - 10) + timedelta(days=1), END)
        days += d
        totals += t
    for company, register in zip(small, small_registers, strict=True):
        d, t = day_rows(rng, company.id, register.id, END.replace(year=END.year - 1) + timedelta(days=1), END)
        days += d
        totals += t
    insert(Day, days)
    insert(DayTotal, totals)
    db.session.commit()
    print(f"  seeded {len(days):,} days and their totals in {time.perf_counter() - started:.1f} s")
    return {"big": big.id, "register": registers[0].id}


def timed(client, url: str, runs: int) -> tuple[float, float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code, response.get_data(as_text=True)[:300])
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)]


def run(kind: str, companies: int, runs: int) -> None:
    from server import create_app
    from server.extensions import db

    url = pg_database() if kind == "postgres" else f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True})
    print(f"{kind}:")
    with app.app_context():
        db.create_all()
        ids = seed(companies)
    client = app.test_client()
    login = client.post("/api/auth/login", json={"email": "bench@cabinet.test", "password": "bench-password-1"})
    assert login.status_code == 200, login.get_json()
    base = f"/api/companies/{ids['big']}/reports"
    cases = [
        ("monthly synthesis + N-1 (same dates), 2 registers", f"{base}/monthly?year=2026&month=10"),
        ("monthly synthesis + N-1 (same weekdays), 1 register",
         f"{base}/monthly?year=2026&month=10&n1=weekday&register={ids['register']}"),
        ("fiscal year (12 months, N-1, budget)", f"{base}/fiscal-year?year=2026"),
        ("gift vouchers (10 years of totals)", f"{base}/vouchers?year=2026&month=10"),
        ("monthly synthesis as XLSX", f"{base}/monthly.xlsx?year=2026&month=10"),
        ("monthly synthesis as PDF", f"{base}/monthly.pdf?year=2026&month=10"),
        (f"firm dashboard, {companies + 1} companies", "/api/firm/reports/dashboard?year=2026&month=10"),
    ]
    for label, path in cases:
        median, p95 = timed(client, path, runs)
        print(f"  {label:<55} median {median:7.1f} ms   p95 {p95:7.1f} ms")
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--companies", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    for kind in (["sqlite", "postgres"] if args.db == "both" else [args.db]):
        run(kind, args.companies, args.runs)


if __name__ == "__main__":
    main()
