"""The firm dashboard's « dernière synchro »: the last time one of the company's devices synced, none without any."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from server.extensions import db
from server.models import Device
from tests.server.test_sync_push import DEVICE, cash_in, flow_add, push


def test_last_sync_is_the_latest_device_of_the_company(app, auth, demo):
    cashier = auth("caisse@demo.test")
    mutation = flow_add(1, demo["bakery_registers"][0], cash_in(demo["bakery_methods"]["cash"]))
    r = push(cashier, demo["bakery"], [mutation])
    assert r.status_code == 200, r.json
    with app.app_context():
        seen = db.session.get(Device, (DEVICE, demo["bakery"])).last_seen_at
    board = auth("cabinet@demo.test").get("/api/firm/reports/dashboard?year=2025&month=3").json
    rows = {row["company_id"]: row for row in board["companies"]}
    bakery, cafe = rows[demo["bakery"]], rows[demo["cafe"]]
    assert cafe["last_sync"] is None  # no device of the café ever synced
    synced = datetime.fromisoformat(bakery["last_sync"])
    assert synced.replace(tzinfo=None) == seen.replace(tzinfo=None)
    now = datetime.now(UTC).replace(tzinfo=None)
    assert now - timedelta(minutes=5) < synced.replace(tzinfo=None) <= now + timedelta(seconds=5)
