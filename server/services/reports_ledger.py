"""Customer-credit and gift-voucher summaries of a company at the end of a period.

Detailed mode works from the flows, aggregated in SQL (per customer, per voucher code; voided flows and
their voids excluded); lump mode from the stored day totals (the running balance of the « crédit client » line).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import and_, case, func

from server.extensions import db
from server.models import Company, Customer, Day, Flow
from server.services.reports import period, period_total

CREDIT_KINDS = ("credit_granted", "credit_settled")
VOUCHER_KINDS = ("voucher_sold", "voucher_redeemed", "voucher_expired")
EPOCH = date(1900, 1, 1)


def _active_flows(company: Company, kinds: tuple[str, ...], end: date) -> Any:
    voided = db.select(Flow.voids).where(Flow.company_id == company.id, Flow.kind == "void", Flow.voids.is_not(None))
    return (db.select(Flow).join(Day, Day.id == Flow.day_id)
            .where(Flow.company_id == company.id, Flow.kind.in_(kinds), Day.date <= end, Flow.id.not_in(voided)))


def _per_customer(company: Company, end: date) -> Any:
    """One row per customer: granted, settled, and the oldest unpaid grant date, first in, first out — the first
    date whose grants to date exceed everything settled by `end` (a window sum over the customer's dates)."""
    flows = _active_flows(company, CREDIT_KINDS, end).with_only_columns(
        Flow.customer_id.label("customer_id"), Day.date.label("on"),
        case((Flow.kind == "credit_granted", Flow.amount_cents), else_=0).label("granted"),
        case((Flow.kind == "credit_settled", Flow.amount_cents), else_=0).label("settled")).subquery()
    per_date = (db.select(flows.c.customer_id, flows.c.on, func.sum(flows.c.granted).label("granted"),
                          func.sum(flows.c.settled).label("settled"))
                .group_by(flows.c.customer_id, flows.c.on).subquery())
    customer = per_date.c.customer_id
    running = db.select(
        customer, per_date.c.on, per_date.c.granted,
        func.sum(per_date.c.granted).over(partition_by=customer, order_by=per_date.c.on).label("granted_to_date"),
        func.sum(per_date.c.granted).over(partition_by=customer).label("granted_total"),
        func.sum(per_date.c.settled).over(partition_by=customer).label("settled_total")).subquery()
    unpaid = and_(running.c.granted > 0, running.c.granted_to_date > running.c.settled_total)
    return db.session.execute(db.select(
        running.c.customer_id, func.max(running.c.granted_total).label("granted"),
        func.max(running.c.settled_total).label("settled"),
        func.min(case((unpaid, running.c.on), else_=None)).label("oldest")).group_by(running.c.customer_id)).all()


def credits(company: Company, start: date, end: date) -> dict[str, Any]:
    """Per customer (detailed): granted, settled, balance at `end`, oldest unpaid and its age in days;
    lump mode: the running balance at the end of each day of the period."""
    month = period_total(company, start, end)
    before = period_total(company, EPOCH, end)
    out: dict[str, Any] = {"mode": company.credit_mode, "start": start, "end": end,
                           "granted": month.credit_granted, "settled": month.credit_settled,
                           "balance": before.credit_granted - before.credit_settled, "customers": [], "days": []}
    if company.credit_mode == "detailed":
        names = dict(db.session.execute(db.select(Customer.id, Customer.name)
                                        .where(Customer.company_id == company.id)).all())
        rows = sorted(_per_customer(company, end), key=lambda row: names.get(row.customer_id or 0, ""))
        for customer_id, granted, settled, oldest in rows:
            oldest = date.fromisoformat(oldest) if isinstance(oldest, str) else oldest
            out["customers"].append({
                "customer_id": customer_id, "name": names.get(customer_id or 0, "—"), "granted": int(granted),
                "settled": int(settled), "balance": int(granted) - int(settled), "oldest_unpaid": oldest,
                "age_days": (end - oldest).days if oldest else None})
    else:
        running = out["balance"] - (month.credit_granted - month.credit_settled)
        days = period(company, start, end).by_date
        for on in sorted(days):
            running += days[on].credit_granted - days[on].credit_settled
            out["days"].append({"date": on, "granted": days[on].credit_granted,
                                "settled": days[on].credit_settled, "balance": running})
    return out


def vouchers(company: Company, start: date, end: date) -> dict[str, Any]:
    """Sold, redeemed and expired over the period, outstanding at `end`; by code in detailed mode."""
    month, before = period_total(company, start, end), period_total(company, EPOCH, end)
    out: dict[str, Any] = {
        "start": start, "end": end, "sold": month.vouchers_sold, "redeemed": month.vouchers_redeemed,
        "expired": month.vouchers_expired,
        "outstanding": before.vouchers_sold - before.vouchers_redeemed - before.vouchers_expired, "codes": []}
    if company.credit_mode == "detailed":
        amount = func.sum(Flow.amount_cents)
        rows = db.session.execute(_active_flows(company, VOUCHER_KINDS, end).with_only_columns(
            Flow.code, Flow.kind, amount, func.min(Day.date)).where(Flow.code != "").group_by(Flow.code, Flow.kind)
        ).all()
        codes: dict[str, dict[str, Any]] = {}
        for code, kind, total, first in rows:
            item = codes.setdefault(code, {"code": code, "sold": 0, "redeemed": 0, "expired": 0, "sold_on": None})
            item[kind.removeprefix("voucher_")] = int(total)
            if kind == "voucher_sold":
                item["sold_on"] = first
        for code in sorted(codes):
            item = codes[code]
            item["outstanding"] = item["sold"] - item["redeemed"] - item["expired"]
            out["codes"].append(item)
    return out
