"""The one unit of work of every write: lock the company, run, write the audit, commit once.

    result = uow.run(lambda work: ..., company_id=company.id, user=user)

`run` locks the company's version row (`versioning.lock_company`: FOR UPDATE on PostgreSQL; SQLite
transactions begin IMMEDIATE), calls the function with a `Work` (the locked company and `work.record`
for the audit), commits once and returns its result. A serialization failure or deadlock
(40001 / 40P01) rolls everything back and runs the function again after a short random pause, up to
`RETRIES` times; any other
database failure raises `DatabaseUnavailable` (answered 503, nothing saved). Any exception rolls back.

A `run` inside a `run` (a rejection resolved with « mine » re-applies the device's mutation) joins the
outer unit: one transaction, one commit. Nothing else in server/ commits.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy.exc import DBAPIError, OperationalError

import sync
from server.extensions import SQLITE_READING, db
from server.models import AuditEntry, Company, User
from server.models.audit import utc_now
from server.services import audit
from server.services.versioning import lock_company

log = logging.getLogger(__name__)
RETRIES = 3
SERIALIZATION_FAILURES = {"40001", "40P01"}  # serialization failure, deadlock detected
ACTIVE = "caisse.unit_of_work"  # key of the running Work in db.session.info
T = TypeVar("T")


class DatabaseUnavailable(sync.TemporaryFailure):
    """The database failed (down, locked, serialization after the retries): rolled back; answer 503."""


@dataclass
class Work:
    """What a unit of work gives its function: the locked company (None for user-level writes), who writes."""

    company: Company | None
    user_id: int | None
    device_id: str = ""
    at: datetime = field(default_factory=utc_now)
    attempt: int = 0

    @property
    def locked(self) -> Company:
        """The locked company (the unit was opened with a company_id)."""
        assert self.company is not None, "this unit of work locks no company"
        return self.company

    def record(self, action: str, entity: str, entity_id: object = "", *, before: Any = None, after: Any = None,
               company_id: int | None = None, mutation_id: int | None = None, device_id: str | None = None,
               user_id: int | None = None) -> AuditEntry:
        """Add an audit row to this unit (by default: its company, user and device)."""
        return audit.record(
            action, entity, entity_id, before=before, after=after, at=self.at, mutation_id=mutation_id,
            company_id=company_id if company_id is not None else (self.company.id if self.company else None),
            user_id=user_id if user_id is not None else self.user_id,
            device_id=self.device_id if device_id is None else device_id,
        )


def current() -> Work | None:
    """The unit of work running in this session, if any."""
    work = db.session.info.get(ACTIVE)
    return work if isinstance(work, Work) else None


def is_serialization_failure(exc: DBAPIError) -> bool:
    return getattr(exc.orig, "sqlstate", None) in SERIALIZATION_FAILURES


@contextmanager
def unit(company_id: int | None = None, *, user: User | None = None, device_id: str = "",
         attempt: int = 0) -> Iterator[Work]:
    """One attempt: lock, yield the Work, commit (or roll back on any exception). No retry: see `run`."""
    outer = current()
    if outer is not None:
        if company_id is not None and (outer.company is None or outer.company.id != company_id):
            raise RuntimeError("a unit of work cannot nest another company's")
        yield outer
        return
    try:
        company = lock_company(company_id) if company_id is not None else None
        work = Work(company, user.id if user is not None else None, device_id, attempt=attempt)
        db.session.info[ACTIVE] = work
        yield work
        db.session.info.pop(ACTIVE, None)
        db.session.commit()
    except BaseException:
        db.session.info.pop(ACTIVE, None)
        db.session.rollback()
        raise


def run(fn: Callable[[Work], T], company_id: int | None = None, *, user: User | None = None,
        device_id: str = "") -> T:
    """Run `fn` in one unit of work, retrying serialization failures; return its result."""
    if current() is not None:
        with unit(company_id, user=user, device_id=device_id) as work:
            return fn(work)
    for attempt in range(RETRIES + 1):
        try:
            with unit(company_id, user=user, device_id=device_id, attempt=attempt) as work:
                return fn(work)
        except OperationalError as exc:
            if is_serialization_failure(exc) and attempt < RETRIES:
                log.info("unit of work (company %s, device %r): serialization failure, retry %d",
                         company_id, device_id, attempt + 1)
                time.sleep(random.uniform(0.005, 0.02) * (attempt + 1))  # let the other transaction finish
                continue
            log.warning("unit of work (company %s): database unavailable (%s)", company_id,
                        exc.__class__.__name__)
            raise DatabaseUnavailable("Base de données momentanément indisponible, réessayez.") from exc
    raise AssertionError("unreachable")


def end_reading() -> None:
    """On SQLite, end the request's reading transaction (nothing pending) so that CPU work before the next
    unit of work does not hold the database's write lock.

    SQLite transactions begin IMMEDIATE (extensions.configure_engine): the write lock is taken at a
    request's first statement, the caller's session lookup. A push then parsed and checked its 100
    mutations (webargs, sync's checks) while every other writer waited. Called between the reading
    steps of a push and its unit of work; the next statement begins a new transaction, which the unit of
    work then holds to its commit. Objects already read stay loaded (they are re-read under the lock where
    it matters: `lock_company`, the read ahead's `still_current`). PostgreSQL: nothing to do, its company lock
    is taken by the unit of work only. Never inside a unit of work, never with a write pending."""
    session = db.session()
    if session.get_bind().dialect.name != "sqlite" or current() is not None or not session.in_transaction():
        return
    if session.new or session.dirty or session.deleted:
        return
    keep, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = keep


@contextmanager
def reading() -> Iterator[None]:
    """SQLite: run the block's statements in a DEFERRED transaction, ended on leaving it (objects stay loaded).

    Every other SQLite transaction begins IMMEDIATE, so every statement of any request queued behind every
    writer, and held up every writer: a push's session lookup, device check and read ahead (≈ 9 ms of its
    ≈ 25) were spent holding the database's write lock, and one company's pushes could not overlap at all.
    In WAL mode a DEFERRED transaction reads a snapshot and takes no write lock. For reads that are checked
    again under the lock or need not be (the caller's session, the device's owner, a push's read ahead,
    whose `still_current` re-reads the versions in the unit of work). The block must not write: a write
    begun in a snapshot older than another writer's commit fails (SQLITE_BUSY_SNAPSHOT); writes go after it.
    Inside a running transaction (a unit of work, or a write pending) the block simply joins it. A block that
    raises rolls its snapshot back.
    PostgreSQL: nothing to do (READ COMMITTED reads take no lock)."""
    session = db.session()
    if session.get_bind().dialect.name != "sqlite" or current() is not None:
        yield
        return
    end_reading()
    deferred = not session.in_transaction()
    token = SQLITE_READING.set(deferred)
    try:
        yield
    except BaseException:
        if deferred:  # no later statement of the request may go on in this snapshot (and write in it)
            session.rollback()
        raise
    finally:
        SQLITE_READING.reset(token)
    end_reading()


def record_export(company_id: int, user: User | None, entity: str, params: dict[str, Any]) -> None:
    """Audit an export (a read that leaves the company, e.g. the accounting export) in its own unit of work;
    inside a running unit it joins it. `params` say what was exported (period, format), never the data."""
    run(lambda work: work.record("export", entity, "", after=params), company_id, user=user)
