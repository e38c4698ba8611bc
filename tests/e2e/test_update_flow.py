"""A new version of the service worker waits for the user's « Recharger », and never goes in while
cash entries are still unsent."""

from __future__ import annotations

import re
import time
import uuid
from typing import Any

from playwright.sync_api import Page, expect

from tests.e2e.helpers import (
    CASHIER,
    demo_ids,
    ensure_opening_day,
    first_page,
    login,
    open_day,
    today,
    wait_queued,
    wait_sw_controlled,
    wait_synced,
)

REGISTRATION_JS = """async () => {
  const r = await navigator.serviceWorker.getRegistration();
  const info = (w) => (w ? { url: w.scriptURL, state: w.state } : null);
  return { active: info(r && r.active), waiting: info(r && r.waiting), installing: info(r && r.installing),
           controller: info(navigator.serviceWorker.controller) };
}"""


class Workers:
    """Service worker versions as the browser's DevTools protocol reports them (one id per version)."""

    def __init__(self, ctx: Any, page: Page) -> None:
        self.versions: dict[str, dict[str, Any]] = {}
        self.cdp = ctx.new_cdp_session(page)
        self.cdp.on("ServiceWorker.workerVersionUpdated", self._updated)
        self.cdp.send("ServiceWorker.enable")

    def _updated(self, event: dict[str, Any]) -> None:
        for v in event["versions"]:
            self.versions[v["versionId"]] = v

    def with_status(self, status: str) -> list[str]:
        return sorted(vid for vid, v in self.versions.items() if v["status"] == status)

    def wait(self, page: Page, predicate, what: str, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return
            page.wait_for_timeout(100)
        raise AssertionError(f"{what}: {self.versions}")


def publish_new_version(server: Any) -> str:
    """The next deploy: same worker, other bytes (a new build id)."""
    build = uuid.uuid4().hex
    path = server.dist / "sw.js"
    path.write_text(path.read_text() + f"\n// build {build}\n")
    return build


def check_for_update(page: Page) -> None:
    page.evaluate("async () => { const r = await navigator.serviceWorker.getRegistration(); await r.update(); }")


def start(live_server, open_tablet, name: str) -> tuple[Any, Page, Workers, dict[str, Any]]:
    ctx = open_tablet(name)
    page = first_page(ctx)
    page.goto(live_server.url + "/")
    login(page, live_server.url, CASHIER)
    wait_synced(page)
    wait_sw_controlled(page)
    workers = Workers(ctx, page)
    workers.wait(page, lambda: len(workers.with_status("activated")) == 1, "one active worker")
    return ctx, page, workers, page.evaluate(REGISTRATION_JS)


def new_version_waits(live_server, page: Page, workers: Workers) -> tuple[str, str]:
    """Publish, look for updates: the banner shows and the new worker waits. Returns (old, new) version ids."""
    [old] = workers.with_status("activated")
    publish_new_version(live_server)
    check_for_update(page)
    banner = page.get_by_test_id("update-banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("Mise à jour disponible")
    expect(page.get_by_test_id("update-reload")).to_be_visible()
    workers.wait(page, lambda: len(workers.with_status("installed")) == 1, "a new worker installed and waiting")
    [new] = workers.with_status("installed")
    assert new != old
    return old, new


def assert_still_waiting(page: Page, workers: Workers, old: str, new: str, before: dict[str, Any]) -> None:
    reg = page.evaluate(REGISTRATION_JS)
    assert reg["waiting"] is not None and reg["waiting"]["state"] == "installed", reg
    assert reg["active"] == before["active"] and reg["controller"] == before["controller"], reg
    assert workers.versions[old]["status"] == "activated"
    assert workers.versions[new]["status"] == "installed"


def test_new_version_waits_for_recharger(live_server, open_tablet):
    ctx, page, workers, before = start(live_server, open_tablet, "update")
    old, new = new_version_waits(live_server, page, workers)
    assert_still_waiting(page, workers, old, new, before)

    # Neither time nor a plain reload lets it in: old pages must not meet new code.
    page.wait_for_timeout(1000)
    assert_still_waiting(page, workers, old, new, before)
    page.reload()
    expect(page.get_by_test_id("update-banner")).to_contain_text("Mise à jour disponible")
    assert_still_waiting(page, workers, old, new, before)

    # « Recharger »: the new worker takes over and the page reloads onto it.
    page.evaluate("() => { window.__beforeUpdate = true; }")
    page.get_by_test_id("update-reload").click()
    workers.wait(page, lambda: workers.versions[new]["status"] == "activated", "the new worker activated")
    page.wait_for_function("() => !window.__beforeUpdate && document.readyState === 'complete'")
    wait_sw_controlled(page)
    reg = page.evaluate(REGISTRATION_JS)
    assert reg["waiting"] is None and reg["active"]["state"] == "activated", reg
    workers.wait(page, lambda: workers.versions[old]["status"] == "redundant", "the old worker retired")
    expect(page.get_by_test_id("update-banner")).to_be_hidden()
    expect(page.get_by_test_id("open-today")).to_be_visible()


def test_update_waits_for_unsent_changes(live_server, open_tablet):
    admin = live_server.api("gerant@demo.test")
    demo = demo_ids(live_server, admin)
    date = today()
    ensure_opening_day(live_server, demo, date, admin)
    ctx, page, workers, before = start(live_server, open_tablet, "update-pending")
    open_day(page, demo.register_id, date)
    old, new = new_version_waits(live_server, page, workers)

    # An unsent change: « Recharger » is refused with the reason, the new worker keeps waiting.
    ctx.set_offline(True)
    page.get_by_test_id("z-number").fill("Z-UPD")
    wait_queued(page, demo.register_id, date, {"z_number": "Z-UPD"})
    expect(page.get_by_test_id("pending-count")).not_to_have_text("0")
    page.get_by_test_id("update-reload").click()
    waiting = page.get_by_test_id("update-waiting")
    expect(waiting).to_be_visible()
    expect(waiting).to_have_text(re.compile(r"^1 modification n’est pas encore envoyée au serveur.*Restez connecté"))
    page.wait_for_timeout(1000)
    assert_still_waiting(page, workers, old, new, before)
    expect(page.get_by_test_id("z-number")).to_have_value("Z-UPD")

    # Back online: the change is sent first, then the update goes in by itself.
    page.evaluate("() => { window.__beforeUpdate = true; }")
    ctx.set_offline(False)
    workers.wait(page, lambda: workers.versions[new]["status"] == "activated", "the new worker activated")
    page.wait_for_function("() => !window.__beforeUpdate && document.readyState === 'complete'")
    assert admin.get(demo.day_url(live_server.url, date), timeout=10).json()["z_number"] == "Z-UPD"
    wait_sw_controlled(page)
    expect(page.get_by_test_id("z-number")).to_have_value("Z-UPD")
    wait_synced(page)
