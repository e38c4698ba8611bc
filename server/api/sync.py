"""Sync endpoints: devices push batches of mutations and pull what changed (ARCHITECTURE.md, Sync)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any

from flask import current_app, g, jsonify, request
from flask_smorest import Blueprint

from server.api.guards import current_company
from server.auth import current_user
from server.errors import ApiError
from server.schemas.sync import PullRequestSchema, PullResponseSchema, PushRequestSchema, PushResponseSchema
from server.services import pull as pull_service
from server.services import push_guard, uow
from server.services.access import company_for
from sync import ProtocolError, TemporaryFailure, parse_push

MAX_ID = 2**31 - 1
bp = Blueprint("sync", __name__, url_prefix="/api/sync", description="Synchronisation des appareils")


@contextmanager
def sync_errors() -> Iterator[None]:
    """sync's protocol errors as the API error shape (4xx, nothing stored); a temporary failure as 503."""
    try:
        yield
    except ProtocolError as exc:
        raise ApiError(exc.status, exc.message, errors={exc.field: [exc.message]} if exc.field else {},
                       code=exc.code) from exc
    except TemporaryFailure as exc:
        raise ApiError(503, "Base de données momentanément indisponible, réessayez.",
                       code="temporary_failure") from exc


def body_company(view: Callable[..., Any]) -> Callable[..., Any]:
    """Resolve the body's `company_id` for the caller (404 if not theirs) before the body is validated,
    so that access errors win over 422, as on the /companies/<cid> routes. Place it above `@bp.arguments`."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        body = request.get_json(silent=True)
        company_id = body.get("company_id") if isinstance(body, dict) else None
        if isinstance(company_id, int) and not isinstance(company_id, bool):
            if not 1 <= company_id <= MAX_ID:  # beyond the database's INTEGER: no such company
                raise ApiError(404, "Société introuvable.")
            with uow.reading():  # SQLite: no write lock for the check, nor while the body is parsed next
                g.company = company_for(company_id)
        return view(*args, **kwargs)

    return wrapper


@bp.post("/push")
@body_company
@bp.arguments(PushRequestSchema)
@bp.response(200, PushResponseSchema)
@bp.alt_response(403, description="Appareil enregistré au nom d'un autre utilisateur ; rien n'est enregistré.")
@bp.alt_response(409, description="Numéros de mutation non croissants ; rien n'est enregistré.")
@bp.alt_response(503, description="Panne temporaire : rien n'a avancé, renvoyer le lot.")
def push(data):
    """Apply a device's batch in one transaction: duplicates skipped, a gap stops, rejections stored."""
    company_id, user = current_company().id, current_user()  # the id read now: a device's claim commits
    push_guard.check_device(data["device_id"], user, claim=True)
    with sync_errors():
        batch = parse_push(data)
        answer = push_guard.push(company_id, user, batch.device_id, list(batch.mutations))
    # The engine's wire dict is the documented answer (PushResponseSchema): sent as is, not dumped again
    # field by field (100 results: ≈ 1 ms of CPU a push).
    return jsonify(answer)


@bp.post("/pull")
@body_company
@bp.arguments(PullRequestSchema)
@bp.response(200, PullResponseSchema)
def pull(data):
    """The changes since the cookie (one page), the device's last processed mutation and its rejections."""
    company = current_company()
    push_guard.check_device(data["device_id"], current_user(), claim=False)
    limit = data.get("limit") or current_app.config["SYNC_PULL_LIMIT"]
    return pull_service.pull(company, data["device_id"], data["cookie"], limit)
