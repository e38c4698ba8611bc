"""Wire objects of sessions, the CSRF token and the password change."""

from marshmallow import Schema, fields, validate

from server.schemas.times import UtcDateTime


class CsrfSchema(Schema):
    csrf_token = fields.String(allow_none=True, metadata={"description": "null without a cookie session."})


class SessionSchema(Schema):
    id = fields.Integer()
    created_at = UtcDateTime()
    last_seen_at = UtcDateTime()
    expires_at = UtcDateTime()
    user_agent = fields.String()
    current = fields.Boolean()


class LogoutAllSchema(Schema):
    revoked = fields.Integer(metadata={"description": "Number of sessions ended."})


class PasswordChangeSchema(Schema):
    current_password = fields.String(required=True, validate=validate.Length(min=1, max=200))
    new_password = fields.String(required=True, validate=validate.Length(min=1, max=200))
