"""Monthly revenue budget, per year."""

from flask_smorest import Blueprint

from server.api.guards import company_access, current_company
from server.extensions import db
from server.models import Budget
from server.schemas.settings import BudgetYearSchema
from server.services import settings

bp = Blueprint("budgets", __name__, url_prefix="/api/companies/<int:cid>/budgets", description="Budget de CA")


@bp.get("/<int:year>")
@company_access(write=False)
@bp.response(200, BudgetYearSchema)
def get_budget(cid, year):
    """The year's monthly budget."""
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
    rows = settings.set_budget_year(current_company(), year, data["months"])
    return {"year": year, "months": rows}
