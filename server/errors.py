"""One error shape for the whole API: {"code", "message", "errors": {field: [messages]}}, in French."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, jsonify, request
from marshmallow import Schema, fields
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

DEFAULT_MESSAGES = {
    400: ("bad_request", "Requête invalide."),
    401: ("unauthorized", "Authentification requise."),
    403: ("forbidden", "Action non autorisée pour votre profil."),
    404: ("not_found", "Ressource introuvable."),
    405: ("method_not_allowed", "Méthode non autorisée."),
    409: ("conflict", "Conflit avec l'état actuel des données."),
    413: ("too_large", "Requête trop volumineuse."),
    415: ("unsupported_media_type", "Le corps de la requête doit être du JSON."),
    422: ("validation_error", "Certaines données sont invalides."),
    429: ("too_many_requests", "Trop de tentatives, réessayez plus tard."),
    503: ("unavailable", "Service momentanément indisponible, réessayez."),
}

# marshmallow / webargs speak English; the API speaks French.
FRENCH = {
    "Missing data for required field.": "Champ obligatoire.",
    "Unknown field.": "Champ inconnu.",
    "Field may not be null.": "Ce champ ne peut pas être vide.",
    "Not a valid integer.": "Nombre entier invalide.",
    "Not a valid string.": "Texte invalide.",
    "Not a valid boolean.": "Booléen invalide.",
    "Not a valid date.": "Date invalide (format AAAA-MM-JJ).",
    "Not a valid datetime.": "Date et heure invalides.",
    "Not a valid number.": "Nombre invalide.",
    "Not a valid email address.": "Adresse e-mail invalide.",
    "Not a valid UUID.": "Identifiant UUID invalide.",
    "Not a valid list.": "Liste invalide.",
    "Not a valid mapping type.": "Objet invalide.",
    "Invalid input type.": "Type de données invalide.",
    "Invalid value.": "Valeur invalide.",
    "Invalid JSON body.": "Le corps de la requête n'est pas un JSON valide.",
    "Shorter than minimum length 1.": "Ce champ ne peut pas être vide.",
}


class ErrorSchema(Schema):
    """The error answer, for the OpenAPI document (flask-smorest's default says `code` is an integer)."""

    code = fields.String(required=True, metadata={"description": "Machine code, e.g. validation_error."})
    message = fields.String(required=True, metadata={"description": "French message for people."})
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()),
                         metadata={"description": "Field path -> French messages."})
    server_value = fields.Raw(allow_none=True, metadata={"description": "Conflicts: the server's value."})
    findings = fields.List(fields.Dict(), metadata={"description": "A refused close: the blocking findings."})


class ApiError(Exception):
    """An error answered as JSON; raise it from services and views."""

    def __init__(
        self,
        status: int,
        message: str | None = None,
        errors: dict[str, list[str]] | None = None,
        code: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        default_code, default_message = DEFAULT_MESSAGES.get(status, ("error", "Erreur."))
        super().__init__(message or default_message)
        self.status = status
        self.code = code or default_code
        self.message = message or default_message
        self.errors = errors or {}
        self.extra = extra or {}


def validation_error(field: str, message: str) -> ApiError:
    return ApiError(422, errors={field: [message]})


def translate(message: str) -> str:
    if message in FRENCH:
        return FRENCH[message]
    if message.startswith("Must be one of"):
        return "Valeur non autorisée (" + message.split(":", 1)[-1].strip().rstrip(".") + ")."
    if message.startswith("Must be greater than or equal to"):
        return "Doit être supérieur ou égal à " + message.rsplit(" ", 1)[-1].rstrip(".") + "."
    if message.startswith("Must be less than or equal to"):
        return "Doit être inférieur ou égal à " + message.rsplit(" ", 1)[-1].rstrip(".") + "."
    if message.startswith("Must be greater than or equal to") or message.startswith("Length must be"):
        return "Longueur invalide."
    if message.startswith("Longer than maximum length"):
        return "Texte trop long (maximum " + message.rsplit(" ", 1)[-1].rstrip(".") + " caractères)."
    if message.startswith("Must be greater than"):
        return "Doit être strictement supérieur à " + message.rsplit(" ", 1)[-1].rstrip(".") + "."
    return message


def flatten(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """{'sales': {0: {'amount': [m]}}} -> {'sales.0.amount': [m (fr)]}."""
    out: dict[str, list[str]] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if name == "_schema":
                name = prefix or "_schema"
            for field, msgs in flatten(value, name).items():
                out.setdefault(field, []).extend(msgs)
    elif isinstance(messages, list | tuple):
        if all(isinstance(m, str) for m in messages):
            out[prefix or "_schema"] = [translate(m) for m in messages]
        else:
            for i, value in enumerate(messages):
                out.update(flatten(value, f"{prefix}.{i}" if prefix else str(i)))
    else:
        out[prefix or "_schema"] = [translate(str(messages))]
    return out


def error_response(err: ApiError):
    body: dict[str, Any] = {"code": err.code, "message": err.message, "errors": err.errors}
    body.update(err.extra)
    return jsonify(body), err.status


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(ApiError, error_response)

    import sync

    @app.errorhandler(sync.TemporaryFailure)
    def handle_temporary(exc: sync.TemporaryFailure):
        """The database failed during a unit of work (rolled back, nothing saved): try again later."""
        return error_response(ApiError(503, str(exc) or None, code="temporary_failure"))

    @app.errorhandler(HTTPException)
    def handle_http(exc: HTTPException):
        status = exc.code or 500
        errors: dict[str, list[str]] = {}
        data = getattr(exc, "data", None) or {}
        if "messages" in data:  # webargs (flask-smorest) validation failure
            for location_messages in data["messages"].values():
                errors.update(flatten(location_messages))
        if status == 404 and not request.path.startswith("/api"):
            return exc
        err = ApiError(status, errors=errors)
        bad_json = FRENCH["Invalid JSON body."]
        if status == 400 and (exc.description and "JSON" in exc.description or bad_json in errors.get("_schema", [])):
            err.message = bad_json
        response, status = error_response(err)
        if status == 405:
            from server.security import allowed_methods

            response.headers["Allow"] = ", ".join(allowed_methods())
        return response, status

    @app.errorhandler(Exception)
    def handle_unexpected(exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(ApiError(500, "Erreur interne du serveur.", code="internal_error"))
