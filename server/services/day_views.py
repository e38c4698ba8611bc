"""The day as the REST API reads it: one day with everything computed, the register's list of days,
and what is still outstanding (customer credit, gift vouchers)."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain import can_close, compute_day, evaluate
from server.extensions import db
from server.models import Company, Day, DayEvent, DayLine, Flow, Membership, PaymentMethod, Register, User
from server.services import till_lock
from server.services.calendar import opening_days
from server.services.catalog import Catalog
from server.services.day_input import day_input
from server.services.day_rows import find_day, flow_data


def day_view(company: Company, register: Register, on: date) -> dict[str, Any]:
    """A day with everything computed (cents): header, flows, totals per VAT rate, expected balances,
    opening differences, live findings, outstanding customer credit and vouchers. An absent day reads empty."""
    catalog = Catalog.load(company.id)
    day = find_day(register.id, on)
    inp = day_input(company, register, on, day, catalog)
    result = compute_day(inp)
    at_close = evaluate(inp, at_close=True)
    view: dict[str, Any] = {
        "id": None, "register_id": register.id, "date": on, "status": "open", "revision": 0, "sequence": None,
        "hash": None, "closed_at": None, "field_versions": {}, "z_number": "", "sales_count": 0, "comment": "",
        "flows": [], "events": [],
        "sales": [{"category_id": c.category.id, "label": c.category.label, "vat_bp": c.category.vat_bp,
                   "amount": c.ttc, "ht": c.ht, "vat": c.vat} for c in result.categories],
        "payments": [{"method_id": ln.ref, "amount": ln.amount} for ln in inp.day.payments],
        "opening": [{"method_id": ln.ref, "amount": ln.amount} for ln in inp.day.opening],
        "totals": dict(result.totals.__dict__), "vat_lines": [v.as_dict() for v in result.vat_lines],
        "balances": [b.as_dict() for b in result.manual],
        "takings": [{"method_id": b.method.id, "kind": b.method.kind, "amount": b.takings} for b in result.automatic],
        "findings": [f.as_dict() for f in evaluate(inp)], "can_close": can_close(at_close),
        "credit": {"granted": result.credit.increase, "settled": result.credit.decrease},
        "vouchers": {"sold": result.vouchers.increase, "redeemed": result.vouchers.redeemed,
                     "expired": result.vouchers.expired, "used": result.vouchers.decrease},
        "outstanding": outstanding(company, on),
        "till": till_lock.flag(till_lock.report_of(register.id, on)),  # issue 15: filled by the till?
    }
    if day is not None:
        view.update({name: getattr(day, name) for name in ("id", "status", "revision", "sequence", "hash",
                                                           "closed_at", "field_versions", "z_number",
                                                           "sales_count", "comment")})
        view["counts"] = [{"method_id": ln.ref_id, "amount": ln.amount_cents, "grid": ln.grid}
                          for ln in day.lines if ln.kind == "count"]
        view["flows"] = [{**flow_data(f), "amount": f.amount_cents, "created_at": f.created_at} for f in day.flows]
        events = db.session.execute(db.select(DayEvent).where(DayEvent.day_id == day.id)
                                    .order_by(DayEvent.at, DayEvent.id)).scalars().all()
        names = member_names(company, {e.user_id for e in events if e.user_id is not None})
        view["events"] = [{"kind": e.kind, "user_id": e.user_id, "user_name": names.get(e.user_id or 0),
                           "device_id": e.device_id, "at": e.at, "reason": e.reason} for e in events]
    return view


def member_names(company: Company, user_ids: set[int]) -> dict[int, str]:
    """Display names (name, else email) of those users who belong to `company` (a role on it or on its
    firm); a user of another company is left out, so the caller reads only names of its own company."""
    if not user_ids:
        return {}
    member = db.or_(Membership.company_id == company.id, Membership.firm_id == company.firm_id)
    rows = db.session.execute(db.select(User.id, User.name, User.email).join(Membership, Membership.user_id == User.id)
                              .where(User.id.in_(user_ids), member).distinct()).all()
    return {uid: (name or email) for uid, name, email in rows}


def outstanding(company: Company, on: date) -> dict[str, Any]:
    """Customer credit and gift vouchers still outstanding at the end of `on`, company-wide."""
    voided = db.select(Flow.voids).where(Flow.company_id == company.id, Flow.kind == "void", Flow.voids.is_not(None))
    rows = db.session.execute(
        db.select(Flow.kind, Flow.customer_id, Flow.code, db.func.sum(Flow.amount_cents)).join(Day)
        .where(Flow.company_id == company.id, Day.date <= on, Flow.id.not_in(voided),
               Flow.kind.in_(("credit_granted", "credit_settled", "voucher_sold", "voucher_redeemed",
                              "voucher_expired")))
        .group_by(Flow.kind, Flow.customer_id, Flow.code)).all()
    granted: dict[int | None, int] = {}
    settled: dict[int | None, int] = {}
    vouchers: dict[str, int] = {}
    for kind, customer_id, code, amount in rows:
        if kind.startswith("credit_"):
            side = granted if kind == "credit_granted" else settled
            side[customer_id] = side.get(customer_id, 0) + amount
        else:
            vouchers[code] = vouchers.get(code, 0) + (amount if kind == "voucher_sold" else -amount)
    if company.credit_mode == "lump":  # the customer_credit payment lines are the credit granted
        granted = {None: int(db.session.execute(
            db.select(db.func.coalesce(db.func.sum(DayLine.amount_cents), 0)).join(Day)
            .join(PaymentMethod, PaymentMethod.id == DayLine.ref_id)
            .where(Day.company_id == company.id, Day.date <= on, DayLine.kind == "payment",
                   PaymentMethod.kind == "customer_credit")).scalar_one())}
    by_customer = {k: granted.get(k, 0) - settled.get(k, 0) for k in {*granted, *settled} if k is not None}
    return {
        "customer_credit": sum(granted.values()) - sum(settled.values()),
        "by_customer": [{"customer_id": k, "amount": v} for k, v in sorted(by_customer.items()) if v],
        "vouchers": sum(vouchers.values()),
        "by_code": [{"code": k, "amount": v} for k, v in sorted(vouchers.items()) if v],
    }


def day_list(register: Register, start: date | None, end: date | None, today: date) -> dict[str, Any]:
    """The register's days (status and totals) and, for a range, the opening days with no day yet."""
    query = db.select(Day).where(Day.register_id == register.id).order_by(Day.date)
    if start:
        query = query.where(Day.date >= start)
    if end:
        query = query.where(Day.date <= end)
    days = db.session.execute(query).scalars().all()
    sums = dict(((day_id, kind), int(total)) for day_id, kind, total in db.session.execute(
        db.select(DayLine.day_id, DayLine.kind, db.func.sum(DayLine.amount_cents)).join(Day)
        .where(Day.id.in_([d.id for d in days]), DayLine.kind.in_(("sale", "payment")))
        .group_by(DayLine.day_id, DayLine.kind)))
    items = [{"id": d.id, "date": d.date, "status": d.status, "revision": d.revision, "sequence": d.sequence,
              "sales_count": d.sales_count, "sales_ttc": sums.get((d.id, "sale"), 0),
              "payments_total": sums.get((d.id, "payment"), 0)} for d in days]
    missing: list[date] = []
    if start:
        known = {d.date for d in days}
        last = min(end or today, today)
        missing = [d for d in opening_days(register.company, start, last, register) if d not in known]
    return {"days": items, "missing": missing}
