"""Login, logout (here or everywhere), activation, password change and the CSRF token."""

from flask_smorest import Blueprint

from server.auth import csrf_token, current_user, end_session, start_session
from server.errors import ApiError
from server.extensions import db
from server.schemas.auth import ActivateSchema, LoginAnswerSchema, LoginSchema
from server.schemas.sessions import CsrfSchema, LogoutAllSchema, PasswordChangeSchema
from server.services import accounts, sessions
from server.services import login as login_service

bp = Blueprint("auth", __name__, url_prefix="/api/auth", description="Connexion et activation")


@bp.post("/login")
@bp.arguments(LoginSchema)
@bp.response(200, LoginAnswerSchema)
@bp.alt_response(401, description="E-mail ou mot de passe incorrect.")
@bp.alt_response(429, description="Trop de tentatives (voir services/login.py).")
def login(data):
    """Open a session (HttpOnly cookie holding a random id) and return the CSRF token for later writes."""
    user = login_service.authenticate(data["email"], data["password"])
    return {"user": user, "csrf_token": start_session(user)}


@bp.post("/logout")
@bp.response(204)
def logout():
    """End this session on the server and clear its cookie."""
    end_session()


@bp.post("/logout-all")
@bp.response(200, LogoutAllSchema)
def logout_all():
    """« Se déconnecter de partout » : end every session of the caller, this one included."""
    user = current_user()
    revoked = sessions.revoke_all(user.id)
    db.session.commit()
    end_session()
    return {"revoked": revoked}


@bp.post("/activate")
@bp.arguments(ActivateSchema)
@bp.response(200, LoginAnswerSchema)
def activate(data):
    """Set a password with the activation code given by the firm (first time or reset), and log in.
    Every other session of the user ends."""
    user = accounts.activate(data["email"], data["code"], data["password"])
    return {"user": user, "csrf_token": start_session(user)}


@bp.post("/password")
@bp.arguments(PasswordChangeSchema)
@bp.response(200, LoginAnswerSchema)
def change_password(data):
    """Change my password; every session ends and this browser gets a new one."""
    user = current_user()
    if not login_service.check_password_again(user, data["current_password"]):
        raise ApiError(422, errors={"current_password": ["Mot de passe actuel incorrect."]})
    accounts.set_password(user, data["new_password"], field="new_password")
    db.session.commit()
    return {"user": user, "csrf_token": start_session(user)}


@bp.get("/csrf")
@bp.response(200, CsrfSchema)
def csrf():
    """The CSRF token of the current session (null without one)."""
    return {"csrf_token": csrf_token()}
