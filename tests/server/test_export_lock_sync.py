"""The exported-period lock over sync: a `day.reopen` pushed for a day of an exported period is a stored
rejection (`forbidden`, server_value `lock: period_exported`) that advances the device; REST answers 403."""

from __future__ import annotations

from datetime import date
from typing import Any

from server.extensions import db
from server.models import Day, Rejection
from tests.server.test_days_api import close_balanced, day_url
from tests.server.test_export import FEC_URL
from tests.server.test_sync_push import DEVICE, last_id, push

EXPORTED, LATER = "2025-03-13", "2025-04-02"


def reopen(mid: int, register_id: int, on: str = EXPORTED, reason: str = "Dépense oubliée") -> dict[str, Any]:
    return {"id": mid, "name": "day.reopen", "args": {"register_id": register_id, "date": on, "reason": reason}}


def lock_and_export(admin: Any, demo: dict[str, Any]) -> None:
    """Close two days, lock exported periods, export March (the April day stays outside the export)."""
    close_balanced(admin, day_url(demo, EXPORTED), demo)
    close_balanced(admin, day_url(demo, LATER), demo)
    assert admin.patch(f"/api/companies/{demo['bakery']}", json={"lock_exported_periods": True}).status_code == 200
    assert admin.get(FEC_URL.format(cid=demo["bakery"], start="2025-03-01", end="2025-03-31")).status_code == 200


def status_of(app: Any, register_id: int, on: str) -> str:
    with app.app_context():
        return db.session.execute(db.select(Day.status).where(
            Day.register_id == register_id, Day.date == date.fromisoformat(on))).scalar_one()


def test_an_admin_s_pushed_reopen_of_an_exported_day_is_a_rejection_that_advances_the_device(app, auth, demo):
    admin, reg = auth("gerant@demo.test"), demo["bakery_registers"][0]
    lock_and_export(admin, demo)
    r = push(admin, demo["bakery"], [reopen(1, reg), reopen(2, reg, LATER, "Hors période exportée")])
    assert r.status_code == 200, r.json
    assert r.json["last_mutation_id"] == 2 and last_id(app, demo["bakery"]) == 2
    refused, applied = r.json["results"]
    assert applied == {"id": 2, "status": "applied"}
    assert (refused["id"], refused["status"], refused["code"]) == (1, "rejected", "forbidden")
    assert refused["server_value"]["lock"] == "period_exported" and refused["server_value"]["status"] == "closed"
    assert "seul le cabinet" in refused["message"]
    assert status_of(app, reg, EXPORTED) == "closed" and status_of(app, reg, LATER) == "open"
    with app.app_context():
        row = db.session.execute(db.select(Rejection).where(Rejection.device_id == DEVICE)).scalar_one()
        assert (row.mutation_id, row.code, row.server_value["lock"]) == (1, "forbidden", "period_exported")


def test_a_firm_admin_s_pushed_reopen_of_an_exported_day_is_applied(app, auth, demo):
    reg = demo["bakery_registers"][0]
    lock_and_export(auth("gerant@demo.test"), demo)
    r = push(auth("cabinet@demo.test"), demo["bakery"], [reopen(1, reg, reason="Correction demandée")])
    assert r.status_code == 200, r.json
    assert r.json["results"] == [{"id": 1, "status": "applied"}] and r.json["last_mutation_id"] == 1
    assert status_of(app, reg, EXPORTED) == "open"


def test_the_rest_reopen_of_an_exported_day_answers_403_period_exported(app, auth, demo):
    admin, reg = auth("gerant@demo.test"), demo["bakery_registers"][0]
    lock_and_export(admin, demo)
    r = admin.post(day_url(demo, EXPORTED) + "/reopen", json={"reason": "Dépense oubliée"})
    assert r.status_code == 403 and r.json["code"] == "period_exported", r.json
    assert "seul le cabinet" in r.json["message"]
    assert status_of(app, reg, EXPORTED) == "closed"
    with app.app_context():  # a REST refusal is an error answer, not a stored rejection
        assert db.session.execute(db.select(db.func.count(Rejection.id))).scalar_one() == 0
