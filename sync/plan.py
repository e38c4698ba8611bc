"""Deciding a change-set before its writes are stamped: a `Store` that records instead of writing.

`merge_batch` decides each mutation on what its store reads and performs the writes as it goes, each stamped
with the company's next server version. A server holds a lock while it stamps versions (the pull cookie must
grow in commit order), and deciding 100 mutations under that lock made every other push of the company wait.

So a server may run `merge_batch` on a `Planner` BEFORE it takes the lock:
- reads go to the wrapped reader (the rows the server read ahead), overlaid with what the change-set itself
  wrote so far (a day it created, a flow it added, a day it closed), exactly as a store answers after a write;
- writes, rejections and the device's last id are recorded, in order, with provisional stamps.
Under the lock, once the caller has checked that nothing the reader read has changed since (its versions),
`replay` makes the recorded calls on the real store, each write stamped with the store's next version: the
calls `merge_batch` would have made there, in the same order, on the same state, hence the same result. A
caller whose check fails drops the plan and runs `merge_batch` under the lock as before.

The caller's injected rules (`Context.validate`, `can_close`, `can_reopen`) must read the same state: the
planner's reads for what the change-set names, the read-ahead rows for the rest (services.mutations plans only
change-sets whose rules read nothing else).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from sync.changes import DayState, FlowState, Mutation, Rejection, Stamp
from sync.handlers import AddFlow, PutDay, ReopenDay, SealDay, Write
from sync.merge import DayKey, Store, perform


class PlanReader(Protocol):
    """What a planner reads: the store's reads, as they stand before the lock."""

    def prepare(self, mutations: Sequence[Mutation]) -> None: ...

    def get_device_state(self, device_id: str) -> int: ...

    def get_day(self, register_id: int, date: str) -> DayState | None: ...

    def get_flow(self, flow_id: str) -> FlowState | None: ...


@dataclass(frozen=True)
class Recorded:
    """One write or rejection of the plan, with its provisional stamp (its version is replaced on replay)."""

    item: Write | Rejection
    stamp: Stamp


class Planner:
    """A `sync.Store` that performs nothing: reads through `reader` and what was recorded, writes recorded."""

    def __init__(self, reader: PlanReader) -> None:
        self.reader = reader
        self.recorded: list[Recorded] = []
        self.last: tuple[str, int] | None = None  # set_last_mutation_id(device, id), if called
        self.days: dict[DayKey, DayState] = {}
        self.flows: dict[str, FlowState] = {}
        self.provisional = 0

    # -- reads ---------------------------------------------------------------------------------
    def prepare(self, mutations: Sequence[Mutation]) -> None:
        self.reader.prepare(mutations)

    def get_device_state(self, device_id: str) -> int:
        return self.reader.get_device_state(device_id)

    def get_day(self, register_id: int, date: str) -> DayState | None:
        written = self.days.get((register_id, date))
        return written if written is not None else self.reader.get_day(register_id, date)

    def get_flow(self, flow_id: str) -> FlowState | None:
        written = self.flows.get(flow_id)
        return written if written is not None else self.reader.get_flow(flow_id)

    # -- writes, recorded ----------------------------------------------------------------------
    def next_server_version(self) -> int:
        self.provisional += 1  # the order only: `replay` takes the real numbers
        return self.provisional

    def put_day(self, day: DayState, stamp: Stamp) -> None:
        self._day(day, PutDay(day), stamp)

    def add_flow(self, flow: FlowState, stamp: Stamp) -> None:
        self.flows[flow.id] = flow
        self.recorded.append(Recorded(AddFlow(flow), stamp))

    def seal_day(self, day: DayState, stamp: Stamp) -> None:
        self._day(day, SealDay(day), stamp)

    def record_reopen(self, day: DayState, reason: str, stamp: Stamp) -> None:
        self._day(day, ReopenDay(day, reason), stamp)

    def record_rejection(self, rejection: Rejection, stamp: Stamp) -> None:
        self.recorded.append(Recorded(rejection, stamp))

    def set_last_mutation_id(self, device_id: str, last_mutation_id: int) -> None:
        self.last = (device_id, last_mutation_id)

    def flush(self) -> None:
        pass  # nothing is written before `replay`

    def _day(self, day: DayState, write: Write, stamp: Stamp) -> None:
        self.days[(day.register_id, day.date)] = day
        self.recorded.append(Recorded(write, stamp))

    # -- under the lock ------------------------------------------------------------------------
    def replay(self, store: Store) -> None:
        """Make the recorded calls on `store`, in order, each write with the store's next server version; then
        the device's last id and `flush`, as `merge_batch` ends."""
        for recorded in self.recorded:
            stamp = replace(recorded.stamp, version=store.next_server_version())
            if isinstance(recorded.item, Rejection):
                store.record_rejection(recorded.item, stamp)
            else:
                perform(store, recorded.item, stamp)
        if self.last is not None:
            store.set_last_mutation_id(*self.last)
        store.flush()
