"""History with figures, the « Encours » pickers, and every screen at 390, 820 and 1440 px: axe finds no serious
or critical violation, nothing scrolls sideways, and the day (empty, typical, closed) and the history are kept
as screenshots in tests/e2e/artifacts/."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests.e2e.day_helpers import close_day, flush, start_day, type_typical_day
from tests.e2e.helpers import ADMIN, add_flow, ensure_opening_day, norm, open_day, open_flow_form, today
from tests.e2e.test_accessibility import AXE, BLOCKING, axe, report

WIDTHS = [(390, 844), (820, 1180), (1440, 900)]


def no_sideways_scroll(page) -> None:
    extra = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert extra <= 1, f"{extra} px of horizontal scroll"


def check_and_shoot(page, name: str, artifacts: Path, found: dict[str, Any]) -> None:
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(150)
        no_sideways_scroll(page)
        found[f"{name}@{width}"] = axe(page)
        page.evaluate("() => window.scrollTo(0, 0)")
        page.screenshot(path=str(artifacts / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 820, "height": 1180})


def test_history_figures_encours_and_every_screen_at_three_widths(live_server, open_tablet, artifacts):
    assert AXE.exists()
    server = live_server
    # A fixed month (the previous one), whatever today is: the 10th closed, the 11th open, both in it.
    month = (dt.date.fromisoformat(today()).replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    earlier, date = month.replace(day=10).isoformat(), month.replace(day=11).isoformat()
    admin, demo, _ctx, page = start_day(server, open_tablet, "widths", (820, 1180), email=ADMIN, date=earlier)
    ensure_opening_day(server, demo, date, admin)
    found: dict[str, Any] = {}
    rid, cash = demo.register_id, demo.methods["cash"]

    # Yesterday: a closed typical day (557,00 € of sales, 58 sales, −1,50 € difference) with a voucher sold
    # and a credit granted, so today's pickers have something to offer.
    type_typical_day(page, demo)
    add_flow(page, "credit-granted", customer=str(_first_customer(admin, server, demo)), amount="35")
    add_flow(page, "voucher-sold", code="BON-77", amount="50", method=str(cash))
    # The sold voucher brought 50 € in cash: count it.
    page.get_by_test_id(f"count-{cash}").fill("373,10")
    flush(page)
    close_day(page)
    check_and_shoot(page, "day-closed", artifacts, found)

    # Today, empty: the open balance and the open voucher are offered with their amounts.
    open_day(page, rid, date)
    check_and_shoot(page, "day-empty", artifacts, found)
    form = open_flow_form(page, "credit-settled")
    options = [norm(o) for o in form.get_by_test_id("credit-settled-customer").locator("option").all_inner_texts()]
    assert any(re.search(r"doit 35,00 €$", o) for o in options), options
    expect(page.get_by_test_id("encours-credit")).to_contain_text("35,00")
    form = open_flow_form(page, "voucher-redeemed")
    codes = page.get_by_test_id("open-vouchers-list").locator("option")
    expect(codes).to_have_count(1)
    assert codes.first.get_attribute("value") == "BON-77"
    expect(page.get_by_test_id("encours-vouchers")).to_contain_text("BON-77")
    expect(page.get_by_test_id("encours-vouchers")).to_contain_text("50,00")

    # Today, typical (open), with the two pickers folded again.
    opened = page.locator("details.adder[open] > summary")
    while opened.count():
        opened.first.click()
    type_typical_day(page, demo)
    flush(page)
    check_and_shoot(page, "day-typical", artifacts, found)

    # The other register (Saturdays only) has one day in the month too: 100 € of sales, 10 sales, −1,00 €.
    other = next(name for name in demo.registers if name != "Boutique")
    saturday = next(month + dt.timedelta(days=i) for i in range(7) if (month + dt.timedelta(days=i)).weekday() == 5)
    r = admin.put(demo.day_url(server.url, saturday.isoformat(), other), timeout=10, json={
        "base_revision": 0, "z_number": "M-1", "sales_count": 10,
        "sales": [{"category_id": demo.categories["Pain"], "amount": "100.00"}],
        "payments": [{"method_id": cash, "amount": "100.00"}],
        "opening": [{"method_id": cash, "amount": "0.00"}],
        "counts": [{"method_id": cash, "amount": "99.00"}]})
    assert r.status_code == 200, r.text
    page.get_by_test_id("sync-now").click()
    flush(page)

    # History of that month: each day's revenue and difference, the month's totals, for this register.
    page.get_by_test_id("nav-history").click()
    expect(page.get_by_test_id("calendar")).to_be_visible()
    page.goto(server.url + f"/#/history/{month:%Y-%m}")
    expect(page.get_by_test_id(f"cal-{earlier}")).to_be_visible()
    expect(page.get_by_test_id(f"cal-revenue-{earlier}")).to_have_text(re.compile(r"557,00\s€"))
    expect(page.get_by_test_id(f"cal-diff-{earlier}")).to_have_text(re.compile(r"-1,50\s€"))
    expect(page.get_by_test_id(f"cal-revenue-{date}")).to_have_text(re.compile(r"557,00\s€"))
    expect(page.get_by_test_id(f"cal-revenue-{saturday.isoformat()}")).to_have_count(0)

    def month_totals() -> tuple[str, ...]:
        return tuple(norm(page.get_by_test_id(f"month-{k}").inner_text())
                     for k in ("revenue", "sales", "basket", "difference"))

    expect(page.get_by_test_id("month-revenue")).to_have_text(re.compile(r"1\s114,00\s€"))
    assert month_totals() == ("1 114,00 €", "116", "9,60 €", "-3,00 €")
    text = page.locator("main").inner_text()
    assert "(s)" not in text
    check_and_shoot(page, "history", artifacts, found)
    # All registers: the other register's day adds up (1 214 € / 126 sales = 9,63 €; −3,00 − 1,00).
    scope = page.get_by_test_id("history-scope")
    expect(scope).to_be_visible()
    scope.select_option("all")
    expect(page.get_by_test_id("month-revenue")).to_have_text(re.compile(r"1\s214,00\s€"))
    assert month_totals() == ("1 214,00 €", "126", "9,63 €", "-4,00 €")
    expect(page.get_by_test_id(f"cal-revenue-{earlier}")).to_have_text(re.compile(r"557,00\s€"))
    expect(page.get_by_test_id(f"cal-revenue-{saturday.isoformat()}")).to_have_text(re.compile(r"100,00\s€"))
    expect(page.get_by_test_id(f"cal-diff-{saturday.isoformat()}")).to_have_text(re.compile(r"-1,00\s€"))
    # Each register with its own calendar: the Saturday stall is not « Manquante » on a weekday, so the
    # shop's closed day reads « Clôturée » (every day read « Manquante » before); on a Saturday the stall's
    # missing day wins.
    stall_opens = dt.date.fromisoformat(earlier).weekday() == 5
    expected = "missing" if stall_opens else "closed"
    expect(page.get_by_test_id(f"cal-{earlier}")).to_have_attribute("data-status", expected)
    summary = page.get_by_test_id("month-summary")
    expect(summary).to_contain_text("manquante" if stall_opens else "1 journée clôturée")
    check_and_shoot(page, "history-all", artifacts, found)
    scope.select_option(str(rid))
    expect(page.get_by_test_id("month-revenue")).to_have_text(re.compile(r"1\s114,00\s€"))

    for name in ("alerts", "conflicts", "help", "home"):
        page.get_by_test_id(f"nav-{name}").click()
        page.wait_for_timeout(300)
        check_and_shoot(page, name, artifacts, found)

    (artifacts / "axe-widths.json").write_text(json.dumps(found, ensure_ascii=False, indent=1))
    blocking = {screen: [v for v in violations if v["impact"] in BLOCKING] for screen, violations in found.items()}
    assert not any(blocking.values()), "\n".join(report(s, v) for s, v in found.items() if blocking[s])


def _first_customer(admin, server, demo) -> int:
    base = f"{server.url}/api/companies/{demo.company_id}"
    customers = admin.get(base + "/customers", timeout=10).json()
    return int(customers[0]["id"])
