"""Stored alerts of a company: list (every member), resolve with a note (admins); open counts per company."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from server.api.guards import company_access, current_company
from server.auth import current_user
from server.errors import ApiError
from server.extensions import db
from server.models import Alert, Register, User
from server.schemas.fields import Money
from server.services import alerts, alerts_queue, uow
from server.services.access import owned, visible_companies

bp = Blueprint("alerts", __name__, url_prefix="/api/companies/<int:cid>/alerts", description="Alertes")
summary_bp = Blueprint("alerts_summary", __name__, url_prefix="/api/alerts", description="Alertes")
MAX_ID = 2**31 - 1


class AlertQuerySchema(Schema):
    status = fields.String(load_default="open", validate=validate.OneOf(["open", "closed", "all"]))
    register_id = fields.Integer(validate=validate.Range(1, MAX_ID))
    kind = fields.String(validate=validate.OneOf(alerts.KINDS))
    limit = fields.Integer(load_default=200, validate=validate.Range(1, 1000))


class AlertResolveSchema(Schema):
    note = fields.String(required=True, validate=validate.Length(min=1, max=1000))


class AlertSchema(Schema):
    id = fields.Integer()
    company_id = fields.Integer()
    register_id = fields.Integer(allow_none=True)
    register_name = fields.String(allow_none=True)
    day_date = fields.Date(allow_none=True)
    kind = fields.String()
    label = fields.String(metadata={"description": "The kind in French."})
    severity = fields.String()
    title = fields.String()
    message = fields.String()
    method_id = fields.Integer(allow_none=True)
    amount = Money(allow_none=True, attribute="amount_cents")
    status = fields.String(metadata={"description": "open | closed"})
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    resolved_at = fields.DateTime(allow_none=True)
    resolved_by_id = fields.Integer(allow_none=True)
    resolved_by_name = fields.String(allow_none=True)
    resolution_note = fields.String()
    url = fields.String(metadata={"description": "Where the alert leads in the app (the day)."})


class AlertListSchema(Schema):
    open_count = fields.Integer()
    alerts = fields.List(fields.Nested(AlertSchema))


class CompanyCountSchema(Schema):
    company_id = fields.Integer()
    name = fields.String()
    open = fields.Integer()


class SummarySchema(Schema):
    total = fields.Integer()
    companies = fields.List(fields.Nested(CompanyCountSchema))


def view(alert: Alert) -> dict[str, Any]:
    register = db.session.get(Register, alert.register_id) if alert.register_id else None
    resolver = db.session.get(User, alert.resolved_by_id) if alert.resolved_by_id else None
    columns = ("id", "company_id", "register_id", "day_date", "kind", "severity", "message", "method_id",
               "amount_cents", "status", "created_at", "updated_at", "resolved_at", "resolved_by_id",
               "resolution_note")
    return {**{name: getattr(alert, name) for name in columns}, "register_name": register.name if register else None,
            "label": alerts.KIND_LABELS.get(alert.kind, alert.kind), "title": alerts.alert_title(alert),
            "resolved_by_name": resolver.name if resolver else None, "url": alerts.alert_url(alert)}


@bp.get("")
@company_access()
@bp.arguments(AlertQuerySchema, location="query")
@bp.response(200, AlertListSchema)
def list_alerts(query, cid):
    """The company's alerts, newest first; `status=open|closed|all`, `register_id`, `kind`; `open_count` counts
    the open ones under the same filters."""
    company = current_company()
    alerts_queue.drain([company.id])  # the days written since their last evaluation
    where = [Alert.company_id == company.id]
    if "register_id" in query:
        where.append(Alert.register_id == query["register_id"])
    if "kind" in query:
        where.append(Alert.kind == query["kind"])
    open_count = db.session.execute(db.select(db.func.count(Alert.id)).where(*where, Alert.status == "open")).scalar()
    if query["status"] != "all":
        where.append(Alert.status == query["status"])
    rows = db.session.execute(db.select(Alert).where(*where).order_by(Alert.created_at.desc(), Alert.id.desc())
                              .limit(query["limit"])).scalars()
    return {"open_count": open_count, "alerts": [view(a) for a in rows]}


@bp.post("/<int:alert_id>/resolve")
@company_access(write=True)
@bp.arguments(AlertResolveSchema)
@bp.response(200, AlertSchema)
@bp.alt_response(409, description="Alerte déjà close.")
def resolve(data, cid, alert_id):
    """Close an alert with a note (admins). A condition still present does not reopen it for that day."""
    note = data["note"].strip()
    if not note:
        raise ApiError(422, errors={"note": ["Ce champ ne peut pas être vide."]})
    alert = owned(current_company(), Alert, alert_id) if alert_id <= MAX_ID else None
    if alert is None:
        raise ApiError(404)
    if alert.status != "open":
        raise ApiError(409, "Cette alerte est déjà close.", code="already_closed")
    def work(unit: uow.Work) -> None:
        before = {"status": alert.status}
        alerts.resolve(alert, current_user(), note)
        unit.record("resolve", "alert", alert.id, before=before, after={"status": alert.status, "note": note})

    uow.run(work, alert.company_id, user=current_user())
    return view(alert)


@summary_bp.get("/summary")
@summary_bp.response(200, SummarySchema)
def summary():
    """Open alerts per company the caller sees (the badge; the firm's dashboard)."""
    companies = visible_companies(current_user())
    ids = [c.id for c, _ in companies]
    alerts_queue.drain(ids)
    counts = dict(db.session.execute(db.select(Alert.company_id, db.func.count(Alert.id)).where(
        Alert.company_id.in_(ids), Alert.status == "open").group_by(Alert.company_id)).all())
    rows = [{"company_id": c.id, "name": c.name, "open": int(counts.get(c.id, 0))} for c, _ in companies]
    return {"total": sum(r["open"] for r in rows), "companies": rows}
