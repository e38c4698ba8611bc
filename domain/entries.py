"""Accounting entries of one cash day in the cash journal ``CA`` (DOMAIN.md §5).

Invariants
  1. Every entry balances: Σ debit = Σ credit, each line one-sided and positive.
     ``Entry`` checks it when built and raises ``UnbalancedEntryError`` otherwise, so an
     unbalanced entry cannot exist (in particular a day whose breakdown does not match
     has no sales entry: it cannot be closed anyway).
  2. The entries move exactly what ``compute_day`` counts: the same active flows, the
     same per-line VAT split, the same difference. One entry per movement, in this order:
     (1) the Z — payments debited per method, revenue credited HT per category in Z order,
     output VAT per rate; (2) one per flow, in input order; (3) one per manual method
     with a difference (658 shortage / 758 surplus).
  3. Accounts come from ``DEFAULT_CHART`` overridden by the company's chart, then by the
     account stored on the category, method, customer or supplier.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .day import DayResult, active_flows, compute_day, flow_method
from .errors import UnbalancedEntryError
from .inputs import DayInput, Flow, Id, Method, Settings
from .vat import split_ttc

DEFAULT_CHART: Mapping[str, str] = {
    # payment methods by kind
    "cash": "530", "cheque": "5112", "card": "5115", "meal_voucher": "5116", "other": "5118",
    "gift_voucher": "4191", "customer_credit": "411",
    # the rest of the day
    "sales": "707", "vat_output": "44571", "vat_input": "44566", "expense": "606",
    "transfer": "580", "bank": "512", "owner": "108", "overpayment": "4197",
    "shortage": "658", "surplus": "758", "voucher_expired": "758", "refund": "411",
}


@dataclass(frozen=True)
class EntryLine:
    account: str
    debit: int = 0
    credit: int = 0
    aux: str | None = None  # auxiliary account (customer id in detailed credit mode)
    label: str = ""


@dataclass(frozen=True)
class Entry:
    journal: str
    date: str | None
    label: str
    lines: tuple[EntryLine, ...]

    def __post_init__(self) -> None:
        if any(min(x.debit, x.credit) != 0 or x.debit + x.credit <= 0 for x in self.lines):
            raise UnbalancedEntryError(f"« {self.label} » : chaque ligne est au débit ou au crédit.")
        debit, credit = sum(x.debit for x in self.lines), sum(x.credit for x in self.lines)
        if debit != credit:
            raise UnbalancedEntryError(f"« {self.label} » déséquilibrée : débit {debit}, crédit {credit}.")


def vat_output_account(chart: Mapping[str, str], vat_bp: int) -> str:
    """44571 + the rate in tenths of a percent on 3 digits: 5,5 % → 44571055, 20 % → 44571200."""
    return chart.get(f"vat_output_{vat_bp}") or chart["vat_output"] + (
        f"{vat_bp // 10:03d}" if vat_bp % 10 == 0 else str(vat_bp))


def _side(account: str, amount: int, aux: Id | None = None, label: str = "") -> list[EntryLine]:
    """A signed amount as a one-line list: positive → debit, negative → credit, zero → nothing."""
    if amount == 0:
        return []
    aux_text = None if aux is None else str(aux)
    if amount > 0:
        return [EntryLine(account, debit=amount, aux=aux_text, label=label)]
    return [EntryLine(account, credit=-amount, aux=aux_text, label=label)]


class _Accounts:
    def __init__(self, settings: Settings, chart: Mapping[str, str] | None) -> None:
        self.settings, self.chart = settings, {**DEFAULT_CHART, **(chart or {})}

    def method(self, method: Method) -> str:
        return method.account or self.chart[method.kind]

    def customer(self, customer_id: Id | None) -> str:
        found = next((c for c in self.settings.customers if c.id == customer_id), None)
        return (found.account if found else None) or self.chart["customer_credit"]


def _sales(inp: DayInput, acc: _Accounts, result: DayResult) -> list[EntryLine]:
    settings = inp.settings
    lines: list[EntryLine] = []
    detailed = settings.options.credit_mode == "detailed"
    granted = [f for f in active_flows(inp.day.flows) if f.kind == "credit_granted"]
    for bal in result.manual + result.automatic:
        amount = bal.contributions["payments"]
        if bal.method.kind == "customer_credit" and detailed:
            for flow in granted:
                lines += _side(acc.customer(flow.customer_id), flow.amount, flow.customer_id)
            amount -= sum(f.amount for f in granted)
        lines += _side(acc.method(bal.method), amount)
    for cat in result.categories:
        lines += _side(cat.category.account or acc.chart["sales"], -cat.ht, label=cat.category.label)
    for rate in result.vat_lines:
        lines += _side(vat_output_account(acc.chart, rate.vat_bp), -rate.vat)
    return lines


def _flow_lines(flow: Flow, inp: DayInput, acc: _Accounts) -> tuple[str, list[EntryLine]]:
    kind, amount, chart = flow.kind, flow.amount, acc.chart
    if kind in ("credit_granted", "voucher_redeemed"):  # already in the Z entry's payment lines
        return "", []
    if kind == "voucher_expired":
        return f"Bon cadeau expiré {flow.code}", (
            _side(chart["gift_voucher"], amount) + _side(chart["voucher_expired"], -amount))
    method = acc.method(flow_method(flow, inp))
    if kind == "expense":
        supplier = next((s for s in inp.settings.suppliers if s.id == flow.supplier_id), None)
        vat_bp = flow.vat_bp if flow.vat_bp is not None else (supplier.vat_bp if supplier else None) or 0
        ht, vat = split_ttc(amount, vat_bp)
        account = flow.account or (supplier.account if supplier else None) or chart["expense"]
        text = flow.label or (supplier.label if supplier else "")
        return f"Dépense {text}".strip(), (
            _side(account, ht) + _side(chart["vat_input"], vat) + _side(method, -amount))
    if kind == "transfer":
        target = acc.method(inp.settings.method(flow.to_method_id, f"flux {flow.id}"))
        return "Transfert", _side(target, amount) + _side(method, -amount)
    counterpart, text, aux = {
        "cash_in": (chart["owner"] if flow.owner else chart["transfer"], "Apport", None),
        "cash_out": (chart["owner"] if flow.owner else chart["transfer"], "Sortie", None),
        "deposit": (chart["transfer"], "Remise en banque", None),
        "credit_settled": (acc.customer(flow.customer_id), "Règlement client", flow.customer_id),
        "refund": (chart["refund"], "Remboursement", flow.customer_id),
        "voucher_sold": (chart["gift_voucher"], f"Bon cadeau vendu {flow.code}", None),
        "overpayment": (chart["overpayment"], "Trop-perçu", None),
    }[kind]
    sign = 1 if kind in ("cash_in", "credit_settled", "voucher_sold", "overpayment") else -1
    return text, _side(method, sign * amount) + _side(counterpart, -sign * amount, aux)


def day_entries(day_input: DayInput, chart: Mapping[str, str] | None = None, *,
                journal: str = "CA") -> list[Entry]:
    """The day's balanced entries; raises UnbalancedEntryError when the breakdown does not match."""
    acc, date = _Accounts(day_input.settings, chart), day_input.day.date
    entries: list[Entry] = []

    def add(label: str, lines: list[EntryLine]) -> None:
        if lines:  # debits first, as a journal is read
            entries.append(Entry(journal, date, label, tuple(sorted(lines, key=lambda x: x.credit > 0))))

    result = compute_day(day_input)
    add(f"Ventes Z {day_input.day.z_number}".strip(), _sales(day_input, acc, result))
    for flow in active_flows(day_input.day.flows):
        add(*_flow_lines(flow, day_input, acc))
    for bal in result.manual:
        d = bal.difference or 0
        add(f"Écart de caisse {bal.method.label}".strip(), _side(acc.method(bal.method), d)
            + _side(acc.chart["surplus"] if d > 0 else acc.chart["shortage"], -d))
    return entries
