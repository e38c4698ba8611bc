"""Stored alerts: one row per condition (a day's finding, a day missing or left open, a sync rejection)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import Model
from server.models.base import BigInt, utcnow

ALERT_KINDS = ("breakdown_mismatch", "cash_difference", "above_max", "below_min", "day_missing", "day_left_open",
               "sync_rejection")


class Alert(Model):
    """A condition worth a person's attention. `key` names the condition (kind, register, date, method or
    rejection) and is unique: the same condition never opens a second alert; when it comes back after closing
    itself, the same row opens again. `resolved_by_id` is None when the condition went away on its own."""

    __tablename__ = "alerts"
    __table_args__ = (Index("ix_alerts_company_status", "company_id", "status"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    register_id: Mapped[int | None] = mapped_column(ForeignKey("registers.id"), nullable=True)
    day_date: Mapped[date | None] = mapped_column(nullable=True)
    kind: Mapped[str] = mapped_column(String(30))
    severity: Mapped[str] = mapped_column(String(10))
    key: Mapped[str] = mapped_column(String(120), unique=True)
    method_id: Mapped[int | None] = mapped_column(nullable=True)
    rejection_id: Mapped[int | None] = mapped_column(ForeignKey("rejections.id"), nullable=True)
    amount_cents: Mapped[int | None] = mapped_column(BigInt, nullable=True)
    message: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="open")  # open | closed
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(nullable=True)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    resolution_note: Mapped[str] = mapped_column(Text, default="")


class AlertRefresh(Model):
    """A register-day written since its alerts were last evaluated. The write path only queues the day (one
    row per day, however many writes); the evaluation, which reads the whole day, runs once per queued day,
    outside the cashier's request (services.alerts_queue)."""

    __tablename__ = "alert_refresh_queue"
    register_id: Mapped[int] = mapped_column(ForeignKey("registers.id"), primary_key=True)
    day_date: Mapped[date] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)
