"""Where exports read from: the sealed payloads of the closed days of a period (DOMAIN.md §4–§5).

A sealed payload of version 2 holds the day, its settings and the chart frozen at closing
(``domain.ledger``). Records sealed before version 2 hold the day only: for them, and only for
them, ``sealed_payloads`` builds the version-2 shape on the fly from the sealed amounts and the
company's CURRENT settings and chart. That fallback is marked ``meta.rebuilt = true``; an export
of such days follows later changes of the chart, which a version-2 payload never does.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from typing import Any

from domain.chart import effective_chart
from server.extensions import db
from server.models import Company, Day, JournalEntry, Register
from server.services.catalog import Catalog
from server.services.day_input import previous_counts

FLOW_KEYS = ("id", "kind", "amount", "method_id", "to_method_id", "customer_id", "supplier_id", "code", "voids",
             "corrects", "vat_bp", "account", "label", "reason", "owner")


def settings_input(catalog: Catalog, company: Company, register: Register,
                   frozen_vat: Mapping[int, int] | None = None) -> dict[str, Any]:
    """The settings in the JSON shape ``parse_day_input`` reads; ``frozen_vat`` = rates sealed per category."""
    frozen = frozen_vat or {}
    methods = sorted(catalog.methods.values(), key=lambda m: (m.position, m.id))
    return {
        "categories": [{"id": c.id, "vat_bp": frozen.get(c.id, c.vat_bp), "position": c.position, "label": c.label,
                        "account": c.revenue_account or None} for c in catalog.categories.values()],
        "methods": [{"id": m.id, "kind": m.kind, "deposit_mode": m.deposit_mode, "label": m.label,
                     "account": m.account or None} for m in methods],
        "customers": [{"id": c.id, "label": c.name, "account": c.account or None}
                      for c in catalog.customers.values()],
        "suppliers": [{"id": s.id, "label": s.name, "account": s.expense_account or None, "vat_bp": s.vat_bp}
                      for s in catalog.suppliers.values()],
        "min_threshold": register.min_threshold_cents, "max_threshold": register.max_threshold_cents,
        "tolerance": company.cash_tolerance_cents or 0,
        "options": {"opt_customer_credit": company.opt_customer_credit, "credit_mode": company.credit_mode,
                    "opt_gift_vouchers": company.opt_gift_vouchers, "opt_cash_expenses": company.opt_cash_expenses,
                    "opt_transfers": company.opt_transfers, "opt_overpayments": company.opt_overpayments},
    }


def company_chart(company: Company) -> dict[str, str]:
    """The chart as it stands now: defaults of the legal form + the company's accounts."""
    return effective_chart(company.legal_form, company.accounts)


def _flow_input(flow: Mapping[str, Any]) -> dict[str, Any]:
    return {k: (None if flow.get(k) == "" and k in ("code", "account") else flow.get(k)) for k in FLOW_KEYS}


def v2_from_record(record: Mapping[str, Any], *, company: Company, register: Register, catalog: Catalog,
                   previous: Mapping[int | str, int], sequence: int, closed_at: str, closed_by: int | None
                   ) -> dict[str, Any]:
    """A version-1 day record (services.journal.day_record) + the current settings → the version-2 shape."""
    frozen_vat = {s["category_id"]: s["vat_bp"] for s in record["sales"] if s.get("vat_bp") is not None}
    day = {
        "z_number": record["z_number"], "sales_count": record["sales_count"], "comment": record["comment"],
        "sales": [{"category_id": s["category_id"], "amount": s["amount"]} for s in record["sales"]],
        "payments": record["payments"], "opening": record["opening"],
        "counts": [{"method_id": c["method_id"], "amount": c["amount"]} for c in record["counts"]],
        "flows": [_flow_input(f) for f in record["flows"]],
    }
    return {
        "version": 2,
        "input": {"settings": settings_input(catalog, company, register, frozen_vat),
                  "previous_counts": {str(k): v for k, v in previous.items()}, "day": day},
        "chart": company_chart(company),
        "meta": {"company": {"id": company.id, "name": company.name, "siren": company.siren,
                             "legal_form": company.legal_form},
                 "register": {"id": register.id, "name": register.name}, "date": record["date"],
                 "z_number": record["z_number"], "sequence": sequence, "closed_at": closed_at,
                 "closed_by": closed_by, "rebuilt": True},
    }


def _iso(moment: Any) -> str:
    return moment.isoformat(timespec="seconds") + "Z"


def latest_entries(company: Company, start: date, end: date) -> list[tuple[JournalEntry, date, int | None]]:
    """(latest journal entry, day date, closer) of every currently closed day of the period, by register
    then date (the day's columns only: its JSON columns are not needed here)."""
    rows = db.session.execute(
        db.select(JournalEntry, Day.id, Day.date, Day.closed_by_id).join(Day, Day.id == JournalEntry.day_id)
        .where(Day.company_id == company.id, Day.status == "closed", Day.date.between(start, end))
        .order_by(JournalEntry.register_id, JournalEntry.sequence)).all()
    latest: dict[str, tuple[JournalEntry, date, int | None]] = {}
    for entry, day_id, on, closed_by in rows:
        latest[day_id] = (entry, on, closed_by)
    return sorted(latest.values(), key=lambda item: (item[0].register_id, item[1]))


def sealed_payloads(company: Company, start: date, end: date) -> list[dict[str, Any]]:
    """The version-2 payloads of the period's closed days (see the module's note on the fallback)."""
    catalog: Catalog | None = None
    out: list[dict[str, Any]] = []
    carried: dict[int, dict[int | str, int]] = {}  # register → counts of its previous closed day
    for entry, on, closed_by in latest_entries(company, start, end):
        payload = json.loads(entry.payload)
        if payload.get("version") != 2:  # FALLBACK for records sealed before version 2
            catalog = catalog or Catalog.load(company.id)
            register = catalog.registers[entry.register_id]
            previous = carried.get(register.id)
            if previous is None:
                previous = previous_counts(register.id, on)
            payload = v2_from_record(payload, company=company, register=register, catalog=catalog,
                                     previous=previous, sequence=entry.sequence, closed_at=_iso(entry.closed_at),
                                     closed_by=closed_by)
        counts = payload["input"]["day"].get("counts") or []
        carried[entry.register_id] = {c["method_id"]: c["amount"] for c in counts}
        out.append(payload)
    return out


def open_days(company: Company, start: date, end: date) -> list[tuple[str, date]]:
    """(register name, date) of every day of the period still open."""
    rows = db.session.execute(
        db.select(Register.name, Day.date).join(Register, Register.id == Day.register_id)
        .where(Day.company_id == company.id, Day.status == "open", Day.date.between(start, end))
        .order_by(Day.date, Register.position, Register.id)).all()
    return [(name, on) for name, on in rows]
