"""Reports for admins and firm admins: daily, monthly, fiscal year, N-1 and budget, credits, vouchers,
their files (PDF, CSV, XLSX), and the firm dashboard. Cashiers get 403, another company's report 404."""

from __future__ import annotations

from datetime import date

from flask import Response
from flask_smorest import Blueprint

from server.api.exports import file_doc, firm_admin_only
from server.api.guards import company_access, current_company
from server.auth import current_user
from server.models import Register
from server.schemas import reports as S
from server.services import clock, report_files, reports, reports_daily, reports_firm, reports_ledger
from server.services.access import firm_admin_firm_id, owned

bp = Blueprint("reports", __name__, url_prefix="/api/companies/<int:cid>/reports", description="Rapports")
firm_bp = Blueprint("firm_reports", __name__, url_prefix="/api/firm/reports", description="Tableau de bord du cabinet")
MONTH_FILES = {"csv": "text/csv; charset=utf-8", "xlsx": "application/vnd.openxmlformats-officedocument."
               "spreadsheetml.sheet", "pdf": "application/pdf"}


def _register(query: dict) -> int | None:
    """The query's register, 404 when it is not one of the company's."""
    rid = query.get("register")
    return None if rid is None else owned(current_company(), Register, rid).id


def _month_bounds(query: dict) -> tuple[date, date]:
    from domain.reports import month_bounds

    return month_bounds(query["year"], query["month"])


@bp.get("/daily")
@company_access(write=True)
@bp.arguments(S.DayQuery, location="query")
@bp.response(200, S.DailyOut)
def daily(query, cid):
    """Daily synthesis: drawers per manual method, revenue TTC/HT by VAT rate, categories, payment methods."""
    return reports_daily.daily(current_company(), query["date"], _register(query))


@bp.get("/monthly")
@company_access(write=True)
@bp.arguments(S.MonthQuery, location="query")
@bp.response(200, S.MonthlyOut)
def monthly(query, cid):
    """« État de synthèse mensuelle »: one row per day and the totals, against N-1 (`n1`) and the budget."""
    return reports.monthly(current_company(), query["year"], query["month"], _register(query), query["n1"])


@bp.get("/fiscal-year")
@company_access(write=True)
@bp.arguments(S.FiscalYearQuery, location="query")
@bp.response(200, S.FiscalYearOut)
def fiscal_year(query, cid):
    """The months of the fiscal year starting in `year`, cumulative revenue, N-1 month for month, budget."""
    return reports.fiscal_year(current_company(), query["year"], _register(query))


@bp.get("/credits")
@company_access(write=True)
@bp.arguments(S.FirmMonthQuery, location="query")
@bp.response(200, S.CreditsOut)
def credits(query, cid):
    """Customer credit: per customer (granted, settled, balance, oldest unpaid) or the lump running balance."""
    return reports_ledger.credits(current_company(), *_month_bounds(query))


@bp.get("/vouchers")
@company_access(write=True)
@bp.arguments(S.FirmMonthQuery, location="query")
@bp.response(200, S.VouchersOut)
def vouchers(query, cid):
    """Gift vouchers: sold, redeemed, expired over the month, outstanding at its end, by code when detailed."""
    return reports_ledger.vouchers(current_company(), *_month_bounds(query))


@bp.get("/monthly.<any(pdf,csv,xlsx):fmt>")
@company_access(write=True)
@bp.arguments(S.MonthQuery, location="query")
@bp.doc(**file_doc("application/octet-stream", "La synthèse mensuelle en PDF, CSV (;, virgule décimale, BOM) ou XLSX"))
def monthly_file(query, cid, fmt):
    """The monthly synthesis as a file (`monthly.pdf`, `monthly.csv`, `monthly.xlsx`)."""
    file = report_files.monthly_file(current_company(), query, _register(query), fmt)
    return _send(file, MONTH_FILES[fmt])


@bp.get("/journal.<any(pdf,csv,xlsx):fmt>")
@company_access(write=True)
@bp.arguments(S.JournalQuery, location="query")
@bp.doc(**file_doc("application/octet-stream", "Le journal de caisse de la période en PDF, CSV (;, virgule décimale, "
                                               "BOM) ou XLSX"))
def journal_file(query, cid, fmt):
    """The cash journal of a period (a year at most) as a file (`journal.pdf`, `journal.csv`, `journal.xlsx`):
    every day, closed or provisional, its movements and the totals."""
    file = report_files.journal_file(current_company(), query["start"], query["end"], _register(query), fmt)
    return _send(file, MONTH_FILES[fmt])


def _send(file: tuple[str, bytes], media: str) -> Response:
    name, data = file
    response = Response(data, content_type=media)  # as is: `mimetype` would add a second "; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@firm_bp.get("/dashboard")
@firm_admin_only
@firm_bp.arguments(S.FirmMonthQuery, location="query")
@firm_bp.response(200, S.FirmDashboardOut)
def dashboard(query):
    """Every company of my firm for a month: revenue, vs N-1, days missing, late open days, unexplained
    differences, last sync (firm admins only)."""
    return reports_firm.dashboard(firm_admin_firm_id(current_user()), query["year"], query["month"], clock.shop_today())
