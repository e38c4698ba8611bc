"""A full cash day typed with no network, kept across a browser restart, then synced to the server."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.helpers import (
    CASHIER,
    add_flow,
    demo_ids,
    ensure_opening_day,
    first_page,
    lines,
    login,
    norm,
    open_today,
    settled_pending,
    today,
    type_amount,
    wait_queued,
    wait_sw_controlled,
    wait_synced,
)

# The day, as typed (French keypad text) and as the server must store it (wire strings).
OPENING_CASH = ("150", "150.00")
SALES = {"Pain": ("300", "300.00"), "Viennoiserie": ("120,5", "120.50"), "Boissons": ("45,30", "45.30"),
         "Épicerie": ("34.2", "34.20")}  # 500,00 TTC
PAYMENTS = {"cash": ("180,00", "180.00"), "card": ("270", "270.00"), "cheque": ("50", "50.00")}  # 500,00
EXPENSE = ("12,40", "12.40")
DEPOSIT = ("100", "100.00")
COUNTED_CASH = ("215", "215.00")  # expected 150 + 180 − 12,40 − 100 = 217,60 → écart −2,60
COUNTED_CHEQUES = ("50", "50.00")
COMMENT = "Erreur de rendu de monnaie sur un ticket de 20 €."
Z_NUMBER = "Z-0412"
SALES_COUNT = 63


def check_screen(page, demo) -> None:
    """What the cashier sees: typed values, movements and the live balances."""
    cash, cheque = demo.methods["cash"], demo.methods["cheque"]
    expect(page.get_by_test_id("z-number")).to_have_value(Z_NUMBER)
    for label, (_typed, wire) in SALES.items():
        expect(page.get_by_test_id(f"sales-{demo.categories[label]}")).to_have_value(wire.replace(".", ","))
    expect(page.get_by_test_id("sales-count")).to_have_value(str(SALES_COUNT))
    for kind, (_typed, wire) in PAYMENTS.items():
        expect(page.get_by_test_id(f"payment-{demo.methods[kind]}")).to_have_value(wire.replace(".", ","))
    expect(page.get_by_test_id(f"opening-{cash}")).to_have_value("150,00")
    expect(page.get_by_test_id(f"count-{cash}")).to_have_value("215,00")
    expect(page.get_by_test_id(f"count-{cheque}")).to_have_value("50,00")
    expect(page.get_by_test_id("comment")).to_have_value(COMMENT)
    expect(page.get_by_test_id("flows-expenses").get_by_test_id("flow-item")).to_have_count(1)
    expect(page.get_by_test_id("flows-deposits").get_by_test_id("flow-item")).to_have_count(1)
    assert norm(page.get_by_test_id("total-ttc").inner_text()) == "500,00 €"
    assert norm(page.get_by_test_id("breakdown-gap").inner_text()) == "0,00 €"
    assert norm(page.get_by_test_id(f"expected-{cash}").inner_text()) == "217,60 €"
    assert norm(page.get_by_test_id(f"difference-{cash}").inner_text()) == "-2,60 €"
    assert norm(page.get_by_test_id(f"expected-{cheque}").inner_text()) == "50,00 €"
    assert norm(page.get_by_test_id(f"difference-{cheque}").inner_text()) == "0,00 €"
    expect(page.get_by_test_id("finding-cash_difference")).to_be_visible()
    expect(page.get_by_test_id("finding-missing_comment")).to_have_count(0)


def test_full_day_offline_survives_restart_then_syncs(live_server, open_tablet):
    server = live_server
    admin = server.api("gerant@demo.test")
    demo = demo_ids(server, admin)
    date = today()
    ensure_opening_day(server, demo, date, admin)
    cash, card, cheque = demo.methods["cash"], demo.methods["card"], demo.methods["cheque"]
    rid = demo.register_id

    # Online: log in, first sync, service worker in control.
    ctx = open_tablet("offline-day")
    page = first_page(ctx)
    page.goto(server.url + "/")
    login(page, server.url, CASHIER)
    wait_synced(page)
    wait_sw_controlled(page)

    # Offline: the reload is answered by the service worker.
    ctx.set_offline(True)
    response = page.reload()
    assert response is not None and response.from_service_worker, "the offline reload must come from the worker"
    expect(page.get_by_test_id("open-today")).to_be_visible()
    expect(page.get_by_test_id("sync-status")).to_have_text("Hors ligne")
    open_today(page)
    assert page.url.endswith(f"#/day/{rid}/{date}")

    page.get_by_test_id("z-number").fill(Z_NUMBER)
    for label, (typed, _wire) in SALES.items():
        type_amount(page, f"sales-{demo.categories[label]}", typed)
    page.get_by_test_id("sales-count").fill(str(SALES_COUNT))
    for kind, (typed, _wire) in PAYMENTS.items():
        type_amount(page, f"payment-{demo.methods[kind]}", typed)
    type_amount(page, f"opening-{cash}", OPENING_CASH[0])
    add_flow(page, "expense", supplier="", label="Levure et sel", amount=EXPENSE[0], vat_bp="550",
             method=str(cash))
    add_flow(page, "deposit", method=str(cash), amount=DEPOSIT[0], slip_number="B-1042")
    type_amount(page, f"count-{cash}", COUNTED_CASH[0])
    type_amount(page, f"count-{cheque}", COUNTED_CHEQUES[0])
    # Before the comment: the difference needs a justification.
    expect(page.get_by_test_id("finding-missing_comment")).to_be_visible()
    expect(page.get_by_test_id("close-day")).to_be_disabled()
    page.get_by_test_id("comment").fill(COMMENT)
    check_screen(page, demo)
    expect(page.get_by_test_id("close-day")).to_be_enabled()

    # Everything is in the outbox (the debounced draft included), nothing went out.
    wait_queued(page, rid, date, {"comment": COMMENT, "z_number": Z_NUMBER, "sales_count": SALES_COUNT})
    pending = settled_pending(page)
    assert pending > 0
    expect(page.get_by_test_id("sync-status")).to_have_text("Hors ligne")
    assert admin.get(demo.day_url(server.url, date), timeout=10).json()["revision"] == 0

    # The tablet is switched off, then on again, still without network.
    ctx.close()
    ctx = open_tablet("offline-day")
    ctx.set_offline(True)
    page = first_page(ctx)
    response = page.goto(f"{server.url}/#/day/{rid}/{date}")
    assert response is not None and response.from_service_worker
    expect(page.get_by_test_id("z-number")).to_be_visible()
    check_screen(page, demo)
    expect(page.get_by_test_id("sync-status")).to_have_text("Hors ligne")
    expect(page.get_by_test_id("pending-count")).to_have_text(str(pending))

    # Back online: the outbox empties, the server has the whole day.
    ctx.set_offline(False)
    wait_synced(page)
    day = admin.get(demo.day_url(server.url, date), timeout=10).json()
    assert day["status"] == "open"
    assert day["z_number"] == Z_NUMBER
    assert day["sales_count"] == SALES_COUNT
    assert day["comment"] == COMMENT
    assert lines(day["sales"], "category_id") == {demo.categories[k]: v[1] for k, v in SALES.items()}
    assert lines(day["payments"], "method_id") == {cash: "180.00", card: "270.00", cheque: "50.00"}
    assert lines(day["opening"], "method_id") == {cash: "150.00"}
    assert lines(day["counts"], "method_id") == {cash: "215.00", cheque: "50.00"}
    flows = {f["kind"]: f for f in day["flows"]}
    assert sorted(flows) == ["deposit", "expense"], day["flows"]
    assert flows["expense"]["amount"] == EXPENSE[1] and flows["expense"]["method_id"] == cash
    assert flows["expense"]["label"] == "Levure et sel" and flows["expense"]["vat_bp"] == 550
    assert flows["deposit"]["amount"] == DEPOSIT[1] and flows["deposit"]["method_id"] == cash
    assert flows["deposit"]["slip_number"] == "B-1042"
    balance = {b["method_id"]: b for b in day["balances"]}
    assert balance[cash]["expected"] == "217.60" and balance[cash]["difference"] == "-2.60"
    assert balance[cheque]["expected"] == "50.00" and balance[cheque]["difference"] == "0.00"
    # And the tablet shows what the server now holds, nothing pending.
    check_screen(page, demo)
    expect(page.get_by_test_id("flow-item").filter(has_text="en attente")).to_have_count(0)
