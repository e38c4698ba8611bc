"""The till code mapping (issue 15): a till's codes for the company's sales categories and payment methods.

Several codes may name the same category or method (two departments of the till booked as « Pain 5,5 % »);
a code names one. The table is replaced as a whole by an admin, in one unit of work with its audit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.validation import text_error
from server.errors import ApiError
from server.extensions import db
from server.models import Company, PaymentMethod, SalesCategory, TillCode, User
from server.services import uow

KINDS: dict[str, tuple[str, Any]] = {"sales": ("category_id", SalesCategory), "payments": ("method_id", PaymentMethod)}
MAX_CODES = 500


def table(company_id: int) -> dict[str, dict[str, int]]:
    """{kind: {code: category or method id}}."""
    out: dict[str, dict[str, int]] = {kind: {} for kind in KINDS}
    rows = db.session.execute(db.select(TillCode).where(TillCode.company_id == company_id)
                              .order_by(TillCode.kind, TillCode.code)).scalars()
    for row in rows:
        out[row.kind][row.code] = row.ref_id
    return out


def wire(company_id: int) -> dict[str, list[dict[str, Any]]]:
    """The table as the API shows it: {"sales": [{"code", "category_id"}], "payments": [{"code", "method_id"}]}."""
    return {kind: [{"code": code, KINDS[kind][0]: ref} for code, ref in codes.items()]
            for kind, codes in table(company_id).items()}


def replace(company: Company, user: User, data: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Replace the company's table (422 naming `sales.0.code`, `payments.1.method_id`… nothing saved)."""
    errors: dict[str, list[str]] = {}
    wanted: list[TillCode] = []
    for kind, (ref, model) in KINDS.items():
        items = data.get(kind) or []
        if len(items) > MAX_CODES:
            errors[kind] = [f"{MAX_CODES} codes au plus."]
            continue
        known = set(db.session.execute(db.select(model.id).where(model.company_id == company.id)).scalars())
        seen: set[str] = set()
        for i, item in enumerate(items):
            code = item.get("code")
            problem = text_error(code, "code") or (None if code and code.strip() == code else "Code attendu, "
                                                   "sans espace au début ni à la fin.")
            if problem is None and code in seen:
                problem = "Code en double."
            if problem:
                errors[f"{kind}.{i}.code"] = [problem]
            if item.get(ref) not in known:
                errors[f"{kind}.{i}.{ref}"] = ["Référence inconnue pour cette société."]
            seen.add(code)
            wanted.append(TillCode(company_id=company.id, kind=kind, code=code, ref_id=item.get(ref)))
    if errors:
        raise ApiError(422, errors=errors)

    def work(unit: uow.Work) -> dict[str, list[dict[str, Any]]]:
        before = wire(company.id)
        db.session.execute(db.delete(TillCode).where(TillCode.company_id == company.id))
        db.session.add_all(wanted)
        db.session.flush()
        after = wire(company.id)
        unit.record("update", "till_codes", company.id, before=before, after=after)
        return after

    return uow.run(work, company.id, user=user)
