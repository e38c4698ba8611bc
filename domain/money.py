"""Money: integer cents inside, decimal strings on the wire, French text on screen.

Invariants
  1. Inside the domain an amount is an ``int`` of cents. A float never enters: a
     number from JSON is accepted only when it is a whole number of euros, so
     ``0.1 + 0.2`` cannot become a cash balance.
  2. ``parse_wire`` accepts exactly the contract pattern
     ``^-?[0-9]{1,9}(\\.[0-9]{1,2})?$`` (and whole-euro numbers); ``to_wire`` is its
     inverse and always writes two decimals.
  3. ``parse_fr`` is the keypad: comma or dot, spaces between digit groups, an
     optional "€". Every wire string is also valid keypad text.
  4. ``format_fr`` writes what ``Intl.NumberFormat('fr-FR', {style: 'currency',
     currency: 'EUR'})`` writes: U+202F between thousands, U+00A0 before "€",
     hyphen-minus for negatives. The JavaScript twin (pwa/src/domain/money.js)
     produces the same bytes; ``schema/vectors/money.json`` holds both to it.
  5. |amount| ≤ 999 999 999,99 € (nine euro digits, as on the wire), far below
     2**53 so JavaScript Numbers stay exact.
  6. Bounded cost: ``parse_wire`` looks at the type, then the length (at most
     ``MAX_WIRE_LENGTH`` characters), then the pattern, and only then converts. An
     exponent string (``"1e999990"``), a float, NaN or a megabyte of digits is refused
     before any arithmetic: no input can make it spend more than microseconds.
     ``Decimal`` and ``float`` are never used on wire text.
  7. A JSON number is accepted only as an ``int`` of whole euros (|n| ≤ 999 999 999);
     every JSON float is refused, even ``12.0`` (``12.34`` has no exact binary value,
     and a client that sends floats for money is a client to fix).

This is the ONE money parser: the REST fields (server/schemas/fields.py), the sync
args (sync/rules.py), the validation rules (domain/validation.py) all call it.
"""

from __future__ import annotations

import math
import re

from .errors import MoneyError

MAX_CENTS = 99_999_999_999
MAX_WIRE_LENGTH = 13  # "-999999999.99"
NNBSP = "\u202f"  # thousands separator of fr-FR
NBSP = "\u00a0"  # between the amount and "€"

_WIRE = re.compile(r"(-?)([0-9]{1,9})(?:\.([0-9]{1,2}))?")
_SPACE = " \u00a0\u202f\u2009"
_KEYPAD = re.compile(
    r"([+\-\u2212]?)[ \u00a0\u202f\u2009]*"
    r"([0-9](?:[ \u00a0\u202f\u2009]?[0-9])*)?"
    r"(?:([.,])([0-9]*))?"
)


def _cents(sign: str, euros: str, decimals: str | None, shown: str) -> int:
    decimals = decimals or ""
    if len(decimals) > 2:
        raise MoneyError(f"« {shown} » : un montant a au plus deux décimales.")
    for space in _SPACE:
        euros = euros.replace(space, "")
    whole = int(euros or "0")
    if whole > MAX_CENTS // 100:
        raise MoneyError(f"« {shown} » : montant trop grand (999 999 999,99 € au plus).")
    cents = whole * 100 + int((decimals + "00")[:2])
    return -cents if sign in ("-", "\u2212") and cents else cents


def parse_wire(value: object) -> int:
    """Wire amount (``"633.00"``, ``"-2"``, or a whole-euro JSON integer) → cents.

    Raises MoneyError (French) for anything else; the checks are ordered so that the
    cost is bounded whatever the input (invariant 6).
    """
    if isinstance(value, bool):
        raise MoneyError("Un montant ne peut pas être vrai ou faux.")
    if isinstance(value, int):
        if not -MAX_CENTS // 100 <= value <= MAX_CENTS // 100:
            raise MoneyError("Montant trop grand (999 999 999,99 € au plus).")
        return value * 100
    if isinstance(value, float):
        if not math.isfinite(value):
            raise MoneyError("Ce montant n’est pas un nombre.")
        raise MoneyError("Les centimes voyagent en texte (« 12.34 »), jamais en nombre à virgule.")
    if not isinstance(value, str):
        raise MoneyError("Montant manquant ou illisible.")
    if len(value) > MAX_WIRE_LENGTH:
        raise MoneyError("Montant trop long (format attendu : 1234.56).")
    match = _WIRE.fullmatch(value)
    if match is None:
        raise MoneyError(f"« {value} » n’est pas un montant (format attendu : 1234.56)."
                         if value.isascii() and value.isprintable() else
                         "Ce texte n’est pas un montant (format attendu : 1234.56).")
    return _cents(match[1], match[2], match[3], value)


def parse_fr(text: str) -> int:
    """Keypad text (``"1 234,56 €"``, ``"12.5"``, ``"-2"``, ``",50"``) → cents."""
    if not isinstance(text, str):
        raise MoneyError("Montant manquant ou illisible.")
    shown = text.strip(_SPACE + "\t")
    body = shown.removesuffix("€").removeprefix("€").strip(_SPACE + "\t")
    match = _KEYPAD.fullmatch(body)
    if match is None or not (match[2] or match[4]):
        raise MoneyError(f"« {shown} » n’est pas un montant.")
    return _cents(match[1], match[2] or "", match[4], shown)


def _check(cents: int) -> int:
    if isinstance(cents, bool) or not isinstance(cents, int):
        raise MoneyError("Un montant interne doit être un nombre entier de centimes.")
    return cents


def to_wire(cents: int) -> str:
    """Cents → wire string with two decimals: ``-200`` → ``"-2.00"``."""
    sign = "-" if _check(cents) < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    return f"{sign}{euros}.{rest:02d}"


def format_fr(cents: int, *, symbol: bool = True) -> str:
    """Cents → French display: ``123456`` → ``"1 234,56 €"`` (U+202F, U+00A0)."""
    sign = "-" if _check(cents) < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    grouped = f"{euros:,}".replace(",", NNBSP)
    text = f"{sign}{grouped},{rest:02d}"
    return f"{text}{NBSP}€" if symbol else text
