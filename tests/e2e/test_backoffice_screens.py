"""Back-office screens (issue 11): the role matrix, the server's French errors on the fields with the typed
text kept, the offline notice, and axe (no serious or critical violation) with a screenshot of every screen
at 1440 and 820 px in tests/e2e/artifacts/."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.backoffice_helpers import goto, login_as
from tests.e2e.conftest import _require
from tests.e2e.helpers import CASHIER, demo_ids, first_page, norm, wait_until
from tests.e2e.test_accessibility import AXE, BLOCKING, axe, report


def field_error(form, testid: str):
    """The error line of a field (its input's id + '-error', named by aria-describedby when shown)."""
    return form.locator(f"#{form.get_by_test_id(testid).get_attribute('id')}-error")


BACK_OFFICE = ["settings", "team", "arbitration", "audit", "companies", "till", "export"]


def test_a_cashier_never_sees_the_back_office_and_the_api_refuses(live_server, open_tablet):
    server = live_server
    page = first_page(open_tablet("cashier"))
    login_as(page, server.url, CASHIER)
    for name in BACK_OFFICE:
        expect(page.get_by_test_id(f"nav-{name}")).to_be_hidden()
    for route in (
        "#/reglages",
        "#/reglages/categories",
        "#/equipe",
        "#/arbitrage",
        "#/audit",
        "#/societes",
        "#/societes/nouvelle",
    ):
        goto(page, route)
        expect(page.get_by_test_id("forbidden")).to_be_visible()
        expect(page.locator("h1")).to_have_text("Accès réservé")
    cashier = server.api(CASHIER)
    demo = demo_ids(server)
    base = f"{server.url}/api/companies/{demo.company_id}"
    calls = [
        ("patch", base, {"name": "X"}),
        ("get", base + "/members", None),
        ("get", base + "/audit", None),
        ("get", base + "/rejections", None),
        ("put", base + "/categories/order", {"ids": [1]}),
        ("post", base + "/registers", {"name": "X"}),
        ("put", base + "/calendar", {"weekly_pattern": [True] * 7}),
        ("get", server.url + "/api/firm/companies", None),
        ("post", server.url + "/api/firm/companies", {}),
    ]
    for method, url, body in calls:
        r = getattr(cashier, method)(url, json=body, timeout=10) if body is not None else cashier.get(url, timeout=10)
        assert r.status_code == 403, (method, url, r.status_code)


def test_bad_input_shows_the_servers_french_error_on_the_field_and_keeps_the_text(live_server, open_tablet):
    server = live_server
    admin = server.api("gerant@demo.test")
    demo = demo_ids(server, admin)
    ctx = open_tablet("forms", (1440, 900))
    page = first_page(ctx)
    login_as(page, server.url, "gerant@demo.test")

    goto(page, "#/reglages/societe")
    form = page.get_by_test_id("company-form")
    form.get_by_test_id("field-siren").fill("732829321")
    form.get_by_test_id("field-address").fill("1 rue Neuve")
    form.get_by_test_id("company-form-save").click()
    expect(field_error(form, "field-siren")).to_have_text(
        "SIREN invalide : 9 chiffres dont une clé de contrôle valide."
    )
    expect(form.get_by_test_id("field-siren")).to_have_attribute("aria-invalid", "true")
    expect(form.get_by_test_id("field-siren")).to_have_value("732829321")
    expect(form.get_by_test_id("field-address")).to_have_value("1 rue Neuve")
    company = admin.get(f"{server.url}/api/companies/{demo.company_id}", timeout=10).json()
    assert company["siren"] == "732829320" and company["address"] != "1 rue Neuve"  # nothing saved

    goto(page, "#/reglages/caisses")
    page.get_by_test_id("registers-add").click()
    form = page.get_by_test_id("registers-form")
    form.get_by_test_id("field-name").fill("Vélo")
    form.get_by_test_id("field-min_threshold").fill("500")
    form.get_by_test_id("field-max_threshold").fill("100")
    form.get_by_test_id("registers-form-save").click()
    expect(field_error(form, "field-min_threshold")).to_have_text("Le seuil mini doit être inférieur au seuil maxi.")
    expect(form.get_by_test_id("field-min_threshold")).to_have_attribute("aria-invalid", "true")
    expect(form.get_by_test_id("field-name")).to_have_value("Vélo")
    # Corrected, it saves and the list shows it.
    form.get_by_test_id("field-max_threshold").fill("1 500")
    form.get_by_test_id("registers-form-save").click()
    expect(page.get_by_test_id("registers")).to_contain_text("Vélo")

    goto(page, "#/reglages/categories")
    page.get_by_test_id(f"categories-edit-{demo.categories['Pain']}").click()
    form = page.get_by_test_id("categories-form")
    form.get_by_test_id("field-vat_bp").fill("35")
    form.get_by_test_id("categories-form-save").click()
    expect(field_error(form, "field-vat_bp")).to_have_text(
        "Taux de TVA invalide : un pourcentage de 0 à 30, par exemple 5,5."
    )
    expect(form.get_by_test_id("field-vat_bp")).to_have_value("35")

    # Offline: the screen says so, keeps what was typed and does not let it be saved.
    ctx.set_offline(True)
    expect(form.get_by_test_id("offline-notice")).to_have_text(
        "Hors ligne : les réglages ne peuvent pas être modifiés sans connexion. Ce que vous avez saisi est conservé."
    )
    expect(form.get_by_test_id("categories-form-save")).to_be_disabled()
    expect(form.get_by_test_id("field-vat_bp")).to_have_value("35")
    ctx.set_offline(False)
    expect(form.get_by_test_id("categories-form-save")).to_be_enabled()
    form.get_by_test_id("field-vat_bp").fill("5,5")
    form.get_by_test_id("categories-form-save").click()
    expect(form).to_be_hidden()

    # The budget grid saves its twelve months in one call.
    goto(page, "#/reglages/budget")
    page.get_by_test_id("budget-1").fill("12 000")
    page.get_by_test_id("budget-form-save").click()
    expect(page.get_by_test_id("budget-totals")).to_contain_text("Budget")
    year = page.get_by_test_id("budget-year").input_value()
    expect(page.get_by_test_id("budget-totals")).to_have_text(
        f"Budget {year} : 12 000,00 € · CA {int(year) - 1} (journées clôturées) : 0,00 €", use_inner_text=True
    )
    months = admin.get(f"{server.url}/api/companies/{demo.company_id}/budgets/{year}", timeout=10).json()["months"]
    assert {m["month"]: m["amount"] for m in months}[1] == "12000.00"


SCREENS = [
    ("companies", "#/societes", "companies"),
    ("wizard", "#/societes/nouvelle", "wizard"),
    ("settings-company", "#/reglages/societe", "company-form"),
    ("settings-registers", "#/reglages/caisses", "registers-row-1"),
    ("settings-calendar", "#/reglages/calendrier", "weekly-form"),
    ("settings-categories", "#/reglages/categories", "z-order"),
    ("settings-methods", "#/reglages/paiements", "methods-row-1"),
    ("settings-customers", "#/reglages/clients", "customers"),
    ("settings-suppliers", "#/reglages/fournisseurs", "suppliers"),
    ("settings-budget", "#/reglages/budget", "budget-form"),
    ("team", "#/equipe", "member-gerant@demo.test"),  # a row, not the empty table: the list loads after
    ("arbitration", "#/arbitrage", "arbitration-none"),
    ("audit", "#/audit", "audit-row"),
]


@pytest.mark.parametrize("width, height", [(1440, 900), (820, 1180)])
def test_back_office_screens_pass_axe_and_are_kept_as_screenshots(
    live_server, open_tablet, artifacts: Path, width: int, height: int
):
    _require(AXE.exists(), "axe-core is not installed (cd pwa && npm ci)")
    server = live_server
    firm = server.api("cabinet@demo.test")
    demo = demo_ids(server, firm)
    firm.patch(
        f"{server.url}/api/companies/{demo.company_id}", json={"address": "14 place du Marché"}, timeout=10
    ).raise_for_status()  # a line in the audit trail
    page = first_page(open_tablet(f"bo-{width}", (width, height)))
    login_as(page, server.url, "cabinet@demo.test", landing="companies")
    found = {}
    for name, route, ready in SCREENS:
        goto(page, route)
        expect(page.get_by_test_id(ready).first).to_be_visible()
        if name == "settings-registers":
            page.get_by_test_id("registers-edit-1").click()  # the form beside the list
            expect(page.get_by_test_id("registers-form")).to_be_visible()
        page.wait_for_load_state("networkidle")
        found[name] = axe(page)
        page.screenshot(path=str(artifacts / f"backoffice-{name}-{width}.png"), full_page=True)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{name} scrolls sideways at {width} px"
    blocking = {name: [v for v in violations if v["impact"] in BLOCKING] for name, violations in found.items()}
    assert not any(blocking.values()), "\n".join(report(n, v) for n, v in found.items() if blocking[n])
    assert norm(page.locator("h1").inner_text()) == "Journal d’audit"


def test_team_invites_resets_and_tokens_and_the_audit_filters(live_server, open_tablet):
    server = live_server
    page = first_page(open_tablet("team", (1440, 900)))
    login_as(page, server.url, "gerant@demo.test")
    goto(page, "#/equipe")
    form = page.get_by_test_id("invite-form")
    form.get_by_test_id("field-email").fill("pas-un-email")
    form.get_by_test_id("invite-form-save").click()
    expect(field_error(form, "field-email")).to_have_text("Adresse e-mail invalide.")
    form.get_by_test_id("field-email").fill("paul@demo.test")
    form.get_by_test_id("field-name").fill("Paul Vendeur")
    form.get_by_test_id("invite-form-save").click()
    expect(page.get_by_test_id("shown-once")).to_contain_text("Demandez vos codes d’accès")
    code = page.get_by_test_id("secret-value").inner_text().strip()
    expect(page.get_by_test_id("member-paul@demo.test")).to_contain_text("En attente d’activation")
    anonymous = server.api("gerant@demo.test")
    anonymous.post(server.url + "/api/auth/logout", timeout=10)
    r = anonymous.post(
        server.url + "/api/auth/activate",
        json={"email": "paul@demo.test", "code": code, "password": "Baguette-du-matin-2026"},
        timeout=10,
    )
    assert r.status_code == 200, r.text

    # A new code for a forgotten password replaces the shown one.
    page.get_by_test_id("member-caisse@demo.test").get_by_role("button", name="Nouveau code").click()
    expect(page.get_by_test_id("shown-once")).to_contain_text("caisse@demo.test")

    tokens = page.get_by_test_id("token-form")
    tokens.get_by_test_id("field-name").fill("Tableur")
    tokens.get_by_test_id("token-form-save").click()
    value = page.get_by_test_id("team-tokens").get_by_test_id("secret-value").inner_text().strip()
    assert value.startswith("cai_")
    me = server.api("gerant@demo.test")
    me.headers["Authorization"] = f"Bearer {value}"
    assert me.get(server.url + "/api/me", timeout=10).status_code == 200
    page.get_by_test_id("tokens").get_by_role("button", name="Révoquer le jeton Tableur").click()
    expect(page.get_by_test_id("tokens")).to_have_text("Aucun jeton.")

    goto(page, "#/audit")
    expect(page.get_by_test_id("audit-row").first).to_be_visible()
    page.get_by_test_id("audit-entity").select_option("user")  # the new code, then Paul's activation
    page.get_by_test_id("audit-apply").click()
    expect(page.get_by_test_id("audit-count")).to_have_text("2 écritures · page 1 sur 1.")
    assert set(page.get_by_test_id("audit-row").evaluate_all("rs => rs.map((r) => r.dataset.entity)")) == {"user"}
    expect(page.get_by_test_id("audit-table")).to_contain_text("Nouveau code")
    # The « Objet » list offers only the kinds the audit holds: no budget was saved.
    assert "budget" not in page.get_by_test_id("audit-entity").locator("option").evaluate_all(
        "os => os.map((o) => o.value)"
    )
    page.get_by_test_id("audit-from").fill("2000-01-01")
    page.get_by_test_id("audit-to").fill("2000-01-31")
    page.get_by_test_id("audit-apply").click()
    expect(page.get_by_test_id("audit-count")).to_have_text("Aucune écriture.")
    page.get_by_test_id("audit-from").fill("2000-01-02")
    page.get_by_test_id("audit-to").fill("2000-01-01")
    page.get_by_test_id("audit-apply").click()
    expect(page.get_by_test_id("audit-error")).to_contain_text("La fin doit suivre le début.")


def test_the_lists_add_and_change_rows_and_a_register_has_its_own_calendar(live_server, open_tablet):
    server = live_server
    admin = server.api("gerant@demo.test")
    demo = demo_ids(server, admin)
    base = f"{server.url}/api/companies/{demo.company_id}"
    page = first_page(open_tablet("lists", (1440, 900)))
    login_as(page, server.url, "gerant@demo.test")

    goto(page, "#/reglages/fournisseurs")
    page.get_by_test_id("suppliers-add").click()
    form = page.get_by_test_id("suppliers-form")
    form.get_by_test_id("field-name").fill("Primeur Martin")
    form.get_by_test_id("field-expense_account").fill("601")
    form.get_by_test_id("field-vat_bp").fill("5,5")
    form.get_by_test_id("suppliers-form-save").click()
    expect(page.get_by_test_id("suppliers")).to_contain_text("Primeur Martin")
    saved = {s["name"]: s for s in admin.get(base + "/suppliers", timeout=10).json()}["Primeur Martin"]
    assert (saved["expense_account"], saved["vat_bp"]) == ("601", 550)

    goto(page, "#/reglages/paiements")
    page.get_by_test_id(f"methods-edit-{demo.methods['cheque']}").click()
    form = page.get_by_test_id("methods-form")
    form.get_by_test_id("field-account").fill("511 2")
    form.get_by_test_id("methods-form-save").click()
    expect(field_error(form, "field-account")).to_have_text(
        "Un numéro de compte ne contient que des chiffres."
    )  # domain.chart's one rule
    form.get_by_test_id("field-account").fill("5113")
    form.get_by_test_id("methods-form-save").click()
    expect(page.get_by_test_id(f"methods-row-{demo.methods['cheque']}")).to_contain_text("5113")

    goto(page, "#/reglages/clients")
    page.get_by_test_id("customers-add").click()
    form = page.get_by_test_id("customers-form")
    form.get_by_test_id("field-name").fill("Mme Durand")
    form.get_by_test_id("field-account").fill("411DURAND")
    form.get_by_test_id("customers-form-save").click()
    expect(page.get_by_test_id("customers")).to_contain_text("411DURAND")

    # « Marché du samedi » opens on Saturdays only: its own calendar, and a click closes one Saturday.
    goto(page, "#/reglages/caisses")
    market = demo.registers["Marché du samedi"]
    page.get_by_test_id(f"register-calendar-{market}").click()
    form = page.get_by_test_id("register-weekly-form")
    expect(form.get_by_test_id("field-own")).to_be_checked()
    expect(form.get_by_test_id("field-weekly_pattern-5")).to_be_checked()
    expect(form.get_by_test_id("field-weekly_pattern-1")).not_to_be_checked()
    saturday = page.get_by_test_id("register-calendar").locator("button[aria-pressed='true']").first
    saturday.click()
    own = f"{base}/calendar/registers/{market}"
    wait_until(lambda: len(admin.get(own, timeout=10).json()["exceptions"]) == 1, "the register's closing saved")
    assert admin.get(own, timeout=10).json()["exceptions"][0]["is_open"] is False


@pytest.mark.parametrize("width, height", [(1440, 900), (820, 1180)])
def test_back_office_states_pass_axe(live_server, open_tablet, artifacts: Path, width: int, height: int):
    """The states a plain visit does not show: a register's calendar card, an edit form showing the server's
    error, the wizard's result with its code (the arbitration with a conflict: test_backoffice_paths.py)."""
    _require(AXE.exists(), "axe-core is not installed (cd pwa && npm ci)")
    server = live_server
    demo = demo_ids(server)
    found = {}

    def check(name: str, page) -> None:
        page.wait_for_load_state("networkidle")
        found[name] = axe(page)
        page.screenshot(path=str(artifacts / f"backoffice-{name}-{width}.png"), full_page=True)

    page = first_page(open_tablet(f"states-{width}", (width, height)))
    login_as(page, server.url, "gerant@demo.test")
    goto(page, "#/reglages/caisses")
    page.get_by_test_id(f"register-calendar-{demo.registers['Marché du samedi']}").click()
    expect(page.get_by_test_id("register-calendar-card")).to_be_visible()
    expect(page.get_by_test_id("register-weekly-form")).to_be_visible()
    expect(page.get_by_test_id("register-calendar").locator("button[aria-pressed]").first).to_be_visible()
    check("register-calendar", page)

    goto(page, "#/reglages/categories")
    page.get_by_test_id(f"categories-edit-{demo.categories['Pain']}").click()
    form = page.get_by_test_id("categories-form")
    form.get_by_test_id("field-vat_bp").fill("35")
    form.get_by_test_id("categories-form-save").click()
    expect(field_error(form, "field-vat_bp")).to_be_visible()
    check("form-error", page)

    firm = first_page(open_tablet(f"states-firm-{width}", (width, height)))
    login_as(firm, server.url, "cabinet@demo.test", landing="companies")
    goto(firm, "#/societes/nouvelle")
    wizard = firm.get_by_test_id("wizard")
    wizard.get_by_test_id("field-name").fill("Primeur du Parc")
    wizard.get_by_test_id("field-siren").fill("443 061 841")
    wizard.get_by_test_id("field-registers-0").fill("Étal")
    wizard.get_by_test_id("field-cashier.email").fill(f"etal-{width}@primeur.test")
    wizard.get_by_test_id("wizard-save").click()
    expect(firm.get_by_test_id("wizard-done")).to_contain_text("Primeur du Parc")
    expect(firm.get_by_test_id("secret-value")).to_be_visible()
    check("wizard-done", firm)

    blocking = {name: [v for v in violations if v["impact"] in BLOCKING] for name, violations in found.items()}
    assert not any(blocking.values()), "\n".join(report(n, v) for n, v in found.items() if blocking[n])
    assert set(found) == {"register-calendar", "form-error", "wizard-done"}
