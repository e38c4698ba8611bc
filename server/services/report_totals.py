"""The stored per-day totals of reports (`day_totals`): written when a day is sealed, dropped when it reopens.

`store` is called from one place, `services.closing.seal`, with the version-2 payload just sealed, inside
the caller's unit of work (nothing here commits); `drop` from `services.closing.reopen`. Open days have no
row: `open_day_figures` computes them on read (they are few) and reports mark them « provisoire ».
`rebuild` fills the table for days sealed before it existed (`flask --app server reports rebuild-totals`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import g
from sqlalchemy import inspect
from sqlalchemy.orm import selectinload

from domain import compute_day, parse_day_input
from domain.reports import FIELDS, Figures, day_figures
from domain.sealed import day_input_to_dict
from server.extensions import db
from server.models import Company, Day, DayTotal
from server.services.catalog import Catalog
from server.services.day_input import day_input


def payload_result(payload: Mapping[str, Any]) -> dict[str, Any]:
    """The frozen result of a sealed payload (computed from its input for a rebuilt version-1 record)."""
    result = payload.get("result")
    return dict(result) if isinstance(result, dict) else compute_day(parse_day_input(payload["input"])).as_dict()


def method_mix(result: Mapping[str, Any], settings: Mapping[str, Any]) -> dict[str, int]:
    """Takings per payment method label (the payment lines of the day)."""
    labels = {str(m["id"]): m.get("label") or str(m["id"]) for m in settings.get("methods", [])}
    out: dict[str, int] = {}
    for m in [*result["methods"], *result["automatic"]]:
        amount = m["contributions"].get("payments", 0)
        if amount:
            label = labels.get(str(m["method_id"]), str(m["method_id"]))
            out[label] = out.get(label, 0) + amount
    return out


def row_values(payload: Mapping[str, Any]) -> tuple[Figures, dict[str, int]]:
    result = payload_result(payload)
    return (day_figures(result, payload["input"]["day"]),
            method_mix(result, payload["input"].get("settings", {})))


def store(day: Day, payload: Mapping[str, Any]) -> None:
    """Write (or replace) the totals row of a day just sealed with `payload`. A day not yet stored
    (the demo history) cannot have a row yet: no statement, so nothing is flushed early."""
    figures, mix = row_values(payload)
    if inspect(day).persistent:
        drop(day)
    row = DayTotal(day_id=day.id, company_id=day.company_id, register_id=day.register_id, date=day.date,
                   by_method=mix, **{name: getattr(figures, name) for name in FIELDS if name != "days"})
    db.session.add(row)


def drop(day: Day) -> None:
    """A reopened day has no stored totals until it is sealed again."""
    db.session.execute(db.delete(DayTotal).where(DayTotal.day_id == day.id))


@dataclass(frozen=True)
class OpenDay:
    register_id: int
    date: date
    figures: Figures
    by_method: dict[str, int]
    result: dict[str, Any]
    input: dict[str, Any]


def _open_days(company: Company) -> list[Day]:
    """Every open day of the company, loaded once per request (a report asks for several periods)."""
    cache: dict[int, list[Day]] = g.setdefault("report_open_days", {})
    if company.id not in cache:
        cache[company.id] = list(db.session.execute(
            db.select(Day).where(Day.company_id == company.id, Day.status == "open")
            .options(selectinload(Day.lines), selectinload(Day.flows)).order_by(Day.date, Day.register_id)).scalars())
    return cache[company.id]


def open_day_figures(company: Company, start: date, end: date, register_id: int | None = None) -> list[OpenDay]:
    """The figures of the period's open days, computed from their live rows (provisional; once per request)."""
    days = [d for d in _open_days(company) if start <= d.date <= end
            and (register_id is None or d.register_id == register_id)]
    if not days:
        return []
    computed: dict[str, OpenDay] = g.setdefault("report_open_figures", {})
    catalog: Catalog | None = None
    out = []
    for day in days:
        if day.id not in computed:
            catalog = catalog or Catalog.load(company.id)
            inp = day_input(company, catalog.registers[day.register_id], day.date, day, catalog)
            result = compute_day(inp).as_dict()
            as_dict = day_input_to_dict(inp)
            figures = day_figures(result, as_dict["day"])
            mix = method_mix(result, as_dict["settings"])
            computed[day.id] = OpenDay(day.register_id, day.date, figures, mix, result, as_dict)
        out.append(computed[day.id])
    return out


def rebuild(company: Company) -> int:
    """Recompute the totals rows of every closed day of the company from its sealed payloads; the count."""
    from server.services.export_source import sealed_payloads

    db.session.execute(db.delete(DayTotal).where(DayTotal.company_id == company.id))
    ids = {(d.register_id, d.date): d for d in db.session.execute(
        db.select(Day).where(Day.company_id == company.id, Day.status == "closed")).scalars()}
    count = 0
    for payload in sealed_payloads(company, date(1900, 1, 1), date(9999, 12, 31)):
        meta = payload["meta"]
        day = ids.get((meta["register"]["id"], date.fromisoformat(meta["date"])))
        if day is not None:
            store(day, payload)
            count += 1
    return count
