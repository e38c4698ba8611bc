"""Cash-day wire objects: header (PUT), flows by kind (POST), close / reopen bodies, and the day answer.

The input schemas check SHAPE only (a JSON object) and hand the views the sync mutation args exactly
as received: what a value may be (money, text, integers, the fields of each movement kind) is decided
by domain.validation inside the very same handler a pushed mutation goes through, so that REST and
sync give the same verdict for the same input (tests/server/test_rest_sync_agreement.py). The
metadata below only documents the fields in the OpenAPI document.
"""

from __future__ import annotations

import uuid
from typing import Any

from marshmallow import INCLUDE, Schema, ValidationError, fields, post_load, validate, validates_schema

from domain.validation import FLOW_FIELD_TYPES, HEADER_FIELDS, KIND_FIELDS, TEXT_LIMITS
from server.schemas.fields import Money
from server.schemas.times import UtcDateTime

MONEY_DOC = {"type": "string", "pattern": r"^-?[0-9]{1,9}(\.[0-9]{1,2})?$",
             "description": "Euros, au plus deux décimales (« 12.34 ») ; un entier JSON vaut des euros entiers."}
ID_DOC = {"type": "integer", "minimum": 1, "maximum": 2**53}
COUNT_DOC = {"type": "integer", "minimum": 0, "maximum": 2**53}


def _line_doc(ref: str, grid: bool = False) -> dict[str, Any]:
    properties: dict[str, Any] = {ref: ID_DOC, "amount": MONEY_DOC}
    if grid:
        properties["grid"] = {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0},
                              "description": "Billetage : valeur de la coupure en centimes → quantité."}
    return {"type": "array", "items": {"type": "object", "properties": properties, "required": [ref, "amount"]}}


HEADER_DOCS: dict[str, dict[str, Any]] = {
    "z_number": {"type": "string", "maxLength": TEXT_LIMITS["z_number"]},
    "sales_count": COUNT_DOC,
    "sales": _line_doc("category_id"),
    "payments": _line_doc("method_id"),
    "opening": _line_doc("method_id"),
    "counts": _line_doc("method_id", grid=True),
    "comment": {"type": "string", "maxLength": TEXT_LIMITS["comment"]},
}
FLOW_DOCS: dict[str, dict[str, Any]] = {
    "uuid": {"type": "string", "format": "uuid"}, "kind": {"type": "string", "enum": list(KIND_FIELDS)},
    "money": MONEY_DOC, "id": ID_DOC, "count": COUNT_DOC, "bool": {"type": "boolean"},
    "vat_bp": {"type": "integer", "minimum": 0, "maximum": 10000}, "text": {"type": "string"},
}


def _raw(doc: dict[str, Any], **kw: Any) -> fields.Raw:
    """Any JSON value, kept as sent (the domain judges it), documented as `doc`."""
    return fields.Raw(allow_none=True, metadata=doc, **kw)


_Header = Schema.from_dict({"base_revision": _raw(COUNT_DOC, required=True),
                            **{name: _raw(HEADER_DOCS[name]) for name in HEADER_FIELDS}})
_Flow = Schema.from_dict({name: _raw(FLOW_DOCS[shape], required=name == "kind")
                          for name, shape in FLOW_FIELD_TYPES.items()})


class DayPutSchema(_Header):  # type: ignore[valid-type,misc]
    """Header fields to change, with the revision they were read at."""

    class Meta:
        unknown = INCLUDE  # an unknown field reaches the domain, which names it

    @post_load
    def _to_args(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        base = data.pop("base_revision")
        return {"base_revision": base, "fields": data}


class FlowIn(_Flow):  # type: ignore[valid-type,misc]
    """One movement; which fields apply depends on its kind (ARCHITECTURE.md, table of flows)."""

    class Meta:
        unknown = INCLUDE

    @post_load
    def _with_id(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        """The flow as a device sends it; a REST client may leave the UUID to the server."""
        return data if "id" in data else {"id": str(uuid.uuid4()), **data}


class CloseIn(Schema):
    base_revision = _raw(COUNT_DOC)


class ReopenIn(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))

    @validates_schema
    def _not_blank(self, data: dict[str, Any], **_: Any) -> None:
        if not data.get("reason", "x").strip():
            raise ValidationError("Le motif de réouverture est obligatoire.", "reason")


class DayRangeQuery(Schema):
    start = fields.Date(data_key="from")
    end = fields.Date(data_key="to")

    @validates_schema
    def _ordered(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise ValidationError("La fin doit suivre le début.", "to")
        if data.get("start") and data.get("end") and (data["end"] - data["start"]).days > 3700:
            raise ValidationError("Dix ans au plus.", "to")


# -- answers -----------------------------------------------------------------------------------------


class SaleLineOut(Schema):
    category_id = fields.Integer()
    label = fields.String()
    vat_bp = fields.Integer()
    amount = Money()
    ht = Money()
    vat = Money()


class MethodLineOut(Schema):
    method_id = fields.Integer()
    amount = Money()
    grid = fields.Dict(keys=fields.String(), values=fields.Integer(), allow_none=True)


class FlowOut(Schema):
    id = fields.String()
    kind = fields.String()
    amount = Money()
    method_id, to_method_id, supplier_id, customer_id = (fields.Integer() for _ in range(4))
    label, reason, account, slip_number, code = (fields.String() for _ in range(5))
    owner = fields.Boolean()
    vat_bp = fields.Integer()
    cheque_count = fields.Integer()
    voids, corrects = fields.String(), fields.String()
    created_at = UtcDateTime()


class TakingsOut(Schema):
    method_id = fields.Integer()
    kind = fields.String()
    amount = Money()


class BalanceOut(Schema):
    method_id = fields.Integer()
    kind = fields.String()
    contributions = fields.Dict(keys=fields.String(), values=Money())
    carried_opening = Money(allow_none=True)
    typed_opening = Money(allow_none=True)
    opening = Money(allow_none=True)
    opening_difference = Money()
    expected = Money(allow_none=True)
    counted = Money(allow_none=True)
    difference = Money(allow_none=True)
    takings = Money()


class FindingOut(Schema):
    kind = fields.String()
    severity = fields.String()
    method_id = fields.Integer(allow_none=True)
    amount = Money(allow_none=True)
    message_fr = fields.String()


class TotalsOut(Schema):
    sales_ttc = Money()
    sales_ht = Money()
    sales_vat = Money()
    payments_total = Money()
    sales_count = fields.Integer()
    average_basket = Money(allow_none=True)


class VatLineOut(Schema):
    vat_bp = fields.Integer()
    ttc = Money()
    ht = Money()
    vat = Money()


class CustomerCreditOut(Schema):
    customer_id = fields.Integer()
    amount = Money()


class VoucherOut(Schema):
    code = fields.String()
    amount = Money()


class OutstandingOut(Schema):
    customer_credit = Money()
    by_customer = fields.List(fields.Nested(CustomerCreditOut))
    vouchers = Money()
    by_code = fields.List(fields.Nested(VoucherOut))


class EventOut(Schema):
    kind = fields.String()
    user_id = fields.Integer(allow_none=True)
    user_name = fields.String(allow_none=True)  # display name, only for a user of the day's company
    device_id = fields.String()
    at = UtcDateTime()
    reason = fields.String()


class DayOut(Schema):
    """A day with its computed balances and findings (GET, and the answer of every write)."""

    id = fields.String(allow_none=True)
    register_id = fields.Integer()
    date = fields.Date()
    status = fields.String()
    revision = fields.Integer()
    sequence = fields.Integer(allow_none=True)
    hash = fields.String(allow_none=True)
    closed_at = UtcDateTime(allow_none=True)
    field_versions = fields.Dict()
    z_number = fields.String()
    sales_count = fields.Integer()
    comment = fields.String()
    sales = fields.List(fields.Nested(SaleLineOut))
    payments = fields.List(fields.Nested(MethodLineOut))
    opening = fields.List(fields.Nested(MethodLineOut))
    counts = fields.List(fields.Nested(MethodLineOut))
    flows = fields.List(fields.Nested(FlowOut))
    totals = fields.Nested(TotalsOut)
    vat_lines = fields.List(fields.Nested(VatLineOut))
    balances = fields.List(fields.Nested(BalanceOut))
    takings = fields.List(fields.Nested(TakingsOut))
    findings = fields.List(fields.Nested(FindingOut))
    can_close = fields.Boolean()
    credit = fields.Dict(keys=fields.String(), values=Money())
    vouchers = fields.Dict(keys=fields.String(), values=Money())
    outstanding = fields.Nested(OutstandingOut)
    events = fields.List(fields.Nested(EventOut))
    till = fields.Dict(allow_none=True, metadata={
        "description": "Journée remplie par la caisse enregistreuse : {z_number, origin, locked} ; null sinon."})


class DayItemOut(Schema):
    id = fields.String()
    date = fields.Date()
    status = fields.String()
    revision = fields.Integer()
    sequence = fields.Integer(allow_none=True)
    sales_count = fields.Integer()
    sales_ttc = Money()
    payments_total = Money()


class DayListOut(Schema):
    days = fields.List(fields.Nested(DayItemOut))
    missing = fields.List(fields.Date())
