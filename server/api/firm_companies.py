"""The firm's companies: the overview a firm admin starts on, and the new-company wizard."""


from flask_smorest import Blueprint

from server.api.guards import current_firm_id, firm_access
from server.auth import current_user
from server.schemas.settings import CompanyOverviewSchema, CompanySetupAnswerSchema, CompanySetupSchema
from server.services import clock, firm

bp = Blueprint("firm_companies", __name__, url_prefix="/api/firm/companies", description="Sociétés du cabinet")


@bp.get("")
@firm_access
@bp.response(200, CompanyOverviewSchema(many=True))
def overview():
    """My firm's companies with their last closed day and the days left open past their date (firm admins)."""
    return firm.overview(current_firm_id(), clock.shop_today())


@bp.post("")
@firm_access
@bp.arguments(CompanySetupSchema)
@bp.response(201, CompanySetupAnswerSchema)
def create(data):
    """Create a company with its registers, the trade's categories, the usual payment methods and a first
    cashier (an activation code shown once, or an invitation when the e-mail already has an account)."""
    created = firm.create_with_defaults(current_firm_id(), current_user(), data)
    added = created.cashier
    return {"company": created.company, "cashier_email": data["cashier"]["email"] if data["cashier"] else None,
            "activation_code": added.activation_code if added else None,
            "invited": bool(added and added.invitation is not None)}
