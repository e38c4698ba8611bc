"""Paging of pull: the rows changed since a cookie, in server-version order.

The cookie is a server version (never a device clock). The caller reads, in one transaction,
the company's current version and every replicated row whose version is > the cookie (the
latest state of each row, deletions as tombstones with op "del"), and passes them here.

Rules:
1. cookie None → full download from version 0; deletions are left out (nothing to delete).
2. cookie > current version (another database, a restore) or < the retention floor (older
   tombstones were purged, deletions could be missed) → `reset`: the device drops its
   replica and pulls again from `cookie: null`.
3. Rows are sorted by (version, entity, id) and cut after `limit` rows - but never inside one
   version, so the next cookie (the last version sent) loses nothing.
4. `more` tells whether rows remain; the last page's cookie is the current version.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sync.changes import MAX_PULL_LIMIT, SCHEMA_VERSION, Rejection

DEFAULT_LIMIT = 200
ENTITIES: tuple[str, ...] = (
    "company", "register", "category", "payment_method", "customer", "supplier", "calendar", "day", "flow",
)


@dataclass(frozen=True)
class Change:
    entity: str
    id: str
    op: Literal["put", "del"]
    data: Mapping[str, Any]
    version: int

    def to_wire(self) -> dict[str, Any]:
        return {"entity": self.entity, "id": self.id, "op": self.op, "data": dict(self.data)}


@dataclass(frozen=True)
class Page:
    cookie: int
    reset: bool
    more: bool
    changes: tuple[Change, ...]

    def to_wire(self, last_mutation_id: int, rejections: Sequence[Rejection]) -> dict[str, Any]:
        """The pull response body; the caller adds the device's last id and its rejections."""
        return {
            "schema": SCHEMA_VERSION,
            "cookie": self.cookie,
            "reset": self.reset,
            "more": self.more,
            "last_mutation_id": last_mutation_id,
            "changes": [change.to_wire() for change in self.changes],
            "rejections": [rejection.to_wire() for rejection in rejections],
        }


def needs_reset(cookie: int | None, *, current_version: int, retention_floor: int = 0) -> bool:
    """Rule 2: a cookie this server cannot continue from."""
    return cookie is not None and (cookie > current_version or cookie < retention_floor)


def page(
    rows: Iterable[Change],
    *,
    cookie: int | None,
    current_version: int,
    retention_floor: int = 0,
    limit: int | None = None,
) -> Page:
    """One page of changes after `cookie` (see the rules above)."""
    if needs_reset(cookie, current_version=current_version, retention_floor=retention_floor):
        return Page(cookie=0, reset=True, more=False, changes=())
    since = cookie or 0
    size = max(1, min(limit or DEFAULT_LIMIT, MAX_PULL_LIMIT))
    latest: dict[tuple[str, str], Change] = {}
    for row in rows:
        key = (row.entity, row.id)
        if row.version > since and (key not in latest or latest[key].version < row.version):
            latest[key] = row
    pending = sorted(
        (row for row in latest.values() if cookie is not None or row.op == "put"),
        key=lambda row: (row.version, row.entity, row.id),
    )
    end = min(size, len(pending))
    while 0 < end < len(pending) and pending[end].version == pending[end - 1].version:
        end += 1
    sent, more = tuple(pending[:end]), end < len(pending)
    if more:
        return Page(cookie=sent[-1].version, reset=False, more=True, changes=sent)
    top = max([current_version, since, *(row.version for row in sent)])
    return Page(cookie=top, reset=False, more=False, changes=sent)
