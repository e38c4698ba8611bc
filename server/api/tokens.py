"""Personal API tokens (bearer), for integrations."""

from flask_smorest import Blueprint

from server.auth import current_user
from server.extensions import db
from server.models import ApiToken
from server.schemas.auth import TokenCreateSchema, TokenSchema
from server.services import accounts

bp = Blueprint("tokens", __name__, url_prefix="/api/auth/tokens", description="Jetons d'accès personnels")


@bp.get("")
@bp.response(200, TokenSchema(many=True))
def list_tokens():
    """My active tokens (never their value)."""
    user = current_user()
    return db.session.execute(
        db.select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    ).scalars()


@bp.post("")
@bp.arguments(TokenCreateSchema)
@bp.response(201, TokenSchema)
def create_token(data):
    """Create a token; its value is shown once."""
    row, token = accounts.create_token(current_user(), data["name"])
    return {"id": row.id, "name": row.name, "prefix": row.prefix, "created_at": row.created_at, "token": token}


@bp.delete("/<int:token_id>")
@bp.response(204)
def revoke(token_id):
    """Revoke one of my tokens."""
    accounts.revoke_token(current_user(), token_id)
