"""The cash-day API: header and flows written through the sync handlers, balances and findings computed."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from server.extensions import db
from server.models import Day, Flow, User
from server.services.mutations import apply_batch
from sync import Mutation

WORKED_DAY = "2025-03-14"  # DOMAIN.md §5, a Friday: the bakery is open


def day_url(demo: dict[str, Any], on: str, register: int = 0, company: str = "bakery") -> str:
    rid = demo[f"{company}_registers"][register]
    return f"/api/companies/{demo[company]}/registers/{rid}/days/{on}"


def categories(demo: dict[str, Any]) -> dict[str, int]:
    """Bakery categories: Pain 5,5 %, Snacking 10 %, Épicerie 20 %."""
    ids = demo["bakery_categories"]
    return {"pain": ids[0], "snacking": ids[3], "epicerie": ids[5]}


def worked_header(demo: dict[str, Any], base: int = 0) -> dict[str, Any]:
    cat, m = categories(demo), demo["bakery_methods"]
    return {"base_revision": base, "z_number": "Z-0412", "sales_count": 150,
            "sales": [{"category_id": cat["pain"], "amount": "633.00"}, {"category_id": cat["snacking"], "amount": 220},
                      {"category_id": cat["epicerie"], "amount": "120"}],
            "payments": [{"method_id": m["cash"], "amount": "400.00"}, {"method_id": m["card"], "amount": "503.00"},
                         {"method_id": m["cheque"], "amount": "70.00"}],
            "opening": [{"method_id": m["cash"], "amount": "200.00"}]}


def close_balanced(client: Any, url: str, demo: dict[str, Any], sales: str = "100.00") -> Any:
    """Enter a balanced day (all cash), count what is expected, close it; the close answer."""
    m = demo["bakery_methods"]
    r = client.put(url, json={"base_revision": client.get(url).json["revision"],
                              "sales": [{"category_id": demo["bakery_categories"][0], "amount": sales}],
                              "payments": [{"method_id": m["cash"], "amount": sales}]})
    assert r.status_code == 200, r.json
    expected = {b["method_id"]: b["expected"] for b in r.json["balances"]}
    counts = [{"method_id": method, "amount": amount} for method, amount in expected.items()]
    assert client.put(url, json={"base_revision": r.json["revision"], "counts": counts}).status_code == 200
    return client.post(url + "/close", json={})


def user_named(email: str) -> User:
    return db.session.execute(db.select(User).where(User.email == email)).scalar_one()


def test_worked_day_computes_vat_balances_and_findings(auth, demo):
    client, url, m = auth("caisse@demo.test"), day_url(demo, WORKED_DAY), demo["bakery_methods"]
    r = client.put(url, json=worked_header(demo))
    assert r.status_code == 200, r.json
    assert client.post(url + "/flows", json={"kind": "expense", "amount": "31.65", "label": "Farine",
                                             "vat_bp": 550, "method_id": m["cash"]}).status_code == 201
    assert client.post(url + "/flows", json={"kind": "deposit", "amount": "350", "method_id": m["cash"],
                                             "slip_number": "RB-1"}).status_code == 201
    r = client.put(url, json={"base_revision": 1, "counts": [
        {"method_id": m["cash"], "amount": "216.35", "grid": {"10000": 2, "1000": 1, "500": 1, "100": 1, "20": 1,
                                                               "10": 1, "5": 1}},
        {"method_id": m["cheque"], "amount": "70.00"}]})
    day = r.json
    assert day["totals"] == {"sales_ttc": "973.00", "sales_ht": "900.00", "sales_vat": "73.00",
                                  "payments_total": "973.00", "sales_count": 150, "average_basket": "6.49"}
    assert [(v["vat_bp"], v["ht"], v["vat"]) for v in day["vat_lines"]] == [
        (550, "600.00", "33.00"), (1000, "200.00", "20.00"), (2000, "100.00", "20.00")]
    cash = next(b for b in day["balances"] if b["method_id"] == m["cash"])
    assert (cash["opening"], cash["expected"], cash["counted"], cash["difference"]) == (
        "200.00", "218.35", "216.35", "-2.00")
    assert {f["kind"] for f in day["findings"]} == {"missing_comment", "cash_difference"}
    assert day["can_close"] is False and day["revision"] == 2 and len(day["flows"]) == 2


def test_get_of_a_day_not_entered_reads_empty_with_the_carried_opening(auth, demo):
    client = auth("caisse@demo.test")
    assert close_balanced(client, day_url(demo, "2026-03-10"), demo, "150.00").status_code == 200
    r = client.get(day_url(demo, "2026-03-11"))
    assert r.status_code == 200 and r.json["id"] is None and r.json["status"] == "open"
    cash = next(b for b in r.json["balances"] if b["kind"] == "cash")
    assert cash["carried_opening"] == "150.00" and cash["expected"] == "150.00"
    typed = client.put(day_url(demo, "2026-03-11"), json={"base_revision": 0, "opening": [
        {"method_id": demo["bakery_methods"]["cash"], "amount": "140.00"}]}).json
    assert next(b for b in typed["balances"] if b["kind"] == "cash")["opening_difference"] == "-10.00"


def test_list_gives_status_totals_and_missing_opening_days(auth, demo):
    client = auth("caisse@demo.test")
    close_balanced(client, day_url(demo, "2026-03-10"), demo, "80.00")
    r = client.get(day_url(demo, "").rstrip("/") + "?from=2026-03-09&to=2026-03-15")
    assert r.status_code == 200
    assert [(d["date"], d["status"], d["sales_ttc"]) for d in r.json["days"]] == [("2026-03-10", "closed", "80.00")]
    assert r.json["missing"] == ["2026-03-11", "2026-03-12", "2026-03-13", "2026-03-14", "2026-03-15"]  # Monday shut
    bad = client.get(day_url(demo, "").rstrip("/") + "?from=2026-03-15&to=2026-03-09")
    assert bad.status_code == 422 and "to" in bad.json["errors"]


def test_register_of_another_company_and_bad_date_in_url(auth, demo):
    client = auth("gerant@demo.test")
    foreign = f"/api/companies/{demo['bakery']}/registers/{demo['cafe_registers'][0]}/days/2026-03-10"
    assert client.get(foreign).status_code == 404
    assert client.put(foreign, json={"base_revision": 0, "comment": "x"}).status_code == 404
    r = client.get(day_url(demo, "2026-02-30"))
    assert r.status_code == 422 and "date" in r.json["errors"]


def test_stale_revision_from_another_device_is_409_with_the_server_value(auth, demo, app):
    url, client = day_url(demo, "2026-03-10"), auth("caisse@demo.test")
    with app.app_context():
        result = apply_batch(demo["bakery"], user_named("gerant@demo.test"), str(uuid.uuid4()), [Mutation(
            1, "day.put", {"register_id": demo["bakery_registers"][0], "date": "2026-03-10", "base_revision": 0,
                           "fields": {"comment": "Vu par le gérant"}})])
        assert result.applied == (1,)
    r = client.put(url, json={"base_revision": 0, "comment": "Mon commentaire"})
    assert r.status_code == 409 and r.json["code"] == "stale_revision"
    assert r.json["server_value"]["fields"]["comment"] == "Vu par le gérant"
    assert client.put(url, json={"base_revision": 1, "comment": "Mon commentaire"}).json["comment"] == "Mon commentaire"


def test_the_same_flow_twice_is_stored_once(auth, demo, app):
    client, url = auth("caisse@demo.test"), day_url(demo, "2026-03-10")
    flow = {"id": str(uuid.uuid4()), "kind": "cash_in", "amount": "20.00", "method_id": demo["bakery_methods"]["cash"],
            "reason": "Fond de caisse", "owner": True}
    assert client.post(url + "/flows", json=flow).status_code == 201
    assert client.post(url + "/flows", json=flow).status_code == 200
    clash = client.post(url + "/flows", json={**flow, "amount": "21.00"})
    assert clash.status_code == 409 and clash.json["code"] == "duplicate_flow"
    with app.app_context():
        assert db.session.execute(db.select(db.func.count()).select_from(Flow)).scalar() == 1


def test_void_cancels_a_flow_and_outstanding_credit_and_vouchers(auth, demo):
    client, url, m = auth("caisse@demo.test"), day_url(demo, "2026-03-10"), demo["bakery_methods"]
    customer = client.get(f"/api/companies/{demo['bakery']}/customers").json[0]["id"]
    first = client.post(url + "/flows", json={"kind": "credit_granted", "amount": "45.00", "customer_id": customer})
    granted = first.json["flows"][0]["id"]
    client.post(url + "/flows", json={"kind": "credit_granted", "amount": "30.00", "customer_id": customer})
    client.post(url + "/flows", json={"kind": "voucher_sold", "amount": "50.00", "code": "BC-1",
                                      "method_id": m["card"]})
    day = client.post(url + "/flows", json={"kind": "void", "voids": granted, "reason": "Erreur de client"}).json
    assert day["outstanding"]["customer_credit"] == "30.00"
    assert day["outstanding"]["by_customer"] == [{"customer_id": customer, "amount": "30.00"}]
    assert day["outstanding"]["by_code"] == [{"code": "BC-1", "amount": "50.00"}]
    later = client.get(day_url(demo, "2026-03-11")).json["outstanding"]
    assert later["customer_credit"] == "30.00" and later["vouchers"] == "50.00"


def test_cashier_enters_and_closes_an_open_day(auth, demo, app):
    r = close_balanced(auth("caisse@demo.test"), day_url(demo, "2026-03-10"), demo)
    assert r.status_code == 200, r.json
    assert r.json["status"] == "closed" and r.json["sequence"] == 1 and len(r.json["hash"]) == 64
    assert [e["kind"] for e in r.json["events"]] == ["close"]
    with app.app_context():
        day = db.session.execute(db.select(Day)).scalar_one()
        assert day.closed_by_id == user_named("caisse@demo.test").id


class SerializationFailure(Exception):
    sqlstate = "40001"


def failing_flow_inserts(app: Any, failures: int, error: Exception) -> list[str]:
    """Make the first `failures` INSERTs of a flow fail at the driver boundary."""
    seen: list[str] = []

    def explode(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("INSERT INTO FLOWS"):
            seen.append(statement)
            if len(seen) <= failures:
                raise OperationalError(statement, parameters, error)

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", explode)
    return seen


def test_a_serialization_failure_is_retried(demo, app):
    seen = failing_flow_inserts(app, 2, SerializationFailure("could not serialize access"))
    flow = {"id": str(uuid.uuid4()), "kind": "cash_in", "amount": "5.00", "method_id": demo["bakery_methods"]["cash"]}
    with app.app_context():
        result = apply_batch(demo["bakery"], user_named("caisse@demo.test"), str(uuid.uuid4()), [Mutation(
            1, "flow.add", {"register_id": demo["bakery_registers"][0], "date": "2026-03-10", "flow": flow})])
        assert result.applied == (1,) and len(seen) == 3
        assert db.session.execute(db.select(db.func.count()).select_from(Flow)).scalar() == 1


def test_a_database_failure_on_a_rest_write_is_503_and_saves_nothing(auth, demo, app):
    client = auth("caisse@demo.test")
    failing_flow_inserts(app, 1, Exception("server closed the connection unexpectedly"))
    r = client.post(day_url(demo, "2026-03-10") + "/flows", json={"kind": "cash_in", "amount": "5.00",
                                                                    "method_id": demo["bakery_methods"]["cash"]})
    assert r.status_code == 503 and r.json["code"] == "temporary_failure"
    with app.app_context():
        assert db.session.execute(db.select(db.func.count()).select_from(Day)).scalar() == 0
