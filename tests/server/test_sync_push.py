"""POST /api/sync/push: a device's batch applied in one transaction, answered as schema/sync-push-response says;
conflicts stored as rejections, and their resolution by an admin (mine / server)."""

from __future__ import annotations

import uuid
from typing import Any

from jsonschema import Draft202012Validator

from server.extensions import db
from server.models import Day, Device, Flow, Rejection
from tests.server.test_sync_schema_agreement import JSON_SCHEMAS, REGISTRY

DEVICE, OTHER = "6f1c2a7e-3b4d-4c5e-8f90-1a2b3c4d5e6f", "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
FRIDAY = "2025-03-14"


def wire_errors(name: str, body: Any) -> list[str]:
    validator = Draft202012Validator(JSON_SCHEMAS[name], registry=REGISTRY,
                                     format_checker=Draft202012Validator.FORMAT_CHECKER)
    return [error.message for error in validator.iter_errors(body)]


def push(client: Any, company_id: int, mutations: list[dict], device: str = DEVICE, **body: Any) -> Any:
    return client.post("/api/sync/push", json={"schema": 1, "company_id": company_id, "device_id": device,
                                                "mutations": mutations, **body})


def pull(client: Any, company_id: int, cookie: int | None = None, device: str = DEVICE, **body: Any) -> Any:
    return client.post("/api/sync/pull", json={"schema": 1, "company_id": company_id, "device_id": device,
                                                "cookie": cookie, **body})


def day_put(mid: int, register_id: int, fields: dict, base: int = 0, on: str = FRIDAY) -> dict:
    return {"id": mid, "name": "day.put", "client_time": "2025-03-14T17:02:11Z",
            "args": {"register_id": register_id, "date": on, "base_revision": base, "fields": fields}}


def flow_add(mid: int, register_id: int, flow: dict, on: str = FRIDAY) -> dict:
    return {"id": mid, "name": "flow.add", "args": {"register_id": register_id, "date": on, "flow": flow}}


def cash_in(method_id: int, amount: Any = "10.00", **extra: Any) -> dict:
    return {"id": str(uuid.uuid4()), "kind": "cash_in", "amount": amount, "method_id": method_id, **extra}


def last_id(app: Any, company_id: int, device: str = DEVICE) -> int:
    with app.app_context():
        row = db.session.get(Device, (device, company_id))
        return row.last_mutation_id if row else 0


def test_a_batch_is_applied_and_answered_as_the_schema_says(auth, demo, app):
    reg, cash = demo["bakery_registers"][0], demo["bakery_methods"]["cash"]
    flows = [cash_in(cash, "12.34"), cash_in(cash, 5, owner=True)]
    batch = [day_put(1, reg, {"z_number": "Z-0412", "sales_count": 150,
                              "sales": [{"category_id": demo["bakery_categories"][0], "amount": "633.00"}]}),
             flow_add(2, reg, flows[0]), flow_add(3, reg, flows[1])]
    r = push(auth("caisse@demo.test"), demo["bakery"], batch)  # a cashier may push
    assert r.status_code == 200, r.json
    assert wire_errors("sync-push-response.schema.json", r.json) == []
    assert r.json == {"schema": 1, "last_mutation_id": 3, "gap_at": None,
                      "results": [{"id": 1, "status": "applied"}, {"id": 2, "status": "applied"},
                                  {"id": 3, "status": "applied"}]}
    assert last_id(app, demo["bakery"]) == 3
    with app.app_context():
        day = db.session.execute(db.select(Day).where(Day.register_id == reg)).scalar_one()
        assert (day.z_number, day.sales_count, day.revision) == ("Z-0412", 150, 1)
        amounts = {f.id: (f.amount_cents, f.owner, f.device_id) for f in db.session.execute(db.select(Flow)).scalars()}
        assert amounts == {flows[0]["id"]: (1234, False, DEVICE), flows[1]["id"]: (500, True, DEVICE)}


def test_an_empty_batch_answers_the_last_id(auth, demo, app):
    client = auth("caisse@demo.test")
    push(client, demo["bakery"], [flow_add(1, demo["bakery_registers"][0], cash_in(demo["bakery_methods"]["cash"]))])
    r = push(client, demo["bakery"], [])
    assert r.status_code == 200 and r.json == {"schema": 1, "last_mutation_id": 1, "results": [], "gap_at": None}


def test_bad_args_reject_the_mutation_not_the_batch(auth, demo, app):
    """The outbox must move on: wrong args are a permanent failure of one mutation (code `invalid`)."""
    reg, cash = demo["bakery_registers"][0], demo["bakery_methods"]["cash"]
    batch = [flow_add(1, reg, cash_in(cash, "-3.00")), flow_add(2, reg, cash_in(cash, "1.999")),
             flow_add(3, reg, cash_in(cash))]
    r = push(auth("caisse@demo.test"), demo["bakery"], batch)
    assert r.status_code == 200 and wire_errors("sync-push-response.schema.json", r.json) == []
    assert [(x["status"], x.get("code")) for x in r.json["results"]] == [
        ("rejected", "invalid"), ("rejected", "invalid"), ("applied", None)]
    assert "montant" in r.json["results"][0]["message"].lower()
    assert r.json["last_mutation_id"] == 3


def test_the_same_flow_under_a_new_mutation_id_is_not_doubled(auth, demo, app):
    """Rule 1: same UUID, same content = the same intention delivered twice; other content = duplicate_flow."""
    client, reg, cash = auth("caisse@demo.test"), demo["bakery_registers"][0], demo["bakery_methods"]["cash"]
    flow = cash_in(cash, "3.00")
    push(client, demo["bakery"], [flow_add(1, reg, flow)])
    r = push(client, demo["bakery"], [flow_add(2, reg, flow), flow_add(3, reg, {**flow, "amount": "4.00"})])
    assert r.status_code == 200, r.json
    outcome = [(x["status"], x.get("code")) for x in r.json["results"]]
    assert outcome == [("duplicate", None), ("rejected", "duplicate_flow")]
    with app.app_context():
        assert [f.amount_cents for f in db.session.execute(db.select(Flow)).scalars()] == [300]


def test_bearer_token_push_needs_no_csrf_but_a_cookie_session_does(auth, demo, app):
    client = auth("caisse@demo.test")
    token = client.post("/api/auth/tokens", json={"name": "tiroir"}).json["token"]
    client.csrf = None
    assert push(client, demo["bakery"], []).status_code == 403
    r = app.test_client().post("/api/sync/push", headers={"Authorization": f"Bearer {token}"},
                               json={"schema": 1, "company_id": demo["bakery"], "device_id": DEVICE, "mutations": []})
    assert r.status_code == 200
    assert app.test_client().post("/api/sync/push", json={}).status_code == 401


def two_devices_conflict(auth, demo) -> tuple[Any, Any, int]:
    """Device A writes the Z number at revision 0; device B, which also saw revision 0, writes another."""
    reg = demo["bakery_registers"][0]
    client = auth("caisse@demo.test")
    first = push(client, demo["bakery"], [day_put(1, reg, {"z_number": "Z-A"})])
    assert first.json["results"][0]["status"] == "applied"
    r = push(client, demo["bakery"], [day_put(1, reg, {"z_number": "Z-B", "comment": "vu"})], device=OTHER)
    return client, r, reg


def test_a_stale_header_write_is_rejected_with_both_values(auth, demo, app):
    _client, r, _reg = two_devices_conflict(auth, demo)
    result = r.json["results"][0]
    assert (result["status"], result["code"]) == ("rejected", "stale_revision")
    assert result["server_value"]["fields"]["z_number"] == "Z-A" and result["server_value"]["revision"] == 1
    assert r.json["last_mutation_id"] == 1 and wire_errors("sync-push-response.schema.json", r.json) == []
    admin = auth("gerant@demo.test")
    listed = admin.get(f"/api/companies/{demo['bakery']}/rejections").json
    assert len(listed) == 1 and listed[0]["args"]["fields"] == {"z_number": "Z-B", "comment": "vu"}
    assert listed[0]["server_value"]["fields"]["z_number"] == "Z-A"
    assert listed[0]["current_value"]["fields"]["z_number"] == "Z-A" and listed[0]["resolution"] is None
    assert admin.get(f"/api/companies/{demo['bakery']}/rejections?status=resolved").json == []


def test_cashiers_and_other_companies_cannot_see_or_decide(auth, demo, app):
    two_devices_conflict(auth, demo)
    with app.app_context():
        rid = db.session.execute(db.select(Rejection.id)).scalar_one()
    base = f"/api/companies/{demo['bakery']}/rejections"
    cashier, outsider = auth("caisse@demo.test"), auth("cafe@demo.test")
    assert cashier.get(base).status_code == 403
    assert cashier.post(f"{base}/{rid}/resolve", json={"choice": "server"}).status_code == 403
    assert outsider.get(base).status_code == 404
    assert outsider.post(f"/api/companies/{demo['cafe']}/rejections/{rid}/resolve",
                         json={"choice": "server"}).status_code == 404
    assert auth("gerant@demo.test").post(f"{base}/{rid}/resolve", json={"choice": "maybe"}).status_code == 422


def test_resolving_server_keeps_the_day_and_reaches_the_device(auth, demo, app):
    client, _r, _reg = two_devices_conflict(auth, demo)
    cookie = pull(client, demo["bakery"], device=OTHER).json["cookie"]
    with app.app_context():
        rid = db.session.execute(db.select(Rejection.id)).scalar_one()
    admin = auth("gerant@demo.test")
    r = admin.post(f"/api/companies/{demo['bakery']}/rejections/{rid}/resolve", json={"choice": "server"})
    assert r.status_code == 200 and r.json["resolution"] == "server" and r.json["resolved_at"]
    assert r.json["current_value"]["fields"]["z_number"] == "Z-A"
    again = admin.post(f"/api/companies/{demo['bakery']}/rejections/{rid}/resolve", json={"choice": "mine"})
    assert again.status_code == 409 and again.json["code"] == "resolution_error"
    seen = pull(client, demo["bakery"], cookie, device=OTHER).json
    assert [x["resolution"] for x in seen["rejections"]] == ["server"]
    assert pull(client, demo["bakery"], seen["cookie"], device=OTHER).json["rejections"] == []


def test_resolving_mine_reapplies_the_device_value_on_the_current_revision(auth, demo, app):
    client, _r, reg = two_devices_conflict(auth, demo)
    with app.app_context():
        rid = db.session.execute(db.select(Rejection.id)).scalar_one()
    admin = auth("gerant@demo.test")
    r = admin.post(f"/api/companies/{demo['bakery']}/rejections/{rid}/resolve", json={"choice": "mine"})
    assert r.status_code == 200, r.json
    assert r.json["resolution"] == "mine" and r.json["current_value"]["fields"]["z_number"] == "Z-B"
    with app.app_context():
        day = db.session.execute(db.select(Day).where(Day.register_id == reg)).scalar_one()
        row = db.session.get(Rejection, rid)
        assert (day.z_number, day.comment, day.revision) == ("Z-B", "vu", 2)
        assert day.field_versions["z_number"][1].startswith("web:")  # written by the admin, one audit trail
        assert row.resolved_by_id is not None and row.resolution == "mine"


def test_mine_refused_again_says_why_and_stores_nothing(auth, demo, app):
    """Café des Arts has transfers off: keeping the device's transfer is refused again."""
    reg, methods = demo["cafe_registers"][0], demo["bakery_methods"]
    admin = auth("cafe@demo.test")
    with app.app_context():
        from server.models import PaymentMethod
        cash, card = db.session.execute(db.select(PaymentMethod.id).where(
            PaymentMethod.company_id == demo["cafe"]).order_by(PaymentMethod.id)).scalars().all()[:2]
    transfer = {"id": str(uuid.uuid4()), "kind": "transfer", "amount": "5.00", "method_id": cash, "to_method_id": card}
    r = push(admin, demo["cafe"], [flow_add(1, reg, transfer)])
    assert r.json["results"][0]["code"] == "option_disabled" and methods
    with app.app_context():
        rid = db.session.execute(db.select(Rejection.id)).scalar_one()
    again = admin.post(f"/api/companies/{demo['cafe']}/rejections/{rid}/resolve", json={"choice": "mine"})
    assert again.status_code == 409 and again.json["code"] == "rejected_again"
    assert again.json["reason"] == "option_disabled" and "refusée" in again.json["message"]
    with app.app_context():
        assert db.session.get(Rejection, rid).resolution is None
        assert db.session.execute(db.select(Flow)).first() is None


def test_a_mutation_with_bad_args_is_listed_and_refused_again(auth, demo, app):
    bad = {"id": 1, "name": "day.put",
           "args": {"register_id": "Boutique", "date": "14/03/2025", "base_revision": 0, "fields": {}}}
    assert push(auth("caisse@demo.test"), demo["bakery"], [bad]).json["results"][0]["code"] == "invalid"
    admin, base = auth("gerant@demo.test"), f"/api/companies/{demo['bakery']}/rejections"
    listed = admin.get(base).json
    assert listed[0]["args"] == bad["args"] and listed[0]["current_value"] is None
    r = admin.post(f"{base}/{listed[0]['id']}/resolve", json={"choice": "mine"})
    assert r.status_code == 409 and r.json["code"] == "rejected_again" and r.json["errors"]
    assert admin.post(f"{base}/{listed[0]['id']}/resolve", json={"choice": "server"}).json["resolution"] == "server"
