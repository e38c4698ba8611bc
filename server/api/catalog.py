"""Per-company settings lists built from one pattern: registers, categories, payment methods, customers, suppliers."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint
from marshmallow import Schema

from server.api.guards import company_access, current_company
from server.extensions import db
from server.models import Customer, PaymentMethod, Register, SalesCategory, Supplier
from server.schemas.settings import (
    CategorySchema,
    CustomerSchema,
    PaymentMethodSchema,
    RegisterSchema,
    SupplierSchema,
)
from server.services import settings
from server.services.access import owned

RESOURCES: list[tuple[str, type[Any], type[Schema], str, str]] = [
    ("registers", Register, RegisterSchema, "position", "Caisses"),
    ("categories", SalesCategory, CategorySchema, "position", "Classifications (ticket Z)"),
    ("payment-methods", PaymentMethod, PaymentMethodSchema, "position", "Moyens de paiement"),
    ("customers", Customer, CustomerSchema, "name", "Clients"),
    ("suppliers", Supplier, SupplierSchema, "name", "Fournisseurs"),
]


def make_blueprint(path: str, model: type[Any], schema: type[Schema], order: str, title: str) -> Blueprint:
    bp = Blueprint(path, __name__, url_prefix=f"/api/companies/<int:cid>/{path}", description=title)

    @bp.get("")
    @company_access(write=False)
    @bp.response(200, schema(many=True))
    def list_rows(cid):
        """List (every role of the company)."""
        company = current_company()
        return db.session.execute(
            db.select(model).where(model.company_id == company.id).order_by(getattr(model, order), model.id)
        ).scalars()

    @bp.post("")
    @company_access(write=True)
    @bp.arguments(schema)
    @bp.response(201, schema)
    def create_row(data, cid):
        """Create (admins)."""
        return settings.create_row(current_company(), model, data)

    @bp.get("/<int:item_id>")
    @company_access(write=False)
    @bp.response(200, schema)
    def get_row(cid, item_id):
        """Read one."""
        return owned(current_company(), model, item_id)

    @bp.patch("/<int:item_id>")
    @company_access(write=True)
    @bp.arguments(schema(partial=True))
    @bp.response(200, schema)
    def update_row(data, cid, item_id):
        """Update (admins); deactivate with `active: false` instead of deleting."""
        company = current_company()
        return settings.update_row(company, owned(company, model, item_id), data)

    return bp


def blueprints() -> list[Blueprint]:
    return [make_blueprint(*resource) for resource in RESOURCES]
