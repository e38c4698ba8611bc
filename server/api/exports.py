"""Accounting exports: FEC and CSV of a closed period, the history of exports, the yearly archive
and its offline verification, the firm-wide ZIP (DOMAIN.md §4–§6)."""

from __future__ import annotations

from functools import wraps
from typing import Any

from flask import Response
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from server.api.guards import company_access, current_company
from server.auth import current_user
from server.errors import ApiError
from server.extensions import db
from server.services import export
from server.services.access import firm_admin_firm_id

bp = Blueprint("exports", __name__, url_prefix="/api/companies/<int:cid>/exports", description="Exports comptables")

MAX_DAYS = 3700  # ten fiscal years and a little


def file_doc(media: str, what: str) -> dict[str, Any]:
    return {"responses": {"200": {
        "description": f"{what} (en-tête X-Export-Sha256 : empreinte SHA-256 du fichier)",
        "content": {media: {"schema": {"type": "string", "format": "binary"}}}}}}


class PeriodQuery(Schema):
    start = fields.Date(data_key="from", required=True, metadata={"description": "premier jour (AAAA-MM-JJ)"})
    end = fields.Date(data_key="to", required=True, metadata={"description": "dernier jour (AAAA-MM-JJ)"})

    @validates_schema
    def _ordered(self, data: dict[str, Any], **_: Any) -> None:
        if data["end"] < data["start"]:
            raise ValidationError("La fin doit suivre le début.", "to")
        if (data["end"] - data["start"]).days > MAX_DAYS:
            raise ValidationError("Dix exercices au plus.", "to")


class FecQuery(PeriodQuery):
    sep = fields.String(load_default="tab", validate=validate.OneOf(["tab", "pipe"]),
                        metadata={"description": "séparateur : tab (défaut) ou pipe (|)"})
    encoding = fields.String(load_default="latin9", validate=validate.OneOf(["latin9", "utf8"]),
                             metadata={"description": "latin9 = ISO-8859-15 (défaut) ou utf8"})


class ExportRecordOut(Schema):
    id = fields.Integer()
    created_at = fields.DateTime()
    user_id = fields.Integer(allow_none=True)
    user_name = fields.Method("_user_name")
    period_start = fields.Date()
    period_end = fields.Date()
    format = fields.String()
    filename = fields.String()
    sha256 = fields.String()
    size = fields.Integer()
    entry_count = fields.Integer()

    def _user_name(self, record: Any) -> str:
        from server.models import User

        user = db.session.get(User, record.user_id) if record.user_id else None
        return user.name if user else ""


def send(file: export.ExportFile, media: str) -> Response:
    response = Response(file.data, mimetype=media)
    response.headers["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    response.headers["X-Export-Sha256"] = file.sha256
    response.headers["Cache-Control"] = "no-store"
    return response


def _export(query: dict[str, Any], fmt: str, **options: str) -> Response:
    company = current_company()
    file = export.build_export(company, query["start"], query["end"], fmt, **options)
    export.record_export(company, current_user(), query["start"], query["end"], fmt, file)
    charset = "iso-8859-15" if options.get("encoding", "utf8") == "latin9" else "utf-8"
    return send(file, f"{export.MEDIA_TYPES[fmt]}; charset={charset}")


@bp.get("/fec")
@company_access(write=True)
@bp.arguments(FecQuery, location="query")
@bp.doc(**file_doc("text/plain", "Le FEC <SIREN>FEC<AAAAMMJJ>.txt"))
@bp.alt_response(409, description="La période contient des journées ouvertes (listées dans `open_days`).")
@bp.alt_response(422, description="Société sans SIREN, ou paramètre invalide (le champ est nommé).")
def export_fec(query, cid):
    """The FEC (LPF art. A47 A-1) of the closed days of a period: 18 columns, header line, TAB or |,
    ISO-8859-15 or UTF-8, dates AAAAMMJJ, decimal comma, continuous entry numbers, chronological order."""
    return _export(query, "fec", sep=query["sep"], encoding=query["encoding"])


@bp.get("/csv")
@company_access(write=True)
@bp.arguments(PeriodQuery, location="query")
@bp.doc(**file_doc("text/csv", "Les mêmes écritures en CSV (;, virgule décimale, UTF-8 avec BOM)"))
@bp.alt_response(409, description="La période contient des journées ouvertes (listées dans `open_days`).")
@bp.alt_response(422, description="Société sans SIREN, ou paramètre invalide (le champ est nommé).")
def export_csv(query, cid):
    """The same entries as the FEC, as a CSV for accounting software."""
    return _export(query, "csv")


@bp.get("")
@company_access(write=True)
@bp.response(200, ExportRecordOut(many=True))
def export_history(cid):
    """The exports of the company, newest first: who, when, period, format, SHA-256 of the file."""
    return export.history(current_company())


class ArchiveQuery(Schema):
    year = fields.Integer(required=True, strict=False, validate=validate.Range(min=2000, max=2100),
                          metadata={"description": "année où commence l'exercice"})


class VerdictProblem(Schema):
    file = fields.String()
    reason = fields.String()


class VerdictOut(Schema):
    ok = fields.Boolean()
    first_altered = fields.String(allow_none=True, metadata={"description": "le premier fichier altéré"})
    files_checked = fields.Integer()
    problems = fields.List(fields.Nested(VerdictProblem))


@bp.get("/archive")
@company_access(write=True)
@bp.arguments(ArchiveQuery, location="query")
@bp.doc(**file_doc("application/zip", "L'archive de l'exercice : journées scellées, clôtures, FEC, manifeste"))
@bp.alt_response(409, description="L'exercice contient des journées ouvertes (listées dans `open_days`).")
@bp.alt_response(422, description="Société sans SIREN, ou année invalide.")
def export_archive(query, cid):
    """The yearly archive (DOMAIN §4): a ZIP of the sealed days, the period closings, the FEC and a manifest
    of SHA-256 hashes. Verify it offline with `flask --app server archive verify FILE` or the endpoint below."""
    from server.services import archive

    company = current_company()
    file = archive.build_archive(company, query["year"])
    start, end = archive.fiscal_year_bounds(company, query["year"])
    export.record_export(company, current_user(), start, end, "archive", file)
    return send(file, export.MEDIA_TYPES["zip"])


@bp.post("/archive/verify")
@company_access(write=True)
@bp.doc(requestBody={"content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}}})
@bp.response(200, VerdictOut)
def verify_archive(cid):
    """Check an archive (the ZIP as the request body): manifest hashes, journal chain, period closings.
    Answers `ok` and names the first altered file. Nothing is stored."""
    from flask import request

    from server.services import archive

    if (request.content_length or 0) > archive.MAX_ARCHIVE_BYTES:
        raise ApiError(413)
    return archive.verify_archive(request.get_data(cache=False)).as_dict()


firm_bp = Blueprint("firm_exports", __name__, url_prefix="/api/firm/exports", description="Exports du cabinet")


def firm_admin_only(view: Any) -> Any:
    """401 / 403 before the query is parsed, as company_access does for company routes."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        firm_admin_firm_id(current_user())
        return view(*args, **kwargs)

    return wrapper


@firm_bp.get("")
@firm_admin_only
@firm_bp.arguments(FecQuery, location="query")
@firm_bp.doc(**file_doc("application/zip", "Un FEC par société du cabinet (+ ANOMALIES.txt si certaines manquent)"))
def export_firm(query):
    """Every company of my firm for a period in one ZIP (firm admins only): one FEC per company that can be
    exported; the others (open days, no SIREN) are listed with the reason in ANOMALIES.txt."""
    from server.services import export_firm as firm

    file = firm.firm_zip(current_user(), query["start"], query["end"], sep=query["sep"], encoding=query["encoding"])
    return send(file, export.MEDIA_TYPES["zip"])
