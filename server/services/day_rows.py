"""A cash day's rows and their wire form: the header fields, a flow as a device sends it, sync's `DayState`."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from domain.money import parse_wire, to_wire
from server.extensions import db
from server.models import Day, DayLine, Flow
from sync import DayState

LINE_KINDS = {"sales": "sale", "payments": "payment", "opening": "opening", "counts": "count"}
FLOW_COLUMNS = ("method_id", "to_method_id", "supplier_id", "customer_id", "label", "vat_bp", "account", "code",
                "slip_number", "cheque_count", "reason", "voids", "corrects")


def find_day(register_id: int, day: date) -> Day | None:
    return db.session.execute(
        db.select(Day).where(Day.register_id == register_id, Day.date == day)).scalar_one_or_none()


def revision_of(register_id: int, day: date) -> int:
    found = find_day(register_id, day)
    return found.revision if found else 0


def header_fields(day: Day) -> dict[str, Any]:
    """The revision-checked header of a day, in wire form (money as strings)."""
    out: dict[str, Any] = {"z_number": day.z_number, "sales_count": day.sales_count, "comment": day.comment}
    for key, kind in LINE_KINDS.items():
        ref = "category_id" if key == "sales" else "method_id"
        out[key] = [{ref: ln.ref_id, "amount": to_wire(ln.amount_cents), **({"grid": ln.grid} if ln.grid else {})}
                    for ln in day.lines if ln.kind == kind]
    return out


def write_header(day: Day, fields: Mapping[str, Any]) -> bool:
    """Set header fields from wire form; lines are updated in place (one row per kind and reference).
    True when a line was removed (its DELETE must reach the database before a line of the same
    reference is inserted again)."""
    removed = False
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
                removed = True
            else:
                line.amount_cents, line.grid = parse_wire(item["amount"]), item.get("grid")
        for ref_id, item in wanted.items():
            day.lines.append(DayLine(kind=kind, ref_id=ref_id, amount_cents=parse_wire(item["amount"]),
                                     grid=item.get("grid")))
    return removed


def flow_data(flow: Flow) -> dict[str, Any]:
    """A stored flow as a device sends it (money as a string, empty fields left out)."""
    columns = {name: getattr(flow, name) for name in FLOW_COLUMNS}
    return flow_wire(flow.id, flow.kind, flow.amount_cents, columns, flow.owner)


def flow_wire(flow_id: str, kind: str, amount_cents: int, columns: Mapping[str, Any], owner: bool) -> dict[str, Any]:
    """`flow_data` of a flow's column values, stored or about to be."""
    data: dict[str, Any] = {"id": flow_id, "kind": kind}
    if kind != "void":
        data["amount"] = to_wire(amount_cents)
    data.update({name: value for name, value in columns.items() if value not in (None, "")})
    if owner:
        data["owner"] = True
    return data


def day_state(day: Day) -> DayState:
    """A day row as sync sees it: header and field versions (its flows are read one by one, by id)."""
    versions = {name: (int(v[0]), str(v[1])) for name, v in (day.field_versions or {}).items()}
    return DayState(day.register_id, day.date.isoformat(), day.status, day.revision, header_fields(day), versions)
