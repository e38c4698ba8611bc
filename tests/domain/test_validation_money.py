"""The one money parser: bounded cost, floats refused, zero a value (issue 8 defect 2, issue 10 defect 1)."""

from __future__ import annotations

import ast
import pathlib

import pytest

from domain.errors import MoneyError
from domain.money import MAX_WIRE_LENGTH, parse_wire
from domain.validation import money_error

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_no_decimal_nor_float_conversion_in_the_parser() -> None:
    """parse_wire never hands wire text to Decimal or float: "1e999990" cannot cost 23 s of CPU."""
    tree = ast.parse((ROOT / "domain" / "money.py").read_text(encoding="utf-8"))
    calls = {node.func.id for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}
    modules = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    modules |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not calls & {"Decimal", "float", "eval"}, calls
    assert "decimal" not in modules


def test_the_length_is_checked_before_the_pattern_and_any_conversion() -> None:
    """Ten million digits are refused by their length: the message says so, nothing was converted."""
    with pytest.raises(MoneyError, match="trop long"):
        parse_wire("1" * 10_000_000)
    with pytest.raises(MoneyError, match="trop long"):
        parse_wire("1" * (MAX_WIRE_LENGTH + 1))
    assert parse_wire("-999999999.99") == -99_999_999_999


@pytest.mark.parametrize("value", ["1e999990", "1e999998", "1E2", "1e2", "Infinity", "NaN", "0x10", "1_000"])
def test_exponents_and_other_number_spellings_are_refused(value: str) -> None:
    with pytest.raises(MoneyError, match="n’est pas un montant"):
        parse_wire(value)


@pytest.mark.parametrize("value", [12.34, 3.3, 12.0, 0.0, -1.0, 1e308])
def test_every_json_float_is_refused(value: float) -> None:
    """Even 12.0: JSON floats never carry money (JavaScript cannot tell 12.0 from 12, so this case
    is not in the shared vectors; a JS client sends strings)."""
    with pytest.raises(MoneyError, match="jamais en nombre à virgule"):
        parse_wire(value)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_nan_and_infinity_are_refused(value: float) -> None:
    with pytest.raises(MoneyError, match="pas un nombre"):
        parse_wire(value)


@pytest.mark.parametrize("value", [2**63, -(2**63), 10**30, 1_000_000_000])
def test_big_integers_are_refused(value: int) -> None:
    with pytest.raises(MoneyError, match="trop grand"):
        parse_wire(value)


def test_zero_is_a_value() -> None:
    assert parse_wire("0") == parse_wire(0) == parse_wire("0.00") == 0
    assert money_error("0", sign="not_negative") == (0, None)
    assert money_error("0", sign="positive") == (None, "Le montant doit être supérieur à zéro.")
