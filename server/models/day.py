"""The cash day, its lines and flows, and the tamper-evident journal of closings."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, ForeignKeyConstraint, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.extensions import Model
from server.models.base import BigInt, Versioned, utcnow


class Day(Versioned, Model):
    """One register's business day. `revision` counts header changes; `field_versions` = {field: [rev, device]}."""

    __tablename__ = "days"
    __table_args__ = (UniqueConstraint("register_id", "date", name="uq_days_register_date"),
                      UniqueConstraint("id", "company_id", name="uq_days_id_company"))  # flows' key to their day
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    register_id: Mapped[int] = mapped_column(ForeignKey("registers.id"), index=True)
    date: Mapped[date] = mapped_column()
    status: Mapped[str] = mapped_column(String(10), default="open")
    revision: Mapped[int] = mapped_column(default=0)
    field_versions: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    z_number: Mapped[str] = mapped_column(String(40), default="")
    sales_count: Mapped[int] = mapped_column(default=0)
    comment: Mapped[str] = mapped_column(Text, default="")
    sequence: Mapped[int | None] = mapped_column(nullable=True)
    hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(nullable=True)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    lines: Mapped[list[DayLine]] = relationship(
        back_populates="day", cascade="all, delete-orphan", order_by="DayLine.id"
    )
    flows: Mapped[list[Flow]] = relationship(
        back_populates="day", order_by="Flow.id", foreign_keys="Flow.day_id"
    )


class DayLine(Model):
    """A header amount of a day: kind sale (ref = category), payment / opening / count (ref = method)."""

    __tablename__ = "day_lines"
    __table_args__ = (UniqueConstraint("day_id", "kind", "ref_id", name="uq_day_lines_ref"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    day_id: Mapped[str] = mapped_column(ForeignKey("days.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    ref_id: Mapped[int] = mapped_column()
    amount_cents: Mapped[int] = mapped_column(BigInt)
    grid: Mapped[dict[str, int] | None] = mapped_column(JSON, nullable=True)
    # Sales lines: the category's VAT rate, frozen when the day is closed (the journal must not follow later edits).
    vat_bp: Mapped[int | None] = mapped_column(nullable=True)
    day: Mapped[Day] = relationship(back_populates="lines")


class Flow(Versioned, Model):
    """An append-only cash movement keyed by a device-made UUID.

    Its day and company form one key to the day's (`fk_flows_day_company`): a movement cannot belong to a
    day of another company, and an insert checks one key instead of two (the day's, the company's). Pulls
    read a company's movements by version (`ix_flows_company_version`)."""

    __tablename__ = "flows"
    __table_args__ = (ForeignKeyConstraint(["day_id", "company_id"], ["days.id", "days.company_id"],
                                           name="fk_flows_day_company"),
                      Index("ix_flows_company_version", "company_id", "version"))
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    company_id: Mapped[int] = mapped_column()
    day_id: Mapped[str] = mapped_column(String(36), index=True)
    version: Mapped[int] = mapped_column(BigInt, default=0)  # indexed with the company
    kind: Mapped[str] = mapped_column(String(20))
    amount_cents: Mapped[int] = mapped_column(BigInt)
    method_id: Mapped[int | None] = mapped_column(ForeignKey("payment_methods.id"), nullable=True)
    to_method_id: Mapped[int | None] = mapped_column(ForeignKey("payment_methods.id"), nullable=True)
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("suppliers.id"), nullable=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), nullable=True)
    label: Mapped[str] = mapped_column(String(200), default="")
    vat_bp: Mapped[int | None] = mapped_column(nullable=True)
    account: Mapped[str] = mapped_column(String(20), default="")
    code: Mapped[str] = mapped_column(String(40), default="")
    slip_number: Mapped[str] = mapped_column(String(40), default="")
    cheque_count: Mapped[int | None] = mapped_column(nullable=True)
    reason: Mapped[str] = mapped_column(String(500), default="")
    owner: Mapped[bool] = mapped_column(default=False)
    voids: Mapped[str | None] = mapped_column(String(36), nullable=True)
    corrects: Mapped[str | None] = mapped_column(String(36), nullable=True)
    device_id: Mapped[str] = mapped_column(String(64), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    day: Mapped[Day] = relationship(back_populates="flows", foreign_keys=[day_id])


class DayEvent(Model):
    """Audit trail of a day's lifecycle: close, reopen (who, when, why)."""

    __tablename__ = "day_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    day_id: Mapped[str] = mapped_column(ForeignKey("days.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    device_id: Mapped[str] = mapped_column(String(64), default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)
    reason: Mapped[str] = mapped_column(Text, default="")


class JournalEntry(Model):
    """One link of a register's chain: the canonical JSON of a day as closed, and its hash."""

    __tablename__ = "journal_entries"
    __table_args__ = (UniqueConstraint("register_id", "sequence", name="uq_journal_entries_sequence"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    register_id: Mapped[int] = mapped_column(ForeignKey("registers.id"), index=True)
    sequence: Mapped[int] = mapped_column()
    day_id: Mapped[str] = mapped_column(ForeignKey("days.id"), index=True)
    day_date: Mapped[date] = mapped_column()
    closed_at: Mapped[datetime] = mapped_column(default=utcnow)
    payload: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class PeriodClosing(Model):
    """Monthly or annual (fiscal year) closing of a register: period totals and grand total, sealed."""

    __tablename__ = "period_closings"
    __table_args__ = (UniqueConstraint("register_id", "kind", "period_start", name="uq_period_closings_period"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    register_id: Mapped[int] = mapped_column(ForeignKey("registers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    period_start: Mapped[date] = mapped_column()
    period_end: Mapped[date] = mapped_column()
    total_ttc_cents: Mapped[int] = mapped_column(BigInt)
    total_ht_cents: Mapped[int] = mapped_column(BigInt)
    fiscal_year_cumulative_cents: Mapped[int] = mapped_column(BigInt)
    grand_total_cents: Mapped[int] = mapped_column(BigInt)
    last_sequence: Mapped[int] = mapped_column()
    last_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
