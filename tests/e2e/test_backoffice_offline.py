"""The back office offline (issue 11, « everything already synced is readable offline »): the browser goes
offline BEFORE each screen is opened; the settings read the synced replica and say so once, with the forms
disabled; what is never synced (budget, team, audit, conflicts to arbitrate) says « Indisponible hors ligne »
instead of an empty list."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.backoffice_helpers import goto, login_as
from tests.e2e.helpers import demo_ids, first_page, today, wait_sw_controlled, wait_synced

STALE = "Hors ligne : données de la dernière synchronisation, modification impossible."


def test_settings_read_the_replica_offline_and_the_rest_says_unavailable(live_server, open_tablet, artifacts: Path):
    server = live_server
    admin = server.api("gerant@demo.test")
    demo = demo_ids(server, admin)
    base = f"{server.url}/api/companies/{demo.company_id}"
    company = admin.get(base, timeout=10).json()
    supplier = admin.post(
        base + "/suppliers", json={"name": "Minoterie Dupuis", "expense_account": "601"}, timeout=10
    ).json()
    market = demo.registers["Marché du samedi"]
    fair = admin.post(f"{base}/calendar/registers/{market}/exceptions",
                      json={"date": today(), "is_open": True, "label": "Foire aux fleurs"}, timeout=10).json()
    ctx = open_tablet("bo-offline", (1440, 900))
    page = first_page(ctx)
    login_as(page, server.url, "gerant@demo.test")
    wait_sw_controlled(page)
    wait_synced(page)
    page.get_by_test_id("sync-now").click()  # the supplier added above reaches the replica
    wait_synced(page)

    ctx.set_offline(True)
    # Each screen is opened while offline: its data comes from the replica, never from the network.
    goto(page, "#/reglages/societe")
    form = page.get_by_test_id("company-form")
    expect(form.get_by_test_id("field-name")).to_have_value(company["name"])
    expect(form.get_by_test_id("field-siren")).to_have_value(company["siren"])
    expect(page.get_by_test_id("stale-notice")).to_have_text(STALE)
    expect(page.get_by_test_id("stale-notice")).to_have_count(1)
    expect(form.get_by_test_id("offline-notice")).to_be_hidden()  # one notice, the screen's
    expect(form.get_by_test_id("company-form-save")).to_be_disabled()
    page.screenshot(path=str(artifacts / "backoffice-offline-company-1440.png"), full_page=True)

    checks = [
        ("#/reglages/caisses", f"registers-row-{demo.registers['Boutique']}", "Boutique"),
        ("#/reglages/categories", f"categories-row-{demo.categories['Pain']}", "Pain"),
        ("#/reglages/paiements", f"methods-row-{demo.methods['cash']}", "Espèces"),
        ("#/reglages/fournisseurs", f"suppliers-row-{supplier['id']}", "Minoterie Dupuis"),
    ]
    for route, row, text in checks:
        goto(page, route)
        expect(page.get_by_test_id(row)).to_contain_text(text)
        expect(page.get_by_test_id("stale-notice")).to_have_text(STALE)
        expect(page.get_by_text("Aucun élément pour l’instant.")).to_have_count(0)
    page.screenshot(path=str(artifacts / "backoffice-offline-suppliers-1440.png"), full_page=True)
    # A row opened for editing cannot be saved, and the screen still shows one notice.
    page.get_by_test_id(f"suppliers-edit-{supplier['id']}").click()
    expect(page.get_by_test_id("suppliers-form-save")).to_be_disabled()
    expect(page.get_by_test_id("suppliers-form").get_by_test_id("offline-notice")).to_be_hidden()
    # A register's own calendar: its week and its own exceptions come from the replica's calendar entity.
    goto(page, "#/reglages/caisses")
    page.get_by_test_id(f"register-calendar-{market}").click()
    fair_day = page.get_by_test_id("register-calendar").get_by_test_id(f"cal-day-{today()}")
    expect(fair_day).to_contain_text("Foire aux fleurs")
    expect(fair_day).to_have_attribute("aria-pressed", "true")
    expect(fair_day).to_be_disabled()
    expect(page.get_by_test_id("register-calendar-unavailable")).to_have_count(0)
    page.screenshot(path=str(artifacts / "backoffice-offline-register-calendar-1440.png"), full_page=True)

    goto(page, "#/reglages/categories")
    expect(page.get_by_test_id(f"z-item-{demo.categories['Pain']}")).to_be_visible()  # the Z order too
    expect(page.get_by_test_id("z-order-save")).to_be_disabled()

    goto(page, "#/reglages/calendrier")
    expect(page.get_by_test_id("weekly-form")).to_be_visible()
    expect(page.get_by_test_id("weekly-form-save")).to_be_disabled()
    expect(page.get_by_test_id(f"cal-day-{today()}")).to_be_disabled()
    expect(page.get_by_test_id("stale-notice")).to_have_text(STALE)

    # What has no copy on the device says so, instead of an empty list.
    goto(page, "#/reglages/budget")
    expect(page.get_by_test_id("budget-unavailable")).to_have_text(
        "Indisponible hors ligne : le budget n’est pas gardé sur cet appareil."
    )
    goto(page, "#/equipe")
    expect(page.get_by_test_id("team-members-unavailable")).to_have_text(
        "Indisponible hors ligne : les membres ne sont pas gardés sur cet appareil."
    )
    expect(page.get_by_test_id("invite-form")).to_have_count(0)
    page.screenshot(path=str(artifacts / "backoffice-offline-team-1440.png"), full_page=True)
    goto(page, "#/audit")
    expect(page.get_by_test_id("audit-unavailable")).to_contain_text("Indisponible hors ligne")
    goto(page, "#/arbitrage")
    expect(page.get_by_test_id("arbitration-unavailable")).to_contain_text("Indisponible hors ligne")
    expect(page.get_by_test_id("arbitration-none")).to_have_count(0)
    # No screen called the server and said « Serveur injoignable ».
    expect(page.get_by_test_id("toast").filter(has_text="Serveur injoignable")).to_have_count(0)

    # Back online, the same screen reads the server again and the notice is gone.
    ctx.set_offline(False)
    goto(page, "#/reglages/caisses")
    expect(page.get_by_test_id(f"registers-row-{demo.registers['Boutique']}")).to_be_visible()
    expect(page.get_by_test_id("stale-notice")).to_be_hidden()
    assert admin.delete(f"{base}/calendar/registers/{market}/exceptions/{fair['id']}", timeout=10).status_code == 204
