"""The audit trail: one row per write of each kind, written in the write's transaction, never altered."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import text, update
from sqlalchemy.exc import DBAPIError

from server.extensions import db
from server.models import AuditEntry, Day, Rejection
from server.models.audit import AppendOnlyError
from server.services import uow
from server.services.mutations import apply_batch
from sync import Mutation
from tests.server.test_days_api import close_balanced, day_url, user_named, worked_header


def rows(app: Any, **where: Any) -> list[AuditEntry]:
    with app.app_context():
        query = db.select(AuditEntry).order_by(AuditEntry.id)
        for key, value in where.items():
            query = query.where(getattr(AuditEntry, key) == value)
        found = list(db.session.execute(query).scalars())
        db.session.expunge_all()
        return found


def only(app: Any, **where: Any) -> AuditEntry:
    found = rows(app, **where)
    assert len(found) == 1, [(r.action, r.entity, r.entity_id) for r in found]
    return found[0]


def test_day_header_closing_and_reopening_are_audited_with_before_and_after(auth, demo, app):
    client, url = auth("caisse@demo.test"), day_url(demo, "2026-03-10")
    cashier = client.get("/api/me").json["user"]["id"]
    r = client.put(url, json={"base_revision": 0, "z_number": "Z-1"})
    assert r.status_code == 200, r.json
    created = only(app, entity="day", action="create")
    rid = demo["bakery_registers"][0]
    assert (created.entity_id, created.company_id, created.user_id) == (f"{rid}/2026-03-10", demo["bakery"], cashier)
    assert created.device_id == f"web:{cashier}" and created.after == {"z_number": "Z-1"}
    assert created.at.tzinfo is not None
    r = client.put(url, json={"base_revision": r.json["revision"], "z_number": "Z-2", "sales_count": 3})
    assert r.status_code == 200
    updated = only(app, entity="day", action="update")
    assert updated.before == {"z_number": "Z-1", "sales_count": 0}
    assert updated.after == {"z_number": "Z-2", "sales_count": 3}

    assert close_balanced(client, url, demo).status_code == 200
    closed = only(app, entity="day", action="close")
    assert closed.before == {"status": "open"} and closed.after == {"status": "closed"}
    admin = auth("gerant@demo.test")
    assert admin.post(url + "/reopen", json={"reason": "Erreur de comptage"}).status_code == 200
    reopened = only(app, entity="day", action="reopen")
    assert reopened.after == {"status": "open", "reason": "Erreur de comptage"}
    assert reopened.user_id == admin.get("/api/me").json["user"]["id"]


def test_a_pushed_header_is_audited_with_its_device_and_mutation_id(demo, app):
    device = str(uuid.uuid4())
    args = {"register_id": demo["bakery_registers"][0], "date": "2026-03-10", "base_revision": 0,
            "fields": {"z_number": "Z-9"}}
    with app.app_context():
        result = apply_batch(demo["bakery"], user_named("caisse@demo.test"), device, [Mutation(1, "day.put", args)])
        assert result.applied == (1,)
    entry = only(app, entity="day")
    assert (entry.device_id, entry.mutation_id, entry.after) == (device, 1, {"z_number": "Z-9"})


def test_settings_writes_are_audited(auth, demo, app):
    admin, cid = auth("gerant@demo.test"), demo["bakery"]
    base = f"/api/companies/{cid}"
    r = admin.patch(base, json={"cash_tolerance": "1.50"})
    assert r.status_code == 200, r.json
    company = only(app, entity="company", action="update")
    assert company.before == {"cash_tolerance_cents": 0} and company.after == {"cash_tolerance_cents": 150}

    r = admin.post(f"{base}/suppliers", json={"name": "Moulin Dupré"})
    assert r.status_code == 201, r.json
    created = only(app, entity="supplier", action="create")
    assert created.entity_id == str(r.json["id"]) and created.after["name"] == "Moulin Dupré"
    assert created.before is None and "version" not in created.after

    rid = demo["bakery_registers"][0]
    old = admin.get(f"{base}/registers/{rid}").json["name"]
    assert admin.patch(f"{base}/registers/{rid}", json={"name": "Comptoir"}).status_code == 200
    register = only(app, entity="register", action="update")
    assert register.before == {"name": old} and register.after == {"name": "Comptoir"}

    old = "".join("1" if d else "0" for d in admin.get(f"{base}/calendar").json["weekly_pattern"])
    assert admin.put(f"{base}/calendar", json={"weekly_pattern": [True] * 7}).status_code == 200
    pattern = rows(app, entity="company")[-1]
    assert pattern.before == {"weekly_pattern": old} and pattern.after == {"weekly_pattern": "1111111"}

    r = admin.post(f"{base}/calendar/exceptions", json={"date": "2026-08-14", "is_open": False, "label": "Congés"})
    assert r.status_code == 201, r.json
    assert only(app, entity="calendar_exception", action="create").after["date"] == "2026-08-14"
    assert admin.delete(f"{base}/calendar/exceptions/{r.json['id']}").status_code == 204
    assert only(app, entity="calendar_exception", action="delete").before["label"] == "Congés"

    r = admin.put(f"{base}/budgets/2027", json={"months": [{"month": 1, "amount": "1000.00"}]})
    assert r.status_code == 200, r.json
    budget = only(app, entity="budget")
    assert budget.entity_id == "2027" and budget.before == {"1": None} and budget.after == {"1": 100000}


def test_company_creation_tokens_and_resolutions_are_audited(auth, demo, app):
    firm = auth("cabinet@demo.test")
    r = firm.post("/api/companies", json={"name": "Fromagerie", "siren": "443061841"})
    assert r.status_code == 201, r.json
    assert only(app, entity="company", action="create").company_id == r.json["id"]

    r = firm.post("/api/auth/tokens", json={"name": "Export"})
    assert r.status_code == 201
    token = r.json["token"]
    created = only(app, entity="token", action="create")
    assert created.after == {"name": "Export", "prefix": token[:10]} and token not in str(created.after)
    assert firm.delete(f"/api/auth/tokens/{r.json['id']}").status_code == 204
    assert only(app, entity="token", action="revoke").after["revoked_at"]

    # A stale header pushed by a device becomes a rejection; the admin keeps the server's value.
    admin, url = auth("gerant@demo.test"), day_url(demo, "2026-03-10")
    assert admin.put(url, json={"base_revision": 0, "z_number": "Z-1"}).status_code == 200
    with app.app_context():
        args = {"register_id": demo["bakery_registers"][0], "date": "2026-03-10", "base_revision": 0,
                "fields": {"z_number": "Z-X"}}
        result = apply_batch(demo["bakery"], user_named("caisse@demo.test"), str(uuid.uuid4()),
                             [Mutation(1, "day.put", args)])
        assert len(result.rejected) == 1
        rejection_id = db.session.execute(db.select(Rejection.id)).scalar_one()
    r = admin.post(f"/api/companies/{demo['bakery']}/rejections/{rejection_id}/resolve", json={"choice": "server"})
    assert r.status_code == 200, r.json
    resolved = only(app, entity="rejection", action="resolve")
    assert resolved.before == {"resolution": None} and resolved.after["resolution"] == "server"


def test_period_closings_and_exports_are_audited(app, demo, auth):
    assert close_balanced(auth("caisse@demo.test"), day_url(demo, "2026-09-29"), demo).status_code == 200
    result = app.test_cli_runner().invoke(args=["close-periods", "--today", "2026-10-02"])
    assert result.exit_code == 0 and "1 clôture(s)" in result.output, result.output
    closing = only(app, entity="period")
    assert (closing.action, closing.after["kind"], closing.after["period_start"]) == ("close", "month", "2026-09-01")
    assert closing.device_id == "cli" and len(closing.after["hash"]) == 64
    with app.app_context():
        uow.record_export(demo["bakery"], user_named("gerant@demo.test"), "fec", {"from": "2026-01-01"})
    assert only(app, action="export").after == {"from": "2026-01-01"}


def test_a_refused_write_leaves_no_audit_row_and_nothing_else(auth, demo, app):
    client, url = auth("caisse@demo.test"), day_url(demo, "2026-03-10")
    header = worked_header(demo)
    header["sales"][0]["amount"] = "-5.00"
    assert client.put(url, json=header).status_code == 422
    admin = auth("gerant@demo.test")
    taken = admin.get(f"/api/companies/{demo['bakery']}/categories").json[0]["position"]
    r = admin.post(f"/api/companies/{demo['bakery']}/categories",
                   json={"name": "Doublon", "vat_bp": 550, "position": taken})
    assert r.status_code == 422, r.json
    assert rows(app) == []
    with app.app_context():
        assert db.session.execute(db.select(db.func.count()).select_from(Day)).scalar() == 0


def test_the_audit_cannot_be_changed_by_the_orm_or_the_database(demo, app, auth):
    auth("gerant@demo.test").patch(f"/api/companies/{demo['bakery']}", json={"cash_tolerance": "0.05"})
    with app.app_context():
        entry = db.session.execute(db.select(AuditEntry)).scalar_one()
        entry.action = "forged"
        with pytest.raises(AppendOnlyError):
            db.session.flush()
        db.session.rollback()
        db.session.delete(db.session.execute(db.select(AuditEntry)).scalar_one())
        with pytest.raises(AppendOnlyError):
            db.session.flush()
        db.session.rollback()
        with pytest.raises(AppendOnlyError):
            db.session.execute(update(AuditEntry).values(action="forged"))
        db.session.rollback()
        for statement in ("UPDATE audit_entries SET action = 'forged'", "DELETE FROM audit_entries"):
            with pytest.raises(DBAPIError, match="append-only"):
                db.session.execute(text(statement))
            db.session.rollback()
        assert db.session.execute(db.select(AuditEntry.action)).scalar_one() == "update"


def test_no_endpoint_alters_the_audit(app, demo, auth):
    spec = app.test_client().get("/api/openapi.json").json
    audit_paths = {path: set(item) - {"parameters"} for path, item in spec["paths"].items() if "/audit" in path}
    assert audit_paths == {"/api/companies/{cid}/audit": {"get"}}
    admin = auth("cabinet@demo.test")
    base = f"/api/companies/{demo['bakery']}/audit"
    for method in ("PATCH", "DELETE", "PUT", "POST"):
        assert admin.open(method, base, json={}).status_code == 405, method
    assert admin.open("DELETE", base + "/1").status_code in (404, 405)


def test_admins_and_the_firm_read_the_audit_paged_and_filtered(auth, demo, app):
    admin, cid = auth("gerant@demo.test"), demo["bakery"]
    for cents in (1, 2, 3):
        assert admin.patch(f"/api/companies/{cid}", json={"cash_tolerance": f"0.0{cents}"}).status_code == 200
    assert admin.post(f"/api/companies/{cid}/suppliers", json={"name": "Laiterie"}).status_code == 201
    gerant = admin.get("/api/me").json["user"]["id"]
    base = f"/api/companies/{cid}/audit"

    r = auth("cabinet@demo.test").get(base + "?per_page=2")
    assert r.status_code == 200, r.json
    assert (r.json["total"], r.json["page"], len(r.json["items"])) == (4, 1, 2)
    assert r.json["items"][0]["entity"] == "supplier"  # newest first
    second = admin.get(base + "?per_page=2&page=2").json
    assert [i["after"] for i in second["items"]] == [{"cash_tolerance_cents": 2}, {"cash_tolerance_cents": 1}]
    assert second["items"][0]["at"].endswith("+00:00")

    assert admin.get(base + "?entity=company").json["total"] == 3
    assert admin.get(base + f"?user_id={gerant}").json["total"] == 4
    assert admin.get(base + f"?user_id={gerant + 1000}").json["total"] == 0
    today = second["items"][0]["at"][:10]
    assert admin.get(base + f"?from={today}&to={today}").json["total"] == 4
    assert admin.get(base + "?from=2001-01-01&to=2001-01-31").json["total"] == 0

    for query, field in (("per_page=201", "per_page"), ("page=0", "page"), ("user_id=" + str(2**70), "user_id"),
                         ("from=2026-02-01&to=2026-01-01", "to")):
        r = admin.get(f"{base}?{query}")
        assert r.status_code == 422 and field in r.json["errors"], (query, r.json)
    assert auth("caisse@demo.test").get(base).status_code == 403
    assert auth("cafe@demo.test").get(base).status_code == 404
    assert auth("cafe@demo.test").get(f"/api/companies/{demo['cafe']}/audit").json["total"] == 0
