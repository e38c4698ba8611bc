"""Members of a company: an admin adds an e-mail (a new person gets an activation code, an existing account
an invitation it must accept), changes a role, removes a member, lists and withdraws invitations."""

from flask_smorest import Blueprint

from server.api.guards import company_access, current_company
from server.auth import current_user
from server.extensions import db
from server.models import Membership, User
from server.schemas.auth import (
    InvitationSchema,
    MemberAddedSchema,
    MemberCreateSchema,
    MemberSchema,
    MemberUpdateSchema,
    ResetCodeSchema,
)
from server.services import members

bp = Blueprint("members", __name__, url_prefix="/api/companies/<int:cid>", description="Utilisateurs")


def _member(user, role, code=None):
    return {"user": user, "role": role, "activated": user.password_hash is not None, "activation_code": code}


@bp.get("/members")
@company_access(write=True)
@bp.response(200, MemberSchema(many=True))
def list_members(cid):
    """Users with a role in this company (admins)."""
    company = current_company()
    rows = db.session.execute(
        db.select(Membership, User).join(User).where(Membership.company_id == company.id).order_by(User.email)
    ).all()
    return [_member(user, m.role) for m, user in rows]


@bp.post("/members")
@company_access(write=True)
@bp.arguments(MemberCreateSchema)
@bp.response(201, MemberAddedSchema)
def add_member(data, cid):
    """Add an e-mail (admins). Unknown: a new account and its activation code, shown once.
    Already an account: an invitation it accepts from its own session (`invitation`, `user` null); nothing
    about the account is shown."""
    added = members.add(current_company(), current_user(), data["email"], data["name"], data["role"])
    if added.invitation is not None:
        return {"user": None, "role": data["role"], "activated": False, "activation_code": None,
                "invitation": added.invitation}
    return {**_member(added.user, data["role"], added.activation_code), "invitation": None}


@bp.patch("/members/<int:user_id>")
@company_access(write=True)
@bp.arguments(MemberUpdateSchema)
@bp.response(200, MemberSchema)
def change_role(data, cid, user_id):
    """Change a member's role (admins; 409 `last_admin` for the company's last admin)."""
    membership = members.change_role(current_company(), current_user(), user_id, data["role"])
    return _member(membership.user, membership.role)


@bp.delete("/members/<int:user_id>")
@company_access(write=True)
@bp.response(204)
@bp.alt_response(409, description="Dernier administrateur de la société (`last_admin`).")
def remove_member(cid, user_id):
    """Remove a member's access to this company (admins; 409 `last_admin` for the last admin)."""
    members.remove(current_company(), current_user(), user_id)


@bp.post("/members/<int:user_id>/reset-code")
@company_access(write=True)
@bp.response(200, ResetCodeSchema)
def reset_code(cid, user_id):
    """A new activation code for a member who lost their password (admins); shown once."""
    return {"activation_code": members.reset_code(current_company(), current_user(), user_id)}


@bp.get("/invitations")
@company_access(write=True)
@bp.response(200, InvitationSchema(many=True))
def list_invitations(cid):
    """Pending invitations of this company (admins)."""
    return members.pending_for_company(current_company())


@bp.delete("/invitations/<int:invitation_id>")
@company_access(write=True)
@bp.response(204)
def cancel_invitation(cid, invitation_id):
    """Withdraw a pending invitation (admins)."""
    members.cancel(current_company(), current_user(), invitation_id)
