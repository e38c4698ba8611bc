"""The caller's open sessions (« Équipe » shows them) and revoking one."""

from flask_smorest import Blueprint

from server.auth import current_session, current_user, end_session
from server.errors import ApiError
from server.extensions import db
from server.models import UserSession
from server.schemas.sessions import SessionSchema
from server.services import sessions

bp = Blueprint("sessions", __name__, url_prefix="/api/auth/sessions", description="Sessions ouvertes")


@bp.get("")
@bp.response(200, SessionSchema(many=True))
def list_sessions():
    """My live sessions, most recently used first; `current` marks this browser's."""
    user, here = current_user(), current_session()
    return [{"id": row.id, "created_at": row.created_at, "last_seen_at": row.last_seen_at,
             "expires_at": row.expires_at, "user_agent": row.user_agent,
             "current": here is not None and row.id == here.id}
            for row in sessions.active(user.id)]


@bp.delete("/<int:session_id>")
@bp.response(204)
def revoke_session(session_id):
    """End one of my sessions (this browser's included)."""
    user, here = current_user(), current_session()
    row = db.session.get(UserSession, session_id)
    if row is None or row.user_id != user.id or not sessions.is_live(row):
        raise ApiError(404)
    if here is not None and row.id == here.id:
        end_session()
        return
    sessions.revoke(row)
    db.session.commit()
