"""Money parsing cost: the hostile amounts of issue 10 (defect 1) through the one parser and the validation.

Usage: .venv/bin/python bench/money_parse.py
Prints, per input, the microseconds per call (best of 5 runs) of domain.money.parse_wire and of
domain.validation.validate_flow on a movement carrying it. Before the one parser, "1e999990" cost
23 s of CPU on the REST path (Decimal then int of a million-digit number) and "1e999998" answered 500.
"""

from __future__ import annotations

import pathlib
import sys
import timeit

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from domain.errors import MoneyError  # noqa: E402
from domain.money import parse_wire  # noqa: E402
from domain.validation import validate_flow  # noqa: E402

INPUTS = ["633.00", "1e999990", "1e999998", "9" * 1_000_000, "1" * 13, 12.34, 10**4000, "caf\ud83d"]


def parse(value: object) -> None:
    try:
        parse_wire(value)
    except MoneyError:
        pass


def main() -> None:
    print(f"{'input':<24} {'parse_wire µs':>14} {'validate_flow µs':>17}")
    for value in INPUTS:
        flow = {"id": "0b5d4b00-0000-4000-8000-000000000001", "kind": "cash_in", "amount": value, "method_id": 1}
        runs = 200
        parse_us = min(timeit.repeat(lambda v=value: parse(v), number=runs, repeat=5)) / runs * 1e6
        flow_us = min(timeit.repeat(lambda f=flow: validate_flow(f), number=runs, repeat=5)) / runs * 1e6
        shown = repr(value) if len(repr(value)) <= 22 else f"{repr(value)[:12]}… ({len(str(value))} ch.)"
        print(f"{shown:<24} {parse_us:>14.1f} {flow_us:>17.1f}")


if __name__ == "__main__":
    main()
