"""The one small exception hierarchy of sync/ (after h11's `_util.py`).

Only *protocol* violations raise: the request itself cannot be processed, so nothing is
stored and the caller answers with the HTTP error shape
`{"code", "message", "errors": {field: [message]}}` using `status` as the hint.

A *conflict* (stale revision, closed day, invalid amount…) is never an exception: it is a
`MutationResult` with status "rejected", stored and returned as a value.

`TemporaryFailure` is the one exception that is not the client's fault: the caller rolls the
whole batch back and answers 503, nothing advanced.
"""

from __future__ import annotations


class ProtocolError(Exception):
    """Base class: a request that breaks the sync protocol. Nothing was stored."""

    status: int = 400
    code: str = "protocol_error"

    def __init__(self, message: str, *, field: str | None = None, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if status is not None:
            self.status = status

    def to_wire(self) -> dict[str, object]:
        """The API error shape (the message is French, meant for a person)."""
        errors = {self.field: [self.message]} if self.field else {}
        return {"code": self.code, "message": self.message, "errors": errors}


class MalformedBatch(ProtocolError):
    """400: not the expected JSON shape (missing key, wrong type);
    422: the right types with impossible values (id < 1, device id not a UUID, limit out of range)."""

    status = 400
    code = "malformed_batch"


class IdsGoingBackwards(ProtocolError):
    """409: the mutation ids of one batch are not strictly increasing."""

    status = 409
    code = "ids_going_backwards"


class UnknownMutation(ProtocolError):
    """422: a mutation name this server does not know (an outdated or newer client)."""

    status = 422
    code = "unknown_mutation"


class WrongCompany(ProtocolError):
    """403 (not a member of the company) or 404 (no such company), as the caller decides."""

    status = 403
    code = "wrong_company"


class SchemaVersion(ProtocolError):
    """422: a wire schema version this server does not speak."""

    status = 422
    code = "schema_version"


class ResolutionError(ProtocolError):
    """403 (resolver is not an admin) or 409 (already resolved, or nothing can be re-applied)."""

    status = 409
    code = "resolution_error"


class TemporaryFailure(Exception):
    """The store is unavailable (database down, serialization failure): roll back, answer 503.

    Raised by the caller's `Store` or injected callables, never by sync/ itself; `merge_batch`
    lets it through untouched so that nothing is half-applied.
    """

    status = 503
    code = "temporary_failure"
