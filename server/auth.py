"""Who is calling: session cookie (with CSRF header on writes) or personal bearer token.

The cookie holds only a random token; the session lives in the database (`server.services.sessions`),
so logging out, changing the password or « Se déconnecter de partout » really ends it.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import timedelta

from flask import Flask, Response, current_app, g, request
from sqlalchemy.orm import joinedload

from server.errors import ApiError
from server.extensions import db
from server.models import ApiToken, RegisterToken, User, UserSession
from server.models.base import utcnow
from server.services import sessions, uow
from server.services.login import KNOWN_COOKIE, KNOWN_DAYS

CSRF_HEADER = "X-CSRF-Token"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
CSRF_EXEMPT = {"/api/auth/login", "/api/auth/activate"}
REGISTER_TOKEN_PREFIX = "creg_"  # a till's token (services/till_tokens.py), accepted on TILL_PATH only
TILL_PATH = re.compile(r"/api/registers/[^/]+/z-reports")
PUBLIC = {"/api/auth/login", "/api/auth/activate", "/api/auth/csrf", "/api/auth/logout", "/api/openapi.json",
          "/api/health"}


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def csrf_token() -> str | None:
    """The CSRF token of the current cookie session (None without one)."""
    row = g.get("session_row")
    return row.csrf_token if row is not None else None


def current_session() -> UserSession | None:
    return g.get("session_row")


def start_session(user: User) -> str:
    """Open a server-side session for `user` (the cookie is set on the answer) and return its CSRF token."""
    old = g.get("session_row")
    if old is not None:
        sessions.revoke(old)
    row, token = sessions.create(user, request.headers.get("User-Agent", ""))
    db.session.commit()
    g.session_row, g.set_cookie = row, token
    return row.csrf_token


def end_session() -> None:
    """Revoke the current cookie session (if any) and clear the cookie."""
    row = g.get("session_row")
    if row is not None:
        sessions.revoke(row)
        db.session.commit()
    g.session_row, g.clear_cookie = None, True


def _user_from_bearer(header: str) -> User | None:
    token = header.removeprefix("Bearer ").strip()
    row = db.session.execute(
        db.select(ApiToken).where(ApiToken.token_hash == token_digest(token), ApiToken.revoked_at.is_(None))
    ).scalar_one_or_none()
    if row is None:
        raise ApiError(401, "Jeton d'accès invalide ou révoqué.", code="invalid_token")
    row.last_used_at = utcnow()
    return db.session.get(User, row.user_id)


def _register_token(header: str) -> RegisterToken:
    """The live register token of the header (401 unknown or revoked, 403 outside the till's endpoint)."""
    token = header.removeprefix("Bearer ").strip()
    row = db.session.execute(db.select(RegisterToken).where(
        RegisterToken.token_hash == token_digest(token), RegisterToken.revoked_at.is_(None))).scalar_one_or_none()
    if row is None:
        raise ApiError(401, "Jeton de caisse invalide ou révoqué.", code="invalid_token")
    if not TILL_PATH.fullmatch(request.path):
        raise ApiError(403, "Un jeton de caisse ne sert qu'à envoyer des tickets Z.")
    return row


def current_register_token() -> RegisterToken:
    """The register token of the call (401 when the caller did not send one)."""
    row = g.get("register_token")
    if row is None:
        raise ApiError(401, "Jeton de caisse attendu (Authorization: Bearer creg_…).", code="invalid_token")
    return row


def _user_with_memberships(user_id: int) -> User | None:
    """The user and their memberships in one query (every company-scoped call reads the roles)."""
    query = db.select(User).options(joinedload(User.memberships)).where(User.id == user_id)
    return db.session.execute(query).unique().scalar_one_or_none()


def load_caller() -> None:
    """Set g.user and g.auth_via; refuse a cookie write without the CSRF header."""
    g.user, g.auth_via, g.session_row, g.register_token = None, None, None, None
    if not request.path.startswith("/api"):
        return
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer " + REGISTER_TOKEN_PREFIX):
        g.register_token, g.auth_via = _register_token(header), "register"
        return
    cookie = request.cookies.get(current_app.config["SESSION_COOKIE_NAME"])
    if header.startswith("Bearer "):
        g.user, g.auth_via = _user_from_bearer(header), "token"
    elif cookie:
        with uow.reading():  # SQLite: the lookup takes no write lock; its touch, if due, writes after it
            row = sessions.find(cookie)
            user = _user_with_memberships(row.user_id) if row is not None else None
        if row is not None and user is not None and user.is_active:
            sessions.touch(row)
            g.user, g.auth_via, g.session_row = user, "cookie", row
    if g.user is None and request.path not in PUBLIC:
        raise ApiError(401)
    if g.auth_via == "cookie" and request.method in UNSAFE and request.path not in CSRF_EXEMPT:
        sent = request.headers.get(CSRF_HEADER, "")
        if not sent or not hmac.compare_digest(sent, g.session_row.csrf_token):
            raise ApiError(403, "Jeton CSRF manquant ou invalide.", code="csrf_failed")


def write_cookie(response: Response) -> Response:
    """Set or clear the session cookie decided by the view (HttpOnly, SameSite, Secure over HTTPS)."""
    config = current_app.config
    name = config["SESSION_COOKIE_NAME"]
    secure = bool(config.get("SESSION_COOKIE_SECURE")) or request.is_secure
    if g.get("set_cookie"):
        response.set_cookie(name, g.set_cookie, max_age=timedelta(seconds=config["SESSION_MAX_SECONDS"]),
                            path="/", secure=secure, httponly=True, samesite=config["SESSION_COOKIE_SAMESITE"])
    elif g.get("clear_cookie"):
        response.delete_cookie(name, path="/", secure=secure, httponly=True,
                               samesite=config["SESSION_COOKIE_SAMESITE"])
    if g.get("known_browser"):
        response.set_cookie(KNOWN_COOKIE, g.known_browser, max_age=timedelta(days=KNOWN_DAYS), path="/api/auth",
                            secure=secure, httponly=True, samesite="Strict")
    return response


def current_user() -> User:
    """The authenticated user; raises 401 (ApiError) for an anonymous caller."""
    user = g.get("user")
    if user is None:
        raise ApiError(401)
    return user


def init_auth(app: Flask) -> None:
    app.before_request(load_caller)
    app.after_request(write_cookie)
