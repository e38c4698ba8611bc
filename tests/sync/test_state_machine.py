"""Two tills and the admin's desktop, offline and online, under network and database faults.

Hypothesis drives random interleavings of edits, flows (new, re-sent, conflicting, voids),
closes, reopens, pushes with faults, late deliveries, gaps, database outages and pulls, and
checks after every step:
- each mutation takes effect exactly once (revisions, flows, closes and reopens are accounted
  for by the committed results, and ids are processed with no hole);
- a closed day never changes: its content hash is frozen at close until a recorded reopen;
- every rejected mutation is in the server's rejection list for its device;
and after a full sync, every device's replica equals the server's state.
Every request and answer is also validated against the JSON Schemas.
"""

from __future__ import annotations

import copy
import json
import os
import uuid
from collections import Counter
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from sync import Actor, DayState

from .harness import Device, Network, Server
from .test_schemas import validator

DATES = ("2025-03-14", "2025-03-15")
DEVICES = st.integers(0, 2)
VALUES = {"z_number": st.sampled_from(["Z-0412", "Z-0413"]), "sales_count": st.integers(0, 200),
          "comment": st.sampled_from(["", "Caisse juste", "Écart"])}
HEADER = st.sets(st.sampled_from(sorted(VALUES)), min_size=1).flatmap(
    lambda names: st.fixed_dictionaries({name: VALUES[name] for name in names}))


def validate(name: str, args: Any, check: Any) -> dict[str, list[str]]:
    if name == "flow.add" and args["flow"]["kind"] == "overpayment":
        return {"_code": ["option_disabled"], "flow.kind": ["Option « trop-perçus » désactivée."]}
    return {}


def can_close(day: DayState) -> list[str]:
    return [] if day.fields.get("z_number") else ["Numéro de ticket Z manquant."]


def check_wire(schema: str, body: dict[str, Any]) -> None:
    errors = [error.message for error in validator(schema).iter_errors(body)]
    assert not errors, (schema, errors)


class Caisse(RuleBasedStateMachine):
    planned = False

    def __init__(self) -> None:
        super().__init__()
        self.server = Server(validate, can_close, check_wire, planned=self.planned)
        self.network = Network(self.server)
        self.devices = [Device(1, Actor(11, "cashier")), Device(2, Actor(12, "cashier")), Device(3, Actor(1, "admin"))]
        self.queued: dict[tuple[str, int], tuple[str, dict[str, Any]]] = {}
        self.flows_sent: list[dict[str, Any]] = []
        self.flow_number = 0

    def queue(self, index: int, name: str, args: dict[str, Any]) -> None:
        device = self.devices[index]
        self.queued[(device.device_id, device.queue(name, args))] = (name, copy.deepcopy(args))

    def base(self, index: int, date: str) -> int:
        """The revision of the day as this device last pulled it (its own pending writes not counted)."""
        days = [d for (entity, _), d in self.devices[index].replica.items() if entity == "day" and d["date"] == date]
        return days[0]["revision"] if days else 0

    def new_flow_id(self) -> str:
        self.flow_number += 1
        return str(uuid.UUID(int=(1 << 120) + self.flow_number))

    @rule(index=DEVICES, date=st.sampled_from(DATES), fields=HEADER)
    def edit_header(self, index: int, date: str, fields: dict[str, Any]) -> None:
        self.queue(index, "day.put", {"register_id": 1, "date": date, "base_revision": self.base(index, date),
                                      "fields": fields})

    @rule(index=DEVICES, date=st.sampled_from(DATES), cents=st.integers(1, 99999),
          kind=st.sampled_from(["cash_in", "cash_out", "deposit", "refund", "overpayment"]))
    def add_flow(self, index: int, date: str, kind: str, cents: int) -> None:
        flow = {"id": self.new_flow_id(), "kind": kind, "amount": f"{cents // 100}.{cents % 100:02d}", "method_id": 1}
        args = {"register_id": 1, "date": date, "flow": flow}
        self.flows_sent.append(args)
        self.queue(index, "flow.add", args)

    @precondition(lambda self: self.flows_sent)
    @rule(index=DEVICES, pick=st.integers(0, 999), same=st.booleans())
    def resend_flow(self, index: int, pick: int, same: bool) -> None:
        args = copy.deepcopy(self.flows_sent[pick % len(self.flows_sent)])
        if not same:
            args["flow"]["method_id"] = 2
        self.queue(index, "flow.add", args)

    @precondition(lambda self: self.flows_sent)
    @rule(index=DEVICES, pick=st.integers(0, 999), date=st.sampled_from(DATES))
    def void_flow(self, index: int, pick: int, date: str) -> None:
        target = self.flows_sent[pick % len(self.flows_sent)]["flow"]["id"]
        flow = {"id": self.new_flow_id(), "kind": "void", "voids": target, "reason": "Erreur"}
        self.queue(index, "flow.add", {"register_id": 1, "date": date, "flow": flow})

    @rule(index=DEVICES, date=st.sampled_from(DATES))
    def close(self, index: int, date: str) -> None:
        self.queue(index, "day.close", {"register_id": 1, "date": date, "base_revision": self.base(index, date)})

    @rule(index=DEVICES, date=st.sampled_from(DATES))
    def reopen(self, index: int, date: str) -> None:
        self.queue(index, "day.reopen", {"register_id": 1, "date": date, "reason": "Ticket Z mal saisi"})

    @precondition(lambda self: any(d["status"] == "closed" for (e, _), d in self.devices[2].replica.items()
                                   if e == "day"))
    @rule(pick=st.integers(0, 9))
    def admin_reopens_a_closed_day(self, pick: int) -> None:
        closed = sorted(d["date"] for (e, _), d in self.devices[2].replica.items()
                        if e == "day" and d["status"] == "closed")
        self.reopen(2, closed[pick % len(closed)])

    @rule(index=DEVICES, fault=st.sampled_from(Network.FAULTS))
    def push(self, index: int, fault: str | None) -> None:
        self.network.push(self.devices[index], fault)

    @rule()
    def deliver_late(self) -> None:
        self.network.deliver_late()

    @precondition(lambda self: any(len(device.outbox) >= 2 for device in self.devices))
    @rule(index=DEVICES)
    def push_with_a_hole(self, index: int) -> None:
        device = self.devices[index]
        if len(device.outbox) < 2:
            return
        last = self.server.store.get_device_state(device.device_id)
        before = self.server.replica(), len(self.server.store.rejections)
        answer = self.network.push(device, skip=1)
        assert answer is not None and answer[0] == 200
        if device.outbox[1]["id"] > last + 1:
            assert answer[1]["gap_at"] == device.outbox[1]["id"] and answer[1]["last_mutation_id"] == last
            assert (self.server.replica(), len(self.server.store.rejections)) == before, "nothing after a gap"
        else:
            assert answer[1]["gap_at"] is None

    @rule(index=DEVICES, writes=st.integers(0, 3))
    def push_during_database_outage(self, index: int, writes: int) -> None:
        before = self.server.replica(), dict(self.server.store.devices)
        self.server.store.fail_after = writes
        answer = self.network.push(self.devices[index])
        self.server.store.fail_after = None
        if answer is not None and answer[0] == 503:
            assert (self.server.replica(), self.server.store.devices) == before

    @rule(index=DEVICES, limit=st.sampled_from([None, 1, 3]))
    def pull(self, index: int, limit: int | None) -> None:
        self.devices[index].pull(self.server, limit)

    @rule(limit=st.sampled_from([None, 2]))
    def full_sync(self, limit: int | None) -> None:
        for device in self.devices:
            self.network.sync(device, limit)
        for device in self.devices:
            device.pull(self.server, limit)
        server_state = self.server.replica()
        for device in self.devices:
            assert device.replica == server_state
            assert device.last_mutation_id == device.next_id - 1
            mine = [r.to_wire() for r in self.server.store.rejections if r.device_id == device.device_id]
            assert device.rejections == json.loads(json.dumps(mine))
        assert set(self.queued) <= set(self.server.processed), "every queued mutation was processed"

    def applied(self, name: str) -> list[dict[str, Any]]:
        return [self.queued[key][1] for key, status in self.server.processed.items()
                if status == "applied" and self.queued[key][0] == name]

    @invariant()
    def each_mutation_takes_effect_exactly_once(self) -> None:
        store = self.server.store
        puts = Counter((args["register_id"], args["date"]) for args in self.applied("day.put"))
        closes = Counter((args["register_id"], args["date"]) for args in self.applied("day.close"))
        reopens = Counter((args["register_id"], args["date"]) for args in self.applied("day.reopen"))
        for key, day in store.days.items():
            assert day.revision == puts[key]
            assert closes[key] - reopens[key] == (1 if day.status == "closed" else 0)
        assert set(store.flows) == {args["flow"]["id"] for args in self.applied("flow.add")}
        for device in self.devices:
            ids = sorted(i for (d, i) in self.server.processed if d == device.device_id)
            assert ids == list(range(1, store.get_device_state(device.device_id) + 1)), "no hole, no repeat"

    @invariant()
    def closed_days_never_change(self) -> None:
        store = self.server.store
        for key, day in store.days.items():
            assert (day.status == "closed") == (key in store.seals)
        for key, frozen in store.seals.items():
            assert store.content_hash(key) == frozen, f"closed day {key} changed without a reopen"

    @invariant()
    def every_rejection_is_listed_for_its_device(self) -> None:
        listed = {(r.device_id, r.mutation_id) for r in self.server.store.rejections}
        rejected = {key for key, status in self.server.processed.items() if status == "rejected"}
        assert listed == rejected
        for device in self.devices:
            assert {(device.device_id, i) for i in device.rejected_seen} <= listed

    def teardown(self) -> None:
        self.full_sync(None)


Caisse.TestCase.settings = settings(
    max_examples=150 if os.environ.get("CI") else 50, stateful_step_count=40, deadline=None,
)
TestCaisse = Caisse.TestCase


class PlannedCaisse(Caisse):
    """The same machine with every batch decided on a `sync.plan.Planner` and replayed on the store (as the SQL
    server decides a change-set of movements before it takes the company's lock); each push also checks that
    the result and the store equal those of merge_batch run directly on a copy."""

    planned = True


PlannedCaisse.TestCase.settings = Caisse.TestCase.settings
TestPlannedCaisse = PlannedCaisse.TestCase
