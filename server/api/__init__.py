"""API blueprints, one per resource, registered on the flask-smorest Api (which builds the OpenAPI)."""

from flask_smorest import Api

from server.schemas.fields import Money


def register_blueprints(api: Api) -> None:
    from server.api import (
        alerts,
        audit,
        auth,
        budgets,
        calendar,
        catalog,
        category_order,
        chart,
        companies,
        days,
        exports,
        firm_companies,
        health,
        invitations,
        me,
        members,
        push,
        rejections,
        reports,
        sessions,
        sync,
        till,
        tokens,
    )

    api.register_field(Money, "string", None)
    api.spec.components.security_scheme("cookie", {"type": "apiKey", "in": "cookie", "name": "caisse_session"})
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    for module in (auth, sessions, me, tokens, invitations, companies, members, calendar, budgets, days, sync,
                   rejections, audit, health, chart, exports):
        api.register_blueprint(module.bp)
    api.register_blueprint(exports.firm_bp)
    for bp in (reports.bp, reports.firm_bp):  # issue 12
        api.register_blueprint(bp)
    for bp in (alerts.bp, alerts.summary_bp, push.bp):  # issue 14
        api.register_blueprint(bp)
    for bp in (till.bp, till.admin_bp):  # issue 15
        api.register_blueprint(bp)
    for module in (category_order, firm_companies):  # issue 11, before catalog's /categories/<id>
        api.register_blueprint(module.bp)
    for bp in catalog.blueprints():
        api.register_blueprint(bp)
