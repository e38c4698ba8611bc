"""Companies: list the visible ones, create (firm), read, update (admins)."""

from flask_smorest import Blueprint

from server.api.guards import company_access, current_company
from server.auth import current_user
from server.schemas.settings import CompanySchema
from server.services import settings
from server.services.access import firm_admin_firm_id, visible_companies

bp = Blueprint("companies", __name__, url_prefix="/api/companies", description="Sociétés")


@bp.get("")
@bp.response(200, CompanySchema(many=True))
def list_companies():
    """The companies I can see."""
    return [c for c, _role in visible_companies(current_user())]


@bp.post("")
@bp.arguments(CompanySchema)
@bp.response(201, CompanySchema)
def create_company(data):
    """Create a company in my firm (firm admins only)."""
    return settings.create_company(firm_admin_firm_id(current_user()), data)


@bp.get("/<int:cid>")
@company_access(write=False)
@bp.response(200, CompanySchema)
def get_company(cid):
    """One company's settings."""
    return current_company()


@bp.patch("/<int:cid>")
@company_access(write=True)
@bp.arguments(CompanySchema(partial=True))
@bp.response(200, CompanySchema)
@bp.alt_response(
    403,
    description="Un caissier ; ou un administrateur qui désactive le verrou des périodes "
    "exportées (`lock_firm_only`) : seul le cabinet le lève.",
)
def update_company(data, cid):
    """Change a company's settings (admins). `lock_exported_periods` may be turned on by an admin and off
    only by a firm admin; every account of `accounts` follows the chart's rule (422 naming `accounts.<key>`)."""
    return settings.update_company(current_company(), data)
