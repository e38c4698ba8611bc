"""Caisse's sync engine: a pure core for a server-authoritative push/pull protocol (DOMAIN §7).

No-I/O rule
-----------
This package imports only the Python standard library: no Flask, no SQLAlchemy, no clock, no
network, no randomness. Callers pass the time (`Context.now`), the stored versions (through
their `Store` implementation) and the domain rules (`validate`, `can_close`). The same engine
runs on the server inside one database transaction, and in tests on an in-memory store.
`tests/sync/test_purity.py` checks the rule. (In the spirit of python-hyper/h11, "contains no
IO code whatsoever".)

Use on the server, for one push request::

    request = parse_push(body, allowed_companies=ids)          # ProtocolError → 4xx
    with one_transaction_locking_the_company():                # TemporaryFailure → 503
        result = merge_batch(store, request.mutations, Context(request.device_id, actor, now,
                                                               validate, can_close))
    return result.to_wire()

Conflicts are values (`MergeResult`, `MutationResult`, `Rejection`); only protocol violations
raise, from `sync.errors`.
"""

from sync.changes import (
    Actor,
    DayState,
    FlowState,
    MergeResult,
    Mutation,
    MutationResult,
    PullRequest,
    PushRequest,
    Rejection,
    Stamp,
    parse_pull,
    parse_push,
)
from sync.errors import (
    IdsGoingBackwards,
    MalformedBatch,
    ProtocolError,
    ResolutionError,
    SchemaVersion,
    TemporaryFailure,
    UnknownMutation,
    WrongCompany,
)
from sync.handlers import CODE_KEY, CanClose, Check, Context, Validate
from sync.merge import DayKey, Resolved, Store, Touched, check_batch, merge_batch, perform, resolve, touched
from sync.pull import Change, Page, needs_reset, page
from sync.rules import HEADER_FIELDS, MUTATION_NAMES, REJECTION_CODES, RULES, Resolution

__all__ = [
    "CODE_KEY",
    "HEADER_FIELDS",
    "MUTATION_NAMES",
    "REJECTION_CODES",
    "RULES",
    "Actor",
    "CanClose",
    "DayKey",
    "Change",
    "Check",
    "Context",
    "DayState",
    "FlowState",
    "IdsGoingBackwards",
    "MalformedBatch",
    "MergeResult",
    "Mutation",
    "MutationResult",
    "Page",
    "ProtocolError",
    "PullRequest",
    "PushRequest",
    "Rejection",
    "Resolution",
    "ResolutionError",
    "Resolved",
    "SchemaVersion",
    "Stamp",
    "Store",
    "Touched",
    "TemporaryFailure",
    "UnknownMutation",
    "Validate",
    "WrongCompany",
    "check_batch",
    "merge_batch",
    "needs_reset",
    "page",
    "perform",
    "parse_pull",
    "parse_push",
    "resolve",
    "touched",
]
