"""Every case of schema/vectors/validation/ against domain.validation; pwa/test/validation.vectors.test.js runs
the same files against the JavaScript twin: same verdicts, same French messages."""

from __future__ import annotations

import json
import pathlib
from typing import Any

import pytest

from domain import parse_day_input
from domain.validation import Context, validate_date, validate_flow, validate_header, validate_weekly_pattern

VECTORS = pathlib.Path(__file__).resolve().parents[2] / "schema" / "vectors" / "validation"
FILES = {name: json.loads((VECTORS / f"{name}.json").read_text(encoding="utf-8"))
         for name in ("header", "flows", "dates", "calendar")}


def context(raw: dict[str, Any], settings: dict[str, Any] | None) -> Context:
    parsed = parse_day_input({"settings": settings}).settings if raw.get("settings") else None
    return Context(settings=parsed, existing=raw.get("existing"), today=raw.get("today"), date=raw.get("date"))


def cases(name: str) -> list[Any]:
    return [pytest.param(case, id=case["description"]) for case in FILES[name]["cases"]]


@pytest.mark.parametrize("case", cases("header"))
def test_header(case: dict[str, Any]) -> None:
    ctx = context(case["input"]["ctx"], FILES["header"]["settings"])
    assert validate_header(case["input"]["value"], ctx) == case["expected"]["errors"]


@pytest.mark.parametrize("case", cases("flows"))
def test_flow(case: dict[str, Any]) -> None:
    ctx = context(case["input"]["ctx"], FILES["flows"]["settings"])
    assert validate_flow(case["input"]["value"], ctx) == case["expected"]["errors"]


@pytest.mark.parametrize("case", cases("dates"))
def test_date(case: dict[str, Any]) -> None:
    given = case["input"]
    assert validate_date(given["date"], given["today"], closing=given["closing"]) == case["expected"]["errors"]


@pytest.mark.parametrize("case", cases("calendar"))
def test_weekly_pattern(case: dict[str, Any]) -> None:
    assert validate_weekly_pattern(case["input"]["pattern"]) == case["expected"]["errors"]


def test_the_vectors_cover_the_defects() -> None:
    """The cases issue 8 and issue 10 name must stay in the shared files."""
    described = {case["description"] for data in FILES.values() for case in data["cases"]}
    for needle in ("0 % VAT", "\"0\" must be above zero", "cheque_count 0", "(12.34)", "(3.3)", "1e999990",
                   "lone surrogate", "owner flag", "2**63", "beyond tomorrow", "before its date",
                   "no opening day"):
        assert any(needle in text for text in described), needle
