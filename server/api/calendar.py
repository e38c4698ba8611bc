"""The opening calendar: the company's weekly pattern and dated exceptions, and each register's own
(services/calendar.py says which wins)."""

from flask_smorest import Blueprint

from server.api.guards import company_access, current_company
from server.errors import ApiError
from server.extensions import db
from server.models import CalendarException, Register, RegisterCalendarException
from server.schemas.settings import CalendarExceptionSchema, CalendarSchema, RegisterCalendarSchema
from server.services import calendar, settings
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


def _register_calendar(register):
    return {"register_id": register.id, "weekly_pattern": register.weekly_pattern,
            "follows_company": register.weekly_pattern is None, "exceptions": calendar.register_exceptions(register)}


@bp.get("/registers/<int:rid>")
@company_access(write=False)
@bp.response(200, RegisterCalendarSchema)
def get_register_calendar(cid, rid):
    """A register's own weekly pattern (null: it follows the company's) and its dated exceptions."""
    return _register_calendar(owned(current_company(), Register, rid))


@bp.put("/registers/<int:rid>")
@company_access(write=True)
@bp.arguments(RegisterCalendarSchema)
@bp.response(200, RegisterCalendarSchema)
def put_register_calendar(data, cid, rid):
    """Give a register its own weekly pattern, or null to follow the company's again (admins)."""
    company = current_company()
    register = settings.update_row(company, owned(company, Register, rid), {"weekly_pattern": data["weekly_pattern"]})
    return _register_calendar(register)


@bp.post("/registers/<int:rid>/exceptions")
@company_access(write=True)
@bp.arguments(CalendarExceptionSchema)
@bp.response(201, CalendarExceptionSchema)
def add_register_exception(data, cid, rid):
    """Open or close one register on one date (admins); it wins over the company's calendar that day."""
    company = current_company()
    return settings.add_register_exception(company, owned(company, Register, rid), data)


@bp.delete("/registers/<int:rid>/exceptions/<int:item_id>")
@company_access(write=True)
@bp.response(204)
def delete_register_exception(cid, rid, item_id):
    """Remove a register's exception (admins)."""
    company = current_company()
    register = owned(company, Register, rid)
    row = owned(company, RegisterCalendarException, item_id)
    if row.register_id != register.id:
        raise ApiError(404)
    settings.delete_register_exception(company, row)
