"""Caisse server: the Flask application factory."""

from __future__ import annotations

from typing import Any

from flask import Flask


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app: config class, then CAISSE_* environment variables, then the given mapping."""
    app = Flask(__name__, instance_relative_config=True)

    from server.config import Config, ensure_secret_key

    app.config.from_object(Config)
    app.config.from_prefixed_env("CAISSE")
    if config:
        app.config.update(config)
    if app.config.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = app.config["DATABASE_URL"]
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = Config.default_database_uri(app.instance_path)
    ensure_secret_key(app)

    from server.extensions import api, configure_engine, db, migrate, openapi_plugin
    from server.security import init_security

    init_security(app)  # before init_auth: limits run before authentication; before the routes: `int`

    db.init_app(app)
    configure_engine(app)
    migrate.init_app(app, db, directory=app.config["MIGRATIONS_DIR"])
    from server.errors import ErrorSchema

    api.ERROR_SCHEMA = ErrorSchema
    api.init_app(app, spec_kwargs={"marshmallow_plugin": openapi_plugin()})

    from server import models  # noqa: F401  (registers the tables on the metadata)
    from server.api import register_blueprints
    from server.auth import init_auth
    from server.cli import register_cli
    from server.cli_alerts import register_alerts
    from server.errors import register_error_handlers
    from server.spa import spa_bp

    init_auth(app)
    register_error_handlers(app)
    register_blueprints(api)
    app.register_blueprint(spa_bp)
    register_cli(app)
    register_alerts(app)
    return app
