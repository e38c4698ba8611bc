"""Timestamps on the wire: ISO 8601 in UTC with its offset ("2026-11-22T13:31:40+00:00").

The database keeps naive UTC datetimes (models.base.utcnow); this field says so on the way out.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from marshmallow import fields


class UtcDateTime(fields.DateTime):
    """A naive UTC datetime dumped with its +00:00 offset (OpenAPI: format date-time)."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        text = super()._serialize(value.replace(microsecond=0), attr, obj, **kwargs)
        return None if text is None else str(text)
