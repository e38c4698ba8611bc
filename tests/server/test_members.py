"""Memberships (issue 10, defect 9): an existing account is invited, never attached, and learns nothing to
the admin; a membership can be removed, never the last admin's; every change is audited."""

from __future__ import annotations

from typing import Any

from server.extensions import db
from server.models import AuditEntry, Membership


def members_url(demo: dict[str, Any]) -> str:
    return f"/api/companies/{demo['bakery']}/members"


def audit_actions(app: Any, entity: str) -> list[tuple[str, Any, Any]]:
    with app.app_context():
        return [(r.action, r.before, r.after) for r in db.session.execute(
            db.select(AuditEntry).where(AuditEntry.entity == entity).order_by(AuditEntry.id)).scalars()]


def test_adding_an_existing_account_sends_an_invitation_and_leaks_nothing(auth, demo, app):
    admin, other = auth("gerant@demo.test"), auth("cafe@demo.test")  # the café's admin, another company
    r = admin.post(members_url(demo), json={"email": "CAFE@demo.test", "name": "X", "role": "cashier"})
    assert r.status_code == 201, r.json
    assert r.json["user"] is None and r.json["activation_code"] is None
    assert r.json["invitation"]["email"] == "cafe@demo.test" and r.json["invitation"]["status"] == "pending"
    assert "Amélie" not in r.text and "Cafetière" not in r.text
    assert "cafe@demo.test" not in [m["user"]["email"] for m in admin.get(members_url(demo)).json]
    # Not attached: the invitee still sees only their own company, and the bakery is 404 to them.
    assert [c["id"] for c in other.get("/api/companies").json] == [demo["cafe"]]
    assert other.get(f"/api/companies/{demo['bakery']}").status_code == 404
    pending = admin.get(f"/api/companies/{demo['bakery']}/invitations").json
    assert [i["email"] for i in pending] == ["cafe@demo.test"]
    again = admin.post(members_url(demo), json={"email": "cafe@demo.test", "role": "cashier"})
    assert again.status_code == 409 and "email" in again.json["errors"]

    mine = other.get("/api/invitations").json
    assert [(i["company"]["name"], i["role"]) for i in mine] == [("Boulangerie du Marché", "cashier")]
    assert auth("caisse@demo.test").post(f"/api/invitations/{mine[0]['id']}/accept").status_code == 404
    r = other.post(f"/api/invitations/{mine[0]['id']}/accept")
    assert r.status_code == 200 and r.json["status"] == "accepted"
    assert other.get(f"/api/companies/{demo['bakery']}").status_code == 200
    roles = {c["id"]: c["role"] for c in other.get("/api/me").json["companies"]}
    assert roles == {demo["cafe"]: "admin", demo["bakery"]: "cashier"}
    assert other.post(f"/api/invitations/{mine[0]['id']}/accept").status_code == 404  # once
    assert [a for a, _b, _c in audit_actions(app, "invitation")] == ["invite", "accept"]
    assert audit_actions(app, "membership") == [("create", None, {"email": "cafe@demo.test", "role": "cashier"})]


def test_a_declined_or_withdrawn_invitation_gives_no_access(auth, demo, app):
    admin, other = auth("gerant@demo.test"), auth("cafe@demo.test")
    first = admin.post(members_url(demo), json={"email": "cafe@demo.test", "role": "admin"}).json["invitation"]
    assert other.post(f"/api/invitations/{first['id']}/decline").json["status"] == "declined"
    second = admin.post(members_url(demo), json={"email": "cafe@demo.test", "role": "admin"}).json["invitation"]
    assert admin.delete(f"/api/companies/{demo['bakery']}/invitations/{second['id']}").status_code == 204
    assert other.post(f"/api/invitations/{second['id']}/accept").status_code == 404
    assert other.get(f"/api/companies/{demo['bakery']}").status_code == 404
    assert admin.get(f"/api/companies/{demo['bakery']}/invitations").json == []
    # Another company's admin cannot withdraw it, nor see it.
    third = admin.post(members_url(demo), json={"email": "cafe@demo.test", "role": "admin"}).json["invitation"]
    assert other.delete(f"/api/companies/{demo['cafe']}/invitations/{third['id']}").status_code == 404
    assert [a for a, _b, _c in audit_actions(app, "invitation")] == ["invite", "decline", "invite", "cancel", "invite"]


def test_an_unknown_email_still_gets_an_activation_code(auth, demo, app):
    r = auth("gerant@demo.test").post(members_url(demo), json={"email": "neuf@demo.test", "name": "Neuf",
                                                               "role": "cashier"})
    assert r.status_code == 201 and r.json["invitation"] is None
    assert len(r.json["activation_code"]) >= 10 and r.json["user"]["email"] == "neuf@demo.test"
    created = audit_actions(app, "membership")
    assert created == [("create", None, {"email": "neuf@demo.test", "role": "cashier"})]
    assert r.json["activation_code"] not in str(created)


def test_a_member_can_be_removed_and_loses_access(auth, demo, app):
    admin, cashier = auth("gerant@demo.test"), auth("caisse@demo.test")
    uid = cashier.get("/api/me").json["user"]["id"]
    assert admin.delete(f"{members_url(demo)}/{uid}").status_code == 204
    assert cashier.get(f"/api/companies/{demo['bakery']}").status_code == 404
    assert cashier.get("/api/companies").json == []
    assert admin.delete(f"{members_url(demo)}/{uid}").status_code == 404
    assert audit_actions(app, "membership") == [("remove", {"role": "cashier"}, None)]


def test_the_last_admin_can_be_neither_removed_nor_demoted(auth, demo, app):
    admin = auth("gerant@demo.test")
    uid = admin.get("/api/me").json["user"]["id"]
    r = admin.delete(f"{members_url(demo)}/{uid}")
    assert r.status_code == 409 and r.json["code"] == "last_admin"
    r = auth("cabinet@demo.test").patch(f"{members_url(demo)}/{uid}", json={"role": "cashier"})
    assert r.status_code == 409 and r.json["code"] == "last_admin"
    # With a second admin, the first may go.
    cashier_id = auth("caisse@demo.test").get("/api/me").json["user"]["id"]
    assert admin.patch(f"{members_url(demo)}/{cashier_id}", json={"role": "admin"}).status_code == 200
    assert admin.delete(f"{members_url(demo)}/{uid}").status_code == 204
    with app.app_context():
        assert db.session.execute(db.select(Membership.role).where(
            Membership.company_id == demo["bakery"])).scalars().all() == ["admin"]
    assert audit_actions(app, "membership") == [("update", {"role": "cashier"}, {"role": "admin"}),
                                                ("remove", {"role": "admin"}, None)]


def test_another_companys_member_is_404(auth, demo):
    cafe_admin = auth("cafe@demo.test").get("/api/me").json["user"]["id"]
    admin = auth("gerant@demo.test")
    assert admin.delete(f"{members_url(demo)}/{cafe_admin}").status_code == 404
    assert admin.patch(f"{members_url(demo)}/{cafe_admin}", json={"role": "cashier"}).status_code == 404
    assert admin.delete(f"{members_url(demo)}/{2**70}").status_code == 404
    assert admin.delete(f"/api/companies/{demo['bakery']}/invitations/{2**70}").status_code == 404
    assert admin.post(f"/api/invitations/{2**70}/accept").status_code == 404
