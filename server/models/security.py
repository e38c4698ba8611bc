"""Security bookkeeping: server-side sessions, login failures, device owners, failing pushes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import Model
from server.models.base import BigInt, utcnow


class UserSession(Model):
    """A logged-in browser. The cookie holds a random token; only its SHA-256 is stored here."""

    __tablename__ = "user_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    user_agent: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column(nullable=True)


class LoginFailure(Model):
    """Failed logins counted per key ("acct-ip:<e-mail>|<address>", "ip:<address>", "acct:<e-mail>")
    over a window, in the database so every gunicorn worker sees them."""

    __tablename__ = "login_failures"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)  # SHA-256 of the key text
    failures: Mapped[int] = mapped_column(default=0)
    window_start: Mapped[datetime] = mapped_column(default=utcnow)
    locked_until: Mapped[datetime | None] = mapped_column(nullable=True)


class DeviceOwner(Model):
    """A device id belongs to the user who first pushed with it; nobody else may push or pull with it."""

    __tablename__ = "device_owners"
    device_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PushFailure(Model):
    """Server errors of one mutation, counted outside the failing transaction (poison-pill guard)."""

    __tablename__ = "push_failures"
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), primary_key=True)
    device_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    mutation_id: Mapped[int] = mapped_column(BigInt, primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
