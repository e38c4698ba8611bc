"""Demo history: 15 months of plausible closed days for every demo register, up to yesterday.

Deterministic (one random.Random per register), following each company's calendar, and closed
through the real closing service (controls, then the hash chain), kept in memory and flushed in
batches so that the whole history seeds in a few seconds. Today's day, if the shop opens, is left
open with the morning's figures. Config `DEMO_HISTORY` (default: on, off under TESTING) switches it.
"""

from __future__ import annotations

import random
import uuid
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask import current_app

from domain import GENESIS, DayInput, compute_day
from server.demo.seed import BAKERY, CAFE
from server.extensions import db
from server.models import CalendarException, Company, Customer, Day, DayLine, Flow, Membership, Register, Supplier
from server.services import clock, closing
from server.services.calendar import opening_days
from server.services.catalog import Catalog
from server.services.day_input import domain_day
from server.services.versioning import stamp

MONTHS = 15
HOLIDAYS = [(11, 1, "Toussaint"), (11, 11, "Armistice"), (12, 25, "Noël"), (1, 1, "Jour de l'an"),
            (5, 1, "Fête du travail"), (7, 14, "Fête nationale")]
SEASON = [0.95, 0.9, 0.97, 1.0, 1.02, 1.0, 0.92, 0.82, 1.0, 1.0, 1.02, 1.3]  # January first
# register name → (base TTC per category label in cents, average basket, cash share, weekday factors Mon-first)
PROFILES: dict[str, tuple[dict[str, int], int, float, list[float]]] = {
    "Boutique": ({"Pain": 31000, "Viennoiserie": 16500, "Pâtisserie": 14000, "Snacking sur place": 9000,
                  "Boissons": 4200, "Épicerie": 2800}, 760, 0.36, [0, 0.9, 0.92, 0.95, 1.0, 1.25, 1.2]),
    "Marché du samedi": ({"Pain": 14000, "Viennoiserie": 7500, "Pâtisserie": 8800}, 920, 0.6, [0, 0, 0, 0, 0, 1, 0]),
    "Comptoir": ({"Boissons sans alcool": 21000, "Boissons alcoolisées": 15500, "Restauration": 36000,
                  "Vente à emporter": 4800}, 1280, 0.32, [0.85, 0.95, 1.0, 1.05, 1.25, 0, 0]),
}
FLOAT = 20000  # cash left in the drawer after a bank deposit
COMMENTS = ["Erreur de rendu de monnaie.", "Pièce étrangère rendue par erreur.",
            "Écart non expliqué, recompté deux fois.", "Arrondi sur un paiement en espèces."]
DENOMINATIONS = [50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1]


def grid_of(cents: int) -> dict[str, int]:
    out = {}
    for value in DENOMINATIONS:
        count, cents = divmod(cents, value)
        if count:
            out[str(value)] = count
    return out


@dataclass
class State:
    """What one register carries from day to day."""

    rng: random.Random
    head: closing.Head = (0, GENESIS)
    counts: dict[int | str, int] = field(default_factory=dict)  # method id → counted (domain ids)
    cheques_on_hand: int = 0
    vouchers: list[tuple[str, int]] = field(default_factory=list)
    credit: dict[int, int] = field(default_factory=dict)
    z: int = 0


class RegisterHistory:
    def __init__(self, company: Company, register: Register, catalog: Catalog, closer_id: int | None) -> None:
        self.company, self.register, self.catalog, self.closer_id = company, register, catalog, closer_id
        self.state = State(random.Random(zlib.crc32(f"{company.siren}/{register.name}".encode())))
        self.settings = catalog.settings(company, register)
        self.by_kind = {m.kind: m.id for m in catalog.methods.values()}
        labels = {c.label: c.id for c in catalog.categories.values()}
        base, self.basket, self.cash_share, self.weekdays = PROFILES[register.name]
        self.base = {labels[label]: cents for label, cents in base.items()}
        self.customers = [c.id for c in db.session.execute(db.select(Customer).where(
            Customer.company_id == company.id).order_by(Customer.id)).scalars()]
        self.suppliers = list(db.session.execute(db.select(Supplier).where(
            Supplier.company_id == company.id).order_by(Supplier.id)).scalars())

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.state.rng.getrandbits(128), version=4))

    def flow(self, day: Day, kind: str, amount: int, **columns) -> None:
        day.flows.append(Flow(id=self.uuid(), company_id=self.company.id, kind=kind, amount_cents=amount,
                              device_id="demo", created_by_id=self.closer_id, **columns))

    def sales(self, on: date, share: float) -> dict[int, int]:
        rng, out = self.state.rng, {}
        for category_id, base in self.base.items():
            label = self.catalog.categories[category_id].label
            factor = SEASON[on.month - 1] * self.weekdays[on.weekday()] * share * rng.uniform(0.82, 1.18)
            if label in ("Boissons", "Boissons sans alcool", "Vente à emporter") and on.month in (6, 7, 8):
                factor *= 1.6
            if label in ("Épicerie", "Pâtisserie") and on.month == 12:
                factor *= 1.8
            if label == "Pâtisserie" and on.weekday() == 6:
                factor *= 1.7
            out[category_id] = int(base * factor)
        return out

    def payments(self, day: Day, total: int) -> dict[int, int]:
        rng, state, pay, k = self.state.rng, self.state, {}, self.by_kind
        weekday = on_weekday(day.date)
        if "meal_voucher" in k and weekday:
            pay[k["meal_voucher"]] = int(total * rng.uniform(0.02, 0.1 if self.register.name == "Comptoir" else 0.05))
        if rng.random() < 0.45:
            cheques = rng.randint(1, 3)
            pay[k["cheque"]] = cheques * rng.randint(1500, 4000)
            state.cheques_on_hand += cheques
        if self.company.opt_gift_vouchers and state.vouchers and rng.random() < 0.12:
            code, amount = state.vouchers.pop(0)
            pay[k["gift_voucher"]] = amount
            self.flow(day, "voucher_redeemed", amount, code=code)
        if self.company.opt_customer_credit and self.register.name != "Marché du samedi" and rng.random() < 0.12:
            amount = rng.randint(1200, 9000)
            pay[k["customer_credit"]] = amount
            customer = rng.choice(self.customers)
            state.credit[customer] = state.credit.get(customer, 0) + amount
            if self.company.credit_mode == "detailed":
                self.flow(day, "credit_granted", amount, customer_id=customer)
        rest = total - sum(pay.values())
        pay[k["cash"]] = min(rest, int(total * self.cash_share * rng.uniform(0.85, 1.15)))
        pay[k["card"]] = rest - pay[k["cash"]]
        return {m: a for m, a in pay.items() if a}

    def movements(self, day: Day) -> None:
        rng, state, k = self.state.rng, self.state, self.by_kind
        if self.company.opt_gift_vouchers and rng.random() < (0.25 if day.date.month == 12 else 0.04):
            code, amount = f"BC-{rng.randint(10000, 99999)}", rng.choice([2000, 3000, 5000])
            state.vouchers.append((code, amount))
            self.flow(day, "voucher_sold", amount, code=code, method_id=rng.choice([k["cash"], k["card"]]))
        owing = [(c, a) for c, a in state.credit.items() if a > 0]
        if owing and rng.random() < 0.07:
            customer, amount = owing[0]
            state.credit[customer] = 0
            self.flow(day, "credit_settled", amount, method_id=k["cheque"], customer_id=customer)
            state.cheques_on_hand += 1
        if self.company.opt_cash_expenses and rng.random() < 0.07:
            supplier = rng.choice(self.suppliers)
            self.flow(day, "expense", rng.randint(450, 6500), method_id=k["cash"], supplier_id=supplier.id,
                      vat_bp=supplier.vat_bp, account=supplier.expense_account, label=supplier.name)
        if self.company.opt_overpayments and rng.random() < 0.02:
            self.flow(day, "overpayment", rng.choice([-1, 1]) * rng.randint(10, 200), method_id=k["cash"],
                      reason="Client parti sans sa monnaie." if rng.random() < 0.5 else "Monnaie manquante rendue.")
        if self.company.opt_transfers and rng.random() < 0.02:
            self.flow(day, "transfer", rng.randint(500, 3000), method_id=k["cash"], to_method_id=k["cheque"],
                      reason="Monnaie rendue sur un chèque.")

    def deposits(self, day: Day, expected: dict[int | str, int]) -> None:
        k, high = self.by_kind, self.register.max_threshold_cents or 10**9
        cash = expected.get(k["cash"], 0)
        if cash > high:
            amount = (cash - FLOAT) // 1000 * 1000
            self.flow(day, "deposit", amount, method_id=k["cash"], slip_number=f"RB{day.date:%y%m%d}")
        cheques = expected.get(k["cheque"], 0)
        first_weekday = min(i for i, factor in enumerate(self.weekdays) if factor)
        if cheques > 0 and day.date.weekday() == first_weekday:  # weekly, on the first day of the week
            self.flow(day, "deposit", cheques, method_id=k["cheque"], slip_number=f"CH{day.date:%y%m%d}",
                      cheque_count=max(1, self.state.cheques_on_hand))
            self.state.cheques_on_hand = 0

    def build(self, on: date, share: float = 1.0) -> tuple[Day, DayInput]:
        versions = {name: [1, "demo"] for name in ("z_number", "sales_count", "sales", "payments", "counts")}
        day = Day(id=self.uuid(), company_id=self.company.id, register_id=self.register.id, date=on, status="open",
                  revision=1, field_versions=versions, z_number="", sales_count=0, comment="", lines=[], flows=[])
        sales = self.sales(on, share)
        total = sum(sales.values())
        day.lines = [DayLine(kind="sale", ref_id=c, amount_cents=a) for c, a in sales.items()]
        day.lines += [DayLine(kind="payment", ref_id=m, amount_cents=a) for m, a in self.payments(day, total).items()]
        day.sales_count = max(1, round(total / self.basket * self.state.rng.uniform(0.9, 1.1)))
        self.state.z += 1
        day.z_number = f"Z{self.state.z:05d}"
        return day, self.input(day)

    def input(self, day: Day) -> DayInput:
        return DayInput(self.settings, domain_day(day, day.date), dict(self.state.counts))

    def close(self, on: date) -> Day:
        day, _inp = self.build(on)
        self.movements(day)
        result = compute_day(self.input(day))
        self.deposits(day, {b.method.id: b.expected or 0 for b in result.manual})
        result = compute_day(self.input(day))
        rng = self.state.rng
        for balance in result.manual:
            counted = balance.expected or 0
            if balance.method.kind == "cash" and rng.random() < 0.06:
                counted += rng.choice([-500, -200, -100, -50, -20, 10, 20, 100])
                day.comment = rng.choice(COMMENTS)
            grid = grid_of(counted) if balance.method.kind == "cash" and counted >= 0 else None
            day.lines.append(DayLine(kind="count", ref_id=balance.method.id, amount_cents=counted, grid=grid))
        entry = closing.close_day(day, self.input(day), user_id=self.closer_id,
                                  device_id="demo", at=datetime.combine(on, time(19, 30)), head=self.state.head)
        self.state.head = (entry.sequence, entry.hash)
        self.state.counts = {ln.ref_id: ln.amount_cents for ln in day.lines if ln.kind == "count"}
        return day


def on_weekday(on: date) -> bool:
    return on.weekday() < 5


def _holidays(company: Company, start: date, today: date) -> None:
    known = set(db.session.execute(db.select(CalendarException.date).where(
        CalendarException.company_id == company.id)).scalars())
    for year in range(start.year, today.year + 1):
        for month, day, label in HOLIDAYS:
            on = date(year, month, day)
            if start <= on < today and on not in known:
                db.session.add(CalendarException(company_id=company.id, date=on, is_open=False, label=label))
    db.session.flush()


def seed_history(today: date | None = None) -> int:
    """Create the history of every demo register that has no day yet; the number of days created."""
    if not current_app.config.get("DEMO_HISTORY", not current_app.testing):
        return 0
    today = today or clock.shop_today()
    start = (today.replace(day=1) - timedelta(days=MONTHS * 31 - 31)).replace(day=1)
    created, registers = 0, []
    for data in (BAKERY, CAFE):
        company = db.session.execute(db.select(Company).where(Company.siren == data["siren"])).scalar_one_or_none()
        if company is None:
            continue
        closer = db.session.execute(db.select(Membership.user_id).where(
            Membership.company_id == company.id, Membership.role == "admin")).scalars().first()
        _holidays(company, start, today)
        catalog = Catalog.load(company.id)
        for register in company.registers:
            if register.name not in PROFILES or db.session.execute(
                    db.select(Day.id).where(Day.register_id == register.id)).first():
                continue
            history = RegisterHistory(company, register, catalog, closer)
            for on in opening_days(company, start, today, register):
                if not history.weekdays[on.weekday()]:
                    continue
                day = history.close(on) if on < today else history.build(on, share=0.4)[0]
                db.session.add(day)
                stamp(company, day, *day.flows)
                created += 1
            registers.append(register.id)
            db.session.flush()
    closing.close_complete_periods(today, register_ids=registers)
    db.session.commit()
    return created
