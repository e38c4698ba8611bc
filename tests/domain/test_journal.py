"""The journal: canonical JSON spelled out by hand, the hash chain and its first broken link, period totals."""

from __future__ import annotations

import copy
import hashlib
from typing import Any

import pytest

from domain import GENESIS, ClosedDay, canonical_json, chain_hash, period_totals, seal, verify_chain
from domain.journal import fiscal_year_start

RECORD: dict[str, Any] = {
    "sequence": 2, "date": "2025-03-14",
    "payments": [{"method_id": 3, "amount": 7000}, {"method_id": 1, "amount": 40000}],
    "sales": [{"category_id": 9, "position": 2, "amount": 100}, {"category_id": 4, "position": 1, "amount": 63300}],
    "comment": "Écart expliqué",
    "flows": [{"id": "b", "kind": "deposit", "amount": 35000}, {"id": "a", "kind": "expense", "amount": 3165}],
}
SPELLED = ('{"comment":"Écart expliqué","date":"2025-03-14",'
           '"flows":[{"amount":3165,"id":"a","kind":"expense"},{"amount":35000,"id":"b","kind":"deposit"}],'
           '"payments":[{"amount":40000,"method_id":1},{"amount":7000,"method_id":3}],'
           '"sales":[{"amount":63300,"category_id":4,"position":1},{"amount":100,"category_id":9,"position":2}],'
           '"sequence":2}')


def test_canonical_json_sorts_keys_and_lists_without_whitespace() -> None:
    assert canonical_json(RECORD) == SPELLED


def test_canonical_json_keeps_utf8_as_is() -> None:
    assert "\\u" not in canonical_json(RECORD)
    assert canonical_json({"label": "Épicerie 5,5 %"}).encode("utf-8") == '{"label":"Épicerie 5,5 %"}'.encode()


def test_sales_follow_the_category_positions_given_aside() -> None:
    day = {"sales": [{"category_id": 4, "amount": 1}, {"category_id": 9, "amount": 2}, {"category_id": 5, "amount": 3}]}
    spelled = canonical_json(day, category_positions={9: 1, 4: 2, 5: 2})
    assert spelled == ('{"sales":[{"amount":2,"category_id":9},{"amount":1,"category_id":4},'
                       '{"amount":3,"category_id":5}]}')


def test_canonical_json_does_not_reorder_the_caller_s_lists() -> None:
    record = copy.deepcopy(RECORD)
    canonical_json(record)
    assert record == RECORD


@pytest.mark.parametrize("bad", [{"amount": 12.5}, {"amount": float("nan")}, {1: "x"}, {"ids": {1, 2}},
                                 {"nested": [{"amount": 0.1}]}])
def test_canonical_json_refuses_what_has_no_single_spelling(bad: dict[Any, Any]) -> None:
    with pytest.raises(ValueError):
        canonical_json(bad)


def test_chain_hash_is_sha256_of_previous_hash_and_canonical_json() -> None:
    assert GENESIS == "0" * 64
    expected = hashlib.sha256(("0" * 64 + SPELLED).encode("utf-8")).hexdigest()
    assert chain_hash(GENESIS, RECORD) == expected
    assert chain_hash(expected, RECORD) == hashlib.sha256((expected + SPELLED).encode("utf-8")).hexdigest()


def days(count: int) -> list[dict[str, Any]]:
    return [{"date": f"2025-03-{n:02d}", "sequence": n, "payments": [{"method_id": 1, "amount": 100 * n}]}
            for n in range(1, count + 1)]


def test_a_sealed_chain_verifies_and_links_each_hash_to_the_previous() -> None:
    records = seal(days(5))
    assert [r["sequence"] for r in records] == [1, 2, 3, 4, 5]
    assert records[0]["hash"] == chain_hash(GENESIS, records[0]["day"])
    assert records[3]["hash"] == chain_hash(records[2]["hash"], records[3]["day"])
    assert verify_chain(records) is None
    assert verify_chain([]) is None


def test_an_altered_amount_breaks_its_own_day() -> None:
    records = seal(days(5))
    records[2]["day"]["payments"][0]["amount"] += 1
    broken = verify_chain(records)
    assert broken is not None and (broken.index, broken.sequence, broken.reason) == (2, 3, "hash")


def test_an_altered_stored_hash_is_caught() -> None:
    records = seal(days(4))
    records[1]["hash"] = "f" * 64
    broken = verify_chain(records)
    assert broken is not None and (broken.index, broken.reason) == (1, "hash")


def test_a_deleted_day_is_a_sequence_gap_even_with_good_hashes() -> None:
    records = seal(days(5))
    del records[2]
    broken = verify_chain(records)
    assert broken is not None and (broken.index, broken.sequence, broken.reason) == (2, 4, "sequence")


def test_renumbering_after_a_deletion_still_breaks_the_hash_link() -> None:
    records = seal(days(5))
    del records[2]
    for number, rec in enumerate(records, start=1):
        rec["sequence"] = number
    broken = verify_chain(records)
    assert broken is not None and (broken.index, broken.sequence, broken.reason) == (2, 3, "hash")


@pytest.mark.parametrize("sequences, index", [([1, 3, 2], 1), ([2, 3], 0), ([1, 1, 2], 1), ([1, True], 1)])
def test_sequences_must_run_gapless_from_one(sequences: list[Any], index: int) -> None:
    records = seal(days(len(sequences)))
    for rec, sequence in zip(records, sequences, strict=True):
        rec["sequence"] = sequence
    broken = verify_chain(records)
    assert broken is not None and (broken.index, broken.reason) == (index, "sequence")


def test_verification_can_start_from_a_closing_anchor() -> None:
    records = seal(days(6))
    assert verify_chain(records[3:], prev_hash=records[2]["hash"], first_sequence=4) is None
    broken = verify_chain(records[3:], prev_hash=records[1]["hash"], first_sequence=4)
    assert broken is not None and (broken.index, broken.sequence, broken.reason) == (0, 4, "hash")


def test_a_record_without_its_day_is_a_broken_link() -> None:
    records = seal(days(2))
    del records[1]["day"]
    broken = verify_chain(records)
    assert broken is not None and (broken.index, broken.reason) == (1, "hash")


JOURNAL = [ClosedDay("2024-06-28", 1, "h1", 1000), ClosedDay("2024-07-01", 2, "h2", 2000),
           ClosedDay("2024-12-31", 3, "h3", 3000), ClosedDay("2025-03-01", 4, "h4", 4000),
           ClosedDay("2025-03-14", 5, "h5", 97300), ClosedDay("2025-03-31", 6, "h6", 500),
           ClosedDay("2025-04-01", 7, "h7", 700)]


def test_monthly_closing_carries_period_fiscal_year_and_grand_totals() -> None:
    # fiscal year from July: March 2025 belongs to 2024-07-01 … 2025-06-30
    totals = period_totals(JOURNAL, "2025-03-01", "2025-03-31", fiscal_year_start_month=7,
                           grand_total_before=5_000_000)
    assert totals.day_count == 3
    assert totals.period_ttc == 4000 + 97300 + 500
    assert totals.fiscal_year_ttc == 2000 + 3000 + 4000 + 97300 + 500
    assert totals.grand_total == 5_000_000 + 1000 + 2000 + 3000 + 4000 + 97300 + 500
    assert (totals.last_sequence, totals.last_hash) == (6, "h6")


def test_annual_closing_of_a_fiscal_year() -> None:
    totals = period_totals(list(reversed(JOURNAL)), "2024-07-01", "2025-06-30", fiscal_year_start_month=7)
    assert totals.period_ttc == totals.fiscal_year_ttc == 2000 + 3000 + 4000 + 97300 + 500 + 700
    assert totals.grand_total == 1000 + totals.period_ttc
    assert (totals.last_sequence, totals.last_hash, totals.day_count) == (7, "h7", 6)


def test_a_period_before_any_day_is_empty() -> None:
    totals = period_totals(JOURNAL, "2024-01-01", "2024-01-31", grand_total_before=42)
    assert (totals.day_count, totals.period_ttc, totals.grand_total, totals.last_sequence) == (0, 0, 42, None)


@pytest.mark.parametrize("date, month, start", [("2025-03-14", 7, "2024-07-01"), ("2025-07-01", 7, "2025-07-01"),
                                                ("2025-03-14", 1, "2025-01-01"), ("2025-12-31", 12, "2025-12-01")])
def test_fiscal_year_start(date: str, month: int, start: str) -> None:
    assert fiscal_year_start(date, month) == start
