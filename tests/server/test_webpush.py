"""Web Push end to end against a push service on loopback (tests/server/push_receiver.py): VAPID JWT checked
(aud, exp, sub, ES256 signature), aes128gcm body decrypted with the subscription's private key, French payload,
TTL; 410 deletes the subscription; a receiver that times out delays only its own message, retried later.
Also: subscription validation, preferences, quiet hours, outbox uniqueness, two senders sharing the outbox."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.exc import IntegrityError

from server.extensions import db
from server.models import Alert, PushNotification, PushSubscription, Register, User
from server.models.base import utcnow
from server.services import alerts_queue, push_sender
from tests.server.push_receiver import Device, Receiver, verify_vapid

D1 = "2026-03-10"
SUBJECT = "mailto:alertes@cabinet-demo.test"


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def push_app(app: Any) -> Any:
    app.config.update(PUSH_ALLOW_LOOPBACK=True, VAPID_SUBJECT=SUBJECT, PUSH_DELAY_SECONDS=0, ALERT_SETTLE_SECONDS=0,
                      PUSH_TIMEOUT_SECONDS=1.5,
                      PUSH_RETRY_BASE_SECONDS=30)
    return app


@pytest.fixture
def reg(push_app: Any, demo: dict[str, Any]) -> dict[str, Any]:
    with push_app.app_context():
        register = Register(company_id=demo["bakery"], name="Foire", position=9, max_threshold_cents=30000)
        db.session.add(register)
        db.session.commit()
        rid = register.id
    return {"id": rid, "url": f"/api/companies/{demo['bakery']}/registers/{rid}/days/{D1}",
            "cat": demo["bakery_categories"][0], "cash": demo["bakery_methods"]["cash"]}


def mismatch(client: Any, reg: dict[str, Any], sales: str = "100.00", cash: str = "80.00") -> None:
    r = client.put(reg["url"], json={"base_revision": client.get(reg["url"]).json["revision"],
                                     "sales": [{"category_id": reg["cat"], "amount": sales}],
                                     "payments": [{"method_id": reg["cash"], "amount": cash}]})
    assert r.status_code == 200, r.json


def subscribe(client: Any, device: Device, receiver: Receiver) -> dict[str, Any]:
    """Subscribe the device; its user wants the day's findings only (D1 is past: « left open » stays quiet)."""
    r = client.post("/api/push/subscriptions", json=device.subscription(receiver.base))
    assert r.status_code == 201, r.json
    assert client.put("/api/push/preferences", json={"kinds": ["breakdown_mismatch", "above_max"]}).status_code == 200
    return r.json


def evaluate(app: Any) -> int:
    """What the worker does before delivering: evaluate the days written since (services.alerts_queue)."""
    with app.app_context():
        return alerts_queue.drain()


def notifications(app: Any) -> list[PushNotification]:
    with app.app_context():
        rows = db.session.execute(db.select(PushNotification).order_by(PushNotification.id)).scalars().all()
        db.session.expunge_all()
        return list(rows)


def test_end_to_end_vapid_encryption_payload_and_ttl(push_app, auth, reg, receiver):
    gerant = auth("gerant@demo.test")
    device = Device("/push/gerant")
    subscribe(gerant, device, receiver)
    mismatch(gerant, reg)
    assert notifications(push_app) == []  # the write only queued its day: the evaluation is the worker's
    assert evaluate(push_app) == 1
    rows = notifications(push_app)
    assert [(n.status, n.attempts) for n in rows] == [("pending", 0)]  # written with the alert, nothing sent yet
    assert receiver.received == []
    with push_app.app_context():
        tally = push_sender.drain(push_app)
    assert tally.delivered == 1 and tally.failed == 0
    [message] = receiver.to("/push/gerant")
    assert message.headers["ttl"] == "86400"
    assert message.headers["content-encoding"] == "aes128gcm"
    claims, key = verify_vapid(message.headers["authorization"])
    assert claims["aud"] == receiver.base and claims["sub"] == SUBJECT
    assert time.time() < claims["exp"] <= time.time() + 24 * 3600
    assert key == gerant.get("/api/push/vapid-public-key").json["public_key"]
    data = device.decrypt(message.body)
    assert data["title"] == "Ventilation déséquilibrée · Foire · 10/03/2026"
    assert data["body"] == "Ventilation déséquilibrée : 100,00\u00a0€ de ventes pour 80,00\u00a0€ de paiements " \
                           "(écart 20,00\u00a0€)."
    assert data["url"] == f"/#/day/{reg['id']}/{D1}" and data["kind"] == "breakdown_mismatch"
    assert [n.status for n in notifications(push_app)] == ["sent"]
    mismatch(gerant, reg, cash="70.00")  # the same alert again: no second push
    with push_app.app_context():
        assert push_sender.drain(push_app).claimed == 0
    assert len(receiver.received) == 1


def test_a_410_deletes_the_subscription(push_app, auth, reg, receiver):
    gerant = auth("gerant@demo.test")
    receiver.behaviour["/push/gone"] = 410
    subscribe(gerant, Device("/push/gone"), receiver)
    mismatch(gerant, reg)
    with push_app.app_context():
        tally = push_sender.drain(push_app)
        assert tally.gone == 1 and tally.failed == 1
        assert db.session.execute(db.select(PushSubscription)).scalars().all() == []
    assert len(receiver.to("/push/gone")) == 1
    assert [n.status for n in notifications(push_app)] == ["failed"]


def test_a_receiver_that_times_out_delays_only_its_own_message(push_app, auth, reg, receiver):
    slow, fast = Device("/push/slow"), Device("/push/fast")
    receiver.behaviour["/push/slow"] = ("sleep", 4)
    subscribe(auth("gerant@demo.test"), slow, receiver)
    subscribe(auth("cabinet@demo.test"), fast, receiver)
    mismatch(auth("gerant@demo.test"), reg)
    evaluate(push_app)  # the alert and its two messages exist: what is timed below is their delivery
    started = time.monotonic()
    with push_app.app_context():
        tally = push_sender.run_once(push_app)
    assert tally.delivered == 1 and tally.retried == 1
    assert receiver.to("/push/fast")[0].at - started < 1.0  # not behind the slow one
    rows = {n.user_id: n for n in notifications(push_app)}
    with push_app.app_context():
        gerant_id = db.session.execute(db.select(User.id).where(User.email == "gerant@demo.test")).scalar()
    late = rows.pop(gerant_id)
    assert late.status == "pending" and late.attempts == 1 and late.next_attempt_at > utcnow() + timedelta(seconds=20)
    assert "Timeout" in late.last_error
    assert [n.status for n in rows.values()] == ["sent"]
    receiver.behaviour["/push/slow"] = 201
    with push_app.app_context():
        assert push_sender.run_once(push_app).claimed == 0  # not due yet: backoff
        db.session.get(PushNotification, late.id).next_attempt_at = utcnow()
        db.session.commit()
        assert push_sender.run_once(push_app).delivered == 1
    assert slow.decrypt(receiver.to("/push/slow")[-1].body)["kind"] == "breakdown_mismatch"
    assert len(receiver.to("/push/fast")) == 1


def test_closed_before_sending_is_dropped_and_quiet_hours_postpone(push_app, auth, reg, receiver):
    gerant = auth("gerant@demo.test")
    subscribe(gerant, Device("/push/a"), receiver)
    mismatch(gerant, reg)
    evaluate(push_app)  # the alert opens and its message waits
    mismatch(gerant, reg, cash="100.00")  # fixed before the sender ran
    with push_app.app_context():
        assert push_sender.drain(push_app).dropped == 1
        from server.services.clock import shop_now

        local = shop_now()
    quiet = {"quiet_start": (local - timedelta(hours=1)).strftime("%H:%M"),
             "quiet_end": (local + timedelta(hours=1)).strftime("%H:%M")}
    assert gerant.put("/api/push/preferences", json={"kinds": ["breakdown_mismatch"], **quiet}).status_code == 200
    assert receiver.received == []
    gerant.put(reg["url"].replace(D1, "2026-03-11"), json={"base_revision": 0, "sales": [
        {"category_id": reg["cat"], "amount": "5.00"}]})
    with push_app.app_context():
        tally = push_sender.drain(push_app)
    assert tally.postponed >= 1 and receiver.received == []
    rows = notifications(push_app)
    assert [n.status for n in rows] == ["dropped", "pending"]
    assert timedelta(minutes=55) < rows[1].next_attempt_at - utcnow() < timedelta(minutes=61)  # the end of quiet


def test_preferences_filter_what_is_queued(push_app, auth, demo, reg, receiver):
    gerant = auth("gerant@demo.test")
    subscribe(gerant, Device("/push/a"), receiver)
    r = gerant.put("/api/push/preferences", json={"kinds": ["above_max"], "company_ids": [demo["bakery"]],
                                                  "quiet_start": None, "quiet_end": None})
    assert r.status_code == 200 and r.json["kinds"] == ["above_max"]
    mismatch(gerant, reg)
    assert notifications(push_app) == []
    for body, field in [({"kinds": ["tout"]}, "kinds.0"), ({"company_ids": [demo["cafe"]]}, "company_ids.0"),
                        ({"quiet_start": "22:00"}, "quiet_end"), ({"quiet_start": "25:00", "quiet_end": "06:00"},
                                                                  "quiet_start"),
                        ({"company_ids": [2**70]}, "company_ids.0")]:
        r = gerant.put("/api/push/preferences", json=body)
        assert r.status_code == 422 and field in r.json["errors"], (body, r.json)
    assert gerant.get("/api/push/preferences").json["kinds"] == ["above_max"]


def test_subscription_validation_and_ownership(push_app, auth, receiver):
    gerant, cashier = auth("gerant@demo.test"), auth("caisse@demo.test")
    good = Device("/push/x").subscription(receiver.base)
    cases = [({**good, "endpoint": "http://10.0.0.1/push"}, "endpoint"),
             ({**good, "endpoint": "ftp://push.example/x"}, "endpoint"),
             ({k: v for k, v in good.items() if k != "keys"}, "keys"),
             ({**good, "keys": {**good["keys"], "p256dh": "AAAA"}}, "keys.p256dh"),
             ({**good, "keys": {**good["keys"], "p256dh": "\ud800"}}, "keys.p256dh"),
             ({**good, "keys": {**good["keys"], "auth": "short"}}, "keys.auth"),
             ({**good, "endpoint": 1e999}, "endpoint")]
    for body, field in cases:
        r = gerant.post("/api/push/subscriptions", json=body)
        assert r.status_code == 422 and field in r.json["errors"], (field, r.json)
    assert gerant.post("/api/push/subscriptions", json=good).status_code == 201
    r = cashier.open("DELETE", "/api/push/subscriptions", json={"endpoint": good["endpoint"]})
    assert r.status_code == 404
    assert [s["endpoint"] for s in gerant.get("/api/push/subscriptions").json] == [good["endpoint"]]
    assert gerant.open("DELETE", "/api/push/subscriptions", json={"endpoint": good["endpoint"]}).status_code == 204
    assert gerant.get("/api/push/subscriptions").json == []
    push_app.config["PUSH_ALLOW_LOOPBACK"] = False
    r = gerant.post("/api/push/subscriptions", json=good)
    assert r.status_code == 422 and "endpoint" in r.json["errors"]


def test_at_most_one_notification_per_alert_and_user(push_app, auth, reg, receiver):
    gerant = auth("gerant@demo.test")
    subscribe(gerant, Device("/push/a"), receiver)
    mismatch(gerant, reg)
    evaluate(push_app)
    [row] = notifications(push_app)
    with push_app.app_context():
        db.session.add(PushNotification(alert_id=row.alert_id, user_id=row.user_id))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_two_senders_share_the_outbox_and_send_each_once(push_app, auth, demo, reg, receiver):
    devices = {"gerant@demo.test": Device("/push/g"), "cabinet@demo.test": Device("/push/c")}
    for email, device in devices.items():
        subscribe(auth(email), device, receiver)
    with push_app.app_context():
        from server.models import Company
        from server.services.alerts import Condition, _raise

        company = db.session.get(Company, demo["bakery"])
        for n in range(15):
            _raise(company, reg["id"], None, Condition("above_max", "warning", f"Alerte {n}"), f"test:{n}", None,
                   utcnow())
        db.session.commit()
        assert db.session.execute(db.select(db.func.count(PushNotification.id))).scalar() == 30
    push_app.config["PUSH_BATCH"] = 4
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            with push_app.app_context():
                push_sender.drain(push_app, rounds=30)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    tags = [devices[e].decrypt(r.body)["tag"] for e in devices for r in receiver.to(devices[e].path)]
    assert len(tags) == 30 and len(set(tags)) == 15
    assert {n.status for n in notifications(push_app)} == {"sent"}
    with push_app.app_context():
        assert db.session.execute(db.select(db.func.count(Alert.id)).where(Alert.key.like("test:%"))).scalar() == 15


def test_quiet_hours_overnight_and_backoff(app):
    from datetime import datetime

    from server.models import PushPreference

    night = PushPreference(user_id=1, quiet_start="21:00", quiet_end="07:00")
    # Paris is UTC+1 in winter: 22:30 UTC = 23:30 local, quiet until 07:00 local = 06:00 UTC next day.
    assert push_sender.quiet_until(app, night, datetime(2026, 12, 2, 22, 30)) == datetime(2026, 12, 3, 6, 0)
    assert push_sender.quiet_until(app, night, datetime(2026, 12, 2, 5, 0)) == datetime(2026, 12, 2, 6, 0)
    assert push_sender.quiet_until(app, night, datetime(2026, 12, 2, 12, 0)) is None
    assert push_sender.quiet_until(app, None, datetime(2026, 12, 2, 22, 30)) is None
    # Summer time: 07:00 local = 05:00 UTC.
    assert push_sender.quiet_until(app, night, datetime(2026, 7, 2, 3, 0)) == datetime(2026, 7, 2, 5, 0)
    steps = [push_sender.backoff(app, n).total_seconds() for n in range(1, 10)]
    assert steps[:4] == [30, 60, 120, 240] and max(steps) == 3600


def test_workers_starting_together_never_read_a_half_written_vapid_key(tmp_path):
    """Two senders (threads, or gunicorn workers starting together) create the key on first use: the one that
    loses the race must read the whole key, never the file the winner is still writing (CI met
    « ASN.1 parsing error: short data » once)."""
    from flask import Flask

    from server.services.webpush import vapid

    failures: list[BaseException] = []
    for round_ in range(60):
        app = Flask(__name__)
        app.config["VAPID_PRIVATE_KEY_FILE"] = str(tmp_path / f"round-{round_}" / "vapid.pem")
        start = threading.Barrier(6)

        def sender(app: Flask = app, start: threading.Barrier = start) -> None:
            start.wait()
            try:
                vapid(app)
            except BaseException as exc:  # noqa: BLE001
                failures.append(exc)

        threads = [threading.Thread(target=sender) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert (tmp_path / f"round-{round_}" / "vapid.pem").read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    assert failures == []
    assert not list(tmp_path.rglob("*.tmp*")), "a temporary key file was left behind"
