"""Login, logout, activation and the CSRF token."""

from flask import session
from flask_smorest import Blueprint

from server.auth import csrf_token, start_session
from server.schemas.auth import ActivateSchema, LoginAnswerSchema, LoginSchema
from server.services import accounts

bp = Blueprint("auth", __name__, url_prefix="/api/auth", description="Connexion et activation")


@bp.post("/login")
@bp.arguments(LoginSchema)
@bp.response(200, LoginAnswerSchema)
def login(data):
    """Open a session (HttpOnly cookie) and return the CSRF token for later writes."""
    user = accounts.authenticate(data["email"], data["password"])
    return {"user": user, "csrf_token": start_session(user)}


@bp.post("/logout")
@bp.response(204)
def logout():
    """Close the session."""
    session.clear()


@bp.post("/activate")
@bp.arguments(ActivateSchema)
@bp.response(200, LoginAnswerSchema)
def activate(data):
    """Set a password with the activation code given by the firm, and log in."""
    user = accounts.activate(data["email"], data["code"], data["password"])
    return {"user": user, "csrf_token": start_session(user)}


@bp.get("/csrf")
def csrf():
    """The CSRF token of the current session."""
    return {"csrf_token": csrf_token()}
