"""Guards around a device's push: the device belongs to one user, and no mutation is a poison pill.

Devices bound to users: the first user who pushes with a device id owns it (`DeviceOwner`); anyone else
pushing or pulling with it gets 403 and nothing changes (their mutations would otherwise be counted in
the owner's stream and the owner's next real ones answered `duplicate`, never stored).

Poison pill: a batch that fails with a SERVER error (an unexpected exception, not a validation problem,
not the database being down) is replayed one mutation at a time, each in its own transaction, to find
the culprit. Its failures are counted in `PushFailure`, committed outside the failing transaction.
Below `SYNC_MAX_SERVER_FAILURES` the push answers 500 (the device keeps its outbox and retries); at the
limit the mutation is set aside as a stored rejection `server_error` (« erreur serveur ») that admins
see with the others, the device's last processed id moves past it, and the rest of the batch is
applied. Nothing the device sent is dropped silently: the mutation stays in the rejection, args included.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import current_app
from sqlalchemy.exc import IntegrityError

from server.errors import ApiError
from server.extensions import db
from server.models import DeviceOwner, PushFailure, User
from server.models.base import utcnow
from server.services import uow
from server.services.alerts import refresh_rejection_alerts
from server.services.mutations import apply_batch
from server.services.sql_store import SqlStore
from sync import Mutation, ProtocolError, Stamp, TemporaryFailure
from sync import Rejection as SyncRejection
from sync.changes import MergeResult, MutationResult

log = logging.getLogger(__name__)
SERVER_ERROR = "server_error"
SERVER_ERROR_MESSAGE = ("Erreur serveur : cette saisie n'a pas pu être enregistrée après plusieurs essais. "
                        "Elle est mise de côté pour un administrateur ; rien n'est perdu.")
EXPECTED = (ApiError, ProtocolError, TemporaryFailure)


def check_device(device_id: str, user: User, claim: bool) -> None:
    """403 if another user owns the device; on `claim` (push), the first user becomes its owner."""
    with uow.reading():  # SQLite: read without the write lock; a claim writes after it
        owner = db.session.get(DeviceOwner, device_id)
    if owner is None and claim:
        try:
            db.session.add(DeviceOwner(device_id=device_id, user_id=user.id))
            db.session.commit()
            return
        except IntegrityError:  # another request claimed it meanwhile
            db.session.rollback()
            owner = db.session.get(DeviceOwner, device_id)
    if owner is not None and owner.user_id != user.id:
        raise ApiError(403, "Cet appareil est enregistré au nom d'un autre utilisateur : "
                            "reconnectez-vous pour obtenir un nouvel identifiant d'appareil.", code="device_not_yours")


def push(company_id: int, user: User, device_id: str, mutations: list[Mutation]) -> dict[str, Any]:
    """The push answer (wire dict); see the module docstring for server errors."""
    try:
        return apply_batch(company_id, user, device_id, mutations).to_wire()
    except EXPECTED:
        raise
    except Exception:
        db.session.rollback()
        log.exception("push of device %s (company %s) failed; replaying one mutation at a time",
                      device_id, company_id)
    return _one_by_one(company_id, user, device_id, mutations)


def _one_by_one(company_id: int, user: User, device_id: str, mutations: list[Mutation]) -> dict[str, Any]:
    results: list[dict[str, Any]] = []
    last, gap = 0, None
    for mutation in mutations:
        try:
            result = apply_batch(company_id, user, device_id, [mutation])
        except EXPECTED:
            raise
        except Exception as exc:
            db.session.rollback()
            if _count_failure(company_id, device_id, mutation, exc) < current_app.config["SYNC_MAX_SERVER_FAILURES"]:
                raise
            result = _set_aside(company_id, user, device_id, mutation, exc)
        results += [r.to_wire() for r in result.results]
        last, gap = result.last_mutation_id, result.gap_at
        if gap is not None:
            break
    return {"schema": 1, "last_mutation_id": last, "results": results, "gap_at": gap}


def _count_failure(company_id: int, device_id: str, mutation: Mutation, exc: Exception) -> int:
    """One more server error for this mutation, committed on its own; the count so far."""
    key = (company_id, device_id, mutation.id)
    row = db.session.get(PushFailure, key)
    if row is None:
        row = PushFailure(company_id=company_id, device_id=device_id, mutation_id=mutation.id, failures=0)
        db.session.add(row)
    row.failures += 1
    row.last_error = f"{exc.__class__.__name__}: {exc}"[:2000]
    row.updated_at = utcnow()
    db.session.commit()
    log.warning("mutation %s of device %s: server error %d", mutation.id, device_id, row.failures)
    return row.failures


def _storable(value: Any) -> Any:
    """The args as they can be stored: a lone surrogate (which no database encodes) becomes U+FFFD."""
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    if isinstance(value, dict):
        return {_storable(k): _storable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_storable(v) for v in value]
    return value


def _set_aside(company_id: int, user: User, device_id: str, mutation: Mutation, exc: Exception) -> MergeResult:
    """Store the mutation as a `server_error` rejection and move the device past it, in one unit of work
    (audited, with the rejection's alert for the admins)."""
    server_value = {"error": exc.__class__.__name__}

    def work(unit: uow.Work) -> MergeResult | None:
        store = SqlStore(unit.locked, user, utcnow())
        done = store.get_device_state(device_id)
        if mutation.id <= done:
            result = MutationResult(mutation.id, "duplicate")
            return MergeResult((), (mutation.id,), (), done, None, (result,))
        if mutation.id != done + 1:
            return MergeResult((), (), (), done, done + 1, ())
        now = store.now.isoformat(timespec="seconds") + "Z"
        store.record_rejection(
            SyncRejection(device_id, mutation.id, mutation.name, _storable(mutation.args), SERVER_ERROR,
                          SERVER_ERROR_MESSAGE, server_value, user.id, now),
            Stamp(store.next_server_version(), device_id, mutation.id, user.id, now))
        store.set_last_mutation_id(device_id, mutation.id)
        unit.record("set_aside", "rejection", f"{device_id}/{mutation.id}",
                    after={"name": mutation.name, "code": SERVER_ERROR, **server_value})
        refresh_rejection_alerts(unit.locked)  # an alert for the admins (issue 14)
        return None

    early = uow.run(work, company_id, user=user, device_id=device_id)
    if early is not None:
        return early
    log.error("mutation %s of device %s set aside as %s after repeated server errors", mutation.id, device_id,
              SERVER_ERROR)
    rejected = MutationResult(mutation.id, "rejected", SERVER_ERROR, SERVER_ERROR_MESSAGE, server_value)
    return MergeResult((), (), (rejected,), mutation.id, None, (rejected,))
