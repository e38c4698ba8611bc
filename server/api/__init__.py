"""API blueprints, one per resource, registered on the flask-smorest Api (which builds the OpenAPI)."""

from flask_smorest import Api

from server.schemas.fields import Money


def register_blueprints(api: Api) -> None:
    from server.api import (
        auth,
        budgets,
        calendar,
        catalog,
        companies,
        days,
        health,
        me,
        members,
        rejections,
        sessions,
        sync,
        tokens,
    )

    api.register_field(Money, "string", None)
    api.spec.components.security_scheme("cookie", {"type": "apiKey", "in": "cookie", "name": "caisse_session"})
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    for module in (auth, sessions, me, tokens, companies, members, calendar, budgets, days, sync, rejections, health):
        api.register_blueprint(module.bp)
    for bp in catalog.blueprints():
        api.register_blueprint(bp)
