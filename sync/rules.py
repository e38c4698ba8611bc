"""Conflict rules as data.

Theory of operation
-------------------
The server is the authority; devices send *intentions* (mutations), never rows. Every field
of a replicated entity has exactly one resolution, listed in `RULES`:

Rule 1 - APPEND_ONLY_BY_UUID. Flows are never updated nor deleted. A flow is keyed by a
    UUID made on the device, so two tills never collide; the same UUID with the same content
    is the same intention delivered twice (idempotent), with other content it is refused.
    A correction is a `void` plus a new flow.
Rule 2 - REVISION_CHECKED. Day header fields carry the revision the device last saw
    (`base_revision`). The day remembers, per field, `[revision, device_id]` of its last
    write. A write is stale - and rejected with the server's value for a person to decide -
    iff one of the fields it writes was last written at a revision > base_revision by
    ANOTHER device. A device's own queued writes never conflict with each other.
Rule 3 - SERVER_ONLY_VIA_CLOSE. `status` changes only through `day.close` / `day.reopen`.
Rule 4 - SERVER_ONLY. Computed by the server (revision, sequence, hash…); never written
    by a mutation.
Rule 5 - a closed day accepts nothing but `day.reopen` (by an admin, journaled).

Invariant: whatever the interleaving, the state of the server is the result of applying each
mutation at most once, in per-device id order, and a closed day's content is frozen.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping
from typing import Any

from domain.errors import MoneyError
from domain.money import parse_wire
from domain.validation import FLOW_FIELD_TYPES, REQUIRED, is_date, is_int, text_error, validate_flow, validate_header


class Resolution(enum.Enum):
    APPEND_ONLY_BY_UUID = "append_only_by_uuid"
    REVISION_CHECKED = "revision_checked"
    SERVER_ONLY_VIA_CLOSE = "server_only_via_close"
    SERVER_ONLY = "server_only"


RULES: Mapping[tuple[str, str], Resolution] = {
    ("flow", "*"): Resolution.APPEND_ONLY_BY_UUID,
    ("day", "z_number"): Resolution.REVISION_CHECKED,
    ("day", "sales_count"): Resolution.REVISION_CHECKED,
    ("day", "sales"): Resolution.REVISION_CHECKED,
    ("day", "payments"): Resolution.REVISION_CHECKED,
    ("day", "opening"): Resolution.REVISION_CHECKED,
    ("day", "counts"): Resolution.REVISION_CHECKED,
    ("day", "comment"): Resolution.REVISION_CHECKED,
    ("day", "status"): Resolution.SERVER_ONLY_VIA_CLOSE,
    ("day", "*"): Resolution.SERVER_ONLY,
}


def resolution(entity: str, field: str) -> Resolution:
    """The rule for `entity.field`, falling back to the entity's `*` row."""
    try:
        return RULES[(entity, field)]
    except KeyError:
        return RULES[(entity, "*")]


HEADER_FIELDS: tuple[str, ...] = tuple(
    field for (entity, field), rule in RULES.items()
    if entity == "day" and rule is Resolution.REVISION_CHECKED
)

MUTATION_NAMES: tuple[str, ...] = ("day.put", "flow.add", "day.close", "day.reopen")

REJECTION_CODES: tuple[str, ...] = (
    "stale_revision",
    "day_closed",
    "invalid",
    "forbidden",
    "option_disabled",
    "not_opening_day",
    "unknown_reference",
    "duplicate_flow",
    "server_error",  # set aside by the server after repeated server errors (server/services/push_guard.py)
)

REOPEN_ROLES: frozenset[str] = frozenset({"admin", "firm_admin"})

# kind -> fields it requires besides `id` and `kind`: the table lives in domain/validation.py.
FLOW_REQUIRED: Mapping[str, tuple[str, ...]] = REQUIRED
FLOW_KINDS: tuple[str, ...] = tuple(FLOW_REQUIRED)
FLOW_FIELDS: frozenset[str] = frozenset(FLOW_FIELD_TYPES)

# Shapes of mutation args, as data. The values inside `fields` (day.put) and `flow` (flow.add) are
# judged by domain.validation, the same functions the REST endpoints and the PWA call; the JSON
# Schemas `schema/mutation-*.schema.json` state the same constraints for other languages.
ARGS: Mapping[str, Mapping[str, str]] = {
    "day.put": {"register_id": "id", "date": "date", "base_revision": "count", "fields": "header"},
    "flow.add": {"register_id": "id", "date": "date", "flow": "flow"},
    "day.close": {"register_id": "id", "date": "date", "base_revision": "count"},
    "day.reopen": {"register_id": "id", "date": "date", "reason": "reason"},
}

UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def to_cents(value: object) -> int | None:
    """Wire money to integer cents with the one parser (domain.money.parse_wire); None if malformed."""
    try:
        return parse_wire(value)
    except MoneyError:
        return None


def check_args(name: str, args: Mapping[str, Any]) -> dict[str, list[str]]:
    """The errors of a mutation's args, {"field.path": [message fr]}; {} when well formed.

    The envelope of the args is checked here; the header fields and the flow by
    domain.validation, without the company's settings (those come with `Context.validate`)."""
    errors: dict[str, list[str]] = {}
    if not isinstance(args, dict):
        return {"args": ["Un objet est attendu."]}
    shapes = ARGS[name]
    for key in sorted(set(shapes) - args.keys()):
        errors.setdefault(key, []).append("Champ obligatoire.")
    for key, item in args.items():
        shape = shapes.get(key)
        if shape is None:
            errors.setdefault(str(key), []).append("Champ inconnu ou non modifiable.")
        elif shape in ("header", "flow"):
            found = validate_header(item) if shape == "header" else validate_flow(item)
            for path, messages in found.items():
                full = key if path == shape or (shape == "header" and path == "fields") else f"{key}.{path}"
                errors.setdefault(full, []).extend(messages)
        elif (message := _check(shape, item)) is not None:
            errors.setdefault(key, []).append(message)
    return errors


def _check(shape: str, value: Any) -> str | None:
    if shape == "reason":
        ok = isinstance(value, str) and bool(value.strip()) and text_error(value, "reason") is None
        return None if ok else "Motif obligatoire (500 caractères au plus, sans caractère de contrôle)."
    if shape == "date":
        return None if is_date(value) else "Date AAAA-MM-JJ attendue."
    if shape == "id":
        return None if is_int(value, 1) else "Identifiant entier ≥ 1 attendu."
    return None if is_int(value) else "Entier ≥ 0 attendu."


def stale_fields(
    written: Iterable[str], base_revision: int, field_versions: Mapping[str, tuple[int, str]], device_id: str
) -> list[str]:
    """Rule 2: the fields of `written` last written after `base_revision` by another device."""
    stale = []
    for field in written:
        version = field_versions.get(field)
        if version is not None and version[0] > base_revision and version[1] != device_id:
            stale.append(field)
    return sorted(stale)
