"""Monthly revenue budget, per year."""

from flask_smorest import Blueprint

from server.api.guards import company_access, current_company
from server.errors import validation_error
from server.extensions import db
from server.models import Budget
from server.schemas.settings import BudgetYearSchema, RevenueYearSchema
from server.services import revenue, settings

bp = Blueprint("budgets", __name__, url_prefix="/api/companies/<int:cid>/budgets", description="Budget de CA")
YEARS = range(2000, 2101)


def check_year(year: int) -> None:
    if year not in YEARS:
        raise validation_error("year", f"Année hors limites ({YEARS[0]} à {YEARS[-1]}).")


@bp.get("/<int:year>")
@company_access(write=False)
@bp.response(200, BudgetYearSchema)
def get_budget(cid, year):
    """The year's monthly budget."""
    check_year(year)
    company = current_company()
    rows = db.session.execute(
        db.select(Budget).where(Budget.company_id == company.id, Budget.year == year).order_by(Budget.month)
    ).scalars()
    return {"year": year, "months": list(rows)}


@bp.put("/<int:year>")
@company_access(write=True)
@bp.arguments(BudgetYearSchema)
@bp.response(200, BudgetYearSchema)
def put_budget(data, cid, year):
    """Set monthly amounts of a year (admins)."""
    check_year(year)
    rows = settings.set_budget_year(current_company(), year, data["months"])
    return {"year": year, "months": rows}


@bp.get("/<int:year>/revenue")
@company_access(write=False)
@bp.response(200, RevenueYearSchema)
def get_revenue(cid, year):
    """The year's revenue (CA TTC) per month from closed days, to set the next budget beside it."""
    check_year(year)
    months = revenue.monthly(current_company().id, year)
    return {"year": year, "months": [{"month": m, "amount_cents": cents} for m, cents in months.items()]}
