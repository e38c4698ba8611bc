"""A company's chart of accounts as one document: the chart keys (``Company.accounts``, only what differs
from the defaults of its legal form) and the accounts stored on categories, methods, customers, suppliers.

Every account is checked by ``domain.chart`` (digits only, classes 1 to 7; capitals too for a customer's
auxiliary account); a bad one answers 422
naming its field (``accounts.cash``, ``categories.0.account``). Nothing is written unless all is valid.
"""

from __future__ import annotations

from typing import Any

from domain.chart import (
    KEY_LABELS,
    VAT_RATE_KEY,
    account_error,
    aux_account_error,
    chart_errors,
    default_chart,
    effective_chart,
)
from domain.entries import vat_output_account
from server.auth import current_user
from server.errors import ApiError
from server.extensions import db
from server.models import Company, Customer, PaymentMethod, SalesCategory, Supplier
from server.services import uow
from server.services.versioning import stamp

# A model whose rows carry an account of the chart
Entity = type[SalesCategory] | type[PaymentMethod] | type[Customer] | type[Supplier]

# list name → (model, account column, may be empty: then the chart's default applies)
ENTITIES: dict[str, tuple[Entity, str, bool]] = {
    "categories": (SalesCategory, "revenue_account", False),
    "methods": (PaymentMethod, "account", True),
    "customers": (Customer, "account", True),
    "suppliers": (Supplier, "expense_account", False),
}


def _rows(company: Company, model: Entity) -> list[Any]:
    return list(db.session.execute(db.select(model).where(model.company_id == company.id).order_by(model.id)).scalars())


def chart_view(company: Company) -> dict[str, Any]:
    chart = effective_chart(company.legal_form, company.accounts)
    label: dict[Entity, str] = {SalesCategory: "label", PaymentMethod: "label", Customer: "name", Supplier: "name"}
    out: dict[str, Any] = {
        "legal_form": company.legal_form,
        "accounts": chart,
        "defaults": default_chart(company.legal_form),
        "labels": dict(KEY_LABELS),
    }
    for name, (model, column, _empty) in ENTITIES.items():
        out[name] = [
            {
                "id": r.id,
                "label": getattr(r, label[model]),
                "account": getattr(r, column) or "",
                **({"kind": r.kind, "default": chart.get(r.kind, "")} if model is PaymentMethod else {}),
                **({"vat_bp": r.vat_bp} if model is SalesCategory else {}),
            }
            for r in _rows(company, model)
        ]
    out["vat_rates"] = vat_rates(chart, out["categories"])
    return out


def vat_rates(chart: dict[str, str], categories: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One output VAT account per rate: the rates of the categories and any ``vat_output_<bp>`` already set
    (so a save of the screen keeps it), each with its account and the default derived from ``vat_output``."""
    rates = {int(c["vat_bp"]) for c in categories}
    rates |= {int(m.group(1)) for k in chart if (m := VAT_RATE_KEY.match(k))}
    root = {k: v for k, v in chart.items() if not VAT_RATE_KEY.match(k)}
    return [
        {
            "vat_bp": bp,
            "key": f"vat_output_{bp}",
            "account": chart.get(f"vat_output_{bp}", ""),
            "default": vat_output_account(root, bp),
        }
        for bp in sorted(rates)
    ]


def update_chart(company: Company, data: dict[str, Any]) -> dict[str, Any]:
    """Apply a chart document (every part optional); 422 naming each bad field, nothing written then.
    One unit of work: the company locked, the change audited with the chart before and after."""

    def work(unit: uow.Work) -> dict[str, Any]:
        locked = unit.locked
        before = chart_view(locked)
        errors: dict[str, list[str]] = {}
        accounts = data.get("accounts")
        if accounts is not None:
            errors.update(chart_errors(accounts))
        changes: list[tuple[Any, str, str]] = []
        for name, (model, column, may_be_empty) in ENTITIES.items():
            rows = {r.id: r for r in _rows(locked, model)}
            for i, item in enumerate(data.get(name) or []):
                row, value = rows.get(item["id"]), item["account"]
                if row is None:
                    errors[f"{name}.{i}.id"] = ["Élément inconnu dans cette société."]
                elif value == "" and may_be_empty:
                    changes.append((row, column, ""))
                elif problem := (aux_account_error if model is Customer else account_error)(value):
                    errors[f"{name}.{i}.account"] = [problem]
                else:
                    changes.append((row, column, value))
        if errors:
            raise ApiError(422, errors=errors)
        if accounts is not None:
            defaults = default_chart(locked.legal_form)
            locked.accounts = {k: v for k, v in sorted(accounts.items()) if defaults.get(k) != v}
        touched = [locked]
        for row, column, value in changes:
            if getattr(row, column) != value:
                setattr(row, column, value)
                touched.append(row)
        stamp(locked, *touched)
        unit.record("update", "chart", company.id, before=before, after=chart_view(locked))
        return chart_view(locked)

    return uow.run(work, company.id, user=current_user())
