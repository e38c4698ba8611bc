"""Web Push in real Chromium, against the real server and its in-process sender.

Headless Chromium has no push service to subscribe with (PushManager.subscribe needs Google's), so the
browser's push TRANSPORT is the only part replaced: an init script makes `pushManager.subscribe` return a
subscription whose endpoint is our loopback receiver and whose keys are a real P-256 pair held by the test.
Everything else is real: the PWA's toggle posts the subscription, the server raises the alert and pushes
(VAPID + aes128gcm) to the receiver, the test decrypts the message and hands the SAME bytes' plaintext to the
service worker with CDP `ServiceWorker.deliverPushMessage`; the worker shows the French notification
(`registration.getNotifications()`), and its click handler takes the open page to the day."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import LiveServer
from tests.e2e.helpers import (
    ADMIN,
    demo_ids,
    ensure_opening_day,
    first_page,
    login,
    today,
    wait_sw_controlled,
    wait_until,
)
from tests.e2e.test_accessibility import BLOCKING, axe
from tests.server.push_receiver import Device, Receiver, verify_vapid

FAKE_PUSH = """
(subscription) => {
  const fake = {
    endpoint: subscription.endpoint,
    expirationTime: null,
    options: { userVisibleOnly: true },
    toJSON: () => subscription,
    getKey: () => null,
    unsubscribe: async () => { localStorage.removeItem('fake-push'); return true; },
  };
  PushManager.prototype.subscribe = async function () { localStorage.setItem('fake-push', '1'); return fake; };
  PushManager.prototype.getSubscription = async function () {
    return localStorage.getItem('fake-push') ? fake : null;
  };
}
"""


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def push_server(tmp_path: Path, seeded_database: Path, monkeypatch: pytest.MonkeyPatch):
    for name, value in {"CAISSE_PUSH_ALLOW_LOOPBACK": "true", "CAISSE_PUSH_DELAY_SECONDS": "0",
                        "CAISSE_ALERT_SETTLE_SECONDS": "0",
                        "CAISSE_PUSH_POLL_SECONDS": "0.3", "CAISSE_PUSH_INPROCESS": "true",
                        "CAISSE_VAPID_SUBJECT": '"mailto:alertes@cabinet-demo.test"',
                        "CAISSE_VAPID_PRIVATE_KEY_FILE": str(tmp_path / "vapid.pem")}.items():
        monkeypatch.setenv(name, value)
    server = LiveServer(tmp_path, template=seeded_database)
    yield server
    server.stop()


def test_subscribe_push_notification_and_click_opens_the_day(push_server, open_tablet, receiver):
    server = push_server
    admin = server.api(ADMIN)
    demo = demo_ids(server, admin)
    day = today()
    ensure_opening_day(server, demo, day, admin)
    device = Device("/push/tablette")
    ctx = open_tablet("push")
    ctx.grant_permissions(["notifications"], origin=server.url)
    page = first_page(ctx)
    page.goto(server.url + "/#/login")
    page.add_init_script(f"({FAKE_PUSH})({json.dumps(device.subscription(receiver.base))})")
    page.reload()
    login(page, server.url, ADMIN)
    wait_sw_controlled(page)

    # The toggle subscribes this device on the server.
    page.evaluate("() => { location.hash = '#/alerts'; }")
    page.get_by_test_id("push-toggle").check()
    expect(page.get_by_test_id("push-status")).to_have_text("Cet appareil recevra les alertes.")
    subs = admin.get(server.url + "/api/push/subscriptions", timeout=10).json()
    assert [s["endpoint"] for s in subs] == [receiver.base + "/push/tablette"]
    admin.put(server.url + "/api/push/preferences", json={"kinds": ["breakdown_mismatch"]},
              timeout=10).raise_for_status()

    # A write with a breakdown mismatch raises the alert; the in-process sender pushes it.
    url = demo.day_url(server.url, day)
    pain = next(iter(demo.categories.values()))
    r = admin.put(url, json={"base_revision": 0, "sales": [{"category_id": pain, "amount": "100.00"}],
                             "payments": [{"method_id": demo.methods["cash"], "amount": "80.00"}]}, timeout=10)
    assert r.status_code == 200, r.text
    wait_until(lambda: receiver.to("/push/tablette"), "the push service receives the alert", timeout=20)
    [message] = receiver.to("/push/tablette")
    assert message.headers["ttl"] == "86400"
    claims, _key = verify_vapid(message.headers["authorization"])
    assert claims["aud"] == receiver.base and claims["sub"] == "mailto:alertes@cabinet-demo.test"
    payload = device.decrypt(message.body)
    assert payload["title"].startswith("Ventilation déséquilibrée · Boutique · ")
    assert payload["url"] == f"/#/day/{demo.register_id}/{day}"

    # The service worker shows it in French.
    cdp = ctx.new_cdp_session(page)
    registrations: list[dict[str, Any]] = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda e: registrations.extend(e["registrations"]))
    cdp.send("ServiceWorker.enable")
    for _ in range(100):  # CDP events arrive while Playwright runs: wait through it, not with time.sleep
        if any(r.get("scopeURL", "").startswith(server.url) for r in registrations):
            break
        page.wait_for_timeout(100)
    [registration] = {r["registrationId"]: r for r in registrations if r["scopeURL"].startswith(server.url)}.values()
    shown: list[dict[str, Any]] = []
    worker = ctx.service_workers[0]
    for _attempt in range(3):  # CDP may hand the message to a worker still starting: the tag makes a resend harmless
        cdp.send("ServiceWorker.deliverPushMessage", {"origin": server.url + "/",
                                                      "registrationId": registration["registrationId"],
                                                      "data": json.dumps(payload, ensure_ascii=False)})
        for _ in range(50):
            shown[:] = worker.evaluate("""async () => (await self.registration.getNotifications())
                .map((n) => ({title: n.title, body: n.body, lang: n.lang, tag: n.tag, data: n.data}))""")
            if shown:
                break
            page.wait_for_timeout(100)
        if shown:
            break
    assert shown, "the service worker showed no notification"
    assert shown[0]["title"] == payload["title"] and shown[0]["body"].startswith("Ventilation déséquilibrée : ")
    assert shown[0]["lang"] == "fr" and shown[0]["data"]["url"] == payload["url"]

    # The alert centre lists it, with the badge.
    page.evaluate("() => { location.hash = '#/help'; }")
    page.evaluate("() => { location.hash = '#/alerts'; }")
    expect(page.get_by_test_id("alert-item").filter(has_text="Ventilation déséquilibrée")).to_have_count(1)
    expect(page.get_by_test_id("nav-alerts")).to_have_text(re.compile(r"^Alertes \(\d+\)$"))
    violations = [v for v in axe(page) if v["impact"] in BLOCKING]
    assert not violations, json.dumps(violations, ensure_ascii=False, indent=1)

    # Its click takes the open page to the day.
    page.evaluate("() => { location.hash = '#/'; }")
    worker.evaluate("async () => { const [n] = await self.registration.getNotifications();"
                    " await self.caisseOpenFromNotification(n); }")
    expect(page).to_have_url(re.compile(rf"#/day/{demo.register_id}/{day}$"))
    expect(page.get_by_test_id("z-number")).to_be_visible()

    # Resolve it with a note from the centre, filtered on its kind; then unsubscribe this device.
    page.evaluate("() => { location.hash = '#/alerts'; }")
    page.get_by_test_id("filter-kind").select_option("breakdown_mismatch")
    expect(page.locator("[data-testid=alert-centre-list][aria-busy=false]")).to_have_count(1)
    item = page.get_by_test_id("alert-item").filter(has_text="Ventilation déséquilibrée")
    item.get_by_test_id("resolve-note").fill("Ticket Z ressaisi")
    item.get_by_test_id("resolve-alert").click()
    expect(page.get_by_test_id("alert-centre-empty")).to_be_visible()
    page.screenshot(path=str(server.workdir / "alert-centre.png"))
    page.get_by_test_id("push-toggle").uncheck()
    expect(page.get_by_test_id("push-status")).to_have_text("Cet appareil ne recevra plus les alertes.")
    assert admin.get(server.url + "/api/push/subscriptions", timeout=10).json() == []
    assert "Traceback" not in server.log_text()
