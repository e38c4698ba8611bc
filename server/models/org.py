"""Firms, companies and registers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.extensions import Model
from server.models.base import BigInt, Versioned, utcnow


class Firm(Model):
    __tablename__ = "firms"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    companies: Mapped[list[Company]] = relationship(back_populates="firm", order_by="Company.id")


class Company(Versioned, Model):
    __tablename__ = "companies"
    id: Mapped[int] = mapped_column(primary_key=True)
    firm_id: Mapped[int] = mapped_column(ForeignKey("firms.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    siren: Mapped[str] = mapped_column(String(9))
    address: Mapped[str] = mapped_column(String(500), default="")
    fiscal_year_start_month: Mapped[int] = mapped_column(default=1)
    vat_regime: Mapped[str] = mapped_column(String(20), default="reel_normal")
    legal_form: Mapped[str] = mapped_column(String(20), default="company")
    opt_customer_credit: Mapped[bool] = mapped_column(default=False)
    credit_mode: Mapped[str] = mapped_column(String(10), default="detailed")
    opt_gift_vouchers: Mapped[bool] = mapped_column(default=False)
    opt_cash_expenses: Mapped[bool] = mapped_column(default=True)
    opt_transfers: Mapped[bool] = mapped_column(default=False)
    opt_overpayments: Mapped[bool] = mapped_column(default=False)
    cash_tolerance_cents: Mapped[int] = mapped_column(BigInt, default=0)
    # Monday-first opening pattern, e.g. "1111110" = open Monday to Saturday.
    weekly_pattern: Mapped[str] = mapped_column(String(7), default="1111110")
    accounts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # A day of an exported period reopens only by a firm admin, with a reason (services.export).
    lock_exported_periods: Mapped[bool] = mapped_column(default=False, server_default=false())
    # The company's sync counter; its row is locked for every change-set (DOMAIN §7).
    server_version: Mapped[int] = mapped_column(BigInt, default=0)
    # Oldest cookie a device may pull from without a reset.
    min_cookie: Mapped[int] = mapped_column(BigInt, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    firm: Mapped[Firm] = relationship(back_populates="companies")
    registers: Mapped[list[Register]] = relationship(back_populates="company", order_by="Register.position")


class Register(Versioned, Model):
    __tablename__ = "registers"
    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(default=1)
    min_threshold_cents: Mapped[int | None] = mapped_column(BigInt, nullable=True)
    max_threshold_cents: Mapped[int | None] = mapped_column(BigInt, nullable=True)
    active: Mapped[bool] = mapped_column(default=True)
    # The register's own Monday-first pattern ("0000010" = Saturdays only); None follows the company's.
    weekly_pattern: Mapped[str | None] = mapped_column(String(7), nullable=True, default=None)
    company: Mapped[Company] = relationship(back_populates="registers")
