"""Stored alerts, raised on the server from the same pure controls as the day screen (`domain.evaluate`).

One condition, one row: `Alert.key` = kind, register, date and method (or the rejection id). Rules:
- a condition present and no row: open an alert, and queue its push notifications in the SAME transaction;
- present and the row closed itself earlier (the condition flapped, e.g. while typing): the row opens again
  (no second push: one notification per alert and user);
- present and a person resolved the row: it stays resolved (their note speaks for that day);
- absent and the row open: it closes itself (`resolved_by_id` None).

Thresholds (above_max, below_min) judge the drawer, so only the register's LATEST day carries them: a newer
day supersedes the threshold alerts of the older ones. Time-based kinds (day_missing, day_left_open) are also
evaluated by `flask --app server alerts run` (services.alerts_schedule).

Nothing here commits: `refresh_day_alerts` runs inside the caller's transaction, with the company locked.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.exc import OperationalError

from domain import DomainError, evaluate
from domain.money import format_fr
from server.extensions import db
from server.models import Alert, Company, Day, Register, Rejection, User
from server.models.base import utcnow
from server.services import clock
from server.services.catalog import Catalog
from server.services.day_input import day_input

log = logging.getLogger(__name__)

FINDING_KINDS = ("breakdown_mismatch", "cash_difference", "above_max", "below_min")
THRESHOLD_KINDS = ("above_max", "below_min")
DAY_KINDS = (*FINDING_KINDS, "day_left_open", "day_missing")
KINDS = (*DAY_KINDS, "sync_rejection")
KIND_LABELS = {
    "breakdown_mismatch": "Ventilation déséquilibrée",
    "cash_difference": "Écart de caisse",
    "above_max": "Espèces au-dessus du plafond",
    "below_min": "Espèces sous le minimum",
    "day_missing": "Journée non saisie",
    "day_left_open": "Journée restée ouverte",
    "sync_rejection": "Modification refusée",
}


@dataclass(frozen=True)
class Condition:
    kind: str
    severity: str
    message: str
    method_id: int | None = None
    amount: int | None = None


def alert_key(kind: str, register_id: int | None, on: date | None, method_id: int | None = None) -> str:
    return f"{kind}:{register_id}:{on.isoformat() if on else '-'}:{'-' if method_id is None else method_id}"


def date_fr(on: date) -> str:
    return on.strftime("%d/%m/%Y")


# -- conditions --------------------------------------------------------------------------------------
def day_conditions(company: Company, register: Register, day: Day, today: date,
                   catalog: Catalog | None = None) -> list[Condition]:
    """The alert-worthy conditions of a stored day: its live findings (thresholds only when it is the
    register's latest day) and « left open » when its date has passed."""
    found: list[Condition] = []
    latest = db.session.execute(db.select(db.func.max(Day.date)).where(Day.register_id == register.id)).scalar()
    try:
        findings = evaluate(day_input(company, register, day.date, day, catalog))
    except DomainError as exc:  # a day the rules cannot read is itself worth a look
        findings = []
        log.warning("alerts: day %s unreadable by the rules: %s", day.id, exc)
    for f in findings:
        if f.kind not in FINDING_KINDS or (f.kind in THRESHOLD_KINDS and latest and day.date < latest):
            continue
        method = f.method_id if isinstance(f.method_id, int) else None
        found.append(Condition(f.kind, f.severity, f.message_fr, method, f.amount))
    if day.status == "open" and day.date < today:
        found.append(Condition("day_left_open", "warning",
                               f"Journée du {date_fr(day.date)} restée ouverte : pensez à la clôturer."))
    return found


# -- the one place rows change -----------------------------------------------------------------------
def _raise(company: Company, register_id: int | None, on: date | None, cond: Condition, key: str,
           existing: Alert | None, now: datetime, rejection_id: int | None = None) -> Alert | None:
    """Open (or keep, or re-open) the alert of a present condition. Returns a NEW alert, else None."""
    if existing is not None:
        if existing.status == "open" or existing.resolved_by_id is not None:
            if existing.status == "open":
                existing.message, existing.amount_cents, existing.severity = cond.message, cond.amount, cond.severity
            return None
        existing.status, existing.resolved_at, existing.resolution_note = "open", None, ""
        existing.message, existing.amount_cents, existing.updated_at = cond.message, cond.amount, now
        return None
    alert = Alert(company_id=company.id, register_id=register_id, day_date=on, kind=cond.kind,
                  severity=cond.severity, key=key, method_id=cond.method_id, amount_cents=cond.amount,
                  message=cond.message, status="open", created_at=now, updated_at=now, rejection_id=rejection_id)
    db.session.add(alert)
    db.session.flush()
    from server.services.webpush import enqueue_for_alert

    enqueue_for_alert(company, alert, now)
    return alert


def _self_close(alert: Alert, now: datetime) -> None:
    if alert.status == "open":
        alert.status, alert.resolved_at, alert.resolved_by_id, alert.updated_at = "closed", now, None, now


def sync_conditions(company: Company, register_id: int | None, on: date | None, present: Mapping[str, Condition],
                    existing: Iterable[Alert], now: datetime) -> list[Alert]:
    """Make the rows of one scope (given as `existing`) agree with the `present` conditions (by key)."""
    rows = {a.key: a for a in existing}
    opened = []
    for key, cond in present.items():
        alert = _raise(company, register_id, on, cond, key, rows.get(key), now)
        if alert is not None:
            opened.append(alert)
    for key, alert in rows.items():
        if key not in present:
            _self_close(alert, now)
    return opened


def _scope(register_id: int, on: date, kinds: Iterable[str]) -> list[Alert]:
    return list(db.session.execute(db.select(Alert).where(
        Alert.register_id == register_id, Alert.day_date == on, Alert.kind.in_(tuple(kinds)))).scalars())


def refresh_day_alerts(day: Day, now: datetime | None = None, today: date | None = None,
                       catalog: Catalog | None = None) -> list[Alert]:
    """Open, update or close the alerts of one stored day after a write; returns the alerts opened.
    Runs inside the caller's transaction (no commit)."""
    now = now or utcnow()
    today = today or clock.shop_today()
    register = db.session.get(Register, day.register_id)
    company = db.session.get(Company, day.company_id)
    assert register is not None and company is not None
    conditions = day_conditions(company, register, day, today, catalog)
    present = {alert_key(c.kind, register.id, day.date, c.method_id): c for c in conditions}
    opened = sync_conditions(company, register.id, day.date, present, _scope(register.id, day.date, DAY_KINDS), now)
    # A newer day carries the drawer: the older days' threshold alerts are superseded.
    for old in db.session.execute(db.select(Alert).where(
            Alert.register_id == register.id, Alert.day_date < day.date, Alert.kind.in_(THRESHOLD_KINDS),
            Alert.status == "open")).scalars():
        _self_close(old, now)
    return opened


def rejection_condition(company: Company, row: Rejection) -> tuple[int | None, date | None, Condition]:
    args = row.args if isinstance(row.args, dict) else {}
    register = db.session.get(Register, args["register_id"]) if type(args.get("register_id")) is int else None
    register_id = register.id if register is not None and register.company_id == company.id else None
    try:
        on: date | None = date.fromisoformat(str(args.get("date")))
    except ValueError:
        on = None
    where = f" (journée du {date_fr(on)})" if on else ""
    message = f"Modification refusée par le serveur{where} : {row.message or row.code}. Décision à prendre."
    return register_id, on, Condition("sync_rejection", "warning", message)


def refresh_rejection_alerts(company: Company, now: datetime | None = None) -> list[Alert]:
    """One open alert per rejection awaiting a decision; closed once decided."""
    now = now or utcnow()
    pending = {r.id: r for r in db.session.execute(db.select(Rejection).where(
        Rejection.company_id == company.id, Rejection.resolution.is_(None))).scalars()}
    rows = {a.rejection_id: a for a in db.session.execute(db.select(Alert).where(
        Alert.company_id == company.id, Alert.kind == "sync_rejection", Alert.status == "open")).scalars()}
    known = set(db.session.execute(db.select(Alert.rejection_id).where(
        Alert.company_id == company.id, Alert.kind == "sync_rejection")).scalars())
    opened = []
    for rid, row in pending.items():
        if rid in known:
            continue
        register_id, on, cond = rejection_condition(company, row)
        alert = _raise(company, register_id, on, cond, f"sync_rejection:{rid}", None, now, rejection_id=rid)
        if alert is not None:
            opened.append(alert)
    for rid, alert in rows.items():
        if rid not in pending:
            _self_close(alert, now)
    return opened


def refresh_after_write(company: Company, written: Iterable[Mapping[str, Any]],
                        catalog: Catalog | None = None, rejected: bool = False) -> None:
    """The hook of the day write path (services.mutations): queue the days the applied mutations named for
    an evaluation outside the write (services.alerts_queue: the cost of a write does not grow with its day)
    and, when the batch stored rejections (`rejected`), refresh the company's rejection alerts now.
    The queueing is one INSERT … ON CONFLICT DO NOTHING (a database outage propagates: the caller answers
    503); the rejection alerts run in a SAVEPOINT, so a fault in their rules is logged and never costs the
    cashier their write."""
    from server.services.alerts_queue import enqueue

    registers = catalog.registers if catalog is not None else None
    days: set[tuple[int, date]] = set()
    for args in written:
        register_id = args.get("register_id")
        if type(register_id) is not int or (registers is not None and register_id not in registers):
            continue
        try:
            days.add((register_id, date.fromisoformat(str(args.get("date")))))
        except ValueError:
            continue
    enqueue(company.id, days)  # one INSERT … ON CONFLICT DO NOTHING: no rule runs here
    if not rejected:
        return
    try:
        with db.session.begin_nested():
            refresh_rejection_alerts(company, utcnow())
    except OperationalError:
        raise
    except Exception:  # noqa: BLE001 - an alert bug must not refuse a cash entry
        log.exception("alerts: refresh after a write of company %s failed", company.id)


# -- people ------------------------------------------------------------------------------------------
def resolve(alert: Alert, user: User, note: str, now: datetime | None = None) -> Alert:
    """A person closes the alert with a note (no commit)."""
    now = now or utcnow()
    alert.status, alert.resolved_at, alert.resolved_by_id = "closed", now, user.id
    alert.resolution_note, alert.updated_at = note, now
    return alert


def alert_title(alert: Alert) -> str:
    register = db.session.get(Register, alert.register_id) if alert.register_id else None
    parts = [KIND_LABELS.get(alert.kind, alert.kind)]
    if register is not None:
        parts.append(register.name)
    if alert.day_date is not None:
        parts.append(date_fr(alert.day_date))
    return " · ".join(parts)


def alert_url(alert: Alert) -> str:
    """Where a click takes the user: the day, else the alert centre."""
    if alert.register_id and alert.day_date:
        return f"/#/day/{alert.register_id}/{alert.day_date.isoformat()}"
    return "/#/alerts"


def amount_text(cents: int | None) -> str | None:
    return None if cents is None else format_fr(cents)
