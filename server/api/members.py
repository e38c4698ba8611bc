"""Members of a company: the firm or an admin hands out access with an activation code."""

from flask_smorest import Blueprint

from server.api.guards import company_access, current_company
from server.errors import ApiError
from server.extensions import db
from server.models import Membership, User
from server.schemas.auth import MemberCreateSchema, MemberSchema, MemberUpdateSchema
from server.services import accounts
from server.services.access import membership_of

bp = Blueprint("members", __name__, url_prefix="/api/companies/<int:cid>/members", description="Utilisateurs")


def _member(user, role, code=None):
    return {"user": user, "role": role, "activated": user.password_hash is not None, "activation_code": code}


@bp.get("")
@company_access(write=True)
@bp.response(200, MemberSchema(many=True))
def list_members(cid):
    """Users with a role in this company (admins)."""
    company = current_company()
    rows = db.session.execute(
        db.select(Membership, User).join(User).where(Membership.company_id == company.id).order_by(User.email)
    ).all()
    return [_member(user, m.role) for m, user in rows]


@bp.post("")
@company_access(write=True)
@bp.arguments(MemberCreateSchema)
@bp.response(201, MemberSchema)
def add_member(data, cid):
    """Give a user a role; a new user gets an activation code, shown once (admins)."""
    company = current_company()
    user, code = accounts.add_member(company, data["email"], data["name"], data["role"])
    return _member(user, data["role"], code)


@bp.patch("/<int:user_id>")
@company_access(write=True)
@bp.arguments(MemberUpdateSchema)
@bp.response(200, MemberSchema)
def change_role(data, cid, user_id):
    """Change a member's role (admins)."""
    company = current_company()
    membership = membership_of(user_id, company)
    if membership is None:
        raise ApiError(404)
    membership.role = data["role"]
    db.session.commit()
    return _member(membership.user, membership.role)
