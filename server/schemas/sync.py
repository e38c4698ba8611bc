"""Sync wire objects (schema version 1), the marshmallow twin of `schema/sync-*.schema.json`.

Two readings of a push: `PushRequestSchema` checks the envelope only, because a mutation with
wrong args is a permanent failure of that mutation (rejected `invalid`, the outbox moves on),
not of the batch; `StrictPushRequestSchema` also checks every mutation's args, exactly as the
JSON Schemas do (tests/server/test_sync_schema_agreement.py runs the shared vectors on both).
Values are checked, never converted: args stay in wire form for the merge engine. What a value inside
the args may be is decided by domain.validation (through sync.rules.check_args), never here.
"""

from __future__ import annotations

from typing import Any

from marshmallow import INCLUDE, Schema, ValidationError, fields, validate, validates_schema

from sync.changes import read_mutation
from sync.errors import ProtocolError
from sync.pull import ENTITIES
from sync.rules import FLOW_REQUIRED, MUTATION_NAMES, REJECTION_CODES, UUID_RE, check_args

ID = validate.Range(min=1, max=2**53)
COUNT = validate.Range(min=0, max=2**53)
UUID = validate.Regexp(UUID_RE, error="UUID attendu.")
SCHEMA_VERSION = validate.Equal(1, error="Version de protocole inconnue (attendue : 1).")
WIRE_AMOUNT = validate.Regexp(r"^-?[0-9]{1,9}\.[0-9]{2}$", error="Montant attendu comme « 12.34 ».")


def check(test: Any, message: str) -> Any:
    """A validator from a predicate, with a French message."""

    def validator(value: Any) -> None:
        if not test(value):
            raise ValidationError(message)

    return validator


def _is_int(value: Any, low: int = 1) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= low


IS_BOOL = check(lambda v: isinstance(v, bool), "Booléen attendu.")
IS_FIELD_VERSION = check(lambda v: isinstance(v, list) and len(v) == 2 and _is_int(v[0]) and isinstance(v[1], str),
                         "[révision, appareil] attendu.")


def Int(validator: Any = ID, **kw: Any) -> fields.Integer:
    return fields.Integer(strict=True, validate=validator, **kw)


def Text(maximum: int, **kw: Any) -> fields.String:
    return fields.String(validate=validate.Length(max=maximum), **kw)


def Bool(**kw: Any) -> fields.Raw:
    """JSON true/false only (marshmallow's Boolean would also take "yes" or 1)."""
    return fields.Raw(validate=IS_BOOL, metadata={"type": "boolean"}, **kw)


def ANY() -> fields.Raw:
    """Required, any JSON value."""
    return fields.Raw(required=True, allow_none=True)


class SyncMutationSchema(Schema):
    id = Int(required=True)
    name = fields.String(required=True, metadata={"enum": list(MUTATION_NAMES)})
    args = fields.Dict(required=True, metadata={"description": "Per name: schema/mutation-<name>.schema.json."})
    client_time = Text(64, metadata={"description": "Device clock, ISO 8601: informative only."})


class StrictSyncMutationSchema(SyncMutationSchema):
    name = fields.String(required=True, validate=validate.OneOf(MUTATION_NAMES))

    @validates_schema
    def _args(self, data: dict[str, Any], **_: Any) -> None:
        """The args as the merge engine judges them (sync.rules.check_args, then domain.validation)."""
        if data.get("name") in MUTATION_NAMES:
            errors = check_args(data["name"], data.get("args", {}))
            if errors:
                raise ValidationError({"args": errors})


class Envelope(Schema):
    schema = Int(required=True, metadata={"enum": [1]})
    company_id = Int(required=True)
    device_id = fields.String(required=True, validate=UUID)


class MutationList(fields.List):
    """A push's `mutations`: a list of SyncMutationSchema, as the OpenAPI document shows. When sync's
    protocol reader (`sync.changes.read_mutation`, the one reading of a mutation's shape) accepts every
    item, they pass as they are, without marshmallow's walk of each field (≈ 2 ms of CPU in a push of 100,
    ≈ 8 % of a push's throughput on PostgreSQL); otherwise the nested schema deserializes them, for its
    messages naming the field. What the reader accepts, the schema accepts unchanged
    (tests/server/test_sync_schema_agreement.py)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> list[Any]:
        if isinstance(value, list):
            try:
                for index, item in enumerate(value):
                    read_mutation(item, f"mutations[{index}]")
            except ProtocolError:
                pass
            else:
                return [dict(item) for item in value]
        return super()._deserialize(value, attr, data, **kwargs)


class PushRequestSchema(Envelope):
    mutations: fields.List[Any] = MutationList(fields.Nested(SyncMutationSchema), required=True,
                                               validate=validate.Length(max=1000))


class StrictPushRequestSchema(PushRequestSchema):
    schema = Int(SCHEMA_VERSION, required=True)
    mutations = fields.List(fields.Nested(StrictSyncMutationSchema), required=True, validate=validate.Length(max=1000))


class PullRequestSchema(Envelope):
    schema = Int(SCHEMA_VERSION, required=True)
    cookie = Int(COUNT, required=True, allow_none=True, metadata={"description": "Last server version seen."})
    limit = Int(validate.Range(min=1, max=1000))


class SyncResultSchema(Schema):
    id = Int(required=True)
    status = fields.String(required=True, validate=validate.OneOf(["applied", "duplicate", "rejected"]))
    code = fields.String(validate=validate.OneOf(REJECTION_CODES))
    message = fields.String()
    server_value = fields.Raw(allow_none=True)

    @validates_schema(pass_original=True)
    def _rejected_says_why(self, data: dict[str, Any], original: Any, **_: Any) -> None:
        if data.get("status") == "rejected":
            missing = {"code", "message", "server_value"} - set(original)
            if missing:
                raise ValidationError({key: ["Champ obligatoire."] for key in missing})
        elif "code" in data:
            raise ValidationError("Seul un refus porte un code.", "code")


class PushResponseSchema(Schema):
    schema = Int(SCHEMA_VERSION, required=True)
    last_mutation_id = Int(COUNT, required=True)
    results = fields.List(fields.Nested(SyncResultSchema), required=True)
    gap_at = Int(required=True, allow_none=True)


class SyncChangeSchema(Schema):
    entity = fields.String(required=True, validate=validate.OneOf(ENTITIES))
    id = fields.String(required=True, validate=validate.Length(min=1))
    op = fields.String(required=True, validate=validate.OneOf(["put", "del"]))
    data = fields.Dict(required=True)

    @validates_schema
    def _entity_data(self, data: dict[str, Any], **_: Any) -> None:
        schema = {"day": DAY_DATA, "flow": FLOW_DATA}.get(data.get("entity", ""))
        if schema is not None and data.get("op") == "put":
            errors = schema.validate(data.get("data", {}))
            if errors:
                raise ValidationError({"data": errors})


DAY_DATA = Schema.from_dict({
    "id": ANY(), "register_id": ANY(), "date": ANY(),
    "status": fields.String(required=True, validate=validate.OneOf(["open", "closed"])),
    "revision": Int(COUNT, required=True),
    "field_versions": fields.Dict(keys=fields.String(), values=fields.Raw(validate=IS_FIELD_VERSION), required=True),
})(unknown=INCLUDE)
FLOW_DATA = Schema.from_dict({
    "id": ANY(), "day_id": ANY(), "register_id": ANY(), "date": ANY(),
    "kind": fields.String(required=True, validate=validate.OneOf(tuple(FLOW_REQUIRED))),
    "amount": fields.String(validate=WIRE_AMOUNT),
})(unknown=INCLUDE)


class SyncRejectionSchema(Schema):
    mutation_id = Int(required=True)
    name = fields.String(required=True, validate=validate.OneOf(MUTATION_NAMES))
    args = fields.Dict(required=True)
    code = fields.String(required=True, validate=validate.OneOf(REJECTION_CODES))
    message = fields.String(required=True)
    server_value = fields.Raw(required=True, allow_none=True)
    resolution = fields.String(required=True, allow_none=True, validate=validate.OneOf(["mine", "server"]))


class PullResponseSchema(Schema):
    schema = Int(SCHEMA_VERSION, required=True)
    cookie = Int(COUNT, required=True)
    reset = Bool(required=True)
    more = Bool(required=True)
    last_mutation_id = Int(COUNT, required=True)
    changes = fields.List(fields.Nested(SyncChangeSchema), required=True)
    rejections = fields.List(fields.Nested(SyncRejectionSchema), required=True)

