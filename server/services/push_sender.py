"""The push sender: takes due notifications from the outbox and delivers them, never inside a request.

`run_once` claims a batch in a short transaction (`FOR UPDATE SKIP LOCKED` on PostgreSQL, so several
`flask --app server push-worker` processes share the outbox; SQLite serialises with BEGIN IMMEDIATE) and
moves each claimed row's `next_attempt_at` forward by a lease: if the worker dies, the row is due again once
the lease ends. HTTP calls then run in a thread pool, each answer recorded as soon as it comes: a push
service that times out delays nothing but its own message, which is retried with exponential backoff.

`start_in_process` runs the same loop in a daemon thread of the web process (the single-machine default,
CAISSE_PUSH_INPROCESS), together with the time-based alert schedule.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask

from server.extensions import db
from server.models import Alert, PushNotification, PushPreference, PushSubscription
from server.models.base import utcnow
from server.services import alerts_queue, webpush

log = logging.getLogger(__name__)


@dataclass
class Tally:
    claimed: int = 0
    delivered: int = 0
    gone: int = 0
    retried: int = 0
    failed: int = 0
    dropped: int = 0
    postponed: int = 0

    def add(self, other: Tally) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Job:
    notification_id: int
    subscription_id: int
    info: dict[str, Any]
    body: str
    urgency: str


@dataclass
class Pending:
    row: PushNotification
    left: set[int] = field(default_factory=set)
    retry: bool = False
    errors: list[str] = field(default_factory=list)


def backoff(app: Flask, attempts: int) -> timedelta:
    """30 s, 60 s, 2 min, … capped (PUSH_RETRY_BASE_SECONDS, PUSH_RETRY_MAX_SECONDS)."""
    base = float(app.config["PUSH_RETRY_BASE_SECONDS"])
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), float(app.config["PUSH_RETRY_MAX_SECONDS"])))


def quiet_until(app: Flask, pref: PushPreference | None, now: datetime) -> datetime | None:
    """The UTC end of the user's quiet hours if `now` (UTC) falls inside them, else None."""
    if pref is None or not pref.quiet_start or not pref.quiet_end or pref.quiet_start == pref.quiet_end:
        return None
    zone = ZoneInfo(app.config["SHOP_TIMEZONE"])
    local = now.replace(tzinfo=ZoneInfo("UTC")).astimezone(zone)
    start, end = time.fromisoformat(pref.quiet_start), time.fromisoformat(pref.quiet_end)
    t = local.time()
    inside = start <= t < end if start < end else (t >= start or t < end)
    if not inside:
        return None
    ends = datetime.combine(local.date(), end, tzinfo=zone)
    if ends <= local:
        ends += timedelta(days=1)
    return ends.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def claim(app: Flask, limit: int) -> list[int]:
    """Take up to `limit` due notifications for this worker (short transaction, committed)."""
    now = utcnow()
    lease = timedelta(seconds=2 * float(app.config["PUSH_TIMEOUT_SECONDS"]) + 60)
    rows = db.session.execute(
        db.select(PushNotification).where(PushNotification.status == "pending",
                                          PushNotification.next_attempt_at <= now)
        .order_by(PushNotification.next_attempt_at, PushNotification.id).limit(limit)
        .with_for_update(skip_locked=True)).scalars().all()
    for row in rows:
        row.next_attempt_at = now + lease
    ids = [row.id for row in rows]
    db.session.commit()
    return ids


def _prepare(app: Flask, ids: list[int], tally: Tally) -> tuple[list[Job], dict[int, Pending]]:
    """Load what each claimed notification needs; settle those that need no HTTP call."""
    now = utcnow()
    jobs: list[Job] = []
    pending: dict[int, Pending] = {}
    for row in db.session.execute(db.select(PushNotification).where(PushNotification.id.in_(ids))).scalars():
        alert = db.session.get(Alert, row.alert_id)
        if alert is None or alert.status != "open":
            row.status, row.last_error = "dropped", "alerte close avant l'envoi"
            tally.dropped += 1
            continue
        later = quiet_until(app, db.session.get(PushPreference, row.user_id), now)
        if later is not None:
            row.next_attempt_at = later
            tally.postponed += 1
            continue
        subs = db.session.execute(db.select(PushSubscription).where(
            PushSubscription.user_id == row.user_id).order_by(PushSubscription.id)).scalars().all()
        todo = [s for s in subs if s.id not in (row.delivered_to or [])]
        if not todo:
            row.status = "sent" if row.delivered_to else "dropped"
            row.sent_at = row.sent_at or (now if row.delivered_to else None)
            tally.dropped += 0 if row.delivered_to else 1
            continue
        row.attempts += 1
        body = webpush.encode(webpush.payload(alert))
        urgency = "high" if alert.severity == "error" else "normal"
        pending[row.id] = Pending(row, {s.id for s in todo})
        jobs += [Job(row.id, s.id, webpush.subscription_info(s), body, urgency) for s in todo]
    db.session.commit()
    return jobs, pending


def _record(app: Flask, job: Job, outcome: webpush.Outcome, state: Pending, tally: Tally) -> None:
    row, now = state.row, utcnow()
    state.left.discard(job.subscription_id)
    if outcome.result == "delivered":
        row.delivered_to = [*(row.delivered_to or []), job.subscription_id]
        sub = db.session.get(PushSubscription, job.subscription_id)
        if sub is not None:
            sub.last_success_at = now
    elif outcome.result == "gone":
        sub = db.session.get(PushSubscription, job.subscription_id)
        if sub is not None:
            db.session.delete(sub)
        tally.gone += 1
    elif outcome.result == "retry":
        state.retry = True
    if outcome.result != "delivered":
        state.errors.append(outcome.detail)
    if not state.left:
        _finish(app, state, now, tally)
    db.session.commit()


def _finish(app: Flask, state: Pending, now: datetime, tally: Tally) -> None:
    row = state.row
    row.last_error = "; ".join(state.errors)[:500]
    if state.retry and row.attempts < int(app.config["PUSH_MAX_ATTEMPTS"]):
        row.next_attempt_at = now + backoff(app, row.attempts)
        tally.retried += 1
    elif row.delivered_to:
        row.status, row.sent_at = "sent", now
        tally.delivered += 1
    else:
        row.status = "failed"
        tally.failed += 1


def run_once(app: Flask, limit: int | None = None) -> Tally:
    """Evaluate the days queued for ALERT_SETTLE_SECONDS (their new alerts enqueue messages: services.alerts_queue),
    then claim and deliver one batch of messages (inside an app context). Returns what happened."""
    tally = Tally()
    alerts_queue.drain(settled_before=utcnow() - timedelta(seconds=float(app.config["ALERT_SETTLE_SECONDS"])),
                       skip_locked=True)
    ids = claim(app, int(limit or app.config["PUSH_BATCH"]))
    tally.claimed = len(ids)
    if not ids:
        return tally
    jobs, pending = _prepare(app, ids, tally)
    if not jobs:
        return tally
    key, subject = webpush.vapid(app), str(app.config["VAPID_SUBJECT"])
    ttl, timeout = int(app.config["PUSH_TTL_SECONDS"]), float(app.config["PUSH_TIMEOUT_SECONDS"])
    with ThreadPoolExecutor(max_workers=int(app.config["PUSH_CONCURRENCY"])) as pool:
        futures = {pool.submit(webpush.deliver, j.info, j.body, key, subject, ttl, timeout, j.urgency): j
                   for j in jobs}
        for future in as_completed(futures):
            job = futures[future]
            _record(app, job, future.result(), pending[job.notification_id], tally)
    return tally


def drain(app: Flask, rounds: int = 20) -> Tally:
    """Run batches until nothing is due (tests, `push-worker --once`)."""
    total = Tally()
    for _ in range(rounds):
        tally = run_once(app)
        total.add(tally)
        if not tally.claimed:
            break
    return total


# -- the loop ----------------------------------------------------------------------------------------
def is_leader(app: Flask) -> bool:
    """In-process mode: one sender per database works, the one holding instance/push-sender-<db>.lock (the
    other gunicorn workers' threads wait, and take over if its process dies)."""
    if app.extensions.get("caisse_push_lock") is not None:
        return True
    os.makedirs(app.instance_path, exist_ok=True)
    database = hashlib.sha256(str(app.config["SQLALCHEMY_DATABASE_URI"]).encode()).hexdigest()[:12]
    fd = os.open(os.path.join(app.instance_path, f"push-sender-{database}.lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return False
    app.extensions["caisse_push_lock"] = fd
    return True


def run_forever(app: Flask, stop: threading.Event, with_schedule: bool = False, single: bool = False) -> None:
    """Deliver until `stop` is set; optionally evaluate the time-based alerts every ALERT_SCHEDULE_SECONDS;
    `single`: work only while this process holds the machine's sender lock (in-process mode)."""
    poll = float(app.config["PUSH_POLL_SECONDS"])
    every = float(app.config["ALERT_SCHEDULE_SECONDS"])
    next_schedule = 0.0
    while not stop.is_set():
        if single and not is_leader(app):
            stop.wait(poll)
            continue
        with app.app_context():
            try:
                if with_schedule and utcnow().timestamp() >= next_schedule:
                    from server.services.alerts_schedule import run_schedule

                    run_schedule()
                    next_schedule = utcnow().timestamp() + every
                busy = run_once(app).claimed
            except Exception:  # noqa: BLE001 - the loop outlives a bad batch or a database restart
                log.exception("push sender: batch failed")
                db.session.rollback()
                busy = 0
            finally:
                db.session.remove()
        if not busy:
            stop.wait(poll)


_started: dict[int, threading.Thread] = {}
_lock = threading.Lock()


def start_in_process(app: Flask) -> threading.Thread | None:
    """Start the sender thread once per process (gunicorn workers each get theirs; claims keep them apart)."""
    with _lock:
        pid = os.getpid()
        if pid in _started and _started[pid].is_alive():
            return None
        stop = threading.Event()
        thread = threading.Thread(target=run_forever, args=(app, stop, True, True), name="caisse-push", daemon=True)
        thread.start()
        _started[pid] = thread
        app.extensions["caisse_push_stop"] = stop
        return thread
