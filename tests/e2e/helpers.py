"""Page helpers for the end-to-end tests: log in, choose a register, open a day, type French amounts,
wait for « Synchronisé », read the device's IndexedDB. Explicit waits on data-testid, no blind sleeps."""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import requests
from playwright.sync_api import Page, expect

CASHIER = "caisse@demo.test"
ADMIN = "gerant@demo.test"
PASSWORD = "demo1234"
BAKERY = "Boulangerie du Marché"
TZ = ZoneInfo("Europe/Paris")  # the tablets run in this zone (conftest: timezone_id)
SPACES = re.compile(r"[\s\u00a0\u202f]+")
# Two Chromiums and gunicorn share two cores: give the web-first assertions some slack (default 5 s).
expect.set_options(timeout=10_000)


def today() -> str:
    """The app's « today »: the tablet's local calendar date."""
    return dt.datetime.now(TZ).date().isoformat()


def norm(text: str) -> str:
    """« 1 234,50 € » with any kind of space → '1 234,50 €' (narrow no-break spaces included)."""
    return SPACES.sub(" ", text).strip()


@dataclass
class Demo:
    """Ids of the demo bakery as the server numbered them."""

    company_id: int
    registers: dict[str, int]
    categories: dict[str, int]
    methods: dict[str, int]  # by kind: cash, card, cheque, meal_voucher, gift_voucher, customer_credit

    @property
    def register_id(self) -> int:
        return self.registers["Boutique"]

    def day_url(self, base: str, date: str, register: str = "Boutique") -> str:
        return f"{base}/api/companies/{self.company_id}/registers/{self.registers[register]}/days/{date}"


def demo_ids(server: Any, admin: requests.Session | None = None) -> Demo:
    s = admin or server.api(ADMIN)
    me = s.get(server.url + "/api/me", timeout=10).json()
    company = next(c for c in me["companies"] if c["name"] == BAKERY)
    cid = company["id"]
    base = f"{server.url}/api/companies/{cid}"
    categories = {c["label"]: c["id"] for c in s.get(base + "/categories", timeout=10).json()}
    methods = {m["kind"]: m["id"] for m in s.get(base + "/payment-methods", timeout=10).json()}
    return Demo(cid, {r["name"]: r["id"] for r in company["registers"]}, categories, methods)


def ensure_opening_day(server: Any, demo: Demo, date: str, admin: requests.Session | None = None) -> None:
    """Make `date` an opening day of the bakery (it closes on Mondays and on a few holidays)."""
    s = admin or server.api(ADMIN)
    base = f"{server.url}/api/companies/{demo.company_id}/calendar"
    pattern = s.get(base, timeout=10).json()["weekly_pattern"]
    exceptions = s.get(base + "/exceptions", timeout=10).json()
    same_day = [e for e in exceptions if e["date"] == date]
    if any(e["is_open"] for e in same_day):
        return
    for e in same_day:  # an exceptional closing (Noël…)
        s.delete(f"{base}/exceptions/{e['id']}", timeout=10).raise_for_status()
    if not pattern[dt.date.fromisoformat(date).weekday()] or same_day:
        r = s.post(base + "/exceptions", json={"date": date, "is_open": True, "label": "Ouverture e2e"}, timeout=10)
        r.raise_for_status()


def first_page(ctx: Any) -> Page:
    page = ctx.pages[0] if ctx.pages else ctx.new_page()
    page.set_default_timeout(15000)
    return page


def login(page: Page, url: str, email: str = CASHIER, password: str = PASSWORD) -> None:
    """Log in from the login screen and wait for the home screen."""
    if not page.url.startswith(url):
        page.goto(url + "/#/login")
    submit_login(page, email, password)
    expect(page.get_by_test_id("open-today")).to_be_visible()


def submit_login(page: Page, email: str, password: str) -> None:
    """Fill the login form and submit it once both fields hold what was typed: a test that navigates right
    after the page loads can meet the app's first render of the login screen, which redraws an empty form."""
    for _attempt in range(5):
        page.get_by_test_id("login-email").fill(email)
        page.get_by_test_id("login-password").fill(password)
        page.wait_for_timeout(50)
        if (page.get_by_test_id("login-email").input_value() == email
                and page.get_by_test_id("login-password").input_value() == password):
            break
    page.get_by_test_id("login-submit").click()


def wait_sw_controlled(page: Page, timeout: float = 15000) -> None:
    """The service worker is active and controls this page (so an offline reload is served by it)."""
    page.wait_for_function(
        "() => navigator.serviceWorker && navigator.serviceWorker.controller"
        " && navigator.serviceWorker.controller.state === 'activated'", timeout=timeout)


def wait_synced(page: Page, timeout: float = 20000) -> None:
    """« Synchronisé à hh:mm » with nothing pending."""
    expect(page.get_by_test_id("sync-status")).to_have_text(re.compile(r"^Synchronisé"), timeout=timeout)
    expect(page.get_by_test_id("pending-count")).to_have_text("0", timeout=timeout)


def choose_register(page: Page, register_id: int) -> None:
    page.get_by_test_id("register-select").select_option(str(register_id))
    expect(page.get_by_test_id("open-today")).to_have_attribute("href", re.compile(rf"#/day/{register_id}/"))


def open_today(page: Page) -> None:
    page.get_by_test_id("open-today").click()
    expect(page.get_by_test_id("z-number")).to_be_visible()


def open_day(page: Page, register_id: int, date: str) -> None:
    page.evaluate("(h) => { location.hash = h; }", f"#/day/{register_id}/{date}")
    expect(page.get_by_test_id("z-number")).to_be_visible()


def type_amount(page: Page, testid: str, text: str) -> None:
    """Type a French amount (« 1 234,50 ») as the cashier would, then leave the field."""
    field = page.get_by_test_id(testid)
    field.click()
    field.fill(text)
    field.blur()


def open_flow_form(page: Page, kind: str) -> Any:
    """Open the section's collapsed « Ajouter » and pick the movement kind, as the cashier taps them."""
    form = page.get_by_test_id(f"form-{kind}")
    if form.is_visible():
        return form
    adder = page.locator("details.adder").filter(has=form)
    if not adder.evaluate("d => d.open"):
        adder.locator("summary").click()
    pick = page.get_by_test_id(f"pick-{kind}")
    if pick.count():
        pick.click()
    expect(form).to_be_visible()
    return form


def add_flow(page: Page, kind: str, **values: str) -> None:
    """Fill the movement form `form-<kind>` (money fields typed, selects chosen, text filled) and add it."""
    form = open_flow_form(page, kind)
    before = page.get_by_test_id("flow-item").count()
    for name, value in values.items():
        testid = f"{kind}-{name.replace('_', '-')}"
        field = form.get_by_test_id(testid)
        tag = field.evaluate("el => el.tagName")
        if tag == "SELECT":
            field.select_option(value)
        elif name == "amount":
            type_amount(page, testid, value)
        else:
            field.fill(value)
    form.get_by_test_id(f"add-{kind}").click()
    expect(page.get_by_test_id("flow-item")).to_have_count(before + 1)


OUTBOX_JS = """async () => {
  const db = await new Promise((ok, ko) => {
    const r = indexedDB.open('caisse');
    r.onsuccess = () => ok(r.result);
    r.onerror = () => ko(r.error);
  });
  try {
    const rows = await new Promise((ok, ko) => {
      const r = db.transaction('queue').objectStore('queue').getAll();
      r.onsuccess = () => ok(r.result);
      r.onerror = () => ko(r.error);
    });
    return rows;
  } finally {
    db.close();
  }
}"""


def outbox(page: Page) -> list[dict[str, Any]]:
    """The device's unsent mutations, read straight from IndexedDB."""
    return list(page.evaluate(OUTBOX_JS))


def queued_fields(page: Page, register_id: int, date: str) -> dict[str, Any]:
    """The header fields of the pending `day.put`s of one day, merged in id order."""
    fields: dict[str, Any] = {}
    for row in sorted(outbox(page), key=lambda r: r["id"]):
        args = row["args"]
        if row["name"] == "day.put" and args["register_id"] == register_id and args["date"] == date:
            fields.update(args["fields"])
    return fields


def wait_queued(page: Page, register_id: int, date: str, expected: dict[str, Any], timeout: float = 10.0) -> None:
    """Wait until the debounced draft reached the outbox with these header values."""
    deadline = time.monotonic() + timeout
    fields: dict[str, Any] = {}
    while time.monotonic() < deadline:
        fields = queued_fields(page, register_id, date)
        if all(fields.get(k) == v for k, v in expected.items()):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"outbox never held {expected!r}; it holds {fields!r}")


def settled_pending(page: Page, quiet: float = 1.0, timeout: float = 10.0) -> int:
    """The outbox size once it stopped moving for `quiet` seconds and the badge shows it.

    The badge follows the outbox asynchronously (the engine reports after each write), and a
    last debounced draft may still land: reading the badge once races both.
    """
    deadline = time.monotonic() + timeout
    size, since = -1, time.monotonic()
    while time.monotonic() < deadline:
        now = len(outbox(page))
        if now != size:
            size, since = now, time.monotonic()
        shown = page.get_by_test_id("pending-count").inner_text()
        if time.monotonic() - since >= quiet and shown == str(size):
            return size
        page.wait_for_timeout(100)
    raise AssertionError(f"outbox never settled: {size} queued, badge shows {shown!r}")


def wait_until(predicate, what: str, timeout: float = 15.0, every: float = 0.1) -> None:
    """Poll `predicate()` (e.g. a check of what the server holds) until true."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(every)
    raise AssertionError(f"timed out waiting: {what}")


def lines(items: list[dict[str, Any]], key: str) -> dict[int, str]:
    """[{category_id, amount}] → {id: '12.30'}: compare lines whatever their order."""
    return {int(i[key]): str(i["amount"]) for i in items or []}
