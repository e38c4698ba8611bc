"""The opening calendar: weekly pattern and dated exceptions."""

from flask_smorest import Blueprint

from server.api.guards import company_access, current_company
from server.extensions import db
from server.models import CalendarException
from server.schemas.settings import CalendarExceptionSchema, CalendarSchema
from server.services import settings
from server.services.access import owned

bp = Blueprint("calendar", __name__, url_prefix="/api/companies/<int:cid>/calendar", description="Calendrier")


def _pattern(company):
    return {"weekly_pattern": [ch == "1" for ch in company.weekly_pattern]}


@bp.get("")
@company_access(write=False)
@bp.response(200, CalendarSchema)
def get_calendar(cid):
    """Weekly opening pattern, Monday first."""
    return _pattern(current_company())


@bp.put("")
@company_access(write=True)
@bp.arguments(CalendarSchema)
@bp.response(200, CalendarSchema)
def put_calendar(data, cid):
    """Replace the weekly pattern (admins)."""
    return _pattern(settings.set_weekly_pattern(current_company(), data["weekly_pattern"]))


@bp.get("/exceptions")
@company_access(write=False)
@bp.response(200, CalendarExceptionSchema(many=True))
def list_exceptions(cid):
    """Exceptional openings and closings."""
    company = current_company()
    return db.session.execute(
        db.select(CalendarException).where(CalendarException.company_id == company.id).order_by(CalendarException.date)
    ).scalars()


@bp.post("/exceptions")
@company_access(write=True)
@bp.arguments(CalendarExceptionSchema)
@bp.response(201, CalendarExceptionSchema)
def add_exception(data, cid):
    """Add an exceptional opening or closing (admins)."""
    return settings.add_exception(current_company(), data)


@bp.delete("/exceptions/<int:item_id>")
@company_access(write=True)
@bp.response(204)
def delete_exception(cid, item_id):
    """Remove an exception (admins)."""
    company = current_company()
    settings.delete_exception(company, owned(company, CalendarException, item_id))
