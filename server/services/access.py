"""Company access: who sees which company, with which role. Every company endpoint goes through here."""

from __future__ import annotations

from server.auth import current_user
from server.errors import ApiError
from server.extensions import db
from server.models import Company, Membership, User

WRITE_ROLES = {"firm_admin", "admin"}


def role_in(user: User, company: Company) -> str | None:
    """The user's role in the company, or None when the company is not theirs."""
    best = None
    for m in user.memberships:
        if m.firm_id is not None and m.firm_id == company.firm_id and m.role == "firm_admin":
            return "firm_admin"
        if m.company_id == company.id:
            best = m.role
    return best


def visible_companies(user: User) -> list[tuple[Company, str]]:
    firm_ids = [m.firm_id for m in user.memberships if m.role == "firm_admin" and m.firm_id]
    company_ids = [m.company_id for m in user.memberships if m.company_id]
    query = db.select(Company).where(
        Company.firm_id.in_(firm_ids) | Company.id.in_(company_ids)
    ).order_by(Company.id)
    out = []
    for company in db.session.execute(query).scalars():
        role = role_in(user, company)
        if role:
            out.append((company, role))
    return out


def company_for(company_id: int, write: bool = False) -> Company:
    """The company if the caller may see it (404 otherwise) and, for `write`, administer it (403)."""
    user = current_user()
    company = db.session.get(Company, company_id)
    role = role_in(user, company) if company is not None else None
    if company is None or role is None:
        raise ApiError(404, "Société introuvable.")
    if write and role not in WRITE_ROLES:
        raise ApiError(403)
    return company


def caller_role(company: Company) -> str:
    role = role_in(current_user(), company)
    assert role is not None
    return role


def firm_admin_firm_id(user: User) -> int:
    """The firm a firm admin administers; 403 for anyone else."""
    for m in user.memberships:
        if m.role == "firm_admin" and m.firm_id:
            return m.firm_id
    raise ApiError(403, "Réservé au cabinet.")


def owned(company: Company, model: type, object_id: int | str):
    """A row of `model` that belongs to `company`, or 404 (also for an id no integer column can hold)."""
    if isinstance(object_id, int) and not 0 < object_id < 2**31:
        raise ApiError(404)
    row = db.session.get(model, object_id)
    if row is None or getattr(row, "company_id", None) != company.id:
        raise ApiError(404)
    return row


def membership_of(user_id: int, company: Company) -> Membership | None:
    return db.session.execute(
        db.select(Membership).where(Membership.user_id == user_id, Membership.company_id == company.id)
    ).scalar_one_or_none()
