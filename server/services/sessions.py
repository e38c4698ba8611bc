"""Server-side sessions: the cookie holds a random token, the row (its SHA-256) says who and until when.

A session ends on logout, on « Se déconnecter de partout », when the user's password changes or is
reset, when it is revoked from the list of sessions, after `SESSION_IDLE_SECONDS` without a request
and at the latest `SESSION_MAX_SECONDS` after login.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app

from server.extensions import db
from server.models import User, UserSession
from server.models.base import utcnow

TOUCH_EVERY = timedelta(seconds=60)  # last_seen_at is written at most once a minute per session


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create(user: User, user_agent: str) -> tuple[UserSession, str]:
    """A new session row (added to the db session, not committed) and the cookie token."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    row = UserSession(user_id=user.id, token_hash=digest(token), csrf_token=secrets.token_urlsafe(32),
                      user_agent=user_agent[:300], created_at=now, last_seen_at=now,
                      expires_at=now + timedelta(seconds=current_app.config["SESSION_MAX_SECONDS"]))
    db.session.add(row)
    return row, token


def find(token: str) -> UserSession | None:
    """The live session of this cookie token, read only (`touch` writes its last use)."""
    if not token or len(token) > 200:
        return None
    row = db.session.execute(
        db.select(UserSession).where(UserSession.token_hash == digest(token))
    ).scalar_one_or_none()
    return row if row is not None and is_live(row, utcnow()) else None


def touch(row: UserSession) -> None:
    """Write the session's last use, at most once every TOUCH_EVERY (committed)."""
    now = utcnow()
    if now - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = now
        db.session.commit()


def is_live(row: UserSession, now=None) -> bool:
    now = now or utcnow()
    idle = timedelta(seconds=current_app.config["SESSION_IDLE_SECONDS"])
    return row.revoked_at is None and row.expires_at > now and row.last_seen_at + idle > now


def active(user_id: int) -> list[UserSession]:
    rows = db.session.execute(
        db.select(UserSession).where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
        .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
    ).scalars()
    now = utcnow()
    return [row for row in rows if is_live(row, now)]


def revoke(row: UserSession) -> None:
    if row.revoked_at is None:
        row.revoked_at = utcnow()


def revoke_all(user_id: int, keep: int | None = None) -> int:
    """Revoke every live session of the user (but `keep`); the number revoked. Not committed."""
    count = 0
    for row in db.session.execute(
        db.select(UserSession).where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
    ).scalars():
        if row.id != keep:
            revoke(row)
            count += 1
    return count
