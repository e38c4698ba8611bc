"""The day input as typed, frozen values, and the one reader from its JSON shape.

``parse_day_input`` reads ``{"settings", "previous_counts", "day"}`` (cents as integers,
the shape of schema/vectors/day/*.json) and refuses what it cannot read, with a French
``InputError``: a float where cents are due, an unknown flow kind, a previous count for a
method the settings do not know. Rules (which flows are allowed, which fields a flow
needs) are not checked here but in ``controls.validate_flow``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field, fields
from typing import Any

from .errors import InputError

Id = int | str
FLOW_KINDS = ("cash_in", "cash_out", "expense", "deposit", "transfer", "credit_granted", "credit_settled",
              "refund", "voucher_sold", "voucher_redeemed", "voucher_expired", "overpayment", "void")
METHOD_KINDS = ("cash", "cheque", "card", "meal_voucher", "gift_voucher", "customer_credit", "other")


BLANK = " \t\r\n\u00a0\u202f"  # what a "blank" comment or label may contain (same set in JS)


def is_blank(text: object) -> bool:
    return not isinstance(text, str) or not text.strip(BLANK)


def id_key(value: Id | None) -> tuple[int, int, str]:
    """Sort key: None first, then server ints (numerically), then client strings."""
    if value is None:
        return (-1, 0, "")
    if isinstance(value, int):
        return (0, value, "")
    return (1, 0, value)


@dataclass(frozen=True)
class Category:
    id: Id
    vat_bp: int
    position: int = 0
    label: str = ""
    account: str | None = None  # revenue account, else the chart's default


@dataclass(frozen=True)
class Method:
    id: Id
    kind: str
    deposit_mode: str = "automatic"
    label: str = ""
    account: str | None = None

    @property
    def manual(self) -> bool:
        return self.deposit_mode == "manual"


@dataclass(frozen=True)
class Party:
    """A customer or a supplier."""

    id: Id
    label: str = ""
    account: str | None = None
    vat_bp: int | None = None


@dataclass(frozen=True)
class Options:
    opt_customer_credit: bool = False
    credit_mode: str = "detailed"  # or "lump"
    opt_gift_vouchers: bool = False
    opt_cash_expenses: bool = False
    opt_transfers: bool = False
    opt_overpayments: bool = False


@dataclass(frozen=True)
class Settings:
    categories: tuple[Category, ...] = ()
    methods: tuple[Method, ...] = ()
    customers: tuple[Party, ...] = ()
    suppliers: tuple[Party, ...] = ()
    min_threshold: int | None = None
    max_threshold: int | None = None
    tolerance: int = 0
    options: Options = field(default_factory=Options)
    opening_day: bool = True

    def find_method(self, method_id: object) -> Method | None:
        if isinstance(method_id, bool):  # True == 1 in Python, not in JSON
            return None
        return next((m for m in self.methods if m.id == method_id), None)

    def method(self, method_id: object, where: str) -> Method:
        found = self.find_method(method_id)
        if found is None:
            raise InputError(f"Moyen de paiement inconnu ({where}) : {method_id}.", field="method_id")
        return found


@dataclass(frozen=True)
class Line:
    """A header line: ``ref`` is the category id (sales) or the method id (the others)."""

    ref: Id
    amount: int


@dataclass(frozen=True)
class Flow:
    id: str
    kind: str
    amount: int = 0
    method_id: Id | None = None
    to_method_id: Id | None = None
    customer_id: Id | None = None
    supplier_id: Id | None = None
    code: str | None = None
    voids: str | None = None
    corrects: str | None = None
    vat_bp: int | None = None
    account: str | None = None
    label: str = ""
    reason: str = ""
    owner: bool = False
    slip_number: str | None = None  # bank deposit slip (printed journal)
    cheque_count: int | None = None  # cheques in a deposit


@dataclass(frozen=True)
class Day:
    date: str | None = None
    z_number: str = ""
    sales_count: int = 0
    sales: tuple[Line, ...] = ()
    payments: tuple[Line, ...] = ()
    opening: tuple[Line, ...] = ()
    counts: tuple[Line, ...] = ()
    comment: str = ""
    flows: tuple[Flow, ...] = ()

    def amount_of(self, header: str, method_id: Id) -> int | None:
        """Sum of the ``payments|opening|counts`` lines of one method, None when it has none."""
        found = [line.amount for line in getattr(self, header) if line.ref == method_id]
        return sum(found) if found else None


@dataclass(frozen=True)
class PreviousDay:
    """An earlier day of the register, as the carry-over rule needs it (DECISIONS.md)."""

    date: str
    open: bool = False
    counts: tuple[Line, ...] = ()


@dataclass(frozen=True)
class DayInput:
    settings: Settings
    day: Day
    previous_counts: Mapping[Id, int] = field(default_factory=dict)
    # The register's earlier days that matter: the last counted one and those still open.
    previous_days: tuple[PreviousDay, ...] = ()
    # Gift-voucher codes known before this day, "open" (sold) or "used"; None when not tracked.
    voucher_codes: Mapping[str, str] | None = None

    def carried_counts(self) -> dict[Id, int]:
        """The opening carried per method: the latest count of it among ``previous_days`` (open,
        uncounted days are skipped), overridden by ``previous_counts`` when given."""
        carried: dict[Id, int] = {}
        for earlier in sorted(self.previous_days, key=lambda d: d.date):
            for line in earlier.counts:
                carried[line.ref] = line.amount
        return {**carried, **self.previous_counts}

    def earlier_open_days(self) -> list[str]:
        """ISO dates of the register's earlier days still open, oldest first."""
        return sorted(d.date for d in self.previous_days if d.open and d.date != self.day.date)


_KINDS: dict[str, tuple[type, ...]] = {
    "Id": (int, str), "Id | None": (int, str), "int": (int,), "int | None": (int,),
    "bool": (bool,), "str": (str,), "str | None": (str,),
}


def _typed(value: Any, kinds: tuple[type, ...], key: str, where: str) -> Any:
    """``value`` if its JSON type is one of ``kinds`` (a bool is not an int here)."""
    if isinstance(value, bool) != (bool in kinds) or not isinstance(value, kinds):
        raise InputError(f"{where} : champ « {key} » invalide.", field=key)
    return value


def _build(cls: type[Any], obj: Any, where: str, **fixed: Any) -> Any:
    """Fill a flat dataclass from a JSON object; null or absent means the field's default."""
    if not isinstance(obj, Mapping):
        raise InputError(f"{where} : un objet est attendu.")
    values: dict[str, Any] = dict(fixed)
    for spec in fields(cls):
        if spec.name in fixed:
            continue
        if obj.get(spec.name) is not None:
            values[spec.name] = _typed(obj[spec.name], _KINDS[str(spec.type)], spec.name, where)
        elif spec.default is MISSING:
            raise InputError(f"{where} : champ « {spec.name} » manquant.", field=spec.name)
    return cls(**values)


def _objects(obj: Mapping[str, Any], key: str, where: str) -> list[Mapping[str, Any]]:
    """``obj[key]``: a list of JSON objects (absent or null → empty)."""
    items = obj.get(key) or []
    if not isinstance(items, list | tuple) or not all(isinstance(x, Mapping) for x in items):
        raise InputError(f"{where} : « {key} » doit être une liste d’objets.", field=key)
    return list(items)


def _lines(obj: Mapping[str, Any], key: str) -> tuple[Line, ...]:
    ref = "category_id" if key == "sales" else "method_id"
    return tuple(Line(_typed(x.get(ref), (int, str), ref, key), _typed(x.get("amount"), (int,), "amount", key))
                 for x in _objects(obj, key, "journée"))


def _object(obj: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = obj.get(key) or {}
    if not isinstance(value, Mapping):
        raise InputError(f"« {key} » doit être un objet.", field=key)
    return value


def parse_day_input(obj: Mapping[str, Any]) -> DayInput:
    """``{"settings", "previous_counts", "day"}`` (JSON shape, cents) → DayInput."""
    raw = _object(obj, "settings")
    settings = Settings(
        categories=tuple(_build(Category, c, "classification") for c in _objects(raw, "categories", "réglages")),
        methods=tuple(_build(Method, m, "moyen de paiement") for m in _objects(raw, "methods", "réglages")),
        customers=tuple(_build(Party, c, "client") for c in _objects(raw, "customers", "réglages")),
        suppliers=tuple(_build(Party, s, "fournisseur") for s in _objects(raw, "suppliers", "réglages")),
        options=_build(Options, _object(raw, "options"), "options"),
        **{k: _typed(raw[k], (int,), k, "réglages") for k in ("min_threshold", "max_threshold")
           if raw.get(k) is not None},
        tolerance=_typed(raw.get("tolerance", 0), (int,), "tolerance", "réglages"),
        opening_day=_typed(raw.get("opening_day", True), (bool,), "opening_day", "réglages"),
    )
    for method in settings.methods:
        if method.kind not in METHOD_KINDS or method.deposit_mode not in ("manual", "automatic"):
            raise InputError(f"Moyen de paiement {method.id} : type ou mode de dépôt inconnu.", field="kind")
    if settings.options.credit_mode not in ("detailed", "lump"):
        raise InputError("Mode de crédit client inconnu (detailed ou lump).", field="credit_mode")
    raw_day = _object(obj, "day")
    flows = tuple(_build(Flow, f, "mouvement") for f in _objects(raw_day, "flows", "journée"))
    for flow in flows:
        if flow.kind not in FLOW_KINDS:
            raise InputError(f"Type de mouvement inconnu : {flow.kind}.", field="kind")
    day = _build(Day, raw_day, "journée", flows=flows,
                 **{key: _lines(raw_day, key) for key in ("sales", "payments", "opening", "counts")})
    previous: dict[Id, int] = {}
    for key, cents in _object(obj, "previous_counts").items():
        known = next((m for m in settings.methods if str(m.id) == str(key)), None)
        if known is None or isinstance(cents, bool) or not isinstance(cents, int):
            raise InputError(f"Comptage précédent illisible pour le moyen {key}.", field="previous_counts")
        previous[known.id] = cents
    earlier = tuple(_previous_day(x, settings) for x in _objects(obj, "previous_days", "jours précédents"))
    codes = obj.get("voucher_codes")
    if codes is not None and (not isinstance(codes, Mapping) or not all(
            isinstance(k, str) and v in ("open", "used") for k, v in codes.items())):
        raise InputError("« voucher_codes » : état de bon illisible (open ou used).", field="voucher_codes")
    return DayInput(settings, day, previous, earlier, None if codes is None else dict(codes))


def _previous_day(obj: Mapping[str, Any], settings: Settings) -> PreviousDay:
    on = obj.get("date")
    if not isinstance(on, str) or len(on) != 10:
        raise InputError("Jour précédent : date illisible.", field="previous_days")
    counts = _lines(obj, "counts")
    for line in counts:
        settings.method(line.ref, f"comptage du {on}")
    return PreviousDay(on, _typed(obj.get("open", False), (bool,), "open", "jour précédent"), counts)
