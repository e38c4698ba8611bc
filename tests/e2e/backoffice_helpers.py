"""Helpers of the back-office browser tests: log in as anyone (a firm admin lands on « Sociétés »), open a
back-office route, read the order of the day's sales fields."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.helpers import PASSWORD, submit_login


def login_as(page: Page, url: str, email: str, landing: str = "open-today") -> None:
    page.goto(url + "/#/login")
    submit_login(page, email, PASSWORD)
    expect(page.get_by_test_id(landing)).to_be_visible()


def goto(page: Page, hash_: str) -> None:
    page.evaluate("(h) => { location.hash = h; }", hash_)


def sales_order(page: Page) -> list[int]:
    """The category ids of the day's sales fields, in the order the page shows them."""
    ids = page.locator("[data-testid^='sales-']").evaluate_all("els => els.map((e) => e.dataset.testid)")
    return [int(t.split("-")[1]) for t in ids if re.fullmatch(r"sales-\d+", t)]
