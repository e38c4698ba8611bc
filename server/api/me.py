"""The caller: user, firm, companies and role in each."""

from flask_smorest import Blueprint

from server.auth import csrf_token, current_user
from server.extensions import db
from server.models import Firm
from server.schemas.auth import MeSchema
from server.services.access import visible_companies

bp = Blueprint("me", __name__, url_prefix="/api/me", description="Utilisateur connecté")


@bp.get("")
@bp.response(200, MeSchema)
def me():
    """Who am I, which companies I see, with which role."""
    user = current_user()
    pairs = visible_companies(user)
    firm = db.session.get(Firm, pairs[0][0].firm_id) if pairs else None
    companies = [
        {"id": c.id, "name": c.name, "role": role, "registers": [r for r in c.registers if r.active]}
        for c, role in pairs
    ]
    return {"user": user, "csrf_token": csrf_token(), "firm": firm, "companies": companies}
