"""The day entry with figures, at phone, tablet and desktop sizes: screenshots in tests/e2e/artifacts/
and never a horizontal scroll."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.helpers import (
    CASHIER,
    add_flow,
    demo_ids,
    ensure_opening_day,
    first_page,
    login,
    open_day,
    today,
    type_amount,
    wait_synced,
    wait_until,
)

SIZES = [(390, 844), (820, 1180), (1440, 900)]


def test_day_entry_screenshots_without_horizontal_scroll(live_server, open_tablet, artifacts: Path):
    server = live_server
    admin = server.api("gerant@demo.test")
    demo = demo_ids(server, admin)
    date = today()
    ensure_opening_day(server, demo, date, admin)
    cash, card, cheque = demo.methods["cash"], demo.methods["card"], demo.methods["cheque"]
    ctx = open_tablet("screens", SIZES[0])
    page = first_page(ctx)
    page.goto(server.url + "/")
    login(page, server.url, CASHIER)
    wait_synced(page)
    open_day(page, demo.register_id, date)

    page.get_by_test_id("z-number").fill("Z-1234")
    for label, amount in [("Pain", "1 234,50"), ("Viennoiserie", "310"), ("Pâtisserie", "245,80"),
                          ("Snacking sur place", "98"), ("Boissons", "61,20"), ("Épicerie", "42,50")]:
        type_amount(page, f"sales-{demo.categories[label]}", amount)
    page.get_by_test_id("sales-count").fill("187")
    type_amount(page, f"payment-{cash}", "612")
    type_amount(page, f"payment-{card}", "1 280")
    type_amount(page, f"payment-{cheque}", "100")
    type_amount(page, f"opening-{cash}", "200")
    add_flow(page, "expense", supplier=str(next(iter(supplier_ids(page)))), amount="23,90")
    add_flow(page, "deposit", method=str(cash), amount="500", slip_number="B-2231")
    type_amount(page, f"count-{cash}", "285,60")
    type_amount(page, f"count-{cheque}", "100")
    page.get_by_test_id("comment").fill("Pièce de 2 € refusée (fausse).")
    url = demo.day_url(server.url, date)
    wait_until(lambda: admin.get(url, timeout=10).json()["comment"] == "Pièce de 2 € refusée (fausse).",
               "the day reached the server")
    wait_synced(page)
    expect(page.get_by_test_id(f"difference-{cash}")).not_to_have_text("—")

    overflow = {}
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.evaluate("() => window.scrollTo(0, 0)")
        page.wait_for_function("(w) => window.innerWidth === w", arg=width)
        path = artifacts / f"day-entry-{width}x{height}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 10_000, path
        sizes = page.evaluate("() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth,"
                              " wide: [...document.querySelectorAll('main *')].filter((el) =>"
                              " el.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 5)"
                              ".map((el) => el.tagName + '.' + el.className + '[' + (el.dataset.testid || '') + ']')})")
        if sizes["scroll"] > sizes["inner"]:
            overflow[f"{width}x{height}"] = sizes
    assert not overflow, f"horizontal scroll: {overflow}"


def supplier_ids(page) -> list[str]:
    values = page.get_by_test_id("expense-supplier").locator("option").evaluate_all("(os) => os.map((o) => o.value)")
    return [v for v in values if v]
