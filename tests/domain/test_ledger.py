"""The journal of sealed days (domain/ledger.py) and the chart of accounts (domain/chart.py)."""

from __future__ import annotations

import copy
import json
import pathlib
import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain import InputError, compute_day, parse_day_input
from domain.chart import account_error, aux_account_error, chart_errors, default_chart, effective_chart
from domain.ledger import account_name, entries_from_payload, ledger
from tests.domain.test_properties import CASH, random_day

ROOT = pathlib.Path(__file__).resolve().parents[2]
WORKED = json.loads((ROOT / "schema/vectors/day/worked_day.json").read_text())[0]["input"]


def v2(day_input: dict[str, Any], *, date: str = "2025-03-14", chart: dict[str, str] | None = None,
       register: int = 1, sequence: int = 1, closed_at: str | None = None, legal_form: str = "company",
       z_number: str = "1234") -> dict[str, Any]:
    """A sealed payload of version 2, as helper j's closing writes it."""
    return {
        "version": 2, "input": copy.deepcopy(day_input),
        "chart": chart if chart is not None else default_chart(legal_form),
        "meta": {"company": {"id": 1, "name": "Boulangerie", "siren": "732829320", "legal_form": legal_form},
                 "register": {"id": register, "name": "Magasin"}, "date": date, "z_number": z_number,
                 "sequence": sequence, "closed_at": closed_at or f"{date}T19:00:00Z", "closed_by": 1},
    }


def moves(lines: Any) -> list[tuple[str, int, int]]:
    return [(x.account, x.debit, x.credit) for x in lines]


def test_the_worked_day_of_domain_5_line_for_line_from_its_sealed_payload() -> None:
    postings = ledger([v2(WORKED)])
    assert [p.number for p in postings] == [1, 2, 3, 4]
    assert {(p.journal_code, p.journal_label, p.date) for p in postings} == {("CA", "Caisse", "2025-03-14")}
    sales, expense, deposit, shortage = postings
    assert sorted(moves(sales.lines)) == sorted([
        ("530", 40000, 0), ("5112", 7000, 0), ("5115", 50300, 0),
        ("701", 0, 60000), ("701", 0, 20000), ("707", 0, 10000),
        ("44571055", 0, 3300), ("44571100", 0, 2000), ("44571200", 0, 2000)])
    assert moves(expense.lines) == [("601", 3000, 0), ("44566", 165, 0), ("530", 0, 3165)]
    assert moves(deposit.lines) == [("580", 35000, 0), ("530", 0, 35000)]
    assert moves(shortage.lines) == [("658", 200, 0), ("530", 0, 200)]
    assert sales.piece_ref == "1-Z1234" and sales.valid_date == "2025-03-14"
    assert account_name("44571055") == "TVA collectée" and account_name("530") == "Caisse"


def test_the_frozen_chart_decides_not_todays_defaults() -> None:
    chart = {**default_chart("company"), "cash": "531", "journal_code": "CAI", "journal_label": "Caisse magasin"}
    postings = ledger([v2(WORKED, chart=chart)])
    assert {p.journal_code for p in postings} == {"CAI"}
    assert ("531", 0, 35000) in moves(postings[2].lines)
    assert "530" not in {x.account for p in postings for x in p.lines}


@pytest.mark.parametrize(("legal_form", "owner"), [("sole_trader", "108"), ("company", "455")])
def test_owner_contributions_and_withdrawals_go_to_108_or_455_by_legal_form(legal_form: str, owner: str) -> None:
    day = copy.deepcopy(WORKED)
    day["day"]["flows"] += [
        {"id": "o1", "kind": "cash_in", "amount": 5000, "method_id": 1, "owner": True, "reason": "Apport"},
        {"id": "o2", "kind": "cash_out", "amount": 2000, "method_id": 1, "owner": True, "reason": "Prélèvement"}]
    day["day"]["counts"][0]["amount"] += 3000
    entries = entries_from_payload(v2(day, legal_form=legal_form))
    contribution, withdrawal = (e for e in entries if e.label in ("Apport", "Sortie"))
    assert moves(contribution.lines) == [("530", 5000, 0), (owner, 0, 5000)]
    assert moves(withdrawal.lines) == [(owner, 2000, 0), ("530", 0, 2000)]


def test_detailed_customer_credit_posts_to_the_collective_account_with_an_auxiliary() -> None:
    day = copy.deepcopy(WORKED)
    day["settings"]["methods"].append({"id": 5, "kind": "customer_credit", "deposit_mode": "automatic",
                                       "label": "Crédit"})
    day["settings"]["customers"][0]["account"] = "4110007"
    day["day"]["payments"][1]["amount"] -= 1500
    day["day"]["payments"].append({"method_id": 5, "amount": 1500})
    day["day"]["flows"] += [{"id": "g1", "kind": "credit_granted", "amount": 1000, "customer_id": 7},
                            {"id": "g2", "kind": "credit_granted", "amount": 500, "customer_id": 8}]
    sales = ledger([v2(day)])[0]
    credit = [(x.account, x.aux_account, x.aux_label, x.debit) for x in sales.lines if x.aux_account]
    assert credit == [("411", "4110007", "Mme Martin", 1000), ("411", "C8", "M. Durand", 500)]


def test_days_are_ordered_by_validation_and_numbered_without_gaps() -> None:
    late = v2(WORKED, date="2025-03-13", register=2, closed_at="2025-03-15T08:00:00Z")
    early = v2(WORKED, date="2025-03-14", closed_at="2025-03-14T19:00:00Z")
    postings = ledger([late, early])
    assert [p.number for p in postings] == list(range(1, 9))
    assert [p.valid_date for p in postings] == ["2025-03-14"] * 4 + ["2025-03-15"] * 4
    assert postings[4].date == "2025-03-13"


def test_a_validation_never_precedes_its_entry() -> None:
    """Closed at 00:30 in Paris = 23:30 UTC the day before: ValidDate stays the day's date."""
    postings = ledger([v2(WORKED, date="2025-03-14", closed_at="2025-03-13T23:30:00Z")])
    assert {p.valid_date for p in postings} == {"2025-03-14"}


def test_a_payload_that_is_not_version_2_is_refused() -> None:
    with pytest.raises(InputError):
        entries_from_payload({"id": "x", "date": "2025-03-14", "sales": []})
    with pytest.raises(InputError):
        entries_from_payload({**v2(WORKED), "input": None})


def test_accounts_must_be_digits_in_classes_1_to_7() -> None:
    assert account_error("530") is None and account_error("44571055") is None
    assert account_error("830") and account_error("53A") and account_error("53") and account_error(530)
    assert account_error("０５３０") and account_error("5" * 21) and account_error("0530")
    assert aux_account_error("411MAIRIE") is None and aux_account_error("411 mairie") and aux_account_error("")
    errors = chart_errors({"cash": "531", "sales": "901", "vat_output_550": "4457105", "nope": "530",
                           "journal_code": "ca", "journal_label": " "})
    assert set(errors) == {"accounts.sales", "accounts.nope", "accounts.journal_code", "accounts.journal_label"}


def test_the_effective_chart_keeps_the_defaults_of_the_legal_form() -> None:
    assert effective_chart("sole_trader", {})["owner"] == "108"
    assert effective_chart("company", {"cash": "531", "bank": 5})["cash"] == "531"
    assert effective_chart("company", None)["journal_code"] == "CA"


def closed_day(rng: random.Random) -> dict[str, Any]:
    """A random day that could be closed: breakdown matches, every manual method counted."""
    raw = random_day(rng, balanced=True)
    raw.pop("at_close")
    counted = {c["method_id"] for c in raw["day"]["counts"]}
    raw["day"]["counts"] += [{"method_id": m, "amount": rng.randint(0, 900_000)} for m in (1, 3) if m not in counted]
    raw["day"]["comment"] = "Écart expliqué"
    raw["settings"]["suppliers"] = [{"id": 21, "label": "Minoterie", "vat_bp": 550, "account": "601"}]
    return raw


@settings(max_examples=200, deadline=None)
@given(st.randoms(use_true_random=False), st.sampled_from(["sole_trader", "company"]))
def test_random_closed_days_balance_and_move_the_cash_account_by_counted_minus_opening(
        rng: random.Random, legal_form: str) -> None:
    raw = closed_day(rng)
    entries = entries_from_payload(v2(raw, legal_form=legal_form))
    for entry in entries:
        assert sum(x.debit for x in entry.lines) == sum(x.credit for x in entry.lines) > 0
    lines = [x for e in entries for x in e.lines]
    assert sum(x.debit for x in lines) == sum(x.credit for x in lines)
    cash = next(b for b in compute_day(parse_day_input(raw)).manual if b.method.id == CASH)
    movement = sum(x.debit - x.credit for x in lines if x.account == "530")
    assert movement == (cash.counted or 0) - (cash.opening or 0)
