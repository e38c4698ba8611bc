"""A register's day as the `domain` reads it: settings, the carried opening, the header and the flows."""

from __future__ import annotations

from datetime import date

import domain
from domain import DayInput, Line
from server.extensions import db
from server.models import Company, Day, Register
from server.services.catalog import Catalog
from server.services.day_rows import LINE_KINDS
from server.services.daybook import is_opening_day


def previous_counts(register_id: int, day: date) -> dict[int | str, int]:
    """The counted closing of the register's previous day, per method (the carried opening)."""
    previous = db.session.execute(db.select(Day).where(Day.register_id == register_id, Day.date < day)
                                  .order_by(Day.date.desc()).limit(1)).scalar_one_or_none()
    return {} if previous is None else {ln.ref_id: ln.amount_cents for ln in previous.lines if ln.kind == "count"}


def domain_day(day: Day | None, on: date) -> domain.Day:
    if day is None:
        return domain.Day(date=on.isoformat())
    lines = {key: tuple(Line(ln.ref_id, ln.amount_cents) for ln in day.lines if ln.kind == kind)
             for key, kind in LINE_KINDS.items()}
    flows = tuple(domain.Flow(
        id=f.id, kind=f.kind, amount=f.amount_cents, method_id=f.method_id, to_method_id=f.to_method_id,
        customer_id=f.customer_id, supplier_id=f.supplier_id, code=f.code or None, voids=f.voids, corrects=f.corrects,
        vat_bp=f.vat_bp, account=f.account or None, label=f.label or "", reason=f.reason or "", owner=bool(f.owner),
    ) for f in day.flows)
    return domain.Day(on.isoformat(), day.z_number, day.sales_count, comment=day.comment, flows=flows, **lines)


def day_input(company: Company, register: Register, on: date, day: Day | None = None,
              catalog: Catalog | None = None) -> DayInput:
    """The `domain` input of a register's day: settings, previous counted closing, header and flows."""
    catalog = catalog or Catalog.load(company.id)
    settings = catalog.settings(company, register, is_opening_day(company, on))
    return DayInput(settings, domain_day(day, on), previous_counts(register.id, on))
