"""Helpers of the report tests: wire amounts, a day entered and closed through the API, a bakery open every day."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.money import parse_wire
from server.extensions import db
from server.models import CalendarException, Company, Register, RegisterCalendarException
from tests.server.test_days_api import day_url


def value(wire: str | int | None) -> int:
    if wire is None:
        return 0
    return wire if isinstance(wire, int) else parse_wire(wire)


def wire(cents: int) -> str:
    return f"{'-' if cents < 0 else ''}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def close_day(client, demo, on: date, item: dict) -> None:
    """Enter the day's sales (two VAT rates), cash and card payments, count the cash with a gap, close it."""
    url = day_url(demo, on.isoformat(), register=item["register"])
    cat, m = demo["bakery_categories"], demo["bakery_methods"]
    revenue = item["bread"] + item["grocery"]
    card = revenue * item["card_share"] // 100
    r = client.put(
        url,
        json={
            "base_revision": client.get(url).json["revision"],
            "z_number": "Z-1",
            "sales_count": item["sales_count"],
            "sales": [
                {"category_id": cat[0], "amount": wire(item["bread"])},
                {"category_id": cat[5], "amount": wire(item["grocery"])},
            ],
            "payments": [
                {"method_id": m["cash"], "amount": wire(revenue - card)},
                {"method_id": m["card"], "amount": wire(card)},
            ],
        },
    )
    assert r.status_code == 200, r.json
    counts = []
    for b in r.json["balances"]:
        amount = value(b["expected"]) + (item["difference"] if b["method_id"] == m["cash"] else 0)
        counts.append({"method_id": b["method_id"], "amount": wire(max(amount, 0))})
    r = client.put(url, json={"base_revision": r.json["revision"], "counts": counts, "comment": "écart de test"})
    assert r.status_code == 200, r.json
    r = client.post(url + "/close", json={})
    assert r.status_code == 200, r.json


def open_every_day(app: Any, demo: dict[str, Any], fiscal_year_start_month: int) -> None:
    """The bakery's fiscal year starts in `fiscal_year_start_month`, both registers open every day."""
    with app.app_context():
        bakery = db.session.get(Company, demo["bakery"])
        bakery.fiscal_year_start_month, bakery.weekly_pattern = fiscal_year_start_month, "1111111"
        db.session.execute(db.delete(CalendarException).where(CalendarException.company_id == bakery.id))
        for rid in demo["bakery_registers"]:
            db.session.get(Register, rid).weekly_pattern = None
            db.session.execute(db.delete(RegisterCalendarException).where(RegisterCalendarException.register_id == rid))
        db.session.commit()


def half_away(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded to the nearest integer, halves away from zero (written here, not imported)."""
    sign = -1 if (numerator < 0) != (denominator < 0) else 1
    n, d = abs(numerator), abs(denominator)
    return sign * ((2 * n + d) // (2 * d))
