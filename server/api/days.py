"""Cash days of a register: read with computed balances and findings; write through the sync handlers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_smorest import Blueprint

from server.api.guards import company_access, current_company
from server.auth import current_user
from server.errors import ApiError
from server.models import Register
from server.schemas.day import CloseIn, DayListOut, DayOut, DayPutSchema, DayRangeQuery, FlowIn, ReopenIn
from server.services import clock, day_rows, day_views, mutations
from server.services.access import owned

bp = Blueprint("days", __name__, url_prefix="/api/companies/<int:cid>/registers/<int:rid>/days",
               description="Journées de caisse")


def _where(rid: int, text: str) -> tuple[Register, dt.date]:
    """The company's register (404) and the URL's date (422 `date`)."""
    register = owned(current_company(), Register, rid)
    try:
        return register, dt.date.fromisoformat(text)
    except ValueError:
        raise ApiError(422, errors={"date": ["Date invalide (format AAAA-MM-JJ)."]}) from None


def _write(rid: int, text: str, name: str, args: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """Apply one mutation as the caller, then answer the day as it now is."""
    register, on = _where(rid, text)
    company = current_company()
    status, _day = mutations.apply_one(company, current_user(), name,
                                       {"register_id": register.id, "date": on.isoformat(), **args})
    return status, day_views.day_view(company, register, on)


@bp.get("")
@company_access()
@bp.arguments(DayRangeQuery, location="query")
@bp.response(200, DayListOut)
def list_days(query, cid, rid):
    """Days of a register with status and totals; with `from`, also the opening days not entered yet."""
    register = owned(current_company(), Register, rid)
    return day_views.day_list(register, query.get("start"), query.get("end"), clock.shop_today())


@bp.get("/<date>")
@company_access()
@bp.response(200, DayOut)
def get_day(cid, rid, date):
    """One day: header, flows, totals per VAT rate, expected balances, findings, outstanding credit."""
    register, on = _where(rid, date)
    return day_views.day_view(current_company(), register, on)


@bp.put("/<date>")
@company_access()
@bp.arguments(DayPutSchema)
@bp.response(200, DayOut)
def put_day(data, cid, rid, date):
    """Change header fields read at `base_revision` (409 `stale_revision` if another device wrote them)."""
    return _write(rid, date, "day.put", data)[1]


@bp.post("/<date>/flows")
@company_access()
@bp.arguments(FlowIn)
@bp.response(201, DayOut)
def add_flow(flow, cid, rid, date):
    """Add a movement (append-only; the same UUID and content again is answered 200)."""
    status, view = _write(rid, date, "flow.add", {"flow": flow})
    return view, 201 if status == "applied" else 200


@bp.post("/<date>/close")
@company_access()
@bp.arguments(CloseIn)
@bp.response(200, DayOut)
def close_day(data, cid, rid, date):
    """Close the day (422 `cannot_close` with the blocking findings)."""
    register, on = _where(rid, date)
    base = data.get("base_revision", day_rows.revision_of(register.id, on))
    return _write(rid, date, "day.close", {"base_revision": base})[1]


@bp.post("/<date>/reopen")
@company_access(write=True)
@bp.arguments(ReopenIn)
@bp.response(200, DayOut)
def reopen_day(data, cid, rid, date):
    """Reopen a closed day (admins), with the reason; the closing stays in the journal."""
    return _write(rid, date, "day.reopen", {"reason": data["reason"]})[1]
