"""Back office in the browser (issue 11), each flow as the role that uses it: the firm creates a company and
its cashier enters a day there; an admin reorders the Z categories and the day entry follows; an exceptional
closing refuses the day; a conflict is arbitrated and the till shows the outcome."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.backoffice_helpers import goto, login_as, sales_order
from tests.e2e.helpers import (
    CASHIER,
    demo_ids,
    ensure_opening_day,
    first_page,
    lines,
    norm,
    open_day,
    today,
    type_amount,
    wait_queued,
    wait_synced,
    wait_until,
)
from tests.e2e.test_accessibility import BLOCKING, axe, report


def test_firm_creates_a_company_and_its_cashier_enters_a_day(live_server, open_tablet):
    server = live_server
    page = first_page(open_tablet("firm", (1440, 900)))
    login_as(page, server.url, "cabinet@demo.test", landing="companies")  # a firm admin starts on its companies
    page.get_by_test_id("new-company").click()
    wizard = page.get_by_test_id("wizard")
    wizard.get_by_test_id("field-name").fill("Fleurs & Co")
    wizard.get_by_test_id("field-siren").fill("443 061 841")
    wizard.get_by_test_id("field-trade").select_option("retail")
    wizard.get_by_test_id("field-registers-0").fill("Magasin")
    wizard.get_by_test_id("field-registers-add").click()
    wizard.get_by_test_id("field-registers-1").fill("Atelier")
    wizard.get_by_test_id("field-cashier.email").fill("lea@fleurs.test")
    wizard.get_by_test_id("field-cashier.name").fill("Léa Fleuriste")
    wizard.get_by_test_id("wizard-save").click()
    expect(page.get_by_test_id("wizard-done")).to_contain_text("Fleurs & Co")
    code = page.get_by_test_id("secret-value").inner_text().strip()
    assert len(code) >= 10

    firm = server.api("cabinet@demo.test")
    company = next(c for c in firm.get(server.url + "/api/me", timeout=10).json()["companies"]
                   if c["name"] == "Fleurs & Co")
    assert [r["name"] for r in company["registers"]] == ["Magasin", "Atelier"]
    base = f"{server.url}/api/companies/{company['id']}"
    firm.put(base + "/calendar", json={"weekly_pattern": [True] * 7}, timeout=10).raise_for_status()
    goto(page, "#/societes")
    expect(page.get_by_test_id(f"company-{company['id']}")).to_contain_text("443061841")

    # The cashier activates the account with the code and enters today's Z in the new company.
    tablet = first_page(open_tablet("fleurs"))
    tablet.goto(server.url + "/#/activer")
    tablet.get_by_test_id("activate-email").fill("lea@fleurs.test")
    tablet.get_by_test_id("activate-code").fill(code)
    tablet.get_by_test_id("activate-password").fill("Fleurs-du-matin-2026")
    tablet.get_by_test_id("activate-submit").click()
    expect(tablet.get_by_test_id("open-today")).to_be_visible()
    expect(tablet.get_by_test_id("nav-settings")).to_be_hidden()
    wait_synced(tablet)
    category = firm.get(base + "/categories", timeout=10).json()[0]["id"]
    cash = next(m["id"] for m in firm.get(base + "/payment-methods", timeout=10).json() if m["kind"] == "cash")
    tablet.get_by_test_id("open-today").click()
    tablet.get_by_test_id("z-number").fill("Z-1")
    type_amount(tablet, f"sales-{category}", "150")
    type_amount(tablet, f"payment-{cash}", "150")
    register = company["registers"][0]["id"]
    url = f"{base}/registers/{register}/days/{today()}"
    wait_until(lambda: firm.get(url, timeout=10).json().get("z_number") == "Z-1", "the day reached the server")
    assert lines(firm.get(url, timeout=10).json()["sales"], "category_id") == {category: "150.00"}


def test_admin_reorders_the_z_categories_and_the_day_entry_follows(live_server, open_tablet):
    server = live_server
    admin = server.api("gerant@demo.test")
    demo = demo_ids(server, admin)
    date = today()
    ensure_opening_day(server, demo, date, admin)
    page = first_page(open_tablet("order", (1440, 900)))
    login_as(page, server.url, "gerant@demo.test")
    wait_synced(page)
    open_day(page, demo.register_id, date)
    cats = demo.categories
    before = sales_order(page)
    assert before[:2] == [cats["Pain"], cats["Viennoiserie"]]

    goto(page, "#/reglages/categories")
    expect(page.get_by_test_id(f"z-item-{cats['Pain']}")).to_be_visible()
    # By keyboard: « Descendre » on Pain (focus stays on the moved line's button), Enter again.
    page.get_by_test_id(f"z-down-{cats['Pain']}").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id(f"z-down-{cats['Pain']}")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("z-order-live")).to_have_text("Pain : position 3 sur 6.")
    # By mouse: drag Épicerie onto the first line.
    page.get_by_test_id(f"z-item-{cats['Épicerie']}").drag_to(page.get_by_test_id(f"z-item-{cats['Viennoiserie']}"))
    page.get_by_test_id("z-order-save").click()
    expected = [cats[x] for x in ("Épicerie", "Viennoiserie", "Pâtisserie", "Pain", "Snacking sur place", "Boissons")]
    wait_until(lambda: [c["id"] for c in admin.get(f"{server.url}/api/companies/{demo.company_id}/categories",
                                                    timeout=10).json()] == expected, "the order reached the server")

    open_day(page, demo.register_id, date)
    page.get_by_test_id("sync-now").click()
    wait_synced(page)
    wait_until(lambda: sales_order(page) == expected, "the day entry follows the Z order")


def test_an_exceptional_closing_refuses_the_day(live_server, open_tablet):
    server = live_server
    admin = server.api("gerant@demo.test")
    demo = demo_ids(server, admin)
    date = today()
    ensure_opening_day(server, demo, date, admin)
    page = first_page(open_tablet("closing", (1440, 900)))
    login_as(page, server.url, "gerant@demo.test")
    goto(page, "#/reglages/calendrier")
    day = page.get_by_test_id(f"cal-day-{date}")
    expect(day).to_have_attribute("aria-pressed", "true")
    day.click()
    expect(page.get_by_test_id(f"cal-day-{date}")).to_have_attribute("aria-pressed", "false")
    r = admin.put(demo.day_url(server.url, date), json={"base_revision": 0, "z_number": "Z-5"}, timeout=10)
    assert r.status_code == 422 and "pas un jour d'ouverture" in r.json()["errors"]["date"][0], r.text
    # A second click goes back to the usual calendar: the day is accepted again.
    page.get_by_test_id(f"cal-day-{date}").click()
    expect(page.get_by_test_id(f"cal-day-{date}")).to_have_attribute("aria-pressed", "true")
    r = admin.put(demo.day_url(server.url, date), json={"base_revision": 0, "z_number": "Z-5"}, timeout=10)
    assert r.status_code == 200, r.text


def test_a_conflict_is_arbitrated_and_the_till_shows_the_outcome(live_server, open_tablet, artifacts: Path):
    server = live_server
    admin = server.api("gerant@demo.test")
    demo = demo_ids(server, admin)
    date = today()
    ensure_opening_day(server, demo, date, admin)
    cash = demo.methods["cash"]
    url = demo.day_url(server.url, date)
    r = admin.put(url, json={"base_revision": 0, "z_number": "Z-77"}, timeout=10)
    r.raise_for_status()

    ctx = open_tablet("till")
    till = first_page(ctx)
    login_as(till, server.url, CASHIER)
    wait_synced(till)
    open_day(till, demo.register_id, date)
    expect(till.get_by_test_id("z-number")).to_have_value("Z-77")
    ctx.set_offline(True)
    type_amount(till, f"count-{cash}", "205,50")
    wait_queued(till, demo.register_id, date, {"counts": [{"method_id": cash, "amount": "205.50"}]})
    # Meanwhile the office counts 195,00 €: the till's count is refused when it comes back.
    office_count = {"base_revision": r.json()["revision"], "counts": [{"method_id": cash, "amount": "195.00"}]}
    r = admin.put(url, json=office_count, timeout=10)
    r.raise_for_status()
    ctx.set_offline(False)
    wait_synced(till)
    expect(till.get_by_test_id("nav-conflicts")).to_have_text("Conflits (1)")

    office = first_page(open_tablet("office", (1440, 900)))
    login_as(office, server.url, "gerant@demo.test")
    goto(office, "#/arbitrage")
    item = office.get_by_test_id("arbitration-item")
    expect(item).to_have_count(1)
    row = norm(item.get_by_test_id("arbitration-compare").inner_text())
    assert "205,50 €" in row and "195,00 €" in row, row
    violations = [v for v in axe(office) if v["impact"] in BLOCKING]
    assert not violations, report("arbitration with a conflict", violations)
    office.screenshot(path=str(artifacts / "backoffice-arbitration-conflict-1440.png"), full_page=True)
    item.get_by_test_id("keep-till").click()
    expect(office.get_by_test_id("arbitration-none")).to_be_visible()
    expect(office.get_by_test_id("arbitration-decided")).to_contain_text("Valeur de la caisse gardée")
    assert lines(admin.get(url, timeout=10).json()["counts"], "method_id") == {cash: "205.50"}

    till.get_by_test_id("sync-now").click()
    wait_synced(till)
    till.get_by_test_id("nav-conflicts").click()
    expect(till.get_by_test_id("conflict-decided")).to_have_text(
        f"Modification de la journée du {date[8:]}/{date[5:7]}/{date[:4]} : l’administrateur a gardé votre saisie.")
    expect(till.get_by_test_id("nav-conflicts")).to_have_text("Conflits")
    till.screenshot(path=str(artifacts / "backoffice-till-decided-820.png"), full_page=True)
    expect(till.get_by_test_id(f"count-{cash}")).to_have_count(0)  # the conflicts screen, not the day
