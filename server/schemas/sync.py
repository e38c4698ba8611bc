"""Sync wire objects (schema version 1), the marshmallow twin of `schema/sync-*.schema.json`.

Two readings of a push: `PushRequestSchema` checks the envelope only, because a mutation with
wrong args is a permanent failure of that mutation (rejected `invalid`, the outbox moves on),
not of the batch; `StrictPushRequestSchema` also checks every mutation's args, exactly as the
JSON Schemas do (tests/server/test_sync_schema_agreement.py runs the shared vectors on both).
Values are checked, never converted: args stay in wire form for the merge engine.
"""

from __future__ import annotations

import datetime
from typing import Any

from marshmallow import INCLUDE, Schema, ValidationError, fields, validate, validates_schema

from sync.pull import ENTITIES
from sync.rules import FLOW_REQUIRED, GRID_KEY_RE, MONEY_RE, MUTATION_NAMES, REJECTION_CODES, UUID_RE

ID = validate.Range(min=1, max=2**53)
COUNT = validate.Range(min=0, max=2**53)
UUID = validate.Regexp(UUID_RE, error="UUID attendu.")
SCHEMA_VERSION = validate.Equal(1, error="Version de protocole inconnue (attendue : 1).")
NOT_BLANK = validate.Regexp(r"(?s).*\S", error="Motif obligatoire.")
NOT_EMPTY = validate.Length(min=1, error="Aucun champ à modifier.")
WIRE_AMOUNT = validate.Regexp(r"^-?[0-9]{1,9}\.[0-9]{2}$", error="Montant attendu comme « 12.34 ».")


def check(test: Any, message: str) -> Any:
    """A validator from a predicate, with a French message."""

    def validator(value: Any) -> None:
        if not test(value):
            raise ValidationError(message)

    return validator


def _is_date(value: str) -> bool:
    try:
        return len(value) == 10 and bool(datetime.date.fromisoformat(value))
    except ValueError:
        return False


def _is_int(value: Any, low: int = 1) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= low


IS_BOOL = check(lambda v: isinstance(v, bool), "Booléen attendu.")
IS_MONEY = check(lambda v: _is_int(v, -999_999_999) and v <= 999_999_999 or isinstance(v, str) and MONEY_RE.match(v),
                 "Montant en euros attendu (au plus deux décimales).")
IS_FIELD_VERSION = check(lambda v: isinstance(v, list) and len(v) == 2 and _is_int(v[0]) and isinstance(v[1], str),
                         "[révision, appareil] attendu.")


def Int(validator: Any = ID, **kw: Any) -> fields.Integer:
    return fields.Integer(strict=True, validate=validator, **kw)


def Text(maximum: int, **kw: Any) -> fields.String:
    return fields.String(validate=validate.Length(max=maximum), **kw)


def Bool(**kw: Any) -> fields.Raw:
    """JSON true/false only (marshmallow's Boolean would also take "yes" or 1)."""
    return fields.Raw(validate=IS_BOOL, metadata={"type": "boolean"}, **kw)


def WireMoney(**kw: Any) -> fields.Raw:
    """Euros as "633.00" / "-2" or whole euros as an integer; kept as sent (the sign rules are the flow's)."""
    return fields.Raw(validate=IS_MONEY, metadata={"type": "string", "pattern": MONEY_RE.pattern}, **kw)


def WireDate(**kw: Any) -> fields.String:
    return fields.String(validate=check(_is_date, "Date AAAA-MM-JJ attendue."), **kw)


def ANY() -> fields.Raw:
    """Required, any JSON value."""
    return fields.Raw(required=True, allow_none=True)


def lines(ref: str, **extra: fields.Field) -> fields.List:
    """A list of header lines {ref, amount, …}."""
    return fields.List(fields.Nested(Schema.from_dict({ref: Int(required=True), "amount": WireMoney(required=True),
                                                       **extra})))


class HeaderFields(Schema):
    z_number = Text(40)
    sales_count = Int(COUNT)
    sales = lines("category_id")
    payments, opening = lines("method_id"), lines("method_id")
    counts = lines("method_id", grid=fields.Dict(keys=fields.String(validate=validate.Regexp(GRID_KEY_RE)),
                                                 values=Int(COUNT)))
    comment = Text(2000)


class FlowSchema(Schema):
    id = fields.String(required=True, validate=UUID)
    kind = fields.String(required=True, validate=validate.OneOf(tuple(FLOW_REQUIRED)))
    amount = WireMoney()
    method_id, to_method_id, supplier_id, customer_id = Int(), Int(), Int(), Int()
    reason, label, account, slip_number, code = Text(500), Text(200), Text(20), Text(40), Text(40)
    owner = Bool()
    vat_bp = Int(validate.Range(min=0, max=10000))
    cheque_count = Int(COUNT)
    voids, corrects = fields.String(validate=UUID), fields.String(validate=UUID)

    @validates_schema
    def _kind_rules(self, data: dict[str, Any], **_: Any) -> None:
        kind = data.get("kind")
        errors = {key: ["Champ obligatoire."] for key in FLOW_REQUIRED.get(kind, ()) if key not in data}
        amount = data.get("amount")
        if kind == "void" and "amount" in data:
            errors["amount"] = ["Une annulation ne porte pas de montant."]
        elif amount is not None and kind is not None and float(amount) == 0:
            errors["amount"] = ["Le montant ne peut pas être nul."]
        elif amount is not None and kind != "overpayment" and float(amount) < 0:
            errors["amount"] = ["Le montant doit être positif."]
        if errors:
            raise ValidationError(errors)


def day_args(**extra: fields.Field) -> Schema:
    """The args of a mutation on one register's day."""
    return Schema.from_dict({"register_id": Int(required=True), "date": WireDate(required=True), **extra})()


ARGS: dict[str, Schema] = {
    "day.put": day_args(base_revision=Int(COUNT, required=True),
                        fields=fields.Nested(HeaderFields, required=True, validate=NOT_EMPTY)),
    "flow.add": day_args(flow=fields.Nested(FlowSchema, required=True)),
    "day.close": day_args(base_revision=Int(COUNT, required=True)),
    "day.reopen": day_args(reason=fields.String(required=True, validate=[validate.Length(min=1, max=500), NOT_BLANK])),
}


class SyncMutationSchema(Schema):
    id = Int(required=True)
    name = fields.String(required=True, metadata={"enum": list(MUTATION_NAMES)})
    args = fields.Dict(required=True, metadata={"description": "Per name: schema/mutation-<name>.schema.json."})
    client_time = Text(64, metadata={"description": "Device clock, ISO 8601: informative only."})


class StrictSyncMutationSchema(SyncMutationSchema):
    name = fields.String(required=True, validate=validate.OneOf(MUTATION_NAMES))

    @validates_schema
    def _args(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("name") in ARGS:
            errors = ARGS[data["name"]].validate(data.get("args", {}))
            if errors:
                raise ValidationError({"args": errors})


class Envelope(Schema):
    schema = Int(required=True, metadata={"enum": [1]})
    company_id = Int(required=True)
    device_id = fields.String(required=True, validate=UUID)


class PushRequestSchema(Envelope):
    mutations = fields.List(fields.Nested(SyncMutationSchema), required=True, validate=validate.Length(max=1000))


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

