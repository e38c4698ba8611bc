"""Back-office endpoints (issue 11): the firm's company overview and wizard, the Z order in one call, a new
activation code for a member, the previous year's revenue per month. Roles, other company, audit, bad input."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest

from server.extensions import db
from server.models import AuditEntry, Company, Day, DayLine, PaymentMethod, Register, SalesCategory, User
from tests.factories import make_firm_with_company
from tests.server.shop_clock import shop_today

SETUP = {"name": "Fleurs & Co", "siren": "443061841", "trade": "retail",
         "registers": [{"name": "Magasin"}, {"name": "Atelier"}],
         "cashier": {"email": "lea@fleurs.test", "name": "Léa"}}


def add_day(app, demo, on: date, status: str, sale_cents: int = 0) -> None:
    with app.app_context():
        day = Day(id=str(uuid.uuid4()), company_id=demo["bakery"], register_id=demo["bakery_registers"][0], date=on,
                  status=status)
        day.lines = [DayLine(kind="sale", ref_id=demo["bakery_categories"][0], amount_cents=sale_cents)]
        db.session.add(day)
        db.session.commit()


def audits(app, company_id: int, entity: str) -> list[AuditEntry]:
    with app.app_context():
        return list(db.session.execute(db.select(AuditEntry).where(
            AuditEntry.company_id == company_id, AuditEntry.entity == entity)).scalars())


def test_overview_lists_the_firms_companies_with_last_closed_and_open_days(auth, app, demo):
    today = shop_today()
    add_day(app, demo, today - timedelta(days=9), "closed")
    add_day(app, demo, today - timedelta(days=8), "open")
    add_day(app, demo, today, "open")
    rows = auth("cabinet@demo.test").get("/api/firm/companies").json
    by_name = {r["name"]: r for r in rows}
    assert set(by_name) == {"Boulangerie du Marché", "Café des Arts"}
    bakery = by_name["Boulangerie du Marché"]
    assert bakery["siren"] == "732829320" and bakery["registers"] == 2
    assert bakery["last_closed"] == (today - timedelta(days=9)).isoformat()
    assert bakery["open_past"] == 1  # today's open day is not past its date
    assert by_name["Café des Arts"]["last_closed"] is None


@pytest.mark.parametrize("email", ["gerant@demo.test", "caisse@demo.test"])
def test_overview_and_wizard_are_for_firm_admins_only(auth, email):
    s = auth(email)
    assert s.get("/api/firm/companies").status_code == 403
    assert s.post("/api/firm/companies", json=SETUP).status_code == 403
    assert s.post("/api/firm/companies", json={}).status_code == 403  # the role wins over a bad body


def test_wizard_creates_company_registers_defaults_and_cashier_code(auth, app, demo):
    r = auth("cabinet@demo.test").post("/api/firm/companies", json=SETUP)
    assert r.status_code == 201, r.json
    cid = r.json["company"]["id"]
    assert r.json["activation_code"] and not r.json["invited"]
    with app.app_context():
        company = db.session.get(Company, cid)
        assert company.firm_id == demo["firm"]
        registers = db.session.execute(db.select(Register).where(Register.company_id == cid)
                                       .order_by(Register.position)).scalars()
        assert [x.name for x in registers] == ["Magasin", "Atelier"]
        labels = db.session.execute(db.select(SalesCategory.label).where(SalesCategory.company_id == cid)).scalars()
        assert list(labels) == ["Marchandises 20 %", "Marchandises 5,5 %"]
        kinds = set(db.session.execute(db.select(PaymentMethod.kind).where(PaymentMethod.company_id == cid)).scalars())
        assert {"cash", "card", "cheque"} <= kinds
        user = db.session.execute(db.select(User).where(User.email == "lea@fleurs.test")).scalar_one()
        assert user.memberships[0].company_id == cid and user.memberships[0].role == "cashier"
    assert {a.entity for a in audits(app, cid, "company")} == {"company"}
    assert len(audits(app, cid, "register")) == 2 and audits(app, cid, "membership")
    # The cashier activates with the code and sees only this company.
    c = app.test_client()
    answer = c.post("/api/auth/activate", json={"email": "lea@fleurs.test", "code": r.json["activation_code"],
                                                "password": "Fleurs-du-matin-2026"})
    assert answer.status_code == 200
    assert [x["id"] for x in c.get("/api/me").json["companies"]] == [cid]


@pytest.mark.parametrize("change, field", [
    ({"siren": "443061842"}, "siren"),
    ({"registers": []}, "registers"),
    ({"trade": "garage"}, "trade"),
    ({"cashier": {"email": "pas-un-email"}}, "cashier.email"),
    ({"registers": [{"name": ""}]}, "registers.0.name"),
    ({"name": ""}, "name"),
])
def test_wizard_bad_input_is_422_on_the_field_and_creates_nothing(auth, app, change, field):
    r = auth("cabinet@demo.test").post("/api/firm/companies", json={**SETUP, **change})
    assert r.status_code == 422 and field in r.json["errors"], r.json
    with app.app_context():
        assert db.session.execute(db.select(Company).where(Company.name == "Fleurs & Co")).first() is None


def test_category_order_in_one_call(auth, app, demo):
    ids = demo["bakery_categories"]
    path = f"/api/companies/{demo['bakery']}/categories/order"
    assert auth("caisse@demo.test").put(path, json={"ids": ids[::-1]}).status_code == 403
    r = auth("gerant@demo.test").put(path, json={"ids": ids[::-1]})
    assert r.status_code == 200 and [c["id"] for c in r.json] == ids[::-1]
    listed = auth("caisse@demo.test").get(f"/api/companies/{demo['bakery']}/categories").json
    assert [c["id"] for c in listed] == ids[::-1] and [c["position"] for c in listed] == list(range(1, len(ids) + 1))
    assert [a.action for a in audits(app, demo["bakery"], "category")] == ["reorder"]


@pytest.mark.parametrize("ids", [[], [1.5], "abc", None])
def test_category_order_bad_shape_is_422(auth, demo, ids):
    r = auth("gerant@demo.test").put(f"/api/companies/{demo['bakery']}/categories/order", json={"ids": ids})
    assert r.status_code == 422 and "ids" in r.json["errors"]


def test_category_order_must_name_every_category_once(auth, demo):
    ids = demo["bakery_categories"]
    path = f"/api/companies/{demo['bakery']}/categories/order"
    for wrong in (ids[:-1], ids + ids[:1], ids[:-1] + demo["cafe_categories"][:1]):
        r = auth("gerant@demo.test").put(path, json={"ids": wrong})
        assert r.status_code == 422 and "ids" in r.json["errors"]
    assert auth("cafe@demo.test").put(path, json={"ids": ids}).status_code == 404


def test_reset_code_for_a_member(auth, app, demo):
    admin = auth("gerant@demo.test")
    members = admin.get(f"/api/companies/{demo['bakery']}/members").json
    cashier = next(m for m in members if m["user"]["email"] == "caisse@demo.test")["user"]["id"]
    path = f"/api/companies/{demo['bakery']}/members/{cashier}/reset-code"
    assert auth("caisse@demo.test").post(path).status_code == 403
    assert auth("cafe@demo.test").post(path).status_code == 404
    assert admin.post(f"/api/companies/{demo['bakery']}/members/{2**70}/reset-code").status_code == 404
    r = admin.post(path)
    assert r.status_code == 200 and len(r.json["activation_code"]) >= 10
    assert [a.action for a in audits(app, demo["bakery"], "user")] == ["reset_code"]
    c = app.test_client()
    answer = c.post("/api/auth/activate", json={"email": "caisse@demo.test", "code": r.json["activation_code"],
                                                "password": "Nouveau-mot-2026"})
    assert answer.status_code == 200


def test_previous_year_revenue_from_closed_days(auth, app, demo):
    year = shop_today().year - 1
    add_day(app, demo, date(year, 3, 14), "closed", 97300)
    add_day(app, demo, date(year, 3, 15), "closed", 2700)
    add_day(app, demo, date(year, 4, 1), "open", 5000)  # not closed: not counted
    r = auth("gerant@demo.test").get(f"/api/companies/{demo['bakery']}/budgets/{year}/revenue")
    assert r.status_code == 200 and [m["month"] for m in r.json["months"]] == list(range(1, 13))
    assert {m["month"]: m["amount"] for m in r.json["months"]}[3] == "1000.00"
    assert {m["month"]: m["amount"] for m in r.json["months"]}[4] == "0.00"
    assert auth("gerant@demo.test").get(f"/api/companies/{demo['bakery']}/budgets/1999/revenue").status_code == 422
    assert auth("cafe@demo.test").get(f"/api/companies/{demo['bakery']}/budgets/{year}/revenue").status_code == 404


def test_other_firms_companies_are_not_listed(auth, app, demo):
    with app.app_context():
        make_firm_with_company()
    names = {r["name"] for r in auth("cabinet@demo.test").get("/api/firm/companies").json}
    assert names == {"Boulangerie du Marché", "Café des Arts"}
