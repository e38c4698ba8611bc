"""The cash day: its input (settings, previous counts, header, flows) and what follows from it.

Invariants (ARCHITECTURE.md, "The cash day"; DOMAIN.md §2)
  1. Every amount is an ``int`` of cents; ids are server ints or client strings.
  2. A ``void`` flow and the flow it voids take part in nothing: they are removed
     once, by ``active_flows``, before any sum is made.
  3. For each *manual* method m::

        expected(m) = opening(m) + Σ contributions(m)

     where the contributions are the payment line and the signed flows of ``EFFECTS``
     (a transfer leaves its source and enters its target). Nothing else moves a
     drawer, and every flow kind is listed, even those that move none.
  4. ``opening(m)`` is the typed opening when given, else the register's last counted closing
     of m (``DayInput.carried_counts``: an earlier day left open without a count is skipped),
     else 0. ``opening_difference(m)`` = typed − previous, shown only when both exist.
  5. *Automatic* methods (cards…) carry nothing from day to day: they only report takings.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .errors import InputError
from .inputs import Category, DayInput, Flow, Id, Method, id_key, parse_day_input
from .vat import VatLine, div_round_half_away, split_ttc, vat_lines

__all__ = ["DayInput", "DayResult", "active_flows", "compute_day", "parse_day_input"]

# kind → (contribution name, sign) on the flow's method_id. Rules are data.
EFFECTS: Mapping[str, tuple[str, int] | None] = {
    "cash_in": ("cash_in", +1),
    "cash_out": ("cash_out", -1),
    "expense": ("expense", -1),
    "deposit": ("deposit", -1),
    "transfer": ("transfer_out", -1),  # and ("transfer_in", +1) on to_method_id
    "credit_granted": None,  # it is the customer_credit payment line
    "credit_settled": ("credit_settled", +1),
    "refund": ("refund", -1),
    "voucher_sold": ("voucher_sold", +1),  # a liability, not revenue
    "voucher_redeemed": None,  # it is the gift_voucher payment line
    "voucher_expired": None,
    "overpayment": ("overpayment", +1),  # amount may be negative
    "void": None,
}
CONTRIBUTIONS = ("payments", "credit_settled", "voucher_sold", "cash_in", "cash_out", "expense",
                 "refund", "deposit", "transfer_in", "transfer_out", "overpayment")


def active_flows(flows: Iterable[Flow]) -> list[Flow]:
    """The flows that count: neither a ``void`` nor voided by one."""
    flows = list(flows)
    voided = {f.voids for f in flows if f.kind == "void"}
    return [f for f in flows if f.kind != "void" and f.id not in voided]


def flow_method(flow: Flow, inp: DayInput) -> Method:
    """The method a flow moves (an expense without one is paid in cash)."""
    if flow.method_id is None and flow.kind == "expense":
        cash = [m for m in inp.settings.methods if m.kind == "cash"]
        if cash:
            return cash[0]
    return inp.settings.method(flow.method_id, f"flux {flow.id}")


@dataclass(frozen=True)
class Totals:
    sales_ttc: int
    sales_ht: int
    sales_vat: int
    payments_total: int
    sales_count: int
    average_basket: int | None  # None when there is no sale to divide by


@dataclass(frozen=True)
class CategoryLine:
    category: Category
    ttc: int
    ht: int
    vat: int


@dataclass(frozen=True)
class MethodBalance:
    """One method of the day; opening/expected/counted are None for automatic methods."""

    method: Method
    contributions: Mapping[str, int]
    carried_opening: int | None = None
    typed_opening: int | None = None
    opening: int | None = None
    opening_difference: int = 0
    expected: int | None = None
    counted: int | None = None
    difference: int | None = None

    @property
    def takings(self) -> int:
        return sum(self.contributions.values())

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"method_id": self.method.id, "kind": self.method.kind,
                               "contributions": dict(self.contributions)}
        if not self.method.manual:
            return {**out, "takings": self.takings}
        return {**out, "carried_opening": self.carried_opening, "typed_opening": self.typed_opening,
                "opening": self.opening, "opening_difference": self.opening_difference,
                "expected": self.expected, "counted": self.counted, "difference": self.difference}


@dataclass(frozen=True)
class Outstanding:
    """Change of a liability or receivable over the day: ``delta = increase − decrease``."""

    increase: int
    decrease: int
    by_key: tuple[tuple[Id, int], ...]  # customer id or voucher code → delta, sorted
    expired: int = 0  # vouchers only: the part of ``decrease`` that expired (never redeemed)

    @property
    def redeemed(self) -> int:
        return self.decrease - self.expired

    @property
    def delta(self) -> int:
        return self.increase - self.decrease


@dataclass(frozen=True)
class DayResult:
    totals: Totals
    categories: tuple[CategoryLine, ...]  # Z order
    vat_lines: tuple[VatLine, ...]  # ascending rate
    manual: tuple[MethodBalance, ...]  # settings order
    automatic: tuple[MethodBalance, ...]
    credit: Outstanding  # increase = granted, decrease = settled
    vouchers: Outstanding  # increase = sold, decrease = used = redeemed + expired (three lines)

    def payment_line(self, kind: str) -> int:
        """Σ of the payment lines of the methods of one kind (e.g. the day's gift_voucher line)."""
        return sum(b.contributions["payments"] for b in self.manual + self.automatic if b.method.kind == kind)

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of ``expected`` in schema/vectors/day/*.json (and of the JS twin)."""
        t = self.totals
        return {
            "totals": dict(t.__dict__),
            "categories": [{"category_id": c.category.id, "vat_bp": c.category.vat_bp, "ttc": c.ttc, "ht": c.ht,
                            "vat": c.vat} for c in self.categories],
            "vat_lines": [line.as_dict() for line in self.vat_lines],
            "methods": [b.as_dict() for b in self.manual],
            "automatic": [b.as_dict() for b in self.automatic],
            "credit": {"granted": self.credit.increase, "settled": self.credit.decrease,
                       "delta": self.credit.delta,
                       "by_customer": [{"customer_id": k, "delta": v} for k, v in self.credit.by_key]},
            "vouchers": {"sold": self.vouchers.increase, "redeemed": self.vouchers.redeemed,
                         "expired": self.vouchers.expired, "used": self.vouchers.decrease,
                         "delta": self.vouchers.delta,
                         "by_code": [{"code": k, "delta": v} for k, v in self.vouchers.by_key]},
        }


def _by_key(pairs: Iterable[tuple[Id | None, int]]) -> tuple[tuple[Id, int], ...]:
    sums: dict[Id, int] = {}
    for key, amount in pairs:
        if key is not None:
            sums[key] = sums.get(key, 0) + amount
    return tuple(sorted(sums.items(), key=lambda kv: id_key(kv[0])))


def _contributions(inp: DayInput, flows: list[Flow]) -> dict[Id, dict[str, int]]:
    per: dict[Id, dict[str, int]] = {m.id: dict.fromkeys(CONTRIBUTIONS, 0) for m in inp.settings.methods}
    for line in inp.day.payments:
        per[inp.settings.method(line.ref, "paiements").id]["payments"] += line.amount
    for flow in flows:
        effect = EFFECTS[flow.kind]
        if effect is None:
            continue
        name, sign = effect
        per[flow_method(flow, inp).id][name] += sign * flow.amount
        if flow.kind == "transfer":
            per[inp.settings.method(flow.to_method_id, f"flux {flow.id}").id]["transfer_in"] += flow.amount
    return per


def _balance(inp: DayInput, method: Method, contributions: dict[str, int],
             carried_counts: Mapping[Id, int]) -> MethodBalance:
    if not method.manual:
        return MethodBalance(method, contributions)
    carried = carried_counts.get(method.id)
    typed = inp.day.amount_of("opening", method.id)
    opening = typed if typed is not None else (carried or 0)
    expected = opening + sum(contributions.values())
    counted = inp.day.amount_of("counts", method.id)
    return MethodBalance(
        method, contributions, carried, typed, opening,
        typed - carried if typed is not None and carried is not None else 0,
        expected, counted, None if counted is None else counted - expected,
    )


def _outstanding(flows: list[Flow], balances: list[MethodBalance], detailed: bool) -> tuple[Outstanding, ...]:
    """Customer credit (granted − settled) and gift vouchers (sold − redeemed − expired) of the day."""
    total = {kind: sum(f.amount for f in flows if f.kind == kind) for kind in EFFECTS}
    lump = sum(b.contributions["payments"] for b in balances if b.method.kind == "customer_credit")
    credit_moves = [(f.customer_id, (1 if f.kind == "credit_granted" else -1) * f.amount)
                    for f in flows if f.kind in ("credit_granted", "credit_settled")]
    voucher_moves = [(f.code, (1 if f.kind == "voucher_sold" else -1) * f.amount)
                     for f in flows if f.kind.startswith("voucher_")]
    return (
        Outstanding(total["credit_granted"] if detailed else lump, total["credit_settled"],
                    _by_key(credit_moves) if detailed else ()),
        Outstanding(total["voucher_sold"], total["voucher_redeemed"] + total["voucher_expired"],
                    _by_key(voucher_moves), total["voucher_expired"]),
    )


def compute_day(inp: DayInput) -> DayResult:
    """Totals, VAT per rate, balance of every method, outstanding credit and vouchers."""
    settings, day = inp.settings, inp.day
    if day.sales_count < 0:
        raise InputError("Le nombre de ventes ne peut pas être négatif.", field="sales_count")
    order = {c.id: c for c in settings.categories}
    lines = []
    for sale in day.sales:
        category = order.get(sale.ref)
        if category is None:
            raise InputError(f"Classification inconnue : {sale.ref}.", field="sales")
        lines.append(CategoryLine(category, sale.amount, *split_ttc(sale.amount, category.vat_bp)))
    lines.sort(key=lambda c: (c.category.position, id_key(c.category.id)))
    ttc = sum(c.ttc for c in lines)
    flows = active_flows(day.flows)
    per = _contributions(inp, flows)
    carried = inp.carried_counts()
    balances = [_balance(inp, m, per[m.id], carried) for m in settings.methods]
    credit, vouchers = _outstanding(flows, balances, settings.options.credit_mode == "detailed")
    return DayResult(
        totals=Totals(ttc, sum(c.ht for c in lines), sum(c.vat for c in lines),
                      sum(p.amount for p in day.payments), day.sales_count,
                      div_round_half_away(ttc, day.sales_count) if day.sales_count else None),
        categories=tuple(lines),
        vat_lines=tuple(vat_lines((c.category.vat_bp, c.ttc) for c in lines)),
        manual=tuple(b for b in balances if b.method.manual),
        automatic=tuple(b for b in balances if not b.method.manual),
        credit=credit,
        vouchers=vouchers,
    )
