"""Every case of schema/vectors/ against the Python domain; pwa/test/domain.vectors.test.js runs the same files
against the JavaScript twin, with the same comparison rules (see schema/day-vector.schema.json)."""

from __future__ import annotations

import copy
import json
import pathlib
from collections.abc import Callable
from typing import Any

import jsonschema
import pytest

from domain import InputError, MoneyError, can_close, compute_day, evaluate, flow_rules, parse_day_input
from domain.money import format_fr, parse_fr, parse_wire, to_wire

ROOT = pathlib.Path(__file__).resolve().parents[2]
VECTORS = ROOT / "schema" / "vectors"
SCHEMA = json.loads((ROOT / "schema" / "day-vector.schema.json").read_text(encoding="utf-8"))
DAY_FILES = sorted((VECTORS / "day").glob("*.json"))
MONEY_CASES = json.loads((VECTORS / "money.json").read_text(encoding="utf-8"))


def load(path: pathlib.Path) -> list[dict[str, Any]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return data if isinstance(data, list) else [data]


def day_cases() -> list[Any]:
    return [pytest.param(case, id=f"{path.stem}-{index}")
            for path in DAY_FILES for index, case in enumerate(load(path))]


def nonzero(contributions: dict[str, int]) -> dict[str, int]:
    return {key: value for key, value in contributions.items() if value}


def pick(got: dict[str, Any], expected: dict[str, Any]) -> dict[str, Any]:
    """The keys the vector lists, contributions without their zeros."""
    return {key: nonzero(got[key]) if key == "contributions" else got[key] for key in expected}


def norm(expected: dict[str, Any]) -> dict[str, Any]:
    if "contributions" in expected:
        return {**expected, "contributions": nonzero(expected["contributions"])}
    return expected


def check_result(case: dict[str, Any]) -> None:
    raw, expected = case["input"], case["expected"]
    day_input = parse_day_input(raw)
    got = compute_day(day_input).as_dict()
    assert got["totals"] == expected["totals"]
    assert got["vat_lines"] == expected["vat_lines"]
    if "categories" in expected:
        assert got["categories"] == expected["categories"]
    assert [m["method_id"] for m in got["methods"]] == [m["method_id"] for m in expected["methods"]]
    for mine, theirs in zip(got["methods"], expected["methods"], strict=True):
        assert pick(mine, theirs) == norm(theirs)
    automatic = {m["method_id"]: m for m in got["automatic"]}
    for theirs in expected.get("automatic", []):
        assert pick(automatic[theirs["method_id"]], theirs) == norm(theirs)
    for key in ("credit", "vouchers"):
        if key in expected:
            assert got[key] == expected[key]
    findings = evaluate(day_input, raw["at_close"])
    as_dicts = [f.as_dict() for f in findings]
    assert [pick(f, e) for f, e in zip(as_dicts, expected["findings"], strict=False)] == expected["findings"]
    assert len(as_dicts) == len(expected["findings"]), as_dicts
    assert all(f.message_fr for f in findings)
    assert can_close(findings) is expected["can_close"]
    if "candidate_flows" in raw:
        existing = {f.id: f.kind for f in day_input.day.flows}
        errors = [sorted(flow_rules(flow, day_input.settings, existing=existing))
                  for flow in raw["candidate_flows"]]
        assert errors == expected["flow_errors"]


@pytest.mark.parametrize("case", day_cases())
def test_day_vector(case: dict[str, Any]) -> None:
    if case["expected"].get("error") == "input":
        with pytest.raises(InputError) as caught:
            day_input = parse_day_input(case["input"])
            evaluate(day_input, case["input"]["at_close"])
        assert caught.value.message_fr
    else:
        check_result(case)


MONEY_FNS: dict[str, Callable[[Any], object]] = {
    "parse_wire": parse_wire, "parse_fr": parse_fr, "to_wire": to_wire, "format_fr": format_fr,
    "format_fr_plain": lambda cents: format_fr(cents, symbol=False),
}


@pytest.mark.parametrize("case", MONEY_CASES, ids=[c["description"] for c in MONEY_CASES])
def test_money_vector(case: dict[str, Any]) -> None:
    fn, value = MONEY_FNS[case["input"]["fn"]], case["input"]["value"]
    if "error" in case["expected"]:
        with pytest.raises(MoneyError) as caught:
            fn(value)
        assert caught.value.message_fr == case["expected"]["error"]
    else:
        assert fn(value) == case["expected"]["result"]


@pytest.mark.parametrize("path", DAY_FILES, ids=lambda p: p.name)
def test_day_vector_file_matches_its_schema(path: pathlib.Path) -> None:
    jsonschema.Draft202012Validator(SCHEMA).validate(json.loads(path.read_text(encoding="utf-8")))


def test_money_vectors_match_their_schema() -> None:
    schema = {"$schema": SCHEMA["$schema"], "$defs": SCHEMA["$defs"], "$ref": "#/$defs/money_file"}
    jsonschema.Draft202012Validator(schema).validate(MONEY_CASES)


def test_the_schema_is_strict_enough_to_catch_a_broken_vector() -> None:
    case = copy.deepcopy(load(VECTORS / "day" / "worked_day.json")[0])
    validator = jsonschema.Draft202012Validator(SCHEMA)
    assert validator.is_valid(case)
    for breakage in (lambda c: c["expected"].pop("can_close"),
                     lambda c: c["input"]["day"]["payments"][0].update(amount="400.00"),
                     lambda c: c["expected"]["findings"][0].update(kind="cash_gap"),
                     lambda c: c["input"]["day"]["flows"][0].update(kind="gift")):
        broken = copy.deepcopy(case)
        breakage(broken)
        assert not validator.is_valid(broken)


def test_there_are_enough_distinct_cases() -> None:
    cases = [case for path in DAY_FILES for case in load(path)]
    descriptions = [case["description"] for case in cases]
    assert len(cases) >= 40
    assert len(set(descriptions)) == len(descriptions)
    assert sum(1 for case in cases if case["expected"].get("findings")) >= 15
