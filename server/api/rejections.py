"""Sync conflicts for admins: the rejected mutations of a company, and their resolution."""

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from server.api.guards import company_access, current_company
from server.auth import current_user
from server.schemas.sync import UUID, SyncRejectionSchema
from server.schemas.times import UtcDateTime
from server.services import rejections

bp = Blueprint("rejections", __name__, url_prefix="/api/companies/<int:cid>/rejections",
               description="Conflits de synchronisation")


class RejectionQuerySchema(Schema):
    status = fields.String(load_default="pending", validate=validate.OneOf(["pending", "resolved", "all"]))


class ResolveSchema(Schema):
    choice = fields.String(required=True, validate=validate.OneOf(["mine", "server"]))
    new_flow_id = fields.String(validate=UUID, metadata={"description": "Keeping a duplicate_flow: its new UUID."})


class RejectionAdminSchema(SyncRejectionSchema):
    """A rejection as the admin sees it: the device's value (args), the server's then and now, the decision."""

    id = fields.Integer()
    device_id = fields.String()
    user_id = fields.Integer(allow_none=True)
    created_at = UtcDateTime()
    current_value = fields.Raw(allow_none=True, metadata={"description": "The day as it is now."})
    resolved_by_id = fields.Integer(allow_none=True)
    resolved_at = UtcDateTime(allow_none=True)


@bp.get("")
@company_access(write=True)
@bp.arguments(RejectionQuerySchema, location="query")
@bp.response(200, RejectionAdminSchema(many=True))
def list_rejections(query, cid):
    """Rejected mutations with the device's value and the server's (admins); `status=pending|resolved|all`."""
    return rejections.listing(current_company(), query["status"])


@bp.post("/<int:rejection_id>/resolve")
@company_access(write=True)
@bp.arguments(ResolveSchema)
@bp.response(200, RejectionAdminSchema)
@bp.alt_response(409, description="Déjà tranché, journée clôturée, ou valeur de nouveau refusée (rejected_again).")
def resolve(data, cid, rejection_id):
    """Decide a conflict (admins): `mine` re-applies the device's value on the current revision, `server` keeps ours."""
    return rejections.decide(current_company(), current_user(), rejection_id, data["choice"], data.get("new_flow_id"))
