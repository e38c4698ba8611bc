"""Report shapes: queries (checked for shape and range only) and answers (money as euro strings)."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from domain.reports import N1_MODES
from server.schemas.fields import Money

YEARS = validate.Range(min=2000, max=2100, error="Année hors limites (2000 à 2100).")
MONTHS = validate.Range(min=1, max=12, error="Mois invalide (1 à 12).")
REGISTER = {"description": "une caisse de la société (toutes si absent)"}
N1 = {"description": "alignement N-1 : `date` = mêmes dates un an plus tôt (le 29 février → le 28) ; "
                     "`weekday` = mêmes jours de semaine, 364 jours plus tôt (un samedi face à un samedi)"}
MAX_JOURNAL_DAYS = 366


class RegisterQuery(Schema):
    register = fields.Integer(strict=False, validate=validate.Range(min=1, max=2**31 - 1), metadata=REGISTER)


class MonthQuery(RegisterQuery):
    year = fields.Integer(required=True, strict=False, validate=YEARS)
    month = fields.Integer(required=True, strict=False, validate=MONTHS)
    n1 = fields.String(load_default="date", validate=validate.OneOf(N1_MODES), metadata=N1)


class FirmMonthQuery(Schema):
    year = fields.Integer(required=True, strict=False, validate=YEARS)
    month = fields.Integer(required=True, strict=False, validate=MONTHS)


class DayQuery(RegisterQuery):
    date = fields.Date(required=True, metadata={"description": "la journée (AAAA-MM-JJ)"})


class FiscalYearQuery(RegisterQuery):
    year = fields.Integer(required=True, strict=False, validate=YEARS,
                          metadata={"description": "année où commence l'exercice"})


class JournalQuery(RegisterQuery):
    start = fields.Date(data_key="from", required=True, metadata={"description": "premier jour (AAAA-MM-JJ)"})
    end = fields.Date(data_key="to", required=True, metadata={"description": "dernier jour (AAAA-MM-JJ)"})

    @validates_schema
    def _ordered(self, data: dict[str, Any], **_: Any) -> None:
        if data["end"] < data["start"]:
            raise ValidationError("La fin doit suivre le début.", "to")
        if (data["end"] - data["start"]).days >= MAX_JOURNAL_DAYS:
            raise ValidationError("Une année au plus.", "to")


class FiguresOut(Schema):
    days = fields.Integer()
    revenue_ttc = Money()
    revenue_ht = Money()
    sales_count = fields.Integer()
    average_basket = Money(allow_none=True)
    opening = Money()
    inflows = Money()
    outflows = Money()
    expenses = Money()
    deposits = Money()
    expected = Money()
    counted = Money()
    difference = Money()
    credit_granted = Money()
    credit_settled = Money()
    vouchers_sold = Money()
    vouchers_redeemed = Money()
    vouchers_expired = Money()
    unexplained = fields.Integer(metadata={"description": "journées avec un écart de caisse sans commentaire"})
    provisional = fields.Boolean(metadata={"description": "contient une journée encore ouverte (« provisoire »)"})


class ComparisonOut(Schema):
    value = Money()
    reference = Money(allow_none=True)
    gap = Money(allow_none=True)
    pct_bp = fields.Integer(allow_none=True, metadata={"description": "écart en points de base (1 % = 100)"})


class AmountLine(Schema):
    label = fields.String()
    amount = Money()


class MonthRowOut(FiguresOut):
    date = fields.Date()
    n1_date = fields.Date()
    n1_revenue_ttc = Money()
    n1_average_basket = Money(allow_none=True)


class MonthComparisons(Schema):
    revenue_vs_n1 = fields.Nested(ComparisonOut)
    revenue_vs_budget = fields.Nested(ComparisonOut)
    cumulative_vs_n1 = fields.Nested(ComparisonOut)
    cumulative_vs_budget = fields.Nested(ComparisonOut)
    average_basket_vs_n1 = fields.Nested(ComparisonOut)
    fiscal_year_average_basket_vs_n1 = fields.Nested(ComparisonOut)


class MonthlyOut(Schema):
    year = fields.Integer()
    month = fields.Integer()
    start = fields.Date()
    end = fields.Date()
    register_id = fields.Integer(allow_none=True)
    n1_mode = fields.String()
    n1_start = fields.Date()
    n1_end = fields.Date()
    rows = fields.List(fields.Nested(MonthRowOut))
    totals = fields.Nested(FiguresOut, metadata={"description": "somme des journées"})
    summary = fields.Nested(FiguresOut, metadata={
        "description": "activité de caisse du mois : flux sommés ; fond de caisse = celui du premier jour de chaque "
                       "caisse, soldes théorique et réel = ceux de son dernier jour"})
    n1_totals = fields.Nested(FiguresOut)
    provisional = fields.List(fields.Date())
    payment_mix = fields.List(fields.Nested(AmountLine))
    comparisons = fields.Nested(MonthComparisons)


class FiscalMonthOut(FiguresOut):
    year = fields.Integer()
    month = fields.Integer()
    cumulative_revenue_ttc = Money()
    n1_revenue_ttc = Money()
    n1_cumulative_revenue_ttc = Money()
    n1_average_basket = Money(allow_none=True)
    budget = Money(allow_none=True)
    budget_cumulative = Money(allow_none=True)
    revenue_vs_n1 = fields.Nested(ComparisonOut)
    revenue_vs_budget = fields.Nested(ComparisonOut)


class YearComparisons(Schema):
    revenue_vs_n1 = fields.Nested(ComparisonOut)
    revenue_vs_budget = fields.Nested(ComparisonOut)
    average_basket_vs_n1 = fields.Nested(ComparisonOut)


class FiscalYearOut(Schema):
    year = fields.Integer()
    start = fields.Date()
    end = fields.Date()
    register_id = fields.Integer(allow_none=True)
    months = fields.List(fields.Nested(FiscalMonthOut))
    totals = fields.Nested(FiguresOut)
    n1_totals = fields.Nested(FiguresOut)
    comparisons = fields.Nested(YearComparisons)


class DrawerOut(Schema):
    method_id = fields.Raw()
    label = fields.String()
    opening = Money()
    expected = Money()
    counted = Money(allow_none=True)
    difference = Money(allow_none=True)


class ReportVatLineOut(Schema):
    vat_bp = fields.Integer()
    ttc = Money()
    ht = Money()
    vat = Money()


class CategoryOut(Schema):
    label = fields.String()
    vat_bp = fields.Integer()
    ttc = Money()
    ht = Money()


class ReportRegisterRef(Schema):
    id = fields.Integer()
    name = fields.String()


class RegisterDayOut(Schema):
    register = fields.Nested(ReportRegisterRef)
    provisional = fields.Boolean()
    z_number = fields.String()
    comment = fields.String()
    figures = fields.Nested(FiguresOut)
    drawers = fields.List(fields.Nested(DrawerOut))
    vat_lines = fields.List(fields.Nested(ReportVatLineOut))
    categories = fields.List(fields.Nested(CategoryOut))
    payment_methods = fields.List(fields.Nested(AmountLine))


class DailyOut(Schema):
    date = fields.Date()
    register_id = fields.Integer(allow_none=True)
    registers = fields.List(fields.Nested(RegisterDayOut))
    totals = fields.Nested(FiguresOut)
    vat_lines = fields.List(fields.Nested(ReportVatLineOut))
    payment_methods = fields.List(fields.Nested(AmountLine))


class ReportCustomerCreditOut(Schema):
    customer_id = fields.Integer(allow_none=True)
    name = fields.String()
    granted = Money()
    settled = Money()
    balance = Money()
    oldest_unpaid = fields.Date(allow_none=True)
    age_days = fields.Integer(allow_none=True)


class CreditDayOut(Schema):
    date = fields.Date()
    granted = Money()
    settled = Money()
    balance = Money()


class CreditsOut(Schema):
    mode = fields.String(metadata={"description": "detailed (par client) ou lump (montant global du jour)"})
    start = fields.Date()
    end = fields.Date()
    granted = Money()
    settled = Money()
    balance = Money()
    customers = fields.List(fields.Nested(ReportCustomerCreditOut))
    days = fields.List(fields.Nested(CreditDayOut))


class VoucherCodeOut(Schema):
    code = fields.String()
    sold = Money()
    redeemed = Money()
    expired = Money()
    outstanding = Money()
    sold_on = fields.Date(allow_none=True)


class VouchersOut(Schema):
    start = fields.Date()
    end = fields.Date()
    sold = Money()
    redeemed = Money()
    expired = Money()
    outstanding = Money()
    codes = fields.List(fields.Nested(VoucherCodeOut))


class FirmCompanyOut(Schema):
    company_id = fields.Integer()
    name = fields.String()
    siren = fields.String()
    revenue_ttc = Money()
    n1_revenue_ttc = Money()
    vs_n1 = fields.Nested(ComparisonOut)
    days_missing = fields.Integer()
    open_days_late = fields.Integer()
    unexplained_differences = fields.Integer()
    last_sync = fields.DateTime(allow_none=True)


class FirmDashboardOut(Schema):
    year = fields.Integer()
    month = fields.Integer()
    start = fields.Date()
    end = fields.Date()
    companies = fields.List(fields.Nested(FirmCompanyOut))
