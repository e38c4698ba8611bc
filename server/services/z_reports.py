"""Z reports sent by a till (issue 15): one more client on the one write path.

A report names the till's codes; it becomes a `day.put` of the day's Z fields (number, sales per
category, payments per method, number of sales) decided by sync's handler with the domain rules
(`mutations.DayRules`), written by the audited SQL store in ONE unit of work, exactly as a cashier's
entry. Then:

1. values first: amounts, the Z number, the number of sales are judged by `domain.validation` on the
   report's own lines (422 naming `sales.0.amount`…), a code by the same text rule;
2. codes map to the company's categories and methods (`till_codes`); unknown codes answer 422 listing
   them; several codes naming one category add up;
3. one Z report per register-day (docs/DECISIONS.md): the same report again answers `duplicate`; another
   report for the same register and date (another Z number too) answers 409 `z_report_conflict` with both versions;
4. the day stays open; its Z fields are locked for people until an admin unlocks them (`till_lock`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from domain import validation
from domain.money import parse_wire, to_wire
from server.errors import ApiError
from server.extensions import db
from server.models import Company, Day, Register, RegisterToken, User, ZReport
from server.models.base import utcnow
from server.services import till_codes, till_lock, uow
from server.services.access import owned
from server.services.alerts import refresh_after_write
from server.services.mutations import AuditedStore, DayRules, rejection_error, rest_field
from sync import Actor, Context, Mutation, Stamp, perform
from sync.handlers import decide

REF = {"sales": "category_id", "payments": "method_id"}


@dataclass(frozen=True)
class Sender:
    """Who sends: a till's token (device `till:<id>`) or a person importing a CSV (device `import:<id>`)."""

    origin: str  # "api" | "csv"
    device_id: str
    user: User | None = None
    token: RegisterToken | None = None


def normalise(report: Mapping[str, Any]) -> dict[str, Any]:
    """The report with money as canonical wire strings; 422 naming each bad field (domain rules)."""
    lines = {kind: list(report.get(kind) or []) for kind in REF}
    header = {
        "z_number": report.get("z_number"),
        "sales_count": report.get("sales_count"),
        **{kind: [{REF[kind]: 1, "amount": ln.get("amount")} for ln in items] for kind, items in lines.items()},
    }
    errors = {rest_field(path): messages for path, messages in validation.validate_header(header).items()}
    if report.get("z_number") == "":
        errors["z_number"] = [validation.REQUIRED_MESSAGE]
    if not validation.is_date(report.get("date")):
        errors["date"] = ["Date AAAA-MM-JJ attendue."]
    for kind, items in lines.items():
        for i, line in enumerate(items):
            if (problem := validation.text_error(line.get("code"), "code")) or not line.get("code"):
                errors[f"{kind}.{i}.code"] = [problem or validation.REQUIRED_MESSAGE]
    vat = list(report.get("vat") or [])
    for i, line in enumerate(vat):
        if not validation.is_int(line.get("rate_bp"), 0, 10000):
            errors[f"vat.{i}.rate_bp"] = ["Taux en points de base attendu (550 pour 5,5 %)."]
        for name in ("ht", "vat"):
            if problem := validation.money_error(line.get(name), sign="any")[1]:
                errors[f"vat.{i}.{name}"] = [problem]
    if errors:
        raise ApiError(422, errors=errors)
    return {
        "date": report["date"],
        "z_number": report["z_number"],
        "sales_count": report["sales_count"],
        **{
            kind: [{"code": ln["code"], "amount": to_wire(parse_wire(ln["amount"]))} for ln in items]
            for kind, items in lines.items()
        },
        "vat": [
            {"rate_bp": ln["rate_bp"], "ht": to_wire(parse_wire(ln["ht"])), "vat": to_wire(parse_wire(ln["vat"]))}
            for ln in vat
        ],
    }


def header_fields(company_id: int, payload: Mapping[str, Any]) -> dict[str, Any]:
    """The day's Z fields of a normalised report (codes mapped, amounts added up per reference);
    422 `unknown_codes` listing every code the mapping table does not know."""
    codes = till_codes.table(company_id)
    unknown = {kind: sorted({ln["code"] for ln in payload[kind] if ln["code"] not in codes[kind]}) for kind in REF}
    if any(unknown.values()):
        errors = {
            kind: ["Codes inconnus de la table de correspondance : " + ", ".join(found) + "."]
            for kind, found in unknown.items()
            if found
        }
        raise ApiError(
            422,
            "Codes de caisse inconnus.",
            errors=errors,
            code="unknown_codes",
            extra={"unknown_codes": {kind: found for kind, found in unknown.items() if found}},
        )
    fields: dict[str, Any] = {"z_number": payload["z_number"], "sales_count": payload["sales_count"]}
    for kind in REF:
        totals: dict[int, int] = {}
        for line in payload[kind]:
            ref = codes[kind][line["code"]]
            totals[ref] = totals.get(ref, 0) + parse_wire(line["amount"])
        fields[kind] = [{REF[kind]: ref, "amount": to_wire(cents)} for ref, cents in totals.items()]
    return fields


def _same(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    def key(p: Mapping[str, Any]) -> Any:
        return (
            {k: p.get(k) for k in ("date", "z_number", "sales_count")},
            *(sorted((ln["code"], ln["amount"]) for ln in p.get(kind) or []) for kind in REF),
            sorted((ln["rate_bp"], ln["ht"], ln["vat"]) for ln in p.get("vat") or []),
        )

    return bool(key(a) == key(b))


def submit(company: Company, register: Register, report: Mapping[str, Any], sender: Sender) -> tuple[str, ZReport]:
    """Receive one report for `register` in one unit of work (joined when one runs: the CSV import);
    ('applied' | 'duplicate', the stored report). Raises ApiError 409 `z_report_conflict` / `day_closed`,
    422 naming the field (`date` outside the register's calendar, too far ahead), 503; nothing saved on error."""
    payload = normalise(report)

    def work(unit: uow.Work) -> tuple[str, ZReport]:
        if sender.token is not None:
            sender.token.last_used_at = utcnow()
        on = date.fromisoformat(payload["date"])
        existing = till_lock.report_of(register.id, on)
        if existing is not None:
            if _same(existing.payload, payload):
                return "duplicate", existing
            raise ApiError(
                409,
                "Un autre ticket Z est déjà enregistré pour cette caisse et cette date.",
                code="z_report_conflict",
                extra={"server_value": existing.payload, "submitted": payload},
            )
        day = _write_day(unit, register, payload, sender)
        row = ZReport(
            company_id=company.id,
            register_id=register.id,
            date=on,
            z_number=payload["z_number"],
            payload=payload,
            origin=sender.origin,
            token_id=sender.token and sender.token.id,
            day_id=day,
        )
        db.session.add(row)
        db.session.flush()
        unit.record(
            "create",
            "z_report",
            row.id,
            after={"register_id": register.id, "date": payload["date"], "z_number": row.z_number, "origin": row.origin},
        )
        return "applied", row

    try:
        return uow.run(work, company.id, user=sender.user, device_id=sender.device_id)
    except uow.DatabaseUnavailable as exc:
        raise ApiError(503, code="temporary_failure") from exc


def _write_day(unit: uow.Work, register: Register, payload: Mapping[str, Any], sender: Sender) -> str | None:
    """The report's Z fields as a `day.put` through sync's handler and the domain rules; the day's id."""
    store = AuditedStore(unit.locked, sender.user, utcnow())
    rules = DayRules(store)
    fields = header_fields(unit.locked.id, payload)
    current = store.get_day(register.id, payload["date"])
    args = {
        "register_id": register.id,
        "date": payload["date"],
        "base_revision": current.revision if current else 0,
        "fields": fields,
    }
    user_id = sender.user.id if sender.user else None
    now = store.now.isoformat(timespec="seconds") + "Z"
    ctx = Context(sender.device_id, Actor(user_id, "cashier"), now, rules.validate, rules.can_close, rules.can_reopen)
    decision = decide(Mutation(0, "day.put", args), store, ctx)
    if decision.status == "rejected":
        raise rejection_error(decision.code or "invalid", decision.message or "", decision.server_value, [])
    for write in decision.writes:
        perform(store, write, Stamp(store.next_server_version(), sender.device_id, 0, user_id, now))
    store.flush()
    refresh_after_write(store.company, [args], store.catalog)
    day = store.day_row(register.id, payload["date"])
    return day.id if day else None


def unlock(company: Company, user: User, register_id: int, on: date) -> ZReport:
    """Let people change the Z fields of a day filled by the till (admins; audited). 404 without a report."""
    register = owned(company, Register, register_id)

    def work(unit: uow.Work) -> ZReport:
        report = till_lock.report_of(register.id, on)
        if report is None:
            raise ApiError(404, "Aucun ticket Z reçu de la caisse pour cette journée.")
        if report.unlocked_at is None:
            report.unlocked_at, report.unlocked_by_id = utcnow(), user.id
            _bump_day(unit, report)
            unit.record(
                "unlock",
                "day",
                f"{register.id}/{on.isoformat()}",
                before={"z_locked": True},
                after={"z_locked": False, "z_number": report.z_number},
            )
        return report

    return uow.run(work, company.id, user=user)


def _bump_day(unit: uow.Work, report: ZReport) -> None:
    """The day changes version so that devices pull its new flag."""
    day = db.session.get(Day, report.day_id) if report.day_id else None
    if day is not None:
        unit.locked.server_version = (unit.locked.server_version or 0) + 1
        day.version = unit.locked.server_version


def listing(company: Company, limit: int = 100) -> list[ZReport]:
    return list(
        db.session.execute(
            db.select(ZReport)
            .where(ZReport.company_id == company.id)
            .order_by(ZReport.date.desc(), ZReport.id.desc())
            .limit(limit)
        ).scalars()
    )


def report_wire(row: ZReport) -> dict[str, Any]:
    return {
        "id": row.id,
        "register_id": row.register_id,
        "date": row.date.isoformat(),
        "z_number": row.z_number,
        "origin": row.origin,
        "received_at": row.received_at,
        "locked": row.unlocked_at is None,
        "payload": row.payload,
    }
