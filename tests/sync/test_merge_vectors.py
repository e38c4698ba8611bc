"""Run `schema/vectors/merge/*.json` (plain data, also run by the JS tests) against sync/.

batch.json       → merge_batch on an in-memory store: results, last id, gap, days, flows, rejections
pull-pages.json  → pull.page: which rows, next cookie, more, reset
resolve.json     → merge.resolve: the recorded choice and the mutation to re-apply
"""

from __future__ import annotations

import copy
import json
import pathlib
from typing import Any

import pytest

from sync import (
    Actor,
    Change,
    Context,
    DayState,
    FlowState,
    Mutation,
    ProtocolError,
    Rejection,
    Resolved,
    TemporaryFailure,
    merge_batch,
    page,
    parse_push,
    resolve,
)

from .harness import MemoryStore, day_id

VECTOR_DIR = pathlib.Path(__file__).resolve().parents[2] / "schema" / "vectors" / "merge"


def cases(name: str) -> list[Any]:
    return [pytest.param(case, id=case["description"]) for case in json.loads((VECTOR_DIR / name).read_text())]


def to_day(data: dict[str, Any]) -> DayState:
    versions = {field: (rev, device) for field, (rev, device) in data["field_versions"].items()}
    return DayState(data["register_id"], data["date"], data["status"], data["revision"], data["fields"], versions)


def from_day(day: DayState) -> dict[str, Any]:
    return {"register_id": day.register_id, "date": day.date, "status": day.status, "revision": day.revision,
            "fields": dict(day.fields), "field_versions": {f: list(v) for f, v in day.field_versions.items()}}


def load(state: dict[str, Any]) -> MemoryStore:
    """A store holding the vector's state, every row at version 0, closed days sealed as they are."""
    store = MemoryStore()
    store.devices.update(state["devices"])
    for data in [*state["days"], *({**day(f), "status": "open"} for f in state["flows"])]:
        key = (data["register_id"], data["date"])
        if key not in store.days:
            store.days[key], store.day_meta[key] = to_day(data), {"id": day_id(key), "version": 0}
    for data in state["flows"]:
        flow = FlowState(data["register_id"], data["date"], data["data"])
        store.flows[flow.id], store.flow_versions[flow.id] = flow, 0
    store.seals = {key: store.content_hash(key) for key, d in store.days.items() if d.status == "closed"}
    return store


def day(flow: dict[str, Any]) -> dict[str, Any]:
    """The empty day a stored flow belongs to, when the vector does not list it."""
    return {"register_id": flow["register_id"], "date": flow["date"], "revision": 0, "fields": {},
            "field_versions": {}}


def snapshot(store: MemoryStore) -> Any:
    days = sorted((from_day(day) for day in store.days.values()), key=lambda d: (d["register_id"], d["date"]))
    rejections = [{"mutation_id": r.mutation_id, "code": r.code} for r in store.rejections]
    return dict(store.devices), days, sorted(store.flows), rejections


@pytest.mark.parametrize("case", cases("batch.json"))
def test_batch(case: dict[str, Any]) -> None:
    given, expected = case["input"], case["expected"]
    store = load(given["state"])
    rules = given.get("validate", {})
    ctx = Context(given["device_id"], Actor(**given["actor"]), given["now"],
                  validate=lambda name, args, check: rules.get(name, {}),
                  can_close=lambda day: list(given.get("can_close", [])))
    body = {"schema": 1, "company_id": 1, "device_id": given["device_id"], "mutations": given["mutations"]}
    before = copy.deepcopy(snapshot(store))
    store.fail_after = given.get("fail_after_writes")
    if "error" in expected:
        code, status = expected["error"]["code"], expected["error"]["status"]
        unchecked = [Mutation(m["id"], m["name"], m["args"]) for m in given["mutations"]]
        with pytest.raises((ProtocolError, TemporaryFailure)) as raised:
            merge_batch(store, unchecked, ctx)
        assert (getattr(raised.value, "code", None), getattr(raised.value, "status", None)) == (code, status)
        if status == 503:
            assert store.rejections == [], "a temporary failure is never stored as a rejection"
        else:
            assert snapshot(store) == before, "a refused batch stores nothing"
            with pytest.raises(ProtocolError) as parsed:
                parse_push(body)
            assert parsed.value.code == code
        return
    result = merge_batch(store, parse_push(body).mutations, ctx)
    got = [{key: value for key, value in r.to_wire().items() if key != "message"} for r in result.results]
    for item, want in zip(got, expected["results"], strict=True):
        assert {key: item.get(key) for key in want} == want
        assert item.get("code") is None or item["status"] == "rejected"
    assert (result.last_mutation_id, result.gap_at) == (expected["last_mutation_id"], expected["gap_at"])
    assert result.applied == tuple(r["id"] for r in expected["results"] if r["status"] == "applied")
    assert [r.id for r in result.rejected] == [r["id"] for r in expected["results"] if r["status"] == "rejected"]
    devices, days, flows, rejections = snapshot(store)
    assert devices.get(given["device_id"], 0) == expected["last_mutation_id"]
    assert (days, flows, rejections) == (expected["days"], expected["flows"], expected["rejections"])


@pytest.mark.parametrize("case", cases("pull-pages.json"))
def test_pull_page(case: dict[str, Any]) -> None:
    given, expected = case["input"], case["expected"]
    rows = [Change(r["entity"], r["id"], r["op"], r["data"], r["version"]) for r in given["rows"]]
    result = page(rows, cookie=given["cookie"], current_version=given["current_version"],
                  retention_floor=given["retention_floor"], limit=given["limit"])
    assert (result.reset, result.more, result.cookie) == (expected["reset"], expected["more"], expected["cookie"])
    assert [change.id for change in result.changes] == expected["ids"]


@pytest.mark.parametrize("case", cases("resolve.json"))
def test_resolve(case: dict[str, Any]) -> None:
    given, expected = case["input"], case["expected"]
    rejection = Rejection(**given["rejection"])

    def call() -> Resolved:
        return resolve(rejection, given["choice"], actor=Actor(**given["actor"]), now="2025-03-15T09:00:00Z",
                       current=to_day(given["current"]), new_flow_id=given.get("new_flow_id"))

    if "error" in expected:
        with pytest.raises(ProtocolError) as raised:
            call()
        assert (raised.value.code, raised.value.status) == (expected["error"]["code"], expected["error"]["status"])
        return
    resolved = call()
    assert resolved.rejection.resolution == expected["resolution"]
    assert resolved.resolved_by == given["actor"]["user_id"]
    assert rejection.resolution is None, "the stored rejection is not mutated in place"
    reapply = list(resolved.reapply) if resolved.reapply else None
    assert reapply == expected["reapply"]
