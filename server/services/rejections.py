"""Rejected mutations seen by admins: list them with both values, and decide (mine / server).

A decision is stored (who, when, which) and stamps the rejection with a new server version, so the
device that sent the mutation sees it in its next pull. "mine" re-applies the device's mutation
against the current revision through the one write path (`mutations.apply_one`), in the SAME
transaction as the decision: if it is refused again, nothing is stored and the admin is told why.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import sync
from server.errors import ApiError
from server.extensions import db
from server.models import Company, Register, Rejection, User
from server.models.base import utcnow
from server.services import uow
from server.services.access import owned, role_in
from server.services.alerts import refresh_rejection_alerts
from server.services.day_rows import day_state, find_day
from server.services.mutations import apply_one
from server.services.versioning import stamp
from sync import DayState


def listing(company: Company, status: str) -> list[dict[str, Any]]:
    """The company's rejections, newest first, each with the day's current value."""
    query = db.select(Rejection).where(Rejection.company_id == company.id)
    if status == "pending":
        query = query.where(Rejection.resolution.is_(None))
    elif status == "resolved":
        query = query.where(Rejection.resolution.is_not(None))
    rows = db.session.execute(query.order_by(Rejection.id.desc())).scalars()
    return [admin_view(company, row) for row in rows]


def admin_view(company: Company, row: Rejection) -> dict[str, Any]:
    current = current_day(company, row.args)
    shown = current.server_value() if current else None
    columns = ("id", "device_id", "user_id", "mutation_id", "name", "args", "code", "message", "server_value",
               "created_at", "resolution", "resolved_by_id", "resolved_at")
    return {**{name: getattr(row, name) for name in columns}, "current_value": shown}


def current_day(company: Company, args: dict[str, Any]) -> DayState | None:
    """The day a mutation's args name, as it is now (None: not created yet, or not this company's)."""
    register_id = args.get("register_id")
    try:
        on = date.fromisoformat(str(args.get("date")))
    except ValueError:
        return None
    register = db.session.get(Register, register_id) if type(register_id) is int else None
    if register is None or register.company_id != company.id:
        return None
    day = find_day(register.id, on)
    return day_state(day) if day else None


def decide(company: Company, user: User, rejection_id: int, choice: str, new_flow_id: str | None) -> dict[str, Any]:
    """Record the decision and its audit; for "mine", re-apply the mutation as the admin's write, in the
    same unit of work.

    Raises ApiError 404 (not this company's), 403 (not an admin), 409 `resolution_error` (already decided,
    day closed), 409 `rejected_again` (the re-applied value is refused: `reason` and `server_value` say why),
    422 (bad choice), 503 (database unavailable)."""

    def work(unit: uow.Work) -> dict[str, Any]:
        row = owned(company, Rejection, rejection_id)
        db.session.refresh(row)  # decided meanwhile? read again under the lock
        pure = sync.Rejection(row.device_id, row.mutation_id, row.name, row.args, row.code, row.message,
                              row.server_value, row.user_id, resolution=row.resolution)
        flow_id = new_flow_id
        if row.code == "duplicate_flow" and choice == "mine":
            flow_id = new_flow_id or str(uuid.uuid4())
        try:
            decided = sync.resolve(pure, choice, actor=sync.Actor(user.id, role_in(user, company) or ""),
                                   now=utcnow().isoformat(), current=current_day(company, row.args),
                                   new_flow_id=flow_id)
        except sync.ProtocolError as exc:
            raise ApiError(exc.status, exc.message, errors={exc.field: [exc.message]} if exc.field else {},
                           code=exc.code) from exc
        row.resolution, row.resolved_by_id, row.resolved_at = choice, user.id, utcnow()
        stamp(unit.locked, row)
        unit.record("resolve", "rejection", row.id, before={"resolution": None},
                    after={"resolution": choice, "reapplied": decided.reapply is not None})
        refresh_rejection_alerts(company)  # the decision closes its alert (issue 14)
        if decided.reapply is not None:
            reapply(company, user, *decided.reapply)
        return admin_view(company, row)

    try:
        return uow.run(work, company.id, user=user)
    except uow.DatabaseUnavailable as exc:
        raise ApiError(503, code="temporary_failure") from exc


def reapply(company: Company, user: User, name: str, args: dict[str, Any]) -> None:
    """Apply the admin's "mine" through the one write path, inside the decision's unit of work."""
    try:
        apply_one(company, user, name, args)
    except ApiError as exc:
        if exc.status == 503:
            raise
        raise ApiError(409, f"Votre valeur est de nouveau refusée : {exc.message}", errors=exc.errors,
                       code="rejected_again", extra={"reason": exc.code, **exc.extra}) from exc
