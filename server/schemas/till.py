"""Till link wire objects (issue 15): register tokens, the code mapping, Z reports, CSV imports.

Shapes only: the values of a Z report (money, Z number, number of sales, the date) are judged by
`domain.validation` in services.z_reports, as a cashier's entry is."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import Schema, fields, validate

from server.schemas.day import COUNT_DOC, MONEY_DOC
from server.schemas.times import UtcDateTime

CODE_DOC = {
    "type": "string",
    "maxLength": 40,
    "description": "Code de la caisse enregistreuse (table de correspondance de la société).",
}
Z_EXAMPLE = {
    "date": "2025-03-14",
    "z_number": "0412",
    "sales_count": 150,
    "sales": [
        {"code": "PAIN", "amount": "633.00"},
        {"code": "SNACK", "amount": "220.00"},
        {"code": "EPIC", "amount": "120.00"},
    ],
    "payments": [
        {"code": "ESP", "amount": "400.00"},
        {"code": "CB", "amount": "503.00"},
        {"code": "CHQ", "amount": "70.00"},
    ],
    "vat": [
        {"rate_bp": 550, "ht": "600.00", "vat": "33.00"},
        {"rate_bp": 1000, "ht": "200.00", "vat": "20.00"},
        {"rate_bp": 2000, "ht": "100.00", "vat": "20.00"},
    ],
}

RECEIPT_EXAMPLE = {
    "status": "applied",
    "report": {
        "id": 7,
        "register_id": 1,
        "date": "2025-03-14",
        "z_number": "0412",
        "origin": "api",
        "received_at": "2025-03-14T19:02:11Z",
        "locked": True,
        "payload": Z_EXAMPLE,
    },
    "day": {"id": "5b1f0c2e-8f4a-4a44-9d0b-0c3f7f0a9e11", "date": "2025-03-14", "status": "open", "revision": 1},
}
DUPLICATE_EXAMPLE = {**RECEIPT_EXAMPLE, "status": "duplicate"}
CONFLICT_EXAMPLE = {
    "code": "z_report_conflict",
    "message": "Un autre ticket Z est déjà enregistré pour cette caisse et cette date.",
    "errors": {},
    "server_value": {**Z_EXAMPLE, "sales_count": 150},
    "submitted": {**Z_EXAMPLE, "sales_count": 151},
}
UNKNOWN_EXAMPLE = {
    "code": "unknown_codes",
    "message": "Codes de caisse inconnus.",
    "errors": {"sales": ["Codes inconnus de la table de correspondance : GLACE."]},
    "unknown_codes": {"sales": ["GLACE"]},
}


def _raw(doc: Mapping[str, Any], **kw: Any) -> fields.Raw:
    return fields.Raw(allow_none=True, metadata=dict(doc), **kw)


class ZLineIn(Schema):
    code = _raw(CODE_DOC, required=True)
    amount = _raw(MONEY_DOC, required=True)


class VatLineIn(Schema):
    rate_bp = _raw({"type": "integer", "minimum": 0, "maximum": 10000, "description": "550 = 5,5 %"}, required=True)
    ht = _raw(MONEY_DOC, required=True)
    vat = _raw(MONEY_DOC, required=True)


class ZReportIn(Schema):
    """A till's Z report: sales per category code, payments per method code; VAT totals optional."""

    date = _raw({"type": "string", "format": "date", "description": "Date de la journée (AAAA-MM-JJ)."}, required=True)
    z_number = _raw({"type": "string", "minLength": 1, "maxLength": 40}, required=True)
    sales_count = _raw(COUNT_DOC, required=True)
    sales = fields.List(fields.Nested(ZLineIn), required=True)
    payments = fields.List(fields.Nested(ZLineIn), required=True)
    vat = fields.List(fields.Nested(VatLineIn))


class ZReportOut(Schema):
    id = fields.Integer()
    register_id = fields.Integer()
    date = fields.String()
    z_number = fields.String()
    origin = fields.String(metadata={"description": "api (jeton de caisse) ou csv (import)"})
    received_at = UtcDateTime()
    locked = fields.Boolean(metadata={"description": "Champs du Z en lecture seule dans l'application."})
    payload = fields.Dict()


class ZDayOut(Schema):
    id = fields.String(allow_none=True)
    date = fields.String()
    status = fields.String()
    revision = fields.Integer()


class ZReceiptOut(Schema):
    status = fields.String(metadata={"description": "applied, ou duplicate (le même ticket déjà reçu)"})
    report = fields.Nested(ZReportOut)
    day = fields.Nested(ZDayOut)


class RegisterTokenIn(Schema):
    register_id = fields.Integer(required=True, strict=True)
    label = fields.String(required=True, validate=validate.Length(min=1, max=100))


class RegisterTokenOut(Schema):
    id = fields.Integer()
    register_id = fields.Integer()
    label = fields.String()
    scope = fields.String()
    prefix = fields.String()
    created_by_id = fields.Integer(allow_none=True)
    created_at = UtcDateTime()
    last_used_at = UtcDateTime(allow_none=True)
    revoked_at = UtcDateTime(allow_none=True)
    token = fields.String(metadata={"description": "La valeur du jeton, montrée une seule fois (création)."})


class CategoryCodeIn(Schema):
    code = _raw(CODE_DOC, required=True)
    category_id = fields.Integer(required=True, strict=True)


class MethodCodeIn(Schema):
    code = _raw(CODE_DOC, required=True)
    method_id = fields.Integer(required=True, strict=True)


class TillCodesSchema(Schema):
    """The table of correspondence: till codes → the company's categories and payment methods."""

    sales = fields.List(fields.Nested(CategoryCodeIn), required=True)
    payments = fields.List(fields.Nested(MethodCodeIn), required=True)


class ZImportIn(Schema):
    """A CSV of Z reports (text), its column mapping (CSV header → field), and what to do."""

    csv = fields.String(required=True, validate=validate.Length(min=1))
    mapping = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        load_default=dict,
        metadata={"description": "En-tête CSV → register, date, z_number, sales_count, sales:CODE ou payments:CODE."},
    )
    register_id = fields.Integer(
        strict=True,
        allow_none=True,
        load_default=None,
        metadata={"description": "La caisse des lignes sans colonne « register »."},
    )
    dry_run = fields.Boolean(load_default=False)
    valid_only = fields.Boolean(load_default=False)


class ZImportRowOut(Schema):
    line = fields.Integer()
    register_id = fields.Integer(allow_none=True)
    date = fields.String(allow_none=True)
    z_number = fields.String(allow_none=True)
    status = fields.String(metadata={"description": "applied, duplicate, valid (essai), error, skipped"})
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))
    report = fields.Dict()


class ZImportOut(Schema):
    columns = fields.List(fields.String())
    mapping = fields.Dict(keys=fields.String(), values=fields.String())
    ignored = fields.List(
        fields.String(),
        metadata={"description": "Colonnes non vides qu'aucune correspondance n'utilise (colonnes ignorées)."},
    )
    rows = fields.List(fields.Nested(ZImportRowOut))
    valid = fields.Integer()
    invalid = fields.Integer()
    saved = fields.Boolean()
    dry_run = fields.Boolean()
