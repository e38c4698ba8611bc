"""Web Push for the caller: the VAPID public key, this device's subscription, the caller's preferences."""

from __future__ import annotations

import base64
import binascii
import ipaddress
from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec
from flask import current_app
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields, validate, validates, validates_schema

from server.auth import current_user
from server.errors import ApiError
from server.extensions import db
from server.models import PushPreference, PushSubscription
from server.models.base import utcnow
from server.services import alerts, webpush
from server.services.access import visible_companies

bp = Blueprint("push", __name__, url_prefix="/api/push", description="Notifications push")
MAX_SUBSCRIPTIONS = 20
HHMM = validate.Regexp(r"^([01][0-9]|2[0-3]):[0-5][0-9]$", error="Heure invalide (format HH:MM).")


def b64url_bytes(value: str) -> bytes:
    if not isinstance(value, str) or not value.isascii():
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


class KeysSchema(Schema):
    p256dh = fields.String(required=True, validate=validate.Length(max=200))
    auth = fields.String(required=True, validate=validate.Length(max=100))

    @validates("p256dh")
    def _p256dh(self, value: str, **_: Any) -> None:
        try:
            raw = b64url_bytes(value)
            ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
        except (ValueError, binascii.Error):
            raise ValidationError("Clé p256dh invalide : point P-256 non compressé en base64url.") from None
        if len(raw) != 65:
            raise ValidationError("Clé p256dh invalide : point P-256 non compressé en base64url.")

    @validates("auth")
    def _auth(self, value: str, **_: Any) -> None:
        try:
            ok = len(b64url_bytes(value)) == 16
        except (ValueError, binascii.Error):
            ok = False
        if not ok:
            raise ValidationError("Secret auth invalide : 16 octets en base64url.")


class SubscriptionIn(Schema):
    """A browser's PushSubscription.toJSON()."""

    endpoint = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    keys = fields.Nested(KeysSchema, required=True)
    expirationTime = fields.Raw(allow_none=True, metadata={"description": "Ignored."})  # noqa: N815
    user_agent = fields.String(validate=validate.Length(max=300))

    @validates("endpoint")
    def _endpoint(self, value: str, **_: Any) -> None:
        check_endpoint(value)


def check_endpoint(value: str) -> None:
    """https to a public host; http://127.0.0.1 only where PUSH_ALLOW_LOOPBACK is on (tests, local receiver)."""
    try:
        parts = urlsplit(value)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise ValidationError("Adresse du service push invalide.") from None
    loopback_ok = bool(current_app.config.get("PUSH_ALLOW_LOOPBACK"))
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        ip = None
    if loopback_ok and ip is not None and ip.is_loopback and parts.scheme in ("http", "https"):
        return
    if parts.scheme != "https" or not host or host == "localhost" or (ip is not None and not ip.is_global):
        raise ValidationError("Adresse du service push invalide : https vers un service public attendu.")


class EndpointIn(Schema):
    endpoint = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class SubscriptionOut(Schema):
    id = fields.Integer()
    endpoint = fields.String()
    created_at = fields.DateTime()
    last_success_at = fields.DateTime(allow_none=True)


class PublicKeyOut(Schema):
    public_key = fields.String(metadata={"description": "VAPID application server key, base64url."})


class PreferencesSchema(Schema):
    kinds = fields.List(fields.String(validate=validate.OneOf(alerts.KINDS)), allow_none=True,
                        validate=validate.Length(max=len(alerts.KINDS)),
                        metadata={"description": "Kinds to push; null = all."})
    company_ids = fields.List(fields.Integer(validate=validate.Range(1, 2**31 - 1)), allow_none=True,
                              validate=validate.Length(max=1000), metadata={"description": "null = all."})
    quiet_start = fields.String(allow_none=True, validate=HHMM)
    quiet_end = fields.String(allow_none=True, validate=HHMM)

    @validates_schema
    def _quiet(self, data: dict[str, Any], **_: Any) -> None:
        if bool(data.get("quiet_start")) != bool(data.get("quiet_end")):
            raise ValidationError("Indiquez le début et la fin des heures calmes.", "quiet_end")


@bp.get("/vapid-public-key")
@bp.response(200, PublicKeyOut)
def vapid_public_key():
    """The key the browser passes to pushManager.subscribe (applicationServerKey)."""
    return {"public_key": webpush.public_key(current_app._get_current_object())}  # type: ignore[attr-defined]


@bp.get("/subscriptions")
@bp.response(200, SubscriptionOut(many=True))
def list_subscriptions():
    """My subscribed devices."""
    return db.session.execute(db.select(PushSubscription).where(PushSubscription.user_id == current_user().id)
                              .order_by(PushSubscription.id)).scalars()


@bp.post("/subscriptions")
@bp.arguments(SubscriptionIn)
@bp.response(201, SubscriptionOut)
def subscribe(data):
    """Subscribe this device (the same endpoint again updates its keys and moves it to the caller)."""
    user = current_user()
    row = db.session.execute(db.select(PushSubscription).where(
        PushSubscription.endpoint == data["endpoint"])).scalar_one_or_none()
    status = 200 if row is not None else 201
    if row is None:
        mine = db.session.execute(db.select(db.func.count(PushSubscription.id)).where(
            PushSubscription.user_id == user.id)).scalar_one()
        if mine >= MAX_SUBSCRIPTIONS:
            raise ApiError(422, errors={"endpoint": [f"{MAX_SUBSCRIPTIONS} appareils au maximum."]})
        row = PushSubscription(endpoint=data["endpoint"], created_at=utcnow())
        db.session.add(row)
    row.user_id, row.p256dh, row.auth = user.id, data["keys"]["p256dh"], data["keys"]["auth"]
    row.user_agent = data.get("user_agent", "")[:300]
    db.session.commit()
    return row, status


@bp.delete("/subscriptions")
@bp.arguments(EndpointIn)
@bp.response(204)
def unsubscribe(data):
    """Unsubscribe this device; another user's subscription is not found (404)."""
    row = db.session.execute(db.select(PushSubscription).where(
        PushSubscription.endpoint == data["endpoint"])).scalar_one_or_none()
    if row is None or row.user_id != current_user().id:
        raise ApiError(404, "Abonnement introuvable.")
    db.session.delete(row)
    db.session.commit()


def preferences_view(pref: PushPreference | None) -> dict[str, Any]:
    if pref is None:
        return {"kinds": None, "company_ids": None, "quiet_start": None, "quiet_end": None}
    return {"kinds": pref.kinds, "company_ids": pref.company_ids, "quiet_start": pref.quiet_start,
            "quiet_end": pref.quiet_end}


@bp.get("/preferences")
@bp.response(200, PreferencesSchema)
def get_preferences():
    """What I want pushed: kinds, companies (null = all), quiet hours (shop-local HH:MM)."""
    return preferences_view(db.session.get(PushPreference, current_user().id))


@bp.put("/preferences")
@bp.arguments(PreferencesSchema)
@bp.response(200, PreferencesSchema)
def put_preferences(data):
    """Replace my preferences; companies must be mine (422 naming `company_ids.N`)."""
    user = current_user()
    mine = {c.id for c, _ in visible_companies(user)}
    bad = {f"company_ids.{i}": ["Société introuvable."] for i, cid in enumerate(data.get("company_ids") or [])
           if cid not in mine}
    if bad:
        raise ApiError(422, errors=bad)
    pref = db.session.get(PushPreference, user.id) or PushPreference(user_id=user.id)
    db.session.add(pref)
    kinds = data.get("kinds")
    pref.kinds = None if kinds is None else sorted(set(kinds))
    ids = data.get("company_ids")
    pref.company_ids = None if ids is None else sorted(set(ids))
    pref.quiet_start, pref.quiet_end = data.get("quiet_start") or None, data.get("quiet_end") or None
    pref.updated_at = utcnow()
    db.session.commit()
    return preferences_view(pref)
