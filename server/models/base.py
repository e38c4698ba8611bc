"""Shared column helpers."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import BigInteger, Integer
from sqlalchemy.orm import Mapped, mapped_column

# BIGINT on PostgreSQL, INTEGER (so it can autoincrement) on SQLite.
BigInt = BigInteger().with_variant(Integer(), "sqlite")


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Versioned:
    """A row replicated to devices: `version` is the company's server version at its last write."""

    version: Mapped[int] = mapped_column(BigInt, default=0, index=True)
