"""Two tablets of one register, offline at the same time: a header conflict is shown, never silently lost;
a write into a day the server closed meanwhile is refused and shown."""

from __future__ import annotations

import re

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
    open_day,
    today,
    type_amount,
    wait_queued,
    wait_synced,
)


def tablet(open_tablet, server, name: str, rid: int, date: str):
    ctx = open_tablet(name)
    page = first_page(ctx)
    page.goto(server.url + "/")
    login(page, server.url, CASHIER)
    wait_synced(page)
    open_day(page, rid, date)
    return ctx, page


def test_same_field_edited_offline_on_two_tablets(live_server, open_tablet):
    server = live_server
    admin = server.api("gerant@demo.test")
    demo = demo_ids(server, admin)
    date = today()
    ensure_opening_day(server, demo, date, admin)
    rid, cash = demo.register_id, demo.methods["cash"]
    url = demo.day_url(server.url, date)
    # The morning's figures are already on the server (revision 1).
    r = admin.put(url, json={"base_revision": 0, "z_number": "Z-77",
                             "sales": [{"category_id": demo.categories["Pain"], "amount": "200.00"}],
                             "payments": [{"method_id": cash, "amount": "200.00"}]}, timeout=10)
    r.raise_for_status()
    revision = r.json()["revision"]

    ctx_a, a = tablet(open_tablet, server, "conflict-a", rid, date)
    ctx_b, b = tablet(open_tablet, server, "conflict-b", rid, date)
    for page in (a, b):
        expect(page.get_by_test_id("z-number")).to_have_value("Z-77")

    ctx_a.set_offline(True)
    ctx_b.set_offline(True)
    type_amount(a, f"count-{cash}", "195")
    type_amount(b, f"count-{cash}", "205,50")
    wait_queued(a, rid, date, {"counts": [{"method_id": cash, "amount": "195.00"}]})
    wait_queued(b, rid, date, {"counts": [{"method_id": cash, "amount": "205.50"}]})
    for page in (a, b):
        expect(page.get_by_test_id("sync-status")).to_have_text("Hors ligne")

    # A comes back first and wins; B comes back second and is refused (stale revision).
    ctx_a.set_offline(False)
    wait_synced(a)
    assert lines(admin.get(url, timeout=10).json()["counts"], "method_id") == {cash: "195.00"}
    ctx_b.set_offline(False)
    wait_synced(b)
    day = admin.get(url, timeout=10).json()
    assert lines(day["counts"], "method_id") == {cash: "195.00"}, "the loser must not overwrite silently"
    assert day["revision"] == revision + 1

    # B shows the server's value in the day, and its own value in exactly one conflict.
    expect(b.get_by_test_id(f"count-{cash}")).to_have_value("195,00")
    expect(b.get_by_test_id("nav-conflicts")).to_have_text("Conflits (1)")
    b.get_by_test_id("nav-conflicts").click()
    items = b.get_by_test_id("conflict-item")
    expect(items).to_have_count(1)
    text = norm(items.first.inner_text())
    assert "205,50 €" in text and "195,00 €" in text, text
    assert re.search(r"Votre saisie.*Valeur du serveur", text), text

    # A has no conflict.
    a.get_by_test_id("nav-conflicts").click()
    expect(a.get_by_test_id("conflicts-none")).to_be_visible()

    # « Ressaisir »: B's value becomes the server's value, and reaches A too.
    items.first.get_by_test_id("conflict-retype").click()
    expect(b.get_by_test_id("conflicts-none")).to_be_visible()
    wait_synced(b)
    day = admin.get(url, timeout=10).json()
    assert lines(day["counts"], "method_id") == {cash: "205.50"}
    expect(b.get_by_test_id("nav-conflicts")).to_have_text("Conflits")
    open_day(a, rid, date)
    a.get_by_test_id("sync-now").click()
    expect(a.get_by_test_id(f"count-{cash}")).to_have_value("205,50")


def test_write_into_a_day_closed_meanwhile_is_refused_and_shown(live_server, open_tablet):
    server = live_server
    admin = server.api("gerant@demo.test")
    demo = demo_ids(server, admin)
    date = today()
    ensure_opening_day(server, demo, date, admin)
    rid, cash, cheque = demo.register_id, demo.methods["cash"], demo.methods["cheque"]
    url = demo.day_url(server.url, date)
    r = admin.put(url, json={"base_revision": 0, "z_number": "Z-9",
                             "sales": [{"category_id": demo.categories["Pain"], "amount": "250.00"}],
                             "payments": [{"method_id": cash, "amount": "250.00"}]}, timeout=10)
    r.raise_for_status()

    ctx, page = tablet(open_tablet, server, "closed-day", rid, date)
    expect(page.get_by_test_id("z-number")).to_have_value("Z-9")
    ctx.set_offline(True)
    page.get_by_test_id("comment").fill("Saisi hors ligne")
    add_flow(page, "cash-out", amount="20", method=str(cash), reason="Monnaie")
    wait_queued(page, rid, date, {"comment": "Saisi hors ligne"})

    # Meanwhile the admin completes the day on the server and closes it.
    day = admin.get(url, timeout=10).json()
    r = admin.put(url, json={"base_revision": day["revision"],
                             "counts": [{"method_id": cash, "amount": "250.00"}, {"method_id": cheque, "amount": "0"}]},
                  timeout=10)
    r.raise_for_status()
    r = admin.post(url + "/close", json={"base_revision": r.json()["revision"]}, timeout=10)
    assert r.status_code == 200, r.text
    closed = r.json()
    assert closed["status"] == "closed" and closed["sequence"] == 1

    ctx.set_offline(False)
    wait_synced(page)
    # The day shows as closed, with the server's figures; the tablet's changes are not in it.
    expect(page.get_by_test_id("day-closed")).to_be_visible()
    expect(page.get_by_test_id("day-status")).to_have_text("Clôturée")
    expect(page.get_by_test_id("comment")).to_have_value("")
    expect(page.get_by_test_id("flows-cash").get_by_test_id("flow-item")).to_have_count(0)
    day = admin.get(url, timeout=10).json()
    assert day["status"] == "closed" and day["comment"] == "" and day["flows"] == []
    assert day["hash"] == closed["hash"]

    # Both refused changes are listed with what was typed; a closed day cannot be re-typed into.
    expect(page.get_by_test_id("nav-conflicts")).to_have_text("Conflits (2)")
    page.get_by_test_id("nav-conflicts").click()
    items = page.get_by_test_id("conflict-item")
    expect(items).to_have_count(2)
    texts = [norm(t) for t in items.all_inner_texts()]
    assert any("Saisi hors ligne" in t for t in texts), texts
    assert any("20,00 €" in t and "Monnaie" in t for t in texts), texts
    assert all(re.search(r"clôtur", t, re.I) for t in texts), texts
    put_item = items.filter(has_text="Saisi hors ligne")
    expect(put_item.get_by_test_id("conflict-retype")).to_be_disabled()
    # The alerts screen lists them too.
    page.get_by_test_id("nav-alerts").click()
    expect(page.get_by_test_id("rejection-item")).to_have_count(2)
