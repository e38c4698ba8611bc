"""Memberships of a company: add (an activation code for a new person, an invitation for an existing
account), change a role, remove; invitations accepted or declined by the invitee. Each in one unit of
work with its audit row.

Nothing about an existing account leaks to the admin who adds its e-mail: no name, no id, no companies;
the person is attached only when they accept. The last admin of a company cannot be removed or demoted.
"""

from __future__ import annotations

from dataclasses import dataclass

from server.errors import ApiError
from server.extensions import db
from server.models import Company, Invitation, Membership, User
from server.models.base import utcnow
from server.services import uow
from server.services.access import membership_of
from server.services.accounts import issue_activation_code


@dataclass
class Added:
    """What adding an e-mail did: a member (new account, with its code) or an invitation (existing account)."""

    user: User | None = None
    activation_code: str | None = None
    invitation: Invitation | None = None


def add(company: Company, admin: User, email: str, name: str, role: str) -> Added:
    """Give `email` a role: a new account gets an activation code; an existing one gets an invitation."""
    return uow.run(lambda unit: add_in(unit, company, admin, email, name, role), company.id, user=admin)


def add_in(unit: uow.Work, company: Company, admin: User, email: str, name: str, role: str) -> Added:
    """`add` inside a running unit of work (the company wizard adds its first cashier this way)."""
    email = email.strip().lower()
    user = db.session.execute(db.select(User).where(User.email == email)).scalar_one_or_none()
    if user is None:
        user = User(email=email, name=name)
        db.session.add(user)
        code = issue_activation_code(user)
        db.session.flush()
        db.session.add(Membership(user_id=user.id, company_id=company.id, role=role))
        unit.record("create", "membership", user.id, company_id=company.id, after={"email": email, "role": role})
        return Added(user=user, activation_code=code)
    if membership_of(user.id, company) is not None:
        raise ApiError(409, errors={"email": ["Cet utilisateur a déjà un accès à cette société."]})
    if _pending(company.id, user.id) is not None:
        raise ApiError(409, errors={"email": ["Une invitation est déjà en attente pour cette adresse."]})
    invitation = Invitation(company_id=company.id, user_id=user.id, email=email, role=role,
                            invited_by_id=admin.id, status="pending")
    db.session.add(invitation)
    db.session.flush()
    unit.record("invite", "invitation", invitation.id, company_id=company.id, after={"email": email, "role": role})
    return Added(invitation=invitation)


def reset_code(company: Company, admin: User, user_id: int) -> str:
    """A new activation code for a member of the company (« mot de passe oublié »): shown once; their
    password works until they use it. 404 if not a member."""

    def work(unit: uow.Work) -> str:
        membership = _membership(company, user_id)
        code = issue_activation_code(membership.user)
        unit.record("reset_code", "user", user_id, after={"activation_code_issued": True})
        return code

    return uow.run(work, company.id, user=admin)


def change_role(company: Company, admin: User, user_id: int, role: str) -> Membership:
    def work(unit: uow.Work) -> Membership:
        membership = _membership(company, user_id)
        if membership.role == "admin" and role != "admin":
            _keep_an_admin(company, membership)
        before = membership.role
        membership.role = role
        if before != role:
            unit.record("update", "membership", user_id, before={"role": before}, after={"role": role})
        return membership

    return uow.run(work, company.id, user=admin)


def remove(company: Company, admin: User, user_id: int) -> None:
    """End a person's access to the company (404 if not a member, 409 for the last admin)."""

    def work(unit: uow.Work) -> None:
        membership = _membership(company, user_id)
        if membership.role == "admin":
            _keep_an_admin(company, membership)
        unit.record("remove", "membership", user_id, before={"role": membership.role}, after=None)
        db.session.delete(membership)

    uow.run(work, company.id, user=admin)


def pending_for_company(company: Company) -> list[Invitation]:
    return list(db.session.execute(
        db.select(Invitation).where(Invitation.company_id == company.id, Invitation.status == "pending")
        .order_by(Invitation.id)
    ).scalars())


def pending_for_user(user: User) -> list[tuple[Invitation, Company]]:
    rows = db.session.execute(
        db.select(Invitation, Company).join(Company, Company.id == Invitation.company_id)
        .where(Invitation.user_id == user.id, Invitation.status == "pending").order_by(Invitation.id)
    ).all()
    return [(invitation, company) for invitation, company in rows]


def cancel(company: Company, admin: User, invitation_id: int) -> None:
    """An admin withdraws a pending invitation of the company (404 otherwise)."""

    def work(unit: uow.Work) -> None:
        invitation = _invitation(invitation_id)
        if invitation is None or invitation.company_id != company.id or invitation.status != "pending":
            raise ApiError(404)
        _answer(unit, invitation, "cancelled")

    uow.run(work, company.id, user=admin)


def answer(user: User, invitation_id: int, accept: bool) -> Invitation:
    """The invitee accepts (a membership is created) or declines; 404 unless it is theirs and pending."""
    invitation = _invitation(invitation_id)
    if invitation is None or invitation.user_id != user.id or invitation.status != "pending":
        raise ApiError(404, "Invitation introuvable.")

    def work(unit: uow.Work) -> Invitation:
        db.session.refresh(invitation)
        if invitation.status != "pending":  # answered meanwhile (read again under the lock)
            raise ApiError(404, "Invitation introuvable.")
        if accept:
            if membership_of(user.id, unit.locked) is None:
                db.session.add(Membership(user_id=user.id, company_id=invitation.company_id, role=invitation.role))
                unit.record("create", "membership", user.id, after={"email": user.email, "role": invitation.role})
        _answer(unit, invitation, "accepted" if accept else "declined")
        return invitation

    return uow.run(work, invitation.company_id, user=user)


def _answer(unit: uow.Work, invitation: Invitation, status: str) -> None:
    invitation.status, invitation.answered_at = status, utcnow()
    action = {"accepted": "accept", "declined": "decline", "cancelled": "cancel"}[status]
    unit.record(action, "invitation", invitation.id, before={"status": "pending"}, after={"status": status})


def _pending(company_id: int, user_id: int) -> Invitation | None:
    return db.session.execute(db.select(Invitation).where(
        Invitation.company_id == company_id, Invitation.user_id == user_id, Invitation.status == "pending"
    )).scalar_one_or_none()


def _fits(row_id: int) -> bool:
    """An id the database can hold (a path may carry 2**70: 404, not an overflow)."""
    return 0 < row_id < 2**31


def _invitation(invitation_id: int) -> Invitation | None:
    return db.session.get(Invitation, invitation_id) if _fits(invitation_id) else None


def _membership(company: Company, user_id: int) -> Membership:
    membership = membership_of(user_id, company) if _fits(user_id) else None
    if membership is None:
        raise ApiError(404)
    return membership


def _keep_an_admin(company: Company, leaving: Membership) -> None:
    admins = db.session.execute(db.select(db.func.count()).select_from(Membership).where(
        Membership.company_id == company.id, Membership.role == "admin")).scalar_one()
    if admins <= 1:
        raise ApiError(409, "La société doit garder au moins un administrateur.", code="last_admin")
