"""axe-core on every main screen: no serious or critical violation (the whole list is printed when one is)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from tests.e2e.conftest import ROOT, _require
from tests.e2e.helpers import (
    ADMIN,
    CASHIER,
    demo_ids,
    ensure_opening_day,
    first_page,
    login,
    open_day,
    today,
    type_amount,
    wait_synced,
)

AXE = ROOT / "pwa" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}


def axe(page: Page) -> list[dict[str, Any]]:
    """Run axe-core (WCAG 2.x A/AA and best practices) on the page as it is now."""
    if not page.evaluate("() => Boolean(window.axe)"):
        # Through the DevTools protocol, not a <script> tag: the app's CSP refuses inline scripts, as it should.
        page.evaluate(f"() => {{ {AXE.read_text()}\n; window.axe = axe; }}")
    return list(page.evaluate("""async () => {
      const result = await window.axe.run(document, {
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']},
        resultTypes: ['violations'],
      });
      return result.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map((n) => ({target: n.target.join(' '), summary: n.failureSummary}))}));
    }"""))


def report(screen: str, violations: list[dict[str, Any]]) -> str:
    return f"{screen}: every axe violation:\n" + json.dumps(violations, ensure_ascii=False, indent=1)


def test_main_screens_have_no_serious_violation(live_server, open_tablet, artifacts: Path):
    _require(AXE.exists(), "axe-core is not installed (cd pwa && npm ci)")
    server = live_server
    admin = server.api("gerant@demo.test")
    demo = demo_ids(server, admin)
    date = today()
    ensure_opening_day(server, demo, date, admin)
    ctx = open_tablet("a11y")
    page = first_page(ctx)
    found: dict[str, list[dict[str, Any]]] = {}

    page.goto(server.url + "/#/login")
    expect(page.get_by_test_id("login-email")).to_be_visible()
    found["login"] = axe(page)

    login(page, server.url, CASHIER)
    wait_synced(page)
    expect(page.get_by_test_id("recent-days")).to_be_visible()
    found["home"] = axe(page)

    open_day(page, demo.register_id, date)
    cash = demo.methods["cash"]
    page.get_by_test_id("z-number").fill("Z-1")
    type_amount(page, f"sales-{demo.categories['Pain']}", "100")
    type_amount(page, f"payment-{cash}", "90")  # a gap and a difference: findings and error states show
    type_amount(page, f"count-{cash}", "80")
    page.get_by_test_id(f"grid-toggle-{cash}").locator("summary").click()
    expect(page.get_by_test_id("finding-breakdown_mismatch")).to_be_visible()
    found["day"] = axe(page)

    page.get_by_test_id("nav-history").click()
    expect(page.get_by_test_id("calendar")).to_be_visible()
    found["history"] = axe(page)

    (artifacts / "axe-violations.json").write_text(json.dumps(found, ensure_ascii=False, indent=1))
    blocking = {screen: [v for v in violations if v["impact"] in BLOCKING] for screen, violations in found.items()}
    assert not any(blocking.values()), "\n".join(report(s, v) for s, v in found.items())

    # The harness itself: a picture with no text alternative must be caught.
    page.evaluate("() => { const img = document.createElement('img'); img.src = '/icons/icon-192.png';"
                  " document.querySelector('main').append(img); }")
    assert any(v["id"] == "image-alt" and v["impact"] == "critical" for v in axe(page))


def test_login_and_export_screens_have_no_serious_violation_on_a_phone_and_a_desktop(
        live_server, open_tablet, artifacts: Path):
    """The login screen (820 px above) and the export screen, at 390 px (a phone) and 1440 px (a desktop)."""
    _require(AXE.exists(), "axe-core is not installed (cd pwa && npm ci)")
    server = live_server
    found: dict[str, list[dict[str, Any]]] = {}
    for width, height in ((390, 844), (1440, 900)):
        page = first_page(open_tablet(f"a11y-{width}", (width, height)))
        page.goto(server.url + "/#/login")
        expect(page.get_by_test_id("login-email")).to_be_visible()
        found[f"login-{width}"] = axe(page)
        page.screenshot(path=str(artifacts / f"a11y-login-{width}.png"), full_page=True)

        login(page, server.url, ADMIN)
        wait_synced(page)
        page.goto(server.url + "/#/export")
        expect(page.get_by_role("heading", name="Export comptable")).to_be_visible()
        expect(page.get_by_test_id("export-download")).to_be_visible()
        found[f"export-{width}"] = axe(page)
        # With the refusal shown (a period still holding an open day… or nothing to export): its state too.
        page.get_by_test_id("export-from").fill("2025-03-01")
        page.get_by_test_id("export-to").fill("2025-03-31")
        page.get_by_test_id("export-download").click()
        expect(page.get_by_test_id("export-status")).not_to_be_empty()
        expect(page.get_by_test_id("export-status")).not_to_have_text("Préparation du fichier…")
        found[f"export-status-{width}"] = axe(page)
        # The file's SHA-256 wraps on a phone; the history table scrolls inside its own region.
        wide = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert wide <= 0, f"the export screen scrolls sideways by {wide} px at {width} px"
        page.screenshot(path=str(artifacts / f"a11y-export-{width}.png"), full_page=True)

    (artifacts / "axe-violations-widths.json").write_text(json.dumps(found, ensure_ascii=False, indent=1))
    assert set(found) == {f"{s}-{w}" for s in ("login", "export", "export-status") for w in (390, 1440)}
    blocking = {screen: [v for v in violations if v["impact"] in BLOCKING] for screen, violations in found.items()}
    assert not any(blocking.values()), "\n".join(report(s, v) for s, v in found.items() if blocking[s])
