"""Closings: seal a day into its register's hash chain, reopen it (journaled), close months and fiscal years.

The record sealed is `domain.sealed.sealed_payload` (version 2): the day with its settings and the chart of
accounts frozen as they stand at closing (`frozen_chart`), its result, its controls and `seal_meta`.

Runs inside the caller's transaction with the company's version row locked, so `max(sequence) + 1`
is gapless per register. A day's journal entries are never changed: a reopened day keeps its entry
and its next close appends a new link.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from domain import (
    DEFAULT_CHART,
    GENESIS,
    ClosedDay,
    DayInput,
    Finding,
    canonical_json,
    chain_hash,
    evaluate,
    period_totals,
    sealed_payload,
)
from server.errors import ApiError
from server.extensions import db
from server.models import Company, Day, DayEvent, JournalEntry, PeriodClosing, Register, User
from server.services import clock, report_totals
from server.services.journal import period_hash

Head = tuple[int, str]  # (last sequence, last hash) of a register's chain


def blocking_findings(inp: DayInput) -> list[Finding]:
    """The findings that forbid closing (domain controls at close)."""
    return [f for f in evaluate(inp, at_close=True) if f.severity == "error"]


def chain_head(register_id: int) -> Head:
    last = db.session.execute(db.select(JournalEntry.sequence, JournalEntry.hash)
                              .where(JournalEntry.register_id == register_id)
                              .order_by(JournalEntry.sequence.desc()).limit(1)).first()
    return (last[0], last[1]) if last else (0, GENESIS)


def frozen_chart(company: Company) -> dict[str, str]:
    """The chart of accounts as it stands now (DEFAULT_CHART overridden by the company's accounts);
    sealed into every closed day so its entries never change with a later edit of the chart."""
    own = {str(k): v for k, v in (company.accounts or {}).items() if isinstance(v, str) and v}
    return {**DEFAULT_CHART, **own}


def seal_meta(day: Day, *, sequence: int, user_id: int | None, device_id: str, at: datetime) -> dict[str, Any]:
    """Who and what a sealed record is about (payload["meta"])."""
    register = db.session.get(Register, day.register_id)
    assert register is not None
    company = register.company
    user = db.session.get(User, user_id) if user_id is not None else None
    return {
        "company": {"id": company.id, "name": company.name, "siren": company.siren, "legal_form": company.legal_form},
        "register": {"id": register.id, "name": register.name}, "day_id": day.id,
        "date": day.date.isoformat(), "z_number": day.z_number or "", "sequence": sequence,
        "closed_at": at.isoformat(timespec="seconds"),
        "closed_by": {"id": user.id, "name": user.name} if user is not None else None, "device_id": device_id,
    }


def seal(day: Day, inp: DayInput, *, user_id: int | None, device_id: str, at: datetime,
         head: Head | None = None) -> JournalEntry:
    """Close `day`: freeze its VAT rates, append its version-2 record (domain.sealed) to the register's
    chain, journal the event. `inp` is the day's domain input as it stands at closing.
    `head` may be passed by a caller that keeps the chain in memory (the demo history)."""
    rates = {c.id: c.vat_bp for c in inp.settings.categories}
    for line in day.lines:
        if line.kind == "sale":
            line.vat_bp = rates[line.ref_id]
    sequence, prev_hash = head or chain_head(day.register_id)
    register = db.session.get(Register, day.register_id)
    assert register is not None
    meta = seal_meta(day, sequence=sequence + 1, user_id=user_id, device_id=device_id, at=at)
    grids = {str(ln.ref_id): ln.grid for ln in day.lines if ln.kind == "count" and ln.grid}
    record = sealed_payload(inp, frozen_chart(register.company), meta, grids=grids)
    digest = chain_hash(prev_hash, record)
    entry = JournalEntry(register_id=day.register_id, sequence=sequence + 1, day_id=day.id, day_date=day.date,
                         closed_at=at, payload=canonical_json(record), prev_hash=prev_hash, hash=digest)
    day.status, day.sequence, day.hash, day.closed_at, day.closed_by_id = "closed", sequence + 1, digest, at, user_id
    db.session.add_all([entry, DayEvent(day_id=day.id, kind="close", user_id=user_id, device_id=device_id, at=at)])
    report_totals.store(day, record)
    return entry


def close_day(day: Day, inp: DayInput, *, user_id: int | None, device_id: str, at: datetime,
              head: Head | None = None) -> JournalEntry:
    """Check the controls, then seal; 422 with the blocking findings."""
    blocking = blocking_findings(inp)
    if blocking:
        raise ApiError(422, "La journée ne peut pas être clôturée.", code="cannot_close",
                       errors={"findings": [f.message_fr for f in blocking]})
    return seal(day, inp, user_id=user_id, device_id=device_id, at=at, head=head)


def reopen(day: Day, *, user_id: int | None, device_id: str, at: datetime, reason: str) -> DayEvent:
    """Open a closed day again; who, when and why go to its events, its journal entry stays."""
    day.status, day.sequence, day.hash, day.closed_at, day.closed_by_id = "open", None, None, None, None
    event = DayEvent(day_id=day.id, kind="reopen", user_id=user_id, device_id=device_id, at=at, reason=reason)
    report_totals.drop(day)
    db.session.add(event)
    return event


# -- periods ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class JournalDay:
    closed: ClosedDay
    ht: int


def journal_days(register_id: int) -> list[JournalDay]:
    """The latest closing of every currently closed day of the register, in sequence order."""
    rows = db.session.execute(
        db.select(JournalEntry).join(Day, Day.id == JournalEntry.day_id)
        .where(JournalEntry.register_id == register_id, Day.status == "closed").order_by(JournalEntry.sequence)
    ).scalars()
    latest: dict[str, JournalDay] = {}
    for entry in rows:
        totals = json.loads(entry.payload)["totals"]
        latest[entry.day_id] = JournalDay(
            ClosedDay(entry.day_date.isoformat(), entry.sequence, entry.hash, totals["sales_ttc"]), totals["sales_ht"])
    return sorted(latest.values(), key=lambda d: d.closed.sequence)


def period_bounds(company: Company, kind: str, start: date) -> tuple[date, date]:
    """First and last day of a month, or of a fiscal year (which starts on its start month's first day)."""
    if kind == "month" and start.day == 1:
        return start, (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    if kind == "year" and start.day == 1 and start.month == company.fiscal_year_start_month:
        return start, start.replace(year=start.year + 1) - timedelta(days=1)
    what = "le 1er d'un mois" if kind == "month" else "le 1er jour de l'exercice"
    raise ApiError(422, errors={"period_start": [f"Une période commence {what}."]})


def close_period(register: Register, kind: str, period_start: date, *, today: date | None = None,
                 days: list[JournalDay] | None = None) -> PeriodClosing:
    """Seal a month or a fiscal year of a register: totals TTC/HT, fiscal-year cumulative, grand total.
    Raises ApiError 422 (bad start, period not over, a day still open) or 409 (already closed)."""
    company = register.company
    start, end = period_bounds(company, kind, period_start)
    if end >= (today or clock.shop_today()):
        raise ApiError(422, errors={"period_start": ["La période n'est pas terminée."]})
    if db.session.execute(db.select(PeriodClosing.id).where(
            PeriodClosing.register_id == register.id, PeriodClosing.kind == kind,
            PeriodClosing.period_start == start)).first():
        raise ApiError(409, "Cette période est déjà clôturée.", code="period_closed")
    still_open = db.session.execute(db.select(Day.date).where(
        Day.register_id == register.id, Day.status == "open", Day.date.between(start, end))
        .order_by(Day.date)).scalars().all()
    if still_open:
        listed = ", ".join(d.strftime("%d/%m/%Y") for d in still_open[:5])
        raise ApiError(422, errors={"period_start": [f"Journées encore ouvertes : {listed}."]})
    days = journal_days(register.id) if days is None else days
    totals = period_totals([d.closed for d in days], start.isoformat(), end.isoformat(),
                           fiscal_year_start_month=company.fiscal_year_start_month)
    closing = PeriodClosing(
        register_id=register.id, kind=kind, period_start=start, period_end=end, total_ttc_cents=totals.period_ttc,
        total_ht_cents=sum(d.ht for d in days if start.isoformat() <= d.closed.date <= end.isoformat()),
        fiscal_year_cumulative_cents=totals.fiscal_year_ttc, grand_total_cents=totals.grand_total,
        last_sequence=totals.last_sequence or 0, last_hash=totals.last_hash or GENESIS)
    closing.hash = period_hash(closing)
    db.session.add(closing)
    return closing


def _periods(company: Company, first: date, today: date) -> list[tuple[str, date]]:
    out, month = [], first.replace(day=1)
    while (month.replace(day=28) + timedelta(days=4)).replace(day=1) <= today:
        out.append(("month", month))
        month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    fm = company.fiscal_year_start_month
    year = date(first.year if first.month >= fm else first.year - 1, fm, 1)
    while year.replace(year=year.year + 1) <= today:
        out.append(("year", year))
        year = year.replace(year=year.year + 1)
    return out


def close_complete_periods(today: date | None = None, register_ids: list[int] | None = None
                           ) -> tuple[list[PeriodClosing], list[tuple[Register, str, date, str]]]:
    """Close every complete month and fiscal year not closed yet; (created, skipped with the reason)."""
    today = today or clock.shop_today()
    query = db.select(Register).order_by(Register.id)
    if register_ids is not None:
        query = query.where(Register.id.in_(register_ids))
    created: list[PeriodClosing] = []
    skipped: list[tuple[Register, str, date, str]] = []
    for register in db.session.execute(query).scalars().all():
        days = journal_days(register.id)
        if not days:
            continue
        done = set(db.session.execute(db.select(PeriodClosing.kind, PeriodClosing.period_start)
                                      .where(PeriodClosing.register_id == register.id)).all())
        for kind, start in _periods(register.company, date.fromisoformat(days[0].closed.date), today):
            if (kind, start) in done:
                continue
            try:
                created.append(close_period(register, kind, start, today=today, days=days))
            except ApiError as exc:
                skipped.append((register, kind, start, "; ".join(sum(exc.errors.values(), [])) or exc.message))
    return created, skipped

