"""Wire fields: money as euro decimal strings (cents inside, parsed by domain.money), SIREN with its check digit."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import ValidationError, fields

from domain.chart import account_error, aux_account_error, chart_errors
from domain.errors import MoneyError
from domain.money import parse_wire, to_wire


def euros_to_cents(value: Any) -> int:
    """Wire money → cents with the one parser (domain.money.parse_wire); ValidationError (French) otherwise."""
    try:
        return parse_wire(value)
    except MoneyError as exc:
        raise ValidationError(exc.message_fr) from exc


def cents_to_euros(cents: int) -> str:
    return to_wire(cents)


class Money(fields.Field):
    """Euros on the wire ('633.00'), integer cents in Python."""

    def __init__(self, *args: Any, min_cents: int | None = None, positive: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.min_cents = min_cents
        self.positive = positive

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return None if value is None else cents_to_euros(int(value))

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        cents = euros_to_cents(value)
        if self.positive and cents <= 0:
            raise ValidationError("Le montant doit être supérieur à zéro.")
        if self.min_cents is not None and cents < self.min_cents:
            raise ValidationError("Le montant ne peut pas être négatif.")
        return cents

    def _jsonschema_type_mapping(self) -> dict[str, Any]:
        return {"type": "string", "pattern": r"^-?[0-9]{1,9}(\.[0-9]{1,2})?$"}


def siren_is_valid(siren: str) -> bool:
    """9 digits with a valid Luhn check digit (La Poste's SIREN 356000000 is the known exception)."""
    if len(siren) != 9 or not siren.isdigit():
        return False
    if siren == "356000000":
        return True
    total = 0
    for i, ch in enumerate(reversed(siren)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def validate_siren(value: str) -> None:
    if not siren_is_valid(value):
        raise ValidationError("SIREN invalide : 9 chiffres dont une clé de contrôle valide.")


def validate_account(value: str) -> None:
    """An account of the chart: domain.chart's one rule (digits only, classes 1 to 7, 3 to 20 long)."""
    problem = account_error(value)
    if problem:
        raise ValidationError(problem)


def validate_optional_account(value: str) -> None:
    """An account of the chart, or "" for the chart's default (a payment method's treasury account)."""
    if value != "":
        validate_account(value)


def validate_aux_account(value: str) -> None:
    """A customer's auxiliary account (« 411MAIRIE »), or "" for ``C<id>``: domain.chart's rule."""
    problem = aux_account_error(value) if value != "" else None
    if problem:
        raise ValidationError(problem)


def validate_chart(accounts: Mapping[str, Any]) -> None:
    """A company's ``accounts`` map: every key of the chart and its value by domain.chart's rule;
    the errors are keyed ``accounts.<key>`` (raised from a schema validator, so they name the field)."""
    errors = chart_errors(accounts)
    if errors:
        raise ValidationError(errors)
