"""POST /api/sync/pull: every replicated entity changed since a cookie, in version order, paged without ever
splitting a version; resets for unknown cookies; the device's last id and rejections."""

from __future__ import annotations

from typing import Any

import pytest

from server.extensions import db
from server.models import Company, Customer, Tombstone
from server.services.versioning import lock_company, stamp
from tests.server.test_sync_push import OTHER, cash_in, day_put, flow_add, pull, push, wire_errors

SETTINGS = {"company", "register", "category", "payment_method", "customer", "supplier", "calendar"}


def top(app: Any, company_id: int) -> int:
    with app.app_context():
        return db.session.get(Company, company_id).server_version


def download(client: Any, company_id: int, cookie: int | None, limit: int, replica: dict | None = None) -> tuple:
    """Pull page after page into `replica` ({(entity, id): data}); return (replica, cookie, pages)."""
    replica = {} if replica is None else replica
    pages = []
    while True:
        body = pull(client, company_id, cookie, limit=limit).json
        assert wire_errors("sync-pull-response.schema.json", body) == [] and not body["reset"]
        pages.append(body)
        for change in body["changes"]:
            key = (change["entity"], change["id"])
            if change["op"] == "del":
                replica.pop(key, None)
            else:
                replica[key] = change["data"]
        assert cookie is None or body["cookie"] >= cookie
        cookie = body["cookie"]
        if not body["more"]:
            return replica, cookie, pages


def history(app: Any, client: Any, demo: dict, admin: Any) -> None:
    """A week of a till (days, flows, a Z), settings edits and a deleted calendar exception."""
    reg, cash = demo["bakery_registers"][0], demo["bakery_methods"]["cash"]
    mid = 0
    for day in range(11, 17):  # Tuesday 11 to Sunday 16 March 2025
        on = f"2025-03-{day}"
        batch = [day_put(mid + 1, reg, {"z_number": f"Z-{day}", "sales_count": day}, on=on)]
        batch += [flow_add(mid + 2 + i, reg, cash_in(cash, f"{day}.{i}0"), on=on) for i in range(3)]
        assert push(client, demo["bakery"], batch).json["last_mutation_id"] == mid + 4
        mid += 4
    base = f"/api/companies/{demo['bakery']}"
    with app.app_context():
        customer = db.session.execute(db.select(Customer.id).where(Customer.company_id == demo["bakery"])).scalar()
    admin.patch(f"{base}/customers/{customer}", json={"name": "M. Martin fils"})
    admin.put(f"{base}/calendar", json={"weekly_pattern": [True] * 7})
    exception = admin.get(f"{base}/calendar/exceptions").json[0]["id"]
    assert admin.delete(f"{base}/calendar/exceptions/{exception}").status_code == 204


def test_a_first_pull_downloads_every_entity_of_the_company(auth, demo, app):
    body = pull(auth("caisse@demo.test"), demo["bakery"], limit=1000).json
    assert wire_errors("sync-pull-response.schema.json", body) == []
    assert (body["reset"], body["more"], body["cookie"], body["last_mutation_id"]) == (False, False, 0, 0)
    assert {c["entity"] for c in body["changes"]} == SETTINGS and {c["op"] for c in body["changes"]} == {"put"}
    registers = [c["data"] for c in body["changes"] if c["entity"] == "register"]
    assert {r["id"] for r in registers} == set(demo["bakery_registers"]) and registers[0]["max_threshold"] == "1500.00"
    calendar = next(c for c in body["changes"] if c["entity"] == "calendar")
    assert calendar["id"] == str(demo["bakery"]) and calendar["data"]["weekly_pattern"][0] is False
    assert [e["label"] for e in calendar["data"]["exceptions"]] == ["Noël", "Jour de l'an"]
    company = next(c for c in body["changes"] if c["entity"] == "company")["data"]
    assert company["name"] == "Boulangerie du Marché" and company["cash_tolerance"] == "0.00"


def test_days_and_flows_come_wire_shaped(auth, demo, app):
    client, reg = auth("caisse@demo.test"), demo["bakery_registers"][0]
    cash, card = demo["bakery_methods"]["cash"], demo["bakery_methods"]["card"]
    cookie = pull(client, demo["bakery"]).json["cookie"]
    flow = cash_in(cash, "31.65", reason="Monnaie")
    push(client, demo["bakery"], [
        day_put(1, reg, {"z_number": "Z-0412", "sales": [{"category_id": demo["bakery_categories"][0], "amount": 633}],
                         "payments": [{"method_id": card, "amount": "633.00"}],
                         "counts": [{"method_id": cash, "amount": "70.50", "grid": {"5000": 1, "2000": 1, "50": 1}}]}),
        flow_add(2, reg, flow)])
    body = pull(client, demo["bakery"], cookie).json
    assert wire_errors("sync-pull-response.schema.json", body) == [] and body["last_mutation_id"] == 2
    day, added = body["changes"]
    assert (day["entity"], added["entity"]) == ("day", "flow")
    assert day["data"]["sales"] == [{"category_id": demo["bakery_categories"][0], "amount": "633.00"}]
    assert day["data"]["counts"] == [{"method_id": cash, "amount": "70.50", "grid": {"5000": 1, "2000": 1, "50": 1}}]
    assert day["data"]["opening"] == [] and day["data"]["status"] == "open" and day["data"]["revision"] == 1
    assert day["data"]["field_versions"]["sales"] == [1, "6f1c2a7e-3b4d-4c5e-8f90-1a2b3c4d5e6f"]
    assert added["id"] == flow["id"] and added["data"]["day_id"] == day["id"]
    assert {k: added["data"][k] for k in ("amount", "kind", "reason", "register_id", "date")} == {
        "amount": "31.65", "kind": "cash_in", "reason": "Monnaie", "register_id": reg, "date": "2025-03-14"}
    assert added["data"]["created_at"].endswith("Z")
    assert body["cookie"] == top(app, demo["bakery"])


@pytest.mark.parametrize("limit", [1, 2, 3, 7, 50])
def test_any_page_size_gives_the_same_replica_as_one_download(auth, demo, app, limit):
    client = auth("caisse@demo.test")
    history(app, client, demo, auth("gerant@demo.test"))
    expected, cookie, _ = download(client, demo["bakery"], None, 1000)
    assert cookie == top(app, demo["bakery"])
    replica, paged_cookie, pages = download(client, demo["bakery"], None, limit)
    assert replica == expected and paged_cookie == cookie
    assert limit >= 50 or len(pages) > 1
    calendar = expected[("calendar", str(demo["bakery"]))]
    assert calendar["weekly_pattern"] == [True] * 7 and len(calendar["exceptions"]) == 1


@pytest.mark.parametrize("limit", [1, 4, 1000])
def test_a_device_catching_up_ends_with_the_fresh_replica(auth, demo, app, limit):
    client = auth("caisse@demo.test")
    early, cookie, _ = download(client, demo["bakery"], None, 1000)
    history(app, client, demo, auth("gerant@demo.test"))
    caught_up, _cookie, pages = download(client, demo["bakery"], cookie, limit, dict(early))
    assert caught_up == download(client, demo["bakery"], None, 1000)[0]
    assert any(c["op"] == "del" for p in pages for c in p["changes"]) is False  # exceptions travel in the calendar


def test_rows_sharing_one_version_are_never_split_across_pages(auth, demo, app):
    client, admin = auth("caisse@demo.test"), auth("gerant@demo.test")
    with app.app_context():
        locked = lock_company(demo["bakery"])
        customers = db.session.execute(db.select(Customer).where(Customer.company_id == demo["bakery"])).scalars()
        shared = stamp(locked, *customers)  # one change-set, four rows, one version
        db.session.commit()
    admin.post(f"/api/companies/{demo['bakery']}/customers", json={"name": "Mme Roux"})
    first = pull(client, demo["bakery"], shared - 1, limit=2).json
    assert [c["entity"] for c in first["changes"]] == ["customer"] * 4  # more than the limit: the whole version
    assert (first["cookie"], first["more"]) == (shared, True)
    second = pull(client, demo["bakery"], first["cookie"], limit=2).json
    assert [c["data"]["name"] for c in second["changes"]] == ["Mme Roux"]
    assert (second["cookie"], second["more"]) == (shared + 1, False)


def test_unknown_or_purged_cookies_ask_for_a_reset(auth, demo, app):
    client = auth("caisse@demo.test")
    push(client, demo["bakery"], [flow_add(1, demo["bakery_registers"][0], cash_in(demo["bakery_methods"]["cash"]))])
    current = top(app, demo["bakery"])
    body = pull(client, demo["bakery"], current + 1).json
    assert wire_errors("sync-pull-response.schema.json", body) == []
    assert (body["reset"], body["changes"], body["cookie"], body["last_mutation_id"]) == (True, [], 0, 1)
    with app.app_context():
        db.session.get(Company, demo["bakery"]).min_cookie = current
        db.session.commit()
    assert pull(client, demo["bakery"], current - 1).json["reset"] is True
    assert pull(client, demo["bakery"], current).json["reset"] is False


def test_deleted_rows_come_as_del_but_not_in_a_full_download(auth, demo, app):
    client = auth("caisse@demo.test")
    cookie = pull(client, demo["bakery"], limit=1000).json["cookie"]
    with app.app_context():
        locked = lock_company(demo["bakery"])
        tomb = Tombstone(company_id=demo["bakery"], entity="customer", entity_id="12")
        db.session.add(tomb)
        stamp(locked, tomb)
        db.session.commit()
    changes = pull(client, demo["bakery"], cookie).json["changes"]
    assert changes == [{"entity": "customer", "id": "12", "op": "del", "data": {}}]
    assert all(c["op"] == "put" for c in pull(client, demo["bakery"], limit=1000).json["changes"])


def test_each_device_sees_its_own_rejections(auth, demo, app):
    client, reg = auth("caisse@demo.test"), demo["bakery_registers"][0]
    push(client, demo["bakery"], [day_put(1, reg, {"z_number": "A"})])
    push(client, demo["bakery"], [day_put(1, reg, {"z_number": "B"})], device=OTHER)
    mine = pull(client, demo["bakery"], device=OTHER).json["rejections"]
    assert [(r["mutation_id"], r["code"], r["resolution"]) for r in mine] == [(1, "stale_revision", None)]
    assert mine[0]["args"]["fields"] == {"z_number": "B"} and mine[0]["server_value"]["fields"]["z_number"] == "A"
    assert pull(client, demo["bakery"]).json["rejections"] == []


@pytest.mark.parametrize("body, status, field", [
    ({"schema": 2}, 422, "schema"), ({"limit": 0}, 422, "limit"), ({"limit": 1001}, 422, "limit"),
    ({"cookie": -1}, 422, "cookie"), ({"cookie": "2025-03-14T12:00:00Z"}, 422, "cookie"),
    ({"device_id": "tiroir"}, 422, "device_id"), ({"since": 3}, 422, "since"),
])
def test_bad_pull_requests_name_the_field(auth, demo, body, status, field):
    r = pull(auth("caisse@demo.test"), demo["bakery"], **body)
    assert r.status_code == status and field in r.json["errors"]


def test_another_company_is_404(auth, demo):
    assert pull(auth("cafe@demo.test"), demo["bakery"]).status_code == 404
    assert pull(auth("cafe@demo.test"), demo["cafe"]).status_code == 200
