"""The till link (issue 15): Z reports pushed by a till with its register token, and the admin side
(register tokens, the code mapping table, CSV imports, unlocking the Z fields of a day)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from flask import request
from flask_smorest import Blueprint

from server.api.guards import company_access, current_company
from server.auth import current_register_token, current_user
from server.errors import ApiError, ErrorSchema, error_response
from server.extensions import db
from server.models import Company, Day
from server.schemas.till import (
    CONFLICT_EXAMPLE,
    DUPLICATE_EXAMPLE,
    RECEIPT_EXAMPLE,
    UNKNOWN_EXAMPLE,
    Z_EXAMPLE,
    RegisterTokenIn,
    RegisterTokenOut,
    TillCodesSchema,
    ZImportIn,
    ZImportOut,
    ZReceiptOut,
    ZReportIn,
    ZReportOut,
)
from server.services import till_codes, till_tokens, z_import, z_reports

bp = Blueprint("z_reports", __name__, url_prefix="/api/registers", description="Tickets Z envoyés par une caisse")
admin_bp = Blueprint(
    "till",
    __name__,
    url_prefix="/api/companies/<int:cid>/till",
    description="Liaison caisse : jetons, correspondance des codes, imports",
)


def _json_object_body() -> None:
    """A till's body is one JSON object: 400 `body` for another content type or JSON that does not parse,
    422 `body` for JSON that is no object (`[1,2]`, `null`). Nothing is read further, nothing saved."""
    if request.method != "POST":
        return
    if not request.is_json:
        raise ApiError(
            400, "Corps JSON attendu.", errors={"body": ["Corps JSON attendu (Content-Type: application/json)."]}
        )
    try:
        body = json.loads(request.get_data(cache=True) or b"")
    except (ValueError, RecursionError):
        raise ApiError(400, "Corps JSON invalide.", errors={"body": ["Le corps n'est pas un JSON valide."]}) from None
    if not isinstance(body, dict):
        raise ApiError(422, errors={"body": ["Un objet JSON est attendu (le ticket Z)."]})


def _name_the_body(err: ApiError) -> Any:
    """A refusal of the whole body (413 too large, 400 unreadable) names the field `body`."""
    if err.status in (400, 413) and not err.errors:
        err.errors = {"body": [err.message]}
    return error_response(err)


bp.before_request(_json_object_body)
bp.register_error_handler(ApiError, _name_the_body)


@bp.post("/<int:rid>/z-reports")
@bp.arguments(ZReportIn, example=Z_EXAMPLE)
@bp.response(201, ZReceiptOut, example=RECEIPT_EXAMPLE)
@bp.alt_response(
    200,
    schema=ZReceiptOut,
    example=DUPLICATE_EXAMPLE,
    description="Le même ticket Z, déjà reçu : `duplicate` (rien n'est modifié).",
)
@bp.alt_response(400, schema=ErrorSchema, description="Corps illisible : pas du JSON (`errors.body`).")
@bp.alt_response(413, schema=ErrorSchema, description="Corps de plus de 2 Mio (`errors.body`).")
@bp.alt_response(
    409,
    schema=ErrorSchema,
    example=CONFLICT_EXAMPLE,
    description="`z_report_conflict` (un autre ticket Z pour cette caisse et cette date : les deux "
    "versions) ou `day_closed` (journée clôturée).",
)
@bp.alt_response(
    422,
    schema=ErrorSchema,
    example=UNKNOWN_EXAMPLE,
    description="Champ invalide (nommé dans `errors`), date hors calendrier de la caisse, ou "
    "`unknown_codes` (codes absents de la table de correspondance).",
)
@bp.alt_response(401, schema=ErrorSchema, description="Jeton de caisse absent, inconnu ou révoqué.")
@bp.alt_response(403, schema=ErrorSchema, description="Jeton d'une autre caisse de la société.")
@bp.alt_response(404, schema=ErrorSchema, description="Caisse d'une autre société, ou inconnue.")
@bp.doc(security=[{"bearer": []}])
def post_z_report(report, rid):
    """Send a till's Z report with the register's token.

    `Authorization: Bearer creg_…` (a register token, created in « Liaison caisse »). The report fills the
    day's Z fields through the same rules, unit of work and audit as a cashier's entry; the day stays open.
    One Z report per register and date: 201 `applied`, 200 `duplicate` (the same report again), 409 for another."""
    token = current_register_token()
    register = till_tokens.scope_of(token, rid)
    sender = z_reports.Sender("api", f"till:{token.id}", token=token)
    company = db.session.get(Company, token.company_id)
    assert company is not None  # a token belongs to its company
    status, row = z_reports.submit(company, register, report, sender)
    day = db.session.get(Day, row.day_id) if row.day_id else None
    answer = {
        "status": status,
        "report": z_reports.report_wire(row),
        "day": {"id": day.id, "date": day.date.isoformat(), "status": day.status, "revision": day.revision}
        if day
        else None,
    }
    return answer, 201 if status == "applied" else 200


@admin_bp.get("/tokens")
@company_access(write=True)
@admin_bp.response(200, RegisterTokenOut(many=True))
def list_tokens(cid):
    """The company's register tokens (admins), live first; never their value."""
    return till_tokens.listing(current_company())


@admin_bp.post("/tokens")
@company_access(write=True)
@admin_bp.arguments(RegisterTokenIn)
@admin_bp.response(201, RegisterTokenOut)
def create_token(data, cid):
    """Create a register token (scope `z:write`); its value is in this answer only."""
    row, token = till_tokens.create(current_company(), current_user(), data["register_id"], data["label"])
    return {**{k: getattr(row, k) for k in RegisterTokenOut().fields if k != "token"}, "token": token}


@admin_bp.delete("/tokens/<int:token_id>")
@company_access(write=True)
@admin_bp.response(204)
def revoke_token(cid, token_id):
    """Revoke a register token: the till's next report answers 401."""
    till_tokens.revoke(current_company(), current_user(), token_id)


@admin_bp.get("/codes")
@company_access(write=True)
@admin_bp.response(200, TillCodesSchema)
def get_codes(cid):
    """The table of correspondence: till codes → categories and payment methods."""
    return till_codes.wire(current_company().id)


@admin_bp.put("/codes")
@company_access(write=True)
@admin_bp.arguments(TillCodesSchema)
@admin_bp.response(200, TillCodesSchema)
def put_codes(data, cid):
    """Replace the table of correspondence (admins; audited)."""
    return till_codes.replace(current_company(), current_user(), data)


@admin_bp.get("/z-reports")
@company_access(write=True)
@admin_bp.response(200, ZReportOut(many=True))
def list_reports(cid):
    """The last Z reports received (by token or CSV), newest day first."""
    return [z_reports.report_wire(row) for row in z_reports.listing(current_company())]


@admin_bp.post("/z-reports/<int:rid>/<date>/unlock")
@company_access(write=True)
@admin_bp.response(200, ZReportOut)
def unlock(cid, rid, date):
    """Let people change the Z fields received from the till for this day (admins; recorded in the audit)."""
    try:
        on = dt.date.fromisoformat(date)
    except ValueError:
        raise ApiError(422, errors={"date": ["Date invalide (format AAAA-MM-JJ)."]}) from None
    return z_reports.report_wire(z_reports.unlock(current_company(), current_user(), rid, on))


@admin_bp.post("/imports/preview")
@company_access(write=True)
@admin_bp.arguments(ZImportIn)
@admin_bp.response(200, ZImportOut)
def preview_import(data, cid):
    """Read a CSV of Z reports: its columns, the mapping used and the first rows; nothing is saved."""
    return z_import.preview(data["csv"], data["mapping"])


@admin_bp.post("/imports")
@company_access(write=True)
@admin_bp.arguments(ZImportIn)
@admin_bp.response(200, ZImportOut)
def run_import(data, cid):
    """Import a CSV of Z reports: all or nothing (or `valid_only`), or a `dry_run`; errors by line."""
    return z_import.run(
        current_company(),
        current_user(),
        data["csv"],
        data["mapping"],
        register_id=data["register_id"],
        dry_run=data["dry_run"],
        valid_only=data["valid_only"],
    )
