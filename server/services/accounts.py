"""Activation codes handed out by the firm, and personal tokens (logins: services/login.py)."""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app

from server.auth import token_digest
from server.errors import ApiError
from server.extensions import db
from server.models import ApiToken, User
from server.models.base import utcnow
from server.services import sessions, uow
from server.services.passwords import (
    hash_secret,
    new_activation_code,
    normalise_code,
    password_problems,
    verify_secret,
)


def issue_activation_code(user: User) -> str:
    code = new_activation_code()
    user.activation_code_hash = hash_secret(code)
    user.activation_expires_at = utcnow() + timedelta(days=current_app.config["ACTIVATION_CODE_DAYS"])
    return code


def activate(email: str, code: str, password: str) -> User:
    """Set the password of the user holding this activation code (single use), in one unit of work."""
    user = db.session.execute(db.select(User).where(User.email == email.strip().lower())).scalar_one_or_none()
    valid = (
        user is not None
        and user.activation_expires_at is not None
        and user.activation_expires_at > utcnow()
        and verify_secret(user.activation_code_hash, normalise_code(code))
    )
    if not valid or user is None:
        raise ApiError(422, errors={"code": ["Code d'activation invalide ou expiré."]})

    def work(unit: uow.Work) -> User:
        set_password(user, password)
        user.activation_code_hash = None
        user.activation_expires_at = None
        for m in user.memberships:
            unit.record("activate", "user", user.id, company_id=m.company_id, user_id=user.id,
                        before={"activated": False}, after={"activated": True})
        return user

    return uow.run(work, user=user)


def set_password(user: User, password: str, field: str = "password") -> None:
    """Set a password that passes the policy (422 naming `password` otherwise); every session of the
    user ends (not committed: the caller's unit of work commits)."""
    problems = password_problems(password, user.email)
    if problems:
        raise ApiError(422, errors={field: problems})
    user.password_hash = hash_secret(password)
    sessions.revoke_all(user.id)


def create_token(user: User, name: str) -> tuple[ApiToken, str]:
    """A new personal token; its value is returned once, only its digest is stored (and never audited)."""
    token = "cai_" + secrets.token_urlsafe(32)

    def work(unit: uow.Work) -> ApiToken:
        row = ApiToken(user_id=user.id, name=name, prefix=token[:10], token_hash=token_digest(token))
        db.session.add(row)
        db.session.flush()
        unit.record("create", "token", row.id, after={"name": row.name, "prefix": row.prefix})
        return row

    return uow.run(work, user=user), token


def revoke_token(user: User, token_id: int) -> None:
    def work(unit: uow.Work) -> None:
        row = db.session.get(ApiToken, token_id) if 0 < token_id < 2**31 else None
        if row is None or row.user_id != user.id or row.revoked_at is not None:
            raise ApiError(404)
        row.revoked_at = utcnow()
        unit.record("revoke", "token", row.id, before={"name": row.name, "prefix": row.prefix, "revoked_at": None},
                    after={"revoked_at": row.revoked_at})

    uow.run(work, user=user)
