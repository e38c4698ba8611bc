"""Activation codes handed out by the firm, members and personal tokens (logins: services/login.py)."""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app

from server.auth import token_digest
from server.errors import ApiError
from server.extensions import db
from server.models import ApiToken, Company, Membership, User
from server.models.base import utcnow
from server.services import sessions
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
    """Set the password of the user holding this activation code (single use)."""
    user = db.session.execute(db.select(User).where(User.email == email.strip().lower())).scalar_one_or_none()
    valid = (
        user is not None
        and user.activation_expires_at is not None
        and user.activation_expires_at > utcnow()
        and verify_secret(user.activation_code_hash, normalise_code(code))
    )
    if not valid or user is None:
        raise ApiError(422, errors={"code": ["Code d'activation invalide ou expiré."]})
    set_password(user, password)
    user.activation_code_hash = None
    user.activation_expires_at = None
    db.session.commit()
    return user


def set_password(user: User, password: str, field: str = "password") -> None:
    """Set a password that passes the policy (422 naming `password` otherwise); every session of the
    user ends (not committed)."""
    problems = password_problems(password, user.email)
    if problems:
        raise ApiError(422, errors={field: problems})
    user.password_hash = hash_secret(password)
    sessions.revoke_all(user.id)


def add_member(company: Company, email: str, name: str, role: str) -> tuple[User, str | None]:
    """Give `email` a role in the company; a new user gets an activation code to hand over."""
    email = email.strip().lower()
    user = db.session.execute(db.select(User).where(User.email == email)).scalar_one_or_none()
    code = None
    if user is None:
        user = User(email=email, name=name)
        db.session.add(user)
        code = issue_activation_code(user)
        db.session.flush()
    exists = db.session.execute(
        db.select(Membership).where(Membership.user_id == user.id, Membership.company_id == company.id)
    ).scalar_one_or_none()
    if exists is not None:
        raise ApiError(409, errors={"email": ["Cet utilisateur a déjà un accès à cette société."]})
    db.session.add(Membership(user_id=user.id, company_id=company.id, role=role))
    db.session.commit()
    return user, code


def create_token(user: User, name: str) -> tuple[ApiToken, str]:
    token = "cai_" + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, name=name, prefix=token[:10], token_hash=token_digest(token))
    db.session.add(row)
    db.session.commit()
    return row, token


def revoke_token(user: User, token_id: int) -> None:
    row = db.session.get(ApiToken, token_id)
    if row is None or row.user_id != user.id or row.revoked_at is not None:
        raise ApiError(404)
    row.revoked_at = utcnow()
    db.session.commit()
