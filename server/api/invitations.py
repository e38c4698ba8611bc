"""My invitations: a company's admin offered me a role; I accept (and get it) or decline."""

from flask_smorest import Blueprint

from server.auth import current_user
from server.extensions import db
from server.models import Company
from server.schemas.auth import MyInvitationSchema
from server.services import members

bp = Blueprint("invitations", __name__, url_prefix="/api/invitations", description="Invitations reçues")


def _mine(invitation, company):
    return {"id": invitation.id, "company": {"id": company.id, "name": company.name}, "role": invitation.role,
            "created_at": invitation.created_at, "status": invitation.status}


@bp.get("")
@bp.response(200, MyInvitationSchema(many=True))
def list_mine():
    """My pending invitations."""
    return [_mine(inv, company) for inv, company in members.pending_for_user(current_user())]


@bp.post("/<int:invitation_id>/accept")
@bp.response(200, MyInvitationSchema)
def accept(invitation_id):
    """Accept: I get the offered role in the company (404 unless the invitation is mine and pending)."""
    invitation = members.answer(current_user(), invitation_id, accept=True)
    return _mine(invitation, invitation_company(invitation))


@bp.post("/<int:invitation_id>/decline")
@bp.response(200, MyInvitationSchema)
def decline(invitation_id):
    """Decline (404 unless the invitation is mine and pending)."""
    invitation = members.answer(current_user(), invitation_id, accept=False)
    return _mine(invitation, invitation_company(invitation))


def invitation_company(invitation):
    return db.session.get(Company, invitation.company_id)
