"""The firm's view of its companies (last closed day, days left open) and the new-company wizard:
the company, its registers, the trade's defaults and a first cashier, in one unit of work."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from server.extensions import db
from server.models import Company, Day, PaymentMethod, Register, SalesCategory, User
from server.services import audit, trades, uow
from server.services.members import Added, add_in
from server.services.versioning import stamp


def overview(firm_id: int, today: date) -> list[dict[str, Any]]:
    """Each company of the firm with its last closed day and how many days are still open past their date."""
    companies = list(db.session.execute(
        db.select(Company).where(Company.firm_id == firm_id).order_by(Company.name, Company.id)).scalars())
    ids = [c.id for c in companies]
    last_closed = dict(db.session.execute(
        db.select(Day.company_id, db.func.max(Day.date))
        .where(Day.company_id.in_(ids), Day.status == "closed").group_by(Day.company_id)).all())
    open_past = dict(db.session.execute(
        db.select(Day.company_id, db.func.count())
        .where(Day.company_id.in_(ids), Day.status == "open", Day.date < today).group_by(Day.company_id)).all())
    return [{"id": c.id, "name": c.name, "siren": c.siren, "registers": len(c.registers),
             "last_closed": last_closed.get(c.id), "open_past": open_past.get(c.id, 0)} for c in companies]


@dataclass
class Created:
    company: Company
    cashier: Added | None


def create_with_defaults(firm_id: int, admin: User, data: dict[str, Any]) -> Created:
    """Create the company, its registers (in the given order), the trade's categories and the usual
    payment methods, then invite the first cashier; one audit row per created thing."""
    data = dict(data)
    registers, trade, cashier = data.pop("registers"), data.pop("trade"), data.pop("cashier", None)

    def work(unit: uow.Work) -> Created:
        company = Company(firm_id=firm_id, **data)
        db.session.add(company)
        db.session.flush()
        unit.record("create", "company", company.id, company_id=company.id,
                    after={**audit.snapshot(company), "trade": trade})
        rows: list[Any] = [Register(company_id=company.id, name=r["name"], position=pos)
                           for pos, r in enumerate(registers, start=1)]
        rows += [SalesCategory(company_id=company.id, label=label, vat_bp=vat, revenue_account=account, position=pos)
                 for pos, (label, vat, account) in enumerate(trades.CATEGORIES[trade], start=1)]
        rows += [PaymentMethod(company_id=company.id, label=label, kind=kind, deposit_mode=mode,
                               account=account, position=pos)
                 for pos, (label, kind, mode, account) in enumerate(trades.METHODS, start=1)]
        db.session.add_all(rows)
        stamp(company, *rows)
        db.session.flush()
        for row in rows:
            unit.record("create", _entity(row), row.id, company_id=company.id, after=audit.snapshot(row))
        added = add_in(unit, company, admin, cashier["email"], cashier["name"], "cashier") if cashier else None
        return Created(company, added)

    return uow.run(work, user=admin)


def _entity(row: Any) -> str:
    return {"registers": "register", "sales_categories": "category"}.get(row.__tablename__, "payment_method")
