"""Back-office paths driven through their controls (issue 11): the company's options and cash tolerance, the
weekly pattern and an exceptional opening, a member's role changed and an access removed, « Garder le
serveur » reaching the till (with axe on the arbitration at 820 px); and a cashier's page never fetches a
back-office chunk."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.backoffice_helpers import goto, login_as
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.helpers import (
    CASHIER,
    demo_ids,
    ensure_opening_day,
    first_page,
    lines,
    open_day,
    today,
    type_amount,
    wait_queued,
    wait_synced,
    wait_until,
)
from tests.e2e.test_accessibility import BLOCKING, axe, report


def test_company_options_tolerance_weekly_pattern_and_an_exceptional_opening_are_saved(live_server, open_tablet):
    server = live_server
    admin = server.api("gerant@demo.test")
    demo = demo_ids(server, admin)
    base = f"{server.url}/api/companies/{demo.company_id}"
    before = admin.get(base, timeout=10).json()
    assert before["cash_tolerance"] != "2.50"
    wanted = not before["opt_gift_vouchers"]  # the option is turned the other way
    page = first_page(open_tablet("paths-company", (1440, 900)))
    login_as(page, server.url, "gerant@demo.test")

    goto(page, "#/reglages/societe")
    form = page.get_by_test_id("company-form")
    form.get_by_test_id("field-opt_gift_vouchers").set_checked(wanted)
    form.get_by_test_id("field-cash_tolerance").fill("2,50")
    form.get_by_test_id("company-form-save").click()
    wait_until(lambda: admin.get(base, timeout=10).json()["opt_gift_vouchers"] is wanted, "the option saved")
    after = admin.get(base, timeout=10).json()
    assert after["cash_tolerance"] == "2.50"
    assert after["name"] == before["name"] and after["siren"] == before["siren"]  # the rest as it was

    # An exceptional opening: a day closed by the usual week (the bakery closes on Mondays) is clicked open.
    goto(page, "#/reglages/calendrier")
    closed = page.get_by_test_id("company-calendar").locator("td.closed-day:not(.exception) button").first
    date = closed.get_attribute("data-testid").removeprefix("cal-day-")
    closed.click()
    expect(page.get_by_test_id(f"cal-day-{date}")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_test_id(f"cal-day-{date}")).to_contain_text("Ouverture exceptionnelle")
    exceptions = {e["date"]: e for e in admin.get(base + "/calendar/exceptions", timeout=10).json()}
    assert exceptions[date]["is_open"] is True

    # The weekly pattern: Monday becomes an opening day.
    pattern = admin.get(base + "/calendar", timeout=10).json()["weekly_pattern"]
    assert pattern[0] is False
    weekly = page.get_by_test_id("weekly-form")
    weekly.get_by_test_id("field-weekly_pattern-0").check()
    weekly.get_by_test_id("weekly-form-save").click()
    wait_until(
        lambda: admin.get(base + "/calendar", timeout=10).json()["weekly_pattern"] == [True, *pattern[1:]],
        "the weekly pattern saved",
    )


def test_a_members_role_is_changed_and_an_access_removed(live_server, open_tablet):
    server = live_server
    admin = server.api("gerant@demo.test")
    demo = demo_ids(server, admin)
    base = f"{server.url}/api/companies/{demo.company_id}"
    r = admin.post(
        base + "/members", json={"email": "lucie@demo.test", "name": "Lucie Vendeuse", "role": "cashier"}, timeout=10
    )
    assert r.status_code in (200, 201), r.text
    members = {m["user"]["email"]: m for m in admin.get(base + "/members", timeout=10).json()}
    cashier, lucie = members[CASHIER]["user"]["id"], members["lucie@demo.test"]["user"]["id"]
    page = first_page(open_tablet("paths-team", (1440, 900)))
    login_as(page, server.url, "gerant@demo.test")
    goto(page, "#/equipe")

    page.get_by_test_id(f"member-role-{cashier}").select_option("admin")
    expect(page.get_by_test_id("toast").filter(has_text="Rôle de")).to_contain_text("Administrateur")

    def role_of(email: str) -> str | None:
        found = {m["user"]["email"]: m["role"] for m in admin.get(base + "/members", timeout=10).json()}
        return found.get(email)

    wait_until(lambda: role_of(CASHIER) == "admin", "the role saved")
    expect(page.get_by_test_id(f"member-role-{cashier}")).to_have_value("admin")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id(f"member-remove-{lucie}").click()
    expect(page.get_by_test_id("member-lucie@demo.test")).to_have_count(0)
    assert role_of("lucie@demo.test") is None
    assert role_of(CASHIER) == "admin"  # the other member untouched


def test_keep_the_server_reaches_the_till_and_the_arbitration_passes_axe_at_820(
    live_server, open_tablet, artifacts: Path
):
    server = live_server
    admin = server.api("gerant@demo.test")
    demo = demo_ids(server, admin)
    date = today()
    ensure_opening_day(server, demo, date, admin)
    cash = demo.methods["cash"]
    url = demo.day_url(server.url, date)
    r = admin.put(url, json={"base_revision": 0, "z_number": "Z-78"}, timeout=10)
    r.raise_for_status()

    ctx = open_tablet("till-server")
    till = first_page(ctx)
    login_as(till, server.url, CASHIER)
    wait_synced(till)
    open_day(till, demo.register_id, date)
    expect(till.get_by_test_id("z-number")).to_have_value("Z-78")
    ctx.set_offline(True)
    type_amount(till, f"count-{cash}", "310,00")
    wait_queued(till, demo.register_id, date, {"counts": [{"method_id": cash, "amount": "310.00"}]})
    r = admin.put(
        url,
        json={"base_revision": r.json()["revision"], "counts": [{"method_id": cash, "amount": "300.00"}]},
        timeout=10,
    )
    r.raise_for_status()
    ctx.set_offline(False)
    wait_synced(till)
    expect(till.get_by_test_id("nav-conflicts")).to_have_text("Conflits (1)")

    office = first_page(open_tablet("office-820", (820, 1180)))
    login_as(office, server.url, "gerant@demo.test")
    goto(office, "#/arbitrage")
    item = office.get_by_test_id("arbitration-item")
    expect(item).to_have_count(1)
    expect(item.get_by_test_id("arbitration-compare")).to_contain_text("310,00")
    expect(item.get_by_test_id("arbitration-compare")).to_contain_text("Solde réel compté · Espèces")  # named
    violations = [v for v in axe(office) if v["impact"] in BLOCKING]
    assert not violations, report("arbitration with a conflict at 820 px", violations)
    office.screenshot(path=str(artifacts / "backoffice-arbitration-conflict-820.png"), full_page=True)
    overflow = office.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, "the arbitration scrolls sideways at 820 px"
    item.get_by_test_id("keep-server").click()
    expect(office.get_by_test_id("arbitration-none")).to_be_visible()
    expect(office.get_by_test_id("arbitration-decided")).to_contain_text("Valeur du serveur gardée")
    assert lines(admin.get(url, timeout=10).json()["counts"], "method_id") == {cash: "300.00"}

    till.get_by_test_id("sync-now").click()
    wait_synced(till)
    till.get_by_test_id("nav-conflicts").click()
    expect(till.get_by_test_id("conflict-decided")).to_have_text(
        f"Modification de la journée du {date[8:]}/{date[5:7]}/{date[:4]} : l’administrateur a gardé la valeur du "
        "serveur."
    )
    open_day(till, demo.register_id, date)
    expect(till.get_by_test_id(f"count-{cash}")).to_have_value(re.compile(r"^300,00$"))


BACK_OFFICE_CHUNK = re.compile(r"/assets/(settings|crud|backoffice|team|audit|arbitration|companies)-[^/]*\.(js|css)$")


def test_a_cashier_page_never_fetches_a_back_office_chunk(live_server, open_tablet):
    server = live_server
    page = first_page(open_tablet("cashier-chunks"))
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    login_as(page, server.url, CASHIER)
    wait_synced(page)
    assets = [u for u in fetched if "/assets/" in u]
    assert assets, "the recorder saw the app's own assets"  # the recording works
    for route in ("#/reglages", "#/reglages/categories", "#/equipe", "#/audit", "#/arbitrage"):
        goto(page, route)
        expect(page.get_by_test_id("forbidden")).to_be_visible()
    page.wait_for_load_state("networkidle")
    chunks = [u for u in fetched if BACK_OFFICE_CHUNK.search(u)]
    assert not chunks, f"a cashier's page fetched back-office chunks: {chunks}"


def test_the_export_lock_is_set_in_the_company_screen_and_only_the_firm_lifts_it(live_server, open_tablet):
    server = live_server
    admin = server.api("gerant@demo.test")
    demo = demo_ids(server, admin)
    base = f"{server.url}/api/companies/{demo.company_id}"
    assert admin.get(base, timeout=10).json()["lock_exported_periods"] is False
    page = first_page(open_tablet("paths-lock", (1440, 900)))
    login_as(page, server.url, "gerant@demo.test")

    goto(page, "#/reglages/societe")
    form = page.get_by_test_id("company-form")
    box = form.get_by_test_id("field-lock_exported_periods")
    expect(form).to_contain_text("Seul le cabinet peut retirer ce verrou.")
    box.check()
    form.get_by_test_id("company-form-save").click()
    wait_until(lambda: admin.get(base, timeout=10).json()["lock_exported_periods"] is True, "the lock saved")

    # The owner cannot lift it: the server's French refusal on the box, the lock still on.
    page.reload()
    form = page.get_by_test_id("company-form")
    box = form.get_by_test_id("field-lock_exported_periods")
    expect(box).to_be_checked()
    box.uncheck()
    form.get_by_test_id("company-form-save").click()
    error = form.locator(f"#{box.get_attribute('id')}-error")
    expect(error).to_have_text("Seul le cabinet peut désactiver cette option.")
    expect(box).to_have_attribute("aria-invalid", "true")
    assert admin.get(base, timeout=10).json()["lock_exported_periods"] is True
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    form.screenshot(path=str(ARTIFACTS / "backoffice-company-lock-refused-1440.png"))

    # The firm can.
    firm = server.api("cabinet@demo.test")
    assert firm.patch(base, json={"lock_exported_periods": False}, timeout=10).status_code == 200
    assert admin.get(base, timeout=10).json()["lock_exported_periods"] is False
