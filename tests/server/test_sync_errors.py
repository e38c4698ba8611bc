"""Push when things go wrong (DOMAIN §7): duplicates, gaps, rejections, a database failure, protocol errors.
After every refused request the device's state and the company's data are exactly as before."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from server.extensions import db
from server.models import Company, Day, Device, Flow, Rejection
from tests.server.test_sync_push import DEVICE, cash_in, day_put, flow_add, push, wire_errors


def snapshot(app: Any, company_id: int) -> tuple:
    """Everything a push may change: the device's last id, the version counter, and the rows written."""
    with app.app_context():
        device = db.session.get(Device, (DEVICE, company_id))
        count = lambda model: len(db.session.execute(db.select(model.id)).all())  # noqa: E731
        version = db.session.get(Company, company_id).server_version
        return device and device.last_mutation_id, version, count(Day), count(Flow), count(Rejection)


@pytest.fixture
def till(auth, demo):
    """The cashier's client, and three flows ready to push."""
    reg, cash = demo["bakery_registers"][0], demo["bakery_methods"]["cash"]
    return auth("caisse@demo.test"), [flow_add(i, reg, cash_in(cash, f"{i}.00")) for i in (1, 2, 3)]


def test_a_resent_batch_is_skipped_as_duplicates(till, demo, app):
    client, batch = till
    assert push(client, demo["bakery"], batch[:2]).status_code == 200
    before = snapshot(app, demo["bakery"])
    r = push(client, demo["bakery"], batch)
    assert [(x["id"], x["status"]) for x in r.json["results"]] == [(1, "duplicate"), (2, "duplicate"), (3, "applied")]
    after = snapshot(app, demo["bakery"])
    assert after[0] == 3 and after[3] == before[3] + 1  # one flow more, none doubled
    assert push(client, demo["bakery"], batch).json["results"] == [
        {"id": i, "status": "duplicate", "message": "Déjà traitée."} for i in (1, 2, 3)]
    assert snapshot(app, demo["bakery"])[1:] == after[1:]


def test_a_gap_stops_the_batch_until_the_missing_mutation_arrives(till, demo, app):
    client, batch = till
    before = snapshot(app, demo["bakery"])
    r = push(client, demo["bakery"], batch[1:])
    assert r.status_code == 200 and r.json["gap_at"] == 2 and r.json["results"] == []
    assert r.json["last_mutation_id"] == 0 and wire_errors("sync-push-response.schema.json", r.json) == []
    assert snapshot(app, demo["bakery"]) == before
    r = push(client, demo["bakery"], batch)
    assert r.json["gap_at"] is None and [x["status"] for x in r.json["results"]] == ["applied"] * 3


def test_a_rejection_still_advances_the_last_processed_id(till, demo, app):
    client, batch = till
    reg = demo["bakery_registers"][0]
    closed_monday = day_put(2, reg, {"z_number": "Z"}, on="2025-03-17")  # the bakery is closed on Mondays
    r = push(client, demo["bakery"], [batch[0], closed_monday, {**batch[2], "id": 3}])
    assert [x["status"] for x in r.json["results"]] == ["applied", "rejected", "applied"]
    assert r.json["results"][1]["code"] == "not_opening_day" and r.json["last_mutation_id"] == 3
    last, _version, _days, flows, rejections = snapshot(app, demo["bakery"])
    assert (last, flows, rejections) == (3, 2, 1)
    again = push(client, demo["bakery"], [closed_monday])  # re-sent: a duplicate, not a second rejection
    assert again.json["results"][0]["status"] == "duplicate" and snapshot(app, demo["bakery"])[4] == 1


@pytest.fixture
def failing_database(app):
    """Fault injection at the driver boundary: the first INSERT of flows (one executemany per change-set) fails as
    if the server went away, after other writes of the change-set (the version counter, the device) went out."""
    with app.app_context():
        engine = db.engine
    seen = []

    def explode(conn, cursor, statement, parameters, context, executemany):
        verb = statement.lstrip().upper()
        if verb.startswith(("INSERT", "UPDATE")):
            seen.append(statement)
            first = not any(s.upper().startswith("INSERT INTO FLOWS") for s in seen[:-1])
            if verb.startswith("INSERT INTO FLOWS") and first:
                raise OperationalError(statement, parameters, Exception("server closed the connection unexpectedly"))

    event.listen(engine, "before_cursor_execute", explode)
    yield seen
    event.remove(engine, "before_cursor_execute", explode)


def test_a_database_failure_answers_503_and_advances_nothing(till, demo, app, failing_database):
    client, batch = till
    push(client, demo["bakery"], [day_put(1, demo["bakery_registers"][0], {"z_number": "Z-1"})])
    before = snapshot(app, demo["bakery"])
    moved = [{**m, "id": m["id"] + 1} for m in batch]
    r = push(client, demo["bakery"], moved)
    assert r.status_code == 503 and r.json["code"] == "temporary_failure"
    assert len(failing_database) > 1  # other rows were written, inside the transaction, then rolled back
    assert snapshot(app, demo["bakery"]) == before
    r = push(client, demo["bakery"], moved)  # the device retries the same batch: now it goes through
    assert r.status_code == 200 and [x["status"] for x in r.json["results"]] == ["applied"] * 3
    assert snapshot(app, demo["bakery"])[3] == 3


def test_another_company_is_404(till, demo, app, auth):
    _client, batch = till
    before = snapshot(app, demo["bakery"])
    outsider = auth("cafe@demo.test")
    r = push(outsider, demo["bakery"], batch)
    assert r.status_code == 404 and r.json["code"] == "not_found" and r.json["message"]
    assert push(outsider, 999_999, batch).status_code == 404
    assert snapshot(app, demo["bakery"]) == before


def refused(client: Any, body: Any, raw: bytes | None = None) -> Any:
    if raw is not None:
        return client.post("/api/sync/push", data=raw, headers={"Content-Type": "application/json"})
    return client.post("/api/sync/push", json=body)


@pytest.mark.parametrize("change, status, code, field", [
    (lambda b: {**b, "mutations": b["mutations"][::-1]}, 409, "ids_going_backwards", "mutations"),
    (lambda b: {**b, "mutations": [b["mutations"][0], b["mutations"][0]]}, 409, "ids_going_backwards", "mutations"),
    (lambda b: {**b, "mutations": [{**b["mutations"][0], "name": "day.delete"}]}, 422, "unknown_mutation",
     "mutations[0].name"),
    (lambda b: {**b, "schema": 2}, 422, "schema_version", "schema"),
    (lambda b: {**b, "mutations": {"1": b["mutations"][0]}}, 422, "validation_error", "mutations"),
    (lambda b: {k: v for k, v in b.items() if k != "device_id"}, 422, "validation_error", "device_id"),
    (lambda b: {**b, "device_id": "my-phone"}, 422, "validation_error", "device_id"),
    (lambda b: {**b, "company_id": "1"}, 422, "validation_error", "company_id"),
    (lambda b: {**b, "mutations": [{**b["mutations"][0], "id": 0}]}, 422, "validation_error", "mutations.0.id"),
    (lambda b: {**b, "mutations": [{"id": 1, "name": "flow.add"}]}, 422, "validation_error", "mutations.0.args"),
    (lambda b: {**b, "colour": "blue"}, 422, "validation_error", "colour"),
    (lambda b: [b], 422, "validation_error", "_schema"),
])
def test_protocol_errors_name_the_problem_and_change_nothing(till, demo, app, change, status, code, field):
    client, batch = till
    push(client, demo["bakery"], batch[:1])
    before = snapshot(app, demo["bakery"])
    body = {"schema": 1, "company_id": demo["bakery"], "device_id": DEVICE, "mutations": batch[1:]}
    r = refused(client, change(body))
    assert (r.status_code, r.json["code"]) == (status, code), r.json
    assert field in r.json["errors"] and r.json["message"]
    assert snapshot(app, demo["bakery"]) == before


def test_a_body_that_is_not_json_is_400(till, demo, app):
    client, _batch = till
    before = snapshot(app, demo["bakery"])
    r = refused(client, None, raw=b'{"schema": 1, "mutations": [')
    assert r.status_code == 400 and r.json["code"] == "bad_request" and r.json["message"]
    assert snapshot(app, demo["bakery"]) == before
