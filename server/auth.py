"""Who is calling: session cookie (with CSRF header on writes) or personal bearer token."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import Flask, g, request, session

from server.errors import ApiError
from server.extensions import db
from server.models import ApiToken, User
from server.models.base import utcnow

CSRF_HEADER = "X-CSRF-Token"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
CSRF_EXEMPT = {"/api/auth/login", "/api/auth/activate"}
PUBLIC = {"/api/auth/login", "/api/auth/activate", "/api/auth/csrf", "/api/auth/logout", "/api/openapi.json",
          "/api/health"}


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return str(session["csrf"])


def start_session(user: User) -> str:
    session.clear()
    session["uid"] = user.id
    session.permanent = True
    return csrf_token()


def _user_from_bearer(header: str) -> User | None:
    token = header.removeprefix("Bearer ").strip()
    row = db.session.execute(
        db.select(ApiToken).where(ApiToken.token_hash == token_digest(token), ApiToken.revoked_at.is_(None))
    ).scalar_one_or_none()
    if row is None:
        raise ApiError(401, "Jeton d'accès invalide ou révoqué.", code="invalid_token")
    row.last_used_at = utcnow()
    return db.session.get(User, row.user_id)


def load_caller() -> None:
    """Set g.user and g.auth_via; refuse a cookie write without the CSRF header."""
    g.user, g.auth_via = None, None
    if not request.path.startswith("/api"):
        return
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        g.user, g.auth_via = _user_from_bearer(header), "token"
    elif "uid" in session:
        user = db.session.get(User, session["uid"])
        if user is not None and user.is_active:
            g.user, g.auth_via = user, "cookie"
    if g.user is None and request.path not in PUBLIC:
        raise ApiError(401)
    if g.auth_via == "cookie" and request.method in UNSAFE and request.path not in CSRF_EXEMPT:
        sent = request.headers.get(CSRF_HEADER, "")
        if not sent or not hmac.compare_digest(sent, str(session.get("csrf", ""))):
            raise ApiError(403, "Jeton CSRF manquant ou invalide.", code="csrf_failed")


def current_user() -> User:
    """The authenticated user; raises 401 (ApiError) for an anonymous caller."""
    user = g.get("user")
    if user is None:
        raise ApiError(401)
    return user


def init_auth(app: Flask) -> None:
    app.before_request(load_caller)
