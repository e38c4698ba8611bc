"""Settings: defaults here, overridden by CAISSE_* environment variables and the test mapping."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


class Config:
    SQLALCHEMY_DATABASE_URI: str | None = None
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SECRET_KEY: str | None = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_NAME = "caisse_session"
    MIGRATIONS_DIR = str(ROOT / "migrations")
    PWA_DIST = str(ROOT / "pwa" / "dist")
    JSON_SORT_KEYS = False
    # Request limits (server/security.py): bodies over MAX_CONTENT_LENGTH answer 413 before being read;
    # paths matching LARGE_BODY_PATHS (regular expressions, e.g. a CSV import) get the larger limit.
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    LARGE_BODY_MAX_CONTENT_LENGTH = 20 * 1024 * 1024
    LARGE_BODY_PATHS: list[str] = [r"/api/companies/\d+/imports?(/.*)?"]
    MAX_JSON_DEPTH = 32
    # Server-side sessions (services/sessions.py): end after this long without a request, and at the latest
    # this long after login. Set CAISSE_SESSION_COOKIE_SECURE=true to force Secure cookies (else: when HTTPS).
    SESSION_IDLE_SECONDS = 14 * 24 * 3600
    SESSION_MAX_SECONDS = 30 * 24 * 3600
    SESSION_COOKIE_SECURE = False
    # Behind a reverse proxy (X-Forwarded-For/-Proto), set CAISSE_TRUST_PROXY=1 (number of proxies).
    TRUST_PROXY = 0
    # Login throttling (services/login.py has the policy): failures counted over LOGIN_WINDOW_SECONDS.
    LOGIN_WINDOW_SECONDS = 900
    LOGIN_MAX_FAILURES = 5  # per (account, address)
    LOGIN_IP_MAX_FAILURES = 30  # per address, any accounts
    LOGIN_ACCOUNT_MAX_FAILURES = 50  # per account, all addresses: then only known browsers may log in
    LOGIN_LOCK_SECONDS = 900
    ACTIVATION_CODE_DAYS = 14
    SYNC_PULL_LIMIT = 500
    # `flask backup`: into BACKUP_DIR (default instance/backups), keeping the BACKUP_KEEP most recent.
    BACKUP_DIR: str | None = None
    BACKUP_KEEP = 14
    # A mutation failing with a server error this many times is set aside as a `server_error` rejection.
    SYNC_MAX_SERVER_FAILURES = 3
    # flask-smorest / OpenAPI
    API_TITLE = "Caisse API"
    API_VERSION = "1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api"
    OPENAPI_JSON_PATH = "openapi.json"

    @staticmethod
    def default_database_uri(instance_path: str) -> str:
        return "sqlite:///" + os.path.join(instance_path, "caisse.sqlite")


def ensure_secret_key(app: Flask) -> None:
    """Use the configured key, else one generated once into instance/secret_key."""
    if app.config.get("SECRET_KEY"):
        return
    path = Path(app.instance_path) / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    app.config["SECRET_KEY"] = path.read_text().strip()
