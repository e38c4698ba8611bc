"""Settings API: role checks and validation that changes nothing."""

import pytest

from server.extensions import db
from server.models import Company, SalesCategory


def test_admin_updates_company_and_cashier_reads_only(auth, demo):
    path = f"/api/companies/{demo['bakery']}"
    cashier, admin = auth("caisse@demo.test"), auth("gerant@demo.test")
    assert cashier.get(path).json["siren"] == "732829320"
    assert cashier.patch(path, json={"address": "ailleurs"}).status_code == 403
    r = admin.patch(path, json={"address": "1 rue Neuve", "cash_tolerance": "0.50"})
    assert r.status_code == 200 and r.json["cash_tolerance"] == "0.50"


def test_firm_admin_writes_every_company_and_creates_one(auth, demo):
    firm = auth("cabinet@demo.test")
    assert firm.patch(f"/api/companies/{demo['cafe']}", json={"opt_transfers": True}).json["opt_transfers"]
    r = firm.post("/api/companies", json={"name": "Fleurs & Co", "siren": "443061841"})
    assert r.status_code == 201 and r.json["firm_id"] == demo["firm"]
    assert auth("gerant@demo.test").post("/api/companies", json={"name": "X", "siren": "443061841"}).status_code == 403


@pytest.mark.parametrize("body, field", [
    ({"siren": "732829321"}, "siren"),
    ({"siren": "12345"}, "siren"),
    ({"fiscal_year_start_month": 13}, "fiscal_year_start_month"),
    ({"cash_tolerance": "-1.00"}, "cash_tolerance"),
    ({"cash_tolerance": "1.234"}, "cash_tolerance"),
    ({"colour": "blue"}, "colour"),
    ({"opt_transfers": "maybe"}, "opt_transfers"),
    ({"credit_mode": "sometimes"}, "credit_mode"),
])
def test_bad_company_input_is_422_naming_the_field_and_changes_nothing(auth, demo, app, body, field):
    r = auth("gerant@demo.test").patch(f"/api/companies/{demo['bakery']}", json=body)
    assert r.status_code == 422
    assert field in r.json["errors"] and r.json["code"] == "validation_error"
    with app.app_context():
        company = db.session.get(Company, demo["bakery"])
        assert (company.siren, company.fiscal_year_start_month, company.cash_tolerance_cents) == ("732829320", 1, 0)


@pytest.mark.parametrize("body, field", [
    ({"name": "Vélo", "min_threshold": "-5"}, "min_threshold"),
    ({"name": "Vélo", "max_threshold": "-0.01"}, "max_threshold"),
    ({"name": "Vélo", "min_threshold": "100", "max_threshold": "50"}, "min_threshold"),
    ({"name": 12}, "name"),
    ({}, "name"),
])
def test_bad_register_input(auth, demo, body, field):
    r = auth("gerant@demo.test").post(f"/api/companies/{demo['bakery']}/registers", json=body)
    assert r.status_code == 422 and field in r.json["errors"]


def test_duplicate_category_position_is_422_and_changes_nothing(auth, demo, app):
    path = f"/api/companies/{demo['bakery']}/categories"
    r = auth("gerant@demo.test").post(path, json={"label": "Traiteur", "vat_bp": 1000, "position": 1})
    assert r.status_code == 422 and "position" in r.json["errors"]
    with app.app_context():
        assert db.session.execute(db.select(db.func.count()).select_from(SalesCategory).where(
            SalesCategory.company_id == demo["bakery"])).scalar() == 6


def test_category_in_z_order_and_wrong_types(auth, demo):
    c = auth("gerant@demo.test")
    path = f"/api/companies/{demo['bakery']}/categories"
    assert [x["position"] for x in c.get(path).json] == [1, 2, 3, 4, 5, 6]
    r = c.post(path, json={"label": "Traiteur", "vat_bp": "dix", "position": 7})
    assert r.status_code == 422 and r.json["errors"]["vat_bp"] == ["Nombre entier invalide."]
    assert c.post(path, json={"label": "Traiteur", "vat_bp": 1000, "position": 7}).status_code == 201


def test_calendar_pattern_exceptions_and_budget(auth, demo):
    c = auth("gerant@demo.test")
    base = f"/api/companies/{demo['bakery']}"
    assert c.get(f"{base}/calendar").json["weekly_pattern"] == [False, True, True, True, True, True, True]
    assert c.put(f"{base}/calendar", json={"weekly_pattern": [True] * 6}).status_code == 422
    # A week with no opening day: refused by the domain's rule (validate_weekly_pattern), nothing saved.
    r = c.put(f"{base}/calendar", json={"weekly_pattern": [False] * 7})
    assert r.status_code == 422 and r.json["errors"]["weekly_pattern"] == ["Cochez au moins un jour d’ouverture."]
    assert c.put(f"{base}/calendar", json={"weekly_pattern": [1] * 7}).status_code == 422  # 1 is not true
    assert c.get(f"{base}/calendar").json["weekly_pattern"] == [False, True, True, True, True, True, True]
    r = c.post(f"{base}/calendar/exceptions", json={"date": "2026-08-15", "is_open": True, "label": "Assomption"})
    assert r.status_code == 201
    dup = c.post(f"{base}/calendar/exceptions", json={"date": "2026-08-15", "is_open": False})
    assert dup.status_code == 422 and "date" in dup.json["errors"]
    assert c.delete(f"{base}/calendar/exceptions/{r.json['id']}").status_code == 204
    months = [{"month": m, "amount": "25000.00"} for m in range(1, 13)]
    assert c.put(f"{base}/budgets/2026", json={"months": months}).json["months"][0]["amount"] == "25000.00"
    bad = c.put(f"{base}/budgets/2026", json={"months": [{"month": 13, "amount": "1"}]})
    assert bad.status_code == 422 and "months.0.month" in bad.json["errors"]


def test_invalid_json_body_is_a_clear_400(auth, demo):
    r = auth("gerant@demo.test").post(f"/api/companies/{demo['bakery']}/customers", data="{not json",
                                      content_type="application/json")
    assert r.status_code in (400, 422) and r.json["message"]
