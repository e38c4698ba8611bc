"""The one small exception hierarchy of the cash-day rules.

Rule breaches found while *evaluating* a day are returned as values (findings,
field-error dicts); only input that cannot be read at all raises. Every error
carries a French message that can be shown to a cashier as is.
"""

from __future__ import annotations


class DomainError(ValueError):
    """Base class: `message_fr` is ready for the UI, `field` names the culprit if known."""

    def __init__(self, message_fr: str, *, field: str | None = None) -> None:
        super().__init__(message_fr)
        self.message_fr = message_fr
        self.field = field


class MoneyError(DomainError):
    """An amount that is not a whole number of cents (too many decimals, NaN, float, …)."""


class InputError(DomainError):
    """A day input that does not have the documented shape (unknown id, non-integer cents, …)."""


class UnbalancedEntryError(DomainError):
    """An accounting entry whose debits and credits differ: never written to a journal."""
