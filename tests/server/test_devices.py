"""Devices bound to users (no stolen device ids) and no poison pill in a device's outbox."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from server.extensions import db
from server.models import Device, DeviceOwner, Flow, PushFailure, Rejection
from tests.server.test_sync_errors import snapshot
from tests.server.test_sync_push import DEVICE, OTHER, cash_in, flow_add, pull, push, wire_errors


def test_a_device_id_belongs_to_the_user_who_first_pushed_with_it(auth, demo, app):
    cashier, manager = auth("caisse@demo.test"), auth("gerant@demo.test")
    reg, cash = demo["bakery_registers"][0], demo["bakery_methods"]["cash"]
    assert push(cashier, demo["bakery"], [flow_add(1, reg, cash_in(cash, "1.00"))]).status_code == 200
    before = snapshot(app, demo["bakery"])
    # The manager pushing with the cashier's device id: refused, nothing changes.
    r = push(manager, demo["bakery"], [flow_add(2, reg, cash_in(cash, "2.00"))])
    assert r.status_code == 403 and r.json["code"] == "device_not_yours"
    assert snapshot(app, demo["bakery"]) == before
    assert pull(manager, demo["bakery"]).status_code == 403
    # The cashier's real mutation 2 is applied, not answered `duplicate`.
    r = push(cashier, demo["bakery"], [flow_add(2, reg, cash_in(cash, "3.00"))])
    assert [x["status"] for x in r.json["results"]] == ["applied"]
    # The manager's own device works, in any company they may see.
    assert push(manager, demo["bakery"], [flow_add(1, reg, cash_in(cash, "4.00"))], device=OTHER).status_code == 200
    with app.app_context():
        owners = {o.device_id: o.user_id for o in db.session.execute(db.select(DeviceOwner)).scalars()}
        assert len(owners) == 2 and owners[DEVICE] != owners[OTHER]


def test_another_company_does_not_free_a_device_id(auth, demo, app):
    firm_admin, cashier = auth("cabinet@demo.test"), auth("caisse@demo.test")
    reg, cash = demo["bakery_registers"][0], demo["bakery_methods"]["cash"]
    assert push(cashier, demo["bakery"], [flow_add(1, reg, cash_in(cash, "1.00"))]).status_code == 200
    cafe_reg = demo["cafe_registers"][0]
    r = push(firm_admin, demo["cafe"], [flow_add(1, cafe_reg, cash_in(cash, "1.00"))])
    assert r.status_code == 403


@pytest.fixture
def poison(app):
    """Fault injection at the driver boundary: any INSERT of a flow whose reason says « poison » raises an
    unexpected error (a bug, not a validation problem nor the database being down)."""
    with app.app_context():
        engine = db.engine
    seen = []

    def explode(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("INSERT INTO FLOWS") and "poison" in repr(parameters):
            seen.append(statement)
            raise RuntimeError("unexpected server bug")

    event.listen(engine, "before_cursor_execute", explode)
    yield seen
    event.remove(engine, "before_cursor_execute", explode)


def test_a_mutation_failing_with_a_server_error_is_set_aside_after_three_tries(auth, demo, app, poison):
    cashier, manager = auth("caisse@demo.test"), auth("gerant@demo.test")
    reg, cash = demo["bakery_registers"][0], demo["bakery_methods"]["cash"]
    batch = [flow_add(1, reg, cash_in(cash, "1.00")), flow_add(2, reg, cash_in(cash, "2.00", reason="poison")),
             flow_add(3, reg, cash_in(cash, "3.00"))]
    for attempt in (1, 2):
        r = push(cashier, demo["bakery"], batch)
        assert r.status_code == 500 and r.json["code"] == "internal_error"
        with app.app_context():
            failure = db.session.get(PushFailure, (demo["bakery"], DEVICE, 2))
            assert failure.failures == attempt and "unexpected server bug" in failure.last_error
            assert db.session.get(Device, (DEVICE, demo["bakery"])).last_mutation_id == 1  # mutation 1 is kept
    r = push(cashier, demo["bakery"], batch)
    assert r.status_code == 200 and wire_errors("sync-push-response.schema.json", r.json) == []
    assert [(x["id"], x["status"], x.get("code")) for x in r.json["results"]] == [
        (1, "duplicate", None), (2, "rejected", "server_error"), (3, "applied", None)]
    assert r.json["last_mutation_id"] == 3 and "Erreur serveur" in r.json["results"][1]["message"]
    with app.app_context():
        rejection = db.session.execute(db.select(Rejection)).scalar_one()
        assert rejection.code == "server_error" and rejection.args["flow"]["reason"] == "poison"
        assert len(db.session.execute(db.select(Flow)).all()) == 2  # 1 and 3; nothing doubled
    # The device sees it in its pull; an admin sees it in the rejections to decide.
    pulled = pull(cashier, demo["bakery"]).json
    assert [(x["mutation_id"], x["code"]) for x in pulled["rejections"]] == [(2, "server_error")]
    listed = manager.get(f"/api/companies/{demo['bakery']}/rejections?status=pending").json
    assert [(x["mutation_id"], x["code"]) for x in listed] == [(2, "server_error")]
    # Re-sending the batch changes nothing more.
    again = push(cashier, demo["bakery"], batch)
    assert [x["status"] for x in again.json["results"]] == ["duplicate"] * 3


def test_validation_problems_are_not_counted_as_server_errors(auth, demo, app):
    cashier = auth("caisse@demo.test")
    reg = demo["bakery_registers"][0]
    bad = flow_add(1, reg, {"id": "7b0e7c1c-6a9e-4f57-9c2a-1d2e3f4a5b6c", "kind": "cash_in", "amount": "abc"})
    r = push(cashier, demo["bakery"], [bad])
    assert r.status_code == 200 and r.json["results"][0]["code"] == "invalid"
    with app.app_context():
        assert db.session.execute(db.select(PushFailure)).first() is None
