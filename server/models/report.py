"""Stored per-day report totals: one row per closed day, written when it is sealed (services.report_totals)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import Model
from server.models.base import BigInt


class DayTotal(Model):
    """The additive figures of a closed day (domain.reports.Figures), read from its sealed payload.
    Reports sum these rows in SQL; open days are computed on read and marked « provisoire »."""

    __tablename__ = "day_totals"
    __table_args__ = (Index("ix_day_totals_company_date", "company_id", "date"),
                      Index("ix_day_totals_register_date", "register_id", "date"))
    day_id: Mapped[str] = mapped_column(ForeignKey("days.id"), primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"))
    register_id: Mapped[int] = mapped_column(ForeignKey("registers.id"))
    date: Mapped[date] = mapped_column()
    revenue_ttc: Mapped[int] = mapped_column(BigInt, default=0)
    revenue_ht: Mapped[int] = mapped_column(BigInt, default=0)
    sales_count: Mapped[int] = mapped_column(BigInt, default=0)
    opening: Mapped[int] = mapped_column(BigInt, default=0)
    inflows: Mapped[int] = mapped_column(BigInt, default=0)
    outflows: Mapped[int] = mapped_column(BigInt, default=0)
    expenses: Mapped[int] = mapped_column(BigInt, default=0)
    deposits: Mapped[int] = mapped_column(BigInt, default=0)
    expected: Mapped[int] = mapped_column(BigInt, default=0)
    counted: Mapped[int] = mapped_column(BigInt, default=0)
    difference: Mapped[int] = mapped_column(BigInt, default=0)
    credit_granted: Mapped[int] = mapped_column(BigInt, default=0)
    credit_settled: Mapped[int] = mapped_column(BigInt, default=0)
    vouchers_sold: Mapped[int] = mapped_column(BigInt, default=0)
    vouchers_redeemed: Mapped[int] = mapped_column(BigInt, default=0)
    vouchers_expired: Mapped[int] = mapped_column(BigInt, default=0)
    unexplained: Mapped[int] = mapped_column(default=0)
    # Takings per payment method label as sealed ({"Espèces": 40000, ...}): the payment-method mix.
    by_method: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
