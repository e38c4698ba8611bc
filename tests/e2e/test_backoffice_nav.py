"""Navigation by role (issue 11): the owner and the firm see the back-office links; only the firm sees
« Sociétés »; and the audit journal's « Objet » filter lists the kinds the server recorded, new ones included."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.backoffice_helpers import goto, login_as
from tests.e2e.helpers import demo_ids, first_page, norm

BACK_OFFICE = {
    "settings": "Réglages",
    "team": "Équipe",
    "arbitration": "Conflits à arbitrer",
    "audit": "Journal d’audit",
}


@pytest.mark.parametrize(
    ("email", "landing", "firm"), [("gerant@demo.test", "open-today", False), ("cabinet@demo.test", "companies", True)]
)
def test_admins_see_the_back_office_links_and_only_the_firm_sees_companies(
    live_server, open_tablet, email: str, landing: str, firm: bool
):
    server = live_server
    page = first_page(open_tablet(f"nav-{landing}", (1440, 900)))
    login_as(page, server.url, email, landing=landing)
    for name, label in BACK_OFFICE.items():
        link = page.get_by_test_id(f"nav-{name}")
        expect(link).to_be_visible()
        expect(link).to_have_text(label)
    companies = page.get_by_test_id("nav-companies")
    if firm:
        expect(companies).to_be_visible()
        expect(companies).to_have_text("Sociétés")
    else:
        expect(companies).to_be_hidden()
    # The links lead to their screens.
    page.get_by_test_id("nav-audit").click()
    expect(page.locator("h1")).to_have_text("Journal d’audit")
    page.get_by_test_id("nav-settings").click()
    expect(page.locator("h1")).to_have_text("Réglages")


def test_the_audit_filter_lists_the_recorded_kinds_and_filters_by_a_new_one(live_server, open_tablet):
    server = live_server
    admin = server.api("gerant@demo.test")
    demo = demo_ids(server, admin)
    base = f"{server.url}/api/companies/{demo.company_id}"
    # A till link token: an audit row of kind « register_token », a kind the filter used not to offer.
    r = admin.post(
        base + "/till/tokens", json={"register_id": demo.register_id, "label": "Caisse du comptoir"}, timeout=10
    )
    assert r.status_code == 201, r.text
    admin.patch(base, json={"address": "3 rue des Lilas"}, timeout=10).raise_for_status()
    page = first_page(open_tablet("audit-kinds", (1440, 900)))
    login_as(page, server.url, "gerant@demo.test")
    goto(page, "#/audit")
    expect(page.get_by_test_id("audit-count")).to_have_text("2 écritures · page 1 sur 1.")
    options = page.get_by_test_id("audit-entity").locator("option")
    expect(options).to_have_count(3)
    assert [norm(t) for t in options.all_inner_texts()] == ["Tous", "Jeton de caisse", "Société"]
    page.get_by_test_id("audit-entity").select_option("register_token")
    page.get_by_test_id("audit-apply").click()
    expect(page.get_by_test_id("audit-count")).to_have_text("1 écriture.")
    row = page.get_by_test_id("audit-row")
    expect(row).to_have_count(1)
    expect(row).to_have_attribute("data-entity", "register_token")
    expect(row).to_contain_text("Jeton de caisse")
    expect(page.get_by_test_id("audit-entity")).to_have_value("register_token")  # kept after the reload
