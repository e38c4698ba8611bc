"""Values that cross the wire: mutations in, results out, and the parsing of requests.

`parse_push` / `parse_pull` check the *envelope* of a request and raise a `ProtocolError`
(nothing stored, 4xx). They do not judge a mutation's `args`: a mutation whose args are wrong
is a permanent failure of that mutation only, rejected with code `invalid` by the handlers so
that the device's outbox moves on (DOMAIN §7). The JSON Schemas in `schema/` describe what a
correct client sends, args included.
"""

from __future__ import annotations

from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from sync.errors import IdsGoingBackwards, MalformedBatch, SchemaVersion, UnknownMutation, WrongCompany
from sync.rules import MUTATION_NAMES, UUID_RE

SCHEMA_VERSION = 1
MAX_BATCH = 1000
MAX_PULL_LIMIT = 1000
MAX_MUTATION_ID = 2**53  # a device numbers its mutations in JavaScript: beyond, integers are not exact

Status = Literal["applied", "duplicate", "rejected"]


@dataclass(frozen=True)
class Mutation:
    id: int
    name: str
    args: Mapping[str, Any]
    client_time: str | None = None  # the device's clock: informative only, never compared


@dataclass(frozen=True)
class MutationResult:
    id: int
    status: Status
    code: str | None = None
    message: str | None = None
    server_value: Any = None

    def to_wire(self) -> dict[str, Any]:
        wire: dict[str, Any] = {"id": self.id, "status": self.status}
        if self.code is not None:
            wire["code"] = self.code
        if self.message is not None:
            wire["message"] = self.message
        if self.status == "rejected":
            wire["server_value"] = self.server_value
        return wire


@dataclass(frozen=True)
class MergeResult:
    applied: tuple[int, ...]
    duplicates: tuple[int, ...]
    rejected: tuple[MutationResult, ...]
    last_mutation_id: int
    gap_at: int | None
    results: tuple[MutationResult, ...] = field(default=())  # every result, in batch order

    def to_wire(self) -> dict[str, Any]:
        """The push response body (200)."""
        return {
            "schema": SCHEMA_VERSION,
            "last_mutation_id": self.last_mutation_id,
            "results": [result.to_wire() for result in self.results],
            "gap_at": self.gap_at,
        }


@dataclass(frozen=True)
class PushRequest:
    company_id: int
    device_id: str
    mutations: tuple[Mutation, ...]


@dataclass(frozen=True)
class PullRequest:
    company_id: int
    device_id: str
    cookie: int | None
    limit: int | None


@dataclass(frozen=True)
class Actor:
    """Who sends the batch: a user (None for a system job) and their role in the company."""

    user_id: int | None
    role: str  # "firm_admin" | "admin" | "cashier"


@dataclass(frozen=True)
class DayState:
    """A day as the merge engine sees it: its header, not its flows (a decision reads the flows it names,
    through `Store.get_flow`, so the cost of a mutation does not grow with the day's movements)."""

    register_id: int
    date: str
    status: str = "open"  # "open" | "closed"
    revision: int = 0
    fields: Mapping[str, Any] = field(default_factory=dict)  # header fields, in wire form
    field_versions: Mapping[str, tuple[int, str]] = field(default_factory=dict)  # field -> (revision, device)

    def server_value(self) -> dict[str, Any]:
        """What a rejection shows of this day: status, revision and header fields."""
        return {"status": self.status, "revision": self.revision, "fields": dict(self.fields)}


@dataclass(frozen=True)
class FlowState:
    """A stored flow: its day and the flow object as the device sent it ({"id", "kind", …})."""

    register_id: int
    date: str
    data: Mapping[str, Any]

    @property
    def id(self) -> str:
        return str(self.data["id"])


@dataclass(frozen=True)
class Stamp:
    """The audit trail of one write: its server version, the device, the mutation, who and when."""

    version: int
    device_id: str
    mutation_id: int
    user_id: int | None
    at: str  # ISO 8601 UTC, given by the caller


@dataclass(frozen=True)
class Rejection:
    """A stored permanent failure, pulled by the device until an admin resolves it."""

    device_id: str
    mutation_id: int
    name: str
    args: Mapping[str, Any]
    code: str
    message: str
    server_value: Any
    user_id: int | None = None
    at: str = ""
    resolution: str | None = None  # None | "mine" | "server"

    def to_wire(self) -> dict[str, Any]:
        return {"mutation_id": self.mutation_id, "name": self.name, "args": dict(self.args),
                "code": self.code, "message": self.message, "server_value": self.server_value,
                "resolution": self.resolution}


def check_order(mutations: Sequence[Mutation]) -> None:
    """Raise IdsGoingBackwards unless the ids of one batch strictly increase."""
    for previous, current in zip(mutations, mutations[1:], strict=False):
        if current.id <= previous.id:
            raise IdsGoingBackwards(
                f"Mutation {current.id} après {previous.id} : les numéros doivent croître.", field="mutations"
            )


def parse_push(body: object, *, allowed_companies: Container[int] | None = None) -> PushRequest:
    """Check a push request body; raise a ProtocolError if it breaks the protocol."""
    obj = _envelope(body, {"schema", "company_id", "device_id", "mutations"}, set(), allowed_companies)
    raw = obj["mutations"]
    if not isinstance(raw, list):
        raise MalformedBatch("« mutations » doit être une liste.", field="mutations")
    if len(raw) > MAX_BATCH:
        raise MalformedBatch(f"Au plus {MAX_BATCH} mutations par envoi.", field="mutations", status=422)
    mutations = tuple(read_mutation(item, f"mutations[{index}]") for index, item in enumerate(raw))
    check_order(mutations)
    return PushRequest(obj["company_id"], obj["device_id"], mutations)


def parse_pull(body: object, *, allowed_companies: Container[int] | None = None) -> PullRequest:
    """Check a pull request body; raise a ProtocolError if it breaks the protocol."""
    obj = _envelope(body, {"schema", "company_id", "device_id", "cookie"}, {"limit"}, allowed_companies)
    cookie = obj["cookie"]
    if cookie is not None:
        cookie = _int(cookie, "cookie", minimum=0)
    limit = obj.get("limit")
    if limit is not None:
        limit = _int(limit, "limit", minimum=1)
        if limit > MAX_PULL_LIMIT:
            raise MalformedBatch(f"« limit » au plus {MAX_PULL_LIMIT}.", field="limit", status=422)
    return PullRequest(obj["company_id"], obj["device_id"], cookie, limit)


def _envelope(
    body: object, required: set[str], optional: set[str], allowed_companies: Container[int] | None
) -> dict[str, Any]:
    obj = _object(body, "body", required, optional)
    schema = obj["schema"]
    if isinstance(schema, bool) or not isinstance(schema, int):
        raise MalformedBatch("« schema » doit être un entier.", field="schema")
    if schema != SCHEMA_VERSION:
        raise SchemaVersion(f"Version de protocole {schema} inconnue (attendue : {SCHEMA_VERSION}).",
                            field="schema")
    company_id = _int(obj["company_id"], "company_id", minimum=1)
    if allowed_companies is not None and company_id not in allowed_companies:
        raise WrongCompany("Société inaccessible.", field="company_id")
    device_id = obj["device_id"]
    if not isinstance(device_id, str):
        raise MalformedBatch("« device_id » doit être une chaîne.", field="device_id")
    if not UUID_RE.match(device_id):
        raise MalformedBatch("« device_id » doit être un UUID.", field="device_id", status=422)
    return obj


def read_mutation(item: object, where: str) -> Mutation:
    """One mutation of a push as the protocol reads it (its shape; the args are judged by the handlers);
    raise a ProtocolError naming the field."""
    obj = _object(item, where, {"id", "name", "args"}, {"client_time"})
    mutation_id = _int(obj["id"], f"{where}.id", minimum=1)
    if mutation_id > MAX_MUTATION_ID:
        raise MalformedBatch(f"« {where}.id » au plus {MAX_MUTATION_ID}.", field=f"{where}.id", status=422)
    name = obj["name"]
    if not isinstance(name, str):
        raise MalformedBatch("Le nom de mutation doit être une chaîne.", field=f"{where}.name")
    if name not in MUTATION_NAMES:
        raise UnknownMutation(f"Mutation inconnue : {name[:40]}.", field=f"{where}.name")
    args = obj["args"]
    if not isinstance(args, dict):
        raise MalformedBatch("« args » doit être un objet.", field=f"{where}.args")
    client_time = obj.get("client_time")
    if "client_time" in obj and (not isinstance(client_time, str) or len(client_time) > 64):
        raise MalformedBatch("« client_time » doit être une date ISO 8601.", field=f"{where}.client_time")
    return Mutation(mutation_id, name, args, client_time)


def _object(value: object, where: str, required: set[str], optional: set[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise MalformedBatch("Un objet JSON est attendu.", field=where)
    prefix = "" if where == "body" else f"{where}."
    missing = sorted(required - value.keys())
    if missing:
        raise MalformedBatch(f"Champ obligatoire manquant : {missing[0]}.", field=prefix + missing[0])
    unknown = sorted(str(key)[:40] for key in value.keys() - required - optional)
    if unknown:
        raise MalformedBatch(f"Champ inconnu : {unknown[0]}.", field=prefix + unknown[0])
    return value


def _int(value: object, where: str, *, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise MalformedBatch(f"« {where} » doit être un entier.", field=where)
    if value < minimum:
        raise MalformedBatch(f"« {where} » doit être ≥ {minimum}.", field=where, status=422)
    return value
