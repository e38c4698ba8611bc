"""sync's `Store` on SQLAlchemy for one change-set: read once, decide in memory, write in bulk.

1. `prepare(mutations)` reads what the change-set names (`sync.touched`): one query for its flows (the new
   UUIDs, and those it voids or corrects), one for its days and those flows' days, with their lines
   (selectin). A day's other movements are never read: a decision needs only the flows it names, so a
   mutation costs the same on a day holding 2,000 movements as on an empty one.
2. Reads answer from these keyed maps and from what the change-set wrote; a key outside them (a REST
   write, which is not prepared) is read on demand.
3. Writes change the day rows held by the session (one UPDATE per touched day when the session flushes)
   and buffer the new flows, which `flush()` inserts with one executemany. Closing, and the domain's
   close check, read a day's flows from the database: they flush first (`day_row`).

Nothing here commits: the caller's one transaction holds the company's version row locked
(services.mutations).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any, Protocol, cast

from sqlalchemy import String, Table, any_, bindparam, insert, inspect, tuple_
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import selectinload

import sync
from domain.money import parse_wire
from server.extensions import db
from server.models import Company, Day, Device, Flow, Rejection, User
from server.services import closing
from server.services.catalog import MODELS, Catalog
from server.services.day_input import day_input
from server.services.day_rows import FLOW_COLUMNS, day_state, flow_data, flow_wire, write_header
from sync import DayKey, DayState, FlowState, Mutation, Stamp, touched


def _one_of(column: Any, ids: list[str]) -> Any:
    """`column IN ids`; on PostgreSQL as `= ANY(array)`, one parameter instead of a hundred (a change-set's
    new UUIDs: 0.66 ms instead of 1.1 ms a push of 100, measured in-process)."""
    if db.session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam("flow_ids", ids, type_=ARRAY(String)))
    return column.in_(ids)


FOREIGN = ""  # the date of a FlowState standing for another company's flow (its UUID is taken, nothing shown)


def _flow_columns(data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A valid movement's own columns (without its day and stamp), and its wire form."""
    amount = parse_wire(data["amount"]) if "amount" in data else 0
    columns = {name: data.get(name) for name in FLOW_COLUMNS}
    for name in ("label", "account", "code", "slip_number", "reason"):  # text columns store "" for none
        columns[name] = columns[name] or ""
    owner = bool(data.get("owner"))
    row = {"id": data["id"], "kind": data["kind"], "amount_cents": amount, "owner": owner, **columns}
    return row, flow_wire(data["id"], data["kind"], amount, columns, owner)


class SqlStore:
    """sync's `Store` on the session: one company, one device, one transaction (the caller's)."""

    def __init__(self, company: Company, user: User | None, now: datetime) -> None:
        self.company, self.user, self.now = company, user, now
        self.catalog = Catalog.load(company.id)
        self.days: dict[DayKey, Day | None] = {}
        self.states: dict[DayKey, DayState] = {}  # day_state of self.days, until the day is written
        self.flows: dict[str, FlowState | None] = {}
        self.new_flows: list[dict[str, Any]] = []  # rows for the next executemany
        self.built: dict[str, tuple[Mapping[str, Any], dict[str, Any], dict[str, Any]]] = {}  # `prebuild_flows`
        self.device: Device | None = None
        self.seen: Seen | None = None  # what a read ahead of the lock saw (`read_ahead`)

    # -- reads ---------------------------------------------------------------------------------
    def prepare(self, mutations: Sequence[Mutation]) -> None:
        names = touched(mutations)
        self._load_flows([flow_id for flow_id in names.flows if flow_id not in self.flows])
        named = {(state.register_id, state.date) for state in self.flows.values() if state and state.date}
        self._load_days([key for key in names.days | named if key not in self.days])

    def read_ahead(self, mutations: Sequence[Mutation], device_id: str) -> None:
        """Read what the change-set needs BEFORE the company is locked (the catalog, built by __init__, its
        days and flows, the device), remembering the versions seen; `still_current` then tells, under the
        lock, whether they can serve the change-set. The lock is held for deciding and writing only."""
        self.prepare(mutations)
        self.get_device_state(device_id)
        days = [day.version for day in self.days.values() if day is not None]
        mine = [key for key in self.days if key[0] in self.catalog.registers]  # the others are never read
        self.seen = Seen(self.company.version or 0, device_id, mine, (
            *self.catalog.signature(), (1, self.device.last_mutation_id) if self.device else (0, 0),
            (len(days), sum(days))))

    def still_current(self) -> bool:
        """Under the lock, after `read_ahead`: nothing it read has changed since. Every write of the company's
        settings, catalog, devices or days stamps a newer version (versions only grow), so one query comparing
        counts and highest (for days: summed) versions tells. A flow with one of the change-set's new UUIDs
        written meanwhile by another company is met as under the lock: by the primary key (the push is then
        replayed one mutation at a time, services.push_guard)."""
        seen = self.seen
        if seen is None or (self.company.version or 0) != seen.company_version:
            return False
        keys = [(register_id, date.fromisoformat(on)) for register_id, on in seen.days] or [(0, date.min)]
        params = {"company_id": self.company.id, "device_id": seen.device_id, "keys": keys}
        rows = sorted(db.session.execute(_still_current_query(), params).all(), key=lambda row: row[0])
        return tuple((int(count), int(top)) for _n, count, top in rows) == seen.signature

    def get_device_state(self, device_id: str) -> int:
        if self.seen is not None and self.seen.device_id == device_id:  # read ahead, and still current
            return self.seen.signature[len(MODELS)][1]
        self.device = db.session.get(Device, (device_id, self.company.id), populate_existing=True)
        return self.device.last_mutation_id if self.device else 0

    def get_day(self, register_id: int, date: str) -> DayState | None:
        key = (register_id, date)
        state = self.states.get(key)
        if state is None:
            day = self._day(key)
            if day is None:
                return None
            state = self.states[key] = day_state(day)
        return state

    def get_flow(self, flow_id: str) -> FlowState | None:
        if flow_id not in self.flows:
            self._load_flows([flow_id])
        return self.flows[flow_id]

    def day_row(self, register_id: int, on: str | date) -> Day | None:
        """The day row with everything written so far (buffered flows flushed), or None."""
        self.flush()
        return self._day((register_id, on if isinstance(on, str) else on.isoformat()))

    def flow_kinds(self, register_id: int, on: str, reader: FlowReader | None = None) -> DayFlowKinds:
        """The kinds of the day's flows by id, read one id at a time (what a void targets) from `reader`
        (default: this store; a `sync.plan.Planner` over it when the change-set is decided before the lock)."""
        return DayFlowKinds(self, (register_id, on), reader or self)

    def _day(self, key: DayKey) -> Day | None:
        if key not in self.days:
            self._load_days([key])
        return self.days[key]

    def _load_flows(self, ids: list[str]) -> None:
        if not ids:
            return
        query = (db.select(Flow, Day.register_id, Day.date).join(Day, Flow.day_id == Day.id)
                 .where(_one_of(Flow.id, ids)))
        for flow, register_id, on in db.session.execute(query):
            if flow.company_id != self.company.id:  # taken elsewhere: refuse the UUID, show nothing
                self.flows[flow.id] = FlowState(0, FOREIGN, {"id": flow.id})
            else:
                self.flows[flow.id] = FlowState(register_id, on.isoformat(), flow_data(flow))
        for flow_id in ids:
            self.flows.setdefault(flow_id, None)

    def _load_days(self, keys: list[DayKey]) -> None:
        """One query for the days of `keys` (another company's register: no day to see)."""
        mine = [key for key in keys if key[0] in self.catalog.registers]
        if mine:
            registers = {register_id for register_id, _ in mine}
            dates = {date.fromisoformat(on) for _, on in mine}
            query = (db.select(Day).options(selectinload(Day.lines))
                     .where(Day.company_id == self.company.id, Day.register_id.in_(registers), Day.date.in_(dates))
                     .execution_options(populate_existing=True))  # as the lock sees it, not as loaded before
            for day in db.session.execute(query).scalars():
                self.days.setdefault((day.register_id, day.date.isoformat()), day)
        for key in keys:
            self.days.setdefault(key, None)

    # -- writes --------------------------------------------------------------------------------
    def set_last_mutation_id(self, device_id: str, last_mutation_id: int) -> None:
        device = self.device if self.device and self.device.id == device_id else db.session.get(
            Device, (device_id, self.company.id))
        if device is None:
            device = Device(id=device_id, company_id=self.company.id, user_id=self.user and self.user.id)
            db.session.add(device)
        device.last_mutation_id, device.last_seen_at = last_mutation_id, self.now
        self.device = device

    def next_server_version(self) -> int:
        self.company.server_version = (self.company.server_version or 0) + 1
        return self.company.server_version

    def put_day(self, state: DayState, stamp: Stamp) -> None:
        key = (state.register_id, state.date)
        day = self._day(key)
        if day is None:
            day = Day(id=str(uuid.uuid4()), company_id=self.company.id, register_id=state.register_id,
                      date=date.fromisoformat(state.date), status="open", lines=[], z_number="", sales_count=0,
                      comment="")
            db.session.add(day)
            self.days[key] = day
        if write_header(day, state.fields):
            db.session.flush()  # a removed line leaves before a line of the same reference may come back
        day.revision = state.revision
        day.field_versions = {name: list(v) for name, v in state.field_versions.items()}
        day.version = stamp.version
        self.states.pop(key, None)

    def prebuild_flows(self, flows: Iterable[Mapping[str, Any]]) -> None:
        """Before the lock: the columns and wire form of movements already judged valid there
        (`DayRules.precheck_flows`), so that `add_flow`, under the lock, only adds the day and the stamp."""
        for data in flows:
            self.built[data["id"]] = (data, *_flow_columns(data))

    def add_flow(self, state: FlowState, stamp: Stamp) -> None:
        day = self._day((state.register_id, state.date))
        assert day is not None, "sync creates the day before its first flow"
        data = state.data
        built = self.built.get(data["id"])
        row, wire = (built[1], built[2]) if built is not None and built[0] == data else _flow_columns(data)
        self.new_flows.append({**row, "company_id": self.company.id, "day_id": day.id, "device_id": stamp.device_id,
                               "created_by_id": stamp.user_id, "created_at": self.now, "version": stamp.version})
        self.flows[state.id] = FlowState(state.register_id, state.date, wire)

    def seal_day(self, state: DayState, stamp: Stamp) -> None:
        day = self.day_row(state.register_id, state.date)
        assert day is not None
        register = self.catalog.registers[day.register_id]
        inp = day_input(self.company, register, day.date, day, self.catalog)
        closing.seal(day, inp, user_id=stamp.user_id, device_id=stamp.device_id, at=self.now)
        day.version = stamp.version
        self.states.pop((state.register_id, state.date), None)

    def record_reopen(self, state: DayState, reason: str, stamp: Stamp) -> None:
        day = self._day((state.register_id, state.date))
        assert day is not None
        closing.reopen(day, user_id=stamp.user_id, device_id=stamp.device_id, at=self.now, reason=reason)
        day.version = stamp.version
        self.states.pop((state.register_id, state.date), None)

    def record_rejection(self, rejection: sync.Rejection, stamp: Stamp) -> None:
        db.session.add(Rejection(
            company_id=self.company.id, device_id=rejection.device_id, user_id=rejection.user_id,
            mutation_id=rejection.mutation_id, name=rejection.name, args=dict(rejection.args), code=rejection.code,
            message=rejection.message, server_value=rejection.server_value, created_at=self.now,
            version=stamp.version))

    def flush(self) -> None:
        """Send the session's changes (days, lines, rejections, the version counter), then the buffered flows
        in one executemany; a day whose flows were already read in this session reads them again."""
        if not self.new_flows:
            return
        rows, self.new_flows = self.new_flows, []
        db.session.flush()
        _insert_flows(rows)
        day_ids = {row["day_id"] for row in rows}
        for day in self.days.values():
            if day is not None and day.id in day_ids and "flows" not in inspect(day).unloaded:
                db.session.expire(day, ["flows"])


def _insert_flows(rows: list[dict[str, Any]]) -> None:
    """One executemany of new flows (every row has the same keys). PostgreSQL: the driver's statement with the rows
    as tuples, skipping SQLAlchemy's processing of each row's parameters (client CPU of 100 rows, measured apart:
    5.6 ms with Core, 3.6 ms so; it runs under the company's lock); errors still come wrapped by SQLAlchemy
    (`exec_driver_sql`), as the unit of work and the push guard expect. SQLite: Core, for its DateTime format."""
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        connection.execute(insert(cast(Table, Flow.__table__)), rows)  # Core: no ORM bookkeeping per row
        return
    columns = tuple(rows[0])
    connection.exec_driver_sql(_flow_insert(columns), [tuple(row[name] for name in columns) for row in rows])


@cache
def _flow_insert(columns: tuple[str, ...]) -> str:
    """INSERT INTO flows of these columns, in psycopg's positional parameters (the names are the model's own)."""
    known = {column.name for column in Flow.__table__.columns}
    assert set(columns) <= known, set(columns) - known
    return f"INSERT INTO flows ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"


@cache
def _still_current_query() -> Any:
    """`still_current`'s one query, built once (parameters: company_id, device_id, keys): per catalog table
    (number, rows, highest version), then the device's (n, rows, last id), then the days' (n + 1, rows, summed
    versions)."""
    cid: Any = bindparam("company_id")
    n = len(MODELS)
    parts = Catalog.signature_parts(cid)
    parts.append(db.select(db.literal(n), db.func.count(), db.func.coalesce(db.func.max(Device.last_mutation_id), 0))
                 .where(Device.id == bindparam("device_id"), Device.company_id == cid))
    parts.append(db.select(db.literal(n + 1), db.func.count(), db.func.coalesce(db.func.sum(Day.version), 0))
                 .where(Day.company_id == cid,
                        tuple_(Day.register_id, Day.date).in_(bindparam("keys", expanding=True))))
    return db.union_all(*parts)


@dataclass(frozen=True)
class Seen:
    """What a read ahead of the lock saw: the company row's version, the device, the days' keys, and the
    signature (catalog tables, then the device's last id, then the days' count and summed versions)."""

    company_version: int
    device_id: str
    days: list[DayKey]
    signature: tuple[tuple[int, int], ...]


class FlowReader(Protocol):
    def get_flow(self, flow_id: str) -> FlowState | None: ...


class DayFlowKinds(Mapping[str, str]):
    """`{flow id: kind}` of one day, looked up id by id in `reader` (never the whole day's flows)."""

    def __init__(self, store: SqlStore, key: DayKey, reader: FlowReader) -> None:
        self.store, self.key, self.reader = store, key, reader

    def __getitem__(self, flow_id: str) -> str:
        found = self.reader.get_flow(flow_id) if isinstance(flow_id, str) else None
        if found is None or (found.register_id, found.date) != self.key:
            raise KeyError(flow_id)
        return str(found.data["kind"])

    def __iter__(self) -> Iterator[str]:
        day = self.store.day_row(*self.key)
        return iter([flow.id for flow in day.flows] if day else [])

    def __len__(self) -> int:
        return sum(1 for _ in self)
