"""Web Push: the devices a user subscribed, what they want to receive, and the outbox of notifications."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import Model
from server.models.base import utcnow


class PushSubscription(Model):
    """A browser's PushSubscription (endpoint + keys) for one user; a 404/410 from its push service deletes it."""

    __tablename__ = "push_subscriptions"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    endpoint: Mapped[str] = mapped_column(String(2000), unique=True)
    p256dh: Mapped[str] = mapped_column(String(200))
    auth: Mapped[str] = mapped_column(String(100))
    user_agent: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_success_at: Mapped[datetime | None] = mapped_column(nullable=True)


class PushPreference(Model):
    """What a user wants pushed: kinds and companies (None = all), quiet hours 'HH:MM' (shop-local)."""

    __tablename__ = "push_preferences"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    kinds: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)
    company_ids: Mapped[list[int] | None] = mapped_column(JSON, nullable=True)
    quiet_start: Mapped[str | None] = mapped_column(String(5), nullable=True)
    quiet_end: Mapped[str | None] = mapped_column(String(5), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class PushNotification(Model):
    """The outbox: one notification per alert and user, written in the transaction that raises the alert.

    status: pending → sent | dropped (alert closed, no subscription left) | failed (attempts exhausted).
    `next_attempt_at` is also the claim lease of the sender holding it; `delivered_to` lists the subscription
    ids already served, so a retry never pushes twice to the same device."""

    __tablename__ = "push_notifications"
    __table_args__ = (UniqueConstraint("alert_id", "user_id", name="uq_push_notifications_alert_user"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    delivered_to: Mapped[list[Any]] = mapped_column(JSON, default=list)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(nullable=True)
