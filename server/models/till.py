"""The till link (issue 15): register tokens, the code mapping table, and the Z reports received."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import Model
from server.models.base import utcnow

Z_WRITE = "z:write"


class RegisterToken(Model):
    """A bearer token of one register's till (scope `z:write`); only its SHA-256 is stored."""

    __tablename__ = "register_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    register_id: Mapped[int] = mapped_column(ForeignKey("registers.id"), index=True)
    label: Mapped[str] = mapped_column(String(100))
    scope: Mapped[str] = mapped_column(String(20), default=Z_WRITE)
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(nullable=True)


class TillCode(Model):
    """A till's code for one of the company's sales categories (kind `sales`) or payment methods (`payments`)."""

    __tablename__ = "till_codes"
    __table_args__ = (UniqueConstraint("company_id", "kind", "code", name="uq_till_codes_code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    code: Mapped[str] = mapped_column(String(40))
    ref_id: Mapped[int] = mapped_column()


class ZReport(Model):
    """A Z report received for one register and date: one per register-day (the same report again is a
    duplicate; another Z number the same date, a 409 showing both versions; docs/DECISIONS.md).
    `payload` is the report as normalised on receipt (codes, amounts in cents), compared on a resubmission."""

    __tablename__ = "z_reports"
    __table_args__ = (UniqueConstraint("register_id", "date", name="uq_z_reports_register_date"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    register_id: Mapped[int] = mapped_column(ForeignKey("registers.id"), index=True)
    date: Mapped[date] = mapped_column()
    z_number: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    origin: Mapped[str] = mapped_column(String(10), default="api")  # api | csv
    token_id: Mapped[int | None] = mapped_column(ForeignKey("register_tokens.id"), nullable=True)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    unlocked_at: Mapped[datetime | None] = mapped_column(nullable=True)
    unlocked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    day_id: Mapped[str | None] = mapped_column(ForeignKey("days.id"), nullable=True, index=True)
