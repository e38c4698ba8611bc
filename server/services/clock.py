"""The shop's clock: what a cashier calls "now" and "today".

The server runs in UTC; every calendar date the product judges or shows (the day a movement may be
entered for, the provisional day of a report, a period that is over, a missing day, the demo's
history) is the shop-local date of config SHOP_TIMEZONE (Europe/Paris by default). Between 22:00 or
23:00 UTC and midnight the two differ: nothing here may call `date.today()`.
"""
from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app


def zone() -> ZoneInfo:
    return ZoneInfo(current_app.config.get("SHOP_TIMEZONE", "Europe/Paris"))


def shop_now() -> datetime:
    """Shop-local wall clock, naive."""
    return datetime.now(zone()).replace(tzinfo=None)


def shop_today() -> date:
    """The shop-local calendar date now."""
    return shop_now().date()


def date_at(now_utc: datetime) -> date:
    """The shop-local calendar date at `now_utc` (naive UTC)."""
    return now_utc.replace(tzinfo=UTC).astimezone(zone()).date()
