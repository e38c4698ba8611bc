"""The marshmallow schemas of server/schemas/sync.py and the JSON Schemas of schema/ agree on every shared vector.

Both validators read the same `schema/vectors/sync/*.json` cases; a disagreement means the API
documents (and accepts) something else than what the JS client is told to send.
"""

from __future__ import annotations

import json
import pathlib
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from marshmallow import Schema, ValidationError, fields, validate
from referencing import Registry, Resource

from server.schemas import sync as wire

SCHEMA_DIR = pathlib.Path(__file__).resolve().parents[2] / "schema"
VECTORS = sorted((SCHEMA_DIR / "vectors" / "sync").glob("*.json"))
JSON_SCHEMAS = {path.name: json.loads(path.read_text()) for path in SCHEMA_DIR.glob("*.schema.json")}
REGISTRY: Registry = Registry().with_resources(
    (schema["$id"], Resource.from_contents(schema)) for schema in JSON_SCHEMAS.values()
)
MARSHMALLOW: dict[str, Schema] = {
    "sync-push-request.schema.json": wire.StrictPushRequestSchema(),
    "sync-push-response.schema.json": wire.PushResponseSchema(),
    "sync-pull-request.schema.json": wire.PullRequestSchema(),
    "sync-pull-response.schema.json": wire.PullResponseSchema(),
    "mutation-day-put.schema.json": wire.StrictSyncMutationSchema(),
    "mutation-flow-add.schema.json": wire.StrictSyncMutationSchema(),
    "mutation-day-close.schema.json": wire.StrictSyncMutationSchema(),
    "mutation-day-reopen.schema.json": wire.StrictSyncMutationSchema(),
}
CASES = [
    pytest.param(group["schema"], test["data"], test["valid"], id=f"{path.stem}: {test['description']}")
    for path in VECTORS
    for group in json.loads(path.read_text())
    for test in group["tests"]
]


def json_schema_accepts(name: str, data: Any) -> bool:
    validator = Draft202012Validator(
        JSON_SCHEMAS[name], registry=REGISTRY, format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    return validator.is_valid(data)


def test_every_vector_file_is_covered() -> None:
    assert len(CASES) >= 30
    assert {case.values[0] for case in CASES} <= set(MARSHMALLOW)


@pytest.mark.parametrize(("name", "data", "valid"), CASES)
def test_marshmallow_agrees_with_json_schema(name: str, data: Any, valid: bool) -> None:
    assert json_schema_accepts(name, data) is valid
    errors = MARSHMALLOW[name].validate(data)
    assert (not errors) is valid, errors


PUSHES = [case for case in CASES if case.values[0] == "sync-push-request.schema.json"]


@pytest.mark.parametrize(("name", "data", "valid"), PUSHES)
def test_the_envelope_is_never_stricter(name: str, data: Any, valid: bool) -> None:
    """The view reads only the envelope: bad args become a rejection `invalid`, not a refused batch."""
    if valid:
        assert wire.PushRequestSchema().validate(data) == {}


def test_server_answers_fit_the_response_schemas() -> None:
    """What the server builds with sync/'s to_wire() passes both validators (a smoke check of the dump)."""
    from sync import MergeResult, MutationResult

    result = MergeResult((1,), (), (MutationResult(2, "rejected", "day_closed", "Journée clôturée.", None),), 2, None,
                         (MutationResult(1, "applied"), MutationResult(2, "rejected", "day_closed", "Clôturée.", None)))
    body = result.to_wire()
    assert json_schema_accepts("sync-push-response.schema.json", body)
    assert wire.PushResponseSchema().validate(body) == {}


def variants(data: Any, path: tuple = ()) -> Any:
    """Every one-spot change of `data`: a key dropped, or a value swapped for another JSON type."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield path + (key,), {k: v for k, v in data.items() if k != key}
            for sub_path, sub in variants(value, path + (key,)):
                yield sub_path, {**data, key: sub}
    elif isinstance(data, list):
        for index, value in enumerate(data):
            for sub_path, sub in variants(value, path + (index,)):
                yield sub_path, [*data[:index], sub, *data[index + 1:]]
    for other in (None, True, 0, -1, 2.5, "", "x", "2025-02-30", [], {}):
        if other != data or type(other) is not type(data):
            yield path, other


VALID = [case for case in CASES if case.values[2]]


@pytest.mark.parametrize(("name", "data", "valid"), VALID)
def test_they_agree_on_every_one_spot_change(name: str, data: Any, valid: bool) -> None:
    validator = Draft202012Validator(
        JSON_SCHEMAS[name], registry=REGISTRY, format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    disagreements = [
        (path, changed) for path, changed in variants(data)
        if validator.is_valid(changed) is bool(MARSHMALLOW[name].validate(changed))
    ]
    assert disagreements == []


class NestedPush(wire.Envelope):
    """The push envelope as marshmallow alone reads it: every mutation walked by the nested schema."""

    mutations = fields.List(fields.Nested(wire.SyncMutationSchema), required=True, validate=validate.Length(max=1000))


def load(schema: Schema, data: Any) -> tuple[str, Any]:
    try:
        return "ok", schema.load(data)
    except ValidationError as exc:
        return "error", exc.messages


@pytest.mark.parametrize(("name", "data", "valid"), PUSHES)
def test_the_fast_mutation_list_reads_as_the_nested_schema(name: str, data: Any, valid: bool) -> None:
    """`MutationList` skips marshmallow's walk when sync's reader accepts every mutation: on every push vector
    and each of its one-spot changes, it loads the same data, or fails with the same messages."""
    fast, nested = wire.PushRequestSchema(), NestedPush()
    cases = [data, *(changed for _path, changed in variants(data))]
    assert [load(fast, case) for case in cases] == [load(nested, case) for case in cases]


MUTATION = st.fixed_dictionaries(
    {"id": st.one_of(st.integers(min_value=-2, max_value=2**53 + 2), st.booleans(), st.floats(), st.text(max_size=3)),
     "name": st.one_of(st.sampled_from(["day.put", "flow.add", "day.close", "day.reopen", "day.delete"]),
                       st.integers()),
     "args": st.one_of(st.dictionaries(st.text(max_size=4), st.integers(), max_size=2), st.lists(st.integers()),
                       st.none())},
    optional={"client_time": st.one_of(st.text(max_size=70), st.integers(), st.none()),
              "extra": st.integers()})


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(MUTATION, st.integers(), st.none()), max_size=4))
def test_the_fast_mutation_list_reads_random_mutations_as_the_nested_schema(mutations: list[Any]) -> None:
    body = {"schema": 1, "company_id": 3, "device_id": "6f1c2a7e-3b4d-4c5e-8f90-1a2b3c4d5e6f", "mutations": mutations}
    assert load(wire.PushRequestSchema(), body) == load(NestedPush(), body)
