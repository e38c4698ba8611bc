"""The time-based alerts, for cron (`flask --app server alerts run`) and the in-process schedule.

- day_missing: an opening day of the register (its calendar) with no entry once ALERT_MISSING_DAY_HOUR has
  passed (shop-local), looked for over the last ALERT_LOOKBACK_DAYS days, never before the register's first day;
- day_left_open: a day still open after its date (refresh_day_alerts on every open past day);
- sync_rejection: rejections awaiting a decision.

Idempotent: each company is handled in its own transaction with its version row locked, like a day write,
and alerts are keyed by condition: a second run opens nothing new.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app

from server.extensions import db
from server.models import Alert, Company, Day, Register
from server.models.base import utcnow
from server.services import clock
from server.services.alerts import (
    Condition,
    _raise,
    _self_close,
    alert_key,
    date_fr,
    refresh_day_alerts,
    refresh_rejection_alerts,
)
from server.services.alerts_queue import drain
from server.services.calendar import is_opening_day, opening_days
from server.services.catalog import Catalog
from server.services.versioning import lock_company


@dataclass
class ScheduleResult:
    companies: int = 0
    opened: int = 0


def missing_dates(company: Company, register: Register, local_now: datetime) -> list[date]:
    """Opening days of the register, in the look-back window, that have no day and whose hour has passed."""
    today = local_now.date()
    lookback = int(current_app.config["ALERT_LOOKBACK_DAYS"])
    hour = int(current_app.config["ALERT_MISSING_DAY_HOUR"])
    first = db.session.execute(db.select(db.func.min(Day.date)).where(Day.register_id == register.id)).scalar()
    start = max(today - timedelta(days=lookback), first or today)
    last = today if local_now.hour >= hour else today - timedelta(days=1)
    if last < start:
        return []
    known = set(db.session.execute(db.select(Day.date).where(
        Day.register_id == register.id, Day.date.between(start, last))).scalars())
    return [d for d in opening_days(company, start, last, register) if d not in known]


def missing_condition(on: date) -> Condition:
    return Condition("day_missing", "warning", f"Aucune saisie pour le {date_fr(on)}, jour d'ouverture.")


def run_company(company: Company, local_now: datetime, now: datetime) -> int:
    opened = 0
    today = local_now.date()
    catalog = Catalog.load(company.id)
    for register in company.registers:
        if not register.active:
            continue
        for on in missing_dates(company, register, local_now):
            key = alert_key("day_missing", register.id, on)
            existing = db.session.execute(db.select(Alert).where(Alert.key == key)).scalar_one_or_none()
            opened += _raise(company, register.id, on, missing_condition(on), key, existing, now) is not None
        for alert in db.session.execute(db.select(Alert).where(
                Alert.register_id == register.id, Alert.kind == "day_missing", Alert.status == "open")).scalars():
            on = alert.day_date
            entered = on is not None and db.session.execute(db.select(Day.id).where(
                Day.register_id == register.id, Day.date == on)).first() is not None
            if on is None or entered or not is_opening_day(company, on, register):
                _self_close(alert, now)
        stale = db.select(Alert.day_date).where(Alert.register_id == register.id, Alert.kind == "day_left_open",
                                                Alert.status == "open")
        days = db.session.execute(db.select(Day).where(
            Day.register_id == register.id,
            ((Day.status == "open") & (Day.date < today)) | Day.date.in_(stale))).scalars().all()
        for day in days:
            opened += len(refresh_day_alerts(day, now, today, catalog))
    opened += len(refresh_rejection_alerts(company, now))
    return opened


def run_schedule(local_now: datetime | None = None) -> ScheduleResult:
    """Evaluate the time-based alerts of every company; commits once per company."""
    local_now = local_now or clock.shop_now()
    result = ScheduleResult()
    drain()  # the days written since their last evaluation (cron mode has no worker loop)
    ids = list(db.session.execute(db.select(Company.id).order_by(Company.id)).scalars())
    db.session.rollback()
    for company_id in ids:
        company = lock_company(company_id)
        try:
            result.opened += run_company(company, local_now, utcnow())
            db.session.commit()
        except BaseException:
            db.session.rollback()
            raise
        result.companies += 1
    return result
