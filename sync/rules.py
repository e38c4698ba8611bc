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

import datetime
import enum
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any


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

# kind -> fields it requires besides `id` and `kind` (ARCHITECTURE.md, table of flows).
FLOW_REQUIRED: Mapping[str, tuple[str, ...]] = {
    "cash_in": ("amount", "method_id"),
    "cash_out": ("amount", "method_id"),
    "expense": ("amount", "vat_bp"),
    "deposit": ("amount", "method_id"),
    "transfer": ("amount", "method_id", "to_method_id"),
    "credit_granted": ("amount",),
    "credit_settled": ("amount", "method_id"),
    "refund": ("amount", "method_id"),
    "voucher_sold": ("amount", "code", "method_id"),
    "voucher_redeemed": ("amount", "code"),
    "voucher_expired": ("amount", "code"),
    "overpayment": ("amount", "method_id"),
    "void": ("voids",),
}
FLOW_KINDS: tuple[str, ...] = tuple(FLOW_REQUIRED)
# Money may be negative for these kinds only; `void` carries no amount.
SIGNED_AMOUNT_KINDS: frozenset[str] = frozenset({"overpayment"})

# Shapes of mutation args, as data. Each shape name is checked by `_SHAPES` below; the JSON
# Schemas `schema/mutation-*.schema.json` state the same constraints for other languages.
ARGS: Mapping[str, Mapping[str, str]] = {
    "day.put": {"register_id": "id", "date": "date", "base_revision": "count", "fields": "header"},
    "flow.add": {"register_id": "id", "date": "date", "flow": "flow"},
    "day.close": {"register_id": "id", "date": "date", "base_revision": "count"},
    "day.reopen": {"register_id": "id", "date": "date", "reason": "reason"},
}
HEADER_SHAPES: Mapping[str, str] = {
    "z_number": "text40", "sales_count": "count", "sales": "sale_lines", "payments": "method_lines",
    "opening": "method_lines", "counts": "count_lines", "comment": "text2000",
}
FLOW_SHAPES: Mapping[str, str] = {
    "id": "uuid", "kind": "flow_kind", "amount": "money", "method_id": "id", "to_method_id": "id",
    "reason": "text500", "owner": "bool", "supplier_id": "id", "label": "text200", "vat_bp": "vat_bp",
    "account": "text20", "slip_number": "text40", "cheque_count": "count", "customer_id": "id",
    "code": "text40", "voids": "uuid", "corrects": "uuid",
}
FLOW_FIELDS: frozenset[str] = frozenset(FLOW_SHAPES)

UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
MONEY_RE = re.compile(r"^-?[0-9]{1,9}(\.[0-9]{1,2})?$")
DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
GRID_KEY_RE = re.compile(r"^[1-9][0-9]{0,5}$")


def to_cents(value: object) -> int | None:
    """Wire money ("633.00", "-2", or a whole-euro integer) to integer cents; None if malformed."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value * 100 if abs(value) < 10**9 else None
    if not isinstance(value, str) or not MONEY_RE.match(value):
        return None
    sign = -1 if value.startswith("-") else 1
    euros, _, cents = value.lstrip("-").partition(".")
    return sign * (int(euros) * 100 + int(cents.ljust(2, "0")))


def check_args(name: str, args: Mapping[str, Any]) -> dict[str, list[str]]:
    """The shape errors of a mutation's args, {"field.path": [message fr]}; {} when well formed."""
    errors: dict[str, list[str]] = {}
    _check_object(args, ARGS[name], set(ARGS[name]), "", errors)
    flow = args.get("flow")
    if isinstance(flow, dict) and flow.get("kind") in FLOW_REQUIRED:
        kind = flow["kind"]
        for key in FLOW_REQUIRED[kind]:
            if key not in flow:
                errors.setdefault(f"flow.{key}", []).append("Champ obligatoire.")
        cents = to_cents(flow.get("amount"))
        if kind == "void" and "amount" in flow:
            errors.setdefault("flow.amount", []).append("Une annulation ne porte pas de montant.")
        elif cents == 0:
            errors.setdefault("flow.amount", []).append("Le montant ne peut pas être nul.")
        elif cents is not None and cents < 0 and kind not in SIGNED_AMOUNT_KINDS:
            errors.setdefault("flow.amount", []).append("Le montant doit être positif.")
    return errors


def _check_object(
    value: object, shapes: Mapping[str, str], required: set[str], path: str, errors: dict[str, list[str]]
) -> None:
    if not isinstance(value, dict):
        errors.setdefault(path.rstrip(".") or "args", []).append("Un objet est attendu.")
        return
    for key in sorted(required - value.keys()):
        errors.setdefault(path + key, []).append("Champ obligatoire.")
    for key, item in value.items():
        shape = shapes.get(key)
        if shape is None:
            errors.setdefault(path + str(key), []).append("Champ inconnu ou non modifiable.")
        elif (message := _check(shape, item, path + key, errors)) is not None:
            errors.setdefault(path + key, []).append(message)


def _check(shape: str, value: Any, path: str, errors: dict[str, list[str]]) -> str | None:
    if shape == "header":
        if isinstance(value, dict) and not value:
            return "Aucun champ à modifier."
        _check_object(value, HEADER_SHAPES, set(), path + ".", errors)
        return None
    if shape == "flow":
        _check_object(value, FLOW_SHAPES, {"id", "kind"}, path + ".", errors)
        return None
    if shape.endswith("_lines"):
        ref = "category_id" if shape == "sale_lines" else "method_id"
        line = {ref: "id", "amount": "money"} | ({"grid": "grid"} if shape == "count_lines" else {})
        if not isinstance(value, list):
            return "Une liste est attendue."
        for index, item in enumerate(value):
            _check_object(item, line, {ref, "amount"}, f"{path}[{index}].", errors)
        return None
    if shape.startswith("text"):
        ok = isinstance(value, str) and len(value) <= int(shape[4:])
        return None if ok else f"Texte d'au plus {shape[4:]} caractères attendu."
    return None if _SHAPES[shape](value) else _MESSAGES.get(shape, "Valeur invalide.")


def _is_int(value: Any, low: int, high: int = 2**53) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _is_date(value: Any) -> bool:
    if not isinstance(value, str) or not DATE_RE.match(value):
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


_SHAPES: Mapping[str, Callable[[Any], bool]] = {
    "id": lambda v: _is_int(v, 1),
    "count": lambda v: _is_int(v, 0),
    "vat_bp": lambda v: _is_int(v, 0, 10000),
    "bool": lambda v: isinstance(v, bool),
    "date": _is_date,
    "uuid": lambda v: isinstance(v, str) and UUID_RE.match(v) is not None,
    "money": lambda v: to_cents(v) is not None,
    "flow_kind": lambda v: v in FLOW_REQUIRED,
    "reason": lambda v: isinstance(v, str) and 0 < len(v.strip()) and len(v) <= 500,
    "grid": lambda v: isinstance(v, dict) and all(GRID_KEY_RE.match(k) and _is_int(n, 0) for k, n in v.items()),
}
_MESSAGES: Mapping[str, str] = {
    "id": "Identifiant entier ≥ 1 attendu.",
    "count": "Entier ≥ 0 attendu.",
    "date": "Date AAAA-MM-JJ attendue.",
    "uuid": "UUID attendu.",
    "money": "Montant en euros attendu (au plus deux décimales).",
    "flow_kind": "Type de mouvement inconnu.",
    "reason": "Motif obligatoire (500 caractères au plus).",
}


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
