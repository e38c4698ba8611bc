"""An in-memory server and N offline devices, in the spirit of h11's `ConnectionPair`.

`MemoryStore` implements `sync.Store` on dicts; `Server` speaks the wire format with one
transaction (snapshot/rollback) per push; a `Device` queues mutations offline, pushes its outbox,
pulls pages into a replica; `Network` injects faults: lose the request, lose the response,
deliver twice, hold a batch back and deliver it late (after newer ones)."""

from __future__ import annotations

import copy
import hashlib
import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from sync.changes import (
    Actor,
    DayState,
    FlowState,
    MergeResult,
    Mutation,
    Rejection,
    Stamp,
    parse_pull,
    parse_push,
)
from sync.errors import ProtocolError, TemporaryFailure
from sync.handlers import CanClose, Context, Validate, always_closable, no_errors
from sync.merge import merge_batch
from sync.plan import Planner
from sync.pull import Change, page
from sync.rules import to_cents

COMPANY_ID = 1
NOW = "2025-03-14T18:00:00Z"
Key = tuple[int, str]


def day_id(key: Key) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"day/{key}"))


class MemoryStore:
    """`sync.Store` on dicts. `fail_after` = n makes the (n+1)-th write raise TemporaryFailure."""

    def __init__(self) -> None:
        self.version = 0
        self.fail_after: int | None = None
        self.devices: dict[str, int] = {}
        self.days: dict[Key, DayState] = {}
        self.day_meta: dict[Key, dict[str, Any]] = {}  # id, version, sequence, hash, closed_at
        self.flows: dict[str, FlowState] = {}
        self.flow_versions: dict[str, int] = {}
        self.rejections: list[Rejection] = []
        self.journal: list[dict[str, Any]] = []  # close / reopen events: who, when, why
        self.seals: dict[Key, str] = {}  # content hash frozen at close, dropped only by a reopen

    def prepare(self, mutations: Sequence[Mutation]) -> None:
        pass  # everything is in memory already

    def flush(self) -> None:
        pass  # every write is applied at once

    def get_device_state(self, device_id: str) -> int:
        return self.devices.get(device_id, 0)

    def get_day(self, register_id: int, date: str) -> DayState | None:
        return self.days.get((register_id, date))

    def get_flow(self, flow_id: str) -> FlowState | None:
        return self.flows.get(flow_id)

    def set_last_mutation_id(self, device_id: str, last_mutation_id: int) -> None:
        self._write()
        self.devices[device_id] = last_mutation_id

    def next_server_version(self) -> int:
        self.version += 1
        return self.version

    def put_day(self, day: DayState, stamp: Stamp) -> None:
        self._write()
        key = (day.register_id, day.date)
        self.days[key] = replace(day, fields=dict(day.fields), field_versions=dict(day.field_versions))
        self.day_meta.setdefault(key, {"id": day_id(key)})["version"] = stamp.version

    def add_flow(self, flow: FlowState, stamp: Stamp) -> None:
        self._write()
        assert flow.id not in self.flows, "a flow UUID is written once"
        key = (flow.register_id, flow.date)
        assert key in self.days, "sync creates the day before its first flow"
        self.flows[flow.id], self.flow_versions[flow.id] = flow, stamp.version

    def seal_day(self, day: DayState, stamp: Stamp) -> None:
        self._write()
        key = (day.register_id, day.date)
        self.days[key] = replace(self.days[key], status="closed")
        chain = [event["hash"] for event in self.journal if event["kind"] == "close"]
        digest = hashlib.sha256(((chain or ["0" * 64])[-1] + self.content_hash(key)).encode()).hexdigest()
        self.day_meta[key].update(version=stamp.version, sequence=len(chain) + 1, hash=digest, closed_at=stamp.at)
        self.journal.append({"kind": "close", "day": key, "hash": digest, "by": stamp.user_id, "at": stamp.at})
        self.seals[key] = self.content_hash(key)

    def record_reopen(self, day: DayState, reason: str, stamp: Stamp) -> None:
        self._write()
        key = (day.register_id, day.date)
        self.days[key] = replace(self.days[key], status="open")
        self.day_meta[key].update(version=stamp.version)
        self.journal.append({"kind": "reopen", "day": key, "by": stamp.user_id, "at": stamp.at, "why": reason})
        del self.seals[key]

    def record_rejection(self, rejection: Rejection, stamp: Stamp) -> None:
        self._write()
        self.rejections.append(rejection)

    def _write(self) -> None:  # not part of sync.Store: the fault injection
        if self.fail_after == 0:
            raise TemporaryFailure("database unavailable")
        if self.fail_after is not None:
            self.fail_after -= 1

    def content_hash(self, key: Key) -> str:
        day = self.days[key]
        flows = [dict(flow.data) for _id, flow in sorted(self.flows.items()) if (flow.register_id, flow.date) == key]
        content = [day.status, day.revision, day.fields, day.field_versions, flows]
        return json.dumps(content, sort_keys=True, separators=(",", ":"))

    def rows(self) -> list[Change]:
        """Every replicated row in its wire form, with its server version."""
        rows = []
        for key, day in self.days.items():
            meta = self.day_meta[key]
            data = {"id": meta["id"], "register_id": day.register_id, "date": day.date, "status": day.status,
                    "revision": day.revision, **day.fields, "sequence": meta.get("sequence"),
                    "hash": meta.get("hash"), "closed_at": meta.get("closed_at"),
                    "field_versions": {f: list(v) for f, v in day.field_versions.items()}}
            rows.append(Change("day", meta["id"], "put", data, meta["version"]))
        for flow_id, flow in self.flows.items():
            data = {**flow.data, "day_id": self.day_meta[(flow.register_id, flow.date)]["id"],
                    "register_id": flow.register_id, "date": flow.date, "created_at": NOW}
            if "amount" in data:  # money goes out as a string with two decimals
                cents = to_cents(data["amount"]) or 0
                data["amount"] = f"{'-' * (cents < 0)}{abs(cents) // 100}.{abs(cents) % 100:02d}"
            rows.append(Change("flow", flow_id, "put", data, self.flow_versions[flow_id]))
        return rows


class Server:
    """The HTTP-facing side: parse, one transaction per push, answer a status and a JSON body."""

    def __init__(self, validate: Validate = no_errors, can_close: CanClose = always_closable,
                 check_wire: Callable[[str, dict[str, Any]], None] = lambda schema, body: None,
                 planned: bool = False) -> None:
        self.store = MemoryStore()
        self.validate, self.can_close, self.check_wire = validate, can_close, check_wire
        self.planned = planned  # decide on a sync.plan.Planner first, then replay (as the SQL server does)
        self.processed: dict[tuple[str, int], str] = {}  # (device, id) -> status, committed batches only

    def push(self, body: dict[str, Any], actor: Actor) -> tuple[int, dict[str, Any]]:
        self.check_wire("sync-push-request.schema.json", body)
        try:
            request = parse_push(json.loads(json.dumps(body)), allowed_companies={COMPANY_ID})
        except ProtocolError as error:
            return error.status, error.to_wire()
        saved, start = copy.deepcopy(self.store.__dict__), self.store.get_device_state(request.device_id)
        ctx = Context(request.device_id, actor, NOW, self.validate, self.can_close)
        try:
            result = self.merge(request.mutations, ctx)
        except TemporaryFailure:
            self.store.__dict__.update(saved, fail_after=None)  # rollback; the database is back next time
            return 503, {"code": "temporary_failure", "message": "Réessayez.", "errors": {}}
        for item in result.results:
            if item.id > start:
                assert (request.device_id, item.id) not in self.processed, "a mutation took effect twice"
                self.processed[(request.device_id, item.id)] = item.status
        answer = json.loads(json.dumps(result.to_wire()))
        self.check_wire("sync-push-response.schema.json", answer)
        return 200, answer

    def merge(self, mutations: Sequence[Mutation], ctx: Context) -> MergeResult:
        """merge_batch on the store; planned: decided on a Planner, replayed on the store, and checked against
        merge_batch run directly on a copy of the store (the same result, the same state)."""
        if not self.planned:
            return merge_batch(self.store, mutations, ctx)
        direct = copy.deepcopy(self.store)
        direct.fail_after = None
        expected = merge_batch(direct, mutations, ctx)
        planner = Planner(self.store)
        result = merge_batch(planner, mutations, ctx)
        planner.replay(self.store)  # may raise TemporaryFailure (fail_after): the caller rolls back
        assert result == expected, "a planned batch decides as merge_batch does"
        state = {name: value for name, value in self.store.__dict__.items() if name != "fail_after"}
        assert state == {name: value for name, value in direct.__dict__.items() if name != "fail_after"}, \
            "the replay writes what merge_batch writes"
        return result

    def pull(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        self.check_wire("sync-pull-request.schema.json", body)
        request = parse_pull(body, allowed_companies={COMPANY_ID})
        result = page(self.store.rows(), cookie=request.cookie, current_version=self.store.version,
                      limit=request.limit)
        mine = [r for r in self.store.rejections if r.device_id == request.device_id]
        answer = json.loads(json.dumps(result.to_wire(self.store.get_device_state(request.device_id), mine)))
        self.check_wire("sync-pull-response.schema.json", answer)
        return 200, answer

    def replica(self) -> dict[tuple[str, str], dict[str, Any]]:
        return {(row.entity, row.id): json.loads(json.dumps(row.data)) for row in self.store.rows()}


class Device:
    """A till or the admin's desktop: an outbox of numbered mutations and a pulled replica."""

    def __init__(self, number: int, actor: Actor) -> None:
        self.device_id, self.actor = str(uuid.UUID(int=number)), actor
        self.next_id, self.last_mutation_id = 1, 0
        self.outbox: list[dict[str, Any]] = []
        self.cookie: int | None = None
        self.replica: dict[tuple[str, str], dict[str, Any]] = {}
        self.rejections: list[dict[str, Any]] = []  # as last pulled
        self.rejected_seen: set[int] = set()  # ids a push response said were rejected

    def queue(self, name: str, args: dict[str, Any]) -> int:
        self.outbox.append({"id": self.next_id, "name": name, "args": args, "client_time": NOW})
        self.next_id += 1
        return self.next_id - 1

    def pull(self, server: Server, limit: int | None = None) -> None:
        """Pull every page; drop from the outbox what the server has processed."""
        more = True
        while more:
            request = {"schema": 1, "company_id": COMPANY_ID, "device_id": self.device_id, "cookie": self.cookie}
            _, body = server.pull(request if limit is None else {**request, "limit": limit})
            if body["reset"]:
                self.replica, self.cookie = {}, None
                continue
            for change in body["changes"]:
                key = (change["entity"], change["id"])
                if change["op"] == "del":
                    self.replica.pop(key, None)
                else:
                    self.replica[key] = change["data"]
            self.cookie, self.last_mutation_id, more = body["cookie"], body["last_mutation_id"], body["more"]
            self.rejections = body["rejections"]
            self.outbox = [m for m in self.outbox if m["id"] > self.last_mutation_id]


class Network:
    """Carries pushes; `late` holds batches delivered after newer ones (their answer is lost)."""

    FAULTS = (None, "lose_request", "lose_response", "duplicate", "late")

    def __init__(self, server: Server) -> None:
        self.server = server
        self.late: list[tuple[Device, dict[str, Any]]] = []

    def push(self, device: Device, fault: str | None = None, skip: int = 0) -> tuple[int, dict[str, Any]] | None:
        body = {"schema": 1, "company_id": COMPANY_ID, "device_id": device.device_id,
                "mutations": copy.deepcopy(device.outbox[skip:])}
        if fault == "late":
            self.late.append((device, body))
        if fault in ("late", "lose_request"):
            return None
        answer = self.server.push(body, device.actor)
        if fault == "duplicate":
            answer = self.server.push(body, device.actor)
        if fault == "lose_response":
            return None
        if answer[0] == 200:
            device.rejected_seen |= {r["id"] for r in answer[1]["results"] if r["status"] == "rejected"}
        return answer

    def deliver_late(self) -> None:
        if self.late:
            device, body = self.late.pop(0)
            self.server.push(body, device.actor)  # the device has long given up on the answer

    def sync(self, device: Device, limit: int | None = None) -> None:
        """A fault-free sync: one push of the whole outbox, then every page of pull."""
        self.push(device)
        device.pull(self.server, limit)
        assert not device.outbox, "a fault-free sync empties the outbox"
