"""Validation of what a person typed: the day's header fields and its movements, on the wire.

One rule, one place: the REST day endpoints, the sync push and the PWA (its JavaScript twin,
pwa/src/domain/validation.js) all ask these functions, and schema/vectors/validation/*.json
hold both languages to the same verdicts and the same French messages. marshmallow and
sync/rules.py check the shape of a request (an object, the mutation's args); what a value
may be is decided here. Rules are listed in docs/VALIDATION.md.

Theory of operation
  1. Values first (pure, no settings): types, integer ranges, money (``money.parse_wire``,
     bounded cost), text (length, no control character, no lone UTF-16 surrogate), the
     table of which fields each movement kind accepts (``KIND_FIELDS``) and requires
     (``REQUIRED``), the sign of amounts, the denomination grid.
  2. Then, if the context carries the company's ``Settings`` and nothing failed in 1:
     references (unknown category, method, customer, supplier), options that forbid a
     kind, manual methods for counts, the billetage total, and ``flow_rules.flow_rules``
     (a void's target, a transfer to the same method…).
  3. Then, if the context carries ``today`` (the shop-local date, passed in: the domain
     reads no clock) and the day's ``date``: the calendar's reach. A day is entered at
     most one day ahead (tomorrow) and closed no earlier than its own date.

Every function returns ``{field_path: [message_fr, …]}``, empty when valid. Paths name the
culprit inside the object given: ``amount``, ``sales[0].amount``, ``counts[1].grid``.
``rejection_code`` tells the sync rejection code of a verdict (``option_disabled``,
``unknown_reference`` or ``invalid``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import MoneyError
from .flow_rules import NONZERO, POSITIVE
from .flow_rules import check_flow_allowed as check_flow_allowed  # re-exported: one import place
from .flow_rules import flow_rules as flow_rules
from .flow_rules import is_int as is_int
from .inputs import Id, Settings
from .money import parse_wire

Errors = dict[str, list[str]]

MAX_LINES = 200  # lines of one header list
MAX_GRID = 30  # denominations of one count
TEXT_LIMITS: Mapping[str, int] = {"z_number": 40, "comment": 2000, "reason": 500, "label": 200, "account": 20,
                                  "slip_number": 40, "code": 40}
MULTILINE = frozenset({"comment", "reason"})
MAX_COUNT = 2**31 - 1  # counts are stored in SQL INTEGER columns
HEADER_FIELDS = ("z_number", "sales_count", "sales", "payments", "opening", "counts", "comment")
LINE_KEYS = ("sales", "payments", "opening", "counts")
UUID_RE = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
GRID_KEY_RE = re.compile(r"[1-9][0-9]{0,5}")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")  # in Python, any surrogate is lone
CONTROL_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")

COMMON_FIELDS = frozenset({"id", "kind", "corrects", "reason", "label"})
KIND_FIELDS: Mapping[str, frozenset[str]] = {  # fields a movement of each kind may carry, besides the common ones
    "cash_in": frozenset({"amount", "method_id", "owner"}),
    "cash_out": frozenset({"amount", "method_id"}),
    "expense": frozenset({"amount", "method_id", "supplier_id", "vat_bp", "account"}),
    "deposit": frozenset({"amount", "method_id", "slip_number", "cheque_count"}),
    "transfer": frozenset({"amount", "method_id", "to_method_id"}),
    "credit_granted": frozenset({"amount", "customer_id"}),
    "credit_settled": frozenset({"amount", "method_id", "customer_id"}),
    "refund": frozenset({"amount", "method_id", "customer_id"}),
    "voucher_sold": frozenset({"amount", "code", "method_id"}),
    "voucher_redeemed": frozenset({"amount", "code"}),
    "voucher_expired": frozenset({"amount", "code"}),
    "overpayment": frozenset({"amount", "method_id"}),
    "void": frozenset({"voids"}),
}
REQUIRED: Mapping[str, tuple[str, ...]] = {  # fields each kind must carry besides id and kind
    "cash_in": ("amount", "method_id"), "cash_out": ("amount", "method_id"), "expense": ("amount", "vat_bp"),
    "deposit": ("amount", "method_id"), "transfer": ("amount", "method_id", "to_method_id"),
    "credit_granted": ("amount",), "credit_settled": ("amount", "method_id"), "refund": ("amount", "method_id"),
    "voucher_sold": ("amount", "code", "method_id"), "voucher_redeemed": ("amount", "code"),
    "voucher_expired": ("amount", "code"), "overpayment": ("amount", "method_id"), "void": ("voids",),
}
FLOW_FIELD_TYPES: Mapping[str, str] = {
    "id": "uuid", "kind": "kind", "amount": "money", "method_id": "id", "to_method_id": "id", "reason": "text",
    "owner": "bool", "supplier_id": "id", "label": "text", "vat_bp": "vat_bp", "account": "text",
    "slip_number": "text", "cheque_count": "count", "customer_id": "id", "code": "text", "voids": "uuid",
    "corrects": "uuid",
}
DRAWER_OPTIONS = {"gift_voucher": "opt_gift_vouchers", "customer_credit": "opt_customer_credit"}

# Messages that carry a rejection code other than `invalid` (see rejection_code).
UNKNOWN_CATEGORY = "Classification inconnue pour cette société."
UNKNOWN_METHOD = "Moyen de paiement inconnu pour cette société."
UNKNOWN_REFERENCE = "Référence inconnue pour cette société."
DISABLED_PREFIX = "Désactivé pour cette société (option "
REQUIRED_MESSAGE = "Champ obligatoire."
NOT_APPLICABLE = "Champ non applicable à ce type de mouvement."
UNKNOWN_FIELD = "Champ inconnu ou non modifiable."
NOT_NEGATIVE = "Le montant ne peut pas être négatif."
BAD_TEXT = "Texte invalide : caractère de contrôle ou caractère incomplet."


@dataclass(frozen=True)
class Context:
    """What a verdict may look at besides the value: all optional, each enables its rules."""

    settings: Settings | None = None  # the company's catalog and options: reference rules
    existing: Mapping[str, str] | None = None  # the day's flow ids → kinds: a void's target
    today: str | None = None  # shop-local ISO date, from the caller's clock: calendar reach
    date: str | None = None  # the day's ISO date


def _add(errors: Errors, path: str, message: str) -> None:
    errors.setdefault(path, []).append(message)


def text_error(value: object, field: str) -> str | None:
    """Why ``value`` is not acceptable text for ``field`` (see TEXT_LIMITS, MULTILINE), else None."""
    limit = TEXT_LIMITS[field]
    if not isinstance(value, str):
        return "Texte attendu."
    if len(value) > limit:
        return f"{limit} caractères au plus."
    if (CONTROL if field in MULTILINE else CONTROL_ONE_LINE).search(value):
        return BAD_TEXT
    return None


def money_error(value: object, *, sign: str) -> tuple[int | None, str | None]:
    """(cents, None) or (None, French message). ``sign``: 'positive' (> 0), 'nonzero', 'any', 'not_negative'."""
    try:
        cents = parse_wire(value)
    except MoneyError as exc:
        return None, exc.message_fr
    if sign == "positive" and cents <= 0:
        return None, POSITIVE
    if sign == "nonzero" and cents == 0:
        return None, NONZERO
    if sign == "not_negative" and cents < 0:
        return None, NOT_NEGATIVE
    return cents, None


def _ordinal(text: str) -> int | None:
    """'YYYY-MM-DD' → day number (proleptic Gregorian, 0001-01-01 = 1), None if not a real date.
    Written out because the domain imports no clock module (tests/domain/test_purity.py)."""
    if not DATE_RE.fullmatch(text):
        return None
    year, month, day = int(text[:4]), int(text[5:7]), int(text[8:])
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    lengths = (31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
    if year < 1 or not 1 <= month <= 12 or not 1 <= day <= lengths[month - 1]:
        return None
    y = year - 1
    return y * 365 + y // 4 - y // 100 + y // 400 + sum(lengths[:month - 1]) + day


def is_date(value: object) -> bool:
    return isinstance(value, str) and _ordinal(value) is not None


# -- calendar reach ---------------------------------------------------------------------------------


def validate_date(date: object, today: str, *, closing: bool = False) -> Errors:
    """A day is entered at most until tomorrow and closed no earlier than its own date (shop-local)."""
    on = _ordinal(date) if isinstance(date, str) else None
    now = _ordinal(today)
    if on is None or now is None:
        return {"date": ["Date AAAA-MM-JJ attendue."]}
    if closing and on > now:
        return {"date": ["Une journée ne se clôture pas avant sa date."]}
    if on > now + 1:
        return {"date": ["Date trop lointaine : une journée ne se saisit pas au-delà de demain."]}
    return {}


WEEK_SHAPE_MESSAGE = "Sept jours attendus (lundi → dimanche), vrai ou faux."
NO_OPENING_DAY_MESSAGE = "Cochez au moins un jour d’ouverture."


def validate_weekly_pattern(pattern: object) -> Errors:
    """A weekly pattern (the company's, or a register's own): seven booleans, Monday first, at least one open
    day (a week with none would leave no day to enter and every day « missing » for ever)."""
    if not isinstance(pattern, list) or len(pattern) != 7 or not all(isinstance(day, bool) for day in pattern):
        return {"weekly_pattern": [WEEK_SHAPE_MESSAGE]}
    if not any(pattern):
        return {"weekly_pattern": [NO_OPENING_DAY_MESSAGE]}
    return {}


def _reach(ctx: Context) -> Errors:
    return validate_date(ctx.date, ctx.today) if ctx.today is not None and ctx.date is not None else {}


# -- header -----------------------------------------------------------------------------------------


def validate_header(fields: object, ctx: Context | None = None) -> Errors:
    """Header fields of a ``day.put`` (wire form) → French messages by path; {} when valid."""
    ctx = ctx or Context()
    errors: Errors = {}
    if not isinstance(fields, Mapping):
        return {"fields": ["Un objet est attendu."]}
    if not fields:
        return {"fields": ["Aucun champ à modifier."]}
    for key, value in fields.items():
        if key not in HEADER_FIELDS:
            _add(errors, str(key), UNKNOWN_FIELD)
        elif key in ("z_number", "comment"):
            if (message := text_error(value, key)) is not None:
                _add(errors, key, message)
        elif key == "sales_count":
            if not is_int(value, 0, MAX_COUNT):
                _add(errors, key, "Entier ≥ 0 attendu.")
        else:
            _lines_values(key, value, errors)
    if errors:
        return errors
    if ctx.settings is not None:
        for key in LINE_KEYS:
            _lines_references(key, fields.get(key) or [], ctx.settings, errors)
    return errors or _reach(ctx)


def _lines_values(key: str, items: object, errors: Errors) -> None:
    ref = "category_id" if key == "sales" else "method_id"
    allowed = {ref, "amount"} | ({"grid"} if key == "counts" else set())
    if not isinstance(items, list):
        _add(errors, key, "Une liste est attendue.")
        return
    if len(items) > MAX_LINES:
        _add(errors, key, f"{MAX_LINES} lignes au plus.")
        return
    for i, item in enumerate(items):
        path = f"{key}[{i}]"
        if not isinstance(item, Mapping):
            _add(errors, path, "Un objet est attendu.")
            continue
        for name in sorted(set(map(str, item)) - allowed):
            _add(errors, f"{path}.{name}", UNKNOWN_FIELD)
        for name in sorted({ref, "amount"} - set(item)):
            _add(errors, f"{path}.{name}", REQUIRED_MESSAGE)
        if ref in item and not is_int(item[ref], 1):
            _add(errors, f"{path}.{ref}", "Identifiant entier ≥ 1 attendu.")
        if "amount" in item and (message := money_error(item["amount"], sign="not_negative")[1]):
            _add(errors, f"{path}.amount", message)
        if "grid" in item and (message := _grid_error(item["grid"])):
            _add(errors, f"{path}.grid", message)


def _grid_error(grid: object) -> str | None:
    if not isinstance(grid, Mapping) or len(grid) > MAX_GRID:
        return f"Billetage attendu : {{coupure en centimes : quantité}}, {MAX_GRID} coupures au plus."
    for value, count in grid.items():
        if not isinstance(value, str) or not GRID_KEY_RE.fullmatch(value):
            return "Coupure invalide (valeur en centimes)."
        if not is_int(count, 0, 10**6):
            return "Quantité invalide (entier de 0 à 1 000 000)."
    return None


def _lines_references(key: str, items: list[Mapping[str, Any]], settings: Settings, errors: Errors) -> None:
    ref = "category_id" if key == "sales" else "method_id"
    seen: set[Id] = set()
    for i, item in enumerate(items):
        path, target = f"{key}[{i}]", item[ref]
        method = settings.find_method(target) if key != "sales" else None
        if key == "sales" and not any(c.id == target for c in settings.categories):
            _add(errors, f"{path}.{ref}", UNKNOWN_CATEGORY)
            continue
        if key != "sales" and method is None:
            _add(errors, f"{path}.{ref}", UNKNOWN_METHOD)
            continue
        if target in seen:
            _add(errors, f"{path}.{ref}", "Ligne en double : une seule ligne par référence.")
        seen.add(target)
        if method is None:
            continue
        if key in ("opening", "counts") and not method.manual:
            _add(errors, f"{path}.method_id", "Seuls les moyens à dépôt manuel (espèces, chèques) se comptent.")
        option = DRAWER_OPTIONS.get(method.kind) if key == "payments" else None
        if option and not getattr(settings.options, option):
            _add(errors, f"{path}.method_id", f"{DISABLED_PREFIX}{option}).")
        grid = item.get("grid")
        if grid and method.kind != "cash":
            _add(errors, f"{path}.grid", "Le billetage ne concerne que les espèces.")
        elif grid and sum(int(value) * count for value, count in grid.items()) != parse_wire(item["amount"]):
            _add(errors, f"{path}.grid", "Le billetage ne correspond pas au montant compté.")


# -- flows ------------------------------------------------------------------------------------------


def validate_flow(flow: object, ctx: Context | None = None) -> Errors:
    """A movement of a ``flow.add`` (wire form: money as strings) → French messages by field; {} when valid."""
    ctx = ctx or Context()
    if not isinstance(flow, Mapping):
        return {"flow": ["Un objet est attendu."]}
    return flow_values(flow) or flow_in_context(flow, ctx)


def flow_in_context(flow: Mapping[str, Any], ctx: Context) -> Errors:
    """Step 2 for a movement whose values passed ``flow_values`` (step 1): the company's settings, the
    references, the kind's rules, the calendar reach. ``validate_flow`` is step 1 then step 2; a caller
    that ran step 1 on this very mapping already (sync's ``check_args``, before ``decide`` asks the
    rules) calls step 2 alone, so a change-set of 100 movements is not checked twice."""
    if ctx.settings is None:
        return _reach(ctx)
    kind = flow["kind"]
    option = check_flow_allowed(kind, ctx.settings)
    if option is not None:
        return {"kind": [f"{DISABLED_PREFIX}{option})."]}
    known_ids: dict[str, set[Id]] = {
        "method_id": {m.id for m in ctx.settings.methods}, "to_method_id": {m.id for m in ctx.settings.methods},
        "customer_id": {c.id for c in ctx.settings.customers}, "supplier_id": {s.id for s in ctx.settings.suppliers}}
    unknown = {key: [UNKNOWN_REFERENCE] for key, known in known_ids.items()
               if flow.get(key) is not None and flow[key] not in known}
    if unknown:
        return unknown
    cents = {**flow, "amount": parse_wire(flow["amount"])} if "amount" in flow else dict(flow)
    return flow_rules(cents, ctx.settings, existing=ctx.existing) or _reach(ctx)


def flow_values(flow: Mapping[str, Any]) -> Errors:
    """Step 1 for a movement: types, ranges, text, money and its sign, the kind's field table."""
    errors: Errors = {}
    kind = flow.get("kind")
    for key in ("id", "kind"):
        if key not in flow:
            _add(errors, key, REQUIRED_MESSAGE)
    known_kind = isinstance(kind, str) and kind in KIND_FIELDS
    if "kind" in flow and not known_kind:
        _add(errors, "kind", "Type de mouvement inconnu.")
    for key, value in flow.items():
        shape = FLOW_FIELD_TYPES.get(str(key))
        if shape is None:
            _add(errors, str(key), UNKNOWN_FIELD)
        elif known_kind and key not in KIND_FIELDS[str(kind)] | COMMON_FIELDS:
            _add(errors, key, NOT_APPLICABLE)
        elif shape != "kind" and (message := _value_error(shape, key, value, kind)) is not None:
            _add(errors, key, message)
    if known_kind:
        for key in REQUIRED[str(kind)]:
            if key not in flow:
                _add(errors, key, REQUIRED_MESSAGE)
    return errors


def _value_error(shape: str, key: str, value: Any, kind: Any) -> str | None:
    if shape == "money":
        sign = "nonzero" if kind == "overpayment" else "positive"
        return money_error(value, sign=sign)[1]
    if shape == "text":
        return text_error(value, key)
    if shape == "id":
        return None if is_int(value, 1) else "Identifiant entier ≥ 1 attendu."
    if shape == "count":
        return None if is_int(value, 0, MAX_COUNT) else "Entier ≥ 0 attendu."
    if shape == "vat_bp":
        return None if is_int(value, 0, 10_000) else "Taux de TVA invalide (points de base, de 0 à 10000)."
    if shape == "bool":
        return None if isinstance(value, bool) else "Vrai ou faux attendu."
    return None if isinstance(value, str) and UUID_RE.fullmatch(value) else "UUID attendu."


def rejection_code(errors: Mapping[str, list[str]]) -> str:
    """The sync rejection code of a verdict: an option wins over an unknown reference, else ``invalid``."""
    messages = [m for found in errors.values() for m in found]
    if any(m.startswith(DISABLED_PREFIX) for m in messages):
        return "option_disabled"
    if any(m in (UNKNOWN_CATEGORY, UNKNOWN_METHOD, UNKNOWN_REFERENCE) for m in messages):
        return "unknown_reference"
    return "invalid"
