"""Stored alerts raised from the day's controls: every kind, de-duplication, self-closing, resolution, API.
Run on SQLite and PostgreSQL (`--db=postgres`)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

import pytest

from server.extensions import db
from server.models import Alert, Register, User
from server.services.alerts_schedule import run_schedule
from server.services.mutations import apply_batch
from sync import Mutation

D1, D2 = "2026-03-10", "2026-03-11"  # a Tuesday and a Wednesday: the bakery is open


@pytest.fixture
def reg(app: Any, demo: dict[str, Any]) -> dict[str, Any]:
    """A new bakery register (min 50 €, max 300 €) with no day yet."""
    with app.app_context():
        register = Register(company_id=demo["bakery"], name="Foire", position=9, min_threshold_cents=5000,
                            max_threshold_cents=30000)
        db.session.add(register)
        db.session.commit()
        rid = register.id
    m = demo["bakery_methods"]
    return {"id": rid, "cash": m["cash"], "card": m["card"], "cat": demo["bakery_categories"][0],
            "url": f"/api/companies/{demo['bakery']}/registers/{rid}/days",
            "alerts": f"/api/companies/{demo['bakery']}/alerts"}


def put(client: Any, reg: dict[str, Any], on: str, **fields: Any) -> dict[str, Any]:
    url = f"{reg['url']}/{on}"
    r = client.put(url, json={"base_revision": client.get(url).json["revision"], **fields})
    assert r.status_code == 200, r.json
    return r.json


def sale(reg: dict[str, Any], sales: str, cash: str, card: str = "0") -> dict[str, Any]:
    return {"sales": [{"category_id": reg["cat"], "amount": sales}],
            "payments": [{"method_id": reg["cash"], "amount": cash}, {"method_id": reg["card"], "amount": card}],
            "opening": [{"method_id": reg["cash"], "amount": "100.00"}]}


def alerts_of(client: Any, reg: dict[str, Any], status: str = "all", **query: Any) -> list[dict[str, Any]]:
    r = client.get(reg["alerts"], query_string={"status": status, "register_id": reg["id"], **query})
    assert r.status_code == 200, r.json
    return r.json["alerts"]


def kinds(rows: list[dict[str, Any]], status: str = "open") -> list[str]:
    return sorted(a["kind"] for a in rows if a["status"] == status)


def test_breakdown_mismatch_opens_once_and_closes_itself(auth, reg):
    gerant = auth("gerant@demo.test")
    put(gerant, reg, D1, **sale(reg, "100.00", "80.00"))
    put(gerant, reg, D1, comment="Toujours faux")  # the same condition again: no second alert
    rows = [a for a in alerts_of(gerant, reg) if a["kind"] == "breakdown_mismatch"]
    assert len(rows) == 1 and rows[0]["status"] == "open" and rows[0]["severity"] == "error"
    assert rows[0]["message"].startswith("Ventilation déséquilibrée") and rows[0]["amount"] == "20.00"
    assert rows[0]["day_date"] == D1 and rows[0]["url"] == f"/#/day/{reg['id']}/{D1}"
    put(gerant, reg, D1, **sale(reg, "100.00", "100.00"))
    rows = [a for a in alerts_of(gerant, reg) if a["kind"] == "breakdown_mismatch"]
    assert len(rows) == 1 and rows[0]["status"] == "closed" and rows[0]["resolved_by_id"] is None
    put(gerant, reg, D1, **sale(reg, "100.00", "90.00"))  # it comes back: the same row opens again
    rows = [a for a in alerts_of(gerant, reg) if a["kind"] == "breakdown_mismatch"]
    assert len(rows) == 1 and rows[0]["status"] == "open"


def test_cash_difference_only_beyond_tolerance(app, auth, demo, reg):
    gerant = auth("gerant@demo.test")
    put(gerant, reg, D1, **sale(reg, "100.00", "100.00"), comment="Pièce perdue",
        counts=[{"method_id": reg["cash"], "amount": "199.00"}])  # expected 200.00
    assert "cash_difference" in kinds(alerts_of(gerant, reg))
    with app.app_context():
        from server.models import Company

        db.session.get(Company, demo["bakery"]).cash_tolerance_cents = 200
        db.session.commit()
    put(gerant, reg, D1, counts=[{"method_id": reg["cash"], "amount": "198.50"}])  # 1.50 within 2.00
    assert "cash_difference" not in kinds(alerts_of(gerant, reg))
    assert "cash_difference" in kinds(alerts_of(gerant, reg), "closed")


def test_above_max_closes_when_a_deposit_brings_cash_under(auth, reg):
    gerant = auth("gerant@demo.test")
    put(gerant, reg, D1, **sale(reg, "400.00", "400.00"))  # expected cash 500 € > 300 €
    above = [a for a in alerts_of(gerant, reg, "open") if a["kind"] == "above_max"]
    assert len(above) == 1 and "remise en banque" in above[0]["message"] and above[0]["amount"] == "200.00"
    r = gerant.post(f"{reg['url']}/{D1}/flows", json={"id": str(uuid.uuid4()), "kind": "deposit", "amount": "300.00",
                                                      "method_id": reg["cash"], "slip_number": "B-1"})
    assert r.status_code == 201, r.json
    assert "above_max" not in kinds(alerts_of(gerant, reg)) and "above_max" in kinds(alerts_of(gerant, reg), "closed")


def test_below_min_and_a_newer_day_carries_the_thresholds(auth, reg):
    gerant = auth("gerant@demo.test")
    put(gerant, reg, D1, **{**sale(reg, "50.00", "0", "50.00"), "opening": [{"method_id": reg["cash"],
                                                                            "amount": "20.00"}]})
    assert kinds(alerts_of(gerant, reg, "open", kind="below_min")) == ["below_min"]
    put(gerant, reg, D2, **sale(reg, "500.00", "500.00"))
    rows = alerts_of(gerant, reg)
    old = [a for a in rows if a["day_date"] == D1 and a["kind"] == "below_min"]
    assert old[0]["status"] == "closed"  # the drawer now lives in the newer day
    assert [a["kind"] for a in rows if a["day_date"] == D2 and a["status"] == "open" and a["kind"] != "day_left_open"] \
        == ["above_max"]


def test_day_missing_and_left_open_by_the_scheduler_twice(app, auth, reg):
    gerant = auth("gerant@demo.test")
    put(gerant, reg, D1, **sale(reg, "100.00", "100.00"))
    with app.app_context():
        app.config["ALERT_MISSING_DAY_HOUR"] = 12
        morning = run_schedule(datetime(2026, 3, 13, 9, 0))
        keys = set(db.session.execute(db.select(Alert.key).where(Alert.register_id == reg["id"])).scalars())
        assert f"day_missing:{reg['id']}:2026-03-13:-" not in keys  # before the hour: not yet
        assert {f"day_missing:{reg['id']}:2026-03-11:-", f"day_missing:{reg['id']}:2026-03-12:-",
                f"day_left_open:{reg['id']}:{D1}:-"} <= keys
        first = run_schedule(datetime(2026, 3, 13, 14, 0))
        second = run_schedule(datetime(2026, 3, 13, 14, 5))
        total = db.session.execute(db.select(db.func.count(Alert.id))).scalar()
        assert morning.opened >= 2 and first.opened >= 1 and second.opened == 0  # left_open came with the write
        assert db.session.execute(db.select(db.func.count(Alert.id))).scalar() == total
        assert f"day_missing:{reg['id']}:2026-03-13:-" in set(db.session.execute(
            db.select(Alert.key).where(Alert.register_id == reg["id"])).scalars())
        assert not db.session.execute(db.select(Alert.key).where(  # never before the register's first day
            Alert.register_id == reg["id"], Alert.day_date < date(2026, 3, 10))).first()
    put(gerant, reg, D2, **sale(reg, "100.00", "100.00"))  # entering the day closes its day_missing
    missing = [a for a in alerts_of(gerant, reg, kind="day_missing") if a["day_date"] == D2]
    assert missing[0]["status"] == "closed" and missing[0]["resolved_by_id"] is None


def test_sync_rejection_opens_an_alert_until_decided(app, auth, demo, reg):
    gerant = auth("gerant@demo.test")
    put(gerant, reg, D1, comment="Version du serveur")
    with app.app_context():
        user = db.session.execute(db.select(User).where(User.email == "caisse@demo.test")).scalar_one()
        result = apply_batch(demo["bakery"], user, str(uuid.uuid4()), [Mutation(1, "day.put", {
            "register_id": reg["id"], "date": D1, "base_revision": 0,
            "fields": {"comment": "Version de la tablette"}})])
        assert result.rejected
    rows = alerts_of(gerant, reg, "open", kind="sync_rejection")
    assert len(rows) == 1 and "refusée" in rows[0]["message"] and rows[0]["day_date"] == D1
    rejection = gerant.get(f"/api/companies/{demo['bakery']}/rejections").json[0]
    r = gerant.post(f"/api/companies/{demo['bakery']}/rejections/{rejection['id']}/resolve", json={"choice": "server"})
    assert r.status_code == 200, r.json
    assert alerts_of(gerant, reg, "open", kind="sync_rejection") == []


def test_a_person_resolves_with_a_note_and_the_day_stays_resolved(auth, demo, reg):
    gerant, cashier, outsider = auth("gerant@demo.test"), auth("caisse@demo.test"), auth("cafe@demo.test")
    put(gerant, reg, D1, **sale(reg, "100.00", "80.00"))
    alert = alerts_of(cashier, reg, "open", kind="breakdown_mismatch")[0]  # a cashier reads
    url = f"{reg['alerts']}/{alert['id']}/resolve"
    assert cashier.post(url, json={"note": "vu"}).status_code == 403
    assert outsider.post(url, json={"note": "vu"}).status_code == 404
    assert outsider.get(reg["alerts"]).status_code == 404
    assert outsider.post(f"/api/companies/{demo['cafe']}/alerts/{alert['id']}/resolve",
                         json={"note": "vu"}).status_code == 404  # own company in the URL, not its alert
    r = gerant.post(url, json={"note": "  "})
    assert r.status_code == 422 and "note" in r.json["errors"]
    assert gerant.post(f"{reg['alerts']}/{2**70}/resolve", json={"note": "x"}).status_code == 404
    r = gerant.post(url, json={"note": "Ticket Z ressaisi demain"})
    assert r.status_code == 200, r.json
    assert r.json["status"] == "closed" and r.json["resolution_note"] == "Ticket Z ressaisi demain"
    assert r.json["resolved_by_name"] == "Gérard Boulanger"
    assert gerant.post(url, json={"note": "encore"}).status_code == 409
    put(gerant, reg, D1, comment="rien changé")  # the condition persists: the person's decision holds
    rows = [a for a in alerts_of(gerant, reg) if a["kind"] == "breakdown_mismatch"]
    assert len(rows) == 1 and rows[0]["status"] == "closed"


def test_list_filters_and_hostile_query(auth, reg):
    gerant = auth("gerant@demo.test")
    put(gerant, reg, D1, **sale(reg, "400.00", "380.00"))
    r = gerant.get(reg["alerts"], query_string={"register_id": reg["id"], "kind": "above_max"})
    assert r.status_code == 200 and [a["kind"] for a in r.json["alerts"]] == ["above_max"]
    assert r.json["open_count"] == 1
    for query, name in [({"register_id": 2**70}, "register_id"), ({"kind": "tout"}, "kind"),
                        ({"status": "ouvert"}, "status"), ({"limit": "1e9999"}, "limit")]:
        r = gerant.get(reg["alerts"], query_string=query)
        assert r.status_code == 422 and name in r.json["errors"], (query, r.json)
    summary = gerant.get("/api/alerts/summary").json
    bakery = next(c for c in summary["companies"] if c["name"] == "Boulangerie du Marché")
    assert bakery["open"] >= 2 and summary["total"] >= bakery["open"]
