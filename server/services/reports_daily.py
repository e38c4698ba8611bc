"""Daily synthesis: one register or every register of a company on one date.

A closed day is read from its sealed payload (its frozen labels, rates and result); an open day is
computed from its live rows and marked provisional (« provisoire »).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from domain import reports as R
from server.models import Company
from server.services.catalog import Catalog
from server.services.export_source import sealed_payloads
from server.services.report_totals import method_mix, open_day_figures, payload_result


def _register_block(register: Mapping[str, Any], result: Mapping[str, Any], inp: Mapping[str, Any],
                    provisional: bool) -> dict[str, Any]:
    settings = inp.get("settings", {})
    methods = {str(m["id"]): m.get("label") or "" for m in settings.get("methods", [])}
    categories = {str(c["id"]): c.get("label") or "" for c in settings.get("categories", [])}
    figures = R.day_figures(result, inp["day"])
    return {
        "register": {"id": register["id"], "name": register["name"]}, "provisional": provisional,
        "z_number": inp["day"].get("z_number") or "", "comment": inp["day"].get("comment") or "",
        "figures": {**figures.as_dict(), "provisional": provisional},
        "drawers": [{"method_id": m["method_id"], "label": methods.get(str(m["method_id"]), ""),
                     "opening": m["opening"], "expected": m["expected"], "counted": m["counted"],
                     "difference": m["difference"]} for m in result["methods"]],
        "vat_lines": list(result["vat_lines"]),
        "categories": [{"label": categories.get(str(c["category_id"]), ""), "vat_bp": c["vat_bp"], "ttc": c["ttc"],
                        "ht": c["ht"]} for c in result["categories"]],
        "payment_methods": [{"label": k, "amount": v} for k, v in method_mix(result, settings).items()],
    }


def _merge_vat(blocks: list[dict[str, Any]]) -> list[dict[str, int]]:
    by_rate: dict[int, dict[str, int]] = {}
    for block in blocks:
        for line in block["vat_lines"]:
            into = by_rate.setdefault(line["vat_bp"], {"vat_bp": line["vat_bp"], "ttc": 0, "ht": 0, "vat": 0})
            for key in ("ttc", "ht", "vat"):
                into[key] += line[key]
    return [by_rate[k] for k in sorted(by_rate)]


def daily(company: Company, on: date, register_id: int | None) -> dict[str, Any]:
    """Every register's day on `on` (or one register's), and the totals of the company."""
    blocks = []
    for payload in sealed_payloads(company, on, on):
        register = payload["meta"]["register"]
        if register_id is None or register["id"] == register_id:
            blocks.append(_register_block(register, payload_result(payload), payload["input"], False))
    opened = open_day_figures(company, on, on, register_id)
    if opened:
        registers = Catalog.load(company.id).registers
        for item in opened:
            register = registers[item.register_id]
            blocks.append(_register_block({"id": register.id, "name": register.name}, item.result, item.input, True))
    blocks.sort(key=lambda b: b["register"]["id"])
    totals = R.total(R.from_row(b["figures"]) for b in blocks)
    mix: dict[str, int] = {}
    for block in blocks:
        for line in block["payment_methods"]:
            mix[line["label"]] = mix.get(line["label"], 0) + line["amount"]
    return {"date": on, "register_id": register_id, "registers": blocks,
            "totals": {**totals.as_dict(), "provisional": any(b["provisional"] for b in blocks)},
            "vat_lines": _merge_vat(blocks), "payment_methods": [{"label": k, "amount": v} for k, v in mix.items()]}
