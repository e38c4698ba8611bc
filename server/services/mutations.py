"""The one write path of cash days: sync's handlers on the SQL store, for push batches and REST writes alike.

`apply_batch` serves /api/sync/push; `apply_one` serves the REST day endpoints (device `web:<user id>`).
Both lock the company's version row, let `sync` decide with the domain rules injected (`DayRules`), and
commit once.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy.exc import DBAPIError, OperationalError

from domain import DomainError, check_flow_allowed, evaluate, validate_flow
from domain.controls import Finding
from domain.money import parse_wire, to_wire
from server.errors import ApiError
from server.extensions import db
from server.models import Company, Day, Flow, User
from server.models.base import utcnow
from server.services.access import role_in
from server.services.alerts import refresh_after_write
from server.services.daybook import SqlStore, day_input, is_opening_day
from server.services.versioning import lock_company
from sync import CODE_KEY, Actor, Context, DayState, MergeResult, Mutation, Stamp, merge_batch
from sync import TemporaryFailure as SyncTemporaryFailure
from sync.handlers import AddFlow, Check, PutDay, ReopenDay, SealDay, Write, decide

log = logging.getLogger(__name__)
RETRIES = 3
SERIALIZATION_FAILURES = {"40001", "40P01"}  # serialization failure, deadlock detected
DRAWER_OPTIONS = {"gift_voucher": "opt_gift_vouchers", "customer_credit": "opt_customer_credit"}


class TemporaryFailure(SyncTemporaryFailure):
    """The database failed (down, locked, serialization): the batch was rolled back; answer 503."""


class DayRules:
    """The domain rules sync asks about (`validate`, `can_close`), for one company in one transaction."""

    def __init__(self, store: SqlStore) -> None:
        self.store, self.company, self.catalog = store, store.company, store.catalog
        self.findings: list[Finding] = []  # of the last can_close, for the REST answer

    def validate(self, name: str, args: Mapping[str, Any], check: Check) -> Mapping[str, list[str]]:
        refused = self._where(args["register_id"], args["date"], check.day)
        if refused:
            return refused
        if name == "day.put":
            return self._header(args["fields"])
        return self._flow(args, args["flow"])

    def can_close(self, state: DayState) -> list[str]:
        register = self.catalog.registers.get(state.register_id)
        if register is None:
            return ["Caisse inconnue pour cette société."]
        day = self.store.day_row(state.register_id, state.date)
        on = date.fromisoformat(state.date)
        if day is None and not is_opening_day(self.company, on):
            return ["Ce jour n'est pas un jour d'ouverture du calendrier."]
        try:
            self.findings = evaluate(day_input(self.company, register, on, day, self.catalog), at_close=True)
        except DomainError as exc:
            return [exc.message_fr]
        return [f.message_fr for f in self.findings if f.severity == "error"]

    def _where(self, register_id: int, on: str, day: DayState | None) -> dict[str, list[str]] | None:
        register = self.catalog.registers.get(register_id)
        if register is None:
            return {"register_id": ["Caisse inconnue pour cette société."], CODE_KEY: ["unknown_reference"]}
        if not register.active:
            return {"register_id": ["Cette caisse est désactivée."]}
        if day is None and not is_opening_day(self.company, date.fromisoformat(on)):
            return {"date": ["Ce jour n'est pas un jour d'ouverture du calendrier."], CODE_KEY: ["not_opening_day"]}
        return None

    def _header(self, fields: Mapping[str, Any]) -> dict[str, list[str]]:
        errors: dict[str, list[str]] = {}
        codes: list[str] = []

        def add(path: str, message: str, code: str = "invalid") -> None:
            errors.setdefault(path, []).append(message)
            codes.append(code)

        for key in ("sales", "payments", "opening", "counts"):
            ref_name = "category_id" if key == "sales" else "method_id"
            table: Mapping[int, Any] = self.catalog.categories if key == "sales" else self.catalog.methods
            seen: set[int] = set()
            for i, item in enumerate(fields.get(key, ())):
                path, ref = f"fields.{key}[{i}]", item[ref_name]
                target = table.get(ref)
                if target is None:
                    what = "Classification inconnue" if key == "sales" else "Moyen de paiement inconnu"
                    add(f"{path}.{ref_name}", f"{what} pour cette société.", "unknown_reference")
                    continue
                if ref in seen:
                    add(f"{path}.{ref_name}", "Ligne en double : une seule ligne par référence.")
                seen.add(ref)
                cents = _cents(item["amount"])
                if cents is None or cents < 0:
                    add(f"{path}.amount", "Le montant ne peut pas être négatif.")
                if key in ("opening", "counts") and target.deposit_mode != "manual":
                    add(f"{path}.method_id", "Seuls les moyens à dépôt manuel (espèces, chèques) se comptent.")
                option = DRAWER_OPTIONS.get(target.kind) if key == "payments" else None
                if option and not getattr(self.company, option):
                    add(f"{path}.method_id", f"Moyen désactivé pour cette société (option {option}).",
                        "option_disabled")
                grid = item.get("grid")
                if grid and target.kind != "cash":
                    add(f"{path}.grid", "Le billetage ne concerne que les espèces.")
                elif grid and sum(int(value) * count for value, count in grid.items()) != cents:
                    add(f"{path}.grid", "Le billetage ne correspond pas au montant compté.")
        if codes:
            errors[CODE_KEY] = [next((c for c in ("option_disabled", "unknown_reference") if c in codes), "invalid")]
        return errors

    def _flow(self, args: Mapping[str, Any], flow: Mapping[str, Any]) -> dict[str, list[str]]:
        register = self.catalog.registers[args["register_id"]]
        settings = self.catalog.settings(self.company, register)
        option = check_flow_allowed(flow["kind"], settings.options)
        if option:
            return {"flow.kind": [f"Mouvement désactivé pour cette société (option {option})."],
                    CODE_KEY: ["option_disabled"]}
        tables = {"method_id": self.catalog.methods, "to_method_id": self.catalog.methods,
                  "customer_id": self.catalog.customers, "supplier_id": self.catalog.suppliers}
        unknown = {f"flow.{key}": ["Référence inconnue pour cette société."]
                   for key, table in tables.items() if flow.get(key) is not None and flow[key] not in table}
        if flow.get("corrects"):
            target = db.session.get(Flow, flow["corrects"])
            if target is None or target.company_id != self.company.id:
                unknown["flow.corrects"] = ["Mouvement d'origine inconnu."]
        if unknown:
            return {**unknown, CODE_KEY: ["unknown_reference"]}
        day = self.store.day_row(args["register_id"], args["date"])
        existing = {f.id: f.kind for f in day.flows} if day else {}
        cents = {**flow, "amount": _cents(flow["amount"])} if "amount" in flow else dict(flow)
        return {f"flow.{key}": messages for key, messages in validate_flow(cents, settings, existing=existing).items()}


def _cents(value: Any) -> int | None:
    try:
        return parse_wire(value)
    except DomainError:
        return None


def _context(store: SqlStore, rules: DayRules, user: User, device_id: str) -> Context:
    role = role_in(user, store.company)
    if role is None:
        raise ApiError(404, "Société introuvable.")
    now = store.now.isoformat(timespec="seconds") + "Z"
    return Context(device_id, Actor(user.id, role), now, rules.validate, rules.can_close)


def _is_serialization_failure(exc: DBAPIError) -> bool:
    return getattr(exc.orig, "sqlstate", None) in SERIALIZATION_FAILURES


def apply_batch(company_id: int, user: User, device_id: str, mutations: list[Mutation]) -> MergeResult:
    """Apply one device's push batch in ONE transaction with the company's version row locked.

    Runs sync.merge_batch on the SQL store with the domain rules injected, then commits. Rejections are
    values in the MergeResult (stored as Rejection rows, the device's last id still advances).
    Raises sync.IdsGoingBackwards (409) before anything is written; TemporaryFailure (answer 503, nothing
    advanced) when the database fails, after retrying serialization failures up to 3 times;
    ApiError 404 when the user has no role in the company.
    """
    for attempt in range(RETRIES + 1):
        try:
            store = SqlStore(lock_company(company_id), user, utcnow())
            rules = DayRules(store)
            result = merge_batch(store, mutations, _context(store, rules, user, device_id))
            # Alerts (issue 14): raised from the days just written, in this same transaction.
            refresh_after_write(store.company, [m.args for m in mutations if m.id in result.applied], store.catalog,
                                bool(result.rejected))
            db.session.commit()
            return result
        except OperationalError as exc:
            db.session.rollback()
            if _is_serialization_failure(exc) and attempt < RETRIES:
                log.info("push of device %s: serialization failure, retry %d", device_id, attempt + 1)
                continue
            log.warning("push of device %s: database unavailable (%s)", device_id, exc.__class__.__name__)
            raise TemporaryFailure("Base de données momentanément indisponible, réessayez.") from exc
        except BaseException:
            db.session.rollback()
            raise
    raise AssertionError("unreachable")


def _perform(store: SqlStore, write: Write, stamp: Stamp) -> None:
    if isinstance(write, PutDay):
        store.put_day(write.day, stamp)
    elif isinstance(write, AddFlow):
        store.add_flow(write.flow, stamp)
    elif isinstance(write, SealDay):
        store.seal_day(write.day, stamp)
    elif isinstance(write, ReopenDay):
        store.record_reopen(write.day, write.reason, stamp)


def apply_one(company: Company, user: User, name: str, args: dict[str, Any]) -> tuple[str, Day | None]:
    """Apply one REST write (`day.put`, `flow.add`, `day.close`, `day.reopen`) through sync's handlers,
    as device `web:<user id>`; commit and return (status 'applied'|'duplicate', the day row).

    Raises ApiError: 409 `stale_revision` / `day_closed` / `duplicate_flow` (with `server_value`), 403
    `forbidden`, 422 `validation_error` / `option_disabled` / `not_opening_day` / `unknown_reference` naming
    the field (a refused close lists its `findings`), 503 `temporary_failure`. Nothing is saved on error.
    """
    device_id = f"web:{user.id}"
    try:
        store = SqlStore(lock_company(company.id), user, utcnow())
        rules = DayRules(store)
        ctx = _context(store, rules, user, device_id)
        decision = decide(Mutation(0, name, args), store, ctx)
        if decision.status == "rejected":
            raise rejection_error(decision.code or "invalid", decision.message or "", decision.server_value,
                                  rules.findings)
        for write in decision.writes:
            _perform(store, write, Stamp(store.next_server_version(), device_id, 0, user.id, ctx.now))
        refresh_after_write(store.company, [args], store.catalog)  # alerts (issue 14), same transaction
        db.session.commit()
    except OperationalError as exc:
        db.session.rollback()
        raise ApiError(503, code="temporary_failure") from exc
    except BaseException:
        db.session.rollback()
        raise
    return decision.status, store.day_row(args["register_id"], args["date"])


def rest_field(path: str) -> str:
    """'fields.sales[0].amount' -> 'sales.0.amount'; 'flow.amount' -> 'amount' (the REST body's names)."""
    path = re.sub(r"^(fields|flow)\.", "", path)
    return re.sub(r"\[(\d+)\]", r".\1", path)


def rejection_error(code: str, message: str, server_value: Any, findings: list[Finding]) -> ApiError:
    """A sync rejection as the API's error: 409 for conflicts, 403 forbidden, 422 for invalid input."""
    if code in ("stale_revision", "day_closed", "duplicate_flow"):
        return ApiError(409, message, code=code, extra={"server_value": server_value})
    if code == "forbidden":
        return ApiError(403, message)
    errors = (server_value or {}).get("errors") if isinstance(server_value, dict) else None
    if errors:
        mapped = {rest_field(path): list(messages) for path, messages in errors.items()}
        return ApiError(422, message, errors=mapped, code="validation_error" if code == "invalid" else code)
    if isinstance(server_value, dict) and "reasons" in server_value:
        return ApiError(422, message, errors={"findings": list(server_value["reasons"])}, code="cannot_close",
                        extra={"findings": [finding_wire(f) for f in findings]})
    # The one rejection left: reopening a day that is not closed.
    return ApiError(409, message, code="not_closed", extra={"server_value": server_value})


def finding_wire(finding: Finding) -> dict[str, Any]:
    """A finding for the API: money as a wire string."""
    out = finding.as_dict()
    out["amount"] = None if finding.amount is None else to_wire(finding.amount)
    return out
