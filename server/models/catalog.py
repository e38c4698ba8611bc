"""Per-company settings: sales categories, payment methods, customers, suppliers, calendar, budgets."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import Model
from server.models.base import BigInt, Versioned


class SalesCategory(Versioned, Model):
    __tablename__ = "sales_categories"
    __table_args__ = (UniqueConstraint("company_id", "position", name="uq_sales_categories_position"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    label: Mapped[str] = mapped_column(String(100))
    vat_bp: Mapped[int] = mapped_column()
    revenue_account: Mapped[str] = mapped_column(String(20), default="701")
    position: Mapped[int] = mapped_column()
    active: Mapped[bool] = mapped_column(default=True)


class PaymentMethod(Versioned, Model):
    __tablename__ = "payment_methods"
    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    label: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    deposit_mode: Mapped[str] = mapped_column(String(10), default="automatic")
    account: Mapped[str] = mapped_column(String(20), default="")
    position: Mapped[int] = mapped_column(default=1)
    active: Mapped[bool] = mapped_column(default=True)


class Customer(Versioned, Model):
    __tablename__ = "customers"
    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    account: Mapped[str] = mapped_column(String(20), default="")
    active: Mapped[bool] = mapped_column(default=True)


class Supplier(Versioned, Model):
    __tablename__ = "suppliers"
    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    expense_account: Mapped[str] = mapped_column(String(20), default="607")
    vat_bp: Mapped[int] = mapped_column(default=2000)
    active: Mapped[bool] = mapped_column(default=True)


class CalendarException(Versioned, Model):
    """A dated exception to the weekly pattern: exceptional opening or closing."""

    __tablename__ = "calendar_exceptions"
    __table_args__ = (UniqueConstraint("company_id", "date", name="uq_calendar_exceptions_date"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    date: Mapped[date] = mapped_column()
    is_open: Mapped[bool] = mapped_column()
    label: Mapped[str] = mapped_column(String(100), default="")


class RegisterCalendarException(Versioned, Model):
    """A dated exception to one register's calendar; it wins over the company's exception that day."""

    __tablename__ = "register_calendar_exceptions"
    __table_args__ = (UniqueConstraint("register_id", "date", name="uq_register_calendar_exceptions_date"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    register_id: Mapped[int] = mapped_column(ForeignKey("registers.id"), index=True)
    date: Mapped[date] = mapped_column()
    is_open: Mapped[bool] = mapped_column()
    label: Mapped[str] = mapped_column(String(100), default="")


class Budget(Model):
    __tablename__ = "budgets"
    __table_args__ = (UniqueConstraint("company_id", "year", "month", name="uq_budgets_month"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    year: Mapped[int] = mapped_column()
    month: Mapped[int] = mapped_column()
    amount_cents: Mapped[int] = mapped_column(BigInt)
