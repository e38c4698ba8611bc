"""FEC export benchmark: a shop with 2 registers, 1, 5 and 10 fiscal years of closed days.

Usage (from the repository root; figures depend on the machine, whose CPU count and load are printed):
    .venv/bin/python bench/export_fec.py                 # SQLite, 1 / 5 / 10 years, best of 3 runs
    .venv/bin/python bench/export_fec.py --years 1 2 --runs 1

A fresh SQLite database holds the demo bakery and, for each register, every Monday-to-Saturday of the
years: a sealed version-2 payload (6 sales categories, cash / card / cheque, an expense, a bank deposit
now and then, a counted closing with a small difference some days) written straight into the journal,
as the closing writes it. Timed: `services.export.build_export` over the whole period, which reads the
payloads, computes the entries, numbers them and writes the FEC bytes (ISO-8859-15, TAB).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def day_input(rng: random.Random, settings: dict[str, Any], previous: dict[int, int]) -> dict[str, Any]:
    """A plausible closable day: breakdown matches, manual methods counted."""
    methods = {m["kind"]: m["id"] for m in settings["methods"]}
    sales = [{"category_id": c["id"], "amount": rng.randint(2_000, 40_000)} for c in settings["categories"]]
    total = sum(s["amount"] for s in sales)
    cash = total * rng.randint(25, 45) // 100
    cheque = total * rng.randint(0, 8) // 100
    payments = [{"method_id": methods["cash"], "amount": cash}, {"method_id": methods["cheque"], "amount": cheque},
                {"method_id": methods["card"], "amount": total - cash - cheque}]
    flows: list[dict[str, Any]] = [{"id": str(uuid.UUID(int=rng.getrandbits(128))), "kind": "expense",
                                    "amount": rng.randint(500, 4_000), "method_id": methods["cash"],
                                    "vat_bp": 550, "label": "Farine"}]
    expected = previous.get(methods["cash"], 20_000) + cash - flows[0]["amount"]
    if expected > 60_000:
        flows.append({"id": str(uuid.UUID(int=rng.getrandbits(128))), "kind": "deposit",
                      "amount": expected - 20_000, "method_id": methods["cash"]})
        expected = 20_000
    counted = expected + rng.choice([0, 0, 0, -200, 100])
    counts = [{"method_id": methods["cash"], "amount": counted}, {"method_id": methods["cheque"], "amount": 0}]
    if cheque:
        flows.append({"id": str(uuid.UUID(int=rng.getrandbits(128))), "kind": "deposit", "amount":
                      previous.get(methods["cheque"], 0) + cheque, "method_id": methods["cheque"]})
    return {"settings": settings, "previous_counts": {str(k): v for k, v in previous.items()},
            "day": {"z_number": str(rng.randint(1, 99999)), "sales_count": rng.randint(80, 300), "sales": sales,
                    "payments": payments, "opening": [], "counts": counts, "comment": "Écart de rendu",
                    "flows": flows}}


def seed(app: Any, years: int) -> tuple[Any, date, date, int]:
    """The bakery with `years` fiscal years of sealed days on its 2 registers; (company, start, end, days)."""
    from domain import GENESIS, canonical_json, chain_hash
    from server.demo.seed import seed as seed_demo
    from server.extensions import db
    from server.models import Company, Day, JournalEntry
    from server.services.catalog import Catalog
    from server.services.export_source import company_chart, settings_input

    with app.app_context():
        db.create_all()
        seed_demo()
        company = db.session.execute(db.select(Company).where(Company.siren == "732829320")).scalar_one()
        catalog = Catalog.load(company.id)
        start, end = date(2015, 1, 1), date(2015 + years, 1, 1) - timedelta(days=1)
        rng, count = random.Random(13), 0
        for register in list(catalog.registers.values())[:2]:
            settings = settings_input(catalog, company, register)
            previous: dict[int, int] = {}
            head, sequence = GENESIS, 0
            on = start
            while on <= end:
                if on.weekday() < 6:
                    raw = day_input(rng, settings, previous)
                    sequence += 1
                    closed_at = datetime.combine(on, datetime.min.time()) + timedelta(hours=19)
                    payload = {"version": 2, "input": raw, "chart": company_chart(company), "meta": {
                        "company": {"id": company.id, "name": company.name, "siren": company.siren,
                                    "legal_form": company.legal_form},
                        "register": {"id": register.id, "name": register.name}, "date": on.isoformat(),
                        "z_number": raw["day"]["z_number"], "sequence": sequence,
                        "closed_at": closed_at.isoformat() + "Z", "closed_by": None}}
                    digest = chain_hash(head, payload)
                    day_id = str(uuid.UUID(int=rng.getrandbits(128)))
                    db.session.add(Day(id=day_id, company_id=company.id, register_id=register.id, date=on,
                                       status="closed", sequence=sequence, hash=digest, closed_at=closed_at))
                    db.session.add(JournalEntry(register_id=register.id, sequence=sequence, day_id=day_id,
                                                day_date=on, closed_at=closed_at, payload=canonical_json(payload),
                                                prev_hash=head, hash=digest))
                    head, count = digest, count + 1
                    previous = {c["method_id"]: c["amount"] for c in raw["day"]["counts"]}
                    if count % 1000 == 0:
                        db.session.flush()
                on += timedelta(days=1)
        db.session.commit()
        return company.id, start, end, count


def run(years: int, runs: int) -> dict[str, Any]:
    from server import create_app
    from server.extensions import db
    from server.models import Company
    from server.services.export import build_export

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite", "SECRET_KEY": "bench",
                          "DEMO_HISTORY": False})
        company_id, start, end, days = seed(app, years)
        best, cpu = float("inf"), float("inf")
        with app.app_context():
            for _ in range(runs):
                db.session.expire_all()
                company = db.session.get(Company, company_id)
                began, began_cpu = time.perf_counter(), time.process_time()
                file = build_export(company, start, end, "fec")
                best = min(best, time.perf_counter() - began)
                cpu = min(cpu, time.process_time() - began_cpu)
            lines = file.data.count(b"\r\n") - 1
            db.engine.dispose()
        return {"years": years, "days": days, "entries": file.entry_count, "lines": lines,
                "bytes": len(file.data), "seconds": best, "cpu": cpu}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--years", type=int, nargs="+", default=[1, 5, 10])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"CPUs: {os.cpu_count()}, load: {os.getloadavg()[0]:.2f}; SQLite; best of {args.runs} runs")
    print(f"{'years':>5} {'days':>6} {'entries':>8} {'lines':>8} {'MB':>6} {'seconds':>8} {'CPU s':>6} "
          f"{'ms/day':>7}")
    for years in args.years:
        r = run(years, args.runs)
        print(f"{r['years']:>5} {r['days']:>6} {r['entries']:>8} {r['lines']:>8} {r['bytes'] / 1e6:>6.1f} "
              f"{r['seconds']:>8.2f} {r['cpu']:>6.2f} {1000 * r['seconds'] / r['days']:>7.2f}")


if __name__ == "__main__":
    main()
