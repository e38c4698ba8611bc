"""The one write path of cash days: sync's handlers on the SQL store, for push batches and REST writes alike.

`apply_batch` serves /api/sync/push; `apply_one` serves the REST day endpoints (device `web:<user id>`).
Both run in ONE unit of work (`uow.run`: the company locked, serialization failures retried, one commit),
let `sync` decide with the domain rules injected (`DayRules`), and audit header changes, closings and
reopenings (`AuditedStore`) in the same transaction.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.exc import DBAPIError

from domain import DomainError, Settings, evaluate, validation
from domain.controls import Finding
from domain.money import to_wire
from server.errors import ApiError
from server.extensions import db
from server.models import Company, Day, User
from server.models.base import utcnow
from server.services import audit, clock, till_lock, uow
from server.services.access import role_in
from server.services.alerts import refresh_after_write
from server.services.calendar import is_opening_day
from server.services.day_input import day_input
from server.services.sql_store import SqlStore
from sync import (
    CODE_KEY,
    Actor,
    Context,
    DayState,
    IdsGoingBackwards,
    MergeResult,
    Mutation,
    Stamp,
    check_batch,
    merge_batch,
    perform,
)
from sync.handlers import Check, decide
from sync.plan import Planner

log = logging.getLogger(__name__)


class DayRules:
    """The domain rules sync asks about (`validate`, `can_close`), for one company in one transaction.

    Every verdict comes from `domain.validation` (the same functions as the PWA's JS twin); this class only
    gathers what they need: the company's settings, the day's flows, and the shop-local date of today."""

    def __init__(self, store: SqlStore, prechecked: FlowVerdicts | None = None,
                 reader: Planner | None = None) -> None:
        self.store, self.company, self.catalog = store, store.company, store.catalog
        self.reader: Planner | SqlStore = reader or store  # the flows a movement names: with the plan's own
        self.today = clock.date_at(store.now).isoformat()
        self.findings: list[Finding] = []  # of the last can_close, for the REST answer
        self.till_reports: dict[tuple[int, str], Any] = {}  # the till's Z report of a day, read once
        self.where: dict[tuple[int, str, bool], dict[str, list[str]] | None] = {}  # `_where` of a day
        # Verdicts of `_flow` decided before the lock (`precheck_flows`), kept if decided for this same today.
        self.prechecked = prechecked.verdicts if prechecked is not None and prechecked.today == self.today else {}

    def precheck_flows(self, mutations: list[Mutation], checked: Mapping[int, Mapping[str, list[str]]]) -> FlowVerdicts:
        """`_flow` of the change-set's movements whose verdict reads nothing the change-set itself changes,
        decided BEFORE the company is locked, on a read-ahead store: the company's settings and catalog
        only (`still_current` then vouches for them under the lock). Left out, decided under the lock as
        before: voids and corrections (they read the day's flows, which earlier mutations may add) and
        mutations whose args failed their checks (never validated)."""
        verdicts: dict[str, tuple[Mapping[str, Any], dict[str, list[str]]]] = {}
        for mutation in mutations:
            args = mutation.args
            if mutation.name != "flow.add" or checked.get(mutation.id):
                continue
            flow = args["flow"]
            if flow.get("kind") == "void" or flow.get("corrects") or args["register_id"] not in self.catalog.registers:
                continue
            verdicts[flow["id"]] = (flow, self._flow(args, flow))
        return FlowVerdicts(self.today, verdicts)

    def validate(self, name: str, args: Mapping[str, Any], check: Check) -> Mapping[str, list[str]]:
        refused = self._where(args["register_id"], args["date"], check.day)
        if refused:
            return refused
        if name == "day.put":
            locked = till_lock.refusal(args["register_id"], args["date"], args["fields"], check.device_id,
                                       self.till_reports)
            return {**locked, CODE_KEY: ["forbidden"]} if locked else self._header(args)
        flow = args["flow"]
        known = self.prechecked.get(flow["id"])
        if known is not None and known[0] is flow:  # this very movement, checked before the lock
            return known[1]
        return self._flow(args, flow)

    def can_close(self, state: DayState) -> list[str]:
        register = self.catalog.registers.get(state.register_id)
        if register is None:
            return ["Caisse inconnue pour cette société."]
        early = validation.validate_date(state.date, self.today, closing=True)
        if early:
            return early["date"]
        day = self.store.day_row(state.register_id, state.date)
        on = date.fromisoformat(state.date)
        if day is None and not is_opening_day(self.company, on, register):
            return ["Ce jour n'est pas un jour d'ouverture du calendrier."]
        try:
            self.findings = evaluate(day_input(self.company, register, on, day, self.catalog), at_close=True)
        except DomainError as exc:
            return [exc.message_fr]
        return [f.message_fr for f in self.findings if f.severity == "error"]

    def can_reopen(self, state: DayState) -> str | None:
        """The exported-period lock (services.export): only the firm reopens a day of an exported period."""
        from server.services.export import reopen_refusal  # export imports this module's neighbours

        day = self.store.day_row(state.register_id, state.date)
        return reopen_refusal(day, self.store.user) if day is not None else None

    def _where(self, register_id: int, on: str, day: DayState | None) -> dict[str, list[str]] | None:
        """The register, the calendar and the date's reach: the same answer for every mutation of a day in
        one unit of work (its catalog, settings and today do not change), so computed once per day."""
        key = (register_id, on, day is None)
        if key not in self.where:
            self.where[key] = self._where_uncached(register_id, on, day)
        return self.where[key]

    def _where_uncached(self, register_id: int, on: str, day: DayState | None) -> dict[str, list[str]] | None:
        register = self.catalog.registers.get(register_id)
        if register is None:
            return {"register_id": ["Caisse inconnue pour cette société."], CODE_KEY: ["unknown_reference"]}
        if not register.active:
            return {"register_id": ["Cette caisse est désactivée."]}
        if day is None and not is_opening_day(self.company, date.fromisoformat(on), register):
            return {"date": ["Ce jour n'est pas un jour d'ouverture du calendrier."], CODE_KEY: ["not_opening_day"]}
        return validation.validate_date(on, self.today) or None

    def _settings(self, register_id: int) -> Settings:
        return self.catalog.settings(self.company, self.catalog.registers[register_id])

    def _header(self, args: Mapping[str, Any]) -> dict[str, list[str]]:
        found = validation.validate_header(args["fields"], validation.Context(self._settings(args["register_id"])))
        return _verdict(found, "fields.")

    def _flow(self, args: Mapping[str, Any], flow: Mapping[str, Any]) -> dict[str, list[str]]:
        existing = self.store.flow_kinds(args["register_id"], args["date"], self.reader)
        # Step 1 (the values) passed in sync's check_args: `decide` asks these rules only after it.
        found = validation.flow_in_context(flow, validation.Context(self._settings(args["register_id"]), existing))
        if not found and flow.get("corrects"):
            target = self.reader.get_flow(flow["corrects"])
            if target is None or target.register_id not in self.catalog.registers:
                found = {"corrects": [validation.UNKNOWN_REFERENCE]}
        return _verdict(found, "flow.")


@dataclass(frozen=True)
class FlowVerdicts:
    """`DayRules.precheck_flows`: the shop-local today they were decided for, and by movement UUID the
    movement (the very mapping) and its verdict."""

    today: str
    verdicts: Mapping[str, tuple[Mapping[str, Any], dict[str, list[str]]]]


def _verdict(found: Mapping[str, list[str]], prefix: str) -> dict[str, list[str]]:
    """A domain verdict as sync's validate answer: paths inside the args, and the rejection code."""
    if not found:
        return {}
    return {**{prefix + path: list(messages) for path, messages in found.items()},
            CODE_KEY: [validation.rejection_code(found)]}


def _context(store: SqlStore, rules: DayRules, user: User, device_id: str) -> Context:
    role = role_in(user, store.company)
    if role is None:
        raise ApiError(404, "Société introuvable.")
    now = store.now.isoformat(timespec="seconds") + "Z"
    return Context(device_id, Actor(user.id, role), now, rules.validate, rules.can_close, rules.can_reopen)


class AuditedStore(SqlStore):
    """The SQL store that also writes the audit of what it changes: header fields (before/after),
    closings and reopenings, stamped with the device, user and mutation id of the write."""

    def put_day(self, state: DayState, stamp: Stamp) -> None:
        old = self.get_day(state.register_id, state.date)
        super().put_day(state, stamp)
        before, after = audit.changed(dict(old.fields) if old else {}, dict(state.fields))
        self._audit("create" if old is None else "update", state, stamp, before, after)

    def seal_day(self, state: DayState, stamp: Stamp) -> None:
        super().seal_day(state, stamp)
        self._audit("close", state, stamp, {"status": "open"}, {"status": "closed"})

    def record_reopen(self, state: DayState, reason: str, stamp: Stamp) -> None:
        super().record_reopen(state, reason, stamp)
        self._audit("reopen", state, stamp, {"status": "closed"}, {"status": "open", "reason": reason})

    def _audit(self, action: str, state: DayState, stamp: Stamp, before: Any, after: Any) -> None:
        audit.record(action, "day", f"{state.register_id}/{state.date}", company_id=self.company.id,
                     user_id=stamp.user_id, device_id=stamp.device_id, mutation_id=stamp.mutation_id or None,
                     before=before, after=after)


def apply_batch(company_id: int, user: User, device_id: str, mutations: list[Mutation]) -> MergeResult:
    """Apply one device's push batch in ONE unit of work (the company locked, one commit).

    Runs sync.merge_batch on the SQL store with the domain rules injected. Rejections are values in the
    MergeResult (stored as Rejection rows, the device's last id still advances).
    Raises sync.IdsGoingBackwards (409) before anything is written; uow.DatabaseUnavailable (a
    sync.TemporaryFailure: answer 503, nothing advanced) when the database fails, after retrying
    serialization failures; ApiError 404 when the user has no role in the company.
    """

    # Before the lock: the args' checks (pure), a read ahead, the movements' verdicts that read the settings
    # only, and for a change-set of movements the whole decision (`Planned`). The lock then covers checking that
    # nothing read has changed, and stamping and writing; or, for other change-sets, deciding too.
    checked = check_batch(mutations)
    ahead, prechecked, planned = _read_ahead(company_id, user, device_id, mutations, checked)

    def work(unit: uow.Work) -> MergeResult:
        if ahead is not None and unit.attempt == 0 and ahead.company is unit.locked and ahead.still_current():
            store = ahead
            store.now = utcnow()
            if planned is not None and planned.today == clock.date_at(store.now).isoformat():
                planned.planner.replay(store)
                result = planned.result
            else:
                rules = DayRules(store, prechecked)
                result = merge_batch(store, mutations, _context(store, rules, user, device_id), checked)
        else:  # changed meanwhile, or a retry (the rollback expired what was read): read under the lock
            store = AuditedStore(unit.locked, user, utcnow())
            rules = DayRules(store)
            result = merge_batch(store, mutations, _context(store, rules, user, device_id), checked)
        store.flush()
        # Alerts (issue 14): raised from the days just written, in this same transaction.
        refresh_after_write(store.company, [m.args for m in mutations if m.id in result.applied], store.catalog,
                            bool(result.rejected))
        return result

    return uow.run(work, company_id, user=user, device_id=device_id)


@dataclass(frozen=True)
class Planned:
    """A change-set decided before the lock on a `sync.plan.Planner` over the read-ahead store: what to
    replay under the lock, the result, and the shop-local today it was decided for."""

    planner: Planner
    result: MergeResult
    today: str


def _read_ahead(company_id: int, user: User, device_id: str, mutations: list[Mutation],
                checked: Mapping[int, Mapping[str, list[str]]]
                ) -> tuple[AuditedStore | None, FlowVerdicts | None, Planned | None]:
    """A store holding the change-set's catalog, days, flows and device, read without the lock, the
    movements' verdicts decided on it, and the plan of a change-set of movements (None, None, None for an
    unknown company: the unit of work then answers as it always did)."""
    try:
        with uow.reading():  # SQLite: a snapshot, no write lock (still_current re-checks under the lock)
            company = db.session.get(Company, company_id)
            if company is None:
                return None, None, None
            store = AuditedStore(company, user, utcnow())
            store.read_ahead(mutations, device_id)
            prechecked = DayRules(store).precheck_flows(mutations, checked)
            store.prebuild_flows(flow for flow, verdict in prechecked.verdicts.values() if not verdict)
            return store, prechecked, _plan(store, user, device_id, mutations, checked, prechecked)
    except DBAPIError:  # the database failed: roll back, and let the unit of work meet it (503, retries)
        db.session.rollback()
        return None, None, None


def _plan(store: AuditedStore, user: User, device_id: str, mutations: list[Mutation],
          checked: Mapping[int, Mapping[str, list[str]]], prechecked: FlowVerdicts) -> Planned | None:
    """A change-set made of `flow.add` only, decided on the read-ahead store (sync.plan). Its rules read the
    company's catalog and settings, the days and the flows the change-set names: all read ahead, and vouched
    for by `still_current` under the lock. Others (a header, a closing, a reopening read the day's movements or
    the till's reports from the database) are decided under the lock; so is a change-set of a caller with no
    role here, or whose ids go backwards (the unit of work answers them as before)."""
    if not mutations or any(m.name != "flow.add" for m in mutations) or role_in(user, store.company) is None:
        return None
    planner = Planner(store)
    rules = DayRules(store, prechecked, reader=planner)
    try:
        result = merge_batch(planner, mutations, _context(store, rules, user, device_id), checked)
    except IdsGoingBackwards:
        return None
    return Planned(planner, result, rules.today)


def apply_one(company: Company, user: User, name: str, args: dict[str, Any]) -> tuple[str, Day | None]:
    """Apply one REST write (`day.put`, `flow.add`, `day.close`, `day.reopen`) through sync's handlers,
    as device `web:<user id>`, in one unit of work; return (status 'applied'|'duplicate', the day row).

    Raises ApiError: 409 `stale_revision` / `day_closed` / `duplicate_flow` (with `server_value`), 403
    `forbidden`, 422 `validation_error` / `option_disabled` / `not_opening_day` / `unknown_reference` naming
    the field (a refused close lists its `findings`), 503 `temporary_failure`. Nothing is saved on error.
    """
    device_id = f"web:{user.id}"

    def work(unit: uow.Work) -> tuple[str, Day | None]:
        store = AuditedStore(unit.locked, user, utcnow())
        rules = DayRules(store)
        ctx = _context(store, rules, user, device_id)
        decision = decide(Mutation(0, name, args), store, ctx)
        if decision.status == "rejected":
            raise rejection_error(decision.code or "invalid", decision.message or "", decision.server_value,
                                  rules.findings)
        for write in decision.writes:
            perform(store, write, Stamp(store.next_server_version(), device_id, 0, user.id, ctx.now))
        store.flush()
        refresh_after_write(store.company, [args], store.catalog)  # alerts (issue 14), same transaction
        return decision.status, store.day_row(args["register_id"], args["date"])

    try:
        return uow.run(work, company.id, user=user, device_id=device_id)
    except uow.DatabaseUnavailable as exc:
        raise ApiError(503, code="temporary_failure") from exc


def rest_field(path: str) -> str:
    """'fields.sales[0].amount' -> 'sales.0.amount'; 'flow.amount' -> 'amount' (the REST body's names)."""
    path = re.sub(r"^(fields|flow)\.", "", path)
    return re.sub(r"\[(\d+)\]", r".\1", path)


def rejection_error(code: str, message: str, server_value: Any, findings: list[Finding]) -> ApiError:
    """A sync rejection as the API's error: 409 for conflicts, 403 forbidden, 422 for invalid input."""
    if code in ("stale_revision", "day_closed", "duplicate_flow"):
        return ApiError(409, message, code=code, extra={"server_value": server_value})
    if code == "forbidden":
        locked = isinstance(server_value, dict) and server_value.get("lock") == "period_exported"
        return ApiError(403, message, code="period_exported") if locked else ApiError(403, message)
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
