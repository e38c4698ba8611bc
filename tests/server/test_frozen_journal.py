"""The sealed record of a closed day (version 2, domain.sealed): frozen settings, chart and Z order, so a later
change of a category's account, label or VAT rate changes neither the payload, nor verify-journal's verdict,
nor the entries computed from the payload; version-1 records of older databases keep verifying."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from sqlalchemy import update

from domain import GENESIS, canonical_json, chain_hash, day_entries, day_input_to_dict, parse_day_input
from server.cli_journal import verify_journal_command
from server.extensions import db
from server.models import Company, Day, DayLine, Flow, JournalEntry, SalesCategory
from server.services.journal import day_record
from tests.server.test_days_api import categories, day_url

ON = "2026-03-10"


@pytest.fixture
def till(auth, demo):
    return auth("caisse@demo.test")


@pytest.fixture
def admin(auth, demo):
    return auth("gerant@demo.test")


def verify(app: Any) -> Any:
    return app.test_cli_runner().invoke(verify_journal_command)


def entries_of(payload: dict[str, Any]) -> list[Any]:
    return day_entries(parse_day_input(payload["input"]), payload["chart"])


def close_worked_day(client: Any, demo: dict[str, Any], on: str = ON) -> dict[str, Any]:
    """The worked day of DOMAIN §5 with an expense to La Poste at 0 % and a bank deposit, counted, closed."""
    cat, m, url = categories(demo), demo["bakery_methods"], day_url(demo, on)
    header = {"base_revision": 0, "z_number": "Z-0412", "sales_count": 150,
              "sales": [{"category_id": cat["pain"], "amount": "633.00"},
                        {"category_id": cat["snacking"], "amount": "220.00"},
                        {"category_id": cat["epicerie"], "amount": "120.00"}],
              "payments": [{"method_id": m["cash"], "amount": "400.00"}, {"method_id": m["card"], "amount": "503.00"},
                           {"method_id": m["cheque"], "amount": "70.00"}],
              "opening": [{"method_id": m["cash"], "amount": "200.00"}]}
    r = client.put(url, json=header)
    assert r.status_code == 200, r.json
    flows = [{"id": str(uuid.uuid4()), "kind": "deposit", "amount": "350.00",
              "method_id": m["cash"], "slip_number": "B-77"},
             {"id": str(uuid.uuid4()), "kind": "expense", "amount": "31.65",
              "method_id": m["cash"], "label": "Farine", "vat_bp": 550, "account": "601"}]
    for flow in flows:
        assert client.post(url + "/flows", json=flow).status_code == 201
    day = client.get(url).json
    counts = [{"method_id": b["method_id"], "amount": b["expected"]} for b in day["balances"]]
    assert client.put(url, json={"base_revision": day["revision"], "counts": counts}).status_code == 200
    closed = client.post(url + "/close", json={})
    assert closed.status_code == 200, closed.json
    return closed.json


def payload_of(app: Any, sequence: int = 1) -> tuple[str, dict[str, Any]]:
    with app.app_context():
        text = db.session.execute(db.select(JournalEntry.payload).where(JournalEntry.sequence == sequence)
                                  ).scalar_one()
    return text, json.loads(text)


def test_the_sealed_record_freezes_settings_chart_and_z_order(app, demo, till, admin):
    cat = categories(demo)
    # The Z order is the categories' position, not their id: put Pain last, Épicerie before it.
    assert admin.patch(f"/api/companies/{demo['bakery']}/categories/{cat['epicerie']}",
                       json={"position": 10}).status_code == 200
    assert admin.patch(f"/api/companies/{demo['bakery']}/categories/{cat['pain']}",
                       json={"position": 12}).status_code == 200
    with app.app_context():
        company = db.session.get(Company, demo["bakery"])
        company.accounts = {"vat_output": "44570"}  # this firm's output-VAT account
        db.session.commit()
    close_worked_day(till, demo)
    _text, payload = payload_of(app)

    assert payload["version"] == 2
    assert day_input_to_dict(parse_day_input(payload["input"])) == payload["input"]
    sales = payload["input"]["day"]["sales"]
    assert [s["category_id"] for s in sales] == [cat["snacking"], cat["epicerie"], cat["pain"]]
    frozen = {c["id"]: c for c in payload["input"]["settings"]["categories"]}
    assert set(frozen) == {cat["pain"], cat["snacking"], cat["epicerie"]}  # only what the day uses
    assert frozen[cat["pain"]] == {"id": cat["pain"], "label": "Pain", "position": 12, "vat_bp": 550,
                                   "account": "701"}
    assert payload["chart"]["vat_output"] == "44570" and payload["chart"]["cheque"] == "5112"
    methods = {m["kind"]: m for m in payload["input"]["settings"]["methods"]}
    assert methods["cash"]["account"] == "530" and methods["cash"]["deposit_mode"] == "manual"
    deposit = next(f for f in payload["input"]["day"]["flows"] if f["kind"] == "deposit")
    assert deposit["slip_number"] == "B-77"
    meta = payload["meta"]
    assert meta["company"] == {"id": demo["bakery"], "name": "Boulangerie du Marché", "siren": "732829320",
                               "legal_form": "sole_trader"}
    assert meta["register"]["name"] == "Boutique" and meta["date"] == ON and meta["sequence"] == 1
    assert meta["z_number"] == "Z-0412" and meta["closed_by"]["name"] == "Camille Caissière"
    assert meta["device_id"].startswith("web:") and meta["closed_at"] and meta["day_id"]
    result = payload["result"]
    assert result["totals"]["sales_ttc"] == 97300 and result["totals"]["sales_ht"] == 90000
    assert result["totals"]["average_basket"] == 649
    assert [v["vat_bp"] for v in result["vat_lines"]] == [550, 1000, 2000]
    cash = next(b for b in result["methods"] if b["kind"] == "cash")
    assert (cash["opening"], cash["expected"], cash["counted"], cash["difference"]) == (20000, 21835, 21835, 0)
    assert payload["totals"] == {"sales_ttc": 97300, "sales_ht": 90000, "sales_vat": 7300, "payments": 97300}
    assert payload["findings"] == []
    z = entries_of(payload)[0]
    accounts = {(line.account, line.credit) for line in z.lines if line.credit}
    assert {("701", 60000), ("706", 20000), ("707", 10000)} <= accounts  # revenue HT per category, frozen
    assert any(line.account == "44570055" and line.credit == 3300 for line in z.lines)  # the chart as it stood
    assert any(line.account == "530" and line.debit == 40000 for line in z.lines)  # the method's own account


def test_changing_a_category_after_closing_changes_nothing_sealed(app, demo, till, admin):
    cat = categories(demo)
    close_worked_day(till, demo)
    text, payload = payload_of(app)
    before = entries_of(payload)
    ok = verify(app)
    assert ok.exit_code == 0 and "Journal intègre (1 journées)" in ok.output

    r = admin.patch(f"/api/companies/{demo['bakery']}/categories/{cat['pain']}",
                    json={"label": "Pain bio", "vat_bp": 2000, "revenue_account": "7011"})
    assert r.status_code == 200 and r.json["label"] == "Pain bio"
    with app.app_context():
        company = db.session.get(Company, demo["bakery"])
        company.accounts = {"cash": "531", "vat_output": "4457"}
        db.session.commit()
        assert db.session.get(SalesCategory, cat["pain"]).revenue_account == "7011"

    after_text, after = payload_of(app)
    assert after_text == text  # the stored record is untouched
    assert entries_of(after) == before  # the entries computed from it are the same
    assert any(line.account == "701" and line.credit == 60000 for line in before[0].lines)
    again = verify(app)
    assert again.exit_code == 0 and again.output == ok.output
    # and the day as the API reads it now shows the new label: only the sealed record is frozen
    live = {s["category_id"]: s["label"] for s in admin.get(day_url(demo, ON)).json["sales"]}
    assert live[cat["pain"]] == "Pain bio"


def test_tampering_a_sealed_day_is_still_caught(app, demo, till):
    close_worked_day(till, demo)
    with app.app_context():
        day_id = db.session.execute(db.select(JournalEntry.day_id)).scalar_one()
        db.session.execute(update(Flow).where(Flow.day_id == day_id, Flow.kind == "deposit")
                           .values(amount_cents=Flow.amount_cents - 100))
        db.session.commit()
    broken = verify(app)
    assert broken.exit_code == 1 and "séquence 1, journée du 10/03/2026" in broken.output


def test_a_count_grid_changed_after_closing_is_caught(app, demo, till):
    close_worked_day(till, demo)
    with app.app_context():
        day_id = db.session.execute(db.select(JournalEntry.day_id)).scalar_one()
        db.session.execute(update(DayLine).where(DayLine.day_id == day_id, DayLine.kind == "count")
                           .values(grid={"1000": 1}))
        db.session.commit()
    assert verify(app).exit_code == 1


def _downgrade_to_version_1(app: Any, sequence: int) -> None:
    """Rewrite a closing as the code before issue 8 sealed it (a version-1 record), re-chaining from it."""
    with app.app_context():
        entries = db.session.execute(db.select(JournalEntry).order_by(JournalEntry.register_id,
                                                                      JournalEntry.sequence)).scalars().all()
        prev = GENESIS
        for entry in entries:
            record = json.loads(entry.payload)
            if entry.sequence == sequence:
                record = day_record(db.session.get(Day, entry.day_id))
            entry.prev_hash, entry.payload, entry.hash = prev, canonical_json(record), chain_hash(prev, record)
            db.session.get(Day, entry.day_id).hash = entry.hash
            prev = entry.hash
        db.session.commit()


def test_version_1_records_keep_verifying_next_to_version_2(app, demo, till):
    close_worked_day(till, demo)
    _downgrade_to_version_1(app, 1)
    close_worked_day(till, demo, on="2026-03-11")  # sealed as version 2 on top of a version-1 link
    assert "version" not in payload_of(app, 1)[1] and payload_of(app, 2)[1]["version"] == 2
    ok = verify(app)
    assert ok.exit_code == 0 and "Journal intègre (2 journées)" in ok.output
    with app.app_context():
        day_id = db.session.execute(db.select(JournalEntry.day_id).where(JournalEntry.sequence == 1)).scalar_one()
        db.session.execute(update(DayLine).where(DayLine.day_id == day_id, DayLine.kind == "sale")
                           .values(amount_cents=DayLine.amount_cents + 1))
        db.session.commit()
    broken = verify(app)
    assert broken.exit_code == 1 and "séquence 1" in broken.output


def test_a_sealed_result_that_disagrees_with_its_input_is_caught(app, demo, till):
    """Someone rewrites the result of a record and recomputes the whole chain: the record no longer agrees
    with itself."""
    close_worked_day(till, demo)
    with app.app_context():
        entry = db.session.execute(db.select(JournalEntry)).scalar_one()
        record = json.loads(entry.payload)
        record["result"]["totals"]["sales_ttc"] += 100
        entry.payload, entry.hash = canonical_json(record), chain_hash(GENESIS, record)
        db.session.get(Day, entry.day_id).hash = entry.hash
        db.session.commit()
    assert verify(app).exit_code == 1
