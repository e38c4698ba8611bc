"""Closing: controls before sealing, the gapless hash chain, journaled reopening, periods, tamper evidence,
and a closed day refusing every write path."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest
from sqlalchemy import update

from server.cli_journal import close_periods_command, verify_journal_command
from server.errors import ApiError
from server.extensions import db
from server.models import DayEvent, DayLine, JournalEntry, Register
from server.services.closing import close_period
from server.services.mutations import apply_batch
from sync import Mutation
from tests.server.test_days_api import close_balanced, day_url, user_named

DAYS = ["2026-03-10", "2026-03-11", "2026-03-12"]


@pytest.fixture
def till(auth, demo):
    return auth("caisse@demo.test")


def sequences(app: Any) -> list[int]:
    with app.app_context():
        return list(db.session.execute(db.select(JournalEntry.sequence).order_by(JournalEntry.sequence)).scalars())


def test_close_requires_a_comment_when_the_count_differs(till, demo):
    url, m = day_url(demo, DAYS[0]), demo["bakery_methods"]
    till.put(url, json={"base_revision": 0, "sales": [{"category_id": demo["bakery_categories"][0], "amount": "50"}],
                        "payments": [{"method_id": m["cash"], "amount": "50"}],
                        "counts": [{"method_id": m["cash"], "amount": "48.00"},
                                   {"method_id": m["cheque"], "amount": 0}]})
    r = till.post(url + "/close", json={})
    assert r.status_code == 422 and r.json["code"] == "cannot_close"
    assert [f["kind"] for f in r.json["findings"] if f["severity"] == "error"] == ["missing_comment"]
    assert till.put(url, json={"base_revision": 1, "comment": "Erreur de rendu."}).status_code == 200
    assert till.post(url + "/close", json={}).json["status"] == "closed"


def test_breakdown_mismatch_blocks_closing(till, demo):
    url, m = day_url(demo, DAYS[0]), demo["bakery_methods"]
    till.put(url, json={"base_revision": 0, "sales": [{"category_id": demo["bakery_categories"][0], "amount": "50"}],
                        "payments": [{"method_id": m["card"], "amount": "45"}],
                        "counts": [{"method_id": m["cash"], "amount": 0}, {"method_id": m["cheque"], "amount": 0}]})
    r = till.post(url + "/close", json={})
    assert r.status_code == 422 and "findings" in r.json["errors"]
    errors = [(f["kind"], f["amount"]) for f in r.json["findings"] if f["severity"] == "error"]
    assert errors == [("breakdown_mismatch", "5.00")]
    assert till.get(url).json["status"] == "open"


def test_sequence_is_gapless_per_register_and_refusals_take_no_number(till, demo, app):
    close_balanced(till, day_url(demo, DAYS[0]), demo)
    assert till.post(day_url(demo, DAYS[1]) + "/close", json={}).status_code == 422  # nothing counted
    close_balanced(till, day_url(demo, DAYS[1]), demo)
    close_balanced(till, day_url(demo, "2026-03-14", register=1), demo)  # the market (Saturdays) has its own chain
    close_balanced(till, day_url(demo, DAYS[2]), demo)
    with app.app_context():
        chains = db.session.execute(db.select(JournalEntry.register_id, JournalEntry.sequence)
                                    .order_by(JournalEntry.register_id, JournalEntry.sequence)).all()
    boutique, market = demo["bakery_registers"]
    assert [tuple(c) for c in chains] == [(boutique, 1), (boutique, 2), (boutique, 3), (market, 1)]


def test_reopen_is_admin_only_and_journaled_with_who_when_why(auth, till, demo, app):
    url = day_url(demo, DAYS[0])
    first = close_balanced(till, url, demo).json
    assert till.post(url + "/reopen", json={"reason": "Oubli"}).status_code == 403
    admin = auth("gerant@demo.test")
    assert admin.post(url + "/reopen", json={"reason": "  "}).status_code == 422
    r = admin.post(url + "/reopen", json={"reason": "Dépense oubliée"})
    assert r.status_code == 200 and r.json["status"] == "open" and r.json["sequence"] is None
    with app.app_context():
        event = db.session.execute(db.select(DayEvent).where(DayEvent.kind == "reopen")).scalar_one()
        assert (event.user_id, event.reason) == (user_named("gerant@demo.test").id, "Dépense oubliée")
        assert event.at is not None
    again = close_balanced(till, url, demo, "120.00").json
    assert (again["sequence"], first["sequence"]) == (2, 1) and again["hash"] != first["hash"]
    assert [e["kind"] for e in again["events"]] == ["close", "reopen", "close"]
    assert sequences(app) == [1, 2]  # the first link stays


def test_reopening_an_open_day_is_a_conflict(auth, demo):
    r = auth("gerant@demo.test").post(day_url(demo, DAYS[0]) + "/reopen", json={"reason": "Pourquoi pas"})
    assert r.status_code == 409 and r.json["code"] == "not_closed"


def test_period_closing_totals_and_grand_total(till, demo, app):
    close_balanced(till, day_url(demo, "2026-02-24"), demo, "100.00")
    close_balanced(till, day_url(demo, "2026-02-25"), demo, "211.00")
    close_balanced(till, day_url(demo, "2026-03-10"), demo, "50.00")
    till.put(day_url(demo, "2026-03-11"), json={"base_revision": 0, "comment": "en cours"})
    with app.app_context():
        register = db.session.get(Register, demo["bakery_registers"][0])
        feb = close_period(register, "month", date(2026, 2, 1), today=date(2026, 11, 22))
        assert (feb.period_end, feb.total_ttc_cents, feb.grand_total_cents, feb.last_sequence) == (
            date(2026, 2, 28), 31100, 31100, 2)
        assert feb.total_ht_cents == 9479 + 20000 and len(feb.hash) == 64  # HT at 5,5 %: 94,79 + 200,00
        with pytest.raises(ApiError) as refused:
            close_period(register, "month", date(2026, 3, 1), today=date(2026, 11, 22))
        assert "ouvertes" in str(refused.value.errors["period_start"])
        with pytest.raises(ApiError):
            close_period(register, "month", date(2026, 11, 1), today=date(2026, 11, 22))  # not over
        db.session.commit()
    till.put(day_url(demo, "2026-03-11"), json={"base_revision": 1, "comment": ""})
    close_balanced(till, day_url(demo, "2026-03-11"), demo, "9.00")
    with app.app_context():
        register = db.session.get(Register, demo["bakery_registers"][0])
        march = close_period(register, "month", date(2026, 3, 1), today=date(2026, 11, 22))
        year = close_period(register, "year", date(2025, 1, 1), today=date(2026, 11, 22))
        assert (march.total_ttc_cents, march.fiscal_year_cumulative_cents, march.grand_total_cents) == (
            5900, 37000, 37000)
        assert year.total_ttc_cents == 0 and march.last_sequence == 4
        db.session.commit()
    assert app.test_cli_runner().invoke(verify_journal_command).exit_code == 0


def test_close_periods_command_closes_every_complete_month_once(till, demo, app):
    close_balanced(till, day_url(demo, "2026-09-29"), demo)
    close_balanced(till, day_url(demo, "2026-10-27"), demo)
    till.put(day_url(demo, "2026-10-28"), json={"base_revision": 0, "comment": "pas fini"})
    runner = app.test_cli_runner()
    first = runner.invoke(close_periods_command, ["--today", "2026-11-22"])
    assert first.exit_code == 0 and "1 clôture(s)" in first.output  # September; October has an open day
    assert "mois du 01/10/2026" in first.output
    assert "0 clôture(s)" in runner.invoke(close_periods_command, ["--today", "2026-11-22"]).output


def verify(app: Any) -> Any:
    return app.test_cli_runner().invoke(verify_journal_command)


def test_tampering_a_closed_day_amount_is_named_by_verify_journal(till, demo, app):
    for on in DAYS:
        close_balanced(till, day_url(demo, on), demo)
    ok = verify(app)
    assert ok.exit_code == 0 and "Journal intègre (3 journées)" in ok.output
    with app.app_context():
        day_id = db.session.execute(db.select(JournalEntry.day_id).where(JournalEntry.sequence == 2)).scalar_one()
        db.session.execute(update(DayLine).where(DayLine.day_id == day_id, DayLine.kind == "sale")
                           .values(amount_cents=DayLine.amount_cents + 1))
        db.session.commit()
    result = verify(app)
    assert result.exit_code == 1
    named = "Journal altéré : caisse Boutique (Boulangerie du Marché), séquence 2, journée du 11/03/2026"
    assert named in result.output


def test_tampering_a_journal_payload_breaks_the_chain(till, demo, app):
    for on in DAYS:
        close_balanced(till, day_url(demo, on), demo)
    with app.app_context():
        entry = db.session.execute(db.select(JournalEntry).where(JournalEntry.sequence == 1)).scalar_one()
        entry.payload = entry.payload.replace('"sales_count":', '"sales_count":1')
        db.session.commit()
    result = verify(app)
    assert result.exit_code == 1 and "séquence 1, journée du 10/03/2026" in result.output


# -- a closed day refuses every write path -------------------------------------------------------


@pytest.fixture
def closed(till, demo, app):
    """A closed Tuesday with one flow, and the open Wednesday after it."""
    url = day_url(demo, DAYS[0])
    cash = demo["bakery_methods"]["cash"]
    flow = till.post(url + "/flows", json={"kind": "cash_in", "amount": "10", "method_id": cash}).json["flows"][0]
    assert close_balanced(till, url, demo).status_code == 200
    with app.app_context():
        frozen = db.session.execute(db.select(JournalEntry.payload)).scalar_one()
    return {"url": url, "flow": flow["id"], "payload": frozen, "cash": cash}


def unchanged(app: Any, closed: dict) -> None:
    with app.app_context():
        assert db.session.execute(db.select(JournalEntry.payload)).scalars().all() == [closed["payload"]]
    assert verify(app).exit_code == 0


def refused_409(response: Any) -> None:
    assert response.status_code == 409 and response.json["code"] == "day_closed", response.json
    assert response.json["server_value"]["status"] == "closed"


def test_closed_day_refuses_put_header(till, closed, app):
    refused_409(till.put(closed["url"], json={"base_revision": 2, "comment": "modifié"}))
    unchanged(app, closed)


def test_closed_day_refuses_a_flow(till, closed, app):
    refused_409(till.post(closed["url"] + "/flows", json={"kind": "cash_out", "amount": "5",
                                                         "method_id": closed["cash"], "reason": "x"}))
    unchanged(app, closed)


def test_closed_day_refuses_a_void_of_its_flow_from_an_open_day(till, demo, closed, app):
    url = day_url(demo, DAYS[1])
    refused_409(till.post(url + "/flows", json={"kind": "void", "voids": closed["flow"], "reason": "annuler"}))
    refused_409(till.post(closed["url"] + "/flows", json={"kind": "void", "voids": closed["flow"]}))
    unchanged(app, closed)


def test_closed_day_refuses_closing_again(till, closed, app):
    refused_409(till.post(closed["url"] + "/close", json={}))
    unchanged(app, closed)


def pushed(app: Any, demo: dict, name: str, args: dict) -> Any:
    with app.app_context():
        return apply_batch(demo["bakery"], user_named("caisse@demo.test"), str(uuid.uuid4()), [Mutation(1, name, {
            "register_id": demo["bakery_registers"][0], "date": DAYS[0], **args})])


def test_closed_day_refuses_a_pushed_day_put(demo, closed, app):
    result = pushed(app, demo, "day.put", {"base_revision": 2, "fields": {"comment": "modifié"}})
    assert [r.code for r in result.rejected] == ["day_closed"]
    unchanged(app, closed)


def test_closed_day_refuses_a_pushed_flow(demo, closed, app):
    flow = {"id": str(uuid.uuid4()), "kind": "cash_in", "amount": "3.00", "method_id": closed["cash"]}
    result = pushed(app, demo, "flow.add", {"flow": flow})
    assert [r.code for r in result.rejected] == ["day_closed"]
    unchanged(app, closed)
