"""The audit trail of a company, for its admins and the firm: read only, paged, filtered."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from server.api.guards import company_access, current_company
from server.services import audit

bp = Blueprint("audit", __name__, url_prefix="/api/companies/<int:cid>/audit", description="Journal d'audit")
MAX_PER_PAGE = 200


class AuditQuerySchema(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=1_000_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=MAX_PER_PAGE))
    entity = fields.String(
        validate=validate.Length(min=1, max=30),
        metadata={"description": "day, company, register, category, membership, token…"},
    )
    user_id = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1))
    start = fields.Date(data_key="from", metadata={"description": "First day (UTC), inclusive."})
    end = fields.Date(data_key="to", metadata={"description": "Last day (UTC), inclusive."})

    @validates_schema
    def _ordered(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise ValidationError("La fin doit suivre le début.", "to")


class AuditEntrySchema(Schema):
    id = fields.Integer(required=True)
    at = fields.AwareDateTime(required=True, metadata={"description": "UTC."})
    user_id = fields.Integer(required=True, allow_none=True)
    device_id = fields.String(required=True)
    mutation_id = fields.Integer(required=True, allow_none=True)
    action = fields.String(required=True)
    entity = fields.String(required=True)
    entity_id = fields.String(required=True)
    before = fields.Raw(required=True, allow_none=True)
    after = fields.Raw(required=True, allow_none=True)


class AuditPageSchema(Schema):
    items = fields.List(fields.Nested(AuditEntrySchema), required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True)
    entities = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "Every entity the company's audit names (for the filter)."},
    )


@bp.get("")
@company_access(write=True)
@bp.arguments(AuditQuerySchema, location="query")
@bp.response(200, AuditPageSchema)
def list_audit(query, cid):
    """Recorded writes of the company, newest first (admins and the firm); filter by `entity`, `user_id`,
    `from` and `to` (UTC dates, inclusive); `page` from 1, `per_page` up to 200. There is no way to change them."""
    total, rows = audit.page(
        current_company().id,
        page=query["page"],
        per_page=query["per_page"],
        entity=query.get("entity"),
        user_id=query.get("user_id"),
        start=query.get("start"),
        end=query.get("end"),
    )
    return {
        "items": rows,
        "page": query["page"],
        "per_page": query["per_page"],
        "total": total,
        "entities": audit.entities(current_company().id),
    }
