"""Tiny factories and id lookups for tests."""

from __future__ import annotations

from typing import Any

from server.extensions import db
from server.models import Company, Firm, Membership, PaymentMethod, Register, SalesCategory, User
from server.services.passwords import hash_secret


def demo_ids() -> dict[str, Any]:
    companies = {c.name: c for c in db.session.execute(db.select(Company)).scalars()}
    bakery, cafe = companies["Boulangerie du Marché"], companies["Café des Arts"]

    def ids(model: type, company: Company) -> list[int]:
        return [r.id for r in db.session.execute(
            db.select(model).where(model.company_id == company.id).order_by(model.id)).scalars()]

    methods = {m.kind: m.id for m in db.session.execute(
        db.select(PaymentMethod).where(PaymentMethod.company_id == bakery.id)).scalars()}
    return {
        "bakery": bakery.id, "cafe": cafe.id, "firm": bakery.firm_id,
        "bakery_registers": ids(Register, bakery), "cafe_registers": ids(Register, cafe),
        "bakery_categories": ids(SalesCategory, bakery), "cafe_categories": ids(SalesCategory, cafe),
        "bakery_methods": methods,
    }


def make_user(email: str, role: str, company_id: int | None = None, firm_id: int | None = None,
              password: str = "demo1234") -> User:
    user = User(email=email, name=email.split("@")[0], password_hash=hash_secret(password))
    db.session.add(user)
    db.session.flush()
    db.session.add(Membership(user_id=user.id, role=role, company_id=company_id, firm_id=firm_id))
    db.session.commit()
    return user


def make_firm_with_company(name: str = "Autre cabinet") -> tuple[Firm, Company]:
    firm = Firm(name=name)
    db.session.add(firm)
    db.session.flush()
    company = Company(firm_id=firm.id, name=f"Société de {name}", siren="732829320")
    db.session.add(company)
    db.session.commit()
    return firm, company
