"""Every "today" the server judges is the shop's calendar date (SHOP_TIMEZONE), not the machine's UTC date.

Each test sets a zone whose date differs from UTC's at the moment it runs. The missing days and the firm's days
left open fail on a server that calls `date.today()`; the close-before-its-date check already used the shop's date
(a CI run at 23:10 UTC found the test, not the check, on UTC) and is kept here as a guard.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from server.extensions import db
from server.models import Register
from server.services.calendar import opening_days
from tests.server.shop_clock import shop_today, zone_off_utc_date
from tests.server.test_backoffice_api import add_day


@pytest.fixture
def zone(app, monkeypatch) -> str:
    name = zone_off_utc_date()
    monkeypatch.setitem(app.config, "SHOP_TIMEZONE", name)
    assert shop_today(name) != datetime.now(UTC).date()
    return name


def test_a_day_closes_on_its_shop_date_and_not_the_day_before(zone, auth, demo):
    today = shop_today(zone)
    cashier = auth("caisse@demo.test")
    url = f"/api/companies/{demo['bakery']}/registers/{demo['bakery_registers'][0]}/days"
    early = cashier.post(f"{url}/{(today + timedelta(days=1)).isoformat()}/close", json={})
    assert early.json["errors"]["findings"] == ["Une journée ne se clôture pas avant sa date."]
    on_time = cashier.post(f"{url}/{today.isoformat()}/close", json={})
    assert "Une journée ne se clôture pas avant sa date." not in on_time.json.get("errors", {}).get("findings", [])


def test_the_missing_days_of_a_register_stop_at_the_shop_date(zone, auth, demo, app):
    today = shop_today(zone)
    start, register_id = today - timedelta(days=10), demo["bakery_registers"][0]
    span = {"from": start.isoformat(), "to": (today + timedelta(days=5)).isoformat()}
    r = auth("gerant@demo.test").get(f"/api/companies/{demo['bakery']}/registers/{register_id}/days",
                                     query_string=span)
    assert r.status_code == 200, r.json
    with app.app_context():
        register = db.session.get(Register, register_id)
        expected = [d.isoformat() for d in opening_days(register.company, start, today, register)]
    assert r.json["missing"] == expected


def test_the_firm_counts_a_day_left_open_from_the_shop_date(zone, auth, demo, app):
    today = shop_today(zone)
    add_day(app, demo, today, "open", 100)
    add_day(app, demo, today - timedelta(days=1), "open", 100)
    rows = {r["name"]: r for r in auth("cabinet@demo.test").get("/api/firm/companies").json}
    assert rows["Boulangerie du Marché"]["open_past"] == 1  # yesterday's, not today's
    board = auth("cabinet@demo.test").get(
        f"/api/firm/reports/dashboard?year={today.year}&month={today.month}").json
    if (today - timedelta(days=1)).month == today.month:
        bakery = next(c for c in board["companies"] if c["name"] == "Boulangerie du Marché")
        assert bakery["open_days_late"] == 1, bakery
