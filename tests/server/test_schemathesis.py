"""Schemathesis against /api/openapi.json, as an admin and as a cashier (personal bearer tokens):
no 5xx, and every answer matches the schema its status documents. Bounded: a few examples per operation."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance
from schemathesis.pytest import from_fixture

from server import create_app
from server.extensions import db

EXAMPLES = 4
# Operations that would end the test's own access; their answers are covered by the other tests.
SKIPPED = ("/api/auth/tokens/{token_id}",)
# The archive check takes a ZIP body: sent as the raw bytes schemathesis generates (a bad archive answers 422).
schemathesis.serializer.alias("application/zip", "application/octet-stream")


@pytest.fixture(scope="module")
def fuzzed_app(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from server.demo.seed import seed
    from server.models import User
    from server.services.accounts import create_token

    pg = request.getfixturevalue("pg_url")
    url = pg or f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'caisse.sqlite'}"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "fuzz",
                      "LOGIN_MAX_FAILURES": 10_000, "LOGIN_IP_MAX_FAILURES": 10_000})
    with app.app_context():
        db.drop_all()
        db.create_all()
        seed()
        tokens = {}
        for role, email in (("admin", "gerant@demo.test"), ("cashier", "caisse@demo.test")):
            user = db.session.execute(db.select(User).where(User.email == email)).scalar_one()
            tokens[role] = create_token(user, f"fuzz {role}")[1]
    app.config["FUZZ_TOKENS"] = tokens
    yield app
    with app.app_context():
        db.session.remove()
        if pg:
            db.drop_all()
        db.engine.dispose()


@pytest.fixture(scope="module")
def api_schema(fuzzed_app: Any) -> Any:
    return schemathesis.openapi.from_wsgi("/api/openapi.json", fuzzed_app).exclude(path=list(SKIPPED))


schema = from_fixture("api_schema")


FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck),
                phases=[Phase.explicit, Phase.generate], derandomize=True, database=None)


def check(case: Any, app: Any, role: str) -> None:
    token = app.config["FUZZ_TOKENS"][role]
    response = case.call(headers={"Authorization": f"Bearer {token}"})
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])


@schema.parametrize()
@FUZZ
def test_as_an_admin(case: Any, fuzzed_app: Any) -> None:
    check(case, fuzzed_app, "admin")


@schema.parametrize()
@FUZZ
def test_as_a_cashier(case: Any, fuzzed_app: Any) -> None:
    check(case, fuzzed_app, "cashier")
