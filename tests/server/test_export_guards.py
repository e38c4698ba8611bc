"""Issue 13's guards: only the firm lifts the export lock; every account field follows domain.chart's one
rule; the export, archive and firm ZIP leave an audit row with the file's hash; a locked reopening keeps
its reason in the day's events and the audit trail."""

from __future__ import annotations

import hashlib
import io
import zipfile
from typing import Any

import pytest

from server.extensions import db
from server.models import AuditEntry, Company, Customer, Day, DayEvent, PaymentMethod, SalesCategory, Supplier
from tests.server.test_days_api import close_balanced, day_url, user_named

FEC_URL = "/api/companies/{cid}/exports/fec?from={start}&to={end}"


@pytest.fixture
def admin(auth, demo):
    return auth("gerant@demo.test")


def company_url(demo: dict[str, Any]) -> str:
    return f"/api/companies/{demo['bakery']}"


def lock_and_export_march(admin: Any, demo: dict[str, Any]) -> None:
    assert close_balanced(admin, day_url(demo, "2025-03-13"), demo).status_code == 200
    assert admin.patch(company_url(demo), json={"lock_exported_periods": True}).status_code == 200
    assert admin.get(FEC_URL.format(cid=demo["bakery"], start="2025-03-01", end="2025-03-31")).status_code == 200


# -- gap 1: the lock is lifted by the firm only ------------------------------------------------------------


def test_an_admin_cannot_lift_the_export_lock_and_reopen_an_exported_day(admin, auth, demo, app):
    lock_and_export_march(admin, demo)
    r = admin.patch(company_url(demo), json={"lock_exported_periods": False})
    assert r.status_code == 403 and r.json["code"] == "lock_firm_only"
    assert "cabinet" in r.json["message"] and "lock_exported_periods" in r.json["errors"]
    assert admin.get(company_url(demo)).json["lock_exported_periods"] is True
    r = admin.post(day_url(demo, "2025-03-13") + "/reopen", json={"reason": "Après le verrou levé"})
    assert r.status_code == 403 and r.json["code"] == "period_exported"
    assert admin.get(day_url(demo, "2025-03-13")).json["status"] == "closed"
    # turning it on again, or changing another setting, stays an admin's right
    assert admin.patch(company_url(demo), json={"lock_exported_periods": True}).status_code == 200
    assert admin.patch(company_url(demo), json={"address": "1 place du Marché"}).status_code == 200
    firm = auth("cabinet@demo.test")
    r = firm.patch(company_url(demo), json={"lock_exported_periods": False})
    assert r.status_code == 200 and r.json["lock_exported_periods"] is False
    with app.app_context():
        assert db.session.get(Company, demo["bakery"]).lock_exported_periods is False
    assert admin.post(day_url(demo, "2025-03-13") + "/reopen", json={"reason": "Verrou levé"}).status_code == 200


# -- gap 2: one rule for every account field ---------------------------------------------------------------


def _first(app: Any, model: type, company_id: int) -> int:
    with app.app_context():
        return int(
            db.session.execute(
                db.select(model.id).where(model.company_id == company_id).order_by(model.id).limit(1)
            ).scalar_one()
        )


def _column(app: Any, model: type, row_id: int, column: str) -> Any:
    with app.app_context():
        return getattr(db.session.get(model, row_id), column)


@pytest.mark.parametrize(
    ("path", "model", "column", "bad"),
    [
        ("categories", SalesCategory, "revenue_account", "900"),
        ("categories", SalesCategory, "revenue_account", "ABC"),
        ("categories", SalesCategory, "revenue_account", "7٠1"),  # an Arabic-Indic zero: isalnum, not an account
        ("payment-methods", PaymentMethod, "account", "830"),
        ("suppliers", Supplier, "expense_account", "900"),
        ("suppliers", Supplier, "expense_account", "6a"),
        ("customers", Customer, "account", "411 mairie"),  # auxiliary accounts: capitals and digits only
        ("customers", Customer, "account", "411é"),
    ],
)
def test_an_account_outside_the_chart_answers_422_naming_the_field(admin, demo, app, path, model, column, bad):
    row = _first(app, model, demo["bakery"])
    before = _column(app, model, row, column)
    r = admin.patch(f"{company_url(demo)}/{path}/{row}", json={column: bad})
    assert r.status_code == 422, r.json
    assert list(r.json["errors"]) == [column] and r.json["errors"][column][0]
    assert _column(app, model, row, column) == before


def test_good_accounts_still_save_and_an_empty_one_means_the_default(admin, demo, app):
    category = _first(app, SalesCategory, demo["bakery"])
    assert (
        admin.patch(f"{company_url(demo)}/categories/{category}", json={"revenue_account": "7071"}).json[
            "revenue_account"
        ]
        == "7071"
    )
    method = demo["bakery_methods"]["cash"]
    assert admin.patch(f"{company_url(demo)}/payment-methods/{method}", json={"account": ""}).status_code == 200
    assert (
        admin.patch(f"{company_url(demo)}/payment-methods/{method}", json={"account": "531"}).json["account"] == "531"
    )
    customer = _first(app, Customer, demo["bakery"])
    assert (
        admin.patch(f"{company_url(demo)}/customers/{customer}", json={"account": "411MAIRIE"}).json["account"]
        == "411MAIRIE"
    )
    # an empty revenue account would post to nothing the firm chose: the chart screen refuses it too
    r = admin.patch(f"{company_url(demo)}/categories/{category}", json={"revenue_account": ""})
    assert r.status_code == 422 and "revenue_account" in r.json["errors"]


def test_the_company_chart_map_names_each_bad_key_and_saves_nothing(admin, demo, app):
    with app.app_context():
        before = db.session.get(Company, demo["bakery"]).accounts
    r = admin.patch(company_url(demo), json={"accounts": {"cash": "830", "zzz": "ABC", "bank": "512"}})
    assert r.status_code == 422, r.json
    assert set(r.json["errors"]) == {"accounts.cash", "accounts.zzz"}
    assert "classes 1 à 7" in r.json["errors"]["accounts.cash"][0]
    assert "inconnue" in r.json["errors"]["accounts.zzz"][0]
    r = admin.patch(company_url(demo), json={"accounts": {"vat_output_550": "4457105", "journal_code": "c a"}})
    assert r.status_code == 422 and set(r.json["errors"]) == {"accounts.journal_code"}
    with app.app_context():
        assert db.session.get(Company, demo["bakery"]).accounts == before
    r = admin.patch(company_url(demo), json={"accounts": {"cash": "531", "vat_output_550": "4457105"}})
    assert r.status_code == 200 and r.json["accounts"] == {"cash": "531", "vat_output_550": "4457105"}


def test_account_900_never_reaches_the_fec(admin, demo, app):
    category = demo["bakery_categories"][0]
    assert admin.patch(f"{company_url(demo)}/categories/{category}", json={"revenue_account": "900"}).status_code == 422
    assert admin.patch(company_url(demo), json={"accounts": {"sales": "900"}}).status_code == 422
    assert close_balanced(admin, day_url(demo, "2025-03-13"), demo).status_code == 200
    fec = admin.get(FEC_URL.format(cid=demo["bakery"], start="2025-03-13", end="2025-03-13")).data
    accounts = {line.split("\t")[4] for line in fec.decode("iso-8859-15").splitlines()[1:]}
    assert accounts and all(a[0] in "1234567" for a in accounts)


# -- gap 4: the export's audit row holds the file's hash -----------------------------------------------------


def _export_audits(app: Any) -> list[AuditEntry]:
    with app.app_context():
        return list(
            db.session.execute(
                db.select(AuditEntry).where(AuditEntry.action == "export").order_by(AuditEntry.id)
            ).scalars()
        )


def test_each_export_is_audited_with_its_hash_and_period(admin, auth, demo, app):
    assert close_balanced(admin, day_url(demo, "2025-03-13"), demo).status_code == 200
    r = admin.get(FEC_URL.format(cid=demo["bakery"], start="2025-03-01", end="2025-03-31"))
    assert r.status_code == 200
    csv = admin.get(f"{company_url(demo)}/exports/csv?from=2025-03-13&to=2025-03-13")
    assert csv.status_code == 200
    archive = admin.get(f"{company_url(demo)}/exports/archive?year=2025")
    assert archive.status_code == 200, archive.json
    firm = auth("cabinet@demo.test").get("/api/firm/exports?from=2025-03-01&to=2025-03-31")
    assert firm.status_code == 200
    inner = zipfile.ZipFile(io.BytesIO(firm.data))
    rows = _export_audits(app)
    assert [(a.entity, a.company_id, a.after["format"]) for a in rows] == [
        ("export", demo["bakery"], "fec"),
        ("export", demo["bakery"], "csv"),
        ("export", demo["bakery"], "archive"),
        ("export", demo["bakery"], "fec"),
        ("export", demo["cafe"], "fec"),
    ]
    fec_row, csv_row, archive_row, firm_row, cafe_row = rows
    assert fec_row.after["sha256"] == r.headers["X-Export-Sha256"] == hashlib.sha256(r.data).hexdigest()
    assert (fec_row.after["period_start"], fec_row.after["period_end"]) == ("2025-03-01", "2025-03-31")
    assert csv_row.after["sha256"] == csv.headers["X-Export-Sha256"] == hashlib.sha256(csv.data).hexdigest()
    assert (csv_row.after["period_start"], csv_row.after["period_end"]) == ("2025-03-13", "2025-03-13")
    assert archive_row.after["sha256"] == archive.headers["X-Export-Sha256"]
    assert archive_row.after["sha256"] == hashlib.sha256(archive.data).hexdigest()
    assert (archive_row.after["period_start"], archive_row.after["period_end"]) == ("2025-01-01", "2025-12-31")
    # the firm's ZIP records each company's file: the hash is the FEC's inside the ZIP
    for row, company in ((firm_row, demo["bakery"]), (cafe_row, demo["cafe"])):
        inside = inner.read(f"{company}_{row.after['filename']}")
        assert row.after["sha256"] == hashlib.sha256(inside).hexdigest()
        assert (row.after["period_start"], row.after["period_end"]) == ("2025-03-01", "2025-03-31")
    with app.app_context():
        users = {a.user_id for a in _export_audits(app)}
    assert None not in users and len(users) == 2  # the admin, then the firm admin


# -- gap 5: a locked reopening keeps its reason ---------------------------------------------------------------


def test_the_firm_admin_s_reopening_of_an_exported_day_keeps_reopen_and_its_reason(admin, auth, demo, app):
    lock_and_export_march(admin, demo)
    reason = "Correction demandée par le cabinet"
    r = auth("cabinet@demo.test").post(day_url(demo, "2025-03-13") + "/reopen", json={"reason": reason})
    assert r.status_code == 200 and r.json["status"] == "open"
    with app.app_context():
        day = db.session.execute(
            db.select(Day).where(Day.company_id == demo["bakery"], Day.date == db.func.date("2025-03-13"))
        ).scalar_one()
        events = (
            db.session.execute(db.select(DayEvent).where(DayEvent.day_id == day.id).order_by(DayEvent.id))
            .scalars()
            .all()
        )
        assert [(e.kind, e.reason) for e in events][-1] == ("reopen", reason)
        audit = (
            db.session.execute(db.select(AuditEntry).where(AuditEntry.action == "reopen").order_by(AuditEntry.id))
            .scalars()
            .all()
        )
        assert len(audit) == 1 and audit[0].after["reason"] == reason and audit[0].after["status"] == "open"
        assert audit[0].entity_id == f"{day.register_id}/2025-03-13" and audit[0].company_id == demo["bakery"]
        firm_user = user_named("cabinet@demo.test").id
        assert events[-1].user_id == firm_user and audit[0].user_id == firm_user


# -- gap 6: one output VAT account per rate in the chart document ---------------------------------------------


def test_the_chart_lists_an_output_vat_account_per_rate_and_keeps_a_set_one(admin, demo, app):
    url = f"{company_url(demo)}/chart"
    with app.app_context():
        used = sorted(
            set(
                db.session.execute(
                    db.select(SalesCategory.vat_bp).where(SalesCategory.company_id == demo["bakery"])
                ).scalars()
            )
        )
    chart = admin.get(url).json
    assert [r["vat_bp"] for r in chart["vat_rates"]] == used and 550 in used
    by_rate = {r["vat_bp"]: r for r in chart["vat_rates"]}
    assert by_rate[550] == {"vat_bp": 550, "key": "vat_output_550", "account": "", "default": "44571055"}
    r = admin.put(url, json={"accounts": {"vat_output_550": "4457105", "vat_output_210": "4457102"}})
    assert r.status_code == 200, r.json
    by_rate = {x["vat_bp"]: x for x in r.json["vat_rates"]}
    assert by_rate[550]["account"] == "4457105" and by_rate[210]["account"] == "4457102"  # 2,1 %: no category
    r = admin.put(url, json={"accounts": {"vat_output_550": "ABC"}})
    assert r.status_code == 422 and list(r.json["errors"]) == ["accounts.vat_output_550"]


def test_the_firm_only_lock_is_documented_in_the_openapi(client):
    patch = client.get("/api/openapi.json").json["paths"]["/api/companies/{cid}"]["patch"]
    assert "403" in patch["responses"] and "lock_firm_only" in patch["responses"]["403"]["description"]
