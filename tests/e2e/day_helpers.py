"""A typical cash day typed through the day screen (Z ticket, 3 movements, count), shared by the layout,
print and screenshot tests."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from tests.e2e.helpers import (
    ADMIN,
    CASHIER,
    Demo,
    add_flow,
    demo_ids,
    ensure_opening_day,
    first_page,
    login,
    open_day,
    outbox,
    today,
    type_amount,
    wait_synced,
    wait_until,
)

TYPICAL_SALES = {"Pain": "312,40", "Viennoiserie": "148,60", "Pâtisserie": "96,00"}  # 557,00 TTC
TYPICAL_PAYMENTS = {"cash": "207,00", "card": "310,00", "cheque": "40,00"}  # 557,00


def start_day(server: Any, open_tablet: Any, name: str, viewport: tuple[int, int] = (820, 1180),
              email: str = CASHIER, date: str | None = None) -> tuple[Any, Demo, Any, Page]:
    admin = server.api(ADMIN)
    demo = demo_ids(server, admin)
    date = date or today()
    ensure_opening_day(server, demo, date, admin)
    ctx = open_tablet(name, viewport)
    page = first_page(ctx)
    page.goto(server.url + "/")
    login(page, server.url, email)
    wait_synced(page)
    open_day(page, demo.register_id, date)
    return admin, demo, ctx, page


def type_typical_day(page: Page, demo: Demo) -> None:
    """Z ticket, ventilation, opening, 3 movements, the count (cash difference −1,50 € justified)."""
    cash, cheque = demo.methods["cash"], demo.methods["cheque"]
    page.get_by_test_id("z-number").fill("Z-2217")
    for label, typed in TYPICAL_SALES.items():
        type_amount(page, f"sales-{demo.categories[label]}", typed)
    page.get_by_test_id("sales-count").fill("58")
    for kind, typed in TYPICAL_PAYMENTS.items():
        type_amount(page, f"payment-{demo.methods[kind]}", typed)
    type_amount(page, f"opening-{cash}", "150")
    add_flow(page, "cash-out", amount="20", reason="Monnaie pour le marché")
    add_flow(page, "expense", supplier="", label="Levure et sel", amount="12,40", vat_bp="550", method=str(cash))
    add_flow(page, "deposit", method=str(cheque), amount="40", slip_number="B-2217", cheque_count="2")
    # 150 + 207 − 20 − 12,40 = 324,60 expected; 323,10 counted.
    type_amount(page, f"count-{cash}", "323,10")
    type_amount(page, f"count-{cheque}", "0")
    page.get_by_test_id("comment").fill("Erreur de rendu de monnaie (1,50 €).")
    # Two Chromiums, gunicorn and other suites share two cores: allow the live evaluation some time.
    expect(page.get_by_test_id("close-day")).to_be_enabled(timeout=25_000)


def flush(page: Page) -> None:
    """The debounced draft reached the outbox and the outbox was sent."""
    page.wait_for_timeout(600)
    wait_until(lambda: not outbox(page), "the outbox is sent")
    wait_synced(page)


def close_day(page: Page) -> None:
    page.get_by_test_id("close-day").click()
    page.get_by_test_id("close-confirm").click()
    expect(page.get_by_test_id("day-status")).to_have_text("Clôturée")
    flush(page)
    page.get_by_test_id("sync-now").click()
    expect(page.get_by_test_id("closed-sequence")).not_to_have_text("—")
