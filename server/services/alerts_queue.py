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
Both take the company's lock first (the same lock as a write: services.uow), so a write and an evaluation
of the same company take turns and several hosts never evaluate the same day twice at once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from server.extensions import db
from server.models import AlertRefresh
from server.models.base import utcnow
from server.services import uow
from server.services.alerts import refresh_day_alerts, shop_now
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


def drain_company(company_id: int, settled_before: datetime | None = None) -> int:
    """Evaluate the queued days of one company (those queued before `settled_before`, if given) in one unit of
    work (its lock held); the number of days. A fault in the rules is logged and its days dropped: the next
    write queues them again."""

    def work(unit: uow.Work) -> int:
        where = [AlertRefresh.company_id == company_id]
        if settled_before is not None:
            where.append(AlertRefresh.queued_at <= settled_before)
        queued = db.session.execute(db.select(AlertRefresh).where(*where)
                                    .order_by(AlertRefresh.day_date)).scalars().all()
        if not queued:
            return 0
        catalog, now, today = Catalog.load(company_id), utcnow(), shop_now().date()
        for row in queued:
            day = find_day(row.register_id, row.day_date)
            if day is not None and day.company_id == company_id:
                refresh_day_alerts(day, now, today, catalog)
            db.session.delete(row)
        return len(queued)

    try:
        return uow.run(work, company_id)
    except uow.DatabaseUnavailable:
        raise
    except Exception:  # noqa: BLE001 - a bug in one company's evaluation must not stall the queue
        log.exception("alerts: evaluation of company %s failed; its queued days are dropped", company_id)
        uow.run(lambda _w: db.session.execute(db.delete(AlertRefresh).where(
            AlertRefresh.company_id == company_id)), company_id)
        return 0


def drain(company_ids: Iterable[int] | None = None, limit: int = 100, settled_before: datetime | None = None) -> int:
    """Evaluate the queued days of `company_ids` (all companies when None, at most `limit` of them), or only
    those queued before `settled_before` (the worker)."""
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
    return sum(drain_company(cid, settled_before) for cid in ids)
