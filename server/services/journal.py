"""The journal of closings: the version-1 day record, and the verification of every chain.

A closed day's record is built by `domain.sealed.sealed_payload` (version 2, since issue 8); the
records sealed before (version 1, no "version" key, `day_record` below) stay in the chains and keep
verifying. `verify` recomputes each register's chain from the stored payloads (a changed payload
breaks its link), then checks every currently closed day against the payload of its latest closing:
a version-1 record is rebuilt from the live tables; a version-2 record's day (amounts, flows, counts)
is compared with the live rows and its frozen result and findings recomputed from its own input.
Either way a changed amount in `day_lines` or `flows` is caught, and a later edit of the settings
(labels, VAT rates, accounts) is not a break.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import selectinload

from domain import (
    GENESIS,
    DomainError,
    canonical_json,
    chain_hash,
    compute_day,
    day_input_to_dict,
    evaluate,
    parse_day_input,
    split_ttc,
    verify_chain,
)
from domain.inputs import id_key
from domain.sealed import day_to_dict
from server.extensions import db
from server.models import Day, Flow, JournalEntry, PeriodClosing, Register

FLOW_IDS = ("method_id", "to_method_id", "customer_id", "supplier_id", "vat_bp", "cheque_count", "voids", "corrects")
FLOW_TEXTS = ("kind", "label", "account", "code", "slip_number", "reason")
PERIOD_NAMES = {"month": "clôture mensuelle", "year": "clôture annuelle"}


def day_record(day: Day) -> dict[str, Any]:
    """The version-1 record of a closed day, in cents (still verified; new closings seal version 2)."""
    by_kind: dict[str, list[Any]] = {"sale": [], "payment": [], "opening": [], "count": []}
    for line in day.lines:
        by_kind[line.kind].append(line)
    sales = [{"category_id": ln.ref_id, "amount": ln.amount_cents, "vat_bp": ln.vat_bp} for ln in by_kind["sale"]]
    splits = [split_ttc(ln.amount_cents, ln.vat_bp or 0) for ln in by_kind["sale"]]
    ttc, ht = sum(ln["amount"] for ln in sales), sum(h for h, _v in splits)
    return {
        "id": day.id, "register_id": day.register_id, "date": day.date.isoformat(),
        "z_number": day.z_number or "", "sales_count": day.sales_count or 0, "comment": day.comment or "",
        "sales": sales,
        "payments": [{"method_id": ln.ref_id, "amount": ln.amount_cents} for ln in by_kind["payment"]],
        "opening": [{"method_id": ln.ref_id, "amount": ln.amount_cents} for ln in by_kind["opening"]],
        "counts": [{"method_id": ln.ref_id, "amount": ln.amount_cents, "grid": ln.grid or None}
                   for ln in by_kind["count"]],
        "flows": [_flow_record(f) for f in day.flows],
        "totals": {"sales_ttc": ttc, "sales_ht": ht, "sales_vat": ttc - ht,
                   "payments": sum(ln.amount_cents for ln in by_kind["payment"])},
    }


def _flow_record(flow: Flow) -> dict[str, Any]:
    """A flow's columns; unset texts read "" (as stored), so a pending row hashes like a stored one."""
    return {"id": flow.id, "amount": flow.amount_cents, "owner": bool(flow.owner),
            **{k: getattr(flow, k) for k in FLOW_IDS}, **{k: getattr(flow, k) or "" for k in FLOW_TEXTS}}


def payload_version(payload: Any) -> int:
    """1 for the first records (no "version" key), else the number they carry."""
    version = payload.get("version", 1) if isinstance(payload, dict) else 0
    return version if isinstance(version, int) and not isinstance(version, bool) else 0


def _sorted_day(day: Mapping[str, Any]) -> dict[str, Any]:
    """A day dict with its lists in id order (the sealed one keeps sales in Z order)."""
    out = dict(day)
    out["sales"] = sorted(day.get("sales", []), key=lambda x: id_key(x.get("category_id")))
    for key in ("payments", "opening", "counts"):
        out[key] = sorted(day.get(key, []), key=lambda x: id_key(x.get("method_id")))
    out["flows"] = sorted(day.get("flows", []), key=lambda x: str(x.get("id")))
    return out


def live_day(day: Day) -> dict[str, Any]:
    """The stored rows of a day in the shape of a sealed record's ``input["day"]``, and its count grids."""
    from server.services.day_input import domain_day  # sql_store imports closing, which imports this module

    return {"day": day_to_dict(domain_day(day, day.date)),
            "grids": {str(ln.ref_id): ln.grid for ln in day.lines if ln.kind == "count" and ln.grid}}


def check_sealed(payload: Mapping[str, Any]) -> bool:
    """A version-2 record agrees with itself: its result and findings follow from its input."""
    try:
        inp = parse_day_input(payload["input"])
        return (day_input_to_dict(inp) == payload["input"] and compute_day(inp).as_dict() == payload["result"]
                and [f.as_dict() for f in evaluate(inp, at_close=True)] == payload["findings"])
    except (DomainError, KeyError, TypeError, ValueError):
        return False


def _same_content(day: Day, entry: JournalEntry) -> bool:
    """Do the live rows of a closed day still say what its latest closing sealed? Version 1 records are
    rebuilt from the rows; version 2 records compare the day (amounts, flows, counts) and check that the
    frozen settings, result and findings agree with each other (later settings edits do not matter)."""
    payload = _parsed(entry.payload)
    version = payload_version(payload)
    if version == 1:
        return canonical_json(day_record(day)) == entry.payload
    if version != 2:
        return False
    live = live_day(day)
    sealed = payload.get("input", {}).get("day") if isinstance(payload.get("input"), dict) else None
    return (isinstance(sealed, dict) and _sorted_day(sealed) == _sorted_day(live["day"])
            and payload.get("grids") == live["grids"] and check_sealed(payload))


def period_record(closing: PeriodClosing) -> dict[str, Any]:
    """What a period closing's own hash covers (chained on the journal's last hash)."""
    return {"register_id": closing.register_id, "kind": closing.kind,
            "period_start": closing.period_start.isoformat(), "period_end": closing.period_end.isoformat(),
            "total_ttc": closing.total_ttc_cents, "total_ht": closing.total_ht_cents,
            "fiscal_year_cumulative": closing.fiscal_year_cumulative_cents,
            "grand_total": closing.grand_total_cents, "last_sequence": closing.last_sequence,
            "last_hash": closing.last_hash}


def period_hash(closing: PeriodClosing) -> str:
    return chain_hash(closing.last_hash or GENESIS, period_record(closing))


@dataclass(frozen=True)
class Problem:
    register_id: int
    register_name: str
    sequence: int | None
    day_date: date | None
    reason: str  # 'chain' | 'content' | 'period'

    def message(self) -> str:
        when = self.day_date.strftime("%d/%m/%Y") if self.day_date else "?"
        if self.reason.startswith("period:"):
            what = PERIOD_NAMES.get(self.reason[7:], "clôture de période")
            return f"Journal altéré : caisse {self.register_name}, {what} du {when}"
        return f"Journal altéré : caisse {self.register_name}, séquence {self.sequence}, journée du {when}"


def _parsed(payload: str) -> Any:
    try:
        return json.loads(payload)
    except ValueError:
        return {"unreadable": payload}


def _register_problems(register: Register, name: str) -> list[Problem]:
    entries = db.session.execute(db.select(JournalEntry).where(JournalEntry.register_id == register.id)
                                 .order_by(JournalEntry.sequence)).scalars().all()
    problems = []

    def problem(entry: JournalEntry | None, reason: str, sequence: int | None = None, on: date | None = None):
        problems.append(Problem(register.id, name, entry.sequence if entry else sequence,
                                entry.day_date if entry else on, reason))

    records = [{"sequence": e.sequence, "day": _parsed(e.payload), "hash": e.hash} for e in entries]
    broken = verify_chain(records)
    if broken is not None:
        problem(entries[broken.index], "chain")
    linked = next((e for i, e in enumerate(entries) if e.prev_hash != (entries[i - 1].hash if i else GENESIS)), None)
    if linked is not None:
        problem(linked, "chain")
    latest = {e.day_id: e for e in entries}
    days = db.session.execute(db.select(Day).where(Day.register_id == register.id, Day.status == "closed")
                              .options(selectinload(Day.lines), selectinload(Day.flows))).scalars()
    for day in days:
        entry = latest.get(day.id)
        if entry is None:
            problem(None, "content", day.sequence, day.date)
        elif not _same_content(day, entry) or day.hash != entry.hash or day.sequence != entry.sequence:
            problem(entry, "content")
    for closing in db.session.execute(db.select(PeriodClosing).where(PeriodClosing.register_id == register.id)
                                      ).scalars():
        if closing.hash != period_hash(closing):
            problem(None, f"period:{closing.kind}", closing.last_sequence, closing.period_start)
    return problems


def verify(register_id: int | None = None) -> list[Problem]:
    """Every broken link, altered closed day or altered period closing; the first one is the first broken day."""
    query = db.select(Register).order_by(Register.company_id, Register.position, Register.id)
    if register_id is not None:
        query = query.where(Register.id == register_id)
    problems = []
    for register in db.session.execute(query).scalars():
        problems += _register_problems(register, f"{register.name} ({register.company.name})")
    return sorted(problems, key=lambda p: (p.register_id, p.sequence or 0, p.reason))


def closed_day_count(register_id: int | None = None) -> int:
    query = db.select(db.func.count(db.distinct(JournalEntry.day_id)))
    if register_id is not None:
        query = query.where(JournalEntry.register_id == register_id)
    return int(db.session.execute(query).scalar() or 0)
