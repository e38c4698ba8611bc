"""A company's settings as the domain sees them, loaded once per unit of work."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from domain import Category, Method, Options, Party, Settings
from server.extensions import db
from server.models import Company, Customer, PaymentMethod, Register, SalesCategory, Supplier

MODELS: tuple[Any, ...] = (SalesCategory, PaymentMethod, Customer, Supplier, Register)  # Catalog's field order


@dataclass
class Catalog:
    """A company's settings rows by id (inactive rows included: old days still name them)."""

    categories: dict[int, SalesCategory]
    methods: dict[int, PaymentMethod]
    customers: dict[int, Customer]
    suppliers: dict[int, Supplier]
    registers: dict[int, Register]
    _settings: dict[tuple[int, int, bool], Settings] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, company_id: int, fresh: bool = False) -> Catalog:
        """The company's rows; `fresh` re-reads rows the session already holds (after a lock)."""
        def rows(model: type) -> dict[int, Any]:
            query = db.select(model).where(model.company_id == company_id).order_by(model.id)  # type: ignore[attr-defined]
            query = query.execution_options(populate_existing=fresh)
            return {row.id: row for row in db.session.execute(query).scalars()}

        return cls(rows(SalesCategory), rows(PaymentMethod), rows(Customer), rows(Supplier), rows(Register))

    def signature(self) -> tuple[tuple[int, int], ...]:
        """(rows, highest version) per table, as loaded: every insert or update stamps a newer version and a
        delete lowers the count, so an equal signature read later (`signature_parts`) means no change since."""
        tables = (self.categories, self.methods, self.customers, self.suppliers, self.registers)
        return tuple((len(rows), max((row.version or 0 for row in rows.values()), default=0)) for rows in tables)

    @staticmethod
    def signature_parts(company_id: Any) -> list[Any]:
        """SELECTs of (table number, rows, highest version) giving the signature of the catalog as the database
        holds it now (`company_id`: a value or a bind parameter; the caller sends them in one UNION ALL with its
        own checks)."""
        return [db.select(db.literal(n), db.func.count(), db.func.coalesce(db.func.max(model.version), 0))
                .where(model.company_id == company_id) for n, model in enumerate(MODELS)]

    def settings(self, company: Company, register: Register, opening_day: bool = True) -> Settings:
        """The domain's `Settings` of a register; built once per (company, register, opening day) and
        then shared, since a unit of work does not change its settings while it decides."""
        key = (company.id, register.id, opening_day)
        found = self._settings.get(key)
        if found is None:
            found = self._settings[key] = self._build(company, register, opening_day)
        return found

    def _build(self, company: Company, register: Register, opening_day: bool) -> Settings:
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
