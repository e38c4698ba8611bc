"""domain.sealed: the version-2 record of a closed day, and day_input_to_dict, the inverse of parse_day_input."""

from __future__ import annotations

import copy
import json
import pathlib
from typing import Any

import pytest

from domain import (
    DEFAULT_CHART,
    UnbalancedEntryError,
    canonical_json,
    compute_day,
    day_entries,
    day_input_to_dict,
    evaluate,
    parse_day_input,
    sealed_payload,
)

VECTORS = pathlib.Path(__file__).resolve().parents[2] / "schema" / "vectors" / "day"
INPUTS = [case["input"] for path in sorted(VECTORS.glob("*.json"))
          for case in (lambda d: d if isinstance(d, list) else [d])(json.loads(path.read_text(encoding="utf-8")))
          if "error" not in case["expected"]]
WORKED = json.loads((VECTORS / "worked_day.json").read_text(encoding="utf-8"))[0]["input"]
META = {"company": {"id": 1, "name": "Boulangerie", "siren": "732829320", "legal_form": "sole_trader"},
        "register": {"id": 1, "name": "Boutique"}, "date": "2025-03-14", "z_number": "1234", "sequence": 1,
        "closed_at": "2025-03-14T19:30:00", "closed_by": {"id": 2, "name": "Camille"}, "device_id": "web:2"}


@pytest.mark.parametrize("raw", INPUTS, ids=range(len(INPUTS)))
def test_day_input_to_dict_reads_back_the_same_day(raw: dict[str, Any]) -> None:
    inp = parse_day_input(raw)
    again = parse_day_input(day_input_to_dict(inp))
    assert again == inp
    assert day_input_to_dict(again) == day_input_to_dict(inp)


@pytest.mark.parametrize("raw", INPUTS, ids=range(len(INPUTS)))
def test_the_sealed_record_gives_the_same_result_findings_and_entries(raw: dict[str, Any]) -> None:
    inp = parse_day_input(raw)
    payload = sealed_payload(inp, DEFAULT_CHART, META)
    sealed = parse_day_input(payload["input"])
    assert day_input_to_dict(sealed) == payload["input"]
    assert payload["result"] == compute_day(sealed).as_dict()
    full = compute_day(inp).as_dict()  # the unused automatic methods (no takings) are left out, nothing else
    assert {k: v for k, v in payload["result"].items() if k != "automatic"} == {
        k: v for k, v in full.items() if k != "automatic"}
    assert [a for a in full["automatic"] if any(a["contributions"].values())] == [
        a for a in payload["result"]["automatic"] if any(a["contributions"].values())]
    assert payload["findings"] == [f.as_dict() for f in evaluate(inp, at_close=True)]
    canonical_json(payload)  # hashable: no float, string keys
    try:
        expected = day_entries(inp, DEFAULT_CHART)
    except UnbalancedEntryError:
        return
    assert day_entries(sealed, payload["chart"]) == expected


def test_sales_in_z_order_and_only_what_the_day_uses() -> None:
    raw = copy.deepcopy(WORKED)
    cats = raw["settings"]["categories"]
    cats[0]["position"], cats[2]["position"] = 9, 0  # Boissons first on the Z, Pain last
    cats.append({"id": 4, "vat_bp": 2000, "position": 5, "label": "Jamais vendu", "account": "707"})
    raw["settings"]["methods"].append({"id": 5, "kind": "meal_voucher", "deposit_mode": "automatic"})
    payload = sealed_payload(parse_day_input(raw), {**DEFAULT_CHART, "cash": "531"}, META)
    assert [s["category_id"] for s in payload["input"]["day"]["sales"]] == [3, 2, 1]
    assert [c["id"] for c in payload["input"]["settings"]["categories"]] == [3, 2, 1]
    assert [m["id"] for m in payload["input"]["settings"]["methods"]] == [1, 2, 3]  # 5 is neither used nor manual
    assert payload["input"]["settings"]["customers"] == []  # no flow names one
    assert [s["id"] for s in payload["input"]["settings"]["suppliers"]] == [21]
    assert payload["chart"]["cash"] == "531" and payload["meta"] == META and payload["version"] == 2
    assert payload["totals"] == {"sales_ttc": 97300, "sales_ht": 90000, "sales_vat": 7300, "payments": 97300}


def test_the_carried_opening_and_earlier_open_days_are_frozen_explicitly() -> None:
    raw = copy.deepcopy(WORKED)
    raw["previous_counts"] = {}
    raw["previous_days"] = [{"date": "2025-03-12", "open": False, "counts": [{"method_id": 1, "amount": 20000},
                                                                              {"method_id": 3, "amount": 0}]},
                            {"date": "2025-03-13", "open": True, "counts": []}]
    inp = parse_day_input(raw)
    payload = sealed_payload(inp, DEFAULT_CHART, META)
    assert payload["input"]["previous_counts"] == {"1": 20000, "3": 0}
    assert payload["input"]["previous_days"] == [{"date": "2025-03-13", "open": True, "counts": []}]
    assert [f["kind"] for f in payload["findings"]][0] == "cash_difference"
    assert "earlier_day_open" in [f["kind"] for f in payload["findings"]]
    assert payload["result"] == compute_day(inp).as_dict()


def test_sealing_is_deterministic() -> None:
    inp = parse_day_input(WORKED)
    assert canonical_json(sealed_payload(inp, DEFAULT_CHART, META)) == canonical_json(
        sealed_payload(parse_day_input(copy.deepcopy(WORKED)), dict(reversed(list(DEFAULT_CHART.items()))), META))
