"""The wire schemas: well formed, versioned, and in agreement with the vectors and with sync/.

Every vector of `schema/vectors/sync/*.json` is validated with jsonschema; the same vector is
also given to sync/'s own parser (`parse_push` + `check_args`, `parse_pull`) which must agree,
so that the Python engine and the JSON Schemas (used by the JS client) cannot drift.
"""

from __future__ import annotations

import json
import pathlib
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from sync import MUTATION_NAMES, REJECTION_CODES, ProtocolError, parse_pull, parse_push
from sync.rules import FLOW_FIELDS, FLOW_KINDS, FLOW_REQUIRED, HEADER_FIELDS, check_args

SCHEMA_DIR = pathlib.Path(__file__).resolve().parents[2] / "schema"
VECTOR_DIR = SCHEMA_DIR / "vectors" / "sync"
OWN = [
    "sync-push-request", "sync-push-response", "sync-pull-request", "sync-pull-response",
    "mutation-day-put", "mutation-flow-add", "mutation-day-close", "mutation-day-reopen",
]
SCHEMAS = {f"{name}.schema.json": json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text()) for name in OWN}
REGISTRY: Registry = Registry().with_resources(
    (schema["$id"], Resource.from_contents(schema)) for schema in SCHEMAS.values()
)
VECTORS = [
    pytest.param(group["schema"], test["data"], test["valid"], id=f"{path.stem}: {test['description']}")
    for path in sorted(VECTOR_DIR.glob("*.json"))
    for group in json.loads(path.read_text())
    for test in group["tests"]
]


def validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(SCHEMAS[name], registry=REGISTRY, format_checker=Draft202012Validator.FORMAT_CHECKER)


def python_accepts(schema: str, data: Any) -> bool | None:
    """What sync/ itself says of a vector (None: sync/ does not parse this object)."""
    if schema == "sync-pull-request.schema.json":
        try:
            parse_pull(data)
        except ProtocolError:
            return False
        return True
    if schema.startswith("mutation-"):
        data = {"schema": 1, "company_id": 1, "device_id": "6f1c2a7e-3b4d-4c5e-8f90-1a2b3c4d5e6f",
                "mutations": [data]}
    elif schema != "sync-push-request.schema.json":
        return None
    try:
        request = parse_push(data)
    except ProtocolError:
        return False
    return all(not check_args(m.name, m.args) for m in request.mutations)


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_schema_is_versioned_draft_2020_12(name: str) -> None:
    schema = SCHEMAS[name]
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert "/v1/" in schema["$id"] and schema["$id"].endswith(name)
    assert schema["version"] == 1
    assert schema["additionalProperties"] is False


def test_enough_vectors_both_ways() -> None:
    assert len(VECTORS) >= 30
    outcomes = {param.values[2] for param in VECTORS}
    assert outcomes == {True, False}
    assert {param.values[0] for param in VECTORS} == set(SCHEMAS)


@pytest.mark.parametrize(("schema", "data", "valid"), VECTORS)
def test_vector(schema: str, data: Any, valid: bool) -> None:
    errors = [error.message for error in validator(schema).iter_errors(data)]
    assert (not errors) is valid, errors
    accepted = python_accepts(schema, data)
    assert accepted is None or accepted is valid, "sync/ and the JSON Schema disagree"


def test_enums_match_the_engine() -> None:
    push = SCHEMAS["sync-push-request.schema.json"]
    assert push["$defs"]["mutation"]["properties"]["name"]["enum"] == list(MUTATION_NAMES)
    result = SCHEMAS["sync-push-response.schema.json"]["properties"]["results"]["items"]
    assert result["properties"]["code"]["enum"] == list(REJECTION_CODES)
    put_args = SCHEMAS["mutation-day-put.schema.json"]["properties"]["args"]
    assert set(put_args["properties"]["fields"]["properties"]) == set(HEADER_FIELDS)
    flow = SCHEMAS["mutation-flow-add.schema.json"]["properties"]["args"]["properties"]["flow"]
    assert flow["properties"]["kind"]["enum"] == list(FLOW_KINDS)
    assert set(flow["properties"]) == FLOW_FIELDS
    required = {rule["if"]["properties"]["kind"]["const"]: rule["then"]["required"] for rule in flow["allOf"]}
    assert required == {kind: list(fields) for kind, fields in FLOW_REQUIRED.items()}


def test_push_request_refers_to_every_mutation_schema() -> None:
    refs = [rule["then"]["$ref"] for rule in SCHEMAS["sync-push-request.schema.json"]["$defs"]["mutation"]["allOf"]]
    assert sorted(refs) == sorted(name for name in SCHEMAS if name.startswith("mutation-"))


DEVICE = "6f1c2a7e-3b4d-4c5e-8f90-1a2b3c4d5e6f"
GOOD = {"schema": 1, "company_id": 3, "device_id": DEVICE, "mutations": []}


def close(mutation_id: Any) -> dict[str, Any]:
    args = {"register_id": 1, "date": "2025-03-14", "base_revision": 0}
    return {"id": mutation_id, "name": "day.close", "args": args}


@pytest.mark.parametrize(("body", "code", "status", "field"), [
    ([], "malformed_batch", 400, "body"),
    ({**GOOD, "schema": "1"}, "malformed_batch", 400, "schema"),
    ({**GOOD, "schema": 2}, "schema_version", 422, "schema"),
    ({**GOOD, "company_id": 4}, "wrong_company", 403, "company_id"),
    ({**GOOD, "device_id": "till-1"}, "malformed_batch", 422, "device_id"),
    ({**GOOD, "mutations": [close(True)]}, "malformed_batch", 400, "mutations[0].id"),
    ({**GOOD, "mutations": [close(1), {**close(2), "name": "day.delete"}]}, "unknown_mutation", 422,
     "mutations[1].name"),
    ({**GOOD, "mutations": [close(2), close(1)]}, "ids_going_backwards", 409, "mutations"),
    ({**GOOD, "mutations": [close(i) for i in range(1, 1002)]}, "malformed_batch", 422, "mutations"),
])
def test_push_protocol_errors_carry_a_status_hint(body: Any, code: str, status: int, field: str) -> None:
    with pytest.raises(ProtocolError) as raised:
        parse_push(body, allowed_companies={3})
    error = raised.value
    assert (error.code, error.status, error.field) == (code, status, field)
    assert error.to_wire() == {"code": code, "message": error.message, "errors": {field: [error.message]}}


@pytest.mark.parametrize(("change", "status", "field"), [
    ({"cookie": "12"}, 400, "cookie"), ({"cookie": -1}, 422, "cookie"), ({"limit": 5000}, 422, "limit"),
    ({"since": 3}, 400, "since"),
])
def test_pull_protocol_errors(change: dict[str, Any], status: int, field: str) -> None:
    with pytest.raises(ProtocolError) as raised:
        parse_pull({"schema": 1, "company_id": 3, "device_id": DEVICE, "cookie": None, **change})
    assert (raised.value.status, raised.value.field) == (status, field)


def test_a_well_formed_push_becomes_mutations() -> None:
    request = parse_push({**GOOD, "mutations": [close(4), {**close(5), "client_time": "2025-03-14T18:00:00Z"}]},
                         allowed_companies={3})
    assert (request.company_id, request.device_id) == (3, DEVICE)
    assert [(m.id, m.name, m.client_time) for m in request.mutations] == [
        (4, "day.close", None), (5, "day.close", "2025-03-14T18:00:00Z")]
