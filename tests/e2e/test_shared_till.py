"""A shared shop tablet: two users one after the other on ONE browser profile. Each has their own sync
device id (the server binds a device id to its first user), so the second user syncs without a 403 and
the first user's offline entry waits, counted in the status bar, until she logs in again."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.helpers import (
    ADMIN,
    CASHIER,
    add_flow,
    choose_register,
    demo_ids,
    ensure_opening_day,
    first_page,
    login,
    open_today,
    outbox,
    today,
    wait_sw_controlled,
    wait_synced,
    wait_until,
)

EXPENSE_LABEL = "Farine du matin (caisse hors ligne)"
ADMIN_Z = "Z-GERANT-7"


def logout(page: Page) -> None:
    page.evaluate("() => { location.hash = '#/'; }")
    page.get_by_test_id("logout").click()
    expect(page.get_by_test_id("login-email")).to_be_visible()


def test_two_users_share_a_till_without_losing_the_queue(live_server, open_tablet):
    server = live_server
    admin_api = server.api(ADMIN)
    demo = demo_ids(server, admin_api)
    date = today()
    ensure_opening_day(server, demo, date, admin_api)
    rid, cash = demo.register_id, demo.methods["cash"]

    def server_day() -> dict:
        return admin_api.get(demo.day_url(server.url, date), timeout=10).json()

    def cashier_flow_on_server() -> bool:
        return any(f.get("label") == EXPENSE_LABEL for f in server_day().get("flows") or [])

    ctx = open_tablet("shared-till")
    page = first_page(ctx)
    page.goto(server.url + "/")

    # The cashier syncs once, then types an expense with no network and logs out, still offline.
    login(page, server.url, CASHIER)
    choose_register(page, rid)
    wait_synced(page)
    wait_sw_controlled(page)
    ctx.set_offline(True)
    open_today(page)
    add_flow(page, "expense", supplier="", label=EXPENSE_LABEL, amount="8,40", vat_bp="550", method=str(cash))
    wait_until(lambda: any(m["name"] == "flow.add" for m in outbox(page)), "the expense is queued")
    queued = outbox(page)
    cashier_devices = {m["device_id"] for m in queued}
    assert len(cashier_devices) == 1, queued
    logout(page)
    assert not cashier_flow_on_server()

    # The manager logs in on the same profile, types the Z number and syncs: no 403, the server has it.
    ctx.set_offline(False)
    login(page, server.url, ADMIN)
    choose_register(page, rid)
    others = len(queued)
    plural = "saisie" if others == 1 else "saisies"
    expect(page.get_by_test_id("sync-detail")).to_contain_text(f"{others} {plural} d’un autre utilisateur en attente")
    open_today(page)
    page.get_by_test_id("z-number").fill(ADMIN_Z)
    page.get_by_test_id("z-number").blur()
    wait_until(lambda: server_day().get("z_number") == ADMIN_Z, "the manager's Z number reaches the server")
    wait_synced(page)
    expect(page.get_by_test_id("sync-detail")).to_contain_text(f"{others} {plural} d’un autre utilisateur en attente")
    # The cashier's entry is still queued, under her own device id, and was not sent.
    left = outbox(page)
    assert {m["device_id"] for m in left} == cashier_devices, left
    assert len(left) == others
    assert not cashier_flow_on_server()
    assert "device_not_yours" not in server.log_text()
    logout(page)

    # The cashier comes back: her queued expense goes out under her device id.
    login(page, server.url, CASHIER)
    wait_synced(page)
    wait_until(cashier_flow_on_server, "the cashier's queued expense reaches the server")
    assert outbox(page) == []
    expect(page.get_by_test_id("sync-detail")).not_to_contain_text(re.compile("autre utilisateur"))
    day = server_day()
    assert day["z_number"] == ADMIN_Z
    assert "device_not_yours" not in server.log_text()
    ctx.close()
