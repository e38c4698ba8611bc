"""What left the system for the accounting firm: one row per export file, with its SHA-256."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import Model
from server.models.base import utcnow


class ExportRecord(Model):
    """An export of a company's closed period: who, when, which period, which format, the file's hash.
    `format` is fec | csv | archive (the firm-wide ZIP writes one row per company it holds)."""

    __tablename__ = "export_records"
    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    period_start: Mapped[date] = mapped_column()
    period_end: Mapped[date] = mapped_column()
    format: Mapped[str] = mapped_column(String(10))
    filename: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column()
    entry_count: Mapped[int] = mapped_column(default=0)
