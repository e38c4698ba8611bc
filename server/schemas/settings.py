"""Settings wire objects: company, register, categories, payment methods, customers, suppliers, calendar, budgets."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from domain.validation import validate_weekly_pattern
from server.schemas.fields import (
    Money,
    validate_account,
    validate_aux_account,
    validate_chart,
    validate_optional_account,
    validate_siren,
)

NAME = validate.Length(min=1, max=200)
VAT_BP = validate.Range(min=0, max=3000, error="Taux de TVA invalide (en points de base, 0 à 3000).")
PAYMENT_KINDS = ("cash", "cheque", "card", "meal_voucher", "gift_voucher", "customer_credit", "other")


class CompanySchema(Schema):
    id = fields.Integer(dump_only=True)
    firm_id = fields.Integer(dump_only=True)
    name = fields.String(required=True, validate=NAME)
    siren = fields.String(required=True, validate=validate_siren)
    address = fields.String(load_default="", validate=validate.Length(max=500))
    fiscal_year_start_month = fields.Integer(load_default=1, validate=validate.Range(min=1, max=12))
    vat_regime = fields.String(
        load_default="reel_normal", validate=validate.OneOf(["reel_normal", "reel_simplifie", "franchise"])
    )
    legal_form = fields.String(load_default="company", validate=validate.OneOf(["sole_trader", "company"]))
    opt_customer_credit = fields.Boolean(load_default=False)
    credit_mode = fields.String(load_default="detailed", validate=validate.OneOf(["detailed", "lump"]))
    opt_gift_vouchers = fields.Boolean(load_default=False)
    opt_cash_expenses = fields.Boolean(load_default=True)
    opt_transfers = fields.Boolean(load_default=False)
    opt_overpayments = fields.Boolean(load_default=False)
    cash_tolerance = Money(attribute="cash_tolerance_cents", load_default=0, min_cents=0)
    accounts = fields.Dict(keys=fields.String(), values=fields.String(), load_default=dict)
    lock_exported_periods = fields.Boolean(load_default=False)

    @validates_schema
    def _chart_accounts(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("accounts"):
            validate_chart(data["accounts"])  # {"accounts.cash": [...]}: the key of the chart is named


def weekly_rule(value: Any) -> None:
    """domain.validation's rule for a weekly pattern (seven booleans, at least one opening day)."""
    errors = validate_weekly_pattern(value)
    if errors:
        raise ValidationError(errors["weekly_pattern"])


WEEK_DOC = {"type": "array", "items": {"type": "boolean"}, "minItems": 7, "maxItems": 7,
            "description": "Lundi → dimanche ; au moins un jour d'ouverture."}


class WeeklyPattern(fields.Field):
    """Seven booleans, Monday first, on the wire; "1"/"0" characters in the database (null: none)."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> list[bool] | None:
        return None if value is None else [ch == "1" for ch in value]

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        weekly_rule(value)
        return "".join("1" if d else "0" for d in value)


class RegisterSchema(Schema):
    id = fields.Integer(dump_only=True)
    company_id = fields.Integer(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    position = fields.Integer(load_default=1, validate=validate.Range(min=1))
    min_threshold = Money(attribute="min_threshold_cents", allow_none=True, load_default=None, min_cents=0)
    max_threshold = Money(attribute="max_threshold_cents", allow_none=True, load_default=None, min_cents=0)
    active = fields.Boolean(load_default=True)
    # The register's own opening days (« Marché du samedi »: Saturdays only); null follows the company's.
    weekly_pattern = WeeklyPattern(allow_none=True, load_default=None)

    @validates_schema
    def _min_below_max(self, data: dict[str, Any], **_: Any) -> None:
        low, high = data.get("min_threshold_cents"), data.get("max_threshold_cents")
        if low is not None and high is not None and low > high:
            raise ValidationError("Le seuil mini doit être inférieur au seuil maxi.", "min_threshold")


class CategorySchema(Schema):
    id = fields.Integer(dump_only=True)
    label = fields.String(required=True, validate=validate.Length(min=1, max=100))
    vat_bp = fields.Integer(required=True, validate=VAT_BP)
    revenue_account = fields.String(load_default="701", validate=validate_account)
    position = fields.Integer(required=True, validate=validate.Range(min=1))
    active = fields.Boolean(load_default=True)


class PaymentMethodSchema(Schema):
    id = fields.Integer(dump_only=True)
    label = fields.String(required=True, validate=validate.Length(min=1, max=100))
    kind = fields.String(required=True, validate=validate.OneOf(PAYMENT_KINDS))
    deposit_mode = fields.String(load_default="automatic", validate=validate.OneOf(["manual", "automatic"]))
    account = fields.String(load_default="", validate=validate_optional_account)
    position = fields.Integer(load_default=1, validate=validate.Range(min=1))
    active = fields.Boolean(load_default=True)


class CustomerSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String(required=True, validate=NAME)
    account = fields.String(load_default="", validate=validate_aux_account)
    active = fields.Boolean(load_default=True)


class SupplierSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String(required=True, validate=NAME)
    expense_account = fields.String(load_default="607", validate=validate_account)
    vat_bp = fields.Integer(load_default=2000, validate=VAT_BP)
    active = fields.Boolean(load_default=True)


class CalendarSchema(Schema):
    weekly_pattern = fields.Raw(required=True, validate=weekly_rule, metadata=WEEK_DOC)


class CalendarExceptionSchema(Schema):
    id = fields.Integer(dump_only=True)
    date = fields.Date(required=True)
    is_open = fields.Boolean(required=True)
    label = fields.String(load_default="", validate=validate.Length(max=100))


class RegisterCalendarSchema(Schema):
    """A register's calendar: its own weekly pattern (null: the company's) and its dated exceptions."""

    register_id = fields.Integer(dump_only=True)
    weekly_pattern = WeeklyPattern(required=True, allow_none=True)
    follows_company = fields.Boolean(dump_only=True)
    exceptions = fields.List(fields.Nested(CalendarExceptionSchema), dump_only=True)


class BudgetMonthSchema(Schema):
    month = fields.Integer(required=True, validate=validate.Range(min=1, max=12))
    amount = Money(attribute="amount_cents", required=True, min_cents=0)


class BudgetYearSchema(Schema):
    year = fields.Integer(dump_only=True)
    months = fields.List(fields.Nested(BudgetMonthSchema), required=True)

    @validates_schema
    def _distinct_months(self, data: dict[str, Any], **_: Any) -> None:
        months = [m["month"] for m in data.get("months", [])]
        if len(months) != len(set(months)):
            raise ValidationError("Chaque mois ne peut figurer qu'une fois.", "months")


class RevenueYearSchema(Schema):
    """A year's revenue per month (closed days only)."""

    year = fields.Integer(dump_only=True)
    months = fields.List(fields.Nested(BudgetMonthSchema), dump_only=True)


class CategoryOrderSchema(Schema):
    ids = fields.List(fields.Integer(validate=validate.Range(min=1, max=2**31 - 1)), required=True,
                      validate=validate.Length(min=1, max=500),
                      metadata={"description": "Every category id of the company, in Z-ticket order."})


TRADE_LABELS = {"bakery": "Boulangerie", "cafe": "Café, restaurant", "retail": "Commerce", "services": "Services"}


class RegisterNameSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))


class CashierSchema(Schema):
    email = fields.Email(required=True)
    name = fields.String(load_default="", validate=validate.Length(max=200))


class CompanySetupSchema(Schema):
    """The new-company wizard: the company, its registers, its trade (defaults) and a first cashier."""

    name = fields.String(required=True, validate=NAME)
    siren = fields.String(required=True, validate=validate_siren)
    address = fields.String(load_default="", validate=validate.Length(max=500))
    legal_form = fields.String(load_default="company", validate=validate.OneOf(["sole_trader", "company"]))
    fiscal_year_start_month = fields.Integer(load_default=1, validate=validate.Range(min=1, max=12))
    trade = fields.String(required=True, validate=validate.OneOf(list(TRADE_LABELS)))
    registers = fields.List(fields.Nested(RegisterNameSchema), required=True,
                            validate=validate.Length(min=1, max=20, error="Une à vingt caisses."))
    cashier = fields.Nested(CashierSchema, allow_none=True, load_default=None)


class CompanyOverviewSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    siren = fields.String()
    registers = fields.Integer()
    last_closed = fields.Date(allow_none=True)
    open_past = fields.Integer(metadata={"description": "Days still open after their date."})


class CompanySetupAnswerSchema(Schema):
    company = fields.Nested(CompanySchema)
    cashier_email = fields.String(allow_none=True)
    activation_code = fields.String(allow_none=True, metadata={"description": "Shown once."})
    invited = fields.Boolean(metadata={"description": "The e-mail already had an account: it got an invitation."})
