"""Accounting exports: FEC and CSV of a closed period, the history of exports, the yearly archive
and its offline verification, the firm-wide ZIP (DOMAIN.md §4–§6)."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from server.api.guards import company_access, current_company
from server.auth import current_user
from server.extensions import db
from server.services import export

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
    db.session.commit()
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
