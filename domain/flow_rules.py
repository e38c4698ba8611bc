"""The rules of one movement against the company, money already in cents (step 2 of domain.validation).

``flow_rules`` judges a flow the way the day will be computed: which options allow its kind, which
methods may carry it (never a gift-voucher or customer-credit line; deposits only from a manual
drawer), what a void targets, the customer, supplier or label it needs. It returns French messages
by field, ``{}`` when valid; ``domain.validation.validate_flow`` calls it after the value rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .controls import label
from .inputs import FLOW_KINDS, Method, Settings, is_blank

Errors = dict[str, list[str]]
MAX_INT = 2**53  # ids and counts: exact in JavaScript, far below 2**63 (SQL BIGINT)
OPTION_OF_KIND = {"expense": "opt_cash_expenses", "transfer": "opt_transfers",
                  "credit_granted": "opt_customer_credit", "credit_settled": "opt_customer_credit",
                  "voucher_sold": "opt_gift_vouchers", "voucher_redeemed": "opt_gift_vouchers",
                  "voucher_expired": "opt_gift_vouchers", "overpayment": "opt_overpayments"}
NEEDS_METHOD = ("cash_in", "cash_out", "deposit", "transfer", "credit_settled", "refund", "voucher_sold",
                "overpayment")
NOT_A_DRAWER = ("gift_voucher", "customer_credit")  # they are payment lines, never moved by a flow
POSITIVE = "Le montant doit être supérieur à zéro."
NONZERO = "Un trop-perçu ne peut pas être nul."


def _add(errors: Errors, path: str, message: str) -> None:
    errors.setdefault(path, []).append(message)


def is_int(value: object, low: int = 0, high: int = MAX_INT) -> bool:
    """A JSON integer (never a bool) within [low, high]."""
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def check_flow_allowed(kind: str, settings_or_options: Any) -> str | None:
    """The name of the disabled option that forbids ``kind``, or None when it is allowed."""
    options = getattr(settings_or_options, "options", settings_or_options)
    option = OPTION_OF_KIND.get(kind)
    return option if option is not None and not getattr(options, option) else None


def _check_method(flow: Mapping[str, Any], key: str, settings: Settings, errors: Errors) -> Method | None:
    if flow.get(key) is None:
        _add(errors, key, "Moyen de paiement obligatoire.")
        return None
    method = settings.find_method(flow[key])
    if method is None:
        _add(errors, key, "Moyen de paiement inconnu.")
    elif method.kind in NOT_A_DRAWER:
        _add(errors, key, f"Le moyen « {label(method)} » ne peut pas porter ce mouvement.")
    return method


def flow_rules(flow: Mapping[str, Any], settings: Settings, *,
               existing: Mapping[str, str] | None = None) -> Errors:
    """The rules of a movement against the company (money already in cents): what a void targets,
    which methods may carry it, required customer, supplier or label. ``existing`` maps the day's
    flow ids to their kinds."""
    errors: Errors = {}
    kind = flow.get("kind")
    if not isinstance(flow.get("id"), str) or not flow["id"]:
        _add(errors, "id", "Identifiant du mouvement manquant.")
    if not isinstance(kind, str) or kind not in FLOW_KINDS:
        _add(errors, "kind", "Type de mouvement inconnu.")
        return errors
    option = check_flow_allowed(kind, settings.options)
    if option is not None:
        _add(errors, "kind", f"Ce mouvement est désactivé pour cette société (option {option}).")
    if kind == "void":
        target = flow.get("voids")
        if not isinstance(target, str) or not target:
            _add(errors, "voids", "Indiquez le mouvement à annuler.")
        elif target == flow.get("id"):
            _add(errors, "voids", "Un mouvement ne peut pas s’annuler lui-même.")
        elif existing is not None and target not in existing:
            _add(errors, "voids", "Mouvement à annuler introuvable dans cette journée.")
        elif existing is not None and existing[target] == "void":
            _add(errors, "voids", "Une annulation ne s’annule pas : saisissez de nouveau le mouvement.")
        return errors
    amount = flow.get("amount")
    if not isinstance(amount, int) or not is_int(amount, -MAX_INT):
        _add(errors, "amount", "Montant invalide.")
    elif kind == "overpayment" and amount == 0:
        _add(errors, "amount", NONZERO)
    elif kind != "overpayment" and amount <= 0:
        _add(errors, "amount", POSITIVE)
    method = None
    if kind in NEEDS_METHOD or (kind == "expense" and flow.get("method_id") is not None):
        method = _check_method(flow, "method_id", settings, errors)
    elif kind == "expense" and not any(m.kind == "cash" for m in settings.methods):
        _add(errors, "method_id", "Moyen de paiement obligatoire.")
    if kind == "deposit" and method is not None and not method.manual:
        _add(errors, "method_id", "Seuls les moyens à dépôt manuel (espèces, chèques) se remettent en banque.")
    if kind == "transfer":
        target_method = _check_method(flow, "to_method_id", settings, errors)
        if target_method is not None and target_method == method:
            _add(errors, "to_method_id", "Le transfert doit aller vers un autre moyen de paiement.")
    customer = flow.get("customer_id")
    detailed = settings.options.credit_mode == "detailed"
    if customer is None and kind in ("credit_granted", "credit_settled") and detailed:
        _add(errors, "customer_id", "Client obligatoire en mode crédit détaillé.")
    elif customer is not None and not any(c.id == customer and not isinstance(customer, bool)
                                          for c in settings.customers):
        _add(errors, "customer_id", "Client inconnu.")
    if kind.startswith("voucher_") and is_blank(flow.get("code")):
        _add(errors, "code", "Numéro du bon obligatoire.")
    if kind == "expense":
        supplier, text = flow.get("supplier_id"), flow.get("label")
        if supplier is None and is_blank(text):
            _add(errors, "label", "Indiquez un fournisseur ou un libellé.")
        elif supplier is not None and not any(s.id == supplier and not isinstance(supplier, bool)
                                              for s in settings.suppliers):
            _add(errors, "supplier_id", "Fournisseur inconnu.")
        vat_bp = flow.get("vat_bp")
        if vat_bp is not None and not is_int(vat_bp, 0, 10_000):
            _add(errors, "vat_bp", "Taux de TVA invalide.")
    return errors
