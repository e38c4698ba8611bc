"""Every case of schema/vectors/calendar/opening_day.json against domain.calendar.opening_day;
pwa/test/calendar.vectors.test.js runs the same file against the JavaScript twin."""

from __future__ import annotations

import json
import pathlib
from typing import Any

import pytest

from domain.calendar import opening_day

FILE = pathlib.Path(__file__).resolve().parents[2] / "schema" / "vectors" / "calendar" / "opening_day.json"
CASES = json.loads(FILE.read_text(encoding="utf-8"))["cases"]


@pytest.mark.parametrize("case", [pytest.param(case, id=case["description"]) for case in CASES])
def test_opening_day(case: dict[str, Any]) -> None:
    given = case["input"]
    assert opening_day(given["company_week"], given["company_exception"], given["register_week"],
                       given["register_exception"]) is case["expected"]["open"]


def test_every_combination_is_there() -> None:
    """2 company weeks × 3 company exceptions × 3 register weeks × 3 register exceptions, each once."""
    seen = {tuple(case["input"].values()) for case in CASES}
    assert len(seen) == 54 and len(CASES) >= 54
