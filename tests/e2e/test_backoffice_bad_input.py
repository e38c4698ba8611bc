"""Bad input on the remaining back-office forms (issue 11, « Bad input on every form »): customers, suppliers,
the budget grid, the weekly pattern, a register's calendar, the firm's wizard and the token form. Each case
types something wrong into the real control and saves: the French error shows on that field, what was typed
is still there, and the server still holds what it held before."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.e2e.backoffice_helpers import goto, login_as
from tests.e2e.helpers import demo_ids, first_page


def field_error(scope: Locator | Page, testid: str) -> Locator:
    """The error line of a field: its input's id + '-error' (named by aria-describedby when shown)."""
    return scope.locator(f"#{scope.get_by_test_id(testid).get_attribute('id')}-error")


@dataclass
class Case:
    who: str
    route: str
    # Opens the form and types the bad input; returns the form.
    type_bad: Callable[[Page, Any], Locator]
    save: str
    # [(error locator, expected text)], then [(control testid, typed value or checked state)].
    errors: Callable[[Locator], list[tuple[Locator, str | re.Pattern[str]]]]
    kept: list[tuple[str, str | bool | re.Pattern[str]]]
    # What the server holds, read before and after: it must not change.
    server: Callable[[Any, Any], Any]


def _customers(page: Page, demo: Any) -> Locator:
    goto(page, "#/reglages/clients")
    page.get_by_test_id("customers-add").click()
    form = page.get_by_test_id("customers-form")
    form.get_by_test_id("field-name").fill("Mme Petit")
    form.get_by_test_id("field-account").fill("411 petit")
    return form


def _suppliers(page: Page, demo: Any) -> Locator:
    goto(page, "#/reglages/fournisseurs")
    page.get_by_test_id("suppliers-add").click()
    form = page.get_by_test_id("suppliers-form")
    form.get_by_test_id("field-name").fill("Moulin Roux")
    form.get_by_test_id("field-vat_bp").fill("abc")
    return form


def _budget(page: Page, demo: Any) -> Locator:
    goto(page, "#/reglages/budget")
    form = page.get_by_test_id("budget-form")
    form.get_by_test_id("budget-2").fill("3 000")
    form.get_by_test_id("budget-1").fill("abc")
    return form


def _weekly(page: Page, demo: Any) -> Locator:
    goto(page, "#/reglages/calendrier")
    form = page.get_by_test_id("weekly-form")
    for i in range(7):
        form.get_by_test_id(f"field-weekly_pattern-{i}").uncheck()
    return form


def _register_calendar(page: Page, demo: Any) -> Locator:
    goto(page, "#/reglages/caisses")
    page.get_by_test_id(f"register-calendar-{demo.registers['Boutique']}").click()
    form = page.get_by_test_id("register-weekly-form")
    form.get_by_test_id("field-own").check()
    for i in range(7):
        form.get_by_test_id(f"field-weekly_pattern-{i}").uncheck()
    return form


def _wizard(page: Page, demo: Any) -> Locator:
    goto(page, "#/societes/nouvelle")
    form = page.get_by_test_id("wizard")
    form.get_by_test_id("field-name").fill("Épicerie Fine")
    form.get_by_test_id("field-siren").fill("123 456 789")
    form.get_by_test_id("field-registers-0").fill("")
    return form


def _token(page: Page, demo: Any) -> Locator:
    goto(page, "#/equipe")
    return page.get_by_test_id("token-form")


def _base(server: Any, demo: Any) -> str:
    return f"{server.url}/api/companies/{demo.company_id}"


CASES = {
    "customers": Case(
        "gerant@demo.test",
        "#/reglages/clients",
        _customers,
        "customers-form-save",
        lambda f: [
            (field_error(f, "field-account"), "Compte auxiliaire : lettres majuscules et chiffres, 20 au maximum.")
        ],
        [("field-name", "Mme Petit"), ("field-account", "411 petit")],
        lambda s, d: s.api("gerant@demo.test").get(_base(s, d) + "/customers", timeout=10).json(),
    ),
    "suppliers": Case(
        "gerant@demo.test",
        "#/reglages/fournisseurs",
        _suppliers,
        "suppliers-form-save",
        lambda f: [
            (field_error(f, "field-vat_bp"), "Taux de TVA invalide : un pourcentage de 0 à 30, par exemple 5,5.")
        ],
        [("field-name", "Moulin Roux"), ("field-vat_bp", "abc")],
        lambda s, d: s.api("gerant@demo.test").get(_base(s, d) + "/suppliers", timeout=10).json(),
    ),
    "budget": Case(
        "gerant@demo.test",
        "#/reglages/budget",
        _budget,
        "budget-form-save",
        lambda f: [(field_error(f, "budget-1"), re.compile(r"^« abc » n.est pas un montant"))],
        [("budget-1", "abc"), ("budget-2", re.compile(r"^3\s000,00$"))],
        lambda s, d: [
            s.api("gerant@demo.test").get(_base(s, d) + f"/budgets/{y}", timeout=10).json() for y in (2025, 2026, 2027)
        ],
    ),
    "weekly-pattern": Case(
        "gerant@demo.test",
        "#/reglages/calendrier",
        _weekly,
        "weekly-form-save",
        lambda f: [(f.get_by_test_id("field-weekly_pattern-error"), "Cochez au moins un jour d’ouverture.")],
        [(f"field-weekly_pattern-{i}", False) for i in range(7)],
        lambda s, d: s.api("gerant@demo.test").get(_base(s, d) + "/calendar", timeout=10).json(),
    ),
    "register-calendar": Case(
        "gerant@demo.test",
        "#/reglages/caisses",
        _register_calendar,
        "register-weekly-form-save",
        lambda f: [(f.get_by_test_id("field-weekly_pattern-error"), "Cochez au moins un jour d’ouverture.")],
        [("field-own", True), *[(f"field-weekly_pattern-{i}", False) for i in range(7)]],
        lambda s, d: (
            s.api("gerant@demo.test")
            .get(_base(s, d) + f"/calendar/registers/{d.registers['Boutique']}", timeout=10)
            .json()
        ),
    ),
    "wizard": Case(
        "cabinet@demo.test",
        "#/societes/nouvelle",
        _wizard,
        "wizard-save",
        lambda f: [
            (field_error(f, "field-siren"), "SIREN invalide : 9 chiffres dont une clé de contrôle valide."),
            (f.get_by_test_id("field-registers-error"), "Longueur invalide."),
        ],
        [("field-name", "Épicerie Fine"), ("field-siren", "123 456 789"), ("field-registers-0", "")],
        lambda s, d: s.api("cabinet@demo.test").get(s.url + "/api/firm/companies", timeout=10).json(),
    ),
    "token": Case(
        "gerant@demo.test",
        "#/equipe",
        _token,
        "token-form-save",
        lambda f: [(field_error(f, "field-name"), "Longueur invalide.")],
        [("field-name", "")],
        lambda s, d: s.api("gerant@demo.test").get(s.url + "/api/auth/tokens", timeout=10).json(),
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_is_refused_on_the_field_and_nothing_saved(live_server, open_tablet, name: str):
    case = CASES[name]
    server = live_server
    demo = demo_ids(server, server.api("gerant@demo.test"))
    before = case.server(server, demo)
    page = first_page(open_tablet(f"bad-{name}", (1440, 900)))
    login_as(page, server.url, case.who, landing="companies" if case.who.startswith("cabinet") else "open-today")
    form = case.type_bad(page, demo)
    form.get_by_test_id(case.save).click()
    for locator, text in case.errors(form):
        expect(locator).to_be_visible()
        expect(locator).to_have_text(text)
    for testid, value in case.kept:
        control = form.get_by_test_id(testid)
        if isinstance(value, bool):
            expect(control).to_be_checked(checked=value)
        else:
            expect(control).to_have_value(value)
    expect(form).to_be_visible()  # still open: nothing was taken as saved
    assert case.server(server, demo) == before, f"{name}: the server's value changed"
