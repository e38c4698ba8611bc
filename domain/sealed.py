"""The sealed record of a closed day (payload version 2): one pure function builds it.

``sealed_payload(day_input, chart, meta)`` is what closing hashes into the register's chain and
what reports, the printed journal and the accounting export read, forever after:

    version   2
    input     the day in the format ``parse_day_input`` reads, restricted to what it uses and with
              its settings frozen (labels, positions, VAT rates, accounts of categories, methods,
              customers and suppliers; options, tolerance, thresholds); sales in Z order
    chart     the chart of accounts as it stood at closing
    result    ``compute_day(...).as_dict()``: totals, revenue by VAT rate, balance per method,
              outstanding credit and vouchers
    findings  the controls at close
    totals    sales_ttc, sales_ht, sales_vat, payments (what period closings sum; same as version 1)
    meta      company, register, date, z_number, sequence, closed_at, closed_by, device_id (given)
    grids     the cash count by note and coin, per method id (given; may be empty)

Invariants
  1. ``parse_day_input(p["input"])`` reads back the same day: ``day_input_to_dict`` of it is
     ``p["input"]`` again, and ``day_entries(parse_day_input(p["input"]), p["chart"])`` gives the
     day's entries whatever later happens to the live settings.
  2. ``result`` and ``findings`` are computed from ``p["input"]`` itself, so a reader can check them.
  3. Pure and deterministic: same arguments, same dict (lists in a fixed order).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, replace
from typing import Any

from .controls import evaluate
from .day import compute_day
from .inputs import Category, Day, DayInput, Flow, Id, Line, Method, Party, Settings, id_key

VERSION = 2
FLOW_REFS = ("method_id", "to_method_id")


def _category(c: Category) -> dict[str, Any]:
    return {"id": c.id, "label": c.label, "position": c.position, "vat_bp": c.vat_bp, "account": c.account}


def _method(m: Method) -> dict[str, Any]:
    return {"id": m.id, "label": m.label, "kind": m.kind, "deposit_mode": m.deposit_mode, "account": m.account}


def _party(p: Party) -> dict[str, Any]:
    return {"id": p.id, "label": p.label, "account": p.account, "vat_bp": p.vat_bp}


def _lines(lines: tuple[Line, ...], ref: str) -> list[dict[str, Any]]:
    return [{ref: line.ref, "amount": line.amount} for line in lines]


def _flow(flow: Flow) -> dict[str, Any]:
    return {spec.name: getattr(flow, spec.name) for spec in fields(Flow) if getattr(flow, spec.name) is not None}


def settings_to_dict(s: Settings) -> dict[str, Any]:
    return {
        "categories": [_category(c) for c in s.categories],
        "methods": [_method(m) for m in s.methods],
        "customers": [_party(c) for c in s.customers],
        "suppliers": [_party(p) for p in s.suppliers],
        "min_threshold": s.min_threshold, "max_threshold": s.max_threshold, "tolerance": s.tolerance,
        "options": dict(s.options.__dict__), "opening_day": s.opening_day,
    }


def day_to_dict(day: Day) -> dict[str, Any]:
    return {
        "date": day.date, "z_number": day.z_number, "sales_count": day.sales_count, "comment": day.comment,
        "sales": _lines(day.sales, "category_id"),
        **{key: _lines(getattr(day, key), "method_id") for key in ("payments", "opening", "counts")},
        "flows": [_flow(f) for f in day.flows],
    }


def day_input_to_dict(inp: DayInput) -> dict[str, Any]:
    """The inverse of ``parse_day_input``: a DayInput in the JSON shape of the day vectors' ``input``."""
    out: dict[str, Any] = {
        "settings": settings_to_dict(inp.settings),
        "previous_counts": {str(k): v for k, v in sorted(inp.previous_counts.items(), key=lambda kv: id_key(kv[0]))},
        "day": day_to_dict(inp.day),
    }
    if inp.previous_days:
        out["previous_days"] = [{"date": d.date, "open": d.open, "counts": _lines(d.counts, "method_id")}
                                for d in inp.previous_days]
    if inp.voucher_codes is not None:
        out["voucher_codes"] = dict(sorted(inp.voucher_codes.items()))
    return out


def frozen_input(inp: DayInput) -> DayInput:
    """The day restricted to what it uses, sales in Z order, with the opening it carried made explicit.

    Kept: the categories of its sales; every manual method and the methods its lines and flows name;
    the customers and suppliers its flows name; the earlier open days (shown at close)."""
    s, day = inp.settings, inp.day
    used_categories = {line.ref for line in day.sales}
    used_methods = {line.ref for key in ("payments", "opening", "counts") for line in getattr(day, key)}
    used_methods |= {getattr(f, ref) for f in day.flows for ref in FLOW_REFS}
    used_methods |= {m.id for m in s.methods if m.kind == "cash" and any(
        f.kind == "expense" and f.method_id is None for f in day.flows)}
    customers = {f.customer_id for f in day.flows}
    suppliers = {f.supplier_id for f in day.flows}
    categories = tuple(sorted((c for c in s.categories if c.id in used_categories),
                              key=lambda c: (c.position, id_key(c.id))))
    position = {c.id: (c.position, id_key(c.id)) for c in categories}
    methods = tuple(m for m in s.methods if m.manual or m.id in used_methods)
    settings = replace(s, categories=categories, methods=methods,
                       customers=tuple(c for c in s.customers if c.id in customers),
                       suppliers=tuple(p for p in s.suppliers if p.id in suppliers))
    sales = tuple(sorted(day.sales, key=lambda line: position.get(line.ref, (0, id_key(line.ref)))))
    carried = inp.carried_counts()
    previous: dict[Id, int] = {m.id: carried[m.id] for m in methods if m.id in carried}
    earlier = tuple(d for d in inp.previous_days if d.open and d.date != day.date)
    earlier = tuple(replace(d, counts=()) for d in earlier)
    return DayInput(settings, replace(day, sales=sales), previous, earlier, inp.voucher_codes)


def sealed_payload(inp: DayInput, chart: Mapping[str, str], meta: Mapping[str, Any], *,
                   grids: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The version-2 record of a closed day (see the module's docstring)."""
    frozen = frozen_input(inp)
    result = compute_day(frozen)
    t = result.totals
    return {
        "version": VERSION,
        "input": day_input_to_dict(frozen),
        "chart": {str(k): str(v) for k, v in sorted(chart.items())},
        "result": result.as_dict(),
        "findings": [f.as_dict() for f in evaluate(frozen, at_close=True)],
        "totals": {"sales_ttc": t.sales_ttc, "sales_ht": t.sales_ht, "sales_vat": t.sales_vat,
                   "payments": t.payments_total},
        "meta": dict(meta),
        "grids": {str(k): v for k, v in sorted((grids or {}).items())},
    }
