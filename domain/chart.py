"""The chart of accounts of a company (DOMAIN.md §5): its keys, defaults and validation.

A company stores only what it changed (``Company.accounts``); the effective chart is
``DEFAULT_CHART`` + the owner account of its legal form (108 sole trader, 455 company) +
the journal code and label (``CA`` / « Caisse ») + its own overrides. Revenue, treasury,
customer and expense accounts may also sit on the category, method, customer or supplier.

An account number is digits only, 3 to 20 long, in the PCG balance-sheet and
profit-and-loss classes 1 to 7; a customer's auxiliary account may also hold capitals
(« 411MAIRIE »). ``chart_errors`` returns ``{field: [message fr]}`` so the API answers 422
naming the field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from .entries import DEFAULT_CHART

JOURNAL_KEYS = ("journal_code", "journal_label")
DEFAULT_JOURNAL = {"journal_code": "CA", "journal_label": "Caisse"}
OWNER_BY_FORM = {"sole_trader": "108", "company": "455"}
VAT_RATE_KEY = re.compile(r"^vat_output_(0|[1-9][0-9]{0,3})$")  # one output VAT account per rate (bp)
ACCOUNT = re.compile(r"^[1-7][0-9]{2,19}$")
JOURNAL_CODE = re.compile(r"^[A-Z0-9]{1,8}$")

# French names of the chart's keys, for the back-office screen and the API documentation.
KEY_LABELS: Mapping[str, str] = {
    "cash": "Caisse (espèces)", "cheque": "Chèques à encaisser", "card": "Cartes bancaires à encaisser",
    "meal_voucher": "Titres-restaurant à encaisser", "other": "Autres moyens à encaisser",
    "gift_voucher": "Bons cadeaux (dette)", "customer_credit": "Clients", "sales": "Ventes (par défaut)",
    "vat_output": "TVA collectée (racine)", "vat_input": "TVA déductible", "expense": "Dépenses (par défaut)",
    "transfer": "Virements internes", "bank": "Banque", "owner": "Apports de l’exploitant ou des associés",
    "overpayment": "Trop-perçus", "shortage": "Écarts de caisse (manquant)", "surplus": "Écarts de caisse (excédent)",
    "voucher_expired": "Bons cadeaux expirés", "refund": "Remboursements clients",
    "journal_code": "Code du journal", "journal_label": "Libellé du journal",
}


def default_chart(legal_form: str) -> dict[str, str]:
    """The defaults of a company of this legal form (unknown forms are treated as companies)."""
    return {**DEFAULT_CHART, "owner": OWNER_BY_FORM.get(legal_form, "455"), **DEFAULT_JOURNAL}


def effective_chart(legal_form: str, accounts: Mapping[str, object] | None) -> dict[str, str]:
    """Defaults overridden by the company's own accounts (non-string values are ignored)."""
    own = {k: v for k, v in (accounts or {}).items() if isinstance(v, str) and v}
    return {**default_chart(legal_form), **own}


def is_chart_key(key: str) -> bool:
    return key in DEFAULT_CHART or key in JOURNAL_KEYS or VAT_RATE_KEY.match(key) is not None


def account_error(value: object) -> str | None:
    """Why ``value`` is not an account number, or None."""
    if not isinstance(value, str):
        return "Numéro de compte attendu (texte)."
    if not value.isascii() or not value.isdigit():
        return "Un numéro de compte ne contient que des chiffres."
    if not ACCOUNT.match(value):
        return "Compte hors du plan : classes 1 à 7, de 3 à 20 chiffres."
    return None


AUX_ACCOUNT = re.compile(r"^[A-Z0-9]{1,20}$")


def aux_account_error(value: object) -> str | None:
    """Why ``value`` is not an auxiliary (customer) account: capitals and digits, 1 to 20 (« 411MAIRIE »)."""
    if not isinstance(value, str) or not AUX_ACCOUNT.match(value):
        return "Compte auxiliaire : lettres majuscules et chiffres, 20 au maximum."
    return None


def chart_errors(accounts: Mapping[str, object], prefix: str = "accounts") -> dict[str, list[str]]:
    """Every problem of a chart update, keyed by the field's path (``accounts.cash``)."""
    errors: dict[str, list[str]] = {}
    for key, value in accounts.items():
        where = f"{prefix}.{key}"
        if not isinstance(key, str) or not is_chart_key(key):
            errors[where] = ["Clé inconnue du plan comptable."]
        elif key == "journal_code":
            if not isinstance(value, str) or not JOURNAL_CODE.match(value):
                errors[where] = ["Code journal : 1 à 8 lettres majuscules ou chiffres."]
        elif key == "journal_label":
            if not isinstance(value, str) or not value.strip() or len(value) > 100 or not value.isprintable():
                errors[where] = ["Libellé du journal : 1 à 100 caractères imprimables."]
        else:
            problem = account_error(value)
            if problem:
                errors[where] = [problem]
    return errors
