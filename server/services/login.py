"""Logins, throttled so that brute force stays bounded but nobody elsewhere can lock the real user out.

Policy (counters in the database, shared by every gunicorn worker, over a window of
`LOGIN_WINDOW_SECONDS`):
1. per (account, address): after `LOGIN_MAX_FAILURES` failures that address is refused (429) for that
   account during `LOGIN_LOCK_SECONDS`. A wrong password from address X never blocks address Y.
2. per address: after `LOGIN_IP_MAX_FAILURES` failures (any accounts) the address is refused (429) for
   every account during `LOGIN_LOCK_SECONDS` (one machine trying many accounts).
3. per account: after `LOGIN_ACCOUNT_MAX_FAILURES` failures from all addresses together, the account
   accepts a login only from a browser that already logged into it (it holds the signed « known
   browser » cookie set by every successful login); others get 429 until the window ends. A
   distributed attack on one account is thus bounded to that many guesses per window, while the real
   user on their usual browser still logs in.
A successful login clears the (account, address) counter only.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from flask import current_app, g, request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import case, update
from sqlalchemy.exc import IntegrityError

from server.errors import ApiError
from server.extensions import db
from server.models import LoginFailure, User
from server.models.base import utcnow
from server.services.passwords import hash_secret, verify_secret

KNOWN_COOKIE = "caisse_known"
KNOWN_DAYS = 180
# Verified against when the e-mail is unknown, so both paths cost one Argon2 verification.
_DUMMY_HASH = hash_secret("not-a-password")


def _key(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _keys(email: str, address: str) -> dict[str, str]:
    return {"pair": _key(f"pair:{email}|{address}"), "ip": _key(f"ip:{address}"), "account": _key(f"acct:{email}")}


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="caisse-known-browser")


def known_browser_value(user: User) -> str:
    return _serializer().dumps(user.id)


def _known_browser(user: User | None) -> bool:
    value = request.cookies.get(KNOWN_COOKIE)
    if not value or user is None:
        return False
    try:
        return _serializer().loads(value, max_age=KNOWN_DAYS * 86400) == user.id
    except BadSignature:
        return False


def _live(row: LoginFailure | None, window: timedelta, now) -> int:
    return 0 if row is None or row.window_start + window <= now else row.failures


def _check(keys: dict[str, str], user: User | None) -> None:
    config, now = current_app.config, utcnow()
    window = timedelta(seconds=config["LOGIN_WINDOW_SECONDS"])
    rows = {kind: db.session.get(LoginFailure, key) for kind, key in keys.items()}
    for kind in ("pair", "ip"):
        row = rows[kind]
        if row is not None and row.locked_until is not None and row.locked_until > now:
            raise ApiError(429, "Trop de tentatives depuis cette adresse : réessayez dans quelques minutes.")
    if _live(rows["account"], window, now) >= config["LOGIN_ACCOUNT_MAX_FAILURES"] and not _known_browser(user):
        raise ApiError(429, "Trop de tentatives sur ce compte : réessayez plus tard depuis votre appareil habituel.")


def _count_failure(keys: dict[str, str]) -> None:
    """Add one failure to each counter atomically (no lost update between workers), then lock if due."""
    config, now = current_app.config, utcnow()
    cut = now - timedelta(seconds=config["LOGIN_WINDOW_SECONDS"])
    limits = {"pair": config["LOGIN_MAX_FAILURES"], "ip": config["LOGIN_IP_MAX_FAILURES"], "account": None}
    lock = now + timedelta(seconds=config["LOGIN_LOCK_SECONDS"])
    for kind, key in keys.items():
        if db.session.get(LoginFailure, key) is None:
            try:
                with db.session.begin_nested():
                    db.session.add(LoginFailure(key=key, failures=0, window_start=now))
            except IntegrityError:
                pass  # another worker created it meanwhile
        expired = LoginFailure.window_start < cut
        db.session.execute(update(LoginFailure).where(LoginFailure.key == key).values(
            failures=case((expired, 1), else_=LoginFailure.failures + 1),
            window_start=case((expired, now), else_=LoginFailure.window_start)))
        row = db.session.get(LoginFailure, key, populate_existing=True)
        limit = limits[kind]
        if limit is not None and row is not None and row.failures >= limit:
            row.locked_until, row.failures, row.window_start = lock, 0, now
    db.session.commit()


def authenticate(email: str, password: str) -> User:
    """The user for these credentials; 429 while throttled, 401 on failure (which counts)."""
    email = email.strip().lower()
    keys = _keys(email, request.remote_addr or "")
    user = db.session.execute(db.select(User).where(User.email == email)).scalar_one_or_none()
    _check(keys, user)
    ok = verify_secret(user.password_hash if user else _DUMMY_HASH, password) and user is not None
    if ok and user is not None and user.is_active:
        pair = db.session.get(LoginFailure, keys["pair"])
        if pair is not None:
            db.session.delete(pair)
        db.session.commit()
        g.known_browser = known_browser_value(user)
        return user
    _count_failure(keys)
    raise ApiError(401, "E-mail ou mot de passe incorrect.", code="invalid_credentials")


def check_password_again(user: User, password: str) -> bool:
    """Re-check the current password (password change), counted like a login failure when wrong."""
    keys = _keys(user.email, request.remote_addr or "")
    _check(keys, user)
    if verify_secret(user.password_hash, password):
        return True
    _count_failure(keys)
    return False
