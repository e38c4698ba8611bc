"""The audit answer names every entity of the company's trail (the journal's « Objet » filter is built from it)."""

from __future__ import annotations


def test_the_audit_lists_its_entities_for_the_filter_company_by_company(auth, demo):
    admin, cid = auth("gerant@demo.test"), demo["bakery"]
    base = f"/api/companies/{cid}/audit"
    assert admin.get(base).json["entities"] == []
    assert admin.post(f"/api/companies/{cid}/suppliers", json={"name": "Laiterie"}).status_code == 201
    assert admin.post("/api/auth/tokens", json={"name": "Tableur"}).status_code == 201
    assert admin.patch(f"/api/companies/{cid}", json={"cash_tolerance": "0.05"}).status_code == 200
    answer = admin.get(base + "?entity=supplier").json
    assert answer["total"] == 1
    # The list ignores the filter and is sorted; a personal token is the user's, not the company's.
    assert answer["entities"] == ["company", "supplier"]
    cafe = auth("cafe@demo.test").get(f"/api/companies/{demo['cafe']}/audit").json
    assert "supplier" not in cafe["entities"]
