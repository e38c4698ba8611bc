"""Controls: what is wrong with a day, as values, never as exceptions.

``evaluate(day_input, at_close)`` is the one function that turns a day into findings
(ARCHITECTURE.md, "Controls"); the screen calls it on every keystroke, the server calls it
with ``at_close=True`` before sealing. ``can_close`` is true iff no finding is an error.

Invariants
  1. Pure: same input, same findings, in the same order (kind, then method id).
  2. Errors block closing: breakdown_mismatch, missing_comment, count_missing.
     Everything else only warns: a shop may close above its max threshold.
  3. A difference needs a comment even within tolerance; the tolerance only mutes
     the cash_difference warning (|difference| > tolerance).
  4. Thresholds judge each manual cash drawer on its counted balance, else its expected
     one. ``max_threshold`` None or 0 is unset; ``min_threshold`` None is unset (0 flags
     a negative drawer).
  5. Detail checks: Σ voucher_redeemed = gift_voucher payment line (when vouchers are on);
     Σ credit_granted = customer_credit payment line (credit on, detailed mode). In lump
     mode the payment line is the whole story.

The rules that judge one flow before it is stored live in ``domain.validation``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .day import MethodBalance, active_flows, compute_day
from .inputs import DayInput, Id, Method, Settings, id_key, is_blank
from .money import format_fr

ERROR, WARNING, INFO = "error", "warning", "info"
METHOD_NAMES = {"cash": "espèces", "cheque": "chèques", "card": "carte bancaire", "meal_voucher":
                "tickets restaurant", "gift_voucher": "bons cadeaux", "customer_credit": "crédit client",
                "other": "autre moyen"}


@dataclass(frozen=True)
class Finding:
    kind: str
    severity: str  # 'error' blocks closing | 'warning' | 'info'
    message_fr: str
    method_id: Id | None = None
    amount: int | None = None  # cents; its meaning depends on the kind (see evaluate)

    def as_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "severity": self.severity, "method_id": self.method_id,
                "amount": self.amount, "message_fr": self.message_fr}


def label(method: Method) -> str:
    return method.label or METHOD_NAMES.get(method.kind, str(method.id))


def _drawer(bal: MethodBalance, settings: Settings, blank_comment: bool, at_close: bool) -> list[Finding]:
    """Count, difference and threshold findings of one manual method."""
    m, name, fmt, found = bal.method, label(bal.method), format_fr, []
    if bal.counted is None or bal.difference is None or bal.expected is None:
        if at_close:
            found.append(Finding("count_missing", ERROR, f"Comptage de clôture manquant : {name}.", m.id))
    elif bal.difference:
        d = bal.difference
        if abs(d) > settings.tolerance:
            found.append(Finding("cash_difference", WARNING, f"Écart {name} : {fmt(d)} (compté "
                                 f"{fmt(bal.counted)}, théorique {fmt(bal.expected)}).", m.id, d))
        if blank_comment:
            found.append(Finding("missing_comment", ERROR, f"Écart {name} de {fmt(d)} : un commentaire "
                                 "est obligatoire pour clôturer.", m.id, d))
    if m.kind != "cash":
        return found
    balance = bal.counted if bal.counted is not None else (bal.expected or 0)
    high, low = settings.max_threshold, settings.min_threshold
    if high and balance > high:
        found.append(Finding("above_max", WARNING, f"{name} : {fmt(balance)}, au-dessus du plafond de "
                             f"{fmt(high)} ; une remise en banque est conseillée.", m.id, balance - high))
    if low is not None and balance < low:
        found.append(Finding("below_min", WARNING, f"{name} : {fmt(balance)}, sous le minimum de "
                             f"{fmt(low)} ; le fond de caisse est insuffisant.", m.id, low - balance))
    return found


DETAIL_CHECKS = (  # finding, detail flow, payment method kind, French message
    ("voucher_mismatch", "voucher_redeemed", "gift_voucher",
     "Bons cadeaux : {} en paiement, {} de bons utilisés saisis (écart {})."),
    ("credit_mismatch", "credit_granted", "customer_credit",
     "Crédit client : {} en paiement, {} de mises en compte saisies (écart {})."),
)


def evaluate(day_input: DayInput, at_close: bool = False) -> list[Finding]:
    """All findings of a day. Amounts: breakdown = sales − payments; difference = counted −
    expected; above_max = excess over max; below_min = shortfall under min; detail = line − flows."""
    settings, day, result = day_input.settings, day_input.day, compute_day(day_input)
    totals, fmt, found = result.totals, format_fr, []
    gap = totals.sales_ttc - totals.payments_total
    if gap:
        found.append(Finding("breakdown_mismatch", ERROR, f"Ventilation déséquilibrée : "
                             f"{fmt(totals.sales_ttc)} de ventes pour {fmt(totals.payments_total)} "
                             f"de paiements (écart {fmt(gap)}).", None, gap))
    blank_comment = is_blank(day.comment)
    for bal in result.manual:
        found += _drawer(bal, settings, blank_comment, at_close)
    if not settings.opening_day:
        found.append(Finding("closed_calendar_date", WARNING,
                             "Cette date n'est pas un jour d'ouverture du calendrier."))
    opts = settings.options
    enabled = {"voucher_mismatch": opts.opt_gift_vouchers,
               "credit_mismatch": opts.opt_customer_credit and opts.credit_mode == "detailed"}
    flows = active_flows(day.flows)
    for kind, flow_kind, method_kind, text in DETAIL_CHECKS:
        line = result.payment_line(method_kind)
        detail = sum(f.amount for f in flows if f.kind == flow_kind)
        if enabled[kind] and line != detail:
            found.append(Finding(kind, WARNING, text.format(fmt(line), fmt(detail), fmt(line - detail)),
                                 None, line - detail))
    return sorted(found, key=lambda f: (f.kind, id_key(f.method_id)))


def can_close(findings: Iterable[Finding]) -> bool:
    """A day closes when no finding is an error."""
    return not any(f.severity == ERROR for f in findings)


def __getattr__(name: str) -> Any:
    """``check_flow_allowed`` and ``validate_flow`` (cents) moved to ``domain.validation``."""
    if name in ("check_flow_allowed", "validate_flow"):
        from . import validation

        return validation.check_flow_allowed if name == "check_flow_allowed" else validation.flow_rules
    raise AttributeError(name)
