"""The firm's companies: the overview a firm admin starts on, and the new-company wizard."""

from datetime import date

from flask_smorest import Blueprint

from server.auth import current_user
from server.schemas.settings import CompanyOverviewSchema, CompanySetupAnswerSchema, CompanySetupSchema
from server.services import firm
from server.services.access import firm_admin_firm_id

bp = Blueprint("firm_companies", __name__, url_prefix="/api/firm/companies", description="Sociétés du cabinet")


@bp.get("")
@bp.response(200, CompanyOverviewSchema(many=True))
def overview():
    """My firm's companies with their last closed day and the days left open past their date (firm admins)."""
    return firm.overview(firm_admin_firm_id(current_user()), date.today())


@bp.post("")
@bp.arguments(CompanySetupSchema)
@bp.response(201, CompanySetupAnswerSchema)
def create(data):
    """Create a company with its registers, the trade's categories, the usual payment methods and a first
    cashier (an activation code shown once, or an invitation when the e-mail already has an account)."""
    user = current_user()
    created = firm.create_with_defaults(firm_admin_firm_id(user), user, data)
    added = created.cashier
    return {"company": created.company, "cashier_email": data["cashier"]["email"] if data["cashier"] else None,
            "activation_code": added.activation_code if added else None,
            "invited": bool(added and added.invitation is not None)}
