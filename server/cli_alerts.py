"""Alerts and Web Push from the command line, and the in-process sender of the single-machine default.

    flask --app server vapid-keys          make the VAPID key pair once (instance/vapid_private.pem)
    flask --app server alerts run          evaluate the time-based alerts (cron, idempotent)
    flask --app server push-worker         deliver the outbox (own process; several may run)
"""

from __future__ import annotations

import signal
import threading

import click
from flask import Flask, current_app

# Settings of alerts and Web Push (override with CAISSE_<NAME>; docs/ALERTS.md explains each).
DEFAULTS = {
    "SHOP_TIMEZONE": "Europe/Paris",
    "ALERT_MISSING_DAY_HOUR": 12,      # a day with no entry is « missing » from this shop-local hour
    "ALERT_LOOKBACK_DAYS": 7,          # how far back the schedule looks for missing days
    "ALERT_SCHEDULE_SECONDS": 600,     # in-process schedule period
    "ALERT_SETTLE_SECONDS": 30,        # the worker evaluates a written day once queued this long (readers never wait)
    "VAPID_SUBJECT": "mailto:alertes@caisse.invalid",
    "VAPID_PRIVATE_KEY_FILE": None,    # default: instance/vapid_private.pem
    "PUSH_INPROCESS": None,            # None: on, except under TESTING
    "PUSH_DELAY_SECONDS": 120,         # a condition must last this long to be pushed (typing passes through them)
    "PUSH_TTL_SECONDS": 86400,         # pywebpush's default is 0: an offline phone would never get it
    "PUSH_TIMEOUT_SECONDS": 10,
    "PUSH_RETRY_BASE_SECONDS": 30,     # 30 s, 1 min, 2 min, … up to PUSH_RETRY_MAX_SECONDS
    "PUSH_RETRY_MAX_SECONDS": 3600,
    "PUSH_MAX_ATTEMPTS": 8,
    "PUSH_BATCH": 50,
    "PUSH_CONCURRENCY": 8,
    "PUSH_POLL_SECONDS": 5,
    "PUSH_ALLOW_LOOPBACK": False,      # accept http://127.0.0.1 push endpoints (tests, a local receiver)
}


def register_alerts(app: Flask) -> None:
    """Defaults, CLI commands, and the sender thread started with the first request when PUSH_INPROCESS is on
    (default: on, except under TESTING). Never started by CLI commands."""
    for name, value in DEFAULTS.items():
        app.config.setdefault(name, value)

    @app.before_request
    def _start_sender() -> None:
        enabled = app.config.get("PUSH_INPROCESS")
        if enabled is None:
            enabled = not app.testing
        if enabled and not app.extensions.get("caisse_push_started"):
            from server.services.push_sender import start_in_process
            from server.services.webpush import ensure_vapid_keys

            app.extensions["caisse_push_started"] = True
            ensure_vapid_keys(app)
            start_in_process(app)

    @app.cli.command("vapid-keys")
    def vapid_keys() -> None:
        """Create the VAPID key pair once and print the public key."""
        from server.services.webpush import ensure_vapid_keys, public_key

        path, created = ensure_vapid_keys(current_app)
        click.echo(f"{'Clé VAPID créée' if created else 'Clé VAPID existante'} : {path}")
        click.echo(f"Clé publique : {public_key(current_app)}")

    @app.cli.group("alerts")
    def alerts_group() -> None:
        """Stored alerts."""

    @alerts_group.command("run")
    def alerts_run() -> None:
        """Evaluate day_missing, day_left_open and pending rejections (idempotent; for cron)."""
        from server.services.alerts_schedule import run_schedule

        result = run_schedule()
        click.echo(f"{result.companies} sociétés examinées, {result.opened} alertes ouvertes.")

    @app.cli.command("push-worker")
    @click.option("--once", is_flag=True, help="Deliver what is due, then stop.")
    @click.option("--schedule/--no-schedule", default=False, help="Also run the time-based alerts.")
    def push_worker(once: bool, schedule: bool) -> None:
        """Deliver the push outbox until stopped (SIGTERM/SIGINT)."""
        from server.services.push_sender import drain, run_forever

        app_obj = current_app._get_current_object()  # type: ignore[attr-defined]
        if once:
            tally = drain(app_obj)
            click.echo(f"{tally.delivered} envoyées, {tally.retried} à réessayer, {tally.gone} abonnements "
                       f"supprimés, {tally.failed} en échec, {tally.dropped} abandonnées.")
            return
        stop = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
        click.echo("Envoi des notifications push (Ctrl+C pour arrêter).")
        run_forever(app_obj, stop, with_schedule=schedule)
