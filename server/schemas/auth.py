"""Auth, identity, members and tokens wire objects."""

from marshmallow import Schema, fields, validate

from server.schemas.times import UtcDateTime

# Length and common passwords are checked by services.passwords.password_problems (422 naming `password`).
PASSWORD = validate.Length(min=1, max=200)


class LoginSchema(Schema):
    email = fields.Email(required=True)
    password = fields.String(required=True, validate=validate.Length(min=1, max=200))


class ActivateSchema(Schema):
    email = fields.Email(required=True)
    code = fields.String(required=True, validate=validate.Length(min=10, max=20))
    password = fields.String(required=True, validate=PASSWORD)


class UserSchema(Schema):
    id = fields.Integer()
    email = fields.String()
    name = fields.String()


class LoginAnswerSchema(Schema):
    user = fields.Nested(UserSchema)
    csrf_token = fields.String()


class FirmSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    phone = fields.String()
    email = fields.String()


class RegisterRefSchema(Schema):
    id = fields.Integer()
    name = fields.String()


class CompanyRefSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    role = fields.String()
    registers = fields.List(fields.Nested(RegisterRefSchema))


class MeSchema(Schema):
    user = fields.Nested(UserSchema)
    csrf_token = fields.String(allow_none=True)
    firm = fields.Nested(FirmSchema, allow_none=True)
    companies = fields.List(fields.Nested(CompanyRefSchema))


class MemberCreateSchema(Schema):
    email = fields.Email(required=True)
    name = fields.String(load_default="", validate=validate.Length(max=200))
    role = fields.String(required=True, validate=validate.OneOf(["admin", "cashier"]))


class MemberUpdateSchema(Schema):
    role = fields.String(required=True, validate=validate.OneOf(["admin", "cashier"]))


class MemberSchema(Schema):
    user = fields.Nested(UserSchema)
    role = fields.String()
    activated = fields.Boolean()
    activation_code = fields.String(allow_none=True)


class InvitationSchema(Schema):
    """A pending role offered to an existing account, as the company's admins see it (no name, no id)."""

    id = fields.Integer()
    email = fields.String()
    role = fields.String()
    status = fields.String()
    created_at = fields.DateTime()


class MemberAddedSchema(MemberSchema):
    """Adding an e-mail: a new account is a member with its activation code (`invitation` null); an existing
    account is sent an invitation (`user` and `activation_code` null), attached only when it accepts."""

    user = fields.Nested(UserSchema, allow_none=True)
    invitation = fields.Nested(InvitationSchema, allow_none=True)


class MyInvitationSchema(Schema):
    """An invitation as the invitee sees it."""

    id = fields.Integer()
    company = fields.Nested(lambda: CompanyNameSchema())
    role = fields.String()
    created_at = fields.DateTime()
    status = fields.String()


class CompanyNameSchema(Schema):
    id = fields.Integer()
    name = fields.String()


class TokenCreateSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))


class TokenSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    prefix = fields.String()
    created_at = UtcDateTime()
    last_used_at = UtcDateTime(allow_none=True)
    token = fields.String(allow_none=True)


class ResetCodeSchema(Schema):
    activation_code = fields.String(metadata={"description": "Shown once; the member sets a new password with it."})
