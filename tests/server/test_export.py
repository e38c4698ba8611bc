"""Accounting exports over HTTP: FEC and CSV of closed days, the chart of accounts, the export record and lock."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

import pytest

from server.extensions import db
from server.models import Company, ExportRecord, JournalEntry
from server.services.export_source import sealed_payloads
from tests.server.test_days_api import WORKED_DAY, close_balanced, day_url, worked_header
from tests.server.test_frozen_journal import _downgrade_to_version_1

FEC_URL = "/api/companies/{cid}/exports/fec?from={start}&to={end}"


@pytest.fixture
def admin(auth, demo):
    return auth("gerant@demo.test")


def close_worked_day(client: Any, demo: dict[str, Any]) -> None:
    """DOMAIN §5's day: Z, expense 31,65, deposit 350,00, counted 216,35 (−2,00), then closed."""
    url, m = day_url(demo, WORKED_DAY), demo["bakery_methods"]
    assert client.put(url, json=worked_header(demo)).status_code == 200
    assert client.post(url + "/flows", json={"kind": "expense", "amount": "31.65", "label": "Farine",
                                             "vat_bp": 550, "method_id": m["cash"]}).status_code == 201
    assert client.post(url + "/flows", json={"kind": "deposit", "amount": "350", "method_id": m["cash"],
                                             "slip_number": "RB-1"}).status_code == 201
    revision = client.get(url).json["revision"]
    r = client.put(url, json={"base_revision": revision, "comment": "Erreur de rendu.",
                              "counts": [{"method_id": m["cash"], "amount": "216.35"},
                                         {"method_id": m["cheque"], "amount": "70.00"}]})
    assert r.status_code == 200, r.json
    assert client.post(url + "/close", json={}).status_code == 200


def fec_rows(body: bytes) -> list[list[str]]:
    return [line.split("\t") for line in body.decode("iso-8859-15").rstrip("\r\n").split("\r\n")]


def test_the_worked_day_exports_as_a_fec_line_for_line(admin, demo, app):
    close_worked_day(admin, demo)
    r = admin.get(FEC_URL.format(cid=demo["bakery"], start=WORKED_DAY, end=WORKED_DAY))
    assert r.status_code == 200, r.data
    assert r.headers["Content-Disposition"] == 'attachment; filename="732829320FEC20251231.txt"'
    assert r.headers["X-Export-Sha256"] == hashlib.sha256(r.data).hexdigest()
    rows = fec_rows(r.data)
    assert rows[0][:4] == ["JournalCode", "JournalLib", "EcritureNum", "EcritureDate"] and len(rows[0]) == 18
    entries: dict[str, list[tuple[str, str, str]]] = {}
    for row in rows[1:]:
        entries.setdefault(row[2], []).append((row[4], row[11], row[12]))
    assert list(entries) == ["1", "2", "3", "4"]  # flows follow their ids, so expense and deposit may swap
    assert [("606", "30,00", "0,00"), ("44566", "1,65", "0,00"), ("530", "0,00", "31,65")] in entries.values()
    assert [("580", "350,00", "0,00"), ("530", "0,00", "350,00")] in entries.values()
    assert entries["4"] == [("658", "2,00", "0,00"), ("530", "0,00", "2,00")]
    sales = sorted(entries["1"])
    assert ("530", "400,00", "0,00") in sales and ("5112", "70,00", "0,00") in sales
    assert ("5115", "503,00", "0,00") in sales and ("44571055", "0,00", "33,00") in sales
    assert {row[3] for row in rows[1:]} == {"20250314"}
    with app.app_context():
        record = db.session.execute(db.select(ExportRecord)).scalar_one()
        assert (record.format, record.sha256, record.entry_count) == ("fec", hashlib.sha256(r.data).hexdigest(), 4)
    history = admin.get(f"/api/companies/{demo['bakery']}/exports").json
    assert [(h["format"], h["sha256"], h["user_name"]) for h in history] == [
        ("fec", record.sha256, "Gérard Boulanger")]


def test_csv_holds_the_same_entries(admin, demo):
    close_worked_day(admin, demo)
    r = admin.get(f"/api/companies/{demo['bakery']}/exports/csv?from={WORKED_DAY}&to={WORKED_DAY}")
    assert r.status_code == 200 and r.data.startswith(b"\xef\xbb\xbf")
    assert r.headers["Content-Disposition"].endswith('732829320FEC20251231.csv"')
    lines = r.data.decode("utf-8-sig").splitlines()
    assert lines[0].split(";")[0] == "JournalCode" and len(lines) == 1 + 9 + 3 + 2 + 2


def test_a_period_with_open_days_answers_409_listing_them(admin, demo):
    close_balanced(admin, day_url(demo, "2025-03-13"), demo)
    admin.put(day_url(demo, "2025-03-14"), json={"base_revision": 0, "z_number": "1"})
    r = admin.get(FEC_URL.format(cid=demo["bakery"], start="2025-03-01", end="2025-03-31"))
    assert r.status_code == 409 and r.json["code"] == "open_days"
    assert r.json["open_days"] == [{"register": "Boutique", "date": "2025-03-14"}]
    assert "14/03/2025 (Boutique)" in r.json["message"]


def test_a_company_without_siren_answers_422(admin, demo, app):
    close_balanced(admin, day_url(demo, "2025-03-13"), demo)
    with app.app_context():
        db.session.get(Company, demo["bakery"]).siren = ""
        db.session.commit()
    r = admin.get(FEC_URL.format(cid=demo["bakery"], start="2025-03-01", end="2025-03-31"))
    assert r.status_code == 422 and "siren" in r.json["errors"]


@pytest.mark.parametrize(("query", "field"), [
    ("from=2025-03-31&to=2025-03-01", "to"), ("from=2025-03-01", "to"), ("from=x&to=2025-03-01", "from"),
    ("from=2025-03-01&to=2025-03-31&sep=%3B", "sep"), ("from=2025-03-01&to=2025-03-31&encoding=cp1252", "encoding"),
    ("from=2000-01-01&to=2025-03-31", "to")])
def test_bad_queries_name_their_field(admin, demo, query, field):
    r = admin.get(f"/api/companies/{demo['bakery']}/exports/fec?{query}")
    assert r.status_code == 422 and field in r.json["errors"], r.json


def test_cashiers_and_other_companies_cannot_export(auth, demo):
    url = FEC_URL.format(cid=demo["bakery"], start="2025-03-01", end="2025-03-31")
    assert auth("caisse@demo.test").get(url).status_code == 403
    assert auth("cafe@demo.test").get(url).status_code == 404
    assert auth("cabinet@demo.test").get(url).status_code == 200


def test_chart_defaults_by_legal_form_and_validation_naming_the_field(admin, auth, demo):
    url = f"/api/companies/{demo['bakery']}/chart"
    chart = admin.get(url).json
    assert chart["accounts"]["owner"] == "108" and chart["accounts"]["journal_code"] == "CA"
    assert auth("cafe@demo.test").get(f"/api/companies/{demo['cafe']}/chart").json["accounts"]["owner"] == "455"
    r = admin.put(url, json={"accounts": {"cash": "830", "bank": "512a", "nope": "530"}})
    assert r.status_code == 422 and set(r.json["errors"]) == {"accounts.cash", "accounts.bank", "accounts.nope"}
    category = chart["categories"][0]["id"]
    r = admin.put(url, json={"categories": [{"id": category, "account": "9070"}]})
    assert r.status_code == 422 and list(r.json["errors"]) == ["categories.0.account"]
    r = admin.put(url, json={"methods": [{"id": 2**40, "account": "530"}]})
    assert r.status_code == 422 and "methods.0.id" in r.json["errors"]
    customer = chart["customers"][0]["id"]
    r = admin.put(url, json={"customers": [{"id": customer, "account": "411 martin"}]})
    assert r.status_code == 422 and list(r.json["errors"]) == ["customers.0.account"]
    assert chart["customers"][0]["account"] == "411MAIRIE"  # auxiliary accounts may hold capitals
    assert admin.put(url, json={"customers": [{"id": customer, "account": "411MAIRIE2"}]}).status_code == 200
    assert auth("caisse@demo.test").get(url).status_code == 403
    r = auth("cabinet@demo.test").put(url, json={"accounts": {"cash": "531", "owner": "108", "journal_code": "CAI"},
                                                 "categories": [{"id": category, "account": "7011"}]})
    assert r.status_code == 200, r.json
    assert r.json["accounts"]["cash"] == "531" and r.json["categories"][0]["account"] == "7011"
    assert admin.get(f"/api/companies/{demo['bakery']}").json["accounts"] == {"cash": "531", "journal_code": "CAI"}


def freeze_as_version_2(app: Any, company_id: int) -> None:
    """What helper j's closing will store: the v2 payload (day, settings, chart) sealed at closing."""
    with app.app_context():
        company = db.session.get(Company, company_id)
        frozen = {(p["meta"]["register"]["id"], p["meta"]["sequence"]): p
                  for p in sealed_payloads(company, date(2000, 1, 1), date(2100, 1, 1))}
        for entry in db.session.execute(db.select(JournalEntry)).scalars():
            payload = frozen[(entry.register_id, entry.sequence)]
            payload["meta"].pop("rebuilt", None)  # absent when the closing already sealed version 2
            entry.payload = json.dumps(payload, sort_keys=True, separators=(",", ":"))
        db.session.commit()


def test_changing_the_chart_after_closing_leaves_a_re_export_byte_identical(admin, demo, app):
    close_worked_day(admin, demo)
    close_balanced(admin, day_url(demo, "2025-03-15"), demo)
    freeze_as_version_2(app, demo["bakery"])
    url = FEC_URL.format(cid=demo["bakery"], start="2025-03-01", end="2025-03-31")
    before = admin.get(url).data
    chart = admin.get(f"/api/companies/{demo['bakery']}/chart").json
    r = admin.put(f"/api/companies/{demo['bakery']}/chart", json={
        "accounts": {"cash": "531", "journal_code": "VT", "vat_output_550": "445715"},
        "methods": [{"id": m["id"], "account": "5310"} for m in chart["methods"]],
        "categories": [{"id": c["id"], "account": "706"} for c in chart["categories"]],
        "suppliers": [{"id": s["id"], "account": "602"} for s in chart["suppliers"]]})
    assert r.status_code == 200, r.json
    after = admin.get(url)
    assert after.data == before
    assert b"\t5310\t" not in before and b"\t530\t" in before


def test_records_sealed_before_version_2_follow_the_current_chart(app, admin, demo):
    """The fallback for old records (no frozen chart): documented, and visible here."""
    close_balanced(admin, day_url(demo, "2025-03-13"), demo)
    _downgrade_to_version_1(app, 1)  # closings now seal version 2: make this one an old record
    url = FEC_URL.format(cid=demo["bakery"], start="2025-03-13", end="2025-03-13")
    assert b"\t530\t" in admin.get(url).data
    cash = demo["bakery_methods"]["cash"]
    assert admin.put(f"/api/companies/{demo['bakery']}/chart",
                     json={"methods": [{"id": cash, "account": "531"}]}).status_code == 200
    assert b"\t531\t" in admin.get(url).data


def test_the_lock_lets_only_a_firm_admin_reopen_an_exported_day(admin, auth, demo):
    close_balanced(admin, day_url(demo, "2025-03-13"), demo)
    close_balanced(admin, day_url(demo, "2025-04-02"), demo)
    assert admin.patch(f"/api/companies/{demo['bakery']}", json={"lock_exported_periods": True}).status_code == 200
    assert admin.get(FEC_URL.format(cid=demo["bakery"], start="2025-03-01", end="2025-03-31")).status_code == 200
    r = admin.post(day_url(demo, "2025-03-13") + "/reopen", json={"reason": "Dépense oubliée"})
    assert r.status_code == 403 and r.json["code"] == "period_exported"
    assert "seul le cabinet" in r.json["message"]
    r = admin.post(day_url(demo, "2025-04-02") + "/reopen", json={"reason": "Hors période exportée"})
    assert r.status_code == 200
    firm = auth("cabinet@demo.test")
    assert firm.post(day_url(demo, "2025-03-13") + "/reopen", json={"reason": " "}).status_code == 422
    r = firm.post(day_url(demo, "2025-03-13") + "/reopen", json={"reason": "Correction demandée par le cabinet"})
    assert r.status_code == 200 and r.json["status"] == "open"


def test_without_the_lock_an_admin_reopens_an_exported_day(admin, demo):
    close_balanced(admin, day_url(demo, "2025-03-13"), demo)
    assert admin.get(FEC_URL.format(cid=demo["bakery"], start="2025-03-01", end="2025-03-31")).status_code == 200
    assert admin.post(day_url(demo, "2025-03-13") + "/reopen", json={"reason": "Oubli"}).status_code == 200


def test_the_exports_are_documented_in_the_openapi(client):
    spec = client.get("/api/openapi.json").json
    fec = spec["paths"]["/api/companies/{cid}/exports/fec"]["get"]
    assert {"200", "409", "422"} <= set(fec["responses"])
    assert "text/plain" in fec["responses"]["200"]["content"]
    assert {p["name"] for p in fec["parameters"] if p["in"] == "query"} == {"from", "to", "sep", "encoding"}
    for path in ("/api/companies/{cid}/exports/csv", "/api/companies/{cid}/exports",
                 "/api/companies/{cid}/exports/archive", "/api/companies/{cid}/exports/archive/verify",
                 "/api/companies/{cid}/chart", "/api/firm/exports"):
        assert path in spec["paths"], path
