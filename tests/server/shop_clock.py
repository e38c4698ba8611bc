"""The shop's calendar date for tests: the server judges dates in SHOP_TIMEZONE (Europe/Paris), not in the
machine's UTC, so a test run between 22:00/23:00 UTC and midnight must not use `date.today()`."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo


def shop_today(zone: str = "Europe/Paris") -> date:
    return datetime.now(ZoneInfo(zone)).date()


def zone_off_utc_date() -> str:
    """A time zone whose calendar date differs from UTC's right now: twelve hours ahead in the afternoon
    (UTC), twelve hours behind in the morning."""
    return "Etc/GMT-12" if datetime.now(UTC).hour >= 12 else "Etc/GMT+12"
