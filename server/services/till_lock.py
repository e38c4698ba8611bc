"""The Z fields of a day filled by a till are read-only until an admin unlocks them (issue 15).

`refusal` is asked by the day rules (services.mutations) for every `day.put`, whatever its path (REST,
sync push); the till's own writes (devices `till:…`, `import:…`) pass. `flags` gives the pull and
the day view what the PWA shows: the Z number received and whether the fields are locked.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from server.extensions import db
from server.models import ZReport

Z_FIELDS = ("z_number", "sales_count", "sales", "payments")
TILL_DEVICES = ("till:", "import:")


def report_of(register_id: int, on: date) -> ZReport | None:
    return db.session.execute(db.select(ZReport).where(
        ZReport.register_id == register_id, ZReport.date == on)).scalar_one_or_none()


def flag(report: ZReport | None) -> dict[str, Any] | None:
    """What a day says of its till: None when typed by a person."""
    if report is None:
        return None
    return {"z_number": report.z_number, "origin": report.origin, "locked": report.unlocked_at is None}


def flags(day_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """{day id: flag} of the days filled by a till, in one query."""
    ids = list(day_ids)
    if not ids:
        return {}
    rows = db.session.execute(db.select(ZReport).where(ZReport.day_id.in_(ids))).scalars()
    return {row.day_id: flag(row) or {} for row in rows if row.day_id}


def refusal(register_id: int, on: str, fields: Mapping[str, Any], device_id: str,
            cache: dict[tuple[int, str], Any] | None = None) -> dict[str, list[str]] | None:
    """{field: [message]} when a person's `day.put` changes a Z field received from the till and locked.
    `cache` (the change-set's) reads each day's report once."""
    touched = [name for name in Z_FIELDS if name in fields]
    if not touched or device_id.startswith(TILL_DEVICES):
        return None
    cache = {} if cache is None else cache
    if (register_id, on) not in cache:
        cache[(register_id, on)] = report_of(register_id, date.fromisoformat(on))
    report = cache[(register_id, on)]
    if report is None or report.unlocked_at is not None:
        return None
    message = (f"Reçu de la caisse enregistreuse (Z n° {report.z_number}) : "
               "un administrateur doit le déverrouiller avant toute modification.")
    return {f"fields.{name}": [message] for name in touched}
