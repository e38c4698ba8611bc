"""The export screen in real Chromium: an admin downloads the FEC of a closed period, sees its hash in the
history; a period with an open day is refused with the day named."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.helpers import ADMIN, demo_ids, ensure_opening_day, first_page, login
from tests.e2e.test_accessibility import axe, report


def close_day(server, admin, demo, date: str) -> None:
    ensure_opening_day(server, demo, date, admin)
    url, cash = demo.day_url(server.url, date), demo.methods["cash"]
    r = admin.put(
        url,
        json={
            "base_revision": 0,
            "z_number": "Z-9",
            "sales": [{"category_id": demo.categories["Pain"], "amount": "120.00"}],
            "payments": [{"method_id": cash, "amount": "120.00"}],
        },
        timeout=10,
    )
    r.raise_for_status()
    counts = [{"method_id": b["method_id"], "amount": b["expected"]} for b in r.json()["balances"]]
    admin.put(url, json={"base_revision": r.json()["revision"], "counts": counts}, timeout=10).raise_for_status()
    admin.post(url + "/close", json={}, timeout=10).raise_for_status()


def test_admin_downloads_a_fec_and_sees_its_hash(live_server, open_tablet, artifacts):
    server = live_server
    admin = server.api(ADMIN)
    demo = demo_ids(server, admin)
    close_day(server, admin, demo, "2025-03-14")
    admin.put(
        demo.day_url(server.url, "2025-03-15"), json={"base_revision": 0, "z_number": "Z-10"}, timeout=10
    ).raise_for_status()

    page = first_page(open_tablet("export-admin", viewport=(1280, 900)))
    page.goto(server.url + "/")
    login(page, server.url, ADMIN)
    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Export comptable").click()
    expect(page).to_have_url(re.compile(r"#/export$"))
    expect(page.get_by_role("heading", name="Export comptable")).to_be_visible()
    expect(page.get_by_test_id("nav-export")).to_have_attribute("aria-current", "page")
    expect(page.get_by_test_id("export-history-empty")).to_be_visible()

    page.get_by_test_id("export-from").fill("2025-03-01")
    page.get_by_test_id("export-to").fill("2025-03-31")
    page.get_by_test_id("export-download").click()
    expect(page.get_by_test_id("export-status")).to_contain_text("15/03/2025 (Boutique)")
    expect(page.get_by_test_id("export-status")).to_contain_text("encore ouverte")

    page.get_by_test_id("export-to").fill("2025-03-14")
    with page.expect_download() as info:
        page.get_by_test_id("export-download").click()
    download = info.value
    assert download.suggested_filename == "732829320FEC20251231.txt"
    data = Path(download.path()).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    assert data.decode("iso-8859-15").startswith("JournalCode\tJournalLib\tEcritureNum")
    expect(page.get_by_test_id("export-status")).to_contain_text(digest)
    expect(page.get_by_test_id("export-hash")).to_have_text(digest)
    expect(page.get_by_test_id("export-history")).to_contain_text(re.compile("du 01/03/2025 au 14/03/2025"))
    page.screenshot(path=str(artifacts / "export-screen.png"), full_page=True)


def test_a_cashier_has_no_export_link_and_is_told_the_screen_is_for_admins(live_server, open_tablet):
    page = first_page(open_tablet("export-cashier"))
    page.goto(live_server.url + "/")
    login(page, live_server.url)
    expect(page.get_by_test_id("nav-alerts")).to_be_visible()
    expect(page.get_by_test_id("nav-export")).to_be_hidden()  # no link to the export for a cashier
    page.goto(live_server.url + "/#/export")
    expect(page.get_by_text("Réservé aux administrateurs")).to_be_visible()
    expect(page.get_by_test_id("nav-export")).to_be_hidden()


def test_admin_edits_the_chart_and_a_bad_account_is_named(live_server, open_tablet, artifacts):
    server = live_server
    page = first_page(open_tablet("export-chart", viewport=(1280, 900)))
    page.goto(server.url + "/")
    login(page, server.url, ADMIN)
    page.goto(server.url + "/#/export")
    page.get_by_test_id("chart-details").locator("summary").click()
    cash = page.get_by_test_id("chart-accounts.cash")
    expect(cash).to_have_value("530")
    expect(page.get_by_test_id("chart-accounts.owner")).to_have_value("108")  # the bakery is a sole trader
    cash.fill("830")
    page.get_by_test_id("chart-save").click()
    expect(cash).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("alert").first).to_contain_text("classes 1 à 7")
    page.get_by_test_id("chart-accounts.cash").fill("531")
    page.get_by_test_id("chart-save").click()
    expect(page.get_by_test_id("chart-status")).to_contain_text("Plan comptable enregistré")
    admin = server.api(ADMIN)
    demo = demo_ids(server, admin)
    chart = admin.get(f"{server.url}/api/companies/{demo.company_id}/chart", timeout=10).json()
    assert chart["accounts"]["cash"] == "531"
    page.screenshot(path=str(artifacts / "export-chart.png"), full_page=True)
    serious = [v for v in axe(page) if v.get("impact") in ("serious", "critical")]
    assert not serious, report("export", serious)


def test_admin_sets_the_output_vat_account_of_one_rate(live_server, open_tablet, artifacts):
    server = live_server
    admin = server.api(ADMIN)
    demo = demo_ids(server, admin)
    chart_url = f"{server.url}/api/companies/{demo.company_id}/chart"
    page = first_page(open_tablet("export-vat-rates", viewport=(1280, 900)))
    page.goto(server.url + "/")
    login(page, server.url, ADMIN)
    page.goto(server.url + "/#/export")
    page.get_by_test_id("chart-details").locator("summary").click()
    rates = page.get_by_test_id("chart-vat-rates")
    expect(rates).to_contain_text("TVA collectée à 5,5 %")
    reduced = page.get_by_test_id("chart-accounts.vat_output_550")
    expect(reduced).to_have_value("")
    expect(reduced).to_have_attribute("placeholder", "44571055")  # the default: vat_output + the rate
    # a bad account is named on its own field, nothing is saved
    reduced.fill("830")
    page.get_by_test_id("chart-save").click()
    expect(reduced).to_have_attribute("aria-invalid", "true")
    expect(rates.get_by_role("alert")).to_contain_text("classes 1 à 7")
    assert "vat_output_550" not in admin.get(chart_url, timeout=10).json()["accounts"]
    page.screenshot(path=str(artifacts / "export-vat-rates-error.png"), full_page=True)
    # a good one is saved, the other rates stay on their default
    page.get_by_test_id("chart-accounts.vat_output_550").fill("4457105")
    page.get_by_test_id("chart-save").click()
    expect(page.get_by_test_id("chart-status")).to_contain_text("Plan comptable enregistré")
    expect(page.get_by_test_id("chart-accounts.vat_output_550")).to_have_value("4457105")
    expect(page.get_by_test_id("chart-accounts.vat_output_2000")).to_have_value("")  # the other rates untouched
    chart = admin.get(chart_url, timeout=10).json()
    assert chart["accounts"]["vat_output_550"] == "4457105" and "vat_output_2000" not in chart["accounts"]
    assert {r["vat_bp"]: r["account"] for r in chart["vat_rates"]}[550] == "4457105"
    page.screenshot(path=str(artifacts / "export-vat-rates.png"), full_page=True)
    serious = [v for v in axe(page) if v.get("impact") in ("serious", "critical")]
    assert not serious, report("export", serious)
