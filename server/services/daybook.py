"""The cash day in the database: the calendar, a day loaded into the `domain` input shape, sync's `Store`
on SQLAlchemy (`SqlStore`). The REST answers built from it are in services/day_views.py.

Nothing here commits: writes run inside the caller's one transaction with the company's version row
locked (services.mutations).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from domain import Category, DayInput, Line, Method, Options, Party, Settings
from domain import Day as DomainDay
from domain import Flow as DomainFlow
from domain.money import parse_wire, to_wire
from server.extensions import db
from server.models import (
    CalendarException,
    Company,
    Customer,
    Day,
    DayLine,
    Device,
    Flow,
    PaymentMethod,
    Register,
    Rejection,
    SalesCategory,
    Supplier,
    User,
)
from server.services import closing
from sync import DayState, FlowState, Stamp
from sync import Rejection as SyncRejection

LINE_KINDS = {"sales": "sale", "payments": "payment", "opening": "opening", "counts": "count"}
FLOW_COLUMNS = ("method_id", "to_method_id", "supplier_id", "customer_id", "label", "vat_bp", "account", "code",
                "slip_number", "cheque_count", "reason", "voids", "corrects")


def is_opening_day(company: Company, day: date) -> bool:
    """The calendar: a dated exception wins over the Monday-first weekly pattern."""
    exception = db.session.execute(db.select(CalendarException.is_open).where(
        CalendarException.company_id == company.id, CalendarException.date == day)).scalar_one_or_none()
    return exception if exception is not None else company.weekly_pattern[day.weekday()] == "1"


def opening_days(company: Company, start: date, end: date) -> list[date]:
    exceptions = dict(db.session.execute(db.select(CalendarException.date, CalendarException.is_open).where(
        CalendarException.company_id == company.id, CalendarException.date.between(start, end))).all())
    days = (start + timedelta(n) for n in range((end - start).days + 1))
    return [d for d in days if exceptions.get(d, company.weekly_pattern[d.weekday()] == "1")]


@dataclass
class Catalog:
    """A company's settings as the domain sees them (inactive rows included: old days still name them)."""

    categories: dict[int, SalesCategory]
    methods: dict[int, PaymentMethod]
    customers: dict[int, Customer]
    suppliers: dict[int, Supplier]
    registers: dict[int, Register]

    @classmethod
    def load(cls, company_id: int) -> Catalog:
        def rows(model: type) -> dict[int, Any]:
            query = db.select(model).where(model.company_id == company_id).order_by(model.id)
            return {row.id: row for row in db.session.execute(query).scalars()}

        return cls(rows(SalesCategory), rows(PaymentMethod), rows(Customer), rows(Supplier), rows(Register))

    def settings(self, company: Company, register: Register, opening_day: bool = True) -> Settings:
        methods = sorted(self.methods.values(), key=lambda m: (m.position, m.id))
        return Settings(
            categories=tuple(Category(c.id, c.vat_bp, c.position, c.label, c.revenue_account)
                             for c in self.categories.values()),
            methods=tuple(Method(m.id, m.kind, m.deposit_mode, m.label, m.account or None) for m in methods),
            customers=tuple(Party(c.id, c.name, c.account or None) for c in self.customers.values()),
            suppliers=tuple(Party(s.id, s.name, s.expense_account, s.vat_bp) for s in self.suppliers.values()),
            min_threshold=register.min_threshold_cents, max_threshold=register.max_threshold_cents,
            tolerance=company.cash_tolerance_cents or 0, opening_day=opening_day,
            options=Options(company.opt_customer_credit, company.credit_mode, company.opt_gift_vouchers,
                            company.opt_cash_expenses, company.opt_transfers, company.opt_overpayments),
        )


def find_day(register_id: int, day: date) -> Day | None:
    return db.session.execute(
        db.select(Day).where(Day.register_id == register_id, Day.date == day)).scalar_one_or_none()


def revision_of(register_id: int, day: date) -> int:
    found = find_day(register_id, day)
    return found.revision if found else 0


def previous_counts(register_id: int, day: date) -> dict[int, int]:
    """The counted closing of the register's previous day, per method (the carried opening)."""
    previous = db.session.execute(db.select(Day).where(Day.register_id == register_id, Day.date < day)
                                  .order_by(Day.date.desc()).limit(1)).scalar_one_or_none()
    return {} if previous is None else {ln.ref_id: ln.amount_cents for ln in previous.lines if ln.kind == "count"}


def domain_day(day: Day | None, on: date) -> DomainDay:
    if day is None:
        return DomainDay(date=on.isoformat())
    lines = {key: tuple(Line(ln.ref_id, ln.amount_cents) for ln in day.lines if ln.kind == kind)
             for key, kind in LINE_KINDS.items()}
    flows = tuple(DomainFlow(
        id=f.id, kind=f.kind, amount=f.amount_cents, method_id=f.method_id, to_method_id=f.to_method_id,
        customer_id=f.customer_id, supplier_id=f.supplier_id, code=f.code or None, voids=f.voids, corrects=f.corrects,
        vat_bp=f.vat_bp, account=f.account or None, label=f.label or "", reason=f.reason or "", owner=bool(f.owner),
    ) for f in day.flows)
    return DomainDay(on.isoformat(), day.z_number, day.sales_count, comment=day.comment, flows=flows, **lines)


def day_input(company: Company, register: Register, on: date, day: Day | None = None,
              catalog: Catalog | None = None) -> DayInput:
    """The `domain` input of a register's day: settings, previous counted closing, header and flows."""
    catalog = catalog or Catalog.load(company.id)
    settings = catalog.settings(company, register, is_opening_day(company, on))
    return DayInput(settings, domain_day(day, on), previous_counts(register.id, on))


def header_fields(day: Day) -> dict[str, Any]:
    """The revision-checked header of a day, in wire form (money as strings)."""
    out: dict[str, Any] = {"z_number": day.z_number, "sales_count": day.sales_count, "comment": day.comment}
    for key, kind in LINE_KINDS.items():
        ref = "category_id" if key == "sales" else "method_id"
        out[key] = [{ref: ln.ref_id, "amount": to_wire(ln.amount_cents), **({"grid": ln.grid} if ln.grid else {})}
                    for ln in day.lines if ln.kind == kind]
    return out


def write_header(day: Day, fields: dict[str, Any]) -> None:
    """Set header fields from wire form; lines are updated in place (one row per kind and reference)."""
    for name in ("z_number", "sales_count", "comment"):
        if name in fields:
            setattr(day, name, fields[name])
    for key, kind in LINE_KINDS.items():
        if key not in fields:
            continue
        ref = "category_id" if key == "sales" else "method_id"
        wanted = {item[ref]: item for item in fields[key]}
        for line in [ln for ln in day.lines if ln.kind == kind]:
            item = wanted.pop(line.ref_id, None)
            if item is None:
                day.lines.remove(line)
            else:
                line.amount_cents, line.grid = parse_wire(item["amount"]), item.get("grid")
        for ref_id, item in wanted.items():
            day.lines.append(DayLine(kind=kind, ref_id=ref_id, amount_cents=parse_wire(item["amount"]),
                                     grid=item.get("grid")))


def flow_data(flow: Flow) -> dict[str, Any]:
    """A stored flow as a device sends it (money as a string, empty fields left out)."""
    data: dict[str, Any] = {"id": flow.id, "kind": flow.kind}
    if flow.kind != "void":
        data["amount"] = to_wire(flow.amount_cents)
    data.update({name: getattr(flow, name) for name in FLOW_COLUMNS if getattr(flow, name) not in (None, "")})
    if flow.owner:
        data["owner"] = True
    return data


def day_state(day: Day) -> DayState:
    versions = {name: (int(v[0]), str(v[1])) for name, v in (day.field_versions or {}).items()}
    return DayState(day.register_id, day.date.isoformat(), day.status, day.revision, header_fields(day), versions,
                    frozenset(f.id for f in day.flows))


class SqlStore:
    """sync's `Store` on the session: one company, one device, one transaction (the caller's)."""

    def __init__(self, company: Company, user: User | None, now: datetime) -> None:
        self.company, self.user, self.now = company, user, now
        self.catalog = Catalog.load(company.id)

    # -- reads ---------------------------------------------------------------------------------
    def get_device_state(self, device_id: str) -> int:
        device = db.session.get(Device, (device_id, self.company.id))
        return device.last_mutation_id if device else 0

    def day_row(self, register_id: int, on: str | date) -> Day | None:
        if register_id not in self.catalog.registers:
            return None  # another company's register: nothing to see
        return find_day(register_id, date.fromisoformat(on) if isinstance(on, str) else on)

    def get_day(self, register_id: int, date: str) -> DayState | None:
        day = self.day_row(register_id, date)
        return day_state(day) if day else None

    def get_flow(self, flow_id: str) -> FlowState | None:
        flow = db.session.get(Flow, flow_id)
        if flow is None:
            return None
        if flow.company_id != self.company.id:  # taken elsewhere: refuse the UUID, show nothing
            return FlowState(0, "", {"id": flow_id})
        return FlowState(flow.day.register_id, flow.day.date.isoformat(), flow_data(flow))

    # -- writes --------------------------------------------------------------------------------
    def set_last_mutation_id(self, device_id: str, last_mutation_id: int) -> None:
        device = db.session.get(Device, (device_id, self.company.id))
        if device is None:
            device = Device(id=device_id, company_id=self.company.id, user_id=self.user and self.user.id)
            db.session.add(device)
        device.last_mutation_id, device.last_seen_at = last_mutation_id, self.now

    def next_server_version(self) -> int:
        self.company.server_version = (self.company.server_version or 0) + 1
        return self.company.server_version

    def put_day(self, state: DayState, stamp: Stamp) -> None:
        day = self.day_row(state.register_id, state.date)
        if day is None:
            day = Day(id=str(uuid.uuid4()), company_id=self.company.id, register_id=state.register_id,
                      date=date.fromisoformat(state.date), status="open", lines=[], z_number="", sales_count=0,
                      comment="")
            db.session.add(day)
        write_header(day, dict(state.fields))
        day.revision = state.revision
        day.field_versions = {name: list(v) for name, v in state.field_versions.items()}
        day.version = stamp.version
        db.session.flush()

    def add_flow(self, state: FlowState, stamp: Stamp) -> None:
        day = self.day_row(state.register_id, state.date)
        assert day is not None, "sync creates the day before its first flow"
        data = state.data
        amount = parse_wire(data["amount"]) if "amount" in data else 0
        columns = {name: data[name] for name in FLOW_COLUMNS if data.get(name) is not None}
        day.flows.append(Flow(id=data["id"], company_id=self.company.id, kind=data["kind"], amount_cents=amount,
                              owner=bool(data.get("owner")), device_id=stamp.device_id, created_by_id=stamp.user_id,
                              created_at=self.now, version=stamp.version, **columns))
        db.session.flush()

    def seal_day(self, state: DayState, stamp: Stamp) -> None:
        day = self.day_row(state.register_id, state.date)
        assert day is not None
        closing.seal(day, self.catalog.categories, user_id=stamp.user_id, device_id=stamp.device_id, at=self.now)
        day.version = stamp.version

    def record_reopen(self, state: DayState, reason: str, stamp: Stamp) -> None:
        day = self.day_row(state.register_id, state.date)
        assert day is not None
        from server.services.export import check_reopen_allowed  # exported-period lock (issue 13)
        check_reopen_allowed(day, self.user)
        closing.reopen(day, user_id=stamp.user_id, device_id=stamp.device_id, at=self.now, reason=reason)
        day.version = stamp.version

    def record_rejection(self, rejection: SyncRejection, stamp: Stamp) -> None:
        db.session.add(Rejection(
            company_id=self.company.id, device_id=rejection.device_id, user_id=rejection.user_id,
            mutation_id=rejection.mutation_id, name=rejection.name, args=dict(rejection.args), code=rejection.code,
            message=rejection.message, server_value=rejection.server_value, created_at=self.now,
            version=stamp.version))
