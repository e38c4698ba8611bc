"""Cash-day wire objects: header (PUT), flows by kind (POST), close / reopen bodies, and the day answer.

Input schemas load money as cents and hand the views the sync mutation args in wire form (money as
euro strings), so that REST writes and pushed mutations go through the very same handlers.
"""

from __future__ import annotations

import uuid
from typing import Any

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from domain.money import to_wire
from server.schemas.fields import Money
from server.schemas.times import UtcDateTime
from sync.rules import FLOW_REQUIRED

ID = {"strict": True, "validate": validate.Range(min=1)}
COUNT = {"strict": True, "validate": validate.Range(min=0)}
GRID_KEY = validate.Regexp(r"^[1-9][0-9]{0,5}$", error="Coupure invalide (valeur en centimes).")
COMMON_FLOW_FIELDS = {"id", "kind", "corrects", "reason", "label"}
KIND_FIELDS: dict[str, set[str]] = {  # fields a flow of each kind may carry, besides the common ones
    "cash_in": {"amount", "method_id", "owner"},
    "cash_out": {"amount", "method_id"},
    "expense": {"amount", "method_id", "supplier_id", "vat_bp", "account"},
    "deposit": {"amount", "method_id", "slip_number", "cheque_count"},
    "transfer": {"amount", "method_id", "to_method_id"},
    "credit_granted": {"amount", "customer_id"},
    "credit_settled": {"amount", "method_id", "customer_id"},
    "refund": {"amount", "method_id", "customer_id"},
    "voucher_sold": {"amount", "code", "method_id"},
    "voucher_redeemed": {"amount", "code"},
    "voucher_expired": {"amount", "code"},
    "overpayment": {"amount", "method_id"},
    "void": {"voids"},
}


class SaleLineIn(Schema):
    category_id = fields.Integer(required=True, **ID)
    amount = Money(required=True)


class MethodLineIn(Schema):
    method_id = fields.Integer(required=True, **ID)
    amount = Money(required=True)


class CountLineIn(MethodLineIn):
    grid = fields.Dict(keys=fields.String(validate=GRID_KEY), values=fields.Integer(**COUNT))


def _lines(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**item, "amount": to_wire(item["amount"])} for item in items]


class DayPutSchema(Schema):
    """Header fields to change, with the revision they were read at."""

    base_revision = fields.Integer(required=True, **COUNT)
    z_number = fields.String(validate=validate.Length(max=40))
    sales_count = fields.Integer(**COUNT)
    sales = fields.List(fields.Nested(SaleLineIn))
    payments = fields.List(fields.Nested(MethodLineIn))
    opening = fields.List(fields.Nested(MethodLineIn))
    counts = fields.List(fields.Nested(CountLineIn))
    comment = fields.String(validate=validate.Length(max=2000))

    @validates_schema
    def _some_field(self, data: dict[str, Any], **_: Any) -> None:
        if len(data) < 2:
            raise ValidationError("Aucun champ à modifier.", "_schema")

    @post_load
    def _to_args(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        base = data.pop("base_revision")
        for key in ("sales", "payments", "opening", "counts"):
            if key in data:
                data[key] = _lines(data[key])
        return {"base_revision": base, "fields": data}


class FlowIn(Schema):
    """One movement; which fields apply depends on its kind (ARCHITECTURE.md, table of flows)."""

    id = fields.UUID()
    kind = fields.String(required=True, validate=validate.OneOf(list(KIND_FIELDS)))
    amount = Money()
    method_id = fields.Integer(**ID)
    to_method_id = fields.Integer(**ID)
    supplier_id = fields.Integer(**ID)
    customer_id = fields.Integer(**ID)
    label = fields.String(validate=validate.Length(max=200))
    reason = fields.String(validate=validate.Length(max=500))
    owner = fields.Boolean()
    vat_bp = fields.Integer(strict=True, validate=validate.Range(min=0, max=10000))
    account = fields.String(validate=validate.Length(max=20))
    slip_number = fields.String(validate=validate.Length(max=40))
    cheque_count = fields.Integer(**COUNT)
    code = fields.String(validate=validate.Length(max=40))
    voids = fields.UUID()
    corrects = fields.UUID()

    @validates_schema
    def _fields_of_kind(self, data: dict[str, Any], **_: Any) -> None:
        kind = data.get("kind")
        if kind not in KIND_FIELDS:
            return
        allowed = KIND_FIELDS[kind] | COMMON_FLOW_FIELDS
        errors = {name: ["Champ non applicable à ce type de mouvement."] for name in data if name not in allowed}
        errors.update({name: ["Champ obligatoire pour ce type de mouvement."]
                       for name in FLOW_REQUIRED[kind] if name not in data})
        if errors:
            raise ValidationError(errors)

    @post_load
    def _to_wire(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        """The flow as a device sends it: money as a string, UUIDs as text, empty values left out."""
        flow = {key: str(value) if isinstance(value, uuid.UUID) else value for key, value in data.items()
                if value not in (None, "", False)}
        if "amount" in flow:
            flow["amount"] = to_wire(flow["amount"])
        flow.setdefault("id", str(uuid.uuid4()))
        return flow


class CloseIn(Schema):
    base_revision = fields.Integer(**COUNT)


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


class FlowOut(FlowIn):
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
