"""The batch algorithm of push, and the resolution of a rejection by an admin.

The caller opens ONE transaction, locks the company's version row, implements `Store` on
that transaction, calls `merge_batch`, then commits - or rolls back if `TemporaryFailure`
(or anything else) escapes, and answers 503.

Algorithm of `merge_batch`, for the mutations of one device, ids strictly increasing:
0. Ids that do not strictly increase raise `IdsGoingBackwards` before anything is read. Then
   `store.prepare` reads, in bulk, what the batch names (`touched`): its days and its flows.
1. A mutation whose id is ≤ the device's last processed id is skipped: result `duplicate`
   (a re-sent batch is harmless).
2. The first id > last + 1 is a gap: processing stops, `gap_at` = that id, nothing after it is
   applied; the device must resend from `last_mutation_id + 1`.
3. Otherwise the handler decides (`handlers.decide`). Its writes are performed in order, each
   with its own server version (`Stamp`). A permanent failure is stored as a `Rejection`
   and STILL advances the last processed id, or the device would retry it forever.
4. A `TemporaryFailure` from the store or an injected callable propagates: the caller rolls
   the whole batch back, nothing advanced.
5. The device's last processed id is written once, at the end, if it moved; `store.flush` ends the
   batch (a store may buffer its writes until then and send them in bulk).

A caller may also run `merge_batch` on a `sync.plan.Planner` before it takes its lock, and replay the recorded
writes under it (`Planner.replay`): the same calls on the same state.

Invariants: each (device, id) takes effect at most once; ids are processed in order with no
hole; every write carries who, when and which mutation (one write path, one audit trail).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from domain.validation import is_date
from sync.changes import (
    Actor,
    DayState,
    FlowState,
    MergeResult,
    Mutation,
    MutationResult,
    Rejection,
    Stamp,
    check_order,
)
from sync.errors import MalformedBatch, ResolutionError
from sync.handlers import AddFlow, Context, PutDay, ReopenDay, Write, decide
from sync.rules import REOPEN_ROLES, UUID_RE, check_args

DayKey = tuple[int, str]  # (register_id, ISO date)


@dataclass(frozen=True)
class Touched:
    """What a batch names: the days of its args and the flows of its `flow.add` (new, voided, corrected)."""

    days: frozenset[DayKey]
    flows: frozenset[str]


def touched(mutations: Sequence[Mutation]) -> Touched:
    """The days and flows a batch names, from args that have the right shape (the others are rejected
    `invalid` without reading anything). Pure: a store uses it to read them all at once."""
    days: set[DayKey] = set()
    flows: set[str] = set()
    for mutation in mutations:
        args = mutation.args
        register_id, date = args.get("register_id"), args.get("date")
        if type(register_id) is int and isinstance(date, str) and (register_id, date) not in days and _is_date(date):
            days.add((register_id, date))
        flow = args.get("flow") if mutation.name == "flow.add" else None
        if isinstance(flow, dict):
            for key in ("id", "voids", "corrects"):
                value = flow.get(key)
                if isinstance(value, str) and UUID_RE.match(value):
                    flows.add(value)
    return Touched(frozenset(days), frozenset(flows))


def _is_date(value: str) -> bool:
    return is_date(value)


class Store(Protocol):
    """What the merge engine needs from storage, all inside the caller's one transaction."""

    def prepare(self, mutations: Sequence[Mutation]) -> None:
        """Read at once what the batch names (`touched`), so that deciding reads no more rows."""
        ...

    def flush(self) -> None:
        """Write what is buffered: called once, at the end of the batch."""
        ...

    def get_device_state(self, device_id: str) -> int:
        """The device's last processed mutation id (0 for a new device)."""
        ...

    def set_last_mutation_id(self, device_id: str, last_mutation_id: int) -> None: ...

    def next_server_version(self) -> int:
        """Increment and return the company's version counter (the pull cookie)."""
        ...

    def get_day(self, register_id: int, date: str) -> DayState | None: ...

    def get_flow(self, flow_id: str) -> FlowState | None: ...

    def put_day(self, day: DayState, stamp: Stamp) -> None:
        """Create the day (new UUID) or replace its header fields, revision and field versions."""
        ...

    def add_flow(self, flow: FlowState, stamp: Stamp) -> None: ...

    def seal_day(self, day: DayState, stamp: Stamp) -> None:
        """Mark the day closed; the caller computes its sequence and hash (domain journal)."""
        ...

    def record_reopen(self, day: DayState, reason: str, stamp: Stamp) -> None:
        """Mark the day open again and journal who, when and why."""
        ...

    def record_rejection(self, rejection: Rejection, stamp: Stamp) -> None: ...


def check_batch(mutations: Sequence[Mutation]) -> dict[int, dict[str, list[str]]]:
    """`check_args` of every mutation, by id: pure, so a caller runs it before it locks anything and hands
    the verdicts to `merge_batch` (the lock is then held for the decisions that read state only)."""
    return {mutation.id: check_args(mutation.name, mutation.args) for mutation in mutations}


def merge_batch(store: Store, mutations: Sequence[Mutation], ctx: Context,
                checked: Mapping[int, Mapping[str, list[str]]] | None = None) -> MergeResult:
    """Apply one device's batch (see the numbered steps above); `checked` is `check_batch(mutations)` when
    the caller ran it already."""
    check_order(mutations)
    store.prepare(mutations)
    start = last = store.get_device_state(ctx.device_id)
    results: list[MutationResult] = []
    gap_at: int | None = None
    for mutation in mutations:
        if mutation.id <= last:
            results.append(MutationResult(mutation.id, "duplicate", message="Déjà traitée."))
            continue
        if mutation.id != last + 1:
            gap_at = mutation.id
            break
        decision = decide(mutation, store, ctx, None if checked is None else checked.get(mutation.id))
        for write in decision.writes:
            perform(store, write, _stamp(store, ctx, mutation.id))
        if decision.status == "rejected":
            rejection = Rejection(ctx.device_id, mutation.id, mutation.name, mutation.args,
                                  decision.code or "invalid", decision.message or "", decision.server_value,
                                  ctx.actor.user_id, ctx.now)
            store.record_rejection(rejection, _stamp(store, ctx, mutation.id))
        results.append(MutationResult(mutation.id, decision.status, decision.code, decision.message,
                                      decision.server_value))
        last = mutation.id
    if last != start:
        store.set_last_mutation_id(ctx.device_id, last)
    store.flush()
    return MergeResult(
        applied=tuple(r.id for r in results if r.status == "applied"),
        duplicates=tuple(r.id for r in results if r.status == "duplicate"),
        rejected=tuple(r for r in results if r.status == "rejected"),
        last_mutation_id=last,
        gap_at=gap_at,
        results=tuple(results),
    )


def _stamp(store: Store, ctx: Context, mutation_id: int) -> Stamp:
    return Stamp(store.next_server_version(), ctx.device_id, mutation_id, ctx.actor.user_id, ctx.now)


def perform(store: Store, write: Write, stamp: Stamp) -> None:
    """Carry out one decided write on the store: THE write dispatcher, for push and for the REST writes."""
    if isinstance(write, PutDay):
        store.put_day(write.day, stamp)
    elif isinstance(write, AddFlow):
        store.add_flow(write.flow, stamp)
    elif isinstance(write, ReopenDay):
        store.record_reopen(write.day, write.reason, stamp)
    else:
        store.seal_day(write.day, stamp)


@dataclass(frozen=True)
class Resolved:
    """An admin's recorded decision on a rejection, and what to queue again for "mine"."""

    rejection: Rejection  # with `resolution` set
    resolved_by: int | None
    resolved_at: str
    reapply: tuple[str, dict[str, Any]] | None  # (name, args) for a new mutation of the admin's device


def resolve(
    rejection: Rejection,
    choice: str,
    *,
    actor: Actor,
    now: str,
    current: DayState | None,
    new_flow_id: str | None = None,
) -> Resolved:
    """Decide a rejection. "server" keeps the server's value; "mine" gives the mutation to
    re-apply against the current revision (it goes through the same write path again).

    Raises ResolutionError (403 not an admin, 409 already resolved or day closed) and
    MalformedBatch (422 unknown choice, or a duplicate_flow kept without a new flow UUID)."""
    if actor.role not in REOPEN_ROLES:
        raise ResolutionError("Seul un administrateur peut trancher un conflit.", status=403)
    if rejection.resolution is not None:
        raise ResolutionError("Ce conflit est déjà tranché.", field="resolution")
    if choice not in ("mine", "server"):
        raise MalformedBatch("Choix attendu : « mine » ou « server ».", field="choice", status=422)
    reapply: tuple[str, dict[str, Any]] | None = None
    if choice == "mine":
        args = dict(rejection.args)
        if rejection.name != "day.reopen" and current is not None and current.status == "closed":
            raise ResolutionError("La journée est clôturée : rouvrez-la d'abord.", field="choice")
        if "base_revision" in args:
            args["base_revision"] = current.revision if current else 0
        if rejection.code == "duplicate_flow":
            if new_flow_id is None:
                raise MalformedBatch("Un nouvel identifiant de mouvement est requis.", field="new_flow_id",
                                     status=422)
            args["flow"] = {**args["flow"], "id": new_flow_id}
        reapply = (rejection.name, args)
    return Resolved(replace(rejection, resolution=choice), actor.user_id, now, reapply)
