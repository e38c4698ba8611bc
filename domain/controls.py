"""Controls: what is wrong with a day, as values, never as exceptions.

``evaluate(day_input, at_close)`` is the one function that turns a day into findings
(ARCHITECTURE.md, "Controls"); the screen calls it on every keystroke, the server calls it
with ``at_close=True`` before sealing. ``can_close`` is true iff no finding is an error.

Invariants
  1. Pure: same input, same findings, in the same order (kind, then method id).
  2. Errors block closing: breakdown_mismatch, missing_comment, count_missing.
     Everything else only warns: a shop may close above its max threshold.
  3. Tolerance (docs/DECISIONS.md): a difference within the company's tolerance
     (|difference| <= tolerance) closes without a comment and raises no warning; it is still
     recorded and shown in the balance. Above it: the cash_difference warning, and
     missing_comment (an error) while the comment is blank.
  6. An earlier day of the register still open gives one ``earlier_day_open`` info naming it.
  7. Vouchers, detailed mode with the known codes given (``voucher_codes``): redeeming a code
     never sold (``voucher_unknown``) or already used (``voucher_already_used``) warns, once
     per redeeming flow, in flow order. Expired vouchers are their own line, never redeemed.
  4. Thresholds judge each manual cash drawer on its counted balance, else its expected
     one. ``max_threshold`` None or 0 is unset; ``min_threshold`` None is unset (0 flags
     a negative drawer).
  5. Detail checks: Σ voucher_redeemed = gift_voucher payment line (when vouchers are on);
     Σ credit_granted = customer_credit payment line (credit on, detailed mode). In lump
     mode the payment line is the whole story.

The rules that judge one flow before it is stored live in ``domain.validation``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .day import MethodBalance, active_flows, compute_day
from .inputs import DayInput, Flow, Id, Method, Settings, id_key, is_blank
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
        if blank_comment and abs(d) > settings.tolerance:
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
                             "Cette date n’est pas un jour d’ouverture du calendrier."))
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
    for on in day_input.earlier_open_days():
        found.append(Finding("earlier_day_open", INFO, f"La journée du {_fr_date(on)} est encore ouverte ; "
                             "l’ouverture reprend le dernier comptage de la caisse."))
    if opts.opt_gift_vouchers and opts.credit_mode == "detailed" and day_input.voucher_codes is not None:
        found += _voucher_findings(flows, day_input.voucher_codes)
    return sorted(found, key=lambda f: (f.kind, id_key(f.method_id)))


def _fr_date(iso: str) -> str:
    return f"{iso[8:10]}/{iso[5:7]}/{iso[0:4]}"


def _voucher_findings(flows: list[Flow], known: Mapping[str, str]) -> list[Finding]:
    """Redemptions of codes never sold or already used, walking the day's flows in order."""
    state, found = dict(known), []
    for flow in flows:
        code = flow.code or ""
        if flow.kind == "voucher_sold":
            state[code] = "open"
        elif flow.kind in ("voucher_redeemed", "voucher_expired"):
            if flow.kind == "voucher_redeemed" and code not in state:
                found.append(Finding("voucher_unknown", WARNING, f"Bon cadeau « {code} » utilisé mais jamais "
                                     "vendu : vérifiez son numéro.", None, flow.amount))
            elif flow.kind == "voucher_redeemed" and state[code] == "used":
                found.append(Finding("voucher_already_used", WARNING, f"Bon cadeau « {code} » déjà utilisé "
                                     "ou expiré : vérifiez son numéro.", None, flow.amount))
            state[code] = "used"
    return found


def can_close(findings: Iterable[Finding]) -> bool:
    """A day closes when no finding is an error."""
    return not any(f.severity == ERROR for f in findings)


def __getattr__(name: str) -> Any:
    """``check_flow_allowed`` and ``validate_flow`` (cents) moved to ``domain.validation``."""
    if name in ("check_flow_allowed", "validate_flow"):
        from . import validation

        return validation.check_flow_allowed if name == "check_flow_allowed" else validation.flow_rules
    raise AttributeError(name)
