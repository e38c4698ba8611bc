"""The cashier's day defects of issue 9, each in a real Chromium: the note-and-coin grid, an invalid amount
never saved, conflicts visible, the small ones (void reason, « Tout est en ordre », login, carried opening,
touch target), and gunicorn never frozen by idle browser connections."""

from __future__ import annotations

import datetime as dt
import re
import socket
import time
from pathlib import Path

import requests
from playwright.sync_api import expect

from tests.e2e.conftest import ROOT
from tests.e2e.helpers import (
    ADMIN,
    CASHIER,
    add_flow,
    demo_ids,
    ensure_opening_day,
    first_page,
    lines,
    login,
    norm,
    open_day,
    open_flow_form,
    outbox,
    today,
    type_amount,
    wait_synced,
    wait_until,
)


def start(server, open_tablet, name: str, date: str | None = None):
    admin = server.api(ADMIN)
    demo = demo_ids(server, admin)
    date = date or today()
    ensure_opening_day(server, demo, date, admin)
    ctx = open_tablet(name)
    page = first_page(ctx)
    page.goto(server.url + "/")
    login(page, server.url, CASHIER)
    wait_synced(page)
    open_day(page, demo.register_id, date)
    return admin, demo, ctx, page


def wait_pushed(page) -> None:
    """The debounced draft written to the outbox, then the outbox emptied by a sync."""
    page.wait_for_timeout(600)  # SAVE_DELAY_MS (400 ms) debounce of the draft
    wait_until(lambda: not outbox(page), "the outbox is sent")
    wait_synced(page)


def grid_cell(page, cash: int, cents: int):
    return page.get_by_test_id(f"grid-{cash}-{cents}")


def test_full_day_typed_only_through_the_note_and_coin_grid(live_server, open_tablet):
    server = live_server
    admin, demo, _ctx, page = start(server, open_tablet, "grid")
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    cash, cheque, date = demo.methods["cash"], demo.methods["cheque"], today()

    page.get_by_test_id("z-number").fill("Z-1001")
    type_amount(page, f"sales-{demo.categories['Pain']}", "432,80")
    page.get_by_test_id("sales-count").fill("40")
    type_amount(page, f"payment-{cash}", "432,80")
    type_amount(page, f"opening-{cash}", "100")
    type_amount(page, f"count-{cheque}", "0")
    # 100 + 432,80 = 532,80 € expected, counted as 5 × 100 € + 1 × 20 € + 6 × 2 € + 1 × 0,50 € + 3 × 0,10 €.
    page.get_by_test_id(f"grid-toggle-{cash}").locator("summary").click()
    typed = {10000: "5", 2000: "1", 200: "6", 50: "1", 10: "3"}
    for cents, quantity in typed.items():
        cell = grid_cell(page, cash, cents)
        cell.click()
        cell.press_sequentially(quantity)
    expect(page.get_by_test_id(f"grid-total-{cash}")).to_have_text(re.compile(r"532,80\s€"))
    expect(page.get_by_test_id(f"count-{cash}")).to_have_value("532,80")
    assert norm(page.get_by_test_id(f"difference-{cash}").inner_text()) == "0,00 €"

    # A redraw (another field typed, then the sync) keeps every quantity.
    page.get_by_test_id("comment").fill("Billetage complet.")
    wait_pushed(page)
    for cents, quantity in typed.items():
        expect(grid_cell(page, cash, cents)).to_have_value(quantity)
    # And a reload too: the grid is part of the day.
    page.reload()
    expect(page.get_by_test_id("z-number")).to_have_value("Z-1001")
    for cents, quantity in typed.items():
        expect(grid_cell(page, cash, cents)).to_have_value(quantity)
    expect(page.get_by_test_id(f"grid-total-{cash}")).to_have_text(re.compile(r"532,80\s€"))

    # One quantity corrected: the total and the counted balance follow, the difference shows.
    cell = grid_cell(page, cash, 200)
    cell.fill("5")
    expect(page.get_by_test_id(f"grid-total-{cash}")).to_have_text(re.compile(r"530,80\s€"))
    expect(page.get_by_test_id(f"count-{cash}")).to_have_value("530,80")
    assert norm(page.get_by_test_id(f"difference-{cash}").inner_text()) == "-2,00 €"
    cell.fill("6")
    expect(page.get_by_test_id(f"count-{cash}")).to_have_value("532,80")

    wait_pushed(page)
    day = admin.get(demo.day_url(server.url, date), timeout=10).json()
    counted = {c["method_id"]: c for c in day["counts"]}
    assert counted[cash]["amount"] == "532.80"
    assert counted[cash]["grid"] == {"10000": 5, "2000": 1, "200": 6, "50": 1, "10": 3}
    assert {b["method_id"]: b["difference"] for b in day["balances"]}[cash] == "0.00"

    page.get_by_test_id("close-day").click()
    page.get_by_test_id("close-confirm").click()
    expect(page.get_by_test_id("day-status")).to_have_text("Clôturée")
    wait_pushed(page)  # the close is queued, then sent (the status bar may still show the previous sync)
    wait_until(lambda: admin.get(demo.day_url(server.url, date), timeout=10).json()["status"] == "closed",
               "the close reaches the server")
    assert lines(day["payments"], "method_id") == {cash: "432.80"}
    assert not [e for e in errors if "trim" in e], errors
    assert errors == [], errors


def test_an_amount_shown_invalid_is_never_saved(live_server, open_tablet):
    server = live_server
    admin, demo, ctx, page = start(server, open_tablet, "invalid")
    ctx.set_offline(True)
    form = open_flow_form(page, "cash-in")
    amount = form.get_by_test_id("cash-in-amount")
    amount.fill("12,3")
    amount.press_sequentially(",4")
    error = form.locator(".field-error:visible")
    expect(error).to_have_count(1)
    assert "12,3,4" in error.inner_text()
    form.get_by_test_id("add-cash-in").click()
    page.wait_for_timeout(800)
    expect(page.get_by_test_id("flows-cash").get_by_test_id("flow-item")).to_have_count(0)
    assert not [m for m in outbox(page) if m["name"] == "flow.add"], outbox(page)
    expect(amount).to_have_attribute("aria-invalid", "true")

    # Cleared: the old error goes; « Enregistrer » now says the amount is missing, once.
    amount.fill("")
    expect(form.locator(".field-error:visible")).to_have_count(0)
    form.get_by_test_id("add-cash-in").click()
    visible = form.locator(".field-error:visible, .form-error:visible")
    expect(visible).to_have_count(1)
    assert "obligatoire" in visible.inner_text()
    assert "12,3,4" not in norm(form.inner_text())

    # A proper amount goes through.
    amount.fill("12,30")
    form.get_by_test_id("add-cash-in").click()
    expect(page.get_by_test_id("flows-cash").get_by_test_id("flow-item")).to_have_count(1)
    expect(page.get_by_test_id("toast").last).to_have_text(re.compile(r"Apport de 12,30\s€ enregistré\."))
    added = [m for m in outbox(page) if m["name"] == "flow.add"]
    assert [m["args"]["flow"]["amount"] for m in added] == ["12.30"]


def test_a_day_field_shown_invalid_feeds_nothing_and_blocks_the_closing(live_server, open_tablet, artifacts):
    """Choice: a field showing an error has NO line in the day (not the last valid keystroke « 12,3 »):
    the server has no Pain line, the totals leave it out, and « Clôturer » is refused until it is fixed."""
    server = live_server
    admin, demo, _ctx, page = start(server, open_tablet, "invalid-day")
    cash, cheque, pain = demo.methods["cash"], demo.methods["cheque"], demo.categories["Pain"]
    page.get_by_test_id("z-number").fill("Z-77")
    page.get_by_test_id("sales-count").fill("3")
    type_amount(page, f"sales-{demo.categories['Viennoiserie']}", "10")
    type_amount(page, f"payment-{cash}", "10")
    type_amount(page, f"opening-{cash}", "100")
    type_amount(page, f"count-{cash}", "110")
    type_amount(page, f"count-{cheque}", "0")
    expect(page.get_by_test_id("close-day")).to_be_enabled(timeout=25_000)

    field = page.get_by_test_id(f"sales-{pain}")
    field.click()
    field.press_sequentially("12,3,4")
    error = page.locator(f"#{field.get_attribute('id')}-error")
    expect(error).to_be_visible()
    assert "12,3,4" in error.inner_text()
    field.blur()
    wait_pushed(page)
    day = admin.get(demo.day_url(server.url, today()), timeout=10).json()
    assert pain not in {line["category_id"] for line in day["sales"] if line["amount"] != "0.00"}, day["sales"]
    assert day["totals"]["sales_ttc"] == "10.00", day["totals"]
    assert norm(page.get_by_test_id("sticky-ttc").inner_text()) == "10,00 €"
    assert norm(page.get_by_test_id("total-ttc").inner_text()) == "10,00 €"
    # The error stays (a sync redraw does not put a value back), and closing is refused with the reason.
    page.get_by_test_id("sync-now").click()
    wait_synced(page)
    expect(field).to_have_value("12,3,4")
    expect(error).to_be_visible()
    expect(page.get_by_test_id("close-day")).to_be_disabled()
    refused = re.compile(r"Clôture impossible\. Un montant saisi n’est pas valide")
    expect(page.get_by_test_id("close-reason")).to_have_text(refused)
    expect(page.get_by_test_id("finding-invalid_field")).to_be_visible()  # not « Aucune anomalie » above it
    expect(page.get_by_test_id("findings-none")).to_have_count(0)
    page.screenshot(path=str(artifacts / "day-invalid-field-820.png"), full_page=True)

    # The same for a payment, an opening and a count: shown in error, left out.
    for testid in (f"payment-{cash}", f"opening-{cash}", f"count-{cash}"):
        other = page.get_by_test_id(testid)
        other.fill("")
        other.press_sequentially("1,2,3")
        expect(page.locator(f"#{other.get_attribute('id')}-error")).to_be_visible()
    count = page.get_by_test_id("sales-count")
    count.fill("")
    count.press_sequentially("3x")
    expect(page.locator(f"#{count.get_attribute('id')}-error")).to_have_text("Nombre entier attendu.")
    wait_pushed(page)
    day = admin.get(demo.day_url(server.url, today()), timeout=10).json()
    assert day["payments"] == [], day["payments"]
    assert day["sales_count"] == 0, day["sales_count"]  # not the « 3 » typed before the « x »
    count.fill("3")
    assert [c for c in day["counts"] if c["method_id"] == cash] == [], day["counts"]
    assert norm(page.get_by_test_id("sticky-rest").inner_text()) == "10,00 €"
    for testid, text in ((f"payment-{cash}", "10"), (f"opening-{cash}", "100"), (f"count-{cash}", "122,34")):
        type_amount(page, testid, text)

    # Fixed: the value is saved, counted, and the closing is possible again.
    field.fill("12,34")
    field.blur()
    expect(error).to_be_hidden()
    wait_pushed(page)
    day = admin.get(demo.day_url(server.url, today()), timeout=10).json()
    assert lines(day["sales"], "category_id")[pain] == "12.34"
    assert day["totals"]["sales_ttc"] == "22.34"
    assert norm(page.get_by_test_id("sticky-ttc").inner_text()) == "22,34 €"
    type_amount(page, f"payment-{cash}", "22,34")
    expect(page.get_by_test_id("close-day")).to_be_enabled(timeout=25_000)
    expect(page.get_by_test_id("close-reason")).not_to_have_text(re.compile("Clôture impossible"))
    expect(page.get_by_test_id("finding-invalid_field")).to_have_count(0)


def test_a_grid_cell_in_error_says_why_and_counts_for_nothing(live_server, open_tablet, artifacts):
    server = live_server
    admin, demo, _ctx, page = start(server, open_tablet, "grid-error")
    cash = demo.methods["cash"]
    page.get_by_test_id(f"grid-toggle-{cash}").locator("summary").click()
    cell = grid_cell(page, cash, 1000)
    cell.click()
    cell.press_sequentially("5")
    expect(page.get_by_test_id(f"grid-total-{cash}")).to_have_text(re.compile(r"50,00\s€"))
    cell.press_sequentially("a")
    message = page.locator(f"#{cell.get_attribute('id')}-error")
    expect(message).to_be_visible()
    expect(message).to_have_text("Nombre entier attendu.")
    expect(cell).to_have_attribute("aria-invalid", "true")
    expect(cell).to_have_attribute("aria-describedby", re.compile("error"))
    # « 5a » is not 5: the total and the counted balance leave it out.
    expect(page.get_by_test_id(f"grid-total-{cash}")).to_have_text(re.compile(r"0,00\s€"))
    expect(page.get_by_test_id(f"count-{cash}")).to_have_value("")
    grid_cell(page, cash, 200).fill("3")
    expect(page.get_by_test_id(f"grid-total-{cash}")).to_have_text(re.compile(r"6,00\s€"))
    expect(cell).to_have_value("5a")  # the redraw keeps the text in error and its message
    expect(message).to_be_visible()
    expect(page.get_by_test_id("close-reason")).to_have_text(re.compile("Clôture impossible"))
    page.get_by_test_id(f"grid-toggle-{cash}").screenshot(path=str(artifacts / "grid-cell-error-820.png"))
    wait_pushed(page)
    day = admin.get(demo.day_url(server.url, today()), timeout=10).json()
    counted = {c["method_id"]: c for c in day["counts"]}
    assert counted[cash]["amount"] == "6.00" and counted[cash]["grid"] == {"200": 3}, counted
    # Fixed: counted again, the message goes.
    cell.fill("5")
    expect(message).to_be_hidden()
    expect(page.get_by_test_id(f"grid-total-{cash}")).to_have_text(re.compile(r"56,00\s€"))
    expect(page.get_by_test_id(f"count-{cash}")).to_have_value("56,00")


def test_a_waiting_conflict_shows_in_the_status_bar_and_points_at_the_category(live_server, open_tablet):
    server = live_server
    admin = server.api(ADMIN)
    demo = demo_ids(server, admin)
    date = today()
    ensure_opening_day(server, demo, date, admin)
    url = demo.day_url(server.url, date)
    cats = demo.categories
    six = {"Pain": "400.00", "Viennoiserie": "120.00", "Pâtisserie": "90.00"}
    others = [label for label in cats if label not in six][:3]
    six.update({label: "10.00" for label in others})
    sales = [{"category_id": cats[k], "amount": v} for k, v in six.items()]
    r = admin.put(url, json={"base_revision": 0, "sales": sales}, timeout=10)
    r.raise_for_status()
    ctx = open_tablet("conflict-bar")
    page = first_page(ctx)
    page.goto(server.url + "/")
    login(page, server.url, CASHIER)
    wait_synced(page)
    open_day(page, demo.register_id, date)
    expect(page.get_by_test_id(f"sales-{cats['Pain']}")).to_have_value("400,00")
    ctx.set_offline(True)
    type_amount(page, f"sales-{cats['Pain']}", "450")
    wait_until(lambda: any(m["name"] == "day.put" for m in outbox(page)), "the change is queued")
    # Meanwhile the office corrects another figure of the same day.
    day = admin.get(url, timeout=10).json()
    admin.put(url, json={"base_revision": day["revision"], "z_number": "Z-8"}, timeout=10).raise_for_status()
    day = admin.get(url, timeout=10).json()
    admin.put(url, json={"base_revision": day["revision"],
                         "sales": [{"category_id": cats[k], "amount": v} for k, v in reversed(list(six.items()))]},
              timeout=10).raise_for_status()
    ctx.set_offline(False)
    page.get_by_test_id("sync-now").click()
    link = page.get_by_test_id("status-conflicts")
    expect(link).to_have_text("1 conflit à traiter")
    bar = page.locator("footer.statusbar")
    expect(bar).to_have_attribute("data-state", "conflict")
    dot = bar.locator(".dot").evaluate("el => getComputedStyle(el).backgroundColor")
    assert dot != "rgb(46, 133, 64)", "the dot must not be green while a conflict waits"
    link.click()
    item = page.get_by_test_id("conflict-item")
    expect(item).to_have_count(1)
    rows = item.locator("table.compare tbody tr")
    expect(rows).to_have_count(1)
    cells = [norm(t) for t in rows.first.locator("th, td").all_inner_texts()]
    assert "Pain" in cells[0] and cells[1] == "450,00 €" and cells[2] == "400,00 €", cells
    item.get_by_test_id("conflict-abandon").click()
    expect(page.get_by_test_id("status-conflicts")).to_be_hidden()
    expect(bar).to_have_attribute("data-state", "synced")


def test_small_defects_of_the_day(live_server, open_tablet):
    server = live_server
    admin = server.api(ADMIN)
    demo = demo_ids(server, admin)
    cash = demo.methods["cash"]
    date = today()
    yesterday = (dt.date.fromisoformat(date) - dt.timedelta(days=1)).isoformat()
    ensure_opening_day(server, demo, yesterday, admin)
    ensure_opening_day(server, demo, date, admin)
    r = admin.put(demo.day_url(server.url, yesterday), json={
        "base_revision": 0, "sales": [{"category_id": demo.categories["Pain"], "amount": "100.00"}],
        "payments": [{"method_id": cash, "amount": "100.00"}],
        "opening": [{"method_id": cash, "amount": "80.00"}],
        "counts": [{"method_id": cash, "amount": "180.00"}, {"method_id": demo.methods["cheque"], "amount": "0"}]},
        timeout=10)
    r.raise_for_status()

    ctx = open_tablet("small")
    page = first_page(ctx)
    # The login screen: no sync state, no « Synchroniser » before anyone is logged in.
    page.goto(server.url + "/#/login")
    expect(page.get_by_test_id("login-email")).to_be_visible()
    expect(page.get_by_test_id("sync-status")).to_be_hidden()
    expect(page.get_by_test_id("sync-now")).to_be_hidden()
    login(page, server.url, CASHIER)
    expect(page.get_by_test_id("sync-now")).to_be_visible()
    wait_synced(page)
    open_day(page, demo.register_id, date)

    # The opening float carried from yesterday's count is a real value, not a grey placeholder.
    opening = page.get_by_test_id(f"opening-{cash}")
    expect(opening).to_have_value("180,00")
    assert not opening.get_attribute("placeholder")

    # « Apport personnel de l'exploitant »: a touch target of at least 44 × 44 px.
    form = open_flow_form(page, "cash-in")
    target = form.get_by_test_id("cash-in-owner-label").bounding_box()
    assert target and target["height"] >= 44 and target["width"] >= 44, target
    form.get_by_test_id("cash-in-owner-label").click()
    expect(form.get_by_test_id("cash-in-owner")).to_be_checked()

    # Void without a reason: a message says what is missing.
    form.get_by_test_id("cash-in-owner-label").click()
    add_flow(page, "cash-out", amount="5", reason="Monnaie")
    page.get_by_test_id("void-flow").click()
    page.get_by_test_id("void-confirm").click()
    message = page.get_by_test_id("void-reason-error")
    expect(message).to_be_visible()
    expect(message).to_have_text("Indiquez le motif de l’annulation.")
    expect(page.get_by_test_id("void-reason")).to_have_attribute("aria-describedby", re.compile("error"))
    page.get_by_test_id("void-reason").fill("Erreur de saisie")
    expect(message).to_be_hidden()
    page.get_by_test_id("void-confirm").click()
    expect(page.locator("[data-testid=flow-item].voided")).to_have_count(1)

    # A warning (a cash difference, justified) never sits under « Tout est en ordre ».
    type_amount(page, f"sales-{demo.categories['Pain']}", "50")
    type_amount(page, f"payment-{cash}", "50")
    type_amount(page, f"count-{cash}", "200")
    type_amount(page, f"count-{demo.methods['cheque']}", "0")
    page.get_by_test_id("comment").fill("Pièce de 5 € trouvée sous le tiroir.")
    expect(page.get_by_test_id("finding-cash_difference")).to_be_visible()
    expect(page.get_by_test_id("close-day")).to_be_enabled()
    expect(page.get_by_test_id("close-reason")).not_to_have_text(re.compile("Tout est en ordre"))
    expect(page.get_by_test_id("close-reason")).to_have_attribute("data-state", "warning")


def test_make_run_prints_the_four_demo_logins():
    makefile = (ROOT / "Makefile").read_text()
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert sorted(set(re.findall(r"\w+@demo\.test", run))) == [
        "cabinet@demo.test", "cafe@demo.test", "caisse@demo.test", "gerant@demo.test"]


def test_idle_browser_connections_never_hold_a_worker(live_server):
    """Chromium keeps speculative (preconnected) sockets open without sending a request. With sync workers
    each one held a worker until gunicorn's timeout killed it: two of them froze the app for 30 s and logged
    « [CRITICAL] WORKER TIMEOUT ». gunicorn.conf.py now runs gthread workers, which park idle sockets, and
    shortens gunicorn 24+'s wait for a new connection's first bytes (5 s a thread). 12 idle sockets: more
    than the 2 workers × 4 threads of the test server."""
    server = live_server
    idle = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(12)]
    try:
        time.sleep(0.5)
        started = time.monotonic()
        for _ in range(5):
            assert requests.get(server.url + "/api/health", timeout=10).ok
        assert time.monotonic() - started < 2, "an idle connection is holding a thread"
    finally:
        for s in idle:
            s.close()
    log = server.log_text()
    assert "gthread" in log, log
    assert "WORKER TIMEOUT" not in log, log
    assert Path(ROOT / "gunicorn.conf.py").exists()
