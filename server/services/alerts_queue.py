"""The days whose alerts wait for an evaluation, as a table every host can share.

Why a queue: evaluating a day's alerts reads the whole day (every movement, the carried opening, the
rules), so doing it inside each push made a change-set's cost grow with the day (a day holding 2,000
movements pushed at half the rate of an empty one). The write path now only queues the register-day, in
its own transaction (one INSERT … ON CONFLICT DO NOTHING, whatever the size of the change-set); the
evaluation runs once per queued day, however many writes queued it:
- by the background worker (the in-process sender thread or `flask push-worker`), before it delivers the Web
  Push messages the new alerts enqueued, once a day has waited ALERT_SETTLE_SECONDS in the queue (a day being
  typed is evaluated at most that often; a message waits PUSH_DELAY_SECONDS anyway);
- on read: the alert list and summary drain their companies' queued days first, so a person never reads
  alerts older than the last write.
Each day is evaluated in its own unit of work that locks the day's queue row, not the company: several hosts
never evaluate the same day at once, and a company's pushes keep flowing while its days are evaluated (with
the company locked, an evaluation of eight days of 2,000 movements held every push for about 2 s).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import OperationalError

from server.extensions import db
from server.models import AlertRefresh
from server.models.base import utcnow
from server.services import clock, uow
from server.services.alerts import refresh_day_alerts
from server.services.catalog import Catalog
from server.services.day_rows import find_day

log = logging.getLogger(__name__)


def enqueue(company_id: int, days: Iterable[tuple[int, date]]) -> None:
    """Queue register-days of `company_id` (in the caller's transaction); a day already queued stays once."""
    now = utcnow()
    rows = [{"register_id": r, "day_date": d, "company_id": company_id, "queued_at": now} for r, d in set(days)]
    if not rows:
        return
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    db.session.execute(insert(AlertRefresh).on_conflict_do_nothing(), rows)


def pending(company_ids: Iterable[int]) -> list[int]:
    """The companies among `company_ids` with days waiting."""
    ids = list(company_ids)
    if not ids:
        return []
    return list(db.session.execute(db.select(AlertRefresh.company_id).where(
        AlertRefresh.company_id.in_(ids)).distinct()).scalars())


def drain_company(company_id: int, settled_before: datetime | None = None, skip_locked: bool = False) -> int:
    """Evaluate the queued days of one company (those queued before `settled_before`, if given), each day in its
    own unit of work; the number of days.

    No company lock: a day is claimed by locking its queue row (`FOR UPDATE`; the worker passes `skip_locked` and
    leaves a day another host is evaluating, a reader waits for it so that it never reads older alerts). Pushes
    to the company's other days never wait for an evaluation, and one to the day being evaluated waits for
    that day only (its queueing meets the locked row). A fault in the rules is logged and the day dropped: the
    next write queues it again."""
    done = 0
    while uow.run(lambda _unit: _evaluate_next(company_id, settled_before, skip_locked)):
        done += 1
    return done


def _evaluate_next(company_id: int, settled_before: datetime | None, skip_locked: bool) -> bool:
    """Claim the company's next queued day, evaluate it and take it off the queue; False when none is left."""
    query = db.select(AlertRefresh).where(AlertRefresh.company_id == company_id)
    if settled_before is not None:
        query = query.where(AlertRefresh.queued_at <= settled_before)
    row = db.session.execute(query.order_by(AlertRefresh.day_date, AlertRefresh.register_id).limit(1)
                             .with_for_update(skip_locked=skip_locked)).scalar_one_or_none()
    if row is None:
        return False
    day = find_day(row.register_id, row.day_date)
    if day is not None and day.company_id == company_id:
        try:
            with db.session.begin_nested():
                refresh_day_alerts(day, utcnow(), clock.shop_today(), Catalog.load(company_id))
        except OperationalError:
            raise
        except Exception:  # noqa: BLE001 - a bug in one day's evaluation must not stall the queue
            log.exception("alerts: evaluation of register %s on %s failed; the day is dropped from the queue",
                          row.register_id, row.day_date)
    db.session.delete(row)
    return True


def drain(company_ids: Iterable[int] | None = None, limit: int = 100, settled_before: datetime | None = None,
          skip_locked: bool = False) -> int:
    """Evaluate the queued days of `company_ids` (all companies when None, at most `limit` of them), or only
    those queued before `settled_before` (the worker, which also skips the days another host is evaluating)."""
    if company_ids is None:
        query = db.select(AlertRefresh.company_id)
        if settled_before is not None:
            query = query.where(AlertRefresh.queued_at <= settled_before)
        ids = list(db.session.execute(query.distinct().limit(limit)).scalars())
    else:
        ids = pending(company_ids)
    if not ids:
        return 0
    db.session.rollback()  # end the read: each company gets its own unit of work
    return sum(drain_company(cid, settled_before, skip_locked) for cid in ids)
