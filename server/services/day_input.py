"""A register's day as the `domain` reads it: settings, the carried opening, the header and the flows."""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_
from sqlalchemy.orm import selectinload

import domain
from domain import DayInput, Line, PreviousDay, Settings
from server.extensions import db
from server.models import Company, Day, DayLine, Flow, Register
from server.services.calendar import is_opening_day
from server.services.catalog import Catalog
from server.services.day_rows import LINE_KINDS


def previous_days(register_id: int, day: date) -> tuple[PreviousDay, ...]:
    """The register's earlier days the carry-over rule needs (DECISIONS.md): the last one with a count,
    and every one still open (each with its counts), oldest first."""
    counted = (db.select(Day.id).join(DayLine, DayLine.day_id == Day.id)
               .where(Day.register_id == register_id, Day.date < day, DayLine.kind == "count")
               .order_by(Day.date.desc()).limit(1).scalar_subquery())
    rows = db.session.execute(db.select(Day).where(
        Day.register_id == register_id, Day.date < day, or_(Day.status == "open", Day.id == counted))
        .order_by(Day.date).options(selectinload(Day.lines))).scalars()
    return tuple(PreviousDay(d.date.isoformat(), d.status == "open",
                             tuple(Line(ln.ref_id, ln.amount_cents) for ln in d.lines if ln.kind == "count"))
                 for d in rows)


def previous_counts(register_id: int, day: date) -> dict[int | str, int]:
    """The opening carried per method: the register's last counted closing (open uncounted days skipped)."""
    return DayInput(Settings(), domain.Day(day.isoformat()), previous_days=previous_days(register_id, day)
                    ).carried_counts()


def voucher_codes(company: Company, day: date) -> dict[str, str] | None:
    """Gift-voucher codes of the company before `day`: "open" once sold, "used" once redeemed or expired;
    None when vouchers are not tracked code by code (option off, or lump mode)."""
    if not company.opt_gift_vouchers or company.credit_mode != "detailed":
        return None
    rows = db.session.execute(
        db.select(Flow.id, Flow.kind, Flow.code, Flow.voids).join(Day, Day.id == Flow.day_id)
        .where(Flow.company_id == company.id, Day.date < day,
               or_(Flow.kind.in_(("voucher_sold", "voucher_redeemed", "voucher_expired")), Flow.kind == "void"))
        .order_by(Day.date, Flow.id)).all()
    voided = {r.voids for r in rows if r.kind == "void"}
    state: dict[str, str] = {}
    for row in rows:
        if row.kind != "void" and row.id not in voided and row.code:
            state[row.code] = "open" if row.kind == "voucher_sold" and row.code not in state else "used"
    return state


def domain_day(day: Day | None, on: date) -> domain.Day:
    if day is None:
        return domain.Day(date=on.isoformat())
    lines = {key: tuple(Line(ln.ref_id, ln.amount_cents) for ln in day.lines if ln.kind == kind)
             for key, kind in LINE_KINDS.items()}
    flows = tuple(domain.Flow(
        id=f.id, kind=f.kind, amount=f.amount_cents, method_id=f.method_id, to_method_id=f.to_method_id,
        customer_id=f.customer_id, supplier_id=f.supplier_id, code=f.code or None, voids=f.voids, corrects=f.corrects,
        vat_bp=f.vat_bp, account=f.account or None, label=f.label or "", reason=f.reason or "", owner=bool(f.owner),
        slip_number=f.slip_number or None, cheque_count=f.cheque_count,
    ) for f in day.flows)
    return domain.Day(on.isoformat(), day.z_number, day.sales_count, comment=day.comment, flows=flows, **lines)


def day_input(company: Company, register: Register, on: date, day: Day | None = None,
              catalog: Catalog | None = None) -> DayInput:
    """The `domain` input of a register's day: settings, the carried opening, voucher codes, header and flows."""
    catalog = catalog or Catalog.load(company.id)
    settings = catalog.settings(company, register, is_opening_day(company, on, register))
    return DayInput(settings, domain_day(day, on), previous_days=previous_days(register.id, on),
                    voucher_codes=voucher_codes(company, on))
