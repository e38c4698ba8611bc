"""The till link (issue 15): register tokens, Z reports pushed by a till, the code mapping, the lock."""

from __future__ import annotations

from typing import Any

import pytest

from server.extensions import db
from server.models import AuditEntry, Day, ZReport
from tests.server.test_days_api import WORKED_DAY, categories, day_url

Z_URL = "/api/registers/{rid}/z-reports"


def till_url(demo: dict[str, Any], company: str = "bakery") -> str:
    return f"/api/companies/{demo[company]}/till"


def set_codes(admin: Any, demo: dict[str, Any]) -> None:
    cat, m = categories(demo), demo["bakery_methods"]
    r = admin.put(
        till_url(demo) + "/codes",
        json={
            "sales": [
                {"code": "PAIN", "category_id": cat["pain"]},
                {"code": "VIENN", "category_id": cat["pain"]},
                {"code": "SNACK", "category_id": cat["snacking"]},
                {"code": "EPIC", "category_id": cat["epicerie"]},
            ],
            "payments": [
                {"code": "ESP", "method_id": m["cash"]},
                {"code": "CB", "method_id": m["card"]},
                {"code": "CHQ", "method_id": m["cheque"]},
            ],
        },
    )
    assert r.status_code == 200, r.json


def make_token(admin: Any, demo: dict[str, Any], register: int = 0, label: str = "Caisse boutique") -> str:
    r = admin.post(till_url(demo) + "/tokens", json={"register_id": demo["bakery_registers"][register], "label": label})
    assert r.status_code == 201, r.json
    assert r.json["token"].startswith("creg_") and r.json["scope"] == "z:write"
    return str(r.json["token"])


def z_report(**changes: Any) -> dict[str, Any]:
    report = {
        "date": WORKED_DAY,
        "z_number": "0412",
        "sales_count": 150,
        "sales": [
            {"code": "PAIN", "amount": "600.00"},
            {"code": "VIENN", "amount": "33.00"},
            {"code": "SNACK", "amount": "220.00"},
            {"code": "EPIC", "amount": "120.00"},
        ],
        "payments": [
            {"code": "ESP", "amount": "400.00"},
            {"code": "CB", "amount": "503.00"},
            {"code": "CHQ", "amount": "70.00"},
        ],
        "vat": [{"rate_bp": 550, "ht": "600.00", "vat": "33.00"}],
    }
    report.update(changes)
    return report


@pytest.fixture
def till(app: Any, auth: Any, demo: dict[str, Any]) -> Any:
    """(admin client, anonymous client, token of the bakery's Boutique register) with the codes mapped."""
    admin = auth("gerant@demo.test")
    set_codes(admin, demo)
    return admin, app.test_client(), make_token(admin, demo)


def send(http: Any, token: str, rid: int, report: dict[str, Any] | Any) -> Any:
    return http.post(Z_URL.format(rid=rid), json=report, headers={"Authorization": f"Bearer {token}"})


def saved_reports() -> int:
    return len(db.session.execute(db.select(ZReport)).scalars().all())


def test_a_z_report_fills_the_day_which_stays_open_and_is_marked_from_the_till(app, till, demo):
    admin, http, token = till
    r = send(http, token, demo["bakery_registers"][0], z_report())
    assert r.status_code == 201, r.json
    assert r.json["status"] == "applied" and r.json["day"]["status"] == "open"
    day = admin.get(day_url(demo, WORKED_DAY)).json
    assert day["z_number"] == "0412" and day["sales_count"] == 150
    assert day["totals"]["sales_ttc"] == "973.00" and day["totals"]["payments_total"] == "973.00"
    pain = categories(demo)["pain"]
    assert next(s for s in day["sales"] if s["category_id"] == pain)["amount"] == "633.00"  # two codes add up
    assert day["till"] == {"z_number": "0412", "origin": "api", "locked": True}
    with app.app_context():
        actions = {(a.action, a.entity, a.device_id) for a in db.session.execute(db.select(AuditEntry)).scalars()}
        assert ("create", "z_report", "till:1") in actions and ("create", "day", "till:1") in actions
    tokens = admin.get(till_url(demo) + "/tokens").json
    assert tokens[0]["last_used_at"] is not None and "token" not in tokens[0]


def test_the_same_report_twice_is_a_duplicate_and_another_one_a_conflict_with_both(app, till, demo):
    _admin, http, token = till
    rid = demo["bakery_registers"][0]
    assert send(http, token, rid, z_report()).status_code == 201
    again = send(http, token, rid, z_report(sales=list(reversed(z_report()["sales"]))))
    assert again.status_code == 200 and again.json["status"] == "duplicate"
    other = send(http, token, rid, z_report(sales_count=151))
    assert other.status_code == 409 and other.json["code"] == "z_report_conflict"
    assert other.json["server_value"]["sales_count"] == 150 and other.json["submitted"]["sales_count"] == 151
    with app.app_context():
        assert saved_reports() == 1 and db.session.execute(db.select(Day)).scalars().one().sales_count == 150


def test_token_scope_another_register_another_company_and_revocation(app, auth, till, demo):
    admin, http, token = till
    market = demo["bakery_registers"][1]
    r = send(http, token, market, z_report(date="2025-03-15"))
    assert r.status_code == 403
    assert send(http, token, demo["cafe_registers"][0], z_report()).status_code == 404
    assert send(http, token, 2**70, z_report()).status_code == 404
    # A register token opens no other endpoint, and a personal session cannot send a Z report.
    assert http.get(day_url(demo, WORKED_DAY), headers={"Authorization": f"Bearer {token}"}).status_code == 403
    assert admin.post(Z_URL.format(rid=demo["bakery_registers"][0]), json=z_report()).status_code == 401
    token_id = admin.get(till_url(demo) + "/tokens").json[0]["id"]
    assert admin.delete(f"{till_url(demo)}/tokens/{token_id}").status_code == 204
    revoked = send(http, token, demo["bakery_registers"][0], z_report())
    assert revoked.status_code == 401 and revoked.json["code"] == "invalid_token"
    with app.app_context():
        assert saved_reports() == 0


@pytest.mark.parametrize(("who", "status"), [("caisse@demo.test", 403), ("cafe@demo.test", 404)])
def test_register_tokens_are_for_the_company_admins(auth, demo, who, status):
    client = auth(who)
    assert client.get(till_url(demo) + "/tokens").status_code == status
    assert (
        client.post(
            till_url(demo) + "/tokens", json={"register_id": demo["bakery_registers"][0], "label": "x"}
        ).status_code
        == status
    )
    assert client.put(till_url(demo) + "/codes", json={"sales": [], "payments": []}).status_code == status


def test_a_token_for_another_company_register_cannot_be_created(auth, demo):
    admin = auth("gerant@demo.test")
    r = admin.post(till_url(demo) + "/tokens", json={"register_id": demo["cafe_registers"][0], "label": "x"})
    assert r.status_code == 404


def test_unknown_codes_answer_422_listing_them_and_nothing_is_saved(app, till, demo):
    _admin, http, token = till
    extra = [{"code": "GLACE", "amount": "5.00"}, {"code": "CAFE", "amount": "1"}]
    report = z_report(sales=[*z_report()["sales"], *extra], payments=[{"code": "TR", "amount": "978.00"}])
    r = send(http, token, demo["bakery_registers"][0], report)
    assert r.status_code == 422 and r.json["code"] == "unknown_codes"
    assert r.json["unknown_codes"] == {"sales": ["CAFE", "GLACE"], "payments": ["TR"]}
    assert "CAFE, GLACE" in r.json["errors"]["sales"][0]
    with app.app_context():
        assert saved_reports() == 0 and db.session.execute(db.select(Day)).first() is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"sales": [{"code": "PAIN", "amount": 12.5}]}, "sales.0.amount"),
        ({"payments": [{"code": "ESP", "amount": "1e999990"}]}, "payments.0.amount"),
        ({"sales_count": -1}, "sales_count"),
        ({"z_number": ""}, "z_number"),
        ({"date": "2025-02-30"}, "date"),
        ({"date": "2025-03-15"}, "date"),  # a Saturday is open; the market register is tested below
        ({"vat": [{"rate_bp": 550, "ht": 1.5, "vat": "0.08"}]}, "vat.0.ht"),
        ({"sales": "PAIN"}, "sales"),
        ({"z_number": "\ud800"}, "z_number"),
        ({"sales_count": 2**70}, "sales_count"),
        ({"sales": [{"code": "PA\ud800", "amount": "1"}]}, "sales.0.code"),
        ({"payments": [{"code": "ESP"}]}, "payments.0.amount"),
        ({"extra": 1}, "extra"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_saved(app, till, demo, changes, field):
    _admin, http, token = till
    report = z_report(**changes)
    if changes.get("date") == "2025-03-15":
        report["date"] = "2999-01-01"  # beyond tomorrow
    r = send(http, token, demo["bakery_registers"][0], report)
    assert 400 <= r.status_code < 500 and field in r.json["errors"], r.json
    with app.app_context():
        assert saved_reports() == 0 and db.session.execute(db.select(Day)).first() is None


def test_a_date_outside_the_register_calendar_is_refused(app, auth, demo):
    admin = auth("gerant@demo.test")
    set_codes(admin, demo)
    token = make_token(admin, demo, register=1, label="Caisse du marché")
    r = send(app.test_client(), token, demo["bakery_registers"][1], z_report())  # a Friday: the market opens Saturdays
    assert r.status_code == 422 and r.json["code"] == "not_opening_day" and "date" in r.json["errors"]
    with app.app_context():
        assert saved_reports() == 0


def test_a_closed_day_answers_409(app, till, demo):
    admin, http, token = till
    from tests.server.test_days_api import close_balanced

    url = day_url(demo, WORKED_DAY)
    assert close_balanced(admin, url, demo).status_code == 200
    r = send(http, token, demo["bakery_registers"][0], z_report())
    assert r.status_code == 409 and r.json["code"] == "day_closed"
    with app.app_context():
        assert saved_reports() == 0


def test_the_z_fields_are_locked_for_people_until_an_admin_unlocks_them(app, auth, till, demo):
    admin, http, token = till
    assert send(http, token, demo["bakery_registers"][0], z_report()).status_code == 201
    cashier, url = auth("caisse@demo.test"), day_url(demo, WORKED_DAY)
    revision = cashier.get(url).json["revision"]
    r = cashier.put(url, json={"base_revision": revision, "sales_count": 149})
    assert r.status_code == 403 and "Z n° 0412" in r.json["message"]
    m = demo["bakery_methods"]
    ok = cashier.put(url, json={"base_revision": revision, "opening": [{"method_id": m["cash"], "amount": "200"}]})
    assert ok.status_code == 200, ok.json  # the rest of the day is the cashier's
    unlock_url = f"{till_url(demo)}/z-reports/{demo['bakery_registers'][0]}/{WORKED_DAY}/unlock"
    assert cashier.post(unlock_url).status_code == 403
    unlocked = admin.post(unlock_url)
    assert unlocked.status_code == 200 and unlocked.json["locked"] is False
    r = cashier.put(url, json={"base_revision": ok.json["revision"], "sales_count": 149})
    assert r.status_code == 200 and r.json["till"]["locked"] is False
    with app.app_context():
        assert db.session.execute(db.select(AuditEntry).where(AuditEntry.action == "unlock")).scalar_one()


def test_the_code_table_refuses_unknown_references_and_duplicates(auth, demo):
    admin = auth("gerant@demo.test")
    r = admin.put(
        till_url(demo) + "/codes",
        json={
            "sales": [{"code": "A", "category_id": demo["cafe_categories"][0]}, {"code": "B", "category_id": 2**70}],
            "payments": [
                {"code": "X", "method_id": demo["bakery_methods"]["cash"]},
                {"code": "X", "method_id": demo["bakery_methods"]["card"]},
                {"code": " ", "method_id": 1},
            ],
        },
    )
    assert r.status_code == 422
    assert {"sales.0.category_id", "sales.1.category_id", "payments.1.code", "payments.2.code"} <= set(r.json["errors"])
    assert admin.get(till_url(demo) + "/codes").json == {"sales": [], "payments": []}


def test_a_pushed_change_of_a_locked_z_field_is_a_rejection_and_the_pull_carries_the_flag(app, till, demo):
    import uuid

    from server.services.mutations import apply_batch
    from sync import Mutation
    from tests.server.test_days_api import user_named

    admin, http, token = till
    rid = demo["bakery_registers"][0]
    assert send(http, token, rid, z_report()).status_code == 201
    with app.app_context():
        args = {"register_id": rid, "date": WORKED_DAY, "base_revision": 1}
        result = apply_batch(
            demo["bakery"],
            user_named("caisse@demo.test"),
            str(uuid.uuid4()),
            [
                Mutation(1, "day.put", {**args, "fields": {"payments": []}}),
                Mutation(2, "day.put", {**args, "fields": {"comment": "Tiroir vérifié"}}),
            ],
        )
        assert result.applied == (2,) and [r.code for r in result.rejected] == ["forbidden"]
        assert db.session.execute(db.select(Day)).scalar_one().comment == "Tiroir vérifié"
    pulled = admin.post(
        "/api/sync/pull",
        json={"schema": 1, "company_id": demo["bakery"], "device_id": str(uuid.uuid4()), "cookie": None},
    ).json
    day = next(c["data"] for c in pulled["changes"] if c["entity"] == "day")
    assert day["till"] == {"z_number": "0412", "origin": "api", "locked": True}


def test_a_day_from_the_till_completed_by_the_cashier_seals_like_a_typed_one(app, auth, till, demo):
    import json

    from server.models import JournalEntry
    from server.services.journal import verify

    _admin, http, token = till
    assert send(http, token, demo["bakery_registers"][0], z_report()).status_code == 201
    cashier, url, m = auth("caisse@demo.test"), day_url(demo, WORKED_DAY), demo["bakery_methods"]
    day = cashier.put(
        url,
        json={
            "base_revision": cashier.get(url).json["revision"],
            "opening": [{"method_id": m["cash"], "amount": "200.00"}],
        },
    ).json
    counts = [{"method_id": b["method_id"], "amount": b["expected"]} for b in day["balances"]]
    day = cashier.put(url, json={"base_revision": day["revision"], "counts": counts}).json
    closed = cashier.post(url + "/close", json={})
    assert closed.status_code == 200, closed.json
    assert closed.json["status"] == "closed" and closed.json["sequence"] == 1
    with app.app_context():
        entry = db.session.execute(db.select(JournalEntry)).scalar_one()
        sealed = json.loads(entry.payload)
        assert sealed["version"] == 2 and sealed["totals"]["sales_ttc"] == 97300
        sealed_day = sealed["input"]["day"]
        assert (sealed_day["z_number"], sealed_day["sales_count"], sealed["meta"]["z_number"]) == ("0412", 150, "0412")
        assert verify() == []


@pytest.mark.parametrize(
    ("data", "content_type", "status"),
    [
        (b"{not json", "application/json", 400),
        (b"[1,2]", "application/json", 422),
        (b"null", "application/json", 422),
        (b"date=2025-03-14&z_number=0412&sales_count=150", "application/x-www-form-urlencoded", 400),
        (b'{"date": "' + b"x" * (2 * 1024 * 1024) + b'"}', "application/json", 413),
    ],
)
def test_a_malformed_body_is_refused_naming_the_body_and_nothing_is_saved(app, till, demo, data, content_type, status):
    """The whole body is the field at fault: `errors.body` (never `_schema`), in French."""
    _admin, http, token = till
    r = http.post(
        Z_URL.format(rid=demo["bakery_registers"][0]),
        data=data,
        headers={"Authorization": f"Bearer {token}", "Content-Type": content_type},
    )
    assert r.status_code == status, r.json
    assert list(r.json["errors"]) == ["body"] and r.json["errors"]["body"][0], r.json
    with app.app_context():
        assert saved_reports() == 0 and db.session.execute(db.select(Day)).first() is None


def test_the_openapi_documents_the_endpoint_with_examples_and_the_bearer_security(app):
    spec = app.test_client().get("/api/openapi.json").json
    post = spec["paths"]["/api/registers/{rid}/z-reports"]["post"]
    assert post["security"] == [{"bearer": []}]
    assert spec["components"]["securitySchemes"]["bearer"] == {"type": "http", "scheme": "bearer"}
    body = post["requestBody"]["content"]["application/json"]
    assert body["example"]["z_number"] == "0412" and body["example"]["sales"][0]["code"] == "PAIN"

    def example(status: str) -> dict[str, Any]:
        return post["responses"][status]["content"]["application/json"]["example"]

    assert example("201")["status"] == "applied"
    assert example("200")["status"] == "duplicate"
    conflict = example("409")
    assert conflict["code"] == "z_report_conflict" and {"server_value", "submitted"} <= set(conflict)
    assert example("422")["code"] == "unknown_codes" and example("422")["unknown_codes"] == {"sales": ["GLACE"]}
    for status in ("400", "401", "403", "404", "413"):
        assert status in post["responses"]


def test_a_register_token_is_stored_as_its_sha256_and_appears_in_no_row(app, till, demo):
    import hashlib

    from sqlalchemy import text

    _admin, http, token = till
    assert send(http, token, demo["bakery_registers"][0], z_report()).status_code == 201  # the audit has entries
    with app.app_context():
        rows = [tuple(r) for r in db.session.execute(text("SELECT * FROM register_tokens"))]
        audit = [tuple(r) for r in db.session.execute(text("SELECT * FROM audit_entries"))]
        reports = [tuple(r) for r in db.session.execute(text("SELECT * FROM z_reports"))]
    assert len(rows) == 1 and hashlib.sha256(token.encode()).hexdigest() in rows[0]
    secret = token.removeprefix("creg_")
    for row in [*rows, *audit, *reports]:
        assert not any(secret[:20] in str(cell) for cell in row), row
    assert any("register_token" in str(row) for row in audit)  # the creation is audited, without the value


def test_a_z_report_replaces_the_z_fields_a_person_typed_and_the_audit_keeps_the_old_values(app, auth, till, demo):
    _admin, http, token = till
    cashier, url, m, cat = auth("caisse@demo.test"), day_url(demo, WORKED_DAY), demo["bakery_methods"], categories(demo)
    typed = cashier.put(
        url,
        json={
            "base_revision": 0,
            "z_number": "TAPE-1",
            "sales_count": 7,
            "sales": [{"category_id": cat["snacking"], "amount": "70.00"}],
            "payments": [{"method_id": m["card"], "amount": "70.00"}],
            "comment": "Saisie à la main",
        },
    )
    assert typed.status_code == 200, typed.json
    r = send(http, token, demo["bakery_registers"][0], z_report())
    assert r.status_code == 201, r.json
    day = cashier.get(url).json
    assert (day["z_number"], day["sales_count"]) == ("0412", 150) and day["comment"] == "Saisie à la main"
    assert day["totals"]["sales_ttc"] == "973.00" and day["till"]["locked"] is True
    with app.app_context():
        updates = (
            db.session.execute(
                db.select(AuditEntry).where(AuditEntry.entity == "day", AuditEntry.device_id == "till:1")
            )
            .scalars()
            .all()
        )
        assert len(updates) == 1
        before, after = updates[0].before, updates[0].after
        assert before["z_number"] == "TAPE-1" and before["sales_count"] == 7
        assert after["z_number"] == "0412" and after["sales_count"] == 150


def test_one_z_report_per_register_day_another_number_the_same_date_is_a_conflict_with_both(app, till, demo):
    """docs/DECISIONS.md « Till link: one Z report per register-day »."""
    _admin, http, token = till
    rid = demo["bakery_registers"][0]
    assert send(http, token, rid, z_report()).status_code == 201
    other = send(http, token, rid, z_report(z_number="0413", sales_count=3))
    assert other.status_code == 409 and other.json["code"] == "z_report_conflict"
    assert (other.json["server_value"]["z_number"], other.json["server_value"]["sales_count"]) == ("0412", 150)
    assert (other.json["submitted"]["z_number"], other.json["submitted"]["sales_count"]) == ("0413", 3)
    with app.app_context():
        assert [(r.z_number, r.date.isoformat()) for r in db.session.execute(db.select(ZReport)).scalars()] == [
            ("0412", WORKED_DAY)
        ]
        assert db.session.execute(db.select(Day)).scalar_one().z_number == "0412"
