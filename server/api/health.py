"""Liveness: a minimal public JSON answer, without database access (probes, the sync benchmark's baseline)."""

from flask_smorest import Blueprint
from marshmallow import Schema, fields

bp = Blueprint("health", __name__, url_prefix="/api", description="État du service")


class HealthSchema(Schema):
    status = fields.String(required=True)


@bp.get("/health")
@bp.response(200, HealthSchema)
def health():
    """The server answers."""
    return {"status": "ok"}
