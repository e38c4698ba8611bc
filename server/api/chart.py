"""The chart of accounts of a company (admins and firm admins)."""

from __future__ import annotations

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from server.api.guards import company_access, current_company
from server.services import export_chart

bp = Blueprint("chart", __name__, url_prefix="/api/companies/<int:cid>/chart", description="Plan comptable")


class EntityAccountIn(Schema):
    id = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=2**31 - 1))
    account = fields.String(required=True, validate=validate.Length(max=20))


class ChartIn(Schema):
    """Every part is optional. `accounts` replaces the company's chart keys (missing keys = defaults):
    cash, cheque, card, meal_voucher, other, gift_voucher, customer_credit, sales, vat_output,
    vat_output_<rate in bp> (one output VAT account per rate), vat_input, expense, transfer, bank, owner
    (108 sole trader / 455 company by default), overpayment, shortage, surplus, voucher_expired, refund,
    journal_code (default CA), journal_label (default « Caisse »). Accounts: digits only, classes 1 to 7."""

    accounts = fields.Dict(
        keys=fields.String(validate=validate.Length(max=40)),
        values=fields.String(validate=validate.Length(max=100)),
        validate=validate.Length(max=200),
    )
    categories = fields.List(fields.Nested(EntityAccountIn), validate=validate.Length(max=1000))
    methods = fields.List(fields.Nested(EntityAccountIn), validate=validate.Length(max=1000))
    customers = fields.List(fields.Nested(EntityAccountIn), validate=validate.Length(max=10000))
    suppliers = fields.List(fields.Nested(EntityAccountIn), validate=validate.Length(max=10000))


class EntityAccountOut(Schema):
    id = fields.Integer()
    label = fields.String()
    account = fields.String()
    kind = fields.String()
    default = fields.String()
    vat_bp = fields.Integer()


class VatRateOut(Schema):
    vat_bp = fields.Integer(metadata={"description": "The rate in basis points (550 = 5,5 %)."})
    key = fields.String(metadata={"description": "The chart key: vat_output_<vat_bp>."})
    account = fields.String(metadata={"description": "The company's own account for this rate, or empty."})
    default = fields.String(metadata={"description": "The account used when empty: vat_output + the rate."})


class ChartOut(Schema):
    legal_form = fields.String()
    accounts = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        metadata={"description": "The effective chart: defaults + the company's own."},
    )
    defaults = fields.Dict(keys=fields.String(), values=fields.String())
    labels = fields.Dict(keys=fields.String(), values=fields.String())
    categories = fields.List(fields.Nested(EntityAccountOut))
    methods = fields.List(fields.Nested(EntityAccountOut))
    customers = fields.List(fields.Nested(EntityAccountOut))
    suppliers = fields.List(fields.Nested(EntityAccountOut))
    vat_rates = fields.List(
        fields.Nested(VatRateOut),
        metadata={"description": "One output VAT account per rate of the categories (and per rate key already set)."},
    )


@bp.get("")
@company_access(write=True)
@bp.response(200, ChartOut)
def get_chart(cid):
    """The effective chart of accounts and the accounts of categories, methods, customers, suppliers."""
    return export_chart.chart_view(current_company())


@bp.put("")
@company_access(write=True)
@bp.arguments(ChartIn)
@bp.response(200, ChartOut)
@bp.alt_response(422, description="Un compte hors des classes 1 à 7 ou non numérique ; le champ est nommé.")
def put_chart(data, cid):
    """Change the chart of accounts. Closed days keep the chart sealed with them."""
    return export_chart.update_chart(current_company(), data)
