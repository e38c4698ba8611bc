"""Logins (throttled), activation codes handed out by the firm, and personal tokens."""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app

from server.auth import token_digest
from server.errors import ApiError
from server.extensions import db
from server.models import ApiToken, LoginThrottle, User
from server.models.base import utcnow
from server.services import uow
from server.services.passwords import hash_secret, new_activation_code, normalise_code, verify_secret

# Verified against when the e-mail is unknown, so both paths cost one Argon2 verification.
_DUMMY_HASH = hash_secret("not-a-password")


def authenticate(email: str, password: str) -> User:
    """The user for these credentials; 429 while locked, 401 on failure (which counts)."""
    email = email.strip().lower()
    throttle = db.session.get(LoginThrottle, email)
    now = utcnow()
    if throttle and throttle.locked_until and throttle.locked_until > now:
        raise ApiError(429, "Trop de tentatives : compte bloqué quelques minutes.")
    user = db.session.execute(db.select(User).where(User.email == email)).scalar_one_or_none()
    ok = verify_secret(user.password_hash if user else _DUMMY_HASH, password) and user is not None
    if ok and user is not None and user.is_active:
        if throttle:
            db.session.delete(throttle)
        db.session.commit()
        return user
    if throttle is None:
        throttle = LoginThrottle(email=email, failures=0)
        db.session.add(throttle)
    throttle.failures += 1
    if throttle.failures >= current_app.config["LOGIN_MAX_FAILURES"]:
        throttle.locked_until = now + timedelta(seconds=current_app.config["LOGIN_LOCK_SECONDS"])
        throttle.failures = 0
    db.session.commit()
    raise ApiError(401, "E-mail ou mot de passe incorrect.", code="invalid_credentials")


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
        user.password_hash = hash_secret(password)
        user.activation_code_hash = None
        user.activation_expires_at = None
        for m in user.memberships:
            unit.record("activate", "user", user.id, company_id=m.company_id, user_id=user.id,
                        before={"activated": False}, after={"activated": True})
        return user

    return uow.run(work, user=user)


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
