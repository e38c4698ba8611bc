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
    # Login throttling: after LOGIN_MAX_FAILURES failures, the account is locked LOGIN_LOCK_SECONDS.
    LOGIN_MAX_FAILURES = 5
    LOGIN_LOCK_SECONDS = 300
    ACTIVATION_CODE_DAYS = 14
    SYNC_PULL_LIMIT = 500
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
