"""Register tokens (issue 15): a till's bearer token, scope `z:write` for one register, created by an admin.

The value is returned once; only its SHA-256 is stored (and never audited). The token is checked by
`server.auth` (401 unknown or revoked); `scope_of` then decides which register it may write.
"""

from __future__ import annotations

import secrets
from typing import Any

from server.auth import REGISTER_TOKEN_PREFIX, token_digest
from server.errors import ApiError
from server.extensions import db
from server.models import Company, Register, RegisterToken, User
from server.models.base import utcnow
from server.models.till import Z_WRITE
from server.services import uow
from server.services.access import owned


def listing(company: Company) -> list[RegisterToken]:
    """The company's tokens, live first then revoked, newest first (never their value)."""
    return list(db.session.execute(db.select(RegisterToken).where(RegisterToken.company_id == company.id)
                                   .order_by(RegisterToken.revoked_at.is_not(None), RegisterToken.id.desc()))
                .scalars())


def create(company: Company, user: User, register_id: int, label: str) -> tuple[RegisterToken, str]:
    """A new token for one of the company's registers (404 otherwise); its value is returned once."""
    register = owned(company, Register, register_id)
    token = REGISTER_TOKEN_PREFIX + secrets.token_urlsafe(32)

    def work(unit: uow.Work) -> RegisterToken:
        row = RegisterToken(company_id=company.id, register_id=register.id, label=label, scope=Z_WRITE,
                            prefix=token[:12], token_hash=token_digest(token), created_by_id=user.id)
        db.session.add(row)
        db.session.flush()
        unit.record("create", "register_token", row.id, after=_public(row))
        return row

    return uow.run(work, company.id, user=user), token


def revoke(company: Company, user: User, token_id: int) -> RegisterToken:
    """Revoke a live token of the company (404 otherwise); the till's next call answers 401."""

    def work(unit: uow.Work) -> RegisterToken:
        row = owned(company, RegisterToken, token_id)
        if row.revoked_at is not None:
            raise ApiError(404)
        row.revoked_at = utcnow()
        unit.record("revoke", "register_token", row.id, before={"revoked_at": None},
                    after={"revoked_at": row.revoked_at.isoformat()})
        return row

    return uow.run(work, company.id, user=user)


def scope_of(token: RegisterToken, register_id: int) -> Register:
    """The register the token may write: 404 for a register not of the token's company (or none),
    403 for another register of its company or a token without the `z:write` scope."""
    register = db.session.get(Register, register_id) if 0 < register_id < 2**31 else None
    if register is None or register.company_id != token.company_id:
        raise ApiError(404, "Caisse introuvable.")
    if register.id != token.register_id or token.scope != Z_WRITE:
        raise ApiError(403, "Ce jeton n'est pas celui de cette caisse.")
    return register


def _public(row: RegisterToken) -> dict[str, Any]:
    return {"label": row.label, "register_id": row.register_id, "scope": row.scope, "prefix": row.prefix}
