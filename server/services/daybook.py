"""The calendar, re-exported: it lives in services/calendar.py (company and register calendars).

The rest of the former daybook lives by responsibility in services/catalog.py (settings for the domain),
day_rows.py (a day's rows in wire form), day_input.py (a day as the domain reads it) and sql_store.py
(sync's `Store` on SQLAlchemy).
"""

from __future__ import annotations

from server.services.calendar import is_opening_day, opening_days

__all__ = ["is_opening_day", "opening_days"]
