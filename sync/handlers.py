"""Mutation handlers: decisions on plain data.

A handler reads the current state through a `Reader` and returns a `Decision`: a status, and
the writes to perform as values (`PutDay`, `AddFlow`, `SealDay`, `ReopenDay`). It never writes
and never raises for a conflict; `merge.merge_batch` performs the writes.

Each handler runs the same checks in the same order:
1. args shape (`rules.check_args`) → `invalid`;
2. `flow.add`: a known UUID is a duplicate (same content: status `duplicate`, idempotent) or
   `duplicate_flow` (other content), whatever the day's state;
   `day.reopen`: the actor must be admin or firm_admin → `forbidden`;
3. the day is open (Rule 5) → `day_closed`, with the day as server value; for `flow.add`,
   `voids` / `corrects` must name a stored flow → `unknown_reference`, and a voided flow's
   day must be open too;
4. staleness of header fields (Rule 2) → `stale_revision`, with the server's header fields;
5. domain rules, injected: `validate(name, args, check)` for `day.put` / `flow.add`, returning
   {field: [message fr]}; the reserved key `_code` may name the rejection code (for example
   `option_disabled`), otherwise the code is `invalid`; `can_close(day)` for `day.close`,
   returning blocking reasons.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Protocol

from sync.changes import Actor, DayState, FlowState, Mutation, Status
from sync.rules import REJECTION_CODES, REOPEN_ROLES, check_args, stale_fields, to_cents

CODE_KEY = "_code"


@dataclass(frozen=True)
class Check:
    """What `validate` may look at besides the args."""

    device_id: str
    actor: Actor
    now: str
    day: DayState | None


Validate = Callable[[str, Mapping[str, Any], Check], Mapping[str, list[str]]]
CanClose = Callable[[DayState], list[str]]


def no_errors(name: str, args: Mapping[str, Any], check: Check) -> Mapping[str, list[str]]:
    return {}


CanReopen = Callable[[DayState], "str | None"]


def always_reopenable(day: DayState) -> str | None:
    return None


def always_closable(day: DayState) -> list[str]:
    return []


@dataclass(frozen=True)
class Context:
    """Everything a batch is decided with that is not in the store: who, when, and the domain rules."""

    device_id: str
    actor: Actor
    now: str  # ISO 8601 UTC: sync/ never reads a clock
    validate: Validate = no_errors
    can_close: CanClose = always_closable
    can_reopen: CanReopen = always_reopenable  # a lock besides the role (an exported period): why not, or None


class Reader(Protocol):
    def get_day(self, register_id: int, date: str) -> DayState | None: ...

    def get_flow(self, flow_id: str) -> FlowState | None: ...


@dataclass(frozen=True)
class PutDay:
    day: DayState  # create the day, or replace its header, revision and field versions


@dataclass(frozen=True)
class AddFlow:
    flow: FlowState


@dataclass(frozen=True)
class SealDay:
    day: DayState  # status "closed": the caller assigns sequence and hash


@dataclass(frozen=True)
class ReopenDay:
    day: DayState  # status "open" again, journaled with the reason
    reason: str


Write = PutDay | AddFlow | SealDay | ReopenDay


@dataclass(frozen=True)
class Decision:
    status: Status
    writes: tuple[Write, ...] = ()
    code: str | None = None
    message: str | None = None
    server_value: Any = None


def decide(mutation: Mutation, reader: Reader, ctx: Context,
           checked: Mapping[str, list[str]] | None = None) -> Decision:
    """The decision for one mutation against the current state. `checked` is `check_args` of the mutation
    when the caller ran it already (a push checks its args before it takes the company's lock)."""
    errors = check_args(mutation.name, mutation.args) if checked is None else checked
    if errors:
        return _reject("invalid", _summary(errors), {"errors": errors})
    return _HANDLERS[mutation.name](mutation.args, reader, ctx)


def _day_put(args: Mapping[str, Any], reader: Reader, ctx: Context) -> Decision:
    day = reader.get_day(args["register_id"], args["date"])
    current = day or DayState(args["register_id"], args["date"])
    fields: Mapping[str, Any] = args["fields"]
    refused = _closed(current) or _stale(current, fields, args["base_revision"], ctx)
    refused = refused or _validated("day.put", args, ctx, day)
    if refused:
        return refused
    revision = current.revision + 1
    versions = {**current.field_versions, **{name: (revision, ctx.device_id) for name in fields}}
    header = {**current.fields, **fields}
    changed = replace(current, revision=revision, fields=header, field_versions=versions)
    return Decision("applied", (PutDay(changed),))


def _flow_add(args: Mapping[str, Any], reader: Reader, ctx: Context) -> Decision:
    register_id, date, flow = args["register_id"], args["date"], args["flow"]
    existing = reader.get_flow(flow["id"])
    if existing is not None:
        if (existing.register_id, existing.date, _norm(existing.data)) == (register_id, date, _norm(flow)):
            return Decision("duplicate", message="Mouvement déjà enregistré.")
        value = {"register_id": existing.register_id, "date": existing.date, "flow": dict(existing.data)}
        return _reject("duplicate_flow", "Un autre mouvement porte déjà cet identifiant.", value)
    day = reader.get_day(register_id, date)
    refused = _closed(day) or _references(flow, reader) or _validated("flow.add", args, ctx, day)
    if refused:
        return refused
    created = () if day else (PutDay(DayState(register_id, date)),)
    return Decision("applied", (*created, AddFlow(FlowState(register_id, date, dict(flow)))))


def _day_close(args: Mapping[str, Any], reader: Reader, ctx: Context) -> Decision:
    day = reader.get_day(args["register_id"], args["date"])
    current = day or DayState(args["register_id"], args["date"])
    refused = _closed(current) or _stale(current, current.field_versions, args["base_revision"], ctx)
    if refused:
        return refused
    reasons = ctx.can_close(current)
    if reasons:
        return _reject("invalid", " ; ".join(reasons), {**current.server_value(), "reasons": reasons})
    created = () if day else (PutDay(current),)
    return Decision("applied", (*created, SealDay(replace(current, status="closed"))))


def _day_reopen(args: Mapping[str, Any], reader: Reader, ctx: Context) -> Decision:
    day = reader.get_day(args["register_id"], args["date"])
    value = day.server_value() if day else None
    if ctx.actor.role not in REOPEN_ROLES:
        return _reject("forbidden", "Seul un administrateur peut rouvrir une journée.", value)
    if day is None or day.status != "closed":
        return _reject("invalid", "La journée n'est pas clôturée.", value)
    locked = ctx.can_reopen(day)
    if locked:
        return _reject("forbidden", locked, {**(value or {}), "lock": "period_exported"})
    return Decision("applied", (ReopenDay(replace(day, status="open"), args["reason"]),))


_HANDLERS: Mapping[str, Callable[[Mapping[str, Any], Reader, Context], Decision]] = {
    "day.put": _day_put,
    "flow.add": _flow_add,
    "day.close": _day_close,
    "day.reopen": _day_reopen,
}


# French labels of the header fields, for the messages a cashier reads.
FIELD_LABELS = {
    "z_number": "numéro du ticket Z",
    "sales_count": "nombre de ventes",
    "sales": "ventes par classification",
    "payments": "ventilation des paiements",
    "opening": "fond de caisse",
    "counts": "solde réel compté",
    "comment": "commentaire",
}


def _french_date(iso: str) -> str:
    """'2026-11-22' -> '22/11/2026' (left as is when not an ISO date)."""
    parts = iso.split("-")
    return "/".join(reversed(parts)) if len(parts) == 3 else iso


def _reject(code: str, message: str, server_value: Any) -> Decision:
    return Decision("rejected", code=code, message=message, server_value=server_value)


def _closed(day: DayState | None) -> Decision | None:
    if day is None or day.status != "closed":
        return None
    return _reject("day_closed", f"La journée du {_french_date(day.date)} est clôturée.", day.server_value())


def _references(flow: Mapping[str, Any], reader: Reader) -> Decision | None:
    """`voids` and `corrects` must name a stored flow; a voided flow's day must still be open."""
    for ref in ("voids", "corrects"):
        if ref not in flow:
            continue
        target = reader.get_flow(flow[ref])
        if target is None:
            errors = {f"flow.{ref}": ["Mouvement inconnu."]}
            return _reject("unknown_reference", "Mouvement d'origine introuvable.", {"errors": errors})
        if ref == "voids" and (closed := _closed(reader.get_day(target.register_id, target.date))):
            return closed
    return None


def _stale(day: DayState, written: Mapping[str, Any], base_revision: int, ctx: Context) -> Decision | None:
    stale = stale_fields(written, base_revision, day.field_versions, ctx.device_id)
    if not stale:
        return None
    labels = ", ".join(FIELD_LABELS.get(field, field) for field in stale)
    message = f"Modifié entre-temps sur un autre appareil : {labels}."
    return _reject("stale_revision", message, {**day.server_value(), "conflicts": stale})


def _validated(name: str, args: Mapping[str, Any], ctx: Context, day: DayState | None) -> Decision | None:
    found = ctx.validate(name, args, Check(ctx.device_id, ctx.actor, ctx.now, day))
    errors = {field: list(messages) for field, messages in found.items() if messages and field != CODE_KEY}
    if not errors and not found.get(CODE_KEY):
        return None
    code = next(iter(found.get(CODE_KEY) or ["invalid"]))
    return _reject(code if code in REJECTION_CODES else "invalid", _summary(errors), {"errors": errors})


def _summary(errors: Mapping[str, list[str]]) -> str:
    return " ; ".join(f"{field} : {messages[0]}" for field, messages in sorted(errors.items()))


def _norm(flow: Mapping[str, Any]) -> dict[str, Any]:
    """A flow for comparison: money as cents; absent, null, empty text and false alike."""
    return {key: to_cents(value) if key == "amount" else value
            for key, value in flow.items() if value is not None and value != "" and value is not False}
