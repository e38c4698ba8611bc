"""Web Push with pywebpush: VAPID keys, the outbox rows of an alert, the French payload, one HTTP delivery.

- VAPID keys are made once into `instance/vapid_private.pem` (0600); the public key (uncompressed P-256 point,
  base64url) is what browsers need for `pushManager.subscribe`.
- `enqueue_for_alert` writes one `PushNotification` per recipient in the caller's transaction (the outbox);
  the unique (alert, user) constraint makes « at most one push per alert and user » a database fact.
- `deliver` sends one message with a TTL (pywebpush defaults to 0: an offline phone would never get it) and
  sorts the answer: delivered, gone (404/410: delete the subscription), retry (timeouts, 429, 5xx), failed.
"""

from __future__ import annotations

import base64
import contextlib
import json
import logging
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from flask import Flask, current_app
from py_vapid import Vapid02
from pywebpush import WebPushException, webpush

from server.extensions import db
from server.models import Alert, Company, Membership, PushNotification, PushPreference, PushSubscription, User
from server.services.alerts import alert_title, alert_url

log = logging.getLogger(__name__)
KEY_FILE = "vapid_private.pem"


# -- VAPID -------------------------------------------------------------------------------------------
def key_path(app: Flask) -> Path:
    return Path(app.config.get("VAPID_PRIVATE_KEY_FILE") or Path(app.instance_path) / KEY_FILE)


def ensure_vapid_keys(app: Flask) -> tuple[Path, bool]:
    """Create the VAPID key pair once; returns (path, created). Never overwrites an existing key."""
    path = key_path(app)
    if path.exists():
        return path, False
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    # Written whole under a name of its own, then published with link(), which fails if the key exists: two
    # workers starting together keep the first key, and neither ever reads a key still being written (with
    # O_EXCL on the final name, the loser could read the winner's empty file: « ASN.1 … short data »).
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(pem)
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            return path, False
        except OSError:  # a file system without hard links: an atomic rename, unless a key appeared meanwhile
            if path.exists():
                return path, False
            os.replace(tmp, path)
        return path, True
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def public_key(app: Flask) -> str:
    path, _ = ensure_vapid_keys(app)
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    raw = key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return b64url(raw)


def vapid(app: Flask) -> Vapid02:
    path, _ = ensure_vapid_keys(app)
    return Vapid02.from_file(str(path))


# -- outbox ------------------------------------------------------------------------------------------
def company_members(company: Company) -> list[int]:
    """Users with a role in the company: its admins and cashiers, and the firm's administrators."""
    query = db.select(Membership.user_id).join(User, User.id == Membership.user_id).where(
        User.is_active.is_(True),
        (Membership.company_id == company.id)
        | ((Membership.firm_id == company.firm_id) & (Membership.role == "firm_admin")))
    return sorted(set(db.session.execute(query).scalars()))


def wants(pref: PushPreference | None, company_id: int, kind: str) -> bool:
    if pref is None:
        return True
    return (pref.kinds is None or kind in pref.kinds) and (pref.company_ids is None or company_id in pref.company_ids)


def enqueue_for_alert(company: Company, alert: Alert, now: datetime) -> int:
    """Queue one notification per member with a subscription whose preferences want it (no commit)."""
    members = company_members(company)
    if not members:
        return 0
    subscribed = set(db.session.execute(db.select(PushSubscription.user_id).where(
        PushSubscription.user_id.in_(members))).scalars())
    prefs = {p.user_id: p for p in db.session.execute(db.select(PushPreference).where(
        PushPreference.user_id.in_(subscribed))).scalars()}
    delay = timedelta(seconds=int(current_app.config["PUSH_DELAY_SECONDS"]))
    count = 0
    for user_id in sorted(subscribed):
        if wants(prefs.get(user_id), company.id, alert.kind):
            db.session.add(PushNotification(alert_id=alert.id, user_id=user_id, status="pending", attempts=0,
                                            next_attempt_at=now + delay, delivered_to=[], created_at=now))
            count += 1
    return count


def payload(alert: Alert) -> dict[str, Any]:
    """What the service worker shows: French title and body, the day to open on click."""
    return {"title": alert_title(alert), "body": alert.message, "url": alert_url(alert), "tag": f"alerte-{alert.id}",
            "alert_id": alert.id, "company_id": alert.company_id, "kind": alert.kind, "severity": alert.severity}


# -- one delivery ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Outcome:
    result: str  # delivered | gone | retry | failed
    detail: str = ""


def subscription_info(sub: PushSubscription) -> dict[str, Any]:
    return {"endpoint": sub.endpoint, "keys": {"p256dh": sub.p256dh, "auth": sub.auth}}


def deliver(info: dict[str, Any], body: str, key: Vapid02, subject: str, ttl: int, timeout: float,
            urgency: str = "normal") -> Outcome:
    """Send one encrypted message (no database access: runs in the sender's worker threads)."""
    try:
        response = webpush(info, data=body, vapid_private_key=key, vapid_claims={"sub": subject}, ttl=ttl,
                           timeout=timeout, headers={"Urgency": urgency})
    except WebPushException as exc:
        status = getattr(exc.response, "status_code", None)
        if status in (404, 410):
            return Outcome("gone", f"HTTP {status}")
        if status is None or status == 429 or status >= 500:
            return Outcome("retry", f"HTTP {status}")
        return Outcome("failed", f"HTTP {status}")
    except (requests.RequestException, OSError) as exc:
        return Outcome("retry", exc.__class__.__name__)
    except Exception as exc:  # noqa: BLE001 - a malformed subscription must not stop the sender
        log.warning("push: cannot send to %s: %s", info.get("endpoint", "")[:60], exc)
        return Outcome("failed", exc.__class__.__name__)
    return Outcome("delivered", f"HTTP {getattr(response, 'status_code', '')}")


def encode(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
